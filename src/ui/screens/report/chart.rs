//! The monthly report's chart and SPC views, and the figures they draw.

use super::{period_name, SpcView};
use crate::domain::{LaCode, Measure, YearMonth};
use crate::report::monthly::MonthlyRow;
use crate::report::spc::{spc, PointType, SpcOptions, XmrChart};
use crate::report::table::fixed;
use crate::ui::app::App;
use crate::ui::strings as s;
use crate::ui::theme::Theme;
use crate::ui::widgets::bars::{StackedBars, PART_GLYPHS, TARGET_GLYPH};
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
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

/// The verdicts and limits, by Making Data Count's names.
fn spc_summary(v: &SpcView, c: &XmrChart, t: &Theme) -> Vec<Line<'static>> {
    let limits = format!(
        "Mean {}, process limits {} to {}{}{}",
        fixed(c.mean, 2),
        fixed(c.lower_limit, 2),
        fixed(c.upper_limit, 2),
        c.target
            .map_or(String::new(), |x| format!(", target {x:.2}")),
        if c.trial_limits {
            " (trial limits)"
        } else {
            ""
        }
    );
    vec![
        Line::from(vec![
            Span::styled("Variation: ", t.header()),
            Span::styled(c.variation.label(), t.spc_point(variation_type(c))),
        ]),
        Line::from(vec![
            Span::styled("Assurance: ", t.header()),
            Span::raw(c.assurance.map_or("no target: no assurance", |a| a.label())),
        ]),
        Line::raw(limits),
        Line::styled(format!("{} ({})", v.unit, v.la_code), t.dim()),
    ]
}

fn variation_type(c: &XmrChart) -> PointType {
    c.points
        .last()
        .map_or(PointType::CommonCause, |p| p.point_type)
}

/// One line per month: value and `special_cause` (`concern: outside limits`), newest last.
fn spc_months(c: &XmrChart, t: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!("{:<8} {:>7}  special cause", "month", "value"),
        t.header(),
    )];
    for p in &c.points {
        let mark = if p.flags.is_empty() { " " } else { "◆" };
        lines.push(Line::from(vec![
            Span::raw(format!("{:<8} {:>7.2} ", p.month.key(), p.value)),
            Span::styled(
                format!("{mark} {}", p.special_cause()),
                t.spc_point(p.point_type),
            ),
        ]));
    }
    lines
}

/// The key of the plot, drawn beside it (never over the points).
fn spc_legend(c: &XmrChart, t: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::from(vec![
            Span::styled("── ", t.dim()),
            Span::raw("process limits"),
        ]),
        Line::from(vec![Span::styled("── ", t.header()), Span::raw("mean")]),
    ];
    if c.target.is_some() {
        lines.push(Line::from(vec![
            Span::styled("── ", t.error()),
            Span::raw("target"),
        ]));
    }
    for p in [
        PointType::CommonCause,
        PointType::Improvement,
        PointType::Concern,
    ] {
        lines.push(Line::from(vec![
            Span::styled("•  ", t.spc_point(p)),
            Span::raw(p.label().to_string()),
        ]));
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
    if inner.width >= 120 {
        // Wide: the plot, and beside it the legend, the verdicts and the months.
        let [plot, _, side] = Layout::horizontal([
            Constraint::Min(20),
            Constraint::Length(2),
            Constraint::Length(60),
        ])
        .areas(inner);
        let mut lines = spc_legend(c, t);
        lines.push(Line::raw(""));
        lines.extend(spc_summary(v, c, t));
        lines.push(Line::raw(""));
        lines.extend(spc_months(c, t));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), side);
        render_spc_plot(frame, plot, c, t);
    } else {
        // Compact: the plot with its three lines labelled at the right edge, then the verdicts
        // and as many months as fit (newest last), one line each.
        let [top, text] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(inner);
        let [plot, labels] =
            Layout::horizontal([Constraint::Min(20), Constraint::Length(11)]).areas(top);
        let hi = render_spc_plot(frame, plot, c, t);
        render_limit_labels(frame, labels, c, hi, t);
        let mut lines = spc_summary(v, c, t);
        let months = spc_months(c, t);
        let room = usize::from(text.height).saturating_sub(lines.len() + 1);
        lines.push(months[0].clone());
        lines.extend(months[1..].iter().rev().take(room).rev().cloned());
        frame.render_widget(Paragraph::new(lines), text);
    }
}

