//! The board round's writes and reads: where a patient lies (ward, bed, expected discharge date)
//! and who reviewed a delay when. Any action on a delay at the round marks it
//! reviewed today, in the same transaction.

use super::*;
pub use crate::domain::Placement;

impl Writer<'_> {
    /// Marks a delay reviewed today by the writing user.
    pub(crate) fn reviewed(&self, delay_id: i64, today: NaiveDate) -> Result<usize> {
        Ok(self.tx.execute(
            "UPDATE delay SET reviewed_on = ?1, reviewed_by = ?2 WHERE id = ?3",
            params![date_str(today), self.user, delay_id],
        )?)
    }

    /// A stay's stored placement.
    fn stored_placement(&self, stay_id: i64) -> Result<Placement> {
        let (ward, bed, expected): (Option<String>, Option<String>, Option<String>) =
            self.tx.query_row(
                "SELECT ward, bed, expected_on FROM stay WHERE id = ?1",
                params![stay_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
        Ok(Placement {
            ward,
            bed,
            expected_on: opt_date(expected)?,
        })
    }

    /// Sets a stay's placement, auditing each field that changes.
    pub(crate) fn set_placement(&self, stay_id: i64, p: &Placement) -> Result<()> {
        let old = self.stored_placement(stay_id)?;
        let (ward, bed, expected) = (old.ward, old.bed, old.expected_on.map(date_str));
        let new_expected = p.expected_on.map(date_str);
        let id = stay_id.to_string();
        for (field, old, new) in [
            (StayField::Ward, ward, p.ward.clone()),
            (StayField::Bed, bed, p.bed.clone()),
            (StayField::ExpectedDischarge, expected, new_expected.clone()),
        ] {
            if old != new {
                self.audit(
                    &AuditEvent::Stay(StayEvent::Edit(field)),
                    &id,
                    old.as_deref(),
                    new.as_deref(),
                )?;
            }
        }
        self.tx.execute(
            "UPDATE stay SET ward = ?1, bed = ?2, expected_on = ?3 WHERE id = ?4",
            params![p.ward, p.bed, new_expected, stay_id],
        )?;
        Ok(())
    }
}

impl Writer<'_> {
    /// An import's placement: the fields it gives replace the stored ones, the others stay.
    /// Whether anything changed.
    pub(crate) fn merge_placement(&self, stay_id: i64, given: &Placement) -> Result<bool> {
        if *given == Placement::default() {
            return Ok(false);
        }
        let stored = self.stored_placement(stay_id)?;
        let merged = Placement {
            ward: given.ward.clone().or(stored.ward.clone()),
            bed: given.bed.clone().or(stored.bed.clone()),
            expected_on: given.expected_on.or(stored.expected_on),
        };
        if merged == stored {
            return Ok(false);
        }
        self.set_placement(stay_id, &merged)?;
        Ok(true)
    }
}

impl Store {
    /// Sets the ward, bed and expected discharge date of a delay's stay (checking the delay's
    /// version), marking the delay reviewed today.
    pub fn set_placement(
        &mut self,
        delay_id: i64,
        version: i64,
        p: &Placement,
        today: NaiveDate,
    ) -> Result<()> {
        use crate::domain::text::TextKind;
        super::super::check_stored("ward", p.ward.as_deref(), TextKind::Line)?;
        super::super::check_stored("bed", p.bed.as_deref(), TextKind::Line)?;
        self.write(|w| {
            let d = w.load_delay(delay_id, version)?;
            if let Some(e) = p.expected_on {
                if e < d.admitted_on {
                    return Err(Error::invalid(format!(
                        "the expected discharge date {e} is before admission ({})",
                        d.admitted_on
                    )));
                }
            }
            w.set_placement(d.stay_id, p)?;
            w.reviewed(delay_id, today)?;
            w.bump_delay(delay_id)
        })
    }
}
