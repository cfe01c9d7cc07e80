//! `/api/v1/activities`: the organisation's activities (issue 15, pt 8).

use super::*;
use baken_core::activity::{Activity, NewActivity, RawActivity};

pub(super) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/activities", list_activities)
        .post("/activities", record_activity)
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityList {
    pub items: Vec<Activity>,
    #[serde(flatten)]
    pub paging: Paging,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityCreated {
    pub id: Uuid,
}

#[utoipa::path(get, path = "/api/v1/activities", params(PageQuery),
    responses((status = 200, body = ActivityList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn list_activities(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<ActivityList>, Problem> {
    let page = match query.page() {
        Ok(page) => page,
        // A role that sees no activities is refused by the store (and recorded) whatever it
        // asked for.
        Err(problem) if caller.may_see_activities() => return Err(problem),
        Err(_) => baken_core::page::PageRequest::default(),
    };
    let activities = state
        .store
        .activities(&caller, page, state.clock.now())
        .await?;
    Ok(Json(ActivityList {
        paging: Paging::of(&activities),
        items: activities.items,
    }))
}

#[utoipa::path(post, path = "/api/v1/activities", request_body = RawActivity,
    responses((status = 201, body = ActivityCreated), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn record_activity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Bytes,
) -> Result<Response, Problem> {
    if !caller.may_record_activity() {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Niet toegestaan",
            Some(baken_app::wording::denied(baken_core::access::Denied::RecordActivity).into()),
        ));
    }
    let raw: RawActivity = json_body(&body)?;
    let now = state.clock.now();
    let activity = NewActivity::parse(&raw, baken_core::calendar::local_date(now))
        .map_err(Problem::invalid)?;
    let id = state.store.record_activity(&caller, activity, now).await?;
    Ok((StatusCode::CREATED, Json(ActivityCreated { id })).into_response())
}
