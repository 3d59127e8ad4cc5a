//! Issue 19: the bulk path of `dtoc import delays` gives the same database as the row path (every
//! table, row by row, the audit included), keeps the register's rules and the month counts, and is
//! all or nothing with the row path's errors.

use crate::common::db::delays_header;
use chrono::NaiveDate;
use dtoc::import::read_delays_bytes;
use dtoc::national::{generate, write_csv_rows, Calibration, NationalConfig};
use dtoc::progress::Recorder;
use dtoc::store::{ImportPath, ImportSummary, Store};
use rusqlite::types::Value;
use std::path::{Path, PathBuf};

const TODAY: &str = "2024-03-01";
const NOW: &str = "2024-03-01T09:00:00Z";

const HEADER: &str = concat!(
    delays_header!(),
    ",end_kind,destination,acute_reason,ward,bed,expected_on"
);

/// Every feature of the format a fresh import meets: several periods of one delay, two delays of a
/// stay, a patient with two stays (the NHS number first given on the second), a transfer, a death,
/// an open delay on a discharged stay (ended at discharge), ward, bed and expected date, rows out of
/// order, two sites and two authorities.
const RICH: &str = "\
B002,,RWE,RWE01,acute,E10000018,2024-01-05,2024-01-10,2024-01-14,E,NHS,,,,,,Ward 7,B3,2024-03-05
A001,,RWE,RWE01,acute,E10000018,2023-11-02,2023-11-20,2023-11-25,E,Social Care,2023-12-10,1,,p1_home,p1_capacity,,,
A001,,RWE,RWE01,acute,E10000018,2023-11-02,2023-11-25,2023-12-01,Dii,Both,2023-12-10,1,unfit,,,,,
A001,9434765919,RWE,RWE01,acute,E10000018,2024-01-03,2024-01-08,,A,NHS,,,,,,Ward 2,,
B002,,RWE,RWE01,acute,E10000018,2024-01-05,2024-01-14,2024-01-20,B,Social Care,,,transferred,,,,,
B002,,RT5,RT502,non-acute,E06000016,2024-01-20,2024-01-20,2024-02-01,C,NHS,2024-02-01,2,died,,,,,
C003,6541003238,RT5,RT502,non-acute,E06000016,2024-02-01,2024-02-03,2024-02-05,G,NHS,2024-02-20,3,,p3_care_home,,,,
C003,6541003238,RT5,RT502,non-acute,E06000016,2024-02-01,2024-02-05,,G,NHS,2024-02-20,3,,p3_care_home,,,,
D004,6716689966,RWE,RWE01,acute,E10000018,2024-02-10,2024-02-10,2024-02-10,A,NHS,2024-02-10,0,discharged,,,,,
";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn fresh(dir: &Path, name: &str) -> (Store, PathBuf) {
    let path = dir.join(name);
    let mut s = Store::open(&path).unwrap();
    s.set_user("tester").unwrap();
    s.set_fixed_now(Some(NOW.into()));
    (s, path)
}

/// Every row of every table a delays import writes, in key order.
fn dump(path: &Path) -> Vec<(String, Vec<String>)> {
    let c = rusqlite::Connection::open(path).unwrap();
    [
        "patient",
        "stay",
        "delay",
        "delay_period",
        "month_count",
        "site",
        "provider",
        "local_authority",
        "audit_log",
        "signoff",
    ]
    .iter()
    .map(|t| {
        let mut stmt = c.prepare(&format!("SELECT * FROM {t}")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, Value>(i))
                    .collect::<rusqlite::Result<Vec<Value>>>()
            })
            .unwrap()
            .map(|r| format!("{:?}", r.unwrap()))
            .collect::<Vec<String>>();
        // Ids first: rows of a rowid table sort by id (zero-padded), the others by their key.
        rows.sort_by_key(|r| {
            let id: String = r
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect();
            (format!("{id:0>12}"), r.clone())
        });
        (t.to_string(), rows)
    })
    .collect()
}

fn import(s: &mut Store, file: &str, csv: &str, path: ImportPath) -> dtoc::Result<ImportSummary> {
    let checked = read_delays_bytes(file, csv.as_bytes(), day(TODAY))?;
    s.import_delays_with(&checked, path, &dtoc::progress::Silent)
}

