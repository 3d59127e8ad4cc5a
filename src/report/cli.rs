//! `dtoc report …`: reads what a report needs from the store, computes it with the pure functions
//! of this module, and writes a table, CSV or JSON.

use super::monthly::{self, by_period, forecast, Inputs, MonthlyRow, MONTHLY_HEADER};
use super::spc::{xmr, XmrChart};
use crate::cli::{Format, Period, RangeArgs, ReportKind};
use crate::domain::{Measure, YearMonth};
use crate::store::Store;
use anyhow::{bail, Result};
use chrono::NaiveDate;
use std::io::Write;

/// A number for CSV/JSON: unrounded to 6 decimals; empty when missing.
fn num(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| format!("{v:.6}"))
}

fn range(r: &RangeArgs, today: NaiveDate) -> Result<(YearMonth, YearMonth)> {
    let to = r.to.unwrap_or_else(|| YearMonth::of(today));
    let from = r.from.unwrap_or_else(|| to.add_months(-12));
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    Ok((from, to))
}

/// Reads and computes the monthly report.
pub fn load_monthly(
    store: &Store,
    from: YearMonth,
    to: YearMonth,
    las: &[String],
    today: NaiveDate,
) -> Result<monthly::Monthly> {
    // Totals by attribution are all the report needs: summed by SQLite, not row by row.
    let totals = store.month_totals(from, to, las, today)?;
    let authorities = store.authorities()?;
    let populations = store.populations()?;
    let targets = store.targets(from, to)?;
    let inputs = Inputs {
        counts: &[],
        authorities: &authorities,
        populations: &populations,
        targets: &targets,
    };
    let sums = monthly::sums_of_totals(&totals);
    Ok(monthly::monthly_from_sums(
        &sums, &inputs, from, to, las, today,
    ))
}

pub fn run_report(
    store: &Store,
    what: ReportKind,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    match what {
        ReportKind::Monthly { range: r, period } => {
            let (from, to) = range(&r, today)?;
            let m = load_monthly(store, from, to, &r.la, today)?;
            for n in &m.notes {
                eprintln!("note: {n}");
            }
            let rows = match period {
                Period::Month => m.rows.clone(),
                Period::Quarter => by_period(&m.rows, true),
                Period::Year => by_period(&m.rows, false),
            };
            write_monthly(&rows, r.format, out)?;
            if r.format == Format::Table && period == Period::Month && to >= YearMonth::of(today) {
                let open = store.open_counts(today)?;
                let f = forecast(&m.rows, &open, today);
                if !f.is_empty() {
                    writeln!(
                        out,
                        "\nForecast for {} (as of {today}):",
                        YearMonth::of(today)
                    )?;
                    writeln!(
                        out,
                        "{:<10} {:<12} {:>8} {:>8} {:>10} {:>12} {:>10}",
                        "la_code", "measure", "so far", "now", "run rate", "if all stay", "target"
                    )?;
                    for x in f {
                        writeln!(
                            out,
                            "{:<10} {:<12} {:>8} {:>8} {:>10.1} {:>12.1} {:>10}",
                            x.la_code,
                            x.measure.key(),
                            x.days_so_far,
                            x.delayed_now,
                            x.run_rate_projection,
                            x.if_all_stay_projection,
                            x.target_days.map_or("-".to_string(), |t| format!("{t:.1}"))
                        )?;
                    }
                }
            }
            Ok(())
        }
        ReportKind::Spc { range: r, measure } => {
            let (from, to) = range(&r, today)?;
            if r.la.len() != 1 {
                bail!("report spc needs exactly one --la CODE");
            }
            let measure = Measure::parse(&measure).map_err(|e| anyhow::anyhow!(e))?;
            // Only complete months make an SPC point.
            let to = to.min(YearMonth::of(today).prev());
            let m = load_monthly(store, from, to, &r.la, today)?;
            let rows: Vec<&MonthlyRow> = m.rows.iter().filter(|x| x.measure == measure).collect();
            let per_100k = rows.iter().all(|x| x.rate_per_100k_day.is_some());
            let series: Vec<(YearMonth, f64)> = rows
                .iter()
                .filter_map(|x| {
                    let v = if per_100k {
                        x.rate_per_100k_day
                    } else {
                        Some(x.dtoc_beds)
                    };
                    Some((YearMonth::parse(&x.month).ok()?, v?))
                })
                .collect();
            let target = rows.iter().rev().find_map(|x| {
                if per_100k {
                    x.target_per_100k_day
                } else {
                    x.target_days.map(|t| t / f64::from(x.days_in_month))
                }
            });
            let unit = if per_100k {
                "delayed days per day per 100,000 adults"
            } else {
                "delayed days per day (no population estimate)"
            };
            let chart = xmr(&series, target).map_err(|e| anyhow::anyhow!("{e}"))?;
            write_spc(&chart, &r.la[0], measure, unit, r.format, out)
        }
    }
}

