//! Pure computations over delayed-day counts: rates, targets, RAG, SPC, exports.
//!
//! - [`sitrep`]: the monthly LA-Type-B tables (by type of care, responsible organisation, reason)
//!   as data, written as CSV or XLSX by `dtoc export sitrep` (`commands::output::layout`).
//!
//! - [`table`]: one titled table of typed columns that every report hands to the one output
//!   writer (`commands::output`: terminal table, CSV, JSON or XLSX); [`suppress`]: `--suppress N`
//!   (small counts and the totals that reveal them).
//!
//! Pure: no I/O, no clap, no printing, typed errors. Every function takes plain values (and
//! `today`, where it matters, is passed in); `commands` reads the store and writes the results.
//!
//! - [`rates`]: population choice, DTOC beds, rates per 100,000, target units, quarterly and
//!   financial-year means (docs/measures.md).
//! - [`rag`](mod@rag): exact 95% Poisson interval of a count, RAG and "significantly better / similar /
//!   significantly worse" against a target (docs/measures.md).
//! - [`discharge`]: discharges by pathway and destination, Discharge Ready Date, length of stay and
//!   criteria to reside (docs/discharge.md); [`acute_sitrep`] writes them in the acute sitrep layout.
//! - [`spc`]: the XmR chart of "Making Data Count": limits, special-cause flags, variation and
//!   assurance verdicts.
//!
//! Lower is better everywhere: fewer delayed days is good news.

pub mod actions;
pub mod acute_sitrep;
pub mod audit;
pub mod benchmark;
pub mod chart;
pub mod community_sitrep;
pub mod discharge;
pub mod discharge_table;
pub mod forecast;
pub mod monthly;
pub mod patients;
pub mod queue_suppress;
pub mod queues;
pub mod queues_table;
pub mod rag;
pub mod rates;
pub mod reconcile;
pub mod sitrep;
pub mod sitrep_grid;
pub mod spc;
pub mod spc_table;
pub mod suppress;
pub mod table;
pub mod weekly;
pub mod weekly_table;

/// The periods (month, quarter, financial year) every report names, kept at `report::period`.
pub use monthly::period;

pub use rag::{assess, poisson_ci_95, rag, vs_target, Assessment, PoissonCi, Rag, VsTarget};
pub use rates::{
    aggregate_monthly_rates, days_in_unit, dtoc_beds, month_rates, population_for_month,
    rate_per_100k_day, rate_per_100k_month, target_days, target_per_100k_day, FinancialPeriod,
    MonthRates, PeriodRate, PopulationUsed, RateError,
};
pub use spc::{
    xmr, Assurance, Direction, SpcError, SpcPoint, SpcRule, SpecialCause, Variation, XmrChart,
};
