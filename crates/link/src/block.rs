//! Blocking: which pairs are compared at all. A pair is a candidate when the two records share
//! at least one key. The keys follow from the fields present, never from one data set: names
//! (in either order), date of birth with either name (in either field), with the surname's
//! initial, the postcode, the house number or the place, identifier, street with house
//! number, surname with house number and postcode region, postcode, organisation name, phone,
//! e-mail and every strong identifier. Every key is
//! selective on its own, so the number of pairs grows with the duplicates, not with the square
//! of the file.

use std::collections::HashMap;

use crate::compare::{Prepared, Slot};

/// The version of [`keys`]: a store keeps the version its keys were written with, and keys of
/// another version are written anew (a relink) before new records are linked against them.
/// Raise it whenever [`keys`] changes.
pub const KEY_SCHEME: i64 = 2;

/// Key groups larger than this are not expanded into pairs (a common postcode in a file of
/// millions would otherwise dominate); their records still meet through the other keys.
pub const MAX_BLOCK: usize = 500;

/// The blocking keys of a record (each prefixed by what it is).
pub fn keys(p: &Prepared) -> Vec<String> {
    let mut out = Vec::with_capacity(10);
    let v = |s: Slot| p.get(s);
    if let (Some(g), Some(s)) = (v(Slot::Given), v(Slot::Surname)) {
        // Sorted, so that swapped given name and surname meet too.
        let (a, b) = if g <= s { (g, s) } else { (s, g) };
        out.push(format!("n\u{1}{a}\u{1}{b}"));
    }
    if let Some(d) = v(Slot::Dob) {
        // A birth date with either name part, in either field, so a typo in one name or
        // names written the other way round still meet; with the surname's initial when both
        // names are spoiled.
        for part in [v(Slot::Given), v(Slot::Surname)].into_iter().flatten() {
            out.push(format!("nd\u{1}{part}\u{1}{d}"));
        }
        if let Some(initial) = v(Slot::Surname).and_then(|s| s.chars().next()) {
            out.push(format!("id\u{1}{initial}\u{1}{d}"));
        }
        // Or with where the person lives: the postcode, the house number, the place.
        for (tag, slot) in [
            ("pd", Slot::Postcode),
            ("hd", Slot::HouseNumber),
            ("cd", Slot::City),
        ] {
            if let Some(x) = v(slot) {
                out.push(format!("{tag}\u{1}{x}\u{1}{d}"));
            }
        }
    }
    for (tag, slot) in [
        ("i", Slot::Identifier),
        ("p", Slot::Postcode),
        ("o", Slot::Organisation),
        ("t", Slot::Phone),
        ("e", Slot::Email),
    ] {
        if let Some(x) = v(slot) {
            out.push(format!("{tag}\u{1}{x}"));
        }
    }
    // An address is a street and number in a place: every town has a Kerkstraat 1.
    if let (Some(s), Some(h)) = (v(Slot::Street), v(Slot::HouseNumber)) {
        let place = v(Slot::City).or(v(Slot::Postcode).map(|p| p.get(..4).unwrap_or(p)));
        out.push(format!("sh\u{1}{s}\u{1}{h}\u{1}{}", place.unwrap_or("")));
    }
    if let (Some(p), Some(h)) = (v(Slot::Postcode), v(Slot::HouseNumber)) {
        out.push(format!("ph\u{1}{p}\u{1}{h}"));
    }
    // A family at one number whose street, postcode or place was mistyped: the surname, the
    // number and the postcode's region (its first two digits).
    if let (Some(s), Some(h), Some(p)) = (
        v(Slot::Surname),
        v(Slot::HouseNumber),
        v(Slot::Postcode).and_then(|p| p.get(..2)),
    ) {
        out.push(format!("uh\u{1}{s}\u{1}{h}\u{1}{p}"));
    }
    for (kind, x) in p.strong.iter().filter(|(k, _)| k.is_strong()) {
        out.push(format!("{}\u{1}{x}", kind.slug()));
    }
    out
}

/// Candidate pairs `(i, j)` with `i < j`, sorted and unique. With `sources`, only pairs whose
/// records come from different sources (linking two files); without, every pair (deduplication).
pub fn candidates(records: &[Prepared], sources: Option<&[u8]>) -> Vec<(u32, u32)> {
    // Keys become 64-bit hashes sorted with their record: a few bytes per key instead of a
    // map of strings (a rare hash collision only adds a pair that scoring then rejects).
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(records.len() * 8);
    for (i, p) in records.iter().enumerate() {
        for key in keys(p) {
            keyed.push((hash(&key), i as u32));
        }
    }
    keyed.sort_unstable();
    keyed.dedup();
    let mut pairs: Vec<u64> = Vec::new();
    for group in keyed.chunk_by(|a, b| a.0 == b.0) {
        if group.len() < 2 || group.len() > MAX_BLOCK {
            continue;
        }
        for (x, &(_, i)) in group.iter().enumerate() {
            for &(_, j) in &group[x + 1..] {
                if let Some(src) = sources {
                    if src[i as usize] == src[j as usize] {
                        continue;
                    }
                }
                let (a, b) = if i < j { (i, j) } else { (j, i) };
                pairs.push((u64::from(a) << 32) | u64::from(b));
            }
        }
    }
    drop(keyed);
    pairs.sort_unstable();
    pairs.dedup();
    pairs
        .into_iter()
        .map(|p| ((p >> 32) as u32, p as u32))
        .collect()
}

