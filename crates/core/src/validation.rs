//! Validation errors that name the field and the problem. The problem is a type
//! ([`Problem`]); the presentation layer (`baken_app::wording`) says it in Dutch.

use crate::identifiers::IdentifierError;
use crate::status::TransitionRefused;

/// Which fixed list a choice is made from (the enums with a machine name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Choice {
    OrgKind,
    Classification,
    Sharing,
    SourceKind,
    SourceReliability,
    InformationCredibility,
    SubjectKind,
    AreaKind,
    SubjectRole,
    RelationKind,
    BaseKind,
    Measure,
    SignalStatus,
    VisitKind,
    Answer,
    CaseStatus,
    AgendaReason,
    DisclosureBasis,
    Approach,
    ActionStatus,
    LineageKind,
    BibobState,
    BibobStep,
    BibobFact,
    BibobTerm,
    ClosureState,
    ClosureStep,
    ClosureFact,
    ClosureTerm,
    SanctionState,
    SanctionStep,
    SanctionFact,
    SanctionTerm,
    ControlState,
    ControlStep,
    ControlFact,
    ControlTerm,
    ReferralState,
    ReferralStep,
    ReferralFact,
    ReferralTerm,
    LengthUnit,
    InterventionKind,
    PartyRole,
    Art28Recipient,
    BibobDecisionKind,
    BibobTrigger,
    OwnInvestigationResult,
    LbbConclusion,
    BibobOutcome,
    PremisesKind,
    ClosureGround,
    Substance,
    LegalBasis,
    PenaltyUnit,
    Branch,
    ControlTeam,
    ControlPartner,
    ControlFocus,
    ReferralRecipient,
    DrugCategory,
    MeasureKind,
    BarrierStatus,
    BarrierTemplate,
    ActivityKind,
    LinkKind,
    CommitmentKind,
    CommitmentStatus,
    CommitmentLinkKind,
    ReportChapter,
    ReportReaders,
    FigureKey,
    Dimension,
    RecordKind,
    EffectKey,
}

/// A value that must be given and was not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Missing {
    /// A signal's short title.
    Title,
    /// What was observed (a signal's description).
    Observation,
    /// What a member of the public saw or heard.
    PublicObservation,
    /// A theme or indicator's name.
    Name,
    /// A person's name.
    PersonName,
    /// An organisation's name or KvK number.
    OrganisationNameOrKvk,
    /// An address: a BAG id, or postcode and number, or street, number and place.
    Address,
    /// A vehicle's plate.
    Plate,
    Phone,
    Email,
    Iban,
    /// At least one theme.
    Theme,
    /// The reason for an assignment.
    AssignmentReason,
    /// The reason for a status change.
    StatusReason,
    /// The source of imported counts.
    CountSource,
    /// A field visit's object or a description of its location.
    ObjectOrLocation,
    /// The subject at one end of a relation.
    RelationSubject,
    /// Consent to keep a reporter's contact details.
    ContactConsent,
    /// The date of a meeting.
    MeetingDate,
    /// The other end of a period whose one end is given.
    PeriodEnd,
    /// The organisation that brings information to the table.
    DisclosingOrganisation,
    /// What was brought in (or, when it cannot be shared, what kind of information is held).
    DisclosureSummary,
    /// The sharing agreement of a disclosure under a convenant.
    Agreement,
    /// The recipients of a disclosure under art. 28 Wet Bibob.
    Art28Recipients,
    /// A decision's approach.
    Approach,
    /// What was decided.
    DecisionText,
    /// Why the approach is geschikt.
    Suitable,
    /// Why it is noodzakelijk.
    Necessary,
    /// Why it is evenwichtig.
    Balanced,
    /// Whether care was considered.
    CareConsidered,
    /// An imported row's natural key (the mapping's `key` column).
    ImportKey,
    /// Why care was or was not considered.
    CareReason,
    /// What was not chosen.
    NotChosen,
    /// What an action is.
    ActionDescription,
    /// Who carries out an action.
    ActionOwner,
    /// An action's deadline.
    DueDate,
    /// The reason to put a case on the agenda.
    AgendaRequestReason,
    /// Why cases are merged or split.
    LineageReason,
    /// The summary of a case's discussion at a meeting.
    DiscussionSummary,
    /// The voorschriften of a permit granted under conditions.
    Conditions,
    /// The step of a procedure to record.
    Step,
    /// The name of a party to an intervention.
    PartyName,
    /// Why Bibob information was disclosed.
    DisclosureReason,
    /// What shows a barrier is applied.
    Evidence,
    /// A barrier's text.
    BarrierText,
    /// The intervention or signal to tag.
    TagTarget,
    /// The day an activity was held.
    ActivityDate,
    /// The signal, intervention or visit to link (exactly one).
    LinkTarget,
    /// How many people an activity reached.
    Reached,
    /// What a commitment promises or plans.
    CommitmentText,
}

