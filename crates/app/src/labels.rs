//! The Dutch names of the domain's fixed values (statuses, kinds, roles, …), for both edges.
//! The domain names values by their machine name (`slug`); what a user reads lives here.

use baken_core::access::Role;
use baken_core::access_review::Finding;
use baken_core::case::{CaseStatus, LineageKind};
use baken_core::decision::{ActionStatus, Approach};
use baken_core::field::Answer;
use baken_core::field::VisitKind;
use baken_core::meeting::{AgendaReason, DisclosureBasis};
use baken_core::model::AreaKind;
use baken_core::model::Classification;
use baken_core::model::InformationCredibility;
use baken_core::model::OrgKind;
use baken_core::model::Sharing;
use baken_core::model::SourceKind;
use baken_core::model::SourceReliability;
use baken_core::model::SubjectKind;
use baken_core::picture::BaseKind;
use baken_core::picture::Measure;
use baken_core::signal::CorrectedField;
use baken_core::status::SignalStatus;
use baken_core::subject::RelationKind;
use baken_core::subject::SubjectRole;
use baken_core::validation::Choice;
use baken_link::compare::{FieldKind, Slot};
use baken_picture::hotspot::{Cluster, Spot};

/// The Dutch name of a value, as shown in the interface.
pub trait Label: Copy {
    fn label(self) -> &'static str;
}

macro_rules! labels {
    ($name:ident { $($variant:ident => $label:literal,)+ }) => {
        impl Label for $name {
            fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }
    };
}

mod interventions;
pub mod report;
pub use interventions::{procedure_label, ProcedureWord};

labels!(CorrectedField {
    Title => "Titel",
    Description => "Beschrijving",
    ObservedOn => "Datum waarneming",
    SourceReliability => "Betrouwbaarheid van de bron",
    InformationCredibility => "Geloofwaardigheid van de informatie",
    Themes => "Thema's",
    Indicators => "Indicatoren",
    Area => "Gebiedscode",
    Coordinates => "Coördinaten",
    Address => "Adres of locatie",
    Classification => "Classificatie",
    Sharing => "Delen",
    Subjects => "Betrokkenen",
    Relations => "Relaties",
});

labels!(VisitKind {
    Erfbezoek => "Erfbezoek",
    Schouw => "Schouw bedrijventerrein",
    Controle => "Integrale controle",
});

labels!(Answer {
    Ja => "Ja",
    Nee => "Nee",
    NietVanToepassing => "Niet van toepassing",
});

labels!(OrgKind {
    Gemeente => "Gemeente",
    Politie => "Politie",
    Waterschap => "Waterschap",
    Riec => "RIEC",
    Inspectie => "Inspectie",
    Belangenorganisatie => "Belangenorganisatie",
    Overig => "Overig",
});

labels!(Classification {
    Openbaar => "Openbaar",
    Intern => "Intern",
    Vertrouwelijk => "Vertrouwelijk",
    Bibob => "Bibob (art. 28 Wet Bibob)",
});

labels!(Sharing {
    Convenant => "Delen volgens convenant",
    EigenOrganisatie => "Alleen eigen organisatie",
});

labels!(SourceKind {
    Partner => "Partner",
    Veldbezoek => "Veldbezoek (erfbezoek, schouw)",
    Controle => "Integrale controle",
    AnoniemFormulier => "Anoniem meldformulier",
    InterneAfdeling => "Interne afdeling",
    Bondgenotennetwerk => "Bondgenotennetwerk",
    MeldMisdaadAnoniem => "Meld Misdaad Anoniem",
});

labels!(SourceReliability {
    A => "A – volledig betrouwbaar",
    B => "B – meestal betrouwbaar",
    C => "C – redelijk betrouwbaar",
    D => "D – meestal niet betrouwbaar",
    E => "E – onbetrouwbaar",
    F => "F – betrouwbaarheid onbekend",
});

