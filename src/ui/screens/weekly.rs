//! Screen 7: the weekly sitrep. One ISO week's delayed days by authority, attribution, reason and
//! type of care, patients delayed at its end and the change from the week before, with its
//! sign-off: `p`/`n` move between weeks, `s` signs it off for a side, `o` reopens it with a reason.

use super::move_sel;
use crate::domain::{Side, Week};
use crate::report::weekly::WeekFigures;
use crate::report::weekly_table::signoff_line_at;
use crate::store::{SignWeek, WeekStatus};
use crate::ui::about::About;
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::keymap::{b, ch, Action, Binding, Context, GLOBAL, MOVE, N};
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
    /// A reload happened since it was last read: read again when next shown.
    pub stale: bool,
}

/// Reads the week shown (off the draw loop: see [`App::load`]).
pub fn load(app: &mut App) {
    let week = app
        .screens
        .weekly
        .week
        .unwrap_or_else(|| Week::of(app.today).prev());
    let today = app.today;
    app.load(
        WeeklyState::ID,
        move |store| {
            crate::commands::app::load_week(store, week, today)
                .map_err(|e| crate::ui::strings::load_error(&e))
        },
        |app, read| match read {
            Ok((f, st)) => {
                app.screens.weekly.selected = app
                    .screens
                    .weekly
                    .selected
                    .min(f.rows.len().saturating_sub(1));
                app.screens.weekly.figures = Some(f);
                app.screens.weekly.status = Some(st);
            }
            Err(e) => app.message = Some(Message::error(e)),
        },
    );
}

/// The sign-off form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum SignOffField {
    Side,
    SignedBy,
    Comment,
}

/// Signs `week` off for a side.
#[derive(Debug, Clone, Copy)]
pub struct SignOffForm {
    pub week: Week,
}

impl SignOffForm {
    pub fn command(&self, f: &Form) -> crate::Result<SignWeek> {
        let v = |x: SignOffField| f.value(x as usize);
        let side = Side::parse(v(SignOffField::Side))?;
        let comment = Some(v(SignOffField::Comment).to_string()).filter(|c| !c.trim().is_empty());
        Ok(SignWeek {
            week: self.week,
            side,
            by: v(SignOffField::SignedBy).to_string(),
            comment,
        })
    }
}

impl FormSpec for SignOffForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let cmd = self.command(f)?;
        let s = app.store.sign_week(&cmd, app.today)?;
        Ok(Saved::note(Some(format!(
            "Week {} signed for the {} side by {} ({} delayed days).",
            self.week,
            cmd.side.label(),
            s.signed_by,
            s.days
        ))))
    }

    fn saved(&self, app: &mut App) {
        app.queue.push(crate::ui::queue::Event::WeekSigned);
    }
}

/// Under the sign-off form: whom the audit log will name, who signed the other side, and the
/// hub's rule on one user signing both.
fn sign_note(app: &App) -> String {
    let me = app.store.user();
    let rule = app.store.signoff_same_user_allowed().unwrap_or(false);
    let first = app.screens.weekly.status.as_ref().and_then(|st| {
        Side::ALL
            .into_iter()
            .find_map(|s| st.active(s))
            .map(|x| (x.side, x.user.clone()))
    });
    let mut note = format!("Signing as the user {me}.");
    if let Some((side, Some(user))) = first {
        note.push_str(&format!(" The {} side was signed by the user {user}", side.label()));
        note.push_str(match (user == me, rule) {
            (true, false) => ": the other side needs another user (the hub's rule).",
            (true, true) => ": the hub's rule lets one user sign both (the history will say so).",
            _ => ".",
        });
    }
    note
}

/// Reopens `week` with a reason.
#[derive(Debug, Clone, Copy)]
pub struct ReopenForm {
    pub week: Week,
}

