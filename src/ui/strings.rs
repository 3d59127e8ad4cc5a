//! Every user-visible string of the terminal app, in one place.

pub const APP_TITLE: &str = "dtoc";
pub const HELP_TITLE: &str = " Help (Esc closes) ";
pub const HELP_COLUMNS: &str = "Columns";
pub const HELP_KEYS: &str = "Keys that work here";
pub const CONFIRM_TITLE: &str = " Confirm ";
pub const CONFIRM_HINT: &str = "y: yes    n / Enter / Esc: no (the default)";
pub const CONFIRM_DELETE: &str = "Delete this delay and its periods? This cannot be undone.";
pub const CONFIRM_DISCARD: &str = "Discard the changes in this form?";
pub const CONFIRM_QUIT_FORM: &str = "Quit and lose the changes in this form?";

pub const SAVED: &str = "Saved.";
/// What a screen says while its load runs off the draw loop.
pub const LOADING: &str = " Loading… ";
/// The title of the `0` list of every screen.
pub const SCREEN_LIST_TITLE: &str = " Screens (Enter shows, Esc closes) ";
pub const DELETED: &str = "Deleted.";
pub const REVIEWED: &str = "Marked as still delayed today.";
pub const RELOADED: &str = "Another user changed the database: refreshed.";
pub const FIX_FIELDS: &str = "Fix the marked fields first.";
pub const NOTHING_SELECTED: &str = "Select a delay first.";
pub const ALREADY_ENDED: &str = "This delay has already ended.";
pub const NO_CENSUS_TODAY: &str = "no census for today";
pub const NO_DELAYS: &str = "No delays to show.";
pub const NO_DELAYS_MATCH: &str = "No delays match the filters: c clears them.";
pub const NO_OPEN_DELAYS: &str = "No open delays to review.";
pub const NO_AUTHORITIES: &str =
    "No local authorities yet: the set-up screen (Dashboard: F) adds or imports authorities, populations, sites and targets.";
pub const NO_TARGETS: &str = "No targets yet: press a to add one.";
pub const NO_COUNTS: &str = "No delayed days in these months.";
pub const NEEDS_SITE_AND_LA: &str =
    "Add a site and a local authority first: the set-up screen walks through them (Dashboard: F).";
pub const REQUIRED: &str = "required";
pub const NOT_MARKED: &str = "!";
pub const UNIT_PER_100K: &str = "delayed days per day per 100,000 adults (18+)";
pub const UNIT_PER_DAY: &str = "delayed days per day (no population estimate)";
pub const NO_SPC: &str = "No SPC chart";
pub const DASH_NOTE: &str = "Rates: delayed days per day per 100,000 adults (18+), this month over the days counted so far. RAG and significance: Poisson 95% interval against the target pro rata.";
pub const LOS_NOTE: &str = "LOS 14+ / 21+: patients delayed now whose length of stay is at least 14 / 21 days, of all delayed now (source: the register's open delays, not the census or recorded stays).";
pub const NO_TARGET: &str = "no target";
/// The Dashboard on a month's first day: no day of it is counted yet (`-` = no data, never 0).
pub const DASH_NONE_COUNTED: &str = "none counted yet";
pub const DASH_BEFORE_COVERAGE: &str = "before coverage";
/// The forecast block's title on a month's first day.
pub const DASH_NO_FORECAST: &str = "no forecast until a day is counted";
/// The Discharges screen when its authorities do not all fit: which are shown, where the rest are.
pub const DISCHARGES_SOME_COLUMNS: &str = "more: dtoc report";
pub const FILTER_HINT: &str = "press / to filter by id, site, authority or reason";

pub const FORM_ADD: &str = " Add delay ";
pub const FORM_REASON: &str = " Change reason / attribution ";
pub const FORM_END: &str = " End delay ";
pub const FORM_EDIT: &str = " Edit delay ";
pub const FORM_CORRECT: &str = " Correct the stay ";
pub const F_NHS_NEW: &str = "NHS number (empty: keep)";
pub const NOTHING_CHANGED: &str = "nothing changed";

