//! Drawing the Queues screen: the queues now (a table of the pathways, a sparkline of the last
//! four weeks in each row, and the selected pathway's history below) and the Forecast view (a
//! table of the pathways ten days ahead, and the selected pathway day by day below).

use super::{ForecastView, PathwayQueue, QueuesState, QueuesView, Scope, HISTORY_DAYS};
use crate::domain::Pathway;
use crate::report::forecast::{Band, Scenario, SeriesForecast};
use crate::report::queues_table::PATHWAYS;
use crate::ui::app::App;
use crate::ui::screens::{cut, la_label};
use crate::ui::theme::Theme;
use crate::ui::widgets::table::{grid, lengths, window_start};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use chrono::{Days, NaiveDate};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::widgets::{
    Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Row, Sparkline, Wrap,
};
use ratatui::Frame;

pub const QUEUES_TITLE: &str = "Pathway queues";
pub const FORECAST_TITLE: &str = "Pathway queue forecast";
pub const COMPUTING: &str = "Computing the forecast (1,000 runs a pathway)…";
pub const NO_DATA: &str = "Loading the delays…";

/// A pathway's name in the tables.
pub fn pathway_name(p: Option<Pathway>) -> String {
    p.map_or_else(
        || "Not known".to_string(),
        |p| format!("Pathway {}", p.number()),
    )
}

/// What the scope is called in the titles.
pub fn scope_name(app: &App, scope: &Scope) -> String {
    match scope {
        Scope::Whole => "whole register".to_string(),
        Scope::Site(code) => {
            let name = app
                .data
                .sites
                .iter()
                .find(|s| s.code == *code)
                .and_then(|s| s.name.clone());
            match name {
                Some(n) => format!("site {code} {n}"),
                None => format!("site {code}"),
            }
        }
        Scope::Authority(code) => la_label(app, code),
    }
}

/// A row of block characters, one per value, scaled to the row's highest (a blank for none).
pub fn spark(values: &[u32]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| {
            if v == 0 || max == 0 {
                ' '
            } else {
                let i = (u64::from(v) * 8).div_ceil(u64::from(max)) as usize;
                BARS[i.clamp(1, 8) - 1]
            }
        })
        .collect()
}

fn days(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    })
}

fn band(b: Band) -> String {
    if b.low == b.high {
        format!("{}", b.median)
    } else {
        format!("{} ({}-{})", b.median, b.low, b.high)
    }
}

/// A block's title ` HEAD, SCOPE ` within `width` columns: the scope (a site's long name) cut
/// with `…` rather than by the block's corner.
pub fn scope_title(head: &str, scope: &str, width: u16) -> String {
    // Two corners, the title's two spaces and ", ".
    let room = usize::from(width).saturating_sub(head.chars().count() + 6);
    format!(" {head}, {} ", cut(scope, room))
}

fn block<'a>(title: String, t: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, t.title()))
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let st = &app.screens.queues;
    let t = &app.theme;
    let scope = scope_name(app, &st.scope);
    let Some(view) = st.view.as_ref() else {
        let title = scope_title(QUEUES_TITLE, &scope, area.width);
        frame.render_widget(Paragraph::new(NO_DATA).block(block(title, t)), area);
        return;
    };
    if st.forecast_view {
        forecast(frame, area, app, &scope);
    } else {
        queues(frame, area, app, view, &scope);
    }
}

fn queue_cells(q: &PathwayQueue, name: String) -> Vec<String> {
    vec![
        name,
        q.today.waiting.to_string(),
        days(q.today.median_wait),
        q.today.longest_wait.map_or("-".to_string(), |d| d.to_string()),
        q.today.joins.to_string(),
        q.today.leaves.to_string(),
        spark(&q.history),
    ]
}

fn selected_style<'a>(row: Row<'a>, on: bool, t: &Theme) -> Row<'a> {
    if on {
        row.style(t.selected())
    } else {
        row
    }
}

