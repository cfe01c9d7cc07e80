//! One procedure per kind of intervention, behind one type: the register stores steps by
//! their machine names, and [`Flow`] replays them through the kind's procedure to know the
//! state, the steps allowed next and the terms.

use serde::Serialize;
use time::Date;

use super::details::{BibobOutcome, Details};
use super::InterventionKind;
use crate::model::Slug;
use crate::procedure::bibob::{Bibob, BibobFact, BibobStep};
use crate::procedure::closure::{Closure, ClosureFact};
use crate::procedure::followup::{Control, ControlFact, Referral, ReferralFact};
use crate::procedure::sanction::{Enforcement, PenaltyOrder, SanctionFact};
use crate::procedure::{Due, Length, Procedure, Record, StepRefused, Urgency};
use crate::validation::Problem;
use crate::ValidationErrors;

/// A step as stored: its machine name, day and the length it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStep {
    pub step: String,
    pub on: Date,
    pub length: Option<Length>,
}

/// A term as it stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermStatus {
    /// The term's machine name (per kind).
    pub term: &'static str,
    /// The day it is due, if it runs.
    #[serde(with = "super::iso_date::option")]
    pub due_on: Option<Date>,
    /// Since when it stands still, if it is suspended.
    #[serde(with = "super::iso_date::option")]
    pub suspended_since: Option<Date>,
    /// The day it was met.
    #[serde(with = "super::iso_date::option")]
    pub met_on: Option<Date>,
    pub urgency: UrgencyName,
}

/// [`Urgency`] by its machine name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UrgencyName {
    Met,
    Suspended,
    Overdue,
    DueSoon,
    Later,
}

impl From<Urgency> for UrgencyName {
    fn from(u: Urgency) -> Self {
        match u {
            Urgency::Met => UrgencyName::Met,
            Urgency::Suspended => UrgencyName::Suspended,
            Urgency::Overdue => UrgencyName::Overdue,
            Urgency::DueSoon => UrgencyName::DueSoon,
            Urgency::Later => UrgencyName::Later,
        }
    }
}

/// A step that may be recorded next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextStep {
    pub step: &'static str,
    /// The step starts a term whose length is given with it (a begunstigingstermijn).
    pub needs_length: bool,
}

/// The procedure of one intervention.
#[derive(Debug, Clone)]
pub enum Flow {
    Bibob(Record<Bibob>),
    Closure(Record<Closure>),
    Penalty(Record<PenaltyOrder>),
    Enforcement(Record<Enforcement>),
    Control(Record<Control>),
    Referral(Record<Referral>),
}

macro_rules! each {
    ($self:expr, $r:ident => $body:expr) => {
        match $self {
            Flow::Bibob($r) => $body,
            Flow::Closure($r) => $body,
            Flow::Penalty($r) => $body,
            Flow::Enforcement($r) => $body,
            Flow::Control($r) => $body,
            Flow::Referral($r) => $body,
        }
    };
}

fn parse_slug<T: Slug>(s: &str) -> Option<T> {
    T::all().iter().copied().find(|v| v.slug() == s)
}

fn next<P: Procedure>(r: &Record<P>) -> Vec<NextStep> {
    r.next_steps()
        .into_iter()
        .map(|step| NextStep {
            step: step.slug(),
            needs_length: crate::procedure::needs_length::<P>(step),
        })
        .collect()
}

fn terms<P: Procedure>(r: &Record<P>, today: Date, soon: u16) -> Vec<TermStatus> {
    r.terms(today)
        .into_iter()
        .map(|(term, due)| TermStatus {
            term: term.slug(),
            due_on: match due {
                Due::On(d) => Some(d),
                _ => None,
            },
            suspended_since: match due {
                Due::Suspended { since } => Some(since),
                _ => None,
            },
            met_on: match due {
                Due::Met { on } => Some(on),
                _ => None,
            },
            urgency: due.urgency(today, soon).into(),
        })
        .collect()
}

fn restore<P: Procedure>(r: &mut Record<P>, stored: &StoredStep) -> bool {
    parse_slug::<P::Step>(&stored.step)
        .is_some_and(|step| r.restore(step, stored.on, stored.length))
}

