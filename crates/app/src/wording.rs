//! What the store and the rules name, said in Dutch, for both edges (the web pages and API,
//! and the command line). The store and the domain only name outcomes ([`Denied`],
//! [`Conflict`], [`ThresholdError`], …); their words live here.

use baken_core::access::{Denied, DossierReason, ReasonTooShort, Role, UnknownRole};
use baken_core::identifiers::IdentifierError;
use baken_core::signal::StatusHistoryEntry;
use baken_core::status::TransitionRefused;
use baken_core::validation::{Format, Listed, Missing, Problem};
use baken_core::ValidationErrors;
use baken_link::ThresholdError;
use baken_link::{Agreement, FieldKind};
use baken_store::{
    ChainBreak, Conflict, ConflictFact, ReasonAgreement, ReasonField, Rejection, StoreError,
    Verdict,
};

mod operator;
pub use operator::operator_error;

use crate::labels::{self, Label, ProcedureWord};
use crate::objects::{ObjectFileError, RowProblem};
use baken_core::intervention::InterventionKind;

/// Why the caller's role does not allow it.
pub fn denied(what: Denied) -> &'static str {
    match what {
        Denied::RegisterSignals => "uw rol mag geen signalen registreren",
        Denied::RegisterPublicReports => "het meldformulier-account mag geen signalen registreren",
        Denied::RecordBibob => "alleen een Bibob-coördinator mag Bibob-informatie vastleggen",
        Denied::AssignSignal => "uw rol mag dit signaal niet toewijzen",
        Denied::ChangeStatus => "uw rol mag de status van dit signaal niet wijzigen",
        Denied::CorrectSignal => "uw rol mag dit signaal niet corrigeren",
        Denied::LowerClassification => {
            "alleen een Bibob-coördinator van de eigenaar mag de classificatie verlagen"
        }
        Denied::SeeSignalsOrCounts => "uw rol ziet geen signalen en geen aantallen",
        Denied::ManageCatalogue => "alleen een beheerder beheert de catalogus",
        Denied::ManageChecklists => "alleen een beheerder beheert de checklists",
        Denied::SetLinkThresholds => "alleen een beheerder stelt drempels in",
        Denied::MergeDossiers => "alleen een analist mag dossiers samenvoegen",
        Denied::JudgeLinks => "alleen een analist mag koppelingen beoordelen",
        Denied::RecordObjects => "alleen een analist of beheerder legt objecten vast",
        Denied::RecordVisits => "uw rol mag geen bezoeken vastleggen",
        Denied::OpenCase => "alleen een analist opent een casus",
        Denied::ManageCase => {
            "alleen de eigenaar van de casus of een analist van de eigenaar mag de casus wijzigen"
        }
        Denied::PlanMeeting => "alleen een voorzitter of analist plant een casusoverleg",
        Denied::RunMeeting => {
            "alleen de voorzitter of het secretariaat van dit overleg mag het overleg bijwerken"
        }
        Denied::OtherMinutes => {
            "u ziet alleen de versie van het verslag voor uw eigen organisatie; andere versies zijn voor de voorzitter en het secretariaat"
        }
        Denied::ChangeAction => {
            "alleen wie de actie uitvoert of wie het overleg leidt mag de status wijzigen"
        }
        Denied::RegisterIntervention => {
            "alleen een analist legt interventies vast; Bibob-onderzoeken alleen een Bibob-coördinator"
        }
        Denied::EditBarrierModels => "alleen een beheerder beheert barrièremodellen",
        Denied::SeeBarrierModels => "uw rol geeft geen toegang tot de barrièremodellen",
        Denied::AssessBarriers => "alleen een analist beoordeelt barrières",
        Denied::RecordActivity => "alleen een analist legt activiteiten vast",
        Denied::SeeActivities => "uw rol geeft geen toegang tot de activiteiten",
        Denied::RecordPublishedFigures => "alleen een analist of de Bibob-coördinator legt eerder gepubliceerde cijfers vast",
        Denied::Administer => "alleen een beheerder beheert gebruikers, organisaties, tokens en convenanten",
        Denied::ReadAudit => "alleen een beheerder of auditor leest het auditspoor",
        Denied::AccessRequests => "alleen de privacyfunctionaris (rol auditor) stelt een inzage samen",
        Denied::Referrals => "de verwijsindex is voor wie signalen behandelt",
        Denied::ManageCommitments => "alleen een analist legt toezeggingen vast en werkt ze bij",
        Denied::SeeCommitments => "uw rol geeft geen toegang tot de toezeggingen",
        Denied::ChangeIntervention => {
            "alleen wie de interventie vastlegde of een analist van die organisatie mag haar bijwerken"
        }
    }
}

/// What already exists.
pub fn conflict(what: &Conflict) -> String {
    match what {
        Conflict::OrganisationName(name) => format!("de organisatie '{name}' bestaat al"),
        Conflict::UserEmail => "een gebruiker met dit e-mailadres bestaat al".into(),
        Conflict::FindingAlreadySignal => "van deze bevinding is al een signaal gemaakt".into(),
        Conflict::AgreementEnded => "dit convenant is al beëindigd".into(),
    }
}

