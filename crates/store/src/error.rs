//! Why the store refuses or fails: `StoreError`, the input it rejects per field
//! (`Rejection`) and what already exists (`Conflict`). The edges word them (`baken_app::wording`).

use baken_core::access::Denied;
use baken_core::model::SubjectKind;
use baken_core::status::TransitionRefused;
use baken_core::ValidationErrors;

/// Why the store refused or failed. Variants name what happened; the edges say it in words
/// (the Display texts here are for logs, not for users).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist, or the caller may not know that it does.
    #[error("not found")]
    NotFound,
    /// The caller may see the record but not do this with it.
    #[error("denied: {0}")]
    Forbidden(Denied),
    /// Input that a domain parser refused, with its messages per field.
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    /// Input the store refuses for what is stored (a duplicate code, an object of another
    /// organisation, …), named per field; the edges word it.
    #[error("rejected: {0:?}")]
    Rejected(Vec<Rejection>),
    #[error("status transition refused: {} to {}", .0.from.slug(), .0.to.slug())]
    Transition(#[from] TransitionRefused),
    #[error("already exists: {0:?}")]
    Conflict(Conflict),
    /// Opening a person's dossier needs a stated reason (doelbinding).
    #[error("a reason is required")]
    ReasonRequired,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// The store could not be opened: its data directory, or the audit key in it.
    #[error("opening: {0}")]
    Opening(#[from] OpenRefused),
}

/// Why a store could not be opened, beyond the database's own answer; the edges word it.
#[derive(Debug, thiserror::Error)]
pub enum OpenRefused {
    /// The data directory does not exist and cannot be made.
    #[error("data directory {dir} cannot be created: {source}")]
    DataDirectory {
        dir: std::path::PathBuf,
        source: std::io::Error,
    },
    /// The audit key or its checkpoints in the data directory (`anchor`).
    #[error("audit anchor: {0}")]
    Anchor(#[from] crate::anchor::AnchorError),
}

/// What a database error means to whoever runs Baken, as far as they can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseFailure {
    /// No connection to the database server: refused, or the address leads nowhere.
    Unreachable(std::io::ErrorKind),
    /// No connection within the wait (the first connection's, or the pool's).
    TimedOut,
    /// The encrypted connection to the server failed.
    Tls,
    /// The database URL is not one the driver understands.
    BadUrl,
    /// The server has no database of that name.
    NoSuchDatabase,
    /// The server refused the user or the password.
    LoginRefused,
    /// The server is starting up or shutting down.
    NotReady,
    /// The server has no connections left.
    TooManyConnections,
    /// The embedded database's file cannot be opened or created.
    FileCannotOpen,
    /// The embedded database's file is not a database.
    NotADatabase,
    /// The embedded database's file is locked by another process beyond the wait.
    Busy,
    /// Anything else.
    Other,
}

/// What went wrong bringing a database's schema up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationFailure {
    /// The database has a migration this version of Baken does not know: a newer version
    /// made or updated it.
    Newer(i64),
    /// A migration the database has differs from this version's.
    Changed(i64),
    /// A migration stopped partway, earlier.
    Unfinished(i64),
    /// A migration's statements failed.
    Failed(DatabaseFailure),
}

impl DatabaseFailure {
    fn of(error: &sqlx::Error) -> Self {
        match error {
            sqlx::Error::Io(e) => DatabaseFailure::Unreachable(e.kind()),
            sqlx::Error::PoolTimedOut => DatabaseFailure::TimedOut,
            sqlx::Error::Tls(_) => DatabaseFailure::Tls,
            sqlx::Error::Configuration(_) => DatabaseFailure::BadUrl,
            sqlx::Error::Database(e) => {
                let code = e.code().unwrap_or_default();
                if e.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    // SQLite's (extended) result codes: the primary code is the low byte.
                    match code.parse::<i32>().map(|c| c & 0xff) {
                        Ok(5) => DatabaseFailure::Busy,
                        Ok(14) => DatabaseFailure::FileCannotOpen,
                        Ok(26) => DatabaseFailure::NotADatabase,
                        _ => DatabaseFailure::Other,
                    }
                } else {
                    // PostgreSQL's SQLSTATE.
                    match code.as_ref() {
                        "3D000" => DatabaseFailure::NoSuchDatabase,
                        "28P01" | "28000" => DatabaseFailure::LoginRefused,
                        "57P03" | "57P01" => DatabaseFailure::NotReady,
                        "53300" => DatabaseFailure::TooManyConnections,
                        _ => DatabaseFailure::Other,
                    }
                }
            }
            _ => DatabaseFailure::Other,
        }
    }
}

