//! Procedures without a statutory term but with the municipality's own agreements [D]: the
//! integrated administrative control (planned, held, reported; the report is due two weeks
//! after the control) and the referral to care or to a partner (sent, feedback received; the
//! feedback is chased after six weeks).

use super::{Ending, Length, Procedure, TermLength, TermRule, Transition};
use crate::model::slug_enum;
use serde::{Deserialize, Serialize};

slug_enum!(
    /// Where an integrated control stands.
    ControlState {
        Preparing => "in-voorbereiding";
        Planned => "gepland";
        Held => "uitgevoerd";
        Reported => "afgerond";
        Cancelled => "geannuleerd";
    }
);

slug_enum!(
    /// The dated steps of an integrated control.
    ControlStep {
        Planned => "gepland-op";
        Held => "uitgevoerd-op";
        Reported => "bevindingen-vastgelegd";
        Cancelled => "geannuleerd";
    }
);

slug_enum!(
    /// What a step of an integrated control needs to be known.
    ControlFact {
        Branch => "branche";
        Partners => "partners";
        Findings => "bevindingen";
    }
);

slug_enum!(
    /// The terms of an integrated control.
    ControlTerm {
        HoldOn => "uitvoering";
        ReportTerm => "verslagtermijn";
    }
);

/// The integrated administrative control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control;

const fn t<S, E, F>(from: S, step: E, to: S, requires: &'static [F]) -> Transition<S, E, F> {
    Transition {
        from,
        step,
        to,
        requires,
    }
}

const CONTROL: &[Transition<ControlState, ControlStep, ControlFact>] = &[
    t(
        ControlState::Preparing,
        ControlStep::Planned,
        ControlState::Planned,
        &[ControlFact::Branch],
    ),
    t(
        ControlState::Preparing,
        ControlStep::Cancelled,
        ControlState::Cancelled,
        &[],
    ),
    t(
        ControlState::Planned,
        ControlStep::Held,
        ControlState::Held,
        &[ControlFact::Branch, ControlFact::Partners],
    ),
    t(
        ControlState::Planned,
        ControlStep::Cancelled,
        ControlState::Cancelled,
        &[],
    ),
    t(
        ControlState::Held,
        ControlStep::Reported,
        ControlState::Reported,
        &[ControlFact::Findings],
    ),
];

const CONTROL_TERMS: &[TermRule<ControlTerm, ControlStep>] = &[
    // The control is due on the day it was planned for (the step's date).
    TermRule {
        term: ControlTerm::HoldOn,
        from: ControlStep::Planned,
        length: TermLength::Fixed(Length::Days(0)),
        extended: None,
        suspensions: &[],
        met_by: &[ControlStep::Held, ControlStep::Cancelled],
        ends: Ending::OnTheDay,
    },
    TermRule {
        term: ControlTerm::ReportTerm,
        from: ControlStep::Held,
        length: TermLength::Fixed(Length::Weeks(2)),
        extended: None,
        suspensions: &[],
        met_by: &[ControlStep::Reported],
        ends: Ending::NextWorkingDay,
    },
];

impl Procedure for Control {
    type State = ControlState;
    type Step = ControlStep;
    type Fact = ControlFact;
    type Term = ControlTerm;

    fn initial() -> ControlState {
        ControlState::Preparing
    }

    fn transitions() -> &'static [Transition<ControlState, ControlStep, ControlFact>] {
        CONTROL
    }

    fn terms() -> &'static [TermRule<ControlTerm, ControlStep>] {
        CONTROL_TERMS
    }
}

slug_enum!(
    /// Where a referral stands.
    ReferralState {
        Draft => "concept";
        Sent => "verstuurd";
        Answered => "teruggekoppeld";
        Closed => "afgesloten";
    }
);

slug_enum!(
    /// The dated steps of a referral.
    ReferralStep {
        Sent => "verwezen";
        FeedbackReceived => "terugkoppeling-ontvangen";
        Closed => "afgesloten";
    }
);

slug_enum!(
    /// What a step of a referral needs to be known.
    ReferralFact {
        Recipient => "ontvanger";
        Feedback => "terugkoppeling";
    }
);

slug_enum!(
    /// The terms of a referral.
    ReferralTerm {
        FeedbackTerm => "terugkoppeling";
    }
);

