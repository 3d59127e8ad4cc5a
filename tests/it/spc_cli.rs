//! `dtoc report spc` as Making Data Count reads it (issue 17): each row's own target and limits,
//! `special_cause` text, variation and assurance by their names, `--no-screen`, `--baseline`,
//! `--rebase`, trial limits and the month in progress. Synthetic demo database, today 2018-08-15.

use assert_cmd::Command;
use std::path::Path;

const LEICS: &str = "E10000018";

fn dtoc(db: &Path) -> Command {
    let mut c = Command::cargo_bin("dtoc").unwrap();
    c.args(["--db", db.to_str().unwrap(), "--today", "2018-08-15"]);
    c
}

fn run(db: &Path, args: &[&str]) -> String {
    let out = dtoc(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn demo(dir: &tempfile::TempDir) -> std::path::PathBuf {
    crate::common::cli::demo(dir)
}

fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|x| {
            head.iter()
                .cloned()
                .zip(x.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn f(r: &std::collections::HashMap<String, String>, k: &str) -> f64 {
    r[k].parse().unwrap()
}

#[test]
fn rows_carry_their_own_target_limits_and_named_special_causes() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let base = [
        "report", "spc", "--la", LEICS, "--from", "2017-01", "--to", "2018-07",
    ];
    let rows = csv_rows(&run(&db, &[&base[..], &["--format", "csv"]].concat()));
    assert_eq!(rows.len(), 19);
    // Each month's own target: 9.50 in 2017/18, 7.88 from April 2018 (not July's on every row).
    let row = |m: &str| rows.iter().find(|r| r["month"] == m).unwrap();
    assert!((f(row("2017-08"), "target") - 9.50).abs() < 1e-9);
    assert!((f(row("2018-07"), "target") - 7.88).abs() < 1e-9);
    // Issue 24: the demo's record is complete from April 2017, so January to March 2017 are
    // blank and in no mean or limit (before coverage they were 0.61, 3.00 and 16.32 per 100,000,
    // back-dated patients only, and made 2017-01 "improvement: outside limits").
    for m in ["2017-01", "2017-02", "2017-03"] {
        assert_eq!(row(m)["value"], "", "{m}");
        assert_eq!(
            row(m)["special_cause"],
            "before coverage: blank, not in mean or limits"
        );
    }
    // The limits recomputed here from the 16 covered values: mean ± 2.66 × the mean moving range
    // (screening drops none: every moving range is below 3.267 × their mean).
    let values: Vec<f64> = rows[3..].iter().map(|r| f(r, "value")).collect();
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let mrs: Vec<f64> = values.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let amr = mrs.iter().sum::<f64>() / mrs.len() as f64;
    assert!(mrs.iter().all(|m| *m < 3.267 * amr));
    assert!((f(row("2017-08"), "lower_limit") - (mean - 2.66 * amr)).abs() < 1e-5);
    assert!((f(row("2017-08"), "upper_limit") - (mean + 2.66 * amr)).abs() < 1e-5);
    assert_eq!(format!("{:.2}", f(row("2017-08"), "lower_limit")), "5.03");
    assert_eq!(format!("{:.2}", f(row("2017-08"), "upper_limit")), "11.46");
    // Named special causes: each point by the first rule that flags it and its direction (April
    // to October 2017, seven above the mean 8.24: a shift, concern; May 2018 below the lower
    // limit: improvement; the points around it beyond the two-thirds line 6.10: two in three).
    assert_eq!(row("2017-04")["special_cause"], "concern: shift");
    assert_eq!(row("2017-10")["special_cause"], "concern: shift");
    assert_eq!(row("2017-11")["special_cause"], "");
    assert_eq!(
        row("2018-05")["special_cause"],
        "improvement: outside limits"
    );
    assert_eq!(row("2018-07")["special_cause"], "improvement: two in three");
    assert!(rows
        .iter()
        .all(|r| r["variation"] == "special cause improvement (low)"));
    assert!(rows.iter().all(|r| r["assurance"] == "hit and miss"));
    assert!(rows
        .iter()
        .all(|r| r["limits"].is_empty() && r["to_date"].is_empty()));
    // Without screening the limits are the same here (none was dropped).
    let rows = csv_rows(&run(
        &db,
        &[&base[..], &["--format", "csv", "--no-screen"]].concat(),
    ));
    assert_eq!(format!("{:.2}", f(&rows[3], "lower_limit")), "5.03");
    assert_eq!(format!("{:.2}", f(&rows[3], "upper_limit")), "11.46");
    // The table names the verdicts as Making Data Count does, never the internal names.
    let table = run(&db, &base);
    assert!(
        table.contains("variation: special cause improvement (low)"),
        "{table}"
    );
    assert!(table.contains("assurance: hit and miss"), "{table}");
    assert!(table.contains("screened, 0 dropped"), "{table}");
    for internal in ["CommonCause", "HitAndMiss", "BeyondLimit", "Improving)"] {
        assert!(!table.contains(internal), "{internal} in {table}");
    }
    // JSON: the names beside the chart, each point's special_cause.
    let j: serde_json::Value =
        serde_json::from_str(&run(&db, &[&base[..], &["--format", "json"]].concat())).unwrap();
    let points = j["rows"].as_array().unwrap();
    assert!(points
        .iter()
        .all(|p| p["variation"] == "special cause improvement (low)"));
    assert!(points.iter().all(|p| p["assurance"] == "hit and miss"));
    // The first covered month (the demo is covered from 2017-04).
    let first = points
        .iter()
        .find(|p| {
            !p["special_cause"]
                .as_str()
                .is_some_and(|c| c.starts_with("before coverage"))
        })
        .unwrap();
    assert_eq!(first["special_cause"], "concern: shift");
    assert!(points.iter().all(|p| p["to_date"].is_null()));
}

#[test]
fn baseline_rebase_trial_limits_and_the_month_in_progress() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let base = ["report", "spc", "--la", LEICS, "--format", "csv"];
    // A baseline of 12 fixes the mean on the first 12 of the 16 points (19 months asked for, the
    // first three before coverage and blank).
    let all = csv_rows(&run(
        &db,
        &[&base[..], &["--from", "2017-01", "--to", "2018-07"]].concat(),
    ));
    let fixed = csv_rows(&run(
        &db,
        &[
            &base[..],
            &["--from", "2017-01", "--to", "2018-07", "--baseline", "12"],
        ]
        .concat(),
    ));
    let first12: f64 = all[3..15].iter().map(|r| f(r, "value")).sum::<f64>() / 12.0;
    assert!((f(&fixed[18], "mean") - first12).abs() < 1e-5);
    // Fewer than 12 is refused.
    dtoc(&db)
        .args(base)
        .args(["--baseline", "11"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("at least 12 points"));
    // A rebase in April 2018 starts new limits there: four points, trial limits.
    let rows = csv_rows(&run(
        &db,
        &[
            &base[..],
            &[
                "--from", "2017-01", "--to", "2018-07", "--rebase", "2018-04",
            ],
        ]
        .concat(),
    ));
    let after: f64 = rows[15..].iter().map(|r| f(r, "value")).sum::<f64>() / 4.0;
    assert!((f(&rows[18], "mean") - after).abs() < 1e-5);
    assert_eq!(rows[18]["limits"], "trial limits");
    // Before it, April 2017 to March 2018: 12 points, trial limits too (under 13).
    assert_eq!(rows[3]["limits"], "trial limits");
    assert!(f(&rows[3], "mean") != f(&rows[18], "mean"));
    // With the default --to (the last complete month) the month in progress is left out; naming
    // it shows it, marked to date, outside the mean and limits (issue 24).
    let rows = csv_rows(&run(&db, &[&base[..], &["--from", "2018-01"]].concat()));
    assert_eq!(rows.last().unwrap()["month"], "2018-07");
    let rows = csv_rows(&run(
        &db,
        &[&base[..], &["--from", "2018-01", "--to", "2018-08"]].concat(),
    ));
    let last = rows.last().unwrap();
    assert_eq!(
        (last["month"].as_str(), last["to_date"].as_str()),
        ("2018-08", "to date, not in mean or limits")
    );
    assert_eq!(last["limits"], "trial limits");
    let table = run(
        &db,
        &[
            "report", "spc", "--la", LEICS, "--from", "2018-01", "--to", "2018-08",
        ],
    );
    assert!(
        table.contains("(to date, not in mean or limits)"),
        "{table}"
    );
    // The limits are the seven complete months'.
    assert!(table.contains("trial limits (7 points)"), "{table}");
}
