//! The weekly sitrep: ISO weeks across a month end and a year end (week 1 and week 53), the
//! patients delayed at the week's end, the change from the week before, and the monthly figures
//! staying the sum of their own days when a week straddles two months.

use crate::common;

use common::db::{counts, days_in, discharge, new_store};
use common::{d, reference};
use dtoc::commands::weekly::load_week;
use dtoc::domain::{Attribution, LaCode, ReasonCode, Week};
use dtoc::store::{NewDelay, Store};

const LEICS: &str = "E10000018";

/// Adds a delay of `local` from `ready`, ended on `end` (exclusive) when given, as of `today`.
fn delay(store: &mut Store, local: &str, ready: &str, end: Option<&str>, today: &str) {
    let id = store
        .add_delay(
            &NewDelay {
                local_id: local.to_string(),
                nhs_number: None,
                admitted_on: d(ready),
                site_code: "RX1".to_string(),
                la_code: LaCode::parse(LEICS).unwrap(),
                ready_on: d(ready),
                reason: ReasonCode::Dii,
                attribution: Attribution::SocialCare,
                planned_pathway: None,
                acute_reason: None,
            },
            d(today),
        )
        .unwrap();
    if let Some(end) = end {
        discharge(store, id, d(end), d(today));
    }
}

fn week(s: &str) -> Week {
    Week::parse(s).unwrap()
}

#[test]
fn a_week_across_a_month_end_keeps_the_months_the_sum_of_their_days() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    reference(&mut store);
    // 28 July to 3 August (exclusive): days 28, 29, 30, 31 July and 1, 2 August = 6 days.
    delay(
        &mut store,
        "M1",
        "2018-07-28",
        Some("2018-08-03"),
        "2018-08-15",
    );
    // 2018-W31 = Mon 30 July .. Sun 5 August: 30, 31 July + 1, 2 August = 4 days (2 + 2).
    // 2018-W30 = 23..29 July: 28, 29 July = 2 days.
    let f = load_week(&store, week("2018-W31"), d("2018-08-15")).unwrap();
    assert_eq!((f.from, f.to), (d("2018-07-30"), d("2018-08-05")));
    assert_eq!(f.total_days, 4);
    assert_eq!(
        f.by_month,
        vec![("2018-07".to_string(), 2), ("2018-08".to_string(), 2)]
    );
    assert_eq!(f.previous_total_days, 2);
    assert_eq!(f.change, 2);
    // Ended on 3 August: not delayed on Sunday 5 August.
    assert_eq!(f.delayed_at_end, 0);
    // July = W30's 2 days + W31's 2 July days = 4, never W31's whole 4; August = 2.
    let rows = counts(&store, LEICS, "2018-07", "2018-08", "2018-08-15");
    assert_eq!(days_in(&rows, "2018-07"), 4);
    assert_eq!(days_in(&rows, "2018-08"), 2);
    assert_eq!(f.rows.len(), 1);
    assert_eq!(
        (f.rows[0].reason, f.rows[0].attribution, f.rows[0].days),
        (ReasonCode::Dii, Attribution::SocialCare, 4)
    );
}

#[test]
fn iso_week_1_of_2018_starts_on_new_years_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    reference(&mut store);
    // 29 December 2017 to 3 January 2018: 29, 30, 31 Dec and 1, 2 Jan.
    delay(
        &mut store,
        "Y1",
        "2017-12-29",
        Some("2018-01-03"),
        "2018-08-15",
    );
    // 2018-W01 = Mon 1 .. Sun 7 January 2018: 2 days; 2017-W52 = 25..31 December: 3 days.
    let f = load_week(&store, week("2018-W01"), d("2018-08-15")).unwrap();
    assert_eq!(f.from, d("2018-01-01"));
    assert_eq!((f.total_days, f.previous_total_days, f.change), (2, 3, -1));
    assert_eq!(f.by_month, vec![("2018-01".to_string(), 2)]);
}

#[test]
fn iso_week_1_of_2019_starts_in_december_2018() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    reference(&mut store);
    // Open from Sunday 30 December 2018, as of 2 January 2019: 30, 31 Dec and 1 Jan.
    delay(&mut store, "Y2", "2018-12-30", None, "2019-01-02");
    // 2019-W01 = Mon 31 December 2018 .. Sun 6 January 2019: 31 Dec + 1 Jan = 2 days so far
    // (an open delay counts up to the day before today). The part week is compared with the same
    // two days of 2018-W52 (Mon 24, Tue 25 December): none (its 30 December is not compared).
    let f = load_week(&store, week("2019-W01"), d("2019-01-02")).unwrap();
    assert_eq!((f.from, f.to), (d("2018-12-31"), d("2019-01-06")));
    assert_eq!(
        f.by_month,
        vec![("2018-12".to_string(), 1), ("2019-01".to_string(), 1)]
    );
    assert_eq!((f.total_days, f.previous_total_days), (2, 0));
    assert_eq!((f.days_counted, f.complete), (2, false));
    // As of 10 January the whole week is counted: 7 days, and the patient is delayed at its end.
    let f = load_week(&store, week("2019-W01"), d("2019-01-10")).unwrap();
    assert_eq!((f.total_days, f.delayed_at_end), (7, 1));
}

