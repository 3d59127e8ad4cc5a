//! Command line: clap derive. `--db`, `--today` and `--user` are global (before or after the
//! subcommand). Every command exits 0 on success and non-zero with its message on stderr.

pub mod format;
mod kinds;
mod manual;
mod run;

pub use crate::commands::demo::DEMO_TODAY;
use crate::commands::output::Format;
use crate::domain::{parse_iso_date, YearMonth};
use crate::report::period::Period;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
pub use run::{run, write_demo};
use std::path::PathBuf;

/// The largest `--suppress`: a disclosure threshold is a small count (5 or 10 in NHS practice); a
/// larger number is a slip (an NHS number in the wrong option would otherwise reach the notes of
/// an aggregate file).
const SUPPRESS_MAX: u64 = 100;

pub use kinds::*;

/// `dtoc --version`: the package version, the database schema version it writes, and its
/// features.
pub static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{} (database schema version {}; sqlcipher encryption {})",
        env!("CARGO_PKG_VERSION"),
        crate::store::SCHEMA_VERSION,
        if cfg!(feature = "sqlcipher") {
            "on"
        } else {
            "off"
        }
    )
});

#[derive(Debug, Parser)]
#[command(
    name = "dtoc",
    version = VERSION.as_str(),
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
    /// Encrypted builds: allow creating a new database without encryption
    #[arg(long, global = true)]
    pub plain: bool,
    /// Replace existing output files (`--out`, and the files `--out-dir` writes); without it an
    /// existing file is refused
    #[arg(long, global = true)]
    pub force: bool,
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
    #[command(after_help = IMPORT_EXAMPLES)]
    Import {
        #[command(subcommand)]
        what: ImportKind,
        /// The largest file read, in bytes (at most the default, 2 GB); a larger one is refused
        /// before it is read
        #[arg(long, global = true, value_name = "BYTES", default_value_t = crate::import::DEFAULT_MAX_BYTES,
              value_parser = clap::value_parser!(u64).range(1..=crate::import::DEFAULT_MAX_BYTES))]
        max_bytes: u64,
    },
    /// Check the database: integrity, foreign keys, domain invariants, counts against a recount
    Check {
        /// Rebuild the stored month counts from the periods when they differ
        #[arg(long)]
        repair_counts: bool,
        /// Make the safe repairs of the register (an open delay on a discharged stay ends on the
        /// discharge date) in one audited transaction, and say what was done
        #[arg(long)]
        repair: bool,
    },
    /// Reports: to the terminal, or to one file (--out) as table, csv, json or xlsx
    Report {
        #[command(subcommand)]
        what: ReportKind,
    },
    /// Exports: the published national layouts (several files, --out-dir), the patient-level list
    /// and the audit log (one file, --out)
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
    /// Encrypted builds: write an encrypted copy of the (plain) database, checked after
    Encrypt {
        /// The encrypted copy to write (must not exist)
        #[arg(long)]
        out: PathBuf,
    },
    /// Encrypted builds: write a plain copy of the (encrypted) database, checked after
    Decrypt {
        /// The plain copy to write (must not exist)
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign a week off for one side (NHS or council); both sides signed freezes the week
    #[command(after_help = SIGNOFF_EXAMPLES)]
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
        /// A comment kept with the signature (no clinical detail)
        #[arg(long, value_name = "TEXT")]
        comment: Option<String>,
    },
    /// Reopen a signed-off week (clears its signatures, keeps them in its history)
    Reopen {
        /// The ISO week to reopen (YYYY-Www, e.g. 2018-W27)
        #[arg(long, value_parser = parse_week_arg)]
        week: crate::domain::Week,
        /// Why the week is reopened (recorded)
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// The hub's sign-off rule: whether one user may sign both sides of a week (by default the
    /// two sides are signed by two users); without --same-user, says the rule
    SignoffRule {
        /// allowed (one user may sign both sides, the week's history says so) or refused
        #[arg(long, value_name = "RULE", value_parser = ["allowed", "refused"])]
        same_user: Option<String>,
    },
    /// Mark a difference between signed and reported figures accepted or contested
    Reconcile {
        #[command(subcommand)]
        what: ReconcileKind,
    },
    /// Write the shell's completion script to standard output (e.g. `dtoc completions bash >
    /// ~/.local/share/bash-completion/completions/dtoc`)
    Completions {
        /// The shell: bash, zsh, fish or powershell
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Write the manual page (roff, for `man`) to standard output or to --out (e.g. `dtoc man
    /// --out dtoc.1; man ./dtoc.1`)
    Man {
        /// The file to write (dtoc.1) [default: standard output]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// From when each site's record is complete (its coverage): before it every figure is blank.
    /// Without a subcommand, lists each site's coverage
    Coverage {
        #[command(subcommand)]
        what: Option<CoverageKind>,
    },
    /// The actions of the delayed patients (text, owner, due date, state) with their local ids:
    /// all, --open or --overdue, of one --owner. Patient-level: a file is created owner-only
    #[command(after_help = ACTIONS_EXAMPLES)]
    Actions {
        /// Only the open actions of open delays
        #[arg(long, conflicts_with = "overdue")]
        open: bool,
        /// Only the open actions of open delays due before today
        #[arg(long)]
        overdue: bool,
        /// Only this owner's (a person or team on the owners' list, any case)
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
        /// The file to write (created owner-only) [default: the terminal; needed for xlsx]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// table, csv, json or xlsx [default: from --out's extension (.txt, .csv, .json, .xlsx),
        /// else table]
        #[arg(long, value_enum, ignore_case = true)]
        format: Option<FormatArg>,
    },
}

const ACTIONS_EXAMPLES: &str = "Examples:
  dtoc actions --overdue
  dtoc actions --open --owner \"Hub team\"
  dtoc actions --open --out actions.xlsx";

/// The shells `dtoc completions` writes for.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Subcommand)]
pub enum CoverageKind {
    /// Set a site's coverage (audited): the first day of its complete record
    Set {
        /// The site's code (as in Settings, e.g. RX1)
        #[arg(long, value_name = "CODE")]
        site: String,
        /// The first day of the site's complete record (YYYY-MM-DD, not after today)
        #[arg(long, value_parser = parse_date_arg, value_name = "YYYY-MM-DD")]
        from: NaiveDate,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReconcileKind {
    /// Mark an authority's difference (or one patient's day with --local-id and --date)
    Mark {
        /// The month (YYYY-MM)
        #[arg(long, value_parser = parse_month_arg)]
        month: YearMonth,
        /// The local authority: its ONS code, or a legacy code as published (one)
        #[arg(long, value_name = "CODE")]
        la: String,
        /// total, nhs, social_care or both
        #[arg(long, default_value = "total")]
        measure: String,
        /// A patient's local id (with --date: mark that day only)
        #[arg(long, requires = "date")]
        local_id: Option<String>,
        /// The day (YYYY-MM-DD) of the patient's difference (with --local-id)
        #[arg(long, value_parser = parse_date_arg, requires = "local_id")]
        date: Option<NaiveDate>,
        /// accepted or contested
        #[arg(long)]
        status: String,
        /// Why (recorded with the mark; no clinical detail)
        #[arg(long, value_name = "TEXT")]
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
    Delays {
        /// The CSV file to import
        file: PathBuf,
        /// The file is a history complete from this day (YYYY-MM-DD), or from each site's
        /// earliest ready date in it (`earliest`): the sites' coverage. Without it a site new to
        /// the register is covered from today (the day its first record was entered)
        #[arg(long, value_name = "DATE|earliest")]
        coverage_from: Option<crate::commands::import::CoverageFrom>,
    },
    /// 18+ population estimates: la_code,la_name,year,population_18plus
    Population {
        /// The CSV file to import
        file: PathBuf,
    },
    /// Targets: la_code,month,measure,unit,value
    Targets {
        /// The CSV file to import
        file: PathBuf,
    },
    /// NHS England's published monthly returns (collated by reason or by responsible organisation,
    /// or an LA-Type-B sheet as CSV), for `report benchmark`; re-importing a file replaces its rows
    Published {
        /// The CSV file to import
        file: PathBuf,
        /// The month of an LA-Type-B sheet (YYYY-MM) [default: from the file name]
        #[arg(long, value_parser = parse_month_arg)]
        month: Option<YearMonth>,
    },
    /// All inpatients: local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination[,usual_residence]
    Stays {
        /// The CSV file to import
        file: PathBuf,
    },
    /// Targets on discharge shares, in percent: la_code,month,measure,percent
    DischargeTargets {
        /// The CSV file to import
        file: PathBuf,
    },
    /// The hospital's reported figures for a month: totals (month,la_code,measure,delayed_days) or
    /// patient-level (month,local_id,date,reason,attribution); a month imported again is replaced
    Reported {
        /// The CSV file to import
        file: PathBuf,
    },
    /// Ended delays corrected or reopened: local_id,delay_start,action (correct or reopen) and
    /// any of delay_end,end_kind,pathway,destination,usual_residence,discharged_on (empty: keep;
    /// none: clear) or reopen_reason; rows applied in order, all or nothing
    Corrections {
        /// The CSV file (one row per delay, named by its local id and ready date)
        file: PathBuf,
    },
    /// Each site's wards: site,ward_code[,name,beds] (a ward already listed, any case, takes the
    /// new name and beds)
    Wards {
        /// The CSV file (one row per ward)
        file: PathBuf,
    },
    /// The hub's own tracker (.xlsx or .csv, its columns named its own way: `Hosp No`, `Date
    /// MFFD`, `Delay reason`, `Ward`, `EDD`): shows how dtoc reads it (the mapping, the first rows,
    /// every row refused), then imports it by the rules of `import delays`, all or nothing. Dates
    /// such as 03/07/18 are UK dates, day/month/year; Excel date cells and serial numbers are read
    /// as dates
    Tracker(TrackerArgs),
}

/// `dtoc import tracker`.
#[derive(Debug, Args)]
pub struct TrackerArgs {
    /// The tracker: an Excel workbook (.xlsx, .xlsm, .xls, .ods) or a CSV file
    pub file: PathBuf,
    /// The sheet to read [default: the mapping's, else the first sheet with a header row]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The header's row, as the spreadsheet numbers it [default: the first row naming two known
    /// columns, below any title rows]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub header_row: Option<u32>,
    /// A mapping file (TOML, as --save-mapping writes it) [default: the mapping the database kept
    /// from the last tracker import, else one suggested from the headers]
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// One value for every row of a column the tracker does not have (repeat: --set provider=RWE
    /// --set site=RWE01); a known site gives its provider and type of care
    #[arg(long = "set", value_name = "COLUMN=VALUE", value_parser = parse_set_arg)]
    pub set: Vec<(String, String)>,
    /// Write the mapping used as TOML to FILE (to edit and give back with --mapping)
    #[arg(long, value_name = "FILE")]
    pub save_mapping: Option<PathBuf>,
    /// Show how the tracker is read and what is refused; import nothing
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,
    /// Import without asking (without it, dtoc asks on a terminal and imports nothing elsewhere)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

fn parse_set_arg(s: &str) -> Result<(String, String), String> {
    crate::commands::tracker::parse_set(s)
}

#[derive(Debug, Subcommand)]
pub enum ExportKind {
    /// One month's delayed days by local authority in NHS England's LA-Type-B layout (by type of
    /// care, by responsible organisation, by reason): three CSV files or one XLSX workbook,
    /// written into --out-dir
    #[command(after_help = SITREP_EXAMPLES)]
    Sitrep {
        /// The month (YYYY-MM); a month not yet over is exported as a partial month, and says so
        #[arg(long, value_parser = parse_month_arg)]
        month: YearMonth,
        /// The folder to write the files into (created if missing; the file names carry the month)
        #[arg(long, value_name = "DIR")]
        out_dir: PathBuf,
        /// csv (one file per table) or xlsx (one workbook)
        #[arg(long, value_enum, ignore_case = true, default_value_t = LayoutFormatArg::Csv)]
        format: LayoutFormatArg,
        /// Hide counts from 1 to N, N up to 100 (shown as *), and any total or DTOC beds that would reveal them
        #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=SUPPRESS_MAX))]
        suppress: u64,
    },
    /// The only patient-level export: one row per delay (local id, NHS number masked unless
    /// --with-nhs-number, authority, site, dates, reason, attribution), for use inside the hub
    Patients {
        /// The file to write (created owner-only); its extension gives the format: .csv, .json
        /// or .xlsx
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// csv, json or xlsx [default: from --out's extension]
        #[arg(long, value_enum, ignore_case = true)]
        format: Option<FileFormatArg>,
        /// First month (YYYY-MM): delays still open on or after its first day [default: all]
        #[arg(long, value_parser = parse_month_arg, value_name = "YYYY-MM")]
        from: Option<YearMonth>,
        /// Last month (YYYY-MM): delays that began by its last day [default: all]
        #[arg(long, value_parser = parse_month_arg, value_name = "YYYY-MM")]
        to: Option<YearMonth>,
        /// Local authority: ONS code or legacy code as published (repeat for several) [default:
        /// all]
        #[arg(long = "la", value_name = "CODE")]
        la: Vec<String>,
        /// Include full NHS numbers (patient-identifiable: only for a safe destination)
        #[arg(long)]
        with_nhs_number: bool,
    },
    /// One month of the acute sites in the layout of tables 2 to 5 of NHS England's acute
    /// discharge sitrep (criteria to reside daily, extra bed days weekly, discharges by
    /// destination, reasons at 14+ days): four CSV files or one XLSX workbook
    AcuteSitrep {
        #[command(flatten)]
        args: ReturnArgs,
    },
    /// One month of the non-acute sites (community beds) in the layout of NHS England's community
    /// discharge sitrep (criteria to reside daily, 14+/21+ days weekly with extra bed days,
    /// reasons at 14+ days, discharges by destination): four CSV files or one XLSX workbook
    CommunitySitrep {
        #[command(flatten)]
        args: ReturnArgs,
    },
    /// The audit log from --from to --to (inclusive), NHS numbers masked. A list of records, not
    /// counts: there is no --suppress
    Audit {
        /// First day (YYYY-MM-DD), or a month (YYYY-MM) for its first day
        #[arg(long, value_parser = parse_day_or_month_arg, value_name = "YYYY-MM-DD|YYYY-MM")]
        from: DayOrMonth,
        /// Last day (YYYY-MM-DD), or a month (YYYY-MM) for its last day
        #[arg(long, value_parser = parse_day_or_month_arg, value_name = "YYYY-MM-DD|YYYY-MM")]
        to: DayOrMonth,
        /// The file to write (created owner-only) [default: the terminal; needed for xlsx]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// table, csv, json or xlsx [default: from --out's extension (.txt, .csv, .json, .xlsx),
        /// else table]
        #[arg(long, value_enum, ignore_case = true)]
        format: Option<FormatArg>,
    },
}

/// The arguments of the discharge sitrep returns.
#[derive(Debug, Args)]
pub struct ReturnArgs {
    /// The month (YYYY-MM)
    #[arg(long, value_parser = parse_month_arg)]
    pub month: YearMonth,
    /// The folder to write the files into (created if missing; the file names carry the month)
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// csv (one file per table) or xlsx (one workbook)
    #[arg(long, value_enum, ignore_case = true, default_value_t = LayoutFormatArg::Csv)]
    pub format: LayoutFormatArg,
    /// Hide counts from 1 to N, N up to 100 (shown as *), and any total that would reveal them
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=SUPPRESS_MAX))]
    pub suppress: u64,
    /// CSV in the long format: one row per date (week, month) x organisation x measure
    #[arg(long)]
    pub long: bool,
}

/// `--format` of reports: clap's view of [`Format`]: table (terminal), csv, json, xlsx (one sheet
/// per table; needs --out).
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    Table,
    Csv,
    Json,
    Xlsx,
}

/// `--format` of a patient-level file (never the terminal).
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FileFormatArg {
    Csv,
    Json,
    Xlsx,
}

impl From<FileFormatArg> for Format {
    fn from(f: FileFormatArg) -> Self {
        match f {
            FileFormatArg::Csv => Format::Csv,
            FileFormatArg::Json => Format::Json,
            FileFormatArg::Xlsx => Format::Xlsx,
        }
    }
}

/// `--format` of a chart.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PictureArg {
    Svg,
    Png,
}

impl From<PictureArg> for format::Named {
    fn from(p: PictureArg) -> Self {
        match p {
            PictureArg::Svg => format::Named::Svg,
            PictureArg::Png => format::Named::Png,
        }
    }
}

/// A day, or a month standing for its first or last day (`export audit --from/--to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrMonth {
    Day(NaiveDate),
    Month(YearMonth),
}

