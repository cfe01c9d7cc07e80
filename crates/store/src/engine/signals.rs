//! Signals: detail, lists, triage (assignment, status), subject suggestions; intake is in
//! `intake.rs`.

use super::intake::EngineImport;
use super::rows::{
    with_codes, Codes, HistoryRow, MentionRow, PublicReportRow, RelationRow, CODE_COLUMNS,
};
use super::*;
use sqlx::Row;

impl EngineStore {
    /// The signal's detail as the caller sees it after a change inside `tx`.
    pub(super) async fn detail_after_change(
        tx: &mut Write<'_>,
        caller: &Caller,
        id: Uuid,
    ) -> Result<SignalDetail> {
        let updated = Self::visible_signal(tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::detail(tx, caller, updated).await
    }

    /// The signal if the caller of `tx` may see it.
    pub(super) async fn visible_signal(tx: &mut impl CallerTx, id: Uuid) -> Result<Option<Signal>> {
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {SIGNAL_COLUMNS}, {} FROM signal s JOIN organisation o ON o.id = s.owner_org WHERE s.id = ",
            CODE_COLUMNS
        ));
        qb.push_bind(id.to_string()).push(" AND ");
        tx.push_visible(&mut qb);
        let Some(row) = qb.build().fetch_optional(&mut ***tx).await? else {
            return Ok(None);
        };
        with_codes(&row).map(Some)
    }

    /// Fills in themes, indicators and the areas of the given signals — in one query of one
    /// row per signal (each list joined into a text, [`CODE_COLUMNS`]), since every row costs
    /// the embedded engine a hand-over between threads. Lists and the detail read the same
    /// columns with their signals instead (`with_codes`).
    pub(super) async fn attach_codes(
        tx: &mut Transaction<'static, Db>,
        signals: &mut [Signal],
    ) -> Result<()> {
        if signals.is_empty() {
            return Ok(());
        }
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT s.id, {} FROM signal s WHERE s.id IN (",
            CODE_COLUMNS
        ));
        let mut ids = qb.separated(", ");
        for s in signals.iter() {
            ids.push_bind(s.id.to_string());
        }
        qb.push(")");
        let rows = qb.build().fetch_all(&mut **tx).await?;
        let mut by_signal: HashMap<String, Codes> = HashMap::new();
        for row in &rows {
            by_signal.insert(row.try_get("id")?, Codes::from_row(row)?);
        }
        for s in signals.iter_mut() {
            by_signal
                .remove(&s.id.to_string())
                .unwrap_or_default()
                .fill(s);
        }
        Ok(())
    }

    pub(super) async fn history(
        tx: &mut Transaction<'static, Db>,
        id: Uuid,
    ) -> Result<Vec<StatusHistoryEntry>> {
        let rows: Vec<HistoryRow> = sqlx::query_as(
            "SELECT h.at, h.by_user, u.display_name, h.from_status, h.to_status, h.reason, \
             h.assigned_name, h.assigned_team \
             FROM signal_status_history h JOIN app_user u ON u.id = h.by_user \
             WHERE h.signal_id = $1 ORDER BY h.at, h.id",
        )
        .bind(id.to_string())
        .fetch_all(&mut **tx)
        .await?;
        rows.into_iter().map(HistoryRow::into_entry).collect()
    }

    pub(super) async fn subjects(
        tx: &mut Transaction<'static, Db>,
        id: Uuid,
    ) -> Result<(Vec<MentionedSubject>, Vec<Relation>)> {
        let mentions: Vec<MentionRow> = sqlx::query_as(
            "SELECT su.id, su.kind, su.original, su.normalised, su.details, ss.role, su.bsn_basis \
             FROM signal_subject ss JOIN subject su ON su.id = ss.subject_id \
             WHERE ss.signal_id = $1 ORDER BY ss.position",
        )
        .bind(id.to_string())
        .fetch_all(&mut **tx)
        .await?;
        let subjects = mentions
            .into_iter()
            .map(MentionRow::into_mention)
            .collect::<Result<Vec<_>>>()?;
        let relations: Vec<RelationRow> = sqlx::query_as(
            "SELECT from_subject, to_subject, kind, valid_from, valid_until FROM relation \
             WHERE source_signal = $1 ORDER BY id",
        )
        .bind(id.to_string())
        .fetch_all(&mut **tx)
        .await?;
        let relations = relations
            .into_iter()
            .map(|r| r.into_relation(id))
            .collect::<Result<Vec<_>>>()?;
        Ok((subjects, relations))
    }

    pub(super) async fn detail(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        signal: Signal,
    ) -> Result<SignalDetail> {
        let history = Self::history(tx, signal.id).await?;
        let corrections = Self::corrections(tx, signal.id).await?;
        let (subjects, relations) = Self::subjects(tx, signal.id).await?;
        let public_report: Option<PublicReportRow> = sqlx::query_as(
            "SELECT reference, contact_name, contact_phone, contact_email, wipe_after \
             FROM public_report WHERE signal_id = $1",
        )
        .bind(signal.id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
        let public_report = public_report.map(PublicReportRow::into_info).transpose()?;
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
            corrections,
            public_report,
            allowed_next,
        })
    }

    pub(super) async fn insert_history(
        tx: &mut Transaction<'static, Db>,
        signal: Uuid,
        by: Uuid,
        (from, to): (Option<SignalStatus>, SignalStatus),
        reason: &str,
        assigned: Option<&AssignedTo>,
        now: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO signal_status_history (id, signal_id, at, by_user, from_status, to_status, reason, \
             assigned_name, assigned_team) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(new_id(now).to_string())
        .bind(signal.to_string())
        .bind(ts(now))
        .bind(by.to_string())
        .bind(from.map(|s| s.slug()))
        .bind(to.slug())
        .bind(reason)
        // An assignment to nobody still marks the entry as one: an empty name.
        .bind(assigned.map(|a| a.name.clone().unwrap_or_default()))
        .bind(assigned.and_then(|a| a.team.clone()))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

#[async_trait]
impl crate::SignalStore for EngineStore {
    async fn create_signal(
        &self,
        caller: &Caller,
        new: NewSignal,
        now: OffsetDateTime,
    ) -> Result<Signal> {
        if !caller.may_register_signal() {
            return Err(StoreError::Forbidden(Denied::RegisterSignals));
        }
        let index = self.index_for(&new).await?;
        let mut tx = self.write(caller, now).await?;
        let ids = Self::insert_signals(
            &mut tx,
            (caller, self.audit_key.as_ref()),
            std::slice::from_ref(&new),
            index.as_deref(),
            Linking::Now,
            now,
        )
        .await?;
        let id = ids.first().copied().ok_or(StoreError::NotFound)?;
        let signal = Self::visible_signal(&mut tx, id).await?;
        let event = AuditRecord::success(
            AuditAction::SignalCreate,
            ObjectKind::Signal,
            Some(id.to_string()),
            format!(
                "classification={} subjects={}",
                new.classification.slug(),
                new.subjects.len()
            ),
        );
        tx.finish(event).await?;
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
            return Err(StoreError::Forbidden(Denied::RegisterPublicReports));
        }
        let reference = baken_core::public::new_reference();
        let mut tx = self.write(intake, now).await?;
        let ids = Self::insert_signals(
            &mut tx,
            (intake, self.audit_key.as_ref()),
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
        .execute(&mut **tx)
        .await?;
        let event = AuditRecord::success(
            AuditAction::SignalCreate,
            ObjectKind::Signal,
            Some(id.to_string()),
            format!("channel=meldformulier contact={}", contact.is_some()),
        );
        tx.finish(event).await?;
        Ok(reference)
    }

    async fn purge_reporter_contacts(&self, now: OffsetDateTime) -> Result<u64> {
        let process = Actor::System {
            process: "bewaartermijn".into(),
        };
        let mut tx = self.write_by(&process, now).await?;
        let done = sqlx::query(
            "UPDATE public_report SET contact_name = NULL, contact_phone = NULL, contact_email = NULL, wipe_after = NULL \
             WHERE wipe_after IS NOT NULL AND wipe_after <= $1",
        )
        .bind(date(tx.today()))
        .execute(&mut **tx)
        .await?;
        let wiped = done.rows_affected();
        if wiped == 0 {
            // Nothing was due: nothing happened worth an event.
            tx.abandon().await?;
            return Ok(0);
        }
        let event = AuditRecord::success(
            AuditAction::ReporterContactWipe,
            ObjectKind::PublicReport,
            None,
            format!("count={wiped}"),
        );
        tx.finish(event).await?;
        Ok(wiped)
    }

    async fn import_mapping(&self, caller: &Caller, source: &str) -> Result<Option<String>> {
        if !caller.may_register_signal() {
            return Err(StoreError::Forbidden(Denied::RegisterSignals));
        }
        Ok(sqlx::query_scalar(
            "SELECT mapping FROM import_mapping WHERE org_id = $1 AND source = $2",
        )
        .bind(caller.org().to_string())
        .bind(source.trim())
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn save_import_mapping(
        &self,
        caller: &Caller,
        source: &str,
        mapping: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        if !caller.may_register_signal() {
            return Err(StoreError::Forbidden(Denied::RegisterSignals));
        }
        let source = source.trim();
        if source.is_empty() {
            return Err(StoreError::rejected(Rejection::NameMissing));
        }
        let actor = Actor::Caller(caller.clone());
        let mut tx = self.write_by(&actor, now).await?;
        sqlx::query(
            "INSERT INTO import_mapping (org_id, source, mapping, saved_by, saved_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, source) DO UPDATE SET \
             mapping = excluded.mapping, saved_by = excluded.saved_by, saved_at = excluded.saved_at",
        )
        .bind(caller.org().to_string())
        .bind(source)
        .bind(mapping)
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        let event = AuditRecord::success(
            AuditAction::ImportMappingSave,
            ObjectKind::ImportMapping,
            Some(source.to_string()),
            String::new(),
        );
        tx.finish(event).await
    }

    async fn known_import_keys(
        &self,
        caller: &Caller,
        keys: &[String],
    ) -> Result<std::collections::HashSet<String>> {
        if !caller.may_register_signal() {
            return Err(StoreError::Forbidden(Denied::RegisterSignals));
        }
        let mut known = std::collections::HashSet::new();
        for chunk in keys.chunks(500) {
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT key_hash FROM signal_import_key WHERE owner_org = ",
            );
            qb.push_bind(caller.org().to_string())
                .push(" AND key_hash IN (");
            let mut list = qb.separated(", ");
            for key in chunk {
                list.push_bind(key);
            }
            qb.push(")");
            let found: Vec<String> = qb.build_query_scalar().fetch_all(&self.pool).await?;
            known.extend(found);
        }
        Ok(known)
    }

    async fn begin_import(&self, caller: &Caller) -> Result<Box<dyn crate::SignalImport + '_>> {
        if !caller.may_register_signal() {
            return Err(StoreError::Forbidden(Denied::RegisterSignals));
        }
        let index = self.area_index().await?;
        // The audit slot is taken at commit, so that a long import does not hold up every
        // other audited action on engines that lock rows (PostgreSQL).
        let tx = begin_on(&self.pool, None).await?;
        Ok(Box::new(EngineImport {
            tx,
            pool: self.pool.clone(),
            audit_key: self.audit_key.clone(),
            caller: caller.clone(),
            index,
            rows: 0,
            deferred: Default::default(),
        }))
    }

    async fn signal(&self, caller: &Caller, id: Uuid, now: OffsetDateTime) -> Result<SignalDetail> {
        let mut tx = self.read(caller, now).await?;
        let found = Self::visible_signal(&mut tx, id).await?;
        let result = if found.is_some() {
            AuditOutcome::Success
        } else {
            AuditOutcome::NotFound
        };
        let detail = match found {
            Some(signal) => Some(Self::detail(&mut tx, caller, signal).await?),
            None => None,
        };
        let event = AuditRecord {
            action: AuditAction::SignalRead,
            object: ObjectKind::Signal,
            object_id: Some(id.to_string()),
            result,
            detail: String::new(),
        };
        tx.finish(event).await?;
        detail.ok_or(StoreError::NotFound)
    }

    async fn list_signals(
        &self,
        caller: &Caller,
        filter: &SignalFilter,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<Signal>> {
        let today = local_date(now);
        let (mut planning, mut keys) = list_planning(filter);
        if let (PlanKeys::Written, Some(area)) = (keys, &filter.area) {
            // Only a stored area's code makes a statement of its own: any other (well-formed)
            // code would add one statement per code to each connection's cache and push out
            // the statements in use. Such a list is planned for its values, as before.
            if self.area_directory().await?.area(area.as_str()).is_none() {
                (planning, keys) = (Planning::EachExecution, PlanKeys::Bound);
            }
        }
        let mut tx = self.read_planned(caller, now, planning).await?;
        let mut search = match &filter.text {
            Some(text) => {
                prepare_search(self, &mut tx, (text, filter, AfterSearch::ListPage)).await?
            }
            None => None,
        };
        // The total: kept in the tally when it can answer, otherwise counted up to just past
        // the bound — never a walk over everything.
        let tallied = match filter.text {
            None => {
                Self::tally_sum(
                    &mut tx,
                    (caller, Sight::See),
                    filter,
                    TallyGroup::Nothing,
                    today,
                )
                .await?
            }
            Some(_) => None,
        };
        let total = match tallied {
            Some(rows) => Total::Exact(rows.first().map_or(0, |(_, n)| *n)),
            None => {
                // A part of the search that is cheap to count may already pass the bound.
                let mut counted = None;
                if let Some(part) = search.as_ref().and_then(counting_part) {
                    let n = count_bounded(&mut tx, (caller, today), (filter, keys), Some(&part))
                        .await?;
                    counted = (n > Total::BOUND).then_some(n);
                }
                let counted = match counted {
                    Some(n) => n,
                    None => {
                        count_bounded(&mut tx, (caller, today), (filter, keys), search.as_ref())
                            .await?
                    }
                };
                Total::from_bounded(counted)
            }
        };

        // Nothing to show: no rows are walked. A list of a theme or an area walks that theme's
        // or area's rows and passes over those the caller may not see; for a partner who sees
        // none of a theme that was every signal of it (0.6–1.0 s at 1,000,000 signals), a
        // time that grew with what the caller may not see (BENCHMARKS.md, issue 13).
        let rows = if total == Total::Exact(0) {
            Vec::new()
        } else {
            list_rows(
                &mut tx,
                (caller, today),
                (filter, keys),
                search.as_mut(),
                page,
            )
            .await?
        };
        let result = Page::from_rows(rows, page, total, |s| Cursor::new(s.received_at, s.id));
        let event = AuditRecord::success(
            AuditAction::SignalList,
            ObjectKind::Signal,
            None,
            format!("{}{}", page_detail(&result, page), filter_detail(filter)),
        );
        tx.finish(event).await?;
        Ok(result)
    }

    async fn assign_signal(
        &self,
        caller: &Caller,
        id: Uuid,
        assignment: baken_core::signal::Assignment,
        now: OffsetDateTime,
    ) -> Result<SignalDetail> {
        let mut tx = self.write(caller, now).await?;
        let found = Self::visible_signal(&mut tx, id).await?;
        let attempt = || {
            AuditRecord::success(
                AuditAction::SignalAssign,
                ObjectKind::Signal,
                Some(id.to_string()),
                String::new(),
            )
        };
        let signal = match found {
            None => Err(StoreError::NotFound),
            Some(s) if !caller.may_change_status(s.classification, s.owner_org) => {
                Err(StoreError::Forbidden(Denied::AssignSignal))
            }
            Some(s) => Ok(s),
        };
        let signal = match signal {
            Ok(s) => s,
            Err(err) => return Err(tx.refuse(err, attempt()).await),
        };
        let assignee_name = match assignment.user {
            None => None,
            Some(user) => {
                let name: Option<String> = sqlx::query_scalar(
                    "SELECT display_name FROM app_user WHERE id = $1 AND org_id = $2 AND active = 1",
                )
                .bind(user.to_string())
                .bind(signal.owner_org.to_string())
                .fetch_optional(&mut **tx)
                .await?;
                match name {
                    Some(name) => Some(name),
                    None => {
                        let refused = StoreError::rejected(Rejection::AssigneeOfOtherOrganisation);
                        return Err(tx.refuse(refused, attempt()).await);
                    }
                }
            }
        };
        sqlx::query("UPDATE signal SET assigned_user = $1, assigned_team = $2, updated_at = $3 WHERE id = $4")
            .bind(assignment.user.map(|u| u.to_string()))
            .bind(&assignment.team)
            .bind(ts(now))
            .bind(id.to_string())
            .execute(&mut **tx)
            .await?;
        let to = AssignedTo {
            name: assignee_name,
            team: assignment.team.clone(),
        };
        Self::insert_history(
            &mut tx,
            id,
            caller.user(),
            (Some(signal.status), signal.status),
            &assignment.reason,
            Some(&to),
            now,
        )
        .await?;
        let detail = Self::detail_after_change(&mut tx, caller, id).await?;
        let event = AuditRecord::success(
            AuditAction::SignalAssign,
            ObjectKind::Signal,
            Some(id.to_string()),
            format!(
                "user={} team={}",
                assignment.user.map(|u| u.to_string()).unwrap_or_default(),
                assignment.team.is_some()
            ),
        );
        tx.finish(event).await?;
        Ok(detail)
    }

    async fn assignable_users(&self, caller: &Caller) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM app_user u WHERE u.org_id = $1 AND u.active = 1 \
             AND u.password_hash IS NOT NULL ORDER BY u.display_name"
        ))
        .bind(caller.org().to_string())
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
        let mut tx = self.read(caller, now).await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT su.kind, su.normalised, MIN(su.details) AS details FROM subject su \
             JOIN signal_subject ss ON ss.subject_id = su.id JOIN signal s ON s.id = ss.signal_id WHERE ",
        );
        tx.visible(&mut qb);
        qb.push(" AND UPPER(su.normalised) LIKE ")
            .push_bind(format!("%{folded}%"))
            .push(" ESCAPE '\\' GROUP BY su.kind, su.normalised ORDER BY su.normalised LIMIT ")
            .push_bind(i64::from(limit));
        let rows: Vec<(String, String, String)> = qb.build_query_as().fetch_all(&mut **tx).await?;
        let mut out = Vec::with_capacity(rows.len());
        for (kind, _normalised, details) in &rows {
            let details: baken_core::subject::SubjectDetails =
                serde_json::from_str(details).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            out.push((parse_enum(SubjectKind::parse(kind))?, details.display()));
        }
        let event = AuditRecord::success(
            AuditAction::SubjectSuggest,
            ObjectKind::Subject,
            None,
            format!("shown={}", out.len()),
        );
        tx.finish(event).await?;
        Ok(out)
    }

    async fn correct_signal(
        &self,
        caller: &Caller,
        id: Uuid,
        correction: baken_core::signal::SignalCorrection,
        now: OffsetDateTime,
    ) -> Result<SignalDetail> {
        self.correct_signal_impl(caller, id, correction, now).await
    }

    async fn change_signal_status(
        &self,
        caller: &Caller,
        id: Uuid,
        change: StatusChange,
        now: OffsetDateTime,
    ) -> Result<SignalDetail> {
        let mut tx = self.write(caller, now).await?;
        let found = Self::visible_signal(&mut tx, id).await?;
        let outcome: Result<Signal> = match found {
            None => Err(StoreError::NotFound),
            Some(s) if !caller.may_change_status(s.classification, s.owner_org) => {
                Err(StoreError::Forbidden(Denied::ChangeStatus))
            }
            Some(s) => match change.check_from(s.status) {
                Err(refused) => Err(refused.into()),
                Ok(()) => Ok(s),
            },
        };
        let signal = match outcome {
            Ok(s) => s,
            Err(err) => {
                // Refused attempts are audited too; nothing else changes.
                let attempt = AuditRecord::success(
                    AuditAction::SignalStatusChange,
                    ObjectKind::Signal,
                    Some(id.to_string()),
                    format!("to={}", change.to.slug()),
                );
                return Err(tx.refuse(err, attempt).await);
            }
        };
        let touched = [id.to_string()];
        Self::tally(&mut tx, Touched::Signals(&touched), Change::TakeAway).await?;
        sqlx::query("UPDATE signal SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(change.to.slug())
            .bind(ts(now))
            .bind(id.to_string())
            .execute(&mut **tx)
            .await?;
        audience::restate_status(&mut tx, &id.to_string(), change.to, signal.deadline).await?;
        Self::tally(&mut tx, Touched::Signals(&touched), Change::Add).await?;
        Self::insert_history(
            &mut tx,
            id,
            caller.user(),
            (Some(signal.status), change.to),
            &change.reason,
            None,
            now,
        )
        .await?;
        let detail = Self::detail_after_change(&mut tx, caller, id).await?;
        let event = AuditRecord::success(
            AuditAction::SignalStatusChange,
            ObjectKind::Signal,
            Some(id.to_string()),
            format!("from={} to={}", signal.status.slug(), change.to.slug()),
        );
        tx.finish(event).await?;
        Ok(detail)
    }
}

