//! Correcting what ended (issue 25): an ended delay reopened (its end cleared, with the user's
//! reason), or its end date, end kind, pathway, destination and usual residence and its stay's
//! discharge date corrected; from the detail view's forms and by `dtoc import corrections`.
//!
//! Each is one write through [`Store::write`], so the register's rules (one bed at a time: a
//! reopened delay must not be open beside another delay of the patient, nor its stay overlap a
//! later stay; an open delay cannot outlast its stay), the month counts (the count upkeep's
//! triggers) and the freeze guard (a signed-off week's days) hold as for any write. Every changed
//! field is audited with its value before and after.
//!
//! What belongs together moves together: a delay that ended in a discharge ends on its stay's
//! discharge date, so correcting one corrects the other; a stay whose discharge was this delay's
//! end loses it when the delay is reopened or its end becomes a death, unfit again or a transfer
//! (and with it the discharge's pathway, destination and usual residence); a destination implies
//! its pathway and, when it tells, the usual residence (as the end form does).

use super::audit_event::{
    AuditEvent, CorrectedField, DelayEvent, EndDetail, ImportFile, StayEvent,
};
use super::{date_str, parse_stored_date, Store, Writer};
use crate::domain::text::{check_bounded, TextKind, COMMENT_MAX};
use crate::domain::{Destination, EndChange, EndKind, Pathway};
use crate::error::{Error, Result};
use crate::import::{Checked, CorrectionAction, CorrectionRecord};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

/// A correction of one ended delay's end and its stay's discharge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EndCorrection {
    pub delay_id: i64,
    /// The delay's version the correction was based on (a later change is a conflict).
    pub version: i64,
    pub change: EndChange,
}

/// What a refusal is about: a field of the correction (or the delay as a whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndPart {
    Delay,
    On,
    Kind,
    Pathway,
    Destination,
    UsualResidence,
    Discharged,
    Reason,
}

impl EndPart {
    /// Its column in a corrections file.
    pub fn column(self) -> &'static str {
        match self {
            Self::Delay => "action",
            Self::On => "delay_end",
            Self::Kind => "end_kind",
            Self::Pathway => "pathway",
            Self::Destination => "destination",
            Self::UsualResidence => "usual_residence",
            Self::Discharged => "discharged_on",
            Self::Reason => "reopen_reason",
        }
    }

    /// Its name in words (a form's message).
    pub fn label(self) -> &'static str {
        match self {
            Self::Delay => "delay",
            Self::On => "end date",
            Self::Kind => "end kind",
            Self::Pathway => "pathway",
            Self::Destination => "destination",
            Self::UsualResidence => "usual residence",
            Self::Discharged => "discharged",
            Self::Reason => "reason",
        }
    }
}

/// A correction or reopening refused by a rule: the field and the rule, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub part: EndPart,
    pub rule: String,
}

/// Why a correction was not applied: a rule of its own, or the store's error.
enum Fail {
    Refused(Refusal),
    Store(Error),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Store(e)
    }
}

impl From<rusqlite::Error> for Fail {
    fn from(e: rusqlite::Error) -> Self {
        Fail::Store(e.into())
    }
}

impl Fail {
    /// The error a form shows: the field's name, then the rule.
    fn into_error(self) -> Error {
        match self {
            Fail::Refused(r) if r.part == EndPart::Delay => Error::invalid(r.rule),
            Fail::Refused(r) => Error::invalid(format!("{}: {}", r.part.label(), r.rule)),
            Fail::Store(e) => e,
        }
    }
}

fn refuse<T>(part: EndPart, rule: impl Into<String>) -> std::result::Result<T, Fail> {
    Err(Fail::Refused(Refusal {
        part,
        rule: rule.into(),
    }))
}

/// An ended delay and its stay as stored.
struct State {
    stay_id: i64,
    admitted_on: NaiveDate,
    ready_on: NaiveDate,
    ended_on: Option<NaiveDate>,
    end_kind: Option<EndKind>,
    discharged_on: Option<NaiveDate>,
    pathway: Option<Pathway>,
    destination: Option<String>,
    usual_residence: Option<bool>,
}

