//! One table abstraction for every report and export: a titled table of typed columns that renders
//! to a terminal table, CSV, JSON and XLSX the same way everywhere.
//!
//! Why: before this, each report wrote its own CSV and only some had XLSX. Now a report builds a
//! [`Table`] once (plain data, no I/O) and [`write`] renders it in the format asked for, so every
//! report with a CSV also has an XLSX, every export can be suppressed ([`super::suppress`]), and
//! every file is deterministic (the same data gives the same bytes).
//!
//! Column kinds and how each format writes them:
//!
//! | kind | terminal | CSV / JSON | XLSX |
//! |---|---|---|---|
//! | [`Kind::Text`] | as is | as is | string |
//! | [`Kind::Count`] (suppressible) and [`Kind::Integer`] (not: years, days in a month, ranks) | whole number | whole number | number `#,##0` |
//! | [`Kind::Rate`] | 2 dp | 6 dp in CSV (unrounded to 6 places), full in JSON | number `#,##0.00` |
//! | [`Kind::Date`] | `YYYY-MM-DD` | `YYYY-MM-DD` | Excel date `yyyy-mm-dd` |
//! | [`Kind::Month`] | `YYYY-MM` | `YYYY-MM` | Excel date of the 1st, shown `mmm yyyy` |
//!
//! A suppressed cell ([`Value::Suppressed`]) is `*` in every format; an empty one is blank in the
//! terminal table and CSV, `null` in JSON, and left blank in XLSX.
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
//! `report::cli::emit` (or `emit_linked` when a total is in another table), which suppresses and
//! calls [`write`] (stdout or a file) with the user's [`OutputFormat`].

use crate::domain::YearMonth;
use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use std::io::Write;
use std::path::Path;

/// The kind of a column: decides how each format writes its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A count of events (delayed days, patients): suppressed from 1 to N under `--suppress N`.
    Count,
    /// A whole number that is not a count (a year, days in a month, a rank): never suppressed.
    Integer,
    /// A rate or other real number, shown to 2 decimal places.
    Rate,
    Date,
    Month,
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
    /// Hidden by `--suppress`: written `*`.
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
    fn cell_text(&self, col: usize, v: &Value, terminal: bool) -> String {
        match v {
            Value::Empty => {
                if terminal {
                    "-".to_string()
                } else {
                    String::new()
                }
            }
            Value::Text(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Real(x) => {
                let kind = self.columns.get(col).map_or(Kind::Rate, |c| c.kind);
                match (kind, terminal) {
                    (Kind::Count | Kind::Integer, _) => format!("{x:.0}"),
                    (_, true) => format!("{x:.2}"),
                    (_, false) => format!("{x:.6}"),
                }
            }
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Month(m) => m.key(),
            Value::Suppressed => "*".to_string(),
        }
    }
}

/// Output formats of reports and exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
    Xlsx,
}

/// Writes `tables` in `format`: to `out` (stdout), or to the file `path` when given (XLSX needs a
/// file). Several tables: one after another (terminal), one CSV section each separated by a blank
/// line, a JSON object keyed by sheet name, or one XLSX sheet each.
pub fn write(
    tables: &[Table],
    format: OutputFormat,
    path: Option<&Path>,
    created: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    if format == OutputFormat::Xlsx {
        let Some(path) = path else {
            bail!("--format xlsx needs --out FILE.xlsx")
        };
        return write_xlsx(tables, path, created);
    }
    let mut buf: Vec<u8> = Vec::new();
    match format {
        OutputFormat::Table => {
            for (i, t) in tables.iter().enumerate() {
                if i > 0 {
                    writeln!(buf)?;
                }
                match &t.shown {
                    Some(keep) => write_text(&t.select(keep), &mut buf)?,
                    None => write_text(t, &mut buf)?,
                }
            }
        }
        OutputFormat::Csv => {
            for (i, t) in tables.iter().enumerate() {
                if i > 0 {
                    writeln!(buf)?;
                }
                write_csv(t, &mut buf)?;
            }
        }
        OutputFormat::Json => {
            let v = if let [t] = tables {
                to_json(t)
            } else {
                serde_json::Value::Object(
                    tables
                        .iter()
                        .map(|t| (t.sheet.clone(), to_json(t)))
                        .collect(),
                )
            };
            serde_json::to_writer_pretty(&mut buf, &v)?;
            writeln!(buf)?;
        }
        OutputFormat::Xlsx => unreachable!("handled above"),
    }
    match path {
        Some(p) => std::fs::write(p, &buf).with_context(|| format!("writing {}", p.display()))?,
        None => out.write_all(&buf)?,
    }
    Ok(())
}

