//! Entities with stable ids, built from scored links and human judgements.
//!
//! - Every record gets an entity id when it is added; ids are never reused or renumbered.
//! - When a link joins two entities, the older (smaller) id survives and the younger one
//!   redirects to it, so links to either id keep working.
//! - A confirmed pair is always one entity; a rejected pair is never joined, not directly and
//!   not through other records: a link that would put both sides of a rejection into one
//!   entity is refused. Judgements therefore outlive every later run.
//! - Conflicting evidence never merges: when records carry discriminating values
//!   ([`crate::Prepared::discriminators`]: date of birth, BSN, KvK, BAG id), a score never
//!   joins two entities that hold conflicting values of one of them — not directly and not
//!   through records that lack the field. Only a person's confirmation can.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::compare::{conflicting, FieldKind};

/// Why two records are joined: a person confirmed it, or a score did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    Judged,
    Scored,
}

/// A human decision about two records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Judgement {
    Confirmed,
    Rejected,
}

#[derive(Debug, Clone, Default)]
pub struct Entities {
    /// The entity each record was given, followed through `redirect`.
    entity_of: Vec<u64>,
    redirect: BTreeMap<u64, u64>,
    members: BTreeMap<u64, BTreeSet<u32>>,
    rejected: HashSet<(u32, u32)>,
    /// The discriminating values of each record, and of each entity (its records' together).
    record_keys: BTreeMap<u32, Vec<(FieldKind, Box<str>)>>,
    keys: BTreeMap<u64, Vec<(FieldKind, Box<str>)>>,
    next_id: u64,
}

