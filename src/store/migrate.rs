//! Schema migrations by `PRAGMA user_version`, applied on open inside one transaction.
//!
//! A new file gets `schema.sql` whole. An older file is brought forward one step at a time by the
//! upgrades below; the result has the same tables and columns as a new file (a test checks it). A file
//! written by a newer dtoc is refused before anything is written to it.

use super::Writer;
use crate::error::{Error, Result};
use rusqlite::{Connection, TransactionBehavior};

/// The whole current schema.
pub const SCHEMA_SQL: &str = include_str!("../../schema.sql");

/// The schema version this dtoc writes.
pub const SCHEMA_VERSION: i64 = 15;

/// `UPGRADES[i]` takes a file from version `i + 1` to `i + 2`, up to version 5; the later steps
/// (which also repair data) are functions, called by [`migrate`] after these.
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
    // 6 -> 7: issue 14: `died` and the repair at discharge, done in code by `upgrade_register`
    // (after these SQL steps) because it audits what it repairs.
    "",
    // 7 -> 8: issue 15: what the file says about itself (a demo file's today).
    UPGRADE_META,
    // 8 -> 9: issue 15 (the board round): ward, bed and expected discharge date of a stay, who
    // reviewed a delay, and the actions log.
    UPGRADE_BOARD_ROUND,
    // 9 -> 10: issue 25: the audit log's hash chain. Its column is added before the steps (the
    // register step writes entries) and every entry chained after them, by `upgrade`.
    "",
    // 10 -> 11: issue 24: a target on the average delay from the Discharge Ready Date.
    UPGRADE_AVERAGE_DELAY,
    // 11 -> 12: issue 24: each site's coverage (the day from which its record is complete).
    UPGRADE_COVERAGE,
    // 12 -> 13: issue 26: the wards of each site.
    UPGRADE_WARDS,
    // 13 -> 14: issue 26: actions with owners.
    UPGRADE_ACTIONS,
    // 14 -> 15: issue 26: the census by ward.
    UPGRADE_CENSUS_WARDS,
];

/// 13 -> 14 (issue 26): the "Version 14" block of `schema.sql`: the actions' owner, due date and
/// state, the notes written before as done actions (closed on their own day by their author), and
/// the list of owners. Self-contained, so it may take another place in the list without change.
const UPGRADE_ACTIONS: &str =
    "ALTER TABLE delay_action ADD COLUMN owner TEXT CHECK (owner IS NULL OR length(owner) BETWEEN 1 AND 60);
     ALTER TABLE delay_action ADD COLUMN due_on TEXT CHECK (due_on IS NULL OR date(due_on) = due_on);
     ALTER TABLE delay_action ADD COLUMN state TEXT NOT NULL DEFAULT 'open'
         CHECK (state IN ('open', 'done', 'cancelled'));
     ALTER TABLE delay_action ADD COLUMN closed_on TEXT CHECK (closed_on IS NULL OR date(closed_on) = closed_on);
     ALTER TABLE delay_action ADD COLUMN closed_by TEXT;
     UPDATE delay_action SET state = 'done', closed_on = on_day, closed_by = by_user;
     CREATE INDEX delay_action_state ON delay_action (state, due_on);
     CREATE TABLE action_owner (
         name     TEXT NOT NULL PRIMARY KEY COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
         added_on TEXT NOT NULL CHECK (date(added_on) = added_on)
     ) WITHOUT ROWID;";

/// 14 -> 15 (issue 26): the `census_ward` table, as `schema.sql` ends. Self-contained and
/// idempotent (`IF NOT EXISTS`), so it may take another place in the list (another step landing
/// first) without change.
const UPGRADE_CENSUS_WARDS: &str = "CREATE TABLE IF NOT EXISTS census_ward (
    day        TEXT    NOT NULL CHECK (date(day) = day),
    site_code  TEXT    NOT NULL,
    ward_code  TEXT    NOT NULL COLLATE NOCASE,
    inpatients INTEGER NOT NULL CHECK (inpatients >= 0),
    PRIMARY KEY (day, site_code, ward_code),
    FOREIGN KEY (site_code, ward_code) REFERENCES ward (site_code, code)
) WITHOUT ROWID;";

