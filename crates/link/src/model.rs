//! Fellegi–Sunter scoring (Fellegi & Sunter 1969, "A theory for record linkage", JASA 64:1183).
//!
//! For a candidate pair, each compared field falls into an agreement level l; the pair's match
//! weight is log2(λ/(1−λ)) + Σ log2(m_l/u_l), where m_l = P(level l | match) and
//! u_l = P(level l | non-match), and the match probability is 2^w / (1 + 2^w). Missing values
//! contribute nothing.
//!
//! No labelled data is needed: u comes from random pairs ([`random_u`]; exact levels from the
//! value counts), m and λ by expectation maximisation over all pairs with the non-candidates
//! taken as non-matches ([`estimate_with_u`]; Winkler 1988, Jaro 1989; as Splink anchors u).
//!
//! Small inputs: the EM counts are blended with a weak prior (pseudo-counts of
//! [`PRIOR_MATCHES`] agreeing and [`PRIOR_NON_MATCHES`] disagreeing pairs), so that a
//! spreadsheet of a few dozen rows gets sensible weights while a large file is ruled by its
//! own data.
//!
//! Term frequencies (Winkler 1989; as Splink's term-frequency adjustment): an exact agreement
//! on a value is weighed by how common the value is: the Bayes factor of the exact level is
//! multiplied by Σ_v f_v² / f_v, where f_v is the share of records holding value v, so that
//! agreeing on "de Vries" counts less than agreeing on a rare name.

use std::collections::HashMap;

use crate::compare::{Compared, FieldKind, Names, Prepared, Slot};

const NULL: u8 = u8::MAX;
/// Pseudo-counts of the prior (see the module documentation).
pub const PRIOR_MATCHES: f64 = 10.0;
pub const PRIOR_NON_MATCHES: f64 = 100.0;

/// Prior m: mostly exact agreement, some near agreement, rarely "different".
fn prior_m(levels: usize) -> Vec<f64> {
    let middle = levels.saturating_sub(2);
    (0..levels)
        .map(|l| {
            if l == 0 {
                0.8
            } else if l + 1 == levels {
                0.05
            } else {
                0.15 / middle as f64
            }
        })
        .collect()
}

/// Prior u: mostly "different", rarely exact.
fn prior_u(levels: usize) -> Vec<f64> {
    let middle = levels.saturating_sub(2);
    (0..levels)
        .map(|l| {
            if l == 0 {
                0.01
            } else if l + 1 == levels {
                0.95
            } else {
                0.04 / middle as f64
            }
        })
        .collect()
}
const FLOOR: f64 = 1e-6;

/// Estimated parameters: λ and, per compared field, m and u per level.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Model {
    pub lambda: f64,
    /// The fields compared, in order.
    pub slots: Vec<Slot>,
    pub m: Vec<Vec<f64>>,
    pub u: Vec<Vec<f64>>,
    pub iterations: usize,
}

/// How much an exact agreement on a value counts relative to an average value.
pub trait TermFactor {
    fn factor(&self, slot: Slot, value: &str) -> f64;
}

/// Factors looked up beforehand (for linking one record against stored ones, where the
/// frequencies live in the database).
#[derive(Debug, Clone, Default)]
pub struct FixedFactors(pub HashMap<(Slot, Box<str>), f64>);

impl TermFactor for FixedFactors {
    fn factor(&self, slot: Slot, value: &str) -> f64 {
        self.0.get(&(slot, value.into())).copied().unwrap_or(1.0)
    }
}

/// The term-frequency factor Σf²/f_v from counts: `n` records hold the value, `total` hold
/// any value, and `sum_squares` = Σ n_v². Kept within [1/20, 20].
pub fn term_factor(n: u64, total: u64, sum_squares: u64) -> f64 {
    if n == 0 || total == 0 {
        return 1.0;
    }
    (sum_squares as f64 / (total as f64 * n as f64)).clamp(0.05, 20.0)
}

/// Frequencies of exact values per slot, for the term-frequency adjustment.
#[derive(Debug, Clone, Default)]
pub struct TermFrequencies {
    counts: Vec<HashMap<Box<str>, u32>>,
    totals: Vec<u64>,
    /// Σ n_v² per slot (see [`term_factor`]).
    sum_squares: Vec<u64>,
}

