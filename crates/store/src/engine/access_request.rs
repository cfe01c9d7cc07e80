//! Inzage (issue 18, pt 7): everything the caller's organisation holds about one person, for
//! a data subject's access request — the person's mentions in its own signals outside Bibob,
//! those signals, the links between the mentions, its cases and interventions naming the
//! person, who read the person's dossier and why, and the processing log's lines. Compiling it
//! is audited and is itself a processing of the person.

use super::cases::{CASE_COLUMNS, CASE_FROM};
use super::linking::{push_in, subject_from_row};
use super::rows::CaseRow;
use super::*;
use crate::{InterventionAbout, PersonFound, PersonRecord, RecordRead};
use baken_core::intervention::InterventionKind;
use baken_core::processing::ProcessingActivity;

/// The most mentions a search lists (a name more common than this needs a narrower search).
const FOUND_AT_MOST: i64 = 50;

fn answering(caller: &Caller) -> Result<()> {
    if caller.may_answer_access_requests() {
        Ok(())
    } else {
        Err(StoreError::Forbidden(Denied::AccessRequests))
    }
}

/// A subject `x` named in one of organisation `$org`'s signals outside Bibob (`$bibob`).
const IN_OWN_SIGNAL: &str = "EXISTS (SELECT 1 FROM signal_subject ss JOIN signal s ON \
     s.id = ss.signal_id WHERE ss.subject_id = x.id AND s.owner_org = x.owner_org \
     AND s.classification <> ";

