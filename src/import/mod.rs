//! Readers for the import formats. Each reads a CSV file with a header (columns in any order; UTF-8
//! with or without BOM; CRLF accepted; `,` or, as some spreadsheets save, `;` between columns), checks every row against the domain rules, and returns
//! validated records with their line numbers, or every problem found (file, line, column, value and
//! rule). Nothing here writes: the store applies a file's records in one transaction.

use crate::domain::text::{at_most, control_rule, echo, nhs_rule, TextKind};
use crate::domain::{parse_iso_date, LaCode, LocalId, NhsNumber};
use crate::error::{Error, InputError, Result};
use crate::progress::{Progress, Silent, Unit};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;

mod corrections;
mod delays;
mod population;
pub mod published;
pub mod reported;
mod stays;
mod targets;
pub mod tracker;
mod wards;
pub use corrections::{
    read_corrections, read_corrections_bytes, CorrectionAction, CorrectionRecord,
    CORRECTION_COLUMNS, CORRECTION_FIELDS, CORRECTION_OPTIONAL,
};
pub use delays::{
    read_delays, read_delays_bytes, read_delays_with, DelayRecord, DELAY_COLUMNS, DELAY_OPTIONAL,
};
pub use population::{
    read_population, read_population_bytes, PopulationRecord, POPULATION_COLUMNS,
};
pub use stays::{
    read_discharge_targets, read_discharge_targets_bytes, read_stays, read_stays_bytes,
    DischargeTargetRecord, StayRecord, DISCHARGE_TARGET_COLUMNS, STAY_COLUMNS, STAY_OPTIONAL,
};
pub use targets::{read_targets, read_targets_bytes, TargetRecord, TARGET_COLUMNS};
pub use wards::{read_wards, read_wards_bytes, WARD_COLUMNS, WARD_OPTIONAL};

/// How many bad rows are listed before the reader stops looking.
pub const MAX_ERRORS: usize = 20;
/// Longest value accepted in any cell.
pub const MAX_CELL: usize = 200;

/// A file read and checked: its records and any warnings (rules that deserve a look, not a refusal).
#[derive(Debug, Clone)]
pub struct Checked<T> {
    pub file: String,
    pub records: Vec<T>,
    pub warnings: Vec<String>,
}

/// A parsed CSV: the header's column positions and the rows with their line numbers.
struct Table {
    file: String,
    columns: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

/// Line numbers of CSV records from their byte offsets, right for LF and CRLF files alike.
///
/// The csv crate's own line count lags by one after a CRLF (it starts the next record on the LF),
/// so the line is taken from the record's byte offset instead: one plus the newlines before it,
/// counting a newline at the offset itself.
pub(crate) struct LineIndex(Vec<usize>);

impl LineIndex {
    /// Indexes the newlines of `bytes` (the same bytes the csv reader reads).
    pub(crate) fn new(bytes: &[u8]) -> Self {
        LineIndex(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The 1-based line of a csv position (0 when the reader gives none).
    pub(crate) fn line(&self, pos: Option<&csv::Position>) -> u64 {
        pos.map_or(0, |p| {
            let byte = usize::try_from(p.byte()).unwrap_or(usize::MAX);
            self.0.partition_point(|&i| i <= byte) as u64 + 1
        })
    }
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The most an import reads by default (`dtoc import --max-bytes` changes it): 2 GB, some 15
/// million delay rows, far above any hub's file, and bounded so that `/dev/zero` or a runaway
/// export cannot fill the memory.
pub const DEFAULT_MAX_BYTES: u64 = 2_000_000_000;

/// The bytes of the import file `path`, at most `max_bytes` of them. Refused at once, in words
/// naming the file: a directory, a FIFO, a device or a socket (checked on the opened file, opened
/// without blocking so that a FIFO with no writer cannot hang the import), and a file larger than
/// `max_bytes` (also one that grows past it while read).
pub fn read_input(path: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let (f, len) = open_input(path, max_bytes)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    f.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_big(path, max_bytes));
    }
    Ok(bytes)
}

fn too_big(path: &Path, max_bytes: u64) -> Error {
    whole_file(
        &display_name(path),
        format!("is larger than {max_bytes} bytes, the most an import reads (--max-bytes)"),
    )
}

/// The import file `path` opened for reading, and its length, when it is a regular file of at
/// most `max_bytes` (see [`read_input`]).
pub fn open_input(path: &Path, max_bytes: u64) -> Result<(std::fs::File, u64)> {
    let file = display_name(path);
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(whole_file(&file, "is a directory, not a CSV file"));
    }
    let f = opts.open(path).map_err(io)?;
    let meta = f.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(whole_file(
            &file,
            "is not a regular file (a FIFO, a device or a socket): give a CSV file",
        ));
    }
    if meta.len() > max_bytes {
        return Err(too_big(path, max_bytes));
    }
    Ok((f, meta.len()))
}

