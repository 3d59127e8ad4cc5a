//! The delay register: list, detail, add, change reason, end, edit, delete, review. The reads and
//! the types are here; the writes in `edits`, what they share in a transaction in `writer`.

use super::audit_event::{AuditEvent, DelayEvent, DelayField, StayEvent, StayField};
use super::patients::Source;
use super::stay_writer::{Leaving, NewStay};
use super::{date_str, parse_stored_date, AuditEntry, Store, Writer};
use crate::domain::{
    delayed_days, AcuteReason, Attribution, EndKind, LaCode, NhsNumber, Pathway, ReasonCode,
    Setting,
};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

mod actions;
mod edits;
mod round;
mod writer;

pub use actions::{ActionEdit, ActionFilter, ActionListRow, ActionRow, NewAction, OpenActions};
pub use round::Placement;

/// One delay as the register lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DelayRow {
    pub delay_id: i64,
    pub version: i64,
    pub stay_id: i64,
    pub local_id: String,
    #[serde(skip)]
    pub nhs_number: Option<NhsNumber>,
    pub site_code: String,
    pub setting: Setting,
    pub la_code: LaCode,
    pub la_name: Option<String>,
    pub admitted_on: NaiveDate,
    pub ready_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_kind: Option<EndKind>,
    pub reason: ReasonCode,
    pub attribution: Attribution,
    pub planned_pathway: Option<Pathway>,
    pub reviewed_on: Option<NaiveDate>,
    /// Who marked it reviewed on `reviewed_on` (`None` before version 6 or never).
    pub reviewed_by: Option<String>,
    /// Where the patient lies and when discharge is expected (the stay's, optional).
    pub ward: Option<String>,
    pub bed: Option<String>,
    pub expected_on: Option<NaiveDate>,
    /// The newest action's text (patient-level: never in an aggregate export).
    pub last_action: Option<String>,
    /// Its open actions: how many, and the one due first.
    pub open_actions: OpenActions,
}

impl DelayRow {
    /// Delayed days so far as of `today` (up to the day before `today` while open).
    pub fn days_delayed(&self, today: NaiveDate) -> u32 {
        crate::domain::delayed_days_within(self.ready_on, self.ended_on, today, ..)
    }

    /// Length of stay on `today` (midnights since admission).
    pub fn length_of_stay(&self, today: NaiveDate) -> u32 {
        delayed_days(self.admitted_on, today)
    }

