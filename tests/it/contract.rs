//! The output contract (docs/output.md, issue 28): every report and export run with `--format
//! json` on the demo writes one JSON document (`report`, `generated_for`, then `title`, `notes`,
//! `rows`, `suppressed`, or a `tables` list), every row's keys and value types as the docs page's
//! table says; `--suppress 5` writes hidden cells as `null` and lists exactly them; XLSX months
//! and dates are Excel dates, years plain integers, and a suppressed sheet names its hidden cells.
#![allow(clippy::unwrap_used)]

use crate::common;

use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
use common::cli::{demo, run};
use common::xlsx::number_format;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// One documented output: how it is run, its `report`, and its tables' column types.
struct Contract {
    label: &'static str,
    args: &'static [&'static str],
    report: &'static str,
    tables: &'static [(&'static str, &'static [(&'static str, &'static str)])],
}

/// The documented column types (docs/output.md): invocation, its arguments, the `report`,
/// and for each table (`""` for a one-table report) its columns and their types. A key
/// ending in `*` stands for every key with that beginning. The same table as docs/output.md.
const CONTRACT: &[Contract] = &[
    Contract {
        label: "monthly",
        args: &["report", "monthly", "--from", "2018-06", "--to", "2018-08"],
        report: "monthly",
        tables: &[(
            "",
            &[
                ("month", "month"),
                ("la_code", "text"),
                ("la_name", "text"),
                ("measure", "text"),
                ("delayed_days", "int"),
                ("days_in_month", "int"),
                ("population_18plus", "int?"),
                ("population_year", "int?"),
                ("dtoc_beds", "number"),
                ("rate_per_100k_month", "number?"),
                ("rate_per_100k_day", "number?"),
                ("target_per_100k_day", "number?"),
                ("target_days", "number?"),
                ("rag", "text?"),
                ("vs_target", "text?"),
                ("complete", "bool"),
                ("forecast_days", "number?"),
                ("forecast_rate", "number?"),
            ],
        )],
    },
    Contract {
        label: "monthly --period quarter",
        args: &[
            "report", "monthly", "--from", "2018-01", "--to", "2018-08", "--period", "quarter",
        ],
        report: "monthly",
        tables: &[(
            "",
            &[
                ("period", "text"),
                ("la_code", "text"),
                ("la_name", "text"),
                ("measure", "text"),
                ("delayed_days", "int"),
                ("days_in_period", "int"),
                ("months_counted", "int"),
                ("complete", "bool"),
                ("populations_18plus", "text?"),
                ("dtoc_beds", "number"),
                ("rate_per_100k_month", "number?"),
                ("rate_per_100k_day", "number?"),
                ("target_per_100k_day", "number?"),
                ("target_days", "number?"),
                ("rag", "text?"),
                ("vs_target", "text?"),
            ],
        )],
    },
    Contract {
        label: "pathways",
        args: &["report", "pathways", "--from", "2018-07", "--to", "2018-08"],
        report: "pathways",
        tables: &[(
            "",
            &[
                ("month", "month"),
                ("level", "text"),
                ("code", "text"),
                ("discharges", "int"),
                ("p0", "int"),
                ("p1", "int"),
                ("p2", "int"),
                ("p3", "int"),
                ("unknown_pathway", "int"),
                ("p0_share_of_all", "number?"),
                ("p1_share_of_all", "number?"),
                ("p2_share_of_all", "number?"),
                ("p3_share_of_all", "number?"),
                ("p0_share_of_known", "number?"),
                ("p1_share_of_known", "number?"),
                ("p2_share_of_known", "number?"),
                ("p3_share_of_known", "number?"),
                ("p1_target", "number?"),
                ("p1_rag", "text?"),
                ("p1_vs_target", "text?"),
                ("usual_residence", "int"),
                ("usual_residence_recorded", "int"),
                ("usual_residence_share", "number?"),
                ("usual_residence_target", "number?"),
                ("usual_residence_rag", "text?"),
                ("usual_residence_vs_target", "text?"),
                ("p0_home", "int"),
                ("p0_other", "int"),
                ("p1_home", "int"),
                ("p1_other", "int"),
                ("p1_hotel", "int"),
                ("p2_care_home", "int"),
                ("p2_designated", "int"),
                ("p2_hospice", "int"),
                ("p2_community_rehab", "int"),
                ("p3_care_home", "int"),
                ("p3b_care_home", "int"),
                ("p3_designated", "int"),
                ("unknown_destination", "int"),
                ("complete", "bool"),
            ],
        )],
    },
    Contract {
        label: "drd",
        args: &["report", "drd", "--from", "2018-07", "--to", "2018-08"],
        report: "drd",
        tables: &[(
            "",
            &[
                ("month", "month"),
                ("level", "text"),
                ("code", "text"),
                ("discharges", "int"),
                ("no_ready_date", "int"),
                ("bed_days_lost", "int"),
                ("average_days", "number?"),
                ("average_days_excluding_0", "number?"),
                ("days_0", "int"),
                ("days_1", "int"),
                ("days_2_3", "int"),
                ("days_4_6", "int"),
                ("days_7_13", "int"),
                ("days_14_20", "int"),
                ("days_21", "int"),
                ("share_0", "number?"),
                ("share_1", "number?"),
                ("share_2_3", "number?"),
                ("share_4_6", "number?"),
                ("share_7_13", "number?"),
                ("share_14_20", "number?"),
                ("share_21", "number?"),
                ("within_24h", "int"),
                ("within_24h_share", "number?"),
                ("within_24h_target", "number?"),
                ("within_24h_rag", "text?"),
                ("within_24h_vs_target", "text?"),
                ("complete", "bool"),
            ],
        )],
    },
    Contract {
        label: "los",
        args: &["report", "los", "--date", "2018-08-13"],
        report: "los",
        tables: &[(
            "",
            &[
                ("day", "date"),
                ("level", "text"),
                ("code", "text"),
                ("recorded", "int"),
                ("denominator", "int?"),
                ("denominator_source", "text"),
                ("los7", "int"),
                ("los14", "int"),
                ("los21", "int"),
                ("los7_share", "number?"),
                ("los14_share", "number?"),
                ("los21_share", "number?"),
                ("extra_bed_days7", "int"),
                ("extra_bed_days14", "int"),
                ("extra_bed_days21", "int"),
                ("los14_target", "number?"),
                ("los14_rag", "text?"),
                ("los14_vs_target", "text?"),
                ("los21_target", "number?"),
                ("los21_rag", "text?"),
                ("los21_vs_target", "text?"),
            ],
        )],
    },
    Contract {
        label: "nctr",
        args: &["report", "nctr", "--date", "2018-08-13"],
        report: "nctr",
        tables: &[(
            "",
            &[
                ("day", "date"),
                ("level", "text"),
                ("code", "text"),
                ("not_meeting_criteria", "int"),
                ("discharged", "int"),
                ("remaining", "int"),
            ],
        )],
    },
    Contract {
        label: "spc",
        args: &["report", "spc", "--la", "E10000018", "--to", "2018-08"],
        report: "spc",
        tables: &[(
            "",
            &[
                ("month", "month"),
                ("la_code", "text"),
                ("measure", "text"),
                ("value", "number"),
                ("mean", "number"),
                ("lower_limit", "number"),
                ("upper_limit", "number"),
                ("target", "number?"),
                ("limits", "text?"),
                ("to_date", "text?"),
                ("variation", "text"),
                ("assurance", "text?"),
                ("special_cause", "text?"),
                ("complete", "bool"),
            ],
        )],
    },
    Contract {
        label: "benchmark",
        args: &[
            "report",
            "benchmark",
            "--la",
            "E10000018",
            "--group",
            "E10000007,E10000019",
            "--from",
            "2018-07",
            "--to",
            "2018-07",
        ],
        report: "benchmark",
        tables: &[(
            "",
            &[
                ("month", "month"),
                ("la_code", "text"),
                ("la_name", "text"),
                ("role", "text"),
                ("published_days", "int?"),
                ("local_days", "int?"),
                ("population_18plus", "int?"),
                ("per_100k_day", "number?"),
                ("rank_by_days", "int?"),
                ("of_days", "int?"),
                ("rank_by_rate", "int?"),
                ("of_rate", "int?"),
                ("complete", "bool"),
            ],
        )],
    },
    Contract {
        label: "weekly",
        args: &["report", "weekly", "--week", "2018-W33"],
        report: "weekly",
        tables: &[
            (
                "weekly_by_authority",
                &[
                    ("la_code", "text"),
                    ("days", "int"),
                    ("previous_days", "int"),
                    ("change", "int"),
                    ("delayed_at_end", "int"),
                    ("previous_delayed_at_end", "int"),
                    ("complete", "bool"),
                ],
            ),
            (
                "weekly_detail",
                &[
                    ("week", "text"),
                    ("la_code", "text"),
                    ("attribution", "text"),
                    ("reason", "text"),
                    ("setting", "text"),
                    ("days", "int"),
                    ("complete", "bool"),
                ],
            ),
        ],
    },
    Contract {
        label: "queues",
        args: &[
            "report",
            "queues",
            "--from",
            "2018-08-01",
            "--to",
            "2018-08-14",
        ],
        report: "queues",
        tables: &[
            (
                "queues_now",
                &[
                    ("pathway", "text"),
                    ("waiting", "int"),
                    ("median_wait_days", "number?"),
                    ("longest_wait_days", "int?"),
                    ("joined", "int"),
                    ("left", "int"),
                ],
            ),
            (
                "queue_history",
                &[
                    ("day", "date"),
                    ("pathway", "text"),
                    ("waiting", "int"),
                    ("median_wait_days", "number?"),
                    ("longest_wait_days", "int?"),
                    ("joined", "int"),
                    ("left", "int"),
                ],
            ),
        ],
    },
    Contract {
        label: "forecast",
        args: &["report", "forecast", "--la", "E10000018"],
        report: "forecast",
        tables: &[
            (
                "forecast_summary",
                &[
                    ("pathway", "text"),
                    ("queue_now", "int"),
                    ("ready_per_week", "number"),
                    ("left_per_week", "number"),
                    ("last_queue_*", "int"),
                    ("extra_per_day", "int?"),
                ],
            ),
            (
                "forecast",
                &[
                    ("pathway", "text"),
                    ("day_ahead", "int"),
                    ("date", "date"),
                    ("ready", "int"),
                    ("ready_low", "int"),
                    ("ready_high", "int"),
                    ("leave_*", "int"),
                    ("queue_*", "int"),
                    ("delayed_days_*", "int"),
                ],
            ),
        ],
    },
    Contract {
        label: "forecast --backtest",
        args: &[
            "report",
            "forecast",
            "--backtest",
            "--from",
            "2018-07-01",
            "--to",
            "2018-07-10",
        ],
        report: "forecast_backtest",
        tables: &[(
            "",
            &[
                ("horizon", "int"),
                ("forecasts", "int"),
                ("ready_mae", "number?"),
                ("ready_mae_stays", "number?"),
                ("ready_mae_weekday", "number?"),
                ("ready_inside_pct", "number?"),
                ("queue_mae", "number?"),
                ("queue_mae_stays", "number?"),
                ("queue_mae_weekday", "number?"),
                ("queue_inside_pct", "number?"),
            ],
        )],
    },
    Contract {
        label: "reconcile",
        args: &["report", "reconcile", "--month", "2018-07"],
        report: "reconcile",
        tables: &[(
            "",
            &[
                ("month", "month"),
                ("la_code", "text"),
                ("measure", "text"),
                ("local_id", "text?"),
                ("date", "date?"),
                ("signed_days", "int?"),
                ("reported_days", "int?"),
                ("difference", "int?"),
                ("local", "text?"),
                ("reported", "text?"),
                ("status", "text?"),
                ("note", "text?"),
            ],
        )],
    },
    Contract {
        label: "export audit",
        args: &[
            "export",
            "audit",
            "--from",
            "2018-01-01",
            "--to",
            "2099-12-31",
        ],
        report: "audit",
        tables: &[(
            "",
            &[
                ("id", "int"),
                ("at", "datetime"),
                ("user", "text"),
                ("entity", "text"),
                ("entity_id", "text"),
                ("action", "text"),
                ("field", "text?"),
                ("old_value", "text?"),
                ("new_value", "text?"),
            ],
        )],
    },
];

