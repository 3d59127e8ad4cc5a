//! The report and chart subcommands and their arguments (clap derive), out of `cli.rs` for its size.

use super::*;

#[derive(Debug, Subcommand)]
pub enum ReportKind {
    /// Delayed days per month, authority and measure, with rates per 100,000 and targets
    #[command(after_help = MONTHLY_EXAMPLES)]
    Monthly {
        #[command(flatten)]
        range: RangeArgs,
        /// One row per month, quarter or (financial) year of each authority
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
    #[command(after_help = LOS_EXAMPLES)]
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
        range: OneLaRangeArgs,
        #[command(flatten)]
        spc: SpcArgs,
    },
    /// One ISO week's delayed days by authority, attribution, reason and type of care, the
    /// patients delayed at its end, the change from the week before, and its sign-off. As table:
    /// the summary and sign-off; csv: the detail rows; json, xlsx: the table by authority and the
    /// detail rows
    Weekly {
        /// The ISO week (YYYY-Www, e.g. 2018-W27), Monday to Sunday
        #[arg(long, value_parser = parse_week_arg)]
        week: crate::domain::Week,
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
            default_value = "-10,0,10",
            value_parser = whole_percent
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
        #[command(flatten)]
        output: OutputArgs,
    },
    /// A month's locally signed days against the hospital's reported figures
    Reconcile {
        /// The month (YYYY-MM)
        #[arg(long, value_parser = parse_month_arg)]
        month: YearMonth,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Rank one authority among comparators and England, month by month, by published delayed
    /// days and per 100,000 (needs `import published`), beside its locally recorded days
    Benchmark {
        #[command(flatten)]
        range: OneLaRangeArgs,
        /// Comparator authorities: ONS or legacy codes (repeat, or comma-separated: e.g.
        /// E10000007,E10000019)
        #[arg(long, value_delimiter = ',', value_name = "CODE", required = true)]
        group: Vec<String>,
    },
}

/// Which delays the queue reports count, and how they are grouped.
#[derive(Debug, Args)]
pub struct QueueScopeArgs {
    /// Local authority: ONS code or legacy code as published (repeat for several) [default: all]
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
    /// One authority's monthly rate per 100,000 adults per day (DTOC beds when it has no
    /// population estimate), stacked by responsible organisation, with the target line
    Monthly {
        /// The local authority: ONS code or legacy code as published (exactly one)
        #[arg(long = "la", value_name = "CODE")]
        la: String,
        #[command(flatten)]
        chart: ChartArgs,
    },
    /// SPC (XmR) chart of one authority: the monthly rate with its mean, process limits and
    /// special causes marked
    Spc {
        /// The local authority: ONS code or legacy code as published (exactly one)
        #[arg(long = "la", value_name = "CODE")]
        la: String,
        #[command(flatten)]
        chart: ChartArgs,
        #[command(flatten)]
        spc: SpcArgs,
    },
    /// The share of acute inpatients in hospital 14+ and 21+ days on each Monday of the months
    /// (the weekly snapshot of `report los` over the acute sites with a denominator: two lines, %
    /// of inpatients), with the authority's share targets dashed; several --la: their inpatients
    /// together
    Los {
        /// Local authority: ONS code or legacy code as published (repeat for several, drawn
        /// together)
        #[arg(long = "la", value_name = "CODE", required = true)]
        la: Vec<String>,
        #[command(flatten)]
        chart: ChartArgs,
    },
    /// Average delay from the Discharge Ready Date to discharge each month (the Better Care Fund
    /// 2025/26 measure, over all discharges), with and without 0-day delays, and its target
    Drd {
        /// The local authority: ONS code or legacy code as published (exactly one)
        #[arg(long = "la", value_name = "CODE")]
        la: String,
        #[command(flatten)]
        chart: ChartArgs,
    },
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
        /// Local authority: ONS code or legacy code as published (repeat for several) [default:
        /// all]
        #[arg(long = "la", value_name = "CODE")]
        la: Vec<String>,
        /// Site code (repeat for several) [default: all]
        #[arg(long = "site", value_name = "CODE")]
        site: Vec<String>,
        #[command(flatten)]
        picture: PictureArgs,
    },
}

/// The file a chart is drawn into.
#[derive(Debug, Args)]
pub struct PictureArgs {
    /// The picture to write: FILE.svg or FILE.png (the extension gives the format)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// svg or png [default: from --out's extension, which must agree]
    #[arg(long, value_enum, ignore_case = true)]
    pub format: Option<PictureArg>,
    /// Size in pixels, WIDTHxHEIGHT
    #[arg(long, default_value = "1000x600", value_parser = parse_size_arg)]
    pub size: (u32, u32),
}

/// The months of a chart and its file.
#[derive(Debug, Args)]
pub struct ChartArgs {
    #[command(flatten)]
    pub months: MonthsArgs,
    #[command(flatten)]
    pub picture: PictureArgs,
}

/// A capacity scenario as typed: a whole percent (the forecast refuses one outside −100 to 1000
/// in its own words); a number too big for a percent at all is "not a whole percent", not clap's
/// bounds of a 32-bit integer.
fn whole_percent(s: &str) -> Result<i32, String> {
    s.trim()
        .parse::<i32>()
        .map_err(|_| format!("{s:?} is not a whole percent (e.g. -10, 0 or 10)"))
}
