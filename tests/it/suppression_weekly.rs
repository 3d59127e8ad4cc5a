//! `report weekly --suppress N` hides the same cells in every format. The CSV writes the detail
//! rows alone; the JSON (XLSX, table) writes them beside each authority's days for the week, and
//! so hides the detail rows that total would give back. Before, the CSV's detail was suppressed on
//! its own: for a week across two months (no month's decision covers it) an authority with one
//! small row and one large showed the large row in the CSV and its total in the JSON, and
//! total − large gave the small one back (the demo's 2018-W31, Rutland: 8 − 7 = 1).

use crate::common::cli::dtoc_on;
use crate::common::db::{discharge, new_store};
use crate::common::{add, d, reference};
use dtoc::domain::{Attribution, ReasonCode};
use dtoc::store::Store;
use std::collections::BTreeMap;
use std::path::Path;

const RUTLAND: &str = "E06000017";

/// A delay at the acute site from `ready`, discharged on `end` (its last delayed day the day
/// before).
fn delay(store: &mut Store, local: &str, ready: &str, end: &str, r: ReasonCode, a: Attribution) {
    let id = add(store, local, None, ready, "RX1", RUTLAND, ready, r, a, None);
    discharge(store, id, d(end), d("2018-08-15"));
}

/// 2018-W31 (Monday 30 July to Sunday 5 August, across two months) for one authority: NHS, reason
/// C, 7 days (30 July to 5 August) and Social Care, reason B, 1 day (1 August): 8 days.
fn week_of_seven_and_one(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let mut store = new_store(dir);
    reference(&mut store);
    let (c, b) = (ReasonCode::C, ReasonCode::B);
    delay(
        &mut store,
        "L1",
        "2018-07-30",
        "2018-08-06",
        c,
        Attribution::Nhs,
    );
    delay(
        &mut store,
        "L2",
        "2018-08-01",
        "2018-08-02",
        b,
        Attribution::SocialCare,
    );
    dir.path().join("dtoc.db")
}

fn weekly(db: &Path, format: &str) -> String {
    let args = ["report", "weekly", "--week", "2018-W31", "--suppress", "5"];
    let out = dtoc_on(db, "2018-08-15")
        .args(args)
        .args(["--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The detail rows' days by (attribution, reason), as the CSV writes them.
fn csv_detail(text: &str) -> BTreeMap<(String, String), String> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head = r.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (a, reason, days) = (col("attribution"), col("reason"), col("days"));
    r.records()
        .map(|row| {
            let row = row.unwrap();
            let key = (row[a].to_string(), row[reason].to_string());
            (key, row[days].to_string())
        })
        .collect()
}

/// The JSON's rows of the table with `key` (the table by authority: `previous_days`; the detail:
/// `reason`), in order.
fn json_rows(doc: &serde_json::Value, key: &str) -> Vec<serde_json::Value> {
    doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["rows"].as_array().unwrap().iter())
        .filter(|r| r.get(key).is_some())
        .cloned()
        .collect()
}

fn shown(v: &str) -> bool {
    v.parse::<u64>().is_ok()
}

#[test]
fn the_csv_detail_beside_the_json_total_gives_no_hidden_row_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = week_of_seven_and_one(&dir);
    // Without --suppress: the figures of the case.
    let plain = dtoc_on(&db, "2018-08-15")
        .args(["report", "weekly", "--week", "2018-W31", "--format", "csv"])
        .output()
        .unwrap();
    let plain = csv_detail(&String::from_utf8(plain.stdout).unwrap());
    let nhs_c = ("NHS".to_string(), "C".to_string());
    let social_b = ("Social Care".to_string(), "B".to_string());
    assert_eq!(plain[&nhs_c], "7");
    assert_eq!(plain[&social_b], "1");

    let doc: serde_json::Value = serde_json::from_str(&weekly(&db, "json")).unwrap();
    let by_la = json_rows(&doc, "previous_days");
    assert_eq!(by_la.len(), 1, "{by_la:?}");
    assert_eq!(by_la[0]["la_code"], RUTLAND);
    // The week's total is shown (8 days), so no detail row may be the only one hidden in the
    // outputs taken together.
    assert_eq!(by_la[0]["days"], 8);
    let json: BTreeMap<(String, String), String> = json_rows(&doc, "reason")
        .iter()
        .map(|r| {
            let key = (
                r["attribution"].as_str().unwrap().to_string(),
                r["reason"].as_str().unwrap().to_string(),
            );
            (key, r["days"].to_string())
        })
        .collect();
    let csv = csv_detail(&weekly(&db, "csv"));
    assert_eq!(
        csv.keys().collect::<Vec<_>>(),
        json.keys().collect::<Vec<_>>()
    );
    // The 1 is hidden (primary), and so is the 7 in both formats (8 − 7 would give the 1 back).
    assert_eq!(csv[&social_b], "*");
    assert_eq!(json[&social_b], "null");
    assert_eq!(csv[&nhs_c], "*", "the CSV showed the 7 the JSON hides");
    assert_eq!(json[&nhs_c], "null");
    // Taken together: every row either format shows, against the total.
    let hidden = csv
        .keys()
        .filter(|k| !shown(&csv[*k]) && !shown(&json[*k]))
        .count();
    assert_ne!(hidden, 1, "csv {csv:?} json {json:?}");
}
