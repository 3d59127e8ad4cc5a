//! Render snapshots of every screen, empty and populated, at 80×24 and 160×48, plus a form with a
//! validation error, the delete confirm dialog and help.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::ui::App;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        assert_snapshot!(format!("{name}_{w}x{h}"), draw(app, w, h));
    }
}

const SCREENS: [(char, &str); 7] = [
    ('1', "dashboard"),
    ('2', "register"),
    ('3', "board"),
    ('4', "long_stay"),
    ('5', "report"),
    ('6', "settings"),
    ('7', "discharges"),
];

#[test]
fn screens_empty() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir);
    for (k, name) in SCREENS {
        chr(&mut app, k);
        snap(&format!("empty_{name}"), &app);
    }
}

#[test]
fn screens_populated() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    for (k, name) in SCREENS {
        chr(&mut app, k);
        snap(&format!("populated_{name}"), &app);
    }
}

#[test]
fn register_detail_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    chr(&mut app, 't');
    snap("register_including_ended", &app);
    chr(&mut app, '/');
    typ(&mut app, "rx2");
    snap("register_filtered", &app);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    snap("register_detail", &app);
}

#[test]
fn report_chart() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '5');
    chr(&mut app, 'v');
    snap("report_chart", &app);
    chr(&mut app, 'v');
    snap("report_spc", &app);
}

#[test]
fn form_with_validation_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    chr(&mut app, 'a');
    typ(&mut app, "H900");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "9434765918");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "31/2/18");
    snap("form_validation_error", &app);
}

#[test]
fn delete_confirm() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    chr(&mut app, 'd');
    assert!(app.confirm.is_some());
    snap("delete_confirm", &app);
}

#[test]
fn help_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    chr(&mut app, '?');
    assert!(app.help);
    snap("help_register", &app);
}

#[test]
fn no_full_nhs_number_on_any_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    for (k, _) in SCREENS {
        chr(&mut app, k);
        for (w, h) in SIZES {
            let text = draw(&app, w, h);
            for full in ["9434765919", "943 476 5919", "6541003238", "654 100 3238"] {
                assert!(!text.contains(full), "full NHS number shown on screen {k}");
            }
        }
    }
}

/// Settings: each of the five lists, empty and populated, and its forms.
#[test]
fn settings_lists_and_forms() {
    const TABS: [&str; 5] = ["authorities", "populations", "sites", "wards", "targets"];
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir);
    chr(&mut app, '6');
    for name in TABS {
        snap(&format!("settings_empty_{name}"), &app);
        chr(&mut app, 'l');
    }
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '6');
    for name in TABS {
        snap(&format!("settings_{name}"), &app);
        chr(&mut app, 'l');
    }
    // A target form typed in per 100,000 a day, converted below the fields.
    chr(&mut app, 'h');
    chr(&mut app, 'a');
    typ(&mut app, "E06000017");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "per_100k_day");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "4.5");
    snap("settings_target_form", &app);
    // A validation error beside the field, then the unsaved-changes confirm.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "2018-13");
    snap("settings_target_form_error", &app);
    press(&mut app, KeyCode::Esc);
    assert!(app.confirm.is_some());
    snap("settings_discard_confirm", &app);
    chr(&mut app, 'y');
    chr(&mut app, '?');
    snap("help_settings", &app);
}

/// Long stay: filtered, sorted by another column, and its help.
#[test]
fn long_stay_filtered_sorted_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '4');
    chr(&mut app, 's');
    chr(&mut app, '/');
    typ(&mut app, "leic");
    snap("long_stay_filtered", &app);
    press(&mut app, KeyCode::Enter);
    chr(&mut app, '?');
    snap("help_long_stay", &app);
}

/// Every screen on the demo database (`dtoc demo`: three authorities, five sites, April 2017 to
/// 2018-08-15), with the settings lists each shown.
#[test]
fn screens_demo() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let global = dtoc::cli::Global {
        db: Some(path.clone()),
        today: Some(today()),
        plain: false,
        force: false,
        user: Some("tester".into()),
    };
    let store = dtoc::cli::write_demo(&global, &path, today()).unwrap();
    let mut app = App::new(store, today());
    for (k, name) in SCREENS {
        chr(&mut app, k);
        snap(&format!("demo_{name}"), &app);
    }
    chr(&mut app, '6');
    for name in ["populations", "sites", "wards", "targets"] {
        chr(&mut app, 'l');
        snap(&format!("demo_settings_{name}"), &app);
    }
    for (w, h) in SIZES {
        let text = draw(&app, w, h);
        assert!(!text.contains("9992238542"), "no full NHS number");
    }
}

/// The Discharges screen with all-inpatient stays and targets on the shares, and a month back.
#[test]
fn discharges_with_stays_and_targets() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    let stays = "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination,usual_residence
S001,,RX1,E10000018,2018-07-20,2018-08-02,0,p0_home,yes
S002,,RX1,E10000018,2018-07-01,2018-08-06,1,p1_home,yes
S003,,RX2,E06000017,2018-08-01,2018-08-03,3,p3b_care_home,yes
S004,,RX1,E10000018,2018-07-10,,,,
S005,,RX1,E10000018,2018-08-14,,,,
";
    let checked =
        dtoc::import::read_stays_bytes("stays.csv", stays.as_bytes(), common::today()).unwrap();
    app.store.import_stays(&checked).unwrap();
    let targets = "la_code,month,measure,percent
E10000018,2018-08,pathway1_share,45
E10000018,2018-08,los21_share,4.6
";
    let checked = dtoc::import::read_discharge_targets_bytes("t.csv", targets.as_bytes()).unwrap();
    app.store.import_discharge_targets(&checked).unwrap();
    app.reload();
    chr(&mut app, '7');
    snap("discharges_with_stays", &app);
    chr(&mut app, '[');
    snap("discharges_previous_month", &app);
}