/// After a correction: how many of the stay's fields it changed.
pub fn corrected(n: usize) -> String {
    format!(
        "{n} field{} of the stay corrected",
        if n == 1 { "" } else { "s" }
    )
}
pub const FORM_CENSUS: &str = " Today's census: inpatients per site and authority ";
pub const FORM_TARGET: &str = " Add target ";
pub const FORM_HINT: &str = "Tab/Shift-Tab: field  Up/Down: choose  Enter: save  Esc: cancel";

pub const F_LOCAL_ID: &str = "Local id";
pub const F_NHS: &str = "NHS number";
pub const F_ADMITTED: &str = "Admitted on";
pub const F_SITE: &str = "Site";
pub const F_LA: &str = "Authority";
pub const F_READY: &str = "Ready date";
pub const F_REASON: &str = "Reason";
pub const F_ATTRIBUTION: &str = "Attribution";
pub const F_PATHWAY: &str = "Planned pathway";
pub const F_FROM: &str = "From date";
pub const F_END_KIND: &str = "Ended by";
pub const F_END_ON: &str = "End date";
pub const F_END_PATHWAY: &str = "Pathway (0-3)";
pub const F_DESTINATION: &str = "Destination";
pub const F_USUAL_RESIDENCE: &str = "Usual residence";
pub const F_ACUTE_REASON: &str = "Acute reason";
/// The usual-residence pick list: yes, no, or not known.
pub const USUAL_YES: &str = "yes - back to the usual place of residence";
pub const USUAL_NO: &str = "no - not the usual place of residence";
pub const USUAL_UNKNOWN: &str = "not known";
pub const F_MONTH: &str = "Month";
pub const F_MEASURE: &str = "Measure";
pub const F_UNIT: &str = "Unit";
pub const F_VALUE: &str = "Value";

pub const ERR_NOT_NUMBER: &str = "a whole number of 0 or more";
pub const ERR_NOT_DECIMAL: &str = "a number of 0 or more";
pub const ERR_CHOICE: &str = "not in the list (Up/Down to choose)";
pub const ERR_MONTH: &str = "use YYYY-MM";
pub const ERR_YEAR: &str = "a year from 1990 to 2199";
pub const ERR_PATHWAY_NEEDED: &str = "a discharge needs a pathway";

pub fn found_patient(masked: Option<String>) -> String {
    match masked {
        Some(m) => format!("known patient, NHS {m}"),
        None => "known patient, no NHS number".to_string(),
    }
}

/// The add form's note on a known patient's stay (issue 26): what was filled from it.
pub fn known_in_stay(admitted: chrono::NaiveDate, site: &str) -> String {
    format!("in since {admitted} at {site}; the stay's details are filled, change any")
}

/// The add form's note on a known patient with no stay open.
pub fn known_no_open_stay(left: chrono::NaiveDate) -> String {
    format!("no stay open (the last ended {left}); its authority is filled")
}

pub const KNOWN_NO_STAY: &str = "no stay recorded";

/// The add form's note on a known patient already delayed.
pub fn known_open_delay(ready: chrono::NaiveDate) -> String {
    format!("; already delayed from {ready} (one open delay at a time)")
}

/// The header's date on a demo file (`short`: for 80 columns).
pub fn demo_today(today: chrono::NaiveDate, short: bool) -> String {
    if short {
        format!(" demo: {today}")
    } else {
        format!(" demo data: today is {today}")
    }
}

/// Below the smallest window the app is laid out for.
pub fn too_small(w: u16, h: u16, now_w: u16, now_h: u16) -> String {
    format!("window too small: {w}×{h} needed (now {now_w}×{now_h}). Make the window larger.")
}

pub fn progress(reviewed: usize, total: usize) -> String {
    format!("{reviewed} of {total} reviewed")
}

pub fn exported(path: &std::path::Path) -> String {
    format!("Exported to {}", path.display())
}

pub fn store_error(e: &crate::Error) -> String {
    match e {
        // The app reopens a week with its own key, not the command line.
        crate::Error::Frozen(f) => {
            format!("Not saved: {f} (Weekly screen: go to {}, press o)", f.week)
        }
        e => format!("Not saved: {e}"),
    }
}

