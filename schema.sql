-- dtoc schema (version 1).
--
-- One SQLite file holds a discharge hub's register. Dates are ISO text (YYYY-MM-DD), months YYYY-MM.
-- A delay's end date is exclusive: a delay from S to E has E - S delayed days (docs/counting.md).
-- Foreign keys, CHECK constraints and unique keys live here, not only in Rust.

-- Health and Wellbeing Board areas: ONS code, name as published.
CREATE TABLE local_authority (
    code        TEXT PRIMARY KEY
                CHECK (length(code) = 9 AND substr(code, 1, 1) IN ('E', 'W', 'S', 'N')
                       AND substr(code, 2) NOT GLOB '*[^0-9]*'),
    name        TEXT,                -- NULL until a population import names it
    region      TEXT,
    legacy_code TEXT                 -- pre-2015 code of the published returns, e.g. '508'
);

-- ONS mid-year estimates of residents aged 18+.
CREATE TABLE population (
    la_code           TEXT    NOT NULL REFERENCES local_authority (code),
    year              INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    population_18plus INTEGER NOT NULL CHECK (population_18plus > 0),
    PRIMARY KEY (la_code, year)
) WITHOUT ROWID;

CREATE TABLE provider (
    code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 20),
    name TEXT
);

-- A site (hospital) and its type of care, which every delayed day in it takes.
CREATE TABLE site (
    code          TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 40),
    provider_code TEXT NOT NULL REFERENCES provider (code),
    name          TEXT,
    setting       TEXT NOT NULL CHECK (setting IN ('acute', 'non-acute')),
    -- The day of the week the site takes its weekly discharge sitrep snapshot: 0 = Monday (the
    -- default) .. 6 = Sunday (docs/discharge.md: providers choose theirs).
    snapshot_day  INTEGER NOT NULL DEFAULT 0 CHECK (snapshot_day BETWEEN 0 AND 6)
);

-- The minimum about a person (docs/data-protection.md): a local hospital number and, optionally, the NHS number.
CREATE TABLE patient (
    id         INTEGER PRIMARY KEY,
    local_id   TEXT NOT NULL UNIQUE CHECK (length(local_id) BETWEEN 1 AND 40),
    nhs_number TEXT CHECK (nhs_number IS NULL OR (length(nhs_number) = 10 AND nhs_number NOT GLOB '*[^0-9]*'))
);
-- One bed at a time (docs/counting.md) is checked across local ids sharing an NHS number.
CREATE INDEX patient_nhs ON patient (nhs_number);

-- A hospital stay (spell).
CREATE TABLE stay (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patient (id),
    site_code       TEXT    NOT NULL REFERENCES site (code),
    la_code         TEXT    NOT NULL REFERENCES local_authority (code),
    admitted_on     TEXT    NOT NULL CHECK (date(admitted_on) = admitted_on),
    discharged_on   TEXT    CHECK (discharged_on IS NULL OR (date(discharged_on) = discharged_on AND discharged_on >= admitted_on)),
    pathway         INTEGER CHECK (pathway IS NULL OR pathway BETWEEN 0 AND 3),
    destination     TEXT,
    usual_residence INTEGER CHECK (usual_residence IS NULL OR usual_residence IN (0, 1)),
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (patient_id, admitted_on)
);
CREATE INDEX stay_la ON stay (la_code);
CREATE INDEX stay_open ON stay (discharged_on);
-- Stays in hospital during a range of days (length of stay, discharges of a month): open ones and those
-- discharged since its start, then admitted before its end (a MULTI-INDEX OR plan, not a scan).
CREATE INDEX stay_left ON stay (discharged_on, admitted_on);

