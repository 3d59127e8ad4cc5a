//! Issue 24, figures honest at their edges (RULES.md §3a), through the binary on the demo (today
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
            &["export", "sitrep", "--month", "2018-09", "--out", out],
            "--month 2018-09",
        ),
        (
            &["export", "acute-sitrep", "--month", "2018-09", "--out", out],
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
    for key in ["variation", "assurance", "trial_limits"] {
        assert_eq!(complete[key], part[key], "{key}");
    }
    for key in ["mean", "upper_limit", "lower_limit", "segments"] {
        assert_eq!(complete["chart"][key], part["chart"][key], "{key}");
    }
    assert_eq!(part["to_date"], "2018-08");
    let points = part["chart"]["points"].as_array().unwrap();
    assert_eq!(points.len(), 13);
    let last = &points[12];
    assert_eq!(
        (&last["to_date"], &last["special_cause"]),
        (&true.into(), &"".into())
    );
    assert_eq!(last["mean"], complete["chart"]["mean"]);
}