impl State {
    /// Whether the stay's discharge is this delay's end (it ended in that discharge).
    fn discharged_by_delay(&self) -> bool {
        self.end_kind == Some(EndKind::Discharged)
            && self.ended_on.is_some()
            && self.discharged_on == self.ended_on
    }

    /// How the delay ended, in words (a reopening's old value).
    fn ending(&self) -> String {
        let mut s = match (self.end_kind, self.ended_on) {
            (Some(k), Some(e)) => format!("{} on {e}", k.label()),
            _ => "open".to_string(),
        };
        if self.discharged_by_delay() {
            if let Some(p) = self.pathway {
                s.push_str(&format!(", pathway {p}"));
            }
            if let Some(d) = &self.destination {
                s.push_str(&format!(", to {d}"));
            }
        }
        s
    }
}

fn opt_text<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "none".to_string(), |v| v.to_string())
}

fn yes_no(u: Option<bool>) -> String {
    match u {
        Some(true) => "yes".to_string(),
        Some(false) => "no".to_string(),
        None => "not known".to_string(),
    }
}

/// What `dtoc import corrections` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorrectionSummary {
    pub rows: usize,
    pub reopened: usize,
    /// Rows that changed at least one field, and the fields they changed.
    pub corrected: usize,
    pub fields: usize,
    /// Rows that changed nothing (the file applied before).
    pub unchanged: usize,
}

impl std::fmt::Display for CorrectionSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} rows: {} delays reopened, {} corrected ({} fields), {} unchanged",
            self.rows, self.reopened, self.corrected, self.fields, self.unchanged
        )
    }
}

impl Store {
    /// Reopens an ended delay (see the module): its end cleared, and its stay's discharge when
    /// that was its end. `reason` is required and kept in the audit log.
    pub fn reopen_delay(
        &mut self,
        delay_id: i64,
        version: i64,
        reason: &str,
        today: NaiveDate,
    ) -> Result<()> {
        let reason = reason.trim().to_string();
        check_reason(&reason).map_err(Fail::into_error)?;
        self.write(|w| {
            w.load_delay(delay_id, version)?;
            w.reopen(delay_id, &reason, today).map_err(Fail::into_error)
        })
    }

    /// Corrects an ended delay's end and its stay's discharge (see the module). Returns how many
    /// fields changed: 0 when the correction changes nothing (nothing is written).
    pub fn correct_end(&mut self, c: &EndCorrection, today: NaiveDate) -> Result<usize> {
        self.write(|w| {
            w.load_delay(c.delay_id, c.version)?;
            w.correct_end(c.delay_id, &c.change, today)
                .map_err(Fail::into_error)
        })
    }

