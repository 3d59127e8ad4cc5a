//! `dtoc report monthly|spc|benchmark`: each reads what it needs from the store, computes it with
//! `report`, and writes a terminal table, CSV, JSON or XLSX through [`super::output`] (to stdout,
//! or to a file), suppressed as asked.

use super::monthly::{load_monthly, Range};
use super::output::{self, emit, write_columns, Align::Left as L, Align::Right as R, Format};
use crate::domain::{Measure, YearMonth};
use crate::report::monthly::{by_period, forecast, monthly_table, MonthlyRow};
use crate::report::period::Period;
use crate::report::spc::{xmr, XmrChart};
use crate::report::spc_table::spc_table;
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
    let (from, to) = r.months(today)?;
    let m = load_monthly(store, from, to, &r.las, today)?;
    for n in &m.notes {
        eprintln!("note: {n}");
    }
    let rows = by_period(&m.rows, period);
    if r.format == Format::Table && r.dest.is_terminal() {
        write_monthly(&rows, r.format, out)?;
    } else {
        let t = monthly_table(&rows, &format!("Monthly delayed days, {from} to {to}"));
        return emit(vec![t], r.format, &r.dest, today, out);
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

/// `dtoc report spc`: the XmR chart of one authority's monthly rate of `measure` (total, nhs,
/// social_care or both).
pub fn spc(
    store: &Store,
    r: &Range,
    measure: &str,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    let (from, to) = r.months(today)?;
    let [la] = r.las.as_slice() else {
        bail!("report spc needs exactly one --la CODE");
    };
    let measure = Measure::parse(measure).map_err(|e| anyhow::anyhow!(e))?;
    let (chart, unit) = load_spc(store, from, to, la, measure, today)?;
    match r.format {
        // The chart with its verdicts (terminal) or as one nested object (JSON): no counts to
        // suppress.
        Format::Table | Format::Json => {
            let mut buf = Vec::new();
            write_spc(&chart, la, measure, unit, r.format, &mut buf)?;
            output::to_file_or(r.dest.out.as_deref(), &buf, out)?;
            if let Some(p) = &r.dest.out {
                writeln!(out, "wrote {}", p.display())?;
            }
            Ok(())
        }
        Format::Csv | Format::Xlsx => {
            let t = spc_table(&chart, la, measure, unit);
            emit(vec![t], r.format, &r.dest, today, out)
        }
    }
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
    if let Ok(code) = crate::domain::LaCode::parse(la) {
        for c in store.month_counts(from, to, &[code], today)? {
            *local.entry(c.month).or_insert(0) += c.days;
        }
    }
    let rows =
        crate::report::benchmark::benchmark(&published, &populations, la, group, &local, from, to);
    Ok(crate::report::benchmark::benchmark_table(
        &rows, la, from, to,
    ))
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
            Some((x.month.month()?, v?))
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
                "target/d",
                "target",
                "",
                "RAG",
                "vs target",
            ];
            let f = |x: Option<f64>, p: usize| x.map_or("-".to_string(), |v| format!("{v:.p$}"));
            let mut lines = vec![head.map(String::from).to_vec()];
            for r in rows {
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
                R(8),
                R(8),
                L(0),
                L(6),
                L(0),
            ];
            write_columns(out, &cols, &lines)?;
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
        Format::Csv => output::write_csv(&spc_table(chart, la, measure, unit), out)?,
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
