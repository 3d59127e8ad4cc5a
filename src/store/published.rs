//! Published national figures (`published_figure`): storing a read file, and reading the totals a
//! benchmark needs.
//!
//! Re-importing a file replaces its rows (keyed by the file name), so an import is idempotent. The
//! collated by-organisation file names authorities without codes: each name is matched, for the same
//! month, to the code another published file gives it (the collated by-reason file), else to an
//! authority of the database with that name; rows still without a code are kept and matched again
//! after every later import.

use super::audit_event::AuditEvent;
use super::Store;
use crate::domain::text::plural;
use crate::domain::{LaCode, Measure, YearMonth};
use crate::error::Result;
use crate::import::published::{Layout, PublishedFile};
use rusqlite::{params, OptionalExtension};
use std::collections::{BTreeMap, BTreeSet};

/// What `dtoc import published` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedSummary {
    pub source: String,
    pub layout: Layout,
    /// Data rows read.
    pub rows: usize,
    /// Figures stored (rows × value columns).
    pub figures: usize,
    /// Of which missing (`-`, `NA`).
    pub missing: usize,
    /// Rows of an earlier import of the same file replaced.
    pub replaced: usize,
    /// Figures stored without an authority code (name not matched yet).
    pub without_code: usize,
    /// Lines skipped, with the reason.
    pub skipped: Vec<(u64, String)>,
}

impl std::fmt::Display for PublishedSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {} read, {} stored ({} missing as '-' or NA)",
            self.source,
            self.layout.describe(),
            plural(self.rows, "row", "rows"),
            plural(self.figures, "figure", "figures"),
            self.missing
        )?;
        if self.replaced > 0 {
            write!(f, ", replacing {} from an earlier import", self.replaced)?;
        }
        let mut reasons: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
        for (line, why) in &self.skipped {
            reasons.entry(why.as_str()).or_default().push(*line);
        }
        write!(
            f,
            "; {} skipped",
            plural(self.skipped.len(), "line", "lines")
        )?;
        for (why, lines) in reasons {
            let shown: Vec<String> = lines.iter().take(5).map(u64::to_string).collect();
            let more = if lines.len() > 5 { ", …" } else { "" };
            let word = if lines.len() == 1 { "line" } else { "lines" };
            write!(f, "\n  {why}: {word} {}{more}", shown.join(", "))?;
        }
        if self.without_code > 0 {
            write!(
                f,
                "\nnote: {} {} an authority no other file or the database gives a code for yet; import the collated by-reason file to match them",
                plural(self.without_code, "figure", "figures"),
                if self.without_code == 1 { "names" } else { "name" }
            )?;
        }
        Ok(())
    }
}

/// An authority's published delayed days for one month (the first source by file name wins where
/// two files give the same figure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedMonth {
    pub month: YearMonth,
    /// The code asked for: an ONS code, or a legacy code as published (e.g. `508`).
    pub la_code: String,
    pub la_name: String,
    pub total: Option<u64>,
    pub nhs: Option<u64>,
    pub social_care: Option<u64>,
    pub both: Option<u64>,
}

impl Store {
    /// Stores a read published file, replacing an earlier import of the same file.
    pub fn import_published(&mut self, file: &PublishedFile) -> Result<PublishedSummary> {
        self.write(|w| {
            let replaced = w.tx.execute(
                "DELETE FROM published_figure WHERE source = ?1",
                params![file.source],
            )?;
            let mut by_published = w.tx.prepare_cached(
                "SELECT la_code FROM published_figure
                 WHERE la_name = ?1 AND month = ?2 AND la_code IS NOT NULL LIMIT 1",
            )?;
            let mut by_authority = w.tx.prepare_cached(
                "SELECT code FROM local_authority WHERE lower(name) = lower(?1) LIMIT 1",
            )?;
            let mut insert = w.tx.prepare_cached(
                "INSERT INTO published_figure (source, month, la_code, la_name, measure, reason, setting, days)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut matched: BTreeMap<(String, YearMonth), Option<String>> = BTreeMap::new();
            for f in &file.figures {
                let code = match &f.la_code {
                    Some(c) => Some(c.clone()),
                    None => {
                        let key = (f.la_name.clone(), f.month);
                        if let Some(c) = matched.get(&key) {
                            c.clone()
                        } else {
                            let found: Option<String> = match by_published
                                .query_row(params![f.la_name, f.month.key()], |r| r.get(0))
                                .optional()?
                            {
                                Some(c) => Some(c),
                                None => by_authority
                                    .query_row(params![f.la_name], |r| r.get(0))
                                    .optional()?,
                            };
                            matched.insert(key, found.clone());
                            found
                        }
                    }
                };
                insert.execute(params![
                    file.source,
                    f.month.key(),
                    code,
                    f.la_name,
                    f.breakdown.measure.key(),
                    f.breakdown.reason.map(|r| r.code()),
                    f.breakdown.setting.map(|s| s.key()),
                    f.days.map(|d| d as i64),
                ])?;
            }
            // Names left without a code by earlier imports: match them to this file's codes.
            w.tx.execute(
                "UPDATE published_figure SET la_code = (
                     SELECT p.la_code FROM published_figure p
                     WHERE p.la_name = published_figure.la_name AND p.month = published_figure.month
                       AND p.la_code IS NOT NULL LIMIT 1)
                 WHERE la_code IS NULL",
                [],
            )?;
            let without_code: i64 = w.tx.query_row(
                "SELECT count(*) FROM published_figure WHERE source = ?1 AND la_code IS NULL",
                params![file.source],
                |r| r.get(0),
            )?;
            w.audit(
                &AuditEvent::Published,
                &file.source,
                (replaced > 0).then(|| replaced.to_string()).as_deref(),
                Some(&file.figures.len().to_string()),
            )?;
            Ok(PublishedSummary {
                source: file.source.clone(),
                layout: file.layout,
                rows: file.rows,
                figures: file.figures.len(),
                missing: file.missing,
                replaced,
                without_code: usize::try_from(without_code).unwrap_or(0),
                skipped: file.skipped.clone(),
            })
        })
    }