    /// `dtoc import corrections`: every row applied in file order in one transaction, all or
    /// nothing; a refusal names the file, the line, the column and the rule.
    pub fn import_corrections(
        &mut self,
        file: &Checked<CorrectionRecord>,
        today: NaiveDate,
    ) -> Result<CorrectionSummary> {
        let name = file.file.as_str();
        self.write(|w| {
            // Each row's delays are checked by the freeze guard on their own (so the refusal
            // names the row, and a long file is not checked again and again); the write's own
            // check at the end sees them all again.
            w.tx.execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS touched_before (delay_id INTEGER PRIMARY KEY);
                 DELETE FROM temp.touched_before;",
            )?;
            let mut summary = CorrectionSummary {
                rows: file.records.len(),
                ..CorrectionSummary::default()
            };
            for r in &file.records {
                // The column and the value as the file gave it (a reason is not repeated).
                let at = |col: &str, rule: String| {
                    let value = if col == "action" {
                        r.action.key()
                    } else {
                        r.raw(col)
                    };
                    Error::Input(crate::error::InputError {
                        file: name.to_string(),
                        line: r.line,
                        column: Some(col.to_string()),
                        value: (!value.is_empty()).then(|| value.to_string()),
                        rule,
                    })
                };
                let Some(delay_id) = w.delay_by_key(&r.local_id, r.ready_on)? else {
                    return Err(super::import::err(
                        name,
                        r.line,
                        "local_id",
                        &r.local_id,
                        format!(
                            "no delay of {} ready on {} is recorded",
                            r.local_id, r.ready_on
                        ),
                    ));
                };
                let done = match &r.action {
                    CorrectionAction::Reopen { reason } => {
                        w.reopen(delay_id, reason, today).map(|()| 1)
                    }
                    CorrectionAction::Correct(change) => w.correct_end(delay_id, change, today),
                };
                let changed = match done {
                    Ok(n) => n,
                    Err(Fail::Refused(x)) => {
                        let col = match x.part {
                            EndPart::Reason => "reopen_reason",
                            p => p.column(),
                        };
                        return Err(at(col, x.rule));
                    }
                    Err(Fail::Store(e)) => return Err(e),
                };
                // The register's rules and the freeze guard, row by row, so that a refusal
                // names its line (and the first column the row corrects).
                w.check_register()
                    .and_then(|()| w.check_frozen())
                    .map_err(|e| match e {
                        e @ (Error::Clash(_) | Error::Frozen(_)) => {
                            at(r.first_column(), e.to_string())
                        }
                        e => e,
                    })?;
                w.reset_touched_patients()?;
                w.tx.execute_batch(
                    "INSERT OR IGNORE INTO temp.touched_before SELECT delay_id FROM temp.touched_delay;
                     DELETE FROM temp.touched_delay;",
                )?;
                match (&r.action, changed) {
                    (CorrectionAction::Reopen { .. }, _) => summary.reopened += 1,
                    (_, 0) => summary.unchanged += 1,
                    (_, n) => {
                        summary.corrected += 1;
                        summary.fields += n;
                    }
                }
            }
            w.tx.execute_batch(
                "INSERT OR IGNORE INTO temp.touched_delay SELECT delay_id FROM temp.touched_before;
                 DELETE FROM temp.touched_before;",
            )?;
            if summary.reopened + summary.corrected > 0 {
                w.audit(
                    &AuditEvent::Import(ImportFile::Corrections),
                    name,
                    None,
                    Some(&summary.to_string()),
                )?;
            }
            Ok(summary)
        })
    }
}

/// A reopening's reason: given, one bounded line of free text with no NHS number.
fn check_reason(reason: &str) -> std::result::Result<(), Fail> {
    if reason.is_empty() {
        return refuse(
            EndPart::Reason,
            "is empty: say why the delay is reopened (it is kept in the audit log)",
        );
    }
    check_bounded("reason", reason, TextKind::Note, COMMENT_MAX)
        .or_else(|rule| refuse(EndPart::Reason, rule))
}

