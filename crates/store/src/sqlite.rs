//! The embedded engine: a SQLite file in the data directory (WAL, foreign keys on).

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Pool;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

type Db = sqlx::Sqlite;
type DbRow = sqlx::sqlite::SqliteRow;
/// A search as SQLite runs it: the FTS5 query (the words, narrowed to the filter's theme and
/// area by [`coded_query`]), and for a page the range of the search
/// table's row ids (`signal_fts`, in the order of receipt: [`DOC_SECOND_BITS`]) that holds it.
struct Search {
    fts: String,
    docs: Option<DocRange>,
}

/// Where a page's matches lie among the search table's row ids.
#[derive(Debug, Clone, Copy)]
enum DocRange {
    /// From this row id on (a page of the newest).
    From(i64),
    /// Below this row id (a page going back towards the newer signals).
    Below(i64),
}

/// A search document's row id is the second its signal was received (Unix time) shifted
/// left by this many bits, plus its place among the signals of that second (migration 0051):
/// the search table yields matches newest first without reading them all, and a page of
/// the newest matches lies in a range of row ids (`engine::list_signals`).
const DOC_SECOND_BITS: u32 = 24;

/// Up to this many words beginning with a search word's prefix are searched as those words
/// rather than as a prefix query (`prepare_search`).
const PREFIX_AS_WORDS_UP_TO: i64 = 64;

/// The column of a search's row id in a list query (`push_text_source`'s `f.doc`).
const SEARCH_DOC: Option<&str> = Some("f.doc");
/// An audience row's copy of its signal's search document row id (migration 0062): the column,
/// and what reads it for a signal whose id follows, when the row is made. A search's matches
/// meet the caller's audience rows by it (`push_text_match`).
const AUDIENCE_DOC: Option<(&str, &str)> =
    Some(("doc", "SELECT c.id FROM signal_fts_content c WHERE c.c0 = "));
/// SQLite plans a statement once when it is prepared: every read begins as usual.
const BEGIN_PLANNED_ONCE: Option<&str> = None;
const BEGIN_PLANNED_EACH_TIME: Option<&str> = None;
/// SQLite's plan does not depend on the values of a theme's or area's list: they stay bound.
const LIST_PLAN_KEYS: engine::PlanKeys = engine::PlanKeys::Bound;

/// Narrows a search to the row ids that hold a page: `nth` is the row id of the page's last
/// match (one past the page) in row-id order, `side` the side of its cursor the page lies
/// on (older: read newest first). Every match of the page was received in the second of
/// `nth` or on the page's side of it.
fn narrow_search(search: &mut Search, nth: i64, side: baken_core::page::Side) {
    let second = nth >> DOC_SECOND_BITS;
    search.docs = Some(match side {
        baken_core::page::Side::After => DocRange::From(second << DOC_SECOND_BITS),
        baken_core::page::Side::Before => DocRange::Below((second + 1) << DOC_SECOND_BITS),
    });
}
const ENGINE: crate::Engine = crate::Engine::Sqlite;
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Connections of the pool: SQLite writes one at a time, reads in parallel on two cores.
const CONNECTIONS: u32 = 8;

/// How much of the database file is read through a shared memory map.
const MMAP_BYTES: u64 = 256 * 1024 * 1024;

pub struct SqliteStore {
    pool: Pool<Db>,
    areas: crate::AreaCache,
    catalogue: crate::CatalogueCache,
    /// The audit chain's key, when the installation has one (`crate::anchor`).
    audit_key: Option<baken_core::audit::AuditKey>,
    /// The queue of read events to the task that commits them in groups.
    reads: engine::ReadLog,
}
// The engine code is one module compiled once per engine (for its own `Db` and `EngineStore`).
#[allow(clippy::duplicate_mod)]
#[path = "engine/mod.rs"]
mod engine;
use engine::{insert_rows, KeyBlock, SearchDocument};

type EngineStore = SqliteStore;

