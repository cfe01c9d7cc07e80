//! Clusters and hot spots: where neighbouring areas have high (or low) rates together.
//!
//! Local Moran's I and Getis–Ord Gi* from `baken-analysis` (validated against esda), with
//! conditional permutation inference and Benjamini–Hochberg over the areas tested, so that
//! among the areas called significant at most a fraction `alpha` is expected to be so by
//! chance. Areas without a rate (no base, or a count the caller may not see) take no part:
//! they are left out before the statistics, and neighbours are taken among the others.

use baken_analysis::{fdr, local::local_statistics, Weights};

/// Permutations per area; the pseudo p-value's resolution is 1/(R + 1) = 0.001.
pub const PERMUTATIONS: usize = 999;

/// What local Moran's I says of an area (the quadrant of the Moran scatterplot, when
/// significant after the FDR correction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cluster {
    /// A high rate among high rates.
    HighHigh,
    /// A low rate among low rates.
    LowLow,
    /// A high rate among low rates (an outlier).
    HighLow,
    /// A low rate among high rates (an outlier).
    LowHigh,
    NotSignificant,
    /// No rate, or no neighbour with one.
    NotTested,
}

impl Cluster {
    pub const ALL: [Cluster; 6] = [
        Cluster::HighHigh,
        Cluster::LowLow,
        Cluster::HighLow,
        Cluster::LowHigh,
        Cluster::NotSignificant,
        Cluster::NotTested,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Cluster::HighHigh => "hoog-hoog",
            Cluster::LowLow => "laag-laag",
            Cluster::HighLow => "hoog-laag",
            Cluster::LowHigh => "laag-hoog",
            Cluster::NotSignificant => "niet-significant",
            Cluster::NotTested => "niet-getoetst",
        }
    }

    pub fn significant(self) -> bool {
        !matches!(self, Cluster::NotSignificant | Cluster::NotTested)
    }
}

/// What Gi* says of an area and its neighbours together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Spot {
    Hot,
    Cold,
    NotSignificant,
    NotTested,
}

impl Spot {
    pub const ALL: [Spot; 4] = [Spot::Hot, Spot::Cold, Spot::NotSignificant, Spot::NotTested];

    pub fn slug(self) -> &'static str {
        match self {
            Spot::Hot => "hotspot",
            Spot::Cold => "coldspot",
            Spot::NotSignificant => "niet-significant",
            Spot::NotTested => "niet-getoetst",
        }
    }

    pub fn significant(self) -> bool {
        matches!(self, Spot::Hot | Spot::Cold)
    }
}

/// One area's result, in the order of the input.
#[derive(Debug, Clone, PartialEq)]
pub struct HotspotRow {
    pub cluster: Cluster,
    pub spot: Spot,
    pub moran_i: Option<f64>,
    pub moran_p: Option<f64>,
    pub gi_z: Option<f64>,
    pub gi_p: Option<f64>,
    /// Neighbours with a rate.
    pub neighbours: usize,
}

impl HotspotRow {
    fn untested(neighbours: usize) -> Self {
        Self {
            cluster: Cluster::NotTested,
            spot: Spot::NotTested,
            moran_i: None,
            moran_p: None,
            gi_z: None,
            gi_p: None,
            neighbours,
        }
    }
}

/// The results for every area, and how they were made (so that a figure can be reproduced).
#[derive(Debug, Clone, PartialEq)]
pub struct Hotspots {
    pub rows: Vec<HotspotRow>,
    /// Areas with a rate and at least one neighbour with a rate.
    pub tested: usize,
    pub permutations: usize,
    pub seed: u64,
    pub alpha: f64,
}

