//! The charts of `dtoc chart …` for board papers (plotters), drawn in memory as SVG or an RGB
//! bitmap from the same figures as the reports (`commands::monthly::load_monthly`,
//! `commands::report::load_spc`); `commands::chart` encodes and writes the file.
//!
//! - **monthly**: the monthly rate per 100,000 adults per day (DTOC beds per day when a month has
//!   no population estimate), one bar per month stacked by responsible organisation (NHS, Social
//!   Care, Both), with the total's target as a stepped line; title, axis labels and legend.
//! - **spc**: the XmR chart as Making Data Count draws it: the monthly values joined, each
//!   segment's mean and process limits (dashed; a rebase starts new ones), each month's target,
//!   every point coloured by its type (grey common cause, blue improvement, orange concern:
//!   NHSRplotthedots' palette), and the variation and assurance icons top left (a circle in the
//!   verdict's colour with a letter, and its name).
//! - **los**: the shares of acute inpatients in hospital 14+ and 21+ days on each Monday of the
//!   range (the weekly snapshot), computed by [`super::discharge::los`] as `report los` shows them:
//!   over the acute sites with a denominator that day (every stay recorded, or a complete census;
//!   a day with none has no share and leaves a gap), with the authority's los14/los21 share targets
//!   (`import discharge-targets`) as dashed lines.
//!
//! - **drd**: an authority's average delay from the Discharge Ready Date each month (the Better
//!   Care Fund 2025/26 measure) with its target ([`drd`]).
//!
//! - **forecast**: each pathway queue's last four weeks (people waiting at each day's end) and its
//!   forecast for the days ahead as `report forecast` computes it: the median dashed, the 85%
//!   interval shaded.
//!
//! The PNG needs no system fonts: DejaVu Sans (assets/, Bitstream Vera licence) is built into the
//! binary and registered with plotters' `ab_glyph` text renderer. The SVG writes its text as
//! `<text>` elements (so the title and legend are searchable and the file scales).

use super::discharge::{Level, LosRow, ShareVsTarget};
use super::monthly::MonthlyRow;
use super::spc::{Assurance, PointType, Variation, XmrChart};
use crate::domain::{Measure, YearMonth};
use chrono::{Datelike, NaiveDate};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

mod drd;
mod forecast;
pub use drd::{drd_series, DrdChart, DrdPoint};
pub use forecast::{ForecastChart, ForecastLine};

/// The bundled font (DejaVu Sans), so a PNG renders on a host without fonts.
const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
const FONT_NAME: &str = "sans-serif";

/// NHS identity colours: NHS Blue, Warm Yellow, Purple; Emergency Services Red for the target.
const NHS_BLUE: RGBColor = RGBColor(0x00, 0x5E, 0xB8);
const SOCIAL_CARE: RGBColor = RGBColor(0xFF, 0xB8, 0x1C);
const BOTH: RGBColor = RGBColor(0x33, 0x00, 0x72);
const TARGET_RED: RGBColor = RGBColor(0xDA, 0x29, 0x1C);
/// The 21+ days line of the length-of-stay chart.
const CONCERN: RGBColor = RGBColor(0xED, 0x8B, 0x00);
/// Making Data Count's colours as NHSRplotthedots draws them (`ptd_spc_colours()`): common cause
/// grey, special cause improvement blue, special cause concern orange.
pub const MDC_COMMON: RGBColor = RGBColor(0x7B, 0x7D, 0x7D);
pub const MDC_IMPROVEMENT: RGBColor = RGBColor(0x28, 0x9D, 0xE0);
pub const MDC_CONCERN: RGBColor = RGBColor(0xFA, 0xB4, 0x28);

/// The colour of a point of this type.
pub fn point_colour(t: PointType) -> RGBColor {
    match t {
        PointType::CommonCause => MDC_COMMON,
        PointType::Improvement => MDC_IMPROVEMENT,
        PointType::Concern => MDC_CONCERN,
    }
}

