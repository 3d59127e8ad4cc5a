//! The actions screen (issue 26 item 3): every open action of the open delays, due first (`!`
//! once overdue), the overdue ones only, the open ones by owner, or all of them with the closed;
//! `/` narrows to an owner, a patient, a ward or words of the action. `x` marks the selected one
//! done, `d` cancels it (each shows what it will close and waits for Enter), `e` or Enter changes
//! its text, owner or due date. New actions are added on the patient (`n` in the register, its
//! detail, the board round and the ward board).

use super::{filter_line, move_sel};
use crate::domain::ActionState;
use crate::store::{ActionFilter, ActionListRow};
use crate::ui::about::About;
use crate::ui::app::App;
use crate::ui::keymap::{b, ch, Action, Binding, Context, GLOBAL, MOVE, N};
use crate::ui::screens::register::action_forms::ActionUpdateForm;
use crate::ui::screens::register::actions_view::short;
use crate::ui::screens::{KeyContext, Screen, Slot};
use crate::ui::strings as s;
use crate::ui::widgets::message::Message;
use crate::ui::widgets::table::{self, Cell, Col};
use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::Frame;
use tui_input::Input;

/// Which actions are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ActionsView {
    /// The open actions of open delays, due first (no due date last).
    #[default]
    Open,
    /// Those due before today.
    Overdue,
    /// The open ones by owner (A to Z), due first within each.
    ByOwner,
    /// Every action, the closed ones too (open first, then the newest closed).
    All,
}

impl ActionsView {
    const ALL: [ActionsView; 4] = [Self::Open, Self::Overdue, Self::ByOwner, Self::All];

    fn next(self) -> Self {
        let i = Self::ALL.iter().position(|x| *x == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open actions",
            Self::Overdue => "Overdue actions",
            Self::ByOwner => "Open actions by owner",
            Self::All => "All actions",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ActionsState {
    pub view: ActionsView,
    pub selected: usize,
    pub query: Input,
    pub filtering: bool,
    /// Every action with its patient (read when shown).
    pub rows: Vec<ActionListRow>,
    pub stale: bool,
}

pub const TITLE: &str = "Actions";
pub const SHORT: &str = "Act";
const FILTER_HINT: &str = "press / to filter by owner, local id, ward or words of the action";
const NO_ACTIONS_HERE: &str = "No actions here: n on a patient (register, board round, ward board) adds one.";

/// Whether a row matches the typed filter (owner, local id, ward, text; ignoring case).
fn matches(r: &ActionListRow, q: &str) -> bool {
    q.is_empty()
        || [
            r.action.owner.as_deref().unwrap_or(""),
            &r.local_id,
            r.ward.as_deref().unwrap_or(""),
            &r.action.text,
            &r.site_code,
        ]
        .iter()
        .any(|f| f.to_lowercase().contains(q))
}

/// The rows of the view chosen, filtered, in its order.
pub fn visible(app: &App) -> Vec<&ActionListRow> {
    let st = &app.screens.actions;
    let today = app.today;
    let q = st.query.value().trim().to_lowercase();
    let open = |r: &&ActionListRow| r.action.state == ActionState::Open && r.delay_ended_on.is_none();
    let mut rows: Vec<&ActionListRow> = st
        .rows
        .iter()
        .filter(|r| match st.view {
            ActionsView::Open | ActionsView::ByOwner => open(r),
            ActionsView::Overdue => open(r) && r.action.overdue(today),
            ActionsView::All => true,
        })
        .filter(|r| matches(r, &q))
        .collect();
    // The store reads due first, then the oldest.
    match st.view {
        ActionsView::ByOwner => rows.sort_by_key(|r| {
            r.action
                .owner
                .as_deref()
                .unwrap_or("")
                .to_lowercase()
        }),
        // Open first (as read), then the closed, the newest first.
        ActionsView::All => rows.sort_by(|a, b| match (open(a), open(b)) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
            (false, false) => b.action.id.cmp(&a.action.id),
        }),
        _ => {}
    }
    rows
}

/// The selected action.
fn current(app: &App) -> Option<&ActionListRow> {
    visible(app).get(app.screens.actions.selected).copied()
}

/// Opens the done/cancel/change form on the selected action, `now` chosen.
fn update_selected(app: &mut App, now: ActionState) {
    match current(app) {
        None => app.message = Some(Message::error(s::NOTHING_SELECTED)),
        Some(r) if r.action.state != ActionState::Open => {
            app.message = Some(Message::error(format!(
                "That action is {}: it is kept as a record.",
                r.action.state.as_str()
            )))
        }
        Some(r) => {
            let a = r.action.clone();
            ActionUpdateForm::open_one(app, a, now);
        }
    }
}

pub const KEYS: &[Binding] = &[
    b!("v", Action::ToggleView, "next view", true, [ch('v')]),
    b!("/", Action::Filter, "filter", true, [ch('/')]),
    b!("x", Action::End, "done", true, [ch('x')]),
    b!("d", Action::Delete, "cancel", true, [ch('d')]),
    b!(
        "e/Enter",
        Action::Edit,
        "change text/owner/due",
        true,
        [ch('e'), (KeyCode::Enter, N)]
    ),
];

pub const ABOUT: About = About {
    purpose: "The actions of the delayed patients: open ones due first (v: overdue only, by \
              owner, all with the closed), an overdue one marked ! as well as by colour. x: \
              done, d: cancel (each asks for Enter), e: change. n on a patient adds one.",
    columns: &[
        ("Due", "due date (! overdue, - none)"),
        ("Owner", "a person or team"),
        ("Local id", "the hospital's number"),
        ("Ward", "ward / bed"),
        ("State", "open, done or cancelled (all)"),
    ],
};

/// The due cell: `14/08`, `14/08!` once overdue (warning colour too), `-` without a date.
fn due_cell(r: &ActionListRow, today: NaiveDate) -> Cell {
    let overdue = r.action.overdue(today);
    let text = r.action.due_on.map_or("-".to_string(), |d| {
        format!(
            "{}{}",
            short(d, today),
            if overdue { s::ACTION_OVERDUE_MARK } else { "" }
        )
    });
    Cell::warn(text, overdue)
}

fn state_cell(r: &ActionListRow, today: NaiveDate) -> String {
    match (r.action.state, r.action.closed_on) {
        (ActionState::Open, _) if r.delay_ended_on.is_some() => "open (ended)".to_string(),
        (ActionState::Open, _) => "open".to_string(),
        (st, Some(on)) => format!("{} {}", st.as_str(), short(on, today)),
        (st, None) => st.as_str().to_string(),
    }
}

impl Screen for ActionsState {
    const TITLE: &'static str = TITLE;
    const SHORT: &'static str = SHORT;
    const CONTEXTS: &'static [KeyContext] = &[(
        Context::Screen(ActionsState::ID),
        &[GLOBAL, KEYS, MOVE],
        &ABOUT,
    )];

