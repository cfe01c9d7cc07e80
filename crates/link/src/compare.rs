//! Field kinds, the normalised record, and the comparison of two values into agreement
//! levels (Fellegi–Sunter's γ). The levels are the same for every data set: they are settings
//! of the product, not of one file.

use serde::{Deserialize, Serialize};
use strsim::{damerau_levenshtein, jaro_winkler};

use crate::normalise;

/// What a column holds. Mapping files name columns by these keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    GivenName,
    Surname,
    /// A whole name as people write it ("J. van der Berg"), split on reading.
    FullName,
    DateOfBirth,
    Street,
    HouseNumber,
    Postcode,
    City,
    OrganisationName,
    /// A number that usually identifies but has typos (a customer or social security number).
    Identifier,
    Phone,
    Email,
    /// Strong identifiers: equal decides a match, different decides a non-match.
    Plate,
    Kvk,
    BagId,
    BsnHash,
    /// A Dutch address as postcode and full house number ("9711 AA 12A-1"): nationally
    /// unique, like the BAG's nummeraanduiding, so equal decides the same address and
    /// different decides another. For address records; on records of people or
    /// organisations the address is one field among others.
    AddressCode,
    /// The RSIN of a legal entity: strong, like the KvK number.
    Rsin,
    /// An organisation's legal form (B.V., stichting, …), read from its name or given as a
    /// column: it does not identify, but two different forms are two organisations.
    LegalForm,
}

impl FieldKind {
    pub const ALL: [FieldKind; 19] = [
        FieldKind::GivenName,
        FieldKind::Surname,
        FieldKind::FullName,
        FieldKind::DateOfBirth,
        FieldKind::Street,
        FieldKind::HouseNumber,
        FieldKind::Postcode,
        FieldKind::City,
        FieldKind::OrganisationName,
        FieldKind::Identifier,
        FieldKind::Phone,
        FieldKind::Email,
        FieldKind::Plate,
        FieldKind::Kvk,
        FieldKind::BagId,
        FieldKind::BsnHash,
        FieldKind::AddressCode,
        FieldKind::Rsin,
        FieldKind::LegalForm,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::GivenName => "given_name",
            Self::Surname => "surname",
            Self::FullName => "full_name",
            Self::DateOfBirth => "date_of_birth",
            Self::Street => "street",
            Self::HouseNumber => "house_number",
            Self::Postcode => "postcode",
            Self::City => "city",
            Self::OrganisationName => "organisation_name",
            Self::Identifier => "identifier",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Plate => "plate",
            Self::Kvk => "kvk",
            Self::BagId => "bag_id",
            Self::BsnHash => "bsn_hash",
            Self::AddressCode => "address_code",
            Self::Rsin => "rsin",
            Self::LegalForm => "legal_form",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.slug() == s.trim())
    }

    /// Strong identifiers decide on their own.
    pub fn is_strong(self) -> bool {
        matches!(
            self,
            Self::Plate | Self::Kvk | Self::BagId | Self::BsnHash | Self::AddressCode | Self::Rsin
        )
    }
}

/// The compared fields, in a fixed order (index into [`Prepared::values`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    Given,
    Surname,
    Dob,
    Identifier,
    HouseNumber,
    Street,
    Postcode,
    City,
    Organisation,
    Phone,
    Email,
}

impl Slot {
    pub const ALL: [Slot; 11] = [
        Slot::Given,
        Slot::Surname,
        Slot::Dob,
        Slot::Identifier,
        Slot::HouseNumber,
        Slot::Street,
        Slot::Postcode,
        Slot::City,
        Slot::Organisation,
        Slot::Phone,
        Slot::Email,
    ];
    pub const COUNT: usize = 11;

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn kind(self) -> FieldKind {
        match self {
            Slot::Given => FieldKind::GivenName,
            Slot::Surname => FieldKind::Surname,
            Slot::Dob => FieldKind::DateOfBirth,
            Slot::Identifier => FieldKind::Identifier,
            Slot::HouseNumber => FieldKind::HouseNumber,
            Slot::Street => FieldKind::Street,
            Slot::Postcode => FieldKind::Postcode,
            Slot::City => FieldKind::City,
            Slot::Organisation => FieldKind::OrganisationName,
            Slot::Phone => FieldKind::Phone,
            Slot::Email => FieldKind::Email,
        }
    }

