//! What changed, so that the app can keep what it shows up to date without reading everything
//! again: what the last write of this connection changed (the delays it touched and the change
//! to the month totals, both noted by the write path's triggers), the periods that count "live"
//! (open, or in today's month) by delay, and the audit log's entries since one the app has seen
//! (another user's save).

use super::{date_str, parse_stored_date, AuditEntry, Store, Writer};
use crate::domain::{Attribution, LaCode, YearMonth};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::vtab::array::Array;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The change to the stored month counts by month and authority (see [`WriteChanges::counts`]).
pub type MonthChanges = Vec<(YearMonth, LaCode, [i64; 3])>;

/// More delays than this touched by the writes since the app last looked: it reads everything
/// again rather than follow them one by one (an import, a bulk load).
pub const MAX_FOLLOWED: usize = 1000;

/// What the writes of this connection changed since [`Store::take_changes`] was last called.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteChanges {
    /// Every delay whose periods, dates, stay or stay's site or authority a write touched
    /// (deleted ones too), ascending.
    pub delays: Vec<i64>,
    /// The change to the stored month counts summed over sites and reasons, by month and
    /// authority: days added (+) or taken away (-) by attribution (the order of
    /// [`Attribution::ALL`]), ascending.
    pub counts: MonthChanges,
    /// Too much changed to follow (more than [`MAX_FOLLOWED`] delays), or a stored code could
    /// not be read back: whoever follows the changes reads everything again.
    pub overflow: bool,
}

impl WriteChanges {
    /// Adds the changes of a later write.
    pub(super) fn merge(&mut self, later: WriteChanges) {
        if self.overflow || later.overflow {
            *self = WriteChanges {
                overflow: true,
                ..WriteChanges::default()
            };
            return;
        }
        self.delays.extend(later.delays);
        self.delays.sort_unstable();
        self.delays.dedup();
        let mut acc: BTreeMap<(YearMonth, LaCode), [i64; 3]> = BTreeMap::new();
        for (m, la, days) in self.counts.drain(..).chain(later.counts) {
            let e = acc.entry((m, la)).or_default();
            for (t, d) in e.iter_mut().zip(days) {
                *t += d;
            }
        }
        self.counts = acc
            .into_iter()
            .filter(|(_, d)| *d != [0; 3])
            .map(|((m, la), d)| (m, la, d))
            .collect();
        self.overflow = self.delays.len() > MAX_FOLLOWED;
        if self.overflow {
            self.delays.clear();
            self.counts.clear();
        }
    }
}

impl Writer<'_> {
    /// The delays the write touched (noted by the freeze guard's triggers; at most
    /// [`MAX_FOLLOWED`] + 1 read) and its count changes.
    pub(super) fn changes(&self, counts: Option<MonthChanges>) -> Result<WriteChanges> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT delay_id FROM temp.touched_delay ORDER BY delay_id LIMIT ?1")?;
        let delays: Vec<i64> = stmt
            .query_map([MAX_FOLLOWED as i64 + 1], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(match counts {
            Some(counts) if delays.len() <= MAX_FOLLOWED => WriteChanges {
                delays,
                counts,
                overflow: false,
            },
            _ => WriteChanges {
                overflow: true,
                ..WriteChanges::default()
            },
        })
    }
}

/// One period that counts "live" on `today` (see [`Store::live_periods_of`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LivePeriod {
    pub delay_id: i64,
    pub la_code: LaCode,
    pub attribution: Attribution,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// The delay's end (a period counts as open on a day only while its delay is not ended).
    pub delay_ended: Option<NaiveDate>,
}

fn id_param(ids: &[i64]) -> Array {
    Rc::new(ids.iter().map(|i| Value::Integer(*i)).collect())
}

impl Store {
    /// What this connection's writes changed since the last call (and forgets it).
    pub fn take_changes(&mut self) -> WriteChanges {
        std::mem::take(&mut self.changes)
    }

