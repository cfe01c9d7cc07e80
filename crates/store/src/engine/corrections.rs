//! Correcting a signal after intake (issue 17, pt 1): the signal row and what is derived from
//! it — areas, audience, counts, search entry, mentions and their linking — follow the
//! correction in one transaction, and each changed field is kept in `signal_change`
//! (migration 0037). A change of classification or sharing advances the signal's
//! `guard_version` and records its guarded state in the audit event, as a change of roles
//! does for an account.

use super::intake::areas_of;
use super::tally::{Change, Touched};
use super::*;
use baken_core::audit::state_digest;
use baken_core::model::MentionedSubject;
use baken_core::signal::{
    changes, kept_mentions, CorrectedField, CorrectionEntry, FieldChange, SignalCorrection,
};

/// The guarded state of a signal (the fields trigger `signal_guard_u` protects), as its
/// corrections record it.
pub(super) fn signal_state(
    id: &str,
    owner: &str,
    classification: &str,
    sharing: &str,
    version: i64,
) -> String {
    state_digest(&[id, owner, classification, sharing, &version.to_string()])
}

impl EngineStore {
    /// A signal's corrections, oldest first, each with its changed fields.
    pub(super) async fn corrections(
        tx: &mut Transaction<'static, Db>,
        id: Uuid,
    ) -> Result<Vec<CorrectionEntry>> {
        type Row = (String, String, String, String, String, String, String);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT c.correction, c.at, u.display_name, c.reason, c.field, c.old_value, c.new_value \
             FROM signal_change c JOIN app_user u ON u.id = c.by_user \
             WHERE c.signal_id = $1 ORDER BY c.at, c.id",
        )
        .bind(id.to_string())
        .fetch_all(&mut **tx)
        .await?;
        let mut out: Vec<(String, CorrectionEntry)> = Vec::new();
        for (correction, at, by_name, reason, field, old, new) in rows {
            let field = CorrectedField::parse(&field)
                .ok_or_else(|| StoreError::Corrupt(format!("corrected field {field}")))?;
            let change = FieldChange { field, old, new };
            match out.last_mut() {
                Some((c, entry)) if *c == correction => entry.changes.push(change),
                _ => out.push((
                    correction,
                    CorrectionEntry {
                        at: parse_ts(&at)?,
                        by_name,
                        reason,
                        changes: vec![change],
                    },
                )),
            }
        }
        Ok(out.into_iter().map(|(_, entry)| entry).collect())
    }

    /// Takes mentions out of their signal's linking: their blocking keys and scored pairs go,
    /// they leave their entity, and what is left of that entity is regrouped (a mention that
    /// held two groups together no longer does). The mention's row stays for the record and
    /// for what cases noted, but no signal names it any more.
    async fn retire_mentions(
        tx: &mut Transaction<'static, Db>,
        signal: &str,
        retired: &[&MentionedSubject],
        now: OffsetDateTime,
    ) -> Result<()> {
        for mention in retired {
            let sid = mention.subject.id.to_string();
            // Which signal it left: its purge takes the mention with it.
            sqlx::query("UPDATE subject SET retired_from = $1 WHERE id = $2")
                .bind(signal)
                .bind(&sid)
                .execute(&mut **tx)
                .await?;
            let entity = Self::entity_of_member(tx, &sid).await?;
            for statement in [
                "DELETE FROM subject_key WHERE subject_id = $1",
                "DELETE FROM subject_link WHERE left_subject = $1",
                "DELETE FROM subject_link WHERE right_subject = $1",
                "DELETE FROM entity_member WHERE subject_id = $1",
            ] {
                sqlx::query(statement).bind(&sid).execute(&mut **tx).await?;
            }
            Self::regroup_rest(tx, mention.subject.kind, entity, now).await?;
        }
        Ok(())
    }

    /// The entity a subject belongs to, if any.
    pub(super) async fn entity_of_member(
        tx: &mut Transaction<'static, Db>,
        subject: &str,
    ) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT entity_id FROM entity_member WHERE subject_id = $1")
                .bind(subject)
                .fetch_optional(&mut **tx)
                .await?,
        )
    }

    /// Regroups what is left of `entity` after a member left it (a mention that held two
    /// groups together no longer does).
    pub(super) async fn regroup_rest(
        tx: &mut Transaction<'static, Db>,
        kind: SubjectKind,
        entity: Option<String>,
        now: OffsetDateTime,
    ) -> Result<()> {
        let Some(entity) = entity else {
            return Ok(());
        };
        let rest: Vec<String> =
            sqlx::query_scalar("SELECT subject_id FROM entity_member WHERE entity_id = $1")
                .bind(&entity)
                .fetch_all(&mut **tx)
                .await?;
        if !rest.is_empty() {
            Self::regroup(tx, kind, rest, now).await?;
        }
        Ok(())
    }

    /// Replaces the signal's mentions and relations with the correction's: mentions that stay
    /// (same kind and details) keep their id and entity, with their new role and place; new
    /// ones are stored and linked; the others are retired.
    async fn correct_mentions(
        tx: &mut Transaction<'static, Db>,
        (caller, bsn_key): (&Caller, Option<&AuditKey>),
        id: Uuid,
        stored: &[MentionedSubject],
        correction: &SignalCorrection,
        now: OffsetDateTime,
    ) -> Result<()> {
        let kept = kept_mentions(stored, &correction.subjects);
        let retired: Vec<&MentionedSubject> = stored
            .iter()
            .filter(|m| !kept.contains(&Some(m.subject.id)))
            .collect();
        let signal = id.to_string();
        for statement in [
            "DELETE FROM relation WHERE source_signal = $1",
            "DELETE FROM signal_subject WHERE signal_id = $1",
        ] {
            sqlx::query(statement)
                .bind(&signal)
                .execute(&mut **tx)
                .await?;
        }
        Self::retire_mentions(tx, &signal, &retired, now).await?;
        let ids: Vec<String> = kept
            .iter()
            .map(|k| k.unwrap_or_else(|| new_id(now)).to_string())
            .collect();
        let fresh: Vec<(String, &baken_core::subject::NewSubject)> = ids
            .iter()
            .zip(&kept)
            .zip(&correction.subjects)
            .filter(|((_, k), _)| k.is_none())
            .map(|((sid, _), s)| (sid.clone(), s))
            .collect();
        Self::insert_subjects(
            tx,
            (&caller.org().to_string(), bsn_key),
            &fresh,
            Linking::Now,
            NewCounts::default(),
            now,
        )
        .await?;
        let places: Vec<(usize, (&String, &baken_core::subject::NewSubject))> =
            ids.iter().zip(&correction.subjects).enumerate().collect();
        insert_rows(
            tx,
            "INSERT INTO signal_subject (signal_id, subject_id, role, position) ",
            &places,
            4,
            |b, (position, (sid, s))| {
                b.push_bind(signal.clone())
                    .push_bind((*sid).clone())
                    .push_bind(s.role.slug())
                    .push_bind(*position as i64);
            },
        )
        .await?;
        insert_rows(
            tx,
            "INSERT INTO relation (id, from_subject, to_subject, kind, valid_from, valid_until, source_signal) ",
            &correction.relations,
            7,
            |b, r| {
                b.push_bind(new_id(now).to_string())
                    .push_bind(ids[r.from].clone())
                    .push_bind(ids[r.to].clone())
                    .push_bind(r.kind.slug())
                    .push_bind(r.valid_from.map(date))
                    .push_bind(r.valid_until.map(date))
                    .push_bind(signal.clone());
            },
        )
        .await
    }

    /// Writes the corrected fields of the signal row, its themes, indicators and areas.
    async fn correct_row(
        tx: &mut Transaction<'static, Db>,
        id: Uuid,
        correction: &SignalCorrection,
        guarded: bool,
        index: Option<&AreaIndex>,
        now: OffsetDateTime,
    ) -> Result<()> {
        let signal = id.to_string();
        sqlx::query(
            "UPDATE signal SET title = $1, description = $2, observed_on = $3, source_reliability = $4, \
             information_credibility = $5, area_code = $6, lat_micro = $7, lon_micro = $8, address = $9, \
             classification = $10, classification_rank = $11, sharing = $12, \
             guard_version = guard_version + $13, updated_at = $14 WHERE id = $15",
        )
        .bind(&correction.title)
        .bind(&correction.description)
        .bind(correction.observed_on.map(date))
        .bind(correction.source_reliability.slug())
        .bind(correction.information_credibility.slug())
        .bind(correction.area.as_ref().map(|a| a.to_string()))
        .bind(correction.coordinates.map(|c| c.lat_micro))
        .bind(correction.coordinates.map(|c| c.lon_micro))
        .bind(&correction.address)
        .bind(correction.classification.slug())
        .bind(correction.classification.rank())
        .bind(correction.sharing.slug())
        .bind(i64::from(guarded))
        .bind(ts(now))
        .bind(&signal)
        .execute(&mut **tx)
        .await?;
        for table in ["signal_theme", "signal_indicator", "signal_area"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE signal_id = $1"))
                .bind(&signal)
                .execute(&mut **tx)
                .await?;
        }
        let received_at: String =
            sqlx::query_scalar("SELECT received_at FROM signal WHERE id = $1")
                .bind(&signal)
                .fetch_one(&mut **tx)
                .await?;
        insert_rows(
            tx,
            "INSERT INTO signal_theme (signal_id, received_at, theme) ",
            &correction.themes,
            3,
            |b, code| {
                b.push_bind(signal.clone())
                    .push_bind(received_at.clone())
                    .push_bind(code.clone());
            },
        )
        .await?;
        insert_rows(
            tx,
            "INSERT INTO signal_indicator (signal_id, indicator) ",
            &correction.indicators,
            2,
            |b, code| {
                b.push_bind(signal.clone()).push_bind(code.clone());
            },
        )
        .await?;
        let areas = areas_of(correction.area.as_ref(), correction.coordinates, index);
        insert_rows(
            tx,
            "INSERT INTO signal_area (signal_id, area_code, area_kind, received_at) ",
            &areas,
            4,
            |b, (code, kind)| {
                b.push_bind(signal.clone())
                    .push_bind(code.clone())
                    .push_bind(kind.slug())
                    .push_bind(received_at.clone());
            },
        )
        .await?;
        Self::copy_codes(tx, Copied::Signals(std::slice::from_ref(&signal))).await
    }
}

