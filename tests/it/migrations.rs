//! Schema versions: a new file, an upgrade from version 1, and files dtoc must refuse untouched.

use crate::common;

use common::db::*;
use dtoc::domain::{Attribution, ReasonCode};
use dtoc::store::{Store, SCHEMA_VERSION};
use std::collections::BTreeMap;
use std::path::Path;

/// Tables (and views, indexes, triggers) with their column names, sorted.
pub(crate) fn shape(path: &Path) -> BTreeMap<String, Vec<String>> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let objects: Vec<(String, String)> = conn
        .prepare(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = BTreeMap::new();
    for (kind, name) in objects {
        let mut cols: Vec<String> = if kind == "table" {
            conn.prepare(&format!("SELECT name FROM pragma_table_info('{name}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        } else {
            Vec::new()
        };
        cols.sort();
        out.insert(format!("{kind} {name}"), cols);
    }
    out
}

fn table_names(path: &Path) -> Vec<String> {
    shape(path)
        .keys()
        .filter_map(|k| k.strip_prefix("table ").map(str::to_string))
        .collect()
}

/// The `site_coverage` rows of a file, read without opening it as a store (which would upgrade it).
fn coverage_rows(path: &Path) -> Vec<(String, String, String)> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = conn
        .prepare("SELECT site_code, from_on, source FROM site_coverage ORDER BY site_code")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

/// Takes a new file back to version 13 (issue 26's census by ward and actions undone:
/// `tests/it/actions.rs` upgrades it again).
pub(crate) const DOWN_FROM_14: &str =
    "DROP TABLE census_ward; DROP INDEX delay_action_state; DROP TABLE action_owner;
    ALTER TABLE delay_action DROP COLUMN owner; ALTER TABLE delay_action DROP COLUMN due_on;
    ALTER TABLE delay_action DROP COLUMN state; ALTER TABLE delay_action DROP COLUMN closed_on;
    ALTER TABLE delay_action DROP COLUMN closed_by;";

pub(crate) fn user_version(path: &Path) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_new_file_gets_the_current_schema() {
    assert_eq!(SCHEMA_VERSION, 15);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 15);
    drop(store);
    assert_eq!(user_version(&path), 15);
    assert_eq!(
        table_names(&path),
        vec![
            "action_owner",
            "audit_log",
            "census",
            "census_ward",
            "delay",
            "delay_action",
            "delay_period",
            "discharge_target",
            "local_authority",
            "meta",
            "month_count",
            "patient",
            "population",
            "provider",
            "published_figure",
            "reconcile_mark",
            "reported_day",
            "reported_total",
            "signoff",
            "signoff_day",
            "site",
            "site_coverage",
            "stay",
            "target",
            "ward"
        ]
    );
    let s = shape(&path);
    assert!(s["table delay"].contains(&"reviewed_on".to_string()));
    assert!(s["table delay_period"].contains(&"acute_reason".to_string()));
    assert!(s["table stay"].contains(&"usual_residence".to_string()));
    // Opening again changes nothing.
    let before = std::fs::read(&path).unwrap();
    Store::open(&path).unwrap();
    assert_eq!(user_version(&path), 15);
    assert_eq!(shape(&path), s);
    assert_eq!(std::fs::read(&path).unwrap().len(), before.len());
}

#[test]
fn a_version_1_file_is_upgraded_keeping_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v1.db");
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        conn.execute_batch(include_str!("../data/schema_v1.sql"))
            .unwrap();
    }
    assert_eq!(user_version(&old), 1);
    let v1 = shape(&old);
    assert!(!v1["table delay"].contains(&"reviewed_on".to_string()));
    assert!(!v1["table delay_period"].contains(&"acute_reason".to_string()));
    assert!(!v1["table stay"].contains(&"usual_residence".to_string()));
    let data_before = dump(&old);

    let store = Store::open(&old).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_sound(&store);
    // Issue 24: an upgraded register is covered from each site's earliest ready date (its
    // figures as they were), marked as such.
    let c = store.coverage().unwrap();
    assert_eq!(c.sites.len(), 1);
    assert_eq!(
        (
            c.sites[0].site_code.as_str(),
            c.sites[0].from,
            c.sites[0].source
        ),
        (
            "RWE01",
            day("2018-06-28"),
            dtoc::store::CoverageSource::Upgrade
        )
    );
    let mut delays = all_delays(&store);
    delays.sort_by_key(|d| d.delay_id);
    assert_eq!(delays.len(), 2);
    assert_eq!(delays[0].local_id, "V1PAT1");
    assert_eq!(delays[0].ended_on, Some(day("2018-07-10")));
    assert_eq!(
        (delays[0].reason, delays[0].attribution),
        (ReasonCode::E, Attribution::SocialCare)
    );
    assert_eq!(delays[0].reviewed_on, None);
    assert_eq!(delays[1].la_name.as_deref(), Some("Leicestershire"));
    let rows = counts(&store, "E06000017", "2018-06", "2018-07", TODAY);
    assert_eq!(days_in(&rows, "2018-06"), 3);
    assert_eq!(days_in(&rows, "2018-07"), 9);
    assert_eq!(store.audit_for("delay", "1").unwrap()[0].user, "v1user");
    drop(store);

    // Same tables and columns as a new file.
    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());
    assert_eq!(shape(&old), shape(&fresh));
    assert_eq!(user_version(&old), SCHEMA_VERSION);
    // Issue 25: every entry of the old log chained by the upgrade to version 10.
    assert_eq!(
        Store::open(&old).unwrap().audit_chain_problems().unwrap(),
        Vec::<String>::new()
    );

    // Every old row is still there; the new columns are empty.
    let after = dump(&old);
    let strip = |rows: &[String]| -> Vec<String> {
        rows.iter()
            .filter(|r| !r.starts_with("user_version"))
            .map(|r| r.replace(" | Null", ""))
            // The site's snapshot day (version 6) takes its default, Monday.
            .map(|r| match r.strip_suffix(" | Integer(0)") {
                Some(x) if r.starts_with("site:") => x.to_string(),
                _ => r,
            })
            // An entry's hash (version 10) is new.
            .map(|r| match r.rsplit_once(" | ") {
                Some((x, h))
                    if r.starts_with("audit_log:") && h.starts_with("Text(") && h.len() == 72 =>
                {
                    x.to_string()
                }
                _ => r,
            })
            .collect()
    };
    let after_rows = strip(&after);
    for row in strip(&data_before) {
        assert!(after_rows.contains(&row), "row lost in the upgrade: {row}");
    }
    assert_eq!(count(&old, "delay_period"), 3);
    assert_eq!(count(&old, "patient"), 2);
}

