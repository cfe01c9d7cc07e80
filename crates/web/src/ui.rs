//! The Dutch HTML interface. Works without JavaScript; every form carries a CSRF token.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use baken_core::audit::{AuditAction, AuditOutcome, ObjectKind};
use baken_core::catalogue::Catalogue;
use baken_core::model::{
    Classification, InformationCredibility, Sharing, SourceKind, SourceReliability, User,
};
use baken_core::signal::{NewSignal, SignalFilterInput, SignalInput};
use baken_core::status::{SignalStatus, StatusChange};
use baken_core::subject::SubjectInput;
use baken_core::{Caller, SignalScope, ValidationErrors};
use baken_store::{AuditRecord, SignalDetail, StoreError};
use std::net::SocketAddr;
use time::macros::format_description;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::{self, LOGIN_CSRF_COOKIE, SESSION_COOKIE, SESSION_HOURS};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/static/baken.css", get(stylesheet))
        .route("/inloggen", get(login_page).post(login))
        .route("/uitloggen", post(logout))
        .route("/overzicht", get(overview))
        .route("/signalen", get(signal_list))
        .route("/signalen/nieuw", get(new_signal_page).post(create_signal))
        .route("/signalen/{id}", get(signal_page))
        .route("/signalen/{id}/status", post(change_status))
        .route("/signalen/{id}/toewijzing", post(assign))
        .route("/beheer/catalogus", get(catalogue_page))
        .route("/beheer/catalogus/thema", post(change_theme))
        .route("/beheer/catalogus/indicator", post(change_indicator))
        .route("/gebieden", get(area_list))
}

// ------------------------------------------------------------------ session

/// A logged-in user of the web interface.
pub(crate) struct Session {
    user: User,
    org_name: String,
    pub(crate) csrf: String,
    id_hash: String,
    pub(crate) caller: Caller,
}

fn origin(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "onbekend".to_string(), |ci| ci.0.ip().to_string())
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let to_login = || Redirect::to("/inloggen").into_response();
        let Some(secret) = auth::cookie_value(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login());
        };
        let id_hash = auth::secret_hash(secret);
        let now = state.clock.now();
        match state.store.session(&id_hash, now).await {
            Ok(Some((user, csrf))) => {
                let org_name = state
                    .store
                    .organisations()
                    .await
                    .ok()
                    .and_then(|orgs| orgs.into_iter().find(|o| o.id == user.org))
                    .map(|o| o.name)
                    .unwrap_or_default();
                let caller = baken_core::Caller::for_user_handling_signals(&user, origin(parts));
                Ok(Session {
                    user,
                    org_name,
                    csrf,
                    id_hash,
                    caller,
                })
            }
            Ok(None) => Err(to_login()),
            Err(e) => Err(internal(e)),
        }
    }
}

impl Session {
    pub(crate) fn nav(&self) -> Option<Nav> {
        Some(Nav {
            user_name: self.user.display_name.clone(),
            org_name: self.org_name.clone(),
            csrf: self.csrf.clone(),
            sees_signals: self.caller.signal_scope() != SignalScope::Nothing,
            can_register: self.caller.may_register_signal(),
            manages_catalogue: self.caller.may_manage_catalogue(),
        })
    }

    /// The refusal to send when the form's CSRF token is not this session's.
    pub(crate) fn csrf_refused(&self, form: &Form) -> Option<Response> {
        if auth::constant_time_eq(form.one("csrf"), &self.csrf) {
            None
        } else {
            Some(message(
                StatusCode::FORBIDDEN,
                None,
                "Formulier verlopen",
                "Het formulier was verlopen of kwam niet van Baken. Laad de pagina opnieuw en probeer het nog eens.",
            ))
        }
    }
}

pub(crate) struct Nav {
    pub(crate) user_name: String,
    pub(crate) org_name: String,
    pub(crate) csrf: String,
    pub(crate) sees_signals: bool,
    pub(crate) can_register: bool,
    pub(crate) manages_catalogue: bool,
}

/// A url-encoded form body; repeated names (checkboxes) keep every value.
pub(crate) struct Form(Vec<(String, String)>);

impl Form {
    pub(crate) fn parse(body: &Bytes) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    pub(crate) fn one(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub(crate) fn opt(&self, name: &str) -> Option<String> {
        Some(self.one(name).to_string()).filter(|s| !s.trim().is_empty())
    }

    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

// ------------------------------------------------------------------ rendering helpers

pub(crate) fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Er ging iets mis.").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    nav: Option<Nav>,
    heading: &'a str,
    message: &'a str,
}

pub(crate) fn message(status: StatusCode, nav: Option<Nav>, heading: &str, text: &str) -> Response {
    render(
        status,
        &MessagePage {
            nav,
            heading,
            message: text,
        },
    )
}

pub(crate) fn internal(e: StoreError) -> Response {
    // Never log content or personal data: only the kind of failure.
    tracing::error!(error = %e, "store failure");
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        None,
        "Er ging iets mis",
        "Er ging iets mis bij het opslaan of ophalen. Probeer het later opnieuw.",
    )
}

pub(crate) fn store_error(session: &Session, e: StoreError) -> Response {
    match e {
        StoreError::NotFound => message(
            StatusCode::NOT_FOUND,
            session.nav(),
            "Niet gevonden",
            "Dit signaal bestaat niet of u heeft er geen toegang toe.",
        ),
        StoreError::Forbidden(why) => message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            &why,
        ),
        other => internal(other),
    }
}

/// Times are stored in UTC and shown in Dutch local time (CET/CEST), as users expect.
pub(crate) fn day(t: OffsetDateTime) -> String {
    date_text(baken_core::calendar::local_date(t))
}