/// The signals of a list page and the one past it (which says whether there is a next page).
async fn list_rows(
    tx: &mut Read<'_>,
    (caller, today): (&Caller, Date),
    (filter, keys): (&SignalFilter, PlanKeys),
    mut search: Option<&mut Search>,
    page: PageRequest,
) -> Result<Vec<Signal>> {
    // Keyset pagination over (received_at, id), newest first: along the area's or the
    // theme's own index when the list is of one of them (and nothing else narrows it), else
    // along the audience (`list_key`).
    let key = list_key(filter);
    // The side of the cursor the page lies on; a first page is read as the older side of
    // an imaginary cursor past the newest signal.
    let side = page.from.map_or(Side::After, |(side, _)| side);
    let descending = side == Side::After;
    // A search whose matches the engine yields in the order of receipt (SQLite): the
    // matches are walked in that order to the one just past the page, and the page is
    // read from the range of matches up to it — a frequent word reads a page's worth of
    // its matches, not all of them.
    if let (Some(prepared), Some(doc)) = (search.as_deref_mut(), SEARCH_DOC) {
        let mut walk = QueryBuilder::<Db>::new(format!("SELECT {doc} FROM"));
        push_from(
            &mut walk,
            (filter, keys),
            Some(&*prepared),
            Reads::Ids(caller, Sight::See),
        );
        push_where(
            &mut walk,
            (caller, Sight::See),
            (filter, keys),
            Some(&*prepared),
            today,
        );
        push_list_cursor(&mut walk, key, page);
        walk.push(format_args!(
            " ORDER BY {doc} {} LIMIT 1 OFFSET ",
            if descending { "DESC" } else { "ASC" }
        ))
        .push_bind(i64::from(page.size));
        let nth: Option<i64> = walk.build_query_scalar().fetch_optional(&mut ***tx).await?;
        if let Some(nth) = nth {
            narrow_search(prepared, nth, side);
        }
    }
    // The page's keys first, then its signals with their codes: what the page query sorts
    // (a search's matches of the page's seconds) carries only keys, and the codes'
    // subqueries run for the page's rows alone.
    let mut qb = QueryBuilder::<Db>::new(format!(
        "SELECT {SIGNAL_COLUMNS}, {} FROM (SELECT {key}.signal_id AS page_id, \
         {key}.received_at AS page_at FROM",
        CODE_COLUMNS
    ));
    push_from(
        &mut qb,
        (filter, keys),
        search.as_deref(),
        Reads::Ids(caller, Sight::See),
    );
    push_where(
        &mut qb,
        (caller, Sight::See),
        (filter, keys),
        search.as_deref(),
        today,
    );
    push_list_cursor(&mut qb, key, page);
    let order = if descending { " DESC" } else { " ASC" };
    qb.push(format_args!(
        " ORDER BY {key}.received_at{order}, {key}.signal_id{order} LIMIT {}",
        page_limit(page)
    ))
    .push(format_args!(
        ") p JOIN signal s ON s.id = p.page_id JOIN organisation o ON o.id = s.owner_org \
         ORDER BY p.page_at{order}, p.page_id{order}"
    ));
    let rows = qb.build().fetch_all(&mut ***tx).await?;
    rows.iter().map(with_codes).collect()
}

