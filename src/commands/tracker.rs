//! `dtoc import tracker` and the app's tracker import (Settings): a hub's own spreadsheet read
//! through a column mapping ([`crate::import::tracker`]), shown as dtoc reads it (the mapping,
//! the first rows, every row refused), and then stored by the delays import itself
//! ([`Store::import_delays_with`]): the same rules, all or nothing, one transaction. The mapping
//! used is kept in the database for the next import, and written as TOML on request.

use crate::domain::text::echo;
use crate::import::tracker::mapping::Mapping;
use crate::import::tracker::{read_tracker, KnownSite, TrackerOptions, TrackerRead};
use crate::progress::Progress;
use crate::store::{ImportPath, Store};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What to read, as the command line or the app's form gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrackerRequest {
    pub file: PathBuf,
    /// The sheet to read [default: the mapping's, else the first with a header row].
    pub sheet: Option<String>,
    /// The header's row as the spreadsheet numbers it [default: found].
    pub header_row: Option<u32>,
    /// A mapping file (TOML) [default: the one saved in the database, else suggested].
    pub mapping: Option<PathBuf>,
    /// `column=value` for every row, over the mapping's.
    pub set: Vec<(String, String)>,
    /// The largest file read.
    pub max_bytes: u64,
}

/// Where the mapping used came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingFrom {
    /// A mapping file (`--mapping`), by its name.
    File(String),
    /// The mapping the database kept from the last tracker import.
    Saved,
    /// Suggested from the sheet's headers.
    Suggested,
    /// Suggested, because the saved mapping does not fit this file (why).
    SavedDidNotFit(String),
}

/// A tracker read and checked, not yet stored.
#[derive(Debug, Clone)]
pub struct Preview {
    pub read: TrackerRead,
    pub from: MappingFrom,
}

impl Preview {
    /// Whether it can be stored: every column has a value and no row is refused.
    pub fn ready(&self) -> bool {
        self.read.checked.is_some()
    }

    /// Rows that would be stored.
    pub fn rows(&self) -> usize {
        self.read.checked.as_ref().map_or(0, |c| c.records.len())
    }
}

