//! What each kind of intervention records besides its steps (reference.md §1.7, §2.4, §2.5):
//! typed, parsed from the flat form both edges send ([`RawDetails`]), each problem named by
//! its field. Lists (voorschriften, drugs, forfeitures, findings) come one per line.

use serde::{Deserialize, Serialize};
use time::Date;

use super::InterventionKind;
use crate::case::MAX_TEXT;
use crate::meeting::optional_text;
use crate::model::slug_enum;
use crate::validation::{Format, Problem};
use crate::ValidationErrors;

/// At most this many lines in a list field.
pub const MAX_LINES: usize = 50;
/// At most this many characters in a short text (an article, a quantity, a reference).
pub const MAX_SHORT: usize = 200;

slug_enum!(
    /// The kind of decision a Bibob screening serves (the Groningen categories).
    BibobDecisionKind {
        BuildingPermit => "omgevingsvergunning";
        AlcoholPermit => "alcoholvergunning";
        HospitalityPermit => "exploitatievergunning-horeca";
        SexBusiness => "seksbedrijf";
        Coffeeshop => "coffeeshop";
        RealEstate => "vastgoedtransactie";
        Tender => "overheidsopdracht";
        Subsidy => "subsidie";
        Other => "overig";
    }
);

slug_enum!(
    /// Why a Bibob screening was started (toetsingsaanleiding).
    BibobTrigger {
        Policy => "beleidslijn";
        ProsecutorTip => "om-tip-art-26";
        OtherAuthority => "tip-bestuursorgaan";
        Riec => "riec";
        RegisterHit => "bibob-register";
        Reassessment => "herbeoordeling";
    }
);

slug_enum!(
    /// The result of the municipality's own investigation.
    OwnInvestigationResult {
        NoIndications => "geen-indicaties";
        Indications => "indicaties";
    }
);

slug_enum!(
    /// The LBB's conclusion on one ground.
    LbbConclusion {
        Serious => "ernstig";
        Lesser => "mindere-mate";
        NoDanger => "geen-gevaar";
    }
);

slug_enum!(
    /// The outcome of a Bibob screening.
    BibobOutcome {
        Granted => "verleend";
        GrantedWithConditions => "verleend-onder-voorschriften";
        Refused => "geweigerd";
        Revoked => "ingetrokken";
        NotProcessed => "buiten-behandeling";
        ApplicationWithdrawn => "aanvraag-ingetrokken";
        NoDecisionNeeded => "geen-besluit-nodig";
    }
);

slug_enum!(
    /// A woning or a lokaal (art. 13b Opiumwet treats them differently).
    PremisesKind {
        Dwelling => "woning";
        Premises => "lokaal";
    }
);

slug_enum!(
    /// What makes art. 13b apply.
    ClosureGround {
        TradeQuantity => "handelshoeveelheid";
        PreparatoryActs => "voorbereidingshandelingen";
    }
);

slug_enum!(
    /// A drug found.
    Substance {
        Cannabis => "cannabis";
        HempPlants => "hennepplanten";
        Cocaine => "cocaine";
        Heroin => "heroine";
        Amphetamine => "amfetamine";
        Ecstasy => "xtc";
        Precursors => "grondstoffen";
        Other => "overig";
    }
);

slug_enum!(
    /// The legal basis of a herstelsanctie.
    LegalBasis {
        Apv => "apv";
        Opiumwet => "opiumwet";
        Omgevingswet => "omgevingswet";
        Other => "overig";
    }
);

slug_enum!(
    /// What a dwangsom is forfeited per.
    PenaltyUnit {
        PerViolation => "per-overtreding";
        PerDay => "per-dag";
        PerWeek => "per-week";
    }
);

slug_enum!(
    /// The branch an integrated control looks at.
    Branch {
        Hospitality => "horeca";
        Cars => "autobranche";
        BusinessPark => "bedrijventerrein";
        Farming => "agrarisch";
        Retail => "detailhandel";
        Beauty => "nagel-en-kapsalons";
        Housing => "huisvesting";
        Garages => "garageboxen";
        MealDelivery => "maaltijdbezorgers";
        Fair => "kermis";
        Other => "overig";
    }
);

slug_enum!(
    /// Who runs an integrated control.
    ControlTeam {
        Own => "eigen";
        Regional => "regionaal";
    }
);

