//! Support for checking dtoc against its peers, shared by the national benchmark and the tests: the
//! pandas script (`benches/peer_monthly.py`) and the DuckDB script (`benches/peer_duckdb.py`: the
//! monthly report and the import), and a comparison of their figures with dtoc's monthly CSV cell by
//! cell.

use super::NationalConfig;
use anyhow::{ensure, Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Whether `python3 -c 'import pandas'` works.
pub fn pandas_available() -> bool {
    python_has("pandas")
}

/// Whether `python3 -c 'import duckdb'` works (the Python package: `pip install duckdb`).
pub fn duckdb_available() -> bool {
    python_has("duckdb")
}

fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
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

/// What one run of the DuckDB monthly script measured inside itself (after `import duckdb`).
#[derive(Debug, Clone, PartialEq)]
pub struct DuckdbMonthly {
    /// Loading the delays CSV (every column) and the populations into an in-memory database.
    pub load: Duration,
    /// Each computation of the report from the loaded tables, writing the CSV (`--repeat` of them).
    pub compute: Vec<Duration>,
    /// Rows of the report.
    pub rows: u64,
}

/// Runs `peer_duckdb.py monthly` on a delays CSV and its population file (`FILE.population.csv`)
/// for the months and `today` of `cfg`: loads once, computes `repeat` times, the last writing `out`.
pub fn duckdb_monthly(
    script: &Path,
    csv: &Path,
    out: &Path,
    cfg: &NationalConfig,
    las: &[String],
    repeat: usize,
) -> Result<DuckdbMonthly> {
    let mut cmd = Command::new("python3");
    cmd.arg(script)
        .arg("monthly")
        .arg(csv)
        .arg(super::write::population_path(csv))
        .args(["--today", &cfg.today.to_string()])
        .args(["--from", &cfg.from.key(), "--to", &cfg.to.key()])
        .arg("--out")
        .arg(out)
        .args(["--repeat", &repeat.max(1).to_string()]);
    for la in las {
        cmd.args(["--la", la]);
    }
    let v = run_json(&mut cmd, script)?;
    let compute = v["compute"]
        .as_array()
        .context("no compute times")?
        .iter()
        .map(seconds)
        .collect::<Result<Vec<_>>>()?;
    Ok(DuckdbMonthly {
        load: seconds(&v["load"])?,
        compute,
        rows: v["rows"].as_u64().context("no row count")?,
    })
}

/// Runs `peer_duckdb.py import`: `read_csv` of the whole delays file into a table of a fresh
/// DuckDB file `db`. Returns the time measured inside the script and the rows loaded.
pub fn duckdb_import(script: &Path, csv: &Path, db: &Path) -> Result<(Duration, u64)> {
    let mut cmd = Command::new("python3");
    cmd.arg(script).arg("import").arg(csv).arg("--db").arg(db);
    let v = run_json(&mut cmd, script)?;
    Ok((
        seconds(&v["load"])?,
        v["rows"].as_u64().context("no row count")?,
    ))
}

/// Runs a peer script that prints one JSON object on stdout.
fn run_json(cmd: &mut Command, script: &Path) -> Result<serde_json::Value> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .context("running python3")?;
    ensure!(
        out.status.success(),
        "{} failed: {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    let line = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(line.trim())
        .with_context(|| format!("{} printed {:?}", script.display(), line.trim()))
}

fn seconds(v: &serde_json::Value) -> Result<Duration> {
    let s = v.as_f64().context("not a number of seconds")?;
    ensure!(s.is_finite() && s >= 0.0, "{s} is not a time");
    Ok(Duration::from_secs_f64(s))
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
