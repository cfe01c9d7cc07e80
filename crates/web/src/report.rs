//! `/rapportage`: the council report on a page (figures with their definitions, breakdowns as
//! bars, the records behind each figure as links for those who may see them) and as a file
//! (`/rapportage/bestand?formaat=html|pdf|xlsx`), both for the period, chapters and readers
//! chosen in the form.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use baken_app::labels::Label;
use baken_app::report::{Drill, ReportView};
use baken_core::report::{RawReportRequest, ReportChapter, ReportRequest};
use std::collections::HashMap;

use crate::report_jobs::Made;
use crate::ui::{message, refused, render, Nav, Session};
use crate::AppState;

/// A report made for the page.
pub type Outcome = Result<baken_core::report::Report, baken_store::StoreError>;

/// How long the page waits for its report before it shows how far it is.
pub(crate) const WAIT: std::time::Duration = std::time::Duration::from_millis(1500);

pub(crate) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/rapportage", page)
        .get("/rapportage/bestand", file)
}

struct Choice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    nav: Option<Nav>,
    year: String,
    from: String,
    until: String,
    chapters: Vec<Choice>,
    outside: bool,
    only_outside: bool,
    errors: Vec<String>,
    query: String,
    title: String,
    body: String,
    /// While the report is being made: how far it is (the page refreshes itself).
    making: Option<String>,
}

/// The form's names for the request's fields.
fn field_label(field: &str) -> &'static str {
    match field {
        "year" => "Jaar",
        "from" => "Van",
        "until" => "Tot en met",
        "theme" => "Thema",
        "readers" => "Voor wie",
        _ => "Rapportage",
    }
}

fn raw(q: &HashMap<String, String>) -> RawReportRequest {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    RawReportRequest {
        year: get("jaar"),
        from: get("van"),
        until: get("tot"),
        theme: get("thema"),
        readers: get("lezers"),
    }
}

fn may_see(session: &Session) -> bool {
    session.caller.may_see_counts() || crate::interventions::sees_interventions(session)
}

fn parse(
    state: &AppState,
    session: &Session,
    raw: &RawReportRequest,
) -> Result<ReportRequest, Vec<String>> {
    raw.parse(
        baken_core::calendar::local_date(state.clock.now()),
        state.config.suppression,
        session.caller.sees_only_aggregates(),
    )
    .map_err(|e| {
        e.0.iter()
            .map(|f| {
                format!(
                    "{}: {}",
                    field_label(&f.field),
                    baken_app::wording::problem(&f.problem)
                )
            })
            .collect()
    })
}

async fn organisation(state: &AppState, session: &Session) -> String {
    state
        .store
        .organisations()
        .await
        .ok()
        .and_then(|all| all.into_iter().find(|o| o.id == session.caller.org()))
        .map(|o| o.name)
        .unwrap_or_default()
}

/// The report as it is read, with its maps (without them when the wijken cannot be read).
async fn view(
    state: &AppState,
    session: &Session,
    report: &baken_core::report::Report,
    drill: Drill,
) -> ReportView {
    let wijken = state
        .store
        .area_shapes(baken_core::model::AreaKind::Wijk)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "report: wijk boundaries");
            Vec::new().into()
        });
    ReportView::new(report, &organisation(state, session).await, drill, &wijken)
}

