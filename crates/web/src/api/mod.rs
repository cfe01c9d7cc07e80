//! The JSON API `/api/v1`, after the NL API Design Rules: plural kebab-case resources,
//! camelCase query parameters, `application/problem+json` errors (400 for bad input, with
//! every invalid field listed), an `API-Version` header and `openapi.json` generated from
//! this code. Authentication with personal tokens: `Authorization: Bearer …`.

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use baken_core::catalogue::Catalogue;
use baken_core::signal::{NewSignal, Side, Signal, SignalFilterInput, SignalInput};
use baken_core::status::StatusChange;
use baken_core::{Caller, ValidationErrors};
use baken_store::{SignalDetail, StoreError};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::{Modify, OpenApi, ToSchema};
use uuid::Uuid;

use crate::{auth, AppState};

pub const API_VERSION: &str = "1.0.0";

mod activities;
mod area_picture;
mod barriers;
mod cases;
mod commitments;
mod corrections;
mod dossiers;
mod figures;
mod interventions;
mod meetings;
mod openapi;
mod reference;
use openapi::openapi;
pub use openapi::ApiDoc;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/openapi.json", openapi)
        .post("/signals", create_signal)
        .get("/signals", list_signals)
        .get("/signals/{id}", get_signal)
        .post("/signals/{id}/status-changes", change_status)
        .post("/signals/{id}/assignments", assign)
        .get("/subject-suggestions", suggest_subjects)
        .get("/deviations", deviations)
        .merge(corrections::routes())
        .merge(cases::routes())
        .merge(meetings::routes())
        .merge(interventions::routes())
        .merge(barriers::routes())
        .merge(activities::routes())
        .merge(commitments::routes())
        .merge(figures::routes())
        .merge(reference::routes())
        .merge(area_picture::routes())
        .merge(dossiers::routes())
        .fallback(not_found)
        .layer(axum::middleware::map_response(
            |mut r: Response| async move {
                r.headers_mut()
                    .insert("api-version", HeaderValue::from_static(API_VERSION));
                r
            },
        ))
}

// ------------------------------------------------------------------ problems

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvalidParam {
    /// The field (body) or query parameter, camelCase.
    pub name: String,
    pub reason: String,
}

/// RFC 9457 problem details.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid_params: Vec<InvalidParam>,
}

/// The query string of an API request as `T`. One that cannot be read — a parameter given
/// twice — is a problem+json 400 that names the parameter, like every other API error.
pub(crate) struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => {
                let text = rejection.body_text();
                let detail = match text.split('`').nth(1) {
                    Some(name) if text.contains("duplicate field") => {
                        format!("parameter '{name}' is meer dan eens gegeven")
                    }
                    _ => "de parameters zijn niet te lezen".to_string(),
                };
                Err(Problem::new(
                    StatusCode::BAD_REQUEST,
                    "Ongeldige invoer",
                    Some(detail),
                ))
            }
        }
    }
}

impl Problem {
    fn new(status: StatusCode, title: &str, detail: Option<String>) -> Self {
        Self {
            kind: "about:blank".into(),
            title: title.into(),
            status: status.as_u16(),
            detail,
            invalid_params: Vec::new(),
        }
    }

    fn invalid(errors: ValidationErrors) -> Self {
        let mut p = Self::new(
            StatusCode::BAD_REQUEST,
            "Ongeldige invoer",
            Some(format!("{} veld(en) ongeldig", errors.0.len())),
        );
        p.invalid_params = errors
            .0
            .into_iter()
            .map(|e| InvalidParam {
                reason: baken_app::wording::problem(&e.problem),
                name: e.field,
            })
            .collect();
        p
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(&self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Problem::new(StatusCode::NOT_FOUND, "Niet gevonden", None),
            StoreError::Forbidden(why) => Problem::new(
                StatusCode::FORBIDDEN,
                "Niet toegestaan",
                Some(baken_app::wording::denied(why).to_string()),
            ),
            StoreError::Invalid(errors) => Problem::invalid(errors),
            StoreError::Rejected(all) => Problem::invalid(baken_app::wording::rejections(&all)),
            StoreError::Transition(refused) => {
                let mut errors = ValidationErrors::new();
                errors.push("status", refused);
                Problem::invalid(errors)
            }
            StoreError::Conflict(what) => Problem::new(
                StatusCode::CONFLICT,
                "Bestaat al",
                Some(baken_app::wording::conflict(&what)),
            ),
            other => {
                tracing::error!(error = %other, "store failure");
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Interne fout", None)
            }
        }
    }
}

