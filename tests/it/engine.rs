//! The counting and report engine, end to end: `dtoc report monthly` and `dtoc report spc` on real
//! registers, month boundaries, targets, and a property test of the stored month counts.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use chrono::NaiveDate;
use dtoc::domain::YearMonth;
use dtoc::domain::{Attribution, EndKind, LaCode, Measure, ReasonCode, Setting, TargetUnit};
use dtoc::store::{DelayFilter, EditDelay, EndDelay, NewDelay, ReasonChange, Site, Store, Target};
use proptest::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const CRATE: &str = env!("CARGO_MANIFEST_DIR");
const HEADER: &str = "month,la_code,la_name,measure,delayed_days,days_in_month,population_18plus,population_year,dtoc_beds,rate_per_100k_month,rate_per_100k_day,target_per_100k_day,target_days,rag,vs_target,complete,forecast_days,forecast_rate";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dtoc(db: &Path, today: &str) -> Command {
    let mut c = Command::cargo_bin("dtoc").unwrap();
    c.args(["--db", db.to_str().unwrap(), "--today", today]);
    c
}

fn import(db: &Path, what: &str, file: &str) {
    // Only init creates a database (issue 25): an import refuses a missing one.
    if !db.exists() {
        dtoc(db, "2018-08-15").arg("init").assert().success();
    }
    let mut c = dtoc(db, "2018-08-15");
    c.args(["import", what]).arg(Path::new(CRATE).join(file));
    // A file of delays is a history (issue 24): the test files are complete from 2017.
    if what == "delays" {
        c.args(["--coverage-from", "2017-01-01"]);
    }
    c.assert().success();
}

/// Rows of `report monthly --format csv`, keyed by header name.
fn monthly(
    db: &Path,
    today: &str,
    args: &[&str],
) -> (String, Vec<HashMap<String, String>>, String) {
    let out = dtoc(db, today)
        .args(["report", "monthly", "--format", "csv"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let header = text.lines().next().unwrap().trim_end().to_string();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let names: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| {
            let x = x.unwrap();
            names
                .iter()
                .cloned()
                .zip(x.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows, String::from_utf8(out.stderr).unwrap())
}

fn row<'a>(
    rows: &'a [HashMap<String, String>],
    month: &str,
    la: &str,
    measure: &str,
) -> &'a HashMap<String, String> {
    rows.iter()
        .find(|r| r["month"] == month && r["la_code"] == la && r["measure"] == measure)
        .unwrap_or_else(|| panic!("no row {month} {la} {measure}"))
}

fn f(r: &HashMap<String, String>, k: &str) -> f64 {
    r[k].parse().unwrap_or_else(|_| panic!("{k} = {:?}", r[k]))
}

fn leics_db(dir: &tempfile::TempDir) -> PathBuf {
    let db = dir.path().join("dtoc.db");
    import(&db, "population", "fixtures/population.csv");
    import(&db, "targets", "fixtures/targets.csv");
    import(&db, "delays", "tests/data/leicestershire_july_2018.csv");
    db
}

#[test]
fn monthly_csv_leicestershire_july_2018() {
    let dir = tempfile::tempdir().unwrap();
    let db = leics_db(&dir);
    let (header, rows, _) = monthly(
        &db,
        "2018-08-15",
        &["--from", "2018-07", "--to", "2018-07", "--la", "E10000018"],
    );
    assert_eq!(header, HEADER);
    assert_eq!(rows.len(), 4);
    let total = row(&rows, "2018-07", "E10000018", "total");
    assert_eq!(total["la_name"], "Leicestershire");
    assert_eq!(total["delayed_days"], "978");
    assert_eq!(total["days_in_month"], "31");
    assert_eq!(total["population_18plus"], "543600");
    assert_eq!(total["population_year"], "2018");
    assert_eq!(format!("{:.3}", f(total, "dtoc_beds")), "31.548");
    assert_eq!(format!("{:.1}", f(total, "rate_per_100k_month")), "179.9");
    assert_eq!(format!("{:.2}", f(total, "rate_per_100k_day")), "5.80");
    // Target 7.88 per 100k per day (2018/19): 5.80 is significantly better.
    assert_eq!(format!("{:.2}", f(total, "target_per_100k_day")), "7.88");
    assert_eq!(total["rag"], "green");
    for (measure, days, rate) in [
        ("nhs", "865", "5.13"),
        ("social_care", "85", "0.50"),
        ("both", "28", "0.17"),
    ] {
        let r = row(&rows, "2018-07", "E10000018", measure);
        assert_eq!(r["delayed_days"], days, "{measure}");
        assert_eq!(
            format!("{:.2}", f(r, "rate_per_100k_day")),
            rate,
            "{measure}"
        );
    }
}

#[test]
fn rutland_rag_against_one_and_a_half_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dtoc.db");
    import(&db, "population", "fixtures/population.csv");
    import(&db, "targets", "fixtures/targets.csv");
    import(&db, "delays", "tests/data/rutland_2018.csv");
    let (_, rows, _) = monthly(
        &db,
        "2018-08-15",
        &["--from", "2018-04", "--to", "2018-07", "--la", "E06000017"],
    );
    let got: Vec<(String, String, String)> = ["2018-04", "2018-05", "2018-06", "2018-07"]
        .iter()
        .map(|m| {
            let r = row(&rows, m, "E06000017", "total");
            (
                r["delayed_days"].clone(),
                r["target_days"].clone(),
                r["rag"].clone(),
            )
        })
        .collect();
    let want = [
        ("60", 45.0, "red"),
        ("112", 46.5, "red"),
        ("17", 45.0, "green"),
        ("43", 46.5, "green"),
    ];
    for ((days, target, rag), (wd, wt, wr)) in got.iter().zip(want) {
        assert_eq!(days, wd);
        assert!(
            (target.parse::<f64>().unwrap() - wt).abs() < 1e-9,
            "{target} vs {wt}"
        );
        assert_eq!(rag, wr);
    }
}

