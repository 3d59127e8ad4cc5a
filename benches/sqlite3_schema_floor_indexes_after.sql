-- The floor with the secondary indexes built after the rows: what SQLite itself needs to put the
-- import benchmark's rows into dtoc's schema when the tables are filled without their secondary
-- indexes (only the primary and unique keys), in stay order, and `CREATE INDEX` runs once at the
-- end (SQLite builds an index from sorted keys instead of maintaining it row by row). No
-- validation, no merge with stored stays, no month counts. `cargo bench --bench national` (part
-- `import`) runs it with the `.import` line pointing at its file and prints its rows/s beside
-- dtoc's; by hand, from the repository root after a bench run:
--   rm -f /tmp/floor.db; time sqlite3 /tmp/floor.db < benches/sqlite3_schema_floor_indexes_after.sql
.timer on
.import --csv target/bench-national/import-1m.csv raw
.read schema.sql
DROP INDEX patient_nhs;
DROP INDEX stay_la;
DROP INDEX stay_open;
DROP INDEX stay_left;
DROP INDEX delay_open;
DROP INDEX period_end;
DROP INDEX period_start;
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -65536;
PRAGMA temp_store = MEMORY;
BEGIN;
INSERT INTO provider (code) SELECT DISTINCT provider FROM raw ORDER BY 1;
INSERT INTO site (code, provider_code, setting) SELECT site, min(provider), min(setting) FROM raw GROUP BY site;
INSERT INTO local_authority (code) SELECT DISTINCT la_code FROM raw ORDER BY 1;
-- One stay per local id (the generator's); ids in file order, so that every later insert appends.
CREATE TEMP TABLE s AS
  SELECT min(rowid) AS first_row, local_id, max(nullif(nhs_number, '')) AS nhs_number, min(site) AS site,
         min(la_code) AS la_code, min(admitted_on) AS admitted_on,
         max(nullif(discharged_on, '')) AS discharged_on, max(nullif(pathway, '')) AS pathway,
         min(delay_start) AS ready_on,
         CASE WHEN min(delay_end) = '' THEN NULL ELSE max(delay_end) END AS ended_on,
         CASE WHEN min(delay_end) = '' THEN NULL ELSE coalesce(max(nullif(end_kind, '')), 'discharged') END AS end_kind
  FROM raw GROUP BY local_id ORDER BY first_row;
INSERT INTO patient (id, local_id, nhs_number) SELECT rowid, local_id, nhs_number FROM s ORDER BY rowid;
INSERT INTO stay (id, patient_id, site_code, la_code, admitted_on, discharged_on, pathway)
  SELECT rowid, rowid, site, la_code, admitted_on, discharged_on, pathway FROM s ORDER BY rowid;
INSERT INTO delay (id, stay_id, ready_on, ended_on, end_kind)
  SELECT rowid, rowid, ready_on, ended_on, end_kind FROM s ORDER BY rowid;
CREATE TEMP TABLE ids AS SELECT local_id, rowid AS id FROM s;
CREATE UNIQUE INDEX temp.ids_local ON ids (local_id);
INSERT INTO delay_period (delay_id, start_on, end_on, reason, attribution)
  SELECT i.id, r.delay_start, nullif(r.delay_end, ''), r.reason, r.attribution
  FROM raw r JOIN ids i ON i.local_id = r.local_id ORDER BY i.id, r.delay_start;
CREATE INDEX patient_nhs ON patient (nhs_number);
CREATE INDEX stay_la ON stay (la_code);
CREATE INDEX stay_open ON stay (discharged_on);
CREATE INDEX stay_left ON stay (discharged_on, admitted_on);
CREATE INDEX delay_open ON delay (ended_on);
CREATE INDEX period_end ON delay_period (end_on);
CREATE INDEX period_start ON delay_period (start_on);
COMMIT;
SELECT count(*) FROM delay_period;
