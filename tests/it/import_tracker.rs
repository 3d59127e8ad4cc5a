//! `dtoc import tracker` (issue 26, item 8): a hub's own Excel tracker, written here with
//! rust_xlsxwriter (two sheets, merged title rows above the header, Excel date cells, serial
//! numbers and UK text dates), read through a column mapping suggested from its headers, shown
//! first, and imported by the delays import's own path: the same register as the equivalent
//! delays CSV, refusals named by file, sheet, row and header, NHS numbers never shown whole; the
//! mapping kept in the database and written as TOML; the app's Settings form doing the same.
#![allow(clippy::unwrap_used)]

use crate::common;
use common::cli::dtoc_on;
use common::db::dump;
use crossterm::event::KeyCode;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};

const TODAY: &str = "2018-08-15";
/// A valid NHS number (check digit right): it must never appear whole in any output.
const NHS: &str = "9434765919";

/// A cell of the tracker as a hub types it.
enum C {
    T(&'static str),
    /// An Excel date cell (a serial number with a date format).
    D(u16, u8, u8),
    /// A bare serial number (a date cell whose format was lost).
    N(f64),
    E,
}

const HEADER: [&str; 12] = [
    "Hosp No",
    "NHS No",
    "Site",
    "LA",
    "Admitted",
    "Date MFFD",
    "Delay reason",
    "Responsible",
    "Ward",
    "EDD",
    "Pathway",
    "Notes",
];

/// The tracker's rows (after the header on row 3): each date is typed a different way. Row 7
/// is left blank, as trackers have.
fn good_rows() -> Vec<Vec<C>> {
    use C::*;
    vec![
        vec![
            T("H1001"),
            T("943 476 5919"),
            T("RX1"),
            T("E10000018"),
            D(2018, 6, 20),
            T("03/07/18"),
            T("Di - awaiting residential home"),
            T("Social Care"),
            T("Ward 7"),
            T("20/08/2018"),
            T("3"),
            T("family visiting"),
        ],
        vec![
            T("H1002"),
            E,
            T("RX1"),
            T("E10000018"),
            // 43282 is 1 July 2018.
            N(43282.0),
            D(2018, 7, 10),
            T("A"),
            T("NHS"),
            T("Ward 10"),
            E,
            T("1"),
            E,
        ],
        vec![
            T("H1003"),
            E,
            T("RX1"),
            T("E06000017"),
            T("01/06/2018"),
            // 43266 is 15 June 2018.
            N(43266.0),
            T("Dii"),
            T("Both"),
            T("Ward 7"),
            E,
            E,
            E,
        ],
        vec![],
        vec![
            T("H1004"),
            E,
            T("RX1"),
            T("E10000018"),
            T("2018-07-25"),
            T("1/8/18"),
            T("B - public funding"),
            T("social"),
            T("Ward 7"),
            D(2018, 8, 20),
            E,
            E,
        ],
    ]
}

/// The same four delays as a delays CSV.
const SAME_AS_CSV: &str = "\
local_id,nhs_number,provider,site,setting,la_code,admitted_on,delay_start,delay_end,reason,attribution,discharged_on,pathway,planned_pathway,ward,expected_on
H1001,9434765919,RWE,RX1,acute,E10000018,2018-06-20,2018-07-03,,Di,social_care,,,3,Ward 7,2018-08-20
H1002,,RWE,RX1,acute,E10000018,2018-07-01,2018-07-10,,A,nhs,,,1,Ward 10,
H1003,,RWE,RX1,acute,E06000017,2018-06-01,2018-06-15,,Dii,both,,,,Ward 7,
H1004,,RWE,RX1,acute,E10000018,2018-07-25,2018-08-01,,B,social_care,,,,Ward 7,2018-08-20
";

/// Writes the tracker workbook: a "Read me" sheet first (merged title, no header), then
/// "Delays" with two merged title rows above the header on row 3 and `rows` below it.
fn write_tracker(path: &Path, rows: &[Vec<C>]) {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let readme = wb.add_worksheet();
    readme.set_name("Read me").unwrap();
    readme
        .merge_range(0, 0, 0, 5, "Discharge tracker: how to use it", &title)
        .unwrap();
    readme
        .write_string(
            2,
            0,
            "One row per delayed patient; the coordinator updates it daily.",
        )
        .unwrap();
    let sheet = wb.add_worksheet();
    sheet.set_name("Delays").unwrap();
    sheet
        .merge_range(
            0,
            0,
            0,
            11,
            "Royal Infirmary: delayed transfers of care",
            &title,
        )
        .unwrap();
    sheet
        .merge_range(
            1,
            0,
            1,
            11,
            "Updated daily by the discharge hub",
            &Format::new(),
        )
        .unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                C::T(s) => {
                    sheet.write_string(r, c, *s).unwrap();
                }
                C::D(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    sheet.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
                C::N(n) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                C::E => {}
            }
        }
    }
    wb.save(path).unwrap();
}

