//! `/api/v1/catalogue`, `/api/v1/areas`, `/api/v1/visits` and `/api/v1/counts`: what the
//! pages show of the catalogue, the areas, field visits and counts per area, month or
//! organisation (issue 17, pt 5) — camelCase fields, ISO dates, the caller's view only
//! (counts suppressed for lezers as on the map).

use super::*;
use baken_core::field::VisitKind;
use baken_core::model::AreaKind;
use baken_core::picture::{CountGroup, CountQuery};

pub(super) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/catalogue", catalogue)
        .get("/areas", areas)
        .get("/visits", visits)
        .get("/visits/{id}", visit)
        .get("/counts", counts)
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IndicatorResponse {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ThemeResponse {
    pub code: String,
    pub name: String,
    /// Working days for triage; absent: the configured default.
    pub deadline_working_days: Option<u32>,
    pub indicators: Vec<IndicatorResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CatalogueResponse {
    pub themes: Vec<ThemeResponse>,
}

#[utoipa::path(get, path = "/api/v1/catalogue",
    responses((status = 200, body = CatalogueResponse), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn catalogue(
    State(state): State<AppState>,
    ApiCaller(_): ApiCaller,
) -> Result<Json<CatalogueResponse>, Problem> {
    let catalogue = std::sync::Arc::unwrap_or_clone(state.store.catalogue().await?);
    Ok(Json(CatalogueResponse {
        themes: catalogue
            .themes
            .into_iter()
            .map(|t| ThemeResponse {
                code: t.code,
                name: t.name,
                deadline_working_days: t.deadline_working_days,
                indicators: t
                    .indicators
                    .into_iter()
                    .map(|i| IndicatorResponse {
                        code: i.code,
                        name: i.name,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, rename_all = "camelCase")]
pub struct AreasQuery {
    /// gemeente, wijk (the default), buurt, bedrijventerrein or buitengebied.
    pub kind: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AreaResponse {
    pub code: String,
    pub name: String,
    pub kind: String,
    /// The year of the boundaries.
    pub year: i32,
    pub parent: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AreaList {
    pub items: Vec<AreaResponse>,
}

/// A required coded query parameter, or the problem naming it.
fn coded<T>(
    name: &str,
    text: Option<&str>,
    parse: fn(&str) -> Result<T, baken_core::validation::Problem>,
) -> Result<T, Problem> {
    parse(text.unwrap_or("").trim()).map_err(|p| {
        let mut e = ValidationErrors::new();
        e.push(name, p);
        Problem::invalid(e)
    })
}

#[utoipa::path(get, path = "/api/v1/areas", params(AreasQuery),
    responses((status = 200, body = AreaList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn areas(
    State(state): State<AppState>,
    ApiCaller(_): ApiCaller,
    ApiQuery(query): ApiQuery<AreasQuery>,
) -> Result<Json<AreaList>, Problem> {
    let kind = coded(
        "kind",
        query.kind.as_deref().or(Some("wijk")),
        AreaKind::parse,
    )?;
    let items = state
        .store
        .areas(kind)
        .await?
        .into_iter()
        .map(|a| AreaResponse {
            code: a.code,
            name: a.name,
            kind: a.kind.slug().into(),
            year: a.year,
            parent: a.parent,
        })
        .collect();
    Ok(Json(AreaList { items }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, rename_all = "camelCase")]
pub struct VisitsQuery {
    /// erfbezoek (the default), schouw or integrale-controle.
    pub kind: Option<String>,
    /// `nextCursor` or `previousCursor` of another page of the same list.
    pub cursor: Option<String>,
    /// 1 to 100 (default 25).
    pub page_size: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VisitResponse {
    pub id: Uuid,
    pub kind: String,
    /// ISO 8601 day.
    pub visited_on: String,
    pub object_name: Option<String>,
    pub location: Option<String>,
    pub area_code: Option<String>,
    pub by_name: String,
    pub findings: u64,
    pub findings_as_signals: u64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VisitList {
    pub items: Vec<VisitResponse>,
    #[serde(flatten)]
    pub paging: super::Paging,
}

#[utoipa::path(get, path = "/api/v1/visits", params(VisitsQuery),
    responses((status = 200, body = VisitList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn visits(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<VisitsQuery>,
) -> Result<Json<VisitList>, Problem> {
    let kind = coded(
        "kind",
        query.kind.as_deref().or(Some("erfbezoek")),
        VisitKind::parse,
    )?;
    let page = super::page_request(query.cursor.as_deref(), query.page_size.as_deref())?;
    let found = state
        .store
        .visits(&caller, kind, page, state.clock.now())
        .await?;
    Ok(Json(VisitList {
        paging: super::Paging::of(&found),
        items: found.items.into_iter().map(visit_response).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChecklistAnswer {
    pub question: String,
    /// ja, nee or nvt; absent when not answered.
    pub answer: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FindingResponse {
    pub position: u32,
    pub text: String,
    /// The signal made of it, if one was (and the caller may know it).
    pub signal: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VisitDetailResponse {
    #[serde(flatten)]
    pub visit: VisitResponse,
    pub answers: Vec<ChecklistAnswer>,
    pub notes: Option<String>,
    pub findings: Vec<FindingResponse>,
}

fn visit_response(v: baken_store::VisitSummary) -> VisitResponse {
    VisitResponse {
        id: v.id,
        kind: v.kind.slug().into(),
        visited_on: baken_core::signal::format_date(v.visited_on),
        object_name: v.object_name,
        location: v.location,
        area_code: v.area_code,
        by_name: v.by_name,
        findings: v.findings,
        findings_as_signals: v.findings_as_signals,
    }
}

#[utoipa::path(get, path = "/api/v1/visits/{id}", params(("id" = Uuid, Path, description = "Visit id")),
    responses((status = 200, body = VisitDetailResponse), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn visit(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<VisitDetailResponse>, Problem> {
    let id = parse_id(&id)?;
    let detail = state.store.visit(&caller, id, state.clock.now()).await?;
    Ok(Json(VisitDetailResponse {
        visit: visit_response(detail.summary),
        answers: detail
            .answers
            .into_iter()
            .map(|(question, answer)| ChecklistAnswer {
                question,
                answer: answer.map(|a| a.slug().to_string()),
            })
            .collect(),
        notes: detail.notes,
        findings: detail
            .findings
            .into_iter()
            .map(|f| FindingResponse {
                position: f.position,
                text: f.text,
                signal: f.signal,
            })
            .collect(),
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, rename_all = "camelCase")]
pub struct CountsQuery {
    /// What to count per: gemeente, wijk (the default), buurt, bedrijventerrein, buitengebied
    /// (areas), month or organisation.
    pub per: Option<String>,
    pub theme: Option<String>,
    pub indicator: Option<String>,
    /// First day (ISO 8601 or dd-mm-jjjj).
    pub received_from: Option<String>,
    /// Last day.
    pub received_until: Option<String>,
    pub area_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CountResponse {
    /// The area code, month (`YYYY-MM`) or organisation.
    pub key: String,
    /// Absent when suppressed (below the threshold, for lezers).
    pub value: Option<u64>,
    /// As the pages show it ("<5" when suppressed).
    pub shown: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CountsResponse {
    /// Whether the counts are aggregates with small numbers suppressed (lezers).
    pub aggregated: bool,
    pub total: CountResponse,
    /// Groups with at least one signal, by key.
    pub groups: Vec<CountResponse>,
}

#[utoipa::path(get, path = "/api/v1/counts", params(CountsQuery),
    responses((status = 200, body = CountsResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn counts(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<CountsQuery>,
) -> Result<Json<CountsResponse>, Problem> {
    let per = query.per.as_deref().unwrap_or("wijk").trim();
    let group = match per {
        "month" => CountGroup::Month,
        "organisation" => CountGroup::Organisation,
        other => CountGroup::Area(coded("per", Some(other), AreaKind::parse)?),
    };
    let input = SignalFilterInput {
        theme: query.theme,
        indicator: query.indicator,
        received_from: query.received_from,
        received_until: query.received_until,
        area_code: query.area_code,
        ..Default::default()
    };
    let catalogue = super::codes_checked_against(&state, &input).await?;
    let (filter, _) = input.parse(&catalogue).map_err(Problem::invalid)?;
    let counts = state
        .store
        .signal_counts(
            &caller,
            &CountQuery { filter, group },
            state.config.suppression,
            state.clock.now(),
        )
        .await?;
    let shown = |key: String, c: &baken_store::ShownCount| CountResponse {
        key,
        value: c.value,
        shown: c.shown.clone(),
    };
    Ok(Json(CountsResponse {
        aggregated: counts.aggregated,
        total: shown("total".into(), &counts.total),
        groups: counts
            .groups
            .iter()
            .map(|(k, c)| shown(k.clone(), c))
            .collect(),
    }))
}
