//! The report part: the monthly report of all authorities (and of one) over the national register,
//! by dtoc in process and as the real `dtoc report monthly … --format csv` (warm), against the
//! pandas peer (`benches/peer_monthly.py`, whole process) and the DuckDB peer
//! (`benches/peer_duckdb.py`: loading the CSV + computing, and computing with the data loaded).
//! Every peer's CSV is compared with dtoc's cell by cell; a difference fails the bench.

use super::{median, ms, secs, timed, Line, ONE_LA, R};
use chrono::NaiveDate;
use dtoc::commands::monthly::load_monthly;
use dtoc::commands::output::Format;
use dtoc::commands::report::write_monthly;
use dtoc::national::peer::{
    compare_monthly_csv, duckdb_available, duckdb_monthly, pandas_available, pandas_monthly,
};
use dtoc::national::NationalConfig;
use dtoc::store::Store;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Computations of the report per DuckDB process: the first after loading, the rest warm.
const DUCKDB_REPEAT: usize = 3;

fn same(what: &str, ours: &[u8], theirs: &[u8]) -> R<()> {
    let diff = compare_monthly_csv(ours, theirs)?;
    anyhow::ensure!(
        diff.is_empty(),
        "dtoc and {what} differ: {}",
        diff.join("; ")
    );
    Ok(())
}

/// `dtoc report monthly --format csv --out FILE`, the real binary.
fn dtoc_report(db: &Path, cfg: &NationalConfig, las: &[String], out: &Path) -> R<()> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dtoc"));
    cmd.args(["report", "monthly", "--format", "csv"])
        .args(["--from", &cfg.from.key(), "--to", &cfg.to.key()])
        .args(["--today", &cfg.today.to_string()])
        .arg("--db")
        .arg(db)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null());
    for la in las {
        cmd.args(["--la", la]);
    }
    let o = cmd.output()?;
    anyhow::ensure!(
        o.status.success(),
        "dtoc report monthly failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    db: &Path,
    csv: &Path,
    scratch: &Path,
    manifest: &Path,
    cfg: &NationalConfig,
    today: NaiveDate,
    runs: usize,
    lines: &mut Vec<Line>,
    notes: &mut Vec<String>,
) -> R<()> {
    let store = Store::open(db)?;
    let pandas = pandas_available();
    let duck = duckdb_available();
    if !pandas {
        notes.push(
            "pandas is not installed (pip install pandas): its peer runs were skipped".into(),
        );
    }
    if !duck {
        notes.push(
            "duckdb is not installed (pip install duckdb): its peer runs were skipped".into(),
        );
    }
    let months = cfg.from.range_inclusive(cfg.to).count();
    for las in [vec![], vec![ONE_LA.to_string()]] {
        let all = las.is_empty();
        let mut ours = Vec::new();
        let mut report = Vec::new();
        for _ in 0..runs {
            let (t, out) = timed(|| {
                let m = load_monthly(&store, cfg.from, cfg.to, &las, today)?;
                let mut out = Vec::new();
                write_monthly(&m.rows, Format::Csv, &mut out)?;
                Ok(out)
            })?;
            ours.push(t);
            report = out;
        }
        let a = median(ours);
        let rows = report
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            .saturating_sub(1);
        let what = if all {
            format!("monthly report, all 152 authorities, {months} months ({rows} rows), CSV")
        } else {
            format!("monthly report, one authority ({ONE_LA}), {months} months, CSV")
        };
        // The real binary: one run to warm the page cache, then the timed ones.
        let out = scratch.join("dtoc-report.csv");
        dtoc_report(db, cfg, &las, &out)?;
        same("dtoc report monthly", &report, &std::fs::read(&out)?)?;
        let mut whole = Vec::new();
        for _ in 0..runs {
            let (t, ()) = timed(|| dtoc_report(db, cfg, &las, &out))?;
            whole.push(t);
        }
        let w = median(whole);
        same("dtoc report monthly", &report, &std::fs::read(&out)?)?;
        let dtoc = format!(
            "{} in process; {} whole process (`dtoc report monthly`)",
            ms(a),
            ms(w)
        );
        if pandas {
            let mut theirs = Vec::new();
            let out = scratch.join("pandas.csv");
            let script = manifest.join("benches/peer_monthly.py");
            for _ in 0..runs {
                let (t, ()) = timed(|| pandas_monthly(&script, csv, &out, cfg, &las))?;
                theirs.push(t);
                same("pandas", &report, &std::fs::read(&out)?)?;
            }
            let b = median(theirs);
            let ratio = b.as_secs_f64() / a.as_secs_f64();
            lines.push(Line {
                what: what.clone(),
                dtoc: dtoc.clone(),
                peer: format!(
                    "{}: pandas (`peer_monthly.py`, whole process), figures identical",
                    secs(b)
                ),
                ratio: format!(
                    "{ratio:.0}x ({:.0}x whole process)",
                    b.as_secs_f64() / w.as_secs_f64()
                ),
                goal: if all {
                    ">= 20x faster, identical".into()
                } else {
                    "< 100 ms, identical".into()
                },
                met: if all {
                    ratio >= 20.0
                } else {
                    a < Duration::from_millis(100)
                },
            });
        } else {
            lines.push(Line {
                what: what.clone(),
                dtoc: dtoc.clone(),
                peer: "skipped (no pandas)".into(),
                ratio: "-".into(),
                goal: if all { ">= 20x faster" } else { "< 100 ms" }.into(),
                met: !all && a < Duration::from_millis(100),
            });
        }
        if duck {
            let out = scratch.join("duckdb.csv");
            let script = manifest.join("benches/peer_duckdb.py");
            let (mut cold, mut warm) = (Vec::new(), Vec::new());
            for _ in 0..runs {
                let _ = std::fs::remove_file(&out);
                let d = duckdb_monthly(&script, csv, &out, cfg, &las, DUCKDB_REPEAT)?;
                same("DuckDB", &report, &std::fs::read(&out)?)?;
                anyhow::ensure!(d.rows as usize == rows, "DuckDB wrote {} rows", d.rows);
                cold.push(d.load + d.compute[0]);
                warm.extend(d.compute.iter().skip(1).copied());
            }
            let (c, h) = (median(cold), median(warm));
            lines.push(Line {
                what: format!("{what}: DuckDB"),
                dtoc: dtoc.clone(),
                peer: format!(
                    "DuckDB (`peer_duckdb.py`), figures identical: {} loading the CSV + computing; {} computing with the data loaded (writing the CSV itself)",
                    secs(c),
                    ms(h)
                ),
                ratio: format!(
                    "{:.0}x in process, {:.1}x whole process (vs computing only)",
                    h.as_secs_f64() / a.as_secs_f64(),
                    h.as_secs_f64() / w.as_secs_f64()
                ),
                goal: "identical".into(),
                met: true,
            });
        }
    }
    Ok(())
}
