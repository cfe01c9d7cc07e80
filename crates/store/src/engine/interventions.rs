//! The register of interventions: registering, the procedure's steps (checked by
//! `baken_core::intervention::flow`), details with their history, parties, art. 28
//! disclosures, and the deadlines of the caller's interventions. Who sees what is one
//! predicate ([`push_intervention_visible`]): the Bibob compartment only for the owning
//! organisation's bibob-coördinators; other interventions for whoever registered them, the
//! owning team (when not on a case) and whoever sees the case they are on.

use super::cases::push_case_visible;
use super::meetings::push_ids;
use super::*;
use baken_core::access::Suppression;
use baken_core::access::{Purpose, Role};
use baken_core::intervention::details::Details;
use baken_core::intervention::figures::InterventionFigures;
use baken_core::intervention::flow::{Flow, StoredStep};
use baken_core::intervention::{
    next_term, Art28Disclosure, Art28Recipient, Deadline, InterventionChange, InterventionDetail,
    InterventionFilter, InterventionKind, InterventionSummary, NewArt28, NewIntervention, NewParty,
    NewStep, Party, PartyRole, RawChange, Recidive, StepRecord, TaggedBarrier,
};
use baken_core::procedure::{Length, LengthUnit};
use baken_core::signal::Coordinates;

/// How many working days ahead a deadline counts as "soon".
pub const SOON_WORKING_DAYS: u16 = 5;

/// Appends "intervention `i` is visible to `caller`".
pub(super) fn push_intervention_visible(qb: &mut QueryBuilder<'_, Db>, caller: &Caller) {
    let bibob = InterventionKind::Bibob.slug();
    qb.push("((i.kind = ").push_bind(bibob);
    if caller.has(Role::BibobCoordinator) {
        qb.push(" AND i.owner_org = ")
            .push_bind(caller.org().to_string());
    } else {
        qb.push(" AND 1 = 0");
    }
    qb.push(") OR (i.kind <> ")
        .push_bind(bibob)
        .push(" AND (i.owner_user = ")
        .push_bind(caller.user().to_string());
    if caller.has(Role::Analist) {
        qb.push(" OR (i.case_id IS NULL AND i.owner_org = ")
            .push_bind(caller.org().to_string())
            .push(")");
    }
    qb.push(" OR EXISTS (SELECT 1 FROM case_file c WHERE c.id = i.case_id AND ");
    push_case_visible(qb, caller.case_sight());
    qb.push("))))");
}

#[derive(sqlx::FromRow)]
pub(super) struct InterventionRow {
    pub(super) id: String,
    pub(super) kind: String,
    pub(super) title: String,
    pub(super) case_id: Option<String>,
    pub(super) case_title: Option<String>,
    pub(super) owner_org: String,
    pub(super) owner_user: String,
    pub(super) owner_name: String,
    pub(super) object: Option<String>,
    pub(super) address: String,
    pub(super) opened_on: String,
    pub(super) details: String,
    pub(super) lat_micro: Option<i64>,
    pub(super) lon_micro: Option<i64>,
}

const SELECT: &str = "SELECT i.id, i.kind, i.title, i.case_id, cf.title AS case_title, \
    i.owner_org, i.owner_user, u.display_name AS owner_name, i.object, i.address, i.opened_on, \
    i.details, i.lat_micro, i.lon_micro FROM intervention i JOIN app_user u ON u.id = i.owner_user \
    LEFT JOIN case_file cf ON cf.id = i.case_id WHERE ";

#[derive(sqlx::FromRow)]
struct StepRow {
    intervention_id: String,
    step: String,
    on_day: String,
    length_count: Option<i64>,
    length_unit: Option<String>,
    note: String,
    recorded_by: String,
    recorded_at: String,
}

impl StepRow {
    fn length(&self) -> Result<Option<Length>> {
        match (self.length_count, self.length_unit.as_deref()) {
            (Some(count), Some(unit)) => {
                let unit = parse_enum(LengthUnit::parse(unit))?;
                let count = u16::try_from(count)
                    .map_err(|_| StoreError::Corrupt(format!("step length {count}")))?;
                Length::of(unit, count)
                    .map(Some)
                    .ok_or_else(|| StoreError::Corrupt(format!("step length {count}")))
            }
            _ => Ok(None),
        }
    }

