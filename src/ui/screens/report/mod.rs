//! Screen 5: the monthly report of `crate::report` — period × authority × measure with delayed
//! days, rates per 100,000, target, RAG and significance; a stacked chart by attribution with the
//! target line; and the SPC (XmR) chart of the selected authority ([`chart`]). Its state is
//! computed by [`refresh`] from the loaded report; drawn from that state only.

pub mod chart;

use super::{cut, move_sel};
use crate::commands::output::Format;
use crate::commands::report::write_monthly;
use crate::domain::LaCode;
use crate::domain::{Measure, YearMonth};
use crate::report::monthly::{by_period, MonthlyRow};
use crate::report::period::{Period, PeriodKey};
use crate::report::spc::XmrChart;
use crate::ui::about::About;
use crate::ui::app::App;
use crate::ui::keymap::{b, ch, Action, Binding, Context, EXPORT, GLOBAL, MOVE};
use crate::ui::queue::Event;
use crate::ui::screens::{KeyContext, Screen};
use crate::ui::strings as s;
use crate::ui::widgets::bars::BarColumn;
use crate::ui::widgets::message::Message;
use crate::ui::widgets::table;
use chart::{period_label, spc_view, target_in_unit};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::path::Path;

/// What the monthly report screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportView {
    #[default]
    Table,
    Chart,
    Spc,
}

/// The SPC view of one authority's total rate per day.
#[derive(Debug, Clone, PartialEq)]
pub struct SpcView {
    pub la_code: LaCode,
    pub la_name: String,
    pub unit: &'static str,
    /// The chart, or why there is none.
    pub chart: Result<XmrChart, String>,
}

#[derive(Debug, Clone)]
pub struct ReportState {
    pub view: ReportView,
    pub period: Period,
    pub selected: usize,
    /// The rows shown for `period`, newest first.
    pub rows: Vec<MonthlyRow>,
    /// The authority of the chart and SPC views (index into the authorities).
    pub la: usize,
    /// The stacked bars (NHS, social care, both) of the selected authority, oldest first.
    pub stack: Vec<BarColumn>,
    pub stack_per_100k: bool,
    pub spc: Option<SpcView>,
}

impl Default for ReportState {
    fn default() -> Self {
        Self {
            view: ReportView::Table,
            period: Period::Month,
            selected: 0,
            rows: Vec::new(),
            la: 0,
            stack: Vec::new(),
            stack_per_100k: true,
            spc: None,
        }
    }
}

pub const TITLE: &str = "Monthly report";
pub const SHORT: &str = "Report";

/// Recomputes what the screen shows from the loaded report.
pub fn refresh(app: &mut App) {
    let rep = &mut app.screens.report;
    let mut rows = match rep.period {
        Period::Month => app.data.monthly.rows.clone(),
        p => by_period(&app.data.monthly.rows, p),
    };
    // Newest period first; within it authority and measure as the report orders them.
    rows.reverse();
    let mut groups: Vec<Vec<MonthlyRow>> = Vec::new();
    for r in rows {
        match groups.last_mut() {
            Some(g) if g[0].month == r.month => g.push(r),
            _ => groups.push(vec![r]),
        }
    }
    rep.rows = groups
        .into_iter()
        .flat_map(|mut g| {
            g.reverse();
            g
        })
        .collect();
    let n_la = app.data.authorities.len();
    rep.la = rep.la.min(n_la.saturating_sub(1));
    rep.selected = rep.selected.min(rep.rows.len().saturating_sub(1));
    let Some(la) = app.data.authorities.get(rep.la) else {
        rep.stack.clear();
        rep.spc = None;
        return;
    };
    let code = la.code.clone();
    // Period rows of this authority, oldest first.
    let mine: Vec<&MonthlyRow> = rep
        .rows
        .iter()
        .rev()
        .filter(|r| r.la_code == code)
        .collect();
    let per_100k = mine.iter().all(|r| r.rate_per_100k_day.is_some());
    let value = |r: &MonthlyRow| {
        if per_100k {
            r.rate_per_100k_day.unwrap_or(0.0)
        } else {
            r.dtoc_beds
        }
    };
    let mut stack = Vec::new();
    for r in mine.iter().filter(|r| r.measure == Measure::Total) {
        let part = |m: Measure| {
            mine.iter()
                .find(|x| x.month == r.month && x.measure == m)
                .map_or(0.0, |x| value(x))
        };
        stack.push(BarColumn {
            label: period_label(&r.month.to_string()),
            parts: vec![
                part(Measure::Nhs),
                part(Measure::SocialCare),
                part(Measure::Both),
            ],
            target: target_in_unit(r, per_100k),
        });
    }
    rep.stack_per_100k = per_100k;
    rep.stack = stack;
    rep.spc = Some(spc_view(
        &app.data.monthly.rows,
        &code,
        la.display_name(),
        app.today,
    ));
}

