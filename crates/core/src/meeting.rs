//! Meetings of the case table (issue 14, pt 2): who takes part, the agenda built from cases,
//! and what each partner brought in under which legal basis (a disclosure). Decisions and
//! their actions are `crate::decision`'s.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::access::{Caller, Purpose, Role};
use crate::case::{CaseSummary, MAX_TEXT, MAX_TITLE};
use crate::model::slug_enum;
use crate::validation::{Missing, Problem};
use crate::ValidationErrors;

slug_enum!(
    /// Why a case is on a meeting's agenda.
    AgendaReason {
        New => "nieuw";
        FollowUpDue => "opvolgen";
        Requested => "verzoek";
        OverdueActions => "acties-verlopen";
        Chosen => "gekozen";
    }
);

slug_enum!(
    /// Under what a partner's information was brought to the table (reference.md §6.1):
    /// a sharing agreement (convenant) recorded in Baken, e.g. the RIEC convenant; the Wet
    /// gegevensverwerking door samenwerkingsverbanden (RIEC, Zorg- en Veiligheidshuis), for
    /// the table's participants; the exception of art. 28 Wet Bibob, only to the recipients
    /// named; or none: the partner holds information it may not share here, and only that
    /// fact is recorded.
    DisclosureBasis {
        Convenant => "convenant";
        Wgs => "wgs";
        BibobArt28 => "bibob-art-28";
        NotShareable => "niet-deelbaar";
    }
);

/// Fills `errors` for a text that must be given (at most `max` characters) and returns it
/// trimmed.
pub(crate) fn required_text(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &str,
    missing: Missing,
    max: usize,
) -> String {
    let text = raw.trim();
    if text.is_empty() {
        errors.push(field, missing);
    } else if text.chars().count() > max {
        errors.push(field, Problem::TooLong { max });
    }
    text.to_string()
}

/// A text that must be given (at most `MAX_TEXT` characters), named `field` when it is not:
/// the one parse of the reasons and summaries the case table asks for.
pub(crate) fn required(
    field: &str,
    raw: &str,
    missing: Missing,
) -> Result<String, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let text = required_text(&mut errors, field, raw, missing, MAX_TEXT);
    if errors.is_empty() {
        Ok(text)
    } else {
        Err(errors)
    }
}

/// Fills `errors` for a text that may be empty (at most `max` characters).
pub(crate) fn optional_text(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &str,
    max: usize,
) -> String {
    let text = raw.trim();
    if text.chars().count() > max {
        errors.push(field, Problem::TooLong { max });
    }
    text.to_string()
}

/// Ids in a form or a request body, each one parsed.
pub(crate) fn parse_ids(errors: &mut ValidationErrors, field: &str, raw: &[String]) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for (i, text) in raw.iter().enumerate() {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match Uuid::parse_str(text) {
            Ok(id) => ids.push(id),
            Err(_) => errors.push(
                format!("{field}[{i}]"),
                Problem::NotA {
                    format: crate::validation::Format::Id,
                    given: text.to_string(),
                },
            ),
        }
    }
    ids.sort();
    ids.dedup();
    ids
}

/// The most organisations, people or cases on one meeting.
pub const MAX_LISTED: usize = 100;

/// A meeting as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawMeeting {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub organisations: Vec<String>,
    #[serde(default)]
    pub people: Vec<String>,
    #[serde(default)]
    pub cases: Vec<String>,
}

/// A new meeting, parsed: a title, a date, the participating organisations and people (the
/// store checks they exist) and the cases on its agenda (each one the planner may see).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeeting {
    pub title: String,
    pub held_on: Date,
    pub organisations: Vec<Uuid>,
    pub people: Vec<Uuid>,
    pub cases: Vec<Uuid>,
}

