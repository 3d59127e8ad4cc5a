//! Discharge and length-of-stay measures (docs/discharge.md), as pure functions of the stays and their
//! delays ([`StayFacts`]), the census and the targets.
//!
//! Every measure is given for all stays, per local authority and per site (`Level`). Choices, written
//! down, as the rules in docs/ ask:
//! - A discharge falls in the month of the day the patient left the bed: the stay's discharge date,
//!   else the end of a delay that ended in discharge or transfer.
//! - Pathway: the one recorded, else the one of the destination. Discharges with no pathway are
//!   counted and shown as `unknown`; shares are given both of all discharges and of those with a
//!   known pathway, and the pathway 1 target is judged on the share of known pathways.
//! - Usual residence: the share of discharges where it is recorded; the unrecorded are stated.
//! - Discharge Ready Date (NHS England's DRD guidance): measured on the discharges of stays of one
//!   night or more (a same-day stay is outside it, and counted apart so that the figures add up to
//!   `report pathways`); the DRD is the ready date of the delay that ended with the discharge, and
//!   a discharge with none recorded left on its DRD (the guidance lets it be left blank then): a
//!   0-day delay. Days from it to discharge; within 24 hours = 0 or 1 days; bed days lost = the sum
//!   of those days; the average over all of them is the Better Care Fund 2025/26 "average length
//!   of discharge delay", judged against its target (days) with the 95% interval of the mean.
//! - Length of stay on day D (docs/discharge.md): inpatients still in at midnight of D (a stay ends at
//!   its discharge or death). A share is computed per type of care (acute, non-acute) over the
//!   sites that have a denominator on D: every inpatient recorded (the site has an inpatient with
//!   no delay: an all-inpatient stays import), else a complete census (a cell for every
//!   authority). The other sites' inpatients are counted in a row of their own with no share.
//!   Each row names its sites ([`los`], [`load_los`]).
//! - Extra bed days of a band (acute sitrep table 3): for inpatients in the band who no longer
//!   meet the criteria to reside at the end of D, the days since their ready date.
//! - Criteria to reside on day D (docs/discharge.md): discharged = every stay discharged on D, a delay
//!   recorded or not (a death is not a discharge); not meeting = those discharged plus the
//!   patients still delayed at the end of D; remaining = the difference.
//! - Weekly snapshots: a month holds the weeks that end in it ([`snapshot_weeks`]); each site takes
//!   its snapshot on its chosen day of the week (Monday by default).
//! - RAG against a percentage target as for the DTOC targets (docs/measures.md): green at or better
//!   than the target; red when the target lies outside the exact (Clopper–Pearson) 95% interval of
//!   the share on the better side; amber otherwise.
//!
//! `pathways` holds the discharges by pathway and the DRD figures, `los` the length of stay on a
//! day, `nctr` the criteria to reside and the long-stay reasons; this file the levels, shares,
//! targets and the days they are taken on.

mod los;
mod nctr;
mod pathways;

pub use los::{load_los, los, los_counts, Denominator, LosRow, LosScope, NO_DENOMINATOR};
pub use nctr::{long_stay_reasons, nctr, NctrRow};
pub use pathways::{drd, drd_row, pathways, DrdRow, PathwayRow};

use super::rag::{Rag, VsTarget};
use crate::domain::{Better, LaCode, ShareMeasure, StayFacts, YearMonth};
use crate::store::DischargeTarget;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF};
use std::collections::HashMap;

/// What a row covers: every stay, one authority, or one site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "level", content = "code", rename_all = "lowercase")]
pub enum Level {
    All,
    #[serde(rename = "la")]
    Authority(LaCode),
    Site(String),
}

impl Level {
    /// `all`, `la` or `site`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Authority(_) => "la",
            Self::Site(_) => "site",
        }
    }

    /// The authority or site code (`all` for every stay).
    pub fn code(&self) -> &str {
        match self {
            Self::All => "all",
            Self::Authority(c) => c.as_str(),
            Self::Site(c) => c,
        }
    }

    fn of(s: &StayFacts) -> [Level; 3] {
        [
            Level::All,
            Level::Authority(s.la_code.clone()),
            Level::Site(s.site_code.clone()),
        ]
    }
}

/// `part` as a percentage of `whole`; `None` when `whole` is 0.
pub fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// The exact (Clopper–Pearson) 95% interval of a share `k / n`, in percent.
pub fn share_ci_95(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 || k > n {
        return None;
    }
    let (kf, nf) = (k as f64, n as f64);
    let lower = if k == 0 {
        0.0
    } else {
        Beta::new(kf, nf - kf + 1.0).map_or(0.0, |b| b.inverse_cdf(0.025))
    };
    let upper = if k == n {
        1.0
    } else {
        Beta::new(kf + 1.0, nf - kf).map_or(1.0, |b| b.inverse_cdf(0.975))
    };
    Some((lower * 100.0, upper * 100.0))
}

