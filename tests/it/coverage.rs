//! Issue 24, coverage: from which day each site's record is complete. Before it every figure is
//! blank (never 0): in the monthly report, SPC, the benchmark's local side, the charts; a sitrep
//! for a month before it is refused naming the date. Through the binary on the demo (covered from
//! 2017-04-01, today 2018-08-15), on a hub that starts today, and in Settings.
#![allow(clippy::unwrap_used)]

use super::edges::csv_maps;
use crate::common::cli::{demo, dtoc, dtoc_on, run, stdout_of};
use crate::common::db::delays_csv;
use std::collections::HashMap;
use std::path::Path;

type Row = HashMap<String, String>;

/// Runs `args` on `db`, asserts a refusal, returns stderr.
fn refused(db: &Path, args: &[&str]) -> String {
    let out = dtoc(db).args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} was accepted");
    String::from_utf8(out.stderr).unwrap()
}

fn total_rows(rows: &[Row]) -> Vec<&Row> {
    rows.iter().filter(|r| r["measure"] == "total").collect()
}

/// Leicestershire's monthly report from `from` to `to`, as CSV rows.
fn leics_monthly(db: &Path, from: &str, to: &str) -> Vec<Row> {
    csv_maps(&run(
        db,
        &[
            "report",
            "monthly",
            "--la",
            "E10000018",
            "--from",
            from,
            "--to",
            to,
            "--format",
            "csv",
        ],
    ))
}

fn f(s: &str) -> f64 {
    s.parse().unwrap()
}

#[test]
fn spc_before_coverage_is_blank_and_its_limits_come_from_the_covered_months_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let la = ["--la", "E10000018", "--from", "2016-10", "--to", "2017-09"];
    let spc = csv_maps(&run(
        &db,
        &[&["report", "spc", "--format", "csv"][..], &la].concat(),
    ));
    let months: Vec<&str> = spc.iter().map(|r| r["month"].as_str()).collect();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0], "2016-10");
    // October 2016 to March 2017: blank, said so; never 0.
    for r in &spc[..6] {
        for col in ["value", "mean", "lower_limit", "upper_limit"] {
            assert_eq!(r[col], "", "{} {col}", r["month"]);
        }
        assert!(r["special_cause"].contains("before coverage"), "{r:?}");
    }
    // The covered months' values are the monthly report's rates, and the mean and limits are
    // recomputed here from those six rates alone (XmR: mean ± 2.66 × the mean moving range).
    let monthly = leics_monthly(&db, "2017-04", "2017-09");
    let rates: Vec<f64> = total_rows(&monthly)
        .iter()
        .map(|r| f(&r["rate_per_100k_day"]))
        .collect();
    assert_eq!(rates.len(), 6);
    for (r, x) in spc[6..].iter().zip(&rates) {
        assert!((f(&r["value"]) - x).abs() < 1e-5, "{r:?} vs {x}");
    }
    let mean = rates.iter().sum::<f64>() / 6.0;
    let mrs: Vec<f64> = rates.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let amr = mrs.iter().sum::<f64>() / mrs.len() as f64;
    // Screening drops none here (every moving range is below 3.267 × AMR).
    assert!(mrs.iter().all(|m| *m < 3.267 * amr));
    for r in &spc[6..] {
        assert!(
            (f(&r["mean"]) - mean).abs() < 1e-5,
            "mean {} vs {mean}",
            r["mean"]
        );
        assert!((f(&r["lower_limit"]) - (mean - 2.66 * amr)).abs() < 1e-5);
        assert!((f(&r["upper_limit"]) - (mean + 2.66 * amr)).abs() < 1e-5);
    }
    // The mean is no longer dragged down by zeros (it was 26.93 with six months taken as 0 or
    // back-dated); no month before coverage is an "improvement".
    assert!(mean > 8.0 && mean < 11.0, "{mean}");
    // The terminal summary says which months the chart takes.
    let text = run(&db, &[&["report", "spc"][..], &la].concat());
    assert!(
        text.contains("figures from 2017-04-01")
            && text.contains("the mean, limits and verdicts take 2017-04 to 2017-09"),
        "{text}"
    );
    assert!(!text.contains("improvement: outside limits"), "{text}");
    // A chart of months all before coverage is refused, naming the date.
    let e = refused(
        &db,
        &[
            "report",
            "spc",
            "--la",
            "E10000018",
            "--from",
            "2016-01",
            "--to",
            "2016-12",
        ],
    );
    assert!(
        e.contains("before the register's coverage") && e.contains("2017-04-01"),
        "{e}"
    );
    // JSON: the months before coverage are not among the points, and a note says from when.
    let json: serde_json::Value = serde_json::from_str(&run(
        &db,
        &[&["report", "spc", "--format", "json"][..], &la].concat(),
    ))
    .unwrap();
    // The 6 months before coverage are rows that say so, with no figure in the mean or limits.
    let rows = json["rows"].as_array().unwrap();
    let blank = rows
        .iter()
        .filter(|r| {
            r["special_cause"]
                .as_str()
                .is_some_and(|c| c.starts_with("before coverage"))
        })
        .count();
    assert_eq!((rows.len(), blank), (12, 6));
    assert!(
        json["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("2017-04-01")),
        "{json}"
    );
}

