//! Typed rows: what a query of `USER_COLUMNS` or `SIGNAL_COLUMNS` returns, decoded by name
//! once (`sqlx::FromRow`) and turned into domain values in one place, with stored text that
//! does not parse reported as corrupt data.

use super::*;

/// A row of `USER_COLUMNS`.
#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    id: String,
    org_id: String,
    email: String,
    display_name: String,
    roles: String,
    active: i64,
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
