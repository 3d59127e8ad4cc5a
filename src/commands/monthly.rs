//! The monthly figures as every caller reads them: the month range of a report (`--from`/`--to`
//! with their defaults) and [`load_monthly`], the ONE function that reads the store and computes
//! the monthly report (the CLI's reports and charts; the app's report screen calls it too).

use super::output::{Dest, Format};
use crate::domain::{LaCode, YearMonth};
use crate::report::monthly::{self, Inputs};
use crate::store::{MonthTotal, Store};
use anyhow::{bail, Result};
use chrono::NaiveDate;

/// The months, authorities and output of a report over a range of months.
#[derive(Debug, Clone, Default)]
pub struct Range {
    /// First month [default: 12 months before `to`].
    pub from: Option<YearMonth>,
    /// Last month [default: the month of today].
    pub to: Option<YearMonth>,
    /// Local authority ONS codes [default: all].
    pub las: Vec<String>,
    pub format: Format,
    pub dest: Dest,
}

impl Range {
    /// The first and last months, with their defaults as of `today`.
    pub fn months(&self, today: NaiveDate) -> Result<(YearMonth, YearMonth)> {
        months(self.from, self.to, today)
    }
}

/// No figures for the future (docs/measures.md): the ONE rule every command taking a `--date`,
/// `--to`, `--month` or `--week` applies. A period beginning after today (`first_day`) is refused,
/// naming the flag, the value and today; a period in progress is allowed (and marked where shown).
pub fn not_future(
    flag: &str,
    value: &dyn std::fmt::Display,
    first_day: NaiveDate,
    today: NaiveDate,
) -> Result<()> {
    if first_day > today {
        bail!("{flag} {value} is after today ({today}): there are no figures for the future");
    }
    Ok(())
}

/// [`not_future`] for a month.
pub fn month_not_future(flag: &str, month: YearMonth, today: NaiveDate) -> Result<()> {
    not_future(flag, &month, month.first_day(), today)
}

/// `from` and `to` with their defaults (`to`: the month of today; `from`: 12 months before `to`);
/// refused when `from` is after `to` or either is after today ([`not_future`]).
pub fn months(
    from: Option<YearMonth>,
    to: Option<YearMonth>,
    today: NaiveDate,
) -> Result<(YearMonth, YearMonth)> {
    if let Some(f) = from {
        month_not_future("--from", f, today)?;
    }
    if let Some(t) = to {
        month_not_future("--to", t, today)?;
    }
    let to = to.unwrap_or_else(|| YearMonth::of(today));
    let from = from.unwrap_or_else(|| to.add_months(-12));
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    Ok((from, to))
}

/// Reads and computes the monthly report of `las` (all when empty) from `from` to `to`.
pub fn load_monthly(
    store: &Store,
    from: YearMonth,
    to: YearMonth,
    las: &[String],
    today: NaiveDate,
) -> Result<monthly::Monthly> {
    // Totals by attribution are all the report needs: summed by SQLite, not row by row.
    let totals = store.month_totals(from, to, &LaCode::parse_all(las)?, today)?;
    let authorities = store.authorities()?;
    let populations = store.populations()?;
    let targets = store.targets(from, to)?;
    let coverage = store.coverage()?;
    let inputs = Inputs {
        authorities: &authorities,
        populations: &populations,
        targets: &targets,
        coverage: &coverage,
    };
    Ok(monthly_of_totals(&totals, &inputs, from, to, las, today))
}

/// The monthly report from month totals already read (the app keeps its reference data loaded,
/// so it reads only the totals and calls this; `load_monthly` reads everything and calls it too).
pub fn monthly_of_totals(
    totals: &[MonthTotal],
    inputs: &Inputs,
    from: YearMonth,
    to: YearMonth,
    las: &[String],
    today: NaiveDate,
) -> monthly::Monthly {
    monthly::monthly_from_sums(
        &monthly::sums_of_totals(totals),
        inputs,
        from,
        to,
        las,
        today,
    )
}
