//! The ward board (issue 26): every open delay on one page, grouped by site and ward (wards and
//! beds in natural order: Ward 7 before Ward 10, bed 2 before bed 10, `ward 7` the same ward as
//! `Ward 7`), one line each: bed, local id, days delayed, planned pathway, reason, expected
//! discharge (`!` once passed), reviewed today. A ward on the site's ward list shows its name and
//! beds; one not on the list is shown as such. Scrolls at 80×24; at 120 columns and more the
//! line also gives the authority, the ready date, the reason's words and the newest note.

use crate::domain::{find_ward, natural_cmp, natural_cmp_opt, Ward};
use crate::store::DelayRow;
use crate::ui::about::About;
use crate::ui::app::App;
use crate::ui::keymap::{b, ch, Action, Binding, Context, GLOBAL, MOVE, N};
use crate::ui::screens::register::forms::{EndForm, ReasonForm};
use crate::ui::screens::register::list::{attribution_short, expected_cell, OVERDUE_MARK};
use crate::ui::screens::register::action_forms::{ActionForm, ActionUpdateForm};
use crate::ui::screens::register::round_forms::PlaceForm;
use crate::ui::screens::{cut, la_label, move_sel, KeyContext, Screen, Slot};
use crate::ui::strings as s;
use crate::ui::widgets::table::window_start;
use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use std::cmp::Ordering;

#[derive(Debug, Clone, Default)]
pub struct WardBoardState {
    /// The selected patient, in board order.
    pub selected: usize,
}

pub const TITLE: &str = "Ward board";
pub const SHORT: &str = "Wards";

/// The ward a delay's stay names: the ward list's when it is on it (matched by code or name,
/// any case), else the stay's own text, else none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WardOf<'a> {
    Listed(&'a Ward),
    NotListed(&'a str),
    None,
}

impl WardOf<'_> {
    /// The text the board orders and groups by.
    fn key(&self) -> Option<&str> {
        match self {
            Self::Listed(w) => Some(&w.code),
            Self::NotListed(t) => Some(t),
            Self::None => None,
        }
    }
}

/// The ward of `d` as the ward list knows it.
pub fn ward_of<'a>(wards: &'a [Ward], d: &'a DelayRow) -> WardOf<'a> {
    match d.ward.as_deref() {
        None => WardOf::None,
        Some(text) => find_ward(wards, &d.site_code, text)
            .map_or(WardOf::NotListed(text), WardOf::Listed),
    }
}

/// One ward's patients on the board.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    pub site: &'a str,
    pub ward: WardOf<'a>,
    pub rows: Vec<&'a DelayRow>,
}

/// The open delays grouped by site and ward, in natural order (no ward last), each ward's
/// patients by bed then local id.
pub fn groups(app: &App) -> Vec<Group<'_>> {
    let wards = &app.data.wards;
    let mut open: Vec<(WardOf<'_>, &DelayRow)> = app
        .data
        .delays
        .iter()
        .filter(|d| d.ended_on.is_none())
        .map(|d| (ward_of(wards, d), d))
        .collect();
    open.sort_by(|(wa, a), (wb, b)| {
        natural_cmp(&a.site_code, &b.site_code)
            .then_with(|| natural_cmp_opt(wa.key(), wb.key()))
            .then_with(|| natural_cmp_opt(a.bed.as_deref(), b.bed.as_deref()))
            .then_with(|| natural_cmp(&a.local_id, &b.local_id))
            .then_with(|| a.delay_id.cmp(&b.delay_id))
    });
    let mut out: Vec<Group<'_>> = Vec::new();
    for (ward, d) in open {
        match out.last_mut() {
            Some(g)
                if g.site == d.site_code
                    && natural_cmp_opt(g.ward.key(), ward.key()) == Ordering::Equal =>
            {
                g.rows.push(d)
            }
            _ => out.push(Group {
                site: &d.site_code,
                ward,
                rows: vec![d],
            }),
        }
    }
    out
}

