//! The shared rows of an owner's signals recomputed when agreements change (`reshare`):
//! after a new agreement between organisations, or one that ends, every signal of its parties
//! is walked in the order of `signal_owner_received`, a chunk at a time, and each chunk's
//! shared audience rows are replaced by what the agreements give now, with the tally taking
//! the difference.
//!
//! The walk runs after the change has committed, each chunk in a short transaction of its own
//! that waits for the chain head like every audited change ([`Reshare`]): made in one
//! transaction, an agreement at 1,000,000 signals held the only write lock for over a minute,
//! and every read's audit event and every other change waited and then failed
//! (BENCHMARKS.md). While it walks, the partners see at most what they saw before and at most
//! what the agreements allow: a new agreement's rows arrive chunk by chunk, and an agreement
//! that ends takes its days away from every row it may have given, together with the change
//! that ends it ([`take_away_after`]), before the walk gives back what other agreements give.
//! A walk that a stopped process left unfinished is recorded in `meta`, with the time a chunk
//! was last walked, and finished by the server's maintenance once nobody has walked it for a
//! while ([`resume`]).

use super::audience::{insert_audience, load_agreements, partner_rows, AudienceRow, SignalState};
use super::audit::take_audit_slots;
use super::retention::{delete_for, push_ids};
use super::tally::{clamp_shared_counts, Change, Counted, NewCounts};
use super::*;
use baken_core::audience::SignalReach;

/// The prefix of the `meta` keys of unfinished walks: `reshare:<owner>`, valued with the id of
/// the walk that last asked for the owner and, after a space, when it last walked a chunk.
const PENDING: &str = "reshare:";

/// A walk whose last chunk is younger than this is taken to be under way in another process.
const ALIVE: time::Duration = time::Duration::minutes(2);

/// Whether a walk is unfinished: under way, or left by a stopped process for the maintenance.
pub(super) async fn any_pending(pool: &sqlx::Pool<Db>) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meta WHERE key LIKE $1")
        .bind(format!("{PENDING}%"))
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

/// The pause between a walk's chunks.
const PAUSE: std::time::Duration = std::time::Duration::from_millis(150);

/// A recomputation of some owners' shared rows, recorded with the change that asks for it
/// ([`Reshare::record`]) and walked after that change has committed ([`Reshare::start_on`]).
#[must_use = "a recorded reshare must be run"]
pub(super) struct Reshare {
    walk: String,
    owners: Vec<Uuid>,
    /// When the walk began, by the caller's clock and by this process's.
    began: (OffsetDateTime, std::time::Instant),
}