/// Writes the report rows of the period shown (aggregates only: no patient data).
fn export(app: &mut App, format: Format) {
    let period = match app.screens.report.period {
        Period::Month => "",
        Period::Quarter => "-quarterly",
        Period::Year => "-yearly",
    };
    let ext = if format == Format::Xlsx {
        "xlsx"
    } else {
        "csv"
    };
    let path = app.export_dir.join(format!(
        "dtoc-monthly-{}{period}.{ext}",
        YearMonth::of(app.today).key(),
    ));
    let mut rows = app.screens.report.rows.clone();
    // Files read oldest first, like `dtoc report monthly`.
    rows.sort_by_key(|a| a.month);
    let result = match format {
        Format::Xlsx => export_xlsx(&rows, &path, app.today),
        _ => export_csv(&rows, &path),
    };
    match result {
        Ok(()) => app.message = Some(Message::info(s::exported(&path))),
        Err(e) => app.message = Some(Message::error(format!("{}: {e}", path.display()))),
    }
}

/// Writes `rows` as the CSV of `dtoc report monthly --format csv`.
pub fn export_csv(rows: &[MonthlyRow], path: &Path) -> anyhow::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    write_monthly(rows, Format::Csv, &mut f)?;
    std::io::Write::flush(&mut f)?;
    Ok(())
}

/// Writes `rows` as one XLSX sheet with the CSV's columns, through the same table writer as
/// `dtoc report monthly --format xlsx` (title row, frozen bold header, numbers as numbers, the
/// workbook dated `today` so the same rows give the same file).
pub fn export_xlsx(
    rows: &[MonthlyRow],
    path: &Path,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let t = crate::report::monthly::monthly_table(rows, &format!("Monthly report (as of {today})"));
    crate::commands::output::write_xlsx(&[t], path, today)
}

fn period_name(p: Period) -> &'static str {
    match p {
        Period::Month => "month",
        Period::Quarter => "quarter",
        Period::Year => "financial year",
    }
}

fn opt(x: Option<f64>, p: usize) -> String {
    x.map_or("-".to_string(), |v| format!("{v:.p$}"))
}

/// `2018-08*`: a period not every day of which is counted (the month in progress; a quarter or
/// year with months missing or in progress), so its days are not read as a whole period's.
fn period_cell(r: &MonthlyRow) -> String {
    if r.covered && !r.complete() {
        format!("{}*", r.month)
    } else {
        r.month.to_string()
    }
}

/// The line under the table when a period shown is not complete: what its `*` means, for the
/// newest such period.
fn partial_note(rows: &[MonthlyRow], today: chrono::NaiveDate) -> Option<String> {
    let r = rows.iter().find(|r| r.covered && !r.complete())?;
    let to = today.pred_opt().unwrap_or(today).format("%d/%m/%Y");
    Some(match (&r.period, r.month) {
        (Some(c), _) => format!(
            "* not complete: {} counts {} of its {} months, to {to}",
            r.month, c.months, c.of_months,
        ),
        (None, PeriodKey::Month(m)) => format!(
            "* not complete: {m} counts {} of its {} days, to {to}",
            r.days_in_month,
            m.days()
        ),
        (None, _) => format!("* not complete: {}", r.month),
    })
}

fn render_table(frame: &mut Frame, area: Rect, app: &App) {
    let rs = &app.screens.report.rows;
    let area = match partial_note(rs, app.today) {
        Some(note) => {
            let [table, legend] =
                Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
            frame.render_widget(
                Paragraph::new(Line::styled(cut(&note, usize::from(legend.width)), app.theme.dim())),
                legend,
            );
            table
        }
        None => area,
    };
    let wide = area.width >= 120;
    let (header, widths): (Vec<&str>, Vec<Constraint>) = if wide {
        (
            s::REPORT_HEADER.to_vec(),
            vec![
                Constraint::Length(11),
                Constraint::Length(20),
                Constraint::Length(11),
                Constraint::Length(6),
                Constraint::Length(6),
                Constraint::Length(9),
                Constraint::Length(7),
                Constraint::Length(8),
                Constraint::Length(11),
                Constraint::Length(5),
                Constraint::Min(20),
            ],
        )
    } else {
        (
            vec![
                "Period",
                "LA",
                "Measure",
                "Days",
                "/100k/d",
                "Tgt/d",
                "RAG",
                "vs target",
            ],
            vec![
                Constraint::Length(11),
                Constraint::Length(14),
                Constraint::Length(11),
                Constraint::Length(5),
                Constraint::Length(7),
                Constraint::Length(5),
                Constraint::Length(5),
                Constraint::Min(8),
            ],
        )
    };
    let title = if wide {
        format!(
            " {} by {}: delayed days, rates per 100,000 adults, target, RAG · v view · p period ",
            TITLE,
            period_name(app.screens.report.period)
        )
    } else {
        format!(
            " Report by {} · v view · p period · E/X export ",
            period_name(app.screens.report.period)
        )
    };
    let names: Vec<&str> = rs.iter().map(|r| r.la_name.as_str()).collect();
    table::render(
        frame,
        area,
        title,
        &header,
        &widths,
        rs.len(),
        Some(app.screens.report.selected),
        s::NO_AUTHORITIES,
        &app.theme,
        |i| {
            // Before coverage (issue 24) a figure is blank, never 0.
            let days = |r: &crate::report::monthly::MonthlyRow| {
                if r.covered {
                    r.delayed_days.to_string()
                } else {
                    "-".to_string()
                }
            };
            let Some(r) = rs.get(i) else {
                return Vec::new();
            };
            let rag = r.rag.map_or("-", |x| x.as_str()).to_string();
            let vs = r.vs_target.map_or("-", |x| x.as_str());
            if wide {
                vec![
                    period_cell(r),
                    crate::ui::screens::cut_among(&r.la_name, &names, 20),
                    r.measure.label().to_string(),
                    days(r),
                    if r.covered {
                        format!("{:.1}", r.dtoc_beds)
                    } else {
                        "-".to_string()
                    },
                    opt(r.rate_per_100k_month, 1),
                    opt(r.rate_per_100k_day, 2),
                    opt(r.target_per_100k_day, 2),
                    opt(r.target_days, 1),
                    rag,
                    vs.to_string(),
                ]
            } else {
                let short = match r.vs_target {
                    Some(crate::report::VsTarget::SignificantlyBetter) => "sig. better",
                    Some(crate::report::VsTarget::SignificantlyWorse) => "sig. worse",
                    Some(crate::report::VsTarget::Similar) => "similar",
                    None => "-",
                };
                vec![
                    period_cell(r),
                    crate::ui::screens::cut_among(&r.la_name, &names, 14),
                    cut(r.measure.label(), 11),
                    days(r),
                    opt(r.rate_per_100k_day, 2),
                    opt(r.target_per_100k_day, 2),
                    rag,
                    short.to_string(),
                ]
            }
        },
    );
}

