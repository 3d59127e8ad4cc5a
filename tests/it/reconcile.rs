//! Reconciliation of a month's locally signed days with the hospital's reported figures: totals and
//! patient-level; days in unsigned weeks are counted and named; marking differences accepted or
//! contested is counted per month; imports are validated and all-or-nothing, and a month imported
//! again replaces the old figures.

use crate::common;

use common::db::{discharge, dump, new_store};
use common::{d, reference, today};
use dtoc::commands::weekly::{load_reconciliation, mark_difference, MarkRequest};
use dtoc::domain::YearMonth;
use dtoc::domain::{Attribution, LaCode, MarkStatus, Measure, ReasonCode, Side, Week};
use dtoc::import::reported::read_reported_bytes;
use dtoc::report::reconcile::DayDifference;
use dtoc::store::{NewDelay, SignWeek, Store};

const LEICS: &str = "E10000018";

fn may() -> YearMonth {
    YearMonth::new(2018, 5).unwrap()
}

/// P1 (Social Care, E) delayed 1..20 May (ready 1 May, ended 21 May): 20 days.
/// P2 (NHS, C) delayed 10..19 May (ready 10 May, ended 20 May): 10 days.
/// Locally: 30 days, 10 NHS and 20 Social Care, all in May.
fn setup(store: &mut Store, weeks: &[&str]) {
    reference(store);
    for (local, ready, end, reason, attribution) in [
        (
            "P1",
            "2018-05-01",
            "2018-05-21",
            ReasonCode::E,
            Attribution::SocialCare,
        ),
        (
            "P2",
            "2018-05-10",
            "2018-05-20",
            ReasonCode::C,
            Attribution::Nhs,
        ),
    ] {
        let id = store
            .add_delay(
                &NewDelay {
                    local_id: local.to_string(),
                    nhs_number: None,
                    admitted_on: d("2018-04-20"),
                    site_code: "RX1".to_string(),
                    la_code: LaCode::parse(LEICS).unwrap(),
                    ready_on: d(ready),
                    reason,
                    attribution,
                    planned_pathway: None,
                    acute_reason: None,
                },
                today(),
            )
            .unwrap();
        discharge(store, id, d(end), today());
    }
    for w in weeks {
        for (side, by) in [(Side::Nhs, "Ann Nurse"), (Side::Council, "Bob Officer")] {
            // Two sides, two users (issue 26).
            store.set_user(side.key()).unwrap();
            store
                .sign_week(
                    &SignWeek {
                        week: Week::parse(w).unwrap(),
                        side,
                        by: by.to_string(),
                        comment: None,
                    },
                    today(),
                )
                .unwrap();
        }
    }
}

/// May 2018 runs from Tuesday 1 May (in 2018-W18) to Thursday 31 May (in 2018-W22).
const ALL_MAY: &[&str] = &["2018-W18", "2018-W19", "2018-W20", "2018-W21", "2018-W22"];

fn import(store: &mut Store, csv: &str) {
    let r = read_reported_bytes("reported.csv", csv.as_bytes()).unwrap();
    store.import_reported(&r).unwrap();
}

