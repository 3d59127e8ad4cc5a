//! One function per CLI command and per app action: read the store, call the reports, hand the
//! tables to the output writer ([`output`]). The CLI (`cli.rs`, clap only) and the terminal app
//! (`ui`) both call these; nothing below this layer (report, store, import, domain) names it.
//! The functions take plain typed arguments (no clap types) and write what they say to `out`.

pub mod actions;
pub mod admin;
pub mod app;
pub mod authority;
pub mod chart;
pub mod coverage;
pub mod demo;
pub mod discharge;
pub mod export;
pub mod import;
pub mod messages;
pub mod monthly;
pub mod output;
pub mod progress;
pub mod queues;
pub mod report;
pub mod site;
pub mod spc;
pub mod suppression;
pub mod tracker;
pub mod weekly;
