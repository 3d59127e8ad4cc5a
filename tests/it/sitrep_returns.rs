//! The discharge sitrep returns against NHS England's publication (issue 18): header texts byte
//! for byte with the published January 2024 workbook, January 2024's four weekly snapshots (and a
//! site taking its snapshot on another day), the identities on the demo register (table 2's
//! discharged = table 4 + not stated; table 3's nested cohorts), the scope (acute / community)
//! and a hand-made month of the community return.

use crate::common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::db::*;
use dtoc::commands::export::{acute_sitrep_export, community_sitrep_export, ReturnOptions};
use dtoc::commands::output::Format;
use dtoc::domain::{AcuteReason, Destination, Setting, YearMonth};
use dtoc::store::{Site, Store};
use std::path::Path;

type Export = fn(
    &Store,
    YearMonth,
    &Path,
    ReturnOptions,
    chrono::NaiveDate,
    &mut dyn std::io::Write,
) -> anyhow::Result<()>;

fn csv_opts() -> ReturnOptions {
    ReturnOptions {
        format: Format::Csv,
        suppress: 0,
        long: false,
    }
}

/// A CSV file as (header, rows).
fn read(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let mut rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    // The last row says whether the month is complete (issue 24); the figures are above it.
    let status = rows.pop().unwrap();
    assert!(
        status.iter().any(|c| c.contains("complete: ")),
        "{status:?}"
    );
    (header, rows)
}

/// The row of `level` and `code` in a flat table.
fn row<'a>(rows: &'a [Vec<String>], level: &str, code: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == level && r[2] == code)
        .unwrap_or_else(|| panic!("no {level} {code}"))
}

fn num(x: &str) -> f64 {
    x.parse().unwrap()
}

#[test]
fn header_texts_are_byte_for_byte_those_of_the_published_workbook() {
    let mut wb: Xlsx<_> = open_workbook(data("published/acute_discharge_sitrep_january2024.xlsx"))
        .expect("the committed copy of the published workbook");
    let cells = |wb: &mut Xlsx<_>, sheet: &str, row: u32, from: u32, n: u32| -> Vec<String> {
        let r = wb.worksheet_range(sheet).unwrap();
        (from..from + n)
            .map(|c| match r.get_value((row, c)) {
                Some(Data::String(s)) => s.clone(),
                other => panic!("{sheet} ({row},{c}): {other:?}"),
            })
            .collect()
    };
    // Table 2, row 4 (E..G): the daily measures. Table 3, row 5: the bands.
    let daily = cells(&mut wb, "Table 2", 3, 4, 3);
    assert_eq!(daily, dtoc::report::acute_sitrep::DAILY_LABELS);
    let bands = cells(&mut wb, "Table 3", 4, 4, 3);
    let ours: Vec<String> = [7, 14, 21]
        .map(|b| {
            format!("Number of additional bed days, patients with length of stay of {b}+ days")
        })
        .to_vec();
    assert_eq!(bands, ours);
    assert_eq!(
        cells(&mut wb, "Table 3", 3, 4, 1),
        ["w/c 01/01/2024 (daily snapshot)"]
    );
    // Table 4, row 5 (E..P): the 12 destinations, line breaks included.
    let published = cells(&mut wb, "Table 4", 4, 4, 12);
    let ours: Vec<&str> = Destination::ALL
        .iter()
        .map(|d| d.published_header())
        .collect();
    assert_eq!(published, ours);
    assert_eq!(published.iter().filter(|h| h.contains('\n')).count(), 7);
    // Table 5, row 5 (E..V): the 18 reasons, trailing spaces included.
    let published = cells(&mut wb, "Table 5", 4, 4, 18);
    let ours: Vec<&str> = AcuteReason::ALL
        .iter()
        .map(|r| r.published_header())
        .collect();
    assert_eq!(published, ours);
    assert_eq!(published.iter().filter(|h| h.ends_with(' ')).count(), 2);
    // The trust block's header.
    assert_eq!(
        cells(&mut wb, "Table 2", 57, 1, 3),
        ["Region", "Org Code", "Org Name"]
    );

    // And what dtoc writes has them byte for byte.
    let dir = tempfile::tempdir().unwrap();
    let s = january_store(&dir);
    let out = dir.path().join("x");
    let opts = ReturnOptions {
        format: Format::Xlsx,
        ..csv_opts()
    };
    acute_sitrep_export(
        &s,
        month("2024-01"),
        &out,
        opts,
        day("2024-02-01"),
        &mut Vec::new(),
    )
    .unwrap();
    let mut ours: Xlsx<_> = open_workbook(out.join("acute-sitrep-2024-01.xlsx")).unwrap();
    // (sheet, our row, our first column, the published row, its first column, how many).
    for (sheet, row, col, prow, pcol, n) in [
        ("Table 2", 3, 3, 3, 4, 3),
        ("Table 2", 6, 0, 57, 1, 3),
        ("Table 3", 2, 3, 3, 4, 1),
        ("Table 4", 3, 3, 4, 4, 12),
        ("Table 5", 3, 3, 4, 4, 18),
    ] {
        assert_eq!(
            cells(&mut ours, sheet, row, col, n),
            cells(&mut wb, sheet, prow, pcol, n),
            "{sheet}"
        );
    }
}

