//! Discharge after 2020 (docs/discharge.md): the 12 destinations and 18 reasons for continuing to reside
//! of NHS England's Acute Daily Discharge SitRep (tables 4 and 5 of the January 2024 publication),
//! length of stay and its nested bands, Discharge Ready Date bands, and the measures targets can be
//! set on. Stored and imported by code; a published label is accepted on input too.

use super::codes::{CodeError, Pathway};
use crate::domain::LaCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Normalises a label or code for matching: lower case, only letters and digits.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Finds the item whose code or published label matches `input` (ignoring case, spaces, punctuation).
fn find_by_code_or_label<T: Copy>(
    all: &[T],
    input: &str,
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Option<T> {
    let n = norm(input);
    if n.is_empty() {
        return None;
    }
    all.iter()
        .copied()
        .find(|x| norm(code(*x)) == n || norm(label(*x)) == n)
}

/// Where a patient was discharged to: the 12 columns of the acute sitrep's table 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Destination {
    P0Home,
    P0Other,
    P1Home,
    P1Other,
    P1Hotel,
    P2CareHome,
    P2Designated,
    P2Hospice,
    P2CommunityRehab,
    P3CareHome,
    P3bCareHome,
    P3Designated,
}

impl Destination {
    /// In the order of the published table's columns.
    pub const ALL: [Destination; 12] = [
        Self::P0Home,
        Self::P0Other,
        Self::P1Home,
        Self::P1Other,
        Self::P1Hotel,
        Self::P2CareHome,
        Self::P2Designated,
        Self::P2Hospice,
        Self::P2CommunityRehab,
        Self::P3CareHome,
        Self::P3bCareHome,
        Self::P3Designated,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::P0Home => "p0_home",
            Self::P0Other => "p0_other",
            Self::P1Home => "p1_home",
            Self::P1Other => "p1_other",
            Self::P1Hotel => "p1_hotel",
            Self::P2CareHome => "p2_care_home",
            Self::P2Designated => "p2_designated",
            Self::P2Hospice => "p2_hospice",
            Self::P2CommunityRehab => "p2_community_rehab",
            Self::P3CareHome => "p3_care_home",
            Self::P3bCareHome => "p3b_care_home",
            Self::P3Designated => "p3_designated",
        }
    }

    /// The column header of the published table 4 (line breaks as spaces).
    pub fn label(self) -> &'static str {
        match self {
            Self::P0Home => "P0 - Domestic home without reablement support",
            Self::P0Other => "P0 - Other without reablement support",
            Self::P1Home => "P1 - Domestic home with reablement support",
            Self::P1Other => "P1 - Other with reablement support",
            Self::P1Hotel => "P1 - Hotel with reablement support",
            Self::P2CareHome => "P2 - Care Home (short term 24hr support)",
            Self::P2Designated => "P2 - Designated Setting (isolation before moving to care home)",
            Self::P2Hospice => "P2 - Hospice (short term 24hr support)",
            Self::P2CommunityRehab => "P2 - Community Rehab Setting (short term 24hr support)",
            Self::P3CareHome => "P3 - Care Home (new admission, likely permanent)",
            Self::P3bCareHome => "P3b - Care Home (existing resident discharged back)",
            Self::P3Designated => {
                "P3 - Designated Setting (isolation before moving to care home as new admission)"
            }
        }
    }

    /// The column header of the published table 4, byte for byte (its line breaks included).
    pub fn published_header(self) -> &'static str {
        match self {
            Self::P2CareHome => "P2 - Care Home \n(short term 24hr support)",
            Self::P2Designated => {
                "P2 - Designated Setting \n(isolation before moving to care home)"
            }
            Self::P2Hospice => "P2 - Hospice \n(short term 24hr support)",
            Self::P2CommunityRehab => "P2 - Community Rehab Setting\n(short term 24hr support)",
            Self::P3CareHome => "P3 - Care Home\n(new admission, likely permanent)",
            Self::P3bCareHome => "P3b - Care Home\n(existing resident discharged back)",
            Self::P3Designated => {
                "P3 - Designated Setting\n(isolation before moving to care home as new admission)"
            }
            other => other.label(),
        }
    }

    /// The pathway the destination belongs to (P3b, a care home resident going back, is in the
    /// pathway 3 group of the published table).
    pub fn pathway(self) -> Pathway {
        match self {
            Self::P0Home | Self::P0Other => Pathway::P0,
            Self::P1Home | Self::P1Other | Self::P1Hotel => Pathway::P1,
            Self::P2CareHome | Self::P2Designated | Self::P2Hospice | Self::P2CommunityRehab => {
                Pathway::P2
            }
            Self::P3CareHome | Self::P3bCareHome | Self::P3Designated => Pathway::P3,
        }
    }

    /// Whether going here is going back to the patient's usual place of residence, when the
    /// destination says so: a domestic home (P0, P1) or back to the care home the patient lives in
    /// (P3b) is; a hotel, a designated setting, a hospice, rehabilitation or a new care home
    /// placement is not; "other" destinations do not tell (`None`: ask).
    pub fn usual_residence(self) -> Option<bool> {
        match self {
            Self::P0Home | Self::P1Home | Self::P3bCareHome => Some(true),
            Self::P0Other | Self::P1Other => None,
            Self::P1Hotel
            | Self::P2CareHome
            | Self::P2Designated
            | Self::P2Hospice
            | Self::P2CommunityRehab
            | Self::P3CareHome
            | Self::P3Designated => Some(false),
        }
    }

    /// Accepts the code (`p1_home`) or the published label, in any case.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        find_by_code_or_label(&Self::ALL, input, Self::code, Self::label).ok_or_else(|| {
            CodeError::new(
                "a discharge destination",
                input,
                "p0_home, p0_other, p1_home, p1_other, p1_hotel, p2_care_home, p2_designated, \
                 p2_hospice, p2_community_rehab, p3_care_home, p3b_care_home or p3_designated",
            )
        })
    }
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a patient who no longer meets the criteria to reside is still in hospital: the 18 columns of
/// the acute sitrep's table 5 (recorded beside the DTOC reason code of a delay period).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AcuteReason {
    MedicalDecision,
    EquipmentHousing,
    HubConfirmation,
    DiagnosticTest,
    Medicines,
    SpaReferral,
    TherapyDecision,
    Transport,
    MeetsCriteriaAgain,
    Homeless,
    FamilyDisagree,
    NoPlan,
    P1Capacity,
    P2Bed,
    P3Bed,
    InfectionControl,
    Repatriation,
    Safeguarding,
}

