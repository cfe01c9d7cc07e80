//! The one implementation of the store traits, compiled once per engine: `sqlite.rs` and
//! `postgres.rs` each declare this directory as their module `engine` after defining `Db`,
//! `DbRow`, `ENGINE`, `MIGRATOR`, `EngineStore` and the few engine-specific queries
//! (`prepare_search`, `push_text_source`, `push_text_match`, `index_signals`,
//! `key_blocks_query`) and upkeep (`before_close`, `after_areas_written`). Only portable
//! SQL lives here ($N placeholders, TEXT and BIGINT columns). One file per area.

mod access_request;
mod activities;
mod admin;
mod areas;
mod audience;
mod audit;
mod barriers;
mod case_entities;
mod cases;
mod catalogue;
mod code_copies;
mod commitments;
mod corrections;
mod counts;
mod decisions;
mod disclosures;
mod dossiers;
mod field;
mod guarded;
mod identities;
mod intake;
mod intervention_links;
mod intervention_queries;
mod interventions;
mod lineage;
mod link_save;
mod linking;
mod meetings;
mod processing;
mod read_log;
#[cfg(feature = "test-support")]
mod reference;
mod referrals;
mod relink;
mod report;
mod reshare;
mod retention;
mod retention_rules;
mod rows;
mod sessions;
mod signals;
mod tally;

use super::{
    after_areas_written, code_in_search, counting_part, index_signals, key_blocks_query,
    narrow_search, prepare_search, push_text_match, push_text_source, unindex_signals, Db, DbRow,
    EngineStore, Search, AUDIENCE_DOC, BEGIN_PLANNED_EACH_TIME, BEGIN_PLANNED_ONCE, ENGINE,
    JOINED_TEXTS, LIST_PLAN_KEYS, PART_SEPARATOR, SEARCH_DOC,
};
use async_trait::async_trait;
use baken_core::access::{Caller, Denied, DossierReason, SignalScope, Suppression};
use baken_core::audit::{
    chain_hash, AuditAction, AuditKey, AuditOutcome, ChainedFields, ObjectKind,
};
use baken_core::catalogue::{Catalogue, Indicator, Theme};
use baken_core::field::{Answer, NewVisit, VisitKind};
use baken_core::identifiers::AreaCode;
use baken_core::model::{
    Area, AreaKind, AuditEvent, Classification, InformationCredibility, OrgKind, Organisation,
    Sharing, SharingAgreement, SourceKind, SourceReliability, User,
};
use baken_core::model::{MentionedSubject, Relation, Subject, SubjectKind};
use baken_core::picture::{AreaBase, BaseKind, CountGroup, CountQuery};
use baken_core::signal::{
    AssignedTo, Coordinates, Cursor, NewSignal, Page, PageRequest, PlacedArea, Side, Signal,
    SignalFilter, StatusHistoryEntry, Total,
};
use baken_core::status::{SignalStatus, StatusChange};
use baken_core::subject::SubjectDetails;
use baken_core::subject::{RelationKind, SubjectRole};
use baken_core::RoleSet;
use baken_geo::{AreaIndex, AreaRef, AreaShape};
use baken_link::compare::{FieldKind, Prepared, Slot};
use baken_link::{Entities, Judgement, Model, TermFactor};
use sqlx::{FromRow, QueryBuilder, Transaction};
use std::collections::HashMap;
use std::sync::Arc;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::prelude::*;
use crate::text::{date, parse_date, parse_ts, parse_uuid, ts};
use crate::{
    Actor, AreaObjects, AuditRecord, AuditVerification, CaseList, ChainBreak, Conflict, Coverage,
    FieldObject, NewAgreement, NewFieldObject, NewUser, Overview, PublicReportInfo, Rejection,
    Result, ShownCount, SignalCounts, SignalDetail, SignalPoint, StoreError, VisitDetail,
    VisitFinding, VisitSummary,
};
use baken_core::calendar::local_date;
use baken_core::new_id;

