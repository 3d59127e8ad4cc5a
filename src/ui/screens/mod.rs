//! One module per screen; each draws from `&App` only.

pub mod board;
pub mod dashboard;
pub mod discharges;
pub mod long_stay;
pub mod reconcile;
pub mod register;
pub mod report;
pub mod settings;
pub mod weekly;

use crate::domain::YearMonth;
use crate::ui::app::{App, MONTHS_SHOWN};
use crate::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::Frame;
use tui_input::Input;

/// The months shown, oldest first.
pub fn months(app: &App) -> Vec<YearMonth> {
    let this = YearMonth::of(app.today);
    this.add_months(-(MONTHS_SHOWN - 1))
        .range_inclusive(this)
        .collect()
}

/// Short authority label for narrow columns.
pub fn la_label(app: &App, code: &str) -> String {
    app.data
        .authorities
        .iter()
        .find(|a| a.code == code)
        .map_or(code, |a| a.display_name())
        .to_string()
}

/// Text cut to `n` characters.
pub fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The start of a `/` filter line: the typed text, the hint while empty, and the cursor while
/// typing (the register and the long-stay list share it).
pub fn filter_spans(
    frame: &mut Frame,
    area: Rect,
    query: &Input,
    typing: bool,
    hint: &'static str,
    t: &Theme,
) -> Vec<Span<'static>> {
    let mut spans = vec![
        Span::styled("/", t.key()),
        Span::raw(format!(" {}", query.value())),
    ];
    if !typing && query.value().is_empty() {
        spans.push(Span::styled(hint, t.dim()));
    }
    if typing {
        spans.push(Span::styled("▏", t.focus()));
        frame.set_cursor_position((area.x + 2 + query.visual_cursor() as u16, area.y));
    }
    spans
}
