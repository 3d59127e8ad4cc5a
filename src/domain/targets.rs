//! Targets, validated once: whoever builds one (the settings form, an import, the store reading it
//! back) goes through [`Target::new`] or [`DischargeTarget::new`].

use super::{LaCode, Measure, ShareMeasure, TargetUnit, YearMonth};
use serde::Serialize;

/// Why a target was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TargetError {
    #[error("a target is a number of 0 or more")]
    NotANumberOfZeroOrMore,
    #[error("a target over {max} {unit} is not plausible")]
    TooLarge { unit: &'static str, max: f64 },
    #[error("a target of {0}% is not a percentage from 0 to 100")]
    NotAPercentage(f64),
}

/// A target on delayed days for one authority, month and measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub la_code: LaCode,
    pub month: YearMonth,
    pub measure: Measure,
    pub unit: TargetUnit,
    pub value: f64,
}

impl Target {
    /// A target, if `value` is a finite number of 0 or more.
    pub fn new(
        la_code: LaCode,
        month: YearMonth,
        measure: Measure,
        unit: TargetUnit,
        value: f64,
    ) -> Result<Self, TargetError> {
        if !(value.is_finite() && value >= 0.0) {
            return Err(TargetError::NotANumberOfZeroOrMore);
        }
        let max = max_target(unit);
        if value > max {
            return Err(TargetError::TooLarge {
                unit: unit.key(),
                max,
            });
        }
        Ok(Self {
            la_code,
            month,
            measure,
            unit,
            value,
        })
    }
}

/// The largest plausible target in `unit`: 10,000 delayed days per 100,000 adults a day (a tenth
/// of everyone), its month of 31 days, and for the counts the most adults any authority has
/// (about 1.5 million) delayed every day. The population bound of one authority is checked where
/// the population is known (the store, on import and save).
pub fn max_target(unit: TargetUnit) -> f64 {
    const MAX_ADULTS: f64 = 1_500_000.0;
    match unit {
        TargetUnit::Per100kDay => 10_000.0,
        TargetUnit::Per100kMonth => 310_000.0,
        TargetUnit::DaysPerDay => MAX_ADULTS,
        TargetUnit::Days => MAX_ADULTS * 31.0,
    }
}

/// A target on a discharge or length-of-stay share, in percent (`percent`; for
/// [`ShareMeasure::AverageDelay`] the average delay in days, 0 to 100).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DischargeTarget {
    pub la_code: LaCode,
    pub month: YearMonth,
    pub measure: ShareMeasure,
    pub percent: f64,
}

impl DischargeTarget {
    /// A target, if `percent` is from 0 to 100.
    pub fn new(
        la_code: LaCode,
        month: YearMonth,
        measure: ShareMeasure,
        percent: f64,
    ) -> Result<Self, TargetError> {
        if measure.in_days() {
            // The average delay from the ready date, in days: 0 to 100 (a plan's target is a few).
            if !(percent.is_finite() && percent >= 0.0) {
                return Err(TargetError::NotANumberOfZeroOrMore);
            }
            if percent > 100.0 {
                return Err(TargetError::TooLarge {
                    unit: "days",
                    max: 100.0,
                });
            }
        } else if !(0.0..=100.0).contains(&percent) {
            return Err(TargetError::NotAPercentage(percent));
        }
        Ok(Self {
            la_code,
            month,
            measure,
            percent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_checked_when_built() {
        let la = LaCode::parse("E06000017").unwrap();
        let m = YearMonth::new(2018, 7).unwrap();
        let t = Target::new(la.clone(), m, Measure::Total, TargetUnit::Per100kDay, 7.5).unwrap();
        assert_eq!(t.value, 7.5);
        assert_eq!(
            Target::new(la.clone(), m, Measure::Total, TargetUnit::Per100kDay, -1.0)
                .unwrap_err()
                .to_string(),
            "a target is a number of 0 or more"
        );
        assert!(Target::new(la.clone(), m, Measure::Total, TargetUnit::Days, f64::NAN).is_err());
        assert_eq!(
            Target::new(la.clone(), m, Measure::Total, TargetUnit::Per100kDay, 1e308)
                .unwrap_err()
                .to_string(),
            "a target over 10000 per_100k_day is not plausible"
        );
        assert!(Target::new(
            la.clone(),
            m,
            Measure::Total,
            TargetUnit::Per100kDay,
            10_000.0
        )
        .is_ok());
        assert_eq!(
            DischargeTarget::new(la.clone(), m, ShareMeasure::Los21, 101.0)
                .unwrap_err()
                .to_string(),
            "a target of 101% is not a percentage from 0 to 100"
        );
        assert_eq!(
            DischargeTarget::new(la, m, ShareMeasure::Los21, 40.0)
                .unwrap()
                .percent,
            40.0
        );
    }
}