fn register_font() -> Result<(), ChartError> {
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *DONE
        .get_or_init(|| plotters::style::register_font(FONT_NAME, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// One month of the monthly chart: the three attributions and the total's target, in one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthBar {
    pub month: YearMonth,
    pub label: String,
    /// NHS, Social Care, Both.
    pub parts: [f64; 3],
    pub target: Option<f64>,
}

/// The monthly chart's series from the monthly report's rows of one authority, and its unit:
/// per 100,000 per day when every month has a population, else DTOC beds (delayed days per day).
/// A month before coverage (issue 24) is a gap: its place on the axis, no bar and no target.
pub fn monthly_bars(rows: &[MonthlyRow], la: &str) -> (Vec<MonthBar>, &'static str) {
    let mine: Vec<&MonthlyRow> = rows.iter().filter(|r| r.la_code == la).collect();
    let per_100k = mine
        .iter()
        .filter(|r| r.covered)
        .all(|r| r.rate_per_100k_day.is_some());
    let value = |r: &MonthlyRow| {
        if per_100k {
            r.rate_per_100k_day.unwrap_or(0.0)
        } else {
            r.dtoc_beds
        }
    };
    let mut bars: Vec<MonthBar> = Vec::new();
    for r in &mine {
        let Some(month) = r.month.month() else {
            continue;
        };
        if bars.last().is_none_or(|b| b.month != month) {
            bars.push(MonthBar {
                month,
                label: short_month(month),
                parts: [0.0; 3],
                target: None,
            });
        }
        let Some(b) = bars.last_mut() else { continue };
        if !r.covered {
            continue;
        }
        match r.measure {
            Measure::Nhs => b.parts[0] = value(r),
            Measure::SocialCare => b.parts[1] = value(r),
            Measure::Both => b.parts[2] = value(r),
            Measure::Total => {
                b.target = if per_100k {
                    r.target_per_100k_day
                } else {
                    r.target_days.map(|t| t / f64::from(r.days_in_month.max(1)))
                }
            }
        }
    }
    let unit = if per_100k {
        "Delayed days per day per 100,000 adults"
    } else {
        "Delayed days per day (no population estimate)"
    };
    (bars, unit)
}

/// One point of the length-of-stay chart: an authority on one Monday.
#[derive(Debug, Clone, PartialEq)]
pub struct LosPoint {
    pub day: NaiveDate,
    /// Inpatients at 14+ and 21+ days.
    pub over_14: u64,
    pub over_21: u64,
    /// Their shares (%) of the denominator; `None` when there is none.
    pub share_14: Option<f64>,
    pub share_21: Option<f64>,
    /// The share targets (%) of the day's month, when set.
    pub target_14: Option<f64>,
    pub target_21: Option<f64>,
}

/// The chart's points: the acute rows with a denominator of authority `la` of
/// [`super::discharge::los`] over `days` (the acute sitrep's measure, as `report los` shows it),
/// one per day (a day with no such row, e.g. no denominator, has no share).
pub fn los_series(rows: &[LosRow], days: &[NaiveDate], la: &str) -> Vec<LosPoint> {
    los_series_of(rows, days, |l| matches!(l, Level::Authority(c) if c == la))
}

/// [`los_series`] of the rows of every stay read (`Level::All`): the authorities read together.
pub fn los_series_all(rows: &[LosRow], days: &[NaiveDate]) -> Vec<LosPoint> {
    los_series_of(rows, days, |l| *l == Level::All)
}

/// The acute rows with a denominator whose level is `of_level`, one point per day.
fn los_series_of(
    rows: &[LosRow],
    days: &[NaiveDate],
    of_level: impl Fn(&Level) -> bool,
) -> Vec<LosPoint> {
    let of_la = |r: &LosRow| {
        of_level(&r.level) && r.care == crate::domain::Setting::Acute && r.denominator.is_some()
    };
    days.iter()
        .map(|&day| {
            let row = rows.iter().find(|r| r.day == day && of_la(r));
            let target = |t: Option<&ShareVsTarget>| t.map(|t| t.target_percent);
            LosPoint {
                day,
                over_14: row.map_or(0, |r| r.counts[1]),
                over_21: row.map_or(0, |r| r.counts[2]),
                share_14: row.and_then(|r| r.shares[1]),
                share_21: row.and_then(|r| r.shares[2]),
                target_14: target(row.and_then(|r| r.los14_target.as_ref())),
                target_21: target(row.and_then(|r| r.los21_target.as_ref())),
            }
        })
        .collect()
}

type DrawResult<DB> =
    std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;
type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Labels for x = 0, 1, … (months), blank between them.
fn month_label(labels: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    labels.get(i as usize).cloned().unwrap_or_default()
}

fn short_month(m: YearMonth) -> String {
    m.first_day().format("%b %y").to_string()
}

/// What the y axis counts: a measure with decimals (a rate, a share, an average) or people, whose
/// axis is labelled at whole numbers only ("30", never "30.0" or "2.5 people").
#[derive(Clone, Copy, PartialEq, Eq)]
enum YAxis {
    Measure,
    People,
}

/// A y label of people: whole numbers only (a label between them is left blank).
fn people_label(y: f64) -> String {
    if (y - y.round()).abs() < 1e-9 {
        format!("{:.0}", y.round().abs())
    } else {
        String::new()
    }
}

/// The common frame of every chart: white background, title, one x position per month (labelled
/// `Aug 17`), y from `y.0` to `y.1`, axis titles.
fn frame<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    months: &[String],
    (x_desc, y_desc): (&str, &str),
    y: (f64, f64),
    axis: YAxis,
) -> std::result::Result<Plot<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let n = months.len().max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT_NAME, 24))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(-0.5..(n - 0.5), y.0..y.1)?;
    let people = |y: &f64| people_label(*y);
    let month = |x: &f64| month_label(months, *x);
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .x_labels(months.len().max(2))
        .x_label_formatter(&month)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style((FONT_NAME, 14))
        .axis_desc_style((FONT_NAME, 15));
    if axis == YAxis::People {
        mesh.y_label_formatter(&people);
    }
    mesh.draw()?;
    Ok(chart)
}

