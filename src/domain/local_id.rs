//! The local hospital number a patient is known by, checked in one place for the add form, the
//! importers and the store.

use std::fmt;

/// A local hospital number: 1 to [`LocalId::MAX`] bytes once trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(String);

/// Why a local hospital number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LocalIdError {
    #[error("a local hospital number is needed")]
    Empty,
    #[error("the local hospital number is longer than 40 characters")]
    TooLong,
    #[error("the local hospital number has a control character or line break: one line of printable text")]
    Control,
    #[error("the local hospital number looks like an NHS number: NHS numbers go only in the NHS number field")]
    NhsNumber,
}

impl LocalId {
    /// The longest local hospital number kept.
    pub const MAX: usize = 40;

    pub fn parse(input: &str) -> Result<Self, LocalIdError> {
        let s = input.trim();
        if s.is_empty() {
            Err(LocalIdError::Empty)
        } else if s.len() > Self::MAX {
            Err(LocalIdError::TooLong)
        } else if super::text::control_rule(s, super::text::TextKind::Code).is_some() {
            Err(LocalIdError::Control)
        } else if super::text::nhs_number_in(s).is_some() {
            Err(LocalIdError::NhsNumber)
        } else {
            Ok(Self(s.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for LocalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_ids() {
        assert_eq!(LocalId::parse(" P123 ").unwrap().as_str(), "P123");
        assert_eq!(LocalId::parse("  "), Err(LocalIdError::Empty));
        assert_eq!(LocalId::parse(&"x".repeat(41)), Err(LocalIdError::TooLong));
        assert_eq!(LocalId::parse(&"x".repeat(40)).unwrap().as_str().len(), 40);
        assert_eq!(LocalId::parse("E\u{1b}]0;PWN"), Err(LocalIdError::Control));
        assert_eq!(LocalId::parse("P1\nP2"), Err(LocalIdError::Control));
        assert_eq!(LocalId::parse("943 476 5919"), Err(LocalIdError::NhsNumber));
        assert_eq!(LocalId::parse("\u{202E}P1"), Err(LocalIdError::Control));
    }
}