/// January 2024: an acute site taking its snapshot on Mondays (RWE01) and one on Wednesdays
/// (RWE02), a community hospital (RT501), each with patients at 14+ days.
fn january_store(dir: &tempfile::TempDir) -> Store {
    let mut s = new_store(dir);
    for (code, setting) in [
        ("RWE01", Setting::Acute),
        ("RWE02", Setting::Acute),
        ("RT501", Setting::NonAcute),
    ] {
        s.upsert_site(&Site {
            code: code.into(),
            provider_code: code[..3].into(),
            name: None,
            setting,
        })
        .unwrap();
    }
    s.set_snapshot_day("RWE02", chrono::Weekday::Wed).unwrap();
    let today = day("2024-02-01");
    let delays = concat!(delays_header!(), ",end_kind,destination,acute_reason
J001,,RWE,RWE01,acute,E10000018,2023-12-01,2023-12-10,2024-01-10,E,Social Care,2024-01-10,1,discharged,p1_home,no_plan
J002,,RWE,RWE02,acute,E10000018,2023-12-01,2023-12-10,2024-01-10,E,Social Care,2024-01-10,1,discharged,p1_home,no_plan
J003,,RT5,RT501,non-acute,E10000018,2023-12-01,2023-12-10,,E,Social Care,,,,,p3_bed
");
    let d = dtoc::import::read_delays_bytes("d.csv", delays.as_bytes(), today).unwrap();
    s.import_delays(&d).unwrap();
    s
}

#[test]
fn january_2024_has_four_snapshots_taken_on_each_sites_day() {
    use dtoc::report::discharge::snapshot_weeks;
    assert_eq!(
        snapshot_weeks(month("2024-01")),
        ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22"].map(day)
    );
    // w/c 29 January ends on 4 February: it is February's.
    assert_eq!(snapshot_weeks(month("2024-02"))[0], day("2024-01-29"));
    assert_eq!(snapshot_weeks(month("2024-02")).len(), 4);

    let dir = tempfile::tempdir().unwrap();
    let s = january_store(&dir);
    let out = dir.path().join("acute");
    acute_sitrep_export(
        &s,
        month("2024-01"),
        &out,
        csv_opts(),
        day("2024-02-01"),
        &mut Vec::new(),
    )
    .unwrap();
    let (header, rows) = read(&out.join("acute-sitrep-2024-01-table3_extra_bed_days.csv"));
    let weeks: Vec<&str> = header[4..]
        .iter()
        .step_by(3)
        .map(|h| h.split(':').next().unwrap())
        .collect();
    assert_eq!(
        weeks,
        [
            "w/c 01/01/2024 (daily snapshot)",
            "w/c 08/01/2024 (daily snapshot)",
            "w/c 15/01/2024 (daily snapshot)",
            "w/c 22/01/2024 (daily snapshot)"
        ]
    );
    // Extra bed days at 7+ (ready 10 December): J001 on Mondays 1 and 8 January (22, 29 days);
    // J002 on Wednesday 3 January (24 days) only: discharged on Wednesday 10th.
    let site = |code| {
        row(&rows, "site", code)[4..]
            .iter()
            .step_by(3)
            .map(|x| num(x))
            .collect::<Vec<_>>()
    };
    assert_eq!(site("RWE01"), [22.0, 29.0, 0.0, 0.0]);
    assert_eq!(site("RWE02"), [24.0, 0.0, 0.0, 0.0]);
    // The community hospital is not in the acute return.
    assert!(rows.iter().all(|r| r[2] != "RT501" && r[2] != "RT5"));
    // Table 5: no plan, at 14+ days on 3 snapshots (J001 twice, J002 once) out of 4: 0.75.
    let (header, rows) = read(&out.join("acute-sitrep-2024-01-table5_reasons_14_plus.csv"));
    let no_plan = header.iter().position(|h| h == "No Plan").unwrap();
    assert_eq!(row(&rows, "register", "")[no_plan], "0.75");
    assert_eq!(row(&rows, "provider", "RWE")[no_plan], "0.75");
    assert_eq!(row(&rows, "site", "RWE02")[no_plan], "0.25");
}

#[test]
fn a_hand_made_month_of_the_community_return() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = january_store(&dir);
    // A second community patient, never delayed, discharged home on 5 January; a third
    // discharged on the 12th with no destination.
    let stays = "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination,usual_residence
J004,,RT501,E10000018,2024-01-02,2024-01-05,,p0_home,
J005,,RT501,E10000018,2024-01-03,2024-01-12,,,
";
    let st = dtoc::import::read_stays_bytes("s.csv", stays.as_bytes(), day("2024-02-01")).unwrap();
    s.import_stays(&st).unwrap();
    let out = dir.path().join("community");
    let mut said = Vec::new();
    community_sitrep_export(
        &s,
        month("2024-01"),
        &out,
        csv_opts(),
        day("2024-02-01"),
        &mut said,
    )
    .unwrap();
    assert_eq!(String::from_utf8(said).unwrap().lines().count(), 4);

    // Table 1, daily: J003 (ready 10 December, still waiting) every day; J004 discharged on
    // the 5th, J005 on the 12th (no delay recorded: they count).
    let (header, rows) =
        read(&out.join("community-sitrep-2024-01-table1_community_criteria_to_reside.csv"));
    assert_eq!(header.len(), 4 + 31 * 3);
    let total = row(&rows, "register", "");
    let day_of =
        |d: usize| -> Vec<f64> { (0..3).map(|k| num(&total[4 + (d - 1) * 3 + k])).collect() };
    assert_eq!(day_of(1), [1.0, 0.0, 1.0]);
    assert_eq!(day_of(5), [2.0, 1.0, 1.0]);
    assert_eq!(day_of(12), [2.0, 1.0, 1.0]);
    assert_eq!(day_of(31), [1.0, 0.0, 1.0]);
    // Only the community site and its provider, and the authority.
    let orgs: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(
        orgs,
        [
            ("register", ""),
            ("provider", "RT5"),
            ("site", "RT501"),
            ("la", "E10000018")
        ]
    );

    // Table 2, weekly (Mondays 1, 8, 15, 22): J003 at 14+ and 21+ (admitted 1 December), ready
    // since 10 December: 22, 29, 36, 43 extra days.
    let (header, rows) =
        read(&out.join("community-sitrep-2024-01-table2_community_length_of_stay.csv"));
    assert_eq!(
        header[4..8],
        [
            "w/c 01/01/2024 (daily snapshot): Number of patients with length of stay of 14+ days",
            "w/c 01/01/2024 (daily snapshot): Number of patients with length of stay of 21+ days",
            "w/c 01/01/2024 (daily snapshot): Number of additional bed days, patients with length of stay of 14+ days",
            "w/c 01/01/2024 (daily snapshot): Number of additional bed days, patients with length of stay of 21+ days",
        ]
    );
    let got: Vec<f64> = row(&rows, "register", "")[4..]
        .iter()
        .map(|x| num(x))
        .collect();
    // J004 and J005 (admitted 2 and 3 January) never reach 14 days: only J003 counts.
    assert_eq!(
        got,
        [1., 1., 22., 22., 1., 1., 29., 29., 1., 1., 36., 36., 1., 1., 43., 43.]
    );

    // Table 3: J003 at 14+ on all 4 snapshots, pathway 3 bed: 4 / 4 = 1.
    let (header, rows) =
        read(&out.join("community-sitrep-2024-01-table3_community_reasons_14_plus.csv"));
    let p3 = header
        .iter()
        .position(|h| h == AcuteReason::P3Bed.published_header())
        .unwrap();
    assert_eq!(row(&rows, "register", "")[p3], "1");

    // Table 4: J004 to P0 domestic home, J005 not stated: 2 = table 1's discharged total.
    let (header, rows) =
        read(&out.join("community-sitrep-2024-01-table4_community_discharges_by_destination.csv"));
    assert_eq!(header.last().unwrap(), "Not stated");
    let t4: Vec<f64> = row(&rows, "register", "")[4..]
        .iter()
        .map(|x| num(x))
        .collect();
    let mut want = vec![0.0; 13];
    want[0] = 1.0;
    want[12] = 1.0;
    assert_eq!(t4, want);
    // J004's usual residence was derived from its destination (home: yes), as the end form does.
    let facts = s
        .stay_facts(day("2024-01-01"), day("2024-02-01"), &[])
        .unwrap();
    let usual = |id: &str| {
        facts
            .iter()
            .find(|f| f.local_id == id)
            .unwrap()
            .usual_residence
    };
    assert_eq!(usual("J004"), Some(true));
    assert_eq!(usual("J005"), None);
}

