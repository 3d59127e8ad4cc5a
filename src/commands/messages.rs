//! Errors in the terminal's words: the library's message, with what to type where the library only
//! says what to do (a frozen week names `dtoc reopen`, a missing name or reason its flag).

use crate::error::{Error, FrozenWeek, WeekRefusal};

/// A frozen week's refusal on the command line: its message and the command that reopens it.
pub fn frozen_week(f: &FrozenWeek) -> String {
    format!("{f} (dtoc reopen --week {} --reason TEXT)", f.week)
}

/// One error of a chain as the terminal says it.
fn one(e: &(dyn std::error::Error + 'static)) -> String {
    match e.downcast_ref::<Error>() {
        Some(Error::Frozen(f)) => frozen_week(f),
        Some(e @ Error::Week(WeekRefusal::NoSigner)) => format!("{e} (--by NAME)"),
        Some(e @ Error::Week(WeekRefusal::NoReason(_))) => format!("{e} (--reason TEXT)"),
        _ => e.to_string(),
    }
}

/// An error and its causes, outermost first, joined by `: ` (as `{:#}` shows an `anyhow::Error`),
/// each in the terminal's words.
pub fn for_terminal(e: &anyhow::Error) -> String {
    e.chain().map(one).collect::<Vec<_>>().join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frozen_week_names_the_command_that_reopens_it() {
        let f = FrozenWeek {
            week: "2018-W27".into(),
            signed_by: "NHS: Ann".into(),
        };
        let e = anyhow::Error::from(Error::Frozen(f)).context("not saved");
        assert_eq!(
            for_terminal(&e),
            "not saved: week 2018-W27 is signed off and frozen (NHS: Ann): this change would alter \
             its delayed days. Reopen the week first (dtoc reopen --week 2018-W27 --reason TEXT)"
        );
        let no_reason = anyhow::Error::from(Error::Week(WeekRefusal::NoReason("2018-W27".into())));
        assert_eq!(
            for_terminal(&no_reason),
            "reopening week 2018-W27 needs a reason (--reason TEXT)"
        );
        assert_eq!(
            for_terminal(&Error::Week(WeekRefusal::NoSigner).into()),
            "who signs the week off is needed (--by NAME)"
        );
        let plain = anyhow::anyhow!("no such file").context("reading x.csv");
        assert_eq!(for_terminal(&plain), format!("{plain:#}"));
    }
}
