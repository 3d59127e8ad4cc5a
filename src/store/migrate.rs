//! Schema migrations by `PRAGMA user_version`, applied on open inside one transaction.
//!
//! A new file gets `schema.sql` whole. An older file is brought forward one step at a time by the
//! upgrades below; the result has the same tables and columns as a new file (a test checks it). A file
//! written by a newer dtoc is refused before anything is written to it.

use crate::error::{Error, Result};
use rusqlite::{Connection, TransactionBehavior};

/// The whole current schema.
pub const SCHEMA_SQL: &str = include_str!("../../schema.sql");

/// The schema version this dtoc writes.
pub const SCHEMA_VERSION: i64 = 7;

/// `UPGRADES[i]` takes a file from version `i + 1` to `i + 2`.
const UPGRADES: &[&str] = &[
    // 1 -> 2: the board round's review date, the acute sitrep reason beside the DTOC code, and whether
    // a discharge went to the patient's usual place of residence.
    "ALTER TABLE delay ADD COLUMN reviewed_on TEXT CHECK (reviewed_on IS NULL OR date(reviewed_on) = reviewed_on);
     ALTER TABLE delay_period ADD COLUMN acute_reason TEXT;
     ALTER TABLE stay ADD COLUMN usual_residence INTEGER CHECK (usual_residence IS NULL OR usual_residence IN (0, 1));",
    // 2 -> 3: issue 5 (weekly sign-off): the signed days, the reported figures and the
    // reconciliation marks.
    "CREATE TABLE signoff_day (
    signoff_id  INTEGER NOT NULL REFERENCES signoff (id),
    delay_id    INTEGER NOT NULL,   -- no foreign key: the days outlive a delay deleted after reopening
    day         TEXT    NOT NULL CHECK (date(day) = day),
    local_id    TEXT    NOT NULL,
    la_code     TEXT    NOT NULL,
    site_code   TEXT    NOT NULL,
    setting     TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    attribution TEXT    NOT NULL,
    PRIMARY KEY (signoff_id, delay_id, day)
) WITHOUT ROWID;
     CREATE TABLE reported_total (
    month        TEXT    NOT NULL CHECK (length(month) = 7 AND substr(month, 5, 1) = '-'),
    la_code      TEXT    NOT NULL,
    measure      TEXT    NOT NULL CHECK (measure IN ('total', 'nhs', 'social_care', 'both')),
    delayed_days INTEGER NOT NULL CHECK (delayed_days >= 0),
    PRIMARY KEY (month, la_code, measure)
) WITHOUT ROWID;
     CREATE TABLE reported_day (
    month       TEXT NOT NULL CHECK (length(month) = 7 AND substr(month, 5, 1) = '-'),
    local_id    TEXT NOT NULL,
    day         TEXT NOT NULL CHECK (date(day) = day),
    reason      TEXT NOT NULL CHECK (reason IN ('A', 'B', 'C', 'Di', 'Dii', 'E', 'F', 'G', 'H', 'I', 'O')),
    attribution TEXT NOT NULL CHECK (attribution IN ('NHS', 'Social Care', 'Both')),
    PRIMARY KEY (month, local_id, day)
) WITHOUT ROWID;
     CREATE TABLE reconcile_mark (
    month     TEXT    NOT NULL CHECK (length(month) = 7 AND substr(month, 5, 1) = '-'),
    la_code   TEXT    NOT NULL,
    measure   TEXT    NOT NULL CHECK (measure IN ('total', 'nhs', 'social_care', 'both')),
    local_id  TEXT    NOT NULL DEFAULT '',
    day       TEXT    NOT NULL DEFAULT '',
    status    TEXT    NOT NULL CHECK (status IN ('accepted', 'contested')),
    days      INTEGER NOT NULL CHECK (days >= 0),
    note      TEXT    NOT NULL CHECK (length(note) > 0),
    marked_by TEXT    NOT NULL,
    marked_at TEXT    NOT NULL,
    PRIMARY KEY (month, la_code, measure, local_id, day)
) WITHOUT ROWID;",
    // 3 -> 4: targets on the discharge and length-of-stay shares, and indexes for length of stay.
    "CREATE TABLE discharge_target (
         la_code TEXT NOT NULL REFERENCES local_authority (code),
         month   TEXT NOT NULL CHECK (length(month) = 7 AND substr(month, 5, 1) = '-'),
         measure TEXT NOT NULL CHECK (measure IN ('pathway1_share', 'within_24h_share', 'usual_residence_share',
                                                  'los14_share', 'los21_share')),
         percent REAL NOT NULL CHECK (percent BETWEEN 0 AND 100),
         PRIMARY KEY (la_code, month, measure)
     ) WITHOUT ROWID;
     CREATE INDEX stay_left ON stay (discharged_on, admitted_on);",
    // 4 -> 5: figures from NHS England's published returns, for benchmarking (`dtoc import published`).
    "CREATE TABLE published_figure (
        source  TEXT    NOT NULL CHECK (length(source) > 0),
        month   TEXT    NOT NULL CHECK (length(month) = 7 AND substr(month, 5, 1) = '-'),
        la_code TEXT,
        la_name TEXT    NOT NULL,
        measure TEXT    NOT NULL CHECK (measure IN ('total', 'nhs', 'social_care', 'both')),
        reason  TEXT    CHECK (reason IS NULL OR reason IN ('A', 'B', 'C', 'Di', 'Dii', 'E', 'F', 'G', 'H', 'I', 'O')),
        setting TEXT    CHECK (setting IS NULL OR setting IN ('acute', 'non-acute')),
        days    INTEGER CHECK (days IS NULL OR days >= 0)
     );
     CREATE UNIQUE INDEX published_key ON published_figure (source, month, la_name, measure, ifnull(reason, ''), ifnull(setting, ''));
     CREATE INDEX published_la ON published_figure (la_code, month);
     CREATE INDEX published_name ON published_figure (la_name, month);",
    // 5 -> 6: issue 18: the day of the week each site takes its weekly sitrep snapshot.
    UPGRADE_SNAPSHOT_DAY,
    // 6 -> 7: issue 15 (the board round): ward, bed and expected discharge date of a stay, who
    // reviewed a delay, and the actions log.
    UPGRADE_BOARD_ROUND,
];

