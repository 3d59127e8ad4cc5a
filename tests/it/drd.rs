//! Discharge Ready Date by NHS England's guidance (issue 24, finding 6), through the binary on the
//! demo: the measure's discharges are `report pathways`' discharges less the same-day stays, a
//! discharge with no ready date is a 0-day delay, the averages and bands agree with a recount from
//! the stored stays and delays, and the average delay (the Better Care Fund 2025/26 measure) is
//! rated against a target set by import.
#![allow(clippy::unwrap_used)]

use crate::common;

use chrono::NaiveDate;
use common::cli::{demo, run};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// The rows of a report's JSON document (docs/output.md).
pub fn json_rows(text: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(text).unwrap();
    v["rows"].as_array().unwrap().clone()
}

fn row<'a>(rows: &'a [Value], level: &str, code: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["level"] == level && r["code"] == code)
        .unwrap_or_else(|| panic!("no row {level} {code}"))
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An independent recount from the stored stays and delays: for each discharge in June 2018
/// (the day the patient left the bed: the discharge date, else the end of a delay ended by
/// discharge, transfer or death; a death is no discharge), its authority, whether the stay was a
/// same-day stay, and the days from the ready date of the delay that ended with it (0 when none).
fn june_discharges(db: &Path) -> Vec<(String, bool, i64)> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut delays: HashMap<i64, Vec<(String, String, String)>> = HashMap::new();
    let mut st = conn
        .prepare(
            "SELECT stay_id, ready_on, ended_on, end_kind FROM delay WHERE ended_on IS NOT NULL",
        )
        .unwrap();
    let mut rows = st.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        delays.entry(r.get(0).unwrap()).or_default().push((
            r.get(1).unwrap(),
            r.get(2).unwrap(),
            r.get(3).unwrap(),
        ));
    }
    let mut out = Vec::new();
    let mut st = conn
        .prepare("SELECT id, la_code, admitted_on, discharged_on FROM stay")
        .unwrap();
    let mut rows = st.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let (id, la, admitted, discharged): (i64, String, String, Option<String>) = (
            r.get(0).unwrap(),
            r.get(1).unwrap(),
            r.get(2).unwrap(),
            r.get(3).unwrap(),
        );
        let ds = delays.get(&id).cloned().unwrap_or_default();
        let left_bed = |d: &&(String, String, String)| d.2 != "unfit";
        let left = discharged.or_else(|| ds.iter().filter(left_bed).map(|d| d.1.clone()).max());
        let Some(left) = left else { continue };
        if !left.starts_with("2018-06") {
            continue;
        }
        let ending = ds.iter().filter(left_bed).find(|d| d.1 == left);
        if ending.is_some_and(|d| d.2 == "died") {
            continue;
        }
        let days = ending.map_or(0, |d| (date(&left) - date(&d.0)).num_days().max(0));
        out.push((la, admitted == left, days));
    }
    out
}

#[test]
fn drd_counts_every_discharge_of_a_night_or_more_and_agrees_with_pathways() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let month = ["--from", "2018-06", "--to", "2018-06", "--format", "json"];
    let drd = json_rows(&run(&db, &[&["report", "drd"][..], &month].concat()));
    let pathways = json_rows(&run(&db, &[&["report", "pathways"][..], &month].concat()));
    // Every row: the measure's discharges + the same-day stays = pathways' discharges of the same
    // sites (or authority) and month.
    for p in &pathways {
        let level = p["level"].as_str().unwrap();
        let code = p["code"].as_str().unwrap();
        let d = row(&drd, level, code);
        assert_eq!(
            d["discharges"].as_u64().unwrap() + d["same_day_stays"].as_u64().unwrap(),
            p["discharges"].as_u64().unwrap(),
            "{level} {code}"
        );
    }
    let all = row(&drd, "all", "all");
    assert_eq!(row(&pathways, "all", "all")["discharges"], 648);
    // The blank ready dates are 0-day delays: days_0 is not 0 any more.
    assert!(all["days_0"].as_u64().unwrap() > 0, "{all}");
    assert!(all["no_ready_date"].as_u64().unwrap() > 0, "{all}");
    assert!(all["days_0"].as_u64().unwrap() >= all["no_ready_date"].as_u64().unwrap());

    // The recount from the stored stays and delays.
    let recount = june_discharges(&db);
    assert_eq!(recount.len(), 648, "the recount finds pathways' discharges");
    for (level, code, keep) in [
        ("all", "all", None),
        ("la", "E10000018", Some("E10000018")),
        ("la", "E06000016", Some("E06000016")),
    ] {
        let mine: Vec<&(String, bool, i64)> = recount
            .iter()
            .filter(|r| keep.is_none_or(|k| r.0 == k))
            .collect();
        let same_day = mine.iter().filter(|r| r.1).count() as u64;
        let days: Vec<i64> = mine.iter().filter(|r| !r.1).map(|r| r.2).collect();
        let n = days.len() as f64;
        let total: i64 = days.iter().sum();
        let nonzero = days.iter().filter(|d| **d > 0).count() as f64;
        let within = days.iter().filter(|d| **d <= 1).count() as u64;
        let d = row(&drd, level, code);
        assert_eq!(d["same_day_stays"].as_u64().unwrap(), same_day, "{code}");
        assert_eq!(
            d["discharges"].as_u64().unwrap(),
            days.len() as u64,
            "{code}"
        );
        assert_eq!(d["bed_days_lost"].as_i64().unwrap(), total, "{code}");
        assert_eq!(
            d["days_0"].as_u64().unwrap(),
            days.iter().filter(|d| **d == 0).count() as u64
        );
        assert_eq!(d["within_24h"].as_u64().unwrap(), within);
        let close = |k: &str, want: f64| {
            let got = d[k].as_f64().unwrap();
            assert!(
                (got - want).abs() < 1e-6,
                "{code} {k}: {got} against {want}"
            );
        };
        close("average_days", total as f64 / n);
        close("average_days_excluding_0", total as f64 / nonzero);
        close("within_24h_share", within as f64 * 100.0 / n);
    }

    // The notes give both counts (terminal and CSV alike).
    let text = run(
        &db,
        &["report", "drd", "--from", "2018-06", "--to", "2018-06"],
    );
    let same_day = all["same_day_stays"].as_u64().unwrap();
    let measured = all["discharges"].as_u64().unwrap();
    assert!(
        text.contains(&format!(
            "648 discharges in `report pathways` of the same sites and months, less {same_day} same-day stays: {measured} discharges measured"
        )),
        "{text}"
    );
}

