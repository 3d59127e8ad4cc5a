//! Issue 15 items 6-9 in the app: the first-run screen of an empty database, the window-too-small
//! notice, confirms that default to No, and a message line that clears on the next key.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::ui::{App, ScreenId};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        assert_snapshot!(format!("{name}_{w}x{h}"), draw(app, w, h));
    }
}

#[test]
fn an_empty_database_opens_on_the_first_run_screen_and_walks_to_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir);
    assert!(app.first_run);
    snap("first_run_empty", &app);
    // A population or target needs an authority first.
    chr(&mut app, 'p');
    assert!(app.form.is_none());
    assert!(app
        .message
        .as_ref()
        .unwrap()
        .text
        .contains("Add an authority first"));
    // a: an authority by hand (ONS code, name).
    chr(&mut app, 'a');
    assert!(app.form.is_some());
    typ(&mut app, "E06000017");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "Rutland");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert_eq!(app.data.authorities.len(), 1);
    assert!(app.first_run, "the walk-through stays until Enter");
    // P: populations from a file, by the same rules as `dtoc import population`.
    import_in_app(
        &mut app,
        &dir,
        'P',
        "population.csv",
        "la_code,la_name,year,population_18plus\nE10000018,Leicestershire,2018,543600\n",
    );
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert_eq!(app.data.authorities.len(), 2);
    assert_eq!(app.data.populations.len(), 1);
    // s: a site (code, name, type of care, provider); the type of care completes as typed.
    chr(&mut app, 's');
    typ(&mut app, "RX1");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "Royal Infirmary");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "n");
    assert_eq!(app.form.as_ref().unwrap().form.value(2), "non-acute");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "RWE");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert_eq!(app.data.sites.len(), 1);
    // t: a year of targets (the financial year of today, 2018-04 to 2019-03): one value is all
    // twelve months.
    chr(&mut app, 't');
    assert_eq!(app.form.as_ref().unwrap().form.title, " A year of targets ");
    for _ in 0..4 {
        press(&mut app, KeyCode::Tab);
    }
    typ(&mut app, "1.5");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let months: Vec<String> = app
        .data
        .targets
        .iter()
        .map(|t| t.month.to_string())
        .collect();
    assert_eq!(months.len(), 12, "{months:?}");
    assert!(months.contains(&"2018-04".to_string()) && months.contains(&"2019-03".to_string()));
    assert!(app.data.targets.iter().all(|t| t.value == 1.5));
    snap("first_run_steps_done", &app);
    // Enter: the register.
    press(&mut app, KeyCode::Enter);
    assert!(!app.first_run);
    assert_eq!(app.screen, ScreenId::Register);
    // A database with data opens on the dashboard; F there comes back to the set-up screen.
    let app2 = App::new(open_store(&dir), today());
    assert!(!app2.first_run);
    chr(&mut app, '1');
    chr(&mut app, 'F');
    assert!(app.first_run);
}

#[test]
fn below_80x24_a_window_too_small_notice() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '1');
    for (w, h) in [(79, 24), (80, 23), (60, 20)] {
        let screen = draw(&app, w, h);
        assert!(
            screen.contains(&format!("window too small: 80×24 needed (now {w}×{h})")),
            "{screen}"
        );
        assert!(!screen.contains("Leicester"), "{screen}");
        assert_snapshot!(format!("too_small_{w}x{h}"), screen);
    }
    assert!(!draw(&app, 80, 24).contains("window too small"));
}

#[test]
fn a_destructive_confirm_defaults_to_no_and_the_message_clears_on_the_next_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    let n = app.data.delays.len();
    // Enter and Esc both cancel the delete; only y confirms.
    chr(&mut app, 'd');
    assert!(draw(&app, 80, 24).contains("y: yes    n / Enter / Esc: no (the default)"));
    press(&mut app, KeyCode::Enter);
    assert!(app.confirm.is_none());
    assert_eq!(app.data.delays.len(), n);
    chr(&mut app, 'd');
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.data.delays.len(), n);
    chr(&mut app, 'd');
    chr(&mut app, 'y');
    assert_eq!(app.data.delays.len(), n - 1);
    assert_eq!(
        app.message.as_ref().unwrap().text,
        dtoc::ui::strings::DELETED
    );
    // The next key clears "Deleted.", here a move down the list.
    chr(&mut app, 'j');
    assert_eq!(app.message, None);
}
