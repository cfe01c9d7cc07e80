//! The register of interventions (issue 15): the municipality's instruments — Bibob
//! screenings, 13b closures, last onder dwangsom and bestuursdwang, integrated controls,
//! referrals to care or to a partner — each with its procedure ([`flow::Flow`], defined in
//! `procedure`), its own details ([`details`]) and the people and premises it concerns.
//!
//! The Bibob screening lives in a compartment: only the owning organisation's
//! bibob-coördinators see or change it; it is never on a case (the case table is not Bibob),
//! and what leaves it — a disclosure under art. 28 Wet Bibob — is recorded with its recipient,
//! the exception used and why.

pub mod details;
pub mod escalation;
pub mod figures;
pub mod flow;

pub(crate) use crate::model::iso_date;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::access::{Caller, Role};
use crate::case::MAX_TEXT;
use crate::identifiers::BagId;
use crate::meeting::{optional_text, required_text};
use crate::model::slug_enum;
use crate::procedure::{Length, LengthUnit};
use crate::signal::Coordinates;
use crate::validation::{Format, Missing, Problem};
use crate::ValidationErrors;
use details::{Details, RawDetails, MAX_SHORT};
use flow::{NextStep, TermStatus};

slug_enum!(
    /// The instruments the register knows.
    InterventionKind {
        Bibob => "bibob";
        Closure => "sluiting-13b";
        PenaltyOrder => "last-onder-dwangsom";
        Enforcement => "bestuursdwang";
        Control => "integrale-controle";
        CareReferral => "zorgverwijzing";
        PartnerReferral => "verwijzing-partner";
    }
);

impl InterventionKind {
    /// Bibob screenings stay in the Bibob compartment.
    pub fn in_bibob_compartment(self) -> bool {
        self == InterventionKind::Bibob
    }

    /// The kinds shown on a map (those with premises; never Bibob).
    pub fn on_map(self) -> bool {
        matches!(
            self,
            InterventionKind::Closure
                | InterventionKind::Control
                | InterventionKind::PenaltyOrder
                | InterventionKind::Enforcement
        )
    }
}

slug_enum!(
    /// The role of a person or organisation in an intervention.
    PartyRole {
        Applicant => "aanvrager";
        Manager => "leidinggevende";
        Control => "zeggenschap";
        Financier => "vermogensverschaffer";
        BusinessPartner => "zakelijk-samenwerkingsverband";
        Backer => "achterman";
        Resident => "bewoner";
        Owner => "eigenaar";
        Operator => "exploitant";
        Offender => "overtreder";
        Client => "client";
    }
);

slug_enum!(
    /// To whom Bibob information may go under an exception of art. 28 Wet Bibob
    /// (reference.md §1.5).
    Art28Recipient {
        Applicant => "betrokkene";
        ThirdParty => "derde-in-motivering";
        Triangle => "driehoek";
        Riec => "riec";
        ObjectionCommittee => "bezwaarschriftencommissie";
        Court => "rechter";
    }
);

/// At most this many parties on one intervention.
pub const MAX_PARTIES: usize = 50;

/// A new intervention as both edges send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawIntervention {
    pub kind: String,
    pub title: String,
    /// The case it comes from (never for a Bibob screening).
    pub case: String,
    /// The premises or object: a BAG id (16 digits).
    pub object: String,
    /// The address as written, when there is no BAG id or to show beside it.
    pub address: String,
    /// Where it is (WGS84), to show it on the map.
    pub latitude: String,
    pub longitude: String,
    pub opened_on: String,
    #[serde(flatten)]
    pub details: RawDetails,
}

/// A new intervention, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIntervention {
    pub kind: InterventionKind,
    pub title: String,
    pub case: Option<Uuid>,
    pub object: Option<BagId>,
    pub address: String,
    pub location: Option<Coordinates>,
    pub opened_on: Date,
    pub details: Details,
}

