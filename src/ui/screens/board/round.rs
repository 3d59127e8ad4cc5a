//! The round's navigation: its order, the delay shown, the ring of delays and census, what is
//! still to review, and the keys of the review step.

use super::census::CensusForm;
use super::{BoardOrder, BoardPhase, BoardState};
use crate::store::DelayRow;
use crate::ui::app::App;
use crate::ui::keymap::Action;
use crate::ui::screens::register::forms::{EndForm, ReasonForm};
use crate::ui::screens::register::action_forms::{ActionForm, ActionUpdateForm};
use crate::ui::screens::register::round_forms::PlaceForm;
use crate::ui::strings as s;
use crate::ui::widgets::message::Message;
use chrono::NaiveDate;
use std::collections::HashSet;

/// After a reload: delays opened since join the round; the delay on screen and its reason
/// history, read again.
pub fn refresh(app: &mut App) {
    take_new_delays(app);
    let b = &app.screens.board;
    let id = match b.ids.get(b.index) {
        Some(id) if b.phase == BoardPhase::Review => Some(*id),
        _ => None,
    };
    let (row, periods) = match id {
        Some(id) => (
            app.store.delay_row(id).ok().flatten(),
            app.store.periods_of(id).unwrap_or_default(),
        ),
        None => (None, Vec::new()),
    };
    app.screens.board.row = row;
    app.screens.board.periods = periods;
}

/// The first time shown: a round over the delays open now.
pub fn show(app: &mut App) {
    if !app.screens.board.started {
        start(app);
    }
}

/// The delay under review (as stored now: ended ones too, until the round moves on).
pub fn current(app: &App) -> Option<&DelayRow> {
    if app.screens.board.phase != BoardPhase::Review {
        return None;
    }
    app.screens.board.row.as_ref()
}

/// The round's delays in `order`.
fn ordered(app: &App, order: BoardOrder) -> Vec<i64> {
    let open: Vec<&DelayRow> = app
        .data
        .delays
        .iter()
        .filter(|d| d.ended_on.is_none())
        .collect();
    sorted(open, order, app.today)
}

/// Delays in `order`: site, ward and bed in natural order (`Ward 7` before `Ward 10`, any case),
/// longest delayed first, or by local id.
fn sorted(mut open: Vec<&DelayRow>, order: BoardOrder, today: NaiveDate) -> Vec<i64> {
    match order {
        BoardOrder::Place => open.sort_by(|a, b| a.cmp_place(b)),
        BoardOrder::Delayed => {
            open.sort_by_key(|d| (std::cmp::Reverse(d.days_delayed(today)), d.delay_id))
        }
        BoardOrder::LocalId => open.sort_by(|a, b| {
            crate::domain::natural_cmp(&a.local_id, &b.local_id)
                .then_with(|| a.delay_id.cmp(&b.delay_id))
        }),
    }
    open.into_iter().map(|d| d.delay_id).collect()
}

/// Delays opened since the round started (added here or by another user) join it at its end,
/// so its counts are over every open delay.
fn take_new_delays(app: &mut App) {
    let b = &app.screens.board;
    if !b.started {
        return;
    }
    let known: HashSet<i64> = b.ids.iter().copied().collect();
    let new: Vec<&DelayRow> = app
        .data
        .delays
        .iter()
        .filter(|d| d.ended_on.is_none() && !known.contains(&d.delay_id))
        .collect();
    if new.is_empty() {
        return;
    }
    let new = sorted(new, b.order, app.today);
    app.screens.board.ids.extend(new);
}

/// Starts a board round over the delays open now, in the order chosen.
pub fn start(app: &mut App) {
    let order = app.screens.board.order;
    app.screens.board = BoardState {
        started: true,
        ids: ordered(app, order),
        order,
        ..BoardState::default()
    };
    refresh(app);
}

/// The round's delays still open and not reviewed today, in the round's order.
pub fn unreviewed(app: &App) -> Vec<&DelayRow> {
    let open: std::collections::HashMap<i64, &DelayRow> = app
        .data
        .delays
        .iter()
        .filter(|d| d.ended_on.is_none())
        .map(|d| (d.delay_id, d))
        .collect();
    app.screens
        .board
        .ids
        .iter()
        .filter_map(|id| open.get(id).copied())
        .filter(|d| d.reviewed_on != Some(app.today))
        .collect()
}

