//! Weekly sign-off and the freeze: one side does not freeze a week, both do; every kind of change
//! to a frozen week is refused with a message naming the week and both signatories, and leaves the
//! database unchanged (a full dump before and after); reopening, changing and re-signing keeps both
//! versions; `check` finds a frozen week whose days no longer match the signed ones.

use crate::common;
use crate::common::db::delays_csv;

use common::db::{dump, new_store};
use common::{d, reference, today};
use dtoc::domain::{Attribution, EndKind, LaCode, ReasonCode, Side, Week};
use dtoc::store::{EditDelay, EndDelay, NewDelay, ReasonChange, SignWeek, Store};
use dtoc::Error;

const LEICS: &str = "E10000018";
const RUTLAND: &str = "E06000017";

fn new_delay(local: &str, admitted: &str, site: &str, la: &str, ready: &str) -> NewDelay {
    NewDelay {
        local_id: local.to_string(),
        nhs_number: None,
        admitted_on: d(admitted),
        site_code: site.to_string(),
        la_code: LaCode::parse(la).unwrap(),
        ready_on: d(ready),
        reason: ReasonCode::E,
        attribution: Attribution::SocialCare,
        planned_pathway: None,
        acute_reason: None,
    }
}

fn version(store: &Store, id: i64) -> i64 {
    store.delay_detail(id).unwrap().row.version
}

/// Week 2018-W27 is Monday 2 July to Sunday 8 July 2018.
/// - A (P1, Leicestershire, RX1): ready 28 June, still open: all 7 days of the week.
/// - B (P2, Rutland, RX2): ready 4 July, ended (unfit) 6 July: 4 and 5 July = 2 days.
///
/// The week holds 7 + 2 = 9 delayed days.
fn setup(store: &mut Store) -> (i64, i64) {
    reference(store);
    let a = store
        .add_delay(
            &new_delay("P1", "2018-06-25", "RX1", LEICS, "2018-06-28"),
            today(),
        )
        .unwrap();
    let mut nb = new_delay("P2", "2018-07-01", "RX2", RUTLAND, "2018-07-04");
    nb.reason = ReasonCode::C;
    nb.attribution = Attribution::Nhs;
    let b = store.add_delay(&nb, today()).unwrap();
    store
        .end_delay(
            &EndDelay {
                delay_id: b,
                version: 1,
                on: d("2018-07-06"),
                kind: EndKind::UnfitAgain,
                pathway: None,
                destination: None,
                usual_residence: None,
            },
            today(),
        )
        .unwrap();
    (a, b)
}

fn w27() -> Week {
    Week::parse("2018-W27").unwrap()
}

/// Signs W27 for `side` as the OS user named after the side (two sides, two users: issue 26);
/// later writes are the tester's again.
fn sign(store: &mut Store, side: Side, by: &str) -> dtoc::Result<dtoc::store::Signoff> {
    store.set_user(side.key()).unwrap();
    let signed = store.sign_week(
        &SignWeek {
            week: w27(),
            side,
            by: by.to_string(),
            comment: None,
        },
        today(),
    );
    store.set_user("tester").unwrap();
    signed
}

fn sign_both(store: &mut Store) {
    sign(store, Side::Nhs, "Ann Nurse").unwrap();
    sign(store, Side::Council, "Bob Officer").unwrap();
}

fn change_reason_from(store: &Store, id: i64, from: &str) -> ReasonChange {
    ReasonChange {
        delay_id: id,
        version: version(store, id),
        from: d(from),
        reason: ReasonCode::Di,
        attribution: Attribution::Both,
        acute_reason: None,
    }
}

#[test]
fn a_week_is_signed_with_its_days_and_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    setup(&mut store);
    let s = sign(&mut store, Side::Nhs, "Ann Nurse").unwrap();
    // 7 days of A + 2 of B (see setup).
    assert_eq!(s.days, 9);
    assert_eq!(s.signed_at, "2018-08-15T09:00:00Z");
    let figures: serde_json::Value = serde_json::from_str(&s.figures).unwrap();
    assert_eq!(figures["total_days"], 9);
    assert_eq!(figures["delayed_at_end"], 1);
    // The same side cannot sign twice.
    let e = sign(&mut store, Side::Nhs, "Someone Else").unwrap_err();
    assert_eq!(
        e.to_string(),
        "week 2018-W27 is already signed for the NHS side by Ann Nurse at 2018-08-15T09:00:00Z; reopen it to sign again"
    );
    // A week not yet over cannot be signed: 2018-W33 runs 13..19 August, today is 15 August.
    let e = store
        .sign_week(
            &SignWeek {
                week: Week::parse("2018-W33").unwrap(),
                side: Side::Nhs,
                by: "Ann Nurse".into(),
                comment: None,
            },
            today(),
        )
        .unwrap_err();
    assert!(e.to_string().contains("is not over yet"), "{e}");
    assert_eq!(store.audit_for("week", "2018-W27").unwrap().len(), 1);
}

