//! `dtoc chart monthly|spc|los|drd`: reads the figures the reports show, draws the chart in memory
//! (`report::chart`) and writes it as SVG or PNG by the file's extension.

use super::monthly::{load_monthly, months};
use super::spc::{load_spc, spc_months};
use crate::domain::YearMonth;
use crate::report::chart::{
    drd_series, los_series, los_series_all, monthly_bars, render_rgb, render_svg, Chart, DrdChart,
    LosChart, MonthlyChart, SpcChart,
};
use crate::report::discharge;
use crate::report::monthly::days_counted;
use crate::store::{Coverage, Store};
use anyhow::{anyhow, bail, Context, Result};
use chrono::NaiveDate;
use image::ImageEncoder;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Which chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartKind {
    Monthly,
    /// Of `measure`: total, nhs, social_care or both.
    Spc(super::spc::SpcRequest),
    Los,
    /// The average delay from the Discharge Ready Date each month, with its target.
    Drd,
}

/// Whose chart, over which months, to which file, how big.
#[derive(Debug, Clone)]
pub struct ChartOf {
    /// ONS codes: exactly one for the monthly and SPC charts; one or more for the LOS chart
    /// (several drawn together).
    pub las: Vec<String>,
    pub from: Option<YearMonth>,
    pub to: Option<YearMonth>,
    /// FILE.svg or FILE.png.
    pub out: PathBuf,
    /// Width and height in pixels.
    pub size: (u32, u32),
}

/// Writes `chart` to `path`: SVG or PNG by the file's extension, `size` pixels.
pub fn write_chart(path: &Path, size: (u32, u32), chart: &impl Chart) -> Result<()> {
    let ext = path
        .extension()
        .map(|x| x.to_string_lossy().to_ascii_lowercase());
    let fail = |e: crate::report::chart::ChartError| anyhow!("drawing {}: {e}", path.display());
    let bytes = match ext.as_deref() {
        Some("svg") => render_svg(size, chart).map_err(fail)?.into_bytes(),
        Some("png") => {
            let rgb = render_rgb(size, chart).map_err(fail)?;
            let mut png = Vec::new();
            image::codecs::png::PngEncoder::new(&mut png)
                .write_image(&rgb, size.0, size.1, image::ColorType::Rgb8)
                .map_err(|e| anyhow!("drawing {}: {e}", path.display()))?;
            png
        }
        _ => bail!("{}: the file name must end in .svg or .png", path.display()),
    };
    use std::io::Write;
    crate::commands::output::create_output(path, false)?
        .write_all(&bytes)
        .with_context(|| format!("drawing {}", path.display()))
}

fn la_name(store: &Store, la: &str) -> Result<String> {
    Ok(store
        .authorities()?
        .into_iter()
        .find(|a| a.code == la)
        .map_or_else(|| la.to_string(), |a| a.display_name().to_string()))
}

/// The title's words for the months of `from..=to` before the register's coverage (issue 24):
/// they are gaps, never 0; a chart of nothing but gaps is refused, naming the date.
fn before_coverage(coverage: &Coverage, from: YearMonth, to: YearMonth) -> Result<String> {
    let (Some((_, last_gap)), Some(day)) = (coverage.blank_months(from, to), coverage.from_day())
    else {
        return Ok(String::new());
    };
    if last_gap >= to {
        bail!(
            "{from} to {to} is before the register's coverage (figures from {day}; {}): \
             no figure to draw",
            coverage.sites_text()
        );
    }
    Ok(format!(" (blank before {day}, the register's coverage)"))
}

