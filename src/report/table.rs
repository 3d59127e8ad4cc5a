//! One table abstraction for every report and export: a titled table of typed columns that renders
//! to a terminal table, CSV, JSON and XLSX the same way everywhere.
//!
//! Why: before this, each report wrote its own CSV and only some had XLSX. Now a report builds a
//! [`Table`] once (plain data, no I/O) and `commands::output::write` renders it in the format asked for, so every
//! report with a CSV also has an XLSX, every export can be suppressed ([`super::suppress`]), and
//! every file is deterministic (the same data gives the same bytes).
//!
//! Column kinds and how each format writes them:
//!
//! | kind | terminal | CSV / JSON | XLSX |
//! |---|---|---|---|
//! | [`Kind::Text`] | as is | as is (JSON: an empty text is `null`) | string |
//! | [`Kind::Count`] (suppressible) | whole number | whole number | number `#,##0` |
//! | [`Kind::Integer`] (not suppressed: days in a month, populations, ranks, a signed change) | whole number | whole number | number `#,##0` |
//! | [`Kind::Year`] (not suppressed) | whole number | whole number | number `0` (2018, never 2,018) |
//! | [`Kind::Rate`] | 2 dp | 6 dp in CSV (unrounded to 6 places), full in JSON | number `#,##0.00` |
//! | [`Kind::Date`] | `YYYY-MM-DD` | `YYYY-MM-DD` | Excel date `yyyy-mm-dd` |
//! | [`Kind::Month`] | `YYYY-MM` | `YYYY-MM` | Excel date of the 1st, shown `mmm yyyy` |
//! | [`Kind::DateTime`] (UTC) | `YYYY-MM-DDTHH:MM:SSZ` | `YYYY-MM-DDTHH:MM:SSZ` | Excel date-time (UTC) |
//! | [`Kind::Bool`] | `true`/`false` | `true`/`false`; JSON boolean | boolean |
//!
//! A suppressed cell ([`Value::Suppressed`]) is `*` in the terminal table, CSV and XLSX and `null`
//! in JSON (listed in the document's `suppressed`). [`Value::Empty`] is THE absent value: `-` in
//! the terminal table, blank in CSV and XLSX, `null` in JSON (a figure not yet known, a RAG with no
//! target, a month before the register's coverage). docs/output.md is the contract.
//!
//! XLSX: one sheet per table (the table's `sheet` name), the header row bold, shaded and frozen,
//! numbers as numbers, column widths fitted to the contents, and the workbook's creation date fixed
//! (to the `created` date given, e.g. `today`) so that two exports of the same data are
//! byte-identical. Notes (what a table contains, suppression) go in rows above the header.
//!
//! **Plugging in a report** (as monthly, spc, benchmark, pathways, drd, los, nctr, weekly,
//! reconcile and the audit and patients exports do): build a `Table` with [`Table::new`] +
//! [`Table::column`] (mark rates that are computed from a count with [`Table::derived_column`], or
//! from a count and its denominator with [`Table::derived_column_of`], so suppressing either
//! suppresses them), push rows of [`Value`]s, declare the additive groups a total is made of with
//! [`Table::add_sum`] (so secondary suppression knows which cells would reveal a suppressed one),
//! optionally narrow the terminal table with [`Table::shown`], and hand it to
//! `commands::output::emit` (or `emit_linked` when a total is in another table), which suppresses
//! and writes it (stdout or a file) in the user's `commands::output::Format`.

use crate::domain::YearMonth;
use crate::store::Coverage;
use chrono::{NaiveDate, NaiveDateTime};

/// The kind of a column: decides how each format writes its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A count of events (delayed days, patients): suppressed from 1 to N under `--suppress N`.
    Count,
    /// A whole number that is not a count (days in a month, a population, a rank): never
    /// suppressed.
    Integer,
    /// A calendar year (a population estimate's): a whole number shown without a thousands
    /// separator; never suppressed.
    Year,
    /// A rate or other real number, shown to 2 decimal places.
    Rate,
    Date,
    Month,
    /// A moment (the audit log's `at`).
    DateTime,
    /// A yes/no column (`complete`).
    Bool,
}

