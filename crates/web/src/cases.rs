//! The case table's pages (issue 14): the cases the user may see, opening a case (also from a
//! signal, with the open cases about the same subject suggested), and a case with its members,
//! status history and the signals in it that the user may see.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use baken_app::labels::Label;
use baken_core::access::DossierReason;
use baken_core::case::{
    CaseDetail, CaseMember, CaseStatus, CaseStatusChange, CaseSummary, LineageReason, NewCase,
    NewMember, RawCase,
};
use baken_core::model::Classification;
use baken_core::page::PageRequest;
use baken_core::ValidationErrors;
use baken_store::{CaseList, StoreError};
use uuid::Uuid;

use crate::ui::{internal, message, options, render, Form, Nav, SelectOption, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/casussen", list)
        .get("/casussen/nieuw", new_case)
        .post("/casussen/nieuw", create_case)
        .get("/casussen/{id}", case_page)
        .post("/casussen/{id}/doel", state_purpose)
        .post("/casussen/{id}/status", change_status)
        .post("/casussen/{id}/signalen", add_signal)
        .post("/casussen/{id}/leden", add_member)
        .post("/casussen/{id}/samenvoegen", merge)
        .post("/casussen/{id}/splitsen", split)
}

/// A case that does not exist or may not be seen: one sentence for both.
pub(crate) const MISSING: &str = "Deze casus bestaat niet of u heeft er geen toegang toe.";

fn not_found(session: &Session) -> Response {
    message(
        StatusCode::NOT_FOUND,
        session.nav(),
        "Niet gevonden",
        MISSING,
    )
}

fn store_error(session: &Session, e: StoreError) -> Response {
    crate::ui::refused(session, e, MISSING)
}

fn no_cases(session: &Session) -> Response {
    message(
        StatusCode::FORBIDDEN,
        session.nav(),
        "Niet toegestaan",
        "Uw rol geeft geen toegang tot casussen.",
    )
}

fn may_not_manage(session: &Session) -> Response {
    message(
        StatusCode::FORBIDDEN,
        session.nav(),
        "Niet toegestaan",
        baken_app::wording::denied(baken_core::access::Denied::ManageCase),
    )
}

struct CaseRow {
    id: Uuid,
    title: String,
    themes: String,
    status: &'static str,
    owner: String,
    follow_up: String,
    follow_up_due: bool,
}

fn case_row(c: &CaseSummary, today: time::Date, theme_name: &dyn Fn(&str) -> String) -> CaseRow {
    CaseRow {
        id: c.id,
        title: c.title.clone(),
        themes: c
            .themes
            .iter()
            .map(|t| theme_name(t))
            .collect::<Vec<_>>()
            .join(", "),
        status: c.status.label(),
        owner: format!("{} ({})", c.owner_name, c.owner_org_name),
        follow_up: c.follow_up_on.map(crate::ui::date_text).unwrap_or_default(),
        follow_up_due: c.follow_up_due(today),
    }
}

async fn theme_names(state: &AppState) -> Result<impl Fn(&str) -> String, StoreError> {
    let catalogue = state.store.catalogue().await?;
    Ok(move |code: &str| {
        catalogue
            .themes
            .iter()
            .find(|t| t.code == code)
            .map_or_else(|| code.to_string(), |t| t.name.clone())
    })
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    nav: Option<Nav>,
    all: bool,
    may_open: bool,
    cases: Vec<CaseRow>,
    pager: crate::ui::pager::Pager,
}