// ---------------------------------------------------------------------------------------------
// Registers built through the store API.

const LEICS: &str = "E10000018";
const RUTLAND: &str = "E06000017";
const LEICESTER: &str = "E06000016";
const NOPOP: &str = "E06000099";
const LEAP: &str = "E06000005";
/// The day the test registers are written (every date before it is allowed).
const WRITE_TODAY: &str = "2030-01-01";

fn la(code: &str) -> LaCode {
    LaCode::parse(code).unwrap()
}

fn base_store(path: &Path) -> Store {
    let mut s = Store::open(path).unwrap();
    s.set_fixed_now(Some("2018-08-15T09:00:00Z".into()));
    for (code, setting) in [
        ("AC1", Setting::Acute),
        ("AC2", Setting::Acute),
        ("NA1", Setting::NonAcute),
        ("NA2", Setting::NonAcute),
    ] {
        s.upsert_site(&Site {
            code: code.into(),
            provider_code: "RWE".into(),
            name: None,
            setting,
        })
        .unwrap();
    }
    for (code, name, pop) in [
        (LEICS, "Leicestershire", 543_600),
        (RUTLAND, "Rutland", 33_300),
        (LEICESTER, "Leicester", 280_300),
    ] {
        s.set_population(&la(code), Some(name), 2017, pop).unwrap();
    }
    s
}

fn add(
    s: &mut Store,
    local: &str,
    site: &str,
    la_code: &str,
    ready: &str,
    end: Option<&str>,
) -> i64 {
    let ready = d(ready);
    let id = s
        .add_delay(
            &NewDelay {
                local_id: local.into(),
                nhs_number: None,
                admitted_on: ready,
                site_code: site.into(),
                la_code: la(la_code),
                ready_on: ready,
                reason: ReasonCode::A,
                attribution: Attribution::Nhs,
                planned_pathway: None,
                acute_reason: None,
            },
            d(WRITE_TODAY),
        )
        .unwrap();
    if let Some(e) = end {
        s.end_delay(
            &EndDelay {
                delay_id: id,
                version: version(s, id),
                on: d(e),
                kind: EndKind::Discharged,
                pathway: None,
                destination: None,
                usual_residence: None,
            },
            d(WRITE_TODAY),
        )
        .unwrap();
    }
    id
}

fn version(s: &Store, id: i64) -> i64 {
    s.delay_detail(id).unwrap().row.version
}

fn total_days(db: &Path, today: &str, month: &str, la_code: &str) -> (String, String) {
    let (_, rows, _) = monthly(
        db,
        today,
        &["--from", month, "--to", month, "--la", la_code],
    );
    let r = row(&rows, month, la_code, "total");
    (r["delayed_days"].clone(), r["days_in_month"].clone())
}

