//! Weekly sign-off and the freeze (docs/signoff.md).
//!
//! A side (NHS or council) signs a week that is over; its delayed days are stored as they were at
//! signing (`signoff_day`, one row per delay and day) beside the week's figures (JSON). A week signed
//! by both sides is **frozen**. The guard is implemented once, here, and runs inside every
//! [`Store::write`] transaction: temporary triggers note each delay whose periods, dates, stay or
//! site a write touches, and before committing the touched delays' days in every frozen week are
//! compared with the signed ones. Any difference refuses the whole write (the transaction is rolled
//! back) with a message naming the week and both signatories. So every write path, present and
//! future, is covered without having to remember to call the guard.
//!
//! Reopening a week needs a reason; it clears the active signatures (kept, with who cleared them,
//! when and why), and re-signing stores the new figures beside the old.

use super::audit_event::{AuditEvent, WeekEvent};
use super::{date_str, parse_stored_date, Store, Writer};
use crate::domain::{delayed_span, DelayedDay, Side, Week};
use crate::error::{Error, Result, WeekRefusal};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

/// One signature of a week (active, or cleared by a reopening).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signoff {
    pub id: i64,
    pub week: String,
    pub side: Side,
    pub signed_by: String,
    pub signed_at: String,
    pub comment: Option<String>,
    /// The week's figures at signing (JSON of [`crate::domain::week_figures::WeekFigures`]).
    pub figures: String,
    /// Delayed days at signing.
    pub days: u64,
    pub cleared_at: Option<String>,
    pub cleared_by: Option<String>,
    pub cleared_reason: Option<String>,
    /// The user the audit log attributes the signature to (the OS user, `--user` or
    /// `$DTOC_USER`), beside the name typed as who signs; `None` when no audit entry says.
    pub user: Option<String>,
}

/// A week's sign-off state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekStatus {
    pub week: String,
    /// Every signature, oldest first, the cleared ones included.
    pub signoffs: Vec<Signoff>,
}

impl WeekStatus {
    /// The active signature of `side`, if any.
    pub fn active(&self, side: Side) -> Option<&Signoff> {
        self.signoffs
            .iter()
            .find(|s| s.side == side && s.cleared_at.is_none())
    }

    /// Signed by both sides.
    pub fn frozen(&self) -> bool {
        Side::ALL.iter().all(|s| self.active(*s).is_some())
    }

