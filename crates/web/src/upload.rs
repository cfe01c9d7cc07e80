//! The upload page for bulk intake (`/import`): the same mapping, checks and report as
//! `baken import signals`, in the browser.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use baken_intake::{import_signals, open_table, ImportMode, ImportReport, Mapping};

use crate::ui::{internal, message, render, Nav, Session};
use crate::{auth, AppState};

/// Largest file the page accepts.
const MAX_UPLOAD: usize = 64 * 1024 * 1024;
/// Errors listed on the page; the rest are counted.
const SHOWN: usize = 500;

const EXAMPLE_MAPPING: &str = "[columns]\ntitle = \"Titel\"\ndescription = \"Omschrijving\"\nreceived_at = \"Datum\"\nthemes = \"Thema\"\n\n[defaults]\nsource_kind = \"partner\"\nsource_reliability = \"F\"\ninformation_credibility = \"6\"\n";

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/import", page)
        .post("/import", upload)
        .layer(DefaultBodyLimit::max(MAX_UPLOAD))
}

struct ReportView {
    summary: String,
    file_errors: Vec<String>,
    /// Rows skipped as imported before, worded.
    duplicates: Vec<String>,
    more_duplicates: usize,
    rows: Vec<RowView>,
    more: usize,
}

/// One row's problem, worded.
struct RowView {
    row: u64,
    column: String,
    problem: String,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    nav: Option<Nav>,
    csrf: String,
    mapping: String,
    report: Option<ReportView>,
    /// The name of the file kept from the user's last dry run.
    kept: Option<String>,
    /// The kept file's columns to choose from.
    picker: Option<crate::import_mapping::Picker>,
    /// The source the mapping is for (its saved mapping is offered).
    source: String,
}

fn view(
    session: &Session,
    status: StatusCode,
    mapping: String,
    report: Option<ReportView>,
) -> Response {
    view_kept(session, status, mapping, report, Kept::default())
}

/// The kept file as the page offers it: its name, its columns to pick, the source.
#[derive(Default)]
struct Kept {
    name: Option<String>,
    picker: Option<crate::import_mapping::Picker>,
    source: String,
}

fn view_kept(
    session: &Session,
    status: StatusCode,
    mapping: String,
    report: Option<ReportView>,
    kept: Kept,
) -> Response {
    render(
        status,
        &ImportPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            mapping,
            report,
            kept: kept.name,
            picker: kept.picker,
            source: kept.source,
        },
    )
}

/// The page's query: a source whose saved mapping to show.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct PageQuery {
    bron: String,
}

async fn page(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Query(query): axum::extract::Query<PageQuery>,
) -> Response {
    if !session.caller.may_register_signal() {
        return message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            "Uw rol mag geen signalen registreren.",
        );
    }
    let source = query.bron.trim().to_string();
    let saved = if source.is_empty() {
        None
    } else {
        match state.store.import_mapping(&session.caller, &source).await {
            Ok(saved) => saved,
            Err(e) => return internal(e),
        }
    };
    let text = saved.unwrap_or_else(|| EXAMPLE_MAPPING.into());
    let mapping: Mapping = toml::from_str(&text).unwrap_or_default();
    let kept = state
        .kept_uploads
        .get(session.caller.user(), state.clock.now());
    let kept = Kept {
        picker: kept
            .as_ref()
            .and_then(|k| crate::import_mapping::picker(&k.bytes, &mapping, &source)),
        name: kept.map(|k| k.name),
        source,
    };
    view_kept(&session, StatusCode::OK, text, None, kept)
}

fn failed(summary: &str, problems: Vec<String>) -> ReportView {
    ReportView {
        summary: summary.into(),
        file_errors: problems,
        rows: Vec::new(),
        more: 0,
        duplicates: Vec::new(),
        more_duplicates: 0,
    }
}

/// The longest CSRF token read from an upload's first field.
const CSRF_BYTES: usize = 128;

/// The upload's first field, which must be the form's CSRF token: read (at most
/// [`CSRF_BYTES`]) before anything else of the body, so a forged upload is refused before its
/// file is read. The token stays out of the URL (and so out of logs and referrers).
async fn first_field_is_token(multipart: &mut Multipart, expected: &str) -> bool {
    let Ok(Some(mut field)) = multipart.next_field().await else {
        return false;
    };
    if field.name() != Some("csrf") {
        return false;
    }
    let mut token = Vec::new();
    while let Ok(Some(chunk)) = field.chunk().await {
        if token.len() + chunk.len() > CSRF_BYTES {
            return false;
        }
        token.extend_from_slice(&chunk);
    }
    auth::constant_time_eq(&String::from_utf8_lossy(&token), expected)
}

