//! The hospital's reported figures for a month (`dtoc import reported FILE`), in one of two layouts
//! told apart by the header: totals (`month,la_code,measure,delayed_days`) or a patient-level list
//! of delayed days (`month,local_id,date,reason,attribution`). Checked like every import: each error
//! names the file, line, column, value and rule; nothing is written here.

use super::{check_rows, code_rule, date_rule, finish, read_table_bytes, whole_file, Checked};
use crate::domain::{Attribution, LaCode, Measure, ReasonCode, YearMonth};
use crate::error::Result;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;

pub const TOTAL_COLUMNS: &[&str] = &["month", "la_code", "measure", "delayed_days"];
pub const DAY_COLUMNS: &[&str] = &["month", "local_id", "date", "reason", "attribution"];

/// One reported total: an authority's delayed days of one measure in a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedTotalRecord {
    pub line: u64,
    pub month: YearMonth,
    pub la_code: LaCode,
    pub measure: Measure,
    pub delayed_days: u64,
}

/// One reported delayed day of a patient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedDayRecord {
    pub line: u64,
    pub month: YearMonth,
    pub local_id: String,
    pub date: NaiveDate,
    pub reason: ReasonCode,
    pub attribution: Attribution,
}

/// A reported-figures file, checked, in whichever layout it had.
#[derive(Debug, Clone)]
pub enum Reported {
    Totals(Checked<ReportedTotalRecord>),
    Days(Checked<ReportedDayRecord>),
}

impl Reported {
    /// Refuses a month outside 1990-01 to 24 months after `today`'s (see [`super::months_as_of`]).
    pub fn months_as_of(&self, today: chrono::NaiveDate) -> Result<()> {
        match self {
            Reported::Totals(c) => super::months_as_of(c, today),
            Reported::Days(c) => super::months_as_of(c, today),
        }
    }

    /// The months the file holds (each replaces what was stored for it).
    pub fn months(&self) -> Vec<YearMonth> {
        let mut m: Vec<YearMonth> = match self {
            Reported::Totals(c) => c.records.iter().map(|r| r.month).collect(),
            Reported::Days(c) => c.records.iter().map(|r| r.month).collect(),
        };
        m.sort();
        m.dedup();
        m
    }
}

/// Reads a reported-figures file.
pub fn read_reported(path: &Path) -> Result<Reported> {
    let file = super::display_name(path);
    let bytes = super::read_input(path, super::DEFAULT_MAX_BYTES)?;
    read_reported_bytes(&file, &bytes)
}

/// The same from bytes in memory.
pub fn read_reported_bytes(file: &str, bytes: &[u8]) -> Result<Reported> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let header = text.split(|b| *b == b'\n').next().unwrap_or_default();
    let header = String::from_utf8_lossy(header).to_ascii_lowercase();
    let names: Vec<&str> = header.split(',').map(str::trim).collect();
    if names.contains(&"la_code") || names.contains(&"delayed_days") {
        let table = read_table_bytes(file, bytes, TOTAL_COLUMNS, &[])?;
        check_totals(table).map(Reported::Totals)
    } else if names.contains(&"local_id") {
        let table = read_table_bytes(file, bytes, DAY_COLUMNS, &[])?;
        check_days(table).map(Reported::Days)
    } else {
        Err(whole_file(
            file,
            format!(
                "not a reported-figures file: expected the header `{}` (totals) or `{}` (patient-level)",
                TOTAL_COLUMNS.join(","),
                DAY_COLUMNS.join(",")
            ),
        ))
    }
}

fn month_rule(v: &str) -> Result<YearMonth, String> {
    super::month_rule(v)
}

