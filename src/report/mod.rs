//! Pure computations over delayed-day counts: rates, targets, RAG, SPC, exports.
//!
//! No I/O here: every function takes plain values (and `today`, where it matters, is passed in).
//!
//! - [`rates`]: population choice, DTOC beds, rates per 100,000, target units, quarterly and
//!   financial-year means (RULES.md §2).

pub mod rates;

pub use rates::{
    aggregate_monthly_rates, days_in_unit, dtoc_beds, month_rates, population_for_month,
    rate_per_100k_day, rate_per_100k_month, target_days, target_per_100k_day, Aggregation,
    FinancialPeriod, MonthRates, PeriodRate, PopulationUsed, RateError,
};

pub mod rag;

pub use rag::{assess, poisson_ci_95, rag, vs_target, Assessment, PoissonCi, Rag, VsTarget};
