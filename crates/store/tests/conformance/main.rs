//! One behavioural suite for both storage engines. Every test runs on SQLite, and on
//! PostgreSQL when `BAKEN_TEST_POSTGRES_URL` is set (required under `CI=true`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access;
mod areas;
mod audit;
mod field;
mod harness;
mod linking;
mod picture;
mod search;
mod signals;
mod triage;

/// Declares `$name` as a test on both engines; `$name` is an `async fn(&Fixture)`.
#[macro_export]
macro_rules! conformance {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let dir = tempfile::tempdir().unwrap();
                    let h = $crate::harness::Harness::sqlite(dir.path()).await;
                    super::$name(&h).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(h) = $crate::harness::Harness::postgres().await {
                        super::$name(&h).await;
                    }
                }
            )+
        }
    };
}
