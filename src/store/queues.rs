//! The delays as the pathway queues see them (issue 27): each delay's ready date, end date,
//! pathway, site and authority.

use super::{date_str, parse_stored_date, Store};
use crate::domain::{LaCode, Pathway};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::params;

/// One delay as a queue sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueDelay {
    pub ready_on: NaiveDate,
    /// `None` while the delay is open.
    pub ended_on: Option<NaiveDate>,
    /// The planned pathway; for an ended delay without one, its stay's discharge pathway; `None`
    /// when neither is known.
    pub pathway: Option<Pathway>,
    pub site_code: String,
    pub la_code: LaCode,
}

/// Which delays: those waiting on some day of `from..=to` (ready by `to`, not ended before
/// `from`), of the given authorities and sites (all when empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub las: Vec<LaCode>,
    pub sites: Vec<String>,
}

// Open delays and those ended since `from`: two lookups on `delay_open` (a MULTI-INDEX OR plan),
// each stay by its key.
const QUEUE_SQL: &str = "SELECT d.ready_on, d.ended_on,
        coalesce(d.planned_pathway, CASE WHEN d.ended_on IS NOT NULL THEN s.pathway END),
        s.site_code, s.la_code
    FROM delay d JOIN stay s ON s.id = d.stay_id
    WHERE (d.ended_on IS NULL OR d.ended_on >= ?1) AND d.ready_on <= ?2";

// The register's last entry: the latest day on or before ?1 on which a delay period began (a
// delay ready, a reason changed) or ended. Two lookups on `period_start` and `period_end`.
const LAST_ENTRY_SQL: &str = "SELECT max(d) FROM (
        SELECT max(start_on) AS d FROM delay_period WHERE start_on <= ?1
        UNION ALL
        SELECT max(end_on) FROM delay_period WHERE end_on <= ?1)";

impl Store {
    /// The register's last entry on or before `today`: the latest day on which a delay became
    /// ready, changed reason or ended (`None` when none did). Later days of a back-dated `today`
    /// are not counted.
    pub fn last_entry(&self, today: NaiveDate) -> Result<Option<NaiveDate>> {
        let mut stmt = self.conn.prepare_cached(LAST_ENTRY_SQL)?;
        let day: Option<String> = stmt.query_row(params![date_str(today)], |r| r.get(0))?;
        Ok(day.as_deref().map(parse_stored_date).transpose()?)
    }

    /// SQLite's plan of [`Store::last_entry`] (tests: two index lookups, no scan).
    #[doc(hidden)]
    pub fn last_entry_plan(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {LAST_ENTRY_SQL}"))?;
        let mut rows = stmt.query(params!["2018-08-01"])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(r.get::<_, String>(3)?);
        }
        Ok(out)
    }

    /// The delays a queue counts over `filter`'s days, in no particular order.
    pub fn queue_delays(&self, filter: &QueueFilter) -> Result<Vec<QueueDelay>> {
        let mut stmt = self.conn.prepare_cached(QUEUE_SQL)?;
        let mut rows = stmt.query(params![date_str(filter.from), date_str(filter.to)])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let la: LaCode = r.get(4)?;
            if !filter.las.is_empty() && !filter.las.contains(&la) {
                continue;
            }
            let site: String = r.get(3)?;
            if !filter.sites.is_empty() && !filter.sites.contains(&site) {
                continue;
            }
            let ended: Option<String> = r.get(1)?;
            out.push(QueueDelay {
                ready_on: parse_stored_date(&r.get::<_, String>(0)?)?,
                ended_on: ended.as_deref().map(parse_stored_date).transpose()?,
                pathway: r.get(2)?,
                site_code: site,
                la_code: la,
            });
        }
        Ok(out)
    }

    /// SQLite's plan of [`Store::queue_delays`] (tests: no scan of every delay).
    #[doc(hidden)]
    pub fn queue_delays_plan(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {QUEUE_SQL}"))?;
        let mut rows = stmt.query(params!["2018-07-01", "2018-08-01"])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(r.get::<_, String>(3)?);
        }
        Ok(out)
    }
}
