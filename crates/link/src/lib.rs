//! Entity resolution for Baken ("hoe brengen we die bij elkaar?"): the same person, company,
//! address or vehicle reaches Baken through many partners, spelled differently.
//!
//! The pipeline, each step in its own module:
//! 1. [`normalise`]: Dutch names (tussenvoegsels, initials, double names), addresses (street
//!    abbreviations, house number with letter and addition, postcode), organisations (legal
//!    forms), dates and plates.
//! 2. Strong identifiers (plate, KvK number, BAG id, keyed hash of a BSN) decide on their own.
//! 3. [`block`]: candidate pairs from keys that follow from the fields present.
//! 4. [`model`]: Fellegi–Sunter weights with m, u and λ estimated by EM from the data itself,
//!    term-frequency adjustment, and an explanation of every score.
//! 5. [`cluster`]: entities with stable ids that respect human judgements.
//!
//! The settings are the product's, not a data set's: the same levels, keys and default
//! threshold serve every file. Nothing here does I/O.

pub mod block;
pub mod cluster;
pub mod compare;
pub mod model;
pub mod normalise;

/// Runs `work` on each of `parts` on a scoped thread of its own and returns the results in
/// order (a part whose thread panicked gives the default).
pub(crate) fn on_threads<P: Sync, R: Send + Default>(
    parts: &[P],
    work: impl Fn(&P) -> R + Sync,
) -> Vec<R> {
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .map(|part| scope.spawn(move || work(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

pub use cluster::{Entities, Judgement};
pub use compare::{Compared, Conflict, FieldKind, Names, Prepared, Slot};
pub use model::{
    Agreement, Contribution, Explanation, FixedFactors, Model, TermFactor, TermFrequencies,
};

/// Below this many records there is too little to estimate from; the prior model is used
/// (m mostly exact, u mostly different, one in ten candidates a match).
pub const MIN_RECORDS_TO_ESTIMATE: usize = 200;

/// Random pairs drawn to estimate u, and the seed they are drawn with.
pub const RANDOM_PAIRS: usize = 50_000;
pub const RANDOM_SEED: u64 = 20_261_128;

/// The default match probability above which two records are linked. A beheerder can set one
/// per subject kind.
pub const DEFAULT_THRESHOLD: f64 = 0.9;

/// A match probability from which two mentions of one kind are linked, as a beheerder sets
/// it: between [`LinkThreshold::MIN`] and [`LinkThreshold::MAX`]. Parsed at the edge.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct LinkThreshold(f64);

/// Why a text is no threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdError {
    NotANumber,
    OutOfRange,
    /// Plates, phone numbers, e-mail addresses and IBANs link on equal values only.
    ExactKind,
}

/// The threshold of one subject kind that links by probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KindThreshold {
    kind: baken_core::model::SubjectKind,
    threshold: LinkThreshold,
}

impl KindThreshold {
    pub fn new(
        kind: baken_core::model::SubjectKind,
        threshold: LinkThreshold,
    ) -> Result<Self, ThresholdError> {
        if links_exactly(kind) {
            Err(ThresholdError::ExactKind)
        } else {
            Ok(Self { kind, threshold })
        }
    }

    pub fn kind(self) -> baken_core::model::SubjectKind {
        self.kind
    }

    pub fn threshold(self) -> LinkThreshold {
        self.threshold
    }
}

/// Kinds whose subjects are the same exactly when their normalised value is (a plate, a
/// phone number, an e-mail address, an IBAN): no probabilistic scoring.
pub fn links_exactly(kind: baken_core::model::SubjectKind) -> bool {
    use baken_core::model::SubjectKind;
    matches!(
        kind,
        SubjectKind::Vehicle | SubjectKind::Phone | SubjectKind::Email | SubjectKind::Iban
    )
}

impl LinkThreshold {
    pub const MIN: f64 = 0.5;
    pub const MAX: f64 = 0.9999;

    pub fn new(probability: f64) -> Result<Self, ThresholdError> {
        if (Self::MIN..=Self::MAX).contains(&probability) {
            Ok(Self(probability))
        } else {
            Err(ThresholdError::OutOfRange)
        }
    }

    /// "0,95" (Dutch) or "0.95".
    pub fn parse(text: &str) -> Result<Self, ThresholdError> {
        let probability = text
            .trim()
            .replace(',', ".")
            .parse::<f64>()
            .map_err(|_| ThresholdError::NotANumber)?;
        Self::new(probability)
    }

    pub fn value(self) -> f64 {
        self.0
    }
}

/// One input record: its id, which input it came from (0 or 1), and its raw values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: String,
    pub source: u8,
    pub fields: Vec<(FieldKind, String)>,
}

/// Deduplicate one input, or link two (only pairs across the inputs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Dedupe,
    Link,
}

/// A linked pair, by record index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredPair {
    pub left: u32,
    pub right: u32,
    pub weight: f64,
    pub probability: f64,
}

