//! Statistical process control: the XmR chart of NHS England's "Making Data Count", computed as the
//! NHS-R community's NHSRplotthedots 0.2.2 computes it (`R/ptd_spc_standard.R`,
//! `R/ptd_calculate_point_type.R`; docs/spc.md).
//!
//! Lower is better throughout (fewer delayed days, a lower rate).
//!
//! - **Limits**, for each segment of the series (the whole series, or the stretches between rebase
//!   months): the mean of the points; the moving ranges `|x(i) − x(i−1)|`; their mean (AMR). With
//!   screening (the default) moving ranges of at least `3.267 × AMR` are dropped and the AMR is
//!   recomputed from the rest. Process limits `mean ± 2.66 × AMR`; the near-limit lines at two thirds
//!   of that width, `mean ± (2 × 2.66 / 3) × AMR` (about 2 sigma). With a baseline of N points, the
//!   mean and AMR come from the first N points of each segment only, and hold for the rest of it.
//!   Means are computed as R's `mean()` does (to the last bit), so a point equal to the mean is on it.
//! - **Rules**, applied within each segment (a run never crosses a rebase), each flagging points:
//!   outside the limits (strictly beyond); a trend of 7 points with 6 consecutive strict rises or
//!   falls (a tie breaks it), every point flagged; two in three: 3 consecutive points all on one side
//!   of the mean with at least 2 beyond a near-limit line but not outside the limit (a point on the
//!   limit counts, a point beyond it does not), those near-limit points flagged; a shift of 7 or more points on one side
//!   of the mean (a point on the mean breaks it), every point flagged.
//! - **Point type**: a flagged point is named by the first rule that flags it, in the order above
//!   (outside the limits, trend, two in three, shift), and takes that rule's direction: beyond the
//!   upper limit, a rising trend, two in three or a shift above the mean are high (concern); the
//!   opposite are low (improvement). So a rising trend is a concern even below the mean, and a
//!   falling one an improvement above it. A trend point's direction is its step to the next point
//!   when that is in a trend too, else its step from the one before (`ptd_special_cause_type`); the
//!   package calls only a rise "Increasing", so where two trends meet at a tie (…, 9.8, 10, 10, 10.2,
//!   …) the point before the tie reads as falling: improvement. Every flag of a point carries its own
//!   rule's direction; the point's type is its first flag's.
//!   The package's own types for every point of 166 series (run from its R source) are checked
//!   in `tests/point_types.rs`.
//! - **Variation** is the type of the last point; **assurance** compares the last month's target
//!   with the last segment's limits: above the upper limit consistently passing, below the lower
//!   limit consistently failing, otherwise (a limit itself included) hit and miss.
//!
//! Choices made here, where the package leaves room:
//!
//! - A segment with a zero AMR (all its points equal) is not screened: NHSRplotthedots would drop
//!   every moving range (`0 ≥ 3.267 × 0`) and draw no limits at all.
//! - The lower limit may be below zero for a count that cannot be; it is kept as computed (callers
//!   may clip it when drawing) so that the limits stay symmetric and assurance uses the real value.
//! - "Trial limits": a segment of fewer than 13 points (counting all its points, not the baseline).
//! - Months must be in strictly increasing order; gaps are allowed (consecutive values are compared
//!   as given, as the package does).
//! - The package names each point by one rule; a point here lists every rule that flags it, in
//!   the package's precedence (its `case_when`): outside the limits, trend, two in three, shift.
//! - A baseline applies to each segment (R's `fix_after_n_points` within each rebase group); a
//!   segment shorter than the baseline uses all its points.

mod rules;
#[cfg(test)]
mod tests;

use crate::domain::YearMonth;
use serde::Serialize;

/// The multiplier of the average moving range that gives the process limits (3 / 1.128, rounded).
pub const LIMIT_FACTOR: f64 = 2.66;
/// The near-limit lines: two thirds of the limit width, `2 × (2.66 / 3)` as NHSRplotthedots writes it.
pub const NEAR_FACTOR: f64 = 2.0 * (LIMIT_FACTOR / 3.0);
/// Screening: a moving range of at least this multiple of the average moving range is dropped.
pub const SCREEN_FACTOR: f64 = 3.267;
/// The bias-correction constant d2 for moving ranges of two: sigma = average moving range / d2.
pub const D2: f64 = 1.128;
/// Points in a run on one side of the mean that make a shift.
pub const SHIFT_LENGTH: usize = 7;
/// Points in a run, each strictly above (or below) the one before, that make a trend (6 steps).
pub const TREND_LENGTH: usize = 7;
/// The fewest points a baseline may fix the limits on.
pub const MIN_BASELINE: usize = 12;
/// A segment of fewer points than this has "trial limits".
pub const FIRM_LIMITS: usize = 13;

