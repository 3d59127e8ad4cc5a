//! Stays of every inpatient (`dtoc import stays`), the facts the discharge and length-of-stay
//! measures read, the census over a range of days, and targets on the discharge shares.
//!
//! A stays file merges with what is stored by patient (`local_id`) and admission date, as the
//! delays import does: the same file twice changes nothing; a newer extract fills in a discharge.
//! A value left empty in the file keeps the stored one.

use super::audit_event::{AuditEvent, ImportFile, StayEvent};
use super::import::err as input_err;
use super::patients::Source;
use super::stay_writer::{Leaving, NewStay};
use super::{date_str, parse_stored_date, Store, Writer};
use crate::domain::{AcuteReason, EndKind, LaCode, StayDelay, StayFacts, YearMonth};
use crate::error::Result;
use crate::import::{Checked, StayRecord};
use crate::store::ImportSummary;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

pub use crate::domain::DischargeTarget;

/// A stay found again must be at the same site and for the same authority as recorded.
pub(super) fn same_place(
    file: &str,
    line: u64,
    (local_id, admitted): (&str, NaiveDate),
    (site, la): (&str, &str),
    (new_site, new_la): (&str, &LaCode),
) -> Result<()> {
    if site != new_site {
        return Err(input_err(
            file,
            line,
            "site",
            new_site,
            format!("the stay of {local_id} admitted {admitted} is recorded at site {site}"),
        ));
    }
    if la != new_la.as_str() {
        return Err(input_err(
            file,
            line,
            "la_code",
            new_la.as_str(),
            format!("the stay of {local_id} admitted {admitted} is recorded for {la}"),
        ));
    }
    Ok(())
}

fn opt_date(s: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
    s.map(|s| parse_stored_date(&s)).transpose()
}