#[test]
fn month_boundaries_and_open_delays() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dtoc.db");
    {
        let mut s = base_store(&db);
        add(&mut s, "P1", "AC1", LEICS, "2018-07-30", Some("2018-08-02"));
        add(&mut s, "P2", "AC1", LEAP, "2020-02-01", Some("2020-03-01"));
        add(
            &mut s,
            "P3",
            "AC1",
            LEICESTER,
            "2018-07-01",
            Some("2018-07-01"),
        );
        add(&mut s, "P4", "AC2", RUTLAND, "2018-07-01", None);
        add(
            &mut s,
            "P5",
            "NA1",
            LEICESTER,
            "2018-06-25",
            Some("2018-07-20"),
        );
    }
    // 30th and 31st in July, the 1st in August.
    assert_eq!(
        total_days(&db, "2018-09-01", "2018-07", LEICS),
        ("2".into(), "31".into())
    );
    assert_eq!(
        total_days(&db, "2018-09-01", "2018-08", LEICS),
        ("1".into(), "31".into())
    );
    // February 2020 has 29 days.
    assert_eq!(
        total_days(&db, "2020-04-01", "2020-02", LEAP),
        ("29".into(), "29".into())
    );
    // Ready and ended the same day: 0 (P5 gives 19 July days).
    assert_eq!(
        total_days(&db, "2018-09-01", "2018-07", LEICESTER),
        ("19".into(), "31".into())
    );
    // Open: up to the day before today, never into the future.
    assert_eq!(
        total_days(&db, "2018-07-10", "2018-07", RUTLAND),
        ("9".into(), "9".into())
    );
    assert_eq!(
        total_days(&db, "2018-08-15", "2018-07", RUTLAND),
        ("31".into(), "31".into())
    );
    assert_eq!(
        total_days(&db, "2018-08-15", "2018-08", RUTLAND),
        ("14".into(), "14".into())
    );
    let (_, rows, _) = monthly(
        &db,
        "2018-07-10",
        &["--from", "2018-07", "--to", "2018-07", "--la", RUTLAND],
    );
    assert!(rows.iter().all(|r| r["month"] == "2018-07"));
    // Months not begun have no figures: asking for one is refused (issue 24), never rows of 0.
    dtoc(&db, "2018-07-10")
        .args([
            "report", "monthly", "--from", "2018-07", "--to", "2018-09", "--la", RUTLAND,
        ])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "--to 2018-09 is after today (2018-07-10)",
        ));
    // A back-dated today clips a closed delay: P5 (to 2018-07-20) as of 2018-07-10 has 9 July days.
    assert_eq!(
        total_days(&db, "2018-07-10", "2018-07", LEICESTER),
        ("9".into(), "9".into())
    );
    // ... and its June days are all there (stored counts).
    assert_eq!(
        total_days(&db, "2018-07-10", "2018-06", LEICESTER),
        ("6".into(), "30".into())
    );
}

#[test]
fn targets_in_every_unit_agree_and_missing_ones_are_blank() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dtoc.db");
    let pop = 100_000u64;
    let las = ["E06000001", "E06000002", "E06000003", "E06000004"];
    {
        let mut s = base_store(&db);
        // 1.5 delayed days a day in July (31 days) = 46.5 days = 46.5 per 100k per month at 100,000.
        for (code, (unit, value)) in las.iter().zip([
            (TargetUnit::Days, 46.5),
            (TargetUnit::DaysPerDay, 1.5),
            (TargetUnit::Per100kMonth, 46.5),
            (TargetUnit::Per100kDay, 1.5),
        ]) {
            s.set_population(&la(code), Some(code), 2018, pop).unwrap();
            s.set_target(&Target {
                la_code: la(code),
                month: YearMonth::new(2018, 7).unwrap(),
                measure: Measure::Total,
                unit,
                value,
            })
            .unwrap();
            add(
                &mut s,
                &format!("T{code}"),
                "AC1",
                code,
                "2018-07-01",
                Some("2018-07-21"),
            );
        }
    }
    let (_, rows, _) = monthly(&db, "2018-09-01", &["--from", "2018-07", "--to", "2018-08"]);
    for code in las {
        let r = row(&rows, "2018-07", code, "total");
        assert!(
            (f(r, "target_days") - 46.5).abs() < 1e-9,
            "{code}: {}",
            r["target_days"]
        );
        assert!((f(r, "target_per_100k_day") - 1.5).abs() < 1e-9, "{code}");
        assert_eq!(r["rag"], "green", "{code}: 20 days against 46.5");
        // August has no target: blank target and RAG.
        let r = row(&rows, "2018-08", code, "total");
        assert_eq!(r["target_days"], "");
        assert_eq!(r["target_per_100k_day"], "");
        assert_eq!(r["rag"], "");
        assert_eq!(r["vs_target"], "");
        // No NHS target either.
        assert_eq!(row(&rows, "2018-07", code, "nhs")["rag"], "");
    }
}

