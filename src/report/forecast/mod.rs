//! A 10-day forecast of each pathway queue, and a backtest that says how good it has been
//! (issue 27). The method follows the queue model of the discharge planning suite of Bristol,
//! North Somerset and South Gloucestershire (`nhs-bnssg-analytics/discharge_planning_suite`),
//! checked the way Nottingham's early-warning tool checks its own (`systemews`: time-series
//! cross-validation, a rolling origin).
//!
//! **Method**, for each queue (a pathway, for a site, an authority or the whole register):
//!
//! - **Start**: the people waiting at the end of yesterday. Day 1 of the forecast is today; the
//!   model is fitted on the days before today only, today's entries being incomplete. What the
//!   register already holds of today (people ready today, delays ended today) is a floor for day
//!   1's draws, so the forecast of today never contradicts what is already recorded.
//! - **People becoming ready**, each day ahead: the usual number for that day of the week (the
//!   weekday pattern of the last 8 weeks, scaled to the level of the last 4 weeks), drawn at
//!   random around it: a Poisson count, or, when the last 4 weeks' days varied more around their
//!   usual numbers than Poisson counts do, a negative binomial count with that variance (its
//!   ratio to the mean estimated from those days, `dispersion`). Each run also draws its own
//!   level around the recent one, since four weeks of a small queue say little about its true level.
//! - **Capacity**, each day ahead, from the same weekday in the last 4 weeks, one of those four
//!   days picked at random: by default the *share* of the people present that day (waiting, or
//!   becoming ready) whom the pathway discharged, applied to the people present in the run; or, as
//!   the BNSSG model does, the *number* it discharged ([`CapacityModel`]). The scenarios scale it
//!   (−10%, base, +10%).
//! - **Queue**: today's queue = yesterday's + people becoming ready − people leaving, never below
//!   zero. Each person in the queue at a day's end is one delayed day.
//! - **Runs**: all this is repeated 1,000 times with different random draws. The figure shown is
//!   the middle run (median); the 85% interval holds the middle 85% of runs (from the 7.5th to the
//!   92.5th percentile). The scenarios use the same draws, so they differ only by capacity.
//! - **Extra capacity**: the fewest extra discharges per day, on top of the base case, that bring
//!   the median queue on the last day back to where it started.
//! - **Backtest**: for every day in a past range, the forecast is made again as it would have been
//!   that morning (using only earlier days) and compared with what happened, 1 to 10 days ahead:
//!   the mean absolute error of people becoming ready and of the queue length, beside two simple
//!   rules (the queue stays as it is; the average of the same weekday over the last 4 weeks), how
//!   often the actual value fell inside the 85% interval, and the forecast's difference from each
//!   rule with a 95% interval from two-week blocks of origins (a difference within it is a tie).
//! - Reproducible: the same register, seed and today give the same figures, to the byte.
//!
//! Why a share by default: a pathway's discharges rise and fall with the number waiting (more
//! people waiting, more of them placed each day), and a fixed number of discharges carries last
//! month's trend on for ten days. On synthetic registers whose delays last a random time, the
//! share beat both simple rules at every horizon with the interval holding 85–93% of actual
//! values; in the same runs the fixed number lost to "stays as it is" beyond a few days and its
//! interval held only 75–83%. Where capacity really is a fixed number of beds or packages, choose `Slots`.
//!
//! **Limits**: it learns only from each queue's own recent history, so it does not know about bank
//! holidays, outbreaks, ward closures or a new contract until they show in the last weeks;
//! capacity is what was discharged, so it cannot see beds or packages that were free but unused;
//! people whose pathway is not yet known form a queue of their own and do not move between queues;
//! the backtest replays today's register, so ready dates or pathways entered late make the past
//! look better known than it was; small queues are whole numbers, so an honest 85% interval holds a
//! little more than 85% of actual values; a step in the level of people becoming ready (a new
//! month, winter) is seen only as the last 4 weeks take it in, so the interval of people becoming
//! ready is too narrow just after one; on big queues a week ahead, "as on the same day last week"
//! can be as good (BENCHMARKS.md, issue 27: England per pathway).

mod backtest;
mod sample;
#[cfg(test)]
mod tests;

