//! Progress of long work (imports, the national demo, `check`, `backup`, `restore`), told to
//! whoever shows it. The lower layers (`import`, `store`, `national`) report through this trait and
//! never draw anything: `commands::progress` draws a bar on stderr when it is a terminal, and
//! [`Silent`] (tests, the app, a pipe) shows nothing.
//!
//! `Sync`: one reporter is shared by the thread that reads and checks a file and the one that
//! writes it.

/// What a phase counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Rows,
    Bytes,
    /// Database pages (backup and restore).
    Pages,
    /// Months, authorities or other steps of a computation.
    Steps,
}

impl Unit {
    pub fn label(self) -> &'static str {
        match self {
            Unit::Rows => "rows",
            Unit::Bytes => "bytes",
            Unit::Pages => "pages",
            Unit::Steps => "steps",
        }
    }
}

/// A receiver of progress. Phases follow one another (`reading`, `validating`, `writing`,
/// `indexing`, …); `advance` counts units of the current phase.
pub trait Progress: Sync {
    /// A new phase begins: its name and how many units it will count (`None`: not known).
    fn phase(&self, name: &'static str, total: Option<u64>, unit: Unit);
    /// `n` more units of the current phase are done.
    fn advance(&self, n: u64);
    /// The work is over (whether it succeeded or not): remove what is shown.
    fn finish(&self);
}

/// Shows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn phase(&self, _: &'static str, _: Option<u64>, _: Unit) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// Records every call (tests: that long work reports its phases and counts).
#[derive(Debug, Default)]
pub struct Recorder {
    events: std::sync::Mutex<Vec<(String, Option<u64>, u64)>>,
}

impl Recorder {
    /// The phases reported, in order: (name, total, units advanced in it).
    pub fn phases(&self) -> Vec<(String, Option<u64>, u64)> {
        self.events.lock().map(|e| e.clone()).unwrap_or_default()
    }
}

impl Progress for Recorder {
    fn phase(&self, name: &'static str, total: Option<u64>, _: Unit) {
        if let Ok(mut e) = self.events.lock() {
            e.push((name.to_string(), total, 0));
        }
    }
    fn advance(&self, n: u64) {
        if let Ok(mut e) = self.events.lock() {
            if let Some(last) = e.last_mut() {
                last.2 += n;
            }
        }
    }
    fn finish(&self) {}
}
