//! Cases merged and split (issue 14, pt 1). A merge brings the other case's signals, themes
//! and members into this one and closes the other; a split moves some signals into a new case
//! with the same owner and members. Both cases keep the step (`case_lineage`, append-only);
//! a case shows only the steps whose other case the reader may see.

use super::*;
use baken_core::access::Purpose;
use baken_core::case::{CaseDetail, CaseLineage, CaseStatus, LineageKind, LineageReason, NewCase};

const MERGED: &str = "samengevoegd";
const SPLIT: &str = "afgesplitst";

#[derive(sqlx::FromRow)]
struct LineageRow {
    kind: String,
    from_case: String,
    to_case: String,
    by_name: String,
    at: String,
    reason: String,
    signals: String,
}

impl EngineStore {
    /// The lineage of case `id`, oldest first, with the cases the caller may see.
    pub(super) async fn load_lineage(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        id: Uuid,
    ) -> Result<Vec<CaseLineage>> {
        let rows: Vec<LineageRow> = sqlx::query_as(
            "SELECT l.kind, l.from_case, l.to_case, u.display_name AS by_name, l.at, l.reason, \
             l.signals FROM case_lineage l JOIN app_user u ON u.id = l.by_user \
             WHERE l.from_case = $1 OR l.to_case = $1 ORDER BY l.at, l.id",
        )
        .bind(id.to_string())
        .fetch_all(&mut **tx)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let (from, to) = (parse_uuid(&row.from_case)?, parse_uuid(&row.to_case)?);
            let outgoing = from == id;
            let (kind, other) = match (row.kind.as_str(), outgoing) {
                (MERGED, true) => (LineageKind::MergedInto, to),
                (MERGED, false) => (LineageKind::MergedFrom, from),
                (SPLIT, true) => (LineageKind::SplitInto, to),
                (SPLIT, false) => (LineageKind::SplitFrom, from),
                (other, _) => return Err(StoreError::Corrupt(format!("lineage kind {other}"))),
            };
            let Some((seen, _)) = Self::visible_case(tx, caller, other).await? else {
                continue;
            };
            out.push(CaseLineage {
                kind,
                other,
                other_title: seen.title,
                signals: row.signals.parse().unwrap_or(0),
                at: parse_ts(&row.at)?,
                by_name: row.by_name,
                reason: row.reason,
            });
        }
        Ok(out)
    }

    async fn record_lineage(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        (kind, from, to): (&str, Uuid, Uuid),
        (reason, signals): (&LineageReason, usize),
        now: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO case_lineage (id, kind, from_case, to_case, by_user, at, reason, signals) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id(now).to_string())
        .bind(kind)
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(caller.user().to_string())
        .bind(ts(now))
        .bind(reason.text())
        .bind(signals.to_string())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Copies the members of case `from` that case `to` does not have yet.
    async fn copy_members(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        (from, to): (Uuid, Uuid),
        now: OffsetDateTime,
    ) -> Result<()> {
        for column in ["org_id", "user_id"] {
            sqlx::query(&format!(
                "INSERT INTO case_member (case_id, {column}, added_by, added_at) \
                 SELECT $1, m.{column}, $2, $3 FROM case_member m WHERE m.case_id = $4 \
                 AND m.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_member t \
                 WHERE t.case_id = $1 AND t.{column} = m.{column})"
            ))
            .bind(to.to_string())
            .bind(caller.user().to_string())
            .bind(ts(now))
            .bind(from.to_string())
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    pub(super) async fn merge(
        &self,
        caller: &Caller,
        (into, from): (Uuid, Uuid),
        reason: &LineageReason,
        now: OffsetDateTime,
    ) -> Result<CaseDetail> {
        let caller = &caller.clone().with_purpose(Purpose::case(into));
        let attempt = AuditRecord::success(
            AuditAction::CaseMerge,
            ObjectKind::Case,
            Some(into.to_string()),
            format!("from={from}"),
        );
        let tx = self.write(caller, now).await?;
        if into == from {
            return Err(tx
                .refuse(StoreError::rejected(Rejection::SameCase), attempt)
                .await);
        }
        let (tx, _) = Self::case_to_manage(tx, caller, into, attempt.clone()).await?;
        let (mut tx, (other, _)) = Self::case_to_manage(tx, caller, from, attempt.clone()).await?;
        let (i, f) = (into.to_string(), from.to_string());
        let moved = sqlx::query(
            "INSERT INTO case_signal (case_id, signal_id, added_by, added_at) \
             SELECT $1, s.signal_id, $2, $3 FROM case_signal s WHERE s.case_id = $4 \
             AND NOT EXISTS (SELECT 1 FROM case_signal t WHERE t.case_id = $1 AND t.signal_id = s.signal_id)",
        )
        .bind(&i)
        .bind(caller.user().to_string())
        .bind(ts(now))
        .bind(&f)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        sqlx::query(
            "INSERT INTO case_theme (case_id, theme) SELECT $1, s.theme FROM case_theme s \
             WHERE s.case_id = $2 AND NOT EXISTS (SELECT 1 FROM case_theme t WHERE t.case_id = $1 \
             AND t.theme = s.theme)",
        )
        .bind(&i)
        .bind(&f)
        .execute(&mut **tx)
        .await?;
        Self::copy_members(&mut tx, caller, (from, into), now).await?;
        if other.status.is_open() {
            sqlx::query("UPDATE case_file SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(CaseStatus::Closed.slug())
                .bind(ts(now))
                .bind(&f)
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "INSERT INTO case_status_history (id, case_id, at, by_user, from_status, to_status, reason) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(new_id(now).to_string())
            .bind(&f)
            .bind(ts(now))
            .bind(caller.user().to_string())
            .bind(other.status.slug())
            .bind(CaseStatus::Closed.slug())
            .bind(reason.text())
            .execute(&mut **tx)
            .await?;
        }
        let moved = usize::try_from(moved).unwrap_or(0);
        Self::record_lineage(&mut tx, caller, (MERGED, from, into), (reason, moved), now).await?;
        Self::touch_case(&mut tx, into, now).await?;
        let event = AuditRecord {
            detail: format!("from={from} signals={moved}"),
            ..attempt
        };
        Self::after_case_change(tx, caller, into, Some(event), now).await
    }

    pub(super) async fn split(
        &self,
        caller: &Caller,
        from: Uuid,
        (case, signals): (NewCase, &[Uuid]),
        reason: &LineageReason,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        if !caller.may_open_case() {
            return Err(StoreError::Forbidden(Denied::OpenCase));
        }
        let mut signals = signals.to_vec();
        signals.sort();
        signals.dedup();
        let id = new_id(now);
        let caller = &caller.clone().with_purpose(Purpose::case(from));
        let attempt = AuditRecord::success(
            AuditAction::CaseSplit,
            ObjectKind::Case,
            Some(from.to_string()),
            format!("into={id} signals={}", signals.len()),
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, _) = Self::case_to_manage(tx, caller, from, attempt.clone()).await?;
        let unknown = Self::unknown_themes(&mut tx, &case.themes).await?;
        if !unknown.is_empty() {
            return Err(tx.refuse(StoreError::Rejected(unknown), attempt).await);
        }
        // Only signals of this case that the caller sees themselves move.
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT COUNT(*) FROM case_signal cs JOIN signal s ON s.id = cs.signal_id \
             WHERE cs.case_id = ",
        );
        qb.push_bind(from.to_string())
            .push(" AND cs.signal_id IN (");
        super::meetings::push_ids(&mut qb, &signals);
        qb.push(") AND ");
        push_visible(&mut qb, caller, local_date(now));
        let found: i64 = if signals.is_empty() {
            0
        } else {
            qb.build_query_scalar().fetch_one(&mut **tx).await?
        };
        if signals.is_empty() || usize::try_from(found).unwrap_or(0) != signals.len() {
            return Err(tx
                .refuse(StoreError::rejected(Rejection::SignalNotInCase), attempt)
                .await);
        }
        Self::insert_case(&mut tx, caller, (id, &case), &signals, (reason.text(), now)).await?;
        Self::copy_members(&mut tx, caller, (from, id), now).await?;
        let mut qb = QueryBuilder::<Db>::new("DELETE FROM case_signal WHERE case_id = ");
        qb.push_bind(from.to_string()).push(" AND signal_id IN (");
        super::meetings::push_ids(&mut qb, &signals);
        qb.push(")");
        qb.build().execute(&mut **tx).await?;
        Self::record_lineage(
            &mut tx,
            caller,
            (SPLIT, from, id),
            (reason, signals.len()),
            now,
        )
        .await?;
        Self::touch_case(&mut tx, from, now).await?;
        tx.finish(attempt).await?;
        Ok(id)
    }
}