/// A value that is not of the form the field needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// A calendar date `JJJJ-MM-DD`.
    Date,
    /// An RFC 3339 date-time or a calendar date.
    DateTime,
    Latitude,
    Longitude,
    /// A phone number that starts with neither 0 nor a country code.
    PhoneStart,
    Phone,
    /// A phone number with the wrong number of digits.
    PhoneDigits,
    Email,
    Iban,
    /// An IBAN whose check digits do not match.
    IbanChecksum,
    /// A house number from 1 to 99999.
    HouseNumber,
    /// A yes/no value.
    YesNo,
    /// A whole count of 0 or more.
    WholeCount,
    /// An id as Baken gives them out (a UUID).
    Id,
    /// An amount in euro.
    Amount,
}

/// A list the form offers to choose from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Listed {
    Employee,
    FieldObject,
}

/// One coordinate axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Axis {
    Latitude,
    Longitude,
}

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Missing(Missing),
    /// Longer than `max` characters.
    TooLong {
        max: usize,
    },
    /// A date or time after today.
    InFuture,
    /// A date that must lie after today and does not.
    NotAfterToday,
    /// An end date before its start date.
    BeforeStart,
    /// A year outside `first`–`last`.
    YearOutOfRange {
        first: i32,
        last: i32,
    },
    /// Both a year and a period given.
    YearOrPeriod,
    /// A report's period longer than `max_years` years.
    PeriodTooLong {
        max_years: u32,
    },
    /// Nothing chosen from a fixed list.
    NoChoice(Choice),
    /// A value that is not on a fixed list.
    UnknownChoice {
        choice: Choice,
        given: String,
        allowed: Vec<&'static str>,
    },
    NotA {
        format: Format,
        given: String,
    },
    /// A choice that is not one of the list the form offered.
    NotInList(Listed),
    Identifier(IdentifierError),
    /// A coordinate outside the bounding box of the Netherlands (`min`–`max` degrees).
    OutsideNetherlands {
        axis: Axis,
        min: String,
        max: String,
    },
    /// One coordinate given without the other; `axis` is the missing one.
    CoordinateWithoutPartner(Axis),
    /// A theme code not in the catalogue; `known` lists the catalogue's codes when offered.
    UnknownTheme {
        given: String,
        known: Vec<String>,
    },
    UnknownIndicator {
        given: String,
    },
    /// An indicator of a theme (named `theme_name`) that is not among the chosen themes.
    IndicatorOfUnchosenTheme {
        indicator: String,
        theme_name: String,
    },
    /// An indicator filtered under another theme than its own (`theme` code).
    IndicatorOfOtherTheme {
        indicator: String,
        theme: String,
    },
    /// Only a Bibob-coördinator may classify as Bibob.
    BibobClassificationReserved,
    /// Only the owner's Bibob coördinator lowers a signal's classification.
    LoweringClassificationReserved,
    /// A BSN belongs to a person.
    BsnOnlyForPersons,
    /// A case is never Bibob: Bibob screenings stay in their compartment.
    BibobNotOnCaseTable,
    /// A step name the intervention's procedure does not know.
    UnknownStep {
        kind: crate::intervention::InterventionKind,
        given: String,
        allowed: Vec<&'static str>,
    },
    /// A step the procedure does not allow in its state.
    StepNotAllowed {
        kind: crate::intervention::InterventionKind,
        state: &'static str,
        step: &'static str,
        allowed: Vec<&'static str>,
    },
    /// A step that needs facts not yet recorded in the details.
    StepNeedsFacts {
        kind: crate::intervention::InterventionKind,
        step: &'static str,
        missing: Vec<&'static str>,
    },
    /// A step that starts a term of a length given with it, without it.
    StepNeedsLength,
    /// A length longer than the unit allows.
    LengthTooLong,
    /// A step dated before the step recorded last.
    BeforePreviousStep {
        previous: time::Date,
    },
    /// Details of another kind of intervention.
    DetailsOfOtherKind {
        kind: crate::intervention::InterventionKind,
    },
    /// A care recipient for a referral to a partner, or the other way round.
    ReferralRecipient {
        care: bool,
    },
    /// A dwangsom's maximum below the amount.
    MaximumBelowAmount,
    /// More forfeited than the maximum.
    ForfeitedAboveMaximum,
    /// A list with more lines than allowed.
    TooManyLines {
        max: usize,
    },
    /// The outcome does not fit how the screening ended.
    BibobOutcomeMismatch,
    /// An activity without a session.
    ZeroSessions,
    /// A quantity that does not start with a positive number.
    Quantity,
    /// A step that may only come after a term has run out.
    BeforeTermEnds {
        kind: crate::intervention::InterventionKind,
        step: &'static str,
        term: &'static str,
        ends: time::Date,
    },
    /// A case status change the case table does not allow.
    CaseTransition {
        from: crate::case::CaseStatus,
        to: crate::case::CaseStatus,
    },
    TooManySubjects {
        max: usize,
    },
    /// A relation names subject `number` (from 1), whose block is empty.
    SubjectNotFilledIn {
        number: usize,
    },
    /// A relation names subject `number` (from 1), which the signal does not have.
    NoSuchSubject {
        number: usize,
    },
    /// A relation from a subject to itself.
    RelationToItself,
    /// Not a place in a list this service gave out.
    Cursor,
    /// A page number, where lists are paged by cursor.
    PageByCursor,
    /// A page size outside 1–`max`.
    PageSize {
        max: u32,
    },
    /// A number of working days outside 1–`max`.
    WorkingDays {
        max: u32,
    },
    /// A catalogue code with other characters than lower-case letters, digits and hyphens.
    CatalogueCode,
    /// A house letter that is not one letter.
    HouseLetter,
    /// A house number addition of more than four letters or digits.
    HouseNumberAddition,
    /// The municipality as the level of the picture (it compares areas inside it).
    PictureLevel,
    /// A public report's theme that is not offered.
    PublicTheme,
    /// One finding of a visit is longer than `max` characters.
    FindingTooLong {
        max: usize,
    },
    /// More than `max` entries in a list.
    TooMany {
        max: usize,
    },
    /// Recipients named for information that cannot be shared.
    RecipientsOfUnshareable,
    /// "No intervention" together with an approach.
    NoInterventionWithOthers,
    /// Care chosen as approach while the decision says care was not considered.
    CareChosenNotConsidered,
    /// An action owned by an organisation and a person at once.
    OwnerTwice,
    /// A change of an action's status that is not allowed.
    ActionTransition {
        from: crate::decision::ActionStatus,
        to: crate::decision::ActionStatus,
    },
    Transition(TransitionRefused),
    /// Text already worded by the presentation layer (for checks made there).
    Worded(String),
}

impl From<IdentifierError> for Problem {
    fn from(e: IdentifierError) -> Self {
        Problem::Identifier(e)
    }
}

impl From<TransitionRefused> for Problem {
    fn from(e: TransitionRefused) -> Self {
        Problem::Transition(e)
    }
}

impl From<Missing> for Problem {
    fn from(m: Missing) -> Self {
        Problem::Missing(m)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The input field, as named in the form and in the API (camelCase).
    pub field: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    pub fn push(&mut self, field: impl Into<String>, problem: impl Into<Problem>) {
        self.0.push(FieldError {
            field: field.into(),
            problem: problem.into(),
        });
    }

    /// Adds a problem the presentation layer has already worded.
    pub fn push_worded(&mut self, field: impl Into<String>, text: impl Into<String>) {
        self.push(field, Problem::Worded(text.into()));
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn for_field(&self, field: &str) -> Option<&Problem> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.problem)
    }

    /// Records the error of a parse under `field` and returns the parsed value, if any.
    pub fn take<T, E: Into<Problem>>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.push(field, err);
                None
            }
        }
    }

    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for ValidationErrors {
    /// The fields and the kinds of problem, for logs and developers (never shown to users).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {:?}", e.field, e.problem)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}
