//! Screen 7: the weekly sitrep. One ISO week's delayed days by authority, attribution, reason and
//! type of care, patients delayed at its end and the change from the week before, with its
//! sign-off: `p`/`n` move between weeks, `s` signs it off for a side, `o` reopens it with a reason.

use crate::domain::{Side, Week};
use crate::report::weekly::{week_figures, WeekFigures};
use crate::report::weekly_table::signoff_line;
use crate::store::{SignWeek, Store, WeekStatus};
use crate::ui::app::{ActiveForm, App, FormKind};
use crate::ui::keymap::Action;
use crate::ui::widgets::form::{Choice, Field, FieldKind, Form};
use crate::ui::widgets::table;
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub const TITLE: &str = "Weekly sitrep";
pub const SHORT: &str = "Week";
const FORM_SIGN: &str = " Sign the week off ";
const FORM_REOPEN: &str = " Reopen the week ";
const HEADER: [&str; 5] = ["Authority", "Attribution", "Reason", "Care", "Days"];
const NO_DAYS: &str = "No delayed days in this week.";

/// What the Weekly screen shows.
#[derive(Debug, Clone)]
pub struct WeeklyState {
    /// The week shown; `None` until first shown (then the last full week before today).
    pub week: Option<Week>,
    pub figures: Option<WeekFigures>,
    pub status: Option<WeekStatus>,
    pub selected: usize,
}

impl WeeklyState {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            week: Some(Week::of(today).prev()),
            figures: None,
            status: None,
            selected: 0,
        }
    }
}

impl App {
    /// Reads the week shown (called by `reload`).
    pub fn refresh_weekly(&mut self) {
        let week = self
            .weekly
            .week
            .unwrap_or_else(|| Week::of(self.today).prev());
        let loaded = self
            .store
            .week_days(week, self.today)
            .and_then(|d| Ok((d, self.store.week_days(week.prev(), self.today)?)))
            .and_then(|(d, p)| Ok((week_figures(week, &d, &p), self.store.week_status(week)?)));
        match loaded {
            Ok((f, st)) => {
                self.weekly.selected = self.weekly.selected.min(f.rows.len().saturating_sub(1));
                self.weekly.figures = Some(f);
                self.weekly.status = Some(st);
            }
            Err(e) => {
                self.message = Some(crate::ui::widgets::message::Message::error(
                    crate::ui::strings::load_error(&e),
                ))
            }
        }
    }

    pub(crate) fn update_weekly(&mut self, action: Action) {
        let week = self
            .weekly
            .week
            .unwrap_or_else(|| Week::of(self.today).prev());
        match action {
            Action::PrevItem | Action::NextItem => {
                self.weekly.week = Some(if action == Action::PrevItem {
                    week.prev()
                } else {
                    week.next()
                });
                self.weekly.selected = 0;
                self.refresh_weekly();
            }
            Action::SignOff => {
                let sides = Side::ALL
                    .iter()
                    .map(|s| Choice::new(s.key(), s.label()))
                    .collect();
                let unsigned = self
                    .weekly
                    .status
                    .as_ref()
                    .and_then(|st| Side::ALL.into_iter().find(|s| st.active(*s).is_none()));
                let fields = vec![
                    Field::new("Side", FieldKind::Choice(sides), true)
                        .with_value(unsigned.unwrap_or(Side::Nhs).key()),
                    Field::new("Signed by", FieldKind::Text, true),
                    Field::new("Comment", FieldKind::Text, false),
                ];
                self.form = Some(ActiveForm {
                    kind: FormKind::SignOff { week },
                    form: Form::new(FORM_SIGN, fields),
                });
            }
            Action::Reopen => {
                self.form = Some(ActiveForm {
                    kind: FormKind::Reopen { week },
                    form: Form::new(
                        FORM_REOPEN,
                        vec![Field::new("Reason", FieldKind::Text, true)],
                    ),
                });
            }
            _ => {
                let n = self.weekly.figures.as_ref().map_or(0, |f| f.rows.len());
                crate::ui::app::move_sel(&mut self.weekly.selected, n, action);
            }
        }
    }
}

