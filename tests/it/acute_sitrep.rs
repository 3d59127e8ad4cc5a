//! `dtoc export acute-sitrep` on a hand-made February 2024 (a leap month), compared cell by cell
//! with the expected tables 2–5, as CSV and as XLSX read back with calamine; and `import stays`.

use crate::common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::db::*;
use common::xlsx::number_format;
use dtoc::commands::export::ReturnOptions;
use dtoc::commands::output::Format as ExportFormat;
use dtoc::domain::YearMonth;
use dtoc::store::Store;

/// Three delayed patients (A001 discharged home on pathway 1, A002 still waiting for a care home,
/// A004 a 0-day delay discharged to community rehab) and one who was never delayed (A003).
const DELAYS: &str = concat!(delays_header!(), ",end_kind,destination,acute_reason
A001,,RWE,RWE01,acute,E10000018,2024-01-20,2024-02-05,2024-02-07,E,Social Care,2024-02-07,1,discharged,p1_home,p1_capacity
A002,,RWE,RWE01,acute,E10000018,2024-01-29,2024-02-10,,Dii,Social Care,,,,,p3_bed
A004,,RWE,RWE01,acute,E10000018,2024-02-10,2024-02-20,2024-02-20,A,NHS,2024-02-20,2,discharged,p2_community_rehab,
");

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

/// A table as expected: the title (in the file name), the measure labels under each group
/// header, and the one row of figures the total, the provider, the site and the authority share
/// (one of each in this register).
struct Want {
    sheet: &'static str,
    file: &'static str,
    title: &'static str,
    groups: Vec<G>,
    labels: Vec<String>,
    values: Vec<f64>,
}

/// A group header: a day (an Excel date in the workbook) or a text and its period in the long
/// format (a week's Monday, the month).
#[derive(Clone)]
enum G {
    Day(&'static str),
    T(String, &'static str),
}

impl G {
    fn csv(&self) -> String {
        match self {
            G::Day(d) => d.to_string(),
            G::T(t, _) => t.clone(),
        }
    }

    fn period(&self) -> String {
        match self {
            G::Day(d) => d.to_string(),
            G::T(_, p) => p.to_string(),
        }
    }
}

/// The organisations: level, region, code, name.
const ORGS: [[&str; 4]; 4] = [
    ["register", "", "", "ALL (register)"],
    ["provider", "", "RWE", "RWE"],
    ["site", "", "RWE01", "RWE01"],
    ["la", "", "E10000018", "E10000018"],
];

fn labels(xs: impl IntoIterator<Item = impl Into<String>>) -> Vec<String> {
    xs.into_iter().map(Into::into).collect()
}

fn all_expected() -> Vec<Want> {
    // Table 2, day by day (not meeting, discharged, remaining): every discharge counts.
    //   A001 ready 5th, discharged 7th: not meeting on 5, 6, 7; discharged on 7.
    //   A002 ready 10th, still waiting: not meeting 10..29.
    //   A003 never delayed, discharged on the 3rd: not meeting and discharged on 3.
    //   A004 ready and discharged on the 20th (a 0-day delay): not meeting and discharged on 20.
    let mut t2 = Vec::new();
    for d in 1..=29u32 {
        let a001 = (5..=7).contains(&d) as u32;
        let a002 = (d >= 10) as u32;
        let a003 = (d == 3) as u32;
        let a004 = (d == 20) as u32;
        let not_meeting = a001 + a002 + a003 + a004;
        let discharged = (d == 7) as u32 + a003 + a004;
        t2.extend([not_meeting, discharged, not_meeting - discharged].map(f64::from));
    }
    const DAYS: [&str; 29] = [
        "2024-02-01",
        "2024-02-02",
        "2024-02-03",
        "2024-02-04",
        "2024-02-05",
        "2024-02-06",
        "2024-02-07",
        "2024-02-08",
        "2024-02-09",
        "2024-02-10",
        "2024-02-11",
        "2024-02-12",
        "2024-02-13",
        "2024-02-14",
        "2024-02-15",
        "2024-02-16",
        "2024-02-17",
        "2024-02-18",
        "2024-02-19",
        "2024-02-20",
        "2024-02-21",
        "2024-02-22",
        "2024-02-23",
        "2024-02-24",
        "2024-02-25",
        "2024-02-26",
        "2024-02-27",
        "2024-02-28",
        "2024-02-29",
    ];
    // Table 3: the weeks that end in February: w/c 29 January, 5, 12 and 19 February (w/c 26
    // February ends in March); snapshots on the Mondays. Extra bed days at 7+, 14+, 21+:
    //   29 Jan: A001 LOS 9, not yet ready; A002 LOS 0.                                → 0, 0, 0
    //   5th:  A001 LOS 16, ready that day: 0 extra days. A002 LOS 7 not yet ready.   → 0, 0, 0
    //   12th: A002 LOS 14, ready 2 days (10th): 2 in 7+ and 14+.                        → 2, 2, 0
    //   19th: A002 LOS 21, ready 9 days.                                                → 9, 9, 9
    let t3 = vec![0., 0., 0., 0., 0., 0., 2., 2., 0., 9., 9., 9.];
    let weeks: Vec<G> = [
        ("29/01", "2024-01-29"),
        ("05/02", "2024-02-05"),
        ("12/02", "2024-02-12"),
        ("19/02", "2024-02-19"),
    ]
    .iter()
    .map(|(d, p)| G::T(format!("w/c {d}/2024 (daily snapshot)"), p))
    .collect();
    // Table 4: discharged in February to P0 domestic home (A003), P1 domestic home (A001), P2
    // community rehab (A004); none without a destination.
    let mut t4 = vec![0.0; 13];
    t4[0] = 1.0;
    t4[2] = 1.0;
    t4[8] = 1.0;
    let mut t4_labels =
        labels(dtoc::domain::Destination::ALL.map(dtoc::domain::Destination::published_header));
    t4_labels.push("Not stated".into());
    // Table 5: at 14+ days and not meeting the criteria on the four snapshots: A001 on the 5th
    // (pathway 1 capacity); A002 on the 12th and 19th (pathway 3 bed). Averages over 4 snapshots:
    // p1_capacity 1/4 = 0.25, p3_bed 2/4 = 0.5.
    // The last column, no reason recorded: none here.
    let mut t5 = vec![0.0; 19];
    t5[12] = 0.25;
    t5[14] = 0.5;
    vec![
        Want {
            sheet: "Table 2",
            file: "table2_criteria_to_reside.csv",
            title: "Table 2: Number of patients who no longer meet criteria to reside and number of patients who were / were not discharged",
            groups: DAYS.iter().map(|d| G::Day(d)).collect(),
            labels: labels(dtoc::report::acute_sitrep::DAILY_LABELS),
            values: t2,
        },
        Want {
            sheet: "Table 3",
            file: "table3_extra_bed_days.csv",
            title: "Table 3: Number of additional days in total patients have remained in hospital since the criteria to be discharged decision was made",
            groups: weeks,
            labels: [7, 14, 21]
                .map(|b| format!("Number of additional bed days, patients with length of stay of {b}+ days"))
                .to_vec(),
            values: t3,
        },
        Want {
            sheet: "Table 4",
            file: "table4_discharges_by_destination.csv",
            title: "Table 4: Month total number of patients discharged by their intended discharge destination",
            groups: vec![G::T("February 2024 - Total number of patients discharged".into(), "2024-02")],
            labels: t4_labels,
            values: t4,
        },
        Want {
            sheet: "Table 5",
            file: "table5_reasons_14_plus.csv",
            title: "Table 5: Weekly snapshot average of the total number of people per day with length of stay 14 days or over who no longer meet the criteria to reside but were not discharged, broken down by the reasons why they continued to reside",
            groups: vec![G::T("February 2024 - Average number of people per day with length of stay 14 days or over who no longer meet the criteria to reside but were not discharged".into(), "2024-02")],
            labels: labels(dtoc::domain::AcuteReason::ALL.map(dtoc::domain::AcuteReason::published_header))
                .into_iter()
                .chain(["Reason not recorded".to_string()])
                .collect(),
            values: t5,
        },
    ]
}

fn export(s: &Store, dir: &std::path::Path, format: ExportFormat, long: bool) -> String {
    let mut said = Vec::new();
    dtoc::commands::export::acute_sitrep_export(
        s,
        YearMonth::parse("2024-02").unwrap(),
        dir,
        ReturnOptions {
            format,
            suppress: 0,
            long,
        },
        day(TODAY_2024),
        &mut said,
    )
    .unwrap();
    String::from_utf8(said).unwrap()
}

/// The rows of a CSV file without its last, which says whether the month is complete (issue 24).
fn read_csv(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap()
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    let status = rows.pop().unwrap();
    assert!(
        status
            .iter()
            .any(|c| c == "February 2024: complete: true (days to 2024-02-29)"),
        "{status:?}"
    );
    rows
}

#[test]
fn acute_sitrep_csv_files_are_flat_tables_matching_the_expected_figures() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir);
    let out = dir.path().join("out");
    assert_eq!(
        export(&s, &out, ExportFormat::Csv, false).lines().count(),
        4
    );
    for w in all_expected() {
        let got = read_csv(&out.join(format!("acute-sitrep-2024-02-{}", w.file)));
        let mut header = labels(["level", "region", "code", "name"]);
        for g in &w.groups {
            for l in &w.labels {
                header.push(if w.groups.len() == 1 {
                    l.clone()
                } else {
                    format!("{}: {l}", g.csv())
                });
            }
        }
        let mut want = vec![header];
        for org in ORGS {
            let mut r = labels(org);
            r.extend(w.values.iter().map(|v| format!("{v}")));
            want.push(r);
        }
        assert_eq!(got, want, "{}", w.file);
    }
}

#[test]
fn acute_sitrep_long_csv_has_a_row_per_period_organisation_and_measure() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir);
    let out = dir.path().join("out");
    export(&s, &out, ExportFormat::Csv, true);
    for w in all_expected() {
        let got = read_csv(&out.join(format!(
            "acute-sitrep-2024-02-{}",
            w.file.replace(".csv", "_long.csv")
        )));
        let mut want = vec![labels([
            "period", "level", "region", "code", "name", "measure", "value",
        ])];
        for (gi, g) in w.groups.iter().enumerate() {
            for org in ORGS {
                for (li, l) in w.labels.iter().enumerate() {
                    let mut r = vec![g.period()];
                    r.extend(labels(org));
                    r.push(l.clone());
                    r.push(format!("{}", w.values[gi * w.labels.len() + li]));
                    want.push(r);
                }
            }
        }
        assert_eq!(got, want, "{}", w.file);
    }
    // --long is for CSV only.
    let e = dtoc::commands::export::acute_sitrep_export(
        &s,
        YearMonth::parse("2024-02").unwrap(),
        &out,
        ReturnOptions {
            format: ExportFormat::Xlsx,
            suppress: 0,
            long: true,
        },
        day(TODAY_2024),
        &mut Vec::new(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "--long is a CSV format: use it with --format csv"
    );
}

