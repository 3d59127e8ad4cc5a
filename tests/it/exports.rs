//! Issue 7: XLSX for every report, deterministic exports, `--suppress`, the patient-level export and
//! the guarantee that aggregate exports never carry an NHS number. Runs the real binary on the
//! synthetic demo database (today 2018-08-15).
#![allow(clippy::unwrap_used)]

use crate::common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::cli::{demo, run};
use std::path::Path;

const LEICS: &str = "E10000018";
const RUTLAND: &str = "E06000017";

fn sheet(path: &Path, name: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.worksheet_range(name).unwrap()
}

fn cell(r: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    r.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

/// Every cell of every sheet, as text.
fn all_cells(path: &Path) -> Vec<String> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let r = wb.worksheet_range(&name).unwrap();
        out.extend(r.cells().map(|(_, _, c)| c.to_string()));
    }
    out
}

#[test]
fn xlsx_reports_open_back_with_the_expected_cells_and_types() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let file = dir.path().join("monthly.xlsx");
    let f = file.to_str().unwrap();
    let said = run(
        &db,
        &[
            "report", "monthly", "--la", LEICS, "--from", "2018-07", "--to", "2018-07", "--format",
            "xlsx", "--out", f,
        ],
    );
    assert_eq!(said, format!("wrote {f}\n"));
    let r = sheet(&file, "Monthly report");
    // Row 0: the title; row 1: the header (bold, frozen); then total, nhs, social care, both.
    assert_eq!(
        cell(&r, 0, 0),
        Data::String("Monthly delayed days, 2018-07 to 2018-07".into())
    );
    assert_eq!(cell(&r, 1, 0), Data::String("month".into()));
    assert_eq!(cell(&r, 1, 4), Data::String("delayed_days".into()));
    assert_eq!(cell(&r, 1, 14), Data::String("vs_target".into()));
    // The month is an Excel date (2018-07-01 is serial 43282), shown `mmm yyyy`.
    match cell(&r, 2, 0) {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 43_282.0),
        other => panic!("month is not a date: {other:?}"),
    }
    assert_eq!(cell(&r, 2, 3), Data::String("total".into()));
    // Numbers are numbers: 978 delayed days (docs/measures.md), 31 days, population 543,600 (2018).
    assert_eq!(cell(&r, 2, 4), Data::Float(978.0));
    assert_eq!(cell(&r, 2, 5), Data::Float(31.0));
    assert_eq!(cell(&r, 2, 6), Data::Float(543_600.0));
    // DTOC beds 978 / 31 = 31.548…; per 100k per day 31.548 / 543,600 × 100,000 = 5.80.
    let Data::Float(beds) = cell(&r, 2, 8) else {
        panic!("beds not a number")
    };
    assert!((beds - 978.0 / 31.0).abs() < 1e-9);
    let Data::Float(rate) = cell(&r, 2, 10) else {
        panic!("rate not a number")
    };
    assert_eq!(format!("{rate:.2}"), "5.80");
    // NHS 865, Social Care 85, Both 28.
    let days: Vec<Data> = (3..6).map(|row| cell(&r, row, 4)).collect();
    assert_eq!(
        days,
        vec![Data::Float(865.0), Data::Float(85.0), Data::Float(28.0)]
    );

    // SPC: months are Excel dates (2017-04-01 is serial 42826).
    let file = dir.path().join("spc.xlsx");
    run(
        &db,
        &[
            "report",
            "spc",
            "--la",
            LEICS,
            "--from",
            "2017-04",
            "--to",
            "2018-07",
            "--format",
            "xlsx",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    let r = sheet(&file, "SPC");
    match cell(&r, 2, 0) {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 42_826.0),
        other => panic!("month is not a date: {other:?}"),
    }
    assert_eq!(r.height(), 2 + 16, "title, header and 16 complete months");
}

#[test]
fn two_exports_of_the_same_data_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let export = |n: u32| -> Vec<Vec<u8>> {
        let p = |name: &str| dir.path().join(format!("{n}-{name}"));
        let (x, c, s, pt) = (p("m.xlsx"), p("m.csv"), p("sitrep"), p("patients.xlsx"));
        let m = ["report", "monthly", "--from", "2017-04", "--to", "2018-08"];
        run(
            &db,
            &[&m[..], &["--format", "xlsx", "--out", x.to_str().unwrap()]].concat(),
        );
        run(
            &db,
            &[&m[..], &["--format", "csv", "--out", c.to_str().unwrap()]].concat(),
        );
        run(
            &db,
            &[
                "export",
                "sitrep",
                "--month",
                "2018-07",
                "--format",
                "xlsx",
                "--out-dir",
                s.to_str().unwrap(),
            ],
        );
        run(&db, &["export", "patients", "--out", pt.to_str().unwrap()]);
        [x, c, s.join("sitrep-2018-07.xlsx"), pt]
            .iter()
            .map(|f| std::fs::read(f).unwrap())
            .collect()
    };
    let first = export(1);
    // rust_xlsxwriter would stamp the clock (to the second) into the file: make sure it moves.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = export(2);
    for (i, (a, b)) in first.iter().zip(&second).enumerate() {
        assert!(a.len() > 100, "export {i} is empty");
        assert!(a == b, "export {i} differs between two runs");
    }
}

