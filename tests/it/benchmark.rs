//! `dtoc report benchmark` on a small hand-made group, and `dtoc import published` from the CLI.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::cli::{demo, run};

/// Published totals in the collated by-reason layout (reason columns zero, totals hand-made).
pub(super) fn published_csv(rows: &[(&str, &str, &str, &str)]) -> String {
    let mut s = String::from("\"Code\",\"Name\",\"Awaiting completion of assessment\",\"Awaiting public funding\",\"Awaiting further NHS non-acute care\",\"Awaiting residential home placement or availability\",\"Awaiting nursing home placement or availability\",\"Awaiting care package in own home\",\"Awaiting community equipment and adaptations\",\"Patient or family choice\",\"Disputes\",\"Housing - Patients not covered by NHS and Community Care Act\",\"Other\",\"Total Delayed Transfers of Care\",\"Period\"\n");
    for (code, name, total, period) in rows {
        s.push_str(&format!(
            "\"{code}\",\"{name}\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"{total}\",\"{period}\"\n"
        ));
    }
    s
}

/// Writes `rows` ([`published_csv`]) to `published.csv` in `dir` and imports it into `db`.
pub(super) fn import_published(
    db: &std::path::Path,
    dir: &tempfile::TempDir,
    rows: &[(&str, &str, &str, &str)],
) {
    let file = dir.path().join("published.csv");
    std::fs::write(&file, published_csv(rows)).unwrap();
    run(db, &["import", "published", file.to_str().unwrap()]);
}

/// Leicestershire against three East Midlands counties, June and July 2018, as CSV.
const BENCHMARK: [&str; 13] = [
    "report",
    "benchmark",
    "--la",
    "E10000018",
    "--group",
    "E10000007,E10000019,E10000024",
    "--from",
    "2018-06",
    "--to",
    "2018-07",
    "--format",
    "csv",
    "--suppress=0",
];

#[test]
fn benchmark_ranks_a_hand_made_group_month_by_month() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let file = dir.path().join("published.csv");
    std::fs::write(
        &file,
        published_csv(&[
            ("-", "England", "130000", "June 2018"),
            ("E10000018", "Leicestershire", "900", "June 2018"),
            ("E10000007", "Derbyshire", "-", "June 2018"),
            ("E10000019", "Lincolnshire", "900", "June 2018"),
            ("E10000024", "Nottinghamshire", "1000", "June 2018"),
            ("-", "England", "140938", "July 2018"),
            ("E10000018", "Leicestershire", "978", "July 2018"),
            ("E10000007", "Derbyshire", "1282", "July 2018"),
            ("E10000019", "Lincolnshire", "2178", "July 2018"),
            ("E10000024", "Nottinghamshire", "900", "July 2018"),
        ]),
    )
    .unwrap();
    let said = run(&db, &["import", "published", file.to_str().unwrap()]);
    assert_eq!(
        said,
        "published.csv (collated returns by reason for delay): 10 rows read, 120 figures stored (1 missing as '-' or NA); 1 line skipped\n  header row: line 1\n"
    );
    // Populations (2018): Lincolnshire has none, so it has no rate and no rate rank.
    let pop = dir.path().join("pop.csv");
    std::fs::write(
        &pop,
        "la_code,la_name,year,population_18plus\nE10000007,Derbyshire,2018,640000\nE10000024,Nottinghamshire,2018,650000\nE92000001,England,2018,43000000\n",
    )
    .unwrap();
    run(&db, &["import", "population", pop.to_str().unwrap()]);

    let text = run(&db, &BENCHMARK);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "month",
            "la_code",
            "la_name",
            "role",
            "published_days",
            "local_days",
            "population_18plus",
            "per_100k_day",
            "rank_by_days",
            "of_days",
            "rank_by_rate",
            "of_rate",
            "complete"
        ]
    );
    let rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let pick = |r: &Vec<String>| -> Vec<String> {
        [0, 1, 4, 8, 9, 10, 11]
            .iter()
            .map(|i| r[*i].clone())
            .collect()
    };
    let got: Vec<Vec<String>> = rows.iter().map(pick).collect();
    let want = |v: [&str; 7]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // June 2018 (30 days). Days among the authority and comparators: Leicestershire 900 and
    // Lincolnshire 900 share rank 1, Nottinghamshire 1000 is 3rd; Derbyshire '-' is not ranked: of 3.
    // Rates per 100k per day: Nottinghamshire 1000/30/650,000 = 5.13, Leicestershire
    // 900/30/543,600 = 5.52, England 130,000/30/43,000,000 = 10.08: ranks 1, 2, 3 of 3.
    // July 2018 (31 days). Days: Nottinghamshire 900 (1), Leicestershire 978 (2), Derbyshire 1282
    // (3), Lincolnshire 2178 (4) of 4. Rates: Nottinghamshire 900/31/650,000 = 4.47 (1),
    // Leicestershire 978/31/543,600 = 5.80 (2), Derbyshire 1282/31/640,000 = 6.46 (3), England
    // 140,938/31/43,000,000 = 10.57 (4) of 4; Lincolnshire (no population) unranked.
    assert_eq!(
        got,
        vec![
            want(["2018-06", "E10000018", "900", "1", "3", "2", "3"]),
            want(["2018-06", "E10000007", "", "", "", "", ""]),
            want(["2018-06", "E10000019", "900", "1", "3", "", ""]),
            want(["2018-06", "E10000024", "1000", "3", "3", "1", "3"]),
            want(["2018-06", "E92000001", "130000", "", "", "3", "3"]),
            want(["2018-07", "E10000018", "978", "2", "4", "2", "4"]),
            want(["2018-07", "E10000007", "1282", "3", "4", "3", "4"]),
            want(["2018-07", "E10000019", "2178", "4", "4", "", ""]),
            want(["2018-07", "E10000024", "900", "1", "4", "1", "4"]),
            want(["2018-07", "E92000001", "140938", "", "", "4", "4"]),
        ]
    );
    // The authority's own recorded days beside the published ones (the demo equals the return in
    // July 2018: 978), and its rate 5.80.
    assert_eq!(rows[5][3], "authority");
    assert_eq!(rows[5][5], "978");
    assert_eq!(format!("{:.2}", rows[5][7].parse::<f64>().unwrap()), "5.80");
    assert_eq!(rows[6][5], "", "local days only for the authority");

    // An authority with no local register (Nottinghamshire: no stay recorded here): local_days
    // is blank, not 0; Leicestershire's months beside it keep their days.
    let mut args = BENCHMARK;
    (args[3], args[5]) = ("E10000024", "E10000018");
    let notts = run(&db, &args);
    let notts: Vec<Vec<String>> = csv::Reader::from_reader(notts.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .filter(|r: &Vec<String>| r[3] == "authority")
        .collect();
    assert_eq!(notts.len(), 2);
    assert!(
        notts.iter().all(|r| r[1] == "E10000024" && r[5].is_empty()),
        "{notts:?}"
    );

    // Re-importing the same file replaces it: the same ranks come out.
    let again = run(&db, &["import", "published", file.to_str().unwrap()]);
    assert!(
        again.contains("replacing 120 from an earlier import"),
        "{again}"
    );
    let text2 = run(&db, &BENCHMARK);
    assert_eq!(text, text2);
}
