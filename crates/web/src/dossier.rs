//! Dossiers ("alles wat we weten"): one entity's mentions, signals, links with their
//! explanation, suggestions to judge, judgements with undo, and related entities. Opening a
//! person's dossier asks why; the reason goes into the audit trail with the read.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use baken_app::labels::Label;
use baken_core::access::DossierReason;
use baken_core::model::SubjectKind;
use baken_picture::dutch_number;
use baken_store::{Dossier, LinkState, StoreError, SubjectLink};
use uuid::Uuid;

use crate::ui::{internal, message, render, store_error, Form, Nav, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/betrokkenen/{id}", subject)
        .get("/dossiers/{id}", open)
        .post("/dossiers/{id}", open_with_reason)
        .post("/dossiers/{id}/oordeel", judge)
        .post("/dossiers/{id}/herstel", undo)
        .post("/dossiers/{id}/samenvoegen", merge)
        .post("/dossiers/{id}/casus", to_case)
        .get("/beheer/koppelen", thresholds)
        .post("/beheer/koppelen", set_threshold)
}

fn not_found(session: &Session) -> Response {
    message(
        StatusCode::NOT_FOUND,
        session.nav(),
        "Niet gevonden",
        "Dit dossier bestaat niet of u mag het niet zien.",
    )
}

async fn subject(session: Session, Path(id): Path<String>) -> Response {
    // A dossier is known by a mention: the redirect names the mention asked for and looks
    // nothing up, so it says nothing about what else exists.
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found(&session);
    };
    Redirect::to(&format!("/dossiers/{id}")).into_response()
}

#[derive(Template)]
#[template(path = "dossier_reason.html")]
struct ReasonPage {
    nav: Option<Nav>,
    csrf: String,
    entity: Uuid,
    error: Option<String>,
}

struct ReasonView {
    field: String,
    left: String,
    right: String,
    level: String,
    weight: String,
    favours: bool,
}

struct LinkView {
    left_id: String,
    left: String,
    right_id: String,
    right: String,
    /// The other mention, which opens its own dossier.
    right_number: String,
    probability: String,
    state: &'static str,
    decided_by: Option<String>,
    names_swapped: bool,
    prior: String,
    reasons: Vec<ReasonView>,
}

struct JudgementView {
    id: String,
    verdict: &'static str,
    left: String,
    right: String,
    reason: String,
    by: String,
    at: String,
    undone: Option<String>,
}

struct RelatedView {
    /// "woont op", "is eigenaar van": read from the subject of the relation to its object.
    verb: &'static str,
    outgoing: bool,
    entity: String,
    kind: &'static str,
    display: String,
    /// " sinds 01-03-2024", " van … tot …", or empty.
    period: String,
}

struct SignalLine {
    id: String,
    received: String,
    title: String,
    owner: String,
}

#[derive(Template)]
#[template(path = "dossier.html")]
struct DossierPage {
    nav: Option<Nav>,
    csrf: String,
    entity: Uuid,
    kind: &'static str,
    title: String,
    reason: String,
    may_judge: bool,
    subjects: Vec<(String, String, String)>,
    signals: Vec<SignalLine>,
    links: Vec<LinkView>,
    suggestions: Vec<LinkView>,
    judgements: Vec<JudgementView>,
    related: Vec<RelatedView>,
    /// What happened, newest first.
    timeline: Vec<crate::timeline::TimelineEntry>,
    /// The areas its signals lie in.
    areas: Vec<(String, String)>,
    /// Links beyond the strongest [`LINKS_SHOWN`].
    more_links: usize,
    notice: Option<&'static str>,
    errors: Vec<String>,
    /// Open cases the user runs, to add this dossier to.
    cases: Vec<crate::ui::SelectOption>,
    /// A mention of this dossier the user may see (what a case records).
    mention: String,
}

/// The strongest links shown with their explanation; the rest are counted.
const LINKS_SHOWN: usize = 10;

