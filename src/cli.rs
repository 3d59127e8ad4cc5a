//! Command line: clap derive. `--db`, `--today` and `--user` are global (before or after the
//! subcommand). Every command exits 0 on success and non-zero with its message on stderr.

use crate::domain::{parse_iso_date, YearMonth};
pub use crate::report::period::Period;
use crate::store::Store;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The demo's "today": the fixtures' data run up to the day before.
pub const DEMO_TODAY: &str = "2018-08-15";

#[derive(Debug, Parser)]
#[command(
    name = "dtoc",
    version,
    about = "Delayed transfers of care for NHS discharge hubs: the daily register, long-stay lists, weekly sign-off and the monthly return",
    long_about = None
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Database file [default: $DTOC_DB, else dtoc.db in the platform data directory]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Today's date (YYYY-MM-DD), for back-dated entry and reproducible reports [default: the clock]
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub today: Option<NaiveDate>,
    /// Who the audit log attributes changes to [default: $DTOC_USER, else the OS user]
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a demo database from the synthetic fixtures and open the app on it
    Demo {
        /// Write the database only; do not open the app
        #[arg(long)]
        no_tui: bool,
        #[command(flatten)]
        scale: DemoScale,
    },
    /// Create an empty database (or bring an existing one up to date)
    Init,
    /// Import a CSV file (all or nothing, in one transaction)
    Import {
        #[command(subcommand)]
        what: ImportKind,
    },
    /// Check the database: integrity, foreign keys, domain invariants, counts against a recount
    Check {
        /// Rebuild the stored month counts from the periods when they differ
        #[arg(long)]
        repair_counts: bool,
    },
    /// Reports
    Report {
        #[command(subcommand)]
        what: ReportKind,
    },
    /// Exports in the published national layouts
    Export {
        #[command(subcommand)]
        what: ExportKind,
    },
    /// Charts for board papers (SVG or PNG), drawn from the same figures as the reports
    Chart {
        #[command(subcommand)]
        what: ChartKind,
    },
    /// Make a consistent copy of the database while others keep working (SQLite online backup)
    Backup {
        /// The copy to write (must not exist)
        file: PathBuf,
    },
    /// Replace the database with a backup, after checking the backup
    Restore {
        /// The backup to restore
        file: PathBuf,
    },
    /// The concurrency stress test's worker (hidden: see `src/stress.rs`)
    #[command(hide = true)]
    StressWorker {
        #[arg(long)]
        worker: u32,
        #[arg(long)]
        ops: u32,
        /// Where to write the small import files
        #[arg(long)]
        scratch: PathBuf,
    },
    /// Sign a week off for one side (NHS or council); both sides signed freezes the week
    Signoff {
        /// The ISO week (YYYY-Www, e.g. 2018-W27), Monday to Sunday; it must be over
        #[arg(long, value_parser = parse_week_arg)]
        week: crate::domain::Week,
        /// nhs or council
        #[arg(long, value_parser = parse_side_arg)]
        side: crate::domain::Side,
        /// Who signs
        #[arg(long, value_name = "NAME")]
        by: String,
        #[arg(long)]
        comment: Option<String>,
    },
    /// Reopen a signed-off week (clears its signatures, keeps them in its history)
    Reopen {
        #[arg(long, value_parser = parse_week_arg)]
        week: crate::domain::Week,
        /// Why the week is reopened (recorded)
        #[arg(long)]
        reason: String,
    },
    /// Mark a difference between signed and reported figures accepted or contested
    Reconcile {
        #[command(subcommand)]
        what: ReconcileKind,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReconcileKind {
    /// Mark an authority's difference (or one patient's day with --local-id and --date)
    Mark {
        #[arg(long, value_parser = parse_month_arg)]
        month: YearMonth,
        #[arg(long, value_name = "CODE")]
        la: String,
        /// total, nhs, social_care or both
        #[arg(long, default_value = "total")]
        measure: String,
        /// A patient's local id (with --date: mark that day only)
        #[arg(long, requires = "date")]
        local_id: Option<String>,
        #[arg(long, value_parser = parse_date_arg, requires = "local_id")]
        date: Option<NaiveDate>,
        /// accepted or contested
        #[arg(long)]
        status: String,
        #[arg(long)]
        note: String,
    },
}

/// How big a demo: the local system of the fixtures, or a synthetic England.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum Scale {
    /// Three authorities of one system, delays equal to the published returns
    #[default]
    Demo,
    /// 152 authorities, 200 sites, years of delays near England's published monthly totals
    National,
}