impl NewIntervention {
    /// Parses a new intervention; `today` is the latest day it may be opened on.
    pub fn parse(raw: &RawIntervention, today: Date) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let kind = errors.take("kind", InterventionKind::parse(&raw.kind));
        let title = required_text(&mut errors, "title", &raw.title, Missing::Title, MAX_SHORT);
        let case = match raw.case.trim() {
            "" => None,
            text => errors.take(
                "case",
                Uuid::parse_str(text).map_err(|_| Problem::NotA {
                    format: Format::Id,
                    given: text.to_string(),
                }),
            ),
        };
        if case.is_some() && kind == Some(InterventionKind::Bibob) {
            errors.push("case", Problem::BibobNotOnCaseTable);
        }
        let (object, address) = parse_object(&mut errors, (&raw.object, &raw.address));
        let location = parse_location(&mut errors, (&raw.latitude, &raw.longitude));
        let opened_on = match raw.opened_on.trim() {
            "" => Some(today),
            text => errors.take("openedOn", crate::signal::parse_date(text)),
        };
        if opened_on.is_some_and(|d| d > today) {
            errors.push("openedOn", Problem::InFuture);
        }
        let details = match kind {
            Some(kind) => match raw.details.parse(kind) {
                Ok(d) => Some(d),
                Err(e) => {
                    errors.0.extend(e.0);
                    None
                }
            },
            None => None,
        };
        match (kind, opened_on, details) {
            (Some(kind), Some(opened_on), Some(details)) if errors.is_empty() => Ok(Self {
                kind,
                title,
                case,
                object,
                address,
                location,
                opened_on,
                details,
            }),
            _ => Err(errors),
        }
    }
}

/// The object (BAG) and address of an intervention, each checked.
pub fn parse_object(
    errors: &mut ValidationErrors,
    (object, address): (&str, &str),
) -> (Option<BagId>, String) {
    let object = match object.trim() {
        "" => None,
        text => errors.take("object", BagId::parse(text)),
    };
    let address = optional_text(errors, "address", address, MAX_SHORT);
    (object, address)
}

/// The place of an intervention on the map, if given.
pub fn parse_location(
    errors: &mut ValidationErrors,
    (latitude, longitude): (&str, &str),
) -> Option<Coordinates> {
    match Coordinates::parse_optional(latitude, longitude) {
        Ok(c) => c,
        Err(e) => {
            errors.0.extend(e.0);
            None
        }
    }
}

/// A change of an intervention's title, object and details.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawChange {
    pub title: String,
    pub object: String,
    pub address: String,
    pub latitude: String,
    pub longitude: String,
    #[serde(flatten)]
    pub details: RawDetails,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterventionChange {
    pub title: String,
    pub object: Option<BagId>,
    pub address: String,
    pub location: Option<Coordinates>,
    pub details: Details,
}

impl InterventionChange {
    pub fn parse(raw: &RawChange, kind: InterventionKind) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = required_text(&mut errors, "title", &raw.title, Missing::Title, MAX_SHORT);
        let (object, address) = parse_object(&mut errors, (&raw.object, &raw.address));
        let location = parse_location(&mut errors, (&raw.latitude, &raw.longitude));
        let details = match raw.details.parse(kind) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.0.extend(e.0);
                None
            }
        };
        match details {
            Some(details) if errors.is_empty() => Ok(Self {
                title,
                object,
                address,
                location,
                details,
            }),
            _ => Err(errors),
        }
    }
}

/// A step as both edges send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawStep {
    pub step: String,
    /// The day it happened (`JJJJ-MM-DD`).
    pub on: String,
    /// With a step that starts a term of a given length: how many…
    pub length: String,
    /// …of `dagen`, `weken`, `werkdagen` or `maanden`.
    pub unit: String,
    pub note: String,
}

/// A step to record: the procedure decides whether it may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStep {
    pub step: String,
    pub on: Date,
    pub length: Option<Length>,
    pub note: String,
}