/// Why the threshold typed as `input` is refused.
pub fn threshold(error: ThresholdError, input: &str) -> String {
    match error {
        ThresholdError::NotANumber => format!("drempel: '{input}' is geen getal"),
        ThresholdError::OutOfRange => "kies een koppelkans tussen 0,5 en 0,9999".into(),
        ThresholdError::ExactKind => {
            "voertuigen, telefoonnummers, e-mailadressen en IBANs worden alleen bij gelijke waarde gekoppeld".into()
        }
    }
}

/// Asking for the reason to open a person's dossier, and why a given one is not enough.
pub const REASON_REQUIRED: &str = "noem waarom u dit persoonsdossier opent (een zaak of een reden)";
pub const CASE_REASON_REQUIRED: &str =
    "noem waarom u deze casus opent (een zaak of een reden); u staat er niet als eigenaar of lid op";

pub fn reason_too_short(_: ReasonTooShort) -> String {
    format!(
        "noem waarom u dit persoonsdossier opent (een zaak of een reden van minstens {} tekens)",
        DossierReason::MIN_CHARS
    )
}

/// A file of objects that is not read.
pub fn object_file(error: &ObjectFileError) -> String {
    match error {
        ObjectFileError::Table(e) => e.to_string(),
        ObjectFileError::NoNameColumn => "kolom 'naam' ontbreekt".into(),
        ObjectFileError::Row { row, problem } => {
            let problem = match problem {
                RowProblem::Unreadable(e) => e.clone(),
                RowProblem::NameMissing => "kolom naam: vul een naam in".into(),
                RowProblem::AreaCode(e) => format!("kolom gebied: {e}"),
            };
            format!("rij {row}, {problem}; er is niets ingelezen")
        }
    }
}

/// What is wrong with one piece of input.
pub fn rejection(what: &Rejection) -> String {
    match what {
        Rejection::NameMissing => "vul een naam in".into(),
        Rejection::EmailInvalid => "is geen geldig e-mailadres".into(),
        Rejection::NoRole => "kies minstens één rol".into(),
        Rejection::OwnAccount => "u kunt uw eigen account niet uitschakelen".into(),
        Rejection::LegalBasisMissing => "noem de wettelijke grondslag".into(),
        Rejection::TooFewParties => "een convenant heeft minstens twee organisaties".into(),
        Rejection::NoTheme => "kies minstens één thema".into(),
        Rejection::BibobNotShared => {
            "Bibob-informatie wordt niet via convenanten gedeeld (art. 28 Wet Bibob)".into()
        }
        Rejection::EndsBeforeStart => "ligt vóór de begindatum".into(),
        Rejection::ReferralContactTooLong => "gebruik hoogstens 200 tekens".into(),
        Rejection::UnknownTheme(theme) => format!("onbekend thema '{theme}'"),
        Rejection::CodeOfOtherTheme(owner) => format!("deze code hoort al bij thema '{owner}'"),
        Rejection::ChecklistSize => {
            "een checklist heeft 1 tot 50 vragen van hoogstens 300 tekens".into()
        }
        Rejection::ObjectOfOtherOrganisation => "dit object hoort niet bij uw organisatie".into(),
        Rejection::AssigneeOfOtherOrganisation => {
            "deze medewerker hoort niet bij de organisatie van het signaal".into()
        }
        Rejection::JudgementReasonMissing => "leg in een paar woorden uit waarom".into(),
        Rejection::SameSubject => "kies twee verschillende betrokkenen".into(),
        Rejection::DifferentKinds => "een persoon, organisatie, adres of voertuig kan alleen gelijk zijn aan iets van dezelfde soort".into(),
        Rejection::OtherDossierUnknown => "geen dossier dat u mag zien met dit nummer".into(),
        Rejection::SameDossier => "dit is hetzelfde dossier".into(),
        Rejection::OtherDossierKind { this, other } => format!(
            "dit dossier gaat over een {}, het andere over een {}",
            this.label().to_lowercase(),
            other.label().to_lowercase()
        ),
        Rejection::UnknownDatabase(scheme) => {
            format!("onbekend databasetype '{scheme}' (gebruik postgres://… of sqlite:…)")
        }
        Rejection::SignalUnknown => "geen signaal dat u mag zien met dit nummer".into(),
        Rejection::MemberUnknown => "geen actieve gebruiker of organisatie met dit nummer".into(),
        Rejection::MemberWithoutContentRole | Rejection::ParticipantWithoutContentRole => {
            "deze gebruiker heeft een rol zonder toegang tot casussen (lezer of beheerder)".into()
        }
        Rejection::CaseUnknown => "geen casus die u mag zien met dit nummer".into(),
        Rejection::ParticipantUnknown => {
            "geen actieve gebruiker of organisatie met dit nummer".into()
        }
        Rejection::NotAtTheTable => "deze organisatie neemt niet deel aan het overleg".into(),
        Rejection::RecipientNotAtTheTable => {
            "een ontvanger neemt niet deel aan het overleg".into()
        }
        Rejection::AgreementNotCovering => {
            "dit convenant geldt niet op de datum van het overleg of de organisaties zijn er geen partij bij".into()
        }
        Rejection::SameCase => "kies een andere casus dan deze".into(),
        Rejection::InterventionCaseUnknown => "geen casus die u mag zien met dit nummer".into(),
        Rejection::TooManyParties => format!(
            "een interventie heeft ten hoogste {} betrokkenen",
            baken_core::intervention::MAX_PARTIES
        ),
        Rejection::PartyDossierUnknown => "geen dossier dat u mag zien met dit nummer".into(),
        Rejection::CommitmentLinkUnknown => {
            "geen gegeven van die soort dat u mag zien met dit nummer".into()
        }
        Rejection::LinkTargetUnknown => {
            "geen signaal, andere interventie of veldbezoek dat u mag zien met dit nummer".into()
        }
        Rejection::BarrierModelInstalled => {
            "uw organisatie heeft dit barrièremodel al".into()
        }
        Rejection::NotBibob => {
            "verstrekkingen onder art. 28 Wet Bibob horen alleen bij een Bibob-onderzoek".into()
        }
        Rejection::SubjectUnknown => "geen betrokkene die u mag zien met dit nummer".into(),
        Rejection::LaterDecisionExists => {
            "een later overleg heeft al over deze casus besloten; leg een nieuw besluit vast in dat overleg of een volgend".into()
        }
        Rejection::SignalNotInCase => "kies signalen die in deze casus zitten".into(),
        Rejection::NotOnTheAgenda => "deze casus staat niet op de agenda van dit overleg".into(),
        Rejection::ActionOwnerUnknown => {
            "geen actieve gebruiker met een inhoudelijke rol of organisatie met dit nummer".into()
        }
    }
}