/// A weight in bits with its sign, the Dutch way ("+6,3").
fn signed(weight: f64) -> String {
    let sign = if weight >= 0.0 { "+" } else { "" };
    format!("{sign}{}", dutch_number(weight, 1))
}

fn link_view(l: &SubjectLink) -> LinkView {
    let e = &l.explanation;
    LinkView {
        left_id: l.left.id.to_string(),
        left: l.left.details.display(),
        right_id: l.right.id.to_string(),
        right: l.right.details.display(),
        right_number: l.right.id.to_string(),
        probability: format!("{} %", dutch_number(100.0 * l.probability, 1)),
        state: match l.state {
            LinkState::Automatic => "gekoppeld door Baken",
            LinkState::Suggested => "mogelijk dezelfde",
            LinkState::Confirmed => "bevestigd door een analist",
            LinkState::Rejected => "afgewezen door een analist",
            LinkState::Conflicting => "niet gekoppeld: tegenstrijdige gegevens",
        },
        decided_by: match &e.conflict {
            Some(c) => Some(baken_app::wording::conflict_fact(c)),
            None => e.decided_by.as_ref().map(baken_app::wording::verdict),
        },
        names_swapped: e.names_swapped,
        prior: signed(e.prior_weight),
        reasons: e
            .reasons
            .iter()
            .map(|r| ReasonView {
                field: baken_app::wording::reason_field(&r.field),
                left: r.left.clone().unwrap_or_else(|| "–".into()),
                right: r.right.clone().unwrap_or_else(|| "–".into()),
                level: baken_app::wording::agreement(&r.agreement),
                weight: signed(r.weight),
                favours: r.weight > 0.0,
            })
            .collect(),
    }
}

fn title_of(d: &Dossier) -> String {
    // The most frequent readable form among the mentions.
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for s in &d.subjects {
        *counts.entry(s.details.display()).or_default() += 1;
    }
    // On a tie, the form with the fewest capitals ("Jan de Vries" before "JAN de Vries"),
    // then the alphabetically first, so the title does not depend on the order of mentions.
    let capitals = |t: &str| t.chars().filter(|c| c.is_uppercase()).count();
    counts
        .into_iter()
        .max_by(|a, b| {
            a.1.cmp(&b.1)
                .then(capitals(&b.0).cmp(&capitals(&a.0)))
                .then(b.0.cmp(&a.0))
        })
        .map(|(t, _)| t)
        .unwrap_or_default()
}

fn dossier_page(
    session: &Session,
    d: &Dossier,
    reason: &str,
    notice: Option<&'static str>,
    errors: Vec<String>,
) -> DossierPage {
    let title = title_of(d);
    DossierPage {
        nav: session.nav(),
        csrf: session.csrf.clone(),
        entity: d.number,
        kind: d.kind.label(),
        timeline: crate::timeline::entries(d, &title),
        areas: crate::timeline::areas(d),
        title,
        reason: reason.to_string(),
        may_judge: session.caller.may_judge_links(),
        subjects: d
            .subjects
            .iter()
            .map(|s| (s.id.to_string(), s.details.display(), s.original.clone()))
            .collect(),
        signals: d
            .signals
            .iter()
            .map(|s| SignalLine {
                id: s.id.to_string(),
                received: crate::ui::day(s.received_at),
                title: s.title.clone(),
                owner: s.owner_org_name.clone(),
            })
            .collect(),
        links: d.links.iter().take(LINKS_SHOWN).map(link_view).collect(),
        more_links: d.links.len().saturating_sub(LINKS_SHOWN),
        suggestions: d.suggestions.iter().map(link_view).collect(),
        judgements: d
            .judgements
            .iter()
            .map(|j| JudgementView {
                id: j.id.to_string(),
                verdict: if j.confirmed {
                    "dezelfde"
                } else {
                    "niet dezelfde"
                },
                left: j.left.details.display(),
                right: j.right.details.display(),
                reason: j.reason.clone(),
                by: j.by_name.clone(),
                at: crate::ui::day(j.at),
                undone: j.undone_at.map(crate::ui::day),
            })
            .collect(),
        related: d
            .related
            .iter()
            .map(|r| RelatedView {
                verb: r.relation.label(),
                outgoing: r.outgoing,
                entity: r.subject.to_string(),
                kind: r.kind.label(),
                display: r.display.clone(),
                period: baken_app::wording::period(r.valid_from, r.valid_until),
            })
            .collect(),
        notice,
        errors,
        cases: Vec::new(),
        mention: d
            .subjects
            .first()
            .map(|s| s.id.to_string())
            .unwrap_or_default(),
    }
}

