//! The output contract (docs/output.md, issue 28), read from the page itself: every command of
//! `Cli::command()` that writes JSON has a section there; each section's command, run on the demo,
//! writes one JSON document (`report`, `generated_for`, then `title`, `notes`, `rows`,
//! `suppressed`, or a `tables` list) whose every cell is of the type the section states; its
//! example is what the binary writes; `--suppress 5` writes hidden cells as `null` and lists
//! exactly them; its XLSX holds the same values, months and dates as Excel dates, years plain,
//! and names its hidden cells; its terminal table has one layout with `--out` and `--suppress`.
//!
//! `DTOC_BLESS_DOCS=1 cargo test --test it contract::` rewrites the page's examples from the
//! binary (then review the diff).
#![allow(clippy::unwrap_used)]

mod doc;

use crate::common;

use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
use clap::CommandFactory;
use common::cli::{dtoc, stdout_of};
use common::xlsx::number_format;
use doc::{Base, Contract, Ty};
use dtoc::commands::output::json_key;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The sections of docs/output.md.
fn contracts() -> Vec<Contract> {
    doc::contracts(&std::fs::read_to_string(doc::PAGE).unwrap())
}

/// `dtoc --db DB --today 2018-08-15 --user analyst ARGS` in the database's folder (where a
/// documented `--out FILE` goes): stdout, the command having succeeded.
fn run(db: &Path, args: &[&str]) -> String {
    let mut cmd = dtoc(db);
    cmd.current_dir(db.parent().unwrap());
    stdout_of(cmd, &[&["--user", "analyst"][..], args].concat())
}

/// The JSON document `args` (with `--format json`, or given it) writes: to stdout, or to the file
/// of its `--out` (a command that writes only files, such as a patient-level export).
fn json(db: &Path, args: &[&str]) -> Value {
    let mut args = if args.contains(&"--format") {
        args.to_vec()
    } else {
        [args, &["--format", "json"]].concat()
    };
    let out = args.iter().position(|a| *a == "--out").map(|i| args[i + 1]);
    if out.is_some() {
        // Run again by another test of the same demo: replaced.
        args.push("--force");
    }
    let mut text = run(db, &args);
    if let Some(file) = out {
        text = std::fs::read_to_string(db.parent().unwrap().join(file)).unwrap();
    }
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"))
}

/// `args` without a documented `--out FILE`, for a test that gives its own.
fn without_out<'a>(args: &[&'a str]) -> Vec<&'a str> {
    match args.iter().position(|a| *a == "--out") {
        Some(i) => [&args[..i], &args[i + 2..]].concat(),
        None => args.to_vec(),
    }
}

/// The demo, with published returns (for the benchmark) and a reported month (for reconcile),
/// built as user `analyst`.
fn contract_demo(dir: &tempfile::TempDir) -> PathBuf {
    let db = dir.path().join("demo.db");
    run(&db, &["demo", "--no-tui"]);
    let published = dir.path().join("published.csv");
    std::fs::write(
        &published,
        crate::benchmark::published_csv(&[
            ("-", "England", "140938", "July 2018"),
            ("E10000018", "Leicestershire", "978", "July 2018"),
            ("E10000007", "Derbyshire", "1282", "July 2018"),
            ("E10000019", "Lincolnshire", "-", "July 2018"),
        ]),
    )
    .unwrap();
    run(&db, &["import", "published", published.to_str().unwrap()]);
    let reported = dir.path().join("reported.csv");
    std::fs::write(
        &reported,
        "month,la_code,measure,delayed_days\n2018-07,E10000018,total,1000\n2018-07,E10000018,nhs,880\n",
    )
    .unwrap();
    run(&db, &["import", "reported", reported.to_str().unwrap()]);
    add_actions(&db);
    db
}

