//! Report commands: placeholder until the monthly report lands.
use crate::cli::ReportKind;
use crate::store::Store;
use chrono::NaiveDate;

pub fn run_report(
    _store: &Store,
    _what: ReportKind,
    _today: NaiveDate,
    _out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
