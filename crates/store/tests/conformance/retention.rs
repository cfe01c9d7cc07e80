//! Retention that deletes (issue 18, pt 6): a signal past its "bewaren tot" day that nothing
//! followed up and no legal hold keeps is deleted with everything of it — nothing of it is
//! found afterwards in any table — and leaves a tombstone; follow-up and holds keep signals;
//! the audit chain still verifies.

use crate::audit::verify;
use crate::harness::{Harness, NOW};
use baken_core::retention::{HoldGround, PurgeMode, RetentionRules};
use baken_core::subject::SubjectInput;
use baken_store::{Actor, AuditVerification, StoreError};
use time::macros::datetime;

baken_store::on_both_engines!(crate::harness::Harness =>
    a_purged_signal_leaves_nothing_but_its_tombstone,
);

/// Long after every "bewaren tot" day of the signals registered at `NOW`.
const LATER: time::OffsetDateTime = datetime!(2060-01-01 12:00 UTC);

fn person(name: &str, born: &str) -> SubjectInput {
    SubjectInput {
        kind: Some("persoon".into()),
        role: Some("betrokkene".into()),
        name: Some(name.into()),
        birth_date: Some(born.into()),
        ..Default::default()
    }
}

/// Every text in every table of the database, lower-cased, one line per row.
pub(crate) async fn everything(h: &Harness) -> String {
    use sqlx::Row;
    match &h.engine {
        crate::harness::Engine::Sqlite(s) => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(s.raw_pool())
            .await
            .unwrap();
            let mut out = String::new();
            for table in tables {
                let rows = sqlx::query(&format!("SELECT * FROM \"{table}\""))
                    .fetch_all(s.raw_pool())
                    .await
                    .unwrap();
                for row in rows {
                    out.push_str(&table);
                    for i in 0..row.columns().len() {
                        if let Ok(Some(text)) = row.try_get::<Option<String>, _>(i) {
                            out.push(' ');
                            out.push_str(&text);
                        }
                    }
                    out.push('\n');
                }
            }
            out.to_lowercase()
        }
        crate::harness::Engine::Postgres(s) => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            )
            .fetch_all(s.raw_pool())
            .await
            .unwrap();
            let mut out = String::new();
            for table in tables {
                let rows: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT t::text FROM \"{table}\" t"))
                        .fetch_all(s.raw_pool())
                        .await
                        .unwrap();
                for row in rows {
                    out.push_str(&table);
                    out.push(' ');
                    out.push_str(&row);
                    out.push('\n');
                }
            }
            out.to_lowercase()
        }
    }
}

