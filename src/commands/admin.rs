//! The database itself: where it is, opening it, `dtoc init`, `check`, `backup`, `restore`.

use crate::store::Store;
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
/// to `user` when given.
pub fn open(path: &Path, user: Option<&str>) -> Result<Store> {
    let mut store = Store::open(path)?;
    for w in store.open_warnings() {
        eprintln!("dtoc: warning: {w}");
    }
    if let Some(u) = user {
        store.set_user(u);
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
/// `repair_counts`, rebuilds the month counts when they are the only problem.
pub fn check(
    path: &Path,
    user: Option<&str>,
    repair_counts: bool,
    repair: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let mut store = open(path, user)?;
    if repair {
        let done = store.repair_register()?;
        for d in &done {
            writeln!(out, "repaired: {d}")?;
        }
        writeln!(out, "{}: {} repairs made", path.display(), done.len())?;
    }
    let problems = store.check()?;
    if problems.is_empty() {
        writeln!(out, "{}: ok", path.display())?;
        return Ok(());
    }
    let counts_only = problems.iter().all(|p| p.starts_with("counts:"));
    if repair_counts && counts_only {
        store.rebuild_counts()?;
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

/// `dtoc backup FILE`: a consistent copy while others keep working.
pub fn backup(path: &Path, user: Option<&str>, file: &Path, out: &mut dyn Write) -> Result<()> {
    let store = open(path, user)?;
    store.backup_to(file)?;
    writeln!(out, "backup written to {}", file.display())?;
    Ok(())
}

/// `dtoc restore FILE`: the database at `path` replaced by the checked backup `file`.
pub fn restore(path: &Path, file: &Path, out: &mut dyn Write) -> Result<()> {
    Store::restore_from(file, path)?;
    writeln!(out, "{} restored from {}", path.display(), file.display())?;
    Ok(())
}