    /// The periods whose days are counted when read rather than stored (as
    /// [`Store::month_totals`] and [`Store::open_counts`] count them): open, or ending after the
    /// first day of today's month, and started on or before `today`; of every delay, or of
    /// `delays` only.
    pub fn live_periods_of(
        &self,
        today: NaiveDate,
        delays: Option<&[i64]>,
    ) -> Result<Vec<LivePeriod>> {
        let cur_start = YearMonth::of(today).first_day();
        // As `live_periods`: the `period_end` index finds these few among millions; a few
        // delays are found by the period's (delay_id, start_on) key instead.
        let (sql, ids) = match delays {
            None => (
                "SELECT p.delay_id, s.la_code, p.attribution, p.start_on, p.end_on, d.ended_on
                 FROM delay_period p JOIN delay d ON d.id = p.delay_id JOIN stay s ON s.id = d.stay_id
                 JOIN site ON site.code = s.site_code
                 WHERE (p.end_on IS NULL OR p.end_on > ?1) AND +p.start_on <= ?2",
                None,
            ),
            Some(ids) => (
                "SELECT p.delay_id, s.la_code, p.attribution, p.start_on, p.end_on, d.ended_on
                 FROM delay_period p JOIN delay d ON d.id = p.delay_id JOIN stay s ON s.id = d.stay_id
                 JOIN site ON site.code = s.site_code
                 WHERE p.delay_id IN rarray(?3) AND (p.end_on IS NULL OR +p.end_on > ?1)
                   AND +p.start_on <= ?2",
                Some(id_param(ids)),
            ),
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let (a, b) = (date_str(cur_start), date_str(today));
        let mut rows = match ids {
            None => stmt.query(rusqlite::params![a, b])?,
            Some(ids) => stmt.query(rusqlite::params![a, b, ids])?,
        };
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let opt = |i: usize| -> Result<Option<NaiveDate>> {
                Ok(r.get::<_, Option<String>>(i)?
                    .map(|s| parse_stored_date(&s))
                    .transpose()?)
            };
            out.push(LivePeriod {
                delay_id: r.get(0)?,
                la_code: r.get(1)?,
                attribution: r.get(2)?,
                start: parse_stored_date(&r.get::<_, String>(3)?)?,
                end: opt(4)?,
                delay_ended: opt(5)?,
            });
        }
        Ok(out)
    }