impl Reshare {
    /// Records in `tx`, the change's own transaction, that the shared rows of `owners`' signals
    /// are to be recomputed. A later walk for the same owner takes the record over: it starts
    /// after this change and so gives what this one would.
    pub(super) async fn record(
        tx: &mut Transaction<'static, Db>,
        owners: &[Uuid],
        now: OffsetDateTime,
    ) -> Result<Self> {
        let reshare = Reshare {
            walk: new_id(now).to_string(),
            owners: owners.to_vec(),
            began: (now, std::time::Instant::now()),
        };
        for owner in owners {
            sqlx::query(
                "INSERT INTO meta (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(format!("{PENDING}{owner}"))
            .bind(reshare.marker())
            .execute(&mut **tx)
            .await?;
        }
        Ok(reshare)
    }

    /// The record's value now: the walk's id and the time.
    fn marker(&self) -> String {
        let elapsed = time::Duration::try_from(self.began.1.elapsed()).unwrap_or_default();
        format!("{} {}", self.walk, ts(self.began.0 + elapsed))
    }

    /// Starts the walk on its own task and hands it back: it goes on whether or not anyone
    /// waits for it, so a caller who goes away (a closed browser tab) does not stop it halfway.
    pub(super) fn start_on(self, pool: &sqlx::Pool<Db>) -> crate::Resharing {
        let pool = pool.clone();
        crate::Resharing::new(tokio::spawn(async move {
            let walked = self.walk(&pool).await;
            // Said here: nobody may be waiting any more (the form answered before the end).
            if let Err(e) = &walked {
                tracing::error!(
                    error = %e,
                    "recomputing who sees what stopped; the maintenance finishes it"
                );
            }
            walked
        }))
    }

    /// Leaves the walk to the maintenance (tests: a process that stopped).
    #[cfg(feature = "test-support")]
    pub(super) fn abandon(self) {}

    /// Each owner's signals a chunk at a time, each chunk in its own transaction that moves the
    /// record's time on; the record goes with the owner's last chunk.
    async fn walk(&self, pool: &sqlx::Pool<Db>) -> Result<()> {
        for owner in &self.owners {
            let mut chunk = ReshareChunk::first(*owner);
            loop {
                let mut tx = begin_on(pool, None).await?;
                // Waits for the chain head, as every audited change does: the chunk's signals
                // do not change under it (a status change, a correction, a purge), and two
                // walks over the same signals take turns.
                take_audit_slots(&mut tx, 0).await?;
                let agreements = load_agreements(&mut tx).await?;
                let counts = step(&mut tx, &agreements, &mut chunk).await?;
                let last = counts.is_none() || chunk.done;
                if let Some(counts) = counts {
                    counts.store(&mut tx).await?;
                }
                let ours = format!("{} %", self.walk);
                if last {
                    sqlx::query("DELETE FROM meta WHERE key = $1 AND value LIKE $2")
                        .bind(format!("{PENDING}{owner}"))
                        .bind(&ours)
                        .execute(&mut *tx)
                        .await?;
                } else {
                    sqlx::query("UPDATE meta SET value = $1 WHERE key = $2 AND value LIKE $3")
                        .bind(self.marker())
                        .bind(format!("{PENDING}{owner}"))
                        .bind(&ours)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                if last {
                    break;
                }
                // Room for the others: SQLite gives its lock to whoever asks when it is free,
                // and a writer that has waited a while asks every 100 ms; a walk that began
                // its next chunk at once would keep every read's audit event waiting until it
                // gave up (BENCHMARKS.md).
                tokio::time::sleep(PAUSE).await;
            }
        }
        Ok(())
    }
}

/// Walks what a stopped process left unfinished: every recorded walk that nobody has moved on
/// for [`ALIVE`] at `now` (one that is under way elsewhere is left to it).
pub(super) async fn resume(pool: &sqlx::Pool<Db>, now: OffsetDateTime) -> Result<()> {
    let pending: Vec<(String, String)> =
        sqlx::query_as("SELECT key, value FROM meta WHERE key LIKE 'reshare:%' ORDER BY key")
            .fetch_all(pool)
            .await?;
    for (key, value) in pending {
        let owner = parse_uuid(key.strip_prefix(PENDING).unwrap_or_default())?;
        let (walk, at) = value.split_once(' ').unwrap_or((value.as_str(), ""));
        if parse_ts(at).is_ok_and(|at| now - at < ALIVE) {
            continue;
        }
        Reshare {
            walk: walk.to_string(),
            owners: vec![owner],
            began: (now, std::time::Instant::now()),
        }
        .walk(pool)
        .await?;
    }
    Ok(())
}

/// Forgets every unfinished walk (inside a rebuild of the whole audience, which gives what
/// they would).
pub(super) async fn forget_pending(tx: &mut Transaction<'static, Db>) -> Result<()> {
    sqlx::query("DELETE FROM meta WHERE key LIKE 'reshare:%'")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Takes the days after `last_day` away from every row that an organisation among `parties`
/// has of another's signal, and from their counts, inside the change that ends an agreement
/// between them: the partners lose at once what the ended agreement may have given them,
/// and the walk that follows gives back what other agreements give.
pub(super) async fn take_away_after(
    tx: &mut Transaction<'static, Db>,
    parties: &[Uuid],
    last_day: Date,
) -> Result<()> {
    let parties: Vec<String> = parties.iter().map(Uuid::to_string).collect();
    let last_day = date(last_day);
    // Rows whose window starts after the last day go; the others end on it.
    let mut gone = QueryBuilder::<Db>::new("DELETE FROM signal_audience WHERE visible_from > ");
    gone.push_bind(last_day.clone());
    let mut ended = QueryBuilder::<Db>::new("UPDATE signal_audience SET visible_until = ");
    ended
        .push_bind(last_day.clone())
        .push(" WHERE (visible_until IS NULL OR visible_until > ")
        .push_bind(last_day.clone())
        .push(")");
    for mut qb in [gone, ended] {
        push_shared_between(&mut qb, &parties);
        qb.build().execute(&mut **tx).await?;
    }
    clamp_shared_counts(tx, &parties, &last_day).await
}

/// Appends "… and the row is one an organisation among `parties` has of another's signal".
fn push_shared_between(qb: &mut QueryBuilder<'_, Db>, parties: &[String]) {
    qb.push(" AND owned = 0 AND org_id IN (");
    push_ids(qb, parties);
    qb.push(
        " AND EXISTS (SELECT 1 FROM signal s WHERE s.id = signal_audience.signal_id \
         AND s.owner_org IN (",
    );
    push_ids(qb, parties);
    qb.push(")");
}

/// Recomputes the shared rows of every signal owned by one of `owners` inside `tx` (when the
/// whole audience is made), counting the difference each chunk makes and storing it once per
/// owner. (Recounting the tally in SQL for all of an owner's signals took four statements of
/// about a minute each at 1,000,000 signals; BENCHMARKS.md.)
pub(super) async fn reshare_in(tx: &mut Transaction<'static, Db>, owners: &[Uuid]) -> Result<()> {
    let agreements = load_agreements(tx).await?;
    for owner in owners {
        let mut counts = NewCounts::default();
        let mut chunk = ReshareChunk::first(*owner);
        while let Some(step) = step(tx, &agreements, &mut chunk).await? {
            counts.merge(step);
        }
        counts.store(tx).await?;
    }
    Ok(())
}

/// The next chunk of the owner's signals: its shared rows taken out of the tally and deleted,
/// the rows the agreements give now inserted and counted. `None` after the last chunk.
async fn step(
    tx: &mut Transaction<'static, Db>,
    agreements: &[SharingAgreement],
    chunk: &mut ReshareChunk,
) -> Result<Option<NewCounts>> {
    let Some(signals) = chunk.next(tx).await? else {
        return Ok(None);
    };
    let mut counts = NewCounts::default();
    let (shared, facts) = chunk.read(tx, &signals).await?;
    let owner_id = chunk.owner.to_string();
    for row in &shared {
        let Some(fact) = facts.get(row.signal.as_str()) else {
            continue;
        };
        counts.count(
            Change::TakeAway,
            &row.counted(&owner_id, fact),
            &fact.themes,
            &fact.areas,
        );
    }
    if !shared.is_empty() {
        let ids: Vec<String> = shared.iter().map(|row| row.signal.clone()).collect();
        delete_for(
            tx,
            "DELETE FROM signal_audience WHERE owned = 0 AND signal_id IN ",
            &ids,
        )
        .await?;
    }
    let mut rows = Vec::new();
    for signal in &signals {
        // Only signals below Bibob left shareable can flow at all.
        if signal.sharing != Sharing::Convenant
            || signal.classification.rank() >= Classification::Bibob.rank()
        {
            continue;
        }
        let Some(fact) = facts.get(signal.id.as_str()) else {
            continue;
        };
        let reach = SignalReach {
            owner: chunk.owner,
            classification: signal.classification,
            sharing: signal.sharing,
            themes: &fact.themes,
        };
        let from = rows.len();
        partner_rows(&signal.id, &reach, &fact.state, agreements, &mut rows);
        for row in &rows[from..] {
            counts.count(
                Change::Add,
                &row.counted(&owner_id, fact),
                &fact.themes,
                &fact.areas,
            );
        }
    }
    insert_audience(tx, &rows).await?;
    Ok(Some(counts))
}

impl AudienceRow {
    /// The row as the tally counts it, with what `fact` says of its signal.
    fn counted<'a>(&'a self, owner: &'a str, fact: &'a SignalFacts) -> Counted<'a> {
        Counted {
            org: &self.org,
            from: &self.from,
            until: self.until.as_deref(),
            owned: self.owned,
            bibob: self.rank >= Classification::Bibob.rank(),
            owner,
            status: fact.state.status,
            month: &fact.month,
        }
    }
}

/// One of an owner's signals as a walk reads it.
struct OwnedSignal {
    id: String,
    classification: Classification,
    sharing: Sharing,
    state: SignalState,
    /// The day of receipt (`received_on`), whose month the tally keys.
    received_on: String,
}

/// What the audience rows and the tally need of a signal: its state, themes, areas and month
/// of receipt (as the tally keys it: the month of its Dutch day of receipt).
struct SignalFacts {
    state: SignalState,
    themes: Vec<String>,
    areas: Vec<(String, AreaKind)>,
    month: String,
}

/// A walk over one owner's signals a chunk at a time, in the order of
/// `signal_owner_received` (receipt, then id), each chunk from where the last one ended.
/// (Ordered by id, each chunk read and sorted all of the owner's signals again: an agreement
/// at 1,000,000 signals took a quarter of an hour; BENCHMARKS.md.)
struct ReshareChunk {
    owner: Uuid,
    after: (String, String),
    done: bool,
}

impl ReshareChunk {
    const SIZE: i64 = 5_000;