#[test]
fn the_monthly_report_before_coverage_is_blank_in_csv_and_null_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let args = [
        "report",
        "monthly",
        "--la",
        "E10000018",
        "--from",
        "2017-02",
    ];
    let to = ["--to", "2017-04"];
    let rows = csv_maps(&run(&db, &[&args[..], &to, &["--format", "csv"]].concat()));
    for r in &rows {
        let before = r["month"].as_str() < "2017-04";
        for col in ["delayed_days", "dtoc_beds", "rate_per_100k_day", "rag"] {
            assert_eq!(r[col].is_empty(), before, "{} {col}: {r:?}", r["month"]);
        }
        assert_eq!(r["complete"], if before { "false" } else { "true" });
    }
    let json: serde_json::Value =
        serde_json::from_str(&run(&db, &[&args[..], &to, &["--format", "json"]].concat())).unwrap();
    let first = &json["rows"][0];
    assert_eq!(first["month"], "2017-02");
    assert!(first["delayed_days"].is_null() && first["dtoc_beds"].is_null());
    // A quarter with no month covered is a blank row; one with all three counts them.
    let q = csv_maps(&run(
        &db,
        &[
            &args[..],
            &["--to", "2017-06", "--period", "quarter", "--format", "csv"],
        ]
        .concat(),
    ));
    let q: Vec<&Row> = total_rows(&q);
    assert_eq!(q[0]["period"], "2016/17 Q4");
    assert_eq!(
        (
            q[0]["delayed_days"].as_str(),
            q[0]["months_counted"].as_str()
        ),
        ("", "0")
    );
    assert_eq!(q[1]["period"], "2017/18 Q1");
    assert_eq!(q[1]["months_counted"], "3");
}

#[test]
fn the_benchmark_before_coverage_shows_local_blank_not_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    super::benchmark::import_published(
        &db,
        &dir,
        &[
            ("-", "England", "150000", "March 2016"),
            ("E10000018", "Leicestershire", "2432", "March 2016"),
            ("-", "England", "140000", "May 2017"),
            ("E10000018", "Leicestershire", "1500", "May 2017"),
        ],
    );
    let b = csv_maps(&run(
        &db,
        &[
            "report",
            "benchmark",
            "--la",
            "E10000018",
            "--group",
            "E06000016",
            "--from",
            "2016-03",
            "--to",
            "2017-05",
            "--format",
            "csv",
        ],
    ));
    let ours = |m: &str| {
        b.iter()
            .find(|r| r["month"] == m && r["role"] == "authority")
            .unwrap()
            .clone()
    };
    let march = ours("2016-03");
    assert_eq!(march["published_days"], "2432");
    assert_eq!(march["local_days"], "", "{march:?}");
    // May 2017 is covered: the local figure is the monthly report's delayed days.
    let monthly = leics_monthly(&db, "2017-05", "2017-05");
    assert_eq!(
        ours("2017-05")["local_days"],
        total_rows(&monthly)[0]["delayed_days"]
    );
}

