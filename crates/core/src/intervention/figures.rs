//! The register's figures for a year: interventions per kind, and the Bibob screenings by
//! decision kind and outcome with the LBB advices requested. Bibob figures leave the
//! compartment only as aggregates with small counts suppressed (reference.md §1.7: "<5").

use serde::Serialize;

use super::details::{BibobDecisionKind, BibobOutcome};
use super::InterventionKind;
use crate::access::Suppression;

/// A count as a reader may see it: exact, or suppressed below the threshold (and rounded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figure {
    /// `None` when suppressed.
    pub value: Option<u64>,
    pub shown: String,
}

impl Figure {
    pub fn exact(n: u64) -> Figure {
        Figure {
            value: Some(n),
            shown: n.to_string(),
        }
    }

    /// A count not given at all (a protected count asked for a period that is not whole
    /// months).
    pub fn withheld() -> Figure {
        Figure {
            value: None,
            shown: "–".into(),
        }
    }

    /// `n` as it may leave the compartment: below the threshold "<5", otherwise rounded to
    /// the threshold's multiple (so no two figures subtract to a small count).
    pub fn protected(n: u64, suppression: Suppression) -> Figure {
        match suppression.protect(n) {
            Some(v) => Figure {
                value: Some(v),
                shown: v.to_string(),
            },
            None => Figure {
                value: None,
                shown: suppression.label(),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindFigure {
    pub kind: InterventionKind,
    pub count: Figure,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionKindFigure {
    pub decision_kind: Option<BibobDecisionKind>,
    pub count: Figure,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeFigure {
    /// `None`: no outcome yet.
    pub outcome: Option<BibobOutcome>,
    pub count: Figure,
}

/// The figures of one year (interventions opened in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterventionFigures {
    pub year: i32,
    /// The Bibob figures are exact (the reader is in the compartment) or suppressed.
    pub bibob_exact: bool,
    /// Interventions per kind that the reader may see; for Bibob the organisation's count.
    pub kinds: Vec<KindFigure>,
    pub bibob_by_decision_kind: Vec<DecisionKindFigure>,
    pub bibob_by_outcome: Vec<OutcomeFigure>,
    pub bibob_advice_requests: Figure,
}

/// Counts a Bibob screening contributes: its decision kind, outcome and whether the LBB was
/// asked for advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BibobCount {
    pub decision_kind: Option<BibobDecisionKind>,
    pub outcome: Option<BibobOutcome>,
    pub advice_requested: bool,
}

/// Builds the Bibob part: exact inside the compartment, protected outside it.
pub fn bibob_figures(
    screenings: &[BibobCount],
    exact: bool,
    suppression: Suppression,
) -> (Figure, Vec<DecisionKindFigure>, Vec<OutcomeFigure>, Figure) {
    let figure = |n: usize| {
        let n = n as u64;
        if exact {
            Figure::exact(n)
        } else {
            Figure::protected(n, suppression)
        }
    };
    let total = figure(screenings.len());
    let mut kinds: Vec<Option<BibobDecisionKind>> =
        BibobDecisionKind::ALL.iter().copied().map(Some).collect();
    kinds.push(None);
    let by_kind = kinds
        .into_iter()
        .map(|k| {
            (
                k,
                screenings.iter().filter(|s| s.decision_kind == k).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .map(|(decision_kind, n)| DecisionKindFigure {
            decision_kind,
            count: figure(n),
        })
        .collect();
    let mut outcomes: Vec<Option<BibobOutcome>> =
        BibobOutcome::ALL.iter().copied().map(Some).collect();
    outcomes.push(None);
    let by_outcome = outcomes
        .into_iter()
        .map(|o| (o, screenings.iter().filter(|s| s.outcome == o).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(outcome, n)| OutcomeFigure {
            outcome,
            count: figure(n),
        })
        .collect();
    let advice = figure(screenings.iter().filter(|s| s.advice_requested).count());
    (total, by_kind, by_outcome, advice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_the_compartment_small_counts_are_suppressed() {
        let s = |k, o, a| BibobCount {
            decision_kind: Some(k),
            outcome: Some(o),
            advice_requested: a,
        };
        let mut list = vec![
            s(
                BibobDecisionKind::HospitalityPermit,
                BibobOutcome::Granted,
                false
            );
            12
        ];
        list.push(s(
            BibobDecisionKind::RealEstate,
            BibobOutcome::Refused,
            true,
        ));
        let (total, kinds, outcomes, advice) = bibob_figures(&list, false, Suppression::default());
        assert_eq!(total.shown, "15");
        assert_eq!(kinds[0].count.shown, "10");
        assert_eq!(kinds[1].count.shown, "<5");
        assert_eq!(kinds[1].count.value, None);
        assert_eq!(outcomes[1].count.shown, "<5");
        assert_eq!(advice.shown, "<5");
        let (total, kinds, _, advice) = bibob_figures(&list, true, Suppression::default());
        assert_eq!(total.shown, "13");
        assert_eq!(kinds[1].count.shown, "1");
        assert_eq!(advice.value, Some(1));
    }
}
