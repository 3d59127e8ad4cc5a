//! The database as a file: created owner-only, copied out (`backup`) and replaced (`restore`)
//! without ever leaving a half-written or destroyed register behind.
//!
//! - A new database file is created 0600 before SQLite opens it, so its `-wal` and `-shm` (which
//!   SQLite creates with the database file's mode) are owner-only too.
//! - A backup is written under a temporary name beside the target and linked into place at the
//!   end: a backup that fails (disk full) leaves no file, and an existing file is never replaced.
//! - A restore checks the candidate read-only as it is (a SQLite file, `integrity_check` ok, a
//!   dtoc schema of this or an older version with its tables), never migrating it; keeps the live
//!   database as `<db>.before-restore-<YYYYMMDDTHHMMSS>` (0600); and swaps atomically (copied
//!   beside, synced, renamed). On any failure the live file is untouched, and the message says so.

use super::{cipher, migrate, Store};
use crate::error::{Error, Result};
use crate::progress::{Progress, Silent, Unit};
use rusqlite::backup::StepResult;
use rusqlite::OpenFlags;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Tables every dtoc database has had since its first schema version.
const CORE_TABLES: &[&str] = &["local_authority", "delay", "delay_period", "audit_log"];

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

/// `path` with `suffix` added to its file name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// A temporary name beside `path`, unique to this process.
fn temp_beside(path: &Path, what: &str) -> PathBuf {
    beside(path, &format!(".{what}-{}.tmp", std::process::id()))
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
        dst.write_all(&buf[..got]).map_err(io(to))?;
        n += got as u64;
        progress.advance(got as u64);
    }
    dst.sync_all().map_err(io(to))?;
    Ok(n)
}

/// Removes the file on drop unless kept (the temporary files of backup and restore).
struct TempFile(Option<PathBuf>);

impl TempFile {
    fn keep(&mut self) {
        self.0 = None;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(p) = &self.0 {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                let _ = std::fs::remove_file(beside(p, suffix));
            }
        }
    }
}

/// What a restore did: where the live database was kept (when there was one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub kept: Option<PathBuf>,
    pub schema_version: i64,
}