/// A new empty database in `dir`.
fn new_db(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    let db = dir.path().join(name);
    let out = dtoc_on(&db, TODAY).arg("init").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// Runs dtoc on `db` with `args`: (success, stdout, stderr); no output ever holds the NHS number.
fn run(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = dtoc_on(db, TODAY).args(args).output().unwrap();
    let (so, se) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    for s in [&so, &se] {
        assert!(!s.contains(NHS) && !s.contains("943 476 5919"), "{s}");
    }
    (out.status.success(), so, se)
}

/// The register: every table but the audit log (which names the file imported) and `meta`
/// (which keeps the tracker's mapping).
fn register(db: &Path) -> Vec<String> {
    dump(db)
        .into_iter()
        .filter(|l| !l.starts_with("audit_log") && !l.starts_with("meta"))
        .filter(|l| !l.starts_with("table audit_log") && !l.starts_with("table meta"))
        .collect()
}

#[test]
fn a_tracker_imports_as_the_same_register_as_its_delays_csv() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("tracker.xlsx");
    write_tracker(&xlsx, &good_rows());
    let csv = dir.path().join("same.csv");
    std::fs::write(&csv, SAME_AS_CSV).unwrap();

    let by_tracker = new_db(&dir, "tracker.db");
    let x = xlsx.to_str().unwrap();
    let (ok, out, err) = run(
        &by_tracker,
        &[
            "import",
            "tracker",
            x,
            "--set",
            "provider=RWE",
            "--set",
            "setting=acute",
            "--yes",
        ],
    );
    assert!(ok, "{out}\n{err}");
    // How it was read: the sheet with the header (not the "Read me" before it), its row below
    // the merged titles, each column and its header, the set values, what is not read.
    for want in [
        "tracker.xlsx, sheet Delays: header on row 3; mapping suggested from the headers",
        "  local_id         <- Hosp No",
        "  nhs_number       <- NHS No",
        "  provider         =  RWE (every row)",
        "  delay_start      <- Date MFFD",
        "  reason           <- Delay reason",
        "  attribution      <- Responsible",
        "  planned_pathway  <- Pathway",
        "  expected_on      <- EDD",
        "Not read: Notes",
        "UK dates, day/month/year",
        "The first rows as dtoc reads them (4 of 4):",
        "4 rows read, none refused: ready to import.",
        "Imported tracker.xlsx, sheet Delays: 4 rows: 4 added, 0 updated, 0 unchanged",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    // The preview's rows: the sheet's row numbers, the dates as read, the NHS number masked.
    let row4 = out.lines().find(|l| l.starts_with("4 ")).unwrap();
    assert!(row4.contains("*** *** 5919"), "{row4}");
    assert!(
        row4.contains("2018-06-20") && row4.contains("2018-07-03"),
        "{row4}"
    );
    assert!(
        row4.contains("Di ") && row4.contains("social_care"),
        "{row4}"
    );
    let row8 = out.lines().find(|l| l.starts_with("8 ")).unwrap();
    assert!(
        row8.contains("2018-07-25") && row8.contains("2018-08-01"),
        "{row8}"
    );

    let by_csv = new_db(&dir, "csv.db");
    let (ok, _, err) = run(&by_csv, &["import", "delays", csv.to_str().unwrap()]);
    assert!(ok, "{err}");
    let (a, b) = (register(&by_tracker), register(&by_csv));
    assert!(
        a.iter().any(|l| l.starts_with("table delay: 4 rows")),
        "{a:#?}"
    );
    assert_eq!(a, b);
    // The same delayed days in the report, and a clean check.
    let report = |db: &Path| {
        run(
            db,
            &["report", "monthly", "--from", "2018-06", "--format", "csv"],
        )
        .1
    };
    assert_eq!(report(&by_tracker), report(&by_csv));
    let (ok, out, err) = run(&by_tracker, &["check"]);
    assert!(ok, "{out}\n{err}");
}

#[test]
fn refused_rows_are_listed_by_row_and_header_and_nothing_is_imported() {
    use C::*;
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("tracker.xlsx");
    let mut rows = good_rows();
    // Row 5: 31 February; row 6: D without saying which; row 8: an NHS number as the local id.
    rows[1][5] = T("31/02/18");
    rows[2][6] = T("D - awaiting care home");
    rows[4][0] = T(NHS);
    write_tracker(&xlsx, &rows);
    let db = new_db(&dir, "dtoc.db");
    let before = dump(&db);
    let x = xlsx.to_str().unwrap();
    for extra in [&["--dry-run"][..], &["--yes"][..]] {
        let mut args = vec![
            "import",
            "tracker",
            x,
            "--set",
            "provider=RWE",
            "--set",
            "setting=acute",
        ];
        args.extend(extra);
        let (ok, out, err) = run(&db, &args);
        assert!(!ok, "{args:?} succeeded:\n{out}");
        for want in [
            "tracker.xlsx, sheet Delays, row 5, Date MFFD 31/02/18: not a date",
            "tracker.xlsx, sheet Delays, row 6, Delay reason D - awaiting care home: not a reason code (D is Di",
            "tracker.xlsx, sheet Delays, row 8, Hosp No: looks like an NHS number (*** *** 5919)",
            "Nothing can be imported: 3 rows refused",
        ] {
            assert!(out.contains(want), "missing {want:?} in:\n{out}");
        }
        // The good row is still shown as read.
        assert!(
            out.lines()
                .any(|l| l.starts_with("4 ") && l.contains("H1001")),
            "{out}"
        );
        assert!(
            err.contains("nothing imported from tracker.xlsx, sheet Delays"),
            "{err}"
        );
        assert_eq!(dump(&db), before);
    }
    // A row the delays rules refuse (ready before admitted) is named by its sheet row too.
    let mut rows = good_rows();
    rows[2][5] = T("01/05/2018");
    write_tracker(&xlsx, &rows);
    let (ok, out, _) = run(
        &db,
        &[
            "import",
            "tracker",
            x,
            "--set",
            "provider=RWE",
            "--set",
            "setting=acute",
            "--yes",
        ],
    );
    assert!(!ok);
    let line = out
        .lines()
        .find(|l| l.contains("row 6"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.starts_with("  tracker.xlsx, sheet Delays, row 6"),
        "{line}"
    );
    assert_eq!(dump(&db), before);
}

#[test]
fn without_yes_or_a_terminal_nothing_is_imported_and_a_dry_run_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("tracker.xlsx");
    write_tracker(&xlsx, &good_rows());
    let db = new_db(&dir, "dtoc.db");
    let before = dump(&db);
    let x = xlsx.to_str().unwrap();
    let set = ["--set", "provider=RWE", "--set", "setting=acute"];
    let (ok, out, err) = run(
        &db,
        &[&["import", "tracker", x][..], &set, &["--dry-run"]].concat(),
    );
    assert!(ok, "{err}");
    assert!(
        out.ends_with("4 rows read, none refused: ready to import.\nDry run: nothing imported.\n"),
        "{out}"
    );
    let (ok, _, err) = run(&db, &[&["import", "tracker", x][..], &set].concat());
    assert!(!ok);
    assert!(
        err.contains("nothing imported: no terminal to confirm on; add --yes"),
        "{err}"
    );
    assert_eq!(dump(&db), before);
    // Without provider and type of care (and no site known yet), the preview says what is missing.
    let (ok, out, _) = run(&db, &["import", "tracker", x, "--dry-run"]);
    assert!(!ok);
    assert!(
        out.contains("Needed on every row, but no header gives it: provider, setting."),
        "{out}"
    );
    // The first sheet has no header: said, with the way out.
    let (ok, _, err) = run(
        &db,
        &["import", "tracker", x, "--sheet", "read me", "--dry-run"],
    );
    assert!(!ok);
    assert!(
        err.contains("tracker.xlsx, sheet Read me: no header row found in the first 50 rows"),
        "{err}"
    );
    let (ok, _, err) = run(
        &db,
        &["import", "tracker", x, "--sheet", "July", "--dry-run"],
    );
    assert!(!ok);
    assert!(
        err.contains("has no sheet `July` (its sheets: Read me, Delays)"),
        "{err}"
    );
}

#[test]
fn the_mapping_is_saved_as_toml_and_kept_in_the_database_for_next_time() {
    let dir = tempfile::tempdir().unwrap();
    // A CSV tracker whose local id header no table knows, with `;` between columns.
    let csv = dir.path().join("tracker.csv");
    std::fs::write(
        &csv,
        "Our tracker;;;\n\
         Patient ref;Site;LA;Admitted;MFFD;Reason;Responsible\n\
         H2001;RX1;E10000018;20/06/2018;03/07/18;Di;Social Care\n",
    )
    .unwrap();
    let db = new_db(&dir, "dtoc.db");
    let c = csv.to_str().unwrap();
    let map = dir.path().join("map.toml");
    let m = map.to_str().unwrap();
    let set = ["--set", "provider=RWE", "--set", "setting=acute"];
    let (ok, out, _) = run(
        &db,
        &[
            &["import", "tracker", c, "--dry-run", "--save-mapping", m][..],
            &set,
        ]
        .concat(),
    );
    assert!(!ok);
    assert!(
        out.contains("Needed on every row, but no header gives it: local_id."),
        "{out}"
    );
    assert!(out.contains("Not read: Patient ref"), "{out}");
    let text = std::fs::read_to_string(&map).unwrap();
    assert!(
        text.contains("[columns]\n") && text.contains("delay_start = \"MFFD\""),
        "{text}"
    );
    // The coordinator names the header in the file, and imports with it.
    let text = text.replace("[columns]\n", "[columns]\nlocal_id = \"Patient ref\"\n");
    std::fs::write(&map, text).unwrap();
    let (ok, out, err) = run(
        &db,
        &[&["import", "tracker", c, "--mapping", m, "--yes"][..], &set].concat(),
    );
    assert!(ok, "{out}\n{err}");
    assert!(
        out.contains("tracker.csv: header on row 2; mapping from map.toml"),
        "{out}"
    );
    assert!(out.contains("  local_id         <- Patient ref"), "{out}");
    assert!(out.contains("1 row: 1 added"), "{out}");
    // Next time: no --mapping, no --set: the database kept the mapping (with its fixed values),
    // and a new row is added.
    std::fs::write(
        &csv,
        "Our tracker;;;\n\
         Patient ref;Site;LA;Admitted;MFFD;Reason;Responsible\n\
         H2001;RX1;E10000018;20/06/2018;03/07/18;Di;Social Care\n\
         H2002;RX1;E10000018;01/08/2018;10/08/18;A;NHS\n",
    )
    .unwrap();
    let (ok, out, err) = run(&db, &["import", "tracker", c, "--yes"]);
    assert!(ok, "{out}\n{err}");
    assert!(
        out.contains("mapping saved in the database by the last tracker import"),
        "{out}"
    );
    assert!(
        out.contains("2 rows: 1 added, 0 updated, 1 unchanged"),
        "{out}"
    );
    // A file the saved mapping does not fit: suggested again, and said why; RX1 is now a site
    // of the register, so its provider and type of care need no --set.
    let other = dir.path().join("other.csv");
    std::fs::write(
        &other,
        "Hosp No,Site,LA,Admitted,Date MFFD,Delay reason,Responsible\n\
         H2003,rx1,E10000018,02/08/2018,12/08/18,Dii,Both\n",
    )
    .unwrap();
    let (ok, out, err) = run(
        &db,
        &["import", "tracker", other.to_str().unwrap(), "--yes"],
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("mapping suggested from the headers (the saved one does not fit: the mapping reads `MFFD`, `Patient ref`"), "{out}");
    assert!(
        out.contains("  provider         =  the site's, from Settings"),
        "{out}"
    );
    assert!(out.contains("1 row: 1 added"), "{out}");
    // A mapping naming a column the delays file does not have is refused, with the columns.
    std::fs::write(&map, "[columns]\nhosp = \"Hosp No\"\n").unwrap();
    let (ok, _, err) = run(&db, &["import", "tracker", c, "--mapping", m, "--dry-run"]);
    assert!(!ok);
    assert!(
        err.contains("map.toml: [columns] names `hosp`, not a column of the delays file"),
        "{err}"
    );
}

#[test]
fn settings_imports_a_tracker_after_showing_it() {
    use C::*;
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::populated_app(&dir);
    let before = app.data.delays.len();
    // Sites and authorities by their names, as the register knows them: RX1 is the Royal
    // Infirmary of RWE, acute.
    let xlsx = dir.path().join("tracker.xlsx");
    let mut rows = good_rows();
    for r in rows.iter_mut().filter(|r| !r.is_empty()) {
        r[2] = T("Royal Infirmary");
        r[0] = match r[0] {
            T("H1001") => T("H9001"),
            T("H1002") => T("H9002"),
            T("H1003") => T("H9003"),
            _ => T("H9004"),
        };
        r[1] = E;
    }
    rows[0][3] = T("Leicestershire");
    write_tracker(&xlsx, &rows);
    common::chr(&mut app, '6');
    common::chr(&mut app, 'i');
    assert!(app.form.is_some(), "i opens the tracker import");
    common::typ(&mut app, xlsx.to_str().unwrap());
    common::press(&mut app, KeyCode::Enter);
    let form = &app
        .form
        .as_ref()
        .expect("the preview keeps the form open")
        .form;
    let note = form.note.clone().unwrap_or_default();
    assert!(
        note.contains("tracker.xlsx, sheet Delays: header on row 3"),
        "{note}"
    );
    assert!(
        note.contains(
            "Columns: Hosp No -> local_id, NHS No -> nhs_number, provider = the site's, \
             Site -> site, setting = the site's"
        ),
        "{note}"
    );
    assert!(note.contains("row 4: local_id H9001"), "{note}");
    assert!(
        note.contains("4 rows read, none refused: ready to import."),
        "{note}"
    );
    assert_eq!(
        app.data.delays.len(),
        before,
        "nothing imported by the preview"
    );
    let screen = common::draw(&app, 80, 24);
    assert!(screen.contains("ready to import"), "{screen}");
    common::press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert_eq!(app.data.delays.len(), before + 4);
    let msg = format!("{:?}", app.message);
    assert!(
        msg.contains("Imported tracker.xlsx, sheet Delays: 4 rows: 4 added"),
        "{msg}"
    );
    let leics = app
        .data
        .delays
        .iter()
        .filter(|d| d.local_id == "H9001")
        .map(|d| (d.site_code.clone(), d.la_code.to_string()))
        .collect::<Vec<_>>();
    assert_eq!(leics, [("RX1".to_string(), "E10000018".to_string())]);

    // A refused row: the form shows it and stays open; Enter again reads it again.
    rows[1][5] = T("31/02/18");
    let bad = dir.path().join("bad.xlsx");
    write_tracker(&bad, &rows);
    common::chr(&mut app, 'i');
    common::typ(&mut app, bad.to_str().unwrap());
    common::press(&mut app, KeyCode::Enter);
    common::press(&mut app, KeyCode::Enter);
    let form = &app.form.as_ref().unwrap().form;
    let err = form.error.clone().unwrap_or_default();
    assert!(
        err.contains("bad.xlsx, sheet Delays, row 5, Date MFFD 31/02/18: not a date"),
        "{err}"
    );
    assert!(
        err.contains("Nothing can be imported: 1 row refused"),
        "{err}"
    );
    assert_eq!(app.data.delays.len(), before + 4);
}
