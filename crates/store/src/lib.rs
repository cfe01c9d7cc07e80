//! Baken's storage: one [`Store`] trait with two engines behind it, SQLite (embedded default)
//! and PostgreSQL. Both engines share one implementation of the queries (`engine.rs`,
//! compiled once per engine) and differ only in connection set-up and migrations.
//!
//! Invariants:
//! - Every content query takes the [`Caller`]; the store answers only what the caller may see
//!   (the visibility predicate is part of the SQL, never a filter afterwards).
//! - Every change and every read of a signal's detail appends an audit event in the same
//!   transaction, hash-chained (see [`baken_core::audit`]).
//! - Time comes in as a parameter; the store never reads the clock.

use async_trait::async_trait;
use baken_core::access::Suppression;
use baken_core::catalogue::Catalogue;
use baken_core::field::{Answer, NewVisit, VisitKind};
use baken_core::model::{
    Area, AreaKind, AuditEvent, Classification, OrgKind, Organisation, SharingAgreement, User,
};
use baken_core::signal::{NewSignal, Page, PageRequest, Signal, SignalFilter, StatusHistoryEntry};
use baken_core::status::{SignalStatus, StatusChange, TransitionRefused};
use baken_core::{Caller, RoleSet, ValidationErrors};
use baken_geo::{AreaIndex, AreaShape};
use std::path::Path;
use std::sync::Arc;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