#[test]
fn a_sitrep_before_coverage_is_refused_naming_the_date_and_the_monthly_chart_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    for args in [
        &["export", "sitrep", "--month", "2016-03", "--out-dir", out][..],
        &[
            "export",
            "acute-sitrep",
            "--month",
            "2016-03",
            "--out-dir",
            out,
        ][..],
        &[
            "export",
            "community-sitrep",
            "--month",
            "2017-03",
            "--out-dir",
            out,
        ][..],
    ] {
        let e = refused(&db, args);
        assert!(
            e.contains("before the register's coverage") && e.contains("2017-04-01"),
            "{args:?}: {e}"
        );
    }
    // A week before coverage is refused too.
    let e = refused(&db, &["report", "weekly", "--week", "2017-W13"]);
    assert!(e.contains("2017-04-01"), "{e}");
    run(&db, &["report", "weekly", "--week", "2017-W14"]);
    assert!(!Path::new(out).exists(), "nothing written");
    // April 2017, the first month covered, is exported.
    run(
        &db,
        &["export", "sitrep", "--month", "2017-04", "--out-dir", out],
    );
    // A chart of nothing but months before coverage is refused (not a chart of zeros)...
    let svg = dir.path().join("m.svg");
    let svg_s = svg.to_str().unwrap();
    let chart = ["chart", "monthly", "--la", "E10000018", "--out", svg_s];
    let e = refused(
        &db,
        &[&chart[..], &["--from", "2016-01", "--to", "2016-06"]].concat(),
    );
    assert!(e.contains("2017-04-01"), "{e}");
    // ... and one across the date draws the covered months, its title saying where the gap is.
    run(
        &db,
        &[&chart[..], &["--from", "2017-01", "--to", "2017-06"]].concat(),
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("blank before 2017-04-01"), "title");
}

