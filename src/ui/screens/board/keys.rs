//! The round's keys for each step (the footer and `?` come from them) and its `?` texts.

use crate::ui::about::About;
use crate::ui::keymap::{b, ch, Action, Binding, N, S};
use crossterm::event::KeyCode;

// Its keys (the footer and `?` come from them) and its `?` text.
pub const KEYS: &[Binding] = &[
    b!(
        "Enter",
        Action::StillDelayed,
        "still delayed, next",
        true,
        [(KeyCode::Enter, N)]
    ),
    b!(
        "→",
        Action::NextItem,
        "next",
        true,
        [(KeyCode::Right, N), ch(' ')]
    ),
    b!(
        "←/p",
        Action::PrevItem,
        "previous",
        false,
        [ch('p'), (KeyCode::Left, N)]
    ),
    b!(
        "u",
        Action::NextUnreviewed,
        "next not reviewed",
        true,
        [ch('u')]
    ),
    b!("c", Action::Census, "census step", true, [ch('c')]),
    b!(
        "g/G",
        Action::Top,
        "first / last delay",
        false,
        [ch('g'), (KeyCode::Home, N)]
    ),
    b!(
        "",
        Action::Bottom,
        "",
        false,
        [ch('G'), (KeyCode::Char('G'), S), (KeyCode::End, N)]
    ),
    b!("r", Action::ChangeReason, "reason", true, [ch('r')]),
    b!("n", Action::Note, "action", true, [ch('n')]),
    b!(
        "m",
        Action::UpdateAction,
        "action done/cancel/edit",
        false,
        [ch('m')]
    ),
    b!("w", Action::Place, "ward/bed/expected", false, [ch('w')]),
    b!("x", Action::End, "ended", true, [ch('x')]),
    b!("o", Action::Sort, "order", false, [ch('o')]),
];

pub const CENSUS_KEYS: &[Binding] = &[
    b!("c", Action::Census, "census form", true, [ch('c')]),
    b!(
        "u/b",
        Action::NextUnreviewed,
        "first not reviewed today",
        true,
        [ch('u'), ch('b')]
    ),
    b!(
        "→",
        Action::NextItem,
        "first delay (the round wraps)",
        false,
        [(KeyCode::Right, N), ch(' '), ch('g'), (KeyCode::Home, N)]
    ),
    b!(
        "←/p",
        Action::PrevItem,
        "last delay",
        false,
        [
            ch('p'),
            (KeyCode::Left, N),
            ch('G'),
            (KeyCode::Char('G'), S),
            (KeyCode::End, N)
        ]
    ),
    b!(
        "Enter",
        Action::StillDelayed,
        "totals",
        true,
        [(KeyCode::Enter, N)]
    ),
];

pub const SUMMARY_KEYS: &[Binding] = &[
    b!(
        "Enter",
        Action::StillDelayed,
        "start a new round",
        true,
        [(KeyCode::Enter, N)]
    ),
    b!(
        "u/b",
        Action::NextUnreviewed,
        "back to the first not reviewed",
        true,
        [ch('u'), ch('b')]
    ),
];

pub const ABOUT: About = About {
    purpose: "The morning board round: each open delay once, ward by ward (site, ward and bed in \
              natural order; o changes it); Enter (still delayed), a reason change, an action or an \
              end marks it reviewed today. u jumps to the next one not reviewed, c to the census \
              step; the round is a ring: after the last delay the census, then the first again \
              (g/G first and last). The count is over the delays open now: a delay added joins \
              the round, one ended leaves the count.",
    columns: &[],
};

pub const CENSUS_ABOUT: About = About {
    purpose: "The census step of the board round: the delays not yet reviewed today (u or b goes \
              to the first of them; → the first delay, ← the last), then today's inpatients by \
              site and authority (c; a missing cell is shown; a partial census is saved as \
              partial).",
    columns: &[],
};

pub const SUMMARY_ABOUT: About = About {
    purpose: "The round's totals: reviewed n of the delays open now, changed, ended.",
    columns: &[],
};
