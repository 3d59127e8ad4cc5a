//! RAG rating of a delayed-day count against a target, with the exact 95% Poisson confidence interval
//! (docs/measures.md). Lower is better: fewer delayed days is a better figure.

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};
use std::fmt;

/// A two-sided confidence interval of a count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PoissonCi {
    /// Lower bound (0 for a count of 0).
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
}

/// The `p` quantile of the chi-squared distribution with `df` degrees of freedom. With `df <= 0`
/// (the limit of the distribution is a point mass at 0) it is 0; `df = 2k` with `k >= 1` is never that.
fn chi2_quantile(df: f64, p: f64) -> f64 {
    match ChiSquared::new(df) {
        Ok(d) => d.inverse_cdf(p),
        Err(_) => 0.0,
    }
}

/// The exact (Garwood) 95% confidence interval of a Poisson count `k`:
/// lower = χ²(0.025; 2k) / 2 (0 when k = 0), upper = χ²(0.975; 2k + 2) / 2.
pub fn poisson_ci_95(k: u64) -> PoissonCi {
    let k = k as f64;
    let lower = if k == 0.0 {
        0.0
    } else {
        chi2_quantile(2.0 * k, 0.025) / 2.0
    };
    let upper = chi2_quantile(2.0 * k + 2.0, 0.975) / 2.0;
    PoissonCi { lower, upper }
}

/// Red, amber or green against a target (the Health and Wellbeing Board dashboard convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    /// At or better than (at or below) the target.
    Green,
    /// Worse than the target, but not significantly.
    Amber,
    /// Significantly worse than the target.
    Red,
}

impl Rag {
    /// `green`, `amber` or `red`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Amber => "amber",
            Self::Red => "red",
        }
    }
}

impl fmt::Display for Rag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a count compares with its target, statistically: the text shown beside the RAG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum VsTarget {
    /// The target lies above the count's confidence interval.
    #[serde(rename = "significantly better")]
    SignificantlyBetter,
    /// The target lies inside the count's confidence interval.
    #[serde(rename = "similar")]
    Similar,
    /// The target lies below the count's confidence interval.
    #[serde(rename = "significantly worse")]
    SignificantlyWorse,
}

impl VsTarget {
    /// `significantly better`, `similar` or `significantly worse`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignificantlyBetter => "significantly better",
            Self::Similar => "similar",
            Self::SignificantlyWorse => "significantly worse",
        }
    }
}

impl fmt::Display for VsTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The comparison of one count with a target, with the numbers behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Assessment {
    /// Delayed days counted.
    pub days: u64,
    /// The target, in delayed days for the same period (see `rates::target_days`).
    pub target_days: f64,
    /// The exact 95% Poisson interval of `days`.
    pub ci: PoissonCi,
    /// Red, amber or green.
    pub rag: Rag,
    /// Significantly better, similar or significantly worse.
    pub vs_target: VsTarget,
}

fn rag_with(days: u64, target_days: f64, ci: PoissonCi) -> Rag {
    if days as f64 <= target_days {
        Rag::Green
    } else if target_days < ci.lower {
        Rag::Red
    } else {
        Rag::Amber
    }
}

fn vs_target_with(target_days: f64, ci: PoissonCi) -> VsTarget {
    if target_days > ci.upper {
        VsTarget::SignificantlyBetter
    } else if target_days < ci.lower {
        VsTarget::SignificantlyWorse
    } else {
        VsTarget::Similar
    }
}

/// RAG of `days` delayed days against `target_days` (lower is better): green when `days <= target`;
/// red when the target is below the lower bound of the count's exact 95% Poisson interval
/// (significantly worse); amber otherwise (worse, but the target lies inside the interval).
/// A target exactly on a bound counts as inside the interval.
pub fn rag(days: u64, target_days: f64) -> Rag {
    rag_with(days, target_days, poisson_ci_95(days))
}

/// Significantly better when the target is above the interval's upper bound, significantly worse
/// when it is below the lower bound, similar otherwise (a bound itself counts as inside).
pub fn vs_target(days: u64, target_days: f64) -> VsTarget {
    vs_target_with(target_days, poisson_ci_95(days))
}

/// Both judgements of `days` against `target_days`, computing the interval once.
pub fn assess(days: u64, target_days: f64) -> Assessment {
    let ci = poisson_ci_95(days);
    Assessment {
        days,
        target_days,
        ci,
        rag: rag_with(days, target_days, ci),
        vs_target: vs_target_with(target_days, ci),
    }
}

