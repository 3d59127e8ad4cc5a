//! The monthly report's chart and SPC views, and the figures they draw.

use super::{period_name, SpcView};
use crate::domain::{Measure, YearMonth};
use crate::report::monthly::MonthlyRow;
use crate::report::spc::{xmr, XmrChart};
use crate::ui::app::App;
use crate::ui::strings as s;
use crate::ui::widgets::bars::{StackedBars, PART_GLYPHS, TARGET_GLYPH};
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Wrap};
use ratatui::Frame;

fn la_name(app: &App) -> String {
    app.data
        .authorities
        .get(app.screens.report.la)
        .map_or(String::new(), |a| a.display_name().to_string())
}

pub fn render_chart(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let unit = if app.screens.report.stack_per_100k {
        s::UNIT_PER_100K
    } else {
        s::UNIT_PER_DAY
    };
    let title = format!(
        " {} by {}: {} · j/k authority ",
        la_name(app),
        period_name(app.screens.report.period),
        if area.width >= 100 {
            unit
        } else if app.screens.report.stack_per_100k {
            "per 100k adults per day"
        } else {
            "delayed days per day"
        }
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, t.title()));
    if app.screens.report.stack.is_empty() {
        frame.render_widget(Paragraph::new(s::NO_COUNTS).block(block), area);
        return;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [plot, legend] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(inner);
    frame.render_widget(
        StackedBars {
            columns: &app.screens.report.stack,
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

pub fn render_spc(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let Some(v) = &app.screens.report.spc else {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Line::styled(format!(" {} ", s::NO_SPC), t.title()));
        frame.render_widget(
            Paragraph::new(s::NO_AUTHORITIES)
                .wrap(ratatui::widgets::Wrap { trim: true })
                .block(block),
            area,
        );
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

/// `2018-07` → `Jul`; quarter and year labels are kept short (`Q2 18/19`, `2018/19`).
pub fn period_label(key: &str) -> String {
    if let Ok(m) = YearMonth::parse(key) {
        return m.first_day().format("%b").to_string();
    }
    match key.split_once(' ') {
        Some((year, q)) => format!("{q} {}", year.get(2..).unwrap_or(year)),
        None => key.to_string(),
    }
}

/// The target of a total row in the unit of its chart.
pub fn target_in_unit(r: &MonthlyRow, per_100k: bool) -> Option<f64> {
    if per_100k {
        r.target_per_100k_day
    } else {
        r.target_days.map(|t| t / f64::from(r.days_in_month.max(1)))
    }
}

/// The XmR chart of one authority's total rate per day over the complete months loaded (as
/// `dtoc report spc` draws it).
pub fn spc_view(rows: &[MonthlyRow], la: &str, name: &str, today: NaiveDate) -> SpcView {
    let this = crate::report::period::PeriodKey::Month(YearMonth::of(today));
    let mine: Vec<&MonthlyRow> = rows
        .iter()
        .filter(|r| r.la_code == la && r.measure == Measure::Total && r.month < this)
        .collect();
    let per_100k = mine.iter().all(|r| r.rate_per_100k_day.is_some());
    let series: Vec<(YearMonth, f64)> = mine
        .iter()
        .filter_map(|r| {
            let v = if per_100k {
                r.rate_per_100k_day?
            } else {
                r.dtoc_beds
            };
            Some((r.month.month()?, v))
        })
        .collect();
    let target = mine.iter().rev().find_map(|r| target_in_unit(r, per_100k));
    SpcView {
        la_code: la.to_string(),
        la_name: name.to_string(),
        unit: if per_100k {
            s::UNIT_PER_100K
        } else {
            s::UNIT_PER_DAY
        },
        chart: xmr(&series, target).map_err(|e| e.to_string()),
    }
}
