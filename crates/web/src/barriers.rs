//! Barrier models (issue 15, pt 7): the organisation's models with their coverage
//! ("23 van 29 toegepast"), a model's phases and barriers with the latest assessment and the
//! gaps, assessing a barrier (analist), editing its texts and installing a template
//! (beheerder), and tagging an intervention with a barrier.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use baken_app::labels::Label;
use baken_core::barrier::{
    BarrierEdit, BarrierModel, BarrierStatus, BarrierTemplate, NewAssessment, RawAssessment,
    RawBarrierEdit, TagTarget,
};
use baken_core::ValidationErrors;
use baken_store::StoreError;
use uuid::Uuid;

use crate::ui::{date_text, message, options, refused, render, Form, Nav, SelectOption, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/barrieremodellen", list)
        .post("/barrieremodellen", install)
        .get("/barrieremodellen/{id}", page)
        .post("/barrieres/{id}/beoordeling", assess)
        .post("/barrieres/{id}/tekst", edit)
        .post("/interventies/{id}/barriere", tag_intervention)
        .post("/signalen/{id}/barriere", tag_signal)
}

/// The organisation's barriers as options to tag with, for whoever may tag (else none).
pub(crate) async fn barrier_options(
    state: &AppState,
    session: &Session,
) -> Result<Vec<SelectOption>, StoreError> {
    let mut out = Vec::new();
    if !session.caller.may_assess_barriers() {
        return Ok(out);
    }
    let now = state.clock.now();
    for m in state.store.barrier_models(&session.caller, now).await? {
        let model = state
            .store
            .barrier_model(&session.caller, m.id, now)
            .await?;
        for p in &model.phases {
            for b in &p.barriers {
                out.push(SelectOption {
                    value: b.id.to_string(),
                    label: format!("{} — {}.{} {}", model.name, p.position, b.position, b.text),
                    selected: false,
                });
            }
        }
    }
    Ok(out)
}

const MISSING: &str = "Dit barrièremodel bestaat niet of u heeft er geen toegang toe.";

fn no_access(session: &Session) -> Response {
    message(
        StatusCode::FORBIDDEN,
        session.nav(),
        "Niet toegestaan",
        "Uw rol geeft geen toegang tot de barrièremodellen.",
    )
}

struct ModelRow {
    id: Uuid,
    name: String,
    coverage: String,
}

#[derive(Template)]
#[template(path = "barrier_models.html")]
struct ListPage {
    nav: Option<Nav>,
    csrf: String,
    models: Vec<ModelRow>,
    templates: Vec<SelectOption>,
    may_install: bool,
}

/// "23 van 29 toegepast (2 deels, 4 niet beoordeeld)".
pub(crate) fn coverage_text(c: baken_core::barrier::Coverage) -> String {
    let mut text = format!("{} van {} toegepast", c.applied, c.total);
    let mut rest = Vec::new();
    if c.partly > 0 {
        rest.push(format!("{} deels", c.partly));
    }
    if c.not_applied > 0 {
        rest.push(format!("{} niet", c.not_applied));
    }
    if c.unassessed > 0 {
        rest.push(format!("{} niet beoordeeld", c.unassessed));
    }
    if !rest.is_empty() {
        text.push_str(&format!(" ({})", rest.join(", ")));
    }
    text
}

async fn list(State(state): State<AppState>, session: Session) -> Response {
    if !session.caller.may_see_barrier_models() {
        return no_access(&session);
    }
    match state
        .store
        .barrier_models(&session.caller, state.clock.now())
        .await
    {
        Ok(models) => render(
            StatusCode::OK,
            &ListPage {
                nav: session.nav(),
                csrf: session.csrf.clone(),
                models: models
                    .into_iter()
                    .map(|m| ModelRow {
                        id: m.id,
                        name: m.name,
                        coverage: coverage_text(m.coverage),
                    })
                    .collect(),
                templates: options(
                    BarrierTemplate::ALL,
                    BarrierTemplate::slug,
                    BarrierTemplate::label,
                    "",
                ),
                may_install: session.caller.may_edit_barrier_models(),
            },
        ),
        Err(e) => refused(&session, e, MISSING),
    }
}

