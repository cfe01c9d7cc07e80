//! `/api/v1/interventions` and `/api/v1/deadlines`: the register of interventions (issue
//! 15) as the store lets the caller see it — the Bibob compartment only for the owning
//! organisation's bibob-coördinators. The representations are the domain's own
//! (`baken_core::intervention`).

use super::*;
use baken_core::intervention::{
    Deadline, InterventionDetail, InterventionFilter, InterventionKind, InterventionSummary,
    NewArt28, NewIntervention, NewParty, NewStep, RawArt28, RawChange, RawIntervention, RawParty,
    RawStep,
};

pub(super) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/interventions", list_interventions)
        .post("/interventions", create_intervention)
        .get("/interventions/figures", figures)
        .get("/interventions/{id}", get_intervention)
        .post("/interventions/{id}", change_intervention)
        .post("/interventions/{id}/steps", record_step)
        .post("/interventions/{id}/parties", add_party)
        .post("/interventions/{id}/disclosures", disclose)
        .post("/interventions/{id}/links", link)
        .get("/deadlines", deadlines)
}

/// Refuses roles that see no intervention at all before anything is read.
fn may_see(caller: &Caller) -> Result<(), Problem> {
    if caller.may_see_cases() || caller.has(baken_core::Role::BibobCoordinator) {
        Ok(())
    } else {
        Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Niet toegestaan",
            Some("uw rol geeft geen toegang tot het interventieregister".into()),
        ))
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InterventionList {
    pub items: Vec<InterventionSummary>,
    #[serde(flatten)]
    pub paging: Paging,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeadlineList {
    pub items: Vec<Deadline>,
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct InterventionQuery {
    /// The kind (`bibob`, `sluiting-13b`, `last-onder-dwangsom`, `bestuursdwang`,
    /// `integrale-controle`, `zorgverwijzing`, `verwijzing-partner`).
    #[serde(default)]
    pub kind: Option<String>,
    /// Only those on this case.
    #[serde(default)]
    pub case: Option<String>,
    /// `nextCursor` or `previousCursor` of another page of the same list.
    #[serde(default)]
    pub cursor: Option<String>,
    /// 1 to 100 (default 25).
    #[serde(default)]
    pub page_size: Option<String>,
}

fn one_problem(field: &str, problem: baken_core::validation::Problem) -> Problem {
    let mut errors = ValidationErrors::new();
    errors.push(field, problem);
    Problem::invalid(errors)
}

#[utoipa::path(get, path = "/api/v1/interventions", params(InterventionQuery),
    responses((status = 200, body = InterventionList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn list_interventions(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<InterventionQuery>,
) -> Result<Json<InterventionList>, Problem> {
    may_see(&caller)?;
    let kind = match query.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) => Some(InterventionKind::parse(k).map_err(|p| one_problem("kind", p))?),
    };
    let case = match query.case.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(parse_id(c)?),
    };
    let page = page_request(query.cursor.as_deref(), query.page_size.as_deref())?;
    let found = state
        .store
        .interventions(
            &caller,
            InterventionFilter {
                kind,
                case,
                ..InterventionFilter::default()
            },
            page,
            state.clock.now(),
        )
        .await?;
    Ok(Json(InterventionList {
        paging: Paging::of(&found),
        items: found.items,
    }))
}

#[utoipa::path(post, path = "/api/v1/interventions", request_body = RawIntervention,
    responses((status = 201, body = InterventionDetail), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn create_intervention(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Bytes,
) -> Result<Response, Problem> {
    if !InterventionKind::ALL
        .iter()
        .any(|k| caller.may_register_intervention(*k))
    {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Niet toegestaan",
            Some(
                baken_app::wording::denied(baken_core::access::Denied::RegisterIntervention).into(),
            ),
        ));
    }
    let raw: RawIntervention = json_body(&body)?;
    let now = state.clock.now();
    let new = NewIntervention::parse(&raw, baken_core::calendar::local_date(now))
        .map_err(Problem::invalid)?;
    let id = state.store.create_intervention(&caller, new, now).await?;
    let detail = state.store.intervention(&caller, id, now).await?;
    let mut response = (StatusCode::CREATED, Json(detail)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/interventions/{id}")) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/interventions/{id}", params(("id" = Uuid, Path, description = "Intervention id")),
    responses((status = 200, body = InterventionDetail), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn get_intervention(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<InterventionDetail>, Problem> {
    may_see(&caller)?;
    let id = parse_id(&id)?;
    Ok(Json(
        state
            .store
            .intervention(&caller, id, state.clock.now())
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/interventions/{id}", params(("id" = Uuid, Path, description = "Intervention id")), request_body = RawChange,
    responses((status = 200, body = InterventionDetail), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn change_intervention(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<InterventionDetail>, Problem> {
    may_see(&caller)?;
    let id = parse_id(&id)?;
    let raw: RawChange = json_body(&body)?;
    let now = state.clock.now();
    state
        .store
        .change_intervention(&caller, id, &raw, now)
        .await?;
    Ok(Json(state.store.intervention(&caller, id, now).await?))
}

#[utoipa::path(post, path = "/api/v1/interventions/{id}/steps", params(("id" = Uuid, Path, description = "Intervention id")), request_body = RawStep,
    responses((status = 200, body = InterventionDetail), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn record_step(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<InterventionDetail>, Problem> {
    may_see(&caller)?;
    let id = parse_id(&id)?;
    let raw: RawStep = json_body(&body)?;
    let now = state.clock.now();
    let step =
        NewStep::parse(&raw, baken_core::calendar::local_date(now)).map_err(Problem::invalid)?;
    state.store.record_step(&caller, id, step, now).await?;
    Ok(Json(state.store.intervention(&caller, id, now).await?))
}

#[utoipa::path(post, path = "/api/v1/interventions/{id}/parties", params(("id" = Uuid, Path, description = "Intervention id")), request_body = RawParty,
    responses((status = 200, body = InterventionDetail), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn add_party(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<InterventionDetail>, Problem> {
    may_see(&caller)?;
    let id = parse_id(&id)?;
    let raw: RawParty = json_body(&body)?;
    let party = NewParty::parse(&raw).map_err(Problem::invalid)?;
    let now = state.clock.now();
    state.store.add_party(&caller, id, party, now).await?;
    Ok(Json(state.store.intervention(&caller, id, now).await?))
}

#[utoipa::path(post, path = "/api/v1/interventions/{id}/disclosures", params(("id" = Uuid, Path, description = "Bibob screening id")), request_body = RawArt28,
    responses((status = 200, body = InterventionDetail), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn disclose(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<InterventionDetail>, Problem> {
    may_see(&caller)?;
    let id = parse_id(&id)?;
    let raw: RawArt28 = json_body(&body)?;
    let now = state.clock.now();
    let disclosure =
        NewArt28::parse(&raw, baken_core::calendar::local_date(now)).map_err(Problem::invalid)?;
    state
        .store
        .disclose_bibob(&caller, id, disclosure, now)
        .await?;
    Ok(Json(state.store.intervention(&caller, id, now).await?))
}

#[utoipa::path(get, path = "/api/v1/deadlines",
    responses((status = 200, body = DeadlineList), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn deadlines(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<DeadlineList>, Problem> {
    may_see(&caller)?;
    let items = state.store.deadlines(&caller, state.clock.now()).await?;
    Ok(Json(DeadlineList { items }))
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// The year (interventions opened in it); this year when left out.
    #[serde(default)]
    pub year: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/interventions/figures", params(FiguresQuery),
    responses((status = 200, body = baken_core::intervention::figures::InterventionFigures), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn figures(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<FiguresQuery>,
) -> Result<Json<baken_core::intervention::figures::InterventionFigures>, Problem> {
    if !caller.may_see_counts() && may_see(&caller).is_err() {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Niet toegestaan",
            Some("uw rol geeft geen toegang tot de cijfers van het interventieregister".into()),
        ));
    }
    let now = state.clock.now();
    let this_year = baken_core::calendar::local_date(now).year();
    let year = match query.year.as_deref().map(str::trim) {
        None | Some("") => this_year,
        Some(y) => match y.parse::<i32>() {
            Ok(y) if (2000..=this_year).contains(&y) => y,
            _ => {
                let mut errors = ValidationErrors::new();
                errors.push_worded(
                    "year",
                    format!("kies een jaar van 2000 tot en met {this_year}"),
                );
                return Err(Problem::invalid(errors));
            }
        },
    };
    Ok(Json(
        state
            .store
            .intervention_figures(&caller, year, state.config.suppression, now)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/interventions/{id}/links", operation_id = "link_intervention", params(("id" = Uuid, Path, description = "Intervention id")), request_body = baken_core::intervention::RawLink,
    responses((status = 200, body = InterventionDetail), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn link(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<InterventionDetail>, Problem> {
    may_see(&caller)?;
    let id = parse_id(&id)?;
    let raw: baken_core::intervention::RawLink = json_body(&body)?;
    let target = raw.parse().map_err(Problem::invalid)?;
    let now = state.clock.now();
    state
        .store
        .link_intervention(&caller, id, target, now)
        .await?;
    Ok(Json(state.store.intervention(&caller, id, now).await?))
}
