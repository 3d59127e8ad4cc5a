#!/usr/bin/env python3
"""The DuckDB peer of dtoc (`cargo bench --bench national`): the monthly report and the import.

monthly: computes, from a delays CSV in dtoc's import format and a population CSV, the figures of
`dtoc report monthly --format csv` for every authority (or those given with --la), by the same
rules as the pandas peer (`peer_monthly.py`; docs/counting.md and docs/measures.md):

- a period from S to E (exclusive) has E - S delayed days, each in the month of its day; an open
  period (empty delay_end) counts up to the day before --today, and so does any period's end;
- a month in progress counts the days before today; a month not begun is left out;
- a month uses the population estimate of its own calendar year, else the most recent earlier one.

It loads the whole delays CSV into a table of an in-memory database (`read_csv`, every column), then
runs the report query --repeat times, each writing --out itself (`COPY ... TO`). Prints one JSON
line on stdout: {"load": s, "compute": [s, ...], "rows": n} (seconds measured inside the script,
after `import duckdb`).

import: `read_csv` of the whole file into a table of a fresh DuckDB database file (--db), every
column, types detected; prints {"load": s, "rows": n}.

usage: peer_duckdb.py monthly DELAYS.csv POPULATION.csv --today YYYY-MM-DD --from YYYY-MM --to YYYY-MM
                              [--la CODE]... --out OUT.csv [--repeat N]
       peer_duckdb.py import DELAYS.csv --db OUT.duckdb
"""
import argparse
import json
import sys
import time

import duckdb

# The report: one row per month x authority x measure of the counted months, in dtoc's order.
MONTHLY_SQL = """
WITH p AS (
    SELECT la_code, attribution, delay_start AS s,
           least(coalesce(delay_end, $today::DATE), $today::DATE) AS e
    FROM delays
    WHERE len($las::VARCHAR[]) = 0 OR list_contains($las::VARCHAR[], la_code)
), months_of AS (
    -- Months as integers (year * 12 + month - 1): a period's first and last month.
    SELECT la_code, attribution, s, e,
           year(s) * 12 + month(s) - 1 AS m0, year(e - 1) * 12 + month(e - 1) - 1 AS m1
    FROM p
    WHERE e > s
), pieces AS (
    -- One piece per month a period touches: its days in that month.
    SELECT la_code, attribution, make_date((mi // 12)::BIGINT, (mi % 12 + 1)::BIGINT, 1) AS m,
           least(e, make_date(((mi + 1) // 12)::BIGINT, ((mi + 1) % 12 + 1)::BIGINT, 1))
             - greatest(s, make_date((mi // 12)::BIGINT, (mi % 12 + 1)::BIGINT, 1)) AS days
    FROM (SELECT la_code, attribution, s, e, unnest(range(m0, m1 + 1)) AS mi FROM months_of)
), by_month AS (
    SELECT m, la_code,
           sum(days) AS total,
           sum(days) FILTER (attribution = 'NHS') AS nhs,
           sum(days) FILTER (attribution = 'Social Care') AS social_care,
           sum(days) FILTER (attribution = 'Both') AS both
    FROM pieces
    GROUP BY ALL
), months AS (
    SELECT m::DATE AS m,
           CASE WHEN $today::DATE >= (m + INTERVAL 1 MONTH)::DATE THEN (m + INTERVAL 1 MONTH)::DATE - m::DATE
                WHEN $today::DATE <= m::DATE THEN 0
                ELSE $today::DATE - m::DATE END AS counted
    FROM generate_series($from::DATE, $to::DATE, INTERVAL 1 MONTH) AS t(m)
), las AS (
    SELECT la_code FROM population WHERE len($las::VARCHAR[]) = 0
    UNION SELECT DISTINCT la_code FROM delays WHERE len($las::VARCHAR[]) = 0
    UNION SELECT unnest($las::VARCHAR[]) AS la_code
), measures AS (
    SELECT * FROM (VALUES (0, 'total'), (1, 'nhs'), (2, 'social_care'), (3, 'both')) AS t(k, measure)
), grid AS (
    SELECT months.m, months.counted, year(months.m) AS year, las.la_code, measures.k, measures.measure,
           coalesce(CASE measures.k WHEN 0 THEN b.total WHEN 1 THEN b.nhs
                                    WHEN 2 THEN b.social_care ELSE b.both END, 0) AS delayed_days
    FROM months CROSS JOIN las CROSS JOIN measures
    LEFT JOIN by_month b ON b.m = months.m AND b.la_code = las.la_code
    WHERE months.counted > 0
), withpop AS (
    SELECT g.*, pop.population_18plus, pop.year AS population_year
    FROM grid g ASOF LEFT JOIN population pop
      ON g.la_code = pop.la_code AND g.year >= pop.year
)
SELECT strftime(m, '%Y-%m') AS month, la_code, measure, delayed_days,
       counted AS days_in_month,
       coalesce(population_18plus::VARCHAR, '') AS population_18plus,
       coalesce(population_year::VARCHAR, '') AS population_year,
       printf('%.6f', delayed_days::DOUBLE / counted::DOUBLE) AS dtoc_beds,
       coalesce(printf('%.6f', delayed_days::DOUBLE / population_18plus::DOUBLE * 100000.0), '')
           AS rate_per_100k_month,
       coalesce(printf('%.6f', (delayed_days::DOUBLE / counted::DOUBLE) / population_18plus::DOUBLE
                               * 100000.0), '') AS rate_per_100k_day
FROM withpop
ORDER BY m, la_code, k
"""


