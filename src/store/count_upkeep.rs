//! How `month_count` is kept equal to the closed periods: one choke point, not each write path.

use super::changes::MonthChanges;
use super::{parse_stored_date, Writer};
use crate::domain::{days_by_month, Attribution, LaCode, ReasonCode, YearMonth};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::params;
use std::collections::{BTreeMap, HashMap};

pub(super) type Key = (String, String, String, &'static str, &'static str);

/// Pending changes to `month_count`, summed in memory and written once.
#[derive(Default)]
pub(super) struct CountDelta {
    deltas: HashMap<Key, i64>,
}

impl CountDelta {
    /// Adds (`sign` = 1) or removes (`sign` = -1) the days of the closed period `[start, end)`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn period(
        &mut self,
        la: &str,
        site: &str,
        reason: ReasonCode,
        attribution: Attribution,
        start: NaiveDate,
        end: NaiveDate,
        sign: i64,
    ) {
        for (month, days) in days_by_month(start, end) {
            *self
                .deltas
                .entry((
                    month.key(),
                    la.to_string(),
                    site.to_string(),
                    reason.code(),
                    attribution.label(),
                ))
                .or_default() += sign * i64::from(days);
        }
    }

    /// The pending changes: (month, authority, site, reason, attribution) and days added (+) or
    /// taken away (-).
    pub(super) fn entries(&self) -> impl Iterator<Item = (&Key, i64)> {
        self.deltas.iter().map(|(k, d)| (k, *d))
    }

    /// The change to the stored counts of one write, by month and authority; `None` when a stored
    /// code could not be read back.
    pub(super) fn month_changes(&self) -> Option<MonthChanges> {
        let mut acc: BTreeMap<(&str, &str), [i64; 3]> = BTreeMap::new();
        for ((month, la, _site, _reason, attribution), days) in self.entries() {
            let i = Attribution::ALL
                .iter()
                .position(|a| a.label() == *attribution)?;
            acc.entry((month.as_str(), la.as_str())).or_default()[i] += days;
        }
        let mut out = Vec::with_capacity(acc.len());
        for ((month, la), days) in acc {
            if days != [0; 3] {
                out.push((YearMonth::parse(month).ok()?, LaCode::parse(la).ok()?, days));
            }
        }
        Some(out)
    }

    pub(super) fn flush(&self, w: &Writer<'_>) -> Result<()> {
        let mut up = w.tx.prepare_cached(
            "INSERT INTO month_count (month, la_code, site_code, reason, attribution, days)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT DO UPDATE SET days = days + excluded.days",
        )?;
        let mut down = w.tx.prepare_cached(
            "UPDATE month_count SET days = days + ?6
             WHERE month = ?1 AND la_code = ?2 AND site_code = ?3 AND reason = ?4 AND attribution = ?5",
        )?;
        let mut any_down = false;
        for ((m, la, site, r, a), &d) in &self.deltas {
            if d > 0 {
                up.execute(params![m, la, site, r, a, d])?;
            } else if d < 0 {
                any_down = true;
                down.execute(params![m, la, site, r, a, d])?;
            }
        }
        if any_down {
            w.tx.execute("DELETE FROM month_count WHERE days = 0", [])?;
        }
        Ok(())
    }
}

/// The one choke point of the month counts: temporary (per-connection) triggers note every closed
/// period a write adds (+1) or takes away (-1), whatever the statement (a period inserted, updated or
/// deleted; a delay or stay deleted, a stay moved to another site or authority, a delay to another
/// stay), with the authority and site it counts under; [`flush_counts`] sums them into
/// `month_count` before the write commits. No write path updates the counts by hand.
///
/// A cascade deletes the parent row before its children: a child's trigger then finds no parent
/// and notes nothing, the parent's own trigger having taken out all its closed periods.
const COUNT_SQL: &str = "
CREATE TEMP TABLE IF NOT EXISTS count_change (
    start_on TEXT NOT NULL, end_on TEXT NOT NULL, reason TEXT NOT NULL, attribution TEXT NOT NULL,
    la_code TEXT NOT NULL, site_code TEXT NOT NULL, sign INTEGER NOT NULL);
