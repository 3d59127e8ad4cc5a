//! Reading at 80×24 (issue 26, items 6 and 7): the delay detail scrolls and shows its history
//! newest first at local time, in words; no cut label reads like another value of its column;
//! messages and help text wrap; the tab row fits every width; pop-ups cover what is behind them;
//! the keys mean the same in the list and the detail, and a screen chosen opens on its list; a
//! refusal goes once the field is changed.
#![allow(clippy::unwrap_used)]

use crate::common;

use chrono::FixedOffset;
use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::{Attribution, LaCode, Pathway, Placement, ReasonCode, Side, Week};
use dtoc::store::{SignWeek, Store};
use dtoc::ui::clock::Zone;
use dtoc::ui::{App, Context, ScreenId};

/// The screen's text with borders and line breaks as spaces and runs of spaces squeezed, so that
/// a sentence wrapped over rows reads as one.
fn flat(screen: &str) -> String {
    let spaced: String = screen
        .chars()
        .map(|c| {
            if "│─┌┐└┘├┤\n".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn boundary(r: &[char], x: usize) -> bool {
    x == 0 || matches!(r.get(x - 1), Some(' ' | '│' | '['))
}

fn ends_value(r: &[char], x: usize) -> bool {
    matches!(r.get(x), None | Some(' ' | '│'))
}

/// The cut labels of `screen` (text ending in `…`) that read like another value of their column
/// (another row's text starting at the same column): the cut's visible start is a whole value
/// shown there (`Leicester…` above `Leicester`), or two rows show the same short cut (`Di…` for Di
/// and Dii, `War…` for every ward), which says nothing of which value it was. A cut inside a cell
/// (`nurs…` of `Dii Awaiting nurs…`) that another row shows in the very same cell text (the same
/// reason, its code whole) is the same value, not another.
fn misleading_cuts(screen: &str) -> Vec<String> {
    let rows: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let mut found = Vec::new();
    for (y, r) in rows.iter().enumerate() {
        for e in (0..r.len()).filter(|&e| r[e] == '…') {
            let starts: Vec<usize> = (0..e)
                .filter(|&s| boundary(r, s) && r[s] != ' ')
                .filter(|&s| {
                    let prefix: String = r[s..e].iter().collect();
                    !prefix.contains("  ") && !prefix.contains('│')
                })
                .collect();
            // Where the cell begins: its widest start.
            let Some(&cell) = starts.first() else {
                continue;
            };
            for &s in &starts {
                let prefix: String = r[s..e].iter().collect();
                let cut: String = r[s..=e].iter().collect();
                for (y2, r2) in rows.iter().enumerate() {
                    if y2 == y || r2.len() <= s || !boundary(r2, s) {
                        continue;
                    }
                    if s > cell && r2.get(cell..=e) == Some(&r[cell..=e]) && ends_value(r2, e + 1) {
                        continue;
                    }
                    let other: String = r2[s..].iter().collect();
                    let whole = other.starts_with(&prefix) && ends_value(r2, e);
                    let same_cut = e - s <= 4 && other.starts_with(&cut) && ends_value(r2, e + 1);
                    if whole || same_cut {
                        let shown: String = other.chars().take(e - s + 1).collect();
                        found.push(format!("row {y} `{cut}` reads like row {y2} `{shown}`"));
                    }
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_check_finds_the_cuts_the_issue_saw() {
    // The monthly report at 80×24 before (issue 26): Leicestershire as `Leicester…` under
    // `Leicester`; the long-stay reason of Di and Dii both `Di…` once a ward took the room.
    let report = "\
│2018-08    Leicester  Total   180   4.59    9.00  green sig. better           │
│2018-08    Rutland    Total   15    3.22    4.50  green similar               │
│2018-08    Leicester… Total   538   7.07    7.88  green sig. better           │";
    assert_eq!(
        misleading_cuts(report),
        ["row 2 `Leicester…` reads like row 0 `Leicester `"]
    );
    let long_stay = "\
│RT59755825 *** 2216 RT502 Ward 7/2 Leicestershire 25/05/18 82   84   Di…│
│RT56905042 *** 2034 RT501 Ward 7/1 Leicestershire 01/08/18 14   14   Di…│";
    assert_eq!(misleading_cuts(long_stay).len(), 2, "{long_stay}");
    // What the screens show now: the code whole, the authority cut where it is distinct.
    let now = "\
│RT59755825 *** 2216 RT502 Ward 7/2 Leice…hire 82   Di │
│RT56905042 *** 2034 RT501 Ward 7/1 Leicester  14   Dii│";
    assert!(misleading_cuts(now).is_empty());
    // The same reason twice, its code whole and its words cut alike: one value, not two.
    let same = "\
│RT52812062 *** 0429 RT501 Leicester      18/05/18 89   91   Dii Awaiting nurs…│
│RT54119412 *** 6130 RT501 Leicestershire 01/07/18 45   60   Dii Awaiting nurs…│";
    assert!(
        misleading_cuts(same).is_empty(),
        "{:?}",
        misleading_cuts(same)
    );
    // Two reasons whose codes differ but whose words cut alike still read alike.
    let differ = "\
│RT52812062 *** 0429 RT501 Leicester      18/05/18 89   91   Dii Awaiting nurs…│
│RT54119412 *** 6130 RT501 Leicestershire 01/07/18 45   60   Di  Awaiting nurs…│";
    assert!(!misleading_cuts(differ).is_empty());
}

/// A register that crowds the columns: two authorities that begin alike, wards that begin alike,
/// reasons Di and Dii.
fn crowded(dir: &tempfile::TempDir) -> App {
    let mut store = open_store(dir);
    populate(&mut store);
    store
        .set_population(
            &LaCode::parse("E06000016").unwrap(),
            Some("Leicester"),
            2017,
            277_800,
        )
        .unwrap();
    let leicester = "E06000016";
    let leics = "E10000018";
    for (local, la, site, reason) in [
        ("H005", leicester, "RX1", ReasonCode::Dii),
        ("H006", leicester, "RX2", ReasonCode::B),
        ("H007", leics, "RX2", ReasonCode::Dii),
    ] {
        add(
            &mut store,
            local,
            None,
            "2018-07-10",
            site,
            la,
            "2018-07-20",
            reason,
            Attribution::Nhs,
            Some(Pathway::P1),
        );
    }
    for (local, ward) in [
        ("H001", "Ward 7/1"),
        ("H003", "Ward 7/10"),
        ("H005", "Ward 7/2"),
        ("H007", "Ward 10/1"),
    ] {
        let d = common::db::all_delays(&store)
            .into_iter()
            .find(|d| d.local_id == local)
            .unwrap();
        store
            .set_placement(
                d.delay_id,
                d.version,
                &Placement {
                    ward: Some(ward.to_string()),
                    bed: Some("12".to_string()),
                    expected_on: None,
                },
                today(),
            )
            .unwrap();
    }
    App::new(store, today())
}

/// Every screen at 80×24, the register's detail and its list sorted by ward too.
fn every_screen(app: &mut App) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in ScreenId::ALL {
        app.update(dtoc::ui::Action::Screen(*id));
        app.poll_loads(std::time::Duration::from_secs(5));
        out.push((format!("{id:?}"), draw(app, 80, 24)));
    }
    chr(app, '2');
    chr(app, 's');
    out.push(("Register by ward".into(), draw(app, 80, 24)));
    press(app, KeyCode::Enter);
    out.push(("Detail".into(), draw(app, 80, 24)));
    out
}

#[test]
fn no_cut_label_reads_like_another_value_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let mut screens = every_screen(&mut crowded(&dir));
    // The demo: Leicester, Leicestershire and Rutland, thirty-six open delays.
    let demo_dir = tempfile::tempdir().unwrap();
    let db = common::cli::demo(&demo_dir);
    let mut demo = App::new(Store::open(&db).unwrap(), today());
    screens.extend(every_screen(&mut demo));
    // And every 80×24 snapshot the tests keep.
    let snaps = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for e in std::fs::read_dir(snaps).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.contains("80x24") {
            screens.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    assert!(screens.len() > 60, "{} screens", screens.len());
    let bad: Vec<String> = screens
        .iter()
        .flat_map(|(name, text)| {
            misleading_cuts(text)
                .into_iter()
                .map(move |m| format!("{name}: {m}"))
        })
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_crowded_columns_keep_their_values_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = crowded(&dir);
    chr(&mut app, '4');
    let long_stay = draw(&app, 80, 24);
    // The reason codes whole (the label gives way), the wards whole.
    assert!(!long_stay.contains("Di…"), "{long_stay}");
    // (H003 on Ward 7/10 is ready only 5 days: not on this list.)
    for ward in ["Ward 7/1 / 12", "Ward 7/2 / 12", "Ward 10/1 / 12"] {
        assert!(long_stay.contains(ward), "{ward}:\n{long_stay}");
    }
    for (id, code) in [
        ("H001", "Di"),
        ("H007", "Dii"),
        ("H005", "Dii"),
        ("H006", "B"),
    ] {
        let row = long_stay
            .lines()
            .find(|l| l.starts_with(&format!("│{id} ")))
            .unwrap();
        assert!(
            row.trim_end_matches('│')
                .trim_end()
                .ends_with(&format!(" {code}")),
            "{id} {code}:\n{long_stay}"
        );
    }
    chr(&mut app, '2');
    let register = draw(&app, 80, 24);
    assert!(
        !register.contains("Ward…") && !register.contains("War…"),
        "{register}"
    );
    assert!(register.contains("Ward 7/10"), "{register}");
    // Leicester and Leicestershire both read whole or apart.
    assert!(register.contains("Leicester "), "{register}");
    assert!(!register.contains("Leicester…"), "{register}");
}

#[test]
fn the_detail_scrolls_and_shows_its_history_newest_first_at_local_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    // British summer time: the stored 09:00Z is 10:00 on the screen.
    app.zone = Zone::Fixed(FixedOffset::east_opt(3600).unwrap());
    chr(&mut app, '2');
    press(&mut app, KeyCode::Enter);
    let id = app.screens.register.detail.as_ref().unwrap().row.delay_id;
    assert_eq!(
        app.screens.register.detail.as_ref().unwrap().row.local_id,
        "H001"
    );
    // A reason change, then eight notes: more than 80×24 shows.
    chr(&mut app, 'r');
    set_field(&mut app, "2018-08-14");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "Dii");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{}", draw(&app, 80, 24));
    for k in 1..=8 {
        chr(&mut app, 'n');
        typ(&mut app, &format!("Called the provider, call {k}"));
        press(&mut app, KeyCode::Tab);
        set_field(&mut app, "hub");
        press(&mut app, KeyCode::Enter);
        assert!(app.form.is_none());
    }
    assert_eq!(
        app.screens.register.detail.as_ref().unwrap().row.delay_id,
        id
    );
    // (A key: the save's message goes.)
    press(&mut app, KeyCode::Home);
    let top = draw(&app, 80, 24);
    // Titled by what the user knows, not the database's id.
    assert!(top.starts_with("┌ H001  NHS *** *** 5919 "), "{top}");
    assert!(!top.contains("Delay 1 "), "{top}");
    assert!(top.contains("↓ more: j, PgDn"), "{top}");
    // The history is below the window: j moves a row, PgDn a page, G to the end, g back.
    chr(&mut app, 'j');
    let one = draw(&app, 80, 24);
    assert_ne!(one.lines().nth(1), top.lines().nth(1));
    assert_eq!(one.lines().nth(1), top.lines().nth(2), "{one}");
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::End);
    let end = draw(&app, 80, 24);
    let history = flat(&end);
    assert!(history.contains("History (newest first)"), "{end}");
    // Newest first: the last note above the first, the reason change under the notes, all at
    // 10:00 local (no `T…Z`).
    let newest = history.rfind("Called the provider, call 8").unwrap();
    let oldest_note = history.rfind("Called the provider, call 1").unwrap();
    let reason = history
        .find("2018-08-15 10:00 tester reason from 2018-08-14: Di Social Care -> Dii Social Care")
        .unwrap_or_else(|| panic!("{end}"));
    assert!(newest < oldest_note && oldest_note < reason, "{end}");
    assert!(
        !end.contains("09:00:00Z") && !end.contains("change reason reason"),
        "{end}"
    );
    assert!(end.contains("↑ more: k, PgUp"), "{end}");
    // End again stays at the end; Home is the top.
    press(&mut app, KeyCode::Down);
    assert_eq!(draw(&app, 80, 24), end);
    press(&mut app, KeyCode::Home);
    assert_eq!(draw(&app, 80, 24), top);
    // A delay opened anew starts at its top.
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screens.register.scroll.offset, 0);
    assert_snapshot!("detail_top_80x24", top);
    assert_snapshot!("detail_end_80x24", end);
    press(&mut app, KeyCode::Home);
    assert_snapshot!("detail_160x48", draw(&app, 160, 48));
}

#[test]
fn c_and_2_mean_the_same_in_the_list_and_the_detail() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    // `c` clears the list's filters; in the detail it does nothing (no form opens).
    chr(&mut app, 'R');
    assert!(app.screens.register.reason.is_some());
    chr(&mut app, 'c');
    assert!(app.screens.register.reason.is_none());
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Detail);
    chr(&mut app, 'c');
    assert!(app.form.is_none());
    // `C` corrects the stay, in the detail and on the list's selected row alike.
    chr(&mut app, 'C');
    assert_eq!(app.form.as_ref().unwrap().form.title, " Correct the stay ");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Register);
    chr(&mut app, 'C');
    assert_eq!(app.form.as_ref().unwrap().form.title, " Correct the stay ");
    press(&mut app, KeyCode::Esc);
    // Leaving from the detail, `2` comes back to the list.
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Detail);
    chr(&mut app, '4');
    chr(&mut app, '2');
    assert_eq!(app.context(), Context::Register);
    // And `2` in the detail itself is the list too.
    press(&mut app, KeyCode::Enter);
    chr(&mut app, '2');
    assert_eq!(app.context(), Context::Register);
}

