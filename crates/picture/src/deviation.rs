//! Which areas deviate from the municipality on a theme: reference.md §3, the method the
//! platform uses so that Groningen's own data can be read like Zicht op Ondermijning.
//!
//! For area i with count x_i and base n_i, the reference rate is the pooled rate of all areas
//! with a known count and base, p = Σx / Σn. Then
//! - expected count E_i = n_i·p and index 100·(x_i/n_i)/p;
//! - z_i = (x_i − E_i) / √(E_i(1 − p)), the funnel-plot distance (limits ±1.96 and ±3.09);
//! - the two-sided p-value from the exact Poisson distribution with mean E_i (twice the smaller
//!   tail, at most 1), which stays honest for the small counts of small buurten where the
//!   normal approximation behind z is poor (Spiegelhalter 2005, "Funnel plots for comparing
//!   institutional performance", Stat. Med. 24:1185);
//! - Benjamini–Hochberg at level α over all areas tested (Benjamini & Hochberg 1995), so that
//!   looking at a hundred buurten does not produce five "deviations" by chance;
//! - the global Empirical Bayes rate (Marshall 1991) as the smoothed rate shown next to the raw
//!   one.
//!
//! An area is "boven/onder gemiddeld" only when it is significant after FDR control, and
//! "sterk" when moreover |z| > 3 (reference.md §3 classes).

use baken_analysis::{fdr, rates};

/// One area as the user may see it: `count` is `None` when it was suppressed.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaInput {
    pub code: String,
    pub name: String,
    pub count: Option<u64>,
    pub base: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviationClass {
    SterkBoven,
    Boven,
    Gemiddeld,
    Onder,
    SterkOnder,
    /// No verdict: no base, a suppressed count, or nothing to compare with.
    Onbekend,
}

impl DeviationClass {
    pub const ALL: [DeviationClass; 6] = [
        DeviationClass::SterkBoven,
        DeviationClass::Boven,
        DeviationClass::Gemiddeld,
        DeviationClass::Onder,
        DeviationClass::SterkOnder,
        DeviationClass::Onbekend,
    ];

