//! Issue 26 item 3: actions with owners. Through the store (add, done, cancel, change, each
//! audited; the owners' list with free entry; the overdue list on worked dates: due yesterday is
//! overdue, due today is not), the migration of a version 13 file's notes, the app (the `n` form
//! with its owner list, `m` on the detail, the Actions screen's `x`, `d` and `e`) with snapshots at
//! 80×24 and 160×48, and `dtoc actions` (filters, formats, a file 0600, audited).
#![allow(clippy::unwrap_used)]

use crate::common;

use common::cli::{dtoc_on, stdout_of};
use common::db::assert_sound;
use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::ActionState;
use dtoc::store::{
    ActionClose, ActionField, ActionFilter, AuditEvent, DelayEvent, NewAction, Store,
};
use dtoc::ui::keymap::Action;
use dtoc::ui::screens::ScreenId;
use dtoc::ui::App;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        assert_snapshot!(format!("{name}_{w}x{h}"), draw(app, w, h));
    }
}

fn delay_of(store: &Store, local_id: &str) -> i64 {
    store
        .list_delays(&Default::default(), today())
        .unwrap()
        .into_iter()
        .find(|r| r.local_id == local_id)
        .unwrap()
        .delay_id
}

fn new(text: &str, owner: &str, due: Option<&str>) -> NewAction {
    NewAction {
        text: text.into(),
        owner: owner.into(),
        due_on: due.map(d),
    }
}

fn texts(rows: &[dtoc::store::ActionListRow]) -> Vec<&str> {
    rows.iter().map(|r| r.action.text.as_str()).collect()
}

/// The populated register (H001, H002, H003 open on 15 August 2018) with four actions set on
/// 13 August: due 14 August (yesterday), 15 August (today), 16 August, and none.
fn with_actions(store: &mut Store) -> [i64; 4] {
    populate(store);
    let (h1, h2) = (delay_of(store, "H001"), delay_of(store, "H002"));
    let set = d("2018-08-13");
    [
        store
            .add_action(
                h1,
                &new("Chase P1 package", "Hub team", Some("2018-08-14")),
                set,
            )
            .unwrap(),
        store
            .add_action(
                h1,
                &new("Book transport", "social work", Some("2018-08-15")),
                set,
            )
            .unwrap(),
        store
            .add_action(
                h2,
                &new("Family meeting", "SOCIAL  WORK", Some("2018-08-16")),
                set,
            )
            .unwrap(),
        store
            .add_action(h2, &new("Ask about care home", "Hub team", None), set)
            .unwrap(),
    ]
}

#[test]
fn the_overdue_list_on_worked_dates() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    with_actions(&mut store);
    let overdue = ActionFilter {
        overdue: true,
        ..Default::default()
    };
    // 15 August: due 14 August is overdue; due today, tomorrow or never is not.
    let on_15 = store.action_list(&overdue, d("2018-08-15")).unwrap();
    assert_eq!(texts(&on_15), vec!["Chase P1 package"]);
    // 16 August: the one due 15 August too.
    let on_16 = store.action_list(&overdue, d("2018-08-16")).unwrap();
    assert_eq!(texts(&on_16), vec!["Chase P1 package", "Book transport"]);
    // 14 August: none.
    assert!(store
        .action_list(&overdue, d("2018-08-14"))
        .unwrap()
        .is_empty());
    // The open list: due first, no due date last.
    let open = ActionFilter {
        open: true,
        ..Default::default()
    };
    assert_eq!(
        texts(&store.action_list(&open, today()).unwrap()),
        vec![
            "Chase P1 package",
            "Book transport",
            "Family meeting",
            "Ask about care home"
        ]
    );
}