#[test]
fn on_the_demo_register_discharged_equals_table_4_and_cohorts_nest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let today = day("2018-09-01");
    let s = dtoc::commands::demo::write_demo(None, &path, today).unwrap();
    for m in ["2018-06", "2018-07"] {
        for (export, t2, t3, t4) in [
            (
                acute_sitrep_export as Export,
                "table2_criteria_to_reside.csv",
                "table3_extra_bed_days.csv",
                "table4_discharges_by_destination.csv",
            ),
            (
                community_sitrep_export,
                "table1_community_criteria_to_reside.csv",
                "table2_community_length_of_stay.csv",
                "table4_community_discharges_by_destination.csv",
            ),
        ] {
            let out = dir.path().join(format!("{m}-{t2}"));
            export(&s, month(m), &out, csv_opts(), today, &mut Vec::new()).unwrap();
            let name = |t: &str| {
                let kind = if t.contains("community") {
                    "community"
                } else {
                    "acute"
                };
                out.join(format!("{kind}-sitrep-{m}-{t}"))
            };
            let (h2, r2) = read(&name(t2));
            let (_, r4) = read(&name(t4));
            assert_eq!(r2.len(), r4.len());
            let mut month_total = 0.0;
            for (a, b) in r2.iter().zip(&r4) {
                assert_eq!(a[..4], b[..4]);
                let discharged: f64 = (4..h2.len())
                    .filter(|&c| h2[c].ends_with(": Number of patients discharged"))
                    .map(|c| num(&a[c]))
                    .sum();
                let t4: f64 = b[4..].iter().map(|x| num(x)).sum();
                assert_eq!(discharged, t4, "{m} {t2} {:?}", &a[..4]);
                if a[0] == "register" {
                    month_total = t4;
                }
            }
            assert!(month_total > 0.0, "{m} {t2}: no discharges");
            // Table 3's cohorts (and the community's 14+ / 21+) are nested.
            let (h3, r3) = read(&name(t3));
            let per_week = if t3.contains("community") { 4 } else { 3 };
            for r in &r3 {
                for w in (4..h3.len()).step_by(per_week) {
                    let v: Vec<f64> = r[w..w + per_week].iter().map(|x| num(x)).collect();
                    if per_week == 3 {
                        assert!(v[0] >= v[1] && v[1] >= v[2], "{m} {:?}: {v:?}", &r[..4]);
                    } else {
                        assert!(v[0] >= v[1] && v[2] >= v[3], "{m} {:?}: {v:?}", &r[..4]);
                    }
                }
            }
        }
    }
}

