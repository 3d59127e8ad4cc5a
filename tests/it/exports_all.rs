//! Every report and export with a CSV also writes XLSX through the one table writer: for weekly,
//! reconcile, pathways, drd, los, nctr, acute-sitrep and audit, `--format xlsx --out F` reads back
//! with calamine (header text, counts and rates as numbers, dates as dates) and two exports of the
//! same data are byte-identical; `--suppress 5` hides small counts and what derives from them.
//! Runs the real binary on a small synthetic register (today 2024-03-01).
#![allow(clippy::unwrap_used)]

use crate::common::db::delays_header;
use assert_cmd::Command;
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::path::{Path, PathBuf};

// W06 2024 is Monday 5 to Sunday 11 February. Delayed days in W06 (docs/counting.md: one per midnight):
// A001 ready 5th, left 7th: 5, 6 = 2 (E, Social Care); A002 ready 10th, open: 10, 11 = 2 (Dii,
// Social Care); A030 ready 15 Jan, open: 7 (A, NHS); Leicestershire 2 + 2 + 7 = 11. Rutland: A040
// ready 9th, open: 9, 10, 11 = 3 (B, NHS). W05 (29 Jan to 4 Feb): A030 7, Rutland 0.
const DELAYS: &str = concat!(delays_header!(), ",end_kind,destination,acute_reason
A001,9434765919,RWE,RWE01,acute,E10000018,2024-01-20,2024-02-05,2024-02-07,E,Social Care,2024-02-07,1,discharged,p1_home,p1_capacity
A002,,RWE,RWE01,acute,E10000018,2024-01-29,2024-02-10,,Dii,Social Care,,,,,p3_bed
A030,,RWE,RWE01,acute,E10000018,2024-01-10,2024-01-15,,A,NHS,,,,,p3_bed
A040,,RWE,RWE01,acute,E06000017,2024-02-01,2024-02-09,,B,NHS,,,,,p3_bed
");

const TARGETS: &str = "la_code,month,measure,percent
E10000018,2024-02,pathway1_share,45
E10000018,2024-02,los21_share,4.6
";

/// The stays file: A001 (pathway 1), A003 and A010..A017 (pathway 0, home), A005 (no pathway),
/// A020 (in hospital, not delayed: so every inpatient is recorded). February's discharges in
/// Leicestershire: 11 = 9 on pathway 0 + 1 on pathway 1 + 1 unknown.
fn stays() -> String {
    let mut s = String::from(
        "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination,usual_residence
A001,,RWE01,E10000018,2024-01-20,2024-02-07,1,p1_home,yes
A003,,RWE01,E10000018,2024-02-01,2024-02-03,0,p0_home,yes
A005,,RWE01,E10000018,2024-02-02,2024-02-04,,,
A020,,RWE01,E10000018,2024-02-01,,,,
",
    );
    for i in 10..18 {
        s.push_str(&format!(
            "A0{i},,RWE01,E10000018,2024-02-01,2024-02-03,0,p0_home,yes\n"
        ));
    }
    s
}

fn dtoc(db: &Path) -> Command {
    crate::common::cli::dtoc_on(db, "2024-03-01")
}

fn run(db: &Path, args: &[&str]) -> String {
    crate::common::cli::stdout_of(dtoc(db), args)
}

/// The register: delays, stays, targets, the reported figures of February, W06 signed off.
fn register(dir: &tempfile::TempDir) -> PathBuf {
    let db = dir.path().join("d.db");
    // Only init creates a database (issue 25): an import refuses a missing one.
    run(&db, &["init"]);
    let stays = stays();
    for (name, body, kind) in [
        ("delays.csv", DELAYS, "delays"),
        ("stays.csv", stays.as_str(), "stays"),
        ("t.csv", TARGETS, "discharge-targets"),
        (
            "reported.csv",
            "month,la_code,measure,delayed_days\n2024-02,E10000018,total,40\n",
            "reported",
        ),
        (
            "days.csv",
            "month,local_id,date,reason,attribution\n2024-02,A030,2024-02-05,C,NHS\n",
            "reported",
        ),
    ] {
        let f = dir.path().join(name);
        std::fs::write(&f, body).unwrap();
        // The delays are a history (issue 24): complete from each site's earliest ready date.
        let history: &[&str] = if kind == "delays" {
            &["--coverage-from", "earliest"]
        } else {
            &[]
        };
        run(
            &db,
            &[&["import", kind, f.to_str().unwrap()][..], history].concat(),
        );
    }
    for side in ["nhs", "council"] {
        run(
            &db,
            &[
                // Two sides, two users (issue 26).
                "--user", side, "signoff", "--week", "2024-W06", "--side", side, "--by", "Ann",
            ],
        );
    }
    db
}

fn first_sheet(path: &Path, name: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("{}: sheet {name}: {e}", path.display()))
}

