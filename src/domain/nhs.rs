//! NHS number (docs/data-protection.md): ten digits with a modulus-11 check digit.

use std::fmt;

/// A valid NHS number. The `Debug` form is masked so that the number cannot leak into a log line
/// through `{:?}`; use [`NhsNumber::as_str`] or `Display` only where the full number is meant to be shown.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NhsNumber(String);

/// Why a string is not an NHS number. The messages never repeat the number itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NhsNumberError {
    #[error("an NHS number has 10 digits (spaces allowed as 3-3-4)")]
    Format,
    #[error("NHS number check digit is wrong (modulus 11)")]
    CheckDigit,
}

impl NhsNumber {
    /// Parses `9434765919` or `943 476 5919` (spaces and dashes between groups allowed).
    pub fn parse(input: &str) -> Result<Self, NhsNumberError> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NhsNumberError::Format);
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = d[..9]
            .iter()
            .zip((2..=10).rev())
            .map(|(digit, weight)| digit * weight)
            .sum();
        let check = match 11 - (sum % 11) {
            11 => 0,
            10 => return Err(NhsNumberError::CheckDigit),
            c => c,
        };
        if check != d[9] {
            return Err(NhsNumberError::CheckDigit);
        }
        Ok(Self(digits))
    }

    /// The ten digits, unformatted (for storage).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `*** *** 5919`: what lists show.
    pub fn masked(&self) -> String {
        format!("*** *** {}", &self.0[6..])
    }

    /// `943 476 5919`.
    pub fn formatted(&self) -> String {
        format!("{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

impl fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

impl fmt::Debug for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NhsNumber({})", self.masked())
    }
}

impl std::str::FromStr for NhsNumber {
    type Err = NhsNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers_from_rules() {
        for n in ["9434765919", "6541003238", "6716689966", "943 476 5919"] {
            assert!(NhsNumber::parse(n).is_ok(), "{n} should be valid");
        }
        assert_eq!(
            NhsNumber::parse("943 476 5919").unwrap().as_str(),
            "9434765919"
        );
    }

    #[test]
    fn invalid_numbers_from_rules() {
        assert_eq!(
            NhsNumber::parse("0000000001"),
            Err(NhsNumberError::CheckDigit)
        );
        assert_eq!(
            NhsNumber::parse("9434765918"),
            Err(NhsNumberError::CheckDigit)
        );
    }

    #[test]
    fn check_digit_ten_is_invalid() {
        // 1000000060: sum = 1*10 + 6*2 = 22 -> 11 - 0 = 11 -> 0; pick one whose remainder is 1:
        // digits 100000001: sum = 10 + 2 = 12, 12 mod 11 = 1, 11 - 1 = 10 -> invalid whatever digit 10 is.
        for last in 0..=9 {
            let n = format!("100000001{last}");
            assert_eq!(NhsNumber::parse(&n), Err(NhsNumberError::CheckDigit));
        }
    }

    #[test]
    fn format_errors() {
        for n in [
            "",
            "123",
            "94347659190",
            "94347659a9",
            "９４３４７６５９１９",
        ] {
            assert_eq!(NhsNumber::parse(n), Err(NhsNumberError::Format), "{n}");
        }
    }

    #[test]
    fn display_masks_and_debug_never_shows_the_number() {
        let n = NhsNumber::parse("9434765919").unwrap();
        assert_eq!(n.masked(), "*** *** 5919");
        assert_eq!(n.to_string(), "943 476 5919");
        assert!(!format!("{n:?}").contains("943"));
    }
}
