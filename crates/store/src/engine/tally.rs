//! Counts kept current (`signal_tally`, migration 0019): per audience row of a signal
//! (organisation, window, owned, Bibob or below), its owner, status, each of its themes and
//! areas (and '' for "any"), and its month of receipt; `signal_tally_total` (migration 0050)
//! holds the same without status and month, for questions about all time and every status. Every intake, status change and new
//! agreement adds or takes away the rows of the signals it touches in the same transaction;
//! reads of counts sum the rows of the caller's audience that hold today. Questions the
//! tally cannot answer (search text, indicators, overdue, assigned to me, periods that are
//! not whole months, a toezichthouder's own registrations) are counted from the signals.

use super::audience::{audience_of, Audience};
use super::*;

/// The last day of an open window, so that a window is a plain range in the key.
const OPEN_UNTIL: &str = "9999-12-31";

/// The meta key whose presence says the tally is complete.
const BUILT: &str = "tally";

/// Which signals' rows a change adds or takes away.
pub(super) enum Touched<'a> {
    /// These signals, every audience row.
    Signals(&'a [String]),
    /// Everything.
    All,
}

/// Adding or taking away (counts in the tally and in the search vocabularies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Add,
    TakeAway,
}

impl Change {
    /// What one occurrence adds to a count: 1 or -1.
    pub(crate) fn sign(self) -> i64 {
        match self {
            Change::Add => 1,
            Change::TakeAway => -1,
        }
    }
}

/// Appends "`column` (a signal id) is one of the touched signals".
fn push_touched(qb: &mut QueryBuilder<'_, Db>, touched: &Touched<'_>, column: &str) {
    match touched {
        Touched::Signals(ids) => {
            qb.push(format_args!("{column} IN ("));
            let mut list = qb.separated(", ");
            for id in *ids {
                list.push_bind(id.clone());
            }
            qb.push(")");
        }
        Touched::All => {
            qb.push("1 = 1");
        }
    }
}

impl EngineStore {
    /// Adds (or takes away) the tally rows of the touched signals as they stand in `tx`.
    pub(super) async fn tally(
        tx: &mut Transaction<'static, Db>,
        touched: Touched<'_>,
        change: Change,
    ) -> Result<()> {
        if matches!(touched, Touched::Signals(ids) if ids.is_empty()) {
            return Ok(());
        }
        let sign = change.sign();
        for table in [TallyTable::ByMonth, TallyTable::Total] {
            let mut qb = QueryBuilder::<Db>::new(format!(
                "INSERT INTO {} ({}) SELECT va.org_id, va.visible_from, COALESCE(va.visible_until, ",
                table.name(),
                table.columns()
            ));
            qb.push_bind(OPEN_UNTIL)
                .push("), va.owned, CASE WHEN va.classification_rank < ")
                .push_bind(Classification::Bibob.rank())
                .push(" THEN 0 ELSE 1 END, s.owner_org, ");
            if table == TallyTable::ByMonth {
                qb.push("s.status, ");
            }
            qb.push("t.theme, a.area_code, a.area_kind, ");
            if table == TallyTable::ByMonth {
                qb.push("substr(s.received_on, 1, 7), ");
            }
            qb.push_bind(sign).push(
                " * COUNT(*) FROM signal_audience va JOIN signal s ON s.id = va.signal_id \
                 JOIN (SELECT signal_id, theme FROM signal_theme WHERE ",
            );
            push_touched(&mut qb, &touched, "signal_id");
            qb.push(" UNION ALL SELECT id AS signal_id, '' AS theme FROM signal WHERE ");
            push_touched(&mut qb, &touched, "id");
            qb.push(
                ") t ON t.signal_id = va.signal_id \
                 JOIN (SELECT signal_id, area_code, area_kind FROM signal_area WHERE ",
            );
            push_touched(&mut qb, &touched, "signal_id");
            qb.push(
                " UNION ALL SELECT id AS signal_id, '' AS area_code, '' AS area_kind FROM signal WHERE ",
            );
            push_touched(&mut qb, &touched, "id");
            qb.push(") a ON a.signal_id = va.signal_id WHERE ");
            push_touched(&mut qb, &touched, "va.signal_id");
            qb.push(format_args!(
                " GROUP BY {} ON CONFLICT ({}) DO UPDATE SET n = {}.n + excluded.n",
                table.group_by(),
                table.key(),
                table.name()
            ));
            qb.build().execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// The two tables of kept counts: per month and status (`signal_tally`), and the same
/// without either (`signal_tally_total`, migration 0050), which answers a question about
/// all time and every status from a hundredth of the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TallyTable {
    ByMonth,
    Total,
}

impl TallyTable {
    fn name(self) -> &'static str {
        match self {
            TallyTable::ByMonth => "signal_tally",
            TallyTable::Total => "signal_tally_total",
        }
    }

    /// The columns in the order the statements above and [`NewCounts::store`] give them.
    fn columns(self) -> &'static str {
        match self {
            TallyTable::ByMonth => {
                "org_id, visible_from, visible_until, owned, bibob, owner_org, status, theme, \
                 area_code, area_kind, month, n"
            }
            TallyTable::Total => {
                "org_id, visible_from, visible_until, owned, bibob, owner_org, theme, area_code, \
                 area_kind, n"
            }
        }
    }

