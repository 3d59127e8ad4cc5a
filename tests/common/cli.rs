//! Helpers for tests that run the real binary on a database with `--today 2018-08-15` (the demo's).

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// `dtoc --db DB --today 2018-08-15`.
pub fn dtoc(db: &Path) -> Command {
    let mut c = Command::cargo_bin("dtoc").unwrap();
    c.args(["--db", db.to_str().unwrap(), "--today", "2018-08-15"]);
    c
}

/// `dtoc --db DB --today TODAY` as user `tester`, with no database from the environment.
pub fn dtoc_on(db: &Path, today: &str) -> Command {
    let mut c = Command::cargo_bin("dtoc").unwrap();
    c.env_remove("DTOC_DB")
        .env("DTOC_USER", "tester")
        .arg("--db")
        .arg(db)
        .args(["--today", today]);
    c
}

/// Runs `dtoc` with `args`, asserts success, returns stdout.
pub fn stdout_of(mut dtoc: Command, args: &[&str]) -> String {
    let out = dtoc.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `args`, asserts success, returns stdout.
pub fn run(db: &Path, args: &[&str]) -> String {
    stdout_of(dtoc(db), args)
}

/// A demo database in `dir`.
pub fn demo(dir: &tempfile::TempDir) -> PathBuf {
    let db = dir.path().join("demo.db");
    run(&db, &["demo", "--no-tui"]);
    db
}
