//! Screen 2: the delay register (list with filters) and one delay's detail: its state, keys,
//! forms ([`forms`]) and drawing.

pub mod choices;
pub mod correct;
pub mod detail;
pub mod ended_forms;
pub mod forms;
pub mod list;
pub mod action_forms;
pub mod actions_view;
pub mod round_forms;

use super::{cycle_opt, move_sel};
use crate::domain::{Attribution, ReasonCode};
use crate::store::{DelayDetail, DelayRow};
use crate::ui::about::About;
use crate::ui::app::{App, ConfirmKind};
use crate::ui::keymap::{b, ch, Action, Binding, Context, GLOBAL, MOVE, N, S, SCROLL};
use crate::ui::queue::Event;
use crate::ui::screens::{KeyContext, Screen};
use crate::ui::strings as s;
use crate::ui::widgets::message::Message;
use chrono::NaiveDate;
use crossterm::event::KeyCode;
use forms::{AddForm, EditForm, EndForm, ReasonForm};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;
use tui_input::Input;

#[derive(Debug, Clone, Default)]
pub struct RegisterState {
    pub selected: usize,
    pub query: Input,
    pub filtering: bool,
    pub reason: Option<ReasonCode>,
    pub attribution: Option<Attribution>,
    pub la: Option<String>,
    pub site: Option<String>,
    pub detail: Option<DelayDetail>,
    /// The list's column widths, measured once per state of the rows and filters.
    pub fit: list::FitCache,
    /// The list's order (`s` cycles).
    pub sort: RegisterSort,
    /// Where the detail is scrolled to (back to the top for each delay opened).
    pub scroll: crate::ui::widgets::scroll::Scroll,
}

/// The order of the register's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegisterSort {
    /// Longest delayed first.
    #[default]
    DaysDelayed,
    /// Site, ward and bed as the wards are walked (natural order: Ward 7 before Ward 10).
    Ward,
    /// Site, then longest delayed first.
    Site,
    /// Expected discharge date, earliest (most overdue) first; none last.
    Expected,
}

impl RegisterSort {
    pub const ALL: [RegisterSort; 4] = [Self::DaysDelayed, Self::Ward, Self::Site, Self::Expected];

    pub fn label(self) -> &'static str {
        match self {
            Self::DaysDelayed => "days delayed",
            Self::Ward => "ward and bed",
            Self::Site => "site",
            Self::Expected => "expected date",
        }
    }

    fn next(self) -> Self {
        let i = Self::ALL.iter().position(|x| *x == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    /// Two rows in this order (ties by the delay id, so the order is the same from frame to
    /// frame).
    pub fn cmp(self, a: &DelayRow, b: &DelayRow, today: NaiveDate) -> std::cmp::Ordering {
        use std::cmp::Reverse;
        let longest = |d: &DelayRow| Reverse(d.days_delayed(today));
        let by = match self {
            Self::DaysDelayed => longest(a).cmp(&longest(b)),
            Self::Ward => return a.cmp_place(b),
            Self::Site => crate::domain::natural_cmp(&a.site_code, &b.site_code)
                .then_with(|| longest(a).cmp(&longest(b))),
            Self::Expected => match (a.expected_on, b.expected_on) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| longest(a).cmp(&longest(b))),
        };
        by.then_with(|| a.delay_id.cmp(&b.delay_id))
    }
}

pub const TITLE: &str = "Register";
pub const SHORT: &str = "Reg";

/// After a reload: the detail read again, the selection kept in the list.
pub fn refresh(app: &mut App) {
    if let Some(d) = &app.screens.register.detail {
        let id = d.row.delay_id;
        app.screens.register.detail = app.store.delay_detail(id).ok();
    }
    let n = visible(app).len();
    app.screens.register.selected = app.screens.register.selected.min(n.saturating_sub(1));
}

