//! The format of an output, decided in one place for every command: `--format` when given, else
//! the extension of `--out`, else the command's default (the terminal table). A `--format` that
//! contradicts the extension (`--format csv --out y.xlsx`) is refused, and so is a file whose
//! extension says no format when `--format` is absent.

use crate::commands::output::Format;
use anyhow::{bail, Result};
use std::path::Path;

/// A format as the command line names it, with the file extensions that mean it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    Report(Format),
    Svg,
    Png,
}

/// Every extension that names a format, whichever command is run: a file named so is taken to be
/// in that format (so `--out y.svg` is refused by a report, not written as a table).
const EXTENSIONS: [(&str, Named); 6] = [
    ("txt", Named::Report(Format::Table)),
    ("csv", Named::Report(Format::Csv)),
    ("json", Named::Report(Format::Json)),
    ("xlsx", Named::Report(Format::Xlsx)),
    ("svg", Named::Svg),
    ("png", Named::Png),
];

impl Named {
    /// The word `--format` takes.
    pub fn word(self) -> &'static str {
        match self {
            Named::Report(Format::Table) => "table",
            Named::Report(Format::Csv) => "csv",
            Named::Report(Format::Json) => "json",
            Named::Report(Format::Xlsx) => "xlsx",
            Named::Svg => "svg",
            Named::Png => "png",
        }
    }

    /// The extension of a file in this format.
    fn extension(self) -> &'static str {
        EXTENSIONS
            .iter()
            .find(|(_, n)| *n == self)
            .map_or("", |(e, _)| e)
    }
}

/// The format the extension of `path` names: `Ok(None)` for no extension, `Err` (the extension)
/// for one that names no format.
fn of_extension(path: &Path) -> Result<Option<Named>, String> {
    let Some(ext) = path.extension() else {
        return Ok(None);
    };
    let ext = ext.to_string_lossy().to_ascii_lowercase();
    EXTENSIONS
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, n)| Some(*n))
        .ok_or(ext)
}

/// The formats `allowed` in words: `table, csv, json or xlsx`.
fn words(allowed: &[Named]) -> String {
    let w: Vec<&str> = allowed.iter().map(|n| n.word()).collect();
    match w.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => w.join(""),
    }
}

/// The extensions of `allowed`: `.txt, .csv, .json or .xlsx`.
fn extensions(allowed: &[Named]) -> String {
    let w: Vec<String> = allowed
        .iter()
        .map(|n| format!(".{}", n.extension()))
        .collect();
    match w.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => w.join(""),
    }
}

/// The format of a command's output: `given` (`--format`), else the extension of `out`, else
/// `default` (when there is no file). `allowed`: the formats this command writes.
pub fn resolve(
    given: Option<Named>,
    out: Option<&Path>,
    allowed: &[Named],
    default: Option<Named>,
) -> Result<Named> {
    if let Some(g) = given {
        if !allowed.contains(&g) {
            bail!(
                "--format {}: this command writes {}",
                g.word(),
                words(allowed)
            );
        }
    }
    let from_file = match out.map(of_extension) {
        None | Some(Ok(None)) => None,
        Some(Ok(Some(n))) => Some(n),
        Some(Err(ext)) if given.is_none() => bail!(
            "--out {}: .{ext} names no format; give --format ({}) or name the file {}",
            out.map_or(String::new(), |p| p.display().to_string()),
            words(allowed),
            extensions(allowed)
        ),
        // With --format, a file may be named as the user likes.
        Some(Err(_)) => None,
    };
    let path = || out.map_or(String::new(), |p| p.display().to_string());
    match (given, from_file) {
        (Some(g), Some(f)) if g != f => bail!(
            "--format {} contradicts --out {} (a .{} file is {}): make them agree, or leave one out",
            g.word(),
            path(),
            f.extension(),
            f.word()
        ),
        (Some(g), _) => Ok(g),
        (None, Some(f)) if allowed.contains(&f) => Ok(f),
        (None, Some(f)) => bail!(
            "--out {}: this command writes {} ({}), not {}",
            path(),
            words(allowed),
            extensions(allowed),
            f.word()
        ),
        (None, None) if out.is_some() => bail!(
            "--out {}: the file has no extension to give its format; give --format ({}) or name it {}",
            path(),
            words(allowed),
            extensions(allowed)
        ),
        (None, None) => default.ok_or_else(|| {
            anyhow::anyhow!("--format is needed: {}", words(allowed))
        }),
    }
}

/// The formats of the reports: table (the terminal, or a .txt file), csv, json, xlsx.
pub const REPORT: [Named; 4] = [
    Named::Report(Format::Table),
    Named::Report(Format::Csv),
    Named::Report(Format::Json),
    Named::Report(Format::Xlsx),
];

/// The formats of a patient-level file: csv, json, xlsx (never the terminal).
pub const PATIENTS: [Named; 3] = [
    Named::Report(Format::Csv),
    Named::Report(Format::Json),
    Named::Report(Format::Xlsx),
];

