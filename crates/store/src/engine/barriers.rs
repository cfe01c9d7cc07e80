//! Barrier models: installing a template for the caller's organisation (beheerder), reading
//! a model with each barrier's latest assessment and how many visible interventions and
//! signals are tagged with it, editing a barrier's texts (beheerder), assessing a barrier and
//! tagging an intervention or signal with one (analist). Models are the organisation's own:
//! another organisation's model is not found.

use super::interventions::push_intervention_visible;
use super::*;
use baken_core::barrier::{
    Assessment, Barrier, BarrierEdit, BarrierModel, BarrierModelSummary, BarrierStatus,
    BarrierTemplate, NewAssessment, Phase, TagTarget,
};

#[derive(sqlx::FromRow)]
struct BarrierRow {
    phase_id: String,
    phase_position: i64,
    phase_name: String,
    id: String,
    position: i64,
    text: String,
    owner: String,
    instrument: String,
    status: Option<String>,
    a_owner: Option<String>,
    evidence: Option<String>,
    assessed_on: Option<String>,
    assessed_by: Option<String>,
    recorded_at: Option<String>,
}

impl EngineStore {
    /// The caller's organisation's model `id` (its template and name), if it exists.
    async fn own_model(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        id: Uuid,
    ) -> Result<Option<(BarrierTemplate, String)>> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT template, name FROM barrier_model WHERE id = $1 AND org_id = $2",
        )
        .bind(id.to_string())
        .bind(caller.org().to_string())
        .fetch_optional(&mut **tx)
        .await?;
        row.map(|(t, n)| Ok((parse_enum(BarrierTemplate::parse(&t))?, n)))
            .transpose()
    }

    async fn load_model(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        (id, template, name): (Uuid, BarrierTemplate, String),
        today: Date,
    ) -> Result<BarrierModel> {
        let rows: Vec<BarrierRow> = sqlx::query_as(
            "SELECT p.id AS phase_id, p.position AS phase_position, p.name AS phase_name, b.id, \
             b.position, b.text, b.owner, b.instrument, a.status, a.owner AS a_owner, a.evidence, \
             a.assessed_on, u.display_name AS assessed_by, a.recorded_at \
             FROM barrier_phase p JOIN barrier b ON b.phase_id = p.id \
             LEFT JOIN barrier_assessment a ON a.id = (SELECT x.id FROM barrier_assessment x \
               WHERE x.barrier_id = b.id ORDER BY x.recorded_at DESC, x.id DESC LIMIT 1) \
             LEFT JOIN app_user u ON u.id = a.assessed_by \
             WHERE p.model_id = $1 ORDER BY p.position, b.position",
        )
        .bind(id.to_string())
        .fetch_all(&mut **tx)
        .await?;
        let mut phases: Vec<(String, Phase)> = Vec::new();
        for r in rows {
            let latest = match (&r.status, &r.assessed_on, &r.recorded_at) {
                (Some(status), Some(on), Some(at)) => Some(Assessment {
                    status: parse_enum(BarrierStatus::parse(status))?,
                    owner: r.a_owner.clone().unwrap_or_default(),
                    evidence: r.evidence.clone().unwrap_or_default(),
                    assessed_on: parse_date(on)?,
                    assessed_by: r.assessed_by.clone().unwrap_or_default(),
                    recorded_at: parse_ts(at)?,
                }),
                _ => None,
            };
            let tagged = Self::tagged(tx, caller, &r.id, today).await?;
            let barrier = Barrier {
                id: parse_uuid(&r.id)?,
                position: u32::try_from(r.position).unwrap_or_default(),
                text: r.text,
                owner: r.owner,
                instrument: r.instrument,
                latest,
                tagged,
            };
            match phases.last_mut() {
                Some((pid, phase)) if *pid == r.phase_id => phase.barriers.push(barrier),
                _ => phases.push((
                    r.phase_id,
                    Phase {
                        position: u32::try_from(r.phase_position).unwrap_or_default(),
                        name: r.phase_name,
                        barriers: vec![barrier],
                    },
                )),
            }
        }
        Ok(BarrierModel {
            id,
            name,
            template,
            phases: phases.into_iter().map(|(_, p)| p).collect(),
        })
    }

    /// How many interventions and signals the caller may see carry the barrier.
    async fn tagged(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        barrier: &str,
        today: Date,
    ) -> Result<u32> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT COUNT(*) FROM barrier_tag t JOIN intervention i ON i.id = t.intervention_id \
             WHERE t.barrier_id = ",
        );
        qb.push_bind(barrier.to_string()).push(" AND ");
        push_intervention_visible(&mut qb, caller);
        let interventions: i64 = qb.build_query_scalar().fetch_one(&mut **tx).await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT COUNT(*) FROM barrier_tag t JOIN signal s ON s.id = t.signal_id \
             WHERE t.barrier_id = ",
        );
        qb.push_bind(barrier.to_string()).push(" AND ");
        push_visible(&mut qb, caller, today);
        let signals: i64 = qb.build_query_scalar().fetch_one(&mut **tx).await?;
        Ok(u32::try_from(interventions + signals).unwrap_or(u32::MAX))
    }

    /// The model a barrier belongs to, when it is the caller's organisation's.
    async fn own_barrier(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        barrier: Uuid,
    ) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT m.id FROM barrier b JOIN barrier_phase p ON p.id = b.phase_id \
             JOIN barrier_model m ON m.id = p.model_id WHERE b.id = $1 AND m.org_id = $2",
        )
        .bind(barrier.to_string())
        .bind(caller.org().to_string())
        .fetch_optional(&mut **tx)
        .await?)
    }
}