/// The report for `request` as the caller may see it, and its view; a refusal as a page.
async fn made(
    state: &AppState,
    session: &Session,
    request: &ReportRequest,
    drill: Drill,
) -> Result<(baken_core::report::Report, ReportView), Response> {
    match state
        .store
        .report(&session.caller, request, &(), state.clock.now())
        .await
    {
        Ok(report) => {
            let view = view(state, session, &report, drill).await;
            Ok((report, view))
        }
        Err(e) => Err(refused(session, e, "Deze rapportage bestaat niet.")),
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !may_see(&session) {
        return crate::interventions::no_access(&session);
    }
    let raw = raw(&q);
    let only_outside = session.caller.sees_only_aggregates();
    let chosen: Vec<&str> = raw.theme.split(',').map(str::trim).collect();
    let mut page = ReportPage {
        nav: session.nav(),
        year: raw.year.clone(),
        from: raw.from.clone(),
        until: raw.until.clone(),
        chapters: ReportChapter::ALL
            .iter()
            .map(|c| Choice {
                value: c.slug(),
                label: c.label(),
                selected: chosen.contains(&c.slug()),
            })
            .collect(),
        outside: only_outside || raw.readers.trim() == "extern",
        only_outside,
        errors: Vec::new(),
        query: String::new(),
        title: String::new(),
        body: String::new(),
        making: None,
    };
    let request = match parse(&state, &session, &raw) {
        Ok(r) => r,
        Err(errors) => {
            page.errors = errors;
            return render(StatusCode::BAD_REQUEST, &page);
        }
    };
    // From the parsed request: only digits, hyphens, commas and machine names.
    page.query = format!(
        "van={}&tot={}&thema={}&lezers={}",
        baken_core::signal::format_date(request.period.from()),
        baken_core::signal::format_date(request.period.until()),
        request
            .chapters
            .iter()
            .map(|c| c.slug())
            .collect::<Vec<_>>()
            .join(","),
        request.readers.slug()
    );
    let made = {
        let (store, caller, request) =
            (state.store.clone(), session.caller.clone(), request.clone());
        let now = state.clock.now();
        state
            .reports
            .make(session.caller.user(), &page.query, move |progress| async move {
                store.report(&caller, &request, &progress, now).await
            })
            .await
    };
    let report = match made {
        Made::Ready(Ok(report)) => report,
        Made::Ready(Err(e)) => return refused(&session, e, "Deze rapportage bestaat niet."),
        Made::Making { stage, seconds } => {
            page.making = Some(match stage {
                Some(stage) => {
                    let (n, of) = stage.position();
                    format!(
                        "Bezig met {}: stap {n} van {of} ({seconds} s).",
                        stage.label()
                    )
                }
                None => format!("Wordt gestart ({seconds} s)."),
            });
            return render(StatusCode::OK, &page);
        }
    };
    let view = view(&state, &session, &report, Drill::Links).await;
    if page.year.is_empty() && page.from.is_empty() {
        page.year = report.from.year().to_string();
    }
    page.title = format!("Rapportage {}", view.period);
    page.body = baken_app::report::body_html(&view);
    render(StatusCode::OK, &page)
}

/// The file formats offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Html,
    Pdf,
    Xlsx,
}

pub(crate) async fn file(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !may_see(&session) {
        return crate::interventions::no_access(&session);
    }
    let format = match q.get("formaat").map(|f| f.trim()) {
        Some("html") => Format::Html,
        Some("pdf") => Format::Pdf,
        Some("xlsx") => Format::Xlsx,
        _ => {
            return message(
                StatusCode::BAD_REQUEST,
                session.nav(),
                "Dat lukte niet",
                "Formaat: kies html, pdf of xlsx",
            )
        }
    };
    let request = match parse(&state, &session, &raw(&q)) {
        Ok(r) => r,
        Err(errors) => {
            return message(
                StatusCode::BAD_REQUEST,
                session.nav(),
                "Dat lukte niet",
                &errors.join("; "),
            )
        }
    };
    let view = match made(&state, &session, &request, Drill::Listed).await {
        Ok((_, view)) => view,
        Err(r) => return r,
    };
    let stem = baken_app::report::file_stem(&request);
    let (bytes, content_type, ext) = match format {
        Format::Html => (
            baken_app::report::html(&view).into_bytes(),
            "text/html; charset=utf-8",
            "html",
        ),
        Format::Pdf => (baken_app::report::pdf(&view), "application/pdf", "pdf"),
        Format::Xlsx => match baken_app::report::xlsx(&view) {
            Ok(b) => (
                b,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
            Err(e) => {
                tracing::error!(error = %e, "report workbook");
                return message(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    session.nav(),
                    "Dat lukte niet",
                    "De werkmap kon niet worden gemaakt.",
                );
            }
        },
    };
    crate::ui::download(bytes, content_type, &format!("{stem}.{ext}"))
}