impl FormSpec for ReopenForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let n = app.store.reopen_week(self.week, f.value(0))?;
        Ok(Saved::note(Some(format!(
            "Week {} reopened: {n} signature(s) cleared.",
            self.week
        ))))
    }

    fn saved(&self, app: &mut App) {
        app.queue.push(crate::ui::queue::Event::WeekSigned);
    }
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// The week's box title; the week in progress says it is a part week, counted to yesterday
/// (delayed days count up to the day before today).
pub fn week_title(week: &str, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> String {
    if today <= to {
        let counted = today.pred_opt().unwrap_or(today);
        format!(" Week {week}: {from} to {counted}, part week: to date ")
    } else {
        format!(" Week {week}: {from} to {to} ")
    }
}

// Its keys (the footer and `?` come from them) and its `?` text.
pub const KEYS: &[Binding] = &[
    b!(
        "p/n",
        Action::PrevItem,
        "previous / next week",
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
    b!("s", Action::SignOff, "sign off", true, [ch('s')]),
    b!("o", Action::Reopen, "reopen", true, [ch('o')]),
];

pub const ABOUT: About = About {
    purpose: "One week's sitrep: delayed days by authority, attribution, reason and type of care, \
              signed off by the NHS and social care sides.",
    columns: &[
        ("Attribution", "NHS, social care, or both"),
        ("Reason", "reason code"),
        ("Care", "acute or non-acute site"),
        ("Days", "delayed days in the week"),
    ],
};


/// It reads the store itself: the trait's lazy loading (a reload marks it stale; it is read
/// again when shown).
impl Screen for WeeklyState {
    const TITLE: &'static str = TITLE;
    const SHORT: &'static str = SHORT;
    const CONTEXTS: &'static [KeyContext] = &[(Context::Weekly, &[GLOBAL, KEYS, MOVE], &ABOUT)];

    fn new(today: NaiveDate) -> Self {
        Self {
            week: Some(Week::of(today).prev()),
            figures: None,
            status: None,
            selected: 0,
            stale: true,
        }
    }

    fn update(app: &mut App, action: Action) {
        let week = app
            .screens
            .weekly
            .week
            .unwrap_or_else(|| Week::of(app.today).prev());
        match action {
            Action::PrevItem | Action::NextItem => {
                app.screens.weekly.week = Some(if action == Action::PrevItem {
                    week.prev()
                } else {
                    week.next()
                });
                app.screens.weekly.selected = 0;
                load(app);
            }
            Action::SignOff => {
                let sides = Side::ALL
                    .iter()
                    .map(|s| Choice::new(s.key(), s.label()))
                    .collect();
                let unsigned = app
                    .screens
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
                let mut form = Form::new(FORM_SIGN, fields);
                form.note = Some(sign_note(app));
                app.form = Some(ActiveForm::new(SignOffForm { week }, form));
            }
            Action::Reopen => {
                app.form = Some(ActiveForm::new(
                    ReopenForm { week },
                    Form::new(
                        FORM_REOPEN,
                        vec![Field::new("Reason", FieldKind::Text, true)],
                    ),
                ));
            }
            _ => {
                let n = app
                    .screens
                    .weekly
                    .figures
                    .as_ref()
                    .map_or(0, |f| f.rows.len());
                move_sel(&mut app.screens.weekly.selected, n, action);
            }
        }
    }

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        let t = &app.theme;
        let Some(f) = &app.screens.weekly.figures else {
            frame.render_widget(Paragraph::new(NO_DAYS).wrap(Wrap { trim: true }), area);
            return;
        };
        let mut lines = Vec::new();
        if let Some(st) = &app.screens.weekly.status {
            let style = if st.frozen() { t.ok() } else { t.warn() };
            lines.push(Line::styled(
                format!(
                    "Sign-off: {}",
                    signoff_line_at(st, |at| app.zone.local(at))
                ),
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
                        app.zone.local(last.cleared_at.as_deref().unwrap_or("")),
                        last.cleared_reason.as_deref().unwrap_or("")
                    ),
                    t.dim(),
                ));
            }
        }
        // Before the register's coverage (issue 24) a week's days are not a complete record, and
        // a week is compared only with a week before that is covered.
        let cover = &app.data.coverage;
        let compared = cover.covers_day(f.from - chrono::Days::new(7));
        if let Some(day) = cover.from_day().filter(|_| !cover.covers_day(f.from)) {
            lines.push(Line::styled(
                format!("Before the register's coverage (from {day}): not a complete record"),
                t.warn(),
            ));
        }
        lines.push(Line::raw(if compared {
            format!(
                "Delayed days {} (week before {}, {}); delayed at the week's end {} (before {})",
                f.total_days,
                f.previous_total_days,
                signed(f.change),
                f.delayed_at_end,
                f.previous_delayed_at_end
            )
        } else {
            format!(
                "Delayed days {}; delayed at the week's end {} (the week before is before coverage: not compared)",
                f.total_days, f.delayed_at_end
            )
        }));
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
                super::la_cut(app, &l.la_code, 18),
                l.days,
                if compared {
                    l.previous_days.to_string()
                } else {
                    "-".to_string()
                },
                if compared {
                    signed(l.change)
                } else {
                    "-".to_string()
                },
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
                    week_title(f.week.as_str(), f.from, f.to, app.today),
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
            Some(app.screens.weekly.selected),
            NO_DAYS,
            t,
            |i| {
                let Some(r) = f.rows.get(i) else {
                    return Vec::new();
                };
                vec![
                    super::la_cut(app, &r.la_code, 18),
                    r.attribution.label().to_string(),
                    r.reason.code().to_string(),
                    r.setting.label().to_string(),
                    r.days.to_string(),
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
}
