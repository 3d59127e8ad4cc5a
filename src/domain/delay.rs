//! A delay's dates, validated once: the delays reader, the add form, the store's add and end all
//! go through [`DelayDates::new`] (or [`DelayDates::problems`], its rules on the dates a reader
//! could parse). The errors are typed and name the date they are about; each caller words them
//! for its own place (a CSV column, a form's message).

use chrono::NaiveDate;

/// Which date of a delay a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DelayDate {
    Admitted,
    Ready,
    End,
    Discharged,
}

/// Why a delay's dates were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DelayError {
    #[error("{} {date} is in the future (today is {today})", future_subject(*.field))]
    InFuture {
        field: DelayDate,
        date: NaiveDate,
        today: NaiveDate,
    },
    #[error("the ready date {ready} is before admission on {admitted}")]
    ReadyBeforeAdmission {
        ready: NaiveDate,
        admitted: NaiveDate,
    },
    #[error("the end date {end} is before the ready date {ready}")]
    EndBeforeReady { end: NaiveDate, ready: NaiveDate },
    #[error("the discharge on {discharged} is before the ready date {ready}")]
    DischargedBeforeReady {
        discharged: NaiveDate,
        ready: NaiveDate,
    },
    #[error("the end date {end} is after discharge on {discharged}")]
    EndAfterDischarge {
        end: NaiveDate,
        discharged: NaiveDate,
    },
}

fn future_subject(field: DelayDate) -> &'static str {
    match field {
        DelayDate::Admitted => "admission on",
        DelayDate::Ready => "the ready date",
        DelayDate::End => "the end date",
        DelayDate::Discharged => "the discharge date",
    }
}

impl DelayError {
    /// The date the error is about (the later of a pair).
    pub fn field(&self) -> DelayDate {
        match self {
            Self::InFuture { field, .. } => *field,
            Self::ReadyBeforeAdmission { .. } => DelayDate::Ready,
            Self::EndBeforeReady { .. } | Self::EndAfterDischarge { .. } => DelayDate::End,
            Self::DischargedBeforeReady { .. } => DelayDate::Discharged,
        }
    }
}

/// A delay's dates: admitted, ready (the first day delayed), its end and the stay's discharge
/// when known. Built only by [`DelayDates::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelayDates {
    admitted_on: NaiveDate,
    ready_on: NaiveDate,
    end: Option<NaiveDate>,
    discharged_on: Option<NaiveDate>,
}

impl DelayDates {
    /// The dates, if none is after `today`, the delay starts on or after admission, ends on or
    /// after it starts, the discharge is on or after the ready date and the delay ends by then.
    pub fn new(
        admitted_on: NaiveDate,
        ready_on: NaiveDate,
        end: Option<NaiveDate>,
        discharged_on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Self, Vec<DelayError>> {
        let problems = Self::problems(Some(admitted_on), Some(ready_on), end, discharged_on, today);
        if problems.is_empty() {
            Ok(Self {
                admitted_on,
                ready_on,
                end,
                discharged_on,
            })
        } else {
            Err(problems)
        }
    }

    /// Every problem of the dates known (`None`: not given, or not readable): first each date
    /// after `today`, in the order admitted, ready, end, discharged; then the pairs out of order,
    /// among the dates not in the future.
    pub fn problems(
        admitted: Option<NaiveDate>,
        ready: Option<NaiveDate>,
        end: Option<NaiveDate>,
        discharged: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Vec<DelayError> {
        let mut out = Vec::new();
        let mut past = |field: DelayDate, d: Option<NaiveDate>| match d {
            Some(date) if date > today => {
                out.push(DelayError::InFuture { field, date, today });
                None
            }
            other => other,
        };
        let admitted = past(DelayDate::Admitted, admitted);
        let ready = past(DelayDate::Ready, ready);
        let end = past(DelayDate::End, end);
        let discharged = past(DelayDate::Discharged, discharged);
        if let (Some(admitted), Some(ready)) = (admitted, ready) {
            if ready < admitted {
                out.push(DelayError::ReadyBeforeAdmission { ready, admitted });
            }
        }
        if let (Some(ready), Some(end)) = (ready, end) {
            if end < ready {
                out.push(DelayError::EndBeforeReady { end, ready });
            }
        }
        if let (Some(ready), Some(discharged)) = (ready, discharged) {
            if discharged < ready {
                out.push(DelayError::DischargedBeforeReady { discharged, ready });
            }
        }
        if let (Some(discharged), Some(end)) = (discharged, end) {
            if end > discharged {
                out.push(DelayError::EndAfterDischarge { end, discharged });
            }
        }
        out
    }

    pub fn admitted_on(&self) -> NaiveDate {
        self.admitted_on
    }

    pub fn ready_on(&self) -> NaiveDate {
        self.ready_on
    }

    pub fn end(&self) -> Option<NaiveDate> {
        self.end
    }

    pub fn discharged_on(&self) -> Option<NaiveDate> {
        self.discharged_on
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_are_checked_when_built() {
        let today = d("2018-07-31");
        let ok = DelayDates::new(d("2018-07-01"), d("2018-07-03"), None, None, today).unwrap();
        assert_eq!(ok.ready_on(), d("2018-07-03"));
        let err = |a, r, e: Option<&str>, x: Option<&str>| {
            DelayDates::new(d(a), d(r), e.map(d), x.map(d), today)
                .unwrap_err()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            err("2018-08-01", "2018-08-02", None, None),
            [
                "admission on 2018-08-01 is in the future (today is 2018-07-31)",
                "the ready date 2018-08-02 is in the future (today is 2018-07-31)"
            ]
        );
        assert_eq!(
            err("2018-07-05", "2018-07-03", None, None),
            ["the ready date 2018-07-03 is before admission on 2018-07-05"]
        );
        assert_eq!(
            err(
                "2018-07-01",
                "2018-07-03",
                Some("2018-07-10"),
                Some("2018-07-02")
            ),
            [
                "the discharge on 2018-07-02 is before the ready date 2018-07-03",
                "the end date 2018-07-10 is after discharge on 2018-07-02"
            ]
        );
        let e = &DelayDates::new(
            d("2018-07-01"),
            d("2018-07-03"),
            Some(d("2018-07-02")),
            None,
            today,
        )
        .unwrap_err()[0];
        assert_eq!(e.field(), DelayDate::End);
        assert_eq!(
            e.to_string(),
            "the end date 2018-07-02 is before the ready date 2018-07-03"
        );
    }
}
