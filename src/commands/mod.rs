//! One function per CLI command and per app action: read the store, call the reports, hand the
//! tables to the output writer ([`output`]). The CLI (`cli.rs`, clap only) and the terminal app
//! (`ui`) both call these; nothing below this layer (report, store, import, domain) names it.

pub mod app;
pub mod output;
