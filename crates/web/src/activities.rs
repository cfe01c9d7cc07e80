//! Activities (issue 15, pt 8): the organisation's awareness sessions, trainings, campaigns
//! and school classes, and the form to record one.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use baken_app::labels::Label;
use baken_core::activity::{ActivityKind, NewActivity, RawActivity};
use baken_core::page::PageRequest;
use baken_core::ValidationErrors;
use baken_store::StoreError;

use crate::ui::pager::{CursorQuery, Pager};
use crate::ui::{
    date_text, internal, message, options, refused, render, Form, Nav, SelectOption, Session,
};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/activiteiten", page)
        .post("/activiteiten", record)
}

const MISSING: &str = "Deze activiteit bestaat niet of u heeft er geen toegang toe.";

struct Row {
    date: String,
    school_year: String,
    kind: &'static str,
    title: String,
    audience: String,
    theme: String,
    reached: u32,
    sessions: u32,
}

#[derive(Template)]
#[template(path = "activities.html")]
struct Page {
    nav: Option<Nav>,
    csrf: String,
    rows: Vec<Row>,
    pager: Pager,
    may_record: bool,
    kinds: Vec<SelectOption>,
    themes: Vec<SelectOption>,
    typed: Vec<(String, String)>,
    errors: Vec<baken_app::wording::FieldMessage>,
}

impl Page {
    fn val(&self, name: &str) -> &str {
        self.typed
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

async fn show(
    state: &AppState,
    session: &Session,
    (typed, errors): (Vec<(String, String)>, ValidationErrors),
    (page, status): (PageRequest, StatusCode),
) -> Response {
    if !session.caller.may_see_activities() {
        return message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            "Uw rol geeft geen toegang tot de activiteiten.",
        );
    }
    let now = state.clock.now();
    let (list, catalogue) = match (
        state.store.activities(&session.caller, page, now).await,
        state.store.catalogue().await,
    ) {
        (Ok(l), Ok(c)) => (l, c),
        (Err(e), _) => return refused(session, e, MISSING),
        (_, Err(e)) => return internal(e),
    };
    let chosen = |name: &str| {
        typed
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    render(
        status,
        &Page {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            pager: Pager::of(
                "/activiteiten",
                (&list, page),
                ("activiteit", "activiteiten"),
            ),
            rows: list
                .items
                .iter()
                .map(|a| Row {
                    date: date_text(a.held_on),
                    school_year: a.school_year.clone(),
                    kind: a.kind.label(),
                    title: a.title.clone(),
                    audience: a.audience.clone(),
                    theme: catalogue.theme_name(&a.theme).to_string(),
                    reached: a.reached,
                    sessions: a.sessions,
                })
                .collect(),
            may_record: session.caller.may_record_activity(),
            kinds: options(
                ActivityKind::ALL,
                ActivityKind::slug,
                ActivityKind::label,
                &chosen("kind"),
            ),
            themes: crate::ui::theme_options(&catalogue, Some(chosen("theme").as_str())),
            errors: baken_app::wording::messages(&errors),
            typed,
        },
    )
}

async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<CursorQuery>,
) -> Response {
    let page = match query.page() {
        Some(page) => page,
        // A role that sees no activities is refused whatever it asked for.
        None if !session.caller.may_see_activities() => PageRequest::first(crate::ui::pager::ROWS),
        None => return crate::ui::unknown_page(&session, "/activiteiten"),
    };
    show(
        &state,
        &session,
        (Vec::new(), ValidationErrors::new()),
        (page, StatusCode::OK),
    )
    .await
}

async fn record(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    if !session.caller.may_record_activity() {
        return refused(
            &session,
            StoreError::Forbidden(baken_core::access::Denied::RecordActivity),
            MISSING,
        );
    }
    let raw = RawActivity {
        kind: form.one("kind").into(),
        title: form.one("title").into(),
        held_on: form.one("heldOn").into(),
        audience: form.one("audience").into(),
        theme: form.one("theme").into(),
        reached: form.one("reached").into(),
        sessions: form.one("sessions").into(),
        notes: form.one("notes").into(),
    };
    let now = state.clock.now();
    let outcome = match NewActivity::parse(&raw, baken_core::calendar::local_date(now)) {
        Ok(a) => state
            .store
            .record_activity(&session.caller, a, now)
            .await
            .map_err(baken_app::wording::worded),
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match outcome {
        Ok(_) => Redirect::to("/activiteiten").into_response(),
        Err(StoreError::Invalid(errors)) => {
            show(
                &state,
                &session,
                (form.typed(), errors),
                (
                    PageRequest::first(crate::ui::pager::ROWS),
                    StatusCode::BAD_REQUEST,
                ),
            )
            .await
        }
        Err(e) => refused(&session, e, MISSING),
    }
}
