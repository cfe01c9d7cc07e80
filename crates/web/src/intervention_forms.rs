//! The forms on an intervention's page: a step, its details, a party, an art. 28
//! disclosure, a link. Each goes through the store (which checks who may) and comes back to
//! the page, or to the page with the form as typed and what was wrong.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use baken_core::intervention::{
    NewArt28, NewParty, NewStep, RawArt28, RawChange, RawParty, RawStep,
};
use baken_store::StoreError;
use uuid::Uuid;

use crate::intervention_fields::raw_details;
use crate::interventions::{extras, no_access, sees_interventions, show, MISSING};
use crate::ui::{refused, Form, Session};
use crate::AppState;

pub(crate) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .post("/interventies/{id}/stap", record_step)
        .post("/interventies/{id}/gegevens", change)
        .post("/interventies/{id}/betrokkenen", add_party)
        .post("/interventies/{id}/verstrekkingen", disclose)
        .post("/interventies/{id}/koppelingen", link)
}

/// After a form on the intervention page: back to the page, or the page with the form as
/// typed and what was wrong.
async fn after(
    state: &AppState,
    session: &Session,
    (id, which, form): (Uuid, &'static str, &Form),
    outcome: Result<(), StoreError>,
) -> Response {
    let errors = match outcome.map_err(baken_app::wording::worded) {
        Ok(()) => return Redirect::to(&format!("/interventies/{id}")).into_response(),
        Err(StoreError::Invalid(errors)) => errors,
        Err(e) => return refused(session, e, MISSING),
    };
    match state
        .store
        .intervention(&session.caller, id, state.clock.now())
        .await
    {
        Ok(d) => match extras(state, session, &d).await {
            Ok(p) => show(
                session,
                d,
                (Some((which, form, errors)), p),
                StatusCode::BAD_REQUEST,
            ),
            Err(e) => refused(session, e, MISSING),
        },
        Err(e) => refused(session, e, MISSING),
    }
}

fn posted(session: &Session, body: &Bytes, id: &str) -> Result<(Uuid, Form), Box<Response>> {
    let form = Form::parse(body);
    if let Some(r) = session.csrf_refused(&form) {
        return Err(Box::new(r));
    }
    if !sees_interventions(session) {
        return Err(Box::new(no_access(session)));
    }
    let Ok(id) = Uuid::parse_str(id) else {
        return Err(Box::new(refused(session, StoreError::NotFound, MISSING)));
    };
    Ok((id, form))
}

async fn record_step(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (id, form) = match posted(&session, &body, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let raw = RawStep {
        step: form.one("step").into(),
        on: form.one("on").into(),
        length: form.one("length").into(),
        unit: form.one("unit").into(),
        note: form.one("note").into(),
    };
    let now = state.clock.now();
    let outcome = match NewStep::parse(&raw, baken_core::calendar::local_date(now)) {
        Ok(step) => {
            state
                .store
                .record_step(&session.caller, id, step, now)
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    after(&state, &session, (id, "stap", &form), outcome).await
}

async fn change(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (id, form) = match posted(&session, &body, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let raw = RawChange {
        title: form.one("title").into(),
        object: form.one("object").into(),
        address: form.one("address").into(),
        latitude: form.one("latitude").into(),
        longitude: form.one("longitude").into(),
        details: raw_details(&form),
    };
    let outcome = state
        .store
        .change_intervention(&session.caller, id, &raw, state.clock.now())
        .await;
    after(&state, &session, (id, "gegevens", &form), outcome).await
}

async fn add_party(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (id, form) = match posted(&session, &body, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let raw = RawParty {
        name: form.one("name").into(),
        role: form.one("role").into(),
        dossier: form.one("dossier").into(),
    };
    let outcome = match NewParty::parse(&raw) {
        Ok(p) => state
            .store
            .add_party(&session.caller, id, p, state.clock.now())
            .await
            .map(|_| ()),
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    after(&state, &session, (id, "betrokkene", &form), outcome).await
}

async fn disclose(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (id, form) = match posted(&session, &body, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let raw = RawArt28 {
        exception: form.one("exception").into(),
        recipient: form.one("recipient").into(),
        reason: form.one("reason").into(),
        disclosed_on: form.one("disclosedOn").into(),
    };
    let now = state.clock.now();
    let outcome = match NewArt28::parse(&raw, baken_core::calendar::local_date(now)) {
        Ok(x) => state
            .store
            .disclose_bibob(&session.caller, id, x, now)
            .await
            .map(|_| ()),
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    after(&state, &session, (id, "verstrekking", &form), outcome).await
}

async fn link(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (id, form) = match posted(&session, &body, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let target = form.one("target").trim().to_string();
    let raw = match form.one("what") {
        "interventie" => baken_core::intervention::RawLink {
            intervention: target,
            ..Default::default()
        },
        "veldbezoek" => baken_core::intervention::RawLink {
            visit: target,
            ..Default::default()
        },
        _ => baken_core::intervention::RawLink {
            signal: target,
            ..Default::default()
        },
    };
    let outcome = match raw.parse() {
        Ok(target) => {
            state
                .store
                .link_intervention(&session.caller, id, target, state.clock.now())
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    after(&state, &session, (id, "koppeling", &form), outcome).await
}
