//! Issue 26, item 5 (entry friction): a known patient's stay fills the add form; a year of
//! targets in one form and one file, shown in one format; the sign-off comment with the week; a
//! refused second signature says what changed; two sides, two users unless the hub's rule allows
//! one (and the week's history says so).
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::{
    Attribution, EndKind, LaCode, Measure, Placement, ReasonCode, Side, TargetUnit, Week, YearMonth,
};
use dtoc::store::{EndDelay, ReasonChange, SignWeek, Store, Target};
use dtoc::ui::screens::settings::SettingsTab;
use dtoc::ui::App;

const LEICS: &str = "E10000018";
const RUTLAND: &str = "E06000017";

fn all_delays(store: &Store) -> Vec<dtoc::store::DelayRow> {
    let every = dtoc::store::DelayFilter {
        include_ended: true,
        ..Default::default()
    };
    store.list_delays(&every, today()).unwrap()
}

fn delay_of(store: &Store, local: &str) -> dtoc::store::DelayRow {
    all_delays(store)
        .into_iter()
        .find(|d| d.local_id == local && d.ended_on.is_none())
        .unwrap()
}

fn form(app: &App) -> &dtoc::ui::widgets::form::Form {
    &app.form.as_ref().expect("a form is open").form
}

fn note(app: &App) -> String {
    form(app).note.clone().unwrap_or_default()
}

/// Add-form fields: local id, NHS, admitted, site, authority, ready, reason, attribution,
/// pathway, acute reason, ward, bed, expected date.
const ADMITTED: usize = 2;
const SITE: usize = 3;
const LA: usize = 4;
const WARD: usize = 10;
const BED: usize = 11;
const EXPECTED: usize = 12;

/// The populated register where H003 (admitted 5 August at RX1, Leicestershire) is on Ward 7,
/// bed 3, expected out on 20 August, and no longer delayed from 12 August: a stay open, no delay.
fn h003_in_ward_7(dir: &tempfile::TempDir) -> App {
    let mut store = open_store(dir);
    populate(&mut store);
    let h = delay_of(&store, "H003");
    let place = Placement::new("Ward 7", "3", Some(d("2018-08-20"))).unwrap();
    store
        .set_placement(h.delay_id, h.version, &place, today())
        .unwrap();
    let h = delay_of(&store, "H003");
    store
        .end_delay(
            &EndDelay {
                delay_id: h.delay_id,
                version: h.version,
                on: d("2018-08-12"),
                kind: EndKind::UnfitAgain,
                pathway: None,
                destination: None,
                usual_residence: None,
            },
            today(),
        )
        .unwrap();
    App::new(store, today())
}

#[test]
fn a_known_patients_current_stay_fills_the_add_form_and_can_be_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = h003_in_ward_7(&dir);
    chr(&mut app, '2');
    chr(&mut app, 'a');
    typ(&mut app, "H003");
    let f = form(&app);
    assert_eq!(f.value(ADMITTED), "2018-08-05");
    assert_eq!(f.value(SITE), "RX1");
    assert_eq!(f.value(LA), LEICS);
    assert_eq!(f.value(WARD), "Ward 7");
    assert_eq!(f.value(BED), "3");
    assert_eq!(f.value(EXPECTED), "2018-08-20");
    assert_eq!(
        note(&app),
        "known patient, no NHS number: in since 2018-08-05 at RX1; the stay's details are filled, change any"
    );
    assert_snapshot!("known_patient_filled_80x24", draw(&app, 80, 24));
    // The user fills the delay and moves the patient to bed 5.
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    set_field(&mut app, "2018-08-14");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "E");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "Social Care");
    for _ in 0..4 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(form(&app).focus, BED);
    set_field(&mut app, "5");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "saved: {:?}", app.form);
    // The new delay is on the same stay, which now has bed 5.
    let rows: Vec<_> = all_delays(&app.store)
        .into_iter()
        .filter(|d| d.local_id == "H003")
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].stay_id, rows[1].stay_id);
    let new = rows.iter().find(|d| d.ended_on.is_none()).unwrap();
    assert_eq!(new.ready_on, d("2018-08-14"));
    assert_eq!(new.admitted_on, d("2018-08-05"));
    assert_eq!(new.ward.as_deref(), Some("Ward 7"));
    assert_eq!(new.bed.as_deref(), Some("5"));
}

