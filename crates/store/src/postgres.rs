//! The server engine: PostgreSQL, chosen with `BAKEN_DATABASE_URL=postgres://…`.

use sqlx::postgres::PgPoolOptions;
use sqlx::Pool;

type Db = sqlx::Postgres;
type DbRow = sqlx::postgres::PgRow;

/// A search as PostgreSQL runs it: its words, and its matches when they are few enough to be
/// the first table of the query (otherwise the caller's audience rows, newest first, are
/// tested one by one until a page is full).
struct Search {
    words: String,
    /// The filter's theme and area as a query of the documents' codes ([`codes_query`]), for a
    /// search with few matches.
    codes: Option<String>,
    /// The codes that query holds (none without it): the joins they make unneeded
    /// (`code_in_search`).
    held: Vec<(engine::Code, String)>,
    /// The names near the words, when every spelled word is near a name's word.
    near: Option<Near>,
    matches: Matches,
}

/// What a document's names must hold to be near a search's words ([`push_near`]).
#[derive(Clone)]
struct Near {
    /// For each spelled word, the name words near it (the vocabulary of migration 0057), as a
    /// query of the document's words: `('jan' | 'jans') & ('vries' | 'fries')`.
    words: String,
    /// The spelled words as a run, which the names must be near as a run.
    run: String,
    /// The identifiers among the words, as typed or as the start of a longer one (they have
    /// no spellings).
    typed: Option<String>,
    /// How many documents the near names surely match, as the vocabulary counts them: for
    /// one spelled word and no identifiers, the documents whose names hold its most frequent
    /// near word (a name word near the spelled word leaves its names near it: pg_trgm's word
    /// similarity with the names is at least that with the word); otherwise 0.
    at_least: i64,
    /// The search's codes ([`Search::codes`]), which the documents must also hold.
    codes: Option<String>,
}

/// What [`prepare_search`] found of a search's matches.
enum Matches {
    /// All of them (at most [`MATCHES_FIRST_UP_TO`]): the count and the page join these ids
    /// to the caller's audience rows and plan no text condition of their own.
    Few(Vec<String>),
    /// More than that, or an estimate of the words as written above
    /// [`estimate_means_many`]: the list walks the caller's rows and looks each one up.
    /// Holds the matches read before they were known to be many (none when the estimate said
    /// so).
    Many(Vec<String>),
    /// The words as written alone, of a search with many matches ([`counting_part`]).
    ManyWritten,
}

/// The part of a search whose matches are also the search's and cheap to count, for a search
/// with many matches: the matches already read (joined like a search with few), or else the
/// words as written (a name near the words costs several times more to test). When the caller
/// sees more than the bound of these, the count stops there.
fn counting_part(search: &Search) -> Option<Search> {
    match &search.matches {
        Matches::Many(read) if !read.is_empty() => Some(Search {
            words: search.words.clone(),
            codes: None,
            held: Vec::new(),
            near: None,
            matches: Matches::Few(read.clone()),
        }),
        Matches::Many(_) => Some(Search {
            words: search.words.clone(),
            codes: None,
            held: Vec::new(),
            near: None,
            matches: Matches::ManyWritten,
        }),
        Matches::Few(_) | Matches::ManyWritten => None,
    }
}

/// A pooled connection idle at least this long is tested before it is used again (HikariCP's
/// window for connections used moments ago is the same); one the server closed within it
/// fails the first statement of its next transaction, which then takes another connection
/// (`engine::begin_on`).
const TEST_AFTER_IDLE: std::time::Duration = std::time::Duration::from_millis(500);

