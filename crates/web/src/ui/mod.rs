//! The Dutch HTML interface. Works without JavaScript; every form carries a CSRF token.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use baken_core::audit::{AuditAction, AuditOutcome, ObjectKind};
use baken_core::catalogue::Catalogue;
use baken_core::model::{
    Classification, InformationCredibility, Sharing, SourceKind, SourceReliability, User,
};
use baken_core::signal::{NewSignal, SignalFilterInput, SignalInput};
use baken_core::status::{SignalStatus, StatusChange};
use baken_core::subject::SubjectInput;
use baken_core::{Caller, SignalScope, ValidationErrors};
use baken_store::{AuditRecord, LiveSession, SessionStage, SignalDetail, StoreError};
use time::macros::format_description;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::{self, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::AppState;

mod admin;
mod login;
mod own_account;
pub(crate) mod pager;
mod signal_correction;
mod signal_detail;
mod signal_form;
mod signals;
mod single_sign_on;

use admin::*;
use login::*;
use own_account::*;
use signal_correction::*;
use signal_detail::*;
use signal_form::*;
use signals::*;
use single_sign_on::*;

pub(crate) use signals::{signal_row, SignalRow};

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/", home)
        .get("/static/baken.css", stylesheet)
        .get("/inloggen", login_page)
        .post("/inloggen", login)
        .get("/inloggen/sso", start_single_sign_on)
        .get(
            baken_core::single_sign_on::CALLBACK_PATH,
            finish_single_sign_on,
        )
        .post("/uitloggen", logout)
        .get("/inloggen/code", second_factor_page)
        .post("/inloggen/code", confirm_second_factor)
        .get("/tweede-factor", enrol_page)
        .post("/tweede-factor", enrol)
        .get("/mijn-account", own_account_page)
        .post("/mijn-account/sessies", end_sessions)
        .post("/mijn-account/herstelcodes", renew_recovery_codes)
        .get("/wachtwoord", password_page)
        .post("/wachtwoord", change_password)
        .get("/overzicht", overview)
        .get("/signalen", signal_list)
        .get("/signalen/nieuw", new_signal_page)
        .post("/signalen/nieuw", create_signal)
        .get("/signalen/{id}", signal_page)
        .post("/signalen/{id}/status", change_status)
        .post("/signalen/{id}/toewijzing", assign)
        .get("/signalen/{id}/corrigeren", correction_page)
        .post("/signalen/{id}/corrigeren", correct_signal)
        .get("/beheer/catalogus", catalogue_page)
        .post("/beheer/catalogus/thema", change_theme)
        .post("/beheer/catalogus/indicator", change_indicator)
        .get("/gebieden", area_list)
}

// ------------------------------------------------------------------ session

/// A logged-in user of the web interface.
pub(crate) struct Session {
    user: User,
    org_name: String,
    pub(crate) csrf: String,
    id_hash: String,
    /// The session's public name, to tell it apart in the user's list of sessions.
    handle: Uuid,
    /// The authenticator secret offered while the user sets up their second factor.
    enrol_secret: Option<String>,
    pub(crate) caller: Caller,
    /// The entry of the main navigation the request is under (marked as the current page).
    section: &'static str,
}

/// The main navigation's links (base.html), to mark the one a page is under.
const NAV_HREFS: &[&str] = &[
    "/overzicht",
    "/signalen",
    "/signalen?overdue=true",
    "/casussen",
    "/overleggen",
    "/interventies",
    "/barrieremodellen",
    "/activiteiten",
    "/toezeggingen",
    "/rapportage",
    "/veld",
    "/gebieden",
    "/kaart",
    "/afwijkingen",
    "/beheer/catalogus",
    "/beheer/gebruikers",
    "/beheer/organisaties",
    "/beheer/convenanten",
    "/beheer/audit",
    "/beheer/checklists",
    "/beheer/koppelen",
    "/beheer/doelbinding",
    "/inzage",
    "/verwijsindex",
    "/signalen/nieuw",
    "/import",
];