/// Why a chart cannot be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpcError {
    /// An XmR chart needs at least one moving range, so two points.
    #[error("an SPC chart needs at least 2 points, got {0}")]
    TooFewPoints(usize),
    /// A value that is infinite or not a number.
    #[error("the value for {0} is not a number")]
    NotFinite(YearMonth),
    /// Months out of order or repeated.
    #[error("months must be in increasing order without repeats: {0} follows {1}")]
    NotInOrder(YearMonth, YearMonth),
    /// A target that is infinite or not a number.
    #[error("the target is not a number")]
    BadTarget,
    /// A baseline shorter than [`MIN_BASELINE`].
    #[error("a baseline needs at least 12 points, got {0}")]
    BaselineTooShort(usize),
    /// A rebase month that is not one of the series' months.
    #[error("the rebase month {0} is not in the series")]
    RebaseNotInSeries(YearMonth),
    /// A segment (from a rebase month) with a single point: no moving range, no limits.
    #[error("the limits from {0} need at least 2 points before the next rebase or the end")]
    SegmentTooShort(YearMonth),
}

/// Whether a special cause is good or bad news (lower is better): low is improvement, high concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Low: below the lower limit or the mean, or a falling trend.
    Improving,
    /// High: above the upper limit or the mean, or a rising trend.
    Concerning,
}

impl Direction {
    /// `improving` or `concerning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Improving => "improving",
            Self::Concerning => "concerning",
        }
    }

    /// The type of a point that this direction names: improvement or concern.
    pub fn point_type(self) -> PointType {
        match self {
            Self::Improving => PointType::Improvement,
            Self::Concerning => PointType::Concern,
        }
    }

    fn opposite(self) -> Self {
        match self {
            Self::Improving => Self::Concerning,
            Self::Concerning => Self::Improving,
        }
    }
}

/// The special-cause rules of "Making Data Count", declared in precedence order (the order a
/// point's rules are listed in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpcRule {
    /// A point outside the process limits.
    BeyondLimit,
    /// Part of 7 or more points, each strictly higher (or each lower) than the one before.
    Trend,
    /// Two or three of three consecutive points, all on one side of the mean, near a limit.
    TwoOfThree,
    /// Part of a run of 7 or more points on one side of the mean.
    Shift,
}

impl SpcRule {
    /// The name used in the `special_cause` text: `outside limits`, `trend`, `two in three`,
    /// `shift`.
    pub fn name(self) -> &'static str {
        match self {
            Self::BeyondLimit => "outside limits",
            Self::Trend => "trend",
            Self::TwoOfThree => "two in three",
            Self::Shift => "shift",
        }
    }

    /// A short description for a legend.
    pub fn label(self) -> &'static str {
        match self {
            Self::BeyondLimit => "outside the process limits",
            Self::Trend => "7 or more rising or falling",
            Self::TwoOfThree => "2 of 3 near a process limit",
            Self::Shift => "7 or more on one side of the mean",
        }
    }
}

/// One special-cause flag on a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct SpecialCause {
    /// The rule that fired.
    pub rule: SpcRule,
    /// Good or bad news by this rule: the point's side of the mean, or for a trend the direction of
    /// its step (a rising trend below the mean is concerning while a shift below it is improving).
    pub direction: Direction,
}

/// What a point is, as Making Data Count colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PointType {
    /// No rule flags the point (grey).
    CommonCause,
    /// Flagged, and its first rule is low: below the lower limit or the mean, or a falling trend
    /// (blue).
    Improvement,
    /// Flagged, and its first rule is high: above the upper limit or the mean, or a rising trend
    /// (orange).
    Concern,
}

impl PointType {
    /// `common cause`, `improvement`, `concern`.
    pub fn label(self) -> &'static str {
        match self {
            Self::CommonCause => "common cause",
            Self::Improvement => "improvement",
            Self::Concern => "concern",
        }
    }
}

