//! Importing delays files: what a good file stores, and bad rows that need a database of their own
//! (an open period already stored, a bad 500th row) refused with the database left as it was. Each
//! kind of bad row, with its exact message, is a file of the corpus `tests/bad_inputs/` (`bad_inputs.rs`).

use crate::common;

use common::db::*;
use dtoc::domain::{Attribution, ReasonCode, Setting};
use dtoc::import::{read_delays, read_delays_bytes};
use dtoc::store::{ImportSummary, Store};

/// A good closed delay at RWE01 (acute), Leicestershire.
const GOOD: &str =
    "H1,9434765919,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-05,2018-07-10,A,NHS,2018-07-10,1";

fn file(rows: &[&str]) -> Vec<u8> {
    delays_csv(rows).into_bytes()
}

fn import(store: &mut Store, name: &str, bytes: &[u8]) -> dtoc::Result<ImportSummary> {
    let checked = read_delays_bytes(name, bytes, day(TODAY))?;
    store.import_delays(&checked)
}

/// A database file already holding the Rutland extract.
fn seeded(dir: &tempfile::TempDir) -> Store {
    let mut s = new_store(dir);
    let checked = read_delays(&data("rutland_2018.csv"), day(TODAY)).unwrap();
    s.import_delays(&checked).unwrap();
    s
}

/// The file is refused with exactly `expected`, and the database is unchanged and sound.
fn refused(bytes: &[u8], expected: &str) {
    assert_refused(seeded, |s, b| import(s, "delays.csv", b), bytes, expected);
}

// ---- good files ----

#[test]
fn leicestershire_july_2018_gives_the_published_return() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let checked = read_delays(&data("leicestershire_july_2018.csv"), day(TODAY)).unwrap();
    assert_eq!(checked.file, "leicestershire_july_2018.csv");
    let summary = store.import_delays(&checked).unwrap();
    assert_eq!(summary.rows, 113);
    assert_eq!(summary.added, 113);
    assert_eq!((summary.updated, summary.unchanged), (0, 0));
    let rows = counts(&store, "E10000018", "2018-07", "2018-07", TODAY);
    assert_eq!(total(&rows, |_| true), 978);
    assert_eq!(by_attribution(&rows, Attribution::Nhs), 865);
    assert_eq!(by_attribution(&rows, Attribution::SocialCare), 85);
    assert_eq!(by_attribution(&rows, Attribution::Both), 28);
    assert_eq!(by_setting(&rows, Setting::Acute), 564);
    assert_eq!(by_setting(&rows, Setting::NonAcute), 414);
    let by: Vec<(ReasonCode, u64)> = ReasonCode::ALL
        .into_iter()
        .map(|r| (r, by_reason(&rows, r)))
        .collect();
    use ReasonCode::*;
    assert_eq!(
        by,
        vec![
            (A, 150),
            (B, 72),
            (C, 156),
            (Di, 142),
            (Dii, 113),
            (E, 109),
            (F, 35),
            (G, 187),
            (H, 14),
            (I, 0),
            (O, 0)
        ]
    );
    assert_sound(&store);
}

#[test]
fn rutland_april_to_july_2018() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir);
    let rows = counts(&store, "E06000017", "2018-04", "2018-07", TODAY);
    let months: Vec<u64> = ["2018-04", "2018-05", "2018-06", "2018-07"]
        .iter()
        .map(|m| days_in(&rows, m))
        .collect();
    assert_eq!(months, vec![60, 112, 17, 43]);
    assert_sound(&store);
}

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&dir);
    let path = store.path().to_path_buf();
    let before = dump(&path);
    let audit_rows = count(&path, "audit_log");
    let checked = read_delays(&data("rutland_2018.csv"), day(TODAY)).unwrap();
    let again = store.import_delays(&checked).unwrap();
    assert_eq!((again.added, again.updated), (0, 0));
    assert_eq!(again.unchanged, again.rows);
    assert_eq!(
        again.to_string(),
        format!(
            "{} rows: 0 added, 0 updated, {} unchanged",
            again.rows, again.rows
        )
    );
    assert_eq!(count(&path, "audit_log"), audit_rows);
    assert_eq!(dump(&path), before);
    let rows = counts(&store, "E06000017", "2018-04", "2018-07", TODAY);
    assert_eq!(total(&rows, |_| true), 60 + 112 + 17 + 43);
}