#[test]
fn a_refusal_goes_once_the_field_is_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    chr(&mut app, 'x');
    // Discharged today on pathway 3 to a pathway 0 destination: refused, the form kept.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "3");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "p0_home");
    press(&mut app, KeyCode::Enter);
    let refused = flat(&draw(&app, 80, 24));
    assert!(refused.contains("p0_home is on pathway 0"), "{refused}");
    let f = &mut app.form.as_mut().unwrap().form;
    f.focus = 3;
    set_field(&mut app, "p3_care_home");
    let fixed = flat(&draw(&app, 80, 24));
    assert!(!fixed.contains("p0_home is on pathway 0"), "{fixed}");
    assert!(fixed.contains("p3_care_home"), "{fixed}");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{}", draw(&app, 80, 24));
}

#[test]
fn the_frozen_week_refusal_is_read_whole_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    // 2018-W27 (2–8 July): H001's days (ready 1 July) are in it.
    for (side, by) in [(Side::Nhs, "Ann Nurse"), (Side::Council, "Bob Officer")] {
        // The two sides are signed by two users.
        app.store.set_user(by).unwrap();
        app.store
            .sign_week(
                &SignWeek {
                    week: Week::parse("2018-W27").unwrap(),
                    side,
                    by: by.into(),
                    comment: None,
                },
                today(),
            )
            .unwrap();
    }
    app.reload();
    chr(&mut app, '2');
    chr(&mut app, 'd');
    chr(&mut app, 'y');
    let screen = draw(&app, 80, 24);
    let text = flat(&screen);
    assert!(
        text.contains("Reopen the week first (Weekly screen: go to 2018-W27, press o)"),
        "{screen}"
    );
}

