//! Meetings of the case table: who sees a meeting and its cases (chair, people and
//! organisations at the table; not a lezer, not an organisation that is not there), what each
//! reader sees of a disclosure, decisions that cannot be changed and supersede one another,
//! actions that go overdue on the Dutch calendar, and the agenda built from them.

use crate::harness::{Harness, NOW};
use baken_core::access::{Denied, Role};
use baken_core::case::{NewCase, RawCase};
use baken_core::decision::{ActionStatus, NewAction, NewDecision, RawAction, RawDecision};
use baken_core::meeting::{
    AgendaReason, AgendaRequest, DisclosureBasis, MinutesFor, NewDisclosure, NewMeeting,
    RawDisclosure, RawMeeting,
};
use baken_core::page::PageRequest;
use baken_core::{Caller, Purpose, RoleSet};
use baken_store::{Actor, NewUser, Rejection, StoreError};
use time::macros::datetime;
use uuid::Uuid;

baken_store::on_both_engines!(crate::harness::Harness =>
    a_meeting_is_seen_by_whom_sits_at_the_table,
    each_reader_sees_only_the_disclosures_meant_for_them,
    decisions_are_never_changed_and_a_later_one_supersedes,
    an_action_goes_overdue_and_puts_its_case_on_the_next_agenda
);

pub(crate) async fn user(h: &Harness, org_of: &Caller, email: &str, role: Role) -> Caller {
    let store = h.store();
    let org = store.user(org_of.user()).await.unwrap().unwrap().org;
    let user = store
        .create_user(
            &Actor::System {
                process: "test".into(),
            },
            NewUser {
                org,
                email: email.into(),
                display_name: email.into(),
                roles: RoleSet::new([role]),
                password_hash: None,
            },
            NOW,
        )
        .await
        .unwrap();
    Caller::for_user(&user, Purpose::signal_handling(), "test")
}

async fn org_of(h: &Harness, c: &Caller) -> Uuid {
    h.store().user(c.user()).await.unwrap().unwrap().org
}

/// A drugs case of A's analist, and a meeting on 2025-06-10 chaired by A's voorzitter with
/// organisation B and C's casustafel-lid in person at the table.
pub(crate) struct Table {
    pub(crate) chair: Caller,
    pub(crate) tafel_c: Caller,
    pub(crate) case: Uuid,
    pub(crate) meeting: Uuid,
    pub(crate) org_a: Uuid,
    pub(crate) org_b: Uuid,
    pub(crate) org_c: Uuid,
}

pub(crate) async fn table(h: &Harness) -> Table {
    let store = h.store();
    let chair = user(h, &h.a_analist, "voorzitter@a.test", Role::Voorzitter).await;
    let tafel_c = user(h, &h.c_partner, "tafel@c.test", Role::CasustafelLid).await;
    let signal = h
        .signal(&h.a_analist, "Zorg", &["zorgfraude"], "intern")
        .await;
    let case = store
        .create_case(
            &h.a_analist,
            NewCase::parse(&RawCase {
                title: "Loods Zuidbroek".into(),
                themes: vec!["drugs".into()],
                ..RawCase::default()
            })
            .unwrap(),
            &[signal.id],
            NOW,
        )
        .await
        .unwrap();
    let (org_a, org_b, org_c) = (
        org_of(h, &h.a_analist).await,
        org_of(h, &h.b_partner).await,
        org_of(h, &h.c_partner).await,
    );
    // The voorzitter sees no case yet: the agenda proposal is the analist's, the meeting is
    // planned with the case the voorzitter may not see → refused as unknown.
    let raw = RawMeeting {
        title: "Casustafel juni".into(),
        held_on: "2025-06-10".into(),
        organisations: vec![org_b.to_string()],
        people: vec![tafel_c.user().to_string()],
        cases: vec![case.to_string()],
    };
    assert!(matches!(
        store.create_meeting(&chair, NewMeeting::parse(&raw).unwrap(), NOW).await,
        Err(StoreError::Rejected(r)) if r == vec![Rejection::CaseUnknown]
    ));
    // Neither does a partner plan one, nor is a lezer put at the table.
    assert!(matches!(
        store
            .create_meeting(&h.b_partner, NewMeeting::parse(&raw).unwrap(), NOW)
            .await,
        Err(StoreError::Forbidden(Denied::PlanMeeting))
    ));
    let with_lezer = RawMeeting {
        people: vec![h.a_lezer.user().to_string()],
        ..raw.clone()
    };
    assert!(matches!(
        store.create_meeting(&h.a_analist, NewMeeting::parse(&with_lezer).unwrap(), NOW).await,
        Err(StoreError::Rejected(r)) if r == vec![Rejection::ParticipantWithoutContentRole]
    ));
    // The analist plans it; the proposal had the new case.
    let proposal = store
        .agenda_proposal(&h.a_analist, time::macros::date!(2025 - 06 - 10), NOW)
        .await
        .unwrap();
    assert_eq!(proposal.len(), 1);
    assert_eq!(proposal[0].reasons, [AgendaReason::New]);
    let meeting = store
        .create_meeting(
            &h.a_analist,
            NewMeeting::parse(&RawMeeting {
                people: vec![tafel_c.user().to_string(), chair.user().to_string()],
                ..raw
            })
            .unwrap(),
            NOW,
        )
        .await
        .unwrap();
    Table {
        chair,
        tafel_c,
        case,
        meeting,
        org_a,
        org_b,
        org_c,
    }
}

