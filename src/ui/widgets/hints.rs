//! The footer and the help popup, both built from the keymap's list for the current context.

use super::centered;
use crate::ui::about::about;
use crate::ui::keymap::{footer_hints, has_help, hints, Context};
use crate::ui::strings as s;
use crate::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
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

/// The `?` popup: what the screen is for and what its columns mean (from [`about`]), then the
/// keys that work there (from the keymap table), each list in as many columns as the room needs.
pub fn help(frame: &mut Frame, area: Rect, ctx: Context, theme: &Theme) {
    // A modal over the whole window (at 80x24 it needs every row).
    let keys = hints(ctx, false);
    let about = about(ctx);
    let popup = centered(area, area.width.min(110), area.height);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(s::HELP_TITLE, theme.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut y = inner.y;
    // A blank line between the parts when there is room (an 80x24 window needs every row).
    let gap = u16::from(inner.height >= 30);
    let rest = |y: u16| Rect {
        y,
        height: inner.bottom().saturating_sub(y),
        ..inner
    };
    if let Some(a) = about {
        let purpose = [Line::raw(a.purpose)];
        let rows = super::wrapped_rows(&purpose, inner.width).min(inner.height);
        frame.render_widget(
            Paragraph::new(purpose.to_vec()).wrap(Wrap { trim: true }),
            Rect {
                height: rows,
                ..rest(y)
            },
        );
        y += rows + gap;
        if !a.columns.is_empty() {
            y += grid(
                frame,
                rest(y),
                s::HELP_COLUMNS,
                a.columns,
                (36, None),
                theme,
            ) + gap;
        }
    }
    grid(frame, rest(y), s::HELP_KEYS, &keys, (39, Some(9)), theme);
}

/// A heading and (name, meaning) pairs laid out column by column, each column at least
/// `min_w` wide, the names right-aligned to `name_w` (else to the column's longest), a meaning
/// too long for its column wrapped under itself (never cut); returns the rows used.
fn grid(
    frame: &mut Frame,
    area: Rect,
    heading: &str,
    items: &[(&str, &str)],
    (min_w, name_w): (u16, Option<usize>),
    theme: &Theme,
) -> u16 {
    if area.height < 2 || items.is_empty() {
        return 0;
    }
    frame.render_widget(
        Paragraph::new(Line::styled(heading.to_string(), theme.header())),
        area,
    );
    let room = (area.height - 1) as usize;
    let name_w = name_w.unwrap_or_else(|| {
        items
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0)
    });
    // Each item's lines in columns `col_w` wide: the name and the meaning's first row, then its
    // other rows under it (one column between the grid's columns).
    let entries_of = |col_w: usize| -> Vec<Vec<Line>> {
        let desc_w = col_w.saturating_sub(name_w + 3).max(8);
        items
            .iter()
            .map(|(k, h)| {
                super::wrap_words(h, desc_w)
                    .into_iter()
                    .enumerate()
                    .map(|(i, row)| {
                        let name = if i == 0 { *k } else { "" };
                        Line::from(vec![
                            Span::styled(format!("{name:>name_w$}  "), theme.key()),
                            Span::raw(row),
                        ])
                    })
                    .collect()
            })
            .collect()
    };
    // The items in order, in columns of `height` rows.
    let pack = |entries: &[Vec<Line<'static>>], height: usize| -> Vec<Vec<Line<'static>>> {
        let mut columns: Vec<Vec<Line>> = vec![Vec::new()];
        for e in entries {
            let used = columns.last().map_or(0, Vec::len);
            if used > 0 && used + e.len() > height {
                columns.push(Vec::new());
            }
            if let Some(c) = columns.last_mut() {
                c.extend(e.iter().cloned());
            }
        }
        columns
    };
    // The number of columns (at least `min_w` wide where the rows allow) that needs the fewest
    // rows: wide columns wrap less, more columns stack less.
    let most = usize::from(area.width / 20).max(1);
    let wanted = usize::from(area.width / min_w).max(1);
    // Of the layouts that fit the room, the one that wraps least (then the shortest); if none
    // fits, the shortest.
    let (col_w, columns) = (1..=most)
        .map(|cols| {
            let col_w = usize::from(area.width) / cols;
            let entries = entries_of(col_w);
            let total: usize = entries.iter().map(Vec::len).sum();
            let mut height = total.div_ceil(cols).max(1);
            while pack(&entries, height).len() > cols {
                height += 1;
            }
            let wrapped = total - entries.len();
            let key = if height <= room {
                (0, wrapped, height, usize::from(cols < wanted))
            } else {
                (1, height, wrapped, 0)
            };
            (key, col_w, pack(&entries, height))
        })
        .min_by_key(|(key, _, _)| *key)
        .map(|(_, w, c)| (w, c))
        .unwrap_or_default();
    let rows = columns.iter().map(Vec::len).max().unwrap_or(1).min(room);
    for (c, lines) in columns.into_iter().enumerate() {
        let x = area.x + (c * col_w) as u16;
        if x >= area.right() {
            break;
        }
        let col = Rect {
            x,
            y: area.y + 1,
            width: (col_w as u16).min(area.right() - x),
            height: rows as u16,
        };
        frame.render_widget(Paragraph::new(lines), col);
    }
    rows as u16 + 1
}
