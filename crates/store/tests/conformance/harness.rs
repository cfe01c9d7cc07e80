use baken_core::model::User;
use baken_core::signal::{IntakePolicy, NewSignal, Signal, SignalInput};
use baken_core::{Caller, Purpose};
use baken_store::testing;
use baken_store::{PgStore, SqliteStore, Store};
use time::macros::datetime;
use time::OffsetDateTime;

pub const NOW: OffsetDateTime = datetime!(2025-06-02 10:00 UTC);

pub enum Engine {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// A fresh store holding `testing::small_world`, with a caller per user.
pub struct Harness {
    pub engine: Engine,
    pub a_analist: Caller,
    pub a_bibob: Caller,
    pub a_toezicht: Caller,
    pub a_toezicht2: Caller,
    pub a_lezer: Caller,
    pub a_beheerder: Caller,
    pub b_partner: Caller,
    pub b_analist: Caller,
    pub c_partner: Caller,
    _database: testing::TestDatabase,
}

/// The audit key of every conformance store: the chain is keyed from its first event.
pub const TEST_AUDIT_KEY: baken_core::audit::AuditKey =
    baken_core::audit::AuditKey::from_bytes([7; 32]);

fn caller(u: &User) -> Caller {
    Caller::for_user(u, Purpose::signal_handling(), "test")
}

impl testing::Fixture for Harness {
    async fn start(database: testing::TestDatabase) -> Self {
        // The installation's key in its data directory: another process opening the database
        // (`another_process`) signs with the same key, as the application's would.
        std::fs::write(
            database.dir().join(baken_store::anchor::KEY_FILE),
            format!("{}\n", hex::encode(TEST_AUDIT_KEY.as_bytes())),
        )
        .unwrap();
        let engine = match database.engine() {
            testing::TestEngine::Sqlite => Engine::Sqlite(
                testing::fresh_sqlite(database.dir())
                    .await
                    .with_audit_key(TEST_AUDIT_KEY),
            ),
            testing::TestEngine::Postgres => Engine::Postgres(
                PgStore::connect(database.url().unwrap_or_default())
                    .await
                    .unwrap()
                    .with_audit_key(TEST_AUDIT_KEY),
            ),
        };
        Self::set_up(engine, database).await
    }
}

impl Harness {
    pub fn store(&self) -> &dyn Store {
        match &self.engine {
            Engine::Sqlite(s) => s,
            Engine::Postgres(s) => s,
        }
    }

    /// The data directory (the SQLite file lives there).
    pub fn dir(&self) -> &std::path::Path {
        self._database.dir()
    }

    /// The same database opened again, as another process (a second server, the command
    /// line) opens it.
    pub async fn another_process(&self) -> baken_store::SharedStore {
        self._database.open().await
    }

    /// The PostgreSQL database's URL (`None` on SQLite).
    pub fn url(&self) -> Option<&str> {
        self._database.url()
    }

    /// Asserts that the engine's search vocabulary counts each word's signals as its search
    /// index does (SQLite: every word; PostgreSQL: the words of the names).
    pub async fn assert_search_in_step(&self, step: &str) {
        let off = match &self.engine {
            Engine::Sqlite(s) => s.search_out_of_step().await.unwrap(),
            Engine::Postgres(s) => s.search_out_of_step().await.unwrap(),
        };
        assert!(
            off.is_empty(),
            "{step}: the search index is out of step: {off:?}"
        );
    }

    /// Asserts that every signal's copies of its area's name and of its themes, indicators
    /// and areas equal what they copy (`code_copies.rs`).
    pub async fn assert_code_copies_in_step(&self, step: &str) {
        let off = match &self.engine {
            Engine::Sqlite(s) => s.code_copies_out_of_step().await.unwrap(),
            Engine::Postgres(s) => s.code_copies_out_of_step().await.unwrap(),
        };
        assert!(
            off.is_empty(),
            "{step}: signals with copies out of step: {off:?}"
        );
    }

    /// Runs raw SQL as someone with direct database access would.
    pub async fn raw(&self, sql: &str) {
        match &self.engine {
            Engine::Sqlite(s) => {
                sqlx::raw_sql(sql).execute(s.raw_pool()).await.unwrap();
            }
            Engine::Postgres(s) => {
                sqlx::raw_sql(sql).execute(s.raw_pool()).await.unwrap();
            }
        }
    }

    /// Removes the append-only guard on audit events, as an attacker with DBA rights could.
    pub async fn drop_audit_guard(&self) {
        match &self.engine {
            Engine::Sqlite(_) => {
                self.raw("DROP TRIGGER audit_event_append_only_u; DROP TRIGGER audit_event_append_only_d;")
                    .await
            }
            Engine::Postgres(_) => self.raw("DROP TRIGGER audit_event_append_only ON audit_event;").await,
        }
    }

    async fn set_up(engine: Engine, database: testing::TestDatabase) -> Self {
        let store: &dyn Store = match &engine {
            Engine::Sqlite(s) => s,
            Engine::Postgres(s) => s,
        };
        let users = testing::small_world(store, None, NOW).await;
        let c = |email: &str| caller(&users[email]);
        Harness {
            a_analist: c("analist@a.test"),
            a_bibob: c("bibob@a.test"),
            a_toezicht: c("toezicht@a.test"),
            a_toezicht2: c("toezicht2@a.test"),
            a_lezer: c("lezer@a.test"),
            a_beheerder: c("beheer@a.test"),
            b_partner: c("partner@b.test"),
            b_analist: c("analist@b.test"),
            c_partner: c("partner@c.test"),
            engine,
            _database: database,
        }
    }

    /// Registers a signal through the domain parser, as every channel does.
    pub async fn signal(
        &self,
        by: &Caller,
        title: &str,
        themes: &[&str],
        classification: &str,
    ) -> Signal {
        self.signal_with(by, title, themes, classification, |_| {})
            .await
    }

    pub async fn signal_with(
        &self,
        by: &Caller,
        title: &str,
        themes: &[&str],
        classification: &str,
        tweak: impl FnOnce(&mut SignalInput),
    ) -> Signal {
        let new = self
            .parsed_with(by, title, |input| {
                input.themes = themes.iter().map(|t| t.to_string()).collect();
                input.classification = Some(classification.into());
                tweak(input);
            })
            .await;
        self.store().create_signal(by, new, NOW).await.unwrap()
    }

    /// Parses a signal as every channel does, without saving it (for bulk imports).
    pub async fn parsed_with(
        &self,
        by: &Caller,
        title: &str,
        tweak: impl FnOnce(&mut SignalInput),
    ) -> NewSignal {
        let mut input = SignalInput {
            title: Some(title.into()),
            description: Some(format!("Beschrijving van {title}")),
            source_kind: Some("partner".into()),
            source_reliability: Some("B".into()),
            information_credibility: Some("2".into()),
            themes: vec!["drugs".into()],
            classification: Some("intern".into()),
            received_at: Some("2025-05-01T09:00:00Z".into()),
            ..Default::default()
        };
        tweak(&mut input);
        let catalogue = self.store().catalogue().await.unwrap();
        NewSignal::parse(&input, &catalogue, by, &IntakePolicy::default(), NOW).unwrap()
    }

    pub async fn audit_count(&self) -> usize {
        self.store().audit_events(0, 100_000).await.unwrap().len()
    }
}

/// A reason stated for a read outside one's own membership (a person's dossier, a case one
/// is not named on).
pub fn stated() -> baken_core::access::DossierReason {
    baken_core::access::DossierReason::parse("controle conformiteit")
        .unwrap()
        .unwrap()
}