CREATE TEMP TRIGGER IF NOT EXISTS count_period_ins AFTER INSERT ON main.delay_period
WHEN NEW.end_on IS NOT NULL
BEGIN INSERT INTO count_change
    SELECT NEW.start_on, NEW.end_on, NEW.reason, NEW.attribution, s.la_code, s.site_code, 1
    FROM delay d JOIN stay s ON s.id = d.stay_id WHERE d.id = NEW.delay_id; END;
CREATE TEMP TRIGGER IF NOT EXISTS count_period_upd
AFTER UPDATE OF start_on, end_on, reason, attribution, delay_id ON main.delay_period
BEGIN
INSERT INTO count_change
    SELECT OLD.start_on, OLD.end_on, OLD.reason, OLD.attribution, s.la_code, s.site_code, -1
    FROM delay d JOIN stay s ON s.id = d.stay_id WHERE d.id = OLD.delay_id AND OLD.end_on IS NOT NULL;
INSERT INTO count_change
    SELECT NEW.start_on, NEW.end_on, NEW.reason, NEW.attribution, s.la_code, s.site_code, 1
    FROM delay d JOIN stay s ON s.id = d.stay_id WHERE d.id = NEW.delay_id AND NEW.end_on IS NOT NULL;
END;
CREATE TEMP TRIGGER IF NOT EXISTS count_period_del BEFORE DELETE ON main.delay_period
WHEN OLD.end_on IS NOT NULL
BEGIN INSERT INTO count_change
    SELECT OLD.start_on, OLD.end_on, OLD.reason, OLD.attribution, s.la_code, s.site_code, -1
    FROM delay d JOIN stay s ON s.id = d.stay_id WHERE d.id = OLD.delay_id; END;
CREATE TEMP TRIGGER IF NOT EXISTS count_delay_del BEFORE DELETE ON main.delay
BEGIN INSERT INTO count_change
    SELECT p.start_on, p.end_on, p.reason, p.attribution, s.la_code, s.site_code, -1
    FROM delay_period p JOIN stay s ON s.id = OLD.stay_id
    WHERE p.delay_id = OLD.id AND p.end_on IS NOT NULL; END;
CREATE TEMP TRIGGER IF NOT EXISTS count_delay_move AFTER UPDATE OF stay_id ON main.delay
WHEN OLD.stay_id IS NOT NEW.stay_id
BEGIN
INSERT INTO count_change
    SELECT p.start_on, p.end_on, p.reason, p.attribution, s.la_code, s.site_code, -1
    FROM delay_period p JOIN stay s ON s.id = OLD.stay_id
    WHERE p.delay_id = OLD.id AND p.end_on IS NOT NULL;
INSERT INTO count_change
    SELECT p.start_on, p.end_on, p.reason, p.attribution, s.la_code, s.site_code, 1
    FROM delay_period p JOIN stay s ON s.id = NEW.stay_id
    WHERE p.delay_id = NEW.id AND p.end_on IS NOT NULL;
END;
CREATE TEMP TRIGGER IF NOT EXISTS count_stay_del BEFORE DELETE ON main.stay
BEGIN INSERT INTO count_change
    SELECT p.start_on, p.end_on, p.reason, p.attribution, OLD.la_code, OLD.site_code, -1
    FROM delay d JOIN delay_period p ON p.delay_id = d.id
    WHERE d.stay_id = OLD.id AND p.end_on IS NOT NULL; END;
CREATE TEMP TRIGGER IF NOT EXISTS count_stay_move AFTER UPDATE OF la_code, site_code ON main.stay
WHEN OLD.la_code IS NOT NEW.la_code OR OLD.site_code IS NOT NEW.site_code
BEGIN
INSERT INTO count_change
    SELECT p.start_on, p.end_on, p.reason, p.attribution, OLD.la_code, OLD.site_code, -1
    FROM delay d JOIN delay_period p ON p.delay_id = d.id
    WHERE d.stay_id = OLD.id AND p.end_on IS NOT NULL;
INSERT INTO count_change
    SELECT p.start_on, p.end_on, p.reason, p.attribution, NEW.la_code, NEW.site_code, 1
    FROM delay d JOIN delay_period p ON p.delay_id = d.id
    WHERE d.stay_id = NEW.id AND p.end_on IS NOT NULL;
END;
";

/// Installs the month counts' triggers on a connection (after its migrations).
pub(crate) fn install_counting(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute_batch(COUNT_SQL)?;
    Ok(())
}

