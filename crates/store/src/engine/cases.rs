//! The case table's cases: opening, lists, detail, status, signals, members and the triage
//! suggestion. Who sees a case is `baken_core::case::CaseSight`, applied here in SQL
//! ([`push_case_visible`]); the signals in a case are shown only as the caller may see them.

use super::rows::{CaseHistoryRow, CaseMemberRow, CaseRow};
use super::*;
use baken_core::access::Purpose;
use baken_core::case::{
    CaseDetail, CaseSight, CaseStatus, CaseStatusChange, CaseSummary, NewCase, NewMember,
};

pub(super) const CASE_COLUMNS: &str =
    "c.id, c.title, c.description, c.classification, c.status, c.owner_org, \
    o.name AS owner_org_name, c.owner_user, u.display_name AS owner_name, c.follow_up_on, \
    c.created_at, c.updated_at";

pub(super) const CASE_FROM: &str =
    " FROM case_file c JOIN organisation o ON o.id = c.owner_org JOIN app_user u ON u.id = c.owner_user";

/// Appends "the caller may see case `c`": its owner, the people named on it and the people
/// who chair or sit at a meeting that has it on its agenda always; the staff of a member
/// organisation or of an organisation at such a meeting, and the owning organisation's
/// analysts, below vertrouwelijk.
pub(super) fn push_case_visible(qb: &mut QueryBuilder<'_, Db>, sight: CaseSight) {
    let user = sight.user.to_string();
    let org = sight.org.to_string();
    qb.push("(c.owner_user = ")
        .push_bind(user.clone())
        .push(" OR EXISTS (SELECT 1 FROM case_member cm WHERE cm.case_id = c.id AND cm.user_id = ")
        .push_bind(user.clone())
        .push(")")
        // On the agenda of a meeting the caller chairs or sits at in person.
        .push(
            " OR EXISTS (SELECT 1 FROM meeting_item mi JOIN meeting m ON m.id = mi.meeting_id \
             WHERE mi.case_id = c.id AND (m.chair_user = ",
        )
        .push_bind(user.clone())
        .push(
            " OR EXISTS (SELECT 1 FROM meeting_participant mp WHERE mp.meeting_id = m.id \
             AND mp.user_id = ",
        )
        .push_bind(user)
        .push(")))");
    if sight.through_organisation || sight.as_owning_team {
        qb.push(" OR (c.classification_rank < ")
            .push_bind(CaseSight::organisation_rank_below())
            .push(" AND (");
        if sight.as_owning_team {
            qb.push("c.owner_org = ").push_bind(org.clone());
            if sight.through_organisation {
                qb.push(" OR ");
            }
        }
        if sight.through_organisation {
            qb.push(
                "EXISTS (SELECT 1 FROM case_member cm WHERE cm.case_id = c.id AND cm.org_id = ",
            )
            .push_bind(org.clone())
            .push(
                ") OR EXISTS (SELECT 1 FROM meeting_item mi JOIN meeting_participant mp \
                 ON mp.meeting_id = mi.meeting_id WHERE mi.case_id = c.id AND mp.org_id = ",
            )
            .push_bind(org)
            .push(")");
        }
        qb.push("))");
    }
    qb.push(")");
}

impl EngineStore {
    /// The cases of `rows` with their themes.
    pub(super) async fn case_summaries(
        tx: &mut Transaction<'static, Db>,
        rows: Vec<CaseRow>,
    ) -> Result<Vec<(CaseSummary, String)>> {
        let mut cases = rows
            .into_iter()
            .map(CaseRow::into_summary)
            .collect::<Result<Vec<_>>>()?;
        if cases.is_empty() {
            return Ok(cases);
        }
        let mut qb =
            QueryBuilder::<Db>::new("SELECT case_id, theme FROM case_theme WHERE case_id IN (");
        let mut sep = qb.separated(", ");
        for (c, _) in &cases {
            sep.push_bind(c.id.to_string());
        }
        qb.push(")");
        let themes: Vec<(String, String)> = qb.build_query_as().fetch_all(&mut **tx).await?;
        let mut by_case: HashMap<String, Vec<String>> = HashMap::new();
        for (case, theme) in themes {
            by_case.entry(case).or_default().push(theme);
        }
        for (c, _) in &mut cases {
            let mut themes = by_case.remove(&c.id.to_string()).unwrap_or_default();
            themes.sort();
            c.themes = themes;
        }
        Ok(cases)
    }