#[test]
fn help_wraps_its_text_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    let mut seen = 0;
    for id in ScreenId::ALL {
        app.update(dtoc::ui::Action::Screen(*id));
        let ctx = app.context();
        chr(&mut app, '?');
        let screen = flat(&draw(&app, 80, 24));
        if let Some(about) = dtoc::ui::about::about(ctx) {
            // Each meaning's words whole (a column of the help wraps under itself, beside the
            // next column), its first word after its name.
            let words: Vec<&str> = screen.split(' ').collect();
            for (name, meaning) in about.columns {
                let first = meaning.split(' ').next().unwrap();
                assert!(
                    screen.contains(&format!("{name} {first}")),
                    "help of {id:?} at 80x24 lacks `{name}  {meaning}`:\n{screen}"
                );
                for w in meaning.split(' ') {
                    assert!(
                        words.contains(&w),
                        "help of {id:?} at 80x24 cuts `{w}` of `{meaning}`:\n{screen}"
                    );
                }
                seen += 1;
            }
        }
        press(&mut app, KeyCode::Esc);
    }
    assert!(seen > 40, "{seen}");
    // The detail's help too, with its scrolling keys.
    chr(&mut app, '2');
    press(&mut app, KeyCode::Enter);
    chr(&mut app, '?');
    let screen = flat(&draw(&app, 80, 24));
    assert!(screen.contains("j/k scroll down / up"), "{screen}");
    assert!(screen.contains("C correct the stay"), "{screen}");
}

