//! The Dutch names of the register of interventions: kinds, the steps, states, facts and
//! terms of each procedure, and the values of their details.

use super::Label;
use baken_core::activity::ActivityKind;
use baken_core::barrier::{BarrierStatus, BarrierTemplate};
use baken_core::commitment::{CommitmentKind, CommitmentLinkKind, CommitmentStatus};
use baken_core::intervention::details::{
    BibobDecisionKind, BibobOutcome, BibobTrigger, Branch, ClosureGround, ControlFocus,
    ControlPartner, ControlTeam, LbbConclusion, LegalBasis, OwnInvestigationResult, PenaltyUnit,
    PremisesKind, ReferralRecipient, Substance,
};
use baken_core::intervention::escalation::{DrugCategory, MeasureKind};
use baken_core::intervention::flow::UrgencyName;
use baken_core::intervention::{Art28Recipient, InterventionKind, LinkKind, PartyRole};
use baken_core::model::Slug;
use baken_core::procedure::bibob::{BibobFact, BibobState, BibobStep, BibobTerm};
use baken_core::procedure::closure::{ClosureFact, ClosureState, ClosureStep, ClosureTerm};
use baken_core::procedure::followup::{
    ControlFact, ControlState, ControlStep, ControlTerm, ReferralFact, ReferralState, ReferralStep,
    ReferralTerm,
};
use baken_core::procedure::sanction::{SanctionFact, SanctionState, SanctionStep, SanctionTerm};
use baken_core::procedure::LengthUnit;

labels!(InterventionKind {
    Bibob => "Bibob-onderzoek",
    Closure => "Sluiting (art. 13b Opiumwet)",
    PenaltyOrder => "Last onder dwangsom",
    Enforcement => "Last onder bestuursdwang",
    Control => "Integrale controle",
    CareReferral => "Verwijzing naar zorg",
    PartnerReferral => "Verwijzing naar partner",
});

labels!(PartyRole {
    Applicant => "aanvrager",
    Manager => "leidinggevende",
    Control => "zeggenschap (aandeelhouder)",
    Financier => "vermogensverschaffer",
    BusinessPartner => "zakelijk samenwerkingsverband",
    Backer => "achterman",
    Resident => "bewoner",
    Owner => "eigenaar of verhuurder",
    Operator => "exploitant",
    Offender => "overtreder",
    Client => "cliënt",
});

labels!(Art28Recipient {
    Applicant => "betrokkene (in de motivering van de beschikking)",
    ThirdParty => "derde die in de motivering wordt genoemd",
    Triangle => "driehoek (voor zover nodig voor de motivering)",
    Riec => "RIEC (ter ondersteuning bij de toepassing van de Wet Bibob)",
    ObjectionCommittee => "bezwaarschriftencommissie",
    Court => "rechter",
});

labels!(BibobDecisionKind {
    BuildingPermit => "omgevingsvergunning",
    AlcoholPermit => "alcoholvergunning",
    HospitalityPermit => "exploitatievergunning horeca",
    SexBusiness => "seksbedrijf",
    Coffeeshop => "coffeeshop",
    RealEstate => "vastgoedtransactie",
    Tender => "overheidsopdracht of aanbesteding",
    Subsidy => "subsidie",
    Other => "overig",
});

labels!(BibobTrigger {
    Policy => "beleidslijn",
    ProsecutorTip => "tip van het OM (art. 26)",
    OtherAuthority => "tip van een ander bestuursorgaan",
    Riec => "signaal van het RIEC",
    RegisterHit => "treffer in het Bibob-register",
    Reassessment => "herbeoordeling bestaande vergunning",
});

labels!(OwnInvestigationResult {
    NoIndications => "geen indicaties",
    Indications => "indicaties",
});

labels!(LbbConclusion {
    Serious => "ernstige mate van gevaar",
    Lesser => "mindere mate van gevaar",
    NoDanger => "geen gevaar",
});

labels!(BibobOutcome {
    Granted => "verleend",
    GrantedWithConditions => "verleend onder voorschriften",
    Refused => "geweigerd",
    Revoked => "ingetrokken",
    NotProcessed => "buiten behandeling gesteld",
    ApplicationWithdrawn => "aanvraag ingetrokken",
    NoDecisionNeeded => "geen besluit nodig",
});

labels!(PremisesKind {
    Dwelling => "woning",
    Premises => "lokaal",
});

