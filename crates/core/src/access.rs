//! Who may do what. The store turns these decisions into its queries; handlers never filter.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

use crate::model::Classification;

/// The roles of DESIGN.md §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Analist,
    BibobCoordinator,
    CasustafelLid,
    Voorzitter,
    Toezichthouder,
    Partner,
    Lezer,
    Beheerder,
    /// Reads the audit trail (privacy officer, information security); no content.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Analist,
        Role::BibobCoordinator,
        Role::CasustafelLid,
        Role::Voorzitter,
        Role::Toezichthouder,
        Role::Partner,
        Role::Lezer,
        Role::Beheerder,
        Role::Auditor,
    ];

    /// The stable machine name (stored, in the API and on the command line).
    pub fn slug(self) -> &'static str {
        match self {
            Role::Analist => "analist",
            Role::BibobCoordinator => "bibob-coordinator",
            Role::CasustafelLid => "casustafel-lid",
            Role::Voorzitter => "voorzitter",
            Role::Toezichthouder => "toezichthouder",
            Role::Partner => "partner",
            Role::Lezer => "lezer",
            Role::Beheerder => "beheerder",
            Role::Auditor => "auditor",
        }
    }

    /// Whether the role works with the organisation's content (signals, cases, activities,
    /// commitments) at all: every role but the beheerder's and the auditor's.
    pub fn works_with_content(self) -> bool {
        !matches!(self, Role::Beheerder | Role::Auditor)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{0}'")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_lowercase().replace('ö', "o");
        Role::ALL
            .into_iter()
            .find(|r| r.slug() == norm)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSet(BTreeSet<Role>);

impl RoleSet {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        Self(roles.into_iter().collect())
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Comma-separated slugs, the stored form.
    pub fn to_slugs(&self) -> String {
        self.iter().map(Role::slug).collect::<Vec<_>>().join(",")
    }

    pub fn from_slugs(s: &str) -> Result<Self, UnknownRole> {
        s.split(',')
            .filter(|p| !p.trim().is_empty())
            .map(Role::from_str)
            .collect::<Result<BTreeSet<_>, _>>()
            .map(Self)
    }
}

/// What a caller's role does not allow, as the store refuses it. The edges say it in words
/// (in Dutch, in the presentation layer); the store and the rules only name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Denied {
    RegisterSignals,
    RegisterPublicReports,
    RecordBibob,
    AssignSignal,
    ChangeStatus,
    CorrectSignal,
    LowerClassification,
    SeeSignalsOrCounts,
    ManageCatalogue,
    ManageChecklists,
    SetLinkThresholds,
    MergeDossiers,
    JudgeLinks,
    RecordObjects,
    RecordVisits,
    OpenCase,
    ManageCase,
    PlanMeeting,
    RunMeeting,
    ChangeAction,
    OtherMinutes,
    RegisterIntervention,
    ChangeIntervention,
    EditBarrierModels,
    SeeBarrierModels,
    AssessBarriers,
    RecordActivity,
    SeeActivities,
    ManageCommitments,
    SeeCommitments,
    RecordPublishedFigures,
    Administer,
    ReadAudit,
    /// Only the privacy officer (auditor) compiles an inzage.
    AccessRequests,
    /// Only roles that handle signals ask the verwijsindex (hit/no-hit).
    Referrals,
}

