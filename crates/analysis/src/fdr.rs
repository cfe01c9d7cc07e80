//! The Benjamini–Hochberg procedure (Benjamini and Hochberg 1995): with m p-values sorted
//! ascending, the largest k with p_(k) ≤ k·α/m; p-values up to p_(k) are discoveries. The
//! expected share of false discoveries among them is at most α.

/// The p-value cutoff at false discovery rate `alpha`, or `None` when nothing is significant.
pub fn bh_cutoff(p_values: &[f64], alpha: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = p_values.iter().copied().filter(|p| p.is_finite()).collect();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let m = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .filter(|(k, p)| **p <= (*k as f64 + 1.0) * alpha / m)
        .map(|(_, p)| *p)
        .next_back()
}

/// Which of `p_values` are discoveries at false discovery rate `alpha`.
pub fn significant(p_values: &[f64], alpha: f64) -> Vec<bool> {
    match bh_cutoff(p_values, alpha) {
        Some(cut) => p_values.iter().map(|p| *p <= cut).collect(),
        None => vec![false; p_values.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_textbook_example() {
        // m = 10, α = 0.05: thresholds 0.005, 0.010, …; p_(3) = 0.012 ≤ 0.015 is the last.
        let p = [
            0.001, 0.008, 0.012, 0.041, 0.042, 0.06, 0.074, 0.205, 0.5, 0.9,
        ];
        assert_eq!(bh_cutoff(&p, 0.05), Some(0.012));
        assert_eq!(significant(&p, 0.05).iter().filter(|s| **s).count(), 3);
        assert_eq!(bh_cutoff(&[0.5, 0.9], 0.05), None);
    }
}