impl StoreError {
    /// What a database error means (None for errors that are not the database's).
    pub fn database_failure(&self) -> Option<DatabaseFailure> {
        match self {
            StoreError::Database(e)
            | StoreError::Migrate(
                sqlx::migrate::MigrateError::Execute(e)
                | sqlx::migrate::MigrateError::ExecuteMigration(e, _),
            ) => Some(DatabaseFailure::of(e)),
            _ => None,
        }
    }

    /// What went wrong bringing the schema up to date (None for other errors).
    pub fn migration_failure(&self) -> Option<MigrationFailure> {
        use sqlx::migrate::MigrateError;
        let StoreError::Migrate(e) = self else {
            return None;
        };
        Some(match e {
            MigrateError::VersionMissing(v) => MigrationFailure::Newer(*v),
            MigrateError::VersionMismatch(v) => MigrationFailure::Changed(*v),
            MigrateError::Dirty(v) => MigrationFailure::Unfinished(*v),
            MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _) => {
                MigrationFailure::Failed(DatabaseFailure::of(e))
            }
            _ => MigrationFailure::Failed(DatabaseFailure::Other),
        })
    }
}

/// One piece of input the store refuses, named with the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// `name`: empty.
    NameMissing,
    /// `email`: not an e-mail address.
    EmailInvalid,
    /// `roles`: none chosen.
    NoRole,
    /// `active`: a beheerder cannot deactivate their own account.
    OwnAccount,
    /// `legalBasis`: empty.
    LegalBasisMissing,
    /// `parties`: fewer than two organisations.
    TooFewParties,
    /// `themes`: none chosen.
    NoTheme,
    /// `maxClassification`: Bibob never flows under an agreement (art. 28 Wet Bibob).
    BibobNotShared,
    /// `validUntil`: before `validFrom`.
    EndsBeforeStart,
    /// `referralContact`: longer than 200 characters.
    ReferralContactTooLong,
    /// `theme`: not in the catalogue.
    UnknownTheme(String),
    /// `code`: an indicator code of another theme.
    CodeOfOtherTheme(String),
    /// `questions`: a checklist has 1 to 50 questions of at most 300 characters.
    ChecklistSize,
    /// `object`: a field object of another organisation.
    ObjectOfOtherOrganisation,
    /// `assignee`: not an active colleague in the signal's organisation.
    AssigneeOfOtherOrganisation,
    /// `reden`: a judgement needs a few words of reason.
    JudgementReasonMissing,
    /// `rechts`: the same subject twice.
    SameSubject,
    /// `rechts`: subjects of different kinds.
    DifferentKinds,
    /// `ander`: no dossier the caller may see with that number (unknown and invisible alike).
    OtherDossierUnknown,
    /// `ander`: the dossier itself.
    SameDossier,
    /// `ander`: a dossier about another kind of subject.
    OtherDossierKind {
        this: SubjectKind,
        other: SubjectKind,
    },
    /// `databaseUrl`: neither `postgres://` nor `sqlite:`.
    UnknownDatabase(String),
    /// `signals`: no signal the caller may see with that id (unknown and invisible alike).
    SignalUnknown,
    /// `member`: no active account or organisation with that id.
    MemberUnknown,
    /// `member`: an account whose roles see no case content (lezer, beheerder).
    MemberWithoutContentRole,
    /// `cases`: no case the caller may see with that id (unknown and invisible alike).
    CaseUnknown,
    /// `participants`: no active account or organisation with that id.
    ParticipantUnknown,
    /// `participants`: an account whose roles see no case content.
    ParticipantWithoutContentRole,
    /// `organisation`: an organisation that does not take part in the meeting.
    NotAtTheTable,
    /// `recipients`: an organisation that does not take part in the meeting.
    RecipientNotAtTheTable,
    /// `agreement`: unknown, not valid on the meeting's date, or the organisations are not
    /// parties to it.
    AgreementNotCovering,
    /// `case`: the case is not on this meeting's agenda (or may not be seen).
    NotOnTheAgenda,
    /// `owner`: no active account with a content role, or no organisation, with that id.
    ActionOwnerUnknown,
    /// `other`: the case itself.
    SameCase,
    /// `signals`: a signal that is not in the case (or may not be seen).
    SignalNotInCase,
    /// `subject`: no mention the caller may see with that id.
    SubjectUnknown,
    /// `decision`: a later meeting already decided on the case.
    LaterDecisionExists,
    /// `case`: no case the caller may see with that id.
    InterventionCaseUnknown,
    /// `name`: an intervention has at most `MAX_PARTIES` parties.
    TooManyParties,
    /// `dossier`: no dossier the caller may see with that id.
    PartyDossierUnknown,
    /// `exception`: art. 28 disclosures are recorded on Bibob screenings only.
    NotBibob,
    /// `template`: the organisation has this model already.
    BarrierModelInstalled,
    /// `signal`: no signal, intervention or visit the caller may see with that id (or the
    /// intervention itself).
    LinkTargetUnknown,
    /// `id`: no record of that kind the caller may see with that id.
    CommitmentLinkUnknown,
}