/// Whether `v` is of the documented type `ty` (`int`, `number`, `text`, `bool`, `month`, `date`,
/// `datetime`; `?` after it: or null).
fn of_type(ty: &str, v: &Value) -> bool {
    if let Some(t) = ty.strip_suffix('?') {
        return v.is_null() || of_type(t, v);
    }
    let text = |re: fn(&str) -> bool| v.as_str().is_some_and(re);
    match ty {
        "int" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "text" => v.as_str().is_some_and(|s| !s.is_empty()),
        "bool" => v.is_boolean(),
        "month" => text(|s| {
            chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").is_ok()
                && s.len() == 7
        }),
        "date" => {
            text(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10)
        }
        "datetime" => {
            text(|s| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ").is_ok())
        }
        _ => panic!("undocumented type {ty}"),
    }
}

/// The documented type of `key` among `cols` (a key ending in `*` matches its beginning).
fn type_of<'a>(cols: &'a [(&str, &'a str)], key: &str) -> Option<&'a str> {
    cols.iter()
        .find(|(k, _)| match k.strip_suffix('*') {
            Some(prefix) => key.starts_with(prefix),
            None => k == &key,
        })
        .map(|(_, t)| *t)
}

/// The demo, with published returns (for the benchmark) and a reported month (for reconcile).
fn contract_demo(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = demo(dir);
    let published = dir.path().join("published.csv");
    std::fs::write(
        &published,
        crate::benchmark::published_csv(&[
            ("-", "England", "140938", "July 2018"),
            ("E10000018", "Leicestershire", "978", "July 2018"),
            ("E10000007", "Derbyshire", "1282", "July 2018"),
            ("E10000019", "Lincolnshire", "-", "July 2018"),
        ]),
    )
    .unwrap();
    run(&db, &["import", "published", published.to_str().unwrap()]);
    let reported = dir.path().join("reported.csv");
    std::fs::write(
        &reported,
        "month,la_code,measure,delayed_days\n2018-07,E10000018,total,1000\n2018-07,E10000018,nhs,880\n",
    )
    .unwrap();
    run(&db, &["import", "reported", reported.to_str().unwrap()]);
    db
}

/// The tables of a document, by name (`""` for a one-table document).
fn tables_of(doc: &Value) -> Vec<(String, &Value)> {
    match doc.get("tables") {
        Some(list) => list
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["name"].as_str().unwrap().to_string(), t))
            .collect(),
        None => vec![(String::new(), doc)],
    }
}

/// Checks one document against its contract; returns how many cells it checked.
fn check(c: &Contract, doc: &Value) -> usize {
    let label = c.label;
    let obj = doc.as_object().unwrap();
    assert_eq!(doc["report"], c.report, "{label}");
    assert_eq!(doc["generated_for"], "2018-08-15", "{label}");
    let multi = !c.tables[0].0.is_empty();
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    if multi {
        assert_eq!(keys, ["report", "generated_for", "tables"], "{label}");
    } else {
        assert_eq!(
            keys,
            [
                "report",
                "generated_for",
                "title",
                "notes",
                "rows",
                "suppressed"
            ],
            "{label}"
        );
    }
    let tables = tables_of(doc);
    let names: Vec<&str> = tables.iter().map(|(n, _)| n.as_str()).collect();
    let documented: Vec<&str> = c.tables.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, documented, "{label}");
    let mut cells = 0;
    for ((name, t), (_, cols)) in tables.iter().zip(c.tables) {
        assert!(
            t["title"].as_str().is_some_and(|s| !s.is_empty()),
            "{label} {name}"
        );
        assert!(
            t["notes"].as_array().unwrap().iter().all(Value::is_string),
            "{label}"
        );
        assert_eq!(t["suppressed"], serde_json::json!([]), "{label} {name}");
        let rows = t["rows"].as_array().unwrap();
        assert!(!rows.is_empty(), "{label} {name}: no rows to check");
        for (i, row) in rows.iter().enumerate() {
            let row = row.as_object().unwrap();
            for (k, v) in row {
                let ty = type_of(cols, k)
                    .unwrap_or_else(|| panic!("{label} {name}: {k} is not documented"));
                assert!(
                    of_type(ty, v),
                    "{label} {name} row {i}: {k} = {v} is not {ty}"
                );
                cells += 1;
            }
            for (k, _) in cols.iter().filter(|(k, _)| !k.ends_with('*')) {
                assert!(row.contains_key(*k), "{label} {name} row {i}: no {k}");
            }
        }
    }
    cells
}

