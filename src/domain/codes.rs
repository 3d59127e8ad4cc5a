//! National codes: reason for delay, responsible organisation (attribution), type of care, pathway.
//! Everything is stored and imported by code, never by label (docs/counting.md).

use serde::{Deserialize, Serialize};
use std::fmt;

/// An error parsing a code: what was given and what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not {what} (expected {expected})")]
pub struct CodeError {
    pub what: &'static str,
    pub value: String,
    pub expected: &'static str,
}

impl CodeError {
    pub(crate) fn new(what: &'static str, value: &str, expected: &'static str) -> Self {
        // Keep error values short: a 10 MB cell must not become a 10 MB message.
        let value: String = value.chars().take(40).collect();
        Self {
            what,
            value,
            expected,
        }
    }
}

/// National DTOC reason for delay (2017–2020 codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ReasonCode {
    A,
    B,
    C,
    Di,
    Dii,
    E,
    F,
    G,
    H,
    I,
    O,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 11] = [
        Self::A,
        Self::B,
        Self::C,
        Self::Di,
        Self::Dii,
        Self::E,
        Self::F,
        Self::G,
        Self::H,
        Self::I,
        Self::O,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
            Self::Di => "Di",
            Self::Dii => "Dii",
            Self::E => "E",
            Self::F => "F",
            Self::G => "G",
            Self::H => "H",
            Self::I => "I",
            Self::O => "O",
        }
    }

    /// The label as in the July 2018 LA-Type-B publication.
    pub fn label(self) -> &'static str {
        match self {
            Self::A => "Awaiting completion of assessment",
            Self::B => "Awaiting public funding",
            Self::C => "Awaiting further non-acute NHS care",
            Self::Di => "Awaiting residential home placement or availability",
            Self::Dii => "Awaiting nursing home placement or availability",
            Self::E => "Awaiting care package in own home",
            Self::F => "Awaiting community equipment and adaptations",
            Self::G => "Patient or family choice",
            Self::H => "Disputes",
            Self::I => "Housing - patients not covered by Care Act",
            Self::O => "Other",
        }
    }

    /// The column header of the published "by reason" table, e.g. `Di) Awaiting residential home placement or availability`.
    pub fn published_header(self) -> String {
        let label = match self {
            Self::C => "Awaiting further non-acute NHS care",
            other => other.label(),
        };
        format!("{}) {}", self.code(), label)
    }

    /// Parses a bare code (`di`, `DII`) or a published header that starts with one (`Di) Awaiting …`,
    /// `C - Awaiting …`). The code is matched, never the label.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim();
        let head: &str = match s.find(|c: char| !c.is_ascii_alphabetic()) {
            Some(i) => {
                let rest = s[i..].trim_start();
                if rest.starts_with(')')
                    || rest.starts_with('-')
                    || rest.starts_with(':')
                    || rest.starts_with('.')
                {
                    &s[..i]
                } else {
                    s
                }
            }
            None => s,
        };
        let found = Self::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(head));
        found.ok_or_else(|| {
            CodeError::new(
                "a reason code",
                input,
                "A, B, C, Di, Dii, E, F, G, H, I or O",
            )
        })
    }

    /// Codes C and I only ever carry NHS days in the published data: another attribution is worth a
    /// warning (not a refusal).
    pub fn attribution_warning(self, attribution: Attribution) -> Option<String> {
        match (self, attribution) {
            (Self::C | Self::I, Attribution::SocialCare | Attribution::Both) => Some(format!(
                "reason {} is normally attributed to the NHS, not {}",
                self.code(),
                attribution.label()
            )),
            _ => None,
        }
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Responsible organisation of a delayed day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Attribution {
    Nhs,
    SocialCare,
    Both,
}

impl Attribution {
    pub const ALL: [Attribution; 3] = [Self::Nhs, Self::SocialCare, Self::Both];

    /// As published and stored: `NHS`, `Social Care`, `Both`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Nhs => "NHS",
            Self::SocialCare => "Social Care",
            Self::Both => "Both",
        }
    }

    /// As used in measures and CSV: `nhs`, `social_care`, `both`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Nhs => "nhs",
            Self::SocialCare => "social_care",
            Self::Both => "both",
        }
    }

    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let norm: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .collect::<String>()
            .to_ascii_lowercase();
        match norm.as_str() {
            "nhs" => Ok(Self::Nhs),
            "socialcare" | "sc" | "social" => Ok(Self::SocialCare),
            "both" => Ok(Self::Both),
            _ => Err(CodeError::new(
                "an attribution",
                input,
                "NHS, Social Care or Both",
            )),
        }
    }
}

impl fmt::Display for Attribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Type of care of a bed (a property of the site).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Setting {
    Acute,
    NonAcute,
}

impl Setting {
    pub const ALL: [Setting; 2] = [Self::Acute, Self::NonAcute];

