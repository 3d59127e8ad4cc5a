//! `dtoc export acute-sitrep` on a hand-made February 2024 (a leap month), compared cell by cell
//! with the expected tables 2–5, as CSV and as XLSX read back with calamine; and `import stays`.

mod common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::db::*;
use dtoc::commands::output::Format as ExportFormat;
use dtoc::domain::YearMonth;
use dtoc::store::Store;

/// Three delayed patients (A001 discharged home on pathway 1, A002 still waiting for a care home,
/// A004 a 0-day delay discharged to community rehab) and one who was never delayed (A003).
const DELAYS: &str = "local_id,nhs_number,provider,site,setting,la_code,admitted_on,delay_start,delay_end,reason,attribution,discharged_on,pathway,end_kind,destination,acute_reason
A001,,RWE,RWE01,acute,E10000018,2024-01-20,2024-02-05,2024-02-07,E,Social Care,2024-02-07,1,discharged,p1_home,p1_capacity
A002,,RWE,RWE01,acute,E10000018,2024-01-29,2024-02-10,,Dii,Social Care,,,,,p3_bed
A004,,RWE,RWE01,acute,E10000018,2024-02-10,2024-02-20,2024-02-20,A,NHS,2024-02-20,2,discharged,p2_community_rehab,
";

const STAYS: &str = "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination,usual_residence
A001,,RWE01,E10000018,2024-01-20,2024-02-07,1,p1_home,yes
A002,,RWE01,E10000018,2024-01-29,,,,
A003,,RWE01,E10000018,2024-02-01,2024-02-03,0,p0_home,yes
A004,,RWE01,E10000018,2024-02-10,2024-02-20,,P2 - Community Rehab Setting (short term 24hr support),no
";

const TODAY_2024: &str = "2024-03-01";

fn store(dir: &tempfile::TempDir) -> Store {
    let mut s = new_store(dir);
    let t = day(TODAY_2024);
    let d = dtoc::import::read_delays_bytes("delays.csv", DELAYS.as_bytes(), t).unwrap();
    s.import_delays(&d).unwrap();
    let st = dtoc::import::read_stays_bytes("stays.csv", STAYS.as_bytes(), t).unwrap();
    let sum = s.import_stays(&st).unwrap();
    // A003 is new; A001 and A004 gain their usual residence; A002 is as stored.
    assert_eq!((sum.added, sum.updated, sum.unchanged), (1, 2, 1));
    s
}

/// An expected cell.
#[derive(Clone, Debug, PartialEq)]
enum E {
    T(String),
    N(f64),
    Blank,
}

fn t(s: &str) -> E {
    E::T(s.to_string())
}

/// The table: title; group titles over `width` columns; labels; the total row; the authority
/// block; the site block. `values` is the one row of figures shared by the total, the authority
/// and the site (one of each in this register).
fn expected(title: &str, groups: &[String], labels: &[String], values: &[f64]) -> Vec<Vec<E>> {
    let width = labels.len() / groups.len();
    let mut g = vec![E::Blank, E::Blank, E::Blank];
    for x in groups {
        g.push(t(x));
        g.extend(std::iter::repeat_n(E::Blank, width - 1));
    }
    let mut l = vec![E::Blank, E::Blank, E::Blank];
    l.extend(labels.iter().map(|x| t(x)));
    let with = |lead: [E; 3]| {
        let mut r = lead.to_vec();
        r.extend(values.iter().map(|v| E::N(*v)));
        r
    };
    vec![
        vec![t(title)],
        g,
        l,
        with([E::Blank, E::Blank, t("ALL (register)")]),
        vec![],
        vec![t("Region"), t("LA Code"), t("LA Name")],
        with([t("-"), t("E10000018"), t("E10000018")]),
        vec![],
        vec![t("Provider"), t("Site Code"), t("Site Name")],
        with([t("RWE"), t("RWE01"), t("RWE01")]),
    ]
}

