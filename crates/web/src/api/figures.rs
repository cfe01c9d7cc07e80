//! `/api/v1/figures`: every figure of the council report with its definition, period,
//! suppression flag and — for a caller who may see them, in a team report — the records it
//! counts, so that a dashboard elsewhere can reuse them (issue 16, pt 5).

use super::*;
use baken_app::labels::report::definition;
use baken_app::labels::Label;
use baken_core::intervention::figures::Figure;
use baken_core::report::effects::Effect;
use baken_core::report::{
    Breakdown, FigureKey, RawReportRequest, RecordRef, ReportChapter, ReportReaders,
};

pub(super) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/figures", report_figures)
        .post("/published-figures", record_published)
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublishedFigureCreated {
    pub id: Uuid,
}

/// Records a figure published before (in a plan, an earlier report), so that the report for
/// the same period states where the records differ and where the publication contradicts
/// itself.
#[utoipa::path(post, path = "/api/v1/published-figures", request_body = baken_core::report::published::RawPublishedFigure,
    responses((status = 201, body = PublishedFigureCreated), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn record_published(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Bytes,
) -> Result<Response, Problem> {
    if !caller.may_record_published_figures() {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Niet toegestaan",
            Some(
                baken_app::wording::denied(baken_core::access::Denied::RecordPublishedFigures)
                    .into(),
            ),
        ));
    }
    let raw: baken_core::report::published::RawPublishedFigure = json_body(&body)?;
    let figure = raw.parse().map_err(Problem::invalid)?;
    let id = state
        .store
        .record_published_figure(&caller, figure, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(PublishedFigureCreated { id })).into_response())
}

/// One figure.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FigureResponse {
    pub key: FigureKey,
    pub chapter: ReportChapter,
    /// Its Dutch name, as the report prints it.
    pub title: &'static str,
    /// What it counts, as the report prints it under the figure.
    pub definition: &'static str,
    /// First day of the period (`JJJJ-MM-DD`).
    pub from: String,
    /// Last day of the period, included.
    pub until: String,
    pub count: Figure,
    /// The whole it is part of, when it is one.
    pub of: Option<Figure>,
    /// Some count of it is protected (hidden below the threshold, or rounded).
    pub suppressed: bool,
    pub breakdowns: Vec<Breakdown>,
    /// The records it counts; only for a team report by a caller who may see them.
    pub records: Option<Vec<RecordRef>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FiguresResponse {
    pub from: String,
    pub until: String,
    pub readers: ReportReaders,
    /// Counts below this are hidden where a figure is protected.
    pub threshold: u64,
    pub bibob_exact: bool,
    pub figures: Vec<FigureResponse>,
    pub effects: Vec<Effect>,
    pub differences: Vec<baken_core::report::published::Difference>,
    pub contradictions: Vec<baken_core::report::published::Contradiction>,
}

#[utoipa::path(get, path = "/api/v1/figures", params(RawReportRequest),
    responses((status = 200, body = FiguresResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn report_figures(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<RawReportRequest>,
) -> Result<Json<FiguresResponse>, Problem> {
    let now = state.clock.now();
    let request = query
        .parse(
            baken_core::calendar::local_date(now),
            state.config.suppression,
            caller.sees_only_aggregates(),
        )
        .map_err(Problem::invalid)?;
    let report = state.store.report(&caller, &request, &(), now).await?;
    let (from, until) = (
        baken_core::signal::format_date(report.from),
        baken_core::signal::format_date(report.until),
    );
    Ok(Json(FiguresResponse {
        from: from.clone(),
        until: until.clone(),
        readers: report.readers,
        threshold: report.threshold,
        bibob_exact: report.bibob_exact,
        figures: report
            .figures()
            .map(|f| FigureResponse {
                key: f.key,
                chapter: f.chapter,
                title: f.key.label(),
                definition: definition(f.key),
                from: from.clone(),
                until: until.clone(),
                count: f.count.clone(),
                of: f.of.clone(),
                suppressed: f.suppressed,
                breakdowns: f.breakdowns.clone(),
                records: f.records.clone(),
            })
            .collect(),
        effects: report.effects.clone(),
        differences: report.differences.clone(),
        contradictions: report.contradictions.clone(),
    }))
}
