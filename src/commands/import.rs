//! `dtoc import …`: reads and checks a CSV file (all or nothing) and stores it in one transaction.

use crate::domain::YearMonth;
use crate::store::Store;
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
}

/// `dtoc import KIND FILE`: says what was imported.
pub fn import(
    store: &mut Store,
    what: ImportKind,
    file: &Path,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    writeln!(out, "{}", import_file(store, what, file, today)?)?;
    Ok(())
}

/// Reads, checks and stores one file (the command line's `dtoc import` and the app's import
/// prompts): what was imported, in a line.
pub fn import_file(
    store: &mut Store,
    what: ImportKind,
    file: &Path,
    today: NaiveDate,
) -> crate::Result<String> {
    let summary = match what {
        ImportKind::Published { month } => {
            let read = crate::import::published::read_published(file, month)?;
            return Ok(store.import_published(&read)?.to_string());
        }
        ImportKind::Delays => store.import_delays(&crate::import::read_delays(file, today)?)?,
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
    };
    Ok(summary.to_string())
}