/// Two actions (for `dtoc actions`): one overdue on 15 August 2018, one without a due date.
fn add_actions(db: &Path) {
    let mut store = dtoc::store::Store::open(db).unwrap();
    store.set_user("analyst").unwrap();
    let open = store
        .list_delays(&Default::default(), day("2018-08-15").unwrap())
        .unwrap();
    for (row, text, owner, due) in [
        (
            &open[0],
            "Chase P1 package with provider",
            "Hub team",
            Some("2018-08-14"),
        ),
        (&open[1], "Book a family meeting", "Social work", None),
    ] {
        let due_on = due.and_then(day);
        store
            .add_action(
                row.delay_id,
                &dtoc::store::NewAction {
                    text: text.into(),
                    owner: owner.into(),
                    due_on,
                },
                day("2018-08-13").unwrap(),
            )
            .unwrap();
    }
}

/// The command paths of `Cli::command()` (`report monthly`, `export audit`, ..) that take the
/// argument `id`, and when `value` is given, offer it among its values.
fn paths_with(id: &str, value: Option<&str>) -> BTreeSet<String> {
    fn walk(
        cmd: &clap::Command,
        path: &[&str],
        id: &str,
        value: Option<&str>,
        out: &mut BTreeSet<String>,
    ) {
        let takes = cmd.get_arguments().any(|a| {
            a.get_id() == id
                && value.is_none_or(|v| a.get_possible_values().iter().any(|p| p.matches(v, true)))
        });
        if takes {
            out.insert(path.join(" "));
        }
        for sub in cmd.get_subcommands() {
            let child = [path, &[sub.get_name()]].concat();
            walk(sub, &child, id, value, out);
        }
    }
    let mut out = BTreeSet::new();
    walk(&dtoc::cli::Cli::command(), &[], id, value, &mut out);
    out
}

/// The command path of a contract's arguments (its words before the first flag).
fn path_of(c: &Contract) -> String {
    let words: Vec<&str> = c
        .args
        .iter()
        .map(String::as_str)
        .take_while(|a| !a.starts_with('-'))
        .collect();
    words.join(" ")
}

/// `args` with `--suppress 5` when the command takes it.
fn suppressed_args<'a>(c: &'a Contract, suppressible: &BTreeSet<String>) -> Vec<&'a str> {
    let mut args = c.args();
    if suppressible.contains(&path_of(c)) {
        args.extend(["--suppress", "5"]);
    }
    args
}

/// Whether `v` is of the documented type `ty`.
fn of_type(ty: Ty, v: &Value) -> bool {
    if v.is_null() {
        return ty.null;
    }
    let text = |ok: fn(&str) -> bool| v.as_str().is_some_and(ok);
    match ty.base {
        Base::Int | Base::Year => v.is_i64() || v.is_u64(),
        Base::Number => v.is_number(),
        Base::Text => v.as_str().is_some_and(|s| !s.is_empty()),
        Base::Bool => v.is_boolean(),
        Base::Month => text(|s| s.len() == 7 && day(&format!("{s}-01")).is_some()),
        Base::Date => text(|s| s.len() == 10 && day(s).is_some()),
        Base::Moment => text(|s| moment(s).is_some()),
    }
}

fn day(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn moment(s: &str) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ").ok()
}

