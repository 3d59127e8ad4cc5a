//! The delay forms' discharge fields: the acute sitrep reason (table 5) in the add and
//! change-reason forms, and the usual place of residence in the end form (defaulted from the
//! destination, changeable by the user). Keys go to `App`; the asserts read the app and the DB.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::{AcuteReason, ReasonCode, ShareMeasure, YearMonth};
use dtoc::ui::screens::settings::SettingsTab;
use dtoc::ui::Context;

/// Adds H200 through the add form (ready 2018-08-10, reason Di, NHS) with `acute` typed into the
/// acute sitrep reason field; returns its delay id.
fn add_through_form(app: &mut dtoc::ui::App, acute: &str) -> i64 {
    chr(app, '2');
    chr(app, 'a');
    assert_eq!(app.context(), Context::Form);
    for v in [
        "H200",
        "",
        "1/8/18",
        "rx1",
        "E10000018",
        "2018-08-10",
        "Di",
        "nhs",
        "3",
        acute,
    ] {
        set_field(app, v);
        press(app, KeyCode::Tab);
    }
    press(app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "form closed: {:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let row = app
        .data
        .delays
        .iter()
        .find(|d| d.local_id == "H200")
        .unwrap();
    row.delay_id
}

fn select(app: &mut dtoc::ui::App, delay_id: i64) {
    app.screens.register.selected = dtoc::ui::screens::register::visible(app)
        .iter()
        .position(|d| d.delay_id == delay_id)
        .unwrap();
}

/// The end form's field values (kind, date, pathway, destination, usual residence).
fn end_values(app: &dtoc::ui::App) -> Vec<String> {
    let f = &app.form.as_ref().unwrap().form;
    (0..f.fields.len())
        .map(|i| f.value(i).to_string())
        .collect()
}

#[test]
fn acute_reason_is_stored_by_add_and_change_reason_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    reference(&mut store);
    let mut app = dtoc::ui::App::new(store, today());
    // The label can be typed as well as the code.
    let id = add_through_form(&mut app, "Awaiting medicines to take home");
    let periods = app.store.periods_of(id).unwrap();
    assert_eq!(periods.len(), 1);
    assert_eq!(periods[0].acute_reason, Some(AcuteReason::Medicines));

    // Change the reason from 2018-08-13 to E (social care) awaiting pathway 1 capacity.
    select(&mut app, id);
    chr(&mut app, 'r');
    for v in ["13/8/18", "E", "sc", "p1_capacity"] {
        set_field(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let periods = app.store.periods_of(id).unwrap();
    assert_eq!(periods.len(), 2);
    assert_eq!(periods[0].acute_reason, Some(AcuteReason::Medicines));
    assert_eq!(periods[0].end, Some(d("2018-08-13")));
    assert_eq!(periods[1].reason, ReasonCode::E);
    assert_eq!(periods[1].acute_reason, Some(AcuteReason::P1Capacity));

    // Audited: the add and the change name the acute reasons.
    let history = app.store.audit_for("delay", &id.to_string()).unwrap();
    let text: Vec<String> = history
        .iter()
        .map(|h| format!("{:?} {:?}", h.old_value, h.new_value))
        .collect();
    assert!(text[0].contains("Di NHS, acute medicines"), "{text:?}");
    assert!(text[1].contains("Di NHS, acute medicines"), "old: {text:?}");
    assert!(
        text[1].contains("E Social Care, acute p1_capacity"),
        "new: {text:?}"
    );

    // Shown in the delay detail's periods.
    press(&mut app, KeyCode::Enter);
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("acute: medicines"), "{screen}");
    assert!(screen.contains("acute: p1_capacity"), "{screen}");

    // A code not in the list is refused beside the field and nothing is saved.
    press(&mut app, KeyCode::Esc);
    select(&mut app, id);
    chr(&mut app, 'r');
    for v in ["14/8/18", "E", "sc", "bingo"] {
        set_field(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_some());
    assert_eq!(app.store.periods_of(id).unwrap().len(), 2);
}

#[test]
fn usual_residence_defaults_from_the_destination_and_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    reference(&mut store);
    let mut app = dtoc::ui::App::new(store, today());
    let id = add_through_form(&mut app, "");
    assert_eq!(app.store.periods_of(id).unwrap()[0].acute_reason, None);

    select(&mut app, id);
    chr(&mut app, 'x');
    press(&mut app, KeyCode::Tab); // end date: today
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "1");
    press(&mut app, KeyCode::Tab);
    // Home with reablement is the usual residence: the field follows the destination.
    typ(&mut app, "p1_home");
    assert_eq!(end_values(&app)[4], "yes");
    // A new care home placement is not; an "other" destination does not say.
    set_field(&mut app, "p3_care_home");
    assert_eq!(end_values(&app)[4], "no");
    set_field(&mut app, "p1_other");
    assert_eq!(end_values(&app)[4], "unknown");
    // The user knows better (went home to a relative's usual address): their choice stays even
    // when the destination changes after.
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "yes");
    press(&mut app, KeyCode::BackTab);
    set_field(&mut app, "p2_hospice");
    assert_eq!(end_values(&app)[4], "yes");
    set_field(&mut app, "p1_other");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );

    let det = app.store.delay_detail(id).unwrap();
    assert_eq!(det.destination.as_deref(), Some("p1_other"));
    assert_eq!(det.usual_residence, Some(true));
    let end = det.history.iter().find(|h| h.action() == "end").unwrap();
    assert_eq!(
        end.new_value.as_deref(),
        Some("discharged on 2018-08-15, pathway 1, to p1_other, usual residence")
    );
}

