//! The domain's codes as SQLite values: an authority code and a month are stored as their text
//! (`E10000018`, `2018-07`) and read back through their own parsers, so a row type holds a
//! [`LaCode`] or a [`YearMonth`], never a string to parse again.

use crate::domain::{LaCode, YearMonth};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

impl ToSql for LaCode {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(
            self.as_str().as_bytes(),
        )))
    }
}

impl FromSql for LaCode {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        LaCode::parse(v.as_str()?).map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

impl ToSql for YearMonth {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for YearMonth {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        YearMonth::parse(v.as_str()?).map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}
