//! Screen 8: reconciliation of a month's locally signed days with the hospital's reported figures:
//! per authority and measure, then the patients' days that differ. `p`/`n` move between months; `m`
//! marks the selected difference accepted or contested with a note.

use super::move_sel;
use crate::commands::weekly::{load_reconciliation_as_of, mark_difference, MarkRequest};
use crate::domain::{MarkStatus, Measure, YearMonth};
use crate::report::reconcile::Reconciliation;
use crate::ui::about::About;
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::import_form::ImportForm;
use crate::ui::keymap::{b, ch, Action, Binding, Context, GLOBAL, MOVE, N};
use crate::ui::queue::Event;
use crate::ui::screens::{KeyContext, Screen, Slot};
use crate::ui::widgets::form::{Choice, Field, FieldKind, Form};
use crate::ui::widgets::message::Message;
use crate::ui::widgets::table;
use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub const TITLE: &str = "Reconcile";
pub const SHORT: &str = "Rec";
const FORM_MARK: &str = " Mark the difference ";
const HEADER: [&str; 7] = [
    "Authority",
    "Measure / id",
    "Date",
    "Signed",
    "Reported",
    "Diff",
    "Mark",
];
const NOTHING: &str =
    "Nothing to reconcile: no signed weeks or reported figures for this month (i: import the hospital's figures).";
const FORM_IMPORT: &str = " Import the hospital's reported figures (as dtoc import reported) ";

/// What the Reconcile screen shows.
#[derive(Debug, Clone)]
pub struct ReconcileState {
    pub month: YearMonth,
    pub rec: Option<Reconciliation>,
    /// Index into the authority rows, then the day differences.
    pub selected: usize,
    /// A reload happened since it was last read: read again when next shown.
    pub stale: bool,
}

impl ReconcileState {
    fn len(&self) -> usize {
        self.rec
            .as_ref()
            .map_or(0, |r| r.rows.len() + r.day_diffs.len())
    }
}

/// The difference a mark applies to: authority, measure, and the patient's day if any.
type MarkTarget = (String, Measure, Option<(String, NaiveDate)>);

fn target(rec: &Reconciliation, i: usize) -> Option<MarkTarget> {
    if let Some(r) = rec.rows.get(i) {
        return Some((r.la_code.to_string(), r.measure, None));
    }
    let d = rec.day_diffs.get(i - rec.rows.len())?;
    let m = d
        .local
        .or(d.reported)
        .map_or(Measure::Total, |(_, a)| match a {
            crate::domain::Attribution::Nhs => Measure::Nhs,
            crate::domain::Attribution::SocialCare => Measure::SocialCare,
            crate::domain::Attribution::Both => Measure::Both,
        });
    Some((d.la_code.to_string(), m, Some((d.local_id.clone(), d.day))))
}

/// Reads the month shown (off the draw loop: see [`App::load`]).
pub fn load(app: &mut App) {
    let (month, today) = (app.screens.reconcile.month, app.today);
    app.load(
        ReconcileState::ID,
        move |store| load_reconciliation_as_of(store, month, today).map_err(|e| e.to_string()),
        |app, read| match read {
            Ok(r) => {
                app.screens.reconcile.rec = Some(r);
                let n = app.screens.reconcile.len();
                app.screens.reconcile.selected =
                    app.screens.reconcile.selected.min(n.saturating_sub(1));
            }
            Err(e) => app.message = Some(Message::error(e)),
        },
    );
}

/// The mark form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum MarkField {
    Status,
    Note,
}

/// Marks a difference (an authority's, or a patient's day) accepted or contested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkForm {
    pub month: YearMonth,
    pub la: String,
    pub measure: Measure,
    pub day: Option<(String, NaiveDate)>,
}

