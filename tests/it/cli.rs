//! The command line, run as a process: exit codes, stdout/stderr, and what ends up in the file.

use crate::common;

use assert_cmd::Command;
use clap::CommandFactory;
use common::db::*;
use predicates::prelude::*;
use std::path::Path;

/// `dtoc` with a fixed user and no database from the environment.
fn dtoc() -> Command {
    let mut c = Command::cargo_bin("dtoc").unwrap();
    c.env_remove("DTOC_DB").env("DTOC_USER", "tester");
    c
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A database with the fixtures' population and targets imported by the CLI.
fn with_reference(db: &Path) {
    dtoc().args(["init", "--db", s(db)]).assert().success();
    dtoc()
        .args(["--db", s(db), "import", "population"])
        .arg(fixture("population.csv"))
        .assert()
        .success()
        .stdout("6 rows: 6 added, 0 updated, 0 unchanged\n");
    dtoc()
        .args(["import", "targets"])
        .arg(fixture("targets.csv"))
        .args(["--db", s(db)])
        .assert()
        .success()
        .stdout("144 rows: 144 added, 0 updated, 0 unchanged\n");
}

#[test]
fn init_creates_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    dtoc()
        .args(["init", "--db", s(&db)])
        .assert()
        .success()
        .stdout(format!(
            "{}: dtoc database, schema version {}\n",
            db.display(),
            dtoc::store::SCHEMA_VERSION
        ))
        .stderr("");
    assert!(db.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn imports_print_their_summary_and_check_prints_ok() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    with_reference(&db);
    // --db and --today after the subcommand.
    dtoc()
        .args(["import", "delays"])
        .arg(data("rutland_2018.csv"))
        .args(["--db", s(&db), "--today", TODAY])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "47 rows: 47 added, 0 updated, 0 unchanged",
        ))
        .stderr("");
    // Again: nothing changes.
    dtoc()
        .args(["--today", TODAY, "--db", s(&db), "import", "delays"])
        .arg(data("rutland_2018.csv"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "47 rows: 0 added, 0 updated, 47 unchanged",
        ));
    dtoc()
        .args(["check", "--db", s(&db)])
        .assert()
        .success()
        .stdout(format!("{}: ok\n", db.display()));
    let store = dtoc::store::Store::open(&db).unwrap();
    let rows = counts(&store, "E06000017", "2018-04", "2018-07", TODAY);
    assert_eq!(days_in(&rows, "2018-05"), 112);
}

#[test]
fn the_demo_fixture_imports_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    with_reference(&db);
    dtoc()
        .args(["import", "delays", "--today", TODAY, "--db", s(&db)])
        .arg(fixture("delays.csv"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "2986 rows: 2986 added, 0 updated, 0 unchanged",
        ));
    dtoc()
        .args(["check", "--db", s(&db)])
        .assert()
        .success()
        .stdout(format!("{}: ok\n", db.display()));
}

#[test]
fn a_bad_file_fails_with_the_error_on_stderr_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    with_reference(&db);
    let before = dump(&db);
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        delays_csv(&[
            "H1,,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-05,2018-07-10,A,NHS,2018-07-10,1",
            "H2,,RWE,RWE01,acute,E10000018,2018-02-01,2018-02-30,,A,NHS,,",
        ]),
    )
    .unwrap();
    dtoc()
        .args(["import", "delays", "--db", s(&db), "--today", TODAY])
        .arg(&bad)
        .assert()
        .failure()
        .stdout("")
        .stderr("dtoc: bad.csv line 3, delay_start 2018-02-30: not a date\n");
    assert_eq!(dump(&db), before);
    // A file that is not there.
    dtoc()
        .args(["import", "targets", "--db", s(&db)])
        .arg(dir.path().join("missing.csv"))
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains("missing.csv"));
    assert_eq!(dump(&db), before);
}

#[test]
fn today_must_be_a_date() {
    dtoc()
        .args(["check", "--today", "2018-02-30", "--db", "x.db"])
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains("--today"));
}

#[test]
fn dtoc_db_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.db");
    dtoc()
        .env("DTOC_DB", &db)
        .arg("init")
        .assert()
        .success()
        .stdout(format!(
            "{}: dtoc database, schema version {}\n",
            db.display(),
            dtoc::store::SCHEMA_VERSION
        ));
    dtoc()
        .env("DTOC_DB", &db)
        .arg("check")
        .assert()
        .success()
        .stdout(format!("{}: ok\n", db.display()));
}

