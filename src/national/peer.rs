//! Support for checking dtoc against its pandas peer (`benches/peer_monthly.py`), shared by the
//! national benchmark and the tests: run the script, and compare its figures with dtoc's monthly
//! CSV column by column.

use super::NationalConfig;
use anyhow::{ensure, Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// Whether `python3 -c 'import pandas'` works.
pub fn pandas_available() -> bool {
    Command::new("python3")
        .args(["-c", "import pandas"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs the pandas script on a delays CSV and its population file (`FILE.population.csv`) for the
/// months and `today` of `cfg`, writing its CSV to `out`.
pub fn pandas_monthly(
    script: &Path,
    csv: &Path,
    out: &Path,
    cfg: &NationalConfig,
    las: &[String],
) -> Result<()> {
    let mut cmd = Command::new("python3");
    cmd.arg(script)
        .arg(csv)
        .arg(super::write::population_path(csv))
        .args(["--today", &cfg.today.to_string()])
        .args(["--from", &cfg.from.key(), "--to", &cfg.to.key()])
        .arg("--out")
        .arg(out)
        .stderr(Stdio::null());
    for la in las {
        cmd.args(["--la", la]);
    }
    let status = cmd.status().context("running python3")?;
    ensure!(status.success(), "{} failed", script.display());
    Ok(())
}

/// The columns both compute.
const COLUMNS: [&str; 7] = [
    "delayed_days",
    "days_in_month",
    "population_18plus",
    "population_year",
    "dtoc_beds",
    "rate_per_100k_month",
    "rate_per_100k_day",
];

type Figures = BTreeMap<(String, String, String), Vec<String>>;

fn figures(csv: &[u8]) -> Result<Figures> {
    let mut r = csv::Reader::from_reader(csv);
    let h = r.headers()?.clone();
    let pos = |name: &str| {
        h.iter()
            .position(|x| x == name)
            .with_context(|| format!("no column {name}"))
    };
    let key = [pos("month")?, pos("la_code")?, pos("measure")?];
    let cols: Vec<usize> = COLUMNS.iter().map(|c| pos(c)).collect::<Result<_>>()?;
    let mut out = BTreeMap::new();
    for rec in r.records() {
        let rec = rec?;
        out.insert(
            (
                rec[key[0]].to_string(),
                rec[key[1]].to_string(),
                rec[key[2]].to_string(),
            ),
            cols.iter().map(|&c| rec[c].to_string()).collect(),
        );
    }
    Ok(out)
}

/// The differences between dtoc's monthly CSV and the peer's, keyed by month, authority and
/// measure (at most 5 listed; empty when identical).
pub fn compare_monthly_csv(ours: &[u8], theirs: &[u8]) -> Result<Vec<String>> {
    let (a, b) = (figures(ours)?, figures(theirs)?);
    let mut diff = Vec::new();
    if a.len() != b.len() {
        diff.push(format!(
            "{} rows in dtoc's report, {} in the peer's",
            a.len(),
            b.len()
        ));
    }
    for (k, v) in &a {
        if b.get(k) != Some(v) {
            diff.push(format!("{k:?}: dtoc {v:?}, peer {:?}", b.get(k)));
        }
    }
    diff.truncate(5);
    Ok(diff)
}
