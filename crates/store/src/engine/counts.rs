//! Counts for the picture: the overview, counts per group, map points.

use super::rows::PointRow;
use super::*;

impl EngineStore {
    /// Counts per `group` key of the signals the caller may see or count and `filter`
    /// selects: from the tally when it can answer, otherwise from the signals themselves.
    pub(super) async fn grouped(
        tx: &mut Transaction<'static, Db>,
        who: (&Caller, Sight),
        (filter, search): (&SignalFilter, Option<&Search>),
        group: TallyGroup,
        today: Date,
    ) -> Result<Vec<(String, u64)>> {
        if filter.text.is_none() {
            if let Some(rows) = Self::tally_sum(tx, who, filter, group, today).await? {
                return Ok(rows);
            }
        }
        Self::count_rows(tx, who, (filter, search), group, today).await
    }

    /// Counts per `group` key by reading the signals (what the tally keeps, counted anew).
    pub(super) async fn count_rows(
        tx: &mut Transaction<'static, Db>,
        who: (&Caller, Sight),
        (filter, search): (&SignalFilter, Option<&Search>),
        group: TallyGroup,
        today: Date,
    ) -> Result<Vec<(String, u64)>> {
        let key = match group {
            TallyGroup::Nothing => "''",
            TallyGroup::Status => "s.status",
            TallyGroup::Theme => "gt.theme",
            TallyGroup::Area(_) => "ga.area_code",
            TallyGroup::Month => "substr(s.received_on, 1, 7)",
            TallyGroup::Owner => "o.name",
        };
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {key} AS k, COUNT(*) AS n FROM"));
        let reads = match group {
            TallyGroup::Nothing | TallyGroup::Theme | TallyGroup::Area(_) => {
                Reads::Ids(who.0, who.1)
            }
            TallyGroup::Status | TallyGroup::Month | TallyGroup::Owner => Reads::Signal,
        };
        push_from(&mut qb, (filter, PlanKeys::Bound), search, reads);
        match group {
            TallyGroup::Theme => {
                qb.push(" JOIN signal_theme gt ON gt.signal_id = va.signal_id");
            }
            TallyGroup::Area(kind) => {
                qb.push(" JOIN signal_area ga ON ga.signal_id = va.signal_id AND ga.area_kind = ")
                    .push_bind(kind.slug());
            }
            TallyGroup::Owner => {
                qb.push(" JOIN organisation o ON o.id = s.owner_org");
            }
            TallyGroup::Nothing | TallyGroup::Status | TallyGroup::Month => {}
        }
        push_where(&mut qb, who, (filter, PlanKeys::Bound), search, today);
        if !matches!(group, TallyGroup::Nothing) {
            qb.push(" GROUP BY 1 ORDER BY 1");
        }
        let rows: Vec<(String, i64)> = qb.build_query_as().fetch_all(&mut **tx).await?;
        Ok(rows
            .into_iter()
            .map(|(k, n)| (k, u64::try_from(n).unwrap_or(0)))
            .collect())
    }
}

#[async_trait]
impl crate::CountStore for EngineStore {
    async fn overview(
        &self,
        caller: &Caller,
        suppression: Suppression,
        now: OffsetDateTime,
    ) -> Result<Overview> {
        let aggregated = caller.sees_only_aggregates();
        let mut tx = self.read(caller, now).await?;
        let everything = (&SignalFilter::default(), None);
        let who = (caller, Sight::Count);
        let today = tx.today();
        let sums = [
            (everything.0, TallyGroup::Status),
            (everything.0, TallyGroup::Theme),
        ];
        let (by_status, by_theme) = match Self::tally_sums(&mut tx, who, &sums, today)
            .await?
            .map(<[Vec<(String, u64)>; 2]>::try_from)
        {
            Some(Ok([by_status, by_theme])) => (by_status, by_theme),
            _ => (
                Self::grouped(&mut tx, who, everything, TallyGroup::Status, today).await?,
                Self::grouped(&mut tx, who, everything, TallyGroup::Theme, today).await?,
            ),
        };
        let event = AuditRecord::success(
            AuditAction::SignalCount,
            ObjectKind::Signal,
            None,
            format!("group=overview aggregated={aggregated}"),
        );
        tx.finish(event).await?;
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
        let mut counts = self
            .signal_counts_each(caller, std::slice::from_ref(query), suppression, now)
            .await?;
        counts
            .pop()
            .ok_or_else(|| StoreError::Corrupt("no counts".into()))
    }

