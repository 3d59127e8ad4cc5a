//! Issue 24, figures honest at their edges (docs/measures.md), through the binary on the demo (today
//! 2018-08-15): no figures for the future, the SPC window, partial periods marked.

use crate::common::cli::{demo, dtoc, run};

/// Runs `args` on `db`, asserts a refusal, returns stderr.
fn refused(db: &std::path::Path, args: &[&str]) -> String {
    let out = dtoc(db).args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} was accepted");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_date_month_or_week_after_today_is_refused_naming_flag_value_and_today() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["report", "los", "--date", "2018-08-16"],
            "--date 2018-08-16",
        ),
        (
            &["report", "nctr", "--date", "2018-09-01"],
            "--date 2018-09-01",
        ),
        (
            &["report", "reconcile", "--month", "2018-09"],
            "--month 2018-09",
        ),
        (
            &["report", "weekly", "--week", "2018-W34"],
            "--week 2018-W34",
        ),
        (&["report", "monthly", "--to", "2018-09"], "--to 2018-09"),
        (
            &["report", "spc", "--la", "E10000018", "--to", "2019-01"],
            "--to 2019-01",
        ),
        (
            &[
                "report",
                "benchmark",
                "--la",
                "E10000018",
                "--group",
                "E06000016",
                "--to",
                "2018-09",
            ],
            "--to 2018-09",
        ),
        (
            &["export", "sitrep", "--month", "2018-09", "--out-dir", out],
            "--month 2018-09",
        ),
        (
            &[
                "export",
                "acute-sitrep",
                "--month",
                "2018-09",
                "--out-dir",
                out,
            ],
            "--month 2018-09",
        ),
        (
            &[
                "chart",
                "monthly",
                "--la",
                "E10000018",
                "--to",
                "2018-09",
                "--out",
                "c.svg",
            ],
            "--to 2018-09",
        ),
    ];
    for (args, named) in cases {
        let err = refused(&db, args);
        assert!(
            err.contains(&format!("{named} is after today (2018-08-15)")),
            "{args:?}: {err}"
        );
    }
    // Today itself, the month and the week in progress, are figures to date: accepted.
    run(&db, &["report", "los", "--date", "2018-08-15"]);
    run(&db, &["report", "reconcile", "--month", "2018-08"]);
    run(&db, &["report", "weekly", "--week", "2018-W33"]);
}

#[test]
fn spc_defaults_to_the_last_complete_month_and_never_counts_the_month_in_progress() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let base = ["report", "spc", "--la", "E10000018"];
    // The default --to is 2018-07 (the last complete month): the same points and verdict.
    for format in ["table", "csv", "json"] {
        let default = run(&db, &[&base[..], &["--format", format]].concat());
        let named = run(
            &db,
            &[&base[..], &["--format", format, "--to", "2018-07"]].concat(),
        );
        assert_eq!(default, named, "{format}");
    }
    let csv = run(&db, &[&base[..], &["--format", "csv"]].concat());
    let months: Vec<&str> = csv.lines().skip(1).map(|l| &l[..7]).collect();
    assert_eq!(months.len(), 13, "{csv}");
    assert_eq!((months[0], months[12]), ("2017-07", "2018-07"));
    // Naming the month in progress shows it, marked, after the same chart: its mean, limits and
    // verdicts are those of the complete months.
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_str(&run(
            &db,
            &[&base[..], args, &["--format", "json"]].concat(),
        ))
        .unwrap()
    };
    let complete = json(&["--from", "2017-08", "--to", "2018-07"]);
    let part = json(&["--from", "2017-08", "--to", "2018-08"]);
    let (complete, points) = (
        complete["rows"].as_array().unwrap(),
        part["rows"].as_array().unwrap(),
    );
    assert_eq!((complete.len(), points.len()), (12, 13));
    for (c, p) in complete.iter().zip(points) {
        for key in [
            "month",
            "value",
            "mean",
            "upper_limit",
            "lower_limit",
            "limits",
            "variation",
            "assurance",
        ] {
            assert_eq!(c[key], p[key], "{key}");
        }
    }
    let last = &points[12];
    assert_eq!(last["month"], "2018-08");
    assert_eq!(
        (&last["to_date"], &last["special_cause"], &last["complete"]),
        (
            &"to date, not in mean or limits".into(),
            &serde_json::Value::Null,
            &false.into()
        )
    );
    assert_eq!(last["mean"], complete[11]["mean"]);
}

