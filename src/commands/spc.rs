//! `dtoc report spc` and the series `dtoc chart spc` draws: one authority's monthly rate of a
//! measure as a Making Data Count XmR chart (`report::spc`), with that month's target on each
//! point.

use super::monthly::{load_monthly, Range};
use super::output::{self, emit, Format};
use crate::domain::{Measure, YearMonth};
use crate::report::monthly::{days_counted, MonthlyRow};
use crate::report::spc::{spc as spc_chart, PointType, SpcOptions, SpcPoint, XmrChart};
use crate::report::spc_table::{spc_summary, spc_table, SpcOf};
use crate::store::Store;
use anyhow::{anyhow, bail, Result};
use chrono::NaiveDate;
use std::io::Write;

/// What to chart and how (`--measure`, `--no-screen`, `--baseline`, `--rebase`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpcRequest {
    /// total, nhs, social_care or both.
    pub measure: String,
    pub options: SpcOptions,
}

impl Default for SpcRequest {
    fn default() -> Self {
        Self {
            measure: "total".into(),
            options: SpcOptions::default(),
        }
    }
}

/// An SPC chart as loaded: the chart, its unit, and the month in progress when it is a point.
#[derive(Debug, Clone)]
pub struct SpcLoaded {
    pub chart: XmrChart,
    pub measure: Measure,
    pub unit: &'static str,
    pub to_date: Option<YearMonth>,
    /// The months asked for before coverage: blank, in no mean, limit or verdict (issue 24).
    pub blank: Vec<YearMonth>,
    /// From when the figures are complete and which months the chart takes, when coverage is
    /// recorded.
    pub coverage: Option<String>,
}

impl SpcLoaded {
    pub fn of<'a>(&'a self, la: &'a str) -> SpcOf<'a> {
        SpcOf {
            la,
            measure: self.measure,
            unit: self.unit,
            to_date: self.to_date,
            blank: &self.blank,
            coverage: self.coverage.as_deref(),
        }
    }
}

/// `dtoc report spc`: the XmR chart of one authority's monthly rate of the measure.
pub fn spc(
    store: &Store,
    r: &Range,
    req: &SpcRequest,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    let (from, to) = spc_months(r.from, r.to, today)?;
    let [la] = r.las.as_slice() else {
        bail!("report spc needs exactly one --la CODE");
    };
    let loaded = load_spc(store, from, to, r.to, la, req, today)?;
    let of = loaded.of(la);
    if r.format == Format::Table {
        // The chart with its verdicts: no counts to suppress.
        let mut buf = Vec::new();
        for line in spc_summary(&loaded.chart, &of) {
            writeln!(buf, "{line}")?;
        }
        output::to_file_or(r.dest.out.as_deref(), &buf, out)?;
        if let Some(p) = &r.dest.out {
            writeln!(out, "wrote {}", p.display())?;
        }
        return Ok(());
    }
    // CSV, JSON and XLSX: the table of points (docs/output.md), saying from when the figures
    // are complete when months before the register's coverage are blank.
    let mut t = spc_table(&loaded.chart, &of);
    t.add_complete(today);
    t.notes
        .extend(loaded.coverage.clone().filter(|_| !loaded.blank.is_empty()));
    emit(vec![t], r.format, &r.dest, today, out)
}

/// The months of an SPC chart: as every report's (`super::monthly::months`), but `to` defaults to
/// the last complete month (the month before today's), so that `report spc` and `report spc --to
/// <that month>` chart the same points and give the same verdict.
pub fn spc_months(
    from: Option<YearMonth>,
    to: Option<YearMonth>,
    today: NaiveDate,
) -> Result<(YearMonth, YearMonth)> {
    super::monthly::months(
        from,
        Some(to.unwrap_or_else(|| YearMonth::of(today).prev())),
        today,
    )
}

/// The SPC chart of one authority's monthly rate (per 100,000 per day; DTOC beds when a month has
/// no population estimate) from `from` to `to`, each point with its own month's target. The month
/// in progress is a point only when `explicit_to` names it (and a day of it is counted): its figures
/// are to date, and it never enters the mean, the limits or the verdicts (docs/measures.md): the chart
/// is computed on the complete months and the part month is shown after them with the last
/// segment's limits, flagged by no rule. The same series `report spc` and `chart spc` show.
pub fn load_spc(
    store: &Store,
    from: YearMonth,
    to: YearMonth,
    explicit_to: Option<YearMonth>,
    la: &str,
    req: &SpcRequest,
    today: NaiveDate,
) -> Result<SpcLoaded> {
    let measure = Measure::parse(&req.measure).map_err(|e| anyhow!(e))?;
    let current = YearMonth::of(today);
    let with_current = explicit_to == Some(current) && days_counted(current, today) > 0;
    let to = if with_current {
        to.min(current)
    } else {
        to.min(current.prev())
    };
    let m = load_monthly(store, from, to, &[la.to_string()], today)?;
    // Months before coverage are blank: no point, in no mean, limit or verdict (issue 24).
    let blank: Vec<YearMonth> = m
        .rows
        .iter()
        .filter(|x| x.measure == measure && !x.covered)
        .filter_map(|x| x.month.month())
        .collect();
    let rows: Vec<&MonthlyRow> = m
        .rows
        .iter()
        .filter(|x| x.measure == measure && x.covered)
        .collect();
    if rows.is_empty() && !blank.is_empty() {
        bail!(
            "{from} to {to} is before the register's coverage: no figure to chart ({})",
            store.coverage()?.note(from, to).unwrap_or_default()
        );
    }
    let per_100k = rows.iter().all(|x| x.rate_per_100k_day.is_some());
    let series: Vec<(YearMonth, f64, Option<f64>)> = rows
        .iter()
        .filter_map(|x| {
            let (v, t) = if per_100k {
                (x.rate_per_100k_day, x.target_per_100k_day)
            } else {
                let days = f64::from(x.days_in_month);
                (Some(x.dtoc_beds), x.target_days.map(|t| t / days))
            };
            Some((x.month.month()?, v?, t))
        })
        .collect();
    let unit = if per_100k {
        "delayed days per day per 100,000 adults"
    } else {
        "delayed days per day (no population estimate)"
    };
    let to_date = series
        .last()
        .map(|p| p.0)
        .filter(|&m| with_current && m == current);
    let complete = if to_date.is_some() {
        &series[..series.len() - 1]
    } else {
        &series[..]
    };
    let cover = store.coverage()?;
    let mut chart = spc_chart(complete, &req.options).map_err(|e| match cover.note(from, to) {
        Some(n) if !blank.is_empty() => anyhow!("{e}: {n}"),
        _ => anyhow!("{e}"),
    })?;
    let coverage = cover.note(from, to).map(|n| {
        let taken = match (complete.first(), complete.last()) {
            (Some(a), Some(b)) => {
                format!("; the mean, limits and verdicts take {} to {}", a.0, b.0)
            }
            _ => String::new(),
        };
        format!("{n}{taken}")
    });
    if let (Some(&(month, value, target)), Some(last)) = (
        series.last().filter(|_| to_date.is_some()),
        chart.points.last().cloned(),
    ) {
        chart.points.push(SpcPoint {
            month,
            value,
            moving_range: Some((value - last.value).abs()),
            flags: Vec::new(),
            point_type: PointType::CommonCause,
            target,
            ..last
        });
    }
    Ok(SpcLoaded {
        chart,
        measure,
        unit,
        to_date,
        blank,
        coverage,
    })
}