#[test]
fn discharge_targets_are_added_and_edited_in_settings() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '6');
    // The fifth list, the last: h goes back to it from the first.
    chr(&mut app, 'h');
    assert_eq!(app.screens.settings.tab, SettingsTab::DischargeTargets);
    assert!(draw(&app, 80, 24).contains("No discharge targets yet"));
    chr(&mut app, 'a');
    // Authority, month (defaults to this month), measure (defaults to pathway 1), percent.
    set_field(&mut app, "E10000018");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "2018-08");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "usual_residence_share");
    press(&mut app, KeyCode::Tab);
    // Over 100 is refused by the store; the form is kept with the reason.
    set_field(&mut app, "193.1");
    press(&mut app, KeyCode::Enter);
    let err = app.form.as_ref().unwrap().form.error.clone().unwrap();
    assert!(err.contains("not a percentage from 0 to 100"), "{err}");
    set_field(&mut app, "93.1");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let stored = app
        .store
        .discharge_targets(
            YearMonth::new(2018, 8).unwrap(),
            YearMonth::new(2018, 8).unwrap(),
        )
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].measure, ShareMeasure::UsualResidence);
    assert!((stored[0].percent - 93.1).abs() < 1e-9);
    assert_eq!(app.data.discharge_targets, stored);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("Discharged to usual residence"), "{screen}");
    assert!(screen.contains("93.1%"), "{screen}");

    // Edit: the form is filled from the row; the new percent replaces the old one.
    chr(&mut app, 'e');
    assert_eq!(
        app.form.as_ref().unwrap().form.value(2),
        "usual_residence_share"
    );
    press(&mut app, KeyCode::BackTab);
    set_field(&mut app, "95");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert_eq!(app.data.discharge_targets.len(), 1);
    assert!((app.data.discharge_targets[0].percent - 95.0).abs() < 1e-9);
    // Audited: the add (no old value) and the edit (93.1% to 95%).
    let history = app
        .store
        .audit_for(
            "discharge_target",
            "E10000018 2018-08 usual_residence_share",
        )
        .unwrap();
    let changes: Vec<(Option<&str>, Option<&str>)> = history
        .iter()
        .map(|h| (h.old_value.as_deref(), h.new_value.as_deref()))
        .collect();
    assert_eq!(
        changes,
        vec![(None, Some("93.1%")), (Some("93.1%"), Some("95%"))]
    );
}

/// What the screens show from the loaded data, for comparing an incremental reload with a full one.
fn shown(app: &dtoc::ui::App) -> String {
    format!(
        "{:?}\n{:?}\n{:?}",
        app.data, app.screens.long_stay.rows, app.screens.report.rows
    )
}

/// [`shown`] once the Dashboard is shown (it reads the aggregates a save left stale), then back to
/// the register.
fn shown_on_dashboard(app: &mut dtoc::ui::App) -> String {
    chr(app, '1');
    assert!(!app.stale.aggregates);
    let out = shown(app);
    chr(app, '2');
    out
}

