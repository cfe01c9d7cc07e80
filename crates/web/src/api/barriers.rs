//! `/api/v1/barrier-models` and `/api/v1/barriers/{id}/…`: the organisation's barrier models
//! with their coverage, assessments, and tagging an intervention or signal with a barrier
//! (issue 15, pt 7).

use super::*;
use baken_core::barrier::{
    BarrierModel, BarrierModelSummary, NewAssessment, RawAssessment, TagTarget,
};

pub(super) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/barrier-models", list_models)
        .get("/barrier-models/{id}", get_model)
        .post("/barriers/{id}/assessments", assess)
        .post("/barriers/{id}/tags", tag)
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BarrierModelList {
    pub items: Vec<BarrierModelSummary>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TagRequest {
    /// An intervention id…
    #[serde(default)]
    pub intervention: Option<String>,
    /// …or a signal id (one of the two).
    #[serde(default)]
    pub signal: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/barrier-models",
    responses((status = 200, body = BarrierModelList), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn list_models(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<BarrierModelList>, Problem> {
    let items = state
        .store
        .barrier_models(&caller, state.clock.now())
        .await?;
    Ok(Json(BarrierModelList { items }))
}

#[utoipa::path(get, path = "/api/v1/barrier-models/{id}", params(("id" = Uuid, Path, description = "Barrier model id")),
    responses((status = 200, body = BarrierModel), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn get_model(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<BarrierModel>, Problem> {
    let id = parse_id(&id)?;
    Ok(Json(
        state
            .store
            .barrier_model(&caller, id, state.clock.now())
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/barriers/{id}/assessments", params(("id" = Uuid, Path, description = "Barrier id")), request_body = RawAssessment,
    responses((status = 204), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn assess(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, Problem> {
    let id = parse_id(&id)?;
    let raw: RawAssessment = json_body(&body)?;
    let now = state.clock.now();
    let assessment = NewAssessment::parse(&raw, baken_core::calendar::local_date(now))
        .map_err(Problem::invalid)?;
    state
        .store
        .assess_barrier(&caller, id, assessment, now)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/barriers/{id}/tags", params(("id" = Uuid, Path, description = "Barrier id")), request_body = TagRequest,
    responses((status = 204), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn tag(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, Problem> {
    let id = parse_id(&id)?;
    let request: TagRequest = json_body(&body)?;
    let target = match (
        request
            .intervention
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
        request
            .signal
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
    ) {
        (Some(i), None) => TagTarget::Intervention(parse_id(i)?),
        (None, Some(s)) => TagTarget::Signal(parse_id(s)?),
        _ => {
            let mut errors = ValidationErrors::new();
            errors.push(
                "intervention",
                baken_core::validation::Problem::Missing(
                    baken_core::validation::Missing::TagTarget,
                ),
            );
            return Err(Problem::invalid(errors));
        }
    };
    state
        .store
        .tag_barrier(&caller, id, target, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
