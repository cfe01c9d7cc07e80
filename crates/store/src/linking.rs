// Linking in the store, compiled once per engine after `engine.rs` (same `Db` and
// `EngineStore`). Subjects (one per mention in a signal) are the records; entities group them
// under ids that stay stable. The scoring itself is `baken-link`'s; this file keeps its
// inputs (blocking keys, value counts, the estimated model) and outputs (scored pairs with
// their explanation, judgements, entities) in the database.

use baken_core::subject::SubjectDetails;
use baken_link::compare::{FieldKind, Prepared, Slot};
use baken_link::{Entities, Judgement, Model, TermFactor};

/// Values bound in one `IN (…)` list at most.
const IN_LIST: usize = 5_000;
/// Pairs scoring at least this are kept (as links or suggestions).
const SUGGEST_FLOOR: f64 = 0.3;

/// Kinds whose subjects are the same exactly when their normalised value is (a plate, a
/// phone number, an e-mail address, an IBAN): no probabilistic scoring.
fn exact_kind(kind: SubjectKind) -> bool {
    matches!(
        kind,
        SubjectKind::Vehicle | SubjectKind::Phone | SubjectKind::Email | SubjectKind::Iban
    )
}

/// The fields the linker compares for a subject.
fn link_fields(details: &SubjectDetails) -> Vec<(FieldKind, String)> {
    match details {
        SubjectDetails::Person { name, birth_date } => {
            let mut f = vec![(FieldKind::FullName, name.clone())];
            if let Some(d) = birth_date {
                f.push((FieldKind::DateOfBirth, date(*d)));
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

/// The stored comparable form of a subject (see `Prepared::encode`).
fn link_form(details: &SubjectDetails) -> String {
    Prepared::new(&link_fields(details)).encode()
}

/// A candidate's comparable form: the stored one, or (for subjects from before it was kept)
/// normalised from its details.
fn candidate_form(r: &DbRow) -> Result<Prepared> {
    if let Some(p) = get::<Option<String>>(r, "link_form")?.and_then(|f| Prepared::decode(&f)) {
        return Ok(p);
    }
    let details = get::<Option<String>>(r, "details")?
        .ok_or_else(|| StoreError::Corrupt("onleesbare koppelvorm van een betrokkene".into()))?;
    let details: SubjectDetails =
        serde_json::from_str(&details).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(Prepared::new(&link_fields(&details)))
}

fn slot_slug(slot: Slot) -> &'static str {
    slot.kind().slug()
}

fn ordered_pair(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

fn explanation_of(e: &baken_link::Explanation) -> crate::LinkExplanation {
    crate::LinkExplanation {
        prior_weight: e.prior_weight,
        reasons: e
            .contributions
            .iter()
            .map(|c| crate::LinkReason {
                field: c.field.label().to_string(),
                left: c.left.clone(),
                right: c.right.clone(),
                level: c.level.to_string(),
                weight: c.weight,
            })
            .collect(),
        decided_by: e.decided_by.map(|(same, kind)| {
            if same {
                format!("zelfde {}", kind.label())
            } else {
                format!("verschillend {}", kind.label())
            }
        }),
        names_swapped: e.names_swapped,
    }
}

fn exact_explanation(kind: SubjectKind, value: &str) -> crate::LinkExplanation {
    crate::LinkExplanation {
        prior_weight: 0.0,
        reasons: vec![crate::LinkReason {
            field: kind.label().to_string(),
            left: Some(value.to_string()),
            right: Some(value.to_string()),
            level: "gelijk".into(),
            weight: 0.0,
        }],
        decided_by: Some(format!("zelfde {}", kind.label().to_lowercase())),
        names_swapped: false,
    }
}

/// For each record, the entity id it should carry: a cluster keeps the oldest id among its
/// members' current ids that no cluster with an older id already kept; a cluster without one
/// gets a fresh id. So adding records never renumbers an entity, and a merge keeps the older id.
fn stable_ids(current: &[String], entities: &Entities) -> Vec<String> {
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
            .map_or_else(|| Uuid::now_v7().to_string(), |id| (*id).clone());
        claimed.insert(chosen.clone());
        for m in members {
            out[m] = chosen.clone();
        }
    }
    out
}

/// The judgement in force per pair of `index`ed subjects: the latest of rows ordered by time
/// (columns left_subject, right_subject, judgement).
fn latest_judgements(
    rows: &[DbRow],
    index: &HashMap<&str, u32>,
) -> Result<Vec<(u32, u32, Judgement)>> {
    let mut latest: HashMap<(u32, u32), Judgement> = HashMap::new();
    for r in rows {
        let (l, rr): (String, String) = (get(r, "left_subject")?, get(r, "right_subject")?);
        if let (Some(a), Some(b)) = (index.get(l.as_str()), index.get(rr.as_str())) {
            let j = if get::<String>(r, "judgement")? == "confirmed" {
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
fn push_in<'a>(qb: &mut QueryBuilder<'a, Db>, values: &'a [String]) {
    qb.push("(");
    let mut sep = qb.separated(", ");
    for v in values {
        sep.push_bind(v.as_str());
    }
    sep.push_unseparated(")");
}

fn subject_from_row(r: &DbRow) -> Result<Subject> {
    let details: String = get(r, "details")?;
    Ok(Subject {
        id: parse_uuid(&get::<String>(r, "id")?)?,
        kind: parse_enum(SubjectKind::parse(&get::<String>(r, "kind")?))?,
        original: get(r, "original")?,
        normalised: get(r, "normalised")?,
        details: serde_json::from_str(&details).map_err(|e| StoreError::Corrupt(e.to_string()))?,
    })
}

/// "a subject the caller may see": a signal naming it is visible.
fn push_subject_visible(qb: &mut QueryBuilder<'_, Db>, column: &str, caller: &Caller, today: Date) {
    qb.push(format!(
        "EXISTS (SELECT 1 FROM signal_subject vs JOIN signal s ON s.id = vs.signal_id WHERE vs.subject_id = {column} AND "
    ));
    push_visible(qb, caller, today);
    qb.push(")");
}

/// One blocking key to read from `subject_key` (see each engine's `key_blocks_query`):
/// its first rows, or only its latest subject.
struct KeyBlock<'a> {
    kind: &'static str,
    key: &'a str,
    latest_only: bool,
}

/// When the subjects of a save are linked: at once (a form, the API, a finding), or — in a
/// bulk import — collected and linked when the import commits (see
/// [`EngineStore::link_imported`]).
enum Linking<'a> {
    Now,
    Deferred(&'a mut Vec<DeferredMention>),
}

/// A subject of a bulk import, kept until the import commits: just its id and kind (a
/// million-row import keeps three million), its details stay in the database.
struct DeferredMention {
    id: Uuid,
    kind: SubjectKind,
}

/// Imports at most this many mentions of a kind per linking pass (bounded memory).
const IMPORT_LINK_CHUNK: usize = 2_000;

/// Value counts read for one save (see [`EngineStore::term_counts`]).
#[derive(Default)]
struct TermCounts {
    n: HashMap<(Slot, String), i64>,
    totals: HashMap<Slot, (i64, i64)>,
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
struct KindLinking {
    model: Model,
    threshold: f64,
    counts: TermCounts,
    factors: baken_link::FixedFactors,
}

/// A new subject, as `insert_signals` hands it to linking.
struct NewMention<'a> {
    id: &'a str,
    kind: SubjectKind,
    normalised: &'a str,
    details: &'a SubjectDetails,
}

/// Sets `column` to the second of each pair on the row whose `key` is the first: one
/// statement per few thousand rows (`UPDATE … FROM (VALUES …)`, on both engines).
async fn update_pairs(
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
    async fn threshold_of(tx: &mut Transaction<'static, Db>, kind: SubjectKind) -> Result<f64> {
        let row = sqlx::query("SELECT threshold FROM link_threshold WHERE kind = $1")
            .bind(kind.slug())
            .fetch_optional(&mut **tx)
            .await?;
        Ok(match row {
            Some(r) => get::<f64>(&r, "threshold")?,
            None => baken_link::DEFAULT_THRESHOLD,
        })
    }

    /// What linking the subjects of one save needs per kind: the stored model (or the prior
    /// for the fields present), the threshold, the value counts of the subjects' own values
    /// (an exact agreement can only be on those) and the per-slot totals. Two statements,
    /// whatever the number of kinds.
    async fn link_settings(
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
        for r in qb.build().fetch_all(&mut **tx).await? {
            let kind = parse_enum(SubjectKind::parse(&get::<String>(&r, "kind")?))?;
            match get::<String>(&r, "what")?.as_str() {
                "m" => {
                    let text: String = get::<Option<String>>(&r, "text")?.unwrap_or_default();
                    // A model that no longer parses (an older version) falls back to the prior.
                    if let Ok(model) = serde_json::from_str::<Model>(&text) {
                        models.insert(kind, model);
                    }
                }
                "t" => {
                    if let Some(t) = get::<Option<f64>>(&r, "number")? {
                        thresholds.insert(kind, t);
                    }
                }
                _ => {
                    let slot = get::<Option<String>>(&r, "slot")?.unwrap_or_default();
                    if let Some(slot) = Slot::ALL.iter().copied().find(|s| slot_slug(*s) == slot) {
                        let total = get::<Option<i64>>(&r, "total")?.unwrap_or(0);
                        let squares = get::<Option<i64>>(&r, "squares")?.unwrap_or(0);
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
            for r in qb.build().fetch_all(&mut **tx).await? {
                let kind = parse_enum(SubjectKind::parse(&get::<String>(&r, "kind")?))?;
                let slot: String = get(&r, "slot")?;
                if let Some(slot) = Slot::ALL.iter().copied().find(|s| slot_slug(*s) == slot) {
                    counts
                        .entry(kind)
                        .or_default()
                        .n
                        .insert((slot, get(&r, "value")?), get(&r, "n")?);
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
    async fn count_terms(
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
    async fn link_imported(
        tx: &mut Transaction<'static, Db>,
        deferred: &[DeferredMention],
        link: bool,
        now: OffsetDateTime,
    ) -> Result<bool> {
        if link && Self::models_serve(tx, deferred).await? {
            for chunk in deferred.chunks(IMPORT_LINK_CHUNK) {
                let ids: Vec<String> = chunk.iter().map(|m| m.id.to_string()).collect();
                let mut qb = QueryBuilder::<Db>::new(
                    "SELECT id, kind, original, normalised, details FROM subject WHERE id IN ",
                );
                push_in(&mut qb, &ids);
                let subjects: Vec<Subject> = qb
                    .build()
                    .fetch_all(&mut **tx)
                    .await?
                    .iter()
                    .map(subject_from_row)
                    .collect::<Result<_>>()?;
                let ids: Vec<String> = subjects.iter().map(|s| s.id.to_string()).collect();
                let mentions: Vec<NewMention<'_>> = subjects
                    .iter()
                    .zip(&ids)
                    .map(|(s, id)| NewMention {
                        id,
                        kind: s.kind,
                        normalised: &s.normalised,
                        details: &s.details,
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

    async fn models_serve(
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
        for r in sqlx::query("SELECT kind, subjects FROM link_model")
            .fetch_all(&mut **tx)
            .await?
        {
            estimated_on.insert(
                get(&r, "kind")?,
                get::<Option<i64>>(&r, "subjects")?.unwrap_or(0),
            );
        }
        Ok(brought
            .iter()
            .all(|(kind, n)| estimated_on.get(kind.slug()).is_some_and(|on| on >= n)))
    }

    /// Gives each new subject an entity of its own, without keys or scoring
    /// (a bulk import links them all afterwards with a relink).
    async fn own_entities(
        tx: &mut Transaction<'static, Db>,
        subjects: &[(String, SubjectKind)],
        now: OffsetDateTime,
    ) -> Result<()> {
        let fresh: Vec<(String, SubjectKind)> = subjects
            .iter()
            .map(|(_, kind)| (Uuid::now_v7().to_string(), *kind))
            .collect();
        let members: Vec<(&str, String)> = subjects
            .iter()
            .zip(&fresh)
            .map(|((id, _), (e, _))| (id.as_str(), e.clone()))
            .collect();
        Self::create_entities(tx, &fresh, &members, now).await
    }

    /// Inserts `fresh` entities and the memberships of new subjects.
    async fn create_entities(
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

    /// The stored subjects sharing a blocking key with each new subject, and the comparable
    /// forms of those that are scored. As in batch linking, a key shared by more than
    /// [`baken_link::block::MAX_BLOCK`] subjects is no block (the other keys still meet);
    /// for exact kinds the key is the value itself and its latest mention counts.
    /// Two statements per hundred keys and per five thousand candidates, read from one
    /// key-ordered B-tree and the subject's primary key.
    #[allow(clippy::type_complexity)]
    async fn stored_candidates(
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
            for r in qb.build().fetch_all(&mut **tx).await? {
                let q = usize::try_from(get::<i64>(&r, "q")?).unwrap_or(usize::MAX);
                if let Some(k) = part.get(q) {
                    groups
                        .entry(*k)
                        .or_default()
                        .push((get(&r, "subject_id")?, get(&r, "form")?));
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
        for part in to_read.chunks(IN_LIST) {
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT id, link_form, CASE WHEN link_form IS NULL THEN details END AS details \
                 FROM subject WHERE id IN ",
            );
            push_in(&mut qb, part);
            for r in qb.build().fetch_all(&mut **tx).await? {
                forms.insert(get(&r, "id")?, candidate_form(&r)?);
            }
        }
        Ok((per_mention, forms))
    }

    /// Links subjects just inserted in `tx`: blocking keys, candidates, scores, entities. The
    /// statements are shared across the subjects of one save where they can be.
    async fn link_new_subjects(
        tx: &mut Transaction<'static, Db>,
        mentions: &[NewMention<'_>],
        now: OffsetDateTime,
    ) -> Result<()> {
        if mentions.is_empty() {
            return Ok(());
        }
        let prepared: Vec<Prepared> = mentions
            .iter()
            .map(|m| Prepared::new(&link_fields(m.details)))
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
                    if probability >= *threshold {
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
    async fn join_entities(
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
            for r in qb.build().fetch_all(&mut **tx).await? {
                entity_of.insert(get(&r, "subject_id")?, get(&r, "entity_id")?);
            }
        }
        let mut fresh: Vec<(String, SubjectKind)> = Vec::new();
        let mut members: Vec<(&str, String)> = Vec::with_capacity(mentions.len());
        let mut bridging: Vec<usize> = Vec::new();
        for (i, (m, linked)) in mentions.iter().zip(linked_to).enumerate() {
            let targets: std::collections::BTreeSet<&String> =
                linked.iter().filter_map(|s| entity_of.get(s)).collect();
            let entity = match targets.into_iter().collect::<Vec<_>>().as_slice() {
                [one] => (*one).clone(),
                more => {
                    if more.len() > 1 {
                        bridging.push(i);
                    }
                    let own = Uuid::now_v7().to_string();
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
            let entities: Vec<String> = qb
                .build()
                .fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| get::<String>(r, "entity_id"))
                .collect::<Result<_>>()?;
            if !Self::judged_within(tx, &entities).await? {
                // Nobody judged any of them: the entities simply become one.
                Self::merge_entities(tx, entities).await?;
                continue;
            }
            // Judgements first: regroup every entity it links, itself included.
            let mut group = Self::members_of_entities_of(tx, &linked_to[i]).await?;
            group.push(mentions[i].id.to_string());
            Self::regroup(tx, mentions[i].kind, group, now).await?;
        }
        Ok(())
    }

    /// Whether a judgement in force names a member of one of `entities`. Driven by the
    /// judgements (made by people, so few) rather than the members (a busy address has
    /// thousands).
    async fn judged_within(tx: &mut Transaction<'static, Db>, entities: &[String]) -> Result<bool> {
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
    async fn merge_entities(
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
    async fn regroup(
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
            for r in qb.build().fetch_all(&mut **tx).await? {
                let s: String = get(&r, "subject_id")?;
                if let Some(i) = index.get(s.as_str()) {
                    current[*i as usize] = get(&r, "entity_id")?;
                }
            }
            // One list only: with two, SQLite probes every combination of the two.
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT left_subject, right_subject, probability FROM subject_link WHERE left_subject IN ",
            );
            push_in(&mut qb, part);
            qb.push(" AND probability >= ").push_bind(threshold);
            for r in qb.build().fetch_all(&mut **tx).await? {
                let (l, rr): (String, String) =
                    (get(&r, "left_subject")?, get(&r, "right_subject")?);
                if let (Some(a), Some(b)) = (index.get(l.as_str()), index.get(rr.as_str())) {
                    links.push((*a, *b, get(&r, "probability")?));
                }
            }
        }
        let judgements = Self::judgements_among(tx, &subjects, &index).await?;
        let entities = Entities::build(subjects.len(), &judgements, &mut links);
        let target = stable_ids(&current, &entities);
        Self::write_entities(tx, kind, &subjects, &current, &target, now).await
    }

    /// The judgements in force among `subjects` (the latest per pair).
    async fn judgements_among(
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
            rows.extend(qb.build().fetch_all(&mut **tx).await?);
        }
        latest_judgements(&rows, index)
    }

    /// Writes the new grouping: changed memberships, fresh entities, and redirects from
    /// entities that lost all their members to where most of them went. A few multi-row
    /// statements however many subjects moved (a relink regroups a whole kind).
    async fn write_entities(
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

    /// Follows merges to the entity that holds the members now.
    async fn resolve_entity(
        tx: &mut Transaction<'static, Db>,
        id: &str,
    ) -> Result<Option<(String, SubjectKind)>> {
        let mut id = id.to_string();
        for _ in 0..64 {
            let Some(r) = sqlx::query("SELECT kind, merged_into FROM entity WHERE id = $1")
                .bind(&id)
                .fetch_optional(&mut **tx)
                .await?
            else {
                return Ok(None);
            };
            match get::<Option<String>>(&r, "merged_into")? {
                Some(next) => id = next,
                None => {
                    let kind = parse_enum(SubjectKind::parse(&get::<String>(&r, "kind")?))?;
                    return Ok(Some((id, kind)));
                }
            }
        }
        Err(StoreError::Corrupt("entiteit verwijst in een kring".into()))
    }

    async fn visible_subjects_of(
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

    async fn entity_kind_impl(
        &self,
        caller: &Caller,
        entity: Uuid,
        now: OffsetDateTime,
    ) -> Result<SubjectKind> {
        let mut tx = self.pool.begin().await?;
        let (id, kind) = Self::resolve_entity(&mut tx, &entity.to_string())
            .await?
            .ok_or(StoreError::NotFound)?;
        if Self::visible_subjects_of(&mut tx, caller, &id, now.date())
            .await?
            .is_empty()
        {
            return Err(StoreError::NotFound);
        }
        Ok(kind)
    }

    async fn subject_entity_impl(
        &self,
        caller: &Caller,
        subject: Uuid,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let mut tx = self.pool.begin().await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT em.entity_id FROM entity_member em WHERE em.subject_id = ",
        );
        qb.push_bind(subject.to_string()).push(" AND ");
        push_subject_visible(&mut qb, "em.subject_id", caller, now.date());
        let row = qb
            .build()
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        parse_uuid(&get::<String>(&row, "entity_id")?)
    }

    async fn dossier_impl(
        &self,
        caller: &Caller,
        entity: Uuid,
        reason: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<crate::Dossier> {
        let today = now.date();
        let (mut tx, slot) = self.begin_audited().await?;
        let (id, kind) = Self::resolve_entity(&mut tx, &entity.to_string())
            .await?
            .ok_or(StoreError::NotFound)?;
        let subjects = Self::visible_subjects_of(&mut tx, caller, &id, today).await?;
        if subjects.is_empty() {
            return Err(StoreError::NotFound);
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if kind == SubjectKind::Person && reason.is_none_or(|r| r.chars().count() < 5) {
            let mut e = baken_core::ValidationErrors::new();
            e.push("reden", "noem waarom u dit persoonsdossier opent (een zaak of een reden van minstens 5 tekens)");
            return Err(StoreError::Invalid(e));
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
        push_visible(&mut qb, caller, today);
        qb.push(" ORDER BY s.received_at DESC, s.id DESC LIMIT 200");
        let rows = qb.build().fetch_all(&mut *tx).await?;
        let mut signals = rows
            .iter()
            .map(signal_from_row)
            .collect::<Result<Vec<_>>>()?;
        Self::attach_codes(&mut tx, &mut signals).await?;

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
        let rows = qb.build().fetch_all(&mut *tx).await?;
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
            qb.build().fetch_all(&mut *tx).await?
        };
        // Other subjects named in links and judgements.
        let mut outside: Vec<String> = Vec::new();
        for r in rows.iter().chain(judged.iter()) {
            for c in ["left_subject", "right_subject"] {
                let s: String = get(r, c)?;
                if !by_id.contains_key(&s) {
                    outside.push(s);
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
                .fetch_all(&mut *tx)
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
        for r in &judged {
            let (l, rr): (String, String) = (get(r, "left_subject")?, get(r, "right_subject")?);
            let undone_at = get::<Option<String>>(r, "undone_at")?
                .map(|t| parse_ts(&t))
                .transpose()?;
            let confirmed = get::<String>(r, "judgement")? == "confirmed";
            if undone_at.is_none() {
                latest_judgement
                    .entry(ordered_pair(&l, &rr))
                    .or_insert(confirmed);
            }
            if let (Some(left), Some(right)) = (subject_of(&l), subject_of(&rr)) {
                judgements.push(crate::JudgementEntry {
                    id: parse_uuid(&get::<String>(r, "id")?)?,
                    left,
                    right,
                    confirmed,
                    reason: get(r, "reason")?,
                    by_name: get(r, "display_name")?,
                    at: parse_ts(&get::<String>(r, "at")?)?,
                    undone_at,
                });
            }
        }
        let mut links = Vec::new();
        let mut suggestions = Vec::new();
        for r in &rows {
            let (l, rr): (String, String) = (get(r, "left_subject")?, get(r, "right_subject")?);
            let (le, re): (String, String) = (get(r, "left_entity")?, get(r, "right_entity")?);
            // Present the pair from this entity's side.
            let (mine, theirs, their_entity) = if by_id.contains_key(&l) {
                (l.clone(), rr.clone(), re.clone())
            } else {
                (rr.clone(), l.clone(), le.clone())
            };
            let (Some(left), Some(right)) = (subject_of(&mine), subject_of(&theirs)) else {
                continue;
            };
            let probability: f64 = get(r, "probability")?;
            let explanation: crate::LinkExplanation =
                serde_json::from_str(&get::<String>(r, "explanation")?)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let judged = latest_judgement.get(&ordered_pair(&l, &rr)).copied();
            let state = match judged {
                Some(true) => crate::LinkState::Confirmed,
                Some(false) => crate::LinkState::Rejected,
                None if probability >= threshold => crate::LinkState::Automatic,
                None => crate::LinkState::Suggested,
            };
            let link = crate::SubjectLink {
                left,
                right,
                right_entity: parse_uuid(&their_entity)?,
                probability,
                weight: get(r, "weight")?,
                explanation,
                state,
            };
            if le == re {
                links.push(link);
            } else if state != crate::LinkState::Rejected {
                suggestions.push(link);
            }
        }

        // Relations from or to the entity's subjects, in signals the caller may see.
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT r.kind, r.from_subject, r.to_subject, ef.entity_id AS from_entity, et.entity_id AS to_entity, \
             xf.kind AS from_kind, xt.kind AS to_kind, xf.original AS from_text, xt.original AS to_text \
             FROM relation r JOIN signal s ON s.id = r.source_signal \
             JOIN entity_member ef ON ef.subject_id = r.from_subject JOIN entity_member et ON et.subject_id = r.to_subject \
             JOIN subject xf ON xf.id = r.from_subject JOIN subject xt ON xt.id = r.to_subject WHERE (r.from_subject IN ",
        );
        push_in(&mut qb, &ids);
        qb.push(" OR r.to_subject IN ");
        push_in(&mut qb, &ids);
        qb.push(") AND ");
        push_visible(&mut qb, caller, today);
        let mut related = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for r in qb.build().fetch_all(&mut *tx).await? {
            let outgoing = ids.contains(&get::<String>(&r, "from_subject")?);
            let (entity, kind_col, text_col) = if outgoing {
                (get::<String>(&r, "to_entity")?, "to_kind", "to_text")
            } else {
                (get::<String>(&r, "from_entity")?, "from_kind", "from_text")
            };
            let relation = parse_enum(RelationKind::parse(&get::<String>(&r, "kind")?))?;
            if entity == id || !seen.insert((entity.clone(), relation, outgoing)) {
                continue;
            }
            related.push(crate::RelatedEntity {
                relation,
                outgoing,
                entity: parse_uuid(&entity)?,
                kind: parse_enum(SubjectKind::parse(&get::<String>(&r, kind_col)?))?,
                display: get(&r, text_col)?,
            });
        }

        let mut fields = caller_fields(caller);
        if let Some(r) = reason {
            fields.purpose = r.to_string();
        }
        let event = AuditRecord::success(
            "dossier.read",
            "entity",
            Some(id.clone()),
            format!(
                "kind={} subjects={} signals={}",
                kind.slug(),
                subjects.len(),
                signals.len()
            ),
        );
        Self::commit_audited(tx, slot, fields, event, now).await?;
        Ok(crate::Dossier {
            entity: parse_uuid(&id)?,
            kind,
            subjects,
            signals,
            links,
            suggestions,
            judgements,
            related,
        })
    }

    async fn merge_dossiers_impl(
        &self,
        caller: &Caller,
        entity: Uuid,
        other: Uuid,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        if !caller.may_judge_links() {
            return Err(StoreError::Forbidden(
                "alleen een analist mag dossiers samenvoegen".into(),
            ));
        }
        let other_field = |message: String| {
            let mut e = baken_core::ValidationErrors::new();
            e.push("ander", message);
            StoreError::Invalid(e)
        };
        let today = now.date();
        let mut tx = self.pool.begin().await?;
        let Some((mine, kind)) = Self::resolve_entity(&mut tx, &entity.to_string()).await? else {
            return Err(StoreError::NotFound);
        };
        let left = Self::visible_subjects_of(&mut tx, caller, &mine, today)
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        // Unknown and invisible read the same, so the answer reveals nothing.
        let unknown = || other_field("geen dossier dat u mag zien met dit nummer".into());
        let Some((theirs, other_kind)) = Self::resolve_entity(&mut tx, &other.to_string()).await?
        else {
            return Err(unknown());
        };
        let right = Self::visible_subjects_of(&mut tx, caller, &theirs, today)
            .await?
            .into_iter()
            .next()
            .ok_or_else(unknown)?;
        tx.rollback().await?;
        if theirs == mine {
            return Err(other_field("dit is hetzelfde dossier".into()));
        }
        if kind != other_kind {
            return Err(other_field(format!(
                "dit dossier gaat over een {}, het andere over een {}",
                kind.label().to_lowercase(),
                other_kind.label().to_lowercase()
            )));
        }
        self.judge_link_impl(caller, left.id, right.id, true, reason, now)
            .await
    }

    async fn judge_link_impl(
        &self,
        caller: &Caller,
        left: Uuid,
        right: Uuid,
        confirmed: bool,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        if !caller.may_judge_links() {
            return Err(StoreError::Forbidden(
                "alleen een analist mag koppelingen beoordelen".into(),
            ));
        }
        let reason = reason.trim();
        if reason.chars().count() < 3 {
            let mut e = baken_core::ValidationErrors::new();
            e.push("reden", "leg in een paar woorden uit waarom");
            return Err(StoreError::Invalid(e));
        }
        if left == right {
            let mut e = baken_core::ValidationErrors::new();
            e.push("rechts", "kies twee verschillende betrokkenen");
            return Err(StoreError::Invalid(e));
        }
        let today = now.date();
        let (mut tx, slot) = self.begin_audited().await?;
        let (l, r) = ordered_pair(&left.to_string(), &right.to_string());
        let pair = [l.clone(), r.clone()];
        let mut qb = QueryBuilder::<Db>::new("SELECT x.id, x.kind FROM subject x WHERE x.id IN ");
        push_in(&mut qb, &pair);
        qb.push(" AND ");
        push_subject_visible(&mut qb, "x.id", caller, today);
        let rows = qb.build().fetch_all(&mut *tx).await?;
        if rows.len() != 2 {
            return Err(StoreError::NotFound);
        }
        let kinds: Vec<String> = rows
            .iter()
            .map(|r| get::<String>(r, "kind"))
            .collect::<Result<_>>()?;
        if kinds[0] != kinds[1] {
            let mut e = baken_core::ValidationErrors::new();
            e.push("rechts", "een persoon, organisatie, adres of voertuig kan alleen gelijk zijn aan iets van dezelfde soort");
            return Err(StoreError::Invalid(e));
        }
        let kind = parse_enum(SubjectKind::parse(&kinds[0]))?;
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO link_judgement (id, left_subject, right_subject, judgement, reason, by_user, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.to_string())
        .bind(&l)
        .bind(&r)
        .bind(if confirmed { "confirmed" } else { "rejected" })
        .bind(reason)
        .bind(caller.user.to_string())
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        let group = Self::members_of_entities_of(&mut tx, &pair).await?;
        Self::regroup(&mut tx, kind, group, now).await?;
        let event = AuditRecord::success(
            if confirmed {
                "link.confirm"
            } else {
                "link.reject"
            },
            "link-judgement",
            Some(id.to_string()),
            format!("left={l} right={r}"),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        Ok(id)
    }

    async fn members_of_entities_of(
        tx: &mut Transaction<'static, Db>,
        subjects: &[String],
    ) -> Result<Vec<String>> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT subject_id FROM entity_member WHERE entity_id IN \
             (SELECT entity_id FROM entity_member WHERE subject_id IN ",
        );
        push_in(&mut qb, subjects);
        qb.push(")");
        qb.build()
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| get::<String>(r, "subject_id"))
            .collect()
    }

    async fn undo_judgement_impl(
        &self,
        caller: &Caller,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<()> {
        if !caller.may_judge_links() {
            return Err(StoreError::Forbidden(
                "alleen een analist mag koppelingen beoordelen".into(),
            ));
        }
        let today = now.date();
        let (mut tx, slot) = self.begin_audited().await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT j.left_subject, j.right_subject, x.kind FROM link_judgement j JOIN subject x ON x.id = j.left_subject \
             WHERE j.undone_at IS NULL AND j.id = ",
        );
        qb.push_bind(id.to_string()).push(" AND ");
        push_subject_visible(&mut qb, "j.left_subject", caller, today);
        qb.push(" AND ");
        push_subject_visible(&mut qb, "j.right_subject", caller, today);
        let row = qb
            .build()
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let pair = [
            get::<String>(&row, "left_subject")?,
            get::<String>(&row, "right_subject")?,
        ];
        let kind = parse_enum(SubjectKind::parse(&get::<String>(&row, "kind")?))?;
        sqlx::query("UPDATE link_judgement SET undone_at = $1, undone_by = $2 WHERE id = $3")
            .bind(ts(now))
            .bind(caller.user.to_string())
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        let group = Self::members_of_entities_of(&mut tx, &pair).await?;
        Self::regroup(&mut tx, kind, group, now).await?;
        let event = AuditRecord::success(
            "link.undo",
            "link-judgement",
            Some(id.to_string()),
            format!("left={} right={}", pair[0], pair[1]),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await
    }

    async fn link_thresholds_impl(&self) -> Result<Vec<(SubjectKind, f64)>> {
        let rows = sqlx::query("SELECT kind, threshold FROM link_threshold")
            .fetch_all(&self.pool)
            .await?;
        let mut set: HashMap<String, f64> = HashMap::new();
        for r in rows {
            set.insert(get(&r, "kind")?, get(&r, "threshold")?);
        }
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

    async fn set_link_threshold_impl(
        &self,
        caller: &Caller,
        kind: SubjectKind,
        threshold: f64,
        now: OffsetDateTime,
    ) -> Result<()> {
        if !caller.may_manage_catalogue() {
            return Err(StoreError::Forbidden(
                "alleen een beheerder stelt drempels in".into(),
            ));
        }
        if !(0.5..=0.9999).contains(&threshold) || exact_kind(kind) {
            let mut e = baken_core::ValidationErrors::new();
            if exact_kind(kind) {
                e.push("soort", "voertuigen, telefoonnummers, e-mailadressen en IBANs worden alleen bij gelijke waarde gekoppeld");
            } else {
                e.push("drempel", "kies een koppelkans tussen 0,5 en 0,9999");
            }
            return Err(StoreError::Invalid(e));
        }
        let (mut tx, slot) = self.begin_audited().await?;
        sqlx::query(
            "INSERT INTO link_threshold (kind, threshold) VALUES ($1, $2) \
             ON CONFLICT (kind) DO UPDATE SET threshold = excluded.threshold",
        )
        .bind(kind.slug())
        .bind(threshold)
        .execute(&mut *tx)
        .await?;
        let event = AuditRecord::success(
            "link.threshold",
            "link-threshold",
            Some(kind.slug().to_string()),
            format!("threshold={threshold}"),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await
    }

    async fn relink_impl(
        &self,
        actor: &Actor,
        progress: &dyn crate::RelinkProgress,
        now: OffsetDateTime,
    ) -> Result<crate::RelinkSummary> {
        let mut summary = crate::RelinkSummary { kinds: Vec::new() };
        let total_kinds = SubjectKind::ALL.len() as u64;
        for (k, kind) in SubjectKind::ALL.iter().copied().enumerate() {
            progress.report(kind.label(), k as u64, total_kinds);
            let (mut tx, slot) = self.begin_audited().await?;
            let mut ids = Vec::new();
            let mut current = Vec::new();
            let mut prepared = Vec::new();
            let mut normalised = Vec::new();
            {
                use futures_util::TryStreamExt;
                let mut rows = sqlx::query(
                    "SELECT x.id, x.normalised, x.details, em.entity_id FROM subject x \
                     JOIN entity_member em ON em.subject_id = x.id WHERE x.kind = $1 ORDER BY x.id",
                )
                .bind(kind.slug())
                .fetch(&mut *tx);
                while let Some(r) = rows.try_next().await? {
                    ids.push(get::<String>(&r, "id")?);
                    current.push(get::<String>(&r, "entity_id")?);
                    normalised.push(get::<String>(&r, "normalised")?);
                    let details: SubjectDetails =
                        serde_json::from_str(&get::<String>(&r, "details")?)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    prepared.push(Prepared::new(&link_fields(&details)));
                }
            }
            if ids.is_empty() {
                // Nothing of this kind: no transaction to audit.
                tx.rollback().await?;
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
                    .execute(&mut *tx)
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
                        .execute(&mut *tx)
                        .await?;
                }
                let pairs = baken_link::block::candidates(&prepared, None);
                candidates = pairs.len();
                progress.report(kind.label(), k as u64, total_kinds);
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
                let model = if pairs.is_empty() {
                    Model::prior(&baken_link::model::present_slots(&prepared))
                } else {
                    baken_link::estimate_model(&prepared, &pairs, None, threads)
                };
                sqlx::query(
                    "INSERT INTO link_model (kind, model, estimated_at, subjects) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (kind) DO UPDATE SET model = excluded.model, \
                     estimated_at = excluded.estimated_at, subjects = excluded.subjects",
                )
                .bind(kind.slug())
                .bind(serde_json::to_string(&model).map_err(|e| StoreError::Corrupt(e.to_string()))?)
                .bind(ts(now))
                .bind(ids.len() as i64)
                .execute(&mut *tx)
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
            let judgement_rows = sqlx::query(
                "SELECT j.left_subject, j.right_subject, j.judgement FROM link_judgement j \
                 JOIN subject x ON x.id = j.left_subject WHERE j.undone_at IS NULL AND x.kind = $1 ORDER BY j.at, j.id",
            )
            .bind(kind.slug())
            .fetch_all(&mut *tx)
            .await?;
            let judgements = latest_judgements(&judgement_rows, &index)?;
            let mut links: Vec<(u32, u32, f64)> = scored
                .iter()
                .filter(|(_, _, p, _)| *p >= threshold)
                .map(|(i, j, p, _)| (*i, *j, *p))
                .collect();
            let entities = Entities::build(ids.len(), &judgements, &mut links);
            let target = stable_ids(&current, &entities);
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
                "link.relink",
                "subject",
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
            Self::commit_audited(tx, slot, actor_fields(actor), event, now).await?;
            summary.kinds.push(done);
        }
        progress.report("klaar", total_kinds, total_kinds);
        Ok(summary)
    }
}
