//! The bulk path of `dtoc import delays`: a large file into a register with nothing to merge with.
//!
//! When the register holds no patient, no stay and no active sign-off (a fresh database, or one
//! holding only reference data), every stay of the file is new: there is nothing stored to look up
//! per stay, no frozen week to guard, and the result is fixed by the file alone. So instead of the
//! row path's merge (a look-up of patient, stay and delays per stay, index maintenance per row,
//! temporary triggers noting every change), this path
//!
//! 1. plans the whole register in memory from the checked rows, sorted by stay (local id, then
//!    admission: the row path's order, so the ids, the rows and the audit come out the same);
//! 2. in the same one `BEGIN IMMEDIATE` transaction ([`Store::write`]), drops the secondary indexes
//!    of the four register tables and the connection's temporary triggers, inserts in rowid order
//!    with prepared statements (each unique key grows at its end), and rebuilds the indexes from
//!    the stored rows (SQLite sorts once instead of maintaining each index row by row);
//! 3. counts the closed periods' delayed days in memory (`domain::days_by_month`, the counting
//!    rule) and writes `month_count` once;
//! 4. checks the register's rules (one bed at a time, no delay outlasting its stay) in memory over
//!    the planned stays; only when that finds a possible clash are the touched patients handed to
//!    the row path's own checks (the same SQL, so the same error and line).
//!
//! All or nothing as before: any error rolls the transaction back, indexes and triggers included
//! (DDL is transactional in SQLite), and the triggers are installed again after it either way.
//!
//! Why in place rather than in a new file renamed over the old one: the caller holds an open
//! [`Store`] (and the app may hold another connection to the same file); one transaction keeps
//! every guarantee of [`Store::write`] (the write lock, rollback, WAL durability) without
//! swapping files under open connections.

use super::audit_event::{AuditEvent, PatientEvent};
use super::batched::{Batched, Cell};
use super::import::{clash_in_file, err, ImportSummary};
use super::stay_writer::{Leaving, NewStay, StayBatch};
use super::{install_triggers, Store, Writer};
use crate::domain::{
    days_by_month, AcuteReason, Attribution, EndKind, NhsNumber, Placement, ReasonCode, YearMonth,
};
use crate::error::{Error, Result};
use crate::import::{Checked, DelayRecord};
use crate::progress::{Progress, Unit};
use chrono::NaiveDate;
use rusqlite::params;
use std::collections::HashMap;

/// The four tables of the register whose secondary indexes are rebuilt after a bulk load.
const REGISTER_TABLES: &str = "'patient', 'stay', 'delay', 'delay_period'";

/// How many rows between two progress reports.
const STEP: usize = 16_384;

/// One period as it will be stored.
struct PlanPeriod<'a> {
    start: NaiveDate,
    end: Option<NaiveDate>,
    reason: ReasonCode,
    attribution: Attribution,
    acute_reason: Option<AcuteReason>,
    /// The row's own end kind, or `discharged` when it was ended at the stay's discharge.
    end_kind: Option<EndKind>,
    rec: &'a DelayRecord,
}

/// One stay as it will be stored: its rows (in file order) and its delays (abutting periods).
struct PlanStay<'a> {
    rows: Vec<&'a DelayRecord>,
    /// Whether this stay's patient is first seen here (its first stay in local-id order).
    new_patient: bool,
    /// The NHS number the patient is stored with in the end (the first given).
    patient_nhs: Option<&'a NhsNumber>,
    /// An NHS number this stay adds to a patient stored without one (audited, masked).
    nhs_added: Option<&'a NhsNumber>,
    leaving: Leaving<'a>,
    place: Placement,
    delays: Vec<Vec<PlanPeriod<'a>>>,
}

impl Store {
    /// Whether the bulk path applies: nothing stored to merge with and no week signed off.
    pub(super) fn bulk_applies(&self, checked: &Checked<DelayRecord>) -> Result<bool> {
        bulk_applies(&self.conn, checked)
    }

