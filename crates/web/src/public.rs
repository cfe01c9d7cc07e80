//! The public report form `/melden`: no login; no IP address or user agent is stored (the
//! address is only held in memory to limit the rate); a honeypot field catches bots; contact
//! details only with consent; the reporter gets a reference number and nothing else.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use baken_core::public::{PublicReport, PublicReportInput};
use baken_core::{Caller, Purpose, ValidationErrors};

use crate::auth;
use crate::bootstrap::PUBLIC_FORM_EMAIL;
use crate::ui::{internal, message, render, Form, Nav, SelectOption};
use crate::AppState;

const CSRF_COOKIE: &str = "baken_meld_csrf";

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/melden", form_page)
        .post("/melden", submit)
}

#[derive(Template)]
#[template(path = "melden.html")]
struct ReportPage {
    nav: Option<Nav>,
    csrf: String,
    input: PublicReportInput,
    themes: Vec<SelectOption>,
    errors: Vec<baken_app::wording::FieldMessage>,
    contact_days: u32,
}

#[derive(Template)]
#[template(path = "gemeld.html")]
struct ThanksPage {
    nav: Option<Nav>,
    reference: String,
}

async fn show_form(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    input: PublicReportInput,
    errors: ValidationErrors,
) -> Response {
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let current = input.theme.clone().unwrap_or_default();
    let mut themes = vec![SelectOption {
        value: "onbekend".into(),
        label: "Weet ik niet".into(),
        selected: current.is_empty() || current == "onbekend",
    }];
    themes.extend(catalogue.themes.iter().map(|t| SelectOption {
        value: t.code.clone(),
        label: t.name.clone(),
        selected: t.code == current,
    }));
    let csrf = auth::random_secret();
    let mut response = render(
        status,
        &ReportPage {
            nav: None,
            csrf: csrf.clone(),
            input,
            themes,
            errors: baken_app::wording::messages(&errors),
            contact_days: state.config.public_contact_days,
        },
    );
    let secure = state.config.force_secure_cookies || auth::over_tls(headers);
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(CSRF_COOKIE, &csrf, secure, 7200)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

async fn form_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    show_form(
        &state,
        &headers,
        StatusCode::OK,
        PublicReportInput::default(),
        ValidationErrors::new(),
    )
    .await
}

fn thanks(reference: String) -> Response {
    render(
        StatusCode::OK,
        &ThanksPage {
            nav: None,
            reference,
        },
    )
}

async fn submit(
    State(state): State<AppState>,
    crate::client::ClientAddress(client): crate::client::ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = state.clock.now();
    if state.report_throttle.blocked(client, now) {
        return message(
            StatusCode::TOO_MANY_REQUESTS,
            None,
            "Even geduld",
            "Er zijn vanaf dit adres in korte tijd veel meldingen verstuurd. Probeer het over tien minuten opnieuw.",
        );
    }
    state.report_throttle.failed(client, now);
    let form = Form::parse(&body);
    let input = PublicReportInput {
        description: form.opt("description"),
        observed_on: form.opt("observedOn"),
        location: form.opt("location"),
        theme: form.opt("theme"),
        contact_consent: form.one("contactConsent") == "ja",
        contact_name: form.opt("contactName"),
        contact_phone: form.opt("contactPhone"),
        contact_email: form.opt("contactEmail"),
        website: form.opt("website"),
    };
    let cookie = auth::cookie_value(&headers, CSRF_COOKIE).unwrap_or("");
    if cookie.is_empty() || !auth::constant_time_eq(cookie, form.one("csrf")) {
        let mut errors = ValidationErrors::new();
        errors.push_worded(
            "description",
            "het formulier was verlopen; verstuur uw melding opnieuw",
        );
        return show_form(&state, &headers, StatusCode::FORBIDDEN, input, errors).await;
    }
    if input.is_bot() {
        // Look like success, store nothing.
        return thanks(baken_core::public::new_reference());
    }
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let report = match PublicReport::parse(
        &input,
        &catalogue,
        baken_core::public::PublicIntake {
            contact_days: state.config.public_contact_days,
            policy: &state.config.intake,
            heading: "Melding",
        },
        now,
    ) {
        Ok(r) => r,
        Err(errors) => {
            return show_form(&state, &headers, StatusCode::BAD_REQUEST, input, errors).await
        }
    };
    let intake = match state.store.user_by_email(PUBLIC_FORM_EMAIL).await {
        // Deliberately not the network address: reporters may stay anonymous.
        Ok(Some(user)) => {
            Caller::for_user(&user, Purpose::new("openbare melding"), "meldformulier")
        }
        Ok(None) => {
            return message(
                StatusCode::SERVICE_UNAVAILABLE,
                None,
                "Meldformulier niet beschikbaar",
                "Het meldformulier is nog niet ingericht. Bel Meld Misdaad Anoniem: 0800-7000.",
            )
        }
        Err(e) => return internal(e),
    };
    match state.store.create_public_report(&intake, report, now).await {
        Ok(reference) => thanks(reference),
        Err(e) => internal(e),
    }
}
