//! The records the store traits take and return.

use baken_core::access::Suppression;
use baken_core::audit::{AuditAction, AuditOutcome, ObjectKind};
use baken_core::field::{Answer, VisitKind};
use baken_core::model::{Classification, SubjectKind, User};
use baken_core::signal::{Signal, StatusHistoryEntry};
use baken_core::status::SignalStatus;
use baken_core::RoleSet;
use baken_link::{Agreement, FieldKind};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct NewUser {
    pub org: Uuid,
    pub email: String,
    pub display_name: String,
    pub roles: RoleSet,
    pub password_hash: Option<String>,
}

/// Which audit events the viewer shows (every condition given must hold), newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub user: Option<Uuid>,
    pub action: Option<AuditAction>,
    pub object: Option<ObjectKind>,
    pub object_id: Option<String>,
    /// The first and last Dutch calendar day.
    pub from: Option<Date>,
    pub until: Option<Date>,
    /// Only events before this sequence number (the next, older page).
    pub before: Option<i64>,
}

/// An account as the beheerder's list shows it.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: baken_core::model::User,
    pub created_at: OffsetDateTime,
    /// The last successful login (from the audit trail).
    pub last_login: Option<OffsetDateTime>,
}

/// An account as the yearly access review shows it (issue 18, pt 3).
#[derive(Debug, Clone)]
pub struct ReviewedAccount {
    pub account: Account,
    /// Since when it has a second factor.
    pub second_factor_since: Option<OffsetDateTime>,
    /// Tokens not revoked.
    pub live_tokens: u64,
    pub last_token_use: Option<OffsetDateTime>,
    /// How often its roles changed in the review's period.
    pub role_changes: u64,
    /// How one signs in with it: a password, the identity provider, or not at all (accounts
    /// Baken uses itself).
    pub sign_in: baken_core::access_review::SignInRoute,
}

/// Reads of one kind by one user for one purpose, as the review of reads shows them (issue 18,
/// pt 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurposeReads {
    pub user: Option<Uuid>,
    pub action: AuditAction,
    pub purpose: String,
    pub reads: u64,
    pub last: OffsetDateTime,
}

/// A person as an inzage search finds them: one of the organisation's mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFound {
    pub mention: Uuid,
    pub original: String,
    pub details: baken_core::subject::SubjectDetails,
    /// How many of the organisation's signals name this mention's person.
    pub signals: u64,
}

/// A read of the person's dossier, for the inzage ("who looked at my data, and why").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRead {
    pub at: OffsetDateTime,
    pub user: Option<Uuid>,
    pub organisation: Option<Uuid>,
    pub purpose: String,
}

/// An intervention naming the person, as the inzage lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterventionAbout {
    pub id: Uuid,
    pub kind: baken_core::intervention::InterventionKind,
    pub title: String,
    pub opened_on: time::Date,
    pub role: String,
}

/// Everything an organisation holds about one person (issue 18, pt 7): its mentions, the
/// signals naming them, the links between them, the cases and interventions, the reads of
/// the person's dossier and the processing log's lines. Bibob content is not in it (art. 28
/// Wet Bibob: it leaves the compartment only as a disclosure of the bibob-coördinator).
#[derive(Debug, Clone)]
pub struct PersonRecord {
    pub organisation: Uuid,
    pub mentions: Vec<baken_core::model::Subject>,
    pub signals: Vec<Signal>,
    /// Scored pairs between the mentions: (left, right, probability).
    pub links: Vec<(Uuid, Uuid, f64)>,
    pub cases: Vec<baken_core::case::CaseSummary>,
    pub interventions: Vec<InterventionAbout>,
    pub reads: Vec<RecordRead>,
    pub processing: Vec<ProcessingLine>,
}

/// A line of the processing log as an inzage shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessingLine {
    pub activity: baken_core::processing::ProcessingActivity,
    pub at: OffsetDateTime,
    pub organisation: Uuid,
    pub trace_id: String,
}

/// Whether an account may log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    Active,
    Inactive,
}

/// A personal API token as its lists show it (never the token itself).
#[derive(Debug, Clone)]
pub struct TokenInfo {
    /// The SHA-256 of the token: its stable name (it reveals nothing of the token).
    pub hash: String,
    pub user: Uuid,
    pub label: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// Where a browser session stands: waiting for the second factor after the password, set
/// up only to enrol a second factor the account must have, or complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    SecondFactor,
    Enrol,
    Complete,
}