pub(crate) use audience::ensure_audience;
use audience::{push_audience, Sight};
use audit::*;
pub(crate) use code_copies::ensure_code_copies;
use code_copies::Copied;
use linking::*;
pub(crate) use read_log::ReadLog;
pub(crate) use tally::ensure_tally;
pub(crate) use tally::Change;
use tally::{NewCounts, TallyGroup, Touched};

impl EngineStore {
    /// Reads the version `key` in `meta` (empty when none was written yet) and notes it in
    /// `check` (`caches::VersionCheck`).
    async fn read_version(&self, key: &str, check: &crate::caches::VersionCheck) -> Result<String> {
        let reading = check.reading();
        let version: String = sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
            .unwrap_or_default();
        check.found(reading, &version);
        Ok(version)
    }

    /// The version `key` as found within the last [`crate::VERSION_RECHECK`], or read now.
    async fn recent_version(
        &self,
        key: &str,
        check: &crate::caches::VersionCheck,
    ) -> Result<String> {
        match check.recent() {
            Some(version) => Ok(version),
            None => self.read_version(key, check).await,
        }
    }
}

/// What follows a prepared search in its read (`prepare_search`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AfterSearch {
    /// Only the list's count and page, and the read ends.
    ListPage,
    /// Other statements: counts of several questions.
    OtherReads,
}

/// Begins a transaction on a connection of `pool`, with `statement` in place of a plain
/// `BEGIN` when given. A pooled connection is handed out without a test when it was in use
/// moments ago (the engines' pool options); one the database server closed meanwhile (a
/// restart, an administrator ending sessions) fails this first statement, before anything
/// was read or written, and another connection is taken — at most once more than the pool
/// holds connections, each failed one closed as it goes back.
pub(super) async fn begin_on(
    pool: &sqlx::Pool<Db>,
    statement: Option<&'static str>,
) -> Result<Transaction<'static, Db>> {
    let mut attempts = pool.options().get_max_connections() + 1;
    loop {
        let begun = match statement {
            Some(statement) => pool.begin_with(statement).await,
            None => pool.begin().await,
        };
        match begun {
            Err(e) if attempts > 1 && connection_lost(&e) => attempts -= 1,
            begun => return Ok(begun?),
        }
    }
}

/// Whether `e` says the connection is gone: a failed socket, or the server's notice that it
/// ends the session (PostgreSQL's SQLSTATE classes 08, connection exception, and 57P,
/// operator intervention).
fn connection_lost(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(d) => {
            ENGINE == crate::Engine::Postgres
                && d.code()
                    .is_some_and(|c| c.starts_with("08") || c.starts_with("57P"))
        }
        _ => false,
    }
}

/// Begins the one-time work that `key` marks in `meta` (what a store derives from its rows
/// when it first opens after a migration); `None` when it was done before.
async fn begin_once(pool: &sqlx::Pool<Db>, key: &str) -> Result<Option<Transaction<'static, Db>>> {
    let mut tx = begin_on(pool, None).await?;
    let done: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
    if done.is_some() {
        tx.rollback().await?;
        return Ok(None);
    }
    Ok(Some(tx))
}

