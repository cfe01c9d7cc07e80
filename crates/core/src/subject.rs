//! Subjects named in a signal — persons, organisations, addresses, vehicles, phone numbers,
//! e-mail addresses and IBANs — parsed from what people type into a canonical form, with the
//! original text kept beside it.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::identifiers::{BagId, BagObjectType, Kenteken, KvkNumber, Postcode, Vestigingsnummer};
use crate::model::{slug_enum, SubjectKind};
use crate::validation::{Format, Missing, Problem, ValidationErrors};

slug_enum!(
    /// The part a subject plays in a signal.
    SubjectRole {
        Eigenaar => "eigenaar";
        Huurder => "huurder";
        Verhuurder => "verhuurder";
        Bewoner => "bewoner";
        Gebruiker => "gebruiker";
        Bestuurder => "bestuurder";
        Aandeelhouder => "aandeelhouder";
        Werknemer => "werknemer";
        Chauffeur => "chauffeur";
        Bezoeker => "bezoeker";
        Locatie => "locatie";
        Betrokkene => "betrokkene";
    }
);

slug_enum!(
    /// The kind of a relation between two subjects.
    RelationKind {
        EigenaarVan => "eigenaar-van";
        HuurtVan => "huurt-van";
        HuurderVan => "huurder-van";
        WoontOp => "woont-op";
        IngeschrevenOp => "ingeschreven-op";
        BestuurderVan => "bestuurder-van";
        GebruiktVoertuig => "gebruikt-voertuig";
        WerktVoor => "werkt-voor";
        GevestigdOp => "gevestigd-op";
        Overig => "overig";
    }
);

/// One subject as a form or the API delivers it. Which fields count depends on `kind`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct SubjectInput {
    /// persoon, organisatie, adres, voertuig, telefoon, e-mail or iban.
    pub kind: Option<String>,
    /// eigenaar, huurder, verhuurder, bewoner, gebruiker, bestuurder, aandeelhouder, werknemer, chauffeur, bezoeker, locatie or betrokkene.
    pub role: Option<String>,
    /// Person's or organisation's name.
    pub name: Option<String>,
    pub birth_date: Option<String>,
    pub kvk_number: Option<String>,
    pub branch_number: Option<String>,
    /// BAG nummeraanduiding or verblijfsobject id.
    pub bag_id: Option<String>,
    pub postcode: Option<String>,
    pub house_number: Option<String>,
    pub house_letter: Option<String>,
    pub house_number_addition: Option<String>,
    pub street: Option<String>,
    pub place: Option<String>,
    pub plate: Option<String>,
    /// Phone number, e-mail address or IBAN.
    pub value: Option<String>,
    /// A person's BSN (elfproef): only for organisations and roles with a configured legal
    /// basis; stored as a keyed hash for matching, never shown, listed, searched or exported.
    pub bsn: Option<String>,
}

impl SubjectInput {
    /// True when nothing was filled in (an unused block of a form).
    pub fn is_blank(&self) -> bool {
        [
            &self.name,
            &self.birth_date,
            &self.kvk_number,
            &self.branch_number,
            &self.bag_id,
            &self.postcode,
            &self.house_number,
            &self.house_letter,
            &self.house_number_addition,
            &self.street,
            &self.place,
            &self.plate,
            &self.value,
            &self.bsn,
        ]
        .iter()
        .all(|f| f.as_deref().is_none_or(|v| v.trim().is_empty()))
    }

    /// Reports a kind or role that is given but not known (for a block otherwise blank).
    pub fn check_codes(&self, index: usize, e: &mut ValidationErrors) {
        if let Some(kind) = text(&self.kind) {
            e.take(&format!("subjects[{index}].kind"), SubjectKind::parse(kind));
        }
        if let Some(role) = text(&self.role) {
            e.take(&format!("subjects[{index}].role"), SubjectRole::parse(role));
        }
    }
}

/// A position in the list of subjects: a JSON integer, also when written as `3.0`.
fn position<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    let value = Option::<f64>::deserialize(d)?;
    match value {
        None => Ok(None),
        Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64 => Ok(Some(v as usize)),
        Some(v) => Err(serde::de::Error::custom(format!(
            "{v} is not a position (0, 1, 2, …)"
        ))),
    }
}

/// A relation between two subjects of the same signal, by their position (0-based).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct RelationInput {
    #[serde(deserialize_with = "position")]
    pub from: Option<usize>,
    #[serde(deserialize_with = "position")]
    pub to: Option<usize>,
    pub kind: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
}