/// How long opening the store waits for its first connection (the pool's own wait).
const FIRST_CONNECTION_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Up to this many matches, reading the matches and sorting them beats walking the newest
/// signals until a page of matches is found: with n matches among N signals, the one reads
/// n rows, the other about 25·N/n; they cross near √(25·N), about 5,000 at 1,000,000 signals.
const MATCHES_FIRST_UP_TO: usize = 5_000;
/// Above this many estimated matches of the words as written, a search has many matches
/// without reading them: twice the matches it would read first, a margin for the estimate
/// (10,000 with [`MATCHES_FIRST_UP_TO`]).
fn estimate_means_many(up_to: usize) -> f64 {
    2.0 * up_to as f64
}
const ENGINE: crate::Engine = crate::Engine::Postgres;
/// PostgreSQL's search table has no order of receipt: a page of a frequent word walks the
/// newest signals instead (`Matches::Many`), and nothing narrows it.
const SEARCH_DOC: Option<&str> = None;
/// PostgreSQL's search meets the audience by signal: its rows keep no search document.
const AUDIENCE_DOC: Option<(&str, &str)> = None;
/// How a read planned once begins: the transaction's prepared statements run their generic
/// plan (sent with the BEGIN, so no round trip of its own).
const BEGIN_PLANNED_ONCE: Option<&str> =
    Some("BEGIN; SET LOCAL plan_cache_mode = force_generic_plan");
/// How a read planned for each execution's values begins.
const BEGIN_PLANNED_EACH_TIME: Option<&str> =
    Some("BEGIN; SET LOCAL plan_cache_mode = force_custom_plan");
/// A theme's or area's list is a statement of its own for each organisation, theme and area,
/// planned once per connection (`engine::list_planning`).
const LIST_PLAN_KEYS: engine::PlanKeys = engine::PlanKeys::Written;

fn narrow_search(_search: &mut Search, _nth: i64, _side: baken_core::page::Side) {}
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub struct PgStore {
    pool: Pool<Db>,
    areas: crate::AreaCache,
    catalogue: crate::CatalogueCache,
    /// The audit chain's key, when the installation has one (`crate::anchor`).
    audit_key: Option<baken_core::audit::AuditKey>,
    /// The queue of read events to the task that commits them in groups.
    reads: engine::ReadLog,
    /// Up to how many matches a search reads them first ([`MATCHES_FIRST_UP_TO`]; lowered
    /// by tests, so that a small store has searches with many matches).
    matches_first_up_to: usize,
}
// The engine code is one module compiled once per engine (for its own `Db` and `EngineStore`).
#[allow(clippy::duplicate_mod)]
#[path = "engine/mod.rs"]
mod engine;
use baken_core::signal::SignalFilter;
use engine::{KeyBlock, SearchDocument};

type EngineStore = PgStore;

impl PgStore {
    /// The store with the audit chain's key: events from now on carry keyed hashes.
    pub fn with_audit_key(mut self, key: baken_core::audit::AuditKey) -> Self {
        self.audit_key = Some(key);
        self
    }

