//! `/api/v1/cases`: the case table's cases (issue 14), as the store lets the caller see them.
//! Roles that can see no case are refused before anything is read; a case the caller may not
//! see is 404, as one that does not exist.

use super::*;
use baken_core::case::{
    CaseDetail, CaseMember, CaseStatus, CaseStatusChange, CaseSummary, LineageReason, NewCase,
    NewMember, RawCase,
};
use baken_store::CaseList;

pub(super) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/cases", list_cases)
        .post("/cases", create_case)
        .get("/cases/{id}", get_case)
        .post("/cases/{id}/status-changes", change_case_status)
        .post("/cases/{id}/signals", add_case_signal)
        .post("/cases/{id}/members", add_case_member)
        .post("/cases/{id}/merges", merge_cases)
        .post("/cases/{id}/subjects", add_case_subject)
        .post("/cases/{id}/splits", split_case)
        .get("/signals/{id}/case-suggestions", case_suggestions)
}

fn forbidden(why: baken_core::access::Denied) -> Problem {
    Problem::new(
        StatusCode::FORBIDDEN,
        "Niet toegestaan",
        Some(baken_app::wording::denied(why).to_string()),
    )
}

/// Refuses roles that see no case (lezer, beheerder) before anything is read.
fn may_see(caller: &Caller) -> Result<(), Problem> {
    if caller.may_see_cases() {
        Ok(())
    } else {
        Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Niet toegestaan",
            Some("uw rol geeft geen toegang tot casussen".into()),
        ))
    }
}

/// Refuses roles that run no case (everyone but analysts) before anything is read.
fn may_manage(caller: &Caller) -> Result<(), Problem> {
    if caller.may_open_case() {
        Ok(())
    } else {
        Err(forbidden(baken_core::access::Denied::ManageCase))
    }
}

