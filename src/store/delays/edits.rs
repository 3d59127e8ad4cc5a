//! The register's writes: add, change reason, end, delete, edit, review. Every write is one
//! transaction that also updates the audit log (the month counts follow by themselves), and checks
//! the record's version so that an edit based on stale data is refused rather than lost.

use super::*;
use crate::domain::{DelayDate, DelayDates, DelayError, LocalId};

impl Store {
    /// Adds a delay (and the patient and stay when new). Returns the new delay's id.
    pub fn add_delay(&mut self, new: &NewDelay, today: NaiveDate) -> Result<i64> {
        self.add_delay_placed(new, &Placement::default(), today)
    }

    /// Adds a delay as [`Store::add_delay`] does, and sets its stay's ward, bed and expected
    /// discharge date when any is given (in the same transaction).
    pub fn add_delay_placed(
        &mut self,
        new: &NewDelay,
        place: &Placement,
        today: NaiveDate,
    ) -> Result<i64> {
        validate_new(new, today)?;
        self.write(|w| {
            let stay_id = w.ensure_stay(new)?;
            if *place != Placement::default() {
                w.set_placement(stay_id, place)?;
            }
            w.check_no_overlap(stay_id, new.ready_on, None)?;
            w.tx.execute(
                "INSERT INTO delay (stay_id, ready_on, planned_pathway) VALUES (?1, ?2, ?3)",
                params![
                    stay_id,
                    date_str(new.ready_on),
                    new.planned_pathway.map(|p| p.number())
                ],
            )?;
            let delay_id = w.tx.last_insert_rowid();
            w.tx.execute(
                "INSERT INTO delay_period (delay_id, start_on, reason, attribution, acute_reason)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    delay_id,
                    date_str(new.ready_on),
                    new.reason.code(),
                    new.attribution.label(),
                    new.acute_reason.map(AcuteReason::code)
                ],
            )?;
            let id = delay_id.to_string();
            w.audit(
                &AuditEvent::Delay(DelayEvent::Add),
                &id,
                None,
                Some(&format!(
                    "{} admitted {} at {} ({}), ready {}, {} {}{}",
                    new.local_id,
                    new.admitted_on,
                    new.site_code,
                    new.la_code,
                    new.ready_on,
                    new.reason.code(),
                    new.attribution.label(),
                    acute_note(new.acute_reason)
                )),
            )?;
            Ok(delay_id)
        })
    }

    /// Changes the reason and attribution from `from` on; the days before keep their old values.
    pub fn change_reason(&mut self, change: &ReasonChange, today: NaiveDate) -> Result<()> {
        self.write(|w| {
            let d = w.load_delay(change.delay_id, change.version)?;
            if change.from < d.ready_on {
                return Err(Error::invalid(format!(
                    "the change date {} is before the delay's ready date {}",
                    change.from, d.ready_on
                )));
            }
            if change.from > today {
                return Err(Error::invalid(format!(
                    "the change date {} is in the future (today is {today})",
                    change.from
                )));
            }
            if let Some(end) = d.ended_on {
                if change.from >= end {
                    return Err(Error::invalid(format!(
                        "the delay ended on {end}: a change must start before then"
                    )));
                }
            }
            let periods = w.periods(change.delay_id)?;
            // No empty change: the reason, attribution and acute reason already hold from then on.
            let same = |p: &PeriodRow| {
                (p.reason, p.attribution, p.acute_reason)
                    == (change.reason, change.attribution, change.acute_reason)
            };
            if periods
                .iter()
                .filter(|p| p.end.is_none_or(|e| e > change.from))
                .all(same)
            {
                return Err(Error::NothingChanged(format!(
                    "the delay already has reason {} ({}){} from {}",
                    change.reason.code(),
                    change.attribution.label(),
                    acute_note(change.acute_reason),
                    change.from
                )));
            }
            let old = periods
                .iter()
                .rev()
                .find(|p| p.start <= change.from)
                .map(|p| {
                    format!(
                        "{} {}{}",
                        p.reason.code(),
                        p.attribution.label(),
                        acute_note(p.acute_reason)
                    )
                });
            for p in &periods {
                if p.start >= change.from {
                    w.tx.execute("DELETE FROM delay_period WHERE id = ?1", params![p.id])?;
                } else if p.end.is_none_or(|e| e > change.from) {
                    w.tx.execute(
                        "UPDATE delay_period SET end_on = ?1 WHERE id = ?2",
                        params![date_str(change.from), p.id],
                    )?;
                }
            }
            w.tx.execute(
                "INSERT INTO delay_period (delay_id, start_on, end_on, reason, attribution, acute_reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    change.delay_id,
                    date_str(change.from),
                    d.ended_on.map(date_str),
                    change.reason.code(),
                    change.attribution.label(),
                    change.acute_reason.map(AcuteReason::code)
                ],
            )?;
            w.bump_delay(change.delay_id)?;
            w.reviewed(change.delay_id, today)?;
            w.audit(
                &AuditEvent::Delay(DelayEvent::ChangeReason { from: change.from }),
                &change.delay_id.to_string(),
                old.as_deref(),
                Some(&format!(
                    "{} {}{}",
                    change.reason.code(),
                    change.attribution.label(),
                    acute_note(change.acute_reason)
                )),
            )
        })
    }

    /// Ends an open delay: discharged (with pathway and destination), transferred, or unfit again.
    pub fn end_delay(&mut self, end: &EndDelay, today: NaiveDate) -> Result<()> {
        self.write(|w| {
            let d = w.load_delay(end.delay_id, end.version)?;
            if d.ended_on.is_some() {
                return Err(Error::AlreadyEnded);
            }
            // The end against the stored ready date, by the delay's own rule.
            let problems = DelayDates::problems(None, Some(d.ready_on), Some(end.on), None, today);
            if !problems.is_empty() {
                return Err(first_problem(problems));
            }
            let pathway = end_pathway(end)?;
            let periods = w.periods(end.delay_id)?;
            let Some(last) = periods.last() else {
                return Err(Error::Stored(format!("delay {} has no periods", end.delay_id)));
            };
            if end.on < last.start {
                return Err(Error::invalid(format!(
                    "the end date {} is before the current reason started ({})",
                    end.on, last.start
                )));
            }
            if end.on == last.start && periods.len() > 1 {
                // A reason that would hold for no day: drop it.
                w.tx.execute("DELETE FROM delay_period WHERE id = ?1", params![last.id])?;
            } else {
                w.tx.execute(
                    "UPDATE delay_period SET end_on = ?1 WHERE id = ?2",
                    params![date_str(end.on), last.id],
                )?;
            }
            w.tx.execute(
                "UPDATE delay SET ended_on = ?1, end_kind = ?2, version = version + 1 WHERE id = ?3",
                params![date_str(end.on), end.kind.key(), end.delay_id],
            )?;
            // One of the 12 destinations of the acute sitrep, stored by code.
            let destination = end
                .destination
                .as_deref()
                .filter(|d| !d.trim().is_empty())
                .map(|d| {
                    crate::domain::Destination::parse(d).map(|x| x.code().to_string())
                })
                .transpose()?;
            let mut detail = format!("{} on {}", end.kind.label(), end.on);
            if end.kind == EndKind::Discharged {
                w.tx.execute(
                    "UPDATE stay SET discharged_on = ?1, pathway = ?2, destination = ?3, usual_residence = ?4,
                        version = version + 1 WHERE id = ?5",
                    params![
                        date_str(end.on),
                        pathway.map(|p| p.number()),
                        destination,
                        end.usual_residence.map(i64::from),
                        d.stay_id
                    ],
                )?;
                if let Some(p) = pathway {
                    detail.push_str(&format!(", pathway {p}"));
                }
                if let Some(dest) = &destination {
                    detail.push_str(&format!(", to {dest}"));
                }
                if let Some(u) = end.usual_residence {
                    detail.push_str(if u {
                        ", usual residence"
                    } else {
                        ", not usual residence"
                    });
                }
            }
            w.reviewed(end.delay_id, today)?;
            w.audit(
                &AuditEvent::Delay(DelayEvent::End),
                &end.delay_id.to_string(),
                None,
                Some(&detail),
            )
        })
    }

    /// Deletes a delay and its periods (the stay and patient stay).
    pub fn delete_delay(&mut self, delay_id: i64, version: i64) -> Result<()> {
        self.write(|w| {
            w.load_delay(delay_id, version)?;
            let periods = w.periods(delay_id)?;
            w.tx.execute("DELETE FROM delay WHERE id = ?1", params![delay_id])?;
            let summary: Vec<String> = periods
                .iter()
                .map(|p| {
                    format!(
                        "{}..{} {} {}",
                        p.start,
                        p.end.map_or("open".to_string(), |e| e.to_string()),
                        p.reason.code(),
                        p.attribution.label()
                    )
                })
                .collect();
            w.audit(
                &AuditEvent::Delay(DelayEvent::Delete),
                &delay_id.to_string(),
                Some(&summary.join("; ")),
                None,
            )
        })
    }

    /// Edits a delay's ready date or planned pathway, or its stay's site, authority or admission date.
    pub fn edit_delay(&mut self, edit: &EditDelay, today: NaiveDate) -> Result<()> {
        self.write(|w| {
            let d = w.load_delay(edit.delay_id, edit.version)?;
            let id = edit.delay_id.to_string();
            if let Some(ready) = edit.ready_on {
                if ready > today {
                    return Err(Error::Delay(DelayError::InFuture {
                        field: DelayDate::Ready,
                        date: ready,
                        today,
                    }));
                }
                let admitted = edit.admitted_on.unwrap_or(d.admitted_on);
                if ready < admitted {
                    return Err(Error::Delay(DelayError::ReadyBeforeAdmission { ready, admitted }));
                }
                let periods = w.periods(edit.delay_id)?;
                if let Some(first) = periods.first() {
                    if first.end.is_some_and(|e| ready > e) || periods.get(1).is_some_and(|p| ready >= p.start) {
                        return Err(Error::invalid(format!(
                            "the ready date {ready} is after the reason changed on {}; change the reasons first",
                            first.end.map_or(String::new(), |e| e.to_string())
                        )));
                    }
                    if d.ended_on.is_some_and(|e| ready > e) {
                        return Err(Error::invalid(format!(
                            "the ready date {ready} is after the delay ended"
                        )));
                    }
                    w.check_no_overlap(d.stay_id, ready, Some(edit.delay_id))?;
                    w.tx.execute(
                        "UPDATE delay_period SET start_on = ?1 WHERE id = ?2",
                        params![date_str(ready), first.id],
                    )?;
                }
                w.tx.execute(
                    "UPDATE delay SET ready_on = ?1 WHERE id = ?2",
                    params![date_str(ready), edit.delay_id],
                )?;
                w.audit(&AuditEvent::Delay(DelayEvent::Edit(DelayField::ReadyDate)), &id, Some(&d.ready_on.to_string()), Some(&ready.to_string()))?;
            }
            if let Some(p) = edit.planned_pathway {
                w.tx.execute(
                    "UPDATE delay SET planned_pathway = ?1 WHERE id = ?2",
                    params![p.map(|p| p.number()), edit.delay_id],
                )?;
                w.audit(&AuditEvent::Delay(DelayEvent::Edit(DelayField::PlannedPathway)), &id, None, Some(&p.map_or("none".to_string(), |p| p.to_string())))?;
            }
            if let Some(admitted) = edit.admitted_on {
                if admitted > edit.ready_on.unwrap_or(d.ready_on) {
                    return Err(Error::invalid(format!(
                        "admission on {admitted} is after the ready date"
                    )));
                }
                w.tx.execute(
                    "UPDATE stay SET admitted_on = ?1, version = version + 1 WHERE id = ?2",
                    params![date_str(admitted), d.stay_id],
                )
                .map_err(|e| unique_message(e, "this patient already has a stay admitted that day"))?;
                w.audit(&AuditEvent::Stay(StayEvent::Edit(StayField::Admitted)), &d.stay_id.to_string(), Some(&d.admitted_on.to_string()), Some(&admitted.to_string()))?;
            }
            if let Some(s) = &edit.site_code {
                w.require_site(s)?;
                w.tx.execute("UPDATE stay SET site_code = ?1, version = version + 1 WHERE id = ?2", params![s, d.stay_id])?;
                w.audit(&AuditEvent::Stay(StayEvent::Edit(StayField::Site)), &d.stay_id.to_string(), Some(&d.site), Some(s))?;
            }
            if let Some(l) = &edit.la_code {
                w.ensure_la(l)?;
                w.tx.execute("UPDATE stay SET la_code = ?1, version = version + 1 WHERE id = ?2", params![l.as_str(), d.stay_id])?;
                w.audit(&AuditEvent::Stay(StayEvent::Edit(StayField::Authority)), &d.stay_id.to_string(), Some(&d.la), Some(l.as_str()))?;
            }
            w.bump_delay(edit.delay_id)
        })
    }

    /// Marks a delay reviewed at today's board round (no change to its figures).
    pub fn mark_reviewed(&mut self, delay_id: i64, today: NaiveDate) -> Result<()> {
        self.write(|w| {
            if w.reviewed(delay_id, today)? == 0 {
                return Err(Error::NotFound(format!("delay {delay_id}")));
            }
            w.audit(
                &AuditEvent::Delay(DelayEvent::Review),
                &delay_id.to_string(),
                None,
                Some(&format!("still delayed at the board round of {today}")),
            )
        })
    }
}