impl AcuteReason {
    /// In the order of the published table's columns.
    pub const ALL: [AcuteReason; 18] = [
        Self::MedicalDecision,
        Self::EquipmentHousing,
        Self::HubConfirmation,
        Self::DiagnosticTest,
        Self::Medicines,
        Self::SpaReferral,
        Self::TherapyDecision,
        Self::Transport,
        Self::MeetsCriteriaAgain,
        Self::Homeless,
        Self::FamilyDisagree,
        Self::NoPlan,
        Self::P1Capacity,
        Self::P2Bed,
        Self::P3Bed,
        Self::InfectionControl,
        Self::Repatriation,
        Self::Safeguarding,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::MedicalDecision => "medical_decision",
            Self::EquipmentHousing => "equipment_housing",
            Self::HubConfirmation => "hub_confirmation",
            Self::DiagnosticTest => "diagnostic_test",
            Self::Medicines => "medicines",
            Self::SpaReferral => "spa_referral",
            Self::TherapyDecision => "therapy_decision",
            Self::Transport => "transport",
            Self::MeetsCriteriaAgain => "meets_criteria_again",
            Self::Homeless => "homeless",
            Self::FamilyDisagree => "family_disagree",
            Self::NoPlan => "no_plan",
            Self::P1Capacity => "p1_capacity",
            Self::P2Bed => "p2_bed",
            Self::P3Bed => "p3_bed",
            Self::InfectionControl => "infection_control",
            Self::Repatriation => "repatriation",
            Self::Safeguarding => "safeguarding",
        }
    }

    /// The column header of the published table 5 (trailing spaces trimmed).
    pub fn label(self) -> &'static str {
        match self {
            Self::MedicalDecision => "Awaiting a medical decision/intervention including writing the discharge summary",
            Self::EquipmentHousing => "Awaiting community equipment and adaptations to housing",
            Self::HubConfirmation => "Awaiting confirmation from community hub/single point of access that referral received and actioned",
            Self::DiagnosticTest => "Awaiting Diagnostic test",
            Self::Medicines => "Awaiting medicines to take home",
            Self::SpaReferral => "Awaiting referral to community single point of access",
            Self::TherapyDecision => "Awaiting therapy decision to discharge",
            Self::Transport => "Awaiting transport",
            Self::MeetsCriteriaAgain => "Declared as not meeting the criteria to reside at morning board round and then later in day meets the criteria to reside so discharge stopped",
            Self::Homeless => "Homeless/no right of recourse to public funds/no place to discharge to",
            Self::FamilyDisagree => "Individual/family not in agreement with discharge plans",
            Self::NoPlan => "No Plan",
            Self::P1Capacity => "Pathway 1: awaiting availability of resource for assessment and start of care at home",
            Self::P2Bed => "Pathway 2: awaiting availability of rehabilitation bed in community hospital or other bedded setting",
            Self::P3Bed => "Pathway 3: awaiting availability of a bed in a residential or nursing home that is likely to be a permanent placement",
            Self::InfectionControl => "Remains in hospital to avoid spread of (non-Covid 19) infectious disease and because there is no other suitable location to discharge to",
            Self::Repatriation => "Repatriation/Transfer to another acute trust for specialist treatment or ongoing treatment",
            Self::Safeguarding => "Safeguarding concern preventing discharge or Court of protection",
        }
    }

    /// The column header of the published table 5, byte for byte (its trailing spaces included).
    pub fn published_header(self) -> &'static str {
        match self {
            Self::Medicines => "Awaiting medicines to take home ",
            Self::MeetsCriteriaAgain => "Declared as not meeting the criteria to reside at morning board round and then later in day meets the criteria to reside so discharge stopped ",
            other => other.label(),
        }
    }

    /// Accepts the code (`p1_capacity`) or the published label, in any case.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        find_by_code_or_label(&Self::ALL, input, Self::code, Self::label).ok_or_else(|| {
            CodeError::new(
                "an acute sitrep reason",
                input,
                "one of the 18 codes of the acute discharge sitrep, e.g. p1_capacity, no_plan, transport",
            )
        })
    }
}

