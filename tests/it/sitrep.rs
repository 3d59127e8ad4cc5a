//! `dtoc export sitrep` against NHS England's published July 2018 LA-Type-B sheets.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use calamine::{open_workbook, Data, Reader, Xlsx};
use dtoc::domain::{LaCode, ReasonCode};
use dtoc::store::Store;
use std::path::{Path, PathBuf};

const CRATE: &str = env!("CARGO_MANIFEST_DIR");

fn published(name: &str) -> Vec<Vec<String>> {
    let path = Path::new(CRATE)
        .join("tests/data/published")
        .join(format!("LA-Type-B-July-2018_la_by_{name}.csv"));
    read_csv(&path)
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap();
    r.records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect()
}

fn leics_row(rows: &[Vec<String>]) -> Vec<String> {
    rows.iter()
        .find(|r| r.get(1).map(String::as_str) == Some("E10000018"))
        .unwrap()
        .clone()
}

/// A database with the Leicestershire register, the authority named and (optionally) its region
/// and legacy code set.
fn db(dir: &tempfile::TempDir, with_region: bool) -> PathBuf {
    let path = dir.path().join("dtoc.db");
    {
        let mut store = Store::open(&path).unwrap();
        let la = LaCode::parse("E10000018").unwrap();
        store
            .set_population(&la, Some("Leicestershire"), 2018, 543_600)
            .unwrap();
        if with_region {
            store
                .set_authority_details(&la, Some("East Midlands"), Some("508"))
                .unwrap();
        }
    }
    Command::cargo_bin("dtoc")
        .unwrap()
        .args(["--db", path.to_str().unwrap(), "--today", "2018-08-15"])
        .args(["import", "delays", "--coverage-from", "2018-07-01"])
        .arg(Path::new(CRATE).join("tests/data/leicestershire_july_2018.csv"))
        .assert()
        .success();
    path
}

fn export(db: &Path, out: &Path, format: &str, today: &str) -> assert_cmd::assert::Assert {
    Command::cargo_bin("dtoc")
        .unwrap()
        .args(["--db", db.to_str().unwrap(), "--today", today])
        .args(["export", "sitrep", "--month", "2018-07", "--out-dir"])
        .arg(out)
        .args(["--format", format])
        .assert()
}

/// Numbers compare numerically, text textually.
fn assert_same_row(ours: &[String], theirs: &[String], skip: &[usize]) {
    assert_eq!(ours.len(), theirs.len(), "{ours:?} vs {theirs:?}");
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        if skip.contains(&i) {
            continue;
        }
        match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => assert!((x - y).abs() < 1e-9, "column {i}: {a} vs {b}"),
            _ => assert_eq!(a, b, "column {i}"),
        }
    }
}

#[test]
fn csv_matches_the_published_leicestershire_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir, true);
    let out = dir.path().join("out");
    export(&db, &out, "csv", "2018-08-15")
        .success()
        .stdout(predicates::str::contains("la_by_reason.csv"))
        .stdout(predicates::str::contains("PARTIAL").not());
    for (name, header_rows) in [("type_of_care", 2), ("responsible_org", 2), ("reason", 1)] {
        let theirs = published(name);
        let ours = read_csv(&out.join(format!("sitrep-2018-07-la_by_{name}.csv")));
        // Headers textually, byte for byte.
        assert_eq!(ours[..header_rows], theirs[..header_rows], "{name} header");
        // The first row sums the authorities in the database: not England (only Leicestershire
        // is here), so it says so.
        assert_eq!(
            ours[header_rows][..4],
            ["-", "-", "-", "All authorities in this database"]
        );
        // Leicestershire: region and legacy code set, so the whole row is equal, numerically...
        let (o, t) = (leics_row(&ours), leics_row(&theirs));
        assert_same_row(&o, &t, &[]);
        // ...and, as written, textually too (865.0, 27.903225806451612).
        assert_eq!(o, t, "{name} Leicestershire row as text");
    }
    // The reason headers are ReasonCode::published_header().
    let theirs = published("reason");
    for (i, r) in ReasonCode::ALL.iter().enumerate() {
        assert_eq!(theirs[0][4 + i], r.published_header());
    }
    // Published files end lines in CRLF; so do ours.
    let raw = std::fs::read_to_string(out.join("sitrep-2018-07-la_by_reason.csv")).unwrap();
    assert!(raw.contains("\r\n"));
}

