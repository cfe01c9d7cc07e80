//! Beheer → Auditspoor: the audit trail for the beheerder and the auditor — filtered by user,
//! action, object and period, newest first, a page at a time, and as CSV. Every reading is
//! itself recorded (the store does it).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
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
        use baken_app::audit_export::FilterField;
        let text = baken_app::audit_export::FilterText {
            user_email: &self.gebruiker,
            action: &self.actie,
            object: &self.object,
            object_id: &self.id,
            from: &self.van,
            until: &self.tot,
        };
        let mut q = baken_app::audit_export::query(state.store.as_ref(), &text)
            .await
            .map_err(|errors| {
                errors
                    .into_iter()
                    .map(|(field, message)| {
                        let label = match field {
                            FilterField::User => "Gebruiker",
                            FilterField::Action => "Actie",
                            FilterField::Object => "Object",
                            FilterField::From => "Van",
                            FilterField::Until => "Tot en met",
                        };
                        format!("{label}: {message}")
                    })
                    .collect::<Vec<_>>()
            })?;
        q.before = self.voor;
        Ok(q)
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
    let names = match baken_app::audit_export::actor_names(state.store.as_ref(), &events).await {
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
    let names = match baken_app::audit_export::actor_names(state.store.as_ref(), &events).await {
        Ok(n) => n,
        Err(e) => return internal(e),
    };
    let Ok(body) = baken_app::audit_export::csv(&events, &names) else {
        return internal(StoreError::Corrupt("csv".into()));
    };
    crate::ui::download(body, "text/csv; charset=utf-8", "auditspoor.csv")
}