#[test]
fn owners_are_a_list_with_free_entry_matched_ignoring_case() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    with_actions(&mut store);
    // "SOCIAL  WORK" is the owner "social work" already listed: not a third name.
    assert_eq!(
        store.action_owners().unwrap(),
        vec!["Hub team", "social work"]
    );
    let h2 = delay_of(&store, "H002");
    let rows = store.actions_of(h2).unwrap();
    assert_eq!(rows[0].owner.as_deref(), Some("social work"));
    // By owner, any case.
    let of = |o: &str| ActionFilter {
        owner: Some(o.into()),
        ..Default::default()
    };
    assert_eq!(
        texts(&store.action_list(&of("HUB TEAM"), today()).unwrap()),
        vec!["Chase P1 package", "Ask about care home"]
    );
    // A new name joins the list, audited once.
    store
        .add_action(h2, &new("Ring the ward", "Ward 7 sister", None), today())
        .unwrap();
    assert_eq!(
        store.action_owners().unwrap(),
        vec!["Hub team", "social work", "Ward 7 sister"]
    );
    let listed = store.audit_for("action owner", "Ward 7 sister").unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].event, AuditEvent::ActionOwner);
    // An empty owner is refused, and so is a due date already passed.
    let e = store
        .add_action(h2, &new("x", "  ", None), today())
        .unwrap_err();
    assert!(e.to_string().contains("owner is empty"), "{e}");
    let e = store
        .add_action(h2, &new("x", "Hub team", Some("2018-08-14")), today())
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("due date 2018-08-14 is before today (2018-08-15)"),
        "{e}"
    );
}

#[test]
fn done_cancelled_and_changed_each_audited_on_the_delay() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    let [chase, transport, family, _] = with_actions(&mut store);
    let (h1, h2) = (delay_of(&store, "H001"), delay_of(&store, "H002"));
    store
        .close_action(chase, ActionClose::Done, today())
        .unwrap();
    store
        .close_action(transport, ActionClose::Cancelled, today())
        .unwrap();
    let a = store.action(chase).unwrap();
    assert_eq!(
        (a.state, a.closed_on, a.closed_by.as_deref()),
        (ActionState::Done, Some(today()), Some("tester"))
    );
    assert_eq!(
        store.action(transport).unwrap().state,
        ActionState::Cancelled
    );
    // A closed action is a record: not closed again, not changed.
    let e = store
        .close_action(chase, ActionClose::Cancelled, today())
        .unwrap_err();
    assert!(e.to_string().contains("already done"), "{e}");
    assert!(store
        .edit_action(chase, &new("y", "Hub team", None), today())
        .is_err());
    // Done leaves the overdue list.
    let overdue = ActionFilter {
        overdue: true,
        ..Default::default()
    };
    assert!(store.action_list(&overdue, today()).unwrap().is_empty());
    // Changed: owner (a new one) and due date; the text as it was.
    store
        .edit_action(
            family,
            &new("Family meeting", "Discharge team", Some("2018-08-20")),
            today(),
        )
        .unwrap();
    let a = store.action(family).unwrap();
    assert_eq!(
        (a.owner.as_deref(), a.due_on),
        (Some("Discharge team"), Some(d("2018-08-20")))
    );
    let events = |id: i64| -> Vec<(AuditEvent, Option<String>, Option<String>)> {
        store
            .audit_for("delay", &id.to_string())
            .unwrap()
            .into_iter()
            .filter(|e| {
                matches!(
                    e.event,
                    AuditEvent::Delay(
                        DelayEvent::AddAction
                            | DelayEvent::CloseAction(_)
                            | DelayEvent::EditAction(_)
                    )
                )
            })
            .map(|e| (e.event, e.old_value, e.new_value))
            .collect()
    };
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        events(h1),
        vec![
            (
                AuditEvent::Delay(DelayEvent::AddAction),
                None,
                s("Chase P1 package · owner Hub team · due 2018-08-14")
            ),
            (
                AuditEvent::Delay(DelayEvent::AddAction),
                None,
                s("Book transport · owner social work · due 2018-08-15")
            ),
            (
                AuditEvent::Delay(DelayEvent::CloseAction(ActionClose::Done)),
                s("Chase P1 package"),
                s("done")
            ),
            (
                AuditEvent::Delay(DelayEvent::CloseAction(ActionClose::Cancelled)),
                s("Book transport"),
                s("cancelled")
            ),
        ]
    );
    let h2_events = events(h2);
    assert_eq!(
        h2_events[2..],
        [
            (
                AuditEvent::Delay(DelayEvent::EditAction(ActionField::Owner)),
                s("social work"),
                s("Discharge team")
            ),
            (
                AuditEvent::Delay(DelayEvent::EditAction(ActionField::Due)),
                s("2018-08-16"),
                s("2018-08-20")
            ),
        ]
    );
    // The detail: open first (due first), then the closed, newest first.
    let shown: Vec<(String, ActionState)> = store
        .actions_of(h1)
        .unwrap()
        .into_iter()
        .map(|a| (a.text, a.state))
        .collect();
    assert_eq!(
        shown,
        vec![
            ("Book transport".to_string(), ActionState::Cancelled),
            ("Chase P1 package".to_string(), ActionState::Done),
        ]
    );
    assert_sound(&store);
}