/// The legend, top right, and the picture written out.
fn finish<'a, DB: DrawingBackend + 'a>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut Plot<'a, DB>,
) -> DrawResult<DB> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font((FONT_NAME, 14))
        .draw()?;
    root.present()
}

/// A legend entry drawn as a short line.
fn line_key(style: ShapeStyle) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style)
}

/// A chart that can draw itself on any plotters backend (SVG or bitmap).
pub trait Chart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
    /// The values on the chart's vertical axis (checked before drawing: see [`check_axis`]).
    fn axis_values(&self) -> Vec<f64> {
        Vec::new()
    }
}

/// The largest value a chart's axis may reach: far above any real figure (days, rates, shares),
/// far below what makes the axis labelling loop for minutes.
pub const AXIS_MAX: f64 = 1e12;

/// Refuses an axis with a value that is not a finite number within ±[`AXIS_MAX`].
pub fn check_axis(values: &[f64]) -> Result<(), ChartError> {
    match values.iter().find(|v| !v.is_finite() || v.abs() > AXIS_MAX) {
        Some(v) => Err(ChartError::Axis(if v.is_finite() {
            format!("a value of {v:e} is beyond any plausible figure")
        } else {
            format!("a value of {v} is not a number")
        })),
        None => Ok(()),
    }
}

/// The monthly chart: stacked bars by attribution, the target as a stepped line.
pub struct MonthlyChart<'a> {
    pub title: &'a str,
    pub unit: &'a str,
    pub bars: &'a [MonthBar],
}