#[derive(serde::Deserialize)]
struct ListQuery {
    alle: Option<String>,
    cursor: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<ListQuery>,
) -> Response {
    if !session.caller.may_see_cases() {
        return no_cases(&session);
    }
    let all = q.alle.is_some();
    let Some(page) = crate::ui::pager::requested(q.cursor.as_deref()) else {
        let first = if all { "/casussen?alle=1" } else { "/casussen" };
        return crate::ui::unknown_page(&session, first);
    };
    let now = state.clock.now();
    let list = if all { CaseList::All } else { CaseList::Open };
    let cases = match state.store.cases(&session.caller, list, page, now).await {
        Ok(c) => c,
        Err(e) => return store_error(&session, e),
    };
    let pager = crate::ui::pager::Pager::of(
        if all { "/casussen?alle=1" } else { "/casussen" },
        (&cases, page),
        ("casus", "casussen"),
    );
    let names = match theme_names(&state).await {
        Ok(n) => n,
        Err(e) => return internal(e),
    };
    let today = baken_core::calendar::local_date(now);
    render(
        StatusCode::OK,
        &CasesPage {
            nav: session.nav(),
            all,
            may_open: session.caller.may_open_case(),
            cases: cases
                .items
                .iter()
                .map(|c| case_row(c, today, &names))
                .collect(),
            pager,
        },
    )
}

struct ThemeChoice {
    code: String,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "case_form.html")]
struct CaseFormPage {
    nav: Option<Nav>,
    csrf: String,
    signal: Option<(Uuid, String)>,
    suggestions: Vec<CaseRow>,
    title: String,
    description: String,
    themes: Vec<ThemeChoice>,
    classifications: Vec<SelectOption>,
    follow_up_on: String,
    errors: Vec<baken_app::wording::FieldMessage>,
}

#[derive(serde::Deserialize)]
struct NewQuery {
    signaal: Option<String>,
}

async fn case_form(
    state: &AppState,
    session: &Session,
    (raw, signal): (&RawCase, Option<Uuid>),
    errors: ValidationErrors,
    status: StatusCode,
) -> Response {
    let now = state.clock.now();
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    // Coming from a signal: the signal itself (it must be one the user may see) and the open
    // cases about the same subjects.
    let (signal, suggestions) = match signal {
        None => (None, Vec::new()),
        Some(id) => {
            let detail = match state.store.signal(&session.caller, id, now).await {
                Ok(d) => d,
                Err(e) => return crate::ui::store_error(session, e),
            };
            let suggested = match state.store.case_suggestions(&session.caller, id, now).await {
                Ok(s) => s,
                Err(e) => return store_error(session, e),
            };
            let names = |code: &str| {
                catalogue
                    .themes
                    .iter()
                    .find(|t| t.code == code)
                    .map_or_else(|| code.to_string(), |t| t.name.clone())
            };
            let today = baken_core::calendar::local_date(now);
            (
                Some((id, detail.signal.title.clone())),
                suggested
                    .iter()
                    .map(|c| case_row(c, today, &names))
                    .collect(),
            )
        }
    };
    let classification = if raw.classification.is_empty() {
        Classification::Intern.slug()
    } else {
        raw.classification.as_str()
    };
    let allowed: Vec<Classification> = Classification::ALL
        .iter()
        .copied()
        .filter(|c| *c != Classification::Bibob)
        .collect();
    render(
        status,
        &CaseFormPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            signal,
            suggestions,
            title: raw.title.clone(),
            description: raw.description.clone(),
            themes: catalogue
                .themes
                .iter()
                .map(|t| ThemeChoice {
                    code: t.code.clone(),
                    name: t.name.clone(),
                    checked: raw.themes.contains(&t.code),
                })
                .collect(),
            classifications: options(
                &allowed,
                Classification::slug,
                Classification::label,
                classification,
            ),
            follow_up_on: raw.follow_up_on.clone(),
            errors: baken_app::wording::messages(&errors),
        },
    )
}

async fn new_case(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<NewQuery>,
) -> Response {
    if !session.caller.may_open_case() {
        return may_not_manage(&session);
    }
    let signal = match q.signaal.as_deref().map(Uuid::parse_str) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => return not_found(&session),
    };
    case_form(
        &state,
        &session,
        (&RawCase::default(), signal),
        ValidationErrors::new(),
        StatusCode::OK,
    )
    .await
}