/// The register's rows after the quick filters and the typed filter, in the order chosen.
pub fn visible(app: &App) -> Vec<&DelayRow> {
    let r = &app.screens.register;
    let q = r.query.value().trim().to_lowercase();
    let mut rows: Vec<&DelayRow> = app
        .data
        .delays
        .iter()
        .filter(|d| r.reason.is_none_or(|x| d.reason == x))
        .filter(|d| r.attribution.is_none_or(|x| d.attribution == x))
        .filter(|d| r.la.as_ref().is_none_or(|x| &d.la_code == x))
        .filter(|d| r.site.as_ref().is_none_or(|x| &d.site_code == x))
        .filter(|d| matches_query(d, &q))
        .collect();
    // The store reads longest delayed first: sorted only for another order.
    if r.sort != RegisterSort::DaysDelayed {
        rows.sort_by(|a, b| r.sort.cmp(a, b, app.today));
    }
    rows
}

/// The delay the next command applies to: the detail's, else the selected row's.
pub fn current(app: &App) -> Option<&DelayRow> {
    match &app.screens.register.detail {
        Some(d) => Some(&d.row),
        None => visible(app).get(app.screens.register.selected).copied(),
    }
}

/// Deletes a delay (the confirm said yes).
fn delete(app: &mut App, delay_id: i64, version: i64) {
    let stay = app.stay_of(delay_id);
    match app.store.delete_delay(delay_id, version) {
        Ok(()) => {
            app.screens.register.detail = None;
            app.message = Some(Message::info(s::DELETED));
            // Deleted: its stay's other rows stay.
            match stay {
                Some(stay) => app.reload_stay(stay),
                None => app.reload(),
            }
        }
        Err(e) => {
            app.message = Some(Message::error(s::store_error(&e)));
            // Refused: everything read again.
            app.reload();
        }
    }
}

/// Whether a delay matches a typed filter (lower case): its local id, site, authority code or
/// name, reason code (exactly) or reason label, ward, or a full or partial NHS number.
pub(crate) fn matches_query(d: &DelayRow, q: &str) -> bool {
    q.is_empty()
        || contains_ci(&d.local_id, q)
        || contains_ci(&d.site_code, q)
        || contains_ci(&d.la_code, q)
        || contains_ci(d.la_name.as_deref().unwrap_or(""), q)
        || d.reason.code().eq_ignore_ascii_case(q)
        || contains_ci(d.reason.label(), q)
        || contains_ci(d.ward.as_deref().unwrap_or(""), q)
        || list::nhs_matches(d.nhs_number.as_ref(), q)
}

/// Whether `hay` contains `needle` (already lower case), ignoring case. ASCII needles (what is
/// typed into a filter) are compared without allocating: the filter runs over every row of a
/// 10,000-delay register on each key.
fn contains_ci(hay: &str, needle: &str) -> bool {
    if !needle.is_ascii() {
        return hay.to_lowercase().contains(needle);
    }
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// A reason period's columns, aligned whether it is open or closed, and its label (reason and
/// acute reason), apart.
fn period_parts(p: &crate::store::PeriodRow, today: NaiveDate) -> (String, String) {
    let head = format!(
        "  {} to {:<10}  {:<4} {:<12} {:>9}  ",
        p.start,
        p.end.map_or(s::OPEN_PERIOD.to_string(), |e| e.to_string()),
        p.reason.code(),
        p.attribution.label(),
        s::days(crate::domain::delayed_days_within(
            p.start,
            p.end,
            today,
            ..
        )),
    );
    let label = format!(
        "{}{}",
        p.reason.label(),
        p.acute_reason
            .map(|a| format!("  acute: {}", a.code()))
            .unwrap_or_default()
    );
    (head, label)
}

/// A reason period's line (its dates, reason, responsible organisation, days and label) for a pane
/// `width` columns wide: a label too long for the line goes on under itself (a hanging indent),
/// never back to the first column; on a pane too narrow for that, the label takes lines of its
/// own, indented.
pub fn period_lines(p: &crate::store::PeriodRow, today: NaiveDate, width: u16) -> Vec<String> {
    let (head, label) = period_parts(p, today);
    let width = usize::from(width);
    let indent = head.chars().count();
    if indent + label.chars().count() <= width {
        return vec![format!("{head}{label}")];
    }
    // Beside the columns (the head is `indent` wide), or on lines of their own indented by 6.
    let indent = if width >= indent + 30 { indent } else { 6 };
    let pad = " ".repeat(indent);
    let mut lines = if indent == 6 {
        vec![head.trim_end().to_string(), pad.clone()]
    } else {
        vec![head]
    };
    let room = width.saturating_sub(indent).max(10);
    for word in label.split(' ').filter(|w| !w.is_empty()) {
        let last = lines.last_mut().expect("a line");
        let used = last.chars().count() - indent;
        if used == 0 {
            last.push_str(word);
        } else if used + 1 + word.chars().count() <= room {
            last.push(' ');
            last.push_str(word);
        } else {
            lines.push(format!("{pad}{word}"));
        }
    }
    lines
}

/// Ward, bed, expected discharge (highlighted once passed) and who reviewed it.
pub fn placement_line(r: &DelayRow, app: &App) -> Line<'static> {
    let t = &app.theme;
    let place = list::ward_bed(r);
    let mut spans = vec![Span::raw(format!(
        "Ward / bed: {}  Expected discharge: ",
        if place.is_empty() { "-" } else { &place }
    ))];
    let exp = list::expected_cell(r, app.today, false);
    // The words say it has passed: the list's `!` is not repeated.
    let text = if exp.text.is_empty() {
        "-".to_string()
    } else {
        exp.text.trim_end_matches(list::OVERDUE_MARK).to_string()
    };
    spans.push(if exp.warn {
        Span::styled(format!("{text} (passed)"), t.warn())
    } else {
        Span::raw(text)
    });
    spans.push(Span::styled(
        format!(
            "  {}",
            s::reviewed_by(r.reviewed_on, r.reviewed_by.as_deref(), app.today)
        ),
        t.dim(),
    ));
    Line::from(spans)
}

