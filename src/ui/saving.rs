//! Saving when others are saving too.
//!
//! - **Waiting.** The app's store waits only [`BUSY_WAIT`] for another user's save (not the
//!   commands' minute), so the loop keeps drawing: a save that finds the database busy keeps the
//!   form open with the user's entry, shows [`WAITING`], and is tried again at every tick until it
//!   goes through. Busy is never reported as a failure, and nothing typed is lost.
//! - **Conflicts.** A save based on a record that someone else has changed since the form opened
//!   is refused by the store (versions differ). [`explain_conflict`] says what differs, field by
//!   field (`Reason: theirs E vs yours Di`), and returns the record's current version, so that the
//!   form, still holding the user's entry, saves it over theirs on the next Enter once seen.

use crate::domain::{Attribution, EndKind, LaCode, Pathway, ReasonCode};
use crate::store::Store;
use crate::ui::app::FormKind;
use crate::ui::widgets::form::Form;
use chrono::NaiveDate;
use std::time::Duration;

/// How long one attempt of the app's save waits for another writer before the app shows that it
/// is waiting (and tries again at the next tick).
pub const BUSY_WAIT: Duration = Duration::from_millis(150);

/// Shown while a save waits for another user's save to finish.
pub const WAITING: &str =
    "Waiting for another user's save to finish… your entry is kept and will be saved.";

/// One field that differs: its label, the stored value and the user's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub field: String,
    pub theirs: String,
    pub yours: String,
}

/// What someone else changed, field by field, against the user's entry, and the record's current
/// version; `None` when the record cannot be read (e.g. it was deleted).
pub fn explain_conflict(
    store: &Store,
    kind: &FormKind,
    form: &Form,
    today: NaiveDate,
) -> Option<(String, i64)> {
    let delay_id = match kind {
        FormKind::Reason { delay_id, .. }
        | FormKind::End { delay_id, .. }
        | FormKind::Edit { delay_id, .. } => *delay_id,
        _ => return None,
    };
    let now = store.delay_detail(delay_id).ok()?;
    let d = &now.row;
    let mut diffs = Vec::new();
    let mut push = |field: &str, theirs: String, yours: String| {
        if theirs != yours {
            diffs.push(Difference {
                field: field.to_string(),
                theirs,
                yours,
            });
        }
    };
    let ended = d.ended_on.map_or("open".to_string(), |e| {
        format!(
            "ended {e}{}",
            d.end_kind
                .map_or(String::new(), |k| format!(" ({})", k.label()))
        )
    });
    let date = |i: usize| {
        form.date(i, today)
            .map_or(form.value(i).to_string(), |x| x.to_string())
    };
    let reason = |i: usize| {
        ReasonCode::parse(form.value(i)).map_or(form.value(i).to_string(), |r| r.code().to_string())
    };
    let attribution = |i: usize| {
        Attribution::parse(form.value(i))
            .map_or(form.value(i).to_string(), |a| a.label().to_string())
    };
    let pathway = |p: Option<Pathway>| p.map_or("none".to_string(), |p| p.number().to_string());
    use crate::ui::strings as s;
    match kind {
        FormKind::Reason { .. } => {
            push(s::F_REASON, d.reason.code().to_string(), reason(1));
            push(
                s::F_ATTRIBUTION,
                d.attribution.label().to_string(),
                attribution(2),
            );
            push("Delay", ended, "open".to_string());
        }
        FormKind::End { .. } => {
            let yours = EndKind::parse(form.value(0))
                .map_or(form.value(0).to_string(), |k| k.label().to_string());
            push("Delay", ended, format!("ended {} ({yours})", date(1)));
        }
        FormKind::Edit { .. } => {
            push(s::F_READY, d.ready_on.to_string(), date(0));
            let yours_pw = Pathway::parse(form.value(1)).ok();
            push(s::F_PATHWAY, pathway(d.planned_pathway), pathway(yours_pw));
            push(s::F_SITE, d.site_code.clone(), form.value(2).to_uppercase());
            let yours_la = LaCode::parse(form.value(3))
                .map_or(form.value(3).to_string(), |l| l.as_str().to_string());
            push(s::F_LA, d.la_code.clone(), yours_la);
        }
        _ => {}
    }
    Some((conflict_message(&diffs), d.version))
}

/// The message of a refused save: what differs, and what the user can do.
pub fn conflict_message(diffs: &[Difference]) -> String {
    let what = if diffs.is_empty() {
        "no field of this form differs from yours".to_string()
    } else {
        diffs
            .iter()
            .map(|d| format!("{}: theirs {} vs yours {}", d.field, d.theirs, d.yours))
            .collect::<Vec<_>>()
            .join("; ")
    };
    format!(
        "Someone else changed this delay since you opened it ({what}). Your entry is kept: \
         Enter saves it over theirs, Esc discards it."
    )
}