#[test]
fn unknown_region_and_code_are_dashes() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir, false);
    let out = dir.path().join("out");
    export(&db, &out, "csv", "2018-08-15").success();
    let ours = leics_row(&read_csv(
        &out.join("sitrep-2018-07-la_by_responsible_org.csv"),
    ));
    let theirs = leics_row(&published("responsible_org"));
    assert_eq!(ours[0], "-");
    assert_eq!(ours[2], "-");
    assert_same_row(&ours, &theirs, &[0, 2]);
}

#[test]
fn partial_month_says_so_and_future_month_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir, true);
    let out = dir.path().join("out");
    export(&db, &out, "csv", "2018-07-20")
        .success()
        .stdout(predicates::str::contains("PARTIAL: 19 of 31 days"))
        .stderr(predicates::str::contains("PARTIAL month"));
    export(&db, &out, "csv", "2018-07-01")
        .failure()
        .stderr(predicates::str::contains("has not begun"));
}

fn cell(r: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    r.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

#[test]
fn xlsx_has_three_sheets_with_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir, true);
    let out = dir.path().join("out");
    export(&db, &out, "xlsx", "2018-08-15").success();
    let mut wb: Xlsx<_> = open_workbook(out.join("sitrep-2018-07.xlsx")).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "LA - by type of care",
            "LA - by responsible org",
            "LA - by reason"
        ]
    );
    for (sheet, name, header_rows) in [
        ("LA - by type of care", "type_of_care", 2u32),
        ("LA - by responsible org", "responsible_org", 2),
        ("LA - by reason", "reason", 1),
    ] {
        let r = wb.worksheet_range(sheet).unwrap();
        let theirs = published(name);
        // Header rows: the same text (blanks empty).
        for (i, row) in theirs[..header_rows as usize].iter().enumerate() {
            for (j, want) in row.iter().enumerate() {
                let got = cell(&r, i as u32, j as u32);
                match got {
                    Data::String(s) => assert_eq!(&s, want, "{sheet} header {i},{j}"),
                    Data::Empty => assert!(want.is_empty(), "{sheet} header {i},{j}: {want}"),
                    other => panic!("{sheet} header {i},{j}: {other:?}"),
                }
            }
        }
        assert_eq!(
            cell(&r, header_rows, 3),
            Data::String("All authorities in this database".to_string())
        );
        // Leicestershire's row: text cells as strings, numbers as numbers.
        let row = (header_rows..r.end().unwrap().0 + 1)
            .find(|&i| cell(&r, i, 1) == Data::String("E10000018".to_string()))
            .unwrap();
        let t = leics_row(&theirs);
        for (j, want) in t.iter().enumerate() {
            let got = cell(&r, row, j as u32);
            match want.parse::<f64>() {
                Ok(y) if j >= 4 => match got {
                    Data::Float(x) => assert!((x - y).abs() < 1e-9, "{sheet} col {j}"),
                    other => panic!("{sheet} col {j}: {other:?} is not a number"),
                },
                _ if want.is_empty() => assert_eq!(got, Data::Empty),
                _ => assert_eq!(got, Data::String(want.clone()), "{sheet} col {j}"),
            }
        }
    }
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn with_published_returns_the_published_england_row_is_given_beside_ours() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir, true);
    Command::cargo_bin("dtoc")
        .unwrap()
        .args(["--db", db.to_str().unwrap(), "--today", "2018-08-15"])
        .args(["import", "published"])
        .arg(
            Path::new(CRATE)
                .join("tests/data/published/LA-Type-B-July-2018_la_by_responsible_org.csv"),
        )
        .assert()
        .success();
    let out = dir.path().join("out");
    export(&db, &out, "csv", "2018-08-15").success();
    let theirs = published("responsible_org");
    let england = theirs.iter().find(|r| r[3] == "England").unwrap().clone();
    for name in ["type_of_care", "responsible_org", "reason"] {
        let ours = read_csv(&out.join(format!("sitrep-2018-07-la_by_{name}.csv")));
        let header_rows = if name == "reason" { 1 } else { 2 };
        // One authority of the 151 published: ours is not England and says so...
        assert_eq!(ours[header_rows][3], "All authorities in this database");
        assert_eq!(ours[header_rows][4..8], leics_row(&ours)[4..8]);
        // ...and the published England row follows it.
        assert_eq!(ours[header_rows + 1][3], "England (published)");
        let total = ours[header_rows + 1].iter().rev().find(|c| !c.is_empty());
        if name == "reason" {
            assert_eq!(total.map(String::as_str), Some("140938.0"));
        }
    }
    // By responsible organisation the whole published England row is given: 140,938 days.
    let ours = read_csv(&out.join("sitrep-2018-07-la_by_responsible_org.csv"));
    assert_same_row(&ours[3], &england, &[3]);
    assert_eq!(ours[3][7], "140938.0");
}
