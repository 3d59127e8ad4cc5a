//! Issue 25, items 1–3: a restore goes through SQLite into the live file (an open connection sees
//! it and keeps saving into the register, never into an unlinked file; a symbolic link stays a
//! link; no import that reported success is lost), refuses a backup that `dtoc check` would
//! fault (live file unchanged), carries the live log's newer entries into the restored register,
//! and `dtoc demo` never replaces a register that is not a demo.

use crate::common::cli::{demo, dtoc, run};
use crate::common::db::{delays_csv, dump};
use dtoc::store::Store;
use std::path::{Path, PathBuf};

fn backup(db: &Path, name: &str) -> PathBuf {
    let file = db.with_file_name(name);
    run(db, &["backup", file.to_str().unwrap()]);
    file
}

fn kept_copies(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".before-restore-"))
        .collect()
}

fn delays(db: &Path) -> i64 {
    crate::common::db::count(db, "delay")
}

/// Imports a one-stay file for the patient `local` (its own, so every import adds one delay).
fn import_one(db: &Path, local: &str) -> bool {
    let file = db.with_file_name(format!("{local}.csv"));
    std::fs::write(
        &file,
        delays_csv(&[&format!(
            "{local},,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-02,2018-06-09,A,NHS,,"
        )]),
    )
    .unwrap();
    dtoc(db)
        .args(["import", "delays", file.to_str().unwrap()])
        .output()
        .unwrap()
        .status
        .success()
}

fn has_local_id(db: &Path, local: &str) -> bool {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    c.query_row(
        "SELECT count(*) FROM patient WHERE local_id = ?1",
        [local],
        |r| r.get::<_, i64>(0),
    )
    .unwrap()
        > 0
}

#[test]
fn an_open_connection_sees_the_restore_and_its_next_save_is_in_the_live_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let saved = backup(&db, "saved.backup");
    let in_backup = delays(&db);
    // The app's connection, open before and after.
    let mut app = Store::open(&db).unwrap();
    let version = app.data_version().unwrap();
    assert!(import_one(&db, "AFTERBACKUP"));
    let restored = Store::restore_file(&saved, &db, "20180815T120000", Some("tester")).unwrap();
    assert!(app.data_version().unwrap() != version);
    assert!(app.restored_by().unwrap().is_some());
    // The open connection reads the restored register (the import since the backup is gone from
    // it, kept in the copy) and its next save lands in the live file.
    assert_eq!(delays(&db), in_backup);
    assert!(!has_local_id(&db, "AFTERBACKUP"));
    assert!(has_local_id(restored.kept.as_ref().unwrap(), "AFTERBACKUP"));
    let checked = dtoc::import::read_delays_bytes(
        "later.csv",
        delays_csv(&["LATER1,,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-02,2018-06-09,A,NHS,,"])
            .as_bytes(),
        crate::common::d("2018-08-15"),
    )
    .unwrap();
    app.import_delays(&checked).unwrap();
    assert!(has_local_id(&db, "LATER1"));
    assert_eq!(delays(&db), in_backup + 1);
    assert!(run(&db, &["check"]).ends_with(": ok\n"));
}

#[cfg(unix)]
#[test]
fn a_restore_through_a_symbolic_link_restores_the_file_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let saved = backup(&db, "saved.backup");
    let in_backup = delays(&db);
    assert!(import_one(&db, "AFTERBACKUP"));
    let link = dir.path().join("link.db");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    run(&link, &["restore", saved.to_str().unwrap()]);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(delays(&db), in_backup);
    assert!(!has_local_id(&db, "AFTERBACKUP"));
}