/// Checks one document against its contract; returns how many cells it checked and how many
/// RAGs without a target it found null.
fn check(c: &Contract, doc: &Value) -> (usize, usize) {
    let label = &c.label;
    let obj = doc.as_object().unwrap();
    assert!(
        doc["report"].as_str().is_some_and(|r| !r.is_empty()),
        "{label}"
    );
    assert_eq!(doc["generated_for"], "2018-08-15", "{label}");
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    if c.multi() {
        assert_eq!(keys, ["report", "generated_for", "tables"], "{label}");
        let names: Vec<&str> = doc::tables_of(doc)
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        let documented: Vec<&str> = c.tables.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, documented, "{label}");
    } else {
        let documented = [
            "report",
            "generated_for",
            "title",
            "notes",
            "rows",
            "suppressed",
        ];
        assert_eq!(keys, documented, "{label}");
    }
    let (mut cells, mut rags) = (0, 0);
    for (i, t) in doc::tables_of(doc).into_iter().enumerate() {
        let name = &c.tables[i].0;
        assert!(
            t["title"].as_str().is_some_and(|s| !s.is_empty()),
            "{label} {name}"
        );
        assert!(
            t["notes"].as_array().unwrap().iter().all(Value::is_string),
            "{label}"
        );
        assert_eq!(t["suppressed"], serde_json::json!([]), "{label} {name}");
        let rows = t["rows"].as_array().unwrap();
        assert!(!rows.is_empty(), "{label} {name}: no rows to check");
        for (r, row) in rows.iter().enumerate() {
            let row = row.as_object().unwrap();
            for (k, v) in row {
                let ty = c
                    .type_of(i, k)
                    .unwrap_or_else(|| panic!("{label} {name}: {k} is not documented"));
                assert!(
                    of_type(ty, v),
                    "{label} {name} row {r}: {k} = {v} is not {ty:?}"
                );
                cells += 1;
            }
            for (k, _) in c.tables[i].1.iter().filter(|(k, _)| !k.ends_with('*')) {
                assert!(row.contains_key(k), "{label} {name} row {r}: no {k}");
            }
            // No target, no RAG: `rag` and `vs_target` are null (never "") where the target is.
            for (k, v) in row.iter().filter(|(k, _)| k.ends_with("rag")) {
                let prefix = k.strip_suffix("rag").unwrap();
                let target = match prefix {
                    "" => "target_per_100k_day".to_string(),
                    p => format!("{p}target"),
                };
                let vs = format!("{prefix}vs_target");
                if row[&target].is_null() {
                    assert!(v.is_null() && row[&vs].is_null(), "{label} row {r}: {k}");
                    rags += 1;
                }
            }
        }
    }
    (cells, rags)
}

/// Every command that can write JSON (from `Cli::command()`: a `--format` offering `json`) has
/// its section in docs/output.md, and every section is such a command: a new report without a
/// documented contract fails here.
#[test]
fn every_command_writing_json_has_a_documented_contract() {
    let writes_json = paths_with("format", Some("json"));
    let documented: BTreeSet<String> = contracts().iter().map(path_of).collect();
    assert_eq!(writes_json, documented);
    for path in [
        "report monthly",
        "report weekly",
        "report forecast",
        "export audit",
    ] {
        assert!(writes_json.contains(path), "{path}");
    }
    assert!(writes_json.len() >= 12, "{writes_json:?}");
}

#[test]
fn every_report_and_export_writes_one_json_document_of_its_documented_types() {
    let dir = tempfile::tempdir().unwrap();
    let db = contract_demo(&dir);
    let (mut cells, mut rags) = (0, 0);
    for c in contracts() {
        let (n, r) = check(&c, &json(&db, &c.args()));
        cells += n;
        rags += r;
    }
    // Every documented output has rows: thousands of cells checked, not a vacuous pass; and
    // there are RAGs without a target (the demo's NHS rows, pathways without targets).
    assert!(cells > 10_000, "{cells}");
    assert!(rags > 50, "{rags}");
}