/// A plain text table: the title, notes, then columns padded to their widest cell (numbers right).
pub fn write_text(t: &Table, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "{}", t.title)?;
    for n in &t.notes {
        writeln!(out, "{n}")?;
    }
    let cells: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(c, v)| t.cell_text(c, v, true))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = t
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            cells
                .iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .chain([col.name.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |vals: Vec<&str>| -> String {
        let parts: Vec<String> = vals
            .iter()
            .enumerate()
            .map(|(c, s)| {
                let w = widths.get(c).copied().unwrap_or(0);
                match t.columns.get(c).map(|x| x.kind) {
                    Some(Kind::Text | Kind::Date | Kind::Month) | None => format!("{s:<w$}"),
                    _ => format!("{s:>w$}"),
                }
            })
            .collect();
        parts.join("  ").trim_end().to_string()
    };
    writeln!(
        out,
        "{}",
        line(t.columns.iter().map(|c| c.name.as_str()).collect())
    )?;
    for r in &cells {
        writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

/// CSV: a header row of column names, then the rows (rates to 6 decimals, `*` where suppressed).
pub fn write_csv(t: &Table, out: &mut dyn Write) -> Result<()> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    w.write_record(t.columns.iter().map(|c| c.name.as_str()))?;
    for r in &t.rows {
        w.write_record(r.iter().enumerate().map(|(c, v)| t.cell_text(c, v, false)))?;
    }
    w.flush()?;
    Ok(())
}

/// JSON: an array of objects keyed by column name.
pub fn to_json(t: &Table) -> serde_json::Value {
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let obj: serde_json::Map<String, serde_json::Value> = t
                .columns
                .iter()
                .zip(r)
                .map(|(c, v)| {
                    let j = match v {
                        Value::Empty => serde_json::Value::Null,
                        Value::Text(s) => serde_json::Value::from(s.as_str()),
                        Value::Int(n) => serde_json::Value::from(*n),
                        Value::Real(x) => serde_json::Value::from(*x),
                        Value::Date(d) => serde_json::Value::from(d.format("%Y-%m-%d").to_string()),
                        Value::Month(m) => serde_json::Value::from(m.key()),
                        Value::Suppressed => serde_json::Value::from("*"),
                    };
                    (c.name.clone(), j)
                })
                .collect();
            serde_json::Value::Object(obj)
        })
        .collect();
    serde_json::Value::Array(rows)
}

/// A workbook whose document properties carry a fixed creation date (`created`, at midnight), so
/// that the same data always gives the same bytes (rust_xlsxwriter otherwise stamps the clock).
pub fn deterministic_workbook(created: NaiveDate) -> Result<rust_xlsxwriter::Workbook> {
    use rust_xlsxwriter::{DocProperties, Workbook};
    let dt = excel_date(created)?;
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&dt)
            .set_author("dtoc"),
    );
    Ok(wb)
}

fn excel_date(d: NaiveDate) -> Result<rust_xlsxwriter::ExcelDateTime> {
    let year = u16::try_from(d.year()).context("a year before 0")?;
    Ok(rust_xlsxwriter::ExcelDateTime::from_ymd(
        year,
        d.month() as u8,
        d.day() as u8,
    )?)
}