// ------------------------------------------------------------------ representations

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersonRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseMemberResponse {
    /// `organisatie` or `persoon`.
    pub kind: String,
    pub id: Uuid,
    pub name: String,
    /// A person's organisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseHistoryEntry {
    pub at: String,
    pub by: String,
    pub from: Option<String>,
    pub to: String,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseResponse {
    pub id: Uuid,
    pub title: String,
    pub themes: Vec<String>,
    pub classification: String,
    /// `aangemeld`, `in-behandeling`, `monitoren` or `afgesloten`.
    pub status: String,
    pub owner_organisation: OrganisationRef,
    pub owner: PersonRef,
    /// The day the case is to be looked at again.
    pub follow_up_on: Option<String>,
    /// Its follow-up day has come (Dutch calendar) and it is still open.
    pub follow_up_due: bool,
    pub created_at: String,
    pub updated_at: String,
    /// Only on single-case responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<CaseMemberResponse>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<CaseHistoryEntry>>,
    /// The signals in the case that the caller may see themselves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signals: Option<Vec<SignalResponse>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_next_statuses: Option<Vec<String>>,
    /// The caller may change the case (status, signals, members).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub may_manage: Option<bool>,
    /// The case table's decisions on the case, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisions: Option<Vec<baken_core::decision::Decision>>,
    /// The actions from those decisions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<baken_core::decision::Action>>,
    /// Cases merged into or split from this one (those the caller may see).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lineage: Option<Vec<baken_core::case::CaseLineage>>,
    /// Whom and what the case is about (linking engine entities), each through a mention
    /// the caller may see.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entities: Option<Vec<baken_core::case::CaseEntity>>,
}

impl CaseResponse {
    fn summary(c: &CaseSummary, today: time::Date) -> Self {
        Self {
            id: c.id,
            title: c.title.clone(),
            themes: c.themes.clone(),
            classification: c.classification.slug().into(),
            status: c.status.slug().into(),
            owner_organisation: OrganisationRef {
                id: c.owner_org,
                name: c.owner_org_name.clone(),
            },
            owner: PersonRef {
                id: c.owner_user,
                name: c.owner_name.clone(),
            },
            follow_up_on: c.follow_up_on.map(iso_date),
            follow_up_due: c.follow_up_due(today),
            created_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
            description: None,
            members: None,
            history: None,
            signals: None,
            allowed_next_statuses: None,
            may_manage: None,
            decisions: None,
            actions: None,
            lineage: None,
            entities: None,
        }
    }

    fn detail(d: &CaseDetail, today: time::Date) -> Self {
        let mut r = Self::summary(&d.case, today);
        r.description = Some(d.description.clone());
        r.members = Some(
            d.members
                .iter()
                .map(|m| match m {
                    CaseMember::Organisation { id, name } => CaseMemberResponse {
                        kind: "organisatie".into(),
                        id: *id,
                        name: name.clone(),
                        organisation: None,
                    },
                    CaseMember::User {
                        id,
                        name,
                        organisation,
                    } => CaseMemberResponse {
                        kind: "persoon".into(),
                        id: *id,
                        name: name.clone(),
                        organisation: Some(organisation.clone()),
                    },
                })
                .collect(),
        );
        r.history = Some(
            d.history
                .iter()
                .map(|h| CaseHistoryEntry {
                    at: rfc3339(h.at),
                    by: h.by_name.clone(),
                    from: h.from.map(|s| s.slug().into()),
                    to: h.to.slug().into(),
                    reason: h.reason.clone(),
                })
                .collect(),
        );
        r.signals = Some(d.signals.iter().map(SignalResponse::from).collect());
        r.allowed_next_statuses = Some(if d.may_manage {
            d.case
                .status
                .next()
                .iter()
                .map(|s| s.slug().to_string())
                .collect()
        } else {
            Vec::new()
        });
        r.may_manage = Some(d.may_manage);
        r.decisions = Some(d.decisions.clone());
        r.actions = Some(d.actions.clone());
        r.lineage = Some(d.lineage.clone());
        r.entities = Some(d.entities.clone());
        r
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseListResponse {
    pub items: Vec<CaseResponse>,
    #[serde(flatten)]
    pub paging: Paging,
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CaseListQuery {
    /// `true` to include closed cases.
    #[serde(default)]
    pub include_closed: Option<bool>,
    /// `nextCursor` or `previousCursor` of another page of the same list.
    #[serde(default)]
    pub cursor: Option<String>,
    /// 1 to 100 (default 25).
    #[serde(default)]
    pub page_size: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseRequest {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Theme codes from the catalogue; at least one.
    #[serde(default)]
    pub themes: Vec<String>,
    /// `openbaar`, `intern` (default) or `vertrouwelijk`; never `bibob`.
    #[serde(default)]
    pub classification: String,
    /// `JJJJ-MM-DD`.
    #[serde(default)]
    pub follow_up_on: String,
    /// Ids of signals (each one the caller may see) the case starts with.
    #[serde(default)]
    pub signals: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseStatusChangeRequest {
    /// Target status, e.g. `in-behandeling`.
    #[serde(default)]
    pub status: String,
    /// Mandatory reason.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseSignalRequest {
    /// Id of a signal the caller may see.
    #[serde(default)]
    pub signal: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseMemberRequest {
    /// Id of an organisation whose staff become members; or
    #[serde(default)]
    pub organisation: Option<String>,
    /// id of a person who becomes a member.
    #[serde(default)]
    pub user: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseSubjectRequest {
    /// Id of a mention (subject) the caller may see, e.g. from a dossier.
    #[serde(default)]
    pub subject: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseMergeRequest {
    /// Id of the case (the caller manages it) that goes into this one and is closed.
    #[serde(default)]
    pub other: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseSplitRequest {
    /// The new case, as for `POST /cases` (its `signals` are the ones that move).
    #[serde(flatten)]
    pub case: CaseRequest,
    #[serde(default)]
    pub reason: String,
}

/// An id in a body: named with its field when it is not one.
fn body_id(field: &str, value: &str, errors: &mut ValidationErrors) -> Option<Uuid> {
    match Uuid::parse_str(value.trim()) {
        Ok(id) => Some(id),
        Err(_) => {
            errors.push(
                field,
                baken_core::validation::Problem::NotA {
                    format: baken_core::validation::Format::Id,
                    given: value.trim().to_string(),
                },
            );
            None
        }
    }
}

/// The answer to a change of a case: 201 with the case as it is now.
fn changed(state: &AppState, detail: &CaseDetail) -> Response {
    (
        StatusCode::CREATED,
        Json(CaseResponse::detail(detail, today(state))),
    )
        .into_response()
}

fn today(state: &AppState) -> time::Date {
    baken_core::calendar::local_date(state.clock.now())
}

// ------------------------------------------------------------------ handlers

#[utoipa::path(get, path = "/api/v1/cases", params(CaseListQuery),
    responses((status = 200, body = CaseListResponse), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn list_cases(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<CaseListQuery>,
) -> Result<Json<CaseListResponse>, Problem> {
    may_see(&caller)?;
    let list = if query.include_closed == Some(true) {
        CaseList::All
    } else {
        CaseList::Open
    };
    let page = page_request(query.cursor.as_deref(), query.page_size.as_deref())?;
    let cases = state
        .store
        .cases(&caller, list, page, state.clock.now())
        .await?;
    let today = today(&state);
    Ok(Json(CaseListResponse {
        items: cases
            .items
            .iter()
            .map(|c| CaseResponse::summary(c, today))
            .collect(),
        paging: Paging::of(&cases),
    }))
}

#[utoipa::path(post, path = "/api/v1/cases", request_body = CaseRequest,
    responses((status = 201, body = CaseResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn create_case(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Bytes,
) -> Result<Response, Problem> {
    if !caller.may_open_case() {
        return Err(forbidden(baken_core::access::Denied::OpenCase));
    }
    let request: CaseRequest = json_body(&body)?;
    let parsed = NewCase::parse(&RawCase {
        title: request.title,
        description: request.description,
        themes: request.themes,
        classification: request.classification,
        follow_up_on: request.follow_up_on,
    });
    let mut errors = match &parsed {
        Ok(_) => ValidationErrors::new(),
        Err(e) => e.clone(),
    };
    let signals: Vec<Option<Uuid>> = request
        .signals
        .iter()
        .map(|s| body_id("signals", s, &mut errors))
        .collect();
    let (Ok(case), true) = (parsed, errors.is_empty()) else {
        return Err(Problem::invalid(errors));
    };
    let signals: Vec<Uuid> = signals.into_iter().flatten().collect();
    let now = state.clock.now();
    let id = state
        .store
        .create_case(&caller, case, &signals, now)
        .await?;
    let own = baken_core::access::DossierReason::own_change();
    let detail = state.store.case(&caller, id, Some(&own), now).await?;
    let mut response = (
        StatusCode::CREATED,
        Json(CaseResponse::detail(&detail, today(&state))),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/cases/{id}")) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/cases/{id}", params(("id" = Uuid, Path, description = "Case id"), super::dossiers::DossierQuery),
    responses((status = 200, body = CaseResponse), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn get_case(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<super::dossiers::DossierQuery>,
) -> Result<Json<CaseResponse>, Problem> {
    may_see(&caller)?;
    let id = parse_id(&id)?;
    // Outside one's own membership a case is read with a reason (issue 18, pt 4).
    let reason = super::dossiers::stated_reason(&query)?;
    let detail = match state
        .store
        .case(&caller, id, reason.as_ref(), state.clock.now())
        .await
    {
        Ok(d) => d,
        Err(StoreError::ReasonRequired) => {
            return Err(super::dossiers::reason_problem(
                baken_app::wording::CASE_REASON_REQUIRED.into(),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Json(CaseResponse::detail(&detail, today(&state))))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/status-changes", params(("id" = Uuid, Path, description = "Case id")),
    request_body = CaseStatusChangeRequest,
    responses((status = 201, body = CaseResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn change_case_status(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Problem> {
    may_manage(&caller)?;
    let id = parse_id(&id)?;
    let request: CaseStatusChangeRequest = json_body(&body)?;
    let change =
        CaseStatusChange::parse(&request.status, &request.reason).map_err(Problem::invalid)?;
    let detail = state
        .store
        .change_case_status(&caller, id, change, state.clock.now())
        .await?;
    Ok(changed(&state, &detail))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/signals", params(("id" = Uuid, Path, description = "Case id")),
    request_body = CaseSignalRequest,
    responses((status = 201, body = CaseResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn add_case_signal(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Problem> {
    may_manage(&caller)?;
    let id = parse_id(&id)?;
    let request: CaseSignalRequest = json_body(&body)?;
    let mut errors = ValidationErrors::new();
    let Some(signal) = body_id("signal", &request.signal, &mut errors) else {
        return Err(Problem::invalid(errors));
    };
    let detail = state
        .store
        .add_case_signal(&caller, id, signal, state.clock.now())
        .await?;
    Ok(changed(&state, &detail))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/members", params(("id" = Uuid, Path, description = "Case id")),
    request_body = CaseMemberRequest,
    responses((status = 201, body = CaseResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn add_case_member(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Problem> {
    may_manage(&caller)?;
    let id = parse_id(&id)?;
    let request: CaseMemberRequest = json_body(&body)?;
    let mut errors = ValidationErrors::new();
    let member = match (request.organisation.as_deref(), request.user.as_deref()) {
        (Some(org), None) => body_id("organisation", org, &mut errors).map(NewMember::Organisation),
        (None, Some(user)) => body_id("user", user, &mut errors).map(NewMember::User),
        _ => {
            errors.push_worded(
                "member",
                "geef een organisatie (organisation) of een persoon (user), niet beide",
            );
            None
        }
    };
    let Some(member) = member else {
        return Err(Problem::invalid(errors));
    };
    let detail = state
        .store
        .add_case_member(&caller, id, member, state.clock.now())
        .await?;
    Ok(changed(&state, &detail))
}

#[utoipa::path(get, path = "/api/v1/signals/{id}/case-suggestions", params(("id" = Uuid, Path, description = "Signal id")),
    responses((status = 200, body = CaseListResponse), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn case_suggestions(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<CaseListResponse>, Problem> {
    may_manage(&caller)?;
    let id = parse_id(&id)?;
    let cases = state
        .store
        .case_suggestions(&caller, id, state.clock.now())
        .await?;
    let today = today(&state);
    Ok(Json(CaseListResponse {
        paging: Paging::whole(cases.len()),
        items: cases
            .iter()
            .map(|c| CaseResponse::summary(c, today))
            .collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/merges", params(("id" = Uuid, Path, description = "Case id")),
    request_body = CaseMergeRequest,
    responses((status = 201, body = CaseResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn merge_cases(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Problem> {
    may_manage(&caller)?;
    let id = parse_id(&id)?;
    let request: CaseMergeRequest = json_body(&body)?;
    let reason = LineageReason::parse(&request.reason);
    let mut errors = reason.clone().err().unwrap_or_default();
    let other = body_id("other", &request.other, &mut errors);
    let (Some(other), Ok(reason)) = (other, reason) else {
        return Err(Problem::invalid(errors));
    };
    let detail = state
        .store
        .merge_cases(&caller, (id, other), &reason, state.clock.now())
        .await?;
    Ok(changed(&state, &detail))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/splits", params(("id" = Uuid, Path, description = "Case id")),
    request_body = CaseSplitRequest,
    responses((status = 201, body = CaseResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn split_case(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Problem> {
    may_manage(&caller)?;
    let id = parse_id(&id)?;
    let request: CaseSplitRequest = json_body(&body)?;
    let parsed = NewCase::parse(&RawCase {
        title: request.case.title,
        description: request.case.description,
        themes: request.case.themes,
        classification: request.case.classification,
        follow_up_on: request.case.follow_up_on,
    });
    let reason = LineageReason::parse(&request.reason);
    let mut errors = parsed.clone().err().unwrap_or_default();
    errors.0.extend(reason.clone().err().unwrap_or_default().0);
    let signals: Vec<Option<Uuid>> = request
        .case
        .signals
        .iter()
        .map(|s| body_id("signals", s, &mut errors))
        .collect();
    let (Ok(case), Ok(reason), true) = (parsed, reason, errors.is_empty()) else {
        return Err(Problem::invalid(errors));
    };
    let signals: Vec<Uuid> = signals.into_iter().flatten().collect();
    let now = state.clock.now();
    let new = state
        .store
        .split_case(&caller, id, (case, &signals), &reason, now)
        .await?;
    let own = baken_core::access::DossierReason::own_change();
    let detail = state.store.case(&caller, new, Some(&own), now).await?;
    let mut response = changed(&state, &detail);
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/cases/{new}")) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/subjects", params(("id" = Uuid, Path, description = "Case id")),
    request_body = CaseSubjectRequest,
    responses((status = 201, body = CaseResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn add_case_subject(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Problem> {
    may_manage(&caller)?;
    let id = parse_id(&id)?;
    let request: CaseSubjectRequest = json_body(&body)?;
    let mut errors = ValidationErrors::new();
    let Some(subject) = body_id("subject", &request.subject, &mut errors) else {
        return Err(Problem::invalid(errors));
    };
    let detail = state
        .store
        .add_case_subject(&caller, id, subject, state.clock.now())
        .await?;
    Ok(changed(&state, &detail))
}

/// The statuses a case can have, for the OpenAPI document.
pub(super) fn case_statuses() -> Vec<&'static str> {
    CaseStatus::ALL.iter().map(|s| s.slug()).collect()
}
