//! The herstelsancties of the Algemene wet bestuursrecht, titel 5.3 (reference.md §2.5): the
//! last onder dwangsom (art. 5:31d ff.) and the last onder bestuursdwang (art. 5:21 ff.).
//! Both start with an intention and a zienswijze (art. 4:8 Awb), are imposed with a
//! begunstigingstermijn given in the decision (art. 5:24), and end when the violation ends or
//! the last is lifted. A dwangsom is forfeited by operation of law (art. 5:33); collection
//! must be decided within a year of the first forfeiture (art. 5:35). Bestuursdwang is carried
//! out by the authority itself, whose costs are recovered (art. 5:25).

use super::{Ending, Length, Procedure, TermLength, TermRule, Transition};
use crate::model::slug_enum;
use serde::{Deserialize, Serialize};

slug_enum!(
    /// Where a herstelsanctie stands.
    SanctionState {
        Prepared => "in-voorbereiding";
        Intention => "voornemen";
        Imposed => "opgelegd";
        Forfeited => "verbeurd";
        CarriedOut => "uitgevoerd";
        Complied => "nageleefd";
        Ended => "beeindigd";
    }
);

slug_enum!(
    /// The dated steps of a herstelsanctie.
    SanctionStep {
        IntentionSent => "voornemen-verstuurd";
        ViewsReceived => "zienswijze-ontvangen";
        Imposed => "last-opgelegd";
        Complied => "last-nageleefd";
        Forfeited => "dwangsom-verbeurd";
        CollectionDecided => "invorderingsbesluit";
        CarriedOut => "bestuursdwang-uitgevoerd";
        CostsRecovered => "kosten-verhaald";
        ObjectionReceived => "bezwaar-ontvangen";
        Lifted => "last-opgeheven";
    }
);

slug_enum!(
    /// What a step of a herstelsanctie needs to be known.
    SanctionFact {
        LegalBasis => "grondslag";
        Violation => "overtreding";
        Amount => "bedrag-en-maximum";
        Forfeiture => "verbeurde-bedragen";
        Costs => "kosten";
    }
);

slug_enum!(
    /// The terms of a herstelsanctie.
    SanctionTerm {
        ViewsTerm => "zienswijzetermijn";
        GracePeriod => "begunstigingstermijn";
        CollectionLimit => "verjaring-invordering";
    }
);

use SanctionFact as F;
use SanctionState as S;
use SanctionStep as E;

const fn t(
    from: SanctionState,
    step: SanctionStep,
    to: SanctionState,
    requires: &'static [SanctionFact],
) -> Transition<SanctionState, SanctionStep, SanctionFact> {
    Transition {
        from,
        step,
        to,
        requires,
    }
}

const VIEWS_TERM: TermRule<SanctionTerm, SanctionStep> = TermRule {
    term: SanctionTerm::ViewsTerm,
    from: E::IntentionSent,
    length: TermLength::Fixed(Length::Weeks(2)),
    extended: None,
    suspensions: &[],
    met_by: &[E::ViewsReceived, E::Imposed, E::Lifted],
    ends: Ending::NextWorkingDay,
};

/// The last onder dwangsom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PenaltyOrder;

const PENALTY: &[Transition<SanctionState, SanctionStep, SanctionFact>] = &[
    t(S::Prepared, E::IntentionSent, S::Intention, &[F::Violation]),
    // A preventieve or spoedeisende last is imposed without an intention (art. 5:7, 4:11).
    t(
        S::Prepared,
        E::Imposed,
        S::Imposed,
        &[F::LegalBasis, F::Violation, F::Amount],
    ),
    t(S::Intention, E::ViewsReceived, S::Intention, &[]),
    t(
        S::Intention,
        E::Imposed,
        S::Imposed,
        &[F::LegalBasis, F::Violation, F::Amount],
    ),
    t(S::Intention, E::Lifted, S::Ended, &[]),
    t(S::Imposed, E::ObjectionReceived, S::Imposed, &[]),
    t(S::Imposed, E::Complied, S::Complied, &[]),
    t(S::Imposed, E::Forfeited, S::Forfeited, &[F::Forfeiture]),
    t(S::Imposed, E::Lifted, S::Ended, &[]),
    t(S::Forfeited, E::ObjectionReceived, S::Forfeited, &[]),
    t(
        S::Forfeited,
        E::CollectionDecided,
        S::Forfeited,
        &[F::Forfeiture],
    ),
    t(S::Forfeited, E::Complied, S::Complied, &[]),
    t(S::Forfeited, E::Lifted, S::Ended, &[]),
    t(S::Complied, E::Lifted, S::Ended, &[]),
    t(
        S::Complied,
        E::CollectionDecided,
        S::Complied,
        &[F::Forfeiture],
    ),
];

