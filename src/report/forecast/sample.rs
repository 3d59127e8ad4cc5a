//! Random draws for the forecast: a seeded ChaCha8 stream (its output is fixed by the seed on every
//! platform), Poisson and binomial counts, and the seed of one series.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use statrs::function::erf::erfc_inv;
use statrs::function::gamma::ln_gamma;

pub(super) struct Rng(ChaCha8Rng);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Self(ChaCha8Rng::seed_from_u64(seed))
    }

    /// Uniform in [0, 1).
    pub(super) fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform index below `n` (`n > 0`).
    pub(super) fn below(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n.saturating_sub(1))
    }
}

/// A seed for one series (and origin): the user's seed mixed with a stable hash of the series'
/// key (FNV-1a, fixed across platforms and Rust versions) and a number, so that each queue gets its
/// own stream and a queue's figures do not change when other queues are added or filtered out.
pub(super) fn mix(seed: u64, key: &[u8], n: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key
        .iter()
        .chain(seed.to_le_bytes().iter())
        .chain(n.to_le_bytes().iter())
    {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // splitmix64 finaliser: spreads nearby seeds apart.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// A Poisson(λ) count: multiplication of uniforms below λ = 10, above it the transformed rejection
/// of Hörmann (1993, "PTRS"), as numpy draws it. Exact for every λ; a rate that is not a positive
/// finite number gives 0.
pub(super) fn poisson(rng: &mut Rng, lambda: f64) -> u32 {
    if !(lambda > 0.0 && lambda.is_finite()) {
        return 0;
    }
    if lambda < 10.0 {
        let limit = (-lambda).exp();
        let mut k = 0;
        let mut prod = rng.unit();
        while prod > limit {
            k += 1;
            prod *= rng.unit();
        }
        return k;
    }
    let slam = lambda.sqrt();
    let loglam = lambda.ln();
    let b = 0.931 + 2.53 * slam;
    let a = -0.059 + 0.02483 * b;
    let inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    let vr = 0.9277 - 3.6224 / (b - 2.0);
    loop {
        let u = rng.unit() - 0.5;
        let v = rng.unit();
        let us = 0.5 - u.abs();
        let k = ((2.0 * a / us + b) * u + lambda + 0.43).floor();
        if us >= 0.07 && v <= vr {
            return k as u32;
        }
        if k < 0.0 || (us < 0.013 && v > us) {
            continue;
        }
        if v.ln() + inv_alpha.ln() - (a / (us * us) + b).ln()
            <= -lambda + k * loglam - ln_gamma(k + 1.0)
        {
            return k as u32;
        }
    }
}

/// A standard normal draw (the inverse of its distribution at a uniform).
fn normal(rng: &mut Rng) -> f64 {
    -std::f64::consts::SQRT_2 * erfc_inv(2.0 * rng.unit().clamp(1e-12, 1.0 - 1e-12))
}

/// A Gamma(shape, 1) draw (Marsaglia and Tsang, 2000; below a shape of 1, the draw at shape + 1
/// times a uniform to the power 1 / shape).
fn gamma(rng: &mut Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        return gamma(rng, shape + 1.0) * rng.unit().powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u = rng.unit();
        if u < 1.0 - 0.0331 * x.powi(4) || u.ln() < 0.5 * x * x + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

/// A count of mean `mean` and variance `dispersion × mean`: Poisson when `dispersion ≤ 1`, else
/// negative binomial (a Poisson count whose rate is drawn from a gamma of that mean and of
/// variance `(dispersion − 1) × mean`).
pub(super) fn overdispersed(rng: &mut Rng, mean: f64, dispersion: f64) -> u32 {
    if !(dispersion > 1.0 && mean > 0.0 && mean.is_finite()) {
        return poisson(rng, mean);
    }
    let shape = mean / (dispersion - 1.0);
    let rate = mean * gamma(rng, shape) / shape;
    poisson(rng, rate)
}

/// The Binomial(n, p) count at the uniform `u`: by summing the probabilities while the variance
/// `n·p·(1−p)` is below 25, above it the normal approximation rounded and kept within `0..=n`.
/// The count grows with `p` at a fixed `u`, so runs that differ only by capacity stay comparable.
pub(super) fn binomial_at(u: f64, n: u32, p: f64) -> u32 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    let nf = f64::from(n);
    let var = nf * p * (1.0 - p);
    if var < 25.0 {
        let odds = p / (1.0 - p);
        let mut pk = (1.0 - p).powi(i32::try_from(n).unwrap_or(i32::MAX));
        let mut cdf = pk;
        let mut k = 0u32;
        while u > cdf && k < n {
            pk *= f64::from(n - k) / f64::from(k + 1) * odds;
            k += 1;
            cdf += pk;
        }
        return k;
    }
    let z = -std::f64::consts::SQRT_2 * erfc_inv(2.0 * u.clamp(1e-12, 1.0 - 1e-12));
    (nf * p + z * var.sqrt()).round().clamp(0.0, nf) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_poisson_draws_have_the_right_mean_and_variance() {
        let mut rng = Rng::new(7);
        for lambda in [0.0, 0.3, 4.0, 9.99, 10.0, 55.0, 2500.0] {
            let n = 40_000;
            let xs: Vec<f64> = (0..n)
                .map(|_| f64::from(poisson(&mut rng, lambda)))
                .collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
            let se = (lambda / n as f64).sqrt();
            assert!(
                (mean - lambda).abs() <= 4.0 * se + 1e-9,
                "λ={lambda} mean={mean}"
            );
            assert!(
                (var - lambda).abs() <= 0.05 * lambda + 1e-9,
                "λ={lambda} var={var}"
            );
        }
    }

    #[test]
    fn forecast_overdispersed_draws_have_the_variance_asked() {
        let mut rng = Rng::new(11);
        for (mean, disp) in [
            (10.0, 2.5),
            (0.8, 3.0),
            (650.0, 4.0),
            (20.0, 1.0),
            (5.0, 0.7),
        ] {
            let n = 40_000;
            let xs: Vec<f64> = (0..n)
                .map(|_| f64::from(overdispersed(&mut rng, mean, disp)))
                .collect();
            let m = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64;
            // Below a dispersion of 1, a Poisson count.
            let want = mean * f64::max(disp, 1.0);
            assert!(
                (m - mean).abs() <= 4.0 * (want / n as f64).sqrt(),
                "{mean} {disp}: mean {m}"
            );
            assert!(
                (var - want).abs() <= 0.06 * want,
                "{mean} {disp}: variance {var}"
            );
        }
        let mut g = Rng::new(3);
        let xs: Vec<f64> = (0..40_000).map(|_| gamma(&mut g, 0.5)).collect();
        let m = xs.iter().sum::<f64>() / 40_000.0;
        assert!((m - 0.5).abs() < 0.02, "gamma(0.5) mean {m}");
    }

    #[test]
    fn forecast_binomial_quantiles() {
        // Binomial(4, 0.5): P(0) = 1/16, P(≤1) = 5/16, P(≤2) = 11/16, P(≤3) = 15/16.
        assert_eq!(binomial_at(0.05, 4, 0.5), 0);
        assert_eq!(binomial_at(0.3, 4, 0.5), 1);
        assert_eq!(binomial_at(0.6, 4, 0.5), 2);
        assert_eq!(binomial_at(0.9, 4, 0.5), 3);
        assert_eq!(binomial_at(0.99, 4, 0.5), 4);
        assert_eq!(binomial_at(0.5, 7, 1.0), 7);
        assert_eq!(binomial_at(0.5, 7, 0.0), 0);
        assert_eq!(binomial_at(0.5, 0, 0.3), 0);
        // Normal above a variance of 25: median n·p, 97.5th about n·p + 1.96 sd.
        assert_eq!(binomial_at(0.5, 1000, 0.1), 100);
        assert_eq!(binomial_at(0.975, 1000, 0.1), 119);
        let mut last = 0;
        for k in 0..=100 {
            let x = binomial_at(0.7, 60, f64::from(k) / 100.0);
            assert!(x >= last);
            last = x;
        }
    }

    #[test]
    fn forecast_seeds_differ_by_key_and_number() {
        assert_ne!(mix(1, b"A", 0), mix(1, b"B", 0));
        assert_ne!(mix(1, b"A", 0), mix(1, b"A", 1));
        assert_ne!(mix(1, b"A", 0), mix(2, b"A", 0));
        assert_eq!(mix(1, b"A", 0), mix(1, b"A", 0));
    }
}