#[test]
fn a_patient_with_no_open_stay_fills_only_the_authority_and_typed_fields_stay() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = h003_in_ward_7(&dir);
    chr(&mut app, '2');
    chr(&mut app, 'a');
    // H004 was discharged on 5 June 2018 (from Leicestershire).
    typ(&mut app, "H004");
    let f = form(&app);
    assert_eq!(
        (f.value(ADMITTED), f.value(SITE), f.value(LA)),
        ("", "", LEICS)
    );
    assert_eq!(
        note(&app),
        "known patient, NHS *** *** 9966: no stay open (the last ended 2018-06-05); its authority is filled"
    );
    // An unknown id empties what was filled and says nothing.
    set_field(&mut app, "H00X");
    assert_eq!(form(&app).value(LA), "");
    assert_eq!(form(&app).note, None);
    // A field the user set is theirs: H003's stay fills the rest but not the authority.
    for _ in 0..LA {
        press(&mut app, KeyCode::Tab);
    }
    set_field(&mut app, RUTLAND);
    for _ in LA..13 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(form(&app).focus, 0);
    set_field(&mut app, "H003");
    let f = form(&app);
    assert_eq!(f.value(ADMITTED), "2018-08-05");
    assert_eq!(f.value(LA), RUTLAND);
}

#[test]
fn a_whole_nhs_number_finds_the_patient_and_their_local_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    chr(&mut app, 'a');
    press(&mut app, KeyCode::Tab);
    // H002 (RX2, Rutland, admitted 25 July) is delayed from 1 August: a second delay is refused,
    // and the note says so before anything is typed further.
    typ(&mut app, "654 100 323");
    assert_eq!(form(&app).value(0), "", "a part number names nobody");
    typ(&mut app, "8");
    let f = form(&app);
    assert_eq!(f.value(0), "H002");
    assert_eq!(
        (f.value(ADMITTED), f.value(SITE), f.value(LA)),
        ("2018-07-25", "RX2", RUTLAND)
    );
    assert_eq!(
        note(&app),
        "known patient, NHS *** *** 3238: in since 2018-07-25 at RX2; the stay's details are filled, change any; already delayed from 2018-08-01 (one open delay at a time)"
    );
    // The NHS number is never written into another field or the note.
    assert!(!draw(&app, 160, 48).contains("6541003238"));
}

fn settings_targets(app: &mut App) {
    chr(app, '6');
    while app.screens.settings.tab != SettingsTab::Targets {
        chr(app, 'l');
    }
}

#[test]
fn a_year_of_targets_in_one_form_one_value_for_all_twelve() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    settings_targets(&mut app);
    chr(&mut app, 'y');
    assert_eq!(form(&app).title, " A year of targets ");
    // Opened like the selected target (Rutland's August total, a day).
    assert_eq!(
        (form(&app).value(0), form(&app).value(3)),
        (RUTLAND, "days_per_day")
    );
    set_field(&mut app, LEICS);
    press(&mut app, KeyCode::Tab);
    // April of the financial year of today (15 August 2018).
    assert_eq!(form(&app).value(1), "2018-04");
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    typ(&mut app, "1.5");
    // 1.5 a day over April 2018 to March 2019 (365 days) = 547.5 delayed days.
    assert_eq!(
        note(&app),
        "2018-04 to 2019-03: Apr 1.50 · May 1.50 · Jun 1.50 · Jul 1.50 · Aug 1.50 · Sep 1.50 · Oct 1.50 · Nov 1.50 · Dec 1.50 · Jan 1.50 · Feb 1.50 · Mar 1.50\n= 547.50 delayed days over the twelve months"
    );
    assert_snapshot!("year_targets_form_80x24", draw(&app, 80, 24));
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "Saved. 12 monthly targets set, 2018-04 to 2019-03."
    );
    let t: Vec<Target> = app
        .store
        .targets(
            YearMonth::new(2018, 4).unwrap(),
            YearMonth::new(2019, 3).unwrap(),
        )
        .unwrap()
        .into_iter()
        .filter(|t| t.la_code.as_str() == LEICS)
        .collect();
    assert_eq!(t.len(), 12);
    assert!(t
        .iter()
        .all(|t| t.unit == TargetUnit::DaysPerDay && (t.value - 1.5).abs() < 1e-12));
    // Each month audited.
    let audit = app
        .store
        .audit_for("target", "E10000018 2019-02 total")
        .unwrap();
    assert_eq!(audit[0].new_value.as_deref(), Some("1.5 days_per_day"));
}

