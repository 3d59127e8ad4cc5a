//! Screen 5: the monthly report of `crate::report` — period × authority × measure with delayed
//! days, rates per 100,000, target, RAG and significance; a stacked chart by attribution with the
//! target line; and the SPC (XmR) chart of the selected authority. Computed in
//! `App::refresh_report`; drawn here from that state only.

use super::cut;
use crate::commands::output::Format;
use crate::commands::report::write_monthly;
use crate::report::monthly::MonthlyRow;
use crate::report::period::Period;
use crate::report::spc::XmrChart;
use crate::ui::app::{App, ReportView, SpcView};
use crate::ui::strings as s;
use crate::ui::widgets::bars::{StackedBars, PART_GLYPHS, TARGET_GLYPH};
use crate::ui::widgets::table;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Wrap};
use ratatui::Frame;
use std::path::Path;

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

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    match app.report.view {
        ReportView::Table => render_table(frame, area, app),
        ReportView::Chart => render_chart(frame, area, app),
        ReportView::Spc => render_spc(frame, area, app),
    }
}

fn render_table(frame: &mut Frame, area: Rect, app: &App) {
    let rs = &app.report.rows;
    let wide = area.width >= 120;
    let (header, widths): (Vec<&str>, Vec<Constraint>) = if wide {
        (
            s::REPORT_HEADER.to_vec(),
            vec![
                Constraint::Length(10),
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
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(7),
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
            s::SCREEN_TITLES[4],
            period_name(app.report.period)
        )
    } else {
        format!(
            " Report by {} · v view · p period · E/X export ",
            period_name(app.report.period)
        )
    };
    table::render(
        frame,
        area,
        title,
        &header,
        &widths,
        rs.len(),
        Some(app.report.selected),
        s::NO_AUTHORITIES,
        &app.theme,
        |i| {
            let Some(r) = rs.get(i) else {
                return Vec::new();
            };
            let rag = r.rag.map_or("-", |x| x.as_str()).to_string();
            let vs = r.vs_target.map_or("-", |x| x.as_str());
            if wide {
                vec![
                    r.month.to_string(),
                    cut(&r.la_name, 20),
                    r.measure.label().to_string(),
                    r.delayed_days.to_string(),
                    format!("{:.1}", r.dtoc_beds),
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
                    r.month.to_string(),
                    cut(&r.la_name, 10),
                    cut(r.measure.label(), 7),
                    r.delayed_days.to_string(),
                    opt(r.rate_per_100k_day, 2),
                    opt(r.target_per_100k_day, 2),
                    rag,
                    short.to_string(),
                ]
            }
        },
    );
}

fn la_name(app: &App) -> String {
    app.data
        .authorities
        .get(app.report.la)
        .map_or(String::new(), |a| a.display_name().to_string())
}

fn render_chart(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let unit = if app.report.stack_per_100k {
        s::UNIT_PER_100K
    } else {
        s::UNIT_PER_DAY
    };
    let title = format!(
        " {} by {}: {} · j/k authority ",
        la_name(app),
        period_name(app.report.period),
        if area.width >= 100 {
            unit
        } else if app.report.stack_per_100k {
            "per 100k adults per day"
        } else {
            "delayed days per day"
        }
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, t.title()));
    if app.report.stack.is_empty() {
        frame.render_widget(Paragraph::new(s::NO_COUNTS).block(block), area);
        return;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [plot, legend] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(inner);
    frame.render_widget(
        StackedBars {
            columns: &app.report.stack,
            theme: t,
        },
        plot,
    );
    let styles = [t.bar(), t.bar_second(), t.bar_third()];
    let mut spans = Vec::new();
    for (i, name) in ["NHS", "Social care", "Both"].iter().enumerate() {
        spans.push(Span::styled(PART_GLYPHS[i], styles[i]));
        spans.push(Span::raw(format!(" {name}  ")));
    }
    spans.push(Span::styled(TARGET_GLYPH, t.target()));
    spans.push(Span::raw(" target (total)"));
    frame.render_widget(Paragraph::new(Line::from(spans)), legend);
}

fn spc_lines(v: &SpcView, c: &XmrChart, t: &crate::ui::theme::Theme) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Variation: ", t.header()),
            Span::raw(c.variation.as_str()),
        ]),
        Line::from(vec![
            Span::styled("Assurance: ", t.header()),
            Span::raw(
                c.assurance
                    .map_or("no target: no assurance verdict", |a| a.as_str()),
            ),
        ]),
        Line::raw(format!(
            "Mean {:.2}, process limits {:.2} to {:.2}{}",
            c.mean,
            c.lower_limit,
            c.upper_limit,
            c.target
                .map_or(String::new(), |x| format!(", target {x:.2}"))
        )),
        Line::styled(format!("{} ({})", v.unit, v.la_code), t.dim()),
        Line::raw(""),
        Line::styled(
            format!("{:<8} {:>7}  special cause", "month", "value"),
            t.header(),
        ),
    ];
    for p in &c.points {
        let flags: Vec<String> = p
            .flags
            .iter()
            .map(|f| format!("{} ({})", f.rule.label(), f.direction.as_str()))
            .collect();
        let mark = if p.flags.is_empty() { " " } else { "◆" };
        lines.push(Line::raw(format!(
            "{:<8} {:>7.2} {mark} {}",
            p.month.key(),
            p.value,
            flags.join(", ")
        )));
    }
    lines
}