fn moment(t: OffsetDateTime) -> String {
    let fmt = format_description!("[day]-[month]-[year] [hour]:[minute]");
    baken_core::calendar::local(t)
        .format(&fmt)
        .unwrap_or_default()
}

pub(crate) fn date_text(d: time::Date) -> String {
    let fmt = format_description!("[day]-[month]-[year]");
    d.format(&fmt).unwrap_or_default()
}

pub(crate) struct SelectOption {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

/// The catalogue's themes as options, `current` selected.
pub(crate) fn theme_options(catalogue: &Catalogue, current: Option<&str>) -> Vec<SelectOption> {
    catalogue
        .themes
        .iter()
        .map(|t| SelectOption {
            value: t.code.clone(),
            label: t.name.clone(),
            selected: current == Some(t.code.as_str()),
        })
        .collect()
}

pub(crate) fn options<T: Copy>(
    all: &[T],
    slug: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    current: &str,
) -> Vec<SelectOption> {
    all.iter()
        .map(|v| SelectOption {
            value: slug(*v).to_string(),
            label: label(*v).to_string(),
            selected: slug(*v) == current,
        })
        .collect()
}

// ------------------------------------------------------------------ pages

async fn home(headers: HeaderMap) -> Redirect {
    if auth::cookie_value(&headers, SESSION_COOKIE).is_some() {
        Redirect::to("/overzicht")
    } else {
        Redirect::to("/inloggen")
    }
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/baken.css"),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    nav: Option<Nav>,
    csrf: String,
    email: String,
    error: Option<String>,
}

fn login_form(
    headers: &HeaderMap,
    status: StatusCode,
    email: String,
    error: Option<String>,
) -> Response {
    let secure = auth::over_tls(headers);
    let csrf = auth::random_secret();
    let mut response = render(
        status,
        &LoginPage {
            nav: None,
            csrf: csrf.clone(),
            email,
            error,
        },
    );
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(LOGIN_CSRF_COOKIE, &csrf, secure, 3600))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

async fn login_page(headers: HeaderMap) -> Response {
    login_form(&headers, StatusCode::OK, String::new(), None)
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let email = form.one("email").trim().to_string();
    // Double-submit check: the login form's token must match its cookie.
    let cookie_csrf = auth::cookie_value(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if cookie_csrf.is_empty() || !auth::constant_time_eq(cookie_csrf, form.one("csrf")) {
        return login_form(
            &headers,
            StatusCode::FORBIDDEN,
            email,
            Some("Het formulier was verlopen. Probeer het opnieuw.".into()),
        );
    }
    let now = state.clock.now();
    if state.login_throttle.blocked(peer.ip(), now) {
        let message =
            "Te veel mislukte pogingen vanaf dit adres. Probeer het over een kwartier opnieuw.";
        return refuse_login(
            &state,
            &headers,
            peer,
            email,
            StatusCode::TOO_MANY_REQUESTS,
            AuditOutcome::Throttled,
            message,
        )
        .await;
    }
    let credentials = match state.store.login_credentials(&email).await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let verified = auth::verify_login(
        form.one("password"),
        credentials.as_ref().map(|(_, hash)| hash.as_str()),
    );
    let Some((user, _)) = credentials.filter(|_| verified) else {
        state.login_throttle.failed(peer.ip(), now);
        let message = "De combinatie van e-mailadres en wachtwoord is onbekend.";
        return refuse_login(
            &state,
            &headers,
            peer,
            email,
            StatusCode::UNAUTHORIZED,
            AuditOutcome::Denied,
            message,
        )
        .await;
    };
    state.login_throttle.succeeded(peer.ip());
    let secret = auth::random_secret();
    let csrf = auth::random_secret();
    let expires = now + time::Duration::hours(SESSION_HOURS);
    if let Err(e) = state
        .store
        .create_session(&auth::secret_hash(&secret), user.id, &csrf, now, expires)
        .await
    {
        return internal(e);
    }
    let actor = baken_store::Actor::Caller(baken_core::Caller::for_user_handling_signals(
        &user,
        peer.ip().to_string(),
    ));
    if let Err(e) = audit_session(
        &state,
        &actor,
        AuditAction::SessionLogin,
        Some(user.id),
        AuditOutcome::Success,
    )
    .await
    {
        return internal(e);
    }
    let secure = state.config.force_secure_cookies || auth::over_tls(&headers);
    let mut response = Redirect::to("/overzicht").into_response();
    let cookies = [
        auth::set_cookie(SESSION_COOKIE, &secret, secure, SESSION_HOURS * 3600),
        auth::set_cookie(LOGIN_CSRF_COOKIE, "", secure, 0),
    ];
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// Audits a refused login and shows the form again. The audit records the attempt without the
/// address typed, which may be personal data.
async fn refuse_login(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
    email: String,
    status: StatusCode,
    result: AuditOutcome,
    message: &str,
) -> Response {
    let actor = baken_store::Actor::System {
        process: format!("web {}", peer.ip()),
    };
    if let Err(e) = audit_session(state, &actor, AuditAction::SessionLogin, None, result).await {
        return internal(e);
    }
    login_form(headers, status, email, Some(message.to_string()))
}

/// Logins and logouts are audited like changes (BIO2 8.15); no typed e-mail address is kept.
async fn audit_session(
    state: &AppState,
    actor: &baken_store::Actor,
    action: AuditAction,
    user: Option<Uuid>,
    result: AuditOutcome,
) -> Result<(), StoreError> {
    let event = AuditRecord {
        action,
        object: ObjectKind::User,
        object_id: user.map(|u| u.to_string()),
        result,
        detail: String::new(),
    };
    state
        .store
        .record_event(actor, event, state.clock.now())
        .await
}

async fn logout(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    if let Err(e) = state.store.delete_session(&session.id_hash).await {
        return internal(e);
    }
    let actor = baken_store::Actor::Caller(session.caller.clone());
    if let Err(e) = audit_session(
        &state,
        &actor,
        AuditAction::SessionLogout,
        Some(session.user.id),
        AuditOutcome::Success,
    )
    .await
    {
        return internal(e);
    }
    let secure = state.config.force_secure_cookies || auth::over_tls(&headers);
    let mut response = Redirect::to("/inloggen").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(SESSION_COOKIE, "", secure, 0)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

struct CountRow {
    code: String,
    label: String,
    shown: String,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    nav: Option<Nav>,
    overview: baken_store::Overview,
    sees_signals: bool,
    statuses: Vec<CountRow>,
    themes: Vec<CountRow>,
    /// Counts below this are shown as "<threshold" (the configured suppression).
    threshold: u64,
}

async fn overview(State(state): State<AppState>, session: Session) -> Response {
    let now = state.clock.now();
    let (overview, catalogue) = match (
        state
            .store
            .overview(&session.caller, state.config.suppression, now)
            .await,
        state.store.catalogue().await,
    ) {
        (Ok(o), Ok(c)) => (o, c),
        (Err(e), _) | (_, Err(e)) => return internal(e),
    };
    let statuses = overview
        .by_status
        .iter()
        .map(|(s, c)| CountRow {
            code: s.slug().into(),
            label: s.label().into(),
            shown: c.shown.clone(),
        })
        .collect();
    let themes = overview
        .by_theme
        .iter()
        .map(|(t, c)| CountRow {
            code: t.clone(),
            label: catalogue.theme_name(t).to_string(),
            shown: c.shown.clone(),
        })
        .collect();
    render(
        StatusCode::OK,
        &OverviewPage {
            nav: session.nav(),
            sees_signals: session.caller.signal_scope() != SignalScope::Nothing,
            overview,
            statuses,
            themes,
            threshold: state.config.suppression.threshold,
        },
    )
}

fn area_text(s: &baken_core::signal::Signal) -> String {
    match (&s.area_code, &s.area_name) {
        (Some(code), Some(name)) => format!("{name} ({code})"),
        (Some(code), None) => code.clone(),
        _ => String::new(),
    }
}

pub(crate) fn signal_row(
    s: &baken_core::signal::Signal,
    catalogue: &Catalogue,
    today: time::Date,
) -> SignalRow {
    SignalRow {
        deadline: s.deadline.map(date_text).unwrap_or_default(),
        overdue: is_overdue(s, today),
        id: s.id,
        received: day(s.received_at),
        title: s.title.clone(),
        themes: s
            .themes
            .iter()
            .map(|t| catalogue.theme_name(t))
            .collect::<Vec<_>>()
            .join(", "),
        area: area_text(s),
        status: s.status.label(),
        owner: s.owner_org_name.clone(),
    }
}

pub(crate) struct SignalRow {
    pub(crate) id: Uuid,
    pub(crate) received: String,
    pub(crate) title: String,
    pub(crate) themes: String,
    pub(crate) area: String,
    pub(crate) status: &'static str,
    pub(crate) deadline: String,
    pub(crate) overdue: bool,
    pub(crate) owner: String,
}

/// Past its triage deadline and not yet assessed.
fn is_overdue(s: &baken_core::signal::Signal, today: time::Date) -> bool {
    s.status.is_overdue(s.deadline, today)
}

#[derive(Template)]
#[template(path = "signals.html")]
struct SignalsPage {
    nav: Option<Nav>,
    input: SignalFilterInput,
    errors: Vec<baken_core::FieldError>,
    theme_options: Vec<SelectOption>,
    status_options: Vec<SelectOption>,
    rows: Vec<SignalRow>,
    total: u64,
    page: u32,
    page_count: u32,
    prev_href: Option<String>,
    next_href: Option<String>,
    overdue: bool,
    mine: bool,
}

fn page_href(input: &SignalFilterInput, page: u32) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("theme", &input.theme),
        ("status", &input.status),
        ("receivedFrom", &input.received_from),
        ("receivedUntil", &input.received_until),
        ("areaCode", &input.area_code),
        ("q", &input.q),
        ("overdue", &input.overdue),
        ("assignedToMe", &input.assigned_to_me),
        ("pageSize", &input.page_size),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            q.append_pair(k, v);
        }
    }
    q.append_pair("page", &page.to_string());
    format!("/signalen?{}", q.finish())
}

async fn signal_list(
    State(state): State<AppState>,
    session: Session,
    Query(input): Query<SignalFilterInput>,
) -> Response {
    let now = state.clock.now();
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let theme_options = theme_options(&catalogue, input.theme.as_deref());
    let status_options = options(
        SignalStatus::ALL,
        SignalStatus::slug,
        SignalStatus::label,
        input.status.as_deref().unwrap_or(""),
    );
    let (errors, page) = match input.parse(&catalogue) {
        Err(errors) => (errors.0, None),
        Ok((filter, page_req)) => match state
            .store
            .list_signals(&session.caller, &filter, page_req, now)
            .await
        {
            Ok(page) => (Vec::new(), Some(page)),
            Err(e) => return store_error(&session, e),
        },
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let (rows, total, page_no, page_count) = match page {
        None => (Vec::new(), 0, 1, 1),
        Some(p) => (
            p.items
                .iter()
                .map(|s| signal_row(s, &catalogue, baken_core::calendar::local_date(now)))
                .collect(),
            p.total,
            p.page,
            p.page_count(),
        ),
    };
    render(
        status,
        &SignalsPage {
            nav: session.nav(),
            overdue: matches!(input.overdue.as_deref(), Some("true" | "ja" | "1")),
            mine: matches!(input.assigned_to_me.as_deref(), Some("true" | "ja" | "1")),
            prev_href: (page_no > 1).then(|| page_href(&input, page_no - 1)),
            next_href: (page_no < page_count).then(|| page_href(&input, page_no + 1)),
            input,
            errors,
            theme_options,
            status_options,
            rows,
            total,
            page: page_no,
            page_count,
        },
    )
}

// ------------------------------------------------------------------ signal form

struct TextField {
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    input_type: &'static str,
    multiline: bool,
    required: bool,
    value: String,
    error: Option<String>,
}

struct SelectField {
    name: &'static str,
    label: &'static str,
    options: Vec<SelectOption>,
    error: Option<String>,
}

struct CheckBox {
    value: String,
    label: String,
    checked: bool,
    indicators: Vec<CheckBox>,
}

struct SummaryError {
    field: String,
    label: String,
    message: String,
}

#[derive(Template)]
#[template(path = "signal_form.html")]
struct SignalFormPage {
    nav: Option<Nav>,
    csrf: String,
    errors: Vec<SummaryError>,
    text_fields: Vec<TextField>,
    selects: Vec<SelectField>,
    theme_boxes: Vec<CheckBox>,
    themes_error: Option<String>,
    indicators_error: Option<String>,
    subject_blocks: Vec<SubjectBlock>,
    relation_blocks: Vec<RelationBlock>,
}

const FIELD_LABELS: &[(&str, &str)] = &[
    ("title", "Titel"),
    ("description", "Wat is er waargenomen?"),
    ("receivedAt", "Datum ontvangen"),
    ("observedOn", "Datum waarneming"),
    ("areaCode", "Gebiedscode (CBS-wijk of -buurt)"),
    ("address", "Adres of locatie"),
    ("latitude", "Breedtegraad"),
    ("longitude", "Lengtegraad"),
    ("retentionUntil", "Bewaren tot"),
    ("sourceKind", "Soort bron"),
    ("sourceReliability", "Betrouwbaarheid van de bron"),
    (
        "informationCredibility",
        "Geloofwaardigheid van de informatie",
    ),
    ("classification", "Classificatie"),
    ("sharing", "Delen"),
    ("themes", "Thema's"),
    ("indicators", "Indicatoren"),
];

fn label_of(field: &str) -> &'static str {
    FIELD_LABELS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or("Veld", |(_, l)| l)
}

/// The label in the error summary: a form field, or the numbered subject or relation block.
fn summary_label(field: &str) -> String {
    let numbered = |prefix: &str, noun: &str| {
        field
            .strip_prefix(prefix)
            .and_then(|rest| rest.split(']').next())
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| format!("{noun} {}", n + 1))
    };
    numbered("subjects[", "Betrokkene")
        .or_else(|| numbered("relations[", "Relatie"))
        .unwrap_or_else(|| label_of(field).to_string())
}