/// Rejected input as messages per field, as forms and problem+json show them.
pub fn rejections(all: &[Rejection]) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    for r in all {
        errors.push_worded(r.field(), rejection(r));
    }
    errors
}

/// The messages per field of an error about input (`Invalid` or `Rejected`), or the error
/// itself when it is about something else.
pub fn input_errors(error: StoreError) -> Result<ValidationErrors, StoreError> {
    match error {
        StoreError::Invalid(errors) => Ok(errors),
        StoreError::Rejected(all) => Ok(rejections(&all)),
        other => Err(other),
    }
}

/// The error with rejected input worded as messages per field (`Invalid`), so that forms
/// show it as they show a parser's errors; other errors unchanged.
pub fn worded(error: StoreError) -> StoreError {
    match input_errors(error) {
        Ok(errors) => StoreError::Invalid(errors),
        Err(other) => other,
    }
}

/// How the audit chain is broken at event `seq`.
pub fn chain_break(seq: i64, what: &ChainBreak) -> String {
    match what {
        ChainBreak::Missing { next } => format!("gebeurtenis {seq} ontbreekt (volgende is {next})"),
        ChainBreak::NotLinked => {
            "verwijst niet naar de vorige gebeurtenis (verwijderd of verplaatst)".into()
        }
        ChainBreak::Altered => "inhoud is gewijzigd (hash klopt niet)".into(),
        ChainBreak::Truncated { last, head } => format!(
            "de keten eindigt bij {last} maar de laatst geschreven gebeurtenis is {head} (gebeurtenissen aan het eind verwijderd)"
        ),
        ChainBreak::BeforeCheckpoint { checkpoint } => format!(
            "de keten eindigt vóór gebeurtenis {checkpoint}, die een controlepunt buiten de database wel zag (gebeurtenissen aan het eind verwijderd)"
        ),
        ChainBreak::CheckpointMismatch { checkpoint } => format!(
            "gebeurtenis {checkpoint} is niet meer die welke het controlepunt buiten de database zag (keten herschreven of kop vervangen)"
        ),
    }
}

/// What about the guarded records the audit chain does not account for.
pub fn state_break(what: &baken_store::StateBreak) -> String {
    use baken_store::{GuardedRecord, StateBreak};
    match what {
        StateBreak::GuardRemoved { guard } => {
            format!("de beveiliging {guard} van de database is verwijderd of uitgeschakeld")
        }
        StateBreak::NotAsRecorded { record, id } => {
            let record = match record {
                GuardedRecord::Account => "het account",
                GuardedRecord::ApiToken => "een API-token van het account",
                GuardedRecord::Agreement => "de deelafspraak",
                GuardedRecord::Signal => "de classificatie of deling van signaal",
            };
            format!("{record} {id} is buiten Baken om toegevoegd of gewijzigd (staat niet zo in de auditketen)")
        }
    }
}

/// The field a link's reason is about ("achternaam", "voertuig").
pub fn reason_field(field: &ReasonField) -> String {
    match field {
        ReasonField::Field(kind) => kind.label().to_string(),
        ReasonField::Value { value_of } => value_of.label().to_lowercase(),
        ReasonField::Text(text) => text.clone(),
    }
}

/// How a field's two values agree ("gelijk", "bijna gelijk (Jaro-Winkler ≥ 0,92)",
/// "ontbreekt").
pub fn agreement(agreement: &ReasonAgreement) -> String {
    match agreement {
        ReasonAgreement::Compared(Agreement::Missing) => "ontbreekt".into(),
        ReasonAgreement::Compared(Agreement::Level { slot, level }) => {
            labels::agreement_levels(*slot)
                .get(usize::from(*level))
                .map_or_else(|| format!("niveau {level}"), |l| (*l).to_string())
        }
        ReasonAgreement::Equal { equal: true } => "gelijk".into(),
        ReasonAgreement::Equal { equal: false } => "verschilt".into(),
        ReasonAgreement::Text(text) => text.clone(),
    }
}

/// The strong identifier that decided a pair ("zelfde KvK-nummer", "verschillend
/// geboortedatum").
pub fn verdict(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Decided { same: true, field } => format!("zelfde {}", field.label()),
        Verdict::Decided { same: false, field } => format!("verschillend {}", field.label()),
        Verdict::SameValue { value_of } => format!("zelfde {}", value_of.label().to_lowercase()),
        Verdict::Text(text) => text.clone(),
    }
}