fn all_expected() -> Vec<(&'static str, &'static str, Vec<Vec<E>>)> {
    // Table 2, day by day (not meeting, discharged, remaining):
    //   A001 ready 5th, discharged 7th: not meeting on 5, 6, 7; discharged on 7.
    //   A002 ready 10th, still waiting: not meeting 10..29.
    //   A004 ready and discharged on the 20th (a 0-day delay): not meeting and discharged on 20.
    let mut t2 = Vec::new();
    for d in 1..=29u32 {
        let a001 = (5..=7).contains(&d) as u32;
        let a002 = (d >= 10) as u32;
        let a004 = (d == 20) as u32;
        let not_meeting = a001 + a002 + a004;
        let discharged = (d == 7) as u32 + a004;
        t2.extend([not_meeting, discharged, not_meeting - discharged].map(f64::from));
    }
    let days: Vec<String> = (1..=29).map(|d| format!("2024-02-{d:02}")).collect();
    let t2_labels: Vec<String> = days
        .iter()
        .flat_map(|_| {
            [
                "Number of patients who no longer meet the criteria to reside",
                "Number of patients discharged",
                "Number of patients remaining in hospital who no longer meet the criteria to reside",
            ]
            .map(String::from)
        })
        .collect();
    // Table 3, Mondays 5, 12, 19, 26 February (extra bed days at 7+, 14+, 21+):
    //   5th:  A001 LOS 16, ready that day: 0 extra days. A002 LOS 7 not yet ready.   → 0, 0, 0
    //   12th: A002 LOS 14, ready 2 days (10th): 2 in 7+ and 14+.                        → 2, 2, 0
    //   19th: A002 LOS 21, ready 9 days.                                                → 9, 9, 9
    //   26th: A002 LOS 28, ready 16 days.                                               → 16, 16, 16
    let t3 = [0., 0., 0., 2., 2., 0., 9., 9., 9., 16., 16., 16.];
    let weeks: Vec<String> = ["05", "12", "19", "26"]
        .iter()
        .map(|d| format!("w/c {d}/02/2024 (daily snapshot)"))
        .collect();
    let t3_labels: Vec<String> = weeks
        .iter()
        .flat_map(|_| {
            [7, 14, 21].map(|b| {
                format!("Number of additional bed days, patients with length of stay of {b}+ days")
            })
        })
        .collect();
    // Table 4: discharged in February to P0 domestic home (A003), P1 domestic home (A001), P2
    // community rehab (A004).
    let mut t4 = [0.0; 12];
    t4[0] = 1.0;
    t4[2] = 1.0;
    t4[8] = 1.0;
    let t4_labels: Vec<String> = dtoc::domain::Destination::ALL
        .iter()
        .map(|d| d.label().to_string())
        .collect();
    // Table 5: at 14+ days and not meeting the criteria on the Mondays: A001 on the 5th (pathway 1
    // capacity); A002 on the 12th, 19th and 26th (pathway 3 bed). Averages over 4 snapshots:
    // p1_capacity 1/4 = 0.25, p3_bed 3/4 = 0.75.
    let mut t5 = [0.0; 18];
    t5[12] = 0.25;
    t5[14] = 0.75;
    let t5_labels: Vec<String> = dtoc::domain::AcuteReason::ALL
        .iter()
        .map(|r| r.label().to_string())
        .collect();
    vec![
        ("Table 2", "table2_criteria_to_reside.csv", expected(
            "Table 2: Number of patients who no longer meet criteria to reside and number of patients who were / were not discharged",
            &days, &t2_labels, &t2)),
        ("Table 3", "table3_extra_bed_days.csv", expected(
            "Table 3: Number of additional days in total patients have remained in hospital since the criteria to be discharged decision was made",
            &weeks, &t3_labels, &t3)),
        ("Table 4", "table4_discharges_by_destination.csv", expected(
            "Table 4: Month total number of patients discharged by their intended discharge destination",
            &["February 2024 - Total number of patients discharged".to_string()], &t4_labels, &t4)),
        ("Table 5", "table5_reasons_14_plus.csv", expected(
            "Table 5: Weekly snapshot average of the total number of people per day with length of stay 14 days or over who no longer meet the criteria to reside but were not discharged, broken down by the reasons why they continued to reside",
            &["February 2024 - Average number of people per day with length of stay 14 days or over who no longer meet the criteria to reside but were not discharged".to_string()],
            &t5_labels, &t5)),
    ]
}

#[test]
fn acute_sitrep_csv_matches_the_expected_tables_cell_by_cell() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir);
    let out = dir.path().join("out");
    let mut said = Vec::new();
    dtoc::commands::export::acute_sitrep_export(
        &s,
        YearMonth::parse("2024-02").unwrap(),
        &out,
        ExportFormat::Csv,
        0,
        day(TODAY_2024),
        &mut said,
    )
    .unwrap();
    assert_eq!(String::from_utf8(said).unwrap().lines().count(), 4);
    for (_, file, want) in all_expected() {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(out.join(file))
            .unwrap();
        let got: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(got.len(), want.len(), "{file} rows");
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            let w: Vec<String> = if w.is_empty() {
                vec![String::new(); 3]
            } else {
                w.iter()
                    .map(|c| match c {
                        E::T(s) => s.clone(),
                        E::N(x) => format!("{x}"),
                        E::Blank => String::new(),
                    })
                    .collect()
            };
            assert_eq!(g, &w, "{file} row {i}");
        }
    }
}