const SUBJECT_FIELDS: &[(&str, &str)] = &[
    ("name", "Naam"),
    ("birthDate", "Geboortedatum (JJJJ-MM-DD)"),
    ("kvkNumber", "KvK-nummer"),
    ("branchNumber", "Vestigingsnummer"),
    ("bagId", "BAG-id"),
    ("street", "Straat"),
    ("houseNumber", "Huisnummer"),
    ("houseLetter", "Huisletter"),
    ("houseNumberAddition", "Toevoeging"),
    ("postcode", "Postcode"),
    ("place", "Plaats"),
    ("plate", "Kenteken"),
    ("value", "Telefoon, e-mail of IBAN"),
];

struct SubjectField {
    name: &'static str,
    label: &'static str,
    value: String,
}

struct SubjectBlock {
    index: usize,
    number: usize,
    kinds: Vec<SelectOption>,
    roles: Vec<SelectOption>,
    fields: Vec<SubjectField>,
    errors: Vec<String>,
    has_error: bool,
}

struct RelationBlock {
    index: usize,
    number: usize,
    from: Vec<SelectOption>,
    to: Vec<SelectOption>,
    kinds: Vec<SelectOption>,
    errors: Vec<String>,
}

fn subject_value<'a>(input: &'a SubjectInput, name: &str) -> &'a Option<String> {
    match name {
        "name" => &input.name,
        "birthDate" => &input.birth_date,
        "kvkNumber" => &input.kvk_number,
        "branchNumber" => &input.branch_number,
        "bagId" => &input.bag_id,
        "street" => &input.street,
        "houseNumber" => &input.house_number,
        "houseLetter" => &input.house_letter,
        "houseNumberAddition" => &input.house_number_addition,
        "postcode" => &input.postcode,
        "place" => &input.place,
        "plate" => &input.plate,
        _ => &input.value,
    }
}

