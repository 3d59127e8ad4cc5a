//! Pathway queues: who is waiting for each planned pathway, since when, and the queue's daily
//! history (issue 27).
//!
//! A queue is a set of delays (episodes) keyed by a group (the whole register, a site or an
//! authority) and a planned pathway (0–3, or not yet known). For each day `D`:
//!
//! - **waiting** at the day's end: ready on or before `D` and not ended by `D` (no end date, or an
//!   end date after `D`). These are the people in a bed at midnight of `D`, so each one is one
//!   delayed day on `D` (docs/counting.md: a delay from `S` to `E` has `E − S` delayed days).
//! - **joins**: ready on `D`; **leaves**: ended on `D`. A delay ready and ended the same day joins
//!   and leaves on that day and is never waiting. So `waiting(D) = waiting(D−1) + joins − leaves`.
//! - **median wait** and **longest wait** of the people waiting at the day's end, in days from their
//!   ready date (`D − ready`); none when nobody waits.
//!
//! Which pathway a delay belongs to is the caller's choice (the planned pathway; for an ended
//! delay without one, its discharge pathway stands in). A delay whose end is before its ready date
//! is left out and counted in [`QueueHistory::skipped`].
//!
//! Pure: episodes in, counts out.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::Pathway;

/// One delay as the queue sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    /// The day the person became ready to leave (the delay's start).
    pub ready: NaiveDate,
    /// The day the delay ended; `None` while it is open.
    pub ended: Option<NaiveDate>,
    /// Planned pathway; `None` when not yet known.
    pub pathway: Option<Pathway>,
    pub site: String,
    pub authority: String,
}

/// What a queue is grouped by, besides its pathway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// One queue per pathway over every episode given; the group is the empty string.
    Whole,
    Site,
    Authority,
}

/// A queue's identity: its group (site or authority code; empty for the whole register) and pathway.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct QueueKey {
    pub group: String,
    /// `None`: pathway not yet known.
    pub pathway: Option<Pathway>,
}

/// One day of one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueDay {
    pub date: NaiveDate,
    /// People waiting at the day's end (ready on or before the day, not ended by it).
    pub waiting: u32,
    /// People who became ready that day.
    pub joins: u32,
    /// Delays that ended that day.
    pub leaves: u32,
    /// Median days since the ready date of the people waiting at the day's end.
    pub median_wait: Option<f64>,
    /// Longest days since the ready date among them.
    pub longest_wait: Option<u32>,
}

/// One queue's daily history, one entry per day of the range, in date order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueSeries {
    pub key: QueueKey,
    pub days: Vec<QueueDay>,
}

/// Every queue's history over a range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueHistory {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One series per key found among the episodes, in key order (group, then pathway with
    /// "not known" first).
    pub series: Vec<QueueSeries>,
    /// Episodes left out because they end before they start.
    pub skipped: usize,
}

/// Longest range of days a history covers (about a hundred years).
pub const MAX_RANGE_DAYS: i64 = 36_600;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueueError {
    #[error("the range starts ({from}) after it ends ({to})")]
    EmptyRange { from: NaiveDate, to: NaiveDate },
    #[error("the range from {from} to {to} is longer than {MAX_RANGE_DAYS} days")]
    RangeTooLong { from: NaiveDate, to: NaiveDate },
}

/// Whole days before today without an entry in the whole register from which it is read as not
/// kept up to date (a hub enters every day; a quiet day is one).
pub const QUIET_DAYS: i64 = 2;

/// A register that stops short of today: the whole days before today, from `first` to yesterday,
/// on which no delay began, changed reason or ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quiet {
    /// The register's last entry; `None` when it has none since its coverage began (then `first`
    /// is the coverage start).
    pub last_entry: Option<NaiveDate>,
    /// The first quiet day.
    pub first: NaiveDate,
    pub days: i64,
}