/// Conflicting evidence as people read it: "geboortedatum 12-04-1979 ≠ 02-04-1985".
pub fn conflict_fact(c: &ConflictFact) -> String {
    let shown = |v: &str| match c.field {
        FieldKind::DateOfBirth if v.len() == 8 && v.is_ascii() => {
            format!("{}-{}-{}", &v[6..8], &v[4..6], &v[0..4])
        }
        _ => v.to_string(),
    };
    format!(
        "{} {} ≠ {}",
        c.field.label(),
        shown(&c.left),
        shown(&c.right)
    )
}

/// When a relation holds, to follow its sentence: " sinds 01-03-2024", " van 01-03-2024 tot
/// 31-12-2024", " tot 31-12-2024", or nothing.
pub fn period(from: Option<time::Date>, until: Option<time::Date>) -> String {
    let day = |d: time::Date| format!("{:02}-{:02}-{}", d.day(), u8::from(d.month()), d.year());
    match (from, until) {
        (Some(f), Some(u)) => format!(" van {} tot {}", day(f), day(u)),
        (Some(f), None) => format!(" sinds {}", day(f)),
        (None, Some(u)) => format!(" tot {}", day(u)),
        (None, None) => String::new(),
    }
}

/// "Jan (Team Vastgoed)", "Jan", "Team Vastgoed" or "niemand".
pub fn assignee(name: Option<&str>, team: Option<&str>) -> String {
    match (name, team) {
        (Some(n), Some(t)) => format!("{n} ({t})"),
        (Some(n), None) => n.to_string(),
        (None, Some(t)) => t.to_string(),
        (None, None) => "niemand".into(),
    }
}

/// The reason of a history entry as people read it: an assignment says to whom.
pub fn history_reason(entry: &StatusHistoryEntry) -> String {
    match &entry.assignment {
        Some(to) => format!(
            "Toegewezen aan {}: {}",
            assignee(to.name.as_deref(), to.team.as_deref()),
            entry.reason
        ),
        None => entry.reason.clone(),
    }
}

/// A store error in one sentence, for a message or the command line. Failures of the
/// database itself are not described to users (they are logged).
pub fn store_error(error: &StoreError) -> String {
    match error {
        StoreError::NotFound => "niet gevonden".into(),
        StoreError::Forbidden(what) => format!("niet toegestaan: {}", denied(*what)),
        StoreError::Invalid(errors) => format!("ongeldige invoer: {}", field_errors(errors)),
        StoreError::Rejected(all) => format!("ongeldige invoer: {}", rejections(all)),
        StoreError::Transition(refused) => refused.to_string(),
        StoreError::Conflict(what) => conflict(what),
        StoreError::ReasonRequired => REASON_REQUIRED.into(),
        StoreError::Database(_) | StoreError::Migrate(_) => "de database gaf een fout".into(),
        StoreError::Corrupt(_) => "opgeslagen gegevens zijn onleesbaar".into(),
        // Only the command line opens a store; it says why (`operator_error`).
        StoreError::Opening(_) => "de database kon niet worden geopend".into(),
    }
}

