//! The forms that record at a meeting of the case table: what a partner brought in, the
//! discussion, the decision, its actions; an action's status; a member's request to discuss a
//! case. Each answers with the meeting (or case) page, with what was wrong named.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use baken_core::decision::{ActionStatus, NewAction, NewDecision, RawAction, RawDecision};
use baken_core::meeting::{AgendaRequest, DiscussionSummary, NewDisclosure, RawDisclosure};
use baken_core::ValidationErrors;
use baken_store::StoreError;
use uuid::Uuid;

use crate::meetings::{not_found, MISSING};
use crate::ui::{internal, Form, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .post("/overleggen/{id}/casussen/{case}/inbreng", disclose)
        .post("/overleggen/{id}/casussen/{case}/bespreking", discuss)
        .post("/overleggen/{id}/casussen/{case}/besluit", decide)
        .post("/overleggen/{id}/besluiten/{decision}/acties", add_action)
        .post("/acties/{id}/status", action_status)
        .post("/casussen/{id}/agenderen", request_agenda)
}

/// The checks every form starts with: its token, a role that sees the case table, ids that
/// can exist.
fn checked(session: &Session, form: &Form, ids: &[&str]) -> Result<Vec<Uuid>, Box<Response>> {
    if let Some(r) = session.csrf_refused(form) {
        return Err(Box::new(r));
    }
    if !session.caller.may_see_cases() {
        return Err(Box::new(crate::meetings::no_cases(session)));
    }
    ids.iter()
        .map(|id| Uuid::parse_str(id).map_err(|_| Box::new(not_found(session))))
        .collect()
}

