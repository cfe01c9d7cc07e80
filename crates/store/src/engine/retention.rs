//! Retention that deletes (issue 18, pt 6): signals past their "bewaren tot" day that nothing
//! followed up and no legal hold keeps are deleted with everything of them — counts, audience,
//! search entry, mentions with their linking keys, scored pairs, judgements, relations and
//! value counts, themes, areas, histories — and leave a tombstone; legal holds.

use super::linking::{exact_kind, link_fields, slot_slug};
use super::retention_rules::{CASE, INTERVENTION};
use super::tally::{Change, Touched};
use super::*;
use baken_core::retention::{
    HoldGround, PurgeMode, PurgeReport, PurgeRule, RetentionRules, PURGE_BATCH,
};
use baken_link::{Prepared, Slot};

/// The record kind of a signal in `legal_hold` and `purged_record`.
const SIGNAL: &str = "signal";

/// A signal `s` that something followed up: a case, an intervention, a barrier or a field
/// finding names it, or a case holds one of its subjects (also one a correction took out).
const FOLLOWED_UP: &str = "(EXISTS (SELECT 1 FROM case_signal x WHERE x.signal_id = s.id) \
     OR EXISTS (SELECT 1 FROM intervention_link x WHERE x.signal_id = s.id) \
     OR EXISTS (SELECT 1 FROM barrier_tag x WHERE x.signal_id = s.id) \
     OR EXISTS (SELECT 1 FROM visit_finding x WHERE x.signal_id = s.id) \
     OR EXISTS (SELECT 1 FROM signal_subject ss JOIN case_subject cs \
                ON cs.subject_id = ss.subject_id WHERE ss.signal_id = s.id) \
     OR EXISTS (SELECT 1 FROM subject r JOIN case_subject cs ON cs.subject_id = r.id \
                WHERE r.retired_from = s.id))";

/// A signal `s` under a legal hold that is not lifted (the kind bound as `$2`).
const HELD: &str = "EXISTS (SELECT 1 FROM legal_hold h WHERE h.kind = $2 AND h.record_id = s.id \
     AND h.lifted_at IS NULL)";

pub(super) fn purge_process() -> Actor {
    Actor::System {
        process: "bewaartermijn".into(),
    }
}

/// Who may place and lift holds: the command line, or a beheerder.
fn holding(actor: &Actor) -> Result<()> {
    super::admin::administering(actor)
}

#[async_trait]
impl crate::RetentionStore for EngineStore {
    async fn purge(
        &self,
        mode: PurgeMode,
        rules: &RetentionRules,
        now: OffsetDateTime,
    ) -> Result<PurgeReport> {
        // Cases and Bibob files first: a case that goes lets its signals go too. A kind that
        // fails does not stop the others; its error is returned after them.
        let cases = self.purge_closed_cases(mode, rules, now).await;
        let bibob_files = self.purge_bibob_files(mode, rules, now).await;
        let processing_lines = self.purge_processing_log(mode, rules, now).await;
        let audit_events = self.empty_audit_events(mode, rules, now).await;
        let signals = self.purge_signals_due(mode, now).await?;
        Ok(PurgeReport {
            cases: cases?,
            bibob_files: bibob_files?,
            processing_lines: processing_lines?,
            audit_events: audit_events?,
            ..signals
        })
    }

