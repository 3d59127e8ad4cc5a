//! The database as a file: created owner-only, copied out (`backup`) and replaced (`restore`)
//! without ever leaving a half-written or destroyed register behind.
//!
//! - A new database file is created 0600 before SQLite opens it, so its `-wal` and `-shm` (which
//!   SQLite creates with the database file's mode) are owner-only too.
//! - A backup is written under a temporary name beside the target and linked into place at the
//!   end: a backup that fails (disk full) leaves no file, and an existing file is never replaced.
//!   It copies one snapshot (a read transaction held for the whole copy), so others' writes
//!   meanwhile neither wait nor restart it.
//! - A restore goes through SQLite, never the file system (see [`Store::restore_file_with`]): the
//!   backup is copied to a private file, brought up to date and checked as `dtoc check` checks;
//!   then copied into the live file (through a symbolic link: the file it names) with the online
//!   backup API, whose write lock is held from the first page to the commit; under it the live
//!   register is kept as `<db>.before-restore-<YYYYMMDDTHHMMSS>` (0600, checked) and the live
//!   log's newer entries are carried over. Open connections see the restored register at their
//!   next read; no save waits on, or goes to, an unlinked file. On any failure the live file is
//!   untouched, and the message says so, naming the user's files only.
//! - A demo is built on a private file and put in place the same way (see
//!   [`Store::write_demo_file`]), never over a file that is not a demo.
//! - A signal leaves no temporary file (see [`signals`]).

use super::audit_event::AuditEvent;
use super::{cipher, migrate, FileAction, Store, Writer};
use crate::error::{Error, Result};
use crate::progress::{Progress, Silent, Unit};
use rusqlite::backup::StepResult;
use rusqlite::OpenFlags;
use std::path::{Path, PathBuf};
use std::time::Duration;
use temp::{beside, remove_stale_temps, stopped, temp_beside, TempFile};

mod demo;
pub mod signals;
mod temp;

/// Tables every dtoc database has had since its first schema version.
const CORE_TABLES: &[&str] = &[
    "local_authority",
    "population",
    "provider",
    "site",
    "patient",
    "stay",
    "delay",
    "delay_period",
    "month_count",
    "target",
    "census",
    "signoff",
    "audit_log",
];

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates `path` as an empty file readable by its owner only (fails if it exists).
pub fn create_private(path: &Path) -> Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path).map_err(io(path))
}

/// Refuses `path` when it exists and is not a regular file (through symbolic links), saying what
/// it is instead of `what` ("a dtoc database", "a dtoc backup"): SQLite would wait for ever on a
/// FIFO and read a device without end.
pub(crate) fn refuse_special(path: &Path, what: &str) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(Error::database(path, format!("is a directory, not {what}"))),
        Ok(m) if !m.is_file() => Err(Error::database(
            path,
            format!("is not a regular file (a FIFO, a device or a socket), not {what}"),
        )),
        _ => Ok(()),
    }
}

/// Syncs the directory holding `path` so that a rename in it survives a power cut.
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// Pages copied by each step of the online backup (between steps, others may write).
pub const BACKUP_STEP_PAGES: i32 = 256;
/// Bytes copied between two reports of progress of a file copy.
const COPY_CHUNK: usize = 1 << 20;

/// Copies `from` to a new owner-only file `to`, synced, telling `progress` the phase `phase` in
/// bytes.
fn copy_private(
    from: &Path,
    to: &Path,
    phase: &'static str,
    progress: &dyn Progress,
) -> Result<u64> {
    use std::io::{Read, Write};
    let mut src = std::fs::File::open(from).map_err(io(from))?;
    let len = src.metadata().map_err(io(from))?.len();
    let mut dst = create_private(to)?;
    progress.phase(phase, Some(len), Unit::Bytes);
    let mut buf = vec![0u8; COPY_CHUNK];
    let mut n = 0u64;
    loop {
        let got = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(got) => got,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(from)(e)),
        };
        if signals::stopping() {
            return Err(stopped());
        }
        dst.write_all(&buf[..got]).map_err(io(to))?;
        n += got as u64;
        progress.advance(got as u64);
    }
    dst.sync_all().map_err(io(to))?;
    Ok(n)
}

