//! Screen 8: reconciliation of a month's locally signed days with the hospital's reported figures:
//! per authority and measure, then the patients' days that differ. `p`/`n` move between months; `m`
//! marks the selected difference accepted or contested with a note.

use crate::commands::weekly::{load_reconciliation, mark_difference, MarkRequest};
use crate::domain::{MarkStatus, Measure, YearMonth};
use crate::report::reconcile::Reconciliation;
use crate::store::Store;
use crate::ui::app::{ActiveForm, App, FormKind};
use crate::ui::keymap::Action;
use crate::ui::widgets::form::{Choice, Field, FieldKind, Form};
use crate::ui::widgets::message::Message;
use crate::ui::widgets::table;
use chrono::NaiveDate;
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
    "Nothing to reconcile: no signed weeks or reported figures for this month (dtoc import reported FILE).";

/// What the Reconcile screen shows.
#[derive(Debug, Clone)]
pub struct ReconcileState {
    pub month: YearMonth,
    pub rec: Option<Reconciliation>,
    /// Index into the authority rows, then the day differences.
    pub selected: usize,
}

impl ReconcileState {
    /// Starts on the month before today's.
    pub fn new(today: NaiveDate) -> Self {
        Self {
            month: YearMonth::of(today).prev(),
            rec: None,
            selected: 0,
        }
    }

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
        return Some((r.la_code.clone(), r.measure, None));
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
    Some((d.la_code.clone(), m, Some((d.local_id.clone(), d.day))))
}

impl App {
    /// Reads the month shown (called by `reload`).
    pub fn refresh_reconcile(&mut self) {
        match load_reconciliation(&self.store, self.reconcile.month) {
            Ok(r) => {
                self.reconcile.rec = Some(r);
                let n = self.reconcile.len();
                self.reconcile.selected = self.reconcile.selected.min(n.saturating_sub(1));
            }
            Err(e) => self.message = Some(Message::error(e.to_string())),
        }
    }

    pub(crate) fn update_reconcile(&mut self, action: Action) {
        match action {
            Action::PrevItem | Action::NextItem => {
                let m = self.reconcile.month;
                self.reconcile.month = if action == Action::PrevItem {
                    m.prev()
                } else {
                    m.next()
                };
                self.reconcile.selected = 0;
                self.refresh_reconcile();
            }
            Action::Mark => {
                let Some((la, measure, day)) = self
                    .reconcile
                    .rec
                    .as_ref()
                    .and_then(|r| target(r, self.reconcile.selected))
                else {
                    self.message = Some(Message::error(NOTHING));
                    return;
                };
                let statuses = [MarkStatus::Contested, MarkStatus::Accepted]
                    .iter()
                    .map(|s| Choice::new(s.key(), s.key()))
                    .collect();
                self.form = Some(ActiveForm {
                    kind: FormKind::Mark {
                        month: self.reconcile.month,
                        la,
                        measure,
                        day,
                    },
                    form: Form::new(
                        FORM_MARK,
                        vec![
                            Field::new("Status", FieldKind::Choice(statuses), true)
                                .with_value("contested"),
                            Field::new("Note", FieldKind::Text, true),
                        ],
                    ),
                });
            }
            _ => {
                let n = self.reconcile.len();
                crate::ui::app::move_sel(&mut self.reconcile.selected, n, action);
            }
        }
    }
}

/// Saves the mark form.
pub fn save_mark(
    store: &mut Store,
    month: YearMonth,
    la: &str,
    measure: Measure,
    day: Option<&(String, NaiveDate)>,
    f: &Form,
) -> crate::Result<Option<String>> {
    let status = MarkStatus::parse(f.value(0)).map_err(|e| crate::Error::invalid(e.to_string()))?;
    let days = mark_difference(
        store,
        &MarkRequest {
            month,
            la,
            measure,
            day: day.map(|(id, d)| (id.as_str(), *d)),
            status,
            note: f.value(1),
        },
    )
    .map_err(|e| crate::Error::invalid(e.to_string()))?;
    Ok(Some(format!("{days} days marked {}.", status.key())))
}

fn opt<T: ToString>(x: Option<T>) -> String {
    x.map_or("-".to_string(), |v| v.to_string())
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let st = &app.reconcile;
    let Some(r) = &st.rec else {
        frame.render_widget(Paragraph::new(NOTHING).wrap(Wrap { trim: true }), area);
        return;
    };
    let unsigned = if r.unsigned_days == 0 {
        "every day of the month is in a week signed by both sides".to_string()
    } else {
        format!(
            "{} days in weeks not signed by both sides ({})",
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
            " Signed against reported ({} rows, {} days that differ) ",
            r.rows.len(),
            r.day_diffs.len()
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
                    super::cut(&super::la_label(app, &x.la_code), 16),
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
                super::cut(&super::la_label(app, &x.la_code), 16),
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
