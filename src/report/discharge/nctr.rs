//! Criteria to reside on a day, and the long-stay patients by acute sitrep reason.

use super::Level;
use crate::domain::{length_of_stay, StayFacts};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

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