#[test]
fn every_report_and_export_writes_one_json_document_of_its_documented_types() {
    let dir = tempfile::tempdir().unwrap();
    let db = contract_demo(&dir);
    let mut cells = 0;
    for c in CONTRACT {
        let text = run(&db, &[c.args, &["--format", "json"]].concat());
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", c.label));
        cells += check(c, &doc);
    }
    // Every documented output has rows: thousands of cells checked, not a vacuous pass.
    assert!(cells > 10_000, "{cells}");
}

/// `--suppress 5`: a cell is `null` and listed in `suppressed` exactly when the plain document
/// has a figure there that the suppressed one hides; everything else is as in the plain one.
#[test]
fn suppressed_cells_are_null_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let db = contract_demo(&dir);
    let mut hidden = 0;
    for label in ["monthly", "pathways", "drd", "los", "weekly", "benchmark"] {
        let c = CONTRACT.iter().find(|c| c.label == label).unwrap();
        let json = |extra: &[&str]| -> Value {
            serde_json::from_str(&run(&db, &[c.args, &["--format", "json"], extra].concat()))
                .unwrap()
        };
        let (plain, suppressed) = (json(&[]), json(&["--suppress", "5"]));
        for ((name, p), (_, s)) in tables_of(&plain).into_iter().zip(tables_of(&suppressed)) {
            let listed: BTreeSet<String> = s["suppressed"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            let (p_rows, s_rows) = (p["rows"].as_array().unwrap(), s["rows"].as_array().unwrap());
            assert_eq!(p_rows.len(), s_rows.len(), "{label} {name}");
            let mut changed = BTreeSet::new();
            for (i, (pr, sr)) in p_rows.iter().zip(s_rows).enumerate() {
                for (k, pv) in pr.as_object().unwrap() {
                    let sv = &sr[k];
                    if listed.contains(&format!("{i}/{k}")) {
                        assert!(sv.is_null(), "{label} {name} {i}/{k} listed but {sv}");
                    } else {
                        assert_eq!(pv, sv, "{label} {name} {i}/{k} changed, not listed");
                    }
                    if !pv.is_null() && sv.is_null() {
                        changed.insert(format!("{i}/{k}"));
                    }
                }
            }
            // Every figure hidden is listed; a listed cell is one the table has.
            assert!(changed.is_subset(&listed), "{label} {name}");
            for l in &listed {
                let (i, k) = l.split_once('/').unwrap();
                let i: usize = i.parse().unwrap();
                assert!(s_rows[i].get(k).is_some(), "{label} {name}: {l}");
            }
            hidden += changed.len();
        }
    }
    assert!(hidden > 50, "{hidden}");
}