    pub fn key(self) -> &'static str {
        match self {
            Self::Acute => "acute",
            Self::NonAcute => "non-acute",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Acute => "Acute",
            Self::NonAcute => "Non-Acute",
        }
    }

    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let norm: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .collect::<String>()
            .to_ascii_lowercase();
        match norm.as_str() {
            "acute" => Ok(Self::Acute),
            "nonacute" => Ok(Self::NonAcute),
            _ => Err(CodeError::new(
                "a type of care",
                input,
                "acute or non-acute",
            )),
        }
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Discharge pathway 0–3 (docs/discharge.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Pathway {
    P0,
    P1,
    P2,
    P3,
}

impl Pathway {
    pub const ALL: [Pathway; 4] = [Self::P0, Self::P1, Self::P2, Self::P3];

    pub fn number(self) -> u8 {
        match self {
            Self::P0 => 0,
            Self::P1 => 1,
            Self::P2 => 2,
            Self::P3 => 3,
        }
    }

    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            0 => Some(Self::P0),
            1 => Some(Self::P1),
            2 => Some(Self::P2),
            3 => Some(Self::P3),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::P0 => "simple discharge home, no new support",
            Self::P1 => "home with new or restarted support",
            Self::P2 => "community bed for rehabilitation or recovery",
            Self::P3 => "care home, complex needs",
        }
    }

    /// Accepts `0`–`3`, `P1`, `pathway 2`.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim().to_ascii_lowercase();
        let s = s
            .strip_prefix("pathway")
            .or_else(|| s.strip_prefix('p'))
            .unwrap_or(&s)
            .trim();
        s.parse::<i64>()
            .ok()
            .and_then(Self::from_number)
            .ok_or_else(|| CodeError::new("a pathway", input, "0, 1, 2 or 3"))
    }
}

impl fmt::Display for Pathway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// How a delay ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EndKind {
    Discharged,
    Transferred,
    /// The patient meets the criteria to reside again.
    UnfitAgain,
    /// The patient died: the delay ends, but a death is not a discharge (docs/counting.md).
    Died,
}

impl EndKind {
    pub const ALL: [EndKind; 4] = [
        Self::Discharged,
        Self::Transferred,
        Self::UnfitAgain,
        Self::Died,
    ];

    /// Whether a delay that ended this way ended in a discharge (docs/discharge.md: the patient left the
    /// bed alive; a death is not a discharge). Exhaustive on purpose: a new end kind must say.
    pub fn is_discharge(self) -> bool {
        match self {
            Self::Discharged | Self::Transferred => true,
            Self::UnfitAgain | Self::Died => false,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Discharged => "discharged",
            Self::Transferred => "transferred",
            Self::UnfitAgain => "unfit",
            Self::Died => "died",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Discharged => "discharged",
            Self::Transferred => "transferred",
            Self::UnfitAgain => "unfit again",
            Self::Died => "died",
        }
    }

    pub fn parse(input: &str) -> Result<Self, CodeError> {
        match input.trim().to_ascii_lowercase().as_str() {
            "discharged" | "d" => Ok(Self::Discharged),
            "transferred" | "t" => Ok(Self::Transferred),
            "unfit" | "unfit again" | "unfit_again" | "u" => Ok(Self::UnfitAgain),
            "died" | "death" => Ok(Self::Died),
            _ => Err(CodeError::new(
                "an end of delay",
                input,
                "discharged, transferred, unfit or died",
            )),
        }
    }
}

/// What a figure counts: all delayed days or one attribution's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Measure {
    Total,
    Nhs,
    SocialCare,
    Both,
}

impl Measure {
    pub const ALL: [Measure; 4] = [Self::Total, Self::Nhs, Self::SocialCare, Self::Both];

