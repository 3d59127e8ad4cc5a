//! Issue 26 item 1: the census optionally by ward, adding up to the site. The ward figures of a
//! site are saved with its census in one transaction and must add up to it (a mismatch is
//! refused naming the ward figures and the site total, and nothing is saved, by the store and by
//! the census form); they are shown by ward with the site total on the board round's census step
//! and totals at 80×24; a file of the previous schema version is upgraded to hold them.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::{LaCode, SiteWards, Ward};
use dtoc::store::{Store, SCHEMA_VERSION};
use dtoc::ui::screens::board::BoardPhase;
use dtoc::ui::App;

fn leics() -> LaCode {
    LaCode::parse("E10000018").unwrap()
}

fn rutland() -> LaCode {
    LaCode::parse("E06000017").unwrap()
}

/// The populated register (RX1's census today: Leicestershire 40) with RX1's wards W7, W10 and
/// AMU on its ward list.
fn ward_store(store: &mut Store) {
    populate(store);
    for (code, name, beds) in [
        ("W7", "Ward 7", Some(28)),
        ("W10", "Ward 10", Some(24)),
        ("AMU", "Acute Medical Unit", None),
    ] {
        store
            .set_ward(&Ward::new("RX1", code, name, beds).unwrap())
            .unwrap();
    }
}

fn rx1(wards: &[(&str, u32)]) -> SiteWards {
    SiteWards {
        site: "RX1".to_string(),
        wards: wards.iter().map(|(w, n)| (w.to_string(), *n)).collect(),
    }
}

/// RX1's figures by ward today, its census cells unchanged.
fn set_wards(store: &mut Store, wards: &[(&str, u32)]) {
    store
        .set_census_by_ward(today(), &[], &[rx1(wards)])
        .unwrap();
}

fn owned(rows: &[(&str, &str, u32)]) -> Vec<(String, String, u32)> {
    rows.iter()
        .map(|(s, w, n)| (s.to_string(), w.to_string(), *n))
        .collect()
}

#[test]
fn ward_figures_that_add_up_to_the_site_are_saved_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    ward_store(&mut store);
    // RX1: Leicestershire 30 + Rutland 12 = 42 inpatients; by ward 18 + 14 + 10 = 42.
    store
        .set_census_by_ward(
            today(),
            &[
                ("RX1".to_string(), leics(), 30),
                ("RX1".to_string(), rutland(), 12),
            ],
            &[rx1(&[("w7", 18), ("W10", 14), ("AMU", 10)])],
        )
        .unwrap();
    // Stored under the ward list's own codes, in natural order (W7 before W10).
    assert_eq!(
        store.census_wards(today()).unwrap(),
        owned(&[("RX1", "AMU", 10), ("RX1", "W7", 18), ("RX1", "W10", 14)])
    );
    assert_eq!(
        store.census(today()).unwrap(),
        vec![
            ("RX1".to_string(), "E06000017".to_string(), 12),
            ("RX1".to_string(), "E10000018".to_string(), 30),
        ]
    );
    let audit = store.audit_for("census", "2018-08-15 RX1 W7").unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].event, dtoc::store::AuditEvent::CensusWard);
    assert_eq!(audit[0].field().as_deref(), Some("ward"));
    assert_eq!(audit[0].new_value.as_deref(), Some("18"));

    // Given again without AMU (its figure moved to W7): AMU is cleared, and audited so.
    set_wards(&mut store, &[("W7", 28), ("W10", 14)]);
    assert_eq!(
        store.census_wards(today()).unwrap(),
        owned(&[("RX1", "W7", 28), ("RX1", "W10", 14)])
    );
    let amu = store.audit_for("census", "2018-08-15 RX1 AMU").unwrap();
    assert_eq!(amu.len(), 2);
    assert_eq!(
        (amu[1].old_value.as_deref(), amu[1].new_value.as_deref()),
        (Some("10"), None)
    );
}

#[test]
fn a_mismatch_is_refused_naming_the_figures_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    ward_store(&mut store);
    // The site's census becomes 35 and the wards say 20 + 12 = 32: refused, the census cell too.
    let err = store
        .set_census_by_ward(
            today(),
            &[("RX1".to_string(), leics(), 35)],
            &[rx1(&[("W7", 20), ("W10", 12)])],
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "RX1: the wards' inpatients W7 20 + W10 12 = 32, but the site's census is 35; the wards \
         must add up to the site"
    );
    assert_eq!(
        store.census(today()).unwrap(),
        vec![("RX1".to_string(), "E10000018".to_string(), 40)]
    );
    assert!(store.census_wards(today()).unwrap().is_empty());
    assert!(store
        .audit_for("census", "2018-08-15 RX1 W7")
        .unwrap()
        .is_empty());

    // A ward not on the site's list is refused by name.
    let err = store
        .set_census_by_ward(today(), &[], &[rx1(&[("W99", 40)])])
        .unwrap_err();
    assert!(err.to_string().contains("no ward W99"), "{err}");

    // Once RX1 has ward figures (25 + 15 = 40), changing its census alone is refused too.
    set_wards(&mut store, &[("W7", 25), ("W10", 15)]);
    let err = store.set_census(today(), "RX1", &rutland(), 3).unwrap_err();
    assert_eq!(
        err.to_string(),
        "RX1: the wards' inpatients W7 25 + W10 15 = 40, but the site's census is 43; the wards \
         must add up to the site"
    );
    assert_eq!(store.census(today()).unwrap().len(), 1);
}

