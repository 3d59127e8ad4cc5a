//! Issue 25, finding 7 and item 6, for the database's own files: a FIFO, a device or a directory
//! given as the backup to restore or as the database itself is refused at once (SQLite would wait
//! on a FIFO for ever); a backup under steady writes takes at most ten times its idle time; a
//! demo stopped by Ctrl-C leaves nothing behind.

use crate::common::cli::{demo, run};
use crate::common::db::dump;
use crate::guards::refused_soon;
use crate::restore::{grow, SteadyWriter};
use dtoc::store::Store;
use std::path::Path;
use std::time::{Duration, Instant};

#[cfg(unix)]
fn fifo(dir: &Path, name: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    let made = std::process::Command::new("mkfifo")
        .arg(&p)
        .status()
        .unwrap();
    assert!(made.success());
    p
}

#[cfg(unix)]
#[test]
fn a_fifo_a_device_or_a_directory_to_restore_from_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let before = dump(&db);
    let pipe = fifo(dir.path(), "pipe.backup");
    let folder = dir.path().join("folder.backup");
    std::fs::create_dir(&folder).unwrap();
    let unchanged = format!("the live database {} is unchanged", db.display());
    for (src, said) in [
        (
            pipe.clone(),
            format!(
                "dtoc: not restored: database {}: is not a regular file (a FIFO, a device or a socket), not a dtoc backup; {unchanged}\n",
                pipe.display()
            ),
        ),
        (
            "/dev/zero".into(),
            format!(
                "dtoc: not restored: database /dev/zero: is not a regular file (a FIFO, a device or a socket), not a dtoc backup; {unchanged}\n"
            ),
        ),
        (
            folder.clone(),
            format!(
                "dtoc: not restored: database {}: is a directory, not a dtoc backup; {unchanged}\n",
                folder.display()
            ),
        ),
    ] {
        assert_eq!(refused_soon(&db, &["restore", src.to_str().unwrap()]), said);
        assert_eq!(dump(&db), before, "{}", src.display());
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_a_device_or_a_directory_as_the_database_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let good = demo(&dir);
    let saved = dir.path().join("saved.backup");
    run(&good, &["backup", saved.to_str().unwrap()]);
    let pipe = fifo(dir.path(), "pipe.db");
    let saved = saved.to_str().unwrap();
    let copy = dir.path().join("copy.backup");
    let copy = copy.to_str().unwrap();
    let commands: [&[&str]; 5] = [
        &["check"],
        &["init"],
        &["backup", copy],
        &["demo", "--no-tui"],
        &["restore", saved],
    ];
    for args in commands {
        let said = refused_soon(&pipe, args);
        assert!(
            said.contains(&format!(
                "database {}: is not a regular file (a FIFO, a device or a socket), not a dtoc database",
                pipe.display()
            )),
            "{args:?}: {said}"
        );
    }
    // A device is no database either (and is not written).
    let said = refused_soon(Path::new("/dev/null"), &["restore", saved]);
    assert!(
        said.contains(
            "database /dev/null: is not a regular file (a FIFO, a device or a socket), not a dtoc database"
        ),
        "{said}"
    );
    assert!(!Path::new(copy).exists());
    // Nor is a directory.
    let folder = dir.path().join("folder.db");
    std::fs::create_dir(&folder).unwrap();
    assert_eq!(
        refused_soon(&folder, &["check"]),
        format!(
            "dtoc: database {}: is a directory, not a dtoc database\n",
            folder.display()
        )
    );
    // Nothing was left beside the FIFO.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pipe.db") && n != "pipe.db")
        .collect();
    assert_eq!(names, Vec::<String>::new());
}

/// How long a backup of `db` to a new file `name` takes.
fn backup_time(db: &Path, name: &str) -> Duration {
    let store = Store::open(db).unwrap();
    let started = Instant::now();
    store.backup_to(&db.with_file_name(name)).unwrap();
    started.elapsed()
}

/// Issue 25, item 6: a backup while another connection commits a delay every 20 ms finishes
/// within ten times the same backup's idle time (before, each commit restarted the copy from its
/// first page, and a copy longer than the gap between two commits never ended).
#[test]
fn a_backup_under_steady_writes_takes_at_most_ten_times_its_idle_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    grow(&db, 24);
    let idle = (backup_time(&db, "idle1.backup") + backup_time(&db, "idle2.backup")) / 2;
    let writer = SteadyWriter::start(&db, Duration::from_millis(20));
    let (file, started) = (dir.path().join("busy.backup"), Instant::now());
    let copier = {
        let (db, file) = (db.clone(), file.clone());
        std::thread::spawn(move || Store::open(&db).unwrap().backup_to(&file))
    };
    let bound = idle * 10;
    while !copier.is_finished() && started.elapsed() <= bound {
        std::thread::sleep(Duration::from_millis(5));
    }
    let took = started.elapsed();
    let during = writer.stop();
    assert!(
        copier.is_finished() && took <= bound,
        "idle {idle:?}: the backup under writes was not done after {took:?}"
    );
    copier.join().unwrap().unwrap();
    // Writes went on while it copied.
    assert!(during > 2, "{during}");
    assert_eq!(
        Store::open(&file).unwrap().check().unwrap(),
        Vec::<String>::new()
    );
}

/// Issue 25, finding 7: Ctrl-C (SIGINT) while `dtoc demo` builds a new file leaves no file and
/// no temporary file.
#[cfg(unix)]
#[test]
fn a_demo_stopped_by_ctrl_c_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dtoc"))
        .args(["--db", db.to_str().unwrap(), "demo", "--no-tui"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let end = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_dir(dir.path())
        .unwrap()
        .any(|e| e.unwrap().file_name().to_string_lossy().contains(".demo-"))
    {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the demo finished before the signal"
        );
        assert!(Instant::now() < end, "no temporary demo file appeared");
        std::thread::sleep(Duration::from_millis(1));
    }
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: sends SIGINT to the child this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(128 + libc::SIGINT));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("stopped by a signal"), "{err}");
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, Vec::<String>::new());
}
