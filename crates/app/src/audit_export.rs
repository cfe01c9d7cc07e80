//! The audit trail as CSV, for the viewer's download and `baken audit export` alike: one row
//! per event with its moment (RFC 3339, UTC), who (name and e-mail address), what, on which
//! object, how it ended, from where and why. Every cell that came from outside is made safe
//! for spreadsheets.

use baken_core::model::AuditEvent;
use std::collections::HashMap;
use uuid::Uuid;

/// The header row.
pub const HEADER: [&str; 9] = [
    "volgnummer",
    "moment",
    "wie",
    "actie",
    "object",
    "uitkomst",
    "oorsprong",
    "doel",
    "detail",
];

/// `events` as CSV (`;`-separated), actors named from `names` ("systeem" without one).
pub fn csv(events: &[AuditEvent], names: &HashMap<Uuid, String>) -> Result<Vec<u8>, csv::Error> {
    let safe = |s: &str| baken_core::text::spreadsheet_safe(s).into_owned();
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record(HEADER)?;
    for e in events {
        let who = e
            .actor_user
            .and_then(|u| names.get(&u).cloned())
            .unwrap_or_else(|| "systeem".into());
        let object = match &e.object_id {
            Some(id) => format!("{} {id}", e.object_type),
            None => e.object_type.clone(),
        };
        let at = e
            .occurred_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        w.write_record([
            e.seq.to_string(),
            at,
            safe(&who),
            e.action.clone(),
            safe(&object),
            e.result.clone(),
            safe(&e.origin),
            safe(&e.purpose),
            safe(&e.detail),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// A field of the audit filter, for naming what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    User,
    Action,
    Object,
    From,
    Until,
}

/// The audit filter as typed (a form's fields, a command's options).
#[derive(Debug, Clone, Default)]
pub struct FilterText<'a> {
    pub user_email: &'a str,
    pub action: &'a str,
    pub object: &'a str,
    pub object_id: &'a str,
    pub from: &'a str,
    pub until: &'a str,
}

/// The store's query for a typed filter, or per field what is wrong with it (in Dutch).
pub async fn query(
    store: &dyn baken_store::Store,
    text: &FilterText<'_>,
) -> Result<baken_store::AuditQuery, Vec<(FilterField, String)>> {
    use baken_core::audit::{AuditAction, ObjectKind};
    let mut errors = Vec::new();
    let mut q = baken_store::AuditQuery {
        object_id: Some(text.object_id.trim().to_string()).filter(|i| !i.is_empty()),
        ..Default::default()
    };
    let email = text.user_email.trim();
    if !email.is_empty() {
        match store.user_by_email(email).await {
            Ok(Some(u)) => q.user = Some(u.id),
            Ok(None) => errors.push((
                FilterField::User,
                "er is geen gebruiker met dit e-mailadres".into(),
            )),
            Err(e) => errors.push((FilterField::User, crate::wording::store_error(&e))),
        }
    }
    let action = text.action.trim();
    if !action.is_empty() {
        match AuditAction::ALL.iter().find(|a| a.as_str() == action) {
            Some(a) => q.action = Some(*a),
            None => errors.push((FilterField::Action, "kies een actie uit de lijst".into())),
        }
    }
    let object = text.object.trim();
    if !object.is_empty() {
        match ObjectKind::ALL.iter().find(|o| o.as_str() == object) {
            Some(o) => q.object = Some(*o),
            None => errors.push((FilterField::Object, "kies een soort uit de lijst".into())),
        }
    }
    for (value, slot, field) in [
        (text.from, &mut q.from, FilterField::From),
        (text.until, &mut q.until, FilterField::Until),
    ] {
        if !value.trim().is_empty() {
            match baken_core::signal::parse_date(value) {
                Ok(d) => *slot = Some(d),
                Err(p) => errors.push((field, crate::wording::problem(&p))),
            }
        }
    }
    if errors.is_empty() {
        Ok(q)
    } else {
        Err(errors)
    }
}

/// The events' actors by id: "name (e-mail address)" (a look-up per distinct actor).
pub async fn actor_names(
    store: &dyn baken_store::Store,
    events: &[AuditEvent],
) -> Result<HashMap<Uuid, String>, baken_store::StoreError> {
    let mut out = HashMap::new();
    for id in events.iter().filter_map(|e| e.actor_user) {
        if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(id) {
            let user = store.user(id).await?;
            slot.insert(user.map_or_else(
                || id.to_string(),
                |u| format!("{} ({})", u.display_name, u.email),
            ));
        }
    }
    Ok(out)
}
