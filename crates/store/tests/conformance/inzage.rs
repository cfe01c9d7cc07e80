//! The processing log (issue 18, pt 8) and the inzage (pt 7): registering, correcting and
//! reading a person writes one line per mention with a keyed identifier; the privacy officer
//! compiles everything the organisation holds about the person — never Bibob content, never
//! another organisation's — and the compilation is itself logged and audited.

use crate::audit::sqlx_err;
use crate::harness::{Harness, NOW};
use baken_core::access::Denied;
use baken_core::processing::ProcessingActivity;
use baken_core::subject::SubjectInput;
use baken_core::{Caller, Purpose, Role, RoleSet};
use baken_store::{Actor, NewUser, StoreError};

baken_store::on_both_engines!(crate::harness::Harness =>
    an_inzage_holds_the_organisations_records_and_their_processing,
);

fn els() -> SubjectInput {
    SubjectInput {
        kind: Some("persoon".into()),
        role: Some("betrokkene".into()),
        name: Some("Els Inzagebeek".into()),
        birth_date: Some("07-07-1977".into()),
        ..Default::default()
    }
}

async fn privacy_officer(h: &Harness) -> Caller {
    let user = h
        .store()
        .create_user(
            &Actor::System {
                process: "test".into(),
            },
            NewUser {
                org: h.a_analist.org(),
                email: "privacy@a.test".into(),
                display_name: "Privacy A".into(),
                roles: RoleSet::new([Role::Auditor]),
                password_hash: None,
            },
            NOW,
        )
        .await
        .unwrap();
    Caller::for_user(&user, Purpose::signal_handling(), "test")
}

async fn an_inzage_holds_the_organisations_records_and_their_processing(h: &Harness) {
    let s = h.store();
    let first = h
        .signal_with(&h.a_analist, "Overlast woning", &["drugs"], "intern", |i| {
            i.subjects = vec![els()];
        })
        .await;
    let second = h
        .signal_with(
            &h.a_analist,
            "Opnieuw overlast",
            &["drugs"],
            "intern",
            |i| {
                i.subjects = vec![els()];
            },
        )
        .await;
    let bibob = h
        .signal_with(&h.a_bibob, "Bibob-vraag", &["drugs"], "bibob", |i| {
            i.subjects = vec![els()];
        })
        .await;
    let theirs = h
        .signal_with(&h.b_analist, "Melding politie", &["drugs"], "intern", |i| {
            i.subjects = vec![els()];
        })
        .await;
    s.create_case(
        &h.a_analist,
        crate::cases::new_case("Woning Inzagebeek", &["drugs"], ""),
        &[first.id],
        NOW,
    )
    .await
    .unwrap();
    let detail = s.signal(&h.a_analist, first.id, NOW).await.unwrap();
    let mention = detail.subjects[0].subject.id;
    s.dossier_of(&h.a_analist, mention, Some(&crate::harness::stated()), NOW)
        .await
        .unwrap();

    // Only the privacy officer compiles an inzage.
    let officer = privacy_officer(h).await;
    assert!(matches!(
        s.access_request(&h.a_analist, mention, NOW).await,
        Err(StoreError::Forbidden(Denied::AccessRequests))
    ));
    let found = s.find_persons(&officer, "inzagebeek", NOW).await.unwrap();
    assert_eq!(found.len(), 2, "the two mentions outside Bibob: {found:?}");
    assert!(found.iter().all(|f| f.signals == 1));
    // Not another organisation's mention, not a mention only Bibob names.
    let bibob_mention = s.signal(&h.a_bibob, bibob.id, NOW).await.unwrap().subjects[0]
        .subject
        .id;
    let their_mention = s
        .signal(&h.b_analist, theirs.id, NOW)
        .await
        .unwrap()
        .subjects[0]
        .subject
        .id;
    for other in [bibob_mention, their_mention] {
        assert!(matches!(
            s.access_request(&officer, other, NOW).await,
            Err(StoreError::NotFound)
        ));
    }

    let record = s.access_request(&officer, mention, NOW).await.unwrap();
    let mut signals: Vec<_> = record.signals.iter().map(|s| s.id).collect();
    signals.sort();
    let mut expected = vec![first.id, second.id];
    expected.sort();
    assert_eq!(
        signals, expected,
        "the organisation's signals outside Bibob"
    );
    assert_eq!(record.mentions.len(), 2);
    assert_eq!(record.cases.len(), 1);
    assert!(record
        .reads
        .iter()
        .any(|r| r.user == Some(h.a_analist.user()) && r.purpose == "controle conformiteit"));
    let count =
        |a: ProcessingActivity| record.processing.iter().filter(|p| p.activity == a).count();
    assert_eq!(
        count(ProcessingActivity::RegisterSignal),
        2,
        "{:?}",
        record.processing
    );
    assert_eq!(
        count(ProcessingActivity::ReadDossier),
        2,
        "{:?}",
        record.processing
    );
    assert!(record
        .processing
        .iter()
        .all(|p| p.organisation == h.a_analist.org()));

    // The compilation is itself a processing of both mentions, and audited.
    let again = s.access_request(&officer, mention, NOW).await.unwrap();
    assert_eq!(
        again
            .processing
            .iter()
            .filter(|p| p.activity == ProcessingActivity::AccessRequest)
            .count(),
        2
    );
    let events = s.audit_events(0, 100_000).await.unwrap();
    assert!(events
        .iter()
        .any(|e| e.action == "access-request.export" && e.purpose == "inzageverzoek"));
    assert!(events.iter().any(|e| e.action == "access-request.search"));
    assert!(events
        .iter()
        .all(|e| !e.detail.to_lowercase().contains("inzagebeek")));

    // The log names no mention by its id and is never changed.
    assert!(sqlx_err(h, "UPDATE processing_log SET status_code = 2").await);
    assert!(sqlx_err(h, "DELETE FROM processing_log").await);
}
