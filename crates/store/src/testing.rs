//! Test support shared by the conformance suite and the end-to-end tests (feature
//! `test-support`): fresh databases on each engine.

use crate::{PgStore, SqliteStore};

/// The PostgreSQL server the tests use, if any. Under `CI=true` a missing server is a failure,
/// not a reason to skip.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("BAKEN_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true but BAKEN_TEST_POSTGRES_URL is not set: the PostgreSQL half of the suite must run in CI");
            }
            eprintln!(
                "BAKEN_TEST_POSTGRES_URL not set: skipping the PostgreSQL variant of this test"
            );
            None
        }
    }
}

/// Creates a new, empty database on the test server and returns its URL.
pub async fn fresh_postgres_url(admin_url: &str) -> String {
    use sqlx::Connection;
    let name = format!("baken_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL server: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("cannot create test database: {e}"));
    let (base, _) = admin_url.rsplit_once('/').unwrap_or((admin_url, ""));
    let query = admin_url
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{base}/{name}{query}")
}

pub async fn fresh_postgres(admin_url: &str) -> PgStore {
    let url = fresh_postgres_url(admin_url).await;
    PgStore::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

pub async fn fresh_sqlite(dir: &std::path::Path) -> SqliteStore {
    SqliteStore::open_file(&dir.join("baken.db"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}