impl DayOrMonth {
    /// The day itself, or the month's first day.
    pub fn first(self) -> NaiveDate {
        match self {
            Self::Day(d) => d,
            Self::Month(m) => m.first_day(),
        }
    }

    /// The day itself, or the month's last day.
    pub fn last(self) -> NaiveDate {
        match self {
            Self::Day(d) => d,
            Self::Month(m) => m.last_day(),
        }
    }
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Xlsx => Format::Xlsx,
        }
    }
}

/// `--format` of the published sitrep layouts: CSV files or one XLSX workbook.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LayoutFormatArg {
    Csv,
    Xlsx,
}

impl ReturnArgs {
    pub fn options(&self) -> crate::commands::export::ReturnOptions {
        crate::commands::export::ReturnOptions {
            format: self.format.into(),
            suppress: self.suppress,
            long: self.long,
        }
    }
}

impl From<LayoutFormatArg> for Format {
    fn from(f: LayoutFormatArg) -> Self {
        match f {
            LayoutFormatArg::Csv => Format::Csv,
            LayoutFormatArg::Xlsx => Format::Xlsx,
        }
    }
}

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

/// `--from` and `--to` of a report or chart over months.
#[derive(Debug, Args)]
pub struct MonthsArgs {
    /// First month (YYYY-MM) [default: 12 months before --to]
    #[arg(long, value_parser = parse_month_arg, value_name = "YYYY-MM")]
    pub from: Option<YearMonth>,
    /// Last month (YYYY-MM) [default: the month of today; for SPC, the last complete month]
    #[arg(long, value_parser = parse_month_arg, value_name = "YYYY-MM")]
    pub to: Option<YearMonth>,
}

