//! `baken user`, `baken token`, `baken org list` and `baken agreement list|end`: the
//! beheerder's administration of accounts, personal API tokens, organisations and sharing
//! agreements for scripts — the same store operations as the pages under Beheer, audited as
//! the command line.

use anyhow::{bail, Context, Result};
use baken_core::{Clock, Role, RoleSet};
use baken_store::{Activation, Actor, NewUser, SharedStore, TokenInfo};
use std::process::ExitCode;
use std::sync::Arc;

use crate::cli::{StoreArgs, TokenCommand, UserCommand};
use crate::config::FileConfig;
use crate::run::{open, opened, read_password, store_settings};

/// The shortest token id `baken token revoke` accepts (a prefix of the token's hash).
const MIN_TOKEN_ID: usize = 8;
/// How much of a token's hash `baken token list` shows as its id.
const SHOWN_TOKEN_ID: usize = 12;

fn parse_roles(roles: &[String]) -> Result<RoleSet> {
    let roles = roles
        .iter()
        .flat_map(|r| r.split(','))
        .map(|r| {
            r.parse::<Role>()
                .map_err(|e| anyhow::anyhow!(baken_app::wording::unknown_role(&e)))
        })
        .collect::<Result<Vec<_>, _>>()
        .context("--role")?;
    Ok(RoleSet::new(roles))
}

async fn account(store: &SharedStore, email: &str) -> Result<baken_core::model::User> {
    match store.user_by_email(email).await? {
        Some(user) => Ok(user),
        None => bail!("--email: er is geen gebruiker met dit e-mailadres"),
    }
}

fn day(t: Option<time::OffsetDateTime>) -> String {
    t.map_or_else(
        || "-".to_string(),
        |t| baken_core::calendar::local_date(t).to_string(),
    )
}