impl fmt::Display for AcuteReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Length of stay on day `day` of a patient admitted on `admitted` (docs/discharge.md): the midnights
/// spent in hospital, `day - admitted` (0 on the admission day). `None` before admission.
pub fn length_of_stay(admitted: NaiveDate, day: NaiveDate) -> Option<u32> {
    u32::try_from((day - admitted).num_days()).ok()
}

/// Whether a stay is an inpatient on `day`: admitted on or before it and still in at its midnight
/// (a patient discharged on `day` is not: they do not spend that midnight in the bed).
pub fn is_inpatient(admitted: NaiveDate, discharged: Option<NaiveDate>, day: NaiveDate) -> bool {
    admitted <= day && discharged.is_none_or(|d| d > day)
}

/// The nested length-of-stay bands: 7+ (stranded) ⊇ 14+ (long stay) ⊇ 21+ (super-stranded), the
/// names NHS England gives them for all inpatients (never for delayed patients only).
pub const LOS_BANDS: [u32; 3] = [7, 14, 21];

/// Which of [`LOS_BANDS`] a length of stay falls in (nested: 15 days is in 7+ and 14+).
pub fn los_bands(los: u32) -> [bool; 3] {
    LOS_BANDS.map(|b| los >= b)
}

/// The Discharge Ready Date bands of the acute sitrep: days from ready date to discharge.
pub const DRD_BANDS: [(&str, u32, Option<u32>); 7] = [
    ("0", 0, Some(0)),
    ("1", 1, Some(1)),
    ("2-3", 2, Some(3)),
    ("4-6", 4, Some(6)),
    ("7-13", 7, Some(13)),
    ("14-20", 14, Some(20)),
    ("21+", 21, None),
];

/// The index in [`DRD_BANDS`] of a delay of `days`.
pub fn drd_band(days: u32) -> usize {
    DRD_BANDS
        .iter()
        .position(|(_, lo, hi)| days >= *lo && hi.is_none_or(|h| days <= h))
        .unwrap_or(DRD_BANDS.len() - 1)
}

/// Whether a higher figure is better (pathway 1 share) or a lower one (long-stay share).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Better {
    Higher,
    Lower,
}

/// A discharge or length-of-stay measure a target (per authority and month) is set on: a share in
/// percent, or the average delay from the Discharge Ready Date in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ShareMeasure {
    /// Share of discharges on pathway 1 (target 45%).
    Pathway1,
    /// Share discharged within 24 hours of the ready date: 0 or 1 delayed days (target 75%).
    Within24h,
    /// Share discharged to their usual place of residence (target 93.1%).
    UsualResidence,
    /// Share of inpatients with length of stay 14+ days (target 10%).
    Los14,
    /// Share of inpatients with length of stay 21+ days (target 4.6%).
    Los21,
    /// Average delay from the Discharge Ready Date to discharge over all discharges, in days (the
    /// Better Care Fund 2025/26 "average length of discharge delay").
    AverageDelay,
}

