//! Dutch identifiers as parsed newtypes ("parse, don't validate"). Every constructor accepts
//! the forms people type (spaces, dashes, lower case) and yields one canonical form; every
//! error names what is wrong as a type (`baken_app::wording` says it in Dutch).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdentifierError {
    #[error("empty")]
    Empty,
    #[error("must have {expected} digits (found {found} characters)")]
    Length { expected: usize, found: usize },
    #[error("digits only")]
    NotDigits,
    #[error("unknown BAG object type code '{0}'")]
    BagObjectType(String),
    #[error("a BAG {found} where a BAG {expected} is expected")]
    BagWrongObjectType {
        expected: BagObjectType,
        found: BagObjectType,
    },
    #[error("municipality code 0000 does not exist")]
    BagMunicipality,
    #[error("fails the eleven test")]
    ElevenTest,
    #[error("not of the form 1234 AB")]
    PostcodeFormat,
    #[error("postcode letters '{0}' are not issued")]
    PostcodeLetters(String),
    #[error("no Dutch plate (no known sidecode)")]
    PlateFormat,
    #[error("the letter {0} is never issued on a Dutch plate")]
    PlateLetter(char),
    #[error("must be {expected} followed by {digits} digits")]
    CbsFormat {
        expected: &'static str,
        digits: usize,
    },
    #[error("not an area code")]
    AreaCode,
    #[error("BSN not allowed: no legal basis configured")]
    BsnNotAllowed,
}

fn only_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Strips the separators people type inside numbers: spaces, dots and dashes.
fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
        .collect()
}

fn fixed_digits(input: &str, expected: usize) -> Result<String, IdentifierError> {
    let s = compact(input.trim());
    if s.is_empty() {
        return Err(IdentifierError::Empty);
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdentifierError::NotDigits);
    }
    if s.len() != expected {
        return Err(IdentifierError::Length {
            expected,
            found: s.len(),
        });
    }
    Ok(s)
}

/// The elfproef with weights 9..2 and -1 for the last digit (BSN, RSIN).
fn passes_eleven_test(digits: &str) -> bool {
    let sum: i64 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = i64::from(b - b'0');
            if i == 8 {
                -d
            } else {
                d * (9 - i as i64)
            }
        })
        .sum();
    sum % 11 == 0
}

macro_rules! string_newtype {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl FromStr for $name {
            type Err = IdentifierError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = IdentifierError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
    };
}

// ---------------------------------------------------------------- BAG

/// The object type encoded in positions 5–6 of a BAG identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BagObjectType {
    Verblijfsobject,
    Ligplaats,
    Standplaats,
    Pand,
    Nummeraanduiding,
    OpenbareRuimte,
}

impl BagObjectType {
    pub fn code(self) -> &'static str {
        match self {
            Self::Verblijfsobject => "01",
            Self::Ligplaats => "02",
            Self::Standplaats => "03",
            Self::Pand => "10",
            Self::Nummeraanduiding => "20",
            Self::OpenbareRuimte => "30",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "01" => Self::Verblijfsobject,
            "02" => Self::Ligplaats,
            "03" => Self::Standplaats,
            "10" => Self::Pand,
            "20" => Self::Nummeraanduiding,
            "30" => Self::OpenbareRuimte,
            _ => return None,
        })
    }
}

impl fmt::Display for BagObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Verblijfsobject => "verblijfsobject",
            Self::Ligplaats => "ligplaats",
            Self::Standplaats => "standplaats",
            Self::Pand => "pand",
            Self::Nummeraanduiding => "nummeraanduiding",
            Self::OpenbareRuimte => "openbare ruimte",
        })
    }
}

/// A BAG object identifier: 4-digit gemeentecode + 2-digit object type + 10-digit sequence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BagId(String);
string_newtype!(BagId);

impl BagId {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let s = fixed_digits(input, 16)?;
        if &s[0..4] == "0000" {
            return Err(IdentifierError::BagMunicipality);
        }
        if BagObjectType::from_code(&s[4..6]).is_none() {
            return Err(IdentifierError::BagObjectType(s[4..6].to_string()));
        }
        Ok(Self(s))
    }

    /// Parses and requires a particular object type (e.g. a nummeraanduiding for an address).
    pub fn parse_as(input: &str, expected: BagObjectType) -> Result<Self, IdentifierError> {
        let id = Self::parse(input)?;
        let found = id.object_type();
        if found != expected {
            return Err(IdentifierError::BagWrongObjectType { expected, found });
        }
        Ok(id)
    }

    pub fn municipality_code(&self) -> &str {
        &self.0[0..4]
    }

    pub fn object_type(&self) -> BagObjectType {
        // The constructor guarantees a known code.
        BagObjectType::from_code(&self.0[4..6]).unwrap_or(BagObjectType::Verblijfsobject)
    }
}

