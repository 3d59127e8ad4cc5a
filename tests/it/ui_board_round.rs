//! Issue 15 items 1-5 in the app: lists that never cut a long local id, ward/bed and expected
//! date, the actions log, the board round's review, census step and totals, the partial census.
//! Snapshots at 80×24 and 160×48 on a register whose local ids are 10 or more characters.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::{Attribution, Placement, ReasonCode};
use dtoc::store::Store;
use dtoc::ui::keymap::Context;
use dtoc::ui::screens::board::BoardPhase;
use dtoc::ui::App;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        assert_snapshot!(format!("{name}_{w}x{h}"), draw(app, w, h));
    }
}

/// The populated register plus three delays with long local ids, ward, bed and expected
/// dates (one passed), and a note.
fn long_ids(store: &mut Store) {
    populate(store);
    let a = add(
        store,
        "RWE7401643",
        Some("9434765870"),
        "2018-06-01",
        "RX1",
        "E10000018",
        "2018-06-10",
        ReasonCode::C,
        Attribution::Nhs,
        None,
    );
    let b = add(
        store,
        "RT51869891XYZ",
        None,
        "2018-07-20",
        "RX2",
        "E06000017",
        "2018-07-30",
        ReasonCode::E,
        Attribution::SocialCare,
        None,
    );
    for (id, ward, bed, exp) in [
        (a, "Ward 7 (Gwendolen)", "12", "2018-08-10"),
        (b, "Rutland Mem.", "3", "2018-08-20"),
    ] {
        let v = store.delay_row(id).unwrap().unwrap().version;
        let p = Placement::new(ward, bed, Some(d(exp))).unwrap();
        store.set_placement(id, v, &p, d("2018-08-14")).unwrap();
    }
    store
        .add_action(
            a,
            &dtoc::store::NewAction {
                text: "P1 package requested from provider X".into(),
                owner: "Hub team".into(),
                due_on: None,
            },
            today(),
        )
        .unwrap();
}

fn app(dir: &tempfile::TempDir) -> App {
    let mut store = open_store(dir);
    long_ids(&mut store);
    App::new(store, today())
}

#[test]
fn lists_and_detail_with_long_ids() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir);
    chr(&mut app, '2');
    snap("long_ids_register", &app);
    for (w, _) in SIZES {
        let text = draw(&app, w, 24);
        // Never cut: the whole id on screen, NHS numbers masked.
        assert!(text.contains("RT51869891XYZ"), "{w}: {text}");
        assert!(text.contains("RWE7401643"), "{w}");
        assert!(!text.contains("9434765870"));
    }
    chr(&mut app, '/');
    typ(&mut app, "943 476 58");
    press(&mut app, KeyCode::Enter);
    snap("long_ids_register_nhs_filter", &app);
    let shown = dtoc::ui::screens::register::visible(&app);
    assert_eq!(
        shown
            .iter()
            .map(|d| d.local_id.as_str())
            .collect::<Vec<_>>(),
        vec!["RWE7401643"]
    );
    press(&mut app, KeyCode::Enter);
    snap("long_ids_detail", &app);
    chr(&mut app, '4');
    snap("long_ids_long_stay", &app);
}

#[test]
fn a_note_from_the_register_is_stored_newest_first_and_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir);
    chr(&mut app, '2');
    chr(&mut app, '/');
    typ(&mut app, "RWE740");
    press(&mut app, KeyCode::Enter);
    chr(&mut app, 'n');
    snap("note_form", &app);
    typ(&mut app, "Chased social worker for assessment");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "Social work");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    let id = dtoc::ui::screens::register::visible(&app)[0].delay_id;
    let actions = app.store.actions_of(id).unwrap();
    assert_eq!(
        actions.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(),
        vec![
            "Chased social worker for assessment",
            "P1 package requested from provider X"
        ]
    );
    assert_eq!(actions[0].by, "tester");
    let row = app.store.delay_row(id).unwrap().unwrap();
    assert_eq!(row.reviewed_on, Some(today()));
    assert_eq!(row.reviewed_by.as_deref(), Some("tester"));
    assert_eq!(
        row.last_action.as_deref(),
        Some("Chased social worker for assessment")
    );
    let audit = app.store.audit_for("delay", &id.to_string()).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.event == dtoc::store::AuditEvent::Delay(dtoc::store::DelayEvent::AddAction)));
}