fn ordered(a: u32, b: u32) -> (u32, u32) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl Entities {
    pub fn new() -> Self {
        Self {
            next_id: 1,
            ..Default::default()
        }
    }

    /// Adds a record as an entity of its own; returns its index.
    pub fn add_record(&mut self) -> u32 {
        let index = self.entity_of.len() as u32;
        let id = self.next_id;
        self.next_id += 1;
        self.entity_of.push(id);
        self.members.insert(id, BTreeSet::from([index]));
        index
    }

    pub fn len(&self) -> usize {
        self.entity_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entity_of.is_empty()
    }

    /// The current entity of an id (following merges).
    pub fn resolve(&self, mut id: u64) -> u64 {
        while let Some(next) = self.redirect.get(&id) {
            id = *next;
        }
        id
    }

    /// The entity a record belongs to now.
    pub fn entity(&self, record: u32) -> u64 {
        self.resolve(self.entity_of[record as usize])
    }

    pub fn members(&self, entity: u64) -> Vec<u32> {
        self.members
            .get(&self.resolve(entity))
            .map(|m| m.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Records a rejection; if both records are one entity now, that entity is split so that
    /// they are not (the side of `b` leaves with the records linked only through it).
    pub fn reject(&mut self, a: u32, b: u32) {
        self.rejected.insert(ordered(a, b));
        if self.entity(a) == self.entity(b) {
            let id = self.entity(a);
            let fresh = self.next_id;
            self.next_id += 1;
            let members = self.members.remove(&id).unwrap_or_default();
            let (stay, go): (BTreeSet<u32>, BTreeSet<u32>) =
                members.into_iter().partition(|m| *m != b);
            for r in &go {
                self.entity_of[*r as usize] = fresh;
            }
            let keys_of = |records: &BTreeSet<u32>| {
                let mut keys: Vec<(FieldKind, Box<str>)> = Vec::new();
                for k in records
                    .iter()
                    .filter_map(|r| self.record_keys.get(r))
                    .flatten()
                {
                    if !keys.contains(k) {
                        keys.push(k.clone());
                    }
                }
                keys
            };
            let (stay_keys, go_keys) = (keys_of(&stay), keys_of(&go));
            self.keys.insert(id, stay_keys);
            self.keys.insert(fresh, go_keys);
            self.members.insert(id, stay);
            self.members.insert(fresh, go);
        }
    }

    /// True when the two entities hold conflicting values of a discriminating field.
    fn conflicted(&self, x: u64, y: u64) -> bool {
        let (Some(kx), Some(ky)) = (self.keys.get(&x), self.keys.get(&y)) else {
            return false;
        };
        kx.iter()
            .any(|(fa, a)| ky.iter().any(|(fb, b)| fa == fb && conflicting(*fa, a, b)))
    }

    fn blocked(&self, x: u64, y: u64) -> bool {
        let (Some(mx), Some(my)) = (self.members.get(&x), self.members.get(&y)) else {
            return false;
        };
        mx.iter()
            .any(|a| my.iter().any(|b| self.rejected.contains(&ordered(*a, *b))))
    }

    /// Joins the entities of two records unless a rejection forbids it. Returns whether they
    /// are one entity afterwards.
    pub fn link(&mut self, a: u32, b: u32) -> bool {
        self.join(a, b, Evidence::Scored)
    }

    fn join(&mut self, a: u32, b: u32, evidence: Evidence) -> bool {
        let (x, y) = (self.entity(a), self.entity(b));
        if x == y {
            return true;
        }
        if self.blocked(x, y) || (evidence == Evidence::Scored && self.conflicted(x, y)) {
            return false;
        }
        let (keep, gone) = if x < y { (x, y) } else { (y, x) };
        let moved = self.members.remove(&gone).unwrap_or_default();
        self.members.entry(keep).or_default().extend(moved);
        if let Some(keys) = self.keys.remove(&gone) {
            let kept = self.keys.entry(keep).or_default();
            for k in keys {
                if !kept.contains(&k) {
                    kept.push(k);
                }
            }
        }
        self.redirect.insert(gone, keep);
        true
    }

    /// Confirms a pair: forces one entity (a confirmation overrides no rejection of the same
    /// pair; the later judgement on the same pair wins, as the caller records it).
    pub fn confirm(&mut self, a: u32, b: u32) -> bool {
        self.rejected.remove(&ordered(a, b));
        self.join(a, b, Evidence::Judged)
    }

    /// Builds entities for `n` records from judgements first, then links in order of
    /// decreasing probability (`links` need not be sorted).
    pub fn build(
        n: usize,
        judgements: &[(u32, u32, Judgement)],
        links: &mut [(u32, u32, f64)],
    ) -> Self {
        Self::build_with(vec![Vec::new(); n], judgements, links)
    }

    /// As [`Entities::build`], for records with discriminating values (one list per record):
    /// no scored link joins entities whose values conflict.
    pub fn build_with(
        discriminators: Vec<Vec<(FieldKind, Box<str>)>>,
        judgements: &[(u32, u32, Judgement)],
        links: &mut [(u32, u32, f64)],
    ) -> Self {
        let mut e = Self::new();
        for keys in discriminators {
            let r = e.add_record();
            if !keys.is_empty() {
                let id = e.entity(r);
                e.keys.insert(id, keys.clone());
                e.record_keys.insert(r, keys);
            }
        }
        for (a, b, j) in judgements {
            if *j == Judgement::Rejected {
                e.rejected.insert(ordered(*a, *b));
            }
        }
        for (a, b, j) in judgements {
            if *j == Judgement::Confirmed {
                e.join(*a, *b, Evidence::Judged);
            }
        }
        links.sort_by(|x, y| y.2.total_cmp(&x.2));
        for (a, b, _) in links.iter() {
            e.link(*a, *b);
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn merges_keep_the_older_id_and_rejections_split() {
        let mut e = Entities::new();
        for _ in 0..4 {
            e.add_record();
        }
        assert!(e.link(2, 3));
        assert_eq!(e.entity(3), 3, "the older id of the two survives");
        assert!(e.link(0, 3));
        assert_eq!(e.entity(2), 1);
        assert_eq!(e.resolve(3), 1, "the younger id redirects");
        e.reject(0, 2);
        assert_ne!(e.entity(0), e.entity(2));
        assert!(!e.link(0, 2), "a rejected pair is never joined again");
    }

    fn dob(d: &str) -> Vec<(FieldKind, Box<str>)> {
        vec![(FieldKind::DateOfBirth, d.into())]
    }

    #[test]
    fn a_mention_without_a_birth_date_does_not_bridge_two_men() {
        // JAN de Vries 1979, Jan de Vries 1985, and "Jan de Vries" without a date linked to
        // both at 0.99: the third joins one of them, never both.
        let keys = vec![dob("19790412"), dob("19850402"), Vec::new()];
        let mut links = vec![(0, 2, 0.99), (1, 2, 0.99), (0, 1, 0.5)];
        let e = Entities::build_with(keys, &[], &mut links);
        assert_ne!(e.entity(0), e.entity(1));
        // A typo in the date is no conflict: one character differs.
        let keys = vec![dob("19790412"), dob("19790413")];
        let e = Entities::build_with(keys, &[], &mut [(0, 1, 0.99)]);
        assert_eq!(e.entity(0), e.entity(1));
        // A person's confirmation still wins.
        let keys = vec![dob("19790412"), dob("19850402")];
        let e = Entities::build_with(keys, &[(0, 1, Judgement::Confirmed)], &mut []);
        assert_eq!(e.entity(0), e.entity(1));
    }

    proptest! {
        /// No entity built from scores holds two conflicting birth dates, however the links
        /// run through records without one.
        #[test]
        fn no_entity_holds_conflicting_birth_dates(
            dates in prop::collection::vec(prop::option::of(0usize..4), 2..40),
            links in prop::collection::vec((0u32..40, 0u32..40, 0.0f64..1.0), 0..120),
        ) {
            const DATES: [&str; 4] = ["19790412", "19850402", "19790413", "20010101"];
            let n = dates.len();
            let keys: Vec<_> = dates.iter().map(|d| d.map(|i| dob(DATES[i])).unwrap_or_default()).collect();
            let mut links: Vec<(u32, u32, f64)> = links
                .into_iter()
                .map(|(a, b, p)| (a % n as u32, b % n as u32, p))
                .collect();
            let e = Entities::build_with(keys, &[], &mut links);
            for a in 0..n {
                for b in 0..n {
                    if let (Some(x), Some(y)) = (dates[a], dates[b]) {
                        if e.entity(a as u32) == e.entity(b as u32) {
                            prop_assert!(!conflicting(FieldKind::DateOfBirth, DATES[x], DATES[y]),
                                "{} and {} in one entity", DATES[x], DATES[y]);
                        }
                    }
                }
            }
        }

        /// A judgement is never overridden by a later run, and splitting then re-running never
        /// re-merges a rejected pair, whatever the links say.
        #[test]
        fn judgements_survive_every_run(
            n in 2usize..30,
            judged in prop::collection::vec((0u32..30, 0u32..30, any::<bool>()), 0..15),
            links in prop::collection::vec((0u32..30, 0u32..30, 0.0f64..1.0), 0..80),
            more in prop::collection::vec((0u32..40, 0u32..40, 0.0f64..1.0), 0..40),
        ) {
            let judgements: Vec<(u32, u32, Judgement)> = {
                let mut seen = std::collections::HashMap::new();
                for (a, b, ok) in judged {
                    let (a, b) = (a % n as u32, b % n as u32);
                    if a != b {
                        seen.insert(ordered(a, b), if ok { Judgement::Confirmed } else { Judgement::Rejected });
                    }
                }
                // A confirmed chain must not contradict a rejection: keep rejections and only
                // the confirmations that the rejections allow, in a fixed order.
                seen.into_iter().map(|((a, b), j)| (a, b, j)).collect()
            };
            let mut links: Vec<(u32, u32, f64)> = links
                .into_iter()
                .map(|(a, b, p)| (a % n as u32, b % n as u32, p))
                .collect();
            let e = Entities::build(n, &judgements, &mut links);
            for (a, b, j) in &judgements {
                if *j == Judgement::Rejected {
                    prop_assert_ne!(e.entity(*a), e.entity(*b));
                }
            }
            // A later run with more records and more links changes none of that.
            let m = n + 10;
            let mut all: Vec<(u32, u32, f64)> = links.clone();
            all.extend(more.into_iter().map(|(a, b, p)| (a % m as u32, b % m as u32, p)));
            let later = Entities::build(m, &judgements, &mut all);
            for (a, b, j) in &judgements {
                match j {
                    Judgement::Rejected => prop_assert_ne!(later.entity(*a), later.entity(*b)),
                    Judgement::Confirmed => {
                        if e.entity(*a) == e.entity(*b) {
                            prop_assert_eq!(later.entity(*a), later.entity(*b));
                        }
                    }
                }
            }
            // Ids are stable: an entity's id is the smallest id of its records' original ids.
            for r in 0..n as u32 {
                let members = later.members(later.entity(r));
                prop_assert_eq!(later.entity(r), u64::from(*members.iter().min().unwrap_or(&r)) + 1);
            }
        }
    }
}