fn with_empty(mut options: Vec<SelectOption>, label: &str) -> Vec<SelectOption> {
    let none_selected = options.iter().all(|o| !o.selected);
    options.insert(
        0,
        SelectOption {
            value: String::new(),
            label: label.to_string(),
            selected: none_selected,
        },
    );
    options
}

fn errors_of(errors: &ValidationErrors, prefix: &str) -> Vec<String> {
    errors
        .0
        .iter()
        .filter(|e| e.field.starts_with(prefix))
        .map(|e| e.message.clone())
        .collect()
}

fn subject_blocks(
    input: &SignalInput,
    count: usize,
    errors: &ValidationErrors,
) -> Vec<SubjectBlock> {
    use baken_core::model::SubjectKind;
    use baken_core::subject::SubjectRole;
    (0..count)
        .map(|index| {
            let blank = SubjectInput::default();
            let s = input.subjects.get(index).unwrap_or(&blank);
            let errors = errors_of(errors, &format!("subjects[{index}]"));
            SubjectBlock {
                index,
                number: index + 1,
                kinds: with_empty(
                    options(
                        SubjectKind::ALL,
                        SubjectKind::slug,
                        SubjectKind::label,
                        s.kind.as_deref().unwrap_or(""),
                    ),
                    "Kies een soort",
                ),
                roles: options(
                    SubjectRole::ALL,
                    SubjectRole::slug,
                    SubjectRole::label,
                    s.role.as_deref().unwrap_or("betrokkene"),
                ),
                fields: SUBJECT_FIELDS
                    .iter()
                    .map(|(name, label)| SubjectField {
                        name,
                        label,
                        value: subject_value(s, name).clone().unwrap_or_default(),
                    })
                    .collect(),
                has_error: !errors.is_empty(),
                errors,
            }
        })
        .collect()
}