/// What is wrong with a field, in Dutch (the form, the API's problem+json, the import report).
pub fn problem(p: &Problem) -> String {
    use baken_core::validation::Axis;
    match p {
        Problem::Missing(m) => missing(*m).into(),
        Problem::TooLong { max } => format!("mag niet langer zijn dan {max} tekens"),
        Problem::InFuture => "mag niet in de toekomst liggen".into(),
        Problem::NotAfterToday => "moet na vandaag liggen".into(),
        Problem::BeforeStart => "ligt vóór de begindatum".into(),
        Problem::YearOutOfRange { first, last } => {
            format!("kies een jaar van {first} tot en met {last}")
        }
        Problem::YearOrPeriod => {
            "vul een jaar in, of de eerste en laatste dag van een periode — niet allebei".into()
        }
        Problem::PeriodTooLong { max_years } => {
            format!("kies een periode van hoogstens {max_years} jaar")
        }
        Problem::NoChoice(c) => format!("kies een {}", labels::choice(*c)),
        Problem::UnknownChoice {
            choice,
            given,
            allowed,
        } => format!(
            "onbekende {} '{}' (toegestaan: {})",
            labels::choice(*choice),
            quoted(given),
            allowed.join(", ")
        ),
        Problem::NotA { format, given } => not_a(*format, given),
        Problem::NotInList(Listed::Employee) => "kies een medewerker uit de lijst".into(),
        Problem::NotInList(Listed::FieldObject) => "kies een object uit de lijst".into(),
        Problem::Identifier(e) => identifier(e),
        Problem::OutsideNetherlands { axis, min, max } => {
            let name = match axis {
                Axis::Latitude => "breedtegraad",
                Axis::Longitude => "lengtegraad",
            };
            format!("{name} ligt niet in Nederland (tussen {min} en {max})")
        }
        Problem::CoordinateWithoutPartner(Axis::Longitude) => {
            "vul ook de lengtegraad in, of laat beide leeg".into()
        }
        Problem::CoordinateWithoutPartner(Axis::Latitude) => {
            "vul ook de breedtegraad in, of laat beide leeg".into()
        }
        Problem::UnknownTheme { given, known } if known.is_empty() => {
            format!("onbekend thema '{}'", quoted(given))
        }
        Problem::UnknownTheme { given, known } => {
            format!(
                "onbekend thema '{}' (bekend: {})",
                quoted(given),
                known.join(", ")
            )
        }
        Problem::UnknownIndicator { given } => {
            format!("onbekende indicator '{}'", quoted(given))
        }
        Problem::IndicatorOfUnchosenTheme {
            indicator,
            theme_name,
        } => format!("indicator '{indicator}' hoort bij thema '{theme_name}', dat niet is gekozen"),
        Problem::IndicatorOfOtherTheme { indicator, theme } => {
            format!("indicator '{indicator}' hoort niet bij thema '{theme}'")
        }
        Problem::BibobClassificationReserved => {
            "alleen een Bibob-coördinator mag de classificatie Bibob gebruiken".into()
        }
        Problem::BsnOnlyForPersons => "een BSN hoort alleen bij een persoon".into(),
        Problem::LoweringClassificationReserved => {
            "alleen een Bibob-coördinator van de eigenaar mag de classificatie verlagen".into()
        }
        Problem::BibobNotOnCaseTable => {
            "een casus is nooit Bibob: Bibob-onderzoeken blijven in het Bibob-compartiment".into()
        }
        Problem::UnknownStep {
            kind,
            given,
            allowed,
        } => format!(
            "onbekende stap '{}'; nu mogelijk: {}",
            quoted(given),
            steps_text(*kind, allowed)
        ),
        Problem::StepNotAllowed {
            kind,
            state,
            step,
            allowed,
        } => format!(
            "'{}' kan niet in de fase '{}'; nu mogelijk: {}",
            labels::procedure_label(*kind, ProcedureWord::Step, step),
            labels::procedure_label(*kind, ProcedureWord::State, state),
            steps_text(*kind, allowed)
        ),
        Problem::StepNeedsFacts {
            kind,
            step,
            missing,
        } => format!(
            "voor '{}' ontbreekt nog: {} (vul dit eerst in bij de gegevens)",
            labels::procedure_label(*kind, ProcedureWord::Step, step),
            missing
                .iter()
                .map(|f| labels::procedure_label(*kind, ProcedureWord::Fact, f))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Problem::StepNeedsLength => {
            "deze stap begint een termijn: geef de lengte op (bijvoorbeeld 4 weken)".into()
        }
        Problem::LengthTooLong => {
            "die termijn is te lang (ten hoogste 999 dagen, weken of werkdagen, of 120 maanden)"
                .into()
        }
        Problem::BeforePreviousStep { previous } => format!(
            "ligt vóór de vorige stap ({})",
            previous
                .format(&time::macros::format_description!("[day]-[month]-[year]"))
                .unwrap_or_default()
        ),
        Problem::DetailsOfOtherKind { kind } => format!(
            "deze gegevens horen niet bij een {}",
            kind.label().to_lowercase()
        ),
        Problem::ReferralRecipient { care: true } => {
            "dit is een zorgpartner: kies 'Verwijzing naar zorg'".into()
        }
        Problem::ReferralRecipient { care: false } => {
            "dit is geen zorgpartner: kies 'Verwijzing naar partner'".into()
        }
        Problem::MaximumBelowAmount => "het maximum ligt onder het bedrag per keer".into(),
        Problem::ForfeitedAboveMaximum => {
            "er is meer verbeurd dan het maximum van de dwangsom".into()
        }
        Problem::TooManyLines { max } => format!("ten hoogste {max} regels"),
        Problem::ZeroSessions => "een activiteit heeft ten minste één bijeenkomst".into(),
        Problem::Quantity => {
            "begin de hoeveelheid met een getal groter dan nul, bijvoorbeeld '450 planten' of '60 gram'".into()
        }
        Problem::BeforeTermEnds {
            kind,
            step,
            term,
            ends,
        } => format!(
            "'{}' kan pas na afloop van de {} ({})",
            labels::procedure_label(*kind, ProcedureWord::Step, step),
            labels::procedure_label(*kind, ProcedureWord::Term, term),
            ends.format(&time::macros::format_description!("[day]-[month]-[year]"))
                .unwrap_or_default()
        ),
        Problem::BibobOutcomeMismatch => {
            "de uitkomst past niet bij hoe het onderzoek is geëindigd".into()
        }
        Problem::CaseTransition { from, to } => {
            let allowed: Vec<&str> = from.next().iter().map(|s| s.label()).collect();
            format!(
                "van '{}' naar '{}' is geen toegestane statuswijziging van een casus (wel: {})",
                from.label(),
                to.label(),
                allowed.join(", ")
            )
        }
        Problem::TooManySubjects { max } => format!("hoogstens {max} betrokkenen per signaal"),
        Problem::SubjectNotFilledIn { number } => format!("betrokkene {number} is niet ingevuld"),
        Problem::NoSuchSubject { number } => {
            format!("betrokkene {number} bestaat niet in dit signaal")
        }
        Problem::RelationToItself => "een relatie verbindt twee verschillende betrokkenen".into(),
        Problem::Cursor => "is geen plek in deze lijst; begin bij de eerste pagina".into(),
        Problem::PageByCursor => {
            "wordt niet meer gelezen: blader met Volgende en Vorige (cursor)".into()
        }
        Problem::PageSize { max } => format!("moet tussen 1 en {max} liggen"),
        Problem::WorkingDays { max } => {
            format!("een aantal werkdagen van 1 tot {max}, of leeg voor de standaard")
        }
        Problem::CatalogueCode => {
            "gebruik kleine letters, cijfers en streepjes, zoals 'drugs' of 'afgeplakte-ramen'"
                .into()
        }
        Problem::HouseLetter => "is één letter".into(),
        Problem::HouseNumberAddition => "is hoogstens vier letters of cijfers".into(),
        Problem::PictureLevel => "kies wijk, buurt, bedrijventerrein of buitengebied".into(),
        Problem::PublicTheme => "kies een van de onderwerpen of 'Weet ik niet'".into(),
        Problem::FindingTooLong { max } => format!("een bevinding is langer dan {max} tekens"),
        Problem::TooMany { max } => format!("hoogstens {max}"),
        Problem::RecipientsOfUnshareable => {
            "informatie die niet gedeeld kan worden gaat naar niemand: laat de ontvangers leeg"
                .into()
        }
        Problem::NoInterventionWithOthers => {
            "'geen interventie' gaat niet samen met een andere aanpak".into()
        }
        Problem::CareChosenNotConsidered => {
            "zorg is als aanpak gekozen, dus is zorg overwogen: kies 'ja'".into()
        }
        Problem::OwnerTwice => "kies een organisatie of een persoon, niet beide".into(),
        Problem::ActionTransition { from, to } => format!(
            "een actie gaat niet van '{}' naar '{}': open haar eerst weer",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        ),
        Problem::Transition(t) => transition(t),
        Problem::Worded(text) => text.clone(),
    }
}

fn missing(m: Missing) -> &'static str {
    match m {
        Missing::Title => "vul een korte titel in",
        Missing::Observation => "beschrijf wat er is waargenomen",
        Missing::PublicObservation => "beschrijf wat u heeft gezien of gehoord",
        Missing::Name => "vul een naam in",
        Missing::PersonName => "vul de naam in",
        Missing::OrganisationNameOrKvk => "vul de naam of het KvK-nummer in",
        Missing::Address => {
            "vul een BAG-id in, of postcode en huisnummer, of straat, huisnummer en plaats"
        }
        Missing::Plate => "vul het kenteken in",
        Missing::Phone => "vul het telefoonnummer in",
        Missing::Email => "vul het e-mailadres in",
        Missing::Iban => "vul het IBAN in",
        Missing::Theme => "kies minstens één thema",
        Missing::AssignmentReason => "geef een reden voor de toewijzing",
        Missing::StatusReason => "geef een reden voor de statuswijziging",
        Missing::CountSource => "noem de bron van de aantallen",
        Missing::ObjectOrLocation => "kies een object of beschrijf de locatie",
        Missing::RelationSubject => "kies een betrokkene",
        Missing::ContactConsent => {
            "geef toestemming om uw contactgegevens te bewaren, of laat ze leeg om anoniem te melden"
        }
        Missing::MeetingDate => "vul de datum van het overleg in",
        Missing::PeriodEnd => "vul zowel de eerste als de laatste dag van de periode in",
        Missing::DisclosingOrganisation => "kies de organisatie die de informatie inbrengt",
        Missing::DisclosureSummary => {
            "beschrijf wat is ingebracht (of, als het niet gedeeld kan worden, welk soort informatie er is)"
        }
        Missing::Agreement => "kies het convenant waaronder de informatie wordt gedeeld",
        Missing::Art28Recipients => {
            "noem bij de uitzondering van art. 28 Wet Bibob aan welke organisaties de informatie gaat"
        }
        Missing::Approach => "kies minstens één aanpak",
        Missing::DecisionText => "beschrijf het besluit",
        Missing::Suitable => "leg uit waarom de aanpak geschikt is",
        Missing::Necessary => "leg uit waarom de aanpak noodzakelijk is",
        Missing::Balanced => "leg uit waarom de aanpak evenwichtig is",
        Missing::CareConsidered => "geef aan of zorg is overwogen",
        Missing::ImportKey => "vul de sleutel van de rij in: zonder sleutel is niet te zien of de rij al eerder is ingelezen",
        Missing::CareReason => "leg uit waarom zorg wel of niet is overwogen",
        Missing::NotChosen => "noem wat niet is gekozen en waarom",
        Missing::ActionDescription => "beschrijf de actie",
        Missing::ActionOwner => "kies wie de actie uitvoert: een organisatie of een persoon",
        Missing::DueDate => "vul de uiterste datum in",
        Missing::AgendaRequestReason => "geef een reden om de casus te agenderen",
        Missing::LineageReason => "geef een reden voor het samenvoegen of splitsen",
        Missing::DiscussionSummary => "vat de bespreking samen",
        Missing::Conditions => "noem de voorschriften (één per regel)",
        Missing::Step => "kies een stap",
        Missing::PartyName => "vul de naam in",
        Missing::DisclosureReason => "noem waarom de informatie is verstrekt",
        Missing::Evidence => "noem waaruit blijkt dat de barrière is toegepast",
        Missing::BarrierText => "vul de tekst van de barrière in",
        Missing::TagTarget => "noem een interventie of een signaal",
        Missing::ActivityDate => "vul de datum van de activiteit in",
        Missing::LinkTarget => "noem precies één signaal, interventie of veldbezoek",
        Missing::Reached => "vul in hoeveel personen de activiteit bereikte",
        Missing::CommitmentText => "beschrijf wat er is beloofd of wat er gaat gebeuren",
    }
}

