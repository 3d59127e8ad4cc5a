//! Importing 18+ population estimates: a good file, re-import, updates, and each kind of bad row.

use crate::common;

use common::db::*;
use dtoc::domain::LaCode;
use dtoc::import::{read_population, read_population_bytes};
use dtoc::store::{ImportSummary, Population, Store};

const HEADER: &str = "la_code,la_name,year,population_18plus";

fn import(store: &mut Store, bytes: &[u8]) -> dtoc::Result<ImportSummary> {
    let checked = read_population_bytes("population.csv", bytes)?;
    store.import_population(&checked)
}

fn seeded(dir: &tempfile::TempDir) -> Store {
    let mut s = new_store(dir);
    let checked = read_population(&fixture("population.csv")).unwrap();
    s.import_population(&checked).unwrap();
    s
}

fn refused(bytes: &[u8], expected: &str) {
    assert_refused(seeded, import, bytes, expected);
}

fn pop(la: &str, year: i32, n: u64) -> Population {
    Population {
        la_code: LaCode::parse(la).unwrap(),
        year,
        population_18plus: n,
    }
}

#[test]
fn the_fixture_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let checked = read_population(&fixture("population.csv")).unwrap();
    let s = store.import_population(&checked).unwrap();
    assert_eq!((s.rows, s.added, s.updated, s.unchanged), (6, 6, 0, 0));
    assert_eq!(
        store.populations().unwrap(),
        vec![
            pop("E06000016", 2017, 277_800),
            pop("E06000016", 2018, 280_300),
            pop("E06000017", 2017, 33_000),
            pop("E06000017", 2018, 33_300),
            pop("E10000018", 2017, 538_900),
            pop("E10000018", 2018, 543_600),
        ]
    );
    let names: Vec<(String, Option<String>)> = store
        .authorities()
        .unwrap()
        .into_iter()
        .map(|a| (a.code.to_string(), a.name))
        .collect();
    assert_eq!(
        names,
        vec![
            ("E06000016".to_string(), Some("Leicester".to_string())),
            ("E10000018".to_string(), Some("Leicestershire".to_string())),
            ("E06000017".to_string(), Some("Rutland".to_string())),
        ]
    );
    assert_sound(&store);
}

#[test]
fn importing_twice_changes_nothing_and_a_revision_updates() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&dir);
    let path = store.path().to_path_buf();
    let before = dump(&path);
    let checked = read_population(&fixture("population.csv")).unwrap();
    let s = store.import_population(&checked).unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (0, 0, 6));
    assert_eq!(dump(&path), before);

    let audit = count(&path, "audit_log");
    let revised = format!("{HEADER}\nE10000018,Leicestershire,2018,\"543,700\"\nE10000018,Leicestershire,2019,547000\n");
    let s = import(&mut store, revised.as_bytes()).unwrap();
    assert_eq!((s.rows, s.added, s.updated, s.unchanged), (2, 1, 1, 0));
    assert_eq!(count(&path, "audit_log"), audit + 2);
    let leics: Vec<Population> = store
        .populations()
        .unwrap()
        .into_iter()
        .filter(|p| p.la_code == "E10000018")
        .collect();
    assert_eq!(
        leics,
        vec![
            pop("E10000018", 2017, 538_900),
            pop("E10000018", 2018, 543_700),
            pop("E10000018", 2019, 547_000),
        ]
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let bytes = format!("\u{FEFF}{HEADER}\r\nE06000017,Rutland,2018,33300\r\n");
    let s = import(&mut store, bytes.as_bytes()).unwrap();
    assert_eq!(s.added, 1);
    assert_eq!(
        store.populations().unwrap(),
        vec![pop("E06000017", 2018, 33_300)]
    );
}

#[test]
fn bad_values() {
    refused(
        format!("{HEADER}\nE0600017,Rutland,2018,33300\n").as_bytes(),
        "population.csv line 2, la_code E0600017: not an ONS authority code (E, W, S or N and 8 digits, e.g. E10000018)",
    );
    refused(
        format!("{HEADER}\nE06000017,Rutland,18,33300\n").as_bytes(),
        "population.csv line 2, year 18: not a year from 1990 to 2100",
    );
    refused(
        format!("{HEADER}\nE06000017,Rutland,2018,0\n").as_bytes(),
        "population.csv line 2, population_18plus 0: not a whole number above 0",
    );
    refused(
        format!("{HEADER}\nE06000017,Rutland,2018,33300.5\n").as_bytes(),
        "population.csv line 2, population_18plus 33300.5: not a whole number above 0",
    );
    refused(
        format!("{HEADER}\nE06000017,,2018,33300\n").as_bytes(),
        "population.csv line 2, la_name: is empty: a value is needed",
    );
    refused(
        format!("{HEADER}\nE06000017,Rutland,2018,33300\nE06000017,Rutland,2018,33400\n")
            .as_bytes(),
        "population.csv line 3, year 2018: E06000017 2018 is also on line 2",
    );
}

#[test]
fn bad_shapes() {
    let expected = format!("(expected `{HEADER}`)");
    refused(
        b"",
        &format!("population.csv: the file is empty: expected a header row `{HEADER}`"),
    );
    refused(
        format!("{HEADER}\r\n").as_bytes(),
        "population.csv: the file has a header but no data rows",
    );
    refused(
        b"la_code,name,year,population_18plus\nE06000017,Rutland,2018,33300\n",
        &format!(
            "population.csv line 1: unknown column `name`; missing column `la_name` {expected}"
        ),
    );
    refused(
        b"la_code,la_name,year\nE06000017,Rutland,2018\n",
        &format!("population.csv line 1: missing column `population_18plus` {expected}"),
    );
    refused(
        format!("{HEADER},year\nE06000017,Rutland,2018,33300,2018\n").as_bytes(),
        &format!("population.csv line 1: column `year` appears twice {expected}"),
    );
    // `;` between columns (a European spreadsheet's CSV) is read like `,`.
    let semi = read_population_bytes(
        "population.csv",
        b"la_code;la_name;year;population_18plus\nE06000017;Rutland;2018;33300\n",
    )
    .unwrap();
    assert_eq!(semi.records.len(), 1);
    assert_eq!(semi.records[0].population_18plus, 33_300);
    refused(
        format!("{HEADER}\nE06000017,Rutland,2018,33,300\n").as_bytes(),
        "population.csv line 2: has 5 fields, the header has 4 (a comma inside a value needs quotes)",
    );
    refused(
        format!("{HEADER}\nE06000017,Rutl\u{0}and,2018,33300\n").as_bytes(),
        "population.csv: not a CSV text file (it contains binary data)",
    );
    let mut latin1 = format!("{HEADER}\n").into_bytes();
    latin1.extend_from_slice(b"E06000017,Rutland \xA3,2018,33300\n");
    refused(
        &latin1,
        "population.csv line 2: not valid UTF-8 text (save the file as UTF-8 CSV)",
    );
}
