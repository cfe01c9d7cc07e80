//! Inzage (issue 18, pt 7): the privacy officer (the auditor role) finds a person among the
//! organisation's mentions and compiles everything the organisation holds about them, as a
//! page, JSON and PDF. Every search and every compilation is audited, and a compilation is a
//! line in the person's processing log.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use baken_app::inzage::{Inzage, Names};
use baken_core::access::Denied;
use baken_store::StoreError;
use uuid::Uuid;

use crate::ui::{download, internal, refused, render, Nav, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/inzage", search)
        .get("/inzage/{id}", page)
        .get("/inzage/{id}/json", json)
        .get("/inzage/{id}/pdf", pdf)
}

const MISSING: &str = "Deze persoon komt niet voor in de gegevens van uw organisatie.";

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct SearchQuery {
    naam: String,
}

struct Found {
    mention: Uuid,
    written: String,
    born: String,
    signals: u64,
}

#[derive(Template)]
#[template(path = "inzage_search.html")]
struct SearchPage {
    nav: Option<Nav>,
    name: String,
    searched: bool,
    found: Vec<Found>,
}

#[derive(Template)]
#[template(path = "inzage.html")]
struct InzagePage {
    nav: Option<Nav>,
    id: Uuid,
    inzage: Inzage,
}

fn refuse_unless_privacy_officer(session: &Session) -> Option<Response> {
    (!session.caller.may_answer_access_requests()).then(|| {
        refused(
            session,
            StoreError::Forbidden(Denied::AccessRequests),
            MISSING,
        )
    })
}

async fn search(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<SearchQuery>,
) -> Response {
    if let Some(r) = refuse_unless_privacy_officer(&session) {
        return r;
    }
    let name = query.naam.trim().to_string();
    let found = if name.is_empty() {
        Vec::new()
    } else {
        match state
            .store
            .find_persons(&session.caller, &name, state.clock.now())
            .await
        {
            Ok(f) => f,
            Err(e) => return refused(&session, e, MISSING),
        }
    };
    let found = found
        .into_iter()
        .map(|f| Found {
            mention: f.mention,
            written: f.original,
            born: match &f.details {
                baken_core::subject::SubjectDetails::Person {
                    birth_date: Some(d),
                    ..
                } => crate::ui::date_text(*d),
                _ => String::new(),
            },
            signals: f.signals,
        })
        .collect();
    render(
        StatusCode::OK,
        &SearchPage {
            nav: session.nav(),
            searched: !name.is_empty(),
            name,
            found,
        },
    )
}

/// Compiles the inzage of the person of mention `id` (audited and logged as a processing).
async fn compiled(
    state: &AppState,
    session: &Session,
    id: &str,
) -> Result<(Uuid, Inzage), Response> {
    if let Some(r) = refuse_unless_privacy_officer(session) {
        return Err(r);
    }
    let id = Uuid::parse_str(id).map_err(|_| refused(session, StoreError::NotFound, MISSING))?;
    let now = state.clock.now();
    let record = state
        .store
        .access_request(&session.caller, id, now)
        .await
        .map_err(|e| refused(session, e, MISSING))?;
    let mut names = Names::default();
    for o in state.store.organisations().await.map_err(internal)? {
        names.organisations.insert(o.id, o.name);
    }
    for user in record.reads.iter().filter_map(|r| r.user) {
        if let std::collections::hash_map::Entry::Vacant(slot) = names.users.entry(user) {
            if let Some(u) = state.store.user(user).await.map_err(internal)? {
                slot.insert(u.display_name);
            }
        }
    }
    Ok((id, Inzage::of(&record, &names, now)))
}

async fn page(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Response {
    match compiled(&state, &session, &id).await {
        Ok((id, inzage)) => render(
            StatusCode::OK,
            &InzagePage {
                nav: session.nav(),
                id,
                inzage,
            },
        ),
        Err(r) => r,
    }
}

async fn json(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Response {
    match compiled(&state, &session, &id).await {
        Ok((id, inzage)) => match inzage.json() {
            Ok(body) => download(body, "application/json", &format!("inzage-{id}.json")),
            Err(e) => internal(StoreError::Corrupt(e.to_string())),
        },
        Err(r) => r,
    }
}

async fn pdf(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Response {
    match compiled(&state, &session, &id).await {
        Ok((id, inzage)) => download(inzage.pdf(), "application/pdf", &format!("inzage-{id}.pdf")),
        Err(r) => r,
    }
}
