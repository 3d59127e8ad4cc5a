//! Expected values worked by hand from NHSRplotthedots' documented rules (docs/spc.md), not taken
//! from dtoc's output. "AMR" is the average moving range.

use super::*;

/// Values from April 2016, one a month.
fn series(values: &[f64]) -> Vec<(YearMonth, f64)> {
    let start = month(0);
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| (start.add_months(i as i32), v))
        .collect()
}

/// The `i`th month from April 2016.
fn month(i: i32) -> YearMonth {
    YearMonth::new(2016, 4)
        .map(|m| m.add_months(i))
        .expect("a valid month")
}

/// `series` with no targets, for `spc`.
fn untargeted(values: &[f64]) -> Vec<(YearMonth, f64, Option<f64>)> {
    series(values)
        .into_iter()
        .map(|(m, v)| (m, v, None))
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

fn with(values: &[f64], options: &SpcOptions) -> XmrChart {
    spc(&untargeted(values), options).unwrap()
}

/// Indices of points flagged by `rule` in `direction`.
fn flagged(c: &XmrChart, rule: SpcRule, direction: Direction) -> Vec<usize> {
    let cause = SpecialCause { rule, direction };
    (0..c.points.len())
        .filter(|&i| c.points[i].flags.contains(&cause))
        .collect()
}

/// Indices of points flagged by `rule`, whatever the direction.
fn by_rule(c: &XmrChart, rule: SpcRule) -> Vec<usize> {
    (0..c.points.len())
        .filter(|&i| c.points[i].flags.iter().any(|f| f.rule == rule))
        .collect()
}

fn no_flags(c: &XmrChart) -> bool {
    c.points
        .iter()
        .all(|p| p.flags.is_empty() && p.point_type == PointType::CommonCause)
}

fn near(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() < tolerance
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
    // A bad target in any month, not only the last.
    let mut s = untargeted(&[1.0, 2.0, 3.0]);
    s[0].2 = Some(f64::INFINITY);
    assert_eq!(spc(&s, &SpcOptions::default()), Err(SpcError::BadTarget));
}

#[test]
fn mean_moving_range_and_limits() {
    let c = chart(&[10.0, 12.0, 11.0, 13.0, 12.0]);
    assert!((c.mean - 11.6).abs() < 1e-12);
    // Moving ranges 2, 1, 2, 1: none reaches 3.267 × 1.5 = 4.9, so none is screened.
    assert_eq!(c.mean_moving_range, 1.5);
    assert_eq!(c.segments[0].screened_out, 0);
    assert_eq!(c.points[0].moving_range, None);
    assert_eq!(c.points[3].moving_range, Some(2.0));
    assert!((c.upper_limit - 15.59).abs() < 1e-12);
    assert!((c.lower_limit - 7.61).abs() < 1e-12);
    assert!((c.sigma - 1.5 / 1.128).abs() < 1e-12);
    // Near-limit lines at 2/3 of the width: 11.6 ± (2 × 2.66 / 3) × 1.5 = 11.6 ± 2.66.
    assert!((c.upper_two_sigma - 14.26).abs() < 1e-12);
    assert!((c.lower_two_sigma - 8.94).abs() < 1e-12);
    assert!(no_flags(&c));
    assert_eq!(c.variation, Variation::CommonCause);
    assert_eq!(c.assurance, None);
    // Every point carries its segment's mean and limits.
    assert!(c
        .points
        .iter()
        .all(|p| p.mean == c.mean && p.upper_limit == c.upper_limit && p.segment == 0));
}

#[test]
fn stable_series_has_no_special_cause() {
    for n in [2, 3, 12, 24] {
        let c = chart(&alternating(n, false));
        assert!(no_flags(&c), "{n}");
        assert_eq!(c.variation, Variation::CommonCause);
        assert!(c.points.iter().all(|p| p.special_cause().is_empty()));
    }
    // A constant series: zero AMR (not screened away), limits on the mean, nothing beyond them,
    // and points on the mean make no run.
    let c = chart(&[4.0; 10]);
    assert_eq!((c.upper_limit, c.lower_limit), (4.0, 4.0));
    assert_eq!(c.mean_moving_range, 0.0);
    assert!(no_flags(&c));
}

#[test]
fn the_issue_series_is_common_cause() {
    // 10,12,10,12,10,12,10,12,8,9,10,11,12,13,10,12 (issue 17: dtoc used to call it a trend).
    // Sum 88 + 63 + 22 = 173 over 16 points: mean 10.8125.
    // Moving ranges: seven 2s (14), 12→8 = 4, five 1s (5), 13→10 = 3, 10→12 = 2: 28 over 15,
    // AMR 1.8667. Screening drops ranges ≥ 3.267 × 1.8667 = 6.098: none.
    // Limits 10.8125 ± 2.66 × 1.8667 = 10.8125 ± 4.9653: 5.847 to 15.778, nothing outside.
    // Near lines 10.8125 ± 1.7733 × 1.8667 = ± 3.3102: 7.502 and 14.123; 8 and 13 are inside them.
    // Trend: 8, 9, 10, 11, 12, 13 is 6 points (5 rises), after a fall and before a fall: no trend.
    // One side: 10 below, 12 above, …, 8 9 10 below, 11 12 13 above: runs of at most 3.
    let v = [
        10.0, 12.0, 10.0, 12.0, 10.0, 12.0, 10.0, 12.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 10.0,
        12.0,
    ];
    let c = chart(&v);
    assert_eq!(c.mean, 10.8125);
    assert!(near(c.mean_moving_range, 28.0 / 15.0, 1e-12));
    assert!(near(c.lower_limit, 5.847, 1e-3));
    assert!(near(c.upper_limit, 15.778, 1e-3));
    assert!(near(c.lower_two_sigma, 7.502, 1e-3));
    assert!(near(c.upper_two_sigma, 14.123, 1e-3));
    assert!(no_flags(&c));
    assert_eq!(c.variation, Variation::CommonCause);
    assert!(!c.trial_limits && c.segments[0].points == 16);
}

#[test]
fn beyond_limits() {
    // 20 points alternating 9/11, then 30. Moving ranges: nineteen 2s and 19; AMR 57 / 20 = 2.85;
    // 19 ≥ 3.267 × 2.85 = 9.31 is screened out: AMR 38 / 19 = 2. Mean 230 / 21 = 10.952; upper
    // limit 10.952 + 5.32 = 16.272.
    let mut v = alternating(20, false);
    v.push(30.0);
    let c = chart(&v);
    assert_eq!(c.mean_moving_range, 2.0);
    assert_eq!(c.segments[0].screened_out, 1);
    assert!((c.upper_limit - (230.0 / 21.0 + 2.66 * 2.0)).abs() < 1e-9);
    assert_eq!(
        flagged(&c, SpcRule::BeyondLimit, Direction::Concerning),
        vec![20]
    );
    assert!(c.points[..20].iter().all(|p| p.flags.is_empty()));
    assert_eq!(c.points[20].flags.len(), 1);
    assert_eq!(c.points[20].point_type, PointType::Concern);
    assert_eq!(c.points[20].special_cause(), "concern: outside limits");
    assert_eq!(c.variation, Variation::SpecialCauseConcerning);

    // The mirror image: a low point below the lower limit is improvement.
    let mut v: Vec<f64> = alternating(20, false).iter().map(|x| x + 20.0).collect();
    v.push(10.0);
    let c = chart(&v);
    assert!(c.points[20].value < c.lower_limit);
    assert_eq!(
        flagged(&c, SpcRule::BeyondLimit, Direction::Improving),
        vec![20]
    );
    assert_eq!(c.points[20].special_cause(), "improvement: outside limits");
    assert_eq!(c.variation, Variation::SpecialCauseImproving);

    // A smaller jump (to 15) stays inside the upper limit: mean 215 / 21 = 10.238, moving ranges
    // nineteen 2s and 4 (kept: 4 < 3.267 × 2.1), AMR 2.1, upper limit 15.824.
    let mut v = alternating(20, false);
    v.push(15.0);
    let c = chart(&v);
    assert!(near(c.upper_limit, 15.824, 1e-3));
    assert!(flagged(&c, SpcRule::BeyondLimit, Direction::Concerning).is_empty());
}

#[test]
fn on_a_limit_is_not_outside_it_but_near_it() {
    // A baseline of 12 points alternating 9/11 fixes mean 10 and AMR 2: upper limit 15.32. Two
    // points exactly on it are not outside it, but they are in the near-limit band (above
    // 10 + 3.547), with 11 between them above the mean: two in three.
    let c = with(&alternating(12, false), &SpcOptions::default());
    assert!(near(c.upper_limit, 15.32, 1e-12));
    let on_limit = c.upper_limit;
    let mut v = alternating(12, false);
    v.extend([on_limit, 11.0, on_limit]);
    let c = with(
        &v,
        &SpcOptions {
            baseline: Some(12),
            ..SpcOptions::default()
        },
    );
    assert!(by_rule(&c, SpcRule::BeyondLimit).is_empty());
    assert_eq!(by_rule(&c, SpcRule::TwoOfThree), vec![12, 14]);
}

#[test]
fn screening_a_single_spike_changes_the_limits() {
    // 8, 12 five times, a spike of 32, 8, 12 five times, then 20, 13, 20 (24 points).
    // Sum 100 + 32 + 100 + 53 = 285: mean 11.875 (8 below it, 12 and 13 above).
    // Moving ranges: nine 4s (36), 20 (12→32), 24 (32→8), nine 4s (36), 8, 7, 7: 138 over 23,
    // AMR 6. Screening drops ranges ≥ 3.267 × 6 = 19.6: the 20 and the 24, leaving 94 over 21 =
    // 4.4762.
    // Screened: limits 11.875 ± 2.66 × 4.4762 = ± 11.907 (upper 23.782); near line 11.875 +
    // 1.7733 × 4.4762 = 19.813, so both 20s are in the band with 13 above the mean between them:
    // two in three, and the last point is a concern.
    // Unscreened: limits 11.875 ± 15.96 (upper 27.835), near line 11.875 + 10.64 = 22.515: the 20s
    // are common cause; only the spike is outside.
    let mut v: Vec<f64> = [8.0, 12.0].repeat(5);
    v.push(32.0);
    v.extend([8.0, 12.0].repeat(5));
    v.extend([20.0, 13.0, 20.0]);
    let screened = chart(&v);
    assert_eq!(screened.mean, 11.875);
    assert_eq!(screened.segments[0].screened_out, 2);
    assert!(near(screened.mean_moving_range, 94.0 / 21.0, 1e-12));
    assert!(near(screened.upper_limit, 23.782, 1e-3));
    assert!(near(screened.upper_two_sigma, 19.813, 1e-3));
    assert_eq!(by_rule(&screened, SpcRule::BeyondLimit), vec![10]);
    assert_eq!(by_rule(&screened, SpcRule::TwoOfThree), vec![21, 23]);
    assert_eq!(screened.variation, Variation::SpecialCauseConcerning);
    assert!(screened.screen);

    let raw = with(
        &v,
        &SpcOptions {
            screen: false,
            ..SpcOptions::default()
        },
    );
    assert_eq!(raw.mean, screened.mean);
    assert_eq!(raw.segments[0].screened_out, 0);
    assert!(near(raw.mean_moving_range, 6.0, 1e-12));
    assert!(near(raw.upper_limit, 27.835, 1e-3));
    assert!(near(raw.upper_two_sigma, 22.515, 1e-3));
    assert_eq!(by_rule(&raw, SpcRule::BeyondLimit), vec![10]);
    assert_eq!(
        (0..24)
            .filter(|&i| !raw.points[i].flags.is_empty())
            .collect::<Vec<_>>(),
        vec![10]
    );
    assert_eq!(raw.variation, Variation::CommonCause);
    assert!(!raw.screen);
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
    // 9, 11, …, 11 then seven points 10.5/11.5: mean 176.5 / 17 = 10.38, so the last base point (11)
    // and the seven after it make a run of 8 above the mean.
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
    assert_eq!(c.points[16].special_cause(), "concern: shift");
    assert_eq!(c.variation, Variation::SpecialCauseConcerning);

    // Only 6 on one side (the base now ends below the mean): no shift.
    let mut v = alternating(10, true);
    v.extend([10.5, 11.5, 10.5, 11.5, 10.5, 11.5]);
    let c = chart(&v);
    assert!(c.points[9].value < c.mean);
    assert!(no_flags(&c));

    // Below the mean is improvement.
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
fn a_seven_point_trend_but_not_a_six_point_one() {
    // …, 9, 11, then 9.0 rising by 0.2 six times: 7 points, 6 rises. Mean 167.2 / 17 = 9.835;
    // moving ranges nine 2s, 2, six 0.2s: AMR 21.2 / 16 = 1.325 (none screened); near lines
    // 9.835 ± 2.350, limits ± 3.525: nothing near or outside. Below the mean run 9.0 … 9.8 (5).
    let mut v = alternating(10, false);
    v.extend([9.0, 9.2, 9.4, 9.6, 9.8, 10.0, 10.2]);
    let c = chart(&v);
    assert_eq!(by_rule(&c, SpcRule::Trend), (10..17).collect::<Vec<_>>());
    assert!(c
        .points
        .iter()
        .all(|p| p.flags.iter().all(|f| f.rule == SpcRule::Trend)));
    // A rising trend is a concern, below the mean (9.0 … 9.8) as above it (NHSRplotthedots 0.2.2:
    // "7 Point Trend (Increasing)", special_cause_concern, for all seven).
    assert_eq!(
        flagged(&c, SpcRule::Trend, Direction::Concerning),
        (10..17).collect::<Vec<_>>()
    );
    assert_eq!(c.points[10].special_cause(), "concern: trend");
    assert_eq!(c.points[10].point_type, PointType::Concern);
    assert_eq!(c.points[16].special_cause(), "concern: trend");
    assert_eq!(c.variation, Variation::SpecialCauseConcerning);

    // Six rising points (5 rises) are not a trend, and nothing else fires: mean 157 / 16 = 9.8125,
    // the run below it is 9.0 … 9.8 (5 points).
    let mut v = alternating(10, false);
    v.extend([9.0, 9.2, 9.4, 9.6, 9.8, 10.0]);
    assert!(no_flags(&chart(&v)));

    // Falling: …, 11, 9, then 11.0 falling by 0.2 six times. Mean (100 + 72.8) / 17 = 10.165:
    // 11.0 … 10.2 are above it, and all seven are improvement ("Decreasing" in the package).
    let mut v = alternating(10, true);
    v.extend([11.0, 10.8, 10.6, 10.4, 10.2, 10.0, 9.8]);
    let c = chart(&v);
    assert_eq!(by_rule(&c, SpcRule::Trend), (10..17).collect::<Vec<_>>());
    assert_eq!(
        flagged(&c, SpcRule::Trend, Direction::Improving),
        (10..17).collect::<Vec<_>>()
    );
    assert_eq!(c.points[10].special_cause(), "improvement: trend");
    assert_eq!(c.variation, Variation::SpecialCauseImproving);

    // An equal pair breaks the trend: 9.0 9.2 9.4 9.4 9.6 9.8 10.0 is 3 then 4 rising points.
    let mut v = alternating(10, false);
    v.extend([9.0, 9.2, 9.4, 9.4, 9.6, 9.8, 10.0]);
    assert!(by_rule(&chart(&v), SpcRule::Trend).is_empty());
}

#[test]
fn two_in_three_near_a_limit_on_one_side() {
    // 24 stable points, then 15, 11, 15: mean 281 / 27 = 10.407; moving ranges 46 + 4 + 4 + 4 over
    // 26: AMR 2.2308; near line 10.407 + 1.7733 × 2.2308 = 14.363, upper limit 16.341: both 15s
    // are in the band, and 11 is above the mean too. Only the band points are flagged.
    let mut v = alternating(24, false);
    v.extend([15.0, 11.0, 15.0]);
    let c = chart(&v);
    assert!(near(c.upper_two_sigma, 14.363, 1e-3));
    assert!(near(c.upper_limit, 16.341, 1e-3));
    assert_eq!(
        flagged(&c, SpcRule::TwoOfThree, Direction::Concerning),
        vec![24, 26]
    );
    assert!(c
        .points
        .iter()
        .all(|p| p.flags.iter().all(|f| f.rule == SpcRule::TwoOfThree)));
    assert_eq!(c.points[25].point_type, PointType::CommonCause);
    assert_eq!(c.points[26].special_cause(), "concern: two in three");
    assert_eq!(c.variation, Variation::SpecialCauseConcerning);

    // 15, 10, 15: mean 280 / 27 = 10.370, so 10 is below it: not all on one side, no signal.
    let mut v = alternating(24, false);
    v.extend([15.0, 10.0, 15.0]);
    let c = chart(&v);
    assert!(c.points[24].value > c.upper_two_sigma && c.points[24].value < c.upper_limit);
    assert!(no_flags(&c));

    // Mirror: 5, 9, 5: mean 259 / 27 = 9.593, AMR 60 / 26 = 2.3077, near line 5.500, lower limit
    // 3.454: improvement.
    let mut v = alternating(24, false);
    v.extend([5.0, 9.0, 5.0]);
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
    assert!(by_rule(&c, SpcRule::TwoOfThree).is_empty());
}

#[test]
fn a_point_beyond_the_limit_does_not_count_towards_two_in_three() {
    // 24 stable points, then 15, 30, 11. Moving ranges 46 + 4 + 15 + 19 over 26 = 3.2308; 15 and
    // 19 ≥ 3.267 × 3.2308 = 10.55 are screened: AMR 50 / 24 = 2.0833. Mean 296 / 27 = 10.963;
    // near line 10.963 + 3.694 = 14.657, upper limit 10.963 + 5.542 = 16.505. 15 is near, 30 is
    // outside, 11 is above the mean but not near: one band point in each window, no two in three.
    let mut v = alternating(24, false);
    v.extend([15.0, 30.0, 11.0]);
    let c = chart(&v);
    assert!(near(c.upper_two_sigma, 14.657, 1e-3));
    assert!(near(c.upper_limit, 16.505, 1e-3));
    assert_eq!(by_rule(&c, SpcRule::BeyondLimit), vec![25]);
    assert!(by_rule(&c, SpcRule::TwoOfThree).is_empty());
    assert_eq!(c.points[24].point_type, PointType::CommonCause);

    // 15, 30, 15: mean 300 / 27 = 11.111 (the 11 before them is below it), the same AMR 2.0833;
    // near line 14.806, limit 16.653. The window 15 30 15 has two band points: those two are two
    // in three, the middle one is only outside the limits.
    let mut v = alternating(24, false);
    v.extend([15.0, 30.0, 15.0]);
    let c = chart(&v);
    assert!(near(c.upper_two_sigma, 14.806, 1e-3));
    assert_eq!(by_rule(&c, SpcRule::TwoOfThree), vec![24, 26]);
    assert_eq!(by_rule(&c, SpcRule::BeyondLimit), vec![25]);
    assert_eq!(c.points[24].special_cause(), "concern: two in three");
    assert_eq!(c.points[25].special_cause(), "concern: outside limits");
}

#[test]
fn rules_are_listed_in_precedence_order() {
    // 8, 12 six times (mean 10), then 10.5 rising by 0.5 to 13, then 25. Mean 215.5 / 19 =
    // 11.342 (8 below it, 12 above); moving ranges eleven 4s (44), 1.5, five 0.5s, 12: 60 over 18;
    // 12 ≥ 3.267 × 3.3333 = 10.89 is screened: AMR 48 / 17 = 2.8235, upper limit 11.342 + 7.511 =
    // 18.853, near lines 11.342 ± 5.007. 25 is outside and ends a 7-point trend (10.5 … 25), named
    // by the first rule: 25 "outside limits", the rest a rising trend, concern even for 10.5 and 11
    // below the mean; above it 11.5 … 25 (5 points: no shift). NHSRplotthedots 0.2.2 gives the same.
    let mut v: Vec<f64> = [8.0, 12.0].repeat(6);
    v.extend([10.5, 11.0, 11.5, 12.0, 12.5, 13.0, 25.0]);
    let c = chart(&v);
    assert!(near(c.upper_limit, 18.853, 1e-3));
    assert_eq!(by_rule(&c, SpcRule::Trend), (12..19).collect::<Vec<_>>());
    assert_eq!(
        c.points[18].special_cause(),
        "concern: outside limits; trend"
    );
    assert_eq!(c.points[12].special_cause(), "concern: trend");
    assert_eq!(c.points[14].special_cause(), "concern: trend");
    assert!(c.points[12..19]
        .iter()
        .all(|p| p.point_type == PointType::Concern));
    assert_eq!(
        c.points[18].flags,
        vec![
            SpecialCause {
                rule: SpcRule::BeyondLimit,
                direction: Direction::Concerning
            },
            SpecialCause {
                rule: SpcRule::Trend,
                direction: Direction::Concerning
            }
        ]
    );
}

mod baselines;
mod point_types;
