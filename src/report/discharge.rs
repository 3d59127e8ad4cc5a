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

use super::rag::{Rag, VsTarget};
use crate::domain::{
    drd_band, length_of_stay, los_bands, Better, LaCode, Pathway, Setting, ShareMeasure, StayFacts,
    YearMonth,
};
use crate::store::DischargeTarget;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF};
use std::collections::{BTreeMap, HashMap};

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

/// Discharges of a month by pathway, destination and usual residence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathwayRow {
    pub month: YearMonth,
    /// In JSON: `"level": "all"`, or `"la"` / `"site"` with its `"code"`.
    #[serde(flatten)]
    pub level: Level,
    pub discharges: u64,
    /// Discharges on pathways 0, 1, 2, 3.
    pub by_pathway: [u64; 4],
    /// Discharges with no pathway recorded.
    pub unknown_pathway: u64,
    /// Shares of all discharges (the unknown make up the rest).
    pub share_of_all: [Option<f64>; 4],
    /// Shares of the discharges with a known pathway.
    pub share_of_known: [Option<f64>; 4],
    pub pathway1_target: Option<ShareVsTarget>,
    /// Discharges by destination, in the order of [`crate::domain::Destination::ALL`].
    pub by_destination: [u64; 12],
    pub unknown_destination: u64,
    pub usual_residence: u64,
    pub usual_residence_recorded: u64,
    pub usual_residence_share: Option<f64>,
    pub usual_residence_target: Option<ShareVsTarget>,
}

/// Discharge Ready Date figures of a month (bands as in `crate::domain::DRD_BANDS`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrdRow {
    pub month: YearMonth,
    /// In JSON: `"level": "all"`, or `"la"` / `"site"` with its `"code"`.
    #[serde(flatten)]
    pub level: Level,
    /// Discharges of stays of one night or more: the measure's discharges.
    pub discharges: u64,
    /// Of them, those with no ready date recorded: counted as 0-day delays (discharged on their
    /// DRD, which the guidance lets be left blank then).
    pub no_ready_date: u64,
    /// Discharges of same-day stays (admitted and discharged the same day): outside the measure.
    /// `discharges + same_day_stays` = the month's discharges of `report pathways`.
    pub same_day_stays: u64,
    /// Days from ready date to discharge, summed: bed days lost to delay.
    pub bed_days_lost: u64,
    /// Average over all discharges (0-day delays included): the Better Care Fund 2025/26 "average
    /// length of discharge delay".
    pub average_days: Option<f64>,
    /// Average over the delays of 1 day or more.
    pub average_days_excluding_0: Option<f64>,
    /// Discharges in the bands 0, 1, 2–3, 4–6, 7–13, 14–20, 21+.
    pub bands: [u64; 7],
    pub band_shares: [Option<f64>; 7],
    /// Discharged 0 or 1 days after the ready date.
    pub within_24h: u64,
    pub within_24h_share: Option<f64>,
    pub within_24h_target: Option<ShareVsTarget>,
    /// The average delay against its target (days), authority rows only.
    pub average_delay_target: Option<ShareVsTarget>,
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

/// Where the denominator of a length-of-stay share came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// Every inpatient of the row's sites is recorded (stays import).
    RecordedStays,
    /// The day's census of the row's sites (only delayed patients are recorded).
    Census,
    /// Some of the row's sites by their recorded stays, the others by their census.
    RecordedStaysAndCensus,
    /// Neither: the row's inpatients are counted, with no share.
    None,
}

impl Denominator {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RecordedStays => "recorded stays",
            Self::Census => "census",
            Self::RecordedStaysAndCensus => "recorded stays and census",
            Self::None => "none",
        }
    }

    /// The source of a row whose sites have `stays` and `census` denominators.
    fn of(stays: bool, census: bool) -> Self {
        match (stays, census) {
            (true, true) => Self::RecordedStaysAndCensus,
            (true, false) => Self::RecordedStays,
            (false, true) => Self::Census,
            (false, false) => Self::None,
        }
    }
}

/// Why a length-of-stay row has no share.
pub const NO_DENOMINATOR: &str =
    "no share: only delayed patients are recorded at these sites and the day's census is not complete";

