//! Intake: storing new signals (forms, public reports, bulk imports) with their areas,
//! subjects, history and search entries.

use super::*;

/// From this many signals on, an import on PostgreSQL ends with a vacuum as well as an
/// analysis of the tables it filled (`ImportSession::commit`).
const VACUUM_AFTER_IMPORTS_OF: u64 = 10_000;

/// Every area a signal lies in: the one named and its parents, and those containing its
/// coordinates.
pub(super) fn areas_of(
    area: Option<&AreaCode>,
    coordinates: Option<Coordinates>,
    index: Option<&AreaIndex>,
) -> Vec<(String, AreaKind)> {
    let mut out: Vec<(String, AreaKind)> =
        area.map(AreaCode::with_parent_kinds).unwrap_or_default();
    if let (Some(c), Some(index)) = (coordinates, index) {
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

pub(super) struct EngineImport {
    pub(super) tx: Transaction<'static, Db>,
    /// For the statistics after the commit.
    pub(super) pool: sqlx::Pool<Db>,
    pub(super) audit_key: Option<AuditKey>,
    pub(super) caller: Caller,
    pub(super) index: Arc<AreaIndex>,
    pub(super) rows: u64,
    pub(super) deferred: Deferred,
}

#[async_trait]
impl crate::SignalImport for EngineImport {
    async fn add_keyed(
        &mut self,
        signals: Vec<NewSignal>,
        keys: Vec<String>,
        now: OffsetDateTime,
    ) -> Result<()> {
        if keys.len() != signals.len() {
            return Err(StoreError::Corrupt("one import key per signal".into()));
        }
        let org = self.caller.org().to_string();
        for (chunk, keys) in signals.chunks(500).zip(keys.chunks(500)) {
            let ids = EngineStore::insert_signals(
                &mut self.tx,
                (&self.caller, self.audit_key.as_ref()),
                chunk,
                Some(&self.index),
                Linking::Deferred(&mut self.deferred),
                now,
            )
            .await?;
            let rows: Vec<(String, &String)> =
                ids.iter().map(|id| id.to_string()).zip(keys).collect();
            let mut qb = QueryBuilder::<Db>::new(
                "INSERT INTO signal_import_key (owner_org, key_hash, signal_id) ",
            );
            qb.push_values(&rows, |mut b, (id, key)| {
                b.push_bind(&org).push_bind(*key).push_bind(id);
            });
            qb.build().execute(&mut *self.tx).await?;
            self.rows += chunk.len() as u64;
        }
        Ok(())
    }

    async fn add(&mut self, signals: Vec<NewSignal>, now: OffsetDateTime) -> Result<()> {
        for chunk in signals.chunks(500) {
            EngineStore::insert_signals(
                &mut self.tx,
                (&self.caller, self.audit_key.as_ref()),
                chunk,
                Some(&self.index),
                Linking::Deferred(&mut self.deferred),
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
        let deferred = std::mem::take(&mut self.deferred);
        deferred.counts.store(&mut self.tx).await?;
        let linked =
            EngineStore::link_imported(&mut self.tx, &deferred.subjects, link, now).await?;
        let slot = take_audit_slot(&mut self.tx).await?;
        let event = AuditRecord::success(
            AuditAction::SignalImport,
            ObjectKind::Signal,
            None,
            format!("rows={rows} source={source}"),
        );
        let actor = (caller_fields(&self.caller), self.audit_key.as_ref());
        EngineStore::commit_audited(self.tx, slot, actor, event, now).await?;
        // PostgreSQL plans from statistics that autovacuum renews only after a while: right
        // after a bulk import they describe the tables as they were before it, and lists
        // answered in seconds instead of milliseconds for about half a minute (BENCHMARKS.md).
        // Until autovacuum comes by, the new rows are not marked all-visible either (an
        // index-only scan of the audience reads each row's page as well), and the search
        // indexes' pending lists, which every search reads to the end, are full. The tables
        // the import filled are vacuumed and analysed at once after a large import
        // (BENCHMARKS.md, issue 13), analysed after a small one (a vacuum reads every page of
        // the search indexes, whatever the import's size). The import is committed: a failure
        // here costs speed until autovacuum comes by, and is logged.
        if ENGINE == crate::Engine::Postgres && rows > 0 {
            let verb = if rows >= VACUUM_AFTER_IMPORTS_OF {
                "VACUUM (ANALYZE)"
            } else {
                "ANALYZE"
            };
            let statement = format!(
                "{verb} signal, signal_audience, signal_area, signal_theme, signal_tally, \
                 signal_tally_total, signal_search, signal_name_word, subject, signal_subject, \
                 signal_import_key"
            );
            if let Err(e) = sqlx::query(&statement).execute(&self.pool).await {
                tracing::warn!(error = %e, "{verb} after the import failed");
            }
        }
        Ok(crate::ImportCommitted { rows, linked })
    }

    async fn rollback(self: Box<Self>) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}

impl EngineStore {
    /// Inserts parsed signals with their themes, indicators, areas, subjects, relations, first
    /// history entry and search entry, inside `tx`, a few multi-row statements per table.
    pub(super) async fn insert_signals(
        tx: &mut Transaction<'static, Db>,
        (caller, bsn_key): (&Caller, Option<&AuditKey>),
        signals: &[NewSignal],
        index: Option<&AreaIndex>,
        link: Linking<'_>,
        now: OffsetDateTime,
    ) -> Result<Vec<Uuid>> {
        if signals
            .iter()
            .any(|new| !caller.may_classify(new.classification))
        {
            return Err(StoreError::Forbidden(Denied::RecordBibob));
        }
        let ids: Vec<String> = signals.iter().map(|_| new_id(now).to_string()).collect();
        let org = caller.org().to_string();
        let user = caller.user().to_string();
        let at = ts(now);
        let rows: Vec<(&String, &NewSignal)> = ids.iter().zip(signals).collect();
        insert_rows(
            tx,
            "INSERT INTO signal (id, owner_org, created_by, received_at, observed_on, source_kind, \
             source_reliability, information_credibility, title, description, area_code, lat_micro, lon_micro, \
             address, classification, classification_rank, sharing, status, retention_until, created_at, updated_at, \
             deadline, received_on) ",
            &rows,
            23,
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
                    .push_bind(date(new.deadline))
                    .push_bind(date(local_date(new.received_at)));
            },
        )
        .await?;
        let placed: Vec<Vec<(String, AreaKind)>> = signals
            .iter()
            .map(|new| areas_of(new.area.as_ref(), new.coordinates, index))
            .collect();
        let audience: Vec<super::audience::NewAudience<'_>> = rows
            .iter()
            .zip(&placed)
            .map(|((id, signal), areas)| super::audience::NewAudience {
                id: id.as_str(),
                signal,
                areas,
            })
            .collect();
        // Themes and indicators: (signal, code) rows into their link tables.
        // A theme's rows carry the signal's receipt, as its areas' do (migration 0061 on
        // SQLite, 0062 on PostgreSQL).
        let themes: Vec<(&String, String, &String)> = rows
            .iter()
            .flat_map(|(id, new)| {
                let received_at = ts(new.received_at);
                new.themes
                    .iter()
                    .map(move |t| (*id, received_at.clone(), t))
            })
            .collect();
        insert_rows(
            tx,
            "INSERT INTO signal_theme (signal_id, received_at, theme) ",
            &themes,
            3,
            |b, (id, received_at, code)| {
                b.push_bind((*id).clone())
                    .push_bind(received_at.clone())
                    .push_bind((*code).clone());
            },
        )
        .await?;
        let indicators: Vec<(&String, &String)> = rows
            .iter()
            .flat_map(|(id, new)| new.indicators.iter().map(move |t| (*id, t)))
            .collect();
        insert_rows(
            tx,
            "INSERT INTO signal_indicator (signal_id, indicator) ",
            &indicators,
            2,
            |b, (id, code)| {
                b.push_bind((*id).clone()).push_bind((*code).clone());
            },
        )
        .await?;
        let areas: Vec<(&String, String, &(String, AreaKind))> = rows
            .iter()
            .zip(&placed)
            .flat_map(|((id, new), areas)| {
                let received_at = ts(new.received_at);
                areas.iter().map(move |a| (*id, received_at.clone(), a))
            })
            .collect();
        insert_rows(
            tx,
            "INSERT INTO signal_area (signal_id, area_code, area_kind, received_at) ",
            &areas,
            4,
            |b, (id, received_at, (code, kind))| {
                b.push_bind((*id).clone())
                    .push_bind(code.clone())
                    .push_bind(kind.slug())
                    .push_bind(received_at.clone());
            },
        )
        .await?;
        // The search entries after the codes (on SQLite a document holds its signal's theme
        // and area codes, migration 0063, read from their rows) and before the audience (an
        // audience row carries its signal's search document, migration 0062).
        let documents: Vec<SearchDocument> = rows
            .iter()
            .map(|(id, new)| {
                SearchDocument::new((*id).clone(), (&new.title, &new.description), &new.subjects)
            })
            .collect();
        index_signals(tx, &documents).await?;
        let mut counts = NewCounts::default();
        Self::add_audience(tx, caller.org(), &audience, &mut counts).await?;
        Self::copy_codes(tx, Copied::Signals(&ids)).await?;

        // Subjects, their place in the signal, and the relations between them.
        let mut subjects: Vec<(String, &String, usize, &baken_core::subject::NewSubject)> =
            Vec::new();
        let mut relations: Vec<(String, String, &baken_core::subject::NewRelation, &String)> =
            Vec::new();
        for (id, new) in &rows {
            let first = subjects.len();
            for (position, s) in new.subjects.iter().enumerate() {
                subjects.push((new_id(now).to_string(), *id, position, s));
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
        let new_subjects: Vec<(String, &baken_core::subject::NewSubject)> = subjects
            .iter()
            .map(|(sid, _, _, s)| (sid.clone(), *s))
            .collect();
        Self::insert_subjects(tx, (&org, bsn_key), &new_subjects, link, counts, now).await?;
        let persons: Vec<String> = new_subjects
            .iter()
            .filter(|(_, s)| s.kind == SubjectKind::Person)
            .map(|(id, _)| id.clone())
            .collect();
        super::processing::log_processing(
            tx,
            bsn_key,
            baken_core::processing::ProcessingActivity::RegisterSignal,
            &org,
            &persons,
            now,
        )
        .await?;
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
                b.push_bind(new_id(now).to_string())
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
                b.push_bind(new_id(now).to_string())
                    .push_bind((*id).clone())
                    .push_bind(at.clone())
                    .push_bind(user.clone())
                    .push_bind(None::<String>)
                    .push_bind(SignalStatus::Nieuw.slug())
                    .push_bind("Geregistreerd");
            },
        )
        .await?;
        ids.iter().map(|id| parse_uuid(id)).collect()
    }

    /// Inserts the subjects (mentions) of `org` with the given ids and links them — now, or
    /// deferred to the end of an import, which then also stores `counts`.
    pub(super) async fn insert_subjects(
        tx: &mut Transaction<'static, Db>,
        (org, bsn_key): (&str, Option<&AuditKey>),
        subjects: &[(String, &baken_core::subject::NewSubject)],
        link: Linking<'_>,
        counts: NewCounts,
        now: OffsetDateTime,
    ) -> Result<()> {
        let at = ts(now);
        // A BSN is kept only as its keyed hash, with the legal basis it was recorded under.
        let bsn: Vec<Option<(String, &str)>> = subjects
            .iter()
            .map(|(_, s)| match (&s.bsn, bsn_key) {
                (None, _) => Ok(None),
                (Some(b), Some(key)) => Ok(Some((b.bsn.keyed_hash(key), b.legal_basis.as_str()))),
                (Some(_), None) => Err(StoreError::Corrupt(
                    "a BSN cannot be stored without the installation's key".into(),
                )),
            })
            .collect::<Result<_>>()?;
        let details = subjects
            .iter()
            .map(|(_, s)| {
                serde_json::to_string(&s.details).map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .collect::<Result<Vec<_>>>()?;
        let forms: Vec<String> = subjects
            .iter()
            .zip(&bsn)
            .map(|((_, s), b)| link_form(&s.details, b.as_ref().map(|(h, _)| h.as_str())))
            .collect();
        let with_details: Vec<_> = subjects
            .iter()
            .zip(details.iter().zip(&forms).zip(&bsn))
            .collect();
        insert_rows(
            tx,
            "INSERT INTO subject (id, kind, original, normalised, details, owner_org, created_at, link_form, \
             bsn_hash, bsn_basis) ",
            &with_details,
            10,
            |b, ((sid, s), ((details, form), bsn))| {
                b.push_bind(sid.clone())
                    .push_bind(s.kind.slug())
                    .push_bind(s.original.clone())
                    .push_bind(s.normalised.clone())
                    .push_bind((*details).clone())
                    .push_bind(org.to_string())
                    .push_bind(at.clone())
                    .push_bind((*form).clone())
                    .push_bind(bsn.as_ref().map(|(h, _)| h.clone()))
                    .push_bind(bsn.as_ref().map(|(_, basis)| basis.to_string()));
            },
        )
        .await?;
        let mentions: Vec<NewMention<'_>> = subjects
            .iter()
            .zip(&bsn)
            .map(|((sid, s), b)| NewMention {
                id: sid.as_str(),
                kind: s.kind,
                normalised: s.normalised.as_str(),
                details: &s.details,
                bsn_hash: b.as_ref().map(|(h, _)| h.as_str()),
            })
            .collect();
        let linking = std::time::Instant::now();
        let now_linked = matches!(link, Linking::Now);
        match link {
            Linking::Now => {
                counts.store(tx).await?;
                Self::link_new_subjects(tx, &mentions, now).await?
            }
            Linking::Deferred(out) => {
                out.counts.merge(counts);
                for (sid, s) in subjects {
                    out.subjects.push(DeferredMention {
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
        Ok(())
    }
}
