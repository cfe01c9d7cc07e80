//! The hash-chained audit trail: audited transactions, events, verification.

use super::rows::{AuditEventRow, AUDIT_COLUMNS};
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
    take_audit_slots(tx, 1).await
}

/// Locks the chain head and takes the next `n` sequence numbers: the slot of the first.
pub(super) async fn take_audit_slots(
    tx: &mut Transaction<'static, Db>,
    n: i64,
) -> Result<AuditSlot> {
    let (last, prev_hash): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
            .bind(n)
            .fetch_one(&mut **tx)
            .await?;
    Ok(AuditSlot {
        seq: last - n + 1,
        prev_hash,
    })
}

/// A read on behalf of a caller, begun with [`EngineStore::read`]: the transaction, the
/// caller's visibility ([`Read::visible`]) and, at the end, the audit event. It does not take
/// the audit chain's slot, so reads neither wait for one another nor hold up writers while
/// they query; [`Read::finish`] records the read in a short audited transaction of its own
/// before the answer leaves the store, and [`Read::refuse`] records a refused one.
#[must_use = "a read must end with finish or refuse, which record it"]
/// How the engine plans a read's statements (PostgreSQL; SQLite plans a statement once, when
/// it prepares it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Planning {
    /// As the engine chooses: PostgreSQL plans a prepared statement for its values five times,
    /// then once for all values when that plan looks no dearer than their average.
    EngineChooses,
    /// For the values of each execution, always: reads whose values choose the plan (a rare
    /// or a frequent word, theme or area). Left to choose, PostgreSQL switched a statement to
    /// its plan for all values after a few rare words had made their own plans look dear, and
    /// a frequent word then took ten times as long (BENCHMARKS.md, issue 13).
    EachExecution,
    /// Once per connection and statement (PostgreSQL's generic plan), for reads whose
    /// statements have one good plan whatever their values — where planning would cost as
    /// much as running (the unfiltered list).
    Once,
}

pub(super) struct Read<'a> {
    store: &'a EngineStore,
    tx: Transaction<'static, Db>,
    caller: &'a Caller,
    actor: ActorFields,
    today: Date,
    now: OffsetDateTime,
}

impl<'a> Read<'a> {
    /// Appends the caller's visibility predicate on signals (alias `s`) to a query.
    pub(super) fn visible(&self, qb: &mut QueryBuilder<'_, Db>) {
        push_visible(qb, self.caller, self.today);
    }

    /// The calendar day in the Netherlands at the time of the read.
    pub(super) fn today(&self) -> Date {
        self.today
    }

    /// Records the purpose the caller gave for this read (e.g. the reason for opening a
    /// person's dossier) instead of the session's purpose.
    pub(super) fn record_purpose(&mut self, purpose: &str) {
        self.actor.purpose = purpose.to_string();
    }

    /// Ends the read and records it: the event is appended with others waiting (one
    /// transaction for many, `read_log.rs`) and this returns once it is committed. Should
    /// the event not be stored, the read fails.
    ///
    /// The transaction read only, so it ends by being dropped: its rollback is sent with the
    /// pool's test of the returned connection rather than awaited as a round trip of its own
    /// (a read writes nothing: changes begin with [`EngineStore::write`]).
    pub(super) async fn finish(self, event: AuditRecord) -> Result<()> {
        drop(self.tx);
        self.store.log_read(self.actor, event, self.now).await
    }

    /// Ends a read the store refuses: records the attempt with the outcome that `err` stands
    /// for and returns `err` (or the error of recording it).
    pub(super) async fn refuse(self, err: StoreError, mut event: AuditRecord) -> StoreError {
        event.result = refusal_result(&err);
        match self.finish(event).await {
            Ok(()) => err,
            Err(audit) => audit,
        }
    }
}

/// What queries on behalf of a caller need from their transaction object: the transaction and
/// the caller's visibility.
pub(super) trait CallerTx:
    std::ops::DerefMut<Target = Transaction<'static, Db>> + Send
{
    /// Appends the caller's visibility predicate on signals (alias `s`).
    fn push_visible(&self, qb: &mut QueryBuilder<'_, Db>);
}

impl CallerTx for Read<'_> {
    fn push_visible(&self, qb: &mut QueryBuilder<'_, Db>) {
        self.visible(qb);
    }
}

impl CallerTx for Write<'_> {
    fn push_visible(&self, qb: &mut QueryBuilder<'_, Db>) {
        self.visible(qb);
    }
}

