//! Screen 1: per authority, this month so far, patients delayed now, and 13 months' chart.

use super::{cut, la_label, months};
use crate::domain::{Attribution, YearMonth};
use crate::ui::app::App;
use crate::ui::rates;
use crate::ui::strings as s;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph};
use ratatui::Frame;

/// Delayed days of `la` in `month` (all attributions), from the loaded counts.
pub fn days(app: &App, la: &str, month: YearMonth) -> u64 {
    app.data
        .counts
        .iter()
        .filter(|c| c.la_code == la && c.month == month)
        .map(|c| c.days)
        .sum()
}

fn open_now(app: &App, la: &str, a: Attribution) -> u64 {
    app.data
        .open
        .iter()
        .filter(|o| o.la_code == la && o.attribution == a)
        .map(|o| o.patients)
        .sum()
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let this = YearMonth::of(app.today);
    let n = app.data.authorities.len() as u16;
    let [top, bottom] =
        Layout::vertical([Constraint::Length(n.max(1) + 4), Constraint::Min(3)]).areas(area);
    let block = Block::default().borders(Borders::ALL).title(Line::styled(
        format!(" {} so far (to {}) ", this.long_name(), app.today),
        t.title(),
    ));
    if app.data.authorities.is_empty() {
        frame.render_widget(Paragraph::new(s::NO_AUTHORITIES).block(block), top);
    } else {
        let mut lines = vec![Line::styled(
            format!(
                "{:<18} {:>6} {:>7} {:>9} {:>6} | now: {:>4} {:>4} {:>4}",
                "Authority", "days", "per day", "/100k/day", "pop yr", "NHS", "SC", "Both"
            ),
            t.header(),
        )];
        for a in &app.data.authorities {
            let d = days(app, &a.code, this);
            let pop = rates::population_for(&app.data.populations, &a.code, this);
            let rate = pop
                .and_then(|(_, p)| {
                    rates::rate_from_per_day(rates::per_day_so_far(d, this, app.today), p)
                })
                .map_or("-".to_string(), |r| format!("{r:.2}"));
            lines.push(Line::raw(format!(
                "{:<18} {:>6} {:>7.1} {:>9} {:>6} | now: {:>4} {:>4} {:>4}",
                cut(a.display_name(), 18),
                d,
                rates::per_day_so_far(d, this, app.today),
                rate,
                pop.map_or("-".to_string(), |(y, _)| y.to_string()),
                open_now(app, &a.code, Attribution::Nhs),
                open_now(app, &a.code, Attribution::SocialCare),
                open_now(app, &a.code, Attribution::Both),
            )));
        }
        lines.push(Line::styled(s::RATE_SLOT, t.dim()));
        frame.render_widget(Paragraph::new(lines).block(block), top);
    }
    chart(frame, bottom, app);
}

/// Delayed days per day, one group per month, one bar per authority (values in tenths).
pub fn chart(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let block = Block::default().borders(Borders::ALL).title(Line::styled(
        " Delayed days per day, last 13 months ",
        t.title(),
    ));
    let las: Vec<&str> = app
        .data
        .authorities
        .iter()
        .map(|a| a.code.as_str())
        .collect();
    if las.is_empty() {
        frame.render_widget(Paragraph::new(s::NO_COUNTS).block(block), area);
        return;
    }
    let ms = months(app);
    let inner_w = area.width.saturating_sub(2);
    let per_group = (inner_w / ms.len() as u16).max(1);
    let bar_w = (per_group.saturating_sub(1) / las.len() as u16).max(1);
    let groups: Vec<BarGroup> = ms
        .iter()
        .map(|m| {
            let bars: Vec<Bar> = las
                .iter()
                .map(|la| {
                    let v = rates::per_day_so_far(days(app, la, *m), *m, app.today);
                    let text = if bar_w >= 4 {
                        format!("{v:.1}")
                    } else {
                        String::new()
                    };
                    Bar::default()
                        .value((v * 10.0).round() as u64)
                        .text_value(text)
                })
                .collect();
            BarGroup::default()
                .label(Line::raw(cut(
                    &m.first_day().format("%b").to_string(),
                    per_group as usize,
                )))
                .bars(&bars)
        })
        .collect();
    let mut legend = String::new();
    for (i, la) in las.iter().enumerate() {
        legend.push_str(&format!("bar {}: {}  ", i + 1, cut(&la_label(app, la), 14)));
    }
    let [c, l] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let mut chart = BarChart::default()
        .block(block)
        .bar_width(bar_w)
        .bar_gap(0)
        .group_gap(1)
        .bar_style(t.bar());
    for g in groups {
        chart = chart.data(g);
    }
    frame.render_widget(chart, c);
    frame.render_widget(Paragraph::new(Line::styled(legend, t.dim())), l);
}
