//! Retention rules per record kind (issue 18, pt 6; `[retention]`): a case some years after it
//! was closed, a Bibob screening some years after its decision — each deleted with everything
//! of it under a permit (migration 0046), leaving a tombstone, unless a legal hold (or, for a
//! Bibob file, an objection or appeal recorded after its decision) keeps it —, the processing
//! log's lines after their period, and the content of audit events after theirs (emptied; the
//! events, their hashes and what `verify` checks guarded records against stay).

use super::retention::{delete_for, purge_process};
use super::*;
use baken_core::commitment::CommitmentLinkKind;
use baken_core::procedure::bibob::BibobStep;
use baken_core::retention::{KeptFor, KindReport, PurgeMode, PurgeRule, RetentionRules};

/// The record kinds of `legal_hold` and `purged_record` besides signals.
pub(super) const CASE: &str = "case";
pub(super) const INTERVENTION: &str = "intervention";

/// Records deleted per transaction, audit events emptied per transaction.
const BATCH: i64 = 200;
const LINES_BATCH: i64 = 5_000;

/// The steps that conclude a Bibob screening: its decision day is the last of them.
const CONCLUDING: [BibobStep; 4] = [
    BibobStep::Decision,
    BibobStep::NotProcessed,
    BibobStep::Withdrawn,
    BibobStep::NoDecisionNeeded,
];

/// Whether a purge's transaction takes up a whole log's permit or gives it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Permit {
    Grant,
    Withdraw,
}

/// The permit (migration 0046) that lets this transaction delete from, or empty, the log of
/// `rule`; no other transaction ever sees it.
async fn log_permit(
    tx: &mut Transaction<'static, Db>,
    rule: PurgeRule,
    permit: Permit,
) -> Result<()> {
    let sql = match permit {
        Permit::Grant => "INSERT INTO record_permit (record_id) VALUES ($1)",
        Permit::Withdraw => "DELETE FROM record_permit WHERE record_id = $1",
    };
    sqlx::query(sql)
        .bind(rule.slug())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The end of deleted records of `table`: the commitments' links to them, their (lifted)
/// holds, and the rows themselves.
async fn delete_records(
    tx: &mut Transaction<'static, Db>,
    table: &str,
    linked_as: CommitmentLinkKind,
    ids: &[String],
) -> Result<()> {
    delete_for(
        tx,
        &format!(
            "DELETE FROM commitment_link WHERE kind = '{}' AND target_id IN ",
            linked_as.slug()
        ),
        ids,
    )
    .await?;
    delete_for(tx, "DELETE FROM legal_hold WHERE record_id IN ", ids).await?;
    delete_for(tx, &format!("DELETE FROM {table} WHERE id IN "), ids).await
}

/// The instant the Dutch calendar day `day` begins, as stored.
fn day_start(day: time::Date) -> String {
    ts(baken_core::calendar::start_of_day(day).unwrap_or_else(|| day.midnight().assume_utc()))
}

fn not_held(kind: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.kind = '{kind}' AND h.record_id = x.id \
         AND h.lifted_at IS NULL)"
    )
}

