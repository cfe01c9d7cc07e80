//! Beheer → Gebruikers: the beheerder's administration of accounts and their personal API
//! tokens in the browser — list, add, change roles, deactivate and reactivate, reset a
//! password (a temporary one, shown once), unlock after failed logins, revoke tokens. The
//! store checks that the caller administers; these handlers only translate.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use baken_app::labels::Label;
use baken_core::audit::{AuditAction, AuditOutcome, ObjectKind};
use baken_core::{Role, RoleSet};
use baken_store::{Account, Activation, Actor, AuditRecord, NewUser, StoreError, TokenInfo};
use uuid::Uuid;

use crate::ui::{internal, refused, render, Form, Nav, SelectOption, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/beheer/gebruikers", list_page)
        .post("/beheer/gebruikers", create)
        .get("/beheer/gebruikers/{id}", account_page)
        .post("/beheer/gebruikers/{id}/rollen", change_roles)
        .post("/beheer/gebruikers/{id}/uitschakelen", deactivate)
        .post("/beheer/gebruikers/{id}/inschakelen", reactivate)
        .post("/beheer/gebruikers/{id}/wachtwoord", reset_password)
        .post("/beheer/gebruikers/{id}/ontgrendelen", unlock)
        .post("/beheer/gebruikers/{id}/tweede-factor", reset_second_factor)
        .post("/beheer/gebruikers/{id}/token-intrekken", revoke_token)
}

const MISSING: &str = "Deze gebruiker bestaat niet.";

/// One checkbox per role.
pub(crate) struct RoleChoice {
    slug: &'static str,
    label: &'static str,
    checked: bool,
}

fn role_choices(roles: &RoleSet) -> Vec<RoleChoice> {
    Role::ALL
        .iter()
        .map(|r| RoleChoice {
            slug: r.slug(),
            label: r.label(),
            checked: roles.has(*r),
        })
        .collect()
}

