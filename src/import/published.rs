//! Reader for NHS England's published monthly DTOC returns (`dtoc import published FILE`), for
//! benchmarking an area against England and its comparators. Five layouts are recognised by their
//! header row (see `tests/data/published/README.md`):
//!
//! - the collated 2011–2019 CSV **by reason**: `Code, Name`, eleven reason columns, `Total Delayed
//!   Transfers of Care`, `Period` ("July 2018");
//! - the collated CSV **by responsible organisation**: `Name, NHS, Social Care, Both, Period_year`
//!   (no authority code: the store matches the name to a code, see `Store::import_published`);
//! - an LA-Type-B sheet saved as CSV (`Region, ONS Geography, Code, Name, …`), **by reason**, **by
//!   responsible organisation** or **by type of care**; only the "Delayed Days" columns are read
//!   (DTOC beds are derived). These sheets do not name their month: it is taken from `--month`, else
//!   from the file name (`LA-Type-B-July-2018_la_by_reason.csv`).
//!
//! Rules:
//! - Reasons are matched by the code that starts a header (`Di) Awaiting …`), never by the label.
//!   The collated file's headers carry no code; its eleven reason columns are the published codes in
//!   their published order (A, B, C, Di, Dii, E, F, G, H, I, O), so they are taken by position
//!   after checking there are exactly eleven between `Name` and the total.
//! - Authority codes are kept as published: ONS codes, legacy codes (`508`, `00KB`), the
//!   non-authority rows of LA-Type-B (`9900` Resident in Wales). England (`-`) is stored as
//!   `E92000001`.
//! - `-`, `NA` and an empty cell are missing (stored as NULL, never as 0). Other values must be whole
//!   numbers of delayed days (`865` or `865.0`).
//! - Every line is read or reported: blank lines and the rows above the header are counted as
//!   skipped, with the reason; a bad value stops the import with file, line, column, value and rule
//!   (nothing is written).

use super::MAX_ERRORS;
use crate::domain::{Attribution, Measure, ReasonCode, Setting, YearMonth};
use crate::error::{Error, InputError, Result};
use std::path::Path;

/// England's ONS code, used for the published England rows (code `-`).
pub const ENGLAND: &str = "E92000001";

/// The layouts `dtoc import published` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    CollatedReason,
    CollatedOrganisation,
    TypeBReason,
    TypeBOrganisation,
    TypeBTypeOfCare,
}

impl Layout {
    pub fn describe(self) -> &'static str {
        match self {
            Self::CollatedReason => "collated returns by reason for delay",
            Self::CollatedOrganisation => "collated returns by responsible organisation",
            Self::TypeBReason => "LA-Type-B sheet by reason",
            Self::TypeBOrganisation => "LA-Type-B sheet by responsible organisation",
            Self::TypeBTypeOfCare => "LA-Type-B sheet by type of care",
        }
    }
}

/// What a figure is a count of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breakdown {
    pub measure: Measure,
    pub reason: Option<ReasonCode>,
    pub setting: Option<Setting>,
}

impl Breakdown {
    const TOTAL: Self = Self {
        measure: Measure::Total,
        reason: None,
        setting: None,
    };
}

/// One published figure: delayed days of one authority, month and breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedFigure {
    pub line: u64,
    pub month: YearMonth,
    /// As published; `None` when the file names the authority only (collated by organisation).
    pub la_code: Option<String>,
    pub la_name: String,
    pub breakdown: Breakdown,
    /// `None` where the return has `-` or `NA`.
    pub days: Option<u64>,
}

/// A file read and checked.
#[derive(Debug, Clone)]
pub struct PublishedFile {
    /// The file name (without directories): the source its rows are stored under.
    pub source: String,
    pub layout: Layout,
    pub figures: Vec<PublishedFigure>,
    /// Data rows read.
    pub rows: usize,
    /// Lines not read as data, with the reason (line, reason).
    pub skipped: Vec<(u64, String)>,
    /// Cells given as `-`, `NA` or empty.
    pub missing: usize,
}

/// Reads a published file. `month` names the month of an LA-Type-B sheet (else taken from the file
/// name); the collated files carry their own.
pub fn read_published(path: &Path, month: Option<YearMonth>) -> Result<PublishedFile> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    read_published_bytes(&name, &bytes, month)
}

/// Column plan: which column holds what.
struct Plan {
    layout: Layout,
    /// Column of the authority name.
    name: usize,
    /// Columns of the ONS code then the legacy code (first that is not `-` wins).
    codes: Vec<usize>,
    /// Column of the period (collated files).
    period: Option<usize>,
    values: Vec<(usize, Breakdown)>,
}

fn input(file: &str, line: u64, col: Option<&str>, value: Option<&str>, rule: &str) -> InputError {
    InputError {
        file: file.to_string(),
        line,
        column: col.map(str::to_string),
        value: value.map(crate::error::keep_value),
        rule: rule.to_string(),
    }
}

