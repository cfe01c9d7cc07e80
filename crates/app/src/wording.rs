//! What the store and the rules name, said in Dutch, for both edges (the web pages and API,
//! and the command line). The store and the domain only name outcomes ([`Denied`],
//! [`Conflict`], [`ThresholdError`], …); their words live here.

use baken_core::access::{Denied, DossierReason, ReasonTooShort};
use baken_link::ThresholdError;
use baken_store::{Conflict, StoreError};

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

/// A store error in one sentence, for a message or the command line. Failures of the
/// database itself are not described to users (they are logged).
pub fn store_error(error: &StoreError) -> String {
    match error {
        StoreError::NotFound => "niet gevonden".into(),
        StoreError::Forbidden(what) => format!("niet toegestaan: {}", denied(*what)),
        StoreError::Invalid(errors) => format!("ongeldige invoer: {errors}"),
        StoreError::Transition(refused) => refused.to_string(),
        StoreError::Conflict(what) => conflict(what),
        StoreError::ReasonRequired => REASON_REQUIRED.into(),
        StoreError::Database(_) | StoreError::Migrate(_) => "de database gaf een fout".into(),
        StoreError::Corrupt(_) => "opgeslagen gegevens zijn onleesbaar".into(),
    }
}