/// The queue view: the pathways' table over the selected one's history.
fn queues(frame: &mut Frame, area: Rect, app: &App, view: &QueuesView, scope: &str) {
    let st: &QueuesState = &app.screens.queues;
    let t = &app.theme;
    if let Some(from) = view.before_coverage {
        let head = format!("{QUEUES_TITLE} on {}", view.all.today.date);
        let text = format!(
            "The register's coverage starts on {from}: no queue is complete before it, so none \
             is shown (see `dtoc coverage`)."
        );
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(block(scope_title(&head, scope, area.width), t)),
            area,
        );
        return;
    }
    let n_rows = view.rows.len() as u16 + 1;
    let [top, bottom] =
        Layout::vertical([Constraint::Length(n_rows + 3), Constraint::Min(0)]).areas(area);
    let from_coverage = view.from_coverage();
    let since = format!("Since {}", view.first.format("%d %b"));
    let header = Row::new(vec![
        "Pathway",
        "Waiting",
        "Median",
        "Longest",
        "Joined",
        "Left",
        if from_coverage { &since } else { "Last 28 days" },
    ])
    .style(t.header());
    let mut rows: Vec<Row> = view
        .rows
        .iter()
        .enumerate()
        .map(|(i, q)| {
            selected_style(
                Row::new(queue_cells(q, pathway_name(q.pathway))),
                i == st.selected,
                t,
            )
        })
        .collect();
    rows.push(selected_style(
        Row::new(queue_cells(&view.all, "All".to_string())),
        st.selected == view.rows.len(),
        t,
    ));
    let mut widths = lengths(&[10, 7, 6, 7, 6, 4]);
    widths.push(Constraint::Min(HISTORY_DAYS as u16));
    let head = format!("{QUEUES_TITLE} on {}", view.all.today.date);
    let title = scope_title(&head, scope, top.width);
    frame.render_widget(grid(rows, &widths, header, block(title, t)), top);
    if bottom.height < 3 {
        return;
    }
    let q = view.rows.get(st.selected).unwrap_or(&view.all);
    let name = if st.selected < view.rows.len() {
        pathway_name(q.pathway)
    } else {
        "All pathways".to_string()
    };
    let title = if from_coverage {
        format!(" {name}: waiting at each day's end since coverage began {} ", view.first)
    } else {
        format!(
            " {name}: waiting at each day's end, {} to {} ",
            view.first, q.today.date
        )
    };
    let b = block(title, t);
    let inner = b.inner(bottom);
    frame.render_widget(b, bottom);
    let [line, chart] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let lo = q.history.iter().copied().min().unwrap_or(0);
    let hi = q.history.iter().copied().max().unwrap_or(0);
    let first = q.history.first().copied().unwrap_or(0);
    let back = if from_coverage {
        view.first.format("%d %b").to_string()
    } else {
        format!("{} days ago", HISTORY_DAYS - 1)
    };
    let summary = format!(
        "today {} · {back} {first} · lowest {lo} · highest {hi} · joined {} left {} today",
        q.today.waiting, q.today.joins, q.today.leaves
    );
    // Stale figures say so before anything else: today's are the register's last entry's.
    let (summary, style) = match app.data.quiet(app.today) {
        Some(quiet) => (quiet.short(), t.warn()),
        None => (summary, t.dim()),
    };
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            cut(&summary, line.width as usize),
            style,
        ))),
        line,
    );
    if chart.height == 0 || chart.width == 0 {
        return;
    }
    // The days across the chart's whole width (each at least one column).
    let (w, n) = (chart.width as usize, q.history.len().max(1));
    let data: Vec<u64> = q
        .history
        .iter()
        .enumerate()
        .flat_map(|(i, &v)| {
            let cols = ((i + 1) * w / n).saturating_sub(i * w / n).max(1);
            std::iter::repeat_n(u64::from(v), cols)
        })
        .collect();
    frame.render_widget(
        Sparkline::default()
            .data(&data)
            .max(u64::from(hi.max(1)))
            .style(t.bar()),
        chart,
    );
}

fn scenario(f: &SeriesForecast, pct: i32) -> Option<&Scenario> {
    f.scenarios.iter().find(|s| s.capacity_pct == pct)
}

fn last_band(f: &SeriesForecast, pct: i32) -> String {
    scenario(f, pct)
        .and_then(|s| s.days.last())
        .map_or("-".to_string(), |d| band(d.queue))
}

