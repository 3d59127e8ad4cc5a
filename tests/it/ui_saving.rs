//! Saving in the app while others save: a save that waits for another user's says so and goes
//! through once the other save ends (busy is never shown as a failure); a save refused because
//! someone changed the record shows what differs (field: theirs vs yours) and keeps the entry,
//! which the next Enter applies.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::{Attribution, EndKind, ReasonCode};
use dtoc::store::{EndDelay, PeriodRow, ReasonChange};
use dtoc::ui::saving::WAITING;
use dtoc::ui::App;

fn open_reason_form(app: &mut App, local_id: &str) -> dtoc::store::DelayRow {
    chr(app, '2');
    let i = dtoc::ui::screens::register::visible(app)
        .iter()
        .position(|d| d.local_id == local_id)
        .unwrap();
    app.screens.register.selected = i;
    let row = dtoc::ui::screens::register::visible(app)[i].clone();
    chr(app, 'r');
    assert!(app.form.is_some());
    row
}

/// Types "from yesterday, reason E, Social Care" into the open reason form.
fn fill_reason(app: &mut App) {
    set_field(app, "t-1");
    press(app, KeyCode::Tab);
    set_field(app, "E");
    press(app, KeyCode::Tab);
    set_field(app, "sc");
}

fn periods(app: &App, delay_id: i64) -> Vec<(String, String, ReasonCode, Attribution)> {
    app.store
        .periods_of(delay_id)
        .unwrap()
        .into_iter()
        .map(|p: PeriodRow| {
            (
                p.start.to_string(),
                p.end.map_or("open".to_string(), |e| e.to_string()),
                p.reason,
                p.attribution,
            )
        })
        .collect()
}

#[test]
fn a_save_that_waits_for_another_users_save_says_so_and_then_saves() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    let row = open_reason_form(&mut app, "H002");
    fill_reason(&mut app);
    // Another user's save is in progress: it holds the write lock until it commits.
    let other = open_store(&dir);
    other
        .execute_raw_for_tests("BEGIN IMMEDIATE; INSERT INTO provider (code) VALUES ('OTHER');")
        .unwrap();

    press(&mut app, KeyCode::Enter);
    assert!(app.save_waiting);
    assert_eq!(app.message.as_ref().unwrap().text, WAITING);
    assert!(
        !app.message.as_ref().unwrap().error,
        "waiting is not an error"
    );
    let f = app
        .form
        .as_ref()
        .expect("the form stays open while waiting");
    assert_eq!(f.form.error.as_deref(), Some(WAITING));
    assert_eq!(
        (f.form.value(0), f.form.value(1), f.form.value(2)),
        ("t-1", "E", "sc")
    );
    assert!(draw(&app, 100, 30).contains("Waiting for another user's save"));
    // Still busy at the next tick: still waiting, nothing lost, nothing saved yet.
    app.tick();
    assert!(app.save_waiting && app.form.is_some());
    assert_eq!(periods(&app, row.delay_id).len(), 1);

    // The other save ends; the next tick saves the entry.
    other.execute_raw_for_tests("COMMIT;").unwrap();
    app.tick();
    assert!(!app.save_waiting);
    assert!(app.form.is_none());
    assert_eq!(app.message.as_ref().unwrap().text, "Saved.");
    // H002: ready 2018-08-01, C/NHS; from yesterday (2018-08-14) E/Social Care.
    assert_eq!(
        periods(&app, row.delay_id),
        vec![
            (
                "2018-08-01".to_string(),
                "2018-08-14".to_string(),
                ReasonCode::C,
                Attribution::Nhs
            ),
            (
                "2018-08-14".to_string(),
                "open".to_string(),
                ReasonCode::E,
                Attribution::SocialCare
            ),
        ]
    );
    // And the other user's save is there too (providers: RWE and OTHER).
    assert_eq!(
        common::db::count(&dir.path().join("dtoc.sqlite"), "provider"),
        2
    );
}

#[test]
fn a_conflict_shows_theirs_against_yours_and_enter_applies_yours() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    let row = open_reason_form(&mut app, "H002");
    // Someone else changes H002 to A/NHS from 2018-08-05 while the form is open.
    let mut other = open_store(&dir);
    other
        .change_reason(
            &ReasonChange {
                delay_id: row.delay_id,
                version: row.version,
                from: d("2018-08-05"),
                reason: ReasonCode::A,
                attribution: Attribution::Nhs,
                acute_reason: None,
            },
            today(),
        )
        .unwrap();
    fill_reason(&mut app);
    press(&mut app, KeyCode::Enter);
    let f = app.form.as_ref().expect("the form keeps the entry");
    assert_eq!(
        f.form.error.as_deref(),
        Some(
            "Someone else changed this delay since you opened it (Reason: theirs A vs yours E; \
             Attribution: theirs NHS vs yours Social Care). Your entry is kept: Enter saves it \
             over theirs, Esc discards it."
        )
    );
    assert_eq!(
        (f.form.value(0), f.form.value(1), f.form.value(2)),
        ("t-1", "E", "sc")
    );
    // Nothing of the user's was written yet.
    assert_eq!(periods(&app, row.delay_id).len(), 2);

    // Enter applies the kept entry on top of theirs.
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert_eq!(
        periods(&app, row.delay_id),
        vec![
            (
                "2018-08-01".to_string(),
                "2018-08-05".to_string(),
                ReasonCode::C,
                Attribution::Nhs
            ),
            (
                "2018-08-05".to_string(),
                "2018-08-14".to_string(),
                ReasonCode::A,
                Attribution::Nhs
            ),
            (
                "2018-08-14".to_string(),
                "open".to_string(),
                ReasonCode::E,
                Attribution::SocialCare
            ),
        ]
    );
}

#[test]
fn a_conflict_on_ending_shows_when_they_ended_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    let i = dtoc::ui::screens::register::visible(&app)
        .iter()
        .position(|d| d.local_id == "H003")
        .unwrap();
    app.screens.register.selected = i;
    let row = dtoc::ui::screens::register::visible(&app)[i].clone();
    chr(&mut app, 'x');
    assert!(app.form.is_some());
    let mut other = open_store(&dir);
    other
        .end_delay(
            &EndDelay {
                delay_id: row.delay_id,
                version: row.version,
                on: d("2018-08-12"),
                kind: EndKind::UnfitAgain,
                pathway: None,
                destination: None,
                usual_residence: None,
            },
            today(),
        )
        .unwrap();
    // The user ends it today, discharged, pathway 1.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "1");
    press(&mut app, KeyCode::Enter);
    let f = app.form.as_ref().expect("the form keeps the entry");
    assert_eq!(
        f.form.error.as_deref().unwrap(),
        format!(
            "Someone else changed this delay since you opened it (Delay: theirs ended 2018-08-12 ({}) \
             vs yours ended 2018-08-15 ({})). Your entry is kept: Enter saves it over theirs, Esc \
             discards it.",
            EndKind::UnfitAgain.label(),
            EndKind::Discharged.label()
        )
    );
    assert_eq!(f.form.value(2), "1");
}