    pub async fn connect(url: &str) -> crate::Result<Self> {
        // Just-in-time compilation is for long analytical queries: on Baken's short ones,
        // whose cost estimates a large table inflates, compiling took longer than running
        // (300–500 ms of a search at 20,000 signals). Off for Baken's own connections.
        // So are parallel workers: a generic plan for a bounded count chose a parallel scan
        // once a second organisation had rows in the audience, and starting its two workers
        // took 9 of the 9.5 ms it ran (0.5 ms without them; an overdue list at 1,000,000
        // signals fell from 1,867 to 617 requests a second; BENCHMARKS.md). Each request is
        // one of many at once: the cores are better spent on the others.
        let options = url
            .parse::<sqlx::postgres::PgConnectOptions>()?
            .options([("jit", "off"), ("max_parallel_workers_per_gather", "0")]);
        // The first connection is made by hand: the pool tries a refused or failed connection
        // again until its wait is over and then says only that it waited; the server's own
        // answer (refused, no such database, login refused) says what to fix.
        let first = tokio::time::timeout(
            FIRST_CONNECTION_WAIT,
            <sqlx::PgConnection as sqlx::Connection>::connect_with(&options),
        )
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)??;
        sqlx::Connection::close(first).await?;
        let pool = PgPoolOptions::new()
            .max_connections(10)
            // A connection that has waited in the pool a while is tested before it is handed
            // out (the server may have closed it); one in constant use is not: sqlx's test of
            // every acquisition was a round trip of its own for each read and each lookup of a
            // session (BENCHMARKS.md, issue 13).
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for < TEST_AFTER_IDLE {
                        return Ok(true);
                    }
                    Ok(sqlx::Connection::ping(conn).await.is_ok())
                })
            })
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        engine::ensure_audience(&pool).await?;
        engine::ensure_tally(&pool).await?;
        engine::ensure_code_copies(&pool).await?;
        after_areas_written(&pool).await;
        Ok(Self {
            pool,
            areas: crate::AreaCache::default(),
            catalogue: crate::CatalogueCache::default(),
            audit_key: None,
            reads: engine::ReadLog::default(),
            matches_first_up_to: MATCHES_FIRST_UP_TO,
        })
    }

    /// The store with searches reading their matches first up to `matches` only: a test's
    /// few signals then make a search with many matches.
    #[cfg(feature = "test-support")]
    pub fn with_matches_first_up_to(mut self, matches: usize) -> Self {
        self.matches_first_up_to = matches;
        self
    }

    /// The pool, for tests that tamper with stored rows as a database administrator could.
    pub fn raw_pool(&self) -> &Pool<Db> {
        &self.pool
    }

    /// Where the vocabulary of name words (`signal_name_word`) and the search documents'
    /// names disagree on a word's number of documents, as `word: vocabulary ≠ documents`,
    /// and where a document's codes are not its signal's themes and areas (empty when all
    /// agree): the invariant the conformance suite checks after intake, corrections and
    /// purges.
    pub async fn search_out_of_step(&self) -> crate::Result<Vec<String>> {
        let rows: Vec<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT COALESCE(k.word, d.word), k.docs, d.docs FROM signal_name_word k \
             FULL JOIN (SELECT w.word, COUNT(*) AS docs FROM signal_search sx \
             CROSS JOIN LATERAL (SELECT DISTINCT t.word \
             FROM regexp_split_to_table(sx.names, ' ') AS t(word) WHERE t.word <> '') AS w \
             GROUP BY w.word) d ON d.word = k.word \
             WHERE k.docs IS DISTINCT FROM d.docs ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut off: Vec<String> = rows
            .into_iter()
            .map(|(w, kept, docs)| format!("{w}: {kept:?} ≠ {docs:?}"))
            .collect();
        // Each document's codes (migration 0063) are its signal's themes and areas.
        let codes: Vec<(String, String, String)> = sqlx::query_as(&format!(
            "SELECT c.signal_id, c.held, c.rows FROM (SELECT sx.signal_id, \
             array_to_string(ARRAY(SELECT l FROM unnest(tsvector_to_array(sx.document)) l \
             WHERE l LIKE '#%' ORDER BY l), ' ') AS held, \
             array_to_string(ARRAY(SELECT l FROM unnest(tsvector_to_array({})) l \
             ORDER BY l), ' ') AS rows FROM signal_search sx) c \
             WHERE c.held <> c.rows ORDER BY 1",
            codes_of("sx.signal_id")
        ))
        .fetch_all(&self.pool)
        .await?;
        off.extend(
            codes
                .into_iter()
                .map(|(signal, held, rows)| format!("{signal} codes: {held} ≠ {rows}")),
        );
        Ok(off)
    }
}

/// Before the pool closes: nothing to do (the server owns its files).
async fn before_close(_pool: &sqlx::Pool<Db>) {}

/// After areas were written (and when the store opens): the area table's pages are marked
/// all-visible, so that naming a signal's areas reads the index alone (migration 0054) —
/// autovacuum leaves a table of a few hundred rows alone. A failure costs speed, not
/// correctness, and is logged.
async fn after_areas_written(pool: &sqlx::Pool<Db>) {
    if let Err(e) = sqlx::query("VACUUM (ANALYZE) area").execute(pool).await {
        tracing::warn!(error = %e, "VACUUM of the area table failed");
    }
}