/// The Forecast view: the pathways ten days ahead over the selected one day by day.
fn forecast(frame: &mut Frame, area: Rect, app: &App, scope: &str) {
    let st = &app.screens.queues;
    let t = &app.theme;
    let fv: Option<&ForecastView> = st.forecast();
    let today = app.today;
    let days = super::forecast_config().days;
    let head = format!("{FORECAST_TITLE} from {today}, {days} days");
    let title = scope_title(&head, scope, area.width);
    let fs = match fv.map(|f| &f.forecasts) {
        None => {
            frame.render_widget(
                Paragraph::new(Line::styled(COMPUTING, t.focus())).block(block(title, t)),
                area,
            );
            return;
        }
        Some(Err(e)) => {
            frame.render_widget(Paragraph::new(e.as_str()).block(block(title, t)), area);
            return;
        }
        Some(Ok(fs)) => fs,
    };
    let [top, bottom] = Layout::vertical([
        Constraint::Length(PATHWAYS.len() as u16 + 3),
        Constraint::Min(0),
    ])
    .areas(area);
    let header = Row::new(vec![
        "Pathway".to_string(),
        "Yesterday".to_string(),
        format!("Day {days} base"),
        "-10%".to_string(),
        "+10%".to_string(),
        "Extra/day".to_string(),
    ])
    .style(t.header());
    let rows: Vec<Row> = PATHWAYS
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let cells = match fs.iter().find(|f| f.key.pathway == p) {
                Some(f) => vec![
                    pathway_name(p),
                    f.queue_now.to_string(),
                    last_band(f, 0),
                    last_band(f, -10),
                    last_band(f, 10),
                    f.extra_capacity.to_string(),
                ],
                None => vec![
                    pathway_name(p),
                    "0".to_string(),
                    "no delays".to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
            };
            selected_style(Row::new(cells), i == st.selected, t)
        })
        .collect();
    let widths = lengths(&[10, 9, 13, 13, 13, 9]);
    frame.render_widget(grid(rows, &widths, header, block(title, t)), top);
    // The register stopping short of today comes first: the figures below read its quiet days
    // as nobody ready or leaving.
    let bottom = match app.data.quiet(app.today) {
        Some(q) if bottom.height > 3 => {
            let [line, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(bottom);
            frame.render_widget(Line::styled(format!(" {}", q.short()), t.warn()), line);
            rest
        }
        _ => bottom,
    };
    if bottom.height < 3 {
        return;
    }
    let p = PATHWAYS.get(st.selected).copied().flatten();
    let name = pathway_name(PATHWAYS.get(st.selected).copied().flatten());
    let Some(f) = fs.iter().find(|f| f.key.pathway == p) else {
        let b = block(format!(" {name}, day by day "), t);
        frame.render_widget(
            Paragraph::new("No delays on this pathway in the last 8 weeks.").block(b),
            bottom,
        );
        return;
    };
    let b = block(
        format!(
            " {name} day by day from yesterday's {} (today so far: {} ready, {} left) ",
            f.queue_now, f.today_so_far.joins, f.today_so_far.leaves
        ),
        t,
    );
    let header = Row::new(vec![
        "Day",
        "Ready",
        "Queue base",
        "Cap -10%",
        "Cap +10%",
        "Left",
        "Delayed days",
    ])
    .style(t.header());
    let base = scenario(f, 0);
    let minus = scenario(f, -10);
    let plus = scenario(f, 10);
    let n = base.map_or(0, |s| s.days.len());
    // A tall terminal: the days' table as tall as it needs, and the chart of the queue below it.
    let table_h = n as u16 + 3;
    let bottom = if bottom.height >= table_h + CHART_MIN_HEIGHT {
        let [days_area, chart] =
            Layout::vertical([Constraint::Length(table_h), Constraint::Min(0)]).areas(bottom);
        let history = st
            .view
            .as_ref()
            .and_then(|v| v.rows.iter().find(|q| q.pathway == p))
            .map_or(&[][..], |q| &q.history[..]);
        forecast_chart(frame, chart, &name, history, f, t);
        days_area
    } else {
        bottom
    };
    let body = bottom.height.saturating_sub(3) as usize;
    let start = window_start(0, n, body);
    let rows: Vec<Row> = (start..n)
        .take(body)
        .map(|i| {
            let get = |s: Option<&Scenario>, g: fn(&crate::report::forecast::ForecastDay) -> Band| {
                s.and_then(|s| s.days.get(i)).map_or("-".to_string(), |d| band(g(d)))
            };
            let date = base
                .and_then(|s| s.days.get(i))
                .map_or(String::new(), |d| d.date.format("%a %d %b").to_string());
            Row::new(vec![
                date,
                get(base, |d| d.arrivals),
                get(base, |d| d.queue),
                get(minus, |d| d.queue),
                get(plus, |d| d.queue),
                get(base, |d| d.leaves),
                get(base, |d| d.delayed_days),
            ])
        })
        .collect();
    let widths = lengths(&[10, 8, 11, 11, 11, 7, 13]);
    frame.render_widget(grid(rows, &widths, header, b), bottom);
}

