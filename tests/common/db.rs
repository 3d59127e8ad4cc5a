//! Helpers for the store-level tests: temp database files, a dump of every table to compare
//! before/after a refused change, and month-count sums.

use chrono::NaiveDate;
use dtoc::domain::{Attribution, ReasonCode, Setting, YearMonth};
use dtoc::store::{CountRow, DelayFilter, ImportSummary, Store};
use std::path::{Path, PathBuf};

pub const TODAY: &str = "2018-08-15";

/// The delays import's 13 columns, as a literal for `concat!` (a `const` file or a byte string):
/// `concat!(delays_header!(), ",ward\nP1,…")`. At run time: [`DELAYS_HEADER`], [`delays_csv`].
macro_rules! delays_header {
    () => {
        "local_id,nhs_number,provider,site,setting,la_code,admitted_on,delay_start,delay_end,reason,attribution,discharged_on,pathway"
    };
}
pub(crate) use delays_header;

/// The delays import's 13 columns, in order (the optional ones, `end_kind`, `ward`, …, not included).
pub const DELAYS_HEADER: &str = delays_header!();

/// A delays file: the 13-column header and `rows`, a line each.
pub fn delays_csv(rows: &[&str]) -> String {
    format!("{DELAYS_HEADER}\n{}\n", rows.join("\n"))
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn month(s: &str) -> YearMonth {
    YearMonth::parse(s).unwrap()
}

/// The repository's `tests/data/NAME`.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The repository's `fixtures/NAME`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// Ends the first version of delay `delay_id` as a discharge on `on`, pathway, destination and
/// usual residence not given.
pub fn discharge(store: &mut Store, delay_id: i64, on: NaiveDate, today: NaiveDate) {
    store
        .end_delay(
            &dtoc::store::EndDelay {
                delay_id,
                version: 1,
                on,
                kind: dtoc::domain::EndKind::Discharged,
                pathway: None,
                destination: None,
                usual_residence: None,
            },
            today,
        )
        .unwrap();
}

/// A new database file in `dir`, with a fixed user and audit clock.
pub fn new_store(dir: &tempfile::TempDir) -> Store {
    let mut s = Store::open(&dir.path().join("dtoc.db")).unwrap();
    s.set_user("tester").unwrap();
    s.set_fixed_now(Some("2018-08-15T09:00:00Z".to_string()));
    s
}

/// Every row of every table of the database file at `path`, in a stable order, plus the schema
/// version: equal dumps mean nothing changed.
pub fn dump(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let mut out = vec![format!("user_version {version}")];
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let vals: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect();
                Ok(format!("{t}: {}", vals.join(" | ")))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.push(format!("table {t}: {} rows", rows.len()));
        out.extend(rows);
    }
    out
}

/// Number of rows in `table` of the database file at `path`.
pub fn count(path: &Path, table: &str) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// Month counts of one authority for `from..=to` as of `today`, checked against the brute-force
/// recount.
pub fn counts(store: &Store, la: &str, from: &str, to: &str, today: &str) -> Vec<CountRow> {
    let las = vec![dtoc::domain::LaCode::parse(la).unwrap()];
    let rows = store
        .month_counts(month(from), month(to), &las, day(today))
        .unwrap();
    let recount = store
        .recount_month_counts(month(from), month(to), &las, day(today))
        .unwrap();
    assert_eq!(rows, recount, "month_counts differ from a recount");
    rows
}

pub fn total(rows: &[CountRow], keep: impl Fn(&CountRow) -> bool) -> u64 {
    rows.iter().filter(|r| keep(r)).map(|r| r.days).sum()
}

pub fn days_in(rows: &[CountRow], m: &str) -> u64 {
    let m = month(m);
    total(rows, |r| r.month == m)
}

pub fn by_attribution(rows: &[CountRow], a: Attribution) -> u64 {
    total(rows, |r| r.attribution == a)
}

pub fn by_setting(rows: &[CountRow], s: Setting) -> u64 {
    total(rows, |r| r.setting == s)
}

pub fn by_reason(rows: &[CountRow], reason: ReasonCode) -> u64 {
    total(rows, |r| r.reason == reason)
}

/// Every delay, ended or not.
pub fn all_delays(store: &Store) -> Vec<dtoc::store::DelayRow> {
    store
        .list_delays(
            &DelayFilter {
                include_ended: true,
                ..Default::default()
            },
            day(TODAY),
        )
        .unwrap()
}

/// An import refused with exactly `expected`, leaving the database unchanged and sound: `seed`
/// makes the database, `import` reads `bytes` and imports them.
pub fn assert_refused(
    seed: impl FnOnce(&tempfile::TempDir) -> Store,
    import: impl FnOnce(&mut Store, &[u8]) -> dtoc::Result<ImportSummary>,
    bytes: &[u8],
    expected: &str,
) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seed(&dir);
    let path = store.path().to_path_buf();
    let before = dump(&path);
    let err = import(&mut store, bytes).unwrap_err();
    assert_eq!(err.to_string(), expected);
    assert_eq!(dump(&path), before, "a refused import changed the database");
    assert_sound(&store);
}

/// `check()` finds nothing.
pub fn assert_sound(store: &Store) {
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}
