//! The delay register: list, detail, add, change reason, end, edit, delete, review. Every write is
//! one transaction that also updates the month counts and the audit log, and checks the record's
//! version so that an edit based on stale data is refused rather than lost.

use super::counts::{parse_attribution, parse_reason, parse_setting};
use super::patients::Source;
use super::{date_str, parse_stored_date, AuditEntry, Store, Writer};
use crate::domain::{
    delayed_days, AcuteReason, Attribution, EndKind, LaCode, NhsNumber, Pathway, ReasonCode,
    Setting,
};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// One delay as the register lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DelayRow {
    pub delay_id: i64,
    pub version: i64,
    pub stay_id: i64,
    pub local_id: String,
    #[serde(skip)]
    pub nhs_number: Option<NhsNumber>,
    pub site_code: String,
    pub setting: Setting,
    pub la_code: String,
    pub la_name: Option<String>,
    pub admitted_on: NaiveDate,
    pub ready_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_kind: Option<EndKind>,
    pub reason: ReasonCode,
    pub attribution: Attribution,
    pub planned_pathway: Option<Pathway>,
    pub reviewed_on: Option<NaiveDate>,
}

impl DelayRow {
    /// Delayed days so far as of `today` (up to the day before `today` while open).
    pub fn days_delayed(&self, today: NaiveDate) -> u32 {
        crate::domain::delayed_days_within(self.ready_on, self.ended_on, today, ..)
    }