/// One point of the chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpcPoint {
    /// The month.
    pub month: YearMonth,
    /// The value plotted.
    pub value: f64,
    /// `|value − previous value|` within the segment; `None` for a segment's first point. Given for
    /// every point, screened out or after a baseline or not.
    pub moving_range: Option<f64>,
    /// The special causes this point is part of, in precedence order, each rule at most once; the
    /// first names the point.
    pub flags: Vec<SpecialCause>,
    /// Common cause, improvement or concern.
    pub point_type: PointType,
    /// The index in [`XmrChart::segments`] of the limits that hold for this point.
    pub segment: usize,
    /// That segment's mean.
    pub mean: f64,
    /// That segment's lower process limit.
    pub lower_limit: f64,
    /// That segment's upper process limit.
    pub upper_limit: f64,
    /// This month's target (same unit as the value), if any.
    pub target: Option<f64>,
}

impl SpcPoint {
    /// The `special_cause` text: empty for common cause, else the point's type and the rules that
    /// flag it in that direction, in precedence order (the rule that names the point first), then
    /// any rule pointing the other way under its own type: `concern: outside limits; shift`,
    /// `concern: trend; improvement: shift` (a rising trend below the mean).
    pub fn special_cause(&self) -> String {
        let Some(first) = self.flags.first() else {
            return String::new();
        };
        let group = |direction: Direction| {
            let rules: Vec<&str> = self
                .flags
                .iter()
                .filter(|f| f.direction == direction)
                .map(|f| f.rule.name())
                .collect();
            (!rules.is_empty())
                .then(|| format!("{}: {}", direction.point_type().label(), rules.join("; ")))
        };
        [group(first.direction), group(first.direction.opposite())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The limits of one segment: the whole series, or from a rebase month to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpcSegment {
    /// The first month.
    pub start: YearMonth,
    /// The points in the segment.
    pub points: usize,
    /// The points the mean and limits are computed from (the baseline, or all).
    pub baseline_points: usize,
    /// Moving ranges dropped by screening.
    pub screened_out: usize,
    /// Mean of the baseline points.
    pub mean: f64,
    /// Average moving range of the baseline points, after screening.
    pub mean_moving_range: f64,
    /// `mean − 2.66 × AMR`; may be below zero (kept as computed).
    pub lower_limit: f64,
    /// `mean + 2.66 × AMR`.
    pub upper_limit: f64,
    /// `mean − (2 × 2.66 / 3) × AMR`: below it (and not below the limit) is near the lower limit.
    pub lower_near: f64,
    /// `mean + (2 × 2.66 / 3) × AMR`.
    pub upper_near: f64,
    /// Fewer than 13 points in the segment.
    pub trial_limits: bool,
}

/// The variation icon: the type of the latest point, named as Making Data Count names it (lower is
/// better, so improvement is always low and concern high).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Variation {
    /// The latest point is common cause.
    CommonCause,
    /// The latest point is special cause, improvement (low).
    SpecialCauseImproving,
    /// The latest point is special cause, concern.
    SpecialCauseConcerning,
}

impl Variation {
    /// `common cause`, `special cause: improving`, `special cause: concerning` (the app's SPC view
    /// until it moves to [`Variation::label`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CommonCause => "common cause",
            Self::SpecialCauseImproving => "special cause: improving",
            Self::SpecialCauseConcerning => "special cause: concerning",
        }
    }

    /// Making Data Count's name: `common cause`, `special cause improvement (low)`,
    /// `special cause concern (high)`.
    pub fn label(self) -> &'static str {
        match self {
            Self::CommonCause => "common cause",
            Self::SpecialCauseImproving => "special cause improvement (low)",
            Self::SpecialCauseConcerning => "special cause concern (high)",
        }
    }
}

/// The assurance icon: will the process meet its target (a ceiling: lower is better)?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assurance {
    /// The target is above the upper process limit: the process will meet it month after month.
    ConsistentlyPassing,
    /// The target is below the lower process limit: the process will miss it unless it changes.
    ConsistentlyFailing,
    /// The target lies between the limits (a limit itself included): sometimes met, sometimes not.
    HitAndMiss,
}