    /// The codes `code` was published under: itself, then (for an ONS code) the legacy codes of the
    /// same authority: the `legacy_code` of the database's authority, and any non-ONS code the
    /// returns give to an authority of the same name (Leicestershire was `508` until May 2015).
    fn published_aliases(&self, code: &str) -> Result<Vec<String>> {
        let mut out = vec![code.to_string()];
        if LaCode::parse(code).is_err() {
            return Ok(out);
        }
        let legacy: Option<String> = self
            .conn
            .query_row(
                "SELECT legacy_code FROM local_authority WHERE code = ?1",
                params![code],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT p.la_code FROM published_figure p
             WHERE p.la_code IS NOT NULL
               AND p.la_name IN (SELECT DISTINCT q.la_name FROM published_figure q WHERE q.la_code = ?1)
             ORDER BY p.la_code",
        )?;
        let same_name: Vec<String> = stmt
            .query_map(params![code], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for c in legacy.into_iter().chain(same_name) {
            if LaCode::parse(&c).is_err() && !out.contains(&c) {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Published totals by responsible organisation of `codes` (ONS codes, which also find the
    /// months published under the authority's legacy code; legacy codes as published;
    /// `E92000001` for England) from `from` to `to`. Rows carry the code asked for.
    /// The ONS codes of the authorities with a published figure for `month` (England's list for
    /// the month; England itself, legacy codes and rows that are not authorities left out).
    pub fn published_authorities(&self, month: YearMonth) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT la_code FROM published_figure
             WHERE month = ?1 AND la_code IS NOT NULL ORDER BY la_code",
        )?;
        let codes: Vec<String> = stmt
            .query_map(params![month.key()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(codes
            .into_iter()
            .filter(|c| c != crate::import::published::ENGLAND && LaCode::parse(c).is_ok())
            .collect())
    }

    pub fn published_totals(
        &self,
        codes: &[String],
        from: YearMonth,
        to: YearMonth,
    ) -> Result<Vec<PublishedMonth>> {
        let mut out: BTreeMap<(YearMonth, String), PublishedMonth> = BTreeMap::new();
        for code in codes {
            // The first alias (the code itself first), then the first source by file name, gives
            // each figure.
            let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
            for alias in self.published_aliases(code)? {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT month, la_name, measure, days FROM published_figure
                     WHERE la_code = ?1 AND month BETWEEN ?2 AND ?3
                       AND reason IS NULL AND setting IS NULL
                     ORDER BY month, source",
                )?;
                let rows = stmt.query_map(params![alias, from.key(), to.key()], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                    ))
                })?;
                for row in rows {
                    let (month, la_name, measure, days) = row?;
                    if !seen.insert((month.clone(), measure.clone())) {
                        continue;
                    }
                    let (Ok(m), Ok(measure)) = (YearMonth::parse(&month), Measure::parse(&measure))
                    else {
                        continue;
                    };
                    let e = out
                        .entry((m, code.clone()))
                        .or_insert_with(|| PublishedMonth {
                            month: m,
                            la_code: code.clone(),
                            la_name,
                            total: None,
                            nhs: None,
                            social_care: None,
                            both: None,
                        });
                    let days = days.and_then(|d| u64::try_from(d).ok());
                    match measure {
                        Measure::Total => e.total = days,
                        Measure::Nhs => e.nhs = days,
                        Measure::SocialCare => e.social_care = days,
                        Measure::Both => e.both = days,
                    }
                }
            }
        }
        Ok(out.into_values().collect())
    }
}
