//! Decisions of the case table and their actions: recording a decision (it supersedes the
//! case's current one and names it; decisions are never changed, the table refuses it),
//! actions with owner and deadline, their status, and the lists that show them.

use super::cases::push_case_visible;
use super::meetings::push_ids;
use super::*;
use baken_core::access::Purpose;
use baken_core::decision::{
    Action, ActionOwner, ActionStatus, Approach, CareConsideration, Decision, NewAction,
    NewDecision, Proportionality,
};

/// Which decisions to load.
pub(super) enum DecisionFilter<'a> {
    Meeting(Uuid),
    Cases(&'a [Uuid]),
}

/// Which actions to load (always only on cases the caller may see).
pub(super) enum ActionFilter<'a> {
    /// Every action of these cases.
    Cases(&'a [Uuid]),
    /// The open actions the caller or their organisation carries out.
    Mine,
    /// The actions of the decisions taken at a meeting.
    Meeting(Uuid),
    /// The open actions of these cases from decisions of other meetings, past their deadline
    /// on the given day.
    OverdueBefore(&'a [Uuid], Uuid, Date),
}

#[derive(sqlx::FromRow)]
struct DecisionRow {
    id: String,
    case_id: String,
    meeting_id: String,
    held_on: String,
    approaches: String,
    decision: String,
    suitable: String,
    necessary: String,
    balanced: String,
    care_considered: String,
    care_reason: String,
    not_chosen: String,
    supersedes: Option<String>,
    superseded_by: Option<String>,
    recorded_by: String,
    recorded_at: String,
}

impl DecisionRow {
    fn into_decision(self) -> Result<Decision> {
        let care = match self.care_considered.as_str() {
            "ja" => CareConsideration::Considered {
                why: self.care_reason,
            },
            "nee" => CareConsideration::NotConsidered {
                why: self.care_reason,
            },
            other => return Err(StoreError::Corrupt(format!("care_considered {other}"))),
        };
        Ok(Decision {
            id: parse_uuid(&self.id)?,
            case_id: parse_uuid(&self.case_id)?,
            meeting_id: parse_uuid(&self.meeting_id)?,
            decided_on: parse_date(&self.held_on)?,
            approaches: self
                .approaches
                .split(',')
                .filter(|a| !a.is_empty())
                .map(|a| parse_enum(Approach::parse(a)))
                .collect::<Result<Vec<_>>>()?,
            decision: self.decision,
            proportionality: Proportionality {
                suitable: self.suitable,
                necessary: self.necessary,
                balanced: self.balanced,
            },
            care,
            not_chosen: self.not_chosen,
            supersedes: self.supersedes.as_deref().map(parse_uuid).transpose()?,
            superseded_by: self.superseded_by.as_deref().map(parse_uuid).transpose()?,
            recorded_by: self.recorded_by,
            recorded_at: parse_ts(&self.recorded_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: String,
    decision_id: String,
    case_id: String,
    case_title: String,
    description: String,
    owner_org: Option<String>,
    owner_user: Option<String>,
    owner_name: String,
    due_on: String,
    status: String,
    intervention: Option<String>,
    meeting_org: String,
    chair_user: String,
}

impl ActionRow {
    fn into_action(self, caller: &Caller) -> Result<Action> {
        let owner_organisation = self.owner_org.as_deref().map(parse_uuid).transpose()?;
        let owner_user = self.owner_user.as_deref().map(parse_uuid).transpose()?;
        let may_change = caller.may_change_action(
            (owner_organisation, owner_user),
            (
                parse_uuid(&self.meeting_org)?,
                parse_uuid(&self.chair_user)?,
            ),
        );
        Ok(Action {
            may_change,
            id: parse_uuid(&self.id)?,
            decision_id: parse_uuid(&self.decision_id)?,
            case_id: parse_uuid(&self.case_id)?,
            case_title: self.case_title,
            description: self.description,
            owner_organisation,
            owner_user,
            owner_name: self.owner_name,
            due_on: parse_date(&self.due_on)?,
            status: parse_enum(ActionStatus::parse(&self.status))?,
            intervention: self.intervention,
        })
    }
}

impl EngineStore {
    /// Decisions in the order they were taken, each with what superseded it.
    pub(super) async fn load_decisions(
        tx: &mut Transaction<'static, Db>,
        filter: DecisionFilter<'_>,
    ) -> Result<Vec<Decision>> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT d.id, d.case_id, d.meeting_id, m.held_on, d.approaches, d.decision, \
             d.suitable, d.necessary, d.balanced, d.care_considered, d.care_reason, d.not_chosen, \
             d.supersedes, (SELECT n.id FROM decision n WHERE n.supersedes = d.id) AS superseded_by, \
             u.display_name AS recorded_by, d.recorded_at \
             FROM decision d JOIN meeting m ON m.id = d.meeting_id \
             JOIN app_user u ON u.id = d.recorded_by WHERE ",
        );
        match filter {
            DecisionFilter::Meeting(id) => {
                qb.push("d.meeting_id = ").push_bind(id.to_string());
            }
            DecisionFilter::Cases([]) => return Ok(Vec::new()),
            DecisionFilter::Cases(ids) => {
                qb.push("d.case_id IN (");
                push_ids(&mut qb, ids);
                qb.push(")");
            }
        }
        qb.push(" ORDER BY d.recorded_at, d.id");
        let rows: Vec<DecisionRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        rows.into_iter().map(DecisionRow::into_decision).collect()
    }

    /// Actions by deadline, only on cases the caller may see.
    pub(super) async fn load_actions(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        filter: ActionFilter<'_>,
    ) -> Result<Vec<Action>> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT a.id, a.decision_id, a.case_id, c.title AS case_title, a.description, \
             a.owner_org, a.owner_user, \
             CASE WHEN a.owner_user IS NULL THEN ao.name \
             ELSE au.display_name || ' (' || auo.name || ')' END AS owner_name, \
             a.due_on, a.status, a.intervention, am.owner_org AS meeting_org, am.chair_user \
             FROM case_action a JOIN case_file c ON c.id = a.case_id \
             JOIN decision ad ON ad.id = a.decision_id JOIN meeting am ON am.id = ad.meeting_id \
             LEFT JOIN organisation ao ON ao.id = a.owner_org \
             LEFT JOIN app_user au ON au.id = a.owner_user \
             LEFT JOIN organisation auo ON auo.id = au.org_id WHERE ",
        );
        let open = |qb: &mut QueryBuilder<'_, Db>| {
            qb.push("a.status = ").push_bind(ActionStatus::Open.slug());
        };
        match filter {
            ActionFilter::Cases(ids) | ActionFilter::OverdueBefore(ids, _, _) if ids.is_empty() => {
                return Ok(Vec::new())
            }
            ActionFilter::Meeting(meeting) => {
                qb.push("ad.meeting_id = ").push_bind(meeting.to_string());
            }
            ActionFilter::OverdueBefore(ids, meeting, day) => {
                qb.push("a.case_id IN (");
                push_ids(&mut qb, ids);
                qb.push(") AND ad.meeting_id <> ")
                    .push_bind(meeting.to_string())
                    .push(" AND a.due_on < ")
                    .push_bind(date(day))
                    .push(" AND ");
                open(&mut qb);
            }
            ActionFilter::Cases(ids) => {
                qb.push("a.case_id IN (");
                push_ids(&mut qb, ids);
                qb.push(")");
            }
            ActionFilter::Mine => {
                open(&mut qb);
                qb.push(" AND (a.owner_user = ")
                    .push_bind(caller.user().to_string());
                if caller.case_sight().through_organisation {
                    qb.push(" OR a.owner_org = ")
                        .push_bind(caller.org().to_string());
                }
                qb.push(")");
            }
        }
        qb.push(" AND ");
        push_case_visible(&mut qb, caller.case_sight());
        qb.push(" ORDER BY a.due_on, a.id LIMIT 500");
        let rows: Vec<ActionRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        rows.into_iter().map(|r| r.into_action(caller)).collect()
    }

    /// Records a decision on a case on a meeting's agenda.
    pub(super) async fn decide(
        &self,
        caller: &Caller,
        (meeting, case): (Uuid, Uuid),
        decision: NewDecision,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let caller = &caller.clone().with_purpose(Purpose::case(case));
        let id = new_id(now);
        let approaches = decision
            .approaches
            .iter()
            .map(|a| a.slug())
            .collect::<Vec<_>>()
            .join(",");
        let attempt = AuditRecord::success(
            AuditAction::DecisionRecord,
            ObjectKind::Decision,
            Some(id.to_string()),
            format!(
                "meeting={meeting} case={case} approaches={approaches} care-considered={}",
                if decision.care.was_considered() {
                    "ja"
                } else {
                    "nee"
                }
            ),
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, held) = Self::meeting_to_run(tx, caller, meeting, attempt.clone()).await?;
        if !Self::on_agenda(&mut tx, caller, (meeting, case)).await? {
            return Err(tx
                .refuse(StoreError::rejected(Rejection::NotOnTheAgenda), attempt)
                .await);
        }
        let current: Option<(String, String)> = sqlx::query_as(
            "SELECT d.id, m.held_on FROM decision d JOIN meeting m ON m.id = d.meeting_id \
             WHERE d.case_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM decision n WHERE n.supersedes = d.id) \
             ORDER BY d.recorded_at DESC, d.id DESC LIMIT 1",
        )
        .bind(case.to_string())
        .fetch_optional(&mut **tx)
        .await?;
        // A decision replaces the current one only from a meeting on or after its day: the
        // minutes of an earlier meeting cannot overturn what a later meeting decided.
        if let Some((_, decided_on)) = &current {
            if parse_date(decided_on)? > held.held_on {
                return Err(tx
                    .refuse(
                        StoreError::rejected(Rejection::LaterDecisionExists),
                        attempt,
                    )
                    .await);
            }
        }
        let current = current.map(|(id, _)| id);
        let (care, why) = match &decision.care {
            CareConsideration::Considered { why } => ("ja", why),
            CareConsideration::NotConsidered { why } => ("nee", why),
        };
        sqlx::query(
            "INSERT INTO decision (id, meeting_id, case_id, approaches, decision, suitable, necessary, \
             balanced, care_considered, care_reason, not_chosen, supersedes, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(id.to_string())
        .bind(meeting.to_string())
        .bind(case.to_string())
        .bind(&approaches)
        .bind(&decision.decision)
        .bind(&decision.proportionality.suitable)
        .bind(&decision.proportionality.necessary)
        .bind(&decision.proportionality.balanced)
        .bind(care)
        .bind(why)
        .bind(&decision.not_chosen)
        .bind(current.clone())
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        Self::touch_case(&mut tx, case, now).await?;
        let event = AuditRecord {
            detail: format!(
                "{} supersedes={}",
                attempt.detail,
                current.unwrap_or_default()
            ),
            ..attempt
        };
        tx.finish(event).await?;
        Ok(id)
    }

    /// Adds an action to a decision of a meeting the caller runs.
    pub(super) async fn new_action(
        &self,
        caller: &Caller,
        decision: Uuid,
        action: NewAction,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let id = new_id(now);
        let found: Option<(String, String)> =
            sqlx::query_as("SELECT meeting_id, case_id FROM decision WHERE id = $1")
                .bind(decision.to_string())
                .fetch_optional(&self.pool)
                .await?;
        let attempt = AuditRecord::success(
            AuditAction::ActionCreate,
            ObjectKind::Action,
            Some(id.to_string()),
            format!("decision={decision} due={}", date(action.due_on)),
        );
        let Some((meeting, case)) = found else {
            let tx = self.write(caller, now).await?;
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        };
        let (meeting, case) = (parse_uuid(&meeting)?, parse_uuid(&case)?);
        let caller = &caller.clone().with_purpose(Purpose::case(case));
        let tx = self.write(caller, now).await?;
        let (mut tx, _) = Self::meeting_to_run(tx, caller, meeting, attempt.clone()).await?;
        if !Self::on_agenda(&mut tx, caller, (meeting, case)).await? {
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        }
        let known = match action.owner {
            ActionOwner::Organisation(org) => {
                sqlx::query_scalar::<_, String>("SELECT id FROM organisation WHERE id = $1")
                    .bind(org.to_string())
                    .fetch_optional(&mut **tx)
                    .await?
                    .is_some()
            }
            ActionOwner::User(user) => {
                let row = sqlx::query(&format!(
                    "SELECT {USER_COLUMNS} FROM app_user u WHERE u.id = $1 AND u.active = 1"
                ))
                .bind(user.to_string())
                .fetch_optional(&mut **tx)
                .await?;
                row.map(|r| user_from_row(&r))
                    .transpose()?
                    .is_some_and(|u| Caller::may_be_case_member(&u.roles))
            }
        };
        if !known {
            return Err(tx
                .refuse(StoreError::rejected(Rejection::ActionOwnerUnknown), attempt)
                .await);
        }
        let (owner_org, owner_user) = match action.owner {
            ActionOwner::Organisation(org) => (Some(org.to_string()), None),
            ActionOwner::User(user) => (None, Some(user.to_string())),
        };
        sqlx::query(
            "INSERT INTO case_action (id, decision_id, case_id, description, owner_org, owner_user, \
             due_on, status, intervention, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        )
        .bind(id.to_string())
        .bind(decision.to_string())
        .bind(case.to_string())
        .bind(&action.description)
        .bind(&owner_org)
        .bind(&owner_user)
        .bind(date(action.due_on))
        .bind(ActionStatus::Open.slug())
        .bind(&action.intervention)
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        Self::action_history(&mut tx, (id, caller.user()), None, ActionStatus::Open, now).await?;
        // Who carries out an action sees the case it is for.
        let member = match action.owner {
            ActionOwner::Organisation(org) => baken_core::case::NewMember::Organisation(org),
            ActionOwner::User(user) => baken_core::case::NewMember::User(user),
        };
        let added = Self::ensure_case_member(&mut tx, case, member, (caller.user(), now)).await?;
        Self::touch_case(&mut tx, case, now).await?;
        let event = AuditRecord {
            detail: format!(
                "{} case={case} owner={} member-added={added}",
                attempt.detail,
                match action.owner {
                    ActionOwner::Organisation(org) => format!("organisation:{org}"),
                    ActionOwner::User(user) => format!("user:{user}"),
                }
            ),
            ..attempt
        };
        tx.finish(event).await?;
        Ok(id)
    }

    async fn action_history(
        tx: &mut Transaction<'static, Db>,
        (action, by): (Uuid, Uuid),
        from: Option<ActionStatus>,
        to: ActionStatus,
        now: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO case_action_history (id, action_id, at, by_user, from_status, to_status) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id(now).to_string())
        .bind(action.to_string())
        .bind(ts(now))
        .bind(by.to_string())
        .bind(from.map(ActionStatus::slug))
        .bind(to.slug())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Moves an action: who carries it out, or who runs the meeting that decided it.
    pub(super) async fn move_action(
        &self,
        caller: &Caller,
        action: Uuid,
        to: ActionStatus,
        now: OffsetDateTime,
    ) -> Result<()> {
        let attempt = AuditRecord::success(
            AuditAction::ActionStatusChange,
            ObjectKind::Action,
            Some(action.to_string()),
            format!("to={}", to.slug()),
        );
        // The change carries its case as purpose (looked up before; checked below).
        let of_case: Option<String> =
            sqlx::query_scalar("SELECT case_id FROM case_action WHERE id = $1")
                .bind(action.to_string())
                .fetch_optional(&self.pool)
                .await?;
        let caller = &match of_case.as_deref().map(parse_uuid).transpose()? {
            Some(case) => caller.clone().with_purpose(Purpose::case(case)),
            None => caller.clone(),
        };
        let mut tx = self.write(caller, now).await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT a.case_id, a.status, a.owner_org, a.owner_user, m.owner_org AS meeting_org, \
             m.chair_user FROM case_action a JOIN case_file c ON c.id = a.case_id \
             JOIN decision d ON d.id = a.decision_id JOIN meeting m ON m.id = d.meeting_id \
             WHERE a.id = ",
        );
        qb.push_bind(action.to_string()).push(" AND ");
        push_case_visible(&mut qb, caller.case_sight());
        type Found = (
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            String,
        );
        let found: Option<Found> = qb.build_query_as().fetch_optional(&mut **tx).await?;
        let Some((case, from, owner_org, owner_user, meeting_org, chair)) = found else {
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        };
        let owner = (
            owner_org.as_deref().map(parse_uuid).transpose()?,
            owner_user.as_deref().map(parse_uuid).transpose()?,
        );
        if !caller.may_change_action(owner, (parse_uuid(&meeting_org)?, parse_uuid(&chair)?)) {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::ChangeAction), attempt)
                .await);
        }
        let from = parse_enum(ActionStatus::parse(&from))?;
        if from == to {
            tx.abandon().await?;
            return Ok(());
        }
        if let Err(errors) = from.check_move(to) {
            return Err(tx.refuse(StoreError::Invalid(errors), attempt).await);
        }
        sqlx::query("UPDATE case_action SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(to.slug())
            .bind(ts(now))
            .bind(action.to_string())
            .execute(&mut **tx)
            .await?;
        Self::action_history(&mut tx, (action, caller.user()), Some(from), to, now).await?;
        let case = parse_uuid(&case)?;
        Self::touch_case(&mut tx, case, now).await?;
        let event = AuditRecord {
            detail: format!("case={case} from={} to={}", from.slug(), to.slug()),
            ..attempt
        };
        tx.finish(event).await
    }
}