impl Chart for MonthlyChart<'_> {
    fn axis_values(&self) -> Vec<f64> {
        self.bars
            .iter()
            .flat_map(|b| b.parts.iter().copied().chain(b.target))
            .collect()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let bars = self.bars;
        let top = bars
            .iter()
            .map(|b| b.parts.iter().sum::<f64>().max(b.target.unwrap_or(0.0)))
            .fold(0.0, f64::max)
            .max(1e-9)
            * 1.2;
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        let mut chart = frame(
            root,
            self.title,
            &labels,
            ("Month", self.unit),
            (0.0, top),
            YAxis::Measure,
        )?;
        let names = ["NHS", "Social Care", "Both"];
        let colours = [NHS_BLUE, SOCIAL_CARE, BOTH];
        for (k, (name, colour)) in names.iter().zip(colours).enumerate() {
            chart
                .draw_series(bars.iter().enumerate().map(|(i, b)| {
                    let lo: f64 = b.parts[..k].iter().sum();
                    let hi = lo + b.parts[k];
                    let x = i as f64;
                    Rectangle::new([(x - 0.38, lo), (x + 0.38, hi)], colour.filled())
                }))?
                .label(*name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled())
                });
        }
        // The target: a stepped line across each run of months that have one.
        let mut steps: Vec<Vec<(f64, f64)>> = Vec::new();
        for (i, b) in bars.iter().enumerate() {
            if let Some(t) = b.target {
                let x = i as f64;
                if i == 0 || bars[i - 1].target.is_none() {
                    steps.push(Vec::new());
                }
                if let Some(s) = steps.last_mut() {
                    s.push((x - 0.5, t));
                    s.push((x + 0.5, t));
                }
            }
        }
        let target_style = TARGET_RED.stroke_width(3);
        for (k, s) in steps.into_iter().enumerate() {
            let series = chart.draw_series(LineSeries::new(s, target_style))?;
            if k == 0 {
                series.label("Target").legend(line_key(target_style));
            }
        }
        finish(root, &mut chart)
    }
}

/// The SPC chart: values, mean, process limits, target, special causes.
pub struct SpcChart<'a> {
    pub title: &'a str,
    pub unit: &'a str,
    pub chart: &'a XmrChart,
}

impl Chart for SpcChart<'_> {
    fn axis_values(&self) -> Vec<f64> {
        let c = self.chart;
        c.points
            .iter()
            .map(|p| p.value)
            .chain([c.upper_limit, c.lower_limit, c.mean])
            .chain(c.target)
            .collect()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let c = self.chart;
        let pts = &c.points;
        let limits = c
            .segments
            .iter()
            .flat_map(|s| [s.upper_limit, s.lower_limit]);
        let targets = pts.iter().filter_map(|p| p.target);
        let values = pts.iter().map(|p| p.value).chain(limits).chain(targets);
        let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
        let pad = ((hi - lo) * 0.1).max(1e-6);
        let labels: Vec<String> = pts.iter().map(|p| short_month(p.month)).collect();
        let mut chart = frame(
            root,
            self.title,
            &labels,
            ("Month", self.unit),
            (lo - pad, hi + pad * 3.5),
            YAxis::Measure,
        )?;
        // Each segment's mean and limits across its own months (a rebase starts new ones).
        let mean_style = BLACK.stroke_width(2);
        let limit_style = MDC_COMMON.stroke_width(2);
        for (k, seg) in c.segments.iter().enumerate() {
            let xs: Vec<f64> = (0..pts.len())
                .filter(|&i| pts[i].segment == k)
                .map(|i| i as f64)
                .collect();
            let (Some(&a), Some(&b)) = (xs.first(), xs.last()) else {
                continue;
            };
            let flat = |y: f64| vec![(a - 0.5, y), (b + 0.5, y)];
            let s = chart.draw_series(LineSeries::new(flat(seg.mean), mean_style))?;
            if k == 0 {
                s.label("Mean").legend(line_key(mean_style));
            }
            for (j, limit) in [seg.upper_limit, seg.lower_limit].into_iter().enumerate() {
                let s = chart.draw_series(DashedLineSeries::new(flat(limit), 8, 5, limit_style))?;
                if k == 0 && j == 0 {
                    s.label("Process limits").legend(line_key(limit_style));
                }
            }
        }
        // Each month's target, stepped.
        let target = TARGET_RED.stroke_width(3);
        let mut labelled = false;
        for (i, p) in pts.iter().enumerate() {
            if let Some(t) = p.target {
                let x = i as f64;
                let s =
                    chart.draw_series(LineSeries::new(vec![(x - 0.5, t), (x + 0.5, t)], target))?;
                if !labelled {
                    s.label("Target").legend(line_key(target));
                    labelled = true;
                }
            }
        }
        let value = MDC_COMMON.stroke_width(2);
        chart
            .draw_series(LineSeries::new(
                pts.iter().enumerate().map(|(i, p)| (i as f64, p.value)),
                value,
            ))?
            .label("Monthly value")
            .legend(line_key(value));
        for t in [
            PointType::CommonCause,
            PointType::Improvement,
            PointType::Concern,
        ] {
            let colour = point_colour(t);
            let name = match t {
                PointType::CommonCause => "Common cause",
                PointType::Improvement => "Special cause: improvement",
                PointType::Concern => "Special cause: concern",
            };
            chart
                .draw_series(
                    pts.iter()
                        .enumerate()
                        .filter(|(_, p)| p.point_type == t)
                        .map(|(i, p)| Circle::new((i as f64, p.value), 5, colour.filled())),
                )?
                .label(name)
                .legend(move |(x, y)| Circle::new((x + 10, y), 5, colour.filled()));
        }
        draw_icons(root, c)?;
        finish(root, &mut chart)
    }
}