fn roles_text(roles: &RoleSet) -> String {
    roles
        .iter()
        .map(Label::label)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A row of the list.
pub(crate) struct AccountRow {
    id: Uuid,
    name: String,
    email: String,
    organisation: String,
    roles: String,
    status: String,
    last_login: String,
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct ListPage {
    nav: Option<Nav>,
    csrf: String,
    accounts: Vec<AccountRow>,
    organisations: Vec<SelectOption>,
    roles: Vec<RoleChoice>,
    email: String,
    name: String,
    errors: Vec<String>,
    /// A new account's temporary password, shown once.
    created: Option<(String, String)>,
}

fn status_text(state: &AppState, account: &Account) -> String {
    if !account.user.active {
        return "uitgeschakeld".into();
    }
    match state
        .login_guard
        .locked_until(&account.user.email, state.clock.now())
    {
        Some(until) => format!("geblokkeerd tot {}", crate::ui::time_of_day(until)),
        None => "actief".into(),
    }
}

fn last_login(t: Option<time::OffsetDateTime>) -> String {
    t.map_or_else(|| "nooit".into(), crate::ui::moment)
}

struct ListInput {
    status: StatusCode,
    email: String,
    name: String,
    org: Option<String>,
    roles: RoleSet,
    errors: Vec<String>,
    created: Option<(String, String)>,
}

impl ListInput {
    fn empty() -> Self {
        Self {
            status: StatusCode::OK,
            email: String::new(),
            name: String::new(),
            org: None,
            roles: RoleSet::new([]),
            errors: Vec::new(),
            created: None,
        }
    }
}

async fn list_view(state: &AppState, session: &Session, input: ListInput) -> Response {
    let actor = Actor::Caller(session.caller.clone());
    let accounts = match state.store.accounts(&actor).await {
        Ok(a) => a,
        Err(e) => return refused(session, e, MISSING),
    };
    let orgs = match state.store.organisations().await {
        Ok(o) => o,
        Err(e) => return internal(e),
    };
    let rows = accounts
        .iter()
        .map(|a| AccountRow {
            id: a.user.id,
            name: a.user.display_name.clone(),
            email: a.user.email.clone(),
            organisation: orgs
                .iter()
                .find(|o| o.id == a.user.org)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            roles: roles_text(&a.user.roles),
            status: status_text(state, a),
            last_login: last_login(a.last_login),
        })
        .collect();
    let organisations = orgs
        .iter()
        .map(|o| SelectOption {
            value: o.id.to_string(),
            label: o.name.clone(),
            selected: input.org.as_deref() == Some(o.id.to_string().as_str()),
        })
        .collect();
    render(
        input.status,
        &ListPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            accounts: rows,
            organisations,
            roles: role_choices(&input.roles),
            email: input.email,
            name: input.name,
            errors: input.errors,
            created: input.created,
        },
    )
}

async fn list_page(State(state): State<AppState>, session: Session) -> Response {
    list_view(&state, &session, ListInput::empty()).await
}

/// The roles ticked in a form; an unknown one is an error naming it.
fn ticked_roles(form: &Form) -> Result<RoleSet, String> {
    form.all("roles")
        .iter()
        .map(|r| {
            r.parse::<Role>()
                .map_err(|e| baken_app::wording::unknown_role(&e))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(RoleSet::new)
}

async fn create(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let mut input = ListInput {
        status: StatusCode::BAD_REQUEST,
        email: form.one("email").trim().to_string(),
        name: form.one("name").trim().to_string(),
        org: form.opt("org"),
        ..ListInput::empty()
    };
    match ticked_roles(&form) {
        Ok(roles) => input.roles = roles,
        Err(e) => input.errors.push(format!("Rollen: {e}")),
    }
    let org = input.org.as_deref().and_then(|o| Uuid::parse_str(o).ok());
    if org.is_none() {
        input
            .errors
            .push("Organisatie: kies een organisatie".into());
    }
    if input.name.is_empty() {
        input.errors.push("Naam: vul een naam in".into());
    }
    let (Some(org), true) = (org, input.errors.is_empty()) else {
        return list_view(&state, &session, input).await;
    };
    let temporary = baken_store::credentials::random_password();
    let hash = match baken_store::credentials::hash_password(&temporary) {
        Ok(h) => h,
        Err(_) => return internal(StoreError::Corrupt("password hash".into())),
    };
    let actor = Actor::Caller(session.caller.clone());
    let now = state.clock.now();
    let created = state
        .store
        .create_user(
            &actor,
            NewUser {
                org,
                email: input.email.clone(),
                display_name: input.name.clone(),
                roles: input.roles.clone(),
                password_hash: Some(hash.clone()),
            },
            now,
        )
        .await;
    let user = match created {
        Ok(user) => user,
        Err(e) => match words(e) {
            Ok(errors) => {
                input.errors = errors;
                return list_view(&state, &session, input).await;
            }
            Err(e) => return refused(&session, e, MISSING),
        },
    };
    // A new account starts with a temporary password the user replaces at the first login.
    if let Err(e) = state
        .store
        .reset_password(&actor, user.id, &hash, now)
        .await
    {
        return internal(e);
    }
    let done = ListInput {
        status: StatusCode::OK,
        created: Some((user.email, temporary)),
        ..ListInput::empty()
    };
    list_view(&state, &session, done).await
}

// ------------------------------------------------------------------ one account

pub(crate) struct TokenRow {
    hash: String,
    label: String,
    created: String,
    last_used: String,
    revoked: Option<String>,
}

impl From<&TokenInfo> for TokenRow {
    fn from(t: &TokenInfo) -> Self {
        Self {
            hash: t.hash.clone(),
            label: t.label.clone(),
            created: crate::ui::day(t.created_at),
            last_used: t
                .last_used_at
                .map_or_else(|| "nooit".into(), crate::ui::moment),
            revoked: t.revoked_at.map(crate::ui::day),
        }
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Option<Nav>,
    csrf: String,
    id: Uuid,
    name: String,
    email: String,
    organisation: String,
    status: String,
    active: bool,
    locked: bool,
    own: bool,
    last_login: String,
    created: String,
    /// Since when the account has a second factor.
    second_factor: Option<String>,
    roles: Vec<RoleChoice>,
    tokens: Vec<TokenRow>,
    notice: Option<String>,
    errors: Vec<String>,
    /// A temporary password after a reset, shown once.
    temporary: Option<String>,
}

/// What the page says after an action.
#[derive(Default)]
struct Outcome {
    status: Option<StatusCode>,
    notice: Option<String>,
    errors: Vec<String>,
    temporary: Option<String>,
}

/// The account, if the caller administers and it exists.
async fn find(state: &AppState, session: &Session, id: &str) -> Result<Account, Response> {
    let actor = Actor::Caller(session.caller.clone());
    let accounts = state
        .store
        .accounts(&actor)
        .await
        .map_err(|e| refused(session, e, MISSING))?;
    let id = Uuid::parse_str(id).map_err(|_| refused(session, StoreError::NotFound, MISSING))?;
    accounts
        .into_iter()
        .find(|a| a.user.id == id)
        .ok_or_else(|| refused(session, StoreError::NotFound, MISSING))
}

async fn account_view(state: &AppState, session: &Session, id: &str, outcome: Outcome) -> Response {
    let account = match find(state, session, id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let actor = Actor::Caller(session.caller.clone());
    let tokens = match state.store.api_tokens(&actor, Some(account.user.id)).await {
        Ok(t) => t,
        Err(e) => return internal(e),
    };
    let organisation = match state.store.organisations().await {
        Ok(orgs) => orgs
            .into_iter()
            .find(|o| o.id == account.user.org)
            .map(|o| o.name)
            .unwrap_or_default(),
        Err(e) => return internal(e),
    };
    let locked = state
        .login_guard
        .locked_until(&account.user.email, state.clock.now())
        .is_some();
    let second_factor = match state.store.second_factor(account.user.id).await {
        Ok(f) => f.map(|f| crate::ui::moment(f.enrolled_at)),
        Err(e) => return internal(e),
    };
    render(
        outcome.status.unwrap_or(StatusCode::OK),
        &AccountPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            id: account.user.id,
            name: account.user.display_name.clone(),
            email: account.user.email.clone(),
            organisation,
            status: status_text(state, &account),
            active: account.user.active,
            locked,
            own: account.user.id == session.caller.user(),
            last_login: last_login(account.last_login),
            created: crate::ui::day(account.created_at),
            second_factor,
            roles: role_choices(&account.user.roles),
            tokens: tokens.iter().map(TokenRow::from).collect(),
            notice: outcome.notice,
            errors: outcome.errors,
            temporary: outcome.temporary,
        },
    )
}

async fn account_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    account_view(&state, &session, &id, Outcome::default()).await
}

/// Checks the form's CSRF token and that the account may be administered by the caller.
async fn prepare(
    state: &AppState,
    session: &Session,
    id: &str,
    body: &Bytes,
) -> Result<(Form, Account), Response> {
    let form = Form::parse(body);
    if let Some(r) = session.csrf_refused(&form) {
        return Err(r);
    }
    let account = find(state, session, id).await?;
    Ok((form, account))
}

fn back(id: Uuid) -> Response {
    Redirect::to(&format!("/beheer/gebruikers/{id}")).into_response()
}

/// A refused change: the store's words as the page's error list.
async fn failed(state: &AppState, session: &Session, id: &str, e: StoreError) -> Response {
    match words(e) {
        Ok(errors) => {
            let outcome = Outcome {
                status: Some(StatusCode::BAD_REQUEST),
                errors,
                ..Outcome::default()
            };
            account_view(state, session, id, outcome).await
        }
        Err(e) => refused(session, e, MISSING),
    }
}

/// What the store refused about the input, per field in Dutch ("E-mailadres: …"); any other
/// error as it is.
fn words(e: StoreError) -> Result<Vec<String>, StoreError> {
    crate::ui::input_words(e, |field| match field {
        "email" => "E-mailadres",
        "roles" => "Rollen",
        "active" => "Status",
        _ => "Naam",
    })
}

async fn change_roles(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (form, account) = match prepare(&state, &session, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let roles = match ticked_roles(&form) {
        Ok(r) => r,
        Err(e) => {
            let outcome = Outcome {
                status: Some(StatusCode::BAD_REQUEST),
                errors: vec![format!("Rollen: {e}")],
                ..Outcome::default()
            };
            return account_view(&state, &session, &id, outcome).await;
        }
    };
    let actor = Actor::Caller(session.caller.clone());
    match state
        .store
        .set_roles(&actor, account.user.id, roles, state.clock.now())
        .await
    {
        Ok(()) => back(account.user.id),
        Err(e) => failed(&state, &session, &id, e).await,
    }
}

async fn activation(
    state: AppState,
    session: Session,
    id: String,
    body: Bytes,
    to: Activation,
) -> Response {
    let (_, account) = match prepare(&state, &session, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let actor = Actor::Caller(session.caller.clone());
    match state
        .store
        .set_activation(&actor, account.user.id, to, state.clock.now())
        .await
    {
        Ok(()) => back(account.user.id),
        Err(e) => failed(&state, &session, &id, e).await,
    }
}

async fn deactivate(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    activation(state, session, id, body, Activation::Inactive).await
}

async fn reactivate(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    activation(state, session, id, body, Activation::Active).await
}

async fn reset_password(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (_, account) = match prepare(&state, &session, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let temporary = baken_store::credentials::random_password();
    let Ok(hash) = baken_store::credentials::hash_password(&temporary) else {
        return internal(StoreError::Corrupt("password hash".into()));
    };
    let actor = Actor::Caller(session.caller.clone());
    if let Err(e) = state
        .store
        .reset_password(&actor, account.user.id, &hash, state.clock.now())
        .await
    {
        return failed(&state, &session, &id, e).await;
    }
    let outcome = Outcome {
        temporary: Some(temporary),
        ..Outcome::default()
    };
    account_view(&state, &session, &id, outcome).await
}

/// Removes the account's second factor and ends its sessions: for a lost telephone. The user
/// sets up a new one at their next login.
async fn reset_second_factor(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (_, account) = match prepare(&state, &session, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let actor = Actor::Caller(session.caller.clone());
    if let Err(e) = state
        .store
        .reset_second_factor(&actor, account.user.id, state.clock.now())
        .await
    {
        return failed(&state, &session, &id, e).await;
    }
    let outcome = Outcome {
        notice: Some(
            "De tweede factor is verwijderd en de sessies zijn beëindigd. Bij de volgende \
             aanmelding stelt de gebruiker een nieuwe in."
                .into(),
        ),
        ..Outcome::default()
    };
    account_view(&state, &session, &id, outcome).await
}

async fn unlock(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (_, account) = match prepare(&state, &session, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    state.login_guard.unlock(&account.user.email);
    let event = AuditRecord {
        action: AuditAction::UserUnlock,
        object: ObjectKind::User,
        object_id: Some(account.user.id.to_string()),
        result: AuditOutcome::Success,
        detail: String::new(),
    };
    let actor = Actor::Caller(session.caller.clone());
    if let Err(e) = state
        .store
        .record_event(&actor, event, state.clock.now())
        .await
    {
        return internal(e);
    }
    let outcome = Outcome {
        notice: Some("Het account is ontgrendeld.".into()),
        ..Outcome::default()
    };
    account_view(&state, &session, &id, outcome).await
}

async fn revoke_token(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (form, account) = match prepare(&state, &session, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let actor = Actor::Caller(session.caller.clone());
    // Only this account's tokens are revoked from its page.
    let tokens = match state.store.api_tokens(&actor, Some(account.user.id)).await {
        Ok(t) => t,
        Err(e) => return internal(e),
    };
    let Some(token) = tokens.iter().find(|t| t.hash == form.one("token")) else {
        return refused(
            &session,
            StoreError::NotFound,
            "Dit token bestaat niet (meer) bij deze gebruiker.",
        );
    };
    match state
        .store
        .revoke_token(&actor, &token.hash, state.clock.now())
        .await
    {
        Ok(()) => back(account.user.id),
        Err(e) => failed(&state, &session, &id, e).await,
    }
}
