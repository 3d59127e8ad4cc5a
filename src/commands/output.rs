//! The one output writer: tables to the terminal or to a file as table, CSV, JSON or XLSX, for
//! the CLI and the app alike. Every CSV and XLSX dtoc writes goes through here: the report tables
//! ([`write()`], [`emit`]), the published layouts of the sitreps ([`layout`]), the fixed-width
//! terminal summaries ([`write_columns`]) and the patient-level files ([`write_private`], created
//! 0600 from the start).

pub mod layout;

use crate::domain::text::escape_controls;
use crate::report::suppress::{suppress_tables, TableCell};
use crate::report::table::{Kind, Table, Value};
use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate, Timelike};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Output formats of reports and exports: table (terminal), csv, json, xlsx (one sheet per table;
/// needs a file). The CLI has its clap mirror (`cli::FormatArg`), the app its own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
    Xlsx,
}

/// Where a report goes and how much it hides: `--out FILE` (else the terminal) and `--suppress N`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dest {
    pub out: Option<PathBuf>,
    pub suppress: u64,
}

impl Dest {
    /// The plain terminal: no file, nothing suppressed.
    pub fn is_terminal(&self) -> bool {
        self.out.is_none() && self.suppress == 0
    }
}

/// Suppresses and writes `tables` where `dest` and `format` say; names the file written.
pub fn emit(
    tables: Vec<Table>,
    format: Format,
    dest: &Dest,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    emit_linked(tables, &[], format, dest, today, out)
}

/// [`emit`] for tables whose totals are in another table: `links` are the additive groups across
/// tables (see [`suppress_tables`]).
pub fn emit_linked(
    mut tables: Vec<Table>,
    links: &[Vec<TableCell>],
    format: Format,
    dest: &Dest,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    suppress_tables(&mut tables, links, dest.suppress);
    emit_suppressed(&tables, format, dest, today, out)
}

/// Writes `tables` already suppressed ([`suppress_tables`] over a wider set of tables than the
/// format writes: `report weekly`'s CSV, its detail alone, hides what its JSON hides beside the
/// table by authority); names the file written.
pub fn emit_suppressed(
    tables: &[Table],
    format: Format,
    dest: &Dest,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    write(tables, format, dest.out.as_deref(), today, out)?;
    if let Some(p) = &dest.out {
        writeln!(out, "wrote {}", p.display())?;
    }
    Ok(())
}

/// Writes a patient-level file: created 0600 (owner only) from the start, so that no other user
/// can open it even for a moment; an existing file is truncated and made 0600 too. Returns the note
/// to show when an existing file was readable by others and has been tightened.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<Option<String>> {
    let wider = wider_than_owner(path);
    let mut f = create_output(path, true)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    f.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(wider.then(|| {
        format!(
            "{} could be read by other users: it is now owner-only (0600)",
            path.display()
        )
    }))
}

thread_local! {
    /// Whether an output file may replace an existing file (`true` unless the command line,
    /// without `--force`, says otherwise: the app names its own files). Per thread: a command runs
    /// on the thread that parsed it.
    static REPLACE_EXISTING: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Whether [`create_output`] may replace an existing file: the command line sets it from `--force`.
pub fn replace_existing_files(yes: bool) {
    REPLACE_EXISTING.set(yes);
}

fn refused_link(path: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "{} is a symbolic link: dtoc does not write through one (give the file's own path)",
        path.display()
    )
}

fn refused_existing(path: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "{} already exists; use --force to replace it",
        path.display()
    )
}

/// What [`create_output`] refuses, checked without writing: a symbolic link, or an existing file
/// without `--force`. An export of several files checks them all first, so that it writes all or
/// none of them.
pub fn check_output(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(refused_link(path)),
        Ok(_) if !REPLACE_EXISTING.get() => Err(refused_existing(path)),
        _ => Ok(()),
    }
}