/// The parsed, typed content of a subject. Kept as JSON in the database and shown by the API
/// as it is: camelCase fields and ISO dates, read also in the snake_case and `[year, day]`
/// form stored before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum SubjectDetails {
    Person {
        name: String,
        #[serde(
            with = "crate::model::iso_date_or_stored",
            default,
            alias = "birth_date"
        )]
        birth_date: Option<Date>,
    },
    Organisation {
        name: Option<String>,
        #[serde(alias = "kvk_number")]
        kvk_number: Option<KvkNumber>,
        #[serde(alias = "branch_number")]
        branch_number: Option<Vestigingsnummer>,
    },
    Address {
        #[serde(alias = "bag_id")]
        bag_id: Option<BagId>,
        postcode: Option<Postcode>,
        #[serde(alias = "house_number")]
        house_number: Option<u32>,
        #[serde(alias = "house_letter")]
        house_letter: Option<char>,
        #[serde(alias = "house_number_addition")]
        house_number_addition: Option<String>,
        street: Option<String>,
        place: Option<String>,
    },
    Vehicle {
        plate: Kenteken,
    },
    Phone {
        e164: String,
    },
    Email {
        address: String,
    },
    Iban {
        iban: String,
    },
}

/// A subject ready to store: what was typed, its canonical form and its typed details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSubject {
    pub kind: SubjectKind,
    pub role: SubjectRole,
    /// As typed, for the record.
    pub original: String,
    /// Canonical form, used for matching: same subject, same text.
    pub normalised: String,
    pub details: SubjectDetails,
    /// A person's BSN with the legal basis it is recorded under; never serialised.
    #[serde(skip)]
    pub bsn: Option<crate::identifiers::StorableBsn>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewRelation {
    pub from: usize,
    pub to: usize,
    pub kind: RelationKind,
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
}

fn text(o: &Option<String>) -> Option<&str> {
    o.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Collapses white space and trims.
pub fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub use crate::text::fold;

fn not_a(format: Format, given: &str) -> Problem {
    Problem::NotA {
        format,
        given: given.trim().to_string(),
    }
}

/// Where an address written as free text lies: its postcode and house number, as a field
/// visit's location or an object's address is typed ("Oosterparkstraat 12a, 9713 AA
/// Groningen", "9713AA 12"). The postcode is four digits and two letters (a space between
/// allowed); the house number is the first number that is not part of the postcode. `None`
/// when either is missing.
pub fn postcode_and_number(text: &str) -> Option<(Postcode, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut postcode: Option<(Postcode, usize, usize)> = None;
    for start in 0..chars.len() {
        if start > 0 && chars[start - 1].is_alphanumeric() {
            continue;
        }
        let digits: String = chars[start..].iter().take(4).collect();
        if digits.len() < 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let mut at = start + 4;
        if chars.get(at) == Some(&' ') {
            at += 1;
        }
        let letters: String = chars[at.min(chars.len())..].iter().take(2).collect();
        let ends = chars.get(at + 2).is_none_or(|c| !c.is_alphanumeric());
        if letters.len() == 2 && letters.chars().all(|c| c.is_ascii_alphabetic()) && ends {
            if let Ok(pc) = Postcode::parse(&format!("{digits}{letters}")) {
                postcode = Some((pc, start, at + 2));
                break;
            }
        }
    }
    let (postcode, from, to) = postcode?;
    let mut i = 0;
    while i < chars.len() {
        if (from..to).contains(&i) {
            i = to;
            continue;
        }
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            let number: String = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let after = i + number.len();
            // "1e Hunzepad", "2e Kostverlorenkade": an ordinal in a street name.
            let ordinal = matches!(chars.get(after), Some('e' | 'E'))
                && chars.get(after + 1) == Some(&' ')
                && chars.get(after + 2).is_some_and(|c| c.is_alphabetic());
            if ordinal {
                i = after + 1;
                continue;
            }
            if let Ok(n) = number.parse::<u32>() {
                if (1..=99_999).contains(&n) {
                    return Some((postcode, n));
                }
            }
            i += number.len();
            continue;
        }
        i += 1;
    }
    None
}