#[test]
fn a_year_of_targets_twelve_values_in_order_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    settings_targets(&mut app);
    chr(&mut app, 'y');
    set_field(&mut app, RUTLAND);
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "2019-01");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "social_care");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "days");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "10 11 12");
    assert_eq!(
        note(&app),
        "Value(s): 3 values: give one for all twelve months, or twelve"
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        form(&app).error.as_deref(),
        Some("Not saved: Value(s): 3 values: give one for all twelve months, or twelve")
    );
    // Twelve, as copied from a spreadsheet row (tabs).
    set_field(&mut app, "10\t11\t12\t13\t14\t15\t16\t17\t18\t19\t20\t21");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form);
    let t: Vec<(String, f64)> = app
        .store
        .targets(
            YearMonth::new(2019, 1).unwrap(),
            YearMonth::new(2019, 12).unwrap(),
        )
        .unwrap()
        .into_iter()
        .filter(|t| t.measure == Measure::SocialCare)
        .map(|t| (t.month.key(), t.value))
        .collect();
    assert_eq!(t.len(), 12);
    assert_eq!(t[0], ("2019-01".to_string(), 10.0));
    assert_eq!(t[11], ("2019-12".to_string(), 21.0));
}

#[test]
fn targets_show_every_unit_in_one_format_with_the_marker_explained() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    populate(&mut store);
    // 320 delayed days in July 2018 for Leicestershire (543,600 adults in 2017).
    store
        .set_target(&Target {
            la_code: LaCode::parse(LEICS).unwrap(),
            month: YearMonth::new(2018, 7).unwrap(),
            measure: Measure::Total,
            unit: TargetUnit::Days,
            value: 320.0,
        })
        .unwrap();
    let mut app = App::new(store, today());
    settings_targets(&mut app);
    let screen = draw(&app, 80, 24);
    // 320 / 31 = 10.32 a day; 320 / 543,600 × 100,000 = 58.87 a month, / 31 = 1.90 a day.
    assert!(screen.contains("320.00*"), "{screen}");
    assert!(screen.contains("10.32"), "{screen}");
    assert!(screen.contains("58.87"), "{screen}");
    assert!(screen.contains("1.90"), "{screen}");
    assert!(!screen.contains("320*"), "{screen}");
    assert!(screen.contains("* = as entered"), "{screen}");
    assert_snapshot!("settings_targets_one_format_80x24", screen);
}

#[test]
fn a_financial_year_row_imports_twelve_months_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    populate(&mut store);
    let ok = "la_code,month,measure,unit,value\nE10000018,2018/19,total,per_100k_day,7.88\nE10000018,2018/19,nhs,per_100k_day,5.5\n";
    let c = dtoc::import::read_targets_bytes("targets.csv", ok.as_bytes()).unwrap();
    assert_eq!(c.records.len(), 24);
    assert_eq!(c.records[0].month.key(), "2018-04");
    assert_eq!(c.records[11].month.key(), "2019-03");
    assert_eq!(c.records[12].line, 3);
    let s = store.import_targets(&c).unwrap();
    assert_eq!(s.added, 24);
    // A year that is not one, and a month given twice (by a year and on its own line): nothing of
    // the file is read, and each error names the file, line, field and rule.
    let bad = "la_code,month,measure,unit,value\nE06000017,2018/19,total,days_per_day,1.5\nE06000017,2018/20,nhs,days,10\nE06000017,2018-09,total,days,40\n";
    let e = dtoc::import::read_targets_bytes("targets.csv", bad.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("targets.csv line 3, month 2018/20: not a financial year in the form YYYY/YY (e.g. 2018/19): 2018/20 does not run from one year to the next (2018/19)"),
        "{e}"
    );
    assert!(
        e.contains("targets.csv line 4, measure total: a total target for E06000017 2018-09 is also on line 2"),
        "{e}"
    );
    let rutland = store
        .targets(
            YearMonth::new(2018, 4).unwrap(),
            YearMonth::new(2019, 3).unwrap(),
        )
        .unwrap()
        .into_iter()
        .filter(|t| t.la_code.as_str() == RUTLAND)
        .count();
    assert_eq!(rutland, 1, "only populate's August target");
}