/// Forgets changes noted outside a write (none are expected: every write goes through
/// `Store::write`, which flushes them).
pub(crate) fn reset_counting(w: &Writer<'_>) -> Result<()> {
    w.tx.execute("DELETE FROM temp.count_change", [])?;
    Ok(())
}

/// Sums the closed periods the write added and took away into `month_count` (see [`COUNT_SQL`]),
/// and returns the change by month, authority and attribution (what the app adds to its figures).
pub(crate) fn flush_counts(w: &Writer<'_>) -> Result<Option<MonthChanges>> {
    let mut delta = CountDelta::default();
    {
        let mut stmt = w.tx.prepare_cached(
            "SELECT start_on, end_on, reason, attribution, la_code, site_code, sign
             FROM temp.count_change",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let text = |i: usize| -> Result<&str> {
                r.get_ref(i)?
                    .as_str()
                    .map_err(|e| crate::Error::Stored(e.to_string()))
            };
            delta.period(
                text(4)?,
                text(5)?,
                r.get(2)?,
                r.get(3)?,
                parse_stored_date(text(0)?)?,
                parse_stored_date(text(1)?)?,
                r.get(6)?,
            );
        }
    }
    if delta.deltas.is_empty() {
        return Ok(Some(Vec::new()));
    }
    w.tx.execute("DELETE FROM temp.count_change", [])?;
    delta.flush(w)?;
    Ok(delta.month_changes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EndKind, LaCode, Setting};
    use crate::store::{EndDelay, NewDelay, Site, Store};

    fn d(s: &str) -> NaiveDate {
        crate::domain::parse_iso_date(s).unwrap()
    }

    fn stored_days(s: &Store) -> i64 {
        s.conn
            .query_row("SELECT ifnull(sum(days), 0) FROM month_count", [], |r| {
                r.get(0)
            })
            .unwrap()
    }

    /// A closed delay of 2018-07-30..2018-08-02 (3 days) for `local`, admitted on `admitted`.
    fn closed_delay(s: &mut Store, local: &str, la: &str) -> i64 {
        let today = d("2018-08-15");
        let id = s
            .add_delay(
                &NewDelay {
                    local_id: local.into(),
                    nhs_number: None,
                    admitted_on: d("2018-07-20"),
                    site_code: "AC1".into(),
                    la_code: LaCode::parse(la).unwrap(),
                    ready_on: d("2018-07-30"),
                    reason: ReasonCode::E,
                    attribution: Attribution::Nhs,
                    planned_pathway: None,
                    acute_reason: None,
                },
                today,
            )
            .unwrap();
        s.end_delay(
            &EndDelay {
                delay_id: id,
                version: 1,
                on: d("2018-08-02"),
                kind: EndKind::UnfitAgain,
                pathway: None,
                destination: None,
                usual_residence: None,
            },
            today,
        )
        .unwrap();
        id
    }

    #[test]
    fn every_write_keeps_the_counts_right_even_ones_no_store_method_makes() {
        let mut s = Store::open_in_memory().unwrap();
        s.upsert_site(&Site {
            code: "AC1".into(),
            provider_code: "RWE".into(),
            name: None,
            setting: Setting::Acute,
        })
        .unwrap();
        let a = closed_delay(&mut s, "P1", "E10000018");
        let b = closed_delay(&mut s, "P2", "E06000017");
        assert_eq!(stored_days(&s), 6);
        // A delay moved to another stay counts under that stay's authority.
        s.write(|w| {
            w.tx.execute(
                "UPDATE delay SET stay_id = (SELECT stay_id FROM delay WHERE id = ?1),
                 ready_on = '2018-07-29' WHERE id = ?2",
                params![b, a],
            )?;
            Ok(())
        })
        .unwrap();
        assert_eq!(s.count_problems().unwrap(), Vec::<String>::new());
        let leics: i64 = s
            .conn
            .query_row(
                "SELECT sum(days) FROM month_count WHERE la_code = 'E06000017'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(leics, 6);
        // A stay deleted takes its delays' days with it (the cascade's own triggers add nothing).
        s.write(|w| {
            w.tx.execute("DELETE FROM stay WHERE la_code = 'E06000017'", [])?;
            Ok(())
        })
        .unwrap();
        assert_eq!(stored_days(&s), 0);
        assert_eq!(s.count_problems().unwrap(), Vec::<String>::new());
    }
}
