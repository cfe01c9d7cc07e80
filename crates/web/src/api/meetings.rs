//! `/api/v1/meetings`, `/api/v1/decisions/{id}/actions`, `/api/v1/actions`: the case table's
//! meetings, decisions and actions (issue 14), as the store lets the caller see them. The
//! representations are the domain's own (`baken_core::meeting`, `baken_core::decision`).

use super::*;
use baken_core::decision::{Action, ActionStatus, NewAction, NewDecision, RawAction, RawDecision};
use baken_core::meeting::{
    AgendaProposal, AgendaRequest, DiscussionSummary, MeetingDetail, MeetingSummary, MinutesFor,
    NewDisclosure, NewMeeting, RawDisclosure, RawMeeting,
};

pub(super) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/meetings", list_meetings)
        .post("/meetings", create_meeting)
        .get("/meetings/agenda-proposal", agenda_proposal)
        .get("/meetings/{id}", get_meeting)
        .get("/meetings/{id}/minutes", get_minutes)
        .post("/meetings/{id}/cases/{case}/disclosures", record_disclosure)
        .post("/meetings/{id}/cases/{case}/discussion", record_discussion)
        .post("/meetings/{id}/cases/{case}/decisions", record_decision)
        .post("/decisions/{id}/actions", add_action)
        .get("/actions", my_actions)
        .post("/actions/{id}/status-changes", change_action_status)
        .post("/cases/{id}/agenda-requests", request_agenda)
}