/// Week 2018-W31 (30 July to 5 August) of the populated register: H001 (Leicestershire, Di,
/// Social Care, ready 1 July) 7 days; H002 (Rutland, C, NHS, ready 1 August) 5 days: 12.
fn w31() -> Week {
    Week::parse("2018-W31").unwrap()
}

fn sign_as(
    store: &mut Store,
    user: &str,
    side: Side,
    by: &str,
    comment: Option<&str>,
) -> dtoc::Result<dtoc::store::Signoff> {
    store.set_user(user).unwrap();
    store.sign_week(
        &SignWeek {
            week: w31(),
            side,
            by: by.into(),
            comment: comment.map(str::to_string),
        },
        today(),
    )
}

#[test]
fn the_sign_off_comment_is_shown_with_the_week() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    populate(&mut store);
    sign_as(
        &mut store,
        "ann",
        Side::Nhs,
        "Ann Nurse",
        Some("Agreed at sitrep call"),
    )
    .unwrap();
    let mut app = App::new(store, today());
    chr(&mut app, '8');
    chr(&mut app, 'p');
    assert_eq!(app.screens.weekly.week, Some(w31()));
    let screen = draw(&app, 80, 24);
    // The line wraps at 80 columns: read the box's text as one.
    let text: Vec<&str> = screen
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
        .collect();
    assert!(
        text.join(" ").contains("NHS signed by Ann Nurse at 2018-08-15 09:00: \"Agreed at sitrep call\"; council not signed"),
        "{screen}"
    );
    assert_snapshot!("weekly_signed_with_comment_80x24", screen);
    // `dtoc report weekly`: the same line, in the notes of its first table.
    let json = common::cli::stdout_of(
        common::cli::dtoc_on(&dir.path().join("dtoc.sqlite"), "2018-08-15"),
        &["report", "weekly", "--week", "2018-W31", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["tables"][0]["notes"][0],
        "Sign-off: NHS signed by Ann Nurse at 2018-08-15T09:00:00Z: \"Agreed at sitrep call\"; council not signed"
    );
}

