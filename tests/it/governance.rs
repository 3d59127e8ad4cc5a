//! Information governance (issue 16): restore that cannot destroy, private files, audit of what
//! leaves, reading commands that never create a database, formulas and escapes kept out. Through
//! the real binary where a user would meet it.

#![allow(clippy::unwrap_used)]

use crate::common;
use crate::common::db::delays_csv;

use common::cli::{demo, dtoc, run};
use common::db::dump;
use std::path::{Path, PathBuf};

fn stderr_of(db: &Path, args: &[&str]) -> String {
    let out = dtoc(db).args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} succeeded");
    String::from_utf8(out.stderr).unwrap()
}

/// Writes `body` to `file`, imports it as `kind` and returns the refusal (stderr).
fn import_refused(db: &Path, kind: &str, file: &Path, body: &str) -> String {
    std::fs::write(file, body).unwrap();
    stderr_of(db, &["import", kind, file.to_str().unwrap()])
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn kept_copies(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".before-restore-"))
        .collect()
}

/// A copy of a dtoc backup with its schema version set past this dtoc's.
fn newer_schema(backup: &Path, to: &Path) {
    std::fs::copy(backup, to).unwrap();
    let c = rusqlite::Connection::open(to).unwrap();
    c.execute_batch("PRAGMA user_version = 99").unwrap();
}

#[test]
fn restoring_a_bad_file_leaves_the_live_database_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let backup = dir.path().join("good.backup");
    run(&db, &["backup", backup.to_str().unwrap()]);
    let bytes = std::fs::read(&backup).unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let truncated = dir.path().join("truncated.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let random = dir.path().join("random.db");
    let noise: Vec<u8> = (0..65_536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&random, noise).unwrap();
    let newer = dir.path().join("newer.db");
    newer_schema(&backup, &newer);
    let plain_sqlite = dir.path().join("other.db");
    rusqlite::Connection::open(&plain_sqlite)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); PRAGMA user_version = 1;")
        .unwrap();
    let before = dump(&db);
    for (file, why) in [
        (&empty, "is empty (0 bytes)"),
        (&truncated, ""),
        (&random, ""),
        (&newer, "newer dtoc (schema version 99"),
        (&plain_sqlite, "not a whole dtoc database"),
    ] {
        let err = stderr_of(&db, &["restore", file.to_str().unwrap()]);
        assert!(err.contains("not restored"), "{err}");
        assert!(
            err.contains(&format!("the live database {} is unchanged", db.display())),
            "{err}"
        );
        assert!(err.contains(why), "{err}");
        assert_eq!(dump(&db), before, "{}", file.display());
        assert!(kept_copies(dir.path()).is_empty());
        // No temporary file left beside the database.
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
    // The register is still whole: `check` says ok and the delays are there.
    assert!(run(&db, &["check"]).ends_with(": ok\n"));
}

#[cfg(unix)]
#[test]
fn a_restore_keeps_the_live_database_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let backup = dir.path().join("monday.backup");
    run(&db, &["backup", backup.to_str().unwrap()]);
    assert_eq!(mode(&backup), 0o600);
    let before_restore = dump(&db);
    let o = dtoc(&db)
        .args(["restore", backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        out,
        format!("{} restored from {}\n", db.display(), backup.display())
    );
    let note = String::from_utf8(o.stderr).unwrap();
    let kept = kept_copies(dir.path());
    assert_eq!(kept.len(), 1, "{note}");
    assert_eq!(mode(&kept[0]), 0o600);
    let name = kept[0].file_name().unwrap().to_string_lossy().into_owned();
    // demo.db.before-restore-YYYYMMDDTHHMMSS
    let stamp = name.strip_prefix("demo.db.before-restore-").unwrap();
    assert_eq!(stamp.len(), 15);
    assert_eq!(&stamp[8..9], "T");
    assert!(
        note.contains(&format!("kept as {}", kept[0].display())),
        "{note}"
    );
    // The kept copy is the register as it was (its backup entry included).
    assert_eq!(dump(&kept[0]), before_restore);
    let audit = run(
        &db,
        &[
            "export",
            "audit",
            "--from",
            "2000-01-01",
            "--to",
            "2100-01-01",
            "--format",
            "csv",
        ],
    );
    assert!(
        audit
            .lines()
            .any(|l| l.contains(",restore,") && l.contains("monday.backup")),
        "{audit}"
    );
}