fn not_found(r: Result<impl std::fmt::Debug, StoreError>) {
    assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
}

async fn a_meeting_is_seen_by_whom_sits_at_the_table(h: &Harness) {
    let store = h.store();
    let t = table(h).await;
    // At the table: the voorzitter in person, C's casustafel-lid in person, B's staff.
    for reader in [
        &t.chair,
        &t.tafel_c,
        &h.b_partner,
        &h.b_analist,
        &h.a_analist,
    ] {
        let m = store.meeting(reader, t.meeting, NOW).await.unwrap();
        assert_eq!(m.items.len(), 1, "{:?}", reader.user());
        assert_eq!(m.items[0].case.id, t.case);
        assert_eq!(m.meeting.cases, 1);
        // Through the meeting they see the case, but not its signals beyond their own sight.
        let case = store
            .case(reader, t.case, Some(&crate::harness::stated()), NOW)
            .await
            .unwrap();
        assert_eq!(case.case.title, "Loods Zuidbroek");
        assert_eq!(
            store
                .meetings(reader, PageRequest::first(10), NOW)
                .await
                .unwrap()
                .items
                .len(),
            1
        );
    }
    assert!(store
        .case(&t.tafel_c, t.case, Some(&crate::harness::stated()), NOW)
        .await
        .unwrap()
        .signals
        .is_empty());
    assert!(store
        .case(&h.b_partner, t.case, Some(&crate::harness::stated()), NOW)
        .await
        .unwrap()
        .signals
        .is_empty());
    // Not at the table: C's partner (only C's casustafel-lid sits there, in person), a lezer,
    // a beheerder, a toezichthouder.
    for outsider in [&h.c_partner, &h.a_lezer, &h.a_beheerder, &h.a_toezicht] {
        not_found(store.meeting(outsider, t.meeting, NOW).await);
        not_found(
            store
                .case(outsider, t.case, Some(&crate::harness::stated()), NOW)
                .await,
        );
        assert!(store
            .meetings(outsider, PageRequest::first(10), NOW)
            .await
            .unwrap()
            .items
            .is_empty());
    }
    // Seeing is not running: a participant records nothing and reads only their own version.
    let disclosure = NewDisclosure::parse(&RawDisclosure {
        organisation: t.org_b.to_string(),
        basis: "wgs".into(),
        summary: "x".into(),
        ..RawDisclosure::default()
    })
    .unwrap();
    assert!(matches!(
        store
            .record_disclosure(&h.b_partner, (t.meeting, t.case), disclosure.clone(), NOW)
            .await,
        Err(StoreError::Forbidden(Denied::RunMeeting))
    ));
    not_found(
        store
            .record_disclosure(&h.c_partner, (t.meeting, t.case), disclosure, NOW)
            .await,
    );
    assert!(matches!(
        store
            .minutes(&h.b_partner, t.meeting, MinutesFor::OwnFile, NOW)
            .await,
        Err(StoreError::Forbidden(Denied::OtherMinutes))
    ));
    assert!(store
        .minutes(
            &h.b_partner,
            t.meeting,
            MinutesFor::Organisation(t.org_b),
            NOW
        )
        .await
        .is_ok());
    // A vertrouwelijk case on the agenda stays with the people named at the table.
    let secret = store
        .create_case(
            &h.a_analist,
            NewCase::parse(&RawCase {
                title: "Vertrouwelijk".into(),
                themes: vec!["drugs".into()],
                classification: "vertrouwelijk".into(),
                ..RawCase::default()
            })
            .unwrap(),
            &[],
            NOW,
        )
        .await
        .unwrap();
    let second = store
        .create_meeting(
            &h.a_analist,
            NewMeeting::parse(&RawMeeting {
                title: "Casustafel juli".into(),
                held_on: "2025-07-08".into(),
                organisations: vec![t.org_b.to_string()],
                people: vec![t.tafel_c.user().to_string()],
                cases: vec![secret.to_string(), t.case.to_string()],
            })
            .unwrap(),
            NOW,
        )
        .await
        .unwrap();
    let for_b = store.meeting(&h.b_partner, second, NOW).await.unwrap();
    assert_eq!(for_b.items.len(), 1);
    assert_eq!(
        for_b.meeting.cases, 1,
        "the count does not reveal the hidden case"
    );
    assert_eq!(
        store
            .meeting(&t.tafel_c, second, NOW)
            .await
            .unwrap()
            .items
            .len(),
        2
    );
    let minutes_b = store
        .minutes(&h.a_analist, second, MinutesFor::Organisation(t.org_b), NOW)
        .await
        .unwrap();
    assert_eq!(minutes_b.items.len(), 1);
    assert_eq!(
        store
            .minutes(&h.a_analist, second, MinutesFor::OwnFile, NOW)
            .await
            .unwrap()
            .items
            .len(),
        2
    );
    // Every read of a meeting is recorded with the meeting as its purpose.
    let events = store.audit_events(0, 100_000).await.unwrap();
    assert!(events.iter().any(|e| e.action == "meeting.read"
        && e.purpose.starts_with(&format!("casusoverleg {second}"))
        && e.purpose.contains(&format!("casus {}", t.case))
        && e.detail.contains(&t.case.to_string())));
}

