//! Beheer → Doelbinding: the reads of persons, cases and interventions per user and purpose,
//! for a privacy officer (the auditor) and the beheerder (issue 18, pt 4). Reads outside a case
//! the reader is named on come first and are marked. The store records every reading.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use baken_core::audit::AuditAction;
use baken_core::calendar::local_date;
use baken_core::case::PurposeKind;
use baken_core::Purpose;
use std::collections::HashMap;
use uuid::Uuid;

use crate::ui::{internal, message, refused, render, Nav, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new().get("/beheer/doelbinding", page)
}

/// The period shown when none is chosen: the last 30 days.
const DEFAULT_DAYS: i64 = 30;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Filter {
    van: String,
    tot: String,
}

struct Row {
    user: String,
    kind: &'static str,
    purpose: String,
    /// How it is classed, in words (for the marked rows).
    class: &'static str,
    outside: bool,
    reads: u64,
    last: String,
}

#[derive(Template)]
#[template(path = "purpose_review.html")]
struct ReviewPage {
    nav: Option<Nav>,
    from: String,
    until: String,
    total: u64,
    outside: u64,
    rows: Vec<Row>,
}

fn kind_label(action: AuditAction) -> &'static str {
    match action {
        AuditAction::DossierRead => "Dossier",
        AuditAction::CaseRead => "Casus",
        AuditAction::InterventionRead => "Interventie",
        _ => "Overig",
    }
}

fn class_label(kind: PurposeKind) -> &'static str {
    match kind {
        PurposeKind::Case => "casus waarop de lezer staat",
        PurposeKind::CaseOutsideMembership => "casus waarop de lezer niet staat, met reden",
        PurposeKind::StatedReason => "buiten een casus, met reden",
        PurposeKind::Routine => "buiten een casus, routinematig",
    }
}

/// A day from the filter, or what is wrong with it (naming the field).
fn day(field: &str, text: &str, default: time::Date) -> Result<time::Date, String> {
    if text.trim().is_empty() {
        return Ok(default);
    }
    baken_core::signal::parse_date(text.trim())
        .map_err(|p| format!("{field}: {}", baken_app::wording::problem(&p)))
}

async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(filter): Query<Filter>,
) -> Response {
    if !session.caller.may_read_audit() {
        return refused(
            &session,
            baken_store::StoreError::Forbidden(baken_core::access::Denied::ReadAudit),
            "",
        );
    }
    let now = state.clock.now();
    let today = local_date(now);
    let period = day(
        "Van",
        &filter.van,
        today - time::Duration::days(DEFAULT_DAYS),
    )
    .and_then(|from| day("Tot en met", &filter.tot, today).map(|until| (from, until)));
    let (from, until) = match period {
        Ok((from, until)) if from <= until => (from, until),
        Ok(_) => {
            return message(
                StatusCode::BAD_REQUEST,
                session.nav(),
                "Dat lukte niet",
                "Tot en met: kies een dag op of na de dag bij Van.",
            )
        }
        Err(text) => {
            return message(
                StatusCode::BAD_REQUEST,
                session.nav(),
                "Dat lukte niet",
                &text,
            )
        }
    };
    let reads = match state
        .store
        .purpose_reads(&session.caller, from, until, now)
        .await
    {
        Ok(r) => r,
        Err(e) => return refused(&session, e, ""),
    };
    let mut names: HashMap<Uuid, String> = HashMap::new();
    let mut rows = Vec::with_capacity(reads.len());
    for r in &reads {
        let user = match r.user {
            None => "systeem".to_string(),
            Some(id) => match names.get(&id) {
                Some(n) => n.clone(),
                None => {
                    let name = match state.store.user(id).await {
                        Ok(u) => u.map_or_else(
                            || id.to_string(),
                            |u| format!("{} ({})", u.display_name, u.email),
                        ),
                        Err(e) => return internal(e),
                    };
                    names.insert(id, name.clone());
                    name
                }
            },
        };
        let class = Purpose::kind_of(&r.purpose);
        rows.push(Row {
            user,
            kind: kind_label(r.action),
            purpose: r.purpose.clone(),
            class: class_label(class),
            outside: class.outside_a_case(),
            reads: r.reads,
            last: crate::ui::moment(r.last),
        });
    }
    // Outside a case first, then by user.
    rows.sort_by(|a, b| (!a.outside, &a.user).cmp(&(!b.outside, &b.user)));
    let total = rows.iter().map(|r| r.reads).sum();
    let outside = rows.iter().filter(|r| r.outside).map(|r| r.reads).sum();
    render(
        StatusCode::OK,
        &ReviewPage {
            nav: session.nav(),
            from: crate::ui::date_text(from),
            until: crate::ui::date_text(until),
            total,
            outside,
            rows,
        },
    )
}
