//! The sitrep week (an ISO week, Monday to Sunday; docs/signoff.md), the two sides that sign it off, and
//! one delayed day as the weekly figures and the reconciliation count it.

use super::dates::{iso_week_key, parse_iso_week, DateError};
use super::{Attribution, CodeError, ReasonCode, Setting};
use crate::domain::LaCode;
use chrono::{Days, NaiveDate};
use serde::Serialize;
use std::fmt;

/// An ISO week, held by its Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Week {
    monday: NaiveDate,
}

impl Week {
    /// The week holding `date`.
    pub fn of(date: NaiveDate) -> Self {
        let back = u64::from(chrono::Datelike::weekday(&date).num_days_from_monday());
        Self {
            monday: date - Days::new(back),
        }
    }

    /// Parses `2018-W27` (ISO week-numbering year and week).
    pub fn parse(s: &str) -> Result<Self, DateError> {
        parse_iso_week(s).map(|monday| Self { monday })
    }

    /// The Monday that starts it.
    pub fn start(self) -> NaiveDate {
        self.monday
    }

    /// The Sunday that ends it.
    pub fn last_day(self) -> NaiveDate {
        self.monday + Days::new(6)
    }

    /// The Monday after (the exclusive end).
    pub fn end_exclusive(self) -> NaiveDate {
        self.monday + Days::new(7)
    }

    pub fn prev(self) -> Self {
        Self {
            monday: self.monday - Days::new(7),
        }
    }

    pub fn next(self) -> Self {
        Self {
            monday: self.end_exclusive(),
        }
    }

    /// `2018-W27`.
    pub fn key(self) -> String {
        iso_week_key(self.monday)
    }

    /// Whether the whole week is over on `today` (its Sunday is before `today`): only then can it
    /// be signed off.
    pub fn is_over(self, today: NaiveDate) -> bool {
        self.end_exclusive() <= today
    }
}

impl fmt::Display for Week {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// The side that signs a week off: the NHS trust or the council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Side {
    Nhs,
    Council,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Nhs, Side::Council];

    pub fn key(self) -> &'static str {
        match self {
            Self::Nhs => "nhs",
            Self::Council => "council",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Nhs => "NHS",
            Self::Council => "council",
        }
    }

    pub fn parse(input: &str) -> Result<Self, CodeError> {
        match input.trim().to_ascii_lowercase().as_str() {
            "nhs" => Ok(Self::Nhs),
            "council" | "la" | "social care" | "social_care" => Ok(Self::Council),
            _ => Err(CodeError::new("a side", input, "nhs or council")),
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How a reconciliation difference was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum MarkStatus {
    Accepted,
    Contested,
}

impl MarkStatus {
    pub fn key(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Contested => "contested",
        }
    }

    pub fn parse(input: &str) -> Result<Self, CodeError> {
        match input.trim().to_ascii_lowercase().as_str() {
            "accepted" | "accept" => Ok(Self::Accepted),
            "contested" | "contest" => Ok(Self::Contested),
            _ => Err(CodeError::new("a status", input, "accepted or contested")),
        }
    }
}

/// One delayed day (docs/counting.md: the midnight after `day` spent in the bed while delayed), with the
/// reason, attribution, authority and type of care in force that day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DelayedDay {
    pub day: NaiveDate,
    pub delay_id: i64,
    pub local_id: String,
    pub la_code: LaCode,
    pub site_code: String,
    pub setting: Setting,
    pub reason: ReasonCode,
    pub attribution: Attribution,
}

/// What a figure depends on in a delayed day: the day, the patient, the authority, the site and its
/// type of care, the reason and the attribution. Which delay record the day belongs to is not a
/// figure.
pub type FigureKey = (
    NaiveDate,
    String,
    LaCode,
    String,
    Setting,
    ReasonCode,
    Attribution,
);

impl DelayedDay {
    /// The day's [`FigureKey`].
    pub fn figure_key(&self) -> FigureKey {
        (
            self.day,
            self.local_id.clone(),
            self.la_code.clone(),
            self.site_code.clone(),
            self.setting,
            self.reason,
            self.attribution,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weeks_run_monday_to_sunday_across_month_and_year_ends() {
        // 2018-W31: Monday 30 July to Sunday 5 August.
        let w = Week::parse("2018-W31").unwrap();
        assert_eq!(
            (w.start(), w.last_day()),
            (d("2018-07-30"), d("2018-08-05"))
        );
        assert_eq!(Week::of(d("2018-08-05")), w);
        assert_eq!(w.next().key(), "2018-W32");
        // 2019-W01 starts on Monday 31 December 2018; the week before is 2018-W52.
        let w = Week::parse("2019-W01").unwrap();
        assert_eq!(w.start(), d("2018-12-31"));
        assert_eq!(w.prev().key(), "2018-W52");
        // 2020-W53: 28 December 2020 to 3 January 2021; next is 2021-W01.
        let w = Week::parse("2020-W53").unwrap();
        assert_eq!(
            (w.start(), w.last_day()),
            (d("2020-12-28"), d("2021-01-03"))
        );
        assert_eq!(w.next().key(), "2021-W01");
        assert!(w.is_over(d("2021-01-04")));
        assert!(!w.is_over(d("2021-01-03")));
    }

    #[test]
    fn sides_and_statuses() {
        assert_eq!(Side::parse("NHS").unwrap(), Side::Nhs);
        assert_eq!(Side::parse("council").unwrap(), Side::Council);
        assert!(Side::parse("trust").is_err());
        assert_eq!(
            MarkStatus::parse("contested").unwrap(),
            MarkStatus::Contested
        );
        assert!(MarkStatus::parse("maybe").is_err());
    }
}
