//! Typed rows: what a query of `USER_COLUMNS` or `SIGNAL_COLUMNS` returns, decoded by name
//! once (`sqlx::FromRow`) and turned into domain values in one place, with stored text that
//! does not parse reported as corrupt data.

use super::*;
use sqlx::Row;

/// A row of `USER_COLUMNS`.
#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    id: String,
    org_id: String,
    email: String,
    display_name: String,
    roles: String,
    active: i64,
    password_change_required: i64,
}

impl UserRow {
    pub(super) fn into_user(self) -> Result<User> {
        Ok(User {
            id: parse_uuid(&self.id)?,
            org: parse_uuid(&self.org_id)?,
            email: self.email,
            display_name: self.display_name,
            roles: RoleSet::from_slugs(&self.roles)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            active: self.active != 0,
            password_change_required: self.password_change_required != 0,
        })
    }
}

/// A row of `SIGNAL_COLUMNS` (themes and indicators come from their own tables).
#[derive(sqlx::FromRow)]
pub(super) struct SignalRow {
    id: String,
    owner_org: String,
    owner_org_name: String,
    created_by: String,
    received_at: String,
    observed_on: Option<String>,
    source_kind: String,
    source_reliability: String,
    information_credibility: String,
    title: String,
    description: String,
    area_code: Option<String>,
    area_name: Option<String>,
    lat_micro: Option<i64>,
    lon_micro: Option<i64>,
    address: Option<String>,
    classification: String,
    sharing: String,
    status: String,
    retention_until: String,
    deadline: Option<String>,
    assigned_user: Option<String>,
    assigned_user_name: Option<String>,
    assigned_team: Option<String>,
    created_at: String,
    updated_at: String,
}

impl SignalRow {
    pub(super) fn into_signal(self) -> Result<Signal> {
        let optional_date = |d: Option<String>| d.map(|d| parse_date(&d)).transpose();
        Ok(Signal {
            id: parse_uuid(&self.id)?,
            owner_org: parse_uuid(&self.owner_org)?,
            owner_org_name: self.owner_org_name,
            created_by: parse_uuid(&self.created_by)?,
            received_at: parse_ts(&self.received_at)?,
            observed_on: optional_date(self.observed_on)?,
            source_kind: parse_enum(SourceKind::parse(&self.source_kind))?,
            source_reliability: parse_enum(SourceReliability::parse(&self.source_reliability))?,
            information_credibility: parse_enum(InformationCredibility::parse(
                &self.information_credibility,
            ))?,
            themes: Vec::new(),
            indicators: Vec::new(),
            title: self.title,
            description: self.description,
            area_code: self.area_code,
            area_name: self.area_name,
            areas: Vec::new(),
            coordinates: match (self.lat_micro, self.lon_micro) {
                (Some(lat_micro), Some(lon_micro)) => Some(Coordinates {
                    lat_micro,
                    lon_micro,
                }),
                _ => None,
            },
            address: self.address,
            classification: parse_enum(Classification::parse(&self.classification))?,
            sharing: parse_enum(Sharing::parse(&self.sharing))?,
            status: parse_enum(SignalStatus::parse(&self.status))?,
            retention_until: parse_date(&self.retention_until)?,
            deadline: optional_date(self.deadline)?,
            assigned_user: self.assigned_user.map(|u| parse_uuid(&u)).transpose()?,
            assigned_user_name: self.assigned_user_name,
            assigned_team: self.assigned_team,
            created_at: parse_ts(&self.created_at)?,
            updated_at: parse_ts(&self.updated_at)?,
        })
    }
}

/// A row of `audit_event` (`AUDIT_COLUMNS`). Text columns may be NULL in events written by
/// older versions; the chain hashes them as empty text.
#[derive(sqlx::FromRow)]
pub(super) struct AuditEventRow {
    pub(super) seq: i64,
    occurred_at: Option<String>,
    actor_user: Option<String>,
    actor_org: Option<String>,
    action: Option<String>,
    object_type: Option<String>,
    object_id: Option<String>,
    result: Option<String>,
    origin: Option<String>,
    purpose: Option<String>,
    detail: Option<String>,
    prev_hash: Option<String>,
    hash: Option<String>,
    /// 1 when the event's content was emptied after its retention period.
    emptied: i64,
    /// The keyed seal over an emptied event's hash and what it keeps.
    emptied_seal: Option<String>,
}