async fn install(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    if !session.caller.may_edit_barrier_models() {
        return refused(
            &session,
            StoreError::Forbidden(baken_core::access::Denied::EditBarrierModels),
            MISSING,
        );
    }
    let template = match BarrierTemplate::parse(form.one("template")) {
        Ok(t) => t,
        Err(p) => {
            let mut errors = ValidationErrors::new();
            errors.push("template", p);
            return refused(&session, StoreError::Invalid(errors), MISSING);
        }
    };
    match state
        .store
        .install_barrier_model(&session.caller, template, state.clock.now())
        .await
    {
        Ok(id) => Redirect::to(&format!("/barrieremodellen/{id}")).into_response(),
        Err(e) => refused(&session, baken_app::wording::worded(e), MISSING),
    }
}

struct BarrierRow {
    id: Uuid,
    number: String,
    text: String,
    owner: String,
    instrument: String,
    status: &'static str,
    applied: bool,
    assessment: String,
    tagged: u32,
}

struct PhaseRow {
    name: String,
    barriers: Vec<BarrierRow>,
}

#[derive(Template)]
#[template(path = "barrier_model.html")]
struct ModelPage {
    nav: Option<Nav>,
    csrf: String,
    id: Uuid,
    name: String,
    coverage: String,
    phases: Vec<PhaseRow>,
    gaps: Vec<String>,
    statuses: Vec<SelectOption>,
    may_assess: bool,
    may_edit: bool,
}

fn model_page(session: &Session, m: &BarrierModel) -> Response {
    let phases = m
        .phases
        .iter()
        .map(|p| PhaseRow {
            name: p.name.clone(),
            barriers: p
                .barriers
                .iter()
                .map(|b| BarrierRow {
                    id: b.id,
                    number: format!("{}.{}", p.position, b.position),
                    text: b.text.clone(),
                    owner: b.owner.clone(),
                    instrument: b.instrument.clone(),
                    status: b
                        .latest
                        .as_ref()
                        .map_or("niet beoordeeld", |a| a.status.label()),
                    applied: b
                        .latest
                        .as_ref()
                        .is_some_and(|a| a.status == BarrierStatus::Applied),
                    assessment: b
                        .latest
                        .as_ref()
                        .map(|a| {
                            format!(
                                "{} door {}{}{}",
                                date_text(a.assessed_on),
                                a.assessed_by,
                                if a.owner.is_empty() {
                                    String::new()
                                } else {
                                    format!("; eigenaar {}", a.owner)
                                },
                                if a.evidence.is_empty() {
                                    String::new()
                                } else {
                                    format!("; onderbouwing: {}", a.evidence)
                                }
                            )
                        })
                        .unwrap_or_default(),
                    tagged: b.tagged,
                })
                .collect(),
        })
        .collect();
    render(
        StatusCode::OK,
        &ModelPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            id: m.id,
            name: m.name.clone(),
            coverage: coverage_text(m.coverage()),
            phases,
            gaps: m
                .gaps()
                .iter()
                .map(|(p, b)| format!("{}.{} {}", p.position, b.position, b.text))
                .collect(),
            statuses: options(
                BarrierStatus::ALL,
                BarrierStatus::slug,
                BarrierStatus::label,
                "",
            ),
            may_assess: session.caller.may_assess_barriers(),
            may_edit: session.caller.may_edit_barrier_models(),
        },
    )
}

