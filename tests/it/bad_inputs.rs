//! The bad-input corpus: every file under `tests/bad_inputs/` is imported into one database and
//! gives exactly the outcome its line of `tests/bad_inputs/expected.txt` says: the whole error
//! (file, line, column, value and rule) with the database content unchanged, or, for the files that
//! are awkward but valid (BOM, CRLF, `;` separators, quoted commas, C or I attributed to Social
//! Care), the rows imported (and the warning). A 10 MB line is generated here rather than
//! committed. Then a table of bad form entries through the store, and property tests: no input
//! makes the CSV readers, the NHS number parser or the date parsers panic.

use crate::common;

use common::db::*;
use dtoc::domain::{
    parse_input_date, parse_iso_date, Attribution, EndKind, LaCode, NhsNumber, ReasonCode, Setting,
    YearMonth,
};
use dtoc::import::{read_delays, read_delays_bytes, read_population, read_targets};
use dtoc::store::{EndDelay, NewDelay, ReasonChange, Site, Store};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// NHS numbers used in the corpus: none may appear in any message, in any layout.
const NHS_NUMBERS: &[&str] = &["9434765919", "6541003238", "9434765918", "6716689966"];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

/// What a corpus file must do.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Refused with exactly this message.
    Error(String),
    /// Imported: this many rows added, and these warnings.
    Ok { added: usize, warnings: Vec<String> },
}

fn manifest() -> Vec<(String, Outcome)> {
    let text = std::fs::read_to_string(corpus_dir().join("expected.txt")).unwrap();
    let mut out: Vec<(String, Outcome)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // A line starting with `  warning: ` adds a warning to the file above it.
        if let Some(w) = line.strip_prefix("  warning: ") {
            match out.last_mut() {
                Some((_, Outcome::Ok { warnings, .. })) => warnings.push(w.to_string()),
                _ => panic!("a warning line must follow an `ok` line: {line}"),
            }
            continue;
        }
        let (file, expected) = line.split_once(" | ").expect("FILE | OUTCOME");
        let outcome = match expected.strip_prefix("ok ") {
            Some(n) => Outcome::Ok {
                added: n.trim_end_matches(" added").parse().unwrap(),
                warnings: Vec::new(),
            },
            None => Outcome::Error(expected.replace("\\n", "\n")),
        };
        out.push((file.to_string(), outcome));
    }
    out
}

/// The database the corpus is imported into: one known acute site (SITE1 of provider RWE), an
/// ended delay of S001 (2018-07-05 to 2018-07-10) and an open delay of S002 (from 2018-08-01,
/// NHS number 671 668 9966).
fn seeded(dir: &tempfile::TempDir) -> (Store, i64, i64) {
    let mut s = new_store(dir);
    s.upsert_site(&Site {
        code: "SITE1".to_string(),
        provider_code: "RWE".to_string(),
        name: Some("Synthetic General".to_string()),
        setting: Setting::Acute,
    })
    .unwrap();
    let la = LaCode::parse("E10000018").unwrap();
    let new = |local: &str, admitted: &str, ready: &str| NewDelay {
        local_id: local.to_string(),
        nhs_number: None,
        admitted_on: day(admitted),
        site_code: "SITE1".to_string(),
        la_code: la.clone(),
        ready_on: day(ready),
        reason: ReasonCode::A,
        attribution: Attribution::Nhs,
        planned_pathway: None,
        acute_reason: None,
    };
    let ended = s
        .add_delay(&new("S001", "2018-07-01", "2018-07-05"), day(TODAY))
        .unwrap();
    s.end_delay(
        &EndDelay {
            delay_id: ended,
            version: 1,
            on: day("2018-07-10"),
            kind: EndKind::UnfitAgain,
            pathway: None,
            destination: None,
            usual_residence: None,
        },
        day(TODAY),
    )
    .unwrap();
    let mut s002 = new("S002", "2018-07-20", "2018-08-01");
    s002.nhs_number = Some(NhsNumber::parse("6716689966").unwrap());
    let open = s.add_delay(&s002, day(TODAY)).unwrap();
    (s, ended, open)
}

