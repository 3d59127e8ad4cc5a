//! Issue 26's whole morning of a hub coordinator, in a real pseudo-terminal at 80×24 on the demo:
//! the wards added, the board round walked ward by ward (natural order, "next not reviewed"), an
//! action with an owner and a due date added, seen overdue two days later and closed, so that it
//! leaves the overdue list, and the week signed off on both sides by two users (the same user
//! refused for the second side). Every wait polls the screen; nothing asserts on timing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::e2e_pty::{demo_db, Tui};
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_dtoc");
const SIZE: (u16, u16) = (24, 80);
const TODAY: &str = "2018-08-15";
const LATER: &str = "2018-08-17";

fn dtoc(db: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "--today", TODAY])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The "N of M" of the board round's title.
fn reviewed(text: &str) -> Option<(usize, usize)> {
    let rest = &text[text.find("Board round: ")? + "Board round: ".len()..];
    let mut words = rest.split(' ');
    let n = words.next()?.parse().ok()?;
    (words.next()? == "of").then_some(())?;
    Some((n, words.next()?.parse().ok()?))
}

/// The round's current patient: the line "K of M  LOCALID ...".
fn current(text: &str) -> Option<(usize, String)> {
    text.lines().find_map(|l| {
        let l = l.trim_start_matches('│');
        let mut w = l.split_whitespace();
        let k = w.next()?.parse().ok()?;
        (w.next()? == "of").then_some(())?;
        w.next()?;
        Some((k, w.next()?.to_string()))
    })
}

/// The round's patient line "Ward / bed: WARD / BED ..." of the current patient.
fn ward_bed(text: &str) -> Option<String> {
    let l = text.lines().find(|l| l.contains("Ward / bed: "))?;
    let rest = &l[l.find("Ward / bed: ")? + "Ward / bed: ".len()..];
    Some(rest[..rest.find("  Expected")?].to_string())
}

fn place(tui: &mut Tui, ward: &str, bed: &str) {
    tui.send("w");
    tui.wait_text("Ward, bed and expected discharge");
    tui.send(&format!("{ward}\t{bed}\r"));
    tui.wait_for("the place form to close", |t| {
        !t.contains("Ward, bed and expected discharge")
    });
    tui.wait_text(&format!("Ward / bed: {ward} / {bed}"));
}

