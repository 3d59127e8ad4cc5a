#!/usr/bin/env python3
"""The pandas peer of dtoc's monthly report (`cargo bench --bench national`).

Computes, from a delays CSV in dtoc's import format and a population CSV, the figures of
`dtoc report monthly --format csv` for every authority (or those given with --la): delayed days per
month x authority x measure (total, nhs, social_care, both), the days counted, the 18+ population
and its year, DTOC beds, and the rates per 100,000 per month and per day, by the same rules
(docs/counting.md and docs/measures.md):

- a period from S to E (exclusive) has E - S delayed days, each in the month of its day; an open
  period (empty delay_end) counts up to the day before --today, and so does any period's end;
- a month in progress counts the days before today; a month not begun is left out;
- a month uses the population estimate of its own calendar year, else the most recent earlier one.

Output (stdout or --out): month,la_code,measure,delayed_days,days_in_month,population_18plus,
population_year,dtoc_beds,rate_per_100k_month,rate_per_100k_day, numbers as dtoc writes them
(6 decimals), sorted by month, authority and measure. Prints the seconds taken on stderr.

usage: peer_monthly.py DELAYS.csv POPULATION.csv --today YYYY-MM-DD --from YYYY-MM --to YYYY-MM [--la CODE]...
"""
import argparse
import sys
import time

import numpy as np
import pandas as pd

MEASURES = ["total", "nhs", "social_care", "both"]
ATTRIBUTION = {"NHS": "nhs", "Social Care": "social_care", "Both": "both"}


def month_index(days):
    """Months since 1970-01 of datetime64[D] values."""
    return days.astype("datetime64[M]").astype(np.int64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("delays")
    ap.add_argument("population")
    ap.add_argument("--today", required=True)
    ap.add_argument("--from", dest="frm", required=True)
    ap.add_argument("--to", required=True)
    ap.add_argument("--la", action="append", default=[])
    ap.add_argument("--out")
    a = ap.parse_args()
    t0 = time.perf_counter()

    d = pd.read_csv(
        a.delays,
        usecols=["la_code", "delay_start", "delay_end", "attribution"],
        dtype={"la_code": "category", "attribution": "category"},
        engine="c",
    )
    pop = pd.read_csv(a.population, dtype={"la_code": str})
    if a.la:
        d = d[d.la_code.isin(a.la)]
    today = np.datetime64(a.today, "D")
    start = d.delay_start.to_numpy(dtype="datetime64[D]")
    end = pd.to_datetime(d.delay_end).to_numpy(dtype="datetime64[D]")
    end = np.where(np.isnat(end), today, end)
    end = np.minimum(end, today)
    keep = end > start
    start, end = start[keep], end[keep]
    la = d.la_code.to_numpy()[keep]
    attr = d.attribution.map(ATTRIBUTION).to_numpy()[keep]

    # Split each period at month boundaries: one piece per month it touches.
    m0 = month_index(start)
    m1 = month_index(end - np.timedelta64(1, "D"))
    n = (m1 - m0 + 1).astype(np.int64)
    idx = np.repeat(np.arange(len(start)), n)
    offset = np.arange(len(idx)) - np.repeat(np.cumsum(n) - n, n)
    month = m0[idx] + offset
    month_start = month.astype("datetime64[M]").astype("datetime64[D]")
    month_end = (month + 1).astype("datetime64[M]").astype("datetime64[D]")
    days = (np.minimum(end[idx], month_end) - np.maximum(start[idx], month_start)).astype(np.int64)
    pieces = pd.DataFrame({"month": month, "la_code": la[idx], "measure": attr[idx], "days": days})
    by_attr = pieces.groupby(["month", "la_code", "measure"], observed=True).days.sum()
    by_attr = by_attr.unstack("measure", fill_value=0)
    for m in MEASURES[1:]:
        if m not in by_attr.columns:
            by_attr[m] = 0
    by_attr["total"] = by_attr[MEASURES[1:]].sum(axis=1)

    # Every authority (those with a population and those in the register) x every counted month.
    las = sorted(set(pop.la_code) | set(d.la_code.astype(str)))
    if a.la:
        las = sorted(set(a.la))
    frm = np.datetime64(a.frm, "M").astype(np.int64)
    to = np.datetime64(a.to, "M").astype(np.int64)
    months = np.arange(frm, to + 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    nxt = (months + 1).astype("datetime64[M]").astype("datetime64[D]")
    counted = np.where(today >= nxt, (nxt - first).astype(np.int64),
                       np.where(today <= first, 0, (today - first).astype(np.int64)))
    grid = pd.MultiIndex.from_product([months, las], names=["month", "la_code"])
    figures = by_attr.reindex(grid, fill_value=0)[MEASURES]
    counted_of = pd.Series(counted, index=months)
    out = figures.stack().rename("delayed_days").reset_index()
    out.columns = ["month", "la_code", "measure", "delayed_days"]
    out["days_in_month"] = counted_of.reindex(out.month).to_numpy()
    out = out[out.days_in_month > 0]
    out["year"] = out.month.to_numpy().astype("datetime64[M]").astype("datetime64[Y]").astype(np.int64) + 1970

    # Population: the estimate of the month's year, else the latest earlier one.
    est = pop[["la_code", "year", "population_18plus"]].sort_values("year")
    out = out.sort_values("year")
    out = pd.merge_asof(out, est.rename(columns={"year": "population_year"}),
                        left_on="year", right_on="population_year", by="la_code", direction="backward")
    days_f = out.delayed_days.to_numpy(dtype=np.float64)
    counted_f = out.days_in_month.to_numpy(dtype=np.float64)
    popf = out.population_18plus.to_numpy(dtype=np.float64)
    beds = days_f / counted_f
    out["dtoc_beds"] = beds
    out["rate_per_100k_month"] = days_f / popf * 100000.0
    out["rate_per_100k_day"] = beds / popf * 100000.0
    out["measure_order"] = out.measure.map({m: i for i, m in enumerate(MEASURES)})
    out = out.sort_values(["month", "la_code", "measure_order"])
    out["month"] = out.month.to_numpy().astype("datetime64[M]").astype(str)

    def six(col):
        return [("" if np.isnan(v) else "%.6f" % v) for v in col]

    def integer(col):
        return ["" if pd.isna(v) else str(int(v)) for v in col]

    res = pd.DataFrame({
        "month": out.month.to_numpy(),
        "la_code": out.la_code.to_numpy(),
        "measure": out.measure.to_numpy(),
        "delayed_days": out.delayed_days.to_numpy(),
        "days_in_month": out.days_in_month.to_numpy(),
        "population_18plus": integer(out.population_18plus),
        "population_year": integer(out.population_year),
        "dtoc_beds": six(out.dtoc_beds),
        "rate_per_100k_month": six(out.rate_per_100k_month),
        "rate_per_100k_day": six(out.rate_per_100k_day),
    })
    if a.out:
        res.to_csv(a.out, index=False)
    else:
        res.to_csv(sys.stdout, index=False)
    print(f"{time.perf_counter() - t0:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