pub(super) const AUDIT_COLUMNS: &str = "seq, occurred_at, actor_user, actor_org, action, \
    object_type, object_id, result, origin, purpose, detail, prev_hash, hash, emptied, emptied_seal";

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or_default()
}

impl AuditEventRow {
    pub(super) fn prev_hash(&self) -> &str {
        text(&self.prev_hash)
    }

    pub(super) fn hash(&self) -> &str {
        text(&self.hash)
    }

    /// Whether the event's content was emptied after its retention period.
    pub(super) fn emptied(&self) -> bool {
        self.emptied != 0
    }

    /// Whether an emptied event holds nothing but what emptying keeps (no user, address or
    /// purpose, and only the detail's entries that guarded records are checked against), under
    /// the seal emptying gave it.
    pub(super) fn emptied_as_sealed(&self, key: Option<&baken_core::audit::AuditKey>) -> bool {
        let detail = text(&self.detail);
        text(&self.actor_user).is_empty()
            && text(&self.origin).is_empty()
            && text(&self.purpose).is_empty()
            && baken_core::audit::emptied_detail(detail) == detail
            && self.emptied_seal.as_deref()
                == Some(baken_core::audit::emptied_seal(key, self.hash(), &self.chained()).as_str())
    }

    /// The detail an emptied copy of this event keeps, and the seal over it.
    pub(super) fn emptying(&self, key: Option<&baken_core::audit::AuditKey>) -> (String, String) {
        let detail = baken_core::audit::emptied_detail(text(&self.detail));
        let kept = ChainedFields {
            actor_user: "",
            origin: "",
            purpose: "",
            detail: &detail,
            ..self.chained()
        };
        let seal = baken_core::audit::emptied_seal(key, self.hash(), &kept);
        (detail, seal)
    }

    /// The fields the chain hash covers, as stored.
    pub(super) fn chained(&self) -> ChainedFields<'_> {
        ChainedFields {
            seq: self.seq,
            occurred_at: text(&self.occurred_at),
            actor_user: text(&self.actor_user),
            actor_org: text(&self.actor_org),
            action: text(&self.action),
            object_type: text(&self.object_type),
            object_id: text(&self.object_id),
            result: text(&self.result),
            origin: text(&self.origin),
            purpose: text(&self.purpose),
            detail: text(&self.detail),
        }
    }

    pub(super) fn into_event(self) -> Result<AuditEvent> {
        let uuid = |v: &Option<String>| -> Result<Option<Uuid>> {
            match v.as_deref() {
                Some(s) if !s.is_empty() => Ok(Some(parse_uuid(s)?)),
                _ => Ok(None),
            }
        };
        Ok(AuditEvent {
            seq: self.seq,
            occurred_at: parse_ts(text(&self.occurred_at))?,
            actor_user: uuid(&self.actor_user)?,
            actor_org: uuid(&self.actor_org)?,
            action: text(&self.action).to_string(),
            object_type: text(&self.object_type).to_string(),
            object_id: self.object_id.filter(|s| !s.is_empty()),
            result: text(&self.result).to_string(),
            origin: text(&self.origin).to_string(),
            purpose: text(&self.purpose).to_string(),
            detail: text(&self.detail).to_string(),
            prev_hash: text(&self.prev_hash).to_string(),
            hash: text(&self.hash).to_string(),
        })
    }
}

/// A row of a signal's status history.
#[derive(sqlx::FromRow)]
pub(super) struct HistoryRow {
    at: String,
    by_user: String,
    display_name: String,
    from_status: Option<String>,
    to_status: String,
    reason: String,
    assigned_name: Option<String>,
    assigned_team: Option<String>,
}