#[test]
fn ward_bed_and_expected_date_from_the_place_form() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    chr(&mut app, 'w');
    snap("place_form", &app);
    typ(&mut app, "Ward 3");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "B2");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "t-1");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let row = &dtoc::ui::screens::register::visible(&app)[0];
    assert_eq!(row.ward.as_deref(), Some("Ward 3"));
    assert_eq!(row.bed.as_deref(), Some("B2"));
    assert_eq!(row.expected_on, Some(d("2018-08-14")));
    assert!(Placement::overdue(row.expected_on, today()));
}

#[test]
fn board_round_in_site_ward_bed_order_with_census_step_and_totals() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir);
    chr(&mut app, '3');
    let (_, total) = dtoc::ui::screens::board::progress(&app);
    assert_eq!(total, 5);
    // Site, then ward in natural order (none last), then bed.
    let order: Vec<String> = app
        .screens
        .board
        .ids
        .iter()
        .map(|id| app.find_delay(*id).unwrap().local_id.clone())
        .collect();
    assert_eq!(
        order,
        ["RWE7401643", "H001", "H003", "RT51869891XYZ", "H002"]
    );
    // The note added today already reviewed RWE7401643.
    assert_eq!(dtoc::ui::screens::board::progress(&app), (1, 5));
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    snap("board_review", &app);
    // A reason change counts as a review, and as a change.
    press(&mut app, KeyCode::Left);
    chr(&mut app, 'r');
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "B");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert_eq!(dtoc::ui::screens::board::progress(&app), (2, 5));
    // End one; going back shows it ended, not "No open delays".
    chr(&mut app, 'x');
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "1");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    chr(&mut app, 'p');
    let text = draw(&app, 80, 24);
    assert!(!text.contains("No open delays"), "{text}");
    assert!(text.contains("ended 2018-08-15"), "{text}");
    // Skip the rest: the census step lists the three not reviewed.
    for _ in 0..4 {
        press(&mut app, KeyCode::Right);
    }
    assert_eq!(app.screens.board.phase, BoardPhase::Census);
    assert_eq!(app.context(), Context::BoardCensus);
    snap("board_census_step", &app);
    let waiting: Vec<String> = dtoc::ui::screens::board::unreviewed(&app)
        .iter()
        .map(|d| d.local_id.clone())
        .collect();
    assert_eq!(waiting, ["H003", "RT51869891XYZ", "H002"]);
    // b goes back to the first of them.
    chr(&mut app, 'b');
    assert_eq!(app.screens.board.phase, BoardPhase::Review);
    assert_eq!(
        dtoc::ui::screens::board::current(&app).unwrap().local_id,
        "H003"
    );
    press(&mut app, KeyCode::Enter);
    for _ in 0..4 {
        if app.screens.board.phase == BoardPhase::Review {
            press(&mut app, KeyCode::Enter);
        }
    }
    // All reviewed: the census form opens; a partial census is saved and said to be partial.
    assert_eq!(app.context(), Context::Form);
    snap("board_census_form", &app);
    set_field(&mut app, "30");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screens.board.phase, BoardPhase::Summary);
    assert_eq!(app.context(), Context::BoardSummary);
    snap("board_totals", &app);
    let text = draw(&app, 160, 48);
    assert!(
        text.contains("reviewed 4 of 4 · changed 1 · ended 1"),
        "{text}"
    );
    assert!(text.contains("census incomplete (0 of 2 sites)"), "{text}");
    assert!(text.contains("Enter start a new round"), "{text}");
    assert!(!text.contains("still delayed, next"), "{text}");
    for d in app.store.list_delays(&Default::default(), today()).unwrap() {
        assert_eq!(d.reviewed_on, Some(today()), "{}", d.local_id);
    }
}

#[test]
fn a_second_coordinator_sees_who_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir);
    chr(&mut app, '3');
    // u: the first not reviewed today (H001; the note reviewed RWE7401643).
    chr(&mut app, 'u');
    press(&mut app, KeyCode::Enter);
    let mut other = open_store(&dir);
    other.set_user("second").unwrap();
    let second = App::new(other, today());
    let row = second
        .data
        .delays
        .iter()
        .find(|d| d.local_id == "H001")
        .unwrap();
    assert_eq!(row.reviewed_by.as_deref(), Some("tester"));
    let mut second = second;
    chr(&mut second, '3');
    assert!(draw(&second, 160, 48).contains("reviewed today by tester"));
}