    /// Whether an exact agreement is weighed by how common the value is ("de Vries",
    /// "Jansen", "Stationsweg" say less than a rare name).
    pub fn term_frequencies(self) -> bool {
        matches!(
            self,
            Slot::Given
                | Slot::Surname
                | Slot::Street
                | Slot::City
                | Slot::Postcode
                | Slot::HouseNumber
                | Slot::Organisation
        )
    }

    /// How many agreement levels the slot has, from equal (0) to different (the last).
    pub fn level_count(self) -> usize {
        match self {
            Slot::Given => 6,
            Slot::Surname => 6,
            Slot::Dob => 4,
            Slot::Identifier | Slot::Postcode => 4,
            Slot::HouseNumber => 3,
            Slot::Street => 4,
            Slot::City => 3,
            Slot::Organisation => 4,
            Slot::Phone | Slot::Email => 2,
        }
    }

    /// The agreement level of two present values.
    pub fn level(self, a: &str, b: &str) -> u8 {
        if a == b {
            return 0;
        }
        match self {
            Slot::Given | Slot::Surname => {
                let jw = jaro_winkler(a, b);
                if jw >= 0.92 {
                    1
                } else if jw >= 0.88 {
                    2
                } else if (self == Slot::Given && initial_fits(a, b))
                    || (self == Slot::Surname && part_shared(a, b))
                {
                    3
                } else if jw >= 0.70 {
                    4
                } else {
                    5
                }
            }
            Slot::Dob => {
                let d = damerau_levenshtein(a, b);
                if d <= 1 {
                    1
                } else if d == 2 || day_month_swapped(a, b) {
                    2
                } else {
                    3
                }
            }
            Slot::Identifier | Slot::Postcode => match damerau_levenshtein(a, b) {
                1 => 1,
                2 => 2,
                _ => 3,
            },
            Slot::HouseNumber => {
                let number = |s: &str| {
                    s.chars()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>()
                };
                if !number(a).is_empty() && number(a) == number(b) {
                    1
                } else {
                    2
                }
            }
            Slot::Street => {
                let jw = jaro_winkler(a, b);
                if jw >= 0.90 {
                    1
                } else if jw >= 0.80 {
                    2
                } else {
                    3
                }
            }
            Slot::City => {
                if jaro_winkler(a, b) >= 0.90 {
                    1
                } else {
                    2
                }
            }
            Slot::Organisation => {
                if contains_tokens(a, b) {
                    1
                } else if jaro_winkler(a, b) >= 0.90 {
                    2
                } else {
                    3
                }
            }
            Slot::Phone | Slot::Email => 1,
        }
    }
}

fn initial_fits(a: &str, b: &str) -> bool {
    let short = |s: &str| s.split(' ').all(|w| w.chars().count() == 1);
    (short(a) || short(b)) && a.chars().next() == b.chars().next()
}

fn part_shared(a: &str, b: &str) -> bool {
    let parts = |s: &str| {
        s.split(' ')
            .filter(|p| p.len() > 2)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let pa = parts(a);
    let pb = parts(b);
    (pa.len() > 1 || pb.len() > 1) && pa.iter().any(|p| pb.contains(p))
}

fn day_month_swapped(a: &str, b: &str) -> bool {
    a.len() == 8 && b.len() == 8 && a[..4] == b[..4] && a[4..6] == b[6..8] && a[6..8] == b[4..6]
}

fn contains_tokens(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let long: Vec<&str> = long.split(' ').collect();
    !short.is_empty() && short.split(' ').all(|t| long.contains(&t))
}

/// Two values of a discriminating field that cannot belong to one person or organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub field: FieldKind,
    pub left: Box<str>,
    pub right: Box<str>,
}

/// A complete date as [`normalise::date`] writes it (`JJJJMMDD`).
fn is_full_date(d: &str) -> bool {
    d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit())
}

/// Whether two values of a discriminating field say "not the same". Identifiers must be
/// equal; dates of birth conflict only when they differ by more than a typo (one character,
/// or day and month swapped), so a mistyped date still links and a different one never does.
pub fn conflicting(field: FieldKind, a: &str, b: &str) -> bool {
    match field {
        FieldKind::DateOfBirth => {
            let levels = Slot::Dob.level_count();
            usize::from(Slot::Dob.level(a, b)) + 1 == levels
        }
        _ => a != b,
    }
}