/// Builds a file with `sql` and returns its bytes.
fn foreign_file(path: &Path, sql: &str) -> Vec<u8> {
    {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch(sql).unwrap();
    }
    std::fs::read(path).unwrap()
}

fn assert_refused_untouched(path: &Path, bytes: &[u8], expected: &str) {
    let err = Store::open(path).err().expect("the file must be refused");
    assert_eq!(err.to_string(), expected);
    assert!(
        std::fs::read(path).unwrap() == bytes,
        "the refused file's bytes were changed"
    );
    let name = path.display().to_string();
    for suffix in ["-wal", "-shm", "-journal"] {
        assert!(
            !Path::new(&format!("{name}{suffix}")).exists(),
            "{suffix} left beside the refused file"
        );
    }
}

#[test]
fn a_file_from_a_newer_dtoc_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    let bytes = foreign_file(
        &path,
        "CREATE TABLE delay (id INTEGER PRIMARY KEY, hologram TEXT); INSERT INTO delay VALUES (1, 'x'); PRAGMA user_version = 99;",
    );
    assert_refused_untouched(
        &path,
        &bytes,
        &format!(
            "database {}: written by a newer dtoc (schema version 99; this dtoc knows up to 15). Upgrade dtoc to open it; the file has not been changed",
            path.display()
        ),
    );
    assert_eq!(user_version(&path), 99);
}