/// What a restore did: where the live database was kept (when there was one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub kept: Option<PathBuf>,
    pub schema_version: i64,
}

/// Checks that `path` is a dtoc database this dtoc can restore, reading it only: a SQLite file
/// (opened read-only), `integrity_check` ok, a schema version from 1 to this dtoc's, its tables.
/// Its problems name `shown` (the user's file, when `path` is a private copy of it).
pub fn check_candidate(path: &Path, shown: &Path, key: &cipher::Key) -> Result<i64> {
    let refuse = |why: String| Error::database(shown, why);
    let len = std::fs::metadata(path).map_err(io(path))?.len();
    if len == 0 {
        return Err(refuse("is empty (0 bytes): not a dtoc backup".into()));
    }
    let conn = cipher::open_connection(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        key,
    )
    .map_err(|e| renamed(e, path, shown))?;
    let not_sqlite =
        |e: rusqlite::Error| refuse(format!("is not a readable SQLite database ({e})"));
    let mut problems = Vec::new();
    {
        let mut stmt = conn.prepare("PRAGMA integrity_check").map_err(not_sqlite)?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(not_sqlite)?;
        for r in rows {
            let r = r.map_err(not_sqlite)?;
            if r != "ok" {
                problems.push(r);
            }
        }
    }
    if !problems.is_empty() {
        return Err(refuse(format!(
            "fails its integrity check: {}",
            crate::domain::text::at_most(&problems, crate::error::MAX_LISTED, "; ")
        )));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_sqlite)?;
    if version > migrate::SCHEMA_VERSION {
        return Err(refuse(format!(
            "was written by a newer dtoc (schema version {version}; this dtoc knows up to {})",
            migrate::SCHEMA_VERSION
        )));
    }
    if version < 1 {
        return Err(refuse(
            "is not a dtoc database (no dtoc schema version)".into(),
        ));
    }
    let mut missing = Vec::new();
    for t in CORE_TABLES {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [t],
                |r| r.get(0),
            )
            .map_err(not_sqlite)?;
        if n == 0 {
            missing.push(*t);
        }
    }
    if !missing.is_empty() {
        return Err(refuse(format!(
            "is not a whole dtoc database (no table {})",
            missing.join(", ")
        )));
    }
    Ok(version)
}

/// Runs an online backup to completion in steps of [`BACKUP_STEP_PAGES`], telling `progress` the
/// furthest page reached and stopping between two steps when a signal asks (see [`signals`]).
///
/// The source connection should hold a read transaction for the whole copy (see
/// [`read_snapshot`]): a step then reads the same snapshot as the one before, and another
/// process's write meanwhile (which goes to the WAL, never waiting on the copy) does not restart
/// it. Without one, each write by another process restarts SQLite's copy from the first page (a
/// backup of a large register under steady writes would never finish): the count then waits until
/// the copy is back where it was (or, when the write changed the number of pages, or the restart
/// is seen behind it, the phase starts again), so the pages told always add up to the file's.
fn copy_pages(
    backup: &rusqlite::backup::Backup<'_, '_>,
    phase: &'static str,
    progress: &dyn Progress,
) -> Result<()> {
    let mut done: Option<(u64, u64)> = None;
    loop {
        if signals::stopping() {
            return Err(stopped());
        }
        let step = backup.step(BACKUP_STEP_PAGES)?;
        let p = backup.progress();
        let total = p.pagecount.max(0) as u64;
        let copied = total.saturating_sub(p.remaining.max(0) as u64);
        match done {
            Some((t, c)) if t == total && c <= copied => progress.advance(copied - c),
            _ => {
                progress.phase(phase, Some(total), Unit::Pages);
                progress.advance(copied);
            }
        }
        done = Some((total, copied));
        match step {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            // Only the destination can be busy (a new private file): wait for it.
            _ => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Opens a read transaction on `conn` (its snapshot fixed by a first read), ended when the
/// returned guard is dropped: the copy made from `conn` meanwhile is of one snapshot, whatever
/// others write.
fn read_snapshot(conn: &rusqlite::Connection) -> Result<Snapshot<'_>> {
    conn.execute_batch("BEGIN DEFERRED")?;
    let snapshot = Snapshot(conn);
    let _: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    Ok(snapshot)
}

struct Snapshot<'c>(&'c rusqlite::Connection);

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        // Only read: ending it cannot lose anything.
        let _ = self.0.execute_batch("COMMIT");
    }
}

