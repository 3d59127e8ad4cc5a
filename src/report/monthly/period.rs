//! The periods a report's rows cover: calendar months, financial quarters or financial years
//! (quarter and year rows are means of their months, the ASCOF 2C method, docs/measures.md).

use crate::domain::YearMonth;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// How a report groups its months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    Month,
    Quarter,
    Year,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Month, Period::Quarter, Period::Year];

    /// The word used on the command line (`--period month|quarter|year`).
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// The next period in the cycle month → quarter → year → month (the app's `p` key).
    pub fn next(self) -> Period {
        match self {
            Period::Month => Period::Quarter,
            Period::Quarter => Period::Year,
            Period::Year => Period::Month,
        }
    }
}

impl Period {
    /// The key of the period of this kind holding `month`.
    pub fn key_of(self, month: YearMonth) -> PeriodKey {
        match self {
            Period::Month => PeriodKey::Month(month),
            Period::Quarter => PeriodKey::Financial(FinancialPeriod::quarter_of(month)),
            Period::Year => PeriodKey::Financial(FinancialPeriod::year_of(month)),
        }
    }
}

impl Period {
    /// The first month of the period of this kind holding `month` (April of its financial year,
    /// the first month of its quarter, or `month` itself).
    pub fn first_month(self, month: YearMonth) -> YearMonth {
        let mut m = month;
        while self.key_of(m.prev()) == self.key_of(month) {
            m = m.prev();
        }
        m
    }

    /// The last month of the period of this kind holding `month`.
    pub fn last_month(self, month: YearMonth) -> YearMonth {
        let mut m = month;
        while self.key_of(m.next()) == self.key_of(month) {
            m = m.next();
        }
        m
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("{s}: not a period (month, quarter or year)"))
    }
}

/// A period of the NHS financial year (April–March), named by the year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum FinancialPeriod {
    /// Quarter 1–4 of a financial year: Q1 April–June, Q2 July–September, Q3 October–December,
    /// Q4 January–March.
    Quarter {
        /// The calendar year the financial year starts in (2018 for 2018/19).
        year: i32,
        /// 1–4.
        quarter: u32,
    },
    /// The whole financial year, April of `year` to March of `year + 1`.
    Year(i32),
}

impl FinancialPeriod {
    /// The financial quarter holding `month`.
    pub fn quarter_of(month: YearMonth) -> Self {
        // April → 1, …, March → 4.
        let quarter = (month.month + 8) % 12 / 3 + 1;
        Self::Quarter {
            year: month.financial_year(),
            quarter,
        }
    }

    /// The financial year holding `month`.
    pub fn year_of(month: YearMonth) -> Self {
        Self::Year(month.financial_year())
    }

    /// How many months a complete period has: 3 or 12.
    pub fn months(self) -> usize {
        match self {
            Self::Quarter { .. } => 3,
            Self::Year(_) => 12,
        }
    }
}

impl fmt::Display for FinancialPeriod {
    /// `2018/19 Q2` or `2018/19`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fy = |y: i32| format!("{}/{:02}", y, (y + 1).rem_euclid(100));
        match *self {
            Self::Quarter { year, quarter } => write!(f, "{} Q{quarter}", fy(year)),
            Self::Year(year) => f.write_str(&fy(year)),
        }
    }
}

/// The key of a report row: a calendar month (`2018-07`), or a financial quarter (`2018/19 Q2`)
/// or year (`2018/19`). Written (and serialized) as those words; ordered in time within a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodKey {
    Month(YearMonth),
    Financial(FinancialPeriod),
}

impl PeriodKey {
    /// The calendar month, when the key is one.
    pub fn month(self) -> Option<YearMonth> {
        match self {
            PeriodKey::Month(m) => Some(m),
            PeriodKey::Financial(_) => None,
        }
    }

    /// How many months a complete period has: 1, 3 or 12.
    pub fn months(self) -> usize {
        match self {
            PeriodKey::Month(_) => 1,
            PeriodKey::Financial(p) => p.months(),
        }
    }
}

impl fmt::Display for PeriodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, so that `{:<11}` lines the key up in the terminal tables.
        match self {
            PeriodKey::Month(m) => f.pad(&m.key()),
            PeriodKey::Financial(p) => f.pad(&p.to_string()),
        }
    }
}

impl Serialize for PeriodKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl From<YearMonth> for PeriodKey {
    fn from(m: YearMonth) -> Self {
        PeriodKey::Month(m)
    }
}

impl PartialEq<FinancialPeriod> for PeriodKey {
    fn eq(&self, other: &FinancialPeriod) -> bool {
        *self == PeriodKey::Financial(*other)
    }
}

impl PartialEq<&str> for PeriodKey {
    /// Whether the key is written `other` (`2018-07`, `2018/19 Q2`).
    fn eq(&self, other: &&str) -> bool {
        let written = self.to_string();
        written == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_cycles() {
        assert_eq!("Quarter".parse::<Period>(), Ok(Period::Quarter));
        assert!("week".parse::<Period>().is_err());
        assert_eq!(Period::Year.next(), Period::Month);
        assert_eq!(Period::Month.to_string(), "month");
    }

    #[test]
    fn keys_are_written_as_published_and_padded() {
        let m = YearMonth::new(2018, 7).unwrap();
        assert_eq!(Period::Month.key_of(m).to_string(), "2018-07");
        assert_eq!(Period::Quarter.key_of(m).to_string(), "2018/19 Q2");
        assert_eq!(format!("{:<9}|", Period::Year.key_of(m)), "2018/19  |");
        assert_eq!(Period::Quarter.key_of(m).months(), 3);
        assert_eq!(Period::Month.key_of(m).month(), Some(m));
        assert!(Period::Year.key_of(m) == "2018/19");
    }
}
