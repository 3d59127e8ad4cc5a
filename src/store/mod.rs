//! Storage: the only module that names rusqlite. One SQLite file per hub, in WAL mode, with foreign
//! keys on, a busy timeout, and every write in a `BEGIN IMMEDIATE` transaction.

mod audit;
mod bulk;
mod check;
mod counts;
mod delays;
pub mod fs_check;
mod import;
mod migrate;
mod reference;

pub use audit::AuditEntry;
pub use bulk::{BulkDelay, BulkStay};
pub use counts::{CountRow, MonthTotal, OpenCount};
pub use delays::{
    DelayDetail, DelayFilter, DelayRow, EditDelay, EndDelay, NewDelay, PeriodRow, ReasonChange,
};
pub use import::ImportSummary;
pub use migrate::SCHEMA_VERSION;
pub use reference::{Authority, Population, Site, Target};

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a write waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// An open dtoc database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    user: String,
    /// Fixed audit timestamp for tests; `None` reads the clock at the moment of the write.
    fixed_now: Option<String>,
    /// Things worth telling the user on opening (e.g. a file others can read).
    warnings: Vec<String>,
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Sql(e.to_string())
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let existed = path.exists();
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let probe = if existed {
            path.to_path_buf()
        } else {
            dir.clone()
        };
        if let Some(fs) = fs_check::network_filesystem(&probe) {
            return Err(Error::Database {
                path: path.to_path_buf(),
                message: format!(
                    "is on a network filesystem ({fs}): {}",
                    fs_check::SUPPORTED_SETUP
                ),
            });
        }
        if !existed {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::Database {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        #[cfg(unix)]
        if !existed {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
        let mut warnings = Vec::new();
        if existed && fs_check::readable_by_others(path) {
            warnings.push(format!(
                "{} can be read by other users of this host; it holds patient identifiers (chmod 600 it)",
                path.display()
            ));
        }
        let as_database = |e: Error| match e {
            Error::Sql(message) => Error::Database {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        };
        // Refuse a foreign or newer file before configure() switches it to WAL (a write).
        migrate::refuse_foreign(&conn).map_err(as_database)?;
        let mut store = Self {
            conn,
            path: path.to_path_buf(),
            user: default_user(),
            fixed_now: None,
            warnings,
        };
        store.configure()?;
        migrate::migrate(&mut store.conn).map_err(as_database)?;
        Ok(store)
    }

    /// A private in-memory database (tests).
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        let mut store = Self {
            conn,
            path: PathBuf::from(":memory:"),
            user: default_user(),
            fixed_now: None,
            warnings: Vec::new(),
        };
        store.configure()?;
        migrate::migrate(&mut store.conn)?;
        Ok(store)
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // Room for every statement an import or the app uses (the default keeps 16).
        self.conn.set_prepared_statement_cache_capacity(64);
        // journal_mode returns a row; WAL persists in the file once set.
        let _mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        self.conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;",
        )?;
        Ok(())
    }

    /// The user every change is attributed to in the audit log.
    pub fn set_user(&mut self, user: &str) {
        self.user = user.to_string();
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    /// Fixes the audit log's clock (tests and reproducible demos).
    pub fn set_fixed_now(&mut self, now: Option<String>) {
        self.fixed_now = now;
    }

    /// Warnings found on opening, for the caller to show.
    pub fn open_warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn now(&self) -> String {
        self.fixed_now
            .clone()
            .unwrap_or_else(|| chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all or nothing.
    fn write<T>(&mut self, f: impl FnOnce(&Writer<'_>) -> Result<T>) -> Result<T> {
        let at = self.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let w = Writer {
            tx: &tx,
            user: &self.user,
            at: &at,
        };
        let out = f(&w)?;
        tx.commit()?;
        Ok(out)
    }

    /// A number that changes whenever another connection commits (PRAGMA data_version): the app
    /// polls it to refresh what it shows.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`: the problems found, empty when sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for r in rows {
            let r = r?;
            if r != "ok" {
                out.push(format!("integrity: {r}"));
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!(
                "foreign key: {} row {} refers to a missing {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                r.get::<_, String>(2)?
            ))
        })?;
        for r in rows {
            out.push(r?);
        }
        Ok(out)
    }

    /// Runs raw SQL (tests only: to break a database on purpose).
    #[doc(hidden)]
    pub fn execute_raw_for_tests(&self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql)?;
        Ok(())
    }
}

/// An open write transaction with the user and time its audit entries carry.
pub(crate) struct Writer<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    user: &'a str,
    at: &'a str,
}

fn default_user() -> String {
    std::env::var("DTOC_USER")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Dates are stored as ISO text.
pub(crate) fn date_str(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn parse_stored_date(s: &str) -> rusqlite::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

impl Store {
    /// Writes a consistent copy of the database to `dest` with SQLite's online backup API, while
    /// other processes keep writing. The copy is readable by its owner only.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::invalid(format!(
                "{} already exists: choose a new file name",
                dest.display()
            )));
        }
        let mut out = Connection::open(dest).map_err(|e| Error::Database {
            path: dest.to_path_buf(),
            message: e.to_string(),
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(dest, std::fs::Permissions::from_mode(0o600));
        }
        {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
            backup.run_to_completion(256, Duration::from_millis(5), None)?;
        }
        // A backup is one self-contained file.
        let _mode: String = out.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        Ok(())
    }

    /// Replaces the database at `dest` with the backup `src`, after checking the backup opens, is a
    /// dtoc database this version can read, and passes `check`.
    pub fn restore_from(src: &Path, dest: &Path) -> Result<()> {
        if !src.exists() {
            return Err(Error::invalid(format!("{} does not exist", src.display())));
        }
        let problems = {
            let tmp = dest.with_extension("restore-check");
            let _ = std::fs::remove_file(&tmp);
            std::fs::copy(src, &tmp).map_err(|source| Error::Io {
                path: src.to_path_buf(),
                source,
            })?;
            let checked = Store::open(&tmp).and_then(|s| s.check());
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
            }
            checked?
        };
        if !problems.is_empty() {
            return Err(Error::invalid(format!(
                "{} fails its check, not restored: {}",
                src.display(),
                problems.join("; ")
            )));
        }
        let source = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut target = Store::open(dest)?;
        {
            let backup = rusqlite::backup::Backup::new(&source, &mut target.conn)?;
            backup.run_to_completion(256, Duration::from_millis(5), None)?;
        }
        target.write(|w| {
            w.audit(
                "database",
                "*",
                "restore",
                None,
                None,
                Some(&src.display().to_string()),
            )
        })
    }
}