#[test]
fn a_sqlite_file_that_is_not_dtoc_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    let bytes = foreign_file(
        &path,
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'Ada');",
    );
    assert_refused_untouched(
        &path,
        &bytes,
        &format!(
            "database {}: not a dtoc database (it has tables but no dtoc schema version); the file has not been changed",
            path.display()
        ),
    );
}

#[test]
fn the_upgrade_to_7_ends_open_delays_on_discharged_stays_with_one_audit_entry_each() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v5.db");
    {
        let mut s = Store::open(&old).unwrap();
        s.set_fixed_now(Some("2018-08-15T09:00:00Z".to_string()));
        let checked = dtoc::import::read_delays(&data("rutland_2018.csv"), day(TODAY)).unwrap();
        s.import_delays(&checked).unwrap();
        // As a version 6 file could hold it: a discharged stay whose delay is still open.
        s.execute_raw_for_tests(
            "UPDATE delay_period SET end_on = NULL WHERE id = (SELECT max(id) FROM delay_period);
             UPDATE delay SET ended_on = NULL, end_kind = NULL
                 WHERE id = (SELECT delay_id FROM delay_period WHERE id = (SELECT max(id) FROM delay_period));
             UPDATE stay SET discharged_on = (SELECT max(start_on) FROM delay_period)
                 WHERE id = (SELECT stay_id FROM delay WHERE ended_on IS NULL ORDER BY id DESC LIMIT 1);
             DELETE FROM month_count;",
        )
        .unwrap();
        s.rebuild_counts().unwrap();
        s.execute_raw_for_tests(
            "DROP INDEX patient_nhs; DROP TABLE meta; DROP TABLE delay_action; DROP TABLE action_owner; \
             DROP TABLE site_coverage; DROP INDEX stay_site; DROP TABLE ward; \
             ALTER TABLE stay DROP COLUMN ward; ALTER TABLE stay DROP COLUMN bed; \
             ALTER TABLE stay DROP COLUMN expected_on; ALTER TABLE delay DROP COLUMN reviewed_by; \
             PRAGMA user_version = 6;",
        )
        .unwrap();
    }
    assert_eq!(user_version(&old), 6);
    let open_before = count(&old, "delay WHERE ended_on IS NULL");
    let store = Store::open(&old).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_sound(&store);
    assert_eq!(
        count(&old, "audit_log WHERE action = 'end at discharge'"),
        1
    );
    assert_eq!(count(&old, "delay WHERE ended_on IS NULL"), open_before - 1);
    drop(store);
    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());
    assert_eq!(shape(&old), shape(&fresh));
}

