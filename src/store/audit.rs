//! The audit log: every change, who made it and when, with old and new values. Append-only: the
//! schema's triggers refuse any UPDATE or DELETE of it.

use super::{Store, Writer};
use crate::error::Result;
use rusqlite::params;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

impl Writer<'_> {
    pub(crate) fn audit(
        &self,
        entity: &str,
        entity_id: &str,
        action: &str,
        field: Option<&str>,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log (at, user, entity, entity_id, action, field, old_value, new_value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![self.at, self.user, entity, entity_id, action, field, old, new])?;
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
        self.write(|w| w.audit("file", what, action.key(), None, None, Some(&detail)))
    }
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        user: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        action: r.get(5)?,
        field: r.get(6)?,
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
