//! Barrier models (issue 15, pt 7; reference.md §4): a criminal process in phases, and per
//! phase the barriers the municipality and its partners can raise, each with its owner and
//! instrument. The models are data: Baken ships two templates — the PGB fraud model (7
//! phases, 29 barriers; the phases as the Groningen plan names them) and the barrier model
//! for vulnerable labour migrants (6 steps, reference.md §4.2) — whose barrier texts the
//! beheerder fills in from the official VNG/CCV publications (they are not public;
//! reference.md §4.1). An assessment per barrier (applied, partly, not; owner,
//! evidence, date) gives the coverage figure and the list of gaps; interventions and signals
//! can be tagged with the barrier they touch.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::access::{Caller, Role};
use crate::case::MAX_TEXT;
use crate::meeting::{optional_text, required_text};
use crate::model::slug_enum;
use crate::validation::{Missing, Problem};
use crate::ValidationErrors;

slug_enum!(
    /// How far a barrier is applied.
    BarrierStatus {
        Applied => "toegepast";
        Partly => "deels";
        NotApplied => "niet";
    }
);

slug_enum!(
    /// The models Baken ships.
    BarrierTemplate {
        PgbFraud => "pgb-fraude";
        LabourMigrants => "arbeidsmigranten";
    }
);

/// The PGB model's phases (as the Groningen plan names them) and how many barriers each
/// has (29 in all; the split per phase is not public and is the beheerder's to correct).
const PGB_PHASES: [(&str, usize); 7] = [
    ("Oprichten van een zorgbedrijf", 5),
    ("Werven van cliënten", 4),
    ("Aanvragen van een zorgbudget", 4),
    ("Toekennen van het zorgbudget", 4),
    ("Uitkeren van het zorgbudget", 4),
    ("Verlenen van de zorg", 4),
    ("Administratieve verantwoording", 4),
];

/// The steps of the labour-migrant model (reference.md §4.2).
const LABOUR_STEPS: [&str; 6] = [
    "Werving en entree",
    "Huisvesting",
    "Registratie",
    "Arbeid",
    "Verblijf in Nederland",
    "Terugkeer naar land van herkomst",
];

/// A phase of a template: its name and its barriers' texts.
pub struct TemplatePhase {
    pub name: String,
    pub barriers: Vec<String>,
}

impl BarrierTemplate {
    /// The model's name.
    pub fn name(self) -> &'static str {
        match self {
            BarrierTemplate::PgbFraud => "Barrièremodel pgb-fraude (VNG/CCV)",
            BarrierTemplate::LabourMigrants => {
                "Barrièremodel bescherming kwetsbare arbeidsmigranten (VNG/CCV)"
            }
        }
    }

    /// The phases and barriers the template starts with. The barrier texts are placeholders
    /// to fill in from the publication; the labour-migrant model has its six steps, each with
    /// one barrier to describe.
    pub fn phases(self) -> Vec<TemplatePhase> {
        match self {
            BarrierTemplate::PgbFraud => PGB_PHASES
                .iter()
                .enumerate()
                .map(|(p, (name, n))| TemplatePhase {
                    name: (*name).to_string(),
                    barriers: (1..=*n)
                        .map(|b| {
                            format!("Barrière {}.{b} (tekst uit de VNG/CCV-publicatie)", p + 1)
                        })
                        .collect(),
                })
                .collect(),
            BarrierTemplate::LabourMigrants => LABOUR_STEPS
                .iter()
                .map(|step| TemplatePhase {
                    name: (*step).to_string(),
                    barriers: vec![format!("Barrière in de stap '{step}' (beschrijven)")],
                })
                .collect(),
        }
    }
}

/// What a barrier is tagged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagTarget {
    Intervention(Uuid),
    Signal(Uuid),
}

/// The latest assessment of a barrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub status: BarrierStatus,
    pub owner: String,
    pub evidence: String,
    #[serde(with = "iso_date")]
    pub assessed_on: Date,
    pub assessed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