impl NewStep {
    /// Parses a step; `today` is the latest day it may have happened on, unless it is the
    /// day something is planned for (see [`flow::Flow::is_planned`]).
    pub fn parse(raw: &RawStep, today: Date) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if raw.step.trim().is_empty() {
            errors.push("step", Missing::Step);
        }
        if raw.step.len() > MAX_SHORT {
            errors.push("step", Problem::TooLong { max: MAX_SHORT });
        }
        let on = match raw.on.trim() {
            "" => Some(today),
            text => errors.take("on", crate::signal::parse_date(text)),
        };
        if on.is_some_and(|d| d > today) && !flow::Flow::is_planned(raw.step.trim()) {
            errors.push("on", Problem::InFuture);
        }
        let length = match (raw.length.trim(), raw.unit.trim()) {
            ("", _) => None,
            (count, unit) => {
                let unit = errors.take("unit", LengthUnit::parse(unit));
                let count = errors.take(
                    "length",
                    count.parse::<u16>().map_err(|_| Problem::NotA {
                        format: Format::WholeCount,
                        given: count.to_string(),
                    }),
                );
                match (unit, count) {
                    (Some(unit), Some(count)) => {
                        let length = Length::of(unit, count);
                        if length.is_none() {
                            errors.push("length", Problem::LengthTooLong);
                        }
                        length
                    }
                    _ => None,
                }
            }
        };
        let note = optional_text(&mut errors, "note", &raw.note, MAX_TEXT);
        match on {
            Some(on) if errors.is_empty() => Ok(Self {
                step: raw.step.trim().to_string(),
                on,
                length,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// A person or organisation an intervention concerns, with their role; `dossier` is the
/// linking engine's entity when the party was added from a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Party {
    pub id: Uuid,
    pub name: String,
    pub role: PartyRole,
    /// The dossier by the number the reader knows it by (a mention they may see); `None`
    /// when it was added by name or the reader may not see the dossier.
    pub dossier: Option<Uuid>,
}

impl PartyRole {
    /// Whether the role belongs to parties of `kind` (Bibob roles for a screening, the
    /// others for the rest).
    pub fn fits(self, kind: InterventionKind) -> bool {
        use PartyRole::*;
        let bibob = matches!(
            self,
            Applicant | Manager | Control | Financier | BusinessPartner | Backer
        );
        match kind {
            InterventionKind::Bibob => bibob,
            _ => !bibob || self == Manager,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawParty {
    pub name: String,
    pub role: String,
    /// A dossier (entity) id, when the party is taken from a dossier.
    pub dossier: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParty {
    pub name: String,
    pub role: PartyRole,
    pub dossier: Option<Uuid>,
}

impl NewParty {
    pub fn parse(raw: &RawParty) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let dossier = match raw.dossier.trim() {
            "" => None,
            text => errors.take(
                "dossier",
                Uuid::parse_str(text).map_err(|_| Problem::NotA {
                    format: Format::Id,
                    given: text.to_string(),
                }),
            ),
        };
        // A party from a dossier takes its name from there (the store fills it in).
        let name = if dossier.is_some() && raw.name.trim().is_empty() {
            String::new()
        } else {
            required_text(
                &mut errors,
                "name",
                &raw.name,
                Missing::PartyName,
                MAX_SHORT,
            )
        };
        let role = errors.take("role", PartyRole::parse(&raw.role));
        match role {
            Some(role) if errors.is_empty() => Ok(Self {
                name,
                role,
                dossier,
            }),
            _ => Err(errors),
        }
    }
}

/// A disclosure of Bibob information under an exception of art. 28 Wet Bibob.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawArt28 {
    /// The exception: `betrokkene`, `derde-in-motivering`, `driehoek`, `riec`,
    /// `bezwaarschriftencommissie` or `rechter`.
    pub exception: String,
    /// Who received it (a name, an organisation).
    pub recipient: String,
    pub reason: String,
    pub disclosed_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewArt28 {
    pub exception: Art28Recipient,
    pub recipient: String,
    pub reason: String,
    pub disclosed_on: Date,
}

impl NewArt28 {
    pub fn parse(raw: &RawArt28, today: Date) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let exception = errors.take("exception", Art28Recipient::parse(&raw.exception));
        let recipient = required_text(
            &mut errors,
            "recipient",
            &raw.recipient,
            Missing::Art28Recipients,
            MAX_SHORT,
        );
        let reason = required_text(
            &mut errors,
            "reason",
            &raw.reason,
            Missing::DisclosureReason,
            MAX_TEXT,
        );
        let disclosed_on = match raw.disclosed_on.trim() {
            "" => Some(today),
            text => errors.take("disclosedOn", crate::signal::parse_date(text)),
        };
        if disclosed_on.is_some_and(|d| d > today) {
            errors.push("disclosedOn", Problem::InFuture);
        }
        match (exception, disclosed_on) {
            (Some(exception), Some(disclosed_on)) if errors.is_empty() => Ok(Self {
                exception,
                recipient,
                reason,
                disclosed_on,
            }),
            _ => Err(errors),
        }
    }
}

/// A recorded art. 28 disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Art28Disclosure {
    pub id: Uuid,
    pub exception: Art28Recipient,
    pub recipient: String,
    pub reason: String,
    #[serde(with = "iso_date")]
    pub disclosed_on: Date,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

/// What an intervention can be linked to: what followed it (a signal, another
/// intervention) or a field visit made during it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    Signal(Uuid),
    Intervention(Uuid),
    Visit(Uuid),
}

slug_enum!(
    /// The kind of a link, as lists show it; `naar-aanleiding-van` is the reverse of
    /// `vervolg` (the intervention this one followed).
    LinkKind {
        Signal => "signaal";
        FollowUp => "vervolg";
        Visit => "veldbezoek";
        FollowedFrom => "naar-aanleiding-van";
    }
);

/// A link as the reader may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterventionLink {
    pub kind: LinkKind,
    pub id: Uuid,
    /// The signal's or intervention's title; a visit's place.
    pub title: String,
    /// A visit's day.
    #[serde(with = "iso_date::option")]
    pub on: Option<Date>,
}

/// A link as both edges send it: one of the three.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawLink {
    pub signal: String,
    pub intervention: String,
    pub visit: String,
}

impl RawLink {
    pub fn parse(&self) -> Result<LinkTarget, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut id = |field: &str, text: &str| -> Option<Uuid> {
            match text.trim() {
                "" => None,
                t => errors.take(
                    field,
                    Uuid::parse_str(t).map_err(|_| Problem::NotA {
                        format: Format::Id,
                        given: t.to_string(),
                    }),
                ),
            }
        };
        let given = [
            id("signal", &self.signal).map(LinkTarget::Signal),
            id("intervention", &self.intervention).map(LinkTarget::Intervention),
            id("visit", &self.visit).map(LinkTarget::Visit),
        ];
        let mut chosen = given.into_iter().flatten();
        match (chosen.next(), chosen.next(), errors.is_empty()) {
            (Some(target), None, true) => Ok(target),
            (_, _, false) => Err(errors),
            _ => {
                errors.push("signal", Missing::LinkTarget);
                Err(errors)
            }
        }
    }
}

/// A barrier an intervention is tagged with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaggedBarrier {
    pub id: Uuid,
    pub model: Uuid,
    pub text: String,
}

