//! Command line: clap derive. `--db`, `--today` and `--user` are global (before or after the
//! subcommand). Every command exits 0 on success and non-zero with its message on stderr.

mod run;

pub use crate::commands::demo::DEMO_TODAY;
use crate::commands::output::Format;
use crate::domain::{parse_iso_date, YearMonth};
use crate::report::period::Period;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
pub use run::{run, write_demo};
use std::path::PathBuf;

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
    /// Encrypted builds: allow creating a new database without encryption
    #[arg(long, global = true)]
    pub plain: bool,
    /// Replace an existing output file (`--out`); without it an existing file is refused
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
    /// Ended delays corrected or reopened: local_id,delay_start,action (correct or reopen) and
    /// any of delay_end,end_kind,pathway,destination,usual_residence,discharged_on (empty: keep;
    /// none: clear) or reopen_reason; rows applied in order, all or nothing
    Corrections {
        /// The CSV file (one row per delay, named by its local id and ready date)
        file: PathBuf,
    },
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
        #[arg(long, value_enum, default_value_t = LayoutFormatArg::Csv)]
        format: LayoutFormatArg,
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
        #[arg(long, value_parser = parse_date_arg)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_date_arg)]
        to: NaiveDate,
        /// File to write [default: standard output; needed for xlsx]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
        format: FormatArg,
    },
}

/// The arguments of the discharge sitrep returns.
#[derive(Debug, Args)]
pub struct ReturnArgs {
    /// The month (YYYY-MM)
    #[arg(long, value_parser = parse_month_arg)]
    pub month: YearMonth,
    /// Directory to write into (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value_t = LayoutFormatArg::Csv)]
    pub format: LayoutFormatArg,
    /// Hide counts from 1 to N (shown as *), and any total that would reveal them
    #[arg(long, value_name = "N", default_value_t = 0)]
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
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
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
        #[command(flatten)]
        spc: SpcArgs,
    },
    /// One ISO week's delayed days by authority, attribution, reason and type of care, the
    /// patients delayed at its end, the change from the week before, and its sign-off
    Weekly {
        #[arg(long, value_parser = parse_week_arg)]
        week: crate::domain::Week,
        /// table: the summary and sign-off; csv: the detail rows; json, xlsx: the table by
        /// authority and the detail rows
        #[arg(long, value_enum, default_value_t = FormatArg::Table)]
        format: FormatArg,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Pathway queues (0, 1, 2, 3, unknown): people waiting today, their median and longest
    /// wait, today's joins and leaves; with --from/--to, the queues day by day
    Queues {
        /// First day of the daily history (YYYY-MM-DD) [default: 27 days before --to]
        #[arg(long, value_parser = parse_date_arg)]
        from: Option<NaiveDate>,
        /// Last day of the daily history (YYYY-MM-DD) [default: today]
        #[arg(long, value_parser = parse_date_arg)]
        to: Option<NaiveDate>,
        #[command(flatten)]
        scope: QueueScopeArgs,
        #[arg(long, value_enum, default_value_t = FormatArg::Table)]
        format: FormatArg,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Forecast of each pathway queue for the days ahead: people becoming ready, leaving and
    /// waiting, delayed days, as a median with an 85% interval, under capacity scenarios; with
    /// --backtest, how good the forecast has been
    Forecast {
        /// Days ahead, today being day 1
        #[arg(long, default_value_t = 10)]
        days: u32,
        /// Only these pathways: 0, 1, 2, 3 or unknown (repeat for several) [default: all]
        #[arg(long = "pathway", value_name = "P")]
        pathway: Vec<String>,
        /// Random runs
        #[arg(long, default_value_t = 1000)]
        runs: u32,
        /// Capacity scenarios in percent of the recent capacity, comma-separated
        #[arg(
            long,
            value_delimiter = ',',
            allow_hyphen_values = true,
            value_name = "PCT,...",
            default_value = "-10,0,10"
        )]
        capacity: Vec<i32>,
        /// Seed of the random runs (the same data, seed and today give the same figures)
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Replay the forecast on every day from --from to --to and measure its errors
        #[arg(long, requires_all = ["from", "to"])]
        backtest: bool,
        /// First origin of the backtest (YYYY-MM-DD)
        #[arg(long, value_parser = parse_date_arg, requires = "backtest")]
        from: Option<NaiveDate>,
        /// Last origin of the backtest (YYYY-MM-DD)
        #[arg(long, value_parser = parse_date_arg, requires = "backtest")]
        to: Option<NaiveDate>,
        #[command(flatten)]
        scope: QueueScopeArgs,
        #[arg(long, value_enum, default_value_t = FormatArg::Table)]
        format: FormatArg,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// A month's locally signed days against the hospital's reported figures
    Reconcile {
        #[arg(long, value_parser = parse_month_arg)]
        month: YearMonth,
        #[arg(long, value_enum, default_value_t = FormatArg::Table)]
        format: FormatArg,
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

/// Which delays the queue reports count, and how they are grouped.
#[derive(Debug, Args)]
pub struct QueueScopeArgs {
    /// Local authority ONS code (repeat for several) [default: all]
    #[arg(long = "la", value_name = "CODE")]
    pub la: Vec<String>,
    /// Site code (repeat for several) [default: all]
    #[arg(long = "site", value_name = "CODE")]
    pub site: Vec<String>,
    /// One queue per pathway for the whole register, or per site or authority as well
    #[arg(long, value_enum, default_value_t = ByArg::Register)]
    pub by: ByArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Register,
    Site,
    La,
}

impl From<ByArg> for crate::report::queues::Grouping {
    fn from(b: ByArg) -> Self {
        match b {
            ByArg::Register => Self::Whole,
            ByArg::Site => Self::Site,
            ByArg::La => Self::Authority,
        }
    }
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
        #[command(flatten)]
        spc: SpcArgs,
    },
    /// Share of delayed patients in hospital 14+ and 21+ days, at each month's end
    Los(ChartArgs),
    /// Average delay from the Discharge Ready Date to discharge each month (the Better Care Fund
    /// 2025/26 measure, over all discharges), with and without 0-day delays, and its target
    Drd(ChartArgs),
    /// Each pathway queue's last four weeks and its forecast (median, 85% interval), as `report
    /// forecast` computes it
    Forecast {
        /// Days ahead, today being day 1
        #[arg(long, default_value_t = 10)]
        days: u32,
        /// Only these pathways: 0, 1, 2, 3 or unknown (repeat for several) [default: all]
        #[arg(long = "pathway", value_name = "P")]
        pathway: Vec<String>,
        /// Random runs
        #[arg(long, default_value_t = 1000)]
        runs: u32,
        /// Seed of the random runs
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Local authority ONS code (repeat for several) [default: all]
        #[arg(long = "la", value_name = "CODE")]
        la: Vec<String>,
        /// Site code (repeat for several) [default: all]
        #[arg(long = "site", value_name = "CODE")]
        site: Vec<String>,
        /// The picture to write: FILE.svg or FILE.png
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Size in pixels, WIDTHxHEIGHT
        #[arg(long, default_value = "1000x600", value_parser = parse_size_arg)]
        size: (u32, u32),
    },
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