fn render_spc(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let Some(v) = &app.report.spc else {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Line::styled(format!(" {} ", s::NO_SPC), t.title()));
        frame.render_widget(Paragraph::new(s::NO_AUTHORITIES).block(block), area);
        return;
    };
    let title = format!(
        " SPC (XmR) of {}: total, complete months · j/k authority ",
        v.la_name
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, t.title()));
    let c = match &v.chart {
        Ok(c) => c,
        Err(e) => {
            frame.render_widget(
                Paragraph::new(format!("{}: {e}", s::NO_SPC)).block(block),
                area,
            );
            return;
        }
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let side_w = if inner.width >= 120 { 60 } else { 0 };
    let (plot, text) = if side_w > 0 {
        let [p, _, x] = Layout::horizontal([
            Constraint::Min(20),
            Constraint::Length(2),
            Constraint::Length(side_w),
        ])
        .areas(inner);
        (p, x)
    } else {
        let [p, x] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(inner);
        (p, x)
    };
    frame.render_widget(
        Paragraph::new(spc_lines(v, c, t)).wrap(Wrap { trim: false }),
        text,
    );
    let pts: Vec<(f64, f64)> = c
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| (i as f64, p.value))
        .collect();
    let special: Vec<(f64, f64)> = c
        .points
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.flags.is_empty())
        .map(|(i, p)| (i as f64, p.value))
        .collect();
    let last = pts.len().saturating_sub(1) as f64;
    let flat = |y: f64| vec![(0.0, y), (last, y)];
    let mean = flat(c.mean);
    let ucl = flat(c.upper_limit);
    let lcl = flat(c.lower_limit.max(0.0));
    let target = c.target.map(flat).unwrap_or_default();
    let mut hi = c.upper_limit.max(c.target.unwrap_or(0.0));
    for p in &pts {
        hi = hi.max(p.1);
    }
    let hi = hi * 1.1;
    let mut ds = vec![
        Dataset::default()
            .name("upper limit")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(t.dim())
            .data(&ucl),
        Dataset::default()
            .name("lower limit")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(t.dim())
            .data(&lcl),
        Dataset::default()
            .name("mean")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(t.header())
            .data(&mean),
    ];
    if !target.is_empty() {
        ds.push(
            Dataset::default()
                .name("target")
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(t.target())
                .data(&target),
        );
    }
    ds.push(
        Dataset::default()
            .name("value")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(t.bar())
            .data(&pts),
    );
    ds.push(
        Dataset::default()
            .name("special cause")
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(t.error())
            .data(&special),
    );
    let first = c.points.first().map_or(String::new(), |p| p.month.key());
    let end = c.points.last().map_or(String::new(), |p| p.month.key());
    let chart = Chart::new(ds)
        .x_axis(
            Axis::default()
                .bounds([0.0, last.max(1.0)])
                .labels([first, end])
                .style(t.dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, hi.max(0.1)])
                .labels([
                    "0".to_string(),
                    format!("{:.1}", hi / 2.0),
                    format!("{hi:.1}"),
                ])
                .style(t.dim()),
        )
        .legend_position(Some(ratatui::widgets::LegendPosition::TopLeft))
        .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(2, 3)));
    frame.render_widget(chart, plot);
}