/// Reads and imports one file with the reader its name says (population_, targets_, else delays).
fn import(store: &mut Store, path: &Path) -> dtoc::Result<dtoc::store::ImportSummary> {
    let name = path.file_name().unwrap().to_string_lossy();
    if name.starts_with("population_") {
        store.import_population(&read_population(path)?)
    } else if name.starts_with("targets_") {
        store.import_targets(&read_targets(path)?)
    } else {
        store.import_delays(&read_delays(path, day(TODAY))?)
    }
}

fn assert_no_nhs_number(text: &str) {
    for n in NHS_NUMBERS {
        let spaced = format!("{} {} {}", &n[..3], &n[3..6], &n[6..]);
        let dashed = spaced.replace(' ', "-");
        for form in [n.to_string(), spaced, dashed] {
            assert!(!text.contains(&form), "an NHS number in: {text}");
        }
    }
}

#[test]
fn every_corpus_file_gives_its_expected_outcome() {
    let expected = manifest();
    // Every file is in the manifest and every manifest line has its file.
    let mut files: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "expected.txt")
        .collect();
    files.sort();
    let mut listed: Vec<String> = expected.iter().map(|(f, _)| f.clone()).collect();
    listed.sort();
    assert_eq!(files, listed, "tests/bad_inputs and expected.txt differ");
    let errors = expected
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Error(_)))
        .count();
    assert!(errors >= 40, "only {errors} bad inputs");

    let dir = tempfile::tempdir().unwrap();
    let (mut store, _, _) = seeded(&dir);
    let db = store.path().to_path_buf();
    for (file, outcome) in &expected {
        let path = corpus_dir().join(file);
        let before = dump(&db);
        match outcome {
            Outcome::Error(message) => {
                let err = import(&mut store, &path)
                    .map(|s| s.to_string())
                    .expect_err(file);
                assert_eq!(&err.to_string(), message, "{file}");
                assert_no_nhs_number(&err.to_string());
                assert_eq!(
                    dump(&db),
                    before,
                    "{file}: a refused import changed the database"
                );
            }
            Outcome::Ok { added, warnings } => {
                // Valid files go into a database of their own (the corpus reuses local ids).
                let other = tempfile::tempdir().unwrap();
                let (mut fresh, _, _) = seeded(&other);
                let summary = import(&mut fresh, &path).unwrap_or_else(|e| panic!("{file}: {e}"));
                assert_eq!(summary.added, *added, "{file}");
                assert_eq!(&summary.warnings, warnings, "{file}");
                assert_sound(&fresh);
            }
        }
    }
    assert_sound(&store);
}

#[test]
fn valid_awkward_files_store_the_same_values() {
    // BOM, CRLF, `;` and quoted commas change nothing in what is stored: P001 at RX1 for
    // Leicestershire, ready 2018-07-05, A/NHS, open; 10 days delayed by 2018-07-15.
    for file in [
        "valid_bom.csv",
        "valid_crlf.csv",
        "valid_semicolons.csv",
        "valid_bom_crlf_semicolons.csv",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _, _) = seeded(&dir);
        import(&mut store, &corpus_dir().join(file)).unwrap();
        let p = all_delays(&store)
            .into_iter()
            .find(|d| d.local_id == "P001")
            .unwrap_or_else(|| panic!("{file}: P001 missing"));
        assert_eq!(
            (
                p.site_code.as_str(),
                p.la_code.as_str(),
                p.ready_on,
                p.reason,
                p.attribution,
                p.ended_on
            ),
            (
                "RX1",
                "E10000018",
                day("2018-07-05"),
                ReasonCode::A,
                Attribution::Nhs,
                None
            ),
            "{file}"
        );
        assert_eq!(p.days_delayed(day("2018-07-15")), 10, "{file}");
    }
    // Quoted commas: the local id keeps its comma; a quoted destination label is read as its code.
    let dir = tempfile::tempdir().unwrap();
    let checked = read_delays(&corpus_dir().join("valid_quoted_commas.csv"), day(TODAY)).unwrap();
    assert_eq!(checked.records[0].local_id, "P001,W5");
    assert_eq!(checked.records[1].local_id, "P002, bay 3");
    assert_eq!(checked.records[1].destination.as_deref(), Some("p1_home"));
    let (mut store, _, _) = seeded(&dir);
    store.import_delays(&checked).unwrap();
    assert_sound(&store);
}

