//! The Weekly and Reconcile screens: snapshots at 80×24 and 160×48, signing a week off and reopening
//! it from the screen, and marking a difference contested from the Reconcile screen.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::{Side, Week};
use dtoc::import::reported::read_reported_bytes;
use dtoc::store::SignWeek;
use dtoc::ui::{App, ScreenId};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        assert_snapshot!(format!("{name}_{w}x{h}"), draw(app, w, h));
    }
}

/// The populated register with July 2018's five weeks (2018-W27..W31) signed by both sides and
/// the hospital's July totals for Leicestershire imported.
fn reconciled_app(dir: &tempfile::TempDir) -> App {
    let mut store = open_store(dir);
    populate(&mut store);
    for w in [
        "2018-W26", "2018-W27", "2018-W28", "2018-W29", "2018-W30", "2018-W31",
    ] {
        for (side, by) in [(Side::Nhs, "Ann Nurse"), (Side::Council, "Bob Officer")] {
            // Two sides, two users (issue 26).
            store.set_user(side.key()).unwrap();
            store
                .sign_week(
                    &SignWeek {
                        week: Week::parse(w).unwrap(),
                        side,
                        by: by.into(),
                        comment: None,
                    },
                    today(),
                )
                .unwrap();
        }
    }
    let r = read_reported_bytes(
        "july.csv",
        b"month,la_code,measure,delayed_days\n2018-07,E10000018,total,56\n2018-07,E10000018,social_care,56\n",
    )
    .unwrap();
    store.import_reported(&r).unwrap();
    App::new(store, today())
}

#[test]
fn weekly_screen_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir);
    chr(&mut app, '8');
    assert_eq!(app.screen, ScreenId::Weekly);
    snap("weekly_empty", &app);
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '8');
    snap("weekly_populated", &app);
    chr(&mut app, 's');
    snap("weekly_signoff_form", &app);
}

#[test]
fn reconcile_screen_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir);
    chr(&mut app, '9');
    assert_eq!(app.screen, ScreenId::Reconcile);
    snap("reconcile_empty", &app);
    let dir = tempfile::tempdir().unwrap();
    let mut app = reconciled_app(&dir);
    chr(&mut app, '9');
    snap("reconcile_populated", &app);
}

#[test]
fn a_week_is_signed_off_and_reopened_from_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '8');
    // Today is Wednesday 15 August 2018: the screen opens on the last full week, 2018-W32
    // (6..12 August). H001 (from 1 July) and H002 (from 1 August) are delayed all 7 days, H003
    // from 10 August: 3 days. 7 + 7 + 3 = 17.
    let f = app.screens.weekly.figures.clone().unwrap();
    assert_eq!(f.week, "2018-W32");
    assert_eq!((f.total_days, f.delayed_at_end), (17, 3));
    // Week before (W31, 30 July..5 August): H001 7 days, H002 1..5 August = 5: 12; change +5.
    assert_eq!((f.previous_total_days, f.change), (12, 5));

    chr(&mut app, 's');
    assert!(app.form.is_some());
    // The side defaults to the first side not yet signed: NHS.
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "Ann Nurse");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let st = app.screens.weekly.status.clone().unwrap();
    assert_eq!(st.active(Side::Nhs).unwrap().signed_by, "Ann Nurse");
    assert!(!st.frozen());

    // The council's side is signed by another user (issue 26: two sides, two users).
    app.store.set_user("bob").unwrap();
    chr(&mut app, 's');
    // Now the council side is offered.
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "Bob Officer");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "agreed at the sitrep call");
    press(&mut app, KeyCode::Enter);
    let st = app.screens.weekly.status.clone().unwrap();
    assert!(st.frozen());
    assert_eq!(
        st.active(Side::Council).unwrap().comment.as_deref(),
        Some("agreed at the sitrep call")
    );
    assert_eq!(st.active(Side::Council).unwrap().days, 17);
    snap("weekly_frozen", &app);

    // Reopen needs a reason: an empty one is refused in the form.
    chr(&mut app, 'o');
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_some());
    typ(&mut app, "H003 was ready on 11 August");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    let st = app.screens.weekly.status.clone().unwrap();
    assert!(!st.frozen());
    assert_eq!(st.signoffs.len(), 2);
    assert!(st.signoffs.iter().all(|s| s.cleared_at.is_some()));
    snap("weekly_reopened", &app);

    // The previous and next week keys.
    chr(&mut app, 'p');
    assert_eq!(
        app.screens.weekly.figures.as_ref().unwrap().week,
        "2018-W31"
    );
    chr(&mut app, 'n');
    chr(&mut app, 'n');
    assert_eq!(
        app.screens.weekly.figures.as_ref().unwrap().week,
        "2018-W33"
    );
}

