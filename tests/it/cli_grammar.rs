//! One grammar for every command (issue 28): help for every argument, the format from `--format`
//! or `--out`'s extension (a contradiction refused), `--out-dir` for the commands that write
//! several files, one rule for authority codes, `--la` repeated where several make sense,
//! completions, the manual page and `--version`, and no path outside the repository.

use crate::common::cli::{demo, dtoc, run};
use clap::CommandFactory;
use std::path::{Path, PathBuf};

/// Every command of `Cli::command()` with its path (`["report", "monthly"]`), the root first.
fn commands() -> Vec<(Vec<String>, clap::Command)> {
    super::cli::command_paths()
        .into_iter()
        .map(|path| {
            let mut cmd = dtoc::cli::Cli::command();
            for name in &path {
                cmd = cmd.find_subcommand(name).expect("a walked path").clone();
            }
            (path, cmd)
        })
        .collect()
}

#[test]
fn every_argument_of_every_command_has_help() {
    dtoc::cli::Cli::command().debug_assert();
    let mut missing = Vec::new();
    let all = commands();
    assert!(all.len() > 40, "{} commands walked", all.len());
    for (path, cmd) in &all {
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            let help = a.get_help().or(a.get_long_help()).map(ToString::to_string);
            if help.is_none_or(|h| h.trim().is_empty()) {
                missing.push(format!("dtoc {} --{id}", path.join(" ")));
            }
        }
    }
    assert!(missing.is_empty(), "arguments without help: {missing:?}");
}

/// `dtoc <path> --help` of every command: exit 0, and the help of the flags issue 28 found bare.
#[test]
fn every_command_answers_help_and_the_bare_flags_are_described() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    let help = |args: &[&str]| -> String {
        let mut a: Vec<&str> = args.to_vec();
        a.push("--help");
        let out = dtoc(&db).args(&a).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}");
        // Lines as wrapped for the terminal's width, joined: the words, one space apart.
        let text = String::from_utf8(out.stdout).unwrap();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    for (path, _) in commands() {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let text = help(&args);
        assert!(text.contains("Usage: dtoc"), "{args:?}: {text}");
    }
    let weekly = help(&["report", "weekly"]);
    assert!(
        weekly.contains("The ISO week (YYYY-Www, e.g. 2018-W27)"),
        "{weekly}"
    );
    assert!(
        weekly.contains("table, csv, json or xlsx [default: from --out's extension"),
        "{weekly}"
    );
    let monthly = help(&["report", "monthly"]);
    assert!(monthly.contains("One row per month, quarter or (financial) year"));
    assert!(monthly.contains("repeat for several"));
    let reconcile = help(&["report", "reconcile"]);
    assert!(reconcile.contains("--month <MONTH> The month (YYYY-MM)"));
    let audit = help(&["export", "audit"]);
    assert!(audit.contains("First day (YYYY-MM-DD), or a month (YYYY-MM) for its first day"));
    assert!(audit.contains("Last day (YYYY-MM-DD), or a month (YYYY-MM) for its last day"));
    // report spc takes exactly one authority, and says so.
    let spc = help(&["report", "spc"]);
    assert!(spc.contains("(exactly one)"), "{spc}");
    assert!(!spc.contains("repeat"), "{spc}");
    // chart los says what it draws: inpatients each Monday, not a month-end share.
    let los = help(&["chart", "los"]);
    assert!(
        los.contains("The share of acute inpatients in hospital 14+ and 21+ days on each Monday"),
        "{los}"
    );
    assert!(!los.contains("month's end"), "{los}");
    // Several files: a folder, and the name says so.
    for export in ["sitrep", "acute-sitrep", "community-sitrep"] {
        let h = help(&["export", export]);
        assert!(h.contains("--out-dir <DIR>"), "{export}: {h}");
        assert!(h.contains("The folder to write the files into"), "{export}");
        assert!(!h.contains("--out <"), "{export}");
    }
}