fn whole_file(file: &str, rule: impl Into<String>) -> Error {
    Error::input(file, 0, None, None, rule)
}

/// Reads and checks the shape of a CSV file: encoding, separator, header, row lengths.
fn read_table(path: &Path, required: &[&str], optional: &[&str]) -> Result<Table> {
    read_table_with(path, required, optional, &Silent)
}

/// [`read_table`], telling `progress` how many rows it has read.
fn read_table_with(
    path: &Path,
    required: &[&str],
    optional: &[&str],
    progress: &dyn Progress,
) -> Result<Table> {
    let file = display_name(path);
    let bytes = read_input(path, DEFAULT_MAX_BYTES)?;
    read_table_bytes_with(&file, &bytes, required, optional, progress)
}

fn read_table_bytes(
    file: &str,
    bytes: &[u8],
    required: &[&str],
    optional: &[&str],
) -> Result<Table> {
    read_table_bytes_with(file, bytes, required, optional, &Silent)
}

/// How many rows between two progress reports of a reader.
const PROGRESS_STEP: u64 = 16_384;

fn read_table_bytes_with(
    file: &str,
    bytes: &[u8],
    required: &[&str],
    optional: &[&str],
    progress: &dyn Progress,
) -> Result<Table> {
    let expected = required.join(",");
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(whole_file(
            file,
            format!("the file is empty: expected a header row `{expected}`"),
        ));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(whole_file(
            file,
            "is UTF-16 text (\"Unicode text\"): save the file as UTF-8 CSV",
        ));
    }
    if bytes.contains(&0) {
        return Err(whole_file(
            file,
            "not a CSV text file (it contains binary data)",
        ));
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        let upto = &bytes[..e.valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        return Err(Error::input(
            file,
            line,
            None,
            None,
            "not valid UTF-8 text (save the file as UTF-8 CSV)",
        ));
    }
    // Spreadsheets in many European locales save "CSV" with `;` between columns: a header with
    // `;` and no `,` is read that way.
    let header_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = if header_line.contains(&b';') && !header_line.contains(&b',') {
        b';'
    } else {
        b','
    };
    let lines = LineIndex::new(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| whole_file(file, format!("cannot read the header: {e}")))?
        .clone();
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let mut columns = HashMap::new();
    let mut problems = Vec::new();
    for (i, n) in names.iter().enumerate() {
        if !required.contains(&n.as_str()) && !optional.contains(&n.as_str()) {
            problems.push(format!("unknown column `{}`", echo(n)));
        } else if columns.insert(n.clone(), i).is_some() {
            problems.push(format!("column `{}` appears twice", echo(n)));
        }
    }
    for r in required {
        if !columns.contains_key(*r) {
            problems.push(format!("missing column `{r}`"));
        }
    }
    if !problems.is_empty() {
        return Err(Error::input(
            file,
            1,
            None,
            None,
            format!(
                "{} (expected `{expected}`)",
                at_most(&problems, crate::error::MAX_LISTED, "; ")
            ),
        ));
    }
    // About one row per 60 bytes: enough room that the vector rarely grows.
    let mut rows = Vec::with_capacity(bytes.len() / 64);
    let mut errors = Vec::new();
    progress.phase("reading", None, Unit::Rows);
    let mut read = 0u64;
    for rec in reader.records() {
        read += 1;
        if read % PROGRESS_STEP == 0 {
            progress.advance(PROGRESS_STEP);
        }
        match rec {
            Ok(r) => {
                let line = lines.line(r.position());
                if r.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                rows.push((line, r));
            }
            Err(e) => {
                let line = lines.line(e.position());
                let rule = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
                        "has {len} fields, the header has {expected_len} (a comma inside a value needs quotes)"
                    ),
                    csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 text".to_string(),
                    other => format!("cannot be read as CSV: {other:?}"),
                };
                errors.push(InputError {
                    file: file.to_string(),
                    line,
                    column: None,
                    value: None,
                    rule,
                });
                if errors.len() >= MAX_ERRORS {
                    break;
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(if errors.len() == 1 {
            Error::Input(errors.remove(0))
        } else {
            Error::Inputs(errors)
        });
    }
    if rows.is_empty() {
        return Err(whole_file(file, "the file has a header but no data rows"));
    }
    Ok(Table {
        file: file.to_string(),
        columns,
        rows,
    })
}

fn cut(s: &str) -> String {
    crate::error::keep_value(s)
}

/// One row being read: collects its problems instead of stopping at the first.
struct RowReader<'a> {
    table: &'a Table,
    line: u64,
    rec: &'a csv::StringRecord,
    errors: Vec<InputError>,
}

