//! Retention that deletes (issue 18, pt 6; AVG art. 5(1)(e), reference.md §1.6): what the
//! purge does and what stops it. A signal is kept until its own "bewaren tot" day (set at
//! intake from `[intake.retention]` per classification); after that day it is deleted for
//! real, unless something followed it up (a case, an intervention, a barrier, a field finding,
//! a case that holds one of its subjects) — then it stays as long as that record needs it —
//! or a legal hold keeps it.

/// Whether a purge deletes or only counts what it would delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurgeMode {
    DryRun,
    Delete,
}

/// The retention rule a record was deleted under (kept in its tombstone and audit event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurgeRule {
    /// A signal past its "bewaren tot" day that nothing followed up.
    SignalWithoutFollowUp,
}

impl PurgeRule {
    pub fn slug(self) -> &'static str {
        match self {
            PurgeRule::SignalWithoutFollowUp => "signal-without-follow-up",
        }
    }
}

/// Why a record may not be deleted while the hold lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldGround {
    /// A bezwaar (objection) against a decision the record supports.
    Objection,
    /// A beroep (appeal) at the court.
    Appeal,
    /// A request of the data subject (inzage, correction) being handled.
    DataSubjectRequest,
}

impl HoldGround {
    pub const ALL: [HoldGround; 3] = [
        HoldGround::Objection,
        HoldGround::Appeal,
        HoldGround::DataSubjectRequest,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            HoldGround::Objection => "objection",
            HoldGround::Appeal => "appeal",
            HoldGround::DataSubjectRequest => "data-subject-request",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.slug() == slug)
    }
}

/// What a purge found and did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// Signals past their day.
    pub due: u64,
    /// Of those, kept because something followed them up.
    pub followed_up: u64,
    /// Of those, kept by a legal hold (and not followed up).
    pub held: u64,
    /// Deleted (zero in a dry run).
    pub purged: u64,
}

impl PurgeReport {
    /// What may be deleted: due, not followed up, not held.
    pub fn deletable(&self) -> u64 {
        self.due - self.followed_up - self.held
    }
}

/// Signals deleted per transaction (each with its own audit event), so a large purge neither
/// holds the audit chain long nor grows one transaction without bound.
pub const PURGE_BATCH: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grounds_round_trip_and_deletable_is_what_nothing_keeps() {
        for g in HoldGround::ALL {
            assert_eq!(HoldGround::parse(g.slug()), Some(g));
        }
        assert_eq!(HoldGround::parse("bezwaar"), None);
        let r = PurgeReport {
            due: 10,
            followed_up: 3,
            held: 2,
            purged: 0,
        };
        assert_eq!(r.deletable(), 5);
    }
}
