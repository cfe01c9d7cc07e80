//! `/interventies/cijfers`: the register's figures for a year — per kind what the reader may
//! see, the Bibob screenings exact inside the compartment and suppressed outside it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use baken_app::labels::Label;
use std::collections::HashMap;

use crate::interventions::{no_access, sees_interventions, MISSING};
use crate::ui::{message, refused, render, Nav, Session};
use crate::AppState;

struct FigureRow {
    label: &'static str,
    shown: String,
}

#[derive(Template)]
#[template(path = "intervention_figures.html")]
struct FiguresPage {
    nav: Option<Nav>,
    year: i32,
    bibob_exact: bool,
    threshold: u64,
    kinds: Vec<FigureRow>,
    decision_kinds: Vec<FigureRow>,
    outcomes: Vec<FigureRow>,
    advice: String,
}

pub(crate) async fn figures(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !session.caller.may_see_counts() && !sees_interventions(&session) {
        return no_access(&session);
    }
    let now = state.clock.now();
    let this_year = baken_core::calendar::local_date(now).year();
    let year = match q.get("jaar").map(|y| y.trim()) {
        None | Some("") => this_year,
        Some(y) => match y.parse::<i32>() {
            Ok(y) if (2000..=this_year).contains(&y) => y,
            _ => {
                return message(
                    StatusCode::BAD_REQUEST,
                    session.nav(),
                    "Dat lukte niet",
                    &format!("jaar: kies een jaar van 2000 tot en met {this_year}"),
                )
            }
        },
    };
    let suppression = state.config.suppression;
    match state
        .store
        .intervention_figures(&session.caller, year, suppression, now)
        .await
    {
        Ok(f) => render(
            StatusCode::OK,
            &FiguresPage {
                nav: session.nav(),
                year,
                bibob_exact: f.bibob_exact,
                threshold: suppression.threshold,
                kinds: f
                    .kinds
                    .iter()
                    .map(|k| FigureRow {
                        label: k.kind.label(),
                        shown: k.count.shown.clone(),
                    })
                    .collect(),
                decision_kinds: f
                    .bibob_by_decision_kind
                    .iter()
                    .map(|k| FigureRow {
                        label: k.decision_kind.map_or("nog niet bekend", |d| d.label()),
                        shown: k.count.shown.clone(),
                    })
                    .collect(),
                outcomes: f
                    .bibob_by_outcome
                    .iter()
                    .map(|o| FigureRow {
                        label: o.outcome.map_or("nog geen uitkomst", |d| d.label()),
                        shown: o.count.shown.clone(),
                    })
                    .collect(),
                advice: f.bibob_advice_requests.shown,
            },
        ),
        Err(e) => refused(&session, e, MISSING),
    }
}
