//! The signal life cycle: new → in triage → assessed (no action / monitor / to case /
//! to partner) → closed. Every change needs a reason; only the transitions in
//! [`ALLOWED_TRANSITIONS`] exist.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::model::slug_enum;

slug_enum!(
    SignalStatus {
        Nieuw => "nieuw";
        InTriage => "in-triage";
        GeenActie => "geen-actie";
        Monitoren => "monitoren";
        NaarCasus => "naar-casus";
        NaarPartner => "naar-partner";
        Gesloten => "gesloten";
    }
);

use SignalStatus::*;

/// Every allowed (from, to) pair. Anything else is refused.
pub const ALLOWED_TRANSITIONS: &[(SignalStatus, SignalStatus)] = &[
    (Nieuw, InTriage),
    (Nieuw, Gesloten),
    (InTriage, GeenActie),
    (InTriage, Monitoren),
    (InTriage, NaarCasus),
    (InTriage, NaarPartner),
    (GeenActie, Gesloten),
    (GeenActie, InTriage),
    (Monitoren, InTriage),
    (Monitoren, NaarCasus),
    (Monitoren, NaarPartner),
    (Monitoren, Gesloten),
    (NaarCasus, Gesloten),
    (NaarPartner, Gesloten),
    (Gesloten, InTriage),
];

impl SignalStatus {
    pub fn allowed_next(self) -> Vec<SignalStatus> {
        ALLOWED_TRANSITIONS
            .iter()
            .filter(|(from, _)| *from == self)
            .map(|(_, to)| *to)
            .collect()
    }

    pub fn may_become(self, to: SignalStatus) -> bool {
        ALLOWED_TRANSITIONS.contains(&(self, to))
    }

    /// Not yet assessed: the triage deadline runs.
    pub fn awaits_triage(self) -> bool {
        matches!(self, Nieuw | InTriage)
    }

    /// Still asks for work: neither closed nor assessed as needing no action.
    pub fn is_open(self) -> bool {
        !matches!(self, Gesloten | GeenActie)
    }

    /// The triage deadline that runs for a signal with this status and `deadline`: none once
    /// the signal has been assessed.
    pub fn triage_deadline(self, deadline: Option<time::Date>) -> Option<time::Date> {
        deadline.filter(|_| self.awaits_triage())
    }

    /// Past its triage deadline (`deadline` before `today`, a Dutch calendar day) and not yet
    /// assessed.
    pub fn is_overdue(self, deadline: Option<time::Date>, today: time::Date) -> bool {
        self.triage_deadline(deadline).is_some_and(|d| d < today)
    }

    /// The statuses for which `predicate` holds (for queries that select by it).
    pub fn all_where(predicate: impl Fn(SignalStatus) -> bool) -> Vec<SignalStatus> {
        SignalStatus::ALL
            .iter()
            .copied()
            .filter(|s| predicate(*s))
            .collect()
    }
}

/// A requested status change, parsed: the target exists and a reason was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub to: SignalStatus,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct TransitionRefused {
    pub from: SignalStatus,
    pub to: SignalStatus,
}

impl fmt::Display for TransitionRefused {
    /// For logs; users read `baken_app::wording`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transition {} -> {} not allowed", self.from, self.to)
    }
}

impl StatusChange {
    /// The most characters of a reason.
    pub const MAX_REASON: usize = 2000;

    pub fn parse(to: &str, reason: &str) -> Result<Self, crate::ValidationErrors> {
        let mut errors = crate::ValidationErrors::new();
        let to = errors.take("status", SignalStatus::parse(to));
        let reason = reason.trim();
        if reason.is_empty() {
            errors.push("reason", crate::validation::Missing::StatusReason);
        } else if reason.chars().count() > Self::MAX_REASON {
            errors.push(
                "reason",
                crate::validation::Problem::TooLong {
                    max: Self::MAX_REASON,
                },
            );
        }
        match (to, errors.is_empty()) {
            (Some(to), true) => Ok(Self {
                to,
                reason: reason.to_string(),
            }),
            _ => Err(errors),
        }
    }

    pub fn check_from(&self, from: SignalStatus) -> Result<(), TransitionRefused> {
        if from.may_become(self.to) {
            Ok(())
        } else {
            Err(TransitionRefused { from, to: self.to })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_can_be_left_except_by_invented_moves() {
        for s in SignalStatus::ALL {
            assert!(!s.allowed_next().is_empty(), "{s} is a dead end");
            assert!(!s.may_become(*s), "{s} may become itself");
        }
        assert!(!Nieuw.may_become(NaarCasus));
        assert!(InTriage.may_become(NaarCasus));
    }

    /// The store's overdue filter leaves out the open filter on this fact.
    #[test]
    fn what_awaits_triage_is_open_and_has_a_triage_deadline_until_assessed() {
        let day = time::macros::date!(2025 - 05 - 12);
        for s in SignalStatus::ALL {
            assert!(!s.awaits_triage() || s.is_open(), "{s}");
            assert_eq!(s.triage_deadline(Some(day)).is_some(), s.awaits_triage());
            assert_eq!(s.triage_deadline(None), None);
        }
    }

    #[test]
    fn a_reason_is_mandatory() {
        let err = StatusChange::parse("in-triage", "  ").unwrap_err();
        assert_eq!(
            err.for_field("reason"),
            Some(&crate::validation::Problem::Missing(
                crate::validation::Missing::StatusReason
            ))
        );
        let err = StatusChange::parse("weg", "x").unwrap_err();
        assert!(matches!(
            err.for_field("status"),
            Some(crate::validation::Problem::UnknownChoice {
                choice: crate::validation::Choice::SignalStatus,
                ..
            })
        ));
        let change = StatusChange::parse("in-triage", "oppakken").unwrap();
        assert!(change.check_from(Nieuw).is_ok());
        let refused = StatusChange::parse("naar-casus", "x")
            .unwrap()
            .check_from(Nieuw)
            .unwrap_err();
        assert_eq!(
            refused,
            TransitionRefused {
                from: Nieuw,
                to: NaarCasus
            }
        );
    }
}

#[cfg(test)]
mod predicate_tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_status_predicates_that_lists_and_pages_share() {
        assert_eq!(
            SignalStatus::all_where(SignalStatus::awaits_triage),
            vec![Nieuw, InTriage]
        );
        assert_eq!(
            SignalStatus::all_where(SignalStatus::is_open),
            vec![Nieuw, InTriage, Monitoren, NaarCasus, NaarPartner]
        );
        let today = date!(2026 - 11 - 30);
        assert!(Nieuw.is_overdue(Some(date!(2026 - 11 - 27)), today));
        assert!(!Nieuw.is_overdue(Some(today), today));
        assert!(!Nieuw.is_overdue(None, today));
        assert!(!Monitoren.is_overdue(Some(date!(2026 - 11 - 27)), today));
    }
}