impl HistoryRow {
    pub(super) fn into_entry(self) -> Result<StatusHistoryEntry> {
        Ok(StatusHistoryEntry {
            at: parse_ts(&self.at)?,
            by_user: parse_uuid(&self.by_user)?,
            by_name: self.display_name,
            from: self
                .from_status
                .map(|s| parse_enum(SignalStatus::parse(&s)))
                .transpose()?,
            to: parse_enum(SignalStatus::parse(&self.to_status))?,
            reason: self.reason,
            // An empty name marks an assignment to a team only, or to nobody.
            assignment: self.assigned_name.map(|name| AssignedTo {
                name: Some(name).filter(|n| !n.is_empty()),
                team: self.assigned_team,
            }),
        })
    }
}

/// A subject as a signal mentions it, with its role there.
#[derive(sqlx::FromRow)]
pub(super) struct MentionRow {
    id: String,
    kind: String,
    original: String,
    normalised: String,
    details: String,
    role: String,
    bsn_basis: Option<String>,
}

impl MentionRow {
    pub(super) fn into_mention(self) -> Result<MentionedSubject> {
        Ok(MentionedSubject {
            subject: Subject {
                id: parse_uuid(&self.id)?,
                kind: parse_enum(SubjectKind::parse(&self.kind))?,
                original: self.original,
                normalised: self.normalised,
                details: serde_json::from_str(&self.details)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            },
            role: parse_enum(SubjectRole::parse(&self.role))?,
            bsn_basis: self.bsn_basis,
        })
    }
}

/// A relation between two subjects, as one signal states it.
#[derive(sqlx::FromRow)]
pub(super) struct RelationRow {
    from_subject: String,
    to_subject: String,
    kind: String,
    valid_from: Option<String>,
    valid_until: Option<String>,
}

impl RelationRow {
    pub(super) fn into_relation(self, source_signal: Uuid) -> Result<Relation> {
        let date_of = |d: Option<String>| d.map(|d| parse_date(&d)).transpose();
        Ok(Relation {
            from: parse_uuid(&self.from_subject)?,
            to: parse_uuid(&self.to_subject)?,
            kind: parse_enum(RelationKind::parse(&self.kind))?,
            valid_from: date_of(self.valid_from)?,
            valid_until: date_of(self.valid_until)?,
            source_signal,
        })
    }
}

/// A public report's reference and the reporter's contact details, while they are kept.
#[derive(sqlx::FromRow)]
pub(super) struct PublicReportRow {
    reference: String,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    contact_email: Option<String>,
    wipe_after: Option<String>,
}

impl PublicReportRow {
    pub(super) fn into_info(self) -> Result<PublicReportInfo> {
        let wipe_after = self.wipe_after.map(|d| parse_date(&d)).transpose()?;
        let (name, phone, email) = (self.contact_name, self.contact_phone, self.contact_email);
        let any = name.is_some() || phone.is_some() || email.is_some();
        Ok(PublicReportInfo {
            reference: self.reference,
            contact: wipe_after.filter(|_| any).map(|wipe_after| {
                baken_core::public::ReporterContact {
                    name,
                    phone,
                    email,
                    wipe_after,
                }
            }),
        })
    }
}

/// A signal as a point on a map.
#[derive(sqlx::FromRow)]
pub(super) struct PointRow {
    id: String,
    lon_micro: i64,
    lat_micro: i64,
    title: String,
    status: String,
    received_at: String,
}

impl PointRow {
    pub(super) fn into_point(self) -> Result<SignalPoint> {
        Ok(SignalPoint {
            id: parse_uuid(&self.id)?,
            longitude: self.lon_micro as f64 / 1e6,
            latitude: self.lat_micro as f64 / 1e6,
            title: self.title,
            status: parse_enum(SignalStatus::parse(&self.status))?,
            received_on: local_date(parse_ts(&self.received_at)?),
        })
    }
}

/// An organisation.
#[derive(sqlx::FromRow)]
pub(super) struct OrganisationRow {
    id: String,
    name: String,
    kind: String,
}

impl OrganisationRow {
    pub(super) fn into_organisation(self) -> Result<Organisation> {
        Ok(Organisation {
            id: parse_uuid(&self.id)?,
            name: self.name,
            kind: parse_enum(OrgKind::parse(&self.kind))?,
        })
    }
}

/// A sharing agreement without its parties and themes (tables of their own).
#[derive(sqlx::FromRow)]
pub(super) struct AgreementRow {
    id: String,
    name: String,
    legal_basis: String,
    purposes: String,
    max_classification: String,
    valid_from: String,
    valid_until: Option<String>,
    referral_contact: Option<String>,
}