// Its keys (the footer and `?` come from them) and its `?` text.
pub const KEYS: &[Binding] = &[
    b!("Enter", Action::Open, "detail", true, [(KeyCode::Enter, N)]),
    b!("/", Action::Filter, "filter", true, [ch('/')]),
    // One help line for the four quick filters (the help has room for 24 lines at 80×24).
    b!(
        "R/A/L/S",
        Action::CycleReason,
        "filter reason/attr/LA/site",
        false,
        [ch('R'), (KeyCode::Char('R'), S)]
    ),
    b!(
        "",
        Action::CycleAttribution,
        "",
        false,
        [ch('A'), (KeyCode::Char('A'), S)]
    ),
    b!(
        "",
        Action::CycleAuthority,
        "",
        false,
        [ch('L'), (KeyCode::Char('L'), S)]
    ),
    b!(
        "",
        Action::CycleSite,
        "",
        false,
        [ch('S'), (KeyCode::Char('S'), S)]
    ),
    b!("c", Action::ClearFilters, "clear filters", false, [ch('c')]),
    b!(
        "s",
        Action::Sort,
        "sort: days/ward/site/exp",
        false,
        [ch('s')]
    ),
    b!(
        "t",
        Action::ToggleEnded,
        "include ended delays",
        false,
        [ch('t')]
    ),
    b!("a", Action::Add, "add", true, [ch('a')]),
    b!("r", Action::ChangeReason, "reason", true, [ch('r')]),
    b!("x", Action::End, "end", true, [ch('x')]),
    b!("e", Action::Edit, "edit", true, [ch('e')]),
    b!("d", Action::Delete, "delete", true, [ch('d')]),
    b!("n", Action::Note, "action", true, [ch('n')]),
    b!("w", Action::Place, "ward/bed", false, [ch('w')]),
    b!(
        "C",
        Action::Correct,
        "correct the stay",
        false,
        [(KeyCode::Char('C'), N), (KeyCode::Char('C'), S)]
    ),
];

pub const DETAIL_KEYS: &[Binding] = &[
    b!(
        "Esc",
        Action::Back,
        "back to list",
        true,
        [(KeyCode::Esc, N)]
    ),
    b!("a", Action::Add, "add", true, [ch('a')]),
    b!("r", Action::ChangeReason, "reason", true, [ch('r')]),
    b!("x", Action::End, "end", true, [ch('x')]),
    b!("o", Action::Reopen, "reopen an ended delay", false, [ch('o')]),
    b!("e", Action::Edit, "edit", true, [ch('e')]),
    b!("d", Action::Delete, "delete", true, [ch('d')]),
    b!("n", Action::Note, "action", true, [ch('n')]),
    b!(
        "m",
        Action::UpdateAction,
        "action done/cancel/edit",
        false,
        [ch('m')]
    ),
    b!("w", Action::Place, "ward/bed", false, [ch('w')]),
    b!(
        "C",
        Action::Correct,
        "correct the stay",
        false,
        [(KeyCode::Char('C'), N), (KeyCode::Char('C'), S)]
    ),
];

