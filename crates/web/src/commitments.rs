//! The plan's commitments (issue 16, pt 1): per theme what was promised and what is planned,
//! with status, owner, due day, history and the records that show progress; analysts record
//! and move them.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use baken_app::labels::Label;
use baken_core::commitment::{
    CommitmentKind, CommitmentLinkKind, CommitmentStatus, CommitmentStatusChange, NewCommitment,
    NewCommitmentLink, RawCommitment, RawCommitmentLink, RawCommitmentStatus,
};
use baken_core::ValidationErrors;
use baken_store::StoreError;
use uuid::Uuid;

use crate::ui::{
    date_text, day, internal, message, options, refused, render, Form, Nav, SelectOption, Session,
};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/toezeggingen", page)
        .post("/toezeggingen", create)
        .post("/toezeggingen/{id}/status", change_status)
        .post("/toezeggingen/{id}/koppelingen", link)
}

const MISSING: &str = "Deze toezegging bestaat niet of u heeft er geen toegang toe.";

struct Row {
    id: Uuid,
    text: String,
    owner: String,
    due: String,
    overdue: bool,
    status: &'static str,
    history: Vec<String>,
    links: Vec<(&'static str, String, String)>,
}

struct Section {
    heading: &'static str,
    rows: Vec<Row>,
}

struct ThemeBlock {
    name: String,
    sections: Vec<Section>,
}

#[derive(Template)]
#[template(path = "commitments.html")]
struct Page {
    nav: Option<Nav>,
    csrf: String,
    themes: Vec<ThemeBlock>,
    may_manage: bool,
    theme_options: Vec<SelectOption>,
    kinds: Vec<SelectOption>,
    statuses: Vec<SelectOption>,
    link_kinds: Vec<SelectOption>,
    errors: Vec<baken_app::wording::FieldMessage>,
}

async fn show(
    state: &AppState,
    session: &Session,
    errors: ValidationErrors,
    status: StatusCode,
) -> Response {
    if !session.caller.may_see_commitments() {
        return message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            "Uw rol geeft geen toegang tot de toezeggingen.",
        );
    }
    let now = state.clock.now();
    let (list, catalogue) = match (
        state.store.commitments(&session.caller, now).await,
        state.store.catalogue().await,
    ) {
        (Ok(l), Ok(c)) => (l, c),
        (Err(e), _) => return refused(session, e, MISSING),
        (_, Err(e)) => return internal(e),
    };
    let today = baken_core::calendar::local_date(now);
    let mut themes: Vec<ThemeBlock> = Vec::new();
    for theme in &catalogue.themes {
        let of_theme: Vec<_> = list.iter().filter(|c| c.theme == theme.code).collect();
        if of_theme.is_empty() {
            continue;
        }
        let sections = CommitmentKind::ALL
            .iter()
            .map(|kind| Section {
                heading: kind.label(),
                rows: of_theme
                    .iter()
                    .filter(|c| c.kind == *kind)
                    .map(|c| Row {
                        id: c.id,
                        text: c.text.clone(),
                        owner: c.owner.clone(),
                        due: c.due_on.map(date_text).unwrap_or_default(),
                        overdue: c.is_overdue(today),
                        status: c.status.label(),
                        history: c
                            .history
                            .iter()
                            .map(|h| {
                                format!("{}: {} — {} ({})", day(h.at), h.to.label(), h.reason, h.by)
                            })
                            .collect(),
                        links: c
                            .links
                            .iter()
                            .map(|l| {
                                let href = match l.kind {
                                    CommitmentLinkKind::Case => format!("/casussen/{}", l.id),
                                    CommitmentLinkKind::Intervention => {
                                        format!("/interventies/{}", l.id)
                                    }
                                    CommitmentLinkKind::Activity => "/activiteiten".to_string(),
                                    CommitmentLinkKind::BarrierModel => {
                                        format!("/barrieremodellen/{}", l.id)
                                    }
                                    CommitmentLinkKind::Visit => format!("/veld/{}", l.id),
                                };
                                (l.kind.label(), href, l.title.clone())
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .filter(|s| !s.rows.is_empty())
            .collect();
        themes.push(ThemeBlock {
            name: theme.name.clone(),
            sections,
        });
    }
    render(
        status,
        &Page {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            themes,
            may_manage: session.caller.may_manage_commitments(),
            theme_options: crate::ui::theme_options(&catalogue, None),
            kinds: options(
                CommitmentKind::ALL,
                CommitmentKind::slug,
                CommitmentKind::label,
                "",
            ),
            statuses: options(
                CommitmentStatus::ALL,
                CommitmentStatus::slug,
                CommitmentStatus::label,
                "",
            ),
            link_kinds: options(
                CommitmentLinkKind::ALL,
                CommitmentLinkKind::slug,
                CommitmentLinkKind::label,
                "",
            ),
            errors: baken_app::wording::messages(&errors),
        },
    )
}

async fn page(State(state): State<AppState>, session: Session) -> Response {
    show(&state, &session, ValidationErrors::new(), StatusCode::OK).await
}

/// The checks every change starts with: the form's token and the role.
/// [`posted`] for a form about commitment `id` (an id no commitment has is not found).
fn posted_about(session: &Session, body: &Bytes, id: &str) -> Result<(Form, Uuid), Box<Response>> {
    let form = posted(session, body)?;
    match Uuid::parse_str(id) {
        Ok(id) => Ok((form, id)),
        Err(_) => Err(Box::new(refused(session, StoreError::NotFound, MISSING))),
    }
}

fn posted(session: &Session, body: &Bytes) -> Result<Form, Box<Response>> {
    let form = Form::parse(body);
    if let Some(r) = session.csrf_refused(&form) {
        return Err(Box::new(r));
    }
    if !session.caller.may_manage_commitments() {
        return Err(Box::new(refused(
            session,
            StoreError::Forbidden(baken_core::access::Denied::ManageCommitments),
            MISSING,
        )));
    }
    Ok(form)
}

async fn after(state: &AppState, session: &Session, outcome: Result<(), StoreError>) -> Response {
    match outcome.map_err(baken_app::wording::worded) {
        Ok(()) => Redirect::to("/toezeggingen").into_response(),
        Err(StoreError::Invalid(errors)) => {
            show(state, session, errors, StatusCode::BAD_REQUEST).await
        }
        Err(e) => refused(session, e, MISSING),
    }
}

async fn create(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = match posted(&session, &body) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let raw = RawCommitment {
        theme: form.one("theme").into(),
        kind: form.one("kind").into(),
        text: form.one("text").into(),
        owner: form.one("owner").into(),
        due_on: form.one("dueOn").into(),
    };
    let outcome = match NewCommitment::parse(&raw) {
        Ok(new) => state
            .store
            .create_commitment(&session.caller, new, state.clock.now())
            .await
            .map(|_| ()),
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    after(&state, &session, outcome).await
}

async fn change_status(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (form, id) = match posted_about(&session, &body, &id) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let raw = RawCommitmentStatus {
        status: form.one("status").into(),
        reason: form.one("reason").into(),
    };
    let outcome = match CommitmentStatusChange::parse(&raw) {
        Ok(change) => {
            state
                .store
                .change_commitment_status(&session.caller, id, change, state.clock.now())
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    after(&state, &session, outcome).await
}

async fn link(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (form, id) = match posted_about(&session, &body, &id) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let raw = RawCommitmentLink {
        kind: form.one("kind").into(),
        id: form.one("target").into(),
    };
    let outcome = match NewCommitmentLink::parse(&raw) {
        Ok(link) => {
            state
                .store
                .link_commitment(&session.caller, id, link, state.clock.now())
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    after(&state, &session, outcome).await
}
