//! The server engine: PostgreSQL, chosen with `BAKEN_DATABASE_URL=postgres://…`.

use sqlx::postgres::PgPoolOptions;
use sqlx::Pool;

type Db = sqlx::Postgres;
type DbRow = sqlx::postgres::PgRow;
const ENGINE: crate::Engine = crate::Engine::Postgres;
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub struct PgStore {
    pool: Pool<Db>,
    areas: crate::AreaCache,
}
type EngineStore = PgStore;

impl PgStore {
    pub async fn connect(url: &str) -> crate::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .connect(url)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self {
            pool,
            areas: crate::AreaCache::default(),
        })
    }

    /// The pool, for tests that tamper with stored rows as a database administrator could.
    pub fn raw_pool(&self) -> &Pool<Db> {
        &self.pool
    }
}

/// A search for PostgreSQL: the folded words, matched against the Dutch full-text index and,
/// for near-miss spellings of names and addresses, by trigram word similarity.
async fn prepare_search(
    _tx: &mut sqlx::Transaction<'static, Db>,
    text: &str,
) -> crate::Result<Option<String>> {
    let tokens = crate::text::search_tokens(text);
    Ok((!tokens.is_empty()).then(|| tokens.join(" ")))
}

fn push_text_match(qb: &mut sqlx::QueryBuilder<'_, Db>, prepared: &str) {
    qb.push(" AND EXISTS (SELECT 1 FROM signal_search sx WHERE sx.signal_id = s.id AND (sx.document @@ plainto_tsquery('dutch', ")
        .push_bind(prepared.to_string())
        .push(") OR sx.document @@ plainto_tsquery('simple', ")
        .push_bind(prepared.to_string())
        .push(") OR ")
        .push_bind(prepared.to_string())
        .push(" <% sx.names))");
}

async fn index_signal(
    tx: &mut sqlx::Transaction<'static, Db>,
    id: &str,
    title: &str,
    description: &str,
    subjects: &str,
) -> crate::Result<()> {
    let names = crate::text::search_tokens(subjects).join(" ");
    sqlx::query(
        "INSERT INTO signal_search (signal_id, document, names) VALUES ($1, \
         setweight(to_tsvector('dutch', $2), 'A') || to_tsvector('dutch', $3) || to_tsvector('simple', $4), $4)",
    )
    .bind(id)
    .bind(title)
    .bind(description)
    .bind(names)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

include!("engine.rs");
