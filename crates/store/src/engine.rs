// The one implementation of the Store trait, compiled once per engine: `sqlite.rs` and
// `postgres.rs` define `Db`, `DbRow`, `ENGINE`, `MIGRATOR` and `EngineStore`, then include this
// file. Only portable SQL lives here ($N placeholders, TEXT and BIGINT columns).

use async_trait::async_trait;
use baken_core::access::{Caller, SignalScope, Suppression};
use baken_core::audit::{chain_hash, ChainedFields};
use baken_core::catalogue::{Catalogue, Indicator, Theme};
use baken_core::field::{Answer, NewVisit, VisitKind};
use baken_core::identifiers::AreaCode;
use baken_core::model::{
    Area, AreaKind, AuditEvent, Classification, InformationCredibility, OrgKind, Organisation,
    Sharing, SharingAgreement, SourceKind, SourceReliability, User,
};
use baken_core::model::{MentionedSubject, Relation, Subject, SubjectKind};
use baken_core::picture::{AreaBase, BaseKind, CountGroup, CountQuery};
use baken_core::signal::{
    Coordinates, NewSignal, Page, PageRequest, Signal, SignalFilter, StatusHistoryEntry,
};
use baken_core::status::{SignalStatus, StatusChange};
use baken_core::subject::{RelationKind, SubjectRole};
use baken_core::RoleSet;
use baken_geo::{AreaIndex, AreaRef, AreaShape};
use sqlx::{QueryBuilder, Row, Transaction};
use std::collections::HashMap;
use std::sync::Arc;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::text::{date, parse_date, parse_ts, parse_uuid, ts};
use crate::{
    Actor, AreaObjects, AuditRecord, AuditVerification, Coverage, FieldObject, NewAgreement,
    NewFieldObject, NewUser, Overview, PublicReportInfo, Result, ShownCount, SignalCounts,
    SignalDetail, SignalPoint, StoreError, VisitDetail, VisitFinding, VisitSummary,
};

/// The place of the next audit event, taken by locking the chain head as the transaction's
/// first write so that audited transactions are serialised on both engines.
struct AuditSlot {
    seq: i64,
    prev_hash: String,
}

struct ActorFields {
    user: Option<String>,
    org: Option<String>,
    origin: String,
    purpose: String,
}

fn actor_fields(actor: &Actor) -> ActorFields {
    match actor {
        Actor::Caller(c) => caller_fields(c),
        Actor::System { process } => ActorFields {
            user: None,
            org: None,
            origin: process.clone(),
            purpose: "beheer".into(),
        },
    }
}

fn caller_fields(c: &Caller) -> ActorFields {
    ActorFields {
        user: Some(c.user.to_string()),
        org: Some(c.org.to_string()),
        origin: c.origin.clone(),
        purpose: c.purpose.as_str().to_string(),
    }
}

fn get<T>(row: &DbRow, col: &str) -> Result<T>
where
    T: for<'r> sqlx::Decode<'r, Db> + sqlx::Type<Db>,
{
    Ok(row.try_get::<T, _>(col)?)
}

fn parse_enum<T>(parsed: std::result::Result<T, String>) -> Result<T> {
    parsed.map_err(StoreError::Corrupt)
}

fn user_from_row(row: &DbRow) -> Result<User> {
    let roles: String = get(row, "roles")?;
    Ok(User {
        id: parse_uuid(&get::<String>(row, "id")?)?,
        org: parse_uuid(&get::<String>(row, "org_id")?)?,
        email: get(row, "email")?,
        display_name: get(row, "display_name")?,
        roles: RoleSet::from_slugs(&roles).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        active: get::<i64>(row, "active")? != 0,
    })
}

const USER_COLUMNS: &str = "u.id, u.org_id, u.email, u.display_name, u.roles, u.active";

const SIGNAL_COLUMNS: &str = "s.id, s.owner_org, o.name AS owner_org_name, s.created_by, s.received_at, \
    s.observed_on, s.source_kind, s.source_reliability, s.information_credibility, s.title, \
    s.description, s.area_code, \
    (SELECT MAX(ar.name) FROM area ar WHERE ar.code = s.area_code) AS area_name, s.lat_micro, s.lon_micro, s.address, s.classification, s.sharing, s.status, \
    s.retention_until, s.deadline, s.assigned_user, \
    (SELECT au.display_name FROM app_user au WHERE au.id = s.assigned_user) AS assigned_user_name, \
    s.assigned_team, s.created_at, s.updated_at";

fn signal_from_row(row: &DbRow) -> Result<Signal> {
    Ok(Signal {
        id: parse_uuid(&get::<String>(row, "id")?)?,
        owner_org: parse_uuid(&get::<String>(row, "owner_org")?)?,
        owner_org_name: get(row, "owner_org_name")?,
        created_by: parse_uuid(&get::<String>(row, "created_by")?)?,
        received_at: parse_ts(&get::<String>(row, "received_at")?)?,
        observed_on: get::<Option<String>>(row, "observed_on")?
            .map(|d| parse_date(&d))
            .transpose()?,
        source_kind: parse_enum(SourceKind::parse(&get::<String>(row, "source_kind")?))?,
        source_reliability: parse_enum(SourceReliability::parse(&get::<String>(
            row,
            "source_reliability",
        )?))?,
        information_credibility: parse_enum(InformationCredibility::parse(&get::<String>(
            row,
            "information_credibility",
        )?))?,
        themes: Vec::new(),
        indicators: Vec::new(),
        title: get(row, "title")?,
        description: get(row, "description")?,
        area_code: get(row, "area_code")?,
        area_name: get(row, "area_name")?,
        coordinates: match (
            get::<Option<i64>>(row, "lat_micro")?,
            get::<Option<i64>>(row, "lon_micro")?,
        ) {
            (Some(lat_micro), Some(lon_micro)) => Some(Coordinates {
                lat_micro,
                lon_micro,
            }),
            _ => None,
        },
        address: get(row, "address")?,
        classification: parse_enum(Classification::parse(&get::<String>(
            row,
            "classification",
        )?))?,
        sharing: parse_enum(Sharing::parse(&get::<String>(row, "sharing")?))?,
        status: parse_enum(SignalStatus::parse(&get::<String>(row, "status")?))?,
        retention_until: parse_date(&get::<String>(row, "retention_until")?)?,
        deadline: get::<Option<String>>(row, "deadline")?
            .map(|d| parse_date(&d))
            .transpose()?,
        assigned_user: get::<Option<String>>(row, "assigned_user")?
            .map(|u| parse_uuid(&u))
            .transpose()?,
        assigned_user_name: get(row, "assigned_user_name")?,
        assigned_team: get(row, "assigned_team")?,
        created_at: parse_ts(&get::<String>(row, "created_at")?)?,
        updated_at: parse_ts(&get::<String>(row, "updated_at")?)?,
    })
}

/// Appends the predicate "the caller may see signal `s`" (DESIGN.md §4). Other organisations'
/// signals flow only under a valid agreement between both organisations that covers every
/// theme of the signal and its classification; Bibob never flows and is visible inside the
/// owning organisation only to Bibob coordinators.
fn push_visible(qb: &mut QueryBuilder<'_, Db>, caller: &Caller, today: Date) {
    let org = caller.org.to_string();
    match caller.signal_scope() {
        SignalScope::Nothing => {
            qb.push("1 = 0");
        }
        SignalScope::OwnRegistrations => {
            qb.push("(s.created_by = ")
                .push_bind(caller.user.to_string())
                .push(" AND s.owner_org = ")
                .push_bind(org)
                .push(" AND s.classification_rank < 3)");
        }
        SignalScope::OrganisationAndShared { bibob } => {
            qb.push("((s.owner_org = ").push_bind(org.clone());
            if !bibob {
                qb.push(" AND s.classification_rank < 3");
            }
            qb.push(
                ") OR (s.classification_rank < 3 AND s.sharing = 'convenant' \
                 AND EXISTS (SELECT 1 FROM signal_theme st0 WHERE st0.signal_id = s.id) AND EXISTS (\
                 SELECT 1 FROM sharing_agreement a \
                 JOIN agreement_party po ON po.agreement_id = a.id AND po.org_id = s.owner_org \
                 JOIN agreement_party pc ON pc.agreement_id = a.id AND pc.org_id = ",
            )
            .push_bind(org)
            .push(" WHERE a.valid_from <= ")
            .push_bind(date(today))
            .push(" AND (a.valid_until IS NULL OR a.valid_until >= ")
            .push_bind(date(today))
            .push(
                ") AND s.classification_rank <= a.max_classification_rank \
                 AND NOT EXISTS (SELECT 1 FROM signal_theme st WHERE st.signal_id = s.id \
                 AND NOT EXISTS (SELECT 1 FROM agreement_theme agt \
                 WHERE agt.agreement_id = a.id AND agt.theme = st.theme)))))",
            );
        }
    }
}

/// Appends the predicate "the caller may count signal `s`": what the caller may see, and for
/// lezers (aggregates only) their own organisation's non-Bibob signals.
fn push_countable(qb: &mut QueryBuilder<'_, Db>, caller: &Caller, today: Date) {
    if caller.sees_only_aggregates() {
        qb.push("s.owner_org = ")
            .push_bind(caller.org.to_string())
            .push(" AND s.classification_rank < 3");
    } else {
        push_visible(qb, caller, today);
    }
}

/// Appends the filters; `search` is the engine's prepared form of `filter.text`.
fn push_filters(
    qb: &mut QueryBuilder<'_, Db>,
    filter: &SignalFilter,
    search: Option<&str>,
    caller: &Caller,
    today: Date,
) {
    if filter.overdue {
        qb.push(" AND s.status IN ('nieuw', 'in-triage') AND s.deadline < ")
            .push_bind(date(today));
    }
    if filter.mine {
        qb.push(" AND s.assigned_user = ")
            .push_bind(caller.user.to_string());
    }
    match (&filter.text, search) {
        (_, Some(prepared)) => push_text_match(qb, prepared),
        // A search without a single word finds nothing, rather than everything.
        (Some(_), None) => {
            qb.push(" AND 1 = 0");
        }
        (None, None) => {}
    }
    if let Some(theme) = &filter.theme {
        qb.push(
            " AND EXISTS (SELECT 1 FROM signal_theme ft WHERE ft.signal_id = s.id AND ft.theme = ",
        )
        .push_bind(theme.clone())
        .push(")");
    }
    if let Some(indicator) = &filter.indicator {
        qb.push(
            " AND EXISTS (SELECT 1 FROM signal_indicator fi WHERE fi.signal_id = s.id AND fi.indicator = ",
        )
        .push_bind(indicator.clone())
        .push(")");
    }
    if let Some(status) = filter.status {
        qb.push(" AND s.status = ").push_bind(status.slug());
    }
    if filter.open {
        qb.push(" AND s.status NOT IN ('gesloten', 'geen-actie')");
    }
    if let Some(from) = filter.received_from {
        qb.push(" AND s.received_at >= ").push_bind(date(from));
    }
    if let Some(until) = filter.received_until {
        let next = until.next_day().unwrap_or(until);
        qb.push(" AND s.received_at < ").push_bind(date(next));
    }
    if let Some(area) = &filter.area {
        qb.push(" AND EXISTS (SELECT 1 FROM signal_area fa WHERE fa.signal_id = s.id AND fa.area_code = ")
            .push_bind(area.to_string())
            .push(")");
    }
}