/// Board-round progress over the delays open now: (reviewed today, open). A delay opened
/// since the round started counts (it joins the round); one ended during it does not.
pub fn progress(app: &App) -> (usize, usize) {
    let open = app
        .data
        .delays
        .iter()
        .filter(|d| d.ended_on.is_none())
        .count();
    (open - unreviewed(app).len(), open)
}

/// Moves the round to the delay at `index` (review step).
pub(super) fn go_to(app: &mut App, index: usize) {
    let b = &mut app.screens.board;
    b.index = index.min(b.ids.len().saturating_sub(1));
    b.phase = if b.ids.is_empty() {
        BoardPhase::Census
    } else {
        BoardPhase::Review
    };
    refresh(app);
}

/// To the census step (the end of the round's ring).
fn to_census(app: &mut App) {
    app.screens.board.phase = BoardPhase::Census;
    refresh(app);
}

/// The next delay not reviewed today after the one shown (from the first on the census and
/// totals steps), wrapping; the census step when every one is reviewed.
pub fn next_unreviewed(app: &mut App) {
    let waiting: HashSet<i64> = unreviewed(app).iter().map(|d| d.delay_id).collect();
    let b = &app.screens.board;
    let n = b.ids.len();
    let start = if b.phase == BoardPhase::Review {
        b.index + 1
    } else {
        0
    };
    let found = (0..n)
        .map(|k| (start + k) % n)
        .find(|&i| waiting.contains(&b.ids[i]));
    match found {
        Some(i) => go_to(app, i),
        None => {
            app.message = Some(Message::info(s::CENSUS_ALL_REVIEWED));
            to_census(app);
        }
    }
}

/// Marks a delay reviewed today ("still delayed"), saying so; whether it was saved.
pub fn mark_reviewed(app: &mut App, id: i64) -> bool {
    match app.store.mark_reviewed(id, app.today) {
        Ok(()) => {
            app.message = Some(Message::info(s::REVIEWED));
            // Only this row's review changed (no counts, no version): set it here rather than
            // re-read everything, so a round over thousands stays instant.
            let (today, user) = (app.today, app.store.user().to_string());
            if let Some(d) = app.data.delays.iter_mut().find(|d| d.delay_id == id) {
                d.reviewed_on = Some(today);
                d.reviewed_by = Some(user);
            }
            true
        }
        Err(e) => {
            app.message = Some(Message::error(s::store_error(&e)));
            false
        }
    }
}

pub(super) fn review(app: &mut App, action: Action) {
    match action {
        Action::StillDelayed => {
            let Some(id) = current(app)
                .filter(|d| d.ended_on.is_none())
                .map(|d| d.delay_id)
            else {
                next(app);
                return;
            };
            if mark_reviewed(app, id) {
                next(app);
            }
        }
        Action::NextItem => next(app),
        // Before the first: the census step, the end of the ring.
        Action::PrevItem if app.screens.board.index == 0 => to_census(app),
        Action::PrevItem => go_to(app, app.screens.board.index - 1),
        Action::Top => go_to(app, 0),
        Action::Bottom => go_to(app, usize::MAX),
        Action::NextUnreviewed => next_unreviewed(app),
        Action::Census => to_census(app),
        Action::ChangeReason => ReasonForm::open(app),
        Action::End => EndForm::open(app),
        Action::Note => ActionForm::open(app),
        Action::UpdateAction => ActionUpdateForm::open(app),
        Action::Place => PlaceForm::open(app),
        Action::Sort => {
            let b = &app.screens.board;
            let at = b.ids.get(b.index).copied();
            let order = b.order.next();
            let ids = ordered(app, order);
            // Delays ended during the round stay in it, at the end.
            let mut all = ids.clone();
            all.extend(b.ids.iter().filter(|id| !ids.contains(id)));
            let b = &mut app.screens.board;
            b.index = at
                .and_then(|id| all.iter().position(|x| *x == id))
                .unwrap_or(0);
            b.ids = all;
            b.order = order;
            refresh(app);
        }
        _ => {}
    }
}

/// On to the next delay; after the last, the census step (its form at once when every delay
/// has been reviewed).
pub fn next(app: &mut App) {
    app.screens.board.index += 1;
    if app.screens.board.index >= app.screens.board.ids.len() {
        app.screens.board.index = app.screens.board.ids.len().saturating_sub(1);
        app.screens.board.phase = BoardPhase::Census;
        if unreviewed(app).is_empty() {
            CensusForm::open(app);
        }
    }
    refresh(app);
}