impl Store {
    /// Writes a consistent copy of the database to `dest` with SQLite's online backup API, while
    /// other processes keep writing. The copy is owner-only from the start, written under a
    /// temporary name and linked into place at the end: a failed backup leaves no file, and an
    /// existing `dest` is never replaced.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        self.backup_to_with(dest, &Silent)
    }

    /// [`Store::backup_to`], telling `progress` the phase `copying` in pages (see [`copy_pages`]
    /// for a write meanwhile), then `syncing`.
    pub fn backup_to_with(&self, dest: &Path, progress: &dyn Progress) -> Result<()> {
        backup_connection(&self.conn, &self.key, dest, "copying", progress)
    }
}

/// Writes a consistent copy of the database open on `conn` to the new file `dest` (owner-only,
/// under a temporary name, linked into place at the end: a failure leaves no file, an existing
/// file is never replaced), telling `progress` the phase `phase` in pages, then `syncing`.
fn backup_connection(
    conn: &rusqlite::Connection,
    key: &cipher::Key,
    dest: &Path,
    phase: &'static str,
    progress: &dyn Progress,
) -> Result<()> {
    if dest.exists() {
        return Err(Error::invalid(format!(
            "{} already exists: choose a new file name",
            dest.display()
        )));
    }
    let _answering = signals::Answering::begin();
    remove_stale_temps(dest);
    let tmp_path = temp_beside(dest, "backup");
    let _ = std::fs::remove_file(&tmp_path);
    let tmp = TempFile::new(tmp_path.clone());
    drop(create_private(&tmp_path).map_err(|e| renamed(e, &tmp_path, dest))?);
    {
        // With SQLCipher the copy is encrypted with the same key (the backup API copies pages).
        let mut out = cipher::open_connection(&tmp_path, OpenFlags::SQLITE_OPEN_READ_WRITE, key)
            .map_err(|e| renamed(e, &tmp_path, dest))?;
        {
            let _snapshot = read_snapshot(conn)?;
            let backup = rusqlite::backup::Backup::new(conn, &mut out)?;
            copy_pages(&backup, phase, progress).map_err(|e| renamed(e, &tmp_path, dest))?;
        }
        // A backup is one self-contained file.
        let _mode: String = out
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .map_err(|e| renamed(e.into(), &tmp_path, dest))?;
    }
    progress.phase("syncing", None, Unit::Steps);
    std::fs::File::open(&tmp_path)
        .and_then(|f| f.sync_all())
        .map_err(io(dest))?;
    if signals::stopping() {
        return Err(stopped());
    }
    // A hard link never replaces an existing file (unlike rename).
    std::fs::hard_link(&tmp_path, dest).map_err(io(dest))?;
    sync_dir(dest);
    drop(tmp);
    Ok(())
}

