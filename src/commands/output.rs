//! The one output writer: tables to the terminal or to a file as table, CSV, JSON or XLSX, for
//! the CLI and the app alike.

use crate::report::table::Table;
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;

pub use crate::report::table::OutputFormat as Format;

/// Writes `tables` in `format` to `out`, or to the file `path` when given (XLSX needs a file).
pub fn write(
    tables: &[Table],
    format: Format,
    path: Option<&Path>,
    created: NaiveDate,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    crate::report::table::write(tables, format, path, created, out)
}