#[test]
fn acute_sitrep_xlsx_matches_the_expected_tables_cell_by_cell() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir);
    let out = dir.path().join("out");
    export(&s, &out, ExportFormat::Xlsx, false);
    let path = out.join("acute-sitrep-2024-02.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["Table 2", "Table 3", "Table 4", "Table 5"]
    );
    for w in all_expected() {
        let r = wb.worksheet_range(w.sheet).unwrap();
        let at = |i: u32, j: u32| r.get_value((i, j)).cloned().unwrap_or(Data::Empty);
        let width = w.labels.len() as u32;
        assert_eq!(at(0, 0), Data::String(w.title.into()), "{}", w.sheet);
        for (g, head) in w.groups.iter().enumerate() {
            let c = 3 + g as u32 * width;
            match (head, at(2, c)) {
                (G::Day(d), Data::DateTime(x)) => {
                    assert!(x.is_datetime());
                    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                    let got = epoch + chrono::Days::new(x.as_f64() as u64);
                    assert_eq!(got.to_string(), *d)
                }
                (G::T(t, _), Data::String(x)) => assert_eq!(&x, t),
                (_, got) => panic!("{} group {g}: {got:?}", w.sheet),
            }
            for (l, label) in w.labels.iter().enumerate() {
                assert_eq!(at(3, c + l as u32), Data::String(label.clone()));
            }
        }
        // Each group header is merged over its measure columns.
        let mut merged: Vec<(u32, u32, u32, u32)> = wb
            .merge_cells_by_sheet_name(w.sheet)
            .unwrap()
            .iter()
            .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
            .collect();
        merged.sort();
        let want: Vec<_> = (0..w.groups.len() as u32)
            .map(|g| (2, 3 + g * width, 2, 2 + (g + 1) * width))
            .collect();
        assert_eq!(merged, want, "{} merged", w.sheet);
        // The total row, then a block per kind under its header row.
        let block_rows = [
            (4, None),
            (7, Some(["Region", "Org Code", "Org Name"])),
            (10, Some(["Region", "Site Code", "Site Name"])),
            (13, Some(["Region", "LA Code", "LA Name"])),
        ];
        for ((row, head), org) in block_rows.into_iter().zip(ORGS) {
            if let Some(h) = head {
                for (c, x) in h.iter().enumerate() {
                    assert_eq!(at(row - 1, c as u32), Data::String(x.to_string()));
                }
            }
            for (c, x) in org[1..].iter().enumerate() {
                let want = if x.is_empty() {
                    Data::Empty
                } else {
                    Data::String(x.to_string())
                };
                assert_eq!(at(row, c as u32), want, "{} row {row}", w.sheet);
            }
            for (c, v) in w.values.iter().enumerate() {
                assert_eq!(
                    at(row, 3 + c as u32),
                    Data::Float(*v),
                    "{} {row},{c}",
                    w.sheet
                );
            }
        }
        assert_eq!(r.end().unwrap().0, 13, "{} rows", w.sheet);
    }
    // Number formats, from the workbook's XML: the total row's first figure of table 2 (D5) is
    // a count, #,##0; of table 5 (sheet 4) an average, #,##0.00; the day headers dd/mm/yyyy.
    let format_of = |sheet: usize, cell: &str| number_format(&path, sheet, cell);
    assert_eq!(format_of(1, "D5"), "#,##0");
    assert_eq!(format_of(4, "D5"), "#,##0.00");
    assert_eq!(format_of(1, "D3"), "dd/mm/yyyy");
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