pub const ABOUT: About = About {
    purpose: "Open delays (t: ended too), longest first; s sorts by ward, site or expected date.",
    columns: &[
        ("Local id", "the hospital's number"),
        ("NHS no.", "NHS number, masked"),
        ("Site", "site, ward and bed"),
        ("LA", "local authority (short name)"),
        ("Ready", "medically ready on"),
        ("Days", "days delayed so far"),
        ("Exp", "expected date, ! if passed"),
        ("Rsn", "reason code"),
        ("Attr", "NHS, social care or both"),
        ("P", "planned pathway (0-3)"),
        ("!", "not reviewed today"),
    ],
};

pub const DETAIL_ABOUT: About = About {
    purpose: "One delay: the stay, its reasons over time and the periods it counts for. \
              An ended delay: x corrects its end (date, kind, destination, the stay's \
              discharge), o reopens it (with a reason); both are audited.",
    columns: &[
        ("Periods", "each reason's dates"),
        ("Actions", "open first; ! overdue"),
        ("History", "who changed what, when"),
    ],
};


impl Screen for RegisterState {
    const TITLE: &'static str = TITLE;
    const SHORT: &'static str = SHORT;
    const CONTEXTS: &'static [KeyContext] = &[
        (Context::Register, &[GLOBAL, KEYS, MOVE], &ABOUT),
        (Context::Detail, &[GLOBAL, DETAIL_KEYS, SCROLL], &DETAIL_ABOUT),
    ];

    fn new(_today: NaiveDate) -> Self {
        Self::default()
    }

    fn context(app: &App) -> Context {
        if app.screens.register.filtering {
            Context::Filter
        } else if app.screens.register.detail.is_some() {
            Context::Detail
        } else {
            Context::Register
        }
    }

    fn update(app: &mut App, action: Action) {
        if app.screens.register.filtering {
            let r = &mut app.screens.register;
            super::edit_filter(&mut r.query, &mut r.filtering, &mut r.selected, action);
            return;
        }
        let n = visible(app).len();
        let ended = current(app).is_some_and(|d| d.ended_on.is_some());
        let r = &mut app.screens.register;
        match action {
            Action::Open => {
                if let Some(id) = current(app).map(|d| d.delay_id) {
                    match app.store.delay_detail(id) {
                        Ok(d) => {
                            app.screens.register.detail = Some(d);
                            app.screens.register.scroll.reset();
                        }
                        Err(e) => app.message = Some(Message::error(s::load_error(&e))),
                    }
                }
            }
            Action::Back => r.detail = None,
            Action::Filter => r.filtering = true,
            Action::CycleReason => {
                r.reason = cycle_opt(&ReasonCode::ALL, r.reason);
                r.selected = 0;
            }
            Action::CycleAttribution => {
                r.attribution = cycle_opt(&Attribution::ALL, r.attribution);
                r.selected = 0;
            }
            Action::CycleAuthority => {
                let all: Vec<String> = app
                    .data
                    .authorities
                    .iter()
                    .map(|a| a.code.to_string())
                    .collect();
                let r = &mut app.screens.register;
                r.la = cycle_opt(&all, r.la.clone());
                r.selected = 0;
            }
            Action::CycleSite => {
                let all: Vec<String> = app.data.sites.iter().map(|a| a.code.clone()).collect();
                let r = &mut app.screens.register;
                r.site = cycle_opt(&all, r.site.clone());
                r.selected = 0;
            }
            Action::ClearFilters => {
                *r = RegisterState::default();
            }
            Action::Sort if r.detail.is_none() => {
                r.sort = r.sort.next();
                r.selected = 0;
            }
            Action::ToggleEnded => {
                app.include_ended = !app.include_ended;
                app.reload();
            }
            Action::Add => AddForm::open(app),
            Action::ChangeReason => ReasonForm::open(app),
            // An ended delay's end is corrected rather than ended again.
            Action::End if ended => ended_forms::CorrectEndForm::open(app),
            Action::End => EndForm::open(app),
            Action::Reopen => ended_forms::ReopenForm::open(app),
            Action::Edit => EditForm::open(app),
            Action::Note => action_forms::ActionForm::open(app),
            Action::UpdateAction => action_forms::ActionUpdateForm::open(app),
            Action::Place => round_forms::PlaceForm::open(app),
            Action::Correct => correct::CorrectForm::open(app),
            Action::Delete => match current(app) {
                Some(d) => {
                    app.confirm = Some(ConfirmKind::Delete {
                        delay_id: d.delay_id,
                        version: d.version,
                    })
                }
                None => app.message = Some(Message::error(s::NOTHING_SELECTED)),
            },
            _ if r.detail.is_none() => move_sel(&mut r.selected, n, action),
            _ => {
                r.scroll.apply(action);
            }
        }
    }

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        if let Some(d) = &app.screens.register.detail {
            detail::render(frame, area, app, d);
            return;
        }
        let t = &app.theme;
        let r = &app.screens.register;
        let [filter_area, list_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let mut quick = Vec::new();
        if let Some(x) = r.reason {
            quick.push(format!("reason {}", x.code()));
        }
        if let Some(x) = r.attribution {
            quick.push(x.label().to_string());
        }
        if let Some(x) = &r.la {
            quick.push(x.clone());
        }
        if let Some(x) = &r.site {
            quick.push(format!("site {x}"));
        }
        if app.include_ended {
            quick.push(s::INCL_ENDED.to_string());
        }
        if r.sort != RegisterSort::DaysDelayed {
            quick.push(format!("sort {}", r.sort.label()));
        }
        super::filter_line(
            frame,
            filter_area,
            &r.query,
            r.filtering,
            s::FILTER_HINT_NHS,
            &quick,
            t,
        );

        list::render(frame, list_area, app, &visible(app), r.selected);
    }

    fn refresh(app: &mut App) {
        refresh(app)
    }

    /// Reads nothing when shown.
    fn show(_app: &mut App) {}

    fn handle(app: &mut App, event: &Event) {
        match *event {
            Event::DeleteConfirmed { delay_id, version } => delete(app, delay_id, version),
            // A screen chosen: the register opens on its list (`2` from the detail too).
            Event::ScreenChosen => app.screens.register.detail = None,
            // The detail shows the corrected stay.
            Event::StayCorrected { delay_id } => {
                if let Ok(d) = app.store.delay_detail(delay_id) {
                    app.screens.register.detail = Some(d);
                }
            }
            _ => {}
        }
    }

    fn selected_delay(app: &App) -> Option<&DelayRow> {
        current(app)
    }
}

