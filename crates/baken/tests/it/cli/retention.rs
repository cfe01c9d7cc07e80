//! `baken purge` and `baken hold` (issue 18, pt 6): a dry run counts, a purge deletes what is
//! past its day and not held, a hold keeps a signal until it is lifted.

use super::{run, text, with};
use baken_store::testing::TestDatabase;

baken_store::on_both_engines!(TestDatabase =>
    the_command_line_purges_what_is_due_and_holds_keep_it,
);

async fn the_command_line_purges_what_is_due_and_holds_keep_it(db: &TestDatabase) {
    // Two signals received in 2015: their five years ended in 2020.
    let then = time::macros::datetime!(2015-03-02 10:00 UTC);
    let store = db.open().await;
    let users = baken_store::testing::small_world(store.as_ref(), None, then).await;
    let caller = baken_core::Caller::for_user_handling_signals(&users["analist@a.test"], "test");
    let catalogue = store.catalogue().await.unwrap();
    let mut ids = Vec::new();
    for title in ["Oude melding", "Melding met bezwaar"] {
        let input = baken_core::signal::SignalInput {
            title: Some(title.into()),
            description: Some("Lang geleden gemeld".into()),
            source_kind: Some("partner".into()),
            source_reliability: Some("B".into()),
            information_credibility: Some("2".into()),
            themes: vec!["drugs".into()],
            classification: Some("intern".into()),
            received_at: Some("2015-03-01T09:00:00Z".into()),
            ..Default::default()
        };
        let new = baken_core::signal::NewSignal::parse(
            &input,
            &catalogue,
            &caller,
            &baken_core::signal::IntakePolicy::default(),
            then,
        )
        .unwrap();
        ids.push(store.create_signal(&caller, new, then).await.unwrap().id);
    }
    store.close().await;
    let loc = db.cli_args();

    let dry = run(&with(&["purge", "--dry-run"], &loc), None);
    assert!(dry.status.success(), "{}", text(&dry));
    assert!(
        text(&dry).contains("2 signalen voorbij de bewaartermijn")
            && text(&dry).contains("Zonder --dry-run worden 2 signalen verwijderd."),
        "{}",
        text(&dry)
    );
    let held = ids[1].to_string();
    let hold = run(
        &with(&["hold", "place", &held, "--grond", "bezwaar"], &loc),
        None,
    );
    assert!(hold.status.success(), "{}", text(&hold));
    assert!(text(&hold).contains("staat op slot"));
    let unknown = run(
        &with(&["hold", "place", "geen-nummer", "--grond", "beroep"], &loc),
        None,
    );
    assert!(!unknown.status.success());
    assert!(text(&unknown).contains("nummer: 'geen-nummer' is geen nummer van een signaal"));

    let purge = run(&with(&["purge"], &loc), None);
    assert!(purge.status.success(), "{}", text(&purge));
    assert!(
        text(&purge).contains("1 signaal bewaard door een juridisch slot")
            && text(&purge).contains("Verwijderd: 1 signaal"),
        "{}",
        text(&purge)
    );
    // Everything was recorded in 2015: more than seven years ago, so the audit trail's content
    // of then is emptied (the chain still verifies, below).
    assert!(
        text(&purge).contains("is de inhoud gewist") && !text(&purge).contains("van 0 auditregels"),
        "{}",
        text(&purge)
    );
    let lift = run(&with(&["hold", "lift", &held], &loc), None);
    assert!(
        text(&lift).contains(&format!("Het slot op {held} is eraf")),
        "{}",
        text(&lift)
    );
    let purge = run(&with(&["purge"], &loc), None);
    assert!(
        text(&purge).contains("Verwijderd: 1 signaal"),
        "{}",
        text(&purge)
    );
    let verify = run(&with(&["audit", "verify"], &loc), None);
    assert!(verify.status.success(), "{}", text(&verify));

    let store = db.open().await;
    for id in &ids {
        assert!(store.purged_at(*id).await.unwrap().is_some());
    }
    store.close().await;
}
