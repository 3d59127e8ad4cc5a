//! Storage: the only module that names rusqlite. One SQLite file per hub, in WAL mode, with foreign
//! keys on, a busy timeout, and every write in a `BEGIN IMMEDIATE` transaction.

mod audit;
mod audit_event;
mod authority;
mod authority_code;
mod batched;
mod bulk;
mod bulk_import;
mod census_wards;
mod changes;
mod check;
mod cipher;
mod corrections;
mod count_upkeep;
mod counts;
mod coverage;
mod delays;
mod ended;
pub mod files;
pub mod fs_check;
mod import;
mod known_patient;
mod meta;
mod migrate;
mod patients;
mod published;
mod queues;
mod reference;
mod register;
mod reported;
mod signoff;
mod sql_types;
mod stay_writer;
mod stays;
mod wards;

pub use audit::{AuditEntry, FileAction};
pub use audit_event::{
    ActionClose, ActionField, AuditEvent, AuthorityEvent, CorrectedField, DelayEvent, DelayField,
    EndDetail, Entry, ImportFile, PatientEvent, ReportedLayout, SiteEvent, StayEvent, StayField,
    WeekEvent,
};
pub use bulk::{BulkDelay, BulkStay};
pub use changes::{LivePeriod, WriteChanges};
pub use cipher::{allow_plain_new_files, encrypting_plain_file, Conversion};
pub use corrections::StayCorrection;
pub use counts::{CountRow, MonthTotal, OpenCount, OpenStays};
pub use coverage::{Coverage, CoverageSource, SiteCoverage};
pub use delays::{
    ActionEdit, ActionFilter, ActionListRow, ActionRow, DelayDetail, DelayFilter, DelayRow,
    EditDelay, EndDelay, NewAction, NewDelay, OpenActions, PeriodRow, Placement, ReasonChange,
};
pub use ended::{CorrectionSummary, EndCorrection, EndPart, Refusal};
pub use files::Restored;
pub use import::{ImportPath, ImportSummary};
pub use known_patient::{KnownPatient, KnownStay, PatientKey};
pub use migrate::SCHEMA_VERSION;
pub use published::{PublishedMonth, PublishedSummary};
pub use queues::{QueueDelay, QueueFilter};
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
    /// What the writes changed since the app last took it (`Store::take_changes`).
    changes: WriteChanges,
    /// The device and inode of the file opened (`None` in memory): a write refuses to go on when
    /// the path no longer names that file (deleted, or replaced by another).
    file_id: Option<(u64, u64)>,
    /// The day a write enters records on, for a site's default coverage (`coverage`): today as
    /// the command or app was given it; `None` (a library caller that never said) notes none.
    entry_day: Option<chrono::NaiveDate>,
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
        files::refuse_special(path, "a dtoc database")?;
        // An empty file, or one shorter than SQLite's 100-byte header, is no database: SQLite
        // would take it as a new one and write the schema into whatever the user meant it to be.
        let len = path
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        match len {
            Some(0) if existed => {
                return Err(Error::database(
                    path,
                    "is empty (0 bytes): not a dtoc database (dtoc init creates one at a new path)",
                ))
            }
            Some(n @ 1..100) if existed => {
                return Err(Error::database(
                    path,
                    format!("is {n} bytes long: not a dtoc database (too short for one)"),
                ))
            }
            _ => {}
        }
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
        // Owner-only from the start: SQLite gives the -wal and -shm the database file's mode.
        if !existed {
            drop(files::create_private(path)?);
        }
        let conn = cipher::open_connection(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            &key,
        )?;
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
            changes: WriteChanges::default(),
            file_id: file_id(path),
            entry_day: None,
        };
        store.configure()?;
        let at = store.now();
        migrate::migrate(&mut store.conn, &store.user, &at).map_err(as_database)?;
        store.install_triggers()?;
        Ok(store)
    }

    /// A second connection to the same file, for the app's screen loads off its draw loop (a
    /// worker thread reads through it while the app's own connection writes). The same key and
    /// settings; the schema is the one the first connection brought up to date.
    pub fn reader(&self) -> Result<Self> {
        if self.path == Path::new(":memory:") {
            return Err(Error::invalid(
                "a database in memory cannot be opened a second time",
            ));
        }
        let key = self
            .key
            .text()
            .map(|k| cipher::Key::new(k.to_string()))
            .unwrap_or_default();
        let conn = cipher::open_connection(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            &key,
        )?;
        let mut store = Self {
            conn,
            path: self.path.clone(),
            user: self.user.clone(),
            fixed_now: self.fixed_now.clone(),
            warnings: Vec::new(),
            write_attempts: self.write_attempts,
            key,
            changes: WriteChanges::default(),
            file_id: self.file_id,
            entry_day: self.entry_day,
        };
        store.configure()?;
        store.install_triggers()?;
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
            changes: WriteChanges::default(),
            file_id: None,
            entry_day: None,
        };
        store.configure()?;
        let at = store.now();
        migrate::migrate(&mut store.conn, &store.user, &at)?;
        store.install_triggers()?;
        Ok(store)
    }

    /// The per-connection triggers of the write path's guards: the freeze, the month counts and
    /// the register's rules.
    fn install_triggers(&self) -> Result<()> {
        install_triggers(&self.conn)
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

    /// The user every change is attributed to in the audit log: refused when empty, longer than
    /// 64 characters, with a control character or an NHS number (`domain::text::check_user`).
    pub fn set_user(&mut self, user: &str) -> Result<()> {
        crate::domain::text::check_user(user).map_err(Error::invalid)?;
        self.user = user.trim().to_string();
        Ok(())
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
        // Never a save into a file that is no longer the register (the transaction rolls back).
        if let Some(why) = gone(&self.path, self.file_id) {
            return Err(Error::database(
                &self.path,
                format!("{why} since dtoc opened it: nothing was saved; open it again"),
            ));
        }
        let w = Writer {
            tx: &tx,
            user: &self.user,
            at: &at,
        };
        w.reset_touched()?;
        w.reset_touched_patients()?;
        count_upkeep::reset_counting(&w)?;
        let out = f(&w)?;
        if let Some(day) = self.entry_day {
            coverage::note_entered(&w, day)?;
        }
        w.check_register()?;
        let counts = count_upkeep::flush_counts(&w)?;
        w.check_frozen()?;
        let changes = w.changes(counts)?;
        tx.commit()?;
        self.changes.merge(changes);
        Ok(out)
    }

    /// Whether the path opened no longer names the file this store has open, said in words ("was
    /// deleted", "was replaced by another file"); `None` while it does (and in memory).
    pub fn file_gone(&self) -> Option<&'static str> {
        gone(&self.path, self.file_id)
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

/// The last line of defence of stored text: a `what` value (when given) breaking the one rule of
/// `domain::text` (no control or bidirectional character, no NHS number outside its own field) is
/// refused, naming the field.
pub(crate) fn check_stored(
    what: &str,
    value: Option<&str>,
    kind: crate::domain::text::TextKind,
) -> Result<()> {
    match value {
        Some(v) => crate::domain::text::check_text(what, v, kind).map_err(Error::invalid),
        None => Ok(()),
    }
}

/// Installs the write path's temporary triggers on a connection (after its migrations).
pub(crate) fn install_triggers(conn: &Connection) -> Result<()> {
    signoff::install_guard(conn)?;
    count_upkeep::install_counting(conn)?;
    register::install_register(conn)
}

/// Whether `path` no longer names the file `opened` (its device and inode), in words.
fn gone(path: &Path, opened: Option<(u64, u64)>) -> Option<&'static str> {
    let opened = opened?;
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some("was deleted"),
        Err(_) => None,
        Ok(_) if file_id(path) != Some(opened) => Some("was replaced by another file"),
        Ok(_) => None,
    }
}

