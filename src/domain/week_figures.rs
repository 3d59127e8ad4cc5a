//! The weekly sitrep (docs/signoff.md): a week's delayed days by authority × attribution × reason × type
//! of care, the patients delayed at the week's end, and the change from the previous week. Pure:
//! the store hands over the delayed days, one per delay and day.
//!
//! A week that straddles two months is never rolled up whole into either: `by_month` shows how its
//! days split, and the monthly figures are always the sum of their own days.

use crate::domain::LaCode;
use crate::domain::{Attribution, DelayedDay, ReasonCode, Setting, Week, YearMonth};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Delayed days of one authority, attribution, reason and type of care in the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekRow {
    pub la_code: LaCode,
    pub attribution: Attribution,
    pub reason: ReasonCode,
    pub setting: Setting,
    pub days: u64,
}

/// One authority's week beside the week before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LaWeek {
    pub la_code: LaCode,
    pub days: u64,
    pub delayed_at_end: u64,
    pub previous_days: u64,
    pub previous_delayed_at_end: u64,
    /// `days - previous_days`.
    pub change: i64,
}

/// A week's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekFigures {
    pub week: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub rows: Vec<WeekRow>,
    pub by_la: Vec<LaWeek>,
    /// The week's days by calendar month (two entries when it straddles a month end).
    pub by_month: Vec<(String, u64)>,
    pub total_days: u64,
    /// Patients delayed at the week's end: those with a delayed day on its Sunday.
    pub delayed_at_end: u64,
    pub previous_total_days: u64,
    pub previous_delayed_at_end: u64,
    pub change: i64,
    /// Days of the week counted (7 once it is over; the days before today while in progress). A
    /// part week is compared with the same days of the week before (docs/measures.md): every
    /// `previous_` figure is of those days, and "at end" is the last day counted. Not stored with
    /// a sign-off (a signed week is over).
    #[serde(skip)]
    pub days_counted: u32,
    /// Every day of the week is counted.
    #[serde(skip)]
    pub complete: bool,
}

/// The days of a week up to a last day counted: the part of the week (and of the week before)
/// compared.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: chrono::NaiveDate,
    /// The day after the last day counted.
    end: chrono::NaiveDate,
    /// The last day counted (`start` when none is).
    last: chrono::NaiveDate,
}

impl Span {
    fn of(week: Week, days_counted: u32) -> Self {
        let start = week.start();
        let end = start + chrono::Days::new(u64::from(days_counted));
        Self {
            start,
            end,
            last: end.pred_opt().unwrap_or(start).max(start),
        }
    }

    fn holds(self, d: &DelayedDay) -> bool {
        d.day >= self.start && d.day < self.end
    }
}

/// Days in the span, patients delayed on its last day, by authority.
fn per_la(span: Span, days: &[DelayedDay]) -> BTreeMap<&LaCode, (u64, BTreeSet<&str>)> {
    let mut out: BTreeMap<&LaCode, (u64, BTreeSet<&str>)> = BTreeMap::new();
    for d in days.iter().filter(|d| span.holds(d)) {
        let e = out.entry(&d.la_code).or_default();
        e.0 += 1;
        if d.day == span.last {
            e.1.insert(d.local_id.as_str());
        }
    }
    out
}

fn distinct_at_end(span: Span, days: &[DelayedDay]) -> u64 {
    days.iter()
        .filter(|d| span.holds(d) && d.day == span.last)
        .map(|d| d.local_id.as_str())
        .collect::<BTreeSet<_>>()
        .len() as u64
}

/// The figures of a week that is over from its delayed days and those of the week before (days
/// outside each week are ignored).
pub fn week_figures(week: Week, days: &[DelayedDay], previous: &[DelayedDay]) -> WeekFigures {
    week_figures_as_of(week, days, previous, week.end_exclusive())
}

