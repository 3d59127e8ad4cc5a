//! Corrections of a stay's identity: its local id, NHS number, admission date and site (issue 14).
//!
//! Each correction is one write through [`Store::write`], so the register's rules (one bed at a
//! time), the month counts and the freeze guard hold for it as for any other write: a correction
//! that would put the patient in two beds is refused naming the other stay, and one that changes a
//! signed-off week's figures (the site, or the local id its days are signed under) needs the week
//! reopened. Each changed field is audited with its old and new value (NHS numbers masked).
//!
//! A local id belongs to a patient, not a stay: correcting it moves the stay to the patient of the
//! new local id (who must not be recorded with another NHS number), to a new patient when that
//! local id is new and the old patient has other stays, or renames the patient when this is their
//! only stay.

use super::audit_event::{AuditEvent, CorrectedField, StayEvent};
use super::{date_str, parse_stored_date, Store, Writer};
use crate::domain::{LocalId, NhsNumber};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

/// Which fields of a stay to correct; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StayCorrection {
    pub stay_id: i64,
    pub local_id: Option<String>,
    /// `Some(None)` removes the NHS number.
    pub nhs_number: Option<Option<NhsNumber>>,
    pub admitted_on: Option<NaiveDate>,
    pub site_code: Option<String>,
}

/// A stay as a correction starts from.
struct Current {
    patient_id: i64,
    local_id: String,
    nhs_number: Option<String>,
    admitted_on: NaiveDate,
    site_code: String,
    first_ready: Option<NaiveDate>,
}

fn masked(n: Option<&str>) -> String {
    n.and_then(|n| NhsNumber::parse(n).ok())
        .map_or_else(|| "none".to_string(), |n| n.masked())
}

impl Store {
    /// Corrects a stay's local id, NHS number, admission date or site (see the module). Returns
    /// how many fields changed: 0 when the correction changes nothing (nothing is written).
    pub fn correct_stay(&mut self, c: &StayCorrection, today: NaiveDate) -> Result<usize> {
        if let Some(l) = &c.local_id {
            LocalId::parse(l).map_err(|e| Error::invalid(format!("local id: {e}")))?;
        }
        if c.admitted_on.is_some_and(|a| a > today) {
            return Err(Error::invalid(format!(
                "admitted: {} is in the future (today is {today})",
                c.admitted_on.unwrap_or(today)
            )));
        }
        self.write(|w| w.correct_stay(c))
    }
}