/// The rows of a CSV text as maps from header to cell.
pub(super) fn csv_maps(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            head.iter()
                .cloned()
                .zip(x.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// `complete` of every row, by its first cell (month or week), each value once.
fn complete_by(
    rows: &[std::collections::HashMap<String, String>],
    key: &str,
) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r[key].clone(), r["complete"].clone()))
        .collect();
    v.dedup();
    v
}

#[test]
fn every_monthly_benchmark_and_weekly_csv_says_which_rows_are_complete() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let la = ["--la", "E10000018", "--from", "2018-07", "--format", "csv"];
    // Monthly: July complete, August (14 of 31 days) not; the forecast only on August.
    let rows = csv_maps(&run(&db, &[&["report", "monthly"][..], &la].concat()));
    assert_eq!(
        complete_by(&rows, "month"),
        [
            ("2018-07".into(), "true".into()),
            ("2018-08".into(), "false".into())
        ]
    );
    let total = |m: &str| {
        rows.iter()
            .find(|r| r["month"] == m && r["measure"] == "total")
            .unwrap()
    };
    assert_eq!(total("2018-07")["forecast_days"], "");
    // August so far: 538 days in 14: 538 / 14 × 31 = 1191.29; per 100,000 of 543,600: 219.15.
    let aug = total("2018-08");
    assert_eq!(aug["delayed_days"], "538");
    assert_eq!(aug["forecast_days"], "1191.285714");
    assert_eq!(aug["forecast_rate"], "219.147482");
    // JSON: a boolean, and the forecast as numbers.
    let json: serde_json::Value = serde_json::from_str(&run(
        &db,
        &[
            "report",
            "monthly",
            "--la",
            "E10000018",
            "--from",
            "2018-07",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let rows_j = json["rows"].as_array().unwrap();
    assert_eq!(rows_j[0]["complete"], true);
    assert_eq!(rows_j[0]["forecast_days"], serde_json::Value::Null);
    let last = rows_j
        .iter()
        .find(|r| r["month"] == "2018-08" && r["measure"] == "total")
        .unwrap();
    assert_eq!(
        (last["month"].as_str(), &last["complete"]),
        (Some("2018-08"), &false.into())
    );
    assert!((last["forecast_days"].as_f64().unwrap() - 538.0 / 14.0 * 31.0).abs() < 1e-9);
    // Quarters: a boolean too; 2018/19 Q2 (July, August to date) is incomplete.
    let q = csv_maps(&run(
        &db,
        &[&["report", "monthly", "--period", "quarter"][..], &la].concat(),
    ));
    assert_eq!(
        complete_by(&q, "period"),
        [("2018/19 Q2".into(), "false".into())]
    );

    // Benchmark (published figures for June to August 2018): August is to date.
    super::benchmark::import_published(
        &db,
        &dir,
        &[
            ("-", "England", "130000", "July 2018"),
            ("E10000018", "Leicestershire", "978", "July 2018"),
            ("-", "England", "70000", "August 2018"),
            ("E10000018", "Leicestershire", "500", "August 2018"),
        ],
    );
    let b = csv_maps(&run(
        &db,
        &[&["report", "benchmark", "--group", "E06000016"][..], &la].concat(),
    ));
    assert_eq!(
        complete_by(&b, "month"),
        [
            ("2018-07".into(), "true".into()),
            ("2018-08".into(), "false".into())
        ]
    );

    // Weekly: W31 is over, W33 (Monday 13 to today, Wednesday 15 August) is not.
    for (week, complete) in [("2018-W31", "true"), ("2018-W33", "false")] {
        let w = csv_maps(&run(
            &db,
            &["report", "weekly", "--week", week, "--format", "csv"],
        ));
        assert!(!w.is_empty());
        assert!(w.iter().all(|r| r["complete"] == complete), "{week}");
    }
}

#[test]
fn a_part_week_is_compared_with_the_same_days_of_the_week_before() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    // 2018-W33 as of Wednesday 15 August: Monday and Tuesday counted (98 days), compared with
    // Monday 6 and Tuesday 7 August (103), not with the whole of 2018-W32 (372).
    let text = run(&db, &["report", "weekly", "--week", "2018-W33"]);
    assert!(
        text.contains("Week in progress: 2 of 7 days counted (2018-08-13 to 2018-08-14); compared with the same 2 days of the week before"),
        "{text}"
    );
    assert!(
        text.contains("Delayed days to date 98 (same days of the week before 103, change -5)"),
        "{text}"
    );
    // The whole of 2018-W32 is 372 days: a complete week is compared as before.
    let w32 = run(&db, &["report", "weekly", "--week", "2018-W32"]);
    assert!(
        w32.contains("Delayed days 372 (week before 345, change +27)"),
        "{w32}"
    );
    // JSON by authority: the same comparison, and complete false.
    let json: serde_json::Value = serde_json::from_str(&run(
        &db,
        &["report", "weekly", "--week", "2018-W33", "--format", "json"],
    ))
    .unwrap();
    let text = json.to_string();
    assert!(text.contains("\"complete\":false"), "{text}");
    assert!(!text.contains("\"complete\":true"), "{text}");
}

#[test]
fn sitrep_files_carry_their_month_and_say_whether_it_is_complete() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    // June and July into one folder: six files, none replaced.
    for m in ["2018-06", "2018-07", "2018-08"] {
        run(&db, &["export", "sitrep", "--month", m, "--out-dir", o]);
    }
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want = Vec::new();
    for m in ["2018-06", "2018-07", "2018-08"] {
        for t in [
            "la_by_reason",
            "la_by_responsible_org",
            "la_by_type_of_care",
        ] {
            want.push(format!("sitrep-{m}-{t}.csv"));
        }
    }
    assert_eq!(names, want);
    // The last row of each file says whether its month is complete, where a spreadsheet shows it.
    let last = |f: &str| {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        text.lines().last().unwrap().to_string()
    };
    assert!(last("sitrep-2018-07-la_by_reason.csv")
        .starts_with("-,-,-,July 2018: complete: true (31 of 31 days counted),"));
    assert!(last("sitrep-2018-08-la_by_type_of_care.csv").starts_with(
        "-,-,-,\"August 2018: complete: false, PARTIAL month to date (14 of 31 days counted)\","
    ));
    // The discharge sitreps too, by name and row.
    run(
        &db,
        &[
            "export",
            "acute-sitrep",
            "--month",
            "2018-08",
            "--out-dir",
            o,
        ],
    );
    let t2 = last("acute-sitrep-2018-08-table2_criteria_to_reside.csv");
    assert!(
        t2.starts_with(
            "-,-,-,\"August 2018: complete: false, PARTIAL month to date (days to 2018-08-14)\""
        ),
        "{t2}"
    );
}

