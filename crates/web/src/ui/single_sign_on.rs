//! Signing in through the municipality's identity provider (issue 18, pt 1): `/inloggen/sso`
//! sends the browser to the provider with a fresh state, nonce and PKCE challenge kept in a
//! short-lived cookie; `/inloggen/sso/terug` takes the code back, has `crate::sso` verify it,
//! maps the claims (`baken_core::single_sign_on`), lets the store find or make the account
//! (`IdentityStore`) and opens a session — whole, or waiting for Baken's own second factor
//! where the roles need one and the provider names none. Every sign-in is audited with how it
//! ended.

use super::*;
use crate::client::ClientAddress;
use baken_core::single_sign_on::ClaimRefusal;
use baken_store::{EmailVerified, ExternalIdentity, ExternalRefusal, ExternalSignIn};

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
    let refuse = Refusal {
        state: &state,
        headers: &headers,
        client,
    };
    // An answer to no sign-in this browser began (another window's, an old one, or a link
    // someone sent): nothing to record, nothing to clear.
    let cookie = auth::cookie_value(&headers, FLOW_COOKIE).unwrap_or("");
    let Some(returned_state) = callback
        .state
        .as_deref()
        .filter(|s| crate::sso::state_matches(cookie, s))
    else {
        return login_form(
            &state,
            &headers,
            StatusCode::BAD_REQUEST,
            String::new(),
            Some(format!(
                "Het inloggen via {label} was verlopen of is in een ander venster begonnen. \
                 Probeer het opnieuw."
            )),
        );
    };
    // An answer from another provider than the one the browser was sent to (mix-up).
    if callback
        .iss
        .as_deref()
        .is_some_and(|iss| iss != sso.settings().issuer)
    {
        let text = format!("Het antwoord kwam niet van {label}. Probeer het opnieuw.");
        return refuse
            .say(StatusCode::BAD_REQUEST, text, "other-issuer", None)
            .await;
    }
    if let Some(error) = callback.error {
        let error: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(ERROR_CHARS)
            .collect();
        let text = format!("{label} heeft het inloggen niet voltooid ({error}).");
        return refuse
            .say(StatusCode::UNAUTHORIZED, text, "provider-error", None)
            .await;
    }
    let Some(code) = callback.code else {
        let text = format!("Het antwoord van {label} was onvolledig. Probeer het opnieuw.");
        return refuse
            .say(StatusCode::BAD_REQUEST, text, "no-code", None)
            .await;
    };
    let now = state.clock.now();
    let verified = match sso.finish(cookie, returned_state, &code, now).await {
        Ok(Some(verified)) => verified,
        Ok(None) => {
            let text = format!("Het inloggen via {label} was verlopen. Probeer het opnieuw.");
            return refuse
                .say(StatusCode::BAD_REQUEST, text, "state", None)
                .await;
        }
        Err(e) => {
            tracing::warn!(error = %e, "single sign-on failed");
            let text = format!(
                "{label} gaf geen geldig antwoord. Probeer het later opnieuw; blijft dit \
                 gebeuren, meld het dan de beheerder."
            );
            return refuse
                .say(StatusCode::BAD_GATEWAY, text, "invalid-answer", None)
                .await;
        }
    };
    let settings = sso.settings();
    let mapped = match settings.map(&verified.claims) {
        Ok(mapped) => mapped,
        Err(refusal) => {
            let text = claim_refusal(refusal, &label);
            return refuse
                .say(StatusCode::FORBIDDEN, text, refusal.slug(), None)
                .await;
        }
    };
    let organisation = match state.store.organisation_by_name(&mapped.organisation).await {
        Ok(Some(org)) => org,
        Ok(None) => {
            tracing::warn!("single sign-on: the mapped organisation does not exist in Baken");
            let refusal = ClaimRefusal::NoOrganisation;
            let text = claim_refusal(refusal, &label);
            return refuse
                .say(StatusCode::FORBIDDEN, text, refusal.slug(), None)
                .await;
        }
        Err(e) => return internal(e),
    };
    let name = if verified.name.trim().is_empty() {
        verified.email.clone()
    } else {
        verified.name.clone()
    };
    let needs_second_factor = state.config.sign_in.requires_second_factor(&mapped.roles);
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
            let (status, text) = match refusal {
                ExternalRefusal::Deactivated(_) => (
                    StatusCode::FORBIDDEN,
                    "Dit account is gedeactiveerd. Vraag de beheerder het weer te activeren."
                        .to_string(),
                ),
                ExternalRefusal::OtherOrganisation(_) => (
                    StatusCode::FORBIDDEN,
                    format!(
                        "{label} noemt een andere organisatie dan die van uw account in Baken. \
                         Een account verandert niet van organisatie: vraag de beheerder om raad."
                    ),
                ),
                // Said alike, so that no one learns which addresses have an account.
                ExternalRefusal::EmailTaken | ExternalRefusal::LinkedToAnother(_) => (
                    StatusCode::CONFLICT,
                    format!(
                        "Baken kan u via {label} niet aan een account koppelen. Log in met uw \
                         wachtwoord, of vraag de beheerder om raad."
                    ),
                ),
            };
            return refuse
                .say(status, text, refusal.slug(), refusal.account())
                .await;
        }
        Err(e) => return internal(e),
    };
    // The provider's sign-in counts as the second factor when its ID token names a method
    // configured as one; otherwise Baken's own authenticator confirms it (or is set up).
    let stage = if !needs_second_factor || settings.second_factor_shown(&verified.amr) {
        SessionStage::Complete
    } else {
        match state.store.second_factor(user.id).await {
            Ok(Some(_)) => SessionStage::SecondFactor,
            Ok(None) => SessionStage::Enrol,
            Err(e) => return internal(e),
        }
    };
    let secret = match open_session(&state, user.id, client, stage, now).await {
        Ok(secret) => secret,
        Err(e) => return internal(e),
    };
    let actor = baken_store::Actor::Caller(baken_core::Caller::for_user_handling_signals(
        &user,
        client.to_string(),
    ));
    let stage_detail = match stage {
        SessionStage::Complete => "stage=complete",
        SessionStage::SecondFactor => "stage=second-factor",
        SessionStage::Enrol => "stage=enrol",
    };
    if let Err(e) = audit_sign_in(
        &state,
        &actor,
        Some(user.id),
        AuditOutcome::Success,
        stage_detail,
    )
    .await
    {
        return internal(e);
    }
    let next = match stage {
        SessionStage::SecondFactor => SECOND_FACTOR_PATH,
        SessionStage::Enrol => ENROL_PATH,
        SessionStage::Complete => "/overzicht",
    };
    // A page of Baken's own that goes on: the session cookie is SameSite=Strict, and
    // browsers hold it back on a redirect chain that began at the provider.
    let mut response = render(
        StatusCode::OK,
        &SignedInPage {
            nav: None,
            label,
            next,
        },
    );
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