/// The board's patients in order (what the selection moves over).
pub fn patients(app: &App) -> Vec<&DelayRow> {
    groups(app).into_iter().flat_map(|g| g.rows).collect()
}

/// The selected patient.
fn selected(app: &App) -> Option<&DelayRow> {
    patients(app).get(app.screens.ward_board.selected).copied()
}

/// A ward's heading: `RX1 · W7 Ward 7 · 28 beds · 4 delayed, 1 not reviewed today`.
fn heading(g: &Group<'_>, today: NaiveDate) -> String {
    let ward = match &g.ward {
        WardOf::Listed(w) => match w.beds {
            Some(b) => format!("{} · {b} beds", w.label()),
            None => w.label(),
        },
        WardOf::NotListed(t) => format!("{t} ({})", s::WARD_NOT_LISTED),
        WardOf::None => s::NO_WARD.to_string(),
    };
    let waiting = g
        .rows
        .iter()
        .filter(|d| d.reviewed_on != Some(today))
        .count();
    let mut text = format!("{} · {ward} · {} delayed", g.site, g.rows.len());
    if waiting > 0 {
        text.push_str(&format!(", {waiting} not reviewed today"));
    }
    text
}

/// A text cut or padded to `w` characters.
fn pad(text: &str, w: usize) -> String {
    format!("{:<w$}", cut(text, w))
}

/// The widths of the fixed columns: bed, local id (never cut).
fn widths(rows: &[&DelayRow]) -> (usize, usize) {
    let bed = rows
        .iter()
        .filter_map(|d| d.bed.as_deref())
        .map(|b| b.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(3, 8);
    let id = rows
        .iter()
        .map(|d| d.local_id.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    (bed, id)
}

/// The column heading line.
fn header_line(bed: usize, id: usize, wide: bool) -> String {
    let mut h = format!(
        "  {} {} {:>4} {} {:<4} {:<4} {:<11} {:<3} {:<3}",
        pad("Bed", bed),
        pad("Local id", id),
        "Days",
        "P",
        "Rsn",
        "Attr",
        "Expected",
        "Rev",
        "Act"
    );
    if wide {
        h.push_str(&format!(
            " {:<16} {:<10} {}",
            "Authority", "Ready", "Reason · next action"
        ));
    } else {
        h.push_str(" LA");
    }
    h
}

/// One patient's line (without the selection mark).
fn patient_spans(
    d: &DelayRow,
    app: &App,
    (bed, id): (usize, usize),
    wide: bool,
    width: usize,
) -> Vec<Span<'static>> {
    let t = &app.theme;
    let today = app.today;
    let exp = expected_cell(d, today, false);
    let reviewed = d.reviewed_on == Some(today);
    let head = format!(
        "{} {} {:>4} {} {:<4} {:<4} ",
        pad(d.bed.as_deref().unwrap_or("-"), bed),
        pad(&d.local_id, id),
        d.days_delayed(today),
        d.planned_pathway
            .map_or("-".to_string(), |p| p.number().to_string()),
        d.reason.code(),
        attribution_short(d.attribution),
    );
    let exp_text = if exp.text.is_empty() {
        "-".to_string()
    } else {
        exp.text.clone()
    };
    let mut spans = vec![
        Span::raw(head),
        if exp.warn {
            Span::styled(format!("{exp_text:<11}"), t.warn())
        } else {
            Span::raw(format!("{exp_text:<11}"))
        },
        Span::raw(" "),
        if reviewed {
            Span::raw(format!("{:<3}", s::YES))
        } else {
            Span::styled(format!("{:<3}", s::NO), t.warn())
        },
        Span::raw(" "),
        actions_cell(d, today, t),
    ];
    let used: usize = 2 + spans.iter().map(|x| x.content.chars().count()).sum::<usize>();
    let rest = width.saturating_sub(used + 1);
    let la = la_label(app, &d.la_code);
    if wide {
        let mut tail = format!("{} {} {}", pad(&la, 16), d.ready_on, d.reason.label());
        if let Some(next) = &d.open_actions.next_text {
            tail.push_str(&format!(
                " · {}: {next}",
                d.open_actions.next_owner.as_deref().unwrap_or("-")
            ));
        }
        spans.push(Span::styled(format!(" {}", cut(&tail, rest)), t.dim()));
    } else {
        spans.push(Span::styled(format!(" {}", cut(&la, rest)), t.dim()));
    }
    spans
}

/// The open-actions cell: how many, `!` (and the warning colour) once one is overdue.
fn actions_cell(d: &DelayRow, today: chrono::NaiveDate, t: &crate::ui::theme::Theme) -> Span<'static> {
    let cell = format!(
        "{:<3}",
        crate::ui::screens::register::actions_view::open_cell(&d.open_actions, today)
    );
    if d.open_actions.overdue(today) {
        Span::styled(cell, t.warn())
    } else {
        Span::raw(cell)
    }
}