fn plan(file: &str, line: u64, h: &[String]) -> Result<Option<Plan>, InputError> {
    let at = |i: usize| h.get(i).map_or("", |s| s.as_str());
    let bad = |rule: &str| input(file, line, None, None, rule);
    if at(0) == "Code" && at(1) == "Name" && h.last().is_some_and(|x| x == "Period") {
        let total = h.len().saturating_sub(2);
        if !at(total).starts_with("Total") {
            return Err(bad(
                "the collated by-reason layout ends with a Total column, then Period",
            ));
        }
        let reasons = reason_columns(file, line, &h[2..total])?;
        let mut values: Vec<(usize, Breakdown)> = reasons
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i + 2, by_reason(r)))
            .collect();
        values.push((total, Breakdown::TOTAL));
        return Ok(Some(Plan {
            layout: Layout::CollatedReason,
            name: 1,
            codes: vec![0],
            period: Some(h.len() - 1),
            values,
        }));
    }
    if at(0) == "Name" && h.last().is_some_and(|x| x == "Period_year") {
        let mut values = Vec::new();
        for (i, col) in h.iter().enumerate().take(h.len() - 1).skip(1) {
            let a = Attribution::parse(col)
                .map_err(|_| input(file, line, Some(col), None, "not NHS, Social Care or Both"))?;
            values.push((i, by_attribution(a)));
        }
        let heads: Vec<&str> = h.iter().map(String::as_str).collect();
        expect_columns(file, line, &heads, &["NHS", "Social Care", "Both"])?;
        return Ok(Some(Plan {
            layout: Layout::CollatedOrganisation,
            name: 0,
            codes: vec![],
            period: Some(h.len() - 1),
            values,
        }));
    }
    if at(0) == "Region" && at(1) == "ONS Geography" && at(2) == "Code" && at(3) == "Name" {
        // Only the "Delayed Days" block: up to the first empty header (DTOC beds follow it).
        let block: Vec<(usize, &String)> = h
            .iter()
            .enumerate()
            .skip(4)
            .take_while(|(_, x)| !x.is_empty())
            .collect();
        let heads: Vec<&str> = block.iter().map(|(_, x)| x.as_str()).collect();
        if heads.contains(&"Acute") {
            expect_columns(file, line, &heads, &["Acute", "Non-Acute", "Total"])?;
        } else if heads.contains(&"NHS") {
            expect_columns(file, line, &heads, &["NHS", "Social Care", "Both", "Total"])?;
        }
        let (layout, values) = if heads.contains(&"Acute") {
            let mut v = Vec::new();
            for (i, x) in &block {
                v.push((
                    *i,
                    typeb_total_or(x, |s| Setting::parse(s).ok().map(by_setting))?,
                ));
            }
            (Layout::TypeBTypeOfCare, v)
        } else if heads.contains(&"NHS") {
            let mut v = Vec::new();
            for (i, x) in &block {
                v.push((
                    *i,
                    typeb_total_or(x, |s| Attribution::parse(s).ok().map(by_attribution))?,
                ));
            }
            (Layout::TypeBOrganisation, v)
        } else {
            let total = block.iter().position(|(_, x)| x.as_str() == "Total");
            let Some(total) = total else {
                return Err(bad("an LA-Type-B sheet has a Total column"));
            };
            let names: Vec<String> = block[..total].iter().map(|(_, x)| (*x).clone()).collect();
            let reasons = reason_columns(file, line, &names)?;
            let mut v: Vec<(usize, Breakdown)> = reasons
                .into_iter()
                .zip(&block)
                .map(|(r, (i, _))| (*i, by_reason(r)))
                .collect();
            v.push((block[total].0, Breakdown::TOTAL));
            (Layout::TypeBReason, v)
        };
        return Ok(Some(Plan {
            layout,
            name: 3,
            codes: vec![1, 2],
            period: None,
            values,
        }));
    }
    Ok(None)
}

