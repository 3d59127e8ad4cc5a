//! The library's errors. Every message names what was wrong and the rule; none carries an NHS
//! number. A domain rule's error stays itself (`Delay`, `Stay`, `Code`, …: typed, `#[from]`); the
//! store's refusals are kinds a caller can tell apart (busy, conflict, frozen week, clash, not found,
//! unknown site, …); `Invalid` is left for the free-text cases. Wording for one edge (the command
//! to type, the key to press) is added there: `commands::messages` for the terminal, the app's
//! strings for a form.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A bad value in an input file: file, line, column, value and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: String,
    /// 1-based line of the file (the header is line 1); 0 when the problem is the file as a whole.
    pub line: u64,
    pub column: Option<String>,
    pub value: Option<String>,
    pub rule: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, " line {}", self.line)?;
        }
        use crate::domain::text::echo;
        match (&self.column, &self.value) {
            (Some(c), Some(v)) => write!(f, ", {} {}", echo(c), echo(v))?,
            (Some(c), None) => write!(f, ", {}", echo(c))?,
            _ => {}
        }
        write!(f, ": {}", self.rule)
    }
}

/// A write that would make the register contradict itself (docs/counting.md: one bed at a time; a delay
/// cannot outlast its stay): the stay written and the other stay involved, by local id and site
/// (never an NHS number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub local_id: String,
    pub admitted_on: chrono::NaiveDate,
    /// The rule broken, in words.
    pub rule: String,
    pub other_local_id: String,
    pub other_site: String,
    pub other_admitted_on: chrono::NaiveDate,
}