    /// The bulk path (see the module), when it still applies once this write holds the lock:
    /// `None` when another import filled the register between the caller's look and the lock
    /// (nothing written; the caller takes the row path, which merges with what that import
    /// stored). Deciding inside the transaction makes two imports at once give the result of one
    /// after the other.
    pub(super) fn import_delays_bulk(
        &mut self,
        checked: &Checked<DelayRecord>,
        progress: &dyn Progress,
    ) -> Result<Option<ImportSummary>> {
        let file = checked.file.as_str();
        let records = &checked.records;
        let mut summary = ImportSummary {
            rows: records.len(),
            added: records.len(),
            warnings: checked.warnings.clone(),
            ..Default::default()
        };
        let lines = records
            .iter()
            .map(|r| (r.line, r.local_id.as_str(), r.admitted_on));
        // The foreign keys hold by construction here (every id is the plan's, every site and
        // authority was added first), and checking them is a look-up per row: off for this write
        // (the pragma cannot change inside a transaction), on again after it whatever happened.
        // `threads`: SQLite's sorter may use a second core to build the indexes.
        self.conn
            .execute_batch("PRAGMA foreign_keys = OFF; PRAGMA threads = 2")?;
        let result = self.write(|w| {
            if !bulk_applies(w.tx, checked)? {
                return Ok(false);
            }
            w.reference_from_file(file, records)?;
            let stays = plan(file, records)?;
            summary.ended_at_discharge = stays
                .iter()
                .flat_map(|s| s.delays.iter().flatten())
                .filter(|p| p.rec.end.is_none() && p.end.is_some())
                .count();
            // The second core counts the delayed days and checks the register's rules in memory
            // while this one writes and indexes.
            let (counts, clear) = std::thread::scope(|sc| -> Result<_> {
                let side = sc.spawn(|| (count(&stays), register_clear(&stays)));
                drop_triggers(w)?;
                let indexes = drop_indexes(w)?;
                progress.phase("writing", Some(records.len() as u64), Unit::Rows);
                insert(w, &stays, progress)?;
                progress.phase("indexing", Some(indexes.len() as u64), Unit::Steps);
                for sql in &indexes {
                    w.tx.execute_batch(sql)?;
                    progress.advance(1);
                }
                side.join()
                    .map_err(|_| Error::Stored("the thread counting delayed days stopped".into()))
            })?;
            progress.phase("counting", Some(counts.len() as u64), Unit::Rows);
            write_counts(w, &counts)?;
            progress.advance(counts.len() as u64);
            install_triggers(w.tx)?;
            if !clear {
                // A possible clash: the row path's own checks over every patient decide (the
                // write's check_register, with the same SQL, names the same stays and line).
                w.tx.execute(
                    "INSERT OR IGNORE INTO temp.touched_patient SELECT id FROM patient",
                    [],
                )?;
                summary.ended_at_discharge +=
                    w.end_at_discharge(true, &format!("import {file}"))?.len();
            }
            w.audit_import(file, &summary)?;
            Ok(true)
        });
        // The temporary triggers come back whatever happened (a rollback restores them too).
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA threads = 0")?;
        install_triggers(&self.conn)?;
        let applied = result.map_err(|e| clash_in_file(file, lines, e))?;
        Ok(applied.then_some(summary))
    }
}

/// Whether the bulk path applies on `conn`: the file corrects no stay, and the register holds no
/// patient, no stay and no active sign-off (nothing stored to merge with, no week to guard).
fn bulk_applies(conn: &rusqlite::Connection, checked: &Checked<DelayRecord>) -> Result<bool> {
    if checked.records.iter().any(|r| r.corrects.is_some()) {
        return Ok(false);
    }
    let stored: i64 = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM patient) + EXISTS (SELECT 1 FROM stay)
              + EXISTS (SELECT 1 FROM signoff WHERE cleared_at IS NULL)",
        [],
        |r| r.get(0),
    )?;
    Ok(stored == 0)
}

