//! Shared widgets: form fields, tables, the confirm dialog, the message line and key hints.

pub mod bars;
pub mod confirm;
pub mod form;
pub mod hints;
pub mod message;
pub mod picker;
pub mod scroll;
pub mod table;

use ratatui::layout::Rect;
use ratatui::text::Line;

/// A `width` × `height` rectangle centred in `area` (clipped to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Blanks `popup` and one column either side of it (within `area`), so that no sliver of the
/// screen beneath shows between the screen's border and the pop-up's.
pub fn clear_popup(frame: &mut ratatui::Frame, popup: Rect, area: Rect) {
    let x = popup.x.saturating_sub(1).max(area.x);
    let right = (popup.right() + 1).min(area.right());
    frame.render_widget(
        ratatui::widgets::Clear,
        Rect {
            x,
            width: right.saturating_sub(x),
            ..popup
        },
    );
}

/// Rows that `lines` take when word-wrapped to `width` columns (as `Wrap { trim: true }` does):
/// words are packed greedily and a word longer than the row is split. Used to size a box to its
/// text so that nothing is cut at 80 columns.
pub fn wrapped_rows(lines: &[Line], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let mut rows = 0usize;
    for line in lines {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        let mut used = 0usize;
        let mut line_rows = 1usize;
        for word in text.split_whitespace() {
            let w = word.chars().count();
            let need = if used == 0 { w } else { used + 1 + w };
            if need <= width {
                used = need;
            } else if used == 0 {
                // A word longer than the row: split across rows.
                line_rows += (w - 1) / width;
                used = (w - 1) % width + 1;
            } else {
                line_rows += 1 + w.saturating_sub(1) / width;
                used = (w.max(1) - 1) % width + 1;
            }
        }
        rows += line_rows;
    }
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// `text` word-wrapped to `width` columns (a word longer than the row is split), at least one row.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = vec![String::new()];
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let row = rows.last_mut().map_or(0, |r| r.chars().count());
            let need = if row == 0 {
                word.len()
            } else {
                row + 1 + word.len()
            };
            if need <= width {
                if let Some(r) = rows.last_mut() {
                    if row > 0 {
                        r.push(' ');
                    }
                    r.extend(word.iter());
                }
                break;
            }
            if row > 0 {
                rows.push(String::new());
                continue;
            }
            // A word longer than the row: its first `width` characters fill this one.
            let rest = word.split_off(width);
            if let Some(r) = rows.last_mut() {
                r.extend(word.iter());
            }
            rows.push(String::new());
            word = rest;
        }
    }
    if rows.len() > 1 && rows.last().is_some_and(String::is_empty) {
        rows.pop();
    }
    rows
}

/// Text cut to `n` characters, with `…` where it was cut.
pub fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `value` cut to `n` characters so that it does not read like another of `column` (the values
/// shown above and below it): `Leicestershire` beside `Leicester` is not `Leicester…` but
/// `Leic…shire`, keeping a start and an end that no other value has. A value that fits is
/// whole; a cut that no other value shares ends in `…` as [`cut`].
pub fn cut_distinct<'a>(
    value: &str,
    column: impl Iterator<Item = &'a str> + Clone,
    n: usize,
) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= n {
        return value.to_string();
    }
    let others = column.filter(|o| *o != value);
    let head = |k: usize| chars[..k].iter().collect::<String>();
    let tail = |k: usize| chars[chars.len() - k..].iter().collect::<String>();
    let plain = n.saturating_sub(1);
    if n < 3 || !others.clone().any(|o| o.starts_with(&head(plain))) {
        return cut(value, n);
    }
    // The longest tail first (down to one character) whose start and end no other value has.
    for t in (1..=plain.saturating_sub(1).min(plain / 2)).rev() {
        let (h, e) = (head(plain - t), tail(t));
        let alike = |o: &str| o.chars().count() > plain && o.starts_with(&h) && o.ends_with(&e);
        if !others.clone().any(alike) {
            return format!("{h}…{e}");
        }
    }
    cut(value, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_rows_counts_word_wrapped_rows() {
        // "aaa bbb ccc" in 7 columns: "aaa bbb" then "ccc" = 2 rows; an empty line is 1 row.
        assert_eq!(wrapped_rows(&[Line::raw("aaa bbb ccc")], 7), 2);
        assert_eq!(wrapped_rows(&[Line::raw("")], 7), 1);
        // A 10-letter word in 4 columns takes 3 rows (4 + 4 + 2); then "x" fits after "ij".
        assert_eq!(wrapped_rows(&[Line::raw("abcdefghij x")], 4), 3);
        // Two lines that fit: one row each.
        assert_eq!(wrapped_rows(&[Line::raw("ab"), Line::raw("cd")], 80), 2);
    }

    #[test]
    fn a_cut_value_never_reads_like_another() {
        let col = ["Leicester", "Leicestershire", "Rutland"];
        // Beside `Leicester`, `Leicester…` would read as it: the cut keeps the end.
        let shown = cut_distinct("Leicestershire", col.iter().copied(), 10);
        assert_eq!(shown, "Leice…hire");
        assert!(!shown.starts_with("Leicester"));
        // Alone, the plain cut; whole when it fits.
        assert_eq!(
            cut_distinct("Leicestershire", ["Rutland"].into_iter(), 10),
            "Leicester…"
        );
        assert_eq!(
            cut_distinct("Leicester", col.iter().copied(), 10),
            "Leicester"
        );
        // Two long values alike at the start: each keeps its own end.
        let wards = ["Ward 7/1", "Ward 7/10", "Ward 7/2"];
        let cuts: Vec<String> = wards
            .iter()
            .map(|w| cut_distinct(w, wards.iter().copied(), 6))
            .collect();
        assert_eq!(cuts, ["War…/1", "War…10", "War…/2"]);
    }

    #[test]
    fn wrap_words_packs_words_and_splits_long_ones() {
        assert_eq!(
            wrap_words("expected discharge (! once passed)", 20),
            vec!["expected discharge", "(! once passed)"]
        );
        assert_eq!(wrap_words("abcdefghij x", 4), vec!["abcd", "efgh", "ij x"]);
        assert_eq!(wrap_words("", 4), vec![""]);
    }
}