async fn upload(
    State(state): State<AppState>,
    session: Session,
    mut multipart: Multipart,
) -> Response {
    if !first_field_is_token(&mut multipart, &session.csrf).await {
        return message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Formulier verlopen",
            "Laad de pagina opnieuw en probeer het nog eens.",
        );
    }
    if !session.caller.may_register_signal() {
        return message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            "Uw rol mag geen signalen registreren.",
        );
    }
    let (mut file, mut file_name, mut mapping_text, mut mode) =
        (Vec::new(), String::new(), String::new(), String::new());
    // The picker's fields and the source (small text fields).
    let mut fields = std::collections::HashMap::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                if name == "file" {
                    file_name = field.file_name().unwrap_or_default().to_string();
                }
                match field.bytes().await {
                    Ok(bytes) => match name.as_str() {
                        "file" => file = bytes.to_vec(),
                        "mapping" => mapping_text = String::from_utf8_lossy(&bytes).to_string(),
                        "mode" => mode = String::from_utf8_lossy(&bytes).to_string(),
                        // The picker has a few hundred fields at most; more are not read.
                        other
                            if fields.len() < 1_000
                                && (other == "bron"
                                    || other == "sleutel"
                                    || other == "kolommen"
                                    || other.starts_with("kolom-")
                                    || other.starts_with("vast-")
                                    || other.starts_with("betrokkene-")) =>
                        {
                            fields.insert(
                                other.to_string(),
                                String::from_utf8_lossy(&bytes).trim().to_string(),
                            );
                        }
                        _ => {}
                    },
                    Err(_) => {
                        let r = failed(
                            "Het bestand is te groot of kwam niet volledig aan.",
                            Vec::new(),
                        );
                        return view(&session, StatusCode::BAD_REQUEST, mapping_text, Some(r));
                    }
                }
            }
            Ok(None) => break,
            Err(_) => {
                let r = failed(
                    "Het bestand is te groot of kwam niet volledig aan.",
                    Vec::new(),
                );
                return view(&session, StatusCode::BAD_REQUEST, mapping_text, Some(r));
            }
        }
    }
    let mode = match mode.as_str() {
        "alles" => ImportMode::AllOrNothing,
        "goede-rijen" => ImportMode::SkipInvalid,
        _ => ImportMode::DryRun,
    };
    let mut mapping: Mapping = match toml::from_str(&mapping_text) {
        Ok(m) => m,
        Err(e) => {
            let r = failed(
                "De koppeling is niet leesbaar.",
                vec![format!("koppeling: {}", e.message())],
            );
            return view(&session, StatusCode::BAD_REQUEST, mapping_text, Some(r));
        }
    };
    let source = fields.get("bron").cloned().unwrap_or_default();
    if fields.get("kolommen").is_some_and(|v| v == "ja") {
        // Chosen per field from the file's own columns: the mapping shown from now on.
        mapping = crate::import_mapping::from_picker(&fields, mapping);
        mapping_text = mapping.to_toml();
    } else if !source.is_empty() && mapping.source.is_none() {
        mapping.source = Some(source.clone());
    }
    let now = state.clock.now();
    let user = session.caller.user();
    let fresh = !file.is_empty();
    let file = if file.is_empty() {
        // No new file: the one kept from the dry run before, if any.
        match state.kept_uploads.get(user, now) {
            Some(kept) => {
                file_name = kept.name;
                kept.bytes
            }
            None => {
                let r = failed(
                    "Kies een bestand.",
                    vec!["bestand: er is geen bestand meegestuurd".into()],
                );
                return view(&session, StatusCode::BAD_REQUEST, mapping_text, Some(r));
            }
        }
    } else {
        std::sync::Arc::new(file)
    };
    // A new file is kept for the next try (another mapping, the real import); an import
    // that stored something lets go of it (below).
    let kept = if fresh {
        state.kept_uploads.keep(
            user,
            crate::kept_uploads::Kept {
                name: file_name.clone(),
                bytes: file.clone(),
            },
            now,
        )
    } else {
        true
    };
    let table = match open_table(Box::new(std::io::Cursor::new(file.to_vec()))) {
        Ok(t) => t,
        Err(e) => {
            let r = failed(
                "Het bestand is niet te lezen.",
                vec![format!("{file_name}: {e}")],
            );
            return view(&session, StatusCode::BAD_REQUEST, mapping_text, Some(r));
        }
    };
    let caller = session
        .caller
        .clone()
        .with_purpose(baken_core::Purpose::new("bulkimport"));
    let mut progress = |_: u64| {};
    let outcome: ImportReport = match import_signals(
        state.store.as_ref(),
        &caller,
        table,
        &mapping,
        &baken_intake::ImportOptions {
            mode,
            source: &file_name,
            policy: &state.config.intake,
            link: true,
        },
        state.clock.as_ref(),
        &mut progress,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return internal(e),
    };
    let summary = baken_app::import_report::summary(&outcome, mode);
    let outcome_stored = outcome.stored;
    let duplicates = outcome
        .duplicates
        .iter()
        .take(SHOWN)
        .map(baken_app::import_report::duplicate)
        .collect();
    let status = if outcome.errors.is_empty() && outcome.file_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let more = outcome.errors.len().saturating_sub(SHOWN);
    let report = ReportView {
        summary,
        file_errors: outcome.file_errors,
        duplicates,
        more_duplicates: outcome.duplicates.len().saturating_sub(SHOWN),
        rows: outcome
            .errors
            .into_iter()
            .take(SHOWN)
            .map(|e| RowView {
                problem: baken_app::wording::problem(&e.problem),
                row: e.row,
                column: e.column,
            })
            .collect(),
        more,
    };
    // The mapping is saved for its source, to be offered next time.
    if !source.is_empty() && report.file_errors.is_empty() {
        if let Err(e) = state
            .store
            .save_import_mapping(&session.caller, &source, &mapping_text, now)
            .await
        {
            return internal(e);
        }
    }
    let kept = if mode != ImportMode::DryRun && outcome_stored > 0 {
        state.kept_uploads.forget(user);
        Kept {
            source,
            ..Kept::default()
        }
    } else if kept {
        Kept {
            picker: crate::import_mapping::picker(&file, &mapping, &source),
            name: Some(file_name),
            source,
        }
    } else {
        Kept {
            source,
            ..Kept::default()
        }
    };
    view_kept(&session, status, mapping_text, Some(report), kept)
}
