//! Retention that deletes (issue 18, pt 6; AVG art. 5(1)(e), reference.md §1.6): what the
//! purge does and what stops it. A signal is kept until its own "bewaren tot" day (set at
//! intake from `[intake.retention]` per classification); after that day it is deleted for
//! real, unless something followed it up (a case, an intervention, a barrier, a field finding,
//! a case that holds one of its subjects) — then it stays as long as that record needs it —
//! or a legal hold keeps it. The other kinds follow `[retention]` ([`RetentionRules`]): a
//! case some years after it was closed, a Bibob screening some years after its decision
//! (Selectielijst 2020: five), the processing log's lines, and the audit trail's content
//! (who, from where, why) — its events and hashes stay, so the chain still verifies.

use serde::Deserialize;
use time::Date;

/// How long each kind of record is kept after the day its rule counts from (`[retention]`
/// in the configuration file; signals have their own day, `[intake.retention]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRules {
    /// A case, this many years after it was closed (a reopened case counts again from its
    /// next closing).
    #[serde(default = "five_years")]
    closed_case_years: u32,
    /// A Bibob screening, this many years after its decision (or after it was withdrawn, not
    /// processed or needed no decision).
    #[serde(default = "five_years")]
    bibob_file_years: u32,
    /// A line of the processing log, this many years after the processing.
    #[serde(default = "seven_years")]
    processing_log_years: u32,
    /// The content of an audit event (who, from where, for what purpose, the detail), this
    /// many years after it; what happened to which object, when, and the hashes stay.
    #[serde(default = "seven_years")]
    audit_log_years: u32,
}

fn five_years() -> u32 {
    5
}

fn seven_years() -> u32 {
    7
}

impl Default for RetentionRules {
    fn default() -> Self {
        Self {
            closed_case_years: five_years(),
            bibob_file_years: five_years(),
            processing_log_years: seven_years(),
            audit_log_years: seven_years(),
        }
    }
}

/// A retention period outside what Baken accepts, with its key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("retention.{key}: kies 1 tot en met 30 jaar (gegeven: {given})")]
pub struct RetentionRulesError {
    pub key: &'static str,
    pub given: u32,
}

/// The kinds of record [`RetentionRules`] keeps for a number of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptFor {
    ClosedCase,
    BibobFile,
    ProcessingLog,
    AuditLog,
}

impl RetentionRules {
    /// Rules with these periods in years (checked like the configuration's).
    pub fn new(
        closed_case_years: u32,
        bibob_file_years: u32,
        processing_log_years: u32,
        audit_log_years: u32,
    ) -> Result<Self, RetentionRulesError> {
        let rules = Self {
            closed_case_years,
            bibob_file_years,
            processing_log_years,
            audit_log_years,
        };
        rules.check()?;
        Ok(rules)
    }

    pub fn check(&self) -> Result<(), RetentionRulesError> {
        for (key, given) in [
            ("closed_case_years", self.closed_case_years),
            ("bibob_file_years", self.bibob_file_years),
            ("processing_log_years", self.processing_log_years),
            ("audit_log_years", self.audit_log_years),
        ] {
            if !(1..=30).contains(&given) {
                return Err(RetentionRulesError { key, given });
            }
        }
        Ok(())
    }

    pub fn years(&self, kind: KeptFor) -> u32 {
        match kind {
            KeptFor::ClosedCase => self.closed_case_years,
            KeptFor::BibobFile => self.bibob_file_years,
            KeptFor::ProcessingLog => self.processing_log_years,
            KeptFor::AuditLog => self.audit_log_years,
        }
    }

    /// The last day whose records of `kind` are due on `today`: records whose day counted
    /// from lies before the same calendar day that many years ago (29 February: the 28th).
    pub fn due_before(&self, kind: KeptFor, today: Date) -> Date {
        let years = i32::try_from(self.years(kind)).unwrap_or(30);
        let year = today.year() - years;
        // Should the calendar fail, a day further back: fewer records due, never more.
        Date::from_calendar_date(year, today.month(), today.day())
            .or_else(|_| Date::from_calendar_date(year, today.month(), today.day() - 1))
            .unwrap_or_else(|_| today - time::Duration::days(366 * i64::from(years)))
    }
}

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
    /// A case closed longer ago than `closed_case_years`.
    ClosedCase,
    /// A Bibob screening decided longer ago than `bibob_file_years`.
    BibobFile,
    /// Lines of the processing log older than `processing_log_years`.
    ProcessingLog,
    /// The content of audit events older than `audit_log_years`.
    AuditLog,
}

impl PurgeRule {
    pub fn slug(self) -> &'static str {
        match self {
            PurgeRule::SignalWithoutFollowUp => "signal-without-follow-up",
            PurgeRule::ClosedCase => "closed-case",
            PurgeRule::BibobFile => "bibob-file",
            PurgeRule::ProcessingLog => "processing-log",
            PurgeRule::AuditLog => "audit-log",
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
    /// Cases closed longer ago than their period.
    pub cases: KindReport,
    /// Bibob screenings decided longer ago than their period.
    pub bibob_files: KindReport,
    /// Lines of the processing log past their period (deleted, or due in a dry run).
    pub processing_lines: u64,
    /// Audit events whose content is past its period (emptied, or due in a dry run).
    pub audit_events: u64,
}

/// What a purge found and did for one kind of record kept for years.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindReport {
    /// Past their period.
    pub due: u64,
    /// Of those, kept by a legal hold (or, for a Bibob file, an objection or appeal recorded
    /// after its decision).
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
    fn periods_count_whole_calendar_years_back() {
        let rules = RetentionRules::default();
        assert_eq!(
            rules.due_before(KeptFor::ClosedCase, time::macros::date!(2026 - 12 - 06)),
            time::macros::date!(2021 - 12 - 06)
        );
        assert_eq!(
            rules.due_before(KeptFor::AuditLog, time::macros::date!(2028 - 02 - 29)),
            time::macros::date!(2021 - 02 - 28)
        );
        assert_eq!(
            RetentionRules::new(5, 0, 7, 7),
            Err(RetentionRulesError {
                key: "bibob_file_years",
                given: 0
            })
        );
        let text = "closed_case_years = 2\nbibob_file_yeras = 5";
        let err = toml::from_str::<RetentionRules>(text).unwrap_err();
        assert!(err.to_string().contains("bibob_file_yeras"), "{err}");
    }

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
            ..PurgeReport::default()
        };
        assert_eq!(r.deletable(), 5);
    }
}
