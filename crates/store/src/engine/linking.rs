//! Linking persistence: blocking keys, value counts, models and entities (the scoring
//! itself is `baken-link`'s). Subjects (one per mention in a signal) are the records; entities
//! group them under ids that stay stable.

use super::rows::SettingRow;
use super::*;

/// Values bound in one `IN (…)` list at most.
pub(super) const IN_LIST: usize = 5_000;

/// Pairs scoring at least this are kept (as links or suggestions).
pub(super) const SUGGEST_FLOOR: f64 = 0.3;

pub(super) use baken_link::links_exactly as exact_kind;

/// The fields the linker compares for a subject.
pub(super) fn link_fields(
    details: &SubjectDetails,
    bsn_hash: Option<&str>,
) -> Vec<(FieldKind, String)> {
    match details {
        SubjectDetails::Person { name, birth_date } => {
            let mut f = vec![(FieldKind::FullName, name.clone())];
            if let Some(d) = birth_date {
                f.push((FieldKind::DateOfBirth, date(*d)));
            }
            // The keyed hash, never the number: a strong identifier and a discriminator.
            if let Some(h) = bsn_hash {
                f.push((FieldKind::BsnHash, h.to_string()));
            }
            f
        }
        SubjectDetails::Organisation {
            name, kvk_number, ..
        } => {
            let mut f = Vec::new();
            if let Some(n) = name {
                f.push((FieldKind::OrganisationName, n.clone()));
            }
            if let Some(k) = kvk_number {
                f.push((FieldKind::Kvk, k.to_string()));
            }
            f
        }
        SubjectDetails::Address {
            bag_id,
            postcode,
            house_number,
            house_letter,
            house_number_addition,
            street,
            place,
        } => {
            let mut f = Vec::new();
            if let Some(b) = bag_id {
                f.push((FieldKind::BagId, b.to_string()));
            }
            if let Some(p) = postcode {
                f.push((FieldKind::Postcode, p.to_string()));
            }
            if let Some(n) = house_number {
                let letter = house_letter.map(String::from).unwrap_or_default();
                let addition = house_number_addition
                    .as_deref()
                    .map(|a| format!("-{a}"))
                    .unwrap_or_default();
                let number = format!("{n}{letter}{addition}");
                // Postcode and full house number identify a Dutch address: "Kerkstraat 12"
                // is never "Kerkstraat 14", however much else agrees.
                if let Some(p) = postcode {
                    f.push((FieldKind::AddressCode, format!("{p} {number}")));
                }
                f.push((FieldKind::HouseNumber, number));
            }
            if let Some(s) = street {
                f.push((FieldKind::Street, s.clone()));
            }
            if let Some(p) = place {
                f.push((FieldKind::City, p.clone()));
            }
            f
        }
        SubjectDetails::Vehicle { .. }
        | SubjectDetails::Phone { .. }
        | SubjectDetails::Email { .. }
        | SubjectDetails::Iban { .. } => Vec::new(),
    }
}

/// The stored comparable form of a subject (see `Prepared::encode`), with its BSN's keyed
/// hash when one was recorded.
pub(super) fn link_form(details: &SubjectDetails, bsn_hash: Option<&str>) -> String {
    Prepared::new(&link_fields(details, bsn_hash)).encode()
}

/// A candidate's comparable form: the stored one, or (for subjects from before it was kept)
/// normalised from its details.
pub(super) fn candidate_form(link_form: Option<&str>, details: Option<&str>) -> Result<Prepared> {
    if let Some(p) = link_form.and_then(Prepared::decode) {
        return Ok(p);
    }
    let details =
        details.ok_or_else(|| StoreError::Corrupt("unreadable link form of a subject".into()))?;
    let details: SubjectDetails =
        serde_json::from_str(details).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    // Subjects from before the form was kept: none of them has a BSN.
    Ok(Prepared::new(&link_fields(&details, None)))
}

pub(super) fn slot_slug(slot: Slot) -> &'static str {
    slot.kind().slug()
}