#[test]
fn no_import_reporting_success_during_a_restore_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let saved = backup(&db, "saved.backup");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let importer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut ok = Vec::new();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) || n < 4 {
                let local = format!("LOOP{n}");
                if import_one(&db, &local) {
                    ok.push(local);
                }
                n += 1;
            }
            ok
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    run(&db, &["restore", saved.to_str().unwrap()]);
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let ok = importer.join().unwrap();
    assert!(ok.len() >= 4, "{ok:?}");
    let kept = kept_copies(dir.path());
    assert_eq!(kept.len(), 1);
    for local in &ok {
        assert!(
            has_local_id(&db, local) || has_local_id(&kept[0], local),
            "{local} reported success and is in neither the restored register nor the kept copy"
        );
    }
    assert!(run(&db, &["check"]).ends_with(": ok\n"));
}

/// SQL that changes the user of audit entry `id` past the log's guard, the guard put back after.
fn edit_entry(id: i64, user: &str) -> String {
    format!(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET user = '{user}' WHERE id = {id};
         CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;"
    )
}

#[test]
fn check_finds_an_edited_audit_entry_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    assert!(run(&db, &["check"]).ends_with(": ok\n"));
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(&edit_entry(5, "someone else"))
        .unwrap();
    let out = dtoc(&db).arg("check").output().unwrap();
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "audit log: entry 5 does not match the chain of entries before it (it was changed, or an entry before it was removed or inserted)\n"
    );
}

/// A copy of `good` broken by `sql` (run with foreign keys and CHECK constraints off).
fn broken(good: &Path, name: &str, sql: &str) -> PathBuf {
    let to = good.with_file_name(name);
    std::fs::copy(good, &to).unwrap();
    let c = rusqlite::Connection::open(&to).unwrap();
    c.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; {sql}"
    ))
    .unwrap();
    to
}

