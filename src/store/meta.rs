//! What the database file says about itself (the `meta` table): a demo file's today, and the
//! column mapping of the hub's own tracker (`dtoc import tracker`) kept for the next import.

use super::{date_str, parse_stored_date, Store};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

pub(super) const DEMO_TODAY: &str = "demo_today";
const TRACKER_MAPPING: &str = "tracker_mapping";

impl Store {
    /// The date a demo file was written for, if this is one.
    pub fn demo_today(&self) -> Result<Option<NaiveDate>> {
        let v: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                params![DEMO_TODAY],
                |r| r.get(0),
            )
            .optional()?;
        Ok(v.map(|s| parse_stored_date(&s)).transpose()?)
    }

    /// Whether the file at `path` is a dtoc demo (its `meta` says so), read without writing to it;
    /// any other file, or one that cannot be read, is not.
    pub fn is_demo_file(path: &std::path::Path) -> bool {
        let demo = || -> Result<bool> {
            let key = super::cipher::key_for(path, true)?;
            let conn = super::cipher::open_connection(
                path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                &key,
            )?;
            let n: i64 = conn.query_row(
                "SELECT count(*) FROM meta WHERE key = ?1",
                params![DEMO_TODAY],
                |r| r.get(0),
            )?;
            Ok(n > 0)
        };
        path.is_file() && demo().unwrap_or(false)
    }

    /// Marks the file as a demo written for `today`.
    pub fn set_demo_today(&mut self, today: NaiveDate) -> Result<()> {
        self.write(|w| {
            w.tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![DEMO_TODAY, date_str(today)],
            )?;
            Ok(())
        })
    }

    /// The tracker mapping saved by the last tracker import (its TOML text), if any.
    pub fn tracker_mapping(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                params![TRACKER_MAPPING],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Keeps `text` (a tracker mapping as TOML) for the next tracker import.
    pub fn set_tracker_mapping(&mut self, text: &str) -> Result<()> {
        self.write(|w| {
            w.tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![TRACKER_MAPPING, text],
            )?;
            Ok(())
        })
    }
}