impl SessionStage {
    pub fn slug(self) -> &'static str {
        match self {
            SessionStage::SecondFactor => "second-factor",
            SessionStage::Enrol => "enrol",
            SessionStage::Complete => "complete",
        }
    }

    pub(crate) fn from_slug(slug: &str) -> Option<Self> {
        [
            SessionStage::SecondFactor,
            SessionStage::Enrol,
            SessionStage::Complete,
        ]
        .into_iter()
        .find(|s| s.slug() == slug)
    }
}

/// A browser session to store, from a login.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// The SHA-256 of the cookie's secret.
    pub id_hash: &'a str,
    pub user: Uuid,
    pub csrf: &'a str,
    /// The client's address, shown to the user in their list of sessions.
    pub client: &'a str,
    pub stage: SessionStage,
    pub now: OffsetDateTime,
    /// The absolute end, whatever the use.
    pub expires: OffsetDateTime,
}

/// A live session as a request finds it.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub user: User,
    /// The name of the user's organisation, as the page header shows it.
    pub org_name: String,
    pub csrf: String,
    /// The session's public name (its id is secret).
    pub handle: Uuid,
    pub stage: SessionStage,
    /// The authenticator secret offered while the user sets up a second factor.
    pub enrol_secret: Option<String>,
}

/// A session as its owner's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub handle: Uuid,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub client: String,
}

/// Which of a user's sessions to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndSessions {
    /// The one with this handle.
    One(Uuid),
    /// All but the one with this handle (the one the user is using).
    AllBut(Uuid),
}

/// A local account's second factor.
#[derive(Debug, Clone)]
pub struct SecondFactor {
    /// The TOTP secret, base32.
    pub secret: String,
    /// The last time step a code was accepted for.
    pub last_step: u64,
    pub enrolled_at: OffsetDateTime,
    /// Recovery codes not yet used.
    pub recovery_codes_left: u64,
}

#[derive(Debug, Clone)]
pub struct NewAgreement {
    pub name: String,
    pub parties: Vec<Uuid>,
    pub legal_basis: String,
    pub purposes: String,
    pub themes: Vec<String>,
    pub max_classification: Classification,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
    /// With a contact point: the parties may ask the verwijsindex (hit/no-hit) whether another
    /// party holds information about a subject, and learn whom to contact.
    pub referral_contact: Option<String>,
}

/// A hit in the verwijsindex: an organisation that holds information, and whom to contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub organisation: Uuid,
    pub organisation_name: String,
    pub contact: String,
}

/// A signal with its history, as the detail page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalDetail {
    pub signal: Signal,
    /// The subjects the signal names, in the order given, with their roles.
    pub subjects: Vec<baken_core::model::MentionedSubject>,
    pub relations: Vec<baken_core::model::Relation>,
    pub history: Vec<StatusHistoryEntry>,
    /// Its corrections after intake, oldest first.
    pub corrections: Vec<baken_core::signal::CorrectionEntry>,
    /// Set for reports from the public form.
    pub public_report: Option<PublicReportInfo>,
    /// Status changes this caller may make now.
    pub allowed_next: Vec<SignalStatus>,
}

/// The public form's reference and, while kept, the reporter's consented contact details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicReportInfo {
    pub reference: String,
    pub contact: Option<baken_core::public::ReporterContact>,
}

/// A count as it may be shown to the caller: exact, or suppressed below a threshold.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ShownCount {
    /// `None` when suppressed.
    pub value: Option<u64>,
    pub shown: String,
}

/// Signals counted per group (area, month, organisation) as the caller may see them: exact for
/// roles that see signals, suppressed below the threshold for lezers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignalCounts {
    pub aggregated: bool,
    pub total: ShownCount,
    /// Only groups with at least one signal, ordered by key.
    pub groups: Vec<(String, ShownCount)>,
}

impl SignalCounts {
    /// The count of one group (zero when the group has no signals).
    pub fn of(&self, key: &str) -> ShownCount {
        self.groups
            .iter()
            .find(|(k, _)| k == key)
            .map_or_else(|| ShownCount::exact(0), |(_, c)| c.clone())
    }
}