/// Issue 18's step: each site's weekly snapshot day (0 = Monday, the default).
const UPGRADE_SNAPSHOT_DAY: &str =
    "ALTER TABLE site ADD COLUMN snapshot_day INTEGER NOT NULL DEFAULT 0 CHECK (snapshot_day BETWEEN 0 AND 6);";

/// 6 -> 7 (issue 15): the tail of `schema.sql` from its "Version 7" comment.
const UPGRADE_BOARD_ROUND: &str =
    "ALTER TABLE stay ADD COLUMN ward TEXT CHECK (ward IS NULL OR length(ward) BETWEEN 1 AND 40);
     ALTER TABLE stay ADD COLUMN bed TEXT CHECK (bed IS NULL OR length(bed) BETWEEN 1 AND 20);
     ALTER TABLE stay ADD COLUMN expected_on TEXT CHECK (expected_on IS NULL OR date(expected_on) = expected_on);
     ALTER TABLE delay ADD COLUMN reviewed_by TEXT;
     CREATE TABLE delay_action (
         id       INTEGER PRIMARY KEY,
         delay_id INTEGER NOT NULL REFERENCES delay (id) ON DELETE CASCADE,
         on_day   TEXT    NOT NULL CHECK (date(on_day) = on_day),
         by_user  TEXT    NOT NULL,
         at       TEXT    NOT NULL,
         text     TEXT    NOT NULL CHECK (length(text) BETWEEN 1 AND 500)
     );
     CREATE INDEX delay_action_delay ON delay_action (delay_id, id);";

/// Refuses a file dtoc must not touch (written by a newer dtoc, or not a dtoc database) using reads
/// only: `Store::open` calls it before any pragma that writes (journal_mode = WAL rewrites the file
/// header), so that a refused file keeps its bytes.
pub(crate) fn refuse_foreign(conn: &Connection) -> Result<i64> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::Stored(format!(
            "written by a newer dtoc (schema version {version}; this dtoc knows up to {SCHEMA_VERSION}). \
             Upgrade dtoc to open it; the file has not been changed"
        )));
    }
    if version == 0 {
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            return Err(Error::Stored(
                "not a dtoc database (it has tables but no dtoc schema version); the file has not been changed"
                    .to_string(),
            ));
        }
    }
    Ok(version)
}

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    // Up to date (the usual case): nothing to write, so opening never waits for another user's
    // save (a long import) to release the write lock.
    if refuse_foreign(conn)? == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version = refuse_foreign(&tx)?;
    if version == 0 {
        tx.execute_batch(SCHEMA_SQL)?;
    } else {
        for (i, sql) in UPGRADES.iter().enumerate().skip(version as usize - 1) {
            tx.execute_batch(sql).map_err(|e| {
                Error::Stored(format!(
                    "upgrading the schema from version {} to {}: {e}",
                    i + 1,
                    i + 2
                ))
            })?;
        }
    }
    if version != SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()?;
    Ok(())
}
