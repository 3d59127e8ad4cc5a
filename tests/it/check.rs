//! `Store::check`: sound databases pass; each deliberately broken invariant is reported naming its
//! record.

use crate::common;

use common::db::*;
use common::populate;
use dtoc::domain::{Attribution, EndKind, ReasonCode};
use dtoc::import::read_delays_bytes;
use dtoc::store::{EndDelay, ReasonChange, Store};

#[test]
fn the_demo_database_passes() {
    let dir = tempfile::tempdir().unwrap();
    let global = dtoc::cli::Global {
        db: None,
        today: None,
        user: Some("tester".to_string()),
        plain: false,
        force: false,
    };
    let store = dtoc::cli::write_demo(
        &global,
        &dir.path().join("demo.db"),
        day(dtoc::cli::DEMO_TODAY),
    )
    .unwrap();
    assert_sound(&store);
    assert!(count(store.path(), "delay") > 1000);
    // The demo's July 2018 Leicestershire figure is the published one.
    let rows = counts(&store, "E10000018", "2018-07", "2018-07", TODAY);
    assert_eq!(total(&rows, |_| true), 978);
}

#[test]
fn a_register_changed_through_the_store_passes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    populate(&mut store);
    assert_sound(&store);
    let mut delays = all_delays(&store);
    delays.retain(|d| d.local_id == "H001");
    let d = &delays[0];
    store
        .change_reason(
            &ReasonChange {
                delay_id: d.delay_id,
                version: d.version,
                from: day("2018-07-20"),
                reason: ReasonCode::Dii,
                attribution: Attribution::Both,
                acute_reason: None,
            },
            day(TODAY),
        )
        .unwrap();
    assert_sound(&store);
    let version = store.delay_detail(d.delay_id).unwrap().row.version;
    store
        .end_delay(
            &EndDelay {
                delay_id: d.delay_id,
                version,
                on: day("2018-08-03"),
                kind: EndKind::Discharged,
                pathway: None,
                destination: Some("p3_care_home".to_string()),
                usual_residence: None,
            },
            day(TODAY),
        )
        .unwrap();
    assert_sound(&store);
    let periods = store.periods_of(d.delay_id).unwrap();
    assert_eq!(periods.len(), 2);
    assert_eq!(periods[1].end, Some(day("2018-08-03")));
    let rows = counts(&store, "E10000018", "2018-07", "2018-08", TODAY);
    assert_eq!(
        total(&rows, |r| r.reason == ReasonCode::Dii),
        12 + 2,
        "Dii from 20 July to 3 August"
    );
}

/// One stay of K1 with one delay of two abutting periods: delay 1, periods 1 (A) and 2 (B).
fn small(dir: &tempfile::TempDir) -> Store {
    let mut store = new_store(dir);
    let csv = delays_csv(&[
        "K1,,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-05,2018-06-10,A,NHS,2018-06-20,1",
        "K1,,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-10,2018-06-20,B,Social Care,2018-06-20,1",
    ]);
    let checked = read_delays_bytes("k.csv", csv.as_bytes(), day(TODAY)).unwrap();
    store.import_delays(&checked).unwrap();
    assert_sound(&store);
    let d = &all_delays(&store)[0];
    assert_eq!(d.delay_id, 1);
    let ids: Vec<i64> = store.periods_of(1).unwrap().iter().map(|p| p.id).collect();
    assert_eq!(ids, vec![1, 2]);
    store
}

fn broken(sql: &str) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = small(&dir);
    store.execute_raw_for_tests(sql).unwrap();
    (dir, store)
}

#[test]
fn ready_before_admission_is_reported() {
    let (_dir, store) = broken("UPDATE stay SET admitted_on = '2018-06-07'");
    assert_eq!(
        store.check().unwrap(),
        vec!["delay 1: ready date 2018-06-05 is before admission on 2018-06-07"]
    );
}

#[test]
fn discharge_before_ready_is_reported() {
    let (_dir, store) = broken("UPDATE stay SET discharged_on = '2018-06-03'");
    assert_eq!(
        store.check().unwrap(),
        vec!["delay 1: the stay was discharged on 2018-06-03, before the ready date 2018-06-05"]
    );
}

#[test]
fn overlapping_periods_within_a_delay_are_reported() {
    let (_dir, mut store) = broken("UPDATE delay_period SET start_on = '2018-06-08' WHERE id = 2");
    let problems = store.check().unwrap();
    assert_eq!(
        problems,
        vec![
            "period 2: starts 2018-06-08, but the previous period of its delay ends 2018-06-10 (periods must abut, not overlap)",
            "counts: 2018-06 E10000018 RWE01 B Social Care: stored 10 delayed days, recount 12",
        ]
    );
    // Recounting fixes the counts, not the overlap.
    store.rebuild_counts().unwrap();
    assert_eq!(
        store.check().unwrap(),
        vec!["period 2: starts 2018-06-08, but the previous period of its delay ends 2018-06-10 (periods must abut, not overlap)"]
    );
}

#[test]
fn a_gap_between_periods_is_reported() {
    let (_dir, store) = broken("UPDATE delay_period SET start_on = '2018-06-12' WHERE id = 2");
    assert_eq!(
        store.check().unwrap(),
        vec![
            "period 2: starts 2018-06-12, but the previous period of its delay ends 2018-06-10 (periods must abut, not overlap)",
            "counts: 2018-06 E10000018 RWE01 B Social Care: stored 10 delayed days, recount 8",
        ]
    );
}

#[test]
fn a_changed_month_count_is_reported_and_rebuild_repairs_it() {
    let (_dir, mut store) = broken(
        "UPDATE month_count SET days = days + 5 WHERE reason = 'A';
         INSERT INTO month_count VALUES ('2018-05', 'E10000018', 'RWE01', 'G', 'NHS', 3);",
    );
    assert_eq!(
        store.check().unwrap(),
        vec![
            "counts: 2018-06 E10000018 RWE01 A NHS: stored 10 delayed days, recount 5",
            "counts: 2018-05 E10000018 RWE01 G NHS: stored 3 delayed days, recount 0",
        ]
    );
    store.rebuild_counts().unwrap();
    assert_sound(&store);
    let rows = counts(&store, "E10000018", "2018-05", "2018-06", TODAY);
    assert_eq!(days_in(&rows, "2018-05"), 0);
    assert_eq!(days_in(&rows, "2018-06"), 15);
}

#[test]
fn a_delay_ended_on_another_day_than_its_last_period_is_reported() {
    let (_dir, store) = broken("UPDATE delay SET ended_on = '2018-06-25'");
    assert_eq!(
        store.check().unwrap(),
        vec!["delay 1: ended on 2018-06-25, but its last period ends 2018-06-20"]
    );
    let (_dir, store) = broken("UPDATE delay_period SET end_on = NULL WHERE id = 2");
    assert_eq!(
        store.check().unwrap(),
        vec![
            "delay 1: ended on 2018-06-20, but its last period ends open",
            "counts: 2018-06 E10000018 RWE01 B Social Care: stored 10 delayed days, recount 0",
        ]
    );
}

#[test]
fn a_dangling_foreign_key_is_reported() {
    let (_dir, store) = broken(
        "PRAGMA foreign_keys = OFF; UPDATE stay SET site_code = 'NOPE'; PRAGMA foreign_keys = ON;",
    );
    assert_eq!(
        store.check().unwrap(),
        vec!["foreign key: stay row 1 refers to a missing site"]
    );
}
