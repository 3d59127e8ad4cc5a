//! Baselines, rebasing, trial limits, targets and assurance, labels, and the worked Leicestershire
//! example (expected values by hand, as in the parent module).

use super::*;

#[test]
fn a_baseline_fixes_the_mean_and_limits() {
    // 12 points alternating 9/11 (mean 10, AMR 2), then twelve 13s.
    let mut v = alternating(12, false);
    v.extend([13.0; 12]);
    let options = SpcOptions {
        baseline: Some(12),
        ..SpcOptions::default()
    };
    let c = with(&v, &options);
    assert_eq!((c.mean, c.mean_moving_range), (10.0, 2.0));
    assert!(near(c.lower_limit, 4.68, 1e-12) && near(c.upper_limit, 15.32, 1e-12));
    assert_eq!(c.segments[0].baseline_points, 12);
    // The last base point (11) and the 13s are a shift of 13 above the baseline's mean; 13 < 10 +
    // 3.547 is not near the limit.
    assert_eq!(
        flagged(&c, SpcRule::Shift, Direction::Concerning),
        (11..24).collect::<Vec<_>>()
    );
    assert!(c.points[..11].iter().all(|p| p.flags.is_empty()));
    assert!(!c.trial_limits);

    // Without it: mean 276 / 24 = 11.5, so the base (9s and 11s) is a run of 12 below the mean.
    let c = chart(&v);
    assert_eq!(c.mean, 11.5);
    assert_eq!(
        flagged(&c, SpcRule::Shift, Direction::Improving),
        (0..12).collect::<Vec<_>>()
    );

    // A baseline longer than the series uses every point; shorter than 12 is refused.
    let long = SpcOptions {
        baseline: Some(40),
        ..SpcOptions::default()
    };
    assert_eq!(with(&v, &long).mean, 11.5);
    let short = SpcOptions {
        baseline: Some(11),
        ..SpcOptions::default()
    };
    assert_eq!(
        spc(&untargeted(&v), &short),
        Err(SpcError::BaselineTooShort(11))
    );
    assert!(SpcError::BaselineTooShort(11)
        .to_string()
        .contains("at least 12"));
}

#[test]
fn rebasing_starts_new_limits_and_breaks_runs() {
    // 1, 2, …, 14: one 14-point trend on a single set of limits.
    let v: Vec<f64> = (1..=14).map(f64::from).collect();
    let c = chart(&v);
    assert_eq!(by_rule(&c, SpcRule::Trend), (0..14).collect::<Vec<_>>());

    // Rebased at the 5th and 11th months: segments 1…4, 5…10, 11…14, each with its own mean and
    // AMR 1. 5…10: mean 7.5, near lines 7.5 ± 1.773 (5 and 10 are near, on opposite sides), limits
    // ± 2.66: no rule fires in any segment, and the trend does not cross a rebase.
    let options = SpcOptions {
        rebase: vec![month(4), month(10)],
        ..SpcOptions::default()
    };
    let c = with(&v, &options);
    assert!(no_flags(&c), "{:?}", c.points);
    let means: Vec<f64> = c.segments.iter().map(|s| s.mean).collect();
    assert_eq!(means, vec![2.5, 7.5, 12.5]);
    assert!(c.segments.iter().all(|s| s.mean_moving_range == 1.0));
    assert_eq!(c.segments[1].start, month(4));
    assert_eq!(c.segments[1].points, 6);
    assert_eq!((c.points[3].segment, c.points[4].segment), (0, 1));
    assert_eq!(c.points[4].mean, 7.5);
    assert_eq!(c.points[4].moving_range, None);
    assert_eq!(c.mean, 12.5);
    assert!(near(c.upper_limit, 15.16, 1e-12));
    assert!(c.trial_limits);

    // Out of order is fine; the first month is no rebase at all.
    let options = SpcOptions {
        rebase: vec![month(10), month(0), month(4)],
        ..SpcOptions::default()
    };
    assert_eq!(with(&v, &options).segments.len(), 3);

    // A month outside the series, or a one-point segment, is an error.
    let outside = SpcOptions {
        rebase: vec![month(20)],
        ..SpcOptions::default()
    };
    assert_eq!(
        spc(&untargeted(&v), &outside),
        Err(SpcError::RebaseNotInSeries(month(20)))
    );
    let single = SpcOptions {
        rebase: vec![month(13)],
        ..SpcOptions::default()
    };
    assert_eq!(
        spc(&untargeted(&v), &single),
        Err(SpcError::SegmentTooShort(month(13)))
    );
}

