//! Issue 15: ward, bed and expected discharge date through the delays and stays imports, and the
//! ward, bed, expected date and last action in `export patients` (patient-level) but never in an
//! aggregate export.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::cli::run;
use common::db::*;
use dtoc::import::{read_delays_bytes, read_stays_bytes};

const HEADER: &str = concat!(delays_header!(), ",ward,bed,expected_on");

fn delays() -> Vec<u8> {
    format!(
        "{HEADER}\n\
         RWE7401643,9434765919,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-05,,A,NHS,,,Ward 7,12,2018-08-20\n\
         RT51869891,,RWE,RWE01,acute,E10000018,2018-07-02,2018-07-06,,C,NHS,,,,,\n"
    )
    .into_bytes()
}

#[test]
fn the_delays_import_stores_ward_bed_and_expected_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let checked = read_delays_bytes("delays.csv", &delays(), day(TODAY)).unwrap();
    store.import_delays(&checked).unwrap();
    let rows = all_delays(&store);
    let a = rows.iter().find(|d| d.local_id == "RWE7401643").unwrap();
    assert_eq!(a.ward.as_deref(), Some("Ward 7"));
    assert_eq!(a.bed.as_deref(), Some("12"));
    assert_eq!(a.expected_on, Some(day("2018-08-20")));
    let b = rows.iter().find(|d| d.local_id == "RT51869891").unwrap();
    assert_eq!(
        (b.ward.clone(), b.bed.clone(), b.expected_on),
        (None, None, None)
    );

    // A stays file moves the patient; empty cells keep what is stored.
    let stays = "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination,ward,bed,expected_on\n\
                 RWE7401643,9434765919,RWE01,E10000018,2018-07-01,,,,Ward 9,,\n\
                 RT51869891,,RWE01,E10000018,2018-07-02,,,,,4,2018-08-17\n";
    let checked = read_stays_bytes("stays.csv", stays.as_bytes(), day(TODAY)).unwrap();
    store.import_stays(&checked).unwrap();
    let rows = all_delays(&store);
    let a = rows.iter().find(|d| d.local_id == "RWE7401643").unwrap();
    assert_eq!(a.ward.as_deref(), Some("Ward 9"));
    assert_eq!(a.bed.as_deref(), Some("12"));
    assert_eq!(a.expected_on, Some(day("2018-08-20")));
    let b = rows.iter().find(|d| d.local_id == "RT51869891").unwrap();
    assert_eq!(b.bed.as_deref(), Some("4"));
    assert_eq!(b.expected_on, Some(day("2018-08-17")));
    // Audited field by field.
    let audit = store.audit_for("stay", &b.stay_id.to_string()).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.field().as_deref() == Some("bed") && e.new_value.as_deref() == Some("4")));
    assert_sound(&store);
}

#[test]
fn a_bad_expected_date_or_a_long_bed_is_refused_naming_line_and_column() {
    let bad = format!(
        "{HEADER}\n\
         RWE7401643,,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-05,,A,NHS,,,Ward 7,12,soon\n\
         RT51869891,,RWE,RWE01,acute,E10000018,2018-07-02,2018-07-06,,C,NHS,,,,{},\n",
        "x".repeat(21)
    );
    let err = read_delays_bytes("delays.csv", bad.as_bytes(), day(TODAY)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("delays.csv line 2, expected_on soon"),
        "{text}"
    );
    assert!(
        text.contains("line 3, bed") && text.contains("the bed is longer than 20 characters"),
        "{text}"
    );
}

#[test]
fn export_patients_has_ward_bed_expected_date_and_the_last_action_aggregates_never() {
    let dir = tempfile::tempdir().unwrap();
    let db = {
        let mut store = new_store(&dir);
        let checked = read_delays_bytes("delays.csv", &delays(), day(TODAY)).unwrap();
        store.import_delays(&checked).unwrap();
        let id = all_delays(&store)
            .iter()
            .find(|d| d.local_id == "RWE7401643")
            .unwrap()
            .delay_id;
        store
            .add_action(
                id,
                &dtoc::store::NewAction {
                    text: "Chased P1 package, provider X".into(),
                    owner: "Hub team".into(),
                    due_on: None,
                },
                day("2018-08-14"),
            )
            .unwrap();
        store
            .add_action(
                id,
                &dtoc::store::NewAction {
                    text: "P1 package requested from provider Y".into(),
                    owner: "Hub team".into(),
                    due_on: None,
                },
                day(TODAY),
            )
            .unwrap();
        store.path().to_path_buf()
    };
    let csv = dir.path().join("patients.csv");
    run(&db, &["export", "patients", "--out", csv.to_str().unwrap()]);
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[1].ends_with(",delayed_days,ward,bed,expected_on,last_action"),
        "{}",
        lines[1]
    );
    let a = lines.iter().find(|l| l.starts_with("RWE7401643,")).unwrap();
    assert!(
        a.ends_with(",Ward 7,12,2018-08-20,P1 package requested from provider Y"),
        "{a}"
    );
    let b = lines.iter().find(|l| l.starts_with("RT51869891,")).unwrap();
    assert!(b.ends_with(",,,,"), "{b}");
    // Aggregate exports: no note, no ward.
    for args in [
        &["report", "monthly", "--format", "csv"][..],
        &["report", "los", "--format", "csv"][..],
    ] {
        let out = run(&db, args);
        assert!(!out.contains("provider"), "{args:?}: {out}");
        assert!(!out.contains("Ward 7"), "{args:?}: {out}");
    }
}
