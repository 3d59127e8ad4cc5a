//! Update tests for the settings screen (authorities, populations, sites, targets in any unit)
//! and the long-stay list (filter, sort, export): keys fed to `App` over a temp database with a
//! fixed today (2018-08-15), asserting on state and on what the store holds and audited.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::{Measure, Setting, TargetUnit, YearMonth};
use dtoc::ui::app::ConfirmKind;
use dtoc::ui::screens::settings::convert_target;
use dtoc::ui::screens::{long_stay::LongSort, settings::SettingsTab};
use dtoc::ui::Context;

/// Opens settings on `tab` (l moves right from Authorities).
fn settings_tab(app: &mut dtoc::ui::App, tab: SettingsTab) {
    chr(app, '6');
    while app.screens.settings.tab != tab {
        chr(app, 'l');
    }
}

fn saved(app: &dtoc::ui::App) {
    assert!(
        app.form.is_none(),
        "form still open: {:?}",
        app.form
            .as_ref()
            .map(|f| (&f.form.error, f.form.first_invalid(today())))
    );
}

#[test]
fn add_a_site_with_its_type_of_care() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    settings_tab(&mut app, SettingsTab::Sites);
    chr(&mut app, 'a');
    typ(&mut app, "rx3");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "Hilltop Ward");
    press(&mut app, KeyCode::Tab);
    // Type of care starts at acute; Down picks the next: non-acute.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Tab);
    // The provider defaults to the other sites' provider (RWE).
    press(&mut app, KeyCode::Enter);
    saved(&app);
    let site = app
        .store
        .sites()
        .unwrap()
        .into_iter()
        .find(|s| s.code == "RX3")
        .unwrap();
    assert_eq!(site.setting, Setting::NonAcute);
    assert_eq!(site.name.as_deref(), Some("Hilltop Ward"));
    assert_eq!(site.provider_code, "RWE");
    assert_eq!(app.data.sites.len(), 3);
    let audit = app.store.audit_for("site", "RX3").unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action(), "add");
    assert_eq!(audit[0].new_value.as_deref(), Some("RWE non-acute"));
}

#[test]
fn a_site_takes_its_weekly_snapshot_on_the_day_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    settings_tab(&mut app, SettingsTab::Sites);
    chr(&mut app, 'a');
    typ(&mut app, "rx4");
    for _ in 0..4 {
        press(&mut app, KeyCode::Tab);
    }
    // The snapshot day starts at Monday; Down twice: Wednesday.
    assert_eq!(app.form.as_ref().unwrap().form.value(4), "Mon");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    saved(&app);
    let days = app.store.snapshot_days().unwrap();
    assert_eq!(days.get("RX4"), Some(&chrono::Weekday::Wed));
    // The other sites keep Monday.
    assert!(days
        .iter()
        .filter(|(code, _)| *code != "RX4")
        .all(|(_, d)| *d == chrono::Weekday::Mon));
    let audit = app.store.audit_for("site", "RX4").unwrap();
    let actions: Vec<_> = audit
        .iter()
        .map(|a| (a.action(), a.new_value.as_deref()))
        .collect();
    assert_eq!(actions, [("add", Some("RWE acute")), ("edit", Some("Wed"))]);
}

#[test]
fn set_a_population_for_a_new_year() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    settings_tab(&mut app, SettingsTab::Populations);
    chr(&mut app, 'a');
    typ(&mut app, "E06000017");
    press(&mut app, KeyCode::Tab);
    // The year defaults to today's (2018).
    assert_eq!(app.form.as_ref().unwrap().form.value(1), "2018");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "33500");
    press(&mut app, KeyCode::Enter);
    saved(&app);
    let pops = app.store.populations().unwrap();
    let r: Vec<(i32, u64)> = pops
        .iter()
        .filter(|p| p.la_code == "E06000017")
        .map(|p| (p.year, p.population_18plus))
        .collect();
    assert_eq!(r, vec![(2017, 33_300), (2018, 33_500)]);
    let audit = app.store.audit_for("population", "E06000017 2018").unwrap();
    assert_eq!(audit[0].new_value.as_deref(), Some("33500"));
    // The August 2018 report now uses the 2018 estimate (its own calendar year, docs/measures.md):
    // read when the Report screen is next shown.
    assert!(app.stale.aggregates);
    chr(&mut app, '5');
    let row = app
        .data
        .monthly
        .rows
        .iter()
        .find(|r| r.la_code == "E06000017" && r.month == "2018-08" && r.measure == Measure::Total)
        .unwrap();
    assert_eq!(row.population_year, Some(2018));
    assert_eq!(row.population_18plus, Some(33_500));
}

