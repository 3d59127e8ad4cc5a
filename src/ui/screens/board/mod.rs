//! Screen 3: the board round, one open delay at a time, then the census, then totals: its state,
//! keys, census form and drawing.
//!
//! Every delay open when the round starts is shown once, in the order the coordinator picks (site,
//! ward, bed by default). Any action on a delay (still delayed, a reason change, a note, a new
//! ward or expected date, an end) marks it reviewed today in the store, with who did it, so a
//! second coordinator sees it. The census step lists the delays not yet reviewed and goes back to
//! them (`b`); the totals say how many were reviewed, changed and ended.
//!
//! `round` moves through the ring (review step, census step, totals), `census` is the census
//! form and its figures, `render` draws each step, `keys` holds each step's keys and `?` text.

mod census;
mod keys;
mod render;
mod round;

pub use census::{census_coverage, census_label, census_ward_lines, CensusForm};
pub use keys::{ABOUT, CENSUS_ABOUT, CENSUS_KEYS, KEYS, SUMMARY_ABOUT, SUMMARY_KEYS};
use round::{go_to, review};
pub use round::{
    current, mark_reviewed, next, next_unreviewed, progress, refresh, show, start, unreviewed,
};

use crate::store::{DelayRow, PeriodRow};
use crate::ui::app::App;
use crate::ui::keymap::{Action, Context, GLOBAL};
use crate::ui::queue::Event;
use crate::ui::screens::{KeyContext, Screen, Slot};
use crate::ui::strings as s;
use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoardPhase {
    #[default]
    Review,
    Census,
    Summary,
}

/// The order of the round (`o` cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoardOrder {
    /// Site, then ward, then bed (as the coordinator walks the wards).
    #[default]
    Place,
    /// Longest delayed first.
    Delayed,
    LocalId,
}

impl BoardOrder {
    const ALL: [BoardOrder; 3] = [Self::Place, Self::Delayed, Self::LocalId];

    pub fn label(self) -> &'static str {
        s::BOARD_ORDER[self as usize]
    }

    fn next(self) -> Self {
        Self::ALL[(self as usize + 1) % Self::ALL.len()]
    }
}

#[derive(Debug, Clone, Default)]
pub struct BoardState {
    pub started: bool,
    /// The open delays when the round started, in `order`.
    pub ids: Vec<i64>,
    pub index: usize,
    pub phase: BoardPhase,
    pub order: BoardOrder,
    /// The delay on screen as stored now (it may have ended during the round).
    pub row: Option<DelayRow>,
    /// The reason history of the delay on screen (read when the round moves).
    pub periods: Vec<PeriodRow>,
    /// Delays whose reason, ward, bed or expected date changed during the round.
    pub changed: HashSet<i64>,
    /// Delays ended during the round.
    pub ended: HashSet<i64>,
}

pub const TITLE: &str = "Board round";
pub const SHORT: &str = "Board";

impl Screen for BoardState {
    const TITLE: &'static str = TITLE;
    const SHORT: &'static str = SHORT;
    const CONTEXTS: &'static [KeyContext] = &[
        (Context::Board, &[GLOBAL, KEYS], &ABOUT),
        (Context::BoardCensus, &[GLOBAL, CENSUS_KEYS], &CENSUS_ABOUT),
        (Context::BoardSummary, &[GLOBAL, SUMMARY_KEYS], &SUMMARY_ABOUT),
    ];

    fn new(_today: NaiveDate) -> Self {
        Self::default()
    }

    fn context(app: &App) -> Context {
        match app.screens.board.phase {
            BoardPhase::Review => Context::Board,
            BoardPhase::Census => Context::BoardCensus,
            BoardPhase::Summary => Context::BoardSummary,
        }
    }

    fn update(app: &mut App, action: Action) {
        match app.screens.board.phase {
            BoardPhase::Review => review(app, action),
            BoardPhase::Census => match action {
                Action::Back | Action::NextUnreviewed => next_unreviewed(app),
                Action::Census => CensusForm::open(app),
                Action::StillDelayed => app.screens.board.phase = BoardPhase::Summary,
                // The ring goes on: after the census the first delay, before it the last.
                Action::NextItem | Action::Top => go_to(app, 0),
                Action::PrevItem | Action::Bottom => go_to(app, usize::MAX),
                _ => {}
            },
            BoardPhase::Summary => match action {
                Action::StillDelayed => start(app),
                Action::Back | Action::NextUnreviewed => next_unreviewed(app),
                _ => {}
            },
        }
    }

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        render::render(frame, area, app)
    }

    fn refresh(app: &mut App) {
        refresh(app)
    }

    fn show(app: &mut App) {
        show(app)
    }

    /// A delay saved while the round is shown (its forms are opened from the round): a reason,
    /// ward, bed or expected date counts as changed; an end counts as ended, and the round moves
    /// on to the next delay.
    fn handle(app: &mut App, event: &Event) {
        let Event::DelaySaved { id, ended } = *event else {
            return;
        };
        if app.screen != Self::ID {
            return;
        }
        if ended {
            app.screens.board.ended.insert(id);
            next(app);
        } else {
            app.screens.board.changed.insert(id);
        }
    }

    fn selected_delay(app: &App) -> Option<&DelayRow> {
        current(app)
    }
}