slug_enum!(
    /// The partners that take part in integrated controls.
    ControlPartner {
        Municipality => "gemeente";
        Police => "politie";
        Customs => "douane";
        Nla => "nla";
        Nvwa => "nvwa";
        EnvironmentService => "omgevingsdienst";
        Rdw => "rdw";
        Uwv => "uwv";
        TaxAuthority => "belastingdienst";
        FireService => "brandweer";
        Reakt => "reakt";
        Other => "overig";
    }
);

slug_enum!(
    /// What an integrated control looks for besides its branch's rules (the plan has controls
    /// also look for signs of human trafficking).
    ControlFocus {
        Trafficking => "mensenhandel";
        LabourExploitation => "arbeidsuitbuiting";
        Drugs => "drugs";
        Fraud => "fraude";
    }
);

slug_enum!(
    /// Where a referral goes.
    ReferralRecipient {
        Wij => "wij-groningen";
        CareAndSafetyHouse => "zorg-en-veiligheidshuis";
        Ggd => "ggd";
        Police => "politie";
        Prosecutor => "om";
        Riec => "riec";
        TaxAuthority => "belastingdienst";
        Nla => "nla";
        Other => "overig";
    }
);

impl Substance {
    /// A drug as people write it: the machine name, with or without accents ("cocaïne"), or
    /// a common name ("wiet", "hasj", "speed", "mdma").
    pub fn from_text(text: &str) -> Result<Substance, Problem> {
        let folded = crate::text::fold_lower(text.trim());
        let by_name = match folded.as_str() {
            "wiet" | "hasj" | "hasjiesj" | "marihuana" | "weed" => Some(Substance::Cannabis),
            "hennep" | "hennepplant" | "planten" => Some(Substance::HempPlants),
            "coke" | "cocaine" => Some(Substance::Cocaine),
            "heroine" => Some(Substance::Heroin),
            "speed" | "amfetamine" => Some(Substance::Amphetamine),
            "mdma" | "ecstasy" | "xtc" => Some(Substance::Ecstasy),
            _ => None,
        };
        match by_name {
            Some(s) => Ok(s),
            None => Substance::parse(&folded),
        }
    }
}

/// A quantity as written, starting with a number greater than zero ("450 planten").
fn quantity(text: &str) -> Result<String, Problem> {
    let first = text.split_whitespace().next().unwrap_or("");
    let number: String = first
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .collect();
    match number.replace(',', ".").parse::<f64>() {
        Ok(n) if n > 0.0 && n.is_finite() => {}
        _ => return Err(Problem::Quantity),
    }
    if text.chars().count() > MAX_SHORT {
        return Err(Problem::TooLong { max: MAX_SHORT });
    }
    Ok(text.to_string())
}

impl ReferralRecipient {
    /// Care recipients receive care referrals; the others, referrals to a partner.
    pub fn is_care(self) -> bool {
        matches!(
            self,
            ReferralRecipient::Wij | ReferralRecipient::CareAndSafetyHouse | ReferralRecipient::Ggd
        )
    }
}

/// An amount in euro cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cents(u64);

impl Cents {
    /// The largest amount accepted (ten million euro).
    const MAX: u64 = 1_000_000_000;

    pub fn cents(self) -> u64 {
        self.0
    }

    pub fn from_cents(cents: u64) -> Option<Cents> {
        (cents <= Self::MAX).then_some(Cents(cents))
    }

    /// Parses "1500", "1.500", "1500,50" or "1.500,50" (euro, Dutch notation).
    pub fn parse(raw: &str) -> Result<Cents, Problem> {
        let text = raw.trim().trim_start_matches('€').trim();
        let bad = || Problem::NotA {
            format: Format::Amount,
            given: raw.trim().to_string(),
        };
        if text.is_empty() || text.len() > 20 {
            return Err(bad());
        }
        let (whole, part) = match text.split_once(',') {
            Some((w, p)) => (w, p),
            None => (text, ""),
        };
        let whole: String = whole.chars().filter(|c| *c != '.').collect();
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if part.len() > 2 || !part.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let euros: u64 = whole.parse().map_err(|_| bad())?;
        let cents: u64 = match part.len() {
            0 => 0,
            1 => part.parse::<u64>().map_err(|_| bad())? * 10,
            _ => part.parse().map_err(|_| bad())?,
        };
        euros
            .checked_mul(100)
            .and_then(|c| c.checked_add(cents))
            .and_then(Cents::from_cents)
            .ok_or_else(bad)
    }
}