/// The device and inode of the file at `path` (through symbolic links).
#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_path: &Path) -> Option<(u64, u64)> {
    None
}

/// Who changes are attributed to without `--user`: `$DTOC_USER`, else the OS account running dtoc
/// (its password-database name on Unix, so a cron job without `$USER` is still named), never
/// "unknown".
fn default_user() -> String {
    let set = |v: &str| {
        std::env::var(v)
            .ok()
            .filter(|u| crate::domain::text::check_user(u).is_ok())
    };
    set("DTOC_USER")
        .or_else(os_account)
        .or_else(|| set("USER"))
        .or_else(|| set("USERNAME"))
        .unwrap_or_else(|| format!("uid {}", os_uid()))
}

/// The name of the account running this process (getpwuid_r).
#[cfg(unix)]
fn os_account() -> Option<String> {
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call; `buf` outlives the reads of `pwd` below.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::geteuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: getpwuid_r succeeded, so pw_name points to a NUL-terminated string inside `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned()).filter(|n| !n.is_empty())
}

#[cfg(not(unix))]
fn os_account() -> Option<String> {
    None
}

#[cfg(unix)]
fn os_uid() -> u32 {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() }
}

#[cfg(not(unix))]
fn os_uid() -> u32 {
    0
}

/// Dates are stored as ISO text.
pub(crate) fn date_str(d: chrono::NaiveDate) -> String {
    DateText::new(d).as_str().to_string()
}

/// A date as `YYYY-MM-DD`, written digit by digit on the stack (chrono's `format` parses its
/// strftime pattern on every call: 3.5% of a large import's time went there). Years outside
/// 0000–9999, which no stored date has, take chrono's form.
pub(crate) struct DateText {
    buf: [u8; 16],
    len: usize,
}

impl DateText {
    pub(crate) fn new(d: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        let mut buf = [0u8; 16];
        let y = d.year();
        if !(0..=9999).contains(&y) {
            let s = d.format("%Y-%m-%d").to_string();
            let len = s.len().min(16);
            buf[..len].copy_from_slice(&s.as_bytes()[..len]);
            return Self { buf, len };
        }
        let (y, m, day) = (y as u32, d.month(), d.day());
        let digits = [
            y / 1000,
            y / 100 % 10,
            y / 10 % 10,
            y % 10,
            10,
            m / 10,
            m % 10,
            10,
            day / 10,
            day % 10,
        ];
        for (b, x) in buf.iter_mut().zip(digits) {
            *b = if x == 10 { b'-' } else { b'0' + x as u8 };
        }
        Self { buf, len: 10 }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and '-' (or chrono's own text) are written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

pub(crate) fn parse_stored_date(s: &str) -> rusqlite::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}