/// Opens the file `path` an export writes (created, or truncated), 0600 from the start when
/// `private`. A symbolic link is refused, never followed (checked first for the words, and by
/// `O_NOFOLLOW` when opening, so a link put there in between is refused too): an export must not
/// overwrite whatever file a link points at. An existing file is replaced only when
/// [`replace_existing_files`] allows it (`--force`); otherwise it is refused in words (and by
/// `O_EXCL`, so a file created in between is not replaced either).
pub fn create_output(path: &Path, private: bool) -> Result<std::fs::File> {
    check_output(path)?;
    let replace = REPLACE_EXISTING.get();
    let mut opts = std::fs::OpenOptions::new();
    if replace {
        opts.write(true).create(true).truncate(true);
    } else {
        opts.write(true).create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW);
        if private {
            opts.mode(0o600);
        }
    }
    opts.open(path).map_err(|e| {
        if e.raw_os_error() == Some(libc::ELOOP) {
            refused_link(path)
        } else if e.kind() == std::io::ErrorKind::AlreadyExists {
            refused_existing(path)
        } else {
            anyhow::Error::new(e).context(format!("writing {}", path.display()))
        }
    })
}

/// Whether an existing file at `path` gives any permission to its group or others.
fn wider_than_owner(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Writes `tables` in `format` to the patient-level file `path` (0600, see [`write_private`]).
pub fn write_private_tables(
    tables: &[Table],
    format: Format,
    path: &Path,
    created: NaiveDate,
) -> Result<Option<String>> {
    write_private(path, &render(tables, format, created)?)
}

/// `s` padded with spaces to `width` characters, on the left when `right` aligns it. Written out
/// rather than with `format!("{s:<w$}")`, whose width must fit in 16 bits: a stored value of
/// 70,000 characters made that panic.
fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = width.saturating_sub(s.chars().count());
    let mut out = String::with_capacity(s.len() + fill);
    if right {
        out.extend(std::iter::repeat_n(' ', fill));
    }
    out.push_str(s);
    if !right {
        out.extend(std::iter::repeat_n(' ', fill));
    }
    out
}

/// How a fixed-width column is aligned in [`write_columns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left(usize),
    Right(usize),
}

/// A fixed-width text table (the terminal summaries): each line is its cells padded as `cols`
/// say, joined by one space. A `Left(0)` column is written as it is (an empty one gives a double
/// space; a last one, an unpadded note).
pub fn write_columns(out: &mut dyn Write, cols: &[Align], rows: &[Vec<String>]) -> Result<()> {
    for r in rows {
        let cells: Vec<String> = cols
            .iter()
            .zip(r)
            .map(|(a, s)| {
                let s = escape_controls(s);
                match *a {
                    Align::Left(w) => pad(&s, w, false),
                    Align::Right(w) => pad(&s, w, true),
                }
            })
            .collect();
        writeln!(out, "{}", cells.join(" "))?;
    }
    Ok(())
}

/// Writes `tables` in `format`: to `out` (stdout), or to the file `path` when given (XLSX needs a
/// file). Several tables: one after another (terminal), one CSV section each separated by a blank
/// line, one JSON document with a `tables` list ([`to_json`]), or one XLSX sheet each.
pub fn write(
    tables: &[Table],
    format: Format,
    path: Option<&Path>,
    created: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    if format == Format::Xlsx {
        let Some(path) = path else {
            bail!("--format xlsx needs --out FILE.xlsx")
        };
        return write_xlsx(tables, path, created);
    }
    let buf = render(tables, format, created)?;
    to_file_or(path, &buf, out)
}

/// Writes `bytes` to the file `path` when given, else to `out`.
pub fn to_file_or(path: Option<&Path>, bytes: &[u8], out: &mut dyn Write) -> Result<()> {
    match path {
        Some(p) => create_output(p, false)?
            .write_all(bytes)
            .with_context(|| format!("writing {}", p.display()))?,
        None => out.write_all(bytes)?,
    }
    Ok(())
}

/// `tables` in `format`, as the bytes [`write()`] writes (XLSX: the workbook file).
pub fn render(tables: &[Table], format: Format, created: NaiveDate) -> Result<Vec<u8>> {
    let mut buf: Vec<u8> = Vec::new();
    match format {
        Format::Table => {
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
        Format::Csv => {
            for (i, t) in tables.iter().enumerate() {
                if i > 0 {
                    writeln!(buf)?;
                }
                write_csv(t, &mut buf)?;
            }
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut buf, &to_json(tables, created))?;
            writeln!(buf)?;
        }
        Format::Xlsx => {
            return workbook(tables, created)?
                .save_to_buffer()
                .context("writing the workbook")
        }
    }
    Ok(buf)
}