/// `dtoc chart monthly|spc|los|drd`.
pub fn chart(
    store: &Store,
    what: &ChartKind,
    a: &ChartOf,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    let (from, to) = months(a.from, a.to, today)?;
    let one = || match a.las.as_slice() {
        [la] => Ok(la),
        _ => Err(anyhow!(
            "this chart draws one authority: give exactly one --la"
        )),
    };
    let coverage = store.coverage()?;
    match what {
        ChartKind::Monthly => {
            let la = one()?;
            let m = load_monthly(store, from, to, std::slice::from_ref(la), today)?;
            let (bars, unit) = monthly_bars(&m.rows, la);
            if bars.is_empty() {
                bail!("no months to draw for {la} from {from} to {to}");
            }
            let before = before_coverage(&coverage, from, to)?;
            // docs/measures.md: a month in progress is marked in the title.
            let to_date = if days_counted(to, today) < to.days() {
                " (to date)"
            } else {
                ""
            };
            let title = format!(
                "{}: delayed transfers of care, {} to {}{to_date}{before}",
                la_name(store, la)?,
                from.long_name(),
                to.long_name()
            );
            write_chart(
                &a.out,
                a.size,
                &MonthlyChart {
                    title: &title,
                    unit,
                    bars: &bars,
                },
            )?;
        }
        ChartKind::Spc(req) => {
            let la = one()?;
            let (from, to) = spc_months(a.from, a.to, today)?;
            let l = load_spc(store, from, to, a.to, la, req, today)?;
            let c = &l.chart;
            let last = c.points.last().map_or(to, |p| p.month);
            let to_date = if l.to_date.is_some() {
                " (to date)"
            } else {
                ""
            };
            let trial = if c.trial_limits { ", trial limits" } else { "" };
            let title = format!(
                "{}: SPC chart of delayed days ({}), {} to {}{to_date}{trial}",
                la_name(store, la)?,
                l.measure.label(),
                c.points.first().map_or(from, |p| p.month).long_name(),
                last.long_name(),
            );
            write_chart(
                &a.out,
                a.size,
                &SpcChart {
                    title: &title,
                    unit: l.unit,
                    chart: c,
                },
            )?;
        }
        ChartKind::Los => {
            let days = discharge::mondays(from.first_day(), to.last_day().min(today));
            let las = crate::domain::LaCode::parse_all(&a.las)?;
            let before = before_coverage(&coverage, from, to)?;
            let mut rows = discharge::load_los(store, &days, &las)?;
            // A day before coverage is a gap, never 0 (issue 24).
            rows.retain(|r| coverage.covers_day(r.day));
            let points = match a.las.as_slice() {
                [la] => los_series(&rows, &days, la),
                _ => los_series_all(&rows, &days),
            };
            let mut names = Vec::with_capacity(a.las.len());
            for la in &a.las {
                names.push(la_name(store, la)?);
            }
            let names = names.join(", ");
            if points.is_empty() {
                bail!("no Monday to draw for {names} from {from} to {to}");
            }
            let title = format!("{names}: acute inpatients in hospital 14+ and 21+ days{before}");
            write_chart(
                &a.out,
                a.size,
                &LosChart {
                    title: &title,
                    points: &points,
                },
            )?;
        }
        ChartKind::Drd => {
            let code = one()?;
            let la = crate::domain::LaCode::parse(code)?;
            let stays = store.stay_facts(
                from.first_day(),
                to.end_exclusive(),
                std::slice::from_ref(&la),
            )?;
            let targets = discharge::Targets::new(&store.discharge_targets(from, to)?);
            let before = before_coverage(&coverage, from, to)?;
            let mut rows = discharge::drd(&stays, from, to, &targets);
            // A month before coverage is a gap, never 0 (issue 24).
            rows.retain(|r| coverage.covers(r.month));
            let all: Vec<YearMonth> =
                std::iter::successors(Some(from), |m| Some(m.add_months(1)).filter(|n| *n <= to))
                    .collect();
            let points = drd_series(&rows, &all, code);
            let to_date = if days_counted(to, today) < to.days() {
                " (to date)"
            } else {
                ""
            };
            let title = format!(
                "{}: average delay from DRD, {from} to {to}{to_date}{before}",
                la_name(store, code)?,
            );
            write_chart(
                &a.out,
                a.size,
                &DrdChart {
                    title: &title,
                    points: &points,
                },
            )?;
        }
    }
    writeln!(out, "wrote {}", a.out.display())?;
    Ok(())
}