/// `e` told with `shown` (the user's file) wherever it names `private` (a temporary copy).
/// SQLite's errors without a file are told as `shown`'s (their words kept for the terminal).
fn renamed(e: Error, private: &Path, shown: &Path) -> Error {
    let e = match e {
        Error::Sql(s) => return Error::database_sql(shown, s),
        Error::Database {
            path,
            message,
            source,
        } if path == private => {
            return Error::Database {
                path: shown.to_path_buf(),
                message: message
                    .replace(&private.display().to_string(), &shown.display().to_string()),
                source,
            }
        }
        Error::Io { path, source } if path == private => {
            return Error::Io {
                path: shown.to_path_buf(),
                source,
            }
        }
        other => other,
    };
    let text = e.to_string();
    let private = private.display().to_string();
    if !text.contains(&private) {
        return e;
    }
    let text = text.replace(&private, &shown.display().to_string());
    let text = text
        .strip_prefix(&format!("database {}: ", shown.display()))
        .unwrap_or(&text)
        .to_string();
    Error::database(shown, text)
}

/// How long a restore waits for other users' saves to finish before it takes the write lock.
const RESTORE_WAIT: Duration = Duration::from_secs(60);

/// The `meta` key a restore sets to its audit entry's id: an open app that sees it change knows
/// the register was replaced under it.
pub(super) const RESTORED_BY: &str = "restored_by_entry";

/// Whether a register exists at `dest`, and its file: through a symbolic link, the file it names
/// (its folder made when missing).
fn live_file(dest: &Path) -> Result<(bool, PathBuf)> {
    let existed = dest.exists();
    refuse_special(dest, "a dtoc database")?;
    let live = if existed {
        std::fs::canonicalize(dest).map_err(io(dest))?
    } else {
        dest.to_path_buf()
    };
    if let Some(dir) = live.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    Ok((existed, live))
}

/// SQLCipher answers `PRAGMA page_size` as its `cipher_page_size`, in text.
fn page_size(c: &rusqlite::Connection) -> Result<Option<i64>> {
    use rusqlite::types::Value;
    let v: Value = c.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    Ok(match v {
        Value::Integer(n) => Some(n),
        Value::Text(t) => t.trim().parse().ok(),
        _ => None,
    })
}

/// Copies the register open on `from` (a private file, a copy of `shown`) into the live file
/// `live` (the user's `dest`; a new file when it did not exist) with SQLite's online backup API,
/// so that every connection open on it sees the new register at its next read.
///
/// The first page takes the live file's write lock (waiting up to [`RESTORE_WAIT`] for other
/// users' saves), held to the end; under it `under_lock` runs with a read-only connection to the
/// live file (what it returns is kept until the copy completes, and handed back); then the rest
/// is copied and committed at once. On any failure, or a signal before the last step, the copy's
/// transaction rolls back: the live file is as it was (a file made for it is removed).
fn copy_into_live<T>(
    from: &rusqlite::Connection,
    live: &Path,
    dest: &Path,
    existed: bool,
    shown: &Path,
    progress: &dyn Progress,
    under_lock: impl FnOnce(&rusqlite::Connection, &cipher::Key) -> Result<T>,
) -> Result<T> {
    let _answering = signals::Answering::begin();
    let mut made = TempFile::new(live.to_path_buf());
    if existed {
        made.keep();
    } else {
        drop(create_private(live).map_err(|e| renamed(e, live, dest))?);
    }
    let live_key = cipher::key_for(live, existed)?;
    let mut target = cipher::open_connection(live, OpenFlags::SQLITE_OPEN_READ_WRITE, &live_key)
        .map_err(|e| renamed(e, live, dest))?;
    target.busy_timeout(super::BUSY_TIMEOUT)?;
    if existed && page_size(&target)? != page_size(from)? {
        return Err(Error::database(
            shown,
            "has another page size than the live register: it cannot be copied into it",
        ));
    }
    let in_use = || {
        Error::database(
            dest,
            "is in use: other users' saves did not finish within a minute; try again",
        )
    };
    let done = {
        let backup = rusqlite::backup::Backup::new(from, &mut target)?;
        // The first page takes the live file's write lock, held until the copy is done.
        let started = std::time::Instant::now();
        loop {
            if signals::stopping() {
                return Err(stopped());
            }
            match backup.step(1).map_err(|e| renamed(e.into(), live, dest))? {
                StepResult::Busy | StepResult::Locked if started.elapsed() < RESTORE_WAIT => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                StepResult::Busy | StepResult::Locked => return Err(in_use()),
                _ => break,
            }
        }
        let reader = cipher::open_connection(live, OpenFlags::SQLITE_OPEN_READ_ONLY, &live_key)
            .map_err(|e| renamed(e, live, dest))?;
        let done = under_lock(&reader, &live_key)?;
        if signals::stopping() {
            return Err(stopped());
        }
        progress.phase("replacing", None, Unit::Steps);
        // The lock is held: nothing else can make it wait.
        while backup.step(-1).map_err(|e| renamed(e.into(), live, dest))? != StepResult::Done {}
        done
    };
    drop(target);
    made.keep();
    sync_dir(live);
    Ok(done)
}