#[cfg(test)]
mod period_tests {
    use super::*;
    use crate::domain::{Attribution, ReasonCode};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn period() -> crate::store::PeriodRow {
        crate::store::PeriodRow {
            id: 1,
            start: d("2018-08-08"),
            end: None,
            reason: ReasonCode::Di,
            attribution: Attribution::Nhs,
            acute_reason: None,
        }
    }

    #[test]
    fn period_label_never_wraps_to_the_first_column() {
        let today = d("2018-08-15");
        let head = "  2018-08-08 to open        Di   NHS             7 days  ";
        let label = "Awaiting residential home placement or availability";
        // Wide: one line.
        assert_eq!(
            period_lines(&period(), today, 158),
            [format!("{head}{label}")]
        );
        // 80 columns (78 inside): too little room beside the columns, so the label has lines of
        // its own, indented.
        assert_eq!(
            period_lines(&period(), today, 78),
            [
                head.trim_end().to_string(),
                format!("      {label}")
            ]
        );
        // Room for 30 beside the columns: a hanging indent under the label's first word.
        let indent = head.chars().count();
        let lines = period_lines(&period(), today, (indent + 30) as u16);
        assert_eq!(
            lines,
            [
                format!("{head}Awaiting residential home"),
                format!("{}placement or availability", " ".repeat(indent))
            ]
        );
        // Every line fits, at every width from the narrowest terminal's inside up.
        for w in 60..160u16 {
            for l in period_lines(&period(), today, w) {
                assert!(l.chars().count() <= usize::from(w), "{w}: {l:?}");
            }
        }
    }
}
