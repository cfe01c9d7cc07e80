//! An import's outcome in Dutch, as the import page and `baken import signals` say it.

use crate::wording::counted;
use baken_intake::{Duplicate, ImportMode, ImportReport, RowKey};

/// The one-sentence summary of an import.
pub fn summary(report: &ImportReport, mode: ImportMode) -> String {
    if !report.file_errors.is_empty() {
        return "De koppeling past niet bij het bestand; er is niets ingelezen.".into();
    }
    let read = counted(report.rows, "rij", "rijen");
    let bad = crate::wording::number(report.rows - report.valid);
    let repeats = report.duplicates.len() as u64;
    let repeated = if repeats == 0 {
        String::new()
    } else {
        format!(
            " {} al eerder ingelezen en {}.",
            counted(repeats, "rij was", "rijen waren"),
            if mode == ImportMode::DryRun {
                "zou worden overgeslagen"
            } else {
                "overgeslagen"
            }
        )
    };
    match mode {
        ImportMode::DryRun => format!(
            "Proefrun: {read} gelezen, {} goed, {bad} met fouten. Er is niets opgeslagen.{repeated}",
            report.valid
        ),
        ImportMode::AllOrNothing if !report.errors.is_empty() => format!(
            "{read} gelezen, {bad} met fouten. Er is niets opgeslagen (alles of niets); herstel \
             de fouten of sla alleen de goede rijen op."
        ),
        _ => format!(
            "{read} gelezen, {} opgeslagen, {} met fouten overgeslagen.{repeated}",
            counted(report.stored, "signaal", "signalen"),
            counted(report.rows - report.valid, "rij", "rijen")
        ),
    }
}

/// Why a row was skipped as a repeat.
pub fn duplicate(d: &Duplicate) -> String {
    match &d.key {
        RowKey::Natural { column, value } => {
            format!("rij {}: {column} '{value}' is al eerder ingelezen", d.row)
        }
        RowKey::Content => format!(
            "rij {}: een rij met precies deze inhoud is al eerder ingelezen",
            d.row
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_named_in_the_summary_and_per_row() {
        let report = ImportReport {
            rows: 3,
            valid: 3,
            stored: 1,
            duplicates: vec![
                Duplicate {
                    row: 2,
                    key: RowKey::Natural {
                        column: "Meldingnummer".into(),
                        value: "BVH-1".into(),
                    },
                },
                Duplicate {
                    row: 3,
                    key: RowKey::Content,
                },
            ],
            ..Default::default()
        };
        assert_eq!(
            summary(&report, ImportMode::SkipInvalid),
            "3 rijen gelezen, 1 signaal opgeslagen, 0 rijen met fouten overgeslagen. \
             2 rijen waren al eerder ingelezen en overgeslagen."
        );
        assert_eq!(
            duplicate(&report.duplicates[0]),
            "rij 2: Meldingnummer 'BVH-1' is al eerder ingelezen"
        );
    }
}