#[test]
fn set_a_target_per_100k_per_day_and_see_it_converted() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    settings_tab(&mut app, SettingsTab::Targets);
    chr(&mut app, 'a');
    typ(&mut app, "E06000017");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "2018-09");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "per_100k_day");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "4.5");
    // Shown converted as it is typed. Rutland's 2017 estimate 33,300 applies to 2018-09:
    // 4.5 × 33,300 / 100,000 = 1.4985 a day; × 30 days = 44.955 days;
    // 44.955 / 33,300 × 100,000 = 135.0 per 100,000 a month.
    let note = app.form.as_ref().unwrap().form.note.clone().unwrap();
    assert_eq!(
        note,
        "= 44.95 days · 1.50 a day · 135.00 /100k a month · 4.50 /100k a day (2017 18+ population 33300)"
    );
    press(&mut app, KeyCode::Enter);
    saved(&app);
    let t = app
        .store
        .targets(
            YearMonth::new(2018, 9).unwrap(),
            YearMonth::new(2018, 9).unwrap(),
        )
        .unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].unit, TargetUnit::Per100kDay);
    assert_eq!(t[0].measure, Measure::Total);
    assert!((t[0].value - 4.5).abs() < 1e-12);
    let u = convert_target(&t[0], &app.data.populations).unwrap();
    assert!((u.days - 44.955).abs() < 1e-9, "{}", u.days);
    assert!((u.per_day - 1.4985).abs() < 1e-9);
    assert!((u.per_100k_month.unwrap() - 135.0).abs() < 1e-9);
    // The message after saving says the same in every unit.
    assert!(app.message.as_ref().unwrap().text.contains("44.95 days"));
    let audit = app
        .store
        .audit_for("target", "E06000017 2018-09 total")
        .unwrap();
    assert_eq!(audit[0].new_value.as_deref(), Some("4.5 per_100k_day"));
    // The settings list shows it in all four units in one format (two decimals), the entered one
    // marked *.
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("44.95"), "{screen}");
    assert!(screen.contains("4.50*"), "{screen}");
}

#[test]
fn rename_an_authority_with_audit() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    settings_tab(&mut app, SettingsTab::Authorities);
    // Authorities are listed by name: Leicestershire, Rutland.
    chr(&mut app, 'j');
    chr(&mut app, 'e');
    assert_eq!(app.form.as_ref().unwrap().form.value(0), "E06000017");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "Rutland County");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "East Midlands");
    press(&mut app, KeyCode::Enter);
    saved(&app);
    let a = app
        .data
        .authorities
        .iter()
        .find(|a| a.code == "E06000017")
        .unwrap();
    assert_eq!(a.name.as_deref(), Some("Rutland County"));
    assert_eq!(a.region.as_deref(), Some("East Midlands"));
    let audit = app.store.audit_for("local_authority", "E06000017").unwrap();
    let last = audit.last().unwrap();
    assert_eq!(last.action(), "edit");
    assert_eq!(last.old_value.as_deref(), Some("Rutland / - / -"));
    assert_eq!(
        last.new_value.as_deref(),
        Some("Rutland County / East Midlands / -")
    );
}

#[test]
fn a_bad_authority_code_is_refused_beside_the_field_and_esc_asks() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    settings_tab(&mut app, SettingsTab::Authorities);
    chr(&mut app, 'a');
    typ(&mut app, "E1");
    assert!(app
        .form
        .as_ref()
        .unwrap()
        .form
        .shown_error(0, today())
        .is_some());
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_some());
    assert_eq!(app.store.authorities().unwrap().len(), 2);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.confirm, Some(ConfirmKind::DiscardForm));
    chr(&mut app, 'y');
    assert!(app.form.is_none());
}

#[test]
fn long_stay_filter_as_you_type() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '4');
    // Ready for more than 10 days on 2018-08-15: H001 (45 days) and H002 (14 days).
    assert_eq!(dtoc::ui::screens::long_stay::waiters(&app).len(), 2);
    chr(&mut app, '/');
    assert_eq!(app.context(), Context::Filter);
    typ(&mut app, "rx2");
    let ids: Vec<&str> = dtoc::ui::screens::long_stay::waiters(&app)
        .iter()
        .map(|d| d.local_id.as_str())
        .collect();
    assert_eq!(ids, ["H002"]);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::LongStay);
    assert_eq!(dtoc::ui::screens::long_stay::waiters(&app).len(), 1);
    chr(&mut app, '/');
    press(&mut app, KeyCode::Esc);
    assert_eq!(dtoc::ui::screens::long_stay::waiters(&app).len(), 2);
    // The register's filter is untouched.
    assert_eq!(app.screens.register.query.value(), "");
}