#[test]
fn suppression_hides_small_counts_and_the_totals_that_would_reveal_them() {
    use dtoc::report::table::{Kind, Table, Value};
    // Two authorities and England (their sum); NHS, Social Care, Both, Total; --suppress 5.
    //            NHS  SC  Both  Total
    //   A          3  40     0     43
    //   B         20  12     6     38
    //   England   23  52     6     81
    // Primary: A's NHS 3. Row A then has one hidden cell (43 - 40 - 0 gives it back): its smallest
    // other non-zero cell, SC 40, goes too. Column NHS has one hidden (23 - 20): B's NHS 20 goes
    // (smaller than 23). Column SC likewise: B's SC 12. Now every row and column has 0 or 2 hidden.
    // B's Both 6 and everything else stay; A's rate (derived from its total? no: from NHS) hides.
    let mut t = Table::new("test", "test");
    for name in ["nhs", "sc", "both", "total"] {
        t.column(name, Kind::Count);
    }
    t.derived_column("nhs_rate", Kind::Rate, 0);
    let data = [[3, 40, 0, 43], [20, 12, 6, 38], [23, 52, 6, 81]];
    for row in data {
        let mut r: Vec<Value> = row.iter().map(|v| Value::Int(*v)).collect();
        r.push(Value::Real(row[0] as f64 / 10.0));
        t.rows.push(r);
    }
    for r in 0..3 {
        t.add_sum((0..4).map(|c| (r, c)).collect());
    }
    for c in 0..4 {
        t.add_sum((0..3).map(|r| (r, c)).collect());
    }
    t.suppress(5);
    let mut csv = Vec::new();
    dtoc::commands::output::write_csv(&t, &mut csv).unwrap();
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        "nhs,sc,both,total,nhs_rate\n*,*,0,43,*\n*,*,6,38,*\n23,52,6,81,2.300000\n"
    );
}

#[test]
fn suppress_on_the_cli_leaves_no_cell_recoverable() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let n = 10u64;
    let text = run(
        &db,
        &[
            "report",
            "monthly",
            "--la",
            RUTLAND,
            "--from",
            "2017-04",
            "--to",
            "2018-07",
            "--format",
            "csv",
            "--suppress",
            "10",
        ],
    );
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let recs: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 16 * 4);
    let mut stars = 0;
    for month in recs.chunks(4) {
        // total, nhs, social_care, both of one month.
        let hidden = month.iter().filter(|r| &r[4] == "*").count();
        assert_ne!(hidden, 1, "one hidden cell is recoverable: {month:?}");
        stars += hidden;
        for r in month {
            if &r[4] == "*" {
                // Rates computed from a hidden count are hidden with it.
                assert_eq!((&r[8], &r[9], &r[10]), ("*", "*", "*"));
            } else {
                let v: u64 = r[4].parse().unwrap();
                assert!(v == 0 || v > n, "{v} shown");
            }
        }
    }
    assert!(stars > 0, "Rutland has small counts to hide");

    // The sitrep export (--suppress 20): rows and columns, and the total shared by the tables.
    let out = dir.path().join("sitrep");
    run(
        &db,
        &[
            "export",
            "sitrep",
            "--month",
            "2018-06",
            "--out-dir",
            out.to_str().unwrap(),
            "--suppress",
            "20",
        ],
    );
    let org =
        std::fs::read_to_string(out.join("sitrep-2018-06-la_by_responsible_org.csv")).unwrap();
    let care = std::fs::read_to_string(out.join("sitrep-2018-06-la_by_type_of_care.csv")).unwrap();
    let rut = |text: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.contains(RUTLAND))
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect()
    };
    let (o, c) = (rut(&org), rut(&care));
    // Rutland June 2018: 17 delayed days in all (docs/measures.md), at most 20: its total is hidden in
    // the by-organisation table, and so in the by-type-of-care table, whose total is the same.
    assert_eq!(o[7], "*");
    assert_eq!(c[6], "*");
    let hidden = o[4..8].iter().filter(|x| *x == "*").count();
    assert_ne!(hidden, 1);
    // DTOC beds of a hidden count are hidden.
    for k in 0..4 {
        if o[4 + k] == "*" {
            assert_eq!(o[9 + k], "*");
        }
    }
}