/// 12 -> 13 (issue 26): the `ward` table, as `schema.sql` ends. Self-contained and idempotent
/// (`IF NOT EXISTS`), so it may take another place in the list without change.
const UPGRADE_WARDS: &str = "CREATE TABLE IF NOT EXISTS ward (
    site_code TEXT    NOT NULL REFERENCES site (code),
    code      TEXT    NOT NULL COLLATE NOCASE CHECK (length(code) BETWEEN 1 AND 40),
    name      TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    beds      INTEGER CHECK (beds IS NULL OR beds BETWEEN 1 AND 2000),
    PRIMARY KEY (site_code, code)
) WITHOUT ROWID;";

/// 10 -> 11 (issue 24): `average_delay_days` among the discharge targets' measures (a CHECK
/// constraint cannot be altered in place: the table is rebuilt with every row).
const UPGRADE_AVERAGE_DELAY: &str = "CREATE TABLE discharge_target_rebuilt (
        la_code TEXT NOT NULL REFERENCES local_authority (code),
        month   TEXT NOT NULL CHECK (length(month) = 7 AND substr(month, 5, 1) = '-'),
        measure TEXT NOT NULL CHECK (measure IN ('pathway1_share', 'within_24h_share', 'usual_residence_share',
                                                 'los14_share', 'los21_share', 'average_delay_days')),
        percent REAL NOT NULL CHECK (percent BETWEEN 0 AND 100),
        PRIMARY KEY (la_code, month, measure)
     ) WITHOUT ROWID;
     INSERT INTO discharge_target_rebuilt SELECT la_code, month, measure, percent FROM discharge_target;
     DROP TABLE discharge_target;
     ALTER TABLE discharge_target_rebuilt RENAME TO discharge_target;";

/// The version [`upgrade_register`] brings a file to.
const REGISTER_VERSION: i64 = 7;

/// The delay table with `died` among its end kinds (a CHECK constraint cannot be altered in place:
/// the table is rebuilt, with foreign keys off, keeping every row and id), and the index that finds
/// a patient's other local ids by NHS number.
const REGISTER_SQL: &str = "
CREATE TABLE delay_rebuilt (
    id              INTEGER PRIMARY KEY,
    stay_id         INTEGER NOT NULL REFERENCES stay (id) ON DELETE CASCADE,
    ready_on        TEXT    NOT NULL CHECK (date(ready_on) = ready_on),
    ended_on        TEXT    CHECK (ended_on IS NULL OR (date(ended_on) = ended_on AND ended_on >= ready_on)),
    end_kind        TEXT    CHECK (end_kind IS NULL OR end_kind IN ('discharged', 'transferred', 'unfit', 'died')),
    planned_pathway INTEGER CHECK (planned_pathway IS NULL OR planned_pathway BETWEEN 0 AND 3),
    reviewed_on     TEXT    CHECK (reviewed_on IS NULL OR date(reviewed_on) = reviewed_on),
    version         INTEGER NOT NULL DEFAULT 1,
    CHECK ((ended_on IS NULL) = (end_kind IS NULL)),
    UNIQUE (stay_id, ready_on)
);
INSERT INTO delay_rebuilt (id, stay_id, ready_on, ended_on, end_kind, planned_pathway, reviewed_on, version)
    SELECT id, stay_id, ready_on, ended_on, end_kind, planned_pathway, reviewed_on, version FROM delay;
DROP TABLE delay;
ALTER TABLE delay_rebuilt RENAME TO delay;
CREATE INDEX delay_open ON delay (ended_on);
CREATE INDEX patient_nhs ON patient (nhs_number);
";

