use baken_core::catalogue::Catalogue;
use baken_core::model::{Classification, OrgKind, User};
use baken_core::signal::{NewSignal, RetentionPolicy, Signal, SignalInput};
use baken_core::{Caller, Purpose, Role, RoleSet};
use baken_store::testing;
use baken_store::{Actor, NewAgreement, NewUser, PgStore, SqliteStore, Store};
use time::macros::{date, datetime};
use time::OffsetDateTime;

pub const NOW: OffsetDateTime = datetime!(2025-06-02 10:00 UTC);

pub enum Engine {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// A fresh store with three organisations: the municipality (A), the police (B) with an
/// agreement covering drugs and mensenhandel up to vertrouwelijk, and the water board (C)
/// whose agreement with A has expired.
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
}

fn caller(u: &User) -> Caller {
    Caller {
        user: u.id,
        org: u.org,
        roles: u.roles.clone(),
        purpose: Purpose::signal_handling(),
        origin: "test".into(),
    }
}

impl Harness {
    pub async fn sqlite(dir: &std::path::Path) -> Self {
        Self::set_up(Engine::Sqlite(testing::fresh_sqlite(dir).await)).await
    }

    pub async fn postgres() -> Option<Self> {
        let admin = testing::postgres_admin_url()?;
        Some(Self::set_up(Engine::Postgres(testing::fresh_postgres(&admin).await)).await)
    }

    pub fn store(&self) -> &dyn Store {
        match &self.engine {
            Engine::Sqlite(s) => s,
            Engine::Postgres(s) => s,
        }
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

    async fn set_up(engine: Engine) -> Self {
        let store: &dyn Store = match &engine {
            Engine::Sqlite(s) => s,
            Engine::Postgres(s) => s,
        };
        let sys = Actor::System {
            process: "test".into(),
        };
        store
            .ensure_catalogue(&sys, &Catalogue::groningen_defaults(), NOW)
            .await
            .unwrap();
        let a = store
            .create_organisation(&sys, "Gemeente A", OrgKind::Gemeente, NOW)
            .await
            .unwrap();
        let b = store
            .create_organisation(&sys, "Politie B", OrgKind::Politie, NOW)
            .await
            .unwrap();
        let c = store
            .create_organisation(&sys, "Waterschap C", OrgKind::Waterschap, NOW)
            .await
            .unwrap();
        let user = |org: uuid::Uuid, email: &'static str, role: Role| {
            let sys = sys.clone();
            async move {
                let u = store
                    .create_user(
                        &sys,
                        NewUser {
                            org,
                            email: email.into(),
                            display_name: email.into(),
                            roles: RoleSet::new([role]),
                            password_hash: None,
                        },
                        NOW,
                    )
                    .await
                    .unwrap();
                caller(&u)
            }
        };
        let a_analist = user(a.id, "analist@a.test", Role::Analist).await;
        let a_bibob = user(a.id, "bibob@a.test", Role::BibobCoordinator).await;
        let a_toezicht = user(a.id, "toezicht@a.test", Role::Toezichthouder).await;
        let a_toezicht2 = user(a.id, "toezicht2@a.test", Role::Toezichthouder).await;
        let a_lezer = user(a.id, "lezer@a.test", Role::Lezer).await;
        let a_beheerder = user(a.id, "beheer@a.test", Role::Beheerder).await;
        let b_partner = user(b.id, "partner@b.test", Role::Partner).await;
        let b_analist = user(b.id, "analist@b.test", Role::Analist).await;
        let c_partner = user(c.id, "partner@c.test", Role::Partner).await;
        store
            .create_agreement(
                &sys,
                NewAgreement {
                    name: "A-B drugs en mensenhandel".into(),
                    parties: vec![a.id, b.id],
                    legal_basis: "RIEC-convenant".into(),
                    purposes: "bestuurlijke aanpak".into(),
                    themes: vec!["drugs".into(), "mensenhandel".into()],
                    max_classification: Classification::Vertrouwelijk,
                    valid_from: date!(2023 - 01 - 01),
                    valid_until: None,
                },
                NOW,
            )
            .await
            .unwrap();
        store
            .create_agreement(
                &sys,
                NewAgreement {
                    name: "A-C verlopen".into(),
                    parties: vec![a.id, c.id],
                    legal_basis: "oud convenant".into(),
                    purposes: "buitengebied".into(),
                    themes: vec!["drugs".into(), "buitengebied".into()],
                    max_classification: Classification::Vertrouwelijk,
                    valid_from: date!(2020 - 01 - 01),
                    valid_until: Some(date!(2024 - 12 - 31)),
                },
                NOW,
            )
            .await
            .unwrap();
        Harness {
            engine,
            a_analist,
            a_bibob,
            a_toezicht,
            a_toezicht2,
            a_lezer,
            a_beheerder,
            b_partner,
            b_analist,
            c_partner,
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
        let mut input = SignalInput {
            title: Some(title.into()),
            description: Some(format!("Beschrijving van {title}")),
            source_kind: Some("partner".into()),
            source_reliability: Some("B".into()),
            information_credibility: Some("2".into()),
            themes: themes.iter().map(|t| t.to_string()).collect(),
            classification: Some(classification.into()),
            received_at: Some("2025-05-01T09:00:00Z".into()),
            ..Default::default()
        };
        tweak(&mut input);
        let catalogue = self.store().catalogue().await.unwrap();
        let new =
            NewSignal::parse(&input, &catalogue, by, &RetentionPolicy::default(), NOW).unwrap();
        self.store().create_signal(by, new, NOW).await.unwrap()
    }

    pub async fn audit_count(&self) -> usize {
        self.store().audit_events(0, 100_000).await.unwrap().len()
    }
}