impl Writer<'_> {
    /// The stay of `local_id` admitted on `admitted`, if recorded.
    fn stay_by_key(&self, local_id: &str, admitted: NaiveDate) -> Result<Option<i64>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT s.id FROM stay s JOIN patient p ON p.id = s.patient_id
                 WHERE p.local_id = ?1 AND s.admitted_on = ?2",
            )?
            .query_row(params![local_id, date_str(admitted)], |r| r.get(0))
            .optional()?)
    }

    /// A correction named by a delays file's row (`was_local_id`, `was_admitted_on`): the stay
    /// recorded under that key takes the row's local id, NHS number (when given), admission and
    /// site. The same file again finds the stay already corrected and changes nothing.
    pub(crate) fn correct_from_file(
        &self,
        file: &str,
        r: &crate::import::DelayRecord,
        (was_local, was_admitted): (&str, NaiveDate),
    ) -> Result<usize> {
        let refuse =
            |rule: String| super::import::err(file, r.line, "was_local_id", was_local, rule);
        let Some(stay_id) = self.stay_by_key(was_local, was_admitted)? else {
            if self.stay_by_key(&r.local_id, r.admitted_on)?.is_some() {
                return Ok(0);
            }
            return Err(refuse(format!(
                "no stay of {was_local} admitted {was_admitted} is recorded to correct"
            )));
        };
        let c = StayCorrection {
            stay_id,
            local_id: Some(r.local_id.clone()),
            nhs_number: r.nhs_number.clone().map(Some),
            admitted_on: Some(r.admitted_on),
            site_code: Some(r.site.clone()),
        };
        self.correct_stay(&c).map_err(|e| match e {
            e @ (Error::Invalid(_) | Error::Duplicate(_)) => refuse(e.to_string()),
            e => e,
        })
    }

    fn current_stay(&self, stay_id: i64) -> Result<Current> {
        self.tx
            .query_row(
                "SELECT s.patient_id, p.local_id, p.nhs_number, s.admitted_on, s.site_code,
                        (SELECT min(ready_on) FROM delay d WHERE d.stay_id = s.id)
                 FROM stay s JOIN patient p ON p.id = s.patient_id WHERE s.id = ?1",
                params![stay_id],
                |r| {
                    Ok(Current {
                        patient_id: r.get(0)?,
                        local_id: r.get(1)?,
                        nhs_number: r.get(2)?,
                        admitted_on: parse_stored_date(&r.get::<_, String>(3)?)?,
                        site_code: r.get(4)?,
                        first_ready: r
                            .get::<_, Option<String>>(5)?
                            .map(|d| parse_stored_date(&d))
                            .transpose()?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("stay {stay_id}")))
    }

    pub(crate) fn correct_stay(&self, c: &StayCorrection) -> Result<usize> {
        let cur = self.current_stay(c.stay_id)?;
        let id = c.stay_id.to_string();
        let mut changed = 0;
        if let Some(site) = c.site_code.as_deref().filter(|s| *s != cur.site_code) {
            self.require_site(site)?;
            self.tx.execute(
                "UPDATE stay SET site_code = ?1, version = version + 1 WHERE id = ?2",
                params![site, c.stay_id],
            )?;
            self.audit(
                &AuditEvent::Stay(StayEvent::Correct(CorrectedField::Site)),
                &id,
                Some(&cur.site_code),
                Some(site),
            )?;
            changed += 1;
        }
        if let Some(a) = c.admitted_on.filter(|a| *a != cur.admitted_on) {
            if let Some(ready) = cur.first_ready.filter(|r| *r < a) {
                return Err(Error::invalid(format!(
                    "admitted: {a} is after the stay's first ready date {ready}"
                )));
            }
            self.tx
                .execute(
                    "UPDATE stay SET admitted_on = ?1, version = version + 1 WHERE id = ?2",
                    params![date_str(a), c.stay_id],
                )
                .map_err(|e| match e.sqlite_error_code() {
                    Some(rusqlite::ErrorCode::ConstraintViolation) => Error::Duplicate(format!(
                        "admitted: {} already has a stay admitted on {a}",
                        cur.local_id
                    )),
                    _ => e.into(),
                })?;
            self.audit(
                &AuditEvent::Stay(StayEvent::Correct(CorrectedField::Admitted)),
                &id,
                Some(&cur.admitted_on.to_string()),
                Some(&a.to_string()),
            )?;
            changed += 1;
        }
        let mut patient_id = cur.patient_id;
        if let Some(local) = c
            .local_id
            .as_deref()
            .map(str::trim)
            .filter(|l| *l != cur.local_id)
        {
            patient_id = self.move_to_local_id(&cur, c.stay_id, local)?;
            self.audit(
                &AuditEvent::Stay(StayEvent::Correct(CorrectedField::LocalId)),
                &id,
                Some(&cur.local_id),
                Some(local),
            )?;
            changed += 1;
        }
        if let Some(nhs) = &c.nhs_number {
            let stored: Option<String> = self.tx.query_row(
                "SELECT nhs_number FROM patient WHERE id = ?1",
                params![patient_id],
                |r| r.get(0),
            )?;
            let new = nhs.as_ref().map(|n| n.as_str().to_string());
            if stored != new {
                self.tx.execute(
                    "UPDATE patient SET nhs_number = ?1 WHERE id = ?2",
                    params![new, patient_id],
                )?;
                self.audit(
                    &AuditEvent::Stay(StayEvent::Correct(CorrectedField::NhsNumber)),
                    &id,
                    Some(&masked(stored.as_deref())),
                    Some(&masked(new.as_deref())),
                )?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// Gives the stay the local id `local` (see the module); returns its patient now.
    fn move_to_local_id(&self, cur: &Current, stay_id: i64, local: &str) -> Result<i64> {
        let other: Option<(i64, Option<String>)> = self
            .tx
            .query_row(
                "SELECT id, nhs_number FROM patient WHERE local_id = ?1",
                params![local],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let stays: i64 = self.tx.query_row(
            "SELECT count(*) FROM stay WHERE patient_id = ?1",
            params![cur.patient_id],
            |r| r.get(0),
        )?;
        let target = match other {
            Some((pid, nhs)) => {
                if let (Some(a), Some(b)) = (&nhs, &cur.nhs_number) {
                    if a != b {
                        return Err(Error::invalid(format!(
                            "local id: {local} is recorded with a different NHS number"
                        )));
                    }
                }
                pid
            }
            None if stays == 1 => {
                self.tx.execute(
                    "UPDATE patient SET local_id = ?1 WHERE id = ?2",
                    params![local, cur.patient_id],
                )?;
                return Ok(cur.patient_id);
            }
            None => {
                self.tx.execute(
                    "INSERT INTO patient (local_id, nhs_number) VALUES (?1, ?2)",
                    params![local, cur.nhs_number],
                )?;
                self.tx.last_insert_rowid()
            }
        };
        self.tx
            .execute(
                "UPDATE stay SET patient_id = ?1, version = version + 1 WHERE id = ?2",
                params![target, stay_id],
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => Error::Duplicate(format!(
                    "local id: {local} already has a stay admitted that day"
                )),
                _ => e.into(),
            })?;
        Ok(target)
    }
}
