//! Screen 3: the board round, one open delay at a time, then the census, then totals: its state,
//! keys, census form and drawing.
//!
//! Every delay open when the round starts is shown once, in the order the coordinator picks (site,
//! ward, bed by default). Any action on a delay (still delayed, a reason change, a note, a new
//! ward or expected date, an end) marks it reviewed today in the store, with who did it, so a
//! second coordinator sees it. The census step lists the delays not yet reviewed and goes back to
//! them (`b`); the totals say how many were reviewed, changed and ended.

use crate::domain::LaCode;
use crate::store::{DelayRow, PeriodRow};
use crate::ui::about::About;
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::keymap::{b, ch, Action, Binding, Context, GLOBAL, N, S};
use crate::ui::queue::Event;
use crate::ui::screens::register::forms::{EndForm, ReasonForm};
use crate::ui::screens::register::list::ward_bed;
use crate::ui::screens::register::action_forms::{ActionForm, ActionUpdateForm};
use crate::ui::screens::register::round_forms::PlaceForm;
use crate::ui::screens::{KeyContext, Screen, Slot};
use crate::ui::strings as s;
use crate::ui::widgets::form::{Field, FieldKind, Form};
use crate::ui::widgets::message::Message;
use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
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
fn go_to(app: &mut App, index: usize) {
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

fn review(app: &mut App, action: Action) {
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

/// The day's inpatients, one field per (site, authority) cell, in `cells` order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CensusForm {
    /// (site code, authority code) of each field.
    pub cells: Vec<(String, LaCode)>,
}

impl CensusForm {
    pub fn open(app: &mut App) {
        let mut cells = Vec::new();
        let mut fields = Vec::new();
        for site in &app.data.sites {
            for la in &app.data.authorities {
                let existing = app
                    .data
                    .census
                    .iter()
                    .find(|(s, l, _)| s == &site.code && l == &la.code)
                    .map(|c| c.2.to_string())
                    .unwrap_or_default();
                fields.push(
                    Field::new(
                        format!("{} / {}", site.code, la.display_name()),
                        FieldKind::Number,
                        false,
                    )
                    .with_value(existing),
                );
                cells.push((site.code.clone(), la.code.clone()));
            }
        }
        if cells.is_empty() {
            app.screens.board.phase = BoardPhase::Summary;
            return;
        }
        let mut form = Form::new(s::FORM_CENSUS, fields);
        form.note = Some(census_note(&form, cells.len()));
        app.form = Some(ActiveForm::new(CensusForm { cells }, form));
    }

    /// The cells filled in: (site, authority, inpatients).
    pub fn command(&self, f: &Form) -> crate::Result<Vec<(String, LaCode, u32)>> {
        let inv = |m: String| crate::Error::invalid(m);
        let mut out = Vec::new();
        for (i, (site, la_code)) in self.cells.iter().enumerate() {
            let v = f.value(i);
            if v.is_empty() {
                continue;
            }
            let n: u32 = v.parse().map_err(|_| inv(s::ERR_NOT_NUMBER.to_string()))?;
            out.push((site.clone(), la_code.clone(), n));
        }
        Ok(out)
    }
}

/// Which cells are still empty: "3 of 15 cells missing: RX1 / Rutland, …".
fn census_note(f: &Form, n: usize) -> String {
    let missing: Vec<&str> = f
        .fields
        .iter()
        .filter(|x| x.value().is_empty())
        .map(|x| x.label.as_str())
        .collect();
    if missing.is_empty() {
        return format!("all {n} cells filled");
    }
    let shown: Vec<&str> = missing.iter().take(4).copied().collect();
    format!(
        "{} of {n} cells {}: {}{}",
        missing.len(),
        s::CENSUS_MISSING,
        shown.join(", "),
        if missing.len() > shown.len() {
            ", …"
        } else {
            ""
        }
    )
}

impl FormSpec for CensusForm {
    /// The whole census in one transaction; a census with empty cells is saved, and said to be
    /// partial.
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let cells = self.command(f)?;
        app.store.set_census_all(app.today, &cells)?;
        let note = (cells.len() < self.cells.len()).then(|| {
            format!(
                "partial census: {} of {} cells",
                cells.len(),
                self.cells.len()
            )
        });
        Ok(Saved::note(note))
    }

    fn changed(&self, f: &mut Form, _app: &App, _typed: bool) {
        f.note = Some(census_note(f, self.cells.len()));
    }

    fn saved(&self, app: &mut App) {
        app.screens.board.phase = BoardPhase::Summary;
    }
}

/// The census's coverage today: (sites with every authority's cell filled, sites).
pub fn census_coverage(app: &App) -> (usize, usize) {
    let sites: Vec<&str> = app.data.sites.iter().map(|x| x.code.as_str()).collect();
    crate::domain::census_coverage(
        app.data.census.iter().map(|c| c.0.as_str()),
        &sites,
        app.data.authorities.len(),
    )
}