pub const RESTORED: &str = "The register was restored from a backup: everything read again.";
pub const NEW_DEMO: &str = "A new demo was written over this register: everything read again.";

/// The register's file is no longer the one open (`why`: "was deleted", …).
pub fn file_gone(path: &std::path::Path, why: &str) -> String {
    format!(
        "{} {why} since dtoc opened it: nothing more can be saved here; quit and open dtoc again.",
        path.display()
    )
}

pub fn load_error(e: &crate::Error) -> String {
    format!("Could not read the database: {e}")
}

// Screen labels.
pub const REVIEWED_TODAY: &str = "reviewed today";
pub const NOT_REVIEWED: &str = "not reviewed yet";
pub const REASON_HISTORY: &str = "Reason history";
pub const BOARD_TOTALS: &str = "Board round totals";
pub const BOARD_RESTART: &str = "Enter: start a new round";
pub const INCL_ENDED: &str = "incl. ended";
pub const PERIODS: &str = "Periods";
pub const HISTORY: &str = "History (newest first)";
/// A scrolled view's bottom border: more below, more above, or both.
pub const SCROLL_DOWN: &str = " ↓ more: j, PgDn ";
pub const SCROLL_UP: &str = " ↑ more: k, PgUp ";
pub const SCROLL_BOTH: &str = " ↑↓ more: j/k, PgDn/PgUp ";
pub const OPEN_PERIOD: &str = "open";
pub const REGISTER_HEADER_WIDE: [&str; 10] = [
    "Local id",
    "NHS number",
    "Site",
    "Authority",
    "Ready",
    "Days",
    "Reason",
    "Attribution",
    "Path",
    "Rev",
];
pub const REGISTER_HEADER: [&str; 10] = [
    "Local id", "NHS no.", "Site", "LA", "Ready", "Days", "Rsn", "Attr", "P", "R",
];
pub const LONG_STAY_HEADER: [&str; 8] = [
    "Local id", "NHS no.", "Site", "LA", "Ready", "Delayed", "LOS", "Reason",
];
pub const REPORT_HEADER: [&str; 11] = [
    "Period",
    "Authority",
    "Measure",
    "Days",
    "Beds",
    "/100k mth",
    "/100k/d",
    "Target/d",
    "Target days",
    "RAG",
    "vs target",
];
pub const DASH_MONTH_HEADER: [&str; 7] = [
    "Authority",
    "Days",
    "Beds",
    "/100k/d",
    "Target/d",
    "RAG",
    "vs target",
];
pub const DASH_NOW_HEADER: [&str; 9] = [
    "Authority",
    "Run rate",
    "If all stay",
    "Target",
    "NHS",
    "SC",
    "Both",
    "LOS 14+",
    "LOS 21+",
];
pub const NO_POPULATION: &str = "no population";

// Settings.
pub const SETTINGS_TABS: [&str; 6] = [
    "Authorities",
    "Populations 18+",
    "Sites",
    "Wards",
    "Targets",
    "Discharge targets",
];
pub const FORM_DISCHARGE_TARGET: &str = " Discharge target (percent of discharges) ";
/// The discharge target's value: a share in percent, or the average delay in days.
pub const F_PERCENT: &str = "Target (%, or days)";
pub const DISCHARGE_TARGETS_HEADER: [&str; 5] =
    ["ONS code", "Authority", "Month", "Measure", "Target"];
