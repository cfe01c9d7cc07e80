//! Login credentials, API tokens and browser sessions.

use super::rows::{CredentialRow, SessionRow};
use super::*;

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

    async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM api_token t JOIN app_user u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
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
