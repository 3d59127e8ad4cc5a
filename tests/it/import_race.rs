//! Issue 25, item 4: the bulk path of `dtoc import delays` is chosen inside the write transaction,
//! so two imports started at once into an empty register give the result of one after the other:
//! the same file twice is one import and one "unchanged"; two files naming the same patients under
//! other local ids are one import and one refusal by the register's rules (never a doubled
//! register, never a raw constraint message).

use crate::common::db::{delays_csv, dump};
use dtoc::import::read_delays_bytes;
use dtoc::store::{ImportSummary, Store};
use std::path::Path;
use std::sync::{Arc, Barrier};

const TODAY: &str = "2018-08-15";
const ROUNDS: usize = 20;
const STAYS: usize = 40;

/// A valid NHS number built from nine digits (the modulus 11 check digit added).
fn nhs(n: usize) -> String {
    let base = format!("{:09}", 400_000_000 + n * 7);
    for bump in 0..20 {
        let digits = format!("{:09}", base.parse::<usize>().unwrap() + bump);
        let sum: u32 = digits
            .chars()
            .zip((2..=10).rev())
            .map(|(c, w)| c.to_digit(10).unwrap() * w)
            .sum();
        let check = (11 - sum % 11) % 11;
        if check < 10 {
            return format!("{digits}{check}");
        }
    }
    unreachable!("a check digit below 10 is found within a few numbers")
}

/// `STAYS` stays, each one delay, its patients' local ids starting with `prefix`, the NHS
/// numbers the same whatever the prefix.
fn file(prefix: &str) -> String {
    let rows: Vec<String> = (0..STAYS)
        .map(|i| {
            format!(
                "{prefix}{i:04},{},RWE,RWE01,acute,E10000018,2018-06-01,2018-06-{:02},2018-07-01,A,NHS,,",
                nhs(i),
                2 + i % 20
            )
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    delays_csv(&rows)
}

fn open(path: &Path) -> Store {
    let mut s = Store::open(path).unwrap();
    s.set_user("tester").unwrap();
    s.set_fixed_now(Some("2018-08-15T09:00:00Z".into()));
    s
}

fn import(path: &Path, name: &str, csv: &str) -> dtoc::Result<ImportSummary> {
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let checked = read_delays_bytes(name, csv.as_bytes(), today)?;
    open(path).import_delays(&checked)
}

/// Runs the two imports at once (each thread its own connection, released together), returning
/// their results in the order given.
fn at_once(
    path: &Path,
    a: (&'static str, String),
    b: (&'static str, String),
) -> [dtoc::Result<ImportSummary>; 2] {
    // Each starts from an open register (migrated), as two commands would.
    drop(open(path));
    let gate = Arc::new(Barrier::new(2));
    let run = |(name, csv): (&'static str, String)| {
        let gate = Arc::clone(&gate);
        let path = path.to_path_buf();
        std::thread::spawn(move || {
            gate.wait();
            import(&path, name, &csv)
        })
    };
    let (ta, tb) = (run(a), run(b));
    [ta.join().unwrap(), tb.join().unwrap()]
}

/// The register after importing `first` then `second` one after the other.
fn one_after_other(dir: &Path, first: (&str, &str), second: (&str, &str)) -> Vec<String> {
    let path = dir.join(format!("serial-{}-{}.db", first.0, second.0));
    drop(open(&path));
    import(&path, first.0, first.1).unwrap();
    let _ = import(&path, second.0, second.1);
    dump(&path)
}

#[test]
fn the_same_file_twice_at_once_is_one_import_and_one_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let csv = file("P");
    let serial = one_after_other(dir.path(), ("same.csv", &csv), ("same.csv", &csv));
    for round in 0..ROUNDS {
        let path = dir.path().join(format!("same-{round}.db"));
        let results = at_once(&path, ("same.csv", csv.clone()), ("same.csv", csv.clone()));
        let mut summaries: Vec<String> = results
            .into_iter()
            .map(|r| r.map(|s| s.to_string()).unwrap_or_else(|e| e.to_string()))
            .collect();
        summaries.sort();
        assert_eq!(
            summaries,
            [
                format!("{STAYS} rows: 0 added, 0 updated, {STAYS} unchanged"),
                format!("{STAYS} rows: {STAYS} added, 0 updated, 0 unchanged"),
            ],
            "round {round}"
        );
        let store = open(&path);
        assert_eq!(
            store.check().unwrap(),
            Vec::<String>::new(),
            "round {round}"
        );
        assert_eq!(dump(&path), serial, "round {round}");
    }
}

#[test]
fn two_files_of_the_same_patients_at_once_are_one_import_and_one_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (file("A"), file("B"));
    let a_first = one_after_other(dir.path(), ("a.csv", &a), ("b.csv", &b));
    let b_first = one_after_other(dir.path(), ("b.csv", &b), ("a.csv", &a));
    // One after the other, the second is refused whole (tried again here for its message).
    let refused = |db: &str, name: &str, csv: &str| {
        import(&dir.path().join(db), name, csv)
            .unwrap_err()
            .to_string()
    };
    let b_refused = refused("serial-a.csv-b.csv.db", "b.csv", &b);
    let a_refused = refused("serial-b.csv-a.csv.db", "a.csv", &a);
    assert!(b_refused.contains("one bed at a time"), "{b_refused}");
    for round in 0..ROUNDS {
        let path = dir.path().join(format!("pair-{round}.db"));
        let [ra, rb] = at_once(&path, ("a.csv", a.clone()), ("b.csv", b.clone()));
        let added = format!("{STAYS} rows: {STAYS} added, 0 updated, 0 unchanged");
        let expected = match (&ra, &rb) {
            (Ok(s), Err(e)) => {
                assert_eq!(s.to_string(), added, "round {round}");
                assert_eq!(e.to_string(), b_refused, "round {round}");
                &a_first
            }
            (Err(e), Ok(s)) => {
                assert_eq!(s.to_string(), added, "round {round}");
                assert_eq!(e.to_string(), a_refused, "round {round}");
                &b_first
            }
            other => panic!("round {round}: one import and one refusal expected, got {other:?}"),
        };
        let store = open(&path);
        assert_eq!(
            store.check().unwrap(),
            Vec::<String>::new(),
            "round {round}"
        );
        assert_eq!(&dump(&path), expected, "round {round}");
    }
}