/// A share judged against its target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShareVsTarget {
    pub target_percent: f64,
    pub rag: Rag,
    pub vs_target: VsTarget,
}

/// RAG of `k` out of `n` against `target_percent` (see the module doc).
pub fn share_rag(k: u64, n: u64, target_percent: f64, better: Better) -> Option<ShareVsTarget> {
    let share = percent(k, n)?;
    let (lo, hi) = share_ci_95(k, n)?;
    let (at_or_better, sig_worse, sig_better) = match better {
        Better::Higher => (
            share >= target_percent,
            hi < target_percent,
            lo > target_percent,
        ),
        Better::Lower => (
            share <= target_percent,
            lo > target_percent,
            hi < target_percent,
        ),
    };
    let rag = if at_or_better {
        Rag::Green
    } else if sig_worse {
        Rag::Red
    } else {
        Rag::Amber
    };
    let vs_target = if sig_worse {
        VsTarget::SignificantlyWorse
    } else if sig_better {
        VsTarget::SignificantlyBetter
    } else {
        VsTarget::Similar
    };
    Some(ShareVsTarget {
        target_percent,
        rag,
        vs_target,
    })
}

/// Targets by authority, month and measure.
pub struct Targets(HashMap<(LaCode, YearMonth, ShareMeasure), f64>);

impl Targets {
    pub fn new(targets: &[DischargeTarget]) -> Self {
        Self(
            targets
                .iter()
                .map(|t| ((t.la_code.clone(), t.month, t.measure), t.percent))
                .collect(),
        )
    }

    /// Judges `k / n` for a row: only authority rows have targets.
    fn judge(
        &self,
        level: &Level,
        month: YearMonth,
        m: ShareMeasure,
        k: u64,
        n: u64,
    ) -> Option<ShareVsTarget> {
        let Level::Authority(la) = level else {
            return None;
        };
        let t = self.0.get(&(la.clone(), month, m))?;
        share_rag(k, n, *t, m.better())
    }
}

/// RAG of an average `mean` of `n` values with standard deviation `sd` against `target` (lower is
/// better), as for the shares: green at or below the target; red when the whole 95% interval of
/// the mean (normal approximation, mean ± 1.96 sd / √n) is above it; amber otherwise. With fewer
/// than 2 values there is no interval: above the target is amber.
pub fn mean_rag(mean: f64, sd: f64, n: u64, target: f64) -> ShareVsTarget {
    let half = if n >= 2 {
        1.96 * sd / (n as f64).sqrt()
    } else {
        f64::INFINITY
    };
    let (lo, hi) = (mean - half, mean + half);
    let rag = if mean <= target {
        Rag::Green
    } else if lo > target {
        Rag::Red
    } else {
        Rag::Amber
    };
    let vs_target = if lo > target {
        VsTarget::SignificantlyWorse
    } else if hi < target {
        VsTarget::SignificantlyBetter
    } else {
        VsTarget::Similar
    };
    ShareVsTarget {
        target_percent: target,
        rag,
        vs_target,
    }
}

fn month_of_discharge(s: &StayFacts) -> Option<(YearMonth, NaiveDate)> {
    s.discharged_day().map(|d| (YearMonth::of(d), d))
}

fn in_range(m: YearMonth, from: YearMonth, to: YearMonth) -> bool {
    from <= m && m <= to
}

/// The weeks of a month's weekly snapshots (docs/discharge.md): the weeks (Monday to Sunday) that end
/// in it, by their Monday. January 2024: w/c 1, 8, 15 and 22 January (w/c 29 January ends in
/// February).
pub fn snapshot_weeks(month: YearMonth) -> Vec<NaiveDate> {
    let first_sunday = month
        .first_day()
        .iter_days()
        .find(|d| d.weekday() == chrono::Weekday::Sun);
    first_sunday
        .into_iter()
        .flat_map(|s| s.iter_days().step_by(7))
        .take_while(|s| *s <= month.last_day())
        .filter_map(|s| s.checked_sub_days(chrono::Days::new(6)))
        .collect()
}

/// The Mondays from `from` to `to` (inclusive): the weekly snapshot days.
pub fn mondays(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let offset = u64::from(from.weekday().num_days_from_monday());
    let first = if offset == 0 {
        Some(from)
    } else {
        from.checked_add_days(chrono::Days::new(7 - offset))
    };
    first
        .into_iter()
        .flat_map(|f| f.iter_days().step_by(7))
        .take_while(|d| *d <= to)
        .collect()
}

/// Every day from `from` to `to` (inclusive).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days().take_while(|d| *d <= to).collect()
}
