//! Local statistics with conditional permutation inference.
//!
//! Local Moran's I (Anselin 1995), as esda's `Moran_Local(y, w, transformation="r")`:
//! z = (y − ȳ)/σ (population σ), I_i = (n − 1) · z_i · (Wz)_i / Σ_j z_j².
//!
//! Getis–Ord Gi* (Getis and Ord 1992; Ord and Getis 1995), as esda's
//! `G_Local(y, w, transform="R", star=True)` on binary contiguity: the area itself joins its
//! neighbours, rows are standardised (weight 1/(k_i+1)), G*_i = Σ_j w_ij y_j / Σ_j y_j, with
//! E[G*_i] = 1/n and Var = (n − 1)/(n²(n − 1)) · s²/ȳ² for row sums of one, giving the z-score.
//!
//! Conditional permutation: for area i, the value of i stays, its k_i neighbours are replaced by
//! k_i values drawn without replacement from the other n − 1 areas, R times; the pseudo p-value
//! is (M + 1)/(R + 1) with M the simulated statistics at least the observed one, folded to the
//! smaller tail (esda `crand`). As in esda, one table of random draws (R rows of k_max distinct
//! positions among n − 1) is made once from the seed and read by every area, each skipping its
//! own position; results are reproducible however the work is split over threads. Islands get
//! I = 0 and no p-value.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::moran::{mean_std, normal_sf};
use crate::Weights;

#[derive(Debug, Clone, PartialEq)]
pub struct LocalResult {
    pub moran_i: f64,
    /// Quadrant of the Moran scatterplot: 1 high-high, 2 low-high, 3 low-low, 4 high-low.
    pub quadrant: u8,
    pub moran_z_sim: Option<f64>,
    pub moran_p_sim: Option<f64>,
    pub gi_star: f64,
    pub gi_star_z: f64,
    /// One-sided p-value of the Gi* z-score (normal approximation).
    pub gi_star_p_norm: f64,
    pub gi_star_p_sim: Option<f64>,
}

/// Draws `k` distinct indices from `0..n` except `skip`, by rejection (k is small).
fn draw(rng: &mut SmallRng, n: u32, skip: u32, k: usize, out: &mut Vec<u32>) {
    out.clear();
    while out.len() < k {
        let j = rng.gen_range(0..n);
        if j != skip && !out.contains(&j) {
            out.push(j);
        }
    }
}

/// Running count, sum and sum of squares of simulated statistics.
#[derive(Default)]
struct Tally {
    at_least: usize,
    sum: f64,
    sum_sq: f64,
}

impl Tally {
    fn add(&mut self, value: f64, observed: f64) {
        if value >= observed {
            self.at_least += 1;
        }
        self.sum += value;
        self.sum_sq += value * value;
    }

    /// The folded pseudo p-value (M + 1)/(R + 1).
    fn p(&self, r: usize) -> f64 {
        let larger = self.at_least.min(r - self.at_least);
        (larger as f64 + 1.0) / (r as f64 + 1.0)
    }

    /// (observed − mean)/sd of the simulations (population sd, as numpy).
    fn z(&self, r: usize, observed: f64) -> f64 {
        let mean = self.sum / r as f64;
        let var = (self.sum_sq / r as f64 - mean * mean).max(0.0);
        (observed - mean) / var.sqrt()
    }
}