def monthly(a):
    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE delays AS SELECT * FROM read_csv(?, header = true, "
        "types = {'delay_start': 'DATE', 'delay_end': 'DATE', 'admitted_on': 'DATE', "
        "'discharged_on': 'DATE', 'la_code': 'VARCHAR', 'attribution': 'VARCHAR', "
        "'local_id': 'VARCHAR', 'nhs_number': 'VARCHAR'})",
        [a.delays],
    )
    con.execute(
        "CREATE TABLE population AS SELECT la_code, year::INTEGER AS year, "
        "population_18plus::BIGINT AS population_18plus FROM read_csv(?, header = true, "
        "types = {'la_code': 'VARCHAR'})",
        [a.population],
    )
    load = time.perf_counter() - t0
    params = {
        "today": a.today,
        "from": a.frm + "-01",
        "to": a.to + "-01",
        "las": a.la,
    }
    sql = MONTHLY_SQL
    compute = []
    rows = 0
    for _ in range(max(1, a.repeat)):
        t = time.perf_counter()
        # COPY takes no parameters: the figures go to a table first, then to the file.
        con.execute("CREATE OR REPLACE TEMP TABLE report AS " + sql, params)
        con.execute("COPY report TO '%s' (HEADER, DELIMITER ',')" % a.out.replace("'", "''"))
        compute.append(time.perf_counter() - t)
        rows = con.execute("SELECT count(*) FROM report").fetchone()[0]
    print(json.dumps({"load": load, "compute": compute, "rows": rows}))


def load_import(a):
    t0 = time.perf_counter()
    con = duckdb.connect(a.db)
    con.execute("CREATE TABLE delays AS SELECT * FROM read_csv(?, header = true)", [a.delays])
    rows = con.execute("SELECT count(*) FROM delays").fetchone()[0]
    con.close()
    print(json.dumps({"load": time.perf_counter() - t0, "rows": rows}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="what", required=True)
    m = sub.add_parser("monthly")
    m.add_argument("delays")
    m.add_argument("population")
    m.add_argument("--today", required=True)
    m.add_argument("--from", dest="frm", required=True)
    m.add_argument("--to", required=True)
    m.add_argument("--la", action="append", default=[])
    m.add_argument("--out", required=True)
    m.add_argument("--repeat", type=int, default=1)
    i = sub.add_parser("import")
    i.add_argument("delays")
    i.add_argument("--db", required=True)
    a = ap.parse_args()
    if a.what == "monthly":
        monthly(a)
    else:
        load_import(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
