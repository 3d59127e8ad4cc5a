//! Several users on one file: 4 dtoc processes × 2,000 mixed operations (add, change reason, end,
//! import of a small CSV), concurrently, each operation its own `BEGIN IMMEDIATE` transaction (the
//! test binary re-run as a worker, see tests/common/stress.rs). At the end every operation's effect is present
//! exactly once, no operation failed (busy is waited for and retried, never "database is locked"),
//! `dtoc check` passes, and the monthly figures equal both a recount and the hand-computed totals.

use crate::common;

use chrono::Days;
use common::db::*;
use common::stress::{chain_id, chain_ready, import_id, LA};
use dtoc::domain::YearMonth;
use dtoc::store::Store;
use std::collections::BTreeMap;
use std::process::{Command, Stdio};

const WORKERS: u32 = 4;
const OPS: u32 = 2_000;
/// Operations come in chains of four (add, change reason, end, import).
const CHAINS: u32 = OPS / 4;

fn dtoc() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dtoc"));
    c.env_remove("DTOC_DB").env_remove("DTOC_KEY");
    c
}

/// What the register must hold for each local id: ready, end, end kind and the periods as
/// `start..end reason attribution`.
fn expected() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for w in 0..WORKERS {
        for k in 0..CHAINS {
            let r = chain_ready(k);
            let c = r + Days::new(3);
            let e = r + Days::new(10);
            out.insert(
                chain_id(w, k),
                format!("{r} {e} discharged | {r}..{c} A NHS; {c}..{e} Dii Social Care"),
            );
            out.insert(
                import_id(w, k),
                "2018-05-10 2018-06-02 discharged | 2018-05-10..2018-05-20 C NHS; 2018-05-20..2018-06-02 E Social Care".to_string(),
            );
        }
    }
    out
}

/// The register as stored: one entry per patient, with every delay of every stay (so that a
/// duplicate stay, delay or period shows as a difference).
fn stored(db: &std::path::Path) -> BTreeMap<String, String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT pt.local_id,
                    group_concat(d.ready_on || ' ' || coalesce(d.ended_on, 'open') || ' ' || coalesce(d.end_kind, '-')
                                 || ' | ' || (SELECT group_concat(x, '; ') FROM
                                     (SELECT p.start_on || '..' || coalesce(p.end_on, 'open') || ' ' || p.reason || ' ' || p.attribution AS x
                                      FROM delay_period p WHERE p.delay_id = d.id ORDER BY p.start_on)), ' // ')
             FROM patient pt LEFT JOIN stay s ON s.patient_id = pt.id LEFT JOIN delay d ON d.stay_id = s.id
             GROUP BY pt.id",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap();
    let mut out = BTreeMap::new();
    for row in rows {
        let (id, v) = row.unwrap();
        assert!(out.insert(id.clone(), v).is_none(), "patient {id} twice");
    }
    out
}

/// The worker process of the test below (this test binary re-run with `DTOC_STRESS_WORKER`); in an
/// ordinary run it does nothing.
#[test]
fn stress_worker() {
    common::stress::worker_test();
}

