//! A person's BSN (issue 17, pt 6): recorded only under a configured legal basis for the
//! caller's organisation and role, kept as a keyed hash (the number is nowhere in the
//! database, the search index or the audit trail), and used by linking as a strong
//! identifier that also keeps different people apart.

use crate::harness::{Harness, NOW};
use baken_core::identifiers::{BsnBasis, BsnPolicy};
use baken_core::signal::{IntakePolicy, NewSignal, PageRequest, SignalFilter, SignalInput};
use baken_core::subject::SubjectInput;
use baken_core::{Caller, Role};
use uuid::Uuid;

baken_store::on_both_engines!(crate::harness::Harness =>
    a_bsn_is_kept_as_a_keyed_hash_and_links_as_a_strong_identifier,
);

const BASIS: &str = "Wet Bibob art. 7a; AVG art. 87 en Wabb art. 10";

fn policy(h: &Harness) -> IntakePolicy {
    IntakePolicy {
        bsn: BsnPolicy {
            bases: vec![BsnBasis {
                legal_basis: BASIS.into(),
                organisation: h.a_analist.org(),
                roles: vec![Role::Analist],
            }],
        },
        ..Default::default()
    }
}

fn person(name: &str, born: Option<&str>, bsn: &str) -> SubjectInput {
    SubjectInput {
        kind: Some("persoon".into()),
        role: Some("betrokkene".into()),
        name: Some(name.into()),
        birth_date: born.map(str::to_string),
        bsn: Some(bsn.into()),
        ..Default::default()
    }
}

fn input(title: &str, subject: SubjectInput) -> SignalInput {
    SignalInput {
        title: Some(title.into()),
        description: Some("Melding over een bewoner".into()),
        source_kind: Some("partner".into()),
        source_reliability: Some("B".into()),
        information_credibility: Some("2".into()),
        themes: vec!["drugs".into()],
        classification: Some("intern".into()),
        received_at: Some("2025-05-01T09:00:00Z".into()),
        subjects: vec![subject],
        ..Default::default()
    }
}

/// Registers a signal naming `subject` as `by` under `policy`; the mention's id.
async fn mention(h: &Harness, by: &Caller, title: &str, subject: SubjectInput) -> Uuid {
    let catalogue = h.store().catalogue().await.unwrap();
    let new = NewSignal::parse(&input(title, subject), &catalogue, by, &policy(h), NOW).unwrap();
    let s = h.store().create_signal(by, new, NOW).await.unwrap();
    let d = h.store().signal(by, s.id, NOW).await.unwrap();
    assert_eq!(d.subjects[0].bsn_basis.as_deref(), Some(BASIS));
    d.subjects[0].subject.id
}

async fn a_bsn_is_kept_as_a_keyed_hash_and_links_as_a_strong_identifier(h: &Harness) {
    let a = &h.a_analist;
    // Without a basis for the organisation and role, the form refuses it.
    let catalogue = h.store().catalogue().await.unwrap();
    for who in [&h.a_toezicht, &h.b_analist] {
        let refused = NewSignal::parse(
            &input("x", person("Jan de Vries", None, "111222333")),
            &catalogue,
            who,
            &policy(h),
            NOW,
        )
        .unwrap_err();
        assert!(refused.for_field("subjects[0].bsn").is_some());
    }

    // The same number links a mention with little else to go on ...
    let first = mention(h, a, "Eerste", person("J. de Vries", None, "111222333")).await;
    let second = mention(
        h,
        a,
        "Tweede",
        person("Jan de Vries", Some("12-04-1979"), "111 222 333"),
    )
    .await;
    let entity = |id| async move { h.store().subject_entity(a, id, NOW).await.unwrap() };
    assert_eq!(entity(first).await, entity(second).await);
    // ... and a different number keeps the same name and birth date apart.
    let other = mention(
        h,
        a,
        "Derde",
        person("Jan de Vries", Some("12-04-1979"), "123456782"),
    )
    .await;
    assert_ne!(entity(other).await, entity(first).await);

    // The number itself is nowhere: not in the subjects, the search index, the audit trail.
    let (store_text, events) = match &h.engine {
        crate::harness::Engine::Sqlite(s) => (
            sqlx::query_scalar::<_, String>(
                "SELECT COALESCE(group_concat(original || details || normalised || COALESCE(link_form, '') \
                 || COALESCE(bsn_hash, '') || COALESCE(bsn_basis, ''), '|'), '') FROM subject",
            )
            .fetch_one(s.raw_pool())
            .await
            .unwrap()
                + &sqlx::query_scalar::<_, String>(
                    "SELECT COALESCE(group_concat(title || description || subjects, '|'), '') FROM signal_fts",
                )
                .fetch_one(s.raw_pool())
                .await
                .unwrap(),
            sqlx::query_scalar::<_, String>(
                "SELECT COALESCE(group_concat(detail, '|'), '') FROM audit_event",
            )
            .fetch_one(s.raw_pool())
            .await
            .unwrap(),
        ),
        crate::harness::Engine::Postgres(s) => (
            sqlx::query_scalar::<_, String>(
                "SELECT COALESCE(string_agg(original || details || normalised || COALESCE(link_form, '') \
                 || COALESCE(bsn_hash, '') || COALESCE(bsn_basis, ''), '|'), '') FROM subject",
            )
            .fetch_one(s.raw_pool())
            .await
            .unwrap()
                + &sqlx::query_scalar::<_, String>(
                    "SELECT COALESCE(string_agg(document::text || names, '|'), '') FROM signal_search",
                )
                .fetch_one(s.raw_pool())
                .await
                .unwrap(),
            sqlx::query_scalar::<_, String>(
                "SELECT COALESCE(string_agg(detail, '|'), '') FROM audit_event",
            )
            .fetch_one(s.raw_pool())
            .await
            .unwrap(),
        ),
    };
    for number in ["111222333", "123456782"] {
        assert!(!store_text.contains(number), "{number} stored");
        assert!(!events.contains(number), "{number} audited");
    }
    assert!(
        store_text.contains(BASIS),
        "the basis is kept with the mention"
    );
    // Searching for the number finds nothing.
    let found = h
        .store()
        .list_signals(
            a,
            &SignalFilter {
                text: Some("111222333".into()),
                ..Default::default()
            },
            PageRequest::default(),
            NOW,
        )
        .await
        .unwrap();
    assert!(found.items.is_empty());
}