/// Every command path of `Cli::command()`, walked recursively (hidden ones too): `["import",
/// "delays"]`, … The root is the empty path.
pub(super) fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        out.push(path.to_vec());
        for sub in cmd.get_subcommands() {
            let mut child = path.to_vec();
            child.push(sub.get_name().to_string());
            walk(sub, &child, out);
        }
    }
    let mut out = Vec::new();
    walk(&dtoc::cli::Cli::command(), &[], &mut out);
    out
}

#[test]
fn the_command_line_definition_is_consistent() {
    dtoc::cli::Cli::command().debug_assert();
}

/// `dtoc <path> --help` and `dtoc help <path>` for every command path: exit 0, the path's usage
/// line and the global `--db` on stdout, nothing on stderr.
#[test]
fn help_works_for_every_command() {
    let paths = command_paths();
    // The paths this test once listed by hand are among those walked.
    for old in [
        "",
        "init",
        "import",
        "import delays",
        "import population",
        "import targets",
        "check",
        "demo",
        "backup",
        "restore",
        "report",
        "report monthly",
    ] {
        assert!(
            paths.iter().any(|p| p.join(" ") == old),
            "{old:?} not walked"
        );
    }
    for path in &paths {
        let usage = format!(
            "Usage: {}",
            ["dtoc"]
                .into_iter()
                .chain(path.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let mut forms = vec![path
            .iter()
            .map(String::as_str)
            .chain(["--help"])
            .collect::<Vec<_>>()];
        if !path.is_empty() {
            forms.push(
                ["help"]
                    .into_iter()
                    .chain(path.iter().map(String::as_str))
                    .collect(),
            );
        }
        for args in forms {
            dtoc()
                .args(&args)
                .assert()
                .success()
                .stdout(predicate::str::contains(usage.as_str()))
                .stdout(predicate::str::contains("--db"))
                .stderr("");
        }
    }
}

#[test]
fn demo_writes_a_database_that_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    dtoc()
        .args(["demo", "--no-tui", "--db", s(&db)])
        .assert()
        .success()
        .stdout(format!(
            "demo database written to {} (today is 2018-08-15)\n",
            db.display()
        ));
    dtoc()
        .args(["check", "--db", s(&db)])
        .assert()
        .success()
        .stdout(format!("{}: ok\n", db.display()));
    assert_eq!(count(&db, "population"), 6);
    assert_eq!(count(&db, "target"), 144);
}

#[test]
fn backup_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    let copy = dir.path().join("copy.db");
    dtoc().args(["init", "--db", s(&db)]).assert().success();
    dtoc()
        .args(["import", "population", "--db", s(&db)])
        .arg(fixture("population.csv"))
        .assert()
        .success();
    dtoc()
        .args(["backup", s(&copy), "--db", s(&db)])
        .assert()
        .success()
        .stdout(format!("backup written to {}\n", copy.display()));
    dtoc()
        .args(["check", "--db", s(&copy)])
        .assert()
        .success()
        .stdout(format!("{}: ok\n", copy.display()));
    assert_eq!(count(&copy, "population"), 6);
    // A second backup to the same name is refused.
    dtoc()
        .args(["backup", s(&copy), "--db", s(&db)])
        .assert()
        .failure()
        .stdout("")
        .stderr(format!(
            "dtoc: {} already exists: choose a new file name\n",
            copy.display()
        ));
    // Change the database, then put the backup back.
    dtoc()
        .args(["import", "targets", "--db", s(&db)])
        .arg(fixture("targets.csv"))
        .assert()
        .success();
    assert_eq!(count(&db, "target"), 144);
    dtoc()
        .args(["restore", s(&copy), "--db", s(&db)])
        .assert()
        .success()
        .stdout(format!(
            "{} restored from {}\n",
            db.display(),
            copy.display()
        ));
    assert_eq!(count(&db, "target"), 0);
    assert_eq!(count(&db, "population"), 6);
    dtoc()
        .args(["check", "--db", s(&db)])
        .assert()
        .success()
        .stdout(format!("{}: ok\n", db.display()));
}

