//! Installation meta, organisations, user accounts and sharing agreements.

use super::reshare::{take_away_after, Reshare};
use super::rows::{AgreementRow, OrganisationRow};
use super::*;
use crate::{Account, Activation, ReviewedAccount};
use baken_core::access_review::SignInRoute;
use sqlx::Row;

/// Gives an account `roles` as Baken's change of roles does (advancing `roles_version`, which
/// the guard requires); false when it had them already or does not exist. The caller's event
/// records the new state.
pub(super) async fn change_roles(
    tx: &mut Transaction<'static, Db>,
    user: &str,
    roles: &RoleSet,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE app_user SET roles = $1, roles_version = roles_version + 1 \
         WHERE id = $2 AND roles <> $1",
    )
    .bind(roles.to_slugs())
    .bind(user)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Administration is the beheerder's (or the command line's, run by whoever runs Baken).
pub(super) fn administering(actor: &Actor) -> Result<()> {
    match actor {
        Actor::Caller(c) if !c.may_administer() => Err(StoreError::Forbidden(Denied::Administer)),
        _ => Ok(()),
    }
}

#[async_trait]
impl crate::AdminStore for EngineStore {
    async fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn set_meta(
        &self,
        actor: &Actor,
        key: &str,
        value: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.write_by(actor, now).await?;
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&mut **tx)
            .await?;
        let event = AuditRecord::success(
            AuditAction::InstallationSet,
            ObjectKind::Meta,
            Some(key.to_string()),
            String::new(),
        );
        tx.finish(event).await
    }

    async fn create_organisation(
        &self,
        actor: &Actor,
        name: &str,
        kind: OrgKind,
        now: OffsetDateTime,
    ) -> Result<Organisation> {
        administering(actor)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::rejected(Rejection::NameMissing));
        }
        let org = Organisation {
            id: new_id(now),
            name: name.to_string(),
            kind,
        };
        let mut tx = self.write_by(actor, now).await?;
        let inserted = sqlx::query(
            "INSERT INTO organisation (id, name, kind, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(org.id.to_string())
        .bind(&org.name)
        .bind(kind.slug())
        .bind(ts(now))
        .execute(&mut **tx)
        .await;
        if let Err(e) = inserted {
            return Err(if unique_violation(&e) {
                StoreError::Conflict(Conflict::OrganisationName(org.name.clone()))
            } else {
                e.into()
            });
        }
        let event = AuditRecord::success(
            AuditAction::OrganisationCreate,
            ObjectKind::Organisation,
            Some(org.id.to_string()),
            String::new(),
        );
        tx.finish(event).await?;
        Ok(org)
    }

    async fn organisations(&self) -> Result<Vec<Organisation>> {
        let rows: Vec<OrganisationRow> =
            sqlx::query_as("SELECT id, name, kind FROM organisation ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(OrganisationRow::into_organisation)
            .collect()
    }

    async fn organisation_by_name(&self, name: &str) -> Result<Option<Organisation>> {
        let row: Option<OrganisationRow> =
            sqlx::query_as("SELECT id, name, kind FROM organisation WHERE name = $1")
                .bind(name.trim())
                .fetch_optional(&self.pool)
                .await?;
        row.map(OrganisationRow::into_organisation).transpose()
    }

    async fn create_user(&self, actor: &Actor, user: NewUser, now: OffsetDateTime) -> Result<User> {
        let mut e = Vec::new();
        let email = user.email.trim().to_lowercase();
        if !email.contains('@')
            || email.starts_with('@')
            || email.ends_with('@')
            || email.contains(' ')
        {
            e.push(Rejection::EmailInvalid);
        }
        if user.roles.is_empty() {
            e.push(Rejection::NoRole);
        }
        if !e.is_empty() {
            return Err(StoreError::Rejected(e));
        }
        let created = User {
            id: new_id(now),
            org: user.org,
            email,
            display_name: user.display_name.trim().to_string(),
            roles: user.roles,
            active: true,
            password_change_required: false,
        };
        let mut tx = self.write_by(actor, now).await?;
        let inserted = sqlx::query(
            "INSERT INTO app_user (id, org_id, email, display_name, roles, password_hash, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7)",
        )
        .bind(created.id.to_string())
        .bind(created.org.to_string())
        .bind(&created.email)
        .bind(&created.display_name)
        .bind(created.roles.to_slugs())
        .bind(&user.password_hash)
        .bind(ts(now))
        .execute(&mut **tx)
        .await;
        if let Err(e) = inserted {
            return Err(if unique_violation(&e) {
                StoreError::Conflict(Conflict::UserEmail)
            } else {
                e.into()
            });
        }
        let state = super::guarded::user_state(&mut **tx, &created.id.to_string())
            .await?
            .unwrap_or_default();
        let event = AuditRecord::success(
            AuditAction::UserCreate,
            ObjectKind::User,
            Some(created.id.to_string()),
            format!("roles={} state={state}", created.roles.to_slugs()),
        );
        tx.finish(event).await?;
        Ok(created)
    }

    async fn set_password(
        &self,
        actor: &Actor,
        user: Uuid,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.write_by(actor, now).await?;
        let done = sqlx::query(
            "UPDATE app_user SET password_hash = $1, password_change_required = 0 WHERE id = $2",
        )
        .bind(password_hash)
        .bind(user.to_string())
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let state = super::guarded::user_state(&mut **tx, &user.to_string())
            .await?
            .unwrap_or_default();
        let event = AuditRecord::success(
            AuditAction::UserSetPassword,
            ObjectKind::User,
            Some(user.to_string()),
            format!("state={state}"),
        );
        tx.finish(event).await
    }

    async fn user_count(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM app_user")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn user(&self, id: Uuid) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM app_user u WHERE u.id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM app_user u WHERE u.email = $1"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn start_agreement(
        &self,
        actor: &Actor,
        a: NewAgreement,
        now: OffsetDateTime,
    ) -> Result<(SharingAgreement, crate::Resharing)> {
        let (agreement, reshare) = self.record_agreement(actor, a, now).await?;
        Ok((agreement, reshare.start_on(&self.pool)))
    }

    async fn start_agreement_end(
        &self,
        actor: &Actor,
        agreement: Uuid,
        last_day: time::Date,
        now: OffsetDateTime,
    ) -> Result<crate::Resharing> {
        let reshare = self.record_end(actor, agreement, last_day, now).await?;
        Ok(reshare.start_on(&self.pool))
    }

    async fn resharing_pending(&self) -> Result<bool> {
        super::reshare::any_pending(&self.pool).await
    }

    async fn finish_resharing(&self, now: OffsetDateTime) -> Result<()> {
        super::reshare::resume(&self.pool, now).await
    }

    async fn accounts(&self, actor: &Actor) -> Result<Vec<Account>> {
        administering(actor)?;
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, u.created_at, u.last_login_at FROM app_user u \
             ORDER BY u.active DESC, u.email"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let created: String = row.try_get("created_at")?;
                let last: Option<String> = row.try_get("last_login_at")?;
                Ok(Account {
                    user: user_from_row(row)?,
                    created_at: parse_ts(&created)?,
                    last_login: last.as_deref().map(parse_ts).transpose()?,
                })
            })
            .collect()
    }

    async fn access_review(
        &self,
        caller: &Caller,
        since: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<Vec<ReviewedAccount>> {
        let actor = Actor::Caller(caller.clone());
        let accounts = self.accounts(&actor).await?;
        let factors: Vec<(String, String)> =
            sqlx::query_as("SELECT user_id, enrolled_at FROM second_factor")
                .fetch_all(&self.pool)
                .await?;
        let factors: std::collections::HashMap<String, String> = factors.into_iter().collect();
        let tokens: Vec<(String, i64, Option<String>)> = sqlx::query_as(
            "SELECT user_id, SUM(CASE WHEN revoked_at IS NULL THEN 1 ELSE 0 END), \
             MAX(last_used_at) FROM api_token GROUP BY user_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let tokens: std::collections::HashMap<String, (i64, Option<String>)> = tokens
            .into_iter()
            .map(|(user, live, used)| (user, (live, used)))
            .collect();
        let changes: Vec<(String, i64)> = sqlx::query_as(
            "SELECT object_id, COUNT(*) FROM audit_event \
             WHERE action = $1 AND occurred_at >= $2 AND object_id IS NOT NULL \
             GROUP BY object_id",
        )
        .bind(AuditAction::UserSetRoles.as_str())
        .bind(ts(since))
        .fetch_all(&self.pool)
        .await?;
        let changes: std::collections::HashMap<String, i64> = changes.into_iter().collect();
        let with_password: std::collections::HashSet<String> =
            sqlx::query_scalar("SELECT id FROM app_user WHERE password_hash IS NOT NULL")
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .collect();
        let with_provider: std::collections::HashSet<String> =
            sqlx::query_scalar("SELECT user_id FROM external_identity")
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .collect();
        let mut out = Vec::with_capacity(accounts.len());
        for account in accounts {
            let id = account.user.id.to_string();
            let (live, used) = tokens.get(&id).cloned().unwrap_or((0, None));
            out.push(ReviewedAccount {
                second_factor_since: factors.get(&id).map(|t| parse_ts(t)).transpose()?,
                live_tokens: u64::try_from(live).unwrap_or(0),
                last_token_use: used.as_deref().map(parse_ts).transpose()?,
                role_changes: u64::try_from(changes.get(&id).copied().unwrap_or(0)).unwrap_or(0),
                // A password is a way in of its own, with Baken's second factor.
                sign_in: if with_password.contains(&id) {
                    SignInRoute::Password
                } else if with_provider.contains(&id) {
                    SignInRoute::IdentityProvider
                } else {
                    SignInRoute::Nobody
                },
                account,
            });
        }
        let event = AuditRecord::success(
            AuditAction::AccessReview,
            ObjectKind::User,
            None,
            format!("shown={}", out.len()),
        );
        self.record_event(&actor, event, now).await?;
        Ok(out)
    }

    async fn set_roles(
        &self,
        actor: &Actor,
        user: Uuid,
        roles: RoleSet,
        now: OffsetDateTime,
    ) -> Result<()> {
        administering(actor)?;
        if roles.is_empty() {
            return Err(StoreError::rejected(Rejection::NoRole));
        }
        let mut tx = self.write_by(actor, now).await?;
        if !change_roles(&mut tx, &user.to_string(), &roles).await? {
            // Unchanged roles are no change; an unknown account is not found.
            return match self.user(user).await? {
                Some(_) => Ok(()),
                None => Err(StoreError::NotFound),
            };
        }
        let state = super::guarded::user_state(&mut **tx, &user.to_string())
            .await?
            .unwrap_or_default();
        let event = AuditRecord::success(
            AuditAction::UserSetRoles,
            ObjectKind::User,
            Some(user.to_string()),
            format!("roles={} state={state}", roles.to_slugs()),
        );
        tx.finish(event).await
    }

    async fn set_activation(
        &self,
        actor: &Actor,
        user: Uuid,
        activation: Activation,
        now: OffsetDateTime,
    ) -> Result<()> {
        administering(actor)?;
        if let Actor::Caller(c) = actor {
            if c.user() == user && activation == Activation::Inactive {
                return Err(StoreError::rejected(Rejection::OwnAccount));
            }
        }
        let (active, action) = match activation {
            Activation::Active => (1_i64, AuditAction::UserReactivate),
            Activation::Inactive => (0, AuditAction::UserDeactivate),
        };
        let mut tx = self.write_by(actor, now).await?;
        let done = sqlx::query("UPDATE app_user SET active = $1 WHERE id = $2")
            .bind(active)
            .bind(user.to_string())
            .execute(&mut **tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        if activation == Activation::Inactive {
            sqlx::query("DELETE FROM web_session WHERE user_id = $1")
                .bind(user.to_string())
                .execute(&mut **tx)
                .await?;
        }
        let event = AuditRecord::success(
            action,
            ObjectKind::User,
            Some(user.to_string()),
            String::new(),
        );
        tx.finish(event).await
    }

    async fn reset_password(
        &self,
        actor: &Actor,
        user: Uuid,
        temporary_hash: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        administering(actor)?;
        let mut tx = self.write_by(actor, now).await?;
        let done = sqlx::query(
            "UPDATE app_user SET password_hash = $1, password_change_required = 1 WHERE id = $2",
        )
        .bind(temporary_hash)
        .bind(user.to_string())
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM web_session WHERE user_id = $1")
            .bind(user.to_string())
            .execute(&mut **tx)
            .await?;
        let state = super::guarded::user_state(&mut **tx, &user.to_string())
            .await?
            .unwrap_or_default();
        let event = AuditRecord::success(
            AuditAction::UserResetPassword,
            ObjectKind::User,
            Some(user.to_string()),
            format!("state={state}"),
        );
        tx.finish(event).await
    }

    async fn agreements(&self) -> Result<Vec<SharingAgreement>> {
        let rows: Vec<AgreementRow> = sqlx::query_as(
            "SELECT e.id, e.name, e.legal_basis, e.purposes, e.max_classification, e.valid_from, \
             e.valid_until, a.referral_contact FROM sharing_agreement_effective e \
             JOIN sharing_agreement a ON a.id = e.id ORDER BY e.name",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let parties: Vec<String> = sqlx::query_scalar(
                "SELECT org_id FROM agreement_party WHERE agreement_id = $1 ORDER BY org_id",
            )
            .bind(row.id())
            .fetch_all(&self.pool)
            .await?;
            let themes: Vec<String> = sqlx::query_scalar(
                "SELECT theme FROM agreement_theme WHERE agreement_id = $1 ORDER BY theme",
            )
            .bind(row.id())
            .fetch_all(&self.pool)
            .await?;
            out.push(row.into_agreement(parties, themes)?);
        }
        Ok(out)
    }
}

impl EngineStore {
    /// Records a new agreement; the walk that gives its rows is returned, to run.
    async fn record_agreement(
        &self,
        actor: &Actor,
        a: NewAgreement,
        now: OffsetDateTime,
    ) -> Result<(SharingAgreement, Reshare)> {
        administering(actor)?;
        let mut e = Vec::new();
        if a.name.trim().is_empty() {
            e.push(Rejection::NameMissing);
        }
        if a.legal_basis.trim().is_empty() {
            e.push(Rejection::LegalBasisMissing);
        }
        if a.parties.len() < 2 {
            e.push(Rejection::TooFewParties);
        }
        if a.themes.is_empty() {
            e.push(Rejection::NoTheme);
        }
        if a.max_classification == Classification::Bibob {
            e.push(Rejection::BibobNotShared);
        }
        if matches!(a.valid_until, Some(until) if until < a.valid_from) {
            e.push(Rejection::EndsBeforeStart);
        }
        let referral = a
            .referral_contact
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if referral.is_some_and(|c| c.chars().count() > 200) {
            e.push(Rejection::ReferralContactTooLong);
        }
        if !e.is_empty() {
            return Err(StoreError::Rejected(e));
        }
        let id = new_id(now);
        let mut tx = self.write_by(actor, now).await?;
        sqlx::query(
            "INSERT INTO sharing_agreement (id, name, legal_basis, purposes, max_classification, \
             max_classification_rank, valid_from, valid_until, created_at, referral_contact) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id.to_string())
        .bind(a.name.trim())
        .bind(a.legal_basis.trim())
        .bind(a.purposes.trim())
        .bind(a.max_classification.slug())
        .bind(a.max_classification.rank())
        .bind(date(a.valid_from))
        .bind(a.valid_until.map(date))
        .bind(ts(now))
        .bind(referral)
        .execute(&mut **tx)
        .await?;
        for party in &a.parties {
            sqlx::query("INSERT INTO agreement_party (agreement_id, org_id) VALUES ($1, $2)")
                .bind(id.to_string())
                .bind(party.to_string())
                .execute(&mut **tx)
                .await?;
        }
        for theme in &a.themes {
            sqlx::query("INSERT INTO agreement_theme (agreement_id, theme) VALUES ($1, $2)")
                .bind(id.to_string())
                .bind(theme)
                .execute(&mut **tx)
                .await?;
        }
        // The parties' signals that the new agreement carries become visible to the others,
        // after the agreement has committed, a chunk at a time.
        let reshare = Reshare::record(&mut tx, &a.parties, now).await?;
        let state = super::guarded::agreement_state(&mut tx, &id.to_string())
            .await?
            .unwrap_or_default();
        let event = AuditRecord::success(
            AuditAction::AgreementCreate,
            ObjectKind::SharingAgreement,
            Some(id.to_string()),
            format!(
                "themes={} max={} state={state}",
                a.themes.join(","),
                a.max_classification.slug()
            ),
        );
        tx.finish(event).await?;
        let agreement = SharingAgreement {
            id,
            name: a.name.trim().to_string(),
            parties: a.parties,
            legal_basis: a.legal_basis.trim().to_string(),
            purposes: a.purposes.trim().to_string(),
            themes: a.themes,
            max_classification: a.max_classification,
            valid_from: a.valid_from,
            valid_until: a.valid_until,
            referral_contact: referral.map(str::to_string),
        };
        Ok((agreement, reshare))
    }

    /// Records the end of an agreement and takes away the days after it; the walk that gives
    /// back what other agreements give is returned, to run.
    async fn record_end(
        &self,
        actor: &Actor,
        agreement: Uuid,
        last_day: time::Date,
        now: OffsetDateTime,
    ) -> Result<Reshare> {
        administering(actor)?;
        let Some(found) = self
            .agreements()
            .await?
            .into_iter()
            .find(|a| a.id == agreement)
        else {
            return Err(StoreError::NotFound);
        };
        if last_day < found.valid_from {
            return Err(StoreError::rejected(Rejection::EndsBeforeStart));
        }
        let id = agreement.to_string();
        let mut tx = self.write_by(actor, now).await?;
        let ended: Option<String> =
            sqlx::query_scalar("SELECT ends_on FROM sharing_agreement_end WHERE agreement_id = $1")
                .bind(&id)
                .fetch_optional(&mut **tx)
                .await?;
        if ended.is_some() {
            return Err(StoreError::Conflict(Conflict::AgreementEnded));
        }
        let (ends_on, at) = (date(last_day), ts(now));
        sqlx::query(
            "INSERT INTO sharing_agreement_end (agreement_id, ends_on, recorded_at) \
             VALUES ($1, $2, $3)",
        )
        .bind(&id)
        .bind(&ends_on)
        .bind(&at)
        .execute(&mut **tx)
        .await?;
        // An end whose last day has come takes the days after it away at once; what other
        // agreements give comes back after this change has committed, a chunk at a time. An
        // end further ahead leaves the walk at least a whole day, and a walk a stopped process
        // left is finished by the server's maintenance (at its start and every hour).
        if last_day <= local_date(now) {
            take_away_after(&mut tx, &found.parties, last_day).await?;
        }
        let reshare = Reshare::record(&mut tx, &found.parties, now).await?;
        let state = super::guarded::agreement_end_state(&id, &ends_on, &at);
        let event = AuditRecord::success(
            AuditAction::AgreementEnd,
            ObjectKind::SharingAgreement,
            Some(id),
            format!("last-day={ends_on} state={state}"),
        );
        tx.finish(event).await?;
        Ok(reshare)
    }

    /// Records a new agreement as [`crate::AdminStore::create_agreement`] does and stops
    /// before its walk, as a process stopped right after it would.
    #[cfg(feature = "test-support")]
    pub async fn create_agreement_cut_short(
        &self,
        actor: &Actor,
        a: NewAgreement,
        now: OffsetDateTime,
    ) -> Result<SharingAgreement> {
        let (agreement, reshare) = self.record_agreement(actor, a, now).await?;
        reshare.abandon();
        Ok(agreement)
    }

    /// Ends an agreement as [`crate::AdminStore::end_agreement`] does and stops before its
    /// walk, as a process stopped right after it would.
    #[cfg(feature = "test-support")]
    pub async fn end_agreement_cut_short(
        &self,
        actor: &Actor,
        agreement: Uuid,
        last_day: time::Date,
        now: OffsetDateTime,
    ) -> Result<()> {
        self.record_end(actor, agreement, last_day, now)
            .await
            .map(Reshare::abandon)
    }
}