impl std::fmt::Display for Clash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A local id or site stored before NHS numbers were refused there is never repeated whole.
        let hide = crate::domain::text::hide_nhs_numbers;
        write!(
            f,
            "{}: the stay of {} at {} admitted {}",
            self.rule,
            hide(&self.other_local_id),
            hide(&self.other_site),
            self.other_admitted_on
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Input(InputError),
    /// Several bad rows of one file (the import stops at a bounded number of them); at most
    /// [`MAX_LISTED`] are listed, then "and N more".
    #[error("{}", list_inputs(.0))]
    Inputs(Vec<InputError>),
    /// A value refused for a rule with no kind of its own (free text: a note's length, an empty
    /// name).
    #[error("{0}")]
    Invalid(String),
    /// A delay's dates break its rule (docs/counting.md).
    #[error(transparent)]
    Delay(#[from] crate::domain::DelayError),
    /// A stay's dates or discharge details break its rule.
    #[error(transparent)]
    Stay(#[from] crate::domain::StayError),
    /// A code (reason, attribution, type of care, pathway, destination, …) that is not one.
    #[error(transparent)]
    Code(#[from] crate::domain::CodeError),
    /// A code given for a named field: `destination: "x" is not …`.
    #[error("{field}: {error}")]
    FieldCode {
        field: &'static str,
        error: crate::domain::CodeError,
    },
    /// A local id that is not one.
    #[error(transparent)]
    LocalId(#[from] crate::domain::LocalIdError),
    /// A target that is not one.
    #[error(transparent)]
    Target(#[from] crate::domain::TargetError),
    /// A site code the register does not know.
    #[error("site {0} is not known: add it in Settings or import it")]
    UnknownSite(String),
    /// An end (or another change that needs an open delay) for a delay that has ended.
    #[error("this delay has already ended")]
    AlreadyEnded,
    /// A change that would change nothing (the words say what already holds).
    #[error("nothing changed: {0}")]
    NothingChanged(String),
    /// A second delay of one stay over days the first already covers: its dates (`from 2018-07-01`,
    /// then ` (still open)` or ` to 2018-07-09`).
    #[error("this stay already has a delay from {from}{}: delays of one stay cannot overlap", .to.as_ref().map_or(" (still open)".to_string(), |e| format!(" to {e}")))]
    Overlap { from: String, to: Option<String> },
    /// A write refused by a unique rule of the register (the words say which).
    #[error("{0}")]
    Duplicate(String),
    /// A week sign-off refused (see [`WeekRefusal`]).
    #[error("{0}")]
    Week(WeekRefusal),
    /// A write refused because the register would contradict itself (see [`Clash`]).
    #[error("{} admitted {}: {}", crate::domain::text::hide_nhs_numbers(&.0.local_id), .0.admitted_on, .0)]
    Clash(Clash),
    #[error("not found: {0}")]
    NotFound(String),
    /// Someone else saved the record since it was loaded.
    #[error("{0}")]
    Conflict(String),
    /// Another user's save held the database for longer than dtoc waits: nothing was written, and
    /// nothing was lost; the same save can simply be tried again.
    /// (The field keeps SQLite's own words for debugging; the message is the user's.)
    #[error(
        "another user's save is taking longer than dtoc waits: nothing was written, try again"
    )]
    Busy(#[source] rusqlite::Error),
    /// A change would alter a signed-off (frozen) week.
    #[error("{0}")]
    Frozen(FrozenWeek),
    /// The database file as a whole could not be used (opened, read, upgraded); `source` is
    /// SQLite's error when there was one.
    #[error("database {path}: {message}")]
    Database {
        path: PathBuf,
        message: String,
        #[source]
        source: Option<rusqlite::Error>,
    },
    /// An error from SQLite (kept whole as the source).
    #[error("{0}")]
    Sql(#[source] rusqlite::Error),
    /// Stored data dtoc cannot read back, or a database file it must not use.
    #[error("{0}")]
    Stored(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a SQLite or operating-system failure means, in words a user can act on, for the kinds
/// that have some (disk full, file exists, in use, read-only, not a database); `None` for others,
/// whose own text is kept. Each edge words its errors with it (`commands::messages`).
pub fn in_words(e: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    use rusqlite::ErrorCode as C;
    use std::io::ErrorKind as K;
    if let Some(s) = e.downcast_ref::<rusqlite::Error>() {
        return match s.sqlite_error_code()? {
            C::DiskFull => {
                Some("the disk is full: nothing was written (free some space and try again)")
            }
            C::DatabaseBusy | C::DatabaseLocked => {
                Some("the database is in use by another program: nothing was written, try again")
            }
            C::ReadOnly => Some("the file is read-only: nothing was written"),
            C::NotADatabase => Some("not a dtoc database (not a SQLite file at all)"),
            C::CannotOpen => Some("cannot be opened (check the path and its permissions)"),
            C::SystemIoFailure => Some("the disk could not be read or written (an I/O error)"),
            _ => None,
        };
    }
    let io = e.downcast_ref::<std::io::Error>()?;
    match io.kind() {
        K::StorageFull => Some("the disk is full (free some space and try again)"),
        K::AlreadyExists => Some("already exists"),
        K::PermissionDenied => Some("permission denied"),
        K::NotFound => Some("no such file or directory"),
        K::IsADirectory => Some("is a directory"),
        K::ReadOnlyFilesystem => Some("the file system is read-only"),
        K::FileTooLarge => Some("the file would be larger than this system allows"),
        _ => None,
    }
}

/// Whether `e` is SQLite's own error (the source a dtoc error carries, already worded by it).
pub fn is_sqlite(e: &(dyn std::error::Error + 'static)) -> bool {
    e.downcast_ref::<rusqlite::Error>().is_some()
        || e.downcast_ref::<rusqlite::ffi::Error>().is_some()
}

/// How many problems an error lists before "and N more".
pub const MAX_LISTED: usize = 10;

fn list_inputs(errors: &[InputError]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    crate::domain::text::at_most(&lines, MAX_LISTED, "\n")
}

/// A value kept for a message: bounded (the message shows it through `domain::text::echo`, which
/// hides NHS numbers and control characters and cuts it to 40 characters).
pub fn keep_value(v: &str) -> String {
    v.chars().take(200).collect()
}

impl Error {
    pub fn input(
        file: &str,
        line: u64,
        column: Option<&str>,
        value: Option<&str>,
        rule: impl Into<String>,
    ) -> Self {
        Error::Input(InputError {
            file: file.to_string(),
            line,
            column: column.map(str::to_string),
            value: value.map(keep_value),
            rule: rule.into(),
        })
    }

    /// The database file at `path` cannot be used, for the reason `message` (no SQLite error).
    pub fn database(path: &std::path::Path, message: impl Into<String>) -> Self {
        Error::Database {
            path: path.to_path_buf(),
            message: message.into(),
            source: None,
        }
    }

    /// The database file at `path` cannot be used: SQLite's error `e`, kept as the source.
    pub fn database_sql(path: &std::path::Path, e: rusqlite::Error) -> Self {
        Error::Database {
            path: path.to_path_buf(),
            message: e.to_string(),
            source: Some(e),
        }
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }

    /// This error as said to a user: SQLite's and the system's failures in the words of
    /// [`in_words`] where it has some, with the file they concern.
    pub fn worded(&self) -> String {
        let words = |source: &(dyn std::error::Error + 'static), raw: &str| {
            in_words(source).map_or_else(|| raw.to_string(), str::to_string)
        };
        match self {
            Error::Sql(s) => words(s, &s.to_string()),
            Error::Database {
                path,
                message,
                source: Some(s),
            } => format!("database {}: {}", path.display(), words(s, message)),
            Error::Io { path, source } => {
                format!("{}: {}", path.display(), words(source, &source.to_string()))
            }
            other => other.to_string(),
        }
    }
}

/// Why a week's signature or reopening was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeekRefusal {
    /// The week (`2018-W27`, Monday to Sunday) is not over on `today`.
    #[error("week {week} ({first} to {last}) is not over yet (today is {today}): a week is signed off from the Monday after")]
    NotOver {
        week: String,
        first: chrono::NaiveDate,
        last: chrono::NaiveDate,
        today: chrono::NaiveDate,
    },
    /// The side has signed already (`side` as its label, `NHS` or `council`).
    #[error("week {week} is already signed for the {side} side by {by} at {at}; reopen it to sign again")]
    AlreadySigned {
        week: String,
        side: String,
        by: String,
        at: String,
    },
    /// The other side signed different delayed days; `changes` says which (days by authority and
    /// attribution, signed and now: `domain::WeekChange::describe`).
    #[error("the delayed days of week {week} have changed since the {side} side signed them ({by} at {at}): {changes}. Reopen the week so that both sides sign the same figures")]
    FiguresChanged {
        week: String,
        side: String,
        by: String,
        at: String,
        changes: String,
    },
    /// The user who signed one side tries to sign the other, and the hub's rule wants two users
    /// (`dtoc signoff-rule`).
    #[error("week {week}: the {side} side was signed by the user {user}; the other side must be signed by another user (the hub's sign-off rule; `dtoc signoff-rule --same-user allowed` changes it)")]
    SameUser {
        week: String,
        side: String,
        user: String,
    },
    /// A signature needs the name of who signs.
    #[error("who signs the week off is needed")]
    NoSigner,
    /// Reopening a week needs a reason.
    #[error("reopening week {0} needs a reason")]
    NoReason(String),
    /// Nothing to reopen.
    #[error("week {0} is not signed off: there is nothing to reopen")]
    NotSigned(String),
}

/// A signed-off week a change would alter. Its message ends "Reopen the week first"; each edge adds
/// how (the command line its command, the app its key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenWeek {
    /// The ISO week (`2018-W27`).
    pub week: String,
    /// Who signed it off.
    pub signed_by: String,
}

impl std::fmt::Display for FrozenWeek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "week {} is signed off and frozen ({}): this change would alter its delayed days. \
             Reopen the week first",
            self.week, self.signed_by
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frozen_week_says_what_to_do_without_naming_an_edge() {
        let f = FrozenWeek {
            week: "2018-W27".into(),
            signed_by: "NHS: Ann".into(),
        };
        assert_eq!(
            Error::Frozen(f).to_string(),
            "week 2018-W27 is signed off and frozen (NHS: Ann): this change would alter its delayed \
             days. Reopen the week first"
        );
    }

    #[test]
    fn domain_errors_keep_their_words() {
        let e: Error = crate::domain::Pathway::parse("9").unwrap_err().into();
        assert!(matches!(e, Error::Code(_)));
        assert_eq!(
            e.to_string(),
            r#""9" is not a pathway (expected 0, 1, 2 or 3)"#
        );
        let o = Error::Overlap {
            from: "2018-07-01".into(),
            to: None,
        };
        assert_eq!(
            o.to_string(),
            "this stay already has a delay from 2018-07-01 (still open): delays of one stay cannot overlap"
        );
    }
}