#[test]
fn an_ended_delay_keeps_its_actions_out_of_the_open_lists() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    with_actions(&mut store);
    let h1 = delay_of(&store, "H001");
    let v = store.delay_row(h1).unwrap().unwrap().version;
    store
        .end_delay(
            &dtoc::store::EndDelay {
                delay_id: h1,
                version: v,
                on: today(),
                kind: dtoc::domain::EndKind::Discharged,
                pathway: Some(dtoc::domain::Pathway::P1),
                destination: None,
                usual_residence: None,
            },
            today(),
        )
        .unwrap();
    let open = ActionFilter {
        open: true,
        ..Default::default()
    };
    assert_eq!(
        texts(&store.action_list(&open, today()).unwrap()),
        vec!["Family meeting", "Ask about care home"]
    );
    let all = store
        .action_list(&ActionFilter::default(), today())
        .unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(
        all.iter()
            .filter(|r| r.delay_ended_on == Some(today()))
            .count(),
        2
    );
}

/// A version 13 file's notes become done actions (closed on their own day by their author, no
/// owner, no due date): records, not work to do; the file gets the same schema as a new one.
#[test]
fn a_version_13_files_notes_become_done_actions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dtoc.sqlite");
    {
        let mut store = open_store(&dir);
        populate(&mut store);
        let h1 = delay_of(&store, "H001");
        store
            .execute_raw_for_tests(&format!(
                "{} PRAGMA user_version = 13;
                 INSERT INTO delay_action (delay_id, on_day, by_user, at, text) VALUES
                     ({h1}, '2018-08-13', 'jo', '2018-08-13T09:00:00Z', 'Chased P1 package'),
                     ({h1}, '2018-08-14', 'sam', '2018-08-14T09:00:00Z', 'P1 package requested');",
                crate::migrations::DOWN_FROM_14
            ))
            .unwrap();
    }
    assert_eq!(crate::migrations::user_version(&path), 13);
    let store = open_store(&dir);
    assert_eq!(
        crate::migrations::user_version(&path),
        dtoc::store::SCHEMA_VERSION
    );
    let h1 = delay_of(&store, "H001");
    let got: Vec<_> = store
        .actions_of(h1)
        .unwrap()
        .into_iter()
        .map(|a| (a.text, a.state, a.closed_on, a.closed_by, a.owner, a.due_on))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "P1 package requested".to_string(),
                ActionState::Done,
                Some(d("2018-08-14")),
                Some("sam".to_string()),
                None,
                None
            ),
            (
                "Chased P1 package".to_string(),
                ActionState::Done,
                Some(d("2018-08-13")),
                Some("jo".to_string()),
                None,
                None
            ),
        ]
    );
    let open = ActionFilter {
        open: true,
        ..Default::default()
    };
    assert!(store.action_list(&open, today()).unwrap().is_empty());
    assert!(store.action_owners().unwrap().is_empty());
    // The newest note is still the export's last action.
    let row = store.delay_row(h1).unwrap().unwrap();
    assert_eq!(row.last_action.as_deref(), Some("P1 package requested"));
    assert_eq!(row.open_actions.count, 0);
    drop(store);
    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());
    assert_eq!(
        crate::migrations::shape(&path),
        crate::migrations::shape(&fresh)
    );
}