impl FormSpec for MarkForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let v = |x: MarkField| f.value(x as usize);
        let status = MarkStatus::parse(v(MarkField::Status))?;
        let req = MarkRequest {
            month: self.month,
            la: &self.la,
            measure: self.measure,
            day: self.day.as_ref().map(|(id, d)| (id.as_str(), *d)),
            status,
            note: v(MarkField::Note),
        };
        // The store's own error (a Busy above all) as it is, so the app waits and retries.
        let days = mark_difference(&mut app.store, &req).map_err(|e| {
            e.downcast::<crate::Error>()
                .unwrap_or_else(|e| crate::Error::invalid(e.to_string()))
        })?;
        Ok(Saved::note(Some(format!(
            "{days} days marked {}.",
            status.key()
        ))))
    }

    fn saved(&self, app: &mut App) {
        app.queue.push(Event::ReportedChanged);
    }
}

fn opt<T: ToString>(x: Option<T>) -> String {
    x.map_or("-".to_string(), |v| v.to_string())
}

// Its keys (the footer and `?` come from them) and its `?` text.
pub const KEYS: &[Binding] = &[
    b!(
        "p/n",
        Action::PrevItem,
        "previous / next month",
        true,
        [ch('p'), (KeyCode::Left, N)]
    ),
    b!(
        "",
        Action::NextItem,
        "",
        false,
        [ch('n'), (KeyCode::Right, N)]
    ),
    b!(
        "m",
        Action::Mark,
        "mark accepted / contested",
        true,
        [ch('m'), (KeyCode::Enter, N)]
    ),
    b!(
        "i",
        Action::Import,
        "import reported figures",
        true,
        [ch('i')]
    ),
];

pub const ABOUT: About = About {
    purpose: "A month's signed days against the hospital's reported figures (i imports them): \
              per authority and measure, then each day that differs, to accept or contest (m).",
    columns: &[
        ("Signed", "days in signed weeks"),
        ("Reported", "hospital's reported days"),
        ("Diff", "reported minus signed"),
        ("Mark", "accepted/contested, ! not"),
    ],
};


/// It reads the store itself: the trait's lazy loading (a reload marks it stale; it is read
/// again when shown).
impl Screen for ReconcileState {
    const TITLE: &'static str = TITLE;
    const SHORT: &'static str = SHORT;
    const CONTEXTS: &'static [KeyContext] = &[(Context::Reconcile, &[GLOBAL, KEYS, MOVE], &ABOUT)];

    /// Starts on the month before today's.
    fn new(today: NaiveDate) -> Self {
        Self {
            month: YearMonth::of(today).prev(),
            rec: None,
            selected: 0,
            stale: true,
        }
    }

