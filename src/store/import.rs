//! Applying validated import records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary;