#[derive(Debug, Args, Clone)]
pub struct DemoScale {
    /// How big a demo: the local system of the fixtures, or a synthetic England
    #[arg(long, value_enum, default_value_t = Scale::Demo)]
    pub scale: Scale,
    /// National scale: also write the register as a delays CSV (and FILE's .population.csv)
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// National scale: years of months, ending with the month before today
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=30))]
    pub years: u32,
    /// National scale: seed of the generator (the same seed, the same register)
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Subcommand)]
pub enum ImportKind {
    /// Delays: local_id,nhs_number,provider,site,setting,la_code,admitted_on,delay_start,delay_end,reason,attribution,discharged_on,pathway
    Delays { file: PathBuf },
    /// 18+ population estimates: la_code,la_name,year,population_18plus
    Population { file: PathBuf },
    /// Targets: la_code,month,measure,unit,value
    Targets { file: PathBuf },
    /// NHS England's published monthly returns (collated by reason or by responsible organisation,
    /// or an LA-Type-B sheet as CSV), for `report benchmark`; re-importing a file replaces its rows
    Published {
        file: PathBuf,
        /// The month of an LA-Type-B sheet (YYYY-MM) [default: from the file name]
        #[arg(long, value_parser = parse_month_arg)]
        month: Option<YearMonth>,
    },
    /// All inpatients: local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination[,usual_residence]
    Stays { file: PathBuf },
    /// Targets on discharge shares, in percent: la_code,month,measure,percent
    DischargeTargets { file: PathBuf },
    /// The hospital's reported figures for a month: totals (month,la_code,measure,delayed_days) or
    /// patient-level (month,local_id,date,reason,attribution); a month imported again is replaced
    Reported { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum ExportKind {
    /// One month's delayed days by local authority in NHS England's LA-Type-B layout (by type of
    /// care, by responsible organisation, by reason): three CSV files or one XLSX workbook
    Sitrep {
        /// The month (YYYY-MM); a month not yet over is exported as a partial month, and says so
        #[arg(long, value_parser = parse_month_arg)]
        month: YearMonth,
        /// Directory to write into (created if missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = crate::report::sitrep::ExportFormat::Csv)]
        format: crate::report::sitrep::ExportFormat,
        /// Hide counts from 1 to N (shown as *), and any total or DTOC beds that would reveal them
        #[arg(long, value_name = "N", default_value_t = 0)]
        suppress: u64,
    },
    /// The only patient-level export: one row per delay (local id, NHS number masked unless
    /// --with-nhs-number, authority, site, dates, reason, attribution), for use inside the hub
    Patients {
        /// File to write (.csv or .xlsx)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// First month (YYYY-MM): delays still open on or after its first day [default: all]
        #[arg(long, value_parser = parse_month_arg)]
        from: Option<YearMonth>,
        /// Last month (YYYY-MM): delays that began by its last day [default: all]
        #[arg(long, value_parser = parse_month_arg)]
        to: Option<YearMonth>,
        /// Local authority ONS code [default: all]
        #[arg(long = "la", value_name = "CODE")]
        la: Option<String>,
        /// Include full NHS numbers (patient-identifiable: only for a safe destination)
        #[arg(long)]
        with_nhs_number: bool,
    },
    /// One month in the layout of tables 2 to 5 of NHS England's acute discharge sitrep (criteria
    /// to reside daily, extra bed days weekly, discharges by destination, reasons at 14+ days):
    /// four CSV files or one XLSX workbook
    AcuteSitrep {
        /// The month (YYYY-MM)
        #[arg(long, value_parser = parse_month_arg)]
        month: YearMonth,
        /// Directory to write into (created if missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = crate::report::sitrep::ExportFormat::Csv)]
        format: crate::report::sitrep::ExportFormat,
        /// Hide counts from 1 to N (shown as *), and any total that would reveal them
        #[arg(long, value_name = "N", default_value_t = 0)]
        suppress: u64,
    },
    /// The audit log from --from to --to (inclusive), NHS numbers masked. A list of records, not
    /// counts: there is no --suppress
    Audit {
        #[arg(long, value_parser = parse_date_arg)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_date_arg)]
        to: NaiveDate,
        /// File to write [default: standard output; needed for xlsx]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
}

/// Output formats of reports: table (terminal), csv, json, xlsx (one sheet per table; needs --out).
pub use crate::report::table::OutputFormat as Format;

/// `--period`: clap's view of [`Period`], which lives with the reports.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PeriodArg {
    Month,
    Quarter,
    Year,
}

impl From<PeriodArg> for Period {
    fn from(p: PeriodArg) -> Self {
        match p {
            PeriodArg::Month => Period::Month,
            PeriodArg::Quarter => Period::Quarter,
            PeriodArg::Year => Period::Year,
        }
    }
}

#[derive(Debug, Args)]
pub struct RangeArgs {
    /// First month (YYYY-MM) [default: 12 months before --to]
    #[arg(long, value_parser = parse_month_arg)]
    pub from: Option<YearMonth>,
    /// Last month (YYYY-MM) [default: the month of today]
    #[arg(long, value_parser = parse_month_arg)]
    pub to: Option<YearMonth>,
    /// Local authority ONS code (repeat for several) [default: all]
    #[arg(long = "la", value_name = "CODE")]
    pub la: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Where an export goes and how much it hides.
#[derive(Debug, Args, Clone, Default)]
pub struct OutputArgs {
    /// Write to FILE instead of the terminal (needed for --format xlsx)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Hide counts from 1 to N (shown as *), and any total or rate that would reveal them
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub suppress: u64,
}

#[derive(Debug, Subcommand)]
pub enum ReportKind {
    /// Delayed days per month, authority and measure, with rates per 100,000 and targets
    Monthly {
        #[command(flatten)]
        range: RangeArgs,
        #[arg(long, value_enum, default_value_t = PeriodArg::Month)]
        period: PeriodArg,
    },
    /// Discharges by pathway (count, share, unknown stated), destination and usual residence, per
    /// month, authority and site, against the pathway 1 and usual residence targets
    Pathways {
        #[command(flatten)]
        range: RangeArgs,
    },
    /// Discharge Ready Date: days from ready to discharge (averages with and without 0-day
    /// delays, bands 0, 1, 2-3, 4-6, 7-13, 14-20, 21+), bed days lost, share within 24 hours
    Drd {
        #[command(flatten)]
        range: RangeArgs,
    },
    /// Length of stay: inpatients at 7+, 14+, 21+ days (nested), share of inpatients with its
    /// denominator, extra bed days; on --date, else on each Monday of the range
    Los {
        #[command(flatten)]
        range: RangeArgs,
        /// One day (YYYY-MM-DD) instead of the weekly snapshots of the range
        #[arg(long, value_parser = parse_date_arg)]
        date: Option<NaiveDate>,
        /// Also list the patients ready for more than this many days (with --date or today)
        #[arg(long, value_name = "DAYS")]
        ready_over: Option<u32>,
    },
    /// Criteria to reside, daily: patients not meeting it, discharged, remaining
    Nctr {
        #[command(flatten)]
        range: RangeArgs,
        /// One day (YYYY-MM-DD) instead of every day of the range
        #[arg(long, value_parser = parse_date_arg)]
        date: Option<NaiveDate>,
    },
    /// SPC (XmR) chart of one authority's monthly rate: mean, limits, special causes, assurance
    Spc {
        #[command(flatten)]
        range: RangeArgs,
        /// total, nhs, social_care or both
        #[arg(long, default_value = "total")]
        measure: String,
    },
    /// One ISO week's delayed days by authority, attribution, reason and type of care, the
    /// patients delayed at its end, the change from the week before, and its sign-off
    Weekly {
        #[arg(long, value_parser = parse_week_arg)]
        week: crate::domain::Week,
        /// table: the summary and sign-off; csv: the detail rows; json, xlsx: the table by
        /// authority and the detail rows
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// A month's locally signed days against the hospital's reported figures
    Reconcile {
        #[arg(long, value_parser = parse_month_arg)]
        month: YearMonth,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Rank one authority among comparators and England, month by month, by published delayed
    /// days and per 100,000 (needs `import published`), beside its locally recorded days
    Benchmark {
        #[command(flatten)]
        range: RangeArgs,
        /// Comparator authorities, comma-separated codes as published (e.g. E10000007,E10000019)
        #[arg(
            long,
            value_delimiter = ',',
            value_name = "CODE,CODE,...",
            required = true
        )]
        group: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ChartKind {
    /// Monthly rate per 100,000 adults per day, stacked by responsible organisation, with the
    /// target line
    Monthly(ChartArgs),
    /// SPC (XmR) chart: the monthly rate with its mean, process limits and special causes marked
    Spc {
        #[command(flatten)]
        chart: ChartArgs,
        /// total, nhs, social_care or both
        #[arg(long, default_value = "total")]
        measure: String,
    },
    /// Share of delayed patients in hospital 14+ and 21+ days, at each month's end
    Los(ChartArgs),
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Local authority ONS code
    #[arg(long = "la", value_name = "CODE")]
    pub la: String,
    /// First month (YYYY-MM) [default: 12 months before --to]
    #[arg(long, value_parser = parse_month_arg)]
    pub from: Option<YearMonth>,
    /// Last month (YYYY-MM) [default: the month of today]
    #[arg(long, value_parser = parse_month_arg)]
    pub to: Option<YearMonth>,
    /// The picture to write: FILE.svg or FILE.png
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Size in pixels, WIDTHxHEIGHT
    #[arg(long, default_value = "1000x600", value_parser = parse_size_arg)]
    pub size: (u32, u32),
}

fn parse_size_arg(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{s}: not a size such as 1000x600");
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if !(200..=8000).contains(&w) || !(150..=8000).contains(&h) {
        return Err(format!(
            "{s}: width 200 to 8000 and height 150 to 8000 pixels"
        ));
    }
    Ok((w, h))
}

fn parse_week_arg(s: &str) -> Result<crate::domain::Week, String> {
    crate::domain::Week::parse(s).map_err(|e| e.to_string())
}

fn parse_side_arg(s: &str) -> Result<crate::domain::Side, String> {
    crate::domain::Side::parse(s).map_err(|e| e.to_string())
}

fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    parse_iso_date(s).map_err(|e| e.to_string())
}

fn parse_month_arg(s: &str) -> Result<YearMonth, String> {
    YearMonth::parse(s).map_err(|e| e.to_string())
}

/// `$DTOC_DB`, else `dtoc.db` in the platform data directory.
pub fn default_db_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("DTOC_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let dir =
        dirs::data_dir().context("no platform data directory: give --db PATH or set DTOC_DB")?;
    Ok(dir.join("dtoc").join("dtoc.db"))
}

fn default_demo_path() -> Result<PathBuf> {
    let dir = dirs::data_dir().context("no platform data directory: give --db PATH")?;
    Ok(dir.join("dtoc").join("dtoc-demo.db"))
}

fn open(global: &Global, path: &Path) -> Result<Store> {
    let mut store = Store::open(path)?;
    for w in store.open_warnings() {
        eprintln!("dtoc: warning: {w}");
    }
    if let Some(u) = &global.user {
        store.set_user(u);
    }
    Ok(store)
}

/// Runs the parsed command line. `clock_today` is read once, in `main`.
pub fn run(cli: Cli, clock_today: NaiveDate) -> Result<()> {
    let g = &cli.global;
    let today = g.today.unwrap_or(clock_today);
    let mut out = std::io::stdout().lock();
    match cli.command {
        None => {
            let path = match &g.db {
                Some(p) => p.clone(),
                None => default_db_path()?,
            };
            let store = open(g, &path)?;
            if std::env::var_os("DTOC_BENCH_FIRST_FRAME").is_some() {
                return crate::ui::first_frame(store, today);
            }
            crate::ui::run(store, today)
        }
        Some(Command::Demo { no_tui, scale }) => {
            let path = match &g.db {
                Some(p) => p.clone(),
                None => default_demo_path()?,
            };
            let national = scale.scale == Scale::National;
            let default_today = if national {
                crate::national::NATIONAL_TODAY
            } else {
                DEMO_TODAY
            };
            let demo_today = match g.today {
                Some(t) => t,
                None => parse_iso_date(default_today)?,
            };
            let store = if national {
                write_national_demo(g, &path, demo_today, &scale, &mut out)?
            } else {
                write_demo(g, &path, demo_today)?
            };
            writeln!(
                out,
                "demo database written to {} (today is {demo_today})",
                path.display()
            )?;
            if no_tui {
                Ok(())
            } else {
                drop(out);
                crate::ui::run(store, demo_today)
            }
        }
        Some(Command::Init) => {
            let path = db_path(g)?;
            let store = open(g, &path)?;
            writeln!(
                out,
                "{}: dtoc database, schema version {}",
                path.display(),
                store.schema_version()?
            )?;
            Ok(())
        }
        Some(Command::Import { what }) => {
            let path = db_path(g)?;
            let mut store = open(g, &path)?;
            let summary = match what {
                ImportKind::Published { file, month } => {
                    let read = crate::import::published::read_published(&file, month)?;
                    writeln!(out, "{}", store.import_published(&read)?)?;
                    return Ok(());
                }
                ImportKind::Delays { file } => {
                    let checked = crate::import::read_delays(&file, today)?;
                    store.import_delays(&checked)?
                }
                ImportKind::Population { file } => {
                    let checked = crate::import::read_population(&file)?;
                    store.import_population(&checked)?
                }
                ImportKind::Targets { file } => {
                    let checked = crate::import::read_targets(&file)?;
                    store.import_targets(&checked)?
                }
                ImportKind::Stays { file } => {
                    let checked = crate::import::read_stays(&file, today)?;
                    store.import_stays(&checked)?
                }
                ImportKind::DischargeTargets { file } => {
                    let checked = crate::import::read_discharge_targets(&file)?;
                    store.import_discharge_targets(&checked)?
                }
                ImportKind::Reported { file } => {
                    let checked = crate::import::reported::read_reported(&file)?;
                    store.import_reported(&checked)?
                }
            };
            writeln!(out, "{summary}")?;
            Ok(())
        }
        Some(Command::Check { repair_counts }) => {
            let path = db_path(g)?;
            let mut store = open(g, &path)?;
            let problems = store.check()?;
            if problems.is_empty() {
                writeln!(out, "{}: ok", path.display())?;
                return Ok(());
            }
            let counts_only = problems.iter().all(|p| p.starts_with("counts:"));
            if repair_counts && counts_only {
                store.rebuild_counts()?;
                writeln!(
                    out,
                    "{}: {} count differences repaired",
                    path.display(),
                    problems.len()
                )?;
                return Ok(());
            }
            for p in &problems {
                writeln!(out, "{p}")?;
            }
            bail!(
                "{}: {} problem{} found",
                path.display(),
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            )
        }
        Some(Command::Report { what }) => {
            let path = db_path(g)?;
            let store = open(g, &path)?;
            crate::report::cli::run_report(&store, what, today, &mut out)
        }
        Some(Command::Export { what }) => {
            let path = db_path(g)?;
            let store = open(g, &path)?;
            match what {
                ExportKind::Sitrep {
                    month,
                    out: dir,
                    format,
                    suppress,
                } => crate::report::sitrep::run_sitrep(
                    &store, month, &dir, format, suppress, today, &mut out,
                ),
                ExportKind::Patients {
                    out: file,
                    from,
                    to,
                    la,
                    with_nhs_number,
                } => crate::report::patients::run_patients(
                    &store,
                    &crate::report::patients::PatientsExport {
                        file,
                        from,
                        to,
                        la,
                        with_nhs_number,
                    },
                    today,
                    &mut out,
                ),
                ExportKind::AcuteSitrep {
                    month,
                    out: dir,
                    format,
                    suppress,
                } => crate::report::acute_sitrep::run_acute_sitrep(
                    &store, month, &dir, format, suppress, today, &mut out,
                ),
                ExportKind::Audit {
                    from,
                    to,
                    out: file,
                    format,
                } => crate::report::weekly_cli::run_export_audit(
                    &store,
                    from,
                    to,
                    file.as_deref(),
                    format,
                    today,
                    &mut out,
                ),
            }
        }
        Some(Command::Chart { what }) => {
            let path = db_path(g)?;
            let store = open(g, &path)?;
            crate::report::chart::run_chart(&store, what, today, &mut out)
        }
        Some(Command::Backup { file }) => {
            let path = db_path(g)?;
            let store = open(g, &path)?;
            store.backup_to(&file)?;
            writeln!(out, "backup written to {}", file.display())?;
            Ok(())
        }
        Some(Command::Signoff {
            week,
            side,
            by,
            comment,
        }) => {
            let mut store = open(g, &db_path(g)?)?;
            crate::report::weekly_cli::run_signoff(
                &mut store, week, side, &by, comment, today, &mut out,
            )
        }
        Some(Command::Reopen { week, reason }) => {
            let mut store = open(g, &db_path(g)?)?;
            crate::report::weekly_cli::run_reopen(&mut store, week, &reason, &mut out)
        }
        Some(Command::Reconcile { what }) => {
            let mut store = open(g, &db_path(g)?)?;
            crate::report::weekly_cli::run_reconcile(&mut store, what, &mut out)
        }
        Some(Command::Restore { file }) => {
            let path = db_path(g)?;
            Store::restore_from(&file, &path)?;
            writeln!(out, "{} restored from {}", path.display(), file.display())?;
            Ok(())
        }
        Some(Command::StressWorker {
            worker,
            ops,
            scratch,
        }) => crate::stress::run(&db_path(g)?, worker, ops, &scratch),
    }
}

fn db_path(g: &Global) -> Result<PathBuf> {
    match &g.db {
        Some(p) => Ok(p.clone()),
        None => default_db_path(),
    }
}

/// The synthetic fixtures, built into the binary so `dtoc demo` works from any directory.
pub const DEMO_POPULATION: &str = include_str!("../fixtures/population.csv");
pub const DEMO_TARGETS: &str = include_str!("../fixtures/targets.csv");
pub const DEMO_DELAYS: &str = include_str!("../fixtures/delays.csv");
pub const DEMO_SITES: &str = include_str!("../fixtures/sites.csv");
/// Every inpatient (delayed or not), for pathways and length of stay.
pub const DEMO_STAYS: &str = include_str!("../fixtures/stays.csv");
pub const DEMO_DISCHARGE_TARGETS: &str = include_str!("../fixtures/discharge_targets.csv");

fn remove_old_demo(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        if p.exists() {
            std::fs::remove_file(&p)
                .with_context(|| format!("removing the old demo file {}", p.display()))?;
        }
    }
    Ok(())
}

/// Writes a fresh national-scale demo database at `path` (replacing any earlier demo file there)
/// and says what it wrote and how long it took.
pub fn write_national_demo(
    g: &Global,
    path: &Path,
    today: NaiveDate,
    scale: &DemoScale,
    out: &mut dyn Write,
) -> Result<Store> {
    remove_old_demo(path)?;
    let mut store = open(g, path)?;
    let cfg = crate::national::NationalConfig::years(scale.years, today, scale.seed);
    let w = crate::national::write::write_national(&mut store, &cfg, scale.csv.as_deref())?;
    let n = w.generated;
    writeln!(
        out,
        "national demo: {} to {}, seed {}: {} stays, {} delay periods, {} delayed days, {} open; written in {:.1?}",
        cfg.from, cfg.to, cfg.seed, n.stays, n.periods, n.delayed_days, n.open, w.elapsed
    )?;
    if let Some(csv) = &scale.csv {
        writeln!(
            out,
            "delays CSV: {} (populations: {})",
            csv.display(),
            crate::national::write::population_path(csv).display()
        )?;
    }
    Ok(store)
}

/// Writes a fresh demo database at `path` (replacing any earlier demo file there).
pub fn write_demo(g: &Global, path: &Path, today: NaiveDate) -> Result<Store> {
    remove_old_demo(path)?;
    let mut store = open(g, path)?;
    for line in DEMO_SITES.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 4 {
            bail!("fixtures/sites.csv: bad line {line}");
        }
        store.upsert_site(&crate::store::Site {
            code: f[0].to_string(),
            provider_code: f[1].to_string(),
            name: Some(f[2].to_string()),
            setting: crate::domain::Setting::parse(f[3]).map_err(|e| anyhow::anyhow!(e))?,
        })?;
    }
    let checked = crate::import::read_population_bytes(
        "fixtures/population.csv",
        DEMO_POPULATION.as_bytes(),
    )?;
    store.import_population(&checked)?;
    let checked =
        crate::import::read_targets_bytes("fixtures/targets.csv", DEMO_TARGETS.as_bytes())?;
    store.import_targets(&checked)?;
    let checked =
        crate::import::read_delays_bytes("fixtures/delays.csv", DEMO_DELAYS.as_bytes(), today)?;
    store.import_delays(&checked)?;
    let checked =
        crate::import::read_stays_bytes("fixtures/stays.csv", DEMO_STAYS.as_bytes(), today)?;
    store.import_stays(&checked)?;
    let checked = crate::import::read_discharge_targets_bytes(
        "fixtures/discharge_targets.csv",
        DEMO_DISCHARGE_TARGETS.as_bytes(),
    )?;
    store.import_discharge_targets(&checked)?;
    Ok(store)
}
