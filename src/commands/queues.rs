//! `report queues` and `report forecast` (issue 27): the pathway queues now and day by day, their
//! 10-day forecast with capacity scenarios, and the forecast's backtest.

use super::output::{emit, Dest, Format};
use crate::domain::{LaCode, Pathway};
use crate::progress::{Progress, Silent};
use crate::report::chart::{ForecastChart, ForecastLine};
use crate::report::forecast::{
    backtest_all_told, forecast_all_told, BacktestConfig, ForecastConfig, SeriesForecast,
};
use crate::report::queue_suppress::{queue_hidden, QueueHiding};
use crate::report::queues::{queue_history, Episode, Grouping, Quiet};
use crate::report::queues_table::{
    backtest_table, forecast_summary_table, forecast_table, queue_history_table, queues_now_table,
};
use crate::store::{Coverage, QueueFilter, Store};
use anyhow::{bail, Context, Result};
use chrono::{Days, NaiveDate};
use std::io::Write;
use std::path::Path;

/// Which delays a queue report counts and how it groups them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueScope {
    /// Local authority codes [default: all].
    pub las: Vec<String>,
    /// Site codes [default: all].
    pub sites: Vec<String>,
    /// Pathways `0`–`3` or `unknown` [default: all].
    pub pathways: Vec<String>,
    pub by: Grouping,
}

/// A pathway as the commands take it: `0`–`3`, or `unknown` for not yet known.
pub fn parse_pathway(s: &str) -> Result<Option<Pathway>> {
    match s.trim() {
        "unknown" => Ok(None),
        t => Pathway::parse(t)
            .map(Some)
            .map_err(|_| anyhow::anyhow!("pathway {t:?}: give 0, 1, 2, 3 or unknown")),
    }
}

/// The delays of `scope` waiting on some day of `from..=to`, as the queues see them.
pub fn load_episodes(
    store: &Store,
    scope: &QueueScope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Episode>> {
    let pathways = scope
        .pathways
        .iter()
        .map(|p| parse_pathway(p))
        .collect::<Result<Vec<_>>>()?;
    let filter = QueueFilter {
        from,
        to,
        las: LaCode::parse_all(&scope.las)?,
        sites: scope.sites.clone(),
    };
    Ok(store
        .queue_delays(&filter)?
        .into_iter()
        .filter(|d| pathways.is_empty() || pathways.contains(&d.pathway))
        .map(|d| Episode {
            ready: d.ready_on,
            ended: d.ended_on,
            pathway: d.pathway,
            site: d.site_code,
            authority: d.la_code.to_string(),
        })
        .collect())
}

fn days_before(d: NaiveDate, n: u32) -> Result<NaiveDate> {
    d.checked_sub_days(Days::new(u64::from(n)))
        .with_context(|| format!("{d} is too near the start of the calendar"))
}

/// `report queues`: the queues today, and with `from`/`to` (to defaulting to today, from to 4 weeks
/// before it) their daily history.
#[allow(clippy::too_many_arguments)]
pub fn queues(
    store: &Store,
    scope: &QueueScope,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    format: Format,
    dest: &Dest,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    let range = match (from, to) {
        (None, None) => None,
        (f, t) => {
            let t = t.unwrap_or(today);
            let f = match f {
                Some(f) => f,
                None => days_before(t, 27)?,
            };
            super::monthly::not_future("--to", &t, t, today)?;
            Some((f, t))
        }
    };
    let first = range.map_or(today, |(f, _)| f.min(today));
    let eps = load_episodes(store, scope, first, today)?;
    let coverage = store.coverage()?;
    let hiding = suppressed(store, scope, first, today, dest.suppress)?;
    let now = queue_history(&eps, scope.by, today, today)?;
    let mut tables = vec![queues_now_table(&now, scope.by, hiding.as_ref())];
    tables[0]
        .notes
        .extend(warn_quiet(store, &coverage, today, "report")?.map(|(_, w)| w));
    if !coverage.covers_day(today) {
        // Today before the register's coverage: its queues are incomplete, blank, never 0.
        tables[0].blank_figures(coverage.note_days(today, today));
    }
    if let Some((f, t)) = range {
        let h = queue_history(&eps, scope.by, f, t)?;
        let mut table = queue_history_table(&h, scope.by, hiding.as_ref());
        // A day before the register's coverage is blank, never 0 (issue 24).
        table.blank_before_coverage(&coverage, coverage.blank_note_days(f, t));
        tables.push(table);
    }
    emit(tables, format, dest, today, out)
}

/// What `report forecast` runs: days ahead, runs, seed and capacity scenarios.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastRequest {
    pub days: u32,
    pub runs: u32,
    pub seed: u64,
    pub capacity_pct: Vec<i32>,
}