pub(super) fn ordered_pair(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

pub(super) fn explanation_of(e: &baken_link::Explanation) -> crate::LinkExplanation {
    crate::LinkExplanation {
        prior_weight: e.prior_weight,
        reasons: e
            .contributions
            .iter()
            .map(|c| crate::LinkReason {
                field: crate::ReasonField::Field(c.field),
                left: c.left.clone(),
                right: c.right.clone(),
                agreement: crate::ReasonAgreement::Compared(c.agreement),
                weight: c.weight,
            })
            .collect(),
        decided_by: e
            .decided_by
            .map(|(same, field)| crate::Verdict::Decided { same, field }),
        names_swapped: e.names_swapped,
        conflict: e.conflict.as_ref().map(|c| crate::ConflictFact {
            field: c.field,
            left: c.left.to_string(),
            right: c.right.to_string(),
        }),
    }
}

pub(super) fn exact_explanation(kind: SubjectKind, value: &str) -> crate::LinkExplanation {
    crate::LinkExplanation {
        prior_weight: 0.0,
        reasons: vec![crate::LinkReason {
            field: crate::ReasonField::Value { value_of: kind },
            left: Some(value.to_string()),
            right: Some(value.to_string()),
            agreement: crate::ReasonAgreement::Equal { equal: true },
            weight: 0.0,
        }],
        decided_by: Some(crate::Verdict::SameValue { value_of: kind }),
        names_swapped: false,
        conflict: None,
    }
}

/// For each record, the entity id it should carry: a cluster keeps the oldest id among its
/// members' current ids that no cluster with an older id already kept; a cluster without one
/// gets a fresh id. So adding records never renumbers an entity, and a merge keeps the older id.
pub(super) fn stable_ids(
    current: &[String],
    entities: &Entities,
    now: OffsetDateTime,
) -> Vec<String> {
    let mut clusters: std::collections::BTreeMap<u64, Vec<usize>> = Default::default();
    for i in 0..current.len() {
        clusters
            .entry(entities.entity(i as u32))
            .or_default()
            .push(i);
    }
    let mut clusters: Vec<(Vec<&String>, Vec<usize>)> = clusters
        .into_values()
        .map(|members| {
            let mut ids: Vec<&String> = members.iter().map(|m| &current[*m]).collect();
            ids.sort();
            ids.dedup();
            (ids, members)
        })
        .collect();
    clusters.sort();
    let mut claimed: std::collections::HashSet<String> = Default::default();
    let mut out = vec![String::new(); current.len()];
    for (ids, members) in clusters {
        let chosen = ids
            .iter()
            .find(|id| !claimed.contains(**id))
            .map_or_else(|| new_id(now).to_string(), |id| (*id).clone());
        claimed.insert(chosen.clone());
        for m in members {
            out[m] = chosen.clone();
        }
    }
    out
}

/// The judgement in force per pair of `index`ed subjects: the latest of rows ordered by time
/// (left subject, right subject, `confirmed` or `rejected`).
pub(super) fn latest_judgements(
    rows: &[(String, String, String)],
    index: &HashMap<&str, u32>,
) -> Result<Vec<(u32, u32, Judgement)>> {
    let mut latest: HashMap<(u32, u32), Judgement> = HashMap::new();
    for (l, rr, judgement) in rows {
        if let (Some(a), Some(b)) = (index.get(l.as_str()), index.get(rr.as_str())) {
            let j = if judgement == "confirmed" {
                Judgement::Confirmed
            } else {
                Judgement::Rejected
            };
            latest.insert((*a.min(b), *a.max(b)), j);
        }
    }
    Ok(latest.into_iter().map(|((a, b), j)| (a, b, j)).collect())
}

/// Binds a list of values as `($1, $2, …)` after `head`.
pub(super) fn push_in<'a>(qb: &mut QueryBuilder<'a, Db>, values: &'a [String]) {
    qb.push("(");
    let mut sep = qb.separated(", ");
    for v in values {
        sep.push_bind(v.as_str());
    }
    sep.push_unseparated(")");
}

pub(super) fn subject_from_row(r: &DbRow) -> Result<Subject> {
    super::rows::SubjectRow::from_row(r)?.into_subject()
}

/// "a subject the caller may see": a signal naming it is visible.
pub(super) fn push_subject_visible(
    qb: &mut QueryBuilder<'_, Db>,
    column: &str,
    caller: &Caller,
    today: Date,
) {
    qb.push(format!(
        "EXISTS (SELECT 1 FROM signal_subject vs JOIN signal s ON s.id = vs.signal_id WHERE vs.subject_id = {column} AND "
    ));
    push_visible(qb, caller, today);
    qb.push(")");
}

/// When the subjects of a save are linked and its counts added to the tally: at once (a form,
/// the API, a finding), or — in a bulk import — collected and done when the import commits
/// (see [`EngineStore::link_imported`]; counts added once, not batch after batch to the same
/// rows of a long transaction).
pub(super) enum Linking<'a> {
    Now,
    Deferred(&'a mut Deferred),
}

