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
//! - Discharge Ready Date: the ready date of the delay that ended with the discharge; days from it
//!   to discharge (a 0-day delay is ready and discharged the same day). Discharges with no delay
//!   recorded have no ready date: they are stated, not counted. Within 24 hours = 0 or 1 days.
//!   Bed days lost = the sum of those days.
//! - Length of stay on day D (docs/discharge.md): inpatients still in at midnight of D. The denominator
//!   of a share is the recorded inpatients when the register holds patients who are not delayed
//!   (an all-inpatient stays import), else the day's census, else there is none and no share.
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
    drd_band, length_of_stay, los_bands, Better, LaCode, Pathway, ShareMeasure, StayFacts,
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
    /// Discharges with a ready date.
    pub discharges: u64,
    /// Discharges with no ready date recorded (not counted below).
    pub no_ready_date: u64,
    /// Days from ready date to discharge, summed: bed days lost to delay.
    pub bed_days_lost: u64,
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
}

/// Where the denominator of a length-of-stay share came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// Every inpatient is recorded (stays import).
    RecordedStays,
    /// The day's census (only delayed patients are recorded).
    Census,
    /// Neither: no share.
    None,
}

impl Denominator {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RecordedStays => "recorded stays",
            Self::Census => "census",
            Self::None => "none",
        }
    }
}

/// Length of stay on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LosRow {
    pub day: NaiveDate,
    /// In JSON: `"level": "all"`, or `"la"` / `"site"` with its `"code"`.
    #[serde(flatten)]
    pub level: Level,
    /// Inpatients recorded in the register on the day.
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

/// Discharge Ready Date figures per month from `from` to `to`.
pub fn drd(stays: &[StayFacts], from: YearMonth, to: YearMonth, targets: &Targets) -> Vec<DrdRow> {
    #[derive(Default)]
    struct Acc {
        days: Vec<u64>,
        none: u64,
    }
    let mut acc: BTreeMap<(YearMonth, Level), Acc> = BTreeMap::new();
    for s in stays {
        let Some((m, left)) = month_of_discharge(s) else {
            continue;
        };
        if !in_range(m, from, to) {
            continue;
        }
        let days = s
            .discharge_delay()
            .map(|d| (left - d.ready_on).num_days().max(0) as u64);
        for level in Level::of(s) {
            let a = acc.entry((m, level)).or_default();
            match days {
                Some(x) => a.days.push(x),
                None => a.none += 1,
            }
        }
    }
    acc.into_iter()
        .map(|((month, level), a)| drd_row(month, level, &a.days, a.none, targets))
        .collect()
}

/// The DRD figures of one set of discharges, `days` from ready date to discharge each.
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
    DrdRow {
        within_24h_target: targets.judge(&level, month, ShareMeasure::Within24h, within, n),
        month,
        level,
        discharges: n,
        no_ready_date,
        bed_days_lost: total,
        average_days: (n > 0).then(|| total as f64 / n as f64),
        average_days_excluding_0: (nonzero > 0).then(|| total as f64 / nonzero as f64),
        band_shares: bands.map(|b| percent(b, n)),
        bands,
        within_24h: within,
        within_24h_share: percent(within, n),
    }
}

/// The census of a day summed per level.
fn census_by_level(
    census: &[(NaiveDate, String, LaCode, u32)],
    day: NaiveDate,
) -> HashMap<Level, u64> {
    let mut out: HashMap<Level, u64> = HashMap::new();
    for (_, site, la, n) in census.iter().filter(|c| c.0 == day) {
        for level in [
            Level::All,
            Level::Authority(la.clone()),
            Level::Site(site.clone()),
        ] {
            *out.entry(level).or_default() += u64::from(*n);
        }
    }
    out
}

/// Length of stay on each of `days`: counts, shares against their denominator, extra bed days.
pub fn los(
    stays: &[StayFacts],
    census: &[(NaiveDate, String, LaCode, u32)],
    days: &[NaiveDate],
    targets: &Targets,
) -> Vec<LosRow> {
    #[derive(Default)]
    struct Acc {
        recorded: u64,
        not_delayed: u64,
        counts: [u64; 3],
        extra: [u64; 3],
    }
    let mut out = Vec::new();
    for &day in days {
        let mut acc: BTreeMap<Level, Acc> = BTreeMap::new();
        for s in stays.iter().filter(|s| s.is_inpatient(day)) {
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
            for level in Level::of(s) {
                let a = acc.entry(level).or_default();
                a.recorded += 1;
                if s.delays.is_empty() {
                    a.not_delayed += 1;
                }
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
        let census = census_by_level(census, day);
        for level in census.keys() {
            acc.entry(level.clone()).or_default();
        }
        for (level, a) in acc {
            let (denominator, source) = if a.not_delayed > 0 {
                (Some(a.recorded), Denominator::RecordedStays)
            } else if let Some(c) = census.get(&level) {
                (Some(*c), Denominator::Census)
            } else {
                (None, Denominator::None)
            };
            let month = YearMonth::of(day);
            let judge = |m, k| denominator.and_then(|n| targets.judge(&level, month, m, k, n));
            out.push(LosRow {
                los14_target: judge(ShareMeasure::Los14, a.counts[1]),
                los21_target: judge(ShareMeasure::Los21, a.counts[2]),
                day,
                shares: a.counts.map(|k| denominator.and_then(|n| percent(k, n))),
                level,
                recorded: a.recorded,
                denominator,
                denominator_source: source,
                counts: a.counts,
                extra_bed_days: a.extra,
            });
        }
    }
    out
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
