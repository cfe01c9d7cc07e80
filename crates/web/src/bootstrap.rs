//! First start: seed the theme catalogue and, in an empty installation, create the first
//! administrator with a one-time password.

use baken_core::catalogue::Catalogue;
use baken_core::model::OrgKind;
use baken_core::{Role, RoleSet};
use baken_store::{Actor, NewUser, Store, StoreError};
use time::OffsetDateTime;

pub const FIRST_ADMIN_EMAIL: &str = "beheerder@baken.local";

/// The technical account in whose name the public report form stores reports. It has no
/// password, so nobody can log in with it.
pub const PUBLIC_FORM_EMAIL: &str = "meldformulier@baken.local";

/// Creates the public form's account in `organisation` when it does not exist yet.
pub async fn ensure_public_form_account(
    store: &dyn Store,
    organisation: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    if store.user_by_email(PUBLIC_FORM_EMAIL).await?.is_some() {
        return Ok(());
    }
    let Some(org) = store.organisation_by_name(organisation).await? else {
        return Err(StoreError::NotFound);
    };
    let actor = Actor::System {
        process: "bootstrap".into(),
    };
    store
        .create_user(
            &actor,
            NewUser {
                org: org.id,
                email: PUBLIC_FORM_EMAIL.into(),
                display_name: "Openbaar meldformulier".into(),
                // Registers signals and sees only what it registered; never logs in.
                roles: RoleSet::new([Role::Toezichthouder]),
                password_hash: None,
            },
            now,
        )
        .await?;
    Ok(())
}

/// The credentials of a newly created first administrator, to print once.
#[derive(Debug)]
pub struct FirstAdmin {
    pub email: String,
    pub password: String,
}

pub async fn initialise(
    store: &dyn Store,
    organisation: &str,
    now: OffsetDateTime,
) -> Result<Option<FirstAdmin>, StoreError> {
    let actor = Actor::System {
        process: "bootstrap".into(),
    };
    store
        .ensure_catalogue(&actor, &Catalogue::groningen_defaults(), now)
        .await?;
    if store.user_count().await? > 0 {
        return Ok(None);
    }
    let org = match store.organisation_by_name(organisation).await? {
        Some(org) => org,
        None => {
            store
                .create_organisation(&actor, organisation, OrgKind::Gemeente, now)
                .await?
        }
    };
    let password = crate::auth::random_password();
    let hash =
        crate::auth::hash_password(&password).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    store
        .create_user(
            &actor,
            NewUser {
                org: org.id,
                email: FIRST_ADMIN_EMAIL.into(),
                display_name: "Beheerder".into(),
                roles: RoleSet::new([Role::Beheerder]),
                password_hash: Some(hash),
            },
            now,
        )
        .await?;
    ensure_public_form_account(store, organisation, now).await?;
    Ok(Some(FirstAdmin {
        email: FIRST_ADMIN_EMAIL.into(),
        password,
    }))
}
