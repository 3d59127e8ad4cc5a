-- What SQLite itself needs to put the import benchmark's 1,000,000 rows into dtoc's schema (no
-- validation, no merge with stored stays, no month counts): see BENCHMARKS.md. After
-- `cargo bench --bench national` (which writes the CSV), from the repository root:
--   rm -f /tmp/floor.db; time sqlite3 /tmp/floor.db < benches/sqlite3_schema_floor.sql
.timer on
.import --csv target/bench-national/import-1m.csv raw
.read schema.sql
PRAGMA foreign_keys = ON;
BEGIN;
INSERT INTO provider (code) SELECT DISTINCT provider FROM raw;
INSERT INTO site (code, provider_code, setting) SELECT site, min(provider), min(setting) FROM raw GROUP BY site;
INSERT INTO local_authority (code) SELECT DISTINCT la_code FROM raw;
INSERT INTO patient (local_id, nhs_number) SELECT local_id, max(nullif(nhs_number, '')) FROM raw GROUP BY local_id;
INSERT INTO stay (patient_id, site_code, la_code, admitted_on, discharged_on, pathway)
  SELECT p.id, r.site, r.la_code, r.admitted_on, max(nullif(r.discharged_on, '')), max(nullif(r.pathway, ''))
  FROM raw r JOIN patient p ON p.local_id = r.local_id GROUP BY r.local_id;
INSERT INTO delay (stay_id, ready_on, ended_on, end_kind)
  SELECT s.id, min(r.delay_start),
         CASE WHEN min(r.delay_end) = '' THEN NULL ELSE max(r.delay_end) END,
         CASE WHEN min(r.delay_end) = '' THEN NULL ELSE coalesce(max(nullif(r.end_kind, '')), 'discharged') END
  FROM raw r JOIN patient p ON p.local_id = r.local_id JOIN stay s ON s.patient_id = p.id GROUP BY s.id;
INSERT INTO delay_period (delay_id, start_on, end_on, reason, attribution)
  SELECT d.id, r.delay_start, nullif(r.delay_end, ''), r.reason, r.attribution
  FROM raw r JOIN patient p ON p.local_id = r.local_id JOIN stay s ON s.patient_id = p.id JOIN delay d ON d.stay_id = s.id;
COMMIT;
SELECT count(*) FROM delay_period;
