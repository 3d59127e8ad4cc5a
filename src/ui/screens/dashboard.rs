//! Screen 1: per authority, this month so far (rate per 100,000 per day against the target, RAG
//! and significance), the month-end forecast, patients delayed now and long stays, and 13 months'
//! chart of the rate per day with the target line. Everything shown is computed in `App::reload`.

use super::report::chart::{period_label, target_in_unit};
use crate::domain::LaCode;
use crate::domain::YearMonth;
use crate::domain::{Attribution, Measure};
use crate::report::monthly::{Forecast, MonthlyRow};
use crate::ui::about::About;
use crate::ui::app::{App, Data};
use crate::ui::keymap::{b, ch, Binding, GLOBAL, S};
use crate::ui::keymap::{Action, Context};
use crate::ui::queue::Event;
use crate::ui::screens::{KeyContext, Screen};
use crate::ui::strings as s;
use crate::ui::widgets::bars::BarColumn;
use crate::ui::widgets::bars::{StackedBars, TARGET_GLYPH};
use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

/// One authority on the dashboard: this month so far, the forecast and who is delayed now.
#[derive(Debug, Clone, PartialEq)]
pub struct DashRow {
    pub la_code: LaCode,
    pub la_name: String,
    /// The total measure of this month so far (None if the month has no row).
    pub month: Option<MonthlyRow>,
    pub forecast: Option<Forecast>,
    /// Patients delayed now by attribution: NHS, social care, both.
    pub now: [u64; 3],
    /// Patients delayed now whose length of stay is 14+ and 21+ days.
    pub los14: usize,
    pub los21: usize,
    /// Patients delayed now (the denominator of the 14+/21+ counts).
    pub delayed_now: usize,
    /// The 13 months' total rate (per 100,000 per day, or delayed days per day without a
    /// population) and target in the same unit.
    pub trend: Vec<BarColumn>,
    pub per_100k: bool,
}

pub const TITLE: &str = "Dashboard";
pub const SHORT: &str = "Dash";

/// The dashboard's figures, one per authority (computed with the aggregates).
#[derive(Debug, Clone, Default)]
pub struct DashboardState {
    pub rows: Vec<DashRow>,
}

/// The dashboard's figures per authority, from the loaded report, the patients delayed today by
/// attribution and by length of stay (all as of today, whatever the register's switches).
pub fn rows(data: &Data, today: NaiveDate) -> Vec<DashRow> {
    let this = crate::report::period::PeriodKey::Month(YearMonth::of(today));
    data.authorities
        .iter()
        .map(|a| {
            let totals: Vec<&MonthlyRow> = data
                .monthly
                .rows
                .iter()
                .filter(|r| r.la_code == a.code && r.measure == Measure::Total)
                // Before coverage (issue 24): no bar, never a 0.
                .filter(|r| r.covered)
                .collect();
            let per_100k = totals.iter().all(|r| r.rate_per_100k_day.is_some());
            let trend = totals
                .iter()
                .map(|r| BarColumn {
                    label: period_label(&r.month.to_string()),
                    parts: vec![if per_100k {
                        r.rate_per_100k_day.unwrap_or(0.0)
                    } else {
                        r.dtoc_beds
                    }],
                    target: target_in_unit(r, per_100k),
                })
                .collect();
            let now_of = |x: Attribution| {
                data.open
                    .iter()
                    .filter(|o| o.la_code == a.code && o.attribution == x)
                    .map(|o| o.patients)
                    .sum()
            };
            // Delayed today and their stays: from the loaded rows (the delays open now), or on a
            // back-dated today, when those are not the day's, as the store counted them.
            let stays = match &data.open_stays {
                Some(all) => all.iter().find(|o| o.la_code == a.code).cloned(),
                None => {
                    let open: Vec<&crate::store::DelayRow> = data
                        .delays
                        .iter()
                        .filter(|d| d.ended_on.is_none() && d.la_code == a.code)
                        .collect();
                    let at_least = |n: u32| {
                        open.iter().filter(|d| d.length_of_stay(today) >= n).count() as u64
                    };
                    Some(crate::store::OpenStays {
                        la_code: a.code.clone(),
                        delayed: open.len() as u64,
                        los14: at_least(14),
                        los21: at_least(21),
                    })
                }
            };
            let of = |f: fn(&crate::store::OpenStays) -> u64| stays.as_ref().map_or(0, f) as usize;
            DashRow {
                la_code: a.code.clone(),
                la_name: a.display_name().to_string(),
                month: totals
                    .iter()
                    .find(|r| r.month == this)
                    .map(|r| (*r).clone()),
                forecast: data
                    .forecast
                    .iter()
                    .find(|f| f.la_code == a.code && f.measure == Measure::Total)
                    .cloned(),
                now: [
                    now_of(Attribution::Nhs),
                    now_of(Attribution::SocialCare),
                    now_of(Attribution::Both),
                ],
                los14: of(|o| o.los14),
                los21: of(|o| o.los21),
                delayed_now: of(|o| o.delayed),
                trend,
                per_100k,
            }
        })
        .collect()
}