#[test]
fn backup_never_replaces_a_file_and_a_failed_one_leaves_none() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let existing = dir.path().join("exists.backup");
    std::fs::write(&existing, b"keep me").unwrap();
    let err = stderr_of(&db, &["backup", existing.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
    // A directory that does not exist: nothing written, nothing left.
    let nowhere = dir.path().join("no-such-dir").join("x.backup");
    stderr_of(&db, &["backup", nowhere.to_str().unwrap()]);
    assert!(!nowhere.exists());
    assert!(!dir.path().join("no-such-dir").exists());
}

#[test]
fn reading_commands_never_create_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo.db");
    let out = dir.path().join("x.csv");
    let backup = dir.path().join("b.backup");
    let o = out.to_str().unwrap();
    for args in [
        vec!["report", "monthly"],
        vec!["export", "patients", "--out", o],
        vec![
            "export",
            "audit",
            "--from",
            "2018-01-01",
            "--to",
            "2018-12-31",
        ],
        vec!["chart", "monthly", "--la", "E10000018", "--out", "c.svg"],
        vec!["check"],
        vec!["backup", backup.to_str().unwrap()],
    ] {
        let err = stderr_of(&db, &args);
        assert!(
            err.contains(&format!(
                "no database at {} (dtoc init creates one)",
                db.display()
            )),
            "{args:?}: {err}"
        );
        assert!(!db.exists(), "{args:?} created the database");
    }
}