impl AgreementRow {
    pub(super) fn id(&self) -> &str {
        &self.id
    }

    pub(super) fn into_agreement(
        self,
        parties: Vec<String>,
        themes: Vec<String>,
    ) -> Result<SharingAgreement> {
        Ok(SharingAgreement {
            id: parse_uuid(&self.id)?,
            name: self.name,
            parties: parties
                .iter()
                .map(|p| parse_uuid(p))
                .collect::<Result<Vec<_>>>()?,
            legal_basis: self.legal_basis,
            purposes: self.purposes,
            themes,
            max_classification: parse_enum(Classification::parse(&self.max_classification))?,
            valid_from: parse_date(&self.valid_from)?,
            valid_until: self.valid_until.map(|d| parse_date(&d)).transpose()?,
            referral_contact: self.referral_contact,
        })
    }
}

/// A user with the stored password hash, for a login attempt.
#[derive(sqlx::FromRow)]
pub(super) struct CredentialRow {
    #[sqlx(flatten)]
    pub(super) user: UserRow,
    pub(super) password_hash: Option<String>,
}

/// A user with the CSRF token of their browser session.
#[derive(sqlx::FromRow)]
pub(super) struct SessionRow {
    #[sqlx(flatten)]
    pub(super) user: UserRow,
    pub(super) org_name: String,
    pub(super) csrf_token: String,
    pub(super) handle: String,
    pub(super) stage: String,
    pub(super) enrol_secret: Option<String>,
    pub(super) last_seen_at: String,
}

/// An area without its geometry.
#[derive(sqlx::FromRow)]
pub(super) struct AreaRow {
    code: String,
    year: i64,
    name: String,
    kind: String,
    parent_code: Option<String>,
}

impl AreaRow {
    pub(super) fn into_area(self) -> Result<Area> {
        Ok(Area {
            code: self.code,
            year: i32::try_from(self.year).unwrap_or_default(),
            name: self.name,
            kind: parse_enum(AreaKind::parse(&self.kind))?,
            parent: self.parent_code,
        })
    }
}

/// The typed address of a visit's object, beside `field::VISIT_COLUMNS`.
#[derive(sqlx::FromRow)]
pub(super) struct VisitAddressRow {
    pub(super) object_address: Option<String>,
}

/// A field visit as `field::VISIT_COLUMNS` reads it.
#[derive(sqlx::FromRow)]
pub(super) struct VisitRow {
    id: String,
    kind: String,
    visited_on: String,
    object_name: Option<String>,
    location: Option<String>,
    area_code: Option<String>,
    by_name: String,
    findings: i64,
    findings_as_signals: i64,
}

impl VisitRow {
    pub(super) fn into_summary(self) -> Result<VisitSummary> {
        Ok(VisitSummary {
            id: parse_uuid(&self.id)?,
            kind: parse_enum(VisitKind::parse(&self.kind))?,
            visited_on: parse_date(&self.visited_on)?,
            object_name: self.object_name,
            location: self.location,
            area_code: self.area_code,
            by_name: self.by_name,
            findings: u64::try_from(self.findings).unwrap_or(0),
            findings_as_signals: u64::try_from(self.findings_as_signals).unwrap_or(0),
        })
    }
}

/// A field visit with its notes.
#[derive(sqlx::FromRow)]
pub(super) struct VisitWithNotes {
    #[sqlx(flatten)]
    pub(super) visit: VisitRow,
    pub(super) notes: Option<String>,
}

/// A finding of a visit with the place of the visit, to make a signal of it.
#[derive(sqlx::FromRow)]
pub(super) struct FindingRow {
    pub(super) kind: String,
    pub(super) location: Option<String>,
    pub(super) area_code: Option<String>,
    pub(super) visited_on: String,
    pub(super) object_name: Option<String>,
    pub(super) finding: String,
    /// The signal already made of it, if any.
    pub(super) made_signal: Option<String>,
}

/// An area with its geometry as stored text.
#[derive(sqlx::FromRow)]
pub(super) struct AreaShapeRow {
    #[sqlx(flatten)]
    pub(super) area: AreaRow,
    pub(super) geometry: Option<String>,
}

