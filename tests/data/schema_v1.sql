-- dtoc schema version 1: schema.sql without delay.reviewed_on, delay_period.acute_reason and
-- stay.usual_residence, with a little data (tests/it/migrations.rs upgrades it to version 2).
--
-- One SQLite file holds a discharge hub's register. Dates are ISO text (YYYY-MM-DD), months YYYY-MM.
-- A delay's end date is exclusive: a delay from S to E has E - S delayed days (RULES.md §1).
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
    setting       TEXT NOT NULL CHECK (setting IN ('acute', 'non-acute'))
);

-- The minimum about a person (RULES.md §7): a local hospital number and, optionally, the NHS number.
CREATE TABLE patient (
    id         INTEGER PRIMARY KEY,
    local_id   TEXT NOT NULL UNIQUE CHECK (length(local_id) BETWEEN 1 AND 40),
    nhs_number TEXT CHECK (nhs_number IS NULL OR (length(nhs_number) = 10 AND nhs_number NOT GLOB '*[^0-9]*'))
);

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
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (patient_id, admitted_on)
);
CREATE INDEX stay_la ON stay (la_code);
CREATE INDEX stay_open ON stay (discharged_on);

-- A delay: from the ready date until the patient leaves the bed or is unfit again.
CREATE TABLE delay (
    id              INTEGER PRIMARY KEY,
    stay_id         INTEGER NOT NULL REFERENCES stay (id) ON DELETE CASCADE,
    ready_on        TEXT    NOT NULL CHECK (date(ready_on) = ready_on),
    ended_on        TEXT    CHECK (ended_on IS NULL OR (date(ended_on) = ended_on AND ended_on >= ready_on)),
    end_kind        TEXT    CHECK (end_kind IS NULL OR end_kind IN ('discharged', 'transferred', 'unfit')),
    planned_pathway INTEGER CHECK (planned_pathway IS NULL OR planned_pathway BETWEEN 0 AND 3),
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

PRAGMA user_version = 1;

INSERT INTO local_authority (code, name) VALUES ('E06000017', 'Rutland'), ('E10000018', 'Leicestershire');
INSERT INTO population (la_code, year, population_18plus) VALUES ('E06000017', 2018, 33300), ('E10000018', 2018, 543600);
INSERT INTO provider (code) VALUES ('RWE');
INSERT INTO site (code, provider_code, name, setting) VALUES ('RWE01', 'RWE', 'Leicester Royal Infirmary', 'acute');
INSERT INTO patient (id, local_id, nhs_number) VALUES (1, 'V1PAT1', '9434765919'), (2, 'V1PAT2', NULL);
INSERT INTO stay (id, patient_id, site_code, la_code, admitted_on, discharged_on, pathway, destination)
    VALUES (1, 1, 'RWE01', 'E06000017', '2018-06-20', '2018-07-10', 1, 'home'),
           (2, 2, 'RWE01', 'E10000018', '2018-07-01', NULL, NULL, NULL);
INSERT INTO delay (id, stay_id, ready_on, ended_on, end_kind, planned_pathway)
    VALUES (1, 1, '2018-06-28', '2018-07-10', 'discharged', 1),
           (2, 2, '2018-07-05', NULL, NULL, 3);
INSERT INTO delay_period (id, delay_id, start_on, end_on, reason, attribution)
    VALUES (1, 1, '2018-06-28', '2018-07-03', 'A', 'NHS'),
           (2, 1, '2018-07-03', '2018-07-10', 'E', 'Social Care'),
           (3, 2, '2018-07-05', NULL, 'Di', 'Both');
INSERT INTO month_count (month, la_code, site_code, reason, attribution, days)
    VALUES ('2018-06', 'E06000017', 'RWE01', 'A', 'NHS', 3),
           ('2018-07', 'E06000017', 'RWE01', 'A', 'NHS', 2),
           ('2018-07', 'E06000017', 'RWE01', 'E', 'Social Care', 7);
INSERT INTO target (la_code, month, measure, unit, value) VALUES ('E06000017', '2018-07', 'total', 'days_per_day', 1.5);
INSERT INTO audit_log (at, user, entity, entity_id, action) VALUES ('2018-07-10T12:00:00Z', 'v1user', 'delay', '1', 'end');
