//! Where a delayed patient lies and when discharge is expected: the ward, bed and expected
//! discharge date of a stay, each optional (the board round's working data, issue 15).

use chrono::NaiveDate;

/// The longest ward name and bed label kept (the schema's limits).
pub const WARD_MAX: usize = 40;
pub const BED_MAX: usize = 20;

/// A stay's ward, bed and expected discharge date (`None`: not known).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    pub ward: Option<String>,
    pub bed: Option<String>,
    pub expected_on: Option<NaiveDate>,
}

/// Why a ward or bed is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} is longer than {max} characters")]
pub struct PlacementError {
    pub what: &'static str,
    pub max: usize,
}

/// A ward or bed: trimmed, empty means none, at most `max` characters.
pub fn place_text(
    v: &str,
    what: &'static str,
    max: usize,
) -> Result<Option<String>, PlacementError> {
    let v = v.trim();
    if v.chars().count() > max {
        return Err(PlacementError { what, max });
    }
    Ok((!v.is_empty()).then(|| v.to_string()))
}

impl Placement {
    /// The one constructor: trims the texts (empty means none) and checks their lengths.
    pub fn new(
        ward: &str,
        bed: &str,
        expected_on: Option<NaiveDate>,
    ) -> Result<Self, PlacementError> {
        Ok(Self {
            ward: place_text(ward, "the ward", WARD_MAX)?,
            bed: place_text(bed, "the bed", BED_MAX)?,
            expected_on,
        })
    }

    /// Whether the expected discharge date has passed (the patient is still in on `today`).
    pub fn overdue(expected_on: Option<NaiveDate>, today: NaiveDate) -> bool {
        expected_on.is_some_and(|e| e < today)
    }

    /// `ward / bed`, or what is known of it, or empty.
    pub fn label(ward: Option<&str>, bed: Option<&str>) -> String {
        match (ward, bed) {
            (Some(w), Some(b)) => format!("{w} / {b}"),
            (Some(w), None) => w.to_string(),
            (None, Some(b)) => format!("bed {b}"),
            (None, None) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_empty_is_none_and_long_is_refused() {
        let p = Placement::new(" Ward 7 ", "", None).expect("valid");
        assert_eq!(p.ward.as_deref(), Some("Ward 7"));
        assert_eq!(p.bed, None);
        let e = Placement::new("W", &"x".repeat(21), None).expect_err("too long");
        assert_eq!(e.to_string(), "the bed is longer than 20 characters");
        assert_eq!(Placement::label(Some("W7"), Some("12")), "W7 / 12");
        assert_eq!(Placement::label(None, Some("12")), "bed 12");
    }

    #[test]
    fn an_expected_date_before_today_is_overdue() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert!(Placement::overdue(Some(d("2018-08-14")), d("2018-08-15")));
        assert!(!Placement::overdue(Some(d("2018-08-15")), d("2018-08-15")));
        assert!(!Placement::overdue(None, d("2018-08-15")));
    }
}