labels!(ClosureGround {
    TradeQuantity => "handelshoeveelheid",
    PreparatoryActs => "voorbereidingshandelingen",
});

labels!(Substance {
    Cannabis => "cannabis",
    HempPlants => "hennepplanten",
    Cocaine => "cocaïne",
    Heroin => "heroïne",
    Amphetamine => "amfetamine",
    Ecstasy => "xtc",
    Precursors => "grondstoffen",
    Other => "overig",
});

labels!(LegalBasis {
    Apv => "APV",
    Opiumwet => "Opiumwet",
    Omgevingswet => "Omgevingswet",
    Other => "overig",
});

labels!(PenaltyUnit {
    PerViolation => "per overtreding",
    PerDay => "per dag",
    PerWeek => "per week",
});

labels!(Branch {
    Hospitality => "horeca",
    Cars => "autobranche",
    BusinessPark => "bedrijventerrein",
    Farming => "agrarisch",
    Retail => "detailhandel",
    Beauty => "nagel- en kapsalons",
    Housing => "woonsituaties",
    Garages => "garageboxen",
    MealDelivery => "maaltijdbezorgers",
    Fair => "kermis",
    Other => "overig",
});

labels!(ControlFocus {
    Trafficking => "mensenhandel",
    LabourExploitation => "arbeidsuitbuiting",
    Drugs => "drugs",
    Fraud => "fraude",
});

labels!(ControlTeam {
    Own => "eigen gemeente",
    Regional => "regionaal team",
});

labels!(ControlPartner {
    Municipality => "Gemeente",
    Police => "Politie",
    Customs => "Douane",
    Nla => "Nederlandse Arbeidsinspectie",
    Nvwa => "NVWA",
    EnvironmentService => "Omgevingsdienst",
    Rdw => "RDW",
    Uwv => "UWV",
    TaxAuthority => "Belastingdienst",
    FireService => "Brandweer",
    Reakt => "REAKT",
    Other => "overig",
});

labels!(ReferralRecipient {
    Wij => "WIJ Groningen",
    CareAndSafetyHouse => "Zorg- en Veiligheidshuis",
    Ggd => "GGD",
    Police => "Politie",
    Prosecutor => "Openbaar Ministerie",
    Riec => "RIEC",
    TaxAuthority => "Belastingdienst",
    Nla => "Nederlandse Arbeidsinspectie",
    Other => "overig",
});

labels!(DrugCategory {
    Soft => "softdrugs",
    Hard => "harddrugs",
    Preparatory => "voorbereidingshandelingen",
});

labels!(MeasureKind {
    Warning => "waarschuwing",
    Closure => "sluiting",
});

labels!(BarrierStatus {
    Applied => "toegepast",
    Partly => "deels toegepast",
    NotApplied => "niet toegepast",
});

labels!(BarrierTemplate {
    PgbFraud => "pgb-fraude (7 fasen, 29 barrières)",
    LabourMigrants => "bescherming kwetsbare arbeidsmigranten (6 stappen)",
});

labels!(ActivityKind {
    Awareness => "Voorlichting",
    Training => "Training",
    Campaign => "Campagne",
    SchoolClass => "Schoolles (HackShield)",
});

labels!(LinkKind {
    Signal => "Signaal",
    FollowUp => "Vervolg",
    Visit => "Veldbezoek",
    FollowedFrom => "Naar aanleiding van",
});

labels!(CommitmentKind {
    Promise => "Wat hadden we beloofd",
    Plan => "Wat gaan we doen",
});

labels!(CommitmentStatus {
    Open => "open",
    InProgress => "in uitvoering",
    Done => "gerealiseerd",
    Dropped => "vervallen",
});

labels!(CommitmentLinkKind {
    Case => "Casus",
    Intervention => "Interventie",
    Activity => "Activiteit",
    BarrierModel => "Barrièremodel",
    Visit => "Veldbezoek",
});

labels!(LengthUnit {
    Days => "dagen",
    Weeks => "weken",
    WorkingDays => "werkdagen",
    Months => "maanden",
});

labels!(UrgencyName {
    Met => "gehaald",
    Suspended => "opgeschort",
    Overdue => "verlopen",
    DueSoon => "verloopt binnenkort",
    Later => "loopt",
});

labels!(BibobState {
    New => "nieuw",
    OwnInvestigation => "eigen onderzoek",
    Assessment => "beoordeling",
    Advice => "advies LBB gevraagd",
    Intention => "voornemen",
    Decided => "besloten",
    NotProcessed => "buiten behandeling",
    Withdrawn => "aanvraag ingetrokken",
    NoDecisionNeeded => "geen besluit nodig",
});