/// [`assess`] of a period of which `days_counted` days are counted: `None` for a period with no
/// day counted (a month that began today), which has no RAG and no significance, not "green,
/// significantly better" from 0 days against a target of 0.
pub fn assess_counted(days: u64, target_days: f64, days_counted: u32) -> Option<Assessment> {
    (days_counted > 0).then(|| assess(days, target_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{TargetUnit, YearMonth};
    use crate::report::rates::target_days;

    /// Expected bounds computed once, independently of statrs, in python3 by bisection on the Poisson
    /// CDF (upper U: P(X <= k; U) = 0.025; lower L: P(X >= k; L) = 0.025), to 6 decimals.
    const EXPECTED: [(u64, f64, f64); 8] = [
        (0, 0.0, 3.688879),
        (1, 0.025318, 5.571643),
        (10, 4.795389, 18.390356),
        (17, 9.903126, 27.218647),
        (43, 31.119313, 57.920718),
        (60, 45.786321, 77.231893),
        (112, 92.220454, 134.765103),
        (978, 917.658644, 1041.266854),
    ];

    #[test]
    fn a_period_with_no_day_counted_has_no_rag_or_significance() {
        // 0 days against a pro-rata target of 0 would read "green, similar"; and against a
        // whole month's 46.5 "green, significantly better": neither is a judgement.
        assert_eq!(assess_counted(0, 0.0, 0), None);
        assert_eq!(assess_counted(0, 46.5, 0), None);
        let a = assess_counted(0, 46.5, 1).unwrap();
        assert_eq!(
            (a.rag, a.vs_target),
            (Rag::Green, VsTarget::SignificantlyBetter)
        );
    }

    #[test]
    fn garwood_interval_matches_independent_values() {
        for (k, lower, upper) in EXPECTED {
            let ci = poisson_ci_95(k);
            assert!((ci.lower - lower).abs() < 1e-5, "k={k} lower {}", ci.lower);
            assert!((ci.upper - upper).abs() < 1e-5, "k={k} upper {}", ci.upper);
            assert!(ci.lower <= k as f64 && k as f64 <= ci.upper);
        }
        assert_eq!(poisson_ci_95(0).lower, 0.0);
    }

    #[test]
    fn rutland_april_to_july_2018_against_one_and_a_half_a_day() {
        let months = [
            (4, 60, Rag::Red),
            (5, 112, Rag::Red),
            (6, 17, Rag::Green),
            (7, 43, Rag::Green),
        ];
        let expected_targets = [45.0, 46.5, 45.0, 46.5];
        for ((m, days, want), t) in months.into_iter().zip(expected_targets) {
            let month = YearMonth::new(2018, m).unwrap();
            let target = target_days(TargetUnit::DaysPerDay, 1.5, month.days(), None).unwrap();
            assert_eq!(target, t);
            let a = assess(days, target);
            assert_eq!(a.rag, want, "{month}: {days} vs {target}, ci {:?}", a.ci);
            assert_eq!(rag(days, target), want);
        }
        // 60 vs 45: the lower bound 45.79 is above 45, so red and significantly worse.
        assert_eq!(vs_target(60, 45.0), VsTarget::SignificantlyWorse);
        assert_eq!(vs_target(112, 46.5), VsTarget::SignificantlyWorse);
        // 17 vs 45: 45 is above the upper bound 27.2: significantly better.
        assert_eq!(vs_target(17, 45.0), VsTarget::SignificantlyBetter);
        // 43 vs 46.5: green, and 46.5 lies inside (31.1, 57.9): similar.
        assert_eq!(vs_target(43, 46.5), VsTarget::Similar);
    }

    #[test]
    fn amber_when_worse_but_not_significantly() {
        // 50 days against 45: the interval of 50 is about (37.1, 65.9), holding 45.
        let a = assess(50, 45.0);
        assert_eq!(a.rag, Rag::Amber);
        assert_eq!(a.vs_target, VsTarget::Similar);
        // Exactly on target is green.
        assert_eq!(rag(45, 45.0), Rag::Green);
        // 0 days is green against any target, even 0.
        assert_eq!(rag(0, 0.0), Rag::Green);
        // 1 day against a target of 0: 0 is below the lower bound 0.0253: red.
        assert_eq!(rag(1, 0.0), Rag::Red);
        // 4 days: interval (1.09, 10.24). A target of 1.5 lies inside it (amber); 1.0 lies below (red).
        assert_eq!(rag(4, 1.5), Rag::Amber);
        assert_eq!(rag(4, 1.0), Rag::Red);
    }

    #[test]
    fn strings_are_exact() {
        assert_eq!(Rag::Green.as_str(), "green");
        assert_eq!(Rag::Amber.as_str(), "amber");
        assert_eq!(Rag::Red.to_string(), "red");
        assert_eq!(
            VsTarget::SignificantlyBetter.as_str(),
            "significantly better"
        );
        assert_eq!(VsTarget::Similar.as_str(), "similar");
        assert_eq!(
            VsTarget::SignificantlyWorse.to_string(),
            "significantly worse"
        );
        assert_eq!(serde_json::to_string(&Rag::Amber).unwrap(), "\"amber\"");
        assert_eq!(
            serde_json::to_string(&VsTarget::SignificantlyWorse).unwrap(),
            "\"significantly worse\""
        );
    }
}