async fn a_purged_signal_leaves_nothing_but_its_tombstone(h: &Harness) {
    let s = h.store();
    let analist = &h.a_analist;
    // The signal to be purged: its own words and a person only it names, and a person it
    // shares with a signal kept for decades.
    let gone = h
        .signal_with(analist, "Kwekerij Zwartkruid", &["drugs"], "intern", |i| {
            i.description = Some("Buren ruiken hennep bij Zwartkruid".into());
            i.subjects = vec![
                person("Piet Zwartkruid", "03-03-1970"),
                person("Jan Blijft", "05-05-1980"),
                person("Otto Teruggetrokken", "06-06-1966"),
            ];
        })
        .await;
    // A correction takes one person out: the mention's row stays for the record, and the
    // purge of the signal takes it along.
    crate::corrections::correct(h, analist, gone.id, "verkeerde persoon", |i| {
        i.subjects
            .retain(|s| !s.name.as_deref().unwrap_or("").contains("Teruggetrokken"));
    })
    .await
    .unwrap();
    let kept = h
        .signal_with(analist, "Nog lang bewaard", &["drugs"], "intern", |i| {
            i.retention_until = Some("2090-01-01".into());
            i.subjects = vec![person("Jan Blijft", "05-05-1980")];
        })
        .await;
    let in_case = h
        .signal(analist, "In een casus", &["drugs"], "intern")
        .await;
    s.create_case(
        analist,
        crate::cases::new_case("Pand", &["drugs"], ""),
        &[in_case.id],
        NOW,
    )
    .await
    .unwrap();
    let held = h
        .signal(analist, "Bezwaar loopt", &["drugs"], "intern")
        .await;
    // Only the command line or a beheerder places a hold.
    let refused = s
        .place_hold(
            &Actor::Caller(analist.clone()),
            held.id,
            HoldGround::Objection,
            NOW,
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::Forbidden(_)));
    s.place_hold(&Actor::cli(), held.id, HoldGround::Objection, NOW)
        .await
        .unwrap();
    let kept_detail = s.signal(analist, kept.id, NOW).await.unwrap();
    let gone_detail = s.signal(analist, gone.id, NOW).await.unwrap();
    let shared = kept_detail.subjects[0].subject.id;
    let reason = baken_core::access::DossierReason::parse("controle bewaartermijn").unwrap();
    let before = s
        .dossier_of(analist, shared, reason.as_ref(), NOW)
        .await
        .unwrap();
    assert_eq!(before.subjects.len(), 2, "Jan Blijft in both signals");
    assert!(everything(h).await.contains("zwartkruid"));

    // Not before its day: nothing is due at registration.
    assert_eq!(
        s.purge(PurgeMode::DryRun, &RetentionRules::default(), NOW)
            .await
            .unwrap()
            .due,
        0
    );

    // A dry run counts and deletes nothing.
    let dry = s
        .purge(PurgeMode::DryRun, &RetentionRules::default(), LATER)
        .await
        .unwrap();
    assert!(dry.due >= 3, "{dry:?}");
    assert_eq!(dry.followed_up, 1, "{dry:?}");
    assert_eq!(dry.held, 1, "{dry:?}");
    assert_eq!(dry.purged, 0);
    assert!(s.signal(analist, gone.id, NOW).await.is_ok());
    let events_before = h.audit_count().await;

    let done = s
        .purge(PurgeMode::Delete, &RetentionRules::default(), LATER)
        .await
        .unwrap();
    assert_eq!(done.purged, dry.deletable(), "{done:?}");
    assert!(
        h.audit_count().await > events_before,
        "the purge is audited"
    );
    let again = s
        .purge(PurgeMode::DryRun, &RetentionRules::default(), LATER)
        .await
        .unwrap();
    assert_eq!(again.deletable(), 0, "{again:?}");

    // Gone by every route: the signal, its mention's dossier, search, and every table.
    assert!(matches!(
        s.signal(analist, gone.id, NOW).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.dossier_of(
            analist,
            gone_detail.subjects[0].subject.id,
            reason.as_ref(),
            NOW
        )
        .await,
        Err(StoreError::NotFound)
    ));
    let after = s
        .dossier_of(analist, shared, reason.as_ref(), NOW)
        .await
        .unwrap();
    assert_eq!(after.subjects.len(), 1, "only the kept signal's mention");
    assert_eq!(after.signals.len(), 1);
    h.assert_search_in_step("after the purge").await;
    let text = everything(h).await;
    for word in ["zwartkruid", "ruiken hennep", "teruggetrokken"] {
        assert!(
            !text.contains(word),
            "{word} still in:\n{}",
            text.lines()
                .filter(|l| l.contains(word))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    assert!(s.purged_at(gone.id).await.unwrap().is_some(), "a tombstone");
    assert!(s.purged_at(kept.id).await.unwrap().is_none());
    // Kept: the one still within its days, the one in a case, the one on hold.
    for id in [kept.id, in_case.id, held.id] {
        assert!(s.signal(analist, id, NOW).await.is_ok());
    }

    // Lifting the hold lets the next purge delete it.
    assert_eq!(
        s.lift_holds(&Actor::cli(), held.id, LATER).await.unwrap(),
        1
    );
    let last = s
        .purge(PurgeMode::Delete, &RetentionRules::default(), LATER)
        .await
        .unwrap();
    assert_eq!(last.purged, 1);
    assert!(matches!(
        s.signal(analist, held.id, NOW).await,
        Err(StoreError::NotFound)
    ));
    // The chain still verifies (it keeps hashes and ids, not content).
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
}