/// Runs `args` with `--format xlsx --out` into `file` and reads back its sheet `sheet`.
fn xlsx_of(db: &Path, args: &[&str], file: &Path, sheet: &str) -> calamine::Range<Data> {
    let out = ["--format", "xlsx", "--out", file.to_str().unwrap()];
    run(db, &[args, &out[..]].concat());
    let mut wb: Xlsx<_> = open_workbook(file).unwrap();
    wb.worksheet_range(sheet).unwrap()
}

#[test]
fn xlsx_months_and_moments_are_dates_years_plain_and_suppression_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = contract_demo(&dir);
    let out = |name: &str| dir.path().join(name);
    let (monthly, audit, drd) = (out("monthly.xlsx"), out("audit.xlsx"), out("drd.xlsx"));
    let m = [
        "report",
        "monthly",
        "--la",
        "E10000018",
        "--from",
        "2018-07",
        "--to",
        "2018-07",
    ];
    let r = xlsx_of(&db, &m, &monthly, "Monthly report");
    let at = |r: &calamine::Range<Data>, row: u32, col: u32| r.get_value((row, col)).cloned();
    // Row 0 the title, row 1 the header, row 2 July's total: the month an Excel date (43282 is
    // 2018-07-01), the population year 2018 a plain number shown `0` (never "2,018").
    assert_eq!(at(&r, 1, 7), Some(Data::String("population_year".into())));
    match at(&r, 2, 0) {
        Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 43_282.0),
        other => panic!("month is not a date: {other:?}"),
    }
    assert_eq!(at(&r, 2, 7), Some(Data::Float(2018.0)));
    assert_eq!(number_format(&monthly, 1, "H3"), "0");
    assert_eq!(number_format(&monthly, 1, "E3"), "#,##0");
    // The population beside it keeps its thousands separator (543,600).
    assert_eq!(at(&r, 2, 6), Some(Data::Float(543_600.0)));
    assert_eq!(number_format(&monthly, 1, "G3"), "#,##0");
    assert_eq!(number_format(&monthly, 1, "A3"), "mmm yyyy");

    // The audit log's `at`: an Excel date-time.
    let a = [
        "export",
        "audit",
        "--from",
        "2018-01-01",
        "--to",
        "2099-12-31",
    ];
    let r = xlsx_of(&db, &a, &audit, "Audit log");
    // Title, the masking note, the header, then the entries.
    assert_eq!(at(&r, 2, 1), Some(Data::String("at".into())));
    assert!(
        matches!(at(&r, 3, 1), Some(Data::DateTime(_))),
        "{:?}",
        at(&r, 3, 1)
    );
    assert_eq!(number_format(&audit, 1, "B4"), "yyyy-mm-dd hh:mm:ss");

    // Suppressed: a cell above the header names every hidden cell by its reference, and each
    // named cell holds `*`.
    let d = [
        "report",
        "drd",
        "--from",
        "2018-07",
        "--to",
        "2018-07",
        "--suppress",
        "5",
    ];
    let r = xlsx_of(&db, &d, &drd, "DRD");
    let note = r
        .rows()
        .take(6)
        .flatten()
        .filter_map(|c| c.get_string())
        .find(|s| s.starts_with("Suppressed figures (shown *)"))
        .unwrap()
        .to_string();
    let refs: Vec<&str> = note.split(": ").nth(1).unwrap().split(", ").collect();
    let stars = r
        .cells()
        .filter(|(_, _, c)| c.get_string() == Some("*"))
        .count();
    assert_eq!(refs.len(), stars, "{note}");
    for reference in refs {
        let col = reference.trim_end_matches(|ch: char| ch.is_ascii_digit());
        let row: u32 = reference[col.len()..].parse().unwrap();
        let col = col
            .bytes()
            .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
            - 1;
        assert_eq!(
            at(&r, row - 1, col),
            Some(Data::String("*".into())),
            "{reference}"
        );
    }
    assert!(stars > 0);
    // The same command as JSON lists the same number of cells.
    let j: Value =
        serde_json::from_str(&run(&db, &[&d[..], &["--format", "json"]].concat())).unwrap();
    assert_eq!(j["suppressed"].as_array().unwrap().len(), stars);
}

