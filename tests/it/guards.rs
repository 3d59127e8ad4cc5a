//! Issue 25, items 5 and 6: no NHS number outside its own column (imports, `--user`, a sign-off's
//! comment), bounded names and comments, no bidirectional control characters; and the paths and
//! files guards (no database created by a writing command, a 0-byte file refused, imports that
//! refuse a FIFO, a device or a directory and read at most `--max-bytes`, exports that never
//! follow a symbolic link nor replace a file without `--force`). Through the binary, as probed.

use crate::common::cli::{demo, dtoc};
use std::path::Path;

/// A valid NHS number, in the three forms an NHS number may be typed.
const NHS: &str = "9434765919";
const FORMS: [&str; 3] = ["9434765919", "943 476 5919", "943-476-5919"];

/// Runs `args` on `db`, expecting failure: its stderr.
fn refused(db: &Path, args: &[&str]) -> String {
    let out = dtoc(db).args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success(), "{args:?} was accepted: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    stderr
}

/// The message names the column, says what the value looks like and shows it masked, never whole.
fn assert_masked(msg: &str, column: &str) {
    assert!(
        msg.contains(&format!(
            ", {column}: looks like an NHS number (*** *** 5919)"
        )),
        "{column}: {msg}"
    );
    for f in FORMS {
        assert!(!msg.contains(f), "{column}: the message shows {f}: {msg}");
    }
}

/// Imports `text` as `kind` (written to `name` beside the database), expecting a refusal.
fn import_refused(db: &Path, kind: &str, name: &str, text: &str) -> String {
    let file = db.with_file_name(name);
    std::fs::write(&file, text).unwrap();
    refused(db, &["import", kind, file.to_str().unwrap()])
}

/// A delays file of one good row, with `value` in `column` (an optional column is added).
fn delays_with(column: &str, value: &str) -> String {
    let mut header: Vec<&str> = crate::common::db::DELAYS_HEADER.split(',').collect();
    let mut row: Vec<String> = "P900,,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-03,,B,NHS,,"
        .split(',')
        .map(String::from)
        .collect();
    match header.iter().position(|h| *h == column) {
        Some(i) => row[i] = value.to_string(),
        None => {
            header.push(column);
            row.push(value.to_string());
        }
    }
    format!("{}\n{}\n", header.join(","), row.join(","))
}

#[test]
fn an_nhs_number_in_any_other_column_of_a_delays_file_is_refused_masked() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    for column in [
        "local_id",
        "provider",
        "site",
        "setting",
        "reason",
        "attribution",
        "ward",
        "bed",
        "acute_reason",
        "destination",
        "was_local_id",
    ] {
        for form in FORMS {
            let msg = import_refused(&db, "delays", "d.csv", &delays_with(column, form));
            assert!(msg.contains("d.csv line 2"), "{column}: {msg}");
            assert_masked(&msg, column);
        }
    }
    // Inside other text too, and the NHS number's own column still takes it.
    let msg = import_refused(
        &db,
        "delays",
        "d.csv",
        &delays_with("ward", "Ward 9434765919"),
    );
    assert_masked(&msg, "ward");
    let good = delays_with("nhs_number", NHS);
    let file = dir.path().join("good.csv");
    std::fs::write(&file, good).unwrap();
    let out = dtoc(&db)
        .args(["import", "delays", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_nhs_number_in_stays_populations_targets_and_reported_files_is_refused_masked() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let stays = "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination,usual_residence,ward,bed";
    let good_stay = "S900,,RWE01,E10000018,2018-05-01,2018-05-09,0,p0_home,yes,W1,B1";
    for (i, column) in ["local_id", "site", "ward", "bed"].iter().enumerate() {
        let at = [0, 2, 9, 10][i];
        let mut row: Vec<&str> = good_stay.split(',').collect();
        row[at] = "943 476 5919";
        let msg = import_refused(
            &db,
            "stays",
            "s.csv",
            &format!("{stays}\n{}\n", row.join(",")),
        );
        assert!(msg.contains("s.csv line 2"), "{msg}");
        assert_masked(&msg, column);
    }
    let msg = import_refused(
        &db,
        "population",
        "p.csv",
        "la_code,la_name,year,population_18plus\nE10000018,943-476-5919,2018,543600\n",
    );
    assert!(msg.contains("p.csv line 2"), "{msg}");
    assert_masked(&msg, "la_name");
    let msg = import_refused(
        &db,
        "targets",
        "t.csv",
        "la_code,month,measure,unit,value\nE10000018,2018-04,9434765919,per_100k_month,320\n",
    );
    assert_masked(&msg, "measure");
    let msg = import_refused(
        &db,
        "discharge-targets",
        "dt.csv",
        "la_code,month,measure,percent\nE10000018,2018-04,9434765919,45\n",
    );
    assert_masked(&msg, "measure");
    let msg = import_refused(
        &db,
        "reported",
        "r.csv",
        "month,local_id,date,reason,attribution\n2018-07,9434765919,2018-07-02,B,NHS\n",
    );
    assert_masked(&msg, "local_id");
}

#[test]
fn a_bidirectional_control_character_is_refused_like_other_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    for c in ['\u{202E}', '\u{2066}', '\u{200F}'] {
        let msg = import_refused(
            &db,
            "delays",
            "d.csv",
            &delays_with("ward", &format!("W{c}1")),
        );
        assert!(msg.contains("d.csv line 2, ward"), "{msg}");
        assert!(msg.contains("bidirectional control character"), "{msg}");
        assert!(!msg.contains(c), "shown raw: {msg}");
    }
    let msg = refused(
        &db,
        &[
            "--user",
            "ann\u{202E}",
            "reopen",
            "--week",
            "2018-W27",
            "--reason",
            "x",
        ],
    );
    assert!(msg.contains("bidirectional"), "{msg}");
}

