//! `dtoc import stays|discharge-targets`, `dtoc report pathways|drd|los|nctr` and
//! `dtoc export acute-sitrep` through the real binary; the demo's stays against a recount of the
//! fixture; the plan of the length-of-stay queries.

use crate::common;

use assert_cmd::Command;
use common::db::*;
use predicates::prelude::*;
use std::collections::BTreeMap;

const DELAYS: &str = concat!(delays_header!(), ",end_kind,destination,acute_reason
A001,9434765919,RWE,RWE01,acute,E10000018,2024-01-20,2024-02-05,2024-02-07,E,Social Care,2024-02-07,1,discharged,p1_home,p1_capacity
A002,,RWE,RWE01,acute,E10000018,2024-01-29,2024-02-10,,Dii,Social Care,,,,,p3_bed
");

const STAYS: &str =
    "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination,usual_residence
A001,,RWE01,E10000018,2024-01-20,2024-02-07,1,p1_home,yes
A003,,RWE01,E10000018,2024-02-01,2024-02-03,0,p0_home,yes
A005,,RWE01,E10000018,2024-02-02,2024-02-04,,,
";

const TARGETS: &str = "la_code,month,measure,percent
E10000018,2024-02,pathway1_share,45
E10000018,2024-02,los21_share,4.6
";

fn dtoc(db: &std::path::Path) -> Command {
    common::cli::dtoc_on(db, "2024-03-01")
}

#[test]
fn import_report_and_export_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    // Only init creates a database (issue 25): an import refuses a missing one.
    dtoc(&db).arg("init").assert().success();
    for (name, body) in [
        ("delays.csv", DELAYS),
        ("stays.csv", STAYS),
        ("t.csv", TARGETS),
    ] {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    dtoc(&db)
        .args(["import", "delays", "--coverage-from", "2024-02-01"])
        .arg(dir.path().join("delays.csv"))
        .assert()
        .success();
    dtoc(&db)
        .args(["import", "stays"])
        .arg(dir.path().join("stays.csv"))
        .assert()
        .success()
        .stdout("3 rows: 2 added, 1 updated, 0 unchanged\n");
    dtoc(&db)
        .args(["import", "discharge-targets"])
        .arg(dir.path().join("t.csv"))
        .assert()
        .success()
        .stdout("2 rows: 2 added, 0 updated, 0 unchanged\n");

    // February: A001 (pathway 1), A003 (pathway 0), A005 (unknown): 3 discharges, pathway 1 is
    // 1 of 2 known = 50%, at or above 45%: green. 1 of 3 of all = 33.3%.
    let out = dtoc(&db)
        .args(["report", "pathways", "--from", "2024-02", "--to", "2024-02"])
        .args(["--la", "E10000018", "--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<BTreeMap<&str, &str>> = lines
        .map(|l| header.iter().copied().zip(l.split(',')).collect())
        .collect();
    let la = rows.iter().find(|r| r["level"] == "la").unwrap();
    assert_eq!(
        (la["discharges"], la["p0"], la["p1"], la["unknown_pathway"]),
        ("3", "1", "1", "1")
    );
    assert_eq!(la["p1_share_of_known"], "50.000000");
    assert_eq!(la["p1_share_of_all"], "33.333333");
    assert_eq!((la["p1_target"], la["p1_rag"]), ("45.000000", "green"));
    assert_eq!(
        (la["p1_home"], la["p0_home"], la["unknown_destination"]),
        ("1", "1", "1")
    );

    // DRD: one discharge with a ready date (A001: 5th to 7th = 2 days), two without (A003, A005:
    // stays of two nights, so in the measure, each a 0-day delay: it left on its DRD).
    let out = dtoc(&db)
        .args([
            "report", "drd", "--from", "2024-02", "--to", "2024-02", "--format", "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let v = &v["rows"];
    let all = &v[0];
    assert_eq!(all["level"], "all");
    assert_eq!(v[1]["level"], "la");
    assert_eq!(v[1]["code"], "E10000018");
    assert_eq!(all["discharges"], 3);
    assert_eq!(all["no_ready_date"], 2);
    assert_eq!(all["same_day_stays"], 0);
    assert_eq!(all["bed_days_lost"], 2);
    // The notes say how the figures agree with `report pathways` (3).
    let out = dtoc(&db)
        .args(["report", "drd", "--from", "2024-02", "--to", "2024-02"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains(
            "3 discharges in `report pathways` of the same sites and months, less 0 same-day stays: 3 discharges measured, 2 of them with no ready date recorded (0-day delays)."
        ),
        "{text}"
    );
    // The JSON has the CSV's columns, each as its snake_case key (`days_2-3` is `days_2_3`).
    let bands: Vec<&serde_json::Value> = ["days_0", "days_1", "days_2_3", "days_4_6"]
        .iter()
        .map(|k| &all[*k])
        .collect();
    assert_eq!(
        bands,
        [&2, &0, &1, &0]
            .map(|n| serde_json::json!(n))
            .iter()
            .collect::<Vec<_>>()
    );

    // Length of stay on 2024-02-12: A002 (admitted 29 Jan, 14 days, delayed since the 10th) is the
    // only inpatient... and a delayed one only, with no census: no denominator, no share, and the
    // row says why.
    dtoc(&db)
        .args(["report", "los", "--date", "2024-02-12", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2024-02-12,all,all,acute,RWE01,1,,none,1,1,0,,,,2,2,0,,,,,,,no share: only delayed patients",
        ));
    // Criteria to reside on the 7th: A001 not meeting and discharged.
    dtoc(&db)
        .args(["report", "nctr", "--date", "2024-02-07", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2024-02-07,all,all,1,1,0\n"));

    // The export names its files; NHS numbers are nowhere in them.
    let out_dir = dir.path().join("out");
    dtoc(&db)
        .args(["export", "acute-sitrep", "--month", "2024-02", "--out-dir"])
        .arg(&out_dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("table2_criteria_to_reside.csv"));
    for f in std::fs::read_dir(&out_dir).unwrap() {
        let body = std::fs::read_to_string(f.unwrap().path()).unwrap();
        assert!(!body.contains("9434765919"));
    }
    // A month with no complete day is refused.
    dtoc(&db)
        .args(["export", "acute-sitrep", "--month", "2024-03", "--out-dir"])
        .arg(&out_dir)
        .assert()
        .failure()
        .stderr(predicate::str::contains("no complete day"));
}

#[test]
fn a_bad_stays_file_names_the_problem_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    // Only init creates a database (issue 25): an import refuses a missing one.
    dtoc(&db).arg("init").assert().success();
    let f = dir.path().join("s.csv");
    std::fs::write(
        &f,
        "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination\nA1,,NOSITE,E10000018,2024-02-01,,,\n",
    )
    .unwrap();
    dtoc(&db)
        .args(["import", "stays"])
        .arg(&f)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "s.csv line 2, site NOSITE: is not a site of the register",
        ));
}

/// The demo's July 2018 discharges by pathway for Leicestershire equal a recount of
/// `fixtures/stays.csv` (the delays import creates no discharge the stays file lacks).
#[test]
fn demo_pathways_equal_a_recount_of_the_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let g = dtoc::cli::Global {
        db: Some(path.clone()),
        today: None,
        plain: false,
        force: false,
        user: Some("tester".into()),
    };
    let store = dtoc::cli::write_demo(&g, &path, day(TODAY)).unwrap();
    let la = "E10000018".to_string();
    let code = dtoc::domain::LaCode::parse(&la).unwrap();
    let m = month("2018-07");
    let stays = store
        .stay_facts(
            m.first_day(),
            m.end_exclusive(),
            std::slice::from_ref(&code),
        )
        .unwrap();
    let rows = dtoc::report::discharge::pathways(
        &stays,
        m,
        m,
        &dtoc::report::discharge::Targets::new(&[]),
    );
    let got = rows
        .iter()
        .find(|r| {
            r.level
                == dtoc::report::discharge::Level::Authority(
                    dtoc::domain::LaCode::parse(&la).unwrap(),
                )
        })
        .unwrap();
    // Recount: rows of the fixture discharged in July 2018 for Leicestershire, by pathway column.
    let mut want = [0u64; 5];
    let text = std::fs::read_to_string(fixture("stays.csv")).unwrap();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[3] == la && f[5].starts_with("2018-07") {
            let i = f[6].parse::<usize>().unwrap_or(4);
            want[i] += 1;
        }
    }
    assert_eq!(got.by_pathway, [want[0], want[1], want[2], want[3]]);
    assert_eq!(got.unknown_pathway, want[4]);
    assert!(got.discharges > 300, "{}", got.discharges);
    // And the delayed-day figures are the published ones still.
    let counts = store.month_counts(m, m, &[code], day(TODAY)).unwrap();
    assert_eq!(days_in(&counts, "2018-07"), 978);
}

#[test]
fn length_of_stay_queries_read_an_index_not_every_stay() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    let plan = store.stay_facts_plan().unwrap().join(" | ");
    assert!(plan.contains("stay_left"), "{plan}");
    assert!(!plan.contains("SCAN s"), "{plan}");
    assert!(!plan.contains("SCAN d"), "{plan}");
}
