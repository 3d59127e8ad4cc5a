//! A hospital stay's admission and discharge, validated once: the stays reader goes through
//! [`Stay::problems`] (the rules on what it could read) and a stay built whole through
//! [`Stay::new`]. The errors are typed and name what they are about; each caller words them for
//! its own place.

use super::{Destination, Pathway};
use chrono::NaiveDate;

/// Which date of a stay a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StayDate {
    Admitted,
    Discharged,
}

/// A detail of a discharge, which needs a discharge date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StayDetail {
    Pathway,
    Destination,
    UsualResidence,
}

/// Why a stay was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StayError {
    #[error("{} {date} is in the future (today is {today})", match field { StayDate::Admitted => "admission on", StayDate::Discharged => "the discharge date" })]
    InFuture {
        field: StayDate,
        date: NaiveDate,
        today: NaiveDate,
    },
    #[error("the discharge on {discharged} is before admission on {admitted}")]
    DischargedBeforeAdmission {
        discharged: NaiveDate,
        admitted: NaiveDate,
    },
    #[error("destination {} is on pathway {}, not pathway {pathway}", destination.code(), destination.pathway())]
    DestinationNotOnPathway {
        destination: Destination,
        pathway: Pathway,
    },
    #[error("a discharge {} is given without a discharge date", match detail { StayDetail::Pathway => "pathway", StayDetail::Destination => "destination", StayDetail::UsualResidence => "usual residence" })]
    DetailWithoutDischarge { detail: StayDetail },
}

/// A stay: admitted, and when discharged, where to. Built only by [`Stay::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stay {
    admitted_on: NaiveDate,
    discharged_on: Option<NaiveDate>,
    pathway: Option<Pathway>,
    destination: Option<Destination>,
    usual_residence: Option<bool>,
}

impl Stay {
    /// The stay, if no date is after `today`, the discharge is not before admission, a
    /// destination is on the pathway given, and the discharge details come with a discharge date.
    /// An empty pathway or usual residence takes the one the destination implies.
    pub fn new(
        admitted_on: NaiveDate,
        discharged_on: Option<NaiveDate>,
        pathway: Option<Pathway>,
        destination: Option<Destination>,
        usual_residence: Option<bool>,
        today: NaiveDate,
    ) -> Result<Self, Vec<StayError>> {
        let given: Vec<StayDetail> = [
            (StayDetail::Pathway, pathway.is_some()),
            (StayDetail::Destination, destination.is_some()),
            (StayDetail::UsualResidence, usual_residence.is_some()),
        ]
        .into_iter()
        .filter_map(|(d, g)| g.then_some(d))
        .collect();
        let problems = Self::problems(
            Some(admitted_on),
            Some(discharged_on),
            pathway,
            destination,
            &given,
            today,
        );
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            admitted_on,
            discharged_on,
            pathway: pathway.or(destination.map(Destination::pathway)),
            destination,
            usual_residence: usual_residence.or(destination.and_then(Destination::usual_residence)),
        })
    }

    /// Every problem of what is known: `None` for a date that could not be read (`Some(None)`:
    /// no discharge); `given`, the discharge details given (even if unreadable). First each date
    /// after `today`, then the discharge before admission, the destination off the pathway, and
    /// each detail given without a discharge date (a discharge date in the future counts as none).
    pub fn problems(
        admitted: Option<NaiveDate>,
        discharged: Option<Option<NaiveDate>>,
        pathway: Option<Pathway>,
        destination: Option<Destination>,
        given: &[StayDetail],
        today: NaiveDate,
    ) -> Vec<StayError> {
        let mut out = Vec::new();
        let mut past = |field: StayDate, d: Option<NaiveDate>| match d {
            Some(date) if date > today => {
                out.push(StayError::InFuture { field, date, today });
                None
            }
            other => other,
        };
        let admitted = past(StayDate::Admitted, admitted);
        let discharged = discharged.map(|d| past(StayDate::Discharged, d));
        if let (Some(admitted), Some(Some(discharged))) = (admitted, discharged) {
            if discharged < admitted {
                out.push(StayError::DischargedBeforeAdmission {
                    discharged,
                    admitted,
                });
            }
        }
        if let (Some(pathway), Some(destination)) = (pathway, destination) {
            if destination.pathway() != pathway {
                out.push(StayError::DestinationNotOnPathway {
                    destination,
                    pathway,
                });
            }
        }
        if discharged == Some(None) {
            out.extend(
                given
                    .iter()
                    .map(|&detail| StayError::DetailWithoutDischarge { detail }),
            );
        }
        out
    }

    pub fn admitted_on(&self) -> NaiveDate {
        self.admitted_on
    }

    pub fn discharged_on(&self) -> Option<NaiveDate> {
        self.discharged_on
    }

    /// The pathway given, else the destination's.
    pub fn pathway(&self) -> Option<Pathway> {
        self.pathway
    }

    pub fn destination(&self) -> Option<Destination> {
        self.destination
    }

    pub fn usual_residence(&self) -> Option<bool> {
        self.usual_residence
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn stays_are_checked_when_built() {
        let today = d("2018-07-31");
        let home = Destination::ALL
            .into_iter()
            .find(|x| x.pathway() == Pathway::P0)
            .unwrap();
        let s = Stay::new(
            d("2018-07-01"),
            Some(d("2018-07-09")),
            None,
            Some(home),
            None,
            today,
        )
        .unwrap();
        assert_eq!(s.pathway(), Some(Pathway::P0), "the destination's pathway");
        let err = |a, x: Option<&str>, p, dest, u| {
            Stay::new(d(a), x.map(d), p, dest, u, today)
                .unwrap_err()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            err("2018-07-05", Some("2018-07-03"), None, None, None),
            ["the discharge on 2018-07-03 is before admission on 2018-07-05"]
        );
        assert_eq!(
            err("2018-07-01", Some("2018-08-03"), None, None, None),
            ["the discharge date 2018-08-03 is in the future (today is 2018-07-31)"]
        );
        assert_eq!(
            err("2018-07-01", None, Some(Pathway::P1), None, Some(true)),
            [
                "a discharge pathway is given without a discharge date",
                "a discharge usual residence is given without a discharge date"
            ]
        );
        let e = err(
            "2018-07-01",
            Some("2018-07-09"),
            Some(Pathway::P3),
            Some(home),
            None,
        );
        assert_eq!(
            e,
            [format!(
                "destination {} is on pathway 0, not pathway 3",
                home.code()
            )]
        );
    }
}
