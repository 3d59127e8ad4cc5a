//! The wards of each site (issue 26): reference data set in Settings or imported
//! (`dtoc import wards`), read by the ward board and the lists to name a stay's ward.

use super::audit_event::{AuditEvent, Entry};
use super::{ImportSummary, Store, Writer};
use crate::domain::text::TextKind;
use crate::domain::Ward;
use crate::error::Result;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Every ward, by site then code in natural order (`W7` before `W10`).
    pub fn wards(&self) -> Result<Vec<Ward>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT site_code, code, name, beds FROM ward")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(Ward {
                site_code: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                beds: r.get(3)?,
            });
        }
        out.sort_by(|a, b| {
            crate::domain::natural_cmp(&a.site_code, &b.site_code)
                .then_with(|| crate::domain::natural_cmp(&a.code, &b.code))
        });
        Ok(out)
    }

    /// Adds a ward, or changes the name and beds of the site's ward of that code (any case).
    pub fn set_ward(&mut self, ward: &Ward) -> Result<()> {
        self.write(|w| set_ward_in(w, ward, Entry::Set).map(|_| ()))
    }

    /// Applies a checked wards file, all or nothing.
    pub fn import_wards(&mut self, wards: &[Ward]) -> Result<ImportSummary> {
        let mut s = ImportSummary {
            rows: wards.len(),
            ..Default::default()
        };
        self.write(|w| {
            for ward in wards {
                match set_ward_in(w, ward, Entry::Import)? {
                    Change::Added => s.added += 1,
                    Change::Updated => s.updated += 1,
                    Change::Unchanged => s.unchanged += 1,
                }
            }
            Ok(())
        })?;
        Ok(s)
    }
}

enum Change {
    Added,
    Updated,
    Unchanged,
}

/// One ward inside a write: its site must exist; audited when it changes.
fn set_ward_in(w: &Writer<'_>, ward: &Ward, how: Entry) -> Result<Change> {
    super::check_stored("site", Some(&ward.site_code), TextKind::Code)?;
    super::check_stored("ward code", Some(&ward.code), TextKind::Line)?;
    super::check_stored("ward name", Some(&ward.name), TextKind::Line)?;
    w.require_site(&ward.site_code)?;
    let old: Option<(String, Option<u32>)> =
        w.tx.query_row(
            "SELECT name, beds FROM ward WHERE site_code = ?1 AND code = ?2",
            params![ward.site_code, ward.code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if old
        .as_ref()
        .is_some_and(|(n, b)| *n == ward.name && *b == ward.beds)
    {
        return Ok(Change::Unchanged);
    }
    w.tx.execute(
        "INSERT INTO ward (site_code, code, name, beds) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO UPDATE SET name = excluded.name, beds = excluded.beds",
        params![ward.site_code, ward.code, ward.name, ward.beds],
    )?;
    let text = |name: &str, beds: Option<u32>| match beds {
        Some(b) => format!("{name}, {b} beds"),
        None => name.to_string(),
    };
    w.audit(
        &AuditEvent::Ward(how),
        &format!("{} {}", ward.site_code, ward.code),
        old.as_ref().map(|(n, b)| text(n, *b)).as_deref(),
        Some(&text(&ward.name, ward.beds)),
    )?;
    Ok(if old.is_some() {
        Change::Updated
    } else {
        Change::Added
    })
}
