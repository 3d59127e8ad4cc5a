//! The audit log: every change, who made it and when, with old and new values. Append-only: the
//! schema's triggers refuse any UPDATE or DELETE of it.

use super::audit_event::AuditEvent;
use super::{Store, Writer};
use crate::error::Result;
use rusqlite::params;

/// One entry of the log: what was done ([`AuditEvent`]) to which record, by whom and when, with
/// the old and new values as they were shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub event: AuditEvent,
    pub entity_id: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

impl AuditEntry {
    /// The kind of record, as stored and exported (`delay`, `stay`, …).
    pub fn entity(&self) -> &str {
        self.event.parts().entity
    }

    /// What was done, as stored and exported (`add`, `edit`, …).
    pub fn action(&self) -> &str {
        self.event.parts().action
    }

    /// The field changed, as stored and exported (`ward`, `NHS number`, …).
    pub fn field(&self) -> Option<String> {
        self.event.parts().field.map(|f| f.into_owned())
    }
}

impl Writer<'_> {
    /// The store's one writer of the audit log.
    pub(crate) fn audit(
        &self,
        event: &AuditEvent,
        entity_id: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Result<()> {
        let p = event.parts();
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log (at, user, entity, entity_id, action, field, old_value, new_value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![self.at, self.user, p.entity, entity_id, p.action, p.field, old, new])?;
        Ok(())
    }
}

/// What left the database as a file, for [`Store::audit_file`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAction {
    /// `export patients` (with whether NHS numbers were in it), the long-stay list, `export audit`.
    Export,
    Backup,
    Restore,
}

impl FileAction {
    pub fn key(self) -> &'static str {
        match self {
            FileAction::Export => "export",
            FileAction::Backup => "backup",
            FileAction::Restore => "restore",
        }
    }
}

impl Store {
    /// Records that patient-level data left (or, for a restore, came into) the database as a
    /// file: who and when (the entry's own), `what` (e.g. `patients with NHS numbers`), how many
    /// rows, and the file's path.
    pub fn audit_file(
        &mut self,
        action: FileAction,
        what: &str,
        rows: Option<usize>,
        path: &std::path::Path,
    ) -> Result<()> {
        let rows = rows.map_or(String::new(), |n| format!("{n} rows, "));
        let detail = format!("{rows}{}", path.display());
        self.write(|w| w.audit(&AuditEvent::File(action), what, None, Some(&detail)))
    }
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    let (entity, action, field): (String, String, Option<String>) =
        (r.get(3)?, r.get(5)?, r.get(6)?);
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        user: r.get(2)?,
        event: AuditEvent::parse(&entity, &action, field.as_deref()),
        entity_id: r.get(4)?,
        old_value: r.get(7)?,
        new_value: r.get(8)?,
    })
}

const COLUMNS: &str = "id, at, user, entity, entity_id, action, field, old_value, new_value";

impl Store {
    /// The history of one record, oldest first.
    pub fn audit_for(&self, entity: &str, entity_id: &str) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM audit_log WHERE entity = ?1 AND entity_id = ?2 ORDER BY id"
        ))?;
        let rows = stmt.query_map(params![entity, entity_id], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every entry with `from <= at < to` (ISO date or timestamp prefixes), oldest first.
    pub fn audit_between(&self, from: &str, to: &str) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM audit_log WHERE at >= ?1 AND at < ?2 ORDER BY id"
        ))?;
        let rows = stmt.query_map(params![from, to], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Entries after the one numbered `after`, oldest first, at most `limit`.
    pub(super) fn audit_after(&self, after: i64, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM audit_log WHERE id > ?1 ORDER BY id LIMIT ?2"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![after, limit], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