/// Local Moran's I and Gi* of `values` (a rate per area, `None` for an area that takes no
/// part) over `weights` (binary contiguity among all areas, by index), `PERMUTATIONS`
/// conditional permutations from `seed`, Benjamini–Hochberg at `alpha` for each statistic.
pub fn hotspots(values: &[Option<f64>], weights: &Weights, alpha: f64, seed: u64) -> Hotspots {
    let n = values.len();
    // The areas that take part, and their neighbours among themselves.
    let included: Vec<usize> = (0..n).filter(|i| values[*i].is_some()).collect();
    let mut position = vec![None; n];
    for (k, i) in included.iter().enumerate() {
        position[*i] = Some(k);
    }
    let sub = Weights {
        neighbours: included
            .iter()
            .map(|i| {
                weights
                    .neighbours
                    .get(*i)
                    .map(|ns| ns.iter().filter_map(|j| position[*j]).collect())
                    .unwrap_or_default()
            })
            .collect(),
    };
    let mut rows: Vec<HotspotRow> = (0..n)
        .map(|i| HotspotRow::untested(position[i].map_or(0, |k| sub.neighbours[k].len())))
        .collect();
    let sub_values: Vec<f64> = included.iter().filter_map(|i| values[*i]).collect();
    let varies = sub_values.windows(2).any(|w| w[0] != w[1]);
    let mean = sub_values.iter().sum::<f64>() / sub_values.len().max(1) as f64;
    if sub_values.len() < 3 || !varies || mean <= 0.0 {
        return Hotspots {
            rows,
            tested: 0,
            permutations: PERMUTATIONS,
            seed,
            alpha,
        };
    }
    let results = local_statistics(&sub_values, &sub, PERMUTATIONS, seed);
    let tested: Vec<usize> = (0..included.len())
        .filter(|k| !sub.neighbours[*k].is_empty())
        .collect();
    let significant = |p: &dyn Fn(usize) -> Option<f64>| -> Vec<bool> {
        let ps: Vec<f64> = tested.iter().map(|k| p(*k).unwrap_or(1.0)).collect();
        fdr::significant(&ps, alpha)
    };
    let moran_sig = significant(&|k| results[k].moran_p_sim);
    let gi_sig = significant(&|k| results[k].gi_star_p_sim);
    for (t, k) in tested.iter().enumerate() {
        let r = &results[*k];
        let cluster = if !moran_sig[t] {
            Cluster::NotSignificant
        } else {
            match r.quadrant {
                1 => Cluster::HighHigh,
                2 => Cluster::LowHigh,
                3 => Cluster::LowLow,
                _ => Cluster::HighLow,
            }
        };
        let spot = if !gi_sig[t] {
            Spot::NotSignificant
        } else if r.gi_star_z > 0.0 {
            Spot::Hot
        } else {
            Spot::Cold
        };
        rows[included[*k]] = HotspotRow {
            cluster,
            spot,
            moran_i: Some(r.moran_i),
            moran_p: r.moran_p_sim,
            gi_z: Some(r.gi_star_z),
            gi_p: r.gi_star_p_sim,
            neighbours: sub.neighbours[*k].len(),
        };
    }
    Hotspots {
        rows,
        tested: tested.len(),
        permutations: PERMUTATIONS,
        seed,
        alpha,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baken_analysis::weights::Contiguity;

    /// A 10 × 10 grid of unit squares, indexed row by row.
    fn grid(n: usize) -> Weights {
        let squares: Vec<Vec<Vec<(f64, f64)>>> = (0..n * n)
            .map(|i| {
                let (x, y) = ((i % n) as f64, (i / n) as f64);
                vec![vec![
                    (x, y),
                    (x + 1.0, y),
                    (x + 1.0, y + 1.0),
                    (x, y + 1.0),
                    (x, y),
                ]]
            })
            .collect();
        Weights::contiguity(&squares, Contiguity::Queen)
    }

    #[test]
    fn a_block_of_high_rates_is_a_high_high_cluster_and_a_hot_spot() {
        let w = grid(10);
        // Low background with a little variation; a 3 × 3 block of high rates in one corner.
        let values: Vec<Option<f64>> = (0..100)
            .map(|i| {
                let (x, y) = (i % 10, i / 10);
                Some(if x < 3 && y < 3 {
                    20.0 + (i % 3) as f64
                } else {
                    1.0 + (i % 4) as f64 * 0.5
                })
            })
            .collect();
        let h = hotspots(&values, &w, 0.05, 7);
        assert_eq!(h.tested, 100);
        assert_eq!(h.rows[11].cluster, Cluster::HighHigh, "{:?}", h.rows[11]);
        assert_eq!(h.rows[11].spot, Spot::Hot);
        assert_eq!(h.rows[0].cluster, Cluster::HighHigh);
        // Far from the block nothing is called a hot spot.
        assert!(!h.rows[99].spot.significant() || h.rows[99].spot == Spot::Cold);
        assert!(h
            .rows
            .iter()
            .all(|r| r.spot != Spot::Hot || r.gi_z.unwrap() > 0.0));
        // Reproducible from the seed.
        assert_eq!(hotspots(&values, &w, 0.05, 7), h);
    }

    #[test]
    fn areas_without_a_rate_take_no_part_and_no_variation_tests_nothing() {
        let w = grid(4);
        let mut values: Vec<Option<f64>> = (0..16).map(|i| Some(i as f64)).collect();
        values[5] = None;
        let h = hotspots(&values, &w, 0.05, 1);
        assert_eq!(h.rows[5].cluster, Cluster::NotTested);
        assert_eq!(h.rows[5].moran_i, None);
        assert_eq!(h.tested, 15);
        // Area 0's neighbours are 1, 4 and 5; 5 takes no part.
        assert_eq!(h.rows[0].neighbours, 2);
        let flat = vec![Some(2.0); 16];
        let h = hotspots(&flat, &w, 0.05, 1);
        assert_eq!(h.tested, 0);
        assert!(h.rows.iter().all(|r| r.cluster == Cluster::NotTested));
    }
}