/// Checks that `path` is a dtoc database this dtoc can restore, reading it only: a SQLite file
/// (opened read-only), `integrity_check` ok, a schema version from 1 to this dtoc's, its tables.
pub fn check_candidate(path: &Path, key: &cipher::Key) -> Result<i64> {
    let refuse = |why: String| Error::database(path, why);
    let len = std::fs::metadata(path).map_err(io(path))?.len();
    if len == 0 {
        return Err(refuse("is empty (0 bytes): not a dtoc backup".into()));
    }
    let conn = cipher::open_connection(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        key,
    )?;
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

/// Runs an online backup to completion in steps of [`BACKUP_STEP_PAGES`], pausing between steps
/// so that writers get their turn, and tells `progress` the furthest page reached. A write by
/// another process restarts SQLite's copy from the first page: the count then waits until the copy
/// is back where it was (or, when the write changed the number of pages, or the restart is seen
/// behind it, the phase starts again), so the pages told always add up to the file's.
fn copy_pages(backup: &rusqlite::backup::Backup<'_, '_>, progress: &dyn Progress) -> Result<()> {
    let mut done: Option<(u64, u64)> = None;
    loop {
        let step = backup.step(BACKUP_STEP_PAGES)?;
        let p = backup.progress();
        let total = p.pagecount.max(0) as u64;
        let copied = total.saturating_sub(p.remaining.max(0) as u64);
        match done {
            Some((t, c)) if t == total && c <= copied => progress.advance(copied - c),
            _ => {
                progress.phase("copying", Some(total), Unit::Pages);
                progress.advance(copied);
            }
        }
        done = Some((total, copied));
        match step {
            StepResult::Done => return Ok(()),
            _ => std::thread::sleep(Duration::from_millis(5)),
        }
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
        if dest.exists() {
            return Err(Error::invalid(format!(
                "{} already exists: choose a new file name",
                dest.display()
            )));
        }
        let tmp_path = temp_beside(dest, "backup");
        let _ = std::fs::remove_file(&tmp_path);
        drop(create_private(&tmp_path)?);
        let tmp = TempFile(Some(tmp_path.clone()));
        {
            // With SQLCipher the copy is encrypted with the same key (the backup API copies pages).
            let mut out =
                cipher::open_connection(&tmp_path, OpenFlags::SQLITE_OPEN_READ_WRITE, &self.key)?;
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
                copy_pages(&backup, progress)?;
            }
            // A backup is one self-contained file.
            let _mode: String = out.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        }
        progress.phase("syncing", None, Unit::Steps);
        std::fs::File::open(&tmp_path)
            .and_then(|f| f.sync_all())
            .map_err(io(&tmp_path))?;
        // A hard link never replaces an existing file (unlike rename).
        std::fs::hard_link(&tmp_path, dest).map_err(io(dest))?;
        sync_dir(dest);
        drop(tmp);
        Ok(())
    }

    /// Replaces the database at `dest` with the backup `src` (see the module's notes). `stamp` is
    /// the `YYYYMMDDTHHMMSS` of the kept copy's name (the caller's clock). The restored file is
    /// then opened (and brought up to date) by the caller.
    pub fn restore_file(src: &Path, dest: &Path, stamp: &str) -> Result<Restored> {
        Self::restore_file_with(src, dest, stamp, &Silent)
    }

    /// [`Store::restore_file`], telling `progress` its phases: `copying` the backup beside the
    /// live file (bytes), `checking` it, `keeping` the live database (bytes) and `replacing`.
    pub fn restore_file_with(
        src: &Path,
        dest: &Path,
        stamp: &str,
        progress: &dyn Progress,
    ) -> Result<Restored> {
        let unchanged = |e: Error| {
            let live = if dest.exists() {
                format!("the live database {} is unchanged", dest.display())
            } else {
                format!("no database was created at {}", dest.display())
            };
            Error::invalid(format!("not restored: {e}; {live}"))
        };
        Self::restore_steps(src, dest, stamp, progress).map_err(unchanged)
    }

    fn restore_steps(
        src: &Path,
        dest: &Path,
        stamp: &str,
        progress: &dyn Progress,
    ) -> Result<Restored> {
        if !src.exists() {
            return Err(Error::invalid(format!("{} does not exist", src.display())));
        }
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let key = cipher::key_for(src, true)?;
        // The copy that will be installed is the one checked (the source may change meanwhile).
        let tmp_path = temp_beside(dest, "restore");
        let _ = std::fs::remove_file(&tmp_path);
        let mut tmp = TempFile(Some(tmp_path.clone()));
        copy_private(src, &tmp_path, "copying", progress)?;
        progress.phase("checking", None, Unit::Steps);
        let schema_version = check_candidate(&tmp_path, &key)?;
        let kept = if dest.exists() {
            // Fold the live database's WAL into the file, so the kept copy is whole.
            {
                let live_key = cipher::key_for(dest, true)?;
                let live =
                    cipher::open_connection(dest, OpenFlags::SQLITE_OPEN_READ_WRITE, &live_key)?;
                live.busy_timeout(super::BUSY_TIMEOUT)?;
                live.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    r.get::<_, i64>(0)
                })
                .map_err(|e| Error::database_sql(dest, e))
                .and_then(|busy| {
                    if busy == 0 {
                        Ok(())
                    } else {
                        Err(Error::database(
                            dest,
                            "is in use (its changes could not be folded in): close dtoc everywhere and try again",
                        ))
                    }
                })?;
            }
            let kept = beside(dest, &format!(".before-restore-{stamp}"));
            copy_private(dest, &kept, "keeping", progress)?;
            Some(kept)
        } else {
            None
        };
        progress.phase("replacing", None, Unit::Steps);
        std::fs::rename(&tmp_path, dest).map_err(io(dest))?;
        tmp.keep();
        // The old WAL was checkpointed empty; its index would describe the old file.
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(beside(dest, suffix));
        }
        sync_dir(dest);
        Ok(Restored {
            kept,
            schema_version,
        })
    }
}
