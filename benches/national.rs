//! `cargo bench --bench national`: dtoc at the scale of England against its peers, on the same data
//! in the same run, printing one table (medians; p99 for frame times). See BENCHMARKS.md.
//!
//! 1. Generates (once; kept in `DTOC_BENCH_DIR`, default `target/bench-national/`) ten years of a
//!    synthetic England with `dtoc::national` into a database and the same register as a delays
//!    CSV. Those files are only read; everything the bench writes goes to `target/bench-national/`
//!    of this checkout (fresh databases, copies, peer outputs).
//! 2. Import (`national/import.rs`): the national CSV (or its first `DTOC_BENCH_IMPORT_ROWS` rows),
//!    every row validated, into a fresh database with the real `dtoc import delays`, vs `sqlite3`
//!    `.import --csv` of the same file into a bare table and DuckDB's `read_csv` into a table; and
//!    the floors, `sqlite3` `INSERT … SELECT` into dtoc's schema (indexes kept, indexes after).
//! 3. Monthly report, all authorities, ten years, in process and as the real `dtoc report monthly`,
//!    vs `benches/peer_monthly.py` (pandas) and `benches/peer_duckdb.py` (DuckDB: load + compute,
//!    and compute only) on the same CSV; the figures must be identical (checked here, every run).
//!    One authority: the same.
//! 4. Add and end one delay, with every count it changes, vs a full recount of the month counts (on
//!    a copy of the national database).
//! 5. A day's extract (`national/daily.rs`): 500 rows of one day into a copy of the national
//!    database with the real `dtoc import delays`, day after day (`DTOC_BENCH_DAYS`, default 30).
//! 6. The app: one frame of the register with 10,000 open delays; keystroke to frame on the
//!    national database; the app from start to its first frame in a process of its own (time and
//!    peak memory).
//!
//! Environment: `DTOC_BENCH_YEARS` (default 10) and `DTOC_BENCH_RUNS` (default and least 5);
//! `DTOC_BENCH_ONLY=import,report,edit,daily,app` runs only those parts; `DTOC_BENCH_REGENERATE=1`
//! builds the data again; `DTOC_BENCH_DIR` where the data is; `DTOC_BENCH_IMPORT_ROWS` (default 0:
//! the whole CSV) and `DTOC_BENCH_IMPORT_RUNS` (default `DTOC_BENCH_RUNS`); `DTOC_BENCH_DAYS`
//! (default 30).

#[path = "national/daily.rs"]
mod daily;
#[path = "national/import.rs"]
mod import;
#[path = "national/report.rs"]
mod report;