impl std::ops::Deref for Read<'_> {
    type Target = Transaction<'static, Db>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Read<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// A change on behalf of a caller or a process, begun with [`EngineStore::write`] or
/// [`EngineStore::write_by`]: a transaction that holds the next audit slot from its first
/// statement, so the change and its audit event commit together or not at all.
/// [`Write::finish`] records the event and commits; [`Write::refuse`] records a refused attempt
/// (whatever it changed so far is rolled back, the event is recorded on its own).
#[must_use = "a write must end with finish or refuse, which record it"]
pub(super) struct Write<'a> {
    store: &'a EngineStore,
    tx: Transaction<'static, Db>,
    slot: AuditSlot,
    caller: Option<&'a Caller>,
    actor: ActorFields,
    today: Date,
    now: OffsetDateTime,
}

impl<'a> Write<'a> {
    /// Appends the caller's visibility predicate on signals (alias `s`); a process acting on
    /// its own sees nothing through it.
    pub(super) fn visible(&self, qb: &mut QueryBuilder<'_, Db>) {
        match self.caller {
            Some(caller) => push_visible(qb, caller, self.today),
            None => {
                qb.push("1 = 0");
            }
        }
    }

    pub(super) fn today(&self) -> Date {
        self.today
    }

    /// Records the event and commits the change with it.
    pub(super) async fn finish(self, event: AuditRecord) -> Result<()> {
        let key = self.store.audit_key.as_ref();
        EngineStore::commit_audited(self.tx, self.slot, (self.actor, key), event, self.now).await
    }

    /// Ends a write that turned out to change nothing, without an event.
    pub(super) async fn abandon(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }

    /// Refuses the change: whatever the transaction wrote is rolled back, the attempt is
    /// recorded with the outcome `err` stands for, and `err` (or the error of recording it)
    /// is returned.
    pub(super) async fn refuse(self, err: StoreError, mut event: AuditRecord) -> StoreError {
        event.result = refusal_result(&err);
        let outcome = async {
            self.tx.rollback().await?;
            let (tx, slot) = self.store.begin_audited().await?;
            let key = self.store.audit_key.as_ref();
            EngineStore::commit_audited(tx, slot, (self.actor, key), event, self.now).await
        }
        .await;
        match outcome {
            Ok(()) => err,
            Err(audit) => audit,
        }
    }
}

impl std::ops::Deref for Write<'_> {
    type Target = Transaction<'static, Db>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Write<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// How often the chain's head is asked for while SQLite's write lock stays taken past its busy
/// timeout (10 s each): a write that holds it that long (an agreement's end taking a partner's
/// rows away at a million signals, BENCHMARKS.md) makes reads and changes wait rather than
/// fail.
pub(super) const BUSY_ATTEMPTS: u32 = 3;

/// Whether `e` is SQLite's "database is locked" (the busy timeout ran out; nothing was
/// written, the transaction can be tried again).
pub(super) fn locked(e: &StoreError) -> bool {
    match e {
        StoreError::Database(sqlx::Error::Database(d)) => {
            ENGINE == crate::Engine::Sqlite
                // SQLITE_BUSY, or one of its extended codes.
                && d.code().is_some_and(|c| c.parse::<i32>().is_ok_and(|n| n & 0xff == 5))
        }
        _ => false,
    }
}

