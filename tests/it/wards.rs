//! Issue 26 items 1, 2 and 4: wards as reference data (imported, matched ignoring case), ward and
//! bed in natural order on the ward board, the board round and the register; the ward board at
//! 80×24 and 160×48; the board round as a ring (next unreviewed from anywhere, the census key,
//! wrapping at both ends, counts over the delays open now); the register's sorts and the `!` of
//! an expected date passed, on the demo.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::cli::{demo, run};
use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::{Attribution, Placement, ReasonCode, Ward};
use dtoc::store::Store;
use dtoc::ui::keymap::Context;
use dtoc::ui::screens::board::{self, BoardPhase};
use dtoc::ui::screens::register::{self, RegisterSort};
use dtoc::ui::screens::ward_board;
use dtoc::ui::App;

/// The populated register with wards written as people write them: `Ward 10`, `Ward 7` and
/// `ward 7` (one ward), beds 1, 2 and 10; RX1's ward list knows W7 "Ward 7" (28 beds) and AMU,
/// not Ward 10.
fn wards_store(store: &mut Store) {
    populate(store);
    let extra = [
        ("RX1-0007", "2018-07-02", ReasonCode::B),
        ("RX1-0010", "2018-07-20", ReasonCode::Di),
        ("RX1-0002", "2018-08-01", ReasonCode::E),
    ];
    for (id, ready, reason) in extra {
        add(
            store,
            id,
            None,
            "2018-06-20",
            "RX1",
            "E10000018",
            ready,
            reason,
            Attribution::Nhs,
            None,
        );
    }
    let by_id = |store: &Store, local: &str| {
        store
            .list_delays(&Default::default(), today())
            .unwrap()
            .into_iter()
            .find(|d| d.local_id == local)
            .unwrap()
    };
    for (local, ward, bed, exp) in [
        ("H001", "Ward 10", "1", Some("2018-08-20")),
        ("H003", "ward 7", "1", None),
        ("RX1-0007", "Ward 7", "10", Some("2018-08-10")),
        ("RX1-0010", "Ward 7", "2", Some("2018-08-14")),
        ("RX1-0002", "AMU", "B2", None),
    ] {
        let row = by_id(store, local);
        let p = Placement::new(ward, bed, exp.map(d)).unwrap();
        store
            .set_placement(row.delay_id, row.version, &p, d("2018-08-14"))
            .unwrap();
    }
    store
        .set_ward(&Ward::new("RX1", "W7", "Ward 7", Some(28)).unwrap())
        .unwrap();
    store
        .set_ward(&Ward::new("RX1", "amu", "Acute Medical Unit", None).unwrap())
        .unwrap();
}

fn app(dir: &tempfile::TempDir) -> App {
    let mut store = open_store(dir);
    wards_store(&mut store);
    App::new(store, today())
}

fn ids(rows: &[&dtoc::store::DelayRow]) -> Vec<String> {
    rows.iter().map(|d| d.local_id.clone()).collect()
}

/// The ward board screen (the tenth: reached from the `0` list).
fn to_ward_board(app: &mut App) {
    app.update(dtoc::ui::keymap::Action::Screen(
        dtoc::ui::screens::ScreenId::WardBoard,
    ));
}