fn relation_blocks(
    input: &SignalInput,
    subjects: usize,
    errors: &ValidationErrors,
) -> Vec<RelationBlock> {
    use baken_core::subject::RelationKind;
    let count = input.relations.len().max(2);
    (0..count)
        .map(|index| {
            let blank = baken_core::subject::RelationInput::default();
            let r = input.relations.get(index).unwrap_or(&blank);
            let numbers = |current: Option<usize>| {
                with_empty(
                    (0..subjects)
                        .map(|n| SelectOption {
                            value: (n + 1).to_string(),
                            label: format!("Betrokkene {}", n + 1),
                            selected: current == Some(n),
                        })
                        .collect(),
                    "–",
                )
            };
            RelationBlock {
                index,
                number: index + 1,
                from: numbers(r.from),
                to: numbers(r.to),
                kinds: with_empty(
                    options(
                        RelationKind::ALL,
                        RelationKind::slug,
                        RelationKind::label,
                        r.kind.as_deref().unwrap_or(""),
                    ),
                    "–",
                ),
                errors: errors_of(errors, &format!("relations[{index}]")),
            }
        })
        .collect()
}

fn signal_form_page(
    session: &Session,
    catalogue: &Catalogue,
    input: &SignalInput,
    errors: &ValidationErrors,
    blocks: usize,
) -> SignalFormPage {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let text = |name, hint, input_type, multiline, required, value| TextField {
        name,
        label: label_of(name),
        hint,
        input_type,
        multiline,
        required,
        value,
        error: errors.for_field(name).map(str::to_string),
    };
    let mut classifications: Vec<Classification> = Classification::ALL.to_vec();
    classifications.retain(|c| session.caller.may_classify(*c));
    let select = |name, options| SelectField {
        name,
        label: label_of(name),
        options,
        error: errors.for_field(name).map(str::to_string),
    };
    SignalFormPage {
        nav: session.nav(),
        csrf: session.csrf.clone(),
        errors: errors
            .0
            .iter()
            .map(|e| SummaryError {
                field: e.field.clone(),
                label: summary_label(&e.field),
                message: e.message.clone(),
            })
            .collect(),
        text_fields: vec![
            text("title", None, "text", false, true, v(&input.title)),
            text(
                "description",
                Some("Beschrijf feiten: wie, wat, waar, wanneer. Geen vermoedens als feit."),
                "text",
                true,
                true,
                v(&input.description),
            ),
            text(
                "receivedAt",
                Some("Leeg laten voor vandaag."),
                "date",
                false,
                false,
                v(&input.received_at),
            ),
            text(
                "observedOn",
                None,
                "date",
                false,
                false,
                v(&input.observed_on),
            ),
            text(
                "areaCode",
                Some("Bijvoorbeeld WK001400 of BU00140000."),
                "text",
                false,
                false,
                v(&input.area_code),
            ),
            text("address", None, "text", false, false, v(&input.address)),
            text(
                "latitude",
                Some("WGS84 in decimale graden, bijvoorbeeld 53.2193."),
                "text",
                false,
                false,
                v(&input.latitude),
            ),
            text(
                "longitude",
                Some("WGS84 in decimale graden, bijvoorbeeld 6.5686."),
                "text",
                false,
                false,
                v(&input.longitude),
            ),
            text(
                "retentionUntil",
                Some("Leeg laten voor de standaardbewaartermijn."),
                "date",
                false,
                false,
                v(&input.retention_until),
            ),
        ],
        selects: vec![
            select(
                "sourceKind",
                options(
                    SourceKind::ALL,
                    SourceKind::slug,
                    SourceKind::label,
                    input.source_kind.as_deref().unwrap_or(""),
                ),
            ),
            select(
                "sourceReliability",
                options(
                    SourceReliability::ALL,
                    SourceReliability::slug,
                    SourceReliability::label,
                    input.source_reliability.as_deref().unwrap_or("F"),
                ),
            ),
            select(
                "informationCredibility",
                options(
                    InformationCredibility::ALL,
                    InformationCredibility::slug,
                    InformationCredibility::label,
                    input.information_credibility.as_deref().unwrap_or("6"),
                ),
            ),
            select(
                "classification",
                options(
                    &classifications,
                    Classification::slug,
                    Classification::label,
                    input.classification.as_deref().unwrap_or("intern"),
                ),
            ),
            select(
                "sharing",
                options(
                    Sharing::ALL,
                    Sharing::slug,
                    Sharing::label,
                    input.sharing.as_deref().unwrap_or("convenant"),
                ),
            ),
        ],
        theme_boxes: catalogue
            .themes
            .iter()
            .map(|t| CheckBox {
                value: t.code.clone(),
                label: t.name.clone(),
                checked: input.themes.contains(&t.code),
                indicators: t
                    .indicators
                    .iter()
                    .map(|i| CheckBox {
                        value: i.code.clone(),
                        label: i.name.clone(),
                        checked: input.indicators.contains(&i.code),
                        indicators: Vec::new(),
                    })
                    .collect(),
            })
            .collect(),
        themes_error: errors.for_field("themes").map(str::to_string),
        indicators_error: errors.for_field("indicators").map(str::to_string),
        subject_blocks: subject_blocks(input, blocks, errors),
        relation_blocks: relation_blocks(input, blocks, errors),
    }
}