/// The mean and standard deviation of the June delays of authority `la` (same-day stays apart).
fn mean_sd(recount: &[(String, bool, i64)], la: &str) -> (f64, f64, f64) {
    let days: Vec<f64> = recount
        .iter()
        .filter(|r| r.0 == la && !r.1)
        .map(|r| r.2 as f64)
        .collect();
    let n = days.len() as f64;
    let mean = days.iter().sum::<f64>() / n;
    let var = days.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt(), n)
}

#[test]
fn the_average_delay_is_rated_against_its_target_in_report_screen_and_chart() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let recount = june_discharges(&db);
    let (mean, sd, n) = mean_sd(&recount, "E10000018");
    let half = 1.96 * sd / n.sqrt();
    // Three targets: above the mean (green), just below it inside the interval (amber), below
    // the whole interval (red).
    let (green, amber, red) = (mean + 1.0, mean - half / 2.0, mean - half * 2.0);
    assert!(
        red >= 0.0,
        "the demo's interval is narrow enough: {mean} ± {half}"
    );
    let csv = format!(
        "la_code,month,measure,percent\nE10000018,2018-06,average_delay_days,{red:.4}\nE06000016,2018-06,average_delay_days,{green:.4}\nE06000017,2018-06,average_delay_days,{amber:.4}\n"
    );
    let file = dir.path().join("t.csv");
    std::fs::write(&file, csv).unwrap();
    run(
        &db,
        &["import", "discharge-targets", file.to_str().unwrap()],
    );
    let drd = json_rows(&run(
        &db,
        &[
            "report", "drd", "--from", "2018-06", "--to", "2018-06", "--format", "json",
        ],
    ));
    let la = row(&drd, "la", "E10000018");
    assert!((la["average_days"].as_f64().unwrap() - mean).abs() < 1e-6);
    assert_eq!(la["average_delay_rag"], "red", "{la}");
    assert_eq!(la["average_delay_vs_target"], "significantly worse");
    assert!((la["average_delay_target"].as_f64().unwrap() - red).abs() < 1e-3);
    let leicester = row(&drd, "la", "E06000016");
    let (m16, _, _) = mean_sd(&recount, "E06000016");
    assert!(m16 <= green);
    assert_eq!(leicester["average_delay_rag"], "green");
    // Rutland: its own mean against a target between its mean and the interval's edge.
    let (m17, sd17, n17) = mean_sd(&recount, "E06000017");
    let rutland = row(&drd, "la", "E06000017");
    let lo17 = m17 - 1.96 * sd17 / n17.sqrt();
    let want = if m17 <= amber {
        "green"
    } else if lo17 > amber {
        "red"
    } else {
        "amber"
    };
    assert_eq!(rutland["average_delay_rag"], want, "{rutland}");
    // The all and site rows have no target.
    assert_eq!(row(&drd, "all", "all")["average_delay_rag"], Value::Null);

    // The chart: one point a month, written as SVG.
    let svg = dir.path().join("drd.svg");
    run(
        &db,
        &[
            "chart",
            "drd",
            "--la",
            "E10000018",
            "--from",
            "2018-04",
            "--to",
            "2018-07",
            "--out",
            svg.to_str().unwrap(),
        ],
    );
    let body = std::fs::read_to_string(&svg).unwrap();
    assert!(
        body.contains("Leicestershire: average delay from DRD, 2018-04 to 2018-07"),
        "{body}"
    );
    assert!(body.contains("Target"));

    // The Discharges screen of June shows the same average and RAG for Leicestershire.
    let store = dtoc::store::Store::open(&db).unwrap();
    let view = dtoc::ui::screens::discharges::compute(&store, common::today(), 2).unwrap();
    let col = 1 + view.columns[1..]
        .iter()
        .position(|c| c == "Leicestershire")
        .unwrap();
    let line = view
        .rows
        .iter()
        .find(|(l, _)| l.starts_with("Avg delay"))
        .unwrap();
    assert_eq!(line.1[col].text, format!("{mean:.2} red"));
}