/// 6 -> 7 (issue 14, a register that cannot hold contradictions): `died` as an end kind, and the
/// repair a delay cannot outlast its stay: each delay left open on a discharged stay is ended on
/// the discharge date, one audit entry each, with the month counts kept by the write path's own
/// triggers. When that would change a week signed off by both sides, the repair is left undone
/// (the freeze holds) and `dtoc check` lists the delays until the week is reopened and
/// `dtoc check --repair` run.
fn upgrade_register(tx: &rusqlite::Transaction<'_>, user: &str, at: &str) -> Result<()> {
    tx.execute_batch(REGISTER_SQL)?;
    super::install_triggers(tx)?;
    let w = Writer { tx, user, at };
    w.reset_touched()?;
    w.reset_touched_patients()?;
    super::count_upkeep::reset_counting(&w)?;
    tx.execute_batch("SAVEPOINT register_repair")?;
    let repaired = w
        .end_at_discharge(false, "schema upgrade")
        .and_then(|_| super::count_upkeep::flush_counts(&w))
        .and_then(|_| w.check_frozen());
    match repaired {
        Ok(()) => tx.execute_batch("RELEASE register_repair")?,
        Err(Error::Frozen(_)) => {
            tx.execute_batch("ROLLBACK TO register_repair; RELEASE register_repair")?
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

/// Issue 18's step: each site's weekly snapshot day (0 = Monday, the default).
const UPGRADE_SNAPSHOT_DAY: &str =
    "ALTER TABLE site ADD COLUMN snapshot_day INTEGER NOT NULL DEFAULT 0 CHECK (snapshot_day BETWEEN 0 AND 6);";

/// 8 -> 9 (issue 15): the tail of `schema.sql` from its "Version 9" comment.
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

/// 11 -> 12 (issue 24): the tail of `schema.sql` from its "Version 12" comment, and each site
/// with stays given its earliest ready date as coverage (source `upgrade`): a register written
/// before coverage keeps the figures it showed, until its real date is set (`dtoc coverage set`).
const UPGRADE_COVERAGE: &str = "CREATE TABLE site_coverage (
        site_code TEXT NOT NULL PRIMARY KEY REFERENCES site (code),
        from_on   TEXT NOT NULL CHECK (date(from_on) = from_on),
        source    TEXT NOT NULL CHECK (source IN ('entered', 'import', 'set', 'upgrade'))
     ) WITHOUT ROWID;
     CREATE INDEX stay_site ON stay (site_code);
     INSERT INTO site_coverage (site_code, from_on, source)
        SELECT s.site_code, min(d.ready_on), 'upgrade' FROM delay d JOIN stay s ON s.id = d.stay_id
        GROUP BY s.site_code;";

/// Issue 15's step: the `meta` table (a demo file's today).
const UPGRADE_META: &str = "CREATE TABLE meta (
        key   TEXT NOT NULL PRIMARY KEY CHECK (length(key) > 0),
        value TEXT NOT NULL
     ) WITHOUT ROWID;";

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

pub(crate) fn migrate(conn: &mut Connection, user: &str, at: &str) -> Result<()> {
    // Up to date (the usual case): nothing to write, so opening never waits for another user's
    // save (a long import) to release the write lock.
    if refuse_foreign(conn)? == SCHEMA_VERSION {
        return Ok(());
    }
    // Rebuilding a table needs foreign keys off (else dropping it cascades), which SQLite allows
    // only outside a transaction; `foreign_key_check` below proves nothing was left dangling.
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let upgraded = upgrade(conn, user, at);
    conn.execute_batch("PRAGMA foreign_keys = ON")?;
    upgraded
}

fn upgrade(conn: &mut Connection, user: &str, at: &str) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version = refuse_foreign(&tx)?;
    if version == 0 {
        tx.execute_batch(SCHEMA_SQL)?;
    } else {
        if !super::audit::has_chain(&tx)? {
            tx.execute_batch("ALTER TABLE audit_log ADD COLUMN hash TEXT")?;
        }
        // Each step in order: the SQL steps, and at its place the register step, which is code
        // (it audits what it repairs); a later step may add columns to the table it rebuilds.
        for (i, sql) in UPGRADES.iter().enumerate().skip(version as usize - 1) {
            let step = if i as i64 + 2 == REGISTER_VERSION {
                upgrade_register(&tx, user, at)
            } else {
                tx.execute_batch(sql).map_err(Error::from)
            };
            step.map_err(|e| {
                Error::Stored(format!(
                    "upgrading the schema from version {} to {}: {e}",
                    i + 1,
                    i + 2
                ))
            })?;
        }
        let dangling: i64 = tx.query_row(
            "SELECT count(*) FROM pragma_foreign_key_check('delay_period')",
            [],
            |r| r.get(0),
        )?;
        if dangling > 0 {
            return Err(Error::Stored(format!(
                "the schema upgrade would leave {dangling} rows referring to missing ones"
            )));
        }
        if version < 10 {
            super::audit::chain_all(&tx)?;
        }
    }
    if version != SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()?;
    Ok(())
}
