//! Naming a local authority from the settings screen. The population import and
//! `set_population` name an authority only together with a population; the settings screen
//! lets hub staff add or rename one on its own, with its region and legacy code, in one audited
//! transaction.

use super::audit_event::{AuditEvent, AuthorityEvent};
use super::Store;
use crate::domain::LaCode;
use crate::error::Result;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Adds the authority if new and sets its name, region and legacy code (`None` or blank
    /// clears a value). One transaction; audited as `add` or `edit` with the old and new values.
    pub fn set_authority(
        &mut self,
        la: &LaCode,
        name: Option<&str>,
        region: Option<&str>,
        legacy_code: Option<&str>,
    ) -> Result<()> {
        let clean = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let (name, region, legacy) = (clean(name), clean(region), clean(legacy_code));
        use crate::domain::text::TextKind;
        super::check_stored("authority name", name.as_deref(), TextKind::Line)?;
        super::check_stored("region", region.as_deref(), TextKind::Line)?;
        super::check_stored("legacy code", legacy.as_deref(), TextKind::Code)?;
        self.write(|w| {
            let old: Option<(Option<String>, Option<String>, Option<String>)> = w
                .tx
                .query_row(
                    "SELECT name, region, legacy_code FROM local_authority WHERE code = ?1",
                    params![la.as_str()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            w.ensure_la(la)?;
            w.tx.execute(
                "UPDATE local_authority SET name = ?1, region = ?2, legacy_code = ?3 WHERE code = ?4",
                params![name, region, legacy, la.as_str()],
            )?;
            let show = |n: &Option<String>, r: &Option<String>, l: &Option<String>| {
                [n, r, l]
                    .iter()
                    .map(|v| v.as_deref().unwrap_or("-"))
                    .collect::<Vec<_>>()
                    .join(" / ")
            };
            let old_text = old.as_ref().map(|(n, r, l)| show(n, r, l));
            w.audit(
                &AuditEvent::Authority(if old.is_some() {
                    AuthorityEvent::Edit
                } else {
                    AuthorityEvent::Add
                }),
                la.as_str(),
                old_text.as_deref(),
                Some(&show(&name, &region, &legacy)),
            )
        })
    }
}