/// A record with its values normalised once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prepared {
    pub values: [Option<Box<str>>; Slot::COUNT],
    /// Identifying values, at most one per kind: the strong identifiers
    /// ([`FieldKind::is_strong`]) and the legal form.
    pub strong: Vec<(FieldKind, Box<str>)>,
}

/// The identifying values of a record being read, the first of each kind.
#[derive(Default)]
struct Identifying(Vec<(FieldKind, Box<str>)>);

impl Identifying {
    fn keep(&mut self, kind: FieldKind, value: String) {
        if !value.is_empty() && !self.0.iter().any(|(k, _)| *k == kind) {
            self.0.push((kind, value.into_boxed_str()));
        }
    }
}

impl Prepared {
    /// Normalises the raw values of one record. Empty values are missing.
    pub fn new(fields: &[(FieldKind, String)]) -> Self {
        let mut values: [Option<Box<str>>; Slot::COUNT] = Default::default();
        let mut ids = Identifying::default();
        let mut set = |slot: Slot, v: String| {
            if !v.is_empty() {
                values[slot.index()] = Some(v.into_boxed_str());
            }
        };
        for (kind, raw) in fields {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            match kind {
                FieldKind::GivenName => set(Slot::Given, normalise::text(raw)),
                FieldKind::Surname => set(Slot::Surname, normalise::surname_core(raw)),
                FieldKind::FullName => {
                    let n = normalise::person_name(raw);
                    set(Slot::Given, n.given);
                    set(Slot::Surname, n.surname);
                }
                FieldKind::DateOfBirth => set(Slot::Dob, normalise::date(raw)),
                FieldKind::Street => set(Slot::Street, normalise::street(raw)),
                FieldKind::HouseNumber => set(Slot::HouseNumber, normalise::house_number_key(raw)),
                FieldKind::Postcode => set(Slot::Postcode, normalise::postcode(raw)),
                FieldKind::City => set(Slot::City, normalise::compact(raw)),
                FieldKind::OrganisationName => {
                    if let Some(form) = normalise::legal_form(raw) {
                        ids.keep(FieldKind::LegalForm, form.into());
                    }
                    set(Slot::Organisation, normalise::organisation(raw))
                }
                FieldKind::LegalForm => {
                    let form = normalise::legal_form(raw)
                        .map_or_else(|| normalise::text(raw), str::to_string);
                    ids.keep(FieldKind::LegalForm, form);
                }
                FieldKind::Identifier => set(Slot::Identifier, normalise::identifier(raw)),
                FieldKind::Phone => set(
                    Slot::Phone,
                    raw.chars().filter(char::is_ascii_digit).collect(),
                ),
                FieldKind::Email => set(Slot::Email, raw.to_lowercase()),
                FieldKind::Plate
                | FieldKind::Kvk
                | FieldKind::BagId
                | FieldKind::BsnHash
                | FieldKind::Rsin
                | FieldKind::AddressCode => {
                    let v = if *kind == FieldKind::AddressCode {
                        normalise::address_code(raw)
                    } else {
                        normalise::identifier(raw)
                    };
                    ids.keep(*kind, v);
                }
            }
        }
        Prepared {
            values,
            strong: ids.0,
        }
    }

    /// The strong identifiers among the identifying values.
    fn strong_ids(&self) -> impl Iterator<Item = &(FieldKind, Box<str>)> {
        self.strong.iter().filter(|(k, _)| k.is_strong())
    }

    pub fn get(&self, slot: Slot) -> Option<&str> {
        self.values[slot.index()].as_deref()
    }

    /// A compact text form to store beside a record, so it can be compared later without
    /// normalising it again ([`Prepared::decode`] reads it back).
    pub fn encode(&self) -> String {
        let clean = |v: &str| v.replace(['\u{1e}', '\u{1f}'], " ");
        let values: Vec<String> = self
            .values
            .iter()
            .map(|v| v.as_deref().map(clean).unwrap_or_default())
            .collect();
        let strong: Vec<String> = self
            .strong
            .iter()
            .map(|(k, v)| format!("{}={}", k.slug(), clean(v)))
            .collect();
        format!("{}\u{1e}{}", values.join("\u{1f}"), strong.join("\u{1f}"))
    }