/// What a bulk import keeps until it commits.
#[derive(Default)]
pub(super) struct Deferred {
    pub(super) subjects: Vec<DeferredMention>,
    pub(super) counts: super::tally::NewCounts,
}

/// A subject of a bulk import, kept until the import commits: just its id and kind (a
/// million-row import keeps three million), its details stay in the database.
pub(super) struct DeferredMention {
    pub(super) id: Uuid,
    pub(super) kind: SubjectKind,
}

/// Imports at most this many mentions of a kind per linking pass (bounded memory).
pub(super) const IMPORT_LINK_CHUNK: usize = 2_000;

/// Value counts read for one save (see [`EngineStore::term_counts`]).
#[derive(Default)]
pub(super) struct TermCounts {
    pub(super) n: HashMap<(Slot, String), i64>,
    pub(super) totals: HashMap<Slot, (i64, i64)>,
}

impl TermCounts {
    fn factors(&self) -> baken_link::FixedFactors {
        let mut f = baken_link::FixedFactors::default();
        for ((slot, value), n) in &self.n {
            if let Some((total, squares)) = self.totals.get(slot) {
                let factor = baken_link::model::term_factor(
                    u64::try_from(*n).unwrap_or(0),
                    u64::try_from(*total).unwrap_or(0),
                    u64::try_from(*squares).unwrap_or(0),
                );
                f.0.insert((*slot, value.as_str().into()), factor);
            }
        }
        f
    }
}

/// How subjects of one kind are linked in a save (see [`EngineStore::link_settings`]).
pub(super) struct KindLinking {
    pub(super) model: Model,
    pub(super) threshold: f64,
    pub(super) counts: TermCounts,
    pub(super) factors: baken_link::FixedFactors,
}

/// A new subject, as `insert_signals` hands it to linking.
pub(super) struct NewMention<'a> {
    pub(super) id: &'a str,
    pub(super) kind: SubjectKind,
    pub(super) normalised: &'a str,
    pub(super) details: &'a SubjectDetails,
    /// The keyed hash of a person's BSN, when one was recorded.
    pub(super) bsn_hash: Option<&'a str>,
}