/// A scored pair of subjects with the entities each is in.
#[derive(sqlx::FromRow)]
pub(super) struct LinkRow {
    pub(super) left_subject: String,
    pub(super) right_subject: String,
    pub(super) probability: f64,
    pub(super) weight: f64,
    /// The stored `LinkExplanation` (JSON).
    pub(super) explanation: String,
    pub(super) left_entity: String,
    pub(super) right_entity: String,
}

/// A person's judgement on a pair of subjects.
#[derive(sqlx::FromRow)]
pub(super) struct JudgementRow {
    pub(super) id: String,
    pub(super) left_subject: String,
    pub(super) right_subject: String,
    /// `confirmed` or `rejected`.
    pub(super) judgement: String,
    pub(super) reason: String,
    pub(super) at: String,
    pub(super) undone_at: Option<String>,
    pub(super) display_name: String,
}

/// A relation of a dossier's subjects with both ends' entities, kinds and written forms.
#[derive(sqlx::FromRow)]
pub(super) struct RelatedRow {
    pub(super) kind: String,
    pub(super) from_subject: String,
    pub(super) to_subject: String,
    pub(super) from_entity: String,
    pub(super) to_entity: String,
    pub(super) from_kind: String,
    pub(super) to_kind: String,
    pub(super) from_text: String,
    pub(super) to_text: String,
    pub(super) valid_from: Option<String>,
    pub(super) valid_until: Option<String>,
}

/// A subject as stored.
#[derive(sqlx::FromRow)]
pub(super) struct SubjectRow {
    id: String,
    kind: String,
    original: String,
    normalised: String,
    details: String,
}

impl SubjectRow {
    pub(super) fn into_subject(self) -> Result<Subject> {
        Ok(Subject {
            id: parse_uuid(&self.id)?,
            kind: parse_enum(SubjectKind::parse(&self.kind))?,
            original: self.original,
            normalised: self.normalised,
            details: serde_json::from_str(&self.details)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        })
    }
}

/// One row of the combined settings query of a save: a model (`what` = `m`, `text`), a
/// threshold (`t`, `number`) or the totals of a slot (`s`, `slot`, `total`, `squares`).
#[derive(sqlx::FromRow)]
pub(super) struct SettingRow {
    pub(super) what: String,
    pub(super) kind: String,
    pub(super) slot: Option<String>,
    pub(super) text: Option<String>,
    pub(super) number: Option<f64>,
    pub(super) total: Option<i64>,
    pub(super) squares: Option<i64>,
}

/// A subject found in a blocking key: `q` is the index of the key in the query.
#[derive(sqlx::FromRow)]
pub(super) struct KeyBlockRow {
    pub(super) q: i64,
    pub(super) subject_id: String,
    pub(super) form: Option<String>,
}

/// A row of `cases.rs`'s `CASE_COLUMNS` (themes come from their own table).
#[derive(sqlx::FromRow)]
pub(super) struct CaseRow {
    id: String,
    title: String,
    description: String,
    classification: String,
    status: String,
    owner_org: String,
    owner_org_name: String,
    owner_user: String,
    owner_name: String,
    follow_up_on: Option<String>,
    created_at: String,
    updated_at: String,
}

impl CaseRow {
    /// The case without its themes, and its description.
    pub(super) fn into_summary(self) -> Result<(baken_core::case::CaseSummary, String)> {
        Ok((
            baken_core::case::CaseSummary {
                id: parse_uuid(&self.id)?,
                title: self.title,
                themes: Vec::new(),
                classification: parse_enum(Classification::parse(&self.classification))?,
                status: parse_enum(baken_core::case::CaseStatus::parse(&self.status))?,
                owner_org: parse_uuid(&self.owner_org)?,
                owner_org_name: self.owner_org_name,
                owner_user: parse_uuid(&self.owner_user)?,
                owner_name: self.owner_name,
                follow_up_on: self.follow_up_on.as_deref().map(parse_date).transpose()?,
                created_at: parse_ts(&self.created_at)?,
                updated_at: parse_ts(&self.updated_at)?,
            },
            self.description,
        ))
    }
}