/// Imports `csv` into two fresh databases, one through each path, and compares them.
fn same_both_ways(csv: &str) -> ImportSummary {
    let dir = tempfile::tempdir().unwrap();
    let (mut rows, rows_path) = fresh(dir.path(), "rows.db");
    let (mut bulk, bulk_path) = fresh(dir.path(), "bulk.db");
    let a = import(&mut rows, "d.csv", csv, ImportPath::Rows).unwrap();
    let b = import(&mut bulk, "d.csv", csv, ImportPath::Bulk).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.added, a.rows);
    assert_eq!(bulk.check().unwrap(), Vec::<String>::new());
    assert_eq!(rows.check().unwrap(), Vec::<String>::new());
    drop((rows, bulk));
    let (x, y) = (dump(&rows_path), dump(&bulk_path));
    for ((t, r), (_, b)) in x.iter().zip(&y) {
        assert_eq!(r.len(), b.len(), "{t}: row counts differ");
        for (i, (p, q)) in r.iter().zip(b).enumerate() {
            assert_eq!(p, q, "{t}: row {i} differs");
        }
    }
    // The register has something in every table.
    for (t, r) in &x[..5] {
        assert!(!r.is_empty(), "{t} is empty");
    }
    a
}

#[test]
fn both_paths_give_the_same_database_for_a_file_with_every_feature() {
    let summary = same_both_ways(&format!("{HEADER}\n{RICH}"));
    assert_eq!(summary.rows, 9);
    // C003's open row of a discharged stay ends at the discharge.
    assert_eq!(summary.ended_at_discharge, 1, "{summary}");
}

#[test]
fn both_paths_give_the_same_database_for_the_demo_fixture() {
    let csv = std::fs::read_to_string("fixtures/delays.csv").unwrap();
    let s = same_both_ways(&csv);
    assert_eq!(s.rows, 2986);
}

/// A small generated national register as a delays CSV (the benchmark's file, scaled down).
fn national_csv() -> String {
    let cfg = NationalConfig {
        from: dtoc::domain::YearMonth::parse("2018-06").unwrap(),
        to: dtoc::domain::YearMonth::parse("2018-07").unwrap(),
        today: day("2018-08-01"),
        seed: 3,
        volume: 0.02,
    };
    let cal = Calibration::embedded().unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(dtoc::national::csv_header()).unwrap();
    generate(&cal, &cfg, |batch| -> anyhow::Result<()> {
        for s in batch {
            write_csv_rows(&mut w, s)?;
        }
        Ok(())
    })
    .unwrap();
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[test]
fn both_paths_give_the_same_database_for_a_generated_national_file() {
    let s = same_both_ways(&national_csv());
    assert!(s.rows > 1000, "{s}");
}

#[test]
fn a_fresh_database_takes_the_bulk_path_and_a_stored_register_the_row_path() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = fresh(dir.path(), "a.db");
    let csv = format!("{HEADER}\n{RICH}");
    let checked = read_delays_bytes("d.csv", csv.as_bytes(), day(TODAY)).unwrap();
    let first = Recorder::default();
    s.import_delays_with(&checked, ImportPath::Auto, &first)
        .unwrap();
    let phases: Vec<String> = first.phases().into_iter().map(|p| p.0).collect();
    assert_eq!(phases, ["writing", "indexing", "counting"]);
    assert_eq!(first.phases()[0].2, 9, "every row told as written");
    // The same file again: stays are stored, so it merges row by row and changes nothing.
    let again = Recorder::default();
    let summary = s
        .import_delays_with(&checked, ImportPath::Auto, &again)
        .unwrap();
    assert_eq!((summary.added, summary.unchanged), (0, 9));
    let phases: Vec<String> = again.phases().into_iter().map(|p| p.0).collect();
    assert_eq!(phases, ["writing"]);
    assert!(import(&mut s, "d.csv", &csv, ImportPath::Bulk)
        .unwrap_err()
        .to_string()
        .contains("bulk import needs a register with no patients"));
    assert_eq!(s.check().unwrap(), Vec::<String>::new());
}