#[test]
fn the_five_most_used_commands_show_examples() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    for (args, example) in [
        (
            &["help", "report", "monthly"][..],
            "dtoc report monthly --from 2017-04 --to 2018-03",
        ),
        (&["help", "import"][..], "dtoc import delays delays.csv"),
        (
            &["help", "export", "sitrep"][..],
            "dtoc export sitrep --month 2018-07 --out-dir returns/",
        ),
        (
            &["help", "signoff"][..],
            "dtoc signoff --week 2018-W27 --side nhs --by \"A. Patel\"",
        ),
        (
            &["help", "report", "los"][..],
            "dtoc report los --date 2018-08-13 --la E10000018",
        ),
    ] {
        let out = run(&db, args);
        assert!(out.contains("Examples:"), "{args:?}: {out}");
        assert!(out.contains(example), "{args:?}: {out}");
    }
}

/// Runs `args` on `db`, expecting failure; returns stderr.
fn refused(db: &Path, args: &[&str]) -> String {
    let out = dtoc(db).args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(out.stdout.is_empty(), "{args:?}");
    String::from_utf8(out.stderr).unwrap()
}

/// Every report, each with the arguments it needs on the demo.
fn reports() -> Vec<Vec<&'static str>> {
    vec![
        vec!["report", "monthly"],
        vec!["report", "pathways"],
        vec!["report", "drd"],
        vec!["report", "los", "--date", "2018-08-13"],
        vec!["report", "nctr", "--date", "2018-08-13"],
        vec!["report", "spc", "--la", "E10000018"],
        vec!["report", "weekly", "--week", "2018-W31"],
        vec!["report", "queues"],
        vec!["report", "forecast", "--runs", "10"],
        vec!["report", "reconcile", "--month", "2018-07"],
        vec![
            "report",
            "benchmark",
            "--la",
            "E10000018",
            "--group",
            "E06000016",
            "--from",
            "2018-06",
            "--to",
            "2018-07",
        ],
        vec!["export", "audit", "--from", "2018-08", "--to", "2018-08"],
    ]
}

#[test]
fn a_format_contradicting_the_file_is_refused_by_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_with_published(&dir);
    let y = dir.path().join("y.xlsx");
    let dat = dir.path().join("y.dat");
    for report in reports() {
        let mut args = report.clone();
        args.extend(["--format", "csv", "--out", y.to_str().unwrap()]);
        assert_eq!(
            refused(&db, &args),
            format!(
                "dtoc: --format csv contradicts --out {} (a .xlsx file is xlsx): make them \
                 agree, or leave one out\n",
                y.display()
            ),
            "{report:?}"
        );
        assert!(!y.exists(), "{report:?} wrote the file");
        let mut args = report.clone();
        args.extend(["--out", dat.to_str().unwrap()]);
        assert_eq!(
            refused(&db, &args),
            format!(
                "dtoc: --out {}: .dat names no format; give --format (table, csv, json or xlsx) \
                 or name the file .txt, .csv, .json or .xlsx\n",
                dat.display()
            ),
            "{report:?}"
        );
        assert!(!dat.exists(), "{report:?}");
    }
    // The patient-level list and the charts too.
    let (p, c) = (dir.path().join("p.csv"), dir.path().join("c.svg"));
    for (args, file, format) in [
        (&["export", "patients"][..], &p, "xlsx"),
        (&["chart", "monthly", "--la", "E10000018"][..], &c, "png"),
    ] {
        let out = ["--format", format, "--out", file.to_str().unwrap()];
        let e = refused(&db, &[args, &out].concat());
        assert!(
            e.contains(&format!("--format {format} contradicts --out")),
            "{e}"
        );
        assert!(!file.exists());
    }
}