async fn create_case(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    if !session.caller.may_open_case() {
        return may_not_manage(&session);
    }
    let raw = RawCase {
        title: form.one("title").to_string(),
        description: form.one("description").to_string(),
        themes: form.all("themes"),
        classification: form.one("classification").to_string(),
        follow_up_on: form.one("followUpOn").to_string(),
    };
    let signal = Uuid::parse_str(form.one("signal")).ok();
    let now = state.clock.now();
    let errors = match NewCase::parse(&raw) {
        Ok(case) => match state
            .store
            .create_case(&session.caller, case, signal.as_slice(), now)
            .await
            .map_err(baken_app::wording::worded)
        {
            Ok(id) => return Redirect::to(&format!("/casussen/{id}")).into_response(),
            Err(StoreError::Invalid(e)) => e,
            Err(e) => return store_error(&session, e),
        },
        Err(e) => e,
    };
    case_form(
        &state,
        &session,
        (&raw, signal),
        errors,
        StatusCode::BAD_REQUEST,
    )
    .await
}

struct MemberRow {
    kind: &'static str,
    name: String,
}

struct HistoryRow {
    date: String,
    by: String,
    change: String,
    reason: String,
}

struct SignalRow {
    id: Uuid,
    title: String,
    received: String,
    status: &'static str,
    owner: String,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    nav: Option<Nav>,
    csrf: String,
    id: Uuid,
    title: String,
    description: String,
    themes: String,
    classification: &'static str,
    classification_slug: &'static str,
    status: &'static str,
    owner: String,
    follow_up: String,
    follow_up_due: bool,
    members: Vec<MemberRow>,
    history: Vec<HistoryRow>,
    signals: Vec<SignalRow>,
    decisions: Vec<crate::meetings::DecisionRow>,
    actions: Vec<crate::meetings::ActionRow>,
    may_manage: bool,
    next: Vec<SelectOption>,
    organisations: Vec<SelectOption>,
    lineage: Vec<LineageRow>,
    /// The meetings that discussed it: id and "date: title".
    meetings: Vec<(Uuid, String)>,
    /// The interventions that came from it.
    interventions: Vec<crate::interventions::ListRow>,
    may_add_intervention: bool,
    /// Still open (it can be put on an agenda).
    open: bool,
    entities: Vec<EntityRow>,
    /// Other open cases the user may see, to merge into this one.
    others: Vec<SelectOption>,
    theme_choices: Vec<ThemeChoice>,
    errors: Vec<baken_app::wording::FieldMessage>,
}

struct EntityRow {
    kind: &'static str,
    subject: Uuid,
    name: String,
}

struct LineageRow {
    date: String,
    kind: &'static str,
    other: Uuid,
    other_title: String,
    signals: usize,
    by: String,
    reason: String,
}