pub use backtest::{
    backtest, backtest_all, backtest_all_told, Backtest, BacktestConfig, BacktestReport, Errors,
    HorizonAccuracy, Paired, SeriesBacktest, Versus, BLOCK_ORIGINS, MIN_BLOCKS,
};

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::queues::{queue_history, Episode, Grouping, QueueError, QueueKey, QueueSeries};
use crate::progress::{Progress, Silent, Unit};
use sample::{binomial_at, mix, overdispersed, poisson, Rng};

/// How the forecast is made. [`ForecastConfig::default`] is the method above.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastConfig {
    /// Days ahead, today being day 1 (default 10).
    pub days: u32,
    /// Random runs (default 1,000).
    pub runs: u32,
    pub seed: u64,
    /// Capacity scenarios in percent of the base (default −10, 0, +10).
    pub capacity_pct: Vec<i32>,
    /// Central share of runs inside the interval (default 0.85).
    pub interval: f64,
    /// Weeks of discharges that capacity is drawn from (default 4).
    pub capacity_weeks: u32,
    /// Weeks that the weekday pattern of people becoming ready is taken from (default 8).
    pub pattern_weeks: u32,
    /// Days that the recent level of people becoming ready is taken from (default 28).
    pub level_days: u32,
    pub capacity_model: CapacityModel,
    /// The first day of the register's coverage when it falls inside the history windows (issue
    /// 24): the model is fitted on the days from it only, the days before being incomplete.
    pub covered_from: Option<NaiveDate>,
}

/// What "capacity" is drawn as, from the same weekday in the last weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CapacityModel {
    /// The number of people the pathway discharged that day (the BNSSG queue model): capacity
    /// does not change with the queue.
    Slots,
    /// The share of the people present that day (waiting, or becoming ready) who left: capacity
    /// grows and shrinks with the queue.
    Share,
}

impl Default for ForecastConfig {
    fn default() -> Self {
        Self {
            days: 10,
            runs: 1000,
            seed: 1,
            capacity_pct: vec![-10, 0, 10],
            interval: 0.85,
            capacity_weeks: 4,
            pattern_weeks: 8,
            level_days: 28,
            capacity_model: CapacityModel::Share,
            covered_from: None,
        }
    }
}

/// Most days ahead and runs accepted (beyond them the answer means little and costs much).
pub const MAX_DAYS: u32 = 90;
pub const MAX_RUNS: u32 = 100_000;

impl ForecastConfig {
    /// Fits on the days since the register's coverage start `covered` when that falls inside the
    /// usual window (issue 24: the days before it are not a complete record; `report forecast` and
    /// the Queues screen alike). Returns the first day fitted on, or `None` when no day before
    /// `today` is covered.
    pub fn fit_covered(
        &mut self,
        covered: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Option<NaiveDate> {
        let usual = today
            .checked_sub_days(Days::new(u64::from(self.history_days())))
            .unwrap_or(NaiveDate::MIN);
        let first = covered.map_or(usual, |c| c.max(usual));
        if first >= today {
            return None;
        }
        self.covered_from = (first > usual).then_some(first);
        Some(first)
    }

    /// Days of history before the first origin that the model looks at.
    pub fn history_days(&self) -> u32 {
        (7 * self
            .capacity_weeks
            .max(self.pattern_weeks)
            .max(backtest::NAIVE_WEEKS))
        .max(self.level_days)
    }

    fn check(&self) -> Result<(), ForecastError> {
        if self.days == 0 || self.days > MAX_DAYS {
            return Err(ForecastError::Days(self.days));
        }
        if self.runs == 0 || self.runs > MAX_RUNS {
            return Err(ForecastError::Runs(self.runs));
        }
        if let Some(&p) = self
            .capacity_pct
            .iter()
            .find(|&&p| !(-100..=1000).contains(&p))
        {
            return Err(ForecastError::Capacity(p));
        }
        if !(self.interval > 0.0 && self.interval < 1.0) {
            return Err(ForecastError::Interval);
        }
        if self.capacity_weeks == 0 || self.pattern_weeks == 0 || self.level_days == 0 {
            return Err(ForecastError::Window);
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    #[error("days ahead must be from 1 to {MAX_DAYS}, not {0}")]
    Days(u32),
    #[error("runs must be from 1 to {MAX_RUNS}, not {0}")]
    Runs(u32),
    #[error("a capacity scenario must be from -100 to 1000 percent, not {0}")]
    Capacity(i32),
    #[error("the interval must be a share between 0 and 1")]
    Interval,
    #[error("the history windows must be at least one day")]
    Window,
    #[error("the queue's history must run to the day before {today}")]
    History { today: NaiveDate },
    #[error("{0} is too near the end of the calendar")]
    Date(NaiveDate),
    #[error("the backtest starts ({from}) after it ends ({to})")]
    Range { from: NaiveDate, to: NaiveDate },
    #[error(transparent)]
    Queue(#[from] QueueError),
}

/// A median with its interval, in whole people (or delayed days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Band {
    pub median: u32,
    pub low: u32,
    pub high: u32,
}

/// One day ahead under one scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForecastDay {
    pub date: NaiveDate,
    /// People becoming ready that day.
    pub arrivals: Band,
    /// People leaving the queue that day (capacity, or fewer when the queue runs out).
    pub leaves: Band,
    /// People waiting at the day's end.
    pub queue: Band,
    /// Delayed days of the queue from day 1 to this day (one per person waiting at each day's end).
    pub delayed_days: Band,
}

/// The days ahead under one capacity scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    /// Capacity in percent of the base (0 = base case).
    pub capacity_pct: i32,
    pub days: Vec<ForecastDay>,
}

/// What the register already holds of today (day 1), the day's entries being incomplete: people
/// who became ready today and delays that ended today so far. Day 1's draws are at least these, so
/// the forecast of today never contradicts what is already recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SoFar {
    pub joins: u32,
    pub leaves: u32,
}