/// The navigation entry for a request: the longest link whose path the request's path is or
/// lies under (and whose query, if it has one, the request's query holds).
fn section(path: &str, query: &str) -> &'static str {
    NAV_HREFS
        .iter()
        .copied()
        .filter(|href| {
            let (p, q) = href.split_once('?').unwrap_or((href, ""));
            let under = path == p
                || path
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'));
            under && (q.is_empty() || query.split('&').any(|pair| pair == q))
        })
        .max_by_key(|href| href.len())
        .unwrap_or("")
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let to_login = || Redirect::to("/inloggen").into_response();
        let Some(secret) = auth::cookie_value(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login());
        };
        let id_hash = auth::secret_hash(secret);
        let now = state.clock.now();
        match state
            .store
            .session(&id_hash, now, state.config.sign_in.idle())
            .await
        {
            Ok(Some(live)) => {
                let path = parts.uri.path();
                match live.stage {
                    // The password alone opens nothing but the page that asks for the code.
                    SessionStage::SecondFactor => {
                        return Err(Redirect::to(SECOND_FACTOR_PATH).into_response())
                    }
                    // An account that must have a second factor sets one up first.
                    SessionStage::Enrol if path != ENROL_PATH && path != "/uitloggen" => {
                        return Err(Redirect::to(ENROL_PATH).into_response())
                    }
                    // After a reset by the beheerder, the new password comes before anything
                    // else.
                    SessionStage::Complete
                        if live.user.password_change_required
                            && path != "/wachtwoord"
                            && path != "/uitloggen" =>
                    {
                        return Err(Redirect::to("/wachtwoord").into_response())
                    }
                    _ => {}
                }
                let LiveSession {
                    user,
                    org_name,
                    csrf,
                    handle,
                    enrol_secret,
                    ..
                } = live;
                let caller = baken_core::Caller::for_user_handling_signals(
                    &user,
                    crate::client::ClientAddress::of(parts, state).0.to_string(),
                );
                Ok(Session {
                    user,
                    org_name,
                    csrf,
                    id_hash,
                    handle,
                    enrol_secret,
                    caller,
                    section: section(parts.uri.path(), parts.uri.query().unwrap_or("")),
                })
            }
            Ok(None) => Err(to_login()),
            Err(e) => Err(internal(e)),
        }
    }
}

impl Session {
    pub(crate) fn nav(&self) -> Option<Nav> {
        Some(Nav {
            current: self.section,
            user_name: self.user.display_name.clone(),
            org_name: self.org_name.clone(),
            csrf: self.csrf.clone(),
            sees_signals: self.caller.signal_scope() != SignalScope::Nothing,
            can_register: self.caller.may_register_signal(),
            manages_catalogue: self.caller.may_manage_catalogue(),
            administers: self.caller.may_administer(),
            reads_audit: self.caller.may_read_audit(),
            sees_cases: self.caller.may_see_cases(),
            sees_counts: self.caller.may_see_counts(),
            opens_cases: self.caller.may_open_case(),
            sees_interventions: crate::interventions::sees_interventions(self),
            sees_barriers: self.caller.may_see_barrier_models(),
            sees_activities: self.caller.may_see_activities(),
            sees_commitments: self.caller.may_see_commitments(),
            answers_access_requests: self.caller.may_answer_access_requests(),
            searches_referrals: self.caller.may_search_referrals(),
        })
    }

    /// The session's id as stored (a hash of the cookie's secret).
    pub(crate) fn id_hash(&self) -> &str {
        &self.id_hash
    }

    /// The refusal to send when the form's CSRF token is not this session's.
    pub(crate) fn csrf_refused(&self, form: &Form) -> Option<Response> {
        if auth::constant_time_eq(form.one("csrf"), &self.csrf) {
            None
        } else {
            Some(message(
                StatusCode::FORBIDDEN,
                None,
                "Formulier verlopen",
                "Het formulier was verlopen of kwam niet van Baken. Laad de pagina opnieuw en probeer het nog eens.",
            ))
        }
    }
}

pub(crate) struct Nav {
    /// The link of the page's section (see `NAV_HREFS`).
    pub(crate) current: &'static str,
    pub(crate) user_name: String,
    pub(crate) org_name: String,
    pub(crate) csrf: String,
    pub(crate) sees_signals: bool,
    pub(crate) can_register: bool,
    pub(crate) manages_catalogue: bool,
    pub(crate) administers: bool,
    pub(crate) reads_audit: bool,
    pub(crate) sees_cases: bool,
    /// Maps and deviations (counts of signals) are for this role.
    pub(crate) sees_counts: bool,
    pub(crate) opens_cases: bool,
    pub(crate) sees_interventions: bool,
    pub(crate) sees_barriers: bool,
    pub(crate) sees_activities: bool,
    pub(crate) sees_commitments: bool,
    pub(crate) answers_access_requests: bool,
    pub(crate) searches_referrals: bool,
}

/// A url-encoded form body; repeated names (checkboxes) keep every value.
pub(crate) struct Form(Vec<(String, String)>);

impl Form {
    pub(crate) fn parse(body: &Bytes) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    /// A form from the fields of one typed before (a refused form shown again).
    pub(crate) fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// Every field but the CSRF token, to show a refused form again.
    pub(crate) fn typed(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| k != "csrf")
            .cloned()
            .collect()
    }

    pub(crate) fn one(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub(crate) fn opt(&self, name: &str) -> Option<String> {
        Some(self.one(name).to_string()).filter(|s| !s.trim().is_empty())
    }

    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

// ------------------------------------------------------------------ rendering helpers

pub(crate) fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Er ging iets mis.").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    nav: Option<Nav>,
    heading: &'a str,
    message: &'a str,
    /// Where the reader goes on from here: address and link text.
    onward: (&'a str, &'a str),
}

pub(crate) fn message(status: StatusCode, nav: Option<Nav>, heading: &str, text: &str) -> Response {
    render(
        status,
        &MessagePage {
            nav,
            heading,
            message: text,
            onward: ("/overzicht", "Naar het overzicht"),
        },
    )
}