use chrono::{Days, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dtoc::domain::{Attribution, EndKind, LaCode, ReasonCode};
use dtoc::national::write::write_national;
use dtoc::national::{generate, Calibration, NationalConfig};
use dtoc::store::{BulkStay, EndDelay, NewDelay, Store};
use dtoc::ui::{App, ScreenId};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

type R<T> = anyhow::Result<T>;

const SEED: u64 = 1;
const ONE_LA: &str = "E10000018";

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn p99(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[((v.len() as f64 * 0.99).ceil() as usize).clamp(1, v.len()) - 1]
}

fn timed<T>(f: impl FnOnce() -> R<T>) -> R<(Duration, T)> {
    let t = Instant::now();
    let out = f()?;
    Ok((t.elapsed(), out))
}

/// CPU time of this thread: a frame's own cost, whatever else the machine is doing (wall time on
/// a shared machine includes waiting for a core).
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into a live local.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// One line of the results table.
struct Line {
    what: String,
    dtoc: String,
    peer: String,
    ratio: String,
    goal: String,
    met: bool,
}

/// The 1-minute load average and the UTC time (`/proc/loadavg`): beside every part's figures, as
/// the machine may be shared.
fn load_note(part: &str) -> String {
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "?".into());
    format!(
        "{part}: load average {load} at {} UTC",
        chrono::Utc::now().format("%H:%M:%S")
    )
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", ".wal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Set in the child process of [`first_frame`]: the database whose first frame it draws.
const FIRST_FRAME_DB: &str = "DTOC_BENCH_FIRST_FRAME_DB";
const FIRST_FRAME_TODAY: &str = "DTOC_BENCH_FIRST_FRAME_TODAY";

fn main() -> R<()> {
    if let Some(db) = std::env::var_os(FIRST_FRAME_DB) {
        // The child of `first_frame`: what `dtoc --db DB` does from start to its first frame.
        let today: NaiveDate = std::env::var(FIRST_FRAME_TODAY)?.parse()?;
        return dtoc::ui::first_frame(Store::open(Path::new(&db))?, today);
    }
    let years = env_num("DTOC_BENCH_YEARS", 10) as u32;
    let runs = env_num("DTOC_BENCH_RUNS", 5).max(5) as usize;
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let scratch = manifest.join("target/bench-national");
    let dir = std::env::var_os("DTOC_BENCH_DIR").map_or_else(|| scratch.clone(), PathBuf::from);
    std::fs::create_dir_all(&dir)?;
    std::fs::create_dir_all(&scratch)?;
    let today = NaiveDate::from_ymd_opt(2020, 1, 1).ok_or_else(|| anyhow::anyhow!("date"))?;
    let cfg = NationalConfig::years(years, today, SEED);
    let tag = format!("y{years}-s{SEED}");
    let db = dir.join(format!("national-{tag}.db"));
    let csv = dir.join(format!("national-{tag}.csv"));
    let done = dir.join(format!("national-{tag}.done"));
    let mut lines = Vec::new();
    let mut notes = Vec::new();
    let only = std::env::var("DTOC_BENCH_ONLY").unwrap_or_default();
    let part = |name: &str| only.is_empty() || only.split(',').any(|p| p == name);

    // 1. The data.
    if !done.exists() || std::env::var_os("DTOC_BENCH_REGENERATE").is_some() {
        remove_db(&db);
        let _ = std::fs::remove_file(&done);
        let mut store = Store::open(&db)?;
        store.set_user("bench").unwrap();
        eprintln!(
            "generating {years} years of England into {} ...",
            db.display()
        );
        let w = write_national(&mut store, &cfg, Some(&csv))?;
        let g = w.generated;
        let info = format!(
            "generated {} to {}: {} stays, {} delay periods, {} delayed days, {} open at {today}, in {} (database and CSV together)",
            cfg.from, cfg.to, g.stays, g.periods, g.delayed_days, g.open, secs(w.elapsed)
        );
        std::fs::write(&done, &info)?;
    }
    notes.push(std::fs::read_to_string(&done)?);
    let db_size = std::fs::metadata(&db)?.len();
    let csv_size = std::fs::metadata(&csv)?.len();
    notes.push(format!(
        "database {:.0} MB, delays CSV {:.0} MB",
        db_size as f64 / 1e6,
        csv_size as f64 / 1e6
    ));

    // 2. Import.
    if part("import") {
        notes.push(load_note("import starts"));
        import::run(
            &csv, &scratch, &manifest, today, runs, &mut lines, &mut notes,
        )?;
    }
    // 3. Monthly report.
    if part("report") {
        notes.push(load_note("report starts"));
        report::run(
            &db, &csv, &scratch, &manifest, &cfg, today, runs, &mut lines, &mut notes,
        )?;
    }
    // 4. Add and end one delay vs a full recount.
    if part("edit") {
        notes.push(load_note("edit starts"));
        // On a copy: the national files are only read.
        let copy = scratch.join("edit.db");
        daily::copy_db(&db, &copy)?;
        let mut store = Store::open(&copy)?;
        store.set_user("bench").unwrap();
        let (mut adds, mut ends, mut recounts) = (Vec::new(), Vec::new(), Vec::new());
        let la = LaCode::parse(ONE_LA).map_err(|e| anyhow::anyhow!("{e}"))?;
        let site = Calibration::embedded()?
            .authorities
            .iter()
            .find(|a| a.code == ONE_LA)
            .map(|a| a.acute_site.clone())
            .ok_or_else(|| anyhow::anyhow!("no site"))?;
        for i in 0..21 {
            let new = NewDelay {
                local_id: format!("BENCH{}-{i:02}", std::process::id()),
                nhs_number: None,
                admitted_on: today - Days::new(40),
                site_code: site.clone(),
                la_code: la.clone(),
                ready_on: today - Days::new(35),
                reason: ReasonCode::Di,
                attribution: Attribution::SocialCare,
                planned_pathway: None,
                acute_reason: None,
            };
            let (t, id) = timed(|| Ok(store.add_delay(&new, today)?))?;
            adds.push(t);
            let end = EndDelay {
                delay_id: id,
                version: 1,
                on: today - Days::new(1),
                kind: EndKind::Discharged,
                pathway: None,
                destination: None,
                usual_residence: None,
            };
            let (t, ()) = timed(|| Ok(store.end_delay(&end, today)?))?;
            ends.push(t);
            store.delete_delay(id, 2)?;
        }
        for _ in 0..runs {
            let (t, ()) = timed(|| Ok(store.rebuild_counts()?))?;
            recounts.push(t);
        }
        anyhow::ensure!(
            store.count_problems()?.is_empty(),
            "counts differ from a recount"
        );
        let r = median(recounts);
        for (what, v) in [
            ("add one delay (35 days open)", adds),
            ("end one delay (35 delayed days over 2 months)", ends),
        ] {
            let a = median(v.clone());
            lines.push(Line {
                what: format!("{what}, with its counts (p99 {})", ms(p99(v))),
                dtoc: ms(a),
                peer: format!("{} full recount", secs(r)),
                ratio: format!("{:.0}x", r.as_secs_f64() / a.as_secs_f64()),
                goal: "< 5 ms".into(),
                met: a < Duration::from_millis(5),
            });
        }
        drop(store);
        remove_db(&copy);
    }
    // 5. A day's extract.
    if part("daily") {
        notes.push(load_note("daily starts"));
        let days = env_num("DTOC_BENCH_DAYS", 30).max(runs as u64) as usize;
        daily::run(&db, &csv, &scratch, today, days, &mut lines, &mut notes)?;
    }
    // 6. The app.
    if part("app") {
        notes.push(load_note("app starts"));
        let register_db = scratch.join("open-10000.db");
        let open = write_open_register(&register_db, today, 10_000)?;
        let mut app = App::new(Store::open(&register_db)?, today);
        app.update(dtoc::ui::Action::Screen(ScreenId::Register));
        anyhow::ensure!(
            app.data.delays.len() == open,
            "register holds {} delays",
            app.data.delays.len()
        );
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48))?;
        let (mut frames, mut frames_cpu) = (Vec::new(), Vec::new());
        for i in 0..1000 {
            if i % 10 == 0 {
                app.update(dtoc::ui::Action::Down);
            }
            let (t, c) = (Instant::now(), thread_cpu());
            term.draw(|f| dtoc::ui::render(f, &app))?;
            frames.push(t.elapsed());
            frames_cpu.push(thread_cpu().saturating_sub(c));
        }
        let p = p99(frames.clone());
        lines.push(Line {
            what: format!(
                "app: one frame of the register, {open} open delays (160x48; p99 of 1000)"
            ),
            dtoc: format!(
                "p99 {} (median {}); CPU p99 {}",
                ms(p),
                ms(median(frames)),
                ms(p99(frames_cpu))
            ),
            peer: "-".into(),
            ratio: "-".into(),
            goal: "p99 < 5 ms".into(),
            met: p < Duration::from_millis(5),
        });
        drop(app);

        let (t_new, mut app) = timed(|| Ok(App::new(Store::open(&db)?, today)))?;
        notes.push(format!(
            "App::new on the national database in this process (every screen's data loaded; the first opening after the other parts, so a cold page cache): {}; {} open delays",
            ms(t_new),
            app.data.delays.len()
        ));
        let keys: Vec<KeyCode> = "2jjjkGg"
            .chars()
            .map(KeyCode::Char)
            .chain([KeyCode::PageDown, KeyCode::PageUp])
            .chain("1jk5jk4jk6".chars().map(KeyCode::Char))
            .chain([KeyCode::Tab, KeyCode::BackTab])
            .collect();
        let (mut strokes, mut strokes_cpu) = (Vec::new(), Vec::new());
        for i in 0..(keys.len() * 20) {
            let key = KeyEvent::new(keys[i % keys.len()], KeyModifiers::NONE);
            let (t, c) = (Instant::now(), thread_cpu());
            app.handle_key(&key);
            term.draw(|f| dtoc::ui::render(f, &app))?;
            strokes.push(t.elapsed());
            strokes_cpu.push(thread_cpu().saturating_sub(c));
        }
        let p = p99(strokes.clone());
        lines.push(Line {
            what: format!(
                "app: keystroke to frame, national database (p99 of {})",
                strokes.len()
            ),
            dtoc: format!(
                "p99 {} (median {}); CPU p99 {}",
                ms(p),
                ms(median(strokes)),
                ms(p99(strokes_cpu))
            ),
            peer: "-".into(),
            ratio: "-".into(),
            goal: "p99 < 16 ms".into(),
            met: p < Duration::from_millis(16),
        });
        drop(app);

        let mut starts = Vec::new();
        let mut peak = 0;
        for _ in 0..runs {
            let (t, rss) = first_frame(&db, today)?;
            starts.push(t);
            peak = peak.max(rss);
        }
        let a = median(starts);
        lines.push(Line {
            what: "app: start to first frame, national database (real binary)".into(),
            dtoc: format!("{}, peak RSS {:.0} MB", ms(a), peak as f64 / 1024.0),
            peer: "-".into(),
            ratio: "-".into(),
            goal: "< 150 ms, < 100 MB".into(),
            met: a < Duration::from_millis(150) && peak < 100 * 1024,
        });
    }
    notes.push(load_note("end"));
    print_table(&lines, &notes, runs);
    Ok(())
}

