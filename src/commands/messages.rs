//! Errors in the terminal's words: the library's message, with what to type where the library only
//! says what to do (a frozen week names `dtoc reopen`, a missing name or reason its flag).

use crate::error::{in_words, is_sqlite, Error, FrozenWeek, WeekRefusal};

/// A frozen week's refusal on the command line: its message and the command that reopens it.
pub fn frozen_week(f: &FrozenWeek) -> String {
    format!("{f} (dtoc reopen --week {} --reason TEXT)", f.week)
}

/// One error of a chain as the terminal says it: SQLite's and the system's failures in words
/// (disk full, file exists, in use), not their raw text.
fn one(e: &(dyn std::error::Error + 'static)) -> String {
    match e.downcast_ref::<Error>() {
        Some(Error::Frozen(f)) => frozen_week(f),
        Some(e @ Error::Week(WeekRefusal::NoSigner)) => format!("{e} (--by NAME)"),
        Some(e @ Error::Week(WeekRefusal::NoReason(_))) => format!("{e} (--reason TEXT)"),
        Some(e) => e.worded(),
        None => in_words(e).map_or_else(|| e.to_string(), str::to_string),
    }
}

/// An error and its causes, outermost first, joined by `: ` (as `{:#}` shows an `anyhow::Error`),
/// each in the terminal's words. SQLite's error behind one of dtoc's (which has said it already)
/// is not said twice, nor the system error behind a file's.
pub fn for_terminal(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut said = false;
    for link in e.chain() {
        let behind = said && (is_sqlite(link) || link.downcast_ref::<std::io::Error>().is_some());
        // What is behind a said error is said too (SQLite's error and its own code behind it).
        said = behind
            || matches!(
                link.downcast_ref::<Error>(),
                Some(Error::Sql(_) | Error::Busy(_) | Error::Database { .. } | Error::Io { .. })
            );
        if !behind {
            parts.push(one(link));
        }
    }
    parts.join(": ")
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

    #[test]
    fn system_and_sqlite_failures_are_said_in_words_once() {
        let exists = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
            .context("writing out.csv");
        assert_eq!(for_terminal(&exists), "writing out.csv: already exists");
        let full = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::StorageFull))
            .context("writing out.csv");
        assert_eq!(
            for_terminal(&full),
            "writing out.csv: the disk is full (free some space and try again)"
        );
        let io = Error::Io {
            path: "x.csv".into(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        assert_eq!(for_terminal(&io.into()), "x.csv: permission denied");
        // SQLite's error and its code behind it are not said after dtoc's words for them.
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let e = Error::database_sql(std::path::Path::new("b.bak"), full);
        assert_eq!(
            for_terminal(&e.into()),
            "database b.bak: the disk is full: nothing was written (free some space and try again)"
        );
    }
}