    /// The order of the wards as walked: site, ward and bed in natural order (`Ward 7` before
    /// `Ward 10`, any case; no ward last), then local id and id so ties keep one order.
    pub fn cmp_place(&self, other: &Self) -> std::cmp::Ordering {
        crate::domain::cmp_place(
            (&self.site_code, self.ward.as_deref(), self.bed.as_deref()),
            (
                &other.site_code,
                other.ward.as_deref(),
                other.bed.as_deref(),
            ),
        )
        .then_with(|| crate::domain::natural_cmp(&self.local_id, &other.local_id))
        .then_with(|| self.delay_id.cmp(&other.delay_id))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodRow {
    pub id: i64,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub reason: ReasonCode,
    pub attribution: Attribution,
    /// One of the 18 reasons of the acute sitrep (table 5), beside the DTOC code.
    pub acute_reason: Option<AcuteReason>,
}

/// The audit text of an acute sitrep reason: `, acute <code>` or nothing.
fn acute_note(a: Option<AcuteReason>) -> String {
    a.map(|a| format!(", acute {}", a.code()))
        .unwrap_or_default()
}

/// A delay's periods, oldest first (from the store's connection or a write transaction).
fn query_periods(conn: &rusqlite::Connection, delay_id: i64) -> Result<Vec<PeriodRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, start_on, end_on, reason, attribution, acute_reason FROM delay_period
         WHERE delay_id = ?1 ORDER BY start_on",
    )?;
    let mut rows = stmt.query(params![delay_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(PeriodRow {
            id: r.get(0)?,
            start: parse_stored_date(&r.get::<_, String>(1)?)?,
            end: opt_date(r.get(2)?)?,
            reason: r.get(3)?,
            attribution: r.get(4)?,
            // A code this version does not know is shown as none rather than refusing the delay.
            acute_reason: r
                .get::<_, Option<String>>(5)?
                .and_then(|a| AcuteReason::parse(&a).ok()),
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayDetail {
    pub row: DelayRow,
    pub discharged_on: Option<NaiveDate>,
    pub pathway: Option<Pathway>,
    pub destination: Option<String>,
    /// Whether the discharge went to the usual place of residence (`None`: not known).
    pub usual_residence: Option<bool>,
    pub periods: Vec<PeriodRow>,
    pub history: Vec<AuditEntry>,
    /// The actions log, newest first.
    pub actions: Vec<ActionRow>,
}

/// Which delays to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DelayFilter {
    pub include_ended: bool,
    pub la_code: Option<String>,
    pub site_code: Option<String>,
    pub reason: Option<ReasonCode>,
    pub attribution: Option<Attribution>,
    /// At most this many rows (the longest delays first); `None` for all.
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelay {
    pub local_id: String,
    pub nhs_number: Option<NhsNumber>,
    pub admitted_on: NaiveDate,
    pub site_code: String,
    pub la_code: LaCode,
    pub ready_on: NaiveDate,
    pub reason: ReasonCode,
    pub attribution: Attribution,
    pub planned_pathway: Option<Pathway>,
    /// The acute sitrep's reason (table 5) for the first period, if recorded.
    pub acute_reason: Option<AcuteReason>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonChange {
    pub delay_id: i64,
    pub version: i64,
    pub from: NaiveDate,
    pub reason: ReasonCode,
    pub attribution: Attribution,
    /// The acute sitrep's reason (table 5) from `from` on, if recorded.
    pub acute_reason: Option<AcuteReason>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndDelay {
    pub delay_id: i64,
    pub version: i64,
    pub on: NaiveDate,
    pub kind: EndKind,
    pub pathway: Option<Pathway>,
    pub destination: Option<String>,
    /// Whether a discharge went to the patient's usual place of residence (`None`: not known).
    pub usual_residence: Option<bool>,
}

/// Changes to a delay's own fields and its stay's; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditDelay {
    pub delay_id: i64,
    pub version: i64,
    pub ready_on: Option<NaiveDate>,
    pub planned_pathway: Option<Option<Pathway>>,
    pub site_code: Option<String>,
    pub la_code: Option<LaCode>,
    pub admitted_on: Option<NaiveDate>,
}

const ROW_SQL: &str = "SELECT d.id, d.version, s.id, pt.local_id, pt.nhs_number, s.site_code, site.setting,
        s.la_code, la.name, s.admitted_on, d.ready_on, d.ended_on, d.end_kind, cp.reason, cp.attribution,
        d.planned_pathway, d.reviewed_on, d.reviewed_by, s.ward, s.bed, s.expected_on,
        (SELECT a.text FROM delay_action a WHERE a.delay_id = d.id ORDER BY a.id DESC LIMIT 1),
        (SELECT count(*) FROM delay_action a WHERE a.delay_id = d.id AND a.state = 'open'),
        na.text, na.owner, na.due_on
    FROM delay d
    JOIN stay s ON s.id = d.stay_id
    JOIN patient pt ON pt.id = s.patient_id
    JOIN site ON site.code = s.site_code
    LEFT JOIN local_authority la ON la.code = s.la_code
    JOIN delay_period cp ON cp.delay_id = d.id
        AND cp.start_on = (SELECT max(start_on) FROM delay_period q WHERE q.delay_id = d.id)
    LEFT JOIN delay_action na ON na.id = (SELECT a.id FROM delay_action a
        WHERE a.delay_id = d.id AND a.state = 'open' ORDER BY a.due_on IS NULL, a.due_on, a.id LIMIT 1)";

fn opt_date(s: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
    s.map(|s| parse_stored_date(&s)).transpose()
}

fn read_row(r: &rusqlite::Row<'_>) -> Result<DelayRow> {
    Ok(DelayRow {
        delay_id: r.get(0)?,
        version: r.get(1)?,
        stay_id: r.get(2)?,
        local_id: r.get(3)?,
        nhs_number: r
            .get::<_, Option<String>>(4)?
            .and_then(|n| NhsNumber::parse(&n).ok()),
        site_code: r.get(5)?,
        setting: r.get(6)?,
        la_code: r.get(7)?,
        la_name: r.get(8)?,
        admitted_on: parse_stored_date(&r.get::<_, String>(9)?)?,
        ready_on: parse_stored_date(&r.get::<_, String>(10)?)?,
        ended_on: opt_date(r.get(11)?)?,
        end_kind: r
            .get::<_, Option<String>>(12)?
            .and_then(|k| EndKind::parse(&k).ok()),
        reason: r.get(13)?,
        attribution: r.get(14)?,
        planned_pathway: r.get(15)?,
        reviewed_on: opt_date(r.get(16)?)?,
        reviewed_by: r.get(17)?,
        ward: r.get(18)?,
        bed: r.get(19)?,
        expected_on: opt_date(r.get(20)?)?,
        last_action: r.get(21)?,
        open_actions: OpenActions {
            count: r.get(22)?,
            next_text: r.get(23)?,
            next_owner: r.get(24)?,
            next_due: opt_date(r.get(25)?)?,
        },
    })
}

impl Store {
    /// Delays, longest delayed first (as of `today`).
    pub fn list_delays(&self, filter: &DelayFilter, today: NaiveDate) -> Result<Vec<DelayRow>> {
        let mut sql = format!("{ROW_SQL} WHERE 1 = 1");
        let mut args: Vec<String> = Vec::new();
        if !filter.include_ended {
            sql.push_str(" AND d.ended_on IS NULL");
        }
        if let Some(la) = &filter.la_code {
            args.push(la.clone());
            sql.push_str(&format!(" AND s.la_code = ?{}", args.len()));
        }
        if let Some(site) = &filter.site_code {
            args.push(site.clone());
            sql.push_str(&format!(" AND s.site_code = ?{}", args.len()));
        }
        if let Some(r) = filter.reason {
            args.push(r.code().to_string());
            sql.push_str(&format!(" AND cp.reason = ?{}", args.len()));
        }
        if let Some(a) = filter.attribution {
            args.push(a.label().to_string());
            sql.push_str(&format!(" AND cp.attribution = ?{}", args.len()));
        }
        args.push(date_str(today));
        sql.push_str(&format!(
            " ORDER BY julianday(min(coalesce(d.ended_on, ?{n}), ?{n})) - julianday(d.ready_on) DESC, d.id",
            n = args.len()
        ));
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(read_row(r)?);
        }
        Ok(out)
    }

    /// The register rows of every delay of one stay (a save to one delay can change its stay,
    /// which the stay's other delays show): the app's reload after its own save reads only these.
    pub fn stay_delay_rows(&self, stay_id: i64) -> Result<Vec<DelayRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{ROW_SQL} WHERE s.id = ?1 ORDER BY d.id"))?;
        let mut rows = stmt.query(params![stay_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(read_row(r)?);
        }
        Ok(out)
    }

    /// The register rows of some delays and of every delay of some stays, by delay id (what the
    /// app reads again after another user's save touched them).
    pub fn delay_rows_of(&self, delays: &[i64], stays: &[i64]) -> Result<Vec<DelayRow>> {
        let ids = |v: &[i64]| -> rusqlite::vtab::array::Array {
            std::rc::Rc::new(
                v.iter()
                    .map(|i| rusqlite::types::Value::Integer(*i))
                    .collect(),
            )
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "{ROW_SQL} WHERE d.id IN rarray(?1) OR d.stay_id IN rarray(?2) ORDER BY d.id"
        ))?;
        let mut rows = stmt.query(params![ids(delays), ids(stays)])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(read_row(r)?);
        }
        Ok(out)
    }

    /// The register row of one delay, `None` when there is no such delay.
    pub fn delay_row(&self, delay_id: i64) -> Result<Option<DelayRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{ROW_SQL} WHERE d.id = ?1"))?;
        let mut rows = stmt.query(params![delay_id])?;
        rows.next()?.map(read_row).transpose()
    }

    /// One delay with its periods and history.
    pub fn delay_detail(&self, delay_id: i64) -> Result<DelayDetail> {
        let row = self
            .delay_row(delay_id)?
            .ok_or_else(|| Error::NotFound(format!("delay {delay_id}")))?;
        let (discharged_on, pathway, destination, usual_residence) = self.conn.query_row(
            "SELECT discharged_on, pathway, destination, usual_residence FROM stay WHERE id = ?1",
            params![row.stay_id],
            |r| {
                Ok((
                    opt_date(r.get(0)?)?,
                    r.get(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<i64>>(3)?.map(|u| u != 0),
                ))
            },
        )?;
        let periods = self.periods_of(delay_id)?;
        let mut history = self.audit_for("delay", &delay_id.to_string())?;
        history.extend(self.audit_for("stay", &row.stay_id.to_string())?);
        history.sort_by_key(|e| e.id);
        let actions = self.actions_of(delay_id)?;
        Ok(DelayDetail {
            actions,
            row,
            discharged_on,
            pathway,
            destination,
            usual_residence,
            periods,
            history,
        })
    }

    pub fn periods_of(&self, delay_id: i64) -> Result<Vec<PeriodRow>> {
        query_periods(&self.conn, delay_id)
    }
}
