//! The embedded engine: a SQLite file in the data directory (WAL, foreign keys on).

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Pool;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

type Db = sqlx::Sqlite;
type DbRow = sqlx::sqlite::SqliteRow;
const ENGINE: crate::Engine = crate::Engine::Sqlite;
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub struct SqliteStore {
    pool: Pool<Db>,
    areas: crate::AreaCache,
}
type EngineStore = SqliteStore;

impl SqliteStore {
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
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self {
            pool,
            areas: crate::AreaCache::default(),
        })
    }

    /// The pool, for tests that tamper with stored rows as an attacker with file access would.
    pub fn raw_pool(&self) -> &Pool<Db> {
        &self.pool
    }
}

include!("engine.rs");