/// What was typed, as an error message repeats it: at most 40 characters, so a long input
/// is not sent back whole.
fn quoted(given: &str) -> String {
    const SHOWN: usize = 40;
    if given.chars().count() > SHOWN {
        format!("{}…", given.chars().take(SHOWN).collect::<String>())
    } else {
        given.to_string()
    }
}

fn not_a(format: Format, given: &str) -> String {
    let given = quoted(given);
    match format {
        Format::Date => format!("datum '{given}' niet herkend: gebruik dd-mm-jjjj"),
        Format::DateTime => format!(
            "datum '{given}' niet herkend: gebruik dd-mm-jjjj, eventueel met de tijd (dd-mm-jjjj uu:mm)"
        ),
        Format::Latitude => {
            format!("'{given}' is geen breedtegraad in decimale graden, bijvoorbeeld 53.2193")
        }
        Format::Longitude => {
            format!("'{given}' is geen lengtegraad in decimale graden, bijvoorbeeld 53.2193")
        }
        Format::PhoneStart => {
            format!("'{given}' is geen telefoonnummer (begin met 0 of met +landcode)")
        }
        Format::Phone => format!("'{given}' is geen telefoonnummer"),
        Format::PhoneDigits => {
            format!("'{given}' heeft niet het juiste aantal cijfers voor een telefoonnummer")
        }
        Format::Email => format!("'{given}' is geen e-mailadres"),
        Format::Iban => format!("'{given}' is geen IBAN"),
        Format::IbanChecksum => {
            format!("'{given}' heeft een onjuist controlegetal (geen geldig IBAN)")
        }
        Format::HouseNumber => format!("'{given}' is geen huisnummer (1 tot 99999)"),
        Format::YesNo => format!("'{given}' is geen ja/nee-waarde (true of false)"),
        Format::WholeCount => format!("'{given}' is geen geheel aantal van 0 of meer"),
        Format::Id => format!("'{given}' is geen nummer zoals Baken ze geeft (een UUID)"),
        Format::Amount => format!("'{given}' is geen bedrag in euro (bijvoorbeeld 1.500 of 250,50)"),
    }
}