fn app_with_actions(dir: &tempfile::TempDir) -> App {
    let mut store = open_store(dir);
    with_actions(&mut store);
    App::new(store, today())
}

/// `n` on a patient: the owner field picks from the list (Down) or keeps a new name typed.
#[test]
fn the_action_form_offers_the_owners_and_takes_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_actions(&dir);
    chr(&mut app, '2');
    select(&mut app, "H003");
    chr(&mut app, 'n');
    typ(&mut app, "Check package start date");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.form.as_ref().unwrap().form.value(1), "social work");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "2018-08-17");
    snap("action_form", &app);
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.message);
    let h3 = delay_of(&app.store, "H003");
    let a = &app.store.actions_of(h3).unwrap()[0];
    assert_eq!(
        (a.text.as_str(), a.owner.as_deref(), a.due_on, a.state),
        (
            "Check package start date",
            Some("social work"),
            Some(d("2018-08-17")),
            ActionState::Open
        )
    );
    // Reviewed today, as the round's note did.
    assert_eq!(
        app.store.delay_row(h3).unwrap().unwrap().reviewed_on,
        Some(today())
    );
    // A new name typed is taken and listed.
    chr(&mut app, 'n');
    typ(&mut app, "Ring the ward");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "Ward 7 sister");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.message);
    assert!(app
        .store
        .action_owners()
        .unwrap()
        .contains(&"Ward 7 sister".to_string()));
    // Without an owner the form says so and keeps the entry.
    chr(&mut app, 'n');
    typ(&mut app, "No owner");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_some());
}

/// The detail shows the open actions with owner and due (`!` overdue), then the closed; `m` marks
/// one done.
#[test]
fn the_detail_shows_actions_and_m_marks_one_done() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_actions(&dir);
    chr(&mut app, '2');
    select(&mut app, "H001");
    press(&mut app, KeyCode::Enter);
    snap("detail_with_actions", &app);
    let text = draw(&app, 80, 24);
    assert!(
        text.contains(" !due 14/08    Hub team: Chase P1 package"),
        "{text}"
    );
    assert!(
        text.contains("  due 15/08    social work: Book transport"),
        "{text}"
    );
    // `m`: the first open action (the overdue one), Now: done.
    chr(&mut app, 'm');
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.form.as_ref().unwrap().form.value(1), "done");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.message);
    let h1 = delay_of(&app.store, "H001");
    let a = app
        .store
        .actions_of(h1)
        .unwrap()
        .into_iter()
        .find(|a| a.text == "Chase P1 package")
        .unwrap();
    assert_eq!(a.state, ActionState::Done);
    let text = draw(&app, 80, 24);
    assert!(
        text.contains("done      15/08 tester: Chase P1 package"),
        "{text}"
    );
    assert!(!text.contains(" !due"), "{text}");
}