    async fn place_hold(
        &self,
        actor: &Actor,
        record: Uuid,
        ground: HoldGround,
        now: OffsetDateTime,
    ) -> Result<()> {
        holding(actor)?;
        let mut tx = self.write_by(actor, now).await?;
        let Some((kind, object)) = held_kind(&mut tx, record).await? else {
            return Err(StoreError::NotFound);
        };
        sqlx::query(
            "INSERT INTO legal_hold (id, kind, record_id, ground, placed_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(new_id(now).to_string())
        .bind(kind)
        .bind(record.to_string())
        .bind(ground.slug())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        let event = AuditRecord::success(
            AuditAction::RetentionHold,
            object,
            Some(record.to_string()),
            format!("ground={}", ground.slug()),
        );
        tx.finish(event).await
    }

    async fn lift_holds(&self, actor: &Actor, record: Uuid, now: OffsetDateTime) -> Result<u64> {
        holding(actor)?;
        let mut tx = self.write_by(actor, now).await?;
        let (kind, object) = held_kind(&mut tx, record)
            .await?
            .unwrap_or((SIGNAL, ObjectKind::Signal));
        let lifted = sqlx::query(
            "UPDATE legal_hold SET lifted_at = $1 \
             WHERE kind = $2 AND record_id = $3 AND lifted_at IS NULL",
        )
        .bind(ts(now))
        .bind(kind)
        .bind(record.to_string())
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if lifted == 0 {
            tx.abandon().await?;
            return Ok(0);
        }
        let event = AuditRecord::success(
            AuditAction::RetentionRelease,
            object,
            Some(record.to_string()),
            format!("holds={lifted}"),
        );
        tx.finish(event).await?;
        Ok(lifted)
    }

    async fn purged_at(&self, record: Uuid) -> Result<Option<OffsetDateTime>> {
        let at: Option<String> =
            sqlx::query_scalar("SELECT MAX(purged_at) FROM purged_record WHERE record_id = $1")
                .bind(record.to_string())
                .fetch_one(&self.pool)
                .await?;
        at.as_deref().map(parse_ts).transpose()
    }
}

impl EngineStore {
    /// Signals past their "bewaren tot" day: counted, and deleted unless followed up or held.
    async fn purge_signals_due(&self, mode: PurgeMode, now: OffsetDateTime) -> Result<PurgeReport> {
        let today = date(local_date(now));
        let count = |filter: String| {
            let sql =
                format!("SELECT COUNT(*) FROM signal s WHERE s.retention_until < $1 AND {filter}");
            let today = today.clone();
            async move {
                let query = sqlx::query_scalar::<_, i64>(&sql).bind(today);
                // Only the holds' filter names the record kind.
                let query = if sql.contains("$2") {
                    query.bind(SIGNAL)
                } else {
                    query
                };
                query.fetch_one(&self.pool).await
            }
        };
        let due = count("1 = 1".to_string()).await?;
        let followed_up = count(FOLLOWED_UP.to_string()).await?;
        let held = count(format!("NOT {FOLLOWED_UP} AND {HELD}")).await?;
        let mut report = PurgeReport {
            due: u64::try_from(due).unwrap_or(0),
            followed_up: u64::try_from(followed_up).unwrap_or(0),
            held: u64::try_from(held).unwrap_or(0),
            purged: 0,
            ..PurgeReport::default()
        };
        // Nothing to delete (the hourly run, mostly): no write is begun. A signal that falls
        // due meanwhile is deleted by the next run.
        if mode == PurgeMode::DryRun || report.due == report.followed_up + report.held {
            return Ok(report);
        }
        let process = purge_process();
        loop {
            let mut tx = self.write_by(&process, now).await?;
            // In the order of the retention index: the due signals are one range of it. In
            // the order of the ids SQLite walked all 1,000,000 signals to find none due,
            // holding the write lock for 9.6 s (logins failed as "database is locked").
            let ids: Vec<String> = sqlx::query_scalar(&format!(
                "SELECT s.id FROM signal s WHERE s.retention_until < $1 AND NOT {FOLLOWED_UP} \
                 AND NOT {HELD} ORDER BY s.retention_until, s.id LIMIT {PURGE_BATCH}"
            ))
            .bind(&today)
            .bind(SIGNAL)
            .fetch_all(&mut **tx)
            .await?;
            if ids.is_empty() {
                tx.abandon().await?;
                break;
            }
            Self::purge_signals(&mut tx, self.audit_key.as_ref(), &ids, now).await?;
            report.purged += ids.len() as u64;
            let event = AuditRecord::success(
                AuditAction::RetentionPurge,
                ObjectKind::Signal,
                None,
                format!(
                    "rule={} count={}",
                    PurgeRule::SignalWithoutFollowUp.slug(),
                    ids.len()
                ),
            );
            tx.finish(event).await?;
        }
        Ok(report)
    }
}

/// The kind of record `id` is, for a legal hold: a signal, a case or an intervention.
async fn held_kind(
    tx: &mut Transaction<'static, Db>,
    id: Uuid,
) -> Result<Option<(&'static str, ObjectKind)>> {
    for (table, kind, object) in [
        ("signal", SIGNAL, ObjectKind::Signal),
        ("case_file", CASE, ObjectKind::Case),
        ("intervention", INTERVENTION, ObjectKind::Intervention),
    ] {
        let found: Option<String> =
            sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE id = $1"))
                .bind(id.to_string())
                .fetch_optional(&mut **tx)
                .await?;
        if found.is_some() {
            return Ok(Some((kind, object)));
        }
    }
    Ok(None)
}

impl EngineStore {
    /// Deletes these signals and everything of them inside `tx`, leaving their tombstones.
    async fn purge_signals(
        tx: &mut Transaction<'static, Db>,
        key: Option<&AuditKey>,
        ids: &[String],
        now: OffsetDateTime,
    ) -> Result<()> {
        // Counts and who may see them first, while the rows are there to say which counts.
        Self::tally(tx, Touched::Signals(ids), Change::TakeAway).await?;
        delete_for(tx, "DELETE FROM signal_audience WHERE signal_id IN ", ids).await?;
        unindex_signals(tx, ids).await?;
        // The mentions: out of linking (keys, pairs, judgements, entities, value counts),
        // then gone.
        // Its mentions, and those a correction took out of it.
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT x.id, x.kind, x.details, x.bsn_hash, x.owner_org FROM subject x WHERE x.id IN \
             (SELECT ss.subject_id FROM signal_subject ss WHERE ss.signal_id IN (",
        );
        push_ids(&mut qb, ids);
        qb.push(") OR x.retired_from IN (");
        push_ids(&mut qb, ids);
        let rows: Vec<(String, String, String, Option<String>, String)> =
            qb.build_query_as().fetch_all(&mut **tx).await?;
        // Deleting a person's mention is the last processing of it, logged per organisation.
        let mut persons: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        for (sid, kind, _, _, org) in &rows {
            if kind == SubjectKind::Person.slug() {
                persons.entry(org.as_str()).or_default().push(sid.clone());
            }
        }
        for (org, mentions) in &persons {
            super::processing::log_processing(
                tx,
                key,
                baken_core::processing::ProcessingActivity::Purge,
                org,
                mentions,
                now,
            )
            .await?;
        }
        delete_for(tx, "DELETE FROM relation WHERE source_signal IN ", ids).await?;
        delete_for(tx, "DELETE FROM signal_subject WHERE signal_id IN ", ids).await?;
        let mut counted: Vec<(SubjectKind, Prepared)> = Vec::new();
        for (sid, kind, details, bsn_hash, _) in &rows {
            let kind = parse_enum(SubjectKind::parse(kind))?;
            if !exact_kind(kind) {
                let details: SubjectDetails = serde_json::from_str(details)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                counted.push((
                    kind,
                    Prepared::new(&link_fields(&details, bsn_hash.as_deref())),
                ));
            }
            let entity = Self::entity_of_member(tx, sid).await?;
            for statement in [
                "DELETE FROM subject_key WHERE subject_id = $1",
                "DELETE FROM subject_link WHERE left_subject = $1 OR right_subject = $1",
                "DELETE FROM link_judgement WHERE left_subject = $1 OR right_subject = $1",
                "DELETE FROM relation WHERE from_subject = $1 OR to_subject = $1",
                "DELETE FROM entity_member WHERE subject_id = $1",
                "DELETE FROM subject WHERE id = $1",
            ] {
                sqlx::query(statement).bind(sid).execute(&mut **tx).await?;
            }
            Self::regroup_rest(tx, kind, entity, now).await?;
        }
        uncount_terms(tx, &counted).await?;
        for table in [
            "signal_theme",
            "signal_indicator",
            "signal_area",
            "signal_import_key",
            "public_report",
        ] {
            delete_for(tx, &format!("DELETE FROM {table} WHERE signal_id IN "), ids).await?;
        }
        // The histories and the row itself, under this transaction's permit.
        insert_rows(
            tx,
            "INSERT INTO purge_permit (signal_id) ",
            ids,
            1,
            |b, id| {
                b.push_bind(id.clone());
            },
        )
        .await?;
        delete_for(
            tx,
            "DELETE FROM signal_status_history WHERE signal_id IN ",
            ids,
        )
        .await?;
        delete_for(tx, "DELETE FROM signal_change WHERE signal_id IN ", ids).await?;
        delete_for(tx, "DELETE FROM legal_hold WHERE record_id IN ", ids).await?;
        delete_for(tx, "DELETE FROM signal WHERE id IN ", ids).await?;
        delete_for(tx, "DELETE FROM purge_permit WHERE signal_id IN ", ids).await?;
        let at = ts(now);
        insert_rows(
            tx,
            "INSERT INTO purged_record (kind, record_id, purged_at, rule) ",
            ids,
            4,
            |b, id| {
                b.push_bind(SIGNAL)
                    .push_bind(id.clone())
                    .push_bind(at.clone())
                    .push_bind(PurgeRule::SignalWithoutFollowUp.slug());
            },
        )
        .await
    }
}

pub(super) fn push_ids(qb: &mut QueryBuilder<'_, Db>, ids: &[String]) {
    let mut list = qb.separated(", ");
    for id in ids {
        list.push_bind(id.clone());
    }
    qb.push(")");
}

/// Runs `statement` (ending in `… IN `) over `ids`.
pub(super) async fn delete_for(
    tx: &mut Transaction<'static, Db>,
    statement: &str,
    ids: &[String],
) -> Result<()> {
    let mut qb = QueryBuilder::<Db>::new(statement);
    qb.push("(");
    push_ids(&mut qb, ids);
    qb.build().execute(&mut **tx).await?;
    Ok(())
}

/// Takes the purged subjects' values out of the value counts (the reverse of
/// `count_terms`): a value no one else has is gone, and the totals follow.
async fn uncount_terms(
    tx: &mut Transaction<'static, Db>,
    records: &[(SubjectKind, Prepared)],
) -> Result<()> {
    let mut removed: std::collections::BTreeMap<(SubjectKind, Slot, String), i64> =
        std::collections::BTreeMap::new();
    for (kind, r) in records {
        for slot in Slot::ALL.iter().copied().filter(|s| s.term_frequencies()) {
            if let Some(v) = r.get(slot) {
                *removed.entry((*kind, slot, v.to_string())).or_default() += 1;
            }
        }
    }
    let mut totals: std::collections::BTreeMap<(SubjectKind, Slot), (i64, i64)> =
        std::collections::BTreeMap::new();
    for ((kind, slot, value), k) in &removed {
        let n: Option<i64> = sqlx::query_scalar(
            "SELECT n FROM subject_term WHERE kind = $1 AND slot = $2 AND value = $3",
        )
        .bind(kind.slug())
        .bind(slot_slug(*slot))
        .bind(value)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(n) = n else { continue };
        let k = (*k).min(n);
        if n - k <= 0 {
            sqlx::query("DELETE FROM subject_term WHERE kind = $1 AND slot = $2 AND value = $3")
                .bind(kind.slug())
                .bind(slot_slug(*slot))
                .bind(value)
                .execute(&mut **tx)
                .await?;
        } else {
            sqlx::query(
                "UPDATE subject_term SET n = $4 WHERE kind = $1 AND slot = $2 AND value = $3",
            )
            .bind(kind.slug())
            .bind(slot_slug(*slot))
            .bind(value)
            .bind(n - k)
            .execute(&mut **tx)
            .await?;
        }
        // n² falls by n² − (n − k)² when k records of a value leave n.
        let t = totals.entry((*kind, *slot)).or_default();
        t.0 += k;
        t.1 += n * n - (n - k) * (n - k);
    }
    for ((kind, slot), (t, sq)) in totals {
        sqlx::query(
            "UPDATE subject_term_total SET total = total - $3, sum_squares = sum_squares - $4 \
             WHERE kind = $1 AND slot = $2",
        )
        .bind(kind.slug())
        .bind(slot_slug(slot))
        .bind(t)
        .bind(sq)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
