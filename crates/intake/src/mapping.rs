//! The column mapping: which column of the file feeds which field of a signal, fixed values
//! for fields the file lacks, and the subjects each row names.

use baken_core::signal::SignalInput;
use baken_core::subject::SubjectInput;
use serde::{Deserialize, Serialize};

/// Column names per signal field (or, under `[defaults]`, fixed values).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FieldColumns {
    pub title: Option<String>,
    pub description: Option<String>,
    pub received_at: Option<String>,
    pub observed_on: Option<String>,
    pub source_kind: Option<String>,
    pub source_reliability: Option<String>,
    pub information_credibility: Option<String>,
    pub themes: Option<String>,
    pub indicators: Option<String>,
    pub area_code: Option<String>,
    pub latitude: Option<String>,
    pub longitude: Option<String>,
    pub address: Option<String>,
    pub classification: Option<String>,
    pub sharing: Option<String>,
    pub retention_until: Option<String>,
}

/// Column names per subject field.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SubjectColumns {
    pub name: Option<String>,
    pub birth_date: Option<String>,
    pub kvk_number: Option<String>,
    pub branch_number: Option<String>,
    pub bag_id: Option<String>,
    pub postcode: Option<String>,
    pub house_number: Option<String>,
    pub house_letter: Option<String>,
    pub house_number_addition: Option<String>,
    pub street: Option<String>,
    pub place: Option<String>,
    pub plate: Option<String>,
    pub value: Option<String>,
}

/// A subject every row may name: its kind and role are fixed, its fields come from columns.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SubjectMapping {
    pub kind: String,
    #[serde(default)]
    pub role: Option<String>,
    pub columns: SubjectColumns,
}

/// A mapping file (TOML): `[columns]`, `[defaults]`, `[[subjects]]`, the separator of
/// list cells (themes, indicators; default `;` and `,`), and what makes a row the same row on
/// a later import: `key`, a column with the source's own number for the row, within
/// `source` (a name for where the files come from, e.g. "politie-bvh"); without a key, the
/// row's whole content.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(default)]
    pub columns: FieldColumns,
    #[serde(default)]
    pub defaults: FieldColumns,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<SubjectMapping>,
    #[serde(default)]
    pub list_separator: Option<String>,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// The signal fields a mapping names, as its TOML names them, in the order forms list them.
pub const SIGNAL_FIELDS: [&str; 16] = [
    "title",
    "description",
    "received_at",
    "observed_on",
    "themes",
    "indicators",
    "area_code",
    "latitude",
    "longitude",
    "address",
    "source_kind",
    "source_reliability",
    "information_credibility",
    "classification",
    "sharing",
    "retention_until",
];

/// Header names a file commonly gives a field (Dutch and English, compared without case), for
/// a first guess of the mapping.
fn usual_headers(field: &str) -> &'static [&'static str] {
    match field {
        "title" => &["titel", "title", "onderwerp", "kop"],
        "description" => &["omschrijving", "beschrijving", "description", "toelichting"],
        "received_at" => &[
            "datum",
            "ontvangen",
            "received",
            "received_at",
            "meldingsdatum",
        ],
        "observed_on" => &["waargenomen", "observed", "datum waarneming"],
        "themes" => &["thema", "themas", "thema's", "themes"],
        "indicators" => &["indicator", "indicatoren", "indicators"],
        "area_code" => &["wijk", "buurt", "gebied", "gebiedscode", "area"],
        "latitude" => &["lat", "breedtegraad", "latitude"],
        "longitude" => &["lon", "lng", "lengtegraad", "longitude"],
        "address" => &["adres", "address", "locatie"],
        "source_kind" => &["bron", "bronsoort", "source"],
        "source_reliability" => &["betrouwbaarheid", "reliability"],
        "information_credibility" => &["geloofwaardigheid", "credibility"],
        "classification" => &["classificatie", "classification"],
        "sharing" => &["deling", "delen", "sharing"],
        _ => &["bewaren tot", "retention"],
    }
}

