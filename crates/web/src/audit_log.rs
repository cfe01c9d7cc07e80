//! Beheer → Auditspoor: the audit trail for the beheerder and the auditor — filtered by user,
//! action, object and period, newest first, a page at a time, and as CSV. Every reading is
//! itself recorded (the store does it).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use baken_core::audit::{AuditAction, ObjectKind};
use baken_core::model::AuditEvent;
use baken_store::{AuditQuery, StoreError};
use std::collections::HashMap;
use uuid::Uuid;

use crate::ui::{internal, refused, render, Nav, SelectOption, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/beheer/audit", page)
        .get("/beheer/audit.csv", export)
}

/// Events per page.
const PAGE: u32 = 100;
/// The most events one CSV export holds (narrow the filter for more).
const EXPORT: u32 = 10_000;
const MISSING: &str = "Deze gebeurtenis bestaat niet.";

/// The filter as the form sends it (Dutch parameter names, like the other pages).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Filter {
    gebruiker: String,
    actie: String,
    object: String,
    id: String,
    van: String,
    tot: String,
    voor: Option<i64>,
}

impl Filter {
    /// The store's query, or what is wrong with the filter, per field in Dutch.
    async fn query(&self, state: &AppState) -> Result<AuditQuery, Vec<String>> {
        let mut errors = Vec::new();
        let mut q = AuditQuery {
            before: self.voor,
            object_id: Some(self.id.trim().to_string()).filter(|i| !i.is_empty()),
            ..Default::default()
        };
        let email = self.gebruiker.trim();
        if !email.is_empty() {
            match state.store.user_by_email(email).await {
                Ok(Some(u)) => q.user = Some(u.id),
                Ok(None) => {
                    errors.push("Gebruiker: er is geen gebruiker met dit e-mailadres".into())
                }
                Err(_) => errors.push("Gebruiker: niet op te zoeken".into()),
            }
        }
        if !self.actie.is_empty() {
            match AuditAction::ALL.iter().find(|a| a.as_str() == self.actie) {
                Some(a) => q.action = Some(*a),
                None => errors.push("Actie: kies een actie uit de lijst".into()),
            }
        }
        if !self.object.is_empty() {
            match ObjectKind::ALL.iter().find(|o| o.as_str() == self.object) {
                Some(o) => q.object = Some(*o),
                None => errors.push("Object: kies een soort uit de lijst".into()),
            }
        }
        for (text, slot, label) in [
            (&self.van, &mut q.from, "Van"),
            (&self.tot, &mut q.until, "Tot en met"),
        ] {
            if !text.trim().is_empty() {
                match baken_core::signal::parse_date(text) {
                    Ok(d) => *slot = Some(d),
                    Err(p) => errors.push(format!("{label}: {}", baken_app::wording::problem(&p))),
                }
            }
        }
        if errors.is_empty() {
            Ok(q)
        } else {
            Err(errors)
        }
    }

    /// The query string of this filter on another page (`voor` replaced).
    fn link(&self, before: Option<i64>) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("gebruiker", &self.gebruiker),
            ("actie", &self.actie),
            ("object", &self.object),
            ("id", &self.id),
            ("van", &self.van),
            ("tot", &self.tot),
        ] {
            if !v.trim().is_empty() {
                s.append_pair(k, v.trim());
            }
        }
        if let Some(b) = before {
            s.append_pair("voor", &b.to_string());
        }
        s.finish()
    }
}

/// An event as the table shows it.
pub(crate) struct Row {
    seq: i64,
    at: String,
    who: String,
    action: String,
    object: String,
    result: String,
    origin: String,
    purpose: String,
    detail: String,
}

/// Display names of the events' actors (a few look-ups per page).
async fn names(
    state: &AppState,
    events: &[AuditEvent],
) -> Result<HashMap<Uuid, String>, StoreError> {
    let mut out = HashMap::new();
    for id in events.iter().filter_map(|e| e.actor_user) {
        if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(id) {
            let user = state.store.user(id).await?;
            slot.insert(user.map_or_else(
                || id.to_string(),
                |u| format!("{} ({})", u.display_name, u.email),
            ));
        }
    }
    Ok(out)
}

