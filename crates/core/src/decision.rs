//! Decisions of the case table and the actions that carry them out (issue 14, pts 2–3).
//!
//! A decision states its motivation in full: the approach chosen, its proportionality
//! (geschikt, noodzakelijk, evenwichtig), whether care was considered and why (de menselijke
//! maat) and what was not chosen. It is never edited: a later decision on the same case
//! supersedes it and names it.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::case::MAX_TEXT;
use crate::meeting::{optional_text, required_text};
use crate::model::slug_enum;
use crate::validation::{Missing, Problem};
use crate::ValidationErrors;

slug_enum!(
    /// The approach a decision chooses; several may be combined, except "no intervention".
    Approach {
        Administrative => "bestuurlijk";
        Criminal => "strafrechtelijk";
        Fiscal => "fiscaal";
        Care => "zorg";
        NoIntervention => "geen-interventie";
    }
);

slug_enum!(
    /// Where an action stands.
    ActionStatus {
        Open => "open";
        Done => "afgerond";
        Cancelled => "vervallen";
    }
);

impl ActionStatus {
    /// An action is done or cancelled from open, and opened again from either; done is
    /// never cancelled (nor the other way round) without being opened again.
    pub fn may_become(self, to: ActionStatus) -> bool {
        use ActionStatus::*;
        matches!(
            (self, to),
            (Open, Done) | (Open, Cancelled) | (Done, Open) | (Cancelled, Open)
        )
    }

    /// The move from `self` to `to`, or the refusal named under `status`.
    pub fn check_move(self, to: ActionStatus) -> Result<(), ValidationErrors> {
        if self.may_become(to) {
            Ok(())
        } else {
            let mut errors = ValidationErrors::new();
            errors.push("status", Problem::ActionTransition { from: self, to });
            Err(errors)
        }
    }
}

/// Whether care (hulpverlening, zorg) was considered, and why or why not: the answer is
/// required either way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "considered")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CareConsideration {
    #[serde(rename = "ja")]
    Considered { why: String },
    #[serde(rename = "nee")]
    NotConsidered { why: String },
}

impl CareConsideration {
    pub fn was_considered(&self) -> bool {
        matches!(self, CareConsideration::Considered { .. })
    }

    pub fn why(&self) -> &str {
        match self {
            CareConsideration::Considered { why } | CareConsideration::NotConsidered { why } => why,
        }
    }
}

/// Proportionality of the chosen approach, each in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proportionality {
    /// Geschikt: the approach can reach its aim.
    pub suitable: String,
    /// Noodzakelijk: no lighter means would do.
    pub necessary: String,
    /// Evenwichtig: its burden stands in proportion to its aim.
    pub balanced: String,
}

/// A decision as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawDecision {
    #[serde(default)]
    pub approaches: Vec<String>,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub suitable: String,
    #[serde(default)]
    pub necessary: String,
    #[serde(default)]
    pub balanced: String,
    /// "ja" or "nee".
    #[serde(default)]
    pub care_considered: String,
    #[serde(default)]
    pub care_reason: String,
    #[serde(default)]
    pub not_chosen: String,
}

/// A decision, parsed: every part of the motivation is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    pub approaches: Vec<Approach>,
    pub decision: String,
    pub proportionality: Proportionality,
    pub care: CareConsideration,
    pub not_chosen: String,
}

impl NewDecision {
    pub fn parse(raw: &RawDecision) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut approaches = Vec::new();
        for (i, text) in raw.approaches.iter().enumerate() {
            if text.trim().is_empty() {
                continue;
            }
            if let Some(a) = errors.take(&format!("approaches[{i}]"), Approach::parse(text)) {
                approaches.push(a);
            }
        }
        approaches.sort();
        approaches.dedup();
        if approaches.is_empty() && errors.is_empty() {
            errors.push("approaches", Missing::Approach);
        }
        if approaches.contains(&Approach::NoIntervention) && approaches.len() > 1 {
            errors.push("approaches", Problem::NoInterventionWithOthers);
        }
        let decision = required_text(
            &mut errors,
            "decision",
            &raw.decision,
            Missing::DecisionText,
            MAX_TEXT,
        );
        let suitable = required_text(
            &mut errors,
            "suitable",
            &raw.suitable,
            Missing::Suitable,
            MAX_TEXT,
        );
        let necessary = required_text(
            &mut errors,
            "necessary",
            &raw.necessary,
            Missing::Necessary,
            MAX_TEXT,
        );
        let balanced = required_text(
            &mut errors,
            "balanced",
            &raw.balanced,
            Missing::Balanced,
            MAX_TEXT,
        );
        // Whether care was considered, then why: in the order of the form.
        let considered = match raw.care_considered.trim() {
            "ja" => Some(true),
            "nee" => Some(false),
            "" => {
                errors.push("careConsidered", Missing::CareConsidered);
                None
            }
            other => {
                errors.push(
                    "careConsidered",
                    Problem::UnknownChoice {
                        choice: crate::validation::Choice::Answer,
                        given: other.to_string(),
                        allowed: vec!["ja", "nee"],
                    },
                );
                None
            }
        };
        let why = required_text(
            &mut errors,
            "careReason",
            &raw.care_reason,
            Missing::CareReason,
            MAX_TEXT,
        );
        let care = considered.map(|yes| {
            if yes {
                CareConsideration::Considered { why }
            } else {
                CareConsideration::NotConsidered { why }
            }
        });
        if approaches.contains(&Approach::Care)
            && matches!(care, Some(CareConsideration::NotConsidered { .. }))
        {
            errors.push("careConsidered", Problem::CareChosenNotConsidered);
        }
        let not_chosen = required_text(
            &mut errors,
            "notChosen",
            &raw.not_chosen,
            Missing::NotChosen,
            MAX_TEXT,
        );
        match care {
            Some(care) if errors.is_empty() => Ok(Self {
                approaches,
                decision,
                proportionality: Proportionality {
                    suitable,
                    necessary,
                    balanced,
                },
                care,
                not_chosen,
            }),
            _ => Err(errors),
        }
    }
}