#[test]
fn the_monthly_chart_of_a_month_in_progress_says_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let svg = dir.path().join("m.svg");
    let s = svg.to_str().unwrap();
    run(&db, &["chart", "monthly", "--la", "E10000018", "--out", s]);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("to August 2018 (to date)"), "title");
    run(
        &db,
        &[
            "chart",
            "monthly",
            "--la",
            "E10000018",
            "--to",
            "2018-07",
            "--force",
            "--out",
            s,
        ],
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("July 2017 to July 2018"), "title");
    assert!(!text.contains("(to date)"));
}

#[test]
fn the_monthly_and_sitrep_workbooks_show_complete_and_the_forecast() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let file = dir.path().join("m.xlsx");
    let f = file.to_str().unwrap();
    run(
        &db,
        &[
            "report",
            "monthly",
            "--la",
            "E10000018",
            "--from",
            "2018-07",
            "--format",
            "xlsx",
            "--out",
            f,
        ],
    );
    let mut wb: Xlsx<_> = open_workbook(&file).unwrap();
    let r = wb.worksheet_range("Monthly report").unwrap();
    let head: Vec<String> = r
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (complete, forecast) = (col("complete"), col("forecast_days"));
    let rows: Vec<&[Data]> = r.rows().skip(2).collect();
    // July's rows first (4 measures), then August's: TRUE/FALSE cells, the forecast a number.
    assert_eq!(rows.len(), 8);
    assert!(rows[..4].iter().all(|x| x[complete] == Data::Bool(true)));
    assert!(rows[4..].iter().all(|x| x[complete] == Data::Bool(false)));
    assert_eq!(rows[0][forecast], Data::Empty);
    assert!(matches!(rows[4][forecast], Data::Float(x) if (x - 538.0 / 14.0 * 31.0).abs() < 1e-6));
    // The LA-Type-B workbook of the month in progress: the status row under each table.
    let out = dir.path().join("out");
    run(
        &db,
        &[
            "export",
            "sitrep",
            "--month",
            "2018-08",
            "--format",
            "xlsx",
            "--out-dir",
            out.to_str().unwrap(),
        ],
    );
    let mut wb: Xlsx<_> = open_workbook(out.join("sitrep-2018-08.xlsx")).unwrap();
    for name in wb.sheet_names() {
        let r = wb.worksheet_range(&name).unwrap();
        let last = r.rows().next_back().unwrap();
        assert_eq!(
            last[3],
            Data::String(
                "August 2018: complete: false, PARTIAL month to date (14 of 31 days counted)"
                    .into()
            ),
            "{name}"
        );
    }
}