labels!(BibobStep {
    ApplicationReceived => "aanvraag ontvangen",
    QuestionnaireSent => "vragenformulier verstuurd",
    QuestionnaireReceived => "vragenformulier ontvangen",
    RegisterConsulted => "Bibob-register geraadpleegd (art. 11a)",
    OwnInvestigationDone => "eigen onderzoek afgerond",
    TermDeferred => "beslistermijn verdaagd",
    ApplicantInformed => "betrokkene geïnformeerd over adviesaanvraag",
    AdviceRequested => "advies gevraagd aan het LBB",
    AdviceTermExtended => "adviestermijn LBB verlengd",
    LbbQuestionsAsked => "aanvullende vragen LBB gesteld",
    LbbQuestionsAnswered => "aanvullende vragen LBB beantwoord",
    AdviceReceived => "advies LBB ontvangen",
    IntentionSent => "voornemen verstuurd",
    ViewsReceived => "zienswijze ontvangen",
    Decision => "besluit genomen",
    RegisterEntry => "ingeschreven in het Bibob-register",
    ObjectionReceived => "bezwaar ontvangen",
    AppealLodged => "beroep ingesteld",
    NotProcessed => "buiten behandeling gesteld",
    Withdrawn => "aanvraag ingetrokken",
    NoDecisionNeeded => "geen besluit nodig",
});

labels!(BibobFact {
    DecisionKind => "soort beschikking",
    Trigger => "aanleiding",
    OwnInvestigationResult => "uitkomst eigen onderzoek",
    ApplicantInformedOfRequest => "betrokkene geïnformeerd over de adviesaanvraag",
    LbbConclusion => "conclusie van het LBB",
    Outcome => "uitkomst",
});

labels!(BibobTerm {
    DecisionTerm => "beslistermijn",
    AdviceTerm => "adviestermijn LBB",
    ViewsTerm => "zienswijzetermijn",
});

labels!(ClosureState {
    Reported => "rapportage",
    Warned => "gewaarschuwd",
    Intention => "voornemen",
    Decided => "besloten",
    Closed => "gesloten",
    Lifted => "opgeheven",
    Dropped => "afgezien",
});

labels!(ClosureStep {
    ReportReceived => "bestuurlijke rapportage ontvangen",
    WarningGiven => "waarschuwing gegeven",
    IntentionSent => "voornemen verstuurd",
    ViewsReceived => "zienswijze ontvangen",
    ClosureDecided => "besluit tot sluiting",
    ClosedOn => "pand gesloten",
    Extended => "sluiting verlengd",
    Lifted => "sluiting opgeheven",
    ObjectionReceived => "bezwaar ontvangen",
    Dropped => "afgezien van sluiting",
});

labels!(ClosureFact {
    Premises => "woning of lokaal",
    Drugs => "aangetroffen drugs en hoeveelheid",
    Ground => "grond (handelshoeveelheid of voorbereidingshandelingen)",
    CareDiscussed => "of zorg is besproken",
    Motivation => "evenredigheid (geschikt, noodzakelijk, evenwichtig)",
});

labels!(ClosureTerm {
    ViewsTerm => "zienswijzetermijn",
    GracePeriod => "begunstigingstermijn",
    ClosedUntil => "gesloten tot",
});

labels!(SanctionState {
    Prepared => "in voorbereiding",
    Intention => "voornemen",
    Imposed => "opgelegd",
    Forfeited => "dwangsom verbeurd",
    CarriedOut => "bestuursdwang uitgevoerd",
    Complied => "nageleefd",
    Ended => "beëindigd",
});

labels!(SanctionStep {
    IntentionSent => "voornemen verstuurd",
    ViewsReceived => "zienswijze ontvangen",
    Imposed => "last opgelegd",
    Complied => "last nageleefd",
    Forfeited => "dwangsom verbeurd",
    CollectionDecided => "invorderingsbesluit genomen",
    CarriedOut => "bestuursdwang uitgevoerd",
    CostsRecovered => "kosten verhaald",
    ObjectionReceived => "bezwaar ontvangen",
    Lifted => "last opgeheven",
});

labels!(SanctionFact {
    LegalBasis => "grondslag",
    Violation => "overtreding",
    Amount => "bedrag, eenheid en maximum",
    Forfeiture => "verbeurde bedragen",
    Costs => "kosten",
});

