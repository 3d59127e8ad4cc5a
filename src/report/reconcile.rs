//! Reconciliation of a month (docs/signoff.md): the locally signed delayed days (the days of weeks both
//! sides signed off that fall in the month) against the figures the hospital reported, per
//! authority and measure; with a patient-level report, the days present on one side only and the
//! days whose reason or attribution differ. Pure: the store hands over both sides and the marks.
//!
//! Weeks not signed by both sides contribute no signed days; the report says how many days of the
//! month lie in such weeks, so that a difference caused by unsigned weeks is not mistaken for a
//! dispute.

use crate::domain::{Attribution, DelayedDay, MarkStatus, Measure, ReasonCode, Week, YearMonth};
use crate::store::{ReconcileMark, ReportedDay, ReportedTotal};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Signed against reported days for one authority and measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReconcileRow {
    /// An authority code, or `unknown` (UNKNOWN_LA) for a reported day of a patient never seen here.
    pub la_code: String,
    pub measure: Measure,
    pub signed_days: u64,
    /// `None` when the hospital reported nothing for this authority and measure.
    pub reported_days: Option<u64>,
    /// Reported minus signed.
    pub difference: Option<i64>,
    pub status: Option<MarkStatus>,
    pub note: Option<String>,
}

/// How one patient's day differs between the two sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DayDifference {
    /// Signed locally, not reported.
    LocalOnly,
    /// Reported, not signed locally.
    ReportedOnly,
    /// On both sides with another reason or attribution.
    Differs,
}

impl DayDifference {
    pub fn label(self) -> &'static str {
        match self {
            Self::LocalOnly => "local only",
            Self::ReportedOnly => "reported only",
            Self::Differs => "differs",
        }
    }
}

/// A patient's day that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayDiff {
    /// An authority code, or `unknown` (UNKNOWN_LA) for a reported day of a patient never seen here.
    pub la_code: String,
    pub local_id: String,
    pub day: NaiveDate,
    pub kind: DayDifference,
    pub local: Option<(ReasonCode, Attribution)>,
    pub reported: Option<(ReasonCode, Attribution)>,
    pub status: Option<MarkStatus>,
    pub note: Option<String>,
}

/// A month's reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    pub month: String,
    /// Weeks overlapping the month that are not signed by both sides.
    pub unsigned_weeks: Vec<String>,
    /// Days of the month up to the day before today that lie in those weeks.
    pub unsigned_days: u32,
    /// Whether the hospital's figures were totals or patient-level (or nothing yet).
    pub reported_as: &'static str,
    pub rows: Vec<ReconcileRow>,
    pub day_diffs: Vec<DayDiff>,
    pub contested_days: u64,
    pub accepted_days: u64,
}

impl Reconciliation {
    /// Delayed days that differ between the two sides: the patients' days that differ when the
    /// hospital reported patient-level days, else the authorities' total differences (the
    /// attribution measures split the same days, so only `total` counts).
    pub fn days_that_differ(&self) -> u64 {
        if !self.day_diffs.is_empty() {
            return self.day_diffs.len() as u64;
        }
        self.rows
            .iter()
            .filter(|r| r.measure == Measure::Total)
            .filter_map(|r| r.difference)
            .map(i64::unsigned_abs)
            .sum()
    }
}

/// What a reconciliation is computed from.
pub struct ReconcileInputs<'a> {
    pub month: YearMonth,
    /// Signed days falling in the month.
    pub signed: &'a [DelayedDay],
    /// Weeks signed by both sides (`2018-W27`).
    pub frozen_weeks: &'a [String],
    pub totals: &'a [ReportedTotal],
    pub days: &'a [ReportedDay],
    pub marks: &'a [ReconcileMark],
    /// Each patient's authority, for reported days with no local counterpart.
    pub patient_la: &'a BTreeMap<String, String>,
    /// Today: only the days before it can be in weeks not yet signed (a month in progress has
    /// not had its later days).
    pub today: NaiveDate,
}

/// The authority of a reported day with no local counterpart, when not otherwise known.
pub const UNKNOWN_LA: &str = "unknown";

fn measure_of(a: Attribution) -> Measure {
    match a {
        Attribution::Nhs => Measure::Nhs,
        Attribution::SocialCare => Measure::SocialCare,
        Attribution::Both => Measure::Both,
    }
}

