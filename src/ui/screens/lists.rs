//! The coordinator's lists (issue 26 item 4): every inpatient today at 21+, 14+ or 7+ days from
//! the recorded stays, delayed or not, with whether they are delayed; and the delayed patients
//! whose expected discharge date has passed (`!`). `v` changes the list.

use crate::domain::{length_of_stay, StayFacts};
use crate::store::DelayRow;
use crate::ui::about::About;
use crate::ui::app::App;
use crate::ui::keymap::{b, ch, Action, Binding};
use crate::ui::screens::register::list::OVERDUE_MARK;
use crate::ui::screens::{cut, la_label, move_sel, Screen, Slot};
use crate::ui::strings as s;
use crate::ui::widgets::message::Message;
use crate::ui::widgets::table;
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Rect};
use ratatui::Frame;

/// Which list is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListKind {
    /// Inpatients at 21+ days (super-stranded).
    #[default]
    Los21,
    Los14,
    Los7,
    /// Delayed patients whose expected discharge date has passed.
    ExpectedPassed,
}

impl ListKind {
    const ALL: [ListKind; 4] = [Self::Los21, Self::Los14, Self::Los7, Self::ExpectedPassed];

    fn next(self) -> Self {
        let i = Self::ALL.iter().position(|x| *x == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    /// The length of stay a band starts at.
    pub fn min_days(self) -> Option<u32> {
        match self {
            Self::Los21 => Some(21),
            Self::Los14 => Some(14),
            Self::Los7 => Some(7),
            Self::ExpectedPassed => None,
        }
    }
}

/// One inpatient of a length-of-stay list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inpatient {
    pub local_id: String,
    pub site_code: String,
    pub la_code: String,
    pub admitted_on: NaiveDate,
    pub los: u32,
    /// Delayed today (a delay ready on or before today and not ended by it).
    pub delayed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ListsState {
    pub kind: ListKind,
    pub selected: usize,
    /// Today's inpatients from the stays, longest first (read when shown).
    pub inpatients: Vec<Inpatient>,
    pub stale: bool,
}

pub const TITLE: &str = "Lists";
pub const SHORT: &str = "Lists";

/// Today's inpatients from the recorded stays, longest stay first (then local id).
pub fn inpatients(stays: &[StayFacts], today: NaiveDate) -> Vec<Inpatient> {
    let mut out: Vec<Inpatient> = stays
        .iter()
        .filter(|x| x.is_inpatient(today))
        .filter_map(|x| {
            Some(Inpatient {
                local_id: x.local_id.clone(),
                site_code: x.site_code.clone(),
                la_code: x.la_code.to_string(),
                admitted_on: x.admitted_on,
                los: length_of_stay(x.admitted_on, today)?,
                delayed: x
                    .delays
                    .iter()
                    .any(|d| d.ready_on <= today && d.ended_on.is_none_or(|e| e > today)),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.los
            .cmp(&a.los)
            .then_with(|| crate::domain::natural_cmp(&a.local_id, &b.local_id))
    });
    out
}

/// The inpatients at `min`+ days.
pub fn at_least(app: &App, min: u32) -> Vec<&Inpatient> {
    app.screens
        .lists
        .inpatients
        .iter()
        .filter(|x| x.los >= min)
        .collect()
}

/// The open delays whose expected discharge date has passed, most overdue first.
pub fn expected_passed(app: &App) -> Vec<&DelayRow> {
    let mut rows: Vec<&DelayRow> = app
        .data
        .delays
        .iter()
        .filter(|d| {
            d.ended_on.is_none() && crate::domain::Placement::overdue(d.expected_on, app.today)
        })
        .collect();
    rows.sort_by(|a, b| a.expected_on.cmp(&b.expected_on).then_with(|| a.cmp_place(b)));
    rows
}

fn len(app: &App) -> usize {
    match app.screens.lists.kind.min_days() {
        Some(min) => at_least(app, min).len(),
        None => expected_passed(app).len(),
    }
}

pub const KEYS: &[Binding] = &[b!(
    "v",
    Action::ToggleView,
    "next list",
    true,
    [ch('v')]
)];

pub const ABOUT: About = About {
    purpose: "Every inpatient today at 21+ (super-stranded), 14+ or 7+ (stranded) days from the \
              recorded stays, delayed or not (Delayed says which), longest first; and the \
              delayed patients whose expected discharge date has passed, most overdue first. \
              Sites whose stays are not all recorded list only the stays they have.",
    columns: &[
        ("LOS", "length of stay today, days"),
        ("Delayed", "delayed today: yes or no"),
        ("Expected", "expected discharge (! passed)"),
    ],
};

impl Screen for ListsState {
    crate::ui::screens::table_screen!();

    fn stale(&mut self) -> Option<&mut bool> {
        Some(&mut self.stale)
    }

    fn load(app: &mut App) {
        let today = app.today;
        app.load(
            ListsState::ID,
            move |store| {
                store
                    .stay_facts(today, today.succ_opt().unwrap_or(today), &[])
                    .map(|stays| inpatients(&stays, today))
                    .map_err(|e| s::load_error(&e))
            },
            |app, read| match read {
                Ok(rows) => app.screens.lists.inpatients = rows,
                Err(e) => app.message = Some(Message::error(e)),
            },
        );
    }

    fn update(app: &mut App, action: Action) {
        if action == Action::ToggleView {
            let l = &mut app.screens.lists;
            l.kind = l.kind.next();
            l.selected = 0;
            return;
        }
        let n = len(app);
        move_sel(&mut app.screens.lists.selected, n, action);
    }

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        let t = &app.theme;
        let sel = Some(app.screens.lists.selected);
        match app.screens.lists.kind.min_days() {
            Some(min) => {
                let rows = at_least(app, min);
                let delayed = rows.iter().filter(|x| x.delayed).count();
                table::render(
                    frame,
                    area,
                    format!(
                        " Inpatients at {min}+ days today: {} ({delayed} delayed) · v: next list ",
                        rows.len()
                    ),
                    &["Local id", "Site", "Authority", "Admitted", "LOS", "Delayed"],
                    &[
                        Constraint::Length(14),
                        Constraint::Length(6),
                        Constraint::Min(10),
                        Constraint::Length(10),
                        Constraint::Length(4),
                        Constraint::Length(7),
                    ],
                    rows.len(),
                    sel,
                    s::NO_INPATIENTS_AT,
                    t,
                    |i| {
                        rows.get(i).map_or_else(Vec::new, |x| {
                            vec![
                                x.local_id.clone(),
                                x.site_code.clone(),
                                la_label(app, &x.la_code),
                                x.admitted_on.to_string(),
                                x.los.to_string(),
                                if x.delayed { s::YES } else { s::NO }.to_string(),
                            ]
                        })
                    },
                );
            }
            None => {
                let rows = expected_passed(app);
                table::render(
                    frame,
                    area,
                    format!(
                        " Expected discharge date passed: {} delayed patients · v: next list ",
                        rows.len()
                    ),
                    &["Local id", "Site", "Ward / bed", "Expected", "Days", "Rsn"],
                    &[
                        Constraint::Length(14),
                        Constraint::Length(6),
                        Constraint::Min(10),
                        Constraint::Length(11),
                        Constraint::Length(4),
                        Constraint::Length(4),
                    ],
                    rows.len(),
                    sel,
                    s::NO_EXPECTED_PASSED,
                    t,
                    |i| {
                        rows.get(i).map_or_else(Vec::new, |d| {
                            vec![
                                d.local_id.clone(),
                                d.site_code.clone(),
                                cut(&crate::ui::screens::register::list::ward_bed(d), 30),
                                d.expected_on
                                    .map(|e| format!("{e}{OVERDUE_MARK}"))
                                    .unwrap_or_default(),
                                d.days_delayed(app.today).to_string(),
                                d.reason.code().to_string(),
                            ]
                        })
                    },
                );
            }
        }
    }
}
