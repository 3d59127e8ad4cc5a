//! Storage: the only module that names rusqlite. One SQLite file per hub, in WAL mode, with foreign
//! keys on, a busy timeout, and every write in a `BEGIN IMMEDIATE` transaction.

mod audit;
mod authority;
mod bulk;
mod check;
mod cipher;
mod count_upkeep;
mod counts;
mod delays;
pub mod fs_check;
mod import;
mod migrate;
mod patients;
mod published;
mod reference;
mod reported;
mod signoff;
mod sql_types;
mod stays;

pub use audit::AuditEntry;
pub use bulk::{BulkDelay, BulkStay};
pub use counts::{CountRow, MonthTotal, OpenCount};
pub use delays::{
    ActionRow, DelayDetail, DelayFilter, DelayRow, EditDelay, EndDelay, NewDelay, PeriodRow,
    Placement, ReasonChange,
};
pub use import::ImportSummary;
pub use migrate::SCHEMA_VERSION;
pub use published::{PublishedMonth, PublishedSummary};
pub use reference::{Authority, Population, Site, Target};
pub use reported::{ReconcileMark, ReportedDay, ReportedTotal};
pub use signoff::{SignWeek, Signoff, WeekStatus};
pub use stays::DischargeTarget;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long one attempt to start a write waits for another writer (SQLite's busy handler).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How many times a write is attempted before it reports [`Error::Busy`]: with [`BUSY_TIMEOUT`],
/// a command waits up to a minute for other users' saves before giving up (and writes nothing).
pub const WRITE_ATTEMPTS: u32 = 6;

/// An open dtoc database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    user: String,
    /// Fixed audit timestamp for tests; `None` reads the clock at the moment of the write.
    fixed_now: Option<String>,
    /// Things worth telling the user on opening (e.g. a file others can read).
    warnings: Vec<String>,
    /// How many times `write` tries to start its transaction while another writer holds the file.
    write_attempts: u32,
    /// The SQLCipher key the file was opened with (backups are written with the same key).
    key: cipher::Key,
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                Error::Busy(e)
            }
            _ => Error::Sql(e),
        }
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
            return Err(Error::database(
                path,
                format!(
                    "is on a network filesystem ({fs}): {}",
                    fs_check::SUPPORTED_SETUP
                ),
            ));
        }
        if !existed {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
        }
        let key = cipher::key_for(path, existed)?;
        let conn = cipher::open_connection(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            &key,
        )?;
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
            Error::Sql(e) => Error::database_sql(path, e),
            Error::Stored(message) => Error::database(path, message),
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
            write_attempts: WRITE_ATTEMPTS,
            key,
        };
        store.configure()?;
        migrate::migrate(&mut store.conn).map_err(as_database)?;
        signoff::install_guard(&store.conn)?;
        count_upkeep::install_counting(&store.conn)?;
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
            write_attempts: WRITE_ATTEMPTS,
            key: cipher::Key::default(),
        };
        store.configure()?;
        migrate::migrate(&mut store.conn)?;
        signoff::install_guard(&store.conn)?;
        count_upkeep::install_counting(&store.conn)?;
        Ok(store)
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // `rarray(?)`: a list of values bound as one parameter (filters by authority).
        rusqlite::vtab::array::load_module(&self.conn)?;
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

    /// How long each attempt to write waits for another writer, and how many attempts are made
    /// before a write reports [`Error::Busy`]. The app waits briefly and retries between keys so
    /// that it can show that it is waiting; commands wait up to a minute.
    pub fn set_busy_wait(&mut self, timeout: Duration, attempts: u32) -> Result<()> {
        self.conn.busy_timeout(timeout)?;
        self.write_attempts = attempts.max(1);
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

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all or nothing. Before committing, the freeze
    /// guard refuses the whole write if it altered a delayed day of a week both sides signed off.
    fn write<T>(&mut self, f: impl FnOnce(&Writer<'_>) -> Result<T>) -> Result<T> {
        let at = self.now();
        let mut attempt = 1;
        let tx = loop {
            // BEGIN IMMEDIATE takes the write lock now (waiting up to the busy timeout), so the
            // transaction can never fail later for want of it; busy is retried, not reported.
            match self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(Error::from)
            {
                Err(Error::Busy(_)) if attempt < self.write_attempts => attempt += 1,
                other => break other?,
            }
        };
        let w = Writer {
            tx: &tx,
            user: &self.user,
            at: &at,
        };
        w.reset_touched()?;
        count_upkeep::reset_counting(&w)?;
        let out = f(&w)?;
        count_upkeep::flush_counts(&w)?;
        w.check_frozen()?;
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
        // With SQLCipher the copy is encrypted with the same key (the backup API copies pages).
        let mut out = cipher::open_connection(
            dest,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            &self.key,
        )?;
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
        let mut target = Store::open(dest)?;
        let source = cipher::open_connection(src, OpenFlags::SQLITE_OPEN_READ_ONLY, &target.key)?;
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