    /// Length of stay on `today` (midnights since admission).
    pub fn length_of_stay(&self, today: NaiveDate) -> u32 {
        delayed_days(self.admitted_on, today)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodRow {
    pub id: i64,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub reason: ReasonCode,
    pub attribution: Attribution,
    /// One of the 18 reasons of the acute sitrep (table 5), beside the DTOC code.
    pub acute_reason: Option<AcuteReason>,
}

/// The audit text of an acute sitrep reason: `, acute <code>` or nothing.
fn acute_note(a: Option<AcuteReason>) -> String {
    a.map(|a| format!(", acute {}", a.code()))
        .unwrap_or_default()
}

/// A delay's periods, oldest first (from the store's connection or a write transaction).
fn query_periods(conn: &rusqlite::Connection, delay_id: i64) -> Result<Vec<PeriodRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, start_on, end_on, reason, attribution, acute_reason FROM delay_period
         WHERE delay_id = ?1 ORDER BY start_on",
    )?;
    let mut rows = stmt.query(params![delay_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(PeriodRow {
            id: r.get(0)?,
            start: parse_stored_date(&r.get::<_, String>(1)?)?,
            end: opt_date(r.get(2)?)?,
            reason: parse_reason(&r.get::<_, String>(3)?)?,
            attribution: parse_attribution(&r.get::<_, String>(4)?)?,
            // A code this version does not know is shown as none rather than refusing the delay.
            acute_reason: r
                .get::<_, Option<String>>(5)?
                .and_then(|a| AcuteReason::parse(&a).ok()),
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayDetail {
    pub row: DelayRow,
    pub discharged_on: Option<NaiveDate>,
    pub pathway: Option<Pathway>,
    pub destination: Option<String>,
    /// Whether the discharge went to the usual place of residence (`None`: not known).
    pub usual_residence: Option<bool>,
    pub periods: Vec<PeriodRow>,
    pub history: Vec<AuditEntry>,
}

/// Which delays to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DelayFilter {
    pub include_ended: bool,
    pub la_code: Option<String>,
    pub site_code: Option<String>,
    pub reason: Option<ReasonCode>,
    pub attribution: Option<Attribution>,
    /// At most this many rows (the longest delays first); `None` for all.
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelay {
    pub local_id: String,
    pub nhs_number: Option<NhsNumber>,
    pub admitted_on: NaiveDate,
    pub site_code: String,
    pub la_code: LaCode,
    pub ready_on: NaiveDate,
    pub reason: ReasonCode,
    pub attribution: Attribution,
    pub planned_pathway: Option<Pathway>,
    /// The acute sitrep's reason (table 5) for the first period, if recorded.
    pub acute_reason: Option<AcuteReason>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonChange {
    pub delay_id: i64,
    pub version: i64,
    pub from: NaiveDate,
    pub reason: ReasonCode,
    pub attribution: Attribution,
    /// The acute sitrep's reason (table 5) from `from` on, if recorded.
    pub acute_reason: Option<AcuteReason>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndDelay {
    pub delay_id: i64,
    pub version: i64,
    pub on: NaiveDate,
    pub kind: EndKind,
    pub pathway: Option<Pathway>,
    pub destination: Option<String>,
    /// Whether a discharge went to the patient's usual place of residence (`None`: not known).
    pub usual_residence: Option<bool>,
}

/// Changes to a delay's own fields and its stay's; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditDelay {
    pub delay_id: i64,
    pub version: i64,
    pub ready_on: Option<NaiveDate>,
    pub planned_pathway: Option<Option<Pathway>>,
    pub site_code: Option<String>,
    pub la_code: Option<LaCode>,
    pub admitted_on: Option<NaiveDate>,
}

const ROW_SQL: &str = "SELECT d.id, d.version, s.id, pt.local_id, pt.nhs_number, s.site_code, site.setting,
        s.la_code, la.name, s.admitted_on, d.ready_on, d.ended_on, d.end_kind, cp.reason, cp.attribution,
        d.planned_pathway, d.reviewed_on
    FROM delay d
    JOIN stay s ON s.id = d.stay_id
    JOIN patient pt ON pt.id = s.patient_id
    JOIN site ON site.code = s.site_code
    LEFT JOIN local_authority la ON la.code = s.la_code
    JOIN delay_period cp ON cp.delay_id = d.id
        AND cp.start_on = (SELECT max(start_on) FROM delay_period q WHERE q.delay_id = d.id)";

fn opt_date(s: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
    s.map(|s| parse_stored_date(&s)).transpose()
}

fn read_row(r: &rusqlite::Row<'_>) -> Result<DelayRow> {
    Ok(DelayRow {
        delay_id: r.get(0)?,
        version: r.get(1)?,
        stay_id: r.get(2)?,
        local_id: r.get(3)?,
        nhs_number: r
            .get::<_, Option<String>>(4)?
            .and_then(|n| NhsNumber::parse(&n).ok()),
        site_code: r.get(5)?,
        setting: parse_setting(&r.get::<_, String>(6)?)?,
        la_code: r.get(7)?,
        la_name: r.get(8)?,
        admitted_on: parse_stored_date(&r.get::<_, String>(9)?)?,
        ready_on: parse_stored_date(&r.get::<_, String>(10)?)?,
        ended_on: opt_date(r.get(11)?)?,
        end_kind: r
            .get::<_, Option<String>>(12)?
            .and_then(|k| EndKind::parse(&k).ok()),
        reason: parse_reason(&r.get::<_, String>(13)?)?,
        attribution: parse_attribution(&r.get::<_, String>(14)?)?,
        planned_pathway: r.get::<_, Option<i64>>(15)?.and_then(Pathway::from_number),
        reviewed_on: opt_date(r.get(16)?)?,
    })
}

impl Store {
    /// Delays, longest delayed first (as of `today`).
    pub fn list_delays(&self, filter: &DelayFilter, today: NaiveDate) -> Result<Vec<DelayRow>> {
        let mut sql = format!("{ROW_SQL} WHERE 1 = 1");
        let mut args: Vec<String> = Vec::new();
        if !filter.include_ended {
            sql.push_str(" AND d.ended_on IS NULL");
        }
        if let Some(la) = &filter.la_code {
            args.push(la.clone());
            sql.push_str(&format!(" AND s.la_code = ?{}", args.len()));
        }
        if let Some(site) = &filter.site_code {
            args.push(site.clone());
            sql.push_str(&format!(" AND s.site_code = ?{}", args.len()));
        }
        if let Some(r) = filter.reason {
            args.push(r.code().to_string());
            sql.push_str(&format!(" AND cp.reason = ?{}", args.len()));
        }
        if let Some(a) = filter.attribution {
            args.push(a.label().to_string());
            sql.push_str(&format!(" AND cp.attribution = ?{}", args.len()));
        }
        args.push(date_str(today));
        sql.push_str(&format!(
            " ORDER BY julianday(min(coalesce(d.ended_on, ?{n}), ?{n})) - julianday(d.ready_on) DESC, d.id",
            n = args.len()
        ));
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(read_row(r)?);
        }
        Ok(out)
    }

    /// The register rows of every delay of one stay (a save to one delay can change its stay,
    /// which the stay's other delays show): the app's reload after its own save reads only these.
    pub fn stay_delay_rows(&self, stay_id: i64) -> Result<Vec<DelayRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{ROW_SQL} WHERE s.id = ?1 ORDER BY d.id"))?;
        let mut rows = stmt.query(params![stay_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(read_row(r)?);
        }
        Ok(out)
    }

    /// The register row of one delay, `None` when there is no such delay.
    pub fn delay_row(&self, delay_id: i64) -> Result<Option<DelayRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{ROW_SQL} WHERE d.id = ?1"))?;
        let mut rows = stmt.query(params![delay_id])?;
        rows.next()?.map(read_row).transpose()
    }

    /// One delay with its periods and history.
    pub fn delay_detail(&self, delay_id: i64) -> Result<DelayDetail> {
        let row = self
            .delay_row(delay_id)?
            .ok_or_else(|| Error::NotFound(format!("delay {delay_id}")))?;
        let (discharged_on, pathway, destination, usual_residence) = self.conn.query_row(
            "SELECT discharged_on, pathway, destination, usual_residence FROM stay WHERE id = ?1",
            params![row.stay_id],
            |r| {
                Ok((
                    opt_date(r.get(0)?)?,
                    r.get::<_, Option<i64>>(1)?.and_then(Pathway::from_number),
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<i64>>(3)?.map(|u| u != 0),
                ))
            },
        )?;
        let periods = self.periods_of(delay_id)?;
        let mut history = self.audit_for("delay", &delay_id.to_string())?;
        history.extend(self.audit_for("stay", &row.stay_id.to_string())?);
        history.sort_by_key(|e| e.id);
        Ok(DelayDetail {
            row,
            discharged_on,
            pathway,
            destination,
            usual_residence,
            periods,
            history,
        })
    }

    pub fn periods_of(&self, delay_id: i64) -> Result<Vec<PeriodRow>> {
        query_periods(&self.conn, delay_id)
    }

    /// Finds a patient's NHS number (masked) and open stays by local id, for the add form.
    pub fn find_patient(&self, local_id: &str) -> Result<Option<(i64, Option<NhsNumber>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, nhs_number FROM patient WHERE local_id = ?1",
                params![local_id.trim()],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?)),
            )
            .optional()?
            .map(|(id, n)| (id, n.and_then(|n| NhsNumber::parse(&n).ok()))))
    }