/// A decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub id: Uuid,
    pub case_id: Uuid,
    pub meeting_id: Uuid,
    #[serde(with = "crate::model::iso_date")]
    pub decided_on: Date,
    pub approaches: Vec<Approach>,
    pub decision: String,
    pub proportionality: Proportionality,
    pub care: CareConsideration,
    pub not_chosen: String,
    /// The earlier decision on the case this one replaces.
    pub supersedes: Option<Uuid>,
    /// The later decision that replaced this one.
    pub superseded_by: Option<Uuid>,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

/// Who carries out an action: an organisation or one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionOwner {
    Organisation(Uuid),
    User(Uuid),
}

/// An action as a form or the API sends it. The owner is an organisation or a person (by
/// account id); exactly one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawAction {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub owner_organisation: String,
    #[serde(default)]
    pub owner_user: String,
    #[serde(default)]
    pub due_on: String,
    /// The intervention that carries it out, while the register of interventions (issue 15)
    /// does not exist: a reference in words (e.g. "Bibob-onderzoek vergunning Horeca 12").
    #[serde(default)]
    pub intervention: String,
}

/// The longest reference to an intervention.
pub const MAX_REFERENCE: usize = 200;

/// An action, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub description: String,
    pub owner: ActionOwner,
    pub due_on: Date,
    pub intervention: Option<String>,
}

impl NewAction {
    pub fn parse(raw: &RawAction) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let description = required_text(
            &mut errors,
            "description",
            &raw.description,
            Missing::ActionDescription,
            MAX_TEXT,
        );
        let id = |errors: &mut ValidationErrors, field: &str, text: &str| {
            errors.take(
                field,
                Uuid::parse_str(text).map_err(|_| Problem::NotA {
                    format: crate::validation::Format::Id,
                    given: text.to_string(),
                }),
            )
        };
        let owner = match (raw.owner_organisation.trim(), raw.owner_user.trim()) {
            ("", "") => {
                errors.push("owner", Missing::ActionOwner);
                None
            }
            (org, "") => id(&mut errors, "ownerOrganisation", org).map(ActionOwner::Organisation),
            ("", user) => id(&mut errors, "ownerUser", user).map(ActionOwner::User),
            _ => {
                errors.push("owner", Problem::OwnerTwice);
                None
            }
        };
        let due_on = match raw.due_on.trim() {
            "" => {
                errors.push("dueOn", Missing::DueDate);
                None
            }
            text => errors.take("dueOn", crate::signal::parse_date(text)),
        };
        let intervention = optional_text(
            &mut errors,
            "intervention",
            &raw.intervention,
            MAX_REFERENCE,
        );
        match (owner, due_on) {
            (Some(owner), Some(due_on)) if errors.is_empty() => Ok(Self {
                description,
                owner,
                due_on,
                intervention: (!intervention.is_empty()).then_some(intervention),
            }),
            _ => Err(errors),
        }
    }
}

/// An action as shown, with the names of its owner and its case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Action {
    pub id: Uuid,
    pub decision_id: Uuid,
    pub case_id: Uuid,
    pub case_title: String,
    pub description: String,
    pub owner_organisation: Option<Uuid>,
    pub owner_user: Option<Uuid>,
    /// The person (with organisation) or the organisation that carries it out.
    pub owner_name: String,
    #[serde(with = "crate::model::iso_date")]
    pub due_on: Date,
    pub status: ActionStatus,
    pub intervention: Option<String>,
    /// The reader may mark it done, cancelled or open again.
    pub may_change: bool,
}

impl crate::Caller {
    /// Moving an action: who carries it out (the person, or staff with case content of the
    /// organisation), or who runs the meeting that decided it.
    pub fn may_change_action(
        &self,
        (owner_org, owner_user): (Option<Uuid>, Option<Uuid>),
        (meeting_org, chair): (Uuid, Uuid),
    ) -> bool {
        owner_user == Some(self.user())
            || (owner_org == Some(self.org()) && self.case_sight().through_organisation)
            || self.may_run_meeting(meeting_org, chair)
    }
}

