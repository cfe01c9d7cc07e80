//! `/api/v1/commitments`: the plan's commitments with status, history and links (issue 16,
//! pt 1).

use super::*;
use baken_core::commitment::{
    Commitment, CommitmentStatusChange, NewCommitment, NewCommitmentLink, RawCommitment,
    RawCommitmentLink, RawCommitmentStatus,
};

pub(super) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/commitments", list_commitments)
        .post("/commitments", create_commitment)
        .post("/commitments/{id}/status-changes", change_status)
        .post("/commitments/{id}/links", link)
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommitmentList {
    pub items: Vec<Commitment>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommitmentCreated {
    pub id: Uuid,
}

fn may_manage(caller: &Caller) -> Result<(), Problem> {
    if caller.may_manage_commitments() {
        Ok(())
    } else {
        Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Niet toegestaan",
            Some(baken_app::wording::denied(baken_core::access::Denied::ManageCommitments).into()),
        ))
    }
}

#[utoipa::path(get, path = "/api/v1/commitments",
    responses((status = 200, body = CommitmentList), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn list_commitments(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<CommitmentList>, Problem> {
    let items = state.store.commitments(&caller, state.clock.now()).await?;
    Ok(Json(CommitmentList { items }))
}

#[utoipa::path(post, path = "/api/v1/commitments", request_body = RawCommitment,
    responses((status = 201, body = CommitmentCreated), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn create_commitment(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Bytes,
) -> Result<Response, Problem> {
    may_manage(&caller)?;
    let raw: RawCommitment = json_body(&body)?;
    let new = NewCommitment::parse(&raw).map_err(Problem::invalid)?;
    let id = state
        .store
        .create_commitment(&caller, new, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(CommitmentCreated { id })).into_response())
}

#[utoipa::path(post, path = "/api/v1/commitments/{id}/status-changes", operation_id = "change_commitment_status", params(("id" = Uuid, Path, description = "Commitment id")), request_body = RawCommitmentStatus,
    responses((status = 204), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn change_status(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, Problem> {
    may_manage(&caller)?;
    let id = parse_id(&id)?;
    let raw: RawCommitmentStatus = json_body(&body)?;
    let change = CommitmentStatusChange::parse(&raw).map_err(Problem::invalid)?;
    state
        .store
        .change_commitment_status(&caller, id, change, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/commitments/{id}/links", operation_id = "link_commitment", params(("id" = Uuid, Path, description = "Commitment id")), request_body = RawCommitmentLink,
    responses((status = 204), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn link(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, Problem> {
    may_manage(&caller)?;
    let id = parse_id(&id)?;
    let raw: RawCommitmentLink = json_body(&body)?;
    let link = NewCommitmentLink::parse(&raw).map_err(Problem::invalid)?;
    state
        .store
        .link_commitment(&caller, id, link, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