/// One queue's forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesForecast {
    pub key: QueueKey,
    /// Day 1 of the forecast.
    pub today: NaiveDate,
    /// People waiting at the end of yesterday: where the forecast starts.
    pub queue_now: u32,
    /// Today so far, which day 1 starts from.
    pub today_so_far: SoFar,
    /// Expected people becoming ready per day, Monday first.
    pub arrival_rate: [f64; 7],
    /// Mean people leaving a day over the capacity window, Monday first.
    pub leaves_mean: [f64; 7],
    /// One per scenario, in the order asked.
    pub scenarios: Vec<Scenario>,
    /// Fewest extra discharges per day (on the base case) that bring the median queue on the last
    /// day back to `queue_now`; 0 when the base case already does.
    pub extra_capacity: u32,
}

/// The daily counts that the model reads, day `i` being `first + i`.
struct History<'a> {
    first: NaiveDate,
    joins: Vec<u32>,
    leaves: Vec<u32>,
    waiting: Vec<u32>,
    key: &'a QueueKey,
}

impl<'a> History<'a> {
    fn of(series: &'a QueueSeries) -> Option<Self> {
        let first = series.days.first()?.date;
        Some(Self {
            first,
            joins: series.days.iter().map(|d| d.joins).collect(),
            leaves: series.days.iter().map(|d| d.leaves).collect(),
            waiting: series.days.iter().map(|d| d.waiting).collect(),
            key: &series.key,
        })
    }

    fn len(&self) -> usize {
        self.joins.len()
    }

    /// Weekday of day `i`, Monday = 0.
    fn weekday(&self, i: usize) -> usize {
        (self.first.weekday().num_days_from_monday() as usize + i) % 7
    }

    fn date(&self, i: usize) -> NaiveDate {
        self.first + Days::new(i as u64)
    }

    /// Index of `date` if it is in the history (or just after it).
    fn index(&self, date: NaiveDate) -> Option<usize> {
        usize::try_from((date - self.first).num_days()).ok()
    }
}

/// The model fitted at an origin: everything the runs need.
struct Model {
    queue_now: u32,
    rate: [f64; 7],
    /// People who became ready in the level window: how sure the level is.
    level_count: f64,
    /// How much more a day's count of people becoming ready varies than a Poisson count (its
    /// variance over its mean, at least 1), from the level window's days.
    dispersion: f64,
    kind: CapacityModel,
    /// Values to draw capacity from, per weekday: discharges (slots) or shares of those present.
    capacity: [Vec<f64>; 7],
    leaves_mean: [f64; 7],
    /// Weekday (Monday = 0) of day 1.
    start_weekday: usize,
}