/// Shows the dossier, or asks for a reason first when it is a person's.
async fn show(
    state: &AppState,
    session: &Session,
    entity: Uuid,
    reason: Option<&str>,
    notice: Option<&'static str>,
    errors: Vec<String>,
) -> Response {
    let ask = |status: StatusCode, error: Option<String>| {
        render(
            status,
            &ReasonPage {
                nav: session.nav(),
                csrf: session.csrf.clone(),
                entity,
                error,
            },
        )
    };
    let stated = match reason.map(DossierReason::parse).transpose() {
        Ok(stated) => stated.flatten(),
        Err(short) => {
            return ask(
                StatusCode::BAD_REQUEST,
                Some(baken_app::wording::reason_too_short(short)),
            )
        }
    };
    match state
        .ops
        .open_dossier(&session.caller, entity, stated.as_ref())
        .await
    {
        Ok(d) => {
            let mut page = dossier_page(
                session,
                &d,
                stated
                    .as_ref()
                    .map(DossierReason::as_str)
                    .unwrap_or_default(),
                notice,
                errors,
            );
            // The open cases the user runs, to add this dossier to.
            if session.caller.may_open_case() {
                match state
                    .store
                    .cases(
                        &session.caller,
                        baken_store::CaseList::Open,
                        baken_core::page::PageRequest::LONG_LIST,
                        state.clock.now(),
                    )
                    .await
                {
                    Ok(cases) => {
                        page.cases = cases
                            .items
                            .into_iter()
                            .filter(|c| session.caller.may_manage_case(c.owner_org, c.owner_user))
                            .map(|c| crate::ui::SelectOption {
                                value: c.id.to_string(),
                                label: c.title,
                                selected: false,
                            })
                            .collect();
                    }
                    Err(e) => return store_error(session, e),
                }
            }
            render(
                if page.errors.is_empty() {
                    StatusCode::OK
                } else {
                    StatusCode::BAD_REQUEST
                },
                &page,
            )
        }
        // Asked for the first time, or posted without words.
        Err(StoreError::ReasonRequired) => match reason {
            None => ask(StatusCode::OK, None),
            Some(_) => ask(
                StatusCode::BAD_REQUEST,
                Some(baken_app::wording::REASON_REQUIRED.into()),
            ),
        },
        Err(StoreError::NotFound) => not_found(session),
        Err(e) => store_error(session, e),
    }
}

