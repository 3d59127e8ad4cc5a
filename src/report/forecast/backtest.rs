//! The backtest: a rolling origin over past days. Each origin day is forecast from the days
//! before it only (the model is fitted afresh), and each horizon (1 = the origin day itself) is
//! compared with what happened: people becoming ready and the queue at the day's end, against the
//! forecast's median, two naive forecasts and the forecast's interval.
//!
//! The naive forecasts, for a target day: "stays as it is" (the last day's value before the
//! origin) and "same weekday" (the mean of the target's weekday over the 4 weeks before the
//! origin; the last value when there is none).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, TimeDelta};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::sample::{mix, Rng};
use super::{band, key_bytes, shift, window, Band, ForecastConfig, ForecastError, History, Model};
use crate::domain::Pathway;
use crate::progress::{Progress, Silent, Unit};
use crate::report::queues::{queue_history, Episode, Grouping, QueueKey, QueueSeries};

/// Weeks of the "same weekday" naive forecast.
pub(super) const NAIVE_WEEKS: u32 = 4;

/// What to backtest: origins `from..=to` (only those before `today` count, and a horizon only
/// when its day is before `today`), horizons `1..=horizons`, each forecast made as `forecast` says
/// (its `days` and `capacity_pct` are not used: the base case is tested).
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestConfig {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Default 10.
    pub horizons: u32,
    pub forecast: ForecastConfig,
}

impl BacktestConfig {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        Self {
            from,
            to,
            horizons: 10,
            forecast: ForecastConfig::default(),
        }
    }
}

/// Sums of absolute errors over the forecasts of one horizon, and how many actual values fell
/// inside the interval. Sums rather than means, so that queues and authorities pool by adding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Errors {
    /// Forecasts compared.
    pub n: u64,
    /// Sum of |actual − forecast median|.
    pub model: f64,
    /// Sum of |actual − last value|.
    pub naive_last: f64,
    /// Sum of |actual − same-weekday mean of the last 4 weeks|.
    pub naive_weekday: f64,
    /// Actual values within the interval (ends included).
    pub inside: u64,
}

impl Errors {
    fn add(&mut self, actual: u32, forecast: Band, last: f64, weekday: f64) {
        let a = f64::from(actual);
        self.n += 1;
        self.model += (a - f64::from(forecast.median)).abs();
        self.naive_last += (a - last).abs();
        self.naive_weekday += (a - weekday).abs();
        self.inside += u64::from((forecast.low..=forecast.high).contains(&actual));
    }

    fn merge(&mut self, o: &Errors) {
        self.n += o.n;
        self.model += o.model;
        self.naive_last += o.naive_last;
        self.naive_weekday += o.naive_weekday;
        self.inside += o.inside;
    }

    fn mean(&self, sum: f64) -> Option<f64> {
        (self.n > 0).then(|| sum / self.n as f64)
    }

    /// Mean absolute error of the forecast's median.
    pub fn mae(&self) -> Option<f64> {
        self.mean(self.model)
    }

    pub fn mae_naive_last(&self) -> Option<f64> {
        self.mean(self.naive_last)
    }

    pub fn mae_naive_weekday(&self) -> Option<f64> {
        self.mean(self.naive_weekday)
    }

    /// Share of actual values inside the interval.
    pub fn coverage(&self) -> Option<f64> {
        self.mean(self.inside as f64)
    }
}

/// Consecutive origins whose mean differences make one block of [`Paired::versus`]: two weeks, so
/// that each block holds every weekday twice and the errors of nearby origins, which move
/// together, fall mostly in one block.
pub const BLOCK_ORIGINS: usize = 14;
/// Fewest whole blocks for an interval.
pub const MIN_BLOCKS: usize = 4;

/// The forecast's queue errors set against the naive forecasts' origin by origin, at one horizon:
/// per origin, the sum over the queues pooled of |actual − forecast| − |actual − naive| for each
/// naive forecast, and the number of queues.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paired(BTreeMap<NaiveDate, [f64; 3]>);

/// A mean difference of absolute errors (people; negative: the forecast is better) with the
/// half-width of its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Versus {
    pub mean: f64,
    /// `None` with fewer than [`MIN_BLOCKS`] blocks of origins.
    pub half_width: Option<f64>,
}