#[test]
fn the_tab_row_fits_every_width_from_80() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::cli::demo(&dir);
    let mut app = App::new(Store::open(&db).unwrap(), today());
    for id in [
        ScreenId::ALL[0],
        ScreenId::ALL[7],
        *ScreenId::ALL.last().unwrap(),
    ] {
        app.update(dtoc::ui::Action::Screen(id));
        for w in 80..=200u16 {
            let text = dtoc::ui::render_text_with_tabs(&app, w, 24);
            let row = text.lines().next().unwrap();
            assert!(row.chars().count() <= usize::from(w));
            // It ends with the date; every tab is whole (its title or its short label).
            assert!(row.ends_with("2018-08-15"), "{w}: {row}");
            assert!(
                row.contains(id.short()) || row.contains(id.title()),
                "{w}: {row}"
            );
            for (i, s) in ScreenId::ALL.iter().enumerate().take(9) {
                let n = format!("{} ", i + 1);
                if let Some(at) = row
                    .find(&format!(" {n}"))
                    .or(row.starts_with(&n).then_some(0))
                {
                    let rest = &row[at..].trim_start()[n.len()..];
                    assert!(
                        rest.starts_with(s.title()) || rest.starts_with(s.short()),
                        "{w}: tab {n}cut: {row}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_form_covers_what_is_behind_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    press(&mut app, KeyCode::Enter);
    chr(&mut app, 'n');
    let screen = draw(&app, 80, 24);
    // The note form's rows: between the screen's border and the form's, blank.
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("│>Action") || l.contains("│ │"))
        .collect();
    assert!(!rows.is_empty(), "{screen}");
    for r in rows {
        let c: Vec<char> = r.chars().collect();
        assert_eq!((c[0], c[1], c[2]), ('│', ' ', '│'), "{screen}");
        assert_eq!((c[77], c[78], c[79]), ('│', ' ', '│'), "{screen}");
    }
}
