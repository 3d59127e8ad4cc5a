//! A hub's own tracker (an Excel workbook or a CSV file, columns named its own way) read as a
//! delays file: the sheet's header row is found below any title rows, its columns are mapped to
//! the delays file's ([`mapping`]), dates and reason texts are read as a tracker writes them, and
//! the rows are then checked by the delays file's own reader ([`super::read_delays_bytes`]), so
//! a tracker passes exactly the rules of `import delays` and is stored by the same call. Every
//! problem names the file, the sheet, the row and the tracker's own header.

pub mod mapping;

use super::{read_delays_bytes, Checked, DelayRecord, LineIndex, MAX_ERRORS};
use crate::domain::text::{echo, nhs_number_in, nhs_rule};
use crate::domain::{LaCode, NhsNumber, ReasonCode, Setting};
use crate::error::{Error, InputError, Result};
use chrono::NaiveDate;
use mapping::{column_of, delay_columns, Mapping, DATE_COLUMNS, NEEDS_VALUE};
use std::collections::{BTreeMap, HashMap};

/// A cell as read from the sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    /// The cell as text: a whole number without decimals, a date as `YYYY-MM-DD`.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Cell::Number(f) => f.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// One sheet of a workbook (a CSV file is one sheet with no name).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: Option<String>,
    /// The rows with their numbers as the spreadsheet shows them (from 1).
    pub rows: Vec<(u32, Vec<Cell>)>,
}

/// The sheets of a workbook (`.xlsx`, `.xlsm`, `.xls`, `.ods`: told by their first bytes) or the
/// one sheet of a CSV file. `file` names it in errors.
pub fn read_sheets(file: &str, bytes: &[u8]) -> Result<Vec<Sheet>> {
    let workbook = bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0");
    if workbook {
        read_workbook(file, bytes)
    } else {
        Ok(vec![read_csv(file, bytes)?])
    }
}

fn read_workbook(file: &str, bytes: &[u8]) -> Result<Vec<Sheet>> {
    use calamine::{Data, Reader};
    let unreadable = |e: calamine::Error| {
        Error::input(
            file,
            0,
            None,
            None,
            format!("cannot be read as a spreadsheet ({e})"),
        )
    };
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(unreadable)?;
        let first = range.start().map_or(0, |(r, _)| r);
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, row)| {
                let cells = row
                    .iter()
                    .map(|c| match c {
                        Data::Empty => Cell::Empty,
                        Data::String(s) => Cell::Text(s.clone()),
                        Data::Int(i) => Cell::Number(*i as f64),
                        Data::Float(f) => Cell::Number(*f),
                        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.into()),
                        Data::DateTime(d) => match d.as_datetime() {
                            Some(t) if d.is_datetime() => Cell::Date(t.date()),
                            _ => Cell::Number(d.as_f64()),
                        },
                        Data::DateTimeIso(s) => s
                            .get(..10)
                            .and_then(|d| crate::domain::parse_iso_date(d).ok())
                            .map_or_else(|| Cell::Text(s.clone()), Cell::Date),
                        Data::DurationIso(s) => Cell::Text(s.clone()),
                        Data::Error(e) => Cell::Text(format!("{e}")),
                    })
                    .collect();
                (first + i as u32 + 1, cells)
            })
            .collect();
        sheets.push(Sheet {
            name: Some(name),
            rows,
        });
    }
    Ok(sheets)
}

fn read_csv(file: &str, bytes: &[u8]) -> Result<Sheet> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
            + 1;
        return Err(Error::input(
            file,
            line,
            None,
            None,
            "not valid UTF-8 text (save the file as UTF-8 CSV, or give the .xlsx workbook)",
        ));
    }
    let first = bytes
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .unwrap_or_default();
    let delimiter = if first.contains(&b';') && !first.contains(&b',') {
        b';'
    } else {
        b','
    };
    let lines = LineIndex::new(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            Error::input(
                file,
                lines.line(e.position()),
                None,
                None,
                "cannot be read as CSV",
            )
        })?;
        let row = u32::try_from(lines.line(rec.position())).unwrap_or(u32::MAX);
        let cells = rec
            .iter()
            .map(|c| {
                if c.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(c.to_string())
                }
            })
            .collect();
        rows.push((row, cells));
    }
    Ok(Sheet { name: None, rows })
}