    /// The key columns' positions among [`TallyTable::columns`].
    fn group_by(self) -> &'static str {
        match self {
            TallyTable::ByMonth => "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11",
            TallyTable::Total => "1, 2, 3, 4, 5, 6, 7, 8, 9",
        }
    }

    /// The primary key.
    fn key(self) -> &'static str {
        match self {
            TallyTable::ByMonth => {
                "org_id, theme, area_code, month, status, visible_from, visible_until, owned, \
                 bibob, owner_org"
            }
            TallyTable::Total => {
                "org_id, theme, area_code, visible_from, visible_until, owned, bibob, owner_org"
            }
        }
    }
}

/// One audience row of a signal, as the tally keys it.
pub(super) struct Counted<'a> {
    pub(super) org: &'a str,
    pub(super) from: &'a str,
    pub(super) until: Option<&'a str>,
    pub(super) owned: bool,
    pub(super) bibob: bool,
    pub(super) owner: &'a str,
    pub(super) status: SignalStatus,
    pub(super) month: &'a str,
}

/// The month of receipt as the tally keys it (the Dutch calendar month).
pub(super) fn month_of(received_at: OffsetDateTime) -> String {
    let day = local_date(received_at);
    format!("{:04}-{:02}", day.year(), u8::from(day.month()))
}

/// The tally's key: organisation, window, owned, Bibob, owner, status, theme, area and kind,
/// month.
type TallyKey = (
    String,
    String,
    String,
    bool,
    bool,
    String,
    &'static str,
    String,
    String,
    String,
    String,
);

/// Counts of new signals, gathered before they are added in a few statements.
#[derive(Default)]
pub(super) struct NewCounts(HashMap<TallyKey, i64>);

impl NewCounts {
    /// Counts one audience row of a signal with these themes and areas: once per theme and
    /// for "every theme", once per area and for "anywhere".
    pub(super) fn add(
        &mut self,
        row: &Counted<'_>,
        themes: &[String],
        areas: &[(String, AreaKind)],
    ) {
        self.count(Change::Add, row, themes, areas);
    }

    /// Adds or takes away one audience row of a signal with these themes and areas, as
    /// [`NewCounts::add`] counts it.
    pub(super) fn count(
        &mut self,
        change: Change,
        row: &Counted<'_>,
        themes: &[String],
        areas: &[(String, AreaKind)],
    ) {
        let themes = std::iter::once("").chain(themes.iter().map(String::as_str));
        for theme in themes {
            let areas =
                std::iter::once(("", "")).chain(areas.iter().map(|(c, k)| (c.as_str(), k.slug())));
            for (area, kind) in areas {
                let key = (
                    row.org.to_string(),
                    row.from.to_string(),
                    row.until.unwrap_or(OPEN_UNTIL).to_string(),
                    row.owned,
                    row.bibob,
                    row.owner.to_string(),
                    row.status.slug(),
                    theme.to_string(),
                    area.to_string(),
                    kind.to_string(),
                    row.month.to_string(),
                );
                *self.0.entry(key).or_default() += change.sign();
            }
        }
    }