impl TermFrequencies {
    pub fn new(records: &[Prepared]) -> Self {
        let mut counts: Vec<HashMap<Box<str>, u32>> = vec![HashMap::new(); Slot::COUNT];
        for r in records {
            for slot in Slot::ALL {
                if slot.term_frequencies() {
                    if let Some(v) = r.get(slot) {
                        *counts[slot.index()].entry(v.into()).or_default() += 1;
                    }
                }
            }
        }
        let totals = counts
            .iter()
            .map(|c| c.values().map(|n| u64::from(*n)).sum())
            .collect();
        let sum_squares = counts
            .iter()
            .map(|c| c.values().map(|n| u64::from(*n).pow(2)).sum())
            .collect();
        Self {
            counts,
            totals,
            sum_squares,
        }
    }

    /// Counts per value of a slot: (value, records holding it).
    pub fn counts(&self, slot: Slot) -> impl Iterator<Item = (&str, u32)> {
        self.counts
            .get(slot.index())
            .into_iter()
            .flat_map(|c| c.iter().map(|(v, n)| (&**v, *n)))
    }
}

impl TermFactor for TermFrequencies {
    fn factor(&self, slot: Slot, value: &str) -> f64 {
        let i = slot.index();
        let n = self
            .counts
            .get(i)
            .and_then(|c| c.get(value))
            .copied()
            .unwrap_or(0);
        term_factor(
            u64::from(n),
            self.totals.get(i).copied().unwrap_or(0),
            self.sum_squares.get(i).copied().unwrap_or(0),
        )
    }
}

/// The fields that `records` hold (at least one record with a value on each side of a pair is
/// enough to be worth comparing).
pub fn present_slots(records: &[Prepared]) -> Vec<Slot> {
    Slot::ALL
        .iter()
        .copied()
        .filter(|s| records.iter().any(|r| r.get(*s).is_some()))
        .collect()
}

/// The comparison vector of a pair: one level per slot, `NULL` when a value is missing.
pub fn gamma(slots: &[Slot], a: &Prepared, b: &Prepared) -> Vec<u8> {
    let names = Names::compare(a, b);
    slots
        .iter()
        .map(|slot| compared(*slot, &names, a, b).map_or(NULL, |(level, _, _)| level))
        .collect()
}

/// The level of `slot` for a pair with its left and right value, `None` when one is missing;
/// names written the other way round are compared crossed.
fn compared<'a>(
    slot: Slot,
    names: &Names<'a>,
    a: &'a Prepared,
    b: &'a Prepared,
) -> Option<Compared<'a>> {
    if let Some(name) = names.slot(slot) {
        return name;
    }
    let (x, y) = (a.get(slot)?, b.get(slot)?);
    Some((slot.level(x, y), x, y))
}