/// A step as the register shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepRecord {
    pub step: String,
    #[serde(with = "iso_date")]
    pub on: Date,
    pub length: Option<u16>,
    pub unit: Option<LengthUnit>,
    pub note: String,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

/// An intervention as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterventionSummary {
    pub id: Uuid,
    pub kind: InterventionKind,
    pub title: String,
    pub state: &'static str,
    pub case_id: Option<Uuid>,
    pub object: Option<String>,
    pub address: String,
    /// Where it is on the map (WGS84 micro-degrees), if recorded.
    pub location: Option<Coordinates>,
    #[serde(with = "iso_date")]
    pub opened_on: Date,
    pub owner_name: String,
    /// The first term that is overdue or runs, if any.
    pub next_term: Option<TermStatus>,
}

/// An intervention in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterventionDetail {
    #[serde(flatten)]
    pub summary: InterventionSummary,
    pub case_title: Option<String>,
    pub details: Details,
    pub parties: Vec<Party>,
    pub steps: Vec<StepRecord>,
    pub terms: Vec<TermStatus>,
    pub next_steps: Vec<NextStep>,
    /// Art. 28 disclosures (Bibob screenings only).
    pub disclosures: Vec<Art28Disclosure>,
    /// The barriers (of barrier models) it is tagged with.
    pub barriers: Vec<TaggedBarrier>,
    /// What followed it, what it followed, and the field visits made during it, as far as
    /// the reader may see them.
    pub links: Vec<InterventionLink>,
    /// Care details (a care referral's reason and feedback, the care discussed before a
    /// closure) are left out: they stay with the organisation that holds the intervention.
    pub care_withheld: bool,
    /// The caller may record steps and change it.
    pub may_change: bool,
}

/// A term that needs attention, for overviews and `/api/v1/deadlines`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadline {
    pub intervention: Uuid,
    pub kind: InterventionKind,
    pub title: String,
    pub case_id: Option<Uuid>,
    pub term: TermStatus,
}

/// Earlier offences of a 13b closure within the look-back period: other closures or
/// warnings on the same premises (BAG id or address) and of the same people (a party from
/// the same dossier), before the day this one was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recidive {
    pub on_premises: u32,
    pub of_people: u32,
    pub look_back_months: u8,
}

impl Recidive {
    /// The earlier offences the matrix counts: the larger of the two.
    pub fn earlier(&self) -> u32 {
        self.on_premises.max(self.of_people)
    }
}

/// The first term of a list that is still open: overdue first, then the earliest.
pub fn next_term(terms: &[TermStatus]) -> Option<TermStatus> {
    terms
        .iter()
        .filter(|t| t.due_on.is_some())
        .min_by_key(|t| t.due_on)
        .copied()
}

