//! Field work: checklists, objects, visits and their findings.

use super::rows::{FindingRow, VisitRow, VisitWithNotes};
use super::*;

/// Appends "the caller may see field visit `v`": the organisation's own visits for those who
/// see its signals; a toezichthouder only their own visits. Visits are never shared.
pub(super) fn push_visit_visible(qb: &mut QueryBuilder<'_, Db>, caller: &Caller) {
    match caller.signal_scope() {
        SignalScope::Nothing => {
            qb.push("1 = 0");
        }
        SignalScope::OwnRegistrations => {
            qb.push("(v.created_by = ")
                .push_bind(caller.user().to_string())
                .push(" AND v.owner_org = ")
                .push_bind(caller.org().to_string())
                .push(")");
        }
        SignalScope::OrganisationAndShared { .. } => {
            qb.push("v.owner_org = ")
                .push_bind(caller.org().to_string());
        }
    }
}

pub(super) const VISIT_COLUMNS: &str = "v.id, v.kind, v.visited_on, o.name AS object_name, v.location, v.area_code, \
    u.display_name AS by_name, \
    (SELECT COUNT(*) FROM visit_finding f WHERE f.visit_id = v.id) AS findings, \
    (SELECT COUNT(*) FROM visit_finding f WHERE f.visit_id = v.id AND f.signal_id IS NOT NULL) AS findings_as_signals";

pub(super) fn visit_from_row(r: &DbRow) -> Result<VisitSummary> {
    VisitRow::from_row(r)?.into_summary()
}

#[async_trait]
impl crate::FieldStore for EngineStore {
    async fn checklist(&self, kind: VisitKind) -> Result<Vec<String>> {
        let questions: Vec<String> = sqlx::query_scalar(
            "SELECT question FROM checklist_item WHERE kind = $1 ORDER BY position",
        )
        .bind(kind.slug())
        .fetch_all(&self.pool)
        .await?;
        if questions.is_empty() {
            return Ok(kind.default_checklist());
        }
        Ok(questions)
    }

    async fn set_checklist(
        &self,
        caller: &Caller,
        kind: VisitKind,
        questions: Vec<String>,
        now: OffsetDateTime,
    ) -> Result<()> {
        if !caller.may_manage_catalogue() {
            return Err(StoreError::Forbidden(Denied::ManageChecklists));
        }
        let questions: Vec<String> = questions
            .iter()
            .map(|q| baken_core::subject::tidy(q))
            .filter(|q| !q.is_empty())
            .collect();
        if questions.is_empty()
            || questions.len() > 50
            || questions.iter().any(|q| q.chars().count() > 300)
        {
            return Err(StoreError::rejected(Rejection::ChecklistSize));
        }
        let mut tx = self.write(caller, now).await?;
        sqlx::query("DELETE FROM checklist_item WHERE kind = $1")
            .bind(kind.slug())
            .execute(&mut **tx)
            .await?;
        for (i, q) in questions.iter().enumerate() {
            sqlx::query(
                "INSERT INTO checklist_item (kind, position, question) VALUES ($1, $2, $3)",
            )
            .bind(kind.slug())
            .bind(i as i64)
            .bind(q)
            .execute(&mut **tx)
            .await?;
        }
        let event = AuditRecord::success(
            AuditAction::ChecklistChange,
            ObjectKind::Checklist,
            Some(kind.slug().into()),
            format!("questions={}", questions.len()),
        );
        tx.finish(event).await
    }

    async fn add_field_objects(
        &self,
        caller: &Caller,
        kind: &str,
        objects: Vec<NewFieldObject>,
        now: OffsetDateTime,
    ) -> Result<u64> {
        use baken_core::Role;
        if !(caller.has(Role::Analist) || caller.has(Role::Beheerder)) {
            return Err(StoreError::Forbidden(Denied::RecordObjects));
        }
        let mut tx = self.write(caller, now).await?;
        let rows: Vec<(String, &NewFieldObject)> = objects
            .iter()
            .map(|o| (new_id(now).to_string(), o))
            .collect();
        let org = caller.org().to_string();
        let at = ts(now);
        insert_rows(
            &mut tx,
            "INSERT INTO field_object (id, owner_org, kind, name, address, area_code, created_at) ",
            &rows,
            7,
            |b, (id, o)| {
                b.push_bind(id.clone())
                    .push_bind(org.clone())
                    .push_bind(kind.to_string())
                    .push_bind(o.name.clone())
                    .push_bind(o.address.clone())
                    .push_bind(o.area_code.clone())
                    .push_bind(at.clone());
            },
        )
        .await?;
        let event = AuditRecord::success(
            AuditAction::FieldObjectImport,
            ObjectKind::FieldObject,
            None,
            format!("kind={kind} count={}", rows.len()),
        );
        tx.finish(event).await?;
        Ok(rows.len() as u64)
    }