/// The outcome of a batch run.
pub struct Outcome {
    pub prepared: Vec<Prepared>,
    pub model: Model,
    pub term_frequencies: TermFrequencies,
    pub candidates: usize,
    /// Pairs at or above the threshold, strongest first, that put no two records with
    /// conflicting evidence into one entity (directly or through other pairs).
    pub pairs: Vec<ScoredPair>,
    /// Pairs at or above the threshold that would have: they are left out of `pairs`.
    pub refused: Vec<ScoredPair>,
}

/// What a batch run does with pairs that would join records holding conflicting evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflicts {
    /// Leave them out, so that no entity holds conflicting evidence (the product's rule).
    Refuse,
    /// Keep them: for data whose discriminating fields are unreliable (synthetic benchmarks
    /// such as FEBRL replace whole dates of birth in 4 % of their duplicates).
    Allow,
}

/// Splits `pairs` (strongest first) into those that can be kept and those that would join
/// records with conflicting evidence ([`Prepared::conflict`]: dates of birth, BSN, KvK, RSIN,
/// BAG id, legal form) into one entity, directly or through a chain of records that lack the
/// field. Taken strongest first, as [`Entities::build_with`] does, so the pairs kept at a
/// higher threshold are the same whatever lower threshold the run used.
pub fn without_conflicts(
    prepared: &[Prepared],
    pairs: Vec<ScoredPair>,
) -> (Vec<ScoredPair>, Vec<ScoredPair>) {
    let keys = prepared.iter().map(Prepared::discriminators).collect();
    let mut entities = Entities::build_with(keys, &[], &mut []);
    pairs
        .into_iter()
        .partition(|p| entities.link(p.left, p.right))
}

/// Scores `pairs` on up to `threads` threads.
fn score_all(
    prepared: &[Prepared],
    model: &Model,
    tf: &TermFrequencies,
    pairs: &[(u32, u32)],
    threshold: f64,
    threads: usize,
) -> Vec<ScoredPair> {
    let chunk = pairs.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<&[(u32, u32)]> = pairs.chunks(chunk).collect();
    let mut out: Vec<ScoredPair> = on_threads(&parts, |part| {
        part.iter()
            .filter_map(|&(i, j)| {
                let (a, b) = (&prepared[i as usize], &prepared[j as usize]);
                let (weight, probability) = model.score(tf, a, b);
                (probability >= threshold).then_some(ScoredPair {
                    left: i,
                    right: j,
                    weight,
                    probability,
                })
            })
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    out.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then(b.weight.total_cmp(&a.weight))
    });
    out
}

/// The comparison patterns of `pairs` with their counts, on up to `threads` threads; the
/// vectors themselves are not kept, so memory stays with the number of distinct patterns.
fn patterns(
    prepared: &[Prepared],
    slots: &[Slot],
    pairs: &[(u32, u32)],
    threads: usize,
) -> Vec<(Vec<u8>, f64)> {
    let chunk = pairs.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<&[(u32, u32)]> = pairs.chunks(chunk).collect();
    let partials = on_threads(&parts, |part| {
        let mut counts: std::collections::HashMap<Vec<u8>, f64> = Default::default();
        for &(i, j) in *part {
            let g = model::gamma(slots, &prepared[i as usize], &prepared[j as usize]);
            *counts.entry(g).or_default() += 1.0;
        }
        counts
    });
    let mut all: std::collections::HashMap<Vec<u8>, f64> = Default::default();
    for part in partials {
        for (k, v) in part {
            *all.entry(k).or_default() += v;
        }
    }
    all.into_iter().collect()
}

/// Estimates the model of `prepared` from its candidate pairs: u from random pairs (exact
/// levels from value counts), then m and λ by EM over all pairs (see [`model::estimate_with_u`]).
/// Small inputs keep the prior model ([`MIN_RECORDS_TO_ESTIMATE`]).
/// `sources` marks the two inputs when linking.
pub fn estimate_model(
    prepared: &[Prepared],
    candidates: &[(u32, u32)],
    sources: Option<&[u8]>,
    threads: usize,
) -> Model {
    let slots = model::present_slots(prepared);
    if prepared.len() < MIN_RECORDS_TO_ESTIMATE {
        return Model::prior(&slots);
    }
    let counted = patterns(prepared, &slots, candidates, threads);
    let u = model::random_u(
        prepared,
        &slots,
        sources,
        RANDOM_PAIRS,
        RANDOM_SEED,
        threads,
    );
    let n = prepared.len() as f64;
    let all_pairs = match sources {
        Some(src) => {
            let left = src.iter().filter(|s| **s == 0).count() as f64;
            left * (n - left)
        }
        None => n * (n - 1.0) / 2.0,
    };
    model::estimate_with_u(&slots, &counted, u, prepared.len(), all_pairs)
}

/// Links `records` in one batch: normalise, block, estimate, score.
pub fn run(records: &[Record], mode: Mode, threshold: f64, threads: usize) -> Outcome {
    let prepared: Vec<Prepared> = records.iter().map(|r| Prepared::new(&r.fields)).collect();
    let sources: Vec<u8> = records.iter().map(|r| r.source).collect();
    run_prepared(
        prepared,
        &sources,
        mode,
        threshold,
        threads,
        Conflicts::Refuse,
    )
}