#[test]
fn no_population_gives_blank_rates_and_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dtoc.db");
    {
        let mut s = base_store(&db);
        add(&mut s, "N1", "AC1", NOPOP, "2018-07-01", Some("2018-07-11"));
    }
    let (_, rows, stderr) = monthly(
        &db,
        "2018-09-01",
        &["--from", "2018-07", "--to", "2018-07", "--la", NOPOP],
    );
    let r = row(&rows, "2018-07", NOPOP, "total");
    assert_eq!(r["delayed_days"], "10");
    assert_eq!(r["population_18plus"], "");
    assert_eq!(r["rate_per_100k_month"], "");
    assert_eq!(r["rate_per_100k_day"], "");
    assert!((f(r, "dtoc_beds") - 10.0 / 31.0).abs() < 1e-6);
    assert!(
        stderr.contains(NOPOP) && stderr.contains("no 18+ population"),
        "{stderr}"
    );
    // SPC falls back to DTOC beds rather than dividing by zero.
    dtoc(&db, "2018-09-01")
        .args([
            "report", "spc", "--la", NOPOP, "--from", "2018-06", "--to", "2018-08",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("no population estimate"));
}

#[test]
fn quarter_and_year_are_means_of_monthly_per_day_rates() {
    let dir = tempfile::tempdir().unwrap();
    let db = leics_db(&dir);
    let (_, months, _) = monthly(
        &db,
        "2018-08-15",
        &["--from", "2018-04", "--to", "2018-07", "--la", LEICS],
    );
    let rate = |m: &str| f(row(&months, m, LEICS, "total"), "rate_per_100k_day");
    let days = |m: &str| {
        row(&months, m, LEICS, "total")["delayed_days"]
            .parse::<u64>()
            .unwrap()
    };
    let q1 = (rate("2018-04") + rate("2018-05") + rate("2018-06")) / 3.0;
    let (_, q, _) = monthly(
        &db,
        "2018-08-15",
        &[
            "--from", "2018-04", "--to", "2018-06", "--la", LEICS, "--period", "quarter",
        ],
    );
    let r = q.iter().find(|r| r["measure"] == "total").unwrap();
    assert!(r["period"].contains("Q1"), "{}", r["period"]);
    assert!(
        (f(r, "rate_per_100k_day") - q1).abs() < 1e-6,
        "{} vs {q1}",
        r["rate_per_100k_day"]
    );
    assert_eq!(
        r["delayed_days"].parse::<u64>().unwrap(),
        days("2018-04") + days("2018-05") + days("2018-06")
    );
    let y = (rate("2018-04") + rate("2018-05") + rate("2018-06") + rate("2018-07")) / 4.0;
    let (_, yr, _) = monthly(
        &db,
        "2018-08-15",
        &[
            "--from", "2018-04", "--to", "2018-07", "--la", LEICS, "--period", "year",
        ],
    );
    let r = yr.iter().find(|r| r["measure"] == "total").unwrap();
    assert_eq!(r["period"], "2018/19");
    assert!(
        (f(r, "rate_per_100k_day") - y).abs() < 1e-6,
        "{} vs {y}",
        r["rate_per_100k_day"]
    );
}