#[test]
fn a_hub_that_starts_today_is_covered_from_today_and_a_history_from_what_the_import_states() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    let today = "2018-08-15";
    stdout_of(dtoc_on(&db, today), &["init"]);
    // Three patients delayed today, ready since June and July: entered today.
    let file = dir.path().join("delays.csv");
    std::fs::write(
        &file,
        delays_csv(&[
            "H1,,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-10,,A,NHS,,",
            "H2,,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-05,,C,NHS,,",
            "H3,,RWE,RWE01,acute,E06000017,2018-07-20,2018-07-25,,A,NHS,,",
        ]),
    )
    .unwrap();
    stdout_of(
        dtoc_on(&db, today),
        &["import", "delays", file.to_str().unwrap()],
    );
    let listed = stdout_of(dtoc_on(&db, today), &["coverage"]);
    assert!(
        listed.contains("RWE01        2018-08-15 entered"),
        "{listed}"
    );
    let monthly = |db: &Path| {
        csv_maps(&stdout_of(
            dtoc_on(db, today),
            &[
                "report", "monthly", "--from", "2018-06", "--to", "2018-08", "--format", "csv",
            ],
        ))
    };
    // June, July and August (partly covered: from the 15th) are blank for every authority.
    let rows = monthly(&db);
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r["delayed_days"].is_empty()),
        "{rows:?}"
    );
    let e = String::from_utf8(
        dtoc_on(&db, today)
            .args(["export", "sitrep", "--month", "2018-07", "--out-dir"])
            .arg(dir.path().join("s"))
            .output()
            .unwrap()
            .stderr,
    )
    .unwrap();
    assert!(e.contains("complete from 2018-08-15"), "{e}");

    // The hub states by hand that its record is complete from 1 July: July counts, June is blank.
    let set = stdout_of(
        dtoc_on(&db, today),
        &["coverage", "set", "--site", "RWE01", "--from", "2018-07-01"],
    );
    assert_eq!(set, "coverage of RWE01 set from 2018-07-01\n");
    let rows = monthly(&db);
    let july: Vec<&Row> = rows
        .iter()
        .filter(|r| r["month"] == "2018-07" && r["measure"] == "total")
        .collect();
    // Recounted by hand: H1 31 days, H2 27 (5th to 31st), H3 7 (25th to 31st) in July.
    let by_la: HashMap<&str, &str> = july
        .iter()
        .map(|r| (r["la_code"].as_str(), r["delayed_days"].as_str()))
        .collect();
    assert_eq!(by_la["E10000018"], "58");
    assert_eq!(by_la["E06000017"], "7");
    assert!(rows
        .iter()
        .filter(|r| r["month"] == "2018-06")
        .all(|r| r["delayed_days"].is_empty()));
    // A date after today is refused.
    let out = dtoc_on(&db, today)
        .args(["coverage", "set", "--site", "RWE01", "--from", "2018-08-16"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    // Audited, with the old and the new date.
    let store = dtoc::store::Store::open(&db).unwrap();
    let audit = store.audit_for("site", "RWE01").unwrap();
    let last = audit.last().unwrap();
    assert_eq!(
        (
            last.action(),
            last.field().as_deref(),
            last.old_value.as_deref(),
            last.new_value.as_deref()
        ),
        (
            "set",
            Some("coverage_from"),
            Some("2018-08-15"),
            Some("2018-07-01")
        )
    );
    drop(store);

    // A history imported with --coverage-from earliest: each site from its earliest ready date.
    let db2 = dir.path().join("history.db");
    stdout_of(dtoc_on(&db2, today), &["init"]);
    let said = stdout_of(
        dtoc_on(&db2, today),
        &[
            "import",
            "delays",
            file.to_str().unwrap(),
            "--coverage-from",
            "earliest",
        ],
    );
    assert!(said.contains("coverage of RWE01 from 2018-06-10"), "{said}");
    let rows = monthly(&db2);
    // June is partly covered (from the 10th): blank; July counts.
    assert!(rows
        .iter()
        .filter(|r| r["month"] == "2018-06")
        .all(|r| r["delayed_days"].is_empty()));
    assert!(rows
        .iter()
        .any(|r| r["month"] == "2018-07" && r["delayed_days"] == "58"));
}

#[test]
fn a_year_is_taken_whole_when_from_falls_inside_it_and_a_cut_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let la = ["report", "monthly", "--la", "E10000018", "--format", "csv"];
    let out = dtoc(&db)
        .args(la)
        .args(["--period", "year", "--from", "2017-08", "--to", "2018-03"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let year = csv_maps(&String::from_utf8(out.stdout).unwrap());
    let y = total_rows(&year)[0].clone();
    assert_eq!(y["period"], "2017/18");
    assert_eq!(
        (y["months_counted"].as_str(), y["complete"].as_str()),
        ("12", "true")
    );
    // Its delayed days are the sum of its twelve months, recounted from the monthly report.
    let months = csv_maps(&run(
        &db,
        &[&la[..], &["--from", "2017-04", "--to", "2018-03"]].concat(),
    ));
    let sum: u64 = total_rows(&months)
        .iter()
        .map(|r| r["delayed_days"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(y["delayed_days"], sum.to_string());
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(
        said.contains("--from 2017-08 falls inside the year 2017/18: taken whole, from 2017-04"),
        "{said}"
    );
    // A --to inside a year that is over says where it was cut.
    let out = dtoc(&db)
        .args(la)
        .args(["--period", "year", "--from", "2017-04", "--to", "2017-12"])
        .output()
        .unwrap();
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(
        said.contains("the year 2017/18 is cut at --to 2017-12"),
        "{said}"
    );
    let year = csv_maps(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(total_rows(&year)[0]["months_counted"], "9");
}

#[test]
fn settings_sets_a_sites_coverage_audited_and_the_months_before_turn_blank() {
    use crate::common::{chr, populated_app, press, typ};
    use crossterm::event::KeyCode;
    use dtoc::ui::screens::settings::SettingsTab;
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '6');
    while app.screens.settings.tab != SettingsTab::Sites {
        chr(&mut app, 'l');
    }
    // RX1, the first site: edit, Tab to "Covered from" (the sixth field), type, save.
    chr(&mut app, 'e');
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    typ(&mut app, "2018-07-01");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let c = app.store.coverage().unwrap();
    assert_eq!(c.sites.len(), 1);
    assert_eq!(
        (
            c.sites[0].site_code.as_str(),
            c.sites[0].from.to_string().as_str()
        ),
        ("RX1", "2018-07-01")
    );
    let audit = app.store.audit_for("site", "RX1").unwrap();
    let last = audit.last().unwrap();
    assert_eq!(
        (
            last.action(),
            last.field().as_deref(),
            last.new_value.as_deref()
        ),
        ("set", Some("coverage_from"), Some("2018-07-01"))
    );
    // The list shows it; the app's monthly figures before July are blank, July's are counted.
    let screen = crate::common::draw(&app, 160, 48);
    assert!(screen.contains("2018-07-01"), "{screen}");
    app.load_aggregates_if_stale();
    let rows = &app.data.monthly.rows;
    let june: Vec<_> = rows
        .iter()
        .filter(|r| {
            r.month == dtoc::report::period::PeriodKey::Month(crate::common::db::month("2018-06"))
        })
        .collect();
    assert!(!june.is_empty() && june.iter().all(|r| !r.covered));
    assert!(rows
        .iter()
        .filter(|r| r.month
            == dtoc::report::period::PeriodKey::Month(crate::common::db::month("2018-07")))
        .all(|r| r.covered));
    // A date after today is refused beside the form, and nothing changes.
    chr(&mut app, 'e');
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "2018-09-01");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_some(), "a future coverage was saved");
    assert_eq!(app.store.coverage().unwrap(), c);
}

/// The demo with the register covered from `day`: one site's coverage set later is the register's
/// (an authority's figures sum every site).
fn demo_covered_from(dir: &tempfile::TempDir, day: &str) -> std::path::PathBuf {
    let db = demo(dir);
    run(&db, &["coverage", "set", "--site", "RWE01", "--from", day]);
    db
}

/// Whether the rows of `rows` before `first` (by `col`) are blank in `cols` and the others are
/// not, with rows on both sides.
fn blank_before(rows: &[Row], col: &str, first: &str, cols: &[&str]) {
    let (before, after): (Vec<&Row>, Vec<&Row>) =
        rows.iter().partition(|r| r[col].as_str() < first);
    assert!(!before.is_empty() && !after.is_empty(), "{rows:?}");
    for r in &before {
        for c in cols {
            assert_eq!(r[*c], "", "{} {c} before coverage: {r:?}", r[col]);
        }
        if let Some(complete) = r.get("complete") {
            assert_eq!(complete, "false", "{r:?}");
        }
    }
    for r in &after {
        for c in cols {
            assert_ne!(r[*c], "", "{} {c} covered: {r:?}", r[col]);
        }
    }
}

#[test]
fn pathways_drd_los_nctr_and_queues_are_blank_before_coverage_never_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_covered_from(&dir, "2017-06-01");
    let csv = |args: &[&str]| csv_maps(&run(&db, &[args, &["--format", "csv"]].concat()));
    let la = ["--la", "E10000018"];
    let months = ["--from", "2017-04", "--to", "2017-07"];
    // April and May 2017 had discharges in the register; they are blank, not counted.
    let pathways = csv(&[&["report", "pathways"][..], &la, &months].concat());
    blank_before(
        &pathways,
        "month",
        "2017-06",
        &["discharges", "p1", "p1_share_of_all"],
    );
    let june = pathways
        .iter()
        .find(|r| r["month"] == "2017-06" && r["level"] == "la")
        .unwrap();
    assert_eq!(june["discharges"], "91");
    let drd = csv(&[&["report", "drd"][..], &la, &months].concat());
    blank_before(
        &drd,
        "month",
        "2017-06",
        &["discharges", "days_0", "average_days"],
    );
    // JSON: null, not 0.
    let json: serde_json::Value = serde_json::from_str(&run(
        &db,
        &[&["report", "drd", "--format", "json"][..], &la, &months].concat(),
    ))
    .unwrap();
    let may = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["month"] == "2017-05" && r["level"] == "la")
        .unwrap();
    assert!(
        may["discharges"].is_null() && may["days_0"].is_null(),
        "{may}"
    );
    assert_eq!(may["complete"], serde_json::Value::Bool(false));
    // The terminal table says from when and which months are blank.
    let text = run(&db, &[&["report", "pathways"][..], &la, &months].concat());
    assert!(
        text.contains("figures from 2017-06-01")
            && text.contains("2017-04 to 2017-05 are before coverage: blank, not 0"),
        "{text}"
    );
    // Days: length of stay on Mondays, criteria to reside each day, the queues' history.
    let los = csv(&[
        &["report", "los"][..],
        &la,
        &["--from", "2017-05", "--to", "2017-06"],
    ]
    .concat());
    blank_before(&los, "day", "2017-06-01", &["recorded", "los7"]);
    let nctr = csv(&[
        &["report", "nctr"][..],
        &la,
        &["--from", "2017-05", "--to", "2017-06"],
    ]
    .concat());
    blank_before(
        &nctr,
        "day",
        "2017-06-01",
        &["not_meeting_criteria", "remaining"],
    );
    // The queues' CSV holds the queues now, a blank line, then the history by day.
    let queues = run(
        &db,
        &[
            "report",
            "queues",
            "--from",
            "2017-05-30",
            "--to",
            "2017-06-02",
            "--format",
            "csv",
        ],
    );
    let (_, history) = queues.split_once("\n\n").unwrap();
    let history = csv_maps(history);
    blank_before(
        &history,
        "day",
        "2017-06-01",
        &["waiting", "joined", "left"],
    );
    // Four days, five pathways (0-3 and not yet known) each.
    assert_eq!(history.len(), 4 * 5);
}