/// Length of stay on one day, for one level and type of care, over the sites named in `sites`:
/// either all sites with a denominator on the day (with shares) or all sites without (counts only).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LosRow {
    pub day: NaiveDate,
    /// In JSON: `"level": "all"`, or `"la"` / `"site"` with its `"code"`.
    #[serde(flatten)]
    pub level: Level,
    /// Acute or non-acute (community) beds: shares are never taken over both.
    pub care: Setting,
    /// The sites the row covers (codes, in order).
    pub sites: Vec<String>,
    /// Inpatients recorded in the register on the day at these sites.
    pub recorded: u64,
    pub denominator: Option<u64>,
    pub denominator_source: Denominator,
    /// Inpatients at 7+, 14+, 21+ days (nested).
    pub counts: [u64; 3],
    pub shares: [Option<f64>; 3],
    /// Extra bed days of the patients in each band who no longer meet the criteria to reside.
    pub extra_bed_days: [u64; 3],
    pub los14_target: Option<ShareVsTarget>,
    pub los21_target: Option<ShareVsTarget>,
}

impl LosRow {
    /// Why the row has no share (`None` when it has one).
    pub fn note(&self) -> Option<&'static str> {
        self.denominator.is_none().then_some(NO_DENOMINATOR)
    }
}

/// Criteria to reside on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NctrRow {
    pub day: NaiveDate,
    /// In JSON: `"level": "all"`, or `"la"` / `"site"` with its `"code"`.
    #[serde(flatten)]
    pub level: Level,
    pub not_meeting: u64,
    pub discharged: u64,
    pub remaining: u64,
}

fn month_of_discharge(s: &StayFacts) -> Option<(YearMonth, NaiveDate)> {
    s.discharged_day().map(|d| (YearMonth::of(d), d))
}

fn in_range(m: YearMonth, from: YearMonth, to: YearMonth) -> bool {
    from <= m && m <= to
}

/// Discharges by pathway, destination and usual residence per month from `from` to `to`.
pub fn pathways(
    stays: &[StayFacts],
    from: YearMonth,
    to: YearMonth,
    targets: &Targets,
) -> Vec<PathwayRow> {
    #[derive(Default)]
    struct Acc {
        n: u64,
        pw: [u64; 4],
        dest: [u64; 12],
        usual: u64,
        usual_recorded: u64,
    }
    let mut acc: BTreeMap<(YearMonth, Level), Acc> = BTreeMap::new();
    for s in stays {
        let Some((m, _)) = month_of_discharge(s) else {
            continue;
        };
        if !in_range(m, from, to) {
            continue;
        }
        for level in Level::of(s) {
            let a = acc.entry((m, level)).or_default();
            a.n += 1;
            if let Some(p) = s.pathway() {
                a.pw[usize::from(p.number())] += 1;
            }
            if let Some(d) = s.destination {
                if let Some(i) = crate::domain::Destination::ALL.iter().position(|x| *x == d) {
                    a.dest[i] += 1;
                }
            }
            if let Some(u) = s.usual_residence {
                a.usual_recorded += 1;
                a.usual += u64::from(u);
            }
        }
    }
    acc.into_iter()
        .map(|((month, level), a)| {
            let known: u64 = a.pw.iter().sum();
            let p1 = a.pw[usize::from(Pathway::P1.number())];
            PathwayRow {
                pathway1_target: targets.judge(&level, month, ShareMeasure::Pathway1, p1, known),
                usual_residence_target: targets.judge(
                    &level,
                    month,
                    ShareMeasure::UsualResidence,
                    a.usual,
                    a.usual_recorded,
                ),
                month,
                level,
                discharges: a.n,
                by_pathway: a.pw,
                unknown_pathway: a.n - known,
                share_of_all: a.pw.map(|k| percent(k, a.n)),
                share_of_known: a.pw.map(|k| percent(k, known)),
                unknown_destination: a.n - a.dest.iter().sum::<u64>(),
                by_destination: a.dest,
                usual_residence: a.usual,
                usual_residence_recorded: a.usual_recorded,
                usual_residence_share: percent(a.usual, a.usual_recorded),
            }
        })
        .collect()
}

