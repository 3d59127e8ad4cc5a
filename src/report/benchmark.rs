//! `dtoc report benchmark`: one authority against its comparators and England, month by month, from
//! NHS England's published returns (`dtoc import published`), with its locally recorded delayed days
//! beside the published ones.
//!
//! Choices:
//! - Members: the authority, the `--group` comparators (codes as published) and England
//!   (`E92000001`), one row each per month. An ONS code also finds the months published under
//!   the authority's legacy code (`Store::published_totals`).
//! - **Rank by delayed days**: among the authority and its comparators (England's count is not
//!   comparable with an authority's), 1 = fewest delayed days; ties share a rank (1, 2, 2, 4).
//! - **Rank by rate** (delayed days per day per 100,000 adults): among every member with a
//!   population estimate for the month (the population import; England included when its
//!   `E92000001` estimate is there), 1 = lowest.
//! - A member with no published figure for a month (`-` in the return, or not imported) has no
//!   rank; `of` says how many members were ranked.
//! - The published total is the "total" column of the first file (by name) that gives it, else
//!   NHS + Social Care + Both when all three are given.

use super::rates::{month_rates, MonthRates};
use super::table::{Kind, Table, Value};
use crate::domain::YearMonth;
use crate::import::published::ENGLAND;
use crate::store::{Population, PublishedMonth};
use std::collections::BTreeMap;

/// Who a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Authority,
    Comparator,
    England,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Self::Authority => "authority",
            Self::Comparator => "comparator",
            Self::England => "england",
        }
    }
}

/// One member in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchmarkRow {
    pub month: YearMonth,
    /// A member's code as asked for (an ONS code, a legacy code as published, or England's).
    pub la_code: String,
    pub la_name: String,
    pub role: Role,
    pub published_days: Option<u64>,
    /// The authority's own delayed days recorded in dtoc (its row only).
    pub local_days: Option<u64>,
    pub population_18plus: Option<u64>,
    pub per_100k_day: Option<f64>,
    /// (rank, members ranked).
    pub rank_days: Option<(usize, usize)>,
    pub rank_rate: Option<(usize, usize)>,
}

/// Competition ranks (1 = lowest; ties share a rank) of the values that are present.
fn ranks<T: PartialOrd + Copy>(values: &[Option<T>]) -> Vec<Option<(usize, usize)>> {
    let present: Vec<T> = values.iter().flatten().copied().collect();
    values
        .iter()
        .map(|v| {
            v.map(|x| {
                let below = present.iter().filter(|y| **y < x).count();
                (below + 1, present.len())
            })
        })
        .collect()
}

fn total_of(p: &PublishedMonth) -> Option<u64> {
    p.total.or(match (p.nhs, p.social_care, p.both) {
        (Some(a), Some(b), Some(c)) => Some(a + b + c),
        _ => None,
    })
}

