//! Field work pages: visits per kind with coverage, the visit form with its checklist, a
//! visit's findings that become signals with one click, and the beheerder's checklists.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use baken_app::labels::Label;
use baken_core::field::{Answer, NewVisit, VisitInput, VisitKind};
use baken_core::page::PageRequest;
use baken_core::ValidationErrors;
use baken_store::{Coverage, StoreError};
use uuid::Uuid;

use crate::ui::{internal, message, render, Form, Nav, SelectOption, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/veld", list)
        .get("/veld/nieuw", new_visit)
        .post("/veld/nieuw", create_visit)
        .get("/veld/{id}", visit_page)
        .post(
            "/veld/{id}/bevindingen/{position}/signaal",
            finding_to_signal,
        )
        .get("/beheer/checklists", checklists)
        .post("/beheer/checklists", save_checklist)
}

#[derive(serde::Deserialize)]
struct KindQuery {
    soort: Option<String>,
    jaar: Option<i32>,
    signaal: Option<String>,
    opgeslagen: Option<String>,
}

fn kind_of(q: Option<&str>) -> VisitKind {
    q.and_then(|k| VisitKind::parse(k).ok())
        .unwrap_or(VisitKind::Erfbezoek)
}

fn date_text(d: time::Date) -> String {
    baken_app::wording::day(d)
}

fn not_found(session: &Session) -> Response {
    message(
        StatusCode::NOT_FOUND,
        session.nav(),
        "Niet gevonden",
        "Dit bezoek bestaat niet of u heeft er geen toegang toe.",
    )
}

fn store_error(session: &Session, e: StoreError) -> Response {
    match e {
        StoreError::NotFound => not_found(session),
        StoreError::Forbidden(why) => message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            baken_app::wording::denied(why),
        ),
        StoreError::Conflict(what) => message(
            StatusCode::CONFLICT,
            session.nav(),
            "Al gedaan",
            &baken_app::wording::conflict(&what),
        ),
        other => internal(other),
    }
}

struct VisitRow {
    id: Uuid,
    date: String,
    place: String,
    by: String,
    findings: String,
}

#[derive(Template)]
#[template(path = "field.html")]
struct FieldPage {
    nav: Option<Nav>,
    kinds: Vec<SelectOption>,
    kind: &'static str,
    kind_label: &'static str,
    object_label: &'static str,
    coverage: Coverage,
    year: i32,
    years: Vec<i32>,
    can_register: bool,
    visits: Vec<VisitRow>,
}

async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<KindQuery>,
) -> Response {
    let kind = kind_of(q.soort.as_deref());
    let now = state.clock.now();
    let year = q
        .jaar
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(baken_core::calendar::local_date(now).year());
    let coverage = match state.store.coverage(&session.caller, kind, year).await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let visits = match state
        .store
        .visits(&session.caller, kind, PageRequest::LONG_LIST, now)
        .await
        .map(|page| page.items)
    {
        Ok(v) => v,
        Err(e) => return internal(e),
    };
    let kinds = VisitKind::ALL
        .iter()
        .map(|k| SelectOption {
            value: k.slug().into(),
            label: k.label().into(),
            selected: *k == kind,
        })
        .collect();
    render(
        StatusCode::OK,
        &FieldPage {
            nav: session.nav(),
            kinds,
            kind: kind.slug(),
            kind_label: kind.label(),
            object_label: kind.object_label(),
            coverage,
            year,
            years: (baken_core::calendar::local_date(now).year() - 3
                ..=baken_core::calendar::local_date(now).year())
                .collect(),
            can_register: session.caller.may_register_signal(),
            visits: visits
                .into_iter()
                .map(|v| VisitRow {
                    id: v.id,
                    date: date_text(v.visited_on),
                    place: v.object_name.or(v.location).unwrap_or_default(),
                    by: v.by_name,
                    findings: format!("{} ({} als signaal)", v.findings, v.findings_as_signals),
                })
                .collect(),
        },
    )
}

struct Question {
    index: usize,
    text: String,
    options: Vec<SelectOption>,
}

#[derive(Template)]
#[template(path = "visit_form.html")]
struct VisitFormPage {
    nav: Option<Nav>,
    csrf: String,
    kind: &'static str,
    kind_label: &'static str,
    objects: Vec<SelectOption>,
    location: String,
    area_code: String,
    visited_on: String,
    questions: Vec<Question>,
    notes: String,
    findings: Vec<String>,
    errors: Vec<baken_app::wording::FieldMessage>,
}