#[test]
fn a_whole_morning_at_80x24_wards_round_action_and_two_signatures() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);

    // Morning, before the round: the hub adds its wards at RT501 (a ward named or coded, any case).
    let wards = dir.path().join("wards.csv");
    std::fs::write(
        &wards,
        "site,ward_code,name,beds\nRT501,W7,Ward 7,20\nRT501,W10,Ward 10,24\n",
    )
    .unwrap();
    let out = dtoc(&db, &["import", "wards", wards.to_str().unwrap()]);
    assert!(out.contains("2 added"), "{out}");

    // The round: the first three patients put on their beds as the coordinator finds them.
    let mut tui = Tui::spawn_as(&db, SIZE, TODAY, Some("ann.nhs"));
    tui.wait_text("August 2018 so far");
    tui.send("3");
    let text = tui.wait_for("the board round", |t| reviewed(t).is_some());
    let (zero, total) = reviewed(&text).unwrap();
    assert_eq!(zero, 0, "{text}");
    assert!(total > 20, "{text}");
    let mut placed = Vec::new();
    for (k, (ward, bed)) in [("ward 10", "2"), ("Ward 7", "10"), ("W7", "2")]
        .into_iter()
        .enumerate()
    {
        let text = tui.wait_for("the patient", |t| current(t).is_some_and(|c| c.0 == k + 1));
        placed.push(current(&text).unwrap().1);
        place(&mut tui, ward, bed);
        // Placing a patient reviews it; the count follows.
        tui.wait_text(&format!("Board round: {} of {total} reviewed", k + 1));
        tui.send("\x1b[C");
    }
    tui.quit();

    // The next start walks the wards in natural order, a ward matched whatever its case or
    // whether named by code or name: Ward 7 bed 2, Ward 7 bed 10, then Ward 10 bed 2.
    let mut tui = Tui::spawn_as(&db, SIZE, TODAY, Some("ann.nhs"));
    tui.wait_text("August 2018 so far");
    tui.send("3");
    let mut order = Vec::new();
    for k in 1..=3 {
        let text = tui.wait_for("the patient", |t| current(t).is_some_and(|c| c.0 == k));
        order.push((current(&text).unwrap().1, ward_bed(&text).unwrap()));
        tui.send("\x1b[C");
    }
    assert_eq!(
        order,
        vec![
            (placed[2].clone(), "W7 / 2".to_string()),
            (placed[1].clone(), "Ward 7 / 10".to_string()),
            (placed[0].clone(), "ward 10 / 2".to_string()),
        ]
    );
    // "Next not reviewed" from the first patient skips the three reviewed ones.
    tui.send("g");
    tui.wait_for("the first patient", |t| {
        current(t).is_some_and(|c| c.0 == 1)
    });
    tui.send("u");
    let text = tui.wait_for("the first not reviewed", |t| {
        current(t).is_some_and(|c| c.0 == 4)
    });
    assert!(text.contains("not reviewed yet"), "{text}");
    let chased = current(&text).unwrap().1;

    // An action with an owner (typed: it joins the owners' list) and a due date tomorrow.
    tui.send("n");
    tui.wait_text("New action");
    tui.send("Chase P1 package start date\tHub team\t2018-08-16\r");
    tui.wait_text(&format!("Board round: 4 of {total} reviewed"));
    tui.wait_text("Open actions: 1 · next due 16/08 Hub team: Chase P1 package");
    // The rest of the round: still delayed, each in turn, until the census step.
    tui.send("\x1b[C");
    for i in 4..total {
        tui.wait_for("the next patient", |t| {
            reviewed(t) == Some((i, total)) && t.contains("not reviewed yet")
        });
        tui.send("\r");
    }
    tui.wait_text("Today's census");
    tui.send("\x1b");
    tui.wait_text("Every delay of the round has been reviewed.");
    tui.send("\r");
    let text = tui.wait_text("Board round totals");
    assert!(
        text.contains(&format!("reviewed {total} of {total}")),
        "{text}"
    );
    tui.quit();

    // Two days later the action is overdue: on the Actions screen's overdue view, marked `!`.
    let mut tui = Tui::spawn_as(&db, SIZE, LATER, Some("ann.nhs"));
    tui.wait_text("August 2018 so far");
    tui.send("0");
    tui.wait_text("Screens");
    tui.send(&"j".repeat(12));
    tui.send("\r");
    tui.wait_text("Open actions: 1 (1 overdue)");
    tui.send("v");
    let text = tui.wait_text("Overdue actions: 1 (1 overdue)");
    let row = text
        .lines()
        .find(|l| l.contains("Chase P1 package"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains("16/08!"), "{row}");
    assert!(row.contains("Hub team"), "{row}");
    assert!(row.contains(&chased), "{row}");
    // Closed as done, it leaves the overdue list.
    tui.send("x");
    tui.wait_text("Done, cancel or change an action");
    tui.send("\r");
    tui.wait_text("Saved. Action done.");
    let text = tui.wait_text("Overdue actions: 0 (0 overdue)");
    assert!(!text.contains("Chase P1 package"), "{text}");

    // The week signed off: the NHS side by ann.nhs with the call's comment.
    tui.send("8");
    tui.wait_text("Week 2018-W32");
    tui.send("s");
    tui.wait_text("Sign the week off");
    tui.send("\tAnn Nurse\tAgreed at sitrep call\r");
    tui.wait_text("Saved. Week 2018-W32 signed for the NHS side by Ann Nurse");
    tui.wait_text("\"Agreed at sitrep");
    // The same user may not sign the council's side (the hub's rule).
    tui.send("s");
    tui.wait_text("Sign the week off");
    tui.send("\tAnn Nurse\r");
    tui.wait_text("must be signed by another user");
    tui.send("\x1b");
    tui.wait_text("Discard the changes in this form?");
    tui.send("y");
    tui.wait_for("the form to close", |t| !t.contains("Sign the week off"));
    tui.quit();

    // Another user signs the council's side.
    let mut tui = Tui::spawn_as(&db, SIZE, LATER, Some("bob.council"));
    tui.wait_text("August 2018 so far");
    tui.send("8");
    tui.wait_text("Week 2018-W32");
    tui.send("s");
    tui.wait_text("Sign the week off");
    tui.send("\tBob Council\t\r");
    tui.wait_text("Saved. Week 2018-W32 signed for the council side by Bob Council");
    tui.quit();

    // Stored: both sides signed by two users; the action done; the three beds placed.
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let signed: Vec<(String, String)> = conn
        .prepare(
            "SELECT side, signed_by FROM signoff WHERE week = '2018-W32' AND cleared_at IS NULL
             ORDER BY side",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        signed,
        vec![
            ("council".to_string(), "Bob Council".to_string()),
            ("nhs".to_string(), "Ann Nurse".to_string()),
        ]
    );
    let (state, owner, due, closed): (String, String, String, String) = conn
        .query_row(
            "SELECT state, owner, due_on, closed_on FROM delay_action",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (
            state.as_str(),
            owner.as_str(),
            due.as_str(),
            closed.as_str()
        ),
        ("done", "Hub team", "2018-08-16", LATER)
    );
}
