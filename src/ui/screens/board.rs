//! Screen 3: the board round, one open delay at a time, then the census, then totals: its state,
//! keys, census form and drawing.

use crate::domain::LaCode;
use crate::store::{DelayRow, PeriodRow};
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::keymap::{Action, Context, ScreenId};
use crate::ui::screens::register::forms::{EndForm, ReasonForm};
use crate::ui::strings as s;
use crate::ui::widgets::form::{Field, FieldKind, Form};
use crate::ui::widgets::message::Message;
use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoardPhase {
    #[default]
    Review,
    Census,
    Summary,
}

#[derive(Debug, Clone, Default)]
pub struct BoardState {
    pub started: bool,
    /// The open delays when the round started, longest first.
    pub ids: Vec<i64>,
    pub index: usize,
    pub phase: BoardPhase,
    /// The reason history of the delay on screen (read when the round moves).
    pub periods: Vec<PeriodRow>,
}

pub const TITLE: &str = "Board round";
pub const SHORT: &str = "Board";

impl BoardState {
    pub fn new(_today: NaiveDate) -> Self {
        Self::default()
    }
}

pub fn context(_app: &App) -> Context {
    Context::Board
}

/// After a reload: the reason history of the delay on screen.
pub fn refresh(app: &mut App) {
    app.screens.board.periods = match app.screens.board.ids.get(app.screens.board.index) {
        Some(id) if app.screens.board.phase == BoardPhase::Review => {
            app.store.periods_of(*id).unwrap_or_default()
        }
        _ => Vec::new(),
    };
}

/// The first time shown: a round over the delays open now.
pub fn show(app: &mut App) {
    if !app.screens.board.started {
        start(app);
    }
}

/// The delay under review.
pub fn current(app: &App) -> Option<&DelayRow> {
    if app.screens.board.phase != BoardPhase::Review {
        return None;
    }
    let id = app.screens.board.ids.get(app.screens.board.index)?;
    app.find_delay(*id)
}

/// Starts a board round over the delays open now.
pub fn start(app: &mut App) {
    app.screens.board = BoardState {
        started: true,
        ids: app
            .data
            .delays
            .iter()
            .filter(|d| d.ended_on.is_none())
            .map(|d| d.delay_id)
            .collect(),
        ..BoardState::default()
    };
    refresh(app);
}

/// Board-round progress: (reviewed today or ended, total in the round).
pub fn progress(app: &App) -> (usize, usize) {
    // One pass over the register (not a search per delay: the round can hold thousands).
    let open_not_reviewed: std::collections::HashSet<i64> = app
        .data
        .delays
        .iter()
        .filter(|d| d.reviewed_on != Some(app.today) && d.ended_on.is_none())
        .map(|d| d.delay_id)
        .collect();
    let done = app
        .screens
        .board
        .ids
        .iter()
        .filter(|id| !open_not_reviewed.contains(id))
        .count();
    (done, app.screens.board.ids.len())
}

pub fn update(app: &mut App, action: Action) {
    match app.screens.board.phase {
        BoardPhase::Review => {}
        BoardPhase::Census => {
            if app.form.is_none() {
                CensusForm::open(app);
            }
            return;
        }
        BoardPhase::Summary => {
            if action == Action::StillDelayed {
                start(app);
            }
            return;
        }
    }
    match action {
        Action::StillDelayed => {
            let Some(id) = current(app).map(|d| d.delay_id) else {
                next(app);
                return;
            };
            match app.store.mark_reviewed(id, app.today) {
                Ok(()) => {
                    app.message = Some(Message::info(s::REVIEWED));
                    // Only this row's review date changed (no counts, no version): set it here
                    // rather than re-read everything, so a round over thousands stays instant.
                    let today = app.today;
                    if let Some(d) = app.data.delays.iter_mut().find(|d| d.delay_id == id) {
                        d.reviewed_on = Some(today);
                    }
                    next(app);
                }
                Err(e) => app.message = Some(Message::error(s::store_error(&e))),
            }
        }
        Action::NextItem => next(app),
        Action::PrevItem => {
            app.screens.board.index = app.screens.board.index.saturating_sub(1);
            refresh(app);
        }
        Action::ChangeReason => ReasonForm::open(app),
        Action::End => EndForm::open(app),
        _ => {}
    }
}

