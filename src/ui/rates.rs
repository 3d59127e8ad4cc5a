//! SLOT(report): a tiny local stand-in for `crate::report`'s rates, kept in this one file so it
//! can be swapped for the report module's functions (and its RAG) when that lands.

use crate::domain::YearMonth;
use crate::store::Population;

/// The 18+ population for `la` in `month`'s calendar year, else the most recent earlier estimate:
/// (year used, population).
pub fn population_for(pops: &[Population], la: &str, month: YearMonth) -> Option<(i32, u64)> {
    pops.iter()
        .filter(|p| p.la_code == la && p.year <= month.year && p.population_18plus > 0)
        .max_by_key(|p| p.year)
        .map(|p| (p.year, p.population_18plus))
}

/// Delayed days per day (DTOC beds) in `month`.
pub fn per_day(days: u64, month: YearMonth) -> f64 {
    days as f64 / f64::from(month.days().max(1))
}

/// Days of `month` counted as of `today`: the whole month once it is over, else the days before
/// `today` (open delays count up to the day before today). Never 0.
pub fn days_counted(month: YearMonth, today: chrono::NaiveDate) -> u32 {
    if today >= month.end_exclusive() {
        month.days()
    } else {
        crate::domain::delayed_days(month.first_day(), today).clamp(1, month.days().max(1))
    }
}

/// Delayed days per day over the days counted so far (the whole month once it is over).
pub fn per_day_so_far(days: u64, month: YearMonth, today: chrono::NaiveDate) -> f64 {
    days as f64 / f64::from(days_counted(month, today))
}

/// Rate per 100,000 adults per day = days / days_in_month / population × 100,000.
pub fn rate_per_100k_day(days: u64, month: YearMonth, population: u64) -> Option<f64> {
    rate_from_per_day(per_day(days, month), population)
}

/// Rate per 100,000 adults per day from delayed days per day.
pub fn rate_from_per_day(per_day: f64, population: u64) -> Option<f64> {
    (population > 0).then(|| per_day / population as f64 * 100_000.0)
}