impl ShareMeasure {
    pub const ALL: [ShareMeasure; 6] = [
        Self::Pathway1,
        Self::Within24h,
        Self::UsualResidence,
        Self::Los14,
        Self::Los21,
        Self::AverageDelay,
    ];

    /// Whether the target is in days (the average delay) rather than a percentage.
    pub fn in_days(self) -> bool {
        self == Self::AverageDelay
    }

    /// A target's value with its unit: `45%`, `2.5 days`.
    pub fn show_target(self, value: f64) -> String {
        if self.in_days() {
            format!("{value} days")
        } else {
            format!("{value}%")
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Pathway1 => "pathway1_share",
            Self::Within24h => "within_24h_share",
            Self::UsualResidence => "usual_residence_share",
            Self::Los14 => "los14_share",
            Self::Los21 => "los21_share",
            Self::AverageDelay => "average_delay_days",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pathway1 => "Discharges on pathway 1",
            Self::Within24h => "Discharged within 24h of ready",
            Self::UsualResidence => "Discharged to usual residence",
            Self::Los14 => "Inpatients 14+ days",
            Self::Los21 => "Inpatients 21+ days",
            Self::AverageDelay => "Average delay from DRD (days)",
        }
    }

    pub fn better(self) -> Better {
        match self {
            Self::Pathway1 | Self::Within24h | Self::UsualResidence => Better::Higher,
            Self::Los14 | Self::Los21 | Self::AverageDelay => Better::Lower,
        }
    }

    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|m| m.key() == s).ok_or_else(|| {
            CodeError::new(
                "a discharge measure",
                input,
                "pathway1_share, within_24h_share, usual_residence_share, los14_share, los21_share \
                 or average_delay_days",
            )
        })
    }
}

impl fmt::Display for ShareMeasure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One delay of a stay, as the discharge measures need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StayDelay {
    pub ready_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_kind: Option<super::EndKind>,
    /// The delay's periods: start, end (exclusive, `None` while open), acute sitrep reason.
    pub periods: Vec<(NaiveDate, Option<NaiveDate>, Option<AcuteReason>)>,
}

impl StayDelay {
    /// Whether the delay ended with the patient leaving the bed (discharged, transferred or died).
    pub fn left_bed(&self) -> Option<NaiveDate> {
        match self.end_kind {
            Some(super::EndKind::UnfitAgain) | None => None,
            Some(_) => self.ended_on,
        }
    }

    /// Whether the patient did not meet the criteria to reside at the end of `day` (ready on or
    /// before it, and the delay not over by its end).
    pub fn open_at_end_of(&self, day: NaiveDate) -> bool {
        self.ready_on <= day && self.ended_on.is_none_or(|e| e > day)
    }

    /// The acute sitrep reason in force on `day`.
    pub fn acute_reason_on(&self, day: NaiveDate) -> Option<AcuteReason> {
        self.periods
            .iter()
            .find(|(s, e, _)| *s <= day && e.is_none_or(|e| e > day))
            .and_then(|p| p.2)
    }
}

/// A hospital stay with its delays: the input of the discharge and length-of-stay measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StayFacts {
    pub stay_id: i64,
    pub local_id: String,
    pub site_code: String,
    pub la_code: LaCode,
    pub admitted_on: NaiveDate,
    pub discharged_on: Option<NaiveDate>,
    pub pathway: Option<Pathway>,
    pub destination: Option<Destination>,
    pub usual_residence: Option<bool>,
    pub delays: Vec<StayDelay>,
}

impl StayFacts {
    /// The day the patient left the bed: the recorded discharge, else the end of a delay that ended
    /// in discharge or transfer.
    pub fn left_on(&self) -> Option<NaiveDate> {
        self.discharged_on
            .or_else(|| self.delays.iter().filter_map(StayDelay::left_bed).max())
    }

    /// The day of the discharge: the day the patient left the bed, unless the delay that ended
    /// with it ended in a way that is not a discharge (a death, docs/discharge.md).
    pub fn discharged_day(&self) -> Option<NaiveDate> {
        let left = self.left_on()?;
        let kind = self.discharge_delay().and_then(|d| d.end_kind);
        kind.is_none_or(super::EndKind::is_discharge)
            .then_some(left)
    }

    /// The pathway recorded, else the one its destination belongs to.
    pub fn pathway(&self) -> Option<Pathway> {
        self.pathway.or(self.destination.map(Destination::pathway))
    }

    pub fn is_inpatient(&self, day: NaiveDate) -> bool {
        is_inpatient(self.admitted_on, self.left_on(), day)
    }