labels!(InformationCredibility {
    Confirmed => "1 – bevestigd door andere bronnen",
    ProbablyTrue => "2 – waarschijnlijk waar",
    PossiblyTrue => "3 – mogelijk waar",
    Doubtful => "4 – twijfelachtig",
    Improbable => "5 – onwaarschijnlijk",
    CannotBeJudged => "6 – niet te beoordelen",
});

labels!(SubjectKind {
    Person => "Persoon",
    Organisation => "Organisatie",
    Address => "Adres / pand",
    Vehicle => "Voertuig",
    Phone => "Telefoonnummer",
    Email => "E-mailadres",
    Iban => "IBAN",
});

labels!(AreaKind {
    Gemeente => "Gemeente",
    Wijk => "Wijk",
    Buurt => "Buurt",
    Bedrijventerrein => "Bedrijventerrein",
    Buitengebied => "Buitengebied",
});

labels!(BaseKind {
    Inwoners => "inwoners",
    Adressen => "adressen",
    Bedrijven => "bedrijfsvestigingen",
});

labels!(Measure {
    Aantal => "aantal signalen",
    Rate => "signalen per 1.000",
    Afwijking => "afwijking van het gemiddelde",
    Clusters => "clusters (lokale Moran's I)",
    Hotspots => "hotspots (Gi*)",
});

labels!(Cluster {
    HighHigh => "hoog-hoog: cluster van hoge cijfers",
    LowLow => "laag-laag: cluster van lage cijfers",
    HighLow => "hoog tussen laag: uitschieter",
    LowHigh => "laag tussen hoog: uitschieter",
    NotSignificant => "geen cluster",
    NotTested => "niet getoetst (geen cijfer of geen buren)",
});

labels!(Spot {
    Hot => "hotspot",
    Cold => "coldspot",
    NotSignificant => "geen hotspot",
    NotTested => "niet getoetst (geen cijfer of geen buren)",
});

labels!(CaseStatus {
    Registered => "Aangemeld",
    Active => "In behandeling",
    Monitoring => "Monitoren",
    Closed => "Afgesloten",
});

labels!(AgendaReason {
    New => "nieuwe casus",
    FollowUpDue => "opvolgdatum bereikt",
    Requested => "op verzoek van een lid",
    OverdueActions => "acties over de termijn",
    Chosen => "door de voorzitter geagendeerd",
});

labels!(DisclosureBasis {
    Convenant => "convenant",
    Wgs => "Wet gegevensverwerking door samenwerkingsverbanden (WGS)",
    BibobArt28 => "uitzondering art. 28 Wet Bibob",
    NotShareable => "kan niet worden gedeeld",
});

labels!(Approach {
    Administrative => "bestuurlijk",
    Criminal => "strafrechtelijk",
    Fiscal => "fiscaal",
    Care => "zorg",
    NoIntervention => "geen interventie",
});

labels!(LineageKind {
    MergedFrom => "Samengevoegd uit",
    MergedInto => "Samengevoegd in",
    SplitInto => "Afgesplitst naar",
    SplitFrom => "Afgesplitst uit",
});

labels!(ActionStatus {
    Open => "Open",
    Done => "Afgerond",
    Cancelled => "Vervallen",
});

labels!(SignalStatus {
    Nieuw => "Nieuw",
    InTriage => "In triage",
    GeenActie => "Beoordeeld: geen actie",
    Monitoren => "Beoordeeld: monitoren",
    NaarCasus => "Beoordeeld: naar casus",
    NaarPartner => "Beoordeeld: naar partner",
    Gesloten => "Gesloten",
});

labels!(SubjectRole {
    Eigenaar => "Eigenaar",
    Huurder => "Huurder",
    Verhuurder => "Verhuurder",
    Bewoner => "Bewoner",
    Gebruiker => "Gebruiker",
    Bestuurder => "Bestuurder (van een organisatie)",
    Aandeelhouder => "Aandeelhouder",
    Werknemer => "Werknemer",
    Chauffeur => "Chauffeur",
    Bezoeker => "Bezoeker",
    Locatie => "Locatie van de waarneming",
    Betrokkene => "Anders betrokken",
});