/// Refuses a header row without the columns its layout needs, naming them.
fn expect_columns(
    file: &str,
    line: u64,
    heads: &[&str],
    needed: &[&str],
) -> Result<(), InputError> {
    let missing: Vec<String> = needed
        .iter()
        .filter(|n| !heads.iter().any(|h| h.eq_ignore_ascii_case(n)))
        .map(|n| format!("`{n}`"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(input(
        file,
        line,
        None,
        None,
        &format!(
            "the header has no column {} (this layout needs {})",
            missing.join(", "),
            needed.join(", ")
        ),
    ))
}

fn typeb_total_or(
    head: &str,
    f: impl Fn(&str) -> Option<Breakdown>,
) -> Result<Breakdown, InputError> {
    if head == "Total" {
        return Ok(Breakdown::TOTAL);
    }
    f(head).ok_or_else(|| InputError {
        file: String::new(),
        line: 0,
        column: Some(head.to_string()),
        value: None,
        rule: "not a column of the LA-Type-B layout".to_string(),
    })
}

fn by_reason(r: ReasonCode) -> Breakdown {
    Breakdown {
        reason: Some(r),
        ..Breakdown::TOTAL
    }
}

fn by_setting(s: Setting) -> Breakdown {
    Breakdown {
        setting: Some(s),
        ..Breakdown::TOTAL
    }
}

fn by_attribution(a: Attribution) -> Breakdown {
    let measure = match a {
        Attribution::Nhs => Measure::Nhs,
        Attribution::SocialCare => Measure::SocialCare,
        Attribution::Both => Measure::Both,
    };
    Breakdown {
        measure,
        ..Breakdown::TOTAL
    }
}

/// The reason of each header: by the code that starts it; when no header carries a code (the
/// collated file), by position in the published order, which needs exactly eleven columns.
fn reason_columns(file: &str, line: u64, heads: &[String]) -> Result<Vec<ReasonCode>, InputError> {
    let parsed: Vec<Option<ReasonCode>> = heads
        .iter()
        .map(|h| {
            // A code prefix is a short token followed by `)` / `-` / `:` / `.`: a bare label such as
            // "Disputes" must not read as a code.
            let has_prefix = h
                .find([')', ':', '.'])
                .or_else(|| h.find(" - "))
                .is_some_and(|i| i <= 4);
            if has_prefix {
                ReasonCode::parse(h).ok()
            } else {
                None
            }
        })
        .collect();
    if parsed.iter().all(Option::is_some) && !parsed.is_empty() {
        return Ok(parsed.into_iter().flatten().collect());
    }
    if parsed.iter().all(Option::is_none) && heads.len() == ReasonCode::ALL.len() {
        return Ok(ReasonCode::ALL.to_vec());
    }
    let bad = heads
        .iter()
        .zip(&parsed)
        .find(|(_, p)| p.is_none())
        .map(|(h, _)| h.as_str());
    Err(input(
        file,
        line,
        bad,
        None,
        "reason columns must each start with a national code (A) … O)) or be the eleven published columns in code order",
    ))
}

/// The month in a file name such as `LA-Type-B-July-2018_la_by_reason.csv`.
pub fn month_from_file_name(name: &str) -> Option<YearMonth> {
    let words: Vec<&str> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .find_map(|w| YearMonth::parse_long_name(&format!("{} {}", w[0], w[1])).ok())
}

fn days_value(v: &str) -> Result<Option<u64>, &'static str> {
    let v = v.trim();
    if v.is_empty() || v == "-" || v.eq_ignore_ascii_case("NA") {
        return Ok(None);
    }
    match v.replace(',', "").parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x < 1e12 => Ok(Some(x as u64)),
        _ => Err("not a whole number of delayed days, '-' or NA"),
    }
}