// ---------------------------------------------------------------- KvK, vestiging, RSIN, BSN

/// KvK-nummer: 8 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KvkNumber(String);
string_newtype!(KvkNumber);

impl KvkNumber {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        fixed_digits(input, 8).map(Self)
    }
}

/// Vestigingsnummer: 12 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Vestigingsnummer(String);
string_newtype!(Vestigingsnummer);

impl Vestigingsnummer {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        fixed_digits(input, 12).map(Self)
    }
}

/// RSIN: 9 digits passing the elfproef.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rsin(String);
string_newtype!(Rsin);

impl Rsin {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let s = fixed_digits(input, 9)?;
        if s == "000000000" || !passes_eleven_test(&s) {
            return Err(IdentifierError::ElevenTest);
        }
        Ok(Self(s))
    }
}

/// Burgerservicenummer: 9 digits (8-digit numbers get a leading zero) passing the elfproef.
///
/// Its `Debug` and `Display` never show the number, so a BSN cannot leak into logs by accident;
/// use [`Bsn::expose`] where the number itself is needed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Bsn(String);

impl Bsn {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let mut s = compact(input.trim());
        if s.len() == 8 && only_digits(&s) {
            s.insert(0, '0');
        }
        let s = fixed_digits(&s, 9)?;
        if s == "000000000" || !passes_eleven_test(&s) {
            return Err(IdentifierError::ElevenTest);
        }
        Ok(Self(s))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bsn(*********)")
    }
}

impl fmt::Display for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("*********")
    }
}

impl Bsn {
    /// The keyed hash under which the number is stored and matched (HMAC-SHA256 with the
    /// installation's key, domain-separated): equal numbers give equal hashes, and without the
    /// key — kept outside the database — no number can be tried against them.
    pub fn keyed_hash(&self, key: &crate::audit::AuditKey) -> String {
        key.mac(format!("baken-bsn-v1\0{}", self.0).as_bytes())
    }
}

/// Who may record BSNs, and on which legal basis (configuration, `[[intake.bsn.bases]]`):
/// per organisation, the roles that may, with the basis named (e.g. Wet Bibob art. 7a for the
/// Bibob coördinator). Without a basis for the caller's organisation and role, no BSN can be
/// recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BsnPolicy {
    pub bases: Vec<BsnBasis>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BsnBasis {
    /// The legal basis in words, recorded with every BSN stored under it.
    pub legal_basis: String,
    /// The organisation's id (`baken org list`).
    pub organisation: uuid::Uuid,
    /// The roles of that organisation that may record a BSN.
    pub roles: Vec<crate::access::Role>,
}

impl BsnPolicy {
    /// The legal basis under which `caller` may record a BSN, if any.
    pub fn basis_for(&self, caller: &crate::access::Caller) -> Option<&str> {
        self.bases
            .iter()
            .find(|b| {
                b.organisation == caller.org()
                    && b.roles.iter().any(|r| caller.roles().has(*r))
                    && !b.legal_basis.trim().is_empty()
            })
            .map(|b| b.legal_basis.trim())
    }
}

/// A BSN together with the legal basis that allows storing it; the only form in which a BSN
/// can reach the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorableBsn {
    pub bsn: Bsn,
    pub legal_basis: String,
}

impl StorableBsn {
    /// The BSN under `basis` (the caller's, from [`BsnPolicy::basis_for`]); none, none.
    pub fn new(bsn: Bsn, basis: Option<&str>) -> Result<Self, IdentifierError> {
        match basis.map(str::trim) {
            Some(basis) if !basis.is_empty() => Ok(Self {
                bsn,
                legal_basis: basis.to_string(),
            }),
            _ => Err(IdentifierError::BsnNotAllowed),
        }
    }
}

// ---------------------------------------------------------------- postcode

/// Dutch postcode, stored as `1234AB`, shown as `1234 AB`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let s: String = input
            .trim()
            .chars()
            .filter(|c| *c != ' ')
            .collect::<String>()
            .to_ascii_uppercase();
        if s.is_empty() {
            return Err(IdentifierError::Empty);
        }
        let b = s.as_bytes();
        let ok = b.len() == 6
            && (b'1'..=b'9').contains(&b[0])
            && b[1..4].iter().all(u8::is_ascii_digit)
            && b[4..6].iter().all(u8::is_ascii_uppercase);
        // Only one optional space, between digits and letters.
        let spaces = input.trim().matches(' ').count();
        let space_ok =
            spaces == 0 || (spaces == 1 && input.trim().as_bytes().get(4) == Some(&b' '));
        if !ok || !space_ok {
            return Err(IdentifierError::PostcodeFormat);
        }
        let letters = &s[4..6];
        if matches!(letters, "SA" | "SD" | "SS") {
            return Err(IdentifierError::PostcodeLetters(letters.to_string()));
        }
        Ok(Self(s))
    }

    /// The canonical form as BAG stores it: `1234AB`.
    pub fn compact(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", &self.0[0..4], &self.0[4..6])
    }
}