async fn show(
    state: &AppState,
    session: &Session,
    detail: CaseDetail,
    errors: ValidationErrors,
    status: StatusCode,
) -> Response {
    let names = match theme_names(state).await {
        Ok(n) => n,
        Err(e) => return internal(e),
    };
    let organisations = if detail.may_manage {
        match state.store.organisations().await {
            Ok(orgs) => orgs
                .into_iter()
                .map(|o| SelectOption {
                    value: o.id.to_string(),
                    label: o.name,
                    selected: false,
                })
                .collect(),
            Err(e) => return internal(e),
        }
    } else {
        Vec::new()
    };
    let now = state.clock.now();
    let interventions = match state
        .store
        .interventions(
            &session.caller,
            baken_core::intervention::InterventionFilter {
                case: Some(detail.case.id),
                ..Default::default()
            },
            PageRequest::LONG_LIST,
            now,
        )
        .await
        .map(|page| page.items)
    {
        Ok(list) => list.iter().map(crate::interventions::list_row).collect(),
        Err(e) => return internal(e),
    };
    let (others, theme_choices) = if detail.may_manage {
        let cases = match state
            .store
            .cases(&session.caller, CaseList::Open, PageRequest::LONG_LIST, now)
            .await
        {
            Ok(c) => c.items,
            Err(e) => return store_error(session, e),
        };
        let catalogue = match state.store.catalogue().await {
            Ok(c) => c,
            Err(e) => return internal(e),
        };
        (
            cases
                .into_iter()
                .filter(|c| c.id != detail.case.id)
                .map(|c| SelectOption {
                    value: c.id.to_string(),
                    label: c.title,
                    selected: false,
                })
                .collect(),
            catalogue
                .themes
                .iter()
                .map(|t| ThemeChoice {
                    code: t.code.clone(),
                    name: t.name.clone(),
                    checked: detail.case.themes.contains(&t.code),
                })
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let today = baken_core::calendar::local_date(now);
    let c = &detail.case;
    render(
        status,
        &CasePage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            id: c.id,
            title: c.title.clone(),
            description: detail.description.clone(),
            themes: c
                .themes
                .iter()
                .map(|t| names(t))
                .collect::<Vec<_>>()
                .join(", "),
            classification: c.classification.label(),
            classification_slug: c.classification.slug(),
            status: c.status.label(),
            owner: format!("{} ({})", c.owner_name, c.owner_org_name),
            follow_up: c.follow_up_on.map(crate::ui::date_text).unwrap_or_default(),
            follow_up_due: c.follow_up_due(today),
            members: detail
                .members
                .iter()
                .map(|m| match m {
                    CaseMember::Organisation { name, .. } => MemberRow {
                        kind: "Organisatie",
                        name: name.clone(),
                    },
                    CaseMember::User {
                        name, organisation, ..
                    } => MemberRow {
                        kind: "Persoon",
                        name: format!("{name} ({organisation})"),
                    },
                })
                .collect(),
            history: detail
                .history
                .iter()
                .map(|h| HistoryRow {
                    date: crate::ui::day(h.at),
                    by: h.by_name.clone(),
                    change: match h.from {
                        None => format!("Casus geopend: {}", h.to.label()),
                        Some(from) => format!("{} → {}", from.label(), h.to.label()),
                    },
                    reason: h.reason.clone(),
                })
                .collect(),
            signals: detail
                .signals
                .iter()
                .map(|s| SignalRow {
                    id: s.id,
                    title: s.title.clone(),
                    received: crate::ui::day(s.received_at),
                    status: s.status.label(),
                    owner: s.owner_org_name.clone(),
                })
                .collect(),
            decisions: detail
                .decisions
                .iter()
                .map(crate::meetings::decision_row)
                .collect(),
            actions: detail
                .actions
                .iter()
                .map(|a| crate::meetings::action_row(a, today))
                .collect(),
            may_manage: detail.may_manage,
            next: c
                .status
                .next()
                .iter()
                .map(|s: &CaseStatus| SelectOption {
                    value: s.slug().into(),
                    label: s.label().into(),
                    selected: false,
                })
                .collect(),
            organisations,
            lineage: detail
                .lineage
                .iter()
                .map(|l| LineageRow {
                    date: crate::ui::day(l.at),
                    kind: l.kind.label(),
                    other: l.other,
                    other_title: l.other_title.clone(),
                    signals: l.signals,
                    by: l.by_name.clone(),
                    reason: l.reason.clone(),
                })
                .collect(),
            interventions,
            may_add_intervention: session.caller.has(baken_core::Role::Analist),
            meetings: detail
                .meetings
                .iter()
                .map(|m| {
                    (
                        m.id,
                        format!("{}: {}", crate::ui::date_text(m.held_on), m.title),
                    )
                })
                .collect(),
            open: c.status.is_open(),
            entities: detail
                .entities
                .iter()
                .map(|e| EntityRow {
                    kind: e.kind.label(),
                    subject: e.subject,
                    name: e.name.clone(),
                })
                .collect(),
            others,
            theme_choices,
            errors: baken_app::wording::messages(&errors),
        },
    )
}

async fn case_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    if !session.caller.may_see_cases() {
        return no_cases(&session);
    }
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found(&session);
    };
    let reason = match stated_reason(&state, &session, id).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    match state
        .store
        .case(&session.caller, id, reason.as_ref(), state.clock.now())
        .await
    {
        Ok(detail) => {
            show(
                &state,
                &session,
                detail,
                ValidationErrors::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(StoreError::ReasonRequired) => ask_reason(&session, id, StatusCode::OK, None),
        Err(e) => store_error(&session, e),
    }
}

#[derive(Template)]
#[template(path = "case_reason.html")]
struct CaseReasonPage {
    nav: Option<Nav>,
    csrf: String,
    id: Uuid,
    error: Option<String>,
}

fn ask_reason(session: &Session, id: Uuid, status: StatusCode, error: Option<String>) -> Response {
    render(
        status,
        &CaseReasonPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            id,
            error,
        },
    )
}