pub fn write_monthly(rows: &[MonthlyRow], format: Format, out: &mut dyn Write) -> Result<()> {
    match format {
        Format::Csv => {
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(out);
            w.write_record(MONTHLY_HEADER.split(','))?;
            for r in rows {
                w.write_record([
                    r.month.clone(),
                    r.la_code.clone(),
                    r.la_name.clone(),
                    r.measure.key().to_string(),
                    r.delayed_days.to_string(),
                    r.days_in_month.to_string(),
                    r.population_18plus.map_or(String::new(), |p| p.to_string()),
                    r.population_year.map_or(String::new(), |p| p.to_string()),
                    num(Some(r.dtoc_beds)),
                    num(r.rate_per_100k_month),
                    num(r.rate_per_100k_day),
                    num(r.target_per_100k_day),
                    num(r.target_days),
                    r.rag.map_or("", |x| x.as_str()).to_string(),
                    r.vs_target.map_or("", |x| x.as_str()).to_string(),
                ])?;
            }
            w.flush()?;
        }
        Format::Json => {
            let v: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "month": r.month, "la_code": r.la_code, "la_name": r.la_name,
                        "measure": r.measure.key(), "delayed_days": r.delayed_days,
                        "days_in_month": r.days_in_month, "population_18plus": r.population_18plus,
                        "population_year": r.population_year, "dtoc_beds": r.dtoc_beds,
                        "rate_per_100k_month": r.rate_per_100k_month, "rate_per_100k_day": r.rate_per_100k_day,
                        "target_per_100k_day": r.target_per_100k_day, "target_days": r.target_days,
                        "rag": r.rag.map(|x| x.as_str()), "vs_target": r.vs_target.map(|x| x.as_str()),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &v)?;
            writeln!(out)?;
        }
        Format::Table => {
            writeln!(
                out,
                "{:<11} {:<16} {:<11} {:>7} {:>4} {:>8} {:>9} {:>8} {:>8} {:>8}  {:<6} vs target",
                "month",
                "authority",
                "measure",
                "days",
                "of",
                "beds",
                "/100k mth",
                "/100k/d",
                "target/d",
                "target",
                "RAG"
            )?;
            for r in rows {
                let f =
                    |x: Option<f64>, p: usize| x.map_or("-".to_string(), |v| format!("{v:.p$}"));
                writeln!(
                    out,
                    "{:<11} {:<16} {:<11} {:>7} {:>4} {:>8.2} {:>9} {:>8} {:>8} {:>8}  {:<6} {}",
                    r.month,
                    r.la_name.chars().take(16).collect::<String>(),
                    r.measure.label(),
                    r.delayed_days,
                    r.days_in_month,
                    r.dtoc_beds,
                    f(r.rate_per_100k_month, 1),
                    f(r.rate_per_100k_day, 2),
                    f(r.target_per_100k_day, 2),
                    f(r.target_days, 1),
                    r.rag.map_or("-", |x| x.as_str()),
                    r.vs_target.map_or("-", |x| x.as_str()),
                )?;
            }
        }
    }
    Ok(())
}

fn write_spc(
    chart: &XmrChart,
    la: &str,
    measure: Measure,
    unit: &str,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut *out,
                &serde_json::json!({"la_code": la, "measure": measure.key(), "unit": unit, "chart": chart}),
            )?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "month",
                "la_code",
                "measure",
                "value",
                "mean",
                "lower_limit",
                "upper_limit",
                "target",
                "special_cause",
            ])?;
            for p in &chart.points {
                let flags: Vec<String> = p
                    .flags
                    .iter()
                    .map(|f| format!("{:?} {:?}", f.rule, f.direction).to_lowercase())
                    .collect();
                w.write_record([
                    p.month.key(),
                    la.to_string(),
                    measure.key().to_string(),
                    format!("{:.6}", p.value),
                    format!("{:.6}", chart.mean),
                    format!("{:.6}", chart.lower_limit),
                    format!("{:.6}", chart.upper_limit),
                    num(chart.target),
                    flags.join("; "),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            writeln!(out, "SPC (XmR) for {la}, {} — {unit}", measure.label())?;
            writeln!(
                out,
                "mean {:.2}, process limits {:.2} to {:.2}{}",
                chart.mean,
                chart.lower_limit,
                chart.upper_limit,
                chart
                    .target
                    .map_or(String::new(), |t| format!(", target {t:.2}"))
            )?;
            for p in &chart.points {
                let flags: Vec<String> = p
                    .flags
                    .iter()
                    .map(|f| format!("{:?} ({:?})", f.rule, f.direction))
                    .collect();
                writeln!(out, "{}  {:>8.2}  {}", p.month, p.value, flags.join(", "))?;
            }
            writeln!(out, "variation: {:?}", chart.variation)?;
            if let Some(a) = chart.assurance {
                writeln!(out, "assurance: {a:?}")?;
            }
        }
    }
    Ok(())
}