/// A phone number in E.164 form; Dutch national numbers get +31.
pub fn normalise_phone(input: &str) -> Result<String, Problem> {
    let mut s: String = input.trim().replace("(0)", "");
    s.retain(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/'));
    let international = if let Some(rest) = s.strip_prefix('+') {
        rest.to_string()
    } else if let Some(rest) = s.strip_prefix("00") {
        rest.to_string()
    } else if let Some(rest) = s.strip_prefix('0') {
        format!("31{rest}")
    } else {
        return Err(not_a(Format::PhoneStart, input));
    };
    if !international.bytes().all(|b| b.is_ascii_digit()) || international.starts_with('0') {
        return Err(not_a(Format::Phone, input));
    }
    let ok = if let Some(national) = international.strip_prefix("31") {
        national.len() == 9
    } else {
        (8..=15).contains(&international.len())
    };
    if ok {
        Ok(format!("+{international}"))
    } else {
        Err(not_a(Format::PhoneDigits, input))
    }
}

pub fn normalise_email(input: &str) -> Result<String, Problem> {
    let s = input.trim().to_lowercase();
    let valid = s.len() <= 254
        && !s.contains(char::is_whitespace)
        && s.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        });
    if valid {
        Ok(s)
    } else {
        Err(not_a(Format::Email, input))
    }
}

/// An IBAN without spaces, upper case, with a valid ISO 13616 check (mod 97).
pub fn normalise_iban(input: &str) -> Result<String, Problem> {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    // Only ASCII letters and digits first, so that the slices below fall on characters.
    let shape = s.bytes().all(|b| b.is_ascii_alphanumeric())
        && s.len() >= 15
        && s.len() <= 34
        && s[..2].bytes().all(|b| b.is_ascii_uppercase())
        && s[2..4].bytes().all(|b| b.is_ascii_digit());
    if !shape || (s.starts_with("NL") && s.len() != 18) {
        return Err(not_a(Format::Iban, input));
    }
    let rearranged = format!("{}{}", &s[4..], &s[..4]);
    let mut remainder: u32 = 0;
    for c in rearranged.chars() {
        let value = c.to_digit(36).unwrap_or(0);
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    if remainder == 1 {
        Ok(s)
    } else {
        Err(not_a(Format::IbanChecksum, input))
    }
}

impl NewSubject {
    /// Parses subject number `index` (errors are named `subjects[index].field`); a BSN is
    /// refused (see [`NewSubject::parse_with_bsn`]).
    pub fn parse(
        input: &SubjectInput,
        index: usize,
        today: Date,
    ) -> Result<NewSubject, ValidationErrors> {
        Self::parse_with_bsn(input, index, today, None)
    }

    /// Parses subject number `index` for a caller who may record a BSN on the legal basis
    /// `bsn_basis` (`None`: a BSN given is refused).
    pub fn parse_with_bsn(
        input: &SubjectInput,
        index: usize,
        today: Date,
        bsn_basis: Option<&str>,
    ) -> Result<NewSubject, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let field = |name: &str| format!("subjects[{index}].{name}");
        let bsn = text(&input.bsn).and_then(|v| {
            let parsed = crate::identifiers::Bsn::parse(v)
                .and_then(|bsn| crate::identifiers::StorableBsn::new(bsn, bsn_basis));
            e.take(&field("bsn"), parsed)
        });
        let kind = e.take(
            &field("kind"),
            SubjectKind::parse(text(&input.kind).unwrap_or("")),
        );
        let role = e.take(
            &field("role"),
            SubjectRole::parse(text(&input.role).unwrap_or("betrokkene")),
        );
        let Some(kind) = kind else { return Err(e) };
        let required = |e: &mut ValidationErrors,
                        name: &str,
                        value: &Option<String>,
                        what: Missing|
         -> Option<String> {
            let v = text(value).map(str::to_string);
            if v.is_none() {
                e.push(field(name), what);
            }
            v
        };
        if kind != SubjectKind::Person && text(&input.bsn).is_some() {
            e.push(field("bsn"), Problem::BsnOnlyForPersons);
        }
        let details = match kind {
            SubjectKind::Person => {
                let name = required(&mut e, "name", &input.name, Missing::PersonName);
                let birth_date = match text(&input.birth_date) {
                    None => None,
                    Some(d) => match crate::signal::parse_date(d) {
                        Ok(d) if d > today => {
                            e.push(field("birthDate"), Problem::InFuture);
                            None
                        }
                        Ok(d) => Some(d),
                        Err(m) => {
                            e.push(field("birthDate"), m);
                            None
                        }
                    },
                };
                name.map(|name| SubjectDetails::Person {
                    name: tidy(&name),
                    birth_date,
                })
            }
            SubjectKind::Organisation => {
                let kvk_number = text(&input.kvk_number)
                    .and_then(|v| e.take(&field("kvkNumber"), KvkNumber::parse(v)));
                let branch_number = text(&input.branch_number)
                    .and_then(|v| e.take(&field("branchNumber"), Vestigingsnummer::parse(v)));
                let name = text(&input.name).map(tidy);
                if name.is_none() && text(&input.kvk_number).is_none() {
                    e.push(field("name"), Missing::OrganisationNameOrKvk);
                }
                Some(SubjectDetails::Organisation {
                    name,
                    kvk_number,
                    branch_number,
                })
            }
            SubjectKind::Address => {
                let bag_id = text(&input.bag_id).and_then(|v| {
                    let parsed = BagId::parse(v).and_then(|id| match id.object_type() {
                        BagObjectType::Nummeraanduiding | BagObjectType::Verblijfsobject => Ok(id),
                        found => Err(crate::identifiers::IdentifierError::BagWrongObjectType {
                            expected: BagObjectType::Nummeraanduiding,
                            found,
                        }),
                    });
                    e.take(&field("bagId"), parsed)
                });
                let postcode = text(&input.postcode)
                    .and_then(|v| e.take(&field("postcode"), Postcode::parse(v)));
                let house_number = text(&input.house_number).and_then(|v| match v.parse::<u32>() {
                    Ok(n) if (1..=99_999).contains(&n) => Some(n),
                    _ => {
                        e.push(field("houseNumber"), not_a(Format::HouseNumber, v));
                        None
                    }
                });
                let house_letter = text(&input.house_letter).and_then(|v| {
                    let mut chars = v.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) if c.is_ascii_alphabetic() => Some(c.to_ascii_uppercase()),
                        _ => {
                            e.push(field("houseLetter"), Problem::HouseLetter);
                            None
                        }
                    }
                });
                let addition = text(&input.house_number_addition).map(|v| v.to_uppercase());
                if addition.as_ref().is_some_and(|a| {
                    a.chars().count() > 4 || !a.chars().all(|c| c.is_ascii_alphanumeric())
                }) {
                    e.push(field("houseNumberAddition"), Problem::HouseNumberAddition);
                }
                let street = text(&input.street).map(tidy);
                let place = text(&input.place).map(tidy);
                let complete = text(&input.bag_id).is_some()
                    || (text(&input.postcode).is_some() && text(&input.house_number).is_some())
                    || (street.is_some() && text(&input.house_number).is_some() && place.is_some());
                if !complete {
                    e.push(field("postcode"), Missing::Address);
                }
                Some(SubjectDetails::Address {
                    bag_id,
                    postcode,
                    house_number,
                    house_letter,
                    house_number_addition: addition,
                    street,
                    place,
                })
            }
            SubjectKind::Vehicle => match text(&input.plate) {
                None => {
                    e.push(field("plate"), Missing::Plate);
                    None
                }
                Some(p) => e
                    .take(&field("plate"), Kenteken::parse(p))
                    .map(|plate| SubjectDetails::Vehicle { plate }),
            },
            SubjectKind::Phone | SubjectKind::Email | SubjectKind::Iban => {
                let what = match kind {
                    SubjectKind::Phone => Missing::Phone,
                    SubjectKind::Email => Missing::Email,
                    _ => Missing::Iban,
                };
                required(&mut e, "value", &input.value, what).and_then(|v| {
                    let parsed = match kind {
                        SubjectKind::Phone => {
                            normalise_phone(&v).map(|e164| SubjectDetails::Phone { e164 })
                        }
                        SubjectKind::Email => {
                            normalise_email(&v).map(|address| SubjectDetails::Email { address })
                        }
                        _ => normalise_iban(&v).map(|iban| SubjectDetails::Iban { iban }),
                    };
                    e.take(&field("value"), parsed)
                })
            }
        };
        match (details, role) {
            (Some(details), Some(role)) if e.is_empty() => Ok(NewSubject {
                kind,
                role,
                original: original_text(input),
                normalised: details.normalised(),
                details,
                bsn,
            }),
            _ => Err(e),
        }
    }
}