/// The session's key for the reason stated for a case.
fn purpose_object(id: Uuid) -> String {
    format!("case:{id}")
}

/// The reason stated in this session for reading the case, if one was.
pub(crate) async fn stated_reason(
    state: &AppState,
    session: &Session,
    id: Uuid,
) -> Result<Option<DossierReason>, Response> {
    let stored = state
        .store
        .session_purpose(session.id_hash(), &purpose_object(id))
        .await
        .map_err(internal)?;
    Ok(stored.and_then(|text| DossierReason::parse(&text).ok().flatten()))
}

/// The user states why they open a case they are not named on; the reason holds for the case
/// until the session ends, and every read of it carries the reason in the audit trail.
async fn state_purpose(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if !session.caller.may_see_cases() {
        return no_cases(&session);
    }
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found(&session);
    };
    let reason = match DossierReason::parse(form.one("reden")) {
        Ok(Some(r)) => r,
        Ok(None) => {
            let error = format!("Reden: {}", baken_app::wording::CASE_REASON_REQUIRED);
            return ask_reason(&session, id, StatusCode::BAD_REQUEST, Some(error));
        }
        Err(short) => {
            let error = baken_app::wording::reason_too_short(short);
            return ask_reason(&session, id, StatusCode::BAD_REQUEST, Some(error));
        }
    };
    // Only a case the caller sees gets a reason (the same answer as for an unknown id).
    match state
        .store
        .case(&session.caller, id, Some(&reason), state.clock.now())
        .await
    {
        Ok(_) => {}
        Err(e) => return store_error(&session, e),
    }
    if let Err(e) = state
        .store
        .set_session_purpose(
            session.id_hash(),
            &purpose_object(id),
            reason.as_str(),
            state.clock.now(),
        )
        .await
    {
        return internal(e);
    }
    Redirect::to(&format!("/casussen/{id}")).into_response()
}

/// After a change on the case page: back to the case, or the page with what was wrong.
async fn after_change(
    state: &AppState,
    session: &Session,
    id: Uuid,
    outcome: Result<(), StoreError>,
) -> Response {
    let errors = match outcome.map_err(baken_app::wording::worded) {
        Ok(()) => return Redirect::to(&format!("/casussen/{id}")).into_response(),
        Err(StoreError::Invalid(errors)) => errors,
        Err(e) => return store_error(session, e),
    };
    let reason = match stated_reason(state, session, id).await {
        Ok(r) => r.unwrap_or_else(DossierReason::own_change),
        Err(r) => return r,
    };
    match state
        .store
        .case(&session.caller, id, Some(&reason), state.clock.now())
        .await
    {
        Ok(detail) => show(state, session, detail, errors, StatusCode::BAD_REQUEST).await,
        Err(e) => store_error(session, e),
    }
}

/// The checks every change on a case page starts with: the form's token, a role that runs
/// cases, an id that can exist.
fn change_allowed(session: &Session, form: &Form, id: &str) -> Result<Uuid, Box<Response>> {
    if let Some(r) = session.csrf_refused(form) {
        return Err(Box::new(r));
    }
    if !session.caller.may_open_case() {
        return Err(Box::new(may_not_manage(session)));
    }
    Uuid::parse_str(id).map_err(|_| Box::new(not_found(session)))
}