#[test]
fn report_nctr_counts_a_discharge_with_no_delay_recorded() {
    // The minimal case: a stays row and no delay for the patient.
    let dir = tempfile::tempdir().unwrap();
    let mut s = january_store(&dir);
    let stays = "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination
P07,,RWE01,E10000018,2024-01-01,2024-01-04,0,p0_other
";
    let st = dtoc::import::read_stays_bytes("s.csv", stays.as_bytes(), day("2024-02-01")).unwrap();
    s.import_stays(&st).unwrap();
    let facts = s
        .stay_facts(day("2024-01-01"), day("2024-02-01"), &[])
        .unwrap();
    let rows = dtoc::report::discharge::nctr(&facts, &[day("2024-01-04")]);
    let site = rows
        .iter()
        .find(|r| r.level == dtoc::report::discharge::Level::Site("RWE01".into()))
        .unwrap();
    // J001 still waiting (ready 10 December) and P07 discharged.
    assert_eq!(
        (site.not_meeting, site.discharged, site.remaining),
        (2, 1, 1)
    );
    // "Other" does not tell the usual residence: none derived.
    let p07 = facts.iter().find(|f| f.local_id == "P07").unwrap();
    assert_eq!(p07.usual_residence, None);
}

#[test]
fn the_community_return_is_deterministic_and_suppressed_like_the_acute_one() {
    let dir = tempfile::tempdir().unwrap();
    let s = january_store(&dir);
    let opts = ReturnOptions {
        format: Format::Xlsx,
        suppress: 5,
        long: false,
    };
    let mut files = Vec::new();
    for x in ["a", "b"] {
        let out = dir.path().join(x);
        community_sitrep_export(
            &s,
            month("2024-01"),
            &out,
            opts,
            day("2024-02-01"),
            &mut Vec::new(),
        )
        .unwrap();
        files.push(std::fs::read(out.join("community-sitrep-2024-01.xlsx")).unwrap());
    }
    assert!(files[0] == files[1], "two exports differ");
    // Table 1 on 1 January: J003 alone (1 not meeting, 0 discharged, 1 remaining): the 1s are
    // hidden, the 0 shown; the note says so under the title.
    let mut wb: Xlsx<_> =
        open_workbook(dir.path().join("a/community-sitrep-2024-01.xlsx")).unwrap();
    let r = wb.worksheet_range("Table 1").unwrap();
    let got: Vec<Data> = (3..6)
        .map(|c| r.get_value((4, c)).cloned().unwrap())
        .collect();
    assert_eq!(
        got,
        [
            Data::String("*".into()),
            Data::Float(0.0),
            Data::String("*".into())
        ]
    );
    assert_eq!(
        r.get_value((1, 0)),
        Some(&Data::String(
            "Suppressed: counts from 1 to 5 are shown as *, with any total that would reveal them."
                .into()
        ))
    );
}