    /// Reads [`Prepared::encode`]'s form; `None` when it is not one.
    pub fn decode(text: &str) -> Option<Prepared> {
        let (values, strong) = text.split_once('\u{1e}')?;
        let mut p = Prepared::default();
        let parts: Vec<&str> = values.split('\u{1f}').collect();
        if parts.len() != Slot::COUNT {
            return None;
        }
        for (i, v) in parts.into_iter().enumerate() {
            if !v.is_empty() {
                p.values[i] = Some(v.into());
            }
        }
        for entry in strong.split('\u{1f}').filter(|e| !e.is_empty()) {
            let (kind, v) = entry.split_once('=')?;
            p.strong.push((FieldKind::parse(kind)?, v.into()));
        }
        Some(p)
    }

    /// `Some(true)` when both share a strong identifier, `Some(false)` when they hold
    /// different values of one, `None` when no strong identifier is on both. Conflicting
    /// evidence ([`Prepared::conflict`]) comes first: different identifiers decide "not the
    /// same"; different dates of birth take away every shortcut, so a father and son of the
    /// same name at the same address are weighed field by field (where the dates speak
    /// strongly against) instead of being linked by their shared address.
    pub fn strong_verdict(&self, other: &Prepared) -> Option<(bool, FieldKind)> {
        match self.conflict(other) {
            Some(c) if c.field == FieldKind::DateOfBirth => return None,
            Some(c) => return Some((false, c.field)),
            None => {}
        }
        let mut verdict = None;
        for (kind, v) in self.strong_ids() {
            if let Some((_, w)) = other.strong_ids().find(|(k, _)| k == kind) {
                if v == w {
                    return Some((true, *kind));
                }
                verdict = Some((false, *kind));
            }
        }
        verdict
    }

    /// The values that tell records apart: two records that hold different values of one of
    /// these are never the same — a date of birth, a BSN (keyed), a KvK number, an RSIN, a BAG
    /// id, a legal form.
    pub fn discriminators(&self) -> Vec<(FieldKind, Box<str>)> {
        let mut out: Vec<(FieldKind, Box<str>)> = self
            .strong
            .iter()
            .filter(|(k, _)| {
                matches!(
                    k,
                    FieldKind::BsnHash
                        | FieldKind::Kvk
                        | FieldKind::BagId
                        | FieldKind::Rsin
                        | FieldKind::LegalForm
                )
            })
            .cloned()
            .collect();
        if let Some(dob) = self.get(Slot::Dob).filter(|d| is_full_date(d)) {
            out.push((FieldKind::DateOfBirth, dob.into()));
        }
        out
    }

    /// The first discriminating field on which the two records disagree, if any.
    pub fn conflict(&self, other: &Prepared) -> Option<Conflict> {
        let theirs = other.discriminators();
        self.discriminators().into_iter().find_map(|(field, mine)| {
            theirs
                .iter()
                .find(|(k, v)| *k == field && conflicting(field, &mine, v))
                .map(|(_, v)| Conflict {
                    field,
                    left: mine.clone(),
                    right: v.clone(),
                })
        })
    }

    /// True when given name and surname are written the other way round on `other`
    /// ([`Names::compare`]).
    pub fn names_swapped(&self, other: &Prepared) -> bool {
        Names::compare(self, other).swapped()
    }
}

/// A compared value: its agreement level and the left and right value.
pub type Compared<'a> = (u8, &'a str, &'a str);

/// How the names of two records compare: given name with given name and surname with
/// surname, or crossed when one record writes them the other way round ("Vries" in the
/// given-name field and "Jan" as surname). Symmetric: the same levels for `(a, b)` and
/// `(b, a)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names<'a> {
    given: Option<Compared<'a>>,
    surname: Option<Compared<'a>>,
    swapped: bool,
}

impl<'a> Names<'a> {
    /// Compares the names of `a` and `b`. They are compared crossed — each given name against
    /// the other's surname, graded with the surname's levels, which are symmetric — when that
    /// agrees better than the straight comparison and at least one crossed name is the same or
    /// a typo away (level 0 or 1) that begins with the same two letters. Names that already
    /// agree closely (levels adding up to 2 or less) are not crossed.
    pub fn compare(a: &'a Prepared, b: &'a Prepared) -> Self {
        let straight = |slot: Slot| {
            let (x, y) = (a.get(slot)?, b.get(slot)?);
            Some((slot.level(x, y), x, y))
        };
        let names = Names {
            given: straight(Slot::Given),
            surname: straight(Slot::Surname),
            swapped: false,
        };
        names.crossed().unwrap_or(names)
    }