impl Assurance {
    /// `consistently passing`, `consistently failing`, `hit and miss`.
    pub fn label(self) -> &'static str {
        match self {
            Self::ConsistentlyPassing => "consistently passing",
            Self::ConsistentlyFailing => "consistently failing",
            Self::HitAndMiss => "hit and miss",
        }
    }

    /// The same as [`Assurance::label`].
    pub fn as_str(self) -> &'static str {
        self.label()
    }
}

/// How to compute the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpcOptions {
    /// Drop moving ranges of at least 3.267 × AMR before the limits are drawn (default on).
    pub screen: bool,
    /// Fix the mean and limits of each segment on its first N points (N ≥ 12).
    pub baseline: Option<usize>,
    /// Months at which new limits start (each must be one of the series' months).
    pub rebase: Vec<YearMonth>,
}

impl Default for SpcOptions {
    fn default() -> Self {
        Self {
            screen: true,
            baseline: None,
            rebase: Vec::new(),
        }
    }
}

/// An XmR chart of a monthly series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct XmrChart {
    /// Mean of the last segment.
    pub mean: f64,
    /// Average moving range of the last segment (after screening).
    pub mean_moving_range: f64,
    /// `mean_moving_range / 1.128`.
    pub sigma: f64,
    /// Upper process limit of the last segment, `mean + 2.66 × AMR`.
    pub upper_limit: f64,
    /// Lower process limit of the last segment, `mean − 2.66 × AMR`; may be below zero.
    pub lower_limit: f64,
    /// The upper near-limit line of the last segment, `mean + (2 × 2.66 / 3) × AMR` (about 2 sigma).
    pub upper_two_sigma: f64,
    /// The lower near-limit line of the last segment.
    pub lower_two_sigma: f64,
    /// The points, in month order, with their flags.
    pub points: Vec<SpcPoint>,
    /// The verdict on the latest point.
    pub variation: Variation,
    /// The last month's target (same unit as the values), if any.
    pub target: Option<f64>,
    /// The assurance of the last segment's limits against `target`; `None` without one.
    pub assurance: Option<Assurance>,
    /// The limits, one per segment (one without rebasing).
    pub segments: Vec<SpcSegment>,
    /// The last segment has trial limits (fewer than 13 points).
    pub trial_limits: bool,
    /// Whether moving ranges were screened.
    pub screen: bool,
}

/// Builds the XmR chart of `series` (in month order) with the default options (screening on, no
/// baseline, no rebase), every month judged against the same `target` (a ceiling in the same unit
/// as the values; lower is better). Fewer than two points is an error, never a panic.
pub fn xmr(series: &[(YearMonth, f64)], target: Option<f64>) -> Result<XmrChart, SpcError> {
    let with_targets: Vec<(YearMonth, f64, Option<f64>)> =
        series.iter().map(|&(m, v)| (m, v, target)).collect();
    spc(&with_targets, &SpcOptions::default())
}