#[cfg(unix)]
#[test]
fn every_patient_level_file_is_created_0600_under_umask_022() {
    // SAFETY: umask only sets this process's file-creation mask (inherited by the children).
    unsafe { libc::umask(0o022) };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    run(&db, &["init"]);
    run(
        &db,
        &[
            "import",
            "delays",
            common::db::fixture("delays.csv").to_str().unwrap(),
        ],
    );
    for f in ["new.db", "new.db-wal", "new.db-shm"] {
        let p = dir.path().join(f);
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{f}");
        }
    }
    assert_eq!(mode(&db), 0o600);
    let p = |n: &str| dir.path().join(n);
    run(&db, &["backup", p("b.backup").to_str().unwrap()]);
    run(
        &db,
        &["export", "patients", "--out", p("p.csv").to_str().unwrap()],
    );
    run(
        &db,
        &[
            "export",
            "patients",
            "--with-nhs-number",
            "--out",
            p("n.xlsx").to_str().unwrap(),
        ],
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
            p("a.csv").to_str().unwrap(),
        ],
    );
    for f in ["b.backup", "p.csv", "n.xlsx", "a.csv"] {
        assert_eq!(mode(&p(f)), 0o600, "{f}");
    }
    // An existing wider target is tightened, and the message says so.
    std::fs::write(p("wide.csv"), b"old").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p("wide.csv"), std::fs::Permissions::from_mode(0o666)).unwrap();
    }
    let out = run(
        &db,
        &[
            "export",
            "patients",
            "--out",
            p("wide.csv").to_str().unwrap(),
            // Replacing the existing file (issue 25: only with --force).
            "--force",
        ],
    );
    assert_eq!(mode(&p("wide.csv")), 0o600);
    assert!(out.contains("now owner-only (0600)"), "{out}");
    // The app's long-stay export.
    let mut app = common::populated_app(&dir);
    app.export_dir = dir.path().to_path_buf();
    common::chr(&mut app, '4');
    common::chr(&mut app, 'E');
    assert_eq!(mode(&p("dtoc-long-stay-2018-08-15.csv")), 0o600);
    // An aggregate export follows the umask.
    run(
        &db,
        &[
            "report",
            "monthly",
            "--format",
            "csv",
            "--out",
            p("m.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(mode(&p("m.csv")), 0o644);
}

#[test]
fn what_leaves_is_audited_with_who_what_rows_and_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let p = |n: &str| dir.path().join(n);
    let user = |args: &[&str]| {
        let o = dtoc(&db)
            .env_remove("USER")
            .env_remove("DTOC_USER")
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    user(&["export", "patients", "--out", p("p.csv").to_str().unwrap()]);
    user(&[
        "export",
        "patients",
        "--with-nhs-number",
        "--out",
        p("n.csv").to_str().unwrap(),
    ]);
    user(&["backup", p("b.backup").to_str().unwrap()]);
    let audit = run(
        &db,
        &[
            "export",
            "audit",
            "--from",
            "2000-01-01",
            "--to",
            "2100-01-01",
            "--format",
            "csv",
        ],
    );
    let lines: Vec<&str> = audit.lines().filter(|l| l.contains(",file,")).collect();
    assert_eq!(lines.len(), 3, "{audit}");
    assert!(
        lines[0].contains("patients without NHS numbers") && lines[0].contains("p.csv"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(" rows, "), "{}", lines[0]);
    assert!(
        lines[1].contains("patients with NHS numbers") && lines[1].contains("n.csv"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains(",backup,") && lines[2].contains("b.backup"),
        "{}",
        lines[2]
    );
    for l in &lines {
        assert!(!l.contains("unknown"), "{l}");
    }
}

#[test]
fn formulas_never_reach_a_csv_and_escapes_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    run(&db, &["init"]);
    let csv = dir.path().join("d.csv");
    std::fs::write(
        &csv,
        delays_csv(&[
            "+cmd|' /C calc'!A0,,RX1,@SUM(1+1)*cmd,acute,E10000018,2018-07-01,2018-07-05,,A,NHS,,",
        ]),
    )
    .unwrap();
    run(&db, &["import", "delays", csv.to_str().unwrap()]);
    let out = dir.path().join("p.csv");
    run(&db, &["export", "patients", "--out", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("'+cmd|' /C calc'!A0"), "{text}");
    assert!(text.contains("'@SUM(1+1)*cmd"), "{text}");
    for line in text.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']), "{line}");
        }
    }
    // A local id with escapes or a newline is refused, and the message shows it escaped.
    std::fs::write(
        &csv,
        delays_csv(&[
            "\"E\x1b]0;PWN\x07\x1b[2J\",,RX1,RX1,acute,E10000018,2018-07-01,2018-07-05,,A,NHS,,",
            "\"P1\nP2\",,RX1,RX1,acute,E10000018,2018-07-01,2018-07-05,,A,NHS,,",
        ]),
    )
    .unwrap();
    let err = stderr_of(&db, &["import", "delays", csv.to_str().unwrap()]);
    assert!(!err.contains('\x1b') && !err.contains("P1\nP2"), "{err:?}");
    assert!(err.contains("E\\x1b]0;PWN\\x07"), "{err}");
    assert!(err.contains("P1\\x0aP2"), "{err}");
}

#[test]
fn absurd_targets_and_months_are_refused_and_charts_never_spin() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let t = dir.path().join("t.csv");
    for (body, says) in [
        (
            "E10000018,2018-07,total,per_100k_day,1e308",
            "a target over 10000 per_100k_day is not plausible",
        ),
        (
            "E10000018,0000-01,total,per_100k_day,5",
            "is before 1990-01: not a plausible month",
        ),
        (
            "E10000018,9999-12,total,per_100k_day,5",
            "is outside 1990-01 to 2020-08: not a plausible month",
        ),
    ] {
        let csv = format!("la_code,month,measure,unit,value\n{body}\n");
        let err = import_refused(&db, "targets", &t, &csv);
        assert!(err.contains(says), "{body}: {err}");
    }
    let r = dir.path().join("r.csv");
    let csv = "month,la_code,measure,delayed_days\n9999-12,E10000018,total,5\n";
    let err = import_refused(&db, "reported", &r, csv);
    assert!(err.contains("not a plausible month"), "{err}");
}

#[test]
fn published_files_without_rows_or_columns_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let f = dir.path().join("DToC_Days_Responsible_Organisation.csv");
    let csv = "\"Name\",\"NHS\",\"Social Care\",\"Both\",\"Period_year\"\n";
    let err = import_refused(&db, "published", &f, csv);
    assert!(err.contains("has a header but no data rows"), "{err}");
    let csv =
        "\"Name\",\"NHS\",\"Social Care\",\"Period_year\"\n\"England\",\"1\",\"2\",\"July 2018\"\n";
    let err = import_refused(&db, "published", &f, csv);
    assert!(err.contains("no column `Both`"), "{err}");
}

