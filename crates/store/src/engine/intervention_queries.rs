//! Queries over the register beside reading and changing one intervention: a 13b closure's
//! earlier offences (recidive per premises and per person), the caller's deadlines, the
//! interventions about a dossier's entity, and the year's figures with the Bibob
//! compartment's counts suppressed outside it.

use super::interventions::{push_intervention_visible, SOON_WORKING_DAYS};
use super::*;
use baken_core::access::Suppression;
use baken_core::intervention::details::Details;
use baken_core::intervention::figures::{
    bibob_figures, BibobCount, Figure, InterventionFigures, KindFigure,
};
use baken_core::intervention::{Deadline, InterventionKind, InterventionSummary, Recidive};
use baken_core::procedure::Length;

/// Whose earlier offences count.
enum Offence<'a> {
    /// The same premises: its BAG id and its address as written.
    Premises(Option<&'a str>, &'a str),
    /// The same people as this intervention's parties from a dossier.
    People(Uuid),
}

impl EngineStore {
    pub(super) async fn recidive_impl(
        &self,
        caller: &Caller,
        (id, look_back_months): (Uuid, u8),
        now: OffsetDateTime,
    ) -> Result<Recidive> {
        let caller = &caller
            .clone()
            .with_purpose(self.intervention_purpose(id).await?);
        let mut tx = self.read(caller, now).await?;
        let event = AuditRecord::success(
            AuditAction::InterventionRecidive,
            ObjectKind::Intervention,
            Some(id.to_string()),
            format!("look-back-months={look_back_months}"),
        );
        let Some(this) = Self::load_one(&mut tx, caller, id).await? else {
            return Err(tx.refuse(StoreError::NotFound, event).await);
        };
        let opened = parse_date(&this.row.opened_on)?;
        let since = Length::Months(look_back_months).before(opened);
        let on_premises = Self::offences(
            &mut tx,
            caller,
            (id, since, opened),
            Offence::Premises(this.row.object.as_deref(), &this.row.address),
        )
        .await?;
        let of_people =
            Self::offences(&mut tx, caller, (id, since, opened), Offence::People(id)).await?;
        let recidive = Recidive {
            on_premises,
            of_people,
            look_back_months,
        };
        let event = AuditRecord {
            detail: format!("{} premises={on_premises} people={of_people}", event.detail),
            ..event
        };
        tx.finish(event).await?;
        Ok(recidive)
    }

    pub(super) async fn deadlines_impl(
        &self,
        caller: &Caller,
        now: OffsetDateTime,
    ) -> Result<Vec<Deadline>> {
        let mut tx = self.read(caller, now).await?;
        let today = tx.today();
        let loaded = Self::load_interventions(
            &mut tx,
            caller,
            (Default::default(), None, PageRequest::first(500)),
        )
        .await?;
        let mut out = Vec::new();
        for l in loaded {
            if l.row.owner_user != caller.user().to_string() {
                continue;
            }
            let id = parse_uuid(&l.row.id)?;
            let case_id = l.row.case_id.as_deref().map(parse_uuid).transpose()?;
            for term in l.flow.terms(today, SOON_WORKING_DAYS) {
                use baken_core::intervention::flow::UrgencyName as U;
                if matches!(term.urgency, U::Overdue | U::DueSoon) {
                    out.push(Deadline {
                        intervention: id,
                        kind: l.kind,
                        title: l.row.title.clone(),
                        case_id,
                        term,
                    });
                }
            }
        }
        out.sort_by_key(|d| (d.term.due_on, d.intervention));
        let event = AuditRecord::success(
            AuditAction::InterventionDeadlines,
            ObjectKind::Intervention,
            None,
            format!("shown={}", out.len()),
        );
        tx.finish(event).await?;
        Ok(out)
    }
    /// Other closures the caller may see with a warning or a closure decision from `since`
    /// until (not on) `until`, on the same premises or of the same people.
    async fn offences(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        (this, since, until): (Uuid, Date, Date),
        by: Offence<'_>,
    ) -> Result<u32> {
        use baken_core::procedure::closure::ClosureStep;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT COUNT(DISTINCT i.id) FROM intervention i WHERE i.kind = ",
        );
        qb.push_bind(InterventionKind::Closure.slug())
            .push(" AND i.id <> ")
            .push_bind(this.to_string())
            .push(
                " AND EXISTS (SELECT 1 FROM intervention_step s WHERE s.intervention_id = i.id \
                 AND s.step IN (",
            )
            .push_bind(ClosureStep::WarningGiven.slug())
            .push(", ")
            .push_bind(ClosureStep::ClosureDecided.slug())
            .push(") AND s.on_day >= ")
            .push_bind(date(since))
            .push(" AND s.on_day < ")
            .push_bind(date(until))
            .push(") AND ");
        match by {
            Offence::Premises(object, address) => {
                qb.push("(");
                match object {
                    Some(o) => qb.push("i.object = ").push_bind(o.to_string()),
                    None => qb.push("1 = 0"),
                };
                if !address.trim().is_empty() {
                    qb.push(" OR lower(i.address) = ")
                        .push_bind(address.trim().to_lowercase());
                }
                qb.push(")");
            }
            Offence::People(of) => {
                qb.push(
                    "EXISTS (SELECT 1 FROM intervention_party p JOIN intervention_party q \
                     ON q.entity_id = p.entity_id WHERE p.intervention_id = i.id \
                     AND q.intervention_id = ",
                )
                .push_bind(of.to_string())
                .push(")");
            }
        }
        qb.push(" AND ");
        push_intervention_visible(&mut qb, caller);
        let n: i64 = qb.build_query_scalar().fetch_one(&mut **tx).await?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// The interventions the caller may see about an entity: a party from its dossier, or one
    /// of `objects` (BAG ids) as their object.
    pub(super) async fn interventions_of(
        tx: &mut Transaction<'static, Db>,
        caller: &Caller,
        (entity, objects): (&str, &[String]),
        today: Date,
    ) -> Result<Vec<InterventionSummary>> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT i.id FROM intervention i WHERE (EXISTS (SELECT 1 FROM intervention_party p \
             WHERE p.intervention_id = i.id AND p.entity_id = ",
        );
        qb.push_bind(entity.to_string()).push(")");
        if !objects.is_empty() {
            qb.push(" OR i.object IN (");
            let mut sep = qb.separated(", ");
            for o in objects {
                sep.push_bind(o.clone());
            }
            qb.push(")");
        }
        qb.push(") AND ");
        push_intervention_visible(&mut qb, caller);
        qb.push(" ORDER BY i.opened_on DESC LIMIT 100");
        let ids: Vec<String> = qb.build_query_scalar().fetch_all(&mut **tx).await?;
        let mut out = Vec::new();
        for id in ids {
            if let Some(l) = Self::load_one(tx, caller, parse_uuid(&id)?).await? {
                out.push(l.summary(today)?);
            }
        }
        Ok(out)
    }