labels!(RelationKind {
    EigenaarVan => "is eigenaar van",
    HuurtVan => "huurt van",
    HuurderVan => "is huurder van",
    WoontOp => "woont op",
    IngeschrevenOp => "staat ingeschreven op",
    BestuurderVan => "is bestuurder van",
    GebruiktVoertuig => "gebruikt voertuig",
    WerktVoor => "werkt voor",
    GevestigdOp => "is gevestigd op",
    Overig => "heeft een relatie met",
});

labels!(Role {
    Analist => "Analist",
    BibobCoordinator => "Bibob-coördinator",
    CasustafelLid => "Casustafel-lid",
    Voorzitter => "Voorzitter casustafel",
    Toezichthouder => "Toezichthouder",
    Partner => "Partner",
    Lezer => "Lezer",
    Beheerder => "Beheerder",
    Auditor => "Auditor",
});

labels!(Finding {
    Unused => "Niet gebruikt in 90 dagen",
    NeverUsed => "Nooit gebruikt",
    NoSecondFactor => "Geen tweede factor",
    Deactivated => "Uitgeschakeld",
});

/// What a fixed list is called, in a sentence ("kies een …").
pub fn choice(choice: Choice) -> &'static str {
    match choice {
        Choice::VisitKind => "soort bezoek",
        Choice::Answer => "antwoord",
        Choice::CaseStatus => "status",
        Choice::OrgKind => "organisatiesoort",
        Choice::Classification => "classificatie",
        Choice::Sharing => "deling",
        Choice::SourceKind => "bronsoort",
        Choice::SourceReliability => "betrouwbaarheid van de bron",
        Choice::InformationCredibility => "geloofwaardigheid van de informatie",
        Choice::SubjectKind => "soort betrokkene",
        Choice::AreaKind => "gebiedssoort",
        Choice::BaseKind => "basis",
        Choice::Measure => "maat",
        Choice::SignalStatus => "status",
        Choice::SubjectRole => "rol",
        Choice::RelationKind => "relatie",
        Choice::AgendaReason => "reden",
        Choice::DisclosureBasis => "grondslag",
        Choice::Approach => "aanpak",
        Choice::ActionStatus => "status",
        Choice::LineageKind => "soort",
        Choice::BibobState => "fase",
        Choice::BibobStep => "stap",
        Choice::BibobFact => "gegeven",
        Choice::BibobTerm => "termijn",
        Choice::ClosureState => "fase",
        Choice::ClosureStep => "stap",
        Choice::ClosureFact => "gegeven",
        Choice::ClosureTerm => "termijn",
        Choice::SanctionState | Choice::ControlState | Choice::ReferralState => "fase",
        Choice::SanctionStep | Choice::ControlStep | Choice::ReferralStep => "stap",
        Choice::SanctionFact | Choice::ControlFact | Choice::ReferralFact => "gegeven",
        Choice::SanctionTerm | Choice::ControlTerm | Choice::ReferralTerm => "termijn",
        Choice::LengthUnit => "eenheid (dagen, weken, werkdagen of maanden)",
        Choice::InterventionKind => "soort interventie",
        Choice::PartyRole => "rol",
        Choice::Art28Recipient => "uitzondering van art. 28 Wet Bibob",
        Choice::BibobDecisionKind => "soort beschikking",
        Choice::BibobTrigger => "aanleiding",
        Choice::OwnInvestigationResult => "uitkomst van het eigen onderzoek",
        Choice::LbbConclusion => "conclusie van het LBB",
        Choice::BibobOutcome => "uitkomst",
        Choice::PremisesKind => "soort pand",
        Choice::ClosureGround => "grond",
        Choice::Substance => "drugssoort",
        Choice::LegalBasis => "grondslag",
        Choice::PenaltyUnit => "eenheid van de dwangsom",
        Choice::Branch => "branche",
        Choice::ControlTeam => "team",
        Choice::ControlPartner => "partner",
        Choice::ControlFocus => "aandachtspunt",
        Choice::ReportChapter => "thema van de rapportage",
        Choice::ReportReaders => "lezers (team of extern)",
        Choice::FigureKey => "cijfer",
        Choice::Dimension => "indeling",
        Choice::RecordKind => "soort gegeven",
        Choice::EffectKey => "effect",
        Choice::ReferralRecipient => "ontvanger",
        Choice::DrugCategory => "soort drugs",
        Choice::MeasureKind => "maatregel",
        Choice::BarrierStatus => "beoordeling (toegepast, deels of niet)",
        Choice::BarrierTemplate => "barrièremodel",
        Choice::ActivityKind => "soort activiteit",
        Choice::LinkKind => "soort koppeling",
        Choice::CommitmentKind => "soort toezegging",
        Choice::CommitmentStatus => "status",
        Choice::CommitmentLinkKind => "soort gegeven",
    }
}

