//! A correction of how an ended delay ended and when its stay was discharged (issue 25): what the
//! detail view's form and a corrections file give, field by field. The rules it is checked by
//! need what is stored, so they are the store's (`store/ended.rs`).

use super::{Destination, EndKind, Pathway};
use chrono::NaiveDate;

/// The changes to an ended delay's end and its stay's discharge; `None` leaves a field as stored,
/// `Some(None)` clears it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EndChange {
    /// The delay's end date.
    pub on: Option<NaiveDate>,
    pub kind: Option<EndKind>,
    pub pathway: Option<Option<Pathway>>,
    pub destination: Option<Option<Destination>>,
    pub usual_residence: Option<Option<bool>>,
    /// The stay's discharge date.
    pub discharged_on: Option<Option<NaiveDate>>,
}