#[test]
fn a_user_or_comment_holding_an_nhs_number_empty_or_too_long_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let sign = |user: &str, comment: &str| {
        let args = [
            "--user",
            user,
            "signoff",
            "--week",
            "2018-W27",
            "--side",
            "nhs",
            "--by",
            "Ann",
            "--comment",
            comment,
        ];
        refused(&db, &args)
    };
    for form in FORMS {
        let msg = sign(form, "ok");
        assert!(
            msg.contains("the user name looks like an NHS number (*** *** 5919)"),
            "{msg}"
        );
        assert!(!msg.contains(form), "{msg}");
        let msg = sign("ann", &format!("called about {form}"));
        assert!(
            msg.contains("the comment looks like an NHS number (*** *** 5919)"),
            "{msg}"
        );
        assert!(!msg.contains(form), "{msg}");
    }
    let msg = sign("", "ok");
    assert!(msg.contains("the user name is empty"), "{msg}");
    let msg = sign("  ", "ok");
    assert!(msg.contains("the user name is empty"), "{msg}");
    let msg = sign(&"u".repeat(70_000), "ok");
    assert!(
        msg.contains("the user name is longer than 64 characters"),
        "{}",
        &msg[..msg.len().min(300)]
    );
    assert!(msg.len() < 300, "the message repeats the value");
    let msg = sign("ann", &"c".repeat(501));
    assert!(
        msg.contains("the comment is longer than 500 characters"),
        "{msg}"
    );
    // At the limits, both are accepted (and none of the refused sign-offs was stored: the NHS
    // side signs now for the first time).
    let ok = dtoc(&db)
        .args([
            "--user",
            &"u".repeat(64),
            "signoff",
            "--week",
            "2018-W27",
            "--side",
            "nhs",
            "--by",
            "Ann",
            "--comment",
            &"c".repeat(500),
        ])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

#[test]
fn export_audit_as_a_table_writes_a_70000_character_stored_user_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    // A value stored before the bound existed (or by another tool).
    let store = dtoc::store::Store::open(&db).unwrap();
    let long = "u".repeat(70_000);
    store
        .execute_raw_for_tests(&format!(
            "INSERT INTO audit_log (at, user, entity, entity_id, action, field, old_value, new_value)
             SELECT at, '{long}', entity, entity_id, action, field, old_value, new_value
             FROM audit_log ORDER BY id DESC LIMIT 1"
        ))
        .unwrap();
    drop(store);
    let out = dtoc(&db)
        .args([
            "export",
            "audit",
            "--from",
            "1990-01-01",
            "--to",
            "2099-12-31",
            "--format",
            "table",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&long));
}

#[test]
fn populations_outside_plausible_bounds_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    for pop in ["1", "999", "9223372036854775807", "5000001"] {
        let msg = import_refused(
            &db,
            "population",
            "p.csv",
            &format!(
                "la_code,la_name,year,population_18plus\nE06000053,Isles of Scilly,2018,{pop}\n"
            ),
        );
        assert!(
            msg.contains("p.csv line 2, population_18plus")
                && msg.contains(
                    "is not a plausible adult population for E06000053 (from 1000 to 5000000)"
                ),
            "{pop}: {msg}"
        );
    }
    // The smallest authority and the largest county are plausible.
    let f = dir.path().join("ok.csv");
    std::fs::write(
        &f,
        "la_code,la_name,year,population_18plus\nE06000053,Isles of Scilly,2018,1800\nE10000016,Kent,2018,1250000\n",
    )
    .unwrap();
    crate::common::cli::run(&db, &["import", "population", f.to_str().unwrap()]);
}

/// Runs `args` with a guard of 30 seconds (a FIFO must not hang the test), expecting failure.
pub(crate) fn refused_soon(db: &Path, args: &[&str]) -> String {
    let out = dtoc(db)
        .args(args)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        out.status.code() == Some(1),
        "{args:?}: {:?} {stderr}",
        out.status
    );
    stderr
}

