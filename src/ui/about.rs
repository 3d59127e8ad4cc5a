//! What the `?` help says about the screen under it, before its keys: what the screen is for and
//! what each of its columns means (the keys come from the keymap table).

use crate::ui::keymap::Context;

/// A screen's help text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    /// What the screen is for, in a sentence or two.
    pub purpose: &'static str,
    /// Each column (or row label) and what it means.
    pub columns: &'static [(&'static str, &'static str)],
}

const REGISTER: About = About {
    purpose: "Every open delay (t: ended too), longest delayed first: who is ready to leave \
              and why they have not. Enter: the delay's detail.",
    columns: &[
        ("Local id", "the hospital's number"),
        ("NHS no.", "NHS number, masked"),
        ("Site", "site, ward and bed"),
        ("LA", "local authority (short name)"),
        ("Ready", "medically ready on"),
        ("Days", "days delayed so far"),
        ("Exp", "expected discharge (! once passed)"),
        ("Rsn", "reason code"),
        ("Attr", "NHS, social care or both"),
        ("P", "planned pathway (0-3)"),
        ("!", "not reviewed today"),
    ],
};

const DETAIL: About = About {
    purpose: "One delay: the stay, its reasons over time and the periods it counts for.",
    columns: &[
        ("Periods", "each reason's dates"),
        ("History", "who changed what, when"),
    ],
};

const DASHBOARD: About = About {
    purpose: "This month by local authority: delayed days so far against the target, and the \
              delays open now.",
    columns: &[
        ("Days", "delayed days so far"),
        ("Beds", "beds a day delayed"),
        ("/100k/d", "a day per 100,000 18+"),
        ("Target/d", "target on that scale"),
        ("RAG", "red/amber/green vs target"),
        ("vs target", "significant difference"),
        ("Run rate", "month-end at this rate"),
        ("If all stay", "month-end if none leave"),
        ("NHS/SC/Both", "open by attribution"),
        ("LOS 14+/21+", "stays of 14 / 21+ days"),
    ],
};

const BOARD: About = About {
    purpose: "The morning board round: each open delay once, in site, ward and bed order (o \
              changes it); still delayed, a reason change, a note or an end marks it reviewed \
              today; then today's census of inpatients, and the round's totals.",
    columns: &[],
};

const BOARD_CENSUS: About = About {
    purpose: "The census step of the board round: the delays not yet reviewed today (b goes back \
              to them), then today's inpatients by site and authority (a missing cell is shown; \
              a partial census is saved as partial).",
    columns: &[],
};

const BOARD_SUMMARY: About = About {
    purpose: "The round's totals: reviewed n of N, changed, ended.",
    columns: &[],
};

const LONG_STAY: About = About {
    purpose: "Patients ready to leave for longer than the threshold (+/-), for the long-stay \
              review; E/X export the list (patient-identifiable).",
    columns: &[
        ("Local id", "the hospital's number"),
        ("NHS no.", "NHS number, masked"),
        ("Site", "site, ward and bed"),
        ("LA", "local authority (short name)"),
        ("Ready", "medically ready on"),
        ("Days", "days since ready"),
        ("LOS", "length of stay: days since admission"),
        ("Expected", "expected discharge (highlighted once passed)"),
        ("Reason", "reason code"),
    ],
};

const REPORT: About = About {
    purpose: "The monthly report by authority and measure, as a table, a chart or an SPC chart \
              (v), by month, quarter or year (p).",
    columns: &[
        ("Days", "delayed days"),
        ("Beds", "beds a day delayed"),
        ("/100k mth", "per 100,000 18+"),
        ("/100k/d", "the same a day"),
        ("Target/d", "target a day /100k"),
        ("Target days", "target as days"),
        ("RAG", "red/amber/green vs target"),
        ("vs target", "significant difference"),
    ],
};

const SETTINGS: About = About {
    purpose: "The reference data: local authorities, their 18+ populations, sites and their \
              type of care, and the targets (h/l: section).",
    columns: &[
        ("ONS code", "authority's 9-char code"),
        ("Adults 18+", "ONS mid-year estimate"),
        ("Type of care", "acute or non-acute site"),
        ("A day", "target: days a day"),
    ],
};

const DISCHARGES: About = About {
    purpose: "One month's discharges by authority: pathways, time from ready to discharge and \
              length of stay.",
    columns: &[
        ("Pathway", "share on pathway 0-3"),
        ("Within 24h", "left within a day"),
        ("DRD", "ready to discharge days"),
        ("Bed days lost", "days ready, not gone"),
        ("LOS n+", "stays of n+ days"),
        ("NCTR", "not meeting criteria"),
    ],
};

const WEEKLY: About = About {
    purpose: "One week's sitrep: delayed days by authority, attribution, reason and type of care, \
              signed off by the NHS and social care sides.",
    columns: &[
        ("Attribution", "NHS, social care, or both"),
        ("Reason", "reason code"),
        ("Care", "acute or non-acute site"),
        ("Days", "delayed days in the week"),
    ],
};

const RECONCILE: About = About {
    purpose: "A month's signed days against the hospital's reported figures (i imports them): \
              per authority and measure, then each day that differs, to accept or contest (m).",
    columns: &[
        ("Signed", "days in signed weeks"),
        ("Reported", "hospital's reported days"),
        ("Diff", "reported minus signed"),
        ("Mark", "accepted/contested, ! not"),
    ],
};

const FORM: About = About {
    purpose: "A form: Tab moves between fields; a pick list completes as you type (or Up/Down); \
              a date takes 2018-08-15, 15/8/18, t (today), t-3 or -3 (days ago), y (yesterday).",
    columns: &[],
};

const FIRST_RUN: About = About {
    purpose: "A new database: add the local authorities, their 18+ populations, the sites and the \
              targets (or import them from CSV files, by the same rules as dtoc import), then go \
              to the register.",
    columns: &[],
};

/// The help text of a context, if it has one.
pub fn about(ctx: Context) -> Option<&'static About> {
    Some(match ctx {
        Context::Dashboard => &DASHBOARD,
        Context::Register => &REGISTER,
        Context::Detail => &DETAIL,
        Context::Board => &BOARD,
        Context::BoardCensus => &BOARD_CENSUS,
        Context::BoardSummary => &BOARD_SUMMARY,
        Context::LongStay => &LONG_STAY,
        Context::Report => &REPORT,
        Context::Settings => &SETTINGS,
        Context::Discharges => &DISCHARGES,
        Context::Weekly => &WEEKLY,
        Context::Reconcile => &RECONCILE,
        Context::Form => &FORM,
        Context::FirstRun => &FIRST_RUN,
        Context::Filter | Context::Confirm | Context::Help => return None,
    })
}