    /// `NHS: A Nurse at …; council: B Officer at …` (the active signatures).
    pub fn signed_by(&self) -> String {
        Side::ALL
            .iter()
            .filter_map(|s| self.active(*s))
            .map(|s| format!("{}: {} at {}", s.side.label(), s.signed_by, s.signed_at))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A signature to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignWeek {
    pub week: Week,
    pub side: Side,
    pub by: String,
    pub comment: Option<String>,
}

/// Temporary (per-connection) table and triggers noting the delays a write touches.
const GUARD_SQL: &str = "
CREATE TEMP TABLE IF NOT EXISTS touched_delay (delay_id INTEGER PRIMARY KEY);
CREATE TEMP TRIGGER IF NOT EXISTS touch_period_ins AFTER INSERT ON main.delay_period
BEGIN INSERT OR IGNORE INTO touched_delay VALUES (NEW.delay_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_period_upd AFTER UPDATE ON main.delay_period
BEGIN INSERT OR IGNORE INTO touched_delay VALUES (OLD.delay_id); INSERT OR IGNORE INTO touched_delay VALUES (NEW.delay_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_period_del AFTER DELETE ON main.delay_period
BEGIN INSERT OR IGNORE INTO touched_delay VALUES (OLD.delay_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_delay_ins AFTER INSERT ON main.delay
BEGIN INSERT OR IGNORE INTO touched_delay VALUES (NEW.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_delay_upd AFTER UPDATE OF ready_on, ended_on, stay_id ON main.delay
BEGIN INSERT OR IGNORE INTO touched_delay VALUES (OLD.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_delay_del BEFORE DELETE ON main.delay
BEGIN INSERT OR IGNORE INTO touched_delay VALUES (OLD.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_stay_upd AFTER UPDATE OF la_code, site_code ON main.stay
BEGIN INSERT OR IGNORE INTO touched_delay SELECT id FROM delay WHERE stay_id = NEW.id; END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_stay_del BEFORE DELETE ON main.stay
BEGIN INSERT OR IGNORE INTO touched_delay SELECT id FROM delay WHERE stay_id = OLD.id; END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_site_upd AFTER UPDATE OF setting ON main.site
BEGIN INSERT OR IGNORE INTO touched_delay SELECT d.id FROM delay d JOIN stay s ON s.id = d.stay_id WHERE s.site_code = NEW.code; END;
";

/// Installs the freeze guard's triggers on a connection (after its migrations).
pub(crate) fn install_guard(conn: &Connection) -> Result<()> {
    conn.execute_batch(GUARD_SQL)?;
    Ok(())
}

/// The delayed days in `[from, to)`, one per delay and day. An open period counts up to `until`
/// (exclusive) when given, else to `to`; with `touched_only`, only the delays the current write
/// touched.
///
/// Which periods are read decides the time on a national register (millions of periods): the
/// touched delays' by `delay_id`; otherwise through whichever index walks fewer: `period_end` (the
/// open periods and those ending after `from`) for a range in the later half of the register's
/// history, `period_start` (those starting before `to`) for one in the earlier half. The other
/// test is made on each period read (`+` keeps SQLite from choosing its index).
pub(crate) fn days_in(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    until: Option<NaiveDate>,
    touched_only: bool,
) -> Result<Vec<DelayedDay>> {
    let to = until.map_or(to, |u| u.min(to));
    let mut sql = String::from(
        "SELECT p.delay_id, pt.local_id, s.la_code, s.site_code, site.setting, p.reason, p.attribution,
                p.start_on, p.end_on
         FROM delay_period p
         JOIN delay d ON d.id = p.delay_id
         JOIN stay s ON s.id = d.stay_id
         JOIN patient pt ON pt.id = s.patient_id
         JOIN site ON site.code = s.site_code
         WHERE ",
    );
    sql.push_str(if touched_only {
        "+p.start_on < ?2 AND (p.end_on IS NULL OR +p.end_on > ?1)
         AND p.delay_id IN (SELECT delay_id FROM temp.touched_delay)"
    } else if in_earlier_half(conn, from, to)? {
        "p.start_on < ?2 AND (p.end_on IS NULL OR +p.end_on > ?1)"
    } else {
        "+p.start_on < ?2 AND (p.end_on IS NULL OR p.end_on > ?1)"
    });
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![date_str(from), date_str(to)])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let start = parse_stored_date(&r.get::<_, String>(7)?)?;
        let end = r
            .get::<_, Option<String>>(8)?
            .map(|e| parse_stored_date(&e))
            .transpose()?;
        let span = delayed_span(start, end, to, from..to);
        let template = DelayedDay {
            day: start,
            delay_id: r.get(0)?,
            local_id: r.get(1)?,
            la_code: r.get(2)?,
            site_code: r.get(3)?,
            setting: r.get(4)?,
            reason: r.get(5)?,
            attribution: r.get(6)?,
        };
        let mut day = span.start;
        while day < span.end {
            out.push(DelayedDay {
                day,
                ..template.clone()
            });
            day = day.succ_opt().unwrap_or(span.end);
        }
    }
    out.sort();
    Ok(out)
}

/// Whether `[from, to)` lies nearer the first period's start than the last's: then fewer periods
/// start before `to` than end after `from` (or are open). Two index lookups.
fn in_earlier_half(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<bool> {
    let (first, last): (Option<String>, Option<String>) = conn
        .prepare_cached(
            "SELECT (SELECT min(start_on) FROM delay_period), (SELECT max(start_on) FROM delay_period)",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(false);
    };
    let (first, last) = (parse_stored_date(&first)?, parse_stored_date(&last)?);
    Ok(to - first < last - from)
}

/// The days stored with a signature; with `touched_only`, only the touched delays'.
fn signed_days(conn: &Connection, signoff_id: i64, touched_only: bool) -> Result<Vec<DelayedDay>> {
    let mut sql = String::from(
        "SELECT delay_id, local_id, la_code, site_code, setting, reason, attribution, day
         FROM signoff_day WHERE signoff_id = ?1",
    );
    if touched_only {
        sql.push_str(" AND delay_id IN (SELECT delay_id FROM temp.touched_delay)");
    }
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![signoff_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(DelayedDay {
            day: parse_stored_date(&r.get::<_, String>(7)?)?,
            delay_id: r.get(0)?,
            local_id: r.get(1)?,
            la_code: r.get(2)?,
            site_code: r.get(3)?,
            setting: r.get(4)?,
            reason: r.get(5)?,
            attribution: r.get(6)?,
        });
    }
    out.sort();
    Ok(out)
}

/// Whether two lists of days differ in anything a figure depends on: the day, the patient, the
/// authority, the site and its type of care, the reason and the attribution. Which delay record a
/// day belongs to is not a figure: an import that merges two abutting delays of a stay into one
/// leaves every day as it was.
fn figures_differ(a: &[DelayedDay], b: &[DelayedDay]) -> bool {
    let keys = |v: &[DelayedDay]| {
        let mut k: Vec<_> = v.iter().map(DelayedDay::figure_key).collect();
        k.sort();
        k
    };
    a.len() != b.len() || keys(a) != keys(b)
}

/// Each authority's name by code (for the words of a refusal).
fn authority_names(conn: &Connection) -> Result<std::collections::HashMap<String, String>> {
    let mut stmt =
        conn.prepare_cached("SELECT code, name FROM local_authority WHERE name IS NOT NULL")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The `meta` key of the hub's sign-off rule: `allowed` lets one user sign both sides of a week;
/// absent (or anything else), the two sides are signed by two users.
pub(super) const SAME_USER_KEY: &str = "signoff_same_user";

fn same_user_allowed(conn: &Connection) -> Result<bool> {
    use rusqlite::OptionalExtension;
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            params![SAME_USER_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.as_deref() == Some("allowed"))
}

fn read_signoff(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Signoff, String)> {
    let side: String = r.get(2)?;
    Ok((
        Signoff {
            id: r.get(0)?,
            week: r.get(1)?,
            side: if side == "nhs" {
                Side::Nhs
            } else {
                Side::Council
            },
            signed_by: r.get(3)?,
            signed_at: r.get(4)?,
            comment: r.get(5)?,
            figures: r.get(6)?,
            days: r.get::<_, i64>(7)?.max(0) as u64,
            cleared_at: r.get(8)?,
            cleared_by: r.get(9)?,
            cleared_reason: r.get(10)?,
            user: r.get(11)?,
        },
        side,
    ))
}

fn week_status(conn: &Connection, week: &str) -> Result<WeekStatus> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.week, s.side, s.signed_by, s.signed_at, s.comment, s.figures,
                (SELECT count(*) FROM signoff_day d WHERE d.signoff_id = s.id),
                s.cleared_at, s.cleared_by, s.cleared_reason,
                (SELECT a.user FROM audit_log a
                 WHERE a.entity = 'week' AND a.entity_id = s.week AND a.action = 'sign'
                   AND a.field = s.side AND a.at = s.signed_at
                 ORDER BY a.id DESC LIMIT 1)
         FROM signoff s WHERE s.week = ?1 ORDER BY s.id",
    )?;
    let rows = stmt.query_map(params![week], read_signoff)?;
    let signoffs = rows
        .map(|r| r.map(|(s, _)| s))
        .collect::<rusqlite::Result<_>>()?;
    Ok(WeekStatus {
        week: week.to_string(),
        signoffs,
    })
}

/// Weeks signed by both sides, oldest first.
fn frozen_weeks(conn: &Connection) -> Result<Vec<Week>> {
    let mut stmt = conn.prepare_cached(
        "SELECT week FROM signoff WHERE cleared_at IS NULL
         GROUP BY week HAVING count(DISTINCT side) = 2 ORDER BY week",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The latest active signature of a week (both sides hold the same days when it is frozen).
fn latest_active(status: &WeekStatus) -> Option<&Signoff> {
    status
        .signoffs
        .iter()
        .filter(|s| s.cleared_at.is_none())
        .max_by_key(|s| s.id)
}

fn frozen(week: &str, status: &WeekStatus) -> crate::error::FrozenWeek {
    crate::error::FrozenWeek {
        week: week.to_string(),
        signed_by: status.signed_by(),
    }
}

impl Writer<'_> {
    /// Empties the list of touched delays (at the start of each write).
    pub(crate) fn reset_touched(&self) -> Result<()> {
        self.tx.execute("DELETE FROM temp.touched_delay", [])?;
        Ok(())
    }

    /// The freeze guard: refuses the write when it altered a delayed day of a frozen week.
    pub(crate) fn check_frozen(&self) -> Result<()> {
        let touched: i64 =
            self.tx
                .query_row("SELECT count(*) FROM temp.touched_delay", [], |r| r.get(0))?;
        if touched == 0 {
            return Ok(());
        }
        for w in frozen_weeks(self.tx)? {
            let week = w.key();
            let status = week_status(self.tx, &week)?;
            let Some(signed) = latest_active(&status) else {
                continue;
            };
            let now = days_in(self.tx, w.start(), w.end_exclusive(), None, true)?;
            let then = signed_days(self.tx, signed.id, true)?;
            if figures_differ(&now, &then) {
                return Err(Error::Frozen(frozen(&week, &status)));
            }
        }
        Ok(())
    }
}

impl Store {
    /// A week's delayed days as of `today` (an open delay counts up to the day before today).
    pub fn week_days(&self, week: Week, today: NaiveDate) -> Result<Vec<DelayedDay>> {
        days_in(
            &self.conn,
            week.start(),
            week.end_exclusive(),
            Some(today),
            false,
        )
    }

    /// Delayed days in `[from, to)` as of `today`.
    pub fn days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<Vec<DelayedDay>> {
        days_in(&self.conn, from, to, Some(today), false)
    }

    /// Every signature of a week, the cleared ones included.
    pub fn week_status(&self, week: Week) -> Result<WeekStatus> {
        week_status(&self.conn, &week.key())
    }

    /// Weeks signed by both sides.
    pub fn frozen_weeks(&self) -> Result<Vec<String>> {
        Ok(frozen_weeks(&self.conn)?
            .into_iter()
            .map(Week::key)
            .collect())
    }

    /// The days stored with the latest active signature of every frozen week overlapping
    /// `[from, to)`, restricted to that range.
    pub fn signed_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<DelayedDay>> {
        let mut out = Vec::new();
        for w in frozen_weeks(&self.conn)? {
            let week = w.key();
            if w.end_exclusive() <= from || w.start() >= to {
                continue;
            }
            let status = week_status(&self.conn, &week)?;
            if let Some(s) = latest_active(&status) {
                out.extend(
                    signed_days(&self.conn, s.id, false)?
                        .into_iter()
                        .filter(|d| d.day >= from && d.day < to),
                );
            }
        }
        out.sort();
        Ok(out)
    }

    /// Signs a week off for one side, storing its days and figures as they are now. The week must
    /// be over; a side signs once until the week is reopened; the second side must sign the same
    /// days the first did.
    pub fn sign_week(&mut self, sign: &SignWeek, today: NaiveDate) -> Result<Signoff> {
        let week = sign.week.key();
        let by = sign.by.trim();
        {
            use crate::domain::text::{check_bounded, TextKind, COMMENT_MAX, USER_MAX};
            check_bounded("name of who signs", by, TextKind::Line, USER_MAX)
                .map_err(Error::invalid)?;
            if let Some(c) = &sign.comment {
                check_bounded("comment", c, TextKind::Note, COMMENT_MAX).map_err(Error::invalid)?;
            }
        }
        if by.is_empty() {
            return Err(Error::Week(WeekRefusal::NoSigner));
        }
        if !sign.week.is_over(today) {
            return Err(Error::Week(WeekRefusal::NotOver {
                week,
                first: sign.week.start(),
                last: sign.week.last_day(),
                today,
            }));
        }
        let comment = sign
            .comment
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        self.write(|w| {
            let status = week_status(w.tx, &week)?;
            if let Some(s) = status.active(sign.side) {
                return Err(Error::Week(WeekRefusal::AlreadySigned {
                    week: week.clone(),
                    side: s.side.label().to_string(),
                    by: s.signed_by.clone(),
                    at: s.signed_at.clone(),
                }));
            }
            let days = days_in(w.tx, sign.week.start(), sign.week.end_exclusive(), None, false)?;
            let other = Side::ALL.into_iter().find(|s| *s != sign.side);
            let first = other.and_then(|o| status.active(o));
            // Two sides, two users (issue 26), unless the hub's rule allows one user both.
            let same_user = first
                .and_then(|o| o.user.as_deref())
                .filter(|u| *u == w.user);
            if let (Some(o), Some(user)) = (first, same_user) {
                if !same_user_allowed(w.tx)? {
                    return Err(Error::Week(WeekRefusal::SameUser {
                        week: week.clone(),
                        side: o.side.label().to_string(),
                        user: user.to_string(),
                    }));
                }
            }
            if let Some(o) = first {
                let signed = signed_days(w.tx, o.id, false)?;
                if figures_differ(&days, &signed) {
                    let names = authority_names(w.tx)?;
                    let changes = crate::domain::week_change(&signed, &days).describe(|l| {
                        names
                            .get(l.as_str())
                            .cloned()
                            .unwrap_or_else(|| l.to_string())
                    });
                    return Err(Error::Week(WeekRefusal::FiguresChanged {
                        week: week.clone(),
                        side: o.side.label().to_string(),
                        by: o.signed_by.clone(),
                        at: o.signed_at.clone(),
                        changes,
                    }));
                }
            }
            let figures = crate::domain::week_figures::week_figures(sign.week, &days, &[]);
            let json = serde_json::to_string(&figures)
                .map_err(|e| Error::Stored(format!("week figures: {e}")))?;
            w.tx.execute(
                "INSERT INTO signoff (week, side, signed_by, signed_at, comment, figures)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![week, sign.side.key(), by, w.at, comment, json],
            )?;
            let id = w.tx.last_insert_rowid();
            let mut ins = w.tx.prepare_cached(
                "INSERT INTO signoff_day (signoff_id, delay_id, day, local_id, la_code, site_code, setting, reason, attribution)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for d in &days {
                ins.execute(params![
                    id,
                    d.delay_id,
                    date_str(d.day),
                    d.local_id,
                    d.la_code,
                    d.site_code,
                    d.setting.key(),
                    d.reason.code(),
                    d.attribution.label()
                ])?;
            }
            w.audit(
                &AuditEvent::Week(WeekEvent::Sign(sign.side)),
                &week,
                None,
                Some(&format!(
                    "signed by {by}: {} delayed days{}{}",
                    days.len(),
                    comment.map_or(String::new(), |c| format!(" ({c})")),
                    match (first, same_user) {
                        (Some(o), Some(u)) => format!(
                            "; the same user ({u}) signed the {} side (the hub's sign-off rule allows it)",
                            o.side.label()
                        ),
                        _ => String::new(),
                    }
                )),
            )?;
            let status = week_status(w.tx, &week)?;
            status
                .signoffs
                .into_iter()
                .find(|s| s.id == id)
                .ok_or_else(|| Error::Stored(format!("signature {id} not found after writing it")))
        })
    }

    /// Whether the hub's sign-off rule lets one user sign both sides of a week (default: no).
    pub fn signoff_same_user_allowed(&self) -> Result<bool> {
        same_user_allowed(&self.conn)
    }

    /// Sets the hub's sign-off rule (audited, old and new): `allowed` lets one user sign both
    /// sides; otherwise the second side must be signed by another user. Returns whether it changed.
    pub fn set_signoff_same_user(&mut self, allowed: bool) -> Result<bool> {
        let word = |a: bool| if a { "allowed" } else { "refused" };
        self.write(|w| {
            let before = same_user_allowed(w.tx)?;
            if before == allowed {
                return Ok(false);
            }
            w.tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![SAME_USER_KEY, word(allowed)],
            )?;
            w.audit(
                &AuditEvent::Week(WeekEvent::SameUserRule),
                "all",
                Some(word(before)),
                Some(word(allowed)),
            )?;
            Ok(true)
        })
    }

    /// Reopens a week: clears its active signatures (kept, with who cleared them, when and why).
    /// Returns how many signatures were cleared.
    pub fn reopen_week(&mut self, week: Week, reason: &str) -> Result<usize> {
        let key = week.key();
        let reason = reason.trim();
        use crate::domain::text::{check_bounded, TextKind, COMMENT_MAX};
        check_bounded("reason", reason, TextKind::Note, COMMENT_MAX).map_err(Error::invalid)?;
        if reason.is_empty() {
            return Err(Error::Week(WeekRefusal::NoReason(key)));
        }
        self.write(|w| {
            let status = week_status(w.tx, &key)?;
            let before = status.signed_by();
            let n = w.tx.execute(
                "UPDATE signoff SET cleared_at = ?1, cleared_by = ?2, cleared_reason = ?3
                 WHERE week = ?4 AND cleared_at IS NULL",
                params![w.at, w.user, reason, key],
            )?;
            if n == 0 {
                return Err(Error::Week(WeekRefusal::NotSigned(key.clone())));
            }
            w.audit(
                &AuditEvent::Week(WeekEvent::Reopen),
                &key,
                Some(&before),
                Some(reason),
            )?;
            Ok(n)
        })
    }

    /// `dtoc check`: each frozen week's days now equal the days stored at signing.
    pub fn frozen_problems(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for w in frozen_weeks(&self.conn)? {
            let week = w.key();
            let status = week_status(&self.conn, &week)?;
            for s in Side::ALL.iter().filter_map(|s| status.active(*s)) {
                let now = days_in(&self.conn, w.start(), w.end_exclusive(), None, false)?;
                let then = signed_days(&self.conn, s.id, false)?;
                if figures_differ(&now, &then) {
                    out.push(format!(
                        "signoff: week {week} is frozen but its delayed days differ from those the {} side signed ({} now, {} signed by {})",
                        s.side.label(),
                        now.len(),
                        then.len(),
                        s.signed_by
                    ));
                }
            }
        }
        Ok(out)
    }
}
