//! A known patient for the add form (issue 26): found by local id or by NHS number, with the stay
//! the patient is in now (or, with none open, the latest one), so that the form can fill what the
//! register already knows.

use super::{parse_stored_date, Store};
use crate::domain::NhsNumber;
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

/// A patient stay as the add form fills it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownStay {
    pub admitted_on: NaiveDate,
    pub site_code: String,
    pub la_code: String,
    pub ward: Option<String>,
    pub bed: Option<String>,
    pub expected_on: Option<NaiveDate>,
    /// `None` while the patient is still in (the current stay).
    pub discharged_on: Option<NaiveDate>,
}

/// What the register knows of a patient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPatient {
    pub local_id: String,
    pub nhs_number: Option<NhsNumber>,
    /// The open stay, else the latest one; `None` for a patient with no stay.
    pub stay: Option<KnownStay>,
    /// The ready date of the patient's open delay, if one is open (a second is refused).
    pub open_delay: Option<NaiveDate>,
}

impl KnownPatient {
    /// The stay the patient is in now.
    pub fn current_stay(&self) -> Option<&KnownStay> {
        self.stay.as_ref().filter(|s| s.discharged_on.is_none())
    }
}

/// How the form names the patient.
#[derive(Debug, Clone, Copy)]
pub enum PatientKey<'a> {
    LocalId(&'a str),
    Nhs(&'a NhsNumber),
}

impl Store {
    /// The patient named by `key`, with the stay they are in now (else their latest). Among the
    /// local ids of one NHS number, the one with an open stay (else the latest admitted) is taken.
    pub fn known_patient(&self, key: PatientKey<'_>) -> Result<Option<KnownPatient>> {
        let (filter, value) = match key {
            PatientKey::LocalId(id) => ("p.local_id = ?1", id.trim().to_string()),
            PatientKey::Nhs(n) => ("p.nhs_number = ?1", n.as_str().to_string()),
        };
        // The patient's (or NHS number's) stays: the open one first, then the latest admitted.
        let sql = format!(
            "SELECT p.id, p.local_id, p.nhs_number, s.admitted_on, s.site_code, s.la_code, s.ward,
                    s.bed, s.expected_on, s.discharged_on
             FROM patient p LEFT JOIN stay s ON s.patient_id = p.id
             WHERE {filter}
             ORDER BY s.id IS NULL, s.discharged_on IS NOT NULL, s.admitted_on DESC, p.id
             LIMIT 1"
        );
        type Row = (
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let row: Option<Row> = self
            .conn
            .query_row(&sql, params![value], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            })
            .optional()?;
        let Some((id, local_id, nhs, admitted, site, la, ward, bed, expected, discharged)) = row
        else {
            return Ok(None);
        };
        let date = |s: Option<String>| s.map(|s| parse_stored_date(&s)).transpose();
        let stay = match (date(admitted)?, site, la) {
            (Some(admitted_on), Some(site_code), Some(la_code)) => Some(KnownStay {
                admitted_on,
                site_code,
                la_code,
                ward,
                bed,
                expected_on: date(expected)?,
                discharged_on: date(discharged)?,
            }),
            _ => None,
        };
        let open_delay: Option<String> = self
            .conn
            .query_row(
                "SELECT d.ready_on FROM delay d JOIN stay s ON s.id = d.stay_id
                 WHERE s.patient_id = ?1 AND d.ended_on IS NULL ORDER BY d.ready_on DESC LIMIT 1",
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(Some(KnownPatient {
            local_id,
            nhs_number: nhs.and_then(|n| NhsNumber::parse(&n).ok()),
            stay,
            open_delay: date(open_delay)?,
        }))
    }
}
