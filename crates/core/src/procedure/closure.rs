//! The closure of premises under art. 13b Opiumwet as a procedure (reference.md §2.4): the
//! police's report, a warning or an intention with zienswijze, the decision (with the drugs
//! and quantity, whether care was discussed, and the begunstigingstermijn), the closure for
//! the months decided, its extension and lifting. The zienswijze term is two weeks; the
//! begunstigingstermijn and the closure's length are given with the decision and the closure.

use super::{Ending, Length, Procedure, TermLength, TermRule, Transition};
use crate::model::slug_enum;
use serde::{Deserialize, Serialize};

slug_enum!(
    /// Where a 13b procedure stands.
    ClosureState {
        Reported => "rapportage";
        Warned => "gewaarschuwd";
        Intention => "voornemen";
        Decided => "besloten";
        Closed => "gesloten";
        Lifted => "opgeheven";
        Dropped => "afgezien";
    }
);

slug_enum!(
    /// The dated steps of a 13b procedure.
    ClosureStep {
        ReportReceived => "rapportage-ontvangen";
        WarningGiven => "waarschuwing";
        IntentionSent => "voornemen-verstuurd";
        ViewsReceived => "zienswijze-ontvangen";
        ClosureDecided => "besluit-sluiting";
        ClosedOn => "gesloten";
        Extended => "verlengd";
        Lifted => "opgeheven";
        ObjectionReceived => "bezwaar-ontvangen";
        Dropped => "afgezien";
    }
);

slug_enum!(
    /// What a step of a 13b procedure needs to be known.
    ClosureFact {
        Premises => "pand";
        Drugs => "drugs-en-hoeveelheid";
        Ground => "grond";
        CareDiscussed => "zorg-besproken";
        Motivation => "evenredigheid";
    }
);

slug_enum!(
    /// The terms of a 13b procedure.
    ClosureTerm {
        ViewsTerm => "zienswijzetermijn";
        GracePeriod => "begunstigingstermijn";
        ClosedUntil => "sluiting-tot";
    }
);

/// The closure of premises (art. 13b Opiumwet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure;

use ClosureFact as F;
use ClosureState as S;
use ClosureStep as E;

const fn t(
    from: ClosureState,
    step: ClosureStep,
    to: ClosureState,
    requires: &'static [ClosureFact],
) -> Transition<ClosureState, ClosureStep, ClosureFact> {
    Transition {
        from,
        step,
        to,
        requires,
    }
}

const TRANSITIONS: &[Transition<ClosureState, ClosureStep, ClosureFact>] = &[
    t(S::Reported, E::ReportReceived, S::Reported, &[F::Premises]),
    t(
        S::Reported,
        E::WarningGiven,
        S::Warned,
        &[F::Premises, F::Drugs, F::Ground],
    ),
    t(
        S::Reported,
        E::IntentionSent,
        S::Intention,
        &[F::Premises, F::Drugs, F::Ground],
    ),
    t(S::Reported, E::Dropped, S::Dropped, &[]),
    t(
        S::Warned,
        E::IntentionSent,
        S::Intention,
        &[F::Premises, F::Drugs, F::Ground],
    ),
    t(S::Intention, E::ViewsReceived, S::Intention, &[]),
    t(
        S::Intention,
        E::ClosureDecided,
        S::Decided,
        &[
            F::Premises,
            F::Drugs,
            F::Ground,
            F::CareDiscussed,
            F::Motivation,
        ],
    ),
    t(S::Intention, E::Dropped, S::Dropped, &[]),
    t(S::Decided, E::ObjectionReceived, S::Decided, &[]),
    t(S::Decided, E::ClosedOn, S::Closed, &[]),
    t(S::Decided, E::Dropped, S::Dropped, &[]),
    t(S::Closed, E::ObjectionReceived, S::Closed, &[]),
    t(S::Closed, E::Extended, S::Closed, &[F::Motivation]),
    t(S::Closed, E::Lifted, S::Lifted, &[]),
];

const TERMS: &[TermRule<ClosureTerm, ClosureStep>] = &[
    TermRule {
        term: ClosureTerm::ViewsTerm,
        from: E::IntentionSent,
        length: TermLength::Fixed(Length::Weeks(2)),
        extended: None,
        suspensions: &[],
        met_by: &[E::ViewsReceived, E::ClosureDecided, E::Dropped],
        ends: Ending::NextWorkingDay,
    },
    // The time the decision gives to end the situation before the closure is carried out.
    TermRule {
        term: ClosureTerm::GracePeriod,
        from: E::ClosureDecided,
        length: TermLength::Given,
        extended: None,
        suspensions: &[],
        met_by: &[E::ClosedOn, E::Dropped],
        ends: Ending::NextWorkingDay,
    },
    // The closure itself: the months decided, counted from the day the premises were closed.
    TermRule {
        term: ClosureTerm::ClosedUntil,
        from: E::ClosedOn,
        length: TermLength::Given,
        extended: Some((E::Extended, TermLength::Given)),
        suspensions: &[],
        met_by: &[E::Lifted],
        ends: Ending::OnTheDay,
    },
];