async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "Niet gevonden", None)
}

/// Parses a JSON body; a malformed body is a 400 problem naming where it went wrong.
/// A request body as `T`: a JSON object (a derived struct would also read an array of its
/// fields in order, which no client means).
fn json_body<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, Problem> {
    let refuse = |why: String| {
        let mut errors = ValidationErrors::new();
        errors.push_worded("body", why);
        Problem::invalid(errors)
    };
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') {
        return Err(refuse("de inhoud moet een JSON-object zijn ({ … })".into()));
    }
    serde_json::from_slice(body)
        .map_err(|e| refuse(format!("geen geldige JSON voor dit verzoek: {e}")))
}

// ------------------------------------------------------------------ authentication

/// The caller behind a personal API token.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized = || {
            Problem::new(
                StatusCode::UNAUTHORIZED,
                "Niet aangemeld",
                Some("stuur een persoonlijk API-token mee: Authorization: Bearer <token>".into()),
            )
        };
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(unauthorized)?;
        let user = state
            .store
            .user_by_token(&auth::secret_hash(token), state.clock.now())
            .await
            .map_err(Problem::from)?
            .ok_or_else(unauthorized)?;
        let origin = crate::client::ClientAddress::of(parts, state).0;
        Ok(ApiCaller(baken_core::Caller::for_user_handling_signals(
            &user,
            format!("api {origin}"),
        )))
    }
}

// ------------------------------------------------------------------ representations

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

