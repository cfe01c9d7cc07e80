//! Dossiers: everything visible about an entity, and analysts' judgements.

use super::rows::{JudgementRow, LinkRow, RelatedRow};
use super::*;

/// How a dossier is asked for.
#[derive(Debug, Clone, Copy)]
pub(super) enum DossierTarget {
    /// By the entity's id (the store's own callers and tests).
    Entity(Uuid),
    /// By a mention the caller may see (what users see and type).
    Mention(Uuid),
}

impl EngineStore {
    /// The mentions among `subjects` (visible, of one entity) that evidence among them joins
    /// to `focus`: links at or above `threshold` without a conflict, and confirmations in
    /// force. What joined the others to the entity through mentions the caller may not see
    /// stays out of the caller's view.
    async fn joined_to(
        tx: &mut Read<'_>,
        subjects: Vec<Subject>,
        focus: Uuid,
        threshold: f64,
    ) -> Result<Vec<Subject>> {
        if subjects.len() < 2 {
            return Ok(subjects);
        }
        let ids: Vec<String> = subjects.iter().map(|s| s.id.to_string()).collect();
        let index: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect();
        let mut parent: Vec<usize> = (0..ids.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let join = |parent: &mut Vec<usize>, a: &str, b: &str| {
            if let (Some(&x), Some(&y)) = (index.get(a), index.get(b)) {
                let (rx, ry) = (root(parent, x), root(parent, y));
                parent[rx] = ry;
            }
        };
        for part in ids.chunks(IN_LIST / 2) {
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT left_subject, right_subject, explanation FROM subject_link WHERE left_subject IN ",
            );
            push_in(&mut qb, part);
            qb.push(" AND probability >= ").push_bind(threshold);
            let rows: Vec<(String, String, String)> =
                qb.build_query_as().fetch_all(&mut ***tx).await?;
            for (l, r, explanation) in rows {
                let e: crate::LinkExplanation = serde_json::from_str(&explanation)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                if e.conflict.is_none() {
                    join(&mut parent, &l, &r);
                }
            }
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT left_subject, right_subject, judgement FROM link_judgement \
                 WHERE undone_at IS NULL AND left_subject IN ",
            );
            push_in(&mut qb, part);
            qb.push(" ORDER BY at, id");
            let judged: Vec<(String, String, String)> =
                qb.build_query_as().fetch_all(&mut ***tx).await?;
            let mut latest: HashMap<(String, String), bool> = HashMap::new();
            for (l, r, j) in judged {
                latest.insert(ordered_pair(&l, &r), j == "confirmed");
            }
            for ((l, r), confirmed) in latest {
                if confirmed {
                    join(&mut parent, &l, &r);
                }
            }
        }
        let Some(&f) = index.get(focus.to_string().as_str()) else {
            return Ok(Vec::new());
        };
        let mine = root(&mut parent, f);
        let keep: Vec<bool> = (0..ids.len())
            .map(|i| root(&mut parent, i) == mine)
            .collect();
        Ok(subjects
            .into_iter()
            .zip(keep)
            .filter_map(|(s, k)| k.then_some(s))
            .collect())
    }

    /// Follows merges to the entity that holds the members now.
    pub(super) async fn resolve_entity(
        tx: &mut Transaction<'static, Db>,
        id: &str,
    ) -> Result<Option<(String, SubjectKind)>> {
        let mut id = id.to_string();
        for _ in 0..64 {
            let Some((kind, merged_into)) = sqlx::query_as::<_, (String, Option<String>)>(
                "SELECT kind, merged_into FROM entity WHERE id = $1",
            )
            .bind(&id)
            .fetch_optional(&mut **tx)
            .await?
            else {
                return Ok(None);
            };
            match merged_into {
                Some(next) => id = next,
                None => return Ok(Some((id, parse_enum(SubjectKind::parse(&kind))?))),
            }
        }
        Err(StoreError::Corrupt("entity redirects form a cycle".into()))
    }

    pub(super) async fn visible_subjects_of(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        entity: &str,
        today: Date,
    ) -> Result<Vec<Subject>> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT x.id, x.kind, x.original, x.normalised, x.details FROM entity_member em \
             JOIN subject x ON x.id = em.subject_id WHERE em.entity_id = ",
        );
        qb.push_bind(entity.to_string()).push(" AND ");
        push_subject_visible(&mut qb, "x.id", caller, today);
        qb.push(" ORDER BY x.id");
        qb.build()
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(subject_from_row)
            .collect()
    }

    pub(super) async fn entity_kind_impl(
        &self,
        caller: &Caller,
        entity: Uuid,
        now: OffsetDateTime,
    ) -> Result<SubjectKind> {
        let mut tx = begin_on(&self.pool, None).await?;
        let (id, kind) = Self::resolve_entity(&mut tx, &entity.to_string())
            .await?
            .ok_or(StoreError::NotFound)?;
        if Self::visible_subjects_of(&mut tx, caller, &id, local_date(now))
            .await?
            .is_empty()
        {
            return Err(StoreError::NotFound);
        }
        Ok(kind)
    }

    pub(super) async fn subject_entity_impl(
        &self,
        caller: &Caller,
        subject: Uuid,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let mut tx = self.read(caller, now).await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT em.entity_id FROM entity_member em WHERE em.subject_id = ",
        );
        qb.push_bind(subject.to_string()).push(" AND ");
        push_subject_visible(&mut qb, "em.subject_id", caller, tx.today());
        let entity: Option<String> = qb.build_query_scalar().fetch_optional(&mut **tx).await?;
        let event = AuditRecord::success(
            AuditAction::EntityResolve,
            ObjectKind::Subject,
            Some(subject.to_string()),
            String::new(),
        );
        let Some(entity) = entity else {
            return Err(tx.refuse(StoreError::NotFound, event).await);
        };
        let entity = parse_uuid(&entity)?;
        tx.finish(event).await?;
        Ok(entity)
    }

    pub(super) async fn dossier_impl(
        &self,
        caller: &Caller,
        target: DossierTarget,
        reason: Option<&DossierReason>,
        now: OffsetDateTime,
    ) -> Result<crate::Dossier> {
        let today = local_date(now);
        let mut tx = self.read(caller, now).await?;
        let attempt = match target {
            DossierTarget::Entity(entity) => AuditRecord::success(
                AuditAction::DossierRead,
                ObjectKind::Entity,
                Some(entity.to_string()),
                String::new(),
            ),
            DossierTarget::Mention(subject) => AuditRecord::success(
                AuditAction::DossierRead,
                ObjectKind::Subject,
                Some(subject.to_string()),
                String::new(),
            ),
        };
        let resolved = match target {
            DossierTarget::Entity(entity) => {
                Self::resolve_entity(&mut tx, &entity.to_string()).await?
            }
            DossierTarget::Mention(subject) => {
                Self::entity_of_visible(&mut tx, caller, subject, today).await?
            }
        };
        let Some((id, kind)) = resolved else {
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        };
        let mut subjects = Self::visible_subjects_of(&mut tx, caller, &id, today).await?;
        if let DossierTarget::Mention(focus) = target {
            if link_save::holds_discriminators(kind) {
                let threshold = Self::threshold_of(&mut tx, kind).await?;
                subjects = Self::joined_to(&mut tx, subjects, focus, threshold).await?;
            }
        }
        if subjects.is_empty() {
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        }
        if kind == SubjectKind::Person && reason.is_none() {
            return Err(tx.refuse(StoreError::ReasonRequired, attempt).await);
        }
        let ids: Vec<String> = subjects.iter().map(|s| s.id.to_string()).collect();
        let by_id: HashMap<String, &Subject> =
            subjects.iter().map(|s| (s.id.to_string(), s)).collect();

        // Signals naming the entity that the caller may see.
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {SIGNAL_COLUMNS} FROM signal s JOIN organisation o ON o.id = s.owner_org WHERE \
             EXISTS (SELECT 1 FROM signal_subject ds WHERE ds.signal_id = s.id AND ds.subject_id IN "
        ));
        push_in(&mut qb, &ids);
        qb.push(") AND ");
        tx.visible(&mut qb);
        qb.push(" ORDER BY s.received_at DESC, s.id DESC LIMIT 200");
        let rows = qb.build().fetch_all(&mut **tx).await?;
        let mut signals = rows
            .iter()
            .map(signal_from_row)
            .collect::<Result<Vec<_>>>()?;
        Self::attach_codes(&mut tx, &mut signals).await?;
        let signal_ids: Vec<Uuid> = signals.iter().map(|s| s.id).collect();
        let cases = Self::cases_holding(&mut tx, caller, &signal_ids).await?;
        let case_ids: Vec<Uuid> = cases.iter().map(|c| c.id).collect();
        let decisions =
            Self::load_decisions(&mut tx, super::decisions::DecisionFilter::Cases(&case_ids))
                .await?;

        let bag_ids: Vec<String> = subjects
            .iter()
            .filter_map(|s| match &s.details {
                SubjectDetails::Address {
                    bag_id: Some(bag), ..
                } => Some(AsRef::<str>::as_ref(bag).to_string()),
                _ => None,
            })
            .collect();
        let interventions = Self::interventions_of(&mut tx, caller, (&id, &bag_ids), today).await?;

        let threshold = Self::threshold_of(&mut tx, kind).await?;
        // Links inside the entity and suggestions to visible subjects outside it.
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT l.left_subject, l.right_subject, l.probability, l.weight, l.explanation, \
             ol.entity_id AS left_entity, orr.entity_id AS right_entity \
             FROM subject_link l JOIN entity_member ol ON ol.subject_id = l.left_subject \
             JOIN entity_member orr ON orr.subject_id = l.right_subject WHERE (l.left_subject IN ",
        );
        push_in(&mut qb, &ids);
        qb.push(" OR l.right_subject IN ");
        push_in(&mut qb, &ids);
        qb.push(") AND ");
        push_subject_visible(&mut qb, "l.left_subject", caller, today);
        qb.push(" AND ");
        push_subject_visible(&mut qb, "l.right_subject", caller, today);
        qb.push(" ORDER BY l.probability DESC LIMIT 500");
        let rows: Vec<LinkRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        let judged = {
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT j.id, j.left_subject, j.right_subject, j.judgement, j.reason, j.at, j.undone_at, u.display_name \
                 FROM link_judgement j JOIN app_user u ON u.id = j.by_user WHERE (j.left_subject IN ",
            );
            push_in(&mut qb, &ids);
            qb.push(" OR j.right_subject IN ");
            push_in(&mut qb, &ids);
            qb.push(") AND ");
            push_subject_visible(&mut qb, "j.left_subject", caller, today);
            qb.push(" AND ");
            push_subject_visible(&mut qb, "j.right_subject", caller, today);
            qb.push(" ORDER BY j.at DESC, j.id DESC");
            qb.build_query_as::<JudgementRow>()
                .fetch_all(&mut **tx)
                .await?
        };
        // Other subjects named in links and judgements.
        let mut outside: Vec<String> = Vec::new();
        let pairs = rows
            .iter()
            .map(|r| (&r.left_subject, &r.right_subject))
            .chain(judged.iter().map(|j| (&j.left_subject, &j.right_subject)));
        for (l, r) in pairs {
            for s in [l, r] {
                if !by_id.contains_key(s) {
                    outside.push(s.clone());
                }
            }
        }
        outside.sort();
        outside.dedup();
        let others: HashMap<String, Subject> = if outside.is_empty() {
            HashMap::new()
        } else {
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT x.id, x.kind, x.original, x.normalised, x.details FROM subject x WHERE x.id IN ",
            );
            push_in(&mut qb, &outside);
            qb.build()
                .fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| subject_from_row(r).map(|s| (s.id.to_string(), s)))
                .collect::<Result<_>>()?
        };
        let subject_of = |id: &str| -> Option<Subject> {
            by_id
                .get(id)
                .map(|s| (*s).clone())
                .or_else(|| others.get(id).cloned())
        };
        let mut latest_judgement: HashMap<(String, String), bool> = HashMap::new();
        let mut judgements = Vec::new();
        for r in judged {
            let (l, rr) = (r.left_subject, r.right_subject);
            let undone_at = r.undone_at.map(|t| parse_ts(&t)).transpose()?;
            let confirmed = r.judgement == "confirmed";
            if undone_at.is_none() {
                latest_judgement
                    .entry(ordered_pair(&l, &rr))
                    .or_insert(confirmed);
            }
            if let (Some(left), Some(right)) = (subject_of(&l), subject_of(&rr)) {
                judgements.push(crate::JudgementEntry {
                    id: parse_uuid(&r.id)?,
                    left,
                    right,
                    confirmed,
                    reason: r.reason,
                    by_name: r.display_name,
                    at: parse_ts(&r.at)?,
                    undone_at,
                });
            }
        }
        let mut links = Vec::new();
        let mut suggestions = Vec::new();
        for r in rows {
            let (l, rr) = (r.left_subject, r.right_subject);
            let (le, re) = (r.left_entity, r.right_entity);
            // Present the pair from this entity's side.
            let (mine, theirs, their_entity) = if by_id.contains_key(&l) {
                (l.clone(), rr.clone(), re.clone())
            } else {
                (rr.clone(), l.clone(), le.clone())
            };
            let (Some(left), Some(right)) = (subject_of(&mine), subject_of(&theirs)) else {
                continue;
            };
            let probability = r.probability;
            let explanation: crate::LinkExplanation = serde_json::from_str(&r.explanation)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let judged = latest_judgement.get(&ordered_pair(&l, &rr)).copied();
            let state = match judged {
                Some(true) => crate::LinkState::Confirmed,
                Some(false) => crate::LinkState::Rejected,
                None if explanation.conflict.is_some() => crate::LinkState::Conflicting,
                None if probability >= threshold => crate::LinkState::Automatic,
                None => crate::LinkState::Suggested,
            };
            let link = crate::SubjectLink {
                left,
                right,
                right_entity: parse_uuid(&their_entity)?,
                probability,
                weight: r.weight,
                explanation,
                state,
            };
            if le == re {
                links.push(link);
            } else if state != crate::LinkState::Rejected {
                suggestions.push(link);
            }
        }
        if link_save::holds_discriminators(kind) {
            Self::name_entity_conflicts(&mut tx, caller, &ids, &mut suggestions).await?;
        }

        // Relations from or to the entity's subjects, in signals the caller may see.
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT r.kind, r.from_subject, r.to_subject, ef.entity_id AS from_entity, et.entity_id AS to_entity, \
             xf.kind AS from_kind, xt.kind AS to_kind, xf.original AS from_text, xt.original AS to_text, \
             r.valid_from, r.valid_until \
             FROM relation r JOIN signal s ON s.id = r.source_signal \
             JOIN entity_member ef ON ef.subject_id = r.from_subject JOIN entity_member et ON et.subject_id = r.to_subject \
             JOIN subject xf ON xf.id = r.from_subject JOIN subject xt ON xt.id = r.to_subject WHERE (r.from_subject IN ",
        );
        push_in(&mut qb, &ids);
        qb.push(" OR r.to_subject IN ");
        push_in(&mut qb, &ids);
        qb.push(") AND ");
        tx.visible(&mut qb);
        let mut related = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let relations: Vec<RelatedRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        for r in relations {
            let outgoing = ids.contains(&r.from_subject);
            let (entity, subject, kind, display) = if outgoing {
                (r.to_entity, r.to_subject, r.to_kind, r.to_text)
            } else {
                (r.from_entity, r.from_subject, r.from_kind, r.from_text)
            };
            let relation = parse_enum(RelationKind::parse(&r.kind))?;
            if entity == id || !seen.insert((entity.clone(), relation, outgoing)) {
                continue;
            }
            let date_of = |d: Option<String>| d.map(|d| parse_date(&d)).transpose();
            related.push(crate::RelatedEntity {
                valid_from: date_of(r.valid_from)?,
                valid_until: date_of(r.valid_until)?,
                relation,
                outgoing,
                entity: parse_uuid(&entity)?,
                subject: parse_uuid(&subject)?,
                kind: parse_enum(SubjectKind::parse(&kind))?,
                display,
            });
        }

        let visits = if kind == SubjectKind::Address {
            Self::visits_at(&mut tx, caller, &subjects).await?
        } else {
            Vec::new()
        };

        if let Some(r) = reason {
            tx.record_purpose(r.as_str());
        }
        let event = AuditRecord::success(
            AuditAction::DossierRead,
            ObjectKind::Entity,
            Some(id.clone()),
            format!(
                "kind={} subjects={} signals={} visits={} cases={}",
                kind.slug(),
                subjects.len(),
                signals.len(),
                visits.len(),
                cases.len()
            ),
        );
        tx.finish(event).await?;
        // A person's dossier is a processing of each of the mentions it shows. The lines are
        // written in a short write of their own after the read (a read transaction that turns
        // into a write can be refused by SQLite when others wrote meanwhile), and the dossier
        // is answered only once they are stored.
        if kind == SubjectKind::Person {
            let mut log = begin_on(&self.pool, None).await?;
            super::processing::log_processing(
                &mut log,
                self.audit_key.as_ref(),
                baken_core::processing::ProcessingActivity::ReadDossier,
                &caller.org().to_string(),
                &ids,
                now,
            )
            .await?;
            log.commit().await?;
        }
        Ok(crate::Dossier {
            entity: parse_uuid(&id)?,
            number: subjects[0].id,
            kind,
            subjects,
            signals,
            links,
            suggestions,
            judgements,
            related,
            visits,
            cases,
            decisions,
            interventions,
        })
    }

    /// The visible field visits at the addresses of `subjects`: a visit's location or its
    /// object's address, typed as text, with the same postcode and house number as one of
    /// them (`postcode_and_number`).
    async fn visits_at(
        tx: &mut Read<'_>,
        caller: &Caller,
        subjects: &[Subject],
    ) -> Result<Vec<crate::VisitSummary>> {
        let mut keys: Vec<(String, u32)> = subjects
            .iter()
            .filter_map(|s| match &s.details {
                SubjectDetails::Address {
                    postcode: Some(pc),
                    house_number: Some(n),
                    ..
                } => Some((pc.compact().to_string(), *n)),
                _ => None,
            })
            .collect();
        keys.sort();
        keys.dedup();
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {}, o.address AS object_address FROM field_visit v \
             LEFT JOIN field_object o ON o.id = v.object_id JOIN app_user u ON u.id = v.created_by WHERE (",
            super::field::VISIT_COLUMNS
        ));
        // The postcode's digits narrow the search; the text is read below.
        for (i, (pc, _)) in keys.iter().enumerate() {
            if i > 0 {
                qb.push(" OR ");
            }
            let digits = format!("%{}%", &pc[..4]);
            qb.push("v.location LIKE ")
                .push_bind(digits.clone())
                .push(" OR o.address LIKE ")
                .push_bind(digits);
        }
        qb.push(") AND ");
        super::field::push_visit_visible(&mut qb, caller);
        qb.push(" ORDER BY v.visited_on DESC, v.id DESC LIMIT 500");
        let rows = qb.build().fetch_all(&mut ***tx).await?;
        let mut visits = Vec::new();
        for row in &rows {
            let address = rows::VisitAddressRow::from_row(row)?;
            let visit = super::field::visit_from_row(row)?;
            let at = |text: Option<&str>| {
                text.and_then(baken_core::subject::postcode_and_number)
                    .is_some_and(|(pc, n)| keys.contains(&(pc.compact().to_string(), n)))
            };
            if at(visit.location.as_deref()) || at(address.object_address.as_deref()) {
                visits.push(visit);
            }
        }
        Ok(visits)
    }

    /// A pair above the threshold that Baken did not join (neither side judged, no conflict
    /// of its own) was refused because joining would put conflicting evidence into one
    /// entity, through other mentions: a mention without a date of birth that scores with
    /// two men of one name. It is a suggestion, and where the conflict lies among mentions
    /// the caller may see, it is named ("geboortedatum 12-04-1979 ≠ 02-04-1985"); values
    /// of mentions the caller may not see are never used.
    async fn name_entity_conflicts(
        tx: &mut Read<'_>,
        caller: &Caller,
        mine: &[String],
        suggestions: &mut [crate::SubjectLink],
    ) -> Result<()> {
        let refused: Vec<usize> = suggestions
            .iter()
            .enumerate()
            .filter(|(_, l)| l.state == crate::LinkState::Automatic)
            .map(|(i, _)| i)
            .collect();
        if refused.is_empty() {
            return Ok(());
        }
        let my_forms = Self::stored_forms(&mut *tx, mine).await?;
        let mut theirs_by_entity: HashMap<Uuid, HashMap<String, Prepared>> = HashMap::new();
        for i in refused {
            let link = &mut suggestions[i];
            link.state = crate::LinkState::Suggested;
            let entity = link.right_entity;
            let theirs = match theirs_by_entity.entry(entity) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    let mut qb = QueryBuilder::<Db>::new(
                        "SELECT m.subject_id FROM entity_member m WHERE m.entity_id = ",
                    );
                    qb.push_bind(entity.to_string()).push(" AND ");
                    push_subject_visible(&mut qb, "m.subject_id", caller, tx.today());
                    qb.push(" LIMIT 500");
                    let members: Vec<String> =
                        qb.build_query_scalar().fetch_all(&mut ***tx).await?;
                    slot.insert(Self::stored_forms(&mut *tx, &members).await?)
                }
            };
            let found = my_forms
                .values()
                .find_map(|a| theirs.values().find_map(|b| a.conflict(b)));
            if let Some(c) = found {
                link.explanation.conflict = Some(crate::ConflictFact {
                    field: c.field,
                    left: c.left.into(),
                    right: c.right.into(),
                });
                link.state = crate::LinkState::Conflicting;
            }
        }
        Ok(())
    }

    /// The current entity of a mention the caller may see, and its kind.
    pub(super) async fn entity_of_visible(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        mention: Uuid,
        today: Date,
    ) -> Result<Option<(String, SubjectKind)>> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT em.entity_id FROM entity_member em WHERE em.subject_id = ",
        );
        qb.push_bind(mention.to_string()).push(" AND ");
        push_subject_visible(&mut qb, "em.subject_id", caller, today);
        let entity: Option<String> = qb.build_query_scalar().fetch_optional(&mut **tx).await?;
        match entity {
            Some(entity) => Self::resolve_entity(tx, &entity).await,
            None => Ok(None),
        }
    }

    pub(super) async fn merge_dossiers_impl(
        &self,
        caller: &Caller,
        mention: Uuid,
        other: Uuid,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        if !caller.may_judge_links() {
            return Err(StoreError::Forbidden(Denied::MergeDossiers));
        }
        let today = local_date(now);
        let mut tx = begin_on(&self.pool, None).await?;
        let Some((mine, kind)) = Self::entity_of_visible(&mut tx, caller, mention, today).await?
        else {
            return Err(StoreError::NotFound);
        };
        // Unknown and invisible read the same, so the answer reveals nothing.
        let unknown = || StoreError::rejected(Rejection::OtherDossierUnknown);
        let Some((theirs, other_kind)) =
            Self::entity_of_visible(&mut tx, caller, other, today).await?
        else {
            return Err(unknown());
        };
        tx.rollback().await?;
        if theirs == mine {
            return Err(StoreError::rejected(Rejection::SameDossier));
        }
        if kind != other_kind {
            return Err(StoreError::rejected(Rejection::OtherDossierKind {
                this: kind,
                other: other_kind,
            }));
        }
        self.judge_link_impl(caller, mention, other, true, reason, now)
            .await
    }

    pub(super) async fn judge_link_impl(
        &self,
        caller: &Caller,
        left: Uuid,
        right: Uuid,
        confirmed: bool,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        if !caller.may_judge_links() {
            return Err(StoreError::Forbidden(Denied::JudgeLinks));
        }
        let reason = reason.trim();
        if reason.chars().count() < 3 {
            return Err(StoreError::rejected(Rejection::JudgementReasonMissing));
        }
        if left == right {
            return Err(StoreError::rejected(Rejection::SameSubject));
        }
        let today = local_date(now);
        let mut tx = self.write(caller, now).await?;
        let (l, r) = ordered_pair(&left.to_string(), &right.to_string());
        let pair = [l.clone(), r.clone()];
        let mut qb = QueryBuilder::<Db>::new("SELECT x.id, x.kind FROM subject x WHERE x.id IN ");
        push_in(&mut qb, &pair);
        qb.push(" AND ");
        push_subject_visible(&mut qb, "x.id", caller, today);
        let rows: Vec<(String, String)> = qb.build_query_as().fetch_all(&mut **tx).await?;
        if rows.len() != 2 {
            return Err(StoreError::NotFound);
        }
        let kinds: Vec<String> = rows.into_iter().map(|(_, kind)| kind).collect();
        if kinds[0] != kinds[1] {
            return Err(StoreError::rejected(Rejection::DifferentKinds));
        }
        let kind = parse_enum(SubjectKind::parse(&kinds[0]))?;
        let id = new_id(now);
        sqlx::query(
            "INSERT INTO link_judgement (id, left_subject, right_subject, judgement, reason, by_user, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.to_string())
        .bind(&l)
        .bind(&r)
        .bind(if confirmed { "confirmed" } else { "rejected" })
        .bind(reason)
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        let group = Self::members_of_entities_of(&mut tx, &pair).await?;
        Self::regroup(&mut tx, kind, group, now).await?;
        let event = AuditRecord::success(
            if confirmed {
                AuditAction::LinkConfirm
            } else {
                AuditAction::LinkReject
            },
            ObjectKind::LinkJudgement,
            Some(id.to_string()),
            format!("left={l} right={r}"),
        );
        tx.finish(event).await?;
        Ok(id)
    }

    pub(super) async fn members_of_entities_of(
        tx: &mut Transaction<'static, Db>,
        subjects: &[String],
    ) -> Result<Vec<String>> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT subject_id FROM entity_member WHERE entity_id IN \
             (SELECT entity_id FROM entity_member WHERE subject_id IN ",
        );
        push_in(&mut qb, subjects);
        qb.push(")");
        Ok(qb.build_query_scalar().fetch_all(&mut **tx).await?)
    }

    pub(super) async fn undo_judgement_impl(
        &self,
        caller: &Caller,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<()> {
        if !caller.may_judge_links() {
            return Err(StoreError::Forbidden(Denied::JudgeLinks));
        }
        let today = local_date(now);
        let mut tx = self.write(caller, now).await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT j.left_subject, j.right_subject, x.kind FROM link_judgement j JOIN subject x ON x.id = j.left_subject \
             WHERE j.undone_at IS NULL AND j.id = ",
        );
        qb.push_bind(id.to_string()).push(" AND ");
        push_subject_visible(&mut qb, "j.left_subject", caller, today);
        qb.push(" AND ");
        push_subject_visible(&mut qb, "j.right_subject", caller, today);
        let (left, right, kind): (String, String, String) = qb
            .build_query_as()
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let pair = [left, right];
        let kind = parse_enum(SubjectKind::parse(&kind))?;
        sqlx::query("UPDATE link_judgement SET undone_at = $1, undone_by = $2 WHERE id = $3")
            .bind(ts(now))
            .bind(caller.user().to_string())
            .bind(id.to_string())
            .execute(&mut **tx)
            .await?;
        let group = Self::members_of_entities_of(&mut tx, &pair).await?;
        Self::regroup(&mut tx, kind, group, now).await?;
        let event = AuditRecord::success(
            AuditAction::LinkUndo,
            ObjectKind::LinkJudgement,
            Some(id.to_string()),
            format!("left={} right={}", pair[0], pair[1]),
        );
        tx.finish(event).await
    }
}