/// A plain text table: the title, notes, then columns padded to their widest cell (numbers right).
/// A stored control character is never printed raw (it is shown escaped, `\x1b`).
pub fn write_text(t: &Table, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "{}", escape_controls(&t.title))?;
    for n in &t.notes {
        writeln!(out, "{}", escape_controls(n))?;
    }
    let cells: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(c, v)| escape_controls(&t.cell_text(c, v, true)))
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
                    Some(Kind::Text | Kind::Date | Kind::Month) | None => pad(s, w, false),
                    _ => pad(s, w, true),
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
    w.write_record(t.columns.iter().map(|c| csv_safe(&c.name).into_owned()))?;
    for r in &t.rows {
        w.write_record(r.iter().enumerate().map(|(c, v)| match v {
            Value::Text(s) => csv_safe(s).into_owned(),
            _ => t.cell_text(c, v, false),
        }))?;
    }
    w.flush()?;
    Ok(())
}

/// A text cell as a CSV may hold it: one that a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, so it is shown as the text it is. A number
/// (`-5`, `+1.5`) or a lone `-` is left as it is.
pub fn csv_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && s != "-" && s.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The reports by the sheet name of their (first) table: the `report` of a JSON document, and
/// whether it is a multi-table report (written with `tables` even when it has one table, so that
/// its shape never depends on the options). A sheet not listed is named by its own snake_case.
const REPORTS: &[(&str, &str, bool)] = &[
    ("Monthly report", "monthly", false),
    ("Benchmark", "benchmark", false),
    ("SPC", "spc", false),
    ("Pathways", "pathways", false),
    ("DRD", "drd", false),
    ("Length of stay", "los", false),
    ("Criteria to reside", "nctr", false),
    ("Weekly by authority", "weekly", true),
    ("Weekly detail", "weekly", true),
    ("Reconciliation", "reconcile", false),
    ("Queues now", "queues", true),
    ("Forecast summary", "forecast", true),
    ("Backtest", "forecast_backtest", false),
    ("Audit log", "audit", false),
    ("Patients", "patients", false),
    ("Long stay patients", "long_stay", false),
];

/// `s` as one snake_case key: lower case, every run of other characters one `_` (`hit and miss`
/// and `hit_and_miss` are both `hit_and_miss`; `/100k/d` is `100k_d`); a sign before a number is a
/// word (`queue_cap-10` is `queue_cap_minus_10`, `queue_cap+10` is `queue_cap_plus_10`), so that
/// the two stay two keys; a range stays a range (`days_2-3` is `days_2_3`).
pub fn json_key(s: &str) -> String {
    let mut k = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    let sep = |k: &mut String| {
        if !k.is_empty() && !k.ends_with('_') {
            k.push('_');
        }
    };
    for (i, &ch) in chars.iter().enumerate() {
        let before_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        // `2-3` is a range, not a minus.
        let after_digit = i > 0 && chars[i - 1].is_ascii_digit();
        if ch.is_alphanumeric() {
            k.extend(ch.to_lowercase());
        } else if before_digit && (ch == '+' || (ch == '-' && !after_digit)) {
            sep(&mut k);
            k.push_str(if ch == '+' { "plus_" } else { "minus_" });
        } else {
            sep(&mut k);
        }
    }
    while k.ends_with('_') {
        k.pop();
    }
    k
}

/// The JSON keys of `t`'s columns ([`json_key`]), each one once: a key met before gets `_2`,
/// `_3`.. (no report has two such columns; this keeps a document valid if one ever does).
pub fn json_keys(t: &Table) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    t.columns
        .iter()
        .map(|c| {
            let base = json_key(&c.name);
            let mut k = base.clone();
            let mut n = 1;
            while !seen.insert(k.clone()) {
                n += 1;
                k = format!("{base}_{n}");
            }
            k
        })
        .collect()
}

/// The `report` name of `tables` and whether it is written with `tables` (see [`REPORTS`]).
fn report_of(tables: &[Table]) -> (String, bool) {
    let sheet = tables.first().map_or("", |t| t.sheet.as_str());
    match REPORTS.iter().find(|(s, _, _)| *s == sheet) {
        Some((_, r, multi)) => ((*r).to_string(), *multi || tables.len() > 1),
        None => (json_key(sheet), tables.len() > 1),
    }
}