    /// The id of the newest audit entry (0 when there is none).
    pub fn last_audit_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT ifnull(max(id), 0) FROM audit_log", [], |r| r.get(0))?)
    }

    /// Audit entries after the one numbered `after`, oldest first, at most `limit`.
    pub fn audit_since(&self, after: i64, limit: usize) -> Result<Vec<AuditEntry>> {
        self.audit_after(after, limit)
    }

    /// The ids of the delays of some stays.
    pub fn delays_of_stays(&self, stays: &[i64]) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM delay WHERE stay_id IN rarray(?1) ORDER BY id")?;
        let rows = stmt.query_map([id_param(stays)], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EndKind, ReasonCode, Setting};
    use crate::store::{EndDelay, NewDelay, ReasonChange, Site};

    fn d(s: &str) -> NaiveDate {
        crate::domain::parse_iso_date(s).unwrap()
    }

    fn store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        s.upsert_site(&Site {
            code: "AC1".into(),
            provider_code: "RWE".into(),
            name: None,
            setting: Setting::Acute,
        })
        .unwrap();
        s
    }

    fn add(s: &mut Store, local: &str, ready: &str, today: NaiveDate) -> i64 {
        s.add_delay(
            &NewDelay {
                local_id: local.into(),
                nhs_number: None,
                admitted_on: d("2018-05-01"),
                site_code: "AC1".into(),
                la_code: LaCode::parse("E10000018").unwrap(),
                ready_on: d(ready),
                reason: ReasonCode::E,
                attribution: Attribution::Nhs,
                planned_pathway: None,
                acute_reason: None,
            },
            today,
        )
        .unwrap()
    }

    #[test]
    fn a_write_reports_the_delays_it_touched_and_its_month_count_changes() {
        let today = d("2018-08-15");
        let mut s = store();
        assert_eq!(s.take_changes(), WriteChanges::default());
        let id = add(&mut s, "P1", "2018-06-20", today);
        // An open delay: no stored count changes.
        let w = s.take_changes();
        assert_eq!((w.delays, w.counts), (vec![id], vec![]));
        assert_eq!(s.take_changes(), WriteChanges::default());
        // A new reason from 2018-08-01 closes the first period: 11 days of June, 31 of July.
        s.change_reason(
            &ReasonChange {
                delay_id: id,
                version: 1,
                from: d("2018-08-01"),
                reason: ReasonCode::A,
                attribution: Attribution::SocialCare,
                acute_reason: None,
            },
            today,
        )
        .unwrap();
        let w = s.take_changes();
        assert_eq!(w.delays, vec![id]);
        let la = LaCode::parse("E10000018").unwrap();
        assert_eq!(
            w.counts,
            vec![
                (YearMonth::new(2018, 6).unwrap(), la.clone(), [11, 0, 0]),
                (YearMonth::new(2018, 7).unwrap(), la.clone(), [31, 0, 0]),
            ]
        );
        assert!(!w.overflow);
        // The live periods: the new open one only (the closed one ended on the 1st of August).
        let live = s.live_periods_of(today, None).unwrap();
        assert_eq!(live.len(), 1);
        assert_eq!(
            (live[0].start, live[0].end, live[0].attribution),
            (d("2018-08-01"), None, Attribution::SocialCare)
        );
        assert_eq!(s.live_periods_of(today, Some(&[id + 1])).unwrap(), vec![]);
        assert_eq!(s.live_periods_of(today, Some(&[id])).unwrap(), live);
        // Ending it: the open period's days become stored ones.
        s.mark_reviewed(id, today).unwrap();
        let version = s.delay_row(id).unwrap().unwrap().version;
        s.end_delay(
            &EndDelay {
                delay_id: id,
                version,
                on: d("2018-08-10"),
                kind: EndKind::Discharged,
                pathway: None,
                destination: None,
                usual_residence: None,
            },
            today,
        )
        .unwrap();
        // Taken after two writes: both added up.
        let w = s.take_changes();
        assert_eq!(w.delays, vec![id]);
        assert_eq!(
            w.counts,
            vec![(YearMonth::new(2018, 8).unwrap(), la, [0, 9, 0])]
        );
        let live = s.live_periods_of(today, None).unwrap();
        assert_eq!(live[0].delay_ended, Some(d("2018-08-10")));
    }

    #[test]
    fn audit_entries_since_one_seen_and_the_delays_of_stays() {
        let today = d("2018-08-15");
        let mut s = store();
        let seen = s.last_audit_id().unwrap();
        let a = add(&mut s, "P1", "2018-08-01", today);
        let b = add(&mut s, "P2", "2018-08-02", today);
        let new = s.audit_since(seen, 100).unwrap();
        assert!(new
            .iter()
            .any(|e| e.entity() == "delay" && e.entity_id == a.to_string()));
        assert!(new
            .iter()
            .any(|e| e.entity() == "delay" && e.entity_id == b.to_string()));
        assert!(new.windows(2).all(|w| w[0].id < w[1].id));
        assert_eq!(s.audit_since(seen, 1).unwrap().len(), 1);
        let last = s.last_audit_id().unwrap();
        assert_eq!(s.audit_since(last, 100).unwrap(), vec![]);
        let stay = s.delay_row(b).unwrap().unwrap().stay_id;
        assert_eq!(s.delays_of_stays(&[stay]).unwrap(), vec![b]);
    }
}
