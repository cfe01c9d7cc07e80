//! The second factor (the code after the password, setting it up) and a user's own account:
//! their sessions, which they can end, and their second factor (issue 18, pt 2).

use super::*;
use crate::client::ClientAddress;
use baken_store::credentials::totp;
use baken_store::{Actor, EndSessions, SessionInfo};

/// Where the code after the password is asked.
pub(super) const SECOND_FACTOR_PATH: &str = "/inloggen/code";
/// Where a user sets up their second factor.
pub(super) const ENROL_PATH: &str = "/tweede-factor";
/// How long the code may take after the password.
pub(super) const SECOND_FACTOR_WAIT: time::Duration = time::Duration::minutes(5);

// ------------------------------------------------------------------ the code after the password

#[derive(Template)]
#[template(path = "second_factor.html")]
struct SecondFactorPage {
    nav: Option<Nav>,
    csrf: String,
    error: Option<String>,
}

/// The session waiting for its code, or where the browser should go instead.
async fn waiting(state: &AppState, headers: &HeaderMap) -> Result<(String, LiveSession), Response> {
    let to_login = || Redirect::to("/inloggen").into_response();
    let secret = auth::cookie_value(headers, SESSION_COOKIE).ok_or_else(to_login)?;
    let id_hash = auth::secret_hash(secret);
    match state
        .store
        .session(&id_hash, state.clock.now(), state.config.sign_in.idle())
        .await
    {
        Ok(Some(live)) if live.stage == SessionStage::SecondFactor => Ok((id_hash, live)),
        Ok(Some(_)) => Err(Redirect::to("/overzicht").into_response()),
        Ok(None) => Err(to_login()),
        Err(e) => Err(internal(e)),
    }
}

pub(super) async fn second_factor_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Response {
    match waiting(&state, &headers).await {
        Ok((_, live)) => render(
            StatusCode::OK,
            &SecondFactorPage {
                nav: None,
                csrf: live.csrf,
                error: None,
            },
        ),
        Err(r) => r,
    }
}