pub(crate) fn disclose(
    org: Uuid,
    basis: &str,
    agreement: Option<Uuid>,
    recipients: &[Uuid],
) -> NewDisclosure {
    NewDisclosure::parse(&RawDisclosure {
        organisation: org.to_string(),
        basis: basis.into(),
        agreement: agreement.map(|a| a.to_string()).unwrap_or_default(),
        summary: format!("Informatie onder {basis}"),
        recipients: recipients.iter().map(Uuid::to_string).collect(),
    })
    .unwrap()
}

async fn each_reader_sees_only_the_disclosures_meant_for_them(h: &Harness) {
    let store = h.store();
    let t = table(h).await;
    let agreements = store.agreements().await.unwrap();
    let ab = agreements
        .iter()
        .find(|a| a.name == "A-B drugs en mensenhandel")
        .unwrap()
        .id;
    let ac_expired = agreements
        .iter()
        .find(|a| a.name == "A-C verlopen")
        .unwrap()
        .id;
    let item = (t.meeting, t.case);
    // Police B to A under the A-B convenant; B's information it cannot share; C under the
    // WGS to everyone at the table.
    store
        .record_disclosure(
            &t.chair,
            item,
            disclose(t.org_b, "convenant", Some(ab), &[t.org_a]),
            NOW,
        )
        .await
        .unwrap();
    store
        .record_disclosure(
            &t.chair,
            item,
            disclose(t.org_b, "niet-deelbaar", None, &[]),
            NOW,
        )
        .await
        .unwrap();
    store
        .record_disclosure(
            &h.a_analist,
            item,
            disclose(t.org_c, "wgs", None, &[t.org_a, t.org_b]),
            NOW,
        )
        .await
        .unwrap();
    // Refused: an agreement no longer valid on the meeting's date, a recipient not party to
    // it, an organisation not at the table, a case not on the agenda.
    for (d, rejection) in [
        (
            disclose(t.org_c, "convenant", Some(ac_expired), &[t.org_a]),
            Rejection::AgreementNotCovering,
        ),
        (
            disclose(t.org_b, "convenant", Some(ab), &[t.org_c]),
            Rejection::AgreementNotCovering,
        ),
        (
            disclose(Uuid::from_u128(42), "wgs", None, &[]),
            Rejection::NotAtTheTable,
        ),
        (
            disclose(t.org_b, "bibob-art-28", None, &[Uuid::from_u128(42)]),
            Rejection::RecipientNotAtTheTable,
        ),
    ] {
        assert!(matches!(
            store.record_disclosure(&t.chair, item, d, NOW).await,
            Err(StoreError::Rejected(r)) if r == vec![rejection.clone()]
        ));
    }
    let other_case = store
        .create_case(
            &h.a_analist,
            NewCase::parse(&RawCase {
                title: "Elders".into(),
                themes: vec!["drugs".into()],
                ..RawCase::default()
            })
            .unwrap(),
            &[],
            NOW,
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .record_disclosure(&h.a_analist, (t.meeting, other_case), disclose(t.org_b, "wgs", None, &[]), NOW)
            .await,
        Err(StoreError::Rejected(r)) if r == vec![Rejection::NotOnTheAgenda]
    ));

    let texts = |detail: &baken_core::meeting::MeetingDetail| -> Vec<(DisclosureBasis, bool)> {
        detail.items[0]
            .disclosures
            .iter()
            .map(|d| (d.basis, d.summary.is_some()))
            .collect()
    };
    use DisclosureBasis::*;
    // The own file and A's chair: everything.
    let own = store
        .minutes(&t.chair, t.meeting, MinutesFor::OwnFile, NOW)
        .await
        .unwrap();
    assert_eq!(
        texts(&own),
        [(Convenant, true), (NotShareable, true), (Wgs, true)]
    );
    assert_eq!(
        texts(&store.meeting(&t.chair, t.meeting, NOW).await.unwrap()),
        texts(&own)
    );
    // B: what it brought in and what was meant for it.
    let b = store.meeting(&h.b_partner, t.meeting, NOW).await.unwrap();
    assert_eq!(
        texts(&b),
        [(Convenant, true), (NotShareable, true), (Wgs, true)]
    );
    // C: that B brought something in under the convenant, not what.
    let c = store.meeting(&t.tafel_c, t.meeting, NOW).await.unwrap();
    assert_eq!(
        texts(&c),
        [(Convenant, false), (NotShareable, true), (Wgs, true)]
    );
    let c_minutes = store
        .minutes(&t.chair, t.meeting, MinutesFor::Organisation(t.org_c), NOW)
        .await
        .unwrap();
    assert_eq!(texts(&c_minutes), texts(&c));
    assert_eq!(c_minutes.items[0].disclosures[0].recipients, ["Gemeente A"]);
    // Disclosures are never changed, not even by hand in the database.
    assert!(crate::audit::sqlx_err(h, "UPDATE disclosure SET summary = 'anders'").await);
    assert!(crate::audit::sqlx_err(h, "DELETE FROM disclosure_recipient").await);
    // Each disclosure is recorded with the case as purpose.
    let events = store.audit_events(0, 100_000).await.unwrap();
    let recorded: Vec<_> = events
        .iter()
        .filter(|e| e.action == "meeting.disclosure" && e.result == "success")
        .collect();
    assert_eq!(recorded.len(), 3);
    assert!(recorded
        .iter()
        .all(|e| e.purpose == format!("casus {}", t.case)));
}