    /// Adds a delay (and the patient and stay when new). Returns the new delay's id.
    pub fn add_delay(&mut self, new: &NewDelay, today: NaiveDate) -> Result<i64> {
        validate_new(new, today)?;
        self.write(|w| {
            let stay_id = w.ensure_stay(new)?;
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
                "delay",
                &id,
                "add",
                None,
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
            w.audit(
                "delay",
                &change.delay_id.to_string(),
                "change reason",
                Some(&format!("reason from {}", change.from)),
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
                return Err(Error::invalid("this delay has already ended"));
            }
            if end.on < d.ready_on {
                return Err(Error::invalid(format!(
                    "the end date {} is before the ready date {}",
                    end.on, d.ready_on
                )));
            }
            if end.on > today {
                return Err(Error::invalid(format!(
                    "the end date {} is in the future (today is {today})",
                    end.on
                )));
            }
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
                    crate::domain::Destination::parse(d)
                        .map(|x| x.code().to_string())
                        .map_err(|e| Error::invalid(e.to_string()))
                })
                .transpose()?;
            let mut detail = format!("{} on {}", end.kind.label(), end.on);
            if end.kind == EndKind::Discharged {
                w.tx.execute(
                    "UPDATE stay SET discharged_on = ?1, pathway = ?2, destination = ?3, usual_residence = ?4,
                        version = version + 1 WHERE id = ?5",
                    params![
                        date_str(end.on),
                        end.pathway.map(|p| p.number()),
                        destination,
                        end.usual_residence.map(i64::from),
                        d.stay_id
                    ],
                )?;
                if let Some(p) = end.pathway {
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
            w.audit(
                "delay",
                &end.delay_id.to_string(),
                "end",
                None,
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
                "delay",
                &delay_id.to_string(),
                "delete",
                None,
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
                    return Err(Error::invalid(format!(
                        "the ready date {ready} is in the future (today is {today})"
                    )));
                }
                let admitted = edit.admitted_on.unwrap_or(d.admitted_on);
                if ready < admitted {
                    return Err(Error::invalid(format!(
                        "the ready date {ready} is before admission on {admitted}"
                    )));
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
                w.audit("delay", &id, "edit", Some("ready date"), Some(&d.ready_on.to_string()), Some(&ready.to_string()))?;
            }
            if let Some(p) = edit.planned_pathway {
                w.tx.execute(
                    "UPDATE delay SET planned_pathway = ?1 WHERE id = ?2",
                    params![p.map(|p| p.number()), edit.delay_id],
                )?;
                w.audit("delay", &id, "edit", Some("planned pathway"), None, Some(&p.map_or("none".to_string(), |p| p.to_string())))?;
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
                w.audit("stay", &d.stay_id.to_string(), "edit", Some("admitted"), Some(&d.admitted_on.to_string()), Some(&admitted.to_string()))?;
            }
            if let Some(s) = &edit.site_code {
                w.require_site(s)?;
                w.tx.execute("UPDATE stay SET site_code = ?1, version = version + 1 WHERE id = ?2", params![s, d.stay_id])?;
                w.audit("stay", &d.stay_id.to_string(), "edit", Some("site"), Some(&d.site), Some(s))?;
            }
            if let Some(l) = &edit.la_code {
                w.ensure_la(l)?;
                w.tx.execute("UPDATE stay SET la_code = ?1, version = version + 1 WHERE id = ?2", params![l.as_str(), d.stay_id])?;
                w.audit("stay", &d.stay_id.to_string(), "edit", Some("authority"), Some(&d.la), Some(l.as_str()))?;
            }
            w.bump_delay(edit.delay_id)
        })
    }

