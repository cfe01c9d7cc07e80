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

include!("engine.rs");