/// The board's lines (ward headings and patients) and the line of each patient.
fn lines(app: &App, width: usize) -> (Vec<Line<'static>>, Vec<usize>) {
    let t = &app.theme;
    let groups = groups(app);
    let all: Vec<&DelayRow> = groups.iter().flat_map(|g| g.rows.iter().copied()).collect();
    let w = widths(&all);
    let wide = width >= 118;
    let sel = app.screens.ward_board.selected;
    let mut out = vec![Line::styled(cut(&header_line(w.0, w.1, wide), width), t.header())];
    let mut at = Vec::with_capacity(all.len());
    let mut i = 0;
    for g in &groups {
        out.push(Line::styled(cut(&heading(g, app.today), width), t.title()));
        for d in &g.rows {
            at.push(out.len());
            let mut spans = vec![Span::raw(if i == sel { "> " } else { "  " })];
            spans.extend(patient_spans(d, app, w, wide, width));
            let line = Line::from(spans);
            out.push(if i == sel {
                line.style(t.selected())
            } else {
                line
            });
            i += 1;
        }
    }
    (out, at)
}

fn next_unreviewed(app: &mut App) {
    let rows = patients(app);
    let n = rows.len();
    let start = app.screens.ward_board.selected + 1;
    let found = (0..n)
        .map(|k| (start + k) % n.max(1))
        .find(|&i| rows[i].reviewed_on != Some(app.today));
    match found {
        Some(i) => app.screens.ward_board.selected = i,
        None => {
            app.message = Some(crate::ui::widgets::message::Message::info(
                s::CENSUS_ALL_REVIEWED,
            ))
        }
    }
}

/// The first patient of the next (or previous) ward, wrapping.
fn jump_ward(app: &mut App, forward: bool) {
    let starts: Vec<usize> = groups(app)
        .iter()
        .scan(0, |n, g| {
            let at = *n;
            *n += g.rows.len();
            Some(at)
        })
        .collect();
    if starts.is_empty() {
        return;
    }
    let sel = app.screens.ward_board.selected;
    let here = starts.iter().rposition(|s| *s <= sel).unwrap_or(0);
    let to = if forward {
        (here + 1) % starts.len()
    } else if starts[here] < sel {
        here
    } else {
        (here + starts.len() - 1) % starts.len()
    };
    app.screens.ward_board.selected = starts[to];
}

pub const KEYS: &[Binding] = &[
    b!(
        "Enter",
        Action::StillDelayed,
        "still delayed (reviewed)",
        true,
        [(KeyCode::Enter, N)]
    ),
    b!(
        "u",
        Action::NextUnreviewed,
        "next not reviewed today",
        true,
        [ch('u')]
    ),
    b!(
        "]/[",
        Action::NextItem,
        "next / previous ward",
        true,
        [ch(']')]
    ),
    b!("", Action::PrevItem, "", false, [ch('[')]),
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
    b!("x", Action::End, "ended", false, [ch('x')]),
];