#[test]
fn the_hospital_reports_25_more_days_than_signed_and_they_are_contested() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    setup(&mut store, ALL_MAY);
    import(
        &mut store,
        "month,la_code,measure,delayed_days\n\
         2018-05,E10000018,total,55\n2018-05,E10000018,nhs,35\n2018-05,E10000018,social_care,20\n",
    );
    let r = load_reconciliation(&store, may()).unwrap();
    assert_eq!(r.reported_as, "totals");
    assert_eq!((r.unsigned_days, r.unsigned_weeks.len()), (0, 0));
    let rows: Vec<(Measure, u64, Option<u64>, Option<i64>)> = r
        .rows
        .iter()
        .map(|x| (x.measure, x.signed_days, x.reported_days, x.difference))
        .collect();
    // Signed: 30 total, 10 NHS, 20 Social Care. Reported 55, 35, 20: 25 more NHS days.
    assert_eq!(
        rows,
        vec![
            (Measure::Total, 30, Some(55), Some(25)),
            (Measure::Nhs, 10, Some(35), Some(25)),
            (Measure::SocialCare, 20, Some(20), Some(0)),
        ]
    );
    assert_eq!(r.contested_days, 0);
    let days = mark_difference(
        &mut store,
        &MarkRequest {
            month: may(),
            la: LEICS,
            measure: Measure::Total,
            day: None,
            status: MarkStatus::Contested,
            note: "25 NHS days of patients not ready by the MDT",
        },
    )
    .unwrap();
    assert_eq!(days, 25);
    let r = load_reconciliation(&store, may()).unwrap();
    assert_eq!(r.contested_days, 25);
    assert_eq!(r.rows[0].status, Some(MarkStatus::Contested));
    // Nothing to mark where the figures agree.
    let e = mark_difference(
        &mut store,
        &MarkRequest {
            month: may(),
            la: LEICS,
            measure: Measure::SocialCare,
            day: None,
            status: MarkStatus::Accepted,
            note: "fine",
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("agree (20)"), "{e}");
    // The mark is audited.
    let hist = store
        .audit_for("reconcile", "2018-05 E10000018 total")
        .unwrap();
    assert_eq!(
        hist[0].new_value.as_deref(),
        Some("contested (25 days): 25 NHS days of patients not ready by the MDT")
    );

    // The command line shows the same.
    assert_cmd::Command::cargo_bin("dtoc")
        .unwrap()
        .args([
            "--db",
            store.path().to_str().unwrap(),
            "--today",
            "2018-08-15",
        ])
        .args(["report", "reconcile", "--month", "2018-05"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "2018-05  E10000018  total        -         -              30             55          25  -      -         contested  25 NHS days",
        ))
        .stdout(predicates::str::contains(
            "Contested days: 25; accepted days: 0",
        ));
    // Marking the NHS row accepted through the command line: 25 accepted, still 25 contested.
    assert_cmd::Command::cargo_bin("dtoc")
        .unwrap()
        .args(["--db", store.path().to_str().unwrap(), "--user", "analyst"])
        .args([
            "reconcile",
            "mark",
            "--month",
            "2018-05",
            "--la",
            LEICS,
            "--measure",
            "nhs",
        ])
        .args(["--status", "accepted", "--note", "late MDT decisions"])
        .assert()
        .success()
        .stdout(
            "2018-05 E10000018 nhs: 25 days marked accepted; the month has 25 contested days\n",
        );
    let r = load_reconciliation(&store, may()).unwrap();
    assert_eq!((r.contested_days, r.accepted_days), (25, 25));
    let csv = assert_cmd::Command::cargo_bin("dtoc")
        .unwrap()
        .args(["--db", store.path().to_str().unwrap()])
        .args([
            "report",
            "reconcile",
            "--month",
            "2018-05",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(
        csv.contains("2018-05,E10000018,nhs,,,10,35,25,,,accepted,late MDT decisions,0,\n"),
        "{csv}"
    );
}

#[test]
fn days_in_weeks_not_signed_by_both_sides_are_counted_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    // W19..W21 = 7..27 May signed; W18 only by the NHS.
    setup(&mut store, &["2018-W19", "2018-W20", "2018-W21"]);
    store
        .sign_week(
            &SignWeek {
                week: Week::parse("2018-W18").unwrap(),
                side: Side::Nhs,
                by: "Ann Nurse".into(),
                comment: None,
            },
            today(),
        )
        .unwrap();
    let r = load_reconciliation(&store, may()).unwrap();
    // W18 holds 1..6 May (6 days), W22 holds 28..31 May (4 days).
    assert_eq!(r.unsigned_days, 10);
    assert_eq!(r.unsigned_weeks, vec!["2018-W18", "2018-W22"]);
    // Signed: P1's 7..20 May = 14 days, P2's 10 days.
    assert_eq!(r.rows[0].signed_days, 24);
    assert_eq!(r.reported_as, "nothing reported yet");
}

#[test]
fn patient_level_figures_show_the_days_that_differ() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    setup(&mut store, ALL_MAY);
    let mut csv = String::from("month,local_id,date,reason,attribution\n");
    for day in 1..=20 {
        // 5 May reported as B (awaiting public funding) instead of E.
        let reason = if day == 5 { "B" } else { "E" };
        csv.push_str(&format!(
            "2018-05,P1,2018-05-{day:02},{reason},Social Care\n"
        ));
    }
    // P2's 19 May is missing from the hospital's list.
    for day in 10..=18 {
        csv.push_str(&format!("2018-05,P2,2018-05-{day:02},C,NHS\n"));
    }
    // P3 is not known locally.
    csv.push_str("2018-05,P3,2018-05-02,A,NHS\n");
    import(&mut store, &csv);
    let r = load_reconciliation(&store, may()).unwrap();
    assert_eq!(r.reported_as, "patient-level");
    let diffs: Vec<(&str, &str, chrono::NaiveDate, DayDifference)> = r
        .day_diffs
        .iter()
        .map(|x| (x.la_code.as_str(), x.local_id.as_str(), x.day, x.kind))
        .collect();
    assert_eq!(
        diffs,
        vec![
            (LEICS, "P1", d("2018-05-05"), DayDifference::Differs),
            (LEICS, "P2", d("2018-05-19"), DayDifference::LocalOnly),
            (
                "unknown",
                "P3",
                d("2018-05-02"),
                DayDifference::ReportedOnly
            ),
        ]
    );
    assert_eq!(
        r.day_diffs[0].local,
        Some((ReasonCode::E, Attribution::SocialCare))
    );
    assert_eq!(
        r.day_diffs[0].reported,
        Some((ReasonCode::B, Attribution::SocialCare))
    );
    // Leicestershire: reported 20 + 9 = 29 against 30 signed; NHS 9 against 10.
    let leics: Vec<(Measure, u64, Option<u64>)> = r
        .rows
        .iter()
        .filter(|x| x.la_code == LEICS)
        .map(|x| (x.measure, x.signed_days, x.reported_days))
        .collect();
    assert_eq!(
        leics,
        vec![
            (Measure::Total, 30, Some(29)),
            (Measure::Nhs, 10, Some(9)),
            (Measure::SocialCare, 20, Some(20)),
        ]
    );
    mark_difference(
        &mut store,
        &MarkRequest {
            month: may(),
            la: LEICS,
            measure: Measure::Nhs,
            day: Some(("P2", d("2018-05-19"))),
            status: MarkStatus::Contested,
            note: "still in the bed that night",
        },
    )
    .unwrap();
    let r = load_reconciliation(&store, may()).unwrap();
    assert_eq!(r.contested_days, 1);
    assert_eq!(r.day_diffs[1].status, Some(MarkStatus::Contested));
}

