//! Rates per area with a base, smoothing and deviation.
//!
//! Global Empirical Bayes (Marshall 1991; esda `smoothing.Empirical_Bayes`): with the pooled
//! rate b = Σx/Σn and the between-area variance a = Σ n_i (r_i − b)² / Σ n_i − b / n̄ (0 when
//! negative), the smoothed rate is w_i r_i + (1 − w_i) b with w_i = a / (a + b/n_i).
//! Local Empirical Bayes does the same within each area and its neighbours.
//!
//! Deviation from a reference rate p (reference.md §3): expected E_i = n_i p, index
//! 100 r_i / p, and z_i = (x_i − E_i) / √(E_i (1 − p)); funnel limits are ±1.96 (95%) and
//! ±3.09 (99.8%).

use crate::Weights;

fn eb(x: &[f64], n: &[f64], members: &[usize]) -> (f64, f64) {
    let sx: f64 = members.iter().map(|i| x[*i]).sum();
    let sn: f64 = members.iter().map(|i| n[*i]).sum();
    let b = if sn > 0.0 { sx / sn } else { 0.0 };
    let mean_n = sn / members.len() as f64;
    let spread: f64 = members
        .iter()
        .filter(|i| n[**i] > 0.0)
        .map(|i| n[*i] * (x[*i] / n[*i] - b).powi(2))
        .sum::<f64>()
        / sn;
    let a = (spread - b / mean_n).max(0.0);
    (a, b)
}

fn shrink(x: f64, n: f64, a: f64, b: f64) -> f64 {
    if n <= 0.0 {
        return b;
    }
    let r = x / n;
    let w = if a + b / n > 0.0 {
        a / (a + b / n)
    } else {
        0.0
    };
    w * r + (1.0 - w) * b
}

/// Global Empirical Bayes smoothed rates of counts `x` over bases `n`.
pub fn global_eb(x: &[f64], n: &[f64]) -> Vec<f64> {
    let all: Vec<usize> = (0..x.len()).collect();
    let (a, b) = eb(x, n, &all);
    x.iter()
        .zip(n)
        .map(|(xi, ni)| shrink(*xi, *ni, a, b))
        .collect()
}

/// Local Empirical Bayes: each area shrunk towards its own neighbourhood (itself included).
pub fn local_eb(x: &[f64], n: &[f64], w: &Weights) -> Vec<f64> {
    (0..x.len())
        .map(|i| {
            let mut members = w.neighbours[i].clone();
            members.push(i);
            let (a, b) = eb(x, n, &members);
            shrink(x[i], n[i], a, b)
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deviation {
    pub expected: f64,
    pub index: f64,
    pub z: f64,
}

pub fn deviation(x: f64, n: f64, reference: f64) -> Deviation {
    let expected = n * reference;
    let index = if n > 0.0 && reference > 0.0 {
        100.0 * (x / n) / reference
    } else {
        0.0
    };
    let spread = (expected * (1.0 - reference)).sqrt();
    Deviation {
        expected,
        index,
        z: if spread > 0.0 {
            (x - expected) / spread
        } else {
            0.0
        },
    }
}

/// The class shown to users, in Dutch, for a deviation z-score.
pub fn deviation_class(z: f64) -> &'static str {
    if z > 3.0 {
        "sterk boven gemiddeld"
    } else if z > 2.0 {
        "boven gemiddeld"
    } else if z < -3.0 {
        "sterk onder gemiddeld"
    } else if z < -2.0 {
        "onder gemiddeld"
    } else {
        "gemiddeld"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_areas_are_pulled_to_the_mean_large_ones_keep_their_rate() {
        let x = [1.0, 50.0, 40.0, 60.0, 45.0];
        let n = [2.0, 1000.0, 1000.0, 1000.0, 1000.0];
        let s = global_eb(&x, &n);
        let pooled = x.iter().sum::<f64>() / n.iter().sum::<f64>();
        assert!(
            (s[0] - pooled).abs() < (0.5 - pooled).abs(),
            "the tiny area moves towards b"
        );
        assert!(
            (s[1] - 0.05).abs() < 0.005,
            "a large area keeps about its own rate"
        );
    }

    #[test]
    fn deviation_and_its_class() {
        let d = deviation(30.0, 1000.0, 0.01);
        assert!((d.expected - 10.0).abs() < 1e-12);
        assert!((d.index - 300.0).abs() < 1e-9);
        assert!((d.z - 20.0 / (10.0f64 * 0.99).sqrt()).abs() < 1e-12);
        assert_eq!(deviation_class(d.z), "sterk boven gemiddeld");
        assert_eq!(deviation_class(0.3), "gemiddeld");
    }
}