#[test]
fn acute_sitrep_xlsx_matches_the_expected_tables_cell_by_cell() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir);
    let out = dir.path().join("out");
    dtoc::commands::export::acute_sitrep_export(
        &s,
        YearMonth::parse("2024-02").unwrap(),
        &out,
        ExportFormat::Xlsx,
        0,
        day(TODAY_2024),
        &mut Vec::new(),
    )
    .unwrap();
    let mut wb: Xlsx<_> = open_workbook(out.join("acute-sitrep-2024-02.xlsx")).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["Table 2", "Table 3", "Table 4", "Table 5"]
    );
    for (sheet, _, want) in all_expected() {
        let r = wb.worksheet_range(sheet).unwrap();
        let (rows, cols) = r.end().map_or((0, 0), |(a, b)| (a + 1, b + 1));
        assert_eq!(rows as usize, want.len(), "{sheet} rows");
        for i in 0..rows {
            for j in 0..cols {
                let got = r.get_value((i, j)).cloned().unwrap_or(Data::Empty);
                let w = want[i as usize]
                    .get(j as usize)
                    .cloned()
                    .unwrap_or(E::Blank);
                match (&got, &w) {
                    (Data::String(s), E::T(x)) => assert_eq!(s, x, "{sheet} {i},{j}"),
                    (Data::Float(x), E::N(y)) => assert_eq!(x, y, "{sheet} {i},{j}"),
                    (Data::Empty, E::Blank) => {}
                    (Data::String(s), E::Blank) if s.is_empty() => {}
                    _ => panic!("{sheet} {i},{j}: got {got:?}, want {w:?}"),
                }
            }
        }
    }
}

#[test]
fn import_stays_is_idempotent_and_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(&dir);
    let t = day(TODAY_2024);
    // The same file again changes nothing.
    let st = dtoc::import::read_stays_bytes("stays.csv", STAYS.as_bytes(), t).unwrap();
    let sum = s.import_stays(&st).unwrap();
    assert_eq!((sum.added, sum.updated, sum.unchanged), (0, 0, 4));
    // A file whose second row is wrong in the store (a discharge while a delay is open) writes
    // nothing, not even its good first row.
    let before = dump(&dir.path().join("dtoc.db"));
    let bad = "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination
A009,,RWE01,E10000018,2024-02-01,,,
A002,,RWE01,E10000018,2024-01-29,2024-02-25,3,p3_care_home
";
    let st = dtoc::import::read_stays_bytes("bad.csv", bad.as_bytes(), t).unwrap();
    let e = s.import_stays(&st).unwrap_err().to_string();
    assert_eq!(
        e,
        "bad.csv line 3, discharged_on 2024-02-25: the stay has a delay still open from 2024-02-10: end it as discharged on 2024-02-25 first"
    );
    assert_eq!(dump(&dir.path().join("dtoc.db")), before);
}

#[test]
fn stays_file_errors_name_file_line_column_value_and_rule() {
    let t = day(TODAY_2024);
    let read = |body: &str| {
        let f = format!(
            "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination,usual_residence\n{body}"
        );
        dtoc::import::read_stays_bytes("s.csv", f.as_bytes(), t)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        read("A1,,RWE01,E10000018,2024-02-01,2024-02-02,1,p2_hospice,\n"),
        "s.csv line 2, destination p2_hospice: is on pathway 2, not pathway 1"
    );
    assert_eq!(
        read("A1,,RWE01,E10000018,2024-02-01,2024-02-02,,mars,\n"),
        "s.csv line 2, destination mars: not a discharge destination (expected p0_home, p0_other, p1_home, p1_other, p1_hotel, p2_care_home, p2_designated, p2_hospice, p2_community_rehab, p3_care_home, p3b_care_home or p3_designated)"
    );
    assert_eq!(
        read("A1,,RWE01,E10000018,2024-02-01,,1,,\n"),
        "s.csv line 2, pathway 1: is given but discharged_on is empty (discharge details need a discharge date)"
    );
    assert_eq!(
        read("A1,,RWE01,E10000018,2024-02-05,2024-02-01,,,maybe\n"),
        "s.csv line 2, usual_residence maybe: not yes or no\ns.csv line 2, discharged_on 2024-02-01: is before admission on 2024-02-05"
    );
    // An NHS number is never shown.
    let e = read("A1,9434765918,RWE01,E10000018,2024-02-01,,,,\n");
    assert!(
        e.contains("nhs_number (hidden)") && !e.contains("9434765918"),
        "{e}"
    );
    assert_eq!(
        read("A1,,RWE01,E10000018,2024-02-01,2024-02-10,,,\nA1,,RWE01,E10000018,2024-02-05,,,,\n"),
        "s.csv line 3, admitted_on 2024-02-05: overlaps the stay 2024-02-01..2024-02-10 on line 2 (one bed at a time)"
    );
}

#[test]
fn delays_import_validates_destination_and_acute_reason() {
    let t = day(TODAY_2024);
    let bad = DELAYS
        .replace("p3_bed", "waiting")
        .replace("p1_home", "home");
    let e = dtoc::import::read_delays_bytes("d.csv", bad.as_bytes(), t)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("d.csv line 2, destination home: not a discharge destination"),
        "{e}"
    );
    assert!(
        e.contains("d.csv line 3, acute_reason waiting: not an acute sitrep reason"),
        "{e}"
    );
}