#[async_trait]
impl crate::BarrierStore for EngineStore {
    async fn install_barrier_model(
        &self,
        caller: &Caller,
        template: BarrierTemplate,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let id = new_id(now);
        let attempt = AuditRecord::success(
            AuditAction::BarrierModelInstall,
            ObjectKind::BarrierModel,
            Some(id.to_string()),
            format!("template={}", template.slug()),
        );
        let mut tx = self.write(caller, now).await?;
        if !caller.may_edit_barrier_models() {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::EditBarrierModels), attempt)
                .await);
        }
        let exists: Option<String> =
            sqlx::query_scalar("SELECT id FROM barrier_model WHERE org_id = $1 AND template = $2")
                .bind(caller.org().to_string())
                .bind(template.slug())
                .fetch_optional(&mut **tx)
                .await?;
        if exists.is_some() {
            return Err(tx
                .refuse(
                    StoreError::rejected(Rejection::BarrierModelInstalled),
                    attempt,
                )
                .await);
        }
        sqlx::query(
            "INSERT INTO barrier_model (id, org_id, template, name, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.to_string())
        .bind(caller.org().to_string())
        .bind(template.slug())
        .bind(template.name())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        for (p, phase) in template.phases().into_iter().enumerate() {
            let phase_id = new_id(now);
            sqlx::query(
                "INSERT INTO barrier_phase (id, model_id, position, name) VALUES ($1, $2, $3, $4)",
            )
            .bind(phase_id.to_string())
            .bind(id.to_string())
            .bind(p as i64 + 1)
            .bind(&phase.name)
            .execute(&mut **tx)
            .await?;
            for (b, text) in phase.barriers.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO barrier (id, phase_id, position, text, owner, instrument, \
                     updated_at) VALUES ($1, $2, $3, $4, '', '', $5)",
                )
                .bind(new_id(now).to_string())
                .bind(phase_id.to_string())
                .bind(b as i64 + 1)
                .bind(text)
                .bind(ts(now))
                .execute(&mut **tx)
                .await?;
            }
        }
        tx.finish(attempt).await?;
        Ok(id)
    }

    async fn barrier_models(
        &self,
        caller: &Caller,
        now: OffsetDateTime,
    ) -> Result<Vec<BarrierModelSummary>> {
        let mut tx = self.read(caller, now).await?;
        let event = AuditRecord::success(
            AuditAction::BarrierModelList,
            ObjectKind::BarrierModel,
            None,
            String::new(),
        );
        if !caller.may_see_barrier_models() {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::SeeBarrierModels), event)
                .await);
        }
        let today = tx.today();
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, template, name FROM barrier_model WHERE org_id = $1 ORDER BY created_at, id",
        )
        .bind(caller.org().to_string())
        .fetch_all(&mut **tx)
        .await?;
        let mut out = Vec::new();
        for (id, template, name) in rows {
            let id = parse_uuid(&id)?;
            let template = parse_enum(BarrierTemplate::parse(&template))?;
            let model = Self::load_model(&mut tx, caller, (id, template, name), today).await?;
            out.push(BarrierModelSummary {
                id,
                coverage: model.coverage(),
                name: model.name,
                template,
            });
        }
        tx.finish(event).await?;
        Ok(out)
    }

    async fn barrier_model(
        &self,
        caller: &Caller,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<BarrierModel> {
        let mut tx = self.read(caller, now).await?;
        let event = AuditRecord::success(
            AuditAction::BarrierModelRead,
            ObjectKind::BarrierModel,
            Some(id.to_string()),
            String::new(),
        );
        if !caller.may_see_barrier_models() {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::SeeBarrierModels), event)
                .await);
        }
        let Some((template, name)) = Self::own_model(&mut tx, caller, id).await? else {
            return Err(tx.refuse(StoreError::NotFound, event).await);
        };
        let today = tx.today();
        let model = Self::load_model(&mut tx, caller, (id, template, name), today).await?;
        tx.finish(event).await?;
        Ok(model)
    }

    async fn edit_barrier(
        &self,
        caller: &Caller,
        barrier: Uuid,
        edit: BarrierEdit,
        now: OffsetDateTime,
    ) -> Result<()> {
        let attempt = AuditRecord::success(
            AuditAction::BarrierEdit,
            ObjectKind::Barrier,
            Some(barrier.to_string()),
            String::new(),
        );
        let mut tx = self.write(caller, now).await?;
        if !caller.may_edit_barrier_models() {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::EditBarrierModels), attempt)
                .await);
        }
        if Self::own_barrier(&mut tx, caller, barrier).await?.is_none() {
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        }
        sqlx::query(
            "UPDATE barrier SET text = $1, owner = $2, instrument = $3, updated_at = $4 \
             WHERE id = $5",
        )
        .bind(&edit.text)
        .bind(&edit.owner)
        .bind(&edit.instrument)
        .bind(ts(now))
        .bind(barrier.to_string())
        .execute(&mut **tx)
        .await?;
        tx.finish(attempt).await
    }

    async fn assess_barrier(
        &self,
        caller: &Caller,
        barrier: Uuid,
        assessment: NewAssessment,
        now: OffsetDateTime,
    ) -> Result<()> {
        let attempt = AuditRecord::success(
            AuditAction::BarrierAssess,
            ObjectKind::Barrier,
            Some(barrier.to_string()),
            format!("status={}", assessment.status.slug()),
        );
        let mut tx = self.write(caller, now).await?;
        if !caller.may_assess_barriers() {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::AssessBarriers), attempt)
                .await);
        }
        if Self::own_barrier(&mut tx, caller, barrier).await?.is_none() {
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        }
        sqlx::query(
            "INSERT INTO barrier_assessment (id, barrier_id, status, owner, evidence, assessed_on, \
             assessed_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id(now).to_string())
        .bind(barrier.to_string())
        .bind(assessment.status.slug())
        .bind(&assessment.owner)
        .bind(&assessment.evidence)
        .bind(date(assessment.assessed_on))
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        tx.finish(attempt).await
    }

    async fn tag_barrier(
        &self,
        caller: &Caller,
        barrier: Uuid,
        target: TagTarget,
        now: OffsetDateTime,
    ) -> Result<()> {
        let attempt = AuditRecord::success(
            AuditAction::BarrierTag,
            ObjectKind::Barrier,
            Some(barrier.to_string()),
            match target {
                TagTarget::Intervention(i) => format!("intervention={i}"),
                TagTarget::Signal(s) => format!("signal={s}"),
            },
        );
        let mut tx = self.write(caller, now).await?;
        if !caller.may_assess_barriers() {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::AssessBarriers), attempt)
                .await);
        }
        if Self::own_barrier(&mut tx, caller, barrier).await?.is_none() {
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        }
        // Only what the caller may see can be tagged; unknown and invisible alike are not
        // found.
        let (column, id) = match target {
            TagTarget::Intervention(id) => {
                let mut qb =
                    QueryBuilder::<Db>::new("SELECT i.id FROM intervention i WHERE i.id = ");
                qb.push_bind(id.to_string()).push(" AND ");
                push_intervention_visible(&mut qb, caller);
                let seen: Option<String> =
                    qb.build_query_scalar().fetch_optional(&mut **tx).await?;
                (seen.map(|_| "intervention_id"), id)
            }
            TagTarget::Signal(id) => {
                let mut qb = QueryBuilder::<Db>::new("SELECT s.id FROM signal s WHERE s.id = ");
                qb.push_bind(id.to_string()).push(" AND ");
                tx.push_visible(&mut qb);
                let seen: Option<String> =
                    qb.build_query_scalar().fetch_optional(&mut **tx).await?;
                (seen.map(|_| "signal_id"), id)
            }
        };
        let Some(column) = column else {
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        };
        let exists: Option<String> = sqlx::query_scalar(&format!(
            "SELECT barrier_id FROM barrier_tag WHERE barrier_id = $1 AND {column} = $2"
        ))
        .bind(barrier.to_string())
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
        if exists.is_some() {
            tx.abandon().await?;
            return Ok(());
        }
        sqlx::query(&format!(
            "INSERT INTO barrier_tag (barrier_id, {column}, added_by, added_at) VALUES ($1, $2, $3, $4)"
        ))
        .bind(barrier.to_string())
        .bind(id.to_string())
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        tx.finish(attempt).await
    }
}