/// A file whose last row breaks a rule only the store sees (one bed at a time across local ids
/// sharing an NHS number), and one whose last row has an NHS number differing from the same local
/// id's earlier stay: both paths refuse it with the same message (file, line, column, rule, no NHS
/// number) and leave the database exactly as it was.
#[test]
fn a_bad_last_row_leaves_the_database_as_it_was_with_the_row_paths_error() {
    let bad = [
        // E005 shares A001's NHS number and is in hospital during A001's second stay.
        format!("{HEADER}\n{RICH}E005,9434765919,RWE,RWE01,acute,E10000018,2024-01-04,2024-01-06,2024-01-07,A,NHS,,,,,,,,\n"),
        // A001's NHS number on a later stay differs from the one given first.
        format!("{HEADER}\n{RICH}A001,6716689966,RWE,RWE01,acute,E10000018,2024-02-20,2024-02-21,2024-02-22,A,NHS,2024-02-22,0,,,,,,\n"),
    ];
    for csv in bad {
        let dir = tempfile::tempdir().unwrap();
        let mut errors = Vec::new();
        for (name, path) in [("rows.db", ImportPath::Rows), ("bulk.db", ImportPath::Bulk)] {
            let (mut s, file) = fresh(dir.path(), name);
            drop(s);
            let before = dump(&file);
            s = Store::open(&file).unwrap();
            s.set_fixed_now(Some(NOW.into()));
            let e = import(&mut s, "d.csv", &csv, path).unwrap_err().to_string();
            assert!(e.starts_with("d.csv line 11, "), "{e}");
            for n in ["9434765919", "6716689966", "943 476 5919", "671 668 9966"] {
                assert!(!e.contains(n), "{e}");
            }
            // The store still works, with its guards: the good file goes in afterwards.
            assert_eq!(s.check().unwrap(), Vec::<String>::new());
            drop(s);
            assert_eq!(dump(&file), before, "{name}");
            errors.push(e);
        }
        assert_eq!(errors[0], errors[1]);
    }
}

#[test]
fn after_a_refused_bulk_import_the_guards_still_count_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = fresh(dir.path(), "a.db");
    let bad = format!("{HEADER}\n{RICH}E005,9434765919,RWE,RWE01,acute,E10000018,2024-01-04,2024-01-06,2024-01-07,A,NHS,,,,,,,,\n");
    import(&mut s, "d.csv", &bad, ImportPath::Bulk).unwrap_err();
    // The row path after it relies on the temporary triggers: counts and rules still hold.
    import(
        &mut s,
        "d.csv",
        &format!("{HEADER}\n{RICH}"),
        ImportPath::Rows,
    )
    .unwrap();
    assert_eq!(s.check().unwrap(), Vec::<String>::new());
    let e = import(&mut s, "e.csv", &bad, ImportPath::Rows)
        .unwrap_err()
        .to_string();
    assert!(e.contains("one bed at a time"), "{e}");
}

/// A file of `n` good rows (one stay each).
fn many_rows(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                "P{i:07},,RWE,RWE01,acute,E10000018,2024-01-05,2024-01-10,2024-01-14,E,NHS,,,,,,,,"
            )
        })
        .collect()
}

/// A large file is checked on two threads: the errors are still every problem in line order, at
/// most the first 20, and the records and warnings are those of one thread.
#[test]
fn a_large_file_checked_on_two_threads_reports_as_one_thread_would() {
    let n = 60_000;
    let file = |rows: &[String]| format!("{HEADER}\n{}\n", rows.join("\n"));
    // Good: every row, in order, with one warning (C attributed to Social Care) from each half.
    let mut rows = many_rows(n);
    rows[5] = rows[5].replace(",E,NHS,", ",C,Social Care,");
    rows[n - 5] = rows[n - 5].replace(",E,NHS,", ",C,Social Care,");
    let c = read_delays_bytes("big.csv", file(&rows).as_bytes(), day(TODAY)).unwrap();
    assert_eq!(c.records.len(), n);
    assert!(c.records.windows(2).all(|w| w[0].line < w[1].line));
    assert_eq!(c.warnings.len(), 2, "{:?}", c.warnings);
    assert!(
        c.warnings[0].starts_with("big.csv line 7:"),
        "{:?}",
        c.warnings
    );
    // One bad row in each half: both, in line order.
    let mut bad = many_rows(n);
    bad[10] = bad[10].replace("2024-01-14", "2024-13-14");
    bad[n - 1] = bad[n - 1].replace(",E,NHS,", ",Q,NHS,");
    let e = read_delays_bytes("big.csv", file(&bad).as_bytes(), day(TODAY))
        .unwrap_err()
        .to_string();
    let at = |l: usize| {
        e.find(&format!("big.csv line {l}, "))
            .unwrap_or_else(|| panic!("{e}"))
    };
    assert!(at(12) < at(n + 1), "{e}");
    // Problems in both halves beyond the limit: the first 20 of the file.
    let mut worse = many_rows(n);
    for i in (0..25).chain(n - 25..n) {
        worse[i] = worse[i].replace(",E,NHS,", ",Q,NHS,");
    }
    match read_delays_bytes("big.csv", file(&worse).as_bytes(), day(TODAY)) {
        Err(dtoc::Error::Inputs(v)) => {
            let lines: Vec<u64> = v.iter().map(|e| e.line).collect();
            assert_eq!(lines, (2..22).collect::<Vec<u64>>());
        }
        other => panic!("{other:?}"),
    }
}