    pub fn key(self) -> &'static str {
        match self {
            Self::Total => "total",
            Self::Nhs => "nhs",
            Self::SocialCare => "social_care",
            Self::Both => "both",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Total => "Total",
            Self::Nhs => "NHS",
            Self::SocialCare => "Social Care",
            Self::Both => "Both",
        }
    }

    pub fn attribution(self) -> Option<Attribution> {
        match self {
            Self::Total => None,
            Self::Nhs => Some(Attribution::Nhs),
            Self::SocialCare => Some(Attribution::SocialCare),
            Self::Both => Some(Attribution::Both),
        }
    }

    pub fn includes(self, a: Attribution) -> bool {
        self.attribution().is_none_or(|m| m == a)
    }

    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim();
        if s.eq_ignore_ascii_case("total") || s.eq_ignore_ascii_case("all") {
            return Ok(Self::Total);
        }
        match Attribution::parse(s) {
            Ok(Attribution::Nhs) => Ok(Self::Nhs),
            Ok(Attribution::SocialCare) => Ok(Self::SocialCare),
            Ok(Attribution::Both) => Ok(Self::Both),
            Err(_) => Err(CodeError::new(
                "a measure",
                input,
                "total, nhs, social_care or both",
            )),
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The unit a target is given in (docs/measures.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TargetUnit {
    /// Delayed days in the month.
    Days,
    /// Delayed days per day (DTOC beds).
    DaysPerDay,
    /// Delayed days per 100,000 adults per month.
    Per100kMonth,
    /// Delayed days per 100,000 adults per day.
    Per100kDay,
}

impl TargetUnit {
    pub const ALL: [TargetUnit; 4] = [
        Self::Days,
        Self::DaysPerDay,
        Self::Per100kMonth,
        Self::Per100kDay,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Days => "days",
            Self::DaysPerDay => "days_per_day",
            Self::Per100kMonth => "per_100k_month",
            Self::Per100kDay => "per_100k_day",
        }
    }

    pub fn needs_population(self) -> bool {
        matches!(self, Self::Per100kMonth | Self::Per100kDay)
    }

    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|u| u.key() == s).ok_or_else(|| {
            CodeError::new(
                "a target unit",
                input,
                "days, days_per_day, per_100k_month or per_100k_day",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_codes_parse_case_insensitively_and_from_headers() {
        assert_eq!(ReasonCode::parse("di").unwrap(), ReasonCode::Di);
        assert_eq!(ReasonCode::parse("DII").unwrap(), ReasonCode::Dii);
        assert_eq!(ReasonCode::parse(" o ").unwrap(), ReasonCode::O);
        assert_eq!(
            ReasonCode::parse("Di) Awaiting residential home placement or availability").unwrap(),
            ReasonCode::Di
        );
        assert_eq!(
            ReasonCode::parse("Dii) Awaiting nursing home placement or availability").unwrap(),
            ReasonCode::Dii
        );
        assert_eq!(
            ReasonCode::parse("I) Housing - patients not covered by Care Act").unwrap(),
            ReasonCode::I
        );
        for r in ReasonCode::ALL {
            assert_eq!(ReasonCode::parse(&r.published_header()).unwrap(), r);
            assert_eq!(ReasonCode::parse(r.code()).unwrap(), r);
        }
    }

    #[test]
    fn reason_labels_are_not_codes() {
        for bad in ["", "D", "Diii", "Awaiting public funding", "J", "A1"] {
            let e = ReasonCode::parse(bad).unwrap_err();
            assert!(e.to_string().contains("not a reason code"), "{e}");
        }
    }

    #[test]
    fn attribution_aliases() {
        for (s, a) in [
            ("NHS", Attribution::Nhs),
            ("nhs", Attribution::Nhs),
            ("Social Care", Attribution::SocialCare),
            ("social_care", Attribution::SocialCare),
            ("sc", Attribution::SocialCare),
            ("SC", Attribution::SocialCare),
            ("both", Attribution::Both),
            ("Both", Attribution::Both),
        ] {
            assert_eq!(Attribution::parse(s).unwrap(), a, "{s}");
        }
        assert!(Attribution::parse("council").is_err());
    }

    #[test]
    fn c_and_i_warn_when_not_nhs() {
        assert!(ReasonCode::C
            .attribution_warning(Attribution::SocialCare)
            .is_some());
        assert!(ReasonCode::I
            .attribution_warning(Attribution::Both)
            .is_some());
        assert!(ReasonCode::C
            .attribution_warning(Attribution::Nhs)
            .is_none());
        assert!(ReasonCode::E
            .attribution_warning(Attribution::SocialCare)
            .is_none());
    }

    #[test]
    fn setting_pathway_measure_unit() {
        assert_eq!(Setting::parse("Non-Acute").unwrap(), Setting::NonAcute);
        assert_eq!(Setting::parse("non_acute").unwrap(), Setting::NonAcute);
        assert_eq!(Setting::parse("ACUTE").unwrap(), Setting::Acute);
        assert!(Setting::parse("maternity").is_err());
        assert_eq!(Pathway::parse("P1").unwrap(), Pathway::P1);
        assert_eq!(Pathway::parse("3").unwrap(), Pathway::P3);
        assert!(Pathway::parse("4").is_err());
        assert_eq!(Measure::parse("social_care").unwrap(), Measure::SocialCare);
        assert_eq!(Measure::parse("total").unwrap(), Measure::Total);
        assert_eq!(
            TargetUnit::parse("per_100k_day").unwrap(),
            TargetUnit::Per100kDay
        );
        assert!(TargetUnit::parse("beds").is_err());
    }

    #[test]
    fn long_values_are_cut_in_errors() {
        let big = "x".repeat(10_000);
        let e = ReasonCode::parse(&big).unwrap_err();
        assert!(e.to_string().len() < 200);
    }
}