    /// Marks a delay reviewed at today's board round (no change to its figures).
    pub fn mark_reviewed(&mut self, delay_id: i64, today: NaiveDate) -> Result<()> {
        self.write(|w| {
            let n = w.tx.execute(
                "UPDATE delay SET reviewed_on = ?1 WHERE id = ?2",
                params![date_str(today), delay_id],
            )?;
            if n == 0 {
                return Err(Error::NotFound(format!("delay {delay_id}")));
            }
            w.audit(
                "delay",
                &delay_id.to_string(),
                "review",
                None,
                None,
                Some(&format!("still delayed at the board round of {today}")),
            )
        })
    }
}

fn validate_new(new: &NewDelay, today: NaiveDate) -> Result<()> {
    if new.local_id.trim().is_empty() {
        return Err(Error::invalid("a local hospital number is needed"));
    }
    if new.local_id.trim().len() > 40 {
        return Err(Error::invalid(
            "the local hospital number is longer than 40 characters",
        ));
    }
    if new.admitted_on > today {
        return Err(Error::invalid(format!(
            "admission on {} is in the future (today is {today})",
            new.admitted_on
        )));
    }
    if new.ready_on > today {
        return Err(Error::invalid(format!(
            "the ready date {} is in the future (today is {today})",
            new.ready_on
        )));
    }
    if new.ready_on < new.admitted_on {
        return Err(Error::invalid(format!(
            "the ready date {} is before admission on {}",
            new.ready_on, new.admitted_on
        )));
    }
    Ok(())
}

fn unique_message(e: rusqlite::Error, msg: &str) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Error::invalid(msg)
        }
        _ => e.into(),
    }
}

