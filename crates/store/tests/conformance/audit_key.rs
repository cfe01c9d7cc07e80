//! The audit key belongs to the database: a process pointed at it with another data directory
//! (a command run from elsewhere, a forgotten `--data-dir`) is refused before it makes a key or
//! signs an event that nobody could verify with the installation's key.

use baken_store::testing::TestDatabase;

baken_store::on_both_engines!(TestDatabase => another_data_directory_is_refused_before_it_signs);

async fn another_data_directory_is_refused_before_it_signs(db: &TestDatabase) {
    let url = match db.url() {
        Some(url) => url.to_string(),
        None => format!("sqlite:{}", db.dir().join("baken.db").display()),
    };
    // The installation opens its database with its data directory, which makes the key.
    drop(db.open().await);
    let elsewhere = tempfile::tempdir().unwrap();
    let refused = baken_store::open(Some(&url), elsewhere.path()).await;
    let Err(e) = refused else {
        panic!("opened with a data directory without the key");
    };
    assert!(e.to_string().contains("holds no audit key"), "{e}");
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
    assert!(e.to_string().contains("is not the audit key"), "{e}");

    // The installation's own directory still opens it, by URL as well.
    baken_store::open(Some(&url), db.dir()).await.unwrap();
    drop(db.open().await);
}
