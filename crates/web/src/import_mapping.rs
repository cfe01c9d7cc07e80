//! The import page's column picker: the kept file's header and first rows, and per field a
//! choice among the file's own columns (or a fixed value), from which the mapping is built —
//! the same `Mapping` as the TOML form, shown beside it and saved per source.

use baken_app::labels::Label;
use baken_core::model::SubjectKind;
use baken_core::subject::SubjectRole;
use baken_intake::{
    open_table, FieldColumns, Mapping, SubjectColumns, SubjectMapping, SIGNAL_FIELDS,
    SUBJECT_FIELDS,
};
use std::collections::HashMap;

use crate::ui::SelectOption;

/// Rows of the file shown as a preview.
const PREVIEW_ROWS: usize = 5;

/// The fields whose value is usually the same for a whole file (also offered as a fixed
/// value).
const FIXED: [&str; 5] = [
    "source_kind",
    "source_reliability",
    "information_credibility",
    "classification",
    "sharing",
];

/// Subject blocks offered beyond those the mapping already has, and at most in all.
const EXTRA_SUBJECTS: usize = 2;
const MAX_SUBJECTS: usize = 10;

/// What a subject field is called on the page.
fn subject_label(field: &str) -> &'static str {
    match field {
        "name" => "Naam",
        "birth_date" => "Geboortedatum",
        "kvk_number" => "KvK-nummer",
        "branch_number" => "Vestigingsnummer",
        "bag_id" => "BAG-id",
        "street" => "Straat",
        "house_number" => "Huisnummer",
        "house_letter" => "Huisletter",
        "house_number_addition" => "Toevoeging",
        "postcode" => "Postcode",
        "place" => "Plaats",
        "plate" => "Kenteken",
        _ => "Telefoon, e-mail of IBAN",
    }
}

/// What a field is called on the page.
fn label(field: &str) -> &'static str {
    match field {
        "title" => "Titel",
        "description" => "Omschrijving",
        "received_at" => "Ontvangen op",
        "observed_on" => "Waargenomen op",
        "themes" => "Thema's",
        "indicators" => "Indicatoren",
        "area_code" => "Gebiedscode",
        "latitude" => "Breedtegraad",
        "longitude" => "Lengtegraad",
        "address" => "Adres",
        "source_kind" => "Soort bron",
        "source_reliability" => "Betrouwbaarheid bron (A–F)",
        "information_credibility" => "Geloofwaardigheid informatie (1–6)",
        "classification" => "Classificatie",
        "sharing" => "Deling",
        _ => "Bewaren tot",
    }
}

/// One field's choice of column.
pub(crate) struct Pick {
    pub(crate) name: &'static str,
    pub(crate) label: &'static str,
    pub(crate) columns: Vec<SelectOption>,
    /// A fixed value for every row (only for the fields in [`FIXED`]).
    pub(crate) fixed: Option<String>,
}

/// A subject every row names: its kind and role, and per field a column.
pub(crate) struct SubjectPick {
    pub(crate) index: usize,
    pub(crate) number: usize,
    pub(crate) kinds: Vec<SelectOption>,
    pub(crate) roles: Vec<SelectOption>,
    pub(crate) fields: Vec<Pick>,
}

/// The picker as the page shows it.
pub(crate) struct Picker {
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
    pub(crate) picks: Vec<Pick>,
    pub(crate) subjects: Vec<SubjectPick>,
    pub(crate) keys: Vec<SelectOption>,
    pub(crate) source: String,
}

fn options(header: &[String], chosen: Option<&String>) -> Vec<SelectOption> {
    std::iter::once(SelectOption {
        value: String::new(),
        label: "— geen —".into(),
        selected: chosen.is_none(),
    })
    .chain(header.iter().map(|h| SelectOption {
        value: h.clone(),
        label: h.clone(),
        selected: chosen == Some(h),
    }))
    .collect()
}

/// The picker for `file` (the kept file), preselected from `mapping` where it names columns
/// of this file, otherwise from the usual header names.
pub(crate) fn picker(file: &[u8], mapping: &Mapping, source: &str) -> Option<Picker> {
    let table = open_table(Box::new(std::io::Cursor::new(file.to_vec()))).ok()?;
    let header = table.header.clone();
    let rows = table
        .rows
        .take(PREVIEW_ROWS)
        .filter_map(Result::ok)
        .collect();
    let guess = FieldColumns::guess(&header);
    let picks = SIGNAL_FIELDS
        .iter()
        .map(|field| {
            let chosen = mapping
                .columns
                .get(field)
                .filter(|c| header.contains(c))
                .or_else(|| guess.get(field));
            Pick {
                name: field,
                label: label(field),
                columns: options(&header, chosen),
                fixed: FIXED
                    .contains(field)
                    .then(|| mapping.defaults.get(field).cloned().unwrap_or_default()),
            }
        })
        .collect();
    let keys = options(&header, mapping.key.as_ref().filter(|k| header.contains(k)));
    let blocks = (mapping.subjects.len() + EXTRA_SUBJECTS).min(MAX_SUBJECTS);
    let subjects = (0..blocks)
        .map(|index| {
            let given = mapping.subjects.get(index);
            let kind = given.map(|s| s.kind.as_str()).unwrap_or_default();
            let role = given
                .and_then(|s| s.role.as_deref())
                .unwrap_or(SubjectRole::Betrokkene.slug());
            SubjectPick {
                index,
                number: index + 1,
                kinds: std::iter::once(SelectOption {
                    value: String::new(),
                    label: "— geen —".into(),
                    selected: kind.is_empty(),
                })
                .chain(SubjectKind::ALL.iter().map(|k| SelectOption {
                    value: k.slug().into(),
                    label: k.label().into(),
                    selected: k.slug() == kind,
                }))
                .collect(),
                roles: SubjectRole::ALL
                    .iter()
                    .map(|r| SelectOption {
                        value: r.slug().into(),
                        label: r.label().into(),
                        selected: r.slug() == role,
                    })
                    .collect(),
                fields: SUBJECT_FIELDS
                    .iter()
                    .map(|field| Pick {
                        name: field,
                        label: subject_label(field),
                        columns: options(
                            &header,
                            given
                                .and_then(|s| s.columns.get(field))
                                .filter(|c| header.contains(c)),
                        ),
                        fixed: None,
                    })
                    .collect(),
            }
        })
        .collect();
    Some(Picker {
        header,
        rows,
        picks,
        subjects,
        keys,
        source: source.to_string(),
    })
}

