//! Quarter and financial-year rows: the ASCOF 2C means of their months (docs/measures.md).

use super::period::{Period, PeriodKey};
use super::{MonthlyRow, PeriodCover};
use crate::domain::{LaCode, Measure, YearMonth};
use crate::report::rag::assess_counted;
use crate::report::rates::{self, PopulationUsed};
use std::collections::BTreeMap;

/// Quarter or financial-year rows from monthly rows: delayed days and target days summed; the
/// per-day figures (DTOC beds, rate, target rate) the mean of the monthly ones (ASCOF 2C); RAG on the
/// summed days against the summed target days. A period's rate is blank if any month's is. A
/// month before coverage is left out like a month not counted (the row says `2 of 3 months`), and
/// a period with no month covered is a blank row.
pub fn by_period(monthly: &[MonthlyRow], period: Period) -> Vec<MonthlyRow> {
    if period == Period::Month {
        return monthly.to_vec();
    }
    type Key = (PeriodKey, LaCode, Measure);
    let mut groups: BTreeMap<Key, Vec<&MonthlyRow>> = BTreeMap::new();
    for r in monthly {
        let Some(m) = r.month.month() else {
            continue;
        };
        groups
            .entry((period.key_of(m), r.la_code.clone(), r.measure))
            .or_default()
            .push(r);
    }
    // The mean of the monthly rates (blank if any month's is): the ASCOF 2C mean of
    // `rates::aggregate_monthly_rates`.
    let mean = |rows: &[&MonthlyRow], rate: fn(&MonthlyRow) -> Option<f64>| -> Option<f64> {
        let series: Vec<(YearMonth, f64)> = rows
            .iter()
            .map(|r| Some((r.month.month()?, rate(r)?)))
            .collect::<Option<_>>()?;
        let means = rates::aggregate_monthly_rates(&series, period).ok()?;
        means.first().map(|p| p.mean)
    };
    let sum = |v: Vec<Option<f64>>| -> Option<f64> {
        v.into_iter()
            .collect::<Option<Vec<f64>>>()
            .map(|xs| xs.iter().sum())
    };
    groups
        .into_iter()
        .map(|((period, la_code, measure), all)| {
            let rows: Vec<&MonthlyRow> = all.iter().copied().filter(|r| r.covered).collect();
            if rows.is_empty() {
                return MonthlyRow {
                    month: period,
                    days_in_month: 0,
                    period: Some(PeriodCover {
                        months: 0,
                        of_months: period.months(),
                        complete: false,
                        populations: Vec::new(),
                    }),
                    ..all[all.len() - 1].clone()
                };
            }
            let days: u64 = rows.iter().map(|r| r.delayed_days).sum();
            let t_days = sum(rows.iter().map(|r| r.target_days).collect());
            let counted: u32 = rows.iter().map(|r| r.days_in_month).sum();
            let assessment = t_days.and_then(|t| assess_counted(days, t, counted));
            let last = rows[rows.len() - 1];
            let mut populations: Vec<PopulationUsed> = rows
                .iter()
                .filter_map(|r| {
                    Some(PopulationUsed {
                        year: r.population_year?,
                        population: r.population_18plus?,
                    })
                })
                .collect();
            populations.sort_by_key(|p| (p.year, p.population));
            populations.dedup();
            let full =
                |r: &&MonthlyRow| r.month.month().is_some_and(|m| m.days() == r.days_in_month);
            let cover = PeriodCover {
                months: rows.len(),
                of_months: period.months(),
                complete: rows.len() == period.months() && rows.iter().all(full),
                populations,
            };
            MonthlyRow {
                month: period,
                la_code,
                la_name: last.la_name.clone(),
                measure,
                delayed_days: days,
                days_in_month: counted,
                population_18plus: last.population_18plus,
                population_year: last.population_year,
                dtoc_beds: mean(&rows, |r| Some(r.dtoc_beds)).unwrap_or(f64::NAN),
                rate_per_100k_month: mean(&rows, |r| r.rate_per_100k_month),
                rate_per_100k_day: mean(&rows, |r| r.rate_per_100k_day),
                target_per_100k_day: mean(&rows, |r| r.target_per_100k_day),
                target_days: t_days,
                rag: assessment.as_ref().map(|x| x.rag),
                vs_target: assessment.as_ref().map(|x| x.vs_target),
                period: Some(cover),
                covered: true,
            }
        })
        .collect()
}