pub fn local_statistics(
    values: &[f64],
    w: &Weights,
    permutations: usize,
    seed: u64,
) -> Vec<LocalResult> {
    let n = values.len();
    let nf = n as f64;
    let (mean, sd) = mean_std(values);
    let z: Vec<f64> = values.iter().map(|v| (v - mean) / sd).collect();
    let den: f64 = z.iter().map(|v| v * v).sum();
    let lag = w.lag(&z);
    let total: f64 = values.iter().sum();
    let mean_sq = values.iter().map(|v| v * v).sum::<f64>() / nf;
    let emp_var = mean_sq - mean * mean;
    // Var(G*_i) = c(n − c)/(n − 1) · 1/n² · s²/ȳ² with row sum c = 1 (esda G_Local.calc).
    let variance = emp_var / (nf * nf * mean * mean);
    let scaling = (nf - 1.0) / den;
    // z and y side by side: one memory access per drawn neighbour.
    let zy: Vec<(f64, f64)> = z.iter().copied().zip(values.iter().copied()).collect();
    let k_max = w
        .neighbours
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .min(n.saturating_sub(1));
    let draws: Vec<u32> = if permutations > 0 && k_max > 0 && n <= u32::MAX as usize {
        let mut rng = SmallRng::seed_from_u64(seed);
        let mut row = Vec::with_capacity(k_max);
        let mut table = Vec::with_capacity(permutations * k_max);
        for _ in 0..permutations {
            // Positions among the n − 1 other areas; `skip` n − 1 never occurs.
            draw(&mut rng, (n - 1) as u32, (n - 1) as u32, k_max, &mut row);
            table.extend_from_slice(&row);
        }
        table
    } else {
        Vec::new()
    };

    let one = |i: usize| -> LocalResult {
        let k = w.neighbours[i].len();
        let moran_i = (nf - 1.0) * z[i] * lag[i] / den;
        let quadrant = match (z[i] > 0.0, lag[i] > 0.0) {
            (true, true) => 1,
            (false, true) => 2,
            (false, false) => 3,
            (true, false) => 4,
        };
        let star_sum = values[i] + w.neighbours[i].iter().map(|j| values[*j]).sum::<f64>();
        let gi_star = star_sum / (k as f64 + 1.0) / total;
        let gi_star_z = (gi_star - 1.0 / nf) / variance.sqrt();
        let (moran_z_sim, moran_p_sim, gi_star_p_sim) = if !draws.is_empty() && k > 0 {
            let (mut moran, mut gi) = (Tally::default(), Tally::default());
            for row in draws.chunks_exact(k_max) {
                let (mut z_sum, mut y_sum) = (0.0, 0.0);
                for &j in &row[..k] {
                    // Position j among the others: skip area i itself.
                    let j = j as usize;
                    let (zj, yj) = zy[if j >= i { j + 1 } else { j }];
                    z_sum += zj;
                    y_sum += yj;
                }
                moran.add(z[i] * (z_sum / k as f64) * scaling, moran_i);
                gi.add((y_sum + values[i]) / (k as f64 + 1.0) / total, gi_star);
            }
            (
                Some(moran.z(permutations, moran_i)),
                Some(moran.p(permutations)),
                Some(gi.p(permutations)),
            )
        } else {
            (None, None, None)
        };
        LocalResult {
            moran_i,
            quadrant,
            moran_z_sim,
            moran_p_sim,
            gi_star,
            gi_star_z,
            gi_star_p_norm: normal_sf(gi_star_z.abs()),
            gi_star_p_sim,
        }
    };

    // The areas are independent: split them over the available cores.
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .min(n.max(1));
    let chunk = n.div_ceil(threads.max(1)).max(1);
    let mut results: Vec<LocalResult> = Vec::with_capacity(n);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| {
                let one = &one;
                scope.spawn(move || (start..(start + chunk).min(n)).map(one).collect::<Vec<_>>())
            })
            .collect();
        for h in handles {
            match h.join() {
                Ok(part) => results.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    results
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
        Weights::contiguity(&areas, Contiguity::Queen)
    }

    #[test]
    fn a_hot_corner_is_found() {
        let w = grid(6);
        let mut values = vec![1.0; 36];
        for i in [0usize, 1, 6, 7] {
            values[i] = 20.0;
        }
        let r = local_statistics(&values, &w, 499, 7);
        assert_eq!(r[0].quadrant, 1);
        assert!(r[0].moran_i > 0.0 && r[0].gi_star_z > 2.0, "{:?}", r[0]);
        assert!(r[7].gi_star_p_sim.unwrap() < 0.05);
        assert!(r[35].gi_star_z < 0.0);
        // Reproducible with the same seed.
        assert_eq!(local_statistics(&values, &w, 499, 7), r);
    }
}
