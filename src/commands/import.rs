//! `dtoc import …`: reads and checks a CSV file (all or nothing) and stores it in one transaction.

use crate::domain::YearMonth;
use crate::progress::{Progress, Silent};
use crate::store::{ImportPath, Store};
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Delays,
    Population,
    Targets,
    /// NHS England's published returns; `month` names the month of an LA-Type-B sheet.
    Published {
        month: Option<YearMonth>,
    },
    Stays,
    DischargeTargets,
    Reported,
    /// Ended delays corrected or reopened.
    Corrections,
}

/// `dtoc import KIND FILE`: says what was imported (`progress`: the command line's bar on stderr).
/// `max_bytes` bounds the file's size (at most [`crate::import::DEFAULT_MAX_BYTES`], which the
/// readers themselves keep to).
pub fn import(
    store: &mut Store,
    what: ImportKind,
    file: &Path,
    max_bytes: u64,
    today: NaiveDate,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    // A directory, a FIFO, a device or a file over the bound: refused before anything is read.
    crate::import::open_input(file, max_bytes)?;
    let done = import_file_with(store, what, file, today, progress);
    progress.finish();
    writeln!(out, "{}", done?)?;
    Ok(())
}

/// Reads, checks and stores one file (the app's import prompts): what was imported, in a line.
pub fn import_file(
    store: &mut Store,
    what: ImportKind,
    file: &Path,
    today: NaiveDate,
) -> crate::Result<String> {
    import_file_with(store, what, file, today, &Silent)
}

/// [`import_file`], telling `progress` how far a delays file is (reading, validating, writing,
/// indexing, counting).
pub fn import_file_with(
    store: &mut Store,
    what: ImportKind,
    file: &Path,
    today: NaiveDate,
    progress: &dyn Progress,
) -> crate::Result<String> {
    let summary = match what {
        ImportKind::Published { month } => {
            let read = crate::import::published::read_published(file, month)?;
            return Ok(store.import_published(&read)?.to_string());
        }
        ImportKind::Delays => {
            let checked = crate::import::read_delays_with(file, today, progress)?;
            store.import_delays_with(&checked, ImportPath::Auto, progress)?
        }
        ImportKind::Population => {
            store.import_population(&crate::import::read_population(file)?)?
        }
        ImportKind::Targets => {
            let c = crate::import::read_targets(file)?;
            crate::import::months_as_of(&c, today)?;
            store.import_targets(&c)?
        }
        ImportKind::Stays => store.import_stays(&crate::import::read_stays(file, today)?)?,
        ImportKind::DischargeTargets => {
            let c = crate::import::read_discharge_targets(file)?;
            crate::import::months_as_of(&c, today)?;
            store.import_discharge_targets(&c)?
        }
        ImportKind::Reported => {
            let r = crate::import::reported::read_reported(file)?;
            r.months_as_of(today)?;
            store.import_reported(&r)?
        }
        ImportKind::Corrections => {
            let c = crate::import::read_corrections(file, today)?;
            return Ok(store.import_corrections(&c, today)?.to_string());
        }
    };
    Ok(summary.to_string())
}
