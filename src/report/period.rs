//! The periods a report's rows cover: calendar months, financial quarters or financial years
//! (quarter and year rows are means of their months, the ASCOF 2C method, RULES.md §2).

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
}
