//! One module per screen; each draws from `&App` only.

pub mod board;
pub mod dashboard;
pub mod long_stay;
pub mod reconcile;
pub mod register;
pub mod report;
pub mod settings;
pub mod weekly;

use crate::domain::YearMonth;
use crate::ui::app::{App, MONTHS_SHOWN};

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