async fn new_signal_page(State(state): State<AppState>, session: Session) -> Response {
    if !session.caller.may_register_signal() {
        return message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            "Uw rol mag geen signalen registreren.",
        );
    }
    match state.store.catalogue().await {
        Ok(catalogue) => render(
            StatusCode::OK,
            &signal_form_page(
                &session,
                &catalogue,
                &SignalInput::default(),
                &ValidationErrors::new(),
                2,
            ),
        ),
        Err(e) => internal(e),
    }
}

fn input_from_form(form: &Form) -> SignalInput {
    SignalInput {
        title: form.opt("title"),
        description: form.opt("description"),
        received_at: form.opt("receivedAt"),
        observed_on: form.opt("observedOn"),
        source_kind: form.opt("sourceKind"),
        source_reliability: form.opt("sourceReliability"),
        information_credibility: form.opt("informationCredibility"),
        themes: form.all("themes"),
        indicators: form.all("indicators"),
        area_code: form.opt("areaCode"),
        latitude: form.opt("latitude"),
        longitude: form.opt("longitude"),
        address: form.opt("address"),
        classification: form.opt("classification"),
        sharing: form.opt("sharing"),
        retention_until: form.opt("retentionUntil"),
        subjects: subjects_from_form(form),
        relations: relations_from_form(form),
    }
}

/// Index of a `prefix[N].field` form name.
fn indexed<'a>(name: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let rest = name.strip_prefix(prefix)?.strip_prefix('[')?;
    let (n, field) = rest.split_once("].")?;
    Some((n.parse().ok().filter(|n| *n < 50)?, field))
}

fn subjects_from_form(form: &Form) -> Vec<SubjectInput> {
    let mut subjects: Vec<SubjectInput> = Vec::new();
    for (name, value) in &form.0 {
        let Some((i, field)) = indexed(name, "subjects") else {
            continue;
        };
        if subjects.len() <= i {
            subjects.resize(i + 1, SubjectInput::default());
        }
        let v = Some(value.clone()).filter(|v| !v.trim().is_empty());
        let s = &mut subjects[i];
        match field {
            "kind" => s.kind = v,
            "role" => s.role = v,
            "name" => s.name = v,
            "birthDate" => s.birth_date = v,
            "kvkNumber" => s.kvk_number = v,
            "branchNumber" => s.branch_number = v,
            "bagId" => s.bag_id = v,
            "street" => s.street = v,
            "houseNumber" => s.house_number = v,
            "houseLetter" => s.house_letter = v,
            "houseNumberAddition" => s.house_number_addition = v,
            "postcode" => s.postcode = v,
            "place" => s.place = v,
            "plate" => s.plate = v,
            "value" => s.value = v,
            _ => {}
        }
    }
    subjects
}

fn relations_from_form(form: &Form) -> Vec<baken_core::subject::RelationInput> {
    let mut relations: Vec<baken_core::subject::RelationInput> = Vec::new();
    for (name, value) in &form.0 {
        let Some((i, field)) = indexed(name, "relations") else {
            continue;
        };
        if relations.len() <= i {
            relations.resize(i + 1, Default::default());
        }
        // The form numbers subjects from 1.
        let number = value
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1));
        let r = &mut relations[i];
        match field {
            "from" => r.from = number,
            "to" => r.to = number,
            "kind" => r.kind = Some(value.clone()).filter(|v| !v.is_empty()),
            _ => {}
        }
    }
    relations
}

async fn create_signal(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    if !session.caller.may_register_signal() {
        return message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            "Uw rol mag geen signalen registreren.",
        );
    }
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let input = input_from_form(&form);
    let blocks = form
        .one("subjectBlocks")
        .parse::<usize>()
        .unwrap_or(2)
        .max(input.subjects.len())
        .clamp(2, 48);
    if form.one("action") == "meer-betrokkenen" {
        let page = signal_form_page(
            &session,
            &catalogue,
            &input,
            &ValidationErrors::new(),
            blocks + 2,
        );
        return render(StatusCode::OK, &page);
    }
    let now = state.clock.now();
    match NewSignal::parse(
        &input,
        &catalogue,
        &session.caller,
        &state.config.intake,
        now,
    ) {
        Err(errors) => render(
            StatusCode::BAD_REQUEST,
            &signal_form_page(&session, &catalogue, &input, &errors, blocks),
        ),
        Ok(new) => match state.store.create_signal(&session.caller, new, now).await {
            Ok(signal) => {
                Redirect::to(&format!("/signalen/{}?opgeslagen=1", signal.id)).into_response()
            }
            Err(e) => store_error(&session, e),
        },
    }
}

// ------------------------------------------------------------------ signal detail

struct HistoryRow {
    at: String,
    by: String,
    from: &'static str,
    to: &'static str,
    reason: String,
}