/// On to the next delay; after the last, the census.
pub fn next(app: &mut App) {
    app.screens.board.index += 1;
    if app.screens.board.index >= app.screens.board.ids.len() {
        app.screens.board.index = app.screens.board.ids.len().saturating_sub(1);
        app.screens.board.phase = BoardPhase::Census;
        CensusForm::open(app);
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
        app.form = Some(ActiveForm::new(
            CensusForm { cells },
            Form::new(s::FORM_CENSUS, fields),
        ));
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

impl FormSpec for CensusForm {
    /// The whole census in one transaction.
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let cells = self.command(f)?;
        app.store.set_census_all(app.today, &cells)?;
        Ok(Saved::default())
    }

    fn closed(&self, app: &mut App) {
        if app.screen == ScreenId::Board {
            app.screens.board.phase = BoardPhase::Summary;
        }
    }

    fn saved(&self, app: &mut App) {
        app.screens.board.phase = BoardPhase::Summary;
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let (done, total) = progress(app);
    let title = format!(" {}: {} ", TITLE, s::progress(done, total));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, t.title()));
    let mut lines = Vec::new();
    match app.screens.board.phase {
        BoardPhase::Review => match current(app) {
            None => lines.push(Line::raw(s::NO_OPEN_DELAYS)),
            Some(d) => {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("{} of {}  ", app.screens.board.index + 1, total),
                        t.dim(),
                    ),
                    Span::styled(format!("{}  ", d.local_id), t.title()),
                    Span::raw(
                        d.nhs_number
                            .as_ref()
                            .map(|n| n.masked())
                            .unwrap_or_default(),
                    ),
                ]));
                lines.push(Line::raw(format!(
                    "{} ({}), {}; admitted {}, length of stay {} days",
                    d.site_code,
                    d.setting.label(),
                    d.la_name.as_deref().unwrap_or(&d.la_code),
                    d.admitted_on,
                    d.length_of_stay(app.today)
                )));
                lines.push(Line::styled(
                    format!(
                        "{} days delayed (ready {})",
                        d.days_delayed(app.today),
                        d.ready_on
                    ),
                    t.focus(),
                ));
                match d.reviewed_on {
                    Some(r) if r == app.today => {
                        lines.push(Line::styled(s::REVIEWED_TODAY, t.ok()))
                    }
                    Some(r) => lines.push(Line::raw(format!("last reviewed {r}"))),
                    None => lines.push(Line::raw(s::NOT_REVIEWED)),
                }
                if let Some(e) = d.ended_on {
                    lines.push(Line::styled(format!("ended {e}"), t.warn()));
                }
                lines.push(Line::styled(s::REASON_HISTORY, t.header()));
                {
                    for p in &app.screens.board.periods {
                        lines.push(Line::raw(format!(
                            "  from {}{}  {} {}  ({}){}",
                            p.start,
                            p.end.map(|e| format!(" to {e}")).unwrap_or_default(),
                            p.reason.code(),
                            p.reason.label(),
                            p.attribution.label(),
                            p.acute_reason
                                .map(|a| format!("  acute: {}", a.code()))
                                .unwrap_or_default()
                        )));
                    }
                }
            }
        },
        BoardPhase::Census => lines.push(Line::raw(s::FORM_CENSUS.trim())),
        BoardPhase::Summary => {
            let open: Vec<_> = app
                .data
                .delays
                .iter()
                .filter(|d| d.ended_on.is_none())
                .collect();
            let days: u32 = open.iter().map(|d| d.days_delayed(app.today)).sum();
            let inpatients: u32 = app.data.census.iter().map(|c| c.2).sum();
            lines.push(Line::styled(s::BOARD_TOTALS, t.header()));
            lines.push(Line::raw(s::progress(done, total)));
            lines.push(Line::raw(format!("open delays now: {}", open.len())));
            lines.push(Line::raw(format!(
                "delayed days so far of open delays: {days}"
            )));
            lines.push(Line::raw(if app.data.census.is_empty() {
                s::NO_CENSUS_TODAY.to_string()
            } else {
                format!("inpatients today (census): {inpatients}")
            }));
            lines.push(Line::styled(s::BOARD_RESTART, t.dim()));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}