impl Paired {
    fn add(&mut self, origin: NaiveDate, vs_last: f64, vs_weekday: f64) {
        let e = self.0.entry(origin).or_default();
        e[0] += vs_last;
        e[1] += vs_weekday;
        e[2] += 1.0;
    }

    fn merge(&mut self, o: &Paired) {
        for (&d, v) in &o.0 {
            let e = self.0.entry(d).or_default();
            for (a, b) in e.iter_mut().zip(v) {
                *a += b;
            }
        }
    }

    /// Against "stays" and against "same weekday": the mean over origins of each origin's mean
    /// difference, with a 95% interval from the means of blocks of [`BLOCK_ORIGINS`] consecutive
    /// origins (Student's t on the block means; the last, partial block counts in the mean only).
    /// `None` with no origin.
    pub fn versus(&self) -> [Option<Versus>; 2] {
        let col = |j: usize| -> Vec<f64> { self.0.values().map(|v| v[j] / v[2]).collect() };
        [block_interval(&col(0)), block_interval(&col(1))]
    }
}

/// The mean of `xs` and the half-width of its 95% interval from the means of consecutive blocks of
/// [`BLOCK_ORIGINS`] values.
pub fn block_interval(xs: &[f64]) -> Option<Versus> {
    if xs.is_empty() {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    let blocks: Vec<f64> = xs
        .chunks_exact(BLOCK_ORIGINS)
        .map(|b| b.iter().sum::<f64>() / b.len() as f64)
        .collect();
    let half_width = (blocks.len() >= MIN_BLOCKS).then(|| {
        let k = blocks.len() as f64;
        let m = blocks.iter().sum::<f64>() / k;
        let sd = (blocks.iter().map(|b| (b - m).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
        let t = StudentsT::new(0.0, 1.0, k - 1.0).map_or(1.96, |t| t.inverse_cdf(0.975));
        t * sd / k.sqrt()
    });
    Some(Versus { mean, half_width })
}

/// The errors at one horizon (1 = the origin day).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HorizonAccuracy {
    pub horizon: u32,
    /// People becoming ready that day.
    pub arrivals: Errors,
    /// The queue at the day's end.
    pub queue: Errors,
}

/// A backtest's figures, one entry per horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    /// Origins forecast (summed when pooled).
    pub origins: u64,
    pub horizons: Vec<HorizonAccuracy>,
    /// The queue's errors against the naive forecasts origin by origin, one per horizon.
    #[serde(skip)]
    pub paired: Vec<Paired>,
}

impl Backtest {
    fn empty(horizons: u32) -> Self {
        Self {
            origins: 0,
            horizons: (1..=horizons)
                .map(|horizon| HorizonAccuracy {
                    horizon,
                    arrivals: Errors::default(),
                    queue: Errors::default(),
                })
                .collect(),
            paired: vec![Paired::default(); horizons as usize],
        }
    }

    /// Pool another backtest's figures into this one (same horizons).
    pub fn merge(&mut self, other: &Backtest) {
        self.origins += other.origins;
        for (a, b) in self.horizons.iter_mut().zip(&other.horizons) {
            a.arrivals.merge(&b.arrivals);
            a.queue.merge(&b.queue);
        }
        for (a, b) in self.paired.iter_mut().zip(&other.paired) {
            a.merge(b);
        }
    }
}

/// One queue's backtest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesBacktest {
    pub key: QueueKey,
    pub backtest: Backtest,
}

/// Every queue's backtest and all of them pooled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestReport {
    pub series: Vec<SeriesBacktest>,
    pub pooled: Backtest,
}

impl BacktestReport {
    /// Each pathway's queues pooled over their groups (England's queue per pathway when the
    /// register is one group), pathways 0–3 then not yet known; pathways with no queue are left out.
    pub fn by_pathway(&self) -> Vec<(Option<Pathway>, Backtest)> {
        let mut out: Vec<(Option<Pathway>, Backtest)> = Vec::new();
        for s in &self.series {
            let p = s.key.pathway;
            match out.iter_mut().find(|(q, _)| *q == p) {
                Some((_, b)) => b.merge(&s.backtest),
                None => out.push((p, s.backtest.clone())),
            }
        }
        out.sort_by_key(|(p, _)| (p.is_none(), *p));
        out
    }
}