/// A stored stay: id, site, authority, discharge, pathway, destination, usual residence.
type StoredStay = (
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

/// Stays in hospital during `?1..?2`: open, or discharged on or after `?1`, and admitted before `?2`.
/// No ORDER BY: with the `stay_left` index SQLite answers it with two index lookups (MULTI-INDEX OR).
const STAYS_SQL: &str =
    "SELECT s.id, p.local_id, s.site_code, s.la_code, s.admitted_on, s.discharged_on, s.pathway,
                    s.destination, s.usual_residence
             FROM stay s JOIN patient p ON p.id = s.patient_id
             WHERE s.admitted_on < ?2 AND (s.discharged_on IS NULL OR s.discharged_on >= ?1)";

/// The delays and periods of those stays.
const DELAYS_SQL: &str = "SELECT d.stay_id, d.id, d.ready_on, d.ended_on, d.end_kind, p.start_on, p.end_on, p.acute_reason
             FROM delay d JOIN delay_period p ON p.delay_id = d.id
             WHERE d.stay_id IN (SELECT s.id FROM stay s
                 WHERE s.admitted_on < ?2 AND (s.discharged_on IS NULL OR s.discharged_on >= ?1))
             ORDER BY d.stay_id, d.ready_on, p.start_on";

impl Store {
    /// Applies a checked stays file, all or nothing.
    pub fn import_stays(&mut self, checked: &Checked<StayRecord>) -> Result<ImportSummary> {
        let file = checked.file.as_str();
        let mut s = ImportSummary {
            rows: checked.records.len(),
            warnings: checked.warnings.clone(),
            ..Default::default()
        };
        let lines = checked
            .records
            .iter()
            .map(|r| (r.line, r.local_id.as_str(), r.admitted_on));
        self.write(|w| {
            let mut seen: HashMap<&str, ()> = HashMap::new();
            for r in &checked.records {
                if seen.insert(&r.site, ()).is_none() {
                    let known: Option<String> = w
                        .tx
                        .query_row(
                            "SELECT code FROM site WHERE code = ?1",
                            params![r.site],
                            |x| x.get(0),
                        )
                        .optional()?;
                    if known.is_none() {
                        return Err(input_err(
                            file,
                            r.line,
                            "site",
                            &r.site,
                            "is not a site of the register (add it in Settings, or import delays first)"
                                .to_string(),
                        ));
                    }
                }
                w.ensure_la(&r.la_code)?;
            }
            for r in &checked.records {
                match w.import_one_stay(file, r)? {
                    Merge::Added => s.added += 1,
                    Merge::Updated => s.updated += 1,
                    Merge::Unchanged => s.unchanged += 1,
                }
            }
            if s.added + s.updated > 0 {
                w.audit(
                    &AuditEvent::Import(ImportFile::Stays),
                    file,
                    None,
                    Some(&format!(
                        "{} rows: {} added, {} updated",
                        s.rows, s.added, s.updated
                    )),
                )?;
            }
            Ok(())
        })
        .map_err(|e| super::import::clash_in_file(file, lines, e))?;
        Ok(s)
    }

    /// Stays that overlap `from..to` (exclusive): admitted before `to` and not discharged before
    /// `from`, with their delays; only of the given authorities when `las` is not empty.
    pub fn stay_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        las: &[LaCode],
    ) -> Result<Vec<StayFacts>> {
        // A stay whose delay ended with a transfer has no discharge date: it stays in the range,
        // and the measures use the delay's end (StayFacts::left_on).
        let mut stmt = self.conn.prepare_cached(STAYS_SQL)?;
        let mut out: Vec<StayFacts> = Vec::new();
        let mut rows = stmt.query(params![date_str(from), date_str(to)])?;
        while let Some(r) = rows.next()? {
            let la: LaCode = r.get(3)?;
            if !las.is_empty() && !las.contains(&la) {
                continue;
            }
            out.push(StayFacts {
                stay_id: r.get(0)?,
                local_id: r.get(1)?,
                site_code: r.get(2)?,
                la_code: la,
                admitted_on: parse_stored_date(&r.get::<_, String>(4)?)?,
                discharged_on: opt_date(r.get(5)?)?,
                pathway: r.get(6)?,
                destination: r.get(7)?,
                usual_residence: r.get::<_, Option<i64>>(8)?.map(|u| u != 0),
                delays: Vec::new(),
            });
        }
        // Sorted here rather than by ORDER BY, which would turn the index lookups into a scan.
        out.sort_by_key(|s| s.stay_id);
        let index: HashMap<i64, usize> = out
            .iter()
            .enumerate()
            .map(|(i, s)| (s.stay_id, i))
            .collect();
        let mut stmt = self.conn.prepare_cached(DELAYS_SQL)?;
        let mut rows = stmt.query(params![date_str(from), date_str(to)])?;
        let mut last_delay: Option<i64> = None;
        while let Some(r) = rows.next()? {
            let Some(&i) = index.get(&r.get::<_, i64>(0)?) else {
                continue;
            };
            let delay_id: i64 = r.get(1)?;
            let period = (
                parse_stored_date(&r.get::<_, String>(5)?)?,
                opt_date(r.get(6)?)?,
                r.get::<_, Option<String>>(7)?
                    .and_then(|a| AcuteReason::parse(&a).ok()),
            );
            let delays = &mut out[i].delays;
            match delays.last_mut() {
                Some(d) if last_delay == Some(delay_id) => d.periods.push(period),
                _ => delays.push(StayDelay {
                    ready_on: parse_stored_date(&r.get::<_, String>(2)?)?,
                    ended_on: opt_date(r.get(3)?)?,
                    end_kind: r
                        .get::<_, Option<String>>(4)?
                        .and_then(|k| EndKind::parse(&k).ok()),
                    periods: vec![period],
                }),
            }
            last_delay = Some(delay_id);
        }
        Ok(out)
    }

    /// SQLite's plan of the two queries of [`Store::stay_facts`] (tests: no table scan of stays).
    #[doc(hidden)]
    pub fn stay_facts_plan(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for sql in [STAYS_SQL, DELAYS_SQL] {
            let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let mut rows = stmt.query(params!["2018-07-01", "2018-08-01"])?;
            while let Some(r) = rows.next()? {
                out.push(r.get::<_, String>(3)?);
            }
        }
        Ok(out)
    }

    /// The census from `from` to `to` (inclusive): (day, site, authority, inpatients).
    pub fn census_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, String, LaCode, u32)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT day, site_code, la_code, inpatients FROM census WHERE day BETWEEN ?1 AND ?2
             ORDER BY day, site_code, la_code",
        )?;
        let mut rows = stmt.query(params![date_str(from), date_str(to)])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push((
                parse_stored_date(&r.get::<_, String>(0)?)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
            ));
        }
        Ok(out)
    }

    /// Targets on the discharge shares from `from` to `to`.
    pub fn discharge_targets(
        &self,
        from: YearMonth,
        to: YearMonth,
    ) -> Result<Vec<DischargeTarget>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT la_code, month, measure, percent FROM discharge_target WHERE month BETWEEN ?1 AND ?2
             ORDER BY la_code, month, measure",
        )?;
        let mut rows = stmt.query(params![from.key(), to.key()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            // A row dtoc cannot read back is left out, as a target that breaks its rules is.
            let (Ok(la), Ok(month), Ok(measure)) = (r.get(0), r.get(1), r.get(2)) else {
                continue;
            };
            out.extend(DischargeTarget::new(la, month, measure, r.get(3)?).ok());
        }
        Ok(out)
    }

    /// Sets (or replaces) a target on a discharge share.
    pub fn set_discharge_target(&mut self, t: &DischargeTarget) -> Result<()> {
        // Built by DischargeTarget::new (its rules checked); checked again for a value set on the struct.
        let t = DischargeTarget::new(t.la_code.clone(), t.month, t.measure, t.percent)?;
        self.write(|w| w.set_discharge_target(&t.la_code, &t))
    }

    /// Applies targets on discharge shares read by `crate::import::read_discharge_targets`.
    pub fn import_discharge_targets(
        &mut self,
        checked: &Checked<crate::import::DischargeTargetRecord>,
    ) -> Result<ImportSummary> {
        let mut s = ImportSummary {
            rows: checked.records.len(),
            ..Default::default()
        };
        self.write(|w| {
            for r in &checked.records {
                let t = DischargeTarget::new(r.la_code.clone(), r.month, r.measure, r.percent)?;
                let old: Option<f64> = w
                    .tx
                    .query_row(
                        "SELECT percent FROM discharge_target WHERE la_code = ?1 AND month = ?2 AND measure = ?3",
                        params![t.la_code.as_str(), t.month.key(), t.measure.key()],
                        |x| x.get(0),
                    )
                    .optional()?;
                match old {
                    Some(o) if o == t.percent => s.unchanged += 1,
                    Some(_) => s.updated += 1,
                    None => s.added += 1,
                }
                if old != Some(t.percent) {
                    w.set_discharge_target(&r.la_code, &t)?;
                }
            }
            Ok(())
        })?;
        Ok(s)
    }
}