#[test]
fn the_format_follows_the_extension_when_not_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let range = ["--from", "2018-06", "--to", "2018-07"];
    let file = |name: &str| dir.path().join(name);
    let arg = |p: &PathBuf| p.to_str().unwrap().to_string();
    // .csv: the CSV the flag gives.
    let by_flag = run(
        &db,
        &[&["report", "monthly", "--format", "csv"][..], &range].concat(),
    );
    let csv = file("m.csv");
    run(
        &db,
        &[&["report", "monthly", "--out", &arg(&csv)][..], &range].concat(),
    );
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), by_flag);
    // .json: JSON.
    let json = file("m.json");
    run(
        &db,
        &[&["report", "monthly", "--out", &arg(&json)][..], &range].concat(),
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(v.is_object() || v.is_array());
    // .xlsx: a workbook (a zip).
    let xlsx = file("m.xlsx");
    run(
        &db,
        &[&["report", "monthly", "--out", &arg(&xlsx)][..], &range].concat(),
    );
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    // .txt: the table format, as --format table gives it.
    let table = file("m.table");
    run(
        &db,
        &[
            &[
                "report",
                "monthly",
                "--format",
                "table",
                "--out",
                &arg(&table),
            ][..],
            &range,
        ]
        .concat(),
    );
    let txt = file("m.txt");
    run(
        &db,
        &[&["report", "monthly", "--out", &arg(&txt)][..], &range].concat(),
    );
    assert_eq!(
        std::fs::read_to_string(&txt).unwrap(),
        std::fs::read_to_string(&table).unwrap()
    );
    // export patients: JSON by the extension too.
    let pj = file("p.json");
    run(&db, &["export", "patients", "--out", &arg(&pj)]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&pj).unwrap()).unwrap();
    assert!(!v.is_null());
}

#[test]
fn audit_dates_take_a_day_or_a_month() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    // Each export of the log is itself logged: the two forms read two copies of one database.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    let by_days = run(
        &copy,
        &[
            "export",
            "audit",
            "--from",
            "2000-01-01",
            "--to",
            "2099-12-31",
            "--format",
            "csv",
        ],
    );
    let by_month = run(
        &db,
        &[
            "export", "audit", "--from", "2000-01", "--to", "2099-12", "--format", "csv",
        ],
    );
    assert!(by_days == by_month, "the two forms differ");
    assert!(
        by_month.lines().count() > 100,
        "{}",
        by_month.lines().count()
    );
    let e = refused(
        &db,
        &["export", "audit", "--from", "2018-13", "--to", "2018-08"],
    );
    assert!(e.contains("2018-13"), "{e}");
}

