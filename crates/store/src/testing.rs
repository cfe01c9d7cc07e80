//! Test support shared by the conformance suite and the end-to-end tests (feature
//! `test-support`): fresh databases on each engine, and the one way to run a test on both
//! ([`on_both_engines!`](crate::on_both_engines)).

use crate::{PgStore, SharedStore, SqliteStore};
use std::future::Future;

/// The engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestEngine {
    Sqlite,
    Postgres,
}

/// A fresh, empty place for one test on one engine: a temporary data directory (the SQLite
/// file lives there; files a test writes can too) and, on PostgreSQL, a new database on the
/// test server.
pub struct TestDatabase {
    engine: TestEngine,
    dir: tempfile::TempDir,
    url: Option<String>,
}

impl TestDatabase {
    /// `None` for PostgreSQL when no test server is configured (a failure under `CI=true`).
    pub async fn fresh(engine: TestEngine) -> Option<Self> {
        let url = match engine {
            TestEngine::Sqlite => None,
            TestEngine::Postgres => Some(fresh_postgres_url(&postgres_admin_url()?).await),
        };
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
        Some(Self { engine, dir, url })
    }

    pub fn engine(&self) -> TestEngine {
        self.engine
    }

    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// The PostgreSQL database's URL (`None` on SQLite).
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// Opens the store as the application does ([`crate::open`]).
    pub async fn open(&self) -> SharedStore {
        crate::open(self.url(), self.dir())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The command-line arguments that point `baken` at this database and its data directory
    /// (which holds the audit key on either engine).
    pub fn cli_args(&self) -> Vec<String> {
        let data_dir = ["--data-dir".into(), self.dir().display().to_string()];
        match &self.url {
            Some(url) => [
                vec!["--database-url".into(), url.clone()],
                data_dir.to_vec(),
            ]
            .concat(),
            None => data_dir.to_vec(),
        }
    }
}

/// What a test receives: built on a fresh [`TestDatabase`].
pub trait Fixture: Sized {
    fn start(database: TestDatabase) -> impl Future<Output = Self> + Send;
}

impl Fixture for TestDatabase {
    async fn start(database: TestDatabase) -> Self {
        database
    }
}

/// Declares each `async fn(&F)` as a test on SQLite and on PostgreSQL (skipped when no test
/// server is configured, required under `CI=true`), in modules `sqlite` and `postgres`; `F`
/// is a [`Fixture`](crate::testing::Fixture) started on a fresh database:
/// `baken_store::on_both_engines!(Harness => some_test, other_test);`
#[macro_export]
macro_rules! on_both_engines {
    ($fixture:ty => $($name:ident),+ $(,)?) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::testing::run_on::<$fixture, _>(
                        $crate::testing::TestEngine::Sqlite,
                        |f| async move { super::$name(&f).await; f },
                    )
                    .await;
                }
            )+
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::testing::run_on::<$fixture, _>(
                        $crate::testing::TestEngine::Postgres,
                        |f| async move { super::$name(&f).await; f },
                    )
                    .await;
                }
            )+
        }
    };
}

/// Starts `F` on a fresh database of `engine` and runs `test` with it (see
/// [`on_both_engines!`](crate::on_both_engines)).
pub async fn run_on<F: Fixture, T: Future<Output = F>>(
    engine: TestEngine,
    test: impl FnOnce(F) -> T,
) {
    if let Some(database) = TestDatabase::fresh(engine).await {
        let url = database.url().map(str::to_string);
        let fixture = F::start(database).await;
        drop(test(fixture).await);
        // A test that passed leaves no database behind (one that failed keeps it, to look
        // into); without this a developer's server fills its disk.
        if let (Some(url), Some(admin)) = (url, postgres_admin_url()) {
            drop_postgres(&admin, &url).await;
        }
    }
}