/// How many of the caller's signals pass `filter` (and `search`), counted up to just past
/// [`Total::BOUND`] — never a walk over everything.
async fn count_bounded(
    tx: &mut Read<'_>,
    (caller, today): (&Caller, Date),
    (filter, keys): (&SignalFilter, PlanKeys),
    search: Option<&Search>,
) -> Result<u64> {
    let mut count = QueryBuilder::<Db>::new("SELECT COUNT(*) AS n FROM (SELECT 1 FROM");
    push_from(
        &mut count,
        (filter, keys),
        search,
        Reads::Ids(caller, Sight::See),
    );
    push_where(
        &mut count,
        (caller, Sight::See),
        (filter, keys),
        search,
        today,
    );
    count_past_bound(tx, count).await
}

/// The filters of a list as the audit records them, the search words as typed: what was
/// looked for is a read of consequence of its own (BIO2 8.15).
fn filter_detail(filter: &SignalFilter) -> String {
    let mut out = String::new();
    if let Some(q) = &filter.text {
        // Quoted, with quotes and line breaks escaped, so the detail stays one line.
        out.push_str(&format!(" q={q:?}"));
    }
    let mut one = |name: &str, value: Option<String>| {
        if let Some(v) = value {
            out.push_str(&format!(" {name}={v}"));
        }
    };
    one("theme", filter.theme.clone());
    one("indicator", filter.indicator.clone());
    one("status", filter.status.map(|s| s.slug().to_string()));
    one("area", filter.area.as_ref().map(|a| a.to_string()));
    one("from", filter.received_from.map(|d| d.to_string()));
    one("until", filter.received_until.map(|d| d.to_string()));
    one("open", filter.open.then(|| "true".to_string()));
    one("overdue", filter.overdue.then(|| "true".to_string()));
    one("mine", filter.mine.then(|| "true".to_string()));
    out
}