#[test]
fn a_ten_megabyte_line_is_refused_with_a_short_message() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _, _) = seeded(&dir);
    let db = store.path().to_path_buf();
    let before = dump(&db);
    let huge = "X".repeat(10 * 1024 * 1024);
    let path = dir.path().join("ten_mb_line.csv");
    std::fs::write(
        &path,
        delays_csv(&[&format!(
            "{huge},9434765919,RWE,RX1,acute,E10000018,2018-07-01,2018-07-05,,A,NHS,,"
        )]),
    )
    .unwrap();
    let err = import(&mut store, &path).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "ten_mb_line.csv line 2, local_id {}: is longer than 200 characters",
            "X".repeat(40)
        )
    );
    assert_eq!(dump(&db), before);
    // One 10 MB field with no separators at all.
    std::fs::write(&path, delays_csv(&[&huge])).unwrap();
    let err = import(&mut store, &path).unwrap_err().to_string();
    assert_eq!(
        err,
        "ten_mb_line.csv line 2: has 1 fields, the header has 13 (a comma inside a value needs quotes)"
    );
    assert_eq!(dump(&db), before);
    // The same 10 MB as a header (one huge column name).
    std::fs::write(&path, format!("{huge}\nx\n")).unwrap();
    let err = import(&mut store, &path).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "ten_mb_line.csv line 1: unknown column `{}`",
            "x".repeat(40)
        )),
        "{}",
        &err[..200.min(err.len())]
    );
    assert!(err.len() < 1_000);
    assert_eq!(dump(&db), before);
}

