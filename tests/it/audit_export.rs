//! `dtoc export audit`: the log between two dates (inclusive), as CSV or JSON, with NHS numbers
//! masked wherever they appear.

use crate::common;

use common::db::new_store;
use common::populate;

#[test]
fn the_audit_export_masks_nhs_numbers_and_keeps_to_its_dates() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    populate(&mut store);
    // An entry written by an older tool that put a whole NHS number in the log, and one the day
    // after the range.
    store
        .execute_raw_for_tests(
            "INSERT INTO audit_log (at, user, entity, entity_id, action, field, old_value, new_value) VALUES
             ('2018-08-15T10:00:00Z', 'old', 'patient', '1', 'edit', 'NHS number', NULL, '9434765919'),
             ('2018-08-15T11:00:00Z', 'old', 'patient', '2', 'note', NULL, NULL, 'seen with 654 100 3238'),
             ('2018-08-16T08:00:00Z', 'late', 'patient', '3', 'edit', NULL, NULL, 'x')",
        )
        .unwrap();
    let total = store
        .audit_between("2018-08-15", "2018-08-16")
        .unwrap()
        .len();
    let out = dir.path().join("audit.csv");
    let db = store.path().to_str().unwrap().to_string();
    assert_cmd::Command::cargo_bin("dtoc")
        .unwrap()
        .args([
            "--db",
            &db,
            "export",
            "audit",
            "--from",
            "2018-08-15",
            "--to",
            "2018-08-15",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(format!(
            "{total} audit entries from 2018-08-15 to 2018-08-15 written to {}\n",
            out.display()
        ));
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("id,at,user,entity,entity_id,action,field,old_value,new_value\n"));
    assert_eq!(csv.lines().count(), total + 1);
    for number in ["9434765919", "943 476 5919", "6541003238", "654 100 3238"] {
        assert!(!csv.contains(number), "{number} in the export");
    }
    assert!(csv.contains("NHS number,,*** *** 5919"));
    assert!(csv.contains("seen with *** *** 3238"));
    assert!(!csv.contains("late"));
    let json = assert_cmd::Command::cargo_bin("dtoc")
        .unwrap()
        .args([
            "--db",
            &db,
            "export",
            "audit",
            "--from",
            "2018-08-16",
            "--to",
            "2018-08-16",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["report"], "audit");
    assert_eq!(v["rows"].as_array().unwrap().len(), 1);
    assert_eq!(v["rows"][0]["user"], "late");
}
