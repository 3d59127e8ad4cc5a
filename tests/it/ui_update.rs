//! Update tests: keys fed to `App` over a temp database with a fixed today.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::{Attribution, EndKind, Pathway, ReasonCode};
use dtoc::ui::screens::board::BoardPhase;
use dtoc::ui::{Context, ScreenId};

#[test]
fn add_change_reason_and_end_through_forms() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    reference(&mut store);
    let mut app = dtoc::ui::App::new(store, today());
    chr(&mut app, '2');
    assert_eq!(app.screen, ScreenId::Register);
    chr(&mut app, 'a');
    assert_eq!(app.context(), Context::Form);
    typ(&mut app, "H100");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "943 476 5919");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "1/8/18");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "rx1");
    press(&mut app, KeyCode::Tab);
    // the authority pick list: choose with Down (first entry) then type over it
    press(&mut app, KeyCode::Down);
    set_field(&mut app, "E10000018");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "t-5");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "Di");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "nhs");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "3");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "form closed: {:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let row = app
        .data
        .delays
        .iter()
        .find(|d| d.local_id == "H100")
        .unwrap()
        .clone();
    assert_eq!(row.ready_on, d("2018-08-10"));
    assert_eq!(row.admitted_on, d("2018-08-01"));
    assert_eq!(row.reason, ReasonCode::Di);
    assert_eq!(row.attribution, Attribution::Nhs);
    assert_eq!(row.planned_pathway, Some(Pathway::P3));
    assert_eq!(row.nhs_number.as_ref().unwrap().masked(), "*** *** 5919");

    // change the reason from 2018-08-13
    select(&mut app, "H100");
    chr(&mut app, 'r');
    assert_eq!(app.context(), Context::Form);
    set_field(&mut app, "13/8/18");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "E");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "sc");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let periods = app.store.periods_of(row.delay_id).unwrap();
    assert_eq!(periods.len(), 2);
    assert_eq!(periods[0].reason, ReasonCode::Di);
    assert_eq!(periods[0].end, Some(d("2018-08-13")));
    assert_eq!(periods[1].start, d("2018-08-13"));
    assert_eq!(periods[1].reason, ReasonCode::E);
    assert_eq!(periods[1].attribution, Attribution::SocialCare);

    // end it: a discharge without a pathway is refused and the form kept
    select(&mut app, "H100");
    chr(&mut app, 'x');
    press(&mut app, KeyCode::Enter);
    let f = app.form.as_ref().unwrap();
    assert!(f.form.error.as_deref().unwrap().contains("pathway"));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "1");
    press(&mut app, KeyCode::Tab);
    // The destination is one of the 12 of the acute sitrep (a pick list; its code can be typed).
    typ(&mut app, "p1_home");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let det = app.store.delay_detail(row.delay_id).unwrap();
    assert_eq!(det.row.ended_on, Some(today()));
    assert_eq!(det.row.end_kind, Some(EndKind::Discharged));
    assert_eq!(det.pathway, Some(Pathway::P1));
    assert_eq!(det.destination.as_deref(), Some("p1_home"));
    assert!(app.data.delays.iter().all(|d| d.local_id != "H100"));
}

#[test]
fn invalid_form_is_not_saved_and_keeps_typing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    chr(&mut app, 'a');
    typ(&mut app, "H001");
    assert!(app
        .form
        .as_ref()
        .unwrap()
        .form
        .note
        .as_deref()
        .unwrap()
        .contains("*** *** 5919"));
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "9434765918");
    press(&mut app, KeyCode::Enter);
    let f = &app.form.as_ref().unwrap().form;
    assert_eq!(f.value(1), "9434765918");
    assert_eq!(f.focus, 1, "focus moves to the first invalid field");
    assert_eq!(app.data.delays.len(), 3);
    // Esc with changes asks first; n keeps the form
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Confirm);
    chr(&mut app, 'n');
    assert_eq!(app.context(), Context::Form);
    press(&mut app, KeyCode::Esc);
    chr(&mut app, 'y');
    assert!(app.form.is_none());
}