/// The examples of docs/output.md are what the binary writes (each table cut to the rows shown;
/// an audit entry's moment, the clock's, aside), with the row counts the page states.
#[test]
fn the_documented_examples_are_what_the_binary_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = contract_demo(&dir);
    let page = std::fs::read_to_string(doc::PAGE).unwrap();
    let mut lines: Vec<String> = page.lines().map(String::from).collect();
    let examples = doc::examples(&page);
    assert!(examples.len() > contracts().len(), "{}", examples.len());
    let bless = std::env::var_os("DTOC_BLESS_DOCS").is_some();
    // Last first, so that a rewritten block leaves the line numbers before it as they were.
    for ex in examples.iter().rev() {
        let args: Vec<&str> = ex.args.iter().map(String::as_str).collect();
        let actual = json(&db, &args);
        let shown = lines[ex.block.clone()].join("\n");
        let counts = match serde_json::from_str::<Value>(&shown) {
            Ok(v) => doc::row_counts(&v),
            Err(_) => vec![1; doc::tables_of(&actual).len()],
        };
        let expected = doc::render(&doc::cut(&actual, &counts));
        let line = doc::with_counts(&lines[ex.command_line], &doc::row_counts(&actual));
        let same = doc::without_moments(&shown) == doc::without_moments(&expected);
        if bless {
            lines[ex.command_line] = line;
            // An audit entry's moment alone is no change.
            if !same {
                lines.splice(ex.block.clone(), expected.lines().map(String::from));
            }
            continue;
        }
        assert_eq!(lines[ex.command_line], line, "the row counts of {args:?}");
        assert!(
            same,
            "docs/output.md's example of {args:?} (DTOC_BLESS_DOCS=1 rewrites it):\n{shown}\n{expected}"
        );
    }
    if bless {
        std::fs::write(doc::PAGE, lines.join("\n") + "\n").unwrap();
    }
}

/// `--suppress 5`: a cell is `null` and listed in `suppressed` exactly when the plain document
/// has a figure there that the suppressed one hides; everything else is as in the plain one.
#[test]
fn suppressed_cells_are_null_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let db = contract_demo(&dir);
    let suppressible = paths_with("suppress", None);
    let mut hidden = 0;
    for c in contracts()
        .iter()
        .filter(|c| suppressible.contains(&path_of(c)))
    {
        let label = &c.label;
        let (plain, suppressed) = (
            json(&db, &c.args()),
            json(&db, &suppressed_args(c, &suppressible)),
        );
        let (p_tables, s_tables) = (doc::tables_of(&plain), doc::tables_of(&suppressed));
        assert_eq!(p_tables.len(), s_tables.len(), "{label}");
        for (p, s) in p_tables.into_iter().zip(s_tables) {
            let listed: BTreeSet<String> = s["suppressed"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            let (p_rows, s_rows) = (p["rows"].as_array().unwrap(), s["rows"].as_array().unwrap());
            assert_eq!(p_rows.len(), s_rows.len(), "{label}");
            let mut changed = BTreeSet::new();
            for (i, (pr, sr)) in p_rows.iter().zip(s_rows).enumerate() {
                for (k, pv) in pr.as_object().unwrap() {
                    let sv = &sr[k];
                    if listed.contains(&format!("{i}/{k}")) {
                        assert!(sv.is_null(), "{label} {i}/{k} listed but {sv}");
                    } else {
                        assert_eq!(pv, sv, "{label} {i}/{k} changed, not listed");
                    }
                    if !pv.is_null() && sv.is_null() {
                        changed.insert(format!("{i}/{k}"));
                    }
                }
            }
            // Every figure hidden is listed; a listed cell is one the table has.
            assert!(changed.is_subset(&listed), "{label}");
            for l in &listed {
                let (i, k) = l.split_once('/').unwrap();
                let i: usize = i.parse().unwrap();
                assert!(s_rows[i].get(k).is_some(), "{label}: {l}");
            }
            hidden += changed.len();
        }
    }
    assert!(hidden > 50, "{hidden}");
}

/// An Excel serial day number as a moment (days since 1899-12-30, the fraction the time).
fn excel_moment(serial: f64) -> chrono::NaiveDateTime {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    epoch + chrono::Duration::seconds((serial * 86_400.0).round() as i64)
}