#[test]
fn a_backup_check_would_fault_is_refused_and_the_live_file_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let good = backup(&db, "good.backup");
    let cases = [
        (
            broken(
                &good,
                "dropped.backup",
                "DROP TABLE stay; DROP TABLE patient;",
            ),
            "no table",
        ),
        (
            broken(
                &good,
                "backwards.backup",
                "UPDATE delay SET ended_on = date(ready_on, '-3 days')
                 WHERE id = (SELECT min(id) FROM delay WHERE ended_on IS NOT NULL);",
            ),
            "CHECK constraint failed",
        ),
        (
            broken(
                &good,
                "dangling.backup",
                "DELETE FROM stay WHERE id = (SELECT min(stay_id) FROM delay);",
            ),
            "foreign key",
        ),
        (
            broken(
                &good,
                "counts.backup",
                "UPDATE month_count SET days = days + 7
                 WHERE month = (SELECT min(month) FROM month_count);",
            ),
            "counts:",
        ),
        (
            broken(
                &good,
                "triggers.backup",
                "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;",
            ),
            "schema: no trigger audit_log_no_delete",
        ),
    ];
    let cases = cases.into_iter().chain([(
        broken(&good, "edited.backup", &edit_entry(3, "mallory")),
        "audit log: entry 3 does not match the chain",
    )]);
    let before = dump(&db);
    for (file, why) in cases {
        let out = dtoc(&db)
            .args(["restore", file.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{}", file.display());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(why), "{}: {err}", file.display());
        assert!(err.contains(&file.display().to_string()), "{err}");
        assert!(
            err.contains(&format!("the live database {} is unchanged", db.display())),
            "{err}"
        );
        assert!(!err.contains(".restore-"), "{err}");
        assert_eq!(dump(&db), before, "{}", file.display());
        assert!(kept_copies(dir.path()).is_empty());
        let leftovers: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp") || n.contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
    // The good one is accepted.
    run(&db, &["restore", good.to_str().unwrap()]);
}

#[test]
fn the_entries_since_the_backup_outlive_the_restore_and_no_id_is_reused() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let saved = backup(&db, "saved.backup");
    let export = dir.path().join("patients.csv");
    run(
        &db,
        &[
            "export",
            "patients",
            "--with-nhs-number",
            "--out",
            export.to_str().unwrap(),
        ],
    );
    let entries = |p: &Path| -> Vec<(i64, String, String)> {
        let c = rusqlite::Connection::open(p).unwrap();
        let mut s = c
            .prepare("SELECT id, action, coalesce(new_value, '') FROM audit_log ORDER BY id")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let before = entries(&db);
    let export_entry = before
        .iter()
        .find(|(_, action, value)| action == "export" && value.contains("patients.csv"))
        .cloned()
        .unwrap();
    run(&db, &["restore", saved.to_str().unwrap()]);
    for k in kept_copies(dir.path()) {
        std::fs::remove_file(k).unwrap();
    }
    let after = entries(&db);
    // Every entry the live log had, with its id, then the restore's own.
    assert_eq!(&after[..before.len()], &before[..]);
    assert!(after.contains(&export_entry));
    let last = after.last().unwrap();
    assert_eq!(last.1, "restore");
    assert!(last.0 > export_entry.0);
    assert!(last.2.contains("saved.backup"), "{last:?}");
    assert!(run(&db, &["check"]).ends_with(": ok\n"));
}

#[test]
fn demo_refuses_a_file_that_is_not_a_demo_and_rewrites_a_demo() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("hub.db");
    run(&real, &["init"]);
    assert!(import_one(&real, "OURS1"));
    let before = dump(&real);
    let out = dtoc(&real).args(["demo", "--no-tui"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!("{} is not a demo database", real.display())),
        "{err}"
    );
    assert_eq!(dump(&real), before);
    // A demo file is written again.
    let db = demo(&dir);
    run(&db, &["demo", "--no-tui"]);
    assert!(Store::is_demo_file(&db));
}

/// The app open on a register that is restored under it: it says so and shows the restored
/// register; its next save goes into the live file.
#[test]
fn the_app_says_the_register_was_restored_and_reads_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = crate::common::open_store(&dir);
    crate::common::populate(&mut store);
    let db = store.path().to_path_buf();
    let saved = dir.path().join("saved.backup");
    store.backup_to(&saved).unwrap();
    let mut app = dtoc::ui::App::new(store, crate::common::today());
    let shown = app.data.delays.len();
    assert!(import_one(&db, "AFTERBACKUP"));
    app.tick();
    assert_ne!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("The register was restored from a backup: everything read again.")
    );
    Store::restore_file(&saved, &db, "20180815T120000", Some("other")).unwrap();
    app.tick();
    let message = app.message.as_ref().unwrap();
    assert_eq!(
        message.text,
        "The register was restored from a backup: everything read again."
    );
    assert_eq!(app.data.delays.len(), shown);
    assert_eq!(app.store.file_gone(), None);
    // The app's next save goes into the live file.
    let checked = dtoc::import::read_delays_bytes(
        "later.csv",
        delays_csv(&["LATER1,,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-02,2018-06-09,A,NHS,,"])
            .as_bytes(),
        crate::common::today(),
    )
    .unwrap();
    app.store.import_delays(&checked).unwrap();
    assert!(has_local_id(&db, "LATER1"));
    assert!(!has_local_id(&db, "AFTERBACKUP"));
}

/// A register file deleted or replaced under an open store: every save is refused with a message
/// naming the file, and the app says so.
#[test]
fn no_save_goes_into_a_file_deleted_or_replaced_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::common::open_store(&dir);
    let db = store.path().to_path_buf();
    let mut app = dtoc::ui::App::new(store, crate::common::today());
    let later = |name: &str| {
        dtoc::import::read_delays_bytes(
            name,
            delays_csv(&[&format!(
                "{},,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-02,2018-06-09,A,NHS,,",
                name.trim_end_matches(".csv")
            )])
            .as_bytes(),
            crate::common::today(),
        )
        .unwrap()
    };
    // Replaced: another file renamed over it.
    let other = dir.path().join("other.db");
    drop(Store::open(&other).unwrap());
    std::fs::rename(&other, &db).unwrap();
    let err = app.store.import_delays(&later("R1.csv")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "database {}: was replaced by another file since dtoc opened it: nothing was saved; open it again",
            db.display()
        )
    );
    app.tick();
    assert_eq!(
        app.message.as_ref().unwrap().text,
        format!(
            "{} was replaced by another file since dtoc opened it: nothing more can be saved here; quit and open dtoc again.",
            db.display()
        )
    );
    // Deleted.
    std::fs::remove_file(&db).unwrap();
    let err = app.store.import_delays(&later("R2.csv")).unwrap_err();
    assert!(
        err.to_string().contains("was deleted since dtoc opened it"),
        "{err}"
    );
    assert!(!db.exists());
}