impl<'a> RowReader<'a> {
    fn raw(&self, col: &str) -> &'a str {
        self.table
            .columns
            .get(col)
            .and_then(|&i| self.rec.get(i))
            .map_or("", str::trim)
    }

    fn fail(&mut self, col: &str, value: Option<&str>, rule: impl Into<String>) {
        let e = self.error(col, value, rule);
        self.errors.push(e);
    }

    /// The problem of a cell of this row, not yet recorded.
    fn error(&self, col: &str, value: Option<&str>, rule: impl Into<String>) -> InputError {
        InputError {
            file: self.table.file.clone(),
            line: self.line,
            column: Some(col.to_string()),
            value: value.map(cut),
            rule: rule.into(),
        }
    }

    /// A local hospital number (up to 40 characters).
    fn local_id(&mut self) -> Option<String> {
        self.req("local_id", |v| {
            LocalId::parse(v)
                .map(LocalId::into_string)
                .map_err(|_| "is longer than 40 characters")
        })
    }

    /// An optional NHS number, never repeated in a message. `Err(())` when given but wrong.
    fn nhs_number(&mut self) -> Result<Option<NhsNumber>, ()> {
        let v = self.raw("nhs_number");
        if v.is_empty() {
            return Ok(None);
        }
        NhsNumber::parse(v).map(Some).map_err(|e| {
            self.fail("nhs_number", Some("(hidden)"), e.to_string());
        })
    }

    /// A site code (up to 40 characters).
    fn site(&mut self) -> Option<String> {
        self.req("site", |v| {
            if v.len() > 40 {
                Err("is longer than 40 characters")
            } else {
                Ok(v.to_string())
            }
        })
    }

    /// An ONS authority code.
    fn la_code(&mut self) -> Option<LaCode> {
        self.req("la_code", |v| {
            LaCode::parse(v).map_err(|_| {
                "not an ONS authority code (E, W, S or N and 8 digits, e.g. E10000018)"
            })
        })
    }

    /// The optional `ward`, `bed` and `expected_on` columns (an expected discharge date may be in
    /// the future). `Err(())` when one is given but wrong (already recorded).
    fn placement(&mut self) -> Result<crate::domain::Placement, ()> {
        use crate::domain::{place_text, BED_MAX, WARD_MAX};
        let ward = self.opt("ward", |v| place_text(v, "the ward", WARD_MAX));
        let bed = self.opt("bed", |v| place_text(v, "the bed", BED_MAX));
        let expected_on = self.opt("expected_on", date_rule);
        Ok(crate::domain::Placement {
            ward: ward?.flatten(),
            bed: bed?.flatten(),
            expected_on: expected_on?,
        })
    }

    /// A value that must be there, checked by `parse`.
    fn req<T, E: std::fmt::Display>(
        &mut self,
        col: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let v = self.raw(col);
        if v.is_empty() {
            self.fail(col, None, "is empty: a value is needed");
            return None;
        }
        if v.len() > MAX_CELL {
            self.fail(
                col,
                Some(v),
                format!("is longer than {MAX_CELL} characters"),
            );
            return None;
        }
        match parse(v) {
            Ok(x) => Some(x),
            Err(e) => {
                self.fail(col, Some(v), e.to_string());
                None
            }
        }
    }

    /// A value that may be empty. `Err(())` when given but wrong (already recorded).
    fn opt<T, E: std::fmt::Display>(
        &mut self,
        col: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, ()> {
        let v = self.raw(col);
        if v.is_empty() {
            return Ok(None);
        }
        if v.len() > MAX_CELL {
            self.fail(
                col,
                Some(v),
                format!("is longer than {MAX_CELL} characters"),
            );
            return Err(());
        }
        match parse(v) {
            Ok(x) => Ok(Some(x)),
            Err(e) => {
                self.fail(col, Some(v), e.to_string());
                Err(())
            }
        }
    }

    /// A destination implies its pathway (delays and stays files alike): an empty `pathway` takes
    /// it, a different one fails the row.
    fn pathway_of(
        &mut self,
        pathway: Result<Option<crate::domain::Pathway>, ()>,
        destination: &Result<Option<crate::domain::Destination>, ()>,
    ) -> Result<Option<crate::domain::Pathway>, ()> {
        match (pathway, destination) {
            (Ok(Some(p)), Ok(Some(dest))) if dest.pathway() != p => {
                self.fail(
                    "destination",
                    Some(dest.code()),
                    format!("is on pathway {}, not pathway {p}", dest.pathway()),
                );
                Err(())
            }
            (Ok(None), Ok(Some(dest))) => Ok(Some(dest.pathway())),
            (p, _) => p,
        }
    }
}

