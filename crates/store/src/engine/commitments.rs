//! Commitments of the plan (issue 16, pt 1): recorded and moved by the organisation's
//! analysts, read by its members; each status change kept with its reason; links to the
//! records that show progress, shown only as far as the reader may see them.

use super::cases::push_case_visible;
use super::field::push_visit_visible;
use super::interventions::push_intervention_visible;
use super::*;
use baken_core::commitment::{
    Commitment, CommitmentHistoryEntry, CommitmentKind, CommitmentLink, CommitmentLinkKind,
    CommitmentStatus, CommitmentStatusChange, NewCommitment, NewCommitmentLink,
};

#[derive(sqlx::FromRow)]
struct CommitmentRow {
    id: String,
    theme: String,
    kind: String,
    text: String,
    owner: String,
    due_on: Option<String>,
    status: String,
}

impl EngineStore {
    /// The title of a linked record when the caller may see it.
    async fn link_title(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        (kind, id): (CommitmentLinkKind, &str),
    ) -> Result<Option<String>> {
        let mut qb = match kind {
            CommitmentLinkKind::Case => {
                let mut qb =
                    QueryBuilder::<Db>::new("SELECT c.title FROM case_file c WHERE c.id = ");
                qb.push_bind(id.to_string()).push(" AND ");
                push_case_visible(&mut qb, caller.case_sight());
                qb
            }
            CommitmentLinkKind::Intervention => {
                let mut qb =
                    QueryBuilder::<Db>::new("SELECT i.title FROM intervention i WHERE i.id = ");
                qb.push_bind(id.to_string()).push(" AND ");
                push_intervention_visible(&mut qb, caller);
                qb
            }
            CommitmentLinkKind::Activity => {
                let mut qb =
                    QueryBuilder::<Db>::new("SELECT a.title FROM activity a WHERE a.id = ");
                qb.push_bind(id.to_string())
                    .push(" AND a.org_id = ")
                    .push_bind(caller.org().to_string());
                qb
            }
            CommitmentLinkKind::BarrierModel => {
                let mut qb =
                    QueryBuilder::<Db>::new("SELECT m.name FROM barrier_model m WHERE m.id = ");
                qb.push_bind(id.to_string())
                    .push(" AND m.org_id = ")
                    .push_bind(caller.org().to_string());
                qb
            }
            CommitmentLinkKind::Visit => {
                let mut qb = QueryBuilder::<Db>::new(
                    "SELECT COALESCE(v.location, v.visited_on) FROM field_visit v WHERE v.id = ",
                );
                qb.push_bind(id.to_string()).push(" AND ");
                push_visit_visible(&mut qb, caller);
                qb
            }
        };
        Ok(qb.build_query_scalar().fetch_optional(&mut **tx).await?)
    }

    async fn own_commitment(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        id: Uuid,
    ) -> Result<Option<CommitmentStatus>> {
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM commitment WHERE id = $1 AND org_id = $2")
                .bind(id.to_string())
                .bind(caller.org().to_string())
                .fetch_optional(&mut **tx)
                .await?;
        status
            .map(|s| parse_enum(CommitmentStatus::parse(&s)))
            .transpose()
    }

