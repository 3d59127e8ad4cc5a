//! Progress of long work (issue 19, item 3): `backup`, `restore`, `check` and the national demo
//! tell their phases, and the counts of each phase add up to its total; through the real binary,
//! a bar appears on a terminal's stderr and is gone at the end, and a pipe gets exactly what it got
//! before (nothing more, not one escape code).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::cli::{demo, dtoc};
use dtoc::domain::YearMonth;
use dtoc::national::write::write_national_with;
use dtoc::national::{stays_to_generate, Calibration, NationalConfig};
use dtoc::progress::{Progress, Recorder, Unit};
use dtoc::store::Store;
use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

type Phases = Vec<(String, Option<u64>, u64)>;

fn names(phases: &Phases) -> Vec<&str> {
    phases.iter().map(|p| p.0.as_str()).collect()
}

/// The phase `name` (the last one of that name: a restarted copy starts its phase again).
fn phase<'a>(phases: &'a Phases, name: &str) -> &'a (String, Option<u64>, u64) {
    phases
        .iter()
        .rev()
        .find(|p| p.0 == name)
        .unwrap_or_else(|| panic!("no phase {name} in {phases:?}"))
}

#[test]
fn a_backup_counts_every_page_of_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let store = Store::open(&db).unwrap();
    let file = dir.path().join("copy.db");
    let rec = Recorder::default();
    store.backup_to_with(&file, &rec).unwrap();
    let phases = rec.phases();
    assert_eq!(names(&phases), ["copying", "syncing"]);
    let (_, total, copied) = phase(&phases, "copying");
    let pages = total.unwrap();
    // Every page, in more than one step of 256 pages.
    assert_eq!(*copied, pages);
    assert!(
        pages > dtoc::store::files::BACKUP_STEP_PAGES as u64,
        "{pages} pages"
    );
    // The copy is exactly that many pages long.
    let len = std::fs::metadata(&file).unwrap().len();
    assert_eq!(len % pages, 0, "{len} bytes, {pages} pages");
    let page_size = len / pages;
    assert!(
        page_size.is_power_of_two() && (512..=65536).contains(&page_size),
        "{page_size}"
    );
}

/// Writes to the database through another connection at the first report of progress (between
/// two steps of the backup, when others may write), then only records.
struct WritesOnce {
    other: std::sync::Mutex<Option<Store>>,
    rec: Recorder,
}

impl Progress for WritesOnce {
    fn phase(&self, name: &'static str, total: Option<u64>, unit: Unit) {
        self.rec.phase(name, total, unit);
    }
    fn advance(&self, n: u64) {
        self.rec.advance(n);
        if let Some(mut other) = self.other.lock().unwrap().take() {
            other.set_demo_today(common::d("2018-09-01")).unwrap();
        }
    }
    fn finish(&self) {}
}

#[test]
fn a_backup_while_another_process_writes_still_counts_every_page_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let store = Store::open(&db).unwrap();
    let file = dir.path().join("copy.db");
    let p = WritesOnce {
        other: std::sync::Mutex::new(Some(Store::open(&db).unwrap())),
        rec: Recorder::default(),
    };
    store.backup_to_with(&file, &p).unwrap();
    assert!(p.other.lock().unwrap().is_none(), "the write was made");
    let phases = p.rec.phases();
    assert_eq!(names(&phases).last(), Some(&"syncing"));
    let (_, total, copied) = phase(&phases, "copying");
    assert_eq!(Some(*copied), *total, "{phases:?}");
    // The copy is of the snapshot it began with (the write did not restart it: one pass); the
    // write is in the live file.
    assert_eq!(
        names(&phases).iter().filter(|n| **n == "copying").count(),
        1,
        "{phases:?}"
    );
    assert_eq!(
        Store::open(&file).unwrap().demo_today().unwrap(),
        Some(common::d("2018-08-15"))
    );
    assert_eq!(
        Store::open(&db).unwrap().demo_today().unwrap(),
        Some(common::d("2018-09-01"))
    );
}