    fn stored(&self) -> Result<StoredStep> {
        Ok(StoredStep {
            step: self.step.clone(),
            on: parse_date(&self.on_day)?,
            length: self.length()?,
        })
    }
}

/// One intervention as loaded: its row, kind, details and replayed procedure.
pub(super) struct Loaded {
    pub(super) row: InterventionRow,
    pub(super) kind: InterventionKind,
    pub(super) details: Details,
    pub(super) flow: Flow,
    steps: Vec<StepRow>,
}

impl Loaded {
    fn owner(&self) -> Result<(Uuid, Uuid)> {
        Ok((
            parse_uuid(&self.row.owner_org)?,
            parse_uuid(&self.row.owner_user)?,
        ))
    }

    pub(super) fn summary(&self, today: Date) -> Result<InterventionSummary> {
        let terms = self.flow.terms(today, SOON_WORKING_DAYS);
        Ok(InterventionSummary {
            id: parse_uuid(&self.row.id)?,
            kind: self.kind,
            title: self.row.title.clone(),
            state: self.flow.state(),
            case_id: self.row.case_id.as_deref().map(parse_uuid).transpose()?,
            object: self.row.object.clone(),
            address: self.row.address.clone(),
            location: match (self.row.lat_micro, self.row.lon_micro) {
                (Some(lat_micro), Some(lon_micro)) => Some(Coordinates {
                    lat_micro,
                    lon_micro,
                }),
                _ => None,
            },
            opened_on: parse_date(&self.row.opened_on)?,
            owner_name: self.row.owner_name.clone(),
            next_term: next_term(&terms),
        })
    }
}

fn details_json(details: &Details) -> Result<String> {
    serde_json::to_string(details).map_err(|e| StoreError::Corrupt(format!("details: {e}")))
}

impl EngineStore {
    /// The interventions the caller may see that `filter` selects (at most 500), with
    /// their steps.
    pub(super) async fn load_interventions(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        (filter, one, page): (InterventionFilter, Option<Uuid>, PageRequest),
    ) -> Result<Vec<Loaded>> {
        let mut qb = QueryBuilder::<Db>::new(SELECT);
        push_intervention_visible(&mut qb, caller);
        if let Some(id) = one {
            qb.push(" AND i.id = ").push_bind(id.to_string());
        }
        push_intervention_filter(&mut qb, &filter);
        push_page(&mut qb, ("i.opened_on", "i.id"), KeyTime::Day, page);
        let rows: Vec<InterventionRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        Self::loaded_from(tx, rows).await
    }

    async fn loaded_from(
        tx: &mut Transaction<'static, Db>,
        rows: Vec<InterventionRow>,
    ) -> Result<Vec<Loaded>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids = rows
            .iter()
            .map(|r| parse_uuid(&r.id))
            .collect::<Result<Vec<_>>>()?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT s.intervention_id, s.step, s.on_day, s.length_count, s.length_unit, s.note, \
             u.display_name AS recorded_by, s.recorded_at FROM intervention_step s \
             JOIN app_user u ON u.id = s.recorded_by WHERE s.intervention_id IN (",
        );
        push_ids(&mut qb, &ids);
        qb.push(") ORDER BY s.intervention_id, s.seq");
        let mut steps: HashMap<String, Vec<StepRow>> = HashMap::new();
        for s in qb.build_query_as::<StepRow>().fetch_all(&mut **tx).await? {
            steps.entry(s.intervention_id.clone()).or_default().push(s);
        }
        Self::with_steps(rows, steps)
    }
}