/// The census's inpatients and its source, for the shares it feeds: `440 inpatients (census)`
/// or `…, census incomplete (3 of 5 sites)`.
pub fn census_label(app: &App) -> String {
    if app.data.census.is_empty() {
        return s::NO_CENSUS_TODAY.to_string();
    }
    let inpatients: u32 = app.data.census.iter().map(|c| c.2).sum();
    let (k, n) = census_coverage(app);
    if k < n {
        format!("{inpatients} inpatients, {}", s::census_incomplete(k, n))
    } else {
        format!("{inpatients} inpatients ({})", s::DENOM_CENSUS)
    }
}

fn review_lines(app: &App, total: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let b = &app.screens.board;
    let Some(d) = current(app) else {
        return vec![Line::raw(if b.ids.is_empty() {
            s::NO_OPEN_DELAYS
        } else {
            s::BOARD_GONE
        })];
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} of {}  ", b.index + 1, total), t.dim()),
            Span::styled(format!("{}  ", d.local_id), t.title()),
            Span::raw(
                d.nhs_number
                    .as_ref()
                    .map(|n| n.masked())
                    .unwrap_or_default(),
            ),
        ]),
        Line::raw(format!(
            "{} ({}), {}; admitted {}, length of stay {}",
            d.site_code,
            d.setting.label(),
            d.la_name.as_deref().unwrap_or(&d.la_code),
            d.admitted_on,
            s::days(d.length_of_stay(app.today))
        )),
        Line::styled(
            format!(
                "{} delayed (ready {})",
                s::days(d.days_delayed(app.today)),
                d.ready_on
            ),
            t.focus(),
        ),
        crate::ui::screens::register::placement_line(d, app),
    ];
    if let Some(e) = d.ended_on {
        lines.push(Line::styled(
            format!("ended {e}: {}", s::BOARD_DONE_ENDED),
            t.warn(),
        ));
    }
    let (actions, overdue) =
        crate::ui::screens::register::actions_view::open_summary(&d.open_actions, app.today);
    lines.push(if overdue {
        Line::styled(actions, t.warn())
    } else {
        Line::raw(actions)
    });
    lines.push(Line::styled(s::REASON_HISTORY, t.header()));
    for p in &b.periods {
        lines.push(Line::raw(crate::ui::screens::register::period_line(
            p, app.today,
        )));
    }
    lines
}

fn census_lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let waiting = unreviewed(app);
    let mut lines = vec![Line::styled(s::FORM_CENSUS.trim().to_string(), t.header())];
    lines.push(Line::raw(census_label(app)));
    lines.push(Line::raw(""));
    if waiting.is_empty() {
        lines.push(Line::styled(s::CENSUS_ALL_REVIEWED, t.ok()));
    } else {
        lines.push(Line::styled(
            format!("{} {}", waiting.len(), s::CENSUS_UNREVIEWED),
            t.warn(),
        ));
        for d in waiting.iter().take(20) {
            let place = ward_bed(d);
            lines.push(Line::raw(format!(
                "  {}  {}  {}  {}",
                d.local_id,
                d.site_code,
                if place.is_empty() { "-" } else { &place },
                s::days(d.days_delayed(app.today))
            )));
        }
        if waiting.len() > 20 {
            lines.push(Line::styled(
                format!("  … and {} more", waiting.len() - 20),
                t.dim(),
            ));
        }
    }
    lines
}

fn summary_lines(app: &App, done: usize, total: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let b = &app.screens.board;
    let open: Vec<_> = app
        .data
        .delays
        .iter()
        .filter(|d| d.ended_on.is_none())
        .collect();
    let days: u32 = open.iter().map(|d| d.days_delayed(app.today)).sum();
    let mut lines = vec![
        Line::styled(s::BOARD_TOTALS, t.header()),
        Line::raw(s::board_totals(done, total, b.changed.len(), b.ended.len())),
        Line::raw(format!("open delays now: {}", open.len())),
        Line::raw(format!("delayed days so far of open delays: {days}")),
        Line::raw(format!("inpatients today: {}", census_label(app))),
    ];
    let waiting = unreviewed(app).len();
    if waiting > 0 {
        lines.push(Line::styled(
            format!("{waiting} not reviewed: u goes back to them"),
            t.warn(),
        ));
    }
    lines
}

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
        let t = &app.theme;
        let b = &app.screens.board;
        let (done, total) = progress(app);
        let ended = if b.ended.is_empty() {
            String::new()
        } else {
            format!(" · {} ended", b.ended.len())
        };
        let title = format!(
            " {}: {}{ended} · order {} ",
            TITLE,
            s::progress(done, total),
            b.order.label()
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Line::styled(title, t.title()));
        let lines = match b.phase {
            BoardPhase::Review => review_lines(app, total),
            BoardPhase::Census => census_lines(app),
            BoardPhase::Summary => summary_lines(app, done, total),
        };
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            area,
        );
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