impl EngineStore {
    /// The spatial index of the newest areas of each kind, loaded once per area import.
    async fn area_index(&self) -> Result<Arc<AreaIndex>> {
        let version = sqlx::query("SELECT value FROM meta WHERE key = 'areas_version'")
            .fetch_optional(&self.pool)
            .await?
            .map(|r| get::<String>(&r, "value"))
            .transpose()?
            .unwrap_or_default();
        if let Some((v, index)) = self.areas.0.read().await.as_ref() {
            if *v == version {
                return Ok(index.clone());
            }
        }
        let rows =
            sqlx::query("SELECT code, kind, year, geometry FROM area WHERE geometry IS NOT NULL")
                .fetch_all(&self.pool)
                .await?;
        let mut newest: HashMap<String, i64> = HashMap::new();
        for r in &rows {
            let year: i64 = get(r, "year")?;
            let kind: String = get(r, "kind")?;
            let e = newest.entry(kind).or_insert(year);
            *e = (*e).max(year);
        }
        let mut shapes = Vec::new();
        for r in &rows {
            let kind: String = get(r, "kind")?;
            if newest.get(&kind) != Some(&get::<i64>(r, "year")?) {
                continue;
            }
            let geometry = baken_geo::geometry_from_text(&get::<String>(r, "geometry")?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            shapes.push((
                AreaRef {
                    code: get(r, "code")?,
                    kind: parse_enum(AreaKind::parse(&kind))?,
                },
                geometry,
            ));
        }
        let index = Arc::new(AreaIndex::new(shapes));
        *self.areas.0.write().await = Some((version, index.clone()));
        Ok(index)
    }

    /// The index, loaded only when the signal has coordinates to place.
    async fn index_for(&self, signal: &NewSignal) -> Result<Option<Arc<AreaIndex>>> {
        match signal.coordinates {
            Some(_) => Ok(Some(self.area_index().await?)),
            None => Ok(None),
        }
    }

    /// Inserts parsed signals with their themes, indicators, areas, subjects, relations, first
    /// history entry and search entry, inside `tx`, a few multi-row statements per table.
    async fn insert_signals(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        signals: &[NewSignal],
        index: Option<&AreaIndex>,
        link: Linking<'_>,
        now: OffsetDateTime,
    ) -> Result<Vec<Uuid>> {
        if signals
            .iter()
            .any(|new| !caller.may_classify(new.classification))
        {
            return Err(StoreError::Forbidden(
                "alleen een Bibob-coördinator mag Bibob-informatie vastleggen".into(),
            ));
        }
        let ids: Vec<String> = signals.iter().map(|_| Uuid::now_v7().to_string()).collect();
        let org = caller.org.to_string();
        let user = caller.user.to_string();
        let at = ts(now);
        let rows: Vec<(&String, &NewSignal)> = ids.iter().zip(signals).collect();
        insert_rows(
            tx,
            "INSERT INTO signal (id, owner_org, created_by, received_at, observed_on, source_kind, \
             source_reliability, information_credibility, title, description, area_code, lat_micro, lon_micro, \
             address, classification, classification_rank, sharing, status, retention_until, created_at, updated_at, \
             deadline) ",
            &rows,
            22,
            |b, (id, new)| {
                b.push_bind((*id).clone())
                    .push_bind(org.clone())
                    .push_bind(user.clone())
                    .push_bind(ts(new.received_at))
                    .push_bind(new.observed_on.map(date))
                    .push_bind(new.source_kind.slug())
                    .push_bind(new.source_reliability.slug())
                    .push_bind(new.information_credibility.slug())
                    .push_bind(new.title.clone())
                    .push_bind(new.description.clone())
                    .push_bind(new.area.as_ref().map(|a| a.to_string()))
                    .push_bind(new.coordinates.map(|c| c.lat_micro))
                    .push_bind(new.coordinates.map(|c| c.lon_micro))
                    .push_bind(new.address.clone())
                    .push_bind(new.classification.slug())
                    .push_bind(new.classification.rank())
                    .push_bind(new.sharing.slug())
                    .push_bind(SignalStatus::Nieuw.slug())
                    .push_bind(date(new.retention_until))
                    .push_bind(at.clone())
                    .push_bind(at.clone())
                    .push_bind(date(new.deadline));
            },
        )
        .await?;
        // Themes and indicators: (signal, code) rows into their link tables.
        let themes: Vec<(&String, &String)> = rows
            .iter()
            .flat_map(|(id, new)| new.themes.iter().map(move |t| (*id, t)))
            .collect();
        let indicators: Vec<(&String, &String)> = rows
            .iter()
            .flat_map(|(id, new)| new.indicators.iter().map(move |t| (*id, t)))
            .collect();
        for (head, codes) in [
            ("INSERT INTO signal_theme (signal_id, theme) ", &themes),
            (
                "INSERT INTO signal_indicator (signal_id, indicator) ",
                &indicators,
            ),
        ] {
            insert_rows(tx, head, codes, 2, |b, (id, code)| {
                b.push_bind((*id).clone()).push_bind((*code).clone());
            })
            .await?;
        }
        let areas: Vec<(&String, (String, AreaKind))> = rows
            .iter()
            .flat_map(|(id, new)| areas_of(new, index).into_iter().map(move |a| (*id, a)))
            .collect();
        insert_rows(
            tx,
            "INSERT INTO signal_area (signal_id, area_code, area_kind) ",
            &areas,
            3,
            |b, (id, (code, kind))| {
                b.push_bind((*id).clone())
                    .push_bind(code.clone())
                    .push_bind(kind.slug());
            },
        )
        .await?;

        // Subjects, their place in the signal, and the relations between them.
        let mut subjects: Vec<(String, &String, usize, &baken_core::subject::NewSubject)> =
            Vec::new();
        let mut relations: Vec<(String, String, &baken_core::subject::NewRelation, &String)> =
            Vec::new();
        for (id, new) in &rows {
            let first = subjects.len();
            for (position, s) in new.subjects.iter().enumerate() {
                subjects.push((Uuid::now_v7().to_string(), *id, position, s));
            }
            for r in &new.relations {
                relations.push((
                    subjects[first + r.from].0.clone(),
                    subjects[first + r.to].0.clone(),
                    r,
                    *id,
                ));
            }
        }
        let details = subjects
            .iter()
            .map(|(_, _, _, s)| {
                serde_json::to_string(&s.details).map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .collect::<Result<Vec<_>>>()?;
        let forms: Vec<String> = subjects
            .iter()
            .map(|(_, _, _, s)| link_form(&s.details))
            .collect();
        let with_details: Vec<_> = subjects.iter().zip(details.iter().zip(&forms)).collect();
        insert_rows(
            tx,
            "INSERT INTO subject (id, kind, original, normalised, details, owner_org, created_at, link_form) ",
            &with_details,
            8,
            |b, ((sid, _, _, s), (details, form))| {
                b.push_bind(sid.clone())
                    .push_bind(s.kind.slug())
                    .push_bind(s.original.clone())
                    .push_bind(s.normalised.clone())
                    .push_bind((*details).clone())
                    .push_bind(org.clone())
                    .push_bind(at.clone())
                    .push_bind((*form).clone());
            },
        )
        .await?;
        let mentions: Vec<NewMention<'_>> = subjects
            .iter()
            .map(|(sid, _, _, s)| NewMention {
                id: sid.as_str(),
                kind: s.kind,
                normalised: s.normalised.as_str(),
                details: &s.details,
            })
            .collect();
        let linking = std::time::Instant::now();
        let now_linked = matches!(link, Linking::Now);
        match link {
            Linking::Now => Self::link_new_subjects(tx, &mentions, now).await?,
            Linking::Deferred(out) => {
                for (sid, _, _, s) in &subjects {
                    out.push(DeferredMention {
                        id: parse_uuid(sid)?,
                        kind: s.kind,
                    });
                }
            }
        }
        if now_linked && !mentions.is_empty() {
            // How long linking took (no content): read by the incremental-linking benchmark.
            tracing::debug!(
                target: "baken_store::linking",
                subjects = mentions.len(),
                micros = linking.elapsed().as_micros() as u64,
                "subjects linked"
            );
        }
        insert_rows(
            tx,
            "INSERT INTO signal_subject (signal_id, subject_id, role, position) ",
            &subjects,
            4,
            |b, (sid, id, position, s)| {
                b.push_bind((*id).clone())
                    .push_bind(sid.clone())
                    .push_bind(s.role.slug())
                    .push_bind(*position as i64);
            },
        )
        .await?;
        insert_rows(
            tx,
            "INSERT INTO relation (id, from_subject, to_subject, kind, valid_from, valid_until, source_signal) ",
            &relations,
            7,
            |b, (from, to, r, id)| {
                b.push_bind(Uuid::now_v7().to_string())
                    .push_bind(from.clone())
                    .push_bind(to.clone())
                    .push_bind(r.kind.slug())
                    .push_bind(r.valid_from.map(date))
                    .push_bind(r.valid_until.map(date))
                    .push_bind((*id).clone());
            },
        )
        .await?;
        let history: Vec<&String> = ids.iter().collect();
        insert_rows(
            tx,
            "INSERT INTO signal_status_history (id, signal_id, at, by_user, from_status, to_status, reason) ",
            &history,
            7,
            |b, id| {
                b.push_bind(Uuid::now_v7().to_string())
                    .push_bind((*id).clone())
                    .push_bind(at.clone())
                    .push_bind(user.clone())
                    .push_bind(None::<String>)
                    .push_bind(SignalStatus::Nieuw.slug())
                    .push_bind("Geregistreerd");
            },
        )
        .await?;
        let documents: Vec<SearchDocument> = rows
            .iter()
            .map(|(id, new)| SearchDocument {
                id: (*id).clone(),
                title: new.title.clone(),
                description: new.description.clone(),
                subjects: crate::text::subjects_text(&new.subjects),
            })
            .collect();
        index_signals(tx, &documents).await?;
        ids.iter().map(|id| parse_uuid(id)).collect()
    }

    /// Begins a transaction whose first statement takes the next audit slot.
    async fn begin_audited(&self) -> Result<(Transaction<'static, Db>, AuditSlot)> {
        let mut tx = self.pool.begin().await?;
        let slot = take_audit_slot(&mut tx).await?;
        Ok((tx, slot))
    }

    /// Writes the audit event into the slot and commits.
    async fn commit_audited(
        mut tx: Transaction<'static, Db>,
        slot: AuditSlot,
        actor: ActorFields,
        event: AuditRecord<'_>,
        now: OffsetDateTime,
    ) -> Result<()> {
        let occurred_at = ts(now);
        let object_id = event.object_id.unwrap_or_default();
        let user = actor.user.unwrap_or_default();
        let org = actor.org.unwrap_or_default();
        let hash = chain_hash(
            &slot.prev_hash,
            &ChainedFields {
                seq: slot.seq,
                occurred_at: &occurred_at,
                actor_user: &user,
                actor_org: &org,
                action: event.action,
                object_type: event.object_type,
                object_id: &object_id,
                result: event.result,
                origin: &actor.origin,
                purpose: &actor.purpose,
                detail: &event.detail,
            },
        );
        sqlx::query(
            "INSERT INTO audit_event (seq, occurred_at, actor_user, actor_org, action, object_type, \
             object_id, result, origin, purpose, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(slot.seq)
        .bind(&occurred_at)
        .bind(&user)
        .bind(&org)
        .bind(event.action)
        .bind(event.object_type)
        .bind(&object_id)
        .bind(event.result)
        .bind(&actor.origin)
        .bind(&actor.purpose)
        .bind(&event.detail)
        .bind(&slot.prev_hash)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn visible_signal(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        id: Uuid,
        today: Date,
    ) -> Result<Option<Signal>> {
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {SIGNAL_COLUMNS} FROM signal s JOIN organisation o ON o.id = s.owner_org WHERE s.id = "
        ));
        qb.push_bind(id.to_string()).push(" AND ");
        push_visible(&mut qb, caller, today);
        let Some(row) = qb.build().fetch_optional(&mut **tx).await? else {
            return Ok(None);
        };
        let mut signals = vec![signal_from_row(&row)?];
        Self::attach_codes(tx, &mut signals).await?;
        Ok(signals.pop())
    }

    /// Fills in themes and indicators of the given signals.
    async fn attach_codes(tx: &mut Transaction<'static, Db>, signals: &mut [Signal]) -> Result<()> {
        if signals.is_empty() {
            return Ok(());
        }
        for (table, column) in [("signal_theme", "theme"), ("signal_indicator", "indicator")] {
            let mut qb = QueryBuilder::<Db>::new(format!(
                "SELECT signal_id, {column} AS code FROM {table} WHERE signal_id IN ("
            ));
            let mut sep = qb.separated(", ");
            for s in signals.iter() {
                sep.push_bind(s.id.to_string());
            }
            qb.push(format_args!(") ORDER BY {column}"));
            let rows = qb.build().fetch_all(&mut **tx).await?;
            let mut by_signal: HashMap<String, Vec<String>> = HashMap::new();
            for row in &rows {
                by_signal
                    .entry(get::<String>(row, "signal_id")?)
                    .or_default()
                    .push(get::<String>(row, "code")?);
            }
            for s in signals.iter_mut() {
                let codes = by_signal.remove(&s.id.to_string()).unwrap_or_default();
                if column == "theme" {
                    s.themes = codes;
                } else {
                    s.indicators = codes;
                }
            }
        }
        Ok(())
    }

    async fn history(
        tx: &mut Transaction<'static, Db>,
        id: Uuid,
    ) -> Result<Vec<StatusHistoryEntry>> {
        let rows = sqlx::query(
            "SELECT h.at, h.by_user, u.display_name, h.from_status, h.to_status, h.reason \
             FROM signal_status_history h JOIN app_user u ON u.id = h.by_user \
             WHERE h.signal_id = $1 ORDER BY h.at, h.id",
        )
        .bind(id.to_string())
        .fetch_all(&mut **tx)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StatusHistoryEntry {
                    at: parse_ts(&get::<String>(row, "at")?)?,
                    by_user: parse_uuid(&get::<String>(row, "by_user")?)?,
                    by_name: get(row, "display_name")?,
                    from: get::<Option<String>>(row, "from_status")?
                        .map(|s| parse_enum(SignalStatus::parse(&s)))
                        .transpose()?,
                    to: parse_enum(SignalStatus::parse(&get::<String>(row, "to_status")?))?,
                    reason: get(row, "reason")?,
                })
            })
            .collect()
    }