impl FromStr for Postcode {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Postcode {
    type Error = IdentifierError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Postcode> for String {
    fn from(p: Postcode) -> String {
        p.0
    }
}

// ---------------------------------------------------------------- licence plates

/// The RDW sidecodes for cars in use: letter (L) / digit (D) pattern and dash positions.
const SIDECODES: [(u8, &str, &[usize]); 14] = [
    (1, "LLDDDD", &[2, 4]),
    (2, "DDDDLL", &[2, 4]),
    (3, "DDLLDD", &[2, 4]),
    (4, "LLDDLL", &[2, 4]),
    (5, "LLLLDD", &[2, 4]),
    (6, "DDLLLL", &[2, 4]),
    (7, "DDLLLD", &[2, 5]),
    (8, "DLLLDD", &[1, 4]),
    (9, "LLDDDL", &[2, 5]),
    (10, "LDDDLL", &[1, 4]),
    (11, "LLLDDL", &[3, 5]),
    (12, "LDDLLL", &[1, 3]),
    (13, "DLLDDD", &[1, 3]),
    (14, "DDDLLD", &[3, 5]),
];

/// A Dutch licence plate (kenteken) in one of the sidecodes 1–14, shown with dashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Kenteken {
    text: String,
    sidecode: u8,
}

impl Kenteken {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let raw: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .collect::<String>()
            .to_ascii_uppercase();
        if raw.is_empty() {
            return Err(IdentifierError::Empty);
        }
        if raw.len() != 6 || !raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(IdentifierError::PlateFormat);
        }
        let pattern: String = raw
            .bytes()
            .map(|b| if b.is_ascii_digit() { 'D' } else { 'L' })
            .collect();
        let (sidecode, _, dashes) = SIDECODES
            .iter()
            .find(|(_, p, _)| *p == pattern)
            .ok_or(IdentifierError::PlateFormat)?;
        // The RDW never issues a Q (it looks too much like a zero; RDW, "kentekencombinaties").
        // Vowels and C, left out since sidecode 4, are not refused: older plates have them
        // and a plate noted by a witness is better kept than lost.
        if raw.contains('Q') {
            return Err(IdentifierError::PlateLetter('Q'));
        }
        // If the user typed dashes, they must stand where the sidecode puts them.
        let typed = input.trim().to_ascii_uppercase();
        if typed.contains('-') {
            let positions: Vec<usize> = typed
                .replace(' ', "")
                .char_indices()
                .filter(|(_, c)| *c == '-')
                .enumerate()
                .map(|(n, (i, _))| i - n)
                .collect();
            if positions != *dashes {
                return Err(IdentifierError::PlateFormat);
            }
        }
        let mut text = String::with_capacity(8);
        for (i, c) in raw.chars().enumerate() {
            if dashes.contains(&i) {
                text.push('-');
            }
            text.push(c);
        }
        Ok(Self {
            text,
            sidecode: *sidecode,
        })
    }

    pub fn sidecode(&self) -> u8 {
        self.sidecode
    }

    /// Without dashes, as registers index it.
    pub fn compact(&self) -> String {
        self.text.replace('-', "")
    }
}

impl fmt::Display for Kenteken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Kenteken {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Kenteken {
    type Error = IdentifierError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Kenteken> for String {
    fn from(k: Kenteken) -> String {
        k.text
    }
}

// ---------------------------------------------------------------- CBS codes

fn cbs(input: &str, prefix: &'static str, digits: usize) -> Result<String, IdentifierError> {
    // CBS OData pads codes with trailing spaces; people type lower case.
    let s = input.trim().to_ascii_uppercase();
    if s.is_empty() {
        return Err(IdentifierError::Empty);
    }
    let ok = s.len() == prefix.len() + digits
        && s.starts_with(prefix)
        && s[prefix.len()..].bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return Err(IdentifierError::CbsFormat {
            expected: prefix,
            digits,
        });
    }
    Ok(s)
}

/// CBS gemeente code, e.g. `GM0014`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GemeenteCode(String);
string_newtype!(GemeenteCode);

impl GemeenteCode {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        cbs(input, "GM", 4).map(Self)
    }
}

/// CBS wijk code, e.g. `WK001400` (gemeente 0014, wijk 00).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WijkCode(String);
string_newtype!(WijkCode);

impl WijkCode {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        cbs(input, "WK", 6).map(Self)
    }

    pub fn gemeente(&self) -> GemeenteCode {
        GemeenteCode(format!("GM{}", &self.0[2..6]))
    }
}

