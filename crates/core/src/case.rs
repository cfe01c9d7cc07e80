//! Cases (casussen) of the case table (DESIGN.md §3, issue 14): what a new case must hold, the
//! case status machine, and who may see and change a case — the rule the store's SQL applies.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::access::{Caller, Purpose, Role};
use crate::model::{slug_enum, Classification};
use crate::validation::{Missing, Problem};
use crate::ValidationErrors;

slug_enum!(
    /// Where a case stands.
    CaseStatus {
        Registered => "aangemeld";
        Active => "in-behandeling";
        Monitoring => "monitoren";
        Closed => "afgesloten";
    }
);

impl CaseStatus {
    /// Still on the table: anything but closed.
    pub fn is_open(self) -> bool {
        self != CaseStatus::Closed
    }

    /// The moves a case may make; everything else is refused. A closed case can be reopened
    /// (to active), with its reason in the history like every other move.
    pub fn may_become(self, to: CaseStatus) -> bool {
        use CaseStatus::*;
        matches!(
            (self, to),
            (Registered, Active)
                | (Registered, Closed)
                | (Active, Monitoring)
                | (Active, Closed)
                | (Monitoring, Active)
                | (Monitoring, Closed)
                | (Closed, Active)
        )
    }

    /// The statuses this one may become, in order.
    pub fn next(self) -> Vec<CaseStatus> {
        Self::ALL
            .iter()
            .copied()
            .filter(|to| self.may_become(*to))
            .collect()
    }
}

/// The most characters of a case's title.
pub const MAX_TITLE: usize = 200;
/// The most characters of a case's description and of a reason.
pub const MAX_TEXT: usize = 4000;

/// A case as a form or the API sends it, before parsing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawCase {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub classification: String,
    #[serde(default)]
    pub follow_up_on: String,
}

/// A new case, parsed: a title, at least one theme, a classification below Bibob (Bibob
/// screenings are the Bibob compartment's, not the case table's) and perhaps a follow-up date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub title: String,
    pub description: String,
    pub themes: Vec<String>,
    pub classification: Classification,
    pub follow_up_on: Option<Date>,
}

impl NewCase {
    /// Parses a case; theme codes are checked against the catalogue by the store.
    pub fn parse(raw: &RawCase) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = raw.title.trim();
        if title.is_empty() {
            errors.push("title", Missing::Title);
        } else if title.chars().count() > MAX_TITLE {
            errors.push("title", Problem::TooLong { max: MAX_TITLE });
        }
        let description = raw.description.trim();
        if description.chars().count() > MAX_TEXT {
            errors.push("description", Problem::TooLong { max: MAX_TEXT });
        }
        let mut themes: Vec<String> = raw
            .themes
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        themes.sort();
        themes.dedup();
        if themes.is_empty() {
            errors.push("themes", Missing::Theme);
        }
        let classification = if raw.classification.trim().is_empty() {
            Some(Classification::Intern)
        } else {
            errors.take("classification", Classification::parse(&raw.classification))
        };
        if classification == Some(Classification::Bibob) {
            errors.push("classification", Problem::BibobNotOnCaseTable);
        }
        let follow_up_on = match raw.follow_up_on.trim() {
            "" => None,
            text => errors.take("followUpOn", crate::signal::parse_date(text)),
        };
        match classification {
            Some(classification) if errors.is_empty() => Ok(Self {
                title: title.to_string(),
                description: description.to_string(),
                themes,
                classification,
                follow_up_on,
            }),
            _ => Err(errors),
        }
    }
}

/// A requested change of a case's status, parsed: the target exists and a reason was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseStatusChange {
    pub to: CaseStatus,
    pub reason: String,
}

impl CaseStatusChange {
    pub fn parse(to: &str, reason: &str) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let to = errors.take("status", CaseStatus::parse(to));
        let reason = reason.trim();
        if reason.is_empty() {
            errors.push("reason", Missing::StatusReason);
        } else if reason.chars().count() > MAX_TEXT {
            errors.push("reason", Problem::TooLong { max: MAX_TEXT });
        }
        match to {
            Some(to) if errors.is_empty() => Ok(Self {
                to,
                reason: reason.to_string(),
            }),
            _ => Err(errors),
        }
    }

    /// The change from `from`, or the refusal named under `status`.
    pub fn check_from(&self, from: CaseStatus) -> Result<(), ValidationErrors> {
        if from.may_become(self.to) {
            Ok(())
        } else {
            let mut errors = ValidationErrors::new();
            errors.push("status", Problem::CaseTransition { from, to: self.to });
            Err(errors)
        }
    }
}