impl Procedure for Closure {
    type State = ClosureState;
    type Step = ClosureStep;
    type Fact = ClosureFact;
    type Term = ClosureTerm;

    fn initial() -> ClosureState {
        ClosureState::Reported
    }

    fn transitions() -> &'static [Transition<ClosureState, ClosureStep, ClosureFact>] {
        TRANSITIONS
    }

    fn terms() -> &'static [TermRule<ClosureTerm, ClosureStep>] {
        TERMS
    }

    fn waits() -> &'static [(ClosureStep, ClosureTerm)] {
        &[(ClosureStep::ClosedOn, ClosureTerm::GracePeriod)]
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Due, Record, StepRefused};
    use super::*;
    use time::macros::date;
    use time::Date;

    const ALL: &[ClosureFact] = ClosureFact::ALL;

    fn due(r: &Record<Closure>, term: ClosureTerm, today: Date) -> Option<Due> {
        r.terms(today)
            .into_iter()
            .find(|(t, _)| *t == term)
            .map(|(_, d)| d)
    }

    #[test]
    fn every_move_not_listed_is_refused() {
        super::super::every_move_not_listed_is_refused::<Closure>();
    }

    #[test]
    fn a_closure_runs_for_the_months_decided_and_its_extension() {
        let mut r = Record::<Closure>::default();
        r.record(E::ReportReceived, date!(2025 - 01 - 08), ALL)
            .unwrap();
        r.record(E::IntentionSent, date!(2025 - 01 - 10), ALL)
            .unwrap();
        // Zienswijze: two weeks, Friday 24 January.
        assert_eq!(
            due(&r, ClosureTerm::ViewsTerm, date!(2025 - 01 - 13)),
            Some(Due::On(date!(2025 - 01 - 24)))
        );
        // Deciding needs care discussed and the proportionality, and the grace period.
        assert!(matches!(
            r.record(E::ClosureDecided, date!(2025 - 01 - 27), &[F::Premises, F::Drugs, F::Ground]),
            Err(StepRefused::MissingFacts { missing, .. })
                if missing == vec![F::CareDiscussed, F::Motivation]
        ));
        assert_eq!(
            r.record(E::ClosureDecided, date!(2025 - 01 - 27), ALL),
            Err(StepRefused::MissingLength {
                step: E::ClosureDecided
            })
        );
        r.record_given(
            E::ClosureDecided,
            (date!(2025 - 01 - 27), Some(Length::Days(5))),
            ALL,
        )
        .unwrap();
        // Five days: Saturday 1 February, so Monday 3 February.
        assert_eq!(
            due(&r, ClosureTerm::GracePeriod, date!(2025 - 01 - 28)),
            Some(Due::On(date!(2025 - 02 - 03)))
        );
        // Not closed while the grace period runs (its last day included).
        assert_eq!(
            r.record_given(
                E::ClosedOn,
                (date!(2025 - 02 - 03), Some(Length::Months(6))),
                ALL
            ),
            Err(StepRefused::BeforeTermEnds {
                step: E::ClosedOn,
                term: "begunstigingstermijn",
                ends: date!(2025 - 02 - 03)
            })
        );
        // Closed on 31 March for 6 months: until 30 September (the day itself, a period).
        r.record_given(
            E::ClosedOn,
            (date!(2025 - 03 - 31), Some(Length::Months(6))),
            ALL,
        )
        .unwrap();
        assert_eq!(
            due(&r, ClosureTerm::GracePeriod, date!(2025 - 03 - 31)),
            Some(Due::Met {
                on: date!(2025 - 03 - 31)
            })
        );
        assert_eq!(
            due(&r, ClosureTerm::ClosedUntil, date!(2025 - 04 - 01)),
            Some(Due::On(date!(2025 - 09 - 30)))
        );
        // An extension needs its length; extended by three months: 30 December; then lifted.
        assert_eq!(
            r.record(E::Extended, date!(2025 - 09 - 01), ALL),
            Err(StepRefused::MissingLength { step: E::Extended })
        );
        r.record_given(
            E::Extended,
            (date!(2025 - 09 - 01), Some(Length::Months(3))),
            ALL,
        )
        .unwrap();
        assert_eq!(
            due(&r, ClosureTerm::ClosedUntil, date!(2025 - 09 - 02)),
            Some(Due::On(date!(2025 - 12 - 30)))
        );
        r.record(E::Lifted, date!(2025 - 12 - 30), ALL).unwrap();
        assert_eq!(r.state(), S::Lifted);
        assert!(r.next_steps().is_empty());
    }

    #[test]
    fn months_end_on_the_last_day_a_month_has() {
        assert_eq!(
            Length::Months(1).after(date!(2025 - 01 - 31)),
            date!(2025 - 02 - 28)
        );
        assert_eq!(
            Length::Months(1).after(date!(2024 - 01 - 31)),
            date!(2024 - 02 - 29)
        );
        assert_eq!(
            Length::Months(12).after(date!(2025 - 03 - 15)),
            date!(2026 - 03 - 15)
        );
        assert_eq!(
            Length::Months(3).after(date!(2025 - 11 - 30)),
            date!(2026 - 02 - 28)
        );
    }
}
