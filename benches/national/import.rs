//! The import part: `dtoc import delays` (the real binary, what an analyst runs) of the national CSV
//! into a fresh database, against `sqlite3 .import --csv` into a bare table and DuckDB's `read_csv`
//! into a table, the same file in the same run; and the floors, what SQLite itself takes to put the
//! same rows into dtoc's schema (`benches/sqlite3_schema_floor*.sql`, run once).

use super::{env_num, median, remove_db, secs, timed, Line, R};
use chrono::NaiveDate;
use dtoc::national::peer::{duckdb_available, duckdb_import};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn rate(rows: usize, t: Duration) -> String {
    format!("{:.0} rows/s ({})", rows as f64 / t.as_secs_f64(), secs(t))
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    csv: &Path,
    scratch: &Path,
    manifest: &Path,
    today: NaiveDate,
    runs: usize,
    lines: &mut Vec<Line>,
    notes: &mut Vec<String>,
) -> R<()> {
    // DTOC_BENCH_IMPORT_ROWS: the first N rows (whole stays); 0 or unset: the whole CSV.
    let want = env_num("DTOC_BENCH_IMPORT_ROWS", 0) as usize;
    // DTOC_BENCH_IMPORT_RUNS: fewer runs of this part (the whole CSV takes minutes a run).
    let runs = env_num("DTOC_BENCH_IMPORT_RUNS", runs as u64).max(1) as usize;
    let (file, rows) = if want == 0 {
        (csv.to_path_buf(), data_rows(csv)?)
    } else {
        let f = scratch.join(format!("import-{want}.csv"));
        let n = first_rows(csv, &f, want)?;
        (f, n)
    };
    let what = if want == 0 {
        format!("the whole national CSV, {rows} rows")
    } else {
        format!("the first {rows} rows of the national CSV")
    };
    notes.push(format!("import: medians of {runs} runs"));
    let duck = duckdb_available();
    let script = manifest.join("benches/peer_duckdb.py");
    let fresh = scratch.join("import.db");
    let bare = scratch.join("import-sqlite3.db");
    let duck_db = scratch.join("import.duckdb");
    let (mut ours, mut sqlite, mut duck_in, mut duck_all) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut said = String::new();
    for _ in 0..runs {
        remove_db(&fresh);
        let (t, out) = timed(|| dtoc_import(&fresh, &file, today))?;
        ours.push(t);
        said = out;
        let stored = count(&fresh, "delay_period")?;
        anyhow::ensure!(
            stored == rows,
            "dtoc stored {stored} periods of {rows} rows"
        );
        remove_db(&fresh);
        remove_db(&bare);
        let (t, ()) = timed(|| sqlite3_import(&bare, &file))?;
        sqlite.push(t);
        let stored = count(&bare, "delays")?;
        anyhow::ensure!(stored == rows, "sqlite3 stored {stored} of {rows} rows");
        remove_db(&bare);
        if duck {
            remove_db(&duck_db);
            let (t, (inside, n)) = timed(|| duckdb_import(&script, &file, &duck_db))?;
            anyhow::ensure!(n as usize == rows, "DuckDB loaded {n} of {rows} rows");
            duck_all.push(t);
            duck_in.push(inside);
            remove_db(&duck_db);
        }
    }
    let (a, b) = (median(ours), median(sqlite));
    let ratio = b.as_secs_f64() / a.as_secs_f64();
    lines.push(Line {
        what: format!(
            "import {what}, every row validated, into a fresh database: `dtoc import delays FILE --db fresh.db` (the release binary, whole process)"
        ),
        dtoc: rate(rows, a),
        peer: format!(
            "{}: `sqlite3 .import --csv` into a bare table",
            rate(rows, b)
        ),
        ratio: format!("{ratio:.2}x"),
        goal: ">= 0.5x".into(),
        met: ratio >= 0.5,
    });
    notes.push(format!("dtoc import said: {said}"));
    if duck {
        let (i, w) = (median(duck_in), median(duck_all));
        lines.push(Line {
            what: format!("import {what}: DuckDB `read_csv` into a table of a fresh database file"),
            dtoc: rate(rows, a),
            peer: format!(
                "{} inside the script; {} whole process (python3 + import duckdb)",
                rate(rows, i),
                rate(rows, w)
            ),
            ratio: format!("{:.2}x", w.as_secs_f64() / a.as_secs_f64()),
            goal: "-".into(),
            met: true,
        });
    } else {
        notes.push(
            "duckdb is not installed (pip install duckdb): its import and report peers were skipped"
                .into(),
        );
    }
    // The floors: once each (they take as long as dtoc or longer).
    for (name, sql) in [
        (
            "indexes kept while inserting",
            "benches/sqlite3_schema_floor.sql",
        ),
        (
            "secondary indexes built after, rows in stay order",
            "benches/sqlite3_schema_floor_indexes_after.sql",
        ),
    ] {
        let (t, sql_time) = floor(&manifest.join(sql), &file, manifest, scratch, rows)?;
        lines.push(Line {
            what: format!(
                "floor: `sqlite3` `.import` + `INSERT … SELECT` into dtoc's schema, {name} (`{sql}`, one run; no validation, merge or counts)"
            ),
            dtoc: rate(rows, a),
            peer: format!("{} ({} of it SQL after the .import)", rate(rows, t), secs(sql_time)),
            ratio: format!("{:.2}x", t.as_secs_f64() / a.as_secs_f64()),
            goal: "-".into(),
            met: true,
        });
    }
    Ok(())
}