#[test]
fn a_difference_is_marked_contested_from_the_reconcile_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = reconciled_app(&dir);
    chr(&mut app, '9');
    let rec = app.screens.reconcile.rec.clone().unwrap();
    assert_eq!(rec.month, "2018-07");
    // Leicestershire's July: H001 delayed 1..31 July = 31 signed Social Care days; reported 56,
    // so 25 more.
    let row = &rec.rows[0];
    assert_eq!(
        (
            row.la_code.as_str(),
            row.signed_days,
            row.reported_days,
            row.difference
        ),
        ("E10000018", 31, Some(56), Some(25))
    );
    chr(&mut app, 'm');
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "not delayed on the ward's list");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert_eq!(
        app.screens.reconcile.rec.as_ref().unwrap().contested_days,
        25
    );
    snap("reconcile_marked", &app);
}

/// A mark saved while another user's save holds the database waits (the form keeps the entry)
/// and goes through at the next tick once the other save ends: the reconcile mark's `Busy`
/// reaches the app's retry like every other form's.
#[test]
fn a_mark_that_waits_for_another_users_save_is_saved_at_the_next_tick() {
    use dtoc::ui::saving::WAITING;
    let dir = tempfile::tempdir().unwrap();
    let mut app = reconciled_app(&dir);
    chr(&mut app, '9');
    chr(&mut app, 'm');
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "not delayed on the ward's list");
    let other = open_store(&dir);
    other
        .execute_raw_for_tests("BEGIN IMMEDIATE; INSERT INTO provider (code) VALUES ('OTHER');")
        .unwrap();
    press(&mut app, KeyCode::Enter);
    assert!(app.save_waiting, "{:?}", app.message);
    assert_eq!(app.message.as_ref().unwrap().text, WAITING);
    let f = app.form.as_ref().expect("the form keeps the entry");
    assert_eq!(f.form.value(1), "not delayed on the ward's list");
    assert_eq!(
        app.screens.reconcile.rec.as_ref().unwrap().contested_days,
        0
    );
    other.execute_raw_for_tests("COMMIT;").unwrap();
    app.tick();
    assert!(!app.save_waiting && app.form.is_none());
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "Saved. 25 days marked contested."
    );
    assert_eq!(
        app.screens.reconcile.rec.as_ref().unwrap().contested_days,
        25
    );
}

#[test]
fn the_week_in_progress_is_labelled_a_part_week() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '8');
    // The last full week is not a part week.
    assert!(!draw(&app, 160, 48).contains("part week"));
    // n: 2018-W33, 13..19 August, with today Wednesday 15 August: counted to the 14th.
    chr(&mut app, 'n');
    assert_eq!(
        app.screens.weekly.figures.as_ref().unwrap().week,
        "2018-W33"
    );
    assert!(
        draw(&app, 80, 24).contains("Week 2018-W33: 2018-08-13 to 2018-08-14, part week: to date")
    );
    snap("weekly_part_week", &app);
}

#[test]
fn reconcile_counts_the_days_that_differ_and_imports_from_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = reconciled_app(&dir);
    chr(&mut app, '9');
    // Leicestershire's July: 31 signed days against 56 reported: 25 days differ (the
    // social-care measure splits the same days and is not counted again).
    let rec = app.screens.reconcile.rec.clone().unwrap();
    assert_eq!(rec.days_that_differ(), 25);
    let screen = draw(&app, 160, 48);
    assert!(
        screen.contains("(2 rows, 25 delayed days that differ)"),
        "{screen}"
    );

    // i: the hospital's figures from a file, by the same rules as `dtoc import reported`.
    let csv = dir.path().join("july.csv");
    std::fs::write(
        &csv,
        "month,la_code,measure,delayed_days\n2018-07,E10000018,total,31\n2018-07,E10000018,social_care,31\n",
    )
    .unwrap();
    chr(&mut app, 'i');
    assert!(app.form.is_some());
    snap("reconcile_import_prompt", &app);
    typ(&mut app, csv.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert!(app
        .message
        .as_ref()
        .unwrap()
        .text
        .starts_with("Saved. Imported: 2 rows"));
    let rec = app.screens.reconcile.rec.clone().unwrap();
    assert_eq!(rec.days_that_differ(), 0);
    assert_eq!(rec.rows[0].reported_days, Some(31));
    // A bad file is refused in the prompt, naming the file's problem; nothing is stored.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "month,la_code,measure,delayed_days\n2018-07,E10000018,total,-3\n",
    )
    .unwrap();
    chr(&mut app, 'i');
    typ(&mut app, bad.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    let err = app.form.as_ref().unwrap().form.error.clone().unwrap();
    assert!(err.starts_with("Not saved: "), "{err}");
    assert!(err.contains("bad.csv"), "{err}");
}
