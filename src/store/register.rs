//! A register that cannot hold contradictions (docs/counting.md, issue 14).
//!
//! - **One bed at a time**: a patient (one local id, or one NHS number across local ids) is in at
//!   most one stay on any day and has at most one open delay; delays of one patient in different
//!   stays do not overlap. A transfer is allowed: a delay that ends (transferred) on the day the next
//!   one starts at another site. A stay is in hospital from its admission until its discharge, else
//!   until a delay of it ended as transferred or died, else still.
//! - **A delay cannot outlast its stay**: a delay with no end on a stay that has a discharge date.
//!
//! The rules are enforced once, in [`Store::write`](super::Store): temporary triggers note every
//! patient whose stays, delays or NHS number a write touches, and before the write commits
//! [`Writer::check_register`] looks for a broken rule among those patients (and every patient
//! sharing an NHS number with them). So forms, imports and the bulk writer are all covered. `dtoc
//! check` runs the same queries over the whole file; [`Writer::end_at_discharge`] is the safe
//! repair (a delay left open on a discharged stay ends on the discharge date).

use super::audit_event::{AuditEvent, DelayEvent};
use super::{parse_stored_date, Store, Writer};
use crate::error::{Clash, Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection};

/// Temporary (per-connection) table and triggers noting the patients a write touches.
const TOUCH_SQL: &str = "
CREATE TEMP TABLE IF NOT EXISTS touched_patient (patient_id INTEGER PRIMARY KEY);
CREATE TEMP TRIGGER IF NOT EXISTS bed_delay_ins AFTER INSERT ON main.delay
BEGIN INSERT OR IGNORE INTO touched_patient SELECT patient_id FROM stay WHERE id = NEW.stay_id; END;
CREATE TEMP TRIGGER IF NOT EXISTS bed_delay_upd AFTER UPDATE OF ready_on, ended_on, end_kind, stay_id ON main.delay
BEGIN INSERT OR IGNORE INTO touched_patient SELECT patient_id FROM stay WHERE id = NEW.stay_id; END;
CREATE TEMP TRIGGER IF NOT EXISTS bed_stay_ins AFTER INSERT ON main.stay
BEGIN INSERT OR IGNORE INTO touched_patient VALUES (NEW.patient_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS bed_stay_upd AFTER UPDATE OF patient_id, admitted_on, discharged_on, site_code ON main.stay
BEGIN INSERT OR IGNORE INTO touched_patient VALUES (NEW.patient_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS bed_patient_upd AFTER UPDATE OF nhs_number, local_id ON main.patient
BEGIN INSERT OR IGNORE INTO touched_patient VALUES (NEW.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS freeze_patient_local AFTER UPDATE OF local_id ON main.patient
BEGIN INSERT OR IGNORE INTO touched_delay
    SELECT d.id FROM delay d JOIN stay s ON s.id = d.stay_id WHERE s.patient_id = NEW.id; END;
CREATE TEMP TRIGGER IF NOT EXISTS freeze_stay_patient AFTER UPDATE OF patient_id ON main.stay
BEGIN INSERT OR IGNORE INTO touched_delay SELECT id FROM delay WHERE stay_id = NEW.id; END;
";

/// Installs the register's triggers on a connection (after its migrations and the freeze guard's,
/// whose list of touched delays a correction of a local id adds to).
pub(crate) fn install_register(conn: &Connection) -> Result<()> {
    conn.execute_batch(TOUCH_SQL)?;
    Ok(())
}

/// The day a stay's patient left its bed: the discharge, else the end of a delay that ended with
/// a transfer or a death, else never (`9999-12-31`). `{s}` is the stay's alias.
fn left_on(s: &str) -> String {
    format!(
        "coalesce({s}.discharged_on, (SELECT max(x.ended_on) FROM delay x WHERE x.stay_id = {s}.id
           AND x.end_kind IN ('transferred', 'died')), '9999-12-31')"
    )
}

/// The columns every rule's query selects: this stay's local id and admission, the rule, the
/// other stay's local id, site and admission.
const COLUMNS: &str =
    "pa.local_id, sa.admitted_on, {rule}, pb.local_id, sb.site_code, sb.admitted_on";

/// The rules, each a query over stays `sa` of patients `pa` in `{from}` (every patient, or the
/// touched ones) that finds a stay `sb` of patient `pb` breaking it with `sa`. `CROSS JOIN` keeps
/// `{from}`, then `sa`, outermost, so that a write's check reads only its touched patients' rows.
/// With `whole`, each pair is listed once; a write's check looks from its touched side only.
fn rules(whole: bool) -> [String; 3] {
    // A write's check names the newest record as the one written, the other as the one it meets.
    let (once_stay, once_delay) = if whole {
        ("AND sa.id < sb.id", "AND a.id < b.id")
    } else {
        ("ORDER BY sa.id DESC", "ORDER BY a.id DESC")
    };
    let same_person = "JOIN patient pb ON pb.id = pa.id OR pb.nhs_number = pa.nhs_number";
    [
        // Stays of one patient overlapping.
        format!(
            "SELECT {COLUMNS} FROM {{from}} CROSS JOIN stay sa ON sa.patient_id = pa.id {same_person}
             JOIN stay sb ON sb.patient_id = pb.id AND sb.id <> sa.id
             WHERE sa.admitted_on < {lb} AND sb.admitted_on < {la}
               {once_stay}",
            la = left_on("sa"),
            lb = left_on("sb"),
        )
        .replace(
            "{rule}",
            "'one bed at a time: a patient is in one stay on any day, and this stay overlaps another'",
        ),
        // Delays of one patient in different stays overlapping (two open ones included).
        format!(
            "SELECT {COLUMNS} FROM {{from}} CROSS JOIN stay sa ON sa.patient_id = pa.id
             CROSS JOIN delay a ON a.stay_id = sa.id {same_person}
             JOIN stay sb ON sb.patient_id = pb.id AND sb.id <> sa.id
             JOIN delay b ON b.stay_id = sb.id
             WHERE a.ready_on < coalesce(b.ended_on, '9999-12-31') AND b.ready_on < coalesce(a.ended_on, '9999-12-31')
               {once_delay}"
        )
        .replace(
            "{rule}",
            "CASE WHEN a.ended_on IS NULL AND b.ended_on IS NULL
             THEN 'one bed at a time: a patient has at most one open delay, and this delay from ' || a.ready_on || ' is open beside another'
             ELSE 'one bed at a time: the delay from ' || a.ready_on || ' overlaps another delay of the patient (a transfer ends one delay on the day the next starts)' END",
        ),
        // An open delay on a discharged stay.
        format!(
            "SELECT {COLUMNS} FROM {{from}} CROSS JOIN stay sa ON sa.patient_id = pa.id
             JOIN delay a ON a.stay_id = sa.id AND a.ended_on IS NULL
             JOIN patient pb ON pb.id = pa.id JOIN stay sb ON sb.id = sa.id
             WHERE sa.discharged_on IS NOT NULL"
        )
        .replace(
            "{rule}",
            "'a delay cannot outlast its stay: the delay from ' || a.ready_on || ' is open, but the stay was discharged on ' || sa.discharged_on",
        ),
    ]
}

fn read_clash(r: &rusqlite::Row<'_>) -> rusqlite::Result<Clash> {
    Ok(Clash {
        local_id: r.get(0)?,
        admitted_on: parse_stored_date(&r.get::<_, String>(1)?)?,
        rule: r.get(2)?,
        other_local_id: r.get(3)?,
        other_site: r.get(4)?,
        other_admitted_on: parse_stored_date(&r.get::<_, String>(5)?)?,
    })
}

/// Every broken rule among the patients of `from` (at most `limit`).
fn clashes(conn: &Connection, from: &str, limit: Option<usize>) -> Result<Vec<Clash>> {
    let mut out = Vec::new();
    for rule in rules(limit.is_none()) {
        let mut sql = rule.replace("{from}", from);
        if let Some(n) = limit {
            sql.push_str(&format!(" LIMIT {n}"));
        }
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], read_clash)?;
        for r in rows {
            out.push(r?);
        }
        if limit.is_some_and(|n| out.len() >= n) {
            break;
        }
    }
    Ok(out)
}

