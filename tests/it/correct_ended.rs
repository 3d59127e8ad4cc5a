//! Issue 25, item 7: correcting what ended. An ended delay reopened (with a reason), its end date,
//! end kind, pathway, destination and its stay's discharge corrected: through the store, the
//! command line (`dtoc import corrections`) and the app's detail view; each audited with its
//! value before and after, refused by the register's rules and the freeze guard as any write, and
//! the month counts equal to a recount after every kind.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::db::{counts, days_in, dump};
use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::{Attribution, Destination, EndChange, EndKind, Pathway, ReasonCode, Side, Week};
use dtoc::store::{AuditEvent, EndCorrection, EndDelay, SignWeek, Store};

const LEICS: &str = "E10000018";

/// The populated register's ended delay: H004, ready 2018-05-10, discharged 2018-06-05 on
/// pathway 1 to p1_home (22 delayed days in May, 4 in June).
fn h004(store: &Store) -> dtoc::store::DelayRow {
    common::db::all_delays(store)
        .into_iter()
        .find(|d| d.local_id == "H004")
        .unwrap()
}

/// H004 came back: a later stay (admitted 2018-07-01) with an open delay.
fn came_back(store: &mut Store) {
    add(
        store,
        "H004",
        Some("6716689966"),
        "2018-07-01",
        "RX1",
        LEICS,
        "2018-07-05",
        ReasonCode::A,
        Attribution::Nhs,
        None,
    );
}

fn populated(dir: &tempfile::TempDir) -> Store {
    let mut store = open_store(dir);
    populate(&mut store);
    store
}

/// The stay's discharge, pathway, destination and usual residence as the detail reads them.
fn leaving(
    store: &Store,
    id: i64,
) -> (
    Option<chrono::NaiveDate>,
    Option<Pathway>,
    Option<String>,
    Option<bool>,
) {
    let d = store.delay_detail(id).unwrap();
    (d.discharged_on, d.pathway, d.destination, d.usual_residence)
}

/// The audit entries of the delay and its stay after `since` (an entry id): event, old, new.
fn entries_since(
    store: &Store,
    id: i64,
    since: i64,
) -> Vec<(AuditEvent, Option<String>, Option<String>)> {
    store
        .delay_detail(id)
        .unwrap()
        .history
        .into_iter()
        .filter(|e| e.id > since)
        .map(|e| (e.event, e.old_value, e.new_value))
        .collect()
}

fn last_id(store: &Store) -> i64 {
    store.last_audit_id().unwrap()
}

fn correction(dl: &dtoc::store::DelayRow, change: EndChange) -> EndCorrection {
    EndCorrection {
        delay_id: dl.delay_id,
        version: dl.version,
        change,
    }
}

/// Corrects the end of `row` (at its version) with `change`.
fn correct(
    store: &mut Store,
    row: &dtoc::store::DelayRow,
    change: EndChange,
) -> dtoc::Result<usize> {
    store.correct_end(&correction(row, change), today())
}

fn may_june(store: &Store) -> (u64, u64) {
    let rows = counts(store, LEICS, "2018-05", "2018-08", TODAY);
    (days_in(&rows, "2018-05"), days_in(&rows, "2018-06"))
}

use common::db::TODAY;

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn the_end_date_moves_the_discharge_with_it_and_the_counts_follow() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = populated(&dir);
    let dl = h004(&store);
    assert_eq!(may_june(&store), (22, 4));
    let since = last_id(&store);
    let n = correct(
        &mut store,
        &dl,
        EndChange {
            on: Some(d("2018-06-08")),
            ..EndChange::default()
        },
    )
    .unwrap();
    assert_eq!(n, 2, "the end date and the stay's discharge");
    let after = h004(&store);
    assert_eq!(after.ended_on, Some(d("2018-06-08")));
    assert_eq!(after.end_kind, Some(EndKind::Discharged));
    assert_eq!(leaving(&store, dl.delay_id).0, Some(d("2018-06-08")));
    // 10..31 May and 1..7 June.
    assert_eq!(may_june(&store), (22, 7));
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    use dtoc::store::{CorrectedField as C, DelayEvent as D, EndDetail, StayEvent as S};
    assert_eq!(
        entries_since(&store, dl.delay_id, since),
        vec![
            (
                AuditEvent::Delay(D::CorrectEnd(EndDetail::Date)),
                s("2018-06-05"),
                s("2018-06-08")
            ),
            (
                AuditEvent::Stay(S::Correct(C::Discharged)),
                s("2018-06-05"),
                s("2018-06-08")
            ),
        ]
    );
    // The stay's discharge given instead: the end follows it.
    let d2 = h004(&store);
    correct(
        &mut store,
        &d2,
        EndChange {
            discharged_on: Some(Some(d("2018-06-02"))),
            ..EndChange::default()
        },
    )
    .unwrap();
    assert_eq!(h004(&store).ended_on, Some(d("2018-06-02")));
    assert_eq!(may_june(&store), (22, 1));
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    // Nothing to change: nothing written.
    let before = dump(store.path());
    let d3 = h004(&store);
    let n = correct(
        &mut store,
        &d3,
        EndChange {
            on: Some(d("2018-06-02")),
            ..EndChange::default()
        },
    )
    .unwrap();
    assert_eq!(n, 0);
    assert_eq!(dump(store.path()), before);
}