/// What is wrong with a typed identifier (BSN, KvK, postcode, plate, BAG id, area code).
pub fn identifier(e: &IdentifierError) -> String {
    match e {
        IdentifierError::Empty => "is leeg".into(),
        IdentifierError::Length { expected, found } => {
            format!("moet uit {expected} cijfers bestaan (gevonden: {found} tekens)")
        }
        IdentifierError::NotDigits => "mag alleen cijfers bevatten".into(),
        IdentifierError::BagObjectType(code) => format!(
            "objecttypecode '{code}' bestaat niet in de BAG (toegestaan: 01, 02, 03, 10, 20, 30)"
        ),
        IdentifierError::BagWrongObjectType { expected, found } => {
            format!("is een BAG-{found} maar hier wordt een BAG-{expected} verwacht")
        }
        IdentifierError::BagMunicipality => "gemeentecode 0000 bestaat niet".into(),
        IdentifierError::ElevenTest => "voldoet niet aan de elfproef".into(),
        IdentifierError::PostcodeFormat => "moet de vorm 1234 AB hebben".into(),
        IdentifierError::PostcodeLetters(letters) => {
            format!("lettercombinatie '{letters}' wordt in postcodes niet uitgegeven")
        }
        IdentifierError::PlateFormat => "is geen Nederlands kenteken (geen bekende sidecode)".into(),
        IdentifierError::PlateLetter(c) => format!("is geen Nederlands kenteken: de letter {c} komt op Nederlandse kentekens niet voor"),
        IdentifierError::CbsFormat { expected, digits } => {
            format!("moet beginnen met {expected} gevolgd door {digits} cijfers")
        }
        IdentifierError::AreaCode => "is geen gebiedscode (een CBS-code zoals WK001400 of BU00140000, of een code zoals BT-zuidoost)".into(),
        IdentifierError::BsnNotAllowed => {
            "BSN mag hier niet worden vastgelegd: er is voor uw organisatie en rol geen wettelijke grondslag ingesteld".into()
        }
    }
}

/// A role name that does not exist, with the ones that do.
pub fn unknown_role(e: &UnknownRole) -> String {
    let known: Vec<&str> = Role::ALL.iter().map(|r| r.slug()).collect();
    format!("onbekende rol '{}' (bekend: {})", e.0, known.join(", "))
}

/// Why a status change is not allowed, with the changes that are.
pub fn transition(t: &TransitionRefused) -> String {
    let allowed: Vec<&str> = t.from.allowed_next().iter().map(|s| s.label()).collect();
    format!(
        "van '{}' naar '{}' is geen toegestane statuswijziging (wel: {})",
        t.from.label(),
        t.to.label(),
        allowed.join(", ")
    )
}