impl ForecastRequest {
    fn config(&self) -> ForecastConfig {
        ForecastConfig {
            days: self.days,
            runs: self.runs,
            seed: self.seed,
            capacity_pct: if self.capacity_pct.is_empty() {
                vec![0]
            } else {
                self.capacity_pct.clone()
            },
            ..ForecastConfig::default()
        }
    }
}

/// `report forecast`: each queue's forecast from today, day by day with its scenarios side by
/// side, and a summary of where it ends and the extra capacity that would hold it.
#[allow(clippy::too_many_arguments)]
pub fn forecast(
    store: &Store,
    scope: &QueueScope,
    req: &ForecastRequest,
    format: Format,
    dest: &Dest,
    today: NaiveDate,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    let mut cfg = req.config();
    let from = days_before(today, cfg.history_days())?;
    let eps = load_episodes(store, scope, from, today)?;
    let coverage = store.coverage()?;
    let note = covered_history(&coverage, &mut cfg, today)?;
    let fs = forecasts(&eps, scope.by, today, &cfg, progress)?;
    // Yesterday's and today's waiting are `report queues`' counts: hidden alike.
    let hiding = suppressed(store, scope, days_before(today, 1)?, today, dest.suppress)?;
    let mut tables = vec![
        forecast_summary_table(&fs, scope.by, hiding.as_ref()),
        forecast_table(&fs, scope.by, cfg.interval, hiding.as_ref()),
    ];
    tables[0].notes.push(note);
    tables[0]
        .notes
        .extend(warn_quiet(store, &coverage, today, "forecast")?.map(|(_, w)| w));
    emit(tables, format, dest, today, out)
}

/// `--suppress n`'s decision over the queues of `first..=last`, made over every delay whatever the
/// scope (`report::queue_suppress`), with how the scope's tables read it: `None` for `n == 0`. Refused for a scope whose queues are a figure
/// the decision does not make (several sites or authorities as one queue, or a site's queue
/// within an authority), which would give a hidden count back beside another output.
fn suppressed(
    store: &Store,
    scope: &QueueScope,
    first: NaiveDate,
    last: NaiveDate,
    n: u64,
) -> Result<Option<QueueHiding>> {
    if n == 0 {
        return Ok(None);
    }
    let (las, sites) = (&scope.las, &scope.sites);
    let (by, group) = match scope.by {
        Grouping::Whole if las.is_empty() && sites.is_empty() => (Grouping::Whole, None),
        Grouping::Whole if las.len() == 1 && sites.is_empty() => {
            (Grouping::Authority, Some(las[0].clone()))
        }
        Grouping::Whole if sites.len() == 1 && las.is_empty() => {
            (Grouping::Site, Some(sites[0].clone()))
        }
        Grouping::Site if las.is_empty() => (Grouping::Site, None),
        Grouping::Authority if sites.is_empty() => (Grouping::Authority, None),
        _ => bail!(
            "--suppress: the queues of several sites or authorities together, or of a site within \
             an authority, are figures the suppression does not decide, so beside another output \
             they could give a hidden count back; ask for one --la or --site, or --by la or \
             --by site with those of the same kind"
        ),
    };
    let all = QueueScope {
        las: Vec::new(),
        sites: Vec::new(),
        pathways: Vec::new(),
        by: Grouping::Whole,
    };
    let eps = load_episodes(store, &all, first, last)?;
    Ok(Some(QueueHiding {
        hidden: queue_hidden(&eps, first, last, n)?,
        by,
        group,
    }))
}