/// The terminal table has one layout: `--out` writes the same text the terminal shows, and
/// `--suppress` changes only the hidden figures (and adds its note), never the columns.
#[test]
fn the_terminal_layout_is_the_same_with_out_and_suppress() {
    let dir = tempfile::tempdir().unwrap();
    let db = contract_demo(&dir);
    for args in [
        &["report", "monthly", "--from", "2018-06", "--to", "2018-08"][..],
        &["report", "weekly", "--week", "2018-W32"],
        &["report", "reconcile", "--month", "2018-07"],
        &["report", "drd", "--from", "2018-07", "--to", "2018-08"],
    ] {
        let shown = run(&db, args);
        let file = dir.path().join(format!("{}.txt", args[1]));
        let said = run(&db, &[args, &["--out", file.to_str().unwrap()]].concat());
        assert_eq!(said, format!("wrote {}\n", file.display()));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), shown, "{args:?}");
        let suppressed = run(&db, &[args, &["--suppress", "5"]].concat());
        let header = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| {
                    l.starts_with("month ") || l.starts_with("la_code ") || l.starts_with("week ")
                })
                .map(String::from)
                .collect()
        };
        assert!(!header(&shown).is_empty(), "{shown}");
        assert_eq!(header(&shown), header(&suppressed), "{args:?}");
        assert!(suppressed.contains("Suppressed"), "{suppressed}");
    }
}
