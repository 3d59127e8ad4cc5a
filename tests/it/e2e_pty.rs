//! End to end in a real pseudo-terminal: the built `dtoc` binary on a demo database, driven by
//! keystrokes, its screen read back through a vt100 parser. Every wait polls the screen until a
//! deadline; nothing asserts on timing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_dtoc");
const TODAY: &str = "2018-08-15";
const ROWS: u16 = 40;
const COLS: u16 = 120;
const DEADLINE: Duration = Duration::from_secs(10);

/// Leicestershire's total delayed days of August 2018 (as of today) from the CSV report.
fn leics_august_total(db: &Path) -> u64 {
    let out = Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "--today", TODAY])
        .args(["report", "monthly", "--format", "csv", "--la", "E10000018"])
        .args(["--from", "2018-08", "--to", "2018-08"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("2018-08,E10000018,") && l.contains(",total,"))
        .unwrap_or_else(|| panic!("no total row in\n{text}"));
    line.split(',').nth(4).unwrap().parse().unwrap()
}

/// The app in a pseudo-terminal (also the whole morning of `morning_pty`).
pub(crate) struct Tui {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    pub(crate) child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tui {
    fn spawn(db: &Path) -> Self {
        Self::spawn_as(db, (ROWS, COLS), TODAY, None)
    }

    /// The app on `db` in a terminal of `size` (rows, columns) on `today`, as `user` if given.
    pub(crate) fn spawn_as(db: &Path, size: (u16, u16), today: &str, user: Option<&str>) -> Self {
        let (rows, cols) = size;
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(["--db", db.to_str().unwrap(), "--today", today]);
        if let Some(user) = user {
            cmd.args(["--user", user]);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
            0,
        )));
        let s = Arc::clone(&screen);
        std::thread::spawn(move || {
            let _master = pty.master;
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => s.lock().unwrap().process(&buf[..n]),
                }
            }
        });
        Self {
            screen,
            writer,
            child,
        }
    }

    pub(crate) fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    pub(crate) fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Polls the screen until `pred` holds, or fails with the screen after the deadline.
    pub(crate) fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            let text = self.text();
            if pred(&text) {
                return text;
            }
            assert!(
                Instant::now() < end,
                "timed out waiting for {what}; screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub(crate) fn wait_text(&self, needle: &str) -> String {
        self.wait_for(needle, |t| t.contains(needle))
    }
}

/// The days column of the report table's row for Leicestershire, August 2018, total.
fn screen_total(text: &str) -> Option<u64> {
    text.lines()
        .find(|l| l.contains("2018-08") && l.contains("Leicestershire") && l.contains("Total"))
        .and_then(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let i = words.iter().position(|w| *w == "Total")?;
            words.get(i + 1)?.parse().ok()
        })
}