impl Quiet {
    /// `Some` when at least [`QUIET_DAYS`] whole days before `today` hold no entry: read as they
    /// stand, those days say the queues stopped (nobody became ready, nobody left), when it is the
    /// register that has not been kept up to date. `last_entry` is the register's last entry on or
    /// before today (`Store::last_entry`); `covered_from` its coverage start: no day before it is
    /// quiet, it is not covered. `None` for a register with neither (nothing entered yet).
    pub fn of(
        last_entry: Option<NaiveDate>,
        covered_from: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Option<Self> {
        let after = last_entry.map(|l| l + chrono::Days::new(1));
        let first = after.max(covered_from)?;
        let days = (today - first).num_days();
        (days >= QUIET_DAYS).then_some(Self {
            // The last entry names the quiet days only when they start the day after it.
            last_entry: last_entry.filter(|_| after == Some(first)),
            first,
            days,
        })
    }

    /// The last quiet day (yesterday).
    pub fn to(&self) -> NaiveDate {
        self.first + chrono::Days::new(self.days.saturating_sub(1).max(0) as u64)
    }

    /// What a forecast or the queues make of the quiet days, in a sentence.
    pub fn note(&self) -> String {
        let what = "read as days when nobody became ready and nobody left";
        match self.last_entry {
            Some(last) => format!(
                "no delay began or ended after {last}: the {} days to {} are {what}",
                self.days,
                self.to()
            ),
            None => format!(
                "no delay began or ended in the {} days from {} to {}: they are {what}",
                self.days,
                self.first,
                self.to()
            ),
        }
    }

    /// "Nothing entered after the last entry" or, without one, "since the first quiet day".
    fn nothing_entered(&self) -> String {
        match self.last_entry {
            Some(last) => format!("Nothing entered after {last}"),
            None => format!("Nothing entered since {}", self.first),
        }
    }

    /// The Dashboard's line (at most 76 characters): its figures count the open delays to today.
    pub fn dashboard(&self) -> String {
        format!(
            "{} ({} days): open delays counted to today",
            self.nothing_entered(),
            self.days
        )
    }

    /// The same, in one line of the app (at most 72 characters).
    pub fn short(&self) -> String {
        format!(
            "{}: {} days read as none ready, none left",
            self.nothing_entered(),
            self.days
        )
    }
}

/// The key of an episode under a grouping.
pub fn key_of(e: &Episode, grouping: Grouping) -> QueueKey {
    let group = match grouping {
        Grouping::Whole => String::new(),
        Grouping::Site => e.site.clone(),
        Grouping::Authority => e.authority.clone(),
    };
    QueueKey {
        group,
        pathway: e.pathway,
    }
}

/// The daily history of every queue from `from` to `to` (both included).
///
/// Every key that any (valid) episode has gets a series, even if it has nobody waiting in the
/// range, so that a pathway's row does not come and go with the dates.
pub fn queue_history(
    episodes: &[Episode],
    grouping: Grouping,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<QueueHistory, QueueError> {
    if from > to {
        return Err(QueueError::EmptyRange { from, to });
    }
    if index(from, to) >= MAX_RANGE_DAYS {
        return Err(QueueError::RangeTooLong { from, to });
    }
    let mut groups: BTreeMap<QueueKey, Vec<(NaiveDate, Option<NaiveDate>)>> = BTreeMap::new();
    let mut skipped = 0;
    for e in episodes {
        if e.ended.is_some_and(|end| end < e.ready) {
            skipped += 1;
            continue;
        }
        groups
            .entry(key_of(e, grouping))
            .or_default()
            .push((e.ready, e.ended));
    }
    let series = groups
        .into_iter()
        .map(|(key, eps)| QueueSeries {
            key,
            days: series_days(&eps, from, to),
        })
        .collect();
    Ok(QueueHistory {
        from,
        to,
        series,
        skipped,
    })
}

/// Day index of `d` relative to `from` (negative before it).
fn index(from: NaiveDate, d: NaiveDate) -> i64 {
    (d - from).num_days()
}

fn series_days(
    eps: &[(NaiveDate, Option<NaiveDate>)],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<QueueDay> {
    let n = index(from, to) + 1;
    let len = usize::try_from(n).unwrap_or(0);
    let mut joins = vec![0u32; len];
    let mut leaves = vec![0u32; len];
    // Ready dates entering / leaving the waiting set at the end of each day.
    let mut enter: Vec<Vec<NaiveDate>> = vec![Vec::new(); len];
    let mut exit: Vec<Vec<NaiveDate>> = vec![Vec::new(); len];
    let mut waiting: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    let mut count: u32 = 0;
    for &(ready, ended) in eps {
        let s = index(from, ready);
        let e = ended.map_or(i64::MAX, |d| index(from, d));
        if (0..n).contains(&s) {
            joins[s as usize] += 1;
        }
        if (0..n).contains(&e) {
            leaves[e as usize] += 1;
        }
        // Waiting at the end of days s..e (e excluded).
        let lo = s.max(0);
        let hi = e.min(n);
        if lo >= hi {
            continue;
        }
        if s < 0 {
            *waiting.entry(ready).or_insert(0) += 1;
            count += 1;
        } else {
            enter[lo as usize].push(ready);
        }
        if hi < n {
            exit[hi as usize].push(ready);
        }
    }
    let mut days = Vec::with_capacity(len);
    let mut date = from;
    for i in 0..len {
        for &r in &enter[i] {
            *waiting.entry(r).or_insert(0) += 1;
            count += 1;
        }
        for &r in &exit[i] {
            if let Some(c) = waiting.get_mut(&r) {
                *c -= 1;
                count -= 1;
                if *c == 0 {
                    waiting.remove(&r);
                }
            }
        }
        let (median_wait, longest_wait) = waits(&waiting, count, date);
        days.push(QueueDay {
            date,
            waiting: count,
            joins: joins[i],
            leaves: leaves[i],
            median_wait,
            longest_wait,
        });
        date = date.succ_opt().unwrap_or(date);
    }
    days
}

/// Median and longest wait (days since ready) of a waiting set on `day`.
fn waits(
    waiting: &BTreeMap<NaiveDate, u32>,
    count: u32,
    day: NaiveDate,
) -> (Option<f64>, Option<u32>) {
    let Some(oldest) = waiting.keys().next() else {
        return (None, None);
    };
    let wait = |r: NaiveDate| (day - r).num_days() as f64;
    // The k-th (0-based) oldest ready dates at the two middle positions.
    let (a, b) = ((count - 1) / 2, count / 2);
    let (mut ra, mut rb) = (None, None);
    let mut seen = 0u32;
    for (&r, &c) in waiting {
        if ra.is_none() && a < seen + c {
            ra = Some(r);
        }
        if b < seen + c {
            rb = Some(r);
            break;
        }
        seen += c;
    }
    let median = match (ra, rb) {
        (Some(x), Some(y)) => Some((wait(x) + wait(y)) / 2.0),
        _ => None,
    };
    let longest = u32::try_from((day - *oldest).num_days()).ok();
    (median, longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ep(ready: &str, ended: Option<&str>, pw: Option<Pathway>, la: &str) -> Episode {
        Episode {
            ready: d(ready),
            ended: ended.map(d),
            pathway: pw,
            site: "S1".into(),
            authority: la.into(),
        }
    }

    #[test]
    fn quiet_days_are_the_whole_days_before_today_without_an_entry() {
        let last = Some(d("2026-01-04"));
        // The last entry on the 4th: on the 6th one day is quiet, on the 7th two.
        assert_eq!(Quiet::of(last, None, d("2026-01-06")), None);
        let q = Quiet::of(last, None, d("2026-01-07")).unwrap();
        assert_eq!(
            q,
            Quiet {
                last_entry: last,
                first: d("2026-01-05"),
                days: 2
            }
        );
        assert_eq!(q.to(), d("2026-01-06"));
        let q = Quiet::of(
            Some(d("2026-01-20")),
            Some(d("2025-12-01")),
            d("2026-02-01"),
        )
        .unwrap();
        assert_eq!((q.first, q.days), (d("2026-01-21"), 11));
        assert_eq!(
            q.note(),
            "no delay began or ended after 2026-01-20: the 11 days to 2026-01-31 are read as days when nobody became ready and nobody left"
        );
        assert!(q.short().chars().count() <= 72, "{}", q.short());
        assert_eq!(
            q.dashboard(),
            "Nothing entered after 2026-01-20 (11 days): open delays counted to today"
        );
        // Today's own entries count.
        assert_eq!(
            Quiet::of(Some(d("2026-01-07")), None, d("2026-01-07")),
            None
        );
        // Days before coverage are not quiet, they are not covered: coverage from the 10th, the
        // last entry before it, on the 19th the 10th to the 18th are quiet.
        let q = Quiet::of(last, Some(d("2026-01-10")), d("2026-01-19")).unwrap();
        assert_eq!((q.last_entry, q.first, q.days), (None, d("2026-01-10"), 9));
        assert_eq!(
            q.note(),
            "no delay began or ended in the 9 days from 2026-01-10 to 2026-01-18: they are read as days when nobody became ready and nobody left"
        );
        assert!(q.short().chars().count() <= 72, "{}", q.short());
        assert!(q.dashboard().chars().count() <= 76, "{}", q.dashboard());
        // Coverage from yesterday: one day, not quiet; nothing entered and no coverage: nothing.
        assert_eq!(
            Quiet::of(None, Some(d("2026-01-18")), d("2026-01-19")),
            None
        );
        assert_eq!(Quiet::of(None, None, d("2026-01-19")), None);
    }

    #[test]
    fn queues_waiting_joins_leaves_and_waits() {
        let eps = vec![
            ep("2026-01-01", Some("2026-01-04"), Some(Pathway::P1), "A"),
            ep("2026-01-02", None, Some(Pathway::P1), "A"),
            ep("2026-01-03", Some("2026-01-03"), Some(Pathway::P1), "A"), // same day
            ep("2025-12-20", Some("2026-01-02"), Some(Pathway::P1), "A"), // before the range
            ep("2026-01-05", Some("2026-01-01"), Some(Pathway::P1), "A"), // ends before ready
        ];
        let h = queue_history(&eps, Grouping::Whole, d("2026-01-01"), d("2026-01-05")).unwrap();
        assert_eq!(h.skipped, 1);
        assert_eq!(h.series.len(), 1);
        let s = &h.series[0];
        assert_eq!(
            s.key,
            QueueKey {
                group: String::new(),
                pathway: Some(Pathway::P1)
            }
        );
        let w: Vec<u32> = s.days.iter().map(|x| x.waiting).collect();
        let j: Vec<u32> = s.days.iter().map(|x| x.joins).collect();
        let l: Vec<u32> = s.days.iter().map(|x| x.leaves).collect();
        assert_eq!(w, [2, 2, 2, 1, 1]);
        assert_eq!(j, [1, 1, 1, 0, 0]);
        assert_eq!(l, [0, 1, 1, 1, 0]);
        // 1 Jan: waiting since 20 Dec (12 days) and 1 Jan (0 days).
        assert_eq!(s.days[0].median_wait, Some(6.0));
        assert_eq!(s.days[0].longest_wait, Some(12));
        // 5 Jan: only the one ready 2 Jan.
        assert_eq!(s.days[4].median_wait, Some(3.0));
        assert_eq!(s.days[4].longest_wait, Some(3));
        // The identity waiting(D) = waiting(D-1) + joins - leaves.
        for k in 1..s.days.len() {
            assert_eq!(w[k], w[k - 1] + j[k] - l[k]);
        }
    }

    #[test]
    fn queues_grouped_by_authority_and_pathway_with_empty_days() {
        let eps = vec![
            ep("2026-01-01", None, Some(Pathway::P3), "B"),
            ep("2026-01-01", None, None, "A"),
            ep("2025-01-01", Some("2025-02-01"), Some(Pathway::P2), "A"),
        ];
        let h = queue_history(&eps, Grouping::Authority, d("2026-01-01"), d("2026-01-02")).unwrap();
        let keys: Vec<(String, Option<Pathway>)> = h
            .series
            .iter()
            .map(|s| (s.key.group.clone(), s.key.pathway))
            .collect();
        assert_eq!(
            keys,
            [
                ("A".to_string(), None),
                ("A".to_string(), Some(Pathway::P2)),
                ("B".to_string(), Some(Pathway::P3)),
            ]
        );
        assert_eq!(h.series[1].days[0].waiting, 0);
        assert_eq!(h.series[1].days[0].median_wait, None);
        assert_eq!(h.series[2].days[1].waiting, 1);
        assert_eq!(h.series[2].days[1].median_wait, Some(1.0));
    }

    #[test]
    fn queues_median_of_odd_and_even_counts() {
        let eps: Vec<Episode> = ["2026-01-01", "2026-01-03", "2026-01-04", "2026-01-10"]
            .iter()
            .map(|r| ep(r, None, Some(Pathway::P2), "A"))
            .collect();
        let h = queue_history(&eps, Grouping::Site, d("2026-01-09"), d("2026-01-10")).unwrap();
        let s = &h.series[0];
        // 9 Jan: waits 8, 6, 5 -> median 6.
        assert_eq!(s.days[0].median_wait, Some(6.0));
        // 10 Jan: waits 9, 7, 6, 0 -> median 6.5.
        assert_eq!(s.days[1].median_wait, Some(6.5));
        assert_eq!(s.days[1].longest_wait, Some(9));
        assert_eq!(s.key.group, "S1");
    }

    #[test]
    fn queues_reach_the_last_date_and_refuse_a_century() {
        let last = NaiveDate::MAX;
        let h = queue_history(&[], Grouping::Whole, last, last).unwrap();
        assert!(h.series.is_empty());
        assert_eq!(
            queue_history(&[], Grouping::Whole, d("1900-01-01"), d("2026-01-01")),
            Err(QueueError::RangeTooLong {
                from: d("1900-01-01"),
                to: d("2026-01-01")
            })
        );
        // A series on the last date the calendar holds.
        let eps = [ep("2026-01-01", None, None, "A")];
        let h = queue_history(&eps, Grouping::Whole, last, last).unwrap();
        assert_eq!(h.series[0].days[0].waiting, 1);
    }

    #[test]
    fn queues_reject_a_backwards_range() {
        assert_eq!(
            queue_history(&[], Grouping::Whole, d("2026-01-02"), d("2026-01-01")),
            Err(QueueError::EmptyRange {
                from: d("2026-01-02"),
                to: d("2026-01-01")
            })
        );
    }
}
