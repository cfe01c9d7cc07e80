//! The case table's cases: who sees a case (owner, members in person, member organisations,
//! the owning team; vertrouwelijk only the people named), what a member sees of the signals in
//! it, the status machine with its history, and the triage suggestion.

use crate::harness::{Harness, NOW};
use baken_core::access::{Denied, Role};
use baken_core::case::{CaseMember, CaseStatus, CaseStatusChange, NewCase, NewMember, RawCase};
use baken_core::subject::SubjectInput;
use baken_core::validation::Problem;
use baken_core::{Caller, Purpose, RoleSet};
use baken_store::{Actor, CaseList, NewUser, Rejection, StoreError};
use uuid::Uuid;

baken_store::on_both_engines!(crate::harness::Harness =>
    a_case_is_seen_by_its_members_and_no_one_else,
    a_vertrouwelijk_case_stays_with_the_people_named_on_it,
    a_case_moves_with_reasons_and_keeps_its_history,
    triage_suggests_open_cases_about_the_same_subject,
    cases_merge_and_split_keeping_their_history,
    a_case_shows_whom_it_is_about_through_mentions_the_reader_may_see
);

pub(crate) fn new_case(title: &str, themes: &[&str], classification: &str) -> NewCase {
    NewCase::parse(&RawCase {
        title: title.into(),
        themes: themes.iter().map(|t| t.to_string()).collect(),
        classification: classification.into(),
        ..RawCase::default()
    })
    .unwrap()
}

/// A casustafel-lid of organisation C (Waterschap C), who sits at the table for its cases.
async fn table_member(h: &Harness) -> Caller {
    let store = h.store();
    let org = store
        .user(h.c_partner.user())
        .await
        .unwrap()
        .expect("partner@c.test exists")
        .org;
    let user = store
        .create_user(
            &Actor::System {
                process: "test".into(),
            },
            NewUser {
                org,
                email: "tafel@c.test".into(),
                display_name: "Tafel C".into(),
                roles: RoleSet::new([Role::CasustafelLid]),
                password_hash: None,
            },
            NOW,
        )
        .await
        .unwrap();
    Caller::for_user(&user, Purpose::signal_handling(), "test")
}

fn not_found(r: Result<impl std::fmt::Debug, StoreError>) {
    assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
}