/// Saves the sign-off form: side, name, comment.
pub fn save_signoff(
    store: &mut Store,
    week: Week,
    f: &Form,
    today: NaiveDate,
) -> crate::Result<Option<String>> {
    let side = Side::parse(f.value(0)).map_err(|e| crate::Error::invalid(e.to_string()))?;
    let comment = Some(f.value(2).to_string()).filter(|c| !c.trim().is_empty());
    let s = store.sign_week(
        &SignWeek {
            week,
            side,
            by: f.value(1).to_string(),
            comment,
        },
        today,
    )?;
    Ok(Some(format!(
        "Week {week} signed for the {} side by {} ({} delayed days).",
        side.label(),
        s.signed_by,
        s.days
    )))
}

/// Saves the reopen form.
pub fn save_reopen(store: &mut Store, week: Week, f: &Form) -> crate::Result<Option<String>> {
    let n = store.reopen_week(week, f.value(0))?;
    Ok(Some(format!(
        "Week {week} reopened: {n} signature(s) cleared."
    )))
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let Some(f) = &app.weekly.figures else {
        frame.render_widget(Paragraph::new(NO_DAYS).wrap(Wrap { trim: true }), area);
        return;
    };
    let mut lines = Vec::new();
    if let Some(st) = &app.weekly.status {
        let style = if st.frozen() { t.ok() } else { t.warn() };
        lines.push(Line::styled(
            format!("Sign-off: {}", signoff_line(st)),
            style,
        ));
        // Earlier signatures, cleared by reopening: the latest reopening and how many.
        let cleared: Vec<_> = st
            .signoffs
            .iter()
            .filter(|x| x.cleared_at.is_some())
            .collect();
        if let Some(last) = cleared.last() {
            lines.push(Line::styled(
                format!(
                    "{} earlier signature(s); reopened by {} at {}: {}",
                    cleared.len(),
                    last.cleared_by.as_deref().unwrap_or(""),
                    last.cleared_at.as_deref().unwrap_or(""),
                    last.cleared_reason.as_deref().unwrap_or("")
                ),
                t.dim(),
            ));
        }
    }
    lines.push(Line::raw(format!(
        "Delayed days {} (week before {}, {}); delayed at the week's end {} (before {})",
        f.total_days,
        f.previous_total_days,
        signed(f.change),
        f.delayed_at_end,
        f.previous_delayed_at_end
    )));
    let months: Vec<String> = f
        .by_month
        .iter()
        .map(|(m, n)| format!("{m}: {n}"))
        .collect();
    lines.push(Line::styled(
        format!("Days by month: {}", months.join(", ")),
        t.dim(),
    ));
    lines.push(Line::styled(
        format!(
            "{:<18} {:>6} {:>7} {:>7} {:>7}",
            "Authority", "Days", "Before", "Change", "At end"
        ),
        t.header(),
    ));
    for l in f.by_la.iter().take(6) {
        lines.push(Line::raw(format!(
            "{:<18} {:>6} {:>7} {:>7} {:>7}",
            super::cut(&super::la_label(app, &l.la_code), 18),
            l.days,
            l.previous_days,
            signed(l.change),
            l.delayed_at_end
        )));
    }
    // The box fits its text wrapped at the screen's width (long sign-off names and reopening
    // reasons wrap rather than being cut at 80 columns); the list keeps at least 3 rows.
    let rows = crate::ui::widgets::wrapped_rows(&lines, area.width.saturating_sub(2)) + 2;
    let [top, list] = Layout::vertical([
        Constraint::Length(rows.min(area.height.saturating_sub(3))),
        Constraint::Min(3),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::default().borders(Borders::ALL).title(Line::styled(
                format!(" Week {}: {} to {} ", f.week, f.from, f.to),
                t.title(),
            )),
        ),
        top,
    );
    table::render(
        frame,
        list,
        format!(
            " Delayed days by authority, attribution, reason and type of care ({}) ",
            f.rows.len()
        ),
        &HEADER,
        &[
            Constraint::Length(18),
            Constraint::Length(12),
            Constraint::Length(7),
            Constraint::Length(10),
            Constraint::Min(5),
        ],
        f.rows.len(),
        Some(app.weekly.selected),
        NO_DAYS,
        t,
        |i| {
            let Some(r) = f.rows.get(i) else {
                return Vec::new();
            };
            vec![
                super::cut(&super::la_label(app, &r.la_code), 18),
                r.attribution.label().to_string(),
                r.reason.code().to_string(),
                r.setting.label().to_string(),
                r.days.to_string(),
            ]
        },
    );
}