/// Builds the benchmark rows. `local` holds the authority's locally recorded delayed days by month
/// (every month of the range when it has a local register, none when it has not: `local_days` is
/// then blank, not 0).
pub fn benchmark(
    published: &[PublishedMonth],
    populations: &[Population],
    la: &str,
    group: &[String],
    local: &BTreeMap<YearMonth, u64>,
    from: YearMonth,
    to: YearMonth,
) -> Vec<BenchmarkRow> {
    let mut members: Vec<(String, Role)> = vec![(la.to_string(), Role::Authority)];
    for g in group {
        if g != la && g != ENGLAND && !members.iter().any(|(c, _)| c == g) {
            members.push((g.clone(), Role::Comparator));
        }
    }
    members.push((ENGLAND.to_string(), Role::England));
    let by_key: BTreeMap<(YearMonth, &str), &PublishedMonth> = published
        .iter()
        .map(|p| ((p.month, p.la_code.as_str()), p))
        .collect();
    let mut estimates: BTreeMap<&str, Vec<(i32, u64)>> = BTreeMap::new();
    for p in populations {
        estimates
            .entry(p.la_code.as_str())
            .or_default()
            .push((p.year, p.population_18plus));
    }
    let mut out = Vec::new();
    for month in from.range_inclusive(to) {
        let mut rows: Vec<BenchmarkRow> = members
            .iter()
            .map(|(code, role)| {
                let p = by_key.get(&(month, code.as_str()));
                let days = p.and_then(|p| total_of(p));
                let rates: Option<MonthRates> = days.map(|d| {
                    month_rates(
                        month,
                        d,
                        estimates.get(code.as_str()).map_or(&[][..], Vec::as_slice),
                    )
                });
                BenchmarkRow {
                    month,
                    la_code: code.clone(),
                    la_name: p.map_or_else(|| code.clone(), |p| p.la_name.clone()),
                    role: *role,
                    published_days: days,
                    local_days: (*role == Role::Authority)
                        .then(|| local.get(&month).copied())
                        .flatten(),
                    population_18plus: rates
                        .as_ref()
                        .and_then(|r| r.population.map(|p| p.population)),
                    per_100k_day: rates.and_then(|r| r.per_100k_day),
                    rank_days: None,
                    rank_rate: None,
                }
            })
            .collect();
        let days: Vec<Option<u64>> = rows
            .iter()
            .map(|r| {
                if r.role == Role::England {
                    None
                } else {
                    r.published_days
                }
            })
            .collect();
        let rates: Vec<Option<f64>> = rows.iter().map(|r| r.per_100k_day).collect();
        for ((r, d), q) in rows.iter_mut().zip(ranks(&days)).zip(ranks(&rates)) {
            r.rank_days = d;
            r.rank_rate = q;
        }
        out.extend(rows);
    }
    out
}

/// The rows as a table.
pub fn benchmark_table(
    rows: &[BenchmarkRow],
    la: &str,
    from: YearMonth,
    to: YearMonth,
    today: chrono::NaiveDate,
) -> Table {
    let mut t = Table::new(
        format!("Benchmark of {la} against its comparators and England, {from} to {to}"),
        "Benchmark",
    );
    t.notes.push(
        "Published: NHS England monthly DTOC returns. Rank 1 = fewest delayed days / lowest rate; \
         'of' = members ranked. Local: delayed days recorded in dtoc. complete is false for \
         the month in progress (its local days are to date)."
            .to_string(),
    );
    t.column("month", Kind::Month);
    t.column("la_code", Kind::Text);
    t.column("la_name", Kind::Text);
    t.column("role", Kind::Text);
    let days = t.column("published_days", Kind::Count);
    t.column("local_days", Kind::Count);
    t.column("population_18plus", Kind::Integer);
    t.derived_column("per_100k_day", Kind::Rate, days);
    for name in ["rank_by_days", "of_days", "rank_by_rate", "of_rate"] {
        t.column(name, Kind::Integer);
    }
    let split = |r: Option<(usize, usize)>| {
        (
            Value::opt_int(r.map(|x| x.0 as u64)),
            Value::opt_int(r.map(|x| x.1 as u64)),
        )
    };
    for r in rows {
        let (rd, od) = split(r.rank_days);
        let (rr, or) = split(r.rank_rate);
        t.rows.push(vec![
            Value::Month(r.month),
            Value::text(&r.la_code),
            Value::text(&r.la_name),
            Value::text(r.role.key()),
            Value::opt_int(r.published_days),
            Value::opt_int(r.local_days),
            Value::opt_int(r.population_18plus),
            Value::opt_real(r.per_100k_day),
            rd,
            od,
            rr,
            or,
        ]);
    }
    t.add_complete(today);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competition_ranks_share_ties_and_skip_missing() {
        let r = ranks(&[Some(5), None, Some(3), Some(5), Some(9)]);
        assert_eq!(
            r,
            vec![Some((2, 4)), None, Some((1, 4)), Some((2, 4)), Some((4, 4))]
        );
    }
}
