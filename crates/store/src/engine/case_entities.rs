//! Whom and what a case is about: the entities (linking engine) of the subjects its signals
//! mention and of the mentions added to it from a dossier. Each is shown through a mention the
//! reader may see, so a case never reveals a person the reader could not find otherwise.

use super::*;
use baken_core::access::Purpose;
use baken_core::case::{CaseDetail, CaseEntity};

/// The most entities a case shows.
const MAX_ENTITIES: i64 = 200;

impl EngineStore {
    pub(super) async fn load_case_entities(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        case: Uuid,
        today: Date,
    ) -> Result<Vec<CaseEntity>> {
        let cid = case.to_string();
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT em.entity_id, sub.id, sub.kind, sub.original FROM entity_member em \
             JOIN signal_subject ss ON ss.subject_id = em.subject_id \
             JOIN signal s ON s.id = ss.signal_id JOIN subject sub ON sub.id = ss.subject_id \
             WHERE em.entity_id IN (SELECT em2.entity_id FROM entity_member em2 \
             WHERE em2.subject_id IN (SELECT ss3.subject_id FROM case_signal cs \
             JOIN signal_subject ss3 ON ss3.signal_id = cs.signal_id \
             JOIN signal s ON s.id = cs.signal_id WHERE cs.case_id = ",
        );
        // Only the case's signals the reader may see name whom it is about: a signal they may
        // not see must not reveal that the case concerns someone they can find elsewhere.
        qb.push_bind(cid.clone()).push(" AND ");
        push_visible(&mut qb, caller, today);
        qb.push(" UNION SELECT csub.subject_id FROM case_subject csub WHERE csub.case_id = ")
            .push_bind(cid)
            .push(")) AND ");
        push_visible(&mut qb, caller, today);
        qb.push(" ORDER BY em.entity_id, s.received_at DESC, sub.id LIMIT ")
            .push_bind(MAX_ENTITIES * 20);
        let rows: Vec<(String, String, String, String)> =
            qb.build_query_as().fetch_all(&mut **tx).await?;
        let mut out: Vec<CaseEntity> = Vec::new();
        for (entity, subject, kind, name) in rows {
            let entity = parse_uuid(&entity)?;
            if out.last().is_some_and(|e| e.entity == entity) {
                continue;
            }
            out.push(CaseEntity {
                entity,
                subject: parse_uuid(&subject)?,
                kind: parse_enum(SubjectKind::parse(&kind))?,
                name,
            });
        }
        out.truncate(usize::try_from(MAX_ENTITIES).unwrap_or(0));
        out.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
        Ok(out)
    }

    pub(super) async fn add_subject(
        &self,
        caller: &Caller,
        id: Uuid,
        subject: Uuid,
        now: OffsetDateTime,
    ) -> Result<CaseDetail> {
        let caller = &caller.clone().with_purpose(Purpose::case(id));
        let attempt = AuditRecord::success(
            AuditAction::CaseSubjectAdd,
            ObjectKind::Case,
            Some(id.to_string()),
            format!("subject={subject}"),
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, _) = Self::case_to_manage(tx, caller, id, attempt.clone()).await?;
        // A mention the caller may see: in a signal they may see.
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT COUNT(*) FROM signal_subject ss JOIN signal s ON s.id = ss.signal_id \
             WHERE ss.subject_id = ",
        );
        qb.push_bind(subject.to_string()).push(" AND ");
        push_visible(&mut qb, caller, local_date(now));
        let seen: i64 = qb.build_query_scalar().fetch_one(&mut **tx).await?;
        if seen == 0 {
            return Err(tx
                .refuse(StoreError::rejected(Rejection::SubjectUnknown), attempt)
                .await);
        }
        let present: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_subject WHERE case_id = $1 AND subject_id = $2",
        )
        .bind(id.to_string())
        .bind(subject.to_string())
        .fetch_one(&mut **tx)
        .await?;
        if present == 0 {
            sqlx::query(
                "INSERT INTO case_subject (case_id, subject_id, added_by, added_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(id.to_string())
            .bind(subject.to_string())
            .bind(caller.user().to_string())
            .bind(ts(now))
            .execute(&mut **tx)
            .await?;
            Self::touch_case(&mut tx, id, now).await?;
        }
        Self::after_case_change(tx, caller, id, (present == 0).then_some(attempt), now).await
    }
}