pub(crate) fn decision(text: &str) -> NewDecision {
    NewDecision::parse(&RawDecision {
        approaches: vec!["bestuurlijk".into(), "zorg".into()],
        decision: text.into(),
        suitable: "geschikt".into(),
        necessary: "noodzakelijk".into(),
        balanced: "evenwichtig".into(),
        care_considered: "ja".into(),
        care_reason: "schulden".into(),
        not_chosen: "sluiting".into(),
    })
    .unwrap()
}

async fn decisions_are_never_changed_and_a_later_one_supersedes(h: &Harness) {
    let store = h.store();
    let t = table(h).await;
    let item = (t.meeting, t.case);
    assert!(matches!(
        store
            .record_decision(&t.tafel_c, item, decision("x"), NOW)
            .await,
        Err(StoreError::Forbidden(Denied::RunMeeting))
    ));
    let first = store
        .record_decision(&t.chair, item, decision("Waarschuwing"), NOW)
        .await
        .unwrap();
    let later = datetime!(2025-06-03 09:00 UTC);
    let second = store
        .record_decision(&t.chair, item, decision("Sluiting na overleg"), later)
        .await
        .unwrap();
    let case = store
        .case(&h.b_partner, t.case, Some(&crate::harness::stated()), later)
        .await
        .unwrap();
    assert_eq!(case.decisions.len(), 2);
    assert_eq!(case.decisions[0].id, first);
    assert_eq!(case.decisions[0].superseded_by, Some(second));
    assert_eq!(case.decisions[1].supersedes, Some(first));
    assert_eq!(case.decisions[1].superseded_by, None);
    assert_eq!(
        case.decisions[1].decided_on,
        time::macros::date!(2025 - 06 - 10)
    );
    assert_eq!(case.decisions[1].care.why(), "schulden");
    // A later meeting decides again; the earlier meeting's minutes can no longer overturn it.
    let later_meeting = store
        .create_meeting(
            &t.chair,
            NewMeeting::parse(&RawMeeting {
                title: "Casustafel eind juni".into(),
                held_on: "2025-06-24".into(),
                cases: vec![t.case.to_string()],
                ..RawMeeting::default()
            })
            .unwrap(),
            later,
        )
        .await
        .unwrap();
    let third = store
        .record_decision(
            &t.chair,
            (later_meeting, t.case),
            decision("Sluiting"),
            later,
        )
        .await
        .unwrap();
    assert!(matches!(
        store.record_decision(&t.chair, item, decision("Toch anders"), later).await,
        Err(StoreError::Rejected(r)) if r == vec![Rejection::LaterDecisionExists]
    ));
    let case = store
        .case(&h.b_partner, t.case, Some(&crate::harness::stated()), later)
        .await
        .unwrap();
    assert_eq!(case.decisions.last().unwrap().id, third);
    assert_eq!(case.decisions.last().unwrap().supersedes, Some(second));
    assert!(crate::audit::sqlx_err(h, "UPDATE decision SET decision = 'anders'").await);
    assert!(crate::audit::sqlx_err(h, "DELETE FROM decision").await);
    // A decision superseded once is not superseded again by a hand-made row.
    let sql = format!(
        "INSERT INTO decision (id, meeting_id, case_id, approaches, decision, suitable, necessary, \
         balanced, care_considered, care_reason, not_chosen, supersedes, recorded_by, recorded_at) \
         SELECT 'x', meeting_id, case_id, approaches, decision, suitable, necessary, balanced, \
         care_considered, care_reason, not_chosen, '{first}', recorded_by, recorded_at \
         FROM decision WHERE id = '{first}'"
    );
    assert!(crate::audit::sqlx_err(h, &sql).await);
    let events = store.audit_events(0, 100_000).await.unwrap();
    assert!(events.iter().any(|e| e.action == "decision.record"
        && e.object_id.as_deref() == Some(second.to_string().as_str())
        && e.detail.contains(&format!("supersedes={first}"))
        && e.purpose == format!("casus {}", t.case)));
}