    fn new(_today: NaiveDate) -> Self {
        Self {
            stale: true,
            ..Self::default()
        }
    }

    fn context(app: &App) -> Context {
        if app.screens.actions.filtering {
            Context::Filter
        } else {
            Context::Screen(ActionsState::ID)
        }
    }

    fn stale(&mut self) -> Option<&mut bool> {
        Some(&mut self.stale)
    }

    fn load(app: &mut App) {
        let today = app.today;
        app.load(
            ActionsState::ID,
            move |store| {
                store
                    .action_list(&ActionFilter::default(), today)
                    .map_err(|e| s::load_error(&e))
            },
            |app, read| match read {
                Ok(rows) => {
                    app.screens.actions.rows = rows;
                    let n = visible(app).len();
                    let st = &mut app.screens.actions;
                    st.selected = st.selected.min(n.saturating_sub(1));
                }
                Err(e) => app.message = Some(Message::error(e)),
            },
        );
    }

    fn update(app: &mut App, action: Action) {
        if app.screens.actions.filtering {
            let st = &mut app.screens.actions;
            super::edit_filter(&mut st.query, &mut st.filtering, &mut st.selected, action);
            return;
        }
        match action {
            Action::ToggleView => {
                let st = &mut app.screens.actions;
                st.view = st.view.next();
                st.selected = 0;
            }
            Action::Filter => app.screens.actions.filtering = true,
            Action::End => update_selected(app, ActionState::Done),
            Action::Delete => update_selected(app, ActionState::Cancelled),
            Action::Edit => update_selected(app, ActionState::Open),
            _ => {
                let n = visible(app).len();
                move_sel(&mut app.screens.actions.selected, n, action);
            }
        }
    }

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        let t = &app.theme;
        let st = &app.screens.actions;
        let today = app.today;
        let [filter_area, list_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        filter_line(frame, filter_area, &st.query, st.filtering, FILTER_HINT, &[], t);
        let rows = visible(app);
        let overdue = rows.iter().filter(|r| r.action.overdue(today)).count();
        let title = format!(
            " {}: {} ({overdue} overdue) · v: next view ",
            st.view.label(),
            rows.len()
        );
        let all = st.view == ActionsView::All;
        let id_w = table::widest("Local id", rows.iter().map(|r| r.local_id.as_str()));
        let owner_w = table::widest(
            "Owner",
            rows.iter().map(|r| r.action.owner.as_deref().unwrap_or("-")),
        );
        let ward: Vec<String> = rows
            .iter()
            .map(|r| crate::domain::Placement::label(r.ward.as_deref(), r.bed.as_deref()))
            .collect();
        let ward_w = table::widest("Ward", ward.iter().map(String::as_str));
        let owner_first = st.view == ActionsView::ByOwner;
        let mut header = vec!["Due", "Owner", "Local id", "Ward", "Action"];
        let dues: Vec<String> = rows.iter().map(|r| due_cell(r, today).text).collect();
        let due_w = table::widest("Due", dues.iter().map(String::as_str));
        let mut cols = vec![
            Col::exact(due_w),
            Col::new(8, owner_w.min(20)),
            Col::exact(id_w).first(),
            // Left out when no action's patient has a ward.
            Col::optional(
                if ward.iter().all(String::is_empty) {
                    0
                } else {
                    ward_w.min(16)
                },
                4,
            ),
            Col::new(12, 200).grow(),
        ];
        if owner_first {
            header.swap(0, 1);
            cols.swap(0, 1);
        }
        if all {
            header.insert(0, "State");
            cols.insert(0, Col::new(4, 12));
        }
        table::render_fitted(
            frame,
            list_area,
            title,
            &header,
            &cols,
            rows.len(),
            Some(st.selected),
            NO_ACTIONS_HERE,
            t,
            |i| {
                let Some(r) = rows.get(i) else {
                    return Vec::new();
                };
                let mut cells = vec![
                    due_cell(r, today),
                    Cell::from(r.action.owner.clone().unwrap_or_else(|| "-".to_string())),
                    Cell::from(r.local_id.clone()),
                    Cell::from(ward.get(i).cloned().unwrap_or_default()),
                    Cell::from(r.action.text.clone()),
                ];
                if owner_first {
                    cells.swap(0, 1);
                }
                if all {
                    cells.insert(0, Cell::from(state_cell(r, today)));
                }
                cells
            },
        );
    }
}