impl NewMeeting {
    pub fn parse(raw: &RawMeeting) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = required_text(&mut errors, "title", &raw.title, Missing::Title, MAX_TITLE);
        let held_on = match raw.held_on.trim() {
            "" => {
                errors.push("heldOn", Missing::MeetingDate);
                None
            }
            text => errors.take("heldOn", crate::signal::parse_date(text)),
        };
        for (field, list) in [
            ("organisations", &raw.organisations),
            ("people", &raw.people),
            ("cases", &raw.cases),
        ] {
            if list.len() > MAX_LISTED {
                errors.push(field, Problem::TooMany { max: MAX_LISTED });
            }
        }
        let organisations = parse_ids(&mut errors, "organisations", &raw.organisations);
        let people = parse_ids(&mut errors, "people", &raw.people);
        let cases = parse_ids(&mut errors, "cases", &raw.cases);
        match held_on {
            Some(held_on) if errors.is_empty() => Ok(Self {
                title,
                held_on,
                organisations,
                people,
                cases,
            }),
            _ => Err(errors),
        }
    }
}

/// A disclosure as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawDisclosure {
    /// The organisation that brings the information in.
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub basis: String,
    /// The sharing agreement, for a disclosure under a convenant.
    #[serde(default)]
    pub agreement: String,
    #[serde(default)]
    pub summary: String,
    /// The organisations that may receive it (in the minutes and on the meeting page).
    #[serde(default)]
    pub recipients: Vec<String>,
}

/// The legal ground of one disclosure, with what it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ground {
    Convenant(Uuid),
    Wgs,
    BibobArt28,
    NotShareable,
}

impl Ground {
    pub fn basis(self) -> DisclosureBasis {
        match self {
            Ground::Convenant(_) => DisclosureBasis::Convenant,
            Ground::Wgs => DisclosureBasis::Wgs,
            Ground::BibobArt28 => DisclosureBasis::BibobArt28,
            Ground::NotShareable => DisclosureBasis::NotShareable,
        }
    }

    pub fn agreement(self) -> Option<Uuid> {
        match self {
            Ground::Convenant(id) => Some(id),
            _ => None,
        }
    }
}

/// What a partner brought in on a case at a meeting, parsed. Information that cannot be
/// shared goes to no one: `summary` then says only what kind of information is held and why
/// it stays with the partner. Under art. 28 Wet Bibob the recipients must be named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDisclosure {
    pub organisation: Uuid,
    pub ground: Ground,
    pub summary: String,
    pub recipients: Vec<Uuid>,
}

impl NewDisclosure {
    pub fn parse(raw: &RawDisclosure) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let organisation = match raw.organisation.trim() {
            "" => {
                errors.push("organisation", Missing::DisclosingOrganisation);
                None
            }
            text => errors.take(
                "organisation",
                Uuid::parse_str(text).map_err(|_| Problem::NotA {
                    format: crate::validation::Format::Id,
                    given: text.to_string(),
                }),
            ),
        };
        let basis = errors.take("basis", DisclosureBasis::parse(&raw.basis));
        let summary = required_text(
            &mut errors,
            "summary",
            &raw.summary,
            Missing::DisclosureSummary,
            MAX_TEXT,
        );
        if raw.recipients.len() > MAX_LISTED {
            errors.push("recipients", Problem::TooMany { max: MAX_LISTED });
        }
        let recipients = parse_ids(&mut errors, "recipients", &raw.recipients);
        let ground = match basis {
            Some(DisclosureBasis::Convenant) => match raw.agreement.trim() {
                "" => {
                    errors.push("agreement", Missing::Agreement);
                    None
                }
                text => errors
                    .take(
                        "agreement",
                        Uuid::parse_str(text).map_err(|_| Problem::NotA {
                            format: crate::validation::Format::Id,
                            given: text.to_string(),
                        }),
                    )
                    .map(Ground::Convenant),
            },
            Some(DisclosureBasis::Wgs) => Some(Ground::Wgs),
            Some(DisclosureBasis::BibobArt28) => {
                if recipients.is_empty() {
                    errors.push("recipients", Missing::Art28Recipients);
                }
                Some(Ground::BibobArt28)
            }
            Some(DisclosureBasis::NotShareable) => {
                if !recipients.is_empty() {
                    errors.push("recipients", Problem::RecipientsOfUnshareable);
                }
                Some(Ground::NotShareable)
            }
            None => None,
        };
        match (organisation, ground) {
            (Some(organisation), Some(ground)) if errors.is_empty() => Ok(Self {
                organisation,
                ground,
                summary,
                recipients,
            }),
            _ => Err(errors),
        }
    }
}

