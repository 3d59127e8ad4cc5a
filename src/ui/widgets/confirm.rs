//! A yes/no popup for destructive actions.

use super::centered;
use crate::ui::strings as s;
use crate::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn render(frame: &mut Frame, area: Rect, prompt: &str, theme: &Theme) {
    let popup = centered(area, 60, 7);
    super::clear_popup(frame, popup, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(s::CONFIRM_TITLE, theme.error()));
    let text = vec![
        Line::raw(prompt.to_string()),
        Line::raw(""),
        Line::styled(s::CONFIRM_HINT, theme.key()),
    ];
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
        popup,
    );
}
