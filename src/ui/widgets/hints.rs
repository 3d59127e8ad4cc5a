//! The footer and the help popup, both built from the keymap's list for the current context.

use super::centered;
use crate::ui::keymap::{hints, Context};
use crate::ui::strings as s;
use crate::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

pub fn footer(frame: &mut Frame, area: Rect, ctx: Context, theme: &Theme) {
    // Keys that fit, in the keymap's order; the help popup lists them all.
    let mut spans = Vec::new();
    let mut used = 0usize;
    let width = area.width as usize;
    for (k, h) in hints(ctx, true) {
        let text = format!(" {h}  ");
        let w = k.chars().count() + text.chars().count();
        if used + w > width {
            break;
        }
        used += w;
        spans.push(Span::styled(k, theme.key()));
        spans.push(Span::raw(text));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn help(frame: &mut Frame, area: Rect, ctx: Context, theme: &Theme) {
    // One column when it fits, else as many columns as the height needs.
    let list = hints(ctx, false);
    const COL: u16 = 38;
    let rows = (area.height.saturating_sub(2) as usize).max(1);
    let cols = list.len().div_ceil(rows).max(1);
    let popup = centered(
        area,
        (cols as u16 * COL + 2).max(40),
        list.len().min(rows) as u16 + 2,
    );
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(s::HELP_TITLE, theme.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    for (c, chunk) in list.chunks(rows).enumerate() {
        let x = inner.x + c as u16 * COL;
        if x >= inner.right() {
            break;
        }
        let col = Rect {
            x,
            y: inner.y,
            width: COL.min(inner.right() - x),
            height: inner.height,
        };
        let lines: Vec<Line> = chunk
            .iter()
            .map(|(k, h)| {
                Line::from(vec![
                    Span::styled(format!("{k:>9}  "), theme.key()),
                    Span::raw(*h),
                ])
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), col);
    }
}