/// Appends what an intervention list's filter selects.
fn push_intervention_filter(qb: &mut QueryBuilder<'_, Db>, filter: &InterventionFilter) {
    if let Some(kind) = filter.kind {
        qb.push(" AND i.kind = ").push_bind(kind.slug());
    }
    if let Some(case) = filter.case {
        qb.push(" AND i.case_id = ").push_bind(case.to_string());
    }
    if let Some(target) = filter.linked_to {
        let (column, id) = match target {
            baken_core::intervention::LinkTarget::Signal(id) => ("signal_id", id),
            baken_core::intervention::LinkTarget::Intervention(id) => ("followup_id", id),
            baken_core::intervention::LinkTarget::Visit(id) => ("visit_id", id),
        };
        qb.push(format!(
            " AND EXISTS (SELECT 1 FROM intervention_link l WHERE l.intervention_id = i.id \
             AND l.{column} = "
        ))
        .push_bind(id.to_string())
        .push(")");
    }
    if filter.place == baken_core::intervention::Place::OnTheMap {
        qb.push(" AND i.lat_micro IS NOT NULL AND i.lon_micro IS NOT NULL AND i.kind IN (");
        let mut sep = qb.separated(", ");
        for kind in InterventionKind::ALL.iter().filter(|k| k.on_map()) {
            sep.push_bind(kind.slug());
        }
        qb.push(")");
    }
}

impl EngineStore {
    /// The loaded interventions of `rows`, each with its steps replayed.
    fn with_steps(
        rows: Vec<InterventionRow>,
        mut steps: HashMap<String, Vec<StepRow>>,
    ) -> Result<Vec<Loaded>> {
        rows.into_iter()
            .map(|row| {
                let kind = parse_enum(InterventionKind::parse(&row.kind))?;
                let details: Details = serde_json::from_str(&row.details)
                    .map_err(|e| StoreError::Corrupt(format!("intervention details: {e}")))?;
                let steps = steps.remove(&row.id).unwrap_or_default();
                let stored = steps
                    .iter()
                    .map(StepRow::stored)
                    .collect::<Result<Vec<_>>>()?;
                let flow = Flow::replay(kind, &stored).ok_or_else(|| {
                    StoreError::Corrupt(format!("intervention {}: steps do not replay", row.id))
                })?;
                Ok(Loaded {
                    row,
                    kind,
                    details,
                    flow,
                    steps,
                })
            })
            .collect()
    }

    pub(super) async fn load_one(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        id: Uuid,
    ) -> Result<Option<Loaded>> {
        Ok(Self::load_interventions(
            tx,
            caller,
            (
                InterventionFilter::default(),
                Some(id),
                PageRequest::first(1),
            ),
        )
        .await?
        .pop())
    }

