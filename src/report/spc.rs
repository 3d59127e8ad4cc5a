//! Statistical process control: the XmR chart of NHS England's "Making Data Count".
//!
//! Lower is better throughout (fewer delayed days, a lower rate): a point below the mean, a falling
//! trend or a point below the lower limit is *improving*; the mirror images are *concerning*.
//!
//! Choices made here, where the guidance leaves room:
//!
//! - Limits are `mean ± 2.66 × mean moving range` over the whole series (no baseline, no re-phasing,
//!   no screening of large moving ranges). The lower limit may be below zero for a count that cannot
//!   be; it is kept as computed (callers may clip it when drawing) so that the limits stay symmetric
//!   and the assurance judgement uses the real value.
//! - Sigma is `mean moving range / 1.128`; the "2 of 3" rule uses `mean ± 2 sigma`.
//! - Comparisons are strict: a point exactly on a limit is not beyond it, a point exactly on the mean
//!   breaks a run, and two equal consecutive points break a trend.
//! - "2 of 3": in any three consecutive points, when two or three are beyond 2 sigma on the same side,
//!   those points (not the third one) are flagged.
//! - Months must be in strictly increasing order; gaps are allowed (consecutive values are compared
//!   as given).
//! - The variation verdict is judged on the most recent point only: special cause when it carries a
//!   flag, common cause otherwise (an old, finished special cause does not colour today's verdict).
//!   If the latest point carries both an improving and a concerning flag (say a rising trend still
//!   below the mean), the verdict is concerning: the one a discharge hub must not miss.

use crate::domain::YearMonth;
use serde::Serialize;

/// The multiplier of the mean moving range that gives the process limits (3 / 1.128, rounded).
pub const LIMIT_FACTOR: f64 = 2.66;
/// The bias-correction constant d2 for moving ranges of two: sigma = mean moving range / d2.
pub const D2: f64 = 1.128;
/// Points in a run on one side of the mean that make a shift.
pub const SHIFT_LENGTH: usize = 7;
/// Points in a run each strictly above (or below) the previous that make a trend.
pub const TREND_LENGTH: usize = 6;

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
}

/// Whether a special cause is good or bad news (lower is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Lower than expected: below the mean, falling, or below the lower limit.
    Improving,
    /// Higher than expected: above the mean, rising, or above the upper limit.
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
}

/// The special-cause rules of "Making Data Count".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpcRule {
    /// A point beyond a process limit.
    BeyondLimit,
    /// Part of a run of 7 or more points on one side of the mean.
    Shift,
    /// Part of 6 or more points each strictly higher (or lower) than the one before.
    Trend,
    /// Two of three consecutive points beyond 2 sigma on the same side.
    TwoOfThree,
}

impl SpcRule {
    /// A short description for a legend.
    pub fn label(self) -> &'static str {
        match self {
            Self::BeyondLimit => "beyond a process limit",
            Self::Shift => "run of 7 or more on one side of the mean",
            Self::Trend => "6 or more rising or falling",
            Self::TwoOfThree => "2 of 3 beyond 2 sigma",
        }
    }
}

/// One special-cause flag on a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct SpecialCause {
    /// The rule that fired.
    pub rule: SpcRule,
    /// Good or bad news.
    pub direction: Direction,
}

/// One point of the chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpcPoint {
    /// The month.
    pub month: YearMonth,
    /// The value plotted.
    pub value: f64,
    /// `|value − previous value|`; `None` for the first point.
    pub moving_range: Option<f64>,
    /// The special causes this point is part of (each rule and direction at most once).
    pub flags: Vec<SpecialCause>,
}

/// The variation icon: is the latest point explained by common cause?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Variation {
    /// The latest point carries no special-cause flag.
    CommonCause,
    /// The latest point is part of an improving special cause only.
    SpecialCauseImproving,
    /// The latest point is part of a concerning special cause.
    SpecialCauseConcerning,
}