#[test]
fn a_newer_extract_updates_open_periods_and_adds_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let first = file(&["N1,,RWE,RWE01,acute,E10000018,2018-06-25,2018-07-01,,A,NHS,,"]);
    let s = import(&mut store, "day1.csv", &first).unwrap();
    assert_eq!((s.added, s.updated), (1, 0));
    let rows = counts(&store, "E10000018", "2018-07", "2018-08", TODAY);
    assert_eq!(days_in(&rows, "2018-07"), 31);
    assert_eq!(days_in(&rows, "2018-08"), 14);

    // The open period ended on 10 July; from then the patient waits for a care package (E, Social Care).
    let second = file(&[
        "N1,,RWE,RWE01,acute,E10000018,2018-06-25,2018-07-01,2018-07-10,A,NHS,,",
        "N1,,RWE,RWE01,acute,E10000018,2018-06-25,2018-07-10,,E,Social Care,,",
    ]);
    let s = import(&mut store, "day2.csv", &second).unwrap();
    assert_eq!((s.rows, s.added, s.updated, s.unchanged), (2, 1, 1, 0));
    let delays = all_delays(&store);
    assert_eq!(delays.len(), 1, "abutting periods are one delay");
    let d = &delays[0];
    assert_eq!(d.ready_on, day("2018-07-01"));
    assert_eq!(d.ended_on, None);
    assert_eq!(
        (d.reason, d.attribution),
        (ReasonCode::E, Attribution::SocialCare)
    );
    let periods = store.periods_of(d.delay_id).unwrap();
    let shape: Vec<_> = periods
        .iter()
        .map(|p| (p.start, p.end, p.reason, p.attribution))
        .collect();
    assert_eq!(
        shape,
        vec![
            (
                day("2018-07-01"),
                Some(day("2018-07-10")),
                ReasonCode::A,
                Attribution::Nhs
            ),
            (
                day("2018-07-10"),
                None,
                ReasonCode::E,
                Attribution::SocialCare
            ),
        ]
    );
    let rows = counts(&store, "E10000018", "2018-07", "2018-08", TODAY);
    assert_eq!(total(&rows, |r| r.reason == ReasonCode::A), 9);
    assert_eq!(days_in(&rows, "2018-07"), 31);
    assert_eq!(by_attribution(&rows, Attribution::SocialCare), 22 + 14);
    assert_sound(&store);

    // Discharged on 5 August: the delay ends.
    let third = file(&[
        "N1,,RWE,RWE01,acute,E10000018,2018-06-25,2018-07-01,2018-07-10,A,NHS,2018-08-05,1",
        "N1,,RWE,RWE01,acute,E10000018,2018-06-25,2018-07-10,2018-08-05,E,Social Care,2018-08-05,1",
    ]);
    let s = import(&mut store, "day3.csv", &third).unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (0, 1, 1));
    let delays = all_delays(&store);
    assert_eq!(delays.len(), 1);
    assert_eq!(delays[0].ended_on, Some(day("2018-08-05")));
    assert_eq!(delays[0].end_kind, Some(dtoc::domain::EndKind::Discharged));
    let rows = counts(&store, "E10000018", "2018-07", "2018-08", TODAY);
    assert_eq!(days_in(&rows, "2018-08"), 4);
    assert_sound(&store);
}

#[test]
fn abutting_rows_of_a_stay_form_one_delay_and_a_gap_starts_another() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let bytes = file(&[
        // Out of order on purpose: the periods are sorted by start.
        "S1,,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-10,2018-06-15,B,Social Care,2018-07-20,3",
        "S1,,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-05,2018-06-10,A,NHS,2018-07-20,3",
        "S1,,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-15,2018-06-20,Di,Social Care,2018-07-20,3",
        // Unfit again 20 June; ready again 1 July.
        "S1,,RWE,RWE01,acute,E10000018,2018-06-01,2018-07-01,2018-07-20,Di,Both,2018-07-20,3",
    ]);
    let s = import(&mut store, "delays.csv", &bytes).unwrap();
    assert_eq!((s.rows, s.added), (4, 4));
    let mut delays = all_delays(&store);
    delays.sort_by_key(|d| d.ready_on);
    assert_eq!(delays.len(), 2);
    assert_eq!(delays[0].ready_on, day("2018-06-05"));
    assert_eq!(delays[0].ended_on, Some(day("2018-06-20")));
    assert_eq!(delays[0].end_kind, Some(dtoc::domain::EndKind::UnfitAgain));
    assert_eq!(store.periods_of(delays[0].delay_id).unwrap().len(), 3);
    assert_eq!(delays[1].ready_on, day("2018-07-01"));
    assert_eq!(delays[1].ended_on, Some(day("2018-07-20")));
    assert_eq!(delays[1].end_kind, Some(dtoc::domain::EndKind::Discharged));
    assert_eq!(store.periods_of(delays[1].delay_id).unwrap().len(), 1);
    let rows = counts(&store, "E10000018", "2018-06", "2018-07", TODAY);
    assert_eq!(days_in(&rows, "2018-06"), 15);
    assert_eq!(days_in(&rows, "2018-07"), 19);
    assert_sound(&store);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let text = format!("{DELAYS_HEADER}\r\n{GOOD}\r\n");
    for bytes in [
        text.clone().into_bytes(),
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = new_store(&dir);
        let s = import(&mut store, "delays.csv", &bytes).unwrap();
        assert_eq!((s.rows, s.added), (1, 1));
        let d = &all_delays(&store)[0];
        assert_eq!(d.local_id, "H1");
        assert_eq!(d.ended_on, Some(day("2018-07-10")));
        let rows = counts(&store, "E10000018", "2018-07", "2018-07", TODAY);
        assert_eq!(total(&rows, |_| true), 5);
    }
}

