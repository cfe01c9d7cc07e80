//! The verwijsindex (issue 18, pt 5): under an agreement with a contact point, a party learns
//! that another party holds information about a subject and whom to contact — never what, never
//! Bibob, only within the agreement's themes, only for the roles that handle signals — and the
//! question and the hit are audited on both sides.

use crate::audit::verify;
use crate::harness::{Harness, NOW};
use baken_core::access::Denied;
use baken_core::model::Classification;
use baken_core::subject::{NewSubject, SubjectInput};
use baken_store::{Actor, AuditVerification, NewAgreement, Rejection, StoreError};
use time::macros::date;

baken_store::on_both_engines!(crate::harness::Harness =>
    a_party_learns_who_holds_information_and_nothing_more,
);

fn person(name: &str) -> SubjectInput {
    SubjectInput {
        kind: Some("persoon".into()),
        role: Some("betrokkene".into()),
        name: Some(name.into()),
        birth_date: Some("01-01-1970".into()),
        ..Default::default()
    }
}

fn asked(name: &str) -> NewSubject {
    NewSubject::parse(&person(name), 0, date!(2025 - 06 - 02)).unwrap()
}

async fn a_party_learns_who_holds_information_and_nothing_more(h: &Harness) {
    let s = h.store();
    let beheerder = Actor::Caller(h.a_beheerder.clone());
    let agreement = |contact: Option<String>| NewAgreement {
        name: "Verwijsindex drugs".into(),
        parties: vec![h.a_analist.org(), h.b_partner.org()],
        legal_basis: "RIEC-convenant".into(),
        purposes: "verwijzing".into(),
        themes: vec!["drugs".into()],
        max_classification: Classification::Vertrouwelijk,
        valid_from: date!(2025 - 01 - 01),
        valid_until: None,
        referral_contact: contact,
    };
    let long = s
        .create_agreement(&beheerder, agreement(Some("x".repeat(201))), NOW)
        .await;
    assert!(
        matches!(long, Err(StoreError::Rejected(r)) if r == vec![Rejection::ReferralContactTooLong])
    );
    s.create_agreement(
        &beheerder,
        agreement(Some("RIEC Noord-Nederland, 050 123 4567".into())),
        NOW,
    )
    .await
    .unwrap();
    let listed = s.agreements().await.unwrap();
    assert!(listed.iter().any(|a| a.name == "Verwijsindex drugs"
        && a.referral_contact.as_deref() == Some("RIEC Noord-Nederland, 050 123 4567")));

    let register = |title: &'static str,
                    name: &'static str,
                    theme: &'static str,
                    class: &'static str| async move {
        h.signal_with(&h.a_analist, title, &[theme], class, |i| {
            i.subjects = vec![person(name)];
        })
        .await
    };
    register("Hennepgeur", "Karel Verwijs", "drugs", "intern").await;
    register("Uitbuiting", "Theo Thema", "mensenhandel", "intern").await;
    h.signal_with(&h.a_bibob, "Bibob-vraag", &["drugs"], "bibob", |i| {
        i.subjects = vec![person("Bert Bibob")];
    })
    .await;

    // B learns that A holds information about Karel Verwijs, and whom to contact.
    let hits = s
        .referrals(&h.b_partner, &asked("Karel Verwijs"), NOW)
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].organisation, h.a_analist.org());
    assert_eq!(hits[0].contact, "RIEC Noord-Nederland, 050 123 4567");
    // Nothing for an unknown person, for a theme outside the agreement, for Bibob.
    for name in ["Nina Nergens", "Theo Thema", "Bert Bibob"] {
        assert!(
            s.referrals(&h.b_partner, &asked(name), NOW)
                .await
                .unwrap()
                .is_empty(),
            "{name}"
        );
    }
    // No agreement with a verwijsindex with A: nothing (C); one's own organisation is not
    // a hit (A).
    assert!(s
        .referrals(&h.c_partner, &asked("Karel Verwijs"), NOW)
        .await
        .unwrap()
        .is_empty());
    assert!(s
        .referrals(&h.a_toezicht, &asked("Karel Verwijs"), NOW)
        .await
        .unwrap()
        .is_empty());
    // Only the roles that handle signals ask.
    for caller in [&h.a_lezer, &h.a_beheerder] {
        assert!(matches!(
            s.referrals(caller, &asked("Karel Verwijs"), NOW).await,
            Err(StoreError::Forbidden(Denied::Referrals))
        ));
    }
    assert!(s
        .referrals(&h.b_analist, &asked("Karel Verwijs"), NOW)
        .await
        .is_ok());

    // Both sides are in the audit trail, without the name asked for.
    let events = s.audit_events(0, 100_000).await.unwrap();
    let search = events
        .iter()
        .find(|e| e.action == "referral.search" && e.actor_user == Some(h.b_partner.user()))
        .unwrap();
    assert!(search.detail.contains("hits=1"), "{}", search.detail);
    let hit = events.iter().find(|e| e.action == "referral.hit").unwrap();
    assert_eq!(hit.object_id, Some(h.a_analist.org().to_string()));
    assert!(hit
        .detail
        .contains(&format!("asked-by-org={}", h.b_partner.org())));
    assert!(events
        .iter()
        .all(|e| !e.detail.to_lowercase().contains("verwijs ")
            && !e.detail.to_lowercase().contains("karel")));
    // The agreement's contact point is part of its guarded state.
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
}