/// One cell as JSON: numbers as numbers (a whole-number column always an integer), booleans as
/// booleans, months `YYYY-MM`, dates `YYYY-MM-DD`, moments (UTC) `YYYY-MM-DDTHH:MM:SSZ`; empty, an empty
/// text, a number that is not finite and a suppressed cell are `null`.
pub fn json_cell(kind: Kind, v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Empty | Value::Suppressed => J::Null,
        Value::Text(s) if s.is_empty() => J::Null,
        Value::Text(s) => J::from(s.as_str()),
        Value::Int(n) => J::from(*n),
        Value::Real(x) if !x.is_finite() => J::Null,
        Value::Real(x) if matches!(kind, Kind::Count | Kind::Integer | Kind::Year) => {
            // Whole-number columns: an integer (a signed change is held as a real).
            J::from(x.round() as i64)
        }
        Value::Real(x) => J::from(*x),
        Value::Date(d) => J::from(d.format("%Y-%m-%d").to_string()),
        Value::Month(m) => J::from(m.key()),
        Value::DateTime(t) => J::from(t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        Value::Bool(b) => J::from(*b),
    }
}

/// The cells of `t` hidden by `--suppress`, as `"row/column"`: the row's index in `rows` (from 0)
/// and the column's key.
pub fn suppressed_cells(t: &Table) -> Vec<String> {
    let keys = json_keys(t);
    let mut out = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if *v == Value::Suppressed {
                out.push(format!("{r}/{}", keys.get(c).map_or("", String::as_str)));
            }
        }
    }
    out
}

/// One table as the JSON object of the contract (docs/output.md): its `title`, `notes`, `rows`
/// (objects keyed by the columns' snake_case keys) and `suppressed` cells.
pub fn table_json(t: &Table) -> serde_json::Map<String, serde_json::Value> {
    let keys = json_keys(t);
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let obj: serde_json::Map<String, serde_json::Value> = t
                .columns
                .iter()
                .zip(&keys)
                .zip(r)
                .map(|((c, k), v)| (k.clone(), json_cell(c.kind, v)))
                .collect();
            serde_json::Value::Object(obj)
        })
        .collect();
    let mut m = serde_json::Map::new();
    m.insert("title".into(), t.title.clone().into());
    m.insert("notes".into(), t.notes.clone().into());
    m.insert("rows".into(), serde_json::Value::Array(rows));
    m.insert("suppressed".into(), suppressed_cells(t).into());
    m
}

/// The JSON document of `tables` (docs/output.md): `{"report", "generated_for", "title", "notes",
/// "rows", "suppressed"}` for a report of one table; `{"report", "generated_for", "tables": [{"name",
/// "title", "notes", "rows", "suppressed"}, ..]}` for a multi-table report.
pub fn to_json(tables: &[Table], today: NaiveDate) -> serde_json::Value {
    let (report, multi) = report_of(tables);
    let mut doc = serde_json::Map::new();
    doc.insert("report".into(), report.into());
    doc.insert(
        "generated_for".into(),
        today.format("%Y-%m-%d").to_string().into(),
    );
    if multi {
        let list = tables
            .iter()
            .map(|t| {
                let mut m = serde_json::Map::new();
                m.insert("name".into(), json_key(&t.sheet).into());
                m.extend(table_json(t));
                serde_json::Value::Object(m)
            })
            .collect();
        doc.insert("tables".into(), serde_json::Value::Array(list));
    } else if let Some(t) = tables.first() {
        doc.extend(table_json(t));
    }
    serde_json::Value::Object(doc)
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
    save(&mut workbook(tables, created)?, path)
}

/// The workbook of `tables`, one sheet per table.
pub fn workbook(tables: &[Table], created: NaiveDate) -> Result<rust_xlsxwriter::Workbook> {
    let mut wb = deterministic_workbook(created)?;
    for t in tables {
        add_sheet(&mut wb, t)?;
    }
    Ok(wb)
}

/// Saves `wb` at `path`, as every output file is written ([`create_output`]: an existing file only
/// with `--force`, never through a symbolic link).
pub fn save(wb: &mut rust_xlsxwriter::Workbook, path: &Path) -> Result<()> {
    let bytes = wb
        .save_to_buffer()
        .with_context(|| format!("writing {}", path.display()))?;
    create_output(path, false)?
        .write_all(&bytes)
        .with_context(|| format!("writing {}", path.display()))
}