/// Rows of a CSV file (lines after the header; the national CSV has no line breaks in fields).
fn data_rows(csv: &Path) -> R<usize> {
    let mut input = BufReader::with_capacity(1 << 20, std::fs::File::open(csv)?);
    let mut n = 0usize;
    let mut buf = Vec::new();
    while input.read_until(b'\n', &mut buf)? > 0 {
        n += 1;
        buf.clear();
    }
    Ok(n.saturating_sub(1))
}

/// Copies the header and the first `n` rows of `src` to `dst`, ending at a stay boundary (a stay's
/// rows stay together). Returns the rows written.
fn first_rows(src: &Path, dst: &Path, n: usize) -> R<usize> {
    let mut input = BufReader::new(std::fs::File::open(src)?);
    let mut out = BufWriter::new(std::fs::File::create(dst)?);
    let mut line = String::new();
    input.read_line(&mut line)?;
    out.write_all(line.as_bytes())?;
    let mut rows = 0;
    let mut last_id = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        let id = line.split(',').next().unwrap_or("").to_string();
        if rows >= n && id != last_id {
            break;
        }
        out.write_all(line.as_bytes())?;
        rows += 1;
        last_id = id;
    }
    out.flush()?;
    Ok(rows)
}

fn count(db: &Path, table: &str) -> R<usize> {
    let conn = rusqlite::Connection::open(db)?;
    let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
    Ok(n as usize)
}

/// `dtoc import delays FILE --db DB`: what it printed.
fn dtoc_import(db: &Path, csv: &Path, today: NaiveDate) -> R<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_dtoc"))
        .args(["import", "delays"])
        .arg(csv)
        .arg("--db")
        .arg(db)
        .args(["--today", &today.to_string(), "--user", "bench"])
        .stdin(Stdio::null())
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "dtoc import delays failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn sqlite3_import(db: &Path, csv: &Path) -> R<()> {
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    if let Some(stdin) = child.stdin.as_mut() {
        writeln!(stdin, ".import --csv {} delays", csv.display())?;
    }
    drop(child.stdin.take());
    anyhow::ensure!(child.wait()?.success(), "sqlite3 .import failed");
    Ok(())
}

/// Runs a floor script with its `.import` line pointing at `csv` and `schema.sql` at the
/// repository's: the whole process's time and the sum of its SQL statements' (`.timer on`).
fn floor(
    script: &Path,
    csv: &Path,
    manifest: &Path,
    scratch: &Path,
    rows: usize,
) -> R<(Duration, Duration)> {
    let text = std::fs::read_to_string(script)?;
    let sql: String = text
        .lines()
        .map(|l| {
            if l.starts_with(".import --csv ") {
                format!(".import --csv {} raw", csv.display())
            } else if l.trim() == ".read schema.sql" {
                format!(".read {}", manifest.join("schema.sql").display())
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let db: PathBuf = scratch.join("floor.db");
    remove_db(&db);
    let t = Instant::now();
    let mut child = Command::new("sqlite3")
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(sql.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    let elapsed = t.elapsed();
    remove_db(&db);
    anyhow::ensure!(out.status.success(), "{} failed", script.display());
    let text = String::from_utf8_lossy(&out.stdout);
    let mut in_sql = Duration::ZERO;
    let mut last = 0;
    for l in text.lines() {
        if let Some(rest) = l.strip_prefix("Run Time: real ") {
            let s: f64 = rest
                .split_whitespace()
                .next()
                .and_then(|x| x.parse().ok())
                .unwrap_or(0.0);
            in_sql += Duration::from_secs_f64(s);
        } else if let Ok(n) = l.trim().parse::<usize>() {
            last = n;
        }
    }
    anyhow::ensure!(
        last == rows,
        "{}: {last} periods of {rows} rows",
        script.display()
    );
    Ok((elapsed, in_sql))
}