impl Denied {
    /// A stable name for logs and API problem types.
    pub fn slug(self) -> &'static str {
        match self {
            Denied::RegisterSignals => "register-signals",
            Denied::RegisterPublicReports => "register-public-reports",
            Denied::RecordBibob => "record-bibob",
            Denied::AssignSignal => "assign-signal",
            Denied::ChangeStatus => "change-status",
            Denied::CorrectSignal => "correct-signal",
            Denied::LowerClassification => "lower-classification",
            Denied::SeeSignalsOrCounts => "see-signals-or-counts",
            Denied::ManageCatalogue => "manage-catalogue",
            Denied::ManageChecklists => "manage-checklists",
            Denied::SetLinkThresholds => "set-link-thresholds",
            Denied::MergeDossiers => "merge-dossiers",
            Denied::JudgeLinks => "judge-links",
            Denied::RecordObjects => "record-objects",
            Denied::RecordVisits => "record-visits",
            Denied::OpenCase => "open-case",
            Denied::ManageCase => "manage-case",
            Denied::PlanMeeting => "plan-meeting",
            Denied::RunMeeting => "run-meeting",
            Denied::ChangeAction => "change-action",
            Denied::OtherMinutes => "other-minutes",
            Denied::RegisterIntervention => "register-intervention",
            Denied::ChangeIntervention => "change-intervention",
            Denied::EditBarrierModels => "edit-barrier-models",
            Denied::SeeBarrierModels => "see-barrier-models",
            Denied::AssessBarriers => "assess-barriers",
            Denied::RecordActivity => "record-activity",
            Denied::SeeActivities => "see-activities",
            Denied::ManageCommitments => "manage-commitments",
            Denied::SeeCommitments => "see-commitments",
            Denied::RecordPublishedFigures => "record-published-figures",
            Denied::Administer => "administer",
            Denied::ReadAudit => "read-audit",
            Denied::AccessRequests => "access-requests",
            Denied::Referrals => "referrals",
        }
    }
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// The reason a caller states for opening a person's dossier, or a case they are not named on
/// (issue 18, pt 4): a case number or a few words, at least [`DossierReason::MIN_CHARS`]
/// characters. Recorded as the purpose of the read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierReason(String);

/// A stated reason that is too short to say anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonTooShort;

impl DossierReason {
    pub const MIN_CHARS: usize = 5;