/// Whether the XLSX cell `cell` holds the JSON value `v` of type `ty` (`*` where `hidden`).
fn holds(cell: &Data, ty: Ty, v: &Value, hidden: bool) -> bool {
    let as_moment = || match cell {
        Data::DateTime(d) => Some(excel_moment(d.as_f64())),
        _ => None,
    };
    match v {
        Value::Null if hidden => cell.get_string() == Some("*"),
        Value::Null => cell.is_empty(),
        _ => match ty.base {
            Base::Int | Base::Year => cell.is_float() && cell.as_f64() == v.as_f64(),
            Base::Number => {
                let (x, y) = (cell.as_f64().unwrap_or(f64::NAN), v.as_f64().unwrap());
                cell.is_float() && (x - y).abs() <= 1e-9 * y.abs().max(1.0)
            }
            Base::Text => cell.get_string() == v.as_str(),
            Base::Bool => cell.get_bool() == v.as_bool(),
            Base::Month => {
                as_moment().map(|m| m.date()) == day(&format!("{}-01", v.as_str().unwrap()))
            }
            Base::Date => as_moment().map(|m| m.date()) == day(v.as_str().unwrap()),
            Base::Moment => as_moment() == moment(v.as_str().unwrap()),
        },
    }
}

/// The spreadsheet name of column `c` (from 0) and row `r` (from 0): `A1`.
fn reference(c: usize, r: usize) -> String {
    let mut n = c + 1;
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap(), r + 1)
}

/// Runs `args` with `--format xlsx --out FILE` and opens the workbook written.
fn xlsx(db: &Path, args: &[&str], file: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    let out = ["--format", "xlsx", "--out", file.to_str().unwrap()];
    run(db, &[args, &out[..]].concat());
    open_workbook(file).unwrap()
}

/// The number format each type is shown with (docs/output.md, XLSX).
fn number_format_of(base: Base) -> Option<&'static str> {
    match base {
        Base::Int => Some("#,##0"),
        Base::Year => Some("0"),
        Base::Number => Some("#,##0.00"),
        Base::Month => Some("mmm yyyy"),
        Base::Date => Some("yyyy-mm-dd"),
        Base::Moment => Some("yyyy-mm-dd hh:mm:ss"),
        Base::Text | Base::Bool => None,
    }
}