/// u from random pairs (as Splink's `estimate_u_using_random_sampling`): two records drawn
/// at random are almost never the same, so how often their fields agree at each level is the
/// chance of that agreement among non-matches. With `sources`, pairs are drawn across sources.
///
/// The exact level is computed, not sampled: two random records agree exactly on a field with
/// probability Σ_v n_v(n_v − 1) / (N(N − 1)) (deduplication) or Σ_v a_v b_v / (A·B) (linking),
/// from the value counts (blended with the prior's pseudo-pairs, which only matters for a few
/// dozen records). Only the split of the rest over the fuzzy levels is sampled, from up to
/// `samples` pairs drawn with a fixed seed on `threads` threads.
pub fn random_u(
    records: &[Prepared],
    slots: &[Slot],
    sources: Option<&[u8]>,
    samples: usize,
    seed: u64,
    threads: usize,
) -> Vec<Vec<f64>> {
    use rand::{Rng, SeedableRng};
    let n = records.len();
    let (left, right): (Vec<usize>, Vec<usize>) = match sources {
        Some(src) => (
            (0..n).filter(|i| src[*i] == 0).collect(),
            (0..n).filter(|i| src[*i] != 0).collect(),
        ),
        None => ((0..n).collect(), (0..n).collect()),
    };
    let mut sampled: Vec<Vec<f64>> = slots
        .iter()
        .map(|s| {
            prior_u(s.level_count())
                .iter()
                .map(|p| p * PRIOR_NON_MATCHES)
                .collect()
        })
        .collect();
    if n >= 2 && !left.is_empty() && !right.is_empty() {
        let threads = threads.max(1);
        let per_thread = samples.div_ceil(threads);
        let seeds: Vec<u64> = (0..threads as u64).map(|t| seed + t).collect();
        let partials = crate::on_threads(&seeds, |seed| {
            let mut rng = rand::rngs::SmallRng::seed_from_u64(*seed);
            let mut counts: Vec<Vec<f64>> =
                slots.iter().map(|s| vec![0.0; s.level_count()]).collect();
            for _ in 0..per_thread {
                let a = left[rng.gen_range(0..left.len())];
                let b = right[rng.gen_range(0..right.len())];
                if a == b {
                    continue;
                }
                for (c, l) in gamma(slots, &records[a], &records[b]).iter().enumerate() {
                    if *l != NULL {
                        counts[c][usize::from(*l)] += 1.0;
                    }
                }
            }
            counts
        });
        for part in partials {
            for (c, levels) in part.iter().enumerate() {
                for (l, v) in levels.iter().enumerate() {
                    sampled[c][l] += v;
                }
            }
        }
    }
    normalise(&mut sampled);
    // The exact level from the value counts; the rest keeps its sampled proportions.
    for (c, slot) in slots.iter().enumerate() {
        let mut a: HashMap<&str, f64> = HashMap::new();
        let mut b: HashMap<&str, f64> = HashMap::new();
        for i in &left {
            if let Some(v) = records[*i].get(*slot) {
                *a.entry(v).or_default() += 1.0;
            }
        }
        // Agreeing pairs over all pairs, blended with the prior's pseudo-pairs so that a
        // handful of records does not make exact agreement look certain.
        let (agree, pairs) = if sources.is_some() {
            for i in &right {
                if let Some(v) = records[*i].get(*slot) {
                    *b.entry(v).or_default() += 1.0;
                }
            }
            let (ta, tb): (f64, f64) = (a.values().sum(), b.values().sum());
            let agree: f64 = a
                .iter()
                .map(|(v, na)| na * b.get(v).copied().unwrap_or(0.0))
                .sum();
            (agree, ta * tb)
        } else {
            let t: f64 = a.values().sum();
            let agree: f64 = a.values().map(|k| k * (k - 1.0) / 2.0).sum();
            (agree, t * (t - 1.0) / 2.0)
        };
        if pairs <= 0.0 {
            continue;
        }
        let prior_exact = prior_u(slot.level_count())[0];
        let exact = (agree + PRIOR_NON_MATCHES * prior_exact) / (pairs + PRIOR_NON_MATCHES);
        let exact = exact.max(FLOOR);
        let rest: f64 = sampled[c][1..].iter().sum();
        sampled[c][0] = exact;
        for v in sampled[c][1..].iter_mut() {
            *v = (*v / rest.max(FLOOR) * (1.0 - exact)).max(FLOOR);
        }
    }
    sampled
}

