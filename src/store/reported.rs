//! The hospital's reported monthly figures and the reconciliation marks. Importing a month replaces
//! what was stored for it (in one transaction, audited); a mark is set per difference and its history
//! is the audit log.

use super::audit_event::{AuditEvent, ReportedLayout};
use super::{date_str, parse_stored_date, ImportSummary, Store};
use crate::domain::LaCode;
use crate::domain::{Attribution, MarkStatus, Measure, ReasonCode, YearMonth};
use crate::error::{Error, Result};
use crate::import::reported::Reported;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::collections::BTreeMap;

/// A reported total for an authority and measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedTotal {
    pub la_code: LaCode,
    pub measure: Measure,
    pub delayed_days: u64,
}

/// A reported delayed day of a patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedDay {
    pub local_id: String,
    pub day: NaiveDate,
    pub reason: ReasonCode,
    pub attribution: Attribution,
}

/// A difference marked accepted or contested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReconcileMark {
    #[serde(serialize_with = "YearMonth::serialize_text")]
    pub month: YearMonth,
    pub la_code: LaCode,
    pub measure: Measure,
    /// Empty for the authority's difference as a whole.
    pub local_id: String,
    pub day: Option<NaiveDate>,
    pub status: MarkStatus,
    /// Delayed days the mark covers.
    pub days: u64,
    pub note: String,
    pub marked_by: String,
    pub marked_at: String,
}

impl Store {
    /// Stores a reported-figures file, replacing the months it holds (of the same layout).
    pub fn import_reported(&mut self, reported: &Reported) -> Result<ImportSummary> {
        let months = reported.months();
        self.write(|w| {
            let mut s = ImportSummary::default();
            let (table, layout) = match reported {
                Reported::Totals(_) => ("reported_total", ReportedLayout::Totals),
                Reported::Days(_) => ("reported_day", ReportedLayout::PatientLevel),
            };
            for m in &months {
                let old = w
                    .tx
                    .execute(&format!("DELETE FROM {table} WHERE month = ?1"), params![m.key()])?;
                s.updated += old;
            }
            match reported {
                Reported::Totals(c) => {
                    let mut ins = w.tx.prepare_cached(
                        "INSERT INTO reported_total (month, la_code, measure, delayed_days) VALUES (?1, ?2, ?3, ?4)",
                    )?;
                    for r in &c.records {
                        ins.execute(params![
                            r.month.key(),
                            r.la_code.as_str(),
                            r.measure.key(),
                            r.delayed_days as i64
                        ])?;
                    }
                    s.rows = c.records.len();
                }
                Reported::Days(c) => {
                    let mut ins = w.tx.prepare_cached(
                        "INSERT INTO reported_day (month, local_id, day, reason, attribution) VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?;
                    for r in &c.records {
                        ins.execute(params![
                            r.month.key(),
                            r.local_id,
                            date_str(r.date),
                            r.reason.code(),
                            r.attribution.label()
                        ])?;
                    }
                    s.rows = c.records.len();
                }
            }
            s.added = s.rows;
            for m in &months {
                w.audit(
                    &AuditEvent::Reported(layout),
                    &m.key(),
                    None,
                    Some(&format!("{} rows", s.rows)),
                )?;
            }
            Ok(s)
        })
    }

    /// The reported totals of a month.
    pub fn reported_totals(&self, month: YearMonth) -> Result<Vec<ReportedTotal>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT la_code, measure, delayed_days FROM reported_total WHERE month = ?1 ORDER BY la_code, measure",
        )?;
        let mut rows = stmt.query(params![month.key()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(ReportedTotal {
                la_code: r.get(0)?,
                measure: r.get(1)?,
                delayed_days: r.get::<_, i64>(2)?.max(0) as u64,
            });
        }
        Ok(out)
    }

