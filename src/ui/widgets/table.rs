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

/// The table's block and the rows that fit around the selection (`start..end`); `None` when
/// there are no rows (the `empty` text is drawn instead).
fn frame_rows(
    frame: &mut Frame,
    area: Rect,
    title: String,
    len: usize,
    selected: Option<usize>,
    empty: &str,
    theme: &Theme,
) -> Option<(Block<'static>, usize, usize)> {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, theme.title()));
    if len == 0 {
        frame.render_widget(Paragraph::new(empty.to_string()).block(block), area);
        return None;
    }
    let body = area.height.saturating_sub(3) as usize;
    let start = window_start(selected.unwrap_or(0), len, body);
    Some((block, start, (start + body).min(len)))
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
    let Some((block, start, end)) = frame_rows(frame, area, title, len, selected, empty, theme)
    else {
        return;
    };
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
    let header = Row::new(header.to_vec()).style(theme.header());
    frame.render_widget(grid(rows, widths, header, block), area);
}

/// A table of rows already built (styled by the caller): `header` over them, in `block`, the
/// columns `widths` wide and one apart, as every table of the app.
pub fn grid<'a>(
    rows: Vec<Row<'a>>,
    widths: &[Constraint],
    header: Row<'a>,
    block: Block<'a>,
) -> Table<'a> {
    Table::new(rows, widths.to_vec())
        .header(header)
        .block(block)
        .column_spacing(1)
}

/// Columns of fixed widths.
pub fn lengths(widths: &[u16]) -> Vec<Constraint> {
    widths.iter().map(|&w| Constraint::Length(w)).collect()
}

/// A column of a fitted table: never narrower than `min` (an identifier's column has `min` =
/// its longest value, so it is never cut), widened up to `want` while there is room; the
/// `grow` column takes what is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    pub min: u16,
    pub want: u16,
    pub grow: bool,
    /// Widened before the columns of a higher `rank` (0 first; ties in order).
    pub rank: u8,
}

impl Col {
    /// A column `min` wide at least, `want` at most (`grow`: also what is left).
    pub const fn new(min: u16, want: u16) -> Self {
        Self {
            min,
            want,
            grow: false,
            rank: 1,
        }
    }

    /// Widened before the other columns (e.g. the authority's name, so that two names that
    /// begin alike are not cut into each other).
    pub const fn first(self) -> Self {
        Self { rank: 0, ..self }
    }

    /// A column left out when nothing in it (0 wide when its values are all empty).
    pub const fn optional(want: u16, min: u16) -> Self {
        if want == 0 {
            Self::new(0, 0)
        } else {
            Self::new(min, want)
        }
    }

    /// A column whose values must never be cut: exactly as wide as the widest.
    pub const fn exact(w: u16) -> Self {
        Self::new(w, w)
    }

    pub const fn grow(self) -> Self {
        Self { grow: true, ..self }
    }
}

/// One cell of a fitted table; `warn` draws it in the warning style (e.g. a date passed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub warn: bool,
    /// The first characters (a code before its label) never cut: in a column too narrow for
    /// them and a dozen characters of the rest, only they are shown, without `…` (`Di` and
    /// `Dii`, never `Di…` for both).
    pub keep: u16,
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Self {
            text,
            warn: false,
            keep: 0,
        }
    }
}

impl Cell {
    pub fn warn(text: String, warn: bool) -> Self {
        Self {
            text,
            warn,
            keep: 0,
        }
    }

    /// A code and its label (`Dii Awaiting nursing home…`): the code is never cut.
    pub fn coded(code: &str, label: &str) -> Self {
        Self {
            text: format!("{code} {label}"),
            warn: false,
            keep: code.chars().count() as u16,
        }
    }

    /// The text in `w` columns, not reading like another of `column` (see
    /// [`super::cut_distinct`]).
    fn fitted<'a>(&self, w: u16, column: impl Iterator<Item = &'a str> + Clone) -> String {
        // A label with less than a dozen characters left says nothing: the code alone.
        if self.keep > 0 && w < self.keep + 13 && self.text.chars().count() > usize::from(w) {
            return self.text.chars().take(usize::from(self.keep)).collect();
        }
        super::cut_distinct(&self.text, column, usize::from(w))
    }
}