impl Store {
    /// Replaces the register at `dest` with the backup `src` (see [`Store::restore_file_with`]).
    pub fn restore_file(
        src: &Path,
        dest: &Path,
        stamp: &str,
        user: Option<&str>,
    ) -> Result<Restored> {
        Self::restore_file_with(src, dest, stamp, user, &Silent)
    }

    /// Replaces the register at `dest` (through a symbolic link: the file it names) with the
    /// backup `src`, through SQLite rather than the file system, so that every open app and
    /// command sees the restored register at its next read and no save goes to a file that is no
    /// longer the register:
    ///
    /// 1. `src` is copied to a private file beside `dest`, opened read-write, brought up to date
    ///    and checked as `dtoc check` checks (integrity with CHECK constraints, foreign keys, the
    ///    schema's tables and triggers, the invariants, the register's rules, the counts against a
    ///    recount, the audit chain): any problem refuses it;
    /// 2. the copy into the live file starts (SQLite's online backup API), which takes the live
    ///    file's write lock and holds it to the end: other users' saves wait;
    /// 3. under that lock the live register is copied the same way to
    ///    `<dest>.before-restore-<stamp>` (0600) and that copy checked;
    /// 4. the live log's entries newer than the backup's last one are carried into the restored
    ///    register with their ids, then the restore's own entry (attributed to `user`), then the
    ///    copy completes in one commit.
    ///
    /// On any failure the live file is unchanged (the copy's transaction rolls back) and no
    /// temporary file is left. `progress` is told `copying` (bytes), `checking`, `keeping`
    /// (pages) and `replacing` (pages).
    pub fn restore_file_with(
        src: &Path,
        dest: &Path,
        stamp: &str,
        user: Option<&str>,
        progress: &dyn Progress,
    ) -> Result<Restored> {
        let unchanged = |e: Error| {
            let live = if dest.exists() {
                format!("the live database {} is unchanged", dest.display())
            } else {
                format!("no database was created at {}", dest.display())
            };
            Error::invalid(format!("not restored: {}; {live}", e.worded()))
        };
        Self::restore_steps(src, dest, stamp, user, progress).map_err(unchanged)
    }