pub const ABOUT: About = About {
    purpose: "Every open delay on one page, ward by ward (site, then ward and bed in natural \
              order; wards on the site's ward list show their name and beds, others say they \
              are not on it). Enter marks the selected patient still delayed (reviewed today); \
              r, n, w and x as on the board round.",
    columns: &[
        ("Bed", "the bed (- not known)"),
        ("Days", "days delayed so far"),
        ("P", "planned pathway (0-3)"),
        ("Rsn", "reason code"),
        ("Attr", "NHS, SC or Both"),
        ("Expected", "discharge (! passed)"),
        ("Rev", "reviewed today"),
        ("Act", "open actions (! overdue)"),
    ],
};

impl Screen for WardBoardState {
    const TITLE: &'static str = TITLE;
    const SHORT: &'static str = SHORT;
    const CONTEXTS: &'static [KeyContext] = &[(
        Context::Screen(WardBoardState::ID),
        &[GLOBAL, KEYS, MOVE],
        &ABOUT,
    )];

    fn new(_today: NaiveDate) -> Self {
        Self::default()
    }

    fn update(app: &mut App, action: Action) {
        match action {
            Action::StillDelayed => {
                let Some(id) = selected(app).map(|d| d.delay_id) else {
                    return;
                };
                if crate::ui::screens::board::mark_reviewed(app, id) {
                    let n = patients(app).len();
                    move_sel(&mut app.screens.ward_board.selected, n, Action::Down);
                }
            }
            Action::NextUnreviewed => next_unreviewed(app),
            Action::NextItem => jump_ward(app, true),
            Action::PrevItem => jump_ward(app, false),
            Action::ChangeReason => ReasonForm::open(app),
            Action::End => EndForm::open(app),
            Action::Note => ActionForm::open(app),
        Action::UpdateAction => ActionUpdateForm::open(app),
            Action::Place => PlaceForm::open(app),
            _ => {
                let n = patients(app).len();
                move_sel(&mut app.screens.ward_board.selected, n, action);
            }
        }
    }

    fn refresh(app: &mut App) {
        let n = patients(app).len();
        let sel = &mut app.screens.ward_board.selected;
        *sel = (*sel).min(n.saturating_sub(1));
    }

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        let t = &app.theme;
        let [board, legend] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
        let rows = patients(app);
        let waiting = rows
            .iter()
            .filter(|d| d.reviewed_on != Some(app.today))
            .count();
        let wards = groups(app).len();
        let title = format!(
            " {TITLE}: {} on {} · {} ",
            s::plural(rows.len(), "patient", "patients"),
            s::plural(wards, "ward", "wards"),
            s::progress(rows.len() - waiting, rows.len())
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Line::styled(title, t.title()));
        let inner = block.inner(board);
        frame.render_widget(block, board);
        if rows.is_empty() {
            frame.render_widget(Paragraph::new(s::NO_OPEN_DELAYS), inner);
        } else {
            let (lines, at) = lines(app, usize::from(inner.width));
            // The heading line stays; the rest scrolls to keep the selection (and, above it,
            // its ward's heading) on screen.
            let body = usize::from(inner.height).saturating_sub(1);
            let sel_line = at.get(app.screens.ward_board.selected).copied().unwrap_or(1);
            let start = 1 + window_start(sel_line - 1, lines.len() - 1, body);
            let mut shown = vec![lines[0].clone()];
            shown.extend(lines.into_iter().skip(start).take(body));
            frame.render_widget(Paragraph::new(shown), inner);
        }
        frame.render_widget(
            Paragraph::new(Line::styled(
                cut(
                    &format!(
                        "date{OVERDUE_MARK}: expected date passed · Rev: reviewed today · \
                         P: planned pathway"
                    ),
                    usize::from(legend.width),
                ),
                t.dim(),
            )),
            legend,
        );
    }

    fn selected_delay(app: &App) -> Option<&DelayRow> {
        selected(app)
    }
}