/// Records `step` (by name) with the facts known, turning a refusal into problems named by
/// field: `step` for a move not allowed or facts missing, `length`, `on`.
fn record<P: Procedure>(
    r: &mut Record<P>,
    kind: InterventionKind,
    (step, on, length): (&str, Date, Option<Length>),
    known: &[P::Fact],
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let Some(parsed) = parse_slug::<P::Step>(step.trim()) else {
        errors.push(
            "step",
            Problem::UnknownStep {
                kind,
                given: step.trim().to_string(),
                allowed: r.next_steps().into_iter().map(Slug::slug).collect(),
            },
        );
        return Err(errors);
    };
    match r.record_given(parsed, (on, length), known) {
        Ok(_) => Ok(()),
        Err(StepRefused::NotAllowed {
            from,
            step,
            allowed,
        }) => {
            errors.push(
                "step",
                Problem::StepNotAllowed {
                    kind,
                    state: from.slug(),
                    step: step.slug(),
                    allowed: allowed.into_iter().map(Slug::slug).collect(),
                },
            );
            Err(errors)
        }
        Err(StepRefused::MissingFacts { step, missing }) => {
            errors.push(
                "step",
                Problem::StepNeedsFacts {
                    kind,
                    step: step.slug(),
                    missing: missing.into_iter().map(Slug::slug).collect(),
                },
            );
            Err(errors)
        }
        Err(StepRefused::MissingLength { .. }) => {
            errors.push("length", Problem::StepNeedsLength);
            Err(errors)
        }
        Err(StepRefused::BeforePrevious { previous, .. }) => {
            errors.push("on", Problem::BeforePreviousStep { previous });
            Err(errors)
        }
        Err(StepRefused::BeforeTermEnds { step, term, ends }) => {
            errors.push(
                "on",
                Problem::BeforeTermEnds {
                    kind,
                    step: step.slug(),
                    term,
                    ends,
                },
            );
            Err(errors)
        }
    }
}

impl Flow {
    /// A new procedure of `kind`, before its first step.
    pub fn start(kind: InterventionKind) -> Flow {
        match kind {
            InterventionKind::Bibob => Flow::Bibob(Record::default()),
            InterventionKind::Closure => Flow::Closure(Record::default()),
            InterventionKind::PenaltyOrder => Flow::Penalty(Record::default()),
            InterventionKind::Enforcement => Flow::Enforcement(Record::default()),
            InterventionKind::Control => Flow::Control(Record::default()),
            InterventionKind::CareReferral | InterventionKind::PartnerReferral => {
                Flow::Referral(Record::default())
            }
        }
    }

    /// The procedure as its stored steps (in the order recorded) left it; `None` when a
    /// stored step is not a move the procedure knows (a corrupt register).
    pub fn replay(kind: InterventionKind, steps: &[StoredStep]) -> Option<Flow> {
        let mut flow = Flow::start(kind);
        for s in steps {
            if !each!(&mut flow, r => restore(r, s)) {
                return None;
            }
        }
        Some(flow)
    }

    /// Whether a step's date is the day something is planned for (and so may lie ahead):
    /// only the integrated control's planning.
    pub fn is_planned(step: &str) -> bool {
        step == crate::procedure::followup::ControlStep::Planned.slug()
    }

    /// The machine name of the state.
    pub fn state(&self) -> &'static str {
        each!(self, r => r.state().slug())
    }

    pub fn next_steps(&self) -> Vec<NextStep> {
        each!(self, r => next(r))
    }

    /// Every term started, as it stands on `today` ("soon": within `soon` working days).
    pub fn terms(&self, today: Date, soon: u16) -> Vec<TermStatus> {
        each!(self, r => terms(r, today, soon))
    }

    /// Records a step when the procedure allows it and `details` (with the steps already
    /// taken) hold every fact it needs.
    pub fn record(
        &mut self,
        kind: InterventionKind,
        (step, on, length): (&str, Date, Option<Length>),
        details: &Details,
    ) -> Result<(), ValidationErrors> {
        let at = (step, on, length);
        match (self, details) {
            (Flow::Bibob(r), Details::Bibob(d)) => {
                let mut known = Vec::new();
                known.extend(d.decision_kind.map(|_| BibobFact::DecisionKind));
                known.extend(d.trigger.map(|_| BibobFact::Trigger));
                known.extend(d.own_result.map(|_| BibobFact::OwnInvestigationResult));
                let lbb = [d.lbb.ground_a, d.lbb.ground_b, d.lbb.acquisition];
                if lbb.iter().any(Option::is_some) {
                    known.push(BibobFact::LbbConclusion);
                }
                known.extend(d.outcome.map(|_| BibobFact::Outcome));
                if r.date_of(BibobStep::ApplicantInformed).is_some() {
                    known.push(BibobFact::ApplicantInformedOfRequest);
                }
                record(r, kind, at, &known)
            }
            (Flow::Closure(r), Details::Closure(d)) => {
                let mut known = Vec::new();
                if !d.drugs.is_empty() {
                    known.push(ClosureFact::Drugs);
                }
                known.extend(d.ground.map(|_| ClosureFact::Ground));
                known.extend(d.care.as_ref().map(|_| ClosureFact::CareDiscussed));
                if !d.proportionality.is_empty() {
                    known.push(ClosureFact::Motivation);
                }
                if d.premises_kind.is_some() {
                    known.push(ClosureFact::Premises);
                }
                record(r, kind, at, &known)
            }
            (Flow::Penalty(r), Details::Sanction(d)) => record(r, kind, at, &sanction_facts(d)),
            (Flow::Enforcement(r), Details::Sanction(d)) => record(r, kind, at, &sanction_facts(d)),
            (Flow::Control(r), Details::Control(d)) => {
                let mut known = Vec::new();
                known.extend(d.branch.map(|_| ControlFact::Branch));
                if !d.partners.is_empty() {
                    known.push(ControlFact::Partners);
                }
                if !d.findings.is_empty() {
                    known.push(ControlFact::Findings);
                }
                record(r, kind, at, &known)
            }
            (Flow::Referral(r), Details::Referral(d)) => {
                let mut known = Vec::new();
                known.extend(d.recipient.map(|_| ReferralFact::Recipient));
                if !d.feedback.is_empty() {
                    known.push(ReferralFact::Feedback);
                }
                record(r, kind, at, &known)
            }
            _ => {
                let mut errors = ValidationErrors::new();
                errors.push("details", Problem::DetailsOfOtherKind { kind });
                Err(errors)
            }
        }
    }

    /// Whether the Bibob outcome recorded fits the step that ends the screening.
    pub fn bibob_outcome_fits(&self, details: &Details) -> bool {
        match (self, details) {
            (Flow::Bibob(r), Details::Bibob(d)) => {
                let ended_without_decision = r.date_of(BibobStep::NotProcessed).is_some()
                    || r.date_of(BibobStep::Withdrawn).is_some()
                    || r.date_of(BibobStep::NoDecisionNeeded).is_some();
                !ended_without_decision
                    || matches!(
                        d.outcome,
                        None | Some(BibobOutcome::NotProcessed)
                            | Some(BibobOutcome::ApplicationWithdrawn)
                            | Some(BibobOutcome::NoDecisionNeeded)
                    )
            }
            _ => true,
        }
    }
}

