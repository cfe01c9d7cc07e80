//! The audit trail: every change and every detail read is recorded, hash-chained, and any
//! tampering is found.

use crate::harness::{Engine, Harness, NOW};
use baken_core::signal::{PageRequest, SignalFilter};
use baken_core::status::StatusChange;
use baken_store::{AuditVerification, ChainBreak};

baken_store::on_both_engines!(crate::harness::Harness =>
    changes_and_reads_are_audited_with_purpose_and_result,
    refusals_counts_and_dossier_lookups_are_audited,
    intact_chain_verifies,
    edited_event_is_found,
    deleted_event_is_found,
    deleted_last_event_is_found,
    reordered_events_are_found,
    deleting_and_rehashing_without_the_key_is_found,
    truncating_the_tail_is_found_by_a_checkpoint,
    simultaneous_reads_and_writes_are_each_recorded_in_one_intact_chain,
    reads_and_changes_wait_out_a_write_longer_than_the_busy_timeout,
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
                "shown=0 total=0 from=first q=\"Hennep \\\"loods\\\"\" theme=drugs open=true"
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

pub(crate) async fn sqlx_err(h: &Harness, sql: &str) -> bool {
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

pub(crate) async fn verify(h: &Harness) -> AuditVerification {
    h.store()
        .verify_audit_chain(&Default::default())
        .await
        .unwrap()
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

/// Someone with the database but not the key deletes an event and re-hashes everything after
/// it, head included, as the unkeyed chain allowed: the first re-hashed event is found.
async fn deleting_and_rehashing_without_the_key_is_found(h: &Harness) {
    use baken_core::audit::{chain_hash, ChainedFields};
    let last = some_history(h).await;
    h.drop_audit_guard().await;
    h.raw("DELETE FROM audit_event WHERE seq = 6").await;
    let events = h.store().audit_events(0, 100_000).await.unwrap();
    let mut prev = events
        .iter()
        .find(|e| e.seq == 5)
        .map(|e| e.hash.clone())
        .unwrap();
    for (new_seq, e) in (6..).zip(events.iter().filter(|e| e.seq > 6)) {
        let (user, org) = (
            e.actor_user.map(|u| u.to_string()).unwrap_or_default(),
            e.actor_org.map(|o| o.to_string()).unwrap_or_default(),
        );
        let occurred = occurred_text(h, e.seq).await;
        let fields = ChainedFields {
            seq: new_seq,
            occurred_at: &occurred,
            actor_user: &user,
            actor_org: &org,
            action: &e.action,
            object_type: &e.object_type,
            object_id: e.object_id.as_deref().unwrap_or(""),
            result: &e.result,
            origin: &e.origin,
            purpose: &e.purpose,
            detail: &e.detail,
        };
        let hash = chain_hash(&prev, &fields);
        h.raw(&format!(
            "UPDATE audit_event SET seq = {new_seq}, prev_hash = '{prev}', hash = '{hash}' WHERE seq = {}",
            e.seq
        ))
        .await;
        prev = hash;
    }
    h.raw(&format!(
        "UPDATE audit_head SET seq = {}, hash = '{prev}' WHERE id = 1",
        last - 1
    ))
    .await;
    assert_eq!(
        verify(h).await,
        AuditVerification::Broken {
            seq: 6,
            reason: ChainBreak::Altered
        }
    );
}

/// Cutting off the last events, head and all, leaves a chain that is consistent in itself;
/// the checkpoint taken before says it ended later.
async fn truncating_the_tail_is_found_by_a_checkpoint(h: &Harness) {
    let last = some_history(h).await;
    let (seq, hash) = h.store().audit_head().await.unwrap();
    assert_eq!(seq, last);
    let anchor = baken_store::AuditAnchor {
        legacy_until: 0,
        checkpoints: vec![(seq, hash)],
    };
    assert!(matches!(
        h.store().verify_audit_chain(&anchor).await.unwrap(),
        AuditVerification::Intact { .. }
    ));
    h.drop_audit_guard().await;
    let events = h.store().audit_events(0, 100_000).await.unwrap();
    let keep = events.iter().find(|e| e.seq == last - 2).unwrap();
    h.raw(&format!("DELETE FROM audit_event WHERE seq > {}", last - 2))
        .await;
    h.raw(&format!(
        "UPDATE audit_head SET seq = {}, hash = '{}' WHERE id = 1",
        last - 2,
        keep.hash
    ))
    .await;
    assert!(
        matches!(verify(h).await, AuditVerification::Intact { .. }),
        "alone, it looks whole"
    );
    assert_eq!(
        h.store().verify_audit_chain(&anchor).await.unwrap(),
        AuditVerification::Broken {
            seq: last - 1,
            reason: ChainBreak::BeforeCheckpoint { checkpoint: last }
        }
    );
}

/// An event's time as stored (the text the hash covers).
async fn occurred_text(h: &Harness, seq: i64) -> String {
    let sql = "SELECT occurred_at FROM audit_event WHERE seq = $1";
    match &h.engine {
        crate::harness::Engine::Sqlite(s) => sqlx::query_scalar(sql)
            .bind(seq)
            .fetch_one(s.raw_pool())
            .await
            .unwrap(),
        crate::harness::Engine::Postgres(s) => sqlx::query_scalar(sql)
            .bind(seq)
            .fetch_one(s.raw_pool())
            .await
            .unwrap(),
    }
}

/// Two hundred reads and twenty changes at once: every one has its event (reads are
/// committed in groups, changes with their own transaction) and the chain verifies.
async fn simultaneous_reads_and_writes_are_each_recorded_in_one_intact_chain(h: &Harness) {
    let s = h
        .signal(&h.a_analist, "Gelezen", &["drugs"], "intern")
        .await;
    let start = last_seq(h).await;
    let store = h.store();
    let reads = (0..200).map(|i| async move {
        if i % 2 == 0 {
            store.signal(&h.a_analist, s.id, NOW).await.map(|_| ())
        } else {
            store
                .list_signals(
                    &h.b_partner,
                    &SignalFilter::default(),
                    PageRequest::first(5),
                    NOW,
                )
                .await
                .map(|_| ())
        }
    });
    let writes = (0..20).map(|i| async move {
        h.signal(&h.a_analist, &format!("Nieuw {i}"), &["drugs"], "intern")
            .await;
        Ok(())
    });
    let reads = futures_util::future::join_all(reads);
    let writes = futures_util::future::join_all(writes);
    let (reads, writes) = futures_util::future::join(reads, writes).await;
    assert!(reads.iter().chain(writes.iter()).all(|r| r.is_ok()));
    let events = h.store().audit_events(start, 10_000).await.unwrap();
    let count = |action: &str| {
        events
            .iter()
            .filter(|e| e.action.as_str() == action)
            .count()
    };
    assert_eq!(
        (
            count("signal.read"),
            count("signal.list"),
            count("signal.create")
        ),
        (100, 100, 20)
    );
    assert_eq!(events.len(), 220);
    assert_eq!(
        verify(h).await,
        AuditVerification::Intact {
            events: u64::try_from(start).unwrap() + 220
        }
    );
}

/// Holds the chain's head (the write lock every change and every read's event needs) in a
/// transaction of another connection for `held`, from when `taken` is told until it rolls
/// back.
macro_rules! hold_head {
    ($pool:expr, $held:expr, $taken:expr) => {{
        let pool = $pool.clone();
        tokio::spawn(async move {
            let mut tx = pool.begin().await.unwrap();
            sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
                .execute(&mut *tx)
                .await
                .unwrap();
            $taken.send(()).unwrap();
            tokio::time::sleep($held).await;
            tx.rollback().await.unwrap();
        })
    }};
}

/// A write that holds the lock longer than SQLite's busy timeout (10 s; an agreement's end
/// at a million signals takes its rows away for about as long) makes a read wait for its
/// audit event and a change for its slot, not fail: both are answered and recorded once the
/// write is done.
async fn reads_and_changes_wait_out_a_write_longer_than_the_busy_timeout(h: &Harness) {
    let signal = h
        .signal(&h.a_analist, "Lang wachten", &["drugs"], "intern")
        .await;
    let before = h.audit_count().await;
    let (taken, on_taken) = tokio::sync::oneshot::channel();
    let held = std::time::Duration::from_secs(13);
    let holder = match &h.engine {
        Engine::Sqlite(s) => hold_head!(s.raw_pool(), held, taken),
        Engine::Postgres(s) => hold_head!(s.raw_pool(), held, taken),
    };
    on_taken.await.unwrap();
    let all = SignalFilter::default();
    let read = h
        .store()
        .list_signals(&h.a_analist, &all, PageRequest::first(10), NOW);
    let change = h.store().change_signal_status(
        &h.a_analist,
        signal.id,
        StatusChange::parse("in-triage", "opgepakt").unwrap(),
        NOW,
    );
    let (page, changed) = tokio::join!(read, change);
    assert!(page.is_ok(), "the read failed instead of waiting: {page:?}");
    assert!(
        changed.is_ok(),
        "the change failed instead of waiting: {changed:?}"
    );
    holder.await.unwrap();
    assert_eq!(
        h.audit_count().await,
        before + 2,
        "the read and the change are recorded"
    );
    let verified = h
        .store()
        .verify_audit_chain(&Default::default())
        .await
        .unwrap();
    assert!(
        matches!(verified, AuditVerification::Intact { .. }),
        "{verified:?}"
    );
}