#[test]
fn add_a_delay_in_the_register_and_see_the_report_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let before = leics_august_total(&db);

    let mut tui = Tui::spawn(&db);
    tui.wait_text("August 2018 so far");

    // The report as first drawn agrees with the CLI.
    tui.send("5");
    let text = tui.wait_for("the report table", |t| screen_total(t).is_some());
    assert_eq!(screen_total(&text), Some(before), "{text}");

    // Register: add a delay ready three days ago.
    tui.send("2");
    tui.wait_text("Local id");
    tui.send("a");
    tui.wait_text("Add delay");
    tui.send("PTY0000001\t\tt-10\tRWE01\tE10000018\tt-3\tA\tnhs\t");
    tui.wait_text("PTY0000001");
    tui.send("\r");
    tui.wait_text("Saved.");
    tui.send("/PTY\r");
    let text = tui.wait_for("the new delay in the register", |t| {
        !t.contains("Add delay") && t.contains("PTY0000001")
    });
    assert!(text.contains("PTY0000001"), "{text}");

    // The monthly report now counts its three delayed days.
    tui.send("5");
    let text = tui.wait_for("the report total to change", |t| {
        screen_total(t).is_some_and(|n| n != before)
    });
    assert_eq!(screen_total(&text), Some(before + 3), "{text}");
    assert_eq!(leics_august_total(&db), before + 3);

    tui.send("q");
    let end = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(s) = tui.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < end, "dtoc did not exit after q");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    // The terminal is restored: back on the main screen with the cursor shown.
    let end = Instant::now() + DEADLINE;
    loop {
        let (alt, hidden) = {
            let p = tui.screen.lock().unwrap();
            (p.screen().alternate_screen(), p.screen().hide_cursor())
        };
        if !alt && !hidden {
            break;
        }
        assert!(
            Instant::now() < end,
            "terminal not restored: alternate screen {alt}, cursor hidden {hidden}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A demo database in `dir`.
pub(crate) fn demo_db(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = dir.path().join("demo.db");
    write_demo(&db);
    db
}

/// `dtoc demo --no-tui --db DB` (a new demo, or over an earlier one).
fn write_demo(db: &Path) {
    let st = Command::new(BIN)
        .args(["demo", "--no-tui", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
}

/// The number after "0 of " in the board round's title.
fn round_total(text: &str) -> Option<usize> {
    let at = text.find("Board round: ")?;
    let rest = &text[at + "Board round: ".len()..];
    rest.split(" of ").nth(1)?.split(' ').next()?.parse().ok()
}

#[test]
fn a_whole_board_round_reviews_every_open_delay_and_stores_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let mut tui = Tui::spawn(&db);
    tui.wait_text("August 2018 so far");
    tui.send("3");
    let text = tui.wait_for("the board round", |t| round_total(t).is_some());
    let total = round_total(&text).unwrap();
    assert!(total > 10, "{text}");
    // An action on the first delay reviews it (and the form reminds: no clinical detail); its
    // owner, typed, joins the owners' list.
    tui.send("n");
    tui.wait_text("No clinical detail");
    tui.send("P1 package requested from provider X\tHub team\r");
    tui.wait_text(&format!("1 of {total} reviewed"));
    tui.wait_text("Open actions: 1 · next no due date Hub team: P1 package");
    // Every other delay: still delayed.
    tui.send("\r");
    for i in 1..total {
        tui.wait_text(&format!("{} of {total} reviewed", i));
        tui.send("\r");
    }
    // The census form opens once every delay is reviewed; Esc leaves it on the census step.
    tui.wait_text("Today's census");
    tui.wait_text("cells missing");
    tui.send("\x1b");
    tui.wait_for("the census step", |t| {
        t.contains("Every delay of the round has been reviewed.") && !t.contains("cells missing")
    });
    tui.send("\r");
    let text = tui.wait_text("Board round totals");
    assert!(
        text.contains(&format!(
            "reviewed {total} of {total} · changed 0 · ended 0"
        )),
        "{text}"
    );
    tui.send("q");
    let end = Instant::now() + DEADLINE;
    while tui.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < end, "dtoc did not exit after q");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Stored: every open delay reviewed today, by whom; the note in the actions log.
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let (open, reviewed, by): (i64, i64, i64) = conn
        .query_row(
            "SELECT count(*), count(CASE WHEN reviewed_on = ?1 THEN 1 END),
                    count(reviewed_by) FROM delay WHERE ended_on IS NULL",
            [TODAY],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let n = total as i64;
    assert_eq!((open, reviewed, by), (n, n, n));
    let notes: Vec<String> = conn
        .prepare("SELECT text FROM delay_action")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        notes,
        vec!["P1 package requested from provider X".to_string()]
    );
}

/// Runs `dtoc --db db ARGS` as another process; its stderr when it fails.
fn other_process(db: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "--today", TODAY])
        .args(args)
        .output()
        .unwrap();
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// The number in the register's title, "Register (N)".
fn register_size(text: &str) -> Option<usize> {
    let at = text.find("Register (")? + "Register (".len();
    text[at..].split(')').next()?.parse().ok()
}

/// Whether the register at `db` holds the patient `local`.
fn holds(db: &Path, local: &str) -> bool {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row(
        "SELECT count(*) FROM patient WHERE local_id = ?1",
        [local],
        |r| r.get::<_, i64>(0),
    )
    .unwrap()
        > 0
}

impl Tui {
    /// Adds a delay for the patient `local` in the register and waits for the form's answer.
    fn add_delay(&mut self, local: &str) -> String {
        self.send("2");
        self.wait_text("Local id");
        self.send("a");
        self.wait_text("Add delay");
        self.send(&format!("{local}\t\tt-10\tRWE01\tE10000018\tt-3\tA\tnhs\t"));
        self.wait_text(local);
        self.send("\r");
        self.wait_for("the form's answer", |t| {
            (t.contains("Saved.") && !t.contains("Add delay")) || t.contains("Not saved")
        })
    }

    /// With the app's file gone from under it: waits for the app to say `why` (after the file's
    /// name), tries to add a delay for `local` and sees it refused, never "Saved."; then leaves the
    /// form (its entries discarded) and quits.
    fn save_refused_then_quit(&mut self, db: &Path, local: &str, why: &str) {
        self.wait_text(why);
        let text = self.add_delay(local);
        assert!(!text.contains("Saved."), "{text}");
        // The form says why (its line wraps), and the status line says it whole.
        assert!(text.contains("Not saved: database "), "{text}");
        self.wait_text(&format!("{} {why}", db.display()));
        self.send("\x1b");
        self.wait_text("y yes");
        self.send("y");
        self.wait_for("the form to close", |t| !t.contains("Add delay"));
        self.quit();
    }

    pub(crate) fn quit(&mut self) {
        self.send("q");
        let end = Instant::now() + DEADLINE;
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < end, "dtoc did not exit after q");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Issue 25, finding 1: the app open, a restore from another process between two saves. The
/// first save (after the backup) leaves the restored register and is in the kept copy, with its
/// audit entry carried over; the app says in words that the register was restored and reads it
/// again; its second save lands in the live file, not in an unlinked one.
#[test]
fn a_restore_from_another_process_under_the_open_app_loses_no_save() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let saved = dir.path().join("saved.backup");
    other_process(&db, &["backup", saved.to_str().unwrap()]).unwrap();
    let mut tui = Tui::spawn(&db);
    tui.wait_text("August 2018 so far");
    tui.send("2");
    let text = tui.wait_text("Register (");
    let shown = register_size(&text).unwrap();
    let text = tui.add_delay("PTYFIRST01");
    assert!(text.contains("Saved."), "{text}");
    assert_eq!(register_size(&text), Some(shown + 1), "{text}");
    other_process(&db, &["restore", saved.to_str().unwrap()]).unwrap();
    // Said in words, and the register read again: the first save is not in it.
    let text = tui.wait_text("The register was restored from a backup: everything read again.");
    assert_eq!(register_size(&text), Some(shown), "{text}");
    let text = tui.add_delay("PTYSECOND2");
    assert!(text.contains("Saved."), "{text}");
    assert_eq!(register_size(&text), Some(shown + 1), "{text}");
    tui.quit();
    assert!(holds(&db, "PTYSECOND2"));
    assert!(!holds(&db, "PTYFIRST01"));
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(holds(&kept[0], "PTYFIRST01"));
    // The first save's audit entry outlives the restore, before the restore's own.
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let id_of = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let first = id_of(
        "SELECT id FROM audit_log WHERE entity = 'patient' AND action = 'add' AND new_value = 'PTYFIRST01'",
    );
    let restore = id_of("SELECT max(id) FROM audit_log WHERE action = 'restore'");
    let second = id_of(
        "SELECT id FROM audit_log WHERE entity = 'patient' AND action = 'add' AND new_value = 'PTYSECOND2'",
    );
    assert!(
        first < restore && restore < second,
        "{first} {restore} {second}"
    );
    assert_eq!(
        other_process(&db, &["check"]).unwrap(),
        format!("{}: ok\n", db.display())
    );
}

/// The file deleted under the running app: it says so in words, and a save is refused, never
/// "Saved." into the unlinked file.
#[test]
fn the_app_whose_file_is_deleted_stops_saving_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let mut tui = Tui::spawn(&db);
    tui.wait_text("August 2018 so far");
    std::fs::remove_file(&db).unwrap();
    tui.save_refused_then_quit(
        &db,
        "PTYGONE001",
        "was deleted since dtoc opened it: nothing more can be saved here",
    );
    assert!(!db.exists());
}