#[test]
fn check_reports_problems_and_repairs_counts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    // Only init creates a database (issue 25): an import refuses a missing one.
    dtoc().args(["--db", s(&db), "init"]).assert().success();
    dtoc()
        .args(["import", "delays", "--db", s(&db), "--today", TODAY])
        .arg(data("rutland_2018.csv"))
        .assert()
        .success();
    {
        let store = dtoc::store::Store::open(&db).unwrap();
        store
            .execute_raw_for_tests(
                "UPDATE month_count SET days = days + 1 WHERE month = '2018-05' AND site_code = 'RWE02' AND reason = 'G' AND attribution = 'NHS'",
            )
            .unwrap();
    }
    dtoc()
        .args(["check", "--db", s(&db)])
        .assert()
        .failure()
        .stdout(predicate::str::starts_with(
            "counts: 2018-05 E06000017 RWE02 G NHS: stored ",
        ))
        .stderr(format!("dtoc: {}: 1 problem found\n", db.display()));
    dtoc()
        .args(["check", "--repair-counts", "--db", s(&db)])
        .assert()
        .success()
        .stdout(format!("{}: 1 count differences repaired\n", db.display()));
    dtoc()
        .args(["check", "--db", s(&db)])
        .assert()
        .success()
        .stdout(format!("{}: ok\n", db.display()));
}

/// A demo file remembers its today: a command run on it without `--today` reports as of the demo's
/// 2018-08-15 (not the clock's date), and `--today` still overrides it.
#[test]
fn a_demo_file_keeps_its_today_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    dtoc()
        .args(["demo", "--no-tui", "--db", s(&db)])
        .assert()
        .success();
    let monthly = |today: Option<&str>| {
        let mut c = dtoc();
        c.args(["report", "monthly", "--format", "csv", "--db", s(&db)]);
        if let Some(t) = today {
            c.args(["--today", t]);
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let stored = monthly(None);
    assert_eq!(stored, monthly(Some("2018-08-15")));
    assert!(stored.contains("2018-08"), "{stored}");
    assert!(!stored.contains("2018-09"), "{stored}");
    // --today wins over the file's date.
    let later = monthly(Some("2018-10-20"));
    assert!(later.contains("2018-10"), "{later}");
    assert_ne!(stored, later);
}

/// Messages as a person writes them (issue 28): a count with its noun in the singular for one, the
/// weekly table's headers in words, the rate's unit said, a folder given where a file is.
#[test]
fn messages_say_counts_and_units_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    dtoc().args(["init", "--db", s(&db)]).assert().success();
    let one = dir.path().join("population.csv");
    std::fs::write(
        &one,
        "la_code,la_name,year,population_18plus\nE10000018,Leicestershire,2018,543600\n",
    )
    .unwrap();
    dtoc()
        .args(["--db", s(&db), "import", "population", s(&one)])
        .assert()
        .success()
        .stdout("1 row: 1 added, 0 updated, 0 unchanged\n");

    let demo = common::cli::demo(&dir);
    let weekly = common::cli::run(&demo, &["report", "weekly", "--week", "2018-W31"]);
    // W31 (30 July to 5 August 2018) by authority, each figure beside the week before's.
    // Headers are the file's own column names, in every format (docs/output.md).
    assert!(
        weekly.contains(
            "la_code    days  previous_days  change  delayed_at_end  previous_delayed_at_end  complete\n\
             E06000016    86             89      -3              12                       11      true\n"
        ),
        "{weekly}"
    );
    let monthly = common::cli::run(
        &demo,
        &["report", "monthly", "--from", "2018-07", "--to", "2018-07"],
    );
    let head = monthly.lines().nth(1).unwrap();
    assert!(
        head.contains("rate_per_100k_day  target_per_100k_day"),
        "{head}"
    );
    assert!(!head.contains(" target/d"), "{head}");
    // --out-dir names a folder; a file there is refused in words.
    let out = common::cli::dtoc(&demo)
        .args([
            "export",
            "sitrep",
            "--month",
            "2018-07",
            "--out-dir",
            s(&demo),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "dtoc: --out-dir {}: this is a file; give the folder to write the files into\n",
            demo.display()
        )
    );
    // An empty code is named as such; a format in capitals is read.
    let out = common::cli::dtoc(&demo)
        .args(["report", "monthly", "--la", ""])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("dtoc: --la \"\": no such authority in this database"));
    let csv = common::cli::run(
        &demo,
        &[
            "report", "monthly", "--format", "CSV", "--from", "2018-07", "--to", "2018-07",
        ],
    );
    assert!(csv.starts_with("month,la_code,la_name,measure,delayed_days"));
}