#[test]
fn a_discharge_recorded_as_a_death_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = populated(&dir);
    let dl = h004(&store);
    let since = last_id(&store);
    correct(
        &mut store,
        &dl,
        EndChange {
            kind: Some(EndKind::Died),
            ..EndChange::default()
        },
    )
    .unwrap();
    assert_eq!(h004(&store).end_kind, Some(EndKind::Died));
    // The stay's discharge was this delay's end, which is no discharge now.
    assert_eq!(leaving(&store, dl.delay_id), (None, None, None, None));
    assert_eq!(may_june(&store), (22, 4));
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let changed: Vec<String> = entries_since(&store, dl.delay_id, since)
        .into_iter()
        .map(|(e, old, new)| {
            format!(
                "{} {} {}: {} -> {}",
                e.parts().entity,
                e.parts().action,
                e.parts().field.unwrap_or_default(),
                old.unwrap_or_default(),
                new.unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            "delay correct end kind: discharged -> died",
            "stay correct discharged: 2018-06-05 -> none",
            "stay correct pathway: 1 -> none",
            "stay correct destination: p1_home -> none",
        ]
    );
    // A death has no destination.
    let d2 = h004(&store);
    let e = correct(
        &mut store,
        &d2,
        EndChange {
            destination: Some(Some(Destination::P3CareHome)),
            ..EndChange::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "destination: a death is not a discharge: it has no pathway or destination"
    );
    // Back to a discharge to a new care home: the stay is discharged on the end date again, the
    // destination gives the pathway and (not the usual residence) the usual residence.
    correct(
        &mut store,
        &d2,
        EndChange {
            kind: Some(EndKind::Discharged),
            destination: Some(Some(Destination::P3CareHome)),
            ..EndChange::default()
        },
    )
    .unwrap();
    assert_eq!(
        leaving(&store, dl.delay_id),
        (
            Some(d("2018-06-05")),
            Some(Pathway::P3),
            s("p3_care_home"),
            Some(false)
        )
    );
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

#[test]
fn a_destination_on_another_pathway_and_dates_out_of_bounds_are_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = populated(&dir);
    let dl = h004(&store);
    let before = dump(store.path());
    for (c, expected) in [
        (
            correction(&dl, EndChange {
                pathway: Some(Some(Pathway::P1)),
                destination: Some(Some(Destination::P3CareHome)),
                ..EndChange::default()
            }),
            "destination: p3_care_home is on pathway 3, not pathway 1",
        ),
        (
            correction(&dl, EndChange {
                pathway: Some(Some(Pathway::P2)),
                ..EndChange::default()
            }),
            "destination: p1_home is on pathway 1, not pathway 2",
        ),
        (
            correction(&dl, EndChange {
                on: Some(d("2018-05-09")),
                ..EndChange::default()
            }),
            "end date: 2018-05-09 is before the ready date 2018-05-10",
        ),
        (
            correction(&dl, EndChange {
                on: Some(d("2018-08-16")),
                ..EndChange::default()
            }),
            "end date: 2018-08-16 is in the future (today is 2018-08-15)",
        ),
        (
            correction(&dl, EndChange {
                on: Some(d("2018-06-08")),
                discharged_on: Some(Some(d("2018-06-09"))),
                ..EndChange::default()
            }),
            "discharged: 2018-06-09: a delay that ended in a discharge ends on the stay's discharge date (2018-06-08)",
        ),
        (
            correction(&dl, EndChange {
                kind: Some(EndKind::UnfitAgain),
                discharged_on: Some(Some(d("2018-05-20"))),
                ..EndChange::default()
            }),
            "discharged: 2018-05-20 is before a delay of the stay ready or ended on 2018-06-05 (a delay ends on or before its stay's discharge)",
        ),
    ] {
        assert_eq!(store.correct_end(&c, today()).unwrap_err().to_string(), expected);
        assert_eq!(dump(store.path()), before, "{expected}");
    }
    // An open delay has no end to correct nor to reopen.
    let open = common::db::all_delays(&store)
        .into_iter()
        .find(|x| x.local_id == "H001")
        .unwrap();
    assert_eq!(
        store
            .correct_end(&correction(&open, EndChange::default()), today())
            .unwrap_err()
            .to_string(),
        "this delay is open: end it rather than correct its end"
    );
    assert_eq!(
        store
            .reopen_delay(open.delay_id, open.version, "why", today())
            .unwrap_err()
            .to_string(),
        "this delay is open: there is no end to reopen"
    );
    // A stale version is a conflict, as for every form.
    let e = store
        .correct_end(
            &EndCorrection {
                version: dl.version - 1,
                ..correction(
                    &dl,
                    EndChange {
                        on: Some(d("2018-06-08")),
                        ..EndChange::default()
                    },
                )
            },
            today(),
        )
        .unwrap_err();
    assert!(matches!(e, dtoc::Error::Conflict(_)), "{e}");
    assert_eq!(dump(store.path()), before);
}

#[test]
fn reopen_then_end_again_keeps_the_counts_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = populated(&dir);
    let dl = h004(&store);
    let since = last_id(&store);
    // A reason is needed.
    let e = store
        .reopen_delay(dl.delay_id, dl.version, "  ", today())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "reason: is empty: say why the delay is reopened (it is kept in the audit log)"
    );
    store
        .reopen_delay(
            dl.delay_id,
            dl.version,
            "ended on the wrong patient",
            today(),
        )
        .unwrap();
    let open = h004(&store);
    assert_eq!((open.ended_on, open.end_kind), (None, None));
    assert_eq!(leaving(&store, dl.delay_id), (None, None, None, None));
    assert_eq!(store.periods_of(dl.delay_id).unwrap()[0].end, None);
    // Open: counted up to the day before today (22 in May, 30 in June, 31 in July, 14 in August).
    let rows = counts(&store, LEICS, "2018-05", "2018-08", TODAY);
    assert_eq!(days_in(&rows, "2018-06"), 30);
    assert_eq!(days_in(&rows, "2018-07"), 31 + 31); // H001 from 1 July, and H004
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let history = entries_since(&store, dl.delay_id, since);
    assert_eq!(
        history.last().unwrap(),
        &(
            AuditEvent::Delay(dtoc::store::DelayEvent::Reopen),
            s("discharged on 2018-06-05, pathway 1, to p1_home"),
            s("ended on the wrong patient")
        )
    );
    assert!(history.iter().any(|(e, old, new)| *e
        == AuditEvent::Stay(dtoc::store::StayEvent::Correct(
            dtoc::store::CorrectedField::Discharged
        ))
        && old.as_deref() == Some("2018-06-05")
        && new.as_deref() == Some("none")));
    // Reopened twice: refused.
    assert!(store
        .reopen_delay(dl.delay_id, open.version, "again", today())
        .is_err());
    // Ended again, on the right day.
    store
        .end_delay(
            &EndDelay {
                delay_id: dl.delay_id,
                version: open.version,
                on: d("2018-06-12"),
                kind: EndKind::Discharged,
                pathway: Some(Pathway::P1),
                destination: Some("p1_home".into()),
                usual_residence: None,
            },
            today(),
        )
        .unwrap();
    assert_eq!(may_june(&store), (22, 11));
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