fn hash(key: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // A fixed-key hasher: the same key gives the same hash in every run.
    let mut h =
        std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
            .build_hasher();
    h.write(key.as_bytes());
    h.finish()
}

/// The candidates of one new record against indexed records: their indices, unique.
pub struct BlockIndex {
    groups: HashMap<String, Vec<u32>>,
}

impl BlockIndex {
    pub fn new(records: &[Prepared]) -> Self {
        let mut groups: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, p) in records.iter().enumerate() {
            for key in keys(p) {
                groups.entry(key).or_default().push(i as u32);
            }
        }
        Self { groups }
    }

    /// Adds record `index` (the next one) to the index.
    pub fn insert(&mut self, index: u32, record: &Prepared) {
        for key in keys(record) {
            self.groups.entry(key).or_default().push(index);
        }
    }

    pub fn candidates(&self, record: &Prepared) -> Vec<u32> {
        let mut out: Vec<u32> = keys(record)
            .iter()
            .filter_map(|k| self.groups.get(k))
            .filter(|g| g.len() <= MAX_BLOCK)
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::FieldKind;

    fn rec(g: &str, s: &str, pc: &str) -> Prepared {
        Prepared::new(&[
            (FieldKind::GivenName, g.into()),
            (FieldKind::Surname, s.into()),
            (FieldKind::Postcode, pc.into()),
        ])
    }

    #[test]
    fn swapped_names_and_shared_postcodes_become_candidates_and_sources_are_respected() {
        let records = vec![
            rec("jan", "vries", "9711AA"),
            rec("vries", "jan", "1000AA"),
            rec("piet", "bakker", "9711AA"),
            rec("kees", "smit", "2000BB"),
        ];
        assert_eq!(candidates(&records, None), vec![(0, 1), (0, 2)]);
        let sources = [0, 0, 1, 1];
        assert_eq!(candidates(&records, Some(&sources)), vec![(0, 2)]);
        let index = BlockIndex::new(&records);
        assert_eq!(index.candidates(&rec("jan", "vries", "3000CC")), vec![0, 1]);
    }

    #[test]
    fn spoiled_names_meet_through_the_birth_date_with_a_name_or_where_they_live() {
        let person = |g: &str, s: &str, dob: &str, house: &str, city: &str, postcode: &str| {
            Prepared::new(&[
                (FieldKind::GivenName, g.into()),
                (FieldKind::Surname, s.into()),
                (FieldKind::DateOfBirth, dob.into()),
                (FieldKind::HouseNumber, house.into()),
                (FieldKind::City, city.into()),
                (FieldKind::Postcode, postcode.into()),
            ])
        };
        let records = vec![
            person(
                "harvey",
                "shepherdson",
                "1971-10-02",
                "34",
                "Roleystone",
                "6430",
            ),
            // The other way round, one name mistyped, another place: the other name and date.
            person("shepherdosn", "harvey", "1971-10-02", "34", "Wilsn", "6403"),
            // Both names spoiled: the date with the house number, or with the place.
            person(
                "rilye",
                "shepherdosn",
                "1971-10-02",
                "12",
                "Roleystone",
                "6431",
            ),
            person("barnayb", "reid", "1998-10-21", "51", "Kempsey", "5162"),
            person("barnabh", "siggins", "1998-10-21", "51", "Dapto", "5126"),
            // A family at one number with another date: the surname with the number.
            person("lauren", "frahn", "1918-07-01", "5", "Leichhardt", "2507"),
            person("laurex", "frahn", "1981-07-01", "5", "Frankston", "2570"),
            // Nothing in common but the date: not compared.
            person("piet", "kok", "1998-10-21", "7", "Assen", "3035"),
        ];
        let pairs = candidates(&records, None);
        for pair in [(0, 1), (0, 2), (1, 2), (3, 4), (5, 6)] {
            assert!(pairs.contains(&pair), "{pair:?} not in {pairs:?}");
        }
        assert!(!pairs.iter().any(|&(i, j)| i == 7 || j == 7), "{pairs:?}");
    }
}
