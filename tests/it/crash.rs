//! Crashes: a dtoc process killed with SIGKILL in the middle of a write leaves the database exactly
//! as it was before that write (SQLite's WAL: frames of a transaction that never committed are
//! ignored when the file is next opened). Two kinds of write are killed: a 200,000-row import (one
//! transaction; killed once its uncommitted pages are spilling into the -wal file) and a stream of
//! single-record saves (killed at an arbitrary point; every record is either wholly saved or absent).
#![cfg(unix)]

use crate::common;

use common::db::*;
use common::stress::{chain_id, chain_ready};
use dtoc::store::Store;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const ROWS: usize = 200_000;

fn dtoc() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dtoc"));
    c.env_remove("DTOC_DB")
        .env_remove("DTOC_KEY")
        .env("DTOC_USER", "crash-test")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn wal(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", db.display()))
}

fn wal_len(db: &Path) -> u64 {
    std::fs::metadata(wal(db)).map_or(0, |m| m.len())
}

/// Waits until `ready()` holds while the child runs, then kills it with SIGKILL. Panics if the
/// child finished first (the write was not interrupted, so the test would prove nothing).
fn kill_when(child: &mut Child, ready: impl Fn() -> bool) {
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the child finished ({status}) before it could be killed mid-write");
        }
        if ready() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "killed by SIGKILL");
}

/// `dtoc check` on the file passes (it opens the file, which recovers the WAL).
fn assert_check_passes(db: &Path) {
    let out = dtoc()
        .stdout(Stdio::piped())
        .arg("--db")
        .arg(db)
        .arg("check")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "dtoc check: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A 200,000-row delays file: one closed delay each, at a site of its own, all valid.
fn big_import(dir: &Path) -> PathBuf {
    let path = dir.join("big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "{DELAYS_HEADER}").unwrap();
    for i in 0..ROWS {
        let day = 1 + i % 28;
        writeln!(
            f,
            "BIG{i:06},,RCR,CRASH1,acute,E06000016,2018-06-{day:02},2018-06-{day:02},2018-07-{day:02},E,Social Care,2018-07-{day:02},1"
        )
        .unwrap();
    }
    f.flush().unwrap();
    path
}

#[test]
fn sigkill_mid_import_leaves_the_database_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    let csv = big_import(dir.path());
    // The demo register (2,986 delay rows, population, targets) is the content to keep.
    let out = dtoc()
        .args(["demo", "--no-tui", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    // Fold the WAL into the file, so that growth of the -wal file means the import's pages.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let before = dump(&db);
    let months_before = {
        let s = Store::open(&db).unwrap();
        counts(&s, "E06000016", "2017-04", "2018-08", "2018-08-15")
    };
    let delays_before = count(&db, "delay");
    let start = wal_len(&db);

    let mut child = dtoc()
        .args(["--today", "2018-08-15", "--db"])
        .arg(&db)
        .args(["import", "delays"])
        .arg(&csv)
        .spawn()
        .unwrap();
    // Uncommitted pages spill from the 2 MB page cache into the WAL while the transaction runs:
    // 4 MB of them means the import is well inside its transaction.
    kill_when(&mut child, || wal_len(&db) > start + 4 * 1024 * 1024);

    let after_kill = wal_len(&db);
    assert!(after_kill > start + 4 * 1024 * 1024);
    {
        let s = Store::open(&db).unwrap();
        assert_eq!(s.integrity_problems().unwrap(), Vec::<String>::new());
        assert_eq!(s.check().unwrap(), Vec::<String>::new());
        assert_eq!(
            counts(&s, "E06000016", "2017-04", "2018-08", "2018-08-15"),
            months_before
        );
    }
    assert_check_passes(&db);
    assert_eq!(dump(&db), before);

    // And the file takes writes again: a small import goes in whole.
    let small = dir.path().join("small.csv");
    std::fs::write(
        &small,
        delays_csv(&[
            "AFTER1,,RCR,CRASH1,acute,E06000016,2018-07-01,2018-07-02,2018-07-09,E,Social Care,2018-07-09,1",
        ]),
    )
    .unwrap();
    let out = dtoc()
        .args(["--today", "2018-08-15", "--db"])
        .arg(&db)
        .args(["import", "delays"])
        .arg(&small)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&db, "delay"), delays_before + 1);
    assert_check_passes(&db);
}

/// The worker process of the test below (this test binary re-run with `DTOC_STRESS_WORKER`); in an
/// ordinary run it does nothing.
#[test]
fn stress_worker() {
    common::stress::worker_test();
}

#[test]
fn sigkill_among_single_saves_keeps_each_save_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    common::stress::prepare(&db).unwrap();
    let audit_before = count(&db, "audit_log");
    let mut child = common::stress::worker(module_path!(), &db, 0, 100_000, dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Kill it once a few hundred saves are in: wherever it is, it is inside or between writes.
    kill_when(&mut child, || {
        rusqlite::Connection::open(&db)
            .and_then(|c| c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0)))
            .is_ok_and(|n| n > audit_before + 300)
    });
    assert_check_passes(&db);
    let s = Store::open(&db).unwrap();
    assert_eq!(s.check().unwrap(), Vec::<String>::new());
    // Each chain is in one of its whole states: added (1 period, open), reason changed (2 periods,
    // open) or ended (2 periods, discharged); and only the last chain may be short of ended.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut k = 0;
    let mut unfinished = 0;
    loop {
        let id = chain_id(0, k);
        let row: Option<(i64, Option<String>)> = conn
            .query_row(
                "SELECT (SELECT count(*) FROM delay_period p WHERE p.delay_id = d.id), d.ended_on
                 FROM patient pt JOIN stay s ON s.patient_id = pt.id JOIN delay d ON d.stay_id = s.id
                 WHERE pt.local_id = ?1",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        let Some((periods, ended)) = row else { break };
        let r = chain_ready(k);
        match (periods, ended) {
            (1, None) | (2, None) => unfinished += 1,
            (2, Some(e)) => assert_eq!(e, (r + chrono::Days::new(10)).to_string(), "{id}"),
            other => panic!("{id}: a partial save {other:?}"),
        }
        k += 1;
    }
    assert!(k > 10, "only {k} chains saved before the kill");
    assert!(unfinished <= 1, "{unfinished} unfinished chains");
}