/// Which interventions a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InterventionFilter {
    pub kind: Option<InterventionKind>,
    pub case: Option<Uuid>,
    pub place: Place,
    /// Only those linked to this signal, intervention (as what followed) or visit.
    pub linked_to: Option<LinkTarget>,
}

/// Where the listed interventions must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Place {
    #[default]
    Anywhere,
    /// With a location, of a kind shown on the map ([`InterventionKind::on_map`]).
    OnTheMap,
}

impl crate::Purpose {
    /// Reading or changing an intervention that is not on a case (a Bibob screening, or one
    /// registered on its own).
    pub fn intervention(id: Uuid) -> Self {
        Self::new(format!("interventie {id}"))
    }
}

impl Caller {
    /// Registering an intervention: Bibob screenings by bibob-coördinators; the other
    /// instruments by the undermining team's analysts.
    pub fn may_register_intervention(&self, kind: InterventionKind) -> bool {
        if kind.in_bibob_compartment() {
            self.has(Role::BibobCoordinator)
        } else {
            self.has(Role::Analist)
        }
    }

    /// Whether the caller sees the Bibob compartment of `owner_org`.
    pub fn sees_bibob_of(&self, owner_org: Uuid) -> bool {
        self.has(Role::BibobCoordinator) && self.org() == owner_org
    }

    /// Recording steps and changing an intervention: Bibob only in the compartment; the
    /// others by whoever registered it or an analyst of the owning organisation.
    pub fn may_change_intervention(
        &self,
        kind: InterventionKind,
        (owner_org, owner_user): (Uuid, Uuid),
    ) -> bool {
        if kind.in_bibob_compartment() {
            self.sees_bibob_of(owner_org)
        } else {
            self.user() == owner_user || (self.org() == owner_org && self.has(Role::Analist))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_bibob_screening_is_never_on_a_case() {
        let raw = RawIntervention {
            kind: "bibob".into(),
            title: "Exploitatievergunning Herestraat".into(),
            case: Uuid::nil().to_string(),
            ..RawIntervention::default()
        };
        let errors = NewIntervention::parse(&raw, date!(2025 - 05 - 01)).unwrap_err();
        assert_eq!(
            errors.for_field("case"),
            Some(&Problem::BibobNotOnCaseTable)
        );
    }

    #[test]
    fn a_new_intervention_names_every_problem() {
        let raw = RawIntervention {
            kind: "sluiting".into(),
            object: "12".into(),
            opened_on: "2025-05-02".into(),
            ..RawIntervention::default()
        };
        let errors = NewIntervention::parse(&raw, date!(2025 - 05 - 01)).unwrap_err();
        for field in ["kind", "title", "object", "openedOn"] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors}");
        }
    }

    #[test]
    fn a_step_with_a_length_needs_its_unit() {
        let raw = RawStep {
            step: "last-opgelegd".into(),
            on: "2025-03-03".into(),
            length: "4".into(),
            unit: "jaren".into(),
            ..RawStep::default()
        };
        let errors = NewStep::parse(&raw, date!(2025 - 05 - 01)).unwrap_err();
        assert!(errors.for_field("unit").is_some());
        let raw = RawStep {
            unit: "weken".into(),
            ..raw
        };
        let step = NewStep::parse(&raw, date!(2025 - 05 - 01)).unwrap();
        assert_eq!(step.length, Some(Length::Weeks(4)));
    }

    #[test]
    fn only_bibob_coordinators_of_the_owner_touch_the_compartment() {
        let org = Uuid::from_u128(1);
        for role in Role::ALL {
            let user = crate::model::User {
                id: Uuid::from_u128(2),
                org,
                email: "a@b.nl".into(),
                display_name: "A".into(),
                roles: crate::RoleSet::new([role]),
                active: true,
                password_change_required: false,
            };
            let caller = Caller::for_user(&user, crate::Purpose::signal_handling(), "test");
            let bibob = role == Role::BibobCoordinator;
            assert_eq!(
                caller.may_register_intervention(InterventionKind::Bibob),
                bibob
            );
            assert_eq!(caller.sees_bibob_of(org), bibob);
            assert!(!caller.sees_bibob_of(Uuid::from_u128(3)));
            assert_eq!(
                caller.may_change_intervention(InterventionKind::Bibob, (org, Uuid::from_u128(2))),
                bibob
            );
        }
    }
}