/// Issue 25, finding 2: `dtoc demo` over the demo an app has open writes through SQLite: the app
/// says a new demo was written and reads it; its next save is in the file, not an unlinked one.
#[test]
fn a_new_demo_under_the_open_app_is_read_and_the_next_save_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let mut tui = Tui::spawn(&db);
    tui.wait_text("August 2018 so far");
    let text = tui.add_delay("PTYOLDDEMO");
    assert!(text.contains("Saved."), "{text}");
    assert!(holds(&db, "PTYOLDDEMO"));
    write_demo(&db);
    tui.wait_text("A new demo was written over this register: everything read again.");
    assert!(!holds(&db, "PTYOLDDEMO"));
    let text = tui.add_delay("PTYNEWDEMO");
    assert!(text.contains("Saved."), "{text}");
    tui.quit();
    assert!(holds(&db, "PTYNEWDEMO"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.contains(".tmp-"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
}

/// Issue 25, item 1: the file replaced under the running app by another (a copy renamed over it):
/// the app says so in words and refuses to save, into the file it had open as into the new one.
#[test]
fn the_app_whose_file_is_replaced_stops_saving_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let other = dir.path().join("other.db");
    other_process(&db, &["backup", other.to_str().unwrap()]).unwrap();
    let mut tui = Tui::spawn(&db);
    tui.wait_text("August 2018 so far");
    std::fs::rename(&other, &db).unwrap();
    tui.save_refused_then_quit(
        &db,
        "PTYSWAP001",
        "was replaced by another file since dtoc opened it: nothing more can be saved here",
    );
    assert!(!holds(&db, "PTYSWAP001"));
    assert_eq!(
        other_process(&db, &["check"]).unwrap(),
        format!("{}: ok\n", db.display())
    );
}

/// Issue 25, finding 1: the app open through a symbolic link, a restore through the same link
/// from another process: the real database is restored (the link stays a link), the app says so,
/// and its next save is in the real database.
#[cfg(unix)]
#[test]
fn a_restore_through_a_symbolic_link_under_the_open_app_writes_the_real_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let saved = dir.path().join("saved.backup");
    other_process(&db, &["backup", saved.to_str().unwrap()]).unwrap();
    let link = dir.path().join("link.db");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let mut tui = Tui::spawn(&link);
    tui.wait_text("August 2018 so far");
    let text = tui.add_delay("PTYLINK001");
    assert!(text.contains("Saved."), "{text}");
    assert!(holds(&db, "PTYLINK001"));
    other_process(&link, &["restore", saved.to_str().unwrap()]).unwrap();
    tui.wait_text("The register was restored from a backup: everything read again.");
    assert!(!holds(&db, "PTYLINK001"));
    let text = tui.add_delay("PTYLINK002");
    assert!(text.contains("Saved."), "{text}");
    tui.quit();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(holds(&db, "PTYLINK002"));
    assert_eq!(
        other_process(&db, &["check"]).unwrap(),
        format!("{}: ok\n", db.display())
    );
}
