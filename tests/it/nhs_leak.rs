//! NHS numbers never leak: every command that reads patient data is run over fixtures holding
//! known NHS numbers (good rows and bad rows), and all of their stdout and stderr, and every file
//! they write except the database and its backup (exports; there are no log files), are searched
//! for those numbers written as `9434765919`, `943 476 5919` and `943-476-5919`.

use crate::common;
use crate::common::db::delays_header;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::db::TODAY;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixtures' NHS numbers (valid ones, and one with a wrong check digit in a bad row).
const NUMBERS: &[&str] = &[
    "9434765919",
    "6541003238",
    "6716689966",
    "9434765918",
    "4010232137",
];

const HEADER: &str = delays_header!();

fn forms(n: &str) -> [String; 3] {
    let spaced = format!("{} {} {}", &n[..3], &n[3..6], &n[6..]);
    let dashed = spaced.replace(' ', "-");
    [n.to_string(), spaced, dashed]
}

fn assert_clean(what: &str, text: &str) {
    for n in NUMBERS {
        for f in forms(n) {
            assert!(
                !text.contains(&f),
                "{what} shows the NHS number {f}:\n{text}"
            );
        }
    }
}

/// Runs dtoc with `args` (and the test's database and today) and searches its output.
/// Returns whether it succeeded.
fn run(db: &Path, args: &[&str]) -> bool {
    let out = Command::new(env!("CARGO_BIN_EXE_dtoc"))
        .env_remove("DTOC_DB")
        .env_remove("DTOC_KEY")
        .env("DTOC_USER", "leak-test")
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_clean(&format!("dtoc {}", args.join(" ")), &text);
    out.status.success()
}

fn write(dir: &Path, name: &str, rows: &[&str]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
    p
}

/// Every file under `dir` (recursively) that is not a database, as text (cells of workbooks).
fn written_files(dir: &Path, skip: &[&Path]) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if skip.iter().any(|s| p.starts_with(s)) {
            continue;
        }
        if p.is_dir() {
            out.extend(written_files(&p, skip));
        } else if p.extension().is_some_and(|x| x == "xlsx") {
            let mut wb: Xlsx<_> = open_workbook(&p).unwrap();
            let mut text = String::new();
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).unwrap();
                for row in range.rows() {
                    for c in row {
                        if !matches!(c, Data::Empty) {
                            text.push_str(&c.to_string());
                            text.push('\n');
                        }
                    }
                }
            }
            out.push((p, text));
        } else {
            let bytes = std::fs::read(&p).unwrap();
            out.push((p, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    out
}

#[test]
fn no_command_shows_or_exports_an_nhs_number() {
    let dir = tempfile::tempdir().unwrap();
    let db_dir = dir.path().join("db");
    let db = db_dir.join("hub.db");
    let inputs = dir.path().join("inputs");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");

    assert!(run(&db, &["init"]));
    assert!(run(
        &db,
        &[
            "import",
            "population",
            fixtures.join("population.csv").to_str().unwrap()
        ]
    ));
    // Good rows with NHS numbers.
    let good = write(
        &inputs,
        "good.csv",
        &[
            "L1,9434765919,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-05,2018-07-10,A,NHS,2018-07-10,1",
            "L2,943 476 5919,RWE,RWE01,acute,E10000018,2018-07-20,2018-07-21,,E,Social Care,,",
            "L3,654-100-3238,RWE,RWE01,acute,E06000017,2018-07-01,2018-07-02,,C,Social Care,,",
            "L4,6716689966,RT5,RT502,non-acute,E06000016,2018-05-01,2018-05-03,2018-06-03,Di,Both,2018-06-03,3",
        ],
    );
    // A history (issue 24), complete from the start of 2018.
    assert!(run(
        &db,
        &[
            "import",
            "delays",
            good.to_str().unwrap(),
            "--coverage-from",
            "2018-01-01"
        ]
    ));
    // Bad rows with NHS numbers: a wrong check digit, a number that differs within one stay, a
    // bad date beside a good number, a patient recorded with another number.
    let bad_files = [
        write(
            &inputs,
            "bad_check_digit.csv",
            &["B1,9434765918,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-05,,A,NHS,,"],
        ),
        write(
            &inputs,
            "bad_spaced_check_digit.csv",
            &["B1,943 476 5918,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-05,,A,NHS,,"],
        ),
        write(
            &inputs,
            "bad_differs.csv",
            &[
                "B2,9434765919,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-05,2018-07-08,A,NHS,,",
                "B2,6541003238,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-08,,B,NHS,,",
            ],
        ),
        write(
            &inputs,
            "bad_date.csv",
            &["B3,6716689966,RWE,RWE01,acute,E10000018,2018-02-30,2018-07-05,,A,NHS,,"],
        ),
        write(
            &inputs,
            "bad_other_number.csv",
            &["L1,4010232137,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-05,2018-07-10,A,NHS,2018-07-10,1"],
        ),
        write(
            &inputs,
            "bad_number_in_local_id.csv",
            &["9434765919X,,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-05,,Q,NHS,,"],
        ),
    ];
    for f in &bad_files {
        assert!(
            !run(&db, &["import", "delays", f.to_str().unwrap()]),
            "{} was accepted",
            f.display()
        );
    }
    assert!(run(&db, &["check"]));
    for format in ["table", "csv", "json"] {
        assert!(run(
            &db,
            &["report", "monthly", "--from", "2018-04", "--format", format]
        ));
        assert!(run(
            &db,
            &["report", "spc", "--la", "E10000018", "--format", format]
        ));
    }
    for (month, format) in [("2018-07", "csv"), ("2018-06", "xlsx"), ("2018-08", "csv")] {
        assert!(run(
            &db,
            &[
                "export",
                "sitrep",
                "--month",
                month,
                "--format",
                format,
                "--out-dir",
                out.join(format!("{month}-{format}")).to_str().unwrap()
            ]
        ));
    }
    let backup = dir.path().join("backup.db");
    assert!(run(&db, &["backup", backup.to_str().unwrap()]));
    assert!(run(&db, &["restore", backup.to_str().unwrap()]));
    // A register broken by hand: `check` lists the problems by record, not by patient.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("UPDATE stay SET admitted_on = '2018-07-25' WHERE patient_id = (SELECT id FROM patient WHERE local_id = 'L2');")
        .unwrap();
    assert!(!run(&db, &["check"]));

    // Every file written: the exports (and anything else, e.g. a log, were one ever written).
    let files = written_files(dir.path(), &[&db_dir, &backup, &inputs]);
    assert!(files.len() >= 7, "{files:?}");
    for (path, text) in &files {
        assert_clean(&path.display().to_string(), text);
    }
    // The database does hold them (the search would have found them): a control. L1 and L2 share
    // 943 476 5919; L3 has 654 100 3238, L4 671 668 9966.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM patient WHERE nhs_number IN ('9434765919', '6541003238', '6716689966')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 4);
}
