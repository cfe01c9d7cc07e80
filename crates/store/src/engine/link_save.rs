//! Linking on save: candidates from the stored blocks, scoring, joining and regrouping
//! entities.

use super::rows::KeyBlockRow;
use super::*;

impl EngineStore {
    /// The stored subjects sharing a blocking key with each new subject, and the comparable
    /// forms of those that are scored. As in batch linking, a key shared by more than
    /// [`baken_link::block::MAX_BLOCK`] subjects is no block (the other keys still meet);
    /// for exact kinds the key is the value itself and its latest mention counts.
    /// Two statements per hundred keys and per five thousand candidates, read from one
    /// key-ordered B-tree and the subject's primary key.
    #[allow(clippy::type_complexity)]
    pub(super) async fn stored_candidates(
        tx: &mut Transaction<'static, Db>,
        mentions: &[NewMention<'_>],
        keys: &[Vec<String>],
    ) -> Result<(Vec<Vec<String>>, HashMap<String, Prepared>)> {
        let max_block = baken_link::block::MAX_BLOCK;
        let mut wanted: Vec<(SubjectKind, &str)> = mentions
            .iter()
            .zip(keys)
            .flat_map(|(m, ks)| ks.iter().map(move |k| (m.kind, k.as_str())))
            .collect();
        wanted.sort();
        wanted.dedup();
        // Each key row carries the subject's comparable form, so a block is read as one range
        // of one B-tree; rows from before forms were kept there are read from `subject`.
        let mut groups: HashMap<(SubjectKind, &str), Vec<(String, Option<String>)>> =
            HashMap::new();
        for part in wanted.chunks(100) {
            let blocks: Vec<KeyBlock<'_>> = part
                .iter()
                .map(|(kind, key)| KeyBlock {
                    kind: kind.slug(),
                    key,
                    // The latest mention of the same value is enough: the others are in its
                    // entity already (a relink links them as a chain too).
                    latest_only: exact_kind(*kind),
                })
                .collect();
            let mut qb = key_blocks_query(&blocks, max_block + 1);
            let rows: Vec<KeyBlockRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
            for r in rows {
                let q = usize::try_from(r.q).unwrap_or(usize::MAX);
                if let Some(k) = part.get(q) {
                    groups.entry(*k).or_default().push((r.subject_id, r.form));
                }
            }
        }
        let mut forms: HashMap<String, Prepared> = HashMap::new();
        let mut to_read: Vec<String> = Vec::new();
        let per_mention: Vec<Vec<String>> = mentions
            .iter()
            .zip(keys)
            .map(|(m, ks)| {
                let mut found: Vec<String> = Vec::new();
                for k in ks {
                    let Some(group) = groups.get(&(m.kind, k.as_str())) else {
                        continue;
                    };
                    if exact_kind(m.kind) {
                        found.extend(group.iter().map(|(id, _)| id.clone()));
                        continue;
                    }
                    if group.len() > max_block {
                        continue;
                    }
                    for (id, form) in group {
                        if !forms.contains_key(id) {
                            match form.as_deref().and_then(Prepared::decode) {
                                Some(p) => {
                                    forms.insert(id.clone(), p);
                                }
                                None => to_read.push(id.clone()),
                            }
                        }
                        found.push(id.clone());
                    }
                }
                found.sort();
                found.dedup();
                found
            })
            .collect();
        to_read.sort();
        to_read.dedup();
        forms.extend(Self::stored_forms(tx, &to_read).await?);
        Ok((per_mention, forms))
    }

    /// The comparable forms of stored subjects, by id (read from `link_form`, or normalised
    /// from the details for subjects from before it was kept).
    pub(super) async fn stored_forms(
        tx: &mut Transaction<'static, Db>,
        ids: &[String],
    ) -> Result<HashMap<String, Prepared>> {
        let mut forms = HashMap::with_capacity(ids.len());
        for part in ids.chunks(IN_LIST) {
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT id, link_form, CASE WHEN link_form IS NULL THEN details END AS details \
                 FROM subject WHERE id IN ",
            );
            push_in(&mut qb, part);
            let rows: Vec<(String, Option<String>, Option<String>)> =
                qb.build_query_as().fetch_all(&mut **tx).await?;
            for (id, link_form, details) in rows {
                let form = candidate_form(link_form.as_deref(), details.as_deref())?;
                forms.insert(id, form);
            }
        }
        Ok(forms)
    }

