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

#[cfg(test)]
mod tests {
    use super::*;

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