#[test]
fn four_processes_of_two_thousand_operations_lose_and_repeat_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    common::stress::prepare(&db).unwrap();
    let started = std::time::Instant::now();
    let children: Vec<_> = (0..WORKERS)
        .map(|w| {
            common::stress::worker(module_path!(), &db, w, OPS, dir.path())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for (w, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "worker {w} failed: {stderr}");
        assert!(!stderr.contains("locked"), "worker {w}: {stderr}");
        assert!(!stderr.contains("busy"), "worker {w}: {stderr}");
    }
    eprintln!(
        "{} operations by {WORKERS} processes in {:.1} s",
        WORKERS * OPS,
        started.elapsed().as_secs_f64()
    );

    // Every operation's effect exactly once: 4 × 500 chains and 4 × 500 imports, nothing else.
    let want = expected();
    let got = stored(&db);
    assert_eq!(got.len(), 4_000);
    for (id, v) in &want {
        assert_eq!(got.get(id), Some(v), "patient {id}");
    }
    assert_eq!(got, want);
    // The audit log has each operation once, attributed to its worker: per worker 500 adds, 500
    // reason changes, 500 ends and 500 imports (one entry per imported file).
    let conn = rusqlite::Connection::open(&db).unwrap();
    for w in 0..WORKERS {
        for (entity, action) in [
            ("delay", "add"),
            ("delay", "change reason"),
            ("delay", "end"),
            ("import", "import delays"),
        ] {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM audit_log WHERE user = ?1 AND entity = ?2 AND action = ?3",
                    rusqlite::params![format!("stress-{w}"), entity, action],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, i64::from(CHAINS), "worker {w} {action}");
        }
    }

    // `dtoc check` passes.
    let out = dtoc().arg("--db").arg(&db).arg("check").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{}: ok\n", db.display())
    );

    // Monthly figures: stored counts = recount = the hand computation. Per worker and chain k:
    // ready r = 2018-06-01 + k % 50, 3 days A/NHS then 7 days Dii/Social Care, all in June or July;
    // per import 10 days C/NHS in May, 12 days E/SC in May and 1 in June. Totals over 4 workers:
    // May 4 × 500 × 22 = 44,000; June + July 4 × 500 × 10 + 4 × 500 × 1 = 22,000; all 66,000.
    let store = Store::open(&db).unwrap();
    let rows = counts(&store, LA, "2018-04", "2018-08", "2018-08-15");
    let mut by_month: BTreeMap<String, u64> = BTreeMap::new();
    for r in &rows {
        *by_month.entry(r.month.key()).or_default() += r.days;
    }
    let mut want_month: BTreeMap<String, u64> = BTreeMap::new();
    for k in 0..CHAINS {
        let r = chain_ready(k);
        let mut d = r;
        while d < r + Days::new(10) {
            *want_month.entry(YearMonth::of(d).key()).or_default() += u64::from(WORKERS);
            d = d + Days::new(1);
        }
    }
    *want_month.entry("2018-05".to_string()).or_default() += u64::from(WORKERS * CHAINS * 22);
    *want_month.entry("2018-06".to_string()).or_default() += u64::from(WORKERS * CHAINS);
    assert_eq!(by_month, want_month);
    assert_eq!(by_month.values().sum::<u64>(), 66_000);
    assert_eq!(by_month["2018-05"], 44_000);
    assert_eq!(by_month["2018-06"] + by_month["2018-07"], 22_000);
}

/// A write that finds another writer in progress waits and tries again; only after every attempt
/// does it give up, with `Error::Busy` (nothing written), never a half-done write.
#[test]
fn a_busy_write_is_retried_and_only_then_reported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("busy.db");
    common::stress::prepare(&db).unwrap();
    let new = dtoc::store::NewDelay {
        local_id: "BUSY1".to_string(),
        nhs_number: None,
        admitted_on: chain_ready(0),
        site_code: common::stress::SITE.to_string(),
        la_code: dtoc::domain::LaCode::parse(LA).unwrap(),
        ready_on: chain_ready(0),
        reason: dtoc::domain::ReasonCode::A,
        attribution: dtoc::domain::Attribution::Nhs,
        planned_pathway: None,
        acute_reason: None,
    };
    let today = common::stress::today();
    let other = Store::open(&db).unwrap();
    other
        .execute_raw_for_tests("BEGIN IMMEDIATE; INSERT INTO provider (code) VALUES ('OTHER');")
        .unwrap();
    let mut store = Store::open(&db).unwrap();
    store
        .set_busy_wait(std::time::Duration::from_millis(20), 3)
        .unwrap();
    let err = store.add_delay(&new, today).unwrap_err();
    assert!(matches!(err, dtoc::Error::Busy(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "another user's save is taking longer than dtoc waits: nothing was written, try again"
    );
    assert_eq!(count(&db, "patient"), 0);
    // The other save ends while this one is retrying: it goes through.
    let ender = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(200));
        other.execute_raw_for_tests("COMMIT;").unwrap();
    });
    store
        .set_busy_wait(std::time::Duration::from_millis(20), 100_000)
        .unwrap();
    store.add_delay(&new, today).unwrap();
    ender.join().unwrap();
    assert_eq!(count(&db, "patient"), 1);
    assert_eq!(count(&db, "provider"), 2);
}