#[async_trait]
impl crate::DossierStore for EngineStore {
    async fn dossier(
        &self,
        caller: &Caller,
        entity: Uuid,
        reason: Option<&DossierReason>,
        now: OffsetDateTime,
    ) -> Result<crate::Dossier> {
        self.dossier_impl(caller, DossierTarget::Entity(entity), reason, now)
            .await
    }

    async fn dossier_of(
        &self,
        caller: &Caller,
        subject: Uuid,
        reason: Option<&DossierReason>,
        now: OffsetDateTime,
    ) -> Result<crate::Dossier> {
        self.dossier_impl(caller, DossierTarget::Mention(subject), reason, now)
            .await
    }

    async fn judge_link(
        &self,
        caller: &Caller,
        left: Uuid,
        right: Uuid,
        confirmed: bool,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        self.judge_link_impl(caller, left, right, confirmed, reason, now)
            .await
    }

    async fn merge_dossiers(
        &self,
        caller: &Caller,
        entity: Uuid,
        other: Uuid,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        self.merge_dossiers_impl(caller, entity, other, reason, now)
            .await
    }

    async fn undo_judgement(&self, caller: &Caller, id: Uuid, now: OffsetDateTime) -> Result<()> {
        self.undo_judgement_impl(caller, id, now).await
    }
}