#[test]
fn long_stay_sort_cycles_column_and_direction() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '4');
    let order = |app: &dtoc::ui::App| -> Vec<String> {
        dtoc::ui::screens::long_stay::waiters(app)
            .iter()
            .map(|d| d.local_id.clone())
            .collect()
    };
    // Days delayed, longest first: H001 45, H002 14.
    assert_eq!(order(&app), ["H001", "H002"]);
    chr(&mut app, 'o');
    assert_eq!(order(&app), ["H002", "H001"]);
    chr(&mut app, 's');
    // Length of stay, longest first (a new column starts descending): H001 56, H002 21.
    assert_eq!(app.screens.long_stay.sort, LongSort::LengthOfStay);
    assert!(app.screens.long_stay.descending);
    assert_eq!(order(&app), ["H001", "H002"]);
    chr(&mut app, 's');
    // Ready date, latest first: H002 2018-08-01, H001 2018-07-01.
    assert_eq!(app.screens.long_stay.sort, LongSort::ReadyDate);
    assert_eq!(order(&app), ["H002", "H001"]);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("sort ready date ↓"), "{screen}");
}

#[test]
fn long_stay_export_csv_and_xlsx_say_they_hold_identifiers() {
    use calamine::{open_workbook, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    app.export_dir = dir.path().to_path_buf();
    chr(&mut app, '4');
    chr(&mut app, 'E');
    let path = dir.path().join("dtoc-long-stay-2018-08-15.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("CONTAINS PATIENT IDENTIFIERS"));
    assert!(lines[1].starts_with("local_id,nhs_number_masked,site,"));
    assert_eq!(
        lines[2],
        "H001,*** *** 5919,RX1,E10000018,Leicestershire,2018-06-20,2018-07-01,45,56,Di,Social Care,3,,,"
    );
    assert!(lines[1].ends_with(",planned_pathway,ward,bed,expected_on"));
    assert_eq!(lines.len(), 4);
    assert!(!text.contains("9434765919") && !text.contains("6541003238"));
    let msg = &app.message.as_ref().unwrap().text;
    assert!(msg.contains("dtoc-long-stay-2018-08-15.csv"), "{msg}");
    chr(&mut app, 'X');
    let path = dir.path().join("dtoc-long-stay-2018-08-15.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let range = wb.worksheet_range("Long stay patients").unwrap();
    assert!(range
        .get((0, 0))
        .unwrap()
        .to_string()
        .starts_with("CONTAINS PATIENT IDENTIFIERS"));
    assert_eq!(range.get((3, 0)).unwrap().to_string(), "H001");
    assert_eq!(range.get((3, 7)).unwrap().to_string(), "45");
}

/// With NO_COLOR no cell of any screen has a colour; with colour only the 16 ANSI colours are
/// used; and RAG is spelt out in text (Rutland's August figure is "green similar").
#[test]
fn no_color_and_16_colours_on_every_screen() {
    use ratatui::style::Color;
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    let ansi16 = |c: Color| {
        matches!(
            c,
            Color::Reset
                | Color::Black
                | Color::Red
                | Color::Green
                | Color::Yellow
                | Color::Blue
                | Color::Magenta
                | Color::Cyan
                | Color::Gray
                | Color::DarkGray
                | Color::LightRed
                | Color::LightGreen
                | Color::LightYellow
                | Color::LightBlue
                | Color::LightMagenta
                | Color::LightCyan
                | Color::White
        )
    };
    for color in [false, true] {
        app.theme = dtoc::ui::theme::Theme { color };
        for k in ['1', '2', '3', '4', '5', '6'] {
            chr(&mut app, k);
            for (w, h) in [(80, 24), (160, 48)] {
                let backend = ratatui::backend::TestBackend::new(w, h);
                let mut term = ratatui::Terminal::new(backend).unwrap();
                term.draw(|f| dtoc::ui::render(f, &app)).unwrap();
                for cell in term.backend().buffer().content() {
                    if color {
                        assert!(ansi16(cell.fg) && ansi16(cell.bg), "screen {k}: {cell:?}");
                    } else {
                        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{k}");
                    }
                }
            }
        }
        // Screen 1 (dashboard) shows RAG as a word beside the figure.
        chr(&mut app, '1');
        assert!(draw(&app, 80, 24).contains("green similar"));
    }
}