/// A member's request to discuss a case at the next meeting, parsed: a reason in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaRequest(String);

impl AgendaRequest {
    pub fn parse(raw: &str) -> Result<Self, ValidationErrors> {
        required("reason", raw, Missing::AgendaRequestReason).map(Self)
    }

    pub fn reason(&self) -> &str {
        &self.0
    }
}

/// The summary of a case's discussion at a meeting, parsed: text, at most `MAX_TEXT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscussionSummary(String);

impl DiscussionSummary {
    pub fn parse(raw: &str) -> Result<Self, ValidationErrors> {
        required("discussion", raw, Missing::DiscussionSummary).map(Self)
    }

    pub fn text(&self) -> &str {
        &self.0
    }
}

/// Which version of the minutes: the municipality's own file (everything) or the one for a
/// participating organisation (what it may see).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesFor {
    OwnFile,
    Organisation(Uuid),
}

impl Caller {
    /// Planning a meeting of the case table: its chair (voorzitter) or the undermining team
    /// that keeps its secretariat.
    pub fn may_plan_meeting(&self) -> bool {
        self.has(Role::Voorzitter) || self.has(Role::Analist)
    }

    /// Running a meeting (agenda, disclosures, discussion, decisions, actions, every version
    /// of the minutes): its chair, or an analyst or voorzitter of the organisation that holds
    /// it.
    pub fn may_run_meeting(&self, owner_org: Uuid, chair: Uuid) -> bool {
        self.user() == chair
            || (self.org() == owner_org && (self.has(Role::Analist) || self.has(Role::Voorzitter)))
    }
}

impl Purpose {
    /// Reading or running a meeting of the case table.
    pub fn meeting(id: Uuid) -> Self {
        Self::new(format!("casusoverleg {id}"))
    }
}

/// A meeting as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingSummary {
    pub id: Uuid,
    pub title: String,
    #[serde(with = "crate::model::iso_date")]
    pub held_on: Date,
    pub owner_org: Uuid,
    pub owner_org_name: String,
    pub chair: Uuid,
    pub chair_name: String,
    pub cases: usize,
}

/// A participant of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Participant {
    #[serde(rename = "organisatie")]
    Organisation { id: Uuid, name: String },
    #[serde(rename = "persoon")]
    User {
        id: Uuid,
        name: String,
        organisation: String,
    },
}

/// What a partner brought in, as the reader may see it. A reader outside its recipients sees
/// that a disclosure was made, by whom and under what, but not `summary` (`None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Disclosure {
    pub id: Uuid,
    pub organisation: Uuid,
    pub organisation_name: String,
    pub basis: DisclosureBasis,
    pub agreement: Option<Uuid>,
    pub agreement_name: Option<String>,
    pub summary: Option<String>,
    pub recipients: Vec<String>,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

/// One case on a meeting's agenda with what was brought in, discussed and decided.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaItem {
    pub case: CaseSummary,
    pub reasons: Vec<AgendaReason>,
    pub disclosures: Vec<Disclosure>,
    pub discussion: String,
    pub decisions: Vec<crate::decision::Decision>,
    /// The actions of the decisions taken at this meeting, by deadline, as they stand now.
    pub actions: Vec<crate::decision::Action>,
    /// Open actions of earlier decisions whose deadline had passed on the meeting's day.
    pub overdue_before: Vec<crate::decision::Action>,
}