/// Why cases are merged or one is split, in words (required).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineageReason(String);

impl LineageReason {
    pub fn parse(raw: &str) -> Result<Self, ValidationErrors> {
        crate::meeting::required("reason", raw, Missing::LineageReason).map(Self)
    }

    pub fn text(&self) -> &str {
        &self.0
    }
}

slug_enum!(
    /// How two cases are related in their history, seen from this case: the other went into
    /// it, it went into the other, the other was split off from it, it was split off from the
    /// other.
    LineageKind {
        MergedFrom => "samengevoegd-uit";
        MergedInto => "samengevoegd-in";
        SplitInto => "afgesplitst-naar";
        SplitFrom => "afgesplitst-uit";
    }
);

/// A person, organisation, address or vehicle a case is about, as the linking engine groups
/// them: through a mention the reader may see (its dossier opens from `subject`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CaseEntity {
    pub entity: Uuid,
    pub subject: Uuid,
    pub kind: crate::model::SubjectKind,
    pub name: String,
}

/// One step of a case's lineage as the case shows it (only with cases the reader may see).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CaseLineage {
    pub kind: LineageKind,
    pub other: Uuid,
    pub other_title: String,
    /// How many signals moved.
    pub signals: usize,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub by_name: String,
    pub reason: String,
}

/// Who is a member of a case: an organisation (its staff with a content role) or one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewMember {
    Organisation(Uuid),
    User(Uuid),
}

/// Through which of the case's ties a caller may see cases (the store's SQL applies it).
/// A case is seen by its owner and its members in person, always; by the staff of a member
/// organisation and by the owning organisation's analysts unless it is vertrouwelijk, which
/// stays with the people named on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseSight {
    pub user: Uuid,
    pub org: Uuid,
    /// The caller's organisation being a member lets them see it.
    pub through_organisation: bool,
    /// The caller is on the owning organisation's undermining team.
    pub as_owning_team: bool,
}

impl CaseSight {
    /// Cases of rank below this are seen through the organisation (member or owner);
    /// at or above, only by the people named on the case.
    pub fn organisation_rank_below() -> i64 {
        Classification::Vertrouwelijk.rank()
    }
}

impl Caller {
    /// Through which ties this caller sees cases. Roles without case content (lezer,
    /// beheerder, toezichthouder) see a case only where they are named on it in person, and
    /// lezers and beheerders are never named (`may_be_case_member`).
    pub fn case_sight(&self) -> CaseSight {
        let content = [
            Role::Analist,
            Role::BibobCoordinator,
            Role::CasustafelLid,
            Role::Voorzitter,
            Role::Partner,
        ]
        .into_iter()
        .any(|r| self.has(r));
        CaseSight {
            user: self.user(),
            org: self.org(),
            through_organisation: content,
            as_owning_team: self.has(Role::Analist),
        }
    }

    /// Whether the caller's roles can see any case at all (lezers and beheerders never do;
    /// the store decides which).
    pub fn may_see_cases(&self) -> bool {
        self.case_sight().through_organisation || self.has(Role::Toezichthouder)
    }

    /// Opening a case is the undermining team's work.
    pub fn may_open_case(&self) -> bool {
        self.has(Role::Analist)
    }

    /// Changing a case (status, signals, members): its owner, or an analyst of the owning
    /// organisation. Members see a case; they do not run it.
    pub fn may_manage_case(&self, owner_org: Uuid, owner_user: Uuid) -> bool {
        self.user() == owner_user || (self.org() == owner_org && self.has(Role::Analist))
    }

    /// Whether a person with `roles` can be named on a case: someone who handles content.
    /// A beheerder or lezer is not made a member (they would see content their role keeps
    /// from them).
    pub fn may_be_case_member(roles: &crate::RoleSet) -> bool {
        [
            Role::Analist,
            Role::BibobCoordinator,
            Role::CasustafelLid,
            Role::Voorzitter,
            Role::Partner,
            Role::Toezichthouder,
        ]
        .into_iter()
        .any(|r| roles.has(r))
    }
}

