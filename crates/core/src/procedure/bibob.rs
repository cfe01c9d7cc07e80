//! The Bibob screening as a procedure (reference.md §1.3): intake, the own investigation with
//! its questionnaire (art. 7a) and the Bibob-register (art. 11a), the advice of the Landelijk
//! Bureau Bibob, intention and zienswijze, the decision, the register entry, objection and
//! appeal. The decision term stands still while the questionnaire is out, while the LBB
//! investigates (at most 8 weeks, 12 after its extension) and while the LBB's questions to the
//! applicant are open.

use super::{Ending, Length, Procedure, Suspension, TermLength, TermRule, Transition};
use crate::model::slug_enum;
use serde::{Deserialize, Serialize};

slug_enum!(
    /// Where a Bibob screening stands.
    BibobState {
        New => "nieuw";
        OwnInvestigation => "eigen-onderzoek";
        Assessment => "beoordeling";
        Advice => "advies-lbb";
        Intention => "voornemen";
        Decided => "besloten";
        NotProcessed => "buiten-behandeling";
        Withdrawn => "aanvraag-ingetrokken";
        NoDecisionNeeded => "geen-besluit-nodig";
    }
);

slug_enum!(
    /// The dated steps of a Bibob screening.
    BibobStep {
        ApplicationReceived => "aanvraag-ontvangen";
        QuestionnaireSent => "vragenformulier-verstuurd";
        QuestionnaireReceived => "vragenformulier-ontvangen";
        RegisterConsulted => "bibob-register-geraadpleegd";
        OwnInvestigationDone => "eigen-onderzoek-afgerond";
        TermDeferred => "beslistermijn-verdaagd";
        ApplicantInformed => "betrokkene-geinformeerd";
        AdviceRequested => "advies-aangevraagd";
        AdviceTermExtended => "adviestermijn-verlengd";
        LbbQuestionsAsked => "vragen-lbb-gesteld";
        LbbQuestionsAnswered => "vragen-lbb-beantwoord";
        AdviceReceived => "advies-ontvangen";
        IntentionSent => "voornemen-verstuurd";
        ViewsReceived => "zienswijze-ontvangen";
        Decision => "besluit";
        RegisterEntry => "inschrijving-bibob-register";
        ObjectionReceived => "bezwaar-ontvangen";
        AppealLodged => "beroep-ingesteld";
        NotProcessed => "buiten-behandeling-gesteld";
        Withdrawn => "aanvraag-ingetrokken";
        NoDecisionNeeded => "geen-besluit-nodig";
    }
);

slug_enum!(
    /// What a step of a Bibob screening needs to be known.
    BibobFact {
        DecisionKind => "soort-beschikking";
        Trigger => "aanleiding";
        OwnInvestigationResult => "uitkomst-eigen-onderzoek";
        ApplicantInformedOfRequest => "betrokkene-geinformeerd";
        LbbConclusion => "conclusie-lbb";
        Outcome => "uitkomst";
    }
);

slug_enum!(
    /// The terms of a Bibob screening.
    BibobTerm {
        DecisionTerm => "beslistermijn";
        AdviceTerm => "adviestermijn-lbb";
        ViewsTerm => "zienswijzetermijn";
    }
);

/// The Bibob screening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bibob;

use BibobFact as F;
use BibobState as S;
use BibobStep as E;

const fn t(
    from: BibobState,
    step: BibobStep,
    to: BibobState,
    requires: &'static [BibobFact],
) -> Transition<BibobState, BibobStep, BibobFact> {
    Transition {
        from,
        step,
        to,
        requires,
    }
}

