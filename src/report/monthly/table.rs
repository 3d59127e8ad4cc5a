//! The month rows as a [`Table`] (the columns of [`MONTHLY_HEADER`]), and the cells they share with
//! the quarter and year rows.

use super::period::PeriodKey;
use super::{Forecast, MonthlyRow, MONTHLY_HEADER};
use crate::report::table::{Kind, Table, Value};
use std::collections::BTreeMap;

/// The monthly report as a table without forecasts ([`monthly_table_with`]).
pub fn monthly_table(rows: &[MonthlyRow], title: &str) -> Table {
    monthly_table_with(rows, &[], title)
}

/// The monthly report as a table: the columns of `MONTHLY_HEADER`. Delayed days are counts; DTOC
/// beds, the rates and the forecast derive from them; in each period and authority the total is
/// the sum of NHS, Social Care and Both (for secondary suppression). Each month row says whether it
/// is `complete`; the month in progress carries its forecast from `forecasts` (docs/measures.md).
pub fn monthly_table_with(rows: &[MonthlyRow], forecasts: &[Forecast], title: &str) -> Table {
    if rows.iter().any(|r| r.period.is_some()) {
        return super::period_table(rows, title);
    }
    let mut t = Table::new(title, "Monthly report");
    let names: Vec<&str> = MONTHLY_HEADER.split(',').collect();
    let days = 4;
    for (i, name) in names.iter().enumerate() {
        match i {
            0 => t.column(name, Kind::Month),
            1..=3 | 13..=14 => t.column(name, Kind::Text),
            15 => t.column(name, Kind::Bool),
            4 => t.column(name, Kind::Count),
            5 | 6 => t.column(name, Kind::Integer),
            7 => t.column(name, Kind::Year),
            8..=10 | 16 | 17 => t.derived_column(name, Kind::Rate, days),
            _ => t.column(name, Kind::Rate),
        };
    }
    fill_rows(&mut t, rows, |r| {
        vec![
            Value::opt_int(r.population_18plus),
            Value::opt_int(r.population_year.and_then(|y| u64::try_from(y).ok())),
        ]
    });
    for (row, r) in t.rows.iter_mut().zip(rows) {
        let f = forecasts.iter().find(|f| {
            PeriodKey::Month(f.month) == r.month && f.la_code == r.la_code && f.measure == r.measure
        });
        let days = f.map(|f| f.run_rate_projection);
        let rate = days
            .zip(r.population_18plus.filter(|&p| p > 0))
            .map(|(d, p)| d / p as f64 * 100_000.0);
        row.extend([
            Value::Bool(r.complete()),
            Value::opt_real(days),
            Value::opt_real(rate),
        ]);
    }
    t
}

/// Fills `t` (its columns declared) with one row per report row: period, authority, name, measure,
/// delayed days (column 4, a count), days; then `middle`'s cells; then DTOC beds, the rates, the
/// targets, RAG and significance. Each period and authority is an additive group (for secondary
/// suppression). Shared by the monthly and the quarter and year tables.
pub(super) fn fill_rows(
    t: &mut Table,
    rows: &[MonthlyRow],
    middle: impl Fn(&MonthlyRow) -> Vec<Value>,
) {
    let days = 4;
    let mut groups: BTreeMap<(PeriodKey, &str), Vec<(usize, usize)>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        groups
            .entry((r.month, r.la_code.as_str()))
            .or_default()
            .push((i, days));
        // Before coverage (issue 24) the figures are blank, never 0.
        let figure = |v: Value| if r.covered { v } else { Value::Empty };
        let mut row = vec![
            // A month is a month (an Excel date in XLSX); a quarter or year its label.
            r.month
                .month()
                .map_or_else(|| Value::Text(r.month.to_string()), Value::Month),
            Value::text(&r.la_code),
            Value::text(&r.la_name),
            Value::text(r.measure.key()),
            figure(Value::Int(r.delayed_days)),
            Value::Int(u64::from(r.days_in_month)),
        ];
        row.extend(middle(r));
        row.extend([
            figure(Value::Real(r.dtoc_beds)),
            Value::opt_real(r.rate_per_100k_month),
            Value::opt_real(r.rate_per_100k_day),
            Value::opt_real(r.target_per_100k_day),
            Value::opt_real(r.target_days),
            Value::text(r.rag.map_or("", |x| x.as_str())),
            Value::text(r.vs_target.map_or("", |x| x.as_str())),
        ]);
        t.rows.push(row);
    }
    for g in groups.into_values() {
        t.add_sum(g);
    }
}