/// Rows below the days' table that the Forecast view's chart needs to be drawn.
pub const CHART_MIN_HEIGHT: u16 = 12;

/// The selected pathway's queue: its last four weeks to yesterday (`history` runs to today, which
/// is day 1 of the forecast and so left out), then the base case ahead: the median and the 85%
/// interval.
fn forecast_chart(
    frame: &mut Frame,
    area: Rect,
    name: &str,
    history: &[u32],
    f: &SeriesForecast,
    t: &Theme,
) {
    let Some(base) = scenario(f, 0) else {
        return;
    };
    // x: days from today (day 1 of the forecast is 0, yesterday −1).
    let past = history.len().saturating_sub(1);
    let before = &history[..past];
    let actual: Vec<(f64, f64)> = before
        .iter()
        .enumerate()
        .map(|(i, &v)| (i as f64 - past as f64, f64::from(v)))
        .collect();
    let from_yesterday = |g: fn(&Band) -> u32| -> Vec<(f64, f64)> {
        std::iter::once((-1.0, f64::from(f.queue_now)))
            .chain(
                base.days
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (i as f64, f64::from(g(&d.queue)))),
            )
            .collect()
    };
    let median = from_yesterday(|b| b.median);
    let low = from_yesterday(|b| b.low);
    let high = from_yesterday(|b| b.high);
    let top = before
        .iter()
        .copied()
        .chain(base.days.iter().map(|d| d.queue.high))
        .chain([f.queue_now])
        .max()
        .unwrap_or(0);
    let hi = f64::from(top.max(1)) * 1.1;
    fn line(d: &[(f64, f64)], style: Style) -> Dataset<'_> {
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(style)
            .data(d)
    }
    let datasets = vec![
        line(&low, t.dim()),
        line(&high, t.dim()),
        line(&actual, t.bar()),
        line(&median, t.focus()),
    ];
    let today = f.today;
    let first = today - Days::new(past as u64);
    let last = base.days.last().map_or(today, |d| d.date);
    let label = |d: NaiveDate| d.format("%d %b").to_string();
    // The axis spreads its labels evenly: the middle one is the date halfway.
    let span = past + base.days.len().max(1) - 1;
    let middle = first + Days::new((span / 2) as u64);
    let b = block(
        format!(" {name}: waiting at each day's end, {} to {}, then the forecast ", label(first), label(today - Days::new(1))),
        t,
    );
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let [legend, plot] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("── ", t.bar()),
            Span::raw("waiting  "),
            Span::styled("── ", t.focus()),
            Span::raw("forecast, base (median)  "),
            Span::styled("── ", t.dim()),
            Span::raw("85% interval"),
        ])),
        legend,
    );
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .bounds([-(past as f64), (base.days.len().max(1) - 1) as f64])
                .labels([label(first), label(middle), label(last)])
                .style(t.dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, hi])
                .labels(["0".to_string(), format!("{:.0}", hi / 2.0), format!("{hi:.0}")])
                .style(t.dim()),
        )
        .legend_position(None);
    frame.render_widget(chart, plot);
}
