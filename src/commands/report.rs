//! `dtoc report monthly|benchmark`: each reads what it needs from the store, computes it with
//! `report`, and writes a terminal table, CSV, JSON or XLSX through [`super::output`] (to stdout,
//! or to a file), suppressed as asked.

use super::monthly::{load_monthly, Range};
use super::output::{self, emit, Format};
use super::suppression;
use crate::domain::{LaCode, YearMonth};
use crate::report::monthly::{by_period, forecast, monthly_table, monthly_table_with};
use crate::report::monthly::{MonthlyRow, PERIOD_NOTE};
use crate::report::period::Period;
use crate::report::suppress::{hide_decided, Figure};
use crate::report::table::Table;
use crate::report::table::Value;
use crate::store::Store;
use anyhow::{bail, Result};
use chrono::NaiveDate;
use std::io::Write;

/// `dtoc report monthly`: delayed days per month (or quarter, or year), authority and measure.
pub fn monthly(
    store: &Store,
    r: &Range,
    period: Period,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    let (asked, to) = r.months(today)?;
    // A quarter or year is taken whole from the data when `--from` falls inside it (item 8 of
    // issue 24), and where `--to` cuts one short the note says so.
    let from = period.first_month(asked);
    let m = load_monthly(store, from, to, &r.las, today)?;
    if from < asked {
        let first = if r.from.is_some() {
            "--from"
        } else {
            "the first month"
        };
        eprintln!(
            "note: {first} {asked} falls inside the {period} {}: taken whole, from {from}",
            period.key_of(asked)
        );
    }
    let current = YearMonth::of(today);
    if period != Period::Month && to < current && period.last_month(to) > to {
        eprintln!(
            "note: the {period} {} is cut at --to {to} (it runs to {}): its row counts the months to {to} only",
            period.key_of(to),
            period.last_month(to).min(current)
        );
    }
    let rows = by_period(&m.rows, period);
    let mut notes = m.notes.clone();
    if period != Period::Month {
        notes.push(PERIOD_NOTE.to_string());
    }
    // The notes go with the table (under its title, in the JSON `notes`, above the XLSX header);
    // to stderr too where the output does not show them (CSV).
    if r.format == Format::Csv {
        for n in &notes {
            eprintln!("note: {n}");
        }
    }
    let f = if period == Period::Month && to >= YearMonth::of(today) {
        forecast(&m.rows, &store.open_counts(today)?, today)
    } else {
        Vec::new()
    };
    let mut t = monthly_table_with(&rows, &f, &format!("Monthly delayed days, {from} to {to}"));
    // Among them, when some months are blank, from when the figures are complete (coverage).
    t.notes.extend(notes);
    // Each month's figures hidden as the month's one decision hides them; a quarter's or
    // year's when any of its months' is.
    let months: Vec<YearMonth> = from.range_inclusive(to).collect();
    let decided = suppression::decided(store, months.clone(), today, r.dest.suppress)?;
    hide_decided(&mut t, "delayed_days", &decided, |i| {
        let Some(row) = rows.get(i) else {
            return Vec::new();
        };
        let figure = Figure::la(&row.la_code).measure(row.measure);
        months
            .iter()
            .filter(|m| period.key_of(**m) == row.month)
            .map(|m| (*m, figure.clone()))
            .collect()
    });
    if r.format == Format::Table {
        // One terminal layout, whether or not --out or --suppress is given: the table's own
        // columns (codes, the CSV's headers), narrowed to those that fit a terminal.
        t.shown = Some(
            MONTHLY_TERMINAL
                .iter()
                .filter_map(|c| t.index_of(c))
                .collect(),
        );
    }
    emit(vec![t], r.format, &r.dest, today, out)
}