/// Why a correction is refused, before anything changes.
fn refusal(caller: &Caller, signal: &Signal, correction: &SignalCorrection) -> Option<Denied> {
    if !caller.may_correct_signal(signal.classification, signal.owner_org, signal.created_by) {
        Some(Denied::CorrectSignal)
    } else if correction.lowers(signal) && !caller.may_lower_classification(signal.owner_org) {
        Some(Denied::LowerClassification)
    } else if !caller.may_classify(correction.classification) {
        Some(Denied::RecordBibob)
    } else {
        None
    }
}

impl EngineStore {
    pub(super) async fn correct_signal_impl(
        &self,
        caller: &Caller,
        id: Uuid,
        correction: SignalCorrection,
        now: OffsetDateTime,
    ) -> Result<SignalDetail> {
        let index = match correction.coordinates {
            Some(_) => Some(self.area_index().await?),
            None => None,
        };
        let mut tx = self.write(caller, now).await?;
        let found = Self::visible_signal(&mut tx, id).await?;
        let checked = match found {
            None => Err(StoreError::NotFound),
            Some(s) => match refusal(caller, &s, &correction) {
                Some(denied) => Err(StoreError::Forbidden(denied)),
                None => Ok(s),
            },
        };
        let signal = match checked {
            Ok(s) => s,
            Err(err) => {
                let attempt = AuditRecord::success(
                    AuditAction::SignalCorrect,
                    ObjectKind::Signal,
                    Some(id.to_string()),
                    String::new(),
                );
                return Err(tx.refuse(err, attempt).await);
            }
        };
        let (subjects, relations) = Self::subjects(&mut tx, id).await?;
        let changed = changes(&signal, &subjects, &relations, &correction);
        let has = |field: CorrectedField| changed.iter().any(|c| c.field == field);
        if !changed.is_empty() {
            let guarded = has(CorrectedField::Classification) || has(CorrectedField::Sharing);
            let touched = [id.to_string()];
            Self::tally(&mut tx, Touched::Signals(&touched), Change::TakeAway).await?;
            Self::correct_row(&mut tx, id, &correction, guarded, index.as_deref(), now).await?;
            Self::reaudience(&mut tx, &touched[0]).await?;
            Self::tally(&mut tx, Touched::Signals(&touched), Change::Add).await?;
            if has(CorrectedField::Subjects) || has(CorrectedField::Relations) {
                let actor = (caller, self.audit_key.as_ref());
                Self::correct_mentions(&mut tx, actor, id, &subjects, &correction, now).await?;
            }
            // Correcting a signal processes every person it names.
            let named: Vec<String> =
                sqlx::query_scalar("SELECT subject_id FROM signal_subject WHERE signal_id = $1")
                    .bind(&touched[0])
                    .fetch_all(&mut **tx)
                    .await?;
            let persons = super::processing::persons_among(&mut tx, &named).await?;
            super::processing::log_processing(
                &mut tx,
                self.audit_key.as_ref(),
                baken_core::processing::ProcessingActivity::CorrectSignal,
                &caller.org().to_string(),
                &persons,
                now,
            )
            .await?;
            unindex_signals(&mut tx, &touched).await?;
            let document = SearchDocument::new(
                touched[0].clone(),
                (&correction.title, &correction.description),
                &correction.subjects,
            );
            index_signals(&mut tx, std::slice::from_ref(&document)).await?;
            let group = new_id(now).to_string();
            let (at, by) = (ts(now), caller.user().to_string());
            insert_rows(
                &mut tx,
                "INSERT INTO signal_change (id, signal_id, correction, at, by_user, field, old_value, \
                 new_value, reason) ",
                &changed,
                9,
                |b, c| {
                    b.push_bind(new_id(now).to_string())
                        .push_bind(touched[0].clone())
                        .push_bind(group.clone())
                        .push_bind(at.clone())
                        .push_bind(by.clone())
                        .push_bind(c.field.slug())
                        .push_bind(c.old.clone())
                        .push_bind(c.new.clone())
                        .push_bind(correction.reason.clone());
                },
            )
            .await?;
        }
        let fields: Vec<&str> = changed.iter().map(|c| c.field.slug()).collect();
        let mut detail = format!("fields={}", fields.join(","));
        if has(CorrectedField::Classification) || has(CorrectedField::Sharing) {
            let version: i64 = sqlx::query_scalar("SELECT guard_version FROM signal WHERE id = $1")
                .bind(id.to_string())
                .fetch_one(&mut **tx)
                .await?;
            let state = signal_state(
                &id.to_string(),
                &signal.owner_org.to_string(),
                correction.classification.slug(),
                correction.sharing.slug(),
                version,
            );
            detail.push_str(&format!(
                " classification={} state={state}",
                correction.classification.slug()
            ));
        }
        let result = Self::detail_after_change(&mut tx, caller, id).await;
        let event = AuditRecord::success(
            AuditAction::SignalCorrect,
            ObjectKind::Signal,
            Some(id.to_string()),
            detail,
        );
        tx.finish(event).await?;
        result
    }
}