#[test]
fn iso_week_53_of_2020_spans_the_new_year() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    reference(&mut store);
    // 27 December 2020 (Sunday of W52) to 5 January 2021: 27..31 Dec and 1..4 Jan = 9 days.
    delay(
        &mut store,
        "Y3",
        "2020-12-27",
        Some("2021-01-05"),
        "2021-02-01",
    );
    // A second patient delayed 2, 3 and 4 January (ended 5 January): 2 and 3 January are in W53,
    // 4 January in 2021-W01.
    delay(
        &mut store,
        "Y4",
        "2021-01-02",
        Some("2021-01-05"),
        "2021-02-01",
    );
    // 2020-W53 = Mon 28 December 2020 .. Sun 3 January 2021:
    //   Y3: 28, 29, 30, 31 Dec + 1, 2, 3 Jan = 7 (4 December, 3 January)
    //   Y4: 2, 3 Jan = 2
    // Total 9: December 4, January 5. Both delayed on Sunday 3 January. Week before (W52):
    // Y3's 27 December = 1.
    let f = load_week(&store, week("2020-W53"), d("2021-02-01")).unwrap();
    assert_eq!(f.week, "2020-W53");
    assert_eq!((f.from, f.to), (d("2020-12-28"), d("2021-01-03")));
    assert_eq!(f.total_days, 9);
    assert_eq!(
        f.by_month,
        vec![("2020-12".to_string(), 4), ("2021-01".to_string(), 5)]
    );
    assert_eq!(
        (f.delayed_at_end, f.previous_total_days, f.change),
        (2, 1, 8)
    );
    // 2021-W01 (4..10 January): 4 January of each = 2; change from W53: 2 - 9 = -7.
    let f = load_week(&store, week("2021-W01"), d("2021-02-01")).unwrap();
    assert_eq!((f.total_days, f.previous_total_days, f.change), (2, 9, -7));
    assert_eq!(f.previous_delayed_at_end, 2);
    assert_eq!(f.by_la[0].previous_delayed_at_end, 2);
}

#[test]
fn the_cli_writes_the_week_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dtoc.db");
    {
        let mut store = Store::open(&db).unwrap();
        reference(&mut store);
        delay(
            &mut store,
            "M1",
            "2018-07-28",
            Some("2018-08-03"),
            "2018-08-15",
        );
    }
    assert_cmd::Command::cargo_bin("dtoc")
        .unwrap()
        .args(["--db", db.to_str().unwrap(), "--today", "2018-08-15"])
        .args(["report", "weekly", "--week", "2018-W31", "--format", "csv"])
        .assert()
        .success()
        .stdout("week,la_code,attribution,reason,setting,days,complete\n2018-W31,E10000018,Social Care,Dii,acute,4,true\n");
    assert_cmd::Command::cargo_bin("dtoc")
        .unwrap()
        .args(["--db", db.to_str().unwrap()])
        .args(["report", "weekly", "--week", "2019-W53"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("not an ISO week"));
}

/// A week's days are read through whichever index walks fewer periods (`period_start` for a week
/// in the earlier half of the register's history, `period_end` in the later half): on the demo
/// register, every week from the first delay to today has, for each delay, the days a recount in
/// SQL of its periods overlapping the week gives (open periods counting up to today).
#[test]
fn every_weeks_days_equal_a_recount_of_the_periods() {
    use std::collections::BTreeMap;
    let dir = tempfile::tempdir().unwrap();
    let db = common::cli::demo(&dir);
    let store = Store::open(&db).unwrap();
    let today = store.demo_today().unwrap().unwrap();
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let first: String = conn
        .query_row("SELECT min(start_on) FROM delay_period", [], |r| r.get(0))
        .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT delay_id, sum(julianday(min(coalesce(end_on, ?2), ?2)) - julianday(max(start_on, ?1)))
             FROM delay_period WHERE start_on < ?2 AND (end_on IS NULL OR end_on > ?1)
             GROUP BY delay_id",
        )
        .unwrap();
    let mut week = Week::of(d(&first));
    let (mut weeks, mut days) = (0, 0);
    while week.start() < today {
        let to = week.end_exclusive().min(today);
        let recount: BTreeMap<i64, u64> = stmt
            .query_map([week.start().to_string(), to.to_string()], |r| {
                Ok((r.get(0)?, r.get::<_, f64>(1)? as u64))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut read: BTreeMap<i64, u64> = BTreeMap::new();
        for x in store.week_days(week, today).unwrap() {
            assert!(x.day >= week.start() && x.day < to, "{week}: {}", x.day);
            *read.entry(x.delay_id).or_default() += 1;
        }
        assert_eq!(read, recount, "{week}");
        days += read.values().sum::<u64>();
        weeks += 1;
        week = week.next();
    }
    assert!(weeks > 50 && days > 1000, "{weeks} weeks, {days} days");
}