async fn visit_form(
    state: &AppState,
    session: &Session,
    kind: VisitKind,
    input: &VisitInput,
    errors: ValidationErrors,
    status: StatusCode,
) -> Response {
    let checklist = match state.store.checklist(kind).await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let objects = match state
        .store
        .field_objects(&session.caller, kind.object_kind())
        .await
    {
        Ok(o) => o,
        Err(e) => return internal(e),
    };
    let chosen = input.object.clone().unwrap_or_default();
    let mut options = vec![SelectOption {
        value: String::new(),
        label: "Geen object uit de lijst".into(),
        selected: chosen.is_empty(),
    }];
    options.extend(objects.iter().map(|o| SelectOption {
        value: o.id.to_string(),
        label: match &o.address {
            Some(a) => format!("{} ({a})", o.name),
            None => o.name.clone(),
        },
        selected: o.id.to_string() == chosen,
    }));
    let mut findings = input.findings.clone();
    findings.resize(findings.len().max(3), String::new());
    render(
        status,
        &VisitFormPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            kind: kind.slug(),
            kind_label: kind.label(),
            objects: options,
            location: input.location.clone().unwrap_or_default(),
            area_code: input.area_code.clone().unwrap_or_default(),
            visited_on: input.visited_on.clone().unwrap_or_default(),
            questions: checklist
                .into_iter()
                .enumerate()
                .map(|(index, text)| {
                    let current = input.answers.get(index).cloned().unwrap_or_default();
                    Question {
                        index,
                        text,
                        options: Answer::ALL
                            .iter()
                            .map(|a| SelectOption {
                                value: a.slug().into(),
                                label: a.label().into(),
                                selected: a.slug() == current,
                            })
                            .collect(),
                    }
                })
                .collect(),
            notes: input.notes.clone().unwrap_or_default(),
            findings,
            errors: baken_app::wording::messages(&errors),
        },
    )
}

fn may_not_record_visits(session: &Session) -> Response {
    message(
        StatusCode::FORBIDDEN,
        session.nav(),
        "Niet toegestaan",
        "Uw rol mag geen bezoeken vastleggen.",
    )
}

async fn new_visit(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<KindQuery>,
) -> Response {
    if !session.caller.may_register_signal() {
        return may_not_record_visits(&session);
    }
    let kind = kind_of(q.soort.as_deref());
    let input = VisitInput {
        kind: Some(kind.slug().into()),
        ..Default::default()
    };
    visit_form(
        &state,
        &session,
        kind,
        &input,
        ValidationErrors::new(),
        StatusCode::OK,
    )
    .await
}

async fn create_visit(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    if !session.caller.may_register_signal() {
        return may_not_record_visits(&session);
    }
    let kind = kind_of(Some(form.one("kind")));
    let checklist = match state.store.checklist(kind).await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let input = VisitInput {
        kind: form.opt("kind"),
        object: form.opt("object"),
        location: form.opt("location"),
        area_code: form.opt("areaCode"),
        visited_on: form.opt("visitedOn"),
        answers: (0..checklist.len())
            .map(|i| form.one(&format!("answers[{i}]")).to_string())
            .collect(),
        notes: form.opt("notes"),
        findings: form.all("findings"),
    };
    let now = state.clock.now();
    let errors = match NewVisit::parse(&input, &checklist, baken_core::calendar::local_date(now)) {
        Ok(visit) => match state
            .store
            .create_visit(&session.caller, visit, now)
            .await
            .map_err(baken_app::wording::worded)
        {
            Ok(id) => return Redirect::to(&format!("/veld/{id}?opgeslagen=1")).into_response(),
            Err(StoreError::Invalid(e)) => e,
            Err(e) => return store_error(&session, e),
        },
        Err(e) => e,
    };
    visit_form(
        &state,
        &session,
        kind,
        &input,
        errors,
        StatusCode::BAD_REQUEST,
    )
    .await
}