fn opt(x: Option<f64>, p: usize) -> String {
    x.map_or("-".to_string(), |v| format!("{v:.p$}"))
}

/// One small chart per authority: 13 months of the total rate per day, with the target line.
pub fn chart(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    if area.height < 5 {
        return;
    }
    let all = &app.screens.dashboard.rows;
    let names: Vec<&str> = all.iter().map(|d| d.la_name.as_str()).collect();
    let fit = ((area.width / 26).max(1) as usize).min(all.len());
    let shown: Vec<&DashRow> = all.iter().take(fit).collect();
    let cols = Layout::horizontal(vec![Constraint::Fill(1); shown.len()]).split(area);
    for (d, a) in shown.iter().zip(cols.iter()) {
        let unit = if d.per_100k { "/100k/d" } else { "beds" };
        let last = d.trend.last().map(|c| c.total());
        let title = format!(
            " {}{} ",
            super::cut_among(&d.la_name, &names, a.width.saturating_sub(10) as usize),
            last.map_or(String::new(), |v| format!(" {v:.2}"))
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Line::styled(title, t.title()))
            .title_bottom(Line::from(vec![
                Span::styled(TARGET_GLYPH, t.target()),
                Span::styled(format!(" target  {unit}"), t.dim()),
            ]));
        let inner = block.inner(*a);
        frame.render_widget(block, *a);
        frame.render_widget(
            StackedBars {
                columns: &d.trend,
                theme: t,
            },
            inner,
        );
    }
    if fit < all.len() {
        let more = format!(" +{} more: see the monthly report ", all.len() - fit);
        let r = Rect {
            x: area.x + area.width.saturating_sub(more.len() as u16 + 1),
            y: area.y + area.height - 1,
            width: (more.len() as u16).min(area.width),
            height: 1,
        };
        frame.render_widget(Paragraph::new(Line::styled(more, t.dim())), r);
    }
}

// Its keys (the footer and `?` come from them) and its `?` text.
pub const KEYS: &[Binding] = &[b!(
    "F",
    Action::SetUp,
    "set up (first run)",
    false,
    [ch('F'), (KeyCode::Char('F'), S)]
)];

pub const ABOUT: About = About {
    purpose: "This month by local authority: delayed days so far against the target, and the \
              delays open now.",
    columns: &[
        ("Days", "delayed days so far"),
        ("Beds", "beds a day delayed"),
        ("/100k/d", "a day per 100,000 18+"),
        ("Target/d", "target on that scale"),
        ("RAG", "red/amber/green vs target"),
        ("vs target", "significant difference"),
        ("Run rate", "month-end at this rate"),
        ("If all stay", "month-end if none leave"),
        ("NHS/SC/Both", "open by attribution"),
        ("LOS 14+/21+", "stays of 14 / 21+ days"),
    ],
};