/// A sign-in through the provider, audited with how it ended (the refusal's kind, or the
/// session's stage); no claim or address is kept.
async fn audit_sign_in(
    state: &AppState,
    actor: &baken_store::Actor,
    user: Option<Uuid>,
    result: AuditOutcome,
    detail: &str,
) -> Result<(), StoreError> {
    let what = (AuditAction::SessionSingleSignOn, user, result);
    audit_session_with(state, actor, what, detail).await
}

/// Refusing a sign-in this browser began: audited with why, the form shown again with the
/// reason, the flow's cookie cleared.
struct Refusal<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    client: std::net::IpAddr,
}

impl Refusal<'_> {
    async fn say(
        &self,
        status: StatusCode,
        text: String,
        why: &str,
        user: Option<Uuid>,
    ) -> Response {
        let actor = baken_store::Actor::System {
            process: format!("web {}", self.client),
        };
        let detail = format!("refused={why}");
        if let Err(e) = audit_sign_in(self.state, &actor, user, AuditOutcome::Denied, &detail).await
        {
            return internal(e);
        }
        let mut response = login_form(self.state, self.headers, status, String::new(), Some(text));
        let cleared = flow_cookie(self.state, self.headers, "", 0);
        if let Ok(v) = HeaderValue::from_str(&cleared) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
        response
    }
}

#[derive(Template)]
#[template(path = "signed_in.html")]
struct SignedInPage {
    nav: Option<Nav>,
    label: String,
    /// Where the page goes on to: the overview, or the second factor first.
    next: &'static str,
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