#[test]
fn the_ward_board_groups_by_ward_in_natural_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir);
    to_ward_board(&mut app);
    let groups = ward_board::groups(&app);
    let heads: Vec<(String, Option<String>, Vec<String>)> = groups
        .iter()
        .map(|g| {
            let ward = match &g.ward {
                ward_board::WardOf::Listed(w) => Some(format!("listed {}", w.code)),
                ward_board::WardOf::NotListed(t) => Some(format!("not listed {t}")),
                ward_board::WardOf::None => None,
            };
            (g.site.to_string(), ward, ids(&g.rows))
        })
        .collect();
    assert_eq!(
        heads,
        vec![
            (
                "RX1".to_string(),
                Some("listed amu".to_string()),
                vec!["RX1-0002".to_string()]
            ),
            (
                "RX1".to_string(),
                Some("listed W7".to_string()),
                // `ward 7` and `Ward 7` are W7; beds 1, 2, 10.
                vec![
                    "H003".to_string(),
                    "RX1-0010".to_string(),
                    "RX1-0007".to_string()
                ]
            ),
            (
                "RX1".to_string(),
                Some("not listed Ward 10".to_string()),
                vec!["H001".to_string()]
            ),
            ("RX2".to_string(), None, vec!["H002".to_string()]),
        ]
    );
    for (w, h) in [(80, 24), (160, 48)] {
        let text = draw(&app, w, h);
        assert_snapshot!(format!("ward_board_{w}x{h}"), text.clone());
        assert!(
            text.contains("RX1 · W7 Ward 7 · 28 beds · 3 delayed"),
            "{text}"
        );
        assert!(text.contains("Ward 10 (not on the ward list)"), "{text}");
        assert!(
            text.contains("RX2 · no ward recorded · 1 delayed"),
            "{text}"
        );
        // Expected dates passed are marked by a character, not colour alone.
        assert!(text.contains("2018-08-10!"), "{text}");
        assert!(text.contains("2018-08-14!"), "{text}");
        assert!(!text.contains("2018-08-20!"), "{text}");
    }
    // The 160-column board gives the authority, the ready date and the reason's words too.
    let wide = draw(&app, 160, 48);
    assert!(wide.contains("Leicestershire"), "{wide}");
    assert!(wide.contains("2018-07-02"), "{wide}");
}

#[test]
fn the_ward_board_scrolls_at_80x24_and_marks_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(&dir);
    wards_store(&mut store);
    // Enough patients to overflow 24 lines: 20 more on ward W7.
    for i in 0..20 {
        let local = format!("W7-{i:02}");
        let id = add(
            &mut store,
            &local,
            None,
            "2018-07-01",
            "RX1",
            "E10000018",
            "2018-07-10",
            ReasonCode::C,
            Attribution::Nhs,
            None,
        );
        let v = store.delay_row(id).unwrap().unwrap().version;
        let p = Placement::new("w7", &(i + 11).to_string(), None).unwrap();
        store.set_placement(id, v, &p, d("2018-08-14")).unwrap();
    }
    let mut app = App::new(store, today());
    to_ward_board(&mut app);
    assert_eq!(ward_board::patients(&app).len(), 26);
    chr(&mut app, 'G');
    let text = draw(&app, 80, 24);
    // The last patient (RX2's H002) is on screen with its ward's heading; the column heading stays.
    assert!(text.contains("> -"), "{text}");
    assert!(text.contains("H002"), "{text}");
    assert!(text.contains("RX2 · no ward recorded"), "{text}");
    assert!(text.contains("Local id"), "{text}");
    assert!(!text.contains("RX1-0002"), "{text}");
    // Enter marks the selected patient reviewed today.
    chr(&mut app, 'g');
    press(&mut app, KeyCode::Enter);
    let first = ward_board::patients(&app)[0].delay_id;
    assert_eq!(
        app.store.delay_row(first).unwrap().unwrap().reviewed_on,
        Some(today())
    );
    assert_eq!(app.screens.ward_board.selected, 1);
    // u: the next not reviewed today; ] the next ward.
    chr(&mut app, ']');
    assert_eq!(
        ward_board::patients(&app)[app.screens.ward_board.selected].local_id,
        "H001"
    );
    chr(&mut app, '[');
    chr(&mut app, 'u');
    assert_eq!(
        ward_board::patients(&app)[app.screens.ward_board.selected].local_id,
        "RX1-0010"
    );
}

