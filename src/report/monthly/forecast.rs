//! The month in progress: days so far and two month-end projections.

use super::period::PeriodKey;
use super::MonthlyRow;
use crate::domain::{LaCode, Measure, YearMonth};
use crate::store::OpenCount;
use chrono::NaiveDate;
use serde::Serialize;

/// The month in progress for one authority and measure: days so far and two month-end projections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    pub month: YearMonth,
    pub la_code: LaCode,
    pub measure: Measure,
    pub days_so_far: u64,
    pub days_counted: u32,
    pub days_in_month: u32,
    /// Patients delayed at the start of today.
    pub delayed_now: u64,
    /// Days so far ÷ days counted × days in the month.
    pub run_rate_projection: f64,
    /// Days so far + every patient delayed now staying to the month's end.
    pub if_all_stay_projection: f64,
    /// The whole month's target in delayed days, where set.
    pub target_days: Option<f64>,
}

/// Forecasts for the month of `today` from its monthly rows (as of today) and today's open delays.
pub fn forecast(monthly: &[MonthlyRow], open: &[OpenCount], today: NaiveDate) -> Vec<Forecast> {
    let month = YearMonth::of(today);
    let key = PeriodKey::Month(month);
    let remaining = (month.end_exclusive() - today).num_days().max(0) as f64;
    monthly
        .iter()
        .filter(|r| r.month == key && r.covered)
        .map(|r| {
            let delayed_now: u64 = open
                .iter()
                .filter(|o| o.la_code == r.la_code && r.measure.includes(o.attribution))
                .map(|o| o.patients)
                .sum();
            let counted = r.days_in_month.max(1);
            Forecast {
                month,
                la_code: r.la_code.clone(),
                measure: r.measure,
                days_so_far: r.delayed_days,
                days_counted: r.days_in_month,
                days_in_month: month.days(),
                delayed_now,
                run_rate_projection: r.delayed_days as f64 / f64::from(counted)
                    * f64::from(month.days()),
                if_all_stay_projection: r.delayed_days as f64 + delayed_now as f64 * remaining,
                target_days: r
                    .target_days
                    .map(|t| t * f64::from(month.days()) / f64::from(counted)),
            }
        })
        .collect()
}