/// Builds the XmR chart of `series` — `(month, value, that month's target)` in month order — as
/// `options` say. Assurance uses the last month's target.
pub fn spc(
    series: &[(YearMonth, f64, Option<f64>)],
    options: &SpcOptions,
) -> Result<XmrChart, SpcError> {
    if series.len() < 2 {
        return Err(SpcError::TooFewPoints(series.len()));
    }
    for &(month, value, target) in series {
        if !value.is_finite() {
            return Err(SpcError::NotFinite(month));
        }
        if target.is_some_and(|t| !t.is_finite()) {
            return Err(SpcError::BadTarget);
        }
    }
    for w in series.windows(2) {
        if w[1].0 <= w[0].0 {
            return Err(SpcError::NotInOrder(w[1].0, w[0].0));
        }
    }
    if let Some(n) = options.baseline.filter(|&n| n < MIN_BASELINE) {
        return Err(SpcError::BaselineTooShort(n));
    }

    // Segment starts: the first point, then each rebase month.
    let mut starts = vec![0];
    for &month in &options.rebase {
        let i = series
            .iter()
            .position(|p| p.0 == month)
            .ok_or(SpcError::RebaseNotInSeries(month))?;
        starts.push(i);
    }
    starts.sort_unstable();
    starts.dedup();

    let values: Vec<f64> = series.iter().map(|p| p.1).collect();
    let mut segments = Vec::with_capacity(starts.len());
    let mut points = Vec::with_capacity(series.len());
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(series.len());
        let seg_month = series[start].0;
        if end - start < 2 {
            return Err(SpcError::SegmentTooShort(seg_month));
        }
        let y = &values[start..end];
        let seg = segment(seg_month, y, options);
        for (j, flags) in rules::flags(y, &seg).into_iter().enumerate() {
            let (month, value, target) = series[start + j];
            let point_type = flags
                .first()
                .map_or(PointType::CommonCause, |f| f.direction.point_type());
            points.push(SpcPoint {
                month,
                value,
                moving_range: j.checked_sub(1).map(|i| (value - y[i]).abs()),
                flags,
                point_type,
                segment: k,
                mean: seg.mean,
                lower_limit: seg.lower_limit,
                upper_limit: seg.upper_limit,
                target,
            });
        }
        segments.push(seg);
    }

    let (last_seg, last) = match (segments.last(), points.last()) {
        (Some(s), Some(p)) => (s.clone(), p),
        _ => return Err(SpcError::TooFewPoints(series.len())),
    };
    let variation = match last.point_type {
        PointType::CommonCause => Variation::CommonCause,
        PointType::Improvement => Variation::SpecialCauseImproving,
        PointType::Concern => Variation::SpecialCauseConcerning,
    };
    let target = last.target;
    let assurance = target.map(|t| {
        if t > last_seg.upper_limit {
            Assurance::ConsistentlyPassing
        } else if t < last_seg.lower_limit {
            Assurance::ConsistentlyFailing
        } else {
            Assurance::HitAndMiss
        }
    });

    Ok(XmrChart {
        mean: last_seg.mean,
        mean_moving_range: last_seg.mean_moving_range,
        sigma: last_seg.mean_moving_range / D2,
        upper_limit: last_seg.upper_limit,
        lower_limit: last_seg.lower_limit,
        upper_two_sigma: last_seg.upper_near,
        lower_two_sigma: last_seg.lower_near,
        points,
        variation,
        target,
        assurance,
        trial_limits: last_seg.trial_limits,
        segments,
        screen: options.screen,
    })
}

/// The mean as R's `mean()` computes it: the sum over the count, then corrected by the mean of
/// the residuals. R sums in extended precision; a compensated (Neumaier) sum gives the same last bit
/// here, so a point equal to the mean (9.9 among values averaging 9.9) is on it, not a hair to one
/// side, and runs break there as in NHSRplotthedots.
fn mean(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let m = sum(xs.iter().copied()) / n;
    if !m.is_finite() {
        return m;
    }
    m + sum(xs.iter().map(|&x| x - m)) / n
}

/// Neumaier's compensated sum.
fn sum(xs: impl Iterator<Item = f64>) -> f64 {
    let (mut total, mut lost) = (0.0_f64, 0.0_f64);
    for x in xs {
        let t = total + x;
        lost += if total.abs() >= x.abs() {
            (total - t) + x
        } else {
            (x - t) + total
        };
        total = t;
    }
    total + lost
}

/// The limits of one segment of at least two points, `y`, starting in `start`.
fn segment(start: YearMonth, y: &[f64], options: &SpcOptions) -> SpcSegment {
    let fixed = &y[..options.baseline.map_or(y.len(), |n| n.min(y.len()))];
    let m = mean(fixed);
    let ranges: Vec<f64> = fixed.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let mut amr = mean(&ranges);
    let mut screened_out = 0;
    if options.screen && amr > 0.0 {
        let kept: Vec<f64> = ranges
            .iter()
            .copied()
            .filter(|&r| r < SCREEN_FACTOR * amr)
            .collect();
        screened_out = ranges.len() - kept.len();
        amr = mean(&kept);
    }
    SpcSegment {
        start,
        points: y.len(),
        baseline_points: fixed.len(),
        screened_out,
        mean: m,
        mean_moving_range: amr,
        lower_limit: m - LIMIT_FACTOR * amr,
        upper_limit: m + LIMIT_FACTOR * amr,
        lower_near: m - NEAR_FACTOR * amr,
        upper_near: m + NEAR_FACTOR * amr,
        trial_limits: y.len() < FIRM_LIMITS,
    }
}