/// The row of the header (the first row whose first cell is `first`) and the header's cells.
fn header(r: &calamine::Range<Data>, first: &str) -> (u32, Vec<String>) {
    let (h, _) = r
        .rows()
        .enumerate()
        .find(|(_, row)| row.first() == Some(&Data::String(first.into())))
        .unwrap_or_else(|| panic!("no header row starting {first}"));
    let h = h as u32;
    let names = (0..r.width() as u32)
        .map(|c| r.get_value((h, c)).map_or(String::new(), |d| d.to_string()))
        .collect();
    (h, names)
}

/// The cell of column `name` in the `n`th row below the header.
fn at(r: &calamine::Range<Data>, first: &str, name: &str, n: u32) -> Data {
    let (h, names) = header(r, first);
    let c = names
        .iter()
        .position(|x| x == name)
        .unwrap_or_else(|| panic!("no column {name} in {names:?}"));
    r.get_value((h + 1 + n, c as u32))
        .cloned()
        .unwrap_or(Data::Empty)
}

fn num(d: &Data) -> f64 {
    match d {
        Data::Float(x) => *x,
        Data::Int(x) => *x as f64,
        other => panic!("{other:?} is not a number"),
    }
}

fn is_date(d: &Data) -> bool {
    matches!(d, Data::DateTime(_))
}

/// Writes the report twice (`--out` a.xlsx, b.xlsx), asserts the bytes are equal, returns a.xlsx.
/// The second is written from a copy of the database taken before the first: the same data (an
/// export of patient-level data adds its own audit entry, so the live file changes).
fn twice(db: &Path, dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let files: Vec<PathBuf> = ["a", "b"]
        .iter()
        .map(|x| dir.join(format!("{name}-{x}.xlsx")))
        .collect();
    let copy = dir.join(format!("{name}-copy.db"));
    std::fs::copy(db, &copy).unwrap();
    for (f, db) in files.iter().zip([db, copy.as_path()]) {
        let mut a = args.to_vec();
        a.extend(["--format", "xlsx", "--out", f.to_str().unwrap()]);
        run(db, &a);
    }
    let (a, b) = (
        std::fs::read(&files[0]).unwrap(),
        std::fs::read(&files[1]).unwrap(),
    );
    assert!(a.len() > 1000, "{name}: a workbook");
    assert!(a == b, "{name}: two exports differ");
    files[0].clone()
}

