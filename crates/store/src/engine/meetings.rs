//! Meetings of the case table: who sees a meeting, the agenda proposal, planning, reading a
//! meeting or its minutes, and the discussion. Disclosures are `disclosures.rs`'s, decisions
//! and actions `decisions.rs`'s; the trait's methods for them are here and call into those.

use super::cases::push_case_visible;
use super::decisions::{ActionFilter, DecisionFilter};
use super::rows::CaseRow;
use super::*;
use baken_core::access::{Purpose, Role};
use baken_core::case::{CaseSight, CaseStatus, CaseSummary};
use baken_core::decision::{Action, ActionStatus, NewAction, NewDecision};
use baken_core::meeting::{
    AgendaItem, AgendaProposal, AgendaReason, AgendaRequest, DiscussionSummary, MeetingDetail,
    MeetingSummary, MinutesFor, NewDisclosure, NewMeeting, Participant,
};
use sqlx::Row;

/// Appends "the caller may see meeting `m`": its chair and the people at it always; the staff
/// of a participating organisation who handle case content; the holding organisation's
/// analysts and voorzitters.
fn push_meeting_visible(qb: &mut QueryBuilder<'_, Db>, caller: &Caller) {
    let user = caller.user().to_string();
    let org = caller.org().to_string();
    qb.push("(m.chair_user = ")
        .push_bind(user.clone())
        .push(
            " OR EXISTS (SELECT 1 FROM meeting_participant mp WHERE mp.meeting_id = m.id \
             AND (mp.user_id = ",
        )
        .push_bind(user);
    if caller.case_sight().through_organisation {
        qb.push(" OR mp.org_id = ").push_bind(org.clone());
    }
    qb.push("))");
    if caller.has(Role::Analist) || caller.has(Role::Voorzitter) {
        qb.push(" OR m.owner_org = ").push_bind(org);
    }
    qb.push(")");
}

/// The columns of a meeting summary, with the number of its cases the caller may see.
fn push_meeting_select(qb: &mut QueryBuilder<'_, Db>, sight: CaseSight) {
    qb.push(
        "SELECT m.id, m.title, m.held_on, m.owner_org, o.name AS owner_org_name, m.chair_user, \
         u.display_name AS chair_name, (SELECT COUNT(*) FROM meeting_item mi \
         JOIN case_file c ON c.id = mi.case_id WHERE mi.meeting_id = m.id AND ",
    );
    push_case_visible(qb, sight);
    qb.push(
        ") AS cases FROM meeting m JOIN organisation o ON o.id = m.owner_org \
         JOIN app_user u ON u.id = m.chair_user WHERE ",
    );
}

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: String,
    title: String,
    held_on: String,
    owner_org: String,
    owner_org_name: String,
    chair_user: String,
    chair_name: String,
    cases: i64,
}

impl MeetingRow {
    fn into_summary(self) -> Result<MeetingSummary> {
        Ok(MeetingSummary {
            id: parse_uuid(&self.id)?,
            title: self.title,
            held_on: parse_date(&self.held_on)?,
            owner_org: parse_uuid(&self.owner_org)?,
            owner_org_name: self.owner_org_name,
            chair: parse_uuid(&self.chair_user)?,
            chair_name: self.chair_name,
            cases: usize::try_from(self.cases).unwrap_or(0),
        })
    }
}

/// Appends the columns that say why each case `c` belongs on an agenda on `held_on`.
fn push_reason_columns(qb: &mut QueryBuilder<'_, Db>, held_on: Date) {
    let day = date(held_on);
    qb.push(", CAST(CASE WHEN c.status = ")
        .push_bind(CaseStatus::Registered.slug())
        .push(
            " AND NOT EXISTS (SELECT 1 FROM meeting_item mi WHERE mi.case_id = c.id) \
             THEN 1 ELSE 0 END AS BIGINT) AS is_new, \
             CAST(CASE WHEN c.follow_up_on IS NOT NULL AND c.follow_up_on <= ",
        )
        .push_bind(day.clone())
        .push(
            " THEN 1 ELSE 0 END AS BIGINT) AS follow_up, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM agenda_request r WHERE r.case_id = c.id \
             AND r.meeting_id IS NULL) THEN 1 ELSE 0 END AS BIGINT) AS requested, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM case_action a WHERE a.case_id = c.id \
             AND a.status = ",
        )
        .push_bind(ActionStatus::Open.slug())
        .push(" AND a.due_on < ")
        .push_bind(day)
        .push(") THEN 1 ELSE 0 END AS BIGINT) AS overdue");
}