async fn open(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Response {
    let Ok(entity) = Uuid::parse_str(&id) else {
        return not_found(&session);
    };
    show(&state, &session, entity, None, None, Vec::new()).await
}

/// A form posted to a dossier: refused without a valid CSRF token, not found for a
/// malformed dossier number.
fn posted_to_dossier(
    session: &Session,
    id: &str,
    body: &Bytes,
) -> Result<(Uuid, Form), Box<Response>> {
    let form = Form::parse(body);
    if let Some(r) = session.csrf_refused(&form) {
        return Err(Box::new(r));
    }
    let entity = Uuid::parse_str(id).map_err(|_| Box::new(not_found(session)))?;
    Ok((entity, form))
}

async fn open_with_reason(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (entity, form) = match posted_to_dossier(&session, &id, &body) {
        Ok(posted) => posted,
        Err(refused) => return *refused,
    };
    show(
        &state,
        &session,
        entity,
        Some(form.one("reden")),
        None,
        Vec::new(),
    )
    .await
}

async fn judge(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (entity, form) = match posted_to_dossier(&session, &id, &body) {
        Ok(posted) => posted,
        Err(refused) => return *refused,
    };
    let (Ok(left), Ok(right)) = (
        Uuid::parse_str(form.one("links")),
        Uuid::parse_str(form.one("rechts")),
    ) else {
        return not_found(&session);
    };
    let confirmed = match form.one("oordeel") {
        "dezelfde" => true,
        "niet-dezelfde" => false,
        _ => {
            return message(
                StatusCode::BAD_REQUEST,
                session.nav(),
                "Onjuist oordeel",
                "Kies 'dezelfde' of 'niet dezelfde'.",
            )
        }
    };
    let reason = form.opt("reden");
    let why = form.one("waarom");
    match state
        .store
        .judge_link(
            &session.caller,
            left,
            right,
            confirmed,
            why,
            state.clock.now(),
        )
        .await
        .map_err(baken_app::wording::worded)
    {
        Ok(_) => {
            // The dossiers may have merged or split: follow the mention on the left.
            show(
                &state,
                &session,
                left,
                reason.as_deref(),
                Some(if confirmed {
                    "Vastgelegd: dezelfde. Het dossier is samengevoegd; u kunt dit herstellen."
                } else {
                    "Vastgelegd: niet dezelfde. Baken koppelt deze twee niet meer; u kunt dit herstellen."
                }),
                Vec::new(),
            )
            .await
        }
        Err(StoreError::Invalid(e)) => {
            let errors = judgement_errors(e);
            show(&state, &session, entity, reason.as_deref(), None, errors).await
        }
        Err(StoreError::NotFound) => not_found(&session),
        Err(e) => store_error(&session, e),
    }
}

async fn undo(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (entity, form) = match posted_to_dossier(&session, &id, &body) {
        Ok(posted) => posted,
        Err(refused) => return *refused,
    };
    let Ok(judgement) = Uuid::parse_str(form.one("oordeel")) else {
        return not_found(&session);
    };
    let reason = form.opt("reden");
    match state
        .store
        .undo_judgement(&session.caller, judgement, state.clock.now())
        .await
    {
        Ok(()) => {
            show(
                &state,
                &session,
                entity,
                reason.as_deref(),
                Some("Het oordeel is teruggedraaid; Baken heeft de dossiers opnieuw ingedeeld."),
                Vec::new(),
            )
            .await
        }
        Err(StoreError::NotFound) => not_found(&session),
        Err(e) => store_error(&session, e),
    }
}

/// A refused judgement's problems, each with the form field it is about.
fn judgement_errors(e: baken_core::ValidationErrors) -> Vec<String> {
    e.0.into_iter()
        .map(|f| {
            let label = match f.field.as_str() {
                "ander" => "Ander dossier",
                "rechts" => "Vermelding",
                _ => "Waarom",
            };
            format!("{label}: {}", baken_app::wording::problem(&f.problem))
        })
        .collect()
}

/// The dossier an analyst pasted: its link (`…/dossiers/{id}`, with or without host) or its
/// number.
fn dossier_number(input: &str) -> Option<Uuid> {
    let text = input.trim();
    let text = text
        .rsplit_once("/dossiers/")
        .map_or(text, |(_, rest)| rest);
    let text = text.split(['/', '?', '#']).next().unwrap_or(text);
    Uuid::parse_str(text.trim()).ok()
}

/// Merges another dossier into this one on the analyst's word (a confirmation between a
/// mention of each), for dossiers Baken does not suggest.
async fn merge(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (entity, form) = match posted_to_dossier(&session, &id, &body) {
        Ok(posted) => posted,
        Err(refused) => return *refused,
    };
    let reason = form.opt("reden");
    let Some(other) = dossier_number(form.one("ander")) else {
        let error = "Ander dossier: plak de link of het nummer van het andere dossier \
                     (het nummer staat bovenaan elk dossier)."
            .to_string();
        return show(
            &state,
            &session,
            entity,
            reason.as_deref(),
            None,
            vec![error],
        )
        .await;
    };
    match state
        .store
        .merge_dossiers(
            &session.caller,
            entity,
            other,
            form.one("waarom"),
            state.clock.now(),
        )
        .await
        .map_err(baken_app::wording::worded)
    {
        Ok(_) => {
            show(
                &state,
                &session,
                entity,
                reason.as_deref(),
                Some("Vastgelegd: dezelfde. De dossiers zijn samengevoegd; u kunt dit herstellen."),
                Vec::new(),
            )
            .await
        }
        Err(StoreError::Invalid(e)) => {
            let errors = judgement_errors(e);
            show(&state, &session, entity, reason.as_deref(), None, errors).await
        }
        Err(StoreError::NotFound) => not_found(&session),
        Err(e) => store_error(&session, e),
    }
}

// ------------------------------------------------------------------ thresholds (beheerder)

#[derive(Template)]
#[template(path = "link_thresholds.html")]
struct ThresholdsPage {
    nav: Option<Nav>,
    csrf: String,
    rows: Vec<(&'static str, &'static str, String)>,
    notice: Option<&'static str>,
    error: Option<String>,
}

async fn thresholds_page(
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
            "Alleen een beheerder stelt de koppeldrempels in.",
        );
    }
    let rows = match state.store.link_thresholds().await {
        Ok(r) => r,
        Err(e) => return internal(e),
    };
    render(
        status,
        &ThresholdsPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            rows: rows
                .into_iter()
                .map(|(k, t)| (k.slug(), k.label(), format!("{t}").replace('.', ",")))
                .collect(),
            notice,
            error,
        },
    )
}

