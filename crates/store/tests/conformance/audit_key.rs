//! The audit key belongs to the database: a process pointed at it with another data directory
//! (a command run from elsewhere, a forgotten `--data-dir`) is refused before it makes a key or
//! signs an event that nobody could verify with the installation's key.

use baken_store::anchor::AnchorError;
use baken_store::testing::TestDatabase;
use baken_store::{OpenRefused, StoreError};

baken_store::on_both_engines!(TestDatabase =>
    another_data_directory_is_refused_before_it_signs,
    a_database_from_before_its_key_was_recorded_is_refused_as_well
);

/// The database's URL (the embedded file's, for SQLite).
fn url_of(db: &TestDatabase) -> String {
    match db.url() {
        Some(url) => url.to_string(),
        None => format!("sqlite:{}", db.dir().join("baken.db").display()),
    }
}

/// Runs `sql` on the database as someone with direct access would.
async fn raw(db: &TestDatabase, sql: &str) {
    match db.url() {
        Some(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
        None => {
            let pool = sqlx::SqlitePool::connect(&url_of(db)).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

async fn another_data_directory_is_refused_before_it_signs(db: &TestDatabase) {
    let url = url_of(db);
    // The installation opens its database with its data directory, which makes the key.
    drop(db.open().await);
    let elsewhere = tempfile::tempdir().unwrap();
    let refused = baken_store::open(Some(&url), elsewhere.path()).await;
    let Err(e) = refused else {
        panic!("opened with a data directory without the key");
    };
    assert!(
        matches!(
            e,
            StoreError::Opening(OpenRefused::Anchor(AnchorError::KeyMissing { .. }))
        ),
        "{e}"
    );
    assert!(
        !elsewhere.path().join("audit.key").exists(),
        "no key was made in the other directory"
    );

    // A data directory with a key of its own.
    std::fs::write(
        elsewhere.path().join("audit.key"),
        format!("{}\n", "ab".repeat(32)),
    )
    .unwrap();
    let refused = baken_store::open(Some(&url), elsewhere.path()).await;
    let Err(e) = refused else {
        panic!("opened with another installation's key");
    };
    assert!(
        matches!(
            e,
            StoreError::Opening(OpenRefused::Anchor(AnchorError::ForeignKey { .. }))
        ),
        "{e}"
    );

    // The installation's own directory still opens it, by URL as well.
    baken_store::open(Some(&url), db.dir()).await.unwrap();
    drop(db.open().await);
}

/// A database whose key was never recorded (its events were signed before the database kept
/// its key's id, a row of `meta`) is asked whose hash its last event carries: a data directory
/// without that key, or with another, is refused before it signs.
async fn a_database_from_before_its_key_was_recorded_is_refused_as_well(db: &TestDatabase) {
    let url = url_of(db);
    // The installation signs an event with its key.
    let store = db.open().await;
    store
        .record_event(
            &baken_store::Actor::System {
                process: "test".into(),
            },
            baken_store::AuditRecord::success(
                baken_core::audit::AuditAction::UserUnlock,
                baken_core::audit::ObjectKind::User,
                None,
                String::new(),
            ),
            time::OffsetDateTime::UNIX_EPOCH,
        )
        .await
        .unwrap();
    store.close().await;
    drop(store);
    raw(db, "DELETE FROM meta WHERE key = 'audit_key_id'").await;

    let elsewhere = tempfile::tempdir().unwrap();
    let Err(e) = baken_store::open(Some(&url), elsewhere.path()).await else {
        panic!("opened a signed chain with a data directory without the key");
    };
    assert!(
        matches!(
            e,
            StoreError::Opening(OpenRefused::Anchor(AnchorError::KeyMissing { .. }))
        ),
        "{e}"
    );
    assert!(!elsewhere.path().join("audit.key").exists());

    std::fs::write(
        elsewhere.path().join("audit.key"),
        format!("{}\n", "cd".repeat(32)),
    )
    .unwrap();
    let Err(e) = baken_store::open(Some(&url), elsewhere.path()).await else {
        panic!("opened a signed chain with another installation's key");
    };
    assert!(
        matches!(
            e,
            StoreError::Opening(OpenRefused::Anchor(AnchorError::ForeignKey { .. }))
        ),
        "{e}"
    );

    // The installation's own directory opens it and records its key again.
    baken_store::open(Some(&url), db.dir()).await.unwrap();
    let Err(_) = baken_store::open(Some(&url), elsewhere.path()).await else {
        panic!("the key was not recorded again");
    };
}