impl Writer<'_> {
    /// The delay of `local_id` whose ready date is `ready`, if recorded.
    fn delay_by_key(&self, local_id: &str, ready: NaiveDate) -> Result<Option<i64>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT d.id FROM delay d JOIN stay s ON s.id = d.stay_id
                 JOIN patient p ON p.id = s.patient_id
                 WHERE p.local_id = ?1 AND d.ready_on = ?2 ORDER BY d.id LIMIT 1",
            )?
            .query_row(params![local_id, date_str(ready)], |r| r.get(0))
            .optional()?)
    }

    fn state(&self, delay_id: i64) -> Result<State> {
        let date = |s: Option<String>| s.map(|s| parse_stored_date(&s)).transpose();
        self.tx
            .query_row(
                "SELECT s.id, s.admitted_on, d.ready_on, d.ended_on, d.end_kind, s.discharged_on,
                        s.pathway, s.destination, s.usual_residence
                 FROM delay d JOIN stay s ON s.id = d.stay_id WHERE d.id = ?1",
                params![delay_id],
                |r| {
                    Ok(State {
                        stay_id: r.get(0)?,
                        admitted_on: parse_stored_date(&r.get::<_, String>(1)?)?,
                        ready_on: parse_stored_date(&r.get::<_, String>(2)?)?,
                        ended_on: date(r.get(3)?)?,
                        end_kind: r
                            .get::<_, Option<String>>(4)?
                            .and_then(|k| EndKind::parse(&k).ok()),
                        discharged_on: date(r.get(5)?)?,
                        pathway: r.get(6)?,
                        destination: r.get(7)?,
                        usual_residence: r.get::<_, Option<i64>>(8)?.map(|u| u != 0),
                    })
                },
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("delay {delay_id}")))
    }

    /// The stay's discharge, pathway, destination and usual residence set (audited field by
    /// field against `cur`); returns how many changed.
    fn set_leaving(
        &self,
        cur: &State,
        discharged: Option<NaiveDate>,
        pathway: Option<Pathway>,
        destination: Option<&str>,
        usual: Option<bool>,
    ) -> Result<usize> {
        let id = cur.stay_id.to_string();
        let changes = [
            (
                CorrectedField::Discharged,
                cur.discharged_on != discharged,
                opt_text(cur.discharged_on),
                opt_text(discharged),
            ),
            (
                CorrectedField::Pathway,
                cur.pathway != pathway,
                opt_text(cur.pathway),
                opt_text(pathway),
            ),
            (
                CorrectedField::Destination,
                cur.destination.as_deref() != destination,
                opt_text(cur.destination.as_deref()),
                opt_text(destination),
            ),
            (
                CorrectedField::UsualResidence,
                cur.usual_residence != usual,
                yes_no(cur.usual_residence),
                yes_no(usual),
            ),
        ];
        let n = changes.iter().filter(|c| c.1).count();
        if n == 0 {
            return Ok(0);
        }
        self.tx.execute(
            "UPDATE stay SET discharged_on = ?1, pathway = ?2, destination = ?3, usual_residence = ?4,
                version = version + 1 WHERE id = ?5",
            params![
                discharged.map(date_str),
                pathway.map(|p| p.number()),
                destination,
                usual.map(i64::from),
                cur.stay_id
            ],
        )?;
        for (field, changed, old, new) in &changes {
            if *changed {
                self.audit(
                    &AuditEvent::Stay(StayEvent::Correct(*field)),
                    &id,
                    Some(old),
                    Some(new),
                )?;
            }
        }
        Ok(n)
    }

    fn reopen(
        &self,
        delay_id: i64,
        reason: &str,
        _today: NaiveDate,
    ) -> std::result::Result<(), Fail> {
        check_reason(reason)?;
        let cur = self.state(delay_id)?;
        if cur.ended_on.is_none() {
            return refuse(
                EndPart::Delay,
                "this delay is open: there is no end to reopen",
            );
        }
        // Open again, it runs on: no later delay of the same stay may follow it.
        let later: Option<String> = self.tx.query_row(
            "SELECT min(ready_on) FROM delay WHERE stay_id = ?1 AND id <> ?2 AND ready_on >= ?3",
            params![cur.stay_id, delay_id, date_str(cur.ready_on)],
            |r| r.get(0),
        )?;
        if let Some(n) = later {
            return refuse(
                EndPart::Delay,
                format!(
                    "the stay has a later delay from {n}: delays of one stay cannot overlap (correct this one's end instead)"
                ),
            );
        }
        let ending = cur.ending();
        if cur.discharged_by_delay() {
            self.set_leaving(&cur, None, None, None, None)?;
        }
        let periods = self.periods(delay_id)?;
        let Some(last) = periods.last() else {
            return Err(Error::Stored(format!("delay {delay_id} has no periods")).into());
        };
        self.tx.execute(
            "UPDATE delay_period SET end_on = NULL WHERE id = ?1",
            params![last.id],
        )?;
        self.tx.execute(
            "UPDATE delay SET ended_on = NULL, end_kind = NULL, version = version + 1 WHERE id = ?1",
            params![delay_id],
        )?;
        self.audit(
            &AuditEvent::Delay(DelayEvent::Reopen),
            &delay_id.to_string(),
            Some(&ending),
            Some(reason),
        )?;
        Ok(())
    }

    fn correct_end(
        &self,
        delay_id: i64,
        c: &EndChange,
        today: NaiveDate,
    ) -> std::result::Result<usize, Fail> {
        let cur = self.state(delay_id)?;
        let (Some(e0), Some(k0)) = (cur.ended_on, cur.end_kind) else {
            return refuse(
                EndPart::Delay,
                "this delay is open: end it rather than correct its end",
            );
        };
        let by_delay = cur.discharged_by_delay();
        let k1 = c.kind.unwrap_or(k0);
        let mut e1 = c.on.unwrap_or(e0);
        let mut d1 = c.discharged_on.unwrap_or(cur.discharged_on);
        let timing = c.on.is_some() || c.discharged_on.is_some() || k1 != k0;
        if k1 == EndKind::Discharged {
            // A discharge ends the delay on the discharge date: one follows the other.
            match (c.on, c.discharged_on) {
                (None, Some(Some(dd))) => e1 = dd,
                (Some(e), None) if by_delay || cur.discharged_on.is_none() || k1 != k0 => {
                    d1 = Some(e)
                }
                (None, None) if k1 != k0 && cur.discharged_on.is_none() => d1 = Some(e1),
                _ => {}
            }
            if timing && d1 != Some(e1) {
                return refuse(
                    EndPart::Discharged,
                    format!(
                        "{}: a delay that ended in a discharge ends on the stay's discharge date ({e1})",
                        opt_text(d1)
                    ),
                );
            }
        } else if by_delay && c.discharged_on.is_none() {
            // The stay's discharge was this delay's end, which is now no discharge.
            d1 = None;
        }
        if k1 == EndKind::Died && c.discharged_on.flatten().is_some() {
            return refuse(
                EndPart::Discharged,
                "a death is not a discharge: the stay of a patient who died has no discharge date",
            );
        }
        // The dates against the stored ones.
        if e1 < cur.ready_on {
            return refuse(
                EndPart::On,
                format!("{e1} is before the ready date {}", cur.ready_on),
            );
        }
        if e1 > today {
            return refuse(
                EndPart::On,
                format!("{e1} is in the future (today is {today})"),
            );
        }
        if let Some(dd) = d1.filter(|d| Some(*d) != cur.discharged_on || timing) {
            self.check_discharge(&cur, delay_id, dd, e1, today)?;
        }
        // How the stay left: a destination implies its pathway and, when it tells, the usual
        // residence; details need a discharge, and a death has none.
        let given_dest = c.destination.flatten();
        let mut pathway = match c.pathway {
            Some(p) => p,
            None => given_dest.map(|d| d.pathway()).or(cur.pathway),
        };
        let mut destination = match c.destination {
            Some(d) => d.map(|d| d.code().to_string()),
            None => cur.destination.clone(),
        };
        let mut usual = match c.usual_residence {
            Some(u) => u,
            None => match given_dest {
                Some(d) => d.usual_residence(),
                None => cur.usual_residence,
            },
        };
        let given = [
            (EndPart::Pathway, c.pathway.flatten().is_some()),
            (EndPart::Destination, given_dest.is_some()),
            (
                EndPart::UsualResidence,
                c.usual_residence.flatten().is_some(),
            ),
        ];
        if k1 == EndKind::Died {
            if let Some((part, _)) = given.iter().find(|g| g.1 && g.0 != EndPart::UsualResidence) {
                return refuse(
                    *part,
                    "a death is not a discharge: it has no pathway or destination",
                );
            }
        }
        if d1.is_none() {
            if let Some((part, _)) = given.iter().find(|g| g.1) {
                return refuse(
                    *part,
                    "is given but the stay has no discharge date (discharge details need one)",
                );
            }
            (pathway, destination, usual) = (None, None, None);
        }
        if let (Some(p), Some(d)) = (
            pathway,
            destination
                .as_deref()
                .and_then(|d| Destination::parse(d).ok()),
        ) {
            if d.pathway() != p {
                return refuse(
                    EndPart::Destination,
                    format!(
                        "{} is on pathway {}, not pathway {p}",
                        d.code(),
                        d.pathway()
                    ),
                );
            }
        }
        // Write what changed.
        let id = delay_id.to_string();
        let mut changed = 0;
        if e1 != e0 {
            self.move_end(delay_id, e1)?;
            self.audit(
                &AuditEvent::Delay(DelayEvent::CorrectEnd(EndDetail::Date)),
                &id,
                Some(&e0.to_string()),
                Some(&e1.to_string()),
            )?;
            changed += 1;
        }
        if k1 != k0 {
            self.tx.execute(
                "UPDATE delay SET end_kind = ?1 WHERE id = ?2",
                params![k1.key(), delay_id],
            )?;
            self.audit(
                &AuditEvent::Delay(DelayEvent::CorrectEnd(EndDetail::Kind)),
                &id,
                Some(k0.label()),
                Some(k1.label()),
            )?;
            changed += 1;
        }
        changed += self.set_leaving(&cur, d1, pathway, destination.as_deref(), usual)?;
        if changed > 0 {
            self.tx.execute(
                "UPDATE delay SET version = version + 1 WHERE id = ?1",
                params![delay_id],
            )?;
        }
        Ok(changed)
    }

    /// A stay's discharge on `dd`: not before admission, not after today, not before any of its
    /// delays' ready dates or ends (this delay's end `end`).
    fn check_discharge(
        &self,
        cur: &State,
        delay_id: i64,
        dd: NaiveDate,
        end: NaiveDate,
        today: NaiveDate,
    ) -> std::result::Result<(), Fail> {
        if dd > today {
            return refuse(
                EndPart::Discharged,
                format!("{dd} is in the future (today is {today})"),
            );
        }
        if dd < cur.admitted_on {
            return refuse(
                EndPart::Discharged,
                format!("{dd} is before admission on {}", cur.admitted_on),
            );
        }
        let latest: Option<String> = self.tx.query_row(
            "SELECT max(max(ready_on, coalesce(ended_on, ready_on))) FROM delay
             WHERE stay_id = ?1 AND id <> ?2",
            params![cur.stay_id, delay_id],
            |r| r.get(0),
        )?;
        let latest = latest
            .map(|d| parse_stored_date(&d))
            .transpose()?
            .map_or(end, |d| d.max(end));
        if dd < latest {
            return refuse(
                EndPart::Discharged,
                format!(
                    "{dd} is before a delay of the stay ready or ended on {latest} (a delay ends on or before its stay's discharge)"
                ),
            );
        }
        Ok(())
    }

    /// Moves an ended delay's end to `end`: its last period's end with it (a last reason that
    /// would hold for no day is dropped, as an end does); refused before that reason's start or
    /// over the stay's next delay.
    fn move_end(&self, delay_id: i64, end: NaiveDate) -> std::result::Result<(), Fail> {
        let periods = self.periods(delay_id)?;
        let Some(last) = periods.last() else {
            return Err(Error::Stored(format!("delay {delay_id} has no periods")).into());
        };
        if end < last.start {
            return refuse(
                EndPart::On,
                format!(
                    "{end} is before the delay's last reason started ({}): correct the reasons first",
                    last.start
                ),
            );
        }
        let next: Option<String> = self
            .tx
            .query_row(
                "SELECT min(n.ready_on) FROM delay d JOIN delay n ON n.stay_id = d.stay_id AND n.id <> d.id
                 WHERE d.id = ?1 AND n.ready_on > d.ready_on AND n.ready_on < ?2",
                params![delay_id, date_str(end)],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        if let Some(n) = next {
            return refuse(
                EndPart::On,
                format!("{end} is after the stay's next delay starts ({n}): delays of one stay cannot overlap"),
            );
        }
        if end == last.start && periods.len() > 1 {
            self.tx
                .execute("DELETE FROM delay_period WHERE id = ?1", params![last.id])?;
        } else {
            self.tx.execute(
                "UPDATE delay_period SET end_on = ?1 WHERE id = ?2",
                params![date_str(end), last.id],
            )?;
        }
        self.tx.execute(
            "UPDATE delay SET ended_on = ?1 WHERE id = ?2",
            params![date_str(end), delay_id],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