#[test]
fn one_side_does_not_freeze_both_sides_do() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let (a, _) = setup(&mut store);
    sign(&mut store, Side::Nhs, "Ann Nurse").unwrap();
    assert!(!store.week_status(w27()).unwrap().frozen());
    // Not frozen: a change to the week's days is allowed...
    let c = change_reason_from(&store, a, "2018-07-05");
    store.change_reason(&c, today()).unwrap();
    // ...but then the council cannot sign other figures than the NHS signed.
    let e = sign(&mut store, Side::Council, "Bob Officer").unwrap_err();
    assert!(
        e.to_string().starts_with(
            "the delayed days of week 2018-W27 have changed since the NHS side signed them"
        ),
        "{e}"
    );
    store
        .reopen_week(w27(), "reason changed on 5 July")
        .unwrap();
    sign_both(&mut store);
    let status = store.week_status(w27()).unwrap();
    assert!(status.frozen());
    // Frozen: the same kind of change is refused.
    let mut c = change_reason_from(&store, a, "2018-07-07");
    c.reason = ReasonCode::G;
    let e = store.change_reason(&c, today()).unwrap_err();
    assert!(matches!(e, Error::Frozen(_)), "{e:?}");
    // The store says what to do; the command line adds the command that does it.
    assert_eq!(
        e.to_string(),
        "week 2018-W27 is signed off and frozen (NHS: Ann Nurse at 2018-08-15T09:00:00Z; council: Bob Officer at 2018-08-15T09:00:00Z): \
         this change would alter its delayed days. Reopen the week first"
    );
    assert_eq!(
        dtoc::commands::messages::for_terminal(&e.into()),
        "week 2018-W27 is signed off and frozen (NHS: Ann Nurse at 2018-08-15T09:00:00Z; council: Bob Officer at 2018-08-15T09:00:00Z): \
         this change would alter its delayed days. Reopen the week first (dtoc reopen --week 2018-W27 --reason TEXT)"
    );
}

#[test]
fn every_kind_of_change_to_a_frozen_week_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let (a, b) = setup(&mut store);
    sign_both(&mut store);
    let before = dump(store.path());
    let refused = |r: dtoc::Result<()>, what: &str| {
        let e = r.expect_err(what);
        assert!(matches!(e, Error::Frozen(_)), "{what}: {e:?}");
        let m = e.to_string();
        for s in ["2018-W27", "Ann Nurse", "Bob Officer"] {
            assert!(m.contains(s), "{what}: {m}");
        }
    };
    // Add: a new delay from 3 July.
    refused(
        store
            .add_delay(
                &new_delay("P3", "2018-07-01", "RX1", LEICS, "2018-07-03"),
                today(),
            )
            .map(|_| ()),
        "add",
    );
    // Edit: the ready date of B moved into the week earlier (3 July).
    let edit = |store: &Store, f: &dyn Fn(&mut EditDelay)| {
        let mut e = EditDelay {
            delay_id: b,
            version: version(store, b),
            ..Default::default()
        };
        f(&mut e);
        e
    };
    let e = edit(&store, &|e| e.ready_on = Some(d("2018-07-03")));
    refused(store.edit_delay(&e, today()), "edit ready date");
    // Edit: the authority and the site (type of care) of A's stay.
    let mut e = edit(&store, &|_| {});
    e.delay_id = a;
    e.version = version(&store, a);
    e.la_code = Some(LaCode::parse(RUTLAND).unwrap());
    refused(store.edit_delay(&e, today()), "edit authority");
    e.la_code = None;
    e.site_code = Some("RX2".to_string());
    refused(store.edit_delay(&e, today()), "edit site");
    // Change reason from 6 July.
    let c = change_reason_from(&store, a, "2018-07-06");
    refused(store.change_reason(&c, today()), "change reason");
    // End A on 7 July (it would lose 7 July).
    let end = EndDelay {
        delay_id: a,
        version: version(&store, a),
        on: d("2018-07-07"),
        kind: EndKind::Discharged,
        pathway: None,
        destination: None,
        usual_residence: None,
    };
    refused(store.end_delay(&end, today()), "end");
    // Delete B.
    refused(store.delete_delay(b, version(&store, b)), "delete");
    // Import: a file adding a delay from 2 July.
    let csv = delays_csv(&["P9,,RWE,RX1,acute,E10000018,2018-07-01,2018-07-02,,E,Social Care,,"]);
    let checked = dtoc::import::read_delays_bytes("late.csv", csv.as_bytes(), today()).unwrap();
    refused(store.import_delays(&checked).map(|_| ()), "import");
    // Nothing changed, not even the audit log.
    assert_eq!(dump(store.path()), before);

    // Changes outside the week's days are still allowed: ending A on 1 August (after the week),
    // a new delay from 10 July, a change of reason from 20 July.
    let end = EndDelay {
        on: d("2018-08-01"),
        ..end
    };
    store.end_delay(&end, today()).unwrap();
    store
        .add_delay(
            &new_delay("P3", "2018-07-01", "RX1", LEICS, "2018-07-10"),
            today(),
        )
        .unwrap();
    let c = change_reason_from(&store, a, "2018-07-20");
    store.change_reason(&c, today()).unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