/// The same from bytes in memory. `file` names the source.
pub fn read_published_bytes(
    file: &str,
    bytes: &[u8],
    month: Option<YearMonth>,
) -> Result<PublishedFile> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let lines = super::LineIndex::new(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut plan_found: Option<Plan> = None;
    let mut skipped = Vec::new();
    let mut figures = Vec::new();
    let mut errors: Vec<InputError> = Vec::new();
    let mut rows = 0;
    let mut missing = 0;
    let mut sheet_month = month;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = lines.line(e.position());
            Error::Input(input(
                file,
                line,
                None,
                None,
                &format!("not readable as CSV: {e}"),
            ))
        })?;
        let line = lines.line(rec.position());
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            skipped.push((line, "blank line".to_string()));
            continue;
        }
        let Some(p) = &plan_found else {
            match plan(file, line, &cells) {
                Ok(Some(p)) => {
                    if p.period.is_none() && sheet_month.is_none() {
                        sheet_month = month_from_file_name(file);
                        if sheet_month.is_none() {
                            return Err(Error::Input(input(
                                file,
                                0,
                                None,
                                None,
                                "an LA-Type-B sheet does not name its month: give --month YYYY-MM (or keep the month in the file name, e.g. LA-Type-B-July-2018_la_by_reason.csv)",
                            )));
                        }
                    }
                    plan_found = Some(p);
                    skipped.push((line, "header row".to_string()));
                }
                Ok(None) => skipped.push((line, "above the header row".to_string())),
                Err(mut e) => {
                    if e.file.is_empty() {
                        e.file = file.to_string();
                        e.line = line;
                    }
                    return Err(Error::Input(e));
                }
            }
            continue;
        };
        rows += 1;
        let needed = p
            .values
            .iter()
            .map(|(c, _)| *c)
            .chain(p.period)
            .chain([p.name])
            .max()
            .map_or(0, |c| c + 1);
        if cells.len() < needed {
            errors.push(input(
                file,
                line,
                None,
                None,
                &format!(
                    "has {} cells where the header has at least {needed}",
                    cells.len()
                ),
            ));
            continue;
        }
        let name = cells.get(p.name).cloned().unwrap_or_default();
        if name.is_empty() {
            errors.push(input(
                file,
                line,
                Some("Name"),
                None,
                "an authority name is required",
            ));
            continue;
        }
        let la_code = p
            .codes
            .iter()
            .filter_map(|c| cells.get(*c))
            .find(|c| !c.is_empty() && c.as_str() != "-")
            .cloned()
            .or_else(|| (name == "England").then(|| ENGLAND.to_string()));
        let this_month = match p.period {
            Some(c) => {
                let v = cells.get(c).map_or("", |s| s.as_str());
                match YearMonth::parse_long_name(v) {
                    Ok(m) => m,
                    Err(_) => {
                        errors.push(input(
                            file,
                            line,
                            Some("Period"),
                            Some(v),
                            "not a month such as July 2018",
                        ));
                        continue;
                    }
                }
            }
            None => match sheet_month {
                Some(m) => m,
                None => continue,
            },
        };
        for (c, breakdown) in &p.values {
            let v = cells.get(*c).map_or("", |s| s.as_str());
            match days_value(v) {
                Ok(days) => {
                    if days.is_none() {
                        missing += 1;
                    }
                    figures.push(PublishedFigure {
                        line,
                        month: this_month,
                        la_code: la_code.clone(),
                        la_name: name.clone(),
                        breakdown: *breakdown,
                        days,
                    });
                }
                Err(rule) => {
                    let head = column_name(p.layout, *breakdown);
                    errors.push(input(file, line, Some(&head), Some(v), rule));
                }
            }
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    let Some(p) = plan_found else {
        return Err(Error::Input(input(
            file,
            0,
            None,
            None,
            "no header row of a published layout found (collated by reason or by responsible organisation, or an LA-Type-B sheet)",
        )));
    };
    if rows == 0 {
        return Err(Error::Input(input(
            file,
            0,
            None,
            None,
            "the file has a header but no data rows",
        )));
    }
    match errors.len() {
        0 => Ok(PublishedFile {
            source: file.to_string(),
            layout: p.layout,
            figures,
            rows,
            skipped,
            missing,
        }),
        1 => Err(Error::Input(errors.remove(0))),
        _ => Err(Error::Inputs(errors)),
    }
}

/// A name for a value column in messages.
fn column_name(_layout: Layout, b: Breakdown) -> String {
    match (b.reason, b.setting) {
        (Some(r), _) => format!("reason {}", r.code()),
        (_, Some(s)) => s.label().to_string(),
        _ => b.measure.label().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_comes_from_the_file_name() {
        assert_eq!(
            month_from_file_name("LA-Type-B-July-2018_la_by_reason.csv"),
            YearMonth::new(2018, 7)
        );
        assert_eq!(month_from_file_name("figures.csv"), None);
    }

    #[test]
    fn values_missing_and_bad() {
        assert_eq!(days_value("865.0"), Ok(Some(865)));
        assert_eq!(days_value("-"), Ok(None));
        assert_eq!(days_value("NA"), Ok(None));
        assert!(days_value("12.5").is_err());
        assert!(days_value("lots").is_err());
    }

    #[test]
    fn a_short_row_is_an_error_not_missing_figures() {
        let text = "Name,NHS,Social Care,Both,Period_year\nRutland,4,1\n";
        let err = read_published_bytes("org.csv", text.as_bytes(), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "org.csv line 2: has 3 cells where the header has at least 5"
        );
    }

    #[test]
    fn a_bad_cell_names_file_line_column_value_and_rule() {
        let text = "Name,NHS,Social Care,Both,Period_year\nRutland,4,x,0,July 2018\n";
        let err = read_published_bytes("org.csv", text.as_bytes(), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "org.csv line 2, Social Care x: not a whole number of delayed days, '-' or NA"
        );
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn lines_are_numbered_from_the_file() {
        let text = ",,,,Delayed Days,,,,DTOC Beds,,\r\nRegion,ONS Geography,Code,Name,Acute,Non-Acute,Total,,Acute,Non-Acute,Total\r\nEast Midlands,E10000018,508,Leicestershire,564.0,414.0,978.0,,18.19,13.35,31.54\r\n";
        let f = read_published_bytes("care.csv", text.as_bytes(), YearMonth::new(2018, 7)).unwrap();
        assert_eq!(
            f.skipped,
            vec![
                (1, "above the header row".to_string()),
                (2, "header row".to_string())
            ]
        );
        assert_eq!(f.figures[0].line, 3);
        assert_eq!(f.figures[0].days, Some(564));
    }
}
