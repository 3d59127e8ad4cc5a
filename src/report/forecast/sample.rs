//! Random draws for the forecast: a seeded ChaCha8 stream (its output is fixed by the seed on every
//! platform), Poisson counts by table inversion, and the seed of one series.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
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
    for b in key.iter().chain(seed.to_le_bytes().iter()).chain(n.to_le_bytes().iter()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // splitmix64 finaliser: spreads nearby seeds apart.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Poisson(λ) by inversion of its cumulative distribution, tabulated once per rate over
/// `λ ± 10√λ + 10` (the mass outside is below 1e-20), so that one draw is one uniform and a binary
/// search.
#[derive(Debug, Clone)]
pub(super) struct Poisson {
    lo: u32,
    cdf: Vec<f64>,
}

impl Poisson {
    pub(super) fn new(lambda: f64) -> Self {
        if !(lambda > 0.0) || !lambda.is_finite() {
            return Self {
                lo: 0,
                cdf: vec![1.0],
            };
        }
        let spread = 10.0 * lambda.sqrt() + 10.0;
        let lo = (lambda - spread).max(0.0).floor() as u32;
        let hi = (lambda + spread).ceil() as u32;
        let ln_l = lambda.ln();
        let mut cdf = Vec::with_capacity((hi - lo + 1) as usize);
        let mut total = 0.0;
        for k in lo..=hi {
            let k = f64::from(k);
            total += (k * ln_l - lambda - ln_gamma(k + 1.0)).exp();
            cdf.push(total);
        }
        for c in &mut cdf {
            *c /= total;
        }
        Self { lo, cdf }
    }

    pub(super) fn draw(&self, rng: &mut Rng) -> u32 {
        let u = rng.unit();
        let i = self.cdf.partition_point(|&c| c <= u).min(self.cdf.len() - 1);
        self.lo + i as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_poisson_draws_have_the_right_mean_and_variance() {
        let mut rng = Rng::new(7);
        for lambda in [0.0, 0.3, 4.0, 55.0, 2500.0] {
            let p = Poisson::new(lambda);
            let n = 40_000;
            let xs: Vec<f64> = (0..n).map(|_| f64::from(p.draw(&mut rng))).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
            let se = (lambda / n as f64).sqrt();
            assert!((mean - lambda).abs() <= 4.0 * se + 1e-9, "λ={lambda} mean={mean}");
            assert!(
                (var - lambda).abs() <= 0.05 * lambda + 1e-9,
                "λ={lambda} var={var}"
            );
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
