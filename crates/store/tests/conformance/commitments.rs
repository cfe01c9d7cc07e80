//! Commitments of the plan: recorded and moved by the analist with the reason kept, read by
//! the organisation (not by another), linked only to what the analist may see and shown only
//! as far as the reader may see it.

use crate::harness::{Harness, NOW};
use baken_core::access::Denied;
use baken_core::commitment::{
    CommitmentLinkKind, CommitmentStatus, CommitmentStatusChange, NewCommitment, NewCommitmentLink,
    RawCommitment,
};
use baken_core::intervention::{NewIntervention, RawIntervention};
use baken_store::{Rejection, StoreError};
use time::macros::date;

baken_store::on_both_engines!(crate::harness::Harness =>
    a_commitment_keeps_its_history_and_shows_only_visible_progress
);

async fn a_commitment_keeps_its_history_and_shows_only_visible_progress(h: &Harness) {
    let store = h.store();
    let new = || {
        NewCommitment::parse(&RawCommitment {
            theme: "drugs".into(),
            kind: "belofte".into(),
            text: "Panden sluiten bij drugshandel".into(),
            owner: "Team Handhaving".into(),
            due_on: "2025-12-31".into(),
        })
        .unwrap()
    };
    let r = store.create_commitment(&h.a_lezer, new(), NOW).await;
    assert!(
        matches!(r, Err(StoreError::Forbidden(Denied::ManageCommitments))),
        "{r:?}"
    );
    let id = store
        .create_commitment(&h.a_analist, new(), NOW)
        .await
        .unwrap();
    store
        .change_commitment_status(
            &h.a_analist,
            id,
            CommitmentStatusChange {
                to: CommitmentStatus::InProgress,
                reason: "eerste sluitingen".into(),
            },
            NOW,
        )
        .await
        .unwrap();
    let closure = h
        .store()
        .create_intervention(
            &h.a_analist,
            NewIntervention::parse(
                &RawIntervention {
                    kind: "sluiting-13b".into(),
                    title: "Sluiting".into(),
                    ..RawIntervention::default()
                },
                date!(2025 - 06 - 02),
            )
            .unwrap(),
            NOW,
        )
        .await
        .unwrap();
    let link = |id| NewCommitmentLink {
        kind: CommitmentLinkKind::Intervention,
        id,
    };
    store
        .link_commitment(&h.a_analist, id, link(closure), NOW)
        .await
        .unwrap();
    let r = store
        .link_commitment(&h.a_analist, id, link(uuid::Uuid::now_v7()), NOW)
        .await;
    assert!(
        matches!(&r, Err(StoreError::Rejected(v)) if v == &[Rejection::CommitmentLinkUnknown]),
        "{r:?}"
    );
    let seen = store.commitments(&h.a_analist, NOW).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].status, CommitmentStatus::InProgress);
    assert_eq!(seen[0].history.len(), 2);
    assert_eq!(seen[0].history[1].reason, "eerste sluitingen");
    assert_eq!(seen[0].links.len(), 1);
    assert!(seen[0].is_overdue(date!(2026 - 01 - 02)));
    // The lezer reads the commitment but not the closure behind it; another organisation
    // sees nothing and cannot move it.
    let lezer = store.commitments(&h.a_lezer, NOW).await.unwrap();
    assert_eq!(lezer.len(), 1);
    assert!(lezer[0].links.is_empty());
    assert!(store
        .commitments(&h.b_analist, NOW)
        .await
        .unwrap()
        .is_empty());
    let r = store
        .change_commitment_status(
            &h.b_analist,
            id,
            CommitmentStatusChange {
                to: CommitmentStatus::Done,
                reason: "x".into(),
            },
            NOW,
        )
        .await;
    assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
    let r = store.commitments(&h.a_beheerder, NOW).await;
    assert!(
        matches!(r, Err(StoreError::Forbidden(Denied::SeeCommitments))),
        "{r:?}"
    );
}