    /// `None` for an empty text (no reason given), an error for one that is too short.
    pub fn parse(text: &str) -> Result<Option<Self>, ReasonTooShort> {
        let text = text.trim();
        if text.is_empty() {
            Ok(None)
        } else if text.chars().count() < Self::MIN_CHARS {
            Err(ReasonTooShort)
        } else {
            Ok(Some(Self(text.to_string())))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The reason of a read that shows the result of the reader's own change (the change
    /// itself is recorded with the case as its purpose).
    pub fn own_change() -> Self {
        Self("na eigen wijziging".into())
    }
}

/// Why the caller is looking (doelbinding). Recorded in every audit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purpose(String);

impl Purpose {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// Routine handling of signals within the caller's task.
    pub fn signal_handling() -> Self {
        Self::new("signaalbehandeling")
    }

    /// Answering a data subject's access request (AVG art. 15).
    pub fn access_request() -> Self {
        Self::new("inzageverzoek")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The identity, organisation, roles, purpose and origin of whoever asks the store anything.
/// Made only by [`Caller::for_user`], from a stored user: its fields cannot be set by hand, so
/// a caller always carries the roles and organisation the store holds for that user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    user: Uuid,
    org: Uuid,
    roles: RoleSet,
    purpose: Purpose,
    /// Where the request came from (network address, or "cli"); BIO2 8.15 "oorsprong".
    origin: String,
}

/// Which individual signals a caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalScope {
    /// No individual signals (lezer, beheerder, casustafel-lid outside cases).
    Nothing,
    /// Only the signals this user registered (toezichthouder in the field).
    OwnRegistrations,
    /// The organisation's own signals plus what sharing agreements let flow to it.
    /// Bibob-classified signals only with `bibob`.
    OrganisationAndShared { bibob: bool },
}

impl Caller {
    /// The caller for a stored user, asking for `purpose`, from `origin` (a network address,
    /// "cli", "meldformulier").
    pub fn for_user(
        user: &crate::model::User,
        purpose: Purpose,
        origin: impl Into<String>,
    ) -> Self {
        Self {
            user: user.id,
            org: user.org,
            roles: user.roles.clone(),
            purpose,
            origin: origin.into(),
        }
    }

    /// The caller for a stored user handling signals, the everyday purpose of a session or token.
    pub fn for_user_handling_signals(user: &crate::model::User, origin: impl Into<String>) -> Self {
        Self::for_user(user, Purpose::signal_handling(), origin)
    }

    /// The same caller asking for another purpose.
    pub fn with_purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = purpose;
        self
    }

    pub fn user(&self) -> Uuid {
        self.user
    }

    pub fn org(&self) -> Uuid {
        self.org
    }

    pub fn roles(&self) -> &RoleSet {
        &self.roles
    }

    pub fn purpose(&self) -> &Purpose {
        &self.purpose
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.has(role)
    }

    /// The widest scope any of the caller's roles gives.
    pub fn signal_scope(&self) -> SignalScope {
        let bibob = self.has(Role::BibobCoordinator);
        if bibob || self.has(Role::Analist) || self.has(Role::Partner) {
            SignalScope::OrganisationAndShared { bibob }
        } else if self.has(Role::Toezichthouder) {
            SignalScope::OwnRegistrations
        } else {
            SignalScope::Nothing
        }
    }

    pub fn may_register_signal(&self) -> bool {
        [
            Role::Analist,
            Role::BibobCoordinator,
            Role::Toezichthouder,
            Role::Partner,
        ]
        .into_iter()
        .any(|r| self.has(r))
    }

    /// Judging whether two subjects are the same (confirm, reject, merge, split) is analysis:
    /// analysts and Bibob coordinators, never partners or the field.
    pub fn may_judge_links(&self) -> bool {
        self.has(Role::Analist) || self.has(Role::BibobCoordinator)
    }

    /// Bibob content is created only inside the Bibob compartment (Wet Bibob art. 28).
    pub fn may_classify(&self, classification: Classification) -> bool {
        classification != Classification::Bibob || self.has(Role::BibobCoordinator)
    }

    /// Triage is the undermining team's work; Bibob signals stay with the Bibob officers.
    pub fn may_change_status(&self, classification: Classification, owner_org: Uuid) -> bool {
        if owner_org != self.org {
            return false;
        }
        match classification {
            Classification::Bibob => self.has(Role::BibobCoordinator),
            _ => self.has(Role::Analist) || self.has(Role::BibobCoordinator),
        }
    }

    /// Correcting a signal after intake: whoever may triage it, and whoever registered it
    /// for their organisation (a toezichthouder or partner correcting their own report).
    pub fn may_correct_signal(
        &self,
        classification: Classification,
        owner_org: Uuid,
        created_by: Uuid,
    ) -> bool {
        self.may_change_status(classification, owner_org)
            || (owner_org == self.org
                && created_by == self.user
                && self.may_register_signal()
                && self.may_classify(classification))
    }

    /// Lowering a signal's classification loosens who may see it: only a Bibob coördinator of
    /// the organisation that owns it. Raising is open to whoever may correct it.
    pub fn may_lower_classification(&self, owner_org: Uuid) -> bool {
        owner_org == self.org && self.has(Role::BibobCoordinator)
    }

    /// The beheerder administers accounts, organisations, tokens and sharing agreements.
    pub fn may_administer(&self) -> bool {
        self.has(Role::Beheerder)
    }

    /// The audit trail is read by the beheerder and the auditor (BIO2 8.15).
    /// Compiles a data subject's inzage (AVG art. 15) from the organisation's records: the
    /// privacy officer, who holds the auditor role (issue 18, pt 7).
    pub fn may_answer_access_requests(&self) -> bool {
        self.has(Role::Auditor)
    }

    /// Asks the verwijsindex whether another organisation holds information (issue 18, pt 5):
    /// the roles that handle signals.
    pub fn may_search_referrals(&self) -> bool {
        [
            Role::Analist,
            Role::Partner,
            Role::Toezichthouder,
            Role::BibobCoordinator,
        ]
        .into_iter()
        .any(|r| self.has(r))
    }

    pub fn may_read_audit(&self) -> bool {
        self.has(Role::Beheerder) || self.has(Role::Auditor)
    }

    /// The beheerder keeps the catalogues (themes, indicators, checklists); content is not theirs.
    pub fn may_manage_catalogue(&self) -> bool {
        self.has(Role::Beheerder)
    }

    /// Lezers see aggregated figures with small counts suppressed.
    pub fn sees_only_aggregates(&self) -> bool {
        self.signal_scope() == SignalScope::Nothing && self.has(Role::Lezer)
    }

    /// Whether the caller sees counts of signals (maps, deviations, the overview's figures):
    /// whoever sees signals, and a lezer as aggregates.
    pub fn may_see_counts(&self) -> bool {
        self.signal_scope() != SignalScope::Nothing || self.sees_only_aggregates()
    }
}

/// Counts below the threshold are shown as "<threshold" in aggregates that leave the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suppression {
    pub threshold: u64,
}