// Its keys (the footer and `?` come from them) and its `?` text.
pub const KEYS: &[Binding] = &[
    b!(
        "v",
        Action::ToggleView,
        "view table/chart/SPC",
        true,
        [ch('v')]
    ),
    b!(
        "p",
        Action::CyclePeriod,
        "period month/qtr/year",
        true,
        [ch('p')]
    ),
];

pub const ABOUT: About = About {
    purpose: "The monthly report by authority and measure, as a table, a chart or an SPC chart \
              (v), by month, quarter or year (p).",
    columns: &[
        ("Days", "delayed days"),
        ("Beds", "beds a day delayed"),
        ("/100k mth", "per 100,000 18+"),
        ("/100k/d", "the same a day"),
        ("Target/d", "target a day /100k"),
        ("Target days", "target as days"),
        ("RAG", "red/amber/green vs target"),
        ("vs target", "significant difference"),
    ],
};


impl Screen for ReportState {
    const TITLE: &'static str = TITLE;
    const SHORT: &'static str = SHORT;
    const CONTEXTS: &'static [KeyContext] = &[(Context::Report, &[GLOBAL, KEYS, EXPORT, MOVE], &ABOUT)];

    fn new(_today: chrono::NaiveDate) -> Self {
        Self::default()
    }

    fn update(app: &mut App, action: Action) {
        let rep = &mut app.screens.report;
        match action {
            Action::ToggleView => {
                rep.view = match rep.view {
                    ReportView::Table => ReportView::Chart,
                    ReportView::Chart => ReportView::Spc,
                    ReportView::Spc => ReportView::Table,
                };
            }
            Action::CyclePeriod => {
                rep.period = match rep.period {
                    Period::Month => Period::Quarter,
                    Period::Quarter => Period::Year,
                    Period::Year => Period::Month,
                };
                rep.selected = 0;
                refresh(app);
            }
            Action::Export => export(app, Format::Csv),
            Action::ExportXlsx => export(app, Format::Xlsx),
            _ if rep.view == ReportView::Table => {
                move_sel(&mut rep.selected, rep.rows.len(), action);
                let code = rep.rows.get(rep.selected).map(|r| r.la_code.clone());
                if let Some(i) =
                    code.and_then(|c| app.data.authorities.iter().position(|a| a.code == c))
                {
                    if i != app.screens.report.la {
                        app.screens.report.la = i;
                        refresh(app);
                    }
                }
            }
            _ => {
                let before = rep.la;
                move_sel(&mut rep.la, app.data.authorities.len(), action);
                if before != app.screens.report.la {
                    refresh(app);
                }
            }
        }
    }

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        match app.screens.report.view {
            ReportView::Table => render_table(frame, area, app),
            ReportView::Chart => chart::render_chart(frame, area, app),
            ReportView::Spc => chart::render_spc(frame, area, app),
        }
    }

    fn refresh(app: &mut App) {
        refresh(app)
    }

    /// When shown: the aggregates, if a reload left them to read.
    fn show(app: &mut App) {
        app.load_aggregates_if_stale();
    }

    fn handle(app: &mut App, event: &Event) {
        if *event == Event::AggregatesComputed {
            refresh(app);
        }
    }
}
