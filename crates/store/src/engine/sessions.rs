//! Login credentials, API tokens and browser sessions.

use super::rows::{CredentialRow, SessionRow};
use super::*;
use crate::TokenInfo;
use sqlx::Row;

/// A token's last use is remembered to this grain: most API reads write nothing.
const TOKEN_USE_GRAIN: time::Duration = time::Duration::minutes(5);

#[async_trait]
impl crate::SessionStore for EngineStore {
    async fn login_credentials(&self, email: &str) -> Result<Option<(User, String)>> {
        let row: Option<CredentialRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM app_user u WHERE u.email = $1 AND u.active = 1"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let Some(hash) = row.password_hash else {
            return Ok(None);
        };
        Ok(Some((row.user.into_user()?, hash)))
    }

    async fn create_api_token(
        &self,
        actor: &Actor,
        user: Uuid,
        token_hash: &str,
        label: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.write_by(actor, now).await?;
        let created_at = ts(now);
        sqlx::query("INSERT INTO api_token (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user.to_string())
            .bind(label)
            .bind(&created_at)
            .execute(&mut **tx)
            .await?;
        let state = super::guarded::token_state(token_hash, &user.to_string(), &created_at);
        let event = AuditRecord::success(
            AuditAction::TokenCreate,
            ObjectKind::User,
            Some(user.to_string()),
            format!("state={state}"),
        );
        tx.finish(event).await
    }

    async fn user_by_token(&self, token_hash: &str, now: OffsetDateTime) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, t.last_used_at FROM api_token t \
             JOIN app_user u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let last: Option<String> = row.try_get("last_used_at")?;
        let stale = match last.as_deref().map(parse_ts).transpose()? {
            Some(last) => now - last >= TOKEN_USE_GRAIN,
            None => true,
        };
        if stale {
            sqlx::query(
                "UPDATE api_token SET last_used_at = $1 WHERE token_hash = $2 \
                 AND revoked_at IS NULL",
            )
            .bind(ts(now))
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        }
        user_from_row(&row).map(Some)
    }

    async fn api_tokens(&self, actor: &Actor, user: Option<Uuid>) -> Result<Vec<TokenInfo>> {
        let of = match actor {
            Actor::Caller(c) if !c.may_administer() => Some(c.user()),
            _ => user,
        };
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT token_hash, user_id, label, created_at, last_used_at, revoked_at \
             FROM api_token",
        );
        if let Some(of) = of {
            qb.push(" WHERE user_id = ").push_bind(of.to_string());
        }
        qb.push(" ORDER BY created_at DESC, token_hash");
        type Row = (
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = qb.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|(hash, user, label, created, used, revoked)| {
                Ok(TokenInfo {
                    hash,
                    user: parse_uuid(&user)?,
                    label,
                    created_at: parse_ts(&created)?,
                    last_used_at: used.as_deref().map(parse_ts).transpose()?,
                    revoked_at: revoked.as_deref().map(parse_ts).transpose()?,
                })
            })
            .collect()
    }

    async fn revoke_token(
        &self,
        actor: &Actor,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let owner: Option<String> =
            sqlx::query_scalar("SELECT user_id FROM api_token WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
        let Some(owner) = owner else {
            return Err(StoreError::NotFound);
        };
        if let Actor::Caller(c) = actor {
            if !c.may_administer() && c.user().to_string() != owner {
                // Someone else's token is not theirs to know of.
                return Err(StoreError::NotFound);
            }
        }
        let mut tx = self.write_by(actor, now).await?;
        let done = sqlx::query(
            "UPDATE api_token SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
        )
        .bind(ts(now))
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            // Already revoked: nothing changes.
            return Ok(());
        }
        let event = AuditRecord::success(
            AuditAction::TokenRevoke,
            ObjectKind::User,
            Some(owner),
            String::new(),
        );
        tx.finish(event).await
    }

    async fn create_session(
        &self,
        id_hash: &str,
        user: Uuid,
        csrf: &str,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query("DELETE FROM web_session WHERE expires_at < $1")
            .bind(ts(now))
            .execute(&self.pool)
            .await?;
        sqlx::query("UPDATE app_user SET last_login_at = $1 WHERE id = $2")
            .bind(ts(now))
            .bind(user.to_string())
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO web_session (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id_hash)
            .bind(user.to_string())
            .bind(csrf)
            .bind(ts(now))
            .bind(ts(expires))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session(&self, id_hash: &str, now: OffsetDateTime) -> Result<Option<(User, String)>> {
        let row: Option<SessionRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, ws.csrf_token FROM web_session ws JOIN app_user u ON u.id = ws.user_id \
             WHERE ws.id_hash = $1 AND ws.expires_at > $2 AND u.active = 1"
        ))
        .bind(id_hash)
        .bind(ts(now))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((r.user.into_user()?, r.csrf_token)))
            .transpose()
    }

    async fn delete_session(&self, id_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM web_session WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