fn check(cfg: &BacktestConfig) -> Result<(), ForecastError> {
    ForecastConfig {
        days: cfg.horizons,
        ..cfg.forecast.clone()
    }
    .check()?;
    if cfg.from > cfg.to {
        return Err(ForecastError::Range {
            from: cfg.from,
            to: cfg.to,
        });
    }
    Ok(())
}

/// Mean over `[end − 28, end)` of the days with weekday `w`; `None` when there is none.
fn weekday_mean(h: &History, v: &[u32], end: usize, w: usize) -> Option<f64> {
    let (mut s, mut n) = (0.0, 0u32);
    for i in window(end, 7 * NAIVE_WEEKS as usize) {
        if h.weekday(i) == w {
            s += f64::from(v[i]);
            n += 1;
        }
    }
    (n > 0).then(|| s / f64::from(n))
}

/// Backtest one queue from its daily history (which should start [`ForecastConfig::history_days`]
/// before `cfg.from` for the model to see full windows at the first origin).
pub fn backtest(
    series: &QueueSeries,
    today: NaiveDate,
    cfg: &BacktestConfig,
) -> Result<Backtest, ForecastError> {
    check(cfg)?;
    let mut out = Backtest::empty(cfg.horizons);
    let Some(h) = History::of(series) else {
        return Ok(out);
    };
    let runs = cfg.forecast.runs as usize;
    let days = cfg.horizons as usize;
    let tail = (1.0 - cfg.forecast.interval) / 2.0;
    let key = key_bytes(h.key);
    let mut origin = cfg.from;
    while origin <= cfg.to && origin < today {
        let end = h.index(origin).filter(|e| (1..h.len()).contains(e));
        if let Some(end) = end {
            let model = Model::fit(&h, end, &cfg.forecast);
            let n = u64::try_from(origin.num_days_from_ce()).unwrap_or(0);
            let mut rng = Rng::new(mix(cfg.forecast.seed, &key, n));
            let draws = model.draw(days, runs, super::SoFar::default(), &mut rng);
            let result = draws.run(model.queue_now, 0, 0);
            for (k, acc) in out.horizons.iter_mut().enumerate() {
                let t = end + k;
                if t >= h.len() || h.date(t) >= today {
                    break;
                }
                let w = h.weekday(t);
                let col = |m: &[u32]| -> Vec<u32> { (0..runs).map(|r| m[r * days + k]).collect() };
                let last_j = f64::from(h.joins[end - 1]);
                let last_q = f64::from(h.waiting[end - 1]);
                acc.arrivals.add(
                    h.joins[t],
                    band(&mut col(&draws.arrivals), tail),
                    last_j,
                    weekday_mean(&h, &h.joins, end, w).unwrap_or(last_j),
                );
                let q = band(&mut col(&result.queue), tail);
                let weekday = weekday_mean(&h, &h.waiting, end, w).unwrap_or(last_q);
                let actual = f64::from(h.waiting[t]);
                let err = (actual - f64::from(q.median)).abs();
                out.paired[k].add(
                    origin,
                    err - (actual - last_q).abs(),
                    err - (actual - weekday).abs(),
                );
                acc.queue.add(h.waiting[t], q, last_q, weekday);
            }
            out.origins += 1;
        }
        origin = origin + Days::new(1);
    }
    Ok(out)
}

/// Backtest every queue of the episodes (grouped as asked), taking their history from
/// [`ForecastConfig::history_days`] before `cfg.from` to the last day a horizon needs (before
/// `today`), and pool them.
pub fn backtest_all(
    episodes: &[Episode],
    grouping: Grouping,
    today: NaiveDate,
    cfg: &BacktestConfig,
) -> Result<BacktestReport, ForecastError> {
    backtest_all_told(episodes, grouping, today, cfg, &Silent)
}