/// The columns of the monthly report a terminal shows (a period table shows its own in this
/// order too): the rest are in the CSV, JSON and XLSX.
const MONTHLY_TERMINAL: [&str; 17] = [
    "month",
    "period",
    "la_code",
    "measure",
    "delayed_days",
    "days_in_month",
    "days_in_period",
    "months_counted",
    "dtoc_beds",
    "rate_per_100k_month",
    "rate_per_100k_day",
    "target_per_100k_day",
    "target_days",
    "rag",
    "vs_target",
    "complete",
    "forecast_days",
];

/// `dtoc report benchmark`: one authority against its peers and England, from the published
/// returns.
pub fn benchmark(
    store: &Store,
    r: &Range,
    group: &[String],
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    let (from, to) = r.months(today)?;
    let [la] = r.las.as_slice() else {
        bail!("report benchmark needs exactly one --la CODE");
    };
    let mut t = load_benchmark(store, la, group, from, to, today)?;
    // The authority's local days hidden as each month's one decision hides them.
    let decided = suppression::decided(store, from.range_inclusive(to), today, r.dest.suppress)?;
    let local = LaCode::parse(la).ok();
    let month_of: Vec<Option<YearMonth>> = t
        .rows
        .iter()
        .map(|row| match row.first() {
            Some(Value::Month(m)) => Some(*m),
            _ => None,
        })
        .collect();
    hide_decided(&mut t, "local_days", &decided, |i| {
        month_of[i]
            .zip(local.as_ref())
            .map(|(m, la)| (m, Figure::la(la)))
            .into_iter()
            .collect()
    });
    emit(vec![t], r.format, &r.dest, today, out)
}

/// Reads what the benchmark needs and builds its table.
pub fn load_benchmark(
    store: &Store,
    la: &str,
    group: &[String],
    from: YearMonth,
    to: YearMonth,
    today: NaiveDate,
) -> Result<Table> {
    let mut codes = vec![la.to_string()];
    codes.extend(group.iter().cloned());
    codes.push(crate::import::published::ENGLAND.to_string());
    codes.sort();
    codes.dedup();
    let published = store.published_totals(&codes, from, to)?;
    if published.is_empty() {
        bail!(
            "no published figures for {} from {from} to {to}: run `dtoc import published FILE` first",
            codes.join(", ")
        );
    }
    let populations = store.populations()?;
    let mut local = std::collections::BTreeMap::new();
    // Blank, not 0, without a local register; with one, every month counts (0 when none delayed).
    let code = crate::domain::LaCode::parse(la).ok();
    let registered = match &code {
        Some(c) => store.has_register(c)?,
        None => false,
    };
    // Before the register's coverage (issue 24) the local figure is blank too, never 0.
    let coverage = store.coverage()?;
    if let Some(code) = code.filter(|_| registered) {
        for m in from.range_inclusive(to).filter(|&m| coverage.covers(m)) {
            local.insert(m, 0);
        }
        for c in store.month_counts(from, to, &[code], today)? {
            if let Some(d) = local.get_mut(&c.month) {
                *d += c.days;
            }
        }
    }
    let rows =
        crate::report::benchmark::benchmark(&published, &populations, la, group, &local, from, to);
    let mut t = crate::report::benchmark::benchmark_table(&rows, la, from, to, today);
    if registered {
        t.notes.extend(coverage.blank_note(from, to));
    }
    Ok(t)
}

/// The monthly rows as CSV (`Format::Csv`) or the terminal table (`Format::Table`), without
/// forecasts or suppression: what the app's CSV export and the national comparison write. JSON and
/// XLSX are written by `report monthly` (they name the day they are for).
pub fn write_monthly(rows: &[MonthlyRow], format: Format, out: &mut dyn Write) -> Result<()> {
    let t = monthly_table(rows, "Monthly report");
    match format {
        Format::Csv => output::write_csv(&t, out),
        Format::Table => output::write_text(&t, out),
        Format::Json | Format::Xlsx => bail!("write_monthly writes CSV or a terminal table"),
    }
}