/// The referral to care or to a partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral;

const REFERRAL: &[Transition<ReferralState, ReferralStep, ReferralFact>] = &[
    t(
        ReferralState::Draft,
        ReferralStep::Sent,
        ReferralState::Sent,
        &[ReferralFact::Recipient],
    ),
    t(
        ReferralState::Sent,
        ReferralStep::FeedbackReceived,
        ReferralState::Answered,
        &[ReferralFact::Feedback],
    ),
    t(
        ReferralState::Sent,
        ReferralStep::Closed,
        ReferralState::Closed,
        &[],
    ),
    t(
        ReferralState::Answered,
        ReferralStep::Closed,
        ReferralState::Closed,
        &[],
    ),
];

const REFERRAL_TERMS: &[TermRule<ReferralTerm, ReferralStep>] = &[TermRule {
    term: ReferralTerm::FeedbackTerm,
    from: ReferralStep::Sent,
    length: TermLength::Fixed(Length::Weeks(6)),
    extended: None,
    suspensions: &[],
    met_by: &[ReferralStep::FeedbackReceived, ReferralStep::Closed],
    ends: Ending::NextWorkingDay,
}];

impl Procedure for Referral {
    type State = ReferralState;
    type Step = ReferralStep;
    type Fact = ReferralFact;
    type Term = ReferralTerm;

    fn initial() -> ReferralState {
        ReferralState::Draft
    }

    fn transitions() -> &'static [Transition<ReferralState, ReferralStep, ReferralFact>] {
        REFERRAL
    }

    fn terms() -> &'static [TermRule<ReferralTerm, ReferralStep>] {
        REFERRAL_TERMS
    }
}

#[cfg(test)]
mod tests {
    use super::super::{every_move_not_listed_is_refused, Due, Record, StepRefused, Urgency};
    use super::*;
    use time::macros::date;

    #[test]
    fn only_the_listed_moves_are_allowed() {
        every_move_not_listed_is_refused::<Control>();
        every_move_not_listed_is_refused::<Referral>();
    }

    #[test]
    fn a_control_is_due_on_its_day_and_its_report_two_weeks_later() {
        let mut r = Record::<Control>::default();
        assert_eq!(
            r.record(ControlStep::Planned, date!(2025 - 06 - 12), &[]),
            Err(StepRefused::MissingFacts {
                step: ControlStep::Planned,
                missing: vec![ControlFact::Branch]
            })
        );
        r.record(
            ControlStep::Planned,
            date!(2025 - 06 - 12),
            ControlFact::ALL,
        )
        .unwrap();
        let (_, due) = r.terms(date!(2025 - 06 - 13))[0];
        assert_eq!(due, Due::On(date!(2025 - 06 - 12)));
        assert_eq!(due.urgency(date!(2025 - 06 - 13), 5), Urgency::Overdue);
        r.record(ControlStep::Held, date!(2025 - 06 - 13), ControlFact::ALL)
            .unwrap();
        assert_eq!(
            r.terms(date!(2025 - 06 - 14)),
            vec![
                (
                    ControlTerm::HoldOn,
                    Due::Met {
                        on: date!(2025 - 06 - 13)
                    }
                ),
                (ControlTerm::ReportTerm, Due::On(date!(2025 - 06 - 27))),
            ]
        );
    }

    #[test]
    fn feedback_on_a_referral_is_due_after_six_weeks() {
        let mut r = Record::<Referral>::default();
        r.record(
            ReferralStep::Sent,
            date!(2025 - 11 - 14),
            &[ReferralFact::Recipient],
        )
        .unwrap();
        // 14 November + 6 weeks = Friday 26 December, Tweede Kerstdag → Monday 29 December.
        assert_eq!(
            r.terms(date!(2025 - 11 - 15)),
            vec![(ReferralTerm::FeedbackTerm, Due::On(date!(2025 - 12 - 29)))]
        );
        assert_eq!(
            r.record(ReferralStep::FeedbackReceived, date!(2025 - 12 - 01), &[]),
            Err(StepRefused::MissingFacts {
                step: ReferralStep::FeedbackReceived,
                missing: vec![ReferralFact::Feedback]
            })
        );
    }
}