fn check_totals(table: super::Table) -> Result<Checked<ReportedTotalRecord>> {
    let mut seen: HashMap<(YearMonth, LaCode, Measure), u64> = HashMap::new();
    let (records, errors) = check_rows(&table, |r| {
        let line = r.line;
        let month = r.req("month", month_rule);
        let la = r.req("la_code", |v| {
            LaCode::parse(v).map_err(|_| {
                "not an ONS authority code (E, W, S or N and 8 digits, e.g. E10000018)"
            })
        });
        let measure = r.req("measure", |v| code_rule(Measure::parse(v)));
        let days = r.req("delayed_days", |v| {
            v.replace(',', "")
                .parse::<u64>()
                .map_err(|_| "not a whole number of 0 or more")
        });
        if let (Some(m), Some(la), Some(me)) = (month, &la, measure) {
            if let Some(prev) = seen.insert((m, la.clone(), me), line) {
                r.fail(
                    "measure",
                    Some(me.key()),
                    format!("{la} {m} {} is also on line {prev}", me.key()),
                );
            }
        }
        if let (Some(month), Some(la_code), Some(measure), Some(delayed_days)) =
            (month, la, measure, days)
        {
            Some(ReportedTotalRecord {
                line,
                month,
                la_code,
                measure,
                delayed_days,
            })
        } else {
            None
        }
    });
    finish(&table.file, records, errors, Vec::new())
}

fn check_days(table: super::Table) -> Result<Checked<ReportedDayRecord>> {
    let mut seen: HashMap<(String, NaiveDate), u64> = HashMap::new();
    let (records, errors) = check_rows(&table, |r| {
        let line = r.line;
        let month = r.req("month", month_rule);
        let local_id = r.local_id();
        let date = r.req("date", date_rule);
        let reason = r.req("reason", |v| code_rule(ReasonCode::parse(v)));
        let attribution = r.req("attribution", |v| code_rule(Attribution::parse(v)));
        if let (Some(m), Some(d)) = (month, date) {
            if YearMonth::of(d) != m {
                r.fail(
                    "date",
                    Some(&d.to_string()),
                    format!("is not in the month {m} of this row"),
                );
            }
        }
        if let (Some(id), Some(d)) = (&local_id, date) {
            if let Some(prev) = seen.insert((id.clone(), d), line) {
                r.fail(
                    "date",
                    Some(&d.to_string()),
                    format!("{id} on {d} is also on line {prev} (one row per patient and day)"),
                );
            }
        }
        if let (Some(month), Some(local_id), Some(date), Some(reason), Some(attribution)) =
            (month, local_id, date, reason, attribution)
        {
            Some(ReportedDayRecord {
                line,
                month,
                local_id,
                date,
                reason,
                attribution,
            })
        } else {
            None
        }
    });
    finish(&table.file, records, errors, Vec::new())
}

impl super::OfMonth for ReportedTotalRecord {
    fn line_month(&self) -> (u64, YearMonth) {
        (self.line, self.month)
    }
}

impl super::OfMonth for ReportedDayRecord {
    fn line_month(&self) -> (u64, YearMonth) {
        (self.line, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_told_by_the_header() {
        let t = read_reported_bytes(
            "r.csv",
            b"month,la_code,measure,delayed_days\n2018-05,E10000018,total,125\n",
        )
        .unwrap();
        assert!(matches!(&t, Reported::Totals(c) if c.records[0].delayed_days == 125));
        let d = read_reported_bytes(
            "r.csv",
            b"month,local_id,date,reason,attribution\n2018-05,P1,2018-05-03,E,Social Care\n",
        )
        .unwrap();
        assert!(matches!(&d, Reported::Days(c) if c.records[0].reason == ReasonCode::E));
    }

    #[test]
    fn errors_name_file_line_column_value_and_rule() {
        let e = read_reported_bytes(
            "may.csv",
            b"month,local_id,date,reason,attribution\n2018-05,P1,2018-06-01,E,NHS\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "may.csv line 2, date 2018-06-01: is not in the month 2018-05 of this row"
        );
        let e = read_reported_bytes(
            "t.csv",
            b"month,la_code,measure,delayed_days\n2018-05,E10000018,total,-3\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv line 2, delayed_days -3: not a whole number of 0 or more"
        );
        let e = read_reported_bytes("x.csv", b"a,b\n1,2\n").unwrap_err();
        assert!(e
            .to_string()
            .starts_with("x.csv: not a reported-figures file"));
    }
}