impl SqliteStore {
    /// The store with the audit chain's key: events from now on carry keyed hashes.
    pub fn with_audit_key(mut self, key: baken_core::audit::AuditKey) -> Self {
        self.audit_key = Some(key);
        self
    }

    /// Opens (creating on first run) the database file at `path`.
    pub async fn open_file(path: &Path) -> crate::Result<Self> {
        Self::with_options(
            SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true),
        )
        .await
    }

    /// Opens a `sqlite:` URL, e.g. `sqlite:///var/lib/baken/baken.db`.
    pub async fn connect_url(url: &str) -> crate::Result<Self> {
        Self::with_options(SqliteConnectOptions::from_str(url)?.create_if_missing(true)).await
    }

    async fn with_options(options: SqliteConnectOptions) -> crate::Result<Self> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            // Memory is bounded by design (issue 13: ≤ 500 MB resident under load at a million
            // signals): 16 MiB of page cache per connection (SQLite's default is 2 MiB; bulk
            // imports touch many index pages), at most CONNECTIONS of them, and the first
            // MMAP_BYTES of the file read through a memory map shared by all connections
            // (reads without a system call per page; linking looks up index pages all over
            // the file). The rest of the file is read through the operating system's cache,
            // which is not the server's memory.
            .pragma("cache_size", "-16384")
            .pragma("mmap_size", MMAP_BYTES.to_string())
            // Checkpoints run in the background (below), not in the commit that happens to
            // cross the WAL size limit, so no save pays for writing back everyone's pages.
            .pragma("wal_autocheckpoint", "0");
        let pool = SqlitePoolOptions::new()
            .max_connections(CONNECTIONS)
            // A connection to a file cannot be lost: sqlx's test of every acquisition was a
            // trip to the connection's thread of its own for each read and each lookup of a
            // session (BENCHMARKS.md, issue 13).
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        // What an earlier process left in the WAL (a bulk import is one transaction: at a
        // million signals gigabytes) is written back once, here, in one sequential pass:
        // every read through a WAL that large searches its index, and the first report after
        // such an import took minutes (BENCHMARKS.md, the council report).
        write_back(&pool).await;
        engine::ensure_audience(&pool).await?;
        engine::ensure_tally(&pool).await?;
        engine::ensure_code_copies(&pool).await?;
        let checkpointer = pool.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(500));
            while !checkpointer.is_closed() {
                tick.tick().await;
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&checkpointer)
                    .await
                {
                    if !checkpointer.is_closed() {
                        tracing::warn!(error = %e, "WAL checkpoint failed");
                    }
                }
            }
        });
        Ok(Self {
            pool,
            areas: crate::AreaCache::default(),
            catalogue: crate::CatalogueCache::default(),
            audit_key: None,
            reads: engine::ReadLog::default(),
        })
    }

    /// Reads, without migrating or keeping anything open, a meta value and the number of users
    /// of an existing database file (for `baken demo`, which replaces only demo databases).
    pub async fn inspect_file(path: &Path, meta_key: &str) -> crate::Result<(Option<String>, i64)> {
        use sqlx::{ConnectOptions, Connection};
        let mut conn = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .connect()
            .await?;
        let meta: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(meta_key)
            .fetch_optional(&mut conn)
            .await
            .ok()
            .flatten();
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM app_user")
            .fetch_one(&mut conn)
            .await
            .unwrap_or(0);
        // Close for real before the caller touches the files.
        conn.close().await?;
        Ok((meta, users))
    }

    /// The pool, for tests that tamper with stored rows as an attacker with file access would.
    pub fn raw_pool(&self) -> &Pool<Db> {
        &self.pool
    }

    /// Where the search vocabulary (`signal_term`) and the search index disagree on a word's
    /// number of signals, as `word: vocabulary ≠ index`, the audience rows whose copy of
    /// their signal's search document (migration 0062) is not its document, as
    /// `signal/organisation: copy ≠ document`, and the documents whose theme or area codes
    /// (migration 0063) are not their signal's, as `signal themes: document ≠ signal` (empty
    /// when all agree): the invariants the conformance suite checks after intake,
    /// corrections, purges and agreements.
    pub async fn search_out_of_step(&self) -> crate::Result<Vec<String>> {
        let kept: std::collections::BTreeMap<String, i64> =
            sqlx::query_as("SELECT term, docs FROM signal_term")
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .collect();
        let index: std::collections::BTreeMap<String, i64> = sqlx::query_as(
            "SELECT term, COUNT(DISTINCT doc) FROM signal_fts_vocab \
             WHERE col IN ('title', 'description', 'subjects') GROUP BY term",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .collect();
        let words: std::collections::BTreeSet<&String> = kept.keys().chain(index.keys()).collect();
        let mut off: Vec<String> = words
            .into_iter()
            .filter(|w| kept.get(*w) != index.get(*w))
            .map(|w| format!("{w}: {:?} ≠ {:?}", kept.get(w), index.get(w)))
            .collect();
        let docs: Vec<(String, String, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT va.signal_id, va.org_id, va.doc, c.id FROM signal_audience va \
             LEFT JOIN signal_fts_content c ON c.c0 = va.signal_id \
             WHERE va.doc IS NOT c.id",
        )
        .fetch_all(&self.pool)
        .await?;
        off.extend(
            docs.into_iter()
                .map(|(s, o, copy, doc)| format!("{s}/{o}: {copy:?} ≠ {doc:?}")),
        );
        // Each document's theme and area codes (migration 0063) are its signal's.
        // (signal, the document's themes, the signal's, the document's areas, the signal's)
        type Codes = (
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let codes: Vec<Codes> = sqlx::query_as(&format!(
            "SELECT c.c0, c.c4, {THEMES_OF}c.c0), c.c5, {AREAS_OF}c.c0) \
                     FROM signal_fts_content c"
        ))
        .fetch_all(&self.pool)
        .await?;
        let set = |codes: &Option<String>| -> std::collections::BTreeSet<String> {
            codes
                .as_deref()
                .unwrap_or_default()
                .split(' ')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect()
        };
        for (signal, themes, theme_rows, areas, area_rows) in codes {
            for (kind, held, rows) in [("themes", themes, theme_rows), ("areas", areas, area_rows)]
            {
                if set(&held) != set(&rows) {
                    off.push(format!("{signal} {kind}: {held:?} ≠ {rows:?}"));
                }
            }
        }
        Ok(off)
    }
}

/// Writes the WAL back into the database file and empties it, waiting (up to the busy
/// timeout) for readers of other processes. A failure only leaves the WAL for a later pass.
async fn write_back(pool: &Pool<Db>) {
    if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(pool)
        .await
    {
        tracing::warn!(error = %e, "WAL write-back failed");
    }
}

/// Before the pool closes: the WAL is written back, so the next process starts from the
/// database file alone.
async fn before_close(pool: &Pool<Db>) {
    write_back(pool).await;
}

/// After areas were written: nothing to do (SQLite reads an area's name through its primary
/// key).
async fn after_areas_written(_pool: &Pool<Db>) {}

/// The largest edit distance at which a word still counts as a spelling of another; an
/// identifier has no spellings (`text::is_identifier`).
fn typo_distance(word: &str) -> usize {
    if crate::text::is_identifier(word) {
        return 0;
    }
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Turns a search into an FTS5 query: every word must occur, as typed, as the start of a
/// longer word (itself or its Dutch stem) or as a near-miss spelling found in the index's
/// vocabulary.
async fn prepare_search(
    _store: &SqliteStore,
    tx: &mut sqlx::Transaction<'static, Db>,
    (text, filter, _after): (&str, &baken_core::signal::SignalFilter, engine::AfterSearch),
) -> crate::Result<Option<Search>> {
    let tokens = crate::text::search_tokens(text);
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut groups = Vec::with_capacity(tokens.len());
    for token in tokens.iter().take(12) {
        let mut alternatives = vec![token.clone()];
        let (head, len) = term_key(token);
        let distance = typo_distance(token);
        if distance > 0 {
            let terms: Vec<String> = sqlx::query_scalar(
                "SELECT term FROM signal_term WHERE head = $1 AND len BETWEEN $2 AND $3",
            )
            .bind(head)
            .bind(len - distance as i64)
            .bind(len + distance as i64)
            .fetch_all(&mut **tx)
            .await?;
            for term in terms {
                if term != *token
                    && strsim::levenshtein(&term, token) <= distance
                    && alternatives.len() < 25
                {
                    alternatives.push(term);
                }
            }
        }
        let quote = |a: &str| format!("\"{}\"", a.replace('"', "\"\""));
        let mut quoted: Vec<String> = alternatives.iter().map(|a| quote(a)).collect();
        // Dutch compounds and inflections: "drugs" finds "drugslab", "woningen" finds
        // "woning" (through its stem), as on PostgreSQL. A prefix that begins few words is
        // those words: FTS5 answers a prefix query by merging the document lists of all its
        // words before it yields the first match, the words themselves one match at a time.
        for prefix in crate::text::search_prefixes(token) {
            let words: Vec<String> = sqlx::query_scalar(
                "SELECT term FROM signal_term WHERE term >= $1 AND term < $2 ORDER BY term LIMIT $3",
            )
            .bind(&prefix)
            .bind(format!("{prefix}\u{10ffff}"))
            .bind(PREFIX_AS_WORDS_UP_TO + 1)
            .fetch_all(&mut **tx)
            .await?;
            if words.len() as i64 > PREFIX_AS_WORDS_UP_TO {
                quoted.push(format!("{}*", quote(&prefix)));
            } else {
                quoted.extend(
                    words
                        .iter()
                        .filter(|w| !alternatives.contains(w))
                        .map(|w| quote(w)),
                );
            }
        }
        quoted.sort();
        quoted.dedup();
        groups.push(format!("({})", quoted.join(" OR ")));
    }
    let words = format!("{TEXT_COLUMNS} : ({})", groups.join(" AND "));
    Ok(Some(Search {
        fts: coded_query(words, filter),
        docs: None,
    }))
}

/// A search document's theme codes and area codes (migration 0063): the signal's rows, as
/// words separated by spaces; each is completed by the signal's id and a closing parenthesis.
const THEMES_OF: &str =
    "(SELECT group_concat(t.theme, ' ') FROM signal_theme t WHERE t.signal_id = ";
const AREAS_OF: &str =
    "(SELECT group_concat(a.area_code, ' ') FROM signal_area a WHERE a.signal_id = ";

/// The columns of the search table that hold a signal's text: the words typed are matched
/// against these alone, never against its codes (migration 0063).
const TEXT_COLUMNS: &str = "{title description subjects}";

/// The words' query for the search index, narrowed to the filter's theme and area: the
/// index meets their codes' document lists itself (a frequent word within a small area read
/// every match of the word; BENCHMARKS.md, issue 13).
fn coded_query(mut query: String, filter: &baken_core::signal::SignalFilter) -> String {
    let codes = [
        ("themes", engine::Code::Theme, filter.theme.as_deref()),
        (
            "areas",
            engine::Code::Area,
            filter.area.as_ref().map(|a| a.as_str()),
        ),
    ];
    for (column, kind, code) in codes {
        let Some(code) = code else { continue };
        if code_held(kind, code) != engine::InSearch::Not {
            query.push_str(&format!(
                " AND {column} : \"{}\"",
                code.replace('"', "\"\"")
            ));
        }
    }
    query
}

/// How a search's query holds a filter's code: every search holds it as [`code_held`] says.
fn code_in_search(_search: &Search, kind: engine::Code, code: &str) -> engine::InSearch {
    code_held(kind, code)
}

/// How a search's query holds a filter's code ([`coded_query`]). The index folds letters to
/// lower case and splits on anything but letters and digits: a catalogue's theme code of
/// lower-case letters and digits, or a CBS area code of capitals and digits — as every
/// stored code of its kind is written — is one word only that code folds to; a code with a
/// hyphen (a business park's, a theme's) is a phrase that could also run across two codes;
/// a code without a letter or digit would be an empty phrase, which FTS5 refuses.
fn code_held(kind: engine::Code, code: &str) -> engine::InSearch {
    let written = |b: u8| match kind {
        engine::Code::Theme => b.is_ascii_lowercase() || b.is_ascii_digit(),
        engine::Code::Area => b.is_ascii_uppercase() || b.is_ascii_digit(),
    };
    if !code.is_empty() && code.bytes().all(written) {
        engine::InSearch::Exactly
    } else if code.chars().any(char::is_alphanumeric) {
        engine::InSearch::Among
    } else {
        engine::InSearch::Not
    }
}

/// The matches of a search, as the first table of the query (`engine::push_from`): SQLite
/// then starts from the few matching signals instead of testing every visible one.
fn push_text_source(qb: &mut sqlx::QueryBuilder<'_, Db>, prepared: &Search) {
    qb.push(" (SELECT rowid AS doc FROM signal_fts WHERE signal_fts MATCH ")
        .push_bind(prepared.fts.clone());
    match prepared.docs {
        None => {}
        Some(DocRange::From(doc)) => {
            qb.push(" AND rowid >= ").push_bind(doc);
        }
        Some(DocRange::Below(doc)) => {
            qb.push(" AND rowid < ").push_bind(doc);
        }
    }
    qb.push(") f CROSS JOIN");
}

/// An aggregate that joins the texts of a group into one, each ended by the unit separator
/// (U+001F): what comes before and after the expression. Parts of one text are separated by
/// [`PART_SEPARATOR`], the record separator (U+001E). See `engine::attach_codes`.
const JOINED_TEXTS: (&str, &str) = ("group_concat(", " || char(31), '')");
const PART_SEPARATOR: &str = "char(30)";

/// SQLite's search has one part: its count is the search's.
fn counting_part(_search: &Search) -> Option<Search> {
    None
}

/// A match meets the caller's audience row by its row id ([`AUDIENCE_DOC`]): the matches,
/// read in row-id order, meet one range of `signal_audience_doc`, without reading the search
/// table's content or looking the audience up by signal.
fn push_text_match(qb: &mut sqlx::QueryBuilder<'_, Db>, _prepared: &Search) {
    qb.push(" AND va.doc = f.doc");
}

/// A word's key in the search vocabulary (`signal_term`, migration 0049): its first letter
/// and its length in characters — what a near-miss spelling shares with it. Identifiers,
/// which have no spellings (`text::is_identifier`), have the empty head (migration 0052),
/// which no search looks up: their range would be most of the vocabulary.
fn term_key(term: &str) -> (String, i64) {
    let head = if crate::text::is_identifier(term) {
        String::new()
    } else {
        term.chars().take(1).collect()
    };
    (head, term.chars().count() as i64)
}

/// Counts every distinct word of each text (one signal's title, description and subjects,
/// folded as searches are) in or out of the search vocabulary; words no signal holds any more
/// leave it.
async fn count_terms<'a>(
    tx: &mut sqlx::Transaction<'static, Db>,
    texts: impl Iterator<Item = [&'a str; 3]>,
    change: engine::Change,
) -> crate::Result<()> {
    let sign = change.sign();
    let mut counts: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    for parts in texts {
        let mut words: Vec<&str> = parts.iter().flat_map(|t| t.split_whitespace()).collect();
        words.sort_unstable();
        words.dedup();
        for word in words {
            *counts.entry(word).or_default() += sign;
        }
    }
    let rows: Vec<(&str, i64)> = counts.into_iter().collect();
    const MAX_BINDS: usize = 30_000;
    for chunk in rows.chunks(MAX_BINDS / 4) {
        let mut qb =
            sqlx::QueryBuilder::<Db>::new("INSERT INTO signal_term (head, len, term, docs) ");
        qb.push_values(chunk, |mut b, (term, n)| {
            let (head, len) = term_key(term);
            b.push_bind(head)
                .push_bind(len)
                .push_bind(term.to_string())
                .push_bind(*n);
        });
        qb.push(
            " ON CONFLICT (head, len, term) DO UPDATE SET docs = signal_term.docs + excluded.docs",
        );
        qb.build().execute(&mut **tx).await?;
        if change == engine::Change::TakeAway {
            let mut qb = sqlx::QueryBuilder::<Db>::new(
                "DELETE FROM signal_term WHERE docs <= 0 AND (head, len, term) IN (VALUES ",
            );
            let mut list = qb.separated(", ");
            for (term, _) in chunk {
                let (head, len) = term_key(term);
                list.push("(")
                    .push_bind_unseparated(head)
                    .push_unseparated(", ")
                    .push_bind_unseparated(len)
                    .push_unseparated(", ")
                    .push_bind_unseparated(term.to_string())
                    .push_unseparated(")");
            }
            qb.push(")");
            qb.build().execute(&mut **tx).await?;
        }
    }
    Ok(())
}

async fn index_signals(
    tx: &mut sqlx::Transaction<'static, Db>,
    documents: &[SearchDocument],
) -> crate::Result<()> {
    count_terms(
        tx,
        documents.iter().map(|d| {
            [
                d.title.as_str(),
                d.description.as_str(),
                d.subjects.as_str(),
            ]
        }),
        engine::Change::Add,
    )
    .await?;
    let docs = document_ids(tx, documents).await?;
    let rows: Vec<(i64, &SearchDocument)> = docs.into_iter().zip(documents).collect();
    // The signal's theme and area codes are read from their rows, written before it is
    // indexed (intake, corrections): a search within a theme or area asks the index for them
    // ([`push_text_source`]).
    insert_rows(
        tx,
        "INSERT INTO signal_fts (rowid, signal_id, title, description, subjects, themes, areas) ",
        &rows,
        7,
        |b, (doc, d)| {
            b.push_bind(*doc)
                .push_bind(d.id.clone())
                .push_bind(d.title.clone())
                .push_bind(d.description.clone())
                .push_bind(d.subjects.clone())
                .push(THEMES_OF)
                .push_bind_unseparated(d.id.clone())
                .push_unseparated(")")
                .push(AREAS_OF)
                .push_bind_unseparated(d.id.clone())
                .push_unseparated(")");
        },
    )
    .await?;
    // A signal indexed again (a correction) has a new row id: its audience rows follow. New
    // signals have no audience rows yet (intake indexes them first).
    if let Some((column, read)) = AUDIENCE_DOC {
        for chunk in documents.chunks(10_000) {
            let mut qb = sqlx::QueryBuilder::<Db>::new(format!(
                "UPDATE signal_audience SET {column} = ({read}signal_audience.signal_id) \
                 WHERE signal_id IN ("
            ));
            let mut ids = qb.separated(", ");
            for d in chunk {
                ids.push_bind(d.id.clone());
            }
            qb.push(")");
            qb.build().execute(&mut **tx).await?;
        }
    }
    Ok(())
}

/// The row ids of new search documents ([`DOC_SECOND_BITS`]): the second their signal was
/// received, and after the documents already stored for that second. The signals are in
/// `tx` already.
async fn document_ids(
    tx: &mut sqlx::Transaction<'static, Db>,
    documents: &[SearchDocument],
) -> crate::Result<Vec<i64>> {
    let mut seconds: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for chunk in documents.chunks(10_000) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "SELECT id, CAST(strftime('%s', received_at) AS INTEGER) FROM signal WHERE id IN (",
        );
        let mut list = qb.separated(", ");
        for d in chunk {
            list.push_bind(d.id.clone());
        }
        qb.push(")");
        let rows: Vec<(String, Option<i64>)> = qb.build_query_as().fetch_all(&mut **tx).await?;
        for (id, second) in rows {
            let second = second.ok_or_else(|| {
                crate::StoreError::Corrupt(format!("signal {id}: received_at is not a moment"))
            })?;
            seconds.insert(id, second);
        }
    }
    // The next free row id of every second (SQLite allows 500 terms in a compound select).
    let distinct: std::collections::BTreeSet<i64> = seconds.values().copied().collect();
    let distinct: Vec<i64> = distinct.into_iter().collect();
    let mut next: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for chunk in distinct.chunks(400) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("");
        for (k, second) in chunk.iter().enumerate() {
            if k > 0 {
                qb.push(" UNION ALL ");
            }
            let first = second << DOC_SECOND_BITS;
            qb.push("SELECT ")
                .push_bind(*second)
                .push(", (SELECT MAX(id) FROM signal_fts_content WHERE id >= ")
                .push_bind(first)
                .push(" AND id < ")
                .push_bind(first + (1 << DOC_SECOND_BITS))
                .push(")");
        }
        let rows: Vec<(i64, Option<i64>)> = qb.build_query_as().fetch_all(&mut **tx).await?;
        for (second, last) in rows {
            next.insert(second, last.map_or(second << DOC_SECOND_BITS, |l| l + 1));
        }
    }
    documents
        .iter()
        .map(|d| {
            let second = *seconds.get(&d.id).ok_or_else(|| {
                crate::StoreError::Corrupt(format!("search document of an unknown signal {}", d.id))
            })?;
            let slot = next.entry(second).or_insert(second << DOC_SECOND_BITS);
            let doc = *slot;
            *slot += 1;
            if doc >> DOC_SECOND_BITS != second {
                return Err(crate::StoreError::Corrupt(format!(
                    "more than {} signals received in one second",
                    1_i64 << DOC_SECOND_BITS
                )));
            }
            Ok(doc)
        })
        .collect()
}

