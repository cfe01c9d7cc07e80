//! Group commit of read events: a read ends by handing its event to one writer task, which
//! appends everything waiting (up to [`MAX_BATCH`]) to the chain in one short transaction
//! and then tells each read that its event is committed. Reads therefore never queue one by
//! one for the chain's head, and no answer leaves the store before its event is stored.
//! Changes keep their event in their own transaction (`Write`).

use super::audit::{append_events, locked, take_audit_slots, BUSY_ATTEMPTS};
use super::*;
use tokio::sync::{mpsc, oneshot};

/// The most events one transaction appends.
const MAX_BATCH: usize = 512;

/// Reads that wait for room in the queue rather than grow it without end.
const QUEUE: usize = 4096;

/// One read's event, and where to say whether it was stored.
struct Pending {
    actor: ActorFields,
    event: AuditRecord,
    now: OffsetDateTime,
    stored: oneshot::Sender<std::result::Result<(), String>>,
}

/// The queue to the writer task, started with the first read.
#[derive(Default)]
pub(crate) struct ReadLog {
    queue: std::sync::OnceLock<mpsc::Sender<Pending>>,
}

impl EngineStore {
    /// Records a read's event and returns once it is committed.
    pub(super) async fn log_read(
        &self,
        actor: ActorFields,
        event: AuditRecord,
        now: OffsetDateTime,
    ) -> Result<()> {
        let queue = self.reads.queue.get_or_init(|| {
            let (queue, waiting) = mpsc::channel(QUEUE);
            tokio::spawn(write_reads(
                self.pool.clone(),
                self.audit_key.clone(),
                waiting,
            ));
            queue
        });
        let (stored, done) = oneshot::channel();
        let pending = Pending {
            actor,
            event,
            now,
            stored,
        };
        match queue.send(pending).await {
            Ok(()) => match done.await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(StoreError::Database(sqlx::Error::Protocol(format!(
                    "the read's audit event was not stored: {e}"
                )))),
                Err(_) => Err(StoreError::Database(sqlx::Error::PoolClosed)),
            },
            // The writer is gone (its runtime ended): record this one on its own.
            Err(mpsc::error::SendError(pending)) => {
                let (tx, slot) = self.begin_audited().await?;
                let key = self.audit_key.as_ref();
                Self::commit_audited(tx, slot, (pending.actor, key), pending.event, now).await
            }
        }
    }
}

/// The writer task: everything waiting, one transaction, until the store is dropped.
async fn write_reads(
    pool: sqlx::Pool<Db>,
    key: Option<AuditKey>,
    mut waiting: mpsc::Receiver<Pending>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while waiting.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut events = Vec::with_capacity(batch.len());
        let mut waiters = Vec::with_capacity(batch.len());
        for p in batch.drain(..) {
            events.push((p.actor, p.event, p.now));
            waiters.push(p.stored);
        }
        let mut attempts = BUSY_ATTEMPTS;
        let outcome = loop {
            match append(&pool, key.as_ref(), &events).await {
                Err(e) if attempts > 1 && locked(&e) => {
                    attempts -= 1;
                    tracing::warn!(events = events.len(), "read events wait for a long write");
                }
                outcome => break outcome.map_err(|e| e.to_string()),
            }
        };
        if let Err(e) = &outcome {
            tracing::error!(error = %e, events = events.len(), "read events not stored");
        }
        for stored in waiters {
            // A read that gave up waiting has nothing to be told.
            let _ = stored.send(outcome.clone());
        }
    }
}

async fn append(
    pool: &sqlx::Pool<Db>,
    key: Option<&AuditKey>,
    events: &[(ActorFields, AuditRecord, OffsetDateTime)],
) -> Result<()> {
    let mut tx = begin_on(pool, None).await?;
    let n = i64::try_from(events.len()).unwrap_or(i64::MAX);
    let slot = take_audit_slots(&mut tx, n).await?;
    append_events(&mut tx, slot, key, events).await?;
    tx.commit().await?;
    Ok(())
}