impl Default for Suppression {
    fn default() -> Self {
        Self { threshold: 5 }
    }
}

impl Suppression {
    /// A count as an aggregate that leaves the team may show it: `None` below the threshold
    /// (but above zero), otherwise rounded to the nearest multiple of the threshold (halves
    /// up), so that no difference of two shown counts is an exact small number — the
    /// differencing attack of subtracting two overlapping aggregates. With periods in whole
    /// months ([`crate::signal::SignalFilter::in_whole_months`]), this is the method the
    /// pages state.
    pub fn protect(&self, count: u64) -> Option<u64> {
        let base = self.threshold.max(1);
        if count > 0 && count < base {
            None
        } else {
            Some((count + base / 2) / base * base)
        }
    }

    /// How a suppressed count is written ("<5").
    pub fn label(&self) -> String {
        format!("<{}", self.threshold)
    }

    pub fn show(&self, count: u64) -> String {
        if count > 0 && count < self.threshold {
            self.label()
        } else {
            count.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(roles: &[Role]) -> Caller {
        Caller {
            user: Uuid::nil(),
            org: Uuid::nil(),
            roles: RoleSet::new(roles.iter().copied()),
            purpose: Purpose::signal_handling(),
            origin: "test".into(),
        }
    }

    #[test]
    fn a_dossier_reason_says_something_or_nothing() {
        assert_eq!(DossierReason::parse("  "), Ok(None));
        assert_eq!(DossierReason::parse(" abc "), Err(ReasonTooShort));
        assert_eq!(
            DossierReason::parse(" zaak 2026-14 ")
                .unwrap()
                .unwrap()
                .as_str(),
            "zaak 2026-14"
        );
    }

    #[test]
    fn scopes_per_role() {
        assert_eq!(
            caller(&[Role::Partner]).signal_scope(),
            SignalScope::OrganisationAndShared { bibob: false }
        );
        assert_eq!(
            caller(&[Role::BibobCoordinator]).signal_scope(),
            SignalScope::OrganisationAndShared { bibob: true }
        );
        assert_eq!(
            caller(&[Role::Toezichthouder]).signal_scope(),
            SignalScope::OwnRegistrations
        );
        for r in [Role::Lezer, Role::Beheerder, Role::CasustafelLid] {
            assert_eq!(caller(&[r]).signal_scope(), SignalScope::Nothing);
        }
        assert!(caller(&[Role::Lezer]).sees_only_aggregates());
    }

    #[test]
    fn only_bibob_coordinators_classify_bibob() {
        assert!(!caller(&[Role::Analist]).may_classify(Classification::Bibob));
        assert!(caller(&[Role::BibobCoordinator]).may_classify(Classification::Bibob));
        assert!(caller(&[Role::Partner]).may_classify(Classification::Vertrouwelijk));
    }

    #[test]
    fn roles_parse_with_and_without_diaeresis() {
        assert_eq!(
            "bibob-coördinator".parse::<Role>().unwrap(),
            Role::BibobCoordinator
        );
        assert_eq!("Analist".parse::<Role>().unwrap(), Role::Analist);
        assert!("admin".parse::<Role>().is_err());
        let set = RoleSet::from_slugs("analist,lezer").unwrap();
        assert_eq!(RoleSet::from_slugs(&set.to_slugs()).unwrap(), set);
    }

    #[test]
    fn suppression_hides_small_counts() {
        let s = Suppression::default();
        assert_eq!(s.show(0), "0");
        assert_eq!(s.show(4), "<5");
        assert_eq!(s.show(5), "5");
    }
}