#[test]
fn exports_of_several_files_write_into_out_dir() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let out = dir.path().join("returns");
    let said = run(
        &db,
        &[
            "export",
            "sitrep",
            "--month",
            "2018-07",
            "--out-dir",
            out.to_str().unwrap(),
        ],
    );
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    for n in &names {
        assert!(
            n.starts_with("sitrep-2018-07") && n.ends_with(".csv"),
            "{n}"
        );
        assert!(said.contains(n.as_str()), "{said}");
    }
    // --out is a file: the exports of several files do not take it.
    let e = refused(
        &db,
        &[
            "export",
            "acute-sitrep",
            "--month",
            "2018-07",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(e.contains("unexpected argument '--out'"), "{e}");
    assert!(e.contains("--out-dir"), "{e}");
}

/// The demo with one published figure under Leicestershire's legacy code (`508`, April 2011), so
/// that the legacy code is known, and Leicester's published figures for June and July 2018 (for
/// `report benchmark`).
fn demo_with_published(dir: &tempfile::TempDir) -> PathBuf {
    let db = demo(dir);
    let file = dir.path().join("published.csv");
    std::fs::write(
        &file,
        super::benchmark::published_csv(&[
            ("508", "Leicestershire", "749", "April 2011"),
            ("E10000018", "Leicestershire", "900", "June 2018"),
            ("E06000016", "Leicester", "400", "June 2018"),
            ("E06000017", "Rutland", "50", "June 2018"),
            ("E10000018", "Leicestershire", "978", "July 2018"),
            ("E06000016", "Leicester", "420", "July 2018"),
            ("E06000017", "Rutland", "40", "July 2018"),
        ]),
    )
    .unwrap();
    run(&db, &["import", "published", file.to_str().unwrap()]);
    db
}

const UNKNOWN: &str = "no such authority in this database (give an ONS code it holds, e.g. \
                       E10000018, or a legacy code such as 508 once `dtoc import published` has \
                       read returns that use it, or Settings has set it)";

/// Every command that takes `--la`, with `{}` where the code goes and `FILE` for an output file.
fn commands_with_la() -> Vec<Vec<&'static str>> {
    let r = ["--from", "2018-06", "--to", "2018-07"];
    vec![
        [&["report", "monthly", "--la", "{}"][..], &r].concat(),
        [&["report", "pathways", "--la", "{}"][..], &r].concat(),
        [&["report", "drd", "--la", "{}"][..], &r].concat(),
        vec!["report", "los", "--date", "2018-08-13", "--la", "{}"],
        vec!["report", "nctr", "--date", "2018-08-13", "--la", "{}"],
        vec![
            "report", "spc", "--la", "{}", "--from", "2017-04", "--to", "2018-07",
        ],
        [
            &["report", "benchmark", "--la", "{}", "--group", "E06000016"][..],
            &r,
        ]
        .concat(),
        vec!["report", "queues", "--la", "{}"],
        vec!["report", "forecast", "--runs", "10", "--la", "{}"],
        vec!["chart", "monthly", "--la", "{}", "--out", "FILE.svg"],
        vec![
            "chart", "spc", "--la", "{}", "--from", "2017-04", "--to", "2018-07", "--out",
            "FILE.svg",
        ],
        [&["chart", "los", "--la", "{}", "--out", "FILE.svg"][..], &r].concat(),
        [&["chart", "drd", "--la", "{}", "--out", "FILE.svg"][..], &r].concat(),
        vec![
            "chart", "forecast", "--runs", "10", "--la", "{}", "--out", "FILE.svg",
        ],
        vec!["export", "patients", "--la", "{}", "--out", "FILE.csv"],
    ]
}

/// `template` with the code and the output file (FILE.x → `dir/<n>.x`).
fn fill(template: &[&str], code: &str, dir: &Path, n: &str) -> Vec<String> {
    template
        .iter()
        .map(|a| match *a {
            "{}" => code.to_string(),
            f if f.starts_with("FILE.") => dir
                .join(format!("{n}{}", &f[4..]))
                .to_string_lossy()
                .into_owned(),
            a => a.to_string(),
        })
        .collect()
}

#[test]
fn one_rule_for_authority_codes_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_with_published(&dir);
    let files = dir.path().join("out");
    std::fs::create_dir(&files).unwrap();
    for (i, template) in commands_with_la().iter().enumerate() {
        // Unknown: refused, the same words everywhere, nothing written.
        let args = fill(template, "E99999999", &files, &format!("bad{i}"));
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(
            refused(&db, &a),
            format!("dtoc: --la E99999999: {UNKNOWN}\n"),
            "{template:?}"
        );
        // The ONS code, the same in lower case, and the legacy code of the published returns: one
        // authority, one answer.
        let mut answers = Vec::new();
        for code in ["E10000018", "e10000018", "508"] {
            let n = format!("c{i}-{code}");
            let args = fill(template, code, &files, &n);
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            let said = run(&db, &a);
            let file = std::fs::read_dir(&files)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.file_stem().is_some_and(|s| s.to_string_lossy() == n));
            answers.push(match file {
                Some(f) => {
                    let bytes = std::fs::read(&f).unwrap();
                    String::from_utf8_lossy(&bytes).into_owned()
                }
                None => said,
            });
        }
        assert_eq!(answers[0], answers[1], "{template:?}: lower case");
        assert_eq!(answers[0], answers[2], "{template:?}: legacy code");
    }
    // The comparators of report benchmark and the authority of reconcile mark: the same rule.
    let mark = [
        "reconcile",
        "mark",
        "--month",
        "2018-07",
        "--status",
        "accepted",
        "--note",
        "n",
    ];
    for (args, flag, code) in [
        (
            &[
                "report",
                "benchmark",
                "--la",
                "E10000018",
                "--group",
                "E99999999",
            ][..],
            "--group",
            "E99999999",
        ),
        (
            &[
                "report",
                "benchmark",
                "--la",
                "e99999999",
                "--group",
                "E06000016",
            ][..],
            "--la",
            "e99999999",
        ),
        (
            &[&mark[..], &["--la", "E99999999"]].concat()[..],
            "--la",
            "E99999999",
        ),
    ] {
        assert_eq!(
            refused(&db, args),
            format!("dtoc: {flag} {code}: {UNKNOWN}\n"),
            "{args:?}"
        );
    }
    // A code that is no code at all: the same words.
    assert_eq!(
        refused(&db, &["report", "monthly", "--la", "Leics"]),
        format!("dtoc: --la Leics: {UNKNOWN}\n")
    );
}