#[derive(Template)]
#[template(path = "visit.html")]
struct VisitPage {
    nav: Option<Nav>,
    csrf: String,
    id: Uuid,
    kind: &'static str,
    kind_label: &'static str,
    date: String,
    place: String,
    by: String,
    notes: Option<String>,
    answers: Vec<(String, &'static str)>,
    findings: Vec<baken_store::VisitFinding>,
    can_register: bool,
    notice: Option<&'static str>,
    /// The interventions (integrated controls) the visit was made during.
    interventions: Vec<crate::interventions::ListRow>,
}

async fn visit_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<KindQuery>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found(&session);
    };
    match state
        .store
        .visit(&session.caller, id, state.clock.now())
        .await
    {
        Ok(d) => render(
            StatusCode::OK,
            &VisitPage {
                interventions: match crate::interventions::linked_to(
                    &state,
                    &session,
                    baken_core::intervention::LinkTarget::Visit(id),
                )
                .await
                {
                    Ok(rows) => rows,
                    Err(e) => return store_error(&session, e),
                },
                nav: session.nav(),
                csrf: session.csrf.clone(),
                id,
                kind: d.summary.kind.slug(),
                kind_label: d.summary.kind.label(),
                date: date_text(d.summary.visited_on),
                place: d
                    .summary
                    .object_name
                    .or(d.summary.location)
                    .unwrap_or_default(),
                by: d.summary.by_name,
                notes: d.notes,
                answers: d
                    .answers
                    .into_iter()
                    .map(|(q, a)| (q, a.map_or("–", Answer::label)))
                    .collect(),
                findings: d.findings,
                can_register: session.caller.may_register_signal(),
                notice: if q.signaal.is_some() {
                    Some("Van de bevinding is een signaal gemaakt.")
                } else if q.opgeslagen.is_some() {
                    Some("Het bezoek is opgeslagen.")
                } else {
                    None
                },
            },
        ),
        Err(e) => store_error(&session, e),
    }
}

async fn finding_to_signal(
    State(state): State<AppState>,
    session: Session,
    Path((id, position)): Path<(String, u32)>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found(&session);
    };
    match state
        .store
        .finding_to_signal(
            &session.caller,
            (id, position),
            |kind| kind.label(),
            &state.config.intake,
            state.clock.now(),
        )
        .await
    {
        Ok(_) => Redirect::to(&format!("/veld/{id}?signaal=1")).into_response(),
        Err(e) => store_error(&session, e),
    }
}

struct ChecklistText {
    value: &'static str,
    label: &'static str,
    text: String,
}

#[derive(Template)]
#[template(path = "checklists.html")]
struct ChecklistsPage {
    nav: Option<Nav>,
    csrf: String,
    lists: Vec<ChecklistText>,
    notice: Option<&'static str>,
    error: Option<String>,
}

async fn checklists_view(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Response {
    if !session.caller.may_manage_catalogue() {
        return message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            "Alleen een beheerder beheert de checklists.",
        );
    }
    let mut lists = Vec::new();
    for kind in VisitKind::ALL {
        match state.store.checklist(*kind).await {
            Ok(questions) => lists.push(ChecklistText {
                value: kind.slug(),
                label: kind.label(),
                text: questions.join("\n"),
            }),
            Err(e) => return internal(e),
        }
    }
    render(
        status,
        &ChecklistsPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            lists,
            notice,
            error,
        },
    )
}

async fn checklists(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<KindQuery>,
) -> Response {
    let notice = q
        .opgeslagen
        .is_some()
        .then_some("De checklist is opgeslagen.");
    checklists_view(&state, &session, StatusCode::OK, notice, None).await
}

async fn save_checklist(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let Ok(kind) = VisitKind::parse(form.one("kind")) else {
        return checklists_view(
            &state,
            &session,
            StatusCode::BAD_REQUEST,
            None,
            Some("onbekende soort bezoek".into()),
        )
        .await;
    };
    let questions = form.one("questions").lines().map(str::to_string).collect();
    match state
        .store
        .set_checklist(&session.caller, kind, questions, state.clock.now())
        .await
        .map_err(baken_app::wording::worded)
    {
        Ok(()) => Redirect::to("/beheer/checklists?opgeslagen=1").into_response(),
        Err(StoreError::Invalid(e)) => {
            checklists_view(
                &state,
                &session,
                StatusCode::BAD_REQUEST,
                None,
                e.0.first().map(|f| baken_app::wording::problem(&f.problem)),
            )
            .await
        }
        Err(e) => store_error(&session, e),
    }
}
