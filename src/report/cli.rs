//! `dtoc report …`: reads what a report needs from the store, computes it with the pure functions
//! of this module, turns it into a [`Table`] and writes a terminal table, CSV, JSON or XLSX (to
//! stdout, or to `--out FILE`), suppressed with `--suppress N`.

use super::monthly::{self, by_period, forecast, Inputs, MonthlyRow, MONTHLY_HEADER};
use super::spc::{xmr, XmrChart};
use super::table::{self, Kind, Table, Value};
use crate::cli::{Format, OutputArgs, Period, RangeArgs, ReportKind};
use crate::domain::{LaCode, Measure, YearMonth};
use crate::store::Store;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use std::io::Write;

pub(crate) fn range(r: &RangeArgs, today: NaiveDate) -> Result<(YearMonth, YearMonth)> {
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
    let totals = store.month_totals(from, to, &LaCode::parse_all(las)?, today)?;
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
            let period = Period::from(period);
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
            if r.format == Format::Table && r.output.out.is_none() && r.output.suppress == 0 {
                write_monthly(&rows, r.format, out)?;
            } else {
                let t = monthly_table(&rows, &format!("Monthly delayed days, {from} to {to}"));
                emit(vec![t], r.format, &r.output, today, out)?;
                return Ok(());
            }
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
        other @ (ReportKind::Pathways { .. }
        | ReportKind::Drd { .. }
        | ReportKind::Los { .. }
        | ReportKind::Nctr { .. }) => super::discharge_cli::run(store, other, today, out),
        ReportKind::Spc { range: r, measure } => {
            let (from, to) = range(&r, today)?;
            if r.la.len() != 1 {
                bail!("report spc needs exactly one --la CODE");
            }
            let measure = Measure::parse(&measure).map_err(|e| anyhow::anyhow!(e))?;
            let (chart, unit) = load_spc(store, from, to, &r.la[0], measure, today)?;
            match r.format {
                // The chart with its verdicts (terminal) or as one nested object (JSON): no counts
                // to suppress.
                Format::Table | Format::Json => {
                    let mut buf = Vec::new();
                    write_spc(&chart, &r.la[0], measure, unit, r.format, &mut buf)?;
                    match &r.output.out {
                        Some(p) => {
                            std::fs::write(p, &buf)
                                .with_context(|| format!("writing {}", p.display()))?;
                            writeln!(out, "wrote {}", p.display())?;
                        }
                        None => out.write_all(&buf)?,
                    }
                    Ok(())
                }
                Format::Csv | Format::Xlsx => {
                    let t = spc_table(&chart, &r.la[0], measure, unit);
                    emit(vec![t], r.format, &r.output, today, out)
                }
            }
        }
        ReportKind::Benchmark { range: r, group } => {
            let (from, to) = range(&r, today)?;
            if r.la.len() != 1 {
                bail!("report benchmark needs exactly one --la CODE");
            }
            let t = super::benchmark::load_benchmark(store, &r.la[0], &group, from, to, today)?;
            emit(vec![t], r.format, &r.output, today, out)
        }
        ReportKind::Weekly {
            week,
            format,
            output,
        } => super::weekly_cli::run_weekly(store, week, format, &output, today, out),
        ReportKind::Reconcile {
            month,
            format,
            output,
        } => super::weekly_cli::run_reconcile_report(store, month, format, &output, today, out),
    }
}

/// The SPC chart of one authority's monthly rate (per 100,000 per day; DTOC beds when a month has
/// no population estimate) over the complete months from `from` to `to`, with its unit. The same
/// series `report spc` and `chart spc` show.
pub fn load_spc(
    store: &Store,
    from: YearMonth,
    to: YearMonth,
    la: &str,
    measure: Measure,
    today: NaiveDate,
) -> Result<(XmrChart, &'static str)> {
    // Only complete months make an SPC point.
    let to = to.min(YearMonth::of(today).prev());
    let m = load_monthly(store, from, to, &[la.to_string()], today)?;
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
    Ok((chart, unit))
}

/// Suppresses and writes `tables` where `--out` and `--format` say; names the file written.
pub fn emit(
    tables: Vec<Table>,
    format: Format,
    output: &OutputArgs,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    emit_linked(tables, &[], format, output, today, out)
}