    /// The reported patient-level days of a month.
    pub fn reported_days(&self, month: YearMonth) -> Result<Vec<ReportedDay>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT local_id, day, reason, attribution FROM reported_day WHERE month = ?1 ORDER BY local_id, day",
        )?;
        let mut rows = stmt.query(params![month.key()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(ReportedDay {
                local_id: r.get(0)?,
                day: parse_stored_date(&r.get::<_, String>(1)?)?,
                reason: r.get(2)?,
                attribution: r.get(3)?,
            });
        }
        Ok(out)
    }

    /// The authority of each patient the month's reported days name (of their latest stay
    /// admitted before the month ends), to place reported days that have no local counterpart.
    /// Only those patients: the reconciliation looks no other up, and reading every patient's
    /// stays took seconds on a national register.
    pub fn patient_authorities(&self, month: YearMonth) -> Result<BTreeMap<String, String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT pt.local_id, s.la_code FROM patient pt JOIN stay s ON s.patient_id = pt.id
             WHERE pt.local_id IN (SELECT local_id FROM reported_day WHERE month = ?2)
               AND s.admitted_on < ?1
             ORDER BY s.admitted_on",
        )?;
        let rows = stmt.query_map(params![date_str(month.end_exclusive()), month.key()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Marks a difference accepted or contested (replacing an earlier mark of it; the audit log
    /// keeps the history).
    pub fn set_reconcile_mark(&mut self, mark: &ReconcileMark) -> Result<()> {
        let note = mark.note.trim();
        use crate::domain::text::{check_bounded, TextKind, COMMENT_MAX};
        check_bounded("note", note, TextKind::Note, COMMENT_MAX).map_err(Error::invalid)?;
        if note.is_empty() {
            return Err(Error::invalid("a note is needed: say why"));
        }
        let day = mark.day.map(date_str).unwrap_or_default();
        let key = format!(
            "{} {} {}{}",
            mark.month,
            mark.la_code,
            mark.measure.key(),
            if mark.local_id.is_empty() {
                String::new()
            } else {
                format!(" {} {day}", mark.local_id)
            }
        );
        self.write(|w| {
            let old: Option<(String, String)> = w
                .tx
                .query_row(
                    "SELECT status, note FROM reconcile_mark
                     WHERE month = ?1 AND la_code = ?2 AND measure = ?3 AND local_id = ?4 AND day = ?5",
                    params![mark.month, mark.la_code, mark.measure.key(), mark.local_id, day],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            w.tx.execute(
                "INSERT INTO reconcile_mark (month, la_code, measure, local_id, day, status, days, note, marked_by, marked_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT DO UPDATE SET status = excluded.status, days = excluded.days, note = excluded.note,
                     marked_by = excluded.marked_by, marked_at = excluded.marked_at",
                params![
                    mark.month,
                    mark.la_code,
                    mark.measure.key(),
                    mark.local_id,
                    day,
                    mark.status.key(),
                    mark.days as i64,
                    note,
                    w.user,
                    w.at
                ],
            )?;
            w.audit(
                &AuditEvent::ReconcileMark,
                &key,
                old.map(|(s, n)| format!("{s}: {n}")).as_deref(),
                Some(&format!("{} ({} days): {note}", mark.status.key(), mark.days)),
            )
        })
    }

    /// The marks of a month.
    pub fn reconcile_marks(&self, month: YearMonth) -> Result<Vec<ReconcileMark>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT month, la_code, measure, local_id, day, status, days, note, marked_by, marked_at
             FROM reconcile_mark WHERE month = ?1 ORDER BY la_code, measure, local_id, day",
        )?;
        let mut rows = stmt.query(params![month.key()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let day: String = r.get(4)?;
            out.push(ReconcileMark {
                month: r.get(0)?,
                la_code: r.get(1)?,
                measure: r.get(2)?,
                local_id: r.get(3)?,
                day: if day.is_empty() {
                    None
                } else {
                    Some(parse_stored_date(&day)?)
                },
                status: if r.get::<_, String>(5)? == "contested" {
                    MarkStatus::Contested
                } else {
                    MarkStatus::Accepted
                },
                days: r.get::<_, i64>(6)?.max(0) as u64,
                note: r.get(7)?,
                marked_by: r.get(8)?,
                marked_at: r.get(9)?,
            });
        }
        Ok(out)
    }
}