async fn prepare_search(
    store: &PgStore,
    tx: &mut sqlx::Transaction<'static, Db>,
    (text, filter, after): (&str, &SignalFilter, engine::AfterSearch),
) -> crate::Result<Option<Search>> {
    let up_to = store.matches_first_up_to;
    let tokens = crate::text::search_tokens(text);
    if tokens.is_empty() {
        return Ok(None);
    }
    let words = tokens.join(" ");
    // A theme's or area's code narrows every part of the search (migration 0063).
    let filtered = filter_codes(filter);
    let codes = codes_query(&filtered);
    let codes = codes.as_deref();
    // The matches themselves, up to just past the bound: those of the words as written, then
    // (when these are few) those of the names near them. The count and the page that follow
    // join these ids and plan no text condition of their own: planning the name condition
    // with the words is what a search with few matches cost most (its selectivity is
    // estimated by trying the words on a sample of names: 1–4 ms, against a tenth of a
    // millisecond to run it), and a search planned it three times (BENCHMARKS.md, issue 13).
    let many = written_estimate(tx, &words, codes).await? > estimate_means_many(up_to);
    let mut ids: Vec<String> = Vec::new();
    if !many {
        let mut qb =
            sqlx::QueryBuilder::<Db>::new("SELECT sx.signal_id FROM signal_search sx WHERE ");
        push_written(&mut qb, &words, codes);
        qb.push(format_args!(" LIMIT {}", up_to + 1));
        ids = qb.build_query_scalar().fetch_all(&mut **tx).await?;
    }
    let mut few = !many && ids.len() <= up_to;
    let (identifiers, spelled): (Vec<&str>, Vec<&str>) = words
        .split(' ')
        .partition(|w| crate::text::is_identifier(w));
    let mut near = None;
    if !spelled.is_empty() {
        let settings = IndexPlans::begin(tx).await?;
        near = near_words(tx, &spelled, &identifiers).await?;
        if let Some(n) = &mut near {
            n.codes = codes.map(str::to_string);
        }
        if let (Some(n), true) = (&near, few) {
            // When the vocabulary already knows the near names to be many, only as many are
            // read as a count needs to pass its bound (`counting_part`): reading 5,001 near
            // documents of a frequent name only to learn they are many was 38 ms of the 48
            // a search for "bakkr" took (BENCHMARKS.md, issue 13).
            let known_many = n.at_least > up_to as i64;
            let read_up_to = if known_many {
                usize::try_from(baken_core::signal::Total::BOUND).unwrap_or(up_to)
            } else {
                up_to
            };
            let written: std::collections::HashSet<String> = ids.iter().cloned().collect();
            let found = near_documents(tx, n, read_up_to).await?;
            ids.extend(found.into_iter().filter(|id| !written.contains(id)));
            few = !known_many;
        }
        settings.end(tx).await?;
    }
    let few = few && ids.len() <= up_to;
    // The codes stay in a search with few matches only. Many matches within a theme (the
    // 23,753 of "woning" within drugs at 1,000,000 signals) are counted faster from the
    // theme's rows, which a count walks as far as its bound, than from the document index,
    // which yields them all before the first is looked up (134 ms against 22; BENCHMARKS.md,
    // issue 13). The matches read are matches either way.
    let codes = codes.filter(|_| few).map(str::to_string);
    let held = if codes.is_some() {
        filtered
    } else {
        Vec::new()
    };
    if let Some(n) = &mut near {
        n.codes.clone_from(&codes);
    }
    if few || !ids.is_empty() {
        // Matches read are joined in the order written: left to choose, PostgreSQL walked the
        // caller's audience rows newest first hoping to meet matches early — all 1,000,000 of
        // them for a word that matches nothing (17 s; BENCHMARKS.md, issue 13). (A walk of
        // many matches has no join it could reorder.) With all its matches read, a list's
        // count and page have that one plan whatever the words: they are planned once per
        // connection, not for each search (planning the page cost 0.47 ms against 0.01 ms to
        // run it for a search without a hit; BENCHMARKS.md). Only when the list's count and
        // page are all that follows: other statements keep the transaction's planning.
        let settings = match (few, after) {
            (true, engine::AfterSearch::ListPage) => {
                "SET LOCAL join_collapse_limit = 1; SET LOCAL plan_cache_mode = force_generic_plan"
            }
            _ => "SET LOCAL join_collapse_limit = 1",
        };
        // Sent as one simple query: one round trip.
        sqlx::Executor::execute(&mut **tx, settings).await?;
    }
    let matches = if few {
        Matches::Few(ids)
    } else {
        Matches::Many(ids)
    };
    Ok(Some(Search {
        words,
        codes,
        held,
        near,
        matches,
    }))
}