    async fn field_objects(&self, caller: &Caller, kind: &str) -> Result<Vec<FieldObject>> {
        if caller.signal_scope() == SignalScope::Nothing && !caller.may_manage_catalogue() {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, String, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT id, kind, name, address, area_code FROM field_object WHERE owner_org = $1 AND kind = $2 ORDER BY name",
        )
        .bind(caller.org().to_string())
        .bind(kind)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, kind, name, address, area_code)| {
                Ok(FieldObject {
                    id: parse_uuid(&id)?,
                    kind,
                    name,
                    address,
                    area_code,
                })
            })
            .collect()
    }

    async fn create_visit(
        &self,
        caller: &Caller,
        visit: NewVisit,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        if !caller.may_register_signal() {
            return Err(StoreError::Forbidden(Denied::RecordVisits));
        }
        let mut tx = self.write(caller, now).await?;
        if let Some(object) = visit.object {
            let owned = sqlx::query("SELECT id FROM field_object WHERE id = $1 AND owner_org = $2")
                .bind(object.to_string())
                .bind(caller.org().to_string())
                .fetch_optional(&mut **tx)
                .await?;
            if owned.is_none() {
                return Err(StoreError::rejected(Rejection::ObjectOfOtherOrganisation));
            }
        }
        let id = new_id(now);
        sqlx::query(
            "INSERT INTO field_visit (id, owner_org, created_by, kind, object_id, location, area_code, visited_on, notes, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id.to_string())
        .bind(caller.org().to_string())
        .bind(caller.user().to_string())
        .bind(visit.kind.slug())
        .bind(visit.object.map(|o| o.to_string()))
        .bind(&visit.location)
        .bind(visit.area.as_ref().map(|a| a.to_string()))
        .bind(date(visit.visited_on))
        .bind(&visit.notes)
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        let answers: Vec<(usize, &(String, Option<Answer>))> =
            visit.answers.iter().enumerate().collect();
        let vid = id.to_string();
        insert_rows(
            &mut tx,
            "INSERT INTO visit_answer (visit_id, position, question, answer) ",
            &answers,
            4,
            |b, (i, (q, a))| {
                b.push_bind(vid.clone())
                    .push_bind(*i as i64)
                    .push_bind(q.clone())
                    .push_bind(a.map(|a| a.slug()));
            },
        )
        .await?;
        let findings: Vec<(usize, &String)> = visit.findings.iter().enumerate().collect();
        insert_rows(
            &mut tx,
            "INSERT INTO visit_finding (visit_id, position, finding) ",
            &findings,
            3,
            |b, (i, f)| {
                b.push_bind(vid.clone())
                    .push_bind(*i as i64)
                    .push_bind((*f).clone());
            },
        )
        .await?;
        let event = AuditRecord::success(
            AuditAction::VisitCreate,
            ObjectKind::FieldVisit,
            Some(vid.clone()),
            format!(
                "kind={} findings={}",
                visit.kind.slug(),
                visit.findings.len()
            ),
        );
        tx.finish(event).await?;
        Ok(id)
    }

    async fn visits(
        &self,
        caller: &Caller,
        kind: VisitKind,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<VisitSummary>> {
        let mut tx = self.read(caller, now).await?;
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {VISIT_COLUMNS} FROM field_visit v LEFT JOIN field_object o ON o.id = v.object_id \
             JOIN app_user u ON u.id = v.created_by WHERE v.kind = "
        ));
        qb.push_bind(kind.slug()).push(" AND ");
        push_visit_visible(&mut qb, caller);
        push_page(&mut qb, ("v.visited_on", "v.id"), KeyTime::Day, page);
        let rows = qb.build().fetch_all(&mut **tx).await?;
        let rows = rows
            .iter()
            .map(visit_from_row)
            .collect::<Result<Vec<_>>>()?;
        let mut selected = QueryBuilder::<Db>::new(
            "SELECT COUNT(*) FROM (SELECT 1 FROM field_visit v WHERE v.kind = ",
        );
        selected.push_bind(kind.slug()).push(" AND ");
        push_visit_visible(&mut selected, caller);
        let total = page_total(&mut tx, (page, rows.len()), selected).await?;
        let visits = Page::from_rows(rows, page, total, |v| Cursor::on_day(v.visited_on, v.id));
        let event = AuditRecord::success(
            AuditAction::VisitList,
            ObjectKind::FieldVisit,
            None,
            format!("kind={} shown={}", kind.slug(), visits.items.len()),
        );
        tx.finish(event).await?;
        Ok(visits)
    }

    async fn visits_in_area(
        &self,
        caller: &Caller,
        area_code: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<VisitSummary>> {
        let mut tx = self.read(caller, now).await?;
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {VISIT_COLUMNS} FROM field_visit v LEFT JOIN field_object o ON o.id = v.object_id \
             JOIN app_user u ON u.id = v.created_by WHERE (v.area_code = "
        ));
        qb.push_bind(area_code.to_string())
            .push(" OR o.area_code = ")
            .push_bind(area_code.to_string())
            .push(") AND ");
        push_visit_visible(&mut qb, caller);
        qb.push(" ORDER BY v.visited_on DESC, v.id DESC LIMIT 500");
        let rows = qb.build().fetch_all(&mut **tx).await?;
        let visits = rows
            .iter()
            .map(visit_from_row)
            .collect::<Result<Vec<_>>>()?;
        let event = AuditRecord::success(
            AuditAction::VisitList,
            ObjectKind::FieldVisit,
            None,
            format!("area={area_code} shown={}", visits.len()),
        );
        tx.finish(event).await?;
        Ok(visits)
    }

    async fn visit(&self, caller: &Caller, id: Uuid, now: OffsetDateTime) -> Result<VisitDetail> {
        let mut tx = self.read(caller, now).await?;
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {VISIT_COLUMNS}, v.notes FROM field_visit v LEFT JOIN field_object o ON o.id = v.object_id \
             JOIN app_user u ON u.id = v.created_by WHERE v.id = "
        ));
        qb.push_bind(id.to_string()).push(" AND ");
        push_visit_visible(&mut qb, caller);
        let row = qb.build().fetch_optional(&mut **tx).await?;
        let detail = match row {
            None => None,
            Some(r) => {
                let visit = VisitWithNotes::from_row(&r)?;
                let summary = visit.visit.into_summary()?;
                let notes = visit.notes;
                let answers: Vec<(String, Option<String>)> = sqlx::query_as(
                    "SELECT question, answer FROM visit_answer WHERE visit_id = $1 ORDER BY position",
                )
                .bind(id.to_string())
                .fetch_all(&mut **tx)
                .await?;
                let answers = answers
                    .into_iter()
                    .map(|(question, answer)| {
                        let answer = answer.map(|x| parse_enum(Answer::parse(&x))).transpose()?;
                        Ok((question, answer))
                    })
                    .collect::<Result<Vec<_>>>()?;
                let findings: Vec<(i64, String, Option<String>)> = sqlx::query_as(
                    "SELECT position, finding, signal_id FROM visit_finding WHERE visit_id = $1 ORDER BY position",
                )
                .bind(id.to_string())
                .fetch_all(&mut **tx)
                .await?;
                let findings = findings
                    .into_iter()
                    .map(|(position, text, signal)| {
                        Ok(VisitFinding {
                            position: u32::try_from(position).unwrap_or(0),
                            text,
                            signal: signal.map(|s| parse_uuid(&s)).transpose()?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Some(VisitDetail {
                    summary,
                    answers,
                    notes,
                    findings,
                })
            }
        };
        let event = AuditRecord {
            action: AuditAction::VisitRead,
            object: ObjectKind::FieldVisit,
            object_id: Some(id.to_string()),
            result: if detail.is_some() {
                AuditOutcome::Success
            } else {
                AuditOutcome::NotFound
            },
            detail: String::new(),
        };
        tx.finish(event).await?;
        detail.ok_or(StoreError::NotFound)
    }

    async fn finding_to_signal(
        &self,
        caller: &Caller,
        (visit, position): (Uuid, u32),
        heading: fn(VisitKind) -> &'static str,
        policy: &baken_core::signal::IntakePolicy,
        now: OffsetDateTime,
    ) -> Result<Signal> {
        if !caller.may_register_signal() {
            return Err(StoreError::Forbidden(Denied::RegisterSignals));
        }
        let catalogue = self.catalogue().await?;
        let mut tx = self.write(caller, now).await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT v.kind, v.location, v.area_code, v.visited_on, o.name AS object_name, f.finding, f.signal_id AS made_signal \
             FROM field_visit v JOIN visit_finding f ON f.visit_id = v.id LEFT JOIN field_object o ON o.id = v.object_id \
             WHERE v.id = ",
        );
        qb.push_bind(visit.to_string())
            .push(" AND f.position = ")
            .push_bind(i64::from(position))
            .push(" AND ");
        push_visit_visible(&mut qb, caller);
        let Some(row) = qb
            .build_query_as::<FindingRow>()
            .fetch_optional(&mut **tx)
            .await?
        else {
            return Err(StoreError::NotFound);
        };
        if row.made_signal.is_some() {
            return Err(StoreError::Conflict(Conflict::FindingAlreadySignal));
        }
        let kind = parse_enum(VisitKind::parse(&row.kind))?;
        let location = row.location.or(row.object_name);
        let place = baken_core::field::VisitPlace {
            kind,
            heading: heading(kind),
            location: location.as_deref(),
            area: row.area_code.as_deref(),
            visited_on: parse_date(&row.visited_on)?,
        };
        let new = baken_core::field::finding_signal(
            place,
            &row.finding,
            &catalogue,
            caller,
            (policy, now),
        )
        .map_err(StoreError::Invalid)?;
        let ids = Self::insert_signals(
            &mut tx,
            (caller, self.audit_key.as_ref()),
            std::slice::from_ref(&new),
            None,
            Linking::Now,
            now,
        )
        .await?;
        let id = ids.first().copied().ok_or(StoreError::NotFound)?;
        sqlx::query(
            "UPDATE visit_finding SET signal_id = $1 WHERE visit_id = $2 AND position = $3",
        )
        .bind(id.to_string())
        .bind(visit.to_string())
        .bind(i64::from(position))
        .execute(&mut **tx)
        .await?;
        let signal = Self::visible_signal(&mut tx, id).await?;
        let event = AuditRecord::success(
            AuditAction::SignalCreate,
            ObjectKind::Signal,
            Some(id.to_string()),
            format!("channel={} visit={visit}", kind.slug()),
        );
        tx.finish(event).await?;
        signal.ok_or(StoreError::NotFound)
    }

    async fn field_objects_by_area(
        &self,
        caller: &Caller,
        object_kind: &str,
        year: i32,
    ) -> Result<Vec<AreaObjects>> {
        if caller.signal_scope() == SignalScope::Nothing {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT o.area_code AS k, COUNT(*) AS n, \
             SUM(CASE WHEN EXISTS (SELECT 1 FROM field_visit v WHERE v.object_id = o.id \
             AND v.visited_on >= $3 AND v.visited_on <= $4) THEN 1 ELSE 0 END) AS visited \
             FROM field_object o WHERE o.owner_org = $1 AND o.kind = $2 AND o.area_code IS NOT NULL \
             GROUP BY o.area_code ORDER BY o.area_code",
        )
        .bind(caller.org().to_string())
        .bind(object_kind)
        .bind(format!("{year:04}-01-01"))
        .bind(format!("{year:04}-12-31"))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(area_code, objects, visited)| AreaObjects {
                area_code,
                objects: u64::try_from(objects).unwrap_or(0),
                visited: u64::try_from(visited).unwrap_or(0),
            })
            .collect())
    }

    async fn coverage(&self, caller: &Caller, kind: VisitKind, year: i32) -> Result<Coverage> {
        let org = caller.org().to_string();
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM field_object WHERE owner_org = $1 AND kind = $2",
        )
        .bind(&org)
        .bind(kind.object_kind())
        .fetch_one(&self.pool)
        .await?;
        let visited: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT v.object_id) FROM field_visit v JOIN field_object o ON o.id = v.object_id \
             WHERE v.owner_org = $1 AND v.kind = $2 AND o.kind = $3 AND v.visited_on >= $4 AND v.visited_on <= $5",
        )
        .bind(&org)
        .bind(kind.slug())
        .bind(kind.object_kind())
        .bind(format!("{year:04}-01-01"))
        .bind(format!("{year:04}-12-31"))
        .fetch_one(&self.pool)
        .await?;
        Ok(Coverage {
            visited: u64::try_from(visited).unwrap_or(0),
            total: u64::try_from(total).unwrap_or(0),
        })
    }
}