/// [`emit`] for tables whose totals are in another table: `links` are the additive groups across
/// tables (see [`super::suppress::suppress_tables`]).
pub fn emit_linked(
    mut tables: Vec<Table>,
    links: &[Vec<super::suppress::TableCell>],
    format: Format,
    output: &OutputArgs,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    super::suppress::suppress_tables(&mut tables, links, output.suppress);
    table::write(&tables, format, output.out.as_deref(), today, out)?;
    if let Some(p) = &output.out {
        writeln!(out, "wrote {}", p.display())?;
    }
    Ok(())
}

/// The monthly report as a table: the columns of `MONTHLY_HEADER`. Delayed days are counts; DTOC
/// beds and the rates derive from them; in each period and authority the total is the sum of NHS,
/// Social Care and Both (for secondary suppression).
pub fn monthly_table(rows: &[MonthlyRow], title: &str) -> Table {
    let mut t = Table::new(title, "Monthly report");
    let names: Vec<&str> = MONTHLY_HEADER.split(',').collect();
    let days = 4;
    for (i, name) in names.iter().enumerate() {
        match i {
            0..=3 | 13 | 14 => t.column(name, Kind::Text),
            4 => t.column(name, Kind::Count),
            5..=7 => t.column(name, Kind::Integer),
            8..=10 => t.derived_column(name, Kind::Rate, days),
            _ => t.column(name, Kind::Rate),
        };
    }
    let mut groups: std::collections::BTreeMap<(&str, &str), Vec<(usize, usize)>> =
        Default::default();
    for (i, r) in rows.iter().enumerate() {
        groups
            .entry((r.month.as_str(), r.la_code.as_str()))
            .or_default()
            .push((i, days));
        t.rows.push(vec![
            Value::text(&r.month),
            Value::text(&r.la_code),
            Value::text(&r.la_name),
            Value::text(r.measure.key()),
            Value::Int(r.delayed_days),
            Value::Int(u64::from(r.days_in_month)),
            Value::opt_int(r.population_18plus),
            Value::opt_int(r.population_year.and_then(|y| u64::try_from(y).ok())),
            Value::Real(r.dtoc_beds),
            Value::opt_real(r.rate_per_100k_month),
            Value::opt_real(r.rate_per_100k_day),
            Value::opt_real(r.target_per_100k_day),
            Value::opt_real(r.target_days),
            Value::text(r.rag.map_or("", |x| x.as_str())),
            Value::text(r.vs_target.map_or("", |x| x.as_str())),
        ]);
    }
    for g in groups.into_values() {
        t.add_sum(g);
    }
    t
}

/// The SPC chart as a table: one row per month with the chart's mean, limits, target and the
/// special causes flagged on it.
pub fn spc_table(chart: &XmrChart, la: &str, measure: Measure, unit: &str) -> Table {
    let mut t = Table::new(
        format!("SPC (XmR) for {la}, {}: {unit}", measure.label()),
        "SPC",
    );
    t.column("month", Kind::Month);
    t.column("la_code", Kind::Text);
    t.column("measure", Kind::Text);
    for name in ["value", "mean", "lower_limit", "upper_limit", "target"] {
        t.column(name, Kind::Rate);
    }
    t.column("special_cause", Kind::Text);
    for p in &chart.points {
        let flags: Vec<String> = p
            .flags
            .iter()
            .map(|f| format!("{:?} {:?}", f.rule, f.direction).to_lowercase())
            .collect();
        t.rows.push(vec![
            Value::Month(p.month),
            Value::text(la),
            Value::text(measure.key()),
            Value::Real(p.value),
            Value::Real(chart.mean),
            Value::Real(chart.lower_limit),
            Value::Real(chart.upper_limit),
            Value::opt_real(chart.target),
            Value::Text(flags.join("; ")),
        ]);
    }
    t
}

pub fn write_monthly(rows: &[MonthlyRow], format: Format, out: &mut dyn Write) -> Result<()> {
    match format {
        Format::Csv => table::write_csv(&monthly_table(rows, "Monthly report"), out)?,
        Format::Json => {
            let t = monthly_table(rows, "Monthly report");
            serde_json::to_writer_pretty(&mut *out, &table::to_json(&t))?;
            writeln!(out)?;
        }
        Format::Xlsx => bail!("XLSX is written to a file: give --out FILE.xlsx"),
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
        Format::Csv => table::write_csv(&spc_table(chart, la, measure, unit), out)?,
        Format::Xlsx => bail!("XLSX is written to a file: give --out FILE.xlsx"),
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