/// The mapping the picker's fields make (`kolom-…`, `vast-…`, `sleutel`, `bron`), on top of
/// `base` (its subjects and list separator stay).
pub(crate) fn from_picker(fields: &HashMap<String, String>, base: Mapping) -> Mapping {
    let mut mapping = base;
    let value = |name: String| fields.get(&name).cloned().filter(|v| !v.trim().is_empty());
    for field in SIGNAL_FIELDS {
        mapping.columns.set(field, value(format!("kolom-{field}")));
        if FIXED.contains(&field) {
            mapping.defaults.set(field, value(format!("vast-{field}")));
        }
    }
    mapping.key = value("sleutel".into());
    mapping.source = value("bron".into());
    // The subjects the blocks name (a kind and at least one column), when the form has them.
    if fields.keys().any(|k| k.starts_with("betrokkene-")) {
        mapping.subjects = (0..MAX_SUBJECTS)
            .filter_map(|i| {
                let kind = value(format!("betrokkene-{i}-soort"))?;
                let mut columns = SubjectColumns::default();
                for field in SUBJECT_FIELDS {
                    columns.set(field, value(format!("betrokkene-{i}-kolom-{field}")));
                }
                (!columns.is_empty()).then(|| SubjectMapping {
                    kind,
                    role: value(format!("betrokkene-{i}-rol")),
                    columns,
                })
            })
            .collect();
    }
    mapping
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_guesses_from_the_header_and_builds_the_mapping() {
        let file =
            b"Titel;Omschrijving;Datum;Thema;Nummer\nLoods;Lege loods;03-01-2025;drugs;BVH-1\n";
        let picker = picker(file, &Mapping::default(), "politie-bvh").unwrap();
        assert_eq!(picker.rows.len(), 1);
        let title = picker.picks.iter().find(|p| p.name == "title").unwrap();
        assert!(title
            .columns
            .iter()
            .any(|o| o.selected && o.value == "Titel"));
        let fields: HashMap<String, String> = [
            ("kolom-title", "Titel"),
            ("kolom-received_at", "Datum"),
            ("vast-source_kind", "politie"),
            ("sleutel", "Nummer"),
            ("bron", "politie-bvh"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mapping = from_picker(&fields, Mapping::default());
        assert_eq!(mapping.columns.title.as_deref(), Some("Titel"));
        assert!(
            mapping.subjects.is_empty(),
            "no subject blocks posted, none made"
        );
        assert_eq!(mapping.defaults.source_kind.as_deref(), Some("politie"));
        assert_eq!(mapping.key.as_deref(), Some("Nummer"));
        let text = mapping.to_toml();
        let back: Mapping = toml::from_str(&text).unwrap();
        assert_eq!(back, mapping, "{text}");
    }
}

#[cfg(test)]
mod subject_tests {
    use super::*;

    #[test]
    fn subjects_are_chosen_per_block_and_come_back_in_the_picker() {
        let file = b"Titel;Naam;Geboren;Kenteken\nLoods;Jan de Vries;12-04-1979;12-ABC-3\n";
        let fields: HashMap<String, String> = [
            ("kolom-title", "Titel"),
            ("betrokkene-0-soort", "persoon"),
            ("betrokkene-0-rol", "eigenaar"),
            ("betrokkene-0-kolom-name", "Naam"),
            ("betrokkene-0-kolom-birth_date", "Geboren"),
            ("betrokkene-1-soort", "voertuig"),
            ("betrokkene-1-kolom-plate", "Kenteken"),
            // A kind without a column names nothing.
            ("betrokkene-2-soort", "adres"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mapping = from_picker(&fields, Mapping::default());
        assert_eq!(mapping.subjects.len(), 2);
        assert_eq!(mapping.subjects[0].kind, "persoon");
        assert_eq!(mapping.subjects[0].role.as_deref(), Some("eigenaar"));
        assert_eq!(
            mapping.subjects[0].columns.birth_date.as_deref(),
            Some("Geboren")
        );
        assert_eq!(
            mapping.subjects[1].columns.plate.as_deref(),
            Some("Kenteken")
        );
        let back: Mapping = toml::from_str(&mapping.to_toml()).unwrap();
        assert_eq!(back, mapping);
        // Shown again: the blocks chosen, and two empty ones to add more.
        let picker = picker(file, &mapping, "").unwrap();
        assert_eq!(picker.subjects.len(), 4);
        let chosen = |block: &SubjectPick, field: &str| {
            block
                .fields
                .iter()
                .find(|f| f.name == field)
                .and_then(|f| f.columns.iter().find(|o| o.selected))
                .map(|o| o.value.clone())
        };
        assert_eq!(chosen(&picker.subjects[0], "name").as_deref(), Some("Naam"));
        assert!(picker.subjects[0]
            .roles
            .iter()
            .any(|o| o.selected && o.value == "eigenaar"));
        assert_eq!(chosen(&picker.subjects[3], "name").as_deref(), Some(""));
    }
}