impl FieldColumns {
    /// The column or value of `field` (a name of [`SIGNAL_FIELDS`]).
    pub fn get(&self, field: &str) -> Option<&String> {
        match field {
            "title" => self.title.as_ref(),
            "description" => self.description.as_ref(),
            "received_at" => self.received_at.as_ref(),
            "observed_on" => self.observed_on.as_ref(),
            "themes" => self.themes.as_ref(),
            "indicators" => self.indicators.as_ref(),
            "area_code" => self.area_code.as_ref(),
            "latitude" => self.latitude.as_ref(),
            "longitude" => self.longitude.as_ref(),
            "address" => self.address.as_ref(),
            "source_kind" => self.source_kind.as_ref(),
            "source_reliability" => self.source_reliability.as_ref(),
            "information_credibility" => self.information_credibility.as_ref(),
            "classification" => self.classification.as_ref(),
            "sharing" => self.sharing.as_ref(),
            "retention_until" => self.retention_until.as_ref(),
            _ => None,
        }
    }

    /// Sets the column or value of `field`; false for a name that is no field.
    pub fn set(&mut self, field: &str, value: Option<String>) -> bool {
        match self.slot(field) {
            Some(slot) => {
                *slot = value.filter(|v| !v.trim().is_empty());
                true
            }
            None => false,
        }
    }

    fn slot(&mut self, field: &str) -> Option<&mut Option<String>> {
        Some(match field {
            "title" => &mut self.title,
            "description" => &mut self.description,
            "received_at" => &mut self.received_at,
            "observed_on" => &mut self.observed_on,
            "themes" => &mut self.themes,
            "indicators" => &mut self.indicators,
            "area_code" => &mut self.area_code,
            "latitude" => &mut self.latitude,
            "longitude" => &mut self.longitude,
            "address" => &mut self.address,
            "source_kind" => &mut self.source_kind,
            "source_reliability" => &mut self.source_reliability,
            "information_credibility" => &mut self.information_credibility,
            "classification" => &mut self.classification,
            "sharing" => &mut self.sharing,
            "retention_until" => &mut self.retention_until,
            _ => return None,
        })
    }

    /// A first guess from a file's header: per field the first column with a usual name.
    pub fn guess(header: &[String]) -> Self {
        let mut columns = FieldColumns::default();
        for field in SIGNAL_FIELDS {
            let found = header.iter().find(|h| {
                let h = h.trim().to_lowercase();
                usual_headers(field).iter().any(|u| *u == h)
            });
            columns.set(field, found.cloned());
        }
        columns
    }
}

/// The subject fields a mapping names, as its TOML names them.
pub const SUBJECT_FIELDS: [&str; 13] = [
    "name",
    "birth_date",
    "kvk_number",
    "branch_number",
    "bag_id",
    "street",
    "house_number",
    "house_letter",
    "house_number_addition",
    "postcode",
    "place",
    "plate",
    "value",
];

impl SubjectColumns {
    fn slot(&mut self, field: &str) -> Option<&mut Option<String>> {
        Some(match field {
            "name" => &mut self.name,
            "birth_date" => &mut self.birth_date,
            "kvk_number" => &mut self.kvk_number,
            "branch_number" => &mut self.branch_number,
            "bag_id" => &mut self.bag_id,
            "street" => &mut self.street,
            "house_number" => &mut self.house_number,
            "house_letter" => &mut self.house_letter,
            "house_number_addition" => &mut self.house_number_addition,
            "postcode" => &mut self.postcode,
            "place" => &mut self.place,
            "plate" => &mut self.plate,
            "value" => &mut self.value,
            _ => return None,
        })
    }

    /// The column of `field` (a name of [`SUBJECT_FIELDS`]).
    pub fn get(&self, field: &str) -> Option<&String> {
        match field {
            "name" => self.name.as_ref(),
            "birth_date" => self.birth_date.as_ref(),
            "kvk_number" => self.kvk_number.as_ref(),
            "branch_number" => self.branch_number.as_ref(),
            "bag_id" => self.bag_id.as_ref(),
            "street" => self.street.as_ref(),
            "house_number" => self.house_number.as_ref(),
            "house_letter" => self.house_letter.as_ref(),
            "house_number_addition" => self.house_number_addition.as_ref(),
            "postcode" => self.postcode.as_ref(),
            "place" => self.place.as_ref(),
            "plate" => self.plate.as_ref(),
            "value" => self.value.as_ref(),
            _ => None,
        }
    }

