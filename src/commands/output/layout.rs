//! The published layouts of `dtoc export sitrep` (NHS England's LA-Type-B sheets) and `dtoc
//! export acute-sitrep` / `community-sitrep` (the discharge sitreps' tables): grids of cells with
//! header rows and group titles, as CSV files (CRLF lines for LA-Type-B, as published; flat
//! tables or the long format for the discharge sitreps) or one deterministic XLSX workbook. Part
//! of the one output writer ([`super`]).

use crate::report::sitrep::{self, Cell as SCell, Sitrep};
use crate::report::sitrep_grid::{self as grid, Cell, Head, OrgKind, OrgRow, Return};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// How a layout's CSV files are written.
#[derive(Clone, Copy)]
struct CsvStyle {
    /// CRLF line ends (as the LA-Type-B CSVs are published).
    crlf: bool,
    /// Rows of different lengths allowed.
    flexible: bool,
}

/// Writes one CSV file per `(file name, rows)` into `dir` (no header handling: the rows carry
/// their own); returns their paths.
fn csv_files<'a>(
    dir: &Path,
    tables: impl Iterator<Item = (&'a str, Vec<Vec<String>>)>,
    style: CsvStyle,
) -> Result<Vec<PathBuf>> {
    let tables: Vec<(PathBuf, Vec<Vec<String>>)> =
        tables.map(|(file, rows)| (dir.join(file), rows)).collect();
    // All or none: every file is checked before the first is written.
    for (path, _) in &tables {
        super::check_output(path)?;
    }
    let mut out = Vec::new();
    for (path, rows) in tables {
        let mut b = csv::WriterBuilder::new();
        b.has_headers(false).flexible(style.flexible);
        if style.crlf {
            b.terminator(csv::Terminator::CRLF);
        }
        let mut w = b.from_writer(super::create_output(&path, false)?);
        for row in rows {
            w.write_record(row.iter().map(|c| super::csv_safe(c).into_owned()))?;
        }
        w.flush()
            .with_context(|| format!("writing {}", path.display()))?;
        out.push(path);
    }
    Ok(out)
}

/// Writes the three CSV files into `dir`; returns their paths.
pub fn sitrep_csv(s: &Sitrep, dir: &Path) -> Result<Vec<PathBuf>> {
    let names: Vec<String> = s
        .tables
        .iter()
        .map(|t| sitrep::csv_name(s.month, t.file))
        .collect();
    let tables = s.tables.iter().zip(&names).map(|(t, name)| {
        let rows = t.rows.iter().map(|r| r.iter().map(SCell::csv).collect());
        (name.as_str(), rows.collect())
    });
    let style = CsvStyle {
        crlf: true,
        flexible: false,
    };
    csv_files(dir, tables, style)
}