/// A meeting as the reader may see it: only the agenda items of cases they may see.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingDetail {
    pub meeting: MeetingSummary,
    pub participants: Vec<Participant>,
    pub items: Vec<AgendaItem>,
    /// The reader may run it (record, decide, every version of the minutes).
    pub may_run: bool,
}

/// A case proposed for a meeting's agenda, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaProposal {
    pub case: CaseSummary,
    pub reasons: Vec<AgendaReason>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_needs_a_title_and_a_date_and_lists_ids() {
        let errors = NewMeeting::parse(&RawMeeting {
            cases: vec!["casus 7".into()],
            ..RawMeeting::default()
        })
        .unwrap_err();
        assert_eq!(
            errors.for_field("title"),
            Some(&Problem::Missing(Missing::Title))
        );
        assert_eq!(
            errors.for_field("heldOn"),
            Some(&Problem::Missing(Missing::MeetingDate))
        );
        assert!(matches!(
            errors.for_field("cases[0]"),
            Some(Problem::NotA { .. })
        ));
        let id = Uuid::from_u128(7);
        let meeting = NewMeeting::parse(&RawMeeting {
            title: " Casustafel december ".into(),
            held_on: "2026-12-10".into(),
            cases: vec![id.to_string(), id.to_string(), " ".into()],
            ..RawMeeting::default()
        })
        .unwrap();
        assert_eq!(meeting.title, "Casustafel december");
        assert_eq!(meeting.cases, [id]);
    }

    fn disclosure(basis: &str, recipients: &[Uuid]) -> RawDisclosure {
        RawDisclosure {
            organisation: Uuid::from_u128(1).to_string(),
            basis: basis.into(),
            summary: "Twee aanhoudingen op dit adres in 2025".into(),
            recipients: recipients.iter().map(Uuid::to_string).collect(),
            ..RawDisclosure::default()
        }
    }

    #[test]
    fn every_disclosure_names_its_basis_and_what_that_basis_needs() {
        let errors = NewDisclosure::parse(&RawDisclosure::default()).unwrap_err();
        assert_eq!(
            errors.for_field("organisation"),
            Some(&Problem::Missing(Missing::DisclosingOrganisation))
        );
        assert_eq!(
            errors.for_field("basis"),
            Some(&Problem::NoChoice(
                crate::validation::Choice::DisclosureBasis
            ))
        );
        assert_eq!(
            errors.for_field("summary"),
            Some(&Problem::Missing(Missing::DisclosureSummary))
        );
        // A convenant is named; art. 28 names its recipients; what cannot be shared has none.
        let errors = NewDisclosure::parse(&disclosure("convenant", &[])).unwrap_err();
        assert_eq!(
            errors.for_field("agreement"),
            Some(&Problem::Missing(Missing::Agreement))
        );
        let errors = NewDisclosure::parse(&disclosure("bibob-art-28", &[])).unwrap_err();
        assert_eq!(
            errors.for_field("recipients"),
            Some(&Problem::Missing(Missing::Art28Recipients))
        );
        let errors =
            NewDisclosure::parse(&disclosure("niet-deelbaar", &[Uuid::from_u128(2)])).unwrap_err();
        assert_eq!(
            errors.for_field("recipients"),
            Some(&Problem::RecipientsOfUnshareable)
        );
        let ok = NewDisclosure::parse(&RawDisclosure {
            agreement: Uuid::from_u128(9).to_string(),
            ..disclosure("convenant", &[Uuid::from_u128(2)])
        })
        .unwrap();
        assert_eq!(ok.ground, Ground::Convenant(Uuid::from_u128(9)));
        assert_eq!(ok.recipients, [Uuid::from_u128(2)]);
        assert_eq!(
            NewDisclosure::parse(&disclosure("wgs", &[]))
                .unwrap()
                .ground,
            Ground::Wgs
        );
    }
}