/// Marks the stated reason within a purpose.
const REASON_MARK: &str = "; reden: ";
/// Starts a case's purpose.
const CASE_MARK: &str = "casus ";

impl Purpose {
    /// Reading or changing a case: the case is the purpose of the read (issue 14, pt 5).
    pub fn case(id: Uuid) -> Self {
        Self::new(format!("{CASE_MARK}{id}"))
    }

    /// Reading a case one is not named on, with the reason stated (issue 18, pt 4).
    pub fn case_outside_membership(id: Uuid, reason: &crate::access::DossierReason) -> Self {
        Self::new(format!("{CASE_MARK}{id}{REASON_MARK}{}", reason.as_str()))
    }

    /// What kind of purpose a recorded one is, for the review of reads.
    pub fn kind_of(recorded: &str) -> PurposeKind {
        match recorded.strip_prefix(CASE_MARK) {
            Some(rest) if rest.contains(REASON_MARK) => PurposeKind::CaseOutsideMembership,
            Some(rest) if Uuid::parse_str(rest).is_ok() => PurposeKind::Case,
            _ if recorded == Purpose::signal_handling().as_str() => PurposeKind::Routine,
            _ => PurposeKind::StatedReason,
        }
    }
}

/// What a read was for, as the review of reads groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PurposeKind {
    /// A case the reader is named on.
    Case,
    /// A case the reader is not named on, with their reason.
    CaseOutsideMembership,
    /// A reason stated without a case (a person's dossier).
    StatedReason,
    /// The routine handling of signals within one's task.
    Routine,
}

impl PurposeKind {
    /// Reads outside a case the reader is named on: what a reviewer looks at first.
    pub fn outside_a_case(self) -> bool {
        self != PurposeKind::Case
    }
}

#[cfg(test)]
mod purpose_tests {
    use super::*;

    #[test]
    fn recorded_purposes_are_told_apart() {
        let id = Uuid::nil();
        let reason = crate::access::DossierReason::parse("casustafel maart")
            .unwrap()
            .unwrap();
        assert_eq!(
            Purpose::kind_of(Purpose::case(id).as_str()),
            PurposeKind::Case
        );
        assert_eq!(
            Purpose::kind_of(Purpose::case_outside_membership(id, &reason).as_str()),
            PurposeKind::CaseOutsideMembership
        );
        assert_eq!(Purpose::kind_of("zaak 2026-14"), PurposeKind::StatedReason);
        assert_eq!(
            Purpose::kind_of("casus zonder nummer"),
            PurposeKind::StatedReason
        );
        assert_eq!(
            Purpose::kind_of(Purpose::signal_handling().as_str()),
            PurposeKind::Routine
        );
        assert!(!PurposeKind::Case.outside_a_case());
        assert!(PurposeKind::CaseOutsideMembership.outside_a_case());
    }
}

/// A case as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub id: Uuid,
    pub title: String,
    pub themes: Vec<String>,
    pub classification: Classification,
    pub status: CaseStatus,
    pub owner_org: Uuid,
    pub owner_org_name: String,
    pub owner_user: Uuid,
    pub owner_name: String,
    #[serde(with = "crate::model::iso_date::option")]
    pub follow_up_on: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl CaseSummary {
    /// Its follow-up date has come (on the Dutch calendar day `today`) and it is still open.
    /// Whether `user` is named on the case as its owner. (Members by name: [`CaseDetail::names`].)
    pub fn owned_by(&self, user: Uuid) -> bool {
        self.owner_user == user
    }

    pub fn follow_up_due(&self, today: Date) -> bool {
        self.status.is_open() && self.follow_up_on.is_some_and(|d| d <= today)
    }
}

/// A member as the case shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum CaseMember {
    #[serde(rename = "organisatie")]
    Organisation { id: Uuid, name: String },
    #[serde(rename = "persoon")]
    User {
        id: Uuid,
        name: String,
        organisation: String,
    },
}

/// One change of a case's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseStatusEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub by_name: String,
    pub from: Option<CaseStatus>,
    pub to: CaseStatus,
    pub reason: String,
}

