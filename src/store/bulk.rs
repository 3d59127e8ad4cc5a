//! Bulk loading of generated registers: the national-scale demo (`dtoc demo --scale national`) and
//! the benchmarks write millions of stays through here.
//!
//! Why a second write path beside the CSV import: the import merges each stay with what is stored
//! (a read per stay) and is built for files of thousands of rows; a generator knows its stays are
//! new, so this path only inserts, with prepared statements, in the caller's batches (its stays
//! through the store's one stay writer, `stay_writer`). It keeps the store's guarantees: every
//! batch is one `BEGIN IMMEDIATE` transaction through [`Store::write`], the month counts are
//! updated in the same transaction, and each batch is audited (one entry per batch, saying how
//! many stays it added; a generated register has no per-record history).

use super::audit_event::{AuditEvent, StayEvent};
use super::reference::{Authority, Population, Site};
use super::stay_writer::{Leaving, NewStay};
use super::{date_str, Store};
use crate::domain::LaCode;
use crate::domain::{EndKind, NhsNumber, Pathway, Period, Placement};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::params;

/// A 64 MB page cache for a connection that loads large files (the default is 2 MB).
pub(crate) const LOAD_CACHE: &str = "PRAGMA cache_size = -65536";

/// A new stay with its delays, as a generator makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkStay {
    /// New local id: one patient per stay.
    pub local_id: String,
    pub nhs_number: Option<NhsNumber>,
    /// A site already stored.
    pub site_code: String,
    /// An authority already stored.
    pub la_code: LaCode,
    pub admitted_on: NaiveDate,
    pub discharged_on: Option<NaiveDate>,
    pub pathway: Option<Pathway>,
    pub delays: Vec<BulkDelay>,
}

/// A delay of a [`BulkStay`]: its periods abut (each starts where the one before ended); the ready
/// date is the first period's start; the last period is open exactly when the delay is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkDelay {
    pub end_kind: Option<EndKind>,
    pub planned_pathway: Option<Pathway>,
    pub periods: Vec<Period>,
}

impl BulkDelay {
    /// The day the delay ended (exclusive end of its last period), `None` while open.
    pub fn ended_on(&self) -> Option<NaiveDate> {
        self.periods.last().and_then(|p| p.end)
    }

    fn check(&self, local_id: &str) -> Result<()> {
        let bad = |why: &str| Err(Error::invalid(format!("generated stay {local_id}: {why}")));
        if self.periods.is_empty() {
            return bad("a delay without periods");
        }
        for pair in self.periods.windows(2) {
            if pair[0].end != Some(pair[1].start) {
                return bad("periods of a delay do not abut");
            }
        }
        for p in &self.periods {
            if p.end.is_some_and(|e| e < p.start) {
                return bad("a period ends before it starts");
            }
        }
        if self.ended_on().is_some() != self.end_kind.is_some() {
            return bad("an ended delay needs an end kind, an open one none");
        }
        Ok(())
    }
}

impl Store {
    /// Writes authorities (with names and regions), population estimates, providers and sites in
    /// one transaction, replacing what is stored under the same keys.
    pub fn bulk_reference(
        &mut self,
        authorities: &[Authority],
        populations: &[Population],
        sites: &[Site],
    ) -> Result<()> {
        self.write(|w| {
            let mut la = w.tx.prepare_cached(
                "INSERT INTO local_authority (code, name, region, legacy_code) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO UPDATE SET name = excluded.name, region = excluded.region",
            )?;
            for a in authorities {
                la.execute(params![a.code, a.name, a.region, a.legacy_code])?;
            }
            let mut pop = w.tx.prepare_cached(
                "INSERT INTO population (la_code, year, population_18plus) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO UPDATE SET population_18plus = excluded.population_18plus",
            )?;
            for p in populations {
                pop.execute(params![p.la_code, p.year, p.population_18plus as i64])?;
            }
            let mut provider = w
                .tx
                .prepare_cached("INSERT OR IGNORE INTO provider (code) VALUES (?1)")?;
            let mut site = w.tx.prepare_cached(
                "INSERT INTO site (code, provider_code, name, setting) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO UPDATE SET name = excluded.name",
            )?;
            for s in sites {
                provider.execute(params![s.provider_code])?;
                site.execute(params![s.code, s.provider_code, s.name, s.setting.key()])?;
            }
            w.audit(
                &AuditEvent::ReferenceBulkLoad,
                "*",
                None,
                Some(&format!(
                    "{} authorities, {} population estimates, {} sites",
                    authorities.len(),
                    populations.len(),
                    sites.len()
                )),
            )
        })
    }

    /// Folds the write-ahead log into the database file (after a bulk load, so that the next
    /// opening does not replay it).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Inserts new stays, their patients, delays and periods, and their delayed days into the month
    /// counts, in one transaction (all or nothing). A local id already stored is an error. Returns
    /// the number of periods written.
    pub fn bulk_insert_stays(&mut self, stays: &[BulkStay], source: &str) -> Result<usize> {
        for s in stays {
            for d in &s.delays {
                d.check(&s.local_id)?;
            }
        }
        self.conn.execute_batch(LOAD_CACHE)?;
        self.write(|w| {
            let mut patient =
                w.tx.prepare_cached("INSERT INTO patient (local_id, nhs_number) VALUES (?1, ?2)")?;
            let mut stay = w.stay_inserter()?;
            let mut delay = w.tx.prepare_cached(
                "INSERT INTO delay (stay_id, ready_on, ended_on, end_kind, planned_pathway) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut period = w.tx.prepare_cached(
                "INSERT INTO delay_period (delay_id, start_on, end_on, reason, attribution)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut periods = 0;
            for s in stays {
                let patient_id = patient.insert(params![
                    s.local_id,
                    s.nhs_number.as_ref().map(NhsNumber::as_str)
                ])?;
                let stay_id = stay.insert(&NewStay {
                    patient_id,
                    site: &s.site_code,
                    la: s.la_code.as_str(),
                    admitted_on: s.admitted_on,
                    leaving: Leaving {
                        discharged_on: s.discharged_on,
                        pathway: s.pathway,
                        ..Leaving::default()
                    },
                    place: &Placement::default(),
                })?;
                for d in &s.delays {
                    let delay_id = delay.insert(params![
                        stay_id,
                        date_str(d.periods[0].start),
                        d.ended_on().map(date_str),
                        d.end_kind.map(|k| k.key()),
                        d.planned_pathway
                    ])?;
                    for p in &d.periods {
                        period.execute(params![
                            delay_id,
                            date_str(p.start),
                            p.end.map(date_str),
                            p.reason.code(),
                            p.attribution.label()
                        ])?;
                        periods += 1;
                    }
                }
            }
            w.audit(
                &AuditEvent::Stay(StayEvent::BulkLoad),
                "*",
                None,
                Some(&format!(
                    "{} stays, {periods} periods from {source}",
                    stays.len()
                )),
            )?;
            Ok(periods)
        })
    }
}