labels!(FieldKind {
    GivenName => "voornaam",
    Surname => "achternaam",
    FullName => "naam",
    DateOfBirth => "geboortedatum",
    Street => "straat",
    HouseNumber => "huisnummer",
    Postcode => "postcode",
    City => "plaats",
    OrganisationName => "organisatienaam",
    Identifier => "nummer",
    Phone => "telefoonnummer",
    Email => "e-mailadres",
    Plate => "kenteken",
    Kvk => "KvK-nummer",
    BagId => "BAG-id",
    BsnHash => "BSN (gesleuteld)",
    AddressCode => "postcode en huisnummer",
    Rsin => "RSIN",
    LegalForm => "rechtsvorm",
});

/// The agreement levels of a compared field, from equal to different, as explanations name
/// them ([`Slot::level_count`] of them).
pub fn agreement_levels(slot: Slot) -> &'static [&'static str] {
    match slot {
        Slot::Given => &[
            "gelijk",
            "bijna gelijk (Jaro-Winkler ≥ 0,92)",
            "lijkt erop (Jaro-Winkler ≥ 0,88)",
            "voorletter past",
            "enigszins gelijk (Jaro-Winkler ≥ 0,70)",
            "verschilt",
        ],
        Slot::Surname => &[
            "gelijk",
            "bijna gelijk (Jaro-Winkler ≥ 0,92)",
            "lijkt erop (Jaro-Winkler ≥ 0,88)",
            "deel van een dubbele naam gelijk",
            "enigszins gelijk (Jaro-Winkler ≥ 0,70)",
            "verschilt",
        ],
        Slot::Dob => &[
            "gelijk",
            "één teken anders",
            "dag en maand verwisseld of twee tekens anders",
            "verschilt",
        ],
        Slot::Identifier | Slot::Postcode => &[
            "gelijk",
            "één teken anders",
            "twee tekens anders",
            "verschilt",
        ],
        Slot::HouseNumber => &["gelijk", "zelfde nummer, andere toevoeging", "verschilt"],
        Slot::Street => &[
            "gelijk",
            "bijna gelijk (Jaro-Winkler ≥ 0,90)",
            "lijkt erop (Jaro-Winkler ≥ 0,80)",
            "verschilt",
        ],
        Slot::City => &["gelijk", "bijna gelijk (Jaro-Winkler ≥ 0,90)", "verschilt"],
        Slot::Organisation => &[
            "gelijk (zonder rechtsvorm)",
            "de ene naam bevat de andere",
            "bijna gelijk (Jaro-Winkler ≥ 0,90)",
            "verschilt",
        ],
        Slot::Phone | Slot::Email => &["gelijk", "verschilt"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_agreement_level_has_a_name() {
        for slot in Slot::ALL {
            assert_eq!(agreement_levels(slot).len(), slot.level_count(), "{slot:?}");
        }
    }
}