impl Action {
    /// Still open after its deadline: on the Dutch calendar day `today`, the deadline lies
    /// before it.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status == ActionStatus::Open && self.due_on < today
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn full() -> RawDecision {
        RawDecision {
            approaches: vec!["bestuurlijk".into(), "zorg".into()],
            decision: "Waarschuwing 13b en aanbod schuldhulp".into(),
            suitable: "De waarschuwing stopt de handel op dit adres".into(),
            necessary: "Een gesprek alleen heeft niet geholpen".into(),
            balanced: "Geen sluiting: er wonen kinderen".into(),
            care_considered: "ja".into(),
            care_reason: "Schulden zijn de aanleiding".into(),
            not_chosen: "Sluiting van de woning".into(),
        }
    }

    #[test]
    fn a_decision_is_refused_without_each_part_of_its_motivation() {
        assert!(NewDecision::parse(&full()).is_ok());
        for (field, cleared, missing) in [
            (
                "decision",
                RawDecision {
                    decision: " ".into(),
                    ..full()
                },
                Missing::DecisionText,
            ),
            (
                "suitable",
                RawDecision {
                    suitable: "".into(),
                    ..full()
                },
                Missing::Suitable,
            ),
            (
                "necessary",
                RawDecision {
                    necessary: "".into(),
                    ..full()
                },
                Missing::Necessary,
            ),
            (
                "balanced",
                RawDecision {
                    balanced: "".into(),
                    ..full()
                },
                Missing::Balanced,
            ),
            (
                "careConsidered",
                RawDecision {
                    care_considered: "".into(),
                    ..full()
                },
                Missing::CareConsidered,
            ),
            (
                "careReason",
                RawDecision {
                    care_reason: "".into(),
                    ..full()
                },
                Missing::CareReason,
            ),
            (
                "notChosen",
                RawDecision {
                    not_chosen: "".into(),
                    ..full()
                },
                Missing::NotChosen,
            ),
            (
                "approaches",
                RawDecision {
                    approaches: vec![],
                    ..full()
                },
                Missing::Approach,
            ),
        ] {
            let errors = NewDecision::parse(&cleared).unwrap_err();
            assert_eq!(
                errors.for_field(field),
                Some(&Problem::Missing(missing)),
                "{field}"
            );
            assert_eq!(errors.len(), 1, "{field}: only what is missing is named");
        }
        // Care chosen but "not considered" contradicts itself; no intervention stands alone.
        let errors = NewDecision::parse(&RawDecision {
            care_considered: "nee".into(),
            ..full()
        })
        .unwrap_err();
        assert_eq!(
            errors.for_field("careConsidered"),
            Some(&Problem::CareChosenNotConsidered)
        );
        let errors = NewDecision::parse(&RawDecision {
            approaches: vec!["geen-interventie".into(), "fiscaal".into()],
            ..full()
        })
        .unwrap_err();
        assert_eq!(
            errors.for_field("approaches"),
            Some(&Problem::NoInterventionWithOthers)
        );
        let d = NewDecision::parse(&full()).unwrap();
        assert_eq!(d.approaches, [Approach::Administrative, Approach::Care]);
        assert!(d.care.was_considered());
    }

    #[test]
    fn an_action_has_one_owner_and_a_deadline_and_goes_overdue_the_day_after() {
        let errors = NewAction::parse(&RawAction::default()).unwrap_err();
        assert_eq!(
            errors.for_field("owner"),
            Some(&Problem::Missing(Missing::ActionOwner))
        );
        assert_eq!(
            errors.for_field("dueOn"),
            Some(&Problem::Missing(Missing::DueDate))
        );
        let both = RawAction {
            description: "Bibob-toets".into(),
            owner_organisation: Uuid::from_u128(1).to_string(),
            owner_user: Uuid::from_u128(2).to_string(),
            due_on: "2026-12-01".into(),
            ..RawAction::default()
        };
        assert_eq!(
            NewAction::parse(&both).unwrap_err().for_field("owner"),
            Some(&Problem::OwnerTwice)
        );
        let parsed = NewAction::parse(&RawAction {
            owner_user: String::new(),
            ..both
        })
        .unwrap();
        let action = Action {
            id: Uuid::from_u128(3),
            decision_id: Uuid::from_u128(4),
            case_id: Uuid::from_u128(5),
            case_title: "x".into(),
            description: parsed.description,
            owner_organisation: Some(Uuid::from_u128(1)),
            owner_user: None,
            owner_name: "Gemeente A".into(),
            due_on: parsed.due_on,
            status: ActionStatus::Open,
            intervention: None,
            may_change: true,
        };
        assert!(!action.is_overdue(date!(2026 - 12 - 01)));
        assert!(action.is_overdue(date!(2026 - 12 - 02)));
        let done = Action {
            status: ActionStatus::Done,
            ..action
        };
        assert!(!done.is_overdue(date!(2027 - 01 - 01)));
    }
}