/// How many rows from the top are searched for the header.
const HEADER_SEARCH: usize = 50;

/// The index (in `sheet.rows`) of the header row: the first of the top rows in which at least
/// two cells name different known columns (title rows above it name none).
pub fn find_header(sheet: &Sheet) -> Option<usize> {
    sheet
        .rows
        .iter()
        .take(HEADER_SEARCH)
        .position(|(_, cells)| {
            let mut found: Vec<&str> = cells.iter().filter_map(|c| column_of(&c.text())).collect();
            found.sort_unstable();
            found.dedup();
            found.len() >= 2
        })
}

/// A date as a tracker writes it: a date cell, an Excel serial number (`43284` is 2018-07-03),
/// `dd/mm/yy` (two-digit years are 20yy), `dd/mm/yyyy` (or `-`, `.` between), `YYYY-MM-DD`; a
/// time after the date is ignored.
pub fn parse_date(cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::Empty => None,
        Cell::Date(d) => Some(*d),
        Cell::Number(f) => excel_serial(*f),
        Cell::Text(s) => parse_text_date(s),
    }
}

/// The day of an Excel serial date (1900 date system, as Excel counts: day 1 is 1900-01-01, and
/// day 60 is the 29 February 1900 that never was); the time of day is ignored.
pub fn excel_serial(f: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&f) {
        return None;
    }
    let days = f.floor() as u64;
    let base = match days {
        60 => return None,
        d if d > 60 => NaiveDate::from_ymd_opt(1899, 12, 30)?,
        _ => NaiveDate::from_ymd_opt(1899, 12, 31)?,
    };
    base.checked_add_days(chrono::Days::new(days))
}

/// A date typed as text (see [`parse_date`]).
pub fn parse_text_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    // A time after the date: `03/07/2018 00:00`, `2018-07-03T00:00:00`.
    let t = t.split([' ', 'T']).next().unwrap_or(t);
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return if t.len() == 5 {
            excel_serial(t.parse().ok()?)
        } else {
            None
        };
    }
    // Day first with `-` between (`03-07-2018`) reads as with `/`; `YYYY-MM-DD` stays ISO.
    let day_first = t.split('-').next().is_some_and(|p| p.len() <= 2);
    let t = if day_first {
        t.replace('-', "/")
    } else {
        t.to_string()
    };
    // Any day serves as today: relative forms (`t-1`) never reach here (digits first).
    let any = NaiveDate::from_ymd_opt(2000, 1, 1)?;
    crate::domain::parse_input_date(&t, any).ok()
}

/// What to read: the sheet, the header row, the mapping, values set for every row, the
/// register's authorities by name (lower case) for an authority column holding names, and its
/// sites by code (lower case) with their provider and type of care, which a tracker with a site
/// but no provider or type of care takes from the register.
#[derive(Debug, Clone, Default)]
pub struct TrackerOptions {
    pub sheet: Option<String>,
    pub header_row: Option<u32>,
    pub mapping: Option<Mapping>,
    /// `column=value` for every row (`--set`), over the mapping's.
    pub fixed: Vec<(String, String)>,
    pub authorities: HashMap<String, LaCode>,
    pub sites: HashMap<String, KnownSite>,
}

/// A site of the register, as a tracker may name it (by its code or its name, any case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownSite {
    pub code: String,
    pub provider: String,
    pub setting: Setting,
}