/// How many documents the planner expects the words as written to match. A word as frequent
/// as a common first name is known by these statistics (cheap to plan, unlike the names'):
/// reading its first 5,001 matches only to learn that they are many cost more (17 ms at
/// 100,000 signals).
async fn written_estimate(
    tx: &mut sqlx::Transaction<'static, Db>,
    words: &str,
    codes: Option<&str>,
) -> crate::Result<f64> {
    let mut qb = sqlx::QueryBuilder::<Db>::new(
        "EXPLAIN (FORMAT JSON) SELECT 1 FROM signal_search sx WHERE ",
    );
    push_written(&mut qb, words, codes);
    let plan: serde_json::Value = qb
        .build_query_scalar()
        .persistent(false)
        .fetch_one(&mut **tx)
        .await?;
    Ok(plan
        .pointer("/0/Plan/Plan Rows")
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(f64::MAX))
}

/// The statements between [`IndexPlans::begin`] and [`IndexPlans::end`] run their generic
/// plans with sequential scans off: a custom plan estimated a trigram condition by trying it
/// on a sample of rows, which cost more than running it, and a generic plan assumes 1 % of
/// the rows match, so that with a limit a large table could look cheaper to read from the
/// start. `end` puts the transaction's settings back as they were.
struct IndexPlans {
    cache_mode: String,
    seqscan: String,
}

impl IndexPlans {
    async fn begin(tx: &mut sqlx::Transaction<'static, Db>) -> crate::Result<Self> {
        // The settings as they were (read in the fenced subquery, before the outer row sets
        // them).
        let (cache_mode, seqscan, _, _): (String, String, String, String) = sqlx::query_as(
            "SELECT was.cache_mode, was.seqscan, \
             set_config('plan_cache_mode', 'force_generic_plan', true), \
             set_config('enable_seqscan', 'off', true) \
             FROM (SELECT current_setting('plan_cache_mode') AS cache_mode, \
             current_setting('enable_seqscan') AS seqscan OFFSET 0) AS was",
        )
        .fetch_one(&mut **tx)
        .await?;
        Ok(Self {
            cache_mode,
            seqscan,
        })
    }