const NO_SITE: &str = "no such site in this database (it holds RT501, RT502, RWE01, RWE02, RWE03)";

#[test]
fn one_rule_for_site_codes_in_every_command() {
    // Before, an unknown or lower-case `--site` gave every queue as 0 waiting, and `coverage set`
    // repeated whatever was typed there, an NHS number included.
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let files = dir.path().join("out");
    std::fs::create_dir(&files).unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["report", "queues", "--site", "{}"],
        vec!["report", "forecast", "--runs", "10", "--site", "{}"],
        vec![
            "chart", "forecast", "--runs", "10", "--site", "{}", "--out", "FILE.svg",
        ],
        vec!["coverage", "set", "--site", "{}", "--from", "2017-04-01"],
    ];
    for (i, template) in commands.iter().enumerate() {
        for (code, shown) in [
            ("NOPE", "NOPE"),
            ("", "\"\""),
            ("9434765919", "(NHS number hidden)"),
            ("943 476 5919", "(NHS number hidden)"),
        ] {
            let args = fill(template, code, &files, &format!("bad{i}"));
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            assert_eq!(
                refused(&db, &a),
                format!("dtoc: --site {shown}: {NO_SITE}\n"),
                "{template:?}"
            );
        }
        assert_eq!(
            std::fs::read_dir(&files).unwrap().count(),
            0,
            "{template:?}"
        );
        // The code in any case: one site, one answer.
        let answers: Vec<String> = ["RWE01", "rwe01", " Rwe01 "]
            .iter()
            .map(|code| {
                let args = fill(template, code, &files, &format!("ok{i}"));
                let a: Vec<&str> = args.iter().map(String::as_str).collect();
                let said = run(&db, &a);
                let file = files.join(format!("ok{i}.svg"));
                let got = std::fs::read_to_string(&file).unwrap_or(said);
                let _ = std::fs::remove_file(&file);
                got
            })
            .collect();
        assert_eq!(answers[0], answers[1], "{template:?}");
        assert_eq!(answers[0], answers[2], "{template:?}");
    }
    // The queues of RWE01 are not empty: the code was found, not matched to nothing.
    let csv = run(
        &db,
        &["report", "queues", "--site", "rwe01", "--format", "csv"],
    );
    let waiting: u64 = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse::<u64>().unwrap())
        .sum();
    assert!(waiting > 0, "{csv}");
}