impl Rejection {
    /// The input field it concerns, as the forms and the API name it.
    pub fn field(&self) -> &'static str {
        match self {
            Rejection::NameMissing => "name",
            Rejection::EmailInvalid => "email",
            Rejection::NoRole => "roles",
            Rejection::OwnAccount => "active",
            Rejection::LegalBasisMissing => "legalBasis",
            Rejection::TooFewParties => "parties",
            Rejection::NoTheme => "themes",
            Rejection::BibobNotShared => "maxClassification",
            Rejection::EndsBeforeStart => "validUntil",
            Rejection::ReferralContactTooLong => "referralContact",
            Rejection::UnknownTheme(_) => "theme",
            Rejection::CodeOfOtherTheme(_) => "code",
            Rejection::ChecklistSize => "questions",
            Rejection::ObjectOfOtherOrganisation => "object",
            Rejection::AssigneeOfOtherOrganisation => "assignee",
            Rejection::JudgementReasonMissing => "reden",
            Rejection::SameSubject | Rejection::DifferentKinds => "rechts",
            Rejection::OtherDossierUnknown
            | Rejection::SameDossier
            | Rejection::OtherDossierKind { .. } => "ander",
            Rejection::UnknownDatabase(_) => "databaseUrl",
            Rejection::SignalUnknown => "signals",
            Rejection::MemberUnknown | Rejection::MemberWithoutContentRole => "member",
            Rejection::CaseUnknown => "cases",
            Rejection::ParticipantUnknown | Rejection::ParticipantWithoutContentRole => {
                "participants"
            }
            Rejection::NotAtTheTable => "organisation",
            Rejection::RecipientNotAtTheTable => "recipients",
            Rejection::AgreementNotCovering => "agreement",
            Rejection::NotOnTheAgenda => "case",
            Rejection::ActionOwnerUnknown => "owner",
            Rejection::SameCase => "other",
            Rejection::SignalNotInCase => "signals",
            Rejection::SubjectUnknown => "subject",
            Rejection::LaterDecisionExists => "decision",
            Rejection::InterventionCaseUnknown => "case",
            Rejection::TooManyParties => "name",
            Rejection::PartyDossierUnknown => "dossier",
            Rejection::NotBibob => "exception",
            Rejection::BarrierModelInstalled => "template",
            Rejection::LinkTargetUnknown => "signal",
            Rejection::CommitmentLinkUnknown => "id",
        }
    }
}

impl StoreError {
    /// One rejection as an error.
    pub fn rejected(rejection: Rejection) -> Self {
        StoreError::Rejected(vec![rejection])
    }
}

/// What already exists when the store refuses to create it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// An organisation of this name.
    OrganisationName(String),
    /// A user with this e-mail address.
    UserEmail,
    /// A signal made from this visit finding.
    FindingAlreadySignal,
    /// An end of this agreement (an agreement ends once).
    AgreementEnded,
}

impl Conflict {
    /// The input field it concerns, as the forms and the API name it.
    pub fn field(&self) -> &'static str {
        match self {
            Conflict::OrganisationName(_) => "name",
            Conflict::UserEmail => "email",
            Conflict::FindingAlreadySignal => "finding",
            Conflict::AgreementEnded => "lastDay",
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