async fn a_case_is_seen_by_its_members_and_no_one_else(h: &Harness) {
    let store = h.store();
    let shared = h.signal(&h.a_analist, "Hennep", &["drugs"], "intern").await;
    let own = h
        .signal(&h.a_analist, "Loods", &["buitengebied"], "intern")
        .await;
    // Only an analist opens a case.
    assert!(matches!(
        store
            .create_case(&h.b_partner, new_case("x", &["drugs"], ""), &[], NOW)
            .await,
        Err(StoreError::Forbidden(Denied::OpenCase))
    ));
    // A signal the analist may not see cannot be put in a case.
    let theirs = h
        .signal(&h.b_analist, "Van B", &["zorgfraude"], "intern")
        .await;
    assert!(matches!(
        store
            .create_case(&h.a_analist, new_case("x", &["drugs"], ""), &[theirs.id], NOW)
            .await,
        Err(StoreError::Rejected(r)) if r == vec![Rejection::SignalUnknown]
    ));
    assert!(matches!(
        store
            .create_case(&h.a_analist, new_case("x", &["onbekend"], ""), &[], NOW)
            .await,
        Err(StoreError::Rejected(r)) if r == vec![Rejection::UnknownTheme("onbekend".into())]
    ));
    let id = store
        .create_case(
            &h.a_analist,
            new_case("Loods Zuidbroek", &["drugs", "buitengebied"], "intern"),
            &[shared.id, own.id],
            NOW,
        )
        .await
        .unwrap();
    let detail = store
        .case(&h.a_analist, id, Some(&crate::harness::stated()), NOW)
        .await
        .unwrap();
    assert_eq!(detail.case.status, CaseStatus::Registered);
    assert_eq!(detail.case.themes, ["buitengebied", "drugs"]);
    assert_eq!(detail.signals.len(), 2);
    assert!(detail.may_manage);
    assert_eq!(detail.history.len(), 1);

    // Nobody else sees it: not the partner, not another role of the same organisation.
    let tafel = table_member(h).await;
    for outsider in [
        &h.b_partner,
        &h.b_analist,
        &h.c_partner,
        &h.a_bibob,
        &h.a_lezer,
        &h.a_beheerder,
        &h.a_toezicht,
        &tafel,
    ] {
        not_found(
            store
                .case(outsider, id, Some(&crate::harness::stated()), NOW)
                .await,
        );
        assert!(store
            .cases(
                outsider,
                CaseList::All,
                baken_core::page::PageRequest::LONG_LIST,
                NOW
            )
            .await
            .unwrap()
            .items
            .is_empty());
        not_found(
            store
                .change_case_status(
                    outsider,
                    id,
                    CaseStatusChange::parse("in-behandeling", "kijken").unwrap(),
                    NOW,
                )
                .await,
        );
    }

    // Organisation B becomes a member: its staff see the case, and of its signals only the
    // one the agreement shares with B.
    store
        .add_case_member(
            &h.a_analist,
            id,
            NewMember::Organisation(h.b_partner.org()),
            NOW,
        )
        .await
        .unwrap();
    // Purpose binding (issue 18, pt 4): the owner, named on the case, reads it without a
    // reason; B's staff read it outside their own membership and state why, which the read's
    // audit event carries.
    assert!(store.case(&h.a_analist, id, None, NOW).await.is_ok());
    assert!(matches!(
        store.case(&h.b_partner, id, None, NOW).await,
        Err(StoreError::ReasonRequired)
    ));
    let seen = store
        .case(&h.b_partner, id, Some(&crate::harness::stated()), NOW)
        .await
        .unwrap();
    let read = store
        .audit_events(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .find(|e| {
            e.action == "case.read"
                && e.actor_user == Some(h.b_partner.user())
                && e.result == "success"
        })
        .unwrap();
    assert_eq!(
        read.purpose,
        format!("casus {id}; reden: controle conformiteit")
    );
    assert_eq!(
        seen.signals.iter().map(|s| s.id).collect::<Vec<_>>(),
        [shared.id]
    );
    assert!(!seen.may_manage);
    assert_eq!(
        store
            .cases(
                &h.b_analist,
                CaseList::Open,
                baken_core::page::PageRequest::LONG_LIST,
                NOW
            )
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    // A member sees, but does not run the case.
    assert!(matches!(
        store
            .change_case_status(
                &h.b_partner,
                id,
                CaseStatusChange::parse("in-behandeling", "kijken").unwrap(),
                NOW,
            )
            .await,
        Err(StoreError::Forbidden(Denied::ManageCase))
    ));
    // The table member of C, named in person, sees it — and no signal (C's agreement ended).
    store
        .add_case_member(&h.a_analist, id, NewMember::User(tafel.user()), NOW)
        .await
        .unwrap();
    let at_table = store
        .case(&tafel, id, Some(&crate::harness::stated()), NOW)
        .await
        .unwrap();
    assert!(at_table.signals.is_empty());
    assert_eq!(at_table.members.len(), 2);
    assert!(matches!(
        &at_table.members[1],
        CaseMember::User { name, .. } if name == "Tafel C"
    ));
    // …but C's partner, whose organisation is not a member, still does not.
    not_found(
        store
            .case(&h.c_partner, id, Some(&crate::harness::stated()), NOW)
            .await,
    );
    // Lezers and beheerders are never named on a case.
    assert!(matches!(
        store
            .add_case_member(&h.a_analist, id, NewMember::User(h.a_lezer.user()), NOW)
            .await,
        Err(StoreError::Rejected(r)) if r == vec![Rejection::MemberWithoutContentRole]
    ));
    assert!(matches!(
        store
            .add_case_member(&h.a_analist, id, NewMember::User(Uuid::nil()), NOW)
            .await,
        Err(StoreError::Rejected(r)) if r == vec![Rejection::MemberUnknown]
    ));

    // Every read names the case as its purpose.
    let events = store.audit_events(0, 100_000).await.unwrap();
    let reads: Vec<_> = events
        .iter()
        .filter(|e| e.action == "case.read" && e.object_id.as_deref() == Some(&id.to_string()))
        .collect();
    assert!(reads.len() >= 10, "{}", reads.len());
    // Outside one's own membership, with the reason stated (issue 18, pt 4).
    let outside = Purpose::case_outside_membership(id, &crate::harness::stated());
    assert!(reads
        .iter()
        .all(|e| e.purpose == format!("casus {id}") || e.purpose == outside.as_str()));
    assert!(reads
        .iter()
        .any(|e| e.result == "not-found" && e.actor_user == Some(h.c_partner.user())));
    assert!(events.iter().any(|e| e.action == "case.member-add"
        && e.detail == format!("organisation={}", h.b_partner.org())));
}

async fn a_vertrouwelijk_case_stays_with_the_people_named_on_it(h: &Harness) {
    let store = h.store();
    let id = store
        .create_case(
            &h.a_analist,
            new_case("Stil", &["mensenhandel"], "vertrouwelijk"),
            &[],
            NOW,
        )
        .await
        .unwrap();
    store
        .add_case_member(
            &h.a_analist,
            id,
            NewMember::Organisation(h.b_partner.org()),
            NOW,
        )
        .await
        .unwrap();
    // Membership of the organisation is not enough for a vertrouwelijk case…
    not_found(
        store
            .case(&h.b_partner, id, Some(&crate::harness::stated()), NOW)
            .await,
    );
    not_found(
        store
            .case(&h.b_analist, id, Some(&crate::harness::stated()), NOW)
            .await,
    );
    // …being named is.
    store
        .add_case_member(&h.a_analist, id, NewMember::User(h.b_partner.user()), NOW)
        .await
        .unwrap();
    assert_eq!(
        store
            .case(&h.b_partner, id, Some(&crate::harness::stated()), NOW)
            .await
            .unwrap()
            .case
            .title,
        "Stil"
    );
    not_found(
        store
            .case(&h.b_analist, id, Some(&crate::harness::stated()), NOW)
            .await,
    );
    assert_eq!(
        store
            .cases(
                &h.b_partner,
                CaseList::All,
                baken_core::page::PageRequest::LONG_LIST,
                NOW
            )
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    assert!(store
        .cases(
            &h.b_analist,
            CaseList::All,
            baken_core::page::PageRequest::LONG_LIST,
            NOW
        )
        .await
        .unwrap()
        .items
        .is_empty());
}

async fn a_case_moves_with_reasons_and_keeps_its_history(h: &Harness) {
    let store = h.store();
    let id = store
        .create_case(&h.a_analist, new_case("Pand", &["drugs"], ""), &[], NOW)
        .await
        .unwrap();
    let change = |to: &str, why: &str| CaseStatusChange::parse(to, why).unwrap();
    let later = NOW + time::Duration::hours(1);
    let detail = store
        .change_case_status(
            &h.a_analist,
            id,
            change("in-behandeling", "besproken"),
            later,
        )
        .await
        .unwrap();
    assert_eq!(detail.case.status, CaseStatus::Active);
    assert_eq!(detail.case.updated_at, later);
    let refused = store
        .change_case_status(&h.a_analist, id, change("aangemeld", "terug"), later)
        .await;
    match refused {
        Err(StoreError::Invalid(errors)) => assert_eq!(
            errors.for_field("status"),
            Some(&Problem::CaseTransition {
                from: CaseStatus::Active,
                to: CaseStatus::Registered
            })
        ),
        other => panic!("{other:?}"),
    }
    let closed = store
        .change_case_status(
            &h.a_analist,
            id,
            change("afgesloten", "pand gesloten"),
            later,
        )
        .await
        .unwrap();
    let history: Vec<_> = closed
        .history
        .iter()
        .map(|e| (e.from, e.to, e.reason.as_str()))
        .collect();
    assert_eq!(
        history,
        [
            (None, CaseStatus::Registered, ""),
            (
                Some(CaseStatus::Registered),
                CaseStatus::Active,
                "besproken"
            ),
            (
                Some(CaseStatus::Active),
                CaseStatus::Closed,
                "pand gesloten"
            ),
        ]
    );
    assert!(store
        .cases(
            &h.a_analist,
            CaseList::Open,
            baken_core::page::PageRequest::LONG_LIST,
            NOW
        )
        .await
        .unwrap()
        .items
        .is_empty());
    assert_eq!(
        store
            .cases(
                &h.a_analist,
                CaseList::All,
                baken_core::page::PageRequest::LONG_LIST,
                NOW
            )
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    let events = store.audit_events(0, 100_000).await.unwrap();
    assert!(events.iter().any(|e| e.action == "case.status-change"
        && e.result == "refused"
        && e.object_id.as_deref() == Some(&id.to_string())));
    assert!(events.iter().any(
        |e| e.action == "case.status-change" && e.detail == "from=in-behandeling to=afgesloten"
    ));
}

async fn triage_suggests_open_cases_about_the_same_subject(h: &Harness) {
    let store = h.store();
    let person = || SubjectInput {
        kind: Some("persoon".into()),
        role: Some("betrokkene".into()),
        name: Some("Karel Hendriks".into()),
        birth_date: Some("1971-03-04".into()),
        ..Default::default()
    };
    let first = h
        .signal_with(&h.a_analist, "Eerste", &["drugs"], "intern", |i| {
            i.subjects = vec![person()];
            i.sharing = Some("convenant".into());
        })
        .await;
    let other = h
        .signal_with(&h.a_analist, "Ander", &["drugs"], "intern", |i| {
            i.subjects = vec![SubjectInput {
                name: Some("Iemand Anders".into()),
                birth_date: Some("1990-01-01".into()),
                ..person()
            }];
        })
        .await;
    let new = h
        .signal_with(&h.a_analist, "Nieuw", &["drugs"], "intern", |i| {
            i.subjects = vec![person()];
        })
        .await;
    let about_him = store
        .create_case(
            &h.a_analist,
            new_case("Hendriks", &["drugs"], ""),
            &[first.id],
            NOW,
        )
        .await
        .unwrap();
    let unrelated = store
        .create_case(
            &h.a_analist,
            new_case("Anders", &["drugs"], ""),
            &[other.id],
            NOW,
        )
        .await
        .unwrap();
    let suggested: Vec<Uuid> = store
        .case_suggestions(&h.a_analist, new.id, NOW)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(suggested, [about_him]);
    assert_ne!(about_him, unrelated);
    // Adding the signal to the suggested case; a second time changes nothing.
    for _ in 0..2 {
        let detail = store
            .add_case_signal(&h.a_analist, about_him, new.id, NOW)
            .await
            .unwrap();
        assert_eq!(detail.signals.len(), 2);
    }
    // The man's dossier shows the case on its time line; a partner's view of him does not.
    let mention = store
        .signal(&h.a_analist, new.id, NOW)
        .await
        .unwrap()
        .subjects[0]
        .subject
        .id;
    let reason = baken_core::access::DossierReason::parse("casus Hendriks").unwrap();
    let dossier = store
        .dossier_of(&h.a_analist, mention, reason.as_ref(), NOW)
        .await
        .unwrap();
    assert_eq!(
        dossier.cases.iter().map(|c| c.id).collect::<Vec<_>>(),
        [about_him]
    );
    let shared_mention = store
        .signal(&h.b_partner, first.id, NOW)
        .await
        .unwrap()
        .subjects[0]
        .subject
        .id;
    let seen_by_b = store
        .dossier_of(&h.b_partner, shared_mention, reason.as_ref(), NOW)
        .await
        .unwrap();
    assert!(seen_by_b.cases.is_empty(), "B is no member of the case");
    // A closed case is no suggestion.
    for (to, why) in [("afgesloten", "klaar")] {
        store
            .change_case_status(
                &h.a_analist,
                about_him,
                CaseStatusChange::parse(to, why).unwrap(),
                NOW,
            )
            .await
            .unwrap();
    }
    assert!(store
        .case_suggestions(&h.a_analist, new.id, NOW)
        .await
        .unwrap()
        .is_empty());
    // A signal the caller may not see gets no suggestions, as one that does not exist.
    not_found(store.case_suggestions(&h.c_partner, new.id, NOW).await);
}

async fn cases_merge_and_split_keeping_their_history(h: &Harness) {
    use baken_core::case::{LineageKind, LineageReason};
    let store = h.store();
    let s1 = h.signal(&h.a_analist, "Een", &["drugs"], "intern").await;
    let s2 = h.signal(&h.a_analist, "Twee", &["drugs"], "intern").await;
    let s3 = h
        .signal(&h.a_analist, "Drie", &["zorgfraude"], "intern")
        .await;
    let a = store
        .create_case(
            &h.a_analist,
            new_case("Loods", &["drugs"], ""),
            &[s1.id],
            NOW,
        )
        .await
        .unwrap();
    let b = store
        .create_case(
            &h.a_analist,
            new_case("Loods bis", &["zorgfraude"], ""),
            &[s2.id, s3.id],
            NOW,
        )
        .await
        .unwrap();
    let police = store.user(h.b_partner.user()).await.unwrap().unwrap().org;
    store
        .add_case_member(&h.a_analist, b, NewMember::Organisation(police), NOW)
        .await
        .unwrap();
    let why = LineageReason::parse("zelfde loods").unwrap();
    // Not with itself; not by who does not run both; a reason is required.
    assert!(matches!(
        store.merge_cases(&h.a_analist, (a, a), &why, NOW).await,
        Err(StoreError::Rejected(r)) if r == vec![Rejection::SameCase]
    ));
    not_found(store.merge_cases(&h.b_analist, (a, b), &why, NOW).await);
    assert!(LineageReason::parse(" ").is_err());

    let merged = store
        .merge_cases(&h.a_analist, (a, b), &why, NOW)
        .await
        .unwrap();
    assert_eq!(merged.signals.len(), 3);
    assert_eq!(merged.case.themes, ["drugs", "zorgfraude"]);
    assert!(merged
        .members
        .iter()
        .any(|m| matches!(m, CaseMember::Organisation { id, .. } if *id == police)));
    assert_eq!(merged.lineage.len(), 1);
    assert_eq!(merged.lineage[0].kind, LineageKind::MergedFrom);
    assert_eq!(merged.lineage[0].other, b);
    assert_eq!(merged.lineage[0].signals, 2);
    let old = store
        .case(&h.a_analist, b, Some(&crate::harness::stated()), NOW)
        .await
        .unwrap();
    assert_eq!(old.case.status, CaseStatus::Closed);
    assert_eq!(old.history.last().unwrap().reason, "zelfde loods");
    assert_eq!(old.lineage[0].kind, LineageKind::MergedInto);

    // Split the zorgfraude signal off again: it leaves the case, the members come along.
    let later = NOW + time::Duration::hours(1);
    assert!(matches!(
        store
            .split_case(&h.a_analist, a, (new_case("Zorg", &["zorgfraude"], ""), &[Uuid::from_u128(1)]), &why, later)
            .await,
        Err(StoreError::Rejected(r)) if r == vec![Rejection::SignalNotInCase]
    ));
    let split = store
        .split_case(
            &h.a_analist,
            a,
            (new_case("Zorg", &["zorgfraude"], ""), &[s3.id]),
            &LineageReason::parse("eigen spoor").unwrap(),
            later,
        )
        .await
        .unwrap();
    let source = store
        .case(&h.a_analist, a, Some(&crate::harness::stated()), later)
        .await
        .unwrap();
    assert_eq!(source.signals.len(), 2);
    assert_eq!(
        source.lineage.iter().map(|l| l.kind).collect::<Vec<_>>(),
        [LineageKind::MergedFrom, LineageKind::SplitInto]
    );
    let new = store
        .case(&h.a_analist, split, Some(&crate::harness::stated()), later)
        .await
        .unwrap();
    assert_eq!(
        new.signals.iter().map(|s| s.id).collect::<Vec<_>>(),
        [s3.id]
    );
    assert_eq!(new.lineage[0].kind, LineageKind::SplitFrom);
    assert_eq!(new.history[0].reason, "eigen spoor");
    // The police, a member of the merged case, see the split case but not the signal.
    let seen = store
        .case(&h.b_partner, split, Some(&crate::harness::stated()), later)
        .await
        .unwrap();
    assert!(seen.signals.is_empty());
    assert!(crate::audit::sqlx_err(h, "DELETE FROM case_lineage").await);
    let events = store.audit_events(0, 100_000).await.unwrap();
    assert!(events
        .iter()
        .any(|e| e.action == "case.merge" && e.purpose == format!("casus {a}")));
    assert!(events
        .iter()
        .any(|e| e.action == "case.split" && e.detail.contains(&split.to_string())));
}

async fn a_case_shows_whom_it_is_about_through_mentions_the_reader_may_see(h: &Harness) {
    let store = h.store();
    let person = |name: &str, born: &str| SubjectInput {
        kind: Some("persoon".into()),
        role: Some("betrokkene".into()),
        name: Some(name.into()),
        birth_date: Some(born.into()),
        ..Default::default()
    };
    // A drugs signal (shared with B) about Hendriks; a zorgfraude signal (not shared) about
    // Jansen, and a second mention of Hendriks in it.
    let shared = h
        .signal_with(&h.a_analist, "Hennep", &["drugs"], "intern", |i| {
            i.subjects = vec![person("Karel Hendriks", "1971-03-04")];
            i.sharing = Some("convenant".into());
        })
        .await;
    let own = h
        .signal_with(&h.a_analist, "Zorggeld", &["zorgfraude"], "intern", |i| {
            i.subjects = vec![
                person("Piet Jansen", "1980-05-06"),
                person("Karel Hendriks", "1971-03-04"),
            ];
        })
        .await;
    let case = store
        .create_case(
            &h.a_analist,
            new_case("Hendriks", &["drugs"], ""),
            &[shared.id],
            NOW,
        )
        .await
        .unwrap();
    let names = |d: &baken_core::case::CaseDetail| -> Vec<String> {
        // A person's name as typed, without the date of birth that follows it.
        d.entities
            .iter()
            .map(|e| e.name.split(" 19").next().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        names(
            &store
                .case(&h.a_analist, case, Some(&crate::harness::stated()), NOW)
                .await
                .unwrap()
        ),
        ["Karel Hendriks"]
    );
    // Jansen joins from his dossier (the mention in the zorgfraude signal).
    let jansen = store
        .signal(&h.a_analist, own.id, NOW)
        .await
        .unwrap()
        .subjects
        .into_iter()
        .find(|s| s.subject.original.starts_with("Piet Jansen"))
        .unwrap()
        .subject
        .id;
    assert!(matches!(
        store.add_case_subject(&h.a_analist, case, Uuid::from_u128(5), NOW).await,
        Err(StoreError::Rejected(r)) if r == vec![Rejection::SubjectUnknown]
    ));
    let detail = store
        .add_case_subject(&h.a_analist, case, jansen, NOW)
        .await
        .unwrap();
    assert_eq!(names(&detail), ["Karel Hendriks", "Piet Jansen"]);
    // Politie B, a member, sees Hendriks through the shared signal, not Jansen.
    let police = store.user(h.b_partner.user()).await.unwrap().unwrap().org;
    store
        .add_case_member(&h.a_analist, case, NewMember::Organisation(police), NOW)
        .await
        .unwrap();
    let seen = store
        .case(&h.b_partner, case, Some(&crate::harness::stated()), NOW)
        .await
        .unwrap();
    assert_eq!(names(&seen), ["Karel Hendriks"]);
    assert_eq!(seen.entities[0].entity, detail.entities[0].entity);
    // A signal in the case that B may not see names nobody to B, not even someone B can
    // find through another signal.
    let hidden = h
        .signal_with(&h.a_analist, "Zorggeld 2", &["zorgfraude"], "intern", |i| {
            i.subjects = vec![person("Kees Verborgen", "1966-07-08")];
        })
        .await;
    h.signal_with(&h.a_analist, "Hennep 2", &["drugs"], "intern", |i| {
        i.subjects = vec![person("Kees Verborgen", "1966-07-08")];
        i.sharing = Some("convenant".into());
    })
    .await;
    store
        .add_case_signal(&h.a_analist, case, hidden.id, NOW)
        .await
        .unwrap();
    assert!(names(
        &store
            .case(&h.a_analist, case, Some(&crate::harness::stated()), NOW)
            .await
            .unwrap()
    )
    .contains(&"Kees Verborgen".to_string()));
    assert_eq!(
        names(
            &store
                .case(&h.b_partner, case, Some(&crate::harness::stated()), NOW)
                .await
                .unwrap()
        ),
        ["Karel Hendriks"]
    );
    // A member cannot add to the case.
    assert!(matches!(
        store
            .add_case_subject(&h.b_partner, case, jansen, NOW)
            .await,
        Err(StoreError::Forbidden(Denied::ManageCase))
    ));
}
