//! The one-line message under the screen: what just happened, or why it did not.

use crate::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

impl Message {
    pub fn info(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            error: false,
        }
    }
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            error: true,
        }
    }
}

pub fn render(frame: &mut Frame, area: Rect, msg: Option<&Message>, theme: &Theme) {
    if let Some(m) = msg {
        let style = if m.error { theme.error() } else { theme.ok() };
        frame.render_widget(
            Paragraph::new(Line::styled(m.text.clone(), style)).wrap(Wrap { trim: true }),
            area,
        );
    }
}