    pub(super) async fn figures_impl(
        &self,
        caller: &Caller,
        (year, suppression): (i32, Suppression),
        now: OffsetDateTime,
    ) -> Result<InterventionFigures> {
        let mut tx = self.read(caller, now).await?;
        let event = AuditRecord::success(
            AuditAction::InterventionFigures,
            ObjectKind::Intervention,
            None,
            format!("year={year}"),
        );
        let (from, until) = (format!("{year}-01-01"), format!("{}-01-01", year + 1));
        // Interventions the caller may see, per kind (Bibob ones only in the compartment).
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT i.kind, COUNT(*) FROM intervention i WHERE i.opened_on >= ",
        );
        qb.push_bind(from.clone())
            .push(" AND i.opened_on < ")
            .push_bind(until.clone())
            .push(" AND i.kind <> ")
            .push_bind(InterventionKind::Bibob.slug())
            .push(" AND ");
        // Who sees interventions counts those they see, exactly; a reader of aggregates (a
        // lezer) gets the organisation's counts with small ones suppressed.
        let sees = caller.may_see_cases() || caller.has(baken_core::Role::BibobCoordinator);
        if sees {
            push_intervention_visible(&mut qb, caller);
        } else {
            qb.push("i.owner_org = ")
                .push_bind(caller.org().to_string());
        }
        qb.push(" GROUP BY i.kind");
        let counts: Vec<(String, i64)> = qb.build_query_as().fetch_all(&mut **tx).await?;
        // The organisation's Bibob screenings: counted here, shown exactly only inside the
        // compartment.
        let screenings: Vec<(String, String)> = sqlx::query_as(
            "SELECT i.details, CASE WHEN EXISTS (SELECT 1 FROM intervention_step s \
             WHERE s.intervention_id = i.id AND s.step = $1) THEN 'ja' ELSE 'nee' END \
             FROM intervention i WHERE i.kind = $2 AND i.owner_org = $3 \
             AND i.opened_on >= $4 AND i.opened_on < $5",
        )
        .bind(baken_core::procedure::bibob::BibobStep::AdviceRequested.slug())
        .bind(InterventionKind::Bibob.slug())
        .bind(caller.org().to_string())
        .bind(&from)
        .bind(&until)
        .fetch_all(&mut **tx)
        .await?;
        let screenings = screenings
            .into_iter()
            .map(|(details, advice)| {
                let details: Details = serde_json::from_str(&details)
                    .map_err(|e| StoreError::Corrupt(format!("intervention details: {e}")))?;
                let (decision_kind, outcome) = match details {
                    Details::Bibob(b) => (b.decision_kind, b.outcome),
                    _ => (None, None),
                };
                Ok(BibobCount {
                    decision_kind,
                    outcome,
                    advice_requested: advice == "ja",
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let exact = caller.sees_bibob_of(caller.org());
        let (bibob_total, by_kind, by_outcome, advice) =
            bibob_figures(&screenings, exact, suppression);
        let mut kinds = Vec::new();
        for kind in InterventionKind::ALL {
            if kind.in_bibob_compartment() {
                kinds.push(KindFigure {
                    kind: *kind,
                    count: bibob_total.clone(),
                });
                continue;
            }
            let n = counts
                .iter()
                .find(|(k, _)| k == kind.slug())
                .map_or(0, |(_, n)| *n);
            let n = u64::try_from(n).unwrap_or_default();
            kinds.push(KindFigure {
                kind: *kind,
                count: if sees {
                    Figure::exact(n)
                } else {
                    Figure::protected(n, suppression)
                },
            });
        }
        let event = AuditRecord {
            detail: format!("{} bibob-exact={exact}", event.detail),
            ..event
        };
        tx.finish(event).await?;
        Ok(InterventionFigures {
            year,
            bibob_exact: exact,
            kinds,
            bibob_by_decision_kind: by_kind,
            bibob_by_outcome: by_outcome,
            bibob_advice_requests: advice,
        })
    }
}
