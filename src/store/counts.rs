//! Delayed-day counts. Closed periods are kept summed by month × authority × site × reason ×
//! attribution in `month_count`, updated in the same transaction as every write; open periods (and
//! every period's days in the month of "today" or later) are counted when read. A report over ten
//! years therefore reads summed rows plus the few thousand periods still open, and one edit touches
//! only the months its periods span.

use super::audit_event::AuditEvent;
use super::count_upkeep::{CountDelta, Key};
use super::{date_str, parse_stored_date, Store};
use crate::domain::{
    days_by_month, delayed_span, Attribution, LaCode, ReasonCode, Setting, YearMonth,
};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::vtab::array::Array;
use rusqlite::{params, params_from_iter, ToSql};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Closed periods recounted between two reports of progress (`dtoc check`).
pub const RECOUNT_STEP: u64 = 10_000;

/// Delayed days of one month, authority, site, reason and attribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountRow {
    pub month: YearMonth,
    pub la_code: LaCode,
    pub site_code: String,
    pub setting: Setting,
    pub reason: ReasonCode,
    pub attribution: Attribution,
    pub days: u64,
}

/// The key the live counting accumulates by, and its (setting, days).
type CountEntry = (
    (YearMonth, LaCode, String, ReasonCode, Attribution),
    (Setting, u64),
);

impl CountRow {
    fn from_entry(
        ((month, la_code, site_code, reason, attribution), (setting, days)): CountEntry,
    ) -> Self {
        CountRow {
            month,
            la_code,
            site_code,
            setting,
            reason,
            attribution,
            days,
        }
    }
}

/// Delayed days of one month and authority by attribution: NHS, Social Care, Both (the order of
/// [`Attribution::ALL`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthTotal {
    pub month: YearMonth,
    pub la_code: LaCode,
    pub days: [u64; 3],
}

/// Patients delayed at the start of a day, by authority and attribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenCount {
    pub la_code: LaCode,
    pub attribution: Attribution,
    pub patients: u64,
}

/// An authority's patients delayed on a day and how many of them have stayed 14 and 21 days or
/// more (the Dashboard's "LOS 14+/21+ of all delayed now").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenStays {
    pub la_code: LaCode,
    pub delayed: u64,
    pub los14: u64,
    pub los21: u64,
}

/// Month counts being summed: (month, authority, site, reason, attribution) -> (type of care, days).
type Acc = BTreeMap<(YearMonth, LaCode, String, ReasonCode, Attribution), (Setting, u64)>;

/// A period as the counting needs it.
struct LivePeriod {
    start: NaiveDate,
    end: Option<NaiveDate>,
    reason: ReasonCode,
    attribution: Attribution,
    la: LaCode,
    site: String,
    setting: Setting,
}

/// The order of [`Store::month_counts`]: month, authority, site, reason, attribution.
fn count_key(c: &CountRow) -> (YearMonth, &str, &str, ReasonCode, Attribution) {
    (c.month, &c.la_code, &c.site_code, c.reason, c.attribution)
}

/// The filter of stored counts for some authorities (`?3`: the months, `?4`: the authorities, as
/// [`la_param`] and [`month_param`] bind them): listing the months as well lets SQLite seek each
/// (month, authority) of the primary key instead of reading every authority's rows of the months
/// (one authority over ten years: 120 seeks, not 800,000 rows).
fn stored_la_filter(las: &[LaCode]) -> &'static str {
    if las.is_empty() {
        ""
    } else {
        " AND month IN rarray(?3) AND la_code IN rarray(?4)"
    }
}

/// The months `from..=to` as one `rarray` parameter.
fn month_param(from: YearMonth, to: YearMonth) -> Array {
    Rc::new(
        from.range_inclusive(to)
            .map(|m| Value::Text(m.key()))
            .collect(),
    )
}

/// Authority codes as one `rarray` parameter (bound, never quoted into the SQL).
fn la_param(las: &[LaCode]) -> Array {
    Rc::new(las.iter().map(|c| Value::Text(c.to_string())).collect())
}

/// The parameters of a query on stored counts: the months `?1..=?2`, and with authorities the
/// months listed (`?3`) and the authorities (`?4`).
fn stored_params(las: &[LaCode], from: YearMonth, to: YearMonth) -> Vec<Box<dyn ToSql>> {
    let mut p: Vec<Box<dyn ToSql>> = vec![Box::new(from.key()), Box::new(to.key())];
    if !las.is_empty() {
        p.push(Box::new(month_param(from, to)));
        p.push(Box::new(la_param(las)));
    }
    p
}

