//! What the store and the rules name, said in Dutch, for both edges (the web pages and API,
//! and the command line). The store and the domain only name outcomes ([`Denied`],
//! [`Conflict`], [`ThresholdError`], …); their words live here.

use baken_core::access::{Denied, DossierReason, ReasonTooShort};
use baken_core::signal::StatusHistoryEntry;
use baken_core::ValidationErrors;
use baken_link::ThresholdError;
use baken_link::{Agreement, FieldKind};
use baken_store::{
    ChainBreak, Conflict, ConflictFact, ReasonAgreement, ReasonField, Rejection, StoreError,
    Verdict,
};

use crate::objects::{ObjectFileError, RowProblem};

/// Why the caller's role does not allow it.
pub fn denied(what: Denied) -> &'static str {
    match what {
        Denied::RegisterSignals => "uw rol mag geen signalen registreren",
        Denied::RegisterPublicReports => "het meldformulier-account mag geen signalen registreren",
        Denied::RecordBibob => "alleen een Bibob-coördinator mag Bibob-informatie vastleggen",
        Denied::AssignSignal => "uw rol mag dit signaal niet toewijzen",
        Denied::ChangeStatus => "uw rol mag de status van dit signaal niet wijzigen",
        Denied::SeeSignalsOrCounts => "uw rol ziet geen signalen en geen aantallen",
        Denied::ManageCatalogue => "alleen een beheerder beheert de catalogus",
        Denied::ManageChecklists => "alleen een beheerder beheert de checklists",
        Denied::SetLinkThresholds => "alleen een beheerder stelt drempels in",
        Denied::MergeDossiers => "alleen een analist mag dossiers samenvoegen",
        Denied::JudgeLinks => "alleen een analist mag koppelingen beoordelen",
        Denied::RecordObjects => "alleen een analist of beheerder legt objecten vast",
        Denied::RecordVisits => "uw rol mag geen bezoeken vastleggen",
    }
}

/// What already exists.
pub fn conflict(what: &Conflict) -> String {
    match what {
        Conflict::OrganisationName(name) => format!("de organisatie '{name}' bestaat al"),
        Conflict::UserEmail => "een gebruiker met dit e-mailadres bestaat al".into(),
        Conflict::FindingAlreadySignal => "van deze bevinding is al een signaal gemaakt".into(),
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
        Rejection::LegalBasisMissing => "noem de wettelijke grondslag".into(),
        Rejection::TooFewParties => "een convenant heeft minstens twee organisaties".into(),
        Rejection::NoTheme => "kies minstens één thema".into(),
        Rejection::BibobNotShared => {
            "Bibob-informatie wordt niet via convenanten gedeeld (art. 28 Wet Bibob)".into()
        }
        Rejection::EndsBeforeStart => "ligt vóór de begindatum".into(),
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
    }
}

/// Rejected input as messages per field, as forms and problem+json show them.
pub fn rejections(all: &[Rejection]) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    for r in all {
        errors.push(r.field(), rejection(r));
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
        ReasonAgreement::Compared(Agreement::Level { slot, level }) => slot
            .levels()
            .get(usize::from(*level))
            .map_or_else(|| format!("niveau {level}"), |l| (*l).to_string()),
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
        StoreError::Invalid(errors) => format!("ongeldige invoer: {errors}"),
        StoreError::Rejected(all) => format!("ongeldige invoer: {}", rejections(all)),
        StoreError::Transition(refused) => refused.to_string(),
        StoreError::Conflict(what) => conflict(what),
        StoreError::ReasonRequired => REASON_REQUIRED.into(),
        StoreError::Database(_) | StoreError::Migrate(_) => "de database gaf een fout".into(),
        StoreError::Corrupt(_) => "opgeslagen gegevens zijn onleesbaar".into(),
    }
}