#[derive(Template)]
#[template(path = "signal.html")]
struct SignalPage {
    nav: Option<Nav>,
    csrf: String,
    s: baken_core::signal::Signal,
    notice: Option<&'static str>,
    received: String,
    observed: Option<String>,
    area: String,
    themes: String,
    indicators: String,
    retention: String,
    allowed: Vec<SelectOption>,
    errors: Vec<baken_core::FieldError>,
    history: Vec<HistoryRow>,
    subjects: Vec<SubjectRow>,
    relations: Vec<String>,
    public_report: Option<baken_store::PublicReportInfo>,
    deadline: Option<String>,
    overdue: bool,
    assigned: String,
    assignees: Vec<SelectOption>,
}

struct SubjectRow {
    id: Uuid,
    number: usize,
    kind: &'static str,
    role: &'static str,
    display: String,
    original: String,
}

/// Renders a signal's page; loads what the page needs besides the signal itself.
async fn render_signal(
    state: &AppState,
    session: &Session,
    d: SignalDetail,
    status: StatusCode,
    notice: Option<&'static str>,
    errors: Vec<baken_core::FieldError>,
) -> Response {
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let can_triage = !d.allowed_next.is_empty();
    let assignees = if can_triage {
        match state.store.assignable_users(&session.caller).await {
            Ok(users) => users,
            Err(e) => return internal(e),
        }
    } else {
        Vec::new()
    };
    let today = state.clock.today();
    let page = signal_page_for(
        session,
        &catalogue,
        d,
        (notice, errors),
        (today, can_triage, &assignees),
    );
    render(status, &page)
}

fn signal_page_for(
    session: &Session,
    catalogue: &Catalogue,
    d: SignalDetail,
    (notice, errors): (Option<&'static str>, Vec<baken_core::FieldError>),
    (today, can_triage, assignees): (time::Date, bool, &[User]),
) -> SignalPage {
    let number_of = |id: Uuid| {
        d.subjects
            .iter()
            .position(|m| m.subject.id == id)
            .map_or(0, |p| p + 1)
    };
    let relations = d
        .relations
        .iter()
        .map(|r| {
            let mut text = format!(
                "Betrokkene {} {} betrokkene {}",
                number_of(r.from),
                r.kind.label(),
                number_of(r.to)
            );
            match (r.valid_from, r.valid_until) {
                (Some(f), Some(u)) => text.push_str(&format!(
                    " (van {} tot en met {})",
                    date_text(f),
                    date_text(u)
                )),
                (Some(f), None) => text.push_str(&format!(" (sinds {})", date_text(f))),
                (None, Some(u)) => text.push_str(&format!(" (tot en met {})", date_text(u))),
                (None, None) => {}
            }
            text
        })
        .collect();
    let subjects = d
        .subjects
        .iter()
        .enumerate()
        .map(|(i, m)| SubjectRow {
            id: m.subject.id,
            number: i + 1,
            kind: m.subject.kind.label(),
            role: m.role.label(),
            display: m.subject.details.display(),
            original: m.subject.original.clone(),
        })
        .collect();
    let s = d.signal;
    SignalPage {
        nav: session.nav(),
        csrf: session.csrf.clone(),
        notice,
        received: moment(s.received_at),
        observed: s.observed_on.map(date_text),
        area: area_text(&s),
        themes: s
            .themes
            .iter()
            .map(|t| catalogue.theme_name(t))
            .collect::<Vec<_>>()
            .join(", "),
        indicators: s
            .indicators
            .iter()
            .map(|i| {
                catalogue
                    .indicator(i)
                    .map_or(i.as_str(), |(_, ind)| ind.name.as_str())
            })
            .collect::<Vec<_>>()
            .join("; "),
        retention: date_text(s.retention_until),
        allowed: d
            .allowed_next
            .iter()
            .map(|st| SelectOption {
                value: st.slug().into(),
                label: st.label().into(),
                selected: false,
            })
            .collect(),
        errors,
        history: d
            .history
            .iter()
            .map(|h| HistoryRow {
                at: moment(h.at),
                by: h.by_name.clone(),
                from: h.from.map_or("–", SignalStatus::label),
                to: h.to.label(),
                reason: h.reason.clone(),
            })
            .collect(),
        subjects,
        relations,
        public_report: d.public_report,
        deadline: s.deadline.map(date_text),
        overdue: is_overdue(&s, today),
        assigned: match (&s.assigned_user_name, &s.assigned_team) {
            (Some(n), Some(t)) => format!("{n} ({t})"),
            (Some(n), None) => n.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => "niemand".into(),
        },
        assignees: if can_triage {
            let mut options = vec![SelectOption {
                value: String::new(),
                label: "Niemand".into(),
                selected: s.assigned_user.is_none(),
            }];
            options.extend(assignees.iter().map(|u| SelectOption {
                value: u.id.to_string(),
                label: u.display_name.clone(),
                selected: s.assigned_user == Some(u.id),
            }));
            options
        } else {
            Vec::new()
        },
        s,
    }
}

#[derive(serde::Deserialize)]
struct DetailQuery {
    opgeslagen: Option<String>,
    gewijzigd: Option<String>,
    toegewezen: Option<String>,
}

async fn signal_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Response {
    let not_found = || store_error(&session, StoreError::NotFound);
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found();
    };
    let now = state.clock.now();
    match state.store.signal(&session.caller, id, now).await {
        Ok(detail) => {
            let notice = if q.opgeslagen.is_some() {
                Some("Het signaal is opgeslagen.")
            } else if q.gewijzigd.is_some() {
                Some("De status is gewijzigd.")
            } else if q.toegewezen.is_some() {
                Some("Het signaal is toegewezen.")
            } else {
                None
            };
            render_signal(&state, &session, detail, StatusCode::OK, notice, Vec::new()).await
        }
        Err(e) => store_error(&session, e),
    }
}