/// The code from the authenticator app, or one of the recovery codes. Each code works once;
/// failures count towards the same limits as wrong passwords.
pub(super) async fn confirm_second_factor(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (id_hash, live) = match waiting(&state, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let form = Form::parse(&body);
    let refuse = |status: StatusCode, text: String| {
        render(
            status,
            &SecondFactorPage {
                nav: None,
                csrf: live.csrf.clone(),
                error: Some(text),
            },
        )
    };
    if !auth::constant_time_eq(form.one("csrf"), &live.csrf) {
        return refuse(
            StatusCode::FORBIDDEN,
            "Het formulier was verlopen. Probeer het opnieuw.".into(),
        );
    }
    let now = state.clock.now();
    let user = live.user.clone();
    let actor = Actor::Caller(Caller::for_user_handling_signals(&user, client.to_string()));
    if let Some(block) = state.login_guard.check(&user.email, client, now) {
        if let Err(e) = audit_session(
            &state,
            &actor,
            AuditAction::SessionSecondFactor,
            Some(user.id),
            AuditOutcome::Throttled,
        )
        .await
        {
            return internal(e);
        }
        return refuse(StatusCode::TOO_MANY_REQUESTS, blocked_message(block, now));
    }
    let code = form.one("code").trim();
    let accepted = match check_code(&state, &user, code, now).await {
        Ok(a) => a,
        Err(e) => return internal(e),
    };
    let Some(way) = accepted else {
        state.login_guard.failed(&user.email, client, now);
        if let Err(e) = audit_session(
            &state,
            &actor,
            AuditAction::SessionSecondFactor,
            Some(user.id),
            AuditOutcome::Denied,
        )
        .await
        {
            return internal(e);
        }
        return refuse(
            StatusCode::UNAUTHORIZED,
            "De code klopt niet of is al gebruikt. Neem de code die uw app nu toont, of een \
             ongebruikte herstelcode."
                .into(),
        );
    };
    state.login_guard.succeeded(&user.email, client);
    let secret = auth::random_secret();
    let expires = now + state.config.sign_in.lifetime();
    match state
        .store
        .complete_session(&id_hash, &auth::secret_hash(&secret), now, expires)
        .await
    {
        Ok(true) => {}
        Ok(false) => return Redirect::to("/inloggen").into_response(),
        Err(e) => return internal(e),
    }
    let action = match way {
        CodeKind::Authenticator => AuditAction::SessionSecondFactor,
        CodeKind::Recovery => AuditAction::SessionRecoveryCode,
    };
    if let Err(e) =
        audit_session(&state, &actor, action, Some(user.id), AuditOutcome::Success).await
    {
        return internal(e);
    }
    let next = if user.password_change_required {
        "/wachtwoord"
    } else if way == CodeKind::Recovery {
        // Tell how many recovery codes are left.
        "/mijn-account"
    } else {
        "/overzicht"
    };
    let mut response = Redirect::to(next).into_response();
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&state, &headers, &secret)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeKind {
    Authenticator,
    Recovery,
}

/// Whether `code` is the account's current authenticator code (its time step not used
/// before) or an unused recovery code; either is used up by being accepted.
async fn check_code(
    state: &AppState,
    user: &User,
    code: &str,
    now: OffsetDateTime,
) -> Result<Option<CodeKind>, StoreError> {
    let Some(factor) = state.store.second_factor(user.id).await? else {
        return Ok(None);
    };
    let seconds = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    if let Some(step) = totp::step_of(&factor.secret, code, seconds) {
        let fresh = state.store.accept_totp_step(user.id, step).await?;
        return Ok(fresh.then_some(CodeKind::Authenticator));
    }
    if code.chars().filter(char::is_ascii_alphanumeric).count() == 10 {
        let used = state
            .store
            .use_recovery_code(user.id, &totp::recovery_hash(code), now)
            .await?;
        return Ok(used.then_some(CodeKind::Recovery));
    }
    Ok(None)
}

// ------------------------------------------------------------------ setting up the second factor

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    nav: Option<Nav>,
    csrf: String,
    required: bool,
    /// The secret in groups of four, to type into an app.
    secret: String,
    /// The `otpauth://` link as a QR code (SVG).
    qr: String,
    error: Option<String>,
    /// Set up already: since when.
    enrolled: Option<String>,
    /// After setting it up: the recovery codes, shown once.
    recovery_codes: Vec<String>,
    /// The codes replace earlier ones (the second factor was set up before).
    renewed: bool,
}

fn enrol_view(session: &Session, state: &AppState, view: EnrolView) -> Response {
    let required = state
        .config
        .sign_in
        .requires_second_factor(&session.user.roles);
    let view_kind = match view {
        EnrolView::Renewed { .. } => ViewKind::Renewed,
        _ => ViewKind::Other,
    };
    let (status, secret, qr, error, enrolled, recovery_codes) = match view {
        EnrolView::Offer { secret, error } => {
            let qr = totp::url(&secret, &session.user.email)
                .and_then(|url| qr_svg(&url))
                .unwrap_or_default();
            let status = if error.is_some() {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            (status, totp::grouped(&secret), qr, error, None, Vec::new())
        }
        EnrolView::Enrolled { since } => (
            StatusCode::OK,
            String::new(),
            String::new(),
            None,
            Some(since),
            Vec::new(),
        ),
        EnrolView::Done { codes } | EnrolView::Renewed { codes } => (
            StatusCode::OK,
            String::new(),
            String::new(),
            None,
            None,
            codes,
        ),
    };
    let renewed = matches!(view_kind, ViewKind::Renewed);
    render(
        status,
        &EnrolPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            required,
            secret,
            qr,
            error,
            enrolled,
            recovery_codes,
            renewed,
        },
    )
}

