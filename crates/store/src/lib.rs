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
use baken_core::field::{NewVisit, VisitKind};
use baken_core::model::{
    Area, AreaKind, AuditEvent, OrgKind, Organisation, SharingAgreement, User,
};
use baken_core::signal::{NewSignal, Page, PageRequest, Signal, SignalFilter};
use baken_core::status::StatusChange;
use baken_core::Caller;
use baken_geo::AreaShape;
use std::sync::Arc;
use time::OffsetDateTime;
use uuid::Uuid;

pub mod anchor;
mod resharing;
pub use resharing::{Resharing, Walked};
pub mod backup;
mod caches;
pub mod credentials;
mod error;
mod followup;
mod identity;
mod opening;
mod postgres;
mod privacy;
mod records;
mod sqlite;
#[cfg(feature = "test-support")]
#[allow(clippy::panic)]
pub mod testing;
mod text;
pub use caches::VERSION_RECHECK;
pub(crate) use caches::{AreaCache, CatalogueCache};
pub use error::*;
pub use followup::*;
pub use identity::*;
pub use opening::open;
pub use privacy::*;
pub use records::*;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

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

/// Installation meta, organisations, user accounts and sharing agreements (administration, not content; audited as changes).
#[async_trait]
pub trait AdminStore: Send + Sync {
    async fn meta(&self, key: &str) -> Result<Option<String>>;
    async fn set_meta(
        &self,
        actor: &Actor,
        key: &str,
        value: &str,
        now: OffsetDateTime,
    ) -> Result<()>;
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
    /// Records a new agreement and starts giving its partners what it shares, a chunk at a
    /// time on its own task ([`Resharing`]); returns once the agreement is stored.
    async fn start_agreement(
        &self,
        actor: &Actor,
        agreement: NewAgreement,
        now: OffsetDateTime,
    ) -> Result<(SharingAgreement, Resharing)>;
    /// Records a new agreement and returns when its partners have been given what it shares.
    async fn create_agreement(
        &self,
        actor: &Actor,
        agreement: NewAgreement,
        now: OffsetDateTime,
    ) -> Result<SharingAgreement> {
        let (made, resharing) = self.start_agreement(actor, agreement, now).await?;
        resharing.finish().await?;
        Ok(made)
    }
    async fn agreements(&self) -> Result<Vec<SharingAgreement>>;
    /// Ends an agreement after `last_day` (beheerder): from the next day nothing flows under
    /// it any more. An end whose last day has come takes the partners' rows away at once,
    /// with the change; who sees what is then recomputed a chunk at a time on its own task
    /// ([`Resharing`]). Returns once the end is stored. An agreement ends once.
    async fn start_agreement_end(
        &self,
        actor: &Actor,
        agreement: Uuid,
        last_day: time::Date,
        now: OffsetDateTime,
    ) -> Result<Resharing>;
    /// Ends an agreement as [`AdminStore::start_agreement_end`] does and returns when who sees
    /// what has been recomputed.
    async fn end_agreement(
        &self,
        actor: &Actor,
        agreement: Uuid,
        last_day: time::Date,
        now: OffsetDateTime,
    ) -> Result<()> {
        self.start_agreement_end(actor, agreement, last_day, now)
            .await?
            .finish()
            .await
    }
    /// Whether who sees what is being recomputed after an agreement was made or ended (by
    /// this process or another, or left unfinished for the maintenance): until it is done,
    /// partners may see less than the agreements give, never more.
    async fn resharing_pending(&self) -> Result<bool>;
    /// Finishes the recomputations of who sees what that a stopped process left unfinished:
    /// those no process has moved on for two minutes at `now`. The server's maintenance calls
    /// it at the start and every hour.
    async fn finish_resharing(&self, now: OffsetDateTime) -> Result<()>;
    /// Every account with when it was made and last logged in (beheerder).
    async fn accounts(&self, actor: &Actor) -> Result<Vec<Account>>;
    /// The access review (beheerder; audited as a read): every account with its second
    /// factor, tokens and the changes of its roles since `since`.
    async fn access_review(
        &self,
        caller: &Caller,
        since: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<Vec<ReviewedAccount>>;
    /// Replaces an account's roles (beheerder; at least one role).
    async fn set_roles(
        &self,
        actor: &Actor,
        user: Uuid,
        roles: baken_core::RoleSet,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Deactivates (ending its sessions; its tokens stop working) or reactivates an account.
    async fn set_activation(
        &self,
        actor: &Actor,
        user: Uuid,
        activation: Activation,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Sets a temporary password the user must replace at the next login, and ends the
    /// account's sessions (beheerder).
    async fn reset_password(
        &self,
        actor: &Actor,
        user: Uuid,
        temporary_hash: &str,
        now: OffsetDateTime,
    ) -> Result<()>;
}

/// Login credentials, API tokens and browser sessions.
#[async_trait]
pub trait SessionStore: Send + Sync {
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
    /// The active account a live token belongs to; remembers the use (at most every few
    /// minutes, so that reads stay reads).
    async fn user_by_token(&self, token_hash: &str, now: OffsetDateTime) -> Result<Option<User>>;
    /// Tokens, newest first: all of them for the beheerder (or of `user`), otherwise the
    /// caller's own.
    async fn api_tokens(&self, actor: &Actor, user: Option<Uuid>) -> Result<Vec<TokenInfo>>;
    /// Revokes a token at once (the beheerder any, a user their own).
    async fn revoke_token(
        &self,
        actor: &Actor,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Stores a session after a login (and drops every expired one).
    async fn create_session(&self, session: NewSession<'_>) -> Result<()>;
    /// The session with this id if it is live: before its absolute end, used within `idle`,
    /// its account active. Remembers the use (at most once a minute).
    async fn session(
        &self,
        id_hash: &str,
        now: OffsetDateTime,
        idle: time::Duration,
    ) -> Result<Option<LiveSession>>;
    /// After the second factor: the waiting session becomes complete under a new id (so an id
    /// seen before the second factor is worth nothing) and lives until `expires`. False when
    /// there was no such session.
    async fn complete_session(
        &self,
        id_hash: &str,
        new_id_hash: &str,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> Result<bool>;
    /// Remembers the reason a session's user stated for reading `object` (a case they are not
    /// named on), for the rest of the session.
    async fn set_session_purpose(
        &self,
        id_hash: &str,
        object: &str,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// The reason stated in this session for `object`, if any.
    async fn session_purpose(&self, id_hash: &str, object: &str) -> Result<Option<String>>;
    /// Remembers (or forgets) the authenticator secret offered to a session's user.
    async fn set_enrol_secret(&self, id_hash: &str, secret: Option<&str>) -> Result<()>;
    async fn delete_session(&self, id_hash: &str) -> Result<()>;
    /// The caller's own live sessions, most recently used first.
    async fn sessions_of(
        &self,
        actor: &Actor,
        now: OffsetDateTime,
        idle: time::Duration,
    ) -> Result<Vec<SessionInfo>>;
    /// Ends some of the caller's own sessions (audited); how many ended.
    async fn end_sessions(
        &self,
        actor: &Actor,
        which: EndSessions,
        now: OffsetDateTime,
    ) -> Result<u64>;
    /// The account's second factor, if it set one up.
    async fn second_factor(&self, user: Uuid) -> Result<Option<SecondFactor>>;
    /// The caller sets up their second factor (audited): the secret, the step of the code that
    /// confirmed it, and the hashes of their recovery codes (replacing any earlier ones). Their
    /// sessions that waited for it become complete.
    async fn enrol_second_factor(
        &self,
        actor: &Actor,
        secret: &str,
        step: u64,
        recovery_hashes: &[String],
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Replaces the caller's recovery codes with new ones (audited); the caller has a second
    /// factor.
    async fn renew_recovery_codes(
        &self,
        actor: &Actor,
        recovery_hashes: &[String],
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Accepts a code's time step once: true only when it is later than any accepted before.
    async fn accept_totp_step(&self, user: Uuid, step: u64) -> Result<bool>;
    /// Uses a recovery code (by its hash) once: true when it was unused.
    async fn use_recovery_code(
        &self,
        user: Uuid,
        code_hash: &str,
        now: OffsetDateTime,
    ) -> Result<bool>;
    /// The beheerder removes an account's second factor and ends its sessions (audited); the
    /// user sets up a new one at their next login.
    async fn reset_second_factor(
        &self,
        actor: &Actor,
        user: Uuid,
        now: OffsetDateTime,
    ) -> Result<()>;
}

/// The catalogue of themes and indicators.
#[async_trait]
pub trait CatalogueStore: Send + Sync {
    /// The catalogue, shared: a change made by another process is seen within a second
    /// (`VERSION_RECHECK`).
    async fn catalogue(&self) -> Result<std::sync::Arc<Catalogue>>;
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
}

/// Areas (wijken, buurten) with their geometry, and their bases (inhabitants, businesses).
#[async_trait]
pub trait AreaStore: Send + Sync {
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
    /// The newest version of every area of `kind` with its geometry (`None` when it has none),
    /// read and parsed once per area import.
    async fn area_shapes(&self, kind: AreaKind) -> Result<AreaShapes>;
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
}

/// Signals: intake, detail, lists and triage. Every call takes the caller.
#[async_trait]
pub trait SignalStore: Send + Sync {
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
    /// The column mapping the caller's organisation saved for files from `source` (TOML).
    async fn import_mapping(&self, caller: &Caller, source: &str) -> Result<Option<String>>;
    /// Saves the column mapping for `source` for the caller's organisation (replacing it).
    async fn save_import_mapping(
        &self,
        caller: &Caller,
        source: &str,
        mapping: &str,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Which of `keys` (import keys, see [`SignalImport::add_keyed`]) the caller's
    /// organisation imported before.
    async fn known_import_keys(
        &self,
        caller: &Caller,
        keys: &[String],
    ) -> Result<std::collections::HashSet<String>>;
    /// A signal's detail; `NotFound` when it does not exist *or* the caller may not see it.
    async fn signal(&self, caller: &Caller, id: Uuid, now: OffsetDateTime) -> Result<SignalDetail>;
    async fn list_signals(
        &self,
        caller: &Caller,
        filter: &SignalFilter,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<Signal>>;
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
    /// Corrects a signal after intake (issue 17, pt 1): its text, themes, place, grading,
    /// classification and sharing, and the subjects and relations it names, for whoever
    /// [`Caller::may_correct_signal`] allows (lowering a classification only for
    /// [`Caller::may_lower_classification`]). Each changed field is kept in the signal's
    /// history (who, when, old → new); its areas, audience, counts, search entry and linking
    /// follow in the same transaction; the change is audited. Invisible signals are
    /// [`StoreError::NotFound`].
    async fn correct_signal(
        &self,
        caller: &Caller,
        id: Uuid,
        correction: baken_core::signal::SignalCorrection,
        now: OffsetDateTime,
    ) -> Result<SignalDetail>;
}

/// Counts for the picture: what the caller may count, suppressed where it must be.
#[async_trait]
pub trait CountStore: Send + Sync {
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
    /// The counts of several questions on one page (an area among the others, theme by
    /// theme) read together and audited as one read; in the order asked.
    async fn signal_counts_each(
        &self,
        caller: &Caller,
        queries: &[baken_core::picture::CountQuery],
        suppression: Suppression,
        now: OffsetDateTime,
    ) -> Result<Vec<SignalCounts>>;
    /// The visible signals with coordinates that pass `filter` (newest first, at most
    /// `limit`), for the map; audited as a read.
    async fn signal_points(
        &self,
        caller: &Caller,
        filter: &SignalFilter,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<Vec<SignalPoint>>;
}

/// Linking: the entity of a subject, thresholds, the full relink.
#[async_trait]
pub trait LinkStore: Send + Sync {
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
    /// The threshold per subject kind (the default where none was set).
    async fn link_thresholds(&self) -> Result<Vec<(baken_core::model::SubjectKind, f64)>>;
    async fn set_link_threshold(
        &self,
        caller: &Caller,
        setting: baken_link::KindThreshold,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Whether every kind's stored blocking keys are of the current version
    /// (`baken_link::block::KEY_SCHEME`); if not, a relink writes them anew.
    async fn link_keys_current(&self) -> Result<bool>;
    /// Relinks every subject: keys, value counts, model (EM), scores and entities, keeping
    /// entity ids and judgements. `progress(stage, done, total)` is called along the way.
    async fn relink(
        &self,
        actor: &Actor,
        progress: &dyn RelinkProgress,
        now: OffsetDateTime,
    ) -> Result<RelinkSummary>;
}

/// Dossiers: everything visible about an entity, and analysts' judgements about links.
#[async_trait]
pub trait DossierStore: Send + Sync {
    /// Everything the caller may see about an entity. Opening a person needs `reason` (why the
    /// caller opens it), which goes into the audit trail with the read.
    async fn dossier(
        &self,
        caller: &Caller,
        entity: Uuid,
        reason: Option<&baken_core::access::DossierReason>,
        now: OffsetDateTime,
    ) -> Result<Dossier>;
    /// The dossier as the caller may see it, addressed by one of its mentions the caller may
    /// see (`subject`), never by the entity's id, which other organisations' mentions share.
    /// For persons and organisations it holds only the caller's visible mentions that
    /// evidence the caller may see (links above the threshold, confirmations) joins to
    /// `subject`: a mention of someone else can neither bridge two of the caller's mentions
    /// nor show through the dossier's number ([`Dossier::number`]).
    async fn dossier_of(
        &self,
        caller: &Caller,
        subject: Uuid,
        reason: Option<&baken_core::access::DossierReason>,
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
    /// Records that the dossier of mention `other` is the same as that of `mention` (a
    /// confirmation between the two, both visible to the caller; dossiers are known by their
    /// mentions), for dossiers Baken did not suggest; returns the judgement's id. The field
    /// `ander` is named when `other` is unknown, invisible, in the same dossier or of
    /// another kind.
    async fn merge_dossiers(
        &self,
        caller: &Caller,
        mention: Uuid,
        other: Uuid,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// Undoes a judgement (its entities are regrouped without it).
    async fn undo_judgement(&self, caller: &Caller, id: Uuid, now: OffsetDateTime) -> Result<()>;
}

/// Field work: checklists, objects, visits and findings.
#[async_trait]
pub trait FieldStore: Send + Sync {
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
    /// A page of the visits of `kind` the caller may see, latest first (keyset).
    async fn visits(
        &self,
        caller: &Caller,
        kind: VisitKind,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<VisitSummary>>;
    /// Visits (any kind) at an area or at an object in it, newest first.
    async fn visits_in_area(
        &self,
        caller: &Caller,
        area_code: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<VisitSummary>>;
    async fn visit(&self, caller: &Caller, id: Uuid, now: OffsetDateTime) -> Result<VisitDetail>;
    /// Makes finding `position` of a visit into a signal (once) and links the two; `heading`
    /// names the kind of visit at the start of the signal's title.
    async fn finding_to_signal(
        &self,
        caller: &Caller,
        (visit, position): (Uuid, u32),
        heading: fn(baken_core::field::VisitKind) -> &'static str,
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
}

#[async_trait]
pub trait Store:
    AdminStore
    + SessionStore
    + CatalogueStore
    + AreaStore
    + SignalStore
    + CountStore
    + LinkStore
    + DossierStore
    + FieldStore
    + CaseStore
    + MeetingStore
    + InterventionStore
    + BarrierStore
    + ActivityStore
    + CommitmentStore
    + ReportStore
    + RetentionStore
    + AccessRequestStore
    + ReferralStore
    + IdentityStore
    + AuditStore
{
    fn engine(&self) -> Engine;
    /// Closes every connection and waits until they are closed (before files are removed).
    async fn close(&self);
}

/// The per-area traits, to call their methods on a [`SharedStore`].
pub mod prelude {
    pub use crate::{
        AccessRequestStore as _, ActivityStore as _, AdminStore as _, AreaStore as _,
        AuditStore as _, BarrierStore as _, CaseStore as _, CatalogueStore as _,
        CommitmentStore as _, CountStore as _, DossierStore as _, FieldStore as _,
        IdentityStore as _, InterventionStore as _, LinkStore as _, MeetingStore as _,
        ReferralStore as _, ReportStore as _, RetentionStore as _, SessionStore as _,
        SignalStore as _, Store as _,
    };
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
    /// As [`SignalImport::add`], each signal with its import key (one per signal), which the
    /// organisation can then not import again: a key imported before fails the import.
    async fn add_keyed(
        &mut self,
        signals: Vec<NewSignal>,
        keys: Vec<String>,
        now: OffsetDateTime,
    ) -> Result<()>;
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

/// Every area of a kind with its geometry, shared between the requests that draw them.
pub type AreaShapes = Arc<[(Area, Option<baken_geo::MultiPolygon<f64>>)]>;
