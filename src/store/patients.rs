//! The one patient look-up rule, for the add form and the importers alike: a patient is found by
//! local id; an NHS number given for a patient stored without one is recorded, and one that
//! differs from the stored one is refused (never shown).

use super::audit_event::{AuditEvent, PatientEvent};
use super::import::err as input_err;
use super::Writer;
use crate::domain::NhsNumber;
use crate::error::{Error, Result};
use rusqlite::{params, OptionalExtension};

/// Where a patient's details come from: the form adding a delay, or a row of an import file.
#[derive(Debug, Clone, Copy)]
pub(super) enum Source<'a> {
    Form,
    Import { file: &'a str, line: u64 },
}

impl Writer<'_> {
    /// The patient of `local_id` and whether it was added now (see the module's rule).
    pub(super) fn patient_for(
        &self,
        local_id: &str,
        nhs_number: Option<&NhsNumber>,
        source: Source<'_>,
    ) -> Result<(i64, bool)> {
        let patient: Option<(i64, Option<String>)> = self
            .tx
            .prepare_cached("SELECT id, nhs_number FROM patient WHERE local_id = ?1")?
            .query_row(params![local_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((id, stored)) = patient else {
            // A new patient's local id: the last line of defence (no NHS number, no control
            // character).
            super::check_stored(
                "local hospital number",
                Some(local_id),
                crate::domain::text::TextKind::Code,
            )?;
            self.tx
                .prepare_cached("INSERT INTO patient (local_id, nhs_number) VALUES (?1, ?2)")?
                .execute(params![local_id, nhs_number.map(|n| n.as_str())])?;
            let id = self.tx.last_insert_rowid();
            if let Source::Form = source {
                self.audit(
                    &AuditEvent::Patient(PatientEvent::Add),
                    &id.to_string(),
                    None,
                    Some(local_id),
                )?;
            }
            return Ok((id, true));
        };
        match (&stored, nhs_number) {
            (Some(s), Some(n)) if s != n.as_str() => {
                let rule = format!("local id {local_id} is recorded with a different NHS number");
                return Err(match source {
                    Source::Form => Error::invalid(rule),
                    Source::Import { file, line } => {
                        input_err(file, line, "nhs_number", "(hidden)", rule)
                    }
                });
            }
            (None, Some(n)) => {
                self.tx.execute(
                    "UPDATE patient SET nhs_number = ?1 WHERE id = ?2",
                    params![n.as_str(), id],
                )?;
                let event = match source {
                    Source::Form => PatientEvent::EditNhsNumber,
                    Source::Import { .. } => PatientEvent::ImportNhsNumber,
                };
                self.audit(
                    &AuditEvent::Patient(event),
                    &id.to_string(),
                    None,
                    Some(&n.masked()),
                )?;
            }
            _ => {}
        }
        Ok((id, false))
    }
}