/// Appends a list page's side of its cursor over (`key`.received_at, `key`.signal_id).
fn push_list_cursor(qb: &mut QueryBuilder<'_, Db>, key: &str, page: PageRequest) {
    if let Some((side, cursor)) = page.from {
        let cmp = match side {
            Side::After => "<",
            Side::Before => ">",
        };
        // A row-value comparison: both engines read it as one range of the index.
        qb.push(format_args!(
            " AND ({key}.received_at, {key}.signal_id) {cmp} ("
        ))
        .push_bind(ts(cursor.at()))
        .push(", ")
        .push_bind(cursor.id().to_string())
        .push(")");
    }
}

/// How a list's statements are planned, and how they carry the values that choose the plan.
/// The unfiltered list, and one narrowed only by status, openness or overdueness, reads one
/// range of the caller's audience rows newest first whatever the values (all of them, those
/// of one status, those awaiting triage; open ones are tested on the walk): one plan serves
/// every caller and page, where planning anew cost more than running (PostgreSQL: 0.5 ms of
/// planning against 0.1–0.3 ms of running). A theme's or an area's list has one good plan
/// for each caller's organisation and theme or area: the area's own rows first suit an
/// organisation that sees most of them, its audience rows first a partner that sees few
/// (planned once for all, the area's rows first, a partner's list of the gemeente would walk
/// every signal of it; BENCHMARKS.md, issue 13) — so these are written into the statement
/// ([`PlanKeys::Written`], on the engine that plans for values) and each such statement is
/// planned once. A search's, indicator's, date's or assignee's values choose the plan anew
/// each time (a rare one starts from its own rows).
fn list_planning(filter: &SignalFilter) -> (Planning, PlanKeys) {
    let SignalFilter {
        theme,
        indicator,
        area,
        text,
        status: _,
        open: _,
        received_from,
        received_until,
        overdue: _,
        mine,
    } = filter;
    let values_choose = indicator.is_some()
        || text.is_some()
        || received_from.is_some()
        || received_until.is_some()
        || *mine;
    if values_choose {
        (Planning::EachExecution, PlanKeys::Bound)
    } else if theme.is_some() || area.is_some() {
        (Planning::Once, LIST_PLAN_KEYS)
    } else {
        (Planning::Once, PlanKeys::Bound)
    }
}

/// The table whose (received_at, signal_id) a list walks: the area's rows (`fa`, index
/// `signal_area_newest`) for a list of one area that no theme or text narrows further, the
/// theme's rows (`ft`, index `signal_theme_newest`) for a list of one theme that no area or
/// text narrows further, the caller's audience (`va`) otherwise. All hold the signal's own
/// received_at, so the order is the same either way.
fn list_key(filter: &SignalFilter) -> &'static str {
    match (&filter.area, &filter.theme, &filter.text) {
        (Some(_), None, None) => "fa",
        (None, Some(_), None) => "ft",
        _ => "va",
    }
}