/// Makes the register at `db` about `mb` MB larger with rows of `meta` that nothing reads, so
/// that copying it takes many steps.
pub(crate) fn grow(db: &Path, mb: usize) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
             INSERT INTO meta (key, value) SELECT 'filler-' || i, hex(randomblob(2000)) FROM n;",
            mb * 256
        ))
        .unwrap();
}

/// Files beside the database that a backup, restore or demo must never leave: temporary copies
/// and their SQLite sidecars, and a journal of anything.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.contains(".tmp-") || n.ends_with("-journal"))
        .collect()
}

/// One delay for the patient `local`, read as an import reads it.
pub(crate) fn one_delay(local: &str) -> dtoc::import::Checked<dtoc::import::DelayRecord> {
    dtoc::import::read_delays_bytes(
        "one.csv",
        delays_csv(&[&format!(
            "{local},,RWE,RWE01,acute,E10000018,2018-06-01,2018-06-02,2018-06-09,A,NHS,,"
        )])
        .as_bytes(),
        crate::common::d("2018-08-15"),
    )
    .unwrap()
}

/// Another connection importing one delay after another (`BUSY0`, `BUSY1`, …), `pause` apart,
/// until stopped.
pub(crate) struct SteadyWriter {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    written: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    thread: std::thread::JoinHandle<()>,
}