/// The LBB's conclusion per ground (art. 3 lid 1 Wet Bibob: a, benutting of advantages
/// gained from crime; b, committing crimes; and the verkrijgingsfeiten).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LbbConclusions {
    pub ground_a: Option<LbbConclusion>,
    pub ground_b: Option<LbbConclusion>,
    pub acquisition: Option<LbbConclusion>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BibobDetails {
    pub decision_kind: Option<BibobDecisionKind>,
    pub trigger: Option<BibobTrigger>,
    /// The zaaknummer of the application.
    pub application_ref: String,
    pub own_result: Option<OwnInvestigationResult>,
    pub lbb: LbbConclusions,
    pub outcome: Option<BibobOutcome>,
    /// The voorschriften of a permit granted under conditions.
    pub conditions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrugFinding {
    pub substance: Substance,
    pub quantity: String,
}

/// Whether care was discussed before a closure, with whom and with what outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareDiscussion {
    pub discussed: bool,
    pub with: String,
    pub outcome: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosureDetails {
    pub premises_kind: Option<PremisesKind>,
    pub ground: Option<ClosureGround>,
    pub drugs: Vec<DrugFinding>,
    pub care: Option<CareDiscussion>,
    /// Why the closure is geschikt, noodzakelijk and evenwichtig.
    pub proportionality: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Forfeiture {
    #[serde(with = "super::iso_date")]
    pub on: Date,
    pub amount: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SanctionDetails {
    pub legal_basis: Option<LegalBasis>,
    /// The article (e.g. "APV art. 2:74a").
    pub article: String,
    pub violation: String,
    /// The dwangsom in cents, per `per`, up to `maximum` (last onder dwangsom).
    pub amount: Option<u64>,
    pub per: Option<PenaltyUnit>,
    pub maximum: Option<u64>,
    pub forfeitures: Vec<Forfeiture>,
    /// The costs of bestuursdwang to recover, in cents.
    pub costs: Option<u64>,
}

impl SanctionDetails {
    pub fn forfeited(&self) -> u64 {
        self.forfeitures.iter().map(|f| f.amount).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub partner: ControlPartner,
    pub text: String,
}

/// A place an integrated control visits: a BAG object, or an address as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ControlLocation {
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub bag: Option<crate::identifiers::BagId>,
    pub address: String,
}

impl ControlLocation {
    /// A line of the form: 16 digits are a BAG id (checked), anything else an address.
    fn parse(line: &str) -> Result<ControlLocation, Problem> {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if !compact.is_empty() && compact.chars().all(|c| c.is_ascii_digit()) {
            let bag = crate::identifiers::BagId::parse(&compact).map_err(Problem::from)?;
            return Ok(ControlLocation {
                bag: Some(bag),
                address: String::new(),
            });
        }
        if line.chars().count() > MAX_SHORT {
            return Err(Problem::TooLong { max: MAX_SHORT });
        }
        Ok(ControlLocation {
            bag: None,
            address: line.to_string(),
        })
    }

    fn text(&self) -> String {
        match &self.bag {
            Some(bag) => bag.to_string(),
            None => self.address.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ControlDetails {
    pub branch: Option<Branch>,
    pub team: Option<ControlTeam>,
    /// The places it visits.
    #[serde(default)]
    pub locations: Vec<ControlLocation>,
    pub partners: Vec<ControlPartner>,
    pub findings: Vec<Finding>,
    /// What it also looked for.
    #[serde(default)]
    pub focus: Vec<ControlFocus>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralDetails {
    pub recipient: Option<ReferralRecipient>,
    pub reason: String,
    pub feedback: String,
}

/// What an intervention records besides its steps, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "form")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Details {
    Bibob(BibobDetails),
    Closure(ClosureDetails),
    Sanction(SanctionDetails),
    Control(ControlDetails),
    Referral(ReferralDetails),
}

impl Details {
    /// Empty details of the form `kind` uses.
    pub fn empty(kind: InterventionKind) -> Details {
        match kind {
            InterventionKind::Bibob => Details::Bibob(BibobDetails::default()),
            InterventionKind::Closure => Details::Closure(ClosureDetails::default()),
            InterventionKind::PenaltyOrder | InterventionKind::Enforcement => {
                Details::Sanction(SanctionDetails::default())
            }
            InterventionKind::Control => Details::Control(ControlDetails::default()),
            InterventionKind::CareReferral | InterventionKind::PartnerReferral => {
                Details::Referral(ReferralDetails::default())
            }
        }
    }
}

/// The details as both edges send them: text fields, lists one entry per line. Fields of
/// other kinds are ignored.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawDetails {
    pub decision_kind: String,
    pub trigger: String,
    pub application_ref: String,
    pub own_result: String,
    pub lbb_ground_a: String,
    pub lbb_ground_b: String,
    pub lbb_acquisition: String,
    pub outcome: String,
    /// One voorschrift per entry.
    pub conditions: Vec<String>,
    pub premises_kind: String,
    pub closure_ground: String,
    /// "substance quantity" per entry, e.g. "hennepplanten 450 planten".
    pub drugs: Vec<String>,
    /// "ja", "nee" or empty (not yet known).
    pub care_discussed: String,
    pub care_with: String,
    pub care_outcome: String,
    pub proportionality: String,
    pub legal_basis: String,
    pub article: String,
    pub violation: String,
    /// Euro, e.g. "1.500" or "250,50".
    pub amount: String,
    pub per: String,
    pub maximum: String,
    /// "JJJJ-MM-DD amount" per entry.
    pub forfeitures: Vec<String>,
    pub costs: String,
    pub branch: String,
    pub team: String,
    pub partners: Vec<String>,
    /// The places an integrated control visits: a BAG id or an address per entry.
    pub locations: Vec<String>,
    /// "partner: finding" per entry.
    pub findings: Vec<String>,
    /// What an integrated control also looked for, one per entry.
    pub focus: Vec<String>,
    pub recipient: String,
    pub reason: String,
    pub feedback: String,
}

impl Details {
    /// The details without what concerns someone's care (health and social circumstances,
    /// AVG art. 9), for readers outside the holding organisation; `true` when something was
    /// left out.
    pub fn without_care(self, kind: InterventionKind) -> (Details, bool) {
        match self {
            Details::Referral(r) if kind == InterventionKind::CareReferral => {
                let withheld = !r.reason.is_empty() || !r.feedback.is_empty();
                (
                    Details::Referral(ReferralDetails {
                        reason: String::new(),
                        feedback: String::new(),
                        ..r
                    }),
                    withheld,
                )
            }
            Details::Closure(mut c) => {
                let withheld = c
                    .care
                    .as_ref()
                    .is_some_and(|care| !care.with.is_empty() || !care.outcome.is_empty());
                if let Some(care) = c.care.as_mut() {
                    care.with.clear();
                    care.outcome.clear();
                }
                (Details::Closure(c), withheld)
            }
            other => (other, false),
        }
    }

    /// The details as the edges send them (to fill a form with, or to change and send back).
    pub fn to_raw(&self) -> RawDetails {
        fn opt<T: crate::model::Slug>(v: Option<T>) -> String {
            v.map(|v| v.slug().to_string()).unwrap_or_default()
        }
        fn euro(cents: Option<u64>) -> String {
            cents.map(euro_text).unwrap_or_default()
        }
        match self {
            Details::Bibob(d) => RawDetails {
                decision_kind: opt(d.decision_kind),
                trigger: opt(d.trigger),
                application_ref: d.application_ref.clone(),
                own_result: opt(d.own_result),
                lbb_ground_a: opt(d.lbb.ground_a),
                lbb_ground_b: opt(d.lbb.ground_b),
                lbb_acquisition: opt(d.lbb.acquisition),
                outcome: opt(d.outcome),
                conditions: d.conditions.clone(),
                ..RawDetails::default()
            },
            Details::Closure(d) => RawDetails {
                premises_kind: opt(d.premises_kind),
                closure_ground: opt(d.ground),
                drugs: d
                    .drugs
                    .iter()
                    .map(|f| {
                        format!("{} {}", f.substance.slug(), f.quantity)
                            .trim()
                            .to_string()
                    })
                    .collect(),
                care_discussed: match &d.care {
                    Some(c) if c.discussed => "ja".into(),
                    Some(_) => "nee".into(),
                    None => String::new(),
                },
                care_with: d.care.as_ref().map(|c| c.with.clone()).unwrap_or_default(),
                care_outcome: d
                    .care
                    .as_ref()
                    .map(|c| c.outcome.clone())
                    .unwrap_or_default(),
                proportionality: d.proportionality.clone(),
                ..RawDetails::default()
            },
            Details::Sanction(d) => RawDetails {
                legal_basis: opt(d.legal_basis),
                article: d.article.clone(),
                violation: d.violation.clone(),
                amount: euro(d.amount),
                per: opt(d.per),
                maximum: euro(d.maximum),
                forfeitures: d
                    .forfeitures
                    .iter()
                    .map(|f| format!("{} € {}", dutch_date(f.on), euro_text(f.amount)))
                    .collect(),
                costs: euro(d.costs),
                ..RawDetails::default()
            },
            Details::Control(d) => RawDetails {
                branch: opt(d.branch),
                team: opt(d.team),
                locations: d.locations.iter().map(ControlLocation::text).collect(),
                partners: d.partners.iter().map(|p| p.slug().to_string()).collect(),
                findings: d
                    .findings
                    .iter()
                    .map(|f| format!("{}: {}", f.partner.slug(), f.text))
                    .collect(),
                focus: d.focus.iter().map(|f| f.slug().to_string()).collect(),
                ..RawDetails::default()
            },
            Details::Referral(d) => RawDetails {
                recipient: opt(d.recipient),
                reason: d.reason.clone(),
                feedback: d.feedback.clone(),
                ..RawDetails::default()
            },
        }
    }
}

/// An amount in cents as Dutch notation reads it back ("1500" or "1500,50").
pub fn euro_text(cents: u64) -> String {
    if cents.is_multiple_of(100) {
        format!("{}", cents / 100)
    } else {
        format!("{},{:02}", cents / 100, cents % 100)
    }
}

fn choice<T>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &str,
    parse: fn(&str) -> Result<T, Problem>,
) -> Option<T> {
    if raw.trim().is_empty() {
        return None;
    }
    match parse(raw) {
        Ok(v) => Some(v),
        Err(p) => {
            errors.push(field, p);
            None
        }
    }
}

fn amount(errors: &mut ValidationErrors, field: &str, raw: &str) -> Option<u64> {
    if raw.trim().is_empty() {
        return None;
    }
    match Cents::parse(raw) {
        Ok(c) => Some(c.cents()),
        Err(p) => {
            errors.push(field, p);
            None
        }
    }
}

/// The non-empty lines of a list field, each parsed; problems named `field[i]`.
fn lines<T>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &[String],
    mut parse: impl FnMut(&str) -> Result<T, Problem>,
) -> Vec<T> {
    let given: Vec<&String> = raw.iter().filter(|l| !l.trim().is_empty()).collect();
    if given.len() > MAX_LINES {
        errors.push(field, Problem::TooManyLines { max: MAX_LINES });
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, line) in given.into_iter().enumerate() {
        let line = line.trim();
        if line.chars().count() > MAX_TEXT {
            errors.push(format!("{field}[{i}]"), Problem::TooLong { max: MAX_TEXT });
            continue;
        }
        match parse(line) {
            Ok(v) => out.push(v),
            Err(p) => errors.push(format!("{field}[{i}]"), p),
        }
    }
    out
}

/// A day as `dd-mm-jjjj` or `JJJJ-MM-DD` ([`crate::signal::parse_date`]).
pub(crate) fn dutch_or_iso_date(text: &str) -> Result<Date, Problem> {
    crate::signal::parse_date(text)
}

/// A day as the register writes it back (`dd-mm-jjjj`).
fn dutch_date(day: Date) -> String {
    day.format(&time::macros::format_description!("[day]-[month]-[year]"))
        .unwrap_or_default()
}

fn first_word(line: &str) -> (&str, &str) {
    match line.split_once(|c: char| c.is_whitespace() || c == ':') {
        Some((head, rest)) => (head.trim(), rest.trim()),
        None => (line.trim(), ""),
    }
}

impl RawDetails {
    /// The details of an intervention of `kind`; every problem named by its field.
    pub fn parse(&self, kind: InterventionKind) -> Result<Details, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let details = match Details::empty(kind) {
            Details::Bibob(_) => Details::Bibob(BibobDetails {
                decision_kind: choice(
                    &mut e,
                    "decisionKind",
                    &self.decision_kind,
                    BibobDecisionKind::parse,
                ),
                trigger: choice(&mut e, "trigger", &self.trigger, BibobTrigger::parse),
                application_ref: optional_text(
                    &mut e,
                    "applicationRef",
                    &self.application_ref,
                    MAX_SHORT,
                ),
                own_result: choice(
                    &mut e,
                    "ownResult",
                    &self.own_result,
                    OwnInvestigationResult::parse,
                ),
                lbb: LbbConclusions {
                    ground_a: choice(
                        &mut e,
                        "lbbGroundA",
                        &self.lbb_ground_a,
                        LbbConclusion::parse,
                    ),
                    ground_b: choice(
                        &mut e,
                        "lbbGroundB",
                        &self.lbb_ground_b,
                        LbbConclusion::parse,
                    ),
                    acquisition: choice(
                        &mut e,
                        "lbbAcquisition",
                        &self.lbb_acquisition,
                        LbbConclusion::parse,
                    ),
                },
                outcome: choice(&mut e, "outcome", &self.outcome, BibobOutcome::parse),
                conditions: lines(
                    &mut e,
                    "conditions",
                    &self.conditions,
                    |l| Ok(l.to_string()),
                ),
            }),
            Details::Closure(_) => {
                let care = match self.care_discussed.trim() {
                    "" => None,
                    "ja" | "nee" => Some(CareDiscussion {
                        discussed: self.care_discussed.trim() == "ja",
                        with: optional_text(&mut e, "careWith", &self.care_with, MAX_SHORT),
                        outcome: optional_text(&mut e, "careOutcome", &self.care_outcome, MAX_TEXT),
                    }),
                    other => {
                        e.push(
                            "careDiscussed",
                            Problem::NotA {
                                format: Format::YesNo,
                                given: other.to_string(),
                            },
                        );
                        None
                    }
                };
                Details::Closure(ClosureDetails {
                    premises_kind: choice(
                        &mut e,
                        "premisesKind",
                        &self.premises_kind,
                        PremisesKind::parse,
                    ),
                    ground: choice(
                        &mut e,
                        "closureGround",
                        &self.closure_ground,
                        ClosureGround::parse,
                    ),
                    drugs: lines(&mut e, "drugs", &self.drugs, |l| {
                        let (substance, amount) = first_word(l);
                        Ok(DrugFinding {
                            substance: Substance::from_text(substance)?,
                            quantity: quantity(amount)?,
                        })
                    }),
                    care,
                    proportionality: optional_text(
                        &mut e,
                        "proportionality",
                        &self.proportionality,
                        MAX_TEXT,
                    ),
                })
            }
            Details::Sanction(_) => Details::Sanction(SanctionDetails {
                legal_basis: choice(&mut e, "legalBasis", &self.legal_basis, LegalBasis::parse),
                article: optional_text(&mut e, "article", &self.article, MAX_SHORT),
                violation: optional_text(&mut e, "violation", &self.violation, MAX_TEXT),
                amount: amount(&mut e, "amount", &self.amount),
                per: choice(&mut e, "per", &self.per, PenaltyUnit::parse),
                maximum: amount(&mut e, "maximum", &self.maximum),
                forfeitures: lines(&mut e, "forfeitures", &self.forfeitures, |l| {
                    let (day, amount) = first_word(l);
                    Ok(Forfeiture {
                        on: dutch_or_iso_date(day)?,
                        amount: Cents::parse(amount)?.cents(),
                    })
                }),
                costs: amount(&mut e, "costs", &self.costs),
            }),
            Details::Control(_) => Details::Control(ControlDetails {
                branch: choice(&mut e, "branch", &self.branch, Branch::parse),
                team: choice(&mut e, "team", &self.team, ControlTeam::parse),
                locations: lines(&mut e, "locations", &self.locations, ControlLocation::parse),
                partners: {
                    let mut p = lines(&mut e, "partners", &self.partners, ControlPartner::parse);
                    p.sort();
                    p.dedup();
                    p
                },
                findings: lines(&mut e, "findings", &self.findings, |l| {
                    let (partner, text) = first_word(l);
                    Ok(Finding {
                        partner: ControlPartner::parse(partner)?,
                        text: text.to_string(),
                    })
                }),
                focus: {
                    let mut f = lines(&mut e, "focus", &self.focus, ControlFocus::parse);
                    f.sort();
                    f.dedup();
                    f
                },
            }),
            Details::Referral(_) => {
                let recipient = choice(
                    &mut e,
                    "recipient",
                    &self.recipient,
                    ReferralRecipient::parse,
                );
                if let Some(r) = recipient {
                    if r.is_care() != (kind == InterventionKind::CareReferral) {
                        e.push(
                            "recipient",
                            Problem::ReferralRecipient { care: r.is_care() },
                        );
                    }
                }
                Details::Referral(ReferralDetails {
                    recipient,
                    reason: optional_text(&mut e, "reason", &self.reason, MAX_TEXT),
                    feedback: optional_text(&mut e, "feedback", &self.feedback, MAX_TEXT),
                })
            }
        };
        if let Details::Sanction(s) = &details {
            if let (Some(amount), Some(max)) = (s.amount, s.maximum) {
                if max < amount {
                    e.push("maximum", Problem::MaximumBelowAmount);
                }
            }
            if let Some(max) = s.maximum {
                if s.forfeited() > max {
                    e.push("forfeitures", Problem::ForfeitedAboveMaximum);
                }
            }
        }
        if let Details::Bibob(b) = &details {
            let conditional = b.outcome == Some(BibobOutcome::GrantedWithConditions);
            if conditional && b.conditions.is_empty() {
                e.push("conditions", crate::validation::Missing::Conditions);
            }
        }
        if e.is_empty() {
            Ok(details)
        } else {
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_in_dutch_notation() {
        assert_eq!(Cents::parse("1500").unwrap().cents(), 150_000);
        assert_eq!(Cents::parse("€ 1.500,5").unwrap().cents(), 150_050);
        assert_eq!(Cents::parse("250,50").unwrap().cents(), 25_050);
        for bad in ["", "1,505", "abc", "-3", "99999999999999"] {
            assert!(Cents::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn each_problem_is_named_by_its_field_and_line() {
        let raw = RawDetails {
            amount: "1000".into(),
            maximum: "500".into(),
            per: "per-maand".into(),
            forfeitures: vec!["2025-03-01 200".into(), "".into(), "1-3-2025 x".into()],
            ..RawDetails::default()
        };
        let errors = raw.parse(InterventionKind::PenaltyOrder).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["per", "forfeitures[1]", "maximum"]);
        let raw = RawDetails {
            outcome: "verleend-onder-voorschriften".into(),
            ..RawDetails::default()
        };
        let errors = raw.parse(InterventionKind::Bibob).unwrap_err();
        assert_eq!(errors.0.first().unwrap().field, "conditions");
        let raw = RawDetails {
            recipient: "politie".into(),
            ..RawDetails::default()
        };
        assert!(raw.parse(InterventionKind::CareReferral).is_err());
        assert!(raw.parse(InterventionKind::PartnerReferral).is_ok());
    }

    #[test]
    fn details_go_back_to_the_form_they_came_from() {
        let raw = RawDetails {
            legal_basis: "apv".into(),
            violation: "drugshandel".into(),
            amount: "1.500,50".into(),
            per: "per-dag".into(),
            maximum: "15000".into(),
            forfeitures: vec!["2025-03-01 1500,50".into()],
            ..RawDetails::default()
        };
        let details = raw.parse(InterventionKind::PenaltyOrder).unwrap();
        assert_eq!(
            details
                .to_raw()
                .parse(InterventionKind::PenaltyOrder)
                .unwrap(),
            details
        );
        let raw = RawDetails {
            drugs: vec!["hennepplanten 450 planten".into()],
            care_discussed: "ja".into(),
            care_with: "WIJ".into(),
            ..RawDetails::default()
        };
        let details = raw.parse(InterventionKind::Closure).unwrap();
        assert_eq!(
            details.to_raw().parse(InterventionKind::Closure).unwrap(),
            details
        );
    }

    #[test]
    fn lists_are_limited_before_they_are_parsed() {
        let raw = RawDetails {
            conditions: vec!["x".into(); MAX_LINES + 1],
            ..RawDetails::default()
        };
        assert!(raw.parse(InterventionKind::Bibob).is_err());
    }
}