/// Everything that was typed, in field order, for the record.
fn original_text(input: &SubjectInput) -> String {
    [
        &input.name,
        &input.birth_date,
        &input.kvk_number,
        &input.branch_number,
        &input.bag_id,
        &input.street,
        &input.house_number,
        &input.house_letter,
        &input.house_number_addition,
        &input.postcode,
        &input.place,
        &input.plate,
        &input.value,
    ]
    .iter()
    .filter_map(|f| text(f))
    .collect::<Vec<_>>()
    .join(" ")
}

impl SubjectDetails {
    /// The canonical text: strong identifiers where present, folded text otherwise.
    pub fn normalised(&self) -> String {
        match self {
            Self::Person { name, birth_date } => match birth_date {
                Some(d) => format!("{} {}", fold(name), crate::signal::format_date(*d)),
                None => fold(name),
            },
            Self::Organisation {
                name,
                kvk_number,
                branch_number,
            } => match (branch_number, kvk_number) {
                (Some(b), _) => format!("VESTIGING {b}"),
                (None, Some(k)) => format!("KVK {k}"),
                (None, None) => fold(name.as_deref().unwrap_or_default()),
            },
            Self::Address {
                bag_id,
                postcode,
                house_number,
                house_letter,
                house_number_addition,
                street,
                place,
            } => {
                if let Some(id) = bag_id {
                    return format!("BAG {id}");
                }
                let number = format!(
                    "{}{}{}",
                    house_number.map(|n| n.to_string()).unwrap_or_default(),
                    house_letter.map(String::from).unwrap_or_default(),
                    house_number_addition
                        .as_deref()
                        .map(|a| format!("-{a}"))
                        .unwrap_or_default()
                );
                match postcode {
                    Some(p) => format!("{} {number}", p.compact()),
                    None => fold(&format!(
                        "{} {number} {}",
                        street.as_deref().unwrap_or_default(),
                        place.as_deref().unwrap_or_default()
                    )),
                }
            }
            Self::Vehicle { plate } => plate.compact(),
            Self::Phone { e164 } => e164.clone(),
            Self::Email { address } => address.clone(),
            Self::Iban { iban } => iban.clone(),
        }
    }