    /// The purpose a read or change of an intervention carries: its case, or the
    /// intervention itself.
    pub(super) async fn intervention_purpose(&self, id: Uuid) -> Result<Purpose> {
        let case: Option<Option<String>> =
            sqlx::query_scalar("SELECT case_id FROM intervention WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&self.pool)
                .await?;
        Ok(
            match case.flatten().as_deref().map(parse_uuid).transpose()? {
                Some(case) => Purpose::case(case),
                None => Purpose::intervention(id),
            },
        )
    }

    async fn detail_of(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        loaded: Loaded,
        today: Date,
    ) -> Result<InterventionDetail> {
        let summary = loaded.summary(today)?;
        let parties: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, name, role, entity_id FROM intervention_party \
             WHERE intervention_id = $1 ORDER BY added_at, id",
        )
        .bind(&loaded.row.id)
        .fetch_all(&mut **tx)
        .await?;
        let mut shown = Vec::new();
        for (id, name, role, entity) in parties {
            // The dossier by the number the reader knows it by, if they may see it at all.
            let dossier = match entity {
                Some(entity) => match Self::resolve_entity(tx, &entity).await? {
                    Some((entity, _)) => Self::visible_subjects_of(tx, caller, &entity, today)
                        .await?
                        .first()
                        .map(|s| s.id),
                    None => None,
                },
                None => None,
            };
            shown.push(Party {
                id: parse_uuid(&id)?,
                name,
                role: parse_enum(PartyRole::parse(&role))?,
                dossier,
            });
        }
        let parties = shown;
        let disclosures = if loaded.kind.in_bibob_compartment() {
            let rows: Vec<(String, String, String, String, String, String, String)> =
                sqlx::query_as(
                    "SELECT d.id, d.exception, d.recipient, d.reason, d.disclosed_on, \
                     u.display_name, d.recorded_at FROM bibob_disclosure d \
                     JOIN app_user u ON u.id = d.recorded_by WHERE d.intervention_id = $1 \
                     ORDER BY d.recorded_at, d.id",
                )
                .bind(&loaded.row.id)
                .fetch_all(&mut **tx)
                .await?;
            rows.into_iter()
                .map(|(id, exception, recipient, reason, on, by, at)| {
                    Ok(Art28Disclosure {
                        id: parse_uuid(&id)?,
                        exception: parse_enum(Art28Recipient::parse(&exception))?,
                        recipient,
                        reason,
                        disclosed_on: parse_date(&on)?,
                        recorded_by: by,
                        recorded_at: parse_ts(&at)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        let steps = loaded
            .steps
            .iter()
            .map(|s| {
                let length = s.length()?;
                Ok(StepRecord {
                    step: s.step.clone(),
                    on: parse_date(&s.on_day)?,
                    length: length.map(Length::count),
                    unit: length.map(Length::unit),
                    note: s.note.clone(),
                    recorded_by: s.recorded_by.clone(),
                    recorded_at: parse_ts(&s.recorded_at)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let tagged: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT b.id, p.model_id, b.text FROM barrier_tag t JOIN barrier b ON b.id = t.barrier_id \
             JOIN barrier_phase p ON p.id = b.phase_id JOIN barrier_model m ON m.id = p.model_id \
             WHERE t.intervention_id = $1 AND m.org_id = $2 ORDER BY p.position, b.position",
        )
        .bind(&loaded.row.id)
        .bind(caller.org().to_string())
        .fetch_all(&mut **tx)
        .await?;
        let barriers = tagged
            .into_iter()
            .map(|(id, model, text)| {
                Ok(TaggedBarrier {
                    id: parse_uuid(&id)?,
                    model: parse_uuid(&model)?,
                    text,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let links = Self::links_of(tx, caller, &loaded.row.id, today).await?;
        let may_change = caller.may_change_intervention(loaded.kind, loaded.owner()?);
        let (details, care_withheld) = if caller.org() == loaded.owner()?.0 {
            (loaded.details.clone(), false)
        } else {
            loaded.details.clone().without_care(loaded.kind)
        };
        Ok(InterventionDetail {
            summary,
            case_title: loaded.row.case_title.clone(),
            details,
            care_withheld,
            parties,
            steps,
            terms: loaded.flow.terms(today, SOON_WORKING_DAYS),
            next_steps: if may_change {
                loaded.flow.next_steps()
            } else {
                Vec::new()
            },
            disclosures,
            barriers,
            links,
            may_change,
        })
    }

    /// Loads an intervention the caller may change for a change; refuses (audited) when it
    /// is not visible (not found) or not theirs to change.
    pub(super) async fn to_change<'a>(
        mut tx: Write<'a>,
        caller: &Caller,
        id: Uuid,
        attempt: &AuditRecord,
    ) -> std::result::Result<(Write<'a>, Loaded), StoreError> {
        let loaded = match Self::load_one(&mut tx, caller, id).await {
            Ok(l) => l,
            Err(e) => return Err(e),
        };
        let Some(loaded) = loaded else {
            return Err(tx.refuse(StoreError::NotFound, attempt.clone()).await);
        };
        if !caller.may_change_intervention(loaded.kind, loaded.owner()?) {
            return Err(tx
                .refuse(
                    StoreError::Forbidden(Denied::ChangeIntervention),
                    attempt.clone(),
                )
                .await);
        }
        Ok((tx, loaded))
    }

    async fn touch_intervention(
        tx: &mut Transaction<'static, Db>,
        id: Uuid,
        state: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query("UPDATE intervention SET state = $1, updated_at = $2 WHERE id = $3")
            .bind(state)
            .bind(ts(now))
            .bind(id.to_string())
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}

#[async_trait]
impl crate::InterventionStore for EngineStore {
    async fn create_intervention(
        &self,
        caller: &Caller,
        new: NewIntervention,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let id = new_id(now);
        let caller = &match new.case {
            Some(case) => caller.clone().with_purpose(Purpose::case(case)),
            None => caller.clone().with_purpose(Purpose::intervention(id)),
        };
        let attempt = AuditRecord::success(
            AuditAction::InterventionCreate,
            ObjectKind::Intervention,
            Some(id.to_string()),
            format!(
                "kind={} case={}",
                new.kind.slug(),
                new.case.map(|c| c.to_string()).unwrap_or_default()
            ),
        );
        let mut tx = self.write(caller, now).await?;
        if !caller.may_register_intervention(new.kind) {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::RegisterIntervention), attempt)
                .await);
        }
        if new.kind.in_bibob_compartment() && new.case.is_some() {
            let mut errors = baken_core::ValidationErrors::new();
            errors.push("case", baken_core::validation::Problem::BibobNotOnCaseTable);
            return Err(tx.refuse(StoreError::Invalid(errors), attempt).await);
        }
        if let Some(case) = new.case {
            let mut qb = QueryBuilder::<Db>::new("SELECT c.id FROM case_file c WHERE c.id = ");
            qb.push_bind(case.to_string()).push(" AND ");
            push_case_visible(&mut qb, caller.case_sight());
            let seen: Option<String> = qb.build_query_scalar().fetch_optional(&mut **tx).await?;
            if seen.is_none() {
                return Err(tx
                    .refuse(
                        StoreError::rejected(Rejection::InterventionCaseUnknown),
                        attempt,
                    )
                    .await);
            }
        }
        let flow = Flow::start(new.kind);
        sqlx::query(
            "INSERT INTO intervention (id, kind, title, case_id, owner_org, owner_user, object, \
             address, opened_on, state, details, created_at, updated_at, lat_micro, lon_micro) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14)",
        )
        .bind(id.to_string())
        .bind(new.kind.slug())
        .bind(&new.title)
        .bind(new.case.map(|c| c.to_string()))
        .bind(caller.org().to_string())
        .bind(caller.user().to_string())
        .bind(
            new.object
                .as_ref()
                .map(|o| AsRef::<str>::as_ref(o).to_string()),
        )
        .bind(&new.address)
        .bind(date(new.opened_on))
        .bind(flow.state())
        .bind(details_json(&new.details)?)
        .bind(ts(now))
        .bind(new.location.map(|c| c.lat_micro))
        .bind(new.location.map(|c| c.lon_micro))
        .execute(&mut **tx)
        .await?;
        if let Some(case) = new.case {
            Self::touch_case(&mut tx, case, now).await?;
        }
        tx.finish(attempt).await?;
        Ok(id)
    }

    async fn interventions(
        &self,
        caller: &Caller,
        filter: InterventionFilter,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<InterventionSummary>> {
        let caller = &match filter.case {
            Some(case) => caller.clone().with_purpose(Purpose::case(case)),
            None => caller.clone(),
        };
        let mut tx = self.read(caller, now).await?;
        let today = tx.today();
        let loaded = Self::load_interventions(&mut tx, caller, (filter, None, page)).await?;
        let rows = loaded
            .iter()
            .map(|l| l.summary(today))
            .collect::<Result<Vec<_>>>()?;
        let mut selected =
            QueryBuilder::<Db>::new("SELECT COUNT(*) FROM (SELECT 1 FROM intervention i WHERE ");
        push_intervention_visible(&mut selected, caller);
        push_intervention_filter(&mut selected, &filter);
        let total = page_total(&mut tx, (page, rows.len()), selected).await?;
        let list = Page::from_rows(rows, page, total, |s| Cursor::on_day(s.opened_on, s.id));
        let bibob = list
            .items
            .iter()
            .filter(|s| s.kind.in_bibob_compartment())
            .count();
        let event = AuditRecord::success(
            AuditAction::InterventionList,
            ObjectKind::Intervention,
            None,
            format!(
                "kind={} case={} shown={} bibob={bibob}",
                filter.kind.map(|k| k.slug()).unwrap_or_default(),
                filter.case.map(|c| c.to_string()).unwrap_or_default(),
                list.items.len()
            ),
        );
        tx.finish(event).await?;
        Ok(list)
    }

    async fn intervention(
        &self,
        caller: &Caller,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<InterventionDetail> {
        let caller = &caller
            .clone()
            .with_purpose(self.intervention_purpose(id).await?);
        let mut tx = self.read(caller, now).await?;
        let today = tx.today();
        let event = AuditRecord::success(
            AuditAction::InterventionRead,
            ObjectKind::Intervention,
            Some(id.to_string()),
            String::new(),
        );
        let Some(loaded) = Self::load_one(&mut tx, caller, id).await? else {
            return Err(tx.refuse(StoreError::NotFound, event).await);
        };
        let event = AuditRecord {
            detail: format!("kind={}", loaded.kind.slug()),
            ..event
        };
        let detail = Self::detail_of(&mut tx, caller, loaded, today).await?;
        tx.finish(event).await?;
        Ok(detail)
    }

    async fn record_step(
        &self,
        caller: &Caller,
        id: Uuid,
        step: NewStep,
        now: OffsetDateTime,
    ) -> Result<()> {
        let caller = &caller
            .clone()
            .with_purpose(self.intervention_purpose(id).await?);
        let attempt = AuditRecord::success(
            AuditAction::InterventionStep,
            ObjectKind::Intervention,
            Some(id.to_string()),
            format!("step={} on={}", step.step, date(step.on)),
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, mut loaded) = Self::to_change(tx, caller, id, &attempt).await?;
        if let Err(errors) = loaded.flow.record(
            loaded.kind,
            (&step.step, step.on, step.length),
            &loaded.details,
        ) {
            return Err(tx.refuse(StoreError::Invalid(errors), attempt).await);
        }
        let seq: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM intervention_step WHERE intervention_id = $1",
        )
        .bind(id.to_string())
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO intervention_step (id, intervention_id, seq, step, on_day, length_count, \
             length_unit, note, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(new_id(now).to_string())
        .bind(id.to_string())
        .bind(seq)
        .bind(&step.step)
        .bind(date(step.on))
        .bind(step.length.map(|l| i64::from(l.count())))
        .bind(step.length.map(|l| l.unit().slug()))
        .bind(&step.note)
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        Self::touch_intervention(&mut tx, id, loaded.flow.state(), now).await?;
        let event = AuditRecord {
            detail: format!("{} state={}", attempt.detail, loaded.flow.state()),
            ..attempt
        };
        tx.finish(event).await
    }

    async fn change_intervention(
        &self,
        caller: &Caller,
        id: Uuid,
        raw: &RawChange,
        now: OffsetDateTime,
    ) -> Result<()> {
        let caller = &caller
            .clone()
            .with_purpose(self.intervention_purpose(id).await?);
        let attempt = AuditRecord::success(
            AuditAction::InterventionChange,
            ObjectKind::Intervention,
            Some(id.to_string()),
            String::new(),
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, loaded) = Self::to_change(tx, caller, id, &attempt).await?;
        let change = match InterventionChange::parse(raw, loaded.kind) {
            Ok(c) => c,
            Err(errors) => return Err(tx.refuse(StoreError::Invalid(errors), attempt).await),
        };
        if !loaded.flow.bibob_outcome_fits(&change.details) {
            let mut errors = baken_core::ValidationErrors::new();
            errors.push(
                "outcome",
                baken_core::validation::Problem::BibobOutcomeMismatch,
            );
            return Err(tx.refuse(StoreError::Invalid(errors), attempt).await);
        }
        sqlx::query(
            "INSERT INTO intervention_change (id, intervention_id, title_before, object_before, \
             address_before, details_before, changed_by, changed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id(now).to_string())
        .bind(id.to_string())
        .bind(&loaded.row.title)
        .bind(&loaded.row.object)
        .bind(&loaded.row.address)
        .bind(&loaded.row.details)
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "UPDATE intervention SET title = $1, object = $2, address = $3, details = $4, \
             updated_at = $5, lat_micro = $7, lon_micro = $8 WHERE id = $6",
        )
        .bind(&change.title)
        .bind(
            change
                .object
                .as_ref()
                .map(|o| AsRef::<str>::as_ref(o).to_string()),
        )
        .bind(&change.address)
        .bind(details_json(&change.details)?)
        .bind(ts(now))
        .bind(id.to_string())
        .bind(change.location.map(|c| c.lat_micro))
        .bind(change.location.map(|c| c.lon_micro))
        .execute(&mut **tx)
        .await?;
        tx.finish(attempt).await
    }

    async fn add_party(
        &self,
        caller: &Caller,
        id: Uuid,
        party: NewParty,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let caller = &caller
            .clone()
            .with_purpose(self.intervention_purpose(id).await?);
        let party_id = new_id(now);
        let attempt = AuditRecord::success(
            AuditAction::InterventionPartyAdd,
            ObjectKind::Intervention,
            Some(id.to_string()),
            format!(
                "party={party_id} role={} dossier={}",
                party.role.slug(),
                party.dossier.map(|d| d.to_string()).unwrap_or_default()
            ),
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, _) = Self::to_change(tx, caller, id, &attempt).await?;
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM intervention_party WHERE intervention_id = $1",
        )
        .bind(id.to_string())
        .fetch_one(&mut **tx)
        .await?;
        if count >= baken_core::intervention::MAX_PARTIES as i64 {
            return Err(tx
                .refuse(StoreError::rejected(Rejection::TooManyParties), attempt)
                .await);
        }
        let today = tx.today();
        let (name, entity) = match party.dossier {
            None => (party.name.clone(), None),
            Some(dossier) => {
                // Only a dossier the caller may see: by its number (a mention, as the dossier
                // page shows it) or its entity; unknown and invisible alike are refused the
                // same way.
                let resolved =
                    match Self::entity_of_visible(&mut tx, caller, dossier, today).await? {
                        Some(found) => Some(found),
                        None => Self::resolve_entity(&mut tx, &dossier.to_string()).await?,
                    };
                let seen = match &resolved {
                    Some((entity, _)) => {
                        Self::visible_subjects_of(&mut tx, caller, entity, today).await?
                    }
                    None => Vec::new(),
                };
                let (Some((entity, _)), Some(first)) = (resolved, seen.first()) else {
                    return Err(tx
                        .refuse(
                            StoreError::rejected(Rejection::PartyDossierUnknown),
                            attempt,
                        )
                        .await);
                };
                let name = if party.name.is_empty() {
                    first.details.display()
                } else {
                    party.name.clone()
                };
                (name, Some(entity))
            }
        };
        sqlx::query(
            "INSERT INTO intervention_party (id, intervention_id, name, role, entity_id, added_by, \
             added_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(party_id.to_string())
        .bind(id.to_string())
        .bind(&name)
        .bind(party.role.slug())
        .bind(entity)
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        tx.finish(attempt).await?;
        Ok(party_id)
    }

    async fn link_intervention(
        &self,
        caller: &Caller,
        id: Uuid,
        target: baken_core::intervention::LinkTarget,
        now: OffsetDateTime,
    ) -> Result<()> {
        self.link_impl(caller, (id, target), now).await
    }

    async fn disclose_bibob(
        &self,
        caller: &Caller,
        id: Uuid,
        disclosure: NewArt28,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let caller = &caller.clone().with_purpose(Purpose::intervention(id));
        let disclosure_id = new_id(now);
        let attempt = AuditRecord::success(
            AuditAction::BibobDisclosure,
            ObjectKind::Intervention,
            Some(id.to_string()),
            format!(
                "disclosure={disclosure_id} exception={}",
                disclosure.exception.slug()
            ),
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, loaded) = Self::to_change(tx, caller, id, &attempt).await?;
        if !loaded.kind.in_bibob_compartment() {
            return Err(tx
                .refuse(StoreError::rejected(Rejection::NotBibob), attempt)
                .await);
        }
        sqlx::query(
            "INSERT INTO bibob_disclosure (id, intervention_id, exception, recipient, reason, \
             disclosed_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(disclosure_id.to_string())
        .bind(id.to_string())
        .bind(disclosure.exception.slug())
        .bind(&disclosure.recipient)
        .bind(&disclosure.reason)
        .bind(date(disclosure.disclosed_on))
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        tx.finish(attempt).await?;
        Ok(disclosure_id)
    }

    async fn recidive(
        &self,
        caller: &Caller,
        id: Uuid,
        look_back_months: u8,
        now: OffsetDateTime,
    ) -> Result<Recidive> {
        self.recidive_impl(caller, (id, look_back_months), now)
            .await
    }

    async fn deadlines(&self, caller: &Caller, now: OffsetDateTime) -> Result<Vec<Deadline>> {
        self.deadlines_impl(caller, now).await
    }

    async fn intervention_figures(
        &self,
        caller: &Caller,
        year: i32,
        suppression: Suppression,
        now: OffsetDateTime,
    ) -> Result<InterventionFigures> {
        self.figures_impl(caller, (year, suppression), now).await
    }
}