/// The spreadsheet name of column `c` (from 0): A, B, .., Z, AA, ..
fn column_letters(c: usize) -> String {
    let mut n = c + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The cell that says which figures of a sheet are suppressed: `Suppressed figures (shown *): C7,
/// D7, ..` (spreadsheet references; `header` is the header row, from 0), or `None` when none is.
/// A long list is cut at 200 references and says how many more.
pub fn suppressed_note(t: &Table, header: u32) -> Option<String> {
    const MAX: usize = 200;
    let mut refs = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if *v == Value::Suppressed {
                refs.push(format!("{}{}", column_letters(c), header as usize + 2 + r));
            }
        }
    }
    if refs.is_empty() {
        return None;
    }
    let n = refs.len();
    let more = n.saturating_sub(MAX);
    refs.truncate(MAX);
    let mut s = format!(
        "Suppressed figures (shown *), {n} cell{}: {}",
        if n == 1 { "" } else { "s" },
        refs.join(", ")
    );
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    Some(s)
}

/// Adds `t` as a sheet of `wb`: title and notes on top (and, when any figure is suppressed, a
/// cell naming the suppressed cells), then the header row (bold, shaded, frozen with everything
/// above it) and the rows. Months and dates are Excel dates, moments Excel date-times, years plain
/// whole numbers (2018), other whole numbers `#,##0`.
pub fn add_sheet(wb: &mut rust_xlsxwriter::Workbook, t: &Table) -> Result<()> {
    use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDCE6F1))
        .set_border_bottom(FormatBorder::Thin);
    let title = Format::new().set_bold().set_font_size(12);
    let count = Format::new().set_num_format("#,##0");
    let year = Format::new().set_num_format("0");
    let rate = Format::new().set_num_format("#,##0.00");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let month = Format::new().set_num_format("mmm yyyy");
    let moment = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let star = Format::new().set_align(FormatAlign::Right);
    let ws = wb.add_worksheet();
    let name: String = t.sheet.chars().take(31).collect();
    ws.set_name(&name)?;
    ws.write_string_with_format(0, 0, &t.title, &title)?;
    for (i, n) in t.notes.iter().enumerate() {
        ws.write_string(u32::try_from(i + 1)?, 0, n)?;
    }
    let any_suppressed = t.rows.iter().flatten().any(|v| *v == Value::Suppressed);
    let head = u32::try_from(t.notes.len() + 1 + usize::from(any_suppressed))?;
    if let Some(note) = suppressed_note(t, head) {
        ws.write_string(head - 1, 0, &note)?;
    }
    let mut widths: Vec<usize> = t.columns.iter().map(|c| c.name.chars().count()).collect();
    for (c, col) in t.columns.iter().enumerate() {
        ws.write_string_with_format(head, u16::try_from(c)?, &col.name, &header)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let rn = head + 1 + u32::try_from(r)?;
        for (c, v) in row.iter().enumerate() {
            let cn = u16::try_from(c)?;
            let kind = t.columns.get(c).map_or(Kind::Text, |x| x.kind);
            let whole = if kind == Kind::Year { &year } else { &count };
            let shown = match v {
                Value::Empty => 0,
                Value::Text(s) => {
                    ws.write_string(rn, cn, s)?;
                    s.chars().count()
                }
                Value::Int(n) => {
                    ws.write_number_with_format(rn, cn, *n as f64, whole)?;
                    let digits = n.to_string().len();
                    digits + (digits.saturating_sub(1)) / 3
                }
                Value::Real(x) => {
                    let f = if matches!(kind, Kind::Count | Kind::Integer | Kind::Year) {
                        whole
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
                Value::DateTime(dt) => {
                    let d = excel_date(dt.date())?.and_hms(
                        dt.hour() as u16,
                        dt.minute() as u8,
                        f64::from(dt.second()),
                    )?;
                    ws.write_datetime_with_format(rn, cn, &d, &moment)?;
                    19
                }
                Value::Bool(b) => {
                    ws.write_boolean(rn, cn, *b)?;
                    5
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
mod tests;

#[cfg(test)]
mod private_tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn private_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("patients.csv");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        let note = write_private(&p, b"new").unwrap();
        assert!(note.unwrap().contains("now owner-only (0600)"));
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn columns_pad_and_join_with_one_space() {
        let mut out = Vec::new();
        let cols = [
            Align::Left(4),
            Align::Right(3),
            Align::Left(0),
            Align::Left(0),
        ];
        let rows = vec![vec!["ab".into(), "7".into(), String::new(), "note".into()]];
        write_columns(&mut out, &cols, &rows).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "ab     7  note\n");
    }
}