/// Bad form entries (what the app's forms send to the store): each refused with its message and
/// the database unchanged.
#[test]
fn bad_form_entries_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ended, open) = seeded(&dir);
    let db = store.path().to_path_buf();
    let la = LaCode::parse("E10000018").unwrap();
    let today = day(TODAY);
    let add = |local: &str, site: &str, admitted: &str, ready: &str| NewDelay {
        local_id: local.to_string(),
        nhs_number: Some(NhsNumber::parse("6716689966").unwrap()),
        admitted_on: day(admitted),
        site_code: site.to_string(),
        la_code: la.clone(),
        ready_on: day(ready),
        reason: ReasonCode::B,
        attribution: Attribution::SocialCare,
        planned_pathway: None,
        acute_reason: None,
    };
    type Entry<'a> = (
        &'a str,
        Box<dyn Fn(&mut Store) -> dtoc::Result<()> + 'a>,
        &'a str,
    );
    let entries: Vec<Entry> = vec![
        (
            "add: ready date in the future",
            Box::new(|s| s.add_delay(&add("F1", "SITE1", "2018-08-01", "2018-08-16"), today).map(drop)),
            "the ready date 2018-08-16 is in the future (today is 2018-08-15)",
        ),
        (
            "add: admitted in the future",
            Box::new(|s| s.add_delay(&add("F1", "SITE1", "2018-09-01", "2018-08-10"), today).map(drop)),
            "admission on 2018-09-01 is in the future (today is 2018-08-15)",
        ),
        (
            "add: ready before admission",
            Box::new(|s| s.add_delay(&add("F1", "SITE1", "2018-08-10", "2018-08-01"), today).map(drop)),
            "the ready date 2018-08-01 is before admission on 2018-08-10",
        ),
        (
            "add: no local id",
            Box::new(|s| s.add_delay(&add("  ", "SITE1", "2018-08-01", "2018-08-02"), today).map(drop)),
            "a local hospital number is needed",
        ),
        (
            "add: local id too long",
            Box::new(|s| {
                s.add_delay(&add(&"L".repeat(41), "SITE1", "2018-08-01", "2018-08-02"), today)
                    .map(drop)
            }),
            "the local hospital number is longer than 40 characters",
        ),
        (
            "add: unknown site",
            Box::new(|s| s.add_delay(&add("F1", "NOPE", "2018-08-01", "2018-08-02"), today).map(drop)),
            "site NOPE is not known: add it in Settings or import it",
        ),
        (
            "add: overlaps the open delay of the same stay",
            Box::new(|s| s.add_delay(&add("S002", "SITE1", "2018-07-20", "2018-08-05"), today).map(drop)),
            "this stay already has a delay from 2018-08-01 (still open): delays of one stay cannot overlap",
        ),
        (
            "add: another NHS number for a known local id",
            Box::new(|s| {
                let mut n = add("S002", "SITE1", "2018-08-10", "2018-08-12");
                n.nhs_number = Some(NhsNumber::parse("6541003238").unwrap());
                s.add_delay(&n, today).map(drop)
            }),
            "local id S002 is recorded with a different NHS number",
        ),
        (
            "change reason: before the ready date",
            Box::new(|s| {
                s.change_reason(
                    &ReasonChange {
                        delay_id: open,
                        version: 1,
                        from: day("2018-07-31"),
                        reason: ReasonCode::E,
                        attribution: Attribution::Both,
                        acute_reason: None,
                    },
                    today,
                )
            }),
            "the change date 2018-07-31 is before the delay's ready date 2018-08-01",
        ),
        (
            "change reason: in the future",
            Box::new(|s| {
                s.change_reason(
                    &ReasonChange {
                        delay_id: open,
                        version: 1,
                        from: day("2018-08-20"),
                        reason: ReasonCode::E,
                        attribution: Attribution::Both,
                        acute_reason: None,
                    },
                    today,
                )
            }),
            "the change date 2018-08-20 is in the future (today is 2018-08-15)",
        ),
        (
            "end: before the ready date",
            Box::new(|s| {
                s.end_delay(
                    &EndDelay {
                        delay_id: open,
                        version: 1,
                        on: day("2018-07-30"),
                        kind: EndKind::Discharged,
                        pathway: None,
                        destination: None,
                        usual_residence: None,
                    },
                    today,
                )
            }),
            "the end date 2018-07-30 is before the ready date 2018-08-01",
        ),
        (
            "end: in the future",
            Box::new(|s| {
                s.end_delay(
                    &EndDelay {
                        delay_id: open,
                        version: 1,
                        on: day("2018-08-16"),
                        kind: EndKind::UnfitAgain,
                        pathway: None,
                        destination: None,
                        usual_residence: None,
                    },
                    today,
                )
            }),
            "the end date 2018-08-16 is in the future (today is 2018-08-15)",
        ),
        (
            "end: already ended",
            Box::new(|s| {
                s.end_delay(
                    &EndDelay {
                        delay_id: ended,
                        version: 2,
                        on: day("2018-07-12"),
                        kind: EndKind::UnfitAgain,
                        pathway: None,
                        destination: None,
                        usual_residence: None,
                    },
                    today,
                )
            }),
            "this delay has already ended",
        ),
    ];
    for (what, f, message) in &entries {
        let before = dump(&db);
        let err = f(&mut store).expect_err(what);
        assert_eq!(err.to_string(), *message, "{what}");
        assert_no_nhs_number(&err.to_string());
        assert_eq!(dump(&db), before, "{what} changed the database");
    }
    // What the form fields refuse as they are typed (the messages beside the field).
    let typed: &[(&str, String)] = &[
        (
            "9434765918",
            NhsNumber::parse("9434765918").unwrap_err().to_string(),
        ),
        (
            "943 476 591",
            NhsNumber::parse("943 476 591").unwrap_err().to_string(),
        ),
    ];
    assert_eq!(typed[0].1, "NHS number check digit is wrong (modulus 11)");
    assert_eq!(
        typed[1].1,
        "an NHS number has 10 digits (spaces allowed as 3-3-4)"
    );
    assert_eq!(
        parse_input_date("30/2/18", today).unwrap_err().to_string(),
        "\"30/2/18\": not a date (use 2018-07-03, 3/7/18, t or t-1)"
    );
    assert_eq!(
        parse_iso_date("2018-02-30").unwrap_err().to_string(),
        "\"2018-02-30\": not a date (use YYYY-MM-DD)"
    );
    assert_eq!(
        YearMonth::parse("2018-13").unwrap_err().to_string(),
        "\"2018-13\": not a month (use YYYY-MM)"
    );
    assert_sound(&store);
}