#[test]
fn a_quoted_comma_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    // The destination's published label holds a comma; it is stored by code. (A destination
    // implies its pathway, so the row is on pathway 3.)
    let row = GOOD.replace(",2018-07-10,1", ",2018-07-10,3");
    let bytes = format!(
        "{DELAYS_HEADER},destination\n{row},\"P3 - Care Home (new admission, likely permanent)\"\n"
    )
    .into_bytes();
    let s = import(&mut store, "delays.csv", &bytes).unwrap();
    assert_eq!(s.added, 1);
    let d = &all_delays(&store)[0];
    let detail = store.delay_detail(d.delay_id).unwrap();
    assert_eq!(detail.destination.as_deref(), Some("p3_care_home"));
}

#[test]
fn reason_c_attributed_to_social_care_is_accepted_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let bytes = file(&[
        GOOD,
        "H2,,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-02,2018-07-04,C,Social Care,,",
    ]);
    let s = import(&mut store, "delays.csv", &bytes).unwrap();
    assert_eq!(s.added, 2);
    assert_eq!(
        s.warnings,
        vec!["delays.csv line 3: reason C is normally attributed to the NHS, not Social Care"]
    );
    assert_eq!(
        s.to_string(),
        "2 rows: 2 added, 0 updated, 0 unchanged\nwarning: delays.csv line 3: reason C is normally attributed to the NHS, not Social Care"
    );
    let rows = counts(&store, "E10000018", "2018-07", "2018-07", TODAY);
    assert_eq!(
        total(&rows, |r| r.reason == ReasonCode::C
            && r.attribution == Attribution::SocialCare),
        2
    );
}

// ---- bad rows (one file per kind of bad row: the corpus, tests/bad_inputs/) ----

#[test]
fn overlapping_an_open_period_already_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let open = file(&["O1,,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-05,,A,NHS,,"]);
    import(&mut store, "day1.csv", &open).unwrap();
    let path = store.path().to_path_buf();
    let before = dump(&path);
    let later = file(&["O1,,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-20,2018-07-25,B,NHS,,"]);
    let err = import(&mut store, "day2.csv", &later).unwrap_err();
    assert_eq!(
        err.to_string(),
        "day2.csv line 2, delay_start 2018-07-20: overlaps the open period from 2018-07-05 already recorded for the same stay"
    );
    // The file's open period runs into a stored closed one.
    let earlier = file(&["O1,,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-02,,B,NHS,,"]);
    let err = import(&mut store, "day3.csv", &earlier).unwrap_err();
    assert_eq!(
        err.to_string(),
        "day3.csv line 2, delay_start 2018-07-02: overlaps the open period from 2018-07-05 already recorded for the same stay"
    );
    assert_eq!(dump(&path), before);
    assert_sound(&store);
}

#[test]
fn semicolon_separators_are_read_like_commas() {
    // A spreadsheet in a European locale saves `;` between columns: the same row imports.
    let text = format!(
        "{}\n{}\n",
        DELAYS_HEADER.replace(',', ";"),
        GOOD.replace(',', ";")
    );
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let summary = import(&mut store, "delays.csv", text.as_bytes()).unwrap();
    assert_eq!(summary.added, 1);
    // 2018-07-05 to 2018-07-10: 5 delayed days in July.
    let rows = counts(&store, "E10000018", "2018-07", "2018-07", TODAY);
    assert_eq!(days_in(&rows, "2018-07"), 5);
}

#[test]
fn a_bad_500th_row_leaves_the_database_unchanged() {
    let mut rows: Vec<String> = (0..499)
        .map(|i| {
            format!("B{i:04},,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-02,2018-07-05,A,NHS,,")
        })
        .collect();
    // Read-time: an unknown reason on the 500th row (line 501).
    let mut bad = rows.clone();
    bad.push("B0499,,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-02,2018-07-05,Q,NHS,,".into());
    let refs: Vec<&str> = bad.iter().map(String::as_str).collect();
    refused(
        &file(&refs),
        "delays.csv line 501, reason Q: not a reason code (expected A, B, C, Di, Dii, E, F, G, H, I or O)",
    );
    // Apply-time: the 500th row's stay (applied last) overlaps what is stored, after 499 stays were
    // written in the same transaction.
    rows.push(
        "RWE3205664,,RWE,RWE02,acute,E06000017,2018-03-14,2018-04-12,2018-04-17,A,NHS,2018-04-20,1"
            .into(),
    );
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    refused(
        &file(&refs),
        "delays.csv line 501, delay_start 2018-04-12: overlaps the period 2018-04-11..2018-04-15 already recorded for the same stay",
    );
}

#[test]
fn errors_name_the_file_given_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("july extract.csv");
    std::fs::write(
        &path,
        file(&["H2,,RWE,RWE01,acute,E10000018,2018-02-01,2018-02-30,,A,NHS,,"]),
    )
    .unwrap();
    let err = read_delays(&path, day(TODAY)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "july extract.csv line 2, delay_start 2018-02-30: not a date"
    );
}