    async fn end(self, tx: &mut sqlx::Transaction<'static, Db>) -> crate::Result<()> {
        sqlx::query(
            "SELECT set_config('plan_cache_mode', $1, true), set_config('enable_seqscan', $2, true)",
        )
        .bind(self.cache_mode)
        .bind(self.seqscan)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// At most this many name words near one spelled word are looked for in the documents, the
/// nearest first: a short word ("de") is near every word that begins with it.
const NEAR_WORDS_UP_TO: i64 = 64;

/// The names near the spelled words: each spelled word is looked up in the vocabulary of name
/// words (migration 0057) — tens of thousands of words, not a million documents' names, whose
/// trigram index read the long lists of common trigrams ("pieter…") on every search (26 ms at
/// 1,000,000 signals; BENCHMARKS.md, issue 13). None when a spelled word is near no name's
/// word. Runs inside [`IndexPlans`].
async fn near_words(
    tx: &mut sqlx::Transaction<'static, Db>,
    spelled: &[&str],
    identifiers: &[&str],
) -> crate::Result<Option<Near>> {
    let mut groups = Vec::with_capacity(spelled.len());
    let mut most_documents = 0;
    for word in spelled {
        let near: Vec<(String, i64)> = sqlx::query_as(
            "SELECT v.word, v.docs FROM signal_name_word v WHERE $1 <% v.word \
             ORDER BY word_similarity($1, v.word) DESC, v.docs DESC, v.word LIMIT $2",
        )
        .bind(*word)
        .bind(NEAR_WORDS_UP_TO)
        .fetch_all(&mut **tx)
        .await?;
        if near.is_empty() {
            return Ok(None);
        }
        most_documents = near.iter().map(|(_, docs)| *docs).max().unwrap_or(0);
        let quoted: Vec<String> = near.iter().map(|(w, _)| lexeme(w)).collect();
        groups.push(format!("({})", quoted.join(" | ")));
    }
    let typed = (!identifiers.is_empty()).then(|| {
        identifiers
            .iter()
            .map(|w| format!("{w}:*"))
            .collect::<Vec<_>>()
            .join(" & ")
    });
    let at_least = match (spelled, identifiers) {
        ([_], []) => most_documents,
        _ => 0,
    };
    Ok(Some(Near {
        words: groups.join(" & "),
        run: spelled.join(" "),
        typed,
        at_least,
        codes: None,
    }))
}

/// The documents whose names are near the words (up to just past `up_to`), read through the
/// document index. Runs inside [`IndexPlans`].
async fn near_documents(
    tx: &mut sqlx::Transaction<'static, Db>,
    near: &Near,
    up_to: usize,
) -> crate::Result<Vec<String>> {
    let mut qb = sqlx::QueryBuilder::<Db>::new("SELECT sx.signal_id FROM signal_search sx WHERE ");
    push_near(&mut qb, near);
    qb.push(format_args!(" LIMIT {}", up_to + 1));
    Ok(qb.build_query_scalar().fetch_all(&mut **tx).await?)
}

/// The condition "document `sx` matches the search": [`push_written`] or [`push_near`]. Each
/// part can use the document index.
fn push_match(qb: &mut sqlx::QueryBuilder<'_, Db>, search: &Search) {
    qb.push("(");
    push_written(qb, &search.words, search.codes.as_deref());
    qb.push(" OR ");
    match &search.near {
        Some(near) => push_near(qb, near),
        None => {
            qb.push("FALSE");
        }
    }
    qb.push(")");
}

/// Every word as written, or a longer word it or its Dutch stem starts ("drugs" finds
/// "drugslab", "woningen" finds "woning", "loodsen" finds "loods"; the words are letters and
/// digits only; the stem is the same Snowball stem the `dutch` configuration uses, given as a
/// prefix of its own, so that a word whose stem is shorter than itself still finds it).
fn push_written(qb: &mut sqlx::QueryBuilder<'_, Db>, words: &str, codes: Option<&str>) {
    let terms = words
        .split(' ')
        .map(|w| {
            let prefixes = crate::text::search_prefixes(w);
            if prefixes.is_empty() {
                w.to_string()
            } else {
                let alternatives: Vec<String> = prefixes.iter().map(|p| format!("{p}:*")).collect();
                format!("({})", alternatives.join(" | "))
            }
        })
        .collect::<Vec<_>>()
        .join(" & ");
    qb.push("((sx.document @@ to_tsquery('dutch', ")
        .push_bind(terms)
        .push(")");
    push_codes(qb, codes);
    qb.push(") OR (sx.document @@ plainto_tsquery('simple', ")
        .push_bind(words.to_string())
        .push(")");
    push_codes(qb, codes);
    qb.push("))");
}

/// A search document's theme and area codes (migration 0063) are lexemes of their own: the
/// code after one of these. The parser never starts a lexeme with '#', and a search's words
/// and prefixes are letters and digits, so that no word meets a code.
const THEME_LEXEME: &str = "#t:";
const AREA_LEXEME: &str = "#a:";

/// The codes of the signal whose id is the expression `id`, as a `tsvector` (migration 0063
/// writes the same).
fn codes_of(id: &str) -> String {
    format!(
        "array_to_tsvector(ARRAY(SELECT '{THEME_LEXEME}' || t.theme FROM signal_theme t \
         WHERE t.signal_id = {id} UNION ALL SELECT '{AREA_LEXEME}' || a.area_code \
         FROM signal_area a WHERE a.signal_id = {id}))"
    )
}

/// A word or code as a lexeme of a `tsquery`'s text: quoted, its quotes and backslashes
/// doubled.
fn lexeme(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
}

/// The filter's theme and area.
fn filter_codes(filter: &SignalFilter) -> Vec<(engine::Code, String)> {
    let theme = filter.theme.clone().map(|t| (engine::Code::Theme, t));
    let area = (filter.area.as_ref()).map(|a| (engine::Code::Area, a.as_str().to_string()));
    theme.into_iter().chain(area).collect()
}

/// Codes as a query of the documents' codes (`'#t:drugs' & '#a:WK001400'`); None without any.
fn codes_query(codes: &[(engine::Code, String)]) -> Option<String> {
    let lexemes: Vec<String> = codes
        .iter()
        .map(|(kind, code)| {
            let before = match kind {
                engine::Code::Theme => THEME_LEXEME,
                engine::Code::Area => AREA_LEXEME,
            };
            lexeme(&format!("{before}{code}"))
        })
        .collect();
    (!lexemes.is_empty()).then(|| lexemes.join(" & "))
}

/// Appends "and the document holds the codes". A condition of its own, not a part of the
/// words' query: the words of a query that are all stop words make an empty query, which
/// matches nothing, where joined to the codes it would be the codes alone. Both conditions
/// are keys of one scan of the document index.
fn push_codes(qb: &mut sqlx::QueryBuilder<'_, Db>, codes: Option<&str>) {
    if let Some(codes) = codes {
        qb.push(" AND sx.document @@ ")
            .push_bind(codes.to_string())
            .push("::tsquery");
    }
}

/// Names near the words: the document holds a name word near each spelled word, its names are
/// near the spelled words as a run (pg_trgm's word similarity, at its threshold), and it holds
/// the identifiers as typed or as the start of a longer one. The similarity is written as a
/// function, which no index answers: it tests the rows the words found (the names' trigram
/// index is not read).
fn push_near(qb: &mut sqlx::QueryBuilder<'_, Db>, near: &Near) {
    qb.push("(sx.document @@ to_tsquery('simple', ")
        .push_bind(near.words.clone())
        .push(") AND word_similarity(")
        .push_bind(near.run.clone())
        .push(", sx.names) >= current_setting('pg_trgm.word_similarity_threshold')::real");
    if let Some(typed) = &near.typed {
        qb.push(" AND sx.document @@ to_tsquery('simple', ")
            .push_bind(typed.clone())
            .push(")");
    }
    push_codes(qb, near.codes.as_deref());
    qb.push(")");
}

/// An aggregate that joins the texts of a group into one, each ended by the unit separator
/// (U+001F): what comes before and after the expression. Parts of one text are separated by
/// [`PART_SEPARATOR`], the record separator (U+001E). See `engine::attach_codes`.
const JOINED_TEXTS: (&str, &str) = ("string_agg(", " || chr(31), '')");
const PART_SEPARATOR: &str = "chr(30)";

/// PostgreSQL's search documents hold every code as one lexeme (migration 0063): a search
/// that kept a code ([`prepare_search`]) finds nothing outside its theme or area.
fn code_in_search(search: &Search, kind: engine::Code, code: &str) -> engine::InSearch {
    if search.held.iter().any(|(k, c)| *k == kind && c == code) {
        engine::InSearch::Exactly
    } else {
        engine::InSearch::Not
    }
}

/// A search with few matches is the first table of the query: its ids; the join to the
/// caller's audience rows is in `push_text_match`.
fn push_text_source(qb: &mut sqlx::QueryBuilder<'_, Db>, search: &Search) {
    if let Matches::Few(ids) = &search.matches {
        qb.push(" (SELECT unnest(")
            .push_bind(ids.clone())
            .push("::text[]) AS signal_id) f CROSS JOIN");
    }
}

fn push_text_match(qb: &mut sqlx::QueryBuilder<'_, Db>, search: &Search) {
    match search.matches {
        Matches::Few(_) => {
            qb.push(" AND va.signal_id = f.signal_id");
        }
        Matches::Many(_) => {
            // Many matches: each signal of the walk is looked up in the search table.
            qb.push(" AND va.signal_id IN (SELECT sx.signal_id FROM signal_search sx WHERE ");
            push_match(qb, search);
            qb.push(")");
        }
        Matches::ManyWritten => {
            qb.push(" AND va.signal_id IN (SELECT sx.signal_id FROM signal_search sx WHERE ");
            push_written(qb, &search.words, search.codes.as_deref());
            qb.push(")");
        }
    }
}

/// Takes signals out of the search index (before a corrected signal is indexed again).
async fn unindex_signals(
    tx: &mut sqlx::Transaction<'static, Db>,
    ids: &[String],
) -> crate::Result<()> {
    let mut names = Vec::with_capacity(ids.len());
    for id in ids {
        let gone: Option<String> =
            sqlx::query_scalar("DELETE FROM signal_search WHERE signal_id = $1 RETURNING names")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
        names.extend(gone);
    }
    count_name_words(
        tx,
        names.iter().map(String::as_str),
        engine::Change::TakeAway,
    )
    .await
}

/// Counts the words of each document's names (each once per document) in or out of the
/// vocabulary of name words (migration 0057); words no document holds any more leave it.
/// The words are written in their sorted order, so that two transactions meet them in the
/// same order.
async fn count_name_words<'a>(
    tx: &mut sqlx::Transaction<'static, Db>,
    names: impl Iterator<Item = &'a str>,
    change: engine::Change,
) -> crate::Result<()> {
    let sign = change.sign();
    let mut counts: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    for text in names {
        let words: std::collections::BTreeSet<&str> =
            text.split(' ').filter(|w| !w.is_empty()).collect();
        for word in words {
            *counts.entry(word).or_default() += sign;
        }
    }
    if counts.is_empty() {
        return Ok(());
    }
    let (words, docs): (Vec<String>, Vec<i64>) =
        counts.into_iter().map(|(w, n)| (w.to_string(), n)).unzip();
    sqlx::query(
        "INSERT INTO signal_name_word (word, docs) SELECT * FROM unnest($1::text[], $2::bigint[]) \
         ON CONFLICT (word) DO UPDATE SET docs = signal_name_word.docs + excluded.docs",
    )
    .bind(&words)
    .bind(&docs)
    .execute(&mut **tx)
    .await?;
    if change == engine::Change::TakeAway {
        sqlx::query("DELETE FROM signal_name_word WHERE word = ANY($1) AND docs <= 0")
            .bind(&words)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn index_signals(
    tx: &mut sqlx::Transaction<'static, Db>,
    documents: &[SearchDocument],
) -> crate::Result<()> {
    for chunk in documents.chunks(5_000) {
        let mut qb = sqlx::QueryBuilder::<'static, Db>::new(format!(
            "INSERT INTO signal_search (signal_id, document, names) SELECT v.id, \
             setweight(to_tsvector('dutch', v.title), 'A') || to_tsvector('dutch', v.description) \
             || to_tsvector('simple', v.subjects) || {}, v.names FROM (",
            codes_of("v.id")
        ));
        qb.push_values(chunk, |mut b, d| {
            b.push_bind(d.id.clone())
                .push_bind(d.title.clone())
                .push_bind(d.description.clone())
                .push_bind(d.subjects.clone())
                .push_bind(d.names.clone());
        });
        qb.push(") AS v(id, title, description, subjects, names)");
        qb.build().execute(&mut **tx).await?;
    }
    count_name_words(
        tx,
        documents.iter().map(|d| d.names.as_str()),
        engine::Change::Add,
    )
    .await
}

/// Reads blocking-key groups in one statement: rows `q` (the block's index), `subject_id`,
/// `form`. The keys travel as arrays, so the statement text is always the same and
/// PostgreSQL plans it once per connection (a compound of one query per key took more time
/// to plan than to run).
fn key_blocks_query<'a>(blocks: &[KeyBlock<'a>], limit: usize) -> sqlx::QueryBuilder<'a, Db> {
    let mut qb =
        sqlx::QueryBuilder::<Db>::new("SELECT w.q - 1 AS q, b.subject_id, b.form FROM unnest(");
    qb.push_bind(
        blocks
            .iter()
            .map(|b| b.kind.to_string())
            .collect::<Vec<_>>(),
    )
    .push("::text[], ")
    .push_bind(blocks.iter().map(|b| b.key.to_string()).collect::<Vec<_>>())
    .push("::text[], ")
    .push_bind(blocks.iter().map(|b| b.latest_only).collect::<Vec<_>>())
    .push(
        "::bool[]) WITH ORDINALITY AS w(kind, key, latest, q) CROSS JOIN LATERAL (\
             (SELECT k.subject_id, k.form FROM subject_key k \
              WHERE NOT w.latest AND k.kind = w.kind AND k.key = w.key LIMIT ",
    )
    .push_bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .push(
        ") UNION ALL (SELECT k.subject_id, k.form FROM subject_key k \
              WHERE w.latest AND k.kind = w.kind AND k.key = w.key \
              ORDER BY k.subject_id DESC LIMIT 1)) b",
    );
    qb
}
