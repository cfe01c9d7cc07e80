//! Correcting a signal through the API: the signal's new state (the fields of a new signal;
//! received, source kind and retention stay as registered) with a reason. Answers the signal
//! with its corrections.

use super::*;
use baken_core::signal::{CorrectionEntry, SignalCorrection};

pub(super) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new().post("/signals/{id}/corrections", correct_signal)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CorrectionRequest {
    /// The signal as it should be: every correctable field, as when registering it (start
    /// from `GET /api/v1/signals/{id}`).
    pub signal: SignalInput,
    /// Why (optional, at most 500 characters); kept in the signal's history.
    #[serde(default)]
    pub reason: String,
}

/// One correction of a signal: who, when, why, and each field's value before and after.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CorrectionResponse {
    pub at: String,
    pub by: String,
    pub reason: String,
    pub changes: Vec<FieldChangeResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldChangeResponse {
    /// The field's name as in the request (`title`, `themes`, `areaCode`, `subjects` …).
    pub field: String,
    /// Before and after, as text: codes and slugs; subjects and relations one per line.
    pub old: String,
    pub new: String,
}

impl From<&CorrectionEntry> for CorrectionResponse {
    fn from(c: &CorrectionEntry) -> Self {
        Self {
            at: rfc3339(c.at),
            by: c.by_name.clone(),
            reason: c.reason.clone(),
            changes: c
                .changes
                .iter()
                .map(|ch| FieldChangeResponse {
                    field: ch.field.slug().into(),
                    old: ch.old.clone(),
                    new: ch.new.clone(),
                })
                .collect(),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/signals/{id}/corrections", params(("id" = Uuid, Path, description = "Signal id")),
    request_body = CorrectionRequest,
    responses((status = 201, body = SignalResponse), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub(super) async fn correct_signal(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Problem> {
    let id = parse_id(&id)?;
    let now = state.clock.now();
    // Who may not correct it learns so before the body is read (and who may not see it,
    // that it is not found).
    let current = state.store.signal(&caller, id, now).await?;
    let s = &current.signal;
    if !caller.may_correct_signal(s.classification, s.owner_org, s.created_by) {
        return Err(StoreError::Forbidden(baken_core::access::Denied::CorrectSignal).into());
    }
    let request: CorrectionRequest = json_body(&body)?;
    let catalogue = state.store.catalogue().await?;
    let correction = SignalCorrection::parse(
        &request.signal,
        &request.reason,
        &current.signal,
        &catalogue,
        &caller,
        &state.config.intake,
        now,
    )
    .map_err(Problem::invalid)?;
    let detail = state.ops.correct_signal(&caller, id, correction).await?;
    Ok((StatusCode::CREATED, Json(SignalResponse::from(detail))).into_response())
}
