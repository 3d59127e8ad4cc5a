//! Rates per 100,000 adults, DTOC beds, target conversion and quarterly / annual means (docs/measures.md).
//!
//! Everything here is a pure function of plain values. Populations are ONS mid-year estimates of
//! residents aged 18+; a figure that uses one carries the estimate's year ([`PopulationUsed`]).

use super::period::{Period, PeriodKey};
use crate::domain::{TargetUnit, YearMonth};
use serde::Serialize;
use std::collections::BTreeMap;

/// Why a rate or a target conversion cannot be computed. Never a division by zero.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RateError {
    /// A per-100,000 unit was asked for but no population estimate covers the month.
    #[error("a target in {} needs an 18+ population estimate for the month, and there is none (add one for that year or an earlier one)", .0.key())]
    NoPopulation(TargetUnit),
    /// A population of zero would divide by zero.
    #[error("the 18+ population is 0: a rate per 100,000 cannot be computed")]
    ZeroPopulation,
    /// A month of zero days (only reachable through a bad caller).
    #[error("a month has at least 28 days, not 0")]
    ZeroDaysInMonth,
    /// A value that is negative, infinite or not a number.
    #[error("{0} is not a valid figure (it must be a finite number, 0 or more)")]
    BadValue(f64),
    /// The same month appears twice in a series to aggregate.
    #[error("month {0} appears more than once")]
    DuplicateMonth(YearMonth),
}

/// The population estimate a figure used: its year and the 18+ population.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PopulationUsed {
    /// The year of the ONS mid-year estimate.
    pub year: i32,
    /// Residents aged 18+.
    pub population: u64,
}

/// Picks the population estimate for `month`: the one for the month's calendar year, else the most
/// recent earlier one. `None` when every estimate is later than the month (or there are none).
/// `estimates` holds `(year, population_18plus)` pairs in any order; if a year appears twice the
/// first pair given wins.
pub fn population_for_month(estimates: &[(i32, u64)], month: YearMonth) -> Option<PopulationUsed> {
    let mut best: Option<(i32, u64)> = None;
    for &(year, population) in estimates {
        if year <= month.year && best.is_none_or(|(y, _)| year > y) {
            best = Some((year, population));
        }
    }
    best.map(|(year, population)| PopulationUsed { year, population })
}

fn check_value(v: f64) -> Result<f64, RateError> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(RateError::BadValue(v))
    }
}

fn check_days_in_month(days_in_month: u32) -> Result<f64, RateError> {
    if days_in_month == 0 {
        Err(RateError::ZeroDaysInMonth)
    } else {
        Ok(f64::from(days_in_month))
    }
}

fn check_population(population: u64) -> Result<f64, RateError> {
    if population == 0 {
        Err(RateError::ZeroPopulation)
    } else {
        // Populations are far below 2^53, so the conversion is exact.
        Ok(population as f64)
    }
}

/// DTOC beds (average delays per day) = delayed days ÷ days in the month.
pub fn dtoc_beds(days: f64, days_in_month: u32) -> Result<f64, RateError> {
    Ok(check_value(days)? / check_days_in_month(days_in_month)?)
}

/// Rate per 100,000 per month = delayed days ÷ population × 100,000.
pub fn rate_per_100k_month(days: f64, population: u64) -> Result<f64, RateError> {
    Ok(check_value(days)? / check_population(population)? * 100_000.0)
}

/// Rate per 100,000 per day = DTOC beds ÷ population × 100,000 (the BCF "average days delayed per
/// day per 100,000 population aged 18+").
pub fn rate_per_100k_day(beds: f64, population: u64) -> Result<f64, RateError> {
    Ok(check_value(beds)? / check_population(population)? * 100_000.0)
}

/// Every rate of one month's delayed-day count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthRates {
    /// The month.
    pub month: YearMonth,
    /// Delayed days in the month.
    pub days: u64,
    /// Days in the month (28–31).
    pub days_in_month: u32,
    /// Delayed days ÷ days in the month.
    pub dtoc_beds: f64,
    /// The population estimate used, if any covers the month.
    pub population: Option<PopulationUsed>,
    /// Delayed days per 100,000 adults in the month (`None` without a population).
    pub per_100k_month: Option<f64>,
    /// DTOC beds per 100,000 adults (`None` without a population).
    pub per_100k_day: Option<f64>,
}

