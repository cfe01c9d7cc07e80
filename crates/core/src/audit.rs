//! The arithmetic of the audit hash chain. Each event's hash covers its sequence number, its
//! fields and the previous event's hash, so editing, deleting or reordering any stored event
//! breaks every later link.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an audit event that the hash covers, in their stored text form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainedFields<'a> {
    pub seq: i64,
    pub occurred_at: &'a str,
    pub actor_user: &'a str,
    pub actor_org: &'a str,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub result: &'a str,
    pub origin: &'a str,
    pub purpose: &'a str,
    pub detail: &'a str,
}

/// The bytes an event's hash covers: the previous hash and each field, length-prefixed so
/// that no two different events encode to the same bytes.
fn encoded(prev_hash: &str, f: &ChainedFields<'_>) -> Vec<u8> {
    let seq = f.seq.to_string();
    let mut out = Vec::new();
    for part in [
        prev_hash,
        seq.as_str(),
        f.occurred_at,
        f.actor_user,
        f.actor_org,
        f.action,
        f.object_type,
        f.object_id,
        f.result,
        f.origin,
        f.purpose,
        f.detail,
    ] {
        out.extend_from_slice(&(part.len() as u64).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out
}

/// SHA-256 over the previous hash and each field: the chain of an installation without a
/// key, and of the events written before its key was made.
pub fn chain_hash(prev_hash: &str, f: &ChainedFields<'_>) -> String {
    hex::encode(Sha256::digest(encoded(prev_hash, f)))
}

/// The secret of the audit chain: kept outside the database (a file in the data directory),
/// so that whoever can write the database cannot compute the hashes of events they delete,
/// change or add. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey([u8; 32]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

impl AuditKey {
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// HMAC-SHA256 of `bytes`, in hex.
    pub fn mac(&self, bytes: &[u8]) -> String {
        use hmac::Mac;
        match hmac::Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(mut m) => {
                m.update(bytes);
                hex::encode(m.finalize().into_bytes())
            }
            // A 32-byte key is always accepted; this arm is never taken.
            Err(_) => String::new(),
        }
    }

    /// What the database keeps to know its key by (a MAC of a fixed text): a process that
    /// opens it with another key is refused before it signs anything.
    pub fn id(&self) -> String {
        self.mac(b"baken audit key id")
    }

    /// The keyed hash (HMAC-SHA256) of an event over the same bytes as [`chain_hash`].
    pub fn chain_mac(&self, prev_hash: &str, f: &ChainedFields<'_>) -> String {
        self.mac(&encoded(prev_hash, f))
    }
}

/// The digest of a security-relevant record's state (an account's organisation and roles, an
/// API token, a sharing agreement), written into the audit event that creates or changes it:
/// since the chain is keyed, `baken audit verify` can tell a record that was changed, added or
/// swapped in the database from one the chain recorded. Parts are length-prefixed.
pub fn state_digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The `state=` entry of an audit event's detail, if it has one.
pub fn recorded_state(detail: &str) -> Option<&str> {
    detail.split(' ').find_map(|kv| kv.strip_prefix("state="))
}

/// What an event's detail keeps when its content is emptied after its retention period
/// (`retention.audit_log_years`): only the entries `baken audit verify` checks guarded records
/// against — state digests, role slugs, an agreement's themes and highest classification.
pub const KEPT_WHEN_EMPTIED: [&str; 4] = ["state=", "roles=", "themes=", "max="];

/// An event's detail as it is kept once its content is emptied.
pub fn emptied_detail(detail: &str) -> String {
    detail
        .split(' ')
        .filter(|kv| KEPT_WHEN_EMPTIED.iter().any(|key| kv.starts_with(key)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The hash event `f.seq` must carry: keyed when the chain has a key and the event comes after
/// `legacy_until` (the last event written before the key was made), plain otherwise.
pub fn event_hash(
    key: Option<&AuditKey>,
    legacy_until: i64,
    prev_hash: &str,
    f: &ChainedFields<'_>,
) -> String {
    match key {
        Some(k) if f.seq > legacy_until => k.chain_mac(prev_hash, f),
        _ => chain_hash(prev_hash, f),
    }
}

/// The seal of an event whose content was emptied after its retention period: keyed with the
/// chain's key (emptying happens after the key exists), over the event's own hash and the
/// fields it keeps, so that no one without the key can empty an event or change what an
/// emptied one keeps.
pub fn emptied_seal(key: Option<&AuditKey>, hash: &str, kept: &ChainedFields<'_>) -> String {
    let sealed = format!("emptied {hash}");
    match key {
        Some(k) => k.chain_mac(&sealed, kept),
        None => chain_hash(&sealed, kept),
    }
}

/// An enum stored by its slug in the audit trail.
macro_rules! audit_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $slug:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stored form.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $slug,)+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
audit_enum!(
    /// What an audit event records as done (stored as its slug; part of the hash chain).
    AuditAction {
        ActionCreate => "action.create";
        ActivityCreate => "activity.create";
        ActivityList => "activity.list";
        AuditRead => "audit.read";
        AccessReview => "access.review";
        AccessRequestSearch => "access-request.search";
        AccessRequestExport => "access-request.export";
        ReferralSearch => "referral.search";
        ReferralHit => "referral.hit";
        ActionList => "action.list";
        ActionStatusChange => "action.status-change";
        AgreementCreate => "agreement.create";
        AgreementEnd => "agreement.end";
        AreaBaseImport => "area-base.import";
        AreaImport => "area.import";
        BibobDisclosure => "bibob.art28-disclosure";
        BarrierAssess => "barrier.assess";
        BarrierEdit => "barrier.edit";
        BarrierModelInstall => "barrier-model.install";
        BarrierModelList => "barrier-model.list";
        BarrierModelRead => "barrier-model.read";
        BarrierTag => "barrier.tag";
        CaseAgendaRequest => "case.agenda-request";
        CaseCreate => "case.create";
        CaseList => "case.list";
        CaseMemberAdd => "case.member-add";
        CaseMerge => "case.merge";
        CaseRead => "case.read";
        CaseSignalAdd => "case.signal-add";
        CaseSplit => "case.split";
        CaseStatusChange => "case.status-change";
        CaseSubjectAdd => "case.subject-add";
        CaseSuggest => "case.suggest";
        CatalogueChange => "catalogue.change";
        CommitmentCreate => "commitment.create";
        CommitmentLink => "commitment.link";
        CommitmentList => "commitment.list";
        CommitmentStatusChange => "commitment.status-change";
        CatalogueSeed => "catalogue.seed";
        ChecklistChange => "checklist.change";
        DecisionRecord => "decision.record";
        DossierRead => "dossier.read";
        EntityResolve => "entity.resolve";
        FieldObjectImport => "field-object.import";
        InstallationSet => "installation.set";
        InterventionChange => "intervention.change";
        InterventionCreate => "intervention.create";
        InterventionDeadlines => "intervention.deadlines";
        InterventionFigures => "intervention.figures";
        InterventionList => "intervention.list";
        InterventionLink => "intervention.link";
        InterventionPartyAdd => "intervention.party-add";
        InterventionRead => "intervention.read";
        InterventionRecidive => "intervention.recidive";
        InterventionStep => "intervention.step";
        ReportRead => "report.read";
        PublishedFigureCreate => "published-figure.create";
        ImportMappingSave => "import-mapping.save";
        LinkConfirm => "link.confirm";
        LinkReject => "link.reject";
        LinkRelink => "link.relink";
        LinkThreshold => "link.threshold";
        LinkUndo => "link.undo";
        MeetingAgendaProposal => "meeting.agenda-proposal";
        MeetingCreate => "meeting.create";
        MeetingDisclosure => "meeting.disclosure";
        MeetingDiscussion => "meeting.discussion";
        MeetingList => "meeting.list";
        MeetingMinutes => "meeting.minutes";
        MeetingRead => "meeting.read";
        OrganisationCreate => "organisation.create";
        ReporterContactWipe => "reporter-contact.wipe";
        RetentionPurge => "retention.purge";
        RetentionHold => "retention.hold";
        RetentionRelease => "retention.release";
        SessionLogin => "session.login";
        SessionLogout => "session.logout";
        SessionSecondFactor => "session.second-factor";
        SessionRecoveryCode => "session.recovery-code";
        SessionEnd => "session.end";
        SessionSingleSignOn => "session.single-sign-on";
        SignalAssign => "signal.assign";
        SignalCorrect => "signal.correct";
        SignalCount => "signal.count";
        SignalCreate => "signal.create";
        SignalImport => "signal.import";
        SignalList => "signal.list";
        SignalMap => "signal.map";
        SignalRead => "signal.read";
        SignalStatusChange => "signal.status-change";
        SubjectSuggest => "subject.suggest";
        TokenCreate => "token.create";
        TokenRevoke => "token.revoke";
        UserCreate => "user.create";
        UserSetPassword => "user.set-password";
        UserSetRoles => "user.set-roles";
        UserDeactivate => "user.deactivate";
        UserReactivate => "user.reactivate";
        UserResetPassword => "user.reset-password";
        UserEnrolSecondFactor => "user.enrol-second-factor";
        UserResetSecondFactor => "user.reset-second-factor";
        UserRenewRecoveryCodes => "user.renew-recovery-codes";
        UserUnlock => "user.unlock";
        UserLinkIdentity => "user.link-identity";
        VisitCreate => "visit.create";
        VisitList => "visit.list";
        VisitRead => "visit.read";
    }
);

audit_enum!(
    /// The kind of object an audit event is about.
    ObjectKind {
        Action => "action";
        Activity => "activity";
        Area => "area";
        AuditTrail => "audit-trail";
        AreaBase => "area-base";
        Barrier => "barrier";
        BarrierModel => "barrier-model";
        Case => "case";
        Catalogue => "catalogue";
        Checklist => "checklist";
        Commitment => "commitment";
        Decision => "decision";
        Entity => "entity";
        FieldObject => "field-object";
        FieldVisit => "field-visit";
        ImportMapping => "import-mapping";
        Intervention => "intervention";
        LinkJudgement => "link-judgement";
        LinkThreshold => "link-threshold";
        Meeting => "meeting";
        Meta => "meta";
        Organisation => "organisation";
        ProcessingLog => "processing-log";
        PublicReport => "public-report";
        Report => "report";
        PublishedFigure => "published-figure";
        SharingAgreement => "sharing-agreement";
        Signal => "signal";
        Subject => "subject";
        User => "user";
    }
);

audit_enum!(
    /// How an audited attempt ended.
    AuditOutcome {
        Success => "success";
        Denied => "denied";
        NotFound => "not-found";
        Refused => "refused";
        Throttled => "throttled";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(action: &str) -> ChainedFields<'_> {
        ChainedFields {
            seq: 1,
            occurred_at: "2025-01-01T00:00:00.000000Z",
            actor_user: "u",
            actor_org: "o",
            action,
            object_type: "signal",
            object_id: "x",
            result: "success",
            origin: "cli",
            purpose: "p",
            detail: "",
        }
    }

    #[test]
    fn any_change_changes_the_hash() {
        let a = chain_hash(GENESIS_HASH, &fields("signal.read"));
        assert_eq!(a, chain_hash(GENESIS_HASH, &fields("signal.read")));
        assert_ne!(a, chain_hash(GENESIS_HASH, &fields("signal.create")));
        assert_ne!(a, chain_hash(&a, &fields("signal.read")));
        // Moving a boundary between fields is a different event.
        let mut shifted = fields("signal.read");
        shifted.object_type = "signalx";
        shifted.object_id = "";
        assert_ne!(a, chain_hash(GENESIS_HASH, &shifted));
    }
}
