//! Importing targets: a good file, re-import, updates, and each kind of bad row.

use crate::common;

use common::db::*;
use dtoc::domain::{Measure, TargetUnit};
use dtoc::import::{read_targets, read_targets_bytes};
use dtoc::store::{ImportSummary, Store};

const HEADER: &str = "la_code,month,measure,unit,value";

fn import(store: &mut Store, bytes: &[u8]) -> dtoc::Result<ImportSummary> {
    let checked = read_targets_bytes("targets.csv", bytes)?;
    store.import_targets(&checked)
}

fn seeded(dir: &tempfile::TempDir) -> Store {
    let mut s = new_store(dir);
    let checked = read_targets(&fixture("targets.csv")).unwrap();
    s.import_targets(&checked).unwrap();
    s
}

fn refused(bytes: &[u8], expected: &str) {
    assert_refused(seeded, import, bytes, expected);
}

fn target(store: &Store, la: &str, m: &str, measure: Measure) -> Option<(TargetUnit, f64)> {
    store
        .targets(month(m), month(m))
        .unwrap()
        .into_iter()
        .find(|t| t.la_code.as_str() == la && t.measure == measure)
        .map(|t| (t.unit, t.value))
}

#[test]
fn the_fixture_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir);
    assert_eq!(count(store.path(), "target"), 144);
    assert_eq!(
        store
            .targets(month("2017-04"), month("2019-03"))
            .unwrap()
            .len(),
        144
    );
    assert_eq!(
        target(&store, "E06000017", "2018-07", Measure::Total),
        Some((TargetUnit::DaysPerDay, 1.5))
    );
    assert_eq!(
        target(&store, "E10000018", "2018-07", Measure::Total),
        Some((TargetUnit::Per100kDay, 7.88))
    );
    assert_eq!(
        target(&store, "E10000018", "2018-07", Measure::SocialCare),
        Some((TargetUnit::Per100kDay, 1.25))
    );
    assert_eq!(
        target(&store, "E06000016", "2017-04", Measure::Total),
        Some((TargetUnit::Per100kMonth, 320.0))
    );
    assert_sound(&store);
}

#[test]
fn importing_twice_changes_nothing_and_a_revision_updates() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&dir);
    let path = store.path().to_path_buf();
    let before = dump(&path);
    let checked = read_targets(&fixture("targets.csv")).unwrap();
    let s = store.import_targets(&checked).unwrap();
    assert_eq!((s.rows, s.added, s.updated, s.unchanged), (144, 0, 0, 144));
    assert_eq!(dump(&path), before);

    let revised = format!(
        "{HEADER}\r\nE06000017,2018-07,total,days,46.5\r\nE06000017,2019-04,nhs,per_100k_month,12\r\n"
    );
    let s = import(&mut store, revised.as_bytes()).unwrap();
    assert_eq!((s.rows, s.added, s.updated, s.unchanged), (2, 1, 1, 0));
    assert_eq!(
        target(&store, "E06000017", "2018-07", Measure::Total),
        Some((TargetUnit::Days, 46.5))
    );
    assert_eq!(
        target(&store, "E06000017", "2019-04", Measure::Nhs),
        Some((TargetUnit::Per100kMonth, 12.0))
    );
}

#[test]
fn bad_values() {
    refused(
        format!("{HEADER}\nE0600017,2018-07,total,days,40\n").as_bytes(),
        "targets.csv line 2, la_code E0600017: not an ONS authority code (E, W, S or N and 8 digits, e.g. E10000018)",
    );
    refused(
        format!("{HEADER}\nE06000017,2018-13,total,days,40\n").as_bytes(),
        "targets.csv line 2, month 2018-13: not a month in the form YYYY-MM",
    );
    refused(
        format!("{HEADER}\nE06000017,2018-07,council,days,40\n").as_bytes(),
        "targets.csv line 2, measure council: not a measure (expected total, nhs, social_care or both)",
    );
    refused(
        format!("{HEADER}\nE06000017,2018-07,total,beds,40\n").as_bytes(),
        "targets.csv line 2, unit beds: not a target unit (expected days, days_per_day, per_100k_month or per_100k_day)",
    );
    refused(
        format!("{HEADER}\nE06000017,2018-07,total,days,-1\n").as_bytes(),
        "targets.csv line 2, value -1: not a number of 0 or more",
    );
    refused(
        format!("{HEADER}\nE06000017,2018-07,total,days,NaN\n").as_bytes(),
        "targets.csv line 2, value NaN: not a number of 0 or more",
    );
    refused(
        format!(
            "{HEADER}\nE06000017,2018-07,total,days,40\nE06000017,2018-07,total,days_per_day,1.5\n"
        )
        .as_bytes(),
        "targets.csv line 3, measure total: a total target for E06000017 2018-07 is also on line 2",
    );
}

#[test]
fn bad_shapes() {
    let expected = format!("(expected `{HEADER}`)");
    refused(
        b"\n\n",
        &format!("targets.csv: the file is empty: expected a header row `{HEADER}`"),
    );
    refused(
        format!("\u{FEFF}{HEADER}\n").as_bytes(),
        "targets.csv: the file has a header but no data rows",
    );
    refused(
        b"la_code,month,measure,value\nE06000017,2018-07,total,40\n",
        &format!("targets.csv line 1: missing column `unit` {expected}"),
    );
    refused(
        format!("{HEADER},note\nE06000017,2018-07,total,days,40,x\n").as_bytes(),
        &format!("targets.csv line 1: unknown column `note` {expected}"),
    );
    // `;` between columns (a European spreadsheet's CSV) is read like `,`.
    let semi = read_targets_bytes(
        "targets.csv",
        b"la_code;month;measure;unit;value\nE06000017;2018-07;total;days;40\n",
    )
    .unwrap();
    assert_eq!(semi.records.len(), 1);
    assert_eq!(semi.records[0].value, 40.0);
    refused(
        format!("{HEADER}\nE06000017,2018-07,total,days,40,5\n").as_bytes(),
        "targets.csv line 2: has 6 fields, the header has 5 (a comma inside a value needs quotes)",
    );
    refused(
        &[
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
        ],
        "targets.csv: not a CSV text file (it contains binary data)",
    );
}