/// The variation and assurance icons, top left, one under the other: a circle in the verdict's colour with a letter
/// (variation: `C` common cause grey, `L` improvement (low) blue, `H` concern (high) orange;
/// assurance: `P` consistently passing blue, `F` consistently failing orange, `?` hit and miss
/// grey), each with its name beneath.
fn draw_icons<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, c: &XmrChart) -> DrawResult<DB> {
    let (variation_letter, variation_colour) = match c.variation {
        Variation::CommonCause => ("C", MDC_COMMON),
        Variation::SpecialCauseImproving => ("L", MDC_IMPROVEMENT),
        Variation::SpecialCauseConcerning => ("H", MDC_CONCERN),
    };
    let mut icons = vec![(
        variation_letter,
        variation_colour,
        format!("Variation: {}", c.variation.label()),
    )];
    if let Some(a) = c.assurance {
        let (letter, colour) = match a {
            Assurance::ConsistentlyPassing => ("P", MDC_IMPROVEMENT),
            Assurance::ConsistentlyFailing => ("F", MDC_CONCERN),
            Assurance::HitAndMiss => ("?", MDC_COMMON),
        };
        icons.push((letter, colour, format!("Assurance: {}", a.label())));
    }
    for (k, (letter, colour, name)) in icons.into_iter().enumerate() {
        let (x, y) = (110, 72 + 40 * k as i32);
        root.draw(&Circle::new((x, y), 16, colour.stroke_width(3)))?;
        root.draw(&Circle::new((x, y), 12, colour.mix(0.25).filled()))?;
        let letter_style = TextStyle::from((FONT_NAME, 18).into_font())
            .color(&colour)
            .pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Center,
            ));
        root.draw(&Text::new(letter.to_string(), (x, y), letter_style))?;
        root.draw(&Text::new(
            name,
            (x + 22, y - 7),
            (FONT_NAME, 13).into_font(),
        ))?;
    }
    Ok(())
}

/// The length-of-stay chart: 14+ and 21+ shares of inpatients each Monday, with their targets.
pub struct LosChart<'a> {
    pub title: &'a str,
    pub points: &'a [LosPoint],
}

