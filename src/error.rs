//! Errors shown to users. Every message names what was wrong and the rule; none carries an NHS number.

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

/// A write that would make the register contradict itself (RULES.md §1: one bed at a time; a delay
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
        write!(
            f,
            "{}: the stay of {} at {} admitted {}",
            self.rule, self.other_local_id, self.other_site, self.other_admitted_on
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
    #[error("{0}")]
    Invalid(String),
    /// A write refused because the register would contradict itself (see [`Clash`]).
    #[error("{} admitted {}: {}", .0.local_id, .0.admitted_on, .0)]
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
}

/// A signed-off week a change would alter. Shown on the command line with the command that
/// reopens it; the app names its own key instead ([`FrozenWeek::in_app`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenWeek {
    /// The ISO week (`2018-W27`).
    pub week: String,
    /// Who signed it off.
    pub signed_by: String,
}

impl FrozenWeek {
    fn refusal(&self) -> String {
        format!(
            "week {} is signed off and frozen ({}): this change would alter its delayed days. \
             Reopen the week first",
            self.week, self.signed_by
        )
    }

    /// The refusal as the app says it: reopen with `o` on the Weekly screen.
    pub fn in_app(&self) -> String {
        format!(
            "{} (Weekly screen: go to {}, press o)",
            self.refusal(),
            self.week
        )
    }
}

impl std::fmt::Display for FrozenWeek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (dtoc reopen --week {} --reason TEXT)",
            self.refusal(),
            self.week
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frozen_week_names_the_command_line_or_the_app_key() {
        let f = FrozenWeek {
            week: "2018-W27".into(),
            signed_by: "NHS: Ann".into(),
        };
        let cli = Error::Frozen(f.clone()).to_string();
        assert!(cli.ends_with("Reopen the week first (dtoc reopen --week 2018-W27 --reason TEXT)"));
        assert!(f
            .in_app()
            .ends_with("Reopen the week first (Weekly screen: go to 2018-W27, press o)"));
        assert!(!f.in_app().contains("dtoc reopen"));
    }
}