const TRANSITIONS: &[Transition<BibobState, BibobStep, BibobFact>] = &[
    t(
        S::New,
        E::ApplicationReceived,
        S::OwnInvestigation,
        &[F::DecisionKind, F::Trigger],
    ),
    t(
        S::OwnInvestigation,
        E::QuestionnaireSent,
        S::OwnInvestigation,
        &[],
    ),
    t(
        S::OwnInvestigation,
        E::QuestionnaireReceived,
        S::OwnInvestigation,
        &[],
    ),
    t(
        S::OwnInvestigation,
        E::RegisterConsulted,
        S::OwnInvestigation,
        &[],
    ),
    t(
        S::OwnInvestigation,
        E::TermDeferred,
        S::OwnInvestigation,
        &[],
    ),
    t(
        S::OwnInvestigation,
        E::OwnInvestigationDone,
        S::Assessment,
        &[F::OwnInvestigationResult],
    ),
    t(S::OwnInvestigation, E::NotProcessed, S::NotProcessed, &[]),
    t(S::OwnInvestigation, E::Withdrawn, S::Withdrawn, &[]),
    t(
        S::OwnInvestigation,
        E::NoDecisionNeeded,
        S::NoDecisionNeeded,
        &[],
    ),
    t(S::Assessment, E::TermDeferred, S::Assessment, &[]),
    t(S::Assessment, E::ApplicantInformed, S::Assessment, &[]),
    t(
        S::Assessment,
        E::AdviceRequested,
        S::Advice,
        &[F::ApplicantInformedOfRequest],
    ),
    t(S::Assessment, E::IntentionSent, S::Intention, &[]),
    t(S::Assessment, E::Decision, S::Decided, &[F::Outcome]),
    t(S::Assessment, E::Withdrawn, S::Withdrawn, &[]),
    t(S::Advice, E::AdviceTermExtended, S::Advice, &[]),
    t(S::Advice, E::LbbQuestionsAsked, S::Advice, &[]),
    t(S::Advice, E::LbbQuestionsAnswered, S::Advice, &[]),
    t(S::Advice, E::TermDeferred, S::Advice, &[]),
    t(
        S::Advice,
        E::AdviceReceived,
        S::Assessment,
        &[F::LbbConclusion],
    ),
    t(S::Advice, E::NotProcessed, S::NotProcessed, &[]),
    t(S::Advice, E::Withdrawn, S::Withdrawn, &[]),
    t(S::Intention, E::ViewsReceived, S::Intention, &[]),
    t(S::Intention, E::Decision, S::Decided, &[F::Outcome]),
    t(S::Intention, E::Withdrawn, S::Withdrawn, &[]),
    t(S::Decided, E::RegisterEntry, S::Decided, &[]),
    t(S::Decided, E::ObjectionReceived, S::Decided, &[]),
    t(S::Decided, E::AppealLodged, S::Decided, &[]),
];

const TERMS: &[TermRule<BibobTerm, BibobStep>] = &[
    // Art. 4:13 Awb / the APV: 8 weeks, once deferred by 8 more (art. 4:14 Awb); standing
    // still while the questionnaire is out (art. 4:15 Awb), while the LBB investigates (8
    // weeks, 12 after its extension) and while the LBB's questions are unanswered.
    TermRule {
        term: BibobTerm::DecisionTerm,
        from: E::ApplicationReceived,
        length: TermLength::Fixed(Length::Weeks(8)),
        extended: Some((E::TermDeferred, TermLength::Fixed(Length::Weeks(8)))),
        suspensions: &[
            Suspension {
                from: E::QuestionnaireSent,
                until: E::QuestionnaireReceived,
                at_most: None,
                extended: None,
            },
            Suspension {
                from: E::AdviceRequested,
                until: E::AdviceReceived,
                at_most: Some(Length::Weeks(8)),
                extended: Some((E::AdviceTermExtended, Length::Weeks(4))),
            },
            Suspension {
                from: E::LbbQuestionsAsked,
                until: E::LbbQuestionsAnswered,
                at_most: None,
                extended: None,
            },
        ],
        met_by: &[
            E::Decision,
            E::NotProcessed,
            E::Withdrawn,
            E::NoDecisionNeeded,
        ],
        ends: Ending::NextWorkingDay,
    },
    TermRule {
        term: BibobTerm::AdviceTerm,
        from: E::AdviceRequested,
        length: TermLength::Fixed(Length::Weeks(8)),
        extended: Some((E::AdviceTermExtended, TermLength::Fixed(Length::Weeks(4)))),
        suspensions: &[Suspension {
            from: E::LbbQuestionsAsked,
            until: E::LbbQuestionsAnswered,
            at_most: None,
            extended: None,
        }],
        met_by: &[E::AdviceReceived, E::NotProcessed, E::Withdrawn],
        ends: Ending::NextWorkingDay,
    },
    TermRule {
        term: BibobTerm::ViewsTerm,
        from: E::IntentionSent,
        length: TermLength::Fixed(Length::Weeks(2)),
        extended: None,
        suspensions: &[],
        met_by: &[E::ViewsReceived, E::Decision, E::Withdrawn],
        ends: Ending::NextWorkingDay,
    },
];