/// When the register stops short of today ([`Quiet`]): its last entry and coverage.
fn register_quiet(store: &Store, coverage: &Coverage, today: NaiveDate) -> Result<Option<Quiet>> {
    Ok(Quiet::of(
        store.last_entry(today)?,
        coverage.from_day(),
        today,
    ))
}

/// Says on stderr (whatever the format) when the register stops short of today: the queues and
/// the forecast read the days since as nobody becoming ready or leaving (`verb`: what to do from
/// an earlier `--today`). Returns it with what it says, for the table's notes.
fn warn_quiet(
    store: &Store,
    coverage: &Coverage,
    today: NaiveDate,
    verb: &str,
) -> Result<Option<(Quiet, String)>> {
    let Some(q) = register_quiet(store, coverage, today)? else {
        return Ok(None);
    };
    let w = match q.last_entry {
        Some(last) => format!(
            "{}; enter those days, or {verb} from --today {}",
            q.note(),
            last + Days::new(1)
        ),
        None => format!("{}; enter those days", q.note()),
    };
    eprintln!("warning: {w}");
    Ok(Some((q, w)))
}

/// Fits the forecast on covered days only (issue 24): the days before the register's coverage are
/// not a complete record (the patients who left before it were never entered), so its history
/// starts at coverage when that is later than the model's usual window. Returns the note that says
/// which days the forecast takes; refused when no day before today is covered.
fn covered_history(
    coverage: &Coverage,
    cfg: &mut ForecastConfig,
    today: NaiveDate,
) -> Result<String> {
    let Some(first) = cfg.fit_covered(coverage.from_day(), today) else {
        bail!(
            "the register's coverage starts on {} ({}): no complete day before {today} to forecast from",
            coverage.from_day().unwrap_or(today),
            coverage.sites_text()
        );
    };
    let yesterday = days_before(today, 1)?;
    Ok(format!(
        "fitted on {first} to {yesterday}{}",
        if cfg.covered_from.is_some() {
            " (the days since the register's coverage only)"
        } else {
            ""
        }
    ))
}

/// Every queue's forecast, pathways 0–3 first, then not yet known (as in `report queues`); an
/// error when there is none.
fn forecasts(
    eps: &[Episode],
    by: Grouping,
    today: NaiveDate,
    cfg: &ForecastConfig,
    progress: &dyn Progress,
) -> Result<Vec<SeriesForecast>> {
    let mut fs = forecast_all_told(eps, by, today, cfg, progress)?;
    progress.finish();
    fs.sort_by(|a, b| {
        (&a.key.group, a.key.pathway.is_none(), a.key.pathway).cmp(&(
            &b.key.group,
            b.key.pathway.is_none(),
            b.key.pathway,
        ))
    });
    if fs.is_empty() {
        bail!(
            "no delays in the {} days before {today} to forecast from",
            cfg.history_days()
        );
    }
    Ok(fs)
}

/// Days of history the forecast chart shows before today.
const CHART_PAST_DAYS: u32 = 28;

