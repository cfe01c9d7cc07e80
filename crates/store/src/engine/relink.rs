//! The full relink and the link thresholds.

use super::*;
use crate::RelinkStage;

impl EngineStore {
    pub(super) async fn link_keys_current_impl(&self) -> Result<bool> {
        let stale: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM link_model WHERE key_scheme <> $1")
                .bind(baken_link::block::KEY_SCHEME)
                .fetch_one(&self.pool)
                .await?;
        Ok(stale == 0)
    }

    pub(super) async fn link_thresholds_impl(&self) -> Result<Vec<(SubjectKind, f64)>> {
        let rows: Vec<(String, f64)> = sqlx::query_as("SELECT kind, threshold FROM link_threshold")
            .fetch_all(&self.pool)
            .await?;
        let set: HashMap<String, f64> = rows.into_iter().collect();
        Ok(SubjectKind::ALL
            .iter()
            .filter(|k| !exact_kind(**k))
            .map(|k| {
                (
                    *k,
                    set.get(k.slug())
                        .copied()
                        .unwrap_or(baken_link::DEFAULT_THRESHOLD),
                )
            })
            .collect())
    }

    pub(super) async fn set_link_threshold_impl(
        &self,
        caller: &Caller,
        setting: baken_link::KindThreshold,
        now: OffsetDateTime,
    ) -> Result<()> {
        if !caller.may_manage_catalogue() {
            return Err(StoreError::Forbidden(Denied::SetLinkThresholds));
        }
        let (kind, threshold) = (setting.kind(), setting.threshold().value());
        let mut tx = self.write(caller, now).await?;
        sqlx::query(
            "INSERT INTO link_threshold (kind, threshold) VALUES ($1, $2) \
             ON CONFLICT (kind) DO UPDATE SET threshold = excluded.threshold",
        )
        .bind(kind.slug())
        .bind(threshold)
        .execute(&mut **tx)
        .await?;
        let event = AuditRecord::success(
            AuditAction::LinkThreshold,
            ObjectKind::LinkThreshold,
            Some(kind.slug().to_string()),
            format!("threshold={threshold}"),
        );
        tx.finish(event).await
    }

