//! The month rows: delayed days by month, authority and measure, with DTOC beds, rates, the
//! target in delayed days and its assessment (docs/measures.md).

use super::{days_counted, Inputs, Monthly, MonthlyRow};
use crate::domain::{Attribution, Measure, YearMonth};
use crate::report::rag::assess_counted;
use crate::report::rates::{self, target_days, PopulationUsed};
use crate::store::{Authority, MonthTotal, Population, Target};
use chrono::NaiveDate;
use std::collections::HashMap;

fn estimates_by_la(populations: &[Population]) -> HashMap<&str, Vec<(i32, u64)>> {
    let mut m: HashMap<&str, Vec<(i32, u64)>> = HashMap::new();
    for p in populations {
        m.entry(p.la_code.as_str())
            .or_default()
            .push((p.year, p.population_18plus));
    }
    m
}

/// Delayed days per (month, authority, measure), for lookups (a hash map: the report looks up
/// every month × authority × measure once, and over years there are hundreds of thousands).
pub type Sums<'a> = HashMap<(YearMonth, &'a str, Measure), u64>;

/// [`Sums`] of totals by attribution ([`crate::store::Store::month_totals`]).
pub fn sums_of_totals(totals: &[MonthTotal]) -> Sums<'_> {
    let mut m = Sums::with_capacity(totals.len() * Measure::ALL.len());
    for t in totals {
        for measure in Measure::ALL {
            let days: u64 = Attribution::ALL
                .iter()
                .zip(t.days)
                .filter(|(a, _)| measure.includes(**a))
                .map(|(_, d)| d)
                .sum();
            m.insert((t.month, t.la_code.as_str(), measure), days);
        }
    }
    m
}

/// Monthly rows for `from..=to` and the authorities `las` (every known authority when empty), from
/// delayed days already summed by measure ([`sums_of_totals`]).
pub fn monthly_from_sums(
    sums: &Sums<'_>,
    inputs: &Inputs<'_>,
    from: YearMonth,
    to: YearMonth,
    las: &[String],
    today: NaiveDate,
) -> Monthly {
    let estimates = estimates_by_la(inputs.populations);
    let targets: HashMap<(&str, YearMonth, Measure), &Target> = inputs
        .targets
        .iter()
        .map(|t| ((t.la_code.as_str(), t.month, t.measure), t))
        .collect();
    let mut authorities: Vec<&Authority> = inputs
        .authorities
        .iter()
        .filter(|a| las.is_empty() || las.iter().any(|l| a.code == *l))
        .collect();
    authorities.sort_by(|a, b| a.code.cmp(&b.code));
    let mut out = Monthly::default();
    for code in las {
        if !inputs.authorities.iter().any(|a| &a.code == code) {
            out.notes
                .push(format!("{code}: no such authority in this database"));
        }
    }
    // From when the figures are complete, when some months of the range are before it.
    out.notes.extend(inputs.coverage.blank_note(from, to));
    let mut noted_population: std::collections::HashSet<(&str, YearMonth)> = Default::default();
    for month in from.range_inclusive(to) {
        let covered = inputs.coverage.covers(month);
        let counted = days_counted(month, today);
        if counted == 0 {
            if month == YearMonth::of(today) {
                out.notes.push(format!(
                    "{month} is left out: it began today, so no day of it is counted yet"
                ));
            }
            continue;
        }
        let full = month.days();
        for a in &authorities {
            let est = estimates
                .get(a.code.as_str())
                .map_or(&[][..], Vec::as_slice);
            let pop: Option<PopulationUsed> = rates::population_for_month(est, month);
            if pop.is_none() && noted_population.insert((a.code.as_str(), month)) && month == from {
                out.notes.push(format!(
                    "{} ({}) has no 18+ population estimate for {} or earlier: rates per 100,000 are blank",
                    a.display_name(),
                    a.code,
                    month.year
                ));
            }
            for measure in Measure::ALL {
                if !covered {
                    out.rows
                        .push(MonthlyRow::blank(month, a, measure, counted, pop));
                    continue;
                }
                let days = sums
                    .get(&(month, a.code.as_str(), measure))
                    .copied()
                    .unwrap_or(0);
                let population = pop.map(|p| p.population);
                let beds = days as f64 / f64::from(counted);
                let per_month = population.map(|p| days as f64 / p as f64 * 100_000.0);
                let per_day = population.map(|p| beds / p as f64 * 100_000.0);
                let target = targets.get(&(a.code.as_str(), month, measure));
                let (t_days, t_day) = match target {
                    Some(t) => match target_days(t.unit, t.value, full, population) {
                        Ok(whole) => {
                            let part = whole * f64::from(counted) / f64::from(full);
                            let per_day =
                                population.map(|p| whole / f64::from(full) / p as f64 * 100_000.0);
                            (Some(part), per_day)
                        }
                        Err(e) => {
                            out.notes.push(format!(
                                "{} {} {} target not used: {e}",
                                a.code,
                                month,
                                measure.key()
                            ));
                            (None, None)
                        }
                    },
                    None => (None, None),
                };
                let assessment = t_days.and_then(|t| assess_counted(days, t, counted));
                out.rows.push(MonthlyRow {
                    month: month.into(),
                    la_code: a.code.clone(),
                    la_name: a.display_name().to_string(),
                    measure,
                    delayed_days: days,
                    days_in_month: counted,
                    population_18plus: population,
                    population_year: pop.map(|p| p.year),
                    dtoc_beds: beds,
                    rate_per_100k_month: per_month,
                    rate_per_100k_day: per_day,
                    target_per_100k_day: t_day,
                    target_days: t_days,
                    rag: assessment.as_ref().map(|x| x.rag),
                    vs_target: assessment.as_ref().map(|x| x.vs_target),
                    period: None,
                    covered: true,
                });
            }
        }
    }
    out
}