/// Marks the one-time work `key` done and commits it with the work.
async fn finish_once(mut tx: Transaction<'static, Db>, key: &str) -> Result<()> {
    sqlx::query("INSERT INTO meta (key, value) VALUES ($1, '1')")
        .bind(key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The place of the next audit event, taken by locking the chain head as the transaction's
/// first write so that audited transactions are serialised on both engines.
struct AuditSlot {
    seq: i64,
    prev_hash: String,
}

struct ActorFields {
    user: Option<String>,
    org: Option<String>,
    origin: String,
    purpose: String,
}

fn actor_fields(actor: &Actor) -> ActorFields {
    match actor {
        Actor::Caller(c) => caller_fields(c),
        Actor::System { process } => ActorFields {
            user: None,
            org: None,
            origin: process.clone(),
            purpose: "beheer".into(),
        },
    }
}

fn caller_fields(c: &Caller) -> ActorFields {
    ActorFields {
        user: Some(c.user().to_string()),
        org: Some(c.org().to_string()),
        origin: c.origin().to_string(),
        purpose: c.purpose().as_str().to_string(),
    }
}

/// A stored machine name that no longer parses is a corrupt row.
fn parse_enum<T>(parsed: std::result::Result<T, baken_core::validation::Problem>) -> Result<T> {
    parsed.map_err(|p| StoreError::Corrupt(format!("stored value: {p:?}")))
}

fn user_from_row(row: &DbRow) -> Result<User> {
    rows::UserRow::from_row(row)?.into_user()
}

const USER_COLUMNS: &str =
    "u.id, u.org_id, u.email, u.display_name, u.roles, u.active, u.password_change_required";

/// A signal's columns, its area named as in its newest year (as `AreaStore::area` does; the
/// primary key's order, so one index probe per row, where `MAX(name)` read every area).
const SIGNAL_COLUMNS: &str =
    "s.id, s.owner_org, o.name AS owner_org_name, s.created_by, s.received_at, \
    s.observed_on, s.source_kind, s.source_reliability, s.information_credibility, s.title, \
    s.description, s.area_code, \
    s.area_name, s.lat_micro, s.lon_micro, s.address, s.classification, s.sharing, s.status, \
    s.retention_until, s.deadline, s.assigned_user, \
    (SELECT au.display_name FROM app_user au WHERE au.id = s.assigned_user) AS assigned_user_name, \
    s.assigned_team, s.created_at, s.updated_at";

fn signal_from_row(row: &DbRow) -> Result<Signal> {
    rows::SignalRow::from_row(row)?.into_signal()
}

/// Appends the predicate "the caller may see signal `s`" (DESIGN.md §4): its audience row
/// for the caller's organisation holds today (`audience.rs`), with the role's rules on top.
fn push_visible(qb: &mut QueryBuilder<'_, Db>, caller: &Caller, today: Date) {
    push_sight(qb, caller, today, Sight::See);
}

fn push_sight(qb: &mut QueryBuilder<'_, Db>, caller: &Caller, today: Date, sight: Sight) {
    qb.push("EXISTS (SELECT 1 FROM signal_audience va WHERE va.signal_id = s.id AND ");
    push_audience(qb, (caller, sight), today, PlanKeys::Bound);
    qb.push(")");
}

/// Appends "the status in `column` (a signal's `s.status` or its audience row's
/// `va.status`) satisfies `predicate`" (the predicates are `baken_core::status`'s, which the
/// pages use too).
fn push_status_in(
    qb: &mut QueryBuilder<'_, Db>,
    column: &str,
    predicate: impl Fn(SignalStatus) -> bool,
) {
    qb.push(format_args!("{column} IN ("));
    let mut list = qb.separated(", ");
    for status in SignalStatus::all_where(predicate) {
        list.push_bind(status.slug());
    }
    qb.push(")");
}

/// How a statement over signals carries the values its best plan depends on: the caller's
/// organisation (how many signals it sees), a theme and an area (how many signals they hold).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PlanKeys {
    /// As parameters, like every other value.
    Bound,
    /// Written into the statement, so that it is a statement of its own for each of them:
    /// PostgreSQL plans it once per connection for those values (a plan for all values of a
    /// statement whose values choose the plan would suit some and not others), where planning
    /// it for each execution cost more than running it (BENCHMARKS.md, issue 13). Only codes
    /// are written ([`push_plan_key`]). (The embedded engine's list keeps them bound.)
    #[allow(dead_code)]
    Written,
}

/// Appends `value` as [`PlanKeys`] says: a code or an identifier (ASCII letters, digits,
/// hyphens, underscores; at most 64) written as a string literal, anything else bound.
fn push_plan_key(qb: &mut QueryBuilder<'_, Db>, value: &str, keys: PlanKeys) {
    let a_code = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    match keys {
        PlanKeys::Written if a_code => {
            qb.push(format_args!("'{value}'"));
        }
        PlanKeys::Written | PlanKeys::Bound => {
            qb.push_bind(value.to_string());
        }
    }
}

/// What a query over signals reads of each besides its audience row.
#[derive(Debug, Clone, Copy)]
enum Reads<'a> {
    /// The signal's own row (`s`): its columns, status or time.
    Signal,
    /// Only which signals (a count, a page's keys), for this caller: the signal's own row is
    /// read only when a filter or the caller's part of the audience tests it (a bounded count
    /// of a frequent word spent half its time reading rows it did not look at).
    Ids(&'a Caller, Sight),
}

/// Whether the filter's "open" is a condition of its own: what awaits triage is open
/// (`baken_core::status`), so an overdue filter, read from the audience rows, says it already.
fn tests_open(filter: &SignalFilter) -> bool {
    filter.open && !filter.overdue
}

/// Whether [`push_where`]'s conditions for `filter` and `who` test the signal's own row.
fn tests_signal_row(filter: &SignalFilter, (caller, sight): (&Caller, Sight)) -> bool {
    let SignalFilter {
        theme: _,
        indicator: _,
        area: _,
        text: _,
        status: _,
        open: _,
        received_from,
        received_until,
        overdue: _,
        mine,
    } = filter;
    received_from.is_some()
        || received_until.is_some()
        || *mine
        || audience::audience_of(caller, sight) == Some(audience::Audience::OwnRegistrations)
}

/// Appends the signals a query reads: each with its audience row `va` (one per signal on
/// any day), its own row `s` as `reads` needs it, the matches of a search where the engine
/// starts from them, and, for a theme or area filter, that theme's or area's row — joins, so
/// that the database can start from whichever is smallest. [`push_where`] completes it.
fn push_from(
    qb: &mut QueryBuilder<'_, Db>,
    (filter, keys): (&SignalFilter, PlanKeys),
    search: Option<&Search>,
    reads: Reads<'_>,
) {
    if let Some(prepared) = search {
        push_text_source(qb, prepared);
    }
    qb.push(" signal_audience va");
    let whole = match reads {
        Reads::Signal => true,
        Reads::Ids(caller, sight) => tests_signal_row(filter, (caller, sight)),
    };
    if whole {
        qb.push(" JOIN signal s ON s.id = va.signal_id");
    }
    // A search whose own query holds the code exactly has only matches inside the theme or
    // area (migration 0063): their rows add nothing.
    let joined = |kind: Code, code: &str| {
        search.is_none_or(|s| code_in_search(s, kind, code) != InSearch::Exactly)
    };
    if let Some(theme) = filter.theme.as_deref().filter(|t| joined(Code::Theme, t)) {
        qb.push(" JOIN signal_theme ft ON ft.signal_id = va.signal_id AND ft.theme = ");
        push_plan_key(qb, theme, keys);
    }
    if let Some(area) = filter
        .area
        .as_ref()
        .filter(|a| joined(Code::Area, a.as_str()))
    {
        qb.push(" JOIN signal_area fa ON fa.signal_id = va.signal_id AND fa.area_code = ");
        push_plan_key(qb, area.as_str(), keys);
    }
}

/// The kinds of code a list's filter may narrow a search by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Code {
    Theme,
    Area,
}

