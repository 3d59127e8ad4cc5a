//! Screen 4: length-of-stay bands (nested 7+ ⊇ 14+ ⊇ 21+) and patients ready for more than N days.

use crate::ui::app::App;
use crate::ui::strings as s;
use crate::ui::widgets::table;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use std::collections::HashSet;

/// Patients (distinct stays) with an open delay whose length of stay today is `min` or more.
pub fn band(app: &App, min: u32) -> usize {
    app.data
        .delays
        .iter()
        .filter(|d| d.ended_on.is_none() && d.length_of_stay(app.today) >= min)
        .map(|d| d.stay_id)
        .collect::<HashSet<_>>()
        .len()
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let [bands, list] = Layout::vertical([Constraint::Length(6), Constraint::Min(3)]).areas(area);
    let inpatients: u32 = app.data.census.iter().map(|c| c.2).sum();
    let mut lines = Vec::new();
    for min in [7, 14, 21] {
        let n = band(app, min);
        let pct = if app.data.census.is_empty() || inpatients == 0 {
            s::NO_CENSUS_TODAY.to_string()
        } else {
            format!(
                "{:.1}% of {inpatients} inpatients",
                n as f64 * 100.0 / f64::from(inpatients)
            )
        };
        lines.push(Line::raw(format!(
            "LOS {min:>2}+ days: {n:>4} patients   {pct}"
        )));
    }
    lines.push(Line::styled(s::BANDS_NESTED, t.dim()));
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(Line::styled(
            format!(" Long stay on {} ", app.today),
            t.title(),
        ))),
        bands,
    );
    let rows = app.long_waiters();
    let sort = if app.long_stay.sort_by_los {
        s::SORT_LOS
    } else {
        s::SORT_DAYS
    };
    let today = app.today;
    table::render(
        frame,
        list,
        format!(
            " Ready for more than {} days ({}), sorted by {sort} ",
            app.long_stay.days,
            rows.len()
        ),
        &s::LONG_STAY_HEADER,
        &[
            Constraint::Length(10),
            Constraint::Length(12),
            Constraint::Length(7),
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(7),
            Constraint::Length(4),
            Constraint::Min(4),
        ],
        rows.len(),
        Some(app.long_stay.selected),
        s::NO_DELAYS,
        t,
        |i| {
            let Some(d) = rows.get(i) else {
                return Vec::new();
            };
            vec![
                d.local_id.clone(),
                d.nhs_number
                    .as_ref()
                    .map(|n| n.masked())
                    .unwrap_or_default(),
                d.site_code.clone(),
                d.la_code.clone(),
                d.ready_on.to_string(),
                d.days_delayed(today).to_string(),
                d.length_of_stay(today).to_string(),
                d.reason.code().to_string(),
            ]
        },
    );
}
