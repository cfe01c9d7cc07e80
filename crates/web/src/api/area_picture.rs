//! `/api/v1/areas/{code}`: an area's own picture, as its page shows it (issue 17, pt 5) —
//! the area among the others of its kind per theme (rate, smoothed rate, index, class), its
//! neighbours' classes for the chosen theme, and its signals per month over two years;
//! counts suppressed for lezers as on the page.

use super::reference::{AreaResponse, CountResponse};
use super::*;
use baken_core::picture::PictureInput;

pub(super) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new().get("/areas/{code}", area_picture)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AreaPictureQuery {
    /// A theme code of the catalogue; absent for all themes.
    pub theme: Option<String>,
    /// `inwoners` (default), `woningen`, `bedrijfsvestigingen` or `oppervlakte`.
    pub base: Option<String>,
}

/// The area on one theme (or all), among the others of its kind.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AreaThemeFigures {
    /// Absent for all themes together.
    pub theme: Option<String>,
    #[serde(flatten)]
    pub figures: super::RowFigures,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NeighbourFigures {
    pub code: String,
    pub name: String,
    /// Its class on the chosen theme.
    pub class: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AreaPicture {
    pub area: AreaResponse,
    pub theme: Option<String>,
    pub base: String,
    /// Whether counts are the caller's organisation's, with small counts suppressed.
    pub aggregated: bool,
    /// All themes first, then each theme of the catalogue (empty for a gemeente, which is
    /// not compared).
    pub themes: Vec<AreaThemeFigures>,
    pub neighbours: Vec<NeighbourFigures>,
    /// Signals per month (`YYYY-MM`) over the last 24 months, oldest first.
    pub months: Vec<CountResponse>,
}

#[utoipa::path(get, path = "/api/v1/areas/{code}", params(("code" = String, Path, description = "CBS or custom area code"), AreaPictureQuery),
    responses((status = 200, body = AreaPicture), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub(super) async fn area_picture(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(code): Path<String>,
    ApiQuery(query): ApiQuery<AreaPictureQuery>,
) -> Result<Json<AreaPicture>, Problem> {
    let not_found = || Problem::new(StatusCode::NOT_FOUND, "Niet gevonden", None);
    let code = baken_core::identifiers::AreaCode::parse(&code).map_err(|_| not_found())?;
    let area = state
        .store
        .area(code.as_str())
        .await?
        .ok_or_else(not_found)?;
    let catalogue = state.store.catalogue().await?;
    let picture = PictureInput {
        level: Some(area.kind.slug().to_string()),
        theme: query.theme,
        base: query.base,
        ..Default::default()
    }
    .parse(&catalogue)
    .map_err(Problem::invalid)?;
    let baken_app::picture::AreaPicture {
        comparison,
        months: monthly,
        owners: _,
    } = state
        .ops
        .area_picture(&caller, (&area, &code), &picture, &catalogue)
        .await?;
    let suppressed = state.config.suppression.label();
    let themes = comparison
        .iter()
        .flat_map(|c| c.themes.iter())
        .map(|t| AreaThemeFigures {
            theme: t.theme.clone(),
            figures: super::RowFigures::of(&t.row, baken_app::picture::ALPHA, &suppressed),
        })
        .collect();
    let neighbours = comparison
        .iter()
        .flat_map(|c| c.neighbours.iter())
        .map(|(a, class)| NeighbourFigures {
            code: a.code.clone(),
            name: a.name.clone(),
            class: class.slug().into(),
        })
        .collect();
    let months = monthly
        .months
        .into_iter()
        .map(|(key, shown)| CountResponse {
            key,
            value: shown.value,
            shown: shown.shown,
        })
        .collect();
    Ok(Json(AreaPicture {
        area: AreaResponse {
            code: area.code,
            name: area.name,
            kind: area.kind.slug().into(),
            year: area.year,
            parent: area.parent,
        },
        theme: picture.filter.theme.clone(),
        base: picture.base.slug().into(),
        aggregated: monthly.aggregated,
        themes,
        neighbours,
        months,
    }))
}