/// What a write needs to know of a delay.
pub(crate) struct Loaded {
    pub stay_id: i64,
    pub la: String,
    pub site: String,
    pub admitted_on: NaiveDate,
    pub ready_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

impl Writer<'_> {
    /// Loads a delay, refusing when its version is not the one the caller saw.
    pub(crate) fn load_delay(&self, delay_id: i64, version: i64) -> Result<Loaded> {
        let found = self
            .tx
            .query_row(
                "SELECT d.version, s.id, s.la_code, s.site_code, s.admitted_on, d.ready_on, d.ended_on
                 FROM delay d JOIN stay s ON s.id = d.stay_id WHERE d.id = ?1",
                params![delay_id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        Loaded {
                            stay_id: r.get(1)?,
                            la: r.get(2)?,
                            site: r.get(3)?,
                            admitted_on: parse_stored_date(&r.get::<_, String>(4)?)?,
                            ready_on: parse_stored_date(&r.get::<_, String>(5)?)?,
                            ended_on: opt_date(r.get(6)?)?,
                        },
                    ))
                },
            )
            .optional()?;
        let Some((current, loaded)) = found else {
            return Err(Error::NotFound(format!(
                "delay {delay_id} (someone may have deleted it)"
            )));
        };
        if current != version {
            let last = self
                .tx
                .query_row(
                    "SELECT user, at, action, coalesce(field, ''), coalesce(new_value, '') FROM audit_log
                     WHERE entity = 'delay' AND entity_id = ?1 ORDER BY id DESC LIMIT 1",
                    params![delay_id.to_string()],
                    |r| {
                        Ok(format!(
                            "{} at {}: {} {} {}",
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, String>(4)?
                        ))
                    },
                )
                .optional()?
                .unwrap_or_default();
            return Err(Error::Conflict(format!(
                "delay {delay_id} was changed by someone else since you opened it ({}); \
                 your entry is kept: reload and apply it again",
                last.trim()
            )));
        }
        Ok(loaded)
    }

    pub(crate) fn periods(&self, delay_id: i64) -> Result<Vec<PeriodRow>> {
        query_periods(self.tx, delay_id)
    }

    fn bump_delay(&self, delay_id: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE delay SET version = version + 1 WHERE id = ?1",
            params![delay_id],
        )?;
        Ok(())
    }

    /// A delay starting on `ready` must not overlap another delay of the same stay.
    fn check_no_overlap(&self, stay_id: i64, ready: NaiveDate, except: Option<i64>) -> Result<()> {
        let clash: Option<(String, Option<String>)> = self
            .tx
            .query_row(
                "SELECT ready_on, ended_on FROM delay
                 WHERE stay_id = ?1 AND id IS NOT ?3 AND ready_on <= ?2 AND (ended_on IS NULL OR ended_on > ?2)
                 UNION ALL
                 SELECT ready_on, ended_on FROM delay WHERE stay_id = ?1 AND id IS NOT ?3 AND ready_on > ?2
                 LIMIT 1",
                params![stay_id, date_str(ready), except],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((r, e)) = clash {
            let ends_before = e.as_deref().is_some_and(|e| e <= date_str(ready).as_str());
            if !ends_before {
                return Err(Error::invalid(format!(
                    "this stay already has a delay from {r}{}: delays of one stay cannot overlap",
                    e.map_or(" (still open)".to_string(), |e| format!(" to {e}"))
                )));
            }
        }
        Ok(())
    }

    pub(crate) fn require_site(&self, code: &str) -> Result<Setting> {
        let s: Option<String> = self
            .tx
            .query_row(
                "SELECT setting FROM site WHERE code = ?1",
                params![code],
                |r| r.get(0),
            )
            .optional()?;
        match s {
            Some(s) => parse_setting(&s),
            None => Err(Error::invalid(format!(
                "site {code} is not known: add it in Settings or import it"
            ))),
        }
    }

    pub(crate) fn ensure_la(&self, la: &LaCode) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO local_authority (code) VALUES (?1)",
            params![la.as_str()],
        )?;
        Ok(())
    }

    /// Finds or creates the patient and the stay of a new delay.
    fn ensure_stay(&self, new: &NewDelay) -> Result<i64> {
        self.require_site(&new.site_code)?;
        self.ensure_la(&new.la_code)?;
        let local_id = new.local_id.trim();
        let (patient_id, _) = self.patient_for(local_id, new.nhs_number.as_ref(), Source::Form)?;
        let stay: Option<(i64, String, String, Option<String>)> = self
            .tx
            .query_row(
                "SELECT id, site_code, la_code, discharged_on FROM stay WHERE patient_id = ?1 AND admitted_on = ?2",
                params![patient_id, date_str(new.admitted_on)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        match stay {
            Some((id, site, la, discharged)) => {
                if site != new.site_code || la != new.la_code.as_str() {
                    return Err(Error::invalid(format!(
                        "the stay of {local_id} admitted {} is at {site} for {la}, not {} for {}",
                        new.admitted_on, new.site_code, new.la_code
                    )));
                }
                if let Some(dis) = discharged {
                    return Err(Error::invalid(format!(
                        "the stay of {local_id} admitted {} ended on {dis}",
                        new.admitted_on
                    )));
                }
                Ok(id)
            }
            None => {
                self.tx.execute(
                    "INSERT INTO stay (patient_id, site_code, la_code, admitted_on) VALUES (?1, ?2, ?3, ?4)",
                    params![patient_id, new.site_code, new.la_code.as_str(), date_str(new.admitted_on)],
                )?;
                let id = self.tx.last_insert_rowid();
                self.audit(
                    "stay",
                    &id.to_string(),
                    "add",
                    None,
                    None,
                    Some(&format!("{local_id} admitted {}", new.admitted_on)),
                )?;
                Ok(id)
            }
        }
    }
}