enum Merge {
    Added,
    Updated,
    Unchanged,
}

impl Writer<'_> {
    fn set_discharge_target(&self, la: &LaCode, t: &DischargeTarget) -> Result<()> {
        self.ensure_la(la)?;
        let old: Option<f64> = self
            .tx
            .query_row(
                "SELECT percent FROM discharge_target WHERE la_code = ?1 AND month = ?2 AND measure = ?3",
                params![la.as_str(), t.month.key(), t.measure.key()],
                |x| x.get(0),
            )
            .optional()?;
        self.tx.execute(
            "INSERT INTO discharge_target (la_code, month, measure, percent) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO UPDATE SET percent = excluded.percent",
            params![la.as_str(), t.month.key(), t.measure.key(), t.percent],
        )?;
        self.audit(
            &AuditEvent::DischargeTarget,
            &format!("{la} {} {}", t.month, t.measure),
            old.map(|o| t.measure.show_target(o)).as_deref(),
            Some(&t.measure.show_target(t.percent)),
        )
    }

    fn import_one_stay(&self, file: &str, r: &StayRecord) -> Result<Merge> {
        let (patient_id, _) = self.patient_for(
            &r.local_id,
            r.nhs_number.as_ref(),
            Source::Import { file, line: r.line },
        )?;
        let stored: Option<StoredStay> = self
            .tx
            .prepare_cached(
                "SELECT id, site_code, la_code, discharged_on, pathway, destination, usual_residence
                 FROM stay WHERE patient_id = ?1 AND admitted_on = ?2",
            )?
            .query_row(params![patient_id, date_str(r.admitted_on)], |x| {
                Ok((
                    x.get(0)?,
                    x.get(1)?,
                    x.get(2)?,
                    x.get(3)?,
                    x.get(4)?,
                    x.get(5)?,
                    x.get(6)?,
                ))
            })
            .optional()?;
        let leaving = Leaving {
            discharged_on: r.discharged_on,
            pathway: r.pathway,
            destination: r.destination.map(|d| d.code()),
            usual_residence: r.usual_residence,
        };
        let dis = leaving.discharged_on.map(date_str);
        let pathway = leaving.pathway_number();
        let dest = leaving.destination.map(str::to_string);
        let usual = leaving.usual_residence.map(i64::from);
        let Some((id, site, la, s_dis, s_pw, s_dest, s_usual)) = stored else {
            // One bed at a time: the new stay must not overlap a stored one of the same patient.
            let clash: Option<(String, Option<String>)> = self
                .tx
                .query_row(
                    "SELECT admitted_on, discharged_on FROM stay WHERE patient_id = ?1
                     AND admitted_on < coalesce(?3, '9999-12-31')
                     AND (discharged_on IS NULL OR discharged_on > ?2) LIMIT 1",
                    params![patient_id, date_str(r.admitted_on), dis],
                    |x| Ok((x.get(0)?, x.get(1)?)),
                )
                .optional()?;
            if let Some((a, d)) = clash {
                return Err(input_err(
                    file,
                    r.line,
                    "admitted_on",
                    &r.admitted_on.to_string(),
                    format!(
                        "overlaps the stay of {} admitted {a}{} already recorded (one bed at a time)",
                        r.local_id,
                        d.map_or(" and not discharged".to_string(), |d| format!(" to {d}"))
                    ),
                ));
            }
            self.insert_stay(&NewStay {
                patient_id,
                site: &r.site,
                la: r.la_code.as_str(),
                admitted_on: r.admitted_on,
                leaving,
                place: &r.place,
            })?;
            return Ok(Merge::Added);
        };
        same_place(
            file,
            r.line,
            (&r.local_id, r.admitted_on),
            (&site, &la),
            (&r.site, &r.la_code),
        )?;
        let new_dis = dis.clone().or(s_dis.clone());
        let new = (
            new_dis.clone(),
            pathway.or(s_pw),
            dest.clone().or(s_dest.clone()),
            usual.or(s_usual),
        );
        let placed = self.merge_placement(id, &r.place)?;
        if new == (s_dis.clone(), s_pw, s_dest.clone(), s_usual) {
            return Ok(if placed {
                Merge::Updated
            } else {
                Merge::Unchanged
            });
        }
        // A discharge must not cut a delay short: the delays of the stay end by then.
        if let Some(d) = &dis {
            let late: Option<(String, Option<String>)> = self
                .tx
                .query_row(
                    "SELECT ready_on, ended_on FROM delay WHERE stay_id = ?1
                     AND (ended_on IS NULL OR ended_on > ?2 OR ready_on > ?2) LIMIT 1",
                    params![id, d],
                    |x| Ok((x.get(0)?, x.get(1)?)),
                )
                .optional()?;
            if let Some((ready, ended)) = late {
                return Err(input_err(
                    file,
                    r.line,
                    "discharged_on",
                    d,
                    match ended {
                        None => format!(
                            "the stay has a delay still open from {ready}: end it as discharged on {d} first"
                        ),
                        Some(e) => format!("the stay has a delay from {ready} to {e}, after this discharge"),
                    },
                ));
            }
        }
        self.tx.execute(
            "UPDATE stay SET discharged_on = ?1, pathway = ?2, destination = ?3, usual_residence = ?4,
             version = version + 1 WHERE id = ?5",
            params![new.0, new.1, new.2, new.3, id],
        )?;
        self.audit(
            &AuditEvent::Stay(StayEvent::ImportDischarge),
            &id.to_string(),
            Some(&format!(
                "{} pathway {} to {} usual {}",
                s_dis.as_deref().unwrap_or("-"),
                s_pw.map_or("-".to_string(), |p| p.to_string()),
                s_dest.as_deref().unwrap_or("-"),
                s_usual.map_or("-".to_string(), |u| u.to_string())
            )),
            Some(&format!(
                "{} pathway {} to {} usual {} ({file})",
                new.0.as_deref().unwrap_or("-"),
                new.1.map_or("-".to_string(), |p| p.to_string()),
                new.2.as_deref().unwrap_or("-"),
                new.3.map_or("-".to_string(), |u| u.to_string())
            )),
        )?;
        Ok(Merge::Updated)
    }
}