#[test]
fn a_reopen_that_would_give_two_open_delays_is_refused_by_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = populated(&dir);
    let dl = h004(&store);
    came_back(&mut store);
    let before = dump(store.path());
    let e = store
        .reopen_delay(dl.delay_id, dl.version, "wrong day", today())
        .unwrap_err();
    assert!(matches!(e, dtoc::Error::Clash(_)), "{e}");
    assert!(
        e.to_string()
            .starts_with("H004 admitted 2018-07-01: one bed at a time: a patient is in one stay"),
        "{e}"
    );
    assert!(!e.to_string().contains("6716689966"), "{e}");
    assert_eq!(dump(store.path()), before);
    // Moving the discharge into the later stay is refused the same way.
    let e = correct(
        &mut store,
        &dl,
        EndChange {
            on: Some(d("2018-07-10")),
            ..EndChange::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("one bed at a time"), "{e}");
    assert_eq!(dump(store.path()), before);
}

#[test]
fn a_reopen_over_a_later_delay_of_the_same_stay_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = populated(&dir);
    let first = add(
        &mut store,
        "H010",
        None,
        "2018-07-01",
        "RX1",
        LEICS,
        "2018-07-02",
        ReasonCode::B,
        Attribution::Nhs,
        None,
    );
    store
        .end_delay(
            &EndDelay {
                delay_id: first,
                version: 1,
                on: d("2018-07-05"),
                kind: EndKind::UnfitAgain,
                pathway: None,
                destination: None,
                usual_residence: None,
            },
            today(),
        )
        .unwrap();
    add(
        &mut store,
        "H010",
        None,
        "2018-07-01",
        "RX1",
        LEICS,
        "2018-07-10",
        ReasonCode::B,
        Attribution::Nhs,
        None,
    );
    let row = store.delay_row(first).unwrap().unwrap();
    let before = dump(store.path());
    let e = store
        .reopen_delay(first, row.version, "not unfit after all", today())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the stay has a later delay from 2018-07-10: delays of one stay cannot overlap (correct this one's end instead)"
    );
    // Nor may its end move over the next one.
    let e = correct(
        &mut store,
        &row,
        EndChange {
            on: Some(d("2018-07-12")),
            ..EndChange::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "end date: 2018-07-12 is after the stay's next delay starts (2018-07-10): delays of one stay cannot overlap"
    );
    assert_eq!(dump(store.path()), before);
    // Up to the next one's ready date is a transfer-free hand-over within the stay: allowed.
    correct(
        &mut store,
        &row,
        EndChange {
            on: Some(d("2018-07-10")),
            ..EndChange::default()
        },
    )
    .unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

#[test]
fn the_freeze_guard_refuses_a_correction_of_a_signed_off_week() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = populated(&dir);
    let dl = h004(&store);
    // 2018-W23 runs 4..10 June: H004's last days (4 June) are in it.
    for (side, by) in [(Side::Nhs, "Ann Nurse"), (Side::Council, "Bob Officer")] {
        // Two sides, two users (issue 26).
        store.set_user(side.key()).unwrap();
        store
            .sign_week(
                &SignWeek {
                    week: Week::parse("2018-W23").unwrap(),
                    side,
                    by: by.into(),
                    comment: None,
                },
                today(),
            )
            .unwrap();
    }
    let before = dump(store.path());
    for e in [
        correct(
            &mut store,
            &dl,
            EndChange {
                on: Some(d("2018-06-07")),
                ..EndChange::default()
            },
        )
        .unwrap_err(),
        store
            .reopen_delay(dl.delay_id, dl.version, "wrong patient", today())
            .unwrap_err(),
    ] {
        assert!(matches!(e, dtoc::Error::Frozen(_)), "{e}");
        assert!(
            e.to_string().starts_with("week 2018-W23 is signed off"),
            "{e}"
        );
    }
    assert_eq!(dump(store.path()), before);
    // By file: the line and the column it corrects are named.
    let file = dtoc::import::read_corrections_bytes(
        "c.csv",
        b"local_id,delay_start,action,delay_end\nH004,2018-05-10,correct,2018-06-07\n",
        today(),
    )
    .unwrap();
    let e = store.import_corrections(&file, today()).unwrap_err();
    assert!(
        e.to_string().starts_with(
            "c.csv line 2, delay_end 2018-06-07: week 2018-W23 is signed off and frozen"
        ),
        "{e}"
    );
    assert_eq!(dump(store.path()), before);
    // What leaves the week's days as they were is allowed: the destination.
    correct(
        &mut store,
        &dl,
        EndChange {
            destination: Some(Some(Destination::P1Other)),
            ..EndChange::default()
        },
    )
    .unwrap();
    assert_eq!(leaving(&store, dl.delay_id).2, s("p1_other"));
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

/// A register through the command line: the populated store's file.
fn cli_register(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let store = populated(dir);
    store.path().to_path_buf()
}

fn import_corrections(
    db: &std::path::Path,
    dir: &tempfile::TempDir,
    csv: &str,
) -> std::process::Output {
    let file = dir.path().join("corrections.csv");
    std::fs::write(&file, csv).unwrap();
    common::cli::dtoc_on(db, TODAY)
        .args(["import", "corrections", file.to_str().unwrap()])
        .output()
        .unwrap()
}

/// Imports a corrections file of one row (the columns below) and returns what it said.
fn applied(db: &std::path::Path, dir: &tempfile::TempDir, row: &str) -> String {
    let header =
        "local_id,delay_start,action,delay_end,end_kind,destination,discharged_on,reopen_reason";
    let out = import_corrections(db, dir, &format!("{header}\n{row}\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn each_kind_of_correction_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = cli_register(&dir);
    // The end date.
    assert_eq!(
        applied(&db, &dir, "H004,2018-05-10,correct,2018-06-08,,,,"),
        "1 rows: 0 delays reopened, 1 corrected (2 fields), 0 unchanged\n"
    );
    let store = Store::open(&db).unwrap();
    assert_eq!(h004(&store).ended_on, Some(d("2018-06-08")));
    assert_eq!(may_june(&store), (22, 7));
    drop(store);
    // The same file again changes nothing.
    assert_eq!(
        applied(&db, &dir, "H004,2018-05-10,correct,2018-06-08,,,,"),
        "1 rows: 0 delays reopened, 0 corrected (0 fields), 1 unchanged\n"
    );
    // The kind, then the discharge date with a destination.
    applied(&db, &dir, "H004,2018-05-10,correct,,died,,,");
    let store = Store::open(&db).unwrap();
    assert_eq!(h004(&store).end_kind, Some(EndKind::Died));
    assert_eq!(leaving(&store, h004(&store).delay_id).0, None);
    drop(store);
    applied(
        &db,
        &dir,
        "H004,2018-05-10,correct,,discharged,p2_hospice,2018-06-09,",
    );
    let store = Store::open(&db).unwrap();
    let row = h004(&store);
    assert_eq!(row.ended_on, Some(d("2018-06-09")));
    assert_eq!(
        leaving(&store, row.delay_id),
        (
            Some(d("2018-06-09")),
            Some(Pathway::P2),
            s("p2_hospice"),
            Some(false)
        )
    );
    drop(store);
    // Reopen, with a reason; then `check` (counts against a recount) is clean.
    assert_eq!(
        applied(
            &db,
            &dir,
            "H004,2018-05-10,reopen,,,,,not discharged: still on the ward"
        ),
        "1 rows: 1 delays reopened, 0 corrected (0 fields), 0 unchanged\n"
    );
    let store = Store::open(&db).unwrap();
    assert_eq!(h004(&store).ended_on, None);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let audit = store.audit_for("import", "corrections.csv").unwrap();
    assert_eq!(audit.len(), 4, "one entry per file that changed something");
    drop(store);
    let check = common::cli::dtoc_on(&db, TODAY)
        .arg("check")
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn a_refused_corrections_file_changes_nothing_and_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let db = cli_register(&dir);
    let before = dump(&db);
    let header = "local_id,delay_start,action,delay_end,end_kind,destination,reopen_reason";
    for (rows, expected) in [
        (
            // The second row breaks a rule: the first is not applied either.
            "H004,2018-05-10,correct,2018-06-08,,,\nH001,2018-07-01,correct,2018-08-01,,,",
            "corrections.csv line 3, action correct: this delay is open: end it rather than correct its end",
        ),
        (
            "H009,2018-05-10,correct,2018-06-08,,,",
            "corrections.csv line 2, local_id H009: no delay of H009 ready on 2018-05-10 is recorded",
        ),
        (
            "H004,2018-05-10,correct,,died,p1_home,",
            "corrections.csv line 2, destination p1_home: a death is not a discharge: it has no pathway or destination",
        ),
        (
            "H004,2018-05-10,reopen,,,,ended by 943 476 5919",
            "corrections.csv line 2, reopen_reason: looks like an NHS number (*** *** 5919): NHS numbers go only in the NHS number field",
        ),
    ] {
        let out = import_corrections(&db, &dir, &format!("{header}\n{rows}\n"));
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(expected), "{err}\nexpected {expected}");
        assert!(!err.contains("943 476") && !err.contains("6716689966"), "{err}");
        assert_eq!(dump(&db), before, "{rows}");
    }
}

#[test]
fn a_reopen_refused_by_the_register_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = populated(&dir);
    came_back(&mut store);
    let db = store.path().to_path_buf();
    drop(store);
    let before = dump(&db);
    let out = import_corrections(
        &db,
        &dir,
        "local_id,delay_start,action,reopen_reason\nH004,2018-05-10,reopen,wrong day\n",
    );
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "corrections.csv line 2, action reopen: H004 admitted 2018-07-01: one bed at a time"
        ),
        "{err}"
    );
    assert!(!err.contains("6716689966"), "{err}");
    assert_eq!(dump(&db), before);
}