impl Screen for DashboardState {
    const TITLE: &'static str = TITLE;
    const SHORT: &'static str = SHORT;
    const CONTEXTS: &'static [KeyContext] = &[(Context::Dashboard, &[GLOBAL, KEYS], &ABOUT)];

    fn new(_today: NaiveDate) -> Self {
        Self::default()
    }

    /// No keys of its own.
    fn update(_app: &mut App, _action: Action) {}

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        let t = &app.theme;
        let this = YearMonth::of(app.today);
        if app.screens.dashboard.rows.is_empty() {
            let block = Block::default().borders(Borders::ALL).title(Line::styled(
                format!(" {} so far ", this.long_name()),
                t.title(),
            ));
            frame.render_widget(
                Paragraph::new(s::NO_AUTHORITIES)
                    .wrap(ratatui::widgets::Wrap { trim: true })
                    .block(block),
                area,
            );
            return;
        }
        let n = app.screens.dashboard.rows.len() as u16;
        let table_h = n + 3;
        let note_h = if area.width >= 120 && area.height >= 30 {
            2
        } else {
            0
        };
        let quiet = app.data.quiet(app.today);
        let [month, now, warn, note, chart_area] = Layout::vertical([
            Constraint::Length(table_h),
            Constraint::Length(table_h),
            Constraint::Length(u16::from(quiet.is_some())),
            Constraint::Length(note_h),
            Constraint::Min(0),
        ])
        .areas(area);
        // A register not kept up to date says so before its figures are read on: they count the
        // days since its last entry as nobody leaving.
        if let Some(q) = quiet {
            frame.render_widget(Line::styled(format!(" {}", q.dashboard()), t.warn()), warn);
        }
        let counted = app
            .screens
            .dashboard
            .rows
            .iter()
            .find_map(|d| d.month.as_ref().map(|m| m.days_in_month))
            .unwrap_or(0);
        // A month wholly or partly before the register's coverage (issue 24) has no figures.
        let covered = app.data.coverage.covers(this);
        let today_covered = app.data.coverage.covers_day(app.today);
        let wide = area.width >= 100;
        let name_w: u16 = if wide { 20 } else { 14 };
        let names: Vec<&str> = app
            .screens
            .dashboard
            .rows
            .iter()
            .map(|d| d.la_name.as_str())
            .collect();
        // This month so far.
        let rows: Vec<Row> = app
            .screens
            .dashboard
            .rows
            .iter()
            .map(|d| {
                // Before coverage (issue 24) a figure is blank, never 0.
                let m = d.month.as_ref().filter(|m| m.covered);
                let rag = m.and_then(|m| m.rag);
                let vs = m.and_then(|m| m.vs_target);
                Row::new(vec![
                    Cell::from(super::cut_among(&d.la_name, &names, name_w as usize)),
                    Cell::from(m.map_or("-".to_string(), |m| m.delayed_days.to_string())),
                    Cell::from(m.map_or("-".to_string(), |m| format!("{:.1}", m.dtoc_beds))),
                    Cell::from(opt(m.and_then(|m| m.rate_per_100k_day), 2)),
                    Cell::from(opt(m.and_then(|m| m.target_per_100k_day), 2)),
                    Cell::from(rag.map_or("-", |r| r.as_str()))
                        .style(rag.map_or(t.dim(), |r| t.rag(r))),
                    Cell::from(match (vs, counted) {
                        (Some(v), _) => v.as_str(),
                        _ if !covered => s::DASH_BEFORE_COVERAGE,
                        (None, 0) => s::DASH_NONE_COUNTED,
                        (None, _) => s::NO_TARGET,
                    }),
                ])
            })
            .collect();
        let title = if !covered {
            // A back-dated today before the register's coverage: blank, never 0, and why.
            format!(
                " {}: before the register's coverage (from {}): blank, not 0 ",
                this.long_name(),
                app.data.coverage.from_day().unwrap_or(app.today)
            )
        } else if counted == 0 {
            // The first day of a month: nothing of it is counted, so every figure is `-` (no
            // data), and the title says why.
            format!(
                " {}: began today; its first day is counted tomorrow ",
                this.long_name()
            )
        } else {
            format!(
                " {} so far: {counted} day{} to {} ",
                this.long_name(),
                if counted == 1 { "" } else { "s" },
                app.today.pred_opt().unwrap_or(app.today)
            )
        };
        frame.render_widget(
            Table::new(
                rows,
                [
                    Constraint::Length(name_w),
                    Constraint::Length(6),
                    Constraint::Length(6),
                    Constraint::Length(8),
                    Constraint::Length(8),
                    Constraint::Length(5),
                    Constraint::Min(10),
                ],
            )
            .header(Row::new(s::DASH_MONTH_HEADER.to_vec()).style(t.header()))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(Line::styled(title, t.title())),
            )
            .column_spacing(1),
            month,
        );
        // Forecast and who is delayed now.
        let rows: Vec<Row> = app
            .screens
            .dashboard
            .rows
            .iter()
            .map(|d| {
                let f = d.forecast.as_ref();
                // A today before coverage: who was delayed then is not all recorded.
                let now = |text: String| if today_covered { text } else { "-".to_string() };
                let frac = |k: usize| now(format!("{k}/{}", d.delayed_now));
                Row::new(vec![
                    super::cut_among(&d.la_name, &names, name_w as usize),
                    opt(f.map(|f| f.run_rate_projection), 0),
                    opt(f.map(|f| f.if_all_stay_projection), 0),
                    opt(f.and_then(|f| f.target_days), 0),
                    now(d.now[0].to_string()),
                    now(d.now[1].to_string()),
                    now(d.now[2].to_string()),
                    frac(d.los14),
                    frac(d.los21),
                ])
            })
            .collect();
        let title = if !covered {
            " Forecast: none before coverage · delayed now · LOS k/all delayed now ".to_string()
        } else if counted == 0 {
            format!(" Forecast: {} · delayed now · LOS k/all delayed now ", s::DASH_NO_FORECAST)
        } else if wide {
            format!(
                " Month-end forecast (delayed days, {}) · patients delayed now · LOS 14+/21+ of all delayed now ",
                this.long_name()
            )
        } else {
            " Forecast (days) · delayed now · LOS k/all delayed now ".to_string()
        };
        frame.render_widget(
            Table::new(
                rows,
                [
                    Constraint::Length(name_w),
                    Constraint::Length(8),
                    Constraint::Length(11),
                    Constraint::Length(7),
                    Constraint::Length(4),
                    Constraint::Length(4),
                    Constraint::Length(4),
                    Constraint::Length(7),
                    Constraint::Length(7),
                ],
            )
            .header(Row::new(s::DASH_NOW_HEADER.to_vec()).style(t.header()))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(Line::styled(title, t.title())),
            )
            .column_spacing(1),
            now,
        );
        if note_h > 0 {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    format!("{}  {}", s::LOS_NOTE, s::DASH_NOTE),
                    t.dim(),
                ))
                .wrap(Wrap { trim: true }),
                note,
            );
        }
        chart(frame, chart_area, app);
    }

    /// Its figures are computed with the aggregates (see [`Screen::show`]).
    fn refresh(_app: &mut App) {}

    /// When shown: the aggregates, if a reload left them to read.
    fn show(app: &mut App) {
        app.load_aggregates_if_stale();
    }

    fn handle(app: &mut App, event: &Event) {
        if *event == Event::AggregatesComputed {
            app.screens.dashboard.rows = rows(&app.data, app.today);
        }
    }
}
