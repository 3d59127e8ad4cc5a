//! The published layouts of `dtoc export sitrep` (NHS England's LA-Type-B sheets) and `dtoc
//! export acute-sitrep` (tables 2 to 5 of the acute discharge sitrep): grids of cells with header
//! rows and group titles, as CSV files (CRLF lines for LA-Type-B, as published) or one
//! deterministic XLSX workbook. Part of the one output writer ([`super`]).

use crate::report::acute_sitrep::{self, AcuteSitrep, Cell as ACell};
use crate::report::sitrep::{self, Cell as SCell, Sitrep};
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
    let mut out = Vec::new();
    for (file, rows) in tables {
        let path = dir.join(file);
        let mut b = csv::WriterBuilder::new();
        b.has_headers(false).flexible(style.flexible);
        if style.crlf {
            b.terminator(csv::Terminator::CRLF);
        }
        let mut w = b
            .from_path(&path)
            .with_context(|| format!("writing {}", path.display()))?;
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
    let tables = s.tables.iter().map(|t| {
        let rows = t.rows.iter().map(|r| r.iter().map(SCell::csv).collect());
        (t.file, rows.collect())
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
    wb.save(&path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// Writes the four CSV files into `dir` (a blank row between blocks as three empty cells);
/// returns their paths.
pub fn acute_sitrep_csv(s: &AcuteSitrep, dir: &Path) -> Result<Vec<PathBuf>> {
    let tables = s.tables.iter().map(|t| {
        let rows = t.rows.iter().map(|r| {
            if r.is_empty() {
                vec![String::new(); 3]
            } else {
                r.iter().map(ACell::csv).collect()
            }
        });
        (t.file, rows.collect())
    });
    let style = CsvStyle {
        crlf: false,
        flexible: true,
    };
    csv_files(dir, tables, style)
}

/// Writes the workbook (a sheet per table) into `dir`; returns its path.
pub fn acute_sitrep_xlsx(s: &AcuteSitrep, dir: &Path, created: NaiveDate) -> Result<PathBuf> {
    use rust_xlsxwriter::{Color, Format, FormatAlign};
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xDCE6F1));
    let title = Format::new().set_bold();
    let average = Format::new().set_num_format("0.00");
    let star = Format::new().set_align(FormatAlign::Right);
    let mut wb = super::deterministic_workbook(created)?;
    for t in &s.tables {
        let ws = wb.add_worksheet();
        ws.set_name(t.sheet)?;
        for (r, row) in t.rows.iter().enumerate() {
            let rn = u32::try_from(r).context("too many rows")?;
            let is_header = t.header_rows.contains(&r);
            for (c, cell) in row.iter().enumerate() {
                let cn = u16::try_from(c).context("too many columns")?;
                match cell {
                    ACell::Empty => {}
                    ACell::Text(x) if r == 0 => {
                        ws.write_string_with_format(rn, cn, x, &title)?;
                    }
                    ACell::Text(x) if is_header => {
                        ws.write_string_with_format(rn, cn, x, &header)?;
                    }
                    ACell::Text(x) => {
                        ws.write_string(rn, cn, x)?;
                    }
                    ACell::Count(n) => {
                        ws.write_number(rn, cn, *n as f64)?;
                    }
                    ACell::Average(x) => {
                        ws.write_number_with_format(rn, cn, *x, &average)?;
                    }
                    ACell::Suppressed => {
                        ws.write_string_with_format(rn, cn, "*", &star)?;
                    }
                }
            }
        }
        ws.set_column_width(0, 14)?;
        ws.set_column_width(1, 12)?;
        ws.set_column_width(2, 32)?;
        let width = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        for c in 3..width {
            ws.set_column_width(u16::try_from(c).context("too many columns")?, 16)?;
        }
        ws.set_freeze_panes(3, 3)?;
    }
    let path = dir.join(acute_sitrep::xlsx_name(s.month));
    wb.save(&path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}
