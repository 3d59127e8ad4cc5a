//! The four special-cause rules of NHSRplotthedots' `ptd_calculate_point_type.R`, on the values of
//! one segment and its limits, each flag with its own direction.

use super::{Direction, SpcRule, SpcSegment, SpecialCause, SHIFT_LENGTH, TREND_LENGTH};

/// `1` when `a > b`, `-1` when `a < b`, `0` when equal (R's `sign(a - b)`).
fn sign(a: f64, b: f64) -> i8 {
    if a > b {
        1
    } else if a < b {
        -1
    } else {
        0
    }
}

/// High (`1`) is a concern and low an improvement: lower is better.
fn direction(high: bool) -> Direction {
    if high {
        Direction::Concerning
    } else {
        Direction::Improving
    }
}

/// For each key, whether it is part of a maximal run of at least `min` equal non-zero keys.
fn in_runs(keys: &[i8], min: usize) -> Vec<bool> {
    let mut out = vec![false; keys.len()];
    let mut start = 0;
    while start < keys.len() {
        let mut end = start + 1;
        while end < keys.len() && keys[end] == keys[start] {
            end += 1;
        }
        if keys[start] != 0 && end - start >= min {
            out[start..end].fill(true);
        }
        start = end;
    }
    out
}

/// The rules flagging each point of `y` against `seg`'s limits, in precedence order, each with its
/// direction: outside the limits, two in three and a shift by the point's side of the mean; a trend
/// by its step to the next trend point, or from the previous point when the next is not part of a
/// trend (`ptd_special_cause_type`: only a rise is "Increasing", so a tie there reads as falling).
pub(super) fn flags(y: &[f64], seg: &SpcSegment) -> Vec<Vec<SpecialCause>> {
    let n = y.len();
    let sides: Vec<i8> = y.iter().map(|&v| sign(v, seg.mean)).collect();
    let outside: Vec<bool> = y
        .iter()
        .map(|&v| v > seg.upper_limit || v < seg.lower_limit)
        .collect();
    let near: Vec<bool> = (0..n)
        .map(|i| !outside[i] && (y[i] < seg.lower_near || y[i] > seg.upper_near))
        .collect();

    // Trend: step i goes from point i to point i + 1; 6 equal strict steps span 7 points.
    let steps: Vec<i8> = y.windows(2).map(|w| sign(w[1], w[0])).collect();
    let step_runs = in_runs(&steps, TREND_LENGTH - 1);
    let trend: Vec<bool> = (0..n)
        .map(|i| (i > 0 && step_runs[i - 1]) || step_runs.get(i).copied().unwrap_or(false))
        .collect();
    let rising = |i: usize| {
        let step = if trend.get(i + 1).copied().unwrap_or(false) {
            steps[i]
        } else {
            i.checked_sub(1).map_or(0, |p| steps[p])
        };
        step == 1
    };

    // Two in three: any window of 3 all on one side of the mean with at least 2 near a limit flags
    // its near points.
    let mut two_in_three = vec![false; n];
    for s in 0..n.saturating_sub(2) {
        let w = s..s + 3;
        let one_side = sides[w.clone()].iter().all(|&x| x != 0 && x == sides[s]);
        if one_side && near[w.clone()].iter().filter(|&&x| x).count() >= 2 {
            for i in w.filter(|&i| near[i]) {
                two_in_three[i] = true;
            }
        }
    }

    let shift = in_runs(&sides, SHIFT_LENGTH);

    (0..n)
        .map(|i| {
            let above = sides[i] > 0;
            [
                (outside[i], SpcRule::BeyondLimit, above),
                (trend[i], SpcRule::Trend, trend[i] && rising(i)),
                (two_in_three[i], SpcRule::TwoOfThree, above),
                (shift[i], SpcRule::Shift, above),
            ]
            .into_iter()
            .filter(|&(hit, ..)| hit)
            .map(|(_, rule, high)| SpecialCause {
                rule,
                direction: direction(high),
            })
            .collect()
        })
        .collect()
}
