//! No silent zeros (issue 24, finding 8): a table whose inputs are missing says so in the file
//! itself. The discharge sitreps' reasons tables carry the people at 14+ days with no reason
//! recorded in a last column, so each row adds up; the reconciliation carries the month's days in
//! unsigned weeks (to date) in every format.

use crate::common::cli::{demo, dtoc, run};
use std::path::Path;

fn records(path: &Path) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("{s:?}"))
}

/// The reasons table of a return: the note's count of patient-snapshots with no reason, and each
/// organisation row's cells.
fn reasons_table(db: &Path, kind: &str, file: &str, out: &Path) -> (u64, Vec<Vec<String>>) {
    let o = dtoc(db)
        .args([
            "export",
            kind,
            "--month",
            "2018-07",
            "--out-dir",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    let line = err
        .lines()
        .find(|l| l.contains("no acute sitrep reason recorded"))
        .unwrap_or_else(|| panic!("{err}"));
    let n: u64 = line
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap();
    assert!(line.contains("\"Reason not recorded\""), "{line}");
    (n, records(&out.join(format!("{kind}-2018-07-{file}"))))
}

#[test]
fn the_reasons_tables_add_up_with_the_people_whose_reason_is_not_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    // The demo records no acute sitrep reasons: before, both tables were all zeros and only stderr
    // said 68 (acute) and 95 (community) patient-snapshots at 14+ days were missing.
    for (kind, file, want) in [
        ("acute-sitrep", "table5_reasons_14_plus.csv", 68),
        (
            "community-sitrep",
            "table3_community_reasons_14_plus.csv",
            95,
        ),
    ] {
        let (n, rows) = reasons_table(&db, kind, file, &dir.path().join(kind));
        assert_eq!(n, want, "{kind}");
        assert_eq!(rows[0].len(), 4 + 18 + 1, "{kind}");
        assert_eq!(rows[0].last().unwrap(), "Reason not recorded");
        // July 2018's snapshot weeks: w/c 25 June, 2, 9, 16 and 23 July: averages over 5.
        let total = |level: &str, code: &str| -> f64 {
            let r = rows
                .iter()
                .find(|r| r[0] == level && r[2] == code)
                .unwrap_or_else(|| panic!("{kind}: no row {level} {code}"));
            r[4..].iter().map(|x| num(x)).sum()
        };
        let all = total("register", "");
        assert!((all * 5.0 - want as f64).abs() < 1e-9, "{kind}: {all}");
        // Every row adds up: the sites and the authorities each add up to the register.
        for level in ["site", "la"] {
            let sum: f64 = rows
                .iter()
                .filter(|r| r[0] == level)
                .map(|r| total(level, &r[2]))
                .sum();
            assert!(
                (sum - all).abs() < 1e-9,
                "{kind} {level}: {sum} against {all}"
            );
        }
    }
}

#[test]
fn the_reconciliation_says_its_unsigned_days_to_date_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    // No week of the demo is signed off. July 2018 is over: all 31 days are in unsigned weeks;
    // August 2018 on the 15th: 14 days have passed (before: 31).
    for (month, days, weeks) in [
        (
            "2018-07",
            "31",
            "2018-W26 2018-W27 2018-W28 2018-W29 2018-W30 2018-W31",
        ),
        ("2018-08", "14", "2018-W31 2018-W32 2018-W33"),
    ] {
        let csv_text = run(
            &db,
            &["report", "reconcile", "--month", month, "--format", "csv"],
        );
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv_text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        let head = &rows[0];
        let col = |name: &str| head.iter().position(|h| h == name).unwrap();
        assert!(rows.len() > 1, "{month}: {csv_text}");
        for r in &rows[1..] {
            assert_eq!(r[col("unsigned_days")], days, "{month}");
            assert_eq!(r[col("unsigned_weeks")], weeks, "{month}");
        }
        let json: serde_json::Value = serde_json::from_str(&run(
            &db,
            &["report", "reconcile", "--month", month, "--format", "json"],
        ))
        .unwrap();
        let text = json.to_string();
        assert!(
            text.contains(&format!("\"unsigned_days\":{days}")),
            "{month}: {text}"
        );
        let terminal = run(&db, &["report", "reconcile", "--month", month]);
        assert!(
            terminal.contains(&format!(
                "{days} days of the month are in weeks not signed off"
            )),
            "{terminal}"
        );
        let xlsx = dir.path().join(format!("reconcile-{month}.xlsx"));
        run(
            &db,
            &[
                "report",
                "reconcile",
                "--month",
                month,
                "--format",
                "xlsx",
                "--out",
                xlsx.to_str().unwrap(),
            ],
        );
        use calamine::{open_workbook, Reader, Xlsx};
        let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
        let sheet = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&sheet).unwrap();
        let cells: Vec<String> = range.rows().flatten().map(|c| c.to_string()).collect();
        let at = cells.iter().position(|c| c == "unsigned_days").unwrap();
        let width = range.width();
        assert_eq!(cells[at + width], days, "{month}: {cells:?}");
    }
}

/// `-` is no data, 0 a counted zero: an authority of the register with no patient on the day has
/// 0/0/0 on the Discharges screen's criteria-to-reside row, as the others do (before: `-`).
#[test]
fn an_authority_with_no_patient_counts_zero_not_a_dash() {
    use crate::common::{chr, populated_app};
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '7');
    // June 2018 (its last day): Rutland's only patient (H002) is admitted on 25 July.
    chr(&mut app, '[');
    chr(&mut app, '[');
    let v = &app.screens.discharges.view;
    assert_eq!(v.columns, vec!["All", "Leicestershire", "Rutland"]);
    let nctr = &v
        .rows
        .iter()
        .find(|(l, _)| l == "NCTR / disch. / left")
        .unwrap()
        .1;
    assert_eq!(nctr[2].text, "0/0/0");
}

/// The first day of a month: the Dashboard says why its figures are `-`, and the Discharges
/// screen with more authorities than fit says how many it shows and where the rest are.
#[test]
fn the_first_day_of_a_month_and_a_screen_too_narrow_say_why() {
    use crate::common::{chr, draw, open_store, populate};
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    populate(&mut store);
    // Eight more authorities, by their population (reference data only).
    for i in 1..=8 {
        let code = dtoc::domain::LaCode::parse(&format!("E0600000{i}")).unwrap();
        store
            .set_population(&code, Some(&format!("Authority {i}")), 2017, 100_000)
            .unwrap();
    }
    let mut app = dtoc::ui::App::new(store, crate::common::d("2018-08-01"));
    let screen = draw(&app, 80, 24);
    assert!(
        screen.contains("August 2018: began today; its first day is counted tomorrow"),
        "{screen}"
    );
    assert!(screen.contains("none counted yet"), "{screen}");
    assert!(
        screen.contains("no forecast until a day is counted"),
        "{screen}"
    );
    chr(&mut app, '7');
    // 11 columns (All and ten authorities); at 80 columns four fit with their names whole.
    assert_eq!(app.screens.discharges.view.columns.len(), 11);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("· 4 of 11 (more: dtoc report)"), "{screen}");
    assert!(screen.contains("Discharges"), "{screen}");
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("All"), "{screen}");
    assert!(
        screen.contains("Authority 8") || screen.contains("Authorit"),
        "{screen}"
    );
}