/// Writes `tables` as one workbook at `path`, one sheet per table.
pub fn write_xlsx(tables: &[Table], path: &Path, created: NaiveDate) -> Result<()> {
    let mut wb = deterministic_workbook(created)?;
    for t in tables {
        add_sheet(&mut wb, t)?;
    }
    wb.save(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Adds `t` as a sheet of `wb`: title and notes on top, then the header row (bold, shaded, frozen
/// with everything above it) and the rows.
pub fn add_sheet(wb: &mut rust_xlsxwriter::Workbook, t: &Table) -> Result<()> {
    use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDCE6F1))
        .set_border_bottom(FormatBorder::Thin);
    let title = Format::new().set_bold().set_font_size(12);
    let count = Format::new().set_num_format("#,##0");
    let rate = Format::new().set_num_format("#,##0.00");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let month = Format::new().set_num_format("mmm yyyy");
    let star = Format::new().set_align(FormatAlign::Right);
    let ws = wb.add_worksheet();
    let name: String = t.sheet.chars().take(31).collect();
    ws.set_name(&name)?;
    ws.write_string_with_format(0, 0, &t.title, &title)?;
    for (i, n) in t.notes.iter().enumerate() {
        ws.write_string(u32::try_from(i + 1)?, 0, n)?;
    }
    let head = u32::try_from(t.notes.len() + 1)?;
    let mut widths: Vec<usize> = t.columns.iter().map(|c| c.name.chars().count()).collect();
    for (c, col) in t.columns.iter().enumerate() {
        ws.write_string_with_format(head, u16::try_from(c)?, &col.name, &header)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let rn = head + 1 + u32::try_from(r)?;
        for (c, v) in row.iter().enumerate() {
            let cn = u16::try_from(c)?;
            let kind = t.columns.get(c).map_or(Kind::Text, |x| x.kind);
            let shown = match v {
                Value::Empty => 0,
                Value::Text(s) => {
                    ws.write_string(rn, cn, s)?;
                    s.chars().count()
                }
                Value::Int(n) => {
                    ws.write_number_with_format(rn, cn, *n as f64, &count)?;
                    let digits = n.to_string().len();
                    digits + (digits.saturating_sub(1)) / 3
                }
                Value::Real(x) => {
                    let f = if matches!(kind, Kind::Count | Kind::Integer) {
                        &count
                    } else {
                        &rate
                    };
                    ws.write_number_with_format(rn, cn, *x, f)?;
                    let digits = format!("{:.0}", x.abs().trunc()).len();
                    digits + (digits.saturating_sub(1)) / 3 + 3
                }
                Value::Date(d) => {
                    ws.write_date_with_format(rn, cn, &excel_date(*d)?, &date)?;
                    10
                }
                Value::Month(m) => {
                    ws.write_date_with_format(rn, cn, &excel_date(m.first_day())?, &month)?;
                    8
                }
                Value::Suppressed => {
                    ws.write_string_with_format(rn, cn, "*", &star)?;
                    1
                }
            };
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(shown);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(u16::try_from(c)?, (*w).clamp(3, 60) as f64 + 2.0)?;
    }
    ws.set_freeze_panes(head + 1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new("Sample", "sample");
        let m = t.column("month", Kind::Month);
        let d = t.column("days", Kind::Count);
        t.derived_column("rate", Kind::Rate, d);
        let _ = m;
        t.rows.push(vec![
            Value::Month(YearMonth::new(2018, 7).unwrap()),
            Value::Int(978),
            Value::Real(5.803_3),
        ]);
        t.rows.push(vec![
            Value::text("2018-08"),
            Value::Suppressed,
            Value::Empty,
        ]);
        t
    }

    #[test]
    fn csv_writes_rates_to_six_places_and_stars() {
        let mut out = Vec::new();
        write_csv(&sample(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "month,days,rate\n2018-07,978,5.803300\n2018-08,*,\n"
        );
    }

    #[test]
    fn text_pads_columns_and_rounds_rates_to_two_places() {
        let mut out = Vec::new();
        write_text(&sample(), &mut out).unwrap();
        // widths: month 7, days 4 ("days"), rate 4 ("rate", "5.80").
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Sample\nmonth    days  rate\n2018-07   978  5.80\n2018-08     *     -\n"
        );
    }

    #[test]
    fn json_keys_by_column() {
        let j = to_json(&sample());
        assert_eq!(j[0]["month"], "2018-07");
        assert_eq!(j[0]["days"], 978);
        assert_eq!(j[1]["days"], "*");
        assert!(j[1]["rate"].is_null());
    }
}