/// The register the file makes, stay by stay in the row path's order, with the errors the row
/// path would meet on an empty register (an NHS number differing between stays of one local id).
fn plan<'a>(file: &str, records: &'a [DelayRecord]) -> Result<Vec<PlanStay<'a>>> {
    let mut order: Vec<usize> = (0..records.len()).collect();
    // Stable within a stay: its rows stay in file order, as the row path groups them.
    order.sort_unstable_by(|&a, &b| {
        let (x, y) = (&records[a], &records[b]);
        (x.local_id.as_str(), x.admitted_on, a).cmp(&(y.local_id.as_str(), y.admitted_on, b))
    });
    let mut stays: Vec<PlanStay<'a>> = Vec::new();
    let mut i = 0;
    let mut patient_nhs: Option<&NhsNumber> = None;
    let mut last_local: Option<&str> = None;
    let mut nhs_fix: Vec<(usize, usize)> = Vec::new(); // (first stay of the patient, up to)
    while i < order.len() {
        let first = &records[order[i]];
        let mut j = i + 1;
        while j < order.len() {
            let r = &records[order[j]];
            if r.local_id != first.local_id || r.admitted_on != first.admitted_on {
                break;
            }
            j += 1;
        }
        let rows: Vec<&DelayRecord> = order[i..j].iter().map(|&k| &records[k]).collect();
        i = j;
        // The patient: new at its first stay; a later stay may add an NHS number (audited) or
        // give a different one (refused, as the row path's patient look-up does).
        let new_patient = last_local != Some(first.local_id.as_str());
        let mut nhs_added = None;
        if new_patient {
            patient_nhs = first.nhs_number.as_ref();
            last_local = Some(first.local_id.as_str());
            nhs_fix.push((stays.len(), stays.len()));
        } else {
            match (patient_nhs, first.nhs_number.as_ref()) {
                (Some(s), Some(n)) if s != n => {
                    return Err(err(
                        file,
                        first.line,
                        "nhs_number",
                        "(hidden)",
                        format!(
                            "local id {} is recorded with a different NHS number",
                            first.local_id
                        ),
                    ));
                }
                (None, Some(n)) => {
                    nhs_added = Some(n);
                    patient_nhs = Some(n);
                }
                _ => {}
            }
        }
        if let Some(last) = nhs_fix.last_mut() {
            last.1 = stays.len() + 1;
        }
        let leaving = Leaving::of_rows(&rows);
        let discharge = leaving.discharged_on;
        let place = super::import::placement_of(rows.iter().copied());
        // Periods by start (the reader refused two rows of a stay with one start), each open one
        // of a discharged stay ended at the discharge; abutting periods make one delay.
        let mut by_start = rows.clone();
        by_start.sort_by_key(|r| r.start);
        let mut delays: Vec<Vec<PlanPeriod<'a>>> = Vec::new();
        for r in by_start {
            let (end, end_kind, _) = super::import::row_end(r, discharge);
            let p = PlanPeriod {
                start: r.start,
                end,
                reason: r.reason,
                attribution: r.attribution,
                acute_reason: r.acute_reason,
                end_kind,
                rec: r,
            };
            match delays.last_mut() {
                Some(g) if g.last().and_then(|l| l.end) == Some(p.start) => g.push(p),
                _ => delays.push(vec![p]),
            }
        }
        stays.push(PlanStay {
            rows,
            new_patient,
            patient_nhs,
            nhs_added,
            leaving,
            place,
            delays,
        });
    }
    // Every stay of a patient carries the NHS number the patient ends with.
    for (from, to) in nhs_fix {
        let nhs = stays[to - 1].patient_nhs;
        for s in &mut stays[from..to] {
            s.patient_nhs = nhs;
        }
    }
    Ok(stays)
}

/// The end kind of a delay whose last period is `last` (the row path's rule for a new stay).
fn end_kind_of(last: &PlanPeriod<'_>, discharge: Option<NaiveDate>) -> Option<EndKind> {
    last.end.map(|e| {
        last.end_kind.unwrap_or(if discharge == Some(e) {
            EndKind::Discharged
        } else {
            EndKind::UnfitAgain
        })
    })
}