pub const NO_DISCHARGE_TARGETS: &str = "No discharge targets yet: press a to add one.";
pub const FORM_AUTHORITY: &str = " Authority ";
pub const FORM_POPULATION: &str = " 18+ population (ONS mid-year estimate) ";
pub const FORM_SITE: &str = " Site ";
pub const F_LA_CODE: &str = "ONS code";
pub const F_NAME: &str = "Name";
pub const F_REGION: &str = "Region";
pub const F_LEGACY: &str = "Legacy code";
pub const F_YEAR: &str = "Year";
pub const F_POPULATION: &str = "Adults (18+)";
pub const F_SITE_CODE: &str = "Site code";
pub const F_SETTING: &str = "Type of care";
pub const F_PROVIDER: &str = "Provider code";
pub const F_SNAPSHOT_DAY: &str = "Sitrep snapshot day";
/// The site form's coverage: the first day of its complete record (issue 24).
pub const F_COVERAGE_FROM: &str = "Covered from";
pub const ADD_AUTHORITY_FIRST: &str = "Add an authority first (Authorities: a).";
pub const NOTHING_SELECTED_SETTINGS: &str = "Nothing to edit here: press a to add.";
pub const NO_POPULATIONS: &str = "No populations yet: press a to add one.";
pub const NO_SITES_YET: &str = "No sites yet: press a to add one.";
pub const NO_AUTHORITIES_YET: &str = "No local authorities yet: press a to add one.";
pub const AUTHORITIES_HEADER: [&str; 4] = ["ONS code", "Name", "Region", "Legacy"];
pub const POPULATIONS_HEADER: [&str; 4] = ["ONS code", "Authority", "Year", "Adults 18+"];
pub const SITES_HEADER: [&str; 5] = ["Site", "Type of care", "Provider", "Covered from", "Name"];
pub const WARDS_HEADER: [&str; 5] = ["Site", "Ward code", "Name", "Beds", "Delayed now"];
pub const NO_WARDS_YET: &str =
    "No wards yet: press a to add one, or import a file (dtoc import wards FILE: site,ward_code,name,beds).";
pub const FORM_WARD: &str = " Ward ";
pub const F_WARD_CODE: &str = "Ward code";
pub const F_BEDS: &str = "Beds";
pub const TARGETS_ALL_HEADER: [&str; 7] = [
    "LA",
    "Month",
    "Measure",
    "Days",
    "A day",
    "/100k mth",
    "/100k day",
];
pub const TARGET_UNITS_NOTE: &str =
    "* = as entered; other units converted with the month's days and 18+ population";

/// A target unit as people say it.
pub fn unit_label(u: crate::domain::TargetUnit) -> &'static str {
    use crate::domain::TargetUnit as U;
    match u {
        U::Days => "delayed days in the month",
        U::DaysPerDay => "delayed days a day",
        U::Per100kMonth => "per 100,000 adults a month",
        U::Per100kDay => "per 100,000 adults a day",
    }
}

// Long stay.
pub const LONG_SORTS: [&str; 7] = [
    "days delayed",
    "length of stay",
    "ready date",
    "local id",
    "site",
    "ward and bed",
    "authority",
];
pub const PATIENT_IDENTIFIERS_WARNING: &str = "CONTAINS PATIENT IDENTIFIERS (local ids; NHS numbers masked): patient-identifiable, handle and store securely";
/// The Long stay screen's length-of-stay box: every inpatient in the bands (the NHS names are for
/// all inpatients), then the delayed patients alone in the same bands.
pub const LOS_TITLE: &str = "Inpatients (7+ stranded, 21+ super-stranded) on";
pub const LOS_BAND_7: &str = "7+ days";
pub const LOS_BAND_14: &str = "14+ days";
pub const LOS_BAND_21: &str = "21+ days";
pub const LOS_OF: &str = "share of";
pub const LOS_DELAYED: &str = "Delayed";
pub const LOS_DELAYED_NOTE: &str = "delayed patients only (delayed 7+, 14+, 21+ days of stay)";
pub const LOS_DELAYED_SHORT: &str = "delayed patients only";
pub const LOS_NO_DENOMINATOR: &str = "no denominator";
pub const LOS_NO_INPATIENTS: &str = "No inpatient recorded today: import stays, or add delays.";