/// Sets `column` to the second of each pair on the row whose `key` is the first: one
/// statement per few thousand rows (`UPDATE … FROM (VALUES …)`, on both engines).
pub(super) async fn update_pairs(
    tx: &mut Transaction<'static, Db>,
    table: &str,
    column: &str,
    key: &str,
    pairs: &[(String, String)],
) -> Result<()> {
    for part in pairs.chunks(5_000) {
        let mut qb = QueryBuilder::<Db>::new(format!(
            "UPDATE {table} SET {column} = v.column2 FROM (VALUES "
        ));
        let mut sep = qb.separated(", ");
        for (k, v) in part {
            sep.push("(")
                .push_bind_unseparated(k.as_str())
                .push_unseparated(", ")
                .push_bind_unseparated(v.as_str())
                .push_unseparated(")");
        }
        qb.push(format!(") AS v WHERE {table}.{key} = v.column1"));
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

impl EngineStore {
    pub(super) async fn threshold_of(
        tx: &mut Transaction<'static, Db>,
        kind: SubjectKind,
    ) -> Result<f64> {
        let set: Option<f64> =
            sqlx::query_scalar("SELECT threshold FROM link_threshold WHERE kind = $1")
                .bind(kind.slug())
                .fetch_optional(&mut **tx)
                .await?;
        Ok(set.unwrap_or(baken_link::DEFAULT_THRESHOLD))
    }

    /// What linking the subjects of one save needs per kind: the stored model (or the prior
    /// for the fields present), the threshold, the value counts of the subjects' own values
    /// (an exact agreement can only be on those) and the per-slot totals. Two statements,
    /// whatever the number of kinds.
    pub(super) async fn link_settings(
        tx: &mut Transaction<'static, Db>,
        records: &[(SubjectKind, &Prepared)],
    ) -> Result<HashMap<SubjectKind, KindLinking>> {
        let mut kinds: Vec<SubjectKind> = records.iter().map(|(k, _)| *k).collect();
        kinds.sort();
        kinds.dedup();
        if kinds.is_empty() {
            return Ok(HashMap::new());
        }
        let slugs: Vec<String> = kinds.iter().map(|k| k.slug().to_string()).collect();
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT 'm' AS what, kind, CAST(NULL AS TEXT) AS slot, model AS text, \
             CAST(NULL AS DOUBLE PRECISION) AS number, CAST(NULL AS BIGINT) AS total, \
             CAST(NULL AS BIGINT) AS squares FROM link_model WHERE kind IN ",
        );
        push_in(&mut qb, &slugs);
        qb.push(
            " UNION ALL SELECT 't', kind, NULL, NULL, threshold, NULL, NULL FROM link_threshold WHERE kind IN ",
        );
        push_in(&mut qb, &slugs);
        qb.push(
            " UNION ALL SELECT 's', kind, slot, NULL, NULL, total, sum_squares FROM subject_term_total WHERE kind IN ",
        );
        push_in(&mut qb, &slugs);
        let mut models: HashMap<SubjectKind, Model> = HashMap::new();
        let mut thresholds: HashMap<SubjectKind, f64> = HashMap::new();
        let mut counts: HashMap<SubjectKind, TermCounts> = HashMap::new();
        let rows: Vec<SettingRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        for r in rows {
            let kind = parse_enum(SubjectKind::parse(&r.kind))?;
            match r.what.as_str() {
                "m" => {
                    let text = r.text.unwrap_or_default();
                    // A model that no longer parses (an older version) falls back to the prior.
                    if let Ok(model) = serde_json::from_str::<Model>(&text) {
                        models.insert(kind, model);
                    }
                }
                "t" => {
                    if let Some(t) = r.number {
                        thresholds.insert(kind, t);
                    }
                }
                _ => {
                    let slot = r.slot.unwrap_or_default();
                    if let Some(slot) = Slot::ALL.iter().copied().find(|s| slot_slug(*s) == slot) {
                        let total = r.total.unwrap_or(0);
                        let squares = r.squares.unwrap_or(0);
                        counts
                            .entry(kind)
                            .or_default()
                            .totals
                            .insert(slot, (total, squares));
                    }
                }
            }
        }
        let mut wanted: Vec<(SubjectKind, Slot, &str)> = Vec::new();
        for (kind, r) in records {
            for slot in Slot::ALL.iter().copied().filter(|s| s.term_frequencies()) {
                if let Some(v) = r.get(slot) {
                    wanted.push((*kind, slot, v));
                }
            }
        }
        wanted.sort();
        wanted.dedup();
        // A bounded number of terms per statement (SQLite limits expression depth).
        for part in wanted.chunks(200) {
            let mut qb =
                QueryBuilder::<Db>::new("SELECT kind, slot, value, n FROM subject_term WHERE ");
            for (i, (kind, slot, v)) in part.iter().enumerate() {
                if i > 0 {
                    qb.push(" OR ");
                }
                qb.push("(kind = ")
                    .push_bind(kind.slug())
                    .push(" AND slot = ")
                    .push_bind(slot_slug(*slot))
                    .push(" AND value = ")
                    .push_bind(*v)
                    .push(")");
            }
            let terms: Vec<(String, String, String, i64)> =
                qb.build_query_as().fetch_all(&mut **tx).await?;
            for (kind, slot, value, n) in terms {
                let kind = parse_enum(SubjectKind::parse(&kind))?;
                if let Some(slot) = Slot::ALL.iter().copied().find(|s| slot_slug(*s) == slot) {
                    counts.entry(kind).or_default().n.insert((slot, value), n);
                }
            }
        }
        Ok(kinds
            .into_iter()
            .map(|kind| {
                let model = models.remove(&kind).unwrap_or_else(|| {
                    let slots: Vec<Slot> = Slot::ALL
                        .iter()
                        .copied()
                        .filter(|s| {
                            records
                                .iter()
                                .any(|(k, r)| *k == kind && r.get(*s).is_some())
                        })
                        .collect();
                    Model::prior(&slots)
                });
                let linking = KindLinking {
                    threshold: thresholds
                        .get(&kind)
                        .copied()
                        .unwrap_or(baken_link::DEFAULT_THRESHOLD),
                    factors: counts
                        .get(&kind)
                        .map(TermCounts::factors)
                        .unwrap_or_default(),
                    counts: counts.remove(&kind).unwrap_or_default(),
                    model,
                };
                (kind, linking)
            })
            .collect())
    }

    /// Adds the values of new subjects to the counts read by [`Self::link_settings`]: two
    /// statements for all kinds.
    pub(super) async fn count_terms(
        tx: &mut Transaction<'static, Db>,
        records: &[(SubjectKind, &Prepared)],
        settings: &HashMap<SubjectKind, KindLinking>,
    ) -> Result<()> {
        let mut added: HashMap<(SubjectKind, Slot, &str), i64> = HashMap::new();
        for (kind, r) in records {
            for slot in Slot::ALL.iter().copied().filter(|s| s.term_frequencies()) {
                if let Some(v) = r.get(slot) {
                    *added.entry((*kind, slot, v)).or_default() += 1;
                }
            }
        }
        if added.is_empty() {
            return Ok(());
        }
        // n² grows by (n + k)² − n² when k records of a value join n.
        let mut totals: HashMap<(SubjectKind, Slot), (i64, i64)> = HashMap::new();
        for ((kind, slot, v), k) in &added {
            let n = settings
                .get(kind)
                .and_then(|s| s.counts.n.get(&(*slot, (*v).to_string())))
                .copied()
                .unwrap_or(0);
            let t = totals.entry((*kind, *slot)).or_default();
            t.0 += k;
            t.1 += (n + k) * (n + k) - n * n;
        }
        let added: Vec<((SubjectKind, Slot, &str), i64)> = added.into_iter().collect();
        for part in added.chunks(1_000) {
            let mut qb =
                QueryBuilder::<Db>::new("INSERT INTO subject_term (kind, slot, value, n) ");
            qb.push_values(part, |mut b, ((kind, slot, v), k)| {
                b.push_bind(kind.slug())
                    .push_bind(slot_slug(*slot))
                    .push_bind(v.to_string())
                    .push_bind(*k);
            });
            qb.push(
                " ON CONFLICT (kind, slot, value) DO UPDATE SET n = subject_term.n + excluded.n",
            );
            qb.build().execute(&mut **tx).await?;
        }
        let totals: Vec<((SubjectKind, Slot), (i64, i64))> = totals.into_iter().collect();
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO subject_term_total (kind, slot, total, sum_squares) ",
        );
        qb.push_values(&totals, |mut b, ((kind, slot), (t, sq))| {
            b.push_bind(kind.slug())
                .push_bind(slot_slug(*slot))
                .push_bind(*t)
                .push_bind(*sq);
        });
        qb.push(
            " ON CONFLICT (kind, slot) DO UPDATE SET total = subject_term_total.total + excluded.total, \
             sum_squares = subject_term_total.sum_squares + excluded.sum_squares",
        );
        qb.build().execute(&mut **tx).await?;
        Ok(())
    }

    /// Links the subjects of a bulk import inside its transaction when the stored models can
    /// serve them: every scored kind has a model estimated on at least as many subjects as
    /// the import brings (so a small import into a large store links like saves do, a few
    /// thousand at a time). Otherwise each subject gets an entity of its own and `false`
    /// says a relink should follow the commit (it estimates the models from all the data).
    pub(super) async fn link_imported(
        tx: &mut Transaction<'static, Db>,
        deferred: &[DeferredMention],
        link: bool,
        now: OffsetDateTime,
    ) -> Result<bool> {
        if link && Self::models_serve(tx, deferred).await? {
            for chunk in deferred.chunks(IMPORT_LINK_CHUNK) {
                let ids: Vec<String> = chunk.iter().map(|m| m.id.to_string()).collect();
                let mut qb = QueryBuilder::<Db>::new(
                    "SELECT id, kind, original, normalised, details, bsn_hash FROM subject WHERE id IN ",
                );
                push_in(&mut qb, &ids);
                let rows = qb.build().fetch_all(&mut **tx).await?;
                let subjects: Vec<Subject> =
                    rows.iter().map(subject_from_row).collect::<Result<_>>()?;
                let hashes: Vec<Option<String>> = rows
                    .iter()
                    .map(|r| sqlx::Row::try_get::<Option<String>, _>(r, "bsn_hash"))
                    .collect::<std::result::Result<_, _>>()?;
                let ids: Vec<String> = subjects.iter().map(|s| s.id.to_string()).collect();
                let mentions: Vec<NewMention<'_>> = subjects
                    .iter()
                    .zip(&ids)
                    .zip(&hashes)
                    .map(|((s, id), bsn_hash)| NewMention {
                        id,
                        kind: s.kind,
                        normalised: &s.normalised,
                        details: &s.details,
                        bsn_hash: bsn_hash.as_deref(),
                    })
                    .collect();
                Self::link_new_subjects(tx, &mentions, now).await?;
            }
            return Ok(true);
        }
        for chunk in deferred.chunks(50_000) {
            let own: Vec<(String, SubjectKind)> =
                chunk.iter().map(|m| (m.id.to_string(), m.kind)).collect();
            Self::own_entities(tx, &own, now).await?;
        }
        Ok(false)
    }

    pub(super) async fn models_serve(
        tx: &mut Transaction<'static, Db>,
        mentions: &[DeferredMention],
    ) -> Result<bool> {
        let mut brought: HashMap<SubjectKind, i64> = HashMap::new();
        for m in mentions.iter().filter(|m| !exact_kind(m.kind)) {
            *brought.entry(m.kind).or_default() += 1;
        }
        if brought.is_empty() {
            return Ok(true);
        }
        let mut estimated_on: HashMap<String, i64> = HashMap::new();
        let models: Vec<(String, Option<i64>, i64)> =
            sqlx::query_as("SELECT kind, subjects, key_scheme FROM link_model")
                .fetch_all(&mut **tx)
                .await?;
        for (kind, subjects, key_scheme) in models {
            // Stored keys of another version would not meet the new subjects' keys.
            if key_scheme != baken_link::block::KEY_SCHEME {
                return Ok(false);
            }
            estimated_on.insert(kind, subjects.unwrap_or(0));
        }
        Ok(brought
            .iter()
            .all(|(kind, n)| estimated_on.get(kind.slug()).is_some_and(|on| on >= n)))
    }

    /// Gives each new subject an entity of its own, without keys or scoring
    /// (a bulk import links them all afterwards with a relink).
    pub(super) async fn own_entities(
        tx: &mut Transaction<'static, Db>,
        subjects: &[(String, SubjectKind)],
        now: OffsetDateTime,
    ) -> Result<()> {
        let fresh: Vec<(String, SubjectKind)> = subjects
            .iter()
            .map(|(_, kind)| (new_id(now).to_string(), *kind))
            .collect();
        let members: Vec<(&str, String)> = subjects
            .iter()
            .zip(&fresh)
            .map(|((id, _), (e, _))| (id.as_str(), e.clone()))
            .collect();
        Self::create_entities(tx, &fresh, &members, now).await
    }

    /// Inserts `fresh` entities and the memberships of new subjects.
    pub(super) async fn create_entities(
        tx: &mut Transaction<'static, Db>,
        fresh: &[(String, SubjectKind)],
        members: &[(&str, String)],
        now: OffsetDateTime,
    ) -> Result<()> {
        let at = ts(now);
        insert_rows(
            tx,
            "INSERT INTO entity (id, kind, merged_into, created_at) ",
            fresh,
            4,
            |b, (id, kind)| {
                b.push_bind(id.clone())
                    .push_bind(kind.slug())
                    .push_bind(None::<String>)
                    .push_bind(at.clone());
            },
        )
        .await?;
        insert_rows(
            tx,
            "INSERT INTO entity_member (subject_id, entity_id) ",
            members,
            2,
            |b, (subject, entity)| {
                b.push_bind(subject.to_string()).push_bind(entity.clone());
            },
        )
        .await
    }
}

#[async_trait]
impl crate::LinkStore for EngineStore {
    async fn subject_entity(
        &self,
        caller: &Caller,
        subject: Uuid,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        self.subject_entity_impl(caller, subject, now).await
    }

    async fn entity_kind(
        &self,
        caller: &Caller,
        entity: Uuid,
        now: OffsetDateTime,
    ) -> Result<SubjectKind> {
        self.entity_kind_impl(caller, entity, now).await
    }

    async fn link_thresholds(&self) -> Result<Vec<(SubjectKind, f64)>> {
        self.link_thresholds_impl().await
    }

    async fn link_keys_current(&self) -> Result<bool> {
        self.link_keys_current_impl().await
    }

    async fn set_link_threshold(
        &self,
        caller: &Caller,
        setting: baken_link::KindThreshold,
        now: OffsetDateTime,
    ) -> Result<()> {
        self.set_link_threshold_impl(caller, setting, now).await
    }

    async fn relink(
        &self,
        actor: &Actor,
        progress: &dyn crate::RelinkProgress,
        now: OffsetDateTime,
    ) -> Result<crate::RelinkSummary> {
        self.relink_impl(actor, progress, now).await
    }
}