#[test]
fn a_header_of_a_million_unknown_columns_gives_a_short_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let f = dir.path().join("wide.csv");
    let mut header = String::from("local_id");
    for i in 0..1_000_000 {
        header.push_str(&format!(",c{i}"));
    }
    let err = import_refused(&db, "delays", &f, &format!("{header}\n"));
    assert!(err.len() < 2_000, "{} bytes", err.len());
    assert!(err.contains("more"), "{err}");
}

#[test]
fn the_app_never_prints_a_stored_control_character() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open_store(&dir);
    common::populate(&mut store);
    // An id stored before the rule (or written by another tool) with escapes in it.
    store
        .execute_raw_for_tests(
            "UPDATE patient SET local_id = 'H001' || char(27) || ']0;PWN' || char(7) || char(27) || '[2J' WHERE local_id = 'H001'",
        )
        .unwrap();
    let mut app = dtoc::ui::app::App::new(store, common::today());
    for key in ['1', '2', '3', '4'] {
        common::chr(&mut app, key);
        let screen = common::draw(&app, 120, 40);
        assert!(
            !screen.chars().any(|c| c.is_control() && c != '\n'),
            "{key}: {screen:?}"
        );
    }
    common::chr(&mut app, '4');
    let screen = common::draw(&app, 120, 40);
    // The id whole (issue 15: identifiers are never cut), its control characters dropped.
    assert!(screen.contains("H001]0;PWN[2J "), "{screen}");
}

#[test]
fn an_nhs_number_in_a_stays_pathway_is_hidden() {
    let csv = "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination\n\
               S1,,RX1,E10000018,2018-07-01,2018-07-10,9434765919,home\n";
    let err = dtoc::import::read_stays_bytes("stays.csv", csv.as_bytes(), common::today())
        .unwrap_err()
        .to_string();
    assert!(!err.contains("9434765919"), "{err}");
    // Refused as an NHS number outside its column (issue 25), shown masked.
    assert!(
        err.contains("pathway: looks like an NHS number (*** *** 5919)"),
        "{err}"
    );
}

#[test]
fn an_authority_name_formula_reaches_no_aggregate_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let pop = dir.path().join("pop.csv");
    std::fs::write(
        &pop,
        "la_code,la_name,year,population_18plus\nE10000018,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",2018,550000\n",
    )
    .unwrap();
    run(&db, &["import", "population", pop.to_str().unwrap()]);
    let csv = run(
        &db,
        &[
            "report", "monthly", "--from", "2018-07", "--to", "2018-07", "--format", "csv",
        ],
    );
    assert!(csv.contains("'=HYPERLINK("), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK(") && !csv.contains(",\"=HYPERLINK("),
        "{csv}"
    );
    let out = dir.path().join("sitrep");
    run(
        &db,
        &[
            "export",
            "sitrep",
            "--month",
            "2018-07",
            "--out-dir",
            out.to_str().unwrap(),
        ],
    );
    for f in std::fs::read_dir(&out).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        assert!(
            !text.contains(",=HYPERLINK(") && !text.contains(",\"=HYPERLINK("),
            "{text}"
        );
    }
}

#[test]
fn sign_off_names_notes_and_reasons_refuse_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let before = dump(&db);
    for args in [
        vec![
            "signoff", "--week", "2018-W27", "--side", "nhs", "--by", "A\x1b[2J",
        ],
        vec![
            "signoff",
            "--week",
            "2018-W27",
            "--side",
            "nhs",
            "--by",
            "A",
            "--comment",
            "x\x1b]0;t\x07",
        ],
        vec!["reopen", "--week", "2018-W27", "--reason", "a\nb"],
    ] {
        let err = stderr_of(&db, &args);
        assert!(
            err.contains("has a control character") || err.contains("has a line break"),
            "{args:?}: {err}"
        );
        assert!(!err.contains('\x1b'), "{err:?}");
    }
    assert_eq!(dump(&db), before);
}