/// Issue 24: a file of version 10 (before the average delay target) and one of version 11 (with it,
/// before coverage) both come to the current schema, keep their targets, and are covered from
/// each site's earliest ready date (the figures they showed), marked as an upgrade. Issue 26: one
/// of version 12 (with coverage, before the wards) keeps its coverage as it was; all three get the
/// empty `ward` table.
#[test]
fn versions_10_11_and_12_are_upgraded_with_coverage_and_the_ward_table() {
    // The discharge targets' table as version 10 wrote it (no average delay among its measures).
    const V10_TARGETS: &str = "DROP TABLE discharge_target;
        CREATE TABLE discharge_target (
            la_code TEXT NOT NULL REFERENCES local_authority (code),
            month   TEXT NOT NULL CHECK (length(month) = 7 AND substr(month, 5, 1) = '-'),
            measure TEXT NOT NULL CHECK (measure IN ('pathway1_share', 'within_24h_share', 'usual_residence_share',
                                                     'los14_share', 'los21_share')),
            percent REAL NOT NULL CHECK (percent BETWEEN 0 AND 100),
            PRIMARY KEY (la_code, month, measure)
        ) WITHOUT ROWID;";
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());
    for version in [10, 11, 12] {
        let old = dir.path().join(format!("v{version}.db"));
        {
            let mut s = Store::open(&old).unwrap();
            s.set_fixed_now(Some("2018-08-15T09:00:00Z".to_string()));
            let checked = dtoc::import::read_delays(&data("rutland_2018.csv"), day(TODAY)).unwrap();
            s.import_delays(&checked).unwrap();
            let targets = if version == 10 { V10_TARGETS } else { "" };
            let coverage = if version == 12 {
                "INSERT INTO site_coverage VALUES ('RWE01', '2018-04-01', 'set');"
            } else {
                "DROP TABLE site_coverage; DROP INDEX stay_site;"
            };
            s.execute_raw_for_tests(&format!(
                "{DOWN_FROM_14} DROP TABLE ward; {coverage} {targets} PRAGMA user_version = {version};"
            ))
            .unwrap();
            s.execute_raw_for_tests(
                "INSERT INTO discharge_target VALUES ('E06000017', '2018-07', 'los21_share', 12.5);",
            )
            .unwrap();
            if version >= 11 {
                s.execute_raw_for_tests(
                    "INSERT INTO discharge_target VALUES ('E06000017', '2018-07', 'average_delay_days', 1.5);",
                )
                .unwrap();
            }
        }
        assert_eq!(user_version(&old), version);
        let coverage_before = (version == 12).then(|| coverage_rows(&old));
        let store = Store::open(&old).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_sound(&store);
        let c = store.coverage().unwrap();
        let got: Vec<(String, String, dtoc::store::CoverageSource)> = c
            .sites
            .iter()
            .map(|s| (s.site_code.clone(), s.from.to_string(), s.source))
            .collect();
        if let Some(before) = coverage_before {
            // Version 12 already had its coverage: the upgrade leaves it as it was.
            drop(store);
            assert_eq!(
                before,
                vec![(
                    "RWE01".to_string(),
                    "2018-04-01".to_string(),
                    "set".to_string()
                )]
            );
            assert_eq!(coverage_rows(&old), before);
            assert_eq!(got.len(), before.len());
        } else {
            let want: Vec<(String, String, dtoc::store::CoverageSource)> = [
                ("RT501", "2018-04-14"),
                ("RT502", "2018-06-06"),
                ("RWE01", "2018-03-24"),
                ("RWE02", "2018-04-11"),
                ("RWE03", "2018-04-27"),
            ]
            .iter()
            .map(|(s, d)| {
                (
                    s.to_string(),
                    d.to_string(),
                    dtoc::store::CoverageSource::Upgrade,
                )
            })
            .collect();
            assert_eq!(got, want, "version {version}");
            drop(store);
        }
        assert_eq!(
            count(&old, "discharge_target"),
            if version == 10 { 1 } else { 2 },
            "version {version}"
        );
        assert_eq!(shape(&old), shape(&fresh), "version {version}");
        assert_eq!(user_version(&old), SCHEMA_VERSION);
        // The rebuilt table takes the measure version 10 could not hold.
        let store = Store::open(&old).unwrap();
        store
            .execute_raw_for_tests(
                "INSERT OR REPLACE INTO discharge_target VALUES ('E06000017', '2018-08', 'average_delay_days', 2.0);",
            )
            .unwrap();
        // The new `ward` table takes a site's ward, its code unique whatever its case.
        store
            .execute_raw_for_tests("INSERT INTO ward VALUES ('RWE01', 'W7', 'Ward 7', 20);")
            .unwrap();
        assert!(store
            .execute_raw_for_tests("INSERT INTO ward VALUES ('RWE01', 'w7', 'Ward 7', 20);")
            .is_err());
    }
}
