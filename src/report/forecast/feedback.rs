//! Learning from the forecast's own recent errors (issue 27). At an origin, the forecasts made at
//! the last [`FEEDBACK_ORIGINS`] origins whose outcome at a horizon is already known (only days
//! before the origin) say how good each of three forecasts of the queue has been at that horizon:
//! the model's median, "stays as it is" and "same weekday". The point forecast is their
//! combination weighted by the inverse of each one's mean squared error there (Bates and Granger,
//! 1969); the 85% interval is the model's own interval around that point, each side stretched or
//! shrunk by how far the combination's past errors went beyond it (a split-conformal quantile of
//! the errors over the interval's sides), so an interval that held too many or too few of the
//! recent actual values is corrected alike.

use super::{window, Band, History};

/// Past origins that the feedback learns from, per horizon.
pub(super) fn feedback_origins() -> u32 {
    std::env::var("DTOC_FB_K")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(28)
}

fn env_f(k: &str, d: f64) -> f64 {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

/// Fewer known past forecasts than this at a horizon: the model's forecast as it is.
const MIN_PAST: usize = 7;

/// How the point forecast learns from past errors (development switch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// The model as it is.
    Off,
    /// The model's median moved by its mean past error.
    Bias,
    /// The three forecasts combined by the inverse of their past mean squared errors.
    Combine,
}

pub(super) fn mode(cfg: &super::ForecastConfig) -> Mode {
    if !cfg.feedback {
        return Mode::Off;
    }
    match std::env::var("DTOC_FB").as_deref() {
        Ok("off") => Mode::Off,
        Ok("bias") => Mode::Bias,
        _ => Mode::Combine,
    }
}

/// One forecast of a horizon: the model's band and the two naive forecasts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Candidates {
    pub model: Band,
    pub last: f64,
    pub weekday: f64,
    /// The last value on the target's weekday (a week or two before it).
    pub week: f64,
}

impl Candidates {
    fn points(&self) -> [f64; 4] {
        let p = [
            f64::from(self.model.median),
            self.last,
            self.weekday,
            self.week,
        ];
        if std::env::var("DTOC_FB_WEEK").is_ok() {
            p
        } else {
            [p[0], p[1], p[2], f64::NAN]
        }
    }
}

/// A past origin's forecast of one horizon beside what happened.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Past {
    pub actual: u32,
    pub forecast: Candidates,
}

/// Mean of the values at weekday `w` over the 4 weeks before `end`; `None` when there is none.
pub(super) fn weekday_mean(h: &History, v: &[u32], end: usize, w: usize) -> Option<f64> {
    let (mut s, mut n) = (0.0, 0u32);
    for i in window(end, 7 * super::backtest::NAIVE_WEEKS as usize) {
        if h.weekday(i) == w {
            s += f64::from(v[i]);
            n += 1;
        }
    }
    (n > 0).then(|| s / f64::from(n))
}

/// The candidates at origin `end` for day `t` (`t ≥ end`), the model's band given.
pub(super) fn candidates(h: &History, end: usize, t: usize, model: Band) -> Candidates {
    let last = f64::from(h.waiting[end - 1]);
    let back = 7 * ((t - end) / 7 + 1);
    Candidates {
        model,
        last,
        weekday: weekday_mean(h, &h.waiting, end, h.weekday(t)).unwrap_or(last),
        week: t
            .checked_sub(back)
            .map_or(last, |i| f64::from(h.waiting[i])),
    }
}

fn weights(past: &[Past], mode: Mode) -> [f64; 4] {
    match mode {
        Mode::Off | Mode::Bias => [1.0, 0.0, 0.0, 0.0],
        Mode::Combine => {
            let mut mse = [0.0f64; 4];
            for p in past {
                for (m, x) in mse.iter_mut().zip(p.forecast.points()) {
                    *m += (f64::from(p.actual) - x).powi(2);
                }
            }
            // A floor of a quarter person squared: a forecast that was exactly right on a few
            // days of a tiny queue does not take all the weight.
            let inv = mse.map(|m| {
                if m.is_nan() {
                    0.0
                } else {
                    (m / past.len() as f64)
                        .max(0.25)
                        .powf(-env_f("DTOC_FB_POW", 1.0))
                }
            });
            let s: f64 = inv.iter().sum();
            inv.map(|x| x / s)
        }
    }
}

fn point(w: &[f64; 4], c: &Candidates, bias: f64) -> f64 {
    w.iter()
        .zip(c.points())
        .filter(|(w, _)| **w > 0.0)
        .map(|(w, x)| w * x)
        .sum::<f64>()
        + bias
}

