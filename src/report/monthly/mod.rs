//! The monthly report: delayed days per month × authority × measure, with DTOC beds, rates per
//! 100,000 adults per month and per day, the target converted into delayed days, RAG and the
//! significance text (docs/measures.md). Also the quarter and financial-year views (the mean of the
//! monthly per-day rates, ASCOF 2C) and the forecast for the month in progress.
//!
//! The month of "today" is still in progress: its figures cover the days counted so far (the 1st up
//! to the day before today), `days_in_month` is that number of days, and its target is the month's
//! target pro rata, so that a half-month is compared with half a month's target.
//!
//! The module by concern: `build` computes the month rows from delayed days, `by_period` the quarter
//! and year rows from them ([`by_period`]), `forecast` the month in progress, `table` and
//! `period_table` the rows as tables; `period` names the periods themselves.

mod build;
mod by_period;
mod forecast;
pub mod period;
mod period_table;
mod table;

pub use build::{monthly_from_sums, sums_of_totals, Sums};
pub use by_period::by_period;
pub use forecast::{forecast, Forecast};
pub use period_table::{cover_text, period_table, populations_text, PERIOD_HEADER};
pub use table::{monthly_table, monthly_table_with};

use super::rag::{Rag, VsTarget};
use super::rates::PopulationUsed;
use crate::domain::{LaCode, Measure, YearMonth};
use crate::store::{Authority, Coverage, Population, Target};
use chrono::NaiveDate;
use period::PeriodKey;
use serde::Serialize;

/// One row of the monthly report. Field names and order are the CSV header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthlyRow {
    /// `2018-07`, or for the period views `2018/19 Q2` / `2018/19`.
    pub month: PeriodKey,
    pub la_code: LaCode,
    pub la_name: String,
    pub measure: Measure,
    pub delayed_days: u64,
    pub days_in_month: u32,
    pub population_18plus: Option<u64>,
    pub population_year: Option<i32>,
    pub dtoc_beds: f64,
    pub rate_per_100k_month: Option<f64>,
    pub rate_per_100k_day: Option<f64>,
    pub target_per_100k_day: Option<f64>,
    pub target_days: Option<f64>,
    pub rag: Option<Rag>,
    pub vs_target: Option<VsTarget>,
    /// For a quarter or year row: the months it covers and every population estimate they used
    /// (`None` for a month).
    #[serde(skip)]
    pub period: Option<PeriodCover>,
    /// Every day of the row's period is within the register's coverage (issue 24): when false its
    /// figures are blank (not 0) in every table, a gap in every chart, and no SPC, forecast or RAG
    /// takes them.
    #[serde(skip)]
    pub covered: bool,
}

impl MonthlyRow {
    /// A row before coverage: its period, authority, measure and days, every figure blank.
    pub fn blank(
        month: YearMonth,
        a: &Authority,
        measure: Measure,
        counted: u32,
        pop: Option<PopulationUsed>,
    ) -> Self {
        Self {
            month: month.into(),
            la_code: a.code.clone(),
            la_name: a.display_name().to_string(),
            measure,
            delayed_days: 0,
            days_in_month: counted,
            population_18plus: pop.map(|p| p.population),
            population_year: pop.map(|p| p.year),
            dtoc_beds: 0.0,
            rate_per_100k_month: None,
            rate_per_100k_day: None,
            target_per_100k_day: None,
            target_days: None,
            rag: None,
            vs_target: None,
            period: None,
            covered: false,
        }
    }

    /// Every day of the row's period is counted: false for the month in progress, and for a
    /// quarter or year with months missing or in progress (docs/measures.md).
    /// A month before coverage is not complete either (its record is not).
    pub fn complete(&self) -> bool {
        if !self.covered {
            return false;
        }
        match (&self.period, self.month) {
            (Some(c), _) => c.complete,
            (None, PeriodKey::Month(m)) => self.days_in_month >= m.days(),
            (None, _) => false,
        }
    }
}

/// What a quarter or year row covers: a mean of which months, with which populations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodCover {
    /// The months counted (with at least one day counted).
    pub months: usize,
    /// The months of the whole period: 3 or 12.
    pub of_months: usize,
    /// Every month of the period is counted, each in full.
    pub complete: bool,
    /// Every population estimate the months used, in year order, each once.
    pub populations: Vec<PopulationUsed>,
}

/// The note quarter and year rows carry (docs/measures.md, ASCOF 2C).
pub const PERIOD_NOTE: &str = "quarter and year rows are means of their months (the ASCOF 2C method): DTOC beds, rates and target rates are the mean of the monthly figures, not the period's days over its length; delayed days and target days are sums; every population estimate used is named with its year; complete is false for a period with months missing, in progress or before coverage; a month before coverage is left out of its period (a period with none covered is blank)";

/// The CSV header, exactly. `complete` is false for the month in progress (docs/measures.md; its
/// figures are to date); `forecast_days` and `forecast_rate` are a FORECAST of that month's end at
/// its run rate (days so far ÷ days counted × days in the month; the rate per 100,000 adults for
/// the month), empty on other months.
pub const MONTHLY_HEADER: &str = "month,la_code,la_name,measure,delayed_days,days_in_month,population_18plus,population_year,dtoc_beds,rate_per_100k_month,rate_per_100k_day,target_per_100k_day,target_days,rag,vs_target,complete,forecast_days,forecast_rate";

/// What the report is computed from: plain data read by the store.
pub struct Inputs<'a> {
    pub authorities: &'a [Authority],
    pub populations: &'a [Population],
    pub targets: &'a [Target],
    /// From when the record is complete: months before it are blank rows.
    pub coverage: &'a Coverage,
}

/// The report and the notes a reader needs (missing populations, targets that could not be used).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Monthly {
    pub rows: Vec<MonthlyRow>,
    pub notes: Vec<String>,
}

/// Days of `month` counted as of `today`: the whole month when it is over, the days before today
/// while in progress, 0 for a month not yet begun.
pub fn days_counted(month: YearMonth, today: NaiveDate) -> u32 {
    if today >= month.end_exclusive() {
        month.days()
    } else if today <= month.first_day() {
        0
    } else {
        (today - month.first_day()).num_days() as u32
    }
}

#[cfg(test)]
mod tests;