    /// The case `id` if the caller may see it, with its description.
    pub(super) async fn visible_case(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        id: Uuid,
    ) -> Result<Option<(CaseSummary, String)>> {
        let mut qb =
            QueryBuilder::<Db>::new(format!("SELECT {CASE_COLUMNS}{CASE_FROM} WHERE c.id = "));
        qb.push_bind(id.to_string()).push(" AND ");
        push_case_visible(&mut qb, caller.case_sight());
        let row: Option<CaseRow> = qb.build_query_as().fetch_optional(&mut **tx).await?;
        Ok(Self::case_summaries(tx, row.into_iter().collect())
            .await?
            .pop())
    }

    /// The cases the caller may see that hold one of `signals` (a dossier's visible signals),
    /// most recently changed first.
    pub(super) async fn cases_holding(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        signals: &[Uuid],
    ) -> Result<Vec<CaseSummary>> {
        if signals.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {CASE_COLUMNS}{CASE_FROM} WHERE EXISTS (SELECT 1 FROM case_signal cs \
             WHERE cs.case_id = c.id AND cs.signal_id IN ("
        ));
        let mut sep = qb.separated(", ");
        for s in signals {
            sep.push_bind(s.to_string());
        }
        qb.push(")) AND ");
        push_case_visible(&mut qb, caller.case_sight());
        qb.push(" ORDER BY c.updated_at DESC, c.id DESC LIMIT 100");
        let rows: Vec<CaseRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        Ok(Self::case_summaries(tx, rows)
            .await?
            .into_iter()
            .map(|(c, _)| c)
            .collect())
    }