#[test]
fn weekly_forecast_and_charts_take_covered_days_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_covered_from(&dir, "2017-06-01");
    // The week of 5 June 2017 is covered; the week before (from 29 May) is not: not compared.
    let text = run(&db, &["report", "weekly", "--week", "2017-W23"]);
    assert!(
        text.contains("Delayed days 597; patients delayed at the end 89 (the week before begins before the register's coverage"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&run(
        &db,
        &["report", "weekly", "--week", "2017-W23", "--format", "json"],
    ))
    .unwrap();
    let leics = json["tables"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["la_code"] == "E10000018")
        .unwrap();
    assert_eq!(leics["days"], 401);
    assert!(
        leics["previous_days"].is_null() && leics["change"].is_null(),
        "{leics}"
    );
    // The week after is compared as before.
    let next = run(&db, &["report", "weekly", "--week", "2017-W24"]);
    assert!(next.contains("(week before 597, change"), "{next}");
    // Charts across the date draw the covered months, their titles saying where the gap is; a
    // chart of nothing but months before coverage is refused, naming the date.
    for kind in ["los", "drd"] {
        let svg = dir.path().join(format!("{kind}.svg"));
        let chart = [
            "chart",
            kind,
            "--la",
            "E10000018",
            "--out",
            svg.to_str().unwrap(),
        ];
        run(
            &db,
            &[&chart[..], &["--from", "2017-04", "--to", "2017-08"]].concat(),
        );
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.contains("blank before 2017-06-01"), "{kind} title");
        let e = refused(
            &db,
            &[
                &chart[..],
                &["--from", "2017-01", "--to", "2017-05", "--force"],
            ]
            .concat(),
        );
        assert!(
            e.contains("before the register's coverage") && e.contains("2017-06-01"),
            "{e}"
        );
    }

    // The forecast is fitted on covered days only, and says which.
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let forecast = ["report", "forecast", "--runs", "20"];
    let text = run(&db, &forecast);
    assert!(
        text.contains("fitted on 2018-06-20 to 2018-08-14\n"),
        "{text}"
    );
    run(
        &db,
        &["coverage", "set", "--site", "RWE01", "--from", "2018-08-01"],
    );
    let text = run(&db, &forecast);
    assert!(
        text.contains(
            "fitted on 2018-08-01 to 2018-08-14 (the days since the register's coverage only)"
        ),
        "{text}"
    );
    let e = refused(
        &db,
        &[
            &forecast[..],
            &["--backtest", "--from", "2018-07-20", "--to", "2018-08-05"],
        ]
        .concat(),
    );
    assert!(
        e.contains("--from 2018-07-20 is not after the register's coverage (2018-08-01"),
        "{e}"
    );
    run(
        &db,
        &["coverage", "set", "--site", "RWE01", "--from", "2018-08-15"],
    );
    let e = refused(&db, &forecast);
    assert!(
        e.contains("no complete day before 2018-08-15 to forecast from"),
        "{e}"
    );
}

