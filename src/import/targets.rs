//! The targets file: a target per authority, month and measure.

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

/// Reads a targets file: `la_code,month,measure,unit,value`.
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
        let month = r.req("month", super::month_rule);
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
        if let (Some(la), Some(m), Some(me)) = (&la, month, measure) {
            if let Some(prev) = seen.insert((la.clone(), m, me), line) {
                r.fail(
                    "measure",
                    Some(me.key()),
                    format!("a {} target for {la} {m} is also on line {prev}", me.key()),
                );
            }
        }
        if let (Some(la_code), Some(month), Some(measure), Some(unit), Some(value)) =
            (la, month, measure, unit, value)
        {
            Some(TargetRecord {
                line,
                la_code,
                month,
                measure,
                unit,
                value,
            })
        } else {
            None
        }
    });
    finish(&table.file, records, errors, Vec::new())
}

impl super::OfMonth for TargetRecord {
    fn line_month(&self) -> (u64, YearMonth) {
        (self.line, self.month)
    }
}