/// The months, authorities and output of a report over months.
#[derive(Debug, Args)]
pub struct RangeArgs {
    #[command(flatten)]
    pub months: MonthsArgs,
    /// Local authority: ONS code or legacy code as published (repeat for several) [default: all]
    #[arg(long = "la", value_name = "CODE")]
    pub la: Vec<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// [`RangeArgs`] of a report about exactly one authority (`report spc`, `report benchmark`).
#[derive(Debug, Args)]
pub struct OneLaRangeArgs {
    #[command(flatten)]
    pub months: MonthsArgs,
    /// The local authority: ONS code or legacy code as published (exactly one)
    #[arg(long = "la", value_name = "CODE")]
    pub la: String,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What an SPC chart (`report spc`, `chart spc`) plots and how its limits are drawn.
#[derive(Debug, Args, Clone)]
pub struct SpcArgs {
    /// total, nhs, social_care or both
    #[arg(long, default_value = "total")]
    pub measure: String,
    /// Keep every moving range (by default ranges of 3.267 x the average or more are screened out)
    #[arg(long)]
    pub no_screen: bool,
    /// Fix the mean and limits on the first N points (N >= 12)
    #[arg(long, value_name = "N")]
    pub baseline: Option<usize>,
    /// Start new limits at these months (YYYY-MM, comma-separated)
    #[arg(long, value_delimiter = ',', value_parser = parse_month_arg, value_name = "YYYY-MM,...")]
    pub rebase: Vec<YearMonth>,
}

/// Where a report goes, in which format, and how much it hides.
#[derive(Debug, Args, Clone, Default)]
pub struct OutputArgs {
    /// table, csv, json or xlsx [default: from --out's extension (.txt, .csv, .json, .xlsx), else
    /// table]
    #[arg(long, value_enum, ignore_case = true)]
    pub format: Option<FormatArg>,
    /// The file to write instead of the terminal (needed for xlsx); its extension gives the
    /// format when --format is absent
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Hide counts from 1 to N, N up to 100 (shown as *), and any total or rate that would reveal them
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=SUPPRESS_MAX))]
    pub suppress: u64,
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