/// Takes signals out of the search index (before a corrected signal is indexed again).
async fn unindex_signals(
    tx: &mut sqlx::Transaction<'static, Db>,
    ids: &[String],
) -> crate::Result<()> {
    for id in ids {
        let texts: Vec<(Option<String>, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT c1, c2, c3 FROM signal_fts_content WHERE c0 = $1")
                .bind(id)
                .fetch_all(&mut **tx)
                .await?;
        count_terms(
            tx,
            texts
                .iter()
                .map(|(t, d, s)| [t, d, s].map(|part| part.as_deref().unwrap_or_default())),
            engine::Change::TakeAway,
        )
        .await?;
        // The content table's index (migration 0037) finds the row without a scan.
        sqlx::query(
            "DELETE FROM signal_fts WHERE rowid IN (SELECT id FROM signal_fts_content WHERE c0 = $1)",
        )
        .bind(id)
        .execute(&mut **tx)
        .await?;
        // Its audience rows no longer point at a search document: the row id may later be
        // given to another signal received in the same second.
        if let Some((column, _)) = AUDIENCE_DOC {
            sqlx::query(&format!(
                "UPDATE signal_audience SET {column} = NULL WHERE signal_id = $1"
            ))
            .bind(id)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Reads blocking-key groups in one statement: rows `q` (the block's index), `subject_id`,
/// `form`. A compound of one small query per key, each reading a range of the primary key.
fn key_blocks_query<'a>(blocks: &[KeyBlock<'a>], limit: usize) -> sqlx::QueryBuilder<'a, Db> {
    let mut qb = sqlx::QueryBuilder::<Db>::new("");
    for (q, block) in blocks.iter().enumerate() {
        if q > 0 {
            qb.push(" UNION ALL ");
        }
        qb.push(format!(
            "SELECT {q} AS q, subject_id, form FROM \
             (SELECT subject_id, form FROM subject_key WHERE kind = "
        ));
        qb.push_bind(block.kind)
            .push(" AND key = ")
            .push_bind(block.key);
        if block.latest_only {
            qb.push(format!(" ORDER BY subject_id DESC LIMIT 1) AS b{q}"));
        } else {
            qb.push(format!(" LIMIT {limit}) AS b{q}"));
        }
    }
    qb
}