/// Every report and export in XLSX (under `--suppress 5` where it takes it) holds what its JSON
/// holds, sheet by sheet: the same columns in the same order, every value the same, months and
/// dates as Excel dates, moments as date-times, years shown `0` (2018, never 2,018), counts
/// `#,##0`; a hidden figure is `*`, and the cell above the header names exactly the cells the
/// JSON lists as suppressed.
#[test]
fn xlsx_holds_the_json_with_excel_dates_plain_years_and_named_suppression() {
    let dir = tempfile::tempdir().unwrap();
    let db = contract_demo(&dir);
    let suppressible = paths_with("suppress", None);
    let (mut cells, mut named) = (0, 0);
    for (n, c) in contracts().iter().enumerate() {
        let label = &c.label;
        let doc = json(&db, &suppressed_args(c, &suppressible));
        let args = without_out(&suppressed_args(c, &suppressible));
        let file = dir.path().join(format!("contract{n}.xlsx"));
        let mut wb = xlsx(&db, &args, &file);
        let tables = doc::tables_of(&doc);
        assert_eq!(wb.sheet_names().len(), tables.len(), "{label}");
        for (i, t) in tables.into_iter().enumerate() {
            let range = wb.worksheet_range_at(i).unwrap().unwrap();
            assert_eq!(range.start(), Some((0, 0)), "{label}");
            let rows = t["rows"].as_array().unwrap();
            let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
            let grid: Vec<&[Data]> = range.rows().collect();
            let h = grid
                .iter()
                .position(|r| {
                    let names: Vec<String> = r
                        .iter()
                        .filter_map(|c| c.get_string())
                        .map(json_key)
                        .collect();
                    names.iter().collect::<Vec<_>>() == keys
                })
                .unwrap_or_else(|| panic!("{label}: no header row {keys:?}"));
            // The audit log has, when its XLSX is written, the entry of the JSON export before.
            let logged = usize::from(doc["report"] == "audit");
            assert_eq!(grid.len(), h + 1 + rows.len() + logged, "{label}: rows");
            let listed: BTreeSet<String> = t["suppressed"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect();
            let mut format_checked = BTreeSet::new();
            for (r, row) in rows.iter().enumerate() {
                for (col, (k, v)) in row.as_object().unwrap().iter().enumerate() {
                    let ty = c.type_of(i, k).unwrap();
                    let cell = &grid[h + 1 + r][col];
                    let hidden = listed.contains(&format!("{r}/{k}"));
                    assert!(
                        holds(cell, ty, v, hidden),
                        "{label} {} row {r}: {k} is {cell:?}, the JSON {v}",
                        t["title"]
                    );
                    cells += 1;
                    let fmt = number_format_of(ty.base);
                    if let (Some(fmt), false, false) = (fmt, v.is_null(), hidden) {
                        if format_checked.insert(col) {
                            let at = reference(col, h + 1 + r);
                            assert_eq!(number_format(&file, i + 1, &at), fmt, "{label} {k} {at}");
                        }
                    }
                }
            }
            // The cell naming the suppressed cells, above the header: exactly those listed.
            let note = grid[..h]
                .iter()
                .flat_map(|r| r.iter())
                .filter_map(|c| c.get_string())
                .find(|s| s.starts_with("Suppressed figures (shown *)"));
            let Some(note) = note else {
                assert!(
                    listed.is_empty(),
                    "{label}: {} hidden, no cell says so",
                    listed.len()
                );
                continue;
            };
            // `Suppressed figures (shown *), 12 cells: E5, I5, .. and 3 more`.
            let count: usize = note
                .split_once("), ")
                .and_then(|(_, s)| s.split_whitespace().next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{note}"));
            let refs: BTreeSet<String> = note
                .split_once(": ")
                .unwrap()
                .1
                .split(" and ")
                .next()
                .unwrap()
                .split(", ")
                .map(String::from)
                .collect();
            let as_cells: BTreeSet<String> = listed
                .iter()
                .map(|l| {
                    let (r, k) = l.split_once('/').unwrap();
                    let col = keys.iter().position(|key| *key == k).unwrap();
                    reference(col, h + 1 + r.parse::<usize>().unwrap())
                })
                .collect();
            assert_eq!(count, listed.len(), "{label}: {note}");
            assert!(refs.is_subset(&as_cells), "{label}: {note}");
            assert_eq!(refs.len(), count.min(200), "{label}: {note}");
            named += refs.len();
        }
    }
    assert!(cells > 10_000, "{cells}");
    assert!(named > 50, "{named}");
}

/// Worked values of one sheet: Leicestershire's July 2018 in the monthly XLSX.
#[test]
fn monthly_xlsx_month_is_a_date_and_its_population_year_plain() {
    let dir = tempfile::tempdir().unwrap();
    let db = contract_demo(&dir);
    let file = dir.path().join("monthly.xlsx");
    let m = [
        "report",
        "monthly",
        "--la",
        "E10000018",
        "--from",
        "2018-07",
        "--to",
        "2018-07",
    ];
    let mut wb = xlsx(&db, &m, &file);
    let r = wb.worksheet_range("Monthly report").unwrap();
    let at = |row: u32, col: u32| r.get_value((row, col)).cloned();
    // Row 0 the title, row 1 the header, row 2 July's total: the month an Excel date (43282 is
    // 2018-07-01), the population year 2018 a plain number shown `0` (never "2,018").
    assert_eq!(at(1, 7), Some(Data::String("population_year".into())));
    match at(2, 0) {
        Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 43_282.0),
        other => panic!("month is not a date: {other:?}"),
    }
    assert_eq!(at(2, 7), Some(Data::Float(2018.0)));
    assert_eq!(number_format(&file, 1, "H3"), "0");
    assert_eq!(number_format(&file, 1, "E3"), "#,##0");
    // The population beside it keeps its thousands separator (543,600).
    assert_eq!(at(2, 6), Some(Data::Float(543_600.0)));
    assert_eq!(number_format(&file, 1, "G3"), "#,##0");
    assert_eq!(number_format(&file, 1, "A3"), "mmm yyyy");
}

/// A terminal line's cells: split where two spaces or more part them.
fn cells_of(line: &str) -> Vec<&str> {
    line.split("  ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The tables of a terminal text, in order: each table's header (its cells) and rows (theirs).
/// A header is the first line after the table before whose cells are, as keys, all among the
/// table's `keys` (the terminal may show fewer, in its own order); its rows run to the next line
/// of fewer than two cells (a blank line, a summary line).
fn terminal_tables<'a>(
    text: &'a str,
    keys: &[Vec<String>],
) -> Vec<(Vec<&'a str>, Vec<Vec<&'a str>>)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for keys in keys {
        let header =
            |cells: &[&str]| cells.len() >= 2 && cells.iter().all(|c| keys.contains(&json_key(c)));
        let Some(h) = (at..lines.len()).find(|&i| header(&cells_of(lines[i]))) else {
            break;
        };
        let rows: Vec<Vec<&str>> = lines[h + 1..]
            .iter()
            .take_while(|l| cells_of(l).len() >= 2)
            .map(|l| cells_of(l))
            .collect();
        at = h + 1 + rows.len();
        out.push((cells_of(lines[h]), rows));
    }
    out
}

/// The terminal table has one layout: `--out` writes the same text the terminal shows, and
/// `--suppress 5` changes only the hidden figures (`*`) and the notes, never the columns, their
/// headers or the rows; every row of the JSON is shown.
#[test]
fn the_terminal_layout_is_the_same_with_out_and_suppress() {
    let dir = tempfile::tempdir().unwrap();
    let db = contract_demo(&dir);
    let tables = paths_with("format", Some("table"));
    let suppressible = paths_with("suppress", None);
    let mut checked = 0;
    for (n, c) in contracts().iter().enumerate() {
        let path = path_of(c);
        if !tables.contains(&path) || !suppressible.contains(&path) {
            continue;
        }
        let (label, args) = (&c.label, without_out(&c.args()));
        let shown = run(&db, &args);
        let file = dir.path().join(format!("contract{n}.txt"));
        let said = run(
            &db,
            &[&args[..], &["--out", file.to_str().unwrap()]].concat(),
        );
        assert_eq!(said, format!("wrote {}\n", file.display()), "{label}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), shown, "{label}");
        let suppressed = run(&db, &without_out(&suppressed_args(c, &suppressible)));
        let doc = json(&db, &c.args());
        let keys: Vec<Vec<String>> = doc::tables_of(&doc)
            .iter()
            .map(|t| t["rows"][0].as_object().unwrap().keys().cloned().collect())
            .collect();
        let (plain, hidden) = (
            terminal_tables(&shown, &keys),
            terminal_tables(&suppressed, &keys),
        );
        assert_eq!(plain.len(), keys.len(), "{label}:\n{shown}");
        assert_eq!(hidden.len(), keys.len(), "{label}:\n{suppressed}");
        for (((ph, pr), (sh, sr)), rows) in plain.iter().zip(&hidden).zip(doc::row_counts(&doc)) {
            assert_eq!(ph, sh, "{label}");
            assert_eq!((pr.len(), sr.len()), (rows, rows), "{label}");
            for (p, s) in pr.iter().zip(sr) {
                assert_eq!(p.len(), ph.len(), "{label}: {p:?}");
                assert_eq!(p.len(), s.len(), "{label}: {p:?} {s:?}");
                for (a, b) in p.iter().zip(s) {
                    assert!(a == b || *b == "*", "{label}: {a} became {b}");
                }
            }
        }
        assert!(
            suppressed.contains("Suppressed") || suppressed == shown,
            "{label}: {suppressed}"
        );
        checked += 1;
    }
    assert!(checked >= 11, "{checked}");
}
