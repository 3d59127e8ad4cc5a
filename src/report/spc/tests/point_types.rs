//! Point types as NHSRplotthedots 0.2.2 names them (issue 24, item 9): the first rule by precedence
//! names a point and gives its direction. The expected values are the package's own: its R source at
//! tag 0.2.2, unmodified, run with R 4.2.2 (`ptd_spc(…, improvement_direction = "decrease")`, its
//! `special_cause_type` and `point_type` per point, the variation icon from the last point); the
//! script is `nhsrplotthedots.R` beside this file.

use super::*;

/// `values` from `start`, one a month, each with `target`.
fn from(start: YearMonth, values: &[f64], target: Option<f64>) -> XmrChart {
    let s: Vec<(YearMonth, f64)> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| (start.add_months(i as i32), v))
        .collect();
    xmr(&s, target).unwrap()
}

fn types(c: &XmrChart, range: std::ops::Range<usize>) -> Vec<PointType> {
    c.points[range].iter().map(|p| p.point_type).collect()
}

fn causes(c: &XmrChart, range: std::ops::Range<usize>) -> Vec<String> {
    c.points[range].iter().map(|p| p.special_cause()).collect()
}

#[test]
fn the_issue_rising_trend_below_the_mean_is_a_concern() {
    // Monthly rates 12 18 … 12 6 7 8 9 10 11 12 from January 2016, target 13. The package: mean
    // 12.75, limits 0.99–24.51; 2016-12 … 2017-01 and on are below the mean (a run of 8), and
    // 2017-02 … 2017-08 (6 to 12) rise six times: "7 Point Trend (Increasing)", concern, though
    // every one of them is below the mean; 2017-01 (12) "7 Points Below CL", improvement; the
    // variation icon concern (high), assurance inconsistent (hit and miss). dtoc said
    // `improvement: trend; shift` and "special cause improvement (low)".
    let mut v = [12.0, 18.0].repeat(6);
    v.extend([12.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0]);
    let c = from(YearMonth::new(2016, 1).expect("a month"), &v, Some(13.0));
    assert_eq!(c.mean, 12.75);
    assert!(near(c.lower_limit, 0.99, 1e-9) && near(c.upper_limit, 24.51, 1e-9));
    let trend: Vec<String> = c.points[13..].iter().map(|p| p.month.to_string()).collect();
    assert_eq!(trend.first().map(String::as_str), Some("2017-02"));
    assert_eq!(trend.last().map(String::as_str), Some("2017-08"));
    assert_eq!(by_rule(&c, SpcRule::Trend), (13..20).collect::<Vec<_>>());
    assert!(c.points[13..].iter().all(|p| p.value < c.mean));
    assert_eq!(types(&c, 13..20), vec![PointType::Concern; 7]);
    assert_eq!(
        causes(&c, 13..20),
        vec!["concern: trend; improvement: shift"; 7]
    );
    assert_eq!(c.points[12].special_cause(), "improvement: shift");
    assert!(c.points[..12].iter().all(|p| p.flags.is_empty()));
    assert_eq!(c.variation, Variation::SpecialCauseConcerning);
    assert_eq!(c.variation.label(), "special cause concern (high)");
    assert_eq!(c.assurance, Some(Assurance::HitAndMiss));
}

#[test]
fn the_issue_falling_trend_above_the_mean_is_an_improvement() {
    // The mirror: 8 14 … 8, then 19 18 17 16 15 14 13. The package: mean 12.6, limits 0.14–25.06;
    // the last seven "7 Point Trend (Decreasing)", improvement, though all are above the mean (and
    // a run of 7 there); variation improvement (low). dtoc said concern (high).
    let mut v = [8.0, 14.0].repeat(6);
    v.extend([8.0, 19.0, 18.0, 17.0, 16.0, 15.0, 14.0, 13.0]);
    let c = from(month(0), &v, Some(13.0));
    assert!(near(c.mean, 12.6, 1e-12));
    assert!(near(c.lower_limit, 0.14, 1e-9) && near(c.upper_limit, 25.06, 1e-9));
    assert_eq!(types(&c, 13..20), vec![PointType::Improvement; 7]);
    assert_eq!(
        causes(&c, 13..20),
        vec!["improvement: trend; concern: shift"; 7]
    );
    assert!(c.points[..13].iter().all(|p| p.flags.is_empty()));
    assert_eq!(c.variation, Variation::SpecialCauseImproving);
    assert_eq!(c.variation.label(), "special cause improvement (low)");
    assert_eq!(c.assurance, Some(Assurance::HitAndMiss));
}