    fn restore_steps(
        src: &Path,
        dest: &Path,
        stamp: &str,
        user: Option<&str>,
        progress: &dyn Progress,
    ) -> Result<Restored> {
        if !src.exists() {
            return Err(Error::invalid(format!("{} does not exist", src.display())));
        }
        refuse_special(src, "a dtoc backup")?;
        let (existed, live) = live_file(dest)?;
        let key = cipher::key_for(src, true)?;
        // The copy that will be installed is the one checked (the source may change meanwhile).
        remove_stale_temps(&live);
        let tmp_path = temp_beside(&live, "restore");
        let _ = std::fs::remove_file(&tmp_path);
        let _tmp = TempFile::new(tmp_path.clone());
        copy_private(src, &tmp_path, "copying", progress)
            .map_err(|e| renamed(e, &tmp_path, dest))?;
        progress.phase("checking", None, Unit::Steps);
        let schema_version = check_candidate(&tmp_path, src, &key)?;
        let mut candidate = Store::open(&tmp_path).map_err(|e| renamed(e, &tmp_path, src))?;
        if let Some(u) = user {
            candidate.set_user(u)?;
        }
        let problems = candidate.check().map_err(|e| renamed(e, &tmp_path, src))?;
        if !problems.is_empty() {
            return Err(Error::database(
                src,
                format!(
                    "is not a sound register ({} problem{} found by check: {})",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" },
                    crate::domain::text::at_most(&problems, crate::error::MAX_LISTED, "; ")
                ),
            ));
        }
        let kept = beside(dest, &format!(".before-restore-{stamp}"));
        let kept_made = copy_into_live(
            &candidate.conn,
            &live,
            dest,
            existed,
            src,
            progress,
            |reader, live_key| {
                if !existed {
                    candidate.restore_entry(src)?;
                    return Ok(None);
                }
                backup_connection(reader, live_key, &kept, "keeping", progress)?;
                let k = TempFile::new(kept.clone());
                check_kept(&kept, reader, live_key)?;
                carry_log(reader, &candidate)?;
                candidate.restore_entry(src)?;
                Ok(Some(k))
            },
        )?;
        let kept = kept_made.map(|mut k| {
            k.keep();
            kept
        });
        Ok(Restored {
            kept,
            schema_version,
        })
    }

    /// Records the restore in the register about to be installed (the last entry), and marks it
    /// with that entry's id (see [`RESTORED_BY`]).
    fn restore_entry(&self, src: &Path) -> Result<()> {
        let at = self.now();
        let tx = self.conn.unchecked_transaction()?;
        let w = Writer {
            tx: &tx,
            user: &self.user,
            at: &at,
        };
        w.audit(
            &AuditEvent::File(FileAction::Restore),
            "database",
            None,
            Some(&src.display().to_string()),
        )?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, last_insert_rowid())
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [RESTORED_BY],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The id of the audit entry of the restore that installed this register, if any: it changes
    /// when the register is replaced by a restore.
    pub fn restored_by(&self) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [RESTORED_BY],
                |r| r.get::<_, rusqlite::types::Value>(0),
            )
            .optional()?
            .map(|v| match v {
                rusqlite::types::Value::Integer(n) => n.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            }))
    }
}

/// The kept copy at `kept` is whole: SQLite's quick check finds nothing and it holds as many
/// audit entries as the live register read by `live`.
fn check_kept(kept: &Path, live: &rusqlite::Connection, key: &cipher::Key) -> Result<()> {
    let conn = cipher::open_connection(kept, OpenFlags::SQLITE_OPEN_READ_ONLY, key)?;
    let quick: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    let entries = |c: &rusqlite::Connection| -> Result<i64> {
        Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
    };
    if quick != "ok" || entries(&conn)? != entries(live)? {
        return Err(Error::database(
            kept,
            "the copy of the live register did not check out whole",
        ));
    }
    Ok(())
}

/// Carries the entries of the live log (read by `live`) newer than the candidate's last one into
/// the candidate, with their ids, chained after the candidate's: what happened since the backup
/// stays on record.
fn carry_log(live: &rusqlite::Connection, candidate: &Store) -> Result<()> {
    let last: i64 =
        candidate
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |r| {
                r.get(0)
            })?;
    let mut read = live.prepare(&format!(
        "SELECT id, {} FROM audit_log WHERE id > ?1 ORDER BY id",
        super::audit::CHAINED
    ))?;
    let mut rows = read.query([last])?;
    let tx = candidate.conn.unchecked_transaction()?;
    while let Some(r) = rows.next()? {
        let fields: Vec<Option<String>> =
            (1..=8).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
        let fields: Vec<Option<&str>> = fields.iter().map(|f| f.as_deref()).collect();
        super::audit::append(&tx, Some(r.get(0)?), &fields)?;
    }
    tx.commit()?;
    Ok(())
}