/// A member of a case: an organisation or a person (with their organisation's name).
#[derive(sqlx::FromRow)]
pub(super) struct CaseMemberRow {
    org_id: Option<String>,
    org_name: Option<String>,
    user_id: Option<String>,
    user_name: Option<String>,
    user_org_name: Option<String>,
}

impl CaseMemberRow {
    pub(super) fn into_member(self) -> Result<baken_core::case::CaseMember> {
        use baken_core::case::CaseMember;
        match (self.org_id, self.user_id) {
            (Some(org), None) => Ok(CaseMember::Organisation {
                id: parse_uuid(&org)?,
                name: self.org_name.unwrap_or_default(),
            }),
            (None, Some(user)) => Ok(CaseMember::User {
                id: parse_uuid(&user)?,
                name: self.user_name.unwrap_or_default(),
                organisation: self.user_org_name.unwrap_or_default(),
            }),
            _ => Err(StoreError::Corrupt(
                "a case member is an organisation or a person".into(),
            )),
        }
    }
}

/// A row of a case's status history.
#[derive(sqlx::FromRow)]
pub(super) struct CaseHistoryRow {
    at: String,
    display_name: String,
    from_status: Option<String>,
    to_status: String,
    reason: String,
}

impl CaseHistoryRow {
    pub(super) fn into_entry(self) -> Result<baken_core::case::CaseStatusEntry> {
        use baken_core::case::CaseStatus;
        Ok(baken_core::case::CaseStatusEntry {
            at: parse_ts(&self.at)?,
            by_name: self.display_name,
            from: self
                .from_status
                .map(|s| parse_enum(CaseStatus::parse(&s)))
                .transpose()?,
            to: parse_enum(CaseStatus::parse(&self.to_status))?,
            reason: self.reason,
        })
    }
}

/// The columns that hold a signal's (`s`) themes, indicators and areas, each list joined into
/// one text: `codes_themes`, `codes_indicators`, `codes_areas` (read by [`Codes::from_row`];
/// copies kept on the signal, `code_copies.rs`).
pub(super) const CODE_COLUMNS: &str = "s.codes_themes, s.codes_indicators, s.codes_areas";

/// A signal read with [`CODE_COLUMNS`].
pub(super) fn with_codes(row: &DbRow) -> Result<Signal> {
    let mut signal = signal_from_row(row)?;
    Codes::from_row(row)?.fill(&mut signal);
    Ok(signal)
}

/// A signal's themes, indicators and areas as [`CODE_COLUMNS`] gives them.
#[derive(Default)]
pub(super) struct Codes {
    themes: Vec<String>,
    indicators: Vec<String>,
    areas: Vec<PlacedArea>,
}

impl Codes {
    pub(super) fn from_row(row: &DbRow) -> Result<Self> {
        let items = |joined: Option<String>| -> Vec<String> {
            joined
                .as_deref()
                .unwrap_or("")
                .split_terminator('\u{1f}')
                .map(str::to_string)
                .collect()
        };
        let themes: Option<String> = row.try_get("codes_themes")?;
        let indicators: Option<String> = row.try_get("codes_indicators")?;
        let areas: Option<String> = row.try_get("codes_areas")?;
        let mut placed = Vec::new();
        for area in items(areas) {
            let mut parts = area.splitn(3, '\u{1e}');
            let (Some(kind), Some(code), Some(name)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(StoreError::Corrupt("signal_area without a kind".into()));
            };
            placed.push(PlacedArea {
                code: code.to_string(),
                name: (!name.is_empty()).then(|| name.to_string()),
                kind: parse_enum(AreaKind::parse(kind))?,
            });
        }
        Ok(Codes {
            themes: items(themes),
            indicators: items(indicators),
            areas: placed,
        })
    }

    /// Puts them into `signal`, in their order of display.
    pub(super) fn fill(mut self, signal: &mut Signal) {
        self.themes.sort();
        self.indicators.sort();
        self.areas
            .sort_by(|a, b| (a.kind.nesting(), &a.code).cmp(&(b.kind.nesting(), &b.code)));
        signal.themes = self.themes;
        signal.indicators = self.indicators;
        signal.areas = self.areas;
    }
}