use crate::model::iso_date;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Barrier {
    pub id: Uuid,
    pub position: u32,
    pub text: String,
    /// Who raises it (an organisation or team).
    pub owner: String,
    /// With what (a permit condition, a check, a Bibob screening, …).
    pub instrument: String,
    pub latest: Option<Assessment>,
    /// How many interventions and signals the caller may see are tagged with it.
    pub tagged: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Phase {
    pub position: u32,
    pub name: String,
    pub barriers: Vec<Barrier>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BarrierModelSummary {
    pub id: Uuid,
    pub name: String,
    pub template: BarrierTemplate,
    pub coverage: Coverage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BarrierModel {
    pub id: Uuid,
    pub name: String,
    pub template: BarrierTemplate,
    pub phases: Vec<Phase>,
}

/// How many barriers are applied, in part, not, or not yet assessed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub applied: u32,
    pub partly: u32,
    pub not_applied: u32,
    pub unassessed: u32,
    pub total: u32,
}

impl BarrierModel {
    pub fn coverage(&self) -> Coverage {
        let mut c = Coverage::default();
        for b in self.phases.iter().flat_map(|p| &p.barriers) {
            c.total += 1;
            match b.latest.as_ref().map(|a| a.status) {
                Some(BarrierStatus::Applied) => c.applied += 1,
                Some(BarrierStatus::Partly) => c.partly += 1,
                Some(BarrierStatus::NotApplied) => c.not_applied += 1,
                None => c.unassessed += 1,
            }
        }
        c
    }

    /// The barriers not (fully) applied, with their phase: the gaps.
    pub fn gaps(&self) -> Vec<(&Phase, &Barrier)> {
        self.phases
            .iter()
            .flat_map(|p| p.barriers.iter().map(move |b| (p, b)))
            .filter(|(_, b)| {
                b.latest
                    .as_ref()
                    .is_none_or(|a| a.status != BarrierStatus::Applied)
            })
            .collect()
    }
}

/// An assessment as both edges send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawAssessment {
    /// `toegepast`, `deels` or `niet`.
    pub status: String,
    pub owner: String,
    pub evidence: String,
    /// `JJJJ-MM-DD`; today when left out.
    pub assessed_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAssessment {
    pub status: BarrierStatus,
    pub owner: String,
    pub evidence: String,
    pub assessed_on: Date,
}

impl NewAssessment {
    pub fn parse(raw: &RawAssessment, today: Date) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let status = errors.take("status", BarrierStatus::parse(&raw.status));
        let owner = optional_text(&mut errors, "owner", &raw.owner, 200);
        // What shows the barrier is applied (a policy, a procedure, a register) is required
        // for "applied" and "partly".
        let evidence = if status.is_some_and(|s| s != BarrierStatus::NotApplied) {
            required_text(
                &mut errors,
                "evidence",
                &raw.evidence,
                Missing::Evidence,
                MAX_TEXT,
            )
        } else {
            optional_text(&mut errors, "evidence", &raw.evidence, MAX_TEXT)
        };
        let assessed_on = match raw.assessed_on.trim() {
            "" => Some(today),
            text => errors.take("assessedOn", crate::signal::parse_date(text)),
        };
        if assessed_on.is_some_and(|d| d > today) {
            errors.push("assessedOn", Problem::InFuture);
        }
        match (status, assessed_on) {
            (Some(status), Some(assessed_on)) if errors.is_empty() => Ok(Self {
                status,
                owner,
                evidence,
                assessed_on,
            }),
            _ => Err(errors),
        }
    }
}

/// A barrier's text, owner and instrument as the beheerder edits them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawBarrierEdit {
    pub text: String,
    pub owner: String,
    pub instrument: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarrierEdit {
    pub text: String,
    pub owner: String,
    pub instrument: String,
}

impl BarrierEdit {
    pub fn parse(raw: &RawBarrierEdit) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let text = required_text(&mut errors, "text", &raw.text, Missing::BarrierText, 1000);
        let owner = optional_text(&mut errors, "owner", &raw.owner, 200);
        let instrument = optional_text(&mut errors, "instrument", &raw.instrument, 200);
        errors.into_result(|| Self {
            text,
            owner,
            instrument,
        })
    }
}

impl Caller {
    /// Installing a model and editing its texts: the beheerder.
    pub fn may_edit_barrier_models(&self) -> bool {
        self.has(Role::Beheerder)
    }

    /// Seeing the organisation's models: the beheerder and the roles that handle content.
    pub fn may_see_barrier_models(&self) -> bool {
        self.may_edit_barrier_models() || self.may_see_cases() || self.has(Role::BibobCoordinator)
    }

    /// Assessing a barrier and tagging with it: the undermining team.
    pub fn may_assess_barriers(&self) -> bool {
        self.has(Role::Analist)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_templates_have_the_shape_of_their_models() {
        let pgb = BarrierTemplate::PgbFraud.phases();
        assert_eq!(pgb.len(), 7);
        assert_eq!(pgb.iter().map(|p| p.barriers.len()).sum::<usize>(), 29);
        let labour = BarrierTemplate::LabourMigrants.phases();
        assert_eq!(labour.len(), 6);
        assert_eq!(labour[1].name, "Huisvesting");
    }

    #[test]
    fn coverage_counts_the_latest_assessment_and_lists_the_gaps() {
        let barrier = |n: u32, status: Option<BarrierStatus>| Barrier {
            id: Uuid::from_u128(u128::from(n)),
            position: n,
            text: format!("b{n}"),
            owner: String::new(),
            instrument: String::new(),
            latest: status.map(|status| Assessment {
                status,
                owner: String::new(),
                evidence: "x".into(),
                assessed_on: date!(2025 - 01 - 01),
                assessed_by: "a".into(),
                recorded_at: OffsetDateTime::UNIX_EPOCH,
            }),
            tagged: 0,
        };
        let model = BarrierModel {
            id: Uuid::nil(),
            name: "m".into(),
            template: BarrierTemplate::PgbFraud,
            phases: vec![Phase {
                position: 1,
                name: "f".into(),
                barriers: vec![
                    barrier(1, Some(BarrierStatus::Applied)),
                    barrier(2, Some(BarrierStatus::Partly)),
                    barrier(3, None),
                ],
            }],
        };
        let c = model.coverage();
        assert_eq!((c.applied, c.partly, c.unassessed, c.total), (1, 1, 1, 3));
        let gaps: Vec<u32> = model.gaps().iter().map(|(_, b)| b.position).collect();
        assert_eq!(gaps, vec![2, 3]);
    }

    #[test]
    fn applied_needs_its_evidence() {
        let raw = RawAssessment {
            status: "toegepast".into(),
            ..RawAssessment::default()
        };
        let errors = NewAssessment::parse(&raw, date!(2025 - 06 - 02)).unwrap_err();
        assert_eq!(
            errors.for_field("evidence"),
            Some(&Problem::Missing(Missing::Evidence))
        );
        let raw = RawAssessment {
            status: "niet".into(),
            ..RawAssessment::default()
        };
        assert!(NewAssessment::parse(&raw, date!(2025 - 06 - 02)).is_ok());
    }
}