/// The upper limit, mean and lower limit named at the right edge of the plot, each on the row its
/// line is drawn in (the plot's graph rows run from `hi` at the top to 0 above the two axis rows).
fn render_limit_labels(frame: &mut Frame, area: Rect, c: &XmrChart, hi: f64, t: &Theme) {
    let rows = area.height.saturating_sub(2);
    if rows < 3 {
        return;
    }
    let row_of = |y: f64| -> u16 {
        let r = ((hi - y.max(0.0)) / hi * f64::from(rows - 1)).round();
        r.clamp(0.0, f64::from(rows - 1)) as u16
    };
    let mut labels = [
        (
            row_of(c.upper_limit),
            format!("UCL {:.2}", c.upper_limit),
            t.dim(),
        ),
        (row_of(c.mean), format!("mean {:.2}", c.mean), t.header()),
        (
            row_of(c.lower_limit),
            format!("LCL {}", fixed(c.lower_limit, 2)),
            t.dim(),
        ),
    ];
    // Keep them apart, in order, within the graph rows.
    for i in 1..labels.len() {
        labels[i].0 = labels[i].0.max(labels[i - 1].0 + 1);
    }
    let over = labels[2].0.saturating_sub(rows - 1);
    for (row, text, style) in labels {
        let y = area.y + row.saturating_sub(over);
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {text}"), style)),
            Rect::new(area.x, y, area.width, 1),
        );
    }
}

/// The plot: limits, mean, target, the values joined and each point in its type's colour; returns
/// the top of the y axis.
fn render_spc_plot(frame: &mut Frame, plot: Rect, c: &XmrChart, t: &Theme) -> f64 {
    let pts: Vec<(f64, f64)> = c
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| (i as f64, p.value))
        .collect();
    let of_type = |ty: PointType| -> Vec<(f64, f64)> {
        c.points
            .iter()
            .enumerate()
            .filter(|(_, p)| p.point_type == ty)
            .map(|(i, p)| (i as f64, p.value))
            .collect()
    };
    let last = pts.len().saturating_sub(1) as f64;
    let flat = |y: f64| vec![(0.0, y), (last, y)];
    let lines = [
        (flat(c.upper_limit), t.dim()),
        (flat(c.lower_limit.max(0.0)), t.dim()),
        (flat(c.mean), t.header()),
        (c.target.map(flat).unwrap_or_default(), t.error()),
        (pts.clone(), t.dim()),
    ];
    let types = [
        PointType::CommonCause,
        PointType::Improvement,
        PointType::Concern,
    ];
    let dots: Vec<(Vec<(f64, f64)>, Style)> = types
        .iter()
        .map(|&ty| (of_type(ty), t.spc_point(ty)))
        .collect();
    let mut hi = c.upper_limit.max(c.target.unwrap_or(0.0));
    for p in &pts {
        hi = hi.max(p.1);
    }
    let hi = (hi * 1.1).max(0.1);
    let mut ds: Vec<Dataset> = lines
        .iter()
        .filter(|(d, _)| !d.is_empty())
        .map(|(d, style)| {
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(*style)
                .data(d)
        })
        .collect();
    ds.extend(dots.iter().map(|(d, style)| {
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(*style)
            .data(d)
    }));
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
                .bounds([0.0, hi])
                .labels([
                    "0".to_string(),
                    format!("{:.1}", hi / 2.0),
                    format!("{hi:.1}"),
                ])
                .style(t.dim()),
        )
        .legend_position(None);
    frame.render_widget(chart, plot);
    hi
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
/// `dtoc report spc` draws it: screened limits, each month with its own target).
pub fn spc_view(rows: &[MonthlyRow], la: &LaCode, name: &str, today: NaiveDate) -> SpcView {
    let this = crate::report::period::PeriodKey::Month(YearMonth::of(today));
    let mine: Vec<&MonthlyRow> = rows
        .iter()
        .filter(|r| r.la_code == *la && r.measure == Measure::Total && r.month < this)
        .collect();
    let per_100k = mine.iter().all(|r| r.rate_per_100k_day.is_some());
    let series: Vec<(YearMonth, f64, Option<f64>)> = mine
        .iter()
        .filter_map(|r| {
            let v = if per_100k {
                r.rate_per_100k_day?
            } else {
                r.dtoc_beds
            };
            Some((r.month.month()?, v, target_in_unit(r, per_100k)))
        })
        .collect();
    SpcView {
        la_code: la.clone(),
        la_name: name.to_string(),
        unit: if per_100k {
            s::UNIT_PER_100K
        } else {
            s::UNIT_PER_DAY
        },
        chart: spc(&series, &SpcOptions::default()).map_err(|e| e.to_string()),
    }
}