/// `chart forecast`: each pathway queue of `scope` (all in one picture) over the last four weeks
/// and its forecast's base case, written to `path` (SVG or PNG by its extension).
pub fn chart_forecast(
    store: &Store,
    scope: &QueueScope,
    req: &ForecastRequest,
    path: &Path,
    size: (u32, u32),
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    let mut cfg = ForecastConfig {
        capacity_pct: vec![0],
        ..req.config()
    };
    let from = days_before(today, cfg.history_days())?;
    let yesterday = days_before(today, 1)?;
    let eps = load_episodes(store, scope, from, today)?;
    let coverage = store.coverage()?;
    covered_history(&coverage, &mut cfg, today)?;
    let fs = forecasts(&eps, Grouping::Whole, today, &cfg, &Silent)?;
    // The chart travels without stderr: its title says it instead of the weeks drawn.
    let stale = warn_quiet(store, &coverage, today, "forecast")?.map(|(q, _)| match q.last_entry {
        Some(last) => format!("nothing entered after {last}"),
        None => format!("nothing entered since {}", q.first),
    });
    // The past drawn starts at coverage when that is later (no day before it is complete).
    let first =
        days_before(today, CHART_PAST_DAYS)?.max(cfg.covered_from.unwrap_or(NaiveDate::MIN));
    let past_days = (today - first).num_days().max(0) as usize;
    let past = queue_history(&eps, Grouping::Whole, first, yesterday)?;
    let lines: Vec<ForecastLine> = fs
        .iter()
        .map(|f| ForecastLine {
            name: match f.key.pathway {
                Some(p) => format!("pathway {}", p.number()),
                None => "pathway not yet known".to_string(),
            },
            past: past.series.iter().find(|s| s.key == f.key).map_or_else(
                || vec![0; past_days],
                |s| s.days.iter().map(|d| d.waiting).collect(),
            ),
            ahead: f.scenarios[0].days.iter().map(|d| d.queue).collect(),
        })
        .collect();
    let mut days: Vec<NaiveDate> = first.iter_days().take_while(|d| *d < today).collect();
    days.extend(fs[0].scenarios[0].days.iter().map(|d| d.date));
    let title = match stale {
        None => format!("Pathway queues: the last {past_days} days and the forecast from {today}"),
        Some(stale) => format!("Pathway queues, the forecast from {today}: {stale}"),
    };
    super::chart::write_chart(
        path,
        size,
        &ForecastChart {
            title: &title,
            days: &days,
            lines: &lines,
        },
    )?;
    writeln!(out, "wrote {}", path.display())?;
    Ok(())
}

/// `report forecast --backtest`: the forecast made again on every day of `from..=to` from the days
/// before it, compared with what happened, 1 to 10 days ahead, pooled over the queues.
#[allow(clippy::too_many_arguments)]
pub fn backtest(
    store: &Store,
    scope: &QueueScope,
    req: &ForecastRequest,
    from: NaiveDate,
    to: NaiveDate,
    format: Format,
    dest: &Dest,
    today: NaiveDate,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<()> {
    let mut cfg = BacktestConfig::new(from, to);
    cfg.forecast = req.config();
    let first = days_before(from, cfg.forecast.history_days())?;
    // Origins after the register's coverage only, fitted on covered days (issue 24).
    let coverage = store.coverage()?;
    if let Some(day) = coverage.from_day().filter(|d| *d > first) {
        if day >= from {
            bail!(
                "--from {from} is not after the register's coverage ({day}; {}): a forecast made then had no complete history",
                coverage.sites_text()
            );
        }
        cfg.forecast.covered_from = Some(day);
    }
    let eps = load_episodes(store, scope, first, days_before(today, 1)?)?;
    // Actual values only from the days the register holds: when its delays stop short of today,
    // the backtest ends where they do (the days since would read as nobody ready or leaving).
    let mut notes = Vec::new();
    let known_to = match register_quiet(store, &coverage, today)? {
        None if from >= today => bail!(
            "--from {from} is not before today ({today}): no day after it is known yet to compare with"
        ),
        None => today,
        Some(q) if q.first <= from => bail!(
            "--from {from} is after the last day on which a delay began or ended ({}): no actual values to compare with",
            q.last_entry
                .map_or_else(|| format!("none since {}", q.first), |d| d.to_string())
        ),
        Some(q) => {
            let last = q.first - Days::new(1);
            let n = format!(
                "no delay began or ended after {last}: the forecasts are compared with the days to {last} only"
            );
            eprintln!("warning: {n}");
            notes.push(n);
            q.first
        }
    };
    // The last origins whose every horizon is known: later ones count at the nearer horizons
    // only, so the longer horizons rest on fewer forecasts (their `forecasts` column says how many).
    let full = known_to.checked_sub_days(Days::new(u64::from(cfg.horizons)));
    if let Some(full) = full.filter(|&f| to > f) {
        notes.push(format!(
            "origins after {full} are compared only at the horizons whose day is before {known_to}: \
             fewer forecasts at the longer horizons"
        ));
    }
    let report = backtest_all_told(&eps, scope.by, known_to, &cfg, progress)?;
    progress.finish();
    let title = format!(
        "Forecast backtest, origins {from} to {to}, {} queues pooled, then by pathway",
        report.series.len()
    );
    let mut table = backtest_table(&report, &title);
    table.notes.extend(notes);
    emit(vec![table], format, dest, today, out)
}