/// The pathway of an end: a destination implies its pathway and must agree with the one given; a
/// death is not a discharge and has neither.
fn end_pathway(end: &EndDelay) -> Result<Option<Pathway>> {
    let dest = end
        .destination
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .map(crate::domain::Destination::parse)
        .transpose()
        .map_err(|error| Error::FieldCode {
            field: "destination",
            error,
        })?;
    if end.kind == EndKind::Died && (end.pathway.is_some() || dest.is_some()) {
        return Err(Error::invalid(
            "pathway: a death is not a discharge: it has no pathway or destination",
        ));
    }
    match (end.pathway, dest) {
        (Some(p), Some(d)) if d.pathway() != p => Err(Error::invalid(format!(
            "destination: {} is on pathway {}, not pathway {p}",
            d.code(),
            d.pathway()
        ))),
        (None, Some(d)) => Ok(Some(d.pathway())),
        (p, _) => Ok(p),
    }
}

fn validate_new(new: &NewDelay, today: NaiveDate) -> Result<()> {
    LocalId::parse(&new.local_id)?;
    for (what, d) in [
        ("admission", new.admitted_on),
        ("the ready date", new.ready_on),
    ] {
        if let Some(rule) = crate::domain::too_early(d) {
            return Err(Error::invalid(format!("{what} {d} {rule}")));
        }
    }
    for (what, v) in [("site", new.site_code.as_str())] {
        if let Some(rule) = crate::domain::text::text_rule(v, crate::domain::text::TextKind::Code) {
            return Err(Error::invalid(format!("the {what} {rule}")));
        }
    }
    new.dates(today).map(|_| ())
}

impl NewDelay {
    /// The new delay's dates, by the one rule of [`DelayDates::new`]; its first problem refuses it.
    pub fn dates(&self, today: NaiveDate) -> Result<DelayDates> {
        DelayDates::new(self.admitted_on, self.ready_on, None, None, today).map_err(first_problem)
    }
}

/// A delay refused for the first of its problems.
fn first_problem(problems: Vec<DelayError>) -> Error {
    problems
        .into_iter()
        .next()
        .map_or_else(|| Error::invalid(String::new()), Error::Delay)
}

fn unique_message(e: rusqlite::Error, msg: &str) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Error::Duplicate(msg.to_string())
        }
        _ => e.into(),
    }
}
