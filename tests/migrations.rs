//! Schema versions: a new file, an upgrade from version 1, and files dtoc must refuse untouched.

mod common;

use common::db::*;
use dtoc::domain::{Attribution, ReasonCode};
use dtoc::store::{Store, SCHEMA_VERSION};
use std::collections::BTreeMap;
use std::path::Path;

/// Tables (and views, indexes, triggers) with their column names, sorted.
fn shape(path: &Path) -> BTreeMap<String, Vec<String>> {
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

fn user_version(path: &Path) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_new_file_gets_the_current_schema() {
    assert_eq!(SCHEMA_VERSION, 7);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 7);
    drop(store);
    assert_eq!(user_version(&path), 7);
    assert_eq!(
        table_names(&path),
        vec![
            "audit_log",
            "census",
            "delay",
            "delay_action",
            "delay_period",
            "discharge_target",
            "local_authority",
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
            "stay",
            "target"
        ]
    );
    let s = shape(&path);
    assert!(s["table delay"].contains(&"reviewed_on".to_string()));
    assert!(s["table delay_period"].contains(&"acute_reason".to_string()));
    assert!(s["table stay"].contains(&"usual_residence".to_string()));
    // Opening again changes nothing.
    let before = std::fs::read(&path).unwrap();
    Store::open(&path).unwrap();
    assert_eq!(user_version(&path), 7);
    assert_eq!(shape(&path), s);
    assert_eq!(std::fs::read(&path).unwrap().len(), before.len());
}

#[test]
fn a_version_1_file_is_upgraded_keeping_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v1.db");
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        conn.execute_batch(include_str!("data/schema_v1.sql"))
            .unwrap();
    }
    assert_eq!(user_version(&old), 1);
    let v1 = shape(&old);
    assert!(!v1["table delay"].contains(&"reviewed_on".to_string()));
    assert!(!v1["table delay_period"].contains(&"acute_reason".to_string()));
    assert!(!v1["table stay"].contains(&"usual_residence".to_string()));
    let data_before = dump(&old);

    let store = Store::open(&old).unwrap();
    assert_eq!(store.schema_version().unwrap(), 7);
    assert_sound(&store);
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
    assert_eq!(user_version(&old), 7);

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
            "database {}: written by a newer dtoc (schema version 99; this dtoc knows up to 7). Upgrade dtoc to open it; the file has not been changed",
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
