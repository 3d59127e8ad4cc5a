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

#[cfg(test)]
mod tests {
    use super::*;

    fn pop(la: &str, year: i32, n: u64) -> Population {
        Population {
            la_code: la.to_string(),
            year,
            population_18plus: n,
        }
    }

    #[test]
    fn leicestershire_july_2018_published_rate() {
        let m = YearMonth::new(2018, 7).unwrap();
        let r = rate_per_100k_day(978, m, 543_600).unwrap();
        assert!((r - 5.80).abs() < 0.005, "{r}");
        assert!((per_day(978, m) - 31.548).abs() < 0.001);
    }

    #[test]
    fn population_uses_own_year_else_most_recent_earlier() {
        let pops = [
            pop("E1", 2016, 10),
            pop("E1", 2018, 30),
            pop("E2", 2017, 99),
        ];
        let m = |y| YearMonth::new(y, 6).unwrap();
        assert_eq!(population_for(&pops, "E1", m(2018)), Some((2018, 30)));
        assert_eq!(population_for(&pops, "E1", m(2017)), Some((2016, 10)));
        assert_eq!(population_for(&pops, "E1", m(2015)), None);
        assert_eq!(rate_per_100k_day(5, m(2018), 0), None);
    }

    #[test]
    fn current_month_counts_days_elapsed() {
        let today = chrono::NaiveDate::from_ymd_opt(2018, 8, 15).unwrap();
        assert_eq!(days_counted(YearMonth::new(2018, 8).unwrap(), today), 14);
        assert_eq!(days_counted(YearMonth::new(2018, 7).unwrap(), today), 31);
        let first = chrono::NaiveDate::from_ymd_opt(2018, 8, 1).unwrap();
        assert_eq!(days_counted(YearMonth::new(2018, 8).unwrap(), first), 1);
    }
}