impl Chart for LosChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let points = self.points;
        // The first Monday of each month is labelled with the month; the others are not.
        let labels: Vec<String> = points
            .iter()
            .map(|p| {
                if p.day.day() <= 7 {
                    short_month(YearMonth::of(p.day))
                } else {
                    String::new()
                }
            })
            .collect();
        let mut chart = frame(
            root,
            self.title,
            &labels,
            ("Monday snapshot", "% of inpatients"),
            (0.0, 100.0),
            YAxis::Measure,
        )?;
        type Pick = fn(&LosPoint) -> Option<f64>;
        let bands: [(&str, &str, RGBColor, Pick, Pick); 2] = [
            (
                "In hospital 14+ days",
                "14+ target",
                NHS_BLUE,
                |p| p.share_14,
                |p| p.target_14,
            ),
            (
                "In hospital 21+ days",
                "21+ target",
                CONCERN,
                |p| p.share_21,
                |p| p.target_21,
            ),
        ];
        for (name, target_name, colour, share, target) in bands {
            let style = colour.stroke_width(3);
            // One line per run of days with a share (a day without one is a gap).
            let mut first = true;
            for run in runs(points, share) {
                let s = chart.draw_series(LineSeries::new(run.iter().copied(), style))?;
                if std::mem::take(&mut first) {
                    s.label(name).legend(line_key(style));
                }
            }
            chart.draw_series(points.iter().enumerate().filter_map(|(i, p)| {
                share(p).map(|v| Circle::new((i as f64, v), 4, colour.filled()))
            }))?;
            let dashed = colour.mix(0.8).stroke_width(2);
            let mut first = true;
            for run in runs(points, target) {
                let s =
                    chart.draw_series(DashedLineSeries::new(run.iter().copied(), 8, 6, dashed))?;
                if std::mem::take(&mut first) {
                    s.label(target_name).legend(line_key(dashed));
                }
            }
        }
        finish(root, &mut chart)
    }
}