async fn change_status(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let id = match change_allowed(&session, &form, &id) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let outcome = match CaseStatusChange::parse(form.one("status"), form.one("reason")) {
        Ok(change) => state
            .store
            .change_case_status(&session.caller, id, change, state.clock.now())
            .await
            .map(|_| ()),
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    after_change(&state, &session, id, outcome).await
}

async fn add_signal(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let id = match change_allowed(&session, &form, &id) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let outcome = match Uuid::parse_str(form.one("signal").trim()) {
        Ok(signal) => state
            .store
            .add_case_signal(&session.caller, id, signal, state.clock.now())
            .await
            .map(|_| ()),
        Err(_) => {
            let mut errors = ValidationErrors::new();
            errors.push_worded("signal", "vul het nummer van een signaal in");
            Err(StoreError::Invalid(errors))
        }
    };
    after_change(&state, &session, id, outcome).await
}

async fn add_member(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let id = match change_allowed(&session, &form, &id) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let email = form.one("email").trim();
    let organisation = form.one("organisation").trim();
    let member = match (organisation.is_empty(), email.is_empty()) {
        (false, true) => Uuid::parse_str(organisation)
            .map(NewMember::Organisation)
            .map_err(|_| ("organisation", "kies een organisatie uit de lijst")),
        (true, false) => match state.store.user_by_email(email).await {
            Ok(Some(user)) => Ok(NewMember::User(user.id)),
            Ok(None) => Err(("email", "geen gebruiker met dit e-mailadres")),
            Err(e) => return internal(e),
        },
        _ => Err((
            "member",
            "kies een organisatie of vul het e-mailadres van een persoon in, niet beide",
        )),
    };
    let outcome = match member {
        Ok(member) => state
            .store
            .add_case_member(&session.caller, id, member, state.clock.now())
            .await
            .map(|_| ()),
        Err((field, text)) => {
            let mut errors = ValidationErrors::new();
            errors.push_worded(field, text);
            Err(StoreError::Invalid(errors))
        }
    };
    after_change(&state, &session, id, outcome).await
}

async fn merge(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let id = match change_allowed(&session, &form, &id) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let other = Uuid::parse_str(form.one("other").trim());
    let outcome = match (other, LineageReason::parse(form.one("reason"))) {
        (Ok(other), Ok(reason)) => state
            .store
            .merge_cases(&session.caller, (id, other), &reason, state.clock.now())
            .await
            .map(|_| ()),
        (other, reason) => {
            let mut errors = reason.err().unwrap_or_default();
            if other.is_err() {
                errors.push_worded("other", "kies de casus die u wilt samenvoegen");
            }
            Err(StoreError::Invalid(errors))
        }
    };
    after_change(&state, &session, id, outcome).await
}

async fn split(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let id = match change_allowed(&session, &form, &id) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let raw = RawCase {
        title: form.one("splitTitle").to_string(),
        description: String::new(),
        themes: form.all("splitThemes"),
        classification: form.one("splitClassification").to_string(),
        follow_up_on: String::new(),
    };
    let signals: Vec<Uuid> = form
        .all("splitSignals")
        .iter()
        .filter_map(|s| Uuid::parse_str(s).ok())
        .collect();
    let outcome = match (
        NewCase::parse(&raw),
        LineageReason::parse(form.one("splitReason")),
    ) {
        (Ok(case), Ok(reason)) => {
            state
                .store
                .split_case(
                    &session.caller,
                    id,
                    (case, &signals),
                    &reason,
                    state.clock.now(),
                )
                .await
        }
        (case, reason) => {
            let mut errors = case.err().unwrap_or_default();
            errors.0.extend(reason.err().unwrap_or_default().0);
            Err(StoreError::Invalid(errors))
        }
    };
    match outcome {
        Ok(new) => Redirect::to(&format!("/casussen/{new}")).into_response(),
        Err(e) => after_change(&state, &session, id, Err(e)).await,
    }
}