fn parse_day_or_month_arg(s: &str) -> Result<DayOrMonth, String> {
    if s.trim().len() <= 7 {
        parse_month_arg(s).map(DayOrMonth::Month)
    } else {
        parse_date_arg(s).map(DayOrMonth::Day)
    }
}

/// `dtoc help report monthly`'s examples.
const MONTHLY_EXAMPLES: &str = "Examples:
  dtoc report monthly --from 2017-04 --to 2018-03
  dtoc report monthly --la E10000018 --la E06000016 --period quarter
  dtoc report monthly --from 2018-04 --to 2018-07 --out monthly.xlsx
  dtoc report monthly --format json --suppress 5 --out monthly-for-publication.json";

/// `dtoc help import`'s examples.
const IMPORT_EXAMPLES: &str = "Examples:
  dtoc import delays delays.csv
  dtoc import population population.csv
  dtoc import published la-type-b-2018-07.csv --month 2018-07";

/// `dtoc help export sitrep`'s examples.
const SITREP_EXAMPLES: &str = "Examples:
  dtoc export sitrep --month 2018-07 --out-dir returns/
  dtoc export sitrep --month 2018-07 --out-dir returns/ --format xlsx --suppress 5";

/// `dtoc help signoff`'s examples.
const SIGNOFF_EXAMPLES: &str = "Examples:
  dtoc signoff --week 2018-W27 --side nhs --by \"A. Patel\"
  dtoc signoff --week 2018-W27 --side council --by \"J. Smith\" --comment \"checked with the hub\"
  dtoc reopen --week 2018-W27 --reason \"late discharge found\"
  dtoc signoff-rule --same-user allowed   (one user may sign both sides)";

/// `dtoc help report los`'s examples.
const LOS_EXAMPLES: &str = "Examples:
  dtoc report los --from 2018-06 --to 2018-07
  dtoc report los --date 2018-08-13 --la E10000018
  dtoc report los --date 2018-08-13 --ready-over 7 --out long-stays.csv";
