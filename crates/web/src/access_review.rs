//! Beheer → Toegangsreview: the yearly review of access rights per organisation (issue 18,
//! pt 3; BIO2 9.2.5) — who has which roles, when each account was last used, and what needs
//! attention — as a page and as CSV. The store records every reading.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use baken_app::access_review::{AccessReview, OrganisationReview};
use baken_core::access::Denied;
use baken_core::access_review::PERIOD_DAYS;
use baken_store::StoreError;
use uuid::Uuid;

use crate::ui::{internal, message, refused, render, Nav, SelectOption, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/beheer/toegangsreview", page)
        .get("/beheer/toegangsreview.csv", export)
}

const MISSING: &str = "Deze organisatie bestaat niet.";

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Filter {
    organisatie: String,
}

#[derive(Template)]
#[template(path = "access_review.html")]
struct ReviewPage {
    nav: Option<Nav>,
    organisations: Vec<SelectOption>,
    /// The query of the CSV link (the same organisation).
    csv_query: String,
    today: String,
    since: String,
    review: Vec<OrganisationReview>,
}

/// The review the caller asked for, after checking that they administer (before the
/// request's content is read).
async fn reviewed(
    state: &AppState,
    session: &Session,
    filter: &Filter,
) -> Result<(AccessReview, Vec<SelectOption>), Response> {
    if !session.caller.may_administer() {
        return Err(refused(
            session,
            StoreError::Forbidden(Denied::Administer),
            MISSING,
        ));
    }
    let only = match filter.organisatie.trim() {
        "" => None,
        text => match Uuid::parse_str(text) {
            Ok(id) => Some(id),
            Err(_) => {
                return Err(message(
                    StatusCode::BAD_REQUEST,
                    session.nav(),
                    "Dat lukte niet",
                    "Organisatie: kies een organisatie uit de lijst.",
                ))
            }
        },
    };
    let organisations = state.store.organisations().await.map_err(internal)?;
    if only.is_some_and(|id| organisations.iter().all(|o| o.id != id)) {
        return Err(refused(session, StoreError::NotFound, MISSING));
    }
    let now = state.clock.now();
    let since = now - time::Duration::days(PERIOD_DAYS);
    let accounts = state
        .store
        .access_review(&session.caller, since, now)
        .await
        .map_err(|e| refused(session, e, MISSING))?;
    let review = baken_app::access_review::review(
        &accounts,
        &organisations,
        only,
        &state.config.sign_in,
        since,
        now,
    );
    let options = organisations
        .iter()
        .map(|o| SelectOption {
            value: o.id.to_string(),
            label: o.name.clone(),
            selected: only == Some(o.id),
        })
        .collect();
    Ok((review, options))
}

async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(filter): Query<Filter>,
) -> Response {
    let (review, organisations) = match reviewed(&state, &session, &filter).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let csv_query = match filter.organisatie.trim() {
        "" => String::new(),
        id => format!("?organisatie={id}"),
    };
    render(
        StatusCode::OK,
        &ReviewPage {
            nav: session.nav(),
            organisations,
            csv_query,
            today: baken_app::wording::day(review.today),
            since: baken_app::wording::day(review.since),
            review: review.organisations,
        },
    )
}

async fn export(
    State(state): State<AppState>,
    session: Session,
    Query(filter): Query<Filter>,
) -> Response {
    let (review, _) = match reviewed(&state, &session, &filter).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let Ok(body) = baken_app::access_review::csv(&review) else {
        return internal(StoreError::Corrupt("csv".into()));
    };
    crate::ui::download(
        body,
        "text/csv; charset=utf-8",
        &format!("toegangsreview-{}.csv", review.today),
    )
}