    async fn signal_counts_each(
        &self,
        caller: &Caller,
        queries: &[CountQuery],
        suppression: Suppression,
        now: OffsetDateTime,
    ) -> Result<Vec<SignalCounts>> {
        let today = local_date(now);
        let aggregated = caller.sees_only_aggregates();
        if !caller.may_see_counts() {
            return Err(StoreError::Forbidden(Denied::SeeSignalsOrCounts));
        }
        let mut tx = self.read(caller, now).await?;
        // Aggregates for roles that see only those count whole months (fixed cells).
        let filters: Vec<std::borrow::Cow<'_, SignalFilter>> = queries
            .iter()
            .map(|query| {
                if aggregated {
                    std::borrow::Cow::Owned(query.filter.in_whole_months())
                } else {
                    std::borrow::Cow::Borrowed(&query.filter)
                }
            })
            .collect();
        let groups: Vec<TallyGroup> = queries
            .iter()
            .map(|query| match query.group {
                CountGroup::Area(kind) => TallyGroup::Area(kind),
                CountGroup::Month => TallyGroup::Month,
                CountGroup::Organisation => TallyGroup::Owner,
            })
            .collect();
        let who = (caller, Sight::Count);
        // Each question's total and groups: from the tally in one statement when it answers
        // them all, otherwise one question after another.
        let sums: Vec<(&SignalFilter, TallyGroup)> = filters
            .iter()
            .zip(&groups)
            .flat_map(|(filter, group)| [(&**filter, TallyGroup::Nothing), (&**filter, *group)])
            .collect();
        let tallied = if filters.iter().all(|f| f.text.is_none()) {
            Self::tally_sums(&mut tx, who, &sums, today).await?
        } else {
            None
        };
        let answers = match tallied {
            Some(answers) => answers,
            None => {
                let mut answers = Vec::with_capacity(sums.len());
                for (filter, group) in filters.iter().zip(&groups) {
                    let search = match &filter.text {
                        Some(text) => {
                            prepare_search(self, &mut tx, (text, filter, AfterSearch::OtherReads))
                                .await?
                        }
                        None => None,
                    };
                    let asked = (&**filter, search.as_ref());
                    for group in [TallyGroup::Nothing, *group] {
                        answers.push(Self::grouped(&mut tx, who, asked, group, today).await?);
                    }
                }
                answers
            }
        };
        let mut answers = answers.into_iter();
        let mut out = Vec::with_capacity(queries.len());
        while let (Some(total), Some(rows)) = (answers.next(), answers.next()) {
            let total = total.first().map_or(0, |(_, n)| *n);
            let groups: Vec<(String, ShownCount)> = rows
                .into_iter()
                .map(|(k, n)| (k, ShownCount::shown(n, aggregated, suppression)))
                .collect();
            out.push(SignalCounts {
                aggregated,
                total: ShownCount::shown(total, aggregated, suppression),
                groups,
            });
        }
        let groups: usize = out.iter().map(|c| c.groups.len()).sum();
        // Every grouping asked, each once in the order asked.
        let mut kinds: Vec<String> = Vec::new();
        for kind in queries.iter().map(|q| q.group.slug()) {
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        let mut detail = format!(
            "group={} groups={groups} aggregated={aggregated}",
            kinds.join(",")
        );
        if queries.len() > 1 {
            detail.push_str(&format!(" questions={}", queries.len()));
        }
        let event =
            AuditRecord::success(AuditAction::SignalCount, ObjectKind::Signal, None, detail);
        tx.finish(event).await?;
        Ok(out)
    }

    async fn signal_points(
        &self,
        caller: &Caller,
        filter: &SignalFilter,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<Vec<SignalPoint>> {
        let today = local_date(now);
        let mut tx = self.read(caller, now).await?;
        let search = match &filter.text {
            Some(text) => {
                prepare_search(self, &mut tx, (text, filter, AfterSearch::OtherReads)).await?
            }
            None => None,
        };
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT s.id, s.lon_micro, s.lat_micro, s.title, s.status, s.received_at FROM",
        );
        push_from(
            &mut qb,
            (filter, PlanKeys::Bound),
            search.as_ref(),
            Reads::Signal,
        );
        push_where(
            &mut qb,
            (caller, Sight::See),
            (filter, PlanKeys::Bound),
            search.as_ref(),
            today,
        );
        qb.push(" AND s.lat_micro IS NOT NULL AND s.lon_micro IS NOT NULL");
        qb.push(" ORDER BY va.received_at DESC, va.signal_id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows: Vec<PointRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        let points = rows
            .into_iter()
            .map(PointRow::into_point)
            .collect::<Result<Vec<_>>>()?;
        let event = AuditRecord::success(
            AuditAction::SignalMap,
            ObjectKind::Signal,
            None,
            format!("shown={}", points.len()),
        );
        tx.finish(event).await?;
        Ok(points)
    }
}