#[test]
fn a_refused_second_signature_says_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    populate(&mut store);
    sign_as(&mut store, "ann", Side::Nhs, "Ann Nurse", None).unwrap();
    // From 3 August H001's reason is A, NHS: 3 of its 7 days move from Social Care to NHS.
    let h = delay_of(&store, "H001");
    store
        .change_reason(
            &ReasonChange {
                delay_id: h.delay_id,
                version: h.version,
                from: d("2018-08-03"),
                reason: ReasonCode::A,
                attribution: Attribution::Nhs,
                acute_reason: None,
            },
            today(),
        )
        .unwrap();
    let expected = "the delayed days of week 2018-W31 have changed since the NHS side signed them (Ann Nurse at 2018-08-15T09:00:00Z): Leicestershire NHS 0 signed, 3 now; Leicestershire Social Care 7 signed, 4 now; total 12 signed, 12 now. Reopen the week so that both sides sign the same figures";
    let e = sign_as(&mut store, "bob", Side::Council, "Bob Officer", None).unwrap_err();
    assert_eq!(e.to_string(), expected);
    // In the app: the sign-off form keeps the entry and shows the same.
    store.set_user("bob").unwrap();
    let mut app = App::new(store, today());
    chr(&mut app, '8');
    chr(&mut app, 'p');
    chr(&mut app, 's');
    assert_eq!(form(&app).value(0), "council");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "Bob Officer");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        form(&app).error.as_deref(),
        Some(format!("Not saved: {expected}").as_str())
    );
    assert_snapshot!("weekly_refused_what_changed_80x24", draw(&app, 80, 24));
    // On the command line: the same words on stderr.
    let out = common::cli::dtoc_on(&dir.path().join("dtoc.sqlite"), "2018-08-15")
        .args([
            "--user",
            "bob",
            "signoff",
            "--week",
            "2018-W31",
            "--side",
            "council",
            "--by",
            "Bob Officer",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(expected),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_two_sides_are_signed_by_two_users_unless_the_hub_allows_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dtoc.sqlite");
    let mut store = open_store(&dir);
    populate(&mut store);
    sign_as(&mut store, "ann", Side::Nhs, "Ann Nurse", None).unwrap();
    // The same OS user, whatever name is typed, is refused.
    let e = sign_as(&mut store, "ann", Side::Council, "Bob Officer", None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "week 2018-W31: the NHS side was signed by the user ann; the other side must be signed by another user (the hub's sign-off rule; `dtoc signoff-rule --same-user allowed` changes it)"
    );
    assert!(!store.week_status(w31()).unwrap().frozen());
    // The sign form says so before the user types.
    let mut app = App::new(store, today());
    chr(&mut app, '8');
    chr(&mut app, 'p');
    chr(&mut app, 's');
    assert_eq!(
        note(&app),
        "Signing as the user ann. The NHS side was signed by the user ann: the other side needs another user (the hub's rule)."
    );
    assert_snapshot!("weekly_sign_same_user_note_80x24", draw(&app, 80, 24));
    drop(app);
    // The hub's rule, on the command line: said, then set (audited).
    let cli = || common::cli::dtoc_on(&db, "2018-08-15");
    assert_eq!(
        common::cli::stdout_of(cli(), &["signoff-rule"]),
        "sign-off rule: the two sides of a week are signed by two different users (the user of the first signature cannot sign the second)\n"
    );
    assert_eq!(
        common::cli::stdout_of(cli(), &["signoff-rule", "--same-user", "allowed"]),
        "sign-off rule: one user may sign both sides of a week (the week's history says so when one does)\n"
    );
    let mut store = open_store(&dir);
    let rule = store.audit_for("week", "all").unwrap();
    assert_eq!(rule.len(), 1);
    assert_eq!(rule[0].user, "tester");
    assert_eq!(rule[0].old_value.as_deref(), Some("refused"));
    assert_eq!(rule[0].new_value.as_deref(), Some("allowed"));
    // Now one user signs both, and the week's history says so.
    sign_as(
        &mut store,
        "ann",
        Side::Council,
        "Ann Nurse",
        Some("Agreed at sitrep call"),
    )
    .unwrap();
    let st = store.week_status(w31()).unwrap();
    assert!(st.frozen());
    assert_eq!(
        dtoc::report::weekly_table::signoff_line(&st),
        "NHS signed by Ann Nurse at 2018-08-15T09:00:00Z; council signed by Ann Nurse at 2018-08-15T09:00:00Z: \"Agreed at sitrep call\" (frozen); both sides signed by the same user (ann)"
    );
    let history = store.audit_for("week", "2018-W31").unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        last.new_value.as_deref(),
        Some("signed by Ann Nurse: 12 delayed days (Agreed at sitrep call); the same user (ann) signed the NHS side (the hub's sign-off rule allows it)")
    );
    // Refused again: back to two users for the next week.
    assert_eq!(
        common::cli::stdout_of(cli(), &["signoff-rule", "--same-user", "refused"]),
        "sign-off rule: the two sides of a week are signed by two different users (the user of the first signature cannot sign the second)\n"
    );
    assert!(!store.signoff_same_user_allowed().unwrap());
}
