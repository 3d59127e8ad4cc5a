//! `dtoc check`: the file's integrity, its foreign keys and the domain's invariants.

use super::Store;
use crate::error::Result;
use crate::progress::{Progress, Silent, Unit};
use std::collections::BTreeSet;

/// Domain invariants, each a query listing the records that break it.
const INVARIANTS: &[(&str, &str)] = &[
    (
        "delay {0}: ready date {1} is before admission on {2}",
        "SELECT d.id, d.ready_on, s.admitted_on FROM delay d JOIN stay s ON s.id = d.stay_id WHERE d.ready_on < s.admitted_on",
    ),
    (
        "delay {0}: the stay was discharged on {1}, before the ready date {2}",
        "SELECT d.id, s.discharged_on, d.ready_on FROM delay d JOIN stay s ON s.id = d.stay_id
         WHERE s.discharged_on IS NOT NULL AND s.discharged_on < d.ready_on",
    ),
    (
        "delay {0}: has no periods ({1} {2})",
        "SELECT d.id, d.ready_on, '' FROM delay d WHERE NOT EXISTS (SELECT 1 FROM delay_period p WHERE p.delay_id = d.id)",
    ),
    (
        "delay {0}: ready date {1} is not the start of its first period {2}",
        "SELECT d.id, d.ready_on, min(p.start_on) FROM delay d JOIN delay_period p ON p.delay_id = d.id
         GROUP BY d.id HAVING d.ready_on <> min(p.start_on)",
    ),
    (
        "period {0}: starts {1}, but the previous period of its delay ends {2} (periods must abut, not overlap)",
        "SELECT q.id, q.start_on, coalesce(p.end_on, 'open') FROM delay_period p JOIN delay_period q
           ON q.delay_id = p.delay_id AND q.start_on = (SELECT min(start_on) FROM delay_period r WHERE r.delay_id = p.delay_id AND r.start_on > p.start_on)
         WHERE p.end_on IS NULL OR p.end_on <> q.start_on",
    ),
    (
        "delay {0}: ended on {1}, but its last period ends {2}",
        "SELECT d.id, coalesce(d.ended_on, 'open'), coalesce(p.end_on, 'open') FROM delay d JOIN delay_period p ON p.delay_id = d.id
         WHERE p.start_on = (SELECT max(start_on) FROM delay_period r WHERE r.delay_id = d.id)
           AND coalesce(d.ended_on, '') <> coalesce(p.end_on, '')",
    ),
    (
        "delay {0}: from {1} overlaps delay {2} of the same stay",
        "SELECT a.id, a.ready_on, b.id FROM delay a JOIN delay b ON b.stay_id = a.stay_id AND b.id <> a.id
         WHERE b.ready_on >= a.ready_on AND (a.ended_on IS NULL OR a.ended_on > b.ready_on) AND (b.ready_on > a.ready_on OR b.id > a.id)",
    ),
];

impl Store {
    /// The tables and triggers of this dtoc's schema that the file lacks (the audit log's guards
    /// among them), one line each.
    pub fn schema_problems(&self) -> Result<Vec<String>> {
        const OBJECTS: &str = "SELECT type, name FROM main.sqlite_schema
             WHERE type IN ('table', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY type, name";
        let names = |c: &rusqlite::Connection| -> Result<BTreeSet<(String, String)>> {
            let mut stmt = c.prepare(OBJECTS)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let fresh = rusqlite::Connection::open_in_memory()?;
        fresh.execute_batch(super::migrate::SCHEMA_SQL)?;
        let have = names(&self.conn)?;
        Ok(names(&fresh)?
            .difference(&have)
            .map(|(kind, name)| format!("schema: no {kind} {name}"))
            .collect())
    }

    /// Every problem found, one line each naming its record; empty when all is well.
    pub fn check(&self) -> Result<Vec<String>> {
        self.check_with(&Silent)
    }

    /// [`Store::check`], telling `progress` each check as it starts: `integrity` (SQLite's own
    /// checks and the foreign keys), `invariants` (one step each), `register`, `recount` (the
    /// closed periods, counted again) and `signoffs` (the frozen weeks).
    pub fn check_with(&self, progress: &dyn Progress) -> Result<Vec<String>> {
        progress.phase("integrity", None, Unit::Steps);
        let mut out = self.integrity_problems()?;
        out.extend(self.schema_problems()?);
        if !out.is_empty() {
            return Ok(out);
        }
        progress.phase("invariants", Some(INVARIANTS.len() as u64), Unit::Steps);
        for (template, sql) in INVARIANTS {
            let mut stmt = self.conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let vals: Vec<String> = (0..3)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                            rusqlite::types::Value::Integer(n) => n.to_string(),
                            rusqlite::types::Value::Text(t) => t,
                            rusqlite::types::Value::Real(x) => x.to_string(),
                            _ => String::new(),
                        })
                    })
                    .collect::<rusqlite::Result<_>>()?;
                out.push(
                    template
                        .replace("{0}", &vals[0])
                        .replace("{1}", &vals[1])
                        .replace("{2}", &vals[2]),
                );
            }
            progress.advance(1);
        }
        progress.phase("register", None, Unit::Steps);
        out.extend(self.register_problems()?);
        out.extend(self.count_problems_with(progress)?);
        progress.phase("signoffs", None, Unit::Steps);
        out.extend(self.frozen_problems()?);
        out.extend(self.audit_chain_problems()?);
        Ok(out)
    }
}