-- A delay: from the ready date until the patient leaves the bed or is unfit again.
CREATE TABLE delay (
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
CREATE INDEX delay_open ON delay (ended_on);

-- A period of a delay with one reason and one attribution; end exclusive, NULL while open.
-- The periods of a delay abut: each starts where the previous one ended.
CREATE TABLE delay_period (
    id           INTEGER PRIMARY KEY,
    delay_id     INTEGER NOT NULL REFERENCES delay (id) ON DELETE CASCADE,
    start_on     TEXT    NOT NULL CHECK (date(start_on) = start_on),
    end_on       TEXT    CHECK (end_on IS NULL OR (date(end_on) = end_on AND end_on >= start_on)),
    reason       TEXT    NOT NULL CHECK (reason IN ('A', 'B', 'C', 'Di', 'Dii', 'E', 'F', 'G', 'H', 'I', 'O')),
    attribution  TEXT    NOT NULL CHECK (attribution IN ('NHS', 'Social Care', 'Both')),
    acute_reason TEXT,   -- optional reason of the acute discharge sitrep (2020 on)
    UNIQUE (delay_id, start_on)
);
CREATE INDEX period_end ON delay_period (end_on);
CREATE INDEX period_start ON delay_period (start_on);

-- Delayed days of closed periods, kept up to date by every write, so that reports over years read a
-- few thousand rows instead of recounting millions of days. Open periods are counted when read.
-- Invariant (checked by `dtoc check`): equal to a recount of the closed periods.
CREATE TABLE month_count (
    month       TEXT    NOT NULL CHECK (length(month) = 7),
    la_code     TEXT    NOT NULL,
    site_code   TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    attribution TEXT    NOT NULL,
    days        INTEGER NOT NULL CHECK (days >= 0),
    PRIMARY KEY (month, la_code, site_code, reason, attribution)
) WITHOUT ROWID;

-- Targets per authority, month and measure, in the unit they were given.
CREATE TABLE target (
    la_code TEXT NOT NULL REFERENCES local_authority (code),
    month   TEXT NOT NULL CHECK (length(month) = 7 AND substr(month, 5, 1) = '-'),
    measure TEXT NOT NULL CHECK (measure IN ('total', 'nhs', 'social_care', 'both')),
    unit    TEXT NOT NULL CHECK (unit IN ('days', 'days_per_day', 'per_100k_month', 'per_100k_day')),
    value   REAL NOT NULL CHECK (value >= 0),
    PRIMARY KEY (la_code, month, measure)
) WITHOUT ROWID;

-- Targets on the discharge and length-of-stay measures (docs/discharge.md), per authority and month, as a
-- percentage: share of discharges on pathway 1, discharged within 24 hours of ready, to the usual place
-- of residence; share of inpatients with length of stay 14+ and 21+ days; and in days (`percent` holds
-- them) the average delay from the Discharge Ready Date over all discharges. A separate table because the
-- CHECK of `target` cannot be altered in place.
CREATE TABLE discharge_target (
    la_code TEXT NOT NULL REFERENCES local_authority (code),
    month   TEXT NOT NULL CHECK (length(month) = 7 AND substr(month, 5, 1) = '-'),
    measure TEXT NOT NULL CHECK (measure IN ('pathway1_share', 'within_24h_share', 'usual_residence_share',
                                             'los14_share', 'los21_share', 'average_delay_days')),
    percent REAL NOT NULL CHECK (percent BETWEEN 0 AND 100),
    PRIMARY KEY (la_code, month, measure)
) WITHOUT ROWID;

-- The day's inpatient count per site and authority: the denominator for length-of-stay shares where
-- not every inpatient is recorded.
CREATE TABLE census (
    day        TEXT    NOT NULL CHECK (date(day) = day),
    site_code  TEXT    NOT NULL REFERENCES site (code),
    la_code    TEXT    NOT NULL REFERENCES local_authority (code),
    inpatients INTEGER NOT NULL CHECK (inpatients >= 0),
    PRIMARY KEY (day, site_code, la_code)
) WITHOUT ROWID;

-- Weekly sign-off by each side; the figures as they were at signing (JSON). A reopened week keeps its
-- old signatures with `cleared_at` set, so re-signing stores the new figures beside the old.
CREATE TABLE signoff (
    id         INTEGER PRIMARY KEY,
    week       TEXT NOT NULL CHECK (length(week) = 8 AND substr(week, 5, 2) = '-W'),
    side       TEXT NOT NULL CHECK (side IN ('nhs', 'council')),
    signed_by  TEXT NOT NULL CHECK (length(signed_by) > 0),
    signed_at  TEXT NOT NULL,
    comment    TEXT,
    figures    TEXT NOT NULL,
    cleared_at TEXT,
    cleared_by TEXT,
    cleared_reason TEXT
);
CREATE UNIQUE INDEX signoff_active ON signoff (week, side) WHERE cleared_at IS NULL;

-- Every change: who, when, what, old and new value. Append-only (triggers below).
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user      TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    field     TEXT,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;

-- Figures from NHS England's published monthly returns (`dtoc import published`), for benchmarking.
-- One row per source file, month, authority and breakdown: `measure` is the responsible organisation
-- (total, nhs, social_care, both); `reason` a national code (A..O) or NULL; `setting` the type of care
-- (acute, non-acute) or NULL. `la_code` is kept as published (ONS codes, legacy codes such as 508 or
-- 00KB, E92000001 for England); NULL when the file gives only a name that could not be matched yet.
-- `days` NULL where the return has '-' or NA (missing). Re-importing a file replaces its rows.
CREATE TABLE published_figure (
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
CREATE INDEX published_name ON published_figure (la_name, month);
-- Version 3: the weekly sign-off's delayed days and the reconciliation with reported figures.

-- The delayed days of a week as they were when one side signed it, one row per delay and day. The
-- freeze guard and `dtoc check` compare a frozen week's days with these; reconciliation reads them.
CREATE TABLE signoff_day (
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

-- A hospital's reported monthly totals per authority and measure (`dtoc import reported`).
CREATE TABLE reported_total (
    month        TEXT    NOT NULL CHECK (length(month) = 7 AND substr(month, 5, 1) = '-'),
    la_code      TEXT    NOT NULL,
    measure      TEXT    NOT NULL CHECK (measure IN ('total', 'nhs', 'social_care', 'both')),
    delayed_days INTEGER NOT NULL CHECK (delayed_days >= 0),
    PRIMARY KEY (month, la_code, measure)
) WITHOUT ROWID;

-- A hospital's reported patient-level list: one row per delayed day.
CREATE TABLE reported_day (
    month       TEXT NOT NULL CHECK (length(month) = 7 AND substr(month, 5, 1) = '-'),
    local_id    TEXT NOT NULL,
    day         TEXT NOT NULL CHECK (date(day) = day),
    reason      TEXT NOT NULL CHECK (reason IN ('A', 'B', 'C', 'Di', 'Dii', 'E', 'F', 'G', 'H', 'I', 'O')),
    attribution TEXT NOT NULL CHECK (attribution IN ('NHS', 'Social Care', 'Both')),
    PRIMARY KEY (month, local_id, day)
) WITHOUT ROWID;

-- A reconciliation difference marked accepted or contested: for an authority and measure, or for
-- one patient's day (`local_id` and `day` empty for the authority's difference as a whole).
-- `days` is how many delayed days the mark covers (the difference when it was marked).
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
) WITHOUT ROWID;

-- What the database file says about itself: `demo_today` is the date a demo file was written for
-- (the app and every command take it as today unless --today is given).
CREATE TABLE meta (
    key   TEXT NOT NULL PRIMARY KEY CHECK (length(key) > 0),
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Version 9: the board round as a hub works it (issue 15): the ward, bed and expected discharge date
-- of a stay, who reviewed a delay at the round, and the dated actions log of a delay.
ALTER TABLE stay ADD COLUMN ward TEXT CHECK (ward IS NULL OR length(ward) BETWEEN 1 AND 40);
ALTER TABLE stay ADD COLUMN bed TEXT CHECK (bed IS NULL OR length(bed) BETWEEN 1 AND 20);
ALTER TABLE stay ADD COLUMN expected_on TEXT CHECK (expected_on IS NULL OR date(expected_on) = expected_on);
ALTER TABLE delay ADD COLUMN reviewed_by TEXT;

-- The working notes of the board round: what was done for a delayed patient, by whom, on which day.
-- Patient-level (docs/data-protection.md): never in an aggregate export; no clinical detail.
CREATE TABLE delay_action (
    id       INTEGER PRIMARY KEY,
    delay_id INTEGER NOT NULL REFERENCES delay (id) ON DELETE CASCADE,
    on_day   TEXT    NOT NULL CHECK (date(on_day) = on_day),
    by_user  TEXT    NOT NULL,
    at       TEXT    NOT NULL,
    text     TEXT    NOT NULL CHECK (length(text) BETWEEN 1 AND 500)
);
CREATE INDEX delay_action_delay ON delay_action (delay_id, id);

-- Version 10 (issue 25): each audit entry chained to the one before it by a hash (SHA-256 of the
-- previous entry's hash and the entry's own fields, see src/store/audit.rs), so that `dtoc check`
-- finds an entry changed, removed or inserted out of turn.
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- Version 12 (issue 24): from which day each site's record is complete (its coverage). Before it a
-- figure is blank, never 0 (docs/coverage.md). `source`: `entered` (the day its first record was
-- entered, noted by the write that entered it), `import` (stated by an import of a history),
-- `set` (by hand: Settings or `dtoc coverage set`), `upgrade` (a register written before coverage:
-- its earliest ready date, the figures as they were).
CREATE TABLE site_coverage (
    site_code TEXT NOT NULL PRIMARY KEY REFERENCES site (code),
    from_on   TEXT NOT NULL CHECK (date(from_on) = from_on),
    source    TEXT NOT NULL CHECK (source IN ('entered', 'import', 'set', 'upgrade'))
) WITHOUT ROWID;
-- The sites whose first record a write entered are found by this index, not a scan of the stays.
CREATE INDEX stay_site ON stay (site_code);

-- Version 13 (issue 26): each site's wards as reference data (Settings and `dtoc import wards`). A
-- stay's ward stays free text and is matched to this list by code or name ignoring case; a ward not
-- on the list is allowed and shown as such. The code is unique per site whatever its case.
CREATE TABLE IF NOT EXISTS ward (
    site_code TEXT    NOT NULL REFERENCES site (code),
    code      TEXT    NOT NULL COLLATE NOCASE CHECK (length(code) BETWEEN 1 AND 40),
    name      TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    beds      INTEGER CHECK (beds IS NULL OR beds BETWEEN 1 AND 2000),
    PRIMARY KEY (site_code, code)
) WITHOUT ROWID;

-- Version 14 (issue 26): actions with owners. A board round's note becomes an action: its text,
-- an owner (a person or a team, from the list below, which a new name typed joins), an optional
-- due date and a state (open, done, cancelled) with who closed it and on which day. An action is
-- overdue while open after its due date. The notes written before version 14 are records of what
-- was done: they become done actions, closed on their own day by their author, with no owner and
-- no due date (docs/actions.md). Patient-level: never in an aggregate export.
ALTER TABLE delay_action ADD COLUMN owner TEXT CHECK (owner IS NULL OR length(owner) BETWEEN 1 AND 60);
ALTER TABLE delay_action ADD COLUMN due_on TEXT CHECK (due_on IS NULL OR date(due_on) = due_on);
ALTER TABLE delay_action ADD COLUMN state TEXT NOT NULL DEFAULT 'open'
    CHECK (state IN ('open', 'done', 'cancelled'));
ALTER TABLE delay_action ADD COLUMN closed_on TEXT CHECK (closed_on IS NULL OR date(closed_on) = closed_on);
ALTER TABLE delay_action ADD COLUMN closed_by TEXT;
UPDATE delay_action SET state = 'done', closed_on = on_day, closed_by = by_user;
CREATE INDEX delay_action_state ON delay_action (state, due_on);
-- The owners offered in the action form (reference data; a name is matched ignoring case).
CREATE TABLE action_owner (
    name     TEXT NOT NULL PRIMARY KEY COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
    added_on TEXT NOT NULL CHECK (date(added_on) = added_on)
) WITHOUT ROWID;

-- Version 15 (issue 26): the census optionally by ward. A site's ward figures on a day add up to its
-- census that day (the sum of its authorities' cells in `census`); the store refuses a write that
-- would leave them apart. The shares keep using `census`.
CREATE TABLE IF NOT EXISTS census_ward (
    day        TEXT    NOT NULL CHECK (date(day) = day),
    site_code  TEXT    NOT NULL,
    ward_code  TEXT    NOT NULL COLLATE NOCASE,
    inpatients INTEGER NOT NULL CHECK (inpatients >= 0),
    PRIMARY KEY (day, site_code, ward_code),
    FOREIGN KEY (site_code, ward_code) REFERENCES ward (site_code, code)
) WITHOUT ROWID;