/// Estimates m and λ by EM over *all* pairs, with u held at `u` (from [`random_u`]) and every
/// pair that is not a candidate taken as a non-match: the E-step weighs each candidate
/// pattern by its posterior under the current λ (the chance that two random records match),
/// the M-step sets m from the weighted candidates and λ = Σ weights / `all_pairs`.
///
/// Anchoring u on random pairs keeps EM from mistaking a blocking artefact (everyone at the
/// same address, or sharing a birth date) for the match class, and dividing by all pairs keeps
/// λ honest: a candidate needs real evidence to overcome a prior of about one match per record.
pub fn estimate_with_u(
    slots: &[Slot],
    patterns: &[(Vec<u8>, f64)],
    u: Vec<Vec<f64>>,
    records: usize,
    all_pairs: f64,
) -> Model {
    let levels: Vec<usize> = slots.iter().map(|s| s.level_count()).collect();
    let mut m: Vec<Vec<f64>> = levels.iter().map(|n| prior_m(*n)).collect();
    let all_pairs = all_pairs.max(1.0);
    let mut lambda = (records as f64 / all_pairs).clamp(1e-12, 0.5);
    let mut iterations = 0;
    for _ in 0..200 {
        iterations += 1;
        let mut m_num: Vec<Vec<f64>> = levels
            .iter()
            .map(|n| prior_m(*n).iter().map(|p| p * PRIOR_MATCHES).collect())
            .collect();
        let mut matches = 0.0;
        let odds = lambda / (1.0 - lambda);
        for (pattern, count) in patterns {
            let mut bf = 1.0;
            for (c, l) in pattern.iter().enumerate() {
                if *l != NULL {
                    bf *= m[c][usize::from(*l)] / u[c][usize::from(*l)];
                }
            }
            let w = odds * bf / (1.0 + odds * bf);
            let w = if w.is_finite() { w } else { 1.0 };
            matches += count * w;
            for (c, l) in pattern.iter().enumerate() {
                if *l != NULL {
                    m_num[c][usize::from(*l)] += count * w;
                }
            }
        }
        normalise(&mut m_num);
        let new_lambda = (matches / all_pairs).clamp(1e-12, 1.0 - FLOOR);
        let change = max_change(&m, &m_num).max(((new_lambda - lambda) / lambda).abs() * 1e-3);
        m = m_num;
        lambda = new_lambda;
        if change < 1e-7 {
            break;
        }
    }
    Model {
        lambda,
        slots: slots.to_vec(),
        m,
        u,
        iterations,
    }
}

fn normalise(p: &mut [Vec<f64>]) {
    for levels in p.iter_mut() {
        let sum: f64 = levels.iter().sum();
        let even = 1.0 / levels.len().max(1) as f64;
        for v in levels.iter_mut() {
            *v = if sum > 0.0 {
                (*v / sum).max(FLOOR)
            } else {
                even
            };
        }
    }
}

fn max_change(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter()
        .zip(b)
        .flat_map(|(x, y)| x.iter().zip(y).map(|(p, q)| (p - q).abs()))
        .fold(0.0, f64::max)
}

/// How the two values of a field agree: a value is missing on a side, or they fall in a
/// level of the slot's comparison (0 is exact; see [`Slot::levels`] for what each means).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    Missing,
    Level { slot: Slot, level: u8 },
}

/// What one field contributed to a pair's weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub field: FieldKind,
    pub left: Option<String>,
    pub right: Option<String>,
    pub agreement: Agreement,
    /// log2 of the Bayes factor, term frequency included; 0 when a value is missing.
    pub weight: f64,
}

/// Why a pair scores what it scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// log2 of the prior odds λ/(1−λ).
    pub prior_weight: f64,
    pub contributions: Vec<Contribution>,
    pub weight: f64,
    pub probability: f64,
    /// A strong identifier decided: (same?, which identifier).
    pub decided_by: Option<(bool, FieldKind)>,
    pub names_swapped: bool,
    /// Evidence that the two are not the same, whatever the score: such a pair never links.
    pub conflict: Option<crate::compare::Conflict>,
}

impl Model {
    /// The model before any data: the weak prior alone, with λ = 0.1 among candidates.
    pub fn prior(slots: &[Slot]) -> Model {
        Model {
            lambda: 0.1,
            slots: slots.to_vec(),
            m: slots.iter().map(|s| prior_m(s.level_count())).collect(),
            u: slots.iter().map(|s| prior_u(s.level_count())).collect(),
            iterations: 0,
        }
    }

    /// The match weight of a pair, term frequencies included.
    pub fn weight(&self, tf: &dyn TermFactor, a: &Prepared, b: &Prepared) -> f64 {
        self.score(tf, a, b).0
    }

    /// (weight, probability) of a pair without building its explanation; the same numbers as
    /// [`Model::explain`].
    pub fn score(&self, tf: &dyn TermFactor, a: &Prepared, b: &Prepared) -> (f64, f64) {
        let names = Names::compare(a, b);
        let mut weight = (self.lambda / (1.0 - self.lambda)).log2();
        for (c, slot) in self.slots.iter().enumerate() {
            if let Some((level, left, _)) = compared(*slot, &names, a, b) {
                weight += self.field_weight(tf, c, level, left, names.swapped());
            }
        }
        (weight, decide(a.strong_verdict(b), weight))
    }