/// The sheet's rows below its header (the row whose first cell is `first`), by column name, and
/// the notes above it.
fn sheet(
    path: &Path,
    name: &str,
    first: &str,
) -> (Vec<String>, Vec<HashMap<String, calamine::Data>>) {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let r = wb.worksheet_range(name).unwrap();
    let rows: Vec<Vec<calamine::Data>> = r.rows().map(|x| x.to_vec()).collect();
    let at = rows
        .iter()
        .position(|x| x[0] == calamine::Data::String(first.to_string()))
        .unwrap();
    let head: Vec<String> = rows[at].iter().map(|c| c.to_string()).collect();
    let notes = rows[..at].iter().map(|x| x[0].to_string()).collect();
    let body = rows[at + 1..]
        .iter()
        .map(|x| head.iter().cloned().zip(x.iter().cloned()).collect())
        .collect();
    (notes, body)
}

#[test]
fn workbooks_leave_cells_before_coverage_empty_and_say_why() {
    use calamine::Data;
    let dir = tempfile::tempdir().unwrap();
    let db = demo_covered_from(&dir, "2017-06-01");
    let file = dir.path().join("m.xlsx");
    let f = file.to_str().unwrap();
    let la = ["--la", "E10000018", "--from", "2017-04", "--to", "2017-07"];
    let xlsx = ["--format", "xlsx", "--out", f, "--force"];
    for (report, sheet_name, col) in [
        ("monthly", "Monthly report", "delayed_days"),
        ("pathways", "Pathways", "discharges"),
        ("drd", "DRD", "discharges"),
    ] {
        run(&db, &[&["report", report][..], &la, &xlsx].concat());
        let (notes, rows) = sheet(&file, sheet_name, "month");
        assert!(
            notes.iter().any(|n| n.contains("figures from 2017-06-01")
                && n.contains("2017-04 to 2017-05 are before coverage: blank, not 0")),
            "{report}: {notes:?}"
        );
        for r in &rows {
            // A month is an Excel date (42887 is 2017-06-01), or text in the monthly sheet.
            let before = match &r["month"] {
                Data::DateTime(d) => d.as_f64() < 42887.0,
                Data::String(m) => m.as_str() < "2017-06",
                other => panic!("{report}: month {other:?}"),
            };
            assert_eq!(r[col] == Data::Empty, before, "{report} {r:?}");
            if before {
                assert_eq!(r["complete"], Data::Bool(false), "{report}");
            }
        }
        assert!(rows.iter().any(|r| r[col] == Data::Empty), "{report}");
    }
}

