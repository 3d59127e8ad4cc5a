//! `dtoc export …`: the month in the published sitrep layouts, the patient-level list and the
//! audit log. Each reads the store, builds the layout with `report`, and writes it through
//! [`super::output`] (patient-level files 0600).

use super::monthly::month_not_future;
use super::output::{self, layout, Format};
use crate::domain::{Setting, StayFacts, YearMonth};
use crate::report::acute_sitrep::{acute_sitrep, Input};
use crate::report::community_sitrep::community_sitrep;
use crate::report::discharge;
use crate::report::monthly::days_counted;
use crate::report::patients::{patients_table, PatientsExport};
use crate::report::sitrep::{self, sitrep};
use crate::report::sitrep_grid::{self, Orgs};
use crate::store::{DelayFilter, DelayRow, FileAction, Site, Store};
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The files of a sitrep layout: CSV files or one workbook (no other format has a layout).
fn layout_files(
    dir: &Path,
    format: Format,
    csv: impl FnOnce(&Path) -> Result<Vec<PathBuf>>,
    xlsx: impl FnOnce(&Path) -> Result<PathBuf>,
) -> Result<Vec<PathBuf>> {
    if dir.exists() && !dir.is_dir() {
        bail!(
            "--out-dir {}: this is a file; give the folder to write the files into",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    match format {
        Format::Csv => csv(dir),
        Format::Xlsx => Ok(vec![xlsx(dir)?]),
        Format::Table | Format::Json => bail!("the sitrep layouts are written as csv or xlsx"),
    }
}

/// `dtoc export sitrep`: reads the month's counts, builds the tables and writes them into `dir`.
pub fn sitrep_export(
    store: &Store,
    month: YearMonth,
    dir: &Path,
    format: Format,
    suppress_n: u64,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    month_not_future("--month", month, today)?;
    if let Some(why) = sitrep::before_coverage(month, &store.coverage()?) {
        bail!("{why}");
    }
    if days_counted(month, today) == 0 {
        bail!(
            "{} has not begun as of {today}: nothing to export",
            month.long_name()
        );
    }
    let counts = store.month_counts(month, month, &[], today)?;
    let authorities = store.authorities()?;
    let mut s = sitrep(&counts, &authorities, month, today);
    let decided = super::suppression::decided(store, [month], today, suppress_n)?;
    sitrep::suppress(
        &mut s,
        decided.get(&month).unwrap_or(&Default::default()),
        suppress_n,
    );
    let england = crate::import::published::ENGLAND.to_string();
    let published = sitrep::PublishedEngland {
        authorities: store.published_authorities(month)?,
        days: store
            .published_totals(&[england], month, month)?
            .first()
            .map(|p| [p.nhs, p.social_care, p.both, p.total]),
    };
    sitrep::label_england(&mut s, &authorities, &published);
    sitrep::mark_complete(&mut s);
    if !s.complete {
        eprintln!(
            "note: {} is not over as of {today}: PARTIAL month, {} of {} days counted (to {}); \
             DTOC beds are delayed days ÷ {} days",
            month.long_name(),
            s.days_counted,
            month.days(),
            today.pred_opt().unwrap_or(today),
            s.days_counted
        );
    }
    let written = layout_files(
        dir,
        format,
        |d| layout::sitrep_csv(&s, d),
        |d| layout::sitrep_xlsx(&s, d, today),
    )?;
    let what = if s.complete {
        month.long_name()
    } else {
        format!(
            "{} (PARTIAL: {} of {} days, as of {today})",
            month.long_name(),
            s.days_counted,
            month.days()
        )
    };
    for p in written {
        writeln!(out, "{what}: wrote {}", p.display())?;
    }
    Ok(())
}

/// How a discharge sitrep return is written.
#[derive(Debug, Clone, Copy)]
pub struct ReturnOptions {
    pub format: Format,
    /// `--suppress N` (0: none).
    pub suppress: u64,
    /// `--long`: CSV files with one row per period × organisation × measure.
    pub long: bool,
}

/// `dtoc export acute-sitrep`: the month of the register's acute sites, written into `dir`.
pub fn acute_sitrep_export(
    store: &Store,
    month: YearMonth,
    dir: &Path,
    opts: ReturnOptions,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    discharge_return(store, Setting::Acute, month, dir, opts, today, out)
}

/// `dtoc export community-sitrep`: the month of the register's non-acute sites (community beds),
/// written into `dir`.
pub fn community_sitrep_export(
    store: &Store,
    month: YearMonth,
    dir: &Path,
    opts: ReturnOptions,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    discharge_return(store, Setting::NonAcute, month, dir, opts, today, out)
}

/// Reads the month's stays at the sites of `setting`, builds the return and writes it.
fn discharge_return(
    store: &Store,
    setting: Setting,
    month: YearMonth,
    dir: &Path,
    opts: ReturnOptions,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    month_not_future("--month", month, today)?;
    let Some(last) = today.pred_opt().filter(|d| *d >= month.first_day()) else {
        bail!(
            "{} has no complete day as of {today}: nothing to export",
            month.long_name()
        );
    };
    if opts.long && opts.format != Format::Csv {
        bail!("--long is a CSV format: use it with --format csv");
    }
    let sites = store.sites()?;
    let coverage = store
        .coverage()?
        .of_sites(|code| sites.iter().any(|s| s.code == code && s.setting == setting));
    if let Some(why) = sitrep::before_coverage(month, &coverage) {
        bail!("{why}");
    }
    // The first snapshot week of a month may begin in the month before.
    let from = discharge::snapshot_weeks(month)
        .first()
        .copied()
        .unwrap_or(month.first_day())
        .min(month.first_day());
    let authorities = store.authorities()?;
    let sites: Vec<Site> = store
        .sites()?
        .into_iter()
        .filter(|s| s.setting == setting)
        .collect();
    let stays: Vec<StayFacts> = store
        .stay_facts(from, month.end_exclusive(), &[])?
        .into_iter()
        .filter(|s| sites.iter().any(|x| x.code == s.site_code))
        .collect();
    let snapshot_days = store.snapshot_days()?;
    let input = Input {
        stays: &stays,
        orgs: Orgs {
            authorities: &authorities,
            sites: &sites,
            stays: &stays,
        },
        month,
        last_day: last,
        snapshot_days: &snapshot_days,
    };
    let mut r = match setting {
        Setting::Acute => acute_sitrep(&input),
        Setting::NonAcute => community_sitrep(&input),
    };
    // The month's one decision: the daily patients remaining are its delayed days.
    let decided = super::suppression::decided(store, [month], today, opts.suppress)?;
    let hidden = decided.get(&month).cloned().unwrap_or_default();
    sitrep_grid::suppress(&mut r, opts.suppress, setting, &hidden);
    if last < month.last_day() {
        eprintln!(
            "note: {} is not over as of {today}: PARTIAL month, days to {last}",
            month.long_name()
        );
    }
    for n in &r.notes {
        eprintln!("note: {n}");
    }
    let written = layout_files(
        dir,
        opts.format,
        |d| layout::return_csv(&r, d, opts.long),
        |d| layout::return_xlsx(&r, d, today),
    )?;
    for p in written {
        writeln!(out, "{}: wrote {}", month.long_name(), p.display())?;
    }
    Ok(())
}

/// `dtoc export patients`: reads the delays `e` names, writes `file` (CSV, JSON or XLSX, 0600) and
/// says what it contains.
pub fn patients(
    store: &mut Store,
    e: &PatientsExport,
    file: &Path,
    format: Format,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(f) = e.from {
        month_not_future("--from", f, today)?;
    }
    if let Some(t) = e.to {
        month_not_future("--to", t, today)?;
    }
    let filter = DelayFilter {
        include_ended: true,
        la_code: match e.la.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        },
        ..Default::default()
    };
    let start = e.from.map(YearMonth::first_day);
    let end = e.to.map(YearMonth::end_exclusive);
    let mut rows: Vec<DelayRow> = store
        .list_delays(&filter, today)?
        .into_iter()
        .filter(|r| start.is_none_or(|s| r.ended_on.is_none_or(|x| x > s)))
        .filter(|r| end.is_none_or(|x| r.ready_on < x))
        .filter(|r| e.la.is_empty() || e.la.iter().any(|l| r.la_code == *l))
        .collect();
    rows.sort_by(|a, b| {
        (&a.la_code, a.ready_on, &a.local_id, a.delay_id).cmp(&(
            &b.la_code,
            b.ready_on,
            &b.local_id,
            b.delay_id,
        ))
    });
    let t = patients_table(&rows, e, today);
    let note = match format {
        Format::Xlsx | Format::Json => {
            output::write_private_tables(std::slice::from_ref(&t), format, file, today)?
        }
        Format::Csv => {
            let mut buf: Vec<u8> = Vec::new();
            {
                let mut w = csv::Writer::from_writer(&mut buf);
                w.write_record([t.title.as_str()])?;
                w.flush()?;
            }
            output::write_csv(&t, &mut buf)?;
            output::write_private(file, &buf)?
        }
        Format::Table => bail!("a patient-level list is written to a file as csv, json or xlsx"),
    };
    let what = if e.with_nhs_number {
        "patients with NHS numbers"
    } else {
        "patients without NHS numbers"
    };
    store.audit_file(FileAction::Export, what, Some(t.rows.len()), file)?;
    if let Some(n) = note {
        writeln!(out, "note: {n}")?;
    }
    writeln!(out, "{}", t.title)?;
    writeln!(out, "wrote {}", file.display())?;
    Ok(())
}

/// `dtoc export audit`: the masked entries as a table (terminal, CSV, JSON, XLSX; the JSON
/// document of docs/output.md, its title naming the period); to stdout, or to `file` (0600;
/// needed for XLSX).
pub fn audit(
    store: &mut Store,
    from: NaiveDate,
    to: NaiveDate,
    file: Option<&Path>,
    format: Format,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    let end = to.succ_opt().unwrap_or(to);
    let entries = store.audit_between(&from.to_string(), &end.to_string())?;
    let t = crate::report::audit::audit_table(&entries, from, to);
    let buf = if format == Format::Xlsx && file.is_none() {
        bail!("--format xlsx needs --out FILE.xlsx")
    } else {
        output::render(std::slice::from_ref(&t), format, today)?
    };
    match file {
        Some(path) => {
            let note = output::write_private(path, &buf)?;
            store.audit_file(FileAction::Export, "audit log", Some(entries.len()), path)?;
            if let Some(n) = note {
                writeln!(out, "note: {n}")?;
            }
            writeln!(
                out,
                "{} audit entries from {from} to {to} written to {}",
                entries.len(),
                path.display()
            )?;
        }
        None => {
            out.write_all(&buf)?;
            let stdout = Path::new("(standard output)");
            store.audit_file(FileAction::Export, "audit log", Some(entries.len()), stdout)?;
        }
    }
    Ok(())
}