#[test]
fn the_reload_after_a_save_equals_a_full_reload() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    let fresh = |dir: &tempfile::TempDir| dtoc::ui::App::new(open_store(dir), today());
    // Add: the new delay is put in its place in the register (longest delayed first).
    let id = add_through_form(&mut app, "medicines");
    // Saved on the register, which draws no aggregates: they are read when next shown.
    assert_eq!(app.screen, dtoc::ui::keymap::ScreenId::Register);
    assert!(app.stale.aggregates);
    assert_eq!(shown_on_dashboard(&mut app), shown(&fresh(&dir)));
    // Change the reason, then end it (discharged home): the row leaves the open register.
    select(&mut app, id);
    chr(&mut app, 'r');
    for v in ["13/8/18", "E", "sc"] {
        set_field(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert_eq!(shown_on_dashboard(&mut app), shown(&fresh(&dir)));
    // With ended delays shown, the ended row stays in the list at its place.
    chr(&mut app, 't');
    assert!(app.include_ended);
    select(&mut app, id);
    chr(&mut app, 'x');
    for v in ["discharged", "t", "1", "p1_home"] {
        set_field(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let mut full = fresh(&dir);
    full.include_ended = true;
    full.reload();
    assert_eq!(shown_on_dashboard(&mut app), shown(&full));
    // Delete (with confirm): the row goes; the aggregates lose its days.
    select(&mut app, id);
    chr(&mut app, 'd');
    chr(&mut app, 'y');
    assert!(app.data.delays.iter().all(|d| d.delay_id != id));
    full.reload();
    assert_eq!(shown_on_dashboard(&mut app), shown(&full));
    // A save on the register, which draws no aggregates: they are left to read when a screen that
    // draws them is shown, and then equal a full reload's.
    chr(&mut app, '2');
    let other = dtoc::ui::screens::register::visible(&app)[0].delay_id;
    select(&mut app, other);
    chr(&mut app, 'r');
    for v in ["14/8/18", "E", "sc"] {
        set_field(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert!(app.stale.aggregates);
    chr(&mut app, '1');
    assert!(!app.stale.aggregates);
    full.reload();
    assert_eq!(shown_on_dashboard(&mut app), shown(&full));
    // The Report screen reads them too when shown after a save elsewhere.
    chr(&mut app, '2');
    select(&mut app, other);
    chr(&mut app, 'r');
    for v in ["15/8/18", "A", "nhs"] {
        set_field(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert!(app.stale.aggregates);
    chr(&mut app, '5');
    assert!(!app.stale.aggregates);
    full.reload();
    assert_eq!(shown_on_dashboard(&mut app), shown(&full));
}

#[test]
fn another_users_change_reloads_and_hidden_screens_read_when_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    let weekly_before = format!("{:?}", app.screens.weekly.figures);
    // Another user ends H001 (ready 2018-07-01) on 8 August, inside the week shown by the Weekly
    // screen (2018-W32, 6 to 12 August), through their own connection.
    let mut other = open_store(&dir);
    let row = app
        .data
        .delays
        .iter()
        .find(|d| d.local_id == "H001")
        .unwrap()
        .clone();
    other
        .end_delay(
            &dtoc::store::EndDelay {
                delay_id: row.delay_id,
                version: row.version,
                on: d("2018-08-08"),
                kind: dtoc::domain::EndKind::UnfitAgain,
                pathway: None,
                destination: None,
                usual_residence: None,
            },
            today(),
        )
        .unwrap();
    app.tick();
    assert!(app.data.delays.iter().all(|d| d.local_id != "H001"));
    // The Weekly screen is not shown: it is read when it is next shown.
    assert!(app.screens.weekly.stale);
    assert_eq!(format!("{:?}", app.screens.weekly.figures), weekly_before);
    chr(&mut app, '8');
    assert!(!app.screens.weekly.stale);
    assert_ne!(format!("{:?}", app.screens.weekly.figures), weekly_before);
    let mut full = fresh_weekly(&dir);
    full.reload();
    assert_eq!(
        format!("{:?}", app.screens.weekly.figures),
        format!("{:?}", full.screens.weekly.figures)
    );
}

fn fresh_weekly(dir: &tempfile::TempDir) -> dtoc::ui::App {
    let mut app = dtoc::ui::App::new(open_store(dir), today());
    chr(&mut app, '8');
    app
}

#[test]
fn a_reason_change_with_an_acute_reason_inside_a_frozen_week_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    populate(&mut store);
    // 2018-W32 (6 to 12 August) signed by both sides: frozen.
    for side in [dtoc::domain::Side::Nhs, dtoc::domain::Side::Council] {
        // Two sides, two users (issue 26).
        store.set_user(side.key()).unwrap();
        store
            .sign_week(
                &dtoc::store::SignWeek {
                    week: dtoc::domain::Week::parse("2018-W32").unwrap(),
                    side,
                    by: "Signer".into(),
                    comment: None,
                },
                today(),
            )
            .unwrap();
    }
    let mut app = dtoc::ui::App::new(store, today());
    let row = app
        .data
        .delays
        .iter()
        .find(|d| d.local_id == "H001")
        .unwrap()
        .clone();
    chr(&mut app, '2');
    select(&mut app, row.delay_id);
    chr(&mut app, 'r');
    for v in ["2018-08-08", "E", "sc", "p3_bed"] {
        set_field(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    let err = app.form.as_ref().unwrap().form.error.clone().unwrap();
    assert!(
        err.contains("week 2018-W32 is signed off and frozen"),
        "{err}"
    );
    let periods = app.store.periods_of(row.delay_id).unwrap();
    assert_eq!(periods.len(), 1);
    assert_eq!(periods[0].acute_reason, None);
}

#[test]
fn end_and_reason_forms_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    let id = app
        .data
        .delays
        .iter()
        .find(|d| d.local_id == "H001")
        .unwrap()
        .delay_id;
    chr(&mut app, '2');
    select(&mut app, id);
    chr(&mut app, 'x');
    for v in ["discharged", "t", "3"] {
        set_field(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    set_field(&mut app, "p3b_care_home");
    for (w, h) in [(80, 24), (160, 48)] {
        assert_snapshot!(
            format!("end_form_usual_residence_{w}x{h}"),
            draw(&app, w, h)
        );
    }
    press(&mut app, KeyCode::Esc);
    chr(&mut app, 'y');
    assert!(app.form.is_none());
    chr(&mut app, 'r');
    for v in ["t", "E", "sc"] {
        set_field(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    set_field(&mut app, "p3_bed");
    for (w, h) in [(80, 24), (160, 48)] {
        assert_snapshot!(format!("reason_form_acute_{w}x{h}"), draw(&app, w, h));
    }
}
