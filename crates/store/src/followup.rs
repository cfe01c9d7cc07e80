//! The storage traits of what follows the picture: the case table (meetings, cases),
//! interventions, barrier models, activities, the plan's commitments and the council report.
//! Part of [`Store`]; the invariants of the crate's root hold for each.

use super::*;

/// The case table's meetings, decisions and actions (issue 14, pts 2–4). A meeting the caller
/// may not see is `NotFound`; its agenda shows only the cases the caller may see, and of each
/// disclosure only what the reader's organisation may receive.
#[async_trait]
pub trait MeetingStore: Send + Sync {
    /// The open cases the caller may see that a meeting on `held_on` should discuss, with why:
    /// new, follow-up date reached, asked for by a member, actions past their deadline.
    async fn agenda_proposal(
        &self,
        caller: &Caller,
        held_on: time::Date,
        now: OffsetDateTime,
    ) -> Result<Vec<baken_core::meeting::AgendaProposal>>;
    /// Plans a meeting chaired by the caller for their organisation, with its agenda.
    async fn create_meeting(
        &self,
        caller: &Caller,
        meeting: baken_core::meeting::NewMeeting,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// A page of the meetings the caller may see, latest first.
    async fn meetings(
        &self,
        caller: &Caller,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<baken_core::meeting::MeetingSummary>>;
    /// A meeting as the caller may see it: who runs it sees the municipality's own file,
    /// a participant what their organisation may receive.
    async fn meeting(
        &self,
        caller: &Caller,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<baken_core::meeting::MeetingDetail>;
    /// The minutes in one version: the own file or one participating organisation's (only
    /// who runs the meeting chooses another version than their own organisation's).
    async fn minutes(
        &self,
        caller: &Caller,
        id: Uuid,
        version: baken_core::meeting::MinutesFor,
        now: OffsetDateTime,
    ) -> Result<baken_core::meeting::MeetingDetail>;
    /// Records what a participating organisation brought in on a case on the agenda.
    async fn record_disclosure(
        &self,
        caller: &Caller,
        (meeting, case): (Uuid, Uuid),
        disclosure: baken_core::meeting::NewDisclosure,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// Sets the summary of the discussion of a case on the agenda.
    async fn record_discussion(
        &self,
        caller: &Caller,
        (meeting, case): (Uuid, Uuid),
        summary: &baken_core::meeting::DiscussionSummary,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Records the decision on a case on the agenda; it supersedes the case's current
    /// decision, if any, and names it.
    async fn record_decision(
        &self,
        caller: &Caller,
        (meeting, case): (Uuid, Uuid),
        decision: baken_core::decision::NewDecision,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// Adds an action to a decision; a person who carries it out becomes a member of the
    /// case.
    async fn add_action(
        &self,
        caller: &Caller,
        decision: Uuid,
        action: baken_core::decision::NewAction,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// Marks an action done or cancelled, or opens it again.
    async fn change_action_status(
        &self,
        caller: &Caller,
        action: Uuid,
        to: baken_core::decision::ActionStatus,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// The open actions the caller or their organisation carries out, on cases they may
    /// see, by deadline.
    async fn my_actions(
        &self,
        caller: &Caller,
        now: OffsetDateTime,
    ) -> Result<Vec<baken_core::decision::Action>>;
    /// Asks for a case the caller may see to be on the next meeting's agenda.
    async fn request_agenda(
        &self,
        caller: &Caller,
        case: Uuid,
        request: &baken_core::meeting::AgendaRequest,
        now: OffsetDateTime,
    ) -> Result<()>;
}

/// Which cases a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseList {
    /// Cases still on the table.
    Open,
    /// Every case, closed ones too.
    All,
}

/// The case table's cases (issue 14). A case the caller may not see is `NotFound`, as one that
/// does not exist; reads and changes carry the case as their purpose.
#[async_trait]
pub trait CaseStore: Send + Sync {
    /// Opens a case owned by the caller and their organisation, with the given signals (each
    /// one the caller may see).
    async fn create_case(
        &self,
        caller: &Caller,
        case: baken_core::case::NewCase,
        signals: &[Uuid],
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// A page of the cases the caller may see, most recently changed first (keyset).
    async fn cases(
        &self,
        caller: &Caller,
        list: CaseList,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<baken_core::case::CaseSummary>>;
    /// A case with its members, history and the signals in it that the caller may see. A
    /// caller not named on it (`CaseDetail::names`) states a reason, recorded with the read;
    /// without one the answer is `ReasonRequired` (issue 18, pt 4).
    async fn case(
        &self,
        caller: &Caller,
        id: Uuid,
        reason: Option<&baken_core::access::DossierReason>,
        now: OffsetDateTime,
    ) -> Result<baken_core::case::CaseDetail>;
    async fn change_case_status(
        &self,
        caller: &Caller,
        id: Uuid,
        change: baken_core::case::CaseStatusChange,
        now: OffsetDateTime,
    ) -> Result<baken_core::case::CaseDetail>;
    /// Adds a signal the caller may see to a case they manage (again is a no-op).
    async fn add_case_signal(
        &self,
        caller: &Caller,
        id: Uuid,
        signal: Uuid,
        now: OffsetDateTime,
    ) -> Result<baken_core::case::CaseDetail>;
    /// Merges case `from` into case `into` (both managed by the caller): its signals, themes
    /// and members join `into`; `from` is closed. Both keep the step in their lineage.
    async fn merge_cases(
        &self,
        caller: &Caller,
        (into, from): (Uuid, Uuid),
        reason: &baken_core::case::LineageReason,
        now: OffsetDateTime,
    ) -> Result<baken_core::case::CaseDetail>;
    /// Splits the given signals of case `from` off into a new case with the same owner and
    /// members; both keep the step in their lineage. Returns the new case's id.
    async fn split_case(
        &self,
        caller: &Caller,
        from: Uuid,
        (case, signals): (baken_core::case::NewCase, &[Uuid]),
        reason: &baken_core::case::LineageReason,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// Adds the entity of a mention the caller may see (from its dossier) to a case they
    /// manage (again is a no-op).
    async fn add_case_subject(
        &self,
        caller: &Caller,
        id: Uuid,
        subject: Uuid,
        now: OffsetDateTime,
    ) -> Result<baken_core::case::CaseDetail>;
    /// Names an organisation or a person as a member (again is a no-op).
    async fn add_case_member(
        &self,
        caller: &Caller,
        id: Uuid,
        member: baken_core::case::NewMember,
        now: OffsetDateTime,
    ) -> Result<baken_core::case::CaseDetail>;
    /// Open cases the caller may see that hold a signal, also visible to the caller, about the
    /// same person, organisation, address or vehicle as `signal` (the triage suggestion).
    async fn case_suggestions(
        &self,
        caller: &Caller,
        signal: Uuid,
        now: OffsetDateTime,
    ) -> Result<Vec<baken_core::case::CaseSummary>>;
}

/// The audit trail: events that are not changes of content, and checking the chain.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Records an event that is not a change of stored content (a login, an export).
    async fn record_event(
        &self,
        actor: &Actor,
        event: AuditRecord,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Checks the chain event by event (keyed hashes after `anchor.legacy_until` when the
    /// store has the key) and against the checkpoints of `anchor`.
    async fn verify_audit_chain(&self, anchor: &AuditAnchor) -> Result<AuditVerification>;
    /// The chain's head: the last sequence number and its hash (for a checkpoint).
    async fn audit_head(&self) -> Result<(i64, String)>;
    /// The id of the key the database's events are signed with ([`AuditKey::id`]), once a
    /// process has opened it with one.
    ///
    /// [`AuditKey::id`]: baken_core::audit::AuditKey::id
    async fn audit_key_id(&self) -> Result<Option<String>>;
    /// Records `id` as the database's key unless one is recorded; returns the recorded one.
    async fn bind_audit_key(&self, id: &str) -> Result<String>;
    /// Whose hash the chain's last event carries: `key`'s, the plain one, or another key's
    /// (how a database from before its key was recorded tells which key signs it).
    async fn head_signature(
        &self,
        key: Option<&baken_core::audit::AuditKey>,
    ) -> Result<HeadSignature>;
    async fn audit_events(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEvent>>;
    /// The audit trail as the viewer shows it (beheerder, auditor): the events `query`
    /// selects, newest first, at most `limit`. The reading is itself audited.
    async fn search_audit(
        &self,
        caller: &Caller,
        query: &AuditQuery,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<Vec<AuditEvent>>;
    /// The reads of persons, cases and interventions on the Dutch days `from` to `until`,
    /// counted per user, kind and purpose, most recent first (beheerder, auditor; audited).
    async fn purpose_reads(
        &self,
        caller: &Caller,
        from: time::Date,
        until: time::Date,
        now: OffsetDateTime,
    ) -> Result<Vec<PurposeReads>>;
}

/// The whole storage interface, one per-area trait each. Implemented by [`SqliteStore`] and
/// [`PgStore`]; callers bring the area traits into scope with `use baken_store::prelude::*`.
/// The plan's commitments (issue 16, pt 1).
#[async_trait]
pub trait CommitmentStore: Send + Sync {
    /// Records a commitment of the caller's organisation (analist); it starts open.
    async fn create_commitment(
        &self,
        caller: &Caller,
        new: baken_core::commitment::NewCommitment,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// The organisation's commitments by theme, with history and visible links.
    async fn commitments(
        &self,
        caller: &Caller,
        now: OffsetDateTime,
    ) -> Result<Vec<baken_core::commitment::Commitment>>;
    /// Moves a commitment, with the reason kept in its history.
    async fn change_commitment_status(
        &self,
        caller: &Caller,
        id: Uuid,
        change: baken_core::commitment::CommitmentStatusChange,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Links a record the caller may see that shows progress.
    async fn link_commitment(
        &self,
        caller: &Caller,
        id: Uuid,
        link: baken_core::commitment::NewCommitmentLink,
        now: OffsetDateTime,
    ) -> Result<()>;
}

/// Activities: awareness sessions, trainings, campaigns, school classes (issue 15, pt 8).
#[async_trait]
pub trait ActivityStore: Send + Sync {
    /// Records an activity of the caller's organisation (analist).
    async fn record_activity(
        &self,
        caller: &Caller,
        activity: baken_core::activity::NewActivity,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// A page of the organisation's activities, latest first.
    async fn activities(
        &self,
        caller: &Caller,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<baken_core::activity::Activity>>;
}

/// Barrier models (issue 15, pt 7).
#[async_trait]
pub trait BarrierStore: Send + Sync {
    /// Installs a shipped template for the caller's organisation (beheerder; once each).
    async fn install_barrier_model(
        &self,
        caller: &Caller,
        template: baken_core::barrier::BarrierTemplate,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// The organisation's models with their coverage.
    async fn barrier_models(
        &self,
        caller: &Caller,
        now: OffsetDateTime,
    ) -> Result<Vec<baken_core::barrier::BarrierModelSummary>>;
    /// One of the organisation's models with each barrier's latest assessment.
    async fn barrier_model(
        &self,
        caller: &Caller,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<baken_core::barrier::BarrierModel>;
    /// Changes a barrier's text, owner and instrument (beheerder).
    async fn edit_barrier(
        &self,
        caller: &Caller,
        barrier: Uuid,
        edit: baken_core::barrier::BarrierEdit,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Records an assessment of a barrier (analist).
    async fn assess_barrier(
        &self,
        caller: &Caller,
        barrier: Uuid,
        assessment: baken_core::barrier::NewAssessment,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Tags an intervention or a signal the caller may see with a barrier (analist).
    async fn tag_barrier(
        &self,
        caller: &Caller,
        barrier: Uuid,
        target: baken_core::barrier::TagTarget,
        now: OffsetDateTime,
    ) -> Result<()>;
}

/// The register of interventions (issue 15).
#[async_trait]
pub trait InterventionStore: Send + Sync {
    /// Registers an intervention for the caller's organisation (Bibob only by a
    /// bibob-coördinator, never on a case).
    async fn create_intervention(
        &self,
        caller: &Caller,
        new: baken_core::intervention::NewIntervention,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// A page of the interventions the caller may see, latest opened first (keyset: as fast
    /// on the last page as on the first).
    async fn interventions(
        &self,
        caller: &Caller,
        filter: baken_core::intervention::InterventionFilter,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<baken_core::intervention::InterventionSummary>>;
    /// One intervention with its steps, terms, parties and (Bibob) disclosures.
    async fn intervention(
        &self,
        caller: &Caller,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<baken_core::intervention::InterventionDetail>;
    /// Records a step of the intervention's procedure (refused, named, when the procedure
    /// does not allow it or its facts are missing).
    async fn record_step(
        &self,
        caller: &Caller,
        id: Uuid,
        step: baken_core::intervention::NewStep,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Changes the title, object and details (the previous version is kept).
    async fn change_intervention(
        &self,
        caller: &Caller,
        id: Uuid,
        change: &baken_core::intervention::RawChange,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Adds a person or organisation with their role, by name or from a dossier.
    async fn add_party(
        &self,
        caller: &Caller,
        id: Uuid,
        party: baken_core::intervention::NewParty,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// Links what followed an intervention (a signal, an intervention) or a field visit made
    /// during it; the caller changes the intervention and sees what they link.
    async fn link_intervention(
        &self,
        caller: &Caller,
        id: Uuid,
        target: baken_core::intervention::LinkTarget,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Records a disclosure of a Bibob screening under an exception of art. 28 Wet Bibob.
    async fn disclose_bibob(
        &self,
        caller: &Caller,
        id: Uuid,
        disclosure: baken_core::intervention::NewArt28,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
    /// The earlier offences of a 13b closure (per premises and per person) within
    /// `look_back_months` before it was opened, among the closures the caller may see.
    async fn recidive(
        &self,
        caller: &Caller,
        id: Uuid,
        look_back_months: u8,
        now: OffsetDateTime,
    ) -> Result<baken_core::intervention::Recidive>;
    /// The year's figures: interventions per kind the caller may see, and the
    /// organisation's Bibob screenings by decision kind and outcome — exact inside the
    /// compartment, with small counts suppressed outside it.
    async fn intervention_figures(
        &self,
        caller: &Caller,
        year: i32,
        suppression: baken_core::access::Suppression,
        now: OffsetDateTime,
    ) -> Result<baken_core::intervention::figures::InterventionFigures>;
    /// The terms of the caller's own interventions that are overdue or due within five
    /// working days, earliest first.
    async fn deadlines(
        &self,
        caller: &Caller,
        now: OffsetDateTime,
    ) -> Result<Vec<baken_core::intervention::Deadline>>;
}

/// The council report (issue 16): every figure computed from the records the caller may
/// see, by [`baken_core::report::compute`].
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// The report for a period; audited with its period, chapters and readers. `progress` is
    /// told each stage as it starts.
    async fn report(
        &self,
        caller: &Caller,
        request: &baken_core::report::ReportRequest,
        progress: &dyn baken_core::report::ReportProgress,
        now: OffsetDateTime,
    ) -> Result<baken_core::report::Report>;
    /// Records a figure published before for the caller's organisation (analist,
    /// Bibob-coördinator), to compare the report with.
    async fn record_published_figure(
        &self,
        caller: &Caller,
        figure: baken_core::report::published::PublishedFigure,
        now: OffsetDateTime,
    ) -> Result<Uuid>;
}