/// How an engine's search holds a filter's code in its own query (`code_in_search`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum InSearch {
    /// Not at all: the filter's join alone narrows.
    Not,
    /// As a narrowing that may let a few others through: the join decides.
    #[allow(
        dead_code,
        reason = "made by SQLite's code_in_search; this module is compiled once per engine"
    )]
    Among,
    /// Exactly: the search finds nothing outside the theme or area.
    Exactly,
}

/// Appends ` WHERE` with what the caller may see (or count) today and the filters of
/// [`push_from`]'s query; `search` is the engine's prepared form of `filter.text`.
fn push_where(
    qb: &mut QueryBuilder<'_, Db>,
    who: (&Caller, Sight),
    (filter, keys): (&SignalFilter, PlanKeys),
    search: Option<&Search>,
    today: Date,
) {
    let (caller, _) = who;
    qb.push(" WHERE ");
    push_audience(qb, who, today, keys);
    push_filters(qb, filter, search, caller, today);
}

/// Appends the filters; `search` is the engine's prepared form of `filter.text`.
fn push_filters(
    qb: &mut QueryBuilder<'_, Db>,
    filter: &SignalFilter,
    search: Option<&Search>,
    caller: &Caller,
    today: Date,
) {
    if filter.overdue {
        // The audience row's triage deadline (migration 0053): one index range of the
        // caller's rows that await triage, newest first.
        qb.push(" AND va.triage_deadline < ").push_bind(date(today));
    }
    if filter.mine {
        qb.push(" AND s.assigned_user = ")
            .push_bind(caller.user().to_string());
    }
    match (&filter.text, search) {
        (_, Some(prepared)) => push_text_match(qb, prepared),
        // A search without a single word finds nothing, rather than everything.
        (Some(_), None) => {
            qb.push(" AND 1 = 0");
        }
        (None, None) => {}
    }
    if let Some(indicator) = &filter.indicator {
        qb.push(
            " AND EXISTS (SELECT 1 FROM signal_indicator fi WHERE fi.signal_id = va.signal_id AND fi.indicator = ",
        )
        .push_bind(indicator.clone())
        .push(")");
    }
    // The status from the audience row (migration 0060 on SQLite, 0059 on PostgreSQL): one
    // status is a range of `signal_audience_status`; "open", several statuses, is tested on
    // the rows of the walk newest first.
    if let Some(status) = filter.status {
        qb.push(" AND va.status = ").push_bind(status.slug());
    }
    if tests_open(filter) {
        qb.push(" AND ");
        push_status_in(qb, "va.status", SignalStatus::is_open);
    }
    if let Some(from) = filter.received_from {
        qb.push(" AND s.received_on >= ").push_bind(date(from));
    }
    if let Some(until) = filter.received_until {
        qb.push(" AND s.received_on <= ").push_bind(date(until));
    }
}