fn slugs(steps: &[BibobStep]) -> String {
    steps
        .iter()
        .map(|s| format!("'{}'", s.slug()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl EngineStore {
    /// Closed cases past their period: counted, and deleted unless held.
    pub(super) async fn purge_closed_cases(
        &self,
        mode: PurgeMode,
        rules: &RetentionRules,
        now: OffsetDateTime,
    ) -> Result<KindReport> {
        let before = day_start(rules.due_before(KeptFor::ClosedCase, local_date(now)));
        // Closed, and closed last before the day (a reopened case counts from its next closing).
        let due = format!(
            "x.status = '{closed}' AND (SELECT MAX(h.at) FROM case_status_history h \
             WHERE h.case_id = x.id AND h.to_status = '{closed}') < $1",
            closed = baken_core::case::CaseStatus::Closed.slug()
        );
        let candidates = format!("SELECT x.id FROM case_file x WHERE {due}");
        let deletable = format!("{candidates} AND {}", not_held(CASE));
        self.purge_kind(
            mode,
            now,
            &before,
            (&candidates, &deletable),
            PurgeRule::ClosedCase,
        )
        .await
    }

    /// Bibob screenings concluded, whose last step (the decision, or an objection or appeal
    /// after it, or the decision on those) lies before their period: counted, and deleted
    /// unless held.
    pub(super) async fn purge_bibob_files(
        &self,
        mode: PurgeMode,
        rules: &RetentionRules,
        now: OffsetDateTime,
    ) -> Result<KindReport> {
        let before = date(rules.due_before(KeptFor::BibobFile, local_date(now)));
        let candidates = format!(
            "SELECT x.id FROM intervention x WHERE x.kind = '{bibob}' \
             AND EXISTS (SELECT 1 FROM intervention_step c \
                         WHERE c.intervention_id = x.id AND c.step IN ({concluding})) \
             AND (SELECT MAX(st.on_day) FROM intervention_step st \
                  WHERE st.intervention_id = x.id) < $1",
            bibob = baken_core::intervention::InterventionKind::Bibob.slug(),
            concluding = slugs(&CONCLUDING),
        );
        let deletable = format!("{candidates} AND {}", not_held(INTERVENTION));
        self.purge_kind(
            mode,
            now,
            &before,
            (&candidates, &deletable),
            PurgeRule::BibobFile,
        )
        .await
    }

    async fn purge_kind(
        &self,
        mode: PurgeMode,
        now: OffsetDateTime,
        before: &str,
        (candidates, deletable): (&str, &str),
        rule: PurgeRule,
    ) -> Result<KindReport> {
        let count = |sql: String| async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM ({sql}) n"))
                .bind(before)
                .fetch_one(&self.pool)
                .await
        };
        let due = count(candidates.to_string()).await?;
        let free = count(deletable.to_string()).await?;
        let mut report = KindReport {
            due: u64::try_from(due).unwrap_or(0),
            held: u64::try_from(due - free).unwrap_or(0),
            purged: 0,
        };
        if mode == PurgeMode::DryRun {
            return Ok(report);
        }
        let process = purge_process();
        loop {
            let mut tx = self.write_by(&process, now).await?;
            let ids: Vec<String> =
                sqlx::query_scalar(&format!("{deletable} ORDER BY x.id LIMIT {BATCH}"))
                    .bind(before)
                    .fetch_all(&mut **tx)
                    .await?;
            if ids.is_empty() {
                tx.abandon().await?;
                break;
            }
            let (kind, object) = match rule {
                PurgeRule::BibobFile => {
                    Self::delete_interventions(&mut tx, &ids).await?;
                    (INTERVENTION, ObjectKind::Intervention)
                }
                _ => {
                    Self::delete_cases(&mut tx, &ids).await?;
                    (CASE, ObjectKind::Case)
                }
            };
            let at = ts(now);
            super::insert_rows(
                &mut tx,
                "INSERT INTO purged_record (kind, record_id, purged_at, rule) ",
                &ids,
                4,
                |b, id| {
                    b.push_bind(kind)
                        .push_bind(id.clone())
                        .push_bind(at.clone())
                        .push_bind(rule.slug());
                },
            )
            .await?;
            report.purged += ids.len() as u64;
            let event = AuditRecord::success(
                AuditAction::RetentionPurge,
                object,
                None,
                format!("rule={} count={}", rule.slug(), ids.len()),
            );
            tx.finish(event).await?;
        }
        Ok(report)
    }

    /// Deletes these cases with everything that is theirs (members, themes, signals and
    /// subjects held — the signals and subjects themselves stay —, status history, lineage,
    /// agenda items with what was disclosed and decided there, actions with their history,
    /// agenda requests, links from commitments, purposes stated for them); an intervention
    /// registered on one stays in the register without it.
    async fn delete_cases(tx: &mut Transaction<'static, Db>, ids: &[String]) -> Result<()> {
        let owned = |table: &str| format!("SELECT id FROM {table} WHERE case_id IN ");
        let mut permitted: Vec<String> = ids.to_vec();
        for table in ["case_action", "disclosure"] {
            let mut qb = QueryBuilder::<Db>::new(owned(table));
            qb.push("(");
            super::retention::push_ids(&mut qb, ids);
            let rows: Vec<String> = qb.build_query_scalar().fetch_all(&mut **tx).await?;
            permitted.extend(rows);
        }
        super::insert_rows(
            tx,
            "INSERT INTO record_permit (record_id) ",
            &permitted,
            1,
            |b, id| {
                b.push_bind(id.clone());
            },
        )
        .await?;
        delete_for(
            tx,
            "DELETE FROM case_action_history WHERE action_id IN ",
            &permitted,
        )
        .await?;
        // The permitted ids hold the case's disclosures too.
        delete_for(
            tx,
            "DELETE FROM disclosure_recipient WHERE disclosure_id IN ",
            &permitted,
        )
        .await?;
        delete_for(tx, "DELETE FROM case_action WHERE case_id IN ", ids).await?;
        for table in [
            "disclosure",
            "decision",
            "agenda_request",
            "meeting_item",
            "case_subject",
            "case_signal",
            "case_member",
            "case_theme",
            "case_status_history",
        ] {
            delete_for(tx, &format!("DELETE FROM {table} WHERE case_id IN "), ids).await?;
        }
        delete_for(tx, "DELETE FROM case_lineage WHERE from_case IN ", ids).await?;
        delete_for(tx, "DELETE FROM case_lineage WHERE to_case IN ", ids).await?;
        delete_for(
            tx,
            "UPDATE intervention SET case_id = NULL WHERE case_id IN ",
            ids,
        )
        .await?;
        let objects: Vec<String> = ids.iter().map(|id| format!("case:{id}")).collect();
        delete_for(tx, "DELETE FROM session_purpose WHERE object IN ", &objects).await?;
        delete_records(tx, "case_file", CommitmentLinkKind::Case, ids).await?;
        delete_for(
            tx,
            "DELETE FROM record_permit WHERE record_id IN ",
            &permitted,
        )
        .await
    }

    /// Deletes these interventions with their steps, changes, parties, disclosures, links,
    /// barrier tags and links from commitments.
    async fn delete_interventions(tx: &mut Transaction<'static, Db>, ids: &[String]) -> Result<()> {
        super::insert_rows(
            tx,
            "INSERT INTO record_permit (record_id) ",
            ids,
            1,
            |b, id| {
                b.push_bind(id.clone());
            },
        )
        .await?;
        for statement in [
            "DELETE FROM intervention_step WHERE intervention_id IN ",
            "DELETE FROM intervention_change WHERE intervention_id IN ",
            "DELETE FROM intervention_party WHERE intervention_id IN ",
            "DELETE FROM bibob_disclosure WHERE intervention_id IN ",
            "DELETE FROM intervention_link WHERE intervention_id IN ",
            "DELETE FROM intervention_link WHERE followup_id IN ",
            "DELETE FROM barrier_tag WHERE intervention_id IN ",
        ] {
            delete_for(tx, statement, ids).await?;
        }
        delete_records(tx, "intervention", CommitmentLinkKind::Intervention, ids).await?;
        delete_for(tx, "DELETE FROM record_permit WHERE record_id IN ", ids).await
    }

    /// The processing log's lines past their period: counted, and deleted.
    pub(super) async fn purge_processing_log(
        &self,
        mode: PurgeMode,
        rules: &RetentionRules,
        now: OffsetDateTime,
    ) -> Result<u64> {
        let before = day_start(rules.due_before(KeptFor::ProcessingLog, local_date(now)));
        if mode == PurgeMode::DryRun {
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM processing_log WHERE start_time < $1")
                    .bind(&before)
                    .fetch_one(&self.pool)
                    .await?;
            return Ok(u64::try_from(n).unwrap_or(0));
        }
        let process = purge_process();
        let mut purged = 0u64;
        loop {
            let mut tx = self.write_by(&process, now).await?;
            log_permit(&mut tx, PurgeRule::ProcessingLog, Permit::Grant).await?;
            let gone = sqlx::query(&format!(
                "DELETE FROM processing_log WHERE operation_id IN (SELECT operation_id \
                 FROM processing_log WHERE start_time < $1 LIMIT {LINES_BATCH})"
            ))
            .bind(&before)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            log_permit(&mut tx, PurgeRule::ProcessingLog, Permit::Withdraw).await?;
            if gone == 0 {
                tx.abandon().await?;
                break;
            }
            purged += gone;
            let event = AuditRecord::success(
                AuditAction::RetentionPurge,
                ObjectKind::ProcessingLog,
                None,
                format!("rule={} count={gone}", PurgeRule::ProcessingLog.slug()),
            );
            tx.finish(event).await?;
        }
        Ok(purged)
    }

    /// Empties the content of audit events past their period: those before the first event
    /// at or after the day, so that emptied events are always the chain's beginning. Counted,
    /// and emptied.
    pub(super) async fn empty_audit_events(
        &self,
        mode: PurgeMode,
        rules: &RetentionRules,
        now: OffsetDateTime,
    ) -> Result<u64> {
        let before = day_start(rules.due_before(KeptFor::AuditLog, local_date(now)));
        let bound: Option<i64> =
            sqlx::query_scalar("SELECT MIN(seq) FROM audit_event WHERE occurred_at >= $1")
                .bind(&before)
                .fetch_one(&self.pool)
                .await?;
        let last: i64 = match bound {
            Some(first_kept) => first_kept - 1,
            None => {
                sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM audit_event")
                    .fetch_one(&self.pool)
                    .await?
            }
        };
        // Events are emptied in the order of the chain, so those up to the last one emptied
        // are all emptied: each run starts after it. (From the chain's start, every hourly
        // run walked past every event emptied before, inside its write.)
        let through = self.emptied_through().await?;
        if mode == PurgeMode::DryRun {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit_event WHERE seq > $2 AND seq <= $1 AND emptied = 0",
            )
            .bind(last)
            .bind(through)
            .fetch_one(&self.pool)
            .await?;
            return Ok(u64::try_from(n).unwrap_or(0));
        }
        let process = purge_process();
        let mut emptied = 0u64;
        let mut through = through;
        loop {
            let mut tx = self.write_by(&process, now).await?;
            let rows: Vec<super::rows::AuditEventRow> = sqlx::query_as(&format!(
                "SELECT {} FROM audit_event WHERE seq > $2 AND seq <= $1 AND emptied = 0 \
                 ORDER BY seq LIMIT {LINES_BATCH}",
                super::rows::AUDIT_COLUMNS
            ))
            .bind(last)
            .bind(through)
            .fetch_all(&mut **tx)
            .await?;
            let Some(batch_last) = rows.last().map(|row| row.seq) else {
                tx.abandon().await?;
                break;
            };
            log_permit(&mut tx, PurgeRule::AuditLog, Permit::Grant).await?;
            for row in &rows {
                let (detail, seal) = row.emptying(self.audit_key.as_ref());
                sqlx::query(
                    "UPDATE audit_event SET actor_user = NULL, origin = '', purpose = '', \
                     detail = $2, emptied = 1, emptied_seal = $3 WHERE seq = $1",
                )
                .bind(row.seq)
                .bind(detail)
                .bind(seal)
                .execute(&mut **tx)
                .await?;
            }
            log_permit(&mut tx, PurgeRule::AuditLog, Permit::Withdraw).await?;
            sqlx::query(
                "INSERT INTO meta (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(AUDIT_EMPTIED_THROUGH)
            .bind(batch_last.to_string())
            .execute(&mut **tx)
            .await?;
            through = batch_last;
            emptied += rows.len() as u64;
            let event = AuditRecord::success(
                AuditAction::RetentionPurge,
                ObjectKind::AuditTrail,
                None,
                format!("rule={} count={}", PurgeRule::AuditLog.slug(), rows.len()),
            );
            tx.finish(event).await?;
        }
        Ok(emptied)
    }
}

/// The `meta` key of the last audit event the purge emptied (every event before it is
/// emptied too).
const AUDIT_EMPTIED_THROUGH: &str = "audit_emptied_through";

impl EngineStore {
    /// The last audit event the purge emptied; 0 before the first.
    async fn emptied_through(&self) -> Result<i64> {
        match crate::AdminStore::meta(self, AUDIT_EMPTIED_THROUGH).await? {
            None => Ok(0),
            Some(v) => v
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("{AUDIT_EMPTIED_THROUGH} {v}"))),
        }
    }
}
