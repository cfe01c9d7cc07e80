//! Global Moran's I with row-standardised weights, as esda's `Moran(y, w, transformation="r")`.
//!
//! I = (n / S0) · Σ_i z_i (Wz)_i / Σ_i z_i², with z = y − ȳ (Moran 1950; Cliff and Ord 1981).
//! Moments under normality and randomisation follow Cliff and Ord (1981, pp. 21, 47); the
//! pseudo p-value of a random permutation test is (M + 1) / (R + 1) with M the number of
//! permuted values at least as extreme (folded to the smaller tail), as in esda.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use crate::Weights;

/// The standard normal survival function P(Z > z).
pub fn normal_sf(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

#[derive(Debug, Clone, PartialEq)]
pub struct GlobalMoran {
    pub i: f64,
    pub expected: f64,
    pub z_norm: f64,
    /// Two-tailed p-value under normality.
    pub p_norm: f64,
    pub z_rand: f64,
    /// Two-tailed p-value under randomisation.
    pub p_rand: f64,
    /// Pseudo p-value from the permutations (one tail, folded), `None` without permutations.
    pub p_sim: Option<f64>,
    pub z_sim: Option<f64>,
}

fn statistic(w: &Weights, z: &[f64], s0: f64, z2ss: f64) -> f64 {
    let lag = w.lag(z);
    let inum: f64 = z.iter().zip(&lag).map(|(a, b)| a * b).sum();
    z.len() as f64 / s0 * inum / z2ss
}

/// Folds the count of simulated values at least `observed` to the smaller tail and turns it
/// into a pseudo p-value.
pub fn pseudo_p(simulated: &[f64], observed: f64) -> f64 {
    let r = simulated.len();
    let mut larger = simulated.iter().filter(|s| **s >= observed).count();
    if r - larger < larger {
        larger = r - larger;
    }
    (larger as f64 + 1.0) / (r as f64 + 1.0)
}

/// Mean and population standard deviation (numpy's default `std`).
pub fn mean_std(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

pub fn global_moran(values: &[f64], w: &Weights, permutations: usize, seed: u64) -> GlobalMoran {
    let n = values.len() as f64;
    let (mean, _) = mean_std(values);
    let z: Vec<f64> = values.iter().map(|v| v - mean).collect();
    let z2ss: f64 = z.iter().map(|v| v * v).sum();
    let (s0, s1, s2) = w.moments();
    let i = statistic(w, &z, s0, z2ss);
    let expected = -1.0 / (n - 1.0);

    let n2 = n * n;
    let s02 = s0 * s0;
    let var_norm =
        (n2 * s1 - n * s2 + 3.0 * s02) / ((n - 1.0) * (n + 1.0) * s02) - (1.0 / (n - 1.0)).powi(2);
    let k = (z.iter().map(|v| v.powi(4)).sum::<f64>() / n) / (z2ss / n).powi(2);
    let a = n * ((n2 - 3.0 * n + 3.0) * s1 - n * s2 + 3.0 * s02);
    let b = k * ((n2 - n) * s1 - 2.0 * n * s2 + 6.0 * s02);
    let var_rand = (a - b) / ((n - 1.0) * (n - 2.0) * (n - 3.0) * s02) - expected * expected;
    let z_norm = (i - expected) / var_norm.sqrt();
    let z_rand = (i - expected) / var_rand.sqrt();
    let two_tailed = |z: f64| 2.0 * normal_sf(z.abs());

    let (p_sim, z_sim) = if permutations > 0 {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut shuffled = z.clone();
        let sims: Vec<f64> = (0..permutations)
            .map(|_| {
                shuffled.shuffle(&mut rng);
                statistic(w, &shuffled, s0, z2ss)
            })
            .collect();
        let (m, sd) = mean_std(&sims);
        (Some(pseudo_p(&sims, i)), Some((i - m) / sd))
    } else {
        (None, None)
    };
    GlobalMoran {
        i,
        expected,
        z_norm,
        p_norm: two_tailed(z_norm),
        z_rand,
        p_rand: two_tailed(z_rand),
        p_sim,
        z_sim,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Contiguity;

    fn grid(n: usize) -> Weights {
        let mut areas = Vec::new();
        for r in 0..n {
            for c in 0..n {
                let (x, y) = (c as f64, r as f64);
                areas.push(vec![vec![
                    (x, y),
                    (x + 1.0, y),
                    (x + 1.0, y + 1.0),
                    (x, y + 1.0),
                    (x, y),
                ]]);
            }
        }
        Weights::contiguity(&areas, Contiguity::Rook)
    }

    #[test]
    fn a_gradient_is_positively_autocorrelated_and_a_checkerboard_negatively() {
        let w = grid(5);
        let gradient: Vec<f64> = (0..25).map(|i| (i / 5) as f64).collect();
        let checker: Vec<f64> = (0..25).map(|i| ((i / 5 + i % 5) % 2) as f64).collect();
        let g = global_moran(&gradient, &w, 99, 1);
        let c = global_moran(&checker, &w, 99, 1);
        assert!(g.i > 0.5 && g.p_sim.unwrap() <= 0.02, "{g:?}");
        assert!(
            (c.i + 1.0).abs() < 1e-12,
            "a perfect checkerboard has I = -1 under rook: {c:?}"
        );
        assert_eq!(
            global_moran(&gradient, &w, 99, 1),
            g,
            "same seed, same result"
        );
    }

    #[test]
    fn normal_tail() {
        assert!((normal_sf(1.959963984540054) - 0.025).abs() < 1e-12);
        assert!((normal_sf(0.0) - 0.5).abs() < 1e-15);
    }
}