const PENALTY_TERMS: &[TermRule<SanctionTerm, SanctionStep>] = &[
    VIEWS_TERM,
    TermRule {
        term: SanctionTerm::GracePeriod,
        from: E::Imposed,
        length: TermLength::Given,
        extended: None,
        suspensions: &[],
        met_by: &[E::Complied, E::Forfeited, E::Lifted],
        ends: Ending::NextWorkingDay,
    },
    // Art. 5:35 Awb: the power to collect lapses one year after the day of forfeiture.
    TermRule {
        term: SanctionTerm::CollectionLimit,
        from: E::Forfeited,
        length: TermLength::Fixed(Length::Months(12)),
        extended: None,
        suspensions: &[],
        met_by: &[E::CollectionDecided],
        ends: Ending::OnTheDay,
    },
];

impl Procedure for PenaltyOrder {
    type State = SanctionState;
    type Step = SanctionStep;
    type Fact = SanctionFact;
    type Term = SanctionTerm;

    fn initial() -> SanctionState {
        SanctionState::Prepared
    }

    fn transitions() -> &'static [Transition<SanctionState, SanctionStep, SanctionFact>] {
        PENALTY
    }

    fn terms() -> &'static [TermRule<SanctionTerm, SanctionStep>] {
        PENALTY_TERMS
    }

    fn waits() -> &'static [(SanctionStep, SanctionTerm)] {
        &[(SanctionStep::Forfeited, SanctionTerm::GracePeriod)]
    }
}

/// The last onder bestuursdwang.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enforcement;

const ENFORCEMENT: &[Transition<SanctionState, SanctionStep, SanctionFact>] = &[
    t(S::Prepared, E::IntentionSent, S::Intention, &[F::Violation]),
    // Spoedeisende bestuursdwang (art. 5:31 Awb) skips the intention.
    t(
        S::Prepared,
        E::Imposed,
        S::Imposed,
        &[F::LegalBasis, F::Violation],
    ),
    t(S::Intention, E::ViewsReceived, S::Intention, &[]),
    t(
        S::Intention,
        E::Imposed,
        S::Imposed,
        &[F::LegalBasis, F::Violation],
    ),
    t(S::Intention, E::Lifted, S::Ended, &[]),
    t(S::Imposed, E::ObjectionReceived, S::Imposed, &[]),
    t(S::Imposed, E::Complied, S::Complied, &[]),
    t(S::Imposed, E::CarriedOut, S::CarriedOut, &[]),
    t(S::Imposed, E::Lifted, S::Ended, &[]),
    t(S::CarriedOut, E::ObjectionReceived, S::CarriedOut, &[]),
    t(S::CarriedOut, E::CostsRecovered, S::Ended, &[F::Costs]),
    t(S::CarriedOut, E::Lifted, S::Ended, &[]),
    t(S::Complied, E::Lifted, S::Ended, &[]),
];

const ENFORCEMENT_TERMS: &[TermRule<SanctionTerm, SanctionStep>] = &[
    VIEWS_TERM,
    TermRule {
        term: SanctionTerm::GracePeriod,
        from: E::Imposed,
        length: TermLength::Given,
        extended: None,
        suspensions: &[],
        met_by: &[E::Complied, E::CarriedOut, E::Lifted],
        ends: Ending::NextWorkingDay,
    },
];

impl Procedure for Enforcement {
    type State = SanctionState;
    type Step = SanctionStep;
    type Fact = SanctionFact;
    type Term = SanctionTerm;

    fn initial() -> SanctionState {
        SanctionState::Prepared
    }

    fn transitions() -> &'static [Transition<SanctionState, SanctionStep, SanctionFact>] {
        ENFORCEMENT
    }

    fn terms() -> &'static [TermRule<SanctionTerm, SanctionStep>] {
        ENFORCEMENT_TERMS
    }

    fn waits() -> &'static [(SanctionStep, SanctionTerm)] {
        &[(SanctionStep::CarriedOut, SanctionTerm::GracePeriod)]
    }
}

#[cfg(test)]
mod tests {
    use super::super::{every_move_not_listed_is_refused, Due, Record, StepRefused};
    use super::*;
    use time::macros::date;

    const ALL: &[SanctionFact] = SanctionFact::ALL;

    #[test]
    fn only_the_listed_moves_are_allowed() {
        every_move_not_listed_is_refused::<PenaltyOrder>();
        every_move_not_listed_is_refused::<Enforcement>();
    }