    fn update(app: &mut App, action: Action) {
        match action {
            Action::PrevItem | Action::NextItem => {
                let m = app.screens.reconcile.month;
                app.screens.reconcile.month = if action == Action::PrevItem {
                    m.prev()
                } else {
                    m.next()
                };
                app.screens.reconcile.selected = 0;
                load(app);
            }
            Action::Import => ImportForm::open(
                app,
                crate::commands::import::ImportKind::Reported,
                FORM_IMPORT,
            ),
            Action::Mark => {
                let Some((la, measure, day)) = app
                    .screens
                    .reconcile
                    .rec
                    .as_ref()
                    .and_then(|r| target(r, app.screens.reconcile.selected))
                else {
                    app.message = Some(Message::error(NOTHING));
                    return;
                };
                let statuses = [MarkStatus::Contested, MarkStatus::Accepted]
                    .iter()
                    .map(|s| Choice::new(s.key(), s.key()))
                    .collect();
                let kind = MarkForm {
                    month: app.screens.reconcile.month,
                    la,
                    measure,
                    day,
                };
                let fields = vec![
                    Field::new("Status", FieldKind::Choice(statuses), true).with_value("contested"),
                    Field::new("Note", FieldKind::Text, true),
                ];
                app.form = Some(ActiveForm::new(kind, Form::new(FORM_MARK, fields)));
            }
            _ => {
                let n = app.screens.reconcile.len();
                move_sel(&mut app.screens.reconcile.selected, n, action);
            }
        }
    }

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        let t = &app.theme;
        let st = &app.screens.reconcile;
        let Some(r) = &st.rec else {
            frame.render_widget(Paragraph::new(NOTHING).wrap(Wrap { trim: true }), area);
            return;
        };
        let unsigned = if r.unsigned_days == 0 {
            "every day of the month is in a week signed by both sides".to_string()
        } else {
            format!(
                "{} calendar days in weeks not signed by both sides ({})",
                r.unsigned_days,
                r.unsigned_weeks.join(", ")
            )
        };
        let lines = vec![
            Line::raw(format!("Reported: {}", r.reported_as)),
            Line::styled(
                unsigned,
                if r.unsigned_days == 0 {
                    t.ok()
                } else {
                    t.warn()
                },
            ),
            Line::raw(format!(
                "Contested days: {}   accepted days: {}",
                r.contested_days, r.accepted_days
            )),
        ];
        // The box fits its text wrapped at the screen's width (a month of unsigned weeks wraps
        // rather than being cut at 80 columns); the list keeps at least 3 rows.
        let rows = crate::ui::widgets::wrapped_rows(&lines, area.width.saturating_sub(2)) + 2;
        let [top, list] = Layout::vertical([
            Constraint::Length(rows.min(area.height.saturating_sub(3))),
            Constraint::Min(3),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(
                Block::default().borders(Borders::ALL).title(Line::styled(
                    format!(" Reconciliation of {} ", YearMonth::long_name(st.month)),
                    t.title(),
                )),
            ),
            top,
        );
        let n = r.rows.len() + r.day_diffs.len();
        if r.rows.is_empty() && r.day_diffs.is_empty() {
            frame.render_widget(
                Paragraph::new(NOTHING)
                    .wrap(Wrap { trim: true })
                    .block(Block::default().borders(Borders::ALL)),
                list,
            );
            return;
        }
        table::render(
            frame,
            list,
            format!(
                " Signed against reported ({} rows, {} delayed days that differ) ",
                r.rows.len(),
                r.days_that_differ()
            ),
            &HEADER,
            &[
                Constraint::Length(16),
                Constraint::Length(12),
                Constraint::Length(10),
                Constraint::Length(9),
                Constraint::Length(9),
                Constraint::Length(5),
                Constraint::Min(9),
            ],
            n,
            Some(st.selected),
            NOTHING,
            t,
            |i| {
                if let Some(x) = r.rows.get(i) {
                    return vec![
                        super::la_cut(app, &x.la_code, 16),
                        x.measure.key().to_string(),
                        String::new(),
                        x.signed_days.to_string(),
                        opt(x.reported_days),
                        x.difference.map_or("-".to_string(), |d| {
                            if d > 0 {
                                format!("+{d}")
                            } else {
                                d.to_string()
                            }
                        }),
                        x.status.map_or("", MarkStatus::key).to_string(),
                    ];
                }
                let Some(x) = r.day_diffs.get(i - r.rows.len()) else {
                    return Vec::new();
                };
                let pair = |p: Option<(crate::domain::ReasonCode, crate::domain::Attribution)>| {
                    p.map_or("-".to_string(), |(re, a)| {
                        format!("{} {}", re.code(), a.key())
                    })
                };
                vec![
                    super::la_cut(app, &x.la_code, 16),
                    super::cut(&x.local_id, 12),
                    x.day.to_string(),
                    pair(x.local),
                    pair(x.reported),
                    x.kind.label().split(' ').next().unwrap_or("").to_string(),
                    x.status.map_or("", MarkStatus::key).to_string(),
                ]
            },
        );
    }

    fn stale(&mut self) -> Option<&mut bool> {
        Some(&mut self.stale)
    }

    fn load(app: &mut App) {
        load(app)
    }

    /// Signed weeks and reported figures are what it compares.
    fn handle(app: &mut App, event: &Event) {
        if matches!(event, Event::WeekSigned | Event::ReportedChanged) {
            app.screens.reconcile.stale = true;
        }
    }
}