#[test]
fn every_report_and_export_writes_typed_deterministic_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let db = register(&dir);
    let d = dir.path();

    // Pathways, February, Leicestershire: rows all, la, site. The la row: 11 discharges, 9 on
    // pathway 0 = 90% of the 10 with a known pathway.
    let f = twice(
        &db,
        d,
        "pathways",
        &[
            "report",
            "pathways",
            "--from",
            "2024-02",
            "--to",
            "2024-02",
            "--la",
            "E10000018",
        ],
    );
    let r = first_sheet(&f, "Pathways");
    assert_eq!(
        header(&r, "month").1[..4],
        ["month", "level", "code", "discharges"]
    );
    assert_eq!(at(&r, "month", "level", 1), Data::String("la".into()));
    assert_eq!(num(&at(&r, "month", "discharges", 1)), 11.0);
    assert_eq!(num(&at(&r, "month", "p0_share_of_known", 1)), 90.0);
    assert_eq!(num(&at(&r, "month", "p1_target", 1)), 45.0);
    assert!(is_date(&at(&r, "month", "month", 1)));

    // DRD: Leicestershire's 11 discharges of February, all of stays of a night or more: A001
    // with a ready date (5th to 7th = 2 days, band 2-3), the 10 others with none (0-day delays).
    let f = twice(
        &db,
        d,
        "drd",
        &[
            "report",
            "drd",
            "--from",
            "2024-02",
            "--to",
            "2024-02",
            "--la",
            "E10000018",
        ],
    );
    let r = first_sheet(&f, "DRD");
    assert_eq!(num(&at(&r, "month", "discharges", 0)), 11.0);
    assert_eq!(num(&at(&r, "month", "days_0", 0)), 10.0);
    assert_eq!(num(&at(&r, "month", "days_2-3", 0)), 1.0);
    assert_eq!(
        format!("{:.4}", num(&at(&r, "month", "share_2-3", 0))),
        format!("{:.4}", 100.0 / 11.0)
    );
    assert_eq!(
        format!("{:.4}", num(&at(&r, "month", "average_days", 0))),
        format!("{:.4}", 2.0 / 11.0)
    );
    assert!(is_date(&at(&r, "month", "month", 0)));

    // Length of stay on 12 February, Leicestershire: A002 (14 midnights), A030 (33), A020 (11):
    // 3 recorded inpatients, 2 at 14+ = 66.67%.
    let f = twice(
        &db,
        d,
        "los",
        &["report", "los", "--date", "2024-02-12", "--la", "E10000018"],
    );
    let r = first_sheet(&f, "Length of stay");
    assert_eq!(at(&r, "day", "level", 1), Data::String("la".into()));
    assert_eq!(num(&at(&r, "day", "denominator", 1)), 3.0);
    assert_eq!(num(&at(&r, "day", "los14", 1)), 2.0);
    assert_eq!(
        format!("{:.2}", num(&at(&r, "day", "los14_share", 1))),
        "66.67"
    );
    assert!(is_date(&at(&r, "day", "day", 1)));

    // Criteria to reside on 6 February: A001 and A030 no longer meet it, neither discharged.
    let f = twice(
        &db,
        d,
        "nctr",
        &[
            "report",
            "nctr",
            "--date",
            "2024-02-06",
            "--la",
            "E10000018",
        ],
    );
    let r = first_sheet(&f, "Criteria to reside");
    assert_eq!(num(&at(&r, "day", "not_meeting_criteria", 0)), 2.0);
    assert_eq!(num(&at(&r, "day", "remaining", 0)), 2.0);
    assert!(is_date(&at(&r, "day", "day", 0)));

    // Weekly W06: Leicestershire 11 days (7 the week before: change +4), Rutland 3.
    let f = twice(
        &db,
        d,
        "weekly",
        &["report", "weekly", "--week", "2024-W06"],
    );
    let r = first_sheet(&f, "Weekly by authority");
    let rows: Vec<(Data, f64, f64)> = (0..2)
        .map(|n| {
            (
                at(&r, "la_code", "la_code", n),
                num(&at(&r, "la_code", "days", n)),
                num(&at(&r, "la_code", "change", n)),
            )
        })
        .collect();
    assert!(
        rows.contains(&(Data::String("E10000018".into()), 11.0, 4.0)),
        "{rows:?}"
    );
    assert!(
        rows.contains(&(Data::String("E06000017".into()), 3.0, 3.0)),
        "{rows:?}"
    );
    let r = first_sheet(&f, "Weekly detail");
    assert_eq!(
        header(&r, "week").1,
        [
            "week",
            "la_code",
            "attribution",
            "reason",
            "setting",
            "days",
            "complete"
        ]
    );
    let days: f64 = (0..4).map(|n| num(&at(&r, "week", "days", n))).sum();
    assert_eq!(days, 11.0 + 3.0);

    // Reconcile February: Leicestershire's total reported as 40; A030's 5 February reported as
    // C/NHS against A/NHS locally: a day row with its date.
    let f = twice(
        &db,
        d,
        "reconcile",
        &["report", "reconcile", "--month", "2024-02"],
    );
    let r = first_sheet(&f, "Reconciliation");
    let (h, names) = header(&r, "month");
    assert_eq!(names[5..8], ["signed_days", "reported_days", "difference"]);
    let reported: Vec<f64> = r
        .rows()
        .skip(h as usize + 1)
        .filter(|row| row[1] == Data::String("E10000018".into()))
        .filter(|row| row[2] == Data::String("total".into()))
        .map(|row| num(&row[6]))
        .collect();
    assert_eq!(reported, [40.0]);
    assert!(
        r.rows()
            .skip(h as usize + 1)
            .any(|row| row[3] == Data::String("A030".into()) && is_date(&row[4])),
        "a day row with its date"
    );

    // Acute sitrep: four sheets in the published layout; table 2's 6 February columns.
    let mut files = Vec::new();
    for x in ["a", "b"] {
        let out = d.join(format!("acute-{x}"));
        run(
            &db,
            &[
                "export",
                "acute-sitrep",
                "--month",
                "2024-02",
                "--format",
                "xlsx",
                "--out-dir",
                out.to_str().unwrap(),
            ],
        );
        files.push(std::fs::read(out.join("acute-sitrep-2024-02.xlsx")).unwrap());
    }
    assert!(files[0] == files[1], "acute sitrep: two exports differ");
    let f = d.join("acute-a/acute-sitrep-2024-02.xlsx");
    let r = first_sheet(&f, "Table 2");
    // Row 2: the days (group titles, Excel dates: 6 February 2024 = 45328), row 3: the labels,
    // row 4: the register's total. 6 February is the 6th day: columns 3 + 5 x 3 = 18, 19, 20.
    assert!(
        matches!(r.get_value((2, 18)), Some(Data::DateTime(x)) if x.as_f64() == 45328.0),
        "{:?}",
        r.get_value((2, 18))
    );
    assert!(matches!(r.get_value((3, 18)), Some(Data::String(_))));
    assert_eq!(num(r.get_value((4, 18)).unwrap()), 2.0);
    let t5 = first_sheet(&f, "Table 5");
    assert!(t5
        .rows()
        .nth(4)
        .unwrap()
        .iter()
        .skip(3)
        .all(|c| matches!(c, Data::Float(_))));

    // Audit: every change, NHS numbers masked; the id a number.
    let f = twice(
        &db,
        d,
        "audit",
        &[
            "export",
            "audit",
            "--from",
            "2000-01-01",
            "--to",
            "2100-12-31",
        ],
    );
    let r = first_sheet(&f, "Audit log");
    let (_, names) = header(&r, "id");
    assert_eq!(names.join(","), dtoc::report::audit::AUDIT_HEADER);
    assert_eq!(num(&at(&r, "id", "id", 0)), 1.0);
    assert!(r
        .cells()
        .all(|(_, _, c)| !c.to_string().contains("9434765919")));
}

