//! Saving when others are saving too.
//!
//! - **Waiting.** The app's store waits only [`BUSY_WAIT`] for another user's save (not the
//!   commands' minute), so the loop keeps drawing: a save that finds the database busy keeps the
//!   form open with the user's entry, shows [`WAITING`], and is tried again at every tick until it
//!   goes through. Busy is never reported as a failure, and nothing typed is lost.
//! - **Conflicts.** A save based on a record that someone else has changed since the form opened
//!   is refused by the store (versions differ). The delay forms (`screens::register::forms`) say
//!   what differs, field by
//!   field (`Reason: theirs E vs yours Di`), and returns the record's current version, so that the
//!   form, still holding the user's entry, saves it over theirs on the next Enter once seen.

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
