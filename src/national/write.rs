//! Writing a generated England: straight through the store in large batched transactions (the fast
//! path), and optionally the same register as a delays CSV in the import format, with the
//! populations beside it, for the import benchmark and the peers (sqlite3, pandas).

use super::{
    generate, write_csv_rows, write_population_csv, Calibration, Generated, NationalConfig,
};
use crate::progress::{Progress, Silent, Unit};
use crate::store::Store;
use anyhow::{Context, Result};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What [`write_national`] did, and how long it took.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    pub generated: Generated,
    pub elapsed: Duration,
}

/// The population file written beside a delays CSV: `delays.csv` -> `delays.population.csv`.
pub fn population_path(csv: &Path) -> PathBuf {
    csv.with_extension("population.csv")
}

/// Generates the register of `cfg` into `store` (an empty database: its reference data is written
/// first) and, with `csv`, into that delays file and its population file.
pub fn write_national(
    store: &mut Store,
    cfg: &NationalConfig,
    csv: Option<&Path>,
) -> Result<Written> {
    write_national_with(store, cfg, csv, &Silent)
}

/// [`write_national`], telling `progress` its phases: `writing` (the stays, generated and written
/// batch by batch; the total is known before the first is drawn) and `checkpoint` (the
/// write-ahead log folded into the file).
pub fn write_national_with(
    store: &mut Store,
    cfg: &NationalConfig,
    csv: Option<&Path>,
    progress: &dyn Progress,
) -> Result<Written> {
    let t = Instant::now();
    let cal = Calibration::embedded()?;
    let populations = cal.populations(cfg.from, cfg.to);
    store.bulk_reference(&cal.store_authorities(), &populations, &cal.sites())?;
    let mut writer = match csv {
        Some(path) => {
            let pop = population_path(path);
            write_population_csv(
                BufWriter::new(
                    File::create(&pop).with_context(|| format!("creating {}", pop.display()))?,
                ),
                &cal,
                &populations,
            )?;
            let mut w = csv::Writer::from_writer(BufWriter::with_capacity(
                1 << 20,
                File::create(path).with_context(|| format!("creating {}", path.display()))?,
            ));
            w.write_record(super::csv_header())?;
            Some(w)
        }
        None => None,
    };
    let source = format!("the national generator (seed {})", cfg.seed);
    progress.phase(
        "writing",
        Some(super::stays_to_generate(&cal, cfg)),
        Unit::Rows,
    );
    let generated = generate(&cal, cfg, |batch| -> Result<()> {
        store.bulk_insert_stays(batch, &source)?;
        if let Some(w) = writer.as_mut() {
            for s in batch {
                write_csv_rows(w, s)?;
            }
        }
        progress.advance(batch.len() as u64);
        Ok(())
    })?;
    if let Some(mut w) = writer {
        w.flush()?;
    }
    progress.phase("checkpoint", None, Unit::Steps);
    store.checkpoint()?;
    Ok(Written {
        generated,
        elapsed: t.elapsed(),
    })
}