    /// log2 of the Bayes factor of field `c` at `level` (not missing); `value` is the left
    /// side's, used for the term-frequency adjustment of an exact agreement.
    fn field_weight(
        &self,
        tf: &dyn TermFactor,
        c: usize,
        level: u8,
        value: &str,
        swapped: bool,
    ) -> f64 {
        let (slot, l) = (self.slots[c], usize::from(level));
        let mut bf = self.m[c][l] / self.u[c][l];
        if l == 0 && slot.term_frequencies() {
            bf *= match slot {
                // Swapped names: the value is a given name on one side and a surname on the
                // other; weigh it by both, so the score is symmetric.
                Slot::Given | Slot::Surname if swapped => {
                    (tf.factor(Slot::Given, value) * tf.factor(Slot::Surname, value)).sqrt()
                }
                _ => tf.factor(slot, value),
            };
        }
        bf.log2()
    }

    pub fn explain(&self, tf: &dyn TermFactor, a: &Prepared, b: &Prepared) -> Explanation {
        let prior_weight = (self.lambda / (1.0 - self.lambda)).log2();
        let names = Names::compare(a, b);
        let mut weight = prior_weight;
        let contributions: Vec<Contribution> = self
            .slots
            .iter()
            .enumerate()
            .map(|(c, slot)| {
                let Some((level, left, right)) = compared(*slot, &names, a, b) else {
                    return Contribution {
                        field: slot.kind(),
                        left: a.get(*slot).map(str::to_string),
                        right: b.get(*slot).map(str::to_string),
                        agreement: Agreement::Missing,
                        weight: 0.0,
                    };
                };
                let w = self.field_weight(tf, c, level, left, names.swapped());
                weight += w;
                Contribution {
                    field: slot.kind(),
                    left: Some(left.to_string()),
                    right: Some(right.to_string()),
                    agreement: Agreement::Level { slot: *slot, level },
                    weight: w,
                }
            })
            .collect();
        let decided_by = a.strong_verdict(b);
        let probability = decide(decided_by, weight);
        Explanation {
            prior_weight,
            contributions,
            weight,
            probability,
            decided_by,
            names_swapped: names.swapped(),
            conflict: a.conflict(b),
        }
    }

    /// The probability of a pair, with strong identifiers deciding.
    pub fn probability(&self, tf: &dyn TermFactor, a: &Prepared, b: &Prepared) -> f64 {
        self.score(tf, a, b).1
    }
}

/// The match probability: a strong identifier decides, otherwise the weight does.
fn decide(strong: Option<(bool, FieldKind)>, weight: f64) -> f64 {
    match strong {
        Some((same, _)) => {
            if same {
                1.0
            } else {
                0.0
            }
        }
        None => probability(weight),
    }
}