/// All the rates of `days` delayed days in `month`, with the population chosen by
/// [`population_for_month`]. A population estimate of 0 is treated as no population.
pub fn month_rates(month: YearMonth, days: u64, estimates: &[(i32, u64)]) -> MonthRates {
    let days_in_month = month.days();
    let d = days as f64;
    // A month always has 28–31 days, so the division is safe.
    let beds = d / f64::from(days_in_month.max(1));
    let population = population_for_month(estimates, month).filter(|p| p.population > 0);
    let per_100k_month = population.and_then(|p| rate_per_100k_month(d, p.population).ok());
    let per_100k_day = population.and_then(|p| rate_per_100k_day(beds, p.population).ok());
    MonthRates {
        month,
        days,
        days_in_month,
        dtoc_beds: beds,
        population,
        per_100k_month,
        per_100k_day,
    }
}

/// Converts a target given as `value` in `unit` into delayed days in the month, using the month's
/// length and 18+ population (`population` is only needed for the per-100,000 units).
///
/// 1.5 delayed days a day is 42, 45 and 46.5 days in a 28-, 30- and 31-day month.
pub fn target_days(
    unit: TargetUnit,
    value: f64,
    days_in_month: u32,
    population: Option<u64>,
) -> Result<f64, RateError> {
    let value = check_value(value)?;
    let n = check_days_in_month(days_in_month)?;
    let pop = || match population {
        None => Err(RateError::NoPopulation(unit)),
        Some(p) => check_population(p),
    };
    Ok(match unit {
        TargetUnit::Days => value,
        TargetUnit::DaysPerDay => value * n,
        TargetUnit::Per100kMonth => value * pop()? / 100_000.0,
        TargetUnit::Per100kDay => value * pop()? / 100_000.0 * n,
    })
}

/// The inverse of [`target_days`]: expresses `days` delayed days in the month in `unit`.
pub fn days_in_unit(
    unit: TargetUnit,
    days: f64,
    days_in_month: u32,
    population: Option<u64>,
) -> Result<f64, RateError> {
    let days = check_value(days)?;
    let n = check_days_in_month(days_in_month)?;
    let pop = || match population {
        None => Err(RateError::NoPopulation(unit)),
        Some(p) => check_population(p),
    };
    Ok(match unit {
        TargetUnit::Days => days,
        TargetUnit::DaysPerDay => days / n,
        TargetUnit::Per100kMonth => days / pop()? * 100_000.0,
        TargetUnit::Per100kDay => days / n / pop()? * 100_000.0,
    })
}

/// A target in `unit` shown as delayed days per day per 100,000 adults (the BCF display unit).
pub fn target_per_100k_day(
    unit: TargetUnit,
    value: f64,
    days_in_month: u32,
    population: Option<u64>,
) -> Result<f64, RateError> {
    let days = target_days(unit, value, days_in_month, population)?;
    days_in_unit(TargetUnit::Per100kDay, days, days_in_month, population)
}

pub use super::period::FinancialPeriod;

/// The mean of the monthly rates of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodRate {
    /// The month, quarter or financial year.
    pub period: PeriodKey,
    /// The mean of the monthly per-day rates (ASCOF 2C): each month weighs the same whatever its length.
    pub mean: f64,
    /// Months that had a value.
    pub months: usize,
    /// Whether every month of the period had a value; a partial period is a mean of fewer months.
    pub complete: bool,
}

