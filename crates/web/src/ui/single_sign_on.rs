//! Signing in through the municipality's identity provider (issue 18, pt 1): `/inloggen/sso`
//! sends the browser to the provider with a fresh state, nonce and PKCE challenge kept in a
//! short-lived cookie; `/inloggen/sso/terug` takes the code back, has `crate::sso` verify it,
//! maps the claims (`baken_core::single_sign_on`), lets the store find or make the account
//! (`IdentityStore`) and opens a whole session. Every outcome is audited.

use super::*;
use crate::client::ClientAddress;
use baken_core::single_sign_on::ClaimRefusal;
use baken_store::{EmailVerified, ExternalIdentity, ExternalRefusal, ExternalSignIn, NewSession};

/// The cookie that carries a begun sign-in's state, nonce and PKCE verifier to the callback.
/// `SameSite=Lax`: the provider sends the browser back with a top-level GET from its own site.
const FLOW_COOKIE: &str = "baken_sso";
const FLOW_PATH: &str = "/inloggen/sso";
const FLOW_SECONDS: i64 = 600;
/// The longest provider error text repeated on the page.
const ERROR_CHARS: usize = 80;

fn flow_cookie(state: &AppState, headers: &HeaderMap, value: &str, max_age: i64) -> String {
    format!(
        "{FLOW_COOKIE}={value}; Path={FLOW_PATH}; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure_cookies(state, headers) {
            "; Secure"
        } else {
            ""
        }
    )
}

/// `GET /inloggen/sso`: to the provider.
pub(super) async fn start_single_sign_on(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Response {
    let Some(sso) = state.config.single_sign_on.clone() else {
        return not_found();
    };
    match sso.start(state.clock.now()).await {
        Ok(started) => {
            let mut response = Redirect::to(&started.url).into_response();
            let cookie = flow_cookie(&state, &headers, &started.cookie, FLOW_SECONDS);
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
            response
        }
        Err(e) => {
            tracing::warn!(error = %e, "single sign-on could not begin");
            unavailable(&state, &headers, sso.label())
        }
    }
}

#[derive(serde::Deserialize)]
pub(super) struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    /// The issuer of the answer (RFC 9207), where the provider names it.
    iss: Option<String>,
}