/// The patients a write touched, as the `{from}` of [`rules`].
const TOUCHED: &str = "temp.touched_patient t CROSS JOIN patient pa ON pa.id = t.patient_id";

/// A delay left open on a discharged stay, which [`Writer::end_at_discharge`] ends.
pub(crate) struct Ended {
    pub delay_id: i64,
    pub local_id: String,
    pub on: NaiveDate,
}

impl Writer<'_> {
    /// Empties the list of touched patients (at the start of each write).
    pub(crate) fn reset_touched_patients(&self) -> Result<()> {
        self.tx.execute("DELETE FROM temp.touched_patient", [])?;
        Ok(())
    }

    /// Refuses the write when it broke a rule of the register for a patient it touched.
    pub(crate) fn check_register(&self) -> Result<()> {
        let touched: i64 =
            self.tx
                .query_row("SELECT count(*) FROM temp.touched_patient", [], |r| {
                    r.get(0)
                })?;
        if touched == 0 {
            return Ok(());
        }
        // CROSS JOIN keeps the touched patients the outer loop: left to itself the planner scans
        // every stay (or delay) of the register in id order for the ORDER BY … LIMIT 1.
        let from = TOUCHED;
        match clashes(self.tx, from, Some(1))?.into_iter().next() {
            Some(c) => Err(Error::Clash(c)),
            None => Ok(()),
        }
    }

    /// Ends each open delay of a discharged stay on the discharge date (as discharged), one audit
    /// entry each: of the touched patients only, or of the whole file. A delay whose current reason
    /// started after the discharge cannot be ended so; `dtoc check` lists it.
    pub(crate) fn end_at_discharge(&self, touched_only: bool, why: &str) -> Result<Vec<Ended>> {
        let mut sql = String::from(
            "SELECT d.id, s.discharged_on, pt.local_id FROM delay d
             JOIN stay s ON s.id = d.stay_id JOIN patient pt ON pt.id = s.patient_id
             WHERE d.ended_on IS NULL AND s.discharged_on IS NOT NULL
               AND s.discharged_on >= (SELECT max(p.start_on) FROM delay_period p WHERE p.delay_id = d.id)",
        );
        if touched_only {
            sql.push_str(" AND s.patient_id IN (SELECT patient_id FROM temp.touched_patient)");
        }
        sql.push_str(" ORDER BY d.id");
        let found: Vec<(i64, String, String)> = {
            let mut stmt = self.tx.prepare_cached(&sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::new();
        for (id, on, local_id) in found {
            self.tx.execute(
                "UPDATE delay_period SET end_on = ?1 WHERE delay_id = ?2 AND end_on IS NULL",
                params![on, id],
            )?;
            self.tx.execute(
                "UPDATE delay SET ended_on = ?1, end_kind = 'discharged', version = version + 1 WHERE id = ?2",
                params![on, id],
            )?;
            self.audit(
                &AuditEvent::Delay(DelayEvent::EndAtDischarge),
                &id.to_string(),
                Some("open"),
                Some(&format!("discharged on {on} ({why})")),
            )?;
            out.push(Ended {
                delay_id: id,
                local_id,
                on: parse_stored_date(&on)?,
            });
        }
        Ok(out)
    }
}

impl Store {
    /// Every broken rule of the register in the whole file, one line each with the local ids.
    pub(crate) fn register_problems(&self) -> Result<Vec<String>> {
        Ok(clashes(&self.conn, "patient pa", None)?
            .into_iter()
            .map(|c| format!("{} admitted {}: {c}", c.local_id, c.admitted_on))
            .collect())
    }

    /// `dtoc check --repair`: the safe repairs (each delay left open on a discharged stay ended on
    /// the discharge date) in one audited transaction, refused whole by the freeze guard when one
    /// of them would change a signed-off week. Returns one line per repair.
    pub fn repair_register(&mut self) -> Result<Vec<String>> {
        self.write(|w| {
            let ended = w.end_at_discharge(false, "dtoc check --repair")?;
            if !ended.is_empty() {
                w.audit(
                    &AuditEvent::DatabaseRepair,
                    "*",
                    None,
                    Some(&format!(
                        "{} open delays on discharged stays ended at discharge",
                        ended.len()
                    )),
                )?;
            }
            Ok(ended
                .iter()
                .map(|e| {
                    format!(
                        "delay {} of {}: ended on {}, the stay's discharge date",
                        e.delay_id, e.local_id, e.on
                    )
                })
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A write's check reads its touched patients' rows only (issue 19: a day's extract into the
    /// national register scanned every stay): no rule's plan scans a register table.
    #[test]
    fn a_writes_check_reads_only_the_touched_patients() {
        let s = Store::open_in_memory().unwrap();
        for rule in rules(false) {
            let sql = format!(
                "EXPLAIN QUERY PLAN {} LIMIT 1",
                rule.replace("{from}", TOUCHED)
            );
            let mut stmt = s.conn.prepare(&sql).unwrap();
            let plan: Vec<String> = stmt
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            let scans: Vec<&String> = plan
                .iter()
                .filter(|l| l.starts_with("SCAN") && l.as_str() != "SCAN t")
                .collect();
            assert!(scans.is_empty(), "{plan:#?}");
            assert!(plan.iter().any(|l| l == "SCAN t"), "{plan:#?}");
        }
    }
}