/// `column=value` (`--set provider=RWE`, or one entry of the app's field).
pub fn parse_set(s: &str) -> Result<(String, String), String> {
    let (c, v) = s
        .split_once('=')
        .ok_or_else(|| format!("`{}` is not column=value (e.g. provider=RWE)", echo(s)))?;
    let c = c.trim().to_ascii_lowercase();
    if !crate::import::tracker::mapping::delay_columns().any(|k| k == c) {
        return Err(format!(
            "`{}` is not a column of the delays file (columns: {})",
            echo(&c),
            crate::import::tracker::mapping::delay_columns()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok((c, v.trim().to_string()))
}

/// The register's authorities by name and sites by code and name (lower case), for a tracker
/// that names them its own way.
fn known(store: &Store) -> crate::Result<TrackerOptions> {
    let mut authorities = HashMap::new();
    for a in store.authorities()? {
        if let Some(n) = &a.name {
            authorities.insert(n.trim().to_lowercase(), a.code.clone());
        }
    }
    let mut sites = HashMap::new();
    for s in store.sites()? {
        let k = KnownSite {
            code: s.code.clone(),
            provider: s.provider_code.clone(),
            setting: s.setting,
        };
        if let Some(n) = &s.name {
            sites.insert(n.trim().to_lowercase(), k.clone());
        }
        sites.insert(s.code.to_lowercase(), k);
    }
    Ok(TrackerOptions {
        authorities,
        sites,
        ..TrackerOptions::default()
    })
}

/// The file's name as errors give it.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads and checks the tracker of `req` as of `today`, with the mapping file given, else the
/// one the database kept (when it fits this file), else the one suggested by its headers.
pub fn preview(store: &Store, req: &TrackerRequest, today: NaiveDate) -> crate::Result<Preview> {
    let bytes = crate::import::read_input(&req.file, req.max_bytes)?;
    let file = file_name(&req.file);
    let mut opts = known(store)?;
    opts.sheet = req.sheet.clone();
    opts.header_row = req.header_row;
    opts.fixed = req.set.clone();
    if let Some(m) = &req.mapping {
        let text = String::from_utf8(crate::import::read_input(m, 1_000_000)?)
            .map_err(|_| crate::Error::input(&file_name(m), 0, None, None, "is not UTF-8 text"))?;
        opts.mapping = Some(Mapping::parse(&file_name(m), &text)?);
        let read = read_tracker(&file, &bytes, &opts, today)?;
        return Ok(Preview {
            read,
            from: MappingFrom::File(file_name(m)),
        });
    }
    if let Some(text) = store.tracker_mapping()? {
        let saved = Mapping::parse("the saved mapping", &text);
        let why = match saved {
            Ok(m) => {
                opts.mapping = Some(m);
                match read_tracker(&file, &bytes, &opts, today) {
                    Ok(read) => {
                        return Ok(Preview {
                            read,
                            from: MappingFrom::Saved,
                        })
                    }
                    Err(crate::Error::Input(e)) => e.rule,
                    Err(e) => return Err(e),
                }
            }
            Err(e) => e.to_string(),
        };
        opts.mapping = None;
        let read = read_tracker(&file, &bytes, &opts, today)?;
        return Ok(Preview {
            read,
            from: MappingFrom::SavedDidNotFit(why),
        });
    }
    let read = read_tracker(&file, &bytes, &opts, today)?;
    Ok(Preview {
        read,
        from: MappingFrom::Suggested,
    })
}

/// What the preview says about how the file is read: the place and header row, where the
/// mapping came from, each column and its header (or value), the headers not read, and the
/// columns still needing a value.
pub fn reading_lines(p: &Preview) -> Vec<String> {
    let r = &p.read;
    let mut lines = vec![format!(
        "{}: header on row {}; mapping {}",
        r.place,
        r.header_row,
        match &p.from {
            MappingFrom::File(f) => format!("from {f}"),
            MappingFrom::Saved => "saved in the database by the last tracker import".to_string(),
            MappingFrom::Suggested => "suggested from the headers".to_string(),
            MappingFrom::SavedDidNotFit(why) =>
                format!("suggested from the headers (the saved one does not fit: {why})"),
        }
    )];
    for (c, from) in column_sources(p) {
        lines.push(match from {
            Source::Header(h) => format!("  {c:<16} <- {}", echo(h)),
            Source::Fixed(v) => format!("  {c:<16} =  {} (every row)", echo(v)),
            Source::Site => format!("  {c:<16} =  the site's, from Settings"),
        });
    }
    if !r.unused.is_empty() {
        lines.push(format!(
            "Not read: {}",
            r.unused
                .iter()
                .map(|h| echo(h))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !r.missing.is_empty() {
        lines.push(format!(
            "Needed on every row, but no header gives it: {}. Map a header in a mapping file \
             (--save-mapping FILE, edit it, then --mapping FILE) or give one value for every \
             row (--set {}=VALUE).",
            r.missing.join(", "),
            r.missing[0]
        ));
    }
    lines
}

/// Where a column of the delays file takes its value from.
enum Source<'a> {
    Header(&'a str),
    Fixed(&'a str),
    /// The provider or type of care of the row's site, from the register.
    Site,
}

/// Each column read, in the delays file's order, and where its value comes from.
fn column_sources(p: &Preview) -> Vec<(&'static str, Source<'_>)> {
    let r = &p.read;
    let from_site = |c: &str| {
        r.rows
            .first()
            .is_some_and(|(_, cells)| cells.iter().any(|(k, _)| k == c))
    };
    crate::import::tracker::mapping::delay_columns()
        .filter_map(|c| {
            let from = if let Some(h) = r.mapping.columns.get(c) {
                Source::Header(h)
            } else if let Some(v) = r.mapping.fixed(c) {
                Source::Fixed(v)
            } else if from_site(c) {
                Source::Site
            } else {
                return None;
            };
            Some((c, from))
        })
        .collect()
}

/// The mapping in one line, for the app: `Hosp No -> local_id, provider = RWE, …`.
pub fn mapping_line(p: &Preview) -> String {
    let parts: Vec<String> = column_sources(p)
        .into_iter()
        .map(|(c, from)| match from {
            Source::Header(h) => format!("{} -> {c}", echo(h)),
            Source::Fixed(v) => format!("{c} = {}", echo(v)),
            Source::Site => format!("{c} = the site's"),
        })
        .collect();
    format!("Columns: {}", parts.join(", "))
}

/// The first `n` rows as dtoc reads them (NHS numbers masked): a header line and a line each.
pub fn row_lines(p: &Preview, n: usize) -> Vec<Vec<String>> {
    let Some((_, first)) = p.read.rows.first() else {
        return Vec::new();
    };
    let mut out = vec![std::iter::once("row".to_string())
        .chain(first.iter().map(|(c, _)| c.clone()))
        .collect::<Vec<_>>()];
    for (row, cells) in p.read.rows.iter().take(n) {
        out.push(
            std::iter::once(row.to_string())
                .chain(cells.iter().map(|(_, v)| echo(v)))
                .collect(),
        );
    }
    out
}

/// The verdict in a line: what would be stored, or why nothing can be.
pub fn verdict(p: &Preview) -> String {
    let r = &p.read;
    if !r.missing.is_empty() {
        return format!(
            "Nothing can be imported: no value for {}.",
            r.missing.join(", ")
        );
    }
    if !r.refusals.is_empty() {
        let more = if r.refusals.len() >= crate::import::MAX_ERRORS {
            " (the first listed; reading stopped there)"
        } else {
            ""
        };
        return format!(
            "Nothing can be imported: {} refused{more}; every row is imported or none \
             (correct the tracker or the mapping and read it again).",
            plural(r.refusals.len(), "row")
        );
    }
    format!(
        "{} read, none refused: ready to import.",
        plural(p.rows(), "row")
    )
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Stores a ready preview through the delays import (one transaction, all or nothing) and keeps
/// its mapping in the database for the next import: what was imported, in a line.
pub fn store_preview(
    store: &mut Store,
    p: &Preview,
    progress: &dyn Progress,
) -> crate::Result<String> {
    let Some(checked) = &p.read.checked else {
        return Err(crate::Error::Invalid(verdict(p)));
    };
    let summary = store.import_delays_with(checked, ImportPath::Auto, progress)?;
    store.set_tracker_mapping(&p.read.mapping.to_toml())?;
    Ok(format!("{}: {summary}", p.read.place))
}

/// How `dtoc import tracker` goes on after the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// `--dry-run`: the preview only.
    DryRun,
    /// `--yes`: import without asking.
    Yes,
    /// Ask (the command line asks on a terminal; elsewhere nothing is imported).
    Ask,
}

/// How many rows the command line's preview shows.
pub const PREVIEW_ROWS: usize = 10;

/// `dtoc import tracker FILE`: the preview on `out`, then (`confirm`) the import. `ask` puts the
/// question to the user and says yes or no, or `None` when nobody can be asked (no terminal).
/// `save_mapping` writes the mapping used as TOML (even on a dry run).
#[allow(clippy::too_many_arguments)]
pub fn import_tracker(
    store: &mut Store,
    req: &TrackerRequest,
    save_mapping: Option<&Path>,
    confirm: Confirm,
    ask: &mut dyn FnMut(&str) -> Option<bool>,
    today: NaiveDate,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    crate::import::open_input(&req.file, req.max_bytes)?;
    let p = preview(store, req, today)?;
    for l in reading_lines(&p) {
        writeln!(out, "{l}")?;
    }
    writeln!(
        out,
        "Dates such as 03/07/18 are read as UK dates, day/month/year (3 July 2018)."
    )?;
    let rows = row_lines(&p, PREVIEW_ROWS);
    if !rows.is_empty() {
        writeln!(
            out,
            "\nThe first rows as dtoc reads them ({} of {}):",
            rows.len() - 1,
            p.read.rows.len()
        )?;
        let widths: Vec<_> = (0..rows[0].len())
            .map(|i| {
                let w = rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
                crate::commands::output::Align::Left(w.min(24))
            })
            .collect();
        crate::commands::output::write_columns(out, &widths, &rows)?;
    }
    if !p.read.refusals.is_empty() {
        writeln!(out, "\nRefused:")?;
        for e in &p.read.refusals {
            writeln!(out, "  {e}")?;
        }
    }
    for w in &p.read.warnings {
        writeln!(out, "warning: {w}")?;
    }
    if let Some(path) = save_mapping {
        let mut f = crate::commands::output::create_output(path, false)?;
        f.write_all(p.read.mapping.to_toml().as_bytes())?;
        writeln!(out, "Mapping written to {}.", path.display())?;
    }
    let verdict = verdict(&p);
    writeln!(out, "\n{verdict}")?;
    if !p.ready() {
        anyhow::bail!("nothing imported from {}", p.read.place);
    }
    let go = match confirm {
        Confirm::DryRun => {
            writeln!(out, "Dry run: nothing imported.")?;
            return Ok(());
        }
        Confirm::Yes => true,
        Confirm::Ask => match ask(&format!(
            "Import {} into the register? [y/N] ",
            plural(p.rows(), "row")
        )) {
            Some(yes) => yes,
            None => anyhow::bail!(
                "nothing imported: no terminal to confirm on; add --yes to import (or --dry-run \
                 to preview only)"
            ),
        },
    };
    if !go {
        writeln!(out, "Nothing imported.")?;
        return Ok(());
    }
    // A site whose first record this import enters is covered from today, as `import delays`.
    store.set_entry_day(today);
    let done = store_preview(store, &p, progress);
    progress.finish();
    writeln!(out, "Imported {}", done?)?;
    writeln!(
        out,
        "The mapping is saved in the database: the next `dtoc import tracker` reads the same way."
    )?;
    Ok(())
}
