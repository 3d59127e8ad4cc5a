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
    /// Each site's wards.
    Wards,
}

/// What an import of a delays history states about its sites' coverage (`--coverage-from`,
/// issue 24): each site's earliest ready date in the file, or one day for every site in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverageFrom {
    Earliest,
    Day(NaiveDate),
}

impl std::str::FromStr for CoverageFrom {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        if s == "earliest" {
            return Ok(Self::Earliest);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Self::Day)
            .map_err(|_| format!("`{s}` is neither a date (YYYY-MM-DD) nor `earliest`"))
    }
}

/// `dtoc import delays FILE --coverage-from DATE|earliest`: the import, then the coverage it states
/// for each site of the file (audited, source `import`). Without `--coverage-from` a site's coverage
/// is the day its first record was entered (today).
#[allow(clippy::too_many_arguments)]
pub fn import_history(
    store: &mut Store,
    file: &Path,
    max_bytes: u64,
    coverage: CoverageFrom,
    today: NaiveDate,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    if let CoverageFrom::Day(d) = coverage {
        super::monthly::not_future("--coverage-from", &d, d, today)?;
    }
    crate::import::open_input(file, max_bytes)?;
    store.set_entry_day(today);
    let checked = crate::import::read_delays_with(file, today, progress)?;
    let done = store.import_delays_with(&checked, ImportPath::Auto, progress);
    progress.finish();
    writeln!(out, "{}", done?)?;
    let mut sites: std::collections::BTreeMap<String, NaiveDate> = Default::default();
    for r in &checked.records {
        let day = match coverage {
            CoverageFrom::Day(d) => d,
            CoverageFrom::Earliest => r.start,
        };
        sites
            .entry(r.site.clone())
            .and_modify(|d| *d = (*d).min(day))
            .or_insert(day);
    }
    let sites: Vec<(String, NaiveDate)> = sites.into_iter().collect();
    store.set_coverage(&sites, crate::store::CoverageSource::Import)?;
    for (site, day) in &sites {
        writeln!(out, "coverage of {site} from {day} (stated by the import)")?;
    }
    Ok(())
}

/// What an import that states no coverage left (issue 24): the sites of the file covered from
/// today, the day their first record was entered, although the file has earlier ready dates; and
/// how to say that the file is their whole record from an earlier day.
fn entered_today(
    store: &Store,
    records: &[crate::import::DelayRecord],
    today: NaiveDate,
) -> crate::Result<String> {
    let coverage = store.coverage()?;
    let mut earliest: std::collections::BTreeMap<&str, NaiveDate> = Default::default();
    for r in records {
        let e = earliest.entry(r.site.as_str()).or_insert(r.start);
        *e = (*e).min(r.start);
    }
    let sites: Vec<String> = earliest
        .iter()
        .filter(|(site, first)| {
            **first < today
                && coverage.sites.iter().any(|c| {
                    c.site_code == **site
                        && c.from == today
                        && c.source == crate::store::CoverageSource::Entered
                })
        })
        .map(|(site, first)| format!("{site} (earliest ready date {first})"))
        .collect();
    if sites.is_empty() {
        return Ok(String::new());
    }
    Ok(format!(
        "\ncoverage from {today}, the day their first record was entered: {}; the days before are blank. \
         If the file is the whole record from an earlier day, import it with --coverage-from earliest|YYYY-MM-DD, \
         or set it (Settings, or `dtoc coverage set`)",
        sites.join(", ")
    ))
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
    // A site whose first record this import enters is covered from today (issue 24).
    store.set_entry_day(today);
    let summary = match what {
        ImportKind::Published { month } => {
            let read = crate::import::published::read_published(file, month)?;
            return Ok(store.import_published(&read)?.to_string());
        }
        ImportKind::Delays => {
            let checked = crate::import::read_delays_with(file, today, progress)?;
            let summary = store.import_delays_with(&checked, ImportPath::Auto, progress)?;
            return Ok(format!(
                "{summary}{}",
                entered_today(store, &checked.records, today)?
            ));
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
        ImportKind::Wards => store.import_wards(&crate::import::read_wards(file)?.records)?,
    };
    Ok(summary.to_string())
}
