//! Dates, calendar months and ISO weeks, and the counting rule for delayed days (docs/counting.md).

use chrono::{Datelike, Days, IsoWeek, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Bound, Range, RangeBounds};

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("{0:?}: not a date (use YYYY-MM-DD)")]
    NotADate(String),
    #[error("{0:?}: not a date (use 2018-07-03, 3/7/18, t or t-1)")]
    NotAnInputDate(String),
    #[error("{0:?}: not a month (use YYYY-MM)")]
    NotAMonth(String),
    #[error("{0:?}: not an ISO week (use YYYY-Www, e.g. 2018-W27)")]
    NotAWeek(String),
}

/// The earliest date dtoc accepts anywhere: nothing it counts can start before.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1990, 1, 1) {
    Some(d) => d,
    None => panic!("1990-01-01 is a date"),
};
/// How many months after today's month a target or reported month may be.
pub const MONTHS_AHEAD: i32 = 24;

/// The rule `d` breaks by being implausibly early (before [`EARLIEST_DATE`]), if it does.
pub fn too_early(d: NaiveDate) -> Option<String> {
    (d < EARLIEST_DATE).then(|| format!("is before {EARLIEST_DATE}: not a plausible date"))
}

/// The rule a target or reported month breaks, if any: from 1990-01 to [`MONTHS_AHEAD`] months
/// after today's month.
pub fn implausible_month(m: YearMonth, today: NaiveDate) -> Option<String> {
    let first = YearMonth::of(EARLIEST_DATE);
    let last = YearMonth::of(today).add_months(MONTHS_AHEAD);
    (m < first || m > last).then(|| {
        format!(
            "is outside {} to {}: not a plausible month",
            first.key(),
            last.key()
        )
    })
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Parses a strict ISO date `YYYY-MM-DD` (the form of every CSV file).
pub fn parse_iso_date(s: &str) -> Result<NaiveDate, DateError> {
    let t = s.trim();
    if t.len() != 10 {
        return Err(DateError::NotADate(short(s)));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| DateError::NotADate(short(s)))
}

/// Parses what a person types into a date field: `2018-07-03`, `3/7/18`, `03/07/2018` (day first, as in
/// the UK), `t` (today), `t-1` / `t+2` or `-1` / `+2` (days from today), `y` (yesterday).
pub fn parse_input_date(s: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let mut t = s.trim().to_ascii_lowercase();
    let bad = || DateError::NotAnInputDate(short(s));
    if t.starts_with(['-', '+']) {
        t.insert(0, 't');
    }
    if t == "t" || t == "today" {
        return Ok(today);
    }
    if t == "y" {
        return today.pred_opt().ok_or_else(bad);
    }
    if let Some(rest) = t.strip_prefix('t') {
        let rest = rest.trim();
        let (sign, num) = match rest.as_bytes().first() {
            Some(b'-') => (-1i64, &rest[1..]),
            Some(b'+') => (1i64, &rest[1..]),
            _ => return Err(bad()),
        };
        let n: u64 = num.trim().parse().map_err(|_| bad())?;
        if n > 36_500 {
            return Err(bad());
        }
        return if sign < 0 {
            today.checked_sub_days(Days::new(n)).ok_or_else(bad)
        } else {
            today.checked_add_days(Days::new(n)).ok_or_else(bad)
        };
    }
    if t.contains('-') {
        return parse_iso_date(&t).map_err(|_| bad());
    }
    let parts: Vec<&str> = t.split(['/', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return Err(bad());
    }
    let day: u32 = parts[0].parse().map_err(|_| bad())?;
    let month: u32 = parts[1].parse().map_err(|_| bad())?;
    let year: i32 = match parts[2].len() {
        2 => 2000 + parts[2].parse::<i32>().map_err(|_| bad())?,
        4 => parts[2].parse().map_err(|_| bad())?,
        _ => return Err(bad()),
    };
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(bad)
}

/// A calendar month, the period of the national return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self { year, month })
    }

    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn parse(s: &str) -> Result<Self, DateError> {
        let t = s.trim();
        let bad = || DateError::NotAMonth(short(s));
        let (y, m) = t.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        Self::new(year, month).ok_or_else(bad)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }

    /// The first day of the next month (the exclusive end of this one).
    pub fn end_exclusive(self) -> NaiveDate {
        self.next().first_day()
    }

    pub fn last_day(self) -> NaiveDate {
        self.end_exclusive().pred_opt().expect("valid month")
    }

    pub fn days(self) -> u32 {
        (self.end_exclusive() - self.first_day()).num_days() as u32
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn add_months(self, n: i32) -> Self {
        let idx = self.year * 12 + self.month as i32 - 1 + n;
        Self {
            year: idx.div_euclid(12),
            month: idx.rem_euclid(12) as u32 + 1,
        }
    }

    /// Months from `self` to `to`, both included (empty if `to` is earlier).
    pub fn range_inclusive(self, to: Self) -> impl Iterator<Item = YearMonth> {
        let mut cur = self;
        std::iter::from_fn(move || {
            (cur <= to).then(|| {
                let m = cur;
                cur = cur.next();
                m
            })
        })
    }

    /// `2018-07`.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `July 2018`, as in the published returns.
    pub fn long_name(self) -> String {
        self.first_day().format("%B %Y").to_string()
    }

    /// Parses `July 2018` (the collated published CSVs' period).
    pub fn parse_long_name(s: &str) -> Result<Self, DateError> {
        let d = NaiveDate::parse_from_str(&format!("1 {}", s.trim()), "%d %B %Y")
            .map_err(|_| DateError::NotAMonth(short(s)))?;
        Ok(Self::of(d))
    }

    /// The financial year (April–March) it belongs to, named by its starting year.
    pub fn financial_year(self) -> i32 {
        if self.month >= 4 {
            self.year
        } else {
            self.year - 1
        }
    }

    /// Calendar quarter 1–4.
    pub fn quarter(self) -> u32 {
        (self.month - 1) / 3 + 1
    }
}

impl YearMonth {
    /// For `#[serde(serialize_with = "YearMonth::serialize_text")]`: a field written as
    /// `"YYYY-MM"`, as a string column was before it became a `YearMonth`.
    pub fn serialize_text<S: serde::Serializer>(m: &YearMonth, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(m)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Parses `2018-W27` into the Monday that starts that ISO week.
pub fn parse_iso_week(s: &str) -> Result<NaiveDate, DateError> {
    let t = s.trim().to_ascii_uppercase();
    let bad = || DateError::NotAWeek(short(s));
    let (y, w) = t.split_once("-W").ok_or_else(bad)?;
    let year: i32 = y.parse().map_err(|_| bad())?;
    let week: u32 = w.parse().map_err(|_| bad())?;
    NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or_else(bad)
}

/// `2018-W27` for the ISO week holding `date`.
pub fn iso_week_key(date: NaiveDate) -> String {
    let w: IsoWeek = date.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// Delayed days of a delay that starts on `start` and ends on `end` (exclusive): `end - start`
/// (one per midnight in the bed). Zero when they are the same day or `end` is earlier.
pub fn delayed_days(start: NaiveDate, end: NaiveDate) -> u32 {
    (end - start).num_days().max(0) as u32
}

/// The counting rule (docs/counting.md), the one place it is written: the days a delay period that
/// starts on `start` and ends on `end` (exclusive; `None` while open) is delayed, as of `today`
/// (nothing counts from `today` on, so an open period counts up to the day before), within the
/// range of days `within` (`..` for all of them; a month, a week, `from..to`). The days
/// `S, S+1, …, E-1` as a half-open span, empty (`start == end`) when there are none.
pub fn delayed_span(
    start: NaiveDate,
    end: Option<NaiveDate>,
    today: NaiveDate,
    within: impl RangeBounds<NaiveDate>,
) -> Range<NaiveDate> {
    let lo = match within.start_bound() {
        Bound::Included(d) => start.max(*d),
        Bound::Excluded(d) => start.max(d.succ_opt().unwrap_or(*d)),
        Bound::Unbounded => start,
    };
    let mut hi = end.map_or(today, |e| e.min(today));
    match within.end_bound() {
        Bound::Included(d) => hi = hi.min(d.succ_opt().unwrap_or(*d)),
        Bound::Excluded(d) => hi = hi.min(*d),
        Bound::Unbounded => {}
    }
    lo..hi.max(lo)
}

/// How many days [`delayed_span`] gives: a period's delayed days as of `today` within `within`.
pub fn delayed_days_within(
    start: NaiveDate,
    end: Option<NaiveDate>,
    today: NaiveDate,
    within: impl RangeBounds<NaiveDate>,
) -> u32 {
    let span = delayed_span(start, end, today, within);
    delayed_days(span.start, span.end)
}

/// The delayed days of `[start, end)`, split by calendar month: each day in its own month.
pub fn days_by_month(start: NaiveDate, end: NaiveDate) -> Vec<(YearMonth, u32)> {
    let mut out = Vec::new();
    let mut from = start;
    while from < end {
        let m = YearMonth::of(from);
        let to = m.end_exclusive().min(end);
        out.push((m, delayed_days(from, to)));
        from = to;
    }
    out
}

/// The overlap of `[a0, a1)` and `[b0, b1)` in days.
pub fn overlap_days(a0: NaiveDate, a1: NaiveDate, b0: NaiveDate, b1: NaiveDate) -> u32 {
    delayed_days(a0.max(b0), a1.min(b1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_iso_date(s).unwrap()
    }

    #[test]
    fn delayed_span_clips_to_today_and_the_range() {
        // Open since 30 July, as of 3 August: 30, 31 July, 1, 2 August.
        assert_eq!(
            delayed_days_within(d("2018-07-30"), None, d("2018-08-03"), ..),
            4
        );
        // The same within August only: 1, 2 August.
        let aug = d("2018-08-01")..d("2018-09-01");
        assert_eq!(
            delayed_span(d("2018-07-30"), None, d("2018-08-03"), aug.clone()),
            d("2018-08-01")..d("2018-08-03")
        );
        // Ended 2 August, as of later: 3 days; within August, 1.
        assert_eq!(
            delayed_days_within(d("2018-07-30"), Some(d("2018-08-02")), d("2018-09-09"), aug),
            1
        );
        // Ready and ended the same day, or a range before it all: nothing, an empty span.
        let same = delayed_span(d("2018-07-30"), Some(d("2018-07-30")), d("2018-09-09"), ..);
        assert!(same.is_empty());
        let before = d("2018-07-30")..=d("2018-07-30");
        assert_eq!(
            delayed_days_within(d("2018-08-01"), None, d("2018-09-09"), before),
            0
        );
    }

    #[test]
    fn counting_rule_examples_from_rules() {
        // ready 2018-07-30, discharged 2018-08-02: 2 days in July, 1 in August.
        assert_eq!(delayed_days(d("2018-07-30"), d("2018-08-02")), 3);
        assert_eq!(
            days_by_month(d("2018-07-30"), d("2018-08-02")),
            vec![
                (YearMonth::new(2018, 7).unwrap(), 2),
                (YearMonth::new(2018, 8).unwrap(), 1)
            ]
        );
        // ready and discharged the same day: 0 days.
        assert_eq!(delayed_days(d("2018-07-03"), d("2018-07-03")), 0);
        assert!(days_by_month(d("2018-07-03"), d("2018-07-03")).is_empty());
    }

    #[test]
    fn leap_february() {
        let feb = YearMonth::new(2020, 2).unwrap();
        assert_eq!(feb.days(), 29);
        assert_eq!(YearMonth::new(2019, 2).unwrap().days(), 28);
        assert_eq!(
            days_by_month(d("2020-01-31"), d("2020-03-02")),
            vec![
                (YearMonth::new(2020, 1).unwrap(), 1),
                (feb, 29),
                (YearMonth::new(2020, 3).unwrap(), 1)
            ]
        );
    }

    #[test]
    fn strict_iso_dates() {
        assert_eq!(
            d("2018-07-03"),
            NaiveDate::from_ymd_opt(2018, 7, 3).unwrap()
        );
        for bad in [
            "2018-02-30",
            "2018-7-3",
            "03/07/2018",
            "",
            "2018-13-01",
            "x",
        ] {
            assert!(parse_iso_date(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_iso_date("2018-02-30").unwrap_err().to_string(),
            "\"2018-02-30\": not a date (use YYYY-MM-DD)"
        );
    }

    #[test]
    fn typed_dates() {
        let today = d("2018-07-10");
        assert_eq!(parse_input_date("t", today).unwrap(), today);
        assert_eq!(parse_input_date("T-1", today).unwrap(), d("2018-07-09"));
        assert_eq!(parse_input_date("t+2", today).unwrap(), d("2018-07-12"));
        assert_eq!(parse_input_date("3/7/18", today).unwrap(), d("2018-07-03"));
        assert_eq!(
            parse_input_date("03/07/2018", today).unwrap(),
            d("2018-07-03")
        );
        assert_eq!(
            parse_input_date("2018-07-03", today).unwrap(),
            d("2018-07-03")
        );
        for bad in [
            "",
            "t-",
            "t-x",
            "31/2/18",
            "1/2/3/4",
            "tomorrow",
            "t-99999999999999999999",
        ] {
            assert!(parse_input_date(bad, today).is_err(), "{bad}");
        }
    }

    #[test]
    fn months() {
        let m = YearMonth::parse("2018-07").unwrap();
        assert_eq!(m.days(), 31);
        assert_eq!(m.long_name(), "July 2018");
        assert_eq!(YearMonth::parse_long_name("July 2018").unwrap(), m);
        assert_eq!(m.add_months(-7), YearMonth::new(2017, 12).unwrap());
        assert_eq!(m.financial_year(), 2018);
        assert_eq!(YearMonth::new(2019, 3).unwrap().financial_year(), 2018);
        assert_eq!(
            YearMonth::new(2017, 11)
                .unwrap()
                .range_inclusive(YearMonth::new(2018, 2).unwrap())
                .count(),
            4
        );
        for bad in ["2018-13", "2018-7", "18-07", "July"] {
            assert!(YearMonth::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn iso_weeks_across_year_ends() {
        assert_eq!(parse_iso_week("2018-W27").unwrap(), d("2018-07-02"));
        // ISO week 1 of 2019 starts on Monday 31 December 2018.
        assert_eq!(parse_iso_week("2019-W01").unwrap(), d("2018-12-31"));
        assert_eq!(iso_week_key(d("2018-12-31")), "2019-W01");
        // 2020 has 53 ISO weeks; 2019 does not.
        assert_eq!(parse_iso_week("2020-W53").unwrap(), d("2020-12-28"));
        assert_eq!(iso_week_key(d("2021-01-03")), "2020-W53");
        assert!(parse_iso_week("2019-W53").is_err());
    }
}