#[test]
fn reopen_change_and_resign_keeps_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let (a, _) = setup(&mut store);
    sign_both(&mut store);
    assert!(store
        .reopen_week(w27(), "  ")
        .unwrap_err()
        .to_string()
        .contains("needs a reason"));
    assert_eq!(
        store
            .reopen_week(w27(), "A was discharged on 7 July")
            .unwrap(),
        2
    );
    assert!(!store.week_status(w27()).unwrap().frozen());
    // End A on 7 July: the week now holds 5 days of A (2..6 July) + 2 of B = 7.
    let end = EndDelay {
        delay_id: a,
        version: version(&store, a),
        on: d("2018-07-07"),
        kind: EndKind::Discharged,
        pathway: None,
        destination: None,
        usual_residence: None,
    };
    store.end_delay(&end, today()).unwrap();
    store.set_user("lead").unwrap();
    sign(&mut store, Side::Nhs, "Ann Nurse").unwrap();
    sign(&mut store, Side::Council, "Carol Director").unwrap();
    let status = store.week_status(w27()).unwrap();
    assert!(status.frozen());
    let days: Vec<(Side, u64, bool)> = status
        .signoffs
        .iter()
        .map(|s| (s.side, s.days, s.cleared_at.is_some()))
        .collect();
    assert_eq!(
        days,
        vec![
            (Side::Nhs, 9, true),
            (Side::Council, 9, true),
            (Side::Nhs, 7, false),
            (Side::Council, 7, false)
        ]
    );
    let old = &status.signoffs[0];
    assert_eq!(
        old.cleared_reason.as_deref(),
        Some("A was discharged on 7 July")
    );
    assert_eq!(old.cleared_by.as_deref(), Some("tester"));
    let f_old: serde_json::Value = serde_json::from_str(&old.figures).unwrap();
    let f_new: serde_json::Value = serde_json::from_str(&status.signoffs[3].figures).unwrap();
    assert_eq!(
        (f_old["total_days"].clone(), f_new["total_days"].clone()),
        (9.into(), 7.into())
    );
    // The audit log: sign, sign, reopen, sign, sign.
    let actions: Vec<String> = store
        .audit_for("week", "2018-W27")
        .unwrap()
        .into_iter()
        .map(|e| e.action().to_string())
        .collect();
    assert_eq!(actions, ["sign", "sign", "reopen", "sign", "sign"]);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

#[test]
fn check_finds_a_frozen_week_changed_behind_dtocs_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    setup(&mut store);
    sign_both(&mut store);
    // B's period re-attributed by hand, outside dtoc.
    store
        .execute_raw_for_tests("UPDATE delay_period SET attribution = 'Both' WHERE reason = 'C'")
        .unwrap();
    let problems: Vec<String> = store
        .check()
        .unwrap()
        .into_iter()
        .filter(|p| p.starts_with("signoff:"))
        .collect();
    assert_eq!(
        problems,
        vec![
            "signoff: week 2018-W27 is frozen but its delayed days differ from those the NHS side signed (9 now, 9 signed by Ann Nurse)",
            "signoff: week 2018-W27 is frozen but its delayed days differ from those the council side signed (9 now, 9 signed by Bob Officer)"
        ]
    );
}

#[test]
fn the_cli_signs_refuses_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dtoc.db");
    {
        let mut store = Store::open(&db).unwrap();
        setup(&mut store);
    }
    let run_as = |user: &str, args: &[&str]| {
        assert_cmd::Command::cargo_bin("dtoc")
            .unwrap()
            .args([
                "--db",
                db.to_str().unwrap(),
                "--today",
                "2018-08-15",
                "--user",
                user,
            ])
            .args(args)
            .assert()
    };
    let run = |args: &[&str]| run_as("hub", args);
    run(&[
        "signoff",
        "--week",
        "2018-W27",
        "--side",
        "nhs",
        "--by",
        "Ann Nurse",
    ])
    .success()
    .stdout(predicates::str::contains(
        "week 2018-W27 signed for the NHS side by Ann Nurse (9 delayed days)",
    ));
    // The council's side by another user (issue 26: two sides, two users).
    run_as(
        "council",
        &[
            "signoff",
            "--week",
            "2018-W27",
            "--side",
            "council",
            "--by",
            "Bob Officer",
            "--comment",
            "agreed at the call",
        ],
    )
    .success()
    .stdout(predicates::str::contains("(frozen)"));
    run(&["report", "weekly", "--week", "2018-W27"])
        .success()
        .stdout(predicates::str::contains("Delayed days 9"));
    run(&["reopen", "--week", "2018-W27", "--reason", "late discharge"])
        .success()
        .stdout("week 2018-W27 reopened: 2 signature(s) cleared (kept in its history)\n");
    run(&["reopen", "--week", "2018-W27", "--reason", "again"])
        .failure()
        .stderr("dtoc: week 2018-W27 is not signed off: there is nothing to reopen\n");
    run(&[
        "signoff", "--week", "2018-W99", "--side", "nhs", "--by", "X",
    ])
    .failure();
}
