//! Contiguity weights from polygon vertices, as libpysal builds them
//! (`libpysal.weights.Queen` / `Rook`): two areas are queen neighbours when they share a vertex,
//! rook neighbours when they share an edge (two consecutive vertices). Coordinates are compared
//! exactly, which suits boundaries that come from one topology (such as CBS files). Areas
//! without neighbours are kept and reported as islands.

use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contiguity {
    Queen,
    Rook,
}

/// Binary contiguity: for each area the sorted indices of its neighbours.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub neighbours: Vec<Vec<usize>>,
}

/// A vertex as an exact key (the bit patterns of its coordinates).
type Vertex = (u64, u64);

fn key(x: f64, y: f64) -> Vertex {
    // +0.0 and -0.0 are the same point.
    let norm = |v: f64| {
        if v == 0.0 {
            0.0f64.to_bits()
        } else {
            v.to_bits()
        }
    };
    (norm(x), norm(y))
}

impl Weights {
    /// Builds contiguity from each area's rings (lists of (x, y) vertices; rings may be closed).
    pub fn contiguity(areas: &[Vec<Vec<(f64, f64)>>], rule: Contiguity) -> Weights {
        // A queen vertex is keyed as the edge (v, v).
        let mut shared: HashMap<(Vertex, Vertex), BTreeSet<usize>> = HashMap::new();
        for (i, rings) in areas.iter().enumerate() {
            for ring in rings {
                match rule {
                    Contiguity::Queen => {
                        for &(x, y) in ring {
                            let k = key(x, y);
                            shared.entry((k, k)).or_default().insert(i);
                        }
                    }
                    Contiguity::Rook => {
                        for pair in ring.windows(2) {
                            // Zero-length edges count too, as in libpysal: an area collapsed to
                            // a point still touches the area whose boundary repeats that point.
                            let (a, b) = (key(pair[0].0, pair[0].1), key(pair[1].0, pair[1].1));
                            let edge = if a < b { (a, b) } else { (b, a) };
                            shared.entry(edge).or_default().insert(i);
                        }
                    }
                }
            }
        }
        let mut neighbours: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); areas.len()];
        for members in shared.values().filter(|m| m.len() > 1) {
            for &a in members {
                for &b in members {
                    if a != b {
                        neighbours[a].insert(b);
                    }
                }
            }
        }
        Weights {
            neighbours: neighbours
                .into_iter()
                .map(|s| s.into_iter().collect())
                .collect(),
        }
    }

    pub fn n(&self) -> usize {
        self.neighbours.len()
    }

    /// Areas without any neighbour.
    pub fn islands(&self) -> Vec<usize> {
        (0..self.n())
            .filter(|i| self.neighbours[*i].is_empty())
            .collect()
    }

    /// The row-standardised spatial lag: for each area the mean of its neighbours' values
    /// (0 for an island, as in libpysal).
    pub fn lag(&self, values: &[f64]) -> Vec<f64> {
        self.neighbours
            .iter()
            .map(|ns| {
                if ns.is_empty() {
                    0.0
                } else {
                    ns.iter().map(|j| values[*j]).sum::<f64>() / ns.len() as f64
                }
            })
            .collect()
    }

    /// s0, s1 and s2 of the row-standardised weights (Cliff and Ord 1981), as libpysal's
    /// `W.s0`, `W.s1`, `W.s2`.
    pub fn moments(&self) -> (f64, f64, f64) {
        let n = self.n();
        let w = |i: usize| -> f64 {
            let k = self.neighbours[i].len();
            if k == 0 {
                0.0
            } else {
                1.0 / k as f64
            }
        };
        let s0: f64 = (0..n).map(|i| w(i) * self.neighbours[i].len() as f64).sum();
        // s1 = ½ Σ_ij (w_ij + w_ji)²; s2 = Σ_i (Σ_j w_ij + Σ_j w_ji)².
        let mut s1 = 0.0;
        let mut col = vec![0.0; n];
        for i in 0..n {
            for &j in &self.neighbours[i] {
                let wij = w(i);
                let wji = if self.neighbours[j].binary_search(&i).is_ok() {
                    w(j)
                } else {
                    0.0
                };
                s1 += (wij + wji).powi(2);
                col[j] += wij;
            }
        }
        s1 /= 2.0;
        let s2: f64 = (0..n)
            .map(|i| {
                let row = if self.neighbours[i].is_empty() {
                    0.0
                } else {
                    1.0
                };
                (row + col[i]).powi(2)
            })
            .sum();
        (s0, s1, s2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3×3 grid of unit squares, numbered row by row.
    pub fn grid() -> Vec<Vec<Vec<(f64, f64)>>> {
        let mut areas = Vec::new();
        for r in 0..3 {
            for c in 0..3 {
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
        areas
    }

    #[test]
    fn queen_and_rook_on_a_grid() {
        let queen = Weights::contiguity(&grid(), Contiguity::Queen);
        let rook = Weights::contiguity(&grid(), Contiguity::Rook);
        assert_eq!(queen.neighbours[4], vec![0, 1, 2, 3, 5, 6, 7, 8]);
        assert_eq!(rook.neighbours[4], vec![1, 3, 5, 7]);
        assert_eq!(queen.neighbours[0], vec![1, 3, 4]);
        assert_eq!(rook.neighbours[0], vec![1, 3]);
        assert!(queen.islands().is_empty());
    }

    #[test]
    fn islands_are_kept_and_reported() {
        let mut areas = grid();
        areas.push(vec![vec![
            (10.0, 10.0),
            (11.0, 10.0),
            (11.0, 11.0),
            (10.0, 10.0),
        ]]);
        let w = Weights::contiguity(&areas, Contiguity::Queen);
        assert_eq!(w.n(), 10);
        assert_eq!(w.islands(), vec![9]);
        assert_eq!(w.lag(&[1.0; 10])[9], 0.0);
        let (s0, _, _) = w.moments();
        assert!((s0 - 9.0).abs() < 1e-12, "islands have no weight");
    }
}