pub(crate) async fn user(
    command: UserCommand,
    file: FileConfig,
    clock: Arc<dyn Clock>,
) -> Result<ExitCode> {
    let actor = Actor::cli();
    match command {
        UserCommand::Add {
            org,
            roles,
            email,
            name,
            store,
        } => {
            let settings = store_settings(file, store, None);
            let roles = parse_roles(&roles)?;
            let password = read_password()?;
            let store = open(&settings, clock.as_ref()).await?;
            let Some(organisation) = store.organisation_by_name(&org).await? else {
                bail!(
                    "--org: organisatie '{org}' bestaat niet (voeg haar toe met `baken org add`)"
                );
            };
            let hash = baken_store::credentials::hash_password(&password)?;
            let display_name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
            let user = store
                .create_user(
                    &actor,
                    NewUser {
                        org: organisation.id,
                        email,
                        display_name,
                        roles,
                        password_hash: Some(hash),
                    },
                    clock.now(),
                )
                .await?;
            say!(
                "Gebruiker {} toegevoegd aan {} met rollen {}.",
                user.email,
                organisation.name,
                user.roles.to_slugs()
            );
        }
        UserCommand::List { store } => {
            let store = opened(file, store, clock.as_ref()).await?;
            let orgs = store.organisations().await?;
            say!("e-mailadres\torganisatie\trollen\tstatus\tlaatst aangemeld");
            for a in store.accounts(&actor).await? {
                let org = orgs
                    .iter()
                    .find(|o| o.id == a.user.org)
                    .map_or("", |o| o.name.as_str());
                let status = if a.user.active {
                    "actief"
                } else {
                    "uitgeschakeld"
                };
                say!(
                    "{}\t{org}\t{}\t{status}\t{}",
                    a.user.email,
                    a.user.roles.to_slugs(),
                    day(a.last_login)
                );
            }
        }
        UserCommand::Roles {
            email,
            roles,
            store,
        } => {
            let settings = store_settings(file, store, None);
            let roles = parse_roles(&roles)?;
            let store = open(&settings, clock.as_ref()).await?;
            let user = account(&store, &email).await?;
            store
                .set_roles(&actor, user.id, roles.clone(), clock.now())
                .await?;
            say!("Rollen van {} zijn nu {}.", user.email, roles.to_slugs());
        }
        UserCommand::Deactivate { email, store } => {
            let store = opened(file, store, clock.as_ref()).await?;
            let user = account(&store, &email).await?;
            store
                .set_activation(&actor, user.id, Activation::Inactive, clock.now())
                .await?;
            say!(
                "Account {} is uitgeschakeld; de sessies zijn beëindigd.",
                user.email
            );
        }
        UserCommand::Reactivate { email, store } => {
            let store = opened(file, store, clock.as_ref()).await?;
            let user = account(&store, &email).await?;
            store
                .set_activation(&actor, user.id, Activation::Active, clock.now())
                .await?;
            say!("Account {} is weer actief.", user.email);
        }
        UserCommand::ResetPassword { email, store } => {
            let store = opened(file, store, clock.as_ref()).await?;
            let user = account(&store, &email).await?;
            let temporary = baken_store::credentials::random_password();
            let hash = baken_store::credentials::hash_password(&temporary)?;
            store
                .reset_password(&actor, user.id, &hash, clock.now())
                .await?;
            say!("{temporary}");
            eprintln!(
                "Tijdelijk wachtwoord voor {}: geef het veilig door; bij de volgende aanmelding \
                 kiest de gebruiker een nieuw wachtwoord.",
                user.email
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The token whose hash starts with `id` (unique, at least [`MIN_TOKEN_ID`] characters).
fn token_by_id<'a>(tokens: &'a [TokenInfo], id: &str) -> Result<&'a TokenInfo> {
    let id = id.trim().to_ascii_lowercase();
    if id.len() < MIN_TOKEN_ID || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        bail!("--id: gebruik het kenmerk uit `baken token list` (minstens {MIN_TOKEN_ID} tekens 0-9/a-f)");
    }
    let mut found = tokens.iter().filter(|t| t.hash.starts_with(&id));
    match (found.next(), found.next()) {
        (Some(t), None) => Ok(t),
        (None, _) => bail!("--id: er is geen token met dit kenmerk"),
        (Some(_), Some(_)) => bail!("--id: meer tokens beginnen zo; geef meer tekens"),
    }
}

pub(crate) async fn token(
    command: TokenCommand,
    file: FileConfig,
    clock: Arc<dyn Clock>,
) -> Result<ExitCode> {
    let actor = Actor::cli();
    match command {
        TokenCommand::Create {
            email,
            label,
            store,
        } => {
            let store = opened(file, store, clock.as_ref()).await?;
            let user = account(&store, &email).await?;
            let (token, hash) = baken_store::credentials::new_api_token();
            store
                .create_api_token(&actor, user.id, &hash, &label, clock.now())
                .await?;
            say!("{token}");
            eprintln!("Bewaar dit token nu: het wordt niet nog eens getoond.");
        }
        TokenCommand::List { email, store } => {
            let store = opened(file, store, clock.as_ref()).await?;
            let of = match email {
                Some(email) => Some(account(&store, &email).await?.id),
                None => None,
            };
            let users = store.accounts(&actor).await?;
            say!("kenmerk\tgebruiker\tomschrijving\taangemaakt\tlaatst gebruikt\tingetrokken");
            for t in store.api_tokens(&actor, of).await? {
                let email = users
                    .iter()
                    .find(|a| a.user.id == t.user)
                    .map_or("", |a| a.user.email.as_str());
                say!(
                    "{}\t{email}\t{}\t{}\t{}\t{}",
                    &t.hash[..SHOWN_TOKEN_ID.min(t.hash.len())],
                    t.label,
                    day(Some(t.created_at)),
                    day(t.last_used_at),
                    day(t.revoked_at)
                );
            }
        }
        TokenCommand::Revoke { id, store } => {
            let store = opened(file, store, clock.as_ref()).await?;
            let tokens = store.api_tokens(&actor, None).await?;
            let token = token_by_id(&tokens, &id)?;
            store.revoke_token(&actor, &token.hash, clock.now()).await?;
            say!("Token '{}' is ingetrokken.", token.label);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) async fn org_list(
    file: FileConfig,
    store: StoreArgs,
    clock: Arc<dyn Clock>,
) -> Result<ExitCode> {
    use baken_app::labels::Label;
    let store = opened(file, store, clock.as_ref()).await?;
    say!("naam\tsoort");
    for org in store.organisations().await? {
        say!("{}\t{}", org.name, org.kind.label());
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) async fn agreement_list(
    file: FileConfig,
    store: StoreArgs,
    clock: Arc<dyn Clock>,
) -> Result<ExitCode> {
    let store = opened(file, store, clock.as_ref()).await?;
    let orgs = store.organisations().await?;
    say!("naam\torganisaties\tthema's\thoogste classificatie\tvan\ttot en met");
    for a in store.agreements().await? {
        let parties: Vec<&str> = a
            .parties
            .iter()
            .filter_map(|p| orgs.iter().find(|o| o.id == *p).map(|o| o.name.as_str()))
            .collect();
        say!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            a.name,
            parties.join(", "),
            a.themes.join(", "),
            a.max_classification.slug(),
            a.valid_from,
            a.valid_until
                .map_or_else(|| "-".to_string(), |d| d.to_string())
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) async fn agreement_end(
    name: &str,
    last_day: &str,
    file: FileConfig,
    store: StoreArgs,
    clock: Arc<dyn Clock>,
) -> Result<ExitCode> {
    let settings = store_settings(file, store, None);
    let day = baken_core::signal::parse_date(last_day)
        .map_err(|p| anyhow::anyhow!("--last-day: {}", baken_app::wording::problem(&p)))?;
    let store = open(&settings, clock.as_ref()).await?;
    let Some(agreement) = store
        .agreements()
        .await?
        .into_iter()
        .find(|a| a.name == name.trim())
    else {
        bail!("--name: er is geen convenant met deze naam (zie `baken agreement list`)");
    };
    store
        .end_agreement(&Actor::cli(), agreement.id, day, clock.now())
        .await?;
    say!(
        "Convenant '{}' geldt tot en met {}; daarna wordt er niets meer onder gedeeld.",
        agreement.name,
        day
    );
    Ok(ExitCode::SUCCESS)
}