    #[test]
    fn a_dwangsom_needs_basis_violation_and_amount_and_a_grace_period() {
        let mut r = Record::<PenaltyOrder>::default();
        r.record(E::IntentionSent, date!(2025 - 02 - 03), ALL)
            .unwrap();
        // The zienswijze term: two weeks, met by the views.
        assert_eq!(
            r.terms(date!(2025 - 02 - 04)),
            vec![(SanctionTerm::ViewsTerm, Due::On(date!(2025 - 02 - 17)))]
        );
        assert_eq!(
            r.record(E::Imposed, date!(2025 - 02 - 20), &[F::Violation]),
            Err(StepRefused::MissingFacts {
                step: E::Imposed,
                missing: vec![F::LegalBasis, F::Amount]
            })
        );
        assert_eq!(
            r.record(E::Imposed, date!(2025 - 02 - 20), ALL),
            Err(StepRefused::MissingLength { step: E::Imposed })
        );
        r.record_given(
            E::Imposed,
            (date!(2025 - 02 - 20), Some(Length::Weeks(4))),
            ALL,
        )
        .unwrap();
        let terms = r.terms(date!(2025 - 03 - 01));
        assert!(terms.contains(&(
            SanctionTerm::ViewsTerm,
            Due::Met {
                on: date!(2025 - 02 - 20)
            }
        )));
        assert!(terms.contains(&(SanctionTerm::GracePeriod, Due::On(date!(2025 - 03 - 20)))));
    }

    #[test]
    fn collection_lapses_a_year_after_the_forfeiture() {
        let mut r = Record::<PenaltyOrder>::default();
        r.record_given(
            E::Imposed,
            (date!(2025 - 01 - 06), Some(Length::Weeks(2))),
            ALL,
        )
        .unwrap();
        assert_eq!(
            r.record(E::Forfeited, date!(2025 - 01 - 21), &[]),
            Err(StepRefused::MissingFacts {
                step: E::Forfeited,
                missing: vec![F::Forfeiture]
            })
        );
        r.record(E::Forfeited, date!(2025 - 01 - 21), ALL).unwrap();
        let terms = r.terms(date!(2025 - 06 - 01));
        assert!(terms.contains(&(
            SanctionTerm::GracePeriod,
            Due::Met {
                on: date!(2025 - 01 - 21)
            }
        )));
        // Art. 5:35 Awb: a period, ending on its day even on a weekend.
        assert!(terms.contains(&(
            SanctionTerm::CollectionLimit,
            Due::On(date!(2026 - 01 - 21))
        )));
        r.record(E::CollectionDecided, date!(2025 - 06 - 02), ALL)
            .unwrap();
        assert!(r.terms(date!(2026 - 06 - 01)).contains(&(
            SanctionTerm::CollectionLimit,
            Due::Met {
                on: date!(2025 - 06 - 02)
            }
        )));
    }

    #[test]
    fn bestuursdwang_is_carried_out_and_its_costs_recovered() {
        let mut r = Record::<Enforcement>::default();
        // Spoedeisend: imposed at once, with a grace period of two working days.
        r.record_given(
            E::Imposed,
            (date!(2025 - 04 - 17), Some(Length::WorkingDays(2))),
            ALL,
        )
        .unwrap();
        // Thursday 17 April 2025 + 2 working days: Good Friday counts (it is not in the
        // Algemene termijnenwet), the weekend and Easter Monday do not → Tuesday 22 April.
        assert_eq!(
            r.terms(date!(2025 - 04 - 18)),
            vec![(SanctionTerm::GracePeriod, Due::On(date!(2025 - 04 - 22)))]
        );
        assert!(matches!(
            r.record(E::CostsRecovered, date!(2025 - 04 - 24), ALL),
            Err(StepRefused::NotAllowed { .. })
        ));
        // Not carried out before the grace period has run out.
        assert!(matches!(
            r.record(E::CarriedOut, date!(2025 - 04 - 22), ALL),
            Err(StepRefused::BeforeTermEnds { ends, .. }) if ends == date!(2025 - 04 - 22)
        ));
        r.record(E::CarriedOut, date!(2025 - 04 - 24), ALL).unwrap();
        assert_eq!(
            r.record(E::CostsRecovered, date!(2025 - 05 - 24), &[]),
            Err(StepRefused::MissingFacts {
                step: E::CostsRecovered,
                missing: vec![F::Costs]
            })
        );
        assert_eq!(
            r.record(E::CostsRecovered, date!(2025 - 05 - 24), ALL),
            Ok(S::Ended)
        );
        assert!(r.next_steps().is_empty());
        // Spoedeisend with no grace period at all: carried out the same day.
        let mut r = Record::<Enforcement>::default();
        r.record_given(
            E::Imposed,
            (date!(2025 - 04 - 17), Some(Length::Days(0))),
            ALL,
        )
        .unwrap();
        assert_eq!(
            r.record(E::CarriedOut, date!(2025 - 04 - 17), ALL),
            Ok(S::CarriedOut)
        );
    }
}