/// The runs of consecutive points where `value` is set, as (x, y) lines.
fn runs<P>(points: &[P], value: fn(&P) -> Option<f64>) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, p) in points.iter().enumerate() {
        match value(p) {
            Some(v) => current.push((i as f64, v)),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the bundled font could not be read")]
    Font,
    #[error("{0}")]
    Draw(String),
    #[error("cannot draw the chart: {0} (check the targets and figures)")]
    Axis(String),
}

/// `chart` drawn as an SVG document of `size` pixels.
pub fn render_svg(size: (u32, u32), chart: &impl Chart) -> Result<String, ChartError> {
    check_axis(&chart.axis_values())?;
    register_font()?;
    let mut svg = String::new();
    chart
        .draw(&SVGBackend::with_string(&mut svg, size).into_drawing_area())
        .map_err(|e| ChartError::Draw(e.to_string()))?;
    Ok(svg)
}

/// `chart` drawn as a bitmap of `size` pixels: RGB, 3 bytes a pixel, row by row (to be encoded as
/// PNG by the caller).
pub fn render_rgb(size: (u32, u32), chart: &impl Chart) -> Result<Vec<u8>, ChartError> {
    check_axis(&chart.axis_values())?;
    register_font()?;
    let mut buf = vec![0u8; size.0 as usize * size.1 as usize * 3];
    chart
        .draw(&BitMapBackend::with_buffer(&mut buf, size).into_drawing_area())
        .map_err(|e| ChartError::Draw(e.to_string()))?;
    Ok(buf)
}

#[cfg(test)]
mod axis_tests {
    use super::*;

    #[test]
    fn absurd_axes_are_refused_before_drawing() {
        let bars = [MonthBar {
            month: YearMonth::new(2018, 7).unwrap(),
            label: "Jul".into(),
            parts: [1.0, 2.0, 3.0],
            target: Some(1e308),
        }];
        let chart = MonthlyChart {
            title: "t",
            unit: "days",
            bars: &bars,
        };
        let e = render_svg((400, 300), &chart).unwrap_err();
        assert!(matches!(e, ChartError::Axis(_)), "{e}");
        assert!(check_axis(&[f64::INFINITY]).is_err());
        assert!(check_axis(&[f64::NAN]).is_err());
        assert!(check_axis(&[0.0, 1e9]).is_ok());
    }

    #[test]
    fn people_are_labelled_in_whole_numbers_only() {
        assert_eq!(people_label(30.0), "30");
        assert_eq!(people_label(0.0), "0");
        assert_eq!(people_label(-0.0), "0");
        assert_eq!(people_label(2.5), "");
        assert_eq!(people_label(1e-12), "0");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ShareMeasure, StayFacts};
    use crate::report::discharge::{los, Targets};
    use crate::store::DischargeTarget;

    const LA: &str = "E06000017";

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn stay(id: i64, la: &str, admitted: &str, discharged: Option<&str>) -> StayFacts {
        StayFacts {
            stay_id: id,
            local_id: format!("S{id}"),
            site_code: "S".into(),
            la_code: crate::domain::LaCode::parse(la).unwrap(),
            admitted_on: d(admitted),
            discharged_on: discharged.map(d),
            pathway: None,
            destination: None,
            usual_residence: None,
            delays: Vec::new(),
        }
    }

    #[test]
    fn los_points_are_the_authoritys_shares_of_inpatients_with_targets() {
        // Every inpatient recorded (none delayed): the denominator is the recorded stays.
        let stays = vec![
            // On Monday 8 Jan 2024: 38 midnights (14+, 21+); on 15 Jan: 45.
            stay(1, LA, "2023-12-01", None),
            // 8 Jan: 15 midnights (14+ only); 15 Jan: 22 (14+, 21+).
            stay(2, LA, "2023-12-24", None),
            // 8 Jan: 3 midnights; left on 12 Jan, so not an inpatient on the 15th.
            stay(3, LA, "2024-01-05", Some("2024-01-12")),
            // 8 Jan: 7 midnights; 15 Jan: 14 (14+).
            stay(4, LA, "2024-01-01", None),
            // Another authority: not in the series.
            stay(5, "E10000018", "2023-11-01", None),
        ];
        let days = [d("2024-01-08"), d("2024-01-15"), d("2024-02-05")];
        let targets = Targets::new(&[DischargeTarget {
            la_code: crate::domain::LaCode::parse(LA).unwrap(),
            month: YearMonth::new(2024, 1).unwrap(),
            measure: ShareMeasure::Los21,
            percent: 40.0,
        }]);
        let care = std::collections::HashMap::new();
        let scope = crate::report::discharge::LosScope {
            care: &care,
            census: &[],
            authorities: 2,
            las: &[],
        };
        let rows = los(&stays, &days, &targets, &scope);
        let p = los_series(&rows, &days, LA);
        assert_eq!(p.len(), 3);
        // 8 Jan: 4 inpatients; 14+ = stays 1, 2 (2 of 4 = 50%); 21+ = stay 1 (25%).
        assert_eq!((p[0].over_14, p[0].over_21), (2, 1));
        assert_eq!((p[0].share_14, p[0].share_21), (Some(50.0), Some(25.0)));
        // The 21+ target of January is 40%; no 14+ target.
        assert_eq!((p[0].target_14, p[0].target_21), (None, Some(40.0)));
        // 15 Jan: 3 inpatients; 14+ = stays 1, 2, 4 (100%); 21+ = stays 1, 2 (2 of 3 = 66.67%).
        assert_eq!((p[1].over_14, p[1].over_21), (3, 2));
        assert_eq!(p[1].share_14, Some(100.0));
        assert_eq!(format!("{:.2}", p[1].share_21.unwrap()), "66.67");
        // 5 Feb: stays 1, 2, 4 still in (66, 43, 35 midnights): all 3 at 14+ and 21+; no February
        // target.
        assert_eq!((p[2].share_14, p[2].share_21), (Some(100.0), Some(100.0)));
        assert_eq!(p[2].target_21, None);
        // A day with no inpatient for the authority has no share: a gap in the line.
        let none = los_series(&rows, &[d("2023-06-05")], LA);
        assert_eq!(none[0].share_14, None);
        let gaps = runs(
            &[none[0].clone(), p[0].clone(), none[0].clone(), p[1].clone()],
            |x| x.share_14,
        );
        assert_eq!(gaps, vec![vec![(1.0, 50.0)], vec![(3.0, 100.0)]]);
    }
}