/// The Actions screen: views, and x (done), d (cancel) and e (change), each through the form
/// (Enter confirms, Esc leaves it as it was).
#[test]
fn the_actions_screen_lists_and_closes() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_actions(&dir);
    app.update(Action::Screen(ScreenId::Actions));
    app.wait_loads(std::time::Duration::from_secs(20));
    snap("actions_open", &app);
    let text = draw(&app, 80, 24);
    assert!(text.contains("Open actions: 4 (1 overdue)"), "{text}");
    assert!(text.contains("14/08!"), "{text}");
    chr(&mut app, 'v');
    let text = draw(&app, 80, 24);
    assert!(text.contains("Overdue actions: 1 (1 overdue)"), "{text}");
    chr(&mut app, 'v');
    snap("actions_by_owner", &app);
    chr(&mut app, 'v');
    chr(&mut app, 'v');
    // Open again: d on the first (overdue) asks, Esc leaves it open.
    chr(&mut app, 'd');
    assert!(app.form.is_some());
    press(&mut app, KeyCode::Esc);
    assert!(app.form.is_none());
    let overdue = ActionFilter {
        overdue: true,
        ..Default::default()
    };
    assert_eq!(app.store.action_list(&overdue, today()).unwrap().len(), 1);
    // x and Enter: done; it leaves the overdue list.
    chr(&mut app, 'x');
    press(&mut app, KeyCode::Enter);
    app.wait_loads(std::time::Duration::from_secs(20));
    assert!(app.store.action_list(&overdue, today()).unwrap().is_empty());
    let text = draw(&app, 80, 24);
    assert!(text.contains("Open actions: 3 (0 overdue)"), "{text}");
    // e: change the owner of the first (Book transport).
    chr(&mut app, 'e');
    press(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    typ(&mut app, "Hub team");
    press(&mut app, KeyCode::Enter);
    app.wait_loads(std::time::Duration::from_secs(20));
    let open = ActionFilter {
        open: true,
        owner: Some("hub team".into()),
        ..Default::default()
    };
    assert_eq!(
        texts(&app.store.action_list(&open, today()).unwrap()),
        vec!["Book transport", "Ask about care home"]
    );
    // `/` narrows to an owner.
    chr(&mut app, '/');
    typ(&mut app, "social");
    press(&mut app, KeyCode::Enter);
    let shown = dtoc::ui::screens::actions::visible(&app);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].action.text, "Family meeting");
}

/// The ward board's Act column and the board round's line.
#[test]
fn the_ward_board_and_the_round_show_open_actions() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_actions(&dir);
    app.update(Action::Screen(ScreenId::WardBoard));
    app.wait_loads(std::time::Duration::from_secs(20));
    let text = draw(&app, 80, 24);
    assert!(text.contains("Act"), "{text}");
    assert!(text.contains(" 2! "), "{text}");
    chr(&mut app, '3');
    let text = draw(&app, 160, 48);
    assert!(
        text.contains("Open actions: 2 · next !due 14/08 Hub team: Chase P1 package")
            || text.contains("Open actions: 2 · next due 16/08 social work: Family meeting"),
        "{text}"
    );
}

#[test]
fn dtoc_actions_lists_writes_a_private_file_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = {
        let mut store = open_store(&dir);
        with_actions(&mut store);
        store.path().to_path_buf()
    };
    let run = |args: &[&str]| stdout_of(dtoc_on(&db, "2018-08-15"), args);
    let out = run(&["actions", "--overdue", "--format", "csv"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "due_on,overdue,owner,local_id,site,ward,bed,action,state,set_on,set_by,closed_on,closed_by,delay_ended_on"
    );
    assert_eq!(
        lines[1],
        "2018-08-14,true,Hub team,H001,RX1,,,Chase P1 package,open,2018-08-13,tester,,,"
    );
    assert_eq!(lines.len(), 2);
    let out = run(&[
        "actions",
        "--open",
        "--owner",
        "SOCIAL WORK",
        "--format",
        "json",
    ]);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["report"], "actions");
    let owners: Vec<&str> = j["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(owners, vec!["Book transport", "Family meeting"]);
    // An owner not on the list: said so, with the list.
    let o = dtoc_on(&db, "2018-08-15")
        .args(["actions", "--owner", "Nobody"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "--owner Nobody: not on the owners' list (the owners are: Hub team, social work)"
        ),
        "{err}"
    );
    // A file: 0600, refused over an existing one without --force, audited.
    let file = dir.path().join("actions.csv");
    run(&["actions", "--out", file.to_str().unwrap()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 5);
    let again = dtoc_on(&db, "2018-08-15")
        .args(["actions", "--out", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!again.status.success());
    run(&["--force", "actions", "--out", file.to_str().unwrap()]);
    let store = Store::open(&db).unwrap();
    let all = store
        .audit_between("2000-01-01", "2100-01-01")
        .unwrap()
        .into_iter()
        .filter(|e| e.event == AuditEvent::File(dtoc::store::FileAction::Export))
        .count();
    // The two lists to the terminal and the two files written (not the refused runs).
    assert_eq!(all, 4);
}
