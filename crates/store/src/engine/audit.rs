//! The hash-chained audit trail: audited transactions, events, verification.

use super::*;

/// The audit result of an attempt the store refused.
pub(super) fn refusal_result(err: &StoreError) -> AuditOutcome {
    match err {
        StoreError::NotFound => AuditOutcome::NotFound,
        StoreError::Forbidden(_) => AuditOutcome::Denied,
        _ => AuditOutcome::Refused,
    }
}

/// Locks the chain head and takes the next sequence number and the previous hash.
pub(super) async fn take_audit_slot(tx: &mut Transaction<'static, Db>) -> Result<AuditSlot> {
    let row = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    Ok(AuditSlot {
        seq: get(&row, "seq")?,
        prev_hash: get(&row, "hash")?,
    })
}

impl EngineStore {
    /// Begins a transaction whose first statement takes the next audit slot.
    pub(super) async fn begin_audited(&self) -> Result<(Transaction<'static, Db>, AuditSlot)> {
        let mut tx = self.pool.begin().await?;
        let slot = take_audit_slot(&mut tx).await?;
        Ok((tx, slot))
    }

    /// Begins a read for someone: a transaction that does not take the audit chain's slot, so
    /// reads neither wait for one another nor hold up writers while they query. End it with
    /// [`Self::finish_read`], which records the read before the answer leaves the store.
    pub(super) async fn begin_read(&self) -> Result<Transaction<'static, Db>> {
        Ok(self.pool.begin().await?)
    }

    /// Ends a read begun with [`Self::begin_read`] and appends its audit event in a short
    /// audited transaction of its own. Should the event not be stored, the read fails.
    pub(super) async fn finish_read(
        &self,
        tx: Transaction<'static, Db>,
        actor: ActorFields,
        event: AuditRecord,
        now: OffsetDateTime,
    ) -> Result<()> {
        tx.commit().await?;
        let (tx, slot) = self.begin_audited().await?;
        Self::commit_audited(tx, slot, actor, event, now).await
    }

    /// Writes the audit event into the slot and commits.
    pub(super) async fn commit_audited(
        mut tx: Transaction<'static, Db>,
        slot: AuditSlot,
        actor: ActorFields,
        event: AuditRecord,
        now: OffsetDateTime,
    ) -> Result<()> {
        let occurred_at = ts(now);
        let object_id = event.object_id.unwrap_or_default();
        let user = actor.user.unwrap_or_default();
        let org = actor.org.unwrap_or_default();
        let hash = chain_hash(
            &slot.prev_hash,
            &ChainedFields {
                seq: slot.seq,
                occurred_at: &occurred_at,
                actor_user: &user,
                actor_org: &org,
                action: event.action.as_str(),
                object_type: event.object.as_str(),
                object_id: &object_id,
                result: event.result.as_str(),
                origin: &actor.origin,
                purpose: &actor.purpose,
                detail: &event.detail,
            },
        );
        sqlx::query(
            "INSERT INTO audit_event (seq, occurred_at, actor_user, actor_org, action, object_type, \
             object_id, result, origin, purpose, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(slot.seq)
        .bind(&occurred_at)
        .bind(&user)
        .bind(&org)
        .bind(event.action.as_str())
        .bind(event.object.as_str())
        .bind(&object_id)
        .bind(event.result.as_str())
        .bind(&actor.origin)
        .bind(&actor.purpose)
        .bind(&event.detail)
        .bind(&slot.prev_hash)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait]
impl crate::AuditStore for EngineStore {
    async fn record_event(
        &self,
        actor: &Actor,
        event: AuditRecord,
        now: OffsetDateTime,
    ) -> Result<()> {
        let (tx, slot) = self.begin_audited().await?;
        Self::commit_audited(tx, slot, actor_fields(actor), event, now).await
    }

    async fn verify_audit_chain(&self) -> Result<AuditVerification> {
        let mut expected_seq = 1i64;
        let mut prev = baken_core::audit::GENESIS_HASH.to_string();
        loop {
            let rows = sqlx::query(
                "SELECT seq, occurred_at, actor_user, actor_org, action, object_type, object_id, result, \
                 origin, purpose, detail, prev_hash, hash FROM audit_event WHERE seq >= $1 ORDER BY seq LIMIT 1000",
            )
            .bind(expected_seq)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let seq: i64 = get(row, "seq")?;
                if seq != expected_seq {
                    return Ok(AuditVerification::Broken {
                        seq: expected_seq,
                        reason: format!("gebeurtenis {expected_seq} ontbreekt (volgende is {seq})"),
                    });
                }
                let s = |c: &str| -> Result<String> {
                    Ok(get::<Option<String>>(row, c)?.unwrap_or_default())
                };
                let (occurred_at, actor_user, actor_org) =
                    (s("occurred_at")?, s("actor_user")?, s("actor_org")?);
                let (action, object_type, object_id) =
                    (s("action")?, s("object_type")?, s("object_id")?);
                let (result, origin, purpose, detail) =
                    (s("result")?, s("origin")?, s("purpose")?, s("detail")?);
                let (prev_hash, hash) = (s("prev_hash")?, s("hash")?);
                if prev_hash != prev {
                    return Ok(AuditVerification::Broken {
                        seq,
                        reason:
                            "verwijst niet naar de vorige gebeurtenis (verwijderd of verplaatst)"
                                .into(),
                    });
                }
                let recomputed = chain_hash(
                    &prev,
                    &ChainedFields {
                        seq,
                        occurred_at: &occurred_at,
                        actor_user: &actor_user,
                        actor_org: &actor_org,
                        action: &action,
                        object_type: &object_type,
                        object_id: &object_id,
                        result: &result,
                        origin: &origin,
                        purpose: &purpose,
                        detail: &detail,
                    },
                );
                if recomputed != hash {
                    return Ok(AuditVerification::Broken {
                        seq,
                        reason: "inhoud is gewijzigd (hash klopt niet)".into(),
                    });
                }
                prev = hash;
                expected_seq += 1;
            }
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let (head_seq, head_hash): (i64, String) = (get(&head, "seq")?, get(&head, "hash")?);
        let last = expected_seq - 1;
        if head_seq != last || head_hash != prev {
            return Ok(AuditVerification::Broken {
                seq: last + 1,
                reason: format!(
                    "de keten eindigt bij {last} maar de laatst geschreven gebeurtenis is {head_seq} (gebeurtenissen aan het eind verwijderd)"
                ),
            });
        }
        Ok(AuditVerification::Intact {
            events: u64::try_from(last).unwrap_or(0),
        })
    }

    async fn audit_events(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEvent>> {
        let rows = sqlx::query(
            "SELECT seq, occurred_at, actor_user, actor_org, action, object_type, object_id, result, \
             origin, purpose, detail, prev_hash, hash FROM audit_event WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after_seq)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let opt_uuid = |c: &str| -> Result<Option<Uuid>> {
                    match get::<Option<String>>(r, c)? {
                        Some(s) if !s.is_empty() => Ok(Some(parse_uuid(&s)?)),
                        _ => Ok(None),
                    }
                };
                Ok(AuditEvent {
                    seq: get(r, "seq")?,
                    occurred_at: parse_ts(&get::<String>(r, "occurred_at")?)?,
                    actor_user: opt_uuid("actor_user")?,
                    actor_org: opt_uuid("actor_org")?,
                    action: get(r, "action")?,
                    object_type: get(r, "object_type")?,
                    object_id: get::<Option<String>>(r, "object_id")?.filter(|s| !s.is_empty()),
                    result: get(r, "result")?,
                    origin: get(r, "origin")?,
                    purpose: get(r, "purpose")?,
                    detail: get(r, "detail")?,
                    prev_hash: get(r, "prev_hash")?,
                    hash: get(r, "hash")?,
                })
            })
            .collect()
    }
}