#[test]
fn the_round_walks_ward_by_ward_in_natural_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir);
    chr(&mut app, '3');
    let order: Vec<String> = app
        .screens
        .board
        .ids
        .iter()
        .map(|id| app.find_delay(*id).unwrap().local_id.clone())
        .collect();
    // RX1: AMU, then Ward 7 (any case) beds 1, 2, 10, then Ward 10, then no ward; then RX2.
    assert_eq!(
        order,
        ["RX1-0002", "H003", "RX1-0010", "RX1-0007", "H001", "H002"]
    );
    // The register sorts the same way by ward.
    chr(&mut app, '2');
    chr(&mut app, 's');
    assert_eq!(app.screens.register.sort, RegisterSort::Ward);
    assert_eq!(
        ids(&register::visible(&app)),
        ["RX1-0002", "H003", "RX1-0010", "RX1-0007", "H001", "H002"]
    );
    // By expected date: earliest first, none last.
    chr(&mut app, 's');
    chr(&mut app, 's');
    assert_eq!(app.screens.register.sort, RegisterSort::Expected);
    assert_eq!(
        ids(&register::visible(&app))[..3],
        ["RX1-0007", "RX1-0010", "H001"]
    );
    // The overdue mark rides on the date at 80 columns too (`10/08!`), with NO_COLOR or not.
    let text = draw(&app, 80, 24);
    assert!(text.contains("10/08!"), "{text}");
    assert!(text.contains("20/08 "), "{text}");
}

#[test]
fn the_round_is_a_ring_with_next_unreviewed_and_the_census_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir);
    chr(&mut app, '3');
    assert_eq!(board::progress(&app), (0, 6));
    assert_eq!(board::current(&app).unwrap().local_id, "RX1-0002");
    // p before the first: the census step (the end of the ring); p again: the last delay.
    chr(&mut app, 'p');
    assert_eq!(app.screens.board.phase, BoardPhase::Census);
    assert_eq!(app.context(), Context::BoardCensus);
    chr(&mut app, 'p');
    assert_eq!(board::current(&app).unwrap().local_id, "H002");
    // → after the last: the census; → again: the first.
    press(&mut app, KeyCode::Right);
    assert_eq!(app.screens.board.phase, BoardPhase::Census);
    press(&mut app, KeyCode::Right);
    assert_eq!(board::current(&app).unwrap().local_id, "RX1-0002");
    // G / End: the last; g / Home: the first.
    chr(&mut app, 'G');
    assert_eq!(board::current(&app).unwrap().local_id, "H002");
    press(&mut app, KeyCode::Home);
    assert_eq!(board::current(&app).unwrap().local_id, "RX1-0002");
    // Review the first two; from the first, u goes to the next not reviewed (the third).
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert_eq!(board::progress(&app), (2, 6));
    chr(&mut app, 'g');
    chr(&mut app, 'u');
    assert_eq!(board::current(&app).unwrap().local_id, "RX1-0010");
    // From the last, u wraps round to the first not reviewed.
    chr(&mut app, 'G');
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screens.board.phase, BoardPhase::Census);
    chr(&mut app, 'u');
    assert_eq!(board::current(&app).unwrap().local_id, "RX1-0010");
    // c: straight to the census step from a patient.
    chr(&mut app, 'c');
    assert_eq!(app.screens.board.phase, BoardPhase::Census);
    let text = draw(&app, 80, 24);
    assert!(text.contains("3 of 6 reviewed"), "{text}");
    // The keys the help and the footer give are the real ones.
    chr(&mut app, 'u');
    chr(&mut app, '?');
    let help = draw(&app, 160, 48);
    for key in [
        "u  next not reviewed",
        "c  census step",
        "g/G  first / last delay",
    ] {
        assert!(help.contains(key), "{key}: {help}");
    }
}

#[test]
fn the_round_s_counts_follow_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir);
    chr(&mut app, '3');
    assert_eq!(board::progress(&app), (0, 6));
    // Another user adds a delay and ends one: the round takes the new one, drops the ended one.
    let mut other = open_store(&dir);
    let new = add(
        &mut other,
        "LATE-1",
        None,
        "2018-08-01",
        "RX2",
        "E06000017",
        "2018-08-12",
        ReasonCode::G,
        Attribution::SocialCare,
        None,
    );
    let gone = app
        .data
        .delays
        .iter()
        .find(|d| d.local_id == "H001")
        .unwrap()
        .clone();
    other
        .end_delay(
            &dtoc::store::EndDelay {
                delay_id: gone.delay_id,
                version: gone.version,
                on: today(),
                kind: dtoc::domain::EndKind::Discharged,
                pathway: Some(dtoc::domain::Pathway::P0),
                destination: None,
                usual_residence: None,
            },
            today(),
        )
        .unwrap();
    drop(other);
    app.reload();
    assert!(app.screens.board.ids.contains(&new));
    assert_eq!(board::progress(&app), (0, 6));
    let title = draw(&app, 80, 24);
    assert!(title.contains("Board round: 0 of 6 reviewed"), "{title}");
    // The totals say the same as the title.
    chr(&mut app, 'c');
    press(&mut app, KeyCode::Enter);
    let text = draw(&app, 160, 48);
    assert!(text.contains("reviewed 0 of 6"), "{text}");
    assert!(text.contains("open delays now: 6"), "{text}");
}