impl ShownCount {
    pub fn exact(n: u64) -> Self {
        Self {
            value: Some(n),
            shown: n.to_string(),
        }
    }

    /// Shows `n` as `suppression` allows when `aggregated`: below the threshold hidden, else
    /// rounded ([`Suppression::protect`]); exact otherwise.
    pub fn shown(n: u64, aggregated: bool, suppression: Suppression) -> Self {
        if !aggregated {
            return Self::exact(n);
        }
        match suppression.protect(n) {
            Some(rounded) => Self::exact(rounded),
            None => Self {
                value: None,
                shown: suppression.show(n),
            },
        }
    }
}

/// The caller's organisation's field objects of one kind in one area, and how many of them
/// had a visit in the year asked for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AreaObjects {
    pub area_code: String,
    pub objects: u64,
    pub visited: u64,
}

/// One field's part in a link's score.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LinkReason {
    pub field: ReasonField,
    pub left: Option<String>,
    pub right: Option<String>,
    /// How the two values agree (stored as `level` by earlier versions).
    #[serde(alias = "level")]
    pub agreement: ReasonAgreement,
    /// log2 of its Bayes factor: positive speaks for, negative against.
    pub weight: f64,
}

/// Which field a reason is about. Explanations stored by versions before 2026-12 carry the
/// field's Dutch name instead (`Text`), shown as it is until `baken link run` recomputes them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum ReasonField {
    Field(FieldKind),
    /// The whole value of a kind that links on equal values only (a plate, an IBAN, …).
    Value {
        value_of: SubjectKind,
    },
    Text(String),
}

/// How a field's two values agree; `Text` as for [`ReasonField`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum ReasonAgreement {
    Compared(Agreement),
    /// The values of a kind that links on equal values only are the same.
    Equal {
        equal: bool,
    },
    Text(String),
}

/// A strong identifier that decided a pair; `Text` as for [`ReasonField`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Verdict {
    Decided { same: bool, field: FieldKind },
    SameValue { value_of: SubjectKind },
    Text(String),
}

/// What Baken stores about why two subjects are (or may be) the same.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LinkExplanation {
    pub prior_weight: f64,
    pub reasons: Vec<LinkReason>,
    /// A strong identifier decided (the same KvK number, a different date of birth…).
    pub decided_by: Option<Verdict>,
    pub names_swapped: bool,
    /// Evidence that the two are not the same (another date of birth, KvK number…): the pair
    /// is never linked on its score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<ConflictFact>,
}

/// Two values of one discriminating field that cannot belong to one person or organisation,
/// in their comparable form (a date as `JJJJMMDD`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConflictFact {
    pub field: FieldKind,
    pub left: String,
    pub right: String,
}

/// Where a pair stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum LinkState {
    /// Above the threshold: linked by Baken.
    Automatic,
    /// Below the threshold but worth a look: waits for an analyst.
    Suggested,
    Confirmed,
    Rejected,
    /// Scored, but the two hold conflicting evidence: never linked, shown with the conflict.
    Conflicting,
}

/// A scored pair of subjects the caller may both see.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SubjectLink {
    pub left: baken_core::model::Subject,
    pub right: baken_core::model::Subject,
    /// The entity of `right` (another entity for suggestions).
    pub right_entity: Uuid,
    pub probability: f64,
    pub weight: f64,
    pub explanation: LinkExplanation,
    pub state: LinkState,
}

/// A stored judgement about two subjects.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct JudgementEntry {
    pub id: Uuid,
    pub left: baken_core::model::Subject,
    pub right: baken_core::model::Subject,
    pub confirmed: bool,
    pub reason: String,
    pub by_name: String,
    pub at: OffsetDateTime,
    pub undone_at: Option<OffsetDateTime>,
}

/// An entity a dossier's subjects are related to.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RelatedEntity {
    pub relation: baken_core::subject::RelationKind,
    /// True when the relation points from this dossier to the other entity.
    pub outgoing: bool,
    pub entity: Uuid,
    /// The other side's mention in the relation (visible to the caller, as the relation
    /// is): the number its dossier is opened by.
    pub subject: Uuid,
    pub kind: baken_core::model::SubjectKind,
    pub display: String,
    /// Since and until when the relation holds, as the signal states it.
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
}