impl Variation {
    /// `common cause`, `special cause: improving`, `special cause: concerning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CommonCause => "common cause",
            Self::SpecialCauseImproving => "special cause: improving",
            Self::SpecialCauseConcerning => "special cause: concerning",
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
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConsistentlyPassing => "consistently passing",
            Self::ConsistentlyFailing => "consistently failing",
            Self::HitAndMiss => "hit and miss",
        }
    }
}

/// An XmR chart of a monthly series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct XmrChart {
    /// Mean of the values.
    pub mean: f64,
    /// Mean of the moving ranges.
    pub mean_moving_range: f64,
    /// `mean_moving_range / 1.128`.
    pub sigma: f64,
    /// Upper process limit, `mean + 2.66 × mean_moving_range`.
    pub upper_limit: f64,
    /// Lower process limit, `mean − 2.66 × mean_moving_range`; may be below zero (kept as computed).
    pub lower_limit: f64,
    /// `mean + 2 sigma`.
    pub upper_two_sigma: f64,
    /// `mean − 2 sigma`.
    pub lower_two_sigma: f64,
    /// The points, in month order, with their flags.
    pub points: Vec<SpcPoint>,
    /// The verdict on the latest point.
    pub variation: Variation,
    /// The target the chart was judged against (same unit as the values), if any.
    pub target: Option<f64>,
    /// The assurance against `target`; `None` without one.
    pub assurance: Option<Assurance>,
}

fn flag(points: &mut [SpcPoint], range: std::ops::Range<usize>, cause: SpecialCause) {
    for p in &mut points[range] {
        if !p.flags.contains(&cause) {
            p.flags.push(cause);
        }
    }
}

