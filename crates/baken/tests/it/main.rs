//! End-to-end tests: the real application on port 0 with a fresh database on each engine,
//! driven over HTTP, and the real `baken` binary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api;
mod cli;
mod demo;
mod dossier;
mod field;
mod harness;
mod picture;
mod public;
mod ui;

/// Declares each `async fn(&TestApp)` as a test on SQLite and (when configured) PostgreSQL.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = $crate::harness::TestApp::spawn($crate::harness::EngineChoice::Sqlite).await.unwrap();
                    super::$name(&app).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = $crate::harness::TestApp::spawn($crate::harness::EngineChoice::Postgres).await {
                        super::$name(&app).await;
                    }
                }
            )+
        }
    };
}