/// Everything the caller may see about one entity ("alles wat we weten").
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Dossier {
    pub entity: Uuid,
    /// The number the caller knows this dossier by: the first of its mentions the caller may
    /// see. Different callers see different numbers, and none reveals other mentions.
    pub number: Uuid,
    pub kind: baken_core::model::SubjectKind,
    /// The visible mentions of the entity.
    pub subjects: Vec<baken_core::model::Subject>,
    pub signals: Vec<Signal>,
    /// Links between the visible mentions, with their explanation.
    pub links: Vec<SubjectLink>,
    /// Visible subjects of other entities that may be the same, for an analyst to judge.
    pub suggestions: Vec<SubjectLink>,
    pub judgements: Vec<JudgementEntry>,
    pub related: Vec<RelatedEntity>,
    /// For an address: the field visits the caller may see whose location or object's
    /// address has the same postcode and house number, newest first.
    pub visits: Vec<VisitSummary>,
    /// The cases the caller may see that hold one of the dossier's visible signals.
    pub cases: Vec<baken_core::case::CaseSummary>,
    /// The case table's decisions on those cases, oldest first.
    pub decisions: Vec<baken_core::decision::Decision>,
    /// The interventions the caller may see that concern the entity: a party taken from
    /// this dossier, or (an address) its BAG id as their object.
    pub interventions: Vec<baken_core::intervention::InterventionSummary>,
}

/// Where a relink is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelinkStage {
    /// Linking the subjects of this kind.
    Linking(baken_core::model::SubjectKind),
    Done,
}

/// Reports how far a relink is: `stage` names the kind of subject being linked.
pub trait RelinkProgress: Send + Sync {
    fn report(&self, stage: RelinkStage, done: u64, total: u64);
}

impl<F: Fn(RelinkStage, u64, u64) + Send + Sync> RelinkProgress for F {
    fn report(&self, stage: RelinkStage, done: u64, total: u64) {
        self(stage, done, total)
    }
}

/// What a full relink did, per kind of subject.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RelinkSummary {
    pub kinds: Vec<RelinkKind>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RelinkKind {
    pub kind: baken_core::model::SubjectKind,
    pub subjects: u64,
    pub candidates: u64,
    pub links: u64,
    pub entities: u64,
}

/// A signal with coordinates, for the map.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SignalPoint {
    pub id: Uuid,
    pub longitude: f64,
    pub latitude: f64,
    pub title: String,
    pub status: SignalStatus,
    pub received_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Overview {
    /// True when the caller sees aggregates only (small counts suppressed).
    pub aggregated: bool,
    pub total: ShownCount,
    pub by_status: Vec<(SignalStatus, ShownCount)>,
    pub by_theme: Vec<(String, ShownCount)>,
}

