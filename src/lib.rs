//! dtoc: delayed transfers of care for NHS discharge hubs.
//!
//! Layers: [`domain`] (types and rules, no I/O), [`store`] (the only code that touches SQLite),
//! [`report`] (pure computations over counts), [`import`] (CSV readers that validate into domain
//! records), [`ui`] (the terminal app) and [`cli`] (argument parsing and commands).
#![deny(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod cli;
pub mod commands;
pub mod domain;
pub mod error;
pub mod import;
pub mod national;
pub mod progress;
pub mod report;
pub mod store;
pub mod ui;

pub use error::{Error, InputError, Result};