    /// A readable one-line form for lists and pages.
    pub fn display(&self) -> String {
        match self {
            Self::Person { name, birth_date } => match birth_date {
                Some(d) => format!("{name} (geboren {})", crate::signal::format_date(*d)),
                None => name.clone(),
            },
            Self::Organisation {
                name,
                kvk_number,
                branch_number,
            } => {
                let mut parts = Vec::new();
                if let Some(n) = name {
                    parts.push(n.clone());
                }
                if let Some(k) = kvk_number {
                    parts.push(format!("KvK {k}"));
                }
                if let Some(b) = branch_number {
                    parts.push(format!("vestiging {b}"));
                }
                parts.join(", ")
            }
            Self::Address {
                bag_id,
                postcode,
                house_number,
                house_letter,
                house_number_addition,
                street,
                place,
            } => {
                let number = format!(
                    "{}{}{}",
                    house_number.map(|n| n.to_string()).unwrap_or_default(),
                    house_letter.map(String::from).unwrap_or_default(),
                    house_number_addition
                        .as_deref()
                        .map(|a| format!("-{a}"))
                        .unwrap_or_default()
                );
                let mut parts = Vec::new();
                let line1 = tidy(&format!(
                    "{} {number}",
                    street.as_deref().unwrap_or_default()
                ));
                if !line1.is_empty() {
                    parts.push(line1);
                }
                let line2 = tidy(&format!(
                    "{} {}",
                    postcode.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                    place.as_deref().unwrap_or_default()
                ));
                if !line2.is_empty() {
                    parts.push(line2);
                }
                if let Some(id) = bag_id {
                    parts.push(format!("BAG {id}"));
                }
                parts.join(", ")
            }
            Self::Vehicle { plate } => plate.to_string(),
            Self::Phone { e164 } => e164.clone(),
            Self::Email { address } => address.clone(),
            Self::Iban { iban } => iban.clone(),
        }
    }
}

impl NewRelation {
    pub fn parse(
        input: &RelationInput,
        index: usize,
        subjects: usize,
    ) -> Result<NewRelation, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let field = |name: &str| format!("relations[{index}].{name}");
        let mut position = |name: &str, v: Option<usize>| match v {
            Some(p) if p < subjects => Some(p),
            Some(p) => {
                e.push(field(name), Problem::NoSuchSubject { number: p + 1 });
                None
            }
            None => {
                e.push(field(name), Missing::RelationSubject);
                None
            }
        };
        let from = position("from", input.from);
        let to = position("to", input.to);
        if from.is_some() && from == to {
            e.push(field("to"), Problem::RelationToItself);
        }
        let kind = e.take(
            &field("kind"),
            RelationKind::parse(text(&input.kind).unwrap_or("")),
        );
        let mut date = |name: &str, v: &Option<String>| {
            text(v).and_then(|d| e.take(&field(name), crate::signal::parse_date(d)))
        };
        let valid_from = date("validFrom", &input.valid_from);
        let valid_until = date("validUntil", &input.valid_until);
        if let (Some(f), Some(u)) = (valid_from, valid_until) {
            if u < f {
                e.push(field("validUntil"), Problem::BeforeStart);
            }
        }
        match (from, to, kind) {
            (Some(from), Some(to), Some(kind)) if e.is_empty() => Ok(NewRelation {
                from,
                to,
                kind,
                valid_from,
                valid_until,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests;