#[test]
fn suppress_hides_small_counts_and_the_shares_and_changes_from_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = register(&dir);
    // Pathways, --suppress 5: the la row's 1 on pathway 1 and 1 unknown become *, and so do their
    // shares; 9 on pathway 0 and 11 discharges stay (two cells hidden in the sum
    // 11 = 9 + 1 + 0 + 0 + 1: neither can be recovered). Shares of the known pathways are hidden
    // too: 90% of known with 9 on pathway 0 would give known = 10, so unknown = 1. The share of
    // all, 9 / 11 = 81.818182%, stays.
    let csv = run(
        &db,
        &[
            "report",
            "pathways",
            "--from",
            "2024-02",
            "--to",
            "2024-02",
            "--la",
            "E10000018",
            "--format",
            "csv",
            "--suppress",
            "5",
        ],
    );
    let mut lines = csv.lines();
    let names: Vec<&str> = lines.next().unwrap().split(',').collect();
    let la: Vec<&str> = lines
        .find(|l| l.contains(",la,"))
        .unwrap()
        .split(',')
        .collect();
    let get = |n: &str| la[names.iter().position(|x| *x == n).unwrap()];
    assert_eq!(
        [
            get("discharges"),
            get("p0"),
            get("p1"),
            get("unknown_pathway")
        ],
        ["11", "9", "*", "*"]
    );
    assert_eq!(get("p0_share_of_known"), "*");
    assert_eq!(get("p0_share_of_all"), "81.818182");
    assert_eq!(
        [get("p1_share_of_known"), get("p1_share_of_all")],
        ["*", "*"]
    );
    assert_eq!([get("p1_home"), get("p0_home")], ["*", "9"]);

    // Weekly, --suppress 5: Rutland's 3 days are hidden with its change; so are Leicestershire's
    // 11 (change +4) and all its detail rows (A030's 7, A001's 2, A002's 2).
    let json = run(
        &db,
        &[
            "report",
            "weekly",
            "--week",
            "2024-W06",
            "--format",
            "json",
            "--suppress",
            "5",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["tables"][0]["name"], "weekly_by_authority");
    let by_la = v["tables"][0]["rows"].as_array().unwrap();
    let la = |code: &str| by_la.iter().find(|r| r["la_code"] == code).unwrap();
    let rutland = by_la
        .iter()
        .position(|r| r["la_code"] == "E06000017")
        .unwrap();
    // Hidden cells are null, and listed.
    assert_eq!(
        (&la("E06000017")["days"], &la("E06000017")["change"]),
        (&serde_json::Value::Null, &serde_json::Value::Null)
    );
    let listed = v["tables"][0]["suppressed"].as_array().unwrap();
    for c in ["days", "change"] {
        assert!(
            listed.contains(&format!("{rutland}/{c}").into()),
            "{listed:?}"
        );
    }
    // Leicestershire's 11 are hidden too: the month's one decision takes in its days one by one
    // (1 or 2 patients remaining a day in the discharge sitreps and `report nctr`).
    assert_eq!(la("E10000018")["days"], serde_json::Value::Null);
    assert_eq!(la("E10000018")["change"], serde_json::Value::Null);
    assert_eq!(v["tables"][1]["name"], "weekly_detail");
    let detail: Vec<(String, String)> = v["tables"][1]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["reason"].as_str().unwrap().to_string(),
                r["days"].to_string(),
            )
        })
        .collect();
    for reason in ["A", "E", "Dii", "B"] {
        assert!(
            detail.contains(&(reason.into(), "null".into())),
            "{reason}: {detail:?}"
        );
    }

    // The acute sitrep too: table 2's register total on 6 February (2 not meeting, 0 discharged,
    // 2 remaining) hides the 2s; the 0 stays (a zero reveals no one).
    let out = dir.path().join("acute");
    run(
        &db,
        &[
            "export",
            "acute-sitrep",
            "--month",
            "2024-02",
            "--out-dir",
            out.to_str().unwrap(),
            "--suppress",
            "5",
        ],
    );
    let t2 =
        std::fs::read_to_string(out.join("acute-sitrep-2024-02-table2_criteria_to_reside.csv"))
            .unwrap();
    // A flat table: the header row, then the register's total (4 lead columns).
    let total: Vec<&str> = t2.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(total[..4], ["register", "", "", "ALL (register)"]);
    assert_eq!(total[19..22], ["*", "0", "*"]);
}