    /// Everything the caller may see of a case they may see.
    async fn case_detail(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        (case, description): (CaseSummary, String),
        today: Date,
    ) -> Result<CaseDetail> {
        let cid = case.id.to_string();
        let members: Vec<CaseMemberRow> = sqlx::query_as(
            "SELECT m.org_id, mo.name AS org_name, m.user_id, mu.display_name AS user_name, \
             uo.name AS user_org_name \
             FROM case_member m \
             LEFT JOIN organisation mo ON mo.id = m.org_id \
             LEFT JOIN app_user mu ON mu.id = m.user_id \
             LEFT JOIN organisation uo ON uo.id = mu.org_id \
             WHERE m.case_id = $1 \
             ORDER BY CASE WHEN m.org_id IS NULL THEN 1 ELSE 0 END, m.added_at, mo.name, mu.display_name",
        )
        .bind(&cid)
        .fetch_all(&mut **tx)
        .await?;
        let members = members
            .into_iter()
            .map(CaseMemberRow::into_member)
            .collect::<Result<Vec<_>>>()?;
        let history: Vec<CaseHistoryRow> = sqlx::query_as(
            "SELECT h.at, u.display_name, h.from_status, h.to_status, h.reason \
             FROM case_status_history h JOIN app_user u ON u.id = h.by_user \
             WHERE h.case_id = $1 ORDER BY h.at, h.id",
        )
        .bind(&cid)
        .fetch_all(&mut **tx)
        .await?;
        let history = history
            .into_iter()
            .map(CaseHistoryRow::into_entry)
            .collect::<Result<Vec<_>>>()?;
        // The signals in the case as the caller sees them: a member sees no signal through
        // the case, only those their own organisation may see.
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {SIGNAL_COLUMNS} FROM case_signal cs JOIN signal s ON s.id = cs.signal_id \
             JOIN organisation o ON o.id = s.owner_org WHERE cs.case_id = "
        ));
        qb.push_bind(cid).push(" AND ");
        push_visible(&mut qb, caller, today);
        qb.push(" ORDER BY s.received_at DESC, s.id DESC");
        let rows = qb.build().fetch_all(&mut **tx).await?;
        let mut signals = rows
            .iter()
            .map(signal_from_row)
            .collect::<Result<Vec<_>>>()?;
        Self::attach_codes(tx, &mut signals).await?;
        let may_manage = caller.may_manage_case(case.owner_org, case.owner_user);
        let ids = [case.id];
        let decisions =
            Self::load_decisions(tx, super::decisions::DecisionFilter::Cases(&ids)).await?;
        let actions =
            Self::load_actions(tx, caller, super::decisions::ActionFilter::Cases(&ids)).await?;
        let lineage = Self::load_lineage(tx, caller, case.id).await?;
        let meetings = Self::meetings_of_case(tx, caller, case.id).await?;
        let entities = Self::load_case_entities(tx, caller, case.id, today).await?;
        Ok(CaseDetail {
            entities,
            meetings,
            lineage,
            decisions,
            actions,
            case,
            description,
            members,
            history,
            signals,
            may_manage,
        })
    }

    /// Names `member` on case `case` unless it is there already; whether it was added.
    pub(super) async fn ensure_case_member(
        tx: &mut Transaction<'static, Db>,
        case: Uuid,
        member: NewMember,
        (by, now): (Uuid, OffsetDateTime),
    ) -> Result<bool> {
        let (column, member) = match member {
            NewMember::Organisation(org) => ("org_id", org),
            NewMember::User(user) => ("user_id", user),
        };
        let present: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM case_member WHERE case_id = $1 AND {column} = $2"
        ))
        .bind(case.to_string())
        .bind(member.to_string())
        .fetch_one(&mut **tx)
        .await?;
        if present > 0 {
            return Ok(false);
        }
        sqlx::query(&format!(
            "INSERT INTO case_member (case_id, {column}, added_by, added_at) VALUES ($1, $2, $3, $4)"
        ))
        .bind(case.to_string())
        .bind(member.to_string())
        .bind(by.to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        Ok(true)
    }

    /// Of `themes`, those not in the catalogue, as rejections.
    pub(super) async fn unknown_themes(
        tx: &mut Transaction<'static, Db>,
        themes: &[String],
    ) -> Result<Vec<Rejection>> {
        let mut qb = QueryBuilder::<Db>::new("SELECT code FROM theme WHERE code IN (");
        let mut sep = qb.separated(", ");
        for theme in themes {
            sep.push_bind(theme.clone());
        }
        qb.push(")");
        let known: Vec<String> = qb.build_query_scalar().fetch_all(&mut **tx).await?;
        Ok(themes
            .iter()
            .filter(|t| !known.contains(t))
            .map(|t| Rejection::UnknownTheme(t.clone()))
            .collect())
    }

    /// Stores a new case of the caller's with its themes, signals and first history entry
    /// (with `reason`).
    pub(super) async fn insert_case(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        (id, case): (Uuid, &NewCase),
        signals: &[Uuid],
        (reason, now): (&str, OffsetDateTime),
    ) -> Result<()> {
        let cid = id.to_string();
        sqlx::query(
            "INSERT INTO case_file (id, owner_org, owner_user, title, description, classification, \
             classification_rank, status, follow_up_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        )
        .bind(&cid)
        .bind(caller.org().to_string())
        .bind(caller.user().to_string())
        .bind(&case.title)
        .bind(&case.description)
        .bind(case.classification.slug())
        .bind(case.classification.rank())
        .bind(CaseStatus::Registered.slug())
        .bind(case.follow_up_on.map(date))
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        insert_rows(
            tx,
            "INSERT INTO case_theme (case_id, theme) ",
            &case.themes,
            2,
            |b, theme| {
                b.push_bind(cid.clone()).push_bind(theme.clone());
            },
        )
        .await?;
        insert_rows(
            tx,
            "INSERT INTO case_signal (case_id, signal_id, added_by, added_at) ",
            signals,
            4,
            |b, signal| {
                b.push_bind(cid.clone())
                    .push_bind(signal.to_string())
                    .push_bind(caller.user().to_string())
                    .push_bind(ts(now));
            },
        )
        .await?;
        sqlx::query(
            "INSERT INTO case_status_history (id, case_id, at, by_user, from_status, to_status, reason) \
             VALUES ($1, $2, $3, $4, NULL, $5, $6)",
        )
        .bind(new_id(now).to_string())
        .bind(&cid)
        .bind(ts(now))
        .bind(caller.user().to_string())
        .bind(CaseStatus::Registered.slug())
        .bind(reason)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Of `ids`, those the caller may not see (or that do not exist).
    pub(super) async fn signals_out_of_sight(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        ids: &[Uuid],
        today: Date,
    ) -> Result<bool> {
        if ids.is_empty() {
            return Ok(false);
        }
        let mut qb = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM signal s WHERE s.id IN (");
        let mut sep = qb.separated(", ");
        for id in ids {
            sep.push_bind(id.to_string());
        }
        qb.push(") AND ");
        push_visible(&mut qb, caller, today);
        let seen: i64 = qb.build_query_scalar().fetch_one(&mut **tx).await?;
        Ok(usize::try_from(seen).unwrap_or(0) != ids.len())
    }

    /// Marks the case changed at `now`.
    pub(super) async fn touch_case(
        tx: &mut Transaction<'static, Db>,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query("UPDATE case_file SET updated_at = $1 WHERE id = $2")
            .bind(ts(now))
            .bind(id.to_string())
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Ends a change of case `id`: its detail as the caller sees it now, with `event`
    /// recorded, or without an event when nothing changed (`None`: a signal or member that
    /// was already there).
    pub(super) async fn after_case_change(
        mut tx: Write<'_>,
        caller: &Caller,
        id: Uuid,
        event: Option<AuditRecord>,
        now: OffsetDateTime,
    ) -> Result<CaseDetail> {
        let found = Self::visible_case(&mut tx, caller, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let detail = Self::case_detail(&mut tx, caller, found, local_date(now)).await?;
        match event {
            Some(event) => tx.finish(event).await?,
            None => tx.abandon().await?,
        }
        Ok(detail)
    }

    /// The case `id` for a change by the caller: `NotFound` when they may not see it,
    /// `Forbidden` when they may see but not manage it (both recorded).
    pub(super) async fn case_to_manage<'a>(
        tx: Write<'a>,
        caller: &Caller,
        id: Uuid,
        attempt: AuditRecord,
    ) -> Result<(Write<'a>, (CaseSummary, String))> {
        let mut tx = tx;
        match Self::visible_case(&mut tx, caller, id).await? {
            None => Err(tx.refuse(StoreError::NotFound, attempt).await),
            Some(found) if !caller.may_manage_case(found.0.owner_org, found.0.owner_user) => {
                Err(tx
                    .refuse(StoreError::Forbidden(Denied::ManageCase), attempt)
                    .await)
            }
            Some(found) => Ok((tx, found)),
        }
    }
}

#[async_trait]
impl crate::CaseStore for EngineStore {
    async fn create_case(
        &self,
        caller: &Caller,
        case: NewCase,
        signals: &[Uuid],
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        if !caller.may_open_case() {
            return Err(StoreError::Forbidden(Denied::OpenCase));
        }
        let mut signals = signals.to_vec();
        signals.sort();
        signals.dedup();
        let id = new_id(now);
        let caller = &caller.clone().with_purpose(Purpose::case(id));
        let mut tx = self.write(caller, now).await?;
        let unknown = Self::unknown_themes(&mut tx, &case.themes).await?;
        if !unknown.is_empty() {
            tx.abandon().await?;
            return Err(StoreError::Rejected(unknown));
        }
        if Self::signals_out_of_sight(&mut tx, caller, &signals, local_date(now)).await? {
            tx.abandon().await?;
            return Err(StoreError::rejected(Rejection::SignalUnknown));
        }
        Self::insert_case(&mut tx, caller, (id, &case), &signals, ("", now)).await?;
        let cid = id.to_string();
        let event = AuditRecord::success(
            AuditAction::CaseCreate,
            ObjectKind::Case,
            Some(cid),
            format!(
                "themes={} classification={} signals={}",
                case.themes.join(","),
                case.classification.slug(),
                signals
                    .iter()
                    .map(Uuid::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        );
        tx.finish(event).await?;
        Ok(id)
    }

    async fn cases(
        &self,
        caller: &Caller,
        list: CaseList,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<CaseSummary>> {
        let mut tx = self.read(caller, now).await?;
        let push_list = |qb: &mut QueryBuilder<'_, Db>| {
            push_case_visible(qb, caller.case_sight());
            if list == CaseList::Open {
                qb.push(" AND c.status <> ")
                    .push_bind(CaseStatus::Closed.slug());
            }
        };
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {CASE_COLUMNS}{CASE_FROM} WHERE "));
        push_list(&mut qb);
        push_page(&mut qb, ("c.updated_at", "c.id"), KeyTime::Moment, page);
        let rows: Vec<CaseRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        let rows: Vec<CaseSummary> = Self::case_summaries(&mut tx, rows)
            .await?
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        let mut selected =
            QueryBuilder::<Db>::new("SELECT COUNT(*) FROM (SELECT 1 FROM case_file c WHERE ");
        push_list(&mut selected);
        let total = page_total(&mut tx, (page, rows.len()), selected).await?;
        let cases = Page::from_rows(rows, page, total, |c| Cursor::new(c.updated_at, c.id));
        let event = AuditRecord::success(
            AuditAction::CaseList,
            ObjectKind::Case,
            None,
            format!(
                "list={} shown={}",
                match list {
                    CaseList::Open => "open",
                    CaseList::All => "all",
                },
                cases.items.len()
            ),
        );
        tx.finish(event).await?;
        Ok(cases)
    }

    async fn case(
        &self,
        caller: &Caller,
        id: Uuid,
        reason: Option<&baken_core::access::DossierReason>,
        now: OffsetDateTime,
    ) -> Result<CaseDetail> {
        let caller = &caller.clone().with_purpose(Purpose::case(id));
        let mut tx = self.read(caller, now).await?;
        let event = AuditRecord::success(
            AuditAction::CaseRead,
            ObjectKind::Case,
            Some(id.to_string()),
            String::new(),
        );
        let Some(found) = Self::visible_case(&mut tx, caller, id).await? else {
            return Err(tx.refuse(StoreError::NotFound, event).await);
        };
        let detail = Self::case_detail(&mut tx, caller, found, local_date(now)).await?;
        // Outside one's own membership, a read has a stated reason.
        if !detail.names(caller.user()) {
            let Some(reason) = reason else {
                return Err(tx.refuse(StoreError::ReasonRequired, event).await);
            };
            tx.record_purpose(Purpose::case_outside_membership(id, reason).as_str());
        }
        let event = AuditRecord {
            detail: format!("signals-shown={}", detail.signals.len()),
            ..event
        };
        tx.finish(event).await?;
        Ok(detail)
    }

    async fn change_case_status(
        &self,
        caller: &Caller,
        id: Uuid,
        change: CaseStatusChange,
        now: OffsetDateTime,
    ) -> Result<CaseDetail> {
        let caller = &caller.clone().with_purpose(Purpose::case(id));
        let attempt = AuditRecord::success(
            AuditAction::CaseStatusChange,
            ObjectKind::Case,
            Some(id.to_string()),
            format!("to={}", change.to.slug()),
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, found) = Self::case_to_manage(tx, caller, id, attempt.clone()).await?;
        let from = found.0.status;
        if let Err(errors) = change.check_from(from) {
            return Err(tx.refuse(StoreError::Invalid(errors), attempt).await);
        }
        sqlx::query("UPDATE case_file SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(change.to.slug())
            .bind(ts(now))
            .bind(id.to_string())
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO case_status_history (id, case_id, at, by_user, from_status, to_status, reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new_id(now).to_string())
        .bind(id.to_string())
        .bind(ts(now))
        .bind(caller.user().to_string())
        .bind(from.slug())
        .bind(change.to.slug())
        .bind(&change.reason)
        .execute(&mut **tx)
        .await?;
        let event = AuditRecord {
            detail: format!("from={} to={}", from.slug(), change.to.slug()),
            ..attempt
        };
        Self::after_case_change(tx, caller, id, Some(event), now).await
    }

    async fn add_case_signal(
        &self,
        caller: &Caller,
        id: Uuid,
        signal: Uuid,
        now: OffsetDateTime,
    ) -> Result<CaseDetail> {
        let caller = &caller.clone().with_purpose(Purpose::case(id));
        let attempt = AuditRecord::success(
            AuditAction::CaseSignalAdd,
            ObjectKind::Case,
            Some(id.to_string()),
            format!("signal={signal}"),
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, _) = Self::case_to_manage(tx, caller, id, attempt.clone()).await?;
        if Self::signals_out_of_sight(&mut tx, caller, &[signal], local_date(now)).await? {
            return Err(tx
                .refuse(StoreError::rejected(Rejection::SignalUnknown), attempt)
                .await);
        }
        let present: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_signal WHERE case_id = $1 AND signal_id = $2",
        )
        .bind(id.to_string())
        .bind(signal.to_string())
        .fetch_one(&mut **tx)
        .await?;
        let present = present > 0;
        if !present {
            sqlx::query(
                "INSERT INTO case_signal (case_id, signal_id, added_by, added_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(id.to_string())
            .bind(signal.to_string())
            .bind(caller.user().to_string())
            .bind(ts(now))
            .execute(&mut **tx)
            .await?;
            Self::touch_case(&mut tx, id, now).await?;
        }
        Self::after_case_change(tx, caller, id, (!present).then_some(attempt), now).await
    }

    async fn merge_cases(
        &self,
        caller: &Caller,
        cases: (Uuid, Uuid),
        reason: &baken_core::case::LineageReason,
        now: OffsetDateTime,
    ) -> Result<CaseDetail> {
        self.merge(caller, cases, reason, now).await
    }

    async fn split_case(
        &self,
        caller: &Caller,
        from: Uuid,
        new: (NewCase, &[Uuid]),
        reason: &baken_core::case::LineageReason,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        self.split(caller, from, new, reason, now).await
    }

    async fn add_case_subject(
        &self,
        caller: &Caller,
        id: Uuid,
        subject: Uuid,
        now: OffsetDateTime,
    ) -> Result<CaseDetail> {
        self.add_subject(caller, id, subject, now).await
    }

    async fn add_case_member(
        &self,
        caller: &Caller,
        id: Uuid,
        member: NewMember,
        now: OffsetDateTime,
    ) -> Result<CaseDetail> {
        let caller = &caller.clone().with_purpose(Purpose::case(id));
        let member_id = match member {
            NewMember::Organisation(id) | NewMember::User(id) => id,
        };
        let attempt = AuditRecord::success(
            AuditAction::CaseMemberAdd,
            ObjectKind::Case,
            Some(id.to_string()),
            format!(
                "{}={member_id}",
                match member {
                    NewMember::Organisation(_) => "organisation",
                    NewMember::User(_) => "user",
                }
            ),
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, _) = Self::case_to_manage(tx, caller, id, attempt.clone()).await?;
        let refusal = match member {
            NewMember::Organisation(org) => {
                let known: Option<String> =
                    sqlx::query_scalar("SELECT id FROM organisation WHERE id = $1")
                        .bind(org.to_string())
                        .fetch_optional(&mut **tx)
                        .await?;
                known.is_none().then_some(Rejection::MemberUnknown)
            }
            NewMember::User(user) => {
                let row = sqlx::query(&format!(
                    "SELECT {USER_COLUMNS} FROM app_user u WHERE u.id = $1 AND u.active = 1"
                ))
                .bind(user.to_string())
                .fetch_optional(&mut **tx)
                .await?;
                match row.map(|r| user_from_row(&r)).transpose()? {
                    None => Some(Rejection::MemberUnknown),
                    Some(u) if !Caller::may_be_case_member(&u.roles) => {
                        Some(Rejection::MemberWithoutContentRole)
                    }
                    Some(_) => None,
                }
            }
        };
        if let Some(rejection) = refusal {
            return Err(tx.refuse(StoreError::rejected(rejection), attempt).await);
        }
        let added = Self::ensure_case_member(&mut tx, id, member, (caller.user(), now)).await?;
        if added {
            Self::touch_case(&mut tx, id, now).await?;
        }
        let present = !added;
        Self::after_case_change(tx, caller, id, (!present).then_some(attempt), now).await
    }

    async fn case_suggestions(
        &self,
        caller: &Caller,
        signal: Uuid,
        now: OffsetDateTime,
    ) -> Result<Vec<CaseSummary>> {
        let today = local_date(now);
        let mut tx = self.read(caller, now).await?;
        let event = AuditRecord::success(
            AuditAction::CaseSuggest,
            ObjectKind::Signal,
            Some(signal.to_string()),
            String::new(),
        );
        if Self::signals_out_of_sight(&mut tx, caller, &[signal], today).await? {
            return Err(tx.refuse(StoreError::NotFound, event).await);
        }
        // Open cases the caller may see, holding another signal the caller may see whose
        // subjects belong to an entity of one of this signal's subjects.
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {CASE_COLUMNS}{CASE_FROM} WHERE c.status <> "
        ));
        qb.push_bind(CaseStatus::Closed.slug())
            .push(
                " AND EXISTS (SELECT 1 FROM case_signal cs \
                 JOIN signal s ON s.id = cs.signal_id \
                 JOIN signal_subject ss ON ss.signal_id = s.id \
                 JOIN entity_member em ON em.subject_id = ss.subject_id \
                 WHERE cs.case_id = c.id AND s.id <> ",
            )
            .push_bind(signal.to_string())
            .push(
                " AND em.entity_id IN (SELECT em2.entity_id FROM signal_subject ss2 \
                 JOIN entity_member em2 ON em2.subject_id = ss2.subject_id WHERE ss2.signal_id = ",
            )
            .push_bind(signal.to_string())
            .push(") AND ");
        push_visible(&mut qb, caller, today);
        qb.push(") AND ");
        push_case_visible(&mut qb, caller.case_sight());
        qb.push(" ORDER BY c.updated_at DESC, c.id DESC LIMIT 20");
        let rows: Vec<CaseRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        let cases: Vec<CaseSummary> = Self::case_summaries(&mut tx, rows)
            .await?
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        let event = AuditRecord {
            detail: format!("shown={}", cases.len()),
            ..event
        };
        tx.finish(event).await?;
        Ok(cases)
    }
}
