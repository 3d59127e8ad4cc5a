//! Stacked bars with a target line: one column per period, each bar the sum of its parts drawn
//! bottom up with a different glyph per part (readable without colour), the target drawn as a
//! line of `━` across the column at its height.

use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

/// One bar: its label, its stacked parts (bottom first) and the target in the same unit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BarColumn {
    pub label: String,
    pub parts: Vec<f64>,
    pub target: Option<f64>,
}

impl BarColumn {
    pub fn total(&self) -> f64 {
        self.parts.iter().sum()
    }
}

/// The glyph of each part, bottom first.
pub const PART_GLYPHS: [&str; 3] = ["█", "▒", "░"];
/// The target line.
pub const TARGET_GLYPH: &str = "━";

pub struct StackedBars<'a> {
    pub columns: &'a [BarColumn],
    pub theme: &'a Theme,
}

fn fmt_axis(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

impl Widget for StackedBars<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let n = self.columns.len();
        if n == 0 || area.height < 3 || area.width < 8 {
            return;
        }
        let max = self
            .columns
            .iter()
            .map(|c| c.total().max(c.target.unwrap_or(0.0)))
            .fold(0.0_f64, f64::max);
        let max = if max > 0.0 { max * 1.1 } else { 1.0 };
        let axis_w: u16 = 6;
        let plot_h = area.height - 1;
        let plot_w = area.width.saturating_sub(axis_w + 1);
        let col_w = (plot_w / n as u16).max(1);
        let bar_w = if col_w >= 3 { col_w - 1 } else { col_w };
        // Y axis: the top, the middle and 0.
        let dim = self.theme.dim();
        for (row, v) in [(0, max), (plot_h / 2, max / 2.0), (plot_h - 1, 0.0)] {
            let label = format!("{:>w$}", fmt_axis(v), w = axis_w as usize);
            buf.set_string(area.x, area.y + row, label, dim);
        }
        for y in 0..plot_h {
            buf.set_string(area.x + axis_w, area.y + y, "│", dim);
        }
        let styles: [Style; 3] = [
            self.theme.bar(),
            self.theme.bar_second(),
            self.theme.bar_third(),
        ];
        let rows = f64::from(plot_h);
        let to_cells = |v: f64| v / max * rows;
        for (i, c) in self.columns.iter().enumerate() {
            let x0 = area.x + axis_w + 1 + i as u16 * col_w;
            if x0 + bar_w > area.x + area.width {
                break;
            }
            // Cumulative tops of each part, in cells from the bottom.
            let mut tops = Vec::with_capacity(c.parts.len());
            let mut acc = 0.0;
            for p in &c.parts {
                acc += p.max(0.0);
                tops.push(to_cells(acc));
            }
            let total = tops.last().copied().unwrap_or(0.0);
            for cell in 0..plot_h {
                let lo = f64::from(cell);
                let mid = lo + 0.5;
                let y = area.y + plot_h - 1 - cell;
                if total <= lo {
                    break;
                }
                let part = tops.iter().position(|t| *t > mid).unwrap_or(tops.len() - 1);
                let glyph = if total < lo + 1.0 && c.parts.len() == 1 {
                    // The top of a single bar: a partial block in eighths.
                    const EIGHTHS: [&str; 8] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇"];
                    EIGHTHS[(((total - lo) * 8.0) as usize).min(7)]
                } else if total < mid {
                    break;
                } else {
                    PART_GLYPHS[part.min(PART_GLYPHS.len() - 1)]
                };
                let style = styles[part.min(styles.len() - 1)];
                for dx in 0..bar_w {
                    buf.set_string(x0 + dx, y, glyph, style);
                }
            }
            if let Some(t) = c.target {
                let cell = to_cells(t).floor().clamp(0.0, rows - 1.0) as u16;
                let y = area.y + plot_h - 1 - cell;
                for dx in 0..col_w.min(area.x + area.width - x0) {
                    buf.set_string(x0 + dx, y, TARGET_GLYPH, self.theme.target());
                }
            }
            let label: String = c.label.chars().take(col_w as usize).collect();
            buf.set_string(x0, area.y + plot_h, label, dim);
        }
    }
}