/// One column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header (and JSON key).
    pub name: String,
    pub kind: Kind,
    /// The count columns of the same row this column is computed from (a rate from delayed days;
    /// a share from its count and its denominator): suppressed wherever any of them is.
    pub derived_from: Vec<usize>,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Int(u64),
    Real(f64),
    Date(NaiveDate),
    Month(YearMonth),
    /// A moment in UTC (the audit log's `at`).
    DateTime(NaiveDateTime),
    /// A yes/no cell (`complete`): `true`/`false` in CSV, a JSON boolean, an XLSX boolean cell.
    Bool(bool),
    /// Hidden by `--suppress`: written `*` (JSON: `null`, listed in `suppressed`).
    Suppressed,
}

impl Value {
    pub fn text(s: impl Into<String>) -> Self {
        Value::Text(s.into())
    }

    /// `Some(x)` as a number, `None` as empty.
    pub fn opt_real(x: Option<f64>) -> Self {
        x.map_or(Value::Empty, Value::Real)
    }

    pub fn opt_int(x: Option<u64>) -> Self {
        x.map_or(Value::Empty, Value::Int)
    }
}

/// A titled table of typed columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Title: the first line of the terminal table and the XLSX sheet's caption.
    pub title: String,
    /// XLSX sheet name (at most 31 characters; Excel's limit).
    pub sheet: String,
    /// Lines saying what the table contains (terminal: after the title; XLSX: rows above the
    /// header). Not written to CSV or JSON, which stay machine-readable.
    pub notes: Vec<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
    /// Additive groups: each is a set of (row, column) cells of which one is the sum of the others
    /// (a total and its parts). Secondary suppression works on these.
    pub sums: Vec<Vec<(usize, usize)>>,
    /// The columns the terminal table shows, when it should be narrower than the CSV (every
    /// column when `None`).
    pub shown: Option<Vec<usize>>,
}