/// The forecast of one horizon at an origin, learnt from the past forecasts of that horizon
/// (`past`, those known at the origin). `level` is the interval's central share.
pub(super) fn adjust(now: Candidates, past: &[Past], level: f64, mode: Mode) -> Band {
    if mode == Mode::Off || past.len() < MIN_PAST {
        return now.model;
    }
    let w = weights(past, mode);
    let bias = match mode {
        Mode::Bias => {
            past.iter()
                .map(|p| f64::from(p.actual) - f64::from(p.forecast.model.median))
                .sum::<f64>()
                / past.len() as f64
        }
        _ => 0.0,
    };
    // Each past error over the side of the model's interval it fell on (at least half a person).
    let side = |b: Band, up: bool| -> f64 {
        let m = f64::from(b.median);
        let s = if up {
            f64::from(b.high) - m
        } else {
            m - f64::from(b.low)
        };
        s.max(0.5)
    };
    let mut scores: Vec<f64> = past
        .iter()
        .map(|p| {
            let r = f64::from(p.actual) - point(&w, &p.forecast, bias);
            r.abs() / side(p.forecast.model, r >= 0.0)
        })
        .collect();
    scores.sort_by(f64::total_cmp);
    // Split-conformal rank: the ⌈(n + 1)·level⌉-th smallest score.
    let n = scores.len();
    let rank = (((n + 1) as f64 * level).ceil() as usize).clamp(1, n);
    let q = scores[rank - 1].max(env_f("DTOC_FB_MINQ", 0.0));
    let p = point(&w, &now, bias).max(0.0);
    let median = p.round();
    // The whole numbers within the interval: an actual value (a whole number) is inside it
    // exactly when its score is at most `q`.
    let low = (p - q * side(now.model, false)).ceil().clamp(0.0, median);
    let high = (p + q * side(now.model, true)).floor().max(median);
    Band {
        median: median as u32,
        low: low as u32,
        high: high as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(low: u32, median: u32, high: u32) -> Band {
        Band { median, low, high }
    }

    fn past(actual: u32, model: Band, last: f64, weekday: f64) -> Past {
        Past {
            actual,
            forecast: Candidates {
                model,
                last,
                weekday,
                week: last,
            },
        }
    }

    #[test]
    fn forecast_feedback_weights_by_inverse_past_squared_error() {
        // Past: the model 1 off, both naive forecasts 2 off, every time: mean squared errors 1, 4
        // and 4, weights 1, 1/4 and 1/4 over 1.5 = 2/3, 1/6, 1/6.
        let ps: Vec<Past> = (0..10)
            .map(|_| past(10, band(9, 11, 13), 12.0, 8.0))
            .collect();
        let w = weights(&ps, Mode::Combine);
        assert!((w[0] - 2.0 / 3.0).abs() < 1e-12 && (w[1] - 1.0 / 6.0).abs() < 1e-12);
        // Now: model 12, stays 0, weekday 0: 2/3 × 12 = 8.
        let now = Candidates {
            model: band(10, 12, 14),
            last: 0.0,
            weekday: 0.0,
            week: 0.0,
        };
        assert_eq!(adjust(now, &ps, 0.85, Mode::Combine).median, 8);
        // Too few past forecasts: the model as it is; off: the same.
        assert_eq!(adjust(now, &ps[..6], 0.85, Mode::Combine), now.model);
        assert_eq!(adjust(now, &ps, 0.85, Mode::Off), now.model);
    }

    #[test]
    fn forecast_feedback_interval_from_past_errors_over_the_interval() {
        // Nineteen past forecasts of median 30 (interval 28–32: 2 each side), the actual values
        // 21..=39: errors −9..9, mean 0. Scores |error| / 2; the ⌈20 × 0.85⌉ = 17th smallest of
        // 0, 0.5, 0.5, 1, 1, …, 4.5, 4.5 is 4: each side of the model's interval now × 4.
        let ps: Vec<Past> = (21..=39)
            .map(|a| past(a, band(28, 30, 32), 0.0, 0.0))
            .collect();
        let now = Candidates {
            model: band(27, 30, 32),
            last: 0.0,
            weekday: 0.0,
            week: 0.0,
        };
        assert_eq!(adjust(now, &ps, 0.85, Mode::Bias), band(18, 30, 38));
        // Past errors all +5 and the interval held none of them: the median moves by 5 and the
        // interval closes on it (each side × 0).
        let off: Vec<Past> = (0..10)
            .map(|_| past(35, band(28, 30, 32), 0.0, 0.0))
            .collect();
        assert_eq!(adjust(now, &off, 0.85, Mode::Bias), band(35, 35, 35));
    }
}