/// Writes the workbook (one sheet per table) into `dir`; returns its path. The workbook's creation
/// date is `created` (the export's today), so the same data gives the same bytes.
pub fn sitrep_xlsx(s: &Sitrep, dir: &Path, created: NaiveDate) -> Result<PathBuf> {
    use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDCE6F1))
        .set_border_bottom(FormatBorder::Thin);
    let over = header.clone().set_align(FormatAlign::Center);
    let days = Format::new().set_num_format("#,##0");
    let beds = Format::new().set_num_format("#,##0.00");
    let star = Format::new().set_align(FormatAlign::Right);
    let mut wb = super::deterministic_workbook(created)?;
    for t in &s.tables {
        let ws = wb.add_worksheet();
        ws.set_name(t.sheet)?;
        let mut widths: Vec<usize> = Vec::new();
        for (r, row) in t.rows.iter().enumerate() {
            let is_header = r < t.header_rows;
            let rn = u32::try_from(r).context("too many rows")?;
            for (c, cell) in row.iter().enumerate() {
                let cn = u16::try_from(c).context("too many columns")?;
                let shown = match cell {
                    SCell::Empty => {
                        if is_header {
                            ws.write_blank(rn, cn, &header)?;
                        }
                        0
                    }
                    SCell::Text(x) => {
                        if is_header {
                            ws.write_string_with_format(rn, cn, x, &header)?;
                        } else {
                            ws.write_string(rn, cn, x)?;
                        }
                        // The title over a group of columns spans them: it sets no width.
                        if is_header && r + 1 < t.header_rows {
                            0
                        } else {
                            x.chars().count()
                        }
                    }
                    SCell::Days(d) => {
                        ws.write_number_with_format(rn, cn, *d as f64, &days)?;
                        format!("{d}").len() + d.to_string().len() / 3
                    }
                    SCell::Suppressed => {
                        ws.write_string_with_format(rn, cn, "*", &star)?;
                        1
                    }
                    SCell::Beds(b) => {
                        ws.write_number_with_format(rn, cn, *b, &beds)?;
                        format!("{b:.2}").len() + (b.abs() as u64).to_string().len() / 3
                    }
                };
                if widths.len() <= c {
                    widths.resize(c + 1, 0);
                }
                widths[c] = widths[c].max(shown);
            }
        }
        // Titles over groups of columns ("Delayed Days", "DTOC Beds"): centred over their group.
        if t.header_rows == 2 {
            if let Some(first) = t.rows.first() {
                let starts: Vec<usize> = first
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| matches!(c, SCell::Text(_)))
                    .map(|(i, _)| i)
                    .collect();
                let width = t.rows.get(1).map_or(0, Vec::len);
                for (k, &start) in starts.iter().enumerate() {
                    // Each group ends before the blank separator column or at the table's end.
                    let end = starts
                        .get(k + 1)
                        .map_or(width.saturating_sub(1), |next| next.saturating_sub(2));
                    if end > start {
                        if let SCell::Text(title) = &first[start] {
                            ws.merge_range(0, start as u16, 0, end as u16, title, &over)?;
                        }
                    }
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            let w = if *w == 0 { 3.0 } else { *w as f64 + 2.0 };
            ws.set_column_width(c as u16, w)?;
        }
        ws.set_freeze_panes(t.header_rows as u32, 4)?;
    }
    let path = dir.join(sitrep::xlsx_name(s.month));
    super::save(&mut wb, &path)?;
    Ok(path)
}

/// The CSV file name of a table in the long format: `table2_criteria_to_reside_long.csv`.
fn long_name(file: &str) -> String {
    format!("{}_long.csv", file.trim_end_matches(".csv"))
}

/// The last row of a return's CSV file: whether the month is complete, where a spreadsheet shows
/// it (flat: in the name column; long: the measure `complete` with its value).
fn status_row(r: &Return, width: usize, long: bool) -> Vec<String> {
    let mut row = if long {
        vec![
            r.month.key(),
            "-".into(),
            "-".into(),
            "-".into(),
            r.status_text(),
            "complete".into(),
            r.complete().to_string(),
        ]
    } else {
        vec!["-".into(), "-".into(), "-".into(), r.status_text()]
    };
    row.resize(width.max(row.len()), String::new());
    row
}

/// Writes a sitrep return's tables as CSV files into `dir`, one flat table per file: a header row
/// (`level, region, code, name`, then a column per group and measure), then a row per
/// organisation; the title is in the file name. `long`: one row per period × organisation ×
/// measure instead. Returns their paths.
pub fn return_csv(r: &Return, dir: &Path, long: bool) -> Result<Vec<PathBuf>> {
    let lead = ["level", "region", "code", "name"].map(String::from);
    let org = |o: &OrgRow| [o.kind.key(), &o.region, &o.code, &o.name].map(String::from);
    let mut files = Vec::new();
    for t in &r.tables {
        let mut rows: Vec<Vec<String>> = Vec::new();
        if long {
            let mut h = vec!["period".to_string()];
            h.extend(lead.clone());
            h.extend(["measure", "value"].map(String::from));
            rows.push(h);
            for x in grid::long_rows(t) {
                let mut row = vec![x.period];
                row.extend(org(x.row));
                row.extend([x.measure.to_string(), x.value]);
                rows.push(row);
            }
            rows.push(status_row(r, rows[0].len(), true));
            files.push((r.csv_name(&long_name(t.file)), rows));
            continue;
        }
        let mut h = lead.to_vec();
        for g in &t.groups {
            for l in &t.labels {
                h.push(if t.groups.len() == 1 {
                    l.clone()
                } else {
                    format!("{}: {l}", g.title())
                });
            }
        }
        rows.push(h);
        for o in &t.rows {
            let mut row = org(o).to_vec();
            row.extend(o.values.iter().map(Cell::csv));
            rows.push(row);
        }
        rows.push(status_row(r, rows[0].len(), false));
        files.push((r.csv_name(t.file), rows));
    }
    let style = CsvStyle {
        crlf: false,
        flexible: false,
    };
    csv_files(
        dir,
        files.iter().map(|(f, rows)| (f.as_str(), rows.clone())),
        style,
    )
}