/// A case with what the caller may see of it: its members, its history and the signals in it
/// that the caller may see themselves (a member does not see a signal through the case).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDetail {
    pub case: CaseSummary,
    pub description: String,
    pub members: Vec<CaseMember>,
    pub history: Vec<CaseStatusEntry>,
    pub signals: Vec<crate::signal::Signal>,
    /// The case table's decisions on it, oldest first (superseded ones too, marked).
    pub decisions: Vec<crate::decision::Decision>,
    /// The actions from those decisions, by deadline.
    pub actions: Vec<crate::decision::Action>,
    /// Cases merged into or split from this one (those the reader may see), oldest first.
    pub lineage: Vec<CaseLineage>,
    /// The meetings that had it on their agenda (those the reader may see), latest first.
    pub meetings: Vec<crate::meeting::MeetingSummary>,
    /// Whom and what it is about: the entities of the subjects its signals mention and of
    /// those added to it, each through a mention the reader may see.
    pub entities: Vec<CaseEntity>,
    /// The caller may change it (status, signals, members).
    pub may_manage: bool,
}

impl CaseDetail {
    /// Whether `user` is named on the case: its owner, or a member by name. Whoever else sees
    /// it — the staff of a member organisation, the owning organisation's analysts, people at
    /// a meeting that discussed it — reads it outside their own membership and states why
    /// (issue 18, pt 4).
    pub fn names(&self, user: Uuid) -> bool {
        self.case.owned_by(user)
            || self
                .members
                .iter()
                .any(|m| matches!(m, CaseMember::User { id, .. } if *id == user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(title: &str, themes: &[&str], classification: &str) -> RawCase {
        RawCase {
            title: title.into(),
            themes: themes.iter().map(|t| t.to_string()).collect(),
            classification: classification.into(),
            ..RawCase::default()
        }
    }

    #[test]
    fn a_case_needs_a_title_and_a_theme_and_is_never_bibob() {
        let errors = NewCase::parse(&raw(" ", &[], "bibob")).unwrap_err();
        assert_eq!(
            errors.for_field("title"),
            Some(&Problem::Missing(Missing::Title))
        );
        assert_eq!(
            errors.for_field("themes"),
            Some(&Problem::Missing(Missing::Theme))
        );
        assert_eq!(
            errors.for_field("classification"),
            Some(&Problem::BibobNotOnCaseTable)
        );
        let case = NewCase::parse(&RawCase {
            follow_up_on: "2026-12-14".into(),
            ..raw(
                " Loods Zuidbroek ",
                &["drugs", " drugs", "mensenhandel"],
                "",
            )
        })
        .unwrap();
        assert_eq!(case.title, "Loods Zuidbroek");
        assert_eq!(case.themes, ["drugs", "mensenhandel"]);
        assert_eq!(case.classification, Classification::Intern);
        assert_eq!(case.follow_up_on, Some(time::macros::date!(2026 - 12 - 14)));
        let errors = NewCase::parse(&RawCase {
            follow_up_on: "14 december".into(),
            ..raw("x", &["drugs"], "geheim")
        })
        .unwrap_err();
        assert!(matches!(
            errors.for_field("followUpOn"),
            Some(Problem::NotA { .. })
        ));
        assert!(matches!(
            errors.for_field("classification"),
            Some(Problem::UnknownChoice { .. })
        ));
    }

    #[test]
    fn a_case_moves_only_as_the_table_allows_and_every_move_has_a_reason() {
        use CaseStatus::*;
        assert!(Registered.may_become(Active));
        assert!(Closed.may_become(Active));
        assert!(!Closed.may_become(Monitoring));
        assert!(!Registered.may_become(Registered));
        assert!(!Monitoring.may_become(Registered));
        for s in CaseStatus::ALL {
            assert!(!s.next().is_empty(), "{s} is a dead end");
            assert!(!s.may_become(*s));
        }
        let change = CaseStatusChange::parse("monitoren", " loopt ").unwrap();
        assert!(change.check_from(Active).is_ok());
        assert_eq!(
            change
                .check_from(Registered)
                .unwrap_err()
                .for_field("status"),
            Some(&Problem::CaseTransition {
                from: Registered,
                to: Monitoring
            })
        );
        let errors = CaseStatusChange::parse("weg", "").unwrap_err();
        assert!(errors.for_field("status").is_some());
        assert_eq!(
            errors.for_field("reason"),
            Some(&Problem::Missing(Missing::StatusReason))
        );
    }
}