pub(crate) fn internal(e: StoreError) -> Response {
    // Never log content or personal data: only the kind of failure.
    tracing::error!(error = %e, "store failure");
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        None,
        "Er ging iets mis",
        "Er ging iets mis bij het opslaan of ophalen. Probeer het later opnieuw.",
    )
}

pub(crate) fn store_error(session: &Session, e: StoreError) -> Response {
    refused(
        session,
        e,
        "Dit signaal bestaat niet of u heeft er geen toegang toe.",
    )
}

/// What the store refused, as a page: not found (with `missing`, the sentence for this kind
/// of record, the same whether it does not exist or may not be seen), not allowed, or a
/// failure.
/// A file to download: its bytes, type and name; never kept in a cache (it holds what only
/// this user may see).
pub(crate) fn download(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A list page asked for with a cursor no list made (an altered or truncated link).
pub(crate) fn unknown_page(session: &Session, first_page: &str) -> Response {
    render(
        StatusCode::BAD_REQUEST,
        &MessagePage {
            nav: session.nav(),
            heading: "Onbekende pagina",
            message:
                "De link naar deze pagina van de lijst klopt niet. Begin bij de eerste pagina.",
            onward: (first_page, "Naar de eerste pagina"),
        },
    )
}

pub(crate) fn refused(session: &Session, e: StoreError, missing: &str) -> Response {
    match e {
        StoreError::NotFound => message(
            StatusCode::NOT_FOUND,
            session.nav(),
            "Niet gevonden",
            missing,
        ),
        StoreError::Forbidden(why) => message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            baken_app::wording::denied(why),
        ),
        StoreError::Invalid(_) | StoreError::Rejected(_) => message(
            StatusCode::BAD_REQUEST,
            session.nav(),
            "Dat lukte niet",
            &baken_app::wording::store_error(&e),
        ),
        other => internal(other),
    }
}

/// What the store refused about a form's input, a line per field in Dutch ("E-mailadres: …",
/// the field named by `label`); any other error as it is.
pub(crate) fn input_words(
    e: StoreError,
    label: fn(&str) -> &'static str,
) -> Result<Vec<String>, StoreError> {
    if let StoreError::Conflict(c) = &e {
        return Ok(vec![format!(
            "{}: {}",
            label(c.field()),
            baken_app::wording::conflict(c)
        )]);
    }
    let errors = baken_app::wording::input_errors(e)?;
    Ok(baken_app::wording::messages(&errors)
        .into_iter()
        .map(|m| format!("{}: {}", label(&m.field), m.message))
        .collect())
}

/// Times are stored in UTC and shown in Dutch local time (CET/CEST), as users expect.
pub(crate) fn day(t: OffsetDateTime) -> String {
    date_text(baken_core::calendar::local_date(t))
}

/// The local time of day ("14:05").
pub(crate) fn time_of_day(t: OffsetDateTime) -> String {
    let fmt = format_description!("[hour]:[minute]");
    baken_core::calendar::local(t)
        .format(&fmt)
        .unwrap_or_default()
}

pub(crate) fn moment(t: OffsetDateTime) -> String {
    let fmt = format_description!("[day]-[month]-[year] [hour]:[minute]");
    baken_core::calendar::local(t)
        .format(&fmt)
        .unwrap_or_default()
}

pub(crate) fn date_text(d: time::Date) -> String {
    baken_app::wording::day(d)
}

pub(crate) struct SelectOption {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

/// The catalogue's themes as options, `current` selected.
pub(crate) fn theme_options(catalogue: &Catalogue, current: Option<&str>) -> Vec<SelectOption> {
    catalogue
        .themes
        .iter()
        .map(|t| SelectOption {
            value: t.code.clone(),
            label: t.name.clone(),
            selected: current == Some(t.code.as_str()),
        })
        .collect()
}

pub(crate) fn options<T: Copy>(
    all: &[T],
    slug: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    current: &str,
) -> Vec<SelectOption> {
    all.iter()
        .map(|v| SelectOption {
            value: slug(*v).to_string(),
            label: label(*v).to_string(),
            selected: slug(*v) == current,
        })
        .collect()
}

// ------------------------------------------------------------------ pages

async fn home(headers: HeaderMap) -> Redirect {
    if auth::cookie_value(&headers, SESSION_COOKIE).is_some() {
        Redirect::to("/overzicht")
    } else {
        Redirect::to("/inloggen")
    }
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/baken.css"),
    )
        .into_response()
}

#[cfg(test)]
mod nav_tests {
    use super::section;

    #[test]
    fn the_page_is_marked_under_its_own_section() {
        assert_eq!(section("/signalen", ""), "/signalen");
        assert_eq!(
            section("/signalen", "overdue=true&page=2"),
            "/signalen?overdue=true"
        );
        assert_eq!(section("/signalen/nieuw", ""), "/signalen/nieuw");
        assert_eq!(section("/signalen/0190abcd", ""), "/signalen");
        assert_eq!(section("/beheer/catalogus/drugs", ""), "/beheer/catalogus");
        // No prefix match inside a word, and no section for pages outside the menu.
        assert_eq!(section("/signalenlijst", ""), "");
        assert_eq!(section("/dossiers/x", ""), "");
    }
}