/// Drops the connection's temporary triggers (the count upkeep, freeze guard and register notes):
/// this path counts and checks the whole file itself.
fn drop_triggers(w: &Writer<'_>) -> Result<()> {
    let names: Vec<String> = {
        let mut stmt =
            w.tx.prepare("SELECT name FROM temp.sqlite_schema WHERE type = 'trigger'")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for n in names {
        w.tx.execute_batch(&format!("DROP TRIGGER temp.\"{n}\""))?;
    }
    Ok(())
}

/// Drops the secondary indexes of the register's tables; returns their `CREATE INDEX` statements
/// as stored, to build them again after the load.
fn drop_indexes(w: &Writer<'_>) -> Result<Vec<String>> {
    let found: Vec<(String, String)> = {
        let mut stmt = w.tx.prepare(&format!(
            "SELECT name, sql FROM main.sqlite_schema
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({REGISTER_TABLES})
             ORDER BY rowid"
        ))?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (name, _) in &found {
        w.tx.execute_batch(&format!("DROP INDEX main.\"{name}\""))?;
    }
    Ok(found.into_iter().map(|(_, sql)| sql).collect())
}

/// The next id SQLite would give a row of `table` (one more than the largest).
fn next_id(w: &Writer<'_>, table: &str) -> Result<i64> {
    Ok(w.tx.query_row(
        &format!("SELECT coalesce(max(id), 0) + 1 FROM {table}"),
        [],
        |r| r.get(0),
    )?)
}

/// Inserts the planned patients, stays, delays and periods in rowid order (the ids SQLite would
/// give them one by one, as the row path does), with the audit entries the row path writes for
/// them (an NHS number added to a patient, a stay's ward, bed and expected date), in its order.
fn insert(w: &Writer<'_>, stays: &[PlanStay<'_>], progress: &dyn Progress) -> Result<()> {
    let mut patient = Batched::<3>::new(w, "INSERT INTO patient (id, local_id, nhs_number)")?;
    let mut stay = StayBatch::new(w)?;
    let mut delay = Batched::<6>::new(
        w,
        "INSERT INTO delay (id, stay_id, ready_on, ended_on, end_kind, planned_pathway)",
    )?;
    let mut period = Batched::<7>::new(
        w,
        "INSERT INTO delay_period (id, delay_id, start_on, end_on, reason, attribution, acute_reason)",
    )?;
    let (mut patient_id, mut stay_id) = (next_id(w, "patient")? - 1, next_id(w, "stay")? - 1);
    let (mut delay_id, mut period_id) = (next_id(w, "delay")? - 1, next_id(w, "delay_period")? - 1);
    let (mut done, mut told) = (0, 0);
    for s in stays {
        let first = s.rows[0];
        if s.new_patient {
            patient_id += 1;
            patient.push([
                Cell::Int(patient_id),
                Cell::Text(&first.local_id),
                Cell::text(s.patient_nhs.map(NhsNumber::as_str)),
            ])?;
        }
        // The audit in the row path's order: per stay, the patient's, then the placement's.
        if let Some(n) = s.nhs_added {
            w.audit(
                &AuditEvent::Patient(PatientEvent::ImportNhsNumber),
                &patient_id.to_string(),
                None,
                Some(&n.masked()),
            )?;
        }
        stay_id += 1;
        stay.push(
            stay_id,
            &NewStay {
                patient_id,
                site: &first.site,
                la: first.la_code.as_str(),
                admitted_on: first.admitted_on,
                leaving: s.leaving,
                place: &s.place,
            },
        )?;
        for g in &s.delays {
            let last = &g[g.len() - 1];
            delay_id += 1;
            delay.push([
                Cell::Int(delay_id),
                Cell::Int(stay_id),
                Cell::date(Some(g[0].start)),
                Cell::date(last.end),
                Cell::text(end_kind_of(last, s.leaving.discharged_on).map(|k| k.key())),
                Cell::int(
                    super::import::planned_of(g.iter().map(|p| p.rec.planned_pathway))
                        .map(|p| i64::from(p.number())),
                ),
            ])?;
            for p in g {
                period_id += 1;
                period.push([
                    Cell::Int(period_id),
                    Cell::Int(delay_id),
                    Cell::date(Some(p.start)),
                    Cell::date(p.end),
                    Cell::Text(p.reason.code()),
                    Cell::Text(p.attribution.label()),
                    Cell::text(p.acute_reason.map(|a| a.code())),
                ])?;
            }
        }
        done += s.rows.len();
        if done - told >= STEP {
            progress.advance((done - told) as u64);
            told = done;
        }
    }
    patient.finish()?;
    stay.finish()?;
    delay.finish()?;
    period.finish()?;
    progress.advance((done - told) as u64);
    Ok(())
}

/// A key of `month_count`: month, authority, site, reason, attribution.
type CountKey<'a> = (YearMonth, &'a str, &'a str, &'static str, &'static str);

/// The month counts of the closed periods, summed in memory (the counting rule of
/// `domain::days_by_month`), in key order.
fn count<'a>(stays: &[PlanStay<'a>]) -> Vec<(CountKey<'a>, i64)> {
    let mut counts: HashMap<CountKey<'a>, i64> = HashMap::new();
    for s in stays {
        let first = s.rows[0];
        for p in s.delays.iter().flatten() {
            let Some(end) = p.end else { continue };
            for (month, days) in days_by_month(p.start, end) {
                *counts
                    .entry((
                        month,
                        first.la_code.as_str(),
                        first.site.as_str(),
                        p.reason.code(),
                        p.attribution.label(),
                    ))
                    .or_default() += i64::from(days);
            }
        }
    }
    let mut counts: Vec<(CountKey<'a>, i64)> = counts.into_iter().filter(|(_, d)| *d > 0).collect();
    counts.sort_unstable();
    counts
}

/// Writes the month counts once (added to any stored under the same key).
fn write_counts(w: &Writer<'_>, counts: &[(CountKey<'_>, i64)]) -> Result<()> {
    let mut up = w.tx.prepare(
        "INSERT INTO month_count (month, la_code, site_code, reason, attribution, days)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT DO UPDATE SET days = days + excluded.days",
    )?;
    for ((m, la, site, r, a), d) in counts {
        up.execute(params![m.key(), la, site, r, a, d])?;
    }
    Ok(())
}