pub fn exported_patients(path: &std::path::Path, n: usize) -> String {
    format!(
        "Exported {n} patients (identifiable: local ids) to {}",
        path.display()
    )
}
// Discharges screen (7).
pub const DISCHARGES_TITLE: &str = "Discharges and length of stay,";
pub const DISCHARGES_MEASURE: &str = "Measure";
pub const DISCHARGES_ALL: &str = "All";
pub const DISCHARGES_COUNT: &str = "Discharges";
pub const DISCHARGES_PATHWAY: &str = "Pathway";
pub const DISCHARGES_UNKNOWN_PATHWAY: &str = "Pathway unknown";
pub const DISCHARGES_USUAL: &str = "To usual residence";
pub const DISCHARGES_24H: &str = "Within 24h of ready";
pub const DISCHARGES_DRD_AVG: &str = "DRD avg days / excl. 0";
pub const DISCHARGES_DRD_BAND: &str = "DRD days";
pub const DISCHARGES_BED_DAYS_LOST: &str = "Bed days lost";
pub const DISCHARGES_NO_DRD: &str = "No ready date (0 d)";
pub const DISCHARGES_SAME_DAY: &str = "Same-day stays";
pub const DISCHARGES_AVG_DELAY: &str = "Avg delay (BCF) days";
pub const DISCHARGES_INPATIENTS: &str = "inpatients";
pub const DISCHARGES_DENOM_STAYS: &str = "stays";
pub const DISCHARGES_DENOM_CENSUS: &str = DENOM_CENSUS;
pub const DISCHARGES_DENOM_BOTH: &str = "stays+census";
pub const DISCHARGES_DENOM_NONE: &str = "no denom.";

/// A type of care in a short label: `Acute`, `Comm.` (the community sitrep's non-acute beds).
pub fn care_short(care: crate::domain::Setting) -> &'static str {
    match care {
        crate::domain::Setting::Acute => "Acute",
        crate::domain::Setting::NonAcute => "Comm.",
    }
}
pub const DISCHARGES_LOS: &str = "LOS";
pub const DISCHARGES_NCTR: &str = "NCTR / disch. / left";
pub const NO_DISCHARGES: &str = "No authorities yet: import stays or delays.";

/// The Discharges screen for a month before the register's coverage (issue 24).
pub fn before_coverage(month: &str, from: chrono::NaiveDate) -> String {
    format!(
        "{month} is before the register's coverage: its record is complete from {from}, so its \
         figures are blank, not 0. Settings > Sites sets a site's \"Covered from\"."
    )
}

// Lists, ward and bed, the actions log, the board round and the census (issue 15, items 1-5).
pub const REGISTER_HEADER_80: [&str; 11] = [
    "Local id", "NHS no.", "Site", "Ward/bed", "LA", "Ready", "Days", "Rsn", "Attr", "Exp", "P",
];
pub const REGISTER_HEADER_160: [&str; 12] = [
    "Local id",
    "NHS number",
    "Site",
    "Ward / bed",
    "Authority",
    "Ready",
    "Days",
    "Reason",
    "Attribution",
    "Expected",
    "Path",
    "Rev",
];
pub const REGISTER_LEGEND_80: &str =
    "Ready! not reviewed today · * ended · Attr SC social care · Exp! date passed";
pub const REGISTER_LEGEND_160: &str =
    "Days: delayed days so far · Expected: expected discharge date (! and highlighted once passed) · Path: planned pathway · Rev ! = not reviewed today · * after the ready date: ended";
pub const LONG_STAY_HEADER_FIT: [&str; 10] = [
    "Local id", "NHS no.", "Site", "Ward/bed", "LA", "Ready", "Days", "LOS", "Expected", "Reason",
];
pub const LONG_STAY_LEGEND: &str =
    "Days: delayed days · LOS: length of stay in days · Expected: ! once passed";
pub const FILTER_HINT_NHS: &str =
    "press / to filter by id, NHS number, site, ward, authority or reason";
pub const ACTIONS: &str = "Actions";
pub const NO_ACTIONS: &str = "  none yet: n adds an action (what, owner, due)";
pub const FORM_NOTE: &str = " New action ";
pub const F_NOTE: &str = "Action";
pub const F_OWNER: &str = "Owner";
pub const F_DUE: &str = "Due (optional)";
pub const NOTE_HINT: &str =
    "What is to be done (e.g. \"Chase P1 package with provider X\"), by whom (a person or team: Up/Down picks from the list; a new name is added to it) and by when. No clinical detail: it is kept with the patient and audited.";