/// After a change at a meeting: back to the meeting at the case, or the page with the
/// refused form `form` of that case filled in again and what was wrong.
async fn after(
    state: &AppState,
    session: &Session,
    (meeting, case): (Uuid, Uuid),
    (form, typed): (&'static str, &Form),
    outcome: Result<(), StoreError>,
) -> Response {
    let errors = match outcome.map_err(baken_app::wording::worded) {
        Ok(()) => {
            return Redirect::to(&format!("/overleggen/{meeting}#casus-{case}")).into_response();
        }
        Err(StoreError::Invalid(errors)) => errors,
        Err(e) => return crate::ui::refused(session, e, MISSING),
    };
    let draft = crate::meetings::Draft {
        case,
        form,
        values: typed.typed(),
        errors,
    };
    match state
        .store
        .meeting(&session.caller, meeting, state.clock.now())
        .await
    {
        Ok(detail) => {
            crate::meetings::show(state, session, detail, Some(draft), StatusCode::BAD_REQUEST)
                .await
        }
        Err(e) => crate::ui::refused(session, e, MISSING),
    }
}

fn invalid(errors: ValidationErrors) -> Result<(), StoreError> {
    Err(StoreError::Invalid(errors))
}

async fn disclose(
    State(state): State<AppState>,
    session: Session,
    Path((id, case)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let ids = match checked(&session, &form, &[&id, &case]) {
        Ok(ids) => ids,
        Err(r) => return *r,
    };
    let [meeting, case] = ids[..] else {
        return not_found(&session);
    };
    let raw = RawDisclosure {
        organisation: form.one("organisation").to_string(),
        basis: form.one("basis").to_string(),
        agreement: form.one("agreement").to_string(),
        summary: form.one("summary").to_string(),
        recipients: form.all("recipients"),
    };
    let outcome = match NewDisclosure::parse(&raw) {
        Ok(d) => state
            .store
            .record_disclosure(&session.caller, (meeting, case), d, state.clock.now())
            .await
            .map(|_| ()),
        Err(e) => invalid(e),
    };
    after(
        &state,
        &session,
        (meeting, case),
        ("inbreng", &form),
        outcome,
    )
    .await
}

async fn discuss(
    State(state): State<AppState>,
    session: Session,
    Path((id, case)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let ids = match checked(&session, &form, &[&id, &case]) {
        Ok(ids) => ids,
        Err(r) => return *r,
    };
    let [meeting, case] = ids[..] else {
        return not_found(&session);
    };
    let outcome = match DiscussionSummary::parse(form.one("discussion")) {
        Ok(summary) => {
            state
                .store
                .record_discussion(
                    &session.caller,
                    (meeting, case),
                    &summary,
                    state.clock.now(),
                )
                .await
        }
        Err(e) => invalid(e),
    };
    after(
        &state,
        &session,
        (meeting, case),
        ("bespreking", &form),
        outcome,
    )
    .await
}

async fn decide(
    State(state): State<AppState>,
    session: Session,
    Path((id, case)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let ids = match checked(&session, &form, &[&id, &case]) {
        Ok(ids) => ids,
        Err(r) => return *r,
    };
    let [meeting, case] = ids[..] else {
        return not_found(&session);
    };
    let raw = RawDecision {
        approaches: form.all("approaches"),
        decision: form.one("decision").to_string(),
        suitable: form.one("suitable").to_string(),
        necessary: form.one("necessary").to_string(),
        balanced: form.one("balanced").to_string(),
        care_considered: form.one("careConsidered").to_string(),
        care_reason: form.one("careReason").to_string(),
        not_chosen: form.one("notChosen").to_string(),
    };
    let outcome = match NewDecision::parse(&raw) {
        Ok(d) => state
            .store
            .record_decision(&session.caller, (meeting, case), d, state.clock.now())
            .await
            .map(|_| ()),
        Err(e) => invalid(e),
    };
    after(
        &state,
        &session,
        (meeting, case),
        ("besluit", &form),
        outcome,
    )
    .await
}

async fn add_action(
    State(state): State<AppState>,
    session: Session,
    Path((id, decision)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let ids = match checked(&session, &form, &[&id, &decision]) {
        Ok(ids) => ids,
        Err(r) => return *r,
    };
    let [meeting, decision] = ids[..] else {
        return not_found(&session);
    };
    // The case the decision is about, for showing a refused form again in its item.
    let case = Uuid::parse_str(form.one("case")).unwrap_or_default();
    let email = form.one("ownerEmail").trim();
    let owner_user = if email.is_empty() {
        String::new()
    } else {
        match state.store.user_by_email(email).await {
            Ok(Some(user)) => user.id.to_string(),
            Ok(None) => {
                let mut errors = ValidationErrors::new();
                errors.push_worded("owner", "geen gebruiker met dit e-mailadres");
                return after(
                    &state,
                    &session,
                    (meeting, case),
                    ("actie", &form),
                    invalid(errors),
                )
                .await;
            }
            Err(e) => return internal(e),
        }
    };
    let raw = RawAction {
        description: form.one("description").to_string(),
        owner_organisation: form.one("ownerOrganisation").to_string(),
        owner_user,
        due_on: form.one("dueOn").to_string(),
        intervention: form.one("intervention").to_string(),
    };
    let outcome = match NewAction::parse(&raw) {
        Ok(a) => state
            .store
            .add_action(&session.caller, decision, a, state.clock.now())
            .await
            .map(|_| ()),
        Err(e) => invalid(e),
    };
    after(&state, &session, (meeting, case), ("actie", &form), outcome).await
}

/// Marks an action done, cancelled or open again; back to where the form was (a local path),
/// or the list of actions.
async fn action_status(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let ids = match checked(&session, &form, &[&id]) {
        Ok(ids) => ids,
        Err(r) => return *r,
    };
    let [action] = ids[..] else {
        return not_found(&session);
    };
    let back = match form.one("terug") {
        path if path.starts_with('/') && !path.starts_with("//") => path.to_string(),
        _ => "/acties".to_string(),
    };
    let outcome = match ActionStatus::parse(form.one("status")) {
        Ok(to) => {
            state
                .store
                .change_action_status(&session.caller, action, to, state.clock.now())
                .await
        }
        Err(problem) => {
            let mut errors = ValidationErrors::new();
            errors.push("status", problem);
            invalid(errors)
        }
    };
    match outcome.map_err(baken_app::wording::worded) {
        Ok(()) => Redirect::to(&back).into_response(),
        Err(StoreError::Invalid(errors)) => crate::ui::message(
            StatusCode::BAD_REQUEST,
            session.nav(),
            "Dat lukte niet",
            &baken_app::wording::field_errors(&errors),
        ),
        Err(e) => crate::ui::refused(&session, e, MISSING),
    }
}

async fn request_agenda(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let ids = match checked(&session, &form, &[&id]) {
        Ok(ids) => ids,
        Err(r) => return *r,
    };
    let [case] = ids[..] else {
        return not_found(&session);
    };
    let outcome = match AgendaRequest::parse(form.one("reason")) {
        Ok(request) => {
            state
                .store
                .request_agenda(&session.caller, case, &request, state.clock.now())
                .await
        }
        Err(e) => invalid(e),
    };
    match outcome.map_err(baken_app::wording::worded) {
        Ok(()) => Redirect::to(&format!("/casussen/{case}#agenderen")).into_response(),
        Err(StoreError::Invalid(errors)) => crate::ui::message(
            StatusCode::BAD_REQUEST,
            session.nav(),
            "Dat lukte niet",
            &baken_app::wording::field_errors(&errors),
        ),
        Err(e) => crate::ui::refused(
            &session,
            e,
            "Deze casus bestaat niet of u heeft er geen toegang toe.",
        ),
    }
}
