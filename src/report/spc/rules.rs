//! The four special-cause rules of NHSRplotthedots' `ptd_calculate_point_type.R`, on the values of
//! one segment and its limits.

use super::{SpcRule, SpcSegment, SHIFT_LENGTH, TREND_LENGTH};

/// `1` above the mean, `-1` below it, `0` on it (R's `sign(y - mean)`).
fn side(y: f64, mean: f64) -> i8 {
    if y > mean {
        1
    } else if y < mean {
        -1
    } else {
        0
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

/// The rules flagging each point of `y` against `seg`'s limits, in precedence order.
pub(super) fn flags(y: &[f64], seg: &SpcSegment) -> Vec<Vec<SpcRule>> {
    let n = y.len();
    let sides: Vec<i8> = y.iter().map(|&v| side(v, seg.mean)).collect();
    let outside: Vec<bool> = y
        .iter()
        .map(|&v| v > seg.upper_limit || v < seg.lower_limit)
        .collect();
    let near: Vec<bool> = (0..n)
        .map(|i| !outside[i] && (y[i] < seg.lower_near || y[i] > seg.upper_near))
        .collect();

    // Trend: step i goes from point i to point i + 1; 6 equal strict steps span 7 points.
    let steps: Vec<i8> = y.windows(2).map(|w| side(w[1], w[0])).collect();
    let step_runs = in_runs(&steps, TREND_LENGTH - 1);
    let trend: Vec<bool> = (0..n)
        .map(|i| (i > 0 && step_runs[i - 1]) || step_runs.get(i).copied().unwrap_or(false))
        .collect();

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
            [
                (outside[i], SpcRule::BeyondLimit),
                (trend[i], SpcRule::Trend),
                (two_in_three[i], SpcRule::TwoOfThree),
                (shift[i], SpcRule::Shift),
            ]
            .into_iter()
            .filter_map(|(hit, rule)| hit.then_some(rule))
            .collect()
        })
        .collect()
}
