//! A bordered block of lines that wraps and scrolls (j/k, Down/Up, PgDn/PgUp, g/G, Home/End):
//! what is longer than the window (a delay's detail at 80×24) is reached by scrolling instead of
//! being cut. The block's bottom border says where the view is when there is more.

use crate::ui::keymap::Action;
use crate::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use std::cell::Cell;

/// Where a scrolled view is: its first row, and (from the last drawing) how far it can go and how
/// many rows a page is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scroll {
    pub offset: u16,
    max: Cell<u16>,
    page: Cell<u16>,
}

impl Scroll {
    /// Moves the view for a movement action; false when the action is not one.
    pub fn apply(&mut self, action: Action) -> bool {
        let (max, page) = (self.max.get(), self.page.get().max(2));
        self.offset = match action {
            Action::Down => self.offset.saturating_add(1),
            Action::Up => self.offset.saturating_sub(1),
            Action::PageDown => self.offset.saturating_add(page - 1),
            Action::PageUp => self.offset.saturating_sub(page - 1),
            Action::Top => 0,
            Action::Bottom => max,
            _ => return false,
        }
        .min(max);
        true
    }

    /// Back to the top (another item shown).
    pub fn reset(&mut self) {
        self.offset = 0;
    }

    /// The rows below the view's last row (0 at the end).
    pub fn rows_below(&self) -> u16 {
        self.max.get().saturating_sub(self.offset)
    }
}

/// Draws `lines` wrapped in a bordered block titled `title`, from the scroll's offset (kept within
/// the text). The bottom border shows `↓ more (j/PgDn)` while there is more below, and `↑` once
/// scrolled down.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    title: Line<'static>,
    lines: Vec<Line<'static>>,
    scroll: &Scroll,
    theme: &Theme,
) {
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let inner_w = area.width.saturating_sub(2);
    let inner_h = area.height.saturating_sub(2);
    let rows = u16::try_from(para.line_count(inner_w)).unwrap_or(u16::MAX);
    let max = rows.saturating_sub(inner_h);
    scroll.max.set(max);
    scroll.page.set(inner_h);
    let offset = scroll.offset.min(max);
    let mut block = Block::default().borders(Borders::ALL).title(title);
    if max > 0 {
        let at = match (offset > 0, offset < max) {
            (true, true) => crate::ui::strings::SCROLL_BOTH,
            (false, _) => crate::ui::strings::SCROLL_DOWN,
            (true, false) => crate::ui::strings::SCROLL_UP,
        };
        block = block.title_bottom(Line::from(Span::styled(at, theme.dim())).right_aligned());
    }
    frame.render_widget(para.block(block).scroll((offset, 0)), area);
}