    /// The delay that ended with this discharge (its ready date is the Discharge Ready Date).
    pub fn discharge_delay(&self) -> Option<&StayDelay> {
        let left = self.left_on()?;
        self.delays.iter().find(|d| d.left_bed() == Some(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn twelve_destinations_and_eighteen_reasons_round_trip() {
        for x in Destination::ALL {
            assert_eq!(Destination::parse(x.code()).unwrap(), x);
            assert_eq!(Destination::parse(x.label()).unwrap(), x);
            assert_eq!(Destination::parse(&x.label().to_uppercase()).unwrap(), x);
        }
        for x in AcuteReason::ALL {
            assert_eq!(AcuteReason::parse(x.code()).unwrap(), x);
            assert_eq!(AcuteReason::parse(x.label()).unwrap(), x);
        }
        // The published header has a line break and a trailing space.
        assert_eq!(
            Destination::parse("P2 - Care Home \n(short term 24hr support)").unwrap(),
            Destination::P2CareHome
        );
        assert_eq!(
            AcuteReason::parse("Awaiting medicines to take home ").unwrap(),
            AcuteReason::Medicines
        );
        assert!(Destination::parse("home").is_err());
        // Home and back to one's own care home are the usual residence; a new placement is not;
        // "other" does not say.
        assert_eq!(Destination::P1Home.usual_residence(), Some(true));
        assert_eq!(Destination::P3bCareHome.usual_residence(), Some(true));
        assert_eq!(Destination::P3CareHome.usual_residence(), Some(false));
        assert_eq!(Destination::P0Other.usual_residence(), None);
        assert!(Destination::parse("").is_err());
        assert!(AcuteReason::parse("B").is_err());
        let e = Destination::parse("mars").unwrap_err().to_string();
        assert!(e.contains("not a discharge destination"), "{e}");
    }

    #[test]
    fn destinations_belong_to_their_pathway() {
        let per: Vec<usize> = Pathway::ALL
            .iter()
            .map(|p| {
                Destination::ALL
                    .iter()
                    .filter(|x| x.pathway() == *p)
                    .count()
            })
            .collect();
        // As in the published table: 2 P0, 3 P1, 4 P2, 3 P3 columns.
        assert_eq!(per, vec![2, 3, 4, 3]);
        assert_eq!(Destination::P3bCareHome.pathway(), Pathway::P3);
    }

    #[test]
    fn length_of_stay_is_0_on_the_admission_day_and_bands_are_nested() {
        let a = d("2024-01-01");
        assert_eq!(length_of_stay(a, a), Some(0));
        assert_eq!(length_of_stay(a, d("2024-01-08")), Some(7));
        assert_eq!(length_of_stay(a, d("2023-12-31")), None);
        assert_eq!(los_bands(0), [false, false, false]);
        assert_eq!(los_bands(6), [false, false, false]);
        assert_eq!(los_bands(7), [true, false, false]);
        assert_eq!(los_bands(14), [true, true, false]);
        assert_eq!(los_bands(21), [true, true, true]);
        // Nested: whoever is in a longer band is in every shorter one.
        for los in 0..60 {
            let b = los_bands(los);
            assert!(b[0] >= b[1] && b[1] >= b[2], "{los}");
        }
    }

    #[test]
    fn a_patient_discharged_today_is_not_an_inpatient_today() {
        let a = d("2024-01-01");
        let t = d("2024-01-10");
        assert!(!is_inpatient(a, Some(t), t));
        assert!(is_inpatient(a, Some(d("2024-01-11")), t));
        assert!(is_inpatient(a, None, t));
        assert!(is_inpatient(t, None, t), "admitted today and still in");
        assert!(!is_inpatient(t, Some(t), t), "day case");
        assert!(!is_inpatient(d("2024-01-11"), None, t));
    }

    #[test]
    fn drd_bands() {
        let got: Vec<&str> = [0, 1, 2, 3, 4, 6, 7, 13, 14, 20, 21, 400]
            .iter()
            .map(|&x| DRD_BANDS[drd_band(x)].0)
            .collect();
        assert_eq!(
            got,
            vec![
                "0", "1", "2-3", "2-3", "4-6", "4-6", "7-13", "7-13", "14-20", "14-20", "21+",
                "21+"
            ]
        );
    }

    #[test]
    fn share_measures_parse() {
        for m in ShareMeasure::ALL {
            assert_eq!(ShareMeasure::parse(m.key()).unwrap(), m);
        }
        assert!(ShareMeasure::parse("total").is_err());
        assert_eq!(ShareMeasure::Los21.better(), Better::Lower);
        assert_eq!(ShareMeasure::Pathway1.better(), Better::Higher);
    }
}