/// A tracker read: how it was read, its rows as dtoc reads them, and either its checked records
/// or every row refused.
#[derive(Debug, Clone)]
pub struct TrackerRead {
    /// `tracker.xlsx, sheet Delays` (or the file alone for CSV).
    pub place: String,
    pub header_row: u32,
    /// The mapping used, with the sheet and header row when they were given (found ones are found
    /// again next time): what `--save-mapping` writes and the database keeps.
    pub mapping: Mapping,
    /// Headers of the sheet no column reads.
    pub unused: Vec<String>,
    /// Columns needing a value that no header or fixed value gives (nothing is checked then).
    pub missing: Vec<&'static str>,
    /// Each data row as dtoc reads it: its row number and (column, value), NHS numbers masked.
    pub rows: Vec<(u32, Vec<(String, String)>)>,
    /// Every row refused (at most [`MAX_ERRORS`]), by row.
    pub refusals: Vec<InputError>,
    pub warnings: Vec<String>,
    /// The records to store, when no row is refused and no column is missing.
    pub checked: Option<Checked<DelayRecord>>,
}

/// Reads a tracker (`file` names it; `bytes` its content) as of `today`.
pub fn read_tracker(
    file: &str,
    bytes: &[u8],
    opts: &TrackerOptions,
    today: NaiveDate,
) -> Result<TrackerRead> {
    let sheets = read_sheets(file, bytes)?;
    let given = opts.mapping.clone().unwrap_or_default();
    let wanted = opts.sheet.clone().or_else(|| given.sheet.clone());
    let header_row = opts.header_row.or(given.header_row);
    let whole = |rule: String| Error::input(file, 0, None, None, rule);
    let names = || {
        sheets
            .iter()
            .filter_map(|s| s.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let header_at = |s: &Sheet| match header_row {
        Some(n) => s.rows.iter().position(|(r, _)| *r == n),
        None => find_header(s),
    };
    let (sheet, at) = match &wanted {
        Some(w) => {
            let sheet = sheets
                .iter()
                .find(|s| {
                    s.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(w.trim()))
                })
                .or_else(|| sheets.iter().find(|s| s.name.is_none()))
                .ok_or_else(|| {
                    whole(format!(
                        "has no sheet `{}` (its sheets: {})",
                        echo(w),
                        names()
                    ))
                })?;
            (sheet, header_at(sheet))
        }
        None => sheets
            .iter()
            .find_map(|s| header_at(s).map(|i| (s, Some(i))))
            .unwrap_or((&sheets[0], None)),
    };
    let place = match &sheet.name {
        Some(n) => format!("{file}, sheet {n}"),
        None => file.to_string(),
    };
    let Some(at) = at else {
        return Err(Error::input(
            &place,
            0,
            None,
            None,
            match header_row {
                Some(n) => format!("has no row {n} (--header-row)"),
                None => format!(
                    "no header row found in the first {HEADER_SEARCH} rows: none names two known \
                     columns (such as `Hosp No`, `Date MFFD`, `Delay reason`); give --header-row N \
                     and a --mapping"
                ),
            },
        ));
    };
    let (header_number, header_cells) = &sheet.rows[at];
    let headers: Vec<String> = header_cells.iter().map(Cell::text).collect();
    let index = |h: &str| {
        headers
            .iter()
            .position(|x| x.eq_ignore_ascii_case(h.trim()))
    };

    let mut mapping = match &opts.mapping {
        Some(m) => m.clone(),
        None => Mapping {
            columns: mapping::suggest(&headers),
            ..Mapping::default()
        },
    };
    mapping.sheet = wanted.clone().filter(|_| sheet.name.is_some());
    mapping.header_row = header_row;
    for (col, value) in &opts.fixed {
        mapping.columns.remove(col);
        mapping.fixed.insert(col.clone(), value.clone());
    }
    mapping.check("--set")?;
    let absent: Vec<String> = mapping
        .columns
        .values()
        .filter(|h| index(h).is_none())
        .map(|h| format!("`{}`", echo(h)))
        .collect();
    if !absent.is_empty() {
        return Err(Error::input(
            &place,
            u64::from(*header_number),
            None,
            None,
            format!(
                "the mapping reads {}, not a header of this row (its headers: {})",
                absent.join(", "),
                headers
                    .iter()
                    .filter(|h| !h.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let given = |c: &str| mapping.columns.contains_key(c) || mapping.fixed(c).is_some();
    // A site's provider and type of care come from the register when the tracker has neither.
    let site_derived: Vec<&'static str> = if given("site") && !opts.sites.is_empty() {
        ["provider", "setting"]
            .into_iter()
            .filter(|c| !given(c))
            .collect()
    } else {
        Vec::new()
    };
    let missing: Vec<&'static str> = NEEDS_VALUE
        .iter()
        .copied()
        .filter(|c| !given(c) && !site_derived.contains(c))
        .collect();
    let unused: Vec<String> = headers
        .iter()
        .filter(|h| !h.is_empty() && !mapping.columns.values().any(|m| m.eq_ignore_ascii_case(h)))
        .cloned()
        .collect();
    // The columns written, in the delays file's order, and where each comes from.
    let sources: Vec<(&'static str, Source)> = delay_columns()
        .filter_map(|c| {
            if let Some(h) = mapping.columns.get(c) {
                Some((c, Source::Header(index(h)?, h.clone())))
            } else {
                mapping.fixed(c).map(|v| (c, Source::Fixed(v.to_string())))
            }
        })
        .collect();
    // The columns the preview shows: those read or set, and those taken from the site.
    let shown_columns: Vec<&'static str> = delay_columns()
        .filter(|c| sources.iter().any(|(s, _)| s == c) || site_derived.contains(c))
        .collect();
    let mut read = TrackerRead {
        place: place.clone(),
        header_row: *header_number,
        mapping,
        unused,
        missing,
        rows: Vec::new(),
        refusals: Vec::new(),
        warnings: Vec::new(),
        checked: None,
    };
    if !read.missing.is_empty() {
        return Ok(read);
    }

    let refuse = |row: u32, header: &str, value: Option<String>, rule: String| InputError {
        file: format!("{place}, row {row}"),
        line: 0,
        column: Some(header.to_string()),
        value,
        rule,
    };
    let mut csv = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = super::DELAY_COLUMNS.to_vec();
    header.extend(
        sources
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| !super::DELAY_COLUMNS.contains(c)),
    );
    let written_error = |e: csv::Error| whole(format!("cannot be translated: {e}"));
    csv.write_record(&header).map_err(written_error)?;
    // The sheet row of each line of the translated file, and the cells it came from.
    let mut line_rows: Vec<(u64, u32, &Vec<Cell>)> = Vec::new();
    let (mut seen, mut newlines) = (0usize, 0u64);
    for (number, cells) in &sheet.rows[at + 1..] {
        let cell = |i: usize| cells.get(i).unwrap_or(&Cell::Empty);
        let blank = sources.iter().all(|(_, s)| match s {
            Source::Header(i, _) => cell(*i).is_empty(),
            Source::Fixed(_) => true,
        });
        if blank {
            continue;
        }
        let mut values: BTreeMap<&str, String> = BTreeMap::new();
        let mut problems = Vec::new();
        for (col, source) in &sources {
            let (value, header) = match source {
                Source::Fixed(v) => (Ok(v.clone()), format!("{col} (set for every row)")),
                Source::Header(i, h) => (
                    translate(col, cell(*i), &read.mapping, &opts.authorities),
                    h.clone(),
                ),
            };
            match value {
                Ok(v) => {
                    values.insert(col, v);
                }
                Err((value, rule)) => problems.push(refuse(*number, &header, value, rule)),
            }
        }
        // A site the register knows: its own code, and its provider and type of care when the
        // tracker gives neither.
        let known = values
            .get("site")
            .and_then(|v| opts.sites.get(&v.trim().to_lowercase()))
            .cloned();
        match known {
            Some(k) => {
                values.insert("site", k.code);
                for c in &site_derived {
                    let v = match *c {
                        "provider" => k.provider.clone(),
                        _ => k.setting.key().to_string(),
                    };
                    values.insert(c, v);
                }
            }
            None if !site_derived.is_empty() && problems.is_empty() => {
                let header = match sources.iter().find(|(c, _)| *c == "site") {
                    Some((_, Source::Header(_, h))) => h.clone(),
                    _ => "site (set for every row)".to_string(),
                };
                let value = values.get("site").cloned().filter(|v| !v.is_empty());
                let rule = if value.is_some() {
                    "is not a site of the register: add it in Settings, or give the provider and \
                     type of care (--set provider=CODE --set setting=acute)"
                } else {
                    "is empty: a value is needed"
                };
                problems.push(refuse(*number, &header, value, rule.to_string()));
            }
            None => {}
        }
        if !problems.is_empty() {
            read.refusals.extend(problems);
            continue;
        }
        csv.flush()
            .map_err(|e| whole(format!("cannot be translated: {e}")))?;
        let so_far = csv.get_ref();
        newlines += so_far[seen..].iter().filter(|&&b| b == b'\n').count() as u64;
        seen = so_far.len();
        let line = newlines + 1;
        line_rows.push((line, *number, cells));
        let record: Vec<&str> = header
            .iter()
            .map(|c| values.get(c).map_or("", String::as_str))
            .collect();
        csv.write_record(&record).map_err(written_error)?;
        read.rows.push((
            *number,
            shown_columns
                .iter()
                .map(|c| (c.to_string(), shown(c, values.get(c).map_or("", |v| v))))
                .collect(),
        ));
    }
    let bytes = csv
        .into_inner()
        .map_err(|e| whole(format!("cannot be translated: {e}")))?;
    let row_of = |line: u64| {
        line_rows
            .binary_search_by_key(&line, |(l, _, _)| *l)
            .ok()
            .map(|i| line_rows[i])
    };
    // The delays file's words for its lines and columns, in the tracker's: `line 5` → `row 9`,
    // `delay_start` → `Date MFFD`, and the value as the sheet has it.
    let in_tracker = |e: InputError| -> InputError {
        let Some((_, row, cells)) = row_of(e.line) else {
            return InputError {
                file: place.clone(),
                ..e
            };
        };
        let col = e.column.clone().unwrap_or_default();
        let source = sources.iter().find(|(c, _)| *c == col).map(|(_, s)| s);
        let (header, value) = match source {
            Some(Source::Header(i, h)) => {
                let value = match &e.value {
                    Some(v) if v != "(hidden)" => Some(cells.get(*i).map_or(v.clone(), Cell::text)),
                    other => other.clone(),
                };
                (h.clone(), value)
            }
            Some(Source::Fixed(_)) => (format!("{col} (set for every row)"), e.value.clone()),
            None => (col, e.value.clone()),
        };
        refuse(
            row,
            &header,
            value,
            rows_for_lines(&e.rule, |l| row_of(l).map(|r| r.1)),
        )
    };
    if !line_rows.is_empty() {
        match read_delays_bytes(&place, &bytes, today) {
            Ok(mut checked) if read.refusals.is_empty() => {
                for r in &mut checked.records {
                    if let Some((_, row, _)) = row_of(r.line) {
                        r.line = u64::from(row);
                    }
                }
                read.warnings = checked
                    .warnings
                    .iter()
                    .map(|w| rows_for_lines(w, |l| row_of(l).map(|r| r.1)))
                    .collect();
                read.checked = Some(checked);
            }
            Ok(_) => {}
            Err(Error::Input(e)) => read.refusals.push(in_tracker(e)),
            Err(Error::Inputs(es)) => read.refusals.extend(es.into_iter().map(in_tracker)),
            Err(other) => return Err(other),
        }
    } else if read.refusals.is_empty() {
        return Err(Error::input(
            &place,
            0,
            None,
            None,
            format!("has no rows below the header on row {header_number}"),
        ));
    }
    read.refusals
        .sort_by_key(|e| row_number(&e.file).unwrap_or(u32::MAX));
    read.refusals.truncate(MAX_ERRORS);
    Ok(read)
}

/// Where a column's value comes from.
#[derive(Debug, Clone)]
enum Source {
    /// The sheet's column at this index, with its header.
    Header(usize, String),
    /// One value for every row.
    Fixed(String),
}

/// The row number of a refusal's place (`…, row 9`).
fn row_number(place: &str) -> Option<u32> {
    place.rsplit_once(", row ")?.1.parse().ok()
}

/// `text` with each `line N` of the translated file as the sheet's `row R`.
fn rows_for_lines(text: &str, row_of: impl Fn(u64) -> Option<u32>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 5..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse::<u64>().ok().and_then(&row_of) {
            Some(row) => out.push_str(&format!("row {row}")),
            None => out.push_str(&rest[i..i + 5 + digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// A value as the preview shows it: an NHS number masked.
fn shown(column: &str, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    if column == "nhs_number" {
        return NhsNumber::parse(value)
            .map_or_else(|_| "(not an NHS number)".into(), |n| n.masked());
    }
    match nhs_number_in(value) {
        Some(n) => n.masked(),
        None => value.to_string(),
    }
}

/// One cell of the sheet as the delays file's `column` reads it, or the value to show (never an
/// NHS number) and the rule it breaks.
fn translate(
    column: &str,
    cell: &Cell,
    mapping: &Mapping,
    authorities: &HashMap<String, LaCode>,
) -> std::result::Result<String, (Option<String>, String)> {
    let text = cell.text();
    if text.is_empty() {
        return Ok(String::new());
    }
    if column != "nhs_number" {
        if let Some(rule) = nhs_rule(&text) {
            return Err((None, rule));
        }
    }
    let text = match mapping.value(column, &text) {
        Some(v) => return Ok(v.to_string()),
        None => text,
    };
    if DATE_COLUMNS.contains(&column) {
        return parse_date(cell).map(|d| d.to_string()).ok_or_else(|| {
            (
                Some(text),
                "not a date: give a date cell or dd/mm/yyyy, dd/mm/yy or YYYY-MM-DD".to_string(),
            )
        });
    }
    match column {
        "reason" => match ReasonCode::parse(&text) {
            Ok(r) => Ok(r.code().to_string()),
            Err(_) => {
                let d = text.trim().to_ascii_lowercase();
                let hint = if d == "d" || d.starts_with("d ") || d.starts_with("d-") {
                    " (D is Di, awaiting a residential home, or Dii, a nursing home: say which)"
                } else {
                    ""
                };
                Err((
                    Some(text),
                    format!(
                        "not a reason code{hint}: start the text with its code (A, B, C, Di, Dii, \
                         E, F, G, H, I or O, as in `Di - awaiting residential home`) or give the \
                         text's code under [values.reason] in the mapping"
                    ),
                ))
            }
        },
        // Codes as dtoc writes them (`Social Care` → `social_care`); a text that is not one is
        // left for the delays reader to refuse in its own words.
        "attribution" => {
            Ok(crate::domain::Attribution::parse(&text).map_or(text, |a| a.key().to_string()))
        }
        "setting" => Ok(Setting::parse(&text).map_or(text, |s| s.key().to_string())),
        "la_code" if LaCode::parse(&text).is_err() => Ok(authorities
            .get(&text.to_lowercase())
            .map_or(text, |c| c.to_string())),
        "nhs_number" => Ok(text.split_whitespace().collect()),
        _ => Ok(text),
    }
}

#[cfg(test)]
mod tests;