    fn first(owner: Uuid) -> Self {
        ReshareChunk {
            owner,
            after: (String::new(), String::new()),
            done: false,
        }
    }

    /// The next chunk of the owner's signals, or `None` after the last.
    async fn next(
        &mut self,
        tx: &mut Transaction<'static, Db>,
    ) -> Result<Option<Vec<OwnedSignal>>> {
        if self.done {
            return Ok(None);
        }
        type Stored = (
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            String,
        );
        let rows: Vec<Stored> = sqlx::query_as(
            "SELECT id, classification, sharing, received_at, status, deadline, received_on \
             FROM signal \
             WHERE owner_org = $1 AND received_at >= $2 AND (received_at > $2 OR id > $3) \
             ORDER BY received_at, id LIMIT $4",
        )
        .bind(self.owner.to_string())
        .bind(&self.after.0)
        .bind(&self.after.1)
        .bind(Self::SIZE)
        .fetch_all(&mut **tx)
        .await?;
        self.done = (rows.len() as i64) < Self::SIZE;
        let Some(last) = rows.last() else {
            return Ok(None);
        };
        self.after = (last.3.clone(), last.0.clone());
        rows.into_iter()
            .map(
                |(id, classification, sharing, received_at, status, deadline, received_on)| {
                    Ok(OwnedSignal {
                        id,
                        classification: parse_enum(Classification::parse(&classification))?,
                        sharing: parse_enum(Sharing::parse(&sharing))?,
                        state: SignalState::stored(received_at, &status, deadline.as_deref())?,
                        received_on,
                    })
                },
            )
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }

    /// The chunk's shared audience rows as they stand, and what the rows and the tally need
    /// of each signal that is shared or may be.
    async fn read(
        &self,
        tx: &mut Transaction<'static, Db>,
        signals: &[OwnedSignal],
    ) -> Result<(Vec<AudienceRow>, HashMap<String, SignalFacts>)> {
        let ids: Vec<String> = signals.iter().map(|s| s.id.clone()).collect();
        type Shared = (String, String, String, Option<String>, i64);
        let shared: Vec<Shared> = in_ids(
            tx,
            "SELECT signal_id, org_id, visible_from, visible_until, \
             CAST(classification_rank AS BIGINT) FROM signal_audience \
             WHERE owned = 0 AND signal_id IN (",
            " ORDER BY signal_id, org_id, visible_from",
            &ids,
        )
        .await?;
        let themes: Vec<(String, String)> = in_ids(
            tx,
            "SELECT signal_id, theme FROM signal_theme WHERE signal_id IN (",
            " ORDER BY signal_id, theme",
            &ids,
        )
        .await?;
        let areas: Vec<(String, String, String)> = in_ids(
            tx,
            "SELECT signal_id, area_code, area_kind FROM signal_area WHERE signal_id IN (",
            " ORDER BY signal_id, area_code",
            &ids,
        )
        .await?;
        let mut facts = HashMap::with_capacity(signals.len());
        for signal in signals {
            facts.insert(
                signal.id.clone(),
                SignalFacts {
                    state: signal.state.clone(),
                    themes: Vec::new(),
                    areas: Vec::new(),
                    month: signal.received_on.get(..7).unwrap_or_default().to_string(),
                },
            );
        }
        for (id, theme) in themes {
            if let Some(f) = facts.get_mut(&id) {
                f.themes.push(theme);
            }
        }
        for (id, code, kind) in areas {
            if let Some(f) = facts.get_mut(&id) {
                f.areas.push((code, parse_enum(AreaKind::parse(&kind))?));
            }
        }
        let shared = shared
            .into_iter()
            .map(|(signal, org, from, until, rank)| {
                let state = facts
                    .get(&signal)
                    .map(|f| f.state.clone())
                    .ok_or(StoreError::NotFound)?;
                Ok(AudienceRow {
                    signal,
                    org,
                    from,
                    until,
                    owned: false,
                    rank,
                    state,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((shared, facts))
    }
}

/// Runs `head` (ending in `… IN (`), the ids, `)` and `tail`, and returns its rows.
async fn in_ids<T>(
    tx: &mut Transaction<'static, Db>,
    head: &'static str,
    tail: &'static str,
    ids: &[String],
) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> + Send + Unpin,
{
    let mut qb = QueryBuilder::<Db>::new(head);
    push_ids(&mut qb, ids);
    qb.push(tail);
    Ok(qb.build_query_as().fetch_all(&mut **tx).await?)
}
