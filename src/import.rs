//! Readers for the import formats. Each reads a CSV file with a header (columns in any order; UTF-8
//! with or without BOM; CRLF accepted; `,` or, as some spreadsheets save, `;` between columns), checks every row against the domain rules, and returns
//! validated records with their line numbers, or every problem found (file, line, column, value and
//! rule). Nothing here writes: the store applies a file's records in one transaction.

use crate::domain::{
    parse_iso_date, AcuteReason, Attribution, Destination, EndKind, LaCode, Measure, NhsNumber,
    Pathway, ReasonCode, Setting, TargetUnit, YearMonth,
};
use crate::error::{Error, InputError, Result};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

mod stays;
pub use stays::{
    read_discharge_targets, read_discharge_targets_bytes, read_stays, read_stays_bytes,
    DischargeTargetRecord, StayRecord, DISCHARGE_TARGET_COLUMNS, STAY_COLUMNS, STAY_OPTIONAL,
};
pub mod reported;

/// How many bad rows are listed before the reader stops looking.
pub const MAX_ERRORS: usize = 20;
/// Longest value accepted in any cell.
pub const MAX_CELL: usize = 200;

/// One row of a delays file: one period of a delay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayRecord {
    pub line: u64,
    pub local_id: String,
    pub nhs_number: Option<NhsNumber>,
    pub provider: String,
    pub site: String,
    pub setting: Setting,
    pub la_code: LaCode,
    pub admitted_on: NaiveDate,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub reason: ReasonCode,
    pub attribution: Attribution,
    pub discharged_on: Option<NaiveDate>,
    pub pathway: Option<Pathway>,
    pub end_kind: Option<EndKind>,
    /// The destination's code (one of the 12 of the acute sitrep).
    pub destination: Option<String>,
    /// The acute sitrep reason of the period, beside its DTOC code.
    pub acute_reason: Option<AcuteReason>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationRecord {
    pub line: u64,
    pub la_code: LaCode,
    pub la_name: String,
    pub year: i32,
    pub population_18plus: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TargetRecord {
    pub line: u64,
    pub la_code: LaCode,
    pub month: YearMonth,
    pub measure: Measure,
    pub unit: TargetUnit,
    pub value: f64,
}

/// A file read and checked: its records and any warnings (rules that deserve a look, not a refusal).
#[derive(Debug, Clone)]
pub struct Checked<T> {
    pub file: String,
    pub records: Vec<T>,
    pub warnings: Vec<String>,
}

pub const DELAY_COLUMNS: &[&str] = &[
    "local_id",
    "nhs_number",
    "provider",
    "site",
    "setting",
    "la_code",
    "admitted_on",
    "delay_start",
    "delay_end",
    "reason",
    "attribution",
    "discharged_on",
    "pathway",
];
pub const DELAY_OPTIONAL: &[&str] = &["end_kind", "destination", "acute_reason"];
pub const POPULATION_COLUMNS: &[&str] = &["la_code", "la_name", "year", "population_18plus"];
pub const TARGET_COLUMNS: &[&str] = &["la_code", "month", "measure", "unit", "value"];

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

fn whole_file(file: &str, rule: impl Into<String>) -> Error {
    Error::input(file, 0, None, None, rule)
}

/// Reads and checks the shape of a CSV file: encoding, separator, header, row lengths.
fn read_table(path: &Path, required: &[&str], optional: &[&str]) -> Result<Table> {
    let file = display_name(path);
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_table_bytes(&file, &bytes, required, optional)
}

fn read_table_bytes(
    file: &str,
    bytes: &[u8],
    required: &[&str],
    optional: &[&str],
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
            problems.push(format!("unknown column `{}`", cut(n)));
        } else if columns.insert(n.clone(), i).is_some() {
            problems.push(format!("column `{n}` appears twice"));
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
            format!("{} (expected `{expected}`)", problems.join("; ")),
        ));
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for rec in reader.records() {
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
    s.chars().take(40).collect()
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
        self.errors.push(InputError {
            file: self.table.file.clone(),
            line: self.line,
            column: Some(col.to_string()),
            value: value.map(cut),
            rule: rule.into(),
        });
    }

    /// A local hospital number (up to 40 characters).
    fn local_id(&mut self) -> Option<String> {
        self.req("local_id", |v| {
            if v.len() > 40 {
                Err("is longer than 40 characters")
            } else {
                Ok(v.to_string())
            }
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
}

/// The rule of a date cell, without repeating the value (the message already shows it).
fn date_rule(v: &str) -> Result<NaiveDate, String> {
    parse_iso_date(v).map_err(|_| {
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
    })
}

fn no_future(
    r: &mut RowReader<'_>,
    col: &str,
    d: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match d {
        Some(d) if d > today => {
            r.fail(
                col,
                Some(&d.to_string()),
                format!("is in the future (today is {today})"),
            );
            None
        }
        other => other,
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

/// Reads a delays file (see the README for the format). `today` bounds every date.
pub fn read_delays(path: &Path, today: NaiveDate) -> Result<Checked<DelayRecord>> {
    let table = read_table(path, DELAY_COLUMNS, DELAY_OPTIONAL)?;
    check_delays(table, today)
}

/// The same from bytes in memory (tests and fuzzing).
pub fn read_delays_bytes(
    file: &str,
    bytes: &[u8],
    today: NaiveDate,
) -> Result<Checked<DelayRecord>> {
    let table = read_table_bytes(file, bytes, DELAY_COLUMNS, DELAY_OPTIONAL)?;
    check_delays(table, today)
}

fn check_delays(table: Table, today: NaiveDate) -> Result<Checked<DelayRecord>> {
    let mut records = Vec::with_capacity(table.rows.len());
    let mut errors: Vec<InputError> = Vec::new();
    let mut warnings = Vec::new();
    for (line, rec) in &table.rows {
        let mut r = RowReader {
            table: &table,
            line: *line,
            rec,
            errors: Vec::new(),
        };
        let local_id = r.local_id();
        let nhs = r.nhs_number();
        let provider = r.req("provider", |v| {
            if v.len() > 20 {
                Err("is longer than 20 characters")
            } else {
                Ok(v.to_string())
            }
        });
        let site = r.site();
        let setting = r.req("setting", |v| code_rule(Setting::parse(v)));
        let la = r.la_code();
        let admitted = r.req("admitted_on", date_rule);
        let admitted = no_future(&mut r, "admitted_on", admitted, today);
        let start = r.req("delay_start", date_rule);
        let start = no_future(&mut r, "delay_start", start, today);
        let end = r.opt("delay_end", date_rule);
        let end = end.map(|e| no_future(&mut r, "delay_end", e, today));
        let reason = r.req("reason", |v| code_rule(ReasonCode::parse(v)));
        let attribution = r.req("attribution", |v| code_rule(Attribution::parse(v)));
        let discharged = r.opt("discharged_on", date_rule);
        let discharged = discharged.map(|d| no_future(&mut r, "discharged_on", d, today));
        let pathway = r.opt("pathway", |v| code_rule(Pathway::parse(v)));
        let end_kind = r.opt("end_kind", |v| code_rule(EndKind::parse(v)));
        let destination = r.opt("destination", |v| {
            code_rule(Destination::parse(v)).map(|d| d.code().to_string())
        });
        let acute_reason = r.opt("acute_reason", |v| code_rule(AcuteReason::parse(v)));
        if let (Some(a), Some(s)) = (admitted, start) {
            if s < a {
                r.fail(
                    "delay_start",
                    Some(&s.to_string()),
                    format!("is before admission on {a} (ready before admitted)"),
                );
            }
        }
        if let (Some(s), Ok(Some(e))) = (start, &end) {
            if *e < s {
                r.fail(
                    "delay_end",
                    Some(&e.to_string()),
                    format!("is before delay_start {s}"),
                );
            }
        }
        if let (Some(s), Ok(Some(d))) = (start, &discharged) {
            if *d < s {
                r.fail(
                    "discharged_on",
                    Some(&d.to_string()),
                    format!("is before the ready date {s} (discharge before ready)"),
                );
            }
        }
        if let (Ok(Some(d)), Ok(Some(e))) = (&discharged, &end) {
            if e > d {
                r.fail(
                    "delay_end",
                    Some(&e.to_string()),
                    format!("is after discharge on {d}"),
                );
            }
        }
        if let (Some(reason), Some(att)) = (reason, attribution) {
            if let Some(w) = reason.attribution_warning(att) {
                warnings.push(format!("{} line {line}: {w}", table.file));
            }
        }
        let errs = std::mem::take(&mut r.errors);
        if errs.is_empty() {
            if let (
                Some(local_id),
                Ok(nhs_number),
                Some(provider),
                Some(site),
                Some(setting),
                Some(la_code),
                Some(admitted_on),
                Some(start),
                Ok(end),
                Some(reason),
                Some(attribution),
                Ok(discharged_on),
                Ok(pathway),
                Ok(end_kind),
                Ok(destination),
                Ok(acute_reason),
            ) = (
                local_id,
                nhs,
                provider,
                site,
                setting,
                la,
                admitted,
                start,
                end,
                reason,
                attribution,
                discharged,
                pathway,
                end_kind,
                destination,
                acute_reason,
            ) {
                records.push(DelayRecord {
                    line: *line,
                    local_id,
                    nhs_number,
                    provider,
                    site,
                    setting,
                    la_code,
                    admitted_on,
                    start,
                    end,
                    reason,
                    attribution,
                    discharged_on,
                    pathway,
                    end_kind,
                    destination,
                    acute_reason,
                });
            }
        } else {
            errors.extend(errs);
            if errors.len() >= MAX_ERRORS {
                break;
            }
        }
    }
    if errors.is_empty() {
        errors.extend(check_delay_file(&table.file, &records));
    }
    finish(&table.file, records, errors, warnings)
}

/// Checks across rows: one type of care per site; one site, authority, NHS number and discharge per
/// stay; no overlapping periods within a stay; only a delay's last period may be open.
fn check_delay_file(file: &str, records: &[DelayRecord]) -> Vec<InputError> {
    let mut errors = Vec::new();
    let mut err = |line: u64, col: &str, value: Option<&str>, rule: String| {
        errors.push(InputError {
            file: file.to_string(),
            line,
            column: Some(col.to_string()),
            value: value.map(cut),
            rule,
        });
    };
    let mut sites: HashMap<&str, (Setting, &str, u64)> = HashMap::new();
    for r in records {
        match sites.get(r.site.as_str()) {
            Some((s, p, line)) => {
                if *s != r.setting {
                    err(
                        r.line,
                        "setting",
                        Some(r.setting.key()),
                        format!(
                            "site {} is {} on line {line}: a site has one type of care",
                            r.site, s
                        ),
                    );
                } else if *p != r.provider {
                    err(
                        r.line,
                        "provider",
                        Some(&r.provider),
                        format!("site {} belongs to provider {p} on line {line}", r.site),
                    );
                }
            }
            None => {
                sites.insert(&r.site, (r.setting, &r.provider, r.line));
            }
        }
    }
    let mut stays: BTreeMap<(&str, NaiveDate), Vec<&DelayRecord>> = BTreeMap::new();
    for r in records {
        stays
            .entry((&r.local_id, r.admitted_on))
            .or_default()
            .push(r);
    }
    for rows in stays.values_mut() {
        rows.sort_by_key(|r| (r.start, r.line));
        let first = rows[0];
        for r in rows.iter().skip(1) {
            if r.site != first.site {
                err(
                    r.line,
                    "site",
                    Some(&r.site),
                    format!(
                        "the same stay is at site {} on line {}",
                        first.site, first.line
                    ),
                );
            }
            if r.la_code != first.la_code {
                err(
                    r.line,
                    "la_code",
                    Some(r.la_code.as_str()),
                    format!(
                        "the same stay is for {} on line {}",
                        first.la_code, first.line
                    ),
                );
            }
            if r.nhs_number != first.nhs_number {
                err(
                    r.line,
                    "nhs_number",
                    Some("(hidden)"),
                    format!("differs from line {} for the same patient", first.line),
                );
            }
            if r.discharged_on != first.discharged_on {
                err(
                    r.line,
                    "discharged_on",
                    r.discharged_on.map(|d| d.to_string()).as_deref(),
                    format!("differs from line {} for the same stay", first.line),
                );
            }
        }
        for pair in rows.windows(2) {
            let (p, q) = (pair[0], pair[1]);
            match p.end {
                None => err(
                    q.line,
                    "delay_start",
                    Some(&q.start.to_string()),
                    format!(
                        "overlaps the open period from {} on line {} of the same stay",
                        p.start, p.line
                    ),
                ),
                Some(e) if e > q.start || p.start == q.start => err(
                    q.line,
                    "delay_start",
                    Some(&q.start.to_string()),
                    format!(
                        "overlaps the period {}..{e} on line {} of the same stay",
                        p.start, p.line
                    ),
                ),
                _ => {}
            }
        }
    }
    errors
}

/// Reads a population file: `la_code,la_name,year,population_18plus`.
pub fn read_population(path: &Path) -> Result<Checked<PopulationRecord>> {
    check_population(read_table(path, POPULATION_COLUMNS, &[])?)
}

/// The same from bytes in memory.
pub fn read_population_bytes(file: &str, bytes: &[u8]) -> Result<Checked<PopulationRecord>> {
    check_population(read_table_bytes(file, bytes, POPULATION_COLUMNS, &[])?)
}

fn check_population(table: Table) -> Result<Checked<PopulationRecord>> {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(LaCode, i32), u64> = HashMap::new();
    for (line, rec) in &table.rows {
        let mut r = RowReader {
            table: &table,
            line: *line,
            rec,
            errors: Vec::new(),
        };
        let la = r.la_code();
        let name = r.req("la_name", |v| Ok::<_, String>(v.to_string()));
        let year = r.req("year", |v| match v.parse::<i32>() {
            Ok(y) if (1990..=2100).contains(&y) => Ok(y),
            _ => Err("not a year from 1990 to 2100"),
        });
        let pop = r.req("population_18plus", |v| {
            match v.replace(',', "").parse::<u64>() {
                Ok(p) if p > 0 => Ok(p),
                _ => Err("not a whole number above 0"),
            }
        });
        if let (Some(la), Some(y)) = (&la, year) {
            if let Some(prev) = seen.insert((la.clone(), y), *line) {
                r.fail(
                    "year",
                    Some(&y.to_string()),
                    format!("{la} {y} is also on line {prev}"),
                );
            }
        }
        let errs = std::mem::take(&mut r.errors);
        if errs.is_empty() {
            if let (Some(la_code), Some(la_name), Some(year), Some(population_18plus)) =
                (la, name, year, pop)
            {
                records.push(PopulationRecord {
                    line: *line,
                    la_code,
                    la_name,
                    year,
                    population_18plus,
                });
            }
        } else {
            errors.extend(errs);
        }
    }
    finish(&table.file, records, errors, Vec::new())
}

/// Reads a targets file: `la_code,month,measure,unit,value`.
pub fn read_targets(path: &Path) -> Result<Checked<TargetRecord>> {
    check_targets(read_table(path, TARGET_COLUMNS, &[])?)
}

/// The same from bytes in memory.
pub fn read_targets_bytes(file: &str, bytes: &[u8]) -> Result<Checked<TargetRecord>> {
    check_targets(read_table_bytes(file, bytes, TARGET_COLUMNS, &[])?)
}

fn check_targets(table: Table) -> Result<Checked<TargetRecord>> {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(LaCode, YearMonth, Measure), u64> = HashMap::new();
    for (line, rec) in &table.rows {
        let mut r = RowReader {
            table: &table,
            line: *line,
            rec,
            errors: Vec::new(),
        };
        let la = r.la_code();
        let month = r.req("month", |v| {
            YearMonth::parse(v).map_err(|_| "not a month in the form YYYY-MM")
        });
        let measure = r.req("measure", |v| code_rule(Measure::parse(v)));
        let unit = r.req("unit", |v| code_rule(TargetUnit::parse(v)));
        let value = r.req("value", |v| match v.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
            _ => Err("not a number of 0 or more"),
        });
        if let (Some(la), Some(m), Some(me)) = (&la, month, measure) {
            if let Some(prev) = seen.insert((la.clone(), m, me), *line) {
                r.fail(
                    "measure",
                    Some(me.key()),
                    format!("a {} target for {la} {m} is also on line {prev}", me.key()),
                );
            }
        }
        let errs = std::mem::take(&mut r.errors);
        if errs.is_empty() {
            if let (Some(la_code), Some(month), Some(measure), Some(unit), Some(value)) =
                (la, month, measure, unit, value)
            {
                records.push(TargetRecord {
                    line: *line,
                    la_code,
                    month,
                    measure,
                    unit,
                    value,
                });
            }
        } else {
            errors.extend(errs);
        }
    }
    finish(&table.file, records, errors, Vec::new())
}