mod postgres;
mod sqlite;
#[cfg(feature = "test-support")]
#[allow(clippy::panic)]
pub mod testing;
mod text;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist, or the caller may not know that it does.
    #[error("niet gevonden")]
    NotFound,
    /// The caller may see the record but not do this with it.
    #[error("niet toegestaan: {0}")]
    Forbidden(String),
    #[error("ongeldige invoer: {0}")]
    Invalid(ValidationErrors),
    #[error(transparent)]
    Transition(#[from] TransitionRefused),
    #[error("bestaat al: {0}")]
    Conflict(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migratie: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("opgeslagen gegevens zijn onleesbaar: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Who performs an administrative action: a logged-in caller, or a process such as the CLI.
#[derive(Debug, Clone)]
pub enum Actor {
    Caller(Caller),
    System { process: String },
}

impl Actor {
    pub fn cli() -> Self {
        Actor::System {
            process: "cli".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub org: Uuid,
    pub email: String,
    pub display_name: String,
    pub roles: RoleSet,
    pub password_hash: Option<String>,
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
}

/// A signal with its history, as the detail page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalDetail {
    pub signal: Signal,
    /// The subjects the signal names, in the order given, with their roles.
    pub subjects: Vec<baken_core::model::MentionedSubject>,
    pub relations: Vec<baken_core::model::Relation>,
    pub history: Vec<StatusHistoryEntry>,
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

    /// Shows `n` as `suppression` allows when `aggregated`.
    pub fn shown(n: u64, aggregated: bool, suppression: Suppression) -> Self {
        if aggregated && n > 0 && n < suppression.threshold {
            Self {
                value: None,
                shown: suppression.show(n),
            }
        } else {
            Self::exact(n)
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
    /// The field, in Dutch ("achternaam").
    pub field: String,
    pub left: Option<String>,
    pub right: Option<String>,
    /// The agreement, in Dutch ("gelijk", "bijna gelijk (…)", "verschilt", "ontbreekt").
    pub level: String,
    /// log2 of its Bayes factor: positive speaks for, negative against.
    pub weight: f64,
}

/// What Baken stores about why two subjects are (or may be) the same.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LinkExplanation {
    pub prior_weight: f64,
    pub reasons: Vec<LinkReason>,
    /// A strong identifier decided ("zelfde KvK-nummer").
    pub decided_by: Option<String>,
    pub names_swapped: bool,
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
    pub kind: baken_core::model::SubjectKind,
    pub display: String,
}

/// Everything the caller may see about one entity ("alles wat we weten").
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Dossier {
    pub entity: Uuid,
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
}

/// Reports how far a relink is: `stage` names the kind of subject being linked.
pub trait RelinkProgress: Send + Sync {
    fn report(&self, stage: &str, done: u64, total: u64);
}

impl<F: Fn(&str, u64, u64) + Send + Sync> RelinkProgress for F {
    fn report(&self, stage: &str, done: u64, total: u64) {
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
pub struct AuditRecord<'a> {
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<String>,
    /// `success`, `denied`, `not-found`, `refused`.
    pub result: &'a str,
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

#[derive(Debug, Clone, PartialEq, Eq)]
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

impl AuditRecord<'_> {
    /// A successful action.
    pub fn success<'a>(
        action: &'a str,
        object_type: &'a str,
        object_id: Option<String>,
        detail: String,
    ) -> AuditRecord<'a> {
        AuditRecord {
            action,
            object_type,
            object_id,
            result: "success",
            detail,
        }
    }
}

/// The outcome of checking the audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerification {
    Intact { events: u64 },
    Broken { seq: i64, reason: String },
}

/// The storage interface. Implemented by [`SqliteStore`] and [`PgStore`].
#[async_trait]
pub trait Store: Send + Sync {
    fn engine(&self) -> Engine;
    /// Closes every connection and waits until they are closed (before files are removed).
    async fn close(&self);

    // ---- installation
    async fn meta(&self, key: &str) -> Result<Option<String>>;
    async fn set_meta(
        &self,
        actor: &Actor,
        key: &str,
        value: &str,
        now: OffsetDateTime,
    ) -> Result<()>;

    // ---- administration (not content; audited as changes)
    async fn create_organisation(
        &self,
        actor: &Actor,
        name: &str,
        kind: OrgKind,
        now: OffsetDateTime,
    ) -> Result<Organisation>;
    async fn organisations(&self) -> Result<Vec<Organisation>>;
    async fn organisation_by_name(&self, name: &str) -> Result<Option<Organisation>>;
    async fn create_user(&self, actor: &Actor, user: NewUser, now: OffsetDateTime) -> Result<User>;
    async fn set_password(
        &self,
        actor: &Actor,
        user: Uuid,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<()>;
    async fn user_count(&self) -> Result<u64>;
    async fn user(&self, id: Uuid) -> Result<Option<User>>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    /// The stored argon2 hash for a login attempt, with the user it belongs to.
    async fn login_credentials(&self, email: &str) -> Result<Option<(User, String)>>;
    async fn create_api_token(
        &self,
        actor: &Actor,
        user: Uuid,
        token_hash: &str,
        label: &str,
        now: OffsetDateTime,
    ) -> Result<()>;
    async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>>;
    async fn create_session(
        &self,
        id_hash: &str,
        user: Uuid,
        csrf: &str,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> Result<()>;
    /// The live session's user and CSRF token.
    async fn session(&self, id_hash: &str, now: OffsetDateTime) -> Result<Option<(User, String)>>;
    async fn delete_session(&self, id_hash: &str) -> Result<()>;
    async fn create_agreement(
        &self,
        actor: &Actor,
        agreement: NewAgreement,
        now: OffsetDateTime,
    ) -> Result<SharingAgreement>;
    async fn agreements(&self) -> Result<Vec<SharingAgreement>>;
    async fn catalogue(&self) -> Result<Catalogue>;
    /// Applies a beheerder's change to the catalogue.
    async fn change_catalogue(
        &self,
        caller: &Caller,
        change: baken_core::catalogue::CatalogueChange,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Seeds the catalogue with `defaults` when it is empty; returns whether it did.
    async fn ensure_catalogue(
        &self,
        actor: &Actor,
        defaults: &Catalogue,
        now: OffsetDateTime,
    ) -> Result<bool>;
    /// Adds or replaces areas (by code and year) with their geometry, in one transaction.
    async fn upsert_areas(
        &self,
        actor: &Actor,
        areas: &[AreaShape],
        now: OffsetDateTime,
    ) -> Result<()>;
    async fn areas(&self, kind: AreaKind) -> Result<Vec<Area>>;
    /// The areas whose parent is `code` (the buurten of a wijk), newest year only.
    async fn child_areas(&self, code: &str) -> Result<Vec<Area>>;
    /// The newest version of the area with this code.
    async fn area(&self, code: &str) -> Result<Option<Area>>;
    /// The newest version of every area of `kind` with its geometry (`None` when it has none).
    async fn area_shapes(
        &self,
        kind: AreaKind,
    ) -> Result<Vec<(Area, Option<baken_geo::MultiPolygon<f64>>)>>;
    /// Adds or replaces bases (by area, kind and year) in one audited transaction.
    async fn upsert_area_bases(
        &self,
        actor: &Actor,
        bases: &[baken_core::picture::AreaBase],
        now: OffsetDateTime,
    ) -> Result<()>;
    /// The newest base of `kind` for every area that has one.
    async fn area_bases(
        &self,
        kind: baken_core::picture::BaseKind,
    ) -> Result<Vec<baken_core::picture::AreaBase>>;
    /// Records an event that is not a change of stored content (a login, an export).
    async fn record_event(
        &self,
        actor: &Actor,
        event: AuditRecord<'_>,
        now: OffsetDateTime,
    ) -> Result<()>;

    // ---- content: every call takes the caller
    async fn create_signal(
        &self,
        caller: &Caller,
        signal: NewSignal,
        now: OffsetDateTime,
    ) -> Result<Signal>;
    /// Stores a report from the public form for `intake` (the form's technical account) and
    /// returns the reference number the reporter gets.
    async fn create_public_report(
        &self,
        intake: &Caller,
        report: baken_core::public::PublicReport,
        now: OffsetDateTime,
    ) -> Result<String>;
    /// Wipes reporters' contact details whose day has come; returns how many.
    async fn purge_reporter_contacts(&self, now: OffsetDateTime) -> Result<u64>;
    /// Opens a bulk import for `caller`: everything added lands in one transaction, committed
    /// with one audit event, or not at all.
    async fn begin_import(&self, caller: &Caller) -> Result<Box<dyn SignalImport + '_>>;
    /// A signal's detail; `NotFound` when it does not exist *or* the caller may not see it.
    async fn signal(&self, caller: &Caller, id: Uuid, now: OffsetDateTime) -> Result<SignalDetail>;
    async fn list_signals(
        &self,
        caller: &Caller,
        filter: &SignalFilter,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<Signal>>;
    async fn overview(
        &self,
        caller: &Caller,
        suppression: Suppression,
        now: OffsetDateTime,
    ) -> Result<Overview>;
    /// Counts the signals the caller may count (lezers: their organisation's, suppressed)
    /// per group. Roles that see neither signals nor aggregates get `Forbidden`.
    async fn signal_counts(
        &self,
        caller: &Caller,
        query: &baken_core::picture::CountQuery,
        suppression: Suppression,
        now: OffsetDateTime,
    ) -> Result<SignalCounts>;
    /// The visible signals with coordinates that pass `filter` (newest first, at most
    /// `limit`), for the map; audited as a read.
    async fn signal_points(
        &self,
        caller: &Caller,
        filter: &SignalFilter,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<Vec<SignalPoint>>;
    /// Assigns a signal the caller may triage to a person of the owning organisation and/or a
    /// team; the history keeps who, to whom and why.
    async fn assign_signal(
        &self,
        caller: &Caller,
        id: Uuid,
        assignment: baken_core::signal::Assignment,
        now: OffsetDateTime,
    ) -> Result<SignalDetail>;
    /// Active people of the caller's organisation who can handle signals (for assignment).
    async fn assignable_users(&self, caller: &Caller) -> Result<Vec<User>>;
    /// Subjects named in signals the caller may see whose canonical form contains `text`
    /// (for type-ahead): kind and readable form, distinct, at most `limit`.
    async fn suggest_subjects(
        &self,
        caller: &Caller,
        text: &str,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<Vec<(baken_core::model::SubjectKind, String)>>;
    async fn change_signal_status(
        &self,
        caller: &Caller,
        id: Uuid,
        change: StatusChange,
        now: OffsetDateTime,
    ) -> Result<SignalDetail>;

    // ---- linking
    /// The entity of a subject the caller may see.
    async fn subject_entity(
        &self,
        caller: &Caller,
        subject: Uuid,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// The kind of an entity that has a subject the caller may see (to know whether opening
    /// it needs a stated purpose).
    async fn entity_kind(
        &self,
        caller: &Caller,
        entity: Uuid,
        now: OffsetDateTime,
    ) -> Result<baken_core::model::SubjectKind>;
    /// Everything the caller may see about an entity. Opening a person needs `reason` (why the
    /// caller opens it), which goes into the audit trail with the read.
    async fn dossier(
        &self,
        caller: &Caller,
        entity: Uuid,
        reason: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<Dossier>;
    /// Records that two visible subjects are (`confirmed`) or are not the same, and regroups
    /// their entities accordingly; returns the judgement's id.
    async fn judge_link(
        &self,
        caller: &Caller,
        left: Uuid,
        right: Uuid,
        confirmed: bool,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// Records that dossier `other` is the same as `entity` (a confirmation between a visible
    /// mention of each), for entities Baken did not suggest; returns the judgement's id. The
    /// field `ander` is named when `other` is unknown, invisible, the same or of another kind.
    async fn merge_dossiers(
        &self,
        caller: &Caller,
        entity: Uuid,
        other: Uuid,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// Undoes a judgement (its entities are regrouped without it).
    async fn undo_judgement(&self, caller: &Caller, id: Uuid, now: OffsetDateTime) -> Result<()>;
    /// The threshold per subject kind (the default where none was set).
    async fn link_thresholds(&self) -> Result<Vec<(baken_core::model::SubjectKind, f64)>>;
    async fn set_link_threshold(
        &self,
        caller: &Caller,
        kind: baken_core::model::SubjectKind,
        threshold: f64,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Relinks every subject: keys, value counts, model (EM), scores and entities, keeping
    /// entity ids and judgements. `progress(stage, done, total)` is called along the way.
    async fn relink(
        &self,
        actor: &Actor,
        progress: &dyn RelinkProgress,
        now: OffsetDateTime,
    ) -> Result<RelinkSummary>;

    // ---- field work
    /// The checklist in force for a kind of visit: the stored one, or the default.
    async fn checklist(&self, kind: VisitKind) -> Result<Vec<String>>;
    /// Replaces a checklist (beheerder only).
    async fn set_checklist(
        &self,
        caller: &Caller,
        kind: VisitKind,
        questions: Vec<String>,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Adds objects (farms, premises) whose coverage counts, owned by the caller's organisation.
    async fn add_field_objects(
        &self,
        caller: &Caller,
        kind: &str,
        objects: Vec<NewFieldObject>,
        now: OffsetDateTime,
    ) -> Result<u64>;
    async fn field_objects(&self, caller: &Caller, kind: &str) -> Result<Vec<FieldObject>>;
    async fn create_visit(
        &self,
        caller: &Caller,
        visit: NewVisit,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    async fn visits(
        &self,
        caller: &Caller,
        kind: VisitKind,
        now: OffsetDateTime,
    ) -> Result<Vec<VisitSummary>>;
    /// Visits (any kind) at an area or at an object in it, newest first.
    async fn visits_in_area(
        &self,
        caller: &Caller,
        area_code: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<VisitSummary>>;
    async fn visit(&self, caller: &Caller, id: Uuid, now: OffsetDateTime) -> Result<VisitDetail>;
    /// Makes finding `position` of a visit into a signal (once) and links the two.
    async fn finding_to_signal(
        &self,
        caller: &Caller,
        visit: Uuid,
        position: u32,
        policy: &baken_core::signal::IntakePolicy,
        now: OffsetDateTime,
    ) -> Result<Signal>;
    /// The organisation's objects of `object_kind` per area code as recorded (farms for the
    /// coverage layer, vacant buildings), with how many had any visit in `year`. Roles that see
    /// no signals get nothing.
    async fn field_objects_by_area(
        &self,
        caller: &Caller,
        object_kind: &str,
        year: i32,
    ) -> Result<Vec<AreaObjects>>;
    /// How many of the organisation's objects of the visit kind's object kind were visited in `year`.
    async fn coverage(&self, caller: &Caller, kind: VisitKind, year: i32) -> Result<Coverage>;

    // ---- audit
    async fn verify_audit_chain(&self) -> Result<AuditVerification>;
    async fn audit_events(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEvent>>;
}

/// What committing a bulk import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportCommitted {
    pub rows: u64,
    /// The imported subjects were linked in the import's own transaction.
    pub linked: bool,
}

/// An open bulk import (see [`Store::begin_import`]).
#[async_trait]
pub trait SignalImport: Send {
    /// Stores parsed signals inside the import's transaction.
    async fn add(&mut self, signals: Vec<NewSignal>, now: OffsetDateTime) -> Result<()>;
    /// Commits all added signals with one audit event naming the row count and the source.
    /// With `link`, their subjects are linked in the same transaction when the stored models
    /// can serve them; otherwise (and without `link`) each gets an entity of its own and
    /// `linked` is false, so a relink (or `baken link`) should follow.
    async fn commit(
        self: Box<Self>,
        source: &str,
        link: bool,
        now: OffsetDateTime,
    ) -> Result<ImportCommitted>;
    /// Discards everything added.
    async fn rollback(self: Box<Self>) -> Result<()>;
}

pub type SharedStore = Arc<dyn Store>;

/// The spatial index of the stored areas, rebuilt when an area import changes them (the
/// `areas_version` in `meta` tells, so several application servers stay in step).
#[derive(Default)]
pub(crate) struct AreaCache(tokio::sync::RwLock<Option<(String, Arc<AreaIndex>)>>);

/// Opens the store named by `database_url`, or the SQLite file `baken.db` in `data_dir`
/// (created on first run), and brings its schema up to date.
pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<SharedStore> {
    match database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Arc::new(PgStore::connect(url).await?))
        }
        Some(url) if url.starts_with("sqlite:") => {
            Ok(Arc::new(SqliteStore::connect_url(url).await?))
        }
        Some(other) => Err(StoreError::Invalid({
            let mut e = ValidationErrors::new();
            let scheme = other.split(':').next().unwrap_or("");
            e.push(
                "databaseUrl",
                format!("onbekend databasetype '{scheme}' (gebruik postgres://… of sqlite:…)"),
            );
            e
        })),
        None => {
            std::fs::create_dir_all(data_dir).map_err(|e| {
                StoreError::Corrupt(format!(
                    "datamap {} kan niet worden gemaakt: {e}",
                    data_dir.display()
                ))
            })?;
            Ok(Arc::new(
                SqliteStore::open_file(&data_dir.join("baken.db")).await?,
            ))
        }
    }
}
