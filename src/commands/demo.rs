//! `dtoc demo`: a demo database from the synthetic fixtures (built into the binary, so it works
//! from any directory), or a synthetic England at national scale.

use super::admin::open;
use crate::progress::Progress;
use crate::store::Store;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The demo's "today": the fixtures' data run up to the day before.
pub const DEMO_TODAY: &str = "2018-08-15";

/// The demo's coverage (issue 24): the fixtures' hub began recording on 1 April 2017; the delays
/// back-dated before it (patients already delayed that day) are not a complete record.
pub const DEMO_COVERAGE: &str = "2017-04-01";

/// Every site of the register covered from `from` (a generated register states its coverage as an
/// import of a history would).
fn cover_all(store: &mut Store, from: NaiveDate) -> Result<()> {
    let sites: Vec<(String, NaiveDate)> =
        store.sites()?.into_iter().map(|s| (s.code, from)).collect();
    store.set_coverage(&sites, crate::store::CoverageSource::Import)?;
    Ok(())
}

/// How big a national demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct National {
    /// Also write the register as a delays CSV (and its .population.csv).
    pub csv: Option<PathBuf>,
    /// Years of months, ending with the month before today.
    pub years: u32,
    /// Seed of the generator (the same seed, the same register).
    pub seed: u64,
}

/// `dtoc.db`'s demo twin in the platform data directory.
pub fn default_demo_path() -> Result<PathBuf> {
    let dir = dirs::data_dir().context("no platform data directory: give --db PATH")?;
    Ok(dir.join("dtoc").join("dtoc-demo.db"))
}

/// The synthetic fixtures, built into the binary so `dtoc demo` works from any directory.
pub const DEMO_POPULATION: &str = include_str!("../../fixtures/population.csv");
pub const DEMO_TARGETS: &str = include_str!("../../fixtures/targets.csv");
pub const DEMO_DELAYS: &str = include_str!("../../fixtures/delays.csv");
pub const DEMO_SITES: &str = include_str!("../../fixtures/sites.csv");
/// Every inpatient (delayed or not), for pathways and length of stay.
pub const DEMO_STAYS: &str = include_str!("../../fixtures/stays.csv");
pub const DEMO_DISCHARGE_TARGETS: &str = include_str!("../../fixtures/discharge_targets.csv");

/// Writes a fresh national-scale demo database at `path` (over an earlier demo there, through
/// SQLite: see [`Store::write_demo_file`]; any other file is refused) and says what it wrote and
/// how long it took. `progress` is told how the writing goes.
pub fn write_national_demo(
    user: Option<&str>,
    path: &Path,
    today: NaiveDate,
    scale: &National,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<Store> {
    crate::store::files::signals::clean_up_on_signals()?;
    let cfg = crate::national::NationalConfig::years(scale.years, today, scale.seed);
    let w = Store::write_demo_file(path, user, progress, |store| -> Result<_> {
        let w = crate::national::write::write_national_with(
            store,
            &cfg,
            scale.csv.as_deref(),
            progress,
        )?;
        cover_all(store, cfg.from.first_day())?;
        store.set_demo_today(today)?;
        Ok(w)
    })
    .with_context(|| format!("demo database not written to {}", path.display()))?;
    progress.finish();
    let store = open(path, user)?;
    let n = w.generated;
    writeln!(
        out,
        "national demo: {} to {}, seed {}: {} stays, {} delay periods, {} delayed days, {} open; written in {:.1?}",
        cfg.from, cfg.to, cfg.seed, n.stays, n.periods, n.delayed_days, n.open, w.elapsed
    )?;
    if let Some(csv) = &scale.csv {
        writeln!(
            out,
            "delays CSV: {} (populations: {})",
            csv.display(),
            crate::national::write::population_path(csv).display()
        )?;
    }
    Ok(store)
}

/// Writes a fresh demo database at `path` (over an earlier demo there, through SQLite: see
/// [`Store::write_demo_file`]; any other file is refused).
pub fn write_demo(user: Option<&str>, path: &Path, today: NaiveDate) -> Result<Store> {
    crate::store::files::signals::clean_up_on_signals()?;
    Store::write_demo_file(path, user, &crate::progress::Silent, |store| {
        fill_demo(store, today)
    })
    .with_context(|| format!("demo database not written to {}", path.display()))?;
    open(path, user)
}

/// The demo register of the fixtures, written into the new `store`.
fn fill_demo(store: &mut Store, today: NaiveDate) -> Result<()> {
    for line in DEMO_SITES.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 4 {
            bail!("fixtures/sites.csv: bad line {line}");
        }
        store.upsert_site(&crate::store::Site {
            code: f[0].to_string(),
            provider_code: f[1].to_string(),
            name: Some(f[2].to_string()),
            setting: crate::domain::Setting::parse(f[3]).map_err(|e| anyhow::anyhow!(e))?,
        })?;
    }
    let checked = crate::import::read_population_bytes(
        "fixtures/population.csv",
        DEMO_POPULATION.as_bytes(),
    )?;
    store.import_population(&checked)?;
    let checked =
        crate::import::read_targets_bytes("fixtures/targets.csv", DEMO_TARGETS.as_bytes())?;
    store.import_targets(&checked)?;
    let checked =
        crate::import::read_delays_bytes("fixtures/delays.csv", DEMO_DELAYS.as_bytes(), today)?;
    store.import_delays(&checked)?;
    let checked =
        crate::import::read_stays_bytes("fixtures/stays.csv", DEMO_STAYS.as_bytes(), today)?;
    store.import_stays(&checked)?;
    let checked = crate::import::read_discharge_targets_bytes(
        "fixtures/discharge_targets.csv",
        DEMO_DISCHARGE_TARGETS.as_bytes(),
    )?;
    store.import_discharge_targets(&checked)?;
    let from = crate::domain::parse_iso_date(DEMO_COVERAGE).map_err(|e| anyhow::anyhow!(e))?;
    cover_all(store, from.min(today))?;
    // The file remembers its today: opened again, the app and every command use it.
    store.set_demo_today(today)?;
    Ok(())
}