impl Procedure for Bibob {
    type State = BibobState;
    type Step = BibobStep;
    type Fact = BibobFact;
    type Term = BibobTerm;

    fn initial() -> BibobState {
        BibobState::New
    }

    fn transitions() -> &'static [Transition<BibobState, BibobStep, BibobFact>] {
        TRANSITIONS
    }

    fn terms() -> &'static [TermRule<BibobTerm, BibobStep>] {
        TERMS
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Due, Record, StepRefused, Urgency};
    use super::*;
    use time::macros::date;
    use time::Date;

    const ALL_FACTS: &[BibobFact] = BibobFact::ALL;

    /// A record taken through `steps` (each with every fact known).
    fn through(steps: &[(BibobStep, Date)]) -> Record<Bibob> {
        let mut r = Record::<Bibob>::default();
        for (step, on) in steps {
            r.record(*step, *on, ALL_FACTS).unwrap();
        }
        r
    }

    fn due(r: &Record<Bibob>, term: BibobTerm, today: Date) -> Option<Due> {
        r.terms(today)
            .into_iter()
            .find(|(t, _)| *t == term)
            .map(|(_, d)| d)
    }

    #[test]
    fn every_move_not_listed_is_refused_naming_what_is_allowed() {
        super::super::every_move_not_listed_is_refused::<Bibob>();
        // Final states have no way out but the register and legal remedies.
        for end in [S::NotProcessed, S::Withdrawn, S::NoDecisionNeeded] {
            assert!(TRANSITIONS.iter().all(|t| t.from != end), "{end:?}");
        }
    }

    #[test]
    fn a_step_needs_its_facts_and_its_date_after_the_previous_one() {
        let mut r = Record::<Bibob>::default();
        assert_eq!(
            r.record(E::ApplicationReceived, date!(2025 - 03 - 03), &[F::Trigger]),
            Err(StepRefused::MissingFacts {
                step: E::ApplicationReceived,
                missing: vec![F::DecisionKind]
            })
        );
        r.record(E::ApplicationReceived, date!(2025 - 03 - 03), ALL_FACTS)
            .unwrap();
        assert!(matches!(
            r.record(E::QuestionnaireSent, date!(2025 - 03 - 01), ALL_FACTS),
            Err(StepRefused::BeforePrevious { .. })
        ));
        r.record(E::OwnInvestigationDone, date!(2025 - 03 - 10), ALL_FACTS)
            .unwrap();
        assert!(matches!(
            r.record(E::Decision, date!(2025 - 03 - 11), &[]),
            Err(StepRefused::MissingFacts { missing, .. }) if missing == vec![F::Outcome]
        ));
        assert!(matches!(
            r.record(E::AdviceRequested, date!(2025 - 03 - 11), &[]),
            Err(StepRefused::MissingFacts { missing, .. }) if missing == vec![F::ApplicantInformedOfRequest]
        ));
    }

    #[test]
    fn the_decision_term_stands_still_while_the_questionnaire_is_out() {
        let start = date!(2025 - 03 - 03); // a Monday
        let r = through(&[
            (E::ApplicationReceived, start),
            (E::QuestionnaireSent, date!(2025 - 03 - 10)),
        ]);
        assert_eq!(
            due(&r, BibobTerm::DecisionTerm, date!(2025 - 03 - 20)),
            Some(Due::Suspended {
                since: date!(2025 - 03 - 10)
            })
        );
        let r = through(&[
            (E::ApplicationReceived, start),
            (E::QuestionnaireSent, date!(2025 - 03 - 10)),
            (E::QuestionnaireReceived, date!(2025 - 03 - 24)),
        ]);
        // 8 weeks (28 April) plus the 14 days out: 12 May.
        assert_eq!(
            due(&r, BibobTerm::DecisionTerm, date!(2025 - 03 - 24)),
            Some(Due::On(date!(2025 - 05 - 12)))
        );
        // Deferred once by 8 weeks: 7 July.
        let r = through(&[
            (E::ApplicationReceived, start),
            (E::QuestionnaireSent, date!(2025 - 03 - 10)),
            (E::QuestionnaireReceived, date!(2025 - 03 - 24)),
            (E::TermDeferred, date!(2025 - 04 - 01)),
        ]);
        assert_eq!(
            due(&r, BibobTerm::DecisionTerm, date!(2025 - 04 - 01)),
            Some(Due::On(date!(2025 - 07 - 07)))
        );
    }

    #[test]
    fn the_lbb_suspends_the_decision_term_at_most_eight_weeks_or_twelve_after_extension() {
        let requested = date!(2025 - 02 - 03);
        let steps = [
            (E::ApplicationReceived, date!(2025 - 01 - 06)),
            (E::OwnInvestigationDone, date!(2025 - 01 - 27)),
            (E::ApplicantInformed, date!(2025 - 01 - 30)),
            (E::AdviceRequested, requested),
        ];
        let r = through(&steps);
        assert_eq!(
            due(&r, BibobTerm::DecisionTerm, date!(2025 - 02 - 10)),
            Some(Due::Suspended { since: requested })
        );
        // The advice term: 8 weeks, 31 March.
        assert_eq!(
            due(&r, BibobTerm::AdviceTerm, date!(2025 - 02 - 10)),
            Some(Due::On(date!(2025 - 03 - 31)))
        );
        // No advice after 9 weeks: the suspension ended at 8; the term runs again.
        // 6 January + 8 weeks = 3 March, + 8 weeks = 28 April.
        assert_eq!(
            due(&r, BibobTerm::DecisionTerm, date!(2025 - 04 - 07)),
            Some(Due::On(date!(2025 - 04 - 28)))
        );
        // With the LBB's extension it stands still up to 12 weeks: 26 May.
        let mut extended = steps.to_vec();
        extended.push((E::AdviceTermExtended, date!(2025 - 03 - 20)));
        let r = through(&extended);
        assert_eq!(
            due(&r, BibobTerm::DecisionTerm, date!(2025 - 04 - 07)),
            Some(Due::Suspended { since: requested })
        );
        assert_eq!(
            due(&r, BibobTerm::DecisionTerm, date!(2025 - 05 - 05)),
            Some(Due::On(date!(2025 - 05 - 26)))
        );
        assert_eq!(
            due(&r, BibobTerm::AdviceTerm, date!(2025 - 04 - 07)),
            Some(Due::On(date!(2025 - 04 - 28)))
        );
        // Advice after 5 weeks, with 10 days of open LBB questions: the decision term moves
        // by 35 + 10 days; the advice term is met.
        let mut answered = steps.to_vec();
        answered.extend([
            (E::LbbQuestionsAsked, date!(2025 - 02 - 17)),
            (E::LbbQuestionsAnswered, date!(2025 - 02 - 27)),
            (E::AdviceReceived, date!(2025 - 03 - 10)),
        ]);
        let r = through(&answered);
        assert_eq!(
            due(&r, BibobTerm::DecisionTerm, date!(2025 - 03 - 10)),
            Some(Due::On(date!(2025 - 04 - 17)))
        );
        assert_eq!(
            due(&r, BibobTerm::AdviceTerm, date!(2025 - 03 - 10)),
            Some(Due::Met {
                on: date!(2025 - 03 - 10)
            })
        );
    }

    #[test]
    fn a_term_ending_on_a_weekend_or_holiday_moves_to_the_next_working_day() {
        // Voornemen on 12 April 2025: two weeks end on Saturday 26 April (Koningsdag that
        // year), so the zienswijze term ends on Monday 28 April.
        let r = through(&[
            (E::ApplicationReceived, date!(2025 - 03 - 03)),
            (E::OwnInvestigationDone, date!(2025 - 03 - 20)),
            (E::IntentionSent, date!(2025 - 04 - 12)),
        ]);
        let views = due(&r, BibobTerm::ViewsTerm, date!(2025 - 04 - 14)).unwrap();
        assert_eq!(views, Due::On(date!(2025 - 04 - 28)));
        assert_eq!(
            super::super::next_working_day(date!(2025 - 12 - 25)),
            date!(2025 - 12 - 29)
        );
        // How it stands: later, due soon within 5 working days, overdue, met.
        assert_eq!(views.urgency(date!(2025 - 04 - 14), 5), Urgency::Later);
        assert_eq!(views.urgency(date!(2025 - 04 - 22), 5), Urgency::DueSoon);
        assert_eq!(views.urgency(date!(2025 - 04 - 29), 5), Urgency::Overdue);
        let mut r = r;
        r.record(E::ViewsReceived, date!(2025 - 04 - 24), ALL_FACTS)
            .unwrap();
        assert_eq!(
            due(&r, BibobTerm::ViewsTerm, date!(2025 - 04 - 29))
                .unwrap()
                .urgency(date!(2025 - 04 - 29), 5),
            Urgency::Met
        );
    }
}