/// The figures of `week` as of `today`: the days before today are counted; a week in progress is
/// compared with the same days of the week before (days outside each span are ignored).
pub fn week_figures_as_of(
    week: Week,
    days: &[DelayedDay],
    previous: &[DelayedDay],
    today: chrono::NaiveDate,
) -> WeekFigures {
    let counted = (today - week.start()).num_days().clamp(0, 7) as u32;
    let span = Span::of(week, counted);
    let before = Span::of(week.prev(), counted);
    let in_week = |d: &&DelayedDay| span.holds(d);
    let mut cells: BTreeMap<(LaCode, Attribution, ReasonCode, Setting), u64> = BTreeMap::new();
    let mut months: BTreeMap<YearMonth, u64> = BTreeMap::new();
    for d in days.iter().filter(in_week) {
        *cells
            .entry((d.la_code.clone(), d.attribution, d.reason, d.setting))
            .or_default() += 1;
        *months.entry(YearMonth::of(d.day)).or_default() += 1;
    }
    let rows: Vec<WeekRow> = cells
        .into_iter()
        .map(|((la_code, attribution, reason, setting), days)| WeekRow {
            la_code,
            attribution,
            reason,
            setting,
            days,
        })
        .collect();
    let now = per_la(span, days);
    let then = per_la(before, previous);
    let las: BTreeSet<&LaCode> = now.keys().chain(then.keys()).copied().collect();
    let by_la = las
        .into_iter()
        .map(|la| {
            let (d, p) = now.get(la).map_or((0, 0), |(d, p)| (*d, p.len() as u64));
            let (pd, pp) = then.get(la).map_or((0, 0), |(d, p)| (*d, p.len() as u64));
            LaWeek {
                la_code: la.clone(),
                days: d,
                delayed_at_end: p,
                previous_days: pd,
                previous_delayed_at_end: pp,
                change: d as i64 - pd as i64,
            }
        })
        .collect::<Vec<_>>();
    let total_days: u64 = rows.iter().map(|r| r.days).sum();
    let previous_total_days = previous.iter().filter(|d| before.holds(d)).count() as u64;
    WeekFigures {
        week: week.key(),
        from: week.start(),
        to: week.last_day(),
        rows,
        by_la,
        by_month: months.into_iter().map(|(m, n)| (m.key(), n)).collect(),
        total_days,
        delayed_at_end: distinct_at_end(span, days),
        previous_total_days,
        previous_delayed_at_end: distinct_at_end(before, previous),
        change: total_days as i64 - previous_total_days as i64,
        days_counted: counted,
        complete: counted == 7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn days(local: &str, la: &str, from: &str, n: u64, a: Attribution) -> Vec<DelayedDay> {
        (0..n)
            .map(|i| DelayedDay {
                day: d(from) + chrono::Days::new(i),
                delay_id: 1,
                local_id: local.to_string(),
                la_code: LaCode::parse(la).unwrap(),
                site_code: "RX1".to_string(),
                setting: Setting::Acute,
                reason: ReasonCode::E,
                attribution: a,
            })
            .collect()
    }

    #[test]
    fn a_week_straddling_july_and_august_splits_its_days_by_month() {
        // 2018-W31 is Mon 30 July .. Sun 5 August. P1 delayed 28 July .. 3 August (days 28..=3):
        // in the week 30, 31 July and 1, 2, 3 August = 5 days (2 July, 3 August); not delayed on
        // Sunday. P2 delayed the whole week: 7 days (2 July, 5 August), delayed at the end.
        let w = Week::parse("2018-W31").unwrap();
        let mut all = days("P1", "E10000018", "2018-07-28", 7, Attribution::Nhs);
        all.extend(days(
            "P2",
            "E06000017",
            "2018-07-30",
            7,
            Attribution::SocialCare,
        ));
        // Week before (W30: 23..29 July): P1's 28 and 29 July = 2 days.
        let f = week_figures(w, &all, &all);
        assert_eq!(f.total_days, 12);
        assert_eq!(
            f.by_month,
            vec![("2018-07".to_string(), 4), ("2018-08".to_string(), 8)]
        );
        assert_eq!(f.delayed_at_end, 1);
        assert_eq!(f.previous_total_days, 2);
        assert_eq!(f.change, 10);
        assert_eq!(f.by_la[0].la_code, "E06000017");
        assert_eq!((f.by_la[0].days, f.by_la[0].delayed_at_end), (7, 1));
        assert_eq!((f.by_la[1].days, f.by_la[1].previous_days), (5, 2));
        assert_eq!(f.by_la[1].change, 3);
    }

    #[test]
    fn a_part_week_is_compared_with_the_same_days_of_the_week_before() {
        // P1 delayed every day from Monday 6 to Tuesday 14 August: 2018-W32 whole (7 days), and
        // the Monday and Tuesday of 2018-W33. As of Wednesday 15 August W33 has 2 days counted:
        // compared with Monday 6 and Tuesday 7 (2 days), not the whole of W32; "at end" is Tuesday.
        let w = Week::parse("2018-W33").unwrap();
        let all = days("P1", "E10000018", "2018-08-06", 9, Attribution::Nhs);
        let f = week_figures_as_of(w, &all, &all, d("2018-08-15"));
        assert_eq!((f.days_counted, f.complete), (2, false));
        assert_eq!((f.total_days, f.previous_total_days, f.change), (2, 2, 0));
        assert_eq!((f.delayed_at_end, f.previous_delayed_at_end), (1, 1));
        assert_eq!((f.by_la[0].days, f.by_la[0].previous_days), (2, 2));
        // Once the week is over it is whole: 2 days against the 7 of the week before.
        let f = week_figures(w, &all, &all);
        assert_eq!((f.days_counted, f.complete), (7, true));
        assert_eq!((f.total_days, f.previous_total_days), (2, 7));
        assert_eq!((f.delayed_at_end, f.previous_delayed_at_end), (0, 1));
        // A week beginning today has no day counted and compares with none.
        let f = week_figures_as_of(w, &all, &all, d("2018-08-13"));
        assert_eq!(
            (f.total_days, f.previous_total_days, f.delayed_at_end),
            (0, 0, 0)
        );
    }
}