#[test]
fn wards_are_imported_and_matched_ignoring_case_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let file = dir.path().join("wards.csv");
    std::fs::write(
        &file,
        "site,ward_code,name,beds\nRWE01,W7,Ward 7,28\nRWE01,W10,Ward 10,\nRWE02,amu,Acute Medical Unit,40\n",
    )
    .unwrap();
    let out = run(&db, &["import", "wards", file.to_str().unwrap()]);
    assert_eq!(out.trim(), "3 rows: 3 added, 0 updated, 0 unchanged");
    // Again, with one name changed and the code in another case: the same ward.
    std::fs::write(
        &file,
        "site,ward_code,name,beds\nRWE01,w7,Ward 7 (Gwendolen),28\nRWE01,W10,Ward 10,\n",
    )
    .unwrap();
    let out = run(&db, &["import", "wards", file.to_str().unwrap()]);
    assert_eq!(out.trim(), "2 rows: 0 added, 1 updated, 1 unchanged");
    // A ward of a site not in the register is refused, naming the site; nothing is written.
    std::fs::write(&file, "site,ward_code\nRWE01,W11\nNOPE,W1\n").unwrap();
    let err = common::cli::dtoc(&db)
        .args(["import", "wards", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!err.status.success());
    assert!(
        String::from_utf8_lossy(&err.stderr).contains("NOPE"),
        "{}",
        String::from_utf8_lossy(&err.stderr)
    );
    let store = Store::open(&db).unwrap();
    let wards = store.wards().unwrap();
    assert_eq!(
        wards
            .iter()
            .map(|w| format!("{} {} {} {:?}", w.site_code, w.code, w.name, w.beds))
            .collect::<Vec<_>>(),
        [
            "RWE01 W7 Ward 7 (Gwendolen) Some(28)",
            "RWE01 W10 Ward 10 None",
            "RWE02 amu Acute Medical Unit Some(40)"
        ]
    );
    // A stay's free-text ward finds its ward by code or name, any case.
    assert_eq!(
        dtoc::domain::find_ward(&wards, "RWE01", "ward 7 (gwendolen)").map(|w| w.code.as_str()),
        Some("W7")
    );
    assert_eq!(
        dtoc::domain::find_ward(&wards, "RWE02", "AMU").map(|w| w.code.as_str()),
        Some("amu")
    );
    // Audited, one entry per ward changed (3 added, 1 updated).
    let entries = store.audit_between("2000-01-01", "2200-01-01").unwrap();
    let ward_entries: Vec<_> = entries.iter().filter(|e| e.entity() == "ward").collect();
    assert_eq!(ward_entries.len(), 4);
    assert!(ward_entries.iter().all(|e| e.action() == "import"));
    assert_eq!(
        ward_entries[3].new_value.as_deref(),
        Some("Ward 7 (Gwendolen), 28 beds")
    );
}

#[test]
fn the_demo_register_sorts_by_site_and_days_and_the_round_counts_every_open_delay() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let store = Store::open(&db).unwrap();
    let open = store.list_delays(&Default::default(), today()).unwrap();
    let mut app = App::new(store, today());
    app.first_run = false;
    chr(&mut app, '2');
    let by_days = register::visible(&app);
    assert_eq!(by_days.len(), open.len());
    assert!(by_days
        .windows(2)
        .all(|w| w[0].days_delayed(today()) >= w[1].days_delayed(today())));
    // s twice: by site (natural order), then longest first within a site.
    chr(&mut app, 's');
    chr(&mut app, 's');
    assert_eq!(app.screens.register.sort, RegisterSort::Site);
    let rows = register::visible(&app);
    let sites: Vec<&str> = rows.iter().map(|d| d.site_code.as_str()).collect();
    let mut sorted = sites.clone();
    sorted.sort();
    assert_eq!(sites, sorted);
    assert!(rows.windows(2).all(|w| w[0].site_code != w[1].site_code
        || w[0].days_delayed(today()) >= w[1].days_delayed(today())));
    // The round's count is over the demo's open delays.
    chr(&mut app, '3');
    assert_eq!(board::progress(&app), (0, open.len()));
    assert_eq!(open.len(), DEMO_OPEN);
}