    /// Takes in the counts of another batch.
    pub(super) fn merge(&mut self, other: NewCounts) {
        for (key, n) in other.0 {
            *self.0.entry(key).or_default() += n;
        }
    }

    /// Adds the counts to the tally inside `tx`.
    pub(super) async fn store(self, tx: &mut Transaction<'static, Db>) -> Result<()> {
        // The totals: the same keys without status and month.
        let mut totals: HashMap<TotalKey<'_>, i64> = HashMap::new();
        for (k, n) in &self.0 {
            let key = (
                k.0.as_str(),
                k.1.as_str(),
                k.2.as_str(),
                k.3,
                k.4,
                k.5.as_str(),
                k.7.as_str(),
                k.8.as_str(),
                k.9.as_str(),
            );
            *totals.entry(key).or_default() += n;
        }
        let totals: Vec<(TotalKey<'_>, i64)> = totals.into_iter().collect();
        for chunk in totals.chunks(2_000) {
            let mut qb = QueryBuilder::<Db>::new(format!(
                "INSERT INTO signal_tally_total ({}) ",
                TallyTable::Total.columns()
            ));
            qb.push_values(chunk, |mut b, (k, n)| {
                b.push_bind(k.0.to_string())
                    .push_bind(k.1.to_string())
                    .push_bind(k.2.to_string())
                    .push_bind(i64::from(k.3))
                    .push_bind(i64::from(k.4))
                    .push_bind(k.5.to_string())
                    .push_bind(k.6.to_string())
                    .push_bind(k.7.to_string())
                    .push_bind(k.8.to_string())
                    .push_bind(*n);
            });
            qb.push(format_args!(
                " ON CONFLICT ({}) DO UPDATE SET n = signal_tally_total.n + excluded.n",
                TallyTable::Total.key()
            ));
            qb.build().execute(&mut **tx).await?;
        }
        let rows: Vec<(TallyKey, i64)> = self.0.into_iter().collect();
        for chunk in rows.chunks(2_000) {
            let mut qb = QueryBuilder::<Db>::new(format!(
                "INSERT INTO signal_tally ({}) ",
                TallyTable::ByMonth.columns()
            ));
            qb.push_values(chunk, |mut b, (k, n)| {
                b.push_bind(k.0.clone())
                    .push_bind(k.1.clone())
                    .push_bind(k.2.clone())
                    .push_bind(i64::from(k.3))
                    .push_bind(i64::from(k.4))
                    .push_bind(k.5.clone())
                    .push_bind(k.6)
                    .push_bind(k.7.clone())
                    .push_bind(k.8.clone())
                    .push_bind(k.9.clone())
                    .push_bind(k.10.clone())
                    .push_bind(*n);
            });
            qb.push(format_args!(
                " ON CONFLICT ({}) DO UPDATE SET n = signal_tally.n + excluded.n",
                TallyTable::ByMonth.key()
            ));
            qb.build().execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// Takes the days after `last_day` away from the counts of rows that an organisation among
/// `parties` has of another's signal, as [`super::reshare::take_away_after`] takes them away
/// from the rows: a count whose window starts after the day goes, one that runs past it ends
/// on it (and joins a count that already ended there).
pub(super) async fn clamp_shared_counts(
    tx: &mut Transaction<'static, Db>,
    parties: &[String],
    last_day: &str,
) -> Result<()> {
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT org_id, visible_from, visible_until, CAST(bibob AS BIGINT), owner_org, status, \
         theme, area_code, area_kind, month, CAST(n AS BIGINT) FROM signal_tally \
         WHERE owned = 0 AND n <> 0 AND visible_until > ",
    );
    qb.push_bind(last_day).push(" AND org_id IN (");
    super::retention::push_ids(&mut qb, parties);
    qb.push(" AND owner_org IN (");
    super::retention::push_ids(&mut qb, parties);
    type Stored = (
        String,
        String,
        String,
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
    );
    let rows: Vec<Stored> = qb.build_query_as().fetch_all(&mut **tx).await?;
    let mut counts = NewCounts::default();
    for (org, from, until, bibob, owner, status, theme, area, kind, month, n) in rows {
        let status = parse_enum(SignalStatus::parse(&status))?.slug();
        let key = |until: String| {
            (
                org.clone(),
                from.clone(),
                until,
                false,
                bibob != 0,
                owner.clone(),
                status,
                theme.clone(),
                area.clone(),
                kind.clone(),
                month.clone(),
            )
        };
        if from.as_str() <= last_day {
            *counts.0.entry(key(last_day.to_string())).or_default() += n;
        }
        *counts.0.entry(key(until)).or_default() -= n;
    }
    counts.store(tx).await
}

/// The key of `signal_tally_total`: [`TallyKey`] without status and month.
type TotalKey<'a> = (
    &'a str,
    &'a str,
    &'a str,
    bool,
    bool,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

/// Makes the tally of every stored signal when it is not complete (a database from before
/// migration 0019); runs after the audience is complete.
pub(crate) async fn ensure_tally(pool: &sqlx::Pool<Db>) -> Result<()> {
    let Some(mut tx) = begin_once(pool, BUILT).await? else {
        return Ok(());
    };
    sqlx::query("DELETE FROM signal_tally")
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM signal_tally_total")
        .execute(&mut *tx)
        .await?;
    EngineStore::tally(&mut tx, Touched::All, Change::Add).await?;
    finish_once(tx, BUILT).await
}

/// A count question in the tally's terms.
struct TallyQuestion {
    theme: String,
    area: String,
    statuses: Option<Vec<SignalStatus>>,
    months: (Option<String>, Option<String>),
}

/// The filter as a tally question, when the tally can answer it.
fn question(filter: &SignalFilter) -> Option<TallyQuestion> {
    if filter.text.is_some() || filter.indicator.is_some() || filter.overdue || filter.mine {
        return None;
    }
    // The tally's empty theme is every theme; no signal has a theme without a code, which the
    // signals' own rows then say.
    if filter.theme.as_deref() == Some("") {
        return None;
    }
    let month = |d: Date| format!("{:04}-{:02}", d.year(), u8::from(d.month()));
    let from = match filter.received_from {
        None => None,
        Some(d) if d.day() == 1 => Some(month(d)),
        Some(_) => return None,
    };
    let until = match filter.received_until {
        None => None,
        Some(d) if d.day() == d.month().length(d.year()) => Some(month(d)),
        Some(_) => return None,
    };
    let statuses = match (filter.status, filter.open) {
        (None, false) => None,
        (Some(s), false) => Some(vec![s]),
        (None, true) => Some(SignalStatus::all_where(SignalStatus::is_open)),
        (Some(s), true) => Some(if s.is_open() { vec![s] } else { Vec::new() }),
    };
    Some(TallyQuestion {
        theme: filter.theme.clone().unwrap_or_default(),
        area: filter
            .area
            .as_ref()
            .map(|a| a.to_string())
            .unwrap_or_default(),
        statuses,
        months: (from, until),
    })
}

/// What to group a tally sum by.
#[derive(Debug, Clone, Copy)]
pub(super) enum TallyGroup {
    Nothing,
    Status,
    Theme,
    Area(AreaKind),
    Month,
    Owner,
}

/// At most this many sums are read in one statement (SQLite refuses a compound of more than
/// 500 selects).
const SUMS_PER_STATEMENT: usize = 200;

/// How the tally answers one sum.
enum TallyPlan {
    /// It cannot: the signals are counted instead.
    Cannot,
    /// Without reading: nothing the caller may count, or no status passes the filter.
    Known(Vec<(String, u64)>),
    /// By summing its rows.
    Sum(TallySum),
}

/// One sum over the tally's rows: whose, which rows, grouped how.
struct TallySum {
    scope: Audience,
    question: TallyQuestion,
    group: TallyGroup,
    table: TallyTable,
}

/// How the tally answers the caller's sum of `filter` per `group`.
fn tally_plan(
    caller: &Caller,
    sight: Sight,
    filter: &SignalFilter,
    group: TallyGroup,
) -> TallyPlan {
    // Nothing to count: a total of zero, no groups.
    let none = || match group {
        TallyGroup::Nothing => vec![(String::new(), 0)],
        _ => Vec::new(),
    };
    let Some(scope) = audience_of(caller, sight) else {
        return TallyPlan::Known(none());
    };
    if scope == Audience::OwnRegistrations {
        return TallyPlan::Cannot;
    }
    let Some(question) = question(filter) else {
        return TallyPlan::Cannot;
    };
    if matches!(group, TallyGroup::Theme) && !question.theme.is_empty() {
        // Signals of one theme per each of their themes: not a sum of the tally's rows.
        return TallyPlan::Cannot;
    }
    if question.statuses.as_ref().is_some_and(Vec::is_empty) {
        return TallyPlan::Known(none());
    }
    // All time and every status: the totals, without a row per month and status.
    let table = if question.statuses.is_none()
        && question.months.0.is_none()
        && question.months.1.is_none()
        && !matches!(group, TallyGroup::Status | TallyGroup::Month)
    {
        TallyTable::Total
    } else {
        TallyTable::ByMonth
    };
    TallyPlan::Sum(TallySum {
        scope,
        question,
        group,
        table,
    })
}

/// Appends the statement of `sum` for the rows of `org` that hold on `today`: its key `k`
/// and count `n`, a row per group that has signals (one row for no grouping), unordered.
fn push_tally_sum(qb: &mut QueryBuilder<'_, Db>, sum: TallySum, org: Uuid, today: Date) {
    let TallySum {
        scope,
        question: q,
        group,
        table,
    } = sum;
    let key = match group {
        TallyGroup::Nothing => "''",
        TallyGroup::Status => "t.status",
        TallyGroup::Theme => "t.theme",
        TallyGroup::Area(_) => "t.area_code",
        TallyGroup::Month => "t.month",
        TallyGroup::Owner => "o.name",
    };
    qb.push(format_args!(
        "SELECT {key} AS k, CAST(COALESCE(SUM(t.n), 0) AS BIGINT) AS n FROM {} t",
        table.name()
    ));
    if matches!(group, TallyGroup::Owner) {
        qb.push(" JOIN organisation o ON o.id = t.owner_org");
    }
    qb.push(" WHERE t.org_id = ")
        .push_bind(org.to_string())
        .push(" AND t.visible_from <= ")
        .push_bind(date(today))
        .push(" AND t.visible_until >= ")
        .push_bind(date(today));
    match scope {
        Audience::All => {}
        Audience::BelowBibob | Audience::OwnRegistrations => {
            qb.push(" AND t.bibob = 0");
        }
        Audience::OwnBelowBibob => {
            qb.push(" AND t.bibob = 0 AND t.owned = 1");
        }
    }
    match group {
        TallyGroup::Theme => {
            qb.push(" AND t.theme <> ''");
        }
        _ => {
            qb.push(" AND t.theme = ").push_bind(q.theme);
        }
    }
    match group {
        TallyGroup::Area(kind) => {
            qb.push(" AND t.area_kind = ").push_bind(kind.slug());
            if !q.area.is_empty() {
                // An area filter within a grouping by area: that area's row only.
                qb.push(" AND t.area_code = ").push_bind(q.area);
            }
        }
        _ => {
            qb.push(" AND t.area_code = ").push_bind(q.area);
        }
    }
    if let Some(statuses) = &q.statuses {
        qb.push(" AND t.status IN (");
        let mut list = qb.separated(", ");
        for s in statuses {
            list.push_bind(s.slug());
        }
        qb.push(")");
    }
    if let Some(from) = q.months.0 {
        qb.push(" AND t.month >= ").push_bind(from);
    }
    if let Some(until) = q.months.1 {
        qb.push(" AND t.month <= ").push_bind(until);
    }
    if !matches!(group, TallyGroup::Nothing) {
        qb.push(" GROUP BY 1 HAVING SUM(t.n) > 0");
    }
}

/// A sum as read (never negative).
fn counted(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl EngineStore {
    /// Sums the caller's tally rows for `filter` that hold today, per `group` (`""` for
    /// [`TallyGroup::Nothing`]), ordered by key; `None` when the tally cannot answer the
    /// question.
    pub(super) async fn tally_sum(
        tx: &mut Transaction<'static, Db>,
        (caller, sight): (&Caller, Sight),
        filter: &SignalFilter,
        group: TallyGroup,
        today: Date,
    ) -> Result<Option<Vec<(String, u64)>>> {
        let sum = match tally_plan(caller, sight, filter, group) {
            TallyPlan::Cannot => return Ok(None),
            TallyPlan::Known(rows) => return Ok(Some(rows)),
            TallyPlan::Sum(sum) => sum,
        };
        let mut qb = QueryBuilder::<Db>::new("");
        push_tally_sum(&mut qb, sum, caller.org(), today);
        if !matches!(group, TallyGroup::Nothing) {
            qb.push(" ORDER BY 1");
        }
        let rows: Vec<(String, i64)> = qb.build_query_as().fetch_all(&mut **tx).await?;
        Ok(Some(
            rows.into_iter().map(|(k, n)| (k, counted(n))).collect(),
        ))
    }

    /// Every one of `sums` as [`EngineStore::tally_sum`] answers it, read in one statement
    /// (the sums one after another, each numbered): a page that shows a dozen counts waits
    /// for one answer, not a dozen. `None` when the tally cannot answer one of them.
    pub(super) async fn tally_sums(
        tx: &mut Transaction<'static, Db>,
        (caller, sight): (&Caller, Sight),
        sums: &[(&SignalFilter, TallyGroup)],
        today: Date,
    ) -> Result<Option<Vec<Vec<(String, u64)>>>> {
        let mut plans = Vec::with_capacity(sums.len());
        for (filter, group) in sums {
            match tally_plan(caller, sight, filter, *group) {
                TallyPlan::Cannot => return Ok(None),
                plan => plans.push(plan),
            }
        }
        let mut out: Vec<Vec<(String, u64)>> = vec![Vec::new(); plans.len()];
        let mut sums = Vec::new();
        for (i, plan) in plans.into_iter().enumerate() {
            match plan {
                TallyPlan::Cannot => return Ok(None),
                TallyPlan::Known(rows) => out[i] = rows,
                TallyPlan::Sum(sum) => sums.push((i, sum)),
            }
        }
        let mut sums = sums.into_iter().peekable();
        while sums.peek().is_some() {
            let mut qb = QueryBuilder::<Db>::new("");
            for (part, (i, sum)) in sums.by_ref().take(SUMS_PER_STATEMENT).enumerate() {
                if part > 0 {
                    qb.push(" UNION ALL ");
                }
                qb.push(format_args!(
                    "SELECT CAST({i} AS BIGINT) AS q, p.k, p.n FROM ("
                ));
                push_tally_sum(&mut qb, sum, caller.org(), today);
                qb.push(") p");
            }
            qb.push(" ORDER BY 1, 2");
            let rows: Vec<(i64, String, i64)> = qb.build_query_as().fetch_all(&mut **tx).await?;
            for (q, k, n) in rows {
                if let Some(rows) = usize::try_from(q).ok().and_then(|q| out.get_mut(q)) {
                    rows.push((k, counted(n)));
                }
            }
        }
        Ok(Some(out))
    }
}