/// A case with the reasons of [`push_reason_columns`].
fn proposal_from_row(row: &DbRow) -> Result<(CaseSummary, Vec<AgendaReason>)> {
    let (case, _) = CaseRow::from_row(row)?.into_summary()?;
    let mut reasons = Vec::new();
    for (column, reason) in [
        ("is_new", AgendaReason::New),
        ("follow_up", AgendaReason::FollowUpDue),
        ("requested", AgendaReason::Requested),
        ("overdue", AgendaReason::OverdueActions),
    ] {
        if row.try_get::<i64, _>(column)? == 1 {
            reasons.push(reason);
        }
    }
    Ok((case, reasons))
}

fn reasons_text(reasons: &[AgendaReason]) -> String {
    reasons
        .iter()
        .map(|r| r.slug())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_reasons(text: &str) -> Result<Vec<AgendaReason>> {
    text.split(',')
        .filter(|r| !r.is_empty())
        .map(|r| parse_enum(AgendaReason::parse(r)))
        .collect()
}

/// Binds `ids` as a comma-separated list of parameters.
pub(super) fn push_ids(qb: &mut QueryBuilder<'_, Db>, ids: &[Uuid]) {
    let mut sep = qb.separated(", ");
    for id in ids {
        sep.push_bind(id.to_string());
    }
}

impl EngineStore {
    /// The meetings the caller may see that had case `case` on their agenda, latest first.
    pub(super) async fn meetings_of_case(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        case: Uuid,
    ) -> Result<Vec<MeetingSummary>> {
        let mut qb = QueryBuilder::<Db>::new("");
        push_meeting_select(&mut qb, caller.case_sight());
        qb.push(
            "EXISTS (SELECT 1 FROM meeting_item ci WHERE ci.meeting_id = m.id AND ci.case_id = ",
        )
        .push_bind(case.to_string())
        .push(") AND ");
        push_meeting_visible(&mut qb, caller);
        qb.push(" ORDER BY m.held_on DESC, m.id DESC LIMIT 100");
        let rows: Vec<MeetingRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        rows.into_iter().map(MeetingRow::into_summary).collect()
    }

    /// The meeting `id` if the caller may see it.
    pub(super) async fn visible_meeting(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        id: Uuid,
    ) -> Result<Option<MeetingSummary>> {
        let mut qb = QueryBuilder::<Db>::new("");
        push_meeting_select(&mut qb, caller.case_sight());
        qb.push("m.id = ").push_bind(id.to_string()).push(" AND ");
        push_meeting_visible(&mut qb, caller);
        let row: Option<MeetingRow> = qb.build_query_as().fetch_optional(&mut **tx).await?;
        row.map(MeetingRow::into_summary).transpose()
    }

    /// The meeting `id` for a change by the caller: `NotFound` when they may not see it,
    /// `Forbidden` when they may see but not run it (both recorded).
    pub(super) async fn meeting_to_run<'a>(
        tx: Write<'a>,
        caller: &Caller,
        id: Uuid,
        attempt: AuditRecord,
    ) -> Result<(Write<'a>, MeetingSummary)> {
        let mut tx = tx;
        match Self::visible_meeting(&mut tx, caller, id).await? {
            None => Err(tx.refuse(StoreError::NotFound, attempt).await),
            Some(m) if !caller.may_run_meeting(m.owner_org, m.chair) => Err(tx
                .refuse(StoreError::Forbidden(Denied::RunMeeting), attempt)
                .await),
            Some(m) => Ok((tx, m)),
        }
    }

    /// Whether `case` is on the agenda of `meeting` and the caller may see it.
    pub(super) async fn on_agenda(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        (meeting, case): (Uuid, Uuid),
    ) -> Result<bool> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT COUNT(*) FROM meeting_item mi JOIN case_file c ON c.id = mi.case_id \
             WHERE mi.meeting_id = ",
        );
        qb.push_bind(meeting.to_string())
            .push(" AND mi.case_id = ")
            .push_bind(case.to_string())
            .push(" AND ");
        push_case_visible(&mut qb, caller.case_sight());
        let n: i64 = qb.build_query_scalar().fetch_one(&mut **tx).await?;
        Ok(n > 0)
    }

    /// The meeting read by the caller, with the disclosures as `version` may read them; for
    /// minutes sent to an organisation (`sent_to`), without the vertrouwelijk cases it does not
    /// own (they stay with the people named on them).
    async fn meeting_detail(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        meeting: MeetingSummary,
        (version, sent_to): (MinutesFor, Option<Uuid>),
    ) -> Result<MeetingDetail> {
        let mid = meeting.id.to_string();
        let participants: Vec<super::rows::CaseMemberRow> = sqlx::query_as(
            "SELECT p.org_id, po.name AS org_name, p.user_id, pu.display_name AS user_name, \
             uo.name AS user_org_name \
             FROM meeting_participant p \
             LEFT JOIN organisation po ON po.id = p.org_id \
             LEFT JOIN app_user pu ON pu.id = p.user_id \
             LEFT JOIN organisation uo ON uo.id = pu.org_id \
             WHERE p.meeting_id = $1 \
             ORDER BY CASE WHEN p.org_id IS NULL THEN 1 ELSE 0 END, po.name, pu.display_name",
        )
        .bind(&mid)
        .fetch_all(&mut **tx)
        .await?;
        let participants = participants
            .into_iter()
            .map(|p| {
                p.into_member().map(|m| match m {
                    baken_core::case::CaseMember::Organisation { id, name } => {
                        Participant::Organisation { id, name }
                    }
                    baken_core::case::CaseMember::User {
                        id,
                        name,
                        organisation,
                    } => Participant::User {
                        id,
                        name,
                        organisation,
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // The cases on the agenda the caller may see (and the organisation sent to).
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {}, mi.reasons, mi.discussion FROM meeting_item mi \
             JOIN case_file c ON c.id = mi.case_id JOIN organisation o ON o.id = c.owner_org \
             JOIN app_user u ON u.id = c.owner_user WHERE mi.meeting_id = ",
            super::cases::CASE_COLUMNS
        ));
        qb.push_bind(mid.clone()).push(" AND ");
        push_case_visible(&mut qb, caller.case_sight());
        if let Some(org) = sent_to {
            qb.push(" AND (c.classification_rank < ")
                .push_bind(CaseSight::organisation_rank_below())
                .push(" OR c.owner_org = ")
                .push_bind(org.to_string())
                .push(")");
        }
        qb.push(" ORDER BY mi.position, c.id");
        let rows = qb.build().fetch_all(&mut **tx).await?;
        let mut cases = Vec::new();
        let mut extra = Vec::new();
        for row in &rows {
            cases.push(CaseRow::from_row(row)?);
            let reasons: String = row.try_get("reasons")?;
            let discussion: String = row.try_get("discussion")?;
            extra.push((parse_reasons(&reasons)?, discussion));
        }
        let cases = Self::case_summaries(tx, cases).await?;
        let ids: Vec<Uuid> = cases.iter().map(|(c, _)| c.id).collect();
        let mut disclosures = Self::disclosures(tx, meeting.id, version).await?;
        let decisions = Self::load_decisions(tx, DecisionFilter::Meeting(meeting.id)).await?;
        let actions = Self::load_actions(tx, caller, ActionFilter::Meeting(meeting.id)).await?;
        let overdue = Self::load_actions(
            tx,
            caller,
            ActionFilter::OverdueBefore(&ids, meeting.id, meeting.held_on),
        )
        .await?;
        let items = cases
            .into_iter()
            .zip(extra)
            .map(|((case, _), (reasons, discussion))| {
                let of_case = |list: &[Action]| -> Vec<Action> {
                    list.iter()
                        .filter(|a| a.case_id == case.id)
                        .cloned()
                        .collect()
                };
                AgendaItem {
                    actions: of_case(&actions),
                    overdue_before: of_case(&overdue),
                    disclosures: disclosures.remove(&case.id).unwrap_or_default(),
                    decisions: decisions
                        .iter()
                        .filter(|d| d.case_id == case.id)
                        .cloned()
                        .collect(),
                    case,
                    reasons,
                    discussion,
                }
            })
            .collect();
        let may_run = caller.may_run_meeting(meeting.owner_org, meeting.chair);
        Ok(MeetingDetail {
            meeting,
            participants,
            items,
            may_run,
        })
    }

    /// The caller's cases of `ids` with the reasons they belong on an agenda on `held_on`.
    async fn with_reasons(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        held_on: Date,
        ids: Option<&[Uuid]>,
    ) -> Result<Vec<(CaseSummary, Vec<AgendaReason>)>> {
        // A meeting planned without cases yet: none to look up (PostgreSQL refuses `IN ()`).
        if ids.is_some_and(<[Uuid]>::is_empty) {
            return Ok(Vec::new());
        }
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {}", super::cases::CASE_COLUMNS));
        push_reason_columns(&mut qb, held_on);
        qb.push(super::cases::CASE_FROM).push(" WHERE ");
        push_case_visible(&mut qb, caller.case_sight());
        match ids {
            Some(ids) => {
                qb.push(" AND c.id IN (");
                push_ids(&mut qb, ids);
                qb.push(")");
            }
            None => {
                qb.push(" AND c.status <> ")
                    .push_bind(CaseStatus::Closed.slug());
            }
        }
        qb.push(" ORDER BY c.updated_at DESC, c.id DESC LIMIT 500");
        let rows = qb.build().fetch_all(&mut **tx).await?;
        let mut found = Vec::new();
        let mut case_rows = Vec::new();
        for row in &rows {
            let (case, reasons) = proposal_from_row(row)?;
            case_rows.push(CaseRow::from_row(row)?);
            found.push((case.id, reasons));
        }
        let cases = Self::case_summaries(tx, case_rows).await?;
        Ok(cases
            .into_iter()
            .zip(found)
            .map(|((case, _), (_, reasons))| (case, reasons))
            .collect())
    }

    /// Checks the people and organisations to put at a meeting's table.
    async fn participants_refusal(
        tx: &mut Transaction<'static, Db>,
        meeting: &NewMeeting,
    ) -> Result<Option<Rejection>> {
        for org in &meeting.organisations {
            let known: Option<String> =
                sqlx::query_scalar("SELECT id FROM organisation WHERE id = $1")
                    .bind(org.to_string())
                    .fetch_optional(&mut **tx)
                    .await?;
            if known.is_none() {
                return Ok(Some(Rejection::ParticipantUnknown));
            }
        }
        for user in &meeting.people {
            let row = sqlx::query(&format!(
                "SELECT {USER_COLUMNS} FROM app_user u WHERE u.id = $1 AND u.active = 1"
            ))
            .bind(user.to_string())
            .fetch_optional(&mut **tx)
            .await?;
            match row.map(|r| user_from_row(&r)).transpose()? {
                None => return Ok(Some(Rejection::ParticipantUnknown)),
                Some(u) if !Caller::may_be_case_member(&u.roles) => {
                    return Ok(Some(Rejection::ParticipantWithoutContentRole))
                }
                Some(_) => {}
            }
        }
        Ok(None)
    }
}

/// Sorts a proposal: most reasons first, then overdue actions, follow-ups, requests, new.
fn sort_proposal(proposal: &mut [AgendaProposal]) {
    proposal.sort_by(|a, b| {
        b.reasons
            .len()
            .cmp(&a.reasons.len())
            .then_with(|| b.reasons.iter().max().cmp(&a.reasons.iter().max()))
            .then_with(|| a.case.title.cmp(&b.case.title))
    });
}

#[async_trait]
impl crate::MeetingStore for EngineStore {
    async fn agenda_proposal(
        &self,
        caller: &Caller,
        held_on: Date,
        now: OffsetDateTime,
    ) -> Result<Vec<AgendaProposal>> {
        let mut tx = self.read(caller, now).await?;
        let found = Self::with_reasons(&mut tx, caller, held_on, None).await?;
        let mut proposal: Vec<AgendaProposal> = found
            .into_iter()
            .filter(|(_, reasons)| !reasons.is_empty())
            .map(|(case, reasons)| AgendaProposal { case, reasons })
            .collect();
        sort_proposal(&mut proposal);
        let event = AuditRecord::success(
            AuditAction::MeetingAgendaProposal,
            ObjectKind::Meeting,
            None,
            format!("held-on={} shown={}", date(held_on), proposal.len()),
        );
        tx.finish(event).await?;
        Ok(proposal)
    }

    async fn create_meeting(
        &self,
        caller: &Caller,
        meeting: NewMeeting,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        if !caller.may_plan_meeting() {
            return Err(StoreError::Forbidden(Denied::PlanMeeting));
        }
        let id = new_id(now);
        let caller = &caller.clone().with_purpose(Purpose::meeting(id));
        let mut tx = self.write(caller, now).await?;
        let found =
            Self::with_reasons(&mut tx, caller, meeting.held_on, Some(&meeting.cases)).await?;
        if found.len() != meeting.cases.len() {
            tx.abandon().await?;
            return Err(StoreError::rejected(Rejection::CaseUnknown));
        }
        if let Some(rejection) = Self::participants_refusal(&mut tx, &meeting).await? {
            tx.abandon().await?;
            return Err(StoreError::rejected(rejection));
        }
        let mid = id.to_string();
        sqlx::query(
            "INSERT INTO meeting (id, owner_org, chair_user, title, held_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&mid)
        .bind(caller.org().to_string())
        .bind(caller.user().to_string())
        .bind(&meeting.title)
        .bind(date(meeting.held_on))
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        let participants: Vec<(Option<String>, Option<String>)> = meeting
            .organisations
            .iter()
            .map(|o| (Some(o.to_string()), None))
            .chain(meeting.people.iter().map(|u| (None, Some(u.to_string()))))
            .collect();
        insert_rows(
            &mut tx,
            "INSERT INTO meeting_participant (meeting_id, org_id, user_id) ",
            &participants,
            3,
            |b, (org, user)| {
                b.push_bind(mid.clone())
                    .push_bind(org.clone())
                    .push_bind(user.clone());
            },
        )
        .await?;
        let mut items: Vec<AgendaProposal> = found
            .into_iter()
            .map(|(case, reasons)| AgendaProposal {
                reasons: if reasons.is_empty() {
                    vec![AgendaReason::Chosen]
                } else {
                    reasons
                },
                case,
            })
            .collect();
        sort_proposal(&mut items);
        let rows: Vec<(i64, &AgendaProposal)> = (0i64..).zip(items.iter()).collect();
        insert_rows(
            &mut tx,
            "INSERT INTO meeting_item (meeting_id, case_id, position, reasons, discussion) ",
            &rows,
            5,
            |b, (position, item)| {
                b.push_bind(mid.clone())
                    .push_bind(item.case.id.to_string())
                    .push_bind(*position)
                    .push_bind(reasons_text(&item.reasons))
                    .push_bind(String::new());
            },
        )
        .await?;
        if !meeting.cases.is_empty() {
            let mut qb = QueryBuilder::<Db>::new("UPDATE agenda_request SET meeting_id = ");
            qb.push_bind(mid.clone())
                .push(" WHERE meeting_id IS NULL AND case_id IN (");
            push_ids(&mut qb, &meeting.cases);
            qb.push(")");
            qb.build().execute(&mut **tx).await?;
        }
        let event = AuditRecord::success(
            AuditAction::MeetingCreate,
            ObjectKind::Meeting,
            Some(mid),
            format!(
                "held-on={} cases={} organisations={} people={}",
                date(meeting.held_on),
                meeting
                    .cases
                    .iter()
                    .map(Uuid::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
                meeting.organisations.len(),
                meeting.people.len()
            ),
        );
        tx.finish(event).await?;
        Ok(id)
    }

    async fn meetings(
        &self,
        caller: &Caller,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<MeetingSummary>> {
        let mut tx = self.read(caller, now).await?;
        let mut qb = QueryBuilder::<Db>::new("");
        push_meeting_select(&mut qb, caller.case_sight());
        push_meeting_visible(&mut qb, caller);
        push_page(&mut qb, ("m.held_on", "m.id"), KeyTime::Day, page);
        let rows: Vec<MeetingRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        let rows = rows
            .into_iter()
            .map(MeetingRow::into_summary)
            .collect::<Result<Vec<_>>>()?;
        let mut selected =
            QueryBuilder::<Db>::new("SELECT COUNT(*) FROM (SELECT 1 FROM meeting m WHERE ");
        push_meeting_visible(&mut selected, caller);
        let total = page_total(&mut tx, (page, rows.len()), selected).await?;
        let meetings = Page::from_rows(rows, page, total, |m| Cursor::on_day(m.held_on, m.id));
        let event = AuditRecord::success(
            AuditAction::MeetingList,
            ObjectKind::Meeting,
            None,
            page_detail(&meetings, page),
        );
        tx.finish(event).await?;
        Ok(meetings)
    }

    async fn meeting(
        &self,
        caller: &Caller,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<MeetingDetail> {
        let caller = &caller.clone().with_purpose(Purpose::meeting(id));
        let mut tx = self.read(caller, now).await?;
        let event = AuditRecord::success(
            AuditAction::MeetingRead,
            ObjectKind::Meeting,
            Some(id.to_string()),
            String::new(),
        );
        let Some(meeting) = Self::visible_meeting(&mut tx, caller, id).await? else {
            return Err(tx.refuse(StoreError::NotFound, event).await);
        };
        let version = if caller.may_run_meeting(meeting.owner_org, meeting.chair) {
            MinutesFor::OwnFile
        } else {
            MinutesFor::Organisation(caller.org())
        };
        let detail = Self::meeting_detail(&mut tx, caller, meeting, (version, None)).await?;
        tx.record_purpose(&purpose_of(id, &detail));
        let event = AuditRecord {
            detail: shown_cases(&detail),
            ..event
        };
        tx.finish(event).await?;
        Ok(detail)
    }

    async fn minutes(
        &self,
        caller: &Caller,
        id: Uuid,
        version: MinutesFor,
        now: OffsetDateTime,
    ) -> Result<MeetingDetail> {
        let caller = &caller.clone().with_purpose(Purpose::meeting(id));
        let mut tx = self.read(caller, now).await?;
        let event = AuditRecord::success(
            AuditAction::MeetingMinutes,
            ObjectKind::Meeting,
            Some(id.to_string()),
            match version {
                MinutesFor::OwnFile => "version=own-file".to_string(),
                MinutesFor::Organisation(org) => format!("version={org}"),
            },
        );
        let Some(meeting) = Self::visible_meeting(&mut tx, caller, id).await? else {
            return Err(tx.refuse(StoreError::NotFound, event).await);
        };
        let runs = caller.may_run_meeting(meeting.owner_org, meeting.chair);
        if !runs && version != MinutesFor::Organisation(caller.org()) {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::OtherMinutes), event)
                .await);
        }
        if let MinutesFor::Organisation(org) = version {
            if !Self::table_organisations(&mut tx, &meeting)
                .await?
                .contains(&org)
            {
                return Err(tx
                    .refuse(StoreError::rejected(Rejection::NotAtTheTable), event)
                    .await);
            }
        }
        let sent_to = match version {
            MinutesFor::OwnFile => None,
            MinutesFor::Organisation(org) => Some(org),
        };
        let detail = Self::meeting_detail(&mut tx, caller, meeting, (version, sent_to)).await?;
        tx.record_purpose(&purpose_of(id, &detail));
        let event = AuditRecord {
            detail: format!("{} {}", event.detail, shown_cases(&detail)),
            ..event
        };
        tx.finish(event).await?;
        Ok(detail)
    }

    async fn record_disclosure(
        &self,
        caller: &Caller,
        item: (Uuid, Uuid),
        disclosure: NewDisclosure,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        self.disclose(caller, item, disclosure, now).await
    }

    async fn record_discussion(
        &self,
        caller: &Caller,
        (meeting, case): (Uuid, Uuid),
        summary: &DiscussionSummary,
        now: OffsetDateTime,
    ) -> Result<()> {
        let caller = &caller.clone().with_purpose(Purpose::case(case));
        let attempt = AuditRecord::success(
            AuditAction::MeetingDiscussion,
            ObjectKind::Meeting,
            Some(meeting.to_string()),
            format!("case={case}"),
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, _) = Self::meeting_to_run(tx, caller, meeting, attempt.clone()).await?;
        if !Self::on_agenda(&mut tx, caller, (meeting, case)).await? {
            return Err(tx
                .refuse(StoreError::rejected(Rejection::NotOnTheAgenda), attempt)
                .await);
        }
        sqlx::query(
            "UPDATE meeting_item SET discussion = $1 WHERE meeting_id = $2 AND case_id = $3",
        )
        .bind(summary.text())
        .bind(meeting.to_string())
        .bind(case.to_string())
        .execute(&mut **tx)
        .await?;
        tx.finish(attempt).await
    }

    async fn record_decision(
        &self,
        caller: &Caller,
        item: (Uuid, Uuid),
        decision: NewDecision,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        Self::decide(self, caller, item, decision, now).await
    }

    async fn add_action(
        &self,
        caller: &Caller,
        decision: Uuid,
        action: NewAction,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        Self::new_action(self, caller, decision, action, now).await
    }

    async fn change_action_status(
        &self,
        caller: &Caller,
        action: Uuid,
        to: ActionStatus,
        now: OffsetDateTime,
    ) -> Result<()> {
        Self::move_action(self, caller, action, to, now).await
    }

    async fn my_actions(&self, caller: &Caller, now: OffsetDateTime) -> Result<Vec<Action>> {
        let mut tx = self.read(caller, now).await?;
        let actions = Self::load_actions(&mut tx, caller, ActionFilter::Mine).await?;
        let today = tx.today();
        let event = AuditRecord::success(
            AuditAction::ActionList,
            ObjectKind::Action,
            None,
            format!(
                "shown={} overdue={}",
                actions.len(),
                actions.iter().filter(|a| a.is_overdue(today)).count()
            ),
        );
        tx.finish(event).await?;
        Ok(actions)
    }

    async fn request_agenda(
        &self,
        caller: &Caller,
        case: Uuid,
        request: &AgendaRequest,
        now: OffsetDateTime,
    ) -> Result<()> {
        let caller = &caller.clone().with_purpose(Purpose::case(case));
        let attempt = AuditRecord::success(
            AuditAction::CaseAgendaRequest,
            ObjectKind::Case,
            Some(case.to_string()),
            String::new(),
        );
        let mut tx = self.write(caller, now).await?;
        if Self::visible_case(&mut tx, caller, case).await?.is_none() {
            return Err(tx.refuse(StoreError::NotFound, attempt).await);
        }
        sqlx::query(
            "INSERT INTO agenda_request (id, case_id, requested_by, requested_at, reason, meeting_id) \
             VALUES ($1, $2, $3, $4, $5, NULL)",
        )
        .bind(new_id(now).to_string())
        .bind(case.to_string())
        .bind(caller.user().to_string())
        .bind(ts(now))
        .bind(request.reason())
        .execute(&mut **tx)
        .await?;
        tx.finish(attempt).await
    }
}

/// The purpose of reading a meeting: the meeting and each case shown (issue 14, pt 5: reads
/// carry the case as their purpose).
fn purpose_of(id: Uuid, detail: &MeetingDetail) -> String {
    let mut purpose = Purpose::meeting(id).as_str().to_string();
    for item in &detail.items {
        purpose.push_str(&format!("; {}", Purpose::case(item.case.id).as_str()));
    }
    purpose
}

/// The cases a meeting read showed, for its audit event (ids only).
fn shown_cases(detail: &MeetingDetail) -> String {
    format!(
        "cases={}",
        detail
            .items
            .iter()
            .map(|i| i.case.id.to_string())
            .collect::<Vec<_>>()
            .join(",")
    )
}