/// The NHS numbers of the demo's synthetic register.
fn demo_nhs_numbers() -> Vec<String> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/delays.csv"))
            .unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut out: Vec<String> = rdr
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .filter(|n| n.len() == 10)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn aggregate_exports_never_contain_nhs_numbers_and_the_patient_export_masks_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let numbers = demo_nhs_numbers();
    assert!(numbers.len() > 100);
    let p = |name: &str| dir.path().join(name);
    let mut texts: Vec<String> = Vec::new();
    for format in ["table", "csv", "json"] {
        texts.push(run(
            &db,
            &["report", "monthly", "--from", "2017-04", "--format", format],
        ));
        texts.push(run(
            &db,
            &["report", "spc", "--la", LEICS, "--format", format],
        ));
    }
    run(
        &db,
        &[
            "report",
            "monthly",
            "--from",
            "2017-04",
            "--format",
            "xlsx",
            "--out",
            p("m.xlsx").to_str().unwrap(),
        ],
    );
    run(
        &db,
        &[
            "export",
            "sitrep",
            "--month",
            "2018-07",
            "--out-dir",
            p("s").to_str().unwrap(),
        ],
    );
    run(
        &db,
        &[
            "export",
            "sitrep",
            "--month",
            "2018-07",
            "--format",
            "xlsx",
            "--out-dir",
            p("s").to_str().unwrap(),
        ],
    );
    for f in [
        "sitrep-2018-07-la_by_reason.csv",
        "sitrep-2018-07-la_by_responsible_org.csv",
        "sitrep-2018-07-la_by_type_of_care.csv",
    ] {
        texts.push(std::fs::read_to_string(p("s").join(f)).unwrap());
    }
    texts.extend(all_cells(&p("m.xlsx")));
    texts.extend(all_cells(&p("s").join("sitrep-2018-07.xlsx")));
    let all = texts.join("\n");
    for n in &numbers {
        assert!(
            !all.contains(n.as_str()),
            "an aggregate export holds an NHS number"
        );
    }

    // The patient export: says what it holds, masks by default.
    let csv_path = p("patients.csv");
    let said = run(
        &db,
        &[
            "export",
            "patients",
            "--out",
            csv_path.to_str().unwrap(),
            "--la",
            RUTLAND,
        ],
    );
    assert!(
        said.starts_with("dtoc patient-level export: one row per delay"),
        "{said}"
    );
    assert!(said.contains("NHS numbers masked"), "{said}");
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut lines = text.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("\"dtoc patient-level export"));
    assert!(lines
        .next()
        .unwrap()
        .starts_with("local_id,nhs_number,la_code"));
    assert!(numbers.iter().all(|n| !text.contains(n.as_str())));
    assert!(text.contains("*** *** "));
    // With the flag: full numbers, and the file and terminal say so.
    let full = p("patients-full.xlsx");
    let said = run(
        &db,
        &[
            "export",
            "patients",
            "--out",
            full.to_str().unwrap(),
            "--with-nhs-number",
        ],
    );
    assert!(said.contains("FULL NHS NUMBERS"), "{said}");
    let r = sheet(&full, "Patients");
    let Data::String(title) = cell(&r, 0, 0) else {
        panic!()
    };
    assert!(title.contains("FULL NHS NUMBERS"));
    assert_eq!(cell(&r, 1, 1), Data::String("nhs_number".into()));
    let nhs = cell(&r, 2, 1).to_string();
    assert!(numbers.contains(&nhs), "{nhs}");
    // Dates are Excel dates.
    assert!(matches!(cell(&r, 2, 6), Data::DateTime(_)));
}

/// The patient-level files (`export patients`, `export audit --out`) are created owner-only (0600),
/// an existing file made so too.
#[cfg(unix)]
#[test]
fn patient_level_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let csv = dir.path().join("patients.csv");
    let xlsx = dir.path().join("patients.xlsx");
    let audit = dir.path().join("audit.csv");
    std::fs::write(&audit, "old").unwrap();
    std::fs::set_permissions(&audit, std::fs::Permissions::from_mode(0o644)).unwrap();
    run(&db, &["export", "patients", "--out", csv.to_str().unwrap()]);
    run(
        &db,
        &["export", "patients", "--out", xlsx.to_str().unwrap()],
    );
    run(
        &db,
        &[
            "export",
            "audit",
            "--from",
            "2018-01-01",
            "--to",
            "2018-12-31",
            "--out",
            audit.to_str().unwrap(),
            // Replacing the existing file (issue 25: only with --force).
            "--force",
        ],
    );
    assert_eq!(mode(&csv), 0o600);
    assert_eq!(mode(&xlsx), 0o600);
    assert_eq!(mode(&audit), 0o600);
    assert!(std::fs::read_to_string(&audit)
        .unwrap()
        .starts_with("id,at,user,entity"));
}