/// Discharge Ready Date figures per month from `from` to `to` (see the module doc: same-day stays
/// apart, a discharge with no ready date a 0-day delay).
pub fn drd(stays: &[StayFacts], from: YearMonth, to: YearMonth, targets: &Targets) -> Vec<DrdRow> {
    #[derive(Default)]
    struct Acc {
        days: Vec<u64>,
        no_ready_date: u64,
        same_day: u64,
    }
    let mut acc: BTreeMap<(YearMonth, Level), Acc> = BTreeMap::new();
    for s in stays {
        let Some((m, left)) = month_of_discharge(s) else {
            continue;
        };
        if !in_range(m, from, to) {
            continue;
        }
        let same_day = s.admitted_on >= left;
        let ready = s.discharge_delay().map(|d| d.ready_on);
        let days = ready.map_or(0, |r| (left - r).num_days().max(0) as u64);
        for level in Level::of(s) {
            let a = acc.entry((m, level)).or_default();
            if same_day {
                a.same_day += 1;
                continue;
            }
            a.days.push(days);
            a.no_ready_date += u64::from(ready.is_none());
        }
    }
    acc.into_iter()
        .map(|((month, level), a)| {
            let mut row = drd_row(month, level, &a.days, a.no_ready_date, targets);
            row.same_day_stays = a.same_day;
            row
        })
        .collect()
}

/// The DRD figures of one set of discharges, `days` from ready date to discharge each (0 for
/// the `no_ready_date` discharges among them).
pub fn drd_row(
    month: YearMonth,
    level: Level,
    days: &[u64],
    no_ready_date: u64,
    targets: &Targets,
) -> DrdRow {
    let n = days.len() as u64;
    let total: u64 = days.iter().sum();
    let nonzero = days.iter().filter(|&&d| d > 0).count() as u64;
    let mut bands = [0u64; 7];
    for &d in days {
        bands[drd_band(u32::try_from(d).unwrap_or(u32::MAX))] += 1;
    }
    let within = bands[0] + bands[1];
    let average = (n > 0).then(|| total as f64 / n as f64);
    let average_delay_target = average.and_then(|mean| {
        let Level::Authority(la) = &level else {
            return None;
        };
        let target = targets
            .0
            .get(&(la.clone(), month, ShareMeasure::AverageDelay))?;
        let var =
            days.iter().map(|&d| (d as f64 - mean).powi(2)).sum::<f64>() / (n.max(2) - 1) as f64;
        Some(mean_rag(mean, var.sqrt(), n, *target))
    });
    DrdRow {
        within_24h_target: targets.judge(&level, month, ShareMeasure::Within24h, within, n),
        average_delay_target,
        month,
        level,
        discharges: n,
        no_ready_date,
        same_day_stays: 0,
        bed_days_lost: total,
        average_days: average,
        average_days_excluding_0: (nonzero > 0).then(|| total as f64 / nonzero as f64),
        band_shares: bands.map(|b| percent(b, n)),
        bands,
        within_24h: within,
        within_24h_share: percent(within, n),
    }
}

/// What [`los`] needs besides the stays: the type of care of each site, the census of every
/// authority (a site's census is complete with a cell for each of `authorities`), and the
/// authorities asked for (all when empty; the census cells counted are theirs).
pub struct LosScope<'a> {
    pub care: &'a HashMap<String, Setting>,
    pub census: &'a [(NaiveDate, String, LaCode, u32)],
    pub authorities: usize,
    pub las: &'a [LaCode],
}

impl LosScope<'_> {
    fn care_of(&self, site: &str) -> Setting {
        self.care.get(site).copied().unwrap_or(Setting::Acute)
    }
}

/// Where a site's denominator comes from on a day.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SiteDenominator {
    Stays,
    Census,
    None,
}