#[test]
fn spc_in_table_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    dtoc(&db, "2018-08-15")
        .args(["demo", "--no-tui"])
        .assert()
        .success();
    let args = [
        "report", "spc", "--la", LEICS, "--from", "2017-04", "--to", "2018-08",
    ];
    // Table.
    let out = dtoc(&db, "2018-08-15").args(args).output().unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("SPC (XmR) for E10000018"), "{table}");
    assert!(table.contains("2018-07      5.80"), "{table}");
    assert!(table.contains("variation:"));
    // CSV: one row per month.
    let out = dtoc(&db, "2018-08-15")
        .args(args)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "month",
            "la_code",
            "measure",
            "value",
            "mean",
            "lower_limit",
            "upper_limit",
            "target",
            "limits",
            "to_date",
            "variation",
            "assurance",
            "special_cause",
            "complete"
        ]
    );
    let recs: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    // April 2017 .. July 2018 complete, and August 2018 to date: --to names the month in progress.
    assert_eq!(recs.len(), 17);
    assert_eq!(&recs[16][0], "2018-08");
    assert_eq!(&recs[16][9], "to date, not in mean or limits");
    assert_eq!(&recs[16][13], "false");
    assert!(recs[..16].iter().all(|x| &x[13] == "true"));
    assert!(recs[..16].iter().all(|x| x[9].is_empty()));
    assert_eq!(&recs[0][0], "2017-04");
    let july = recs.iter().find(|x| &x[0] == "2018-07").unwrap();
    let v: f64 = july[3].parse().unwrap();
    assert!(
        (v - 978.0 / 31.0 / 543_600.0 * 100_000.0).abs() < 1e-5,
        "{v}"
    );
    assert!((july[7].parse::<f64>().unwrap() - 7.88).abs() < 1e-6);
    // JSON: the same points.
    let out = dtoc(&db, "2018-08-15")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let points = j["rows"].as_array().unwrap();
    assert_eq!(points.len(), 17);
    assert_eq!(points[0]["la_code"], LEICS);
    assert_eq!(points[0]["measure"], "total");
    assert_eq!(points[16]["month"], "2018-08");
    assert_eq!(points[16]["to_date"], "to date, not in mean or limits");
    assert_eq!(points[16]["complete"], false);
    let mean = points[0]["mean"].as_f64().unwrap();
    let csv_mean: f64 = recs[0][4].parse().unwrap();
    assert!((mean - csv_mean).abs() < 1e-5);
    // Exactly one --la.
    dtoc(&db, "2018-08-15")
        .args(["report", "spc"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "the following required arguments were not provided:\n  --la <CODE>",
        ));
}

// ---------------------------------------------------------------------------------------------
// Property: the stored month counts plus live counting equal a brute-force recount.

#[derive(Debug, Clone)]
enum Op {
    Add {
        patient: u8,
        admit_back: u8,
        ready: u16,
        site: u8,
        la: u8,
        reason: u8,
        attr: u8,
    },
    Change {
        pick: u8,
        after: u16,
        reason: u8,
        attr: u8,
    },
    End {
        pick: u8,
        after: u16,
    },
    EditSite {
        pick: u8,
        site: u8,
    },
    EditLa {
        pick: u8,
        la: u8,
    },
    EditReady {
        pick: u8,
        ready: u16,
    },
    Delete {
        pick: u8,
    },
}

const SITES: [&str; 4] = ["AC1", "AC2", "NA1", "NA2"];
const LAS: [&str; 3] = [LEICS, RUTLAND, LEICESTER];

/// Day `n` of the window: 2019-12-01 + n (to the end of April 2020, across leap February).
fn day(n: u16) -> NaiveDate {
    d("2019-12-01") + chrono::Duration::days(i64::from(n % 152))
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<u8>(), 0u8..20, 0u16..152, any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(patient, admit_back, ready, site, la, reason, attr)| Op::Add { patient, admit_back, ready, site, la, reason, attr }),
        2 => (any::<u8>(), 0u16..60, any::<u8>(), any::<u8>()).prop_map(|(pick, after, reason, attr)| Op::Change { pick, after, reason, attr }),
        2 => (any::<u8>(), 0u16..60).prop_map(|(pick, after)| Op::End { pick, after }),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(pick, site)| Op::EditSite { pick, site }),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(pick, la)| Op::EditLa { pick, la }),
        1 => (any::<u8>(), 0u16..152).prop_map(|(pick, ready)| Op::EditReady { pick, ready }),
        1 => any::<u8>().prop_map(|pick| Op::Delete { pick }),
    ]
}

