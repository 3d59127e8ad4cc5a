//! `dtoc report monthly|benchmark`: each reads what it needs from the store, computes it with
//! `report`, and writes a terminal table, CSV, JSON or XLSX through [`super::output`] (to stdout,
//! or to a file), suppressed as asked.

use super::monthly::{load_monthly, Range};
use super::output::{self, emit, write_columns, Align::Left as L, Align::Right as R, Format};
use crate::domain::YearMonth;
use crate::report::monthly::{by_period, forecast, monthly_table, monthly_table_with};
use crate::report::monthly::{cover_text, populations_text};
use crate::report::monthly::{MonthlyRow, PERIOD_NOTE};
use crate::report::period::Period;
use crate::report::table::Table;
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
    for n in &m.notes {
        eprintln!("note: {n}");
    }
    let rows = by_period(&m.rows, period);
    if period != Period::Month {
        eprintln!("note: {PERIOD_NOTE}");
    }
    let f = if period == Period::Month && to >= YearMonth::of(today) {
        forecast(&m.rows, &store.open_counts(today)?, today)
    } else {
        Vec::new()
    };
    if r.format == Format::Table && r.dest.is_terminal() {
        write_monthly(&rows, r.format, out)?;
    } else {
        let mut t = monthly_table_with(&rows, &f, &format!("Monthly delayed days, {from} to {to}"));
        // The file says from when its figures are complete when some months are blank.
        t.notes.extend(store.coverage()?.blank_note(from, to));
        return emit(vec![t], r.format, &r.dest, today, out);
    }
    {
        if !f.is_empty() {
            writeln!(
                out,
                "\nForecast for {} (as of {today}):",
                YearMonth::of(today)
            )?;
            let head = [
                "la_code",
                "measure",
                "so far",
                "now",
                "run rate",
                "if all stay",
                "target",
            ];
            let mut lines = vec![head.map(String::from).to_vec()];
            for x in f {
                lines.push(vec![
                    x.la_code.to_string(),
                    x.measure.key().to_string(),
                    x.days_so_far.to_string(),
                    x.delayed_now.to_string(),
                    format!("{:.1}", x.run_rate_projection),
                    format!("{:.1}", x.if_all_stay_projection),
                    x.target_days.map_or("-".to_string(), |t| format!("{t:.1}")),
                ]);
            }
            let cols = [L(10), L(12), R(8), R(8), R(10), R(12), R(10)];
            write_columns(out, &cols, &lines)?;
        }
    }
    Ok(())
}

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
    let t = load_benchmark(store, la, group, from, to, today)?;
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

pub fn write_monthly(rows: &[MonthlyRow], format: Format, out: &mut dyn Write) -> Result<()> {
    match format {
        Format::Csv => output::write_csv(&monthly_table(rows, "Monthly report"), out)?,
        Format::Json => {
            let t = monthly_table(rows, "Monthly report");
            serde_json::to_writer_pretty(&mut *out, &output::to_json(&t))?;
            writeln!(out)?;
        }
        Format::Xlsx => bail!("XLSX is written to a file: give --out FILE.xlsx"),
        Format::Table => {
            let head = [
                "month",
                "authority",
                "measure",
                "days",
                "of",
                "beds",
                "/100k mth",
                "/100k/d",
                "target/100k/d",
                "target",
                "",
                "RAG",
                "vs target",
            ];
            let f = |x: Option<f64>, p: usize| x.map_or("-".to_string(), |v| format!("{v:.p$}"));
            let periods = rows.iter().any(|r| r.period.is_some());
            let mut head = head.map(String::from).to_vec();
            if periods {
                head[0] = "period".into();
                head.push("covers (means of months)".into());
            }
            let mut lines = vec![head];
            for r in rows {
                let covers = r
                    .period
                    .as_ref()
                    .map(|c| format!("{}; population {}", cover_text(c), populations_text(c)));
                lines.push(vec![
                    r.month.to_string(),
                    r.la_name.chars().take(16).collect(),
                    r.measure.label().to_string(),
                    r.delayed_days.to_string(),
                    r.days_in_month.to_string(),
                    format!("{:.2}", r.dtoc_beds),
                    f(r.rate_per_100k_month, 1),
                    f(r.rate_per_100k_day, 2),
                    f(r.target_per_100k_day, 2),
                    f(r.target_days, 1),
                    String::new(),
                    r.rag.map_or("-", |x| x.as_str()).to_string(),
                    r.vs_target.map_or("-", |x| x.as_str()).to_string(),
                ]);
                if let (Some(c), Some(line)) = (covers, lines.last_mut()) {
                    line.push(c);
                }
            }
            let cols = [
                L(11),
                L(16),
                L(11),
                R(7),
                R(4),
                R(8),
                R(9),
                R(8),
                R(13),
                R(8),
                L(0),
                L(6),
                L(0),
            ];
            let mut cols = cols.to_vec();
            if periods {
                cols[12] = L(22);
                cols.push(L(0));
            }
            write_columns(out, &cols, &lines)?;
        }
    }
    Ok(())
}
