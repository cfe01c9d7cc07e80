//! The audit trail: every change and every detail read is recorded, hash-chained, and any
//! tampering is found.

use crate::harness::{Harness, NOW};
use baken_core::signal::{PageRequest, SignalFilter};
use baken_core::status::StatusChange;
use baken_store::AuditVerification;

baken_store::on_both_engines!(crate::harness::Harness =>
    changes_and_reads_are_audited_with_purpose_and_result,
    refusals_counts_and_dossier_lookups_are_audited,
    intact_chain_verifies,
    edited_event_is_found,
    deleted_event_is_found,
    deleted_last_event_is_found,
    reordered_events_are_found,
);

async fn changes_and_reads_are_audited_with_purpose_and_result(h: &Harness) {
    let start = last_seq(h).await;
    let s = h.signal(&h.a_analist, "Audit", &["drugs"], "intern").await;
    h.store().signal(&h.a_analist, s.id, NOW).await.unwrap();
    let _ = h.store().signal(&h.c_partner, s.id, NOW).await;
    h.store()
        .change_signal_status(
            &h.a_analist,
            s.id,
            StatusChange::parse("in-triage", "x").unwrap(),
            NOW,
        )
        .await
        .unwrap();
    h.store()
        .list_signals(
            &h.a_analist,
            &SignalFilter::default(),
            PageRequest::default(),
            NOW,
        )
        .await
        .unwrap();
    let events = h.store().audit_events(start, 100).await.unwrap();
    let got: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.action.as_str(), e.result.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("signal.create", "success"),
            ("signal.read", "success"),
            ("signal.read", "not-found"),
            ("signal.status-change", "success"),
            ("signal.list", "success"),
        ]
    );
    let read = &events[1];
    assert_eq!(read.actor_user, Some(h.a_analist.user()));
    assert_eq!(read.actor_org, Some(h.a_analist.org()));
    assert_eq!(read.object_id.as_deref(), Some(s.id.to_string().as_str()));
    assert_eq!(read.purpose, "signaalbehandeling");
    assert_eq!(read.origin, "test");
    assert_eq!(read.occurred_at, NOW);
    assert_eq!(events[2].actor_user, Some(h.c_partner.user()));
    // The audit trail itself is append-only in the database, and so is a signal's status
    // history: neither changed nor deleted.
    assert!(sqlx_err(h, "DELETE FROM audit_event").await);
    assert!(sqlx_err(h, "UPDATE signal_status_history SET reason = 'x'").await);
    assert!(sqlx_err(h, "DELETE FROM signal_status_history").await);
}

async fn refusals_counts_and_dossier_lookups_are_audited(h: &Harness) {
    use baken_core::access::Suppression;
    use baken_core::model::AreaKind;
    use baken_core::picture::{CountGroup, CountQuery};
    let s = h.signal(&h.a_analist, "Geteld", &["drugs"], "intern").await;
    let start = last_seq(h).await;
    // A partner that may not see the signal is refused as if it did not exist; a lezer may
    // see counts but not change a status.
    let change = || StatusChange::parse("in-triage", "x").unwrap();
    let refused = h
        .store()
        .change_signal_status(&h.c_partner, s.id, change(), NOW)
        .await;
    assert!(matches!(refused, Err(baken_store::StoreError::NotFound)));
    h.store()
        .overview(&h.a_lezer, Suppression::default(), NOW)
        .await
        .unwrap();
    h.store()
        .signal_counts(
            &h.a_lezer,
            &CountQuery {
                filter: SignalFilter::default(),
                group: CountGroup::Area(AreaKind::Wijk),
            },
            Suppression::default(),
            NOW,
        )
        .await
        .unwrap();
    // An assignee from another organisation is refused, and the attempt recorded.
    let outsider = h.b_partner.user().to_string();
    let assigned = h
        .store()
        .assign_signal(
            &h.a_analist,
            s.id,
            baken_core::signal::Assignment::parse(&outsider, "", "x").unwrap(),
            NOW,
        )
        .await;
    assert!(matches!(
        &assigned,
        Err(baken_store::StoreError::Rejected(r))
            if r == &[baken_store::Rejection::AssigneeOfOtherOrganisation]
    ));
    let unknown = h
        .store()
        .subject_entity(&h.c_partner, uuid::Uuid::now_v7(), NOW)
        .await;
    assert!(matches!(unknown, Err(baken_store::StoreError::NotFound)));
    // A search keeps its words as typed, with the other filters.
    let searched = SignalFilter {
        text: Some("Hennep \"loods\"".into()),
        theme: Some("drugs".into()),
        open: true,
        ..Default::default()
    };
    h.store()
        .list_signals(&h.a_analist, &searched, Default::default(), NOW)
        .await
        .unwrap();
    let events = h.store().audit_events(start, 100).await.unwrap();
    let got: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| (e.action.as_str(), e.result.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("signal.status-change", "not-found", "to=in-triage"),
            ("signal.count", "success", "group=overview aggregated=true"),
            (
                "signal.count",
                "success",
                "group=area:wijk groups=0 aggregated=true"
            ),
            ("signal.assign", "refused", ""),
            ("entity.resolve", "not-found", ""),
            (
                "signal.list",
                "success",
                "shown=0 total=0 page=1 q=\"Hennep \\\"loods\\\"\" theme=drugs open=true"
            ),
        ]
    );
    assert_eq!(events[0].actor_user, Some(h.c_partner.user()));
    assert_eq!(events[1].actor_user, Some(h.a_lezer.user()));
    // Nothing changed by the refused attempt.
    let seen = h.store().signal(&h.a_analist, s.id, NOW).await.unwrap();
    assert_eq!(seen.signal.status.slug(), "nieuw");
}