/// What an audit event records besides actor, purpose, origin and time.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub action: AuditAction,
    pub object: ObjectKind,
    pub object_id: Option<String>,
    pub result: AuditOutcome,
    /// Never personal data or secrets.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFieldObject {
    pub name: String,
    pub address: Option<String>,
    pub area_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldObject {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub address: Option<String>,
    pub area_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VisitSummary {
    pub id: Uuid,
    pub kind: VisitKind,
    pub visited_on: Date,
    pub object_name: Option<String>,
    pub location: Option<String>,
    pub area_code: Option<String>,
    pub by_name: String,
    pub findings: u64,
    pub findings_as_signals: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitFinding {
    pub position: u32,
    pub text: String,
    pub signal: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitDetail {
    pub summary: VisitSummary,
    pub answers: Vec<(String, Option<Answer>)>,
    pub notes: Option<String>,
    pub findings: Vec<VisitFinding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    pub visited: u64,
    pub total: u64,
}

impl AuditRecord {
    /// A successful action.
    pub fn success(
        action: AuditAction,
        object: ObjectKind,
        object_id: Option<String>,
        detail: String,
    ) -> AuditRecord {
        AuditRecord {
            action,
            object,
            object_id,
            result: AuditOutcome::Success,
            detail,
        }
    }
}

/// Whose hash the audit chain's last event carries ([`AuditStore::head_signature`]).
///
/// [`AuditStore::head_signature`]: crate::AuditStore::head_signature
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadSignature {
    /// The chain has no events.
    NoEvents,
    /// The keyed hash of the key asked about.
    Key,
    /// The plain hash: an installation without a key, or an event from before it.
    Plain,
    /// Neither: another key's.
    OtherKey,
}

/// The outcome of checking the audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerification {
    Intact {
        events: u64,
    },
    Broken {
        seq: i64,
        reason: ChainBreak,
    },
    /// The chain is whole, but a guarded record or guard is not as the chain says.
    StateAltered(StateBreak),
}

/// A security-relevant record that the keyed chain does not account for, or a guard that
/// was removed (`engine/guarded.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateBreak {
    /// A trigger that keeps these records from being changed or deleted is gone or disabled.
    GuardRemoved { guard: &'static str },
    /// The record (by id; a token by its account) was added or changed outside Baken.
    NotAsRecorded { record: GuardedRecord, id: String },
}

/// The kinds of record whose state the audit chain seals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardedRecord {
    Account,
    ApiToken,
    Agreement,
    /// A signal's classification or sharing.
    Signal,
}

/// How the audit chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The event with this number is missing; `next` is the one that follows.
    Missing { next: i64 },
    /// The event does not point to the one before it (deleted or moved).
    NotLinked,
    /// The event's content was changed (its hash does not match).
    Altered,
    /// The chain ends at `last` while the head says `head` was written (events removed at
    /// the end).
    Truncated { last: i64, head: i64 },
    /// The chain ends before event `checkpoint`, which a checkpoint outside the database
    /// saw (events removed at the end, head and all).
    BeforeCheckpoint { checkpoint: i64 },
    /// Event `checkpoint` is not the one a checkpoint outside the database saw (the chain
    /// was rewritten from there on, or the head swapped).
    CheckpointMismatch { checkpoint: i64 },
}

/// What the audit chain is checked against from outside the database (`crate::anchor`):
/// the last event written before the chain had a key (earlier events carry plain hashes),
/// and checkpoints (sequence number and hash) taken while Baken ran.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditAnchor {
    pub legacy_until: i64,
    pub checkpoints: Vec<(i64, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanations_stored_by_earlier_versions_still_read() {
        let old = r#"{"prior_weight":-3.1,"reasons":[{"field":"achternaam","left":"vries",
            "right":"vries","level":"gelijk","weight":4.2}],"decided_by":"zelfde KvK-nummer",
            "names_swapped":false}"#;
        let e: LinkExplanation = serde_json::from_str(old).unwrap();
        assert_eq!(e.reasons[0].field, ReasonField::Text("achternaam".into()));
        assert_eq!(
            e.reasons[0].agreement,
            ReasonAgreement::Text("gelijk".into())
        );
        assert_eq!(
            e.decided_by,
            Some(Verdict::Text("zelfde KvK-nummer".into()))
        );
    }

    #[test]
    fn explanations_store_what_happened_not_words() {
        let e = LinkExplanation {
            prior_weight: -3.0,
            reasons: vec![
                LinkReason {
                    field: ReasonField::Field(FieldKind::Surname),
                    left: Some("vries".into()),
                    right: None,
                    agreement: ReasonAgreement::Compared(Agreement::Missing),
                    weight: 0.0,
                },
                LinkReason {
                    field: ReasonField::Value {
                        value_of: SubjectKind::Vehicle,
                    },
                    left: Some("12ABC3".into()),
                    right: Some("12ABC3".into()),
                    agreement: ReasonAgreement::Equal { equal: true },
                    weight: 0.0,
                },
            ],
            decided_by: Some(Verdict::Decided {
                same: false,
                field: FieldKind::DateOfBirth,
            }),
            names_swapped: false,
            conflict: Some(ConflictFact {
                field: FieldKind::DateOfBirth,
                left: "19790412".into(),
                right: "19850402".into(),
            }),
        };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""field":"surname""#), "{json}");
        assert!(json.contains(r#""agreement":"missing""#), "{json}");
        assert!(json.contains(r#""value_of":"voertuig""#), "{json}");
        assert!(
            json.contains(r#""decided_by":{"same":false,"field":"date_of_birth"}"#),
            "{json}"
        );
        let back: LinkExplanation = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
    }
}
