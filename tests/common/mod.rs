//! Shared helpers for the UI tests: a fixed today, temp databases, key feeding and drawing.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dtoc::domain::{
    Attribution, EndKind, LaCode, Measure, NhsNumber, Pathway, ReasonCode, Setting, TargetUnit,
    YearMonth,
};
use dtoc::store::{EndDelay, NewDelay, Site, Store, Target};
use dtoc::ui::App;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 8, 15).unwrap()
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn open_store(dir: &tempfile::TempDir) -> Store {
    let mut store = Store::open(&dir.path().join("dtoc.sqlite")).unwrap();
    store.set_user("tester").unwrap();
    store.set_fixed_now(Some("2018-08-15T09:00:00Z".to_string()));
    store
}

pub fn reference(store: &mut Store) {
    for (code, name, setting) in [
        ("RX1", "Royal Infirmary", Setting::Acute),
        ("RX2", "Community Hosp", Setting::NonAcute),
    ] {
        store
            .upsert_site(&Site {
                code: code.to_string(),
                provider_code: "RWE".to_string(),
                name: Some(name.to_string()),
                setting,
            })
            .unwrap();
    }
    store
        .set_population(
            &LaCode::parse("E10000018").unwrap(),
            Some("Leicestershire"),
            2017,
            543_600,
        )
        .unwrap();
    store
        .set_population(
            &LaCode::parse("E06000017").unwrap(),
            Some("Rutland"),
            2017,
            33_300,
        )
        .unwrap();
}

#[allow(clippy::too_many_arguments)]
pub fn add(
    store: &mut Store,
    local: &str,
    nhs: Option<&str>,
    admitted: &str,
    site: &str,
    la: &str,
    ready: &str,
    reason: ReasonCode,
    attribution: Attribution,
    pathway: Option<Pathway>,
) -> i64 {
    store
        .add_delay(
            &NewDelay {
                local_id: local.to_string(),
                nhs_number: nhs.map(|n| NhsNumber::parse(n).unwrap()),
                admitted_on: d(admitted),
                site_code: site.to_string(),
                la_code: LaCode::parse(la).unwrap(),
                ready_on: d(ready),
                reason,
                attribution,
                planned_pathway: pathway,
                acute_reason: None,
            },
            today(),
        )
        .unwrap()
}

/// A small register: three open delays, one ended, a census cell and a target.
pub fn populate(store: &mut Store) {
    reference(store);
    let leics = "E10000018";
    let rutland = "E06000017";
    add(
        store,
        "H001",
        Some("9434765919"),
        "2018-06-20",
        "RX1",
        leics,
        "2018-07-01",
        ReasonCode::Di,
        Attribution::SocialCare,
        Some(Pathway::P3),
    );
    add(
        store,
        "H002",
        Some("6541003238"),
        "2018-07-25",
        "RX2",
        rutland,
        "2018-08-01",
        ReasonCode::C,
        Attribution::Nhs,
        Some(Pathway::P2),
    );
    add(
        store,
        "H003",
        None,
        "2018-08-05",
        "RX1",
        leics,
        "2018-08-10",
        ReasonCode::A,
        Attribution::Both,
        None,
    );
    let old = add(
        store,
        "H004",
        Some("6716689966"),
        "2018-05-01",
        "RX1",
        leics,
        "2018-05-10",
        ReasonCode::E,
        Attribution::SocialCare,
        Some(Pathway::P1),
    );
    store
        .end_delay(
            &EndDelay {
                delay_id: old,
                version: 1,
                on: d("2018-06-05"),
                kind: EndKind::Discharged,
                pathway: Some(Pathway::P1),
                destination: Some("p1_home".to_string()),
                usual_residence: None,
            },
            today(),
        )
        .unwrap();
    store
        .set_census(today(), "RX1", &LaCode::parse(leics).unwrap(), 40)
        .unwrap();
    store
        .set_target(&Target {
            la_code: LaCode::parse(rutland).unwrap(),
            month: YearMonth::new(2018, 8).unwrap(),
            measure: Measure::Total,
            unit: TargetUnit::DaysPerDay,
            value: 1.5,
        })
        .unwrap();
}

pub fn empty_app(dir: &tempfile::TempDir) -> App {
    App::new(open_store(dir), today())
}

pub fn populated_app(dir: &tempfile::TempDir) -> App {
    let mut store = open_store(dir);
    populate(&mut store);
    App::new(store, today())
}

pub fn press(app: &mut App, code: KeyCode) {
    app.handle_key(&KeyEvent::new(code, KeyModifiers::NONE));
}

pub fn ctrl(app: &mut App, c: char) {
    app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

pub fn chr(app: &mut App, c: char) {
    press(app, KeyCode::Char(c));
}

pub fn typ(app: &mut App, s: &str) {
    for c in s.chars() {
        chr(app, c);
    }
}

/// Selects the register row of `local_id` (it must be shown).
pub fn select(app: &mut App, local_id: &str) {
    let i = dtoc::ui::screens::register::visible(app)
        .iter()
        .position(|d| d.local_id == local_id)
        .unwrap();
    app.screens.register.selected = i;
}

/// Clears the focused field and types `s` into it.
pub fn set_field(app: &mut App, s: &str) {
    ctrl(app, 'u');
    typ(app, s);
}

/// Writes `csv` to `name` in `dir` and imports it through the app's path prompt opened by `key`.
pub fn import_in_app(app: &mut App, dir: &tempfile::TempDir, key: char, name: &str, csv: &str) {
    let path = dir.path().join(name);
    std::fs::write(&path, csv).unwrap();
    chr(app, key);
    assert!(app.form.is_some(), "{key} opens the import prompt");
    typ(app, path.to_str().unwrap());
    press(app, KeyCode::Enter);
}

/// Renders the app into a `w` × `h` buffer and returns its text, one line per row.
pub fn draw(app: &App, w: u16, h: u16) -> String {
    dtoc::ui::render_text(app, w, h)
}

/// Helpers for the import, migration, check and CLI tests.
pub mod cli;
pub mod db;
// `run` and `import_csv` are the worker the binary runs (`src/main.rs`), not called here.
#[allow(dead_code)]
pub mod stress;
pub mod xlsx;