#[test]
fn la_repeats_where_several_make_sense_and_is_refused_twice_where_one_is_needed() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_with_published(&dir);
    let f = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    let range = ["--from", "2018-06", "--to", "2018-07"];
    // chart los: two authorities drawn together; the title names both.
    let both = f("both.svg");
    run(
        &db,
        &[
            &[
                "chart",
                "los",
                "--la",
                "E10000018",
                "--la",
                "E06000016",
                "--out",
                &both,
            ][..],
            &range,
        ]
        .concat(),
    );
    let svg = std::fs::read_to_string(&both).unwrap();
    assert!(
        svg.contains("Leicestershire, Leicester: acute inpatients in hospital 14+ and 21+ days")
    );
    // chart forecast: several authorities, one queue.
    let fc = f("fc.svg");
    run(
        &db,
        &[
            "chart",
            "forecast",
            "--runs",
            "10",
            "--la",
            "E10000018",
            "--la",
            "508",
            "--out",
            &fc,
        ],
    );
    assert!(Path::new(&fc).exists());
    // export patients: the rows of both authorities, and only theirs.
    let p = f("p.csv");
    run(
        &db,
        &[
            "export",
            "patients",
            "--la",
            "E10000018",
            "--la",
            "E06000016",
            "--out",
            &p,
        ],
    );
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(",E10000018,") && text.contains(",E06000016,"));
    assert!(!text.contains(",E06000017,"));
    assert!(text
        .lines()
        .next()
        .unwrap()
        .contains("for E10000018, E06000016"));
    // One authority only: refused when given twice.
    for args in [
        &["report", "spc", "--la", "E10000018", "--la", "E06000016"][..],
        &[
            "chart",
            "monthly",
            "--la",
            "E10000018",
            "--la",
            "E06000016",
            "--out",
            "x.svg",
        ],
        &[
            "chart",
            "spc",
            "--la",
            "E10000018",
            "--la",
            "E06000016",
            "--out",
            "x.svg",
        ],
        &[
            "chart",
            "drd",
            "--la",
            "E10000018",
            "--la",
            "E06000016",
            "--out",
            "x.svg",
        ],
    ] {
        let e = refused(&db, args);
        assert!(
            e.contains("the argument '--la <CODE>' cannot be used multiple times"),
            "{args:?}: {e}"
        );
    }
    // --group: repeated or comma-separated, the same.
    let comma = run(
        &db,
        &[
            "report",
            "benchmark",
            "--la",
            "E10000018",
            "--group",
            "E06000016,E06000017",
        ],
    );
    let repeated = run(
        &db,
        &[
            "report",
            "benchmark",
            "--la",
            "E10000018",
            "--group",
            "E06000016",
            "--group",
            "E06000017",
        ],
    );
    assert_eq!(comma, repeated);
}

#[test]
fn completions_and_the_manual_page() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    for (shell, mark) in [
        ("bash", "complete -F _dtoc"),
        ("zsh", "#compdef dtoc"),
        ("fish", "complete -c dtoc"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = run(&db, &["completions", shell]);
        assert!(script.contains(mark), "{shell}: {script:.200}");
        // The subcommands and their flags are completed.
        assert!(script.contains("out-dir"), "{shell}");
        assert!(script.contains("benchmark"), "{shell}");
        if shell == "bash" {
            // bash parses it (CI runs in bash).
            let file = dir.path().join("dtoc.bash");
            std::fs::write(&file, &script).unwrap();
            let ok = std::process::Command::new("bash")
                .arg("-n")
                .arg(&file)
                .status()
                .unwrap();
            assert!(ok.success());
        }
    }
    let page = run(&db, &["man"]);
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "{page:.200}"
    );
    assert!(page.contains(".TH dtoc 1"), "{page:.300}");
    assert!(page.contains(".SH \"COMMANDS IN DETAIL\""));
    assert!(page.contains(".SS \"dtoc report monthly\""));
    assert!(page.contains(".SS \"dtoc export acute\\-sitrep\""));
    // Each command's own flags with their help, and its examples.
    assert!(page.contains(
        ".SS \"dtoc export sitrep\"\nOne month's delayed days by local authority in NHS England's LA\\-Type\\-B"
    ));
    assert!(page.contains(
        ".TP\n\\fB\\-\\-out\\-dir\\fR \\fI<DIR>\\fR\nThe folder to write the files into"
    ));
    assert!(page.contains(".TP\n\\fI<FILE>\\fR\nThe CSV file to import"));
    assert!(page.contains("dtoc report monthly \\-\\-from 2017\\-04 \\-\\-to 2018\\-03"));
    // Every line of roff either is text or a request/escape dtoc's generator writes.
    assert!(page.lines().all(|l| !l.starts_with('\'')));
    let file = dir.path().join("dtoc.1");
    let said = run(&db, &["man", "--out", file.to_str().unwrap()]);
    assert_eq!(said, format!("wrote {}\n", file.display()));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), page);
    // Where groff is installed, it reads the page without a warning.
    if let Ok(out) = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&file)
        .output()
    {
        assert!(out.status.success(), "groff failed");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    }
    // Over an existing page: refused without --force, as every output.
    let e = refused(&db, &["man", "--out", file.to_str().unwrap()]);
    assert!(
        e.contains("already exists; use --force to replace it"),
        "{e}"
    );
}