#[test]
fn an_import_refuses_a_fifo_a_device_a_directory_and_a_file_over_max_bytes_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let fifo = dir.path().join("pipe.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let fifo = fifo.to_str().unwrap();
    let msg = refused_soon(&db, &["import", "delays", fifo]);
    assert!(
        msg.contains("pipe.csv: is not a regular file (a FIFO, a device or a socket)"),
        "{msg}"
    );
    let msg = refused_soon(&db, &["import", "population", "/dev/zero"]);
    assert!(msg.contains("zero: is not a regular file"), "{msg}");
    let sub = dir.path().join("folder");
    std::fs::create_dir(&sub).unwrap();
    let msg = refused_soon(&db, &["import", "stays", sub.to_str().unwrap()]);
    assert!(
        msg.contains("folder: is a directory, not a CSV file"),
        "{msg}"
    );
    let csv = dir.path().join("big.csv");
    std::fs::write(&csv, delays_with("ward", "W1")).unwrap();
    let msg = refused_soon(
        &db,
        &[
            "import",
            "delays",
            csv.to_str().unwrap(),
            "--max-bytes",
            "100",
        ],
    );
    assert!(
        msg.contains("big.csv: is larger than 100 bytes, the most an import reads (--max-bytes)"),
        "{msg}"
    );
}

#[test]
fn a_writing_command_on_a_missing_database_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo.db");
    let csv = dir.path().join("d.csv");
    std::fs::write(&csv, delays_with("ward", "W1")).unwrap();
    let want = format!(
        "dtoc: no database at {} (dtoc init creates one)\n",
        missing.display()
    );
    for args in [
        vec!["import", "delays", csv.to_str().unwrap()],
        vec![
            "signoff", "--week", "2018-W27", "--side", "nhs", "--by", "Ann",
        ],
        vec!["reopen", "--week", "2018-W27", "--reason", "typo"],
        vec!["report", "monthly", "--from", "2018-04", "--to", "2018-07"],
    ] {
        assert_eq!(refused(&missing, &args), want, "{args:?}");
        assert!(!missing.exists(), "{args:?} created the database");
    }
}

#[test]
fn an_empty_file_is_not_a_dtoc_database_and_is_left_empty() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    for args in [
        vec!["report", "monthly", "--from", "2018-04", "--to", "2018-07"],
        vec![
            "signoff", "--week", "2018-W27", "--side", "nhs", "--by", "Ann",
        ],
        vec!["init"],
    ] {
        let msg = refused(&empty, &args);
        assert!(
            msg.contains("is empty (0 bytes): not a dtoc database"),
            "{args:?}: {msg}"
        );
        assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0, "{args:?}");
    }
    // A few bytes of something else are no database either, and are left as they were.
    let short = dir.path().join("short.db");
    std::fs::write(&short, b"x").unwrap();
    let msg = refused(
        &short,
        &["report", "monthly", "--from", "2018-04", "--to", "2018-07"],
    );
    assert!(
        msg.ends_with("short.db: is 1 bytes long: not a dtoc database (too short for one)\n"),
        "{msg}"
    );
    assert_eq!(std::fs::read(&short).unwrap(), b"x");
}

#[test]
fn an_export_never_follows_a_symbolic_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let target = dir.path().join("precious.txt");
    std::fs::write(&target, b"keep me").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let link_s = link.to_str().unwrap();
    for args in [
        vec!["export", "patients", "--out", link_s],
        vec![
            "export",
            "audit",
            "--from",
            "1990-01-01",
            "--to",
            "2099-12-31",
            "--format",
            "csv",
            "--out",
            link_s,
        ],
        vec![
            "report", "monthly", "--from", "2018-04", "--to", "2018-07", "--format", "csv",
            "--out", link_s,
        ],
    ] {
        let msg = refused(&db, &args);
        assert!(
            msg.contains("link.csv is a symbolic link: dtoc does not write through one"),
            "{args:?}: {msg}"
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"keep me", "{args:?}");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
    }
}

#[test]
fn an_export_replaces_an_existing_file_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let file = dir.path().join("monthly.csv");
    std::fs::write(&file, b"mine").unwrap();
    let f = file.to_str().unwrap();
    let audit = dir.path().join("audit.csv");
    std::fs::write(&audit, b"mine").unwrap();
    let a = audit.to_str().unwrap();
    for (args, path) in [
        (
            vec![
                "report", "monthly", "--from", "2018-04", "--to", "2018-07", "--format", "csv",
                "--out", f,
            ],
            f,
        ),
        (
            vec![
                "export",
                "audit",
                "--from",
                "1990-01-01",
                "--to",
                "2099-12-31",
                "--format",
                "csv",
                "--out",
                a,
            ],
            a,
        ),
    ] {
        let msg = refused(&db, &args);
        assert_eq!(
            msg,
            format!("dtoc: {path} already exists; use --force to replace it\n"),
            "{args:?}"
        );
        assert_eq!(std::fs::read(path).unwrap(), b"mine");
        let mut forced = args.clone();
        forced.push("--force");
        crate::common::cli::run(&db, &forced);
        assert_ne!(std::fs::read(path).unwrap(), b"mine");
    }
}