/// One signal's text for the search index, folded as searches are (`search_tokens`).
pub(super) struct SearchDocument {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) subjects: String,
    /// The subjects' words for near-miss names (`text::near_names`; PostgreSQL's only).
    #[allow(
        dead_code,
        reason = "read by PostgreSQL's index_signals; this module is compiled once per engine"
    )]
    pub(super) names: String,
}

impl SearchDocument {
    pub(super) fn new(
        id: String,
        (title, description): (&str, &str),
        subjects: &[baken_core::subject::NewSubject],
    ) -> Self {
        SearchDocument {
            id,
            title: baken_core::text::words_text(title),
            description: baken_core::text::words_text(description),
            subjects: crate::text::subjects_text(subjects),
            names: crate::text::near_names(subjects),
        }
    }
}

/// How a list's keyset column holds its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyTime {
    /// A calendar day (`YYYY-MM-DD`); cursors carry it as midnight UTC ([`Cursor::on_day`]).
    Day,
    /// A moment as [`ts`] writes it.
    Moment,
}

/// Appends to a query over a list ordered newest first by (`time`, `id`) the page's side of
/// its cursor (`AND (time, id) < or > the cursor`), the order to read in, and a limit of one
/// more than the page (which says whether there is more): one index range however deep the
/// page. Read the rows with [`Page::from_rows`].
pub(super) fn push_page(
    qb: &mut QueryBuilder<'_, Db>,
    (time, id): (&str, &str),
    key: KeyTime,
    page: PageRequest,
) {
    let nearest_first_ascending = match page.from {
        None => false,
        Some((side, cursor)) => {
            let op = match side {
                Side::After => "<",
                Side::Before => ">",
            };
            let at = match key {
                KeyTime::Day => date(cursor.at().date()),
                KeyTime::Moment => ts(cursor.at()),
            };
            qb.push(format_args!(" AND ({time} {op} "))
                .push_bind(at.clone())
                .push(format_args!(" OR ({time} = "))
                .push_bind(at)
                .push(format_args!(" AND {id} {op} "))
                .push_bind(cursor.id().to_string())
                .push("))");
            side == Side::Before
        }
    };
    let order = if nearest_first_ascending {
        "ASC"
    } else {
        "DESC"
    };
    qb.push(format_args!(
        " ORDER BY {time} {order}, {id} {order} LIMIT {}",
        page_limit(page)
    ));
}

