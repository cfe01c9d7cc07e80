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
                },
                now,
            )
            .await
            .unwrap_or_else(|e| fail(e));
    }
    users
}
