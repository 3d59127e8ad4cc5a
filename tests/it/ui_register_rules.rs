//! Issue 14 in the app: the end form offers `died`, and the detail view's correction form.
#![allow(clippy::unwrap_used)]

use crate::common;

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
    assert_snapshot!("end_form_died_80x24", draw(&app, 80, 24));
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
    chr(&mut app, 'C');
    assert!(app.form.is_some());
    assert_snapshot!("correct_form_80x24", draw(&app, 80, 24));
    set_field(&mut app, "H001X");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.message);
    let d = app.store.delay_row(id).unwrap().unwrap();
    assert_eq!(d.local_id, "H001X");
    let history = app.store.audit_for("stay", &d.stay_id.to_string()).unwrap();
    let e = history
        .iter()
        .rev()
        .find(|e| e.action() == "correct")
        .unwrap();
    assert_eq!(
        (
            e.field().as_deref(),
            e.old_value.as_deref(),
            e.new_value.as_deref()
        ),
        (Some("local id"), Some("H001"), Some("H001X"))
    );
    // Saving again unchanged says so and writes nothing.
    chr(&mut app, 'C');
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

#[test]
fn the_add_form_refuses_a_second_bed_naming_the_field_and_the_other_stay() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    let before = app
        .store
        .list_delays(&Default::default(), today())
        .unwrap()
        .len();
    let open = app
        .data
        .delays
        .iter()
        .find(|d| d.ended_on.is_none())
        .unwrap()
        .clone();
    let other_site = app
        .data
        .sites
        .iter()
        .find(|s| s.code != open.site_code)
        .unwrap()
        .code
        .clone();
    chr(&mut app, '2');
    chr(&mut app, 'a');
    let admitted = (open.admitted_on + chrono::Duration::days(1)).to_string();
    for v in [
        open.local_id.as_str(),
        "",
        admitted.as_str(),
        other_site.as_str(),
        open.la_code.as_str(),
        admitted.as_str(),
        "A",
        "NHS",
    ] {
        set_field(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    let msg = app
        .form
        .as_ref()
        .and_then(|f| f.form.error.clone())
        .unwrap_or_default();
    assert!(msg.contains("Local id: "), "{msg}");
    assert!(msg.contains("one bed at a time"), "{msg}");
    assert!(
        msg.contains(&format!(
            "the stay of {} at {}",
            open.local_id, open.site_code
        )),
        "{msg}"
    );
    assert_eq!(
        app.store
            .list_delays(&Default::default(), today())
            .unwrap()
            .len(),
        before
    );
}
