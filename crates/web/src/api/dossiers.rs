//! `/api/v1/dossiers/{id}`: a dossier as the caller may see it, addressed by one of its
//! visible mentions (the number the caller knows it by), with the purpose of the reading for
//! a person (`reason`, logged with the read, as on the page).

use super::*;
use baken_core::access::DossierReason;

pub(super) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new().get("/dossiers/{id}", get_dossier)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, rename_all = "camelCase")]
pub struct DossierQuery {
    /// Why the dossier is opened (a case or a reason); required for a person.
    pub reason: Option<String>,
}

/// The problem of a read that needs a stated reason: the `reason` parameter, named.
pub(super) fn reason_problem(text: String) -> Problem {
    let mut e = ValidationErrors::new();
    e.push_worded("reason", text);
    Problem::invalid(e)
}

/// The reason the query states, if any (a too short one is refused).
pub(super) fn stated_reason(query: &DossierQuery) -> Result<Option<DossierReason>, Problem> {
    DossierReason::parse(query.reason.as_deref().unwrap_or(""))
        .map_err(|e| reason_problem(baken_app::wording::reason_too_short(e)))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DossierSubject {
    pub id: Uuid,
    pub kind: String,
    pub original: String,
    pub normalised: String,
    pub display: String,
    /// Typed details; `type` tells which fields follow (dates ISO 8601).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DossierResponse {
    /// The number the caller knows this dossier by.
    pub number: Uuid,
    pub kind: String,
    pub subjects: Vec<DossierSubject>,
    pub signals: Vec<SignalResponse>,
    pub cases: Vec<baken_core::case::CaseSummary>,
    pub interventions: Vec<baken_core::intervention::InterventionSummary>,
}

#[utoipa::path(get, path = "/api/v1/dossiers/{id}", params(("id" = Uuid, Path, description = "A visible mention's id (the dossier's number)"), DossierQuery),
    responses((status = 200, body = DossierResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn get_dossier(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<DossierQuery>,
) -> Result<Json<DossierResponse>, Problem> {
    let subject = parse_id(&id)?;
    let reason = stated_reason(&query)?;
    let dossier = match state
        .store
        .dossier_of(&caller, subject, reason.as_ref(), state.clock.now())
        .await
    {
        Ok(d) => d,
        Err(StoreError::ReasonRequired) => {
            return Err(reason_problem(baken_app::wording::REASON_REQUIRED.into()))
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Json(DossierResponse {
        number: dossier.number,
        kind: dossier.kind.slug().into(),
        subjects: dossier
            .subjects
            .iter()
            .map(|s| DossierSubject {
                id: s.id,
                kind: s.kind.slug().into(),
                original: s.original.clone(),
                normalised: s.normalised.clone(),
                display: s.details.display(),
                details: serde_json::to_value(&s.details).unwrap_or_default(),
            })
            .collect(),
        signals: dossier.signals.iter().map(SignalResponse::from).collect(),
        cases: dossier.cases,
        interventions: dossier.interventions,
    }))
}