fn rows(events: &[AuditEvent], names: &HashMap<Uuid, String>) -> Vec<Row> {
    events
        .iter()
        .map(|e| Row {
            seq: e.seq,
            at: crate::ui::moment(e.occurred_at),
            who: e
                .actor_user
                .and_then(|u| names.get(&u).cloned())
                .unwrap_or_else(|| "systeem".into()),
            action: e.action.clone(),
            object: match &e.object_id {
                Some(id) => format!("{} {id}", e.object_type),
                None => e.object_type.clone(),
            },
            result: e.result.clone(),
            origin: e.origin.clone(),
            purpose: e.purpose.clone(),
            detail: e.detail.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "audit_log.html")]
struct Page {
    nav: Option<Nav>,
    filter: Filter,
    actions: Vec<SelectOption>,
    objects: Vec<SelectOption>,
    rows: Vec<Row>,
    errors: Vec<String>,
    older: Option<String>,
    export: String,
}

async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(filter): Query<Filter>,
) -> Response {
    let actions = AuditAction::ALL
        .iter()
        .map(|a| SelectOption {
            value: a.as_str().into(),
            label: a.as_str().into(),
            selected: a.as_str() == filter.actie,
        })
        .collect();
    let objects = ObjectKind::ALL
        .iter()
        .map(|o| SelectOption {
            value: o.as_str().into(),
            label: o.as_str().into(),
            selected: o.as_str() == filter.object,
        })
        .collect();
    let (events, errors) = match filter.query(&state).await {
        Ok(q) => match state
            .store
            .search_audit(&session.caller, &q, PAGE, state.clock.now())
            .await
        {
            Ok(events) => (events, Vec::new()),
            Err(e) => return refused(&session, e, MISSING),
        },
        Err(errors) => {
            if !session.caller.may_read_audit() {
                return refused(
                    &session,
                    StoreError::Forbidden(baken_core::access::Denied::ReadAudit),
                    MISSING,
                );
            }
            (Vec::new(), errors)
        }
    };
    let names = match names(&state, &events).await {
        Ok(n) => n,
        Err(e) => return internal(e),
    };
    let older = (events.len() == PAGE as usize)
        .then(|| events.last().map(|e| filter.link(Some(e.seq))))
        .flatten();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    render(
        status,
        &Page {
            nav: session.nav(),
            export: filter.link(None),
            rows: rows(&events, &names),
            filter,
            actions,
            objects,
            errors,
            older,
        },
    )
}

async fn export(
    State(state): State<AppState>,
    session: Session,
    Query(filter): Query<Filter>,
) -> Response {
    let query = match filter.query(&state).await {
        Ok(q) => q,
        Err(errors) => {
            return (StatusCode::BAD_REQUEST, errors.join("\n")).into_response();
        }
    };
    let events = match state
        .store
        .search_audit(&session.caller, &query, EXPORT, state.clock.now())
        .await
    {
        Ok(e) => e,
        Err(e) => return refused(&session, e, MISSING),
    };
    let names = match names(&state, &events).await {
        Ok(n) => n,
        Err(e) => return internal(e),
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let safe = |s: &str| baken_core::text::spreadsheet_safe(s).into_owned();
    let mut written = w.write_record([
        "volgnummer",
        "moment",
        "wie",
        "actie",
        "object",
        "uitkomst",
        "oorsprong",
        "doel",
        "detail",
    ]);
    for r in rows(&events, &names) {
        if written.is_err() {
            break;
        }
        written = w.write_record([
            r.seq.to_string(),
            r.at,
            safe(&r.who),
            r.action,
            safe(&r.object),
            r.result,
            safe(&r.origin),
            safe(&r.purpose),
            safe(&r.detail),
        ]);
    }
    let Ok(body) = written
        .map_err(|_| ())
        .and_then(|_| w.into_inner().map_err(|_| ()))
    else {
        return internal(StoreError::Corrupt("csv".into()));
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"auditspoor.csv\""),
    );
    response
}
