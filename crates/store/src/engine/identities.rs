//! Accounts of the identity provider (issue 18, pt 1): the link (issuer, subject) → account,
//! made once and guarded (migration 0045); the account made, linked or its roles brought in
//! line with the claims in one audited transaction.

use super::*;
use crate::{EmailVerified, ExternalIdentity, ExternalRefusal, ExternalSignIn};

#[async_trait]
impl crate::IdentityStore for EngineStore {
    async fn external_sign_in(
        &self,
        identity: ExternalIdentity<'_>,
        now: OffsetDateTime,
    ) -> Result<ExternalSignIn> {
        // Most sign-ins change nothing: look first, write only when something must change.
        if let Some(user) = self.linked_user(&identity).await? {
            if let Some(answer) = settled(&user, &identity) {
                return Ok(answer);
            }
        }
        let actor = Actor::System {
            process: "single sign-on".into(),
        };
        let mut tx = self.write_by(&actor, now).await?;
        let linked: Option<String> = sqlx::query_scalar(
            "SELECT user_id FROM external_identity WHERE issuer = $1 AND subject = $2",
        )
        .bind(identity.issuer)
        .bind(identity.subject)
        .fetch_optional(&mut **tx)
        .await?;
        let email = identity.email.trim().to_lowercase();
        let (user, action) = match linked {
            Some(id) => {
                let user = user_in(&mut tx, "u.id = $1", &id).await?;
                let Some(user) = user else {
                    return Err(StoreError::Corrupt(
                        "external identity without account".into(),
                    ));
                };
                if let Some(answer) = settled(&user, &identity) {
                    tx.abandon().await?;
                    return Ok(answer);
                }
                // Linked, active, same organisation: only the roles differ.
                super::admin::change_roles(&mut tx, &id, &identity.roles).await?;
                (user, AuditAction::UserSetRoles)
            }
            None => match user_in(&mut tx, "u.email = $1", &email).await? {
                Some(existing) => {
                    let takes_over = identity.email_verified == EmailVerified::Yes
                        && existing.org == identity.organisation;
                    if !takes_over {
                        tx.abandon().await?;
                        return Ok(ExternalSignIn::Refused(ExternalRefusal::EmailTaken));
                    }
                    if !existing.active {
                        tx.abandon().await?;
                        return Ok(ExternalSignIn::Refused(ExternalRefusal::Deactivated(
                            existing.id,
                        )));
                    }
                    let linked_elsewhere: Option<String> = sqlx::query_scalar(
                        "SELECT subject FROM external_identity WHERE user_id = $1",
                    )
                    .bind(existing.id.to_string())
                    .fetch_optional(&mut **tx)
                    .await?;
                    if linked_elsewhere.is_some() {
                        tx.abandon().await?;
                        return Ok(ExternalSignIn::Refused(ExternalRefusal::LinkedToAnother(
                            existing.id,
                        )));
                    }
                    link(&mut tx, &identity, existing.id, now).await?;
                    super::admin::change_roles(&mut tx, &existing.id.to_string(), &identity.roles)
                        .await?;
                    (existing, AuditAction::UserLinkIdentity)
                }
                None => {
                    let made = User {
                        id: new_id(now),
                        org: identity.organisation,
                        email: email.clone(),
                        display_name: identity.display_name.trim().to_string(),
                        roles: identity.roles.clone(),
                        active: true,
                        password_change_required: false,
                    };
                    sqlx::query(
                        "INSERT INTO app_user (id, org_id, email, display_name, roles, \
                         password_hash, active, created_at) VALUES ($1, $2, $3, $4, $5, NULL, 1, $6)",
                    )
                    .bind(made.id.to_string())
                    .bind(made.org.to_string())
                    .bind(&made.email)
                    .bind(&made.display_name)
                    .bind(made.roles.to_slugs())
                    .bind(ts(now))
                    .execute(&mut **tx)
                    .await?;
                    link(&mut tx, &identity, made.id, now).await?;
                    (made, AuditAction::UserCreate)
                }
            },
        };
        let id = user.id.to_string();
        let state = super::guarded::user_state(&mut **tx, &id)
            .await?
            .unwrap_or_default();
        let event = AuditRecord::success(
            action,
            ObjectKind::User,
            Some(id),
            format!(
                "roles={} state={state} via=single-sign-on",
                identity.roles.to_slugs()
            ),
        );
        tx.finish(event).await?;
        Ok(ExternalSignIn::Account(User {
            roles: identity.roles,
            ..user
        }))
    }
}

/// The answer when the linked account needs no change: refused when deactivated or of
/// another organisation, the account when its roles are already the claims'. `None`: the
/// roles must change.
fn settled(user: &User, identity: &ExternalIdentity<'_>) -> Option<ExternalSignIn> {
    if !user.active {
        return Some(ExternalSignIn::Refused(ExternalRefusal::Deactivated(
            user.id,
        )));
    }
    if user.org != identity.organisation {
        return Some(ExternalSignIn::Refused(ExternalRefusal::OtherOrganisation(
            user.id,
        )));
    }
    (user.roles == identity.roles).then(|| ExternalSignIn::Account(user.clone()))
}

impl EngineStore {
    async fn linked_user(&self, identity: &ExternalIdentity<'_>) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM app_user u JOIN external_identity x ON x.user_id = u.id \
             WHERE x.issuer = $1 AND x.subject = $2"
        ))
        .bind(identity.issuer)
        .bind(identity.subject)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }
}

async fn user_in(tx: &mut Write<'_>, condition: &str, value: &str) -> Result<Option<User>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM app_user u WHERE {condition}"
    ))
    .bind(value)
    .fetch_optional(&mut ***tx)
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

async fn link(
    tx: &mut Write<'_>,
    identity: &ExternalIdentity<'_>,
    user: Uuid,
    now: OffsetDateTime,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO external_identity (issuer, subject, user_id, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(identity.issuer)
    .bind(identity.subject)
    .bind(user.to_string())
    .bind(ts(now))
    .execute(&mut ***tx)
    .await?;
    Ok(())
}
