//! Helpers for tests that run the real binary on a database with `--today 2018-08-15` (the demo's).

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

/// Runs `dtoc` with `args`, asserts success, returns stdout and stderr.
pub fn outputs_of(mut dtoc: Command, args: &[&str]) -> (String, String) {
    let out = dtoc.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Runs `dtoc` with `args`, asserts success, returns stdout.
pub fn stdout_of(dtoc: Command, args: &[&str]) -> String {
    outputs_of(dtoc, args).0
}

/// Runs `args`, asserts success, returns stdout.
pub fn run(db: &Path, args: &[&str]) -> String {
    stdout_of(dtoc(db), args)
}

/// A demo database in `dir`: a copy of what `dtoc demo --no-tui --today 2018-08-15` writes.
///
/// The demo is built once per build of the binary, not once per test: the first caller writes it
/// to `demo-<binary's size and time>.db` in the test target's temporary folder (under a name of its
/// own, then renamed, so that test processes running at once never read half a file), and every
/// test copies that file. `dtoc demo` leaves no `-wal` file (its last connection checkpoints), so
/// the copy is the whole database, mode 0600 as written.
pub fn demo(dir: &tempfile::TempDir) -> PathBuf {
    let db = dir.path().join("demo.db");
    std::fs::copy(demo_template(), &db).unwrap();
    db
}

/// The shared demo file [`demo`] copies, written on first use by this build of the binary.
fn demo_template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let bin = Path::new(env!("CARGO_BIN_EXE_dtoc"));
        let meta = std::fs::metadata(bin).unwrap();
        let stamp = meta
            .modified()
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let name = format!("demo-{}-{}.db", meta.len(), stamp.as_nanos());
        let template = tmp.join(&name);
        if !template.exists() {
            // Written under this process's own name, then renamed into place in one step.
            let partial = tmp.join(format!("{name}.{}.partial", std::process::id()));
            let _ = std::fs::remove_file(&partial);
            run(&partial, &["demo", "--no-tui"]);
            assert!(
                !PathBuf::from(format!("{}-wal", partial.display())).exists(),
                "dtoc demo left a -wal file"
            );
            std::fs::rename(&partial, &template).unwrap();
        }
        template
    })
}

/// The rows of the table `name` of a JSON document of several tables (`report queues`,
/// `report forecast`, `report weekly`: docs/output.md).
pub fn table_rows<'a>(doc: &'a serde_json::Value, name: &str) -> &'a [serde_json::Value] {
    doc["tables"]
        .as_array()
        .expect("a document of several tables")
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no table {name}"))["rows"]
        .as_array()
        .expect("rows")
}