#[test]
fn a_rising_trend_below_the_mean_and_a_falling_one_above_it() {
    // Twelve points 9/11, then 9.0 rising by 0.1 to 9.6: mean 9.742 (the package's 9.742105263),
    // all seven below it; the package names them "7 Point Trend (Increasing)": concern.
    let mut v = alternating(12, false);
    v.extend([9.0, 9.1, 9.2, 9.3, 9.4, 9.5, 9.6]);
    let c = chart(&v);
    assert!(near(c.mean, 9.742105263, 1e-9));
    assert!(near(c.upper_limit, 13.3774386, 1e-7));
    assert_eq!(types(&c, 12..19), vec![PointType::Concern; 7]);
    assert_eq!(
        flagged(&c, SpcRule::Trend, Direction::Concerning),
        (12..19).collect::<Vec<_>>()
    );
    assert_eq!(
        flagged(&c, SpcRule::Shift, Direction::Improving),
        (12..19).collect::<Vec<_>>()
    );
    assert_eq!(
        c.points[12].special_cause(),
        "concern: trend; improvement: shift"
    );
    assert!(c.points[..12].iter().all(|p| p.flags.is_empty()));
    assert_eq!(c.variation, Variation::SpecialCauseConcerning);

    // Twelve points 9/11, then 11.0 falling by 0.1 to 10.4: mean 10.258, the last base point (11)
    // and the seven after it above: the package calls 11 "7 Points Above CL" (concern) and the
    // falling seven "7 Point Trend (Decreasing)": improvement. 11 → 11.0 is a tie: not in the
    // trend.
    let mut v = alternating(12, false);
    v.extend([11.0, 10.9, 10.8, 10.7, 10.6, 10.5, 10.4]);
    let c = chart(&v);
    assert!(near(c.mean, 10.25789474, 1e-8));
    assert!(near(c.lower_limit, 6.918116959, 1e-8));
    assert_eq!(c.points[11].special_cause(), "concern: shift");
    assert_eq!(types(&c, 12..19), vec![PointType::Improvement; 7]);
    assert_eq!(
        causes(&c, 12..19),
        vec!["improvement: trend; concern: shift"; 7]
    );
    assert!(c.points[..11].iter().all(|p| p.flags.is_empty()));
    assert_eq!(c.variation, Variation::SpecialCauseImproving);
}

#[test]
fn a_trend_that_starts_beyond_a_limit() {
    // Twenty points 9/11, then 3, 8, 8.5, 9, 9.5, 10, 10.5: the package's mean 9.574074074, limits
    // 4.732874074–14.41527407. 3 is below the lower limit and starts a rising trend: named "Below
    // LCL", improvement; the other six "7 Point Trend (Increasing)", concern (8 … 9.5 below the
    // mean, no shift: 5 below).
    let mut v = alternating(20, false);
    v.extend([3.0, 8.0, 8.5, 9.0, 9.5, 10.0, 10.5]);
    let c = chart(&v);
    assert!(near(c.mean, 9.574074074, 1e-9));
    assert!(near(c.lower_limit, 4.732874074, 1e-9));
    assert!(near(c.upper_limit, 14.41527407, 1e-8));
    assert_eq!(by_rule(&c, SpcRule::Trend), (20..27).collect::<Vec<_>>());
    assert_eq!(c.points[20].point_type, PointType::Improvement);
    assert_eq!(
        c.points[20].special_cause(),
        "improvement: outside limits; concern: trend"
    );
    assert_eq!(types(&c, 21..27), vec![PointType::Concern; 6]);
    assert_eq!(causes(&c, 21..27), vec!["concern: trend"; 6]);
    assert!(c.points[..20].iter().all(|p| p.flags.is_empty()));
    assert_eq!(c.variation, Variation::SpecialCauseConcerning);
}