impl Store {
    /// Whether the authority has a local register: any stay recorded for it.
    pub fn has_register(&self, la: &LaCode) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM stay WHERE la_code = ?1)",
            rusqlite::params![la.as_str()],
            |r| r.get(0),
        )?)
    }

    /// Delayed days per month × authority × site × reason × attribution for `from..=to`, as of
    /// `today` (open delays count up to the day before `today`). `las` empty means every authority.
    pub fn month_counts(
        &self,
        from: YearMonth,
        to: YearMonth,
        las: &[LaCode],
        today: NaiveDate,
    ) -> Result<Vec<CountRow>> {
        let current = YearMonth::of(today);
        let settings = self.site_settings()?;
        // Closed periods, summed, for months wholly before today's month: one stored row each, in
        // the order of the primary key (no map needed; the live days are merged in below).
        let mut stored: Vec<CountRow> = Vec::new();
        let stored_to = to.min(current.prev());
        if from <= stored_to {
            let sql = format!(
                "SELECT month, la_code, site_code, reason, attribution, days FROM month_count
                 WHERE month >= ?1 AND month <= ?2{}
                 ORDER BY month, la_code, site_code, reason, attribution",
                stored_la_filter(las)
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(stored_params(las, from, stored_to)))?;
            let text = |r: &rusqlite::Row<'_>, i: usize| -> Result<String> {
                Ok(r.get_ref(i)?
                    .as_str()
                    .map_err(|e| crate::Error::Stored(e.to_string()))?
                    .to_string())
            };
            // Stored text sorts attributions Both, NHS, Social Care: each group of one month,
            // authority, site and reason is put in the order of `Attribution` when complete.
            let mut group = 0;
            while let Some(r) = rows.next()? {
                let site = text(r, 2)?;
                let (month, reason, attribution) = (r.get(0)?, r.get(3)?, r.get(4)?);
                let row = CountRow {
                    month,
                    la_code: r.get(1)?,
                    setting: settings.get(&site).copied().unwrap_or(Setting::Acute),
                    site_code: site,
                    reason,
                    attribution,
                    days: r.get::<_, i64>(5)?.max(0) as u64,
                };
                let same = stored.get(group).is_some_and(|g| {
                    (g.month, &g.la_code, &g.site_code, g.reason)
                        == (row.month, &row.la_code, &row.site_code, row.reason)
                });
                if !same {
                    stored[group..].sort_by_key(|c| c.attribution);
                    group = stored.len();
                }
                stored.push(row);
            }
            stored[group..].sort_by_key(|c| c.attribution);
        }
        let mut live: Acc = BTreeMap::new();
        self.live_days(from, to, las, today, |month, p, days| {
            live.entry((month, p.la.clone(), p.site.clone(), p.reason, p.attribution))
                .or_insert((p.setting, 0))
                .1 += days;
        })?;
        // Merge the two sorted lists, adding the live days to a stored row of the same key.
        let mut live = live.into_iter().map(CountRow::from_entry).peekable();
        let mut out = Vec::with_capacity(stored.len() + live.len());
        for mut s in stored {
            while let Some(l) = live.next_if(|l| count_key(l) < count_key(&s)) {
                out.push(l);
            }
            if let Some(l) = live.next_if(|l| count_key(l) == count_key(&s)) {
                s.days += l.days;
            }
            out.push(s);
        }
        out.extend(live);
        Ok(out)
    }

    /// Calls `f` with the delayed days each live period adds to each month of `from..=to`: open
    /// periods in every month, and every period in today's month or later (counted when read, not
    /// stored).
    fn live_days(
        &self,
        from: YearMonth,
        to: YearMonth,
        las: &[LaCode],
        today: NaiveDate,
        mut f: impl FnMut(YearMonth, &LivePeriod, u64),
    ) -> Result<()> {
        let cur_start = YearMonth::of(today).first_day();
        for p in self.live_periods(cur_start, today, las)? {
            // Closed periods' days before today's month are stored; open ones are all counted here.
            let span = if p.end.is_some() {
                delayed_span(p.start, p.end, today, cur_start..)
            } else {
                delayed_span(p.start, p.end, today, ..)
            };
            for (month, days) in days_by_month(span.start, span.end) {
                if month >= from && month <= to && days > 0 {
                    f(month, &p, u64::from(days));
                }
            }
        }
        Ok(())
    }

    /// The figures of [`Store::month_counts`] summed over sites and reasons: delayed days per month
    /// × authority by attribution, what the monthly report needs. SQLite sums the stored counts (one
    /// row out per month and authority, in the order of the primary key, so without a sort), which
    /// over ten years of England reads 800,000 stored rows several times faster than
    /// [`Store::month_counts`] can turn them into [`CountRow`]s.
    pub fn month_totals(
        &self,
        from: YearMonth,
        to: YearMonth,
        las: &[LaCode],
        today: NaiveDate,
    ) -> Result<Vec<MonthTotal>> {
        let mut acc = BTreeMap::new();
        self.stored_totals_into(from, to, las, today, &mut acc)?;
        self.live_days(from, to, las, today, |month, p, days| {
            let i = Attribution::ALL
                .iter()
                .position(|a| *a == p.attribution)
                .unwrap_or(0);
            acc.entry((month, p.la.clone())).or_default()[i] += days;
        })?;
        Ok(acc
            .into_iter()
            .map(|((month, la_code), days)| MonthTotal {
                month,
                la_code,
                days,
            })
            .collect())
    }

    /// The stored part of [`Store::month_totals`]: the closed periods' days of the months of
    /// `from..=to` before today's month (the app adds the live periods' days itself, see
    /// [`Store::live_periods_of`]).
    pub fn stored_month_totals(
        &self,
        from: YearMonth,
        to: YearMonth,
        today: NaiveDate,
    ) -> Result<Vec<MonthTotal>> {
        let mut acc = BTreeMap::new();
        self.stored_totals_into(from, to, &[], today, &mut acc)?;
        Ok(acc
            .into_iter()
            .map(|((month, la_code), days)| MonthTotal {
                month,
                la_code,
                days,
            })
            .collect())
    }

    fn stored_totals_into(
        &self,
        from: YearMonth,
        to: YearMonth,
        las: &[LaCode],
        today: NaiveDate,
        acc: &mut BTreeMap<(YearMonth, LaCode), [u64; 3]>,
    ) -> Result<()> {
        let current = YearMonth::of(today);
        let stored_to = to.min(current.prev());
        if from <= stored_to {
            let sql = format!(
                "SELECT month, la_code,
                        sum(CASE attribution WHEN 'NHS' THEN days ELSE 0 END),
                        sum(CASE attribution WHEN 'Social Care' THEN days ELSE 0 END),
                        sum(CASE attribution WHEN 'Both' THEN days ELSE 0 END)
                 FROM month_count WHERE month >= ?1 AND month <= ?2{}
                 GROUP BY month, la_code",
                stored_la_filter(las)
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(stored_params(las, from, stored_to)))?;
            while let Some(r) = rows.next()? {
                let month: YearMonth = r.get(0)?;
                let days = [r.get::<_, i64>(2)?, r.get(3)?, r.get(4)?].map(|d| d.max(0) as u64);
                acc.insert((month, r.get(1)?), days);
            }
        }
        Ok(())
    }

    /// The same figures by brute force: every period's every day, nothing summed in advance. Used by
    /// `dtoc check` and by tests to prove [`Store::month_counts`] right.
    pub fn recount_month_counts(
        &self,
        from: YearMonth,
        to: YearMonth,
        las: &[LaCode],
        today: NaiveDate,
    ) -> Result<Vec<CountRow>> {
        let mut acc: Acc = BTreeMap::new();
        for p in self.all_periods(las)? {
            let span = delayed_span(p.start, p.end, today, ..);
            let (mut day, end) = (span.start, span.end);
            while day < end {
                let m = YearMonth::of(day);
                if m >= from && m <= to {
                    acc.entry((m, p.la.clone(), p.site.clone(), p.reason, p.attribution))
                        .or_insert((p.setting, 0))
                        .1 += 1;
                }
                day = day.succ_opt().unwrap_or(end);
            }
        }
        Ok(acc.into_iter().map(CountRow::from_entry).collect())
    }

    /// Differences between the stored month counts and a recount of closed periods: empty when the
    /// stored counts are right.
    pub fn count_problems(&self) -> Result<Vec<String>> {
        self.count_problems_with(&crate::progress::Silent)
    }

    /// [`Store::count_problems`], telling `progress` the phase `recount` with the closed periods
    /// read (in steps of [`RECOUNT_STEP`]).
    pub fn count_problems_with(
        &self,
        progress: &dyn crate::progress::Progress,
    ) -> Result<Vec<String>> {
        let closed: i64 = self.conn.query_row(
            "SELECT count(*) FROM delay_period WHERE end_on IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        progress.phase(
            "recount",
            Some(closed.max(0) as u64),
            crate::progress::Unit::Rows,
        );
        let mut read = 0u64;
        let mut expected: BTreeMap<Key, i64> = BTreeMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT p.start_on, p.end_on, p.reason, p.attribution, s.la_code, s.site_code
             FROM delay_period p JOIN delay d ON d.id = p.delay_id JOIN stay s ON s.id = d.stay_id
             WHERE p.end_on IS NOT NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let start = parse_stored_date(&r.get::<_, String>(0)?)?;
            let end = parse_stored_date(&r.get::<_, String>(1)?)?;
            let reason: ReasonCode = r.get(2)?;
            let attribution: Attribution = r.get(3)?;
            let la: LaCode = r.get(4)?;
            let site: String = r.get(5)?;
            for (m, d) in days_by_month(start, end) {
                *expected
                    .entry((
                        m.key(),
                        la.to_string(),
                        site.clone(),
                        reason.code(),
                        attribution.label(),
                    ))
                    .or_default() += i64::from(d);
            }
            read += 1;
            if read == RECOUNT_STEP {
                progress.advance(read);
                read = 0;
            }
        }
        progress.advance(read);
        let mut stored: BTreeMap<Key, i64> = BTreeMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT month, la_code, site_code, reason, attribution, days FROM month_count",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let reason: ReasonCode = r.get(3)?;
            let attribution: Attribution = r.get(4)?;
            stored.insert(
                (
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    reason.code(),
                    attribution.label(),
                ),
                r.get(5)?,
            );
        }
        let mut out = Vec::new();
        for (k, v) in &expected {
            let s = stored.get(k).copied().unwrap_or(0);
            if s != *v {
                out.push(format!(
                    "counts: {} {} {} {} {}: stored {s} delayed days, recount {v}",
                    k.0, k.1, k.2, k.3, k.4
                ));
            }
        }
        for (k, s) in &stored {
            if !expected.contains_key(k) && *s != 0 {
                out.push(format!(
                    "counts: {} {} {} {} {}: stored {s} delayed days, recount 0",
                    k.0, k.1, k.2, k.3, k.4
                ));
            }
        }
        Ok(out)
    }

    /// Rebuilds `month_count` from the periods (repair after `dtoc check` finds a difference).
    pub fn rebuild_counts(&mut self) -> Result<()> {
        self.write(|w| {
            w.tx.execute("DELETE FROM month_count", [])?;
            let mut delta = CountDelta::default();
            {
                let mut stmt = w.tx.prepare(
                    "SELECT p.start_on, p.end_on, p.reason, p.attribution, s.la_code, s.site_code
                     FROM delay_period p JOIN delay d ON d.id = p.delay_id JOIN stay s ON s.id = d.stay_id
                     WHERE p.end_on IS NOT NULL",
                )?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    delta.period(
                        &r.get::<_, String>(4)?,
                        &r.get::<_, String>(5)?,
                        r.get(2)?,
                        r.get(3)?,
                        parse_stored_date(&r.get::<_, String>(0)?)?,
                        parse_stored_date(&r.get::<_, String>(1)?)?,
                        1,
                    );
                }
            }
            delta.flush(w)?;
            w.audit(&AuditEvent::MonthCountRebuild, "*", None, None)
        })
    }

    /// Patients delayed on `day` (ready on or before it, not ended by it), by authority and the
    /// attribution in force that day. (`+p.start_on` keeps SQLite on the `period_end` index: the
    /// periods not ended by a recent day are a few thousand, those started before it millions.)
    pub fn open_counts(&self, day: NaiveDate) -> Result<Vec<OpenCount>> {
        let d = date_str(day);
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.la_code, p.attribution, count(*)
             FROM delay_period p JOIN delay d ON d.id = p.delay_id JOIN stay s ON s.id = d.stay_id
             WHERE +p.start_on <= ?1 AND (p.end_on IS NULL OR p.end_on > ?1)
               AND (d.ended_on IS NULL OR d.ended_on > ?1)
             GROUP BY s.la_code, p.attribution ORDER BY s.la_code, p.attribution",
        )?;
        let rows = stmt.query_map(params![d], |r| {
            Ok((
                r.get::<_, LaCode>(0)?,
                r.get::<_, Attribution>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for r in rows {
            let (la_code, attribution, n) = r?;
            out.push(OpenCount {
                la_code,
                attribution,
                patients: n as u64,
            });
        }
        Ok(out)
    }

    /// Each authority's patients delayed on `day` (ready by it and not yet gone at its start, as
    /// [`Store::open_counts`] counts them) and those of them in hospital 14 and 21 days or more on
    /// `day`: as of the day, so a back-dated day counts the delays open then, not now.
    pub fn open_stays(&self, day: NaiveDate) -> Result<Vec<OpenStays>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.la_code, count(*),
                    sum(julianday(?1) - julianday(s.admitted_on) >= 14),
                    sum(julianday(?1) - julianday(s.admitted_on) >= 21)
             FROM delay d JOIN stay s ON s.id = d.stay_id
             WHERE (d.ended_on IS NULL OR d.ended_on > ?1) AND d.ready_on <= ?1
             GROUP BY s.la_code ORDER BY s.la_code",
        )?;
        let rows = stmt.query_map(params![date_str(day)], |r| {
            Ok(OpenStays {
                la_code: r.get(0)?,
                delayed: r.get::<_, i64>(1)?.unsigned_abs(),
                los14: r.get::<_, i64>(2)?.unsigned_abs(),
                los21: r.get::<_, i64>(3)?.unsigned_abs(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Whether any delay began, changed reason or ended after `day` (two index lookups): when
    /// none did, the delays open now are exactly those open on `day`.
    pub fn entries_after(&self, day: NaiveDate) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM delay_period WHERE start_on > ?1)
                 OR EXISTS (SELECT 1 FROM delay_period WHERE end_on > ?1)",
        )?;
        Ok(stmt.query_row(params![date_str(day)], |r| r.get(0))?)
    }

    fn site_settings(&self) -> Result<HashMap<String, Setting>> {
        let mut stmt = self.conn.prepare_cached("SELECT code, setting FROM site")?;
        let mut rows = stmt.query([])?;
        let mut out = HashMap::new();
        while let Some(r) = rows.next()? {
            out.insert(r.get(0)?, r.get(1)?);
        }
        Ok(out)
    }

    /// Periods open, or ending after `cur_start`, and started before `today`. (`+p.start_on` and
    /// `+s.la_code`: as in [`Store::open_counts`], the `period_end` index finds these few among
    /// millions; an authority's stays are tens of thousands.)
    fn live_periods(
        &self,
        cur_start: NaiveDate,
        today: NaiveDate,
        las: &[LaCode],
    ) -> Result<Vec<LivePeriod>> {
        let sql = format!(
            "SELECT p.start_on, p.end_on, p.reason, p.attribution, s.la_code, s.site_code, site.setting
             FROM delay_period p JOIN delay d ON d.id = p.delay_id JOIN stay s ON s.id = d.stay_id
             JOIN site ON site.code = s.site_code
             WHERE (p.end_on IS NULL OR p.end_on > ?1) AND +p.start_on < ?2{}",
            if las.is_empty() {
                ""
            } else {
                " AND +s.la_code IN rarray(?3)"
            }
        );
        let mut p: Vec<Box<dyn ToSql>> =
            vec![Box::new(date_str(cur_start)), Box::new(date_str(today))];
        if !las.is_empty() {
            p.push(Box::new(la_param(las)));
        }
        self.query_periods(&sql, params_from_iter(p))
    }

    fn all_periods(&self, las: &[LaCode]) -> Result<Vec<LivePeriod>> {
        let sql = format!(
            "SELECT p.start_on, p.end_on, p.reason, p.attribution, s.la_code, s.site_code, site.setting
             FROM delay_period p JOIN delay d ON d.id = p.delay_id JOIN stay s ON s.id = d.stay_id
             JOIN site ON site.code = s.site_code{}",
            if las.is_empty() {
                ""
            } else {
                " WHERE s.la_code IN rarray(?1)"
            }
        );
        if las.is_empty() {
            self.query_periods(&sql, [])
        } else {
            self.query_periods(&sql, [la_param(las)])
        }
    }

    fn query_periods(&self, sql: &str, p: impl rusqlite::Params) -> Result<Vec<LivePeriod>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(p)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(LivePeriod {
                start: parse_stored_date(&r.get::<_, String>(0)?)?,
                end: r
                    .get::<_, Option<String>>(1)?
                    .map(|s| parse_stored_date(&s))
                    .transpose()?,
                reason: r.get(2)?,
                attribution: r.get(3)?,
                la: r.get(4)?,
                site: r.get(5)?,
                setting: r.get(6)?,
            });
        }
        Ok(out)
    }
}
