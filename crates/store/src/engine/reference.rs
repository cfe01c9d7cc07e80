//! The visibility rule as the store wrote it before the audience table (migration 0018): an
//! OR over agreements, parties and themes evaluated per row. Kept for the conformance suite
//! only, which proves that the audience gives the same signals for every role, agreement
//! shape and day.

use super::*;

/// Appends "`s` is below Bibob": Bibob-classified signals never flow and are counted apart.
fn push_below_bibob(qb: &mut QueryBuilder<'_, Db>) {
    qb.push("s.classification_rank < ")
        .push_bind(Classification::Bibob.rank());
}

/// Appends the predicate "the caller may count signal `s`": what the caller may see, and for
/// lezers (aggregates only) their own organisation's non-Bibob signals.
fn push_countable(qb: &mut QueryBuilder<'_, Db>, caller: &Caller, today: Date) {
    push_sight(qb, caller, today, Sight::Count);
}

fn push_by_agreements(qb: &mut QueryBuilder<'_, Db>, caller: &Caller, today: Date) {
    let org = caller.org().to_string();
    match caller.signal_scope() {
        SignalScope::Nothing => {
            qb.push("1 = 0");
        }
        SignalScope::OwnRegistrations => {
            qb.push("(s.created_by = ")
                .push_bind(caller.user().to_string())
                .push(" AND s.owner_org = ")
                .push_bind(org)
                .push(" AND ");
            push_below_bibob(qb);
            qb.push(")");
        }
        SignalScope::OrganisationAndShared { bibob } => {
            qb.push("((s.owner_org = ").push_bind(org.clone());
            if !bibob {
                qb.push(" AND ");
                push_below_bibob(qb);
            }
            qb.push(") OR (");
            push_below_bibob(qb);
            qb.push(" AND s.sharing = ")
                .push_bind(Sharing::Convenant.slug());
            qb.push(
                " \
                 AND EXISTS (SELECT 1 FROM signal_theme st0 WHERE st0.signal_id = s.id) AND EXISTS (\
                 SELECT 1 FROM sharing_agreement_effective a \
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

impl EngineStore {
    /// The ids of the signals `caller` may see on the Dutch day of `now` — or, `counting`,
    /// may count — by the rule as written before the audience table, newest first.
    pub async fn visible_by_agreements(
        &self,
        caller: &Caller,
        counting: bool,
        now: OffsetDateTime,
    ) -> Result<Vec<Uuid>> {
        let mut qb = QueryBuilder::<Db>::new("SELECT s.id FROM signal s WHERE ");
        if counting && caller.sees_only_aggregates() {
            qb.push("s.owner_org = ")
                .push_bind(caller.org().to_string())
                .push(" AND ");
            push_below_bibob(&mut qb);
        } else {
            push_by_agreements(&mut qb, caller, local_date(now));
        }
        qb.push(" ORDER BY s.received_at DESC, s.id DESC");
        let ids: Vec<String> = qb.build_query_scalar().fetch_all(&self.pool).await?;
        ids.iter().map(|id| parse_uuid(id)).collect()
    }
}

impl EngineStore {
    /// The same through the audience table (`push_visible` / `push_countable`).
    pub async fn visible_by_audience(
        &self,
        caller: &Caller,
        counting: bool,
        now: OffsetDateTime,
    ) -> Result<Vec<Uuid>> {
        let mut qb = QueryBuilder::<Db>::new("SELECT s.id FROM signal s WHERE ");
        if counting {
            push_countable(&mut qb, caller, local_date(now));
        } else {
            push_visible(&mut qb, caller, local_date(now));
        }
        qb.push(" ORDER BY s.received_at DESC, s.id DESC");
        let ids: Vec<String> = qb.build_query_scalar().fetch_all(&self.pool).await?;
        ids.iter().map(|id| parse_uuid(id)).collect()
    }
}

impl EngineStore {
    /// For every grouping, the caller's counts for `filter` on the day of `now` from the
    /// tally (`None` where it cannot answer) and counted from the signals; when the tally
    /// answers every grouping, also each grouping's answer from all of them read in one
    /// statement (`tally_sums`).
    #[allow(clippy::type_complexity)]
    pub async fn tally_against_rows(
        &self,
        caller: &Caller,
        counting: bool,
        filter: &SignalFilter,
        now: OffsetDateTime,
    ) -> Result<Vec<(String, Option<Vec<(String, u64)>>, Vec<(String, u64)>)>> {
        let today = local_date(now);
        let sight = if counting { Sight::Count } else { Sight::See };
        let mut tx = begin_on(&self.pool, None).await?;
        let mut out = Vec::new();
        let groups = [
            TallyGroup::Nothing,
            TallyGroup::Status,
            TallyGroup::Theme,
            TallyGroup::Area(AreaKind::Wijk),
            TallyGroup::Area(AreaKind::Buurt),
            TallyGroup::Month,
            TallyGroup::Owner,
        ];
        // Every grouping in one statement, as pages that show many counts read them.
        let sums: Vec<(&SignalFilter, TallyGroup)> = groups.iter().map(|g| (filter, *g)).collect();
        let mut batched = Self::tally_sums(&mut tx, (caller, sight), &sums, today)
            .await?
            .map(Vec::into_iter);
        for group in groups {
            let tallied = Self::tally_sum(&mut tx, (caller, sight), filter, group, today).await?;
            let counted =
                Self::count_rows(&mut tx, (caller, sight), (filter, None), group, today).await?;
            if let Some(batched) = batched.as_mut() {
                out.push((
                    format!("{group:?} in one statement"),
                    batched.next(),
                    counted.clone(),
                ));
            }
            out.push((format!("{group:?}"), tallied, counted));
        }
        tx.rollback().await?;
        Ok(out)
    }
}