/// Drops the test database at `url` (connections still open are ended).
pub async fn drop_postgres(admin_url: &str, url: &str) {
    use sqlx::Connection;
    let name = url
        .rsplit_once('/')
        .map(|(_, rest)| rest.split('?').next().unwrap_or(rest))
        .unwrap_or_default();
    if !name.starts_with("baken_test_")
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return;
    }
    match sqlx::PgConnection::connect(admin_url).await {
        Ok(mut admin) => {
            if let Err(e) = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await
            {
                eprintln!("test database {name} not dropped: {e}");
            }
        }
        Err(e) => eprintln!("test database {name} not dropped: {e}"),
    }
}

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

/// The small world both test suites start from: municipality A, police B sharing drugs and
/// mensenhandel with A up to vertrouwelijk, and water board C whose agreement with A expired
/// at the end of 2024. Users (e-mail → role): analist@a.test, bibob@a.test, toezicht@a.test,
/// toezicht2@a.test, lezer@a.test, beheer@a.test (A); partner@b.test, analist@b.test (B);
/// partner@c.test (C).
pub async fn small_world(
    store: &dyn crate::Store,
    password_hash: Option<&str>,
    now: time::OffsetDateTime,
) -> std::collections::HashMap<&'static str, baken_core::model::User> {
    use baken_core::model::{Classification, OrgKind};
    use baken_core::{Role, RoleSet};
    use time::macros::date;

    let sys = crate::Actor::System {
        process: "test".into(),
    };
    let fail = |e: crate::StoreError| -> ! { panic!("test world: {e}") };
    store
        .ensure_catalogue(
            &sys,
            &baken_core::catalogue::Catalogue::groningen_defaults(),
            now,
        )
        .await
        .unwrap_or_else(|e| fail(e));
    let mut orgs = Vec::new();
    for (name, kind) in [
        ("Gemeente A", OrgKind::Gemeente),
        ("Politie B", OrgKind::Politie),
        ("Waterschap C", OrgKind::Waterschap),
    ] {
        orgs.push(
            store
                .create_organisation(&sys, name, kind, now)
                .await
                .unwrap_or_else(|e| fail(e)),
        );
    }
    let mut users = std::collections::HashMap::new();
    for (org, email, role) in [
        (0, "analist@a.test", Role::Analist),
        (0, "bibob@a.test", Role::BibobCoordinator),
        (0, "toezicht@a.test", Role::Toezichthouder),
        (0, "toezicht2@a.test", Role::Toezichthouder),
        (0, "lezer@a.test", Role::Lezer),
        (0, "beheer@a.test", Role::Beheerder),
        (1, "partner@b.test", Role::Partner),
        (1, "analist@b.test", Role::Analist),
        (2, "partner@c.test", Role::Partner),
    ] {
        let user = store
            .create_user(
                &sys,
                crate::NewUser {
                    org: orgs[org].id,
                    email: email.into(),
                    display_name: email.split('@').next().unwrap_or(email).into(),
                    roles: RoleSet::new([role]),
                    password_hash: password_hash.map(str::to_string),
                },
                now,
            )
            .await
            .unwrap_or_else(|e| fail(e));
        users.insert(email, user);
    }
    for (name, party, themes, valid_from, valid_until) in [
        (
            "A-B drugs en mensenhandel",
            1,
            vec!["drugs", "mensenhandel"],
            date!(2023 - 01 - 01),
            None,
        ),
        (
            "A-C verlopen",
            2,
            vec!["drugs", "buitengebied"],
            date!(2020 - 01 - 01),
            Some(date!(2024 - 12 - 31)),
        ),
    ] {
        store
            .create_agreement(
                &sys,
                crate::NewAgreement {
                    name: name.into(),
                    parties: vec![orgs[0].id, orgs[party].id],
                    legal_basis: "RIEC-convenant".into(),
                    purposes: "bestuurlijke aanpak".into(),
                    themes: themes.into_iter().map(str::to_string).collect(),
                    max_classification: Classification::Vertrouwelijk,
                    valid_from,
                    valid_until,
                    referral_contact: None,
                },
                now,
            )
            .await
            .unwrap_or_else(|e| fail(e));
    }
    users
}