/// Reconciles a month.
pub fn reconcile(inp: &ReconcileInputs<'_>) -> Reconciliation {
    let month = inp.month;
    let frozen: BTreeSet<&str> = inp.frozen_weeks.iter().map(String::as_str).collect();
    let mut unsigned_weeks = Vec::new();
    let mut unsigned_days = 0;
    let mut day = month.first_day();
    while day < month.end_exclusive().min(inp.today) {
        let w = Week::of(day).key();
        if !frozen.contains(w.as_str()) {
            unsigned_days += 1;
            if unsigned_weeks.last() != Some(&w) {
                unsigned_weeks.push(w);
            }
        }
        day = day.succ_opt().unwrap_or(month.end_exclusive());
    }

    // Local signed days by patient and day (a patient has one delay on a day).
    let in_month = |d: NaiveDate| YearMonth::of(d) == month;
    let local: BTreeMap<(&str, NaiveDate), &DelayedDay> = inp
        .signed
        .iter()
        .filter(|d| in_month(d.day))
        .map(|d| ((d.local_id.as_str(), d.day), d))
        .collect();
    // A patient's authority: from their signed days, else their latest stay, else unknown.
    let signed_la: BTreeMap<&str, &str> = local
        .values()
        .map(|d| (d.local_id.as_str(), d.la_code.as_str()))
        .collect();
    let la_of = |local_id: &str| -> String {
        signed_la
            .get(local_id)
            .map(|la| la.to_string())
            .or_else(|| inp.patient_la.get(local_id).cloned())
            .unwrap_or_else(|| UNKNOWN_LA.to_string())
    };

    let mut signed: BTreeMap<(String, Measure), u64> = BTreeMap::new();
    for d in local.values() {
        *signed
            .entry((d.la_code.to_string(), Measure::Total))
            .or_default() += 1;
        *signed
            .entry((d.la_code.to_string(), measure_of(d.attribution)))
            .or_default() += 1;
    }
    let mut reported: BTreeMap<(String, Measure), u64> = BTreeMap::new();
    let reported_as = if !inp.totals.is_empty() {
        for t in inp.totals {
            reported.insert((t.la_code.to_string(), t.measure), t.delayed_days);
        }
        "totals"
    } else if !inp.days.is_empty() {
        for d in inp.days.iter().filter(|d| in_month(d.day)) {
            let la = local
                .get(&(d.local_id.as_str(), d.day))
                .map_or_else(|| la_of(&d.local_id), |l| l.la_code.to_string());
            *reported.entry((la.clone(), Measure::Total)).or_default() += 1;
            *reported.entry((la, measure_of(d.attribution))).or_default() += 1;
        }
        "patient-level"
    } else {
        "nothing reported yet"
    };

    let mark_of = |la: &str, m: Measure, local_id: &str, day: Option<NaiveDate>| {
        inp.marks
            .iter()
            .find(|k| k.la_code == la && k.measure == m && k.local_id == local_id && k.day == day)
    };

    let las: BTreeSet<&str> = signed
        .keys()
        .chain(reported.keys())
        .map(|(la, _)| la.as_str())
        .collect();
    let mut rows = Vec::new();
    for la in las {
        for m in Measure::ALL {
            let s = signed.get(&(la.to_string(), m)).copied().unwrap_or(0);
            let r = reported.get(&(la.to_string(), m)).copied();
            if s == 0 && r.is_none() {
                continue;
            }
            let mark = mark_of(la, m, "", None);
            rows.push(ReconcileRow {
                la_code: la.to_string(),
                measure: m,
                signed_days: s,
                reported_days: r,
                difference: r.map(|r| r as i64 - s as i64),
                status: mark.map(|k| k.status),
                note: mark.map(|k| k.note.clone()),
            });
        }
    }

    let mut day_diffs = Vec::new();
    if !inp.days.is_empty() {
        let rep: BTreeMap<(&str, NaiveDate), &ReportedDay> = inp
            .days
            .iter()
            .filter(|d| in_month(d.day))
            .map(|d| ((d.local_id.as_str(), d.day), d))
            .collect();
        let keys: BTreeSet<(&str, NaiveDate)> = local.keys().chain(rep.keys()).copied().collect();
        for key in keys {
            let l = local.get(&key);
            let r = rep.get(&key);
            let kind = match (l, r) {
                (Some(_), None) => DayDifference::LocalOnly,
                (None, Some(_)) => DayDifference::ReportedOnly,
                (Some(l), Some(r)) if (l.reason, l.attribution) != (r.reason, r.attribution) => {
                    DayDifference::Differs
                }
                _ => continue,
            };
            let la = l.map_or_else(|| la_of(key.0), |l| l.la_code.to_string());
            let attribution = l.map_or_else(|| r.map(|r| r.attribution), |l| Some(l.attribution));
            let m = attribution.map_or(Measure::Total, measure_of);
            let mark = mark_of(&la, m, key.0, Some(key.1))
                .or_else(|| mark_of(&la, Measure::Total, key.0, Some(key.1)));
            day_diffs.push(DayDiff {
                la_code: la,
                local_id: key.0.to_string(),
                day: key.1,
                kind,
                local: l.map(|l| (l.reason, l.attribution)),
                reported: r.map(|r| (r.reason, r.attribution)),
                status: mark.map(|k| k.status),
                note: mark.map(|k| k.note.clone()),
            });
        }
    }

    let sum = |s: MarkStatus| {
        inp.marks
            .iter()
            .filter(|k| k.status == s)
            .map(|k| k.days)
            .sum()
    };
    Reconciliation {
        month: month.key(),
        unsigned_weeks,
        unsigned_days,
        reported_as,
        rows,
        day_diffs,
        contested_days: sum(MarkStatus::Contested),
        accepted_days: sum(MarkStatus::Accepted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(measure: Measure, difference: Option<i64>) -> ReconcileRow {
        ReconcileRow {
            la_code: "E10000018".into(),
            measure,
            signed_days: 10,
            reported_days: difference.map(|d| (10 + d) as u64),
            difference,
            status: None,
            note: None,
        }
    }

    #[test]
    fn days_that_differ_count_the_totals_or_the_patients_days() {
        let mut rec = Reconciliation {
            month: "2018-07".into(),
            unsigned_weeks: vec![],
            unsigned_days: 0,
            reported_as: "totals",
            rows: vec![
                row(Measure::Total, Some(2)),
                row(Measure::Nhs, Some(2)),
                row(Measure::Total, Some(-3)),
                row(Measure::Total, None),
            ],
            day_diffs: vec![],
            contested_days: 0,
            accepted_days: 0,
        };
        // +2 and -3 on the totals (the NHS measure splits the same days): 5 days differ.
        assert_eq!(rec.days_that_differ(), 5);
        rec.day_diffs = vec![DayDiff {
            la_code: "E10000018".into(),
            local_id: "H001".into(),
            day: NaiveDate::from_ymd_opt(2018, 7, 3).unwrap_or_default(),
            kind: DayDifference::LocalOnly,
            local: None,
            reported: None,
            status: None,
            note: None,
        }];
        assert_eq!(rec.days_that_differ(), 1);
    }
}