    /// Sets the column of `field`; false for a name that is no field.
    pub fn set(&mut self, field: &str, value: Option<String>) -> bool {
        match self.slot(field) {
            Some(slot) => {
                *slot = value.filter(|v| !v.trim().is_empty());
                true
            }
            None => false,
        }
    }

    /// Whether no field has a column.
    pub fn is_empty(&self) -> bool {
        subject_fields(self).iter().all(|(_, c)| c.is_none())
    }
}

impl Mapping {
    /// The mapping as its TOML file says it.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}

/// Field names in the order the domain parser reports them (camelCase) with their mapping.
fn signal_fields(c: &FieldColumns) -> [(&'static str, &Option<String>); 16] {
    [
        ("title", &c.title),
        ("description", &c.description),
        ("receivedAt", &c.received_at),
        ("observedOn", &c.observed_on),
        ("sourceKind", &c.source_kind),
        ("sourceReliability", &c.source_reliability),
        ("informationCredibility", &c.information_credibility),
        ("themes", &c.themes),
        ("indicators", &c.indicators),
        ("areaCode", &c.area_code),
        ("latitude", &c.latitude),
        ("longitude", &c.longitude),
        ("address", &c.address),
        ("classification", &c.classification),
        ("sharing", &c.sharing),
        ("retentionUntil", &c.retention_until),
    ]
}

fn subject_fields(c: &SubjectColumns) -> [(&'static str, &Option<String>); 13] {
    [
        ("name", &c.name),
        ("birthDate", &c.birth_date),
        ("kvkNumber", &c.kvk_number),
        ("branchNumber", &c.branch_number),
        ("bagId", &c.bag_id),
        ("postcode", &c.postcode),
        ("houseNumber", &c.house_number),
        ("houseLetter", &c.house_letter),
        ("houseNumberAddition", &c.house_number_addition),
        ("street", &c.street),
        ("place", &c.place),
        ("plate", &c.plate),
        ("value", &c.value),
    ]
}

/// A field fed by a column: (field, column index, column name).
type BoundColumn = (&'static str, usize, String);

/// A subject of every row: kind, role and its bound columns.
type BoundSubject = (String, Option<String>, Vec<BoundColumn>);

/// A mapping checked against a file's header: every named column exists.
#[derive(Debug, Clone)]
pub struct BoundMapping {
    fields: Vec<BoundColumn>,
    defaults: Vec<(&'static str, String)>,
    subjects: Vec<BoundSubject>,
    separators: Vec<char>,
    /// The natural key's column (index and name), if the mapping names one.
    key: Option<(usize, String)>,
    source: String,
}

impl Mapping {
    /// Checks every column name against the header; the errors name the missing columns.
    pub fn bind(&self, header: &[String]) -> Result<BoundMapping, Vec<String>> {
        let mut errors = Vec::new();
        let position = |column: &str| header.iter().position(|h| h.trim() == column.trim());
        let mut fields = Vec::new();
        for (field, column) in signal_fields(&self.columns) {
            if let Some(column) = column {
                match position(column) {
                    Some(i) => fields.push((field, i, column.clone())),
                    None => errors.push(format!(
                        "kolom '{column}' (voor {field}) staat niet in het bestand"
                    )),
                }
            }
        }
        let defaults = signal_fields(&self.defaults)
            .into_iter()
            .filter_map(|(field, value)| value.clone().map(|v| (field, v)))
            .collect();
        let mut subjects = Vec::new();
        for (n, s) in self.subjects.iter().enumerate() {
            let mut columns = Vec::new();
            for (field, column) in subject_fields(&s.columns) {
                if let Some(column) = column {
                    match position(column) {
                        Some(i) => columns.push((field, i, column.clone())),
                        None => errors.push(format!(
                            "kolom '{column}' (voor betrokkene {} {field}) staat niet in het bestand",
                            n + 1
                        )),
                    }
                }
            }
            if subject_fields(&s.columns).iter().all(|(_, c)| c.is_none()) {
                errors.push(format!("betrokkene {} noemt geen kolommen", n + 1));
            }
            subjects.push((s.kind.clone(), s.role.clone(), columns));
        }
        if fields.is_empty() {
            errors.push("de koppeling noemt geen enkele kolom onder [columns]".into());
        }
        let key = match &self.key {
            Some(column) => match position(column) {
                Some(i) => Some((i, column.clone())),
                None => {
                    errors.push(format!(
                        "kolom '{column}' (de sleutel) staat niet in het bestand"
                    ));
                    None
                }
            },
            None => None,
        };
        let separators = match &self.list_separator {
            Some(s) => s.chars().collect(),
            None => vec![';', ','],
        };
        if errors.is_empty() {
            Ok(BoundMapping {
                fields,
                defaults,
                subjects,
                separators,
                key,
                source: self.source.clone().unwrap_or_default(),
            })
        } else {
            Err(errors)
        }
    }
}

impl BoundMapping {
    /// The raw input for one row.
    pub fn input(&self, row: &[String]) -> SignalInput {
        let cell = |i: usize| {
            row.get(i)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let mut input = SignalInput::default();
        let mut set = |field: &str, value: String| {
            let list = |v: &str| -> Vec<String> {
                v.split(|c| self.separators.contains(&c))
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            };
            match field {
                "title" => input.title = Some(value),
                "description" => input.description = Some(value),
                "receivedAt" => input.received_at = Some(crate::table::serial_day(value)),
                "observedOn" => input.observed_on = Some(crate::table::serial_day(value)),
                "sourceKind" => input.source_kind = Some(value),
                "sourceReliability" => input.source_reliability = Some(value),
                "informationCredibility" => input.information_credibility = Some(value),
                "themes" => input.themes = list(&value),
                "indicators" => input.indicators = list(&value),
                "areaCode" => input.area_code = Some(value),
                "latitude" => input.latitude = Some(value),
                "longitude" => input.longitude = Some(value),
                "address" => input.address = Some(value),
                "classification" => input.classification = Some(value),
                "sharing" => input.sharing = Some(value),
                _ => input.retention_until = Some(crate::table::serial_day(value)),
            }
        };
        for (field, value) in &self.defaults {
            set(field, value.clone());
        }
        for (field, i, _) in &self.fields {
            if let Some(v) = cell(*i) {
                set(field, v);
            }
        }
        for (kind, role, columns) in &self.subjects {
            let mut s = SubjectInput {
                kind: Some(kind.clone()),
                role: role.clone(),
                ..Default::default()
            };
            for (field, i, _) in columns {
                let v = cell(*i);
                match *field {
                    "name" => s.name = v,
                    "birthDate" => s.birth_date = v.map(crate::table::serial_day),
                    "kvkNumber" => s.kvk_number = v,
                    "branchNumber" => s.branch_number = v,
                    "bagId" => s.bag_id = v,
                    "postcode" => s.postcode = v,
                    "houseNumber" => s.house_number = v,
                    "houseLetter" => s.house_letter = v,
                    "houseNumberAddition" => s.house_number_addition = v,
                    "street" => s.street = v,
                    "place" => s.place = v,
                    "plate" => s.plate = v,
                    _ => s.value = v,
                }
            }
            input.subjects.push(s);
        }
        input
    }

    /// The key of a row (see [`crate::rowkey`]): its natural key's value, or its content.
    /// `None` when the natural key's cell is empty (the row cannot be told apart).
    pub fn row_key(&self, row: &[String], input: &SignalInput) -> Option<crate::KeyedRow> {
        match &self.key {
            Some((i, column)) => row
                .get(*i)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(|v| crate::rowkey::natural(&self.source, column, v)),
            None => Some(crate::rowkey::content(input)),
        }
    }

    /// The natural key's column, if the mapping names one.
    pub fn key_column(&self) -> Option<&str> {
        self.key.as_ref().map(|(_, c)| c.as_str())
    }

    /// The column a parser error belongs to, for the report.
    pub fn column_of(&self, field: &str) -> String {
        if let Some(rest) = field.strip_prefix("subjects[") {
            if let Some((n, sub)) = rest.split_once("].") {
                if let Some((_, _, columns)) =
                    n.parse::<usize>().ok().and_then(|n| self.subjects.get(n))
                {
                    if let Some((_, _, name)) = columns.iter().find(|(f, _, _)| *f == sub) {
                        return name.clone();
                    }
                    if let Some((_, _, name)) = columns.first() {
                        return name.clone();
                    }
                }
            }
        }
        self.fields
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, _, name)| name.clone())
            .unwrap_or_else(|| format!("({field})"))
    }
}
