//! Commitments (issue 16, pt 1): per theme, what the plan promised and what it plans
//! ("Wat hadden we beloofd / Wat gaan we doen"), as records with an owner, a due day and a
//! status with history, linked to the records that show progress — cases, interventions,
//! activities, barrier models, field visits.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::access::{Caller, Role};
use crate::case::MAX_TEXT;
use crate::meeting::{optional_text, required_text};
use crate::model::{iso_date, slug_enum};
use crate::validation::{Format, Missing, Problem};
use crate::ValidationErrors;

slug_enum!(
    /// A promise made in the plan, or a plan for what comes next.
    CommitmentKind {
        Promise => "belofte";
        Plan => "voornemen";
    }
);

slug_enum!(
    /// Where a commitment stands.
    CommitmentStatus {
        Open => "open";
        InProgress => "in-uitvoering";
        Done => "gerealiseerd";
        Dropped => "vervallen";
    }
);

impl CommitmentStatus {
    /// Any status may become any other but itself (a commitment done can be opened again
    /// when it turns out not to be); the reason is always recorded.
    pub fn may_become(self, to: CommitmentStatus) -> bool {
        self != to
    }
}

slug_enum!(
    /// What a commitment can be linked to.
    CommitmentLinkKind {
        Case => "casus";
        Intervention => "interventie";
        Activity => "activiteit";
        BarrierModel => "barrieremodel";
        Visit => "veldbezoek";
    }
);

/// A commitment as both edges send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawCommitment {
    /// A theme code of the catalogue.
    pub theme: String,
    /// `belofte` or `voornemen`.
    pub kind: String,
    pub text: String,
    /// Who carries it (a team, a department, a partner).
    pub owner: String,
    /// `JJJJ-MM-DD`, when it has a date.
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommitment {
    pub theme: String,
    pub kind: CommitmentKind,
    pub text: String,
    pub owner: String,
    pub due_on: Option<Date>,
}

impl NewCommitment {
    pub fn parse(raw: &RawCommitment) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let theme = required_text(&mut errors, "theme", &raw.theme, Missing::Theme, 100);
        let kind = errors.take("kind", CommitmentKind::parse(&raw.kind));
        let text = required_text(
            &mut errors,
            "text",
            &raw.text,
            Missing::CommitmentText,
            MAX_TEXT,
        );
        let owner = optional_text(&mut errors, "owner", &raw.owner, 200);
        let due_on = match raw.due_on.trim() {
            "" => None,
            t => errors.take("dueOn", crate::signal::parse_date(t)),
        };
        match kind {
            Some(kind) if errors.is_empty() => Ok(Self {
                theme,
                kind,
                text,
                owner,
                due_on,
            }),
            _ => Err(errors),
        }
    }
}

/// A status change as both edges send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawCommitmentStatus {
    pub status: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentStatusChange {
    pub to: CommitmentStatus,
    pub reason: String,
}

impl CommitmentStatusChange {
    pub fn parse(raw: &RawCommitmentStatus) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let to = errors.take("status", CommitmentStatus::parse(&raw.status));
        let reason = required_text(
            &mut errors,
            "reason",
            &raw.reason,
            Missing::StatusReason,
            MAX_TEXT,
        );
        match to {
            Some(to) if errors.is_empty() => Ok(Self { to, reason }),
            _ => Err(errors),
        }
    }
}

/// A link as both edges send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawCommitmentLink {
    /// `casus`, `interventie`, `activiteit`, `barrieremodel` or `veldbezoek`.
    pub kind: String,
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewCommitmentLink {
    pub kind: CommitmentLinkKind,
    pub id: Uuid,
}

impl NewCommitmentLink {
    pub fn parse(raw: &RawCommitmentLink) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let kind = errors.take("kind", CommitmentLinkKind::parse(&raw.kind));
        let id = match raw.id.trim() {
            "" => {
                errors.push("id", Missing::LinkTarget);
                None
            }
            t => errors.take(
                "id",
                Uuid::parse_str(t).map_err(|_| Problem::NotA {
                    format: Format::Id,
                    given: t.to_string(),
                }),
            ),
        };
        match (kind, id) {
            (Some(kind), Some(id)) if errors.is_empty() => Ok(Self { kind, id }),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentHistoryEntry {
    pub from: Option<CommitmentStatus>,
    pub to: CommitmentStatus,
    pub reason: String,
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A linked record as the reader may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentLink {
    pub kind: CommitmentLinkKind,
    pub id: Uuid,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commitment {
    pub id: Uuid,
    pub theme: String,
    pub kind: CommitmentKind,
    pub text: String,
    pub owner: String,
    #[serde(with = "iso_date::option")]
    pub due_on: Option<Date>,
    pub status: CommitmentStatus,
    pub history: Vec<CommitmentHistoryEntry>,
    /// The records that show progress, as far as the reader may see them.
    pub links: Vec<CommitmentLink>,
}

impl Commitment {
    /// Open or in progress past its due day (a Dutch calendar day).
    pub fn is_overdue(&self, today: Date) -> bool {
        matches!(
            self.status,
            CommitmentStatus::Open | CommitmentStatus::InProgress
        ) && self.due_on.is_some_and(|d| d < today)
    }
}

impl Caller {
    /// Recording and updating the plan's commitments: the undermining team.
    pub fn may_manage_commitments(&self) -> bool {
        self.has(Role::Analist)
    }

    /// Reading them: everyone in the organisation who works with content (a lezer reads what the
    /// council report will say).
    pub fn may_see_commitments(&self) -> bool {
        self.roles().iter().any(Role::works_with_content)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_commitment_names_every_problem() {
        let errors = NewCommitment::parse(&RawCommitment {
            kind: "belofte2".into(),
            due_on: "morgen".into(),
            ..RawCommitment::default()
        })
        .unwrap_err();
        for field in ["theme", "kind", "text", "dueOn"] {
            assert!(errors.for_field(field).is_some(), "{field}");
        }
        let ok = NewCommitment::parse(&RawCommitment {
            theme: "buitengebied".into(),
            kind: "voornemen".into(),
            text: "Leegstaande objecten in het buitengebied in kaart brengen".into(),
            due_on: "2026-12-31".into(),
            ..RawCommitment::default()
        })
        .unwrap();
        assert_eq!(ok.due_on, Some(date!(2026 - 12 - 31)));
    }

    #[test]
    fn a_status_change_needs_its_reason() {
        let errors = CommitmentStatusChange::parse(&RawCommitmentStatus {
            status: "gerealiseerd".into(),
            reason: " ".into(),
        })
        .unwrap_err();
        assert!(errors.for_field("reason").is_some());
        assert!(!CommitmentStatus::Done.may_become(CommitmentStatus::Done));
        assert!(CommitmentStatus::Done.may_become(CommitmentStatus::Open));
    }
}