    fn crossed(&self) -> Option<Self> {
        let (given, surname) = (self.given?, self.surname?);
        let (ag, asur, bg, bsur) = (given.1, surname.1, given.2, surname.2);
        let straight = given.0 + surname.0;
        // A crossed name a typo away starts like the other in practice; two prefixes that
        // differ spare the two comparisons for the many pairs that are not written crossed.
        let starts_alike = |x: &str, y: &str| x.get(..2).is_some_and(|p| y.starts_with(p));
        if straight <= 2
            || ag == asur
            || bg == bsur
            || !(starts_alike(ag, bsur) || starts_alike(asur, bg))
        {
            return None;
        }
        let first = Slot::Surname.level(ag, bsur);
        let second = Slot::Surname.level(asur, bg);
        if first + second >= straight || first.min(second) > 1 {
            return None;
        }
        let (one, other) = ((first, ag, bsur), (second, asur, bg));
        // Which crossed comparison counts as the given name must not depend on which record
        // is `a`: the better one does, and on a tie the one with the smaller pair of values.
        fn key<'s>(c: &Compared<'s>) -> (u8, &'s str, &'s str) {
            (c.0, c.1.min(c.2), c.1.max(c.2))
        }
        let (given, surname) = if key(&one) <= key(&other) {
            (one, other)
        } else {
            (other, one)
        };
        Some(Names {
            given: Some(given),
            surname: Some(surname),
            swapped: true,
        })
    }

    /// Whether the names were compared crossed.
    pub fn swapped(&self) -> bool {
        self.swapped
    }

    /// The comparison of `slot` if it is a name slot (`Some(None)` when a value is missing),
    /// `None` for any other slot.
    pub fn slot(&self, slot: Slot) -> Option<Option<Compared<'a>>> {
        match slot {
            Slot::Given => Some(self.given),
            Slot::Surname => Some(self.surname),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_grade_agreement() {
        assert_eq!(Slot::Surname.level("vries", "vries"), 0);
        assert_eq!(Slot::Surname.level("jansen", "janssen"), 1);
        assert_eq!(Slot::Surname.level("jansen vries", "vries"), 3);
        assert_eq!(Slot::Given.level("j", "jan"), 3);
        assert_eq!(Slot::Given.level("piet", "karel"), 5);
        assert_eq!(Slot::Dob.level("19850304", "19850403"), 2);
        assert_eq!(Slot::Dob.level("19850304", "19850305"), 1);
        assert_eq!(Slot::HouseNumber.level("12a", "12"), 1);
        assert_eq!(Slot::Organisation.level("jansen", "jansen transport"), 1);
        for slot in Slot::ALL {
            assert!(slot.level_count() >= 2);
        }
    }

    #[test]
    fn names_written_the_other_way_round_are_compared_crossed_and_symmetrically() {
        let rec = |g: &str, s: &str| {
            Prepared::new(&[
                (FieldKind::GivenName, g.into()),
                (FieldKind::Surname, s.into()),
            ])
        };
        // Swapped, and one of them mistyped: both crossed names agree.
        let a = rec("shepherdosn", "harvey");
        let b = rec("harvey", "shepherdson");
        let level = |names: &Names, slot| names.slot(slot).flatten().map(|c| c.0);
        let (ab, ba) = (Names::compare(&a, &b), Names::compare(&b, &a));
        assert!(ab.swapped() && ba.swapped());
        assert_eq!(level(&ab, Slot::Given), Some(0));
        assert_eq!(level(&ab, Slot::Surname), Some(1));
        assert_eq!(level(&ba, Slot::Given), Some(0));
        assert_eq!(level(&ba, Slot::Surname), Some(1));
        // Written the same way round, or no crossed name a typo away: compared straight.
        let same_way = rec("shepherdson", "harvey");
        let straight = Names::compare(&a, &same_way);
        assert!(!straight.swapped());
        assert_eq!(level(&straight, Slot::Given), Some(1));
        assert!(!rec("jan", "peters").names_swapped(&rec("piet", "jansen")));
        assert!(!a.names_swapped(&rec("harvey", "")));
    }

    #[test]
    fn a_father_and_son_at_one_address_are_two_people() {
        let person = |dob: &str| {
            Prepared::new(&[
                (FieldKind::FullName, "Jan de Vries".into()),
                (FieldKind::DateOfBirth, dob.into()),
                (FieldKind::AddressCode, "9711 AA 12".into()),
            ])
        };
        let (father, son) = (person("12-04-1979"), person("02-04-1985"));
        let conflict = father.conflict(&son).unwrap();
        assert_eq!(conflict.field, FieldKind::DateOfBirth);
        assert_eq!(
            (&*conflict.left, &*conflict.right),
            ("19790412", "19850402")
        );
        assert_eq!(
            father.strong_verdict(&son),
            None,
            "the shared address no longer decides; the dates weigh against"
        );
        // Day and month swapped is a typo, not another person.
        assert_eq!(father.conflict(&person("04-12-1979")), None);
        assert_eq!(
            father.strong_verdict(&person("12-04-1979")),
            Some((true, FieldKind::AddressCode))
        );
        // Different KvK numbers are different organisations, whatever the name says.
        let org = |kvk: &str| {
            Prepared::new(&[
                (FieldKind::OrganisationName, "Jansen Transport B.V.".into()),
                (FieldKind::Kvk, kvk.into()),
            ])
        };
        assert_eq!(
            org("12345678").strong_verdict(&org("87654321")),
            Some((false, FieldKind::Kvk))
        );
    }

    #[test]
    fn different_legal_forms_or_rsins_are_different_organisations() {
        let org = |name: &str, rsin: &str| {
            Prepared::new(&[
                (FieldKind::OrganisationName, name.into()),
                (FieldKind::Rsin, rsin.into()),
                (FieldKind::Postcode, "9711AA".into()),
            ])
        };
        let bv = org("Jansen Transport B.V.", "");
        let stichting = org("Stichting Jansen Transport", "");
        let conflict = bv.conflict(&stichting).expect("a conflict");
        assert_eq!(conflict.field, FieldKind::LegalForm);
        assert_eq!((&*conflict.left, &*conflict.right), ("bv", "stichting"));
        assert_eq!(
            bv.strong_verdict(&stichting),
            Some((false, FieldKind::LegalForm))
        );
        // The same form written two ways, and a name without a form, do not conflict; the
        // form is no identifier (equal forms decide nothing, and it is no blocking key).
        assert_eq!(bv.conflict(&org("Jansen Transport BV", "")), None);
        assert_eq!(bv.conflict(&org("Holding Jansen Transport", "")), None);
        assert_eq!(bv.strong_verdict(&org("Jansen Transport BV", "")), None);
        let a = org("Jansen Transport B.V.", "0012.34.567");
        let b = org("Jansen Transport B.V.", "001234568");
        assert_eq!(a.conflict(&b).map(|c| c.field), Some(FieldKind::Rsin));
        assert_eq!(
            a.strong_verdict(&org("Jansen", "001234567")),
            Some((true, FieldKind::Rsin))
        );
    }

    #[test]
    fn the_stored_form_reads_back() {
        let p = Prepared::new(&[
            (FieldKind::FullName, "Vries, Jan de".into()),
            (FieldKind::DateOfBirth, "4-3-1985".into()),
            (FieldKind::Kvk, "1234 5678".into()),
        ]);
        assert_eq!(Prepared::decode(&p.encode()), Some(p));
        assert_eq!(
            Prepared::decode(&Prepared::default().encode()),
            Some(Prepared::default())
        );
        assert_eq!(Prepared::decode("rommel"), None);
    }

    #[test]
    fn records_normalise_and_strong_identifiers_decide() {
        let a = Prepared::new(&[
            (FieldKind::FullName, "J. van der Berg".into()),
            (FieldKind::Kvk, "1234 5678".into()),
        ]);
        assert_eq!(a.get(Slot::Surname), Some("berg"));
        assert_eq!(a.get(Slot::Given), Some("j"));
        let b = Prepared::new(&[(FieldKind::Kvk, "12345678".into())]);
        assert_eq!(a.strong_verdict(&b), Some((true, FieldKind::Kvk)));
        let c = Prepared::new(&[(FieldKind::Kvk, "87654321".into())]);
        assert_eq!(a.strong_verdict(&c), Some((false, FieldKind::Kvk)));
        let d = Prepared::new(&[(FieldKind::Plate, "12-AB-34".into())]);
        assert_eq!(a.strong_verdict(&d), None);
    }
}