/// Aggregates monthly per-day rates (DTOC beds or per 100,000 per day) into `by`'s periods
/// (financial quarters or years; a month is its own period): each period's figure is the mean of
/// its monthly rates (the ASCOF 2C method), not the period's days over its length. Periods come out
/// in time order; months with no value are simply absent (and the period is marked incomplete). A
/// month given twice is an error. [`super::monthly::by_period`] computes its means with it.
pub fn aggregate_monthly_rates(
    monthly: &[(YearMonth, f64)],
    by: Period,
) -> Result<Vec<PeriodRate>, RateError> {
    let mut seen = std::collections::BTreeSet::new();
    let mut rates: BTreeMap<PeriodKey, Vec<f64>> = BTreeMap::new();
    for &(month, rate) in monthly {
        if !seen.insert(month) {
            return Err(RateError::DuplicateMonth(month));
        }
        rates
            .entry(by.key_of(month))
            .or_default()
            .push(check_value(rate)?);
    }
    Ok(rates
        .into_iter()
        .map(|(period, v)| PeriodRate {
            period,
            mean: v.iter().sum::<f64>() / v.len() as f64,
            months: v.len(),
            complete: v.len() == period.months(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).unwrap()
    }

    fn round(x: f64, dp: i32) -> f64 {
        let f = 10f64.powi(dp);
        (x * f).round() / f
    }

    const LEICS_POP: u64 = 543_600;

    #[test]
    fn population_uses_own_year_else_latest_earlier() {
        let est = [(2016, 530_000), (2018, 543_600), (2017, 538_000)];
        assert_eq!(
            population_for_month(&est, ym(2018, 7)),
            Some(PopulationUsed {
                year: 2018,
                population: 543_600
            })
        );
        // 2019 has no estimate: the most recent earlier one (2018), not the first listed.
        assert_eq!(
            population_for_month(&est, ym(2019, 3)),
            Some(PopulationUsed {
                year: 2018,
                population: 543_600
            })
        );
        assert_eq!(
            population_for_month(&est, ym(2017, 1)).map(|p| p.year),
            Some(2017)
        );
        // Nothing for 2015 or earlier; never a later estimate.
        assert_eq!(population_for_month(&est, ym(2015, 12)), None);
        assert_eq!(population_for_month(&[], ym(2018, 7)), None);
    }

    #[test]
    fn leicestershire_july_2018() {
        let july = ym(2018, 7);
        assert_eq!(july.days(), 31);
        let r = month_rates(july, 978, &[(2018, LEICS_POP)]);
        assert_eq!(round(r.dtoc_beds, 3), 31.548);
        assert_eq!(round(r.per_100k_month.unwrap(), 1), 179.9);
        assert_eq!(round(r.per_100k_day.unwrap(), 2), 5.80);
        assert_eq!(r.population.unwrap().year, 2018);
        for (days, expected) in [(865.0, 5.13), (85.0, 0.50), (28.0, 0.17)] {
            let beds = dtoc_beds(days, 31).unwrap();
            assert_eq!(
                round(rate_per_100k_day(beds, LEICS_POP).unwrap(), 2),
                expected
            );
        }
        // The three attributions add up to the total's rate (to rounding of the parts).
        assert_eq!(865 + 85 + 28, 978);
    }

    #[test]
    fn month_rates_without_population_has_beds_only() {
        let r = month_rates(ym(2018, 2), 56, &[(2019, 1000)]);
        assert_eq!(r.days_in_month, 28);
        assert_eq!(r.dtoc_beds, 2.0);
        assert_eq!(r.population, None);
        assert_eq!(r.per_100k_month, None);
        assert_eq!(r.per_100k_day, None);
        let zero = month_rates(ym(2018, 2), 56, &[(2018, 0)]);
        assert_eq!(zero.per_100k_day, None);
    }

    #[test]
    fn rates_refuse_zero_population_and_bad_values() {
        assert_eq!(rate_per_100k_month(10.0, 0), Err(RateError::ZeroPopulation));
        assert_eq!(rate_per_100k_day(1.0, 0), Err(RateError::ZeroPopulation));
        assert_eq!(dtoc_beds(10.0, 0), Err(RateError::ZeroDaysInMonth));
        assert!(matches!(
            dtoc_beds(f64::NAN, 31),
            Err(RateError::BadValue(_))
        ));
        assert_eq!(dtoc_beds(-1.0, 31), Err(RateError::BadValue(-1.0)));
    }

    #[test]
    fn a_daily_ceiling_depends_on_month_length() {
        for (n, expected) in [(28, 42.0), (30, 45.0), (31, 46.5)] {
            assert_eq!(
                target_days(TargetUnit::DaysPerDay, 1.5, n, None).unwrap(),
                expected
            );
        }
        // Leap February has 29 days.
        let feb = ym(2020, 2).days();
        assert_eq!(
            target_days(TargetUnit::DaysPerDay, 1.5, feb, None).unwrap(),
            43.5
        );
    }

    #[test]
    fn per_100k_targets_convert_with_population() {
        // 5.80 per 100k per day in a 31-day month at 543,600 adults: 5.80 × 5.436 × 31 days.
        let d = target_days(TargetUnit::Per100kDay, 5.8, 31, Some(LEICS_POP)).unwrap();
        assert!((d - 5.8 * 5.436 * 31.0).abs() < 1e-9, "{d}");
        let d = target_days(TargetUnit::Per100kMonth, 179.9, 31, Some(LEICS_POP)).unwrap();
        assert!((d - 179.9 * 5.436).abs() < 1e-9, "{d}");
        // Leicestershire's actual July 2018 as a per-100k-per-day figure.
        let shown = target_per_100k_day(TargetUnit::Days, 978.0, 31, Some(LEICS_POP)).unwrap();
        assert_eq!(round(shown, 2), 5.80);
    }

    #[test]
    fn per_100k_target_without_population_is_a_clear_error() {
        for unit in [TargetUnit::Per100kMonth, TargetUnit::Per100kDay] {
            let e = target_days(unit, 5.0, 31, None).unwrap_err();
            assert_eq!(e, RateError::NoPopulation(unit));
            assert!(e.to_string().contains("population"), "{e}");
            assert!(e.to_string().contains(unit.key()), "{e}");
            assert_eq!(
                target_days(unit, 5.0, 31, Some(0)),
                Err(RateError::ZeroPopulation)
            );
            assert!(days_in_unit(unit, 5.0, 31, None).is_err());
        }
        // Units that need no population convert without one.
        assert_eq!(target_days(TargetUnit::Days, 45.0, 30, None).unwrap(), 45.0);
        // Showing a target per 100k per day always needs a population.
        assert_eq!(
            target_per_100k_day(TargetUnit::Days, 45.0, 30, None),
            Err(RateError::NoPopulation(TargetUnit::Per100kDay))
        );
    }

    #[test]
    fn every_unit_round_trips() {
        let pop = Some(33_300);
        for n in [28, 29, 30, 31] {
            for from in TargetUnit::ALL {
                for value in [0.0, 1.5, 4.5, 46.5, 179.9] {
                    let days = target_days(from, value, n, pop).unwrap();
                    let back = days_in_unit(from, days, n, pop).unwrap();
                    assert!((back - value).abs() < 1e-9, "{from:?} {value} {n}: {back}");
                    // And through every other unit.
                    for via in TargetUnit::ALL {
                        let v = days_in_unit(via, days, n, pop).unwrap();
                        let d2 = target_days(via, v, n, pop).unwrap();
                        assert!((d2 - days).abs() < 1e-9, "{from:?}->{via:?}");
                    }
                }
            }
        }
        // Rutland: 1.5 a day in July at 33,300 adults = 4.5045… per 100k per day.
        let shown = target_per_100k_day(TargetUnit::DaysPerDay, 1.5, 31, pop).unwrap();
        assert_eq!(round(shown, 4), round(1.5 / 33_300.0 * 100_000.0, 4));
        assert_eq!(round(shown, 2), 4.50);
    }

    #[test]
    fn financial_quarters_and_years() {
        let q = |m| FinancialPeriod::quarter_of(ym(2018, m));
        assert_eq!(
            q(4),
            FinancialPeriod::Quarter {
                year: 2018,
                quarter: 1
            }
        );
        assert_eq!(
            q(9),
            FinancialPeriod::Quarter {
                year: 2018,
                quarter: 2
            }
        );
        assert_eq!(
            q(12),
            FinancialPeriod::Quarter {
                year: 2018,
                quarter: 3
            }
        );
        assert_eq!(
            q(3),
            FinancialPeriod::Quarter {
                year: 2017,
                quarter: 4
            }
        );
        assert_eq!(FinancialPeriod::year_of(ym(2019, 3)).to_string(), "2018/19");
        assert_eq!(q(7).to_string(), "2018/19 Q2");
        assert_eq!(FinancialPeriod::Year(1999).to_string(), "1999/00");
    }

    #[test]
    fn quarter_rate_is_mean_of_monthly_rates_not_pooled() {
        // Rutland Apr–Jun 2018 DTOC beds: 60/30 = 2, 112/31, 17/30.
        let beds = [
            (ym(2018, 4), 60.0 / 30.0),
            (ym(2018, 5), 112.0 / 31.0),
            (ym(2018, 6), 17.0 / 30.0),
            (ym(2018, 7), 43.0 / 31.0),
        ];
        let q = aggregate_monthly_rates(&beds, Period::Quarter).unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!(
            q[0].period,
            FinancialPeriod::Quarter {
                year: 2018,
                quarter: 1
            }
        );
        let mean = (2.0 + 112.0 / 31.0 + 17.0 / 30.0) / 3.0;
        assert!((q[0].mean - mean).abs() < 1e-12);
        assert_eq!(round(q[0].mean, 4), 2.0599);
        // Pooled days over pooled length would differ: (60+112+17)/91 = 2.0769.
        assert!((q[0].mean - 189.0 / 91.0).abs() > 0.01);
        assert!(q[0].complete);
        assert_eq!(q[1].months, 1);
        assert!(!q[1].complete);

        // A financial year spans April to March, across the calendar year.
        let months: Vec<(YearMonth, f64)> = ym(2018, 4)
            .range_inclusive(ym(2019, 3))
            .enumerate()
            .map(|(i, m)| (m, i as f64))
            .collect();
        let y = aggregate_monthly_rates(&months, Period::Year).unwrap();
        assert_eq!(y.len(), 1);
        assert_eq!(y[0].period, FinancialPeriod::Year(2018));
        assert_eq!(y[0].mean, 5.5);
        assert!(y[0].complete);
    }

    #[test]
    fn aggregation_edge_cases() {
        assert!(aggregate_monthly_rates(&[], Period::Quarter)
            .unwrap()
            .is_empty());
        let dup = [(ym(2018, 4), 1.0), (ym(2018, 4), 2.0)];
        assert_eq!(
            aggregate_monthly_rates(&dup, Period::Quarter),
            Err(RateError::DuplicateMonth(ym(2018, 4)))
        );
        assert!(aggregate_monthly_rates(&[(ym(2018, 4), f64::INFINITY)], Period::Quarter).is_err());
    }
}
