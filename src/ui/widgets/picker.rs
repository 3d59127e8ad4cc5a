//! A pop-up list to pick one line from (the `0` list of every screen).

use super::centered;
use crate::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Draws `items` in a bordered pop-up over `area`, the `selected` one highlighted; a list longer
/// than the pop-up scrolls to keep it in view.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    items: &[String],
    selected: usize,
    theme: &Theme,
) {
    let longest = items.iter().map(|i| i.chars().count()).max().unwrap_or(0);
    let width = (longest.max(title.chars().count()) + 4) as u16;
    let popup = centered(area, width, items.len() as u16 + 2);
    super::clear_popup(frame, popup, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title.to_string(), theme.title()));
    let rows = usize::from(block.inner(popup).height).max(1);
    let first = selected.saturating_sub(rows - 1);
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, text)| {
            let style = if i == selected {
                theme.selected()
            } else {
                ratatui::style::Style::default()
            };
            Line::styled(format!(" {text}"), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