pub const NOTE_SAVED: &str = "Action added; reviewed today.";
pub const FORM_UPDATE_ACTION: &str = " Done, cancel or change an action ";
pub const F_WHICH_ACTION: &str = "Which";
pub const F_NOW: &str = "Now";
pub const UPDATE_ACTION_HINT: &str =
    "Now: done or cancelled closes the action (kept as a record, audited); open keeps it open with the text, owner and due date below.";
pub const NO_OPEN_ACTIONS: &str = "No open action on this patient: n adds one.";
pub const ACTION_DONE: &str = "Action done.";
pub const ACTION_CANCELLED: &str = "Action cancelled.";
pub const ACTION_CHANGED: &str = "Action changed.";
/// Marks an overdue action (and an expected date passed) beside its colour, so that it reads
/// under `NO_COLOR` too.
pub const ACTION_OVERDUE_MARK: &str = "!";
pub const F_WARD: &str = "Ward";
pub const F_BED: &str = "Bed";
pub const F_EXPECTED: &str = "Expected discharge";
pub const BOARD_ORDER: [&str; 3] = ["site, ward, bed", "days delayed", "local id"];
pub const BOARD_DONE_ENDED: &str = "ended during this round";
pub const BOARD_GONE: &str = "deleted since the round started";
pub const CENSUS_UNREVIEWED: &str = "Not reviewed yet in this round (u: back to the first):";
pub const CENSUS_ALL_REVIEWED: &str = "Every delay of the round has been reviewed.";
pub const CENSUS_MISSING: &str = "missing";
/// The census by ward (issue 26): a ward's field on the census form, and the figures shown.
pub const CENSUS_WARD: &str = "ward";
pub const CENSUS_BY_WARD: &str = "by ward";
/// The ward board (issue 26).
pub const WARD_NOT_LISTED: &str = "not on the ward list";
pub const NO_WARD: &str = "no ward recorded";
pub const YES: &str = "yes";
pub const NO_INPATIENTS_AT: &str =
    "No recorded inpatient at this length of stay today (import the stays: dtoc import stays).";
pub const NO_EXPECTED_PASSED: &str = "No delayed patient's expected discharge date has passed.";
pub const NO: &str = "no";

/// `1 day`, `2 days`.
pub fn days(n: u32) -> String {
    plural(n as usize, "day", "days")
}

/// `1 patient`, `2 patients` …
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Who reviewed a delay and when, or that nobody has today.
pub fn reviewed_by(
    on: Option<chrono::NaiveDate>,
    by: Option<&str>,
    today: chrono::NaiveDate,
) -> String {
    match (on, by) {
        (Some(d), Some(u)) if d == today => format!("reviewed today by {u}"),
        (Some(d), None) if d == today => REVIEWED_TODAY.to_string(),
        (Some(d), Some(u)) => format!("last reviewed {d} by {u}"),
        (Some(d), None) => format!("last reviewed {d}"),
        (None, _) => NOT_REVIEWED.to_string(),
    }
}

/// The board round's totals line.
pub fn board_totals(reviewed: usize, total: usize, changed: usize, ended: usize) -> String {
    format!("reviewed {reviewed} of {total} · changed {changed} · ended {ended}")
}

/// A census share's denominator, named the same on every screen.
pub fn census_incomplete(filled_sites: usize, sites: usize) -> String {
    format!("census incomplete ({filled_sites} of {sites} sites)")
}
pub const FORM_PLACE: &str = " Ward, bed and expected discharge ";

/// The denominators of the LOS 7+/14+/21+ shares, named the same on every screen.
pub const DENOM_CENSUS: &str = "census";
pub const DENOM_STAYS: &str = "recorded stays";

/// The source of a census denominator: `census`, or `census incomplete (k of n sites)`.
pub fn census_source(full: usize, sites: usize) -> String {
    if full < sites {
        census_incomplete(full, sites)
    } else {
        DENOM_CENSUS.to_string()
    }
}
