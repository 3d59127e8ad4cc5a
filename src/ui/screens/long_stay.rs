//! Screen 4: length-of-stay bands (nested 7+ ⊇ 14+ ⊇ 21+) with counts and the percentage of the
//! day's inpatients (the census is the denominator), and the list of patients ready for more
//! than N days: sortable, filtered as you type, exportable (behaviour in `crate::ui::long_stay`).

use super::{cut, filter_spans};
use crate::ui::app::App;
use crate::ui::long_stay::long_stay_row;
use crate::ui::strings as s;
use crate::ui::widgets::table;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let ls = &app.long_stay;
    let [bands, filter_area, list] = Layout::vertical([
        Constraint::Length(6),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(area);
    let inpatients: u32 = app.data.census.iter().map(|c| c.2).sum();
    let mut lines = Vec::new();
    for (depth, (min, name)) in [(7, "stranded"), (14, "long stay"), (21, "super-stranded")]
        .into_iter()
        .enumerate()
    {
        let n = ls.bands[depth];
        let pct = if inpatients == 0 {
            s::NO_CENSUS_TODAY.to_string()
        } else {
            format!(
                "{:.1}% of {inpatients} inpatients",
                n as f64 * 100.0 / f64::from(inpatients)
            )
        };
        // Indented to show the nesting: 21+ is inside 14+ is inside 7+.
        let label = format!("{}{min}+ days ({name})", "  ".repeat(depth));
        lines.push(Line::raw(format!("{label:<30}{n:>5} patients  {pct}")));
    }
    lines.push(Line::styled(cut(s::LOS_DENOMINATOR, 200), t.dim()));
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(Line::styled(
            format!(" Length of stay on {} ", app.today),
            t.title(),
        ))),
        bands,
    );
    let spans = filter_spans(
        frame,
        filter_area,
        &ls.query,
        ls.filtering,
        s::FILTER_HINT,
        t,
    );
    frame.render_widget(Paragraph::new(Line::from(spans)), filter_area);
    let rows = app.long_waiters();
    let dir = if ls.descending { "↓" } else { "↑" };
    table::render(
        frame,
        list,
        format!(
            " Ready > {} days: {} · sort {} {dir} ",
            ls.days,
            rows.len(),
            ls.sort.label()
        ),
        &s::LONG_STAY_HEADER,
        &[
            Constraint::Length(9),
            Constraint::Length(12),
            Constraint::Length(6),
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(7),
            Constraint::Length(4),
            Constraint::Min(4),
        ],
        rows.len(),
        Some(ls.selected),
        s::NO_DELAYS,
        t,
        |i| {
            // The list's columns of the export row: id, NHS (masked), site, LA, ready, delayed,
            // LOS, reason.
            rows.get(i).map_or_else(Vec::new, |d| {
                let r = long_stay_row(d, app);
                [0, 1, 2, 3, 6, 7, 8, 9].map(|c| r[c].clone()).to_vec()
            })
        },
    );
}