labels!(SanctionTerm {
    ViewsTerm => "zienswijzetermijn",
    GracePeriod => "begunstigingstermijn",
    CollectionLimit => "verjaring invordering (art. 5:35 Awb)",
});

labels!(ControlState {
    Preparing => "in voorbereiding",
    Planned => "gepland",
    Held => "uitgevoerd",
    Reported => "afgerond",
    Cancelled => "geannuleerd",
});

labels!(ControlStep {
    Planned => "controle gepland",
    Held => "controle uitgevoerd",
    Reported => "bevindingen vastgelegd",
    Cancelled => "geannuleerd",
});

labels!(ControlFact {
    Branch => "branche",
    Partners => "deelnemende partners",
    Findings => "bevindingen",
});

labels!(ControlTerm {
    HoldOn => "uitvoering",
    ReportTerm => "verslag (twee weken)",
});

labels!(ReferralState {
    Draft => "concept",
    Sent => "verwezen",
    Answered => "teruggekoppeld",
    Closed => "afgesloten",
});

labels!(ReferralStep {
    Sent => "verwezen",
    FeedbackReceived => "terugkoppeling ontvangen",
    Closed => "afgesloten",
});

labels!(ReferralFact {
    Recipient => "ontvanger",
    Feedback => "terugkoppeling",
});

labels!(ReferralTerm {
    FeedbackTerm => "terugkoppeling (zes weken)",
});

fn by_slug<T: Slug + Label>(slug: &str) -> &'static str {
    T::all()
        .iter()
        .find(|v| v.slug() == slug)
        .map_or("onbekend", |v| v.label())
}

/// What the procedures of a kind call their states, steps, facts and terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcedureWord {
    State,
    Step,
    Fact,
    Term,
}

/// The Dutch name of a state, step, fact or term (by machine name) of a kind's procedure.
pub fn procedure_label(kind: InterventionKind, word: ProcedureWord, slug: &str) -> &'static str {
    use InterventionKind as K;
    use ProcedureWord as W;
    match (kind, word) {
        (K::Bibob, W::State) => by_slug::<BibobState>(slug),
        (K::Bibob, W::Step) => by_slug::<BibobStep>(slug),
        (K::Bibob, W::Fact) => by_slug::<BibobFact>(slug),
        (K::Bibob, W::Term) => by_slug::<BibobTerm>(slug),
        (K::Closure, W::State) => by_slug::<ClosureState>(slug),
        (K::Closure, W::Step) => by_slug::<ClosureStep>(slug),
        (K::Closure, W::Fact) => by_slug::<ClosureFact>(slug),
        (K::Closure, W::Term) => by_slug::<ClosureTerm>(slug),
        (K::PenaltyOrder | K::Enforcement, W::State) => by_slug::<SanctionState>(slug),
        (K::PenaltyOrder | K::Enforcement, W::Step) => by_slug::<SanctionStep>(slug),
        (K::PenaltyOrder | K::Enforcement, W::Fact) => by_slug::<SanctionFact>(slug),
        (K::PenaltyOrder | K::Enforcement, W::Term) => by_slug::<SanctionTerm>(slug),
        (K::Control, W::State) => by_slug::<ControlState>(slug),
        (K::Control, W::Step) => by_slug::<ControlStep>(slug),
        (K::Control, W::Fact) => by_slug::<ControlFact>(slug),
        (K::Control, W::Term) => by_slug::<ControlTerm>(slug),
        (K::CareReferral | K::PartnerReferral, W::State) => by_slug::<ReferralState>(slug),
        (K::CareReferral | K::PartnerReferral, W::Step) => by_slug::<ReferralStep>(slug),
        (K::CareReferral | K::PartnerReferral, W::Fact) => by_slug::<ReferralFact>(slug),
        (K::CareReferral | K::PartnerReferral, W::Term) => by_slug::<ReferralTerm>(slug),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baken_core::intervention::flow::Flow;

    #[test]
    fn every_step_and_state_of_every_kind_has_a_dutch_name() {
        for kind in InterventionKind::ALL {
            let flow = Flow::start(*kind);
            assert_ne!(
                procedure_label(*kind, ProcedureWord::State, flow.state()),
                "onbekend"
            );
            for next in flow.next_steps() {
                assert_ne!(
                    procedure_label(*kind, ProcedureWord::Step, next.step),
                    "onbekend"
                );
            }
        }
    }
}