/// The register's ended delay H004 in the detail view.
fn detail_of_h004(app: &mut dtoc::ui::App) -> i64 {
    chr(app, '2');
    chr(app, 't');
    let id = app
        .data
        .delays
        .iter()
        .find(|d| d.local_id == "H004")
        .unwrap()
        .delay_id;
    app.screens.register.selected = dtoc::ui::screens::register::visible(app)
        .iter()
        .position(|x| x.delay_id == id)
        .unwrap();
    press(app, KeyCode::Enter);
    assert!(app.screens.register.detail.is_some());
    id
}

fn form_values(app: &dtoc::ui::App) -> Vec<String> {
    let f = &app.form.as_ref().unwrap().form;
    (0..f.fields.len())
        .map(|i| f.value(i).to_string())
        .collect()
}

#[test]
fn the_detail_view_corrects_the_end_and_reopens_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    let id = detail_of_h004(&mut app);
    // x on an ended delay: the correction form, filled in with what is stored.
    chr(&mut app, 'x');
    assert_eq!(
        form_values(&app),
        [
            "discharged",
            "2018-06-05",
            "1",
            "p1_home",
            "unknown",
            "2018-06-05"
        ]
    );
    assert_snapshot!("correct_end_form_80x24", draw(&app, 80, 24));
    // A date after today is refused and what was typed stays.
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "2018-08-20");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_some());
    assert_eq!(form_values(&app)[1], "2018-08-20");
    let error = app.form.as_ref().unwrap().form.error.clone().unwrap();
    assert!(error.contains("is in the future"), "{error}");
    // The right day.
    set_field(&mut app, "8/6/18");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert_eq!(
        app.store.delay_row(id).unwrap().unwrap().ended_on,
        Some(d("2018-06-08"))
    );
    let detail = app.screens.register.detail.as_ref().unwrap();
    assert_eq!(detail.discharged_on, Some(d("2018-06-08")));
    assert_snapshot!("corrected_detail_80x24", draw(&app, 80, 24));
    // A new destination sets its pathway and the usual residence it implies.
    chr(&mut app, 'x');
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    set_field(&mut app, "p3_care_home");
    assert_eq!(form_values(&app)[2..5], ["3", "p3_care_home", "no"]);
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    let detail = app.screens.register.detail.as_ref().unwrap();
    assert_eq!(
        (
            detail.pathway,
            detail.destination.as_deref(),
            detail.usual_residence
        ),
        (Some(Pathway::P3), Some("p3_care_home"), Some(false))
    );
    // o: reopen, which needs a reason.
    chr(&mut app, 'o');
    assert_eq!(app.form.as_ref().unwrap().form.title, " Reopen the delay ");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_some(), "a reason is needed");
    typ(&mut app, "wrong patient ended");
    assert_snapshot!("reopen_form_80x24", draw(&app, 80, 24));
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert_eq!(app.store.delay_row(id).unwrap().unwrap().ended_on, None);
    assert_eq!(
        app.screens.register.detail.as_ref().unwrap().row.ended_on,
        None
    );
    assert_eq!(app.store.check().unwrap(), Vec::<String>::new());
    // Open now: o says so, x ends it as before.
    chr(&mut app, 'o');
    assert!(app.form.is_none());
    chr(&mut app, 'x');
    assert_eq!(app.form.as_ref().unwrap().form.title, " End delay ");
}

#[test]
fn the_detail_keys_are_in_the_help() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    detail_of_h004(&mut app);
    chr(&mut app, '?');
    let help = draw(&app, 160, 48);
    assert!(help.contains("reopen an ended delay"), "{help}");
    assert!(help.contains("x corrects its end"), "{help}");
}

#[test]
fn e_edits_an_ended_delay_as_an_open_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    let id = detail_of_h004(&mut app);
    chr(&mut app, 'e');
    assert_eq!(app.form.as_ref().unwrap().form.title, " Edit delay ");
    assert_eq!(form_values(&app)[0], "2018-05-10");
    // A ready date after the end is refused, the entry kept.
    set_field(&mut app, "2018-06-06");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_some());
    assert_eq!(form_values(&app)[0], "2018-06-06");
    set_field(&mut app, "2018-05-12");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert_eq!(
        app.store.delay_row(id).unwrap().unwrap().ready_on,
        d("2018-05-12")
    );
    assert_eq!(may_june(&app.store), (20, 4));
    assert_eq!(app.store.check().unwrap(), Vec::<String>::new());
}
