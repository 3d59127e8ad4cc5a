//! The integration tests, one crate (issue 23): a module per area, `common` compiled once, one
//! binary linked instead of one per file. Run one area with `cargo test --test it <module>::`.
//! `sqlcipher` is always a module: its encrypted tests compile with the `sqlcipher` feature, and
//! without the feature it checks that a key is refused. CI builds the encrypted tests as their own
//! small crate (`cargo test --features sqlcipher --test sqlcipher`, tests/sqlcipher/main.rs).
//! Helpers new tests can share: `common::cli::demo(&dir)` copies a demo built once per binary.

#[path = "../common/mod.rs"]
mod common;

/// `insta::assert_snapshot!` under the names the snapshot files had when each UI test file was its
/// own crate: `tests/snapshots/<module>__<name>.snap` (e.g. `ui_snapshots__dashboard_80x24.snap`),
/// the module path without this crate's `it::`, every module's snapshots in one folder.
macro_rules! assert_snapshot {
    ($name:expr, $value:expr $(,)?) => {{
        let module = module_path!()
            .trim_start_matches("it::")
            .replace("::", "__");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!(format!("{module}__{}", $name), $value));
    }};
}

mod actions;
mod acute_sitrep;
mod audit_export;
mod bad_inputs;
mod benchmark;
mod board_round_io;
mod bulk_import;
mod census_ward;
mod charts;
mod check;
mod cli;
mod cli_discharge;
mod cli_grammar;
mod contract;
mod correct_ended;
mod coverage;
mod crash;
mod discharge;
mod drd;
mod e2e_pty;
mod edges;
mod engine;
mod entry;
mod exports;
mod exports_all;
mod governance;
mod guards;
mod import_crlf;
mod import_delays;
mod import_population;
mod import_race;
mod import_targets;
mod import_tracker;
mod los;
mod migrations;
mod morning_pty;
mod national;
mod nhs_leak;
mod progress;
mod published;
mod queues;
mod reconcile;
mod register_rules;
mod restore;
mod restore_files;
mod signoff;
mod silent_zeros;
mod sitrep;
mod sitrep_returns;
mod spc_cli;
mod sqlcipher;
mod stress;
mod suppression;
mod suppression_queues;
mod suppression_weekly;
mod ui_board_round;
mod ui_discharges;
mod ui_figures;
mod ui_first_run;
mod ui_forms;
mod ui_fuzz;
mod ui_layout_80;
mod ui_reading;
mod ui_register_rules;
mod ui_saving;
mod ui_settings_long_stay;
mod ui_snapshots;
mod ui_update;
mod ui_weekly;
mod wards;
mod weekly;