#[test]
fn stale_version_is_refused_and_form_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    select(&mut app, "H002");
    chr(&mut app, 'r');
    // someone else changes the delay meanwhile
    let mut other = open_store(&dir);
    let row = app
        .data
        .delays
        .iter()
        .find(|d| d.local_id == "H002")
        .unwrap()
        .clone();
    other
        .change_reason(
            &dtoc::store::ReasonChange {
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
    set_field(&mut app, "t-1");
    press(&mut app, KeyCode::Enter);
    let f = app.form.as_ref().expect("form kept");
    assert!(f.form.error.is_some());
    assert_eq!(f.form.value(0), "t-1");
    // the tick notices the other connection's commit
    app.tick();
    assert_eq!(
        app.message.as_ref().unwrap().text,
        dtoc::ui::strings::RELOADED
    );
}

#[test]
fn delete_with_confirm() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    select(&mut app, "H003");
    chr(&mut app, 'd');
    chr(&mut app, 'n');
    assert_eq!(app.data.delays.len(), 3);
    chr(&mut app, 'd');
    chr(&mut app, 'y');
    assert_eq!(app.data.delays.len(), 2);
    assert!(app.data.delays.iter().all(|d| d.local_id != "H003"));
}

#[test]
fn board_round_reviews_three_delays_then_census() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '3');
    assert_eq!(dtoc::ui::screens::board::progress(&app), (0, 3));
    press(&mut app, KeyCode::Enter);
    assert_eq!(dtoc::ui::screens::board::progress(&app), (1, 3));
    assert_eq!(app.screens.board.index, 1);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert_eq!(dtoc::ui::screens::board::progress(&app), (3, 3));
    assert!(dtoc::ui::render_text(&app, 80, 24).contains("3 of 3 reviewed"));
    for d in app.store.list_delays(&Default::default(), today()).unwrap() {
        assert_eq!(d.reviewed_on, Some(today()), "{}", d.local_id);
    }
    assert_eq!(app.screens.board.phase, BoardPhase::Census);
    assert_eq!(app.context(), Context::Form);
    // RX1/Leics already 40; set RX2/Rutland (the 4th cell: RX1×2 then RX2×2, authorities by name)
    // The census form: one field per (site, authority) cell, labelled with both.
    let form = &app.form.as_ref().unwrap().form;
    assert_eq!(form.title, dtoc::ui::strings::FORM_CENSUS);
    let i = form
        .fields
        .iter()
        .position(|f| f.label == "RX2 / Rutland")
        .unwrap();
    for _ in 0..i {
        press(&mut app, KeyCode::Tab);
    }
    typ(&mut app, "12");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screens.board.phase, BoardPhase::Summary);
    let census = app.store.census(today()).unwrap();
    assert!(census.contains(&("RX2".to_string(), "E06000017".to_string(), 12)));
    assert!(census.contains(&("RX1".to_string(), "E10000018".to_string(), 40)));
}

#[test]
fn long_stay_days_and_sort() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '4');
    assert_eq!(dtoc::ui::screens::long_stay::waiters(&app).len(), 2);
    for _ in 0..10 {
        chr(&mut app, '-');
    }
    assert_eq!(app.screens.long_stay.days, 0);
    assert_eq!(dtoc::ui::screens::long_stay::waiters(&app).len(), 3);
    chr(&mut app, 's');
    assert_eq!(
        app.screens.long_stay.sort,
        dtoc::ui::screens::long_stay::LongSort::LengthOfStay
    );
}

#[test]
fn export_writes_csv() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    app.export_dir = dir.path().to_path_buf();
    chr(&mut app, '5');
    chr(&mut app, 'E');
    let path = dir.path().join("dtoc-monthly-2018-08.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(dtoc::report::monthly::MONTHLY_HEADER));
    assert!(text.contains("2018-07,E10000018,Leicestershire,social_care,31,31,"));
    assert!(app
        .message
        .as_ref()
        .unwrap()
        .text
        .contains("dtoc-monthly-2018-08.csv"));
}

#[test]
fn add_target_from_settings() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '6');
    // The targets list is the fourth of five (h goes back from the first to the last).
    chr(&mut app, 'h');
    chr(&mut app, 'h');
    chr(&mut app, 'a');
    typ(&mut app, "E10000018");
    for _ in 0..4 {
        press(&mut app, KeyCode::Tab);
    }
    typ(&mut app, "2.5");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert_eq!(app.data.targets.len(), 2);
}

#[test]
fn quit_asks_when_form_has_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    chr(&mut app, 'a');
    typ(&mut app, "q");
    assert!(!app.quit, "q types into the field");
    ctrl(&mut app, 'c');
    assert_eq!(app.context(), Context::Confirm);
    chr(&mut app, 'y');
    assert!(app.quit);
}