    async fn commitment_history(
        tx: &mut Transaction<'static, Db>,
        (id, by): (Uuid, Uuid),
        (from, to, reason): (Option<CommitmentStatus>, CommitmentStatus, &str),
        now: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO commitment_history (id, commitment_id, from_status, to_status, reason, \
             by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new_id(now).to_string())
        .bind(id.to_string())
        .bind(from.map(CommitmentStatus::slug))
        .bind(to.slug())
        .bind(reason)
        .bind(by.to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

#[async_trait]
impl crate::CommitmentStore for EngineStore {
    async fn create_commitment(
        &self,
        caller: &Caller,
        new: NewCommitment,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let id = new_id(now);
        let attempt = AuditRecord::success(
            AuditAction::CommitmentCreate,
            ObjectKind::Commitment,
            Some(id.to_string()),
            format!("theme={} kind={}", new.theme, new.kind.slug()),
        );
        let mut tx = self.write(caller, now).await?;
        if !caller.may_manage_commitments() {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::ManageCommitments), attempt)
                .await);
        }
        let unknown = Self::unknown_themes(&mut tx, std::slice::from_ref(&new.theme)).await?;
        if !unknown.is_empty() {
            return Err(tx.refuse(StoreError::Rejected(unknown), attempt).await);
        }
        sqlx::query(
            "INSERT INTO commitment (id, org_id, theme, kind, text, owner, due_on, status, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        )
        .bind(id.to_string())
        .bind(caller.org().to_string())
        .bind(&new.theme)
        .bind(new.kind.slug())
        .bind(&new.text)
        .bind(&new.owner)
        .bind(new.due_on.map(date))
        .bind(CommitmentStatus::Open.slug())
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        Self::commitment_history(
            &mut tx,
            (id, caller.user()),
            (None, CommitmentStatus::Open, "vastgelegd"),
            now,
        )
        .await?;
        tx.finish(attempt).await?;
        Ok(id)
    }

    async fn commitments(&self, caller: &Caller, now: OffsetDateTime) -> Result<Vec<Commitment>> {
        let mut tx = self.read(caller, now).await?;
        let event = AuditRecord::success(
            AuditAction::CommitmentList,
            ObjectKind::Commitment,
            None,
            String::new(),
        );
        if !caller.may_see_commitments() {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::SeeCommitments), event)
                .await);
        }
        let rows: Vec<CommitmentRow> = sqlx::query_as(
            "SELECT c.id, c.theme, c.kind, c.text, c.owner, c.due_on, c.status FROM commitment c \
             JOIN theme t ON t.code = c.theme WHERE c.org_id = $1 \
             ORDER BY t.position, c.kind, c.created_at, c.id LIMIT 1000",
        )
        .bind(caller.org().to_string())
        .fetch_all(&mut **tx)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let history: Vec<(Option<String>, String, String, String, String)> = sqlx::query_as(
                "SELECT h.from_status, h.to_status, h.reason, u.display_name, h.at \
                 FROM commitment_history h JOIN app_user u ON u.id = h.by_user \
                 WHERE h.commitment_id = $1 ORDER BY h.at, h.id",
            )
            .bind(&r.id)
            .fetch_all(&mut **tx)
            .await?;
            let history = history
                .into_iter()
                .map(|(from, to, reason, by, at)| {
                    Ok(CommitmentHistoryEntry {
                        from: from
                            .as_deref()
                            .map(|f| parse_enum(CommitmentStatus::parse(f)))
                            .transpose()?,
                        to: parse_enum(CommitmentStatus::parse(&to))?,
                        reason,
                        by,
                        at: parse_ts(&at)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let linked: Vec<(String, String)> = sqlx::query_as(
                "SELECT kind, target_id FROM commitment_link WHERE commitment_id = $1 \
                 ORDER BY added_at, target_id",
            )
            .bind(&r.id)
            .fetch_all(&mut **tx)
            .await?;
            let mut links = Vec::new();
            for (kind, target) in linked {
                let kind = parse_enum(CommitmentLinkKind::parse(&kind))?;
                if let Some(title) = Self::link_title(&mut tx, caller, (kind, &target)).await? {
                    links.push(CommitmentLink {
                        kind,
                        id: parse_uuid(&target)?,
                        title,
                    });
                }
            }
            out.push(Commitment {
                id: parse_uuid(&r.id)?,
                theme: r.theme,
                kind: parse_enum(CommitmentKind::parse(&r.kind))?,
                text: r.text,
                owner: r.owner,
                due_on: r.due_on.as_deref().map(parse_date).transpose()?,
                status: parse_enum(CommitmentStatus::parse(&r.status))?,
                history,
                links,
            });
        }
        let event = AuditRecord {
            detail: format!("shown={}", out.len()),
            ..event
        };
        tx.finish(event).await?;
        Ok(out)
    }

    async fn change_commitment_status(
        &self,
        caller: &Caller,
        id: Uuid,
        change: CommitmentStatusChange,
        now: OffsetDateTime,
    ) -> Result<()> {
        let attempt = AuditRecord::success(
            AuditAction::CommitmentStatusChange,
            ObjectKind::Commitment,
            Some(id.to_string()),
            format!("to={}", change.to.slug()),
        );
        let mut tx = self.write(caller, now).await?;
        if !caller.may_manage_commitments() {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::ManageCommitments), attempt)
                .await);
        }
        let Some(from) = Self::own_commitment(&mut tx, caller, id).await? else {
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        };
        if !from.may_become(change.to) {
            tx.abandon().await?;
            return Ok(());
        }
        sqlx::query("UPDATE commitment SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(change.to.slug())
            .bind(ts(now))
            .bind(id.to_string())
            .execute(&mut **tx)
            .await?;
        Self::commitment_history(
            &mut tx,
            (id, caller.user()),
            (Some(from), change.to, &change.reason),
            now,
        )
        .await?;
        let event = AuditRecord {
            detail: format!("from={} to={}", from.slug(), change.to.slug()),
            ..attempt
        };
        tx.finish(event).await
    }

    async fn link_commitment(
        &self,
        caller: &Caller,
        id: Uuid,
        link: NewCommitmentLink,
        now: OffsetDateTime,
    ) -> Result<()> {
        let attempt = AuditRecord::success(
            AuditAction::CommitmentLink,
            ObjectKind::Commitment,
            Some(id.to_string()),
            format!("{}={}", link.kind.slug(), link.id),
        );
        let mut tx = self.write(caller, now).await?;
        if !caller.may_manage_commitments() {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::ManageCommitments), attempt)
                .await);
        }
        if Self::own_commitment(&mut tx, caller, id).await?.is_none() {
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        }
        let target = link.id.to_string();
        if Self::link_title(&mut tx, caller, (link.kind, &target))
            .await?
            .is_none()
        {
            return Err(tx
                .refuse(
                    StoreError::rejected(Rejection::CommitmentLinkUnknown),
                    attempt,
                )
                .await);
        }
        let exists: Option<String> = sqlx::query_scalar(
            "SELECT target_id FROM commitment_link WHERE commitment_id = $1 AND kind = $2 \
             AND target_id = $3",
        )
        .bind(id.to_string())
        .bind(link.kind.slug())
        .bind(&target)
        .fetch_optional(&mut **tx)
        .await?;
        if exists.is_some() {
            tx.abandon().await?;
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO commitment_link (commitment_id, kind, target_id, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.to_string())
        .bind(link.kind.slug())
        .bind(&target)
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        tx.finish(attempt).await
    }
}