/// The demo's open delays on 2018-08-15.
const DEMO_OPEN: usize = 37;

#[test]
fn wards_are_added_and_edited_in_settings_and_name_the_board_s_wards() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir);
    chr(&mut app, '6');
    while app.screens.settings.tab != dtoc::ui::screens::settings::SettingsTab::Wards {
        chr(&mut app, 'l');
    }
    let text = draw(&app, 80, 24);
    assert!(text.contains("Wards (2)"), "{text}");
    // W7 counts its three delayed patients (`ward 7` and `Ward 7`).
    assert!(text.contains("Ward 7"), "{text}");
    // Add Ward 10 with 24 beds: the board then names it.
    chr(&mut app, 'a');
    set_field(&mut app, "RX1");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "W10");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "Ward 10");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "24");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| &f.form.error)
    );
    assert_eq!(app.data.wards.len(), 3);
    let text = draw(&app, 160, 48);
    assert!(text.contains("W10"), "{text}");
    to_ward_board(&mut app);
    let text = draw(&app, 80, 24);
    assert!(
        text.contains("RX1 · W10 Ward 10 · 24 beds · 1 delayed"),
        "{text}"
    );
    assert!(!text.contains("not on the ward list"), "{text}");
    // Edit: 0 beds is refused in words, the form kept.
    chr(&mut app, '6');
    chr(&mut app, 'e');
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    set_field(&mut app, "0");
    press(&mut app, KeyCode::Enter);
    let err = app
        .form
        .as_ref()
        .and_then(|f| f.form.error.clone())
        .unwrap_or_default();
    assert!(err.contains("beds"), "{err}");
}

#[test]
fn the_lists_give_every_inpatient_at_21_14_7_days_and_expected_dates_passed_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    // The demo's inpatients on 2018-08-15 by length of stay, as `report los` counts them.
    let store = Store::open(&db).unwrap();
    let stays = store.stay_facts(today(), d("2018-08-16"), &[]).unwrap();
    let all = dtoc::ui::screens::lists::inpatients(&stays, today());
    let at = |n: u32| all.iter().filter(|x| x.los >= n).count();
    let delayed_at = |n: u32| all.iter().filter(|x| x.los >= n && x.delayed).count();
    assert_eq!((at(7), at(14), at(21)), DEMO_LOS);
    assert_eq!((delayed_at(7), delayed_at(21)), DEMO_LOS_DELAYED);
    // Longest first.
    assert!(all.windows(2).all(|w| w[0].los >= w[1].los));
    let mut app = App::new(store, today());
    app.first_run = false;
    app.update(dtoc::ui::keymap::Action::Screen(
        dtoc::ui::screens::ScreenId::Lists,
    ));
    app.wait_loads(std::time::Duration::from_secs(20));
    let text = draw(&app, 80, 24);
    assert!(
        text.contains(&format!("Inpatients at 21+ days today: {}", DEMO_LOS.2)),
        "{text}"
    );
    chr(&mut app, 'v');
    chr(&mut app, 'v');
    chr(&mut app, 'v');
    // The demo records no expected dates.
    assert!(draw(&app, 80, 24).contains("Expected discharge date passed: 0"));
}

/// The demo's inpatients at 7+, 14+ and 21+ days on 2018-08-15 (`report los --date 2018-08-15`:
/// acute and non-acute together), and the delayed ones at 7+ and 21+.
const DEMO_LOS: (usize, usize, usize) = (66, 37, 22);
/// The delayed at 21+ are the Dashboard's "LOS 21+" of delayed patients (19 over the three authorities).
const DEMO_LOS_DELAYED: (usize, usize) = (32, 19);
