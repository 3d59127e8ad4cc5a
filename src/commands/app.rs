//! The terminal app's actions that read the store and call the reports (the app's side of
//! "one function per CLI command and per app action").

use crate::domain::{Week, YearMonth};
use crate::report::monthly::{forecast, Forecast, Inputs, Monthly};
use crate::report::weekly::WeekFigures;
use crate::store::{
    Authority, Coverage, MonthTotal, OpenCount, Population, Store, Target, WeekStatus,
};
use chrono::NaiveDate;

/// The month totals and open counts of `from..=to`, and the monthly report and month-end
/// forecasts computed from them.
#[derive(Debug, Clone, Default)]
pub struct Aggregates {
    pub totals: Vec<MonthTotal>,
    pub open: Vec<OpenCount>,
    pub monthly: Monthly,
    pub forecast: Vec<Forecast>,
}

/// Reads the month totals (by attribution, summed by SQLite: all the report needs) and the open
/// counts, and computes the monthly report of all authorities over `from..=to` and the forecasts
/// for the month of `today`. The report is
/// `commands::monthly::monthly_of_totals`, as for `dtoc report monthly`, from reference data
/// the app has already read.
pub fn load_aggregates(
    store: &Store,
    authorities: &[Authority],
    populations: &[Population],
    targets: &[Target],
    from: YearMonth,
    to: YearMonth,
    today: NaiveDate,
) -> crate::Result<Aggregates> {
    let totals = store.month_totals(from, to, &[], today)?;
    let open = store.open_counts(today)?;
    let coverage = store.coverage()?;
    Ok(aggregates_of(
        totals,
        open,
        authorities,
        populations,
        targets,
        &coverage,
        from,
        to,
        today,
    ))
}

/// The monthly report and forecasts from month totals and open counts the app already holds
/// (it keeps them up to date from each save instead of reading them again).
#[allow(clippy::too_many_arguments)]
pub fn aggregates_of(
    totals: Vec<MonthTotal>,
    open: Vec<OpenCount>,
    authorities: &[Authority],
    populations: &[Population],
    targets: &[Target],
    coverage: &Coverage,
    from: YearMonth,
    to: YearMonth,
    today: NaiveDate,
) -> Aggregates {
    let inputs = Inputs {
        authorities,
        populations,
        targets,
        coverage,
    };
    let monthly =
        crate::commands::monthly::monthly_of_totals(&totals, &inputs, from, to, &[], today);
    let forecast = forecast(&monthly.rows, &open, today);
    Aggregates {
        totals,
        open,
        monthly,
        forecast,
    }
}

/// One week's figures (against the week before) and its sign-off status.
pub fn load_week(
    store: &Store,
    week: Week,
    today: NaiveDate,
) -> crate::Result<(WeekFigures, WeekStatus)> {
    let figures = crate::commands::weekly::load_week(store, week, today)?;
    Ok((figures, store.week_status(week)?))
}