async fn page(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Response {
    if !session.caller.may_see_barrier_models() {
        return no_access(&session);
    }
    let Ok(id) = Uuid::parse_str(&id) else {
        return refused(&session, StoreError::NotFound, MISSING);
    };
    match state
        .store
        .barrier_model(&session.caller, id, state.clock.now())
        .await
    {
        Ok(m) => model_page(&session, &m),
        Err(e) => refused(&session, e, MISSING),
    }
}

/// The checks every change starts with: the form's token, the role the change needs
/// (`allowed`, refused as `denied`), an id that can exist.
fn posted(
    session: &Session,
    body: &Bytes,
    (id, allowed, denied): (&str, bool, baken_core::access::Denied),
) -> Result<(Uuid, Form), Box<Response>> {
    let form = Form::parse(body);
    if let Some(r) = session.csrf_refused(&form) {
        return Err(Box::new(r));
    }
    if !allowed {
        return Err(Box::new(refused(
            session,
            StoreError::Forbidden(denied),
            MISSING,
        )));
    }
    let Ok(id) = Uuid::parse_str(id) else {
        return Err(Box::new(refused(session, StoreError::NotFound, MISSING)));
    };
    Ok((id, form))
}

/// Back to where the form came from (a model page), or the refusal.
fn back(session: &Session, form: &Form, outcome: Result<(), StoreError>) -> Response {
    match outcome {
        Ok(()) => {
            let to = form.one("terug");
            let to = if ["/barrieremodellen/", "/interventies/", "/signalen/"]
                .iter()
                .any(|p| to.starts_with(p))
            {
                to
            } else {
                "/barrieremodellen"
            };
            Redirect::to(to).into_response()
        }
        Err(e) => match baken_app::wording::worded(e) {
            StoreError::Invalid(errors) => {
                let lines: Vec<String> = baken_app::wording::messages(&errors)
                    .into_iter()
                    .map(|m| format!("{}: {}", field_label(&m.field), m.message))
                    .collect();
                message(
                    StatusCode::BAD_REQUEST,
                    session.nav(),
                    "Dat lukte niet",
                    &format!("{}. Ga terug en vul het aan.", lines.join("; ")),
                )
            }
            other => refused(session, other, MISSING),
        },
    }
}

/// The name a field of the barrier forms goes by.
fn field_label(field: &str) -> &'static str {
    match field {
        "status" => "Stand",
        "owner" => "Eigenaar",
        "evidence" => "Onderbouwing",
        "assessedOn" => "Datum",
        "text" => "Barrière",
        "instrument" => "Instrument",
        "template" => "Sjabloon",
        _ => "Barrière",
    }
}

async fn assess(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let check = (
        id.as_str(),
        session.caller.may_assess_barriers(),
        baken_core::access::Denied::AssessBarriers,
    );
    let (id, form) = match posted(&session, &body, check) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let raw = RawAssessment {
        status: form.one("status").into(),
        owner: form.one("owner").into(),
        evidence: form.one("evidence").into(),
        assessed_on: form.one("assessedOn").into(),
    };
    let now = state.clock.now();
    let outcome = match NewAssessment::parse(&raw, baken_core::calendar::local_date(now)) {
        Ok(a) => {
            state
                .store
                .assess_barrier(&session.caller, id, a, now)
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    back(&session, &form, outcome)
}

async fn edit(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let check = (
        id.as_str(),
        session.caller.may_edit_barrier_models(),
        baken_core::access::Denied::EditBarrierModels,
    );
    let (id, form) = match posted(&session, &body, check) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let raw = RawBarrierEdit {
        text: form.one("text").into(),
        owner: form.one("owner").into(),
        instrument: form.one("instrument").into(),
    };
    let outcome = match BarrierEdit::parse(&raw) {
        Ok(e) => {
            state
                .store
                .edit_barrier(&session.caller, id, e, state.clock.now())
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    back(&session, &form, outcome)
}

/// Tags what `target` makes of the path's id with the form's barrier.
async fn tag(
    (state, session): (&AppState, &Session),
    (id, body): (String, Bytes),
    target: fn(Uuid) -> TagTarget,
) -> Response {
    let check = (
        id.as_str(),
        session.caller.may_assess_barriers(),
        baken_core::access::Denied::AssessBarriers,
    );
    let (id, form) = match posted(session, &body, check) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let Ok(barrier) = Uuid::parse_str(form.one("barrier")) else {
        let mut errors = ValidationErrors::new();
        errors.push(
            "barrier",
            baken_core::validation::Problem::NotA {
                format: baken_core::validation::Format::Id,
                given: form.one("barrier").to_string(),
            },
        );
        return refused(session, StoreError::Invalid(errors), MISSING);
    };
    let outcome = state
        .store
        .tag_barrier(&session.caller, barrier, target(id), state.clock.now())
        .await;
    back(session, &form, outcome)
}

async fn tag_intervention(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    tag((&state, &session), (id, body), TagTarget::Intervention).await
}

async fn tag_signal(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    tag((&state, &session), (id, body), TagTarget::Signal).await
}