#[test]
fn fewer_than_thirteen_points_are_trial_limits() {
    assert!(chart(&alternating(12, false)).trial_limits);
    assert!(!chart(&alternating(13, false)).trial_limits);
    let c = chart(&alternating(2, false));
    assert!(c.trial_limits && c.segments[0].trial_limits);
}

#[test]
fn assurance_against_a_target() {
    // Mean 10, AMR 2: limits 4.68 and 15.32.
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
    assert_eq!(
        Assurance::ConsistentlyPassing.label(),
        "consistently passing"
    );
}

#[test]
fn each_month_keeps_its_target_and_assurance_uses_the_last() {
    // A target of 20 until the last month, then 3: each row has its own; the verdict is the last
    // month's (3, below the lower limit 4.68): consistently failing.
    let mut s: Vec<(YearMonth, f64, Option<f64>)> = series(&alternating(12, false))
        .into_iter()
        .map(|(m, v)| (m, v, Some(20.0)))
        .collect();
    s[11].2 = Some(3.0);
    s[5].2 = None;
    let c = spc(&s, &SpcOptions::default()).unwrap();
    assert_eq!(c.points[0].target, Some(20.0));
    assert_eq!(c.points[5].target, None);
    assert_eq!(c.points[11].target, Some(3.0));
    assert_eq!(c.target, Some(3.0));
    assert_eq!(c.assurance, Some(Assurance::ConsistentlyFailing));
    // No target in the last month: no assurance.
    s[11].2 = None;
    let c = spc(&s, &SpcOptions::default()).unwrap();
    assert_eq!((c.target, c.assurance), (None, None));
}

#[test]
fn assurance_uses_the_last_segments_limits() {
    // 9/11 (limits 4.68–15.32), then rebased onto 19/21 (mean 20, limits 14.68–25.32): a target of
    // 16 is hit and miss for the last limits (it would be consistently passing for the first).
    let mut v = alternating(12, false);
    v.extend(alternating(12, false).iter().map(|x| x + 10.0));
    let s: Vec<(YearMonth, f64, Option<f64>)> = series(&v)
        .into_iter()
        .map(|(m, v)| (m, v, Some(16.0)))
        .collect();
    let options = SpcOptions {
        rebase: vec![month(12)],
        ..SpcOptions::default()
    };
    let c = spc(&s, &options).unwrap();
    assert_eq!(c.mean, 20.0);
    assert!(near(c.lower_limit, 14.68, 1e-12));
    assert!(near(c.segments[0].upper_limit, 15.32, 1e-12));
    assert_eq!(c.assurance, Some(Assurance::HitAndMiss));
    assert!(c.points[..12]
        .iter()
        .all(|p| p.upper_limit == c.segments[0].upper_limit));
}

