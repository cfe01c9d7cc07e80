//! Area statistics for "which neighbourhoods deviate": contiguity weights from polygons,
//! global and local Moran's I, Getis–Ord Gi*, conditional permutation inference, the
//! Benjamini–Hochberg false discovery rate, and Empirical Bayes smoothed rates.
//!
//! The definitions follow PySAL (libpysal weights, esda statistics) so results can be checked
//! against it: each function names its formula and reference. No I/O; randomness comes from a
//! seed, so every result is reproducible.

pub mod fdr;
pub mod local;
pub mod moran;
pub mod rates;
pub mod table;
pub mod weights;

pub use weights::{Contiguity, Weights};