fn apply(s: &mut Store, op: &Op) {
    let today = d(WRITE_TODAY);
    let rows = s
        .list_delays(
            &DelayFilter {
                include_ended: true,
                ..Default::default()
            },
            today,
        )
        .unwrap();
    let pick = |p: u8| rows.get(usize::from(p) % rows.len().max(1));
    let reason = |r: u8| ReasonCode::ALL[usize::from(r) % ReasonCode::ALL.len()];
    let attr = |a: u8| Attribution::ALL[usize::from(a) % 3];
    // Refused writes (overlaps, dates out of order) are fine: the property is about what is stored.
    let _ = match *op {
        Op::Add {
            patient,
            admit_back,
            ready,
            site,
            la: l,
            reason: r,
            attr: a,
        } => {
            let ready = day(ready);
            s.add_delay(
                &NewDelay {
                    local_id: format!("P{}", patient % 12),
                    nhs_number: None,
                    admitted_on: ready - chrono::Duration::days(i64::from(admit_back)),
                    site_code: SITES[usize::from(site) % 4].into(),
                    la_code: la(LAS[usize::from(l) % 3]),
                    ready_on: ready,
                    reason: reason(r),
                    attribution: attr(a),
                    planned_pathway: None,
                    acute_reason: None,
                },
                today,
            )
            .map(|_| ())
        }
        Op::Change {
            pick: p,
            after,
            reason: r,
            attr: a,
        } => match pick(p) {
            Some(x) => s.change_reason(
                &ReasonChange {
                    delay_id: x.delay_id,
                    version: x.version,
                    from: x.ready_on + chrono::Duration::days(i64::from(after)),
                    reason: reason(r),
                    attribution: attr(a),
                    acute_reason: None,
                },
                today,
            ),
            None => Ok(()),
        },
        Op::End { pick: p, after } => match pick(p) {
            Some(x) => s.end_delay(
                &EndDelay {
                    delay_id: x.delay_id,
                    version: x.version,
                    on: x.ready_on + chrono::Duration::days(i64::from(after)),
                    kind: if after % 2 == 0 {
                        EndKind::Discharged
                    } else {
                        EndKind::UnfitAgain
                    },
                    pathway: None,
                    destination: None,
                    usual_residence: None,
                },
                today,
            ),
            None => Ok(()),
        },
        Op::EditSite { pick: p, site } => match pick(p) {
            Some(x) => s.edit_delay(
                &EditDelay {
                    delay_id: x.delay_id,
                    version: x.version,
                    site_code: Some(SITES[usize::from(site) % 4].into()),
                    ..Default::default()
                },
                today,
            ),
            None => Ok(()),
        },
        Op::EditLa { pick: p, la: l } => match pick(p) {
            Some(x) => s.edit_delay(
                &EditDelay {
                    delay_id: x.delay_id,
                    version: x.version,
                    la_code: Some(la(LAS[usize::from(l) % 3])),
                    ..Default::default()
                },
                today,
            ),
            None => Ok(()),
        },
        Op::EditReady { pick: p, ready } => match pick(p) {
            Some(x) => s.edit_delay(
                &EditDelay {
                    delay_id: x.delay_id,
                    version: x.version,
                    ready_on: Some(day(ready)),
                    admitted_on: Some(day(ready).min(x.admitted_on)),
                    ..Default::default()
                },
                today,
            ),
            None => Ok(()),
        },
        Op::Delete { pick: p } => match pick(p) {
            Some(x) => s.delete_delay(x.delay_id, x.version),
            None => Ok(()),
        },
    };
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn stored_counts_equal_a_recount(ops in proptest::collection::vec(op(), 1..40), today in 0u16..200) {
        let mut s = Store::open_in_memory().unwrap();
        s.set_fixed_now(Some("2020-01-01T00:00:00Z".into()));
        for (code, setting) in [("AC1", Setting::Acute), ("AC2", Setting::Acute), ("NA1", Setting::NonAcute), ("NA2", Setting::NonAcute)] {
            s.upsert_site(&Site { code: code.into(), provider_code: "RWE".into(), name: None, setting }).unwrap();
        }
        for op in &ops {
            apply(&mut s, op);
        }
        prop_assert!(s.count_problems().unwrap().is_empty(), "{:?}", s.count_problems().unwrap());
        // Any "today", including back-dated ones before delays' ends and ones after the window.
        let today = d("2019-11-15") + chrono::Duration::days(i64::from(today));
        let (from, to) = (YearMonth::new(2019, 11).unwrap(), YearMonth::new(2020, 6).unwrap());
        prop_assert_eq!(
            s.month_counts(from, to, &[], today).unwrap(),
            s.recount_month_counts(from, to, &[], today).unwrap()
        );
        let one = vec![dtoc::domain::LaCode::parse(LEICS).unwrap()];
        prop_assert_eq!(
            s.month_counts(from, to, &one, today).unwrap(),
            s.recount_month_counts(from, to, &one, today).unwrap()
        );
    }
}
