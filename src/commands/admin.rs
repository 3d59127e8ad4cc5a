//! The database itself: where it is, opening it, `dtoc init`, `check`, `backup`, `restore`.

use crate::progress::{Progress, Unit};
use crate::store::files::signals;
use crate::store::{Conversion, FileAction, Store};
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// `$DTOC_DB`, else `dtoc.db` in the platform data directory.
pub fn default_db_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("DTOC_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let dir =
        dirs::data_dir().context("no platform data directory: give --db PATH or set DTOC_DB")?;
    Ok(dir.join("dtoc").join("dtoc.db"))
}

/// Opens (or creates) the database at `path`, says its warnings on stderr, and attributes changes
/// to `user` when given (else `$DTOC_USER` when set). A user name that is empty, too long, or
/// holds a control character or an NHS number is refused before the file is opened.
pub fn open(path: &Path, user: Option<&str>) -> Result<Store> {
    let env = std::env::var("DTOC_USER").ok().filter(|u| !u.is_empty());
    let user = user.or(env.as_deref());
    if let Some(u) = user {
        crate::domain::text::check_user(u)
            .map_err(|rule| anyhow::anyhow!("{rule} (--user NAME or $DTOC_USER)"))?;
    }
    let mut store = Store::open(path)?;
    for w in store.open_warnings() {
        eprintln!("dtoc: warning: {w}");
    }
    if let Some(u) = user {
        store.set_user(u)?;
    }
    Ok(store)
}

/// The today a demo file was written for, if `path` is an existing demo file (the commands
/// and the app take it as today unless `--today` is given). A file that cannot be read is left
/// for the command itself to report.
pub fn demo_today(path: &Path) -> Option<chrono::NaiveDate> {
    if !path.exists() {
        return None;
    }
    Store::open(path).ok()?.demo_today().ok().flatten()
}

/// Opens the existing database at `path` for every command but `init`, `demo`, `restore` and the
/// app (reports, exports, imports, sign-offs, check, backup): a path with no database is refused,
/// never created (a mistyped `--db` must not start a new register).
pub fn open_existing(path: &Path, user: Option<&str>) -> Result<Store> {
    if !path.exists() {
        bail!("no database at {} (dtoc init creates one)", path.display());
    }
    open(path, user)
}

/// `dtoc init`: the database at `path`, created or brought up to date.
pub fn init(path: &Path, user: Option<&str>, out: &mut dyn Write) -> Result<()> {
    let store = open(path, user)?;
    writeln!(
        out,
        "{}: dtoc database, schema version {}",
        path.display(),
        store.schema_version()?
    )?;
    Ok(())
}

/// `dtoc check`: integrity, foreign keys, invariants, counts against a recount; with
/// `repair_counts`, rebuilds the month counts when they are the only problem. `progress` is told
/// each check as it runs (and is finished before anything is written to `out`).
pub fn check(
    path: &Path,
    user: Option<&str>,
    repair_counts: bool,
    repair: bool,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    let mut store = open_existing(path, user)?;
    if repair {
        progress.phase("repairing", None, Unit::Steps);
        let done = store.repair_register()?;
        progress.finish();
        for d in &done {
            writeln!(out, "repaired: {d}")?;
        }
        writeln!(out, "{}: {} repairs made", path.display(), done.len())?;
    }
    let problems = store.check_with(progress)?;
    let counts_only = problems.iter().all(|p| p.starts_with("counts:"));
    if !problems.is_empty() && repair_counts && counts_only {
        progress.phase("rebuilding", None, Unit::Steps);
        store.rebuild_counts()?;
    }
    progress.finish();
    if problems.is_empty() {
        writeln!(out, "{}: ok", path.display())?;
        return Ok(());
    }
    if repair_counts && counts_only {
        writeln!(
            out,
            "{}: {} count differences repaired",
            path.display(),
            problems.len()
        )?;
        return Ok(());
    }
    for p in &problems {
        writeln!(out, "{p}")?;
    }
    bail!(
        "{}: {} problem{} found",
        path.display(),
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    )
}

/// `dtoc backup FILE`: a consistent copy while others keep working (owner-only; no file at all if
/// it fails), recorded in the audit log.
pub fn backup(
    path: &Path,
    user: Option<&str>,
    file: &Path,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    signals::clean_up_on_signals()?;
    let mut store = open_existing(path, user)?;
    // A signal stops the copy at its next step (no file left); once the file is in place, its
    // audit entry is written before dtoc stops.
    let _answering = signals::Answering::begin();
    store.backup_to_with(file, progress)?;
    store.audit_file(FileAction::Backup, "database", None, file)?;
    progress.finish();
    writeln!(out, "backup written to {}", file.display())?;
    Ok(())
}

/// `dtoc restore FILE`: the register at `path` replaced by the backup `file` once it is checked
/// (copied into the live file through SQLite, so open apps see it at their next read); the live
/// register is kept beside it as `<db>.before-restore-<now>`. Recorded in the audit log of the
/// restored register, after the live log's entries newer than the backup's.
pub fn restore(
    path: &Path,
    user: Option<&str>,
    file: &Path,
    now: chrono::NaiveDateTime,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    signals::clean_up_on_signals()?;
    let stamp = now.format("%Y%m%dT%H%M%S").to_string();
    let restored = Store::restore_file_with(file, path, &stamp, user, progress);
    // The bar goes before anything else is said (the open's warnings, the error, the result).
    progress.finish();
    let restored = restored?;
    // Brought up to date and its warnings said, as any open.
    drop(open(path, user)?);
    writeln!(out, "{} restored from {}", path.display(), file.display())?;
    // Where the replaced database went: on stderr, beside the result (as the other notes).
    if let Some(kept) = &restored.kept {
        eprintln!(
            "note: the database it replaced is kept as {} (schema version of the backup: {})",
            kept.display(),
            restored.schema_version
        );
    }
    Ok(())
}

/// `dtoc encrypt --out FILE` / `dtoc decrypt --out FILE`: a converted copy, checked after, owner-only;
/// recorded in the audit log as a backup (the whole register leaves as a file).
pub fn convert(
    path: &Path,
    user: Option<&str>,
    file: &Path,
    way: Conversion,
    out: &mut dyn Write,
) -> Result<()> {
    crate::store::encrypting_plain_file(way == Conversion::Encrypt);
    let mut store = open_existing(path, user)?;
    store.convert_to(file, way)?;
    let what = match way {
        Conversion::Encrypt => "database, encrypted copy",
        Conversion::Decrypt => "database, plain copy",
    };
    store.audit_file(FileAction::Backup, what, None, file)?;
    writeln!(out, "{what} written to {} and checked", file.display())?;
    Ok(())
}