#[test]
fn a_restore_counts_the_bytes_it_copies_and_keeps() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let backup = dir.path().join("backup.db");
    Store::open(&db).unwrap().backup_to(&backup).unwrap();
    let rec = Recorder::default();
    let restored = Store::restore_file_with(&backup, &db, "20180815T120000", None, &rec).unwrap();
    assert!(restored.kept.is_some());
    let phases = rec.phases();
    assert_eq!(
        names(&phases),
        ["copying", "checking", "keeping", "syncing", "replacing"]
    );
    let size = std::fs::metadata(&backup).unwrap().len();
    assert_eq!(phases[0].1, Some(size));
    assert_eq!(phases[0].2, size);
    // The live register is kept through SQLite, page by page: every page told, the copy that size.
    let pages = phases[2].1.unwrap();
    assert_eq!(phases[2].2, pages);
    assert_eq!(
        std::fs::metadata(restored.kept.unwrap()).unwrap().len(),
        pages * 4096
    );
}

#[test]
fn a_restore_to_a_new_place_keeps_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let backup = dir.path().join("backup.db");
    Store::open(&db).unwrap().backup_to(&backup).unwrap();
    let rec = Recorder::default();
    let fresh = dir.path().join("elsewhere").join("dtoc.db");
    Store::restore_file_with(&backup, &fresh, "20180815T120000", None, &rec).unwrap();
    assert_eq!(names(&rec.phases()), ["copying", "checking", "replacing"]);
}

#[test]
fn check_tells_each_check_and_recounts_every_closed_period() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let store = Store::open(&db).unwrap();
    let rec = Recorder::default();
    assert_eq!(store.check_with(&rec).unwrap(), Vec::<String>::new());
    let phases = rec.phases();
    assert_eq!(
        names(&phases),
        ["integrity", "invariants", "register", "recount", "signoffs"]
    );
    // Seven invariants, one step each.
    assert_eq!(phases[1].1, Some(7));
    assert_eq!(phases[1].2, 7);
    // The recount reads every closed period of the demo: its total is what it read.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let closed: i64 = conn
        .query_row(
            "SELECT count(*) FROM delay_period WHERE end_on IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let closed = closed as u64;
    assert!(closed > 0);
    assert_eq!(phases[3].1, Some(closed));
    assert_eq!(phases[3].2, closed);
}

#[test]
fn a_check_that_fails_its_integrity_stops_after_the_first_phase() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let conn = rusqlite::Connection::open(&db).unwrap();
    // A period whose delay does not exist: a foreign key broken behind dtoc's back.
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO delay_period (delay_id, start_on, end_on, reason, attribution)
         VALUES (999999, '2018-01-01', '2018-01-02', 'A', 'NHS');",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&db).unwrap();
    let rec = Recorder::default();
    let problems = store.check_with(&rec).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(names(&rec.phases()), ["integrity"]);
}

#[test]
fn the_national_demo_writes_as_many_stays_as_it_announced() {
    let cfg = NationalConfig {
        from: YearMonth::parse("2019-10").unwrap(),
        to: YearMonth::parse("2019-12").unwrap(),
        today: common::d("2019-12-15"),
        seed: 5,
        volume: 0.05,
    };
    let cal = Calibration::embedded().unwrap();
    let announced = stays_to_generate(&cal, &cfg);
    let mut store = Store::open_in_memory().unwrap();
    let rec = Recorder::default();
    let w = write_national_with(&mut store, &cfg, None, &rec).unwrap();
    let phases = rec.phases();
    assert_eq!(names(&phases), ["writing", "checkpoint"]);
    assert!(w.generated.stays > 1000, "{w:?}");
    assert_eq!(phases[0].1, Some(w.generated.stays));
    assert_eq!(phases[0].2, w.generated.stays);
    assert_eq!(announced, w.generated.stays);
}