/// Every field's problem worded, as `field: problem` lines joined by "; " (command line, logs
/// shown to the user who typed the input).
pub fn field_errors(errors: &ValidationErrors) -> String {
    errors
        .0
        .iter()
        .map(|e| format!("{}: {}", e.field, problem(&e.problem)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One field's problem in words, as forms list them and problem+json carries them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldMessage {
    /// The input field, as named in the form and in the API (camelCase).
    pub field: String,
    pub message: String,
}

/// Every field's problem in words, in the order found.
pub fn messages(errors: &ValidationErrors) -> Vec<FieldMessage> {
    errors
        .0
        .iter()
        .map(|e| FieldMessage {
            field: e.field.clone(),
            message: problem(&e.problem),
        })
        .collect()
}

/// The words for the first problem of `field`, if it has one.
pub fn message_for(errors: &ValidationErrors, field: &str) -> Option<String> {
    errors.for_field(field).map(problem)
}

/// A whole number the Dutch way: thousands separated by dots ("42.000").
pub fn number(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    grouped
}

/// A count with its noun: "1 signaal", "2 signalen", "42.000 signalen".
/// A list in a Dutch sentence: "a", "a en b", "a, b en c".
pub fn listing(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} en {last}", rest.join(", ")),
    }
}

/// A calendar day as people write it: dd-mm-jjjj.
pub fn day(d: time::Date) -> String {
    d.format(&time::macros::format_description!("[day]-[month]-[year]"))
        .unwrap_or_default()
}

pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", number(n), if n == 1 { one } else { many })
}

/// A list's total in Dutch: the number with thousands separated by dots, or "meer dan
/// 10.000" when the list was counted only up to its bound.
pub fn total(total: baken_core::page::Total) -> String {
    let grouped = number(total.count());
    if total.is_lower_bound() {
        format!("meer dan {grouped}")
    } else {
        grouped
    }
}

/// A list's total with its noun: "1 signaal", "meer dan 10.000 signalen".
pub fn total_of(t: baken_core::page::Total, one: &str, many: &str) -> String {
    if t.count() == 1 && !t.is_lower_bound() {
        format!("1 {one}")
    } else {
        format!("{} {many}", total(t))
    }
}

fn steps_text(kind: InterventionKind, steps: &[&'static str]) -> String {
    if steps.is_empty() {
        return "geen (de procedure is afgerond)".into();
    }
    steps
        .iter()
        .map(|s| {
            format!(
                "'{}'",
                labels::procedure_label(kind, ProcedureWord::Step, s)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use baken_core::signal::{parse_date, Coordinates};
    use baken_core::status::{SignalStatus, StatusChange};

    #[test]
    fn totals_are_written_the_dutch_way() {
        use baken_core::page::Total;
        assert_eq!(total(Total::Exact(0)), "0");
        assert_eq!(total(Total::Exact(999)), "999");
        assert_eq!(total(Total::Exact(1_234)), "1.234");
        assert_eq!(total(Total::Exact(1_234_567)), "1.234.567");
        assert_eq!(total(Total::AtLeast(1_000)), "meer dan 1.000");
        assert_eq!(
            total_of(Total::Exact(1), "signaal", "signalen"),
            "1 signaal"
        );
        assert_eq!(
            total_of(Total::Exact(0), "signaal", "signalen"),
            "0 signalen"
        );
        assert_eq!(
            total_of(Total::AtLeast(10_000), "signaal", "signalen"),
            "meer dan 10.000 signalen"
        );
        assert_eq!(counted(42_000, "signaal", "signalen"), "42.000 signalen");
        assert_eq!(
            counted(1, "gebied wijkt", "gebieden wijken"),
            "1 gebied wijkt"
        );
    }

    #[test]
    fn long_input_is_not_repeated_whole() {
        let long = "1".repeat(10_000);
        let said = problem(&parse_date(&long).unwrap_err());
        assert!(said.chars().count() < 100, "{said}");
        assert!(
            said.starts_with(&format!("datum '{}…'", "1".repeat(40))),
            "{said}"
        );
    }

    #[test]
    fn problems_are_said_in_dutch_naming_what_is_allowed() {
        let unknown = StatusChange::parse("weg", "x").unwrap_err();
        assert_eq!(
            message_for(&unknown, "status").as_deref(),
            Some("onbekende status 'weg' (toegestaan: nieuw, in-triage, geen-actie, monitoren, naar-casus, naar-partner, gesloten)")
        );
        let empty = StatusChange::parse("", "").unwrap_err();
        assert_eq!(
            messages(&empty)
                .into_iter()
                .map(|m| m.message)
                .collect::<Vec<_>>(),
            vec!["kies een status", "geef een reden voor de statuswijziging"]
        );
        assert_eq!(
            problem(&parse_date("31-02-2026").unwrap_err()),
            "datum '31-02-2026' niet herkend: gebruik dd-mm-jjjj"
        );
        let outside = Coordinates::parse("40", "x").unwrap_err();
        assert_eq!(
            field_errors(&outside),
            "latitude: breedtegraad ligt niet in Nederland (tussen 50.7 en 53.7); longitude: 'x' is geen lengtegraad in decimale graden, bijvoorbeeld 53.2193"
        );
        let refused = TransitionRefused {
            from: SignalStatus::Nieuw,
            to: SignalStatus::NaarCasus,
        };
        assert_eq!(
            problem(&Problem::Transition(refused)),
            "van 'Nieuw' naar 'Beoordeeld: naar casus' is geen toegestane statuswijziging (wel: In triage, Gesloten)"
        );
        assert_eq!(
            unknown_role(&"baas".parse::<Role>().unwrap_err()),
            "onbekende rol 'baas' (bekend: analist, bibob-coordinator, casustafel-lid, voorzitter, toezichthouder, partner, lezer, beheerder, auditor)"
        );
    }
}