#[test]
fn edit_ready_date_and_site() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    select(&mut app, "H003");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Detail);
    chr(&mut app, 'e');
    set_field(&mut app, "9/8/18");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "Community Hosp");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let row = &app.screens.register.detail.as_ref().unwrap().row;
    assert_eq!(row.ready_on, d("2018-08-09"));
    assert_eq!(row.site_code, "RX2");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Register);
}

#[test]
fn quick_filters_and_typed_filter() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    chr(&mut app, 'R'); // reason A
    assert_eq!(dtoc::ui::screens::register::visible(&app).len(), 1);
    chr(&mut app, 'c');
    chr(&mut app, 'A'); // NHS
    assert_eq!(
        dtoc::ui::screens::register::visible(&app)[0].local_id,
        "H002"
    );
    chr(&mut app, 'c');
    chr(&mut app, '/');
    typ(&mut app, "h00");
    assert_eq!(dtoc::ui::screens::register::visible(&app).len(), 3);
    chr(&mut app, '1');
    assert_eq!(
        dtoc::ui::screens::register::visible(&app).len(),
        1,
        "typing goes to the filter, not to screen 1"
    );
    press(&mut app, KeyCode::Enter);
    chr(&mut app, 't');
    chr(&mut app, 'c');
    assert_eq!(
        dtoc::ui::screens::register::visible(&app).len(),
        4,
        "ended delay included"
    );
}

#[test]
fn export_xlsx_and_period_cycle() {
    use calamine::{open_workbook, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    app.export_dir = dir.path().to_path_buf();
    chr(&mut app, '5');
    assert!(app.screens.report.rows.iter().any(|r| r.month == "2018-08"));
    chr(&mut app, 'p');
    assert!(app
        .screens
        .report
        .rows
        .iter()
        .all(|r| r.month.to_string().contains('Q')));
    chr(&mut app, 'X');
    let path = dir.path().join("dtoc-monthly-2018-08-quarterly.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let range = wb.worksheet_range("Monthly report").unwrap();
    // A title row, then the header row, then one row per report row. Quarter rows say what they
    // are (issue 17): the first column is `period`.
    assert_eq!(range.get((1, 0)).unwrap().to_string(), "period");
    assert_eq!(range.height(), app.screens.report.rows.len() + 2);
    chr(&mut app, 'p');
    chr(&mut app, 'p');
    assert!(app.screens.report.rows.iter().any(|r| r.month == "2018-08"));
}

#[test]
fn report_views_cycle_and_spc_is_computed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '5');
    chr(&mut app, 'v');
    assert_eq!(
        app.screens.report.view,
        dtoc::ui::screens::report::ReportView::Chart
    );
    assert!(!app.screens.report.stack.is_empty());
    chr(&mut app, 'v');
    assert_eq!(
        app.screens.report.view,
        dtoc::ui::screens::report::ReportView::Spc
    );
    assert!(app.screens.report.spc.is_some());
    chr(&mut app, 'v');
    assert_eq!(
        app.screens.report.view,
        dtoc::ui::screens::report::ReportView::Table
    );
}

/// The board round's census is saved in one transaction: a cell the store refuses (an unknown
/// site) leaves every cell as it was; a valid census stores every cell.
#[test]
fn a_census_is_saved_whole_or_not_at_all() {
    use dtoc::domain::LaCode;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    populate(&mut store);
    let before = store.census(today()).unwrap();
    let rutland = LaCode::parse("E06000017").unwrap();
    let refused = store.set_census_all(
        today(),
        &[
            ("RX2".to_string(), rutland.clone(), 12),
            ("NOPE".to_string(), rutland.clone(), 3),
        ],
    );
    assert!(refused.is_err());
    assert_eq!(store.census(today()).unwrap(), before);
    store
        .set_census_all(
            today(),
            &[
                ("RX2".to_string(), rutland.clone(), 12),
                ("RX1".to_string(), rutland, 3),
            ],
        )
        .unwrap();
    let after = store.census(today()).unwrap();
    assert!(after.contains(&("RX2".to_string(), "E06000017".to_string(), 12)));
    assert!(after.contains(&("RX1".to_string(), "E06000017".to_string(), 3)));
}