/// Refuses roles that see nothing of the case table before anything is read.
fn may_see(caller: &Caller) -> Result<(), Problem> {
    if caller.may_see_cases() {
        Ok(())
    } else {
        Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Niet toegestaan",
            Some("uw rol geeft geen toegang tot de casustafel".into()),
        ))
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeetingList {
    pub items: Vec<MeetingSummary>,
    #[serde(flatten)]
    pub paging: Paging,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgendaProposalList {
    pub items: Vec<AgendaProposal>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActionList {
    pub items: Vec<Action>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    pub id: Uuid,
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ProposalQuery {
    /// The day of the meeting (`JJJJ-MM-DD`); today when left out.
    #[serde(default)]
    pub held_on: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct MinutesQuery {
    /// `own-file` (the holding organisation's complete file; only who runs the meeting) or
    /// the id of a participating organisation; the caller's own organisation when left out.
    #[serde(default, rename = "for")]
    pub version: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscussionRequest {
    #[serde(default)]
    pub discussion: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActionStatusRequest {
    /// `open`, `afgerond` or `vervallen`.
    #[serde(default)]
    pub status: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgendaRequestBody {
    #[serde(default)]
    pub reason: String,
}

fn created(id: Uuid, location: String) -> Response {
    let mut response = (StatusCode::CREATED, Json(Created { id })).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

fn two_ids(id: &str, case: &str) -> Result<(Uuid, Uuid), Problem> {
    Ok((parse_id(id)?, parse_id(case)?))
}

#[utoipa::path(get, path = "/api/v1/meetings", params(PageQuery),
    responses((status = 200, body = MeetingList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn list_meetings(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<MeetingList>, Problem> {
    may_see(&caller)?;
    let page = query.page()?;
    let meetings = state
        .store
        .meetings(&caller, page, state.clock.now())
        .await?;
    Ok(Json(MeetingList {
        paging: Paging::of(&meetings),
        items: meetings.items,
    }))
}

#[utoipa::path(get, path = "/api/v1/meetings/agenda-proposal", params(ProposalQuery),
    responses((status = 200, body = AgendaProposalList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn agenda_proposal(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<ProposalQuery>,
) -> Result<Json<AgendaProposalList>, Problem> {
    may_see(&caller)?;
    let now = state.clock.now();
    let held_on = match query.held_on.as_deref().map(str::trim) {
        None | Some("") => baken_core::calendar::local_date(now),
        Some(text) => baken_core::signal::parse_date(text).map_err(|p| {
            let mut errors = ValidationErrors::new();
            errors.push("heldOn", p);
            Problem::invalid(errors)
        })?,
    };
    let items = state.store.agenda_proposal(&caller, held_on, now).await?;
    Ok(Json(AgendaProposalList { items }))
}

#[utoipa::path(post, path = "/api/v1/meetings", request_body = RawMeeting,
    responses((status = 201, body = MeetingDetail), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn create_meeting(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Bytes,
) -> Result<Response, Problem> {
    if !caller.may_plan_meeting() {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Niet toegestaan",
            Some(baken_app::wording::denied(baken_core::access::Denied::PlanMeeting).into()),
        ));
    }
    let raw: RawMeeting = json_body(&body)?;
    let meeting = NewMeeting::parse(&raw).map_err(Problem::invalid)?;
    let now = state.clock.now();
    let id = state.store.create_meeting(&caller, meeting, now).await?;
    let detail = state.store.meeting(&caller, id, now).await?;
    let mut response = (StatusCode::CREATED, Json(detail)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/meetings/{id}")) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}", params(("id" = Uuid, Path, description = "Meeting id")),
    responses((status = 200, body = MeetingDetail), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn get_meeting(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<MeetingDetail>, Problem> {
    may_see(&caller)?;
    let id = parse_id(&id)?;
    Ok(Json(
        state.store.meeting(&caller, id, state.clock.now()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}/minutes", params(("id" = Uuid, Path, description = "Meeting id"), MinutesQuery),
    responses((status = 200, body = MeetingDetail), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn get_minutes(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<MinutesQuery>,
) -> Result<Json<MeetingDetail>, Problem> {
    may_see(&caller)?;
    let id = parse_id(&id)?;
    let version = match query.version.as_deref().map(str::trim) {
        None | Some("") => MinutesFor::Organisation(caller.org()),
        Some("own-file") => MinutesFor::OwnFile,
        Some(org) => MinutesFor::Organisation(Uuid::parse_str(org).map_err(|_| {
            let mut errors = ValidationErrors::new();
            errors.push_worded("for", "gebruik own-file of het id van een organisatie");
            Problem::invalid(errors)
        })?),
    };
    Ok(Json(
        state
            .store
            .minutes(&caller, id, version, state.clock.now())
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/cases/{case}/disclosures",
    params(("id" = Uuid, Path, description = "Meeting id"), ("case" = Uuid, Path, description = "Case id")),
    request_body = RawDisclosure,
    responses((status = 201, body = Created), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn record_disclosure(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, case)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Problem> {
    may_see(&caller)?;
    let (id, case) = two_ids(&id, &case)?;
    let raw: RawDisclosure = json_body(&body)?;
    let disclosure = NewDisclosure::parse(&raw).map_err(Problem::invalid)?;
    let created_id = state
        .store
        .record_disclosure(&caller, (id, case), disclosure, state.clock.now())
        .await?;
    Ok(created(created_id, format!("/api/v1/meetings/{id}")))
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/cases/{case}/discussion",
    params(("id" = Uuid, Path, description = "Meeting id"), ("case" = Uuid, Path, description = "Case id")),
    request_body = DiscussionRequest,
    responses((status = 204), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn record_discussion(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, case)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode, Problem> {
    may_see(&caller)?;
    let (id, case) = two_ids(&id, &case)?;
    let request: DiscussionRequest = json_body(&body)?;
    let summary = DiscussionSummary::parse(&request.discussion).map_err(Problem::invalid)?;
    state
        .store
        .record_discussion(&caller, (id, case), &summary, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/cases/{case}/decisions",
    params(("id" = Uuid, Path, description = "Meeting id"), ("case" = Uuid, Path, description = "Case id")),
    request_body = RawDecision,
    responses((status = 201, body = Created), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn record_decision(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, case)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Problem> {
    may_see(&caller)?;
    let (id, case) = two_ids(&id, &case)?;
    let raw: RawDecision = json_body(&body)?;
    let decision = NewDecision::parse(&raw).map_err(Problem::invalid)?;
    let created_id = state
        .store
        .record_decision(&caller, (id, case), decision, state.clock.now())
        .await?;
    Ok(created(created_id, format!("/api/v1/cases/{case}")))
}

#[utoipa::path(post, path = "/api/v1/decisions/{id}/actions", params(("id" = Uuid, Path, description = "Decision id")),
    request_body = RawAction,
    responses((status = 201, body = Created), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn add_action(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Problem> {
    may_see(&caller)?;
    let id = parse_id(&id)?;
    let raw: RawAction = json_body(&body)?;
    let action = NewAction::parse(&raw).map_err(Problem::invalid)?;
    let created_id = state
        .store
        .add_action(&caller, id, action, state.clock.now())
        .await?;
    Ok(created(created_id, "/api/v1/actions".into()))
}

#[utoipa::path(get, path = "/api/v1/actions",
    responses((status = 200, body = ActionList), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn my_actions(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<ActionList>, Problem> {
    may_see(&caller)?;
    let items = state.store.my_actions(&caller, state.clock.now()).await?;
    Ok(Json(ActionList { items }))
}

#[utoipa::path(post, path = "/api/v1/actions/{id}/status-changes", params(("id" = Uuid, Path, description = "Action id")),
    request_body = ActionStatusRequest,
    responses((status = 204), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn change_action_status(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, Problem> {
    may_see(&caller)?;
    let id = parse_id(&id)?;
    let request: ActionStatusRequest = json_body(&body)?;
    let to = ActionStatus::parse(&request.status).map_err(|p| {
        let mut errors = ValidationErrors::new();
        errors.push("status", p);
        Problem::invalid(errors)
    })?;
    state
        .store
        .change_action_status(&caller, id, to, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/agenda-requests", params(("id" = Uuid, Path, description = "Case id")),
    request_body = AgendaRequestBody,
    responses((status = 204), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn request_agenda(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, Problem> {
    may_see(&caller)?;
    let id = parse_id(&id)?;
    let request: AgendaRequestBody = json_body(&body)?;
    let request = AgendaRequest::parse(&request.reason).map_err(Problem::invalid)?;
    state
        .store
        .request_agenda(&caller, id, &request, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