/// [`backtest_all`], telling `progress` of each queue done (a phase "queues", one step a
/// queue): a year's backtest of every authority's queues takes minutes.
pub fn backtest_all_told(
    episodes: &[Episode],
    grouping: Grouping,
    today: NaiveDate,
    cfg: &BacktestConfig,
    progress: &dyn Progress,
) -> Result<BacktestReport, ForecastError> {
    check(cfg)?;
    let from = shift(cfg.from, -i64::from(cfg.forecast.history_days()))?;
    let from = cfg.forecast.covered_from.map_or(from, |c| c.max(from));
    let last_needed = cfg
        .to
        .checked_add_signed(TimeDelta::days(i64::from(cfg.horizons) - 1))
        .unwrap_or(NaiveDate::MAX);
    let to = last_needed.min(shift(today, -1)?);
    let mut pooled = Backtest::empty(cfg.horizons);
    if to < from {
        return Ok(BacktestReport {
            series: Vec::new(),
            pooled,
        });
    }
    let history = queue_history(episodes, grouping, from, to)?;
    let mut series = Vec::with_capacity(history.series.len());
    progress.phase("queues", Some(history.series.len() as u64), Unit::Steps);
    for s in &history.series {
        let b = backtest(s, today, cfg)?;
        progress.advance(1);
        pooled.merge(&b);
        series.push(SeriesBacktest {
            key: s.key.clone(),
            backtest: b,
        });
    }
    Ok(BacktestReport { series, pooled })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_backtest_block_interval_of_known_blocks() {
        // Four blocks of 14 whose means are 1, 2, 3 and 4 (each block 0.5 around its mean): mean
        // 2.5; block sd √(5/3) = 1.2910; t(0.975, 3) = 3.1824; half-width 3.1824 × 1.2910 / 2.
        let xs: Vec<f64> = (0..56)
            .map(|i| (i / 14 + 1) as f64 + if i % 2 == 0 { 0.5 } else { -0.5 })
            .collect();
        let v = block_interval(&xs).unwrap();
        assert!((v.mean - 2.5).abs() < 1e-12, "{v:?}");
        let hw = v.half_width.unwrap();
        assert!(
            (hw - 3.182_446 * (5.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-5,
            "{hw}"
        );
        // Three whole blocks (and a partial one): a mean, no interval.
        let v = block_interval(&xs[..50]).unwrap();
        assert_eq!(v.half_width, None);
        assert!((v.mean - xs[..50].iter().sum::<f64>() / 50.0).abs() < 1e-12);
        assert_eq!(block_interval(&[]), None);
        // Every block the same: an interval of width 0.
        let v = block_interval(&[-2.0; 70]).unwrap();
        assert_eq!((v.mean, v.half_width), (-2.0, Some(0.0)));
    }

    #[test]
    fn forecast_backtest_paired_pools_queues_origin_by_origin() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut a = Paired::default();
        a.add(d("2026-01-05"), -2.0, 1.0);
        a.add(d("2026-01-06"), -4.0, 3.0);
        let mut b = Paired::default();
        b.add(d("2026-01-05"), 0.0, -1.0);
        a.merge(&b);
        // 5 Jan: (−2 + 0) / 2 = −1 and (1 − 1) / 2 = 0; 6 Jan: −4 and 3; means −2.5 and 1.5.
        let [last, weekday] = a.versus();
        assert_eq!(last.unwrap().mean, -2.5);
        assert_eq!(weekday.unwrap().mean, 1.5);
        assert_eq!(last.unwrap().half_width, None);
        assert_eq!(Paired::default().versus(), [None, None]);
    }

    #[test]
    fn forecast_backtest_errors_add_and_pool() {
        let mut e = Errors::default();
        let band = Band {
            median: 10,
            low: 8,
            high: 13,
        };
        e.add(12, band, 9.0, 11.5);
        e.add(14, band, 14.0, 10.0);
        assert_eq!(e.n, 2);
        assert_eq!(e.mae(), Some(3.0)); // |12−10| and |14−10|
        assert_eq!(e.mae_naive_last(), Some(1.5)); // 3 and 0
        assert_eq!(e.mae_naive_weekday(), Some(2.25)); // 0.5 and 4
        assert_eq!(e.coverage(), Some(0.5)); // 12 inside, 14 outside
        let mut b = Backtest::empty(2);
        b.horizons[1].queue = e;
        b.origins = 2;
        let mut pooled = Backtest::empty(2);
        pooled.merge(&b);
        pooled.merge(&b);
        assert_eq!(pooled.origins, 4);
        assert_eq!(pooled.horizons[1].queue.n, 4);
        assert_eq!(pooled.horizons[1].queue.mae(), Some(3.0));
        assert_eq!(pooled.horizons[0].queue.mae(), None);
    }
}