fn iso_date(d: time::Date) -> String {
    d.format(&time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssigneeRef {
    pub id: Uuid,
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub at: String,
    pub from: Option<String>,
    pub to: String,
    pub reason: String,
    /// Set when the entry records an assignment: to whom (a name at the time, a team, or
    /// neither for nobody).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_to: Option<AssignedToResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AreaRef {
    pub code: String,
    pub name: Option<String>,
    /// `gemeente`, `wijk`, `buurt`, `bedrijventerrein` or `buitengebied`.
    pub kind: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignedToResponse {
    pub name: Option<String>,
    pub team: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignalResponse {
    pub id: Uuid,
    pub owner_organisation: OrganisationRef,
    /// RFC 3339, UTC.
    pub received_at: String,
    pub observed_on: Option<String>,
    pub source_kind: String,
    pub source_reliability: String,
    pub information_credibility: String,
    pub themes: Vec<String>,
    pub indicators: Vec<String>,
    pub title: String,
    pub description: String,
    pub area_code: Option<String>,
    pub area_name: Option<String>,
    /// Every area the signal lies in (typed, or found from its coordinates), most specific
    /// first.
    pub areas: Vec<AreaRef>,
    /// WGS84 decimal degrees.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub address: Option<String>,
    pub classification: String,
    pub sharing: String,
    pub status: String,
    pub retention_until: String,
    /// The day triage must be done by.
    pub deadline: Option<String>,
    pub assignee: Option<AssigneeRef>,
    pub assigned_team: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Only on single-signal responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<HistoryEntry>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_next_statuses: Option<Vec<String>>,
    /// Only on single-signal responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subjects: Option<Vec<SubjectResponse>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relations: Option<Vec<RelationResponse>>,
    /// Only on single-signal responses: its corrections after intake, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrections: Option<Vec<corrections::CorrectionResponse>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubjectResponse {
    pub id: Uuid,
    pub kind: String,
    pub role: String,
    /// As typed.
    pub original: String,
    /// Canonical form used for matching.
    pub normalised: String,
    /// Readable form.
    pub display: String,
    /// Typed details; `type` tells which fields follow.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RelationResponse {
    pub from: Uuid,
    pub to: Uuid,
    pub kind: String,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
}

impl From<&Signal> for SignalResponse {
    fn from(s: &Signal) -> Self {
        Self {
            id: s.id,
            owner_organisation: OrganisationRef {
                id: s.owner_org,
                name: s.owner_org_name.clone(),
            },
            received_at: rfc3339(s.received_at),
            observed_on: s.observed_on.map(iso_date),
            source_kind: s.source_kind.slug().into(),
            source_reliability: s.source_reliability.slug().into(),
            information_credibility: s.information_credibility.slug().into(),
            themes: s.themes.clone(),
            indicators: s.indicators.clone(),
            title: s.title.clone(),
            description: s.description.clone(),
            area_code: s.area_code.clone(),
            area_name: s.area_name.clone(),
            areas: s
                .areas
                .iter()
                .map(|a| AreaRef {
                    code: a.code.clone(),
                    name: a.name.clone(),
                    kind: a.kind.slug().into(),
                })
                .collect(),
            latitude: s.coordinates.map(|c| c.latitude()),
            longitude: s.coordinates.map(|c| c.longitude()),
            address: s.address.clone(),
            classification: s.classification.slug().into(),
            sharing: s.sharing.slug().into(),
            status: s.status.slug().into(),
            retention_until: iso_date(s.retention_until),
            deadline: s.deadline.map(iso_date),
            assignee: s.assigned_user.map(|id| AssigneeRef {
                id,
                name: s.assigned_user_name.clone(),
            }),
            assigned_team: s.assigned_team.clone(),
            created_at: rfc3339(s.created_at),
            updated_at: rfc3339(s.updated_at),
            history: None,
            allowed_next_statuses: None,
            subjects: None,
            relations: None,
            corrections: None,
        }
    }
}

impl From<SignalDetail> for SignalResponse {
    fn from(d: SignalDetail) -> Self {
        let mut r = SignalResponse::from(&d.signal);
        r.history = Some(
            d.history
                .iter()
                .map(|h| HistoryEntry {
                    at: rfc3339(h.at),
                    from: h.from.map(|s| s.slug().to_string()),
                    to: h.to.slug().into(),
                    reason: baken_app::wording::history_reason(h),
                    assigned_to: h.assignment.as_ref().map(|a| AssignedToResponse {
                        name: a.name.clone(),
                        team: a.team.clone(),
                    }),
                })
                .collect(),
        );
        r.corrections = Some(
            d.corrections
                .iter()
                .map(corrections::CorrectionResponse::from)
                .collect(),
        );
        r.allowed_next_statuses = Some(
            d.allowed_next
                .iter()
                .map(|s| s.slug().to_string())
                .collect(),
        );
        r.subjects = Some(
            d.subjects
                .iter()
                .map(|m| SubjectResponse {
                    id: m.subject.id,
                    kind: m.subject.kind.slug().into(),
                    role: m.role.slug().into(),
                    original: m.subject.original.clone(),
                    normalised: m.subject.normalised.clone(),
                    display: m.subject.details.display(),
                    details: serde_json::to_value(&m.subject.details).unwrap_or_default(),
                })
                .collect(),
        );
        r.relations = Some(
            d.relations
                .iter()
                .map(|rel| RelationResponse {
                    from: rel.from,
                    to: rel.to,
                    kind: rel.kind.slug().into(),
                    valid_from: rel.valid_from.map(iso_date),
                    valid_until: rel.valid_until.map(iso_date),
                })
                .collect(),
        );
        r
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignalPage {
    pub items: Vec<SignalResponse>,
    pub page_size: u32,
    /// How many signals the list holds: exact, or — when `totalIsLowerBound` — at least this
    /// many (what the kept counts cannot answer, such as a search, is counted up to 1,000).
    pub total: u64,
    pub total_is_lower_bound: bool,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Pass as `cursor` for the previous (newer) page; absent on the first page.
    pub previous_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusChangeRequest {
    /// Target status, e.g. `in-triage`.
    #[serde(default)]
    pub status: String,
    /// Mandatory reason.
    #[serde(default)]
    pub reason: String,
}

// ------------------------------------------------------------------ handlers

#[utoipa::path(post, path = "/api/v1/signals", request_body = SignalInput,
    responses((status = 201, body = SignalResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn create_signal(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Bytes,
) -> Result<Response, Problem> {
    let input: SignalInput = json_body(&body)?;
    if !caller.may_register_signal() {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Niet toegestaan",
            Some("uw rol mag geen signalen registreren".into()),
        ));
    }
    let catalogue = state.store.catalogue().await?;
    let now = state.clock.now();
    let new = NewSignal::parse(&input, &catalogue, &caller, &state.config.intake, now)
        .map_err(Problem::invalid)?;
    let signal = state.store.create_signal(&caller, new, now).await?;
    let location = format!("/api/v1/signals/{}", signal.id);
    let mut response = (StatusCode::CREATED, Json(SignalResponse::from(&signal))).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/signals", params(SignalFilterInput),
    responses((status = 200, body = SignalPage), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn list_signals(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(input): ApiQuery<SignalFilterInput>,
) -> Result<Json<SignalPage>, Problem> {
    let catalogue = codes_checked_against(&state, &input).await?;
    let (filter, page) = input.parse(&catalogue).map_err(Problem::invalid)?;
    let result = state
        .store
        .list_signals(&caller, &filter, page, state.clock.now())
        .await?;
    Ok(Json(SignalPage {
        items: result.items.iter().map(SignalResponse::from).collect(),
        page_size: result.size,
        total: result.total.count(),
        total_is_lower_bound: result.total.is_lower_bound(),
        next_cursor: result.next.map(|c| c.token(Side::After)),
        previous_cursor: result.previous.map(|c| c.token(Side::Before)),
    }))
}

/// The catalogue `input`'s theme and indicator are checked against: none when it names
/// neither (reading the catalogue's version is a round trip the plain list need not make).
pub(crate) async fn codes_checked_against(
    state: &AppState,
    input: &SignalFilterInput,
) -> Result<std::sync::Arc<Catalogue>, Problem> {
    if input.names_codes() {
        Ok(state.store.catalogue().await?)
    } else {
        Ok(std::sync::Arc::default())
    }
}

/// Where a page of a keyset-paged list lies (cases, interventions): its size, the list's
/// total (exact, or a lower bound), and the cursors of its neighbours.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Paging {
    pub page_size: u32,
    pub total: u64,
    pub total_is_lower_bound: bool,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Pass as `cursor` for the previous (newer) page; absent on the first page.
    pub previous_cursor: Option<String>,
}

impl Paging {
    /// A short list given whole (suggestions): one page, exactly counted.
    fn whole(n: usize) -> Self {
        Self {
            page_size: n as u32,
            total: n as u64,
            total_is_lower_bound: false,
            next_cursor: None,
            previous_cursor: None,
        }
    }

    fn of<T>(page: &baken_core::page::Page<T>) -> Self {
        Self {
            page_size: page.size,
            total: page.total.count(),
            total_is_lower_bound: page.total.is_lower_bound(),
            next_cursor: page.next.map(|c| c.token(Side::After)),
            previous_cursor: page.previous.map(|c| c.token(Side::Before)),
        }
    }
}

/// Where a page of a list that has no other parameters begins (meetings, activities).
#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// `nextCursor` or `previousCursor` of another page of the same list.
    #[serde(default)]
    pub cursor: Option<String>,
    /// 1 to 100 (default 25).
    #[serde(default)]
    pub page_size: Option<String>,
}

impl PageQuery {
    fn page(&self) -> Result<baken_core::page::PageRequest, Problem> {
        page_request(self.cursor.as_deref(), self.page_size.as_deref())
    }
}

/// The page a list's `cursor` and `pageSize` ask for, or the problem naming them.
fn page_request(
    cursor: Option<&str>,
    size: Option<&str>,
) -> Result<baken_core::page::PageRequest, Problem> {
    let mut errors = ValidationErrors::new();
    let page = baken_core::page::PageRequest::parse((cursor, size), &mut errors);
    if errors.0.is_empty() {
        Ok(page)
    } else {
        Err(Problem::invalid(errors))
    }
}

fn parse_id(id: &str) -> Result<Uuid, Problem> {
    // An id that cannot exist is as unknown as one the caller may not see.
    Uuid::parse_str(id).map_err(|_| Problem::new(StatusCode::NOT_FOUND, "Niet gevonden", None))
}

#[utoipa::path(get, path = "/api/v1/signals/{id}", params(("id" = Uuid, Path, description = "Signal id")),
    responses((status = 200, body = SignalResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn get_signal(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<SignalResponse>, Problem> {
    let id = parse_id(&id)?;
    let detail = state.store.signal(&caller, id, state.clock.now()).await?;
    Ok(Json(detail.into()))
}

#[utoipa::path(post, path = "/api/v1/signals/{id}/status-changes", operation_id = "change_signal_status", params(("id" = Uuid, Path, description = "Signal id")),
    request_body = StatusChangeRequest,
    responses((status = 201, body = SignalResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn change_status(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Problem> {
    let id = parse_id(&id)?;
    let request: StatusChangeRequest = json_body(&body)?;
    let change = StatusChange::parse(&request.status, &request.reason).map_err(Problem::invalid)?;
    let detail = state.ops.change_signal_status(&caller, id, change).await?;
    Ok((StatusCode::CREATED, Json(SignalResponse::from(detail))).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentRequest {
    /// Id of a person of the signal's organisation, or absent.
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    /// Mandatory reason.
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/signals/{id}/assignments", params(("id" = Uuid, Path, description = "Signal id")),
    request_body = AssignmentRequest,
    responses((status = 201, body = SignalResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn assign(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Problem> {
    let id = parse_id(&id)?;
    let request: AssignmentRequest = json_body(&body)?;
    let assignment = baken_core::signal::Assignment::parse(
        request.assignee.as_deref().unwrap_or(""),
        request.team.as_deref().unwrap_or(""),
        &request.reason,
    )
    .map_err(Problem::invalid)?;
    let detail = state.ops.assign_signal(&caller, id, assignment).await?;
    Ok((StatusCode::CREATED, Json(SignalResponse::from(detail))).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionQuery {
    /// At least two characters of a name, address, plate, number or identifier.
    pub q: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    pub kind: String,
    pub display: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Suggestions {
    pub suggestions: Vec<Suggestion>,
}

/// One area in the deviation table.
/// A deviation row's figures, as the deviation table and an area's picture give them.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RowFigures {
    /// `null` when suppressed (fewer than the threshold, for roles that see aggregates only).
    pub count: Option<u64>,
    /// The count as it may be shown ("<5" when suppressed).
    pub count_shown: String,
    pub base: Option<u64>,
    pub rate_per1000: Option<f64>,
    /// Global Empirical Bayes rate per 1,000.
    pub smoothed_rate_per1000: Option<f64>,
    pub expected: Option<f64>,
    /// 100 × observed / expected.
    pub index: Option<f64>,
    pub z: Option<f64>,
    /// Two-sided exact Poisson p-value.
    pub p: Option<f64>,
    /// Significant after Benjamini–Hochberg at `alpha`.
    pub significant: bool,
    /// `strongly-above`, `above`, `average`, `below`, `strongly-below` or `unknown`.
    pub class: String,
    pub deviates: bool,
    /// What the numbers mean, in Dutch.
    pub explanation: String,
}

impl RowFigures {
    fn of(r: &baken_picture::DeviationRow, alpha: f64, suppressed: &str) -> Self {
        Self {
            count: r.count,
            count_shown: r
                .count
                .map_or_else(|| suppressed.to_string(), |c| c.to_string()),
            base: r.base,
            rate_per1000: r.rate,
            smoothed_rate_per1000: r.smoothed_rate,
            expected: r.expected,
            index: r.index,
            z: r.z,
            p: r.p,
            significant: r.significant,
            class: r.class.slug().into(),
            deviates: r.class.deviates(),
            explanation: r.explanation(alpha),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AreaDeviation {
    pub code: String,
    pub name: String,
    #[serde(flatten)]
    pub figures: RowFigures,
    /// Local Moran's I after Benjamini–Hochberg: `hoog-hoog`, `laag-laag`, `hoog-laag`,
    /// `laag-hoog`, `niet-significant` or `niet-getoetst`.
    pub cluster: String,
    /// Getis–Ord Gi* after Benjamini–Hochberg: `hotspot`, `coldspot`, `niet-significant` or
    /// `niet-getoetst`.
    pub hotspot: String,
    /// The Gi* z-score.
    pub gi_z: Option<f64>,
}

/// Areas of one level compared with the municipality on a theme or indicator.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Deviations {
    pub level: String,
    pub theme: Option<String>,
    pub indicator: Option<String>,
    pub base: String,
    pub alpha: f64,
    pub reference_rate_per1000: Option<f64>,
    /// True when counts are the caller's organisation's, with small counts suppressed.
    pub aggregated: bool,
    pub method: String,
    /// How `cluster` and `hotspot` are computed.
    pub hotspot_method: String,
    /// Permutations per area and the seed they start from: the same counts and seed give the
    /// same clusters.
    pub permutations: usize,
    pub seed: u64,
    /// Deviating areas first (by z), then the rest.
    pub areas: Vec<AreaDeviation>,
}

#[utoipa::path(get, path = "/api/v1/deviations", params(baken_core::picture::PictureInput),
    responses((status = 200, body = Deviations), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn deviations(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(input): ApiQuery<baken_core::picture::PictureInput>,
) -> Result<Json<Deviations>, Problem> {
    let catalogue = state.store.catalogue().await?;
    let query = input.parse(&catalogue).map_err(Problem::invalid)?;
    let table = state.ops.area_table(&caller, &query).await?;
    let rows = table.table.ranked();
    let suppressed = state.config.suppression.label();
    let hotspots = table.hotspots();
    let hotspot_of: std::collections::HashMap<&str, &baken_picture::hotspot::HotspotRow> = table
        .table
        .rows
        .iter()
        .zip(&hotspots.rows)
        .map(|(r, h)| (r.code.as_str(), h))
        .collect();
    Ok(Json(Deviations {
        level: query.level.slug().into(),
        theme: query.filter.theme.clone(),
        indicator: query.filter.indicator.clone(),
        base: query.base.slug().into(),
        alpha: table.table.alpha,
        reference_rate_per1000: table.table.reference_rate,
        aggregated: table.counts.aggregated,
        method: baken_app::METHOD.into(),
        hotspot_method: baken_app::picture::HOTSPOT_METHOD.into(),
        permutations: hotspots.permutations,
        seed: hotspots.seed,
        areas: rows
            .into_iter()
            .map(|r| AreaDeviation {
                code: r.code.clone(),
                name: r.name.clone(),
                figures: RowFigures::of(r, table.table.alpha, &suppressed),
                cluster: hotspot_of
                    .get(r.code.as_str())
                    .map_or("niet-getoetst", |h| h.cluster.slug())
                    .into(),
                hotspot: hotspot_of
                    .get(r.code.as_str())
                    .map_or("niet-getoetst", |h| h.spot.slug())
                    .into(),
                gi_z: hotspot_of.get(r.code.as_str()).and_then(|h| h.gi_z),
            })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/subject-suggestions", params(SuggestionQuery),
    responses((status = 200, body = Suggestions), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn suggest_subjects(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<SuggestionQuery>,
) -> Result<Json<Suggestions>, Problem> {
    let text = query.q.as_deref().map(str::trim).unwrap_or_default();
    if text.chars().count() < 2 {
        let mut errors = ValidationErrors::new();
        errors.push_worded("q", "geef minstens twee tekens");
        return Err(Problem::invalid(errors));
    }
    let found = state
        .store
        .suggest_subjects(&caller, text, 10, state.clock.now())
        .await?;
    Ok(Json(Suggestions {
        suggestions: found
            .into_iter()
            .map(|(kind, display)| Suggestion {
                kind: kind.slug().into(),
                display,
            })
            .collect(),
    }))
}