#[test]
fn reported_imports_are_checked_all_or_nothing_and_replace_their_month() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    setup(&mut store, ALL_MAY);
    import(
        &mut store,
        "month,la_code,measure,delayed_days\n2018-05,E10000018,total,55\n2018-05,E06000017,total,4\n",
    );
    // Imported again with one authority: the month is replaced, not added to.
    import(
        &mut store,
        "month,la_code,measure,delayed_days\n2018-05,E10000018,total,31\n",
    );
    let totals = store.reported_totals(may()).unwrap();
    assert_eq!(totals.len(), 1);
    assert_eq!(totals[0].delayed_days, 31);
    // A bad row: nothing is read, so nothing is written.
    let before = dump(store.path());
    let e = read_reported_bytes(
        "june.csv",
        b"month,la_code,measure,delayed_days\n2018-06,E10000018,total,12\n2018-06,E1000001,total,3\n",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "june.csv line 3, la_code E1000001: not an ONS authority code (E, W, S or N and 8 digits, e.g. E10000018)"
    );
    let e = read_reported_bytes(
        "days.csv",
        b"month,local_id,date,reason,attribution\n2018-05,P1,2018-05-01,Z,NHS\n2018-05,P1,2018-05-01,E,NHS\n",
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("days.csv line 2, reason Z: not a reason"),
        "{msg}"
    );
    assert!(
        msg.contains("days.csv line 3, date 2018-05-01: P1 on 2018-05-01 is also on line 2"),
        "{msg}"
    );
    assert_eq!(dump(store.path()), before);
    // Through the command line too: refused, database unchanged.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "month,la_code,measure,delayed_days\n2018-05,E10000018,total,x\n",
    )
    .unwrap();
    assert_cmd::Command::cargo_bin("dtoc")
        .unwrap()
        .args(["--db", store.path().to_str().unwrap(), "import", "reported"])
        .arg(&bad)
        .assert()
        .failure()
        .stderr("dtoc: bad.csv line 2, delayed_days x: not a whole number of 0 or more\n");
    assert_eq!(dump(store.path()), before);
}

