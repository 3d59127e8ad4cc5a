//! Wards as reference data (issue 26): each site's wards, by code and name, with an optional
//! number of beds. A stay's ward stays free text (a ward not on the list is still allowed); it
//! is matched to the list by code or name, ignoring case and spacing ([`find_ward`]).

use super::natural_sort::same_label;
use super::placement::WARD_MAX;

/// The longest ward name kept.
pub const WARD_NAME_MAX: usize = 80;
/// The most beds a ward may have.
pub const WARD_BEDS_MAX: u32 = 2000;

/// One ward of a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ward {
    pub site_code: String,
    /// What stays name it by (`W7`, `Ward 7`): at most [`WARD_MAX`] characters, as a stay's ward.
    pub code: String,
    pub name: String,
    pub beds: Option<u32>,
}

/// Why a ward is refused, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WardError {
    #[error("the site is empty")]
    NoSite,
    #[error("the ward code is empty")]
    NoCode,
    #[error("the ward code is longer than {WARD_MAX} characters")]
    LongCode,
    #[error("the ward name is longer than {WARD_NAME_MAX} characters")]
    LongName,
    #[error("the number of beds is not from 1 to {WARD_BEDS_MAX}")]
    Beds,
}

impl WardError {
    /// The field (the import's column) the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::NoSite => "site",
            Self::NoCode | Self::LongCode => "ward_code",
            Self::LongName => "name",
            Self::Beds => "beds",
        }
    }
}

impl Ward {
    /// The one constructor: texts trimmed, an empty name taken from the code, the lengths and
    /// the beds checked.
    pub fn new(site: &str, code: &str, name: &str, beds: Option<u32>) -> Result<Self, WardError> {
        let (site, code, name) = (site.trim(), code.trim(), name.trim());
        if site.is_empty() {
            return Err(WardError::NoSite);
        }
        if code.is_empty() {
            return Err(WardError::NoCode);
        }
        if code.chars().count() > WARD_MAX {
            return Err(WardError::LongCode);
        }
        if name.chars().count() > WARD_NAME_MAX {
            return Err(WardError::LongName);
        }
        if beds.is_some_and(|b| b == 0 || b > WARD_BEDS_MAX) {
            return Err(WardError::Beds);
        }
        Ok(Self {
            site_code: site.to_string(),
            code: code.to_string(),
            name: if name.is_empty() { code } else { name }.to_string(),
            beds,
        })
    }

    /// Whether a stay's ward text names this ward (its code or its name, any case and spacing).
    pub fn named_by(&self, text: &str) -> bool {
        same_label(&self.code, text) || same_label(&self.name, text)
    }

    /// `W7 Ward 7 (Gwendolen)`, or the code alone when the name is the code.
    pub fn label(&self) -> String {
        if same_label(&self.code, &self.name) {
            self.name.clone()
        } else {
            format!("{} {}", self.code, self.name)
        }
    }
}

/// The ward of `site` that a stay's free-text ward names, if it is on the list.
pub fn find_ward<'a>(wards: &'a [Ward], site: &str, text: &str) -> Option<&'a Ward> {
    wards
        .iter()
        .filter(|w| w.site_code.eq_ignore_ascii_case(site))
        .find(|w| same_label(&w.code, text))
        .or_else(|| {
            wards
                .iter()
                .filter(|w| w.site_code.eq_ignore_ascii_case(site))
                .find(|w| same_label(&w.name, text))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(site: &str, code: &str, name: &str) -> Ward {
        Ward::new(site, code, name, None).expect("valid ward")
    }

    #[test]
    fn a_ward_is_checked_once() {
        let x = Ward::new(" RX1 ", " W7 ", "", Some(28)).expect("valid");
        assert_eq!((x.site_code.as_str(), x.code.as_str()), ("RX1", "W7"));
        assert_eq!(x.name, "W7");
        assert_eq!(Ward::new("", "W7", "", None), Err(WardError::NoSite));
        assert_eq!(Ward::new("RX1", " ", "", None), Err(WardError::NoCode));
        assert_eq!(
            Ward::new("RX1", &"x".repeat(41), "", None),
            Err(WardError::LongCode)
        );
        assert_eq!(Ward::new("RX1", "W7", "", Some(0)), Err(WardError::Beds));
        assert_eq!(Ward::new("RX1", "W7", "", Some(2001)), Err(WardError::Beds));
        assert_eq!(WardError::Beds.field(), "beds");
        assert_eq!(
            WardError::Beds.to_string(),
            "the number of beds is not from 1 to 2000"
        );
    }

    #[test]
    fn a_stay_s_ward_is_matched_by_code_or_name_ignoring_case() {
        let wards = vec![
            w("RX1", "W7", "Ward 7"),
            w("RX1", "W10", "Ward 10"),
            w("RX2", "W7", "Rutland Ward 7"),
        ];
        assert_eq!(find_ward(&wards, "RX1", "ward 7"), Some(&wards[0]));
        assert_eq!(find_ward(&wards, "RX1", "WARD  7"), Some(&wards[0]));
        assert_eq!(find_ward(&wards, "RX1", "w10"), Some(&wards[1]));
        // The site matters: RX2's W7 is another ward.
        assert_eq!(find_ward(&wards, "RX2", "w7"), Some(&wards[2]));
        // Not on the list: allowed, and found as nothing.
        assert_eq!(find_ward(&wards, "RX1", "Ward 17"), None);
        assert_eq!(find_ward(&wards, "RX3", "W7"), None);
        assert_eq!(wards[0].label(), "W7 Ward 7");
        assert_eq!(w("RX1", "AMU", "amu").label(), "amu");
    }
}
