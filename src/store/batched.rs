//! Inserting many rows of one table, [`ROWS_PER_INSERT`] per statement (the bulk path of
//! `import delays` and the one stay writer's batches).

use super::{DateText, Writer};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};

/// A value bound to an insert, borrowed from the caller's rows (dates written on the stack, no
/// allocation).
pub(super) enum Cell<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Date(DateText),
}

impl<'a> Cell<'a> {
    pub(super) fn text(t: Option<&'a str>) -> Self {
        t.map_or(Cell::Null, Cell::Text)
    }
    pub(super) fn date(d: Option<NaiveDate>) -> Self {
        d.map_or(Cell::Null, |d| Cell::Date(DateText::new(d)))
    }
    pub(super) fn int(i: Option<i64>) -> Self {
        i.map_or(Cell::Null, Cell::Int)
    }
}

impl ToSql for Cell<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Cell::Null => ValueRef::Null,
            Cell::Int(i) => ValueRef::Integer(*i),
            Cell::Text(t) => ValueRef::Text(t.as_bytes()),
            Cell::Date(d) => ValueRef::Text(d.as_str().as_bytes()),
        }))
    }
}

/// Rows per `INSERT … VALUES (…), (…), …` statement: one statement's cursors, checks and bindings
/// serve many rows.
pub(super) const ROWS_PER_INSERT: usize = 64;

/// `insert` (`INSERT INTO table (columns)`) with `rows` rows of `columns` values.
pub(super) fn values_sql(insert: &str, columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    format!("{insert} VALUES {}", vec![row.as_str(); rows].join(", "))
}

/// Inserts rows of `C` columns into one table, [`ROWS_PER_INSERT`] per statement.
pub(super) struct Batched<'c, 'a, const C: usize> {
    many: rusqlite::Statement<'c>,
    one: rusqlite::Statement<'c>,
    rows: Vec<[Cell<'a>; C]>,
}

impl<'c, 'a, const C: usize> Batched<'c, 'a, C> {
    /// `insert` is `INSERT INTO table (the C columns)`.
    pub(super) fn new(w: &'c Writer<'_>, insert: &str) -> Result<Self> {
        Ok(Self {
            many: w.tx.prepare(&values_sql(insert, C, ROWS_PER_INSERT))?,
            one: w.tx.prepare(&values_sql(insert, C, 1))?,
            rows: Vec::with_capacity(ROWS_PER_INSERT),
        })
    }

    pub(super) fn push(&mut self, row: [Cell<'a>; C]) -> Result<()> {
        self.rows.push(row);
        if self.rows.len() == ROWS_PER_INSERT {
            self.many
                .execute(rusqlite::params_from_iter(self.rows.iter().flatten()))?;
            self.rows.clear();
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<()> {
        for row in self.rows.drain(..) {
            self.one.execute(rusqlite::params_from_iter(row.iter()))?;
        }
        Ok(())
    }
}