#[test]
fn a_tie_inside_a_rise() {
    // A tie breaks a trend (see `a_seven_point_trend_but_not_a_six_point_one`). Where it joins two
    // rising trends — 9.0 … 10.2, 10.2 … 11.4 after twelve points 9/11 — both are trends, and the
    // package takes the first 10.2's direction from its step to the next trend point, a tie, which
    // it does not call "Increasing": "7 Point Trend (Decreasing)", improvement. Every other point
    // of both is concern. Mean 10.10769231, limits 7.298732308–12.91665231; 10.2 … 11.4 are a run
    // of 8 above the mean, 9.0 … 10.0 six below (no shift).
    let mut v = alternating(12, false);
    v.extend([
        9.0, 9.2, 9.4, 9.6, 9.8, 10.0, 10.2, 10.2, 10.4, 10.6, 10.8, 11.0, 11.2, 11.4,
    ]);
    let c = chart(&v);
    assert!(near(c.mean, 10.10769231, 1e-8));
    assert!(near(c.lower_limit, 7.298732308, 1e-8));
    assert_eq!(by_rule(&c, SpcRule::Trend), (12..26).collect::<Vec<_>>());
    assert_eq!(by_rule(&c, SpcRule::Shift), (18..26).collect::<Vec<_>>());
    assert_eq!(types(&c, 12..18), vec![PointType::Concern; 6]);
    assert_eq!(c.points[18].point_type, PointType::Improvement);
    assert_eq!(
        c.points[18].special_cause(),
        "improvement: trend; concern: shift"
    );
    assert_eq!(types(&c, 19..26), vec![PointType::Concern; 7]);
    assert_eq!(c.points[19].special_cause(), "concern: trend; shift");
    assert_eq!(c.variation, Variation::SpecialCauseConcerning);

    // A rise and a fall sharing their peak: the peak's step to the next trend point falls, so the
    // package calls it "Decreasing" (improvement), as the whole fall after it.
    let mut v = alternating(12, false);
    v.extend([
        9.0, 9.2, 9.4, 9.6, 9.8, 10.0, 10.2, 10.0, 9.8, 9.6, 9.4, 9.2, 9.0,
    ]);
    let c = chart(&v);
    assert!(near(c.mean, 9.768, 1e-12));
    assert_eq!(by_rule(&c, SpcRule::Trend), (12..25).collect::<Vec<_>>());
    assert_eq!(types(&c, 12..18), vec![PointType::Concern; 6]);
    assert_eq!(types(&c, 18..25), vec![PointType::Improvement; 7]);
    assert_eq!(c.variation, Variation::SpecialCauseImproving);
}

/// One series as NHSRplotthedots charted it.
struct PackageCase {
    name: String,
    series: Vec<(YearMonth, f64, Option<f64>)>,
    options: SpcOptions,
    /// One letter a point: C common cause, I improvement, X concern.
    types: String,
    mean: f64,
    upper: f64,
}

/// One line of `nhsrplotthedots-0.2.2.txt`: name; screen (1/0); baseline (0 for none); rebase
/// indices; values; the package's point types; its last mean; its last upper limit.
fn package_case(line: &str) -> PackageCase {
    let f: Vec<&str> = line.split(';').collect();
    assert_eq!(f.len(), 8, "{line}");
    let number = |s: &str| s.parse::<f64>().expect("a number");
    let values: Vec<f64> = f[4].split(',').map(number).collect();
    let baseline: usize = f[2].parse().expect("a count");
    let options = SpcOptions {
        screen: f[1] == "1",
        baseline: (baseline > 0).then_some(baseline),
        rebase: f[3]
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| month(s.parse().expect("an index")))
            .collect(),
    };
    PackageCase {
        name: f[0].to_string(),
        series: untargeted(&values),
        options,
        types: f[5].to_string(),
        mean: number(f[6]),
        upper: number(f[7]),
    }
}

#[test]
fn every_point_type_as_the_package_gives_it() {
    // The series of these tests and 120 random ones (random walks, noise, small integers full of
    // ties and points on the mean, noisy trends; every fifth unscreened), with NHSRplotthedots
    // 0.2.2's point type for every point, written by `nhsrplotthedots.R`.
    let cases = include_str!("nhsrplotthedots-0.2.2.txt");
    let mut flagged = 0;
    for line in cases.lines() {
        let PackageCase {
            name,
            series,
            options,
            types: expected,
            mean,
            upper,
        } = package_case(line);
        let c = spc(&series, &options).unwrap();
        let types: String = c
            .points
            .iter()
            .map(|p| match p.point_type {
                PointType::CommonCause => 'C',
                PointType::Improvement => 'I',
                PointType::Concern => 'X',
            })
            .collect();
        assert_eq!(types, expected, "{name}");
        assert!(near(c.mean, mean, 1e-12 * mean.abs().max(1.0)), "{name}");
        assert!(
            near(c.upper_limit, upper, 1e-12 * upper.abs().max(1.0)),
            "{name}"
        );
        let last = expected.chars().last();
        let variation = match last {
            Some('I') => Variation::SpecialCauseImproving,
            Some('X') => Variation::SpecialCauseConcerning,
            _ => Variation::CommonCause,
        };
        assert_eq!(c.variation, variation, "{name}");
        flagged += expected.chars().filter(|&t| t != 'C').count();
    }
    assert_eq!(cases.lines().count(), 166);
    assert_eq!(flagged, 1295);
}