enum EnrolView {
    Offer {
        secret: String,
        error: Option<String>,
    },
    Enrolled {
        since: String,
    },
    Done {
        codes: Vec<String>,
    },
    /// New recovery codes for a second factor set up before.
    Renewed {
        codes: Vec<String>,
    },
}

#[derive(Clone, Copy)]
enum ViewKind {
    Other,
    Renewed,
}

/// The QR code of `text` as an inline SVG image (black modules on white, a quiet zone of four).
fn qr_svg(text: &str) -> Option<String> {
    use std::fmt::Write;
    let qr = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).ok()?;
    let border = 4;
    let dim = qr.size() + 2 * border;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                let _ = write!(path, "M{},{}h1v1h-1z", x + border, y + border);
            }
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {dim} {dim}\" width=\"220\" \
         height=\"220\" role=\"img\" aria-label=\"QR-code om Baken aan uw authenticator-app \
         toe te voegen\" shape-rendering=\"crispEdges\"><rect width=\"{dim}\" height=\"{dim}\" \
         fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

pub(super) async fn enrol_page(State(state): State<AppState>, session: Session) -> Response {
    match state.store.second_factor(session.user.id).await {
        Ok(Some(factor)) => {
            return enrol_view(
                &session,
                &state,
                EnrolView::Enrolled {
                    since: moment(factor.enrolled_at),
                },
            )
        }
        Ok(None) => {}
        Err(e) => return internal(e),
    }
    // The same secret until the user confirms it (a reload does not invalidate the app).
    let secret = match &session.enrol_secret {
        Some(s) => s.clone(),
        None => {
            let s = totp::new_secret();
            if let Err(e) = state
                .store
                .set_enrol_secret(&session.id_hash, Some(&s))
                .await
            {
                return internal(e);
            }
            s
        }
    };
    enrol_view(
        &session,
        &state,
        EnrolView::Offer {
            secret,
            error: None,
        },
    )
}

/// The user confirms the app with its current code; the second factor is stored with new
/// recovery codes, which are shown once.
pub(super) async fn enrol(
    State(state): State<AppState>,
    session: Session,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    match state.store.second_factor(session.user.id).await {
        Ok(Some(_)) => return Redirect::to(ENROL_PATH).into_response(),
        Ok(None) => {}
        Err(e) => return internal(e),
    }
    let Some(secret) = session.enrol_secret.clone() else {
        return Redirect::to(ENROL_PATH).into_response();
    };
    let now = state.clock.now();
    let seconds = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    let Some(step) = totp::step_of(&secret, form.one("code"), seconds) else {
        let error = Some(
            "Code: dit is niet de code die uw app nu toont. Controleer of de tijd op uw \
             telefoon klopt en typ de zes cijfers."
                .to_string(),
        );
        return enrol_view(&session, &state, EnrolView::Offer { secret, error });
    };
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_hash(c)).collect();
    let actor = Actor::Caller(session.caller.clone());
    if let Err(e) = state
        .store
        .enrol_second_factor(&actor, &secret, step, &hashes, now)
        .await
    {
        return internal(e);
    }
    enrol_view(&session, &state, EnrolView::Done { codes })
}

// ------------------------------------------------------------------ own account and sessions

#[derive(Template)]
#[template(path = "own_account.html")]
struct OwnAccountPage {
    nav: Option<Nav>,
    csrf: String,
    email: String,
    /// Set up since, and recovery codes left.
    second_factor: Option<(String, u64)>,
    second_factor_required: bool,
    sessions: Vec<SessionRow>,
    idle_minutes: i64,
    notice: Option<String>,
    error: Option<String>,
}

struct SessionRow {
    handle: Uuid,
    current: bool,
    client: String,
    started: String,
    last_seen: String,
    ends: String,
}

impl SessionRow {
    fn of(info: &SessionInfo, current: Uuid) -> Self {
        Self {
            handle: info.handle,
            current: info.handle == current,
            client: info.client.clone(),
            started: moment(info.created_at),
            last_seen: moment(info.last_seen_at),
            ends: moment(info.expires_at),
        }
    }
}

