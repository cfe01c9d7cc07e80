//! Logging in and out (audited; failed logins throttled by `crate::login_guard`).

use super::*;
use crate::client::ClientAddress;
use crate::login_guard::Block;
use baken_store::NewSession;

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    nav: Option<Nav>,
    csrf: String,
    email: String,
    error: Option<String>,
    /// The identity provider's name, where single sign-on is set up.
    sso_label: Option<String>,
}

pub(super) fn login_form(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    email: String,
    error: Option<String>,
) -> Response {
    let secure = secure_cookies(state, headers);
    let csrf = auth::random_secret();
    let mut response = render(
        status,
        &LoginPage {
            nav: None,
            csrf: csrf.clone(),
            email,
            error,
            sso_label: state
                .config
                .single_sign_on
                .as_ref()
                .map(|sso| sso.label().to_string()),
        },
    );
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(LOGIN_CSRF_COOKIE, &csrf, secure, 3600))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

pub(super) async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    login_form(&state, &headers, StatusCode::OK, String::new(), None)
}

pub(super) async fn login(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let email = form.one("email").trim().to_string();
    // Double-submit check: the login form's token must match its cookie.
    let cookie_csrf = auth::cookie_value(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if cookie_csrf.is_empty() || !auth::constant_time_eq(cookie_csrf, form.one("csrf")) {
        return login_form(
            &state,
            &headers,
            StatusCode::FORBIDDEN,
            email,
            Some("Het formulier was verlopen. Probeer het opnieuw.".into()),
        );
    }
    let now = state.clock.now();
    if let Some(block) = state.login_guard.check(&email, client, now) {
        let message = blocked_message(block, now);
        return refuse_login(
            &state,
            &headers,
            client,
            email,
            StatusCode::TOO_MANY_REQUESTS,
            AuditOutcome::Throttled,
            &message,
        )
        .await;
    }
    let credentials = match state.store.login_credentials(&email).await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let verified = auth::verify_login(
        form.one("password"),
        credentials.as_ref().map(|(_, hash)| hash.as_str()),
    );
    let Some((user, _)) = credentials.filter(|_| verified) else {
        state.login_guard.failed(&email, client, now);
        let message = "De combinatie van e-mailadres en wachtwoord is onbekend.";
        return refuse_login(
            &state,
            &headers,
            client,
            email,
            StatusCode::UNAUTHORIZED,
            AuditOutcome::Denied,
            message,
        )
        .await;
    };
    // Which step comes after the password: the code of an account's second factor, setting
    // one up where the account's roles require it, or none.
    let stage = match state.store.second_factor(user.id).await {
        Ok(Some(_)) => SessionStage::SecondFactor,
        Ok(None) if state.config.sign_in.requires_second_factor(&user.roles) => SessionStage::Enrol,
        Ok(None) => SessionStage::Complete,
        Err(e) => return internal(e),
    };
    // Failures are forgotten only once the login is whole, so codes cannot be tried between
    // correct passwords without limit.
    if stage != SessionStage::SecondFactor {
        state.login_guard.succeeded(&email, client);
    }
    let secret = match open_session(&state, user.id, client, stage, now).await {
        Ok(secret) => secret,
        Err(e) => return internal(e),
    };
    let actor = baken_store::Actor::Caller(baken_core::Caller::for_user_handling_signals(
        &user,
        client.to_string(),
    ));
    if let Err(e) = audit_session(
        &state,
        &actor,
        AuditAction::SessionLogin,
        Some(user.id),
        AuditOutcome::Success,
    )
    .await
    {
        return internal(e);
    }
    let secure = secure_cookies(&state, &headers);
    let next = match stage {
        SessionStage::SecondFactor => SECOND_FACTOR_PATH,
        SessionStage::Enrol => ENROL_PATH,
        SessionStage::Complete if user.password_change_required => "/wachtwoord",
        SessionStage::Complete => "/overzicht",
    };
    let mut response = Redirect::to(next).into_response();
    let cookies = [
        session_cookie(&state, &headers, &secret),
        auth::set_cookie(LOGIN_CSRF_COOKIE, "", secure, 0),
    ];
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// Opens a session for `user` at `stage` — one waiting for its code lives until the code is
/// due, any other its whole lifetime — and gives the secret for its cookie.
pub(super) async fn open_session(
    state: &AppState,
    user: Uuid,
    client: std::net::IpAddr,
    stage: SessionStage,
    now: time::OffsetDateTime,
) -> Result<String, StoreError> {
    let expires = if stage == SessionStage::SecondFactor {
        now + SECOND_FACTOR_WAIT
    } else {
        now + state.config.sign_in.lifetime()
    };
    let secret = auth::random_secret();
    state
        .store
        .create_session(NewSession {
            id_hash: &auth::secret_hash(&secret),
            user,
            csrf: &auth::random_secret(),
            client: &client.to_string(),
            stage,
            now,
            expires,
        })
        .await?;
    Ok(secret)
}

/// Whether cookies are marked `Secure`: by configuration, or because the request came over TLS.
pub(super) fn secure_cookies(state: &AppState, headers: &HeaderMap) -> bool {
    state.config.force_secure_cookies || auth::over_tls(headers)
}

/// The session cookie holding `secret`, for the session's whole lifetime.
pub(super) fn session_cookie(state: &AppState, headers: &HeaderMap, secret: &str) -> String {
    let lifetime = state.config.sign_in.lifetime().whole_seconds();
    auth::set_cookie(
        SESSION_COOKIE,
        secret,
        secure_cookies(state, headers),
        lifetime,
    )
}

/// What a refused attempt is told: which limit, and for how many minutes (rounded up).
pub(super) fn blocked_message(block: Block, now: time::OffsetDateTime) -> String {
    let seconds = (block.until() - now).whole_seconds().max(1);
    let wait = baken_app::wording::counted(
        u64::try_from((seconds + 59) / 60).unwrap_or(1),
        "minuut",
        "minuten",
    );
    match block {
        Block::Address(_) => {
            format!("Te veel mislukte pogingen vanaf dit adres. Probeer het over {wait} opnieuw.")
        }
        Block::Account(_) => format!(
            "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het \
             over {wait} opnieuw, of vraag de beheerder het account te ontgrendelen."
        ),
        Block::AccountFromAddress(_) => format!(
            "Te veel mislukte pogingen voor dit account vanaf dit adres. Probeer het over \
             {wait} opnieuw."
        ),
    }
}

/// Audits a refused login and shows the form again. The audit names the account the attempt
/// was aimed at when the address typed is one (its id, not the address), so an attack on
/// one account can be seen; an address that is no account is not kept (it may be personal
/// data). Known and unknown addresses cost the same one lookup.
pub(super) async fn refuse_login(
    state: &AppState,
    headers: &HeaderMap,
    client: std::net::IpAddr,
    email: String,
    status: StatusCode,
    result: AuditOutcome,
    message: &str,
) -> Response {
    let actor = baken_store::Actor::System {
        process: format!("web {client}"),
    };
    let target = match state.store.user_by_email(email.trim()).await {
        Ok(user) => user.map(|u| u.id),
        Err(e) => return internal(e),
    };
    if let Err(e) = audit_session(state, &actor, AuditAction::SessionLogin, target, result).await {
        return internal(e);
    }
    login_form(state, headers, status, email, Some(message.to_string()))
}

/// Logins and logouts are audited like changes (BIO2 8.15); no typed e-mail address is kept.
pub(super) async fn audit_session(
    state: &AppState,
    actor: &baken_store::Actor,
    action: AuditAction,
    user: Option<Uuid>,
    result: AuditOutcome,
) -> Result<(), StoreError> {
    audit_session_with(state, actor, (action, user, result), "").await
}

/// A session's event with a detail (how a sign-in ended); no typed address or claim.
pub(super) async fn audit_session_with(
    state: &AppState,
    actor: &baken_store::Actor,
    (action, user, result): (AuditAction, Option<Uuid>, AuditOutcome),
    detail: &str,
) -> Result<(), StoreError> {
    let event = AuditRecord {
        action,
        object: ObjectKind::User,
        object_id: user.map(|u| u.to_string()),
        result,
        detail: detail.to_string(),
    };
    state
        .store
        .record_event(actor, event, state.clock.now())
        .await
}

pub(super) async fn logout(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    if let Err(e) = state.store.delete_session(&session.id_hash).await {
        return internal(e);
    }
    let actor = baken_store::Actor::Caller(session.caller.clone());
    if let Err(e) = audit_session(
        &state,
        &actor,
        AuditAction::SessionLogout,
        Some(session.user.id),
        AuditOutcome::Success,
    )
    .await
    {
        return internal(e);
    }
    let secure = secure_cookies(&state, &headers);
    let mut response = Redirect::to("/inloggen").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(SESSION_COOKIE, "", secure, 0)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

// ------------------------------------------------------------------ own password

#[derive(Template)]
#[template(path = "password.html")]
pub(super) struct PasswordPage {
    nav: Option<Nav>,
    csrf: String,
    required: bool,
    min_chars: usize,
    errors: Vec<String>,
}

fn password_view(session: &Session, status: StatusCode, errors: Vec<String>) -> Response {
    render(
        status,
        &PasswordPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            required: session.user.password_change_required,
            min_chars: auth::MIN_PASSWORD_CHARS,
            errors,
        },
    )
}

pub(super) async fn password_page(State(state): State<AppState>, session: Session) -> Response {
    match state.store.login_credentials(&session.user.email).await {
        Ok(Some(_)) => password_view(&session, StatusCode::OK, Vec::new()),
        Ok(None) => no_password(&session, StatusCode::OK),
        Err(e) => internal(e),
    }
}

/// An account made by the identity provider has no password in Baken: there is nothing to
/// change here, and the page says where it is changed.
fn no_password(session: &Session, status: StatusCode) -> Response {
    message(
        status,
        session.nav(),
        "Geen wachtwoord in Baken",
        "U meldt zich aan via de inlogdienst van uw organisatie. Baken bewaart voor u geen \
         wachtwoord; uw wachtwoord wijzigt u bij die inlogdienst.",
    )
}

/// A user changes their own password: the current one first, the new one twice. Other
/// sessions of the account stay (ending them is issue 18's session overview).
pub(super) async fn change_password(
    State(state): State<AppState>,
    session: Session,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let credentials = match state.store.login_credentials(&session.user.email).await {
        Ok(Some(c)) => c,
        Ok(None) => return no_password(&session, StatusCode::CONFLICT),
        Err(e) => return internal(e),
    };
    let mut errors = Vec::new();
    if !auth::verify_login(form.one("current"), Some(credentials.1.as_str())) {
        errors.push("Huidig wachtwoord: dit is niet uw huidige wachtwoord".to_string());
    }
    let new = form.one("new");
    if !auth::long_enough(new) {
        errors.push(format!(
            "Nieuw wachtwoord: gebruik minstens {} tekens",
            auth::MIN_PASSWORD_CHARS
        ));
    } else if new == form.one("current") {
        errors.push("Nieuw wachtwoord: kies een ander wachtwoord dan het huidige".to_string());
    }
    if new != form.one("repeat") {
        errors.push("Nieuw wachtwoord nogmaals: de twee wachtwoorden verschillen".to_string());
    }
    if !errors.is_empty() {
        return password_view(&session, StatusCode::BAD_REQUEST, errors);
    }
    let Ok(hash) = auth::hash_password(new) else {
        return internal(StoreError::Corrupt("password hash".into()));
    };
    let actor = baken_store::Actor::Caller(session.caller.clone());
    if let Err(e) = state
        .store
        .set_password(&actor, session.user.id, &hash, state.clock.now())
        .await
    {
        return internal(e);
    }
    message(
        StatusCode::OK,
        session.nav(),
        "Wachtwoord gewijzigd",
        "Uw nieuwe wachtwoord is opgeslagen. Gebruik het voortaan om u aan te melden.",
    )
}
