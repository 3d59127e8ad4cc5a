//! Local authority (Health and Wellbeing Board area) codes.

use std::fmt;

/// A well-formed ONS area code: `E`, `W`, `S` or `N` followed by 8 digits (e.g. `E10000018`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LaCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an ONS authority code (E, W, S or N and 8 digits, e.g. E10000018)")]
pub struct LaCodeError(pub String);

impl LaCode {
    pub fn parse(input: &str) -> Result<Self, LaCodeError> {
        let s = input.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        let ok = b.len() == 9
            && matches!(b[0], b'E' | b'W' | b'S' | b'N')
            && b[1..].iter().all(u8::is_ascii_digit);
        if ok {
            Ok(Self(s))
        } else {
            Err(LaCodeError(input.chars().take(40).collect()))
        }
    }

    /// Several codes (e.g. `--la` repeated), each parsed by [`LaCode::parse`].
    pub fn parse_all<S: AsRef<str>>(inputs: &[S]) -> Result<Vec<Self>, LaCodeError> {
        inputs.iter().map(|s| Self::parse(s.as_ref())).collect()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Written as the code itself (`"E10000018"`).
impl serde::Serialize for LaCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for LaCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl AsRef<str> for LaCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for LaCode {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for LaCode {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for LaCode {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for LaCode {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for LaCode {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<LaCode> for str {
    fn eq(&self, other: &LaCode) -> bool {
        self == other.0
    }
}

impl PartialEq<LaCode> for &str {
    fn eq(&self, other: &LaCode) -> bool {
        *self == other.0
    }
}

impl PartialEq<LaCode> for String {
    fn eq(&self, other: &LaCode) -> bool {
        *self == other.0
    }
}

impl From<LaCode> for String {
    fn from(c: LaCode) -> String {
        c.0
    }
}

impl From<&LaCode> for String {
    fn from(c: &LaCode) -> String {
        c.0.clone()
    }
}

impl std::str::FromStr for LaCode {
    type Err = LaCodeError;
    fn from_str(s: &str) -> Result<Self, LaCodeError> {
        Self::parse(s)
    }
}

/// The code itself; width and alignment (`{:<9}`) apply as to a string.
impl fmt::Display for LaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// The fewest adults (18+) an authority's population may have. The smallest English authority,
/// the Isles of Scilly, has about 1,800 adults (City of London about 8,000): 1,000 leaves room for
/// a smaller estimate while refusing a population of 1 or a count typed short.
pub const MIN_ADULTS: u64 = 1_000;
/// The most adults an authority's population may have. The largest, Kent and Essex, have about
/// 1.2 to 1.5 million adults: 5 million leaves room for any merged authority while refusing a
/// figure typed with extra digits (or 2^63). A country (`E92…`: England has about 45 million
/// adults) or an English region (`E12…`: the South East about 7.4 million) is a benchmark row,
/// bounded at 100 million.
pub const MAX_ADULTS: u64 = 5_000_000;
const MAX_ADULTS_AREA: u64 = 100_000_000;

/// The rule an 18+ population of `la` breaks, if any: outside [`MIN_ADULTS`] to [`MAX_ADULTS`]
/// (100 million for a country or region).
pub fn population_rule(la: &LaCode, population: u64) -> Option<String> {
    let area = la
        .as_str()
        .get(1..3)
        .is_some_and(|p| p == "92" || p == "12");
    let max = if area { MAX_ADULTS_AREA } else { MAX_ADULTS };
    if (MIN_ADULTS..=max).contains(&population) {
        return None;
    }
    Some(format!(
        "is not a plausible adult population for {la} (from {MIN_ADULTS} to {max})"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn populations_within_bounds() {
        let la = LaCode::parse("E06000053").unwrap();
        assert_eq!(population_rule(&la, 1_800), None);
        assert_eq!(population_rule(&la, 1_300_000), None);
        assert_eq!(
            population_rule(&la, 1).unwrap(),
            "is not a plausible adult population for E06000053 (from 1000 to 5000000)"
        );
        assert!(population_rule(&la, i64::MAX as u64).is_some());
        assert!(population_rule(&la, 43_000_000).is_some());
        let england = LaCode::parse("E92000001").unwrap();
        assert_eq!(population_rule(&england, 43_000_000), None);
        assert!(population_rule(&england, i64::MAX as u64).is_some());
    }

    #[test]
    fn ons_codes() {
        assert_eq!(LaCode::parse("E10000018").unwrap().as_str(), "E10000018");
        assert_eq!(LaCode::parse("w06000001").unwrap().as_str(), "W06000001");
        for bad in [
            "",
            "E1000001",
            "E100000188",
            "X10000018",
            "E1000001A",
            "508",
        ] {
            assert!(LaCode::parse(bad).is_err(), "{bad}");
        }
    }
}