fn app(dir: &tempfile::TempDir) -> App {
    let mut store = open_store(dir);
    ward_store(&mut store);
    App::new(store, today())
}

/// The labels of the open form's fields.
fn labels(app: &App) -> Vec<String> {
    let form = &app.form.as_ref().unwrap().form;
    form.fields.iter().map(|f| f.label.clone()).collect()
}

/// Focuses the census form's field labelled `label` and types `value` into it.
fn fill(app: &mut App, label: &str, value: &str) {
    let at = labels(app)
        .iter()
        .position(|l| l == label)
        .unwrap_or_else(|| panic!("no field {label}"));
    while app.form.as_ref().unwrap().form.focus != at {
        press(app, KeyCode::Tab);
    }
    set_field(app, value);
}

#[test]
fn the_census_form_takes_wards_refuses_a_mismatch_and_shows_them_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir);
    chr(&mut app, '3');
    chr(&mut app, 'c');
    assert_eq!(app.screens.board.phase, BoardPhase::Census);
    chr(&mut app, 'c');
    assert_eq!(
        labels(&app),
        [
            "RX1 / Leicestershire",
            "RX1 / Rutland",
            "RX2 / Leicestershire",
            "RX2 / Rutland",
            "RX1 ward AMU",
            "RX1 ward W7",
            "RX1 ward W10",
        ]
    );
    // RX1: 40 + 12 = 52 inpatients; the wards typed say 20 + 18 + 10 = 48.
    fill(&mut app, "RX1 / Rutland", "12");
    fill(&mut app, "RX2 / Leicestershire", "5");
    fill(&mut app, "RX2 / Rutland", "9");
    fill(&mut app, "RX1 ward AMU", "10");
    fill(&mut app, "RX1 ward W7", "20");
    fill(&mut app, "RX1 ward W10", "18");
    let note = app.form.as_ref().unwrap().form.note.clone().unwrap();
    assert!(note.ends_with("; RX1 wards 48 of 52"), "{note}");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_some(), "a mismatch keeps the form open");
    let text = draw(&app, 80, 24);
    assert!(text.contains("AMU 10 + W7 20 + W10 18 = 48"), "{text}");
    assert!(text.contains("census is 52"), "{text}");
    assert_eq!(
        app.store.census(today()).unwrap(),
        vec![("RX1".to_string(), "E10000018".to_string(), 40)]
    );
    assert!(app.store.census_wards(today()).unwrap().is_empty());

    // W10 24: 10 + 20 + 22 = 52. Saved, and shown by ward with the site total.
    fill(&mut app, "RX1 ward W10", "22");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert_eq!(app.screens.board.phase, BoardPhase::Summary);
    assert_eq!(
        app.store.census_wards(today()).unwrap(),
        owned(&[("RX1", "AMU", 10), ("RX1", "W7", 20), ("RX1", "W10", 22)])
    );
    let text = draw(&app, 80, 24);
    assert!(
        text.contains("RX1: 52 inpatients, by ward AMU 10 · W7 20 · W10 22"),
        "{text}"
    );
    assert!(text.contains("66 inpatients (census)"), "{text}");
    // The census step shows them too.
    chr(&mut app, 'u');
    chr(&mut app, 'c');
    assert_eq!(app.screens.board.phase, BoardPhase::Census);
    assert_snapshot!("census_ward_step_80x24", draw(&app, 80, 24));
}

#[test]
fn a_census_form_taller_than_80x24_scrolls_and_keeps_the_refusal_in_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    ward_store(&mut store);
    for n in 11..=22 {
        let code = format!("W{n}");
        store
            .set_ward(&Ward::new("RX1", &code, &format!("Ward {n}"), None).unwrap())
            .unwrap();
    }
    let mut app = App::new(store, today());
    chr(&mut app, '3');
    chr(&mut app, 'c');
    chr(&mut app, 'c');
    // 4 cells and 15 wards: more rows than the popup holds at 80×24.
    assert_eq!(labels(&app).len(), 19);
    fill(&mut app, "RX1 ward W22", "1");
    press(&mut app, KeyCode::Enter);
    let text = draw(&app, 80, 24);
    assert!(text.contains(">RX1 ward W22"), "{text}");
    assert!(text.contains("W22 1 = 1, but the"), "{text}");
    assert!(text.contains("the site's census is"), "{text}");
    assert!(!text.contains("RX1 / Leicestershire"), "{text}");
}

#[test]
fn a_file_of_the_previous_version_is_upgraded_to_hold_the_census_by_ward() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("previous.sqlite");
    // The schema up to the step before this one, as a file of the previous version holds it.
    let schema = include_str!("../../schema.sql");
    let at = schema
        .find("the census optionally by ward")
        .and_then(|i| schema[..i].rfind("-- Version"))
        .unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&schema[..at]).unwrap();
        conn.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION - 1))
            .unwrap();
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'census_ward'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0);
    }
    let mut store = Store::open(&path).unwrap();
    store.set_user("tester").unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    ward_store(&mut store);
    set_wards(&mut store, &[("W7", 30), ("W10", 10)]);
    assert_eq!(
        store.census_wards(today()).unwrap(),
        owned(&[("RX1", "W7", 30), ("RX1", "W10", 10)])
    );
}
