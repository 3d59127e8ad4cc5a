//! The footer and the help popup, both built from the keymap's list for the current context.

use super::centered;
use crate::ui::keymap::{footer_hints, has_help, hints, Context};
use crate::ui::strings as s;
use crate::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

/// The footer: this context's keys first, then the global ones, as many as fit; it always ends
/// with `? help` (or `? more` when some keys did not fit) where `?` works.
pub fn footer(frame: &mut Frame, area: Rect, ctx: Context, theme: &Theme) {
    let width = area.width as usize;
    let help = has_help(ctx);
    // "? help" and "? more" are the same width.
    let tail = if help { 6 } else { 0 };
    let mut spans = Vec::new();
    let mut used = 0usize;
    let mut left_out = false;
    for (k, h) in footer_hints(ctx) {
        let w = k.chars().count() + 1 + h.chars().count() + 2;
        if used + w + tail > width {
            left_out = true;
            continue;
        }
        used += w;
        spans.push(Span::styled(k, theme.key()));
        spans.push(Span::raw(format!(" {h}  ")));
    }
    if help {
        spans.push(Span::styled("?", theme.key()));
        spans.push(Span::raw(if left_out { " more" } else { " help" }));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn help(frame: &mut Frame, area: Rect, ctx: Context, theme: &Theme) {
    // One column when it fits, else as many columns as the height needs.
    let list = hints(ctx, false);
    let rows = (area.height.saturating_sub(2) as usize).max(1);
    let cols = list.len().div_ceil(rows).max(1);
    // 38 columns each when they fit, else share the width (80x24 shows two columns of 39).
    let col_w = (area.width.saturating_sub(2) / cols as u16).clamp(20, 38);
    let popup = centered(
        area,
        (cols as u16 * col_w + 2).max(40),
        list.len().min(rows) as u16 + 2,
    );
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(s::HELP_TITLE, theme.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    for (c, chunk) in list.chunks(rows).enumerate() {
        let x = inner.x + c as u16 * col_w;
        if x >= inner.right() {
            break;
        }
        let col = Rect {
            x,
            y: inner.y,
            width: col_w.min(inner.right() - x),
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
