//! The population file: adults (18+) per authority and year, the denominator of the rates.

use super::{check_rows, finish, read_table, read_table_bytes, Checked, Table};
use crate::domain::LaCode;
use crate::error::Result;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationRecord {
    pub line: u64,
    pub la_code: LaCode,
    pub la_name: String,
    pub year: i32,
    pub population_18plus: u64,
}

pub const POPULATION_COLUMNS: &[&str] = &["la_code", "la_name", "year", "population_18plus"];

/// Reads a population file: `la_code,la_name,year,population_18plus`.
pub fn read_population(path: &Path) -> Result<Checked<PopulationRecord>> {
    check_population(read_table(path, POPULATION_COLUMNS, &[])?)
}

/// The same from bytes in memory.
pub fn read_population_bytes(file: &str, bytes: &[u8]) -> Result<Checked<PopulationRecord>> {
    check_population(read_table_bytes(file, bytes, POPULATION_COLUMNS, &[])?)
}

fn check_population(table: Table) -> Result<Checked<PopulationRecord>> {
    let mut seen: HashMap<(LaCode, i32), u64> = HashMap::new();
    let (records, errors) = check_rows(&table, |r| {
        let line = r.line;
        let la = r.la_code();
        let name = r.req("la_name", |v| Ok::<_, String>(v.to_string()));
        let year = r.req("year", |v| match v.parse::<i32>() {
            Ok(y) if (1990..=2100).contains(&y) => Ok(y),
            _ => Err("not a year from 1990 to 2100"),
        });
        let pop = r.req("population_18plus", |v| {
            let p = v
                .replace(',', "")
                .parse::<u64>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| "not a whole number above 0".to_string())?;
            match la
                .as_ref()
                .and_then(|la| crate::domain::population_rule(la, p))
            {
                Some(rule) => Err(rule),
                None => Ok(p),
            }
        });
        if let (Some(la), Some(y)) = (&la, year) {
            if let Some(prev) = seen.insert((la.clone(), y), line) {
                r.fail(
                    "year",
                    Some(&y.to_string()),
                    format!("{la} {y} is also on line {prev}"),
                );
            }
        }
        if let (Some(la_code), Some(la_name), Some(year), Some(population_18plus)) =
            (la, name, year, pop)
        {
            Some(PopulationRecord {
                line,
                la_code,
                la_name,
                year,
                population_18plus,
            })
        } else {
            None
        }
    });
    finish(&table.file, records, errors, Vec::new())
}