/// 2^w / (1 + 2^w), computed without overflow.
pub fn probability(weight: f64) -> f64 {
    if weight > 0.0 {
        1.0 / (1.0 + (-weight).exp2())
    } else {
        let e = weight.exp2();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::FieldKind;

    #[test]
    fn em_finds_the_matches_among_candidates_with_u_from_random_pairs() {
        // 10,000 records: 200 true pairs that mostly agree, 2000 candidate non-matches that
        // share a name now and then but rarely a birth date.
        let slots = vec![Slot::Given, Slot::Surname, Slot::Dob];
        let mut patterns: Vec<(Vec<u8>, f64)> = Vec::new();
        for i in 0..200u32 {
            patterns.push((vec![0, if i % 10 == 0 { 1 } else { 0 }, 0], 1.0));
        }
        for i in 0..2000u32 {
            let given = if i % 7 == 0 { 0 } else { 5 };
            let dob = if i % 50 == 0 { 0 } else { 3 };
            patterns.push((vec![given, 5, dob], 1.0));
        }
        let u = vec![
            vec![0.01, 0.002, 0.002, 0.002, 0.03, 0.954],
            vec![0.001, 0.002, 0.002, 0.001, 0.03, 0.964],
            vec![0.0001, 0.001, 0.01, 0.9889],
        ];
        let n = 10_000.0f64;
        let all = n * (n - 1.0) / 2.0;
        let model = estimate_with_u(&slots, &patterns, u, 10_000, all);
        let expected = 200.0 / all;
        assert!(
            (model.lambda / expected - 1.0).abs() < 0.1,
            "{} vs {expected}",
            model.lambda
        );
        assert!(model.m[2][0] > 0.9, "{:?}", model.m[2]);
    }

    #[test]
    fn explanations_add_up_and_common_values_weigh_less() {
        let rec = |g: &str, s: &str| {
            Prepared::new(&[
                (FieldKind::GivenName, g.into()),
                (FieldKind::Surname, s.into()),
            ])
        };
        let mut records: Vec<Prepared> = (0..50).map(|i| rec(&format!("x{i}"), "vries")).collect();
        records.push(rec("jan", "zwanikken"));
        let tf = TermFrequencies::new(&records);
        assert!(tf.factor(Slot::Surname, "vries") < 1.0);
        assert!(tf.factor(Slot::Surname, "zwanikken") > 1.0);
        let model = Model {
            lambda: 0.01,
            slots: vec![Slot::Given, Slot::Surname],
            m: vec![vec![0.9, 0.02, 0.02, 0.02, 0.02, 0.02]; 2],
            u: vec![vec![0.01, 0.01, 0.01, 0.01, 0.16, 0.8]; 2],
            iterations: 0,
        };
        let e = model.explain(&tf, &rec("jan", "zwanikken"), &rec("jan", "zwanikken"));
        let (w, p) = model.score(&tf, &rec("jan", "zwanikken"), &rec("jan", "zwanikken"));
        assert!((w - e.weight).abs() < 1e-12 && (p - e.probability).abs() < 1e-12);
        let sum: f64 = e.prior_weight + e.contributions.iter().map(|c| c.weight).sum::<f64>();
        assert!((sum - e.weight).abs() < 1e-9);
        let common = model.weight(&tf, &rec("jan", "vries"), &rec("jan", "vries"));
        assert!(e.weight > common);
        // Symmetric.
        let a = rec("jan", "vries");
        let b = rec("jaap", "fries");
        assert!((model.weight(&tf, &a, &b) - model.weight(&tf, &b, &a)).abs() < 1e-12);
    }

    fn any_record() -> impl proptest::strategy::Strategy<Value = Prepared> {
        use proptest::prelude::*;
        let value = prop::option::of("[a-c]{0,2}[ -]?[a-c0-9]{1,4}");
        (
            value.clone(),
            value.clone(),
            value.clone(),
            value.clone(),
            value,
        )
            .prop_map(|(g, s, d, h, p)| {
                let mut fields = Vec::new();
                for (kind, v) in [
                    (FieldKind::GivenName, g),
                    (FieldKind::Surname, s),
                    (FieldKind::DateOfBirth, d),
                    (FieldKind::HouseNumber, h),
                    (FieldKind::Postcode, p),
                ] {
                    if let Some(v) = v {
                        fields.push((kind, v));
                    }
                }
                Prepared::new(&fields)
            })
    }

    proptest::proptest! {
        #[test]
        fn scores_are_symmetric(a in any_record(), b in any_record(), others in proptest::collection::vec(any_record(), 0..20)) {
            let mut records = others;
            records.push(a.clone());
            records.push(b.clone());
            let pairs: Vec<(u32, u32)> = (0..records.len() as u32)
                .flat_map(|i| (i + 1..records.len() as u32).map(move |j| (i, j)))
                .collect();
            let model = crate::estimate_model(&records, &pairs, None, 1);
            let tf = TermFrequencies::new(&records);
            let ab = model.explain(&tf, &a, &b);
            let ba = model.explain(&tf, &b, &a);
            proptest::prop_assert!((ab.weight - ba.weight).abs() < 1e-9, "{} vs {}", ab.weight, ba.weight);
            proptest::prop_assert!((ab.probability - ba.probability).abs() < 1e-12);
            // Also when one side has given name and surname swapped.
            let mut swapped = a.clone();
            swapped.values.swap(Slot::Given.index(), Slot::Surname.index());
            let x = model.weight(&tf, &a, &swapped);
            let y = model.weight(&tf, &swapped, &a);
            proptest::prop_assert!((x - y).abs() < 1e-9, "{} vs {}", x, y);
        }
    }
}