#[test]
fn lower_limit_below_zero_is_kept() {
    // Counts 0, 3, 0, 3, …: mean 1.5, AMR 3, lower limit 1.5 − 7.98 = −6.48.
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
fn human_labels_not_debug_names() {
    assert_eq!(Variation::CommonCause.label(), "common cause");
    assert_eq!(
        Variation::SpecialCauseImproving.label(),
        "special cause improvement (low)"
    );
    assert_eq!(
        Variation::SpecialCauseConcerning.label(),
        "special cause concern (high)"
    );
    assert_eq!(Assurance::HitAndMiss.label(), "hit and miss");
    assert_eq!(
        Assurance::ConsistentlyFailing.label(),
        "consistently failing"
    );
    assert_eq!(PointType::Improvement.label(), "improvement");
    let names: Vec<&str> = [
        SpcRule::BeyondLimit,
        SpcRule::Trend,
        SpcRule::TwoOfThree,
        SpcRule::Shift,
    ]
    .iter()
    .map(|r| r.name())
    .collect();
    assert_eq!(names, ["outside limits", "trend", "two in three", "shift"]);
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
    assert_eq!(json["points"][20]["point_type"], "concern");
    assert_eq!(json["points"][0]["point_type"], "common_cause");
    assert_eq!(json["trial_limits"], false);
    assert_eq!(json["segments"][0]["screened_out"], 1);
}

#[test]
fn leicestershire_total_as_the_issue_gives_it() {
    // The demo's Leicestershire total (fixtures/delays.csv), January 2017 to July 2018: delayed
    // days, days in the month, 18+ population; the value is days per day per 100,000 adults.
    // Issue 17 gives its limits as 3.20–11.08 unscreened and 3.84–10.43 screened.
    let counts: [(u32, u32, u32); 19] = [
        (19, 31, 538_900),
        (84, 28, 538_900),
        (506, 31, 538_900),
        (1393, 30, 538_900),
        (1517, 31, 538_900),
        (1739, 30, 538_900),
        (1556, 31, 538_900),
        (1611, 31, 538_900),
        (1431, 30, 538_900),
        (1876, 31, 538_900),
        (1311, 30, 538_900),
        (1494, 31, 538_900),
        (1447, 31, 543_600),
        (1445, 28, 543_600),
        (1214, 31, 543_600),
        (985, 30, 543_600),
        (796, 31, 543_600),
        (899, 30, 543_600),
        (978, 31, 543_600),
    ];
    let v: Vec<f64> = counts
        .iter()
        .map(|&(days, of, pop)| f64::from(days) / f64::from(of) / f64::from(pop) * 100_000.0)
        .collect();
    let s: Vec<(YearMonth, f64)> = v
        .iter()
        .enumerate()
        .map(|(i, &x)| (month(9 + i as i32), x))
        .collect();
    assert_eq!(s[0].0, YearMonth::new(2017, 1).expect("a month"));
    // Mean 7.137; 18 moving ranges, AMR 1.4807; March → April 2017 (3.03 → 8.62, 5.59) is at
    // least 3.267 × 1.4807 = 4.837 and is screened: AMR 1.2391.
    let raw = spc(
        &s.iter()
            .map(|&(m, x)| (m, x, Some(7.88)))
            .collect::<Vec<_>>(),
        &SpcOptions {
            screen: false,
            ..SpcOptions::default()
        },
    )
    .unwrap();
    assert!(near(raw.lower_limit, 3.20, 0.005) && near(raw.upper_limit, 11.08, 0.005));
    let c = xmr(&s, Some(7.88)).unwrap();
    assert!(near(c.mean, 7.137, 5e-4));
    assert_eq!(c.segments[0].screened_out, 1);
    assert!(near(c.lower_limit, 3.84, 0.005) && near(c.upper_limit, 10.43, 0.005));
    // Screened, June 2017 (10.76) is outside the limits too; January to June 2017 is 6 rising
    // points (5 rises), not a trend; April 2017 to March 2018 is 12 above the mean.
    assert_eq!(by_rule(&raw, SpcRule::BeyondLimit), vec![0, 1, 2, 9]);
    assert_eq!(by_rule(&c, SpcRule::BeyondLimit), vec![0, 1, 2, 5, 9]);
    assert_eq!(by_rule(&c, SpcRule::Shift), (3..15).collect::<Vec<_>>());
    assert!(by_rule(&c, SpcRule::Trend).is_empty());
    assert!(by_rule(&c, SpcRule::TwoOfThree).is_empty());
    assert_eq!(c.points[0].special_cause(), "improvement: outside limits");
    assert_eq!(
        c.points[5].special_cause(),
        "concern: outside limits; shift"
    );
    assert_eq!(c.variation, Variation::CommonCause);
    assert_eq!(c.assurance, Some(Assurance::HitAndMiss));
}

#[test]
fn a_rising_trend_through_the_mean_is_concern_but_where_a_limit_names_it() {
    // 0, 1, …, 6: mean 3, AMR 1, limits 0.34 and 5.66, near lines 1.227 and 4.773. One 7-point
    // trend; 0 and 6 are also outside the limits, which name them: 0 "Below LCL" (improvement), 6
    // "Above UCL"; 1 … 5, below the mean, on it and above it, "7 Point Trend (Increasing)":
    // concern (NHSRplotthedots 0.2.2; dtoc called 1 and 2 improvement by their side of the mean).
    let v: Vec<f64> = (0..7).map(f64::from).collect();
    let c = chart(&v);
    assert_eq!((c.mean, c.mean_moving_range), (3.0, 1.0));
    assert_eq!(by_rule(&c, SpcRule::Trend), (0..7).collect::<Vec<_>>());
    assert_eq!(by_rule(&c, SpcRule::BeyondLimit), vec![0, 6]);
    assert!(by_rule(&c, SpcRule::TwoOfThree).is_empty());
    assert_eq!(
        c.points[0].special_cause(),
        "improvement: outside limits; concern: trend"
    );
    assert_eq!(c.points[0].point_type, PointType::Improvement);
    assert_eq!(c.points[2].point_type, PointType::Concern);
    assert_eq!(c.points[3].special_cause(), "concern: trend");
    assert_eq!(
        c.points[6].special_cause(),
        "concern: outside limits; trend"
    );
    assert!(c.trial_limits);
}
