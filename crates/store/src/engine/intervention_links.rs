//! Links of an intervention (issue 15, pt 3): the signals and interventions that followed it
//! and the field visits made during it. A link is made by whoever may change the
//! intervention, to something they may see; it is shown to a reader only as far as they may
//! see the other end.

use super::field::push_visit_visible;
use super::interventions::push_intervention_visible;
use super::*;
use baken_core::intervention::{InterventionLink, LinkKind, LinkTarget};

impl EngineStore {
    pub(super) async fn link_impl(
        &self,
        caller: &Caller,
        (id, target): (Uuid, LinkTarget),
        now: OffsetDateTime,
    ) -> Result<()> {
        let caller = &caller
            .clone()
            .with_purpose(self.intervention_purpose(id).await?);
        let attempt = AuditRecord::success(
            AuditAction::InterventionLink,
            ObjectKind::Intervention,
            Some(id.to_string()),
            match target {
                LinkTarget::Signal(s) => format!("signal={s}"),
                LinkTarget::Intervention(i) => format!("followup={i}"),
                LinkTarget::Visit(v) => format!("visit={v}"),
            },
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, _) = Self::to_change(tx, caller, id, &attempt).await?;
        let (column, other) = match target {
            LinkTarget::Signal(s) => {
                let mut qb = QueryBuilder::<Db>::new("SELECT s.id FROM signal s WHERE s.id = ");
                qb.push_bind(s.to_string()).push(" AND ");
                tx.push_visible(&mut qb);
                let seen: Option<String> =
                    qb.build_query_scalar().fetch_optional(&mut **tx).await?;
                (seen.map(|_| "signal_id"), s)
            }
            LinkTarget::Intervention(i) if i == id => (None, i),
            LinkTarget::Intervention(i) => {
                let mut qb =
                    QueryBuilder::<Db>::new("SELECT i.id FROM intervention i WHERE i.id = ");
                qb.push_bind(i.to_string()).push(" AND ");
                push_intervention_visible(&mut qb, caller);
                let seen: Option<String> =
                    qb.build_query_scalar().fetch_optional(&mut **tx).await?;
                (seen.map(|_| "followup_id"), i)
            }
            LinkTarget::Visit(v) => {
                let mut qb =
                    QueryBuilder::<Db>::new("SELECT v.id FROM field_visit v WHERE v.id = ");
                qb.push_bind(v.to_string()).push(" AND ");
                push_visit_visible(&mut qb, caller);
                let seen: Option<String> =
                    qb.build_query_scalar().fetch_optional(&mut **tx).await?;
                (seen.map(|_| "visit_id"), v)
            }
        };
        let Some(column) = column else {
            return Err(tx
                .refuse(StoreError::rejected(Rejection::LinkTargetUnknown), attempt)
                .await);
        };
        let exists: Option<String> = sqlx::query_scalar(&format!(
            "SELECT id FROM intervention_link WHERE intervention_id = $1 AND {column} = $2"
        ))
        .bind(id.to_string())
        .bind(other.to_string())
        .fetch_optional(&mut **tx)
        .await?;
        if exists.is_some() {
            tx.abandon().await?;
            return Ok(());
        }
        sqlx::query(&format!(
            "INSERT INTO intervention_link (id, intervention_id, {column}, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5)"
        ))
        .bind(new_id(now).to_string())
        .bind(id.to_string())
        .bind(other.to_string())
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        tx.finish(attempt).await
    }

    /// The links of intervention `id` whose other end the caller may see.
    pub(super) async fn links_of(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        id: &str,
        today: Date,
    ) -> Result<Vec<InterventionLink>> {
        let mut out = Vec::new();
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT s.id, s.title FROM intervention_link l JOIN signal s ON s.id = l.signal_id \
             WHERE l.intervention_id = ",
        );
        qb.push_bind(id.to_string()).push(" AND ");
        push_visible(&mut qb, caller, today);
        qb.push(" ORDER BY l.added_at");
        for (other, title) in qb
            .build_query_as::<(String, String)>()
            .fetch_all(&mut **tx)
            .await?
        {
            out.push(InterventionLink {
                kind: LinkKind::Signal,
                id: parse_uuid(&other)?,
                title,
                on: None,
            });
        }
        for (kind, join, filter) in [
            (
                LinkKind::FollowUp,
                "i.id = l.followup_id",
                "l.intervention_id = ",
            ),
            (
                LinkKind::FollowedFrom,
                "i.id = l.intervention_id",
                "l.followup_id = ",
            ),
        ] {
            let mut qb = QueryBuilder::<Db>::new(format!(
                "SELECT i.id, i.title FROM intervention_link l JOIN intervention i ON {join} WHERE {filter}"
            ));
            qb.push_bind(id.to_string()).push(" AND ");
            push_intervention_visible(&mut qb, caller);
            qb.push(" ORDER BY l.added_at");
            for (other, title) in qb
                .build_query_as::<(String, String)>()
                .fetch_all(&mut **tx)
                .await?
            {
                out.push(InterventionLink {
                    kind,
                    id: parse_uuid(&other)?,
                    title,
                    on: None,
                });
            }
        }
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT v.id, v.visited_on, COALESCE(v.location, '') FROM intervention_link l \
             JOIN field_visit v ON v.id = l.visit_id WHERE l.intervention_id = ",
        );
        qb.push_bind(id.to_string()).push(" AND ");
        push_visit_visible(&mut qb, caller);
        qb.push(" ORDER BY l.added_at");
        for (other, on, location) in qb
            .build_query_as::<(String, String, String)>()
            .fetch_all(&mut **tx)
            .await?
        {
            out.push(InterventionLink {
                kind: LinkKind::Visit,
                id: parse_uuid(&other)?,
                title: location,
                on: Some(parse_date(&on)?),
            });
        }
        Ok(out)
    }
}