async fn own_account_view(state: &AppState, session: &Session, notice: Option<String>) -> Response {
    own_account_answer(state, session, StatusCode::OK, notice, None).await
}

async fn own_account_answer(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let actor = Actor::Caller(session.caller.clone());
    let now = state.clock.now();
    let sessions = match state
        .store
        .sessions_of(&actor, now, state.config.sign_in.idle())
        .await
    {
        Ok(s) => s,
        Err(e) => return internal(e),
    };
    let second_factor = match state.store.second_factor(session.user.id).await {
        Ok(f) => f.map(|f| (moment(f.enrolled_at), f.recovery_codes_left)),
        Err(e) => return internal(e),
    };
    render(
        status,
        &OwnAccountPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            email: session.user.email.clone(),
            second_factor,
            second_factor_required: state
                .config
                .sign_in
                .requires_second_factor(&session.user.roles),
            sessions: sessions
                .iter()
                .map(|s| SessionRow::of(s, session.handle))
                .collect(),
            idle_minutes: state.config.sign_in.idle().whole_minutes(),
            notice,
            error,
        },
    )
}

pub(super) async fn own_account_page(State(state): State<AppState>, session: Session) -> Response {
    own_account_view(&state, &session, None).await
}

/// New recovery codes, confirmed with the authenticator's current code; the old ones stop
/// working. Shown once.
pub(super) async fn renew_recovery_codes(
    State(state): State<AppState>,
    session: Session,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let factor = match state.store.second_factor(session.user.id).await {
        Ok(Some(f)) => f,
        Ok(None) => return Redirect::to(ENROL_PATH).into_response(),
        Err(e) => return internal(e),
    };
    let now = state.clock.now();
    let seconds = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    let fresh = match totp::step_of(&factor.secret, form.one("code"), seconds) {
        Some(step) => match state.store.accept_totp_step(session.user.id, step).await {
            Ok(fresh) => fresh,
            Err(e) => return internal(e),
        },
        None => false,
    };
    if !fresh {
        let error = "Code: dit is niet de code die uw app nu toont, of die code is al gebruikt. \
                     Wacht op de volgende code."
            .to_string();
        return own_account_answer(&state, &session, StatusCode::BAD_REQUEST, None, Some(error))
            .await;
    }
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_hash(c)).collect();
    let actor = Actor::Caller(session.caller.clone());
    if let Err(e) = state.store.renew_recovery_codes(&actor, &hashes, now).await {
        return internal(e);
    }
    enrol_view(&session, &state, EnrolView::Renewed { codes })
}

/// Ends one of the user's other sessions (`sessie` = its handle) or all of them
/// (`sessie=andere`); the session in use stays.
pub(super) async fn end_sessions(
    State(state): State<AppState>,
    session: Session,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let which = match form.one("sessie") {
        "andere" => EndSessions::AllBut(session.handle),
        handle => match Uuid::parse_str(handle) {
            Ok(h) if h != session.handle => EndSessions::One(h),
            Ok(_) => {
                return message(
                    StatusCode::BAD_REQUEST,
                    session.nav(),
                    "Sessie niet beëindigd",
                    "Dit is de sessie die u nu gebruikt. Log uit om die te beëindigen.",
                )
            }
            Err(_) => {
                return message(
                    StatusCode::BAD_REQUEST,
                    session.nav(),
                    "Sessie niet beëindigd",
                    "Sessie: kies een sessie uit de lijst.",
                )
            }
        },
    };
    let actor = Actor::Caller(session.caller.clone());
    let ended = match state
        .store
        .end_sessions(&actor, which, state.clock.now())
        .await
    {
        Ok(n) => n,
        Err(e) => return internal(e),
    };
    let notice = match ended {
        0 => "Er was geen andere sessie meer actief.".to_string(),
        n => format!(
            "{} beëindigd.",
            baken_app::wording::counted(n, "sessie", "sessies")
        ),
    };
    own_account_view(&state, &session, Some(notice)).await
}
