//! `--suppress N` decided once per month: every report and export of a month asks
//! [`decided`] for the month's hidden cells ([`crate::report::suppress::hidden_cells`] over the
//! month's whole cube, every authority), so that no two outputs side by side give a hidden cell
//! back (docs/data-protection.md).

use crate::domain::YearMonth;
use crate::report::suppress::{hidden_cells, Hidden, MonthCube};
use crate::store::Store;
use anyhow::Result;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The decision of each of `months` as of `today` (none when `n == 0`).
pub fn decided(
    store: &Store,
    months: impl IntoIterator<Item = YearMonth>,
    today: NaiveDate,
    n: u64,
) -> Result<BTreeMap<YearMonth, Hidden>> {
    let mut out = BTreeMap::new();
    if n == 0 {
        return Ok(out);
    }
    let providers: BTreeMap<String, String> = store
        .sites()?
        .into_iter()
        .map(|s| (s.code, s.provider_code))
        .collect();
    for m in months {
        if m.first_day() >= today {
            continue;
        }
        let days = store.days_between(m.first_day(), m.end_exclusive(), today)?;
        out.insert(
            m,
            hidden_cells(&MonthCube::of_days(m, &days, &providers), n),
        );
    }
    Ok(out)
}
