//! Discharges by pathway, destination and usual residence, and the Discharge Ready Date figures.

use super::{in_range, mean_rag, month_of_discharge, percent, Level, ShareVsTarget, Targets};
use crate::domain::{drd_band, Pathway, ShareMeasure, StayFacts, YearMonth};
use serde::Serialize;
use std::collections::BTreeMap;

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