/// Length of stay on each of `days`, per level, type of care and coverage (see the module doc):
/// counts, shares over the sites with a denominator, extra bed days, targets (authority rows with
/// a denominator).
pub fn los(
    stays: &[StayFacts],
    days: &[NaiveDate],
    targets: &Targets,
    scope: &LosScope<'_>,
) -> Vec<LosRow> {
    #[derive(Default)]
    struct Acc {
        sites: std::collections::BTreeSet<String>,
        recorded: u64,
        /// Recorded inpatients of the sites whose every stay is recorded, and the census of the others.
        stays_denominator: u64,
        census: u64,
        by_stays: bool,
        by_census: bool,
        counts: [u64; 3],
        extra: [u64; 3],
    }
    let mut out = Vec::new();
    for &day in days {
        let inpatients: Vec<&StayFacts> = stays.iter().filter(|s| s.is_inpatient(day)).collect();
        // Each site's denominator on the day.
        let mut cells: HashMap<&str, u64> = HashMap::new();
        for (_, site, _, _) in scope.census.iter().filter(|c| c.0 == day) {
            *cells.entry(site.as_str()).or_default() += 1;
        }
        let all_recorded: std::collections::HashSet<&str> = inpatients
            .iter()
            .filter(|s| s.delays.is_empty())
            .map(|s| s.site_code.as_str())
            .collect();
        let site_denominator = |site: &str| {
            if all_recorded.contains(site) {
                SiteDenominator::Stays
            } else if cells.get(site).copied().unwrap_or(0) >= scope.authorities.max(1) as u64 {
                SiteDenominator::Census
            } else {
                SiteDenominator::None
            }
        };
        // Keyed by level, type of care, and whether the sites have a denominator (first).
        let mut acc: BTreeMap<(Level, Setting, bool), Acc> = BTreeMap::new();
        let add = |acc: &mut BTreeMap<(Level, Setting, bool), Acc>,
                   site: &str,
                   la: &LaCode|
         -> (Vec<(Level, Setting, bool)>, SiteDenominator) {
            let d = site_denominator(site);
            let care = scope.care_of(site);
            let keys = [
                Level::All,
                Level::Authority(la.clone()),
                Level::Site(site.to_string()),
            ]
            .map(|l| (l, care, d == SiteDenominator::None));
            for k in &keys {
                let a = acc.entry(k.clone()).or_default();
                a.sites.insert(site.to_string());
                a.by_stays |= d == SiteDenominator::Stays;
                a.by_census |= d == SiteDenominator::Census;
            }
            (keys.to_vec(), d)
        };
        for s in &inpatients {
            let Some(l) = length_of_stay(s.admitted_on, day) else {
                continue;
            };
            let bands = los_bands(l);
            let ready = s
                .delays
                .iter()
                .filter(|d| d.open_at_end_of(day))
                .map(|d| d.ready_on)
                .min();
            let (keys, d) = add(&mut acc, &s.site_code, &s.la_code);
            for k in keys {
                let Some(a) = acc.get_mut(&k) else { continue };
                a.recorded += 1;
                a.stays_denominator += u64::from(d == SiteDenominator::Stays);
                for (i, inb) in bands.iter().enumerate() {
                    if *inb {
                        a.counts[i] += 1;
                        if let Some(r) = ready {
                            a.extra[i] += (day - r).num_days().max(0) as u64;
                        }
                    }
                }
            }
        }
        for (_, site, la, n) in scope.census.iter().filter(|c| c.0 == day) {
            if site_denominator(site) != SiteDenominator::Census
                || !(scope.las.is_empty() || scope.las.contains(la))
            {
                continue;
            }
            for k in add(&mut acc, site, la).0 {
                if let Some(a) = acc.get_mut(&k) {
                    a.census += u64::from(*n);
                }
            }
        }
        for ((level, care, no_denominator), a) in acc {
            // Sites with their stays recorded count their recorded inpatients; the others their
            // census (their recorded inpatients are delayed patients only).
            let denominator = (!no_denominator).then_some(a.stays_denominator + a.census);
            let month = YearMonth::of(day);
            let judge = |m, k| denominator.and_then(|n| targets.judge(&level, month, m, k, n));
            out.push(LosRow {
                los14_target: judge(ShareMeasure::Los14, a.counts[1]),
                los21_target: judge(ShareMeasure::Los21, a.counts[2]),
                day,
                shares: a.counts.map(|k| denominator.and_then(|n| percent(k, n))),
                level,
                care,
                sites: a.sites.into_iter().collect(),
                recorded: a.recorded,
                denominator,
                denominator_source: Denominator::of(a.by_stays, a.by_census),
                counts: a.counts,
                extra_bed_days: a.extra,
            });
        }
    }
    out
}