/// The formats of a chart.
pub const PICTURE: [Named; 2] = [Named::Svg, Named::Png];

/// A chart's file: named `.svg` or `.png` (the extension gives the picture), `--format` agreeing.
pub fn picture(given: Option<Named>, out: &Path) -> Result<Named> {
    if !matches!(of_extension(out), Ok(Some(_))) {
        bail!(
            "--out {}: a chart's file name must end in .svg or .png",
            out.display()
        );
    }
    resolve(given, Some(out), &PICTURE, None)
}

/// [`resolve`] for a report or a table export: the [`Format`] the output writer takes (table when
/// there is no file and no `--format`). XLSX needs a file.
pub fn table_format(
    given: Option<Format>,
    out: Option<&Path>,
    allowed: &[Named],
) -> Result<Format> {
    let default = out.is_none().then_some(Named::Report(Format::Table));
    match resolve(given.map(Named::Report), out, allowed, default)? {
        Named::Report(Format::Xlsx) if out.is_none() => {
            bail!("--format xlsx needs --out FILE.xlsx")
        }
        Named::Report(f) => Ok(f),
        other => bail!("{} is not a table format", other.word()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(given: Option<Format>, out: Option<&str>) -> Result<Format, String> {
        table_format(given, out.map(Path::new), &REPORT).map_err(|e| e.to_string())
    }

    #[test]
    fn the_format_comes_from_the_flag_else_the_extension_else_the_terminal() {
        assert_eq!(report(None, None), Ok(Format::Table));
        assert_eq!(report(Some(Format::Json), None), Ok(Format::Json));
        assert_eq!(report(None, Some("m.CSV")), Ok(Format::Csv));
        assert_eq!(report(None, Some("m.xlsx")), Ok(Format::Xlsx));
        assert_eq!(report(None, Some("m.txt")), Ok(Format::Table));
        assert_eq!(report(None, Some("m.json")), Ok(Format::Json));
        assert_eq!(report(Some(Format::Csv), Some("m.csv")), Ok(Format::Csv));
        // With --format, any name that does not say otherwise.
        assert_eq!(report(Some(Format::Csv), Some("m.dat")), Ok(Format::Csv));
        assert_eq!(report(Some(Format::Json), Some("m")), Ok(Format::Json));
    }

    #[test]
    fn a_contradiction_or_an_unknown_extension_is_refused() {
        assert_eq!(
            report(Some(Format::Csv), Some("y.xlsx")),
            Err(
                "--format csv contradicts --out y.xlsx (a .xlsx file is xlsx): make them agree, \
                 or leave one out"
                    .into()
            )
        );
        assert_eq!(
            report(None, Some("y.dat")),
            Err(
                "--out y.dat: .dat names no format; give --format (table, csv, json or xlsx) \
                 or name the file .txt, .csv, .json or .xlsx"
                    .into()
            )
        );
        assert_eq!(
            report(None, Some("y")),
            Err(
                "--out y: the file has no extension to give its format; give --format (table, \
                 csv, json or xlsx) or name it .txt, .csv, .json or .xlsx"
                    .into()
            )
        );
        assert_eq!(
            report(None, Some("y.svg")),
            Err(
                "--out y.svg: this command writes table, csv, json or xlsx (.txt, .csv, .json \
                 or .xlsx), not svg"
                    .into()
            )
        );
        assert_eq!(
            report(Some(Format::Xlsx), None),
            Err("--format xlsx needs --out FILE.xlsx".into())
        );
        assert_eq!(
            table_format(Some(Format::Table), Some(Path::new("p.csv")), &PATIENTS)
                .map_err(|e| e.to_string()),
            Err("--format table: this command writes csv, json or xlsx".into())
        );
    }

    #[test]
    fn a_picture_agrees_with_its_file() {
        let pic = |g: Option<Named>, out: &str| {
            resolve(g, Some(Path::new(out)), &PICTURE, None).map_err(|e| e.to_string())
        };
        assert_eq!(pic(None, "c.svg"), Ok(Named::Svg));
        assert_eq!(pic(Some(Named::Png), "c.PNG"), Ok(Named::Png));
        assert!(pic(Some(Named::Png), "c.svg")
            .unwrap_err()
            .starts_with("--format png contradicts --out c.svg"));
        assert!(pic(None, "c.csv")
            .unwrap_err()
            .starts_with("--out c.csv: this command writes svg or png"));
        let named =
            |g: Option<Named>, out: &str| picture(g, Path::new(out)).map_err(|e| e.to_string());
        assert_eq!(named(Some(Named::Png), "c.png"), Ok(Named::Png));
        for out in ["c", "c.dat"] {
            assert_eq!(
                named(Some(Named::Png), out),
                Err(format!(
                    "--out {out}: a chart's file name must end in .svg or .png"
                ))
            );
        }
        assert!(named(Some(Named::Png), "c.svg")
            .unwrap_err()
            .starts_with("--format png contradicts --out c.svg"));
    }
}
