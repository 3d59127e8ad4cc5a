//! Nothing important is cut at 80×24: the help popup of every screen lists every key of that screen
//! with its whole description, and the Weekly and Reconcile screens wrap their long lines (unsigned
//! weeks, sign-off names, the "nothing to reconcile" advice) instead of cutting them.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::ui::keymap::hints;
use dtoc::ui::ScreenId;

/// The screen's text with the box-drawing borders and line breaks turned into spaces and runs of
/// spaces squeezed, so that a sentence wrapped over two rows reads as one.
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

#[test]
fn help_lists_every_key_of_every_screen_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    for id in ScreenId::ALL {
        app.update(dtoc::ui::Action::Screen(*id));
        assert_eq!(app.screen, *id);
        let ctx = app.context();
        chr(&mut app, '?');
        assert!(app.help, "? opens help on {id:?}");
        let screen = draw(&app, 80, 24);
        // Each key with its description whole: on its row, or wrapped under itself where the
        // help needs three columns (the words all there, the first after the key).
        let words = flat(&screen);
        let words: Vec<&str> = words.split(' ').collect();
        for (keys, what) in hints(ctx, false) {
            let first = what.split(' ').next().unwrap();
            assert!(
                screen.contains(&format!("{keys:>9}  {first}")),
                "help of {id:?} at 80x24 lacks `{keys}  {what}`:\n{screen}"
            );
            for w in what.split(' ') {
                assert!(
                    words.contains(&w),
                    "help of {id:?} at 80x24 cuts `{w}` of `{what}`:\n{screen}"
                );
            }
        }
        press(&mut app, KeyCode::Esc);
        assert!(!app.help);
    }
}

#[test]
fn reconcile_wraps_unsigned_weeks_and_advice_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir);
    chr(&mut app, '9');
    assert_eq!(app.screen, ScreenId::Reconcile);
    let screen = flat(&draw(&app, 80, 24));
    // July 2018 has 31 days in five ISO weeks W26..W31 none of them signed.
    assert!(
        screen.contains(
            "31 calendar days in weeks not signed by both sides (2018-W26, 2018-W27, 2018-W28, 2018-W29, 2018-W30, 2018-W31)"
        ),
        "{screen}"
    );
    assert!(
        screen.contains(
            "Nothing to reconcile: no signed weeks or reported figures for this month (i: import the hospital's figures)."
        ),
        "{screen}"
    );
}

#[test]
fn weekly_message_and_sign_off_wrap_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '8');
    for (who, user) in [("Ann Nurse", "ann"), ("Bob Officer", "bob")] {
        // Two sides, two users (issue 26).
        app.store.set_user(user).unwrap();
        chr(&mut app, 's');
        press(&mut app, KeyCode::Tab);
        typ(&mut app, who);
        press(&mut app, KeyCode::Enter);
        assert!(
            app.form.is_none(),
            "{:?}",
            app.form.as_ref().map(|f| &f.form.error)
        );
    }
    let screen = flat(&draw(&app, 80, 24));
    // The whole save note (two rows) and both signatures (wrapped in the box).
    assert!(
        screen.contains(
            "Saved. Week 2018-W32 signed for the council side by Bob Officer (17 delayed days)."
        ),
        "{screen}"
    );
    assert!(
        screen.contains("council signed by Bob Officer at 2018-08-15 09:00"),
        "{screen}"
    );
}

/// The register's filter line at 80 columns: with every quick filter on and a long typed text,
/// the quick filters stay whole (the text is cut from its start with `…`); while typing, the end of
/// the text and the cursor show. The list says how many of the register's rows it shows, and an
/// empty list says the filters hide them.
#[test]
fn register_filter_line_keeps_the_quick_filters_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '2');
    let all = app.data.delays.len();
    for c in ['s', 'R', 'A', 'L', 'S'] {
        chr(&mut app, c);
    }
    chr(&mut app, '/');
    typ(
        &mut app,
        "a long text typed into the filter, longer than the line of eighty columns is wide",
    );
    let filter_line = |screen: &str| {
        screen
            .lines()
            .find(|l| l.starts_with("/ "))
            .unwrap()
            .to_string()
    };
    let typing = draw(&app, 80, 24);
    let line = filter_line(&typing);
    assert!(line.ends_with("eighty columns is wide▏"), "{typing}");
    press(&mut app, KeyCode::Enter);
    let screen = draw(&app, 80, 24);
    let line = filter_line(&screen);
    assert!(line.starts_with("/ …"), "{screen}");
    assert!(line.ends_with(", sort ward and bed]"), "{screen}");
    assert!(line.contains("[reason "), "{screen}");
    assert!(line.contains(", site "), "{screen}");
    assert!(
        screen.contains(&format!("Register (0 of {all})")),
        "{screen}"
    );
    assert!(
        screen.contains("No delays match the filters: c clears them."),
        "{screen}"
    );
    chr(&mut app, 'c');
    press(&mut app, KeyCode::Esc);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains(&format!("Register ({all})")), "{screen}");
}

/// The Report screen marks a period not every day of which is counted: on 15/08/2018 August
/// counts 14 of its 31 days (to the 14th), so its rows read `2018-08*` with the note under the
/// table; July, complete, has no mark; by quarter, 2018/19 Q2 counts July and August of its three
/// months. At 80×24 and 160×48 alike.
#[test]
fn report_marks_the_month_in_progress_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '5');
    assert_eq!(app.screen, ScreenId::Report);
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = draw(&app, w, h);
        let rows: Vec<&str> = screen.lines().filter(|l| l.starts_with("│20")).collect();
        assert!(rows.iter().any(|l| l.starts_with("│2018-08*")), "{screen}");
        assert!(
            rows.iter()
                .filter(|l| l.starts_with("│2018-08"))
                .all(|l| l.starts_with("│2018-08*")),
            "{screen}"
        );
        assert!(rows.iter().any(|l| l.starts_with("│2018-07 ")), "{screen}");
        assert!(!screen.contains("2018-07*"), "{screen}");
        assert!(
            screen.contains("* not complete: 2018-08 counts 14 of its 31 days, to 14/08/2018"),
            "{screen}"
        );
    }
    chr(&mut app, 'p');
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("│2018/19 Q2* "), "{screen}");
    assert!(
        screen.contains("* not complete: 2018/19 Q2 counts 2 of its 3 months, to 14/08/2018"),
        "{screen}"
    );
}