    /// Links subjects just inserted in `tx`: blocking keys, candidates, scores, entities. The
    /// statements are shared across the subjects of one save where they can be.
    pub(super) async fn link_new_subjects(
        tx: &mut Transaction<'static, Db>,
        mentions: &[NewMention<'_>],
        now: OffsetDateTime,
    ) -> Result<()> {
        if mentions.is_empty() {
            return Ok(());
        }
        let prepared: Vec<Prepared> = mentions
            .iter()
            .map(|m| Prepared::new(&link_fields(m.details, m.bsn_hash)))
            .collect();
        let keys: Vec<Vec<String>> = mentions
            .iter()
            .zip(&prepared)
            .map(|(m, p)| {
                if exact_kind(m.kind) {
                    vec![format!("=\u{1}{}", m.normalised)]
                } else {
                    baken_link::block::keys(p)
                }
            })
            .collect();
        let scored: Vec<(SubjectKind, &Prepared)> = mentions
            .iter()
            .zip(&prepared)
            .filter(|(m, _)| !exact_kind(m.kind))
            .map(|(m, p)| (m.kind, p))
            .collect();
        let settings = Self::link_settings(tx, &scored).await?;
        let mut links: Vec<(
            String,
            String,
            SubjectKind,
            f64,
            f64,
            crate::LinkExplanation,
        )> = Vec::new();
        let mut linked_to: Vec<Vec<String>> = Vec::with_capacity(mentions.len());
        let (stored, forms) = Self::stored_candidates(tx, mentions, &keys).await?;
        // Earlier subjects of the same save that share a key are candidates too.
        let mut in_save: HashMap<(SubjectKind, &str), Vec<usize>> = HashMap::new();
        for (i, (m, ks)) in mentions.iter().zip(&keys).enumerate() {
            for k in ks {
                in_save.entry((m.kind, k.as_str())).or_default().push(i);
            }
        }
        // As for stored subjects, a key shared by too many is no block.
        in_save.retain(|_, group| group.len() <= baken_link::block::MAX_BLOCK);
        for (i, ((m, p), stored)) in mentions.iter().zip(&prepared).zip(stored).enumerate() {
            let kind = m.kind;
            let mut earlier: Vec<usize> = keys[i]
                .iter()
                .filter_map(|k| in_save.get(&(kind, k.as_str())))
                .flat_map(|group| group.iter().copied().take_while(|j| *j < i))
                .collect();
            earlier.sort_unstable();
            earlier.dedup();
            let earlier = earlier.into_iter();
            let candidates: Vec<(String, Option<&Prepared>)> = stored
                .into_iter()
                .map(|id| {
                    let form = forms.get(&id);
                    (id, form)
                })
                .chain(earlier.map(|j| (mentions[j].id.to_string(), Some(&prepared[j]))))
                .collect();
            let mut linked = Vec::new();
            if exact_kind(kind) {
                for (other, _) in candidates {
                    links.push((
                        m.id.to_string(),
                        other.clone(),
                        kind,
                        1.0,
                        0.0,
                        exact_explanation(kind, m.normalised),
                    ));
                    linked.push(other);
                }
            } else if let Some(KindLinking {
                model,
                threshold,
                factors,
                ..
            }) = settings.get(&kind)
            {
                for (id, other) in candidates {
                    let Some(other) = other else { continue };
                    let (weight, probability) = model.score(factors as &dyn TermFactor, p, other);
                    if probability < SUGGEST_FLOOR {
                        continue;
                    }
                    // Conflicting evidence (another date of birth, BSN, KvK number or BAG id)
                    // never links on a score; the pair is kept as scored.
                    if probability >= *threshold && p.conflict(other).is_none() {
                        linked.push(id.clone());
                    }
                    let e = model.explain(factors as &dyn TermFactor, p, other);
                    links.push((
                        m.id.to_string(),
                        id,
                        kind,
                        probability,
                        weight,
                        explanation_of(&e),
                    ));
                }
            }
            linked_to.push(linked);
        }
        let encoded: Vec<Option<String>> = mentions
            .iter()
            .zip(&prepared)
            .map(|(m, p)| (!exact_kind(m.kind)).then(|| p.encode()))
            .collect();
        let all_keys: Vec<(SubjectKind, &String, &str, Option<&str>)> = mentions
            .iter()
            .zip(&keys)
            .zip(&encoded)
            .flat_map(|((m, ks), form)| ks.iter().map(move |k| (m.kind, k, m.id, form.as_deref())))
            .collect();
        insert_rows(
            tx,
            "INSERT INTO subject_key (kind, key, subject_id, form) ",
            &all_keys,
            4,
            |b, (kind, key, id, form)| {
                b.push_bind(kind.slug())
                    .push_bind((*key).clone())
                    .push_bind(id.to_string())
                    .push_bind(form.map(str::to_string));
            },
        )
        .await?;
        Self::count_terms(tx, &scored, &settings).await?;
        insert_rows(
            tx,
            "INSERT INTO subject_link (left_subject, right_subject, kind, probability, weight, explanation) ",
            &links,
            6,
            |b, (me, other, kind, p, w, e)| {
                let (l, r) = ordered_pair(me, other);
                b.push_bind(l)
                    .push_bind(r)
                    .push_bind(kind.slug())
                    .push_bind(*p)
                    .push_bind(*w)
                    .push_bind(serde_json::to_string(e).unwrap_or_default());
            },
        )
        .await?;
        Self::join_entities(tx, mentions, &linked_to, now).await
    }

    /// Puts each new subject in an entity: the one entity it links to, or one of its own; a
    /// subject linking several entities bridges them, and they are regrouped. Three
    /// statements for a save unless something bridges. `linked_to[i]` may name earlier
    /// subjects of the same save.
    pub(super) async fn join_entities(
        tx: &mut Transaction<'static, Db>,
        mentions: &[NewMention<'_>],
        linked_to: &[Vec<String>],
        now: OffsetDateTime,
    ) -> Result<()> {
        let new: std::collections::HashSet<&str> = mentions.iter().map(|m| m.id).collect();
        let mut stored: Vec<String> = linked_to
            .iter()
            .flatten()
            .filter(|s| !new.contains(s.as_str()))
            .cloned()
            .collect();
        stored.sort();
        stored.dedup();
        let mut entity_of: HashMap<String, String> = HashMap::new();
        for part in stored.chunks(IN_LIST) {
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT subject_id, entity_id FROM entity_member WHERE subject_id IN ",
            );
            push_in(&mut qb, part);
            let rows: Vec<(String, String)> = qb.build_query_as().fetch_all(&mut **tx).await?;
            entity_of.extend(rows);
        }
        let mut fresh: Vec<(String, SubjectKind)> = Vec::new();
        let mut members: Vec<(&str, String)> = Vec::with_capacity(mentions.len());
        let mut bridging: Vec<usize> = Vec::new();
        let mut checked: Vec<usize> = Vec::new();
        for (i, (m, linked)) in mentions.iter().zip(linked_to).enumerate() {
            let targets: std::collections::BTreeSet<&String> =
                linked.iter().filter_map(|s| entity_of.get(s)).collect();
            let entity = match targets.into_iter().collect::<Vec<_>>().as_slice() {
                [one] => {
                    // A mention with a date of birth (or BSN, KvK, BAG id) joining an entity
                    // is checked against all its members, not only those it scored with.
                    if discriminating(m) {
                        checked.push(i);
                    }
                    (*one).clone()
                }
                more => {
                    if more.len() > 1 {
                        bridging.push(i);
                    }
                    let own = new_id(now).to_string();
                    fresh.push((own.clone(), m.kind));
                    own
                }
            };
            entity_of.insert(m.id.to_string(), entity.clone());
            members.push((m.id, entity));
        }
        Self::create_entities(tx, &fresh, &members, now).await?;
        for i in bridging {
            let mut involved = linked_to[i].clone();
            involved.push(mentions[i].id.to_string());
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT DISTINCT entity_id FROM entity_member WHERE subject_id IN ",
            );
            push_in(&mut qb, &involved);
            let entities: Vec<String> = qb.build_query_scalar().fetch_all(&mut **tx).await?;
            // Persons and organisations may hold conflicting evidence: always regrouped, so no
            // mention bridges two people. Others merge in two statements unless judged.
            if !holds_discriminators(mentions[i].kind)
                && !Self::judged_within(tx, &entities).await?
            {
                // Nobody judged any of them: the entities simply become one.
                Self::merge_entities(tx, entities).await?;
                continue;
            }
            // Judgements first: regroup every entity it links, itself included.
            let mut group = Self::members_of_entities_of(tx, &linked_to[i]).await?;
            group.push(mentions[i].id.to_string());
            Self::regroup(tx, mentions[i].kind, group, now).await?;
        }
        for i in checked {
            let mut group = Self::members_of_entities_of(tx, &linked_to[i]).await?;
            group.push(mentions[i].id.to_string());
            Self::regroup(tx, mentions[i].kind, group, now).await?;
        }
        Ok(())
    }