/// `GET /inloggen/sso/terug`: the provider's answer.
pub(super) async fn finish_single_sign_on(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Query(callback): Query<Callback>,
) -> Response {
    let Some(sso) = state.config.single_sign_on.clone() else {
        return not_found();
    };
    let label = sso.label().to_string();
    let refuse = |status: StatusCode, text: String, user: Option<Uuid>| {
        let state = state.clone();
        let headers = headers.clone();
        async move {
            let actor = baken_store::Actor::System {
                process: format!("web {client}"),
            };
            if let Err(e) = audit_session(
                &state,
                &actor,
                AuditAction::SessionSingleSignOn,
                user,
                AuditOutcome::Denied,
            )
            .await
            {
                return internal(e);
            }
            let mut response = login_form(&state, &headers, status, String::new(), Some(text));
            let cleared = flow_cookie(&state, &headers, "", 0);
            if let Ok(v) = HeaderValue::from_str(&cleared) {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
            response
        }
    };
    if let Some(error) = callback.error {
        let error: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(ERROR_CHARS)
            .collect();
        return refuse(
            StatusCode::UNAUTHORIZED,
            format!("{label} heeft het inloggen niet voltooid ({error})."),
            None,
        )
        .await;
    }
    // An answer from another provider than the one the browser was sent to (mix-up).
    if callback
        .iss
        .as_deref()
        .is_some_and(|iss| iss != sso.settings().issuer)
    {
        return refuse(
            StatusCode::BAD_REQUEST,
            format!("Het antwoord kwam niet van {label}. Probeer het opnieuw."),
            None,
        )
        .await;
    }
    let cookie = auth::cookie_value(&headers, FLOW_COOKIE).unwrap_or("");
    let (Some(code), Some(returned_state)) = (callback.code, callback.state) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            format!("Het antwoord van {label} was onvolledig. Probeer het opnieuw."),
            None,
        )
        .await;
    };
    let now = state.clock.now();
    let verified = match sso.finish(cookie, &returned_state, &code, now).await {
        Ok(Some(verified)) => verified,
        Ok(None) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!(
                    "Het inloggen via {label} was verlopen of is in een ander venster begonnen. \
                     Probeer het opnieuw."
                ),
                None,
            )
            .await
        }
        Err(e) => {
            tracing::warn!(error = %e, "single sign-on failed");
            return refuse(
                StatusCode::BAD_GATEWAY,
                format!(
                    "{label} gaf geen geldig antwoord. Probeer het later opnieuw; blijft dit \
                     gebeuren, meld het dan de beheerder."
                ),
                None,
            )
            .await;
        }
    };
    let settings = sso.settings();
    let mapped = match settings.map(&verified.claims) {
        Ok(mapped) => mapped,
        Err(refusal) => {
            return refuse(StatusCode::FORBIDDEN, claim_refusal(refusal, &label), None).await
        }
    };
    let needs_second_factor = state.config.sign_in.requires_second_factor(&mapped.roles);
    if !settings.second_factor_shown(needs_second_factor, &verified.amr) {
        let text = claim_refusal(ClaimRefusal::NoSecondFactor, &label);
        return refuse(StatusCode::FORBIDDEN, text, None).await;
    }
    let organisation = match state.store.organisation_by_name(&mapped.organisation).await {
        Ok(Some(org)) => org,
        Ok(None) => {
            tracing::warn!("single sign-on: the mapped organisation does not exist in Baken");
            let text = claim_refusal(ClaimRefusal::NoOrganisation, &label);
            return refuse(StatusCode::FORBIDDEN, text, None).await;
        }
        Err(e) => return internal(e),
    };
    let name = if verified.name.trim().is_empty() {
        verified.email.clone()
    } else {
        verified.name.clone()
    };
    let identity = ExternalIdentity {
        issuer: &verified.issuer,
        subject: &verified.subject,
        email: &verified.email,
        email_verified: if verified.email_verified {
            EmailVerified::Yes
        } else {
            EmailVerified::No
        },
        display_name: &name,
        organisation: organisation.id,
        roles: mapped.roles,
    };
    let user = match state.store.external_sign_in(identity, now).await {
        Ok(ExternalSignIn::Account(user)) => user,
        Ok(ExternalSignIn::Refused(refusal)) => {
            let (status, text, user) = match refusal {
                ExternalRefusal::Deactivated(id) => (
                    StatusCode::FORBIDDEN,
                    "Dit account is gedeactiveerd. Vraag de beheerder het weer te activeren."
                        .to_string(),
                    Some(id),
                ),
                ExternalRefusal::OtherOrganisation(id) => (
                    StatusCode::FORBIDDEN,
                    format!(
                        "{label} noemt een andere organisatie dan die van uw account in Baken. \
                         Een account verandert niet van organisatie: vraag de beheerder om raad."
                    ),
                    Some(id),
                ),
                ExternalRefusal::EmailTaken => (
                    StatusCode::CONFLICT,
                    format!(
                        "Er is al een account in Baken met uw e-mailadres, en {label} bevestigt \
                         dat adres niet. Log in met uw wachtwoord, of vraag de beheerder om raad."
                    ),
                    None,
                ),
            };
            return refuse(status, text, user).await;
        }
        Err(e) => return internal(e),
    };
    let secret = auth::random_secret();
    let csrf = auth::random_secret();
    if let Err(e) = state
        .store
        .create_session(NewSession {
            id_hash: &auth::secret_hash(&secret),
            user: user.id,
            csrf: &csrf,
            client: &client.to_string(),
            stage: SessionStage::Complete,
            now,
            expires: now + state.config.sign_in.lifetime(),
        })
        .await
    {
        return internal(e);
    }
    let actor = baken_store::Actor::Caller(baken_core::Caller::for_user_handling_signals(
        &user,
        client.to_string(),
    ));
    if let Err(e) = audit_session(
        &state,
        &actor,
        AuditAction::SessionSingleSignOn,
        Some(user.id),
        AuditOutcome::Success,
    )
    .await
    {
        return internal(e);
    }
    // A page of Baken's own that goes on to the overview: the session cookie is SameSite=
    // Strict, and browsers hold it back on a redirect chain that began at the provider.
    let mut response = render(StatusCode::OK, &SignedInPage { nav: None, label });
    for cookie in [
        session_cookie(&state, &headers, &secret),
        flow_cookie(&state, &headers, "", 0),
    ] {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

#[derive(Template)]
#[template(path = "signed_in.html")]
struct SignedInPage {
    nav: Option<Nav>,
    label: String,
}

fn claim_refusal(refusal: ClaimRefusal, label: &str) -> String {
    match refusal {
        ClaimRefusal::NoRole => format!(
            "Uw account bij {label} geeft geen toegang tot Baken. Vraag uw beheerder om een rol."
        ),
        ClaimRefusal::NoOrganisation => format!(
            "Uw organisatie bij {label} is in Baken niet bekend. Vraag de beheerder om raad."
        ),
        ClaimRefusal::NoEmail => {
            format!("{label} gaf geen e-mailadres door; zonder kan Baken u niet aanmelden.")
        }
        ClaimRefusal::NoSecondFactor => format!(
            "Uw rol vraagt een tweede factor, en {label} meldt niet dat u die gebruikte. Log bij \
             {label} in met uw tweede factor."
        ),
    }
}

fn unavailable(state: &AppState, headers: &HeaderMap, label: &str) -> Response {
    login_form(
        state,
        headers,
        StatusCode::BAD_GATEWAY,
        String::new(),
        Some(format!(
            "{label} is nu niet bereikbaar. Probeer het later opnieuw, of log in met uw \
             wachtwoord."
        )),
    )
}

fn not_found() -> Response {
    message(
        StatusCode::NOT_FOUND,
        None,
        "Niet gevonden",
        "Inloggen via een identiteitsprovider is hier niet ingesteld.",
    )
}
