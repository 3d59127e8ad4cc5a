//! Issue 14 in the app: the end form offers `died`, and the detail view's correction form.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::EndKind;

fn open_detail_of(app: &mut dtoc::ui::App, local_id: &str) -> i64 {
    chr(app, '2');
    let id = app
        .data
        .delays
        .iter()
        .find(|d| d.local_id == local_id)
        .unwrap()
        .delay_id;
    app.screens.register.selected = dtoc::ui::screens::register::visible(app)
        .iter()
        .position(|d| d.delay_id == id)
        .unwrap();
    id
}

#[test]
fn the_end_form_ends_a_delay_as_died() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    let id = open_detail_of(&mut app, "H001");
    chr(&mut app, 'x');
    set_field(&mut app, "died");
    insta::assert_snapshot!("end_form_died_80x24", draw(&app, 80, 24));
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.message);
    let d = app.store.delay_row(id).unwrap().unwrap();
    assert_eq!(d.end_kind, Some(EndKind::Died));
    assert_eq!(app.store.check().unwrap(), Vec::<String>::new());
}

#[test]
fn the_detail_view_corrects_the_stay() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    let id = open_detail_of(&mut app, "H001");
    press(&mut app, KeyCode::Enter);
    assert!(app.screens.register.detail.is_some());
    chr(&mut app, 'c');
    assert!(app.form.is_some());
    insta::assert_snapshot!("correct_form_80x24", draw(&app, 80, 24));
    set_field(&mut app, "H001X");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.message);
    let d = app.store.delay_row(id).unwrap().unwrap();
    assert_eq!(d.local_id, "H001X");
    let history = app.store.audit_for("stay", &d.stay_id.to_string()).unwrap();
    let e = history
        .iter()
        .rev()
        .find(|e| e.action == "correct")
        .unwrap();
    assert_eq!(
        (
            e.field.as_deref(),
            e.old_value.as_deref(),
            e.new_value.as_deref()
        ),
        (Some("local id"), Some("H001"), Some("H001X"))
    );
    // Saving again unchanged says so and writes nothing.
    chr(&mut app, 'c');
    let n = app
        .store
        .audit_for("stay", &d.stay_id.to_string())
        .unwrap()
        .len();
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_some());
    assert_eq!(
        app.store
            .audit_for("stay", &d.stay_id.to_string())
            .unwrap()
            .len(),
        n
    );
}