fn sanction_facts(d: &super::details::SanctionDetails) -> Vec<SanctionFact> {
    let mut known = Vec::new();
    known.extend(d.legal_basis.map(|_| SanctionFact::LegalBasis));
    if !d.violation.is_empty() {
        known.push(SanctionFact::Violation);
    }
    if d.amount.is_some() && d.per.is_some() && d.maximum.is_some() {
        known.push(SanctionFact::Amount);
    }
    if !d.forfeitures.is_empty() {
        known.push(SanctionFact::Forfeiture);
    }
    known.extend(d.costs.map(|_| SanctionFact::Costs));
    known
}

#[cfg(test)]
mod tests {
    use super::super::details::RawDetails;
    use super::*;
    use time::macros::date;

    #[test]
    fn a_step_is_refused_with_the_facts_it_misses_and_taken_once_they_are_known() {
        let kind = InterventionKind::PenaltyOrder;
        let mut flow = Flow::start(kind);
        let empty = Details::empty(kind);
        let errors = flow
            .record(kind, ("last-opgelegd", date!(2025 - 03 - 03), None), &empty)
            .unwrap_err();
        assert_eq!(
            errors.for_field("step"),
            Some(&Problem::StepNeedsFacts {
                kind,
                step: "last-opgelegd",
                missing: vec!["grondslag", "overtreding", "bedrag-en-maximum"]
            })
        );
        let details = RawDetails {
            legal_basis: "apv".into(),
            violation: "drugshandel op straat".into(),
            amount: "500".into(),
            per: "per-overtreding".into(),
            maximum: "5.000".into(),
            ..RawDetails::default()
        }
        .parse(kind)
        .unwrap();
        let errors = flow
            .record(
                kind,
                ("last-opgelegd", date!(2025 - 03 - 03), None),
                &details,
            )
            .unwrap_err();
        assert_eq!(errors.for_field("length"), Some(&Problem::StepNeedsLength));
        flow.record(
            kind,
            (
                "last-opgelegd",
                date!(2025 - 03 - 03),
                Some(Length::Weeks(2)),
            ),
            &details,
        )
        .unwrap();
        assert_eq!(flow.state(), "opgelegd");
        let errors = flow
            .record(kind, ("geen-stap", date!(2025 - 03 - 04), None), &details)
            .unwrap_err();
        assert!(matches!(
            errors.for_field("step"),
            Some(Problem::UnknownStep { allowed, .. }) if allowed.contains(&"dwangsom-verbeurd")
        ));
        let errors = flow
            .record(
                kind,
                ("voornemen-verstuurd", date!(2025 - 03 - 04), None),
                &details,
            )
            .unwrap_err();
        assert!(matches!(
            errors.for_field("step"),
            Some(Problem::StepNotAllowed {
                state: "opgelegd",
                ..
            })
        ));
    }

    #[test]
    fn stored_steps_replay_to_the_same_state_and_terms() {
        let kind = InterventionKind::Closure;
        let stored = [
            StoredStep {
                step: "rapportage-ontvangen".into(),
                on: date!(2025 - 01 - 08),
                length: None,
            },
            StoredStep {
                step: "voornemen-verstuurd".into(),
                on: date!(2025 - 01 - 15),
                length: None,
            },
        ];
        let flow = Flow::replay(kind, &stored).unwrap();
        assert_eq!(flow.state(), "voornemen");
        let terms = flow.terms(date!(2025 - 01 - 30), 5);
        assert_eq!(terms[0].term, "zienswijzetermijn");
        assert_eq!(terms[0].due_on, Some(date!(2025 - 01 - 29)));
        assert_eq!(terms[0].urgency, UrgencyName::Overdue);
        let wrong = [StoredStep {
            step: "gesloten".into(),
            on: date!(2025 - 01 - 08),
            length: None,
        }];
        assert!(Flow::replay(kind, &wrong).is_none());
    }
}