    async fn subjects(
        tx: &mut Transaction<'static, Db>,
        id: Uuid,
    ) -> Result<(Vec<MentionedSubject>, Vec<Relation>)> {
        let rows = sqlx::query(
            "SELECT su.id, su.kind, su.original, su.normalised, su.details, ss.role \
             FROM signal_subject ss JOIN subject su ON su.id = ss.subject_id \
             WHERE ss.signal_id = $1 ORDER BY ss.position",
        )
        .bind(id.to_string())
        .fetch_all(&mut **tx)
        .await?;
        let subjects = rows
            .iter()
            .map(|r| {
                let details: String = get(r, "details")?;
                Ok(MentionedSubject {
                    subject: Subject {
                        id: parse_uuid(&get::<String>(r, "id")?)?,
                        kind: parse_enum(SubjectKind::parse(&get::<String>(r, "kind")?))?,
                        original: get(r, "original")?,
                        normalised: get(r, "normalised")?,
                        details: serde_json::from_str(&details)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    },
                    role: parse_enum(SubjectRole::parse(&get::<String>(r, "role")?))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let rows = sqlx::query(
            "SELECT from_subject, to_subject, kind, valid_from, valid_until FROM relation \
             WHERE source_signal = $1 ORDER BY id",
        )
        .bind(id.to_string())
        .fetch_all(&mut **tx)
        .await?;
        let relations = rows
            .iter()
            .map(|r| {
                let date_of = |c: &str| -> Result<Option<Date>> {
                    get::<Option<String>>(r, c)?
                        .map(|d| parse_date(&d))
                        .transpose()
                };
                Ok(Relation {
                    from: parse_uuid(&get::<String>(r, "from_subject")?)?,
                    to: parse_uuid(&get::<String>(r, "to_subject")?)?,
                    kind: parse_enum(RelationKind::parse(&get::<String>(r, "kind")?))?,
                    valid_from: date_of("valid_from")?,
                    valid_until: date_of("valid_until")?,
                    source_signal: id,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((subjects, relations))
    }

    async fn detail(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        signal: Signal,
    ) -> Result<SignalDetail> {
        let history = Self::history(tx, signal.id).await?;
        let (subjects, relations) = Self::subjects(tx, signal.id).await?;
        let public_report = sqlx::query(
            "SELECT reference, contact_name, contact_phone, contact_email, wipe_after FROM public_report WHERE signal_id = $1",
        )
        .bind(signal.id.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| -> Result<PublicReportInfo> {
            let wipe_after = get::<Option<String>>(&r, "wipe_after")?.map(|d| parse_date(&d)).transpose()?;
            let (name, phone, email) = (
                get::<Option<String>>(&r, "contact_name")?,
                get::<Option<String>>(&r, "contact_phone")?,
                get::<Option<String>>(&r, "contact_email")?,
            );
            Ok(PublicReportInfo {
                reference: get(&r, "reference")?,
                contact: wipe_after.filter(|_| name.is_some() || phone.is_some() || email.is_some()).map(|wipe_after| {
                    baken_core::public::ReporterContact {
                        name,
                        phone,
                        email,
                        wipe_after,
                    }
                }),
            })
        })
        .transpose()?;
        let allowed_next = if caller.may_change_status(signal.classification, signal.owner_org) {
            signal.status.allowed_next()
        } else {
            Vec::new()
        };
        Ok(SignalDetail {
            signal,
            subjects,
            relations,
            history,
            public_report,
            allowed_next,
        })
    }

    async fn insert_history(
        tx: &mut Transaction<'static, Db>,
        signal: Uuid,
        by: Uuid,
        from: Option<SignalStatus>,
        to: SignalStatus,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO signal_status_history (id, signal_id, at, by_user, from_status, to_status, reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(signal.to_string())
        .bind(ts(now))
        .bind(by.to_string())
        .bind(from.map(|s| s.slug()))
        .bind(to.slug())
        .bind(reason)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    fn organisation_from_row(row: &DbRow) -> Result<Organisation> {
        Ok(Organisation {
            id: parse_uuid(&get::<String>(row, "id")?)?,
            name: get(row, "name")?,
            kind: parse_enum(OrgKind::parse(&get::<String>(row, "kind")?))?,
        })
    }

    async fn count_where(
        &self,
        select: &str,
        group: &str,
        visible: impl Fn(&mut QueryBuilder<'_, Db>),
    ) -> Result<Vec<(String, u64)>> {
        let mut qb = QueryBuilder::<Db>::new(select);
        visible(&mut qb);
        qb.push(group);
        let rows = qb.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok((
                    get::<String>(r, "k")?,
                    u64::try_from(get::<i64>(r, "n")?).unwrap_or(0),
                ))
            })
            .collect()
    }
}

fn area_from_row(r: &DbRow) -> Result<Area> {
    Ok(Area {
        code: get(r, "code")?,
        year: i32::try_from(get::<i64>(r, "year")?).unwrap_or_default(),
        name: get(r, "name")?,
        kind: parse_enum(AreaKind::parse(&get::<String>(r, "kind")?))?,
        parent: get(r, "parent_code")?,
    })
}

/// A reference number for a public report: `M-` and eight characters that cannot be confused
/// (no 0/O, 1/I/L), from 40 random bits.
fn public_reference() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let bytes = Uuid::new_v4().into_bytes();
    let code: String = bytes[..8]
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("M-{}-{}", &code[..4], &code[4..])
}

/// One signal's text for the search index.
struct SearchDocument {
    id: String,
    title: String,
    description: String,
    subjects: String,
}

/// Inserts `rows` with multi-row `INSERT … VALUES` statements, keeping each statement under
/// the engines' bind-parameter limits.
async fn insert_rows<T>(
    tx: &mut Transaction<'static, Db>,
    head: &str,
    rows: &[T],
    columns: usize,
    mut bind: impl FnMut(&mut sqlx::query_builder::Separated<'_, 'static, Db, &'static str>, &T),
) -> Result<()> {
    const MAX_BINDS: usize = 30_000;
    for chunk in rows.chunks((MAX_BINDS / columns).max(1)) {
        let mut qb = QueryBuilder::<'static, Db>::new(head);
        qb.push_values(chunk, |mut b, row| bind(&mut b, row));
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The audit result of an attempt the store refused.
fn refusal_result(err: &StoreError) -> &'static str {
    match err {
        StoreError::NotFound => "not-found",
        StoreError::Forbidden(_) => "denied",
        _ => "refused",
    }
}

/// Locks the chain head and takes the next sequence number and the previous hash.
async fn take_audit_slot(tx: &mut Transaction<'static, Db>) -> Result<AuditSlot> {
    let row = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    Ok(AuditSlot {
        seq: get(&row, "seq")?,
        prev_hash: get(&row, "hash")?,
    })
}

/// Every area a new signal lies in: the one named and its parents, and those containing its
/// coordinates.
fn areas_of(signal: &NewSignal, index: Option<&AreaIndex>) -> Vec<(String, AreaKind)> {
    let mut out: Vec<(String, AreaKind)> = signal
        .area
        .as_ref()
        .map(AreaCode::with_parent_kinds)
        .unwrap_or_default();
    if let (Some(c), Some(index)) = (signal.coordinates, index) {
        for hit in index.locate(c.longitude(), c.latitude()) {
            match AreaCode::parse(&hit.code) {
                Ok(code) => out.extend(code.with_parent_kinds()),
                Err(_) => out.push((hit.code.clone(), hit.kind)),
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|(code, _)| seen.insert(code.clone()));
    out
}

struct EngineImport {
    tx: Transaction<'static, Db>,
    caller: Caller,
    index: Arc<AreaIndex>,
    rows: u64,
    subjects: Vec<DeferredMention>,
}

#[async_trait]
impl crate::SignalImport for EngineImport {
    async fn add(&mut self, signals: Vec<NewSignal>, now: OffsetDateTime) -> Result<()> {
        for chunk in signals.chunks(500) {
            EngineStore::insert_signals(
                &mut self.tx,
                &self.caller,
                chunk,
                Some(&self.index),
                Linking::Deferred(&mut self.subjects),
                now,
            )
            .await?;
            self.rows += chunk.len() as u64;
        }
        Ok(())
    }

    async fn commit(
        mut self: Box<Self>,
        source: &str,
        link: bool,
        now: OffsetDateTime,
    ) -> Result<crate::ImportCommitted> {
        let rows = self.rows;
        let linked = EngineStore::link_imported(&mut self.tx, &self.subjects, link, now).await?;
        self.subjects = Vec::new();
        let slot = take_audit_slot(&mut self.tx).await?;
        let event = AuditRecord::success(
            "signal.import",
            "signal",
            None,
            format!("rows={rows} source={source}"),
        );
        EngineStore::commit_audited(self.tx, slot, caller_fields(&self.caller), event, now).await?;
        Ok(crate::ImportCommitted { rows, linked })
    }

    async fn rollback(self: Box<Self>) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}

/// Appends "the caller may see field visit `v`": the organisation's own visits for those who
/// see its signals; a toezichthouder only their own visits. Visits are never shared.
fn push_visit_visible(qb: &mut QueryBuilder<'_, Db>, caller: &Caller) {
    match caller.signal_scope() {
        SignalScope::Nothing => {
            qb.push("1 = 0");
        }
        SignalScope::OwnRegistrations => {
            qb.push("(v.created_by = ")
                .push_bind(caller.user.to_string())
                .push(" AND v.owner_org = ")
                .push_bind(caller.org.to_string())
                .push(")");
        }
        SignalScope::OrganisationAndShared { .. } => {
            qb.push("v.owner_org = ").push_bind(caller.org.to_string());
        }
    }
}

const VISIT_COLUMNS: &str = "v.id, v.kind, v.visited_on, o.name AS object_name, v.location, v.area_code, \
    u.display_name AS by_name, \
    (SELECT COUNT(*) FROM visit_finding f WHERE f.visit_id = v.id) AS findings, \
    (SELECT COUNT(*) FROM visit_finding f WHERE f.visit_id = v.id AND f.signal_id IS NOT NULL) AS findings_as_signals";

fn visit_from_row(r: &DbRow) -> Result<VisitSummary> {
    Ok(VisitSummary {
        id: parse_uuid(&get::<String>(r, "id")?)?,
        kind: parse_enum(VisitKind::parse(&get::<String>(r, "kind")?))?,
        visited_on: parse_date(&get::<String>(r, "visited_on")?)?,
        object_name: get(r, "object_name")?,
        location: get(r, "location")?,
        area_code: get(r, "area_code")?,
        by_name: get(r, "by_name")?,
        findings: u64::try_from(get::<i64>(r, "findings")?).unwrap_or(0),
        findings_as_signals: u64::try_from(get::<i64>(r, "findings_as_signals")?).unwrap_or(0),
    })
}

fn unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

#[async_trait]
impl crate::Store for EngineStore {
    fn engine(&self) -> crate::Engine {
        ENGINE
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    async fn meta(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| get::<String>(&r, "value")).transpose()
    }

    async fn set_meta(
        &self,
        actor: &Actor,
        key: &str,
        value: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let (mut tx, slot) = self.begin_audited().await?;
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        let event = AuditRecord::success(
            "installation.set",
            "meta",
            Some(key.to_string()),
            String::new(),
        );
        Self::commit_audited(tx, slot, actor_fields(actor), event, now).await
    }

    async fn create_organisation(
        &self,
        actor: &Actor,
        name: &str,
        kind: OrgKind,
        now: OffsetDateTime,
    ) -> Result<Organisation> {
        let name = name.trim();
        if name.is_empty() {
            let mut e = baken_core::ValidationErrors::new();
            e.push("name", "vul een naam in");
            return Err(StoreError::Invalid(e));
        }
        let org = Organisation {
            id: Uuid::now_v7(),
            name: name.to_string(),
            kind,
        };
        let (mut tx, slot) = self.begin_audited().await?;
        let inserted = sqlx::query(
            "INSERT INTO organisation (id, name, kind, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(org.id.to_string())
        .bind(&org.name)
        .bind(kind.slug())
        .bind(ts(now))
        .execute(&mut *tx)
        .await;
        if let Err(e) = inserted {
            return Err(if unique_violation(&e) {
                StoreError::Conflict(format!("organisatie '{}'", org.name))
            } else {
                e.into()
            });
        }
        let event = AuditRecord::success(
            "organisation.create",
            "organisation",
            Some(org.id.to_string()),
            String::new(),
        );
        Self::commit_audited(tx, slot, actor_fields(actor), event, now).await?;
        Ok(org)
    }

    async fn organisations(&self) -> Result<Vec<Organisation>> {
        let rows = sqlx::query("SELECT id, name, kind FROM organisation ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Self::organisation_from_row).collect()
    }

    async fn organisation_by_name(&self, name: &str) -> Result<Option<Organisation>> {
        let row = sqlx::query("SELECT id, name, kind FROM organisation WHERE name = $1")
            .bind(name.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(Self::organisation_from_row).transpose()
    }

    async fn create_user(&self, actor: &Actor, user: NewUser, now: OffsetDateTime) -> Result<User> {
        let mut e = baken_core::ValidationErrors::new();
        let email = user.email.trim().to_lowercase();
        if !email.contains('@')
            || email.starts_with('@')
            || email.ends_with('@')
            || email.contains(' ')
        {
            e.push("email", "is geen geldig e-mailadres");
        }
        if user.roles.is_empty() {
            e.push("roles", "kies minstens één rol");
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let created = User {
            id: Uuid::now_v7(),
            org: user.org,
            email,
            display_name: user.display_name.trim().to_string(),
            roles: user.roles,
            active: true,
        };
        let (mut tx, slot) = self.begin_audited().await?;
        let inserted = sqlx::query(
            "INSERT INTO app_user (id, org_id, email, display_name, roles, password_hash, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7)",
        )
        .bind(created.id.to_string())
        .bind(created.org.to_string())
        .bind(&created.email)
        .bind(&created.display_name)
        .bind(created.roles.to_slugs())
        .bind(&user.password_hash)
        .bind(ts(now))
        .execute(&mut *tx)
        .await;
        if let Err(e) = inserted {
            return Err(if unique_violation(&e) {
                StoreError::Conflict("een gebruiker met dit e-mailadres".into())
            } else {
                e.into()
            });
        }
        let event = AuditRecord::success(
            "user.create",
            "user",
            Some(created.id.to_string()),
            format!("roles={}", created.roles.to_slugs()),
        );
        Self::commit_audited(tx, slot, actor_fields(actor), event, now).await?;
        Ok(created)
    }

    async fn set_password(
        &self,
        actor: &Actor,
        user: Uuid,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let (mut tx, slot) = self.begin_audited().await?;
        let done = sqlx::query("UPDATE app_user SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user.to_string())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditRecord::success(
            "user.set-password",
            "user",
            Some(user.to_string()),
            String::new(),
        );
        Self::commit_audited(tx, slot, actor_fields(actor), event, now).await
    }

    async fn user_count(&self) -> Result<u64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM app_user")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(get::<i64>(&row, "n")?).unwrap_or(0))
    }

    async fn user(&self, id: Uuid) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM app_user u WHERE u.id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM app_user u WHERE u.email = $1"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn login_credentials(&self, email: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM app_user u WHERE u.email = $1 AND u.active = 1"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let Some(hash) = get::<Option<String>>(&row, "password_hash")? else {
            return Ok(None);
        };
        Ok(Some((user_from_row(&row)?, hash)))
    }

    async fn create_api_token(
        &self,
        actor: &Actor,
        user: Uuid,
        token_hash: &str,
        label: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let (mut tx, slot) = self.begin_audited().await?;
        sqlx::query("INSERT INTO api_token (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user.to_string())
            .bind(label)
            .bind(ts(now))
            .execute(&mut *tx)
            .await?;
        let event = AuditRecord::success(
            "token.create",
            "user",
            Some(user.to_string()),
            String::new(),
        );
        Self::commit_audited(tx, slot, actor_fields(actor), event, now).await
    }

    async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM api_token t JOIN app_user u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn create_session(
        &self,
        id_hash: &str,
        user: Uuid,
        csrf: &str,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query("DELETE FROM web_session WHERE expires_at < $1")
            .bind(ts(now))
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO web_session (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id_hash)
            .bind(user.to_string())
            .bind(csrf)
            .bind(ts(now))
            .bind(ts(expires))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session(&self, id_hash: &str, now: OffsetDateTime) -> Result<Option<(User, String)>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, ws.csrf_token FROM web_session ws JOIN app_user u ON u.id = ws.user_id \
             WHERE ws.id_hash = $1 AND ws.expires_at > $2 AND u.active = 1"
        ))
        .bind(id_hash)
        .bind(ts(now))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some((user_from_row(&row)?, get(&row, "csrf_token")?)))
    }

    async fn delete_session(&self, id_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM web_session WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn create_agreement(
        &self,
        actor: &Actor,
        a: NewAgreement,
        now: OffsetDateTime,
    ) -> Result<SharingAgreement> {
        let mut e = baken_core::ValidationErrors::new();
        if a.name.trim().is_empty() {
            e.push("name", "vul een naam in");
        }
        if a.legal_basis.trim().is_empty() {
            e.push("legalBasis", "noem de wettelijke grondslag");
        }
        if a.parties.len() < 2 {
            e.push("parties", "een convenant heeft minstens twee organisaties");
        }
        if a.themes.is_empty() {
            e.push("themes", "kies minstens één thema");
        }
        if a.max_classification == Classification::Bibob {
            e.push(
                "maxClassification",
                "Bibob-informatie wordt niet via convenanten gedeeld (art. 28 Wet Bibob)",
            );
        }
        if matches!(a.valid_until, Some(until) if until < a.valid_from) {
            e.push("validUntil", "ligt vóór de begindatum");
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let id = Uuid::now_v7();
        let (mut tx, slot) = self.begin_audited().await?;
        sqlx::query(
            "INSERT INTO sharing_agreement (id, name, legal_basis, purposes, max_classification, \
             max_classification_rank, valid_from, valid_until, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id.to_string())
        .bind(a.name.trim())
        .bind(a.legal_basis.trim())
        .bind(a.purposes.trim())
        .bind(a.max_classification.slug())
        .bind(a.max_classification.rank())
        .bind(date(a.valid_from))
        .bind(a.valid_until.map(date))
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        for party in &a.parties {
            sqlx::query("INSERT INTO agreement_party (agreement_id, org_id) VALUES ($1, $2)")
                .bind(id.to_string())
                .bind(party.to_string())
                .execute(&mut *tx)
                .await?;
        }
        for theme in &a.themes {
            sqlx::query("INSERT INTO agreement_theme (agreement_id, theme) VALUES ($1, $2)")
                .bind(id.to_string())
                .bind(theme)
                .execute(&mut *tx)
                .await?;
        }
        let event = AuditRecord::success(
            "agreement.create",
            "sharing-agreement",
            Some(id.to_string()),
            format!(
                "themes={} max={}",
                a.themes.join(","),
                a.max_classification.slug()
            ),
        );
        Self::commit_audited(tx, slot, actor_fields(actor), event, now).await?;
        Ok(SharingAgreement {
            id,
            name: a.name.trim().to_string(),
            parties: a.parties,
            legal_basis: a.legal_basis.trim().to_string(),
            purposes: a.purposes.trim().to_string(),
            themes: a.themes,
            max_classification: a.max_classification,
            valid_from: a.valid_from,
            valid_until: a.valid_until,
        })
    }

    async fn agreements(&self) -> Result<Vec<SharingAgreement>> {
        let rows = sqlx::query(
            "SELECT id, name, legal_basis, purposes, max_classification, valid_from, valid_until \
             FROM sharing_agreement ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = get(row, "id")?;
            let parties = sqlx::query(
                "SELECT org_id FROM agreement_party WHERE agreement_id = $1 ORDER BY org_id",
            )
            .bind(&id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| parse_uuid(&get::<String>(r, "org_id")?))
            .collect::<Result<Vec<_>>>()?;
            let themes = sqlx::query(
                "SELECT theme FROM agreement_theme WHERE agreement_id = $1 ORDER BY theme",
            )
            .bind(&id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| get::<String>(r, "theme"))
            .collect::<Result<Vec<_>>>()?;
            out.push(SharingAgreement {
                id: parse_uuid(&id)?,
                name: get(row, "name")?,
                parties,
                legal_basis: get(row, "legal_basis")?,
                purposes: get(row, "purposes")?,
                themes,
                max_classification: parse_enum(Classification::parse(&get::<String>(
                    row,
                    "max_classification",
                )?))?,
                valid_from: parse_date(&get::<String>(row, "valid_from")?)?,
                valid_until: get::<Option<String>>(row, "valid_until")?
                    .map(|d| parse_date(&d))
                    .transpose()?,
            });
        }
        Ok(out)
    }

    async fn catalogue(&self) -> Result<Catalogue> {
        let themes =
            sqlx::query("SELECT code, name, deadline_days FROM theme ORDER BY position, code")
                .fetch_all(&self.pool)
                .await?;
        let indicators =
            sqlx::query("SELECT code, theme, name FROM indicator ORDER BY position, code")
                .fetch_all(&self.pool)
                .await?;
        let mut catalogue = Catalogue::default();
        for row in &themes {
            catalogue.themes.push(Theme {
                code: get(row, "code")?,
                name: get(row, "name")?,
                deadline_working_days: get::<Option<i64>>(row, "deadline_days")?
                    .and_then(|d| u32::try_from(d).ok()),
                indicators: Vec::new(),
            });
        }
        for row in &indicators {
            let theme: String = get(row, "theme")?;
            if let Some(t) = catalogue.themes.iter_mut().find(|t| t.code == theme) {
                t.indicators.push(Indicator {
                    code: get(row, "code")?,
                    name: get(row, "name")?,
                });
            }
        }
        Ok(catalogue)
    }

    async fn ensure_catalogue(
        &self,
        actor: &Actor,
        defaults: &Catalogue,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let (mut tx, slot) = self.begin_audited().await?;
        let existing = get::<i64>(
            &sqlx::query("SELECT COUNT(*) AS n FROM theme")
                .fetch_one(&mut *tx)
                .await?,
            "n",
        )?;
        if existing > 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        for (tp, theme) in defaults.themes.iter().enumerate() {
            sqlx::query(
                "INSERT INTO theme (code, name, position, deadline_days) VALUES ($1, $2, $3, $4)",
            )
            .bind(&theme.code)
            .bind(&theme.name)
            .bind(tp as i64)
            .bind(theme.deadline_working_days.map(i64::from))
            .execute(&mut *tx)
            .await?;
            for (ip, ind) in theme.indicators.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO indicator (code, theme, name, position) VALUES ($1, $2, $3, $4)",
                )
                .bind(&ind.code)
                .bind(&theme.code)
                .bind(&ind.name)
                .bind(ip as i64)
                .execute(&mut *tx)
                .await?;
            }
        }
        let event = AuditRecord::success(
            "catalogue.seed",
            "catalogue",
            None,
            format!("themes={}", defaults.themes.len()),
        );
        Self::commit_audited(tx, slot, actor_fields(actor), event, now).await?;
        Ok(true)
    }

    async fn change_catalogue(
        &self,
        caller: &Caller,
        change: baken_core::catalogue::CatalogueChange,
        now: OffsetDateTime,
    ) -> Result<()> {
        use baken_core::catalogue::CatalogueChange;
        if !caller.may_manage_catalogue() {
            return Err(StoreError::Forbidden(
                "alleen een beheerder beheert de catalogus".into(),
            ));
        }
        let (mut tx, slot) = self.begin_audited().await?;
        let (object, detail) = match &change {
            CatalogueChange::Theme {
                code,
                name,
                deadline_working_days,
            } => {
                sqlx::query(
                    "INSERT INTO theme (code, name, position, deadline_days) \
                     VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM theme), $3) \
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, deadline_days = excluded.deadline_days",
                )
                .bind(code)
                .bind(name)
                .bind(deadline_working_days.map(i64::from))
                .execute(&mut *tx)
                .await?;
                (
                    code.clone(),
                    format!(
                        "theme deadline={}",
                        deadline_working_days
                            .map(|d| d.to_string())
                            .unwrap_or_default()
                    ),
                )
            }
            CatalogueChange::Indicator { theme, code, name } => {
                let known = sqlx::query("SELECT code FROM theme WHERE code = $1")
                    .bind(theme)
                    .fetch_optional(&mut *tx)
                    .await?;
                if known.is_none() {
                    let mut e = baken_core::ValidationErrors::new();
                    e.push("theme", format!("onbekend thema '{theme}'"));
                    return Err(StoreError::Invalid(e));
                }
                let other = sqlx::query("SELECT theme FROM indicator WHERE code = $1")
                    .bind(code)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(row) = other {
                    let owner: String = get(&row, "theme")?;
                    if owner != *theme {
                        let mut e = baken_core::ValidationErrors::new();
                        e.push("code", format!("deze code hoort al bij thema '{owner}'"));
                        return Err(StoreError::Invalid(e));
                    }
                }
                sqlx::query(
                    "INSERT INTO indicator (code, theme, name, position) \
                     VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM indicator WHERE theme = $2)) \
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                )
                .bind(code)
                .bind(theme)
                .bind(name)
                .execute(&mut *tx)
                .await?;
                (code.clone(), format!("indicator theme={theme}"))
            }
        };
        let event = AuditRecord::success("catalogue.change", "catalogue", Some(object), detail);
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await
    }

    async fn upsert_areas(
        &self,
        actor: &Actor,
        areas: &[AreaShape],
        now: OffsetDateTime,
    ) -> Result<()> {
        let (mut tx, slot) = self.begin_audited().await?;
        for shape in areas {
            let area = &shape.area;
            sqlx::query(
                "INSERT INTO area (code, year, name, kind, parent_code, geometry) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (code, year) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
                 parent_code = excluded.parent_code, geometry = excluded.geometry",
            )
            .bind(&area.code)
            .bind(i64::from(area.year))
            .bind(&area.name)
            .bind(area.kind.slug())
            .bind(&area.parent)
            .bind(shape.geometry.as_ref().map(baken_geo::geometry_to_text))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('areas_version', $1) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(Uuid::now_v7().to_string())
        .execute(&mut *tx)
        .await?;
        let kinds: std::collections::BTreeSet<&str> =
            areas.iter().map(|a| a.area.kind.slug()).collect();
        let event = AuditRecord::success(
            "area.import",
            "area",
            None,
            format!(
                "count={} kinds={}",
                areas.len(),
                kinds.into_iter().collect::<Vec<_>>().join(",")
            ),
        );
        Self::commit_audited(tx, slot, actor_fields(actor), event, now).await
    }

    async fn areas(&self, kind: AreaKind) -> Result<Vec<Area>> {
        let rows = sqlx::query("SELECT code, year, name, kind, parent_code FROM area WHERE kind = $1 ORDER BY code, year")
            .bind(kind.slug())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(area_from_row).collect()
    }

    async fn child_areas(&self, code: &str) -> Result<Vec<Area>> {
        let rows = sqlx::query(
            "SELECT code, year, name, kind, parent_code FROM area a WHERE parent_code = $1 \
             AND year = (SELECT MAX(b.year) FROM area b WHERE b.code = a.code) ORDER BY code",
        )
        .bind(code)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(area_from_row).collect()
    }

    async fn area(&self, code: &str) -> Result<Option<Area>> {
        let row = sqlx::query(
            "SELECT code, year, name, kind, parent_code FROM area WHERE code = $1 ORDER BY year DESC LIMIT 1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(area_from_row).transpose()
    }

    async fn area_shapes(
        &self,
        kind: AreaKind,
    ) -> Result<Vec<(Area, Option<baken_geo::MultiPolygon<f64>>)>> {
        let rows = sqlx::query(
            "SELECT code, year, name, kind, parent_code, geometry FROM area a WHERE kind = $1 \
             AND year = (SELECT MAX(b.year) FROM area b WHERE b.code = a.code) ORDER BY code",
        )
        .bind(kind.slug())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let geometry = get::<Option<String>>(r, "geometry")?
                    .map(|t| baken_geo::geometry_from_text(&t))
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(format!("geometrie van gebied: {e}")))?;
                Ok((area_from_row(r)?, geometry))
            })
            .collect()
    }

    async fn upsert_area_bases(
        &self,
        actor: &Actor,
        bases: &[AreaBase],
        now: OffsetDateTime,
    ) -> Result<()> {
        let (mut tx, slot) = self.begin_audited().await?;
        for base in bases {
            sqlx::query(
                "INSERT INTO area_base (area_code, kind, year, value, source) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (area_code, kind, year) DO UPDATE SET value = excluded.value, source = excluded.source",
            )
            .bind(&base.area_code)
            .bind(base.kind.slug())
            .bind(i64::from(base.year))
            .bind(i64::try_from(base.value).unwrap_or(i64::MAX))
            .bind(&base.source)
            .execute(&mut *tx)
            .await?;
        }
        let kinds: std::collections::BTreeSet<&str> = bases.iter().map(|b| b.kind.slug()).collect();
        let event = AuditRecord::success(
            "area-base.import",
            "area-base",
            None,
            format!(
                "count={} kinds={}",
                bases.len(),
                kinds.into_iter().collect::<Vec<_>>().join(",")
            ),
        );
        Self::commit_audited(tx, slot, actor_fields(actor), event, now).await
    }

    async fn area_bases(&self, kind: BaseKind) -> Result<Vec<AreaBase>> {
        let rows = sqlx::query(
            "SELECT area_code, year, value, source FROM area_base b WHERE kind = $1 \
             AND year = (SELECT MAX(c.year) FROM area_base c WHERE c.area_code = b.area_code AND c.kind = b.kind) \
             ORDER BY area_code",
        )
        .bind(kind.slug())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AreaBase {
                    area_code: get(r, "area_code")?,
                    kind,
                    year: i32::try_from(get::<i64>(r, "year")?).unwrap_or_default(),
                    value: u64::try_from(get::<i64>(r, "value")?).unwrap_or(0),
                    source: get(r, "source")?,
                })
            })
            .collect()
    }

    async fn record_event(
        &self,
        actor: &Actor,
        event: AuditRecord<'_>,
        now: OffsetDateTime,
    ) -> Result<()> {
        let (tx, slot) = self.begin_audited().await?;
        Self::commit_audited(tx, slot, actor_fields(actor), event, now).await
    }

    async fn create_signal(
        &self,
        caller: &Caller,
        new: NewSignal,
        now: OffsetDateTime,
    ) -> Result<Signal> {
        if !caller.may_register_signal() {
            return Err(StoreError::Forbidden(
                "uw rol mag geen signalen registreren".into(),
            ));
        }
        let index = self.index_for(&new).await?;
        let (mut tx, slot) = self.begin_audited().await?;
        let ids = Self::insert_signals(
            &mut tx,
            caller,
            std::slice::from_ref(&new),
            index.as_deref(),
            Linking::Now,
            now,
        )
        .await?;
        let id = ids.first().copied().ok_or(StoreError::NotFound)?;
        let signal = Self::visible_signal(&mut tx, caller, id, now.date()).await?;
        let event = AuditRecord::success(
            "signal.create",
            "signal",
            Some(id.to_string()),
            format!(
                "classification={} subjects={}",
                new.classification.slug(),
                new.subjects.len()
            ),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        // A toezichthouder always sees what they registered; anyone else sees their own org's.
        signal.ok_or(StoreError::NotFound)
    }

    async fn create_public_report(
        &self,
        intake: &Caller,
        report: baken_core::public::PublicReport,
        now: OffsetDateTime,
    ) -> Result<String> {
        if !intake.may_register_signal() {
            return Err(StoreError::Forbidden(
                "het meldformulier-account mag geen signalen registreren".into(),
            ));
        }
        let reference = public_reference();
        let (mut tx, slot) = self.begin_audited().await?;
        let ids = Self::insert_signals(
            &mut tx,
            intake,
            std::slice::from_ref(&report.signal),
            None,
            Linking::Now,
            now,
        )
        .await?;
        let id = ids.first().copied().ok_or(StoreError::NotFound)?;
        let contact = report.contact.as_ref();
        sqlx::query(
            "INSERT INTO public_report (signal_id, reference, contact_name, contact_phone, contact_email, wipe_after) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.to_string())
        .bind(&reference)
        .bind(contact.and_then(|c| c.name.clone()))
        .bind(contact.and_then(|c| c.phone.clone()))
        .bind(contact.and_then(|c| c.email.clone()))
        .bind(contact.map(|c| date(c.wipe_after)))
        .execute(&mut *tx)
        .await?;
        let event = AuditRecord::success(
            "signal.create",
            "signal",
            Some(id.to_string()),
            format!("channel=meldformulier contact={}", contact.is_some()),
        );
        Self::commit_audited(tx, slot, caller_fields(intake), event, now).await?;
        Ok(reference)
    }

    async fn purge_reporter_contacts(&self, now: OffsetDateTime) -> Result<u64> {
        let (mut tx, slot) = self.begin_audited().await?;
        let done = sqlx::query(
            "UPDATE public_report SET contact_name = NULL, contact_phone = NULL, contact_email = NULL, wipe_after = NULL \
             WHERE wipe_after IS NOT NULL AND wipe_after <= $1",
        )
        .bind(date(now.date()))
        .execute(&mut *tx)
        .await?;
        let wiped = done.rows_affected();
        if wiped == 0 {
            tx.rollback().await?;
            return Ok(0);
        }
        let event = AuditRecord::success(
            "reporter-contact.wipe",
            "public-report",
            None,
            format!("count={wiped}"),
        );
        Self::commit_audited(
            tx,
            slot,
            actor_fields(&Actor::System {
                process: "bewaartermijn".into(),
            }),
            event,
            now,
        )
        .await?;
        Ok(wiped)
    }

    async fn begin_import(&self, caller: &Caller) -> Result<Box<dyn crate::SignalImport + '_>> {
        if !caller.may_register_signal() {
            return Err(StoreError::Forbidden(
                "uw rol mag geen signalen registreren".into(),
            ));
        }
        let index = self.area_index().await?;
        // The audit slot is taken at commit, so that a long import does not hold up every
        // other audited action on engines that lock rows (PostgreSQL).
        let tx = self.pool.begin().await?;
        Ok(Box::new(EngineImport {
            tx,
            caller: caller.clone(),
            index,
            rows: 0,
            subjects: Vec::new(),
        }))
    }

    async fn signal(&self, caller: &Caller, id: Uuid, now: OffsetDateTime) -> Result<SignalDetail> {
        let (mut tx, slot) = self.begin_audited().await?;
        let found = Self::visible_signal(&mut tx, caller, id, now.date()).await?;
        let result = if found.is_some() {
            "success"
        } else {
            "not-found"
        };
        let detail = match found {
            Some(signal) => Some(Self::detail(&mut tx, caller, signal).await?),
            None => None,
        };
        let event = AuditRecord {
            action: "signal.read",
            object_type: "signal",
            object_id: Some(id.to_string()),
            result,
            detail: String::new(),
        };
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        detail.ok_or(StoreError::NotFound)
    }

    async fn list_signals(
        &self,
        caller: &Caller,
        filter: &SignalFilter,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<Signal>> {
        let today = now.date();
        let (mut tx, slot) = self.begin_audited().await?;
        let search = match &filter.text {
            Some(text) => prepare_search(&mut tx, text).await?,
            None => None,
        };
        let mut count = QueryBuilder::<Db>::new("SELECT COUNT(*) AS n FROM signal s WHERE ");
        push_visible(&mut count, caller, today);
        push_filters(&mut count, filter, search.as_deref(), caller, today);
        let total =
            u64::try_from(get::<i64>(&count.build().fetch_one(&mut *tx).await?, "n")?).unwrap_or(0);

        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {SIGNAL_COLUMNS} FROM signal s JOIN organisation o ON o.id = s.owner_org WHERE "
        ));
        push_visible(&mut qb, caller, today);
        push_filters(&mut qb, filter, search.as_deref(), caller, today);
        qb.push(" ORDER BY s.received_at DESC, s.id DESC LIMIT ")
            .push_bind(i64::from(page.page_size))
            .push(" OFFSET ")
            .push_bind(i64::try_from(page.offset()).unwrap_or(i64::MAX));
        let rows = qb.build().fetch_all(&mut *tx).await?;
        let mut items = rows
            .iter()
            .map(signal_from_row)
            .collect::<Result<Vec<_>>>()?;
        Self::attach_codes(&mut tx, &mut items).await?;
        let event = AuditRecord::success(
            "signal.list",
            "signal",
            None,
            format!("shown={} total={} page={}", items.len(), total, page.page),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        Ok(Page {
            items,
            page: page.page,
            page_size: page.page_size,
            total,
        })
    }

    async fn overview(
        &self,
        caller: &Caller,
        suppression: Suppression,
        now: OffsetDateTime,
    ) -> Result<Overview> {
        let today = now.date();
        let aggregated = caller.sees_only_aggregates();
        let visible = |qb: &mut QueryBuilder<'_, Db>| push_countable(qb, caller, today);
        let by_status = self
            .count_where(
                "SELECT s.status AS k, COUNT(*) AS n FROM signal s WHERE ",
                " GROUP BY s.status",
                &visible,
            )
            .await?;
        let by_theme = self
            .count_where(
                "SELECT st.theme AS k, COUNT(*) AS n FROM signal s JOIN signal_theme st ON st.signal_id = s.id WHERE ",
                " GROUP BY st.theme",
                &visible,
            )
            .await?;
        let shown = |n: u64| ShownCount::shown(n, aggregated, suppression);
        let total: u64 = by_status.iter().map(|(_, n)| n).sum();
        let catalogue = self.catalogue().await?;
        Ok(Overview {
            aggregated,
            total: shown(total),
            by_status: SignalStatus::ALL
                .iter()
                .map(|s| {
                    let n = by_status
                        .iter()
                        .find(|(k, _)| k == s.slug())
                        .map_or(0, |(_, n)| *n);
                    (*s, shown(n))
                })
                .collect(),
            by_theme: catalogue
                .themes
                .iter()
                .map(|t| {
                    let n = by_theme
                        .iter()
                        .find(|(k, _)| *k == t.code)
                        .map_or(0, |(_, n)| *n);
                    (t.code.clone(), shown(n))
                })
                .collect(),
        })
    }

    async fn signal_counts(
        &self,
        caller: &Caller,
        query: &CountQuery,
        suppression: Suppression,
        now: OffsetDateTime,
    ) -> Result<SignalCounts> {
        let today = now.date();
        let aggregated = caller.sees_only_aggregates();
        if caller.signal_scope() == SignalScope::Nothing && !aggregated {
            return Err(StoreError::Forbidden(
                "uw rol ziet geen signalen en geen aantallen".into(),
            ));
        }
        let filter = &query.filter;
        let mut tx = self.pool.begin().await?;
        let search = match &filter.text {
            Some(text) => prepare_search(&mut tx, text).await?,
            None => None,
        };
        let mut total = QueryBuilder::<Db>::new("SELECT COUNT(*) AS n FROM signal s WHERE ");
        push_countable(&mut total, caller, today);
        push_filters(&mut total, filter, search.as_deref(), caller, today);
        let total =
            u64::try_from(get::<i64>(&total.build().fetch_one(&mut *tx).await?, "n")?).unwrap_or(0);
        let mut qb = match query.group {
            CountGroup::Area(kind) => {
                let mut qb = QueryBuilder::<Db>::new(
                    "SELECT ga.area_code AS k, COUNT(*) AS n FROM signal s \
                     JOIN signal_area ga ON ga.signal_id = s.id AND ga.area_kind = ",
                );
                qb.push_bind(kind.slug()).push(" WHERE ");
                qb
            }
            CountGroup::Month => QueryBuilder::<Db>::new(
                "SELECT substr(s.received_at, 1, 7) AS k, COUNT(*) AS n FROM signal s WHERE ",
            ),
            CountGroup::Organisation => QueryBuilder::<Db>::new(
                "SELECT o.name AS k, COUNT(*) AS n FROM signal s \
                 JOIN organisation o ON o.id = s.owner_org WHERE ",
            ),
        };
        push_countable(&mut qb, caller, today);
        push_filters(&mut qb, filter, search.as_deref(), caller, today);
        qb.push(" GROUP BY 1 ORDER BY 1");
        let rows = qb.build().fetch_all(&mut *tx).await?;
        let groups = rows
            .iter()
            .map(|r| {
                let n = u64::try_from(get::<i64>(r, "n")?).unwrap_or(0);
                Ok((
                    get::<String>(r, "k")?,
                    ShownCount::shown(n, aggregated, suppression),
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SignalCounts {
            aggregated,
            total: ShownCount::shown(total, aggregated, suppression),
            groups,
        })
    }

    async fn signal_points(
        &self,
        caller: &Caller,
        filter: &SignalFilter,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<Vec<SignalPoint>> {
        let today = now.date();
        let (mut tx, slot) = self.begin_audited().await?;
        let search = match &filter.text {
            Some(text) => prepare_search(&mut tx, text).await?,
            None => None,
        };
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT s.id, s.lon_micro, s.lat_micro, s.title, s.status, s.received_at FROM signal s \
             WHERE s.lat_micro IS NOT NULL AND s.lon_micro IS NOT NULL AND ",
        );
        push_visible(&mut qb, caller, today);
        push_filters(&mut qb, filter, search.as_deref(), caller, today);
        qb.push(" ORDER BY s.received_at DESC, s.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows = qb.build().fetch_all(&mut *tx).await?;
        let points = rows
            .iter()
            .map(|r| {
                Ok(SignalPoint {
                    id: parse_uuid(&get::<String>(r, "id")?)?,
                    longitude: get::<i64>(r, "lon_micro")? as f64 / 1e6,
                    latitude: get::<i64>(r, "lat_micro")? as f64 / 1e6,
                    title: get(r, "title")?,
                    status: parse_enum(SignalStatus::parse(&get::<String>(r, "status")?))?,
                    received_on: parse_ts(&get::<String>(r, "received_at")?)?.date(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let event = AuditRecord::success(
            "signal.map",
            "signal",
            None,
            format!("shown={}", points.len()),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        Ok(points)
    }

    async fn assign_signal(
        &self,
        caller: &Caller,
        id: Uuid,
        assignment: baken_core::signal::Assignment,
        now: OffsetDateTime,
    ) -> Result<SignalDetail> {
        let (mut tx, slot) = self.begin_audited().await?;
        let found = Self::visible_signal(&mut tx, caller, id, now.date()).await?;
        let signal = match found {
            None => Err(StoreError::NotFound),
            Some(s) if !caller.may_change_status(s.classification, s.owner_org) => Err(
                StoreError::Forbidden("uw rol mag dit signaal niet toewijzen".into()),
            ),
            Some(s) => Ok(s),
        };
        let signal = match signal {
            Ok(s) => s,
            Err(err) => {
                let result = refusal_result(&err);
                let event = AuditRecord {
                    action: "signal.assign",
                    object_type: "signal",
                    object_id: Some(id.to_string()),
                    result,
                    detail: String::new(),
                };
                Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
                return Err(err);
            }
        };
        let assignee_name = match assignment.user {
            None => None,
            Some(user) => {
                let row = sqlx::query("SELECT display_name FROM app_user WHERE id = $1 AND org_id = $2 AND active = 1")
                    .bind(user.to_string())
                    .bind(signal.owner_org.to_string())
                    .fetch_optional(&mut *tx)
                    .await?;
                match row {
                    Some(r) => Some(get::<String>(&r, "display_name")?),
                    None => {
                        let mut e = baken_core::ValidationErrors::new();
                        e.push(
                            "assignee",
                            "deze medewerker hoort niet bij de organisatie van het signaal",
                        );
                        return Err(StoreError::Invalid(e));
                    }
                }
            }
        };
        sqlx::query("UPDATE signal SET assigned_user = $1, assigned_team = $2, updated_at = $3 WHERE id = $4")
            .bind(assignment.user.map(|u| u.to_string()))
            .bind(&assignment.team)
            .bind(ts(now))
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        let to = match (&assignee_name, &assignment.team) {
            (Some(n), Some(t)) => format!("{n} ({t})"),
            (Some(n), None) => n.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => "niemand".into(),
        };
        let reason = format!("Toegewezen aan {to}: {}", assignment.reason);
        Self::insert_history(
            &mut tx,
            id,
            caller.user,
            Some(signal.status),
            signal.status,
            &reason,
            now,
        )
        .await?;
        let updated = Self::visible_signal(&mut tx, caller, id, now.date())
            .await?
            .ok_or(StoreError::NotFound)?;
        let detail = Self::detail(&mut tx, caller, updated).await?;
        let event = AuditRecord::success(
            "signal.assign",
            "signal",
            Some(id.to_string()),
            format!(
                "user={} team={}",
                assignment.user.map(|u| u.to_string()).unwrap_or_default(),
                assignment.team.is_some()
            ),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        Ok(detail)
    }

    async fn assignable_users(&self, caller: &Caller) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM app_user u WHERE u.org_id = $1 AND u.active = 1 \
             AND u.password_hash IS NOT NULL ORDER BY u.display_name"
        ))
        .bind(caller.org.to_string())
        .fetch_all(&self.pool)
        .await?;
        let users = rows.iter().map(user_from_row).collect::<Result<Vec<_>>>()?;
        use baken_core::Role;
        Ok(users
            .into_iter()
            .filter(|u| {
                [Role::Analist, Role::BibobCoordinator, Role::Toezichthouder]
                    .iter()
                    .any(|r| u.roles.has(*r))
            })
            .collect())
    }

    async fn suggest_subjects(
        &self,
        caller: &Caller,
        text: &str,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<Vec<(SubjectKind, String)>> {
        let folded = baken_core::subject::fold(text)
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let (mut tx, slot) = self.begin_audited().await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT su.kind, su.normalised, MIN(su.details) AS details FROM subject su \
             JOIN signal_subject ss ON ss.subject_id = su.id JOIN signal s ON s.id = ss.signal_id WHERE ",
        );
        push_visible(&mut qb, caller, now.date());
        qb.push(" AND UPPER(su.normalised) LIKE ")
            .push_bind(format!("%{folded}%"))
            .push(" ESCAPE '\\' GROUP BY su.kind, su.normalised ORDER BY su.normalised LIMIT ")
            .push_bind(i64::from(limit));
        let rows = qb.build().fetch_all(&mut *tx).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let details: baken_core::subject::SubjectDetails =
                serde_json::from_str(&get::<String>(r, "details")?)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            out.push((
                parse_enum(SubjectKind::parse(&get::<String>(r, "kind")?))?,
                details.display(),
            ));
        }
        let event = AuditRecord::success(
            "subject.suggest",
            "subject",
            None,
            format!("shown={}", out.len()),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        Ok(out)
    }

    async fn change_signal_status(
        &self,
        caller: &Caller,
        id: Uuid,
        change: StatusChange,
        now: OffsetDateTime,
    ) -> Result<SignalDetail> {
        let (mut tx, slot) = self.begin_audited().await?;
        let found = Self::visible_signal(&mut tx, caller, id, now.date()).await?;
        let outcome: Result<Signal> = match found {
            None => Err(StoreError::NotFound),
            Some(s) if !caller.may_change_status(s.classification, s.owner_org) => Err(
                StoreError::Forbidden("uw rol mag de status van dit signaal niet wijzigen".into()),
            ),
            Some(s) => match change.check_from(s.status) {
                Err(refused) => Err(refused.into()),
                Ok(()) => Ok(s),
            },
        };
        let signal = match outcome {
            Ok(s) => s,
            Err(err) => {
                // Refused attempts are audited too; nothing else changes.
                let result = refusal_result(&err);
                let event = AuditRecord {
                    action: "signal.status-change",
                    object_type: "signal",
                    object_id: Some(id.to_string()),
                    result,
                    detail: format!("to={}", change.to.slug()),
                };
                Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
                return Err(err);
            }
        };
        sqlx::query("UPDATE signal SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(change.to.slug())
            .bind(ts(now))
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        Self::insert_history(
            &mut tx,
            id,
            caller.user,
            Some(signal.status),
            change.to,
            &change.reason,
            now,
        )
        .await?;
        let updated = Self::visible_signal(&mut tx, caller, id, now.date())
            .await?
            .ok_or(StoreError::NotFound)?;
        let detail = Self::detail(&mut tx, caller, updated).await?;
        let event = AuditRecord::success(
            "signal.status-change",
            "signal",
            Some(id.to_string()),
            format!("from={} to={}", signal.status.slug(), change.to.slug()),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        Ok(detail)
    }

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

    async fn dossier(
        &self,
        caller: &Caller,
        entity: Uuid,
        reason: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<crate::Dossier> {
        self.dossier_impl(caller, entity, reason, now).await
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

    async fn link_thresholds(&self) -> Result<Vec<(SubjectKind, f64)>> {
        self.link_thresholds_impl().await
    }

    async fn set_link_threshold(
        &self,
        caller: &Caller,
        kind: SubjectKind,
        threshold: f64,
        now: OffsetDateTime,
    ) -> Result<()> {
        self.set_link_threshold_impl(caller, kind, threshold, now)
            .await
    }

    async fn relink(
        &self,
        actor: &Actor,
        progress: &dyn crate::RelinkProgress,
        now: OffsetDateTime,
    ) -> Result<crate::RelinkSummary> {
        self.relink_impl(actor, progress, now).await
    }

    async fn checklist(&self, kind: VisitKind) -> Result<Vec<String>> {
        let rows =
            sqlx::query("SELECT question FROM checklist_item WHERE kind = $1 ORDER BY position")
                .bind(kind.slug())
                .fetch_all(&self.pool)
                .await?;
        if rows.is_empty() {
            return Ok(kind.default_checklist());
        }
        rows.iter().map(|r| get::<String>(r, "question")).collect()
    }

    async fn set_checklist(
        &self,
        caller: &Caller,
        kind: VisitKind,
        questions: Vec<String>,
        now: OffsetDateTime,
    ) -> Result<()> {
        if !caller.may_manage_catalogue() {
            return Err(StoreError::Forbidden(
                "alleen een beheerder beheert de checklists".into(),
            ));
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
            let mut e = baken_core::ValidationErrors::new();
            e.push(
                "questions",
                "een checklist heeft 1 tot 50 vragen van hoogstens 300 tekens",
            );
            return Err(StoreError::Invalid(e));
        }
        let (mut tx, slot) = self.begin_audited().await?;
        sqlx::query("DELETE FROM checklist_item WHERE kind = $1")
            .bind(kind.slug())
            .execute(&mut *tx)
            .await?;
        for (i, q) in questions.iter().enumerate() {
            sqlx::query(
                "INSERT INTO checklist_item (kind, position, question) VALUES ($1, $2, $3)",
            )
            .bind(kind.slug())
            .bind(i as i64)
            .bind(q)
            .execute(&mut *tx)
            .await?;
        }
        let event = AuditRecord::success(
            "checklist.change",
            "checklist",
            Some(kind.slug().into()),
            format!("questions={}", questions.len()),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await
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
            return Err(StoreError::Forbidden(
                "alleen een analist of beheerder legt objecten vast".into(),
            ));
        }
        let (mut tx, slot) = self.begin_audited().await?;
        let rows: Vec<(String, &NewFieldObject)> = objects
            .iter()
            .map(|o| (Uuid::now_v7().to_string(), o))
            .collect();
        let org = caller.org.to_string();
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
            "field-object.import",
            "field-object",
            None,
            format!("kind={kind} count={}", rows.len()),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        Ok(rows.len() as u64)
    }

    async fn field_objects(&self, caller: &Caller, kind: &str) -> Result<Vec<FieldObject>> {
        if caller.signal_scope() == SignalScope::Nothing && !caller.may_manage_catalogue() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT id, kind, name, address, area_code FROM field_object WHERE owner_org = $1 AND kind = $2 ORDER BY name",
        )
        .bind(caller.org.to_string())
        .bind(kind)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FieldObject {
                    id: parse_uuid(&get::<String>(r, "id")?)?,
                    kind: get(r, "kind")?,
                    name: get(r, "name")?,
                    address: get(r, "address")?,
                    area_code: get(r, "area_code")?,
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
            return Err(StoreError::Forbidden(
                "uw rol mag geen bezoeken vastleggen".into(),
            ));
        }
        let (mut tx, slot) = self.begin_audited().await?;
        if let Some(object) = visit.object {
            let owned = sqlx::query("SELECT id FROM field_object WHERE id = $1 AND owner_org = $2")
                .bind(object.to_string())
                .bind(caller.org.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            if owned.is_none() {
                let mut e = baken_core::ValidationErrors::new();
                e.push("object", "dit object hoort niet bij uw organisatie");
                return Err(StoreError::Invalid(e));
            }
        }
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO field_visit (id, owner_org, created_by, kind, object_id, location, area_code, visited_on, notes, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id.to_string())
        .bind(caller.org.to_string())
        .bind(caller.user.to_string())
        .bind(visit.kind.slug())
        .bind(visit.object.map(|o| o.to_string()))
        .bind(&visit.location)
        .bind(visit.area.as_ref().map(|a| a.to_string()))
        .bind(date(visit.visited_on))
        .bind(&visit.notes)
        .bind(ts(now))
        .execute(&mut *tx)
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
            "visit.create",
            "field-visit",
            Some(vid.clone()),
            format!(
                "kind={} findings={}",
                visit.kind.slug(),
                visit.findings.len()
            ),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        Ok(id)
    }

    async fn visits(
        &self,
        caller: &Caller,
        kind: VisitKind,
        now: OffsetDateTime,
    ) -> Result<Vec<VisitSummary>> {
        let (mut tx, slot) = self.begin_audited().await?;
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {VISIT_COLUMNS} FROM field_visit v LEFT JOIN field_object o ON o.id = v.object_id \
             JOIN app_user u ON u.id = v.created_by WHERE v.kind = "
        ));
        qb.push_bind(kind.slug()).push(" AND ");
        push_visit_visible(&mut qb, caller);
        qb.push(" ORDER BY v.visited_on DESC, v.id DESC LIMIT 500");
        let rows = qb.build().fetch_all(&mut *tx).await?;
        let visits = rows
            .iter()
            .map(visit_from_row)
            .collect::<Result<Vec<_>>>()?;
        let event = AuditRecord::success(
            "visit.list",
            "field-visit",
            None,
            format!("kind={} shown={}", kind.slug(), visits.len()),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        Ok(visits)
    }

    async fn visits_in_area(
        &self,
        caller: &Caller,
        area_code: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<VisitSummary>> {
        let (mut tx, slot) = self.begin_audited().await?;
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
        let rows = qb.build().fetch_all(&mut *tx).await?;
        let visits = rows
            .iter()
            .map(visit_from_row)
            .collect::<Result<Vec<_>>>()?;
        let event = AuditRecord::success(
            "visit.list",
            "field-visit",
            None,
            format!("area={area_code} shown={}", visits.len()),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        Ok(visits)
    }

    async fn visit(&self, caller: &Caller, id: Uuid, now: OffsetDateTime) -> Result<VisitDetail> {
        let (mut tx, slot) = self.begin_audited().await?;
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {VISIT_COLUMNS}, v.notes FROM field_visit v LEFT JOIN field_object o ON o.id = v.object_id \
             JOIN app_user u ON u.id = v.created_by WHERE v.id = "
        ));
        qb.push_bind(id.to_string()).push(" AND ");
        push_visit_visible(&mut qb, caller);
        let row = qb.build().fetch_optional(&mut *tx).await?;
        let detail = match row {
            None => None,
            Some(r) => {
                let summary = visit_from_row(&r)?;
                let notes: Option<String> = get(&r, "notes")?;
                let answers = sqlx::query("SELECT question, answer FROM visit_answer WHERE visit_id = $1 ORDER BY position")
                    .bind(id.to_string())
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|a| {
                        Ok((
                            get::<String>(a, "question")?,
                            get::<Option<String>>(a, "answer")?.map(|x| parse_enum(Answer::parse(&x))).transpose()?,
                        ))
                    })
                    .collect::<Result<Vec<_>>>()?;
                let findings = sqlx::query("SELECT position, finding, signal_id FROM visit_finding WHERE visit_id = $1 ORDER BY position")
                    .bind(id.to_string())
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|f| {
                        Ok(VisitFinding {
                            position: u32::try_from(get::<i64>(f, "position")?).unwrap_or(0),
                            text: get(f, "finding")?,
                            signal: get::<Option<String>>(f, "signal_id")?.map(|s| parse_uuid(&s)).transpose()?,
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
            action: "visit.read",
            object_type: "field-visit",
            object_id: Some(id.to_string()),
            result: if detail.is_some() {
                "success"
            } else {
                "not-found"
            },
            detail: String::new(),
        };
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
        detail.ok_or(StoreError::NotFound)
    }

    async fn finding_to_signal(
        &self,
        caller: &Caller,
        visit: Uuid,
        position: u32,
        policy: &baken_core::signal::IntakePolicy,
        now: OffsetDateTime,
    ) -> Result<Signal> {
        if !caller.may_register_signal() {
            return Err(StoreError::Forbidden(
                "uw rol mag geen signalen registreren".into(),
            ));
        }
        let catalogue = self.catalogue().await?;
        let (mut tx, slot) = self.begin_audited().await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT v.kind, v.location, v.area_code, v.visited_on, o.name AS object_name, f.finding, f.signal_id \
             FROM field_visit v JOIN visit_finding f ON f.visit_id = v.id LEFT JOIN field_object o ON o.id = v.object_id \
             WHERE v.id = ",
        );
        qb.push_bind(visit.to_string())
            .push(" AND f.position = ")
            .push_bind(i64::from(position))
            .push(" AND ");
        push_visit_visible(&mut qb, caller);
        let Some(row) = qb.build().fetch_optional(&mut *tx).await? else {
            return Err(StoreError::NotFound);
        };
        if get::<Option<String>>(&row, "signal_id")?.is_some() {
            return Err(StoreError::Conflict(
                "van deze bevinding is al een signaal gemaakt".into(),
            ));
        }
        let kind = parse_enum(VisitKind::parse(&get::<String>(&row, "kind")?))?;
        let location = get::<Option<String>>(&row, "location")?
            .or(get::<Option<String>>(&row, "object_name")?);
        let area: Option<String> = get(&row, "area_code")?;
        let place = baken_core::field::VisitPlace {
            kind,
            location: location.as_deref(),
            area: area.as_deref(),
            visited_on: parse_date(&get::<String>(&row, "visited_on")?)?,
        };
        let new = baken_core::field::finding_signal(
            place,
            &get::<String>(&row, "finding")?,
            &catalogue,
            caller,
            (policy, now),
        )
        .map_err(StoreError::Invalid)?;
        let ids = Self::insert_signals(
            &mut tx,
            caller,
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
        .execute(&mut *tx)
        .await?;
        let signal = Self::visible_signal(&mut tx, caller, id, now.date()).await?;
        let event = AuditRecord::success(
            "signal.create",
            "signal",
            Some(id.to_string()),
            format!("channel={} visit={visit}", kind.slug()),
        );
        Self::commit_audited(tx, slot, caller_fields(caller), event, now).await?;
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
        let rows = sqlx::query(
            "SELECT o.area_code AS k, COUNT(*) AS n, \
             SUM(CASE WHEN EXISTS (SELECT 1 FROM field_visit v WHERE v.object_id = o.id \
             AND v.visited_on >= $3 AND v.visited_on <= $4) THEN 1 ELSE 0 END) AS visited \
             FROM field_object o WHERE o.owner_org = $1 AND o.kind = $2 AND o.area_code IS NOT NULL \
             GROUP BY o.area_code ORDER BY o.area_code",
        )
        .bind(caller.org.to_string())
        .bind(object_kind)
        .bind(format!("{year:04}-01-01"))
        .bind(format!("{year:04}-12-31"))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AreaObjects {
                    area_code: get(r, "k")?,
                    objects: u64::try_from(get::<i64>(r, "n")?).unwrap_or(0),
                    visited: u64::try_from(get::<i64>(r, "visited")?).unwrap_or(0),
                })
            })
            .collect()
    }

    async fn coverage(&self, caller: &Caller, kind: VisitKind, year: i32) -> Result<Coverage> {
        let org = caller.org.to_string();
        let total = sqlx::query(
            "SELECT COUNT(*) AS n FROM field_object WHERE owner_org = $1 AND kind = $2",
        )
        .bind(&org)
        .bind(kind.object_kind())
        .fetch_one(&self.pool)
        .await?;
        let visited = sqlx::query(
            "SELECT COUNT(DISTINCT v.object_id) AS n FROM field_visit v JOIN field_object o ON o.id = v.object_id \
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
            visited: u64::try_from(get::<i64>(&visited, "n")?).unwrap_or(0),
            total: u64::try_from(get::<i64>(&total, "n")?).unwrap_or(0),
        })
    }

    async fn verify_audit_chain(&self) -> Result<AuditVerification> {
        let mut expected_seq = 1i64;
        let mut prev = baken_core::audit::GENESIS_HASH.to_string();
        loop {
            let rows = sqlx::query(
                "SELECT seq, occurred_at, actor_user, actor_org, action, object_type, object_id, result, \
                 origin, purpose, detail, prev_hash, hash FROM audit_event WHERE seq >= $1 ORDER BY seq LIMIT 1000",
            )
            .bind(expected_seq)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let seq: i64 = get(row, "seq")?;
                if seq != expected_seq {
                    return Ok(AuditVerification::Broken {
                        seq: expected_seq,
                        reason: format!("gebeurtenis {expected_seq} ontbreekt (volgende is {seq})"),
                    });
                }
                let s = |c: &str| -> Result<String> {
                    Ok(get::<Option<String>>(row, c)?.unwrap_or_default())
                };
                let (occurred_at, actor_user, actor_org) =
                    (s("occurred_at")?, s("actor_user")?, s("actor_org")?);
                let (action, object_type, object_id) =
                    (s("action")?, s("object_type")?, s("object_id")?);
                let (result, origin, purpose, detail) =
                    (s("result")?, s("origin")?, s("purpose")?, s("detail")?);
                let (prev_hash, hash) = (s("prev_hash")?, s("hash")?);
                if prev_hash != prev {
                    return Ok(AuditVerification::Broken {
                        seq,
                        reason:
                            "verwijst niet naar de vorige gebeurtenis (verwijderd of verplaatst)"
                                .into(),
                    });
                }
                let recomputed = chain_hash(
                    &prev,
                    &ChainedFields {
                        seq,
                        occurred_at: &occurred_at,
                        actor_user: &actor_user,
                        actor_org: &actor_org,
                        action: &action,
                        object_type: &object_type,
                        object_id: &object_id,
                        result: &result,
                        origin: &origin,
                        purpose: &purpose,
                        detail: &detail,
                    },
                );
                if recomputed != hash {
                    return Ok(AuditVerification::Broken {
                        seq,
                        reason: "inhoud is gewijzigd (hash klopt niet)".into(),
                    });
                }
                prev = hash;
                expected_seq += 1;
            }
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let (head_seq, head_hash): (i64, String) = (get(&head, "seq")?, get(&head, "hash")?);
        let last = expected_seq - 1;
        if head_seq != last || head_hash != prev {
            return Ok(AuditVerification::Broken {
                seq: last + 1,
                reason: format!(
                    "de keten eindigt bij {last} maar de laatst geschreven gebeurtenis is {head_seq} (gebeurtenissen aan het eind verwijderd)"
                ),
            });
        }
        Ok(AuditVerification::Intact {
            events: u64::try_from(last).unwrap_or(0),
        })
    }

    async fn audit_events(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEvent>> {
        let rows = sqlx::query(
            "SELECT seq, occurred_at, actor_user, actor_org, action, object_type, object_id, result, \
             origin, purpose, detail, prev_hash, hash FROM audit_event WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after_seq)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let opt_uuid = |c: &str| -> Result<Option<Uuid>> {
                    match get::<Option<String>>(r, c)? {
                        Some(s) if !s.is_empty() => Ok(Some(parse_uuid(&s)?)),
                        _ => Ok(None),
                    }
                };
                Ok(AuditEvent {
                    seq: get(r, "seq")?,
                    occurred_at: parse_ts(&get::<String>(r, "occurred_at")?)?,
                    actor_user: opt_uuid("actor_user")?,
                    actor_org: opt_uuid("actor_org")?,
                    action: get(r, "action")?,
                    object_type: get(r, "object_type")?,
                    object_id: get::<Option<String>>(r, "object_id")?.filter(|s| !s.is_empty()),
                    result: get(r, "result")?,
                    origin: get(r, "origin")?,
                    purpose: get(r, "purpose")?,
                    detail: get(r, "detail")?,
                    prev_hash: get(r, "prev_hash")?,
                    hash: get(r, "hash")?,
                })
            })
            .collect()
    }
}