impl EngineStore {
    /// Begins a transaction whose first statement takes the next audit slot (asked again, up
    /// to [`BUSY_ATTEMPTS`] times, while another write holds SQLite's lock: nothing is written
    /// before the slot).
    pub(super) async fn begin_audited(&self) -> Result<(Transaction<'static, Db>, AuditSlot)> {
        let mut attempts = BUSY_ATTEMPTS;
        loop {
            let mut tx = begin_on(&self.pool, None).await?;
            match take_audit_slot(&mut tx).await {
                Ok(slot) => return Ok((tx, slot)),
                Err(e) if attempts > 1 && locked(&e) => attempts -= 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// Begins a read for `caller` at `now`: every read of consequence starts here.
    pub(super) async fn read<'a>(
        &'a self,
        caller: &'a Caller,
        now: OffsetDateTime,
    ) -> Result<Read<'a>> {
        self.read_planned(caller, now, Planning::EngineChooses)
            .await
    }

    /// Begins a read whose statements are planned as `planning` says.
    pub(super) async fn read_planned<'a>(
        &'a self,
        caller: &'a Caller,
        now: OffsetDateTime,
        planning: Planning,
    ) -> Result<Read<'a>> {
        let begin = match planning {
            Planning::EngineChooses => None,
            Planning::EachExecution => BEGIN_PLANNED_EACH_TIME,
            Planning::Once => BEGIN_PLANNED_ONCE,
        };
        let tx = begin_on(&self.pool, begin).await?;
        Ok(Read {
            store: self,
            tx,
            caller,
            actor: caller_fields(caller),
            today: local_date(now),
            now,
        })
    }

    /// Begins a change by `caller` at `now`: every change a person makes starts here.
    pub(super) async fn write<'a>(
        &'a self,
        caller: &'a Caller,
        now: OffsetDateTime,
    ) -> Result<Write<'a>> {
        let (tx, slot) = self.begin_audited().await?;
        Ok(Write {
            store: self,
            tx,
            slot,
            caller: Some(caller),
            actor: caller_fields(caller),
            today: local_date(now),
            now,
        })
    }

    /// Begins a change by an actor (a person or a process such as the command line).
    pub(super) async fn write_by<'a>(
        &'a self,
        actor: &'a Actor,
        now: OffsetDateTime,
    ) -> Result<Write<'a>> {
        let (tx, slot) = self.begin_audited().await?;
        let caller = match actor {
            Actor::Caller(c) => Some(c),
            Actor::System { .. } => None,
        };
        Ok(Write {
            store: self,
            tx,
            slot,
            caller,
            actor: actor_fields(actor),
            today: local_date(now),
            now,
        })
    }

    /// Writes the audit event into the slot and commits.
    pub(super) async fn commit_audited(
        mut tx: Transaction<'static, Db>,
        slot: AuditSlot,
        (actor, key): (ActorFields, Option<&AuditKey>),
        event: AuditRecord,
        now: OffsetDateTime,
    ) -> Result<()> {
        append_events(&mut tx, slot, key, &[(actor, event, now)]).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Appends `events` to the chain from `slot` on (the head already counts them) and moves the
/// head's hash to the last one, inside `tx`.
pub(super) async fn append_events(
    tx: &mut Transaction<'static, Db>,
    slot: AuditSlot,
    key: Option<&AuditKey>,
    events: &[(ActorFields, AuditRecord, OffsetDateTime)],
) -> Result<()> {
    struct Chained<'a> {
        seq: i64,
        occurred_at: String,
        object_id: String,
        user: String,
        org: String,
        actor: &'a ActorFields,
        event: &'a AuditRecord,
        prev_hash: String,
        hash: String,
    }
    let mut prev = slot.prev_hash;
    let mut rows = Vec::with_capacity(events.len());
    for (i, (actor, event, now)) in events.iter().enumerate() {
        let seq = slot.seq + i64::try_from(i).unwrap_or(i64::MAX);
        let occurred_at = ts(*now);
        let object_id = event.object_id.clone().unwrap_or_default();
        let user = actor.user.clone().unwrap_or_default();
        let org = actor.org.clone().unwrap_or_default();
        let fields = ChainedFields {
            seq,
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
        };
        let hash = match key {
            Some(k) => k.chain_mac(&prev, &fields),
            None => chain_hash(&prev, &fields),
        };
        rows.push(Chained {
            seq,
            occurred_at,
            object_id,
            user,
            org,
            actor,
            event,
            prev_hash: std::mem::replace(&mut prev, hash.clone()),
            hash,
        });
    }
    insert_rows(
        tx,
        "INSERT INTO audit_event (seq, occurred_at, actor_user, actor_org, action, object_type, \
         object_id, result, origin, purpose, detail, prev_hash, hash) ",
        &rows,
        13,
        |b, r| {
            b.push_bind(r.seq)
                .push_bind(r.occurred_at.clone())
                .push_bind(r.user.clone())
                .push_bind(r.org.clone())
                .push_bind(r.event.action.as_str())
                .push_bind(r.event.object.as_str())
                .push_bind(r.object_id.clone())
                .push_bind(r.event.result.as_str())
                .push_bind(r.actor.origin.clone())
                .push_bind(r.actor.purpose.clone())
                .push_bind(r.event.detail.clone())
                .push_bind(r.prev_hash.clone())
                .push_bind(r.hash.clone());
        },
    )
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait]
impl crate::AuditStore for EngineStore {
    async fn record_event(
        &self,
        actor: &Actor,
        event: AuditRecord,
        now: OffsetDateTime,
    ) -> Result<()> {
        self.write_by(actor, now).await?.finish(event).await
    }