/// A register of `n` open delays (and nothing else) from the national generator: the open stays of
/// a busy month.
fn write_open_register(path: &Path, today: NaiveDate, n: usize) -> R<usize> {
    remove_db(path);
    let cal = Calibration::embedded()?;
    let mut store = Store::open(path)?;
    store.set_user("bench").unwrap();
    let cfg = NationalConfig {
        volume: 3.0,
        ..NationalConfig::years(1, today, SEED)
    };
    let cfg = NationalConfig {
        from: cfg.to,
        ..cfg
    };
    store.bulk_reference(
        &cal.store_authorities(),
        &cal.populations(cfg.from, cfg.to),
        &cal.sites(),
    )?;
    let mut open: Vec<BulkStay> = Vec::new();
    generate(&cal, &cfg, |batch| -> R<()> {
        open.extend(
            batch
                .iter()
                .filter(|s| s.delays.iter().any(|d| d.end_kind.is_none()))
                .cloned(),
        );
        Ok(())
    })?;
    open.truncate(n);
    store.bulk_insert_stays(&open, "bench")?;
    Ok(open.len())
}

/// Runs the app from start to its first frame in a fresh process (this bench binary again, which
/// opens the database and calls `dtoc::ui::first_frame`, as `dtoc --db DB` does before its first
/// frame): wall time and peak resident memory (KiB). The memory is read by GNU time
/// (`/usr/bin/time -f %M`): a child of this process would inherit this process's high-water mark
/// through fork and exec (Linux keeps the larger of the two).
fn first_frame(db: &Path, today: NaiveDate) -> R<(Duration, u64)> {
    let t = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(std::env::current_exe()?)
        .env(FIRST_FRAME_DB, db)
        .env(FIRST_FRAME_TODAY, today.to_string())
        .stdout(Stdio::null())
        .output()?;
    let elapsed = t.elapsed();
    anyhow::ensure!(
        out.status.success(),
        "dtoc failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kib = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no peak memory from /usr/bin/time"))?;
    Ok((elapsed, kib))
}

fn print_table(lines: &[Line], notes: &[String], runs: usize) {
    println!();
    println!("| what | dtoc | peer | ratio | goal | met |");
    println!("|---|---|---|---|---|---|");
    for l in lines {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            l.what,
            l.dtoc,
            l.peer,
            l.ratio,
            l.goal,
            if l.met { "yes" } else { "**no**" }
        );
    }
    println!();
    println!("Times are medians of {runs} runs unless a p99 is given.");
    for n in notes {
        println!("- {n}");
    }
}