/// The sequence number of the last audit event so far.
async fn last_seq(h: &Harness) -> i64 {
    h.store()
        .audit_events(0, 100_000)
        .await
        .unwrap()
        .last()
        .unwrap()
        .seq
}

async fn sqlx_err(h: &Harness, sql: &str) -> bool {
    match &h.engine {
        crate::harness::Engine::Sqlite(s) => {
            sqlx::raw_sql(sql).execute(s.raw_pool()).await.is_err()
        }
        crate::harness::Engine::Postgres(s) => {
            sqlx::raw_sql(sql).execute(s.raw_pool()).await.is_err()
        }
    }
}

async fn some_history(h: &Harness) -> i64 {
    for i in 0..3 {
        let s = h
            .signal(&h.a_analist, &format!("S{i}"), &["drugs"], "intern")
            .await;
        h.store().signal(&h.a_analist, s.id, NOW).await.unwrap();
    }
    last_seq(h).await
}

async fn verify(h: &Harness) -> AuditVerification {
    h.store().verify_audit_chain().await.unwrap()
}

async fn intact_chain_verifies(h: &Harness) {
    let last = some_history(h).await;
    assert_eq!(
        verify(h).await,
        AuditVerification::Intact {
            events: last as u64
        }
    );
}

async fn edited_event_is_found(h: &Harness) {
    some_history(h).await;
    h.drop_audit_guard().await;
    h.raw("UPDATE audit_event SET result = 'success', action = 'signal.list' WHERE seq = 7")
        .await;
    assert!(
        matches!(verify(h).await, AuditVerification::Broken { seq: 7, .. }),
        "{:?}",
        verify(h).await
    );
}

async fn deleted_event_is_found(h: &Harness) {
    some_history(h).await;
    h.drop_audit_guard().await;
    h.raw("DELETE FROM audit_event WHERE seq = 9").await;
    assert!(
        matches!(verify(h).await, AuditVerification::Broken { seq: 9, .. }),
        "{:?}",
        verify(h).await
    );
}

async fn deleted_last_event_is_found(h: &Harness) {
    let last = some_history(h).await;
    h.drop_audit_guard().await;
    h.raw(&format!("DELETE FROM audit_event WHERE seq = {last}"))
        .await;
    assert!(
        matches!(verify(h).await, AuditVerification::Broken { seq, .. } if seq == last),
        "{:?}",
        verify(h).await
    );
}

async fn reordered_events_are_found(h: &Harness) {
    some_history(h).await;
    h.drop_audit_guard().await;
    h.raw("UPDATE audit_event SET seq = -1 WHERE seq = 5; UPDATE audit_event SET seq = 5 WHERE seq = 6; UPDATE audit_event SET seq = 6 WHERE seq = -1;")
        .await;
    assert!(
        matches!(verify(h).await, AuditVerification::Broken { seq: 5, .. }),
        "{:?}",
        verify(h).await
    );
}