/// Length of stay on each of `days` (in order) for the authorities `las` (all when empty), read
/// from the store (stays, census, sites' type of care, targets): the one computation `report los`,
/// `chart los`, the Long stay screen and the Discharges screen show.
pub fn load_los(
    store: &crate::store::Store,
    days: &[NaiveDate],
    las: &[LaCode],
) -> crate::Result<Vec<LosRow>> {
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        return Ok(Vec::new());
    };
    let stays = store.stay_facts(first, last.succ_opt().unwrap_or(last), las)?;
    let census = store.census_between(first, last)?;
    let care: HashMap<String, Setting> = store
        .sites()?
        .into_iter()
        .map(|s| (s.code, s.setting))
        .collect();
    let authorities = store.authorities()?.len();
    let targets =
        Targets::new(&store.discharge_targets(YearMonth::of(first), YearMonth::of(last))?);
    let scope = LosScope {
        care: &care,
        census: &census,
        authorities,
        las,
    };
    Ok(los(&stays, days, &targets, &scope))
}

/// The inpatients at 7+, 14+, 21+ days on `day` and their extra bed days, per level, over every
/// stay given (the sitreps' weekly snapshots: their stays are of one type of care already, and
/// they need counts, not shares).
pub fn los_counts(stays: &[StayFacts], day: NaiveDate) -> Vec<(Level, [u64; 3], [u64; 3])> {
    let care = HashMap::new();
    let scope = LosScope {
        care: &care,
        census: &[],
        authorities: 0,
        las: &[],
    };
    let mut by: BTreeMap<Level, ([u64; 3], [u64; 3])> = BTreeMap::new();
    for r in los(stays, &[day], &Targets::new(&[]), &scope) {
        let e = by.entry(r.level).or_default();
        for i in 0..3 {
            e.0[i] += r.counts[i];
            e.1[i] += r.extra_bed_days[i];
        }
    }
    by.into_iter().map(|(l, (c, x))| (l, c, x)).collect()
}

/// Criteria to reside on each of `days`: every stay discharged on the day (a delay recorded or
/// not: a discharged patient no longer met the criteria that day; deaths apart) and every delay
/// still open at its end.
pub fn nctr(stays: &[StayFacts], days: &[NaiveDate]) -> Vec<NctrRow> {
    let mut out = Vec::new();
    for &day in days {
        let mut acc: BTreeMap<Level, (u64, u64)> = BTreeMap::new();
        acc.entry(Level::All).or_default();
        for s in stays {
            let discharged = s.discharged_day() == Some(day);
            let not_meeting = discharged || s.delays.iter().any(|d| d.open_at_end_of(day));
            if !not_meeting {
                continue;
            }
            for level in Level::of(s) {
                let a = acc.entry(level).or_default();
                a.0 += 1;
                a.1 += u64::from(discharged);
            }
        }
        out.extend(acc.into_iter().map(|(level, (n, d))| NctrRow {
            day,
            level,
            not_meeting: n,
            discharged: d,
            remaining: n - d,
        }));
    }
    out
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

/// Inpatients with length of stay 14+ days who no longer meet the criteria to reside at the end of
/// each of `days`, by the acute sitrep reason in force (order of [`crate::domain::AcuteReason::ALL`]),
/// summed over the days; and how many of them had no acute reason recorded.
pub fn long_stay_reasons(
    stays: &[StayFacts],
    days: &[NaiveDate],
) -> BTreeMap<Level, ([u64; 18], u64)> {
    let mut acc: BTreeMap<Level, ([u64; 18], u64)> = BTreeMap::new();
    for &day in days {
        for s in stays.iter().filter(|s| s.is_inpatient(day)) {
            if length_of_stay(s.admitted_on, day).is_none_or(|l| l < 14) {
                continue;
            }
            let Some(d) = s.delays.iter().find(|d| d.open_at_end_of(day)) else {
                continue;
            };
            let reason = d
                .acute_reason_on(day)
                .and_then(|r| crate::domain::AcuteReason::ALL.iter().position(|x| *x == r));
            for level in Level::of(s) {
                let a = acc.entry(level).or_default();
                match reason {
                    Some(i) => a.0[i] += 1,
                    None => a.1 += 1,
                }
            }
        }
    }
    acc
}