/// A page query's limit: one more than the page (which says whether there is more), written
/// into the statement rather than bound. SQLite weighs walking an index in the list's order
/// against sorting only when it knows the limit: with a bound one it walked all 1,000,000 of
/// an organisation's rows for a page of one area (8.6 s; BENCHMARKS.md, 2026-12-06).
pub(super) fn page_limit(page: PageRequest) -> u64 {
    u64::from(page.size) + 1
}

/// The total of a keyset-paged list whose page shows `shown` rows: a first page that holds
/// everything is its own count; otherwise the rows `selected` names (a query begun as
/// `SELECT 1 FROM … WHERE …` with the list's own conditions) are counted up to
/// [`Total::BOUND`].
pub(super) async fn page_total(
    tx: &mut Transaction<'static, Db>,
    (page, shown): (PageRequest, usize),
    selected: QueryBuilder<'_, Db>,
) -> Result<Total> {
    if page.from.is_none() && shown <= page.size as usize {
        return Ok(Total::Exact(shown as u64));
    }
    Ok(Total::from_bounded(count_past_bound(tx, selected).await?))
}

/// A page of a list as its audit event records it: how many rows it showed, of how many
/// (a count that stopped at the bound ends in "+"), and where it began — the cursor's token,
/// or "first".
pub(super) fn page_detail<T>(list: &Page<T>, page: PageRequest) -> String {
    let from = page
        .from
        .map(|(side, c)| c.token(side))
        .unwrap_or_else(|| "first".into());
    format!(
        "shown={} total={}{} from={from}",
        list.items.len(),
        list.total.count(),
        if list.total.is_lower_bound() { "+" } else { "" },
    )
}

/// Counts the rows `selected` names (a query begun as `SELECT COUNT(*) FROM (SELECT 1 FROM …
/// WHERE …`) up to just past [`Total::BOUND`] — never a walk over everything.
pub(super) async fn count_past_bound(
    tx: &mut Transaction<'static, Db>,
    mut selected: QueryBuilder<'_, Db>,
) -> Result<u64> {
    selected
        .push(" LIMIT ")
        .push_bind(Total::BOUND as i64 + 1)
        .push(") AS n");
    let counted: i64 = selected.build_query_scalar().fetch_one(&mut **tx).await?;
    Ok(counted.max(0) as u64)
}

/// Inserts `rows` with multi-row `INSERT … VALUES` statements, keeping each statement under
/// the engines' bind-parameter limits.
pub(super) async fn insert_rows<T>(
    tx: &mut Transaction<'static, Db>,
    head: &str,
    rows: &[T],
    columns: usize,
    mut bind: impl FnMut(&mut sqlx::query_builder::Separated<'_, 'static, Db, &'static str>, &T),
) -> Result<()> {
    const MAX_BINDS: usize = 30_000;
    for chunk in rows.chunks((MAX_BINDS / columns).max(1)) {
        let mut qb = QueryBuilder::<'static, Db>::new(head);
        qb.push_values(chunk, |mut b, row| bind(&mut b, row));
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

fn unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// One blocking key to read from `subject_key` (see each engine's `key_blocks_query`):
/// its first rows, or only its latest subject.
pub(super) struct KeyBlock<'a> {
    pub(super) kind: &'static str,
    pub(super) key: &'a str,
    pub(super) latest_only: bool,
}

#[async_trait]
impl crate::Store for EngineStore {
    fn engine(&self) -> crate::Engine {
        ENGINE
    }

    async fn close(&self) {
        super::before_close(&self.pool).await;
        self.pool.close().await;
    }
}