/// Days `[end − n, end)` clipped at 0.
fn window(end: usize, n: usize) -> std::ops::Range<usize> {
    end.saturating_sub(n)..end
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// How much more the days' counts of people becoming ready vary than Poisson counts around the
/// fitted rates: the mean of `(count − rate)² / rate` over the days of a rate above 0, at least 1
/// (a Poisson count's variance is its mean). Read from the days before the origin only.
fn dispersion(h: &History, days: std::ops::Range<usize>, rate: &[f64; 7]) -> f64 {
    let (mut sum, mut n) = (0.0, 0u32);
    for i in days {
        let mu = rate[h.weekday(i)];
        if mu > 0.0 {
            sum += (f64::from(h.joins[i]) - mu).powi(2) / mu;
            n += 1;
        }
    }
    if n == 0 {
        1.0
    } else {
        (sum / f64::from(n)).max(1.0)
    }
}

impl Model {
    /// Fit on the days before index `end` (the origin, day 1 of the forecast); `end ≥ 1`.
    fn fit(h: &History, end: usize, cfg: &ForecastConfig) -> Self {
        let queue_now = h.waiting[end - 1];
        // Weekday pattern of people becoming ready: each weekday's mean over the mean of all days.
        let mut sum = [0.0f64; 7];
        let mut n = [0u32; 7];
        for i in window(end, 7 * cfg.pattern_weeks as usize) {
            sum[h.weekday(i)] += f64::from(h.joins[i]);
            n[h.weekday(i)] += 1;
        }
        let total: f64 = sum.iter().sum();
        let days: u32 = n.iter().sum();
        let overall = if days > 0 {
            total / f64::from(days)
        } else {
            0.0
        };
        let factor: [f64; 7] = std::array::from_fn(|w| {
            if n[w] > 0 && overall > 0.0 {
                sum[w] / f64::from(n[w]) / overall
            } else {
                1.0
            }
        });
        // Recent level: the last days' arrivals over what the pattern expects of those days.
        let (mut got, mut expect) = (0.0, 0.0);
        for i in window(end, cfg.level_days as usize) {
            got += f64::from(h.joins[i]);
            expect += factor[h.weekday(i)];
        }
        let level = if expect > 0.0 { got / expect } else { 0.0 };
        let rate = factor.map(|f| f * level);
        let dispersion = dispersion(h, window(end, cfg.level_days as usize), &rate);
        // Capacity: the same weekday in the last weeks, as discharges or as the share of the
        // people present (waiting the night before or ready that day) who left.
        let recent = window(end, 7 * cfg.capacity_weeks as usize);
        let mut leaves: [Vec<f64>; 7] = Default::default();
        let mut capacity: [Vec<f64>; 7] = Default::default();
        for i in recent.clone() {
            let l = f64::from(h.leaves[i]);
            leaves[h.weekday(i)].push(l);
            let present = f64::from(h.waiting[i]) + l;
            match cfg.capacity_model {
                CapacityModel::Slots => capacity[h.weekday(i)].push(l),
                CapacityModel::Share if present > 0.0 => {
                    capacity[h.weekday(i)].push(l / present);
                }
                CapacityModel::Share => {}
            }
        }
        let all: Vec<f64> = capacity.iter().flatten().copied().collect();
        for c in &mut capacity {
            if c.is_empty() {
                c.clone_from(&all);
            }
            if c.is_empty() {
                c.push(0.0);
            }
        }
        Self {
            queue_now,
            rate,
            level_count: got,
            dispersion,
            kind: cfg.capacity_model,
            capacity,
            leaves_mean: leaves.each_ref().map(|v| mean(v)),
            start_weekday: h.weekday(end),
        }
    }

    /// `runs × days` draws, run-major. Each run first draws its own level of arrivals around the
    /// fitted one (a Poisson count of the level window's arrivals, so a level seen on few people
    /// is less sure), then each day's arrivals and capacity.
    fn draw(&self, days: usize, runs: usize, so_far: SoFar, rng: &mut Rng) -> Draws {
        let mut arrivals = Vec::with_capacity(days * runs);
        let mut capacity = Vec::with_capacity(days * runs);
        let share = self.kind == CapacityModel::Share;
        let mut round = Vec::with_capacity(if share { days * runs } else { 0 });
        for _ in 0..runs {
            let g = if self.level_count > 0.0 {
                f64::from(poisson(rng, self.level_count)) / self.level_count
            } else {
                1.0
            };
            for t in 0..days {
                let w = (self.start_weekday + t) % 7;
                let a = overdispersed(rng, self.rate[w] * g, self.dispersion);
                arrivals.push(if t == 0 { a.max(so_far.joins) } else { a });
                let c = &self.capacity[w];
                capacity.push(c[rng.below(c.len())]);
                if share {
                    round.push(rng.unit());
                }
            }
        }
        Draws {
            known_leaves: so_far.leaves,
            days,
            runs,
            kind: self.kind,
            arrivals,
            capacity,
            round,
        }
    }
}

struct Draws {
    /// Day 1's leaves are at least these (today so far).
    known_leaves: u32,
    days: usize,
    runs: usize,
    kind: CapacityModel,
    arrivals: Vec<u32>,
    capacity: Vec<f64>,
    /// Uniforms for the day's count of people leaving (share model only).
    round: Vec<f64>,
}

/// The queue of every run, run-major, with the leaves.
struct Runs {
    queue: Vec<u32>,
    leaves: Vec<u32>,
}

impl Draws {
    /// Run the queue: `q(t) = max(0, q(t−1) + arrivals − capacity)`, capacity scaled by
    /// `1 + pct/100` (slots rounded to whole people) plus `extra` a day.
    fn run(&self, queue_now: u32, pct: i32, extra: u32) -> Runs {
        let f = 1.0 + f64::from(pct) / 100.0;
        let mut queue = Vec::with_capacity(self.arrivals.len());
        let mut leaves = Vec::with_capacity(self.arrivals.len());
        for r in 0..self.runs {
            let mut q = queue_now;
            for t in 0..self.days {
                let i = r * self.days + t;
                let present = q + self.arrivals[i];
                let cap = match self.kind {
                    CapacityModel::Slots => (self.capacity[i] * f).round().max(0.0) as u32,
                    CapacityModel::Share => binomial_at(
                        self.round[i],
                        present,
                        (self.capacity[i] * f).clamp(0.0, 1.0),
                    ),
                };
                let cap = if t == 0 {
                    cap.max(self.known_leaves)
                } else {
                    cap
                };
                let out = cap.saturating_add(extra).min(present);
                q = present - out;
                queue.push(q);
                leaves.push(out);
            }
        }
        Runs { queue, leaves }
    }

    /// The median queue on the last day.
    fn last_median(&self, queue_now: u32, extra: u32, tail: f64) -> u32 {
        let runs = self.run(queue_now, 0, extra);
        let mut col: Vec<u32> = (0..self.runs)
            .map(|r| runs.queue[r * self.days + self.days - 1])
            .collect();
        band(&mut col, tail).median
    }

    /// Fewest extra per day that brings the median last-day queue to `queue_now` or below. With
    /// `extra` at the largest day's arrivals no run's queue ever rises, so the search is bounded;
    /// the median falls as `extra` grows (each run's queue does), so it is a binary search.
    fn extra_capacity(&self, queue_now: u32, tail: f64) -> u32 {
        let (mut lo, mut hi) = (0u32, self.arrivals.iter().copied().max().unwrap_or(0));
        if self.last_median(queue_now, 0, tail) <= queue_now {
            return 0;
        }
        while lo + 1 < hi {
            let mid = lo + (hi - lo) / 2;
            if self.last_median(queue_now, mid, tail) <= queue_now {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }
}

/// Median and central interval of a column (reordered in place): nearest-rank quantiles, so
/// every figure is one a run produced. `tail` is the share left out on each side.
fn band(col: &mut [u32], tail: f64) -> Band {
    let n = col.len();
    let rank = |p: f64| ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
    let (lo, mid, hi) = (rank(tail), rank(0.5), rank(1.0 - tail));
    let median = *col.select_nth_unstable(mid).1;
    let low = if lo < mid {
        *col[..mid].select_nth_unstable(lo).1
    } else {
        median
    };
    let high = if hi > mid {
        *col[mid + 1..].select_nth_unstable(hi - mid - 1).1
    } else {
        median
    };
    Band { median, low, high }
}

/// The per-day bands of a run-major matrix.
fn bands(m: &[u32], days: usize, runs: usize, tail: f64) -> Vec<Band> {
    (0..days)
        .map(|t| {
            let mut col: Vec<u32> = (0..runs).map(|r| m[r * days + t]).collect();
            band(&mut col, tail)
        })
        .collect()
}

/// Delayed days from day 1 to each day, run-major.
fn cumulative(queue: &[u32], days: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(queue.len());
    for run in queue.chunks(days) {
        let mut s = 0u32;
        for &q in run {
            s = s.saturating_add(q);
            out.push(s);
        }
    }
    out
}

/// `d` moved by `n` days, or an error at the ends of the calendar.
fn shift(d: NaiveDate, n: i64) -> Result<NaiveDate, ForecastError> {
    d.checked_add_signed(chrono::TimeDelta::days(n))
        .ok_or(ForecastError::Date(d))
}

fn key_bytes(key: &QueueKey) -> Vec<u8> {
    let mut b = key.group.as_bytes().to_vec();
    b.push(0);
    b.push(key.pathway.map_or(9, |p| p.number()));
    b
}

/// Forecast one queue from its daily history, which must run to the day before `today`
/// (later days are ignored), knowing nothing of today.
pub fn forecast(
    series: &QueueSeries,
    today: NaiveDate,
    cfg: &ForecastConfig,
) -> Result<SeriesForecast, ForecastError> {
    forecast_from(series, today, SoFar::default(), cfg)
}

/// [`forecast`], day 1 starting from what today already holds.
pub fn forecast_from(
    series: &QueueSeries,
    today: NaiveDate,
    so_far: SoFar,
    cfg: &ForecastConfig,
) -> Result<SeriesForecast, ForecastError> {
    cfg.check()?;
    shift(today, i64::from(cfg.days))?;
    let h = History::of(series).ok_or(ForecastError::History { today })?;
    let end = h
        .index(today)
        .filter(|e| (1..=h.len()).contains(e))
        .ok_or(ForecastError::History { today })?;
    let model = Model::fit(&h, end, cfg);
    let days = cfg.days as usize;
    let runs = cfg.runs as usize;
    let tail = (1.0 - cfg.interval) / 2.0;
    let mut rng = Rng::new(mix(cfg.seed, &key_bytes(&series.key), 0));
    let draws = model.draw(days, runs, so_far, &mut rng);
    let arrivals = bands(&draws.arrivals, days, runs, tail);
    let scenarios = cfg
        .capacity_pct
        .iter()
        .map(|&pct| {
            let r = draws.run(model.queue_now, pct, 0);
            let queue = bands(&r.queue, days, runs, tail);
            let leaves = bands(&r.leaves, days, runs, tail);
            let delayed = bands(&cumulative(&r.queue, days), days, runs, tail);
            Scenario {
                capacity_pct: pct,
                days: (0..days)
                    .map(|t| ForecastDay {
                        date: today + Days::new(t as u64),
                        arrivals: arrivals[t],
                        leaves: leaves[t],
                        queue: queue[t],
                        delayed_days: delayed[t],
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(SeriesForecast {
        key: series.key.clone(),
        today,
        queue_now: model.queue_now,
        today_so_far: so_far,
        arrival_rate: model.rate,
        leaves_mean: model.leaves_mean,
        scenarios,
        extra_capacity: draws.extra_capacity(model.queue_now, tail),
    })
}

/// Forecast every queue of the episodes (grouped as asked) from `today`: the history is taken
/// from the episodes over the days the model reads, up to yesterday, and day 1 from what the
/// episodes hold of today so far (the history's last day: people ready today, delays ended today).
pub fn forecast_all(
    episodes: &[Episode],
    grouping: Grouping,
    today: NaiveDate,
    cfg: &ForecastConfig,
) -> Result<Vec<SeriesForecast>, ForecastError> {
    forecast_all_told(episodes, grouping, today, cfg, &Silent)
}

/// [`forecast_all`], telling `progress` of each queue done (a phase "queues", one step a
/// queue): every authority's queues with many runs or days take minutes.
pub fn forecast_all_told(
    episodes: &[Episode],
    grouping: Grouping,
    today: NaiveDate,
    cfg: &ForecastConfig,
    progress: &dyn Progress,
) -> Result<Vec<SeriesForecast>, ForecastError> {
    cfg.check()?;
    let from = shift(today, -i64::from(cfg.history_days()))?;
    let from = cfg.covered_from.map_or(from, |c| c.max(from));
    // The model reads the days before today only; today's joins and leaves are the floor of day 1.
    let history = queue_history(episodes, grouping, from, today)?;
    progress.phase("queues", Some(history.series.len() as u64), Unit::Steps);
    history
        .series
        .iter()
        .map(|s| {
            let so_far = s.days.last().map_or(SoFar::default(), |d| SoFar {
                joins: d.joins,
                leaves: d.leaves,
            });
            let f = forecast_from(s, today, so_far, cfg);
            progress.advance(1);
            f
        })
        .collect()
}