/// CBS buurt code, e.g. `BU00140000` (wijk 001400, buurt 00).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BuurtCode(String);
string_newtype!(BuurtCode);

impl BuurtCode {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        cbs(input, "BU", 8).map(Self)
    }

    pub fn wijk(&self) -> WijkCode {
        WijkCode(format!("WK{}", &self.0[2..8]))
    }

    pub fn gemeente(&self) -> GemeenteCode {
        self.wijk().gemeente()
    }
}

/// Any CBS area code; the kind follows from the prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CbsCode {
    Gemeente(GemeenteCode),
    Wijk(WijkCode),
    Buurt(BuurtCode),
}

impl CbsCode {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let upper = input.trim().to_ascii_uppercase();
        if upper.starts_with("BU") {
            BuurtCode::parse(&upper).map(Self::Buurt)
        } else if upper.starts_with("WK") {
            WijkCode::parse(&upper).map(Self::Wijk)
        } else if upper.starts_with("GM") {
            GemeenteCode::parse(&upper).map(Self::Gemeente)
        } else if upper.is_empty() {
            Err(IdentifierError::Empty)
        } else {
            Err(IdentifierError::CbsFormat {
                expected: "GM, WK of BU",
                digits: 4,
            })
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Gemeente(c) => c.as_ref(),
            Self::Wijk(c) => c.as_ref(),
            Self::Buurt(c) => c.as_ref(),
        }
    }

    /// The enclosing area: buurt → wijk → gemeente → none.
    pub fn parent(&self) -> Option<CbsCode> {
        match self {
            Self::Buurt(b) => Some(Self::Wijk(b.wijk())),
            Self::Wijk(w) => Some(Self::Gemeente(w.gemeente())),
            Self::Gemeente(_) => None,
        }
    }

    /// True when `self` is `other` or lies inside it.
    pub fn within(&self, other: &CbsCode) -> bool {
        let mut cur = Some(self.clone());
        while let Some(c) = cur {
            if &c == other {
                return true;
            }
            cur = c.parent();
        }
        false
    }
}

impl fmt::Display for CbsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The code of any area: a CBS code, or the code of a custom area such as a business park
/// (`BT-zuidoost`) or a rural area (`BG-ten-boer`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AreaCode {
    Cbs(CbsCode),
    Custom(String),
}

impl AreaCode {
    /// What [`AreaCode::parse`] accepts, as a regular expression (the API's schema says it).
    pub const PATTERN: &'static str = r"^\s*([Gg][Mm][0-9]{4}|[Ww][Kk][0-9]{6}|[Bb][Uu][0-9]{8}|[Bb][TtGg]-[a-z0-9]+(-[a-z0-9]+)*)\s*$";

    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let t = input.trim();
        let upper = t.to_ascii_uppercase();
        if ["GM", "WK", "BU"].iter().any(|p| upper.starts_with(p)) {
            return CbsCode::parse(t).map(Self::Cbs);
        }
        if t.is_empty() {
            return Err(IdentifierError::Empty);
        }
        let custom = (upper.starts_with("BT-") || upper.starts_with("BG-"))
            && t.len() > 3
            && t[3..].split('-').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if custom {
            Ok(Self::Custom(format!("{}{}", &upper[..3], &t[3..])))
        } else {
            Err(IdentifierError::AreaCode)
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Cbs(c) => c.as_str(),
            Self::Custom(c) => c,
        }
    }

    pub fn kind(&self) -> crate::model::AreaKind {
        use crate::model::AreaKind;
        match self {
            Self::Cbs(CbsCode::Gemeente(_)) => AreaKind::Gemeente,
            Self::Cbs(CbsCode::Wijk(_)) => AreaKind::Wijk,
            Self::Cbs(CbsCode::Buurt(_)) => AreaKind::Buurt,
            Self::Custom(c) if c.starts_with("BG-") => AreaKind::Buitengebied,
            Self::Custom(_) => AreaKind::Bedrijventerrein,
        }
    }

    /// This area and every CBS area that contains it, with their kinds.
    pub fn with_parent_kinds(&self) -> Vec<(String, crate::model::AreaKind)> {
        let mut out = Vec::new();
        let mut cur = Some(self.clone());
        while let Some(c) = cur {
            out.push((c.to_string(), c.kind()));
            cur = match c {
                Self::Cbs(cbs) => cbs.parent().map(Self::Cbs),
                Self::Custom(_) => None,
            };
        }
        out
    }

    /// This area and every CBS area that contains it.
    pub fn with_parents(&self) -> Vec<String> {
        match self {
            Self::Custom(c) => vec![c.clone()],
            Self::Cbs(c) => {
                let mut out = vec![c.to_string()];
                let mut cur = c.parent();
                while let Some(p) = cur {
                    out.push(p.to_string());
                    cur = p.parent();
                }
                out
            }
        }
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;