impl Table {
    pub fn new(title: impl Into<String>, sheet: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            sheet: sheet.into(),
            notes: Vec::new(),
            columns: Vec::new(),
            rows: Vec::new(),
            sums: Vec::new(),
            shown: None,
        }
    }

    /// Adds a column; returns its index.
    pub fn column(&mut self, name: &str, kind: Kind) -> usize {
        self.columns.push(Column {
            name: name.to_string(),
            kind,
            derived_from: Vec::new(),
        });
        self.columns.len() - 1
    }

    /// Adds a column computed from count column `from` (suppressed with it).
    pub fn derived_column(&mut self, name: &str, kind: Kind, from: usize) -> usize {
        let i = self.column(name, kind);
        self.columns[i].derived_from = vec![from];
        i
    }

    /// Adds a column computed from several count columns (a share from its count and its
    /// denominator): suppressed wherever any of them is.
    pub fn derived_column_of(&mut self, name: &str, kind: Kind, from: &[usize]) -> usize {
        let i = self.column(name, kind);
        self.columns[i].derived_from = from.to_vec();
        i
    }

    /// Declares that the cells of `group` are a total and its parts.
    pub fn add_sum(&mut self, group: Vec<(usize, usize)>) {
        if group.len() > 1 {
            self.sums.push(group);
        }
    }

    /// Adds the `complete` column (docs/measures.md): for each row, whether every day of its `month`
    /// (the first column of kind [`Kind::Month`]) is counted as of `today`; false for the month in
    /// progress. A table without a month column is left as it is.
    pub fn add_complete(&mut self, today: NaiveDate) {
        let Some(col) = self.columns.iter().position(|c| c.kind == Kind::Month) else {
            return;
        };
        self.column("complete", Kind::Bool);
        for row in &mut self.rows {
            let complete = match row.get(col) {
                Some(Value::Month(m)) => super::monthly::days_counted(*m, today) >= m.days(),
                _ => false,
            };
            row.push(Value::Bool(complete));
        }
    }

    /// Blanks the figures of every row whose period (its first column of kind [`Kind::Month`] or
    /// [`Kind::Date`]) `coverage` does not cover (issue 24): its leading text, month and date
    /// columns (the period and what the row is of) stay, every cell from the first figure on is
    /// empty (blank in CSV and XLSX, `null` in JSON), never 0, and `complete` is false. `note` (the
    /// range's [`Coverage::blank_note`], saying which periods are blank) goes into the notes.
    pub fn blank_before_coverage(&mut self, coverage: &Coverage, note: Option<String>) {
        self.notes.extend(note);
        let keep = self.first_figure();
        let Some(col) = self
            .columns
            .iter()
            .position(|c| matches!(c.kind, Kind::Month | Kind::Date))
        else {
            return;
        };
        for row in &mut self.rows {
            let covered = match row.get(col) {
                Some(Value::Month(m)) => coverage.covers(*m),
                Some(Value::Date(d)) => coverage.covers_day(*d),
                _ => true,
            };
            if !covered {
                blank_row(row, keep);
            }
        }
    }

    /// Blanks the figures of every row, as [`Self::blank_before_coverage`] blanks a period before
    /// coverage: for a table of one day (its date in the title) that coverage does not reach.
    pub fn blank_figures(&mut self, note: Option<String>) {
        self.notes.extend(note);
        let keep = self.first_figure();
        for row in &mut self.rows {
            blank_row(row, keep);
        }
    }

    /// The first column that is a figure (not the text, month or date saying what the row is of).
    fn first_figure(&self) -> usize {
        self.columns
            .iter()
            .position(|c| !matches!(c.kind, Kind::Text | Kind::Month | Kind::Date))
            .unwrap_or(self.columns.len())
    }

    /// The table with only the columns `keep` (in that order): for a terminal table narrower than
    /// the full CSV. Derived columns and sums follow their columns; sums that lose a cell are
    /// dropped (apply `--suppress` before selecting).
    pub fn select(&self, keep: &[usize]) -> Table {
        let new_index = |c: usize| keep.iter().position(|k| *k == c);
        let columns = keep
            .iter()
            .filter_map(|&c| self.columns.get(c))
            .map(|col| Column {
                derived_from: col
                    .derived_from
                    .iter()
                    .filter_map(|&c| new_index(c))
                    .collect(),
                ..col.clone()
            })
            .collect();
        let rows = self
            .rows
            .iter()
            .map(|r| keep.iter().filter_map(|&c| r.get(c).cloned()).collect())
            .collect();
        let sums = self
            .sums
            .iter()
            .filter_map(|g| {
                g.iter()
                    .map(|(r, c)| new_index(*c).map(|c| (*r, c)))
                    .collect::<Option<Vec<_>>>()
            })
            .collect();
        Table {
            columns,
            rows,
            sums,
            shown: None,
            ..self.clone()
        }
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The cell as text for the terminal table (`rate_dp` decimals for rates) or CSV.
    pub fn cell_text(&self, col: usize, v: &Value, terminal: bool) -> String {
        match v {
            Value::Empty => {
                if terminal {
                    "-".to_string()
                } else {
                    String::new()
                }
            }
            // An empty text is absent too: `-` like [`Value::Empty`] in the terminal.
            Value::Text(s) if s.is_empty() && terminal => "-".to_string(),
            Value::Text(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Real(x) => {
                let kind = self.columns.get(col).map_or(Kind::Rate, |c| c.kind);
                match (kind, terminal) {
                    (Kind::Count | Kind::Integer | Kind::Year, _) => fixed(*x, 0),
                    (_, true) => fixed(*x, 2),
                    (_, false) => fixed(*x, 6),
                }
            }
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Month(m) => m.key(),
            Value::DateTime(t) => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Suppressed => "*".to_string(),
        }
    }
}

/// `x` with `dp` decimals, a value that rounds to zero shown without a minus sign (`0.00`, not
/// `-0.00`: a backtest's tie or an SPC limit a hair below zero).
pub fn fixed(x: f64, dp: usize) -> String {
    let s = format!("{x:.dp$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// Empties the cells of `row` from `keep` on (blank in CSV and XLSX, `null` in JSON); a flag
/// becomes false.
fn blank_row(row: &mut [Value], keep: usize) {
    for v in row.iter_mut().skip(keep) {
        *v = match v {
            Value::Bool(_) => Value::Bool(false),
            _ => Value::Empty,
        };
    }
}

#[cfg(test)]
mod fixed_tests {
    use super::fixed;

    #[test]
    fn fixed_never_shows_a_negative_zero() {
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(-0.0, 6), "0.000000");
        assert_eq!(fixed(-0.4, 0), "0");
        assert_eq!(fixed(-0.005, 2), "-0.01");
        assert_eq!(fixed(-1.234, 2), "-1.23");
        assert_eq!(fixed(2.5, 1), "2.5");
        assert_eq!(fixed(f64::NAN, 2), "NaN");
    }
}