/// What `dtoc ARGS` wrote to a terminal (stdout and stderr both), raw, and the screen at the end.
fn in_a_terminal(db: &Path, args: &[&str]) -> (String, String) {
    const ROWS: u16 = 24;
    const COLS: u16 = 80;
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dtoc"));
    cmd.args(["--db", db.to_str().unwrap(), "--today", "2018-08-15"]);
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("DTOC_DB");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let raw = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let r = std::sync::Arc::clone(&raw);
    let done = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => r.lock().unwrap().extend_from_slice(&buf[..n]),
            }
        }
    });
    let end = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < end, "dtoc {args:?} did not end");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "dtoc {args:?}: {status:?}");
    // The child has ended: what it wrote is in the terminal; closing the master ends the reader.
    std::thread::sleep(Duration::from_millis(200));
    drop(pty.master);
    let _ = done.join();
    let bytes = raw.lock().unwrap().clone();
    let mut screen = vt100::Parser::new(
        std::num::NonZeroU16::new(ROWS).unwrap(),
        std::num::NonZeroU16::new(COLS).unwrap(),
        0,
    );
    screen.process(&bytes);
    (
        String::from_utf8_lossy(&bytes).into_owned(),
        screen.screen().contents(),
    )
}

#[test]
fn on_a_terminal_backup_check_and_restore_show_a_bar_that_is_gone_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let file = dir.path().join("copy.db");
    let (raw, screen) = in_a_terminal(&db, &["backup", file.to_str().unwrap()]);
    // The bar named the work, its phase and counted pages (the first phase of each command is
    // drawn at once; later ones may fall between two draws)…
    assert!(raw.contains("backup copying"), "{raw:?}");
    assert!(raw.contains(" pages ("), "{raw:?}");
    // …and is gone: the screen holds the result alone.
    let lines: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines,
        [format!("backup written to {}", file.display())],
        "{screen}"
    );

    let (raw, screen) = in_a_terminal(&db, &["check"]);
    assert!(raw.contains("check integrity"), "{raw:?}");
    let lines: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines, [format!("{}: ok", db.display())], "{screen}");

    let (raw, screen) = in_a_terminal(&db, &["restore", file.to_str().unwrap()]);
    assert!(raw.contains("restore copying"), "{raw:?}");
    let text: String = screen
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.starts_with(&format!(
            "{} restored from {}\nnote: the database it replaced is kept as ",
            db.display(),
            file.display()
        )),
        "{screen}"
    );
    assert!(!text.contains("copying"), "{screen}");
}

#[test]
fn through_a_pipe_stderr_holds_what_it_always_held() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let file = dir.path().join("copy.db");
    let backup = dtoc(&db)
        .args(["backup", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(backup.status.success());
    assert_eq!(backup.stderr, b"");
    assert_eq!(
        String::from_utf8(backup.stdout).unwrap(),
        format!("backup written to {}\n", file.display())
    );

    let check = dtoc(&db).arg("check").output().unwrap();
    assert!(check.status.success());
    assert_eq!(check.stderr, b"");
    assert_eq!(
        String::from_utf8(check.stdout).unwrap(),
        format!("{}: ok\n", db.display())
    );

    let restore = dtoc(&db)
        .args(["restore", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(restore.status.success());
    let stderr = String::from_utf8(restore.stderr).unwrap();
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(".before-restore-"))
        .unwrap();
    assert_eq!(
        stderr,
        format!(
            "note: the database it replaced is kept as {} (schema version of the backup: {})\n",
            kept.display(),
            dtoc::store::SCHEMA_VERSION
        )
    );
    // A refused command says its error alone.
    let refused = dtoc(&dir.path().join("none.db"))
        .args(["backup", dir.path().join("x.db").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert_eq!(
        String::from_utf8(refused.stderr).unwrap(),
        format!(
            "dtoc: no database at {} (dtoc init creates one)\n",
            dir.path().join("none.db").display()
        )
    );
}