/// The loop every reader shares: `row` reads one row (recording its problems on the
/// [`RowReader`]) and returns its record when it could build one; a row with problems adds them
/// instead of a record, and reading stops once [`MAX_ERRORS`] problems are listed.
fn check_rows<T>(
    table: &Table,
    row: impl FnMut(&mut RowReader<'_>) -> Option<T>,
) -> (Vec<T>, Vec<InputError>) {
    check_rows_with(table, 0..table.rows.len(), &Silent, row)
}

/// [`check_rows`] over the rows `range` of the table, telling `progress` how many it has checked
/// (its caller names the phase).
fn check_rows_with<T>(
    table: &Table,
    range: std::ops::Range<usize>,
    progress: &dyn Progress,
    mut row: impl FnMut(&mut RowReader<'_>) -> Option<T>,
) -> (Vec<T>, Vec<InputError>) {
    let mut records = Vec::with_capacity(range.len());
    let mut errors = Vec::new();
    // The columns in file order, for the control-character check of every cell.
    let mut names: Vec<(&String, &usize)> = table.columns.iter().collect();
    names.sort_by_key(|(_, i)| **i);
    let kinds: Vec<(&String, usize, TextKind)> = names
        .iter()
        .map(|(n, i)| (*n, **i, column_kind(n)))
        .collect();
    for (k, (line, rec)) in table.rows[range].iter().enumerate() {
        if (k as u64 + 1) % PROGRESS_STEP == 0 {
            progress.advance(PROGRESS_STEP);
        }
        let mut r = RowReader {
            table,
            line: *line,
            rec,
            errors: Vec::new(),
        };
        // No control characters in any text field (a tab only in free-text notes), and no NHS
        // number but in its own column (named, shown masked), before the row's own checks.
        for &(name, i, kind) in &kinds {
            let cell = rec.get(i).unwrap_or_default();
            if let Some(rule) = control_rule(cell, kind) {
                r.fail(name, Some(cell), rule);
            } else if name != "nhs_number" {
                if let Some(rule) = nhs_rule(cell) {
                    r.fail(name, None, rule);
                }
            }
        }
        let record = if r.errors.is_empty() {
            row(&mut r)
        } else {
            None
        };
        if r.errors.is_empty() {
            records.extend(record);
        } else {
            errors.append(&mut r.errors);
            if errors.len() >= MAX_ERRORS {
                break;
            }
        }
    }
    (records, errors)
}

/// What a column may hold: free-text notes may have a tab, names are one line, the rest are ids,
/// codes, dates and numbers.
fn column_kind(name: &str) -> TextKind {
    match name {
        "note" | "notes" | "comment" | "reopen_reason" => TextKind::Note,
        n if n.ends_with("name") || n == "destination" => TextKind::Line,
        _ => TextKind::Code,
    }
}

/// The rule of a date cell, without repeating the value (the message already shows it).
fn date_rule(v: &str) -> Result<NaiveDate, String> {
    let d = parse_iso_date(v).map_err(|_| {
        let b = v.as_bytes();
        let shaped = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if shaped {
            "not a date".to_string()
        } else {
            "not a date in the form YYYY-MM-DD".to_string()
        }
    })?;
    match crate::domain::too_early(d) {
        Some(rule) => Err(rule),
        None => Ok(d),
    }
}

/// The rule of a target or reported month cell: `YYYY-MM`, not before 1990-01 (the later bound
/// needs today: [`months_as_of`]).
fn month_rule(v: &str) -> Result<crate::domain::YearMonth, String> {
    let m = crate::domain::YearMonth::parse(v)
        .map_err(|_| "not a month in the form YYYY-MM".to_string())?;
    match crate::domain::too_early(m.first_day()) {
        Some(_) => Err(format!(
            "is before {}: not a plausible month",
            crate::domain::YearMonth::of(crate::domain::EARLIEST_DATE).key()
        )),
        None => Ok(m),
    }
}

/// A record of a file whose rows are months (targets, reported figures).
pub trait OfMonth {
    /// The record's line and month.
    fn line_month(&self) -> (u64, crate::domain::YearMonth);
}

/// Refuses a checked file with a month outside 1990-01 to 24 months after `today`'s month,
/// naming each such line (at most 10, then "and N more").
pub fn months_as_of<T: OfMonth>(c: &Checked<T>, today: NaiveDate) -> Result<()> {
    let mut errors: Vec<InputError> = c
        .records
        .iter()
        .filter_map(|r| {
            let (line, m) = r.line_month();
            crate::domain::implausible_month(m, today).map(|rule| InputError {
                file: c.file.clone(),
                line,
                column: Some("month".to_string()),
                value: Some(m.key()),
                rule,
            })
        })
        .collect();
    match errors.len() {
        0 => Ok(()),
        1 => Err(Error::Input(errors.remove(0))),
        _ => Err(Error::Inputs(errors)),
    }
}

fn code_rule<T>(res: Result<T, crate::domain::CodeError>) -> Result<T, String> {
    res.map_err(|e| format!("not {} (expected {})", e.what, e.expected))
}

fn finish<T>(
    file: &str,
    records: Vec<T>,
    mut errors: Vec<InputError>,
    warnings: Vec<String>,
) -> Result<Checked<T>> {
    if errors.is_empty() {
        Ok(Checked {
            file: file.to_string(),
            records,
            warnings,
        })
    } else if errors.len() == 1 {
        Err(Error::Input(errors.remove(0)))
    } else {
        errors.truncate(MAX_ERRORS);
        Err(Error::Inputs(errors))
    }
}
