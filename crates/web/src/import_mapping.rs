//! The import page's column picker: the kept file's header and first rows, and per field a
//! choice among the file's own columns (or a fixed value), from which the mapping is built —
//! the same `Mapping` as the TOML form, shown beside it and saved per source.

use baken_intake::{open_table, FieldColumns, Mapping, SIGNAL_FIELDS};
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

/// The picker as the page shows it.
pub(crate) struct Picker {
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
    pub(crate) picks: Vec<Pick>,
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
    Some(Picker {
        header,
        rows,
        picks,
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
        assert_eq!(mapping.defaults.source_kind.as_deref(), Some("politie"));
        assert_eq!(mapping.key.as_deref(), Some("Nummer"));
        let text = mapping.to_toml();
        let back: Mapping = toml::from_str(&text).unwrap();
        assert_eq!(back, mapping, "{text}");
    }
}