/// Whether the planned register certainly keeps the rules of `store::register` (one bed at a time
/// per patient and per NHS number, no open delay on a discharged stay). Errs on the side of doubt:
/// `false` only means the exact checks must look.
fn register_clear(stays: &[PlanStay<'_>]) -> bool {
    const NEVER: NaiveDate = NaiveDate::MAX;
    // A person: the NHS number the patient ends with, else the patient (its local id).
    fn person<'a>(s: &PlanStay<'a>) -> (u8, &'a str) {
        match s.patient_nhs {
            Some(n) => (0, n.as_str()),
            None => (1, s.rows[0].local_id.as_str()),
        }
    }
    let mut beds: Vec<((u8, &str), NaiveDate, NaiveDate)> = Vec::with_capacity(stays.len());
    let mut delays: Vec<((u8, &str), NaiveDate, NaiveDate)> = Vec::with_capacity(stays.len());
    for s in stays {
        let who = person(s);
        let mut left = s.leaving.discharged_on;
        for g in &s.delays {
            let last = &g[g.len() - 1];
            let end = last.end;
            if end.is_none() && s.leaving.discharged_on.is_some() {
                return false;
            }
            if s.leaving.discharged_on.is_none()
                && matches!(
                    end_kind_of(last, s.leaving.discharged_on),
                    Some(EndKind::Transferred | EndKind::Died)
                )
            {
                left = left.max(end);
            }
            delays.push((who, g[0].start, end.unwrap_or(NEVER)));
        }
        beds.push((who, s.rows[0].admitted_on, left.unwrap_or(NEVER)));
    }
    // Sorted by person and start, a span starting before the latest end of the person's earlier
    // spans may overlap one of them.
    let overlapping = |v: &mut Vec<((u8, &str), NaiveDate, NaiveDate)>| {
        v.sort_unstable();
        let mut latest: Option<((u8, &str), NaiveDate)> = None;
        v.iter().any(|(who, start, end)| {
            let clash = matches!(latest, Some((w, e)) if w == *who && *start < e);
            latest = match latest {
                Some((w, e)) if w == *who => Some((w, e.max(*end))),
                _ => Some((*who, *end)),
            };
            clash
        })
    };
    !overlapping(&mut beds) && !overlapping(&mut delays)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut d = NaiveDate::from_ymd_opt(1899, 12, 25).unwrap();
        let until = NaiveDate::from_ymd_opt(2101, 3, 2).unwrap();
        while d < until {
            assert_eq!(
                super::super::DateText::new(d).as_str(),
                d.format("%Y-%m-%d").to_string()
            );
            d = d.succ_opt().unwrap();
        }
        for d in [
            NaiveDate::MIN,
            NaiveDate::MAX,
            NaiveDate::from_ymd_opt(9, 1, 2).unwrap(),
        ] {
            assert_eq!(super::super::date_str(d), d.format("%Y-%m-%d").to_string());
        }
    }
}
