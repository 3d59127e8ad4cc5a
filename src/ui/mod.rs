//! The terminal app.
use crate::store::Store;
use chrono::NaiveDate;

pub fn run(_store: Store, _today: NaiveDate) -> anyhow::Result<()> {
    anyhow::bail!("the terminal app is not built yet")
}
