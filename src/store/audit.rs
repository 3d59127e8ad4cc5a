//! The audit log: every change, who made it and when, with old and new values. Append-only: the
//! schema's triggers refuse any UPDATE or DELETE of it.

use super::audit_event::AuditEvent;
use super::{Store, Writer};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

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
        append(
            self.tx,
            None,
            &[
                Some(self.at),
                Some(self.user),
                Some(p.entity),
                Some(entity_id),
                Some(p.action),
                p.field.as_deref(),
                old,
                new,
            ],
        )
    }
}

/// The fields of an entry the chain covers after its id, in this order.
pub(super) const CHAINED: &str = "at, user, entity, entity_id, action, field, old_value, new_value";

/// The hash of an entry: SHA-256 (hex) of the hash of the entry before it (empty for the first),
/// its id and its fields, each field told apart from the next and from a NULL.
pub(super) fn entry_hash(prev: &str, id: i64, fields: &[Option<&str>]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(id.to_le_bytes());
    for f in fields {
        match f {
            None => h.update([0u8]),
            Some(v) => {
                h.update([1u8]);
                h.update((v.len() as u64).to_le_bytes());
                h.update(v.as_bytes());
            }
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry (`fields` in [`CHAINED`] order) after the last one, chained to it: numbered
/// `id` when given (an entry carried over by a restore), else the next number.
pub(super) fn append(conn: &Connection, id: Option<i64>, fields: &[Option<&str>]) -> Result<()> {
    let (last, prev): (i64, String) = conn
        .prepare_cached("SELECT id, coalesce(hash, '') FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or_default();
    let id = id.unwrap_or(last + 1);
    let hash = entry_hash(&prev, id, fields);
    let mut values: Vec<Option<&str>> = fields.to_vec();
    values.push(Some(&hash));
    conn.prepare_cached(&format!(
        "INSERT INTO audit_log (id, {CHAINED}, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    ))?
    .execute(rusqlite::params_from_iter(
        std::iter::once(rusqlite::types::Value::Integer(id)).chain(values.iter().map(|v| {
            v.map_or(rusqlite::types::Value::Null, |s| {
                rusqlite::types::Value::Text(s.to_string())
            })
        })),
    ))?;
    Ok(())
}

/// Whether the log has its hash column (a file from before schema version 10 has not).
pub(super) fn has_chain(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM pragma_table_info('audit_log') WHERE name = 'hash'",
        [],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// Visits every entry in id order with the hash it should have: `f(id, stored hash, expected)`;
/// stops at the first `false`.
fn walk(
    conn: &Connection,
    mut f: impl FnMut(i64, Option<String>, &str) -> Result<bool>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id, {CHAINED}, hash FROM audit_log ORDER BY id"
    ))?;
    let mut rows = stmt.query([])?;
    let mut prev = String::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let fields: Vec<Option<String>> =
            (1..=8).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
        let fields: Vec<Option<&str>> = fields.iter().map(|f| f.as_deref()).collect();
        let expected = entry_hash(&prev, id, &fields);
        if !f(id, r.get(9)?, &expected)? {
            return Ok(());
        }
        prev = expected;
    }
    Ok(())
}

/// Chains every entry (the schema upgrade to version 10): the log's guard against changes is
/// lifted for this transaction only.
pub(super) fn chain_all(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let guard: Option<String> = tx
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'audit_log_no_update'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if guard.is_some() {
        tx.execute_batch("DROP TRIGGER audit_log_no_update")?;
    }
    let mut hashes = Vec::new();
    walk(tx, |id, _, expected| {
        hashes.push((id, expected.to_string()));
        Ok(true)
    })?;
    let mut set = tx.prepare("UPDATE audit_log SET hash = ?2 WHERE id = ?1")?;
    for (id, hash) in hashes {
        set.execute(params![id, hash])?;
    }
    if let Some(sql) = guard {
        tx.execute_batch(&sql)?;
    }
    Ok(())
}

impl Store {
    /// The first entry of the audit log that breaks its hash chain (changed, or an entry before it
    /// removed or inserted), said in words; empty when the chain holds.
    pub fn audit_chain_problems(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        walk(&self.conn, |id, stored, expected| {
            if stored.as_deref() == Some(expected) {
                return Ok(true);
            }
            out.push(format!(
                "audit log: entry {id} does not match the chain of entries before it (it was changed, or an entry before it was removed or inserted)"
            ));
            Ok(false)
        })?;
        Ok(out)
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