/// The reconciliation reads the authority of the reported patients only (it looks no other up;
/// reading every patient's stays took seconds on the national register). On the demo register,
/// with every patient who has a stay reported on a day of the month and one patient unknown
/// locally, the map equals the old reading (every stay admitted before the month ends, the
/// latest winning) restricted to the reported patients, and the figures equal those computed
/// from the old, whole map.
#[test]
fn the_reported_patients_authorities_give_the_figures_of_every_patients() {
    use dtoc::report::reconcile::{reconcile, ReconcileInputs};
    use std::collections::BTreeMap;
    let dir = tempfile::tempdir().unwrap();
    let db = common::cli::demo(&dir);
    let mut store = Store::open(&db).unwrap();
    let month = YearMonth::of(store.demo_today().unwrap().unwrap()).prev();
    let old = || -> BTreeMap<String, String> {
        let conn =
            rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT pt.local_id, s.la_code FROM stay s JOIN patient pt ON pt.id = s.patient_id
                 WHERE s.admitted_on < ?1 ORDER BY s.admitted_on",
            )
            .unwrap();
        let rows = stmt
            .query_map([month.end_exclusive().to_string()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .unwrap();
        rows.map(Result::unwrap).collect()
    };
    let everyone = old();
    assert!(everyone.len() > 20, "{} patients", everyone.len());
    // Every other patient reported on the month's first day, and one no stay names.
    let reported: Vec<&String> = everyone.keys().step_by(2).collect();
    let mut csv = String::from("month,local_id,date,reason,attribution\n");
    for id in reported.iter().map(|s| s.as_str()).chain(["NOBODY1"]) {
        csv.push_str(&format!("{month},{id},{},A,NHS\n", month.first_day()));
    }
    import(&mut store, &csv);
    let wanted: BTreeMap<String, String> = everyone
        .iter()
        .filter(|(id, _)| reported.contains(id))
        .map(|(id, la)| (id.clone(), la.clone()))
        .collect();
    assert_eq!(store.patient_authorities(month).unwrap(), wanted);
    let (signed, frozen) = (
        store
            .signed_days_between(month.first_day(), month.end_exclusive())
            .unwrap(),
        store.frozen_weeks().unwrap(),
    );
    let (totals, marks) = (
        store.reported_totals(month).unwrap(),
        store.reconcile_marks(month).unwrap(),
    );
    let days = store.reported_days(month).unwrap();
    assert_eq!(days.len(), reported.len() + 1);
    let whole = reconcile(&ReconcileInputs {
        month,
        signed: &signed,
        frozen_weeks: &frozen,
        totals: &totals,
        days: &days,
        marks: &marks,
        patient_la: &everyone,
        today: month.end_exclusive(),
    });
    let now = load_reconciliation(&store, month).unwrap();
    assert_eq!(now, whole);
    assert_eq!(now.reported_as, "patient-level");
    let reported_total: u64 = now
        .rows
        .iter()
        .filter(|x| x.measure == Measure::Total)
        .filter_map(|x| x.reported_days)
        .sum();
    assert_eq!(reported_total, reported.len() as u64 + 1);
    assert!(now.rows.iter().any(|x| x.la_code == "unknown"));
}