impl SteadyWriter {
    /// Starts writing into `db`, returning once two delays are written.
    pub(crate) fn start(db: &Path, pause: std::time::Duration) -> Self {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        use std::sync::Arc;
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicUsize::new(0));
        let thread = {
            let (db, stop, written) = (db.to_path_buf(), stop.clone(), written.clone());
            std::thread::spawn(move || {
                let mut store = Store::open(&db).unwrap();
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    store
                        .import_delays(&one_delay(&format!("BUSY{n}")))
                        .unwrap();
                    n += 1;
                    written.store(n, Ordering::SeqCst);
                    std::thread::sleep(pause);
                }
            })
        };
        let writer = Self {
            stop,
            written,
            thread,
        };
        while writer.written() < 2 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        writer
    }

    /// How many delays it has written so far.
    pub(crate) fn written(&self) -> usize {
        self.written.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Stops it, returning how many delays it wrote.
    pub(crate) fn stop(self) -> usize {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let written = self.written.clone();
        self.thread.join().unwrap();
        written.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Issue 25, finding 7: a backup of a register that another connection writes to all the time
/// finishes (it copies one snapshot: no write restarts it), in one pass, as a sound register
/// holding the delays of that snapshot.
#[test]
fn a_backup_under_steady_writes_finishes_as_a_sound_register() {
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    grow(&db, 16);
    let before = delays(&db);
    let writer = SteadyWriter::start(&db, std::time::Duration::ZERO);
    let file = dir.path().join("busy.backup");
    let progress = Arc::new(dtoc::progress::Recorder::default());
    let copier = {
        let (db, file, progress) = (db.clone(), file.clone(), progress.clone());
        std::thread::spawn(move || {
            let store = Store::open(&db).unwrap();
            store.backup_to_with(&file, progress.as_ref()).unwrap();
        })
    };
    // A generous bound, so that a copy that never ends fails rather than hangs (no timing).
    let mut waited = 0;
    while !copier.is_finished() {
        assert!(waited < 6000, "the backup did not finish under writes");
        std::thread::sleep(std::time::Duration::from_millis(50));
        waited += 1;
    }
    copier.join().unwrap();
    let during = writer.written();
    // Writes went on during the copy, and none restarted it: one pass over the pages.
    assert!(writer.stop() > 2);
    let phases = progress.phases();
    let copying: Vec<_> = phases.iter().filter(|p| p.0 == "copying").collect();
    assert_eq!(copying.len(), 1, "{phases:?}");
    assert_eq!(Some(copying[0].2), copying[0].1, "{phases:?}");
    let copy = Store::open(&file).unwrap();
    assert_eq!(copy.check().unwrap(), Vec::<String>::new());
    let in_copy = delays(&file);
    assert!(
        in_copy >= before + 2 && in_copy <= before + during as i64 + 1,
        "{before} {in_copy} {during}"
    );
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

/// `dtoc ARGS` on `db`, started as a child process (to be signalled).
fn spawn_dtoc(db: &Path, args: &[&str]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_dtoc"))
        .args(["--db", db.to_str().unwrap(), "--today", "2018-08-15"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until a file whose name holds `part` appears in `dir` (the child still running), then
/// sends it SIGTERM and returns how it ended and what it said. `None` when it finished first.
#[cfg(unix)]
fn terminate_when(
    child: std::process::Child,
    dir: &Path,
    part: &str,
) -> Option<(std::process::ExitStatus, String)> {
    let mut child = child;
    let end = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let seen = std::fs::read_dir(dir)
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().contains(part));
        if seen {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            return None;
        }
        assert!(std::time::Instant::now() < end, "no {part} appeared");
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: sends SIGTERM to the child this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        return None;
    }
    Some((
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

/// Issue 25, finding 7: SIGTERM in the middle of a backup leaves no temporary file, no journal
/// and no backup; the live file is unchanged.
#[cfg(unix)]
#[test]
fn a_backup_stopped_by_a_signal_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    grow(&db, 64);
    let before = dump(&db);
    let file = dir.path().join("stopped.backup");
    let child = spawn_dtoc(&db, &["backup", file.to_str().unwrap()]);
    let Some((status, err)) = terminate_when(child, dir.path(), ".backup-") else {
        panic!("the backup finished before the signal: make the register larger");
    };
    assert!(!status.success());
    assert!(err.contains("stopped by a signal"), "{err}");
    assert!(!file.exists());
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    assert_eq!(dump(&db), before);
}

/// Issue 25, finding 7: SIGTERM while a restore copies the backup, and again while it keeps
/// the live register: no temporary file, no journal, no kept copy, the live file unchanged.
#[cfg(unix)]
#[test]
fn a_restore_stopped_by_a_signal_leaves_nothing_behind_and_the_live_file_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    grow(&db, 64);
    let saved = backup(&db, "saved.backup");
    assert!(import_one(&db, "AFTERBACKUP"));
    let before = dump(&db);
    // While the backup is copied (and checked), then while the live register is kept.
    for part in [".restore-", ".before-restore-"] {
        let child = spawn_dtoc(&db, &["restore", saved.to_str().unwrap()]);
        let Some((status, err)) = terminate_when(child, dir.path(), part) else {
            panic!("the restore finished before the signal: make the register larger");
        };
        assert!(!status.success(), "{part}");
        assert!(err.contains("stopped by a signal"), "{part}: {err}");
        assert!(
            !err.contains(".restore-") && !err.contains(".backup-"),
            "{part}: {err}"
        );
        assert_eq!(leftovers(dir.path()), Vec::<String>::new(), "{part}");
        assert!(kept_copies(dir.path()).is_empty(), "{part}");
        assert_eq!(dump(&db), before, "{part}");
    }
    assert!(run(&db, &["check"]).ends_with(": ok\n"));
}

/// `dtoc --db DB ARGS` run with no file larger than `limit` bytes: a write past it fails part-way,
/// as on a full disk.
#[cfg(unix)]
fn limited(db: &Path, args: &[&str], limit: u64) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dtoc"));
    cmd.args(["--db", db.to_str().unwrap(), "--today", "2018-08-15"])
        .args(args);
    // SAFETY: between fork and exec only async-signal-safe calls: the file-size limit, and
    // SIGXFSZ ignored so that a write past it fails (EFBIG) instead of killing the process.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    cmd.output().unwrap()
}

/// A demo that cannot be written whole (a new file, or over an earlier demo) leaves no file, no
/// temporary file, and the earlier demo as it was.
#[cfg(unix)]
#[test]
fn a_demo_that_cannot_be_written_whole_leaves_nothing_and_the_earlier_demo_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.db");
    let out = limited(&new, &["demo", "--no-tui"], 1024 * 1024);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!(
            "dtoc: demo database not written to {}: ",
            new.display()
        )),
        "{err}"
    );
    assert!(!new.exists());
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    let db = demo(&dir);
    import_one(&db, "OLDDEMO1");
    let before = dump(&db);
    let out = limited(&db, &["demo", "--no-tui"], 1024 * 1024);
    assert!(!out.status.success());
    assert_eq!(dump(&db), before);
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

/// Issue 25, finding 7: a restore whose copy of the live register cannot be written whole (the
/// file-size limit of the process stands in for a full disk: the write fails part-way) leaves no
/// truncated before-restore copy, no temporary file, and the live file unchanged; the message
/// names the user's file and says what happened in words, not SQLite's text.
#[cfg(unix)]
#[test]
fn a_restore_that_cannot_keep_the_live_register_leaves_no_truncated_copy() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let saved = backup(&db, "saved.backup");
    // The live register grows past what the process may write to one file; the backup does not.
    grow(&db, 8);
    let limit = std::fs::metadata(&saved).unwrap().len() + 2 * 1024 * 1024;
    assert!(std::fs::metadata(&db).unwrap().len() > limit + 1024 * 1024);
    let before = dump(&db);
    let out = limited(&db, &["restore", saved.to_str().unwrap()], limit);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!(
            "dtoc: not restored: database {}.before-restore-",
            db.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("could not be read or written")
            || err.contains("larger than this system allows"),
        "{err}"
    );
    assert!(
        err.trim_end()
            .ends_with(&format!("the live database {} is unchanged", db.display())),
        "{err}"
    );
    assert!(
        !err.contains(".backup-") && !err.contains("Error code"),
        "{err}"
    );
    assert!(kept_copies(dir.path()).is_empty());
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    assert_eq!(dump(&db), before);
}

/// A `kill -9` cannot be answered: the temporary files a killed backup or restore left (named
/// with its process id) are removed by the next backup or restore of that file; those of a
/// running process, and other files, are left alone.
#[cfg(unix)]
#[test]
fn the_temporary_files_of_a_killed_process_go_at_the_next_backup_or_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    // A process id that no longer runs: a child that has ended.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let dead = gone.id();
    let running = std::process::id();
    let name = |f: String| dir.path().join(f);
    let stale = [
        name(format!("saved.backup.backup-{dead}.tmp")),
        name(format!("saved.backup.backup-{dead}.tmp-journal")),
        name(format!("demo.db.restore-{dead}.tmp")),
        name(format!("demo.db.restore-{dead}.tmp-wal")),
        name(format!(
            "demo.db.before-restore-20180815T120000.backup-{dead}.tmp"
        )),
    ];
    let kept = [
        name(format!("demo.db.restore-{running}.tmp")),
        name("demo.db.notes.tmp".into()),
    ];
    for f in stale.iter().chain(&kept) {
        std::fs::write(f, b"partial").unwrap();
    }
    let saved = backup(&db, "saved.backup");
    assert!(!stale[0].exists() && !stale[1].exists());
    assert!(stale[2].exists());
    run(&db, &["restore", saved.to_str().unwrap()]);
    for f in &stale {
        assert!(!f.exists(), "{}", f.display());
    }
    for f in &kept {
        assert!(f.exists(), "{}", f.display());
    }
}