#[test]
fn version_names_the_package_schema_and_features() {
    let dir = tempfile::tempdir().unwrap();
    let said = run(&dir.path().join("none.db"), &["--version"]);
    let sqlcipher = if cfg!(feature = "sqlcipher") {
        "on"
    } else {
        "off"
    };
    assert_eq!(
        said,
        format!(
            "dtoc {} (database schema version {}; sqlcipher encryption {sqlcipher})\n",
            env!("CARGO_PKG_VERSION"),
            dtoc::store::SCHEMA_VERSION
        )
    );
}

/// No file of the repository names a path outside it (the shared folder beside the repository): a
/// clone stands on its own.
#[test]
fn no_file_names_a_path_outside_the_repository() {
    fn walk(dir: &Path, needle: &[u8], found: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if !(name.starts_with("target") || name == ".git") {
                    walk(&path, needle, found);
                }
            } else if let Ok(bytes) = std::fs::read(&path) {
                for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
                    if line.windows(needle.len()).any(|w| w == needle) {
                        found.push(format!("{}:{}", path.display(), i + 1));
                    }
                }
            }
        }
    }
    let needle = format!("{}/shared", "..");
    let mut found = Vec::new();
    walk(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        needle.as_bytes(),
        &mut found,
    );
    assert!(found.is_empty(), "{found:?}");
}

/// Every file an output writes follows one rule, workbooks and the files of `--out-dir` too: an
/// existing file is replaced only with `--force`, a symbolic link is never written through, and an
/// export of several files writes all of them or none.
#[test]
fn every_output_file_is_refused_over_an_existing_one_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let x = dir.path().join("m.xlsx");
    let xs = x.to_str().unwrap();
    run(&db, &["report", "monthly", "--out", xs]);
    let first = std::fs::read(&x).unwrap();
    assert_eq!(
        refused(&db, &["report", "monthly", "--out", xs]),
        format!("dtoc: {xs} already exists; use --force to replace it\n")
    );
    run(&db, &["report", "monthly", "--out", xs, "--force"]);
    assert_eq!(std::fs::read(&x).unwrap(), first);
    // A link: refused, its target untouched.
    #[cfg(unix)]
    {
        let target = dir.path().join("target.bin");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("l.xlsx");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = refused(
            &db,
            &[
                "report",
                "monthly",
                "--force",
                "--out",
                link.to_str().unwrap(),
            ],
        );
        assert!(e.contains("is a symbolic link"), "{e}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    }
    // The sitrep's three files: a second export into the folder is refused before any is written.
    let ret = dir.path().join("returns");
    let rs = ret.to_str().unwrap();
    let sitrep = ["export", "sitrep", "--month", "2018-07", "--out-dir", rs];
    run(&db, &sitrep);
    let reason = ret.join("sitrep-2018-07-la_by_reason.csv");
    std::fs::remove_file(&reason).unwrap();
    let e = refused(&db, &sitrep);
    assert_eq!(
        e,
        format!(
            "dtoc: {} already exists; use --force to replace it\n",
            ret.join("sitrep-2018-07-la_by_type_of_care.csv").display()
        )
    );
    assert!(!reason.exists(), "a file written before the refusal");
    run(&db, &[&sitrep[..], &["--force"]].concat());
    assert!(reason.exists());
    // The discharge sitreps' workbook too.
    let acute = [
        "export",
        "acute-sitrep",
        "--month",
        "2018-07",
        "--format",
        "xlsx",
        "--out-dir",
        rs,
    ];
    run(&db, &acute);
    let e = refused(&db, &acute);
    assert!(
        e.ends_with("acute-sitrep-2018-07.xlsx already exists; use --force to replace it\n"),
        "{e}"
    );
}

/// A day, month or week after today: refused by every command in the same words.
#[test]
fn every_command_refuses_the_future_in_the_same_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    for (args, flag, value) in [
        (
            &["report", "los", "--date", "2018-08-16"][..],
            "--date",
            "2018-08-16",
        ),
        (
            &["report", "nctr", "--date", "2018-08-16"],
            "--date",
            "2018-08-16",
        ),
        (
            &["report", "queues", "--to", "2018-08-16"],
            "--to",
            "2018-08-16",
        ),
        (&["report", "monthly", "--to", "2018-09"], "--to", "2018-09"),
        (
            &["report", "reconcile", "--month", "2018-09"],
            "--month",
            "2018-09",
        ),
        (
            &["report", "weekly", "--week", "2018-W34"],
            "--week",
            "2018-W34",
        ),
    ] {
        assert_eq!(
            refused(&db, args),
            format!(
                "dtoc: {flag} {value} is after today (2018-08-15): there are no figures for the \
                 future\n"
            ),
            "{args:?}"
        );
    }
}

