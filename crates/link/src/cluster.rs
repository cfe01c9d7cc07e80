//! Entities with stable ids, built from scored links and human judgements.
//!
//! - Every record gets an entity id when it is added; ids are never reused or renumbered.
//! - When a link joins two entities, the older (smaller) id survives and the younger one
//!   redirects to it, so links to either id keep working.
//! - A confirmed pair is always one entity; a rejected pair is never joined, not directly and
//!   not through other records: a link that would put both sides of a rejection into one
//!   entity is refused. Judgements therefore outlive every later run.

use std::collections::{BTreeMap, BTreeSet, HashSet};

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
            self.members.insert(id, stay);
            self.members.insert(fresh, go);
        }
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
        let (x, y) = (self.entity(a), self.entity(b));
        if x == y {
            return true;
        }
        if self.blocked(x, y) {
            return false;
        }
        let (keep, gone) = if x < y { (x, y) } else { (y, x) };
        let moved = self.members.remove(&gone).unwrap_or_default();
        self.members.entry(keep).or_default().extend(moved);
        self.redirect.insert(gone, keep);
        true
    }

    /// Confirms a pair: forces one entity (a confirmation overrides no rejection of the same
    /// pair; the later judgement on the same pair wins, as the caller records it).
    pub fn confirm(&mut self, a: u32, b: u32) -> bool {
        self.rejected.remove(&ordered(a, b));
        self.link(a, b)
    }

    /// Builds entities for `n` records from judgements first, then links in order of
    /// decreasing probability (`links` need not be sorted).
    pub fn build(
        n: usize,
        judgements: &[(u32, u32, Judgement)],
        links: &mut [(u32, u32, f64)],
    ) -> Self {
        let mut e = Self::new();
        for _ in 0..n {
            e.add_record();
        }
        for (a, b, j) in judgements {
            if *j == Judgement::Rejected {
                e.rejected.insert(ordered(*a, *b));
            }
        }
        for (a, b, j) in judgements {
            if *j == Judgement::Confirmed {
                e.link(*a, *b);
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

    proptest! {
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