/// Writes a sitrep return as one workbook (a sheet per table, laid out as published: the title;
/// the group headers, a day as an Excel date, merged over their columns; the published column
/// headers; the total row; then a block per kind of organisation under its header row; counts
/// `#,##0`, averages `#,##0.00`) into `dir`; returns its path.
pub fn return_xlsx(r: &Return, dir: &Path, created: NaiveDate) -> Result<PathBuf> {
    use rust_xlsxwriter::{Color, Format, FormatAlign};
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xDCE6F1));
    let group = header.clone().set_align(FormatAlign::Center);
    let day = group.clone().set_num_format("dd/mm/yyyy");
    let title = Format::new().set_bold();
    let count = Format::new().set_num_format("#,##0");
    let average = Format::new().set_num_format("#,##0.00");
    let star = Format::new().set_align(FormatAlign::Right);
    let mut wb = super::deterministic_workbook(created)?;
    for t in &r.tables {
        let ws = wb.add_worksheet();
        ws.set_name(t.sheet)?;
        ws.write_string_with_format(0, 0, &t.title, &title)?;
        // Row 2: the suppression note, then whether the month is complete.
        let mut status_col = 0;
        if let Some(n) = t.suppressed {
            ws.write_string(1, 0, grid::suppression_note(n))?;
            status_col = 3;
        }
        ws.write_string_with_format(1, status_col, r.status_text(), &title)?;
        let width = t.labels.len();
        for (g, head) in t.groups.iter().enumerate() {
            let first = u16::try_from(3 + g * width).context("too many columns")?;
            let last = first + u16::try_from(width.max(1) - 1).context("too many columns")?;
            match head {
                Head::Day(d) => {
                    let d = super::excel_date(*d)?;
                    if last > first {
                        ws.merge_range(2, first, 2, last, "", &day)?;
                    }
                    ws.write_datetime_with_format(2, first, &d, &day)?;
                }
                Head::Week(_) | Head::Month(..) if last > first => {
                    ws.merge_range(2, first, 2, last, &head.title(), &group)?;
                }
                Head::Week(_) | Head::Month(..) => {
                    ws.write_string_with_format(2, first, head.title(), &group)?;
                }
            }
            for (l, label) in t.labels.iter().enumerate() {
                ws.write_string_with_format(3, first + l as u16, label, &header)?;
            }
        }
        let mut rn: u32 = 4;
        let mut kind = None;
        for o in &t.rows {
            if kind != Some(o.kind) && o.kind != OrgKind::Total {
                rn += 1;
                for (c, x) in o.kind.block_header().iter().enumerate() {
                    ws.write_string_with_format(rn, c as u16, *x, &header)?;
                }
                rn += 1;
            }
            kind = Some(o.kind);
            for (c, x) in [&o.region, &o.code, &o.name].iter().enumerate() {
                if !x.is_empty() {
                    ws.write_string(rn, c as u16, x.as_str())?;
                }
            }
            for (c, v) in o.values.iter().enumerate() {
                let cn = u16::try_from(3 + c).context("too many columns")?;
                match v {
                    Cell::Count(n) => ws.write_number_with_format(rn, cn, *n as f64, &count)?,
                    Cell::Average(x) => ws.write_number_with_format(rn, cn, *x, &average)?,
                    Cell::Suppressed => ws.write_string_with_format(rn, cn, "*", &star)?,
                };
            }
            rn += 1;
        }
        ws.set_column_width(0, 14)?;
        ws.set_column_width(1, 12)?;
        ws.set_column_width(2, 32)?;
        for c in 3..3 + t.groups.len() * width {
            ws.set_column_width(u16::try_from(c).context("too many columns")?, 16)?;
        }
        ws.set_freeze_panes(4, 3)?;
    }
    let path = dir.join(r.xlsx_name());
    super::save(&mut wb, &path)?;
    Ok(path)
}
