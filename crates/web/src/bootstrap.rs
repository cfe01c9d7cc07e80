//! First start: seed the theme catalogue and, in an empty installation, create the first
//! administrator with a one-time password.

use baken_core::catalogue::Catalogue;
use baken_core::model::OrgKind;
use baken_core::{Role, RoleSet};
use baken_store::{Actor, NewUser, Store, StoreError};
use time::OffsetDateTime;

pub const FIRST_ADMIN_EMAIL: &str = "beheerder@baken.local";

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
    Ok(Some(FirstAdmin {
        email: FIRST_ADMIN_EMAIL.into(),
        password,
    }))
}