    pub(super) async fn relink_impl(
        &self,
        actor: &Actor,
        progress: &dyn crate::RelinkProgress,
        now: OffsetDateTime,
    ) -> Result<crate::RelinkSummary> {
        let mut summary = crate::RelinkSummary { kinds: Vec::new() };
        let total_kinds = SubjectKind::ALL.len() as u64;
        for (k, kind) in SubjectKind::ALL.iter().copied().enumerate() {
            progress.report(RelinkStage::Linking(kind), k as u64, total_kinds);
            let mut tx = self.write_by(actor, now).await?;
            let mut ids = Vec::new();
            let mut current = Vec::new();
            let mut prepared = Vec::new();
            let mut normalised = Vec::new();
            {
                use futures_util::TryStreamExt;
                type Row = (String, String, String, String, Option<String>);
                let mut rows = sqlx::query_as::<_, Row>(
                    "SELECT x.id, x.normalised, x.details, em.entity_id, x.bsn_hash FROM subject x \
                     JOIN entity_member em ON em.subject_id = x.id WHERE x.kind = $1 ORDER BY x.id",
                )
                .bind(kind.slug())
                .fetch(&mut **tx);
                while let Some((id, norm, details, entity, bsn_hash)) = rows.try_next().await? {
                    let details: SubjectDetails = serde_json::from_str(&details)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    prepared.push(Prepared::new(&link_fields(&details, bsn_hash.as_deref())));
                    ids.push(id);
                    current.push(entity);
                    normalised.push(norm);
                }
            }
            if ids.is_empty() {
                // Nothing of this kind: no transaction to audit.
                tx.abandon().await?;
                continue;
            }
            for table in [
                "subject_key",
                "subject_term",
                "subject_term_total",
                "subject_link",
            ] {
                sqlx::query(&format!("DELETE FROM {table} WHERE kind = $1"))
                    .bind(kind.slug())
                    .execute(&mut **tx)
                    .await?;
            }
            // Keys, each with the record's comparable form (see `stored_candidates`), written
            // in key order.
            let forms: Vec<Option<String>> = if exact_kind(kind) {
                vec![None; ids.len()]
            } else {
                prepared.iter().map(|p| Some(p.encode())).collect()
            };
            let mut keys: Vec<(String, &String, Option<&str>)> = if exact_kind(kind) {
                normalised
                    .iter()
                    .zip(&ids)
                    .map(|(n, id)| (format!("=\u{1}{n}"), id, None))
                    .collect()
            } else {
                prepared
                    .iter()
                    .zip(&ids)
                    .zip(&forms)
                    .flat_map(|((p, id), form)| {
                        baken_link::block::keys(p)
                            .into_iter()
                            .map(move |k| (k, id, form.as_deref()))
                    })
                    .collect()
            };
            keys.sort_unstable();
            for chunk in keys.chunks(5_000) {
                insert_rows(
                    &mut tx,
                    "INSERT INTO subject_key (kind, key, subject_id, form) ",
                    chunk,
                    4,
                    |b, (key, id, form)| {
                        b.push_bind(kind.slug())
                            .push_bind(key.clone())
                            .push_bind((*id).clone())
                            .push_bind(form.map(str::to_string));
                    },
                )
                .await?;
            }
            drop(keys);
            drop(forms);
            // Pairs and their scores.
            // Scored pairs stay small in memory (indices, probability, weight); their
            // explanation is made again while writing, a chunk at a time.
            let mut scored: Vec<(u32, u32, f64, f64)> = Vec::new();
            let mut scoring: Option<(Model, baken_link::TermFrequencies)> = None;
            let candidates;
            if exact_kind(kind) {
                let mut groups: HashMap<&str, Vec<u32>> = HashMap::new();
                for (i, n) in normalised.iter().enumerate() {
                    groups.entry(n.as_str()).or_default().push(i as u32);
                }
                for members in groups.values() {
                    for w in members.windows(2) {
                        scored.push((w[0], w[1], 1.0, 0.0));
                    }
                }
                candidates = scored.len();
            } else {
                let tf = baken_link::TermFrequencies::new(&prepared);
                for slot_ in Slot::ALL.iter().copied().filter(|s| s.term_frequencies()) {
                    let counts: Vec<(&str, u32)> = tf.counts(slot_).collect();
                    if counts.is_empty() {
                        continue;
                    }
                    for chunk in counts.chunks(5_000) {
                        insert_rows(
                            &mut tx,
                            "INSERT INTO subject_term (kind, slot, value, n) ",
                            chunk,
                            4,
                            |b, (v, n)| {
                                b.push_bind(kind.slug())
                                    .push_bind(slot_slug(slot_))
                                    .push_bind(v.to_string())
                                    .push_bind(i64::from(*n));
                            },
                        )
                        .await?;
                    }
                    let total: i64 = counts.iter().map(|(_, n)| i64::from(*n)).sum();
                    let squares: i64 = counts
                        .iter()
                        .map(|(_, n)| i64::from(*n) * i64::from(*n))
                        .sum();
                    sqlx::query("INSERT INTO subject_term_total (kind, slot, total, sum_squares) VALUES ($1, $2, $3, $4)")
                        .bind(kind.slug())
                        .bind(slot_slug(slot_))
                        .bind(total)
                        .bind(squares)
                        .execute(&mut **tx)
                        .await?;
                }
                let pairs = baken_link::block::candidates(&prepared, None);
                candidates = pairs.len();
                progress.report(RelinkStage::Linking(kind), k as u64, total_kinds);
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
                let model = if pairs.is_empty() {
                    Model::prior(&baken_link::model::present_slots(&prepared))
                } else {
                    baken_link::estimate_model(&prepared, &pairs, None, threads)
                };
                sqlx::query(
                    "INSERT INTO link_model (kind, model, estimated_at, subjects, key_scheme) \
                     VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (kind) DO UPDATE SET model = excluded.model, \
                     estimated_at = excluded.estimated_at, subjects = excluded.subjects, \
                     key_scheme = excluded.key_scheme",
                )
                .bind(kind.slug())
                .bind(
                    serde_json::to_string(&model)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                )
                .bind(ts(now))
                .bind(ids.len() as i64)
                .bind(baken_link::block::KEY_SCHEME)
                .execute(&mut **tx)
                .await?;
                for (i, j) in pairs {
                    let (a, b) = (&prepared[i as usize], &prepared[j as usize]);
                    let (weight, probability) = model.score(&tf, a, b);
                    if probability >= SUGGEST_FLOOR {
                        scored.push((i, j, probability, weight));
                    }
                }
                scoring = Some((model, tf));
            }
            for chunk in scored.chunks(2_000) {
                let explained: Vec<(String, String, f64, f64, String)> = chunk
                    .iter()
                    .map(|(i, j, p, w)| {
                        let (l, r) = ordered_pair(&ids[*i as usize], &ids[*j as usize]);
                        let e = match &scoring {
                            Some((model, tf)) => explanation_of(&model.explain(
                                tf,
                                &prepared[*i as usize],
                                &prepared[*j as usize],
                            )),
                            None => exact_explanation(kind, &normalised[*i as usize]),
                        };
                        (l, r, *p, *w, serde_json::to_string(&e).unwrap_or_default())
                    })
                    .collect();
                insert_rows(
                    &mut tx,
                    "INSERT INTO subject_link (left_subject, right_subject, kind, probability, weight, explanation) ",
                    &explained,
                    6,
                    |b, (l, r, p, w, e)| {
                        b.push_bind(l.clone())
                            .push_bind(r.clone())
                            .push_bind(kind.slug())
                            .push_bind(*p)
                            .push_bind(*w)
                            .push_bind(e.clone());
                    },
                )
                .await?;
            }
            // Entities: judgements first, then links above the threshold.
            let threshold = Self::threshold_of(&mut tx, kind).await?;
            let index: HashMap<&str, u32> = ids
                .iter()
                .enumerate()
                .map(|(i, s)| (s.as_str(), i as u32))
                .collect();
            let judgement_rows: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT j.left_subject, j.right_subject, j.judgement FROM link_judgement j \
                 JOIN subject x ON x.id = j.left_subject WHERE j.undone_at IS NULL AND x.kind = $1 ORDER BY j.at, j.id",
            )
            .bind(kind.slug())
            .fetch_all(&mut **tx)
            .await?;
            let judgements = latest_judgements(&judgement_rows, &index)?;
            let mut links: Vec<(u32, u32, f64)> = scored
                .iter()
                .filter(|(_, _, p, _)| *p >= threshold)
                .map(|(i, j, p, _)| (*i, *j, *p))
                .collect();
            // Conflicting dates of birth, BSNs, KvK numbers or BAG ids never end up in one
            // entity through scores, not even through mentions that lack them.
            let discriminators = prepared.iter().map(Prepared::discriminators).collect();
            let entities = Entities::build_with(discriminators, &judgements, &mut links);
            let target = stable_ids(&current, &entities, now);
            Self::write_entities(&mut tx, kind, &ids, &current, &target, now).await?;
            let entity_count = target
                .iter()
                .collect::<std::collections::HashSet<_>>()
                .len();
            let done = crate::RelinkKind {
                kind,
                subjects: ids.len() as u64,
                candidates: candidates as u64,
                links: links.len() as u64,
                entities: entity_count as u64,
            };
            let event = AuditRecord::success(
                AuditAction::LinkRelink,
                ObjectKind::Subject,
                None,
                format!(
                    "kind={} subjects={} candidates={} links={} entities={}",
                    kind.slug(),
                    done.subjects,
                    done.candidates,
                    done.links,
                    done.entities
                ),
            );
            tx.finish(event).await?;
            summary.kinds.push(done);
        }
        progress.report(RelinkStage::Done, total_kinds, total_kinds);
        Ok(summary)
    }
}
