//! A table that builds rows only for the lines that fit, around the selection.

use crate::ui::theme::Theme;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};
use ratatui::Frame;

/// The first row to show so that `selected` is visible in `height` rows.
pub fn window_start(selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    let start = selected.saturating_sub(height / 2);
    start.min(len - height)
}

/// Draws `rows` (built lazily by `row` for visible indices only) with a header.
#[allow(clippy::too_many_arguments)]
pub fn render(
    frame: &mut Frame,
    area: Rect,
    title: String,
    header: &[&str],
    widths: &[Constraint],
    len: usize,
    selected: Option<usize>,
    empty: &str,
    theme: &Theme,
    row: impl Fn(usize) -> Vec<String>,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, theme.title()));
    if len == 0 {
        frame.render_widget(Paragraph::new(empty.to_string()).block(block), area);
        return;
    }
    let body = area.height.saturating_sub(3) as usize;
    let start = window_start(selected.unwrap_or(0), len, body);
    let end = (start + body).min(len);
    let rows: Vec<Row> = (start..end)
        .map(|i| {
            let r = Row::new(row(i));
            if Some(i) == selected {
                r.style(theme.selected())
            } else {
                r
            }
        })
        .collect();
    let table = Table::new(rows, widths.to_vec())
        .header(Row::new(header.to_vec()).style(theme.header()))
        .block(block)
        .column_spacing(1);
    frame.render_widget(table, area);
}
