//! `dtoc coverage` (list) and `dtoc coverage set --site CODE --from DATE`: from when each site's
//! record is complete (issue 24, docs/coverage.md). Before the register's coverage every figure is
//! blank; Settings edits the same dates.

use super::output::{write_columns, Align::Left as L};
use crate::store::{CoverageSource, Store};
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;

/// Lists each site's coverage and the register's (the latest of them).
pub fn list(store: &Store, out: &mut dyn Write) -> Result<()> {
    let c = store.coverage()?;
    let Some(day) = c.from_day() else {
        writeln!(
            out,
            "no site has a record yet: a site is covered from the day its first record is entered"
        )?;
        return Ok(());
    };
    let mut rows = vec![vec!["site".to_string(), "from".into(), "source".into()]];
    for s in &c.sites {
        rows.push(vec![
            s.site_code.clone(),
            s.from.to_string(),
            s.source.key().to_string(),
        ]);
    }
    write_columns(out, &[L(12), L(10), L(8)], &rows)?;
    writeln!(
        out,
        "figures from {day}: months before {} are blank (a month partly covered is blank)",
        c.first_month().map_or(String::new(), |m| m.to_string())
    )?;
    Ok(())
}

/// Sets a site's coverage (audited, source `set`); a date after today is refused.
pub fn set(
    store: &mut Store,
    site: &str,
    from: NaiveDate,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    super::monthly::not_future("--from", &from, from, today)?;
    let site = &super::site::site_code(store, "--site", site)?;
    let changed = store.set_coverage(&[(site.to_string(), from)], CoverageSource::Set)?;
    if changed == 0 {
        writeln!(
            out,
            "coverage of {site} is already from {from}: nothing changed"
        )?;
    } else {
        writeln!(out, "coverage of {site} set from {from}")?;
    }
    Ok(())
}