async fn change_status(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let Ok(id) = Uuid::parse_str(&id) else {
        return store_error(&session, StoreError::NotFound);
    };
    let now = state.clock.now();
    let parsed = StatusChange::parse(form.one("status"), form.one("reason"));
    let errors = match parsed {
        Ok(change) => match state
            .store
            .change_signal_status(&session.caller, id, change, now)
            .await
        {
            Ok(_) => return Redirect::to(&format!("/signalen/{id}?gewijzigd=1")).into_response(),
            Err(StoreError::Transition(refused)) => {
                let mut e = ValidationErrors::new();
                e.push("status", refused.to_string());
                e
            }
            Err(other) => return store_error(&session, other),
        },
        Err(errors) => errors,
    };
    match state.store.signal(&session.caller, id, now).await {
        Ok(detail) => {
            render_signal(
                &state,
                &session,
                detail,
                StatusCode::BAD_REQUEST,
                None,
                errors.0,
            )
            .await
        }
        Err(e) => store_error(&session, e),
    }
}

async fn assign(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let Ok(id) = Uuid::parse_str(&id) else {
        return store_error(&session, StoreError::NotFound);
    };
    let now = state.clock.now();
    let errors = match baken_core::signal::Assignment::parse(
        form.one("assignee"),
        form.one("team"),
        form.one("reason"),
    ) {
        Ok(assignment) => match state
            .store
            .assign_signal(&session.caller, id, assignment, now)
            .await
        {
            Ok(_) => return Redirect::to(&format!("/signalen/{id}?toegewezen=1")).into_response(),
            Err(StoreError::Invalid(errors)) => errors,
            Err(other) => return store_error(&session, other),
        },
        Err(errors) => errors,
    };
    match state.store.signal(&session.caller, id, now).await {
        Ok(detail) => {
            render_signal(
                &state,
                &session,
                detail,
                StatusCode::BAD_REQUEST,
                None,
                errors.0,
            )
            .await
        }
        Err(e) => store_error(&session, e),
    }
}

// ------------------------------------------------------------------ areas

struct AreaGroup {
    title: &'static str,
    areas: Vec<baken_core::model::Area>,
}

#[derive(Template)]
#[template(path = "areas.html")]
struct AreasPage {
    nav: Option<Nav>,
    groups: Vec<AreaGroup>,
}

async fn area_list(State(state): State<AppState>, session: Session) -> Response {
    use baken_core::model::AreaKind;
    let mut groups = Vec::new();
    for (kind, title) in [
        (AreaKind::Gemeente, "Gemeenten"),
        (AreaKind::Wijk, "Wijken"),
        (AreaKind::Bedrijventerrein, "Bedrijventerreinen"),
        (AreaKind::Buitengebied, "Buitengebied"),
    ] {
        match state.store.areas(kind).await {
            Ok(areas) if !areas.is_empty() => groups.push(AreaGroup { title, areas }),
            Ok(_) => {}
            Err(e) => return internal(e),
        }
    }
    render(
        StatusCode::OK,
        &AreasPage {
            nav: session.nav(),
            groups,
        },
    )
}

// ------------------------------------------------------------------ catalogue (beheerder)

struct ThemeAdmin {
    code: String,
    name: String,
    deadline: String,
    indicators: Vec<baken_core::catalogue::Indicator>,
}

#[derive(Template)]
#[template(path = "catalogue.html")]
struct CataloguePage {
    nav: Option<Nav>,
    csrf: String,
    themes: Vec<ThemeAdmin>,
    default_days: u32,
    notice: Option<&'static str>,
    errors: Vec<baken_core::FieldError>,
}

async fn catalogue_view(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    notice: Option<&'static str>,
    errors: Vec<baken_core::FieldError>,
) -> Response {
    if !session.caller.may_manage_catalogue() {
        return message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            "Alleen een beheerder beheert de catalogus.",
        );
    }
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let themes = catalogue
        .themes
        .into_iter()
        .map(|t| ThemeAdmin {
            deadline: t
                .deadline_working_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            code: t.code,
            name: t.name,
            indicators: t.indicators,
        })
        .collect();
    render(
        status,
        &CataloguePage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            themes,
            default_days: baken_core::deadline::DeadlinePolicy::default().default_working_days,
            notice,
            errors,
        },
    )
}

#[derive(serde::Deserialize)]
struct SavedQuery {
    opgeslagen: Option<String>,
}

async fn catalogue_page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<SavedQuery>,
) -> Response {
    let notice = q
        .opgeslagen
        .is_some()
        .then_some("De catalogus is bijgewerkt.");
    catalogue_view(&state, &session, StatusCode::OK, notice, Vec::new()).await
}

async fn apply_catalogue_change(
    state: &AppState,
    session: &Session,
    change: Result<baken_core::catalogue::CatalogueChange, ValidationErrors>,
) -> Response {
    let errors = match change {
        Ok(change) => match state
            .store
            .change_catalogue(&session.caller, change, state.clock.now())
            .await
        {
            Ok(()) => return Redirect::to("/beheer/catalogus?opgeslagen=1").into_response(),
            Err(StoreError::Invalid(errors)) => errors,
            Err(e) => return store_error(session, e),
        },
        Err(errors) => errors,
    };
    catalogue_view(state, session, StatusCode::BAD_REQUEST, None, errors.0).await
}

async fn change_theme(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let change = baken_core::catalogue::CatalogueChange::theme(
        form.one("code"),
        form.one("name"),
        form.one("deadlineWorkingDays"),
    );
    apply_catalogue_change(&state, &session, change).await
}

async fn change_indicator(
    State(state): State<AppState>,
    session: Session,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let change = baken_core::catalogue::CatalogueChange::indicator(
        form.one("theme"),
        form.one("code"),
        form.one("name"),
    );
    apply_catalogue_change(&state, &session, change).await
}