#[async_trait]
impl crate::AccessRequestStore for EngineStore {
    async fn find_persons(
        &self,
        caller: &Caller,
        name: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<PersonFound>> {
        answering(caller)?;
        let folded = baken_core::text::fold_lower(name.trim());
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT x.id, x.original, x.details, (SELECT COUNT(*) FROM signal_subject ss \
             JOIN signal s ON s.id = ss.signal_id WHERE ss.subject_id = x.id \
             AND s.classification <> ",
        );
        qb.push_bind(Classification::Bibob.slug())
            .push(") FROM subject x WHERE x.kind = ")
            .push_bind(SubjectKind::Person.slug())
            .push(" AND x.owner_org = ")
            .push_bind(caller.org().to_string())
            .push(" AND LOWER(x.normalised) LIKE ")
            .push_bind(format!("%{folded}%"))
            .push(" AND ")
            .push(IN_OWN_SIGNAL)
            .push_bind(Classification::Bibob.slug())
            .push(") ORDER BY x.normalised, x.id LIMIT ")
            .push_bind(FOUND_AT_MOST);
        let rows: Vec<(String, String, String, i64)> = if folded.chars().count() < 2 {
            Vec::new()
        } else {
            qb.build_query_as().fetch_all(&self.pool).await?
        };
        let found = rows
            .into_iter()
            .map(|(id, original, details, n)| {
                Ok(PersonFound {
                    mention: parse_uuid(&id)?,
                    original,
                    details: serde_json::from_str(&details)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    signals: u64::try_from(n).unwrap_or(0),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let event = AuditRecord::success(
            AuditAction::AccessRequestSearch,
            ObjectKind::Subject,
            None,
            format!("found={}", found.len()),
        );
        self.record_event(
            &Actor::Caller(
                caller
                    .clone()
                    .with_purpose(baken_core::Purpose::access_request()),
            ),
            event,
            now,
        )
        .await?;
        Ok(found)
    }

    async fn access_request(
        &self,
        caller: &Caller,
        mention: Uuid,
        now: OffsetDateTime,
    ) -> Result<PersonRecord> {
        answering(caller)?;
        let caller = &caller
            .clone()
            .with_purpose(baken_core::Purpose::access_request());
        let org = caller.org().to_string();
        let bibob = Classification::Bibob.slug();
        let mut tx = self.write(caller, now).await?;
        let attempt = AuditRecord::success(
            AuditAction::AccessRequestExport,
            ObjectKind::Subject,
            Some(mention.to_string()),
            String::new(),
        );
        // The mention: a person of the caller's organisation, named outside Bibob.
        let mut qb = QueryBuilder::<Db>::new("SELECT x.id FROM subject x WHERE x.id = ");
        qb.push_bind(mention.to_string())
            .push(" AND x.kind = ")
            .push_bind(SubjectKind::Person.slug())
            .push(" AND x.owner_org = ")
            .push_bind(org.clone())
            .push(" AND ")
            .push(IN_OWN_SIGNAL)
            .push_bind(bibob)
            .push(")");
        let found: Option<String> = qb.build_query_scalar().fetch_optional(&mut **tx).await?;
        if found.is_none() {
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        }
        // The person: the mention's entity, as far as the organisation's own mentions go.
        let entity: Option<String> =
            sqlx::query_scalar("SELECT entity_id FROM entity_member WHERE subject_id = $1")
                .bind(mention.to_string())
                .fetch_optional(&mut **tx)
                .await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT x.id, x.kind, x.original, x.normalised, x.details FROM subject x WHERE ",
        );
        match &entity {
            Some(e) => {
                qb.push("x.id IN (SELECT subject_id FROM entity_member WHERE entity_id = ")
                    .push_bind(e.clone())
                    .push(")");
            }
            None => {
                qb.push("x.id = ").push_bind(mention.to_string());
            }
        }
        qb.push(" AND x.owner_org = ")
            .push_bind(org.clone())
            .push(" AND ")
            .push(IN_OWN_SIGNAL)
            .push_bind(bibob)
            .push(") ORDER BY x.id");
        let mentions = qb
            .build()
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(subject_from_row)
            .collect::<Result<Vec<_>>>()?;
        let ids: Vec<String> = mentions.iter().map(|m| m.id.to_string()).collect();

        // The organisation's signals naming them, outside Bibob.
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {SIGNAL_COLUMNS} FROM signal s JOIN organisation o ON o.id = s.owner_org \
             WHERE s.owner_org = "
        ));
        qb.push_bind(org.clone())
            .push(" AND s.classification <> ")
            .push_bind(bibob)
            .push(" AND EXISTS (SELECT 1 FROM signal_subject ds WHERE ds.signal_id = s.id AND ds.subject_id IN ");
        push_in(&mut qb, &ids);
        qb.push(") ORDER BY s.received_at, s.id");
        let rows = qb.build().fetch_all(&mut **tx).await?;
        let mut signals = rows
            .iter()
            .map(signal_from_row)
            .collect::<Result<Vec<_>>>()?;
        Self::attach_codes(&mut tx, &mut signals).await?;
        let signal_ids: Vec<String> = signals.iter().map(|s| s.id.to_string()).collect();

        // How the mentions were linked.
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT left_subject, right_subject, probability FROM subject_link WHERE left_subject IN ",
        );
        push_in(&mut qb, &ids);
        qb.push(" AND right_subject IN ");
        push_in(&mut qb, &ids);
        qb.push(" ORDER BY left_subject, right_subject");
        let links: Vec<(String, String, f64)> = qb.build_query_as().fetch_all(&mut **tx).await?;
        let links = links
            .into_iter()
            .map(|(l, r, p)| Ok((parse_uuid(&l)?, parse_uuid(&r)?, p)))
            .collect::<Result<Vec<_>>>()?;

        // The organisation's cases holding those signals.
        let cases = if signal_ids.is_empty() {
            Vec::new()
        } else {
            let mut qb = QueryBuilder::<Db>::new(format!(
                "SELECT {CASE_COLUMNS}{CASE_FROM} WHERE c.owner_org = "
            ));
            qb.push_bind(org.clone()).push(
                " AND EXISTS (SELECT 1 FROM case_signal cs WHERE cs.case_id = c.id AND cs.signal_id IN ",
            );
            push_in(&mut qb, &signal_ids);
            qb.push(") ORDER BY c.created_at, c.id");
            let rows: Vec<CaseRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
            Self::case_summaries(&mut tx, rows)
                .await?
                .into_iter()
                .map(|(c, _)| c)
                .collect()
        };

        // The organisation's interventions naming the person as a party, outside Bibob.
        let interventions = match &entity {
            None => Vec::new(),
            Some(e) => {
                let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
                    "SELECT i.id, i.kind, i.title, i.opened_on, p.role FROM intervention i \
                     JOIN intervention_party p ON p.intervention_id = i.id \
                     WHERE p.entity_id = $1 AND i.owner_org = $2 AND i.kind <> $3 \
                     ORDER BY i.opened_on, i.id",
                )
                .bind(e)
                .bind(&org)
                .bind(InterventionKind::Bibob.slug())
                .fetch_all(&mut **tx)
                .await?;
                rows.into_iter()
                    .map(|(id, kind, title, opened, role)| {
                        Ok(InterventionAbout {
                            id: parse_uuid(&id)?,
                            kind: parse_enum(InterventionKind::parse(&kind))?,
                            title,
                            opened_on: parse_date(&opened)?,
                            role,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?
            }
        };

        // Who read the person's dossier, and why.
        let reads = match &entity {
            None => Vec::new(),
            Some(e) => {
                let rows: Vec<(String, Option<String>, Option<String>, String)> = sqlx::query_as(
                    "SELECT occurred_at, actor_user, actor_org, purpose FROM audit_event \
                     WHERE action = $1 AND object_id = $2 AND result = $3 ORDER BY seq",
                )
                .bind(AuditAction::DossierRead.as_str())
                .bind(e)
                .bind(AuditOutcome::Success.as_str())
                .fetch_all(&mut **tx)
                .await?;
                rows.into_iter()
                    .map(|(at, user, org, purpose)| {
                        Ok(RecordRead {
                            at: parse_ts(&at)?,
                            user: user.as_deref().map(parse_uuid).transpose()?,
                            organisation: org.as_deref().map(parse_uuid).transpose()?,
                            purpose,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?
            }
        };
        let mention_ids: Vec<Uuid> = mentions.iter().map(|m| m.id).collect();
        let processing =
            super::processing::lines_of(&mut tx, self.audit_key.as_ref(), &mention_ids).await?;
        super::processing::log_processing(
            &mut tx,
            self.audit_key.as_ref(),
            ProcessingActivity::AccessRequest,
            &org,
            &ids,
            now,
        )
        .await?;
        let event = AuditRecord {
            detail: format!(
                "mentions={} signals={} cases={} interventions={} reads={} processing={}",
                mentions.len(),
                signals.len(),
                cases.len(),
                interventions.len(),
                reads.len(),
                processing.len()
            ),
            ..attempt
        };
        tx.finish(event).await?;
        Ok(PersonRecord {
            organisation: caller.org(),
            mentions,
            signals,
            links,
            cases,
            interventions,
            reads,
            processing,
        })
    }
}