    /// Whether a judgement in force names a member of one of `entities`. Driven by the
    /// judgements (made by people, so few) rather than the members (a busy address has
    /// thousands).
    pub(super) async fn judged_within(
        tx: &mut Transaction<'static, Db>,
        entities: &[String],
    ) -> Result<bool> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT 1 AS judged FROM link_judgement j WHERE j.undone_at IS NULL AND EXISTS \
             (SELECT 1 FROM entity_member m WHERE m.subject_id IN (j.left_subject, j.right_subject) \
             AND m.entity_id IN ",
        );
        push_in(&mut qb, entities);
        qb.push(") LIMIT 1");
        Ok(qb.build().fetch_optional(&mut **tx).await?.is_some())
    }

    /// Merges `entities` into the oldest of them (ids are time-ordered, as in
    /// [`stable_ids`]); the others redirect to it.
    pub(super) async fn merge_entities(
        tx: &mut Transaction<'static, Db>,
        mut entities: Vec<String>,
    ) -> Result<()> {
        entities.sort();
        let Some((keep, others)) = entities.split_first() else {
            return Ok(());
        };
        if others.is_empty() {
            return Ok(());
        }
        let mut qb = QueryBuilder::<Db>::new("UPDATE entity_member SET entity_id = ");
        qb.push_bind(keep.as_str()).push(" WHERE entity_id IN ");
        push_in(&mut qb, others);
        qb.build().execute(&mut **tx).await?;
        let mut qb = QueryBuilder::<Db>::new("UPDATE entity SET merged_into = ");
        qb.push_bind(keep.as_str()).push(" WHERE id IN ");
        push_in(&mut qb, others);
        qb.build().execute(&mut **tx).await?;
        Ok(())
    }

    /// Regroups `subjects` (whole entities) into entities from their links above the
    /// threshold and the judgements on them, keeping ids stable.
    pub(super) async fn regroup(
        tx: &mut Transaction<'static, Db>,
        kind: SubjectKind,
        mut subjects: Vec<String>,
        now: OffsetDateTime,
    ) -> Result<()> {
        subjects.sort();
        subjects.dedup();
        let index: HashMap<&str, u32> = subjects
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u32))
            .collect();
        let threshold = Self::threshold_of(tx, kind).await?;
        let mut current = vec![String::new(); subjects.len()];
        let mut links: Vec<(u32, u32, f64)> = Vec::new();
        // Bounded lists (SQLite binds at most 32,766 values; a busy entity has more members).
        for part in subjects.chunks(IN_LIST) {
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT subject_id, entity_id FROM entity_member WHERE subject_id IN ",
            );
            push_in(&mut qb, part);
            let members: Vec<(String, String)> = qb.build_query_as().fetch_all(&mut **tx).await?;
            for (subject, entity) in members {
                if let Some(i) = index.get(subject.as_str()) {
                    current[*i as usize] = entity;
                }
            }
            // One list only: with two, SQLite probes every combination of the two.
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT left_subject, right_subject, probability FROM subject_link WHERE left_subject IN ",
            );
            push_in(&mut qb, part);
            qb.push(" AND probability >= ").push_bind(threshold);
            let scored: Vec<(String, String, f64)> =
                qb.build_query_as().fetch_all(&mut **tx).await?;
            for (l, rr, probability) in scored {
                if let (Some(a), Some(b)) = (index.get(l.as_str()), index.get(rr.as_str())) {
                    links.push((*a, *b, probability));
                }
            }
        }
        let judgements = Self::judgements_among(tx, &subjects, &index).await?;
        let mut discriminators = vec![Vec::new(); subjects.len()];
        if holds_discriminators(kind) {
            for (id, form) in Self::stored_forms(tx, &subjects).await? {
                if let Some(i) = index.get(id.as_str()) {
                    discriminators[*i as usize] = form.discriminators();
                }
            }
        }
        let entities = Entities::build_with(discriminators, &judgements, &mut links);
        let target = stable_ids(&current, &entities, now);
        Self::write_entities(tx, kind, &subjects, &current, &target, now).await
    }

    /// The judgements in force among `subjects` (the latest per pair).
    pub(super) async fn judgements_among(
        tx: &mut Transaction<'static, Db>,
        subjects: &[String],
        index: &HashMap<&str, u32>,
    ) -> Result<Vec<(u32, u32, Judgement)>> {
        // A pair's judgements share its left subject, so they stay in one part, in order.
        let mut rows = Vec::new();
        for part in subjects.chunks(IN_LIST) {
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT left_subject, right_subject, judgement FROM link_judgement WHERE undone_at IS NULL AND left_subject IN ",
            );
            push_in(&mut qb, part);
            qb.push(" ORDER BY at, id");
            rows.extend(
                qb.build_query_as::<(String, String, String)>()
                    .fetch_all(&mut **tx)
                    .await?,
            );
        }
        latest_judgements(&rows, index)
    }

    /// Writes the new grouping: changed memberships, fresh entities, and redirects from
    /// entities that lost all their members to where most of them went. A few multi-row
    /// statements however many subjects moved (a relink regroups a whole kind).
    pub(super) async fn write_entities(
        tx: &mut Transaction<'static, Db>,
        kind: SubjectKind,
        subjects: &[String],
        current: &[String],
        target: &[String],
        now: OffsetDateTime,
    ) -> Result<()> {
        let existing: std::collections::HashSet<&String> = current.iter().collect();
        let fresh: Vec<&String> = target
            .iter()
            .filter(|t| !existing.contains(t))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let at = ts(now);
        insert_rows(
            tx,
            "INSERT INTO entity (id, kind, merged_into, created_at) ",
            &fresh,
            4,
            |b, id| {
                b.push_bind((*id).clone())
                    .push_bind(kind.slug())
                    .push_bind(None::<String>)
                    .push_bind(at.clone());
            },
        )
        .await?;
        let mut moved: HashMap<&String, HashMap<&String, u32>> = HashMap::new();
        let mut memberships: Vec<(String, String)> = Vec::new();
        for ((s, from), to) in subjects.iter().zip(current).zip(target) {
            if from != to {
                memberships.push((s.clone(), to.clone()));
                *moved.entry(from).or_default().entry(to).or_default() += 1;
            }
        }
        update_pairs(tx, "entity_member", "entity_id", "subject_id", &memberships).await?;
        let kept: std::collections::HashSet<&String> = target.iter().collect();
        let mut redirects: Vec<(String, String)> = Vec::new();
        for (from, to) in moved {
            if kept.contains(from) {
                continue;
            }
            if let Some((dest, _)) = to
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            {
                redirects.push((from.clone(), dest.clone()));
            }
        }
        update_pairs(tx, "entity", "merged_into", "id", &redirects).await?;
        // An entity that has members again is nobody's redirect.
        let kept: Vec<String> = kept.into_iter().cloned().collect();
        for part in kept.chunks(IN_LIST) {
            let mut qb = QueryBuilder::<Db>::new(
                "UPDATE entity SET merged_into = NULL WHERE merged_into IS NOT NULL AND id IN ",
            );
            push_in(&mut qb, part);
            qb.build().execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// Kinds whose mentions can carry evidence that tells them apart (a date of birth or BSN for
/// persons, a KvK number for organisations).
pub(super) fn holds_discriminators(kind: SubjectKind) -> bool {
    matches!(kind, SubjectKind::Person | SubjectKind::Organisation)
}

/// Whether a mention carries such evidence itself.
fn discriminating(mention: &NewMention<'_>) -> bool {
    holds_discriminators(mention.kind)
        && !Prepared::new(&link_fields(mention.details, mention.bsn_hash))
            .discriminators()
            .is_empty()
}