#[test]
fn the_discharges_screen_of_a_month_before_coverage_says_so_and_shows_no_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let store = dtoc::store::Store::open(&db).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2018, 8, 15).unwrap();
    // March 2017 (17 months back) is before the demo's coverage: no figures, and why.
    let march = dtoc::ui::screens::discharges::compute(&store, today, 17).unwrap();
    assert!(march.rows.is_empty(), "{:?}", march.rows);
    assert_eq!(
        march.before_coverage.as_deref(),
        Some(
            "March 2017 is before the register's coverage: its record is complete from 2017-04-01, \
             so its figures are blank, not 0. Settings > Sites sets a site's \"Covered from\"."
        )
    );
    // April 2017, the first month covered, has its discharges.
    let april = dtoc::ui::screens::discharges::compute(&store, today, 16).unwrap();
    assert_eq!(april.before_coverage, None);
    let (_, cells) = april.rows.iter().find(|(l, _)| l == "Discharges").unwrap();
    assert_eq!(cells[0].text, "133");
}

#[test]
fn a_quarter_workbook_title_names_its_sums_and_its_means() {
    use calamine::Data;
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let file = dir.path().join("q.xlsx");
    run(
        &db,
        &[
            "report",
            "monthly",
            "--la",
            "E10000018",
            "--from",
            "2018-04",
            "--to",
            "2018-06",
            "--period",
            "quarter",
            "--format",
            "xlsx",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    let (notes, rows) = sheet(&file, "Monthly report", "period");
    assert_eq!(
        notes[0],
        "Monthly delayed days, 2018-04 to 2018-06 (delayed_days, days_in_period and target_days are \
         sums of its months; dtoc_beds, the rates and target_per_100k_day the mean of its monthly \
         figures, ASCOF 2C)"
    );
    // The sum is the sum: Leicestershire's total of the quarter is its three months' days.
    let months = leics_monthly(&db, "2018-04", "2018-06");
    let sum: f64 = total_rows(&months)
        .iter()
        .map(|r| f(&r["delayed_days"]))
        .sum();
    let q = rows
        .iter()
        .find(|r| r["measure"] == Data::String("total".into()))
        .unwrap();
    assert_eq!(q["delayed_days"], Data::Float(sum));
}