async fn an_action_goes_overdue_and_puts_its_case_on_the_next_agenda(h: &Harness) {
    let store = h.store();
    let t = table(h).await;
    let decided = store
        .record_decision(&t.chair, (t.meeting, t.case), decision("Controle"), NOW)
        .await
        .unwrap();
    let action = |owner_org: &str, owner_user: &str| {
        NewAction::parse(&RawAction {
            description: "Integrale controle".into(),
            owner_organisation: owner_org.into(),
            owner_user: owner_user.into(),
            due_on: "2025-06-20".into(),
            intervention: "Controle 2025-14".into(),
        })
        .unwrap()
    };
    assert!(matches!(
        store
            .add_action(&t.chair, decided, action("", &h.a_lezer.user().to_string()), NOW)
            .await,
        Err(StoreError::Rejected(r)) if r == vec![Rejection::ActionOwnerUnknown]
    ));
    let for_b = store
        .add_action(&t.chair, decided, action(&t.org_b.to_string(), ""), NOW)
        .await
        .unwrap();
    // C's partner carries one out in person: it becomes a member and sees the case.
    not_found(
        store
            .case(&h.c_partner, t.case, Some(&crate::harness::stated()), NOW)
            .await,
    );
    let for_c = store
        .add_action(
            &t.chair,
            decided,
            action("", &h.c_partner.user().to_string()),
            NOW,
        )
        .await
        .unwrap();
    assert!(store
        .case(&h.c_partner, t.case, Some(&crate::harness::stated()), NOW)
        .await
        .is_ok());

    // On its deadline it is not overdue; the day after (in Amsterdam) it is.
    let deadline_evening = datetime!(2025-06-20 21:30 UTC); // 23:30 in Amsterdam
    let next_morning = datetime!(2025-06-20 22:30 UTC); // 00:30 on the 21st
    let mine = store
        .my_actions(&h.b_partner, deadline_evening)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, for_b);
    assert_eq!(mine[0].owner_name, "Politie B");
    let today = |t: time::OffsetDateTime| baken_core::calendar::local_date(t);
    assert!(!mine[0].is_overdue(today(deadline_evening)));
    let mine = store.my_actions(&h.b_partner, next_morning).await.unwrap();
    assert!(mine[0].is_overdue(today(next_morning)));
    let c_mine = store.my_actions(&h.c_partner, next_morning).await.unwrap();
    assert_eq!(c_mine.iter().map(|a| a.id).collect::<Vec<_>>(), [for_c]);
    assert!(store
        .my_actions(&h.a_lezer, next_morning)
        .await
        .unwrap()
        .is_empty());

    // The next meeting's agenda proposes the case for its overdue actions, and the meeting
    // page shows them first.
    let proposal = store
        .agenda_proposal(
            &h.a_analist,
            time::macros::date!(2025 - 06 - 24),
            next_morning,
        )
        .await
        .unwrap();
    assert_eq!(proposal.len(), 1);
    assert_eq!(proposal[0].reasons, [AgendaReason::OverdueActions]);
    let page = store
        .meeting(&t.chair, t.meeting, next_morning)
        .await
        .unwrap();
    assert_eq!(page.items[0].actions.len(), 2);
    assert!(page.items[0].overdue_before.is_empty());
    // Who carries an action out may move it; another partner at the table may not.
    assert!(store.my_actions(&h.b_partner, next_morning).await.unwrap()[0].may_change);
    let seen_by_c = store
        .case(
            &t.tafel_c,
            t.case,
            Some(&crate::harness::stated()),
            next_morning,
        )
        .await
        .unwrap();
    assert!(seen_by_c.actions.iter().all(|a| !a.may_change));
    assert_eq!(seen_by_c.meetings.len(), 1);

    // Only who carries it out (or runs the table) moves it; done is not cancelled directly.
    assert!(matches!(
        store
            .change_action_status(&h.b_partner, for_c, ActionStatus::Done, next_morning)
            .await,
        Err(StoreError::Forbidden(Denied::ChangeAction))
    ));
    store
        .change_action_status(&h.b_partner, for_b, ActionStatus::Done, next_morning)
        .await
        .unwrap();
    assert!(matches!(
        store
            .change_action_status(&h.b_partner, for_b, ActionStatus::Cancelled, next_morning)
            .await,
        Err(StoreError::Invalid(_))
    ));
    store
        .change_action_status(&t.chair, for_c, ActionStatus::Cancelled, next_morning)
        .await
        .unwrap();
    assert!(store
        .my_actions(&h.b_partner, next_morning)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .agenda_proposal(
            &h.a_analist,
            time::macros::date!(2025 - 06 - 24),
            next_morning
        )
        .await
        .unwrap()
        .is_empty());

    // A member asks for the case to be discussed: it is proposed again, and the request is
    // answered by the meeting that takes it up.
    store
        .request_agenda(
            &t.tafel_c,
            t.case,
            &AgendaRequest::parse("nieuwe informatie").unwrap(),
            next_morning,
        )
        .await
        .unwrap();
    let proposal = store
        .agenda_proposal(
            &h.a_analist,
            time::macros::date!(2025 - 06 - 24),
            next_morning,
        )
        .await
        .unwrap();
    assert_eq!(proposal[0].reasons, [AgendaReason::Requested]);
    store
        .create_meeting(
            &t.chair,
            NewMeeting::parse(&RawMeeting {
                title: "Casustafel eind juni".into(),
                held_on: "2025-06-24".into(),
                cases: vec![t.case.to_string()],
                ..RawMeeting::default()
            })
            .unwrap(),
            next_morning,
        )
        .await
        .unwrap();
    assert!(store
        .agenda_proposal(
            &h.a_analist,
            time::macros::date!(2025 - 06 - 24),
            next_morning
        )
        .await
        .unwrap()
        .is_empty());
}