// ---- property tests: no input panics ----

const GOOD_ROW: [&str; 13] = [
    "P1",
    "9434765919",
    "RWE",
    "RX1",
    "acute",
    "E10000018",
    "2018-07-01",
    "2018-07-05",
    "2018-07-10",
    "A",
    "NHS",
    "2018-07-10",
    "1",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_delays_bytes("x.csv", &bytes, day(TODAY));
        let _ = dtoc::import::read_population_bytes("x.csv", &bytes);
        let _ = dtoc::import::read_targets_bytes("x.csv", &bytes);
        let mut with_header = format!("{DELAYS_HEADER}\n").into_bytes();
        with_header.extend_from_slice(&bytes);
        let _ = read_delays_bytes("x.csv", &with_header, day(TODAY));
    }

    #[test]
    fn arbitrary_text_rows_never_panic(rows in proptest::collection::vec("[ -~\u{a0}-\u{17f}\",;\r\n]{0,120}", 0..6)) {
        let text = format!("{DELAYS_HEADER}\n{}", rows.join("\n"));
        let _ = read_delays_bytes("x.csv", text.as_bytes(), day(TODAY));
    }

    /// A valid row with one or two cells replaced by arbitrary text: it either reads, or is refused
    /// with a message naming line 2 (and never an NHS number).
    #[test]
    fn mutated_valid_rows_never_panic(
        i in 0usize..13, v in "\\PC{0,30}", j in 0usize..13, w in "[0-9a-zA-Z /:-]{0,12}"
    ) {
        let mut cells: Vec<String> = GOOD_ROW.iter().map(|s| s.to_string()).collect();
        cells[i] = v.replace(['"', ',', '\n', '\r'], "");
        cells[j] = w;
        let text = format!("{DELAYS_HEADER}\n{}\n", cells.join(","));
        match read_delays_bytes("x.csv", text.as_bytes(), day(TODAY)) {
            Ok(c) => prop_assert_eq!(c.records.len(), 1),
            Err(e) => {
                let m = e.to_string();
                prop_assert!(m.starts_with("x.csv line 2, ") || m.starts_with("x.csv line 2:"), "{}", m);
                prop_assert!(!m.contains("9434765919"), "{}", m);
            }
        }
    }

    #[test]
    fn nhs_number_parser_never_panics(s in "\\PC{0,20}", digits in "[0-9 -]{0,14}") {
        for input in [&s, &digits] {
            if let Ok(n) = NhsNumber::parse(input) {
                // Whatever parses is 10 digits that pass the modulus 11 check.
                prop_assert_eq!(n.as_str().len(), 10);
                prop_assert!(NhsNumber::parse(n.as_str()).is_ok());
            }
        }
    }

    #[test]
    fn date_parsers_never_panic(s in "\\PC{0,16}", shaped in "[0-9]{1,5}[-/][0-9]{1,3}[-/][0-9]{1,5}", off in "t[+-][0-9]{1,12}") {
        for input in [&s, &shaped, &off] {
            let _ = parse_iso_date(input);
            let _ = parse_input_date(input, day(TODAY));
            let _ = YearMonth::parse(input);
            let _ = dtoc::domain::parse_iso_week(input);
        }
    }
}