/// [`run`] on records already normalised (a large file need not be held twice), with the
/// source of each record.
pub fn run_prepared(
    prepared: Vec<Prepared>,
    sources: &[u8],
    mode: Mode,
    threshold: f64,
    threads: usize,
    conflicts: Conflicts,
) -> Outcome {
    let src = match mode {
        Mode::Link => Some(sources),
        Mode::Dedupe => None,
    };
    let candidates = block::candidates(&prepared, src);
    let model = estimate_model(&prepared, &candidates, src, threads);
    let term_frequencies = TermFrequencies::new(&prepared);
    let pairs = score_all(
        &prepared,
        &model,
        &term_frequencies,
        &candidates,
        threshold,
        threads,
    );
    let (pairs, refused) = match conflicts {
        Conflicts::Refuse => without_conflicts(&prepared, pairs),
        Conflicts::Allow => (pairs, Vec::new()),
    };
    Outcome {
        candidates: candidates.len(),
        prepared,
        model,
        term_frequencies,
        pairs,
        refused,
    }
}

#[cfg(test)]
mod threshold_tests {
    use super::*;

    #[test]
    fn thresholds_are_probabilities_a_beheerder_may_choose() {
        assert_eq!(
            LinkThreshold::parse("0,95").map(LinkThreshold::value),
            Ok(0.95)
        );
        assert_eq!(
            LinkThreshold::parse(" 0.5 ").map(LinkThreshold::value),
            Ok(0.5)
        );
        assert_eq!(LinkThreshold::parse("1"), Err(ThresholdError::OutOfRange));
        assert_eq!(LinkThreshold::parse("0,4"), Err(ThresholdError::OutOfRange));
        assert_eq!(LinkThreshold::parse("NaN"), Err(ThresholdError::OutOfRange));
        assert_eq!(
            LinkThreshold::parse("hoog"),
            Err(ThresholdError::NotANumber)
        );
        use baken_core::model::SubjectKind;
        let t = LinkThreshold::new(0.95).unwrap();
        assert!(KindThreshold::new(SubjectKind::Person, t).is_ok());
        assert_eq!(
            KindThreshold::new(SubjectKind::Vehicle, t),
            Err(ThresholdError::ExactKind)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, source: u8, given: &str, surname: &str, dob: &str, pc: &str) -> Record {
        Record {
            id: id.into(),
            source,
            fields: vec![
                (FieldKind::GivenName, given.into()),
                (FieldKind::Surname, surname.into()),
                (FieldKind::DateOfBirth, dob.into()),
                (FieldKind::Postcode, pc.into()),
            ],
        }
    }

    #[test]
    fn a_small_file_finds_its_duplicates_and_not_its_namesakes() {
        let mut records = Vec::new();
        let names = [
            "jan", "piet", "klaas", "anna", "maria", "sanne", "lotte", "bram", "daan", "sem",
            "eva", "lisa", "noah", "finn", "emma", "julia",
        ];
        let surnames = [
            "jansen", "bakker", "visser", "smit", "meijer", "mulder", "bos", "vos", "peters",
            "hendriks", "dekker", "brouwer",
        ];
        for i in 0..120usize {
            let g = names[i % names.len()];
            let s = surnames[(i / 3) % surnames.len()];
            let dob = format!("19{:02}{:02}{:02}", 40 + i % 50, 1 + i % 12, 1 + i % 28);
            let pc = format!("97{:02}AB", i % 90);
            records.push(person(&format!("r{i}"), 0, g, s, &dob, &pc));
            if i % 4 == 0 {
                // A duplicate with a typo in the surname and a date in Dutch order.
                let typo = format!("{s}e");
                let dutch = format!("{}-{}-19{:02}", 1 + i % 28, 1 + i % 12, 40 + i % 50);
                records.push(person(&format!("d{i}"), 0, g, &typo, &dutch, &pc));
            }
            if i % 4 == 2 {
                // Names the other way round, the given name mistyped.
                let typo = format!("{g}h");
                records.push(person(&format!("d{i}"), 0, s, &typo, &dob, &pc));
            }
        }
        let out = run(&records, Mode::Dedupe, DEFAULT_THRESHOLD, 2);
        let found: std::collections::HashSet<(String, String)> = out
            .pairs
            .iter()
            .map(|p| {
                let (a, b) = (&records[p.left as usize].id, &records[p.right as usize].id);
                if a < b {
                    (a.clone(), b.clone())
                } else {
                    (b.clone(), a.clone())
                }
            })
            .collect();
        let expected: std::collections::HashSet<(String, String)> = (0..120)
            .filter(|i| i % 2 == 0)
            .map(|i| (format!("d{i}"), format!("r{i}")))
            .collect();
        let hits = found.intersection(&expected).count();
        assert!(hits >= 57, "found {hits} of 60 duplicates");
        assert!(
            found.len() - hits <= 2,
            "false links: {:?}",
            found.difference(&expected).collect::<Vec<_>>()
        );
    }
}
