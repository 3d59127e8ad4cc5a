//! The targets file: a target per authority, month and measure. A row whose `month` is a financial
//! year (`2018/19`) sets the same value for each of its twelve months, April to March (issue 26: a
//! year's targets in one file, one row for the year or twelve rows for twelve values).

use super::{check_rows, code_rule, finish, read_table, read_table_bytes, Checked, Table};
use crate::domain::{LaCode, Measure, TargetUnit, YearMonth};
use crate::error::Result;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct TargetRecord {
    pub line: u64,
    pub la_code: LaCode,
    pub month: YearMonth,
    pub measure: Measure,
    pub unit: TargetUnit,
    pub value: f64,
}

pub const TARGET_COLUMNS: &[&str] = &["la_code", "month", "measure", "unit", "value"];

/// A month (`2018-07`), or a financial year (`2018/19`: April 2018 to March 2019) as its twelve
/// months.
fn months_rule(v: &str) -> std::result::Result<Vec<YearMonth>, String> {
    if let Some((y, yy)) = v.split_once('/') {
        let year: i32 = y
            .parse()
            .ok()
            .filter(|_| y.len() == 4)
            .ok_or_else(|| FY_RULE.to_string())?;
        let next = (year + 1) % 100;
        if yy.len() != 2 || yy.parse::<i32>().ok() != Some(next) {
            return Err(format!(
                "{FY_RULE}: {v} does not run from one year to the next ({year}/{next:02})"
            ));
        }
        let april = super::month_rule(&format!("{year}-04")).map_err(|e| format!("{v}: {e}"))?;
        return Ok((0..12).map(|i| april.add_months(i)).collect());
    }
    super::month_rule(v).map(|m| vec![m])
}

const FY_RULE: &str = "not a financial year in the form YYYY/YY (e.g. 2018/19)";

/// Reads a targets file: `la_code,month,measure,unit,value` (`month` a month or a financial year).
pub fn read_targets(path: &Path) -> Result<Checked<TargetRecord>> {
    check_targets(read_table(path, TARGET_COLUMNS, &[])?)
}

/// The same from bytes in memory.
pub fn read_targets_bytes(file: &str, bytes: &[u8]) -> Result<Checked<TargetRecord>> {
    check_targets(read_table_bytes(file, bytes, TARGET_COLUMNS, &[])?)
}

fn check_targets(table: Table) -> Result<Checked<TargetRecord>> {
    let mut seen: HashMap<(LaCode, YearMonth, Measure), u64> = HashMap::new();
    let (records, errors) = check_rows(&table, |r| {
        let line = r.line;
        let la = r.la_code();
        let months = r.req("month", months_rule);
        let measure = r.req("measure", |v| code_rule(Measure::parse(v)));
        let unit = r.req("unit", |v| code_rule(TargetUnit::parse(v)));
        let value = r.req("value", |v| match v.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
            _ => Err("not a number of 0 or more".to_string()),
        });
        // The unit's bound (Target::new's rule), on the value's own line and column.
        let value = match (unit, value) {
            (Some(u), Some(x)) if x > crate::domain::max_target(u) => {
                let rule = format!(
                    "a target over {} {} is not plausible",
                    crate::domain::max_target(u),
                    u.key()
                );
                r.fail("value", Some(r.raw("value")), rule);
                None
            }
            (_, v) => v,
        };
        if let (Some(la), Some(ms), Some(me)) = (&la, &months, measure) {
            // A month given twice (on two rows, or by a year and a month) is refused once, at
            // its first repeat.
            if let Some((m, prev)) = ms
                .iter()
                .find_map(|m| seen.insert((la.clone(), *m, me), line).map(|p| (m, p)))
            {
                r.fail(
                    "measure",
                    Some(me.key()),
                    format!("a {} target for {la} {m} is also on line {prev}", me.key()),
                );
            }
        }
        if let (Some(la_code), Some(months), Some(measure), Some(unit), Some(value)) =
            (la, months, measure, unit, value)
        {
            Some(
                months
                    .into_iter()
                    .map(|month| TargetRecord {
                        line,
                        la_code: la_code.clone(),
                        month,
                        measure,
                        unit,
                        value,
                    })
                    .collect::<Vec<_>>(),
            )
        } else {
            None
        }
    });
    let records = records.into_iter().flatten().collect();
    finish(&table.file, records, errors, Vec::new())
}

impl super::OfMonth for TargetRecord {
    fn line_month(&self) -> (u64, YearMonth) {
        (self.line, self.month)
    }
}