#[test]
fn an_nhs_number_typed_in_any_option_is_never_repeated() {
    // clap repeats a value it refuses ("invalid value '…' for '--week'") and dtoc's own refusals
    // repeat what they could not read: an NHS number typed in the wrong place is hidden in both.
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let missing = dir.path().join("9434765919.db");
    let missing = missing.to_str().unwrap();
    for n in ["9434765919", "943 476 5919", "943-476-5919"] {
        let cases: Vec<Vec<&str>> = vec![
            vec!["signoff", "--week", n, "--side", "nhs"],
            vec!["signoff", "--week", "2018-W30", "--side", n],
            vec!["report", "monthly", "--from", n],
            vec!["report", "los", "--date", n],
            vec!["report", "weekly", "--week", n],
            vec!["report", "queues", "--to", n],
            vec!["report", "forecast", "--pathway", n],
            vec!["report", "forecast", "--capacity", n],
            vec!["report", "monthly", "--suppress", n],
            vec!["export", "sitrep", "--month", n, "--out-dir", "o"],
            vec!["actions", "--owner", n],
            vec![
                "reconcile",
                "mark",
                "--month",
                n,
                "--status",
                "accepted",
                "--note",
                "x",
            ],
            vec!["report", "nctr", "--date", n],
            vec!["restore", missing],
        ];
        for args in cases {
            let e = refused(&db, &args);
            assert!(
                !e.contains("9434765919")
                    && !e.contains("943 476 5919")
                    && !e.contains("943-476-5919"),
                "{args:?}: {e}"
            );
            assert!(e.contains("(NHS number hidden)"), "{args:?}: {e}");
        }
    }
    // The words around it stay: which option, and what it takes.
    let e = refused(&db, &["report", "weekly", "--week", "9434765919"]);
    assert!(e.contains("for '--week <WEEK>'"), "{e}");
    assert!(e.contains("not an ISO week (use YYYY-Www"), "{e}");
    let e = refused(&db, &["report", "forecast", "--capacity", "99999999999"]);
    assert!(e.contains("\"99999999999\" is not a whole percent"), "{e}");
    // A suppression threshold is a small count: a larger number is a slip, refused.
    let e = refused(&db, &["report", "monthly", "--suppress", "101"]);
    assert!(e.contains("101 is not in 0..=100"), "{e}");
    assert!(run(&db, &["report", "monthly", "--suppress", "100"]).contains("from 1 to 100"));
}
