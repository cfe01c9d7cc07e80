//! `baken backup` and `baken restore` (issue 17, pt 8): a copy taken while the store is open
//! and being written comes back with identical content and an audit chain that verifies; a
//! restore never overwrites an installation, and a file that is no backup is named as such.

use super::{run, text, with};
use baken_store::testing::{TestDatabase, TestEngine};
use std::collections::BTreeMap;

/// Every table's rows, each as its quoted values, in a stable order.
async fn dump(path: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for table in tables {
        let columns: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(&pool)
                .await
                .unwrap();
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let mut rows: Vec<String> = sqlx::query_scalar(&format!("SELECT {row} FROM \"{table}\""))
            .fetch_all(&pool)
            .await
            .unwrap();
        rows.sort();
        out.insert(table, rows);
    }
    pool.close().await;
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_a_running_store_restores_identically_with_its_chain() {
    let db = TestDatabase::fresh(TestEngine::Sqlite).await.unwrap();
    let now = time::macros::datetime!(2026-11-02 10:00 UTC);
    let store = baken_store::open(None, db.dir()).await.unwrap();
    let users = baken_store::testing::small_world(store.as_ref(), None, now).await;
    let caller = baken_core::Caller::for_user_handling_signals(&users["analist@a.test"], "test");
    let catalogue = store.catalogue().await.unwrap();
    for n in 0..25 {
        let input = baken_core::signal::SignalInput {
            title: Some(format!("Hennepgeur {n}")),
            description: Some("Sterke hennepgeur bij de achterdeur".into()),
            source_kind: Some("partner".into()),
            source_reliability: Some("B".into()),
            information_credibility: Some("2".into()),
            themes: vec!["drugs".into()],
            classification: Some("intern".into()),
            received_at: Some("2026-11-01T09:00:00Z".into()),
            ..Default::default()
        };
        let new = baken_core::signal::NewSignal::parse(
            &input,
            &catalogue,
            &caller,
            &baken_core::signal::IntakePolicy::default(),
            now,
        )
        .unwrap();
        store.create_signal(&caller, new, now).await.unwrap();
    }
    let out = db.dir().join("kopie.baken");
    // The store stays open (as `baken serve` would) while the copy is taken.
    let o = run(
        &with(&["backup", "--out", out.to_str().unwrap()], &db.cli_args()),
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Reservekopie gemaakt"), "{}", text(&o));
    let again = run(
        &with(&["backup", "--out", out.to_str().unwrap()], &db.cli_args()),
        None,
    );
    assert!(!again.status.success());
    assert!(text(&again).contains("bestaat al"), "{}", text(&again));
    let original = dump(&db.dir().join("baken.db")).await;
    store.close().await;

    let target = tempfile::tempdir().unwrap();
    let loc = vec![
        "--data-dir".to_string(),
        target.path().display().to_string(),
    ];
    let restored = run(
        &with(&["restore", "--from", out.to_str().unwrap()], &loc),
        None,
    );
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(
        text(&restored).contains("Auditketen intact"),
        "{}",
        text(&restored)
    );
    let copy = dump(&target.path().join("baken.db")).await;
    assert_eq!(
        original.keys().collect::<Vec<_>>(),
        copy.keys().collect::<Vec<_>>()
    );
    for (table, rows) in &original {
        assert_eq!(rows, &copy[table], "table {table}");
    }
    assert!(original["signal"].len() >= 25);
    assert_eq!(
        std::fs::read_to_string(db.dir().join("audit.key")).unwrap(),
        std::fs::read_to_string(target.path().join("audit.key")).unwrap()
    );
    let verified = run(&with(&["audit", "verify"], &loc), None);
    assert!(verified.status.success(), "{}", text(&verified));

    // Never over an installation; never from a file that is no backup.
    let over = run(
        &with(&["restore", "--from", out.to_str().unwrap()], &loc),
        None,
    );
    assert!(!over.status.success());
    assert!(text(&over).contains("bestaat al"), "{}", text(&over));
    let junk = db.dir().join("geen-kopie.txt");
    std::fs::write(&junk, "dit is geen reservekopie").unwrap();
    let empty = tempfile::tempdir().unwrap();
    let refused = run(
        &with(
            &["restore", "--from", junk.to_str().unwrap()],
            &["--data-dir".to_string(), empty.path().display().to_string()],
        ),
        None,
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("is geen reservekopie van Baken"),
        "{}",
        text(&refused)
    );
    assert!(!empty.path().join("baken.db").exists());
}
