//! Login credentials, API tokens and browser sessions.

use super::admin::administering;
use super::rows::{CredentialRow, SessionRow};
use super::*;
use crate::{
    EndSessions, LiveSession, NewSession, SecondFactor, SessionInfo, SessionStage, TokenInfo,
};
use sqlx::Row;

/// A token's last use is remembered to this grain: most API reads write nothing.
const TOKEN_USE_GRAIN: time::Duration = time::Duration::minutes(5);

/// A session's last use is remembered to this grain: most page views write nothing.
const SESSION_USE_GRAIN: time::Duration = time::Duration::minutes(1);

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

    async fn create_session(&self, session: NewSession<'_>) -> Result<()> {
        sqlx::query("DELETE FROM web_session WHERE expires_at < $1")
            .bind(ts(session.now))
            .execute(&self.pool)
            .await?;
        sqlx::query("UPDATE app_user SET last_login_at = $1 WHERE id = $2")
            .bind(ts(session.now))
            .bind(session.user.to_string())
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO web_session (id_hash, user_id, csrf_token, created_at, expires_at, \
             handle, last_seen_at, client, stage) VALUES ($1, $2, $3, $4, $5, $6, $4, $7, $8)",
        )
        .bind(session.id_hash)
        .bind(session.user.to_string())
        .bind(session.csrf)
        .bind(ts(session.now))
        .bind(ts(session.expires))
        .bind(baken_core::new_id(session.now).to_string())
        .bind(session.client)
        .bind(session.stage.slug())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session(
        &self,
        id_hash: &str,
        now: OffsetDateTime,
        idle: time::Duration,
    ) -> Result<Option<LiveSession>> {
        let row: Option<SessionRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, o.name AS org_name, ws.csrf_token, ws.handle, ws.stage, \
             ws.enrol_secret, ws.last_seen_at FROM web_session ws \
             JOIN app_user u ON u.id = ws.user_id JOIN organisation o ON o.id = u.org_id \
             WHERE ws.id_hash = $1 AND ws.expires_at > $2 AND ws.last_seen_at > $3 \
             AND u.active = 1"
        ))
        .bind(id_hash)
        .bind(ts(now))
        .bind(ts(now - idle))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        if parse_ts(&row.last_seen_at)? < now - SESSION_USE_GRAIN {
            sqlx::query("UPDATE web_session SET last_seen_at = $1 WHERE id_hash = $2")
                .bind(ts(now))
                .bind(id_hash)
                .execute(&self.pool)
                .await?;
        }
        let stage = SessionStage::from_slug(&row.stage)
            .ok_or_else(|| StoreError::Corrupt(format!("session stage {}", row.stage)))?;
        Ok(Some(LiveSession {
            user: row.user.into_user()?,
            org_name: row.org_name,
            csrf: row.csrf_token,
            handle: parse_uuid(&row.handle)?,
            stage,
            enrol_secret: row.enrol_secret,
        }))
    }

    async fn complete_session(
        &self,
        id_hash: &str,
        new_id_hash: &str,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE web_session SET id_hash = $1, stage = $2, last_seen_at = $3, expires_at = $6 \
             WHERE id_hash = $4 AND stage = $5 AND expires_at > $3",
        )
        .bind(new_id_hash)
        .bind(SessionStage::Complete.slug())
        .bind(ts(now))
        .bind(id_hash)
        .bind(SessionStage::SecondFactor.slug())
        .bind(ts(expires))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_session_purpose(
        &self,
        id_hash: &str,
        object: &str,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO session_purpose (session_hash, object, reason, stated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (session_hash, object) \
             DO UPDATE SET reason = excluded.reason, stated_at = excluded.stated_at",
        )
        .bind(id_hash)
        .bind(object)
        .bind(reason)
        .bind(ts(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session_purpose(&self, id_hash: &str, object: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT reason FROM session_purpose WHERE session_hash = $1 AND object = $2",
        )
        .bind(id_hash)
        .bind(object)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn set_enrol_secret(&self, id_hash: &str, secret: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE web_session SET enrol_secret = $1 WHERE id_hash = $2")
            .bind(secret)
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM web_session WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn sessions_of(
        &self,
        actor: &Actor,
        now: OffsetDateTime,
        idle: time::Duration,
    ) -> Result<Vec<SessionInfo>> {
        let Actor::Caller(caller) = actor else {
            return Ok(Vec::new());
        };
        let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT handle, created_at, last_seen_at, expires_at, client FROM web_session \
             WHERE user_id = $1 AND stage <> $2 AND expires_at > $3 AND last_seen_at > $4 \
             ORDER BY last_seen_at DESC, created_at DESC",
        )
        .bind(caller.user().to_string())
        .bind(SessionStage::SecondFactor.slug())
        .bind(ts(now))
        .bind(ts(now - idle))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(handle, created, seen, expires, client)| {
                Ok(SessionInfo {
                    handle: parse_uuid(&handle)?,
                    created_at: parse_ts(&created)?,
                    last_seen_at: parse_ts(&seen)?,
                    expires_at: parse_ts(&expires)?,
                    client,
                })
            })
            .collect()
    }

    async fn end_sessions(
        &self,
        actor: &Actor,
        which: EndSessions,
        now: OffsetDateTime,
    ) -> Result<u64> {
        let Actor::Caller(caller) = actor else {
            return Err(StoreError::NotFound);
        };
        let user = caller.user().to_string();
        let mut tx = self.write_by(actor, now).await?;
        let (sql, handle) = match which {
            EndSessions::One(h) => (
                "DELETE FROM web_session WHERE user_id = $1 AND handle = $2",
                h,
            ),
            EndSessions::AllBut(h) => (
                "DELETE FROM web_session WHERE user_id = $1 AND handle <> $2",
                h,
            ),
        };
        let ended = sqlx::query(sql)
            .bind(&user)
            .bind(handle.to_string())
            .execute(&mut **tx)
            .await?
            .rows_affected();
        let event = AuditRecord::success(
            AuditAction::SessionEnd,
            ObjectKind::User,
            Some(user),
            format!("ended={ended}"),
        );
        tx.finish(event).await?;
        Ok(ended)
    }

    async fn second_factor(&self, user: Uuid) -> Result<Option<SecondFactor>> {
        let row: Option<(String, i64, String)> = sqlx::query_as(
            "SELECT secret, last_step, enrolled_at FROM second_factor WHERE user_id = $1",
        )
        .bind(user.to_string())
        .fetch_optional(&self.pool)
        .await?;
        let Some((secret, last_step, enrolled_at)) = row else {
            return Ok(None);
        };
        let left: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_code WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(Some(SecondFactor {
            secret,
            last_step: u64::try_from(last_step).unwrap_or(0),
            enrolled_at: parse_ts(&enrolled_at)?,
            recovery_codes_left: u64::try_from(left).unwrap_or(0),
        }))
    }

    async fn enrol_second_factor(
        &self,
        actor: &Actor,
        secret: &str,
        step: u64,
        recovery_hashes: &[String],
        now: OffsetDateTime,
    ) -> Result<()> {
        let Actor::Caller(caller) = actor else {
            return Err(StoreError::NotFound);
        };
        let user = caller.user().to_string();
        let step = i64::try_from(step).map_err(|_| StoreError::Corrupt("totp step".into()))?;
        let mut tx = self.write_by(actor, now).await?;
        sqlx::query("DELETE FROM second_factor WHERE user_id = $1")
            .bind(&user)
            .execute(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM recovery_code WHERE user_id = $1")
            .bind(&user)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO second_factor (user_id, secret, last_step, enrolled_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&user)
        .bind(secret)
        .bind(step)
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        for hash in recovery_hashes {
            sqlx::query("INSERT INTO recovery_code (user_id, code_hash) VALUES ($1, $2)")
                .bind(&user)
                .bind(hash)
                .execute(&mut **tx)
                .await?;
        }
        sqlx::query(
            "UPDATE web_session SET enrol_secret = NULL, \
             stage = CASE WHEN stage = $2 THEN $3 ELSE stage END WHERE user_id = $1",
        )
        .bind(&user)
        .bind(SessionStage::Enrol.slug())
        .bind(SessionStage::Complete.slug())
        .execute(&mut **tx)
        .await?;
        let event = AuditRecord::success(
            AuditAction::UserEnrolSecondFactor,
            ObjectKind::User,
            Some(user),
            format!("recovery-codes={}", recovery_hashes.len()),
        );
        tx.finish(event).await
    }

    async fn renew_recovery_codes(
        &self,
        actor: &Actor,
        recovery_hashes: &[String],
        now: OffsetDateTime,
    ) -> Result<()> {
        let Actor::Caller(caller) = actor else {
            return Err(StoreError::NotFound);
        };
        let user = caller.user().to_string();
        let mut tx = self.write_by(actor, now).await?;
        let enrolled: Option<String> =
            sqlx::query_scalar("SELECT user_id FROM second_factor WHERE user_id = $1")
                .bind(&user)
                .fetch_optional(&mut **tx)
                .await?;
        if enrolled.is_none() {
            let attempt = AuditRecord::success(
                AuditAction::UserRenewRecoveryCodes,
                ObjectKind::User,
                Some(user),
                String::new(),
            );
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        }
        sqlx::query("DELETE FROM recovery_code WHERE user_id = $1")
            .bind(&user)
            .execute(&mut **tx)
            .await?;
        for hash in recovery_hashes {
            sqlx::query("INSERT INTO recovery_code (user_id, code_hash) VALUES ($1, $2)")
                .bind(&user)
                .bind(hash)
                .execute(&mut **tx)
                .await?;
        }
        let event = AuditRecord::success(
            AuditAction::UserRenewRecoveryCodes,
            ObjectKind::User,
            Some(user),
            format!("recovery-codes={}", recovery_hashes.len()),
        );
        tx.finish(event).await
    }

    async fn accept_totp_step(&self, user: Uuid, step: u64) -> Result<bool> {
        let step = i64::try_from(step).map_err(|_| StoreError::Corrupt("totp step".into()))?;
        let done = sqlx::query(
            "UPDATE second_factor SET last_step = $1 WHERE user_id = $2 AND last_step < $1",
        )
        .bind(step)
        .bind(user.to_string())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn use_recovery_code(
        &self,
        user: Uuid,
        code_hash: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE recovery_code SET used_at = $1 \
             WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(ts(now))
        .bind(user.to_string())
        .bind(code_hash)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn reset_second_factor(
        &self,
        actor: &Actor,
        user: Uuid,
        now: OffsetDateTime,
    ) -> Result<()> {
        administering(actor)?;
        let mut tx = self.write_by(actor, now).await?;
        let known: Option<String> = sqlx::query_scalar("SELECT id FROM app_user WHERE id = $1")
            .bind(user.to_string())
            .fetch_optional(&mut **tx)
            .await?;
        if known.is_none() {
            return Err(StoreError::NotFound);
        }
        for sql in [
            "DELETE FROM second_factor WHERE user_id = $1",
            "DELETE FROM recovery_code WHERE user_id = $1",
            "DELETE FROM web_session WHERE user_id = $1",
        ] {
            sqlx::query(sql)
                .bind(user.to_string())
                .execute(&mut **tx)
                .await?;
        }
        let event = AuditRecord::success(
            AuditAction::UserResetSecondFactor,
            ObjectKind::User,
            Some(user.to_string()),
            String::new(),
        );
        tx.finish(event).await
    }
}