async fn thresholds(State(state): State<AppState>, session: Session) -> Response {
    thresholds_page(&state, &session, StatusCode::OK, None, None).await
}

async fn set_threshold(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let input = form.one("drempel");
    let setting = match SubjectKind::parse(form.one("soort")) {
        Err(e) => Err(baken_app::wording::problem(&e)),
        Ok(kind) => baken_link::LinkThreshold::parse(input)
            .and_then(|t| baken_link::KindThreshold::new(kind, t))
            .map_err(|e| baken_app::wording::threshold(e, input)),
    };
    let setting = match setting {
        Ok(s) => s,
        Err(text) => {
            return thresholds_page(&state, &session, StatusCode::BAD_REQUEST, None, Some(text))
                .await
        }
    };
    match state.ops.set_link_threshold(&session.caller, setting).await {
        Ok(()) => {
            thresholds_page(
                &state,
                &session,
                StatusCode::OK,
                Some("Drempel opgeslagen. Nieuwe betrokkenen worden ermee gekoppeld; `baken link run` past hem op alles toe."),
                None,
            )
            .await
        }
        Err(StoreError::Invalid(e)) => {
            let text = baken_app::wording::messages(&e)
                .into_iter()
                .map(|f| f.message)
                .collect::<Vec<_>>()
                .join("; ");
            thresholds_page(&state, &session, StatusCode::BAD_REQUEST, None, Some(text)).await
        }
        Err(e) => store_error(&session, e),
    }
}

/// Adds the dossier (through one of its mentions) to a case the user runs.
async fn to_case(
    State(state): State<AppState>,
    session: Session,
    Path(_id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let form = crate::ui::Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    if !session.caller.may_open_case() {
        return crate::ui::message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            baken_app::wording::denied(baken_core::access::Denied::ManageCase),
        );
    }
    let (Ok(case), Ok(mention)) = (
        Uuid::parse_str(form.one("casus")),
        Uuid::parse_str(form.one("mention")),
    ) else {
        return crate::ui::message(
            StatusCode::BAD_REQUEST,
            session.nav(),
            "Dat lukte niet",
            "Kies een casus uit de lijst.",
        );
    };
    match state
        .store
        .add_case_subject(&session.caller, case, mention, state.clock.now())
        .await
    {
        Ok(_) => axum::response::Redirect::to(&format!("/casussen/{case}")).into_response(),
        Err(e) => crate::ui::refused(
            &session,
            e,
            "Deze casus bestaat niet of u heeft er geen toegang toe.",
        ),
    }
}