    /// The words users read.
    pub fn label(self) -> &'static str {
        match self {
            Self::SterkBoven => "sterk boven gemiddeld",
            Self::Boven => "boven gemiddeld",
            Self::Gemiddeld => "gemiddeld",
            Self::Onder => "onder gemiddeld",
            Self::SterkOnder => "sterk onder gemiddeld",
            Self::Onbekend => "onbekend",
        }
    }

    /// The stable name in the API.
    pub fn slug(self) -> &'static str {
        match self {
            Self::SterkBoven => "strongly-above",
            Self::Boven => "above",
            Self::Gemiddeld => "average",
            Self::Onder => "below",
            Self::SterkOnder => "strongly-below",
            Self::Onbekend => "unknown",
        }
    }

    pub fn deviates(self) -> bool {
        matches!(
            self,
            Self::SterkBoven | Self::Boven | Self::Onder | Self::SterkOnder
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeviationRow {
    pub code: String,
    pub name: String,
    pub count: Option<u64>,
    pub base: Option<u64>,
    /// Per 1,000 of the base.
    pub rate: Option<f64>,
    /// Global Empirical Bayes rate, per 1,000.
    pub smoothed_rate: Option<f64>,
    pub expected: Option<f64>,
    pub index: Option<f64>,
    pub z: Option<f64>,
    pub p: Option<f64>,
    /// Significant after Benjamini–Hochberg.
    pub significant: bool,
    pub class: DeviationClass,
    /// Why the class is unknown, in Dutch.
    pub reason: Option<&'static str>,
}

impl DeviationRow {
    /// What the numbers mean, in plain Dutch.
    pub fn explanation(&self, alpha: f64) -> String {
        use crate::dutch_number as nl;
        match (self.reason, self.count, self.expected, self.index) {
            (Some(reason), _, _, _) => format!("Geen oordeel: {reason}."),
            (None, Some(x), Some(e), Some(index)) => {
                let verdict = if self.significant {
                    format!(
                        "Zo'n verschil is zelden toeval: na correctie voor het aantal vergeleken gebieden is de kans kleiner dan {} %.",
                        nl(alpha * 100.0, 0)
                    )
                } else {
                    "Dit verschil kan goed toeval zijn; het gebied wijkt niet aantoonbaar af."
                        .to_string()
                };
                format!(
                    "Geteld: {x}. Verwacht bij het gemeentelijk gemiddelde: {}. Index {} (100 = gemiddeld). {verdict}",
                    nl(e, 1),
                    nl(index, 0),
                )
            }
            _ => "Geen oordeel.".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeviationTable {
    /// The pooled reference rate per 1,000, when there was anything to pool.
    pub reference_rate: Option<f64>,
    pub counted: u64,
    pub base_total: u64,
    pub alpha: f64,
    pub rows: Vec<DeviationRow>,
}

impl DeviationTable {
    pub fn deviating(&self) -> impl Iterator<Item = &DeviationRow> {
        self.rows.iter().filter(|r| r.class.deviates())
    }

    /// Deviating areas first, each group by z from high to low (areas without z last).
    pub fn ranked(&self) -> Vec<&DeviationRow> {
        let mut rows: Vec<&DeviationRow> = self.rows.iter().collect();
        rows.sort_by(|a, b| {
            b.class
                .deviates()
                .cmp(&a.class.deviates())
                .then(b.z.unwrap_or(f64::MIN).total_cmp(&a.z.unwrap_or(f64::MIN)))
        });
        rows
    }
}

/// Builds the deviation table of `areas` (see the module documentation), FDR level `alpha`.
pub fn deviation_table(areas: &[AreaInput], alpha: f64) -> DeviationTable {
    let complete: Vec<(usize, u64, u64)> = areas
        .iter()
        .enumerate()
        .filter_map(|(i, a)| match (a.count, a.base) {
            (Some(x), Some(n)) if n > 0 => Some((i, x, n)),
            _ => None,
        })
        .collect();
    let counted: u64 = complete.iter().map(|c| c.1).sum();
    let base_total: u64 = complete.iter().map(|c| c.2).sum();
    let reference = (base_total > 0 && counted > 0).then(|| counted as f64 / base_total as f64);

    let xs: Vec<f64> = complete.iter().map(|c| c.1 as f64).collect();
    let ns: Vec<f64> = complete.iter().map(|c| c.2 as f64).collect();
    let smoothed = rates::global_eb(&xs, &ns);
    let p_values: Vec<f64> = match reference {
        Some(p) => complete
            .iter()
            .map(|&(_, x, n)| poisson_two_sided(x, n as f64 * p))
            .collect(),
        None => Vec::new(),
    };
    let significant = fdr::significant(&p_values, alpha);

    let mut rows: Vec<DeviationRow> = areas
        .iter()
        .map(|a| DeviationRow {
            code: a.code.clone(),
            name: a.name.clone(),
            count: a.count,
            base: a.base,
            rate: match (a.count, a.base) {
                (Some(x), Some(n)) if n > 0 => Some(1000.0 * x as f64 / n as f64),
                _ => None,
            },
            smoothed_rate: None,
            expected: None,
            index: None,
            z: None,
            p: None,
            significant: false,
            class: DeviationClass::Onbekend,
            reason: Some(match (a.count, a.base) {
                (None, _) => "het aantal is te klein om te tonen",
                (_, None) => "er is geen basis (inwoners, adressen of bedrijven) bekend",
                (_, Some(0)) => "de basis is nul",
                _ => "er is niets om mee te vergelijken",
            }),
        })
        .collect();
    if let Some(p) = reference {
        for (k, &(i, x, n)) in complete.iter().enumerate() {
            let d = rates::deviation(x as f64, n as f64, p);
            let row = &mut rows[i];
            row.smoothed_rate = Some(1000.0 * smoothed[k]);
            row.expected = Some(d.expected);
            row.index = Some(d.index);
            row.z = Some(d.z);
            row.p = Some(p_values[k]);
            row.significant = significant[k];
            row.reason = None;
            row.class = match (significant[k], d.z) {
                (false, _) => DeviationClass::Gemiddeld,
                (true, z) if z > 3.0 => DeviationClass::SterkBoven,
                (true, z) if z >= 0.0 => DeviationClass::Boven,
                (true, z) if z < -3.0 => DeviationClass::SterkOnder,
                (true, _) => DeviationClass::Onder,
            };
        }
    }
    DeviationTable {
        reference_rate: reference.map(|p| 1000.0 * p),
        counted,
        base_total,
        alpha,
        rows,
    }
}

/// Two-sided p-value of observing `x` under Poisson(`mean`): twice the smaller tail, at most 1.
pub fn poisson_two_sided(x: u64, mean: f64) -> f64 {
    if mean <= 0.0 {
        return if x == 0 { 1.0 } else { 0.0 };
    }
    let tail = if (x as f64) >= mean {
        poisson_upper(x, mean)
    } else {
        poisson_lower(x, mean)
    };
    (2.0 * tail).min(1.0)
}

fn ln_pmf(k: u64, mean: f64) -> f64 {
    -mean + k as f64 * mean.ln() - libm::lgamma(k as f64 + 1.0)
}

/// P(X ≥ x), summing upward from x (terms fall once past the mean).
fn poisson_upper(x: u64, mean: f64) -> f64 {
    let mut term = ln_pmf(x, mean).exp();
    let mut sum = 0.0;
    let mut k = x;
    while term > 0.0 && (term > sum * 1e-17 || (k as f64) < mean) {
        sum += term;
        k += 1;
        term *= mean / k as f64;
    }
    sum.min(1.0)
}

/// P(X ≤ x), summing downward from x (x below the mean, so terms fall going down).
fn poisson_lower(x: u64, mean: f64) -> f64 {
    let mut term = ln_pmf(x, mean).exp();
    let mut sum = 0.0;
    let mut k = x;
    loop {
        sum += term;
        if k == 0 || term <= sum * 1e-17 {
            break;
        }
        term *= k as f64 / mean;
        k -= 1;
    }
    sum.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(code: &str, count: Option<u64>, base: Option<u64>) -> AreaInput {
        AreaInput {
            code: code.into(),
            name: code.into(),
            count,
            base,
        }
    }

    #[test]
    fn poisson_tails_match_known_values() {
        // scipy.stats.poisson(2).sf(6) * 2 = 2 * 0.004533805...
        let p = poisson_two_sided(7, 2.0);
        assert!((p - 2.0 * 0.004_533_805_526_248_5).abs() < 1e-12, "{p}");
        // poisson(10).cdf(3) = 0.010336050675925726
        let p = poisson_two_sided(3, 10.0);
        assert!((p - 2.0 * 0.010_336_050_675_925_726).abs() < 1e-12, "{p}");
        assert_eq!(poisson_two_sided(5, 5.0), 1.0);
        assert!(poisson_two_sided(2000, 1000.0) < 1e-100);
    }

    #[test]
    fn a_hot_spot_deviates_and_ordinary_areas_do_not() {
        let mut areas: Vec<AreaInput> = (0..20)
            .map(|i| area(&format!("BU{i:08}"), Some(10 + i % 3), Some(5000)))
            .collect();
        areas.push(area("BU99999999", Some(60), Some(5000)));
        let t = deviation_table(&areas, 0.05);
        let hot = t.rows.last().map(|r| r.class);
        assert_eq!(hot, Some(DeviationClass::SterkBoven));
        assert_eq!(t.deviating().count(), 1);
        assert!(t.rows[0].explanation(0.05).contains("toeval"));
    }

    #[test]
    fn small_areas_are_not_flagged_by_noise() {
        // Three signals where 0.6 are expected is striking as a rate (index 500) but not
        // evidence among fifty areas.
        let mut areas: Vec<AreaInput> = (0..50)
            .map(|i| area(&format!("BU{i:08}"), Some(6), Some(10_000)))
            .collect();
        areas.push(area("BU99999999", Some(3), Some(1000)));
        let t = deviation_table(&areas, 0.05);
        let small = &t.rows[50];
        assert!(small.index.is_some_and(|i| i > 400.0));
        assert_eq!(small.class, DeviationClass::Gemiddeld);
    }

    #[test]
    fn suppressed_or_baseless_areas_get_no_verdict_and_say_why() {
        let areas = vec![
            area("A", Some(10), Some(1000)),
            area("B", None, Some(1000)),
            area("C", Some(4), None),
        ];
        let t = deviation_table(&areas, 0.05);
        assert_eq!(t.rows[1].class, DeviationClass::Onbekend);
        assert!(t.rows[1].explanation(0.05).contains("te klein"));
        assert!(t.rows[2].explanation(0.05).contains("geen basis"));
        // The reference only pools areas with both a count and a base.
        assert_eq!(t.reference_rate, Some(10.0));
    }
}
