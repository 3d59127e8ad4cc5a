//! Which authority a code given on the command line means: a current ONS code the database knows
//! (an authority of the register, or one of the published returns), or a legacy code of the
//! published returns (e.g. `508`, Leicestershire's until May 2015) mapped to its ONS code.

use super::Store;
use crate::domain::LaCode;
use crate::error::Result;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// The ONS code `code` names (case and surrounding spaces ignored), or `None` when the
    /// database knows no such authority. A legacy code is looked up as the register's
    /// `legacy_code`, then as a code of the published returns whose authority (by name) has an ONS
    /// code there or in the register.
    pub fn authority_code(&self, code: &str) -> Result<Option<LaCode>> {
        let wanted = code.trim().to_ascii_uppercase();
        if let Ok(ons) = LaCode::parse(&wanted) {
            let known: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM local_authority WHERE code = ?1)
                     OR EXISTS (SELECT 1 FROM published_figure WHERE la_code = ?1)",
                params![ons.as_str()],
                |r| r.get(0),
            )?;
            return Ok(known.then_some(ons));
        }
        if wanted.is_empty() {
            return Ok(None);
        }
        let registered: Option<String> = self
            .conn
            .query_row(
                "SELECT code FROM local_authority WHERE upper(legacy_code) = ?1
                 ORDER BY code LIMIT 1",
                params![wanted],
                |r| r.get(0),
            )
            .optional()?;
        let found = match registered {
            Some(c) => Some(c),
            None => {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT DISTINCT p.la_code FROM published_figure p
                     WHERE p.la_code IS NOT NULL
                       AND p.la_name IN (SELECT q.la_name FROM published_figure q
                                         WHERE upper(q.la_code) = ?1)
                     UNION
                     SELECT a.code FROM local_authority a
                     WHERE lower(a.name) IN (SELECT lower(q.la_name) FROM published_figure q
                                             WHERE upper(q.la_code) = ?1)
                     ORDER BY 1",
                )?;
                let codes: Vec<String> = stmt
                    .query_map(params![wanted], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                codes.into_iter().find(|c| LaCode::parse(c).is_ok())
            }
        };
        Ok(found.and_then(|c| LaCode::parse(&c).ok()))
    }
}