/// Flags every maximal run (of indices where `holds(i)`) of at least `min_len` points.
fn flag_runs(
    points: &mut [SpcPoint],
    min_len: usize,
    cause: SpecialCause,
    holds: impl Fn(usize) -> bool,
) {
    let n = points.len();
    let mut start = 0;
    while start < n {
        if !holds(start) {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < n && holds(end) {
            end += 1;
        }
        if end - start >= min_len {
            flag(points, start..end, cause);
        }
        start = end;
    }
}

/// Builds the XmR chart of `series` (in month order) and judges it against `target` (a ceiling in the
/// same unit as the values; lower is better). Fewer than two points is an error, never a panic.
pub fn xmr(series: &[(YearMonth, f64)], target: Option<f64>) -> Result<XmrChart, SpcError> {
    if series.len() < 2 {
        return Err(SpcError::TooFewPoints(series.len()));
    }
    for &(month, value) in series {
        if !value.is_finite() {
            return Err(SpcError::NotFinite(month));
        }
    }
    for w in series.windows(2) {
        if w[1].0 <= w[0].0 {
            return Err(SpcError::NotInOrder(w[1].0, w[0].0));
        }
    }
    if target.is_some_and(|t| !t.is_finite()) {
        return Err(SpcError::BadTarget);
    }

    let n = series.len() as f64;
    let mean = series.iter().map(|&(_, v)| v).sum::<f64>() / n;
    let mean_moving_range = series
        .windows(2)
        .map(|w| (w[1].1 - w[0].1).abs())
        .sum::<f64>()
        / (n - 1.0);
    let sigma = mean_moving_range / D2;
    let upper_limit = mean + LIMIT_FACTOR * mean_moving_range;
    let lower_limit = mean - LIMIT_FACTOR * mean_moving_range;
    let upper_two_sigma = mean + 2.0 * sigma;
    let lower_two_sigma = mean - 2.0 * sigma;

    let mut points: Vec<SpcPoint> = series
        .iter()
        .enumerate()
        .map(|(i, &(month, value))| SpcPoint {
            month,
            value,
            moving_range: i.checked_sub(1).map(|j| (value - series[j].1).abs()),
            flags: Vec::new(),
        })
        .collect();
    let v: Vec<f64> = series.iter().map(|&(_, v)| v).collect();
    let improving = |rule| SpecialCause {
        rule,
        direction: Direction::Improving,
    };
    let concerning = |rule| SpecialCause {
        rule,
        direction: Direction::Concerning,
    };

    // Beyond a process limit.
    for (i, &x) in v.iter().enumerate() {
        if x > upper_limit {
            flag(&mut points, i..i + 1, concerning(SpcRule::BeyondLimit));
        } else if x < lower_limit {
            flag(&mut points, i..i + 1, improving(SpcRule::BeyondLimit));
        }
    }

    // Shift: a run of 7+ on one side of the mean.
    flag_runs(&mut points, SHIFT_LENGTH, concerning(SpcRule::Shift), |i| {
        v[i] > mean
    });
    flag_runs(&mut points, SHIFT_LENGTH, improving(SpcRule::Shift), |i| {
        v[i] < mean
    });

    // Trend: 6+ points each strictly above (below) the one before. Point i "continues" a rise when
    // v[i] > v[i-1]; a run of 5 continuations plus the point it starts from is 6 points.
    let mut flag_trend = |cause: SpecialCause, step: fn(f64, f64) -> bool| {
        let mut start = 0;
        for i in 1..=v.len() {
            if i < v.len() && step(v[i - 1], v[i]) {
                continue;
            }
            if i - start >= TREND_LENGTH {
                flag(&mut points, start..i, cause);
            }
            start = i;
        }
    };
    flag_trend(concerning(SpcRule::Trend), |a, b| b > a);
    flag_trend(improving(SpcRule::Trend), |a, b| b < a);

    // Two of three consecutive points beyond 2 sigma on the same side: flag those points.
    for start in 0..v.len().saturating_sub(2) {
        let window = start..start + 3;
        let above: Vec<usize> = window.clone().filter(|&i| v[i] > upper_two_sigma).collect();
        let below: Vec<usize> = window.filter(|&i| v[i] < lower_two_sigma).collect();
        if above.len() >= 2 {
            for i in above {
                flag(&mut points, i..i + 1, concerning(SpcRule::TwoOfThree));
            }
        }
        if below.len() >= 2 {
            for i in below {
                flag(&mut points, i..i + 1, improving(SpcRule::TwoOfThree));
            }
        }
    }

    let variation = match points.last() {
        Some(p) if p.flags.iter().any(|f| f.direction == Direction::Concerning) => {
            Variation::SpecialCauseConcerning
        }
        Some(p) if !p.flags.is_empty() => Variation::SpecialCauseImproving,
        _ => Variation::CommonCause,
    };
    let assurance = target.map(|t| {
        if t > upper_limit {
            Assurance::ConsistentlyPassing
        } else if t < lower_limit {
            Assurance::ConsistentlyFailing
        } else {
            Assurance::HitAndMiss
        }
    });

    Ok(XmrChart {
        mean,
        mean_moving_range,
        sigma,
        upper_limit,
        lower_limit,
        upper_two_sigma,
        lower_two_sigma,
        points,
        variation,
        target,
        assurance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values from April 2016, one a month.
    fn series(values: &[f64]) -> Vec<(YearMonth, f64)> {
        let start = YearMonth::new(2016, 4).unwrap();
        values
            .iter()
            .enumerate()
            .map(|(i, &v)| (start.add_months(i as i32), v))
            .collect()
    }

    /// `n` points alternating 9, 11, 9, … (or 11, 9, … when `high_first`): stable, no signal.
    fn alternating(n: usize, high_first: bool) -> Vec<f64> {
        (0..n)
            .map(|i| {
                if (i % 2 == 0) == high_first {
                    11.0
                } else {
                    9.0
                }
            })
            .collect()
    }

    fn chart(values: &[f64]) -> XmrChart {
        xmr(&series(values), None).unwrap()
    }

    /// Indices of points flagged by `rule` in `direction`.
    fn flagged(c: &XmrChart, rule: SpcRule, direction: Direction) -> Vec<usize> {
        let cause = SpecialCause { rule, direction };
        (0..c.points.len())
            .filter(|&i| c.points[i].flags.contains(&cause))
            .collect()
    }

    fn no_flags(c: &XmrChart) -> bool {
        c.points.iter().all(|p| p.flags.is_empty())
    }

    #[test]
    fn too_few_points_is_an_error_not_a_panic() {
        assert_eq!(xmr(&[], None), Err(SpcError::TooFewPoints(0)));
        assert_eq!(
            xmr(&series(&[5.0]), Some(3.0)),
            Err(SpcError::TooFewPoints(1))
        );
        assert!(xmr(&series(&[5.0, 6.0]), None).is_ok());
        assert!(SpcError::TooFewPoints(1).to_string().contains("at least 2"));
    }

    #[test]
    fn bad_input_is_refused() {
        let mut s = series(&[1.0, 2.0, 3.0]);
        assert_eq!(xmr(&s, Some(f64::NAN)), Err(SpcError::BadTarget));
        s[1].1 = f64::NAN;
        assert_eq!(xmr(&s, None), Err(SpcError::NotFinite(s[1].0)));
        let mut s = series(&[1.0, 2.0, 3.0]);
        s.swap(0, 1);
        assert!(matches!(xmr(&s, None), Err(SpcError::NotInOrder(..))));
        let mut s = series(&[1.0, 2.0]);
        s[1].0 = s[0].0;
        assert!(matches!(xmr(&s, None), Err(SpcError::NotInOrder(..))));
    }

    #[test]
    fn mean_moving_range_and_limits() {
        let c = chart(&[10.0, 12.0, 11.0, 13.0, 12.0]);
        assert!((c.mean - 11.6).abs() < 1e-12);
        // Moving ranges 2, 1, 2, 1.
        assert_eq!(c.mean_moving_range, 1.5);
        assert_eq!(c.points[0].moving_range, None);
        assert_eq!(c.points[3].moving_range, Some(2.0));
        assert!((c.upper_limit - 15.59).abs() < 1e-12);
        assert!((c.lower_limit - 7.61).abs() < 1e-12);
        assert!((c.sigma - 1.5 / 1.128).abs() < 1e-12);
        assert!((c.upper_two_sigma - (11.6 + 3.0 / 1.128)).abs() < 1e-12);
        assert!(no_flags(&c));
        assert_eq!(c.variation, Variation::CommonCause);
        assert_eq!(c.assurance, None);
    }

    #[test]
    fn stable_series_has_no_special_cause() {
        for n in [2, 3, 12, 24] {
            let c = chart(&alternating(n, false));
            assert!(no_flags(&c), "{n}");
            assert_eq!(c.variation, Variation::CommonCause);
        }
        // A constant series: zero moving range, limits on the mean, nothing beyond them.
        let c = chart(&[4.0; 10]);
        assert_eq!((c.upper_limit, c.lower_limit), (4.0, 4.0));
        assert!(no_flags(&c));
    }

    #[test]
    fn beyond_limits() {
        // 20 points alternating 9/11, then 30: mean 10.95, mean MR 2.85, upper limit 18.53.
        let mut v = alternating(20, false);
        v.push(30.0);
        let c = chart(&v);
        assert!((c.upper_limit - (230.0 / 21.0 + 2.66 * 2.85)).abs() < 1e-9);
        assert_eq!(
            flagged(&c, SpcRule::BeyondLimit, Direction::Concerning),
            vec![20]
        );
        assert!(c.points[..20].iter().all(|p| p.flags.is_empty()));
        assert_eq!(c.points[20].flags.len(), 1);
        assert_eq!(c.variation, Variation::SpecialCauseConcerning);

        // The mirror image: a low point below the lower limit is improving.
        let mut v: Vec<f64> = alternating(20, false).iter().map(|x| x + 20.0).collect();
        v.push(10.0);
        let c = chart(&v);
        assert!(c.points[20].value < c.lower_limit);
        assert_eq!(
            flagged(&c, SpcRule::BeyondLimit, Direction::Improving),
            vec![20]
        );
        assert_eq!(c.variation, Variation::SpecialCauseImproving);

        // A smaller jump (to 15) stays inside the upper limit.
        let mut v = alternating(20, false);
        v.push(15.0);
        let c = chart(&v);
        assert!(c.points[20].value < c.upper_limit);
        assert!(flagged(&c, SpcRule::BeyondLimit, Direction::Concerning).is_empty());
    }

    #[test]
    fn a_past_special_cause_does_not_colour_the_latest_verdict() {
        let mut v = alternating(10, false);
        v.push(30.0);
        v.extend(alternating(10, false));
        let c = chart(&v);
        assert_eq!(
            flagged(&c, SpcRule::BeyondLimit, Direction::Concerning),
            vec![10]
        );
        assert!(c.points[20].flags.is_empty());
        assert_eq!(c.variation, Variation::CommonCause);
    }

    #[test]
    fn shift_of_seven_or_more() {
        // 9, 11, …, 11 then seven points 10.5/11.5: mean 10.38, so the last base point (11) and the
        // seven after it make a run of 8 above the mean.
        let mut v = alternating(10, false);
        v.extend([10.5, 11.5, 10.5, 11.5, 10.5, 11.5, 10.5]);
        let c = chart(&v);
        assert!((c.mean - 176.5 / 17.0).abs() < 1e-12);
        assert_eq!(
            flagged(&c, SpcRule::Shift, Direction::Concerning),
            (9..17).collect::<Vec<_>>()
        );
        assert!(c.points[..9].iter().all(|p| p.flags.is_empty()));
        assert!(c.points[9..].iter().all(|p| p.flags.len() == 1));
        assert_eq!(c.variation, Variation::SpecialCauseConcerning);

        // Only 6 on one side (the base now ends below the mean): no shift.
        let mut v = alternating(10, true);
        v.extend([10.5, 11.5, 10.5, 11.5, 10.5, 11.5]);
        let c = chart(&v);
        assert!(c.points[9].value < c.mean);
        assert!(no_flags(&c));

        // Below the mean is improving.
        let mut v = alternating(10, true);
        v.extend([9.5, 8.5, 9.5, 8.5, 9.5, 8.5, 9.5]);
        let c = chart(&v);
        assert_eq!(
            flagged(&c, SpcRule::Shift, Direction::Improving),
            (9..17).collect::<Vec<_>>()
        );
        assert_eq!(c.variation, Variation::SpecialCauseImproving);

        // A point exactly on the mean breaks the run: 3 above, 1 on, 3 above is not 7.
        let c = chart(&[12.0, 12.0, 12.0, 11.0, 12.0, 12.0, 12.0, 5.0]);
        assert_eq!(c.mean, 11.0);
        assert!(flagged(&c, SpcRule::Shift, Direction::Concerning).is_empty());
    }

    #[test]
    fn trend_of_six_or_more() {
        // …, 9, 11, then 9.0 rising by 0.2 five times: 6 points each above the one before.
        let mut v = alternating(10, false);
        v.extend([9.0, 9.2, 9.4, 9.6, 9.8, 10.0]);
        let c = chart(&v);
        assert_eq!(
            flagged(&c, SpcRule::Trend, Direction::Concerning),
            (10..16).collect::<Vec<_>>()
        );
        assert!(c
            .points
            .iter()
            .all(|p| p.flags.iter().all(|f| f.rule == SpcRule::Trend)));
        assert_eq!(c.variation, Variation::SpecialCauseConcerning);

        // …, 11, 9, then 11.0 falling: improving.
        let mut v = alternating(10, true);
        v.extend([11.0, 10.8, 10.6, 10.4, 10.2, 10.0]);
        let c = chart(&v);
        assert_eq!(
            flagged(&c, SpcRule::Trend, Direction::Improving),
            (10..16).collect::<Vec<_>>()
        );
        assert_eq!(c.variation, Variation::SpecialCauseImproving);

        // Five rising points are not a trend.
        let mut v = alternating(10, false);
        v.extend([9.0, 9.2, 9.4, 9.6, 9.8, 9.0]);
        assert!(no_flags(&chart(&v)));

        // An equal pair breaks the trend: 9.0 9.2 9.4 9.4 9.6 9.8 is not six rising.
        let mut v = alternating(10, false);
        v.extend([9.0, 9.2, 9.4, 9.4, 9.6, 9.8]);
        assert!(flagged(&chart(&v), SpcRule::Trend, Direction::Concerning).is_empty());
    }

    #[test]
    fn two_of_three_beyond_two_sigma() {
        // 24 stable points, then 15, 10, 15: mean 10.37, sigma 2.046, 2-sigma line 14.46, upper
        // limit 16.51: the two 15s are beyond 2 sigma but inside the limits.
        let mut v = alternating(24, false);
        v.extend([15.0, 10.0, 15.0]);
        let c = chart(&v);
        assert!((c.mean_moving_range - 60.0 / 26.0).abs() < 1e-12);
        assert!(c.upper_two_sigma < 15.0 && 15.0 < c.upper_limit);
        assert_eq!(
            flagged(&c, SpcRule::TwoOfThree, Direction::Concerning),
            vec![24, 26]
        );
        // Only that rule fired, and the middle point is not flagged.
        assert!(c
            .points
            .iter()
            .all(|p| p.flags.iter().all(|f| f.rule == SpcRule::TwoOfThree)));
        assert_eq!(c.variation, Variation::SpecialCauseConcerning);

        // Mirror: two low points are improving.
        let mut v = alternating(24, false);
        v.extend([5.0, 10.0, 5.0]);
        let c = chart(&v);
        assert!(c.lower_limit < 5.0 && 5.0 < c.lower_two_sigma);
        assert_eq!(
            flagged(&c, SpcRule::TwoOfThree, Direction::Improving),
            vec![24, 26]
        );
        assert_eq!(c.variation, Variation::SpecialCauseImproving);

        // One high and one low in three: opposite sides, no signal.
        let mut v = alternating(24, false);
        v.extend([15.0, 10.0, 5.0]);
        let c = chart(&v);
        assert!(c.points[24].value > c.upper_two_sigma);
        assert!(c.points[26].value < c.lower_two_sigma);
        assert!(no_flags(&c));

        // Two high points four apart: never two in one window of three.
        let mut v = alternating(24, false);
        v.extend([15.0, 10.0, 10.0, 15.0]);
        let c = chart(&v);
        assert!(c.points[24].value > c.upper_two_sigma);
        assert!(flagged(&c, SpcRule::TwoOfThree, Direction::Concerning).is_empty());
    }

    #[test]
    fn assurance_against_a_target() {
        // Mean 10, mean MR 2: limits 4.68 and 15.32.
        let s = series(&alternating(12, false));
        let a = |t| xmr(&s, Some(t)).unwrap().assurance;
        assert_eq!(a(20.0), Some(Assurance::ConsistentlyPassing));
        assert_eq!(a(3.0), Some(Assurance::ConsistentlyFailing));
        assert_eq!(a(10.0), Some(Assurance::HitAndMiss));
        // On a limit is hit and miss.
        let c = xmr(&s, None).unwrap();
        assert_eq!(a(c.upper_limit), Some(Assurance::HitAndMiss));
        assert_eq!(c.assurance, None);
        assert_eq!(Assurance::HitAndMiss.as_str(), "hit and miss");
    }

    #[test]
    fn lower_limit_below_zero_is_kept() {
        // Counts 0, 3, 0, 3, …: mean 1.5, mean MR 3, lower limit 1.5 − 7.98 = −6.48.
        let v: Vec<f64> = (0..12)
            .map(|i| if i % 2 == 0 { 0.0 } else { 3.0 })
            .collect();
        let c = xmr(&series(&v), Some(0.0)).unwrap();
        assert!((c.lower_limit - (1.5 - 7.98)).abs() < 1e-12);
        assert!(c.lower_limit < 0.0);
        // A target of 0 is above that negative limit: hit and miss, not consistently failing.
        assert_eq!(c.assurance, Some(Assurance::HitAndMiss));
    }

    #[test]
    fn serialises_with_stable_names() {
        let mut v = alternating(20, false);
        v.push(30.0);
        let c = chart(&v);
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["variation"], "special_cause_concerning");
        assert_eq!(json["points"][20]["flags"][0]["rule"], "beyond_limit");
        assert_eq!(json["points"][20]["flags"][0]["direction"], "concerning");
    }
}