/// The widths of `cols` in `width` columns (borders and one space between shown columns taken
/// off): every column gets its minimum, then by rank and in order up to what it wants, then the
/// `grow` column what is left. A column wanting nothing is 0 wide (left out).
pub fn fit(width: u16, cols: &[Col]) -> Vec<u16> {
    let shown = cols.iter().filter(|c| c.want > 0 || c.min > 0).count();
    let gaps = shown.saturating_sub(1) as u16;
    let avail = width.saturating_sub(2 + gaps);
    let mut w: Vec<u16> = cols.iter().map(|c| c.min).collect();
    let mut left = avail.saturating_sub(w.iter().sum());
    let mut order: Vec<usize> = (0..cols.len()).collect();
    order.sort_by_key(|i| cols[*i].rank);
    for i in order {
        let more = cols[i].want.saturating_sub(cols[i].min).min(left);
        w[i] += more;
        left -= more;
    }
    if let Some(i) = cols.iter().position(|c| c.grow) {
        w[i] += left;
    }
    w
}

/// The width a column needs for the widest of `values` and its header.
pub fn widest<'a>(header: &str, values: impl Iterator<Item = &'a str>) -> u16 {
    let w = values.map(|v| v.chars().count()).max().unwrap_or(0);
    w.max(header.chars().count()).min(u16::MAX as usize) as u16
}

/// [`render`] with widths from [`fit`]: each cell cut to its column with `…`, so a column that
/// gives way says so (and the identifier columns, sized to their widest value, never do).
#[allow(clippy::too_many_arguments)]
pub fn render_fitted(
    frame: &mut Frame,
    area: Rect,
    title: String,
    header: &[&str],
    cols: &[Col],
    len: usize,
    selected: Option<usize>,
    empty: &str,
    theme: &Theme,
    row: impl Fn(usize) -> Vec<Cell>,
) {
    let widths = fit(area.width, cols);
    let Some((block, start, end)) = frame_rows(frame, area, title, len, selected, empty, theme)
    else {
        return;
    };
    // Columns 0 wide are left out, header and cells alike.
    let keep = |w: &&u16| **w > 0;
    // Each cell cut so as not to read like another shown in its column.
    let cells: Vec<Vec<Cell>> = (start..end).map(&row).collect();
    let column = |k: usize| {
        cells
            .iter()
            .filter_map(move |r| r.get(k))
            .map(|c| c.text.as_str())
    };
    let rows: Vec<Row> = cells
        .iter()
        .zip(start..end)
        .map(|(r, i)| {
            let cells = r
                .iter()
                .zip(&widths)
                .enumerate()
                .filter(|(_, (_, w))| keep(w))
                .map(|(k, (c, w))| {
                    let cell = ratatui::widgets::Cell::from(c.fitted(*w, column(k)));
                    if c.warn {
                        cell.style(theme.warn())
                    } else {
                        cell
                    }
                });
            let r = Row::new(cells);
            if Some(i) == selected {
                r.style(theme.selected())
            } else {
                r
            }
        })
        .collect();
    let cut_to = |s: &str, w: u16| super::cut(s, usize::from(w));
    let head = header
        .iter()
        .zip(&widths)
        .filter(|(_, w)| keep(w))
        .map(|(h, w)| cut_to(h, *w));
    let shown = widths.iter().filter(keep).map(|w| Constraint::Length(*w));
    let table = Table::new(rows, shown)
        .header(Row::new(head).style(theme.header()))
        .block(block)
        .column_spacing(1);
    frame.render_widget(table, area);
}

#[cfg(test)]
mod fit_tests {
    use super::*;

    #[test]
    fn the_identifier_keeps_its_width_and_the_grow_column_takes_the_rest() {
        let cols = [Col::exact(12), Col::new(3, 20), Col::new(3, 10).grow()];
        // 80 wide: 76 after borders and two gaps.
        assert_eq!(fit(80, &cols), vec![12, 20, 44]);
        // 30 wide: 26; the id keeps 12, the second column gives way first-come.
        assert_eq!(fit(30, &cols), vec![12, 11, 3]);
        assert_eq!(
            widest("Local id", ["RWE7401643", "RT51869891"].into_iter()),
            10
        );
        // A first-ranked column is widened before the others; an empty optional one is left out.
        let cols = [
            Col::new(3, 20),
            Col::optional(0, 4),
            Col::new(4, 14).first(),
        ];
        assert_eq!(fit(24, &cols), vec![7, 0, 14]);
    }

    #[test]
    fn nothing_wider_than_the_window_is_given_out() {
        let cols = [Col::exact(12), Col::new(3, 20).grow()];
        assert_eq!(fit(10, &cols), vec![12, 3]);
    }
}