    async fn audit_key_id(&self) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM meta WHERE key = 'audit_key_id'")
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn bind_audit_key(&self, id: &str) -> Result<String> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('audit_key_id', $1) ON CONFLICT (key) DO NOTHING",
        )
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT value FROM meta WHERE key = 'audit_key_id'")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn head_signature(
        &self,
        key: Option<&baken_core::audit::AuditKey>,
    ) -> Result<crate::HeadSignature> {
        let row: Option<AuditEventRow> = sqlx::query_as(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_event ORDER BY seq DESC LIMIT 1"
        ))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(crate::HeadSignature::NoEvents);
        };
        let chained = row.chained();
        Ok(
            if key.is_some_and(|k| k.chain_mac(row.prev_hash(), &chained) == row.hash()) {
                crate::HeadSignature::Key
            } else if baken_core::audit::chain_hash(row.prev_hash(), &chained) == row.hash() {
                crate::HeadSignature::Plain
            } else {
                crate::HeadSignature::OtherKey
            },
        )
    }

    async fn audit_head(&self) -> Result<(i64, String)> {
        Ok(
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn verify_audit_chain(&self, anchor: &crate::AuditAnchor) -> Result<AuditVerification> {
        let mut expected_seq = 1i64;
        let mut prev = baken_core::audit::GENESIS_HASH.to_string();
        let mut emptied_so_far = true;
        let key = self.audit_key.as_ref();
        let watched: HashMap<i64, &str> = anchor
            .checkpoints
            .iter()
            .map(|(seq, hash)| (*seq, hash.as_str()))
            .collect();
        loop {
            let rows: Vec<AuditEventRow> = sqlx::query_as(&format!(
                "SELECT {AUDIT_COLUMNS} FROM audit_event WHERE seq >= $1 ORDER BY seq LIMIT 1000"
            ))
            .bind(expected_seq)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let seq = row.seq;
                if seq != expected_seq {
                    return Ok(AuditVerification::Broken {
                        seq: expected_seq,
                        reason: ChainBreak::Missing { next: seq },
                    });
                }
                if row.prev_hash() != prev {
                    return Ok(AuditVerification::Broken {
                        seq,
                        reason: ChainBreak::NotLinked,
                    });
                }
                // An event emptied after its retention period keeps its hash as recorded (the
                // next event's hash covers it); emptied events are the chain's beginning, and
                // hold nothing but what emptying keeps.
                if row.emptied() {
                    if !emptied_so_far || !row.emptied_as_sealed(key) {
                        return Ok(AuditVerification::Broken {
                            seq,
                            reason: ChainBreak::Altered,
                        });
                    }
                } else {
                    emptied_so_far = false;
                }
                let expected =
                    baken_core::audit::event_hash(key, anchor.legacy_until, &prev, &row.chained());
                if !row.emptied() && expected != row.hash() {
                    return Ok(AuditVerification::Broken {
                        seq,
                        reason: ChainBreak::Altered,
                    });
                }
                if watched.get(&seq).is_some_and(|h| *h != row.hash()) {
                    return Ok(AuditVerification::Broken {
                        seq,
                        reason: ChainBreak::CheckpointMismatch { checkpoint: seq },
                    });
                }
                prev = row.hash().to_string();
                expected_seq += 1;
            }
        }
        let (head_seq, head_hash): (i64, String) =
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(&self.pool)
                .await?;
        let last = expected_seq - 1;
        if let Some(checkpoint) = anchor
            .checkpoints
            .iter()
            .map(|(s, _)| *s)
            .filter(|s| *s > last)
            .max()
        {
            return Ok(AuditVerification::Broken {
                seq: last + 1,
                reason: ChainBreak::BeforeCheckpoint { checkpoint },
            });
        }
        if head_seq != last || head_hash != prev {
            return Ok(AuditVerification::Broken {
                seq: last + 1,
                reason: ChainBreak::Truncated {
                    last,
                    head: head_seq,
                },
            });
        }
        if let Some(state) = self.verify_guarded_state().await? {
            return Ok(AuditVerification::StateAltered(state));
        }
        Ok(AuditVerification::Intact {
            events: u64::try_from(last).unwrap_or(0),
        })
    }

    async fn purpose_reads(
        &self,
        caller: &Caller,
        from: time::Date,
        until: time::Date,
        now: OffsetDateTime,
    ) -> Result<Vec<crate::PurposeReads>> {
        if !caller.may_read_audit() {
            return Err(StoreError::Forbidden(Denied::ReadAudit));
        }
        let start = baken_core::calendar::start_of_day(from)
            .ok_or_else(|| StoreError::Corrupt("day".into()))?;
        let end = until
            .next_day()
            .and_then(baken_core::calendar::start_of_day)
            .ok_or_else(|| StoreError::Corrupt("day".into()))?;
        let reads = [
            AuditAction::DossierRead,
            AuditAction::CaseRead,
            AuditAction::InterventionRead,
        ];
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT actor_user, action, purpose, COUNT(*), MAX(occurred_at) FROM audit_event \
             WHERE result = ",
        );
        qb.push_bind(AuditOutcome::Success.as_str())
            .push(" AND occurred_at >= ")
            .push_bind(ts(start))
            .push(" AND occurred_at < ")
            .push_bind(ts(end))
            .push(" AND action IN (");
        let mut list = qb.separated(", ");
        for a in reads {
            list.push_bind(a.as_str());
        }
        qb.push(") GROUP BY actor_user, action, purpose ORDER BY MAX(occurred_at) DESC");
        let rows: Vec<(Option<String>, String, String, i64, String)> =
            qb.build_query_as().fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for (user, action, purpose, n, last) in rows {
            out.push(crate::PurposeReads {
                user: user.as_deref().map(parse_uuid).transpose()?,
                action: reads
                    .into_iter()
                    .find(|a| a.as_str() == action)
                    .ok_or_else(|| StoreError::Corrupt(format!("action {action}")))?,
                purpose,
                reads: u64::try_from(n).unwrap_or(0),
                last: parse_ts(&last)?,
            });
        }
        let event = AuditRecord::success(
            AuditAction::AuditRead,
            ObjectKind::AuditTrail,
            None,
            format!(
                "purpose-reads={} from={} until={}",
                out.len(),
                date(from),
                date(until)
            ),
        );
        self.record_event(&Actor::Caller(caller.clone()), event, now)
            .await?;
        Ok(out)
    }

    async fn search_audit(
        &self,
        caller: &Caller,
        query: &crate::AuditQuery,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<Vec<AuditEvent>> {
        if !caller.may_read_audit() {
            return Err(StoreError::Forbidden(Denied::ReadAudit));
        }
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_event WHERE 1 = 1"
        ));
        let mut shown = Vec::new();
        if let Some(user) = query.user {
            qb.push(" AND actor_user = ").push_bind(user.to_string());
            shown.push(format!("user={user}"));
        }
        if let Some(action) = query.action {
            qb.push(" AND action = ").push_bind(action.as_str());
            shown.push(format!("action={action}"));
        }
        if let Some(object) = query.object {
            qb.push(" AND object_type = ").push_bind(object.as_str());
            shown.push(format!("object={object}"));
        }
        if let Some(id) = query.object_id.as_deref().filter(|i| !i.is_empty()) {
            qb.push(" AND object_id = ").push_bind(id.to_string());
            shown.push("object-id".to_string());
        }
        if let Some(from) = query.from.and_then(baken_core::calendar::start_of_day) {
            qb.push(" AND occurred_at >= ").push_bind(ts(from));
            shown.push(format!("from={}", date(query.from.unwrap_or(from.date()))));
        }
        if let Some(until) = query
            .until
            .and_then(|d| d.next_day())
            .and_then(baken_core::calendar::start_of_day)
        {
            qb.push(" AND occurred_at < ").push_bind(ts(until));
            shown.push(format!(
                "until={}",
                date(query.until.unwrap_or(until.date()))
            ));
        }
        if let Some(before) = query.before {
            qb.push(" AND seq < ").push_bind(before);
        }
        qb.push(" ORDER BY seq DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows: Vec<AuditEventRow> = qb.build_query_as().fetch_all(&self.pool).await?;
        let events = rows
            .into_iter()
            .map(AuditEventRow::into_event)
            .collect::<Result<Vec<_>>>()?;
        let event = AuditRecord::success(
            AuditAction::AuditRead,
            ObjectKind::AuditTrail,
            None,
            format!("shown={} {}", events.len(), shown.join(" "))
                .trim_end()
                .to_string(),
        );
        self.record_event(&Actor::Caller(caller.clone()), event, now)
            .await?;
        Ok(events)
    }

    async fn audit_events(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEvent>> {
        let rows: Vec<AuditEventRow> = sqlx::query_as(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_event WHERE seq > $1 ORDER BY seq LIMIT $2"
        ))
        .bind(after_seq)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(AuditEventRow::into_event).collect()
    }
}
