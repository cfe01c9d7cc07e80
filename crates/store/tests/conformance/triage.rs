//! Triage: deadlines in working days per theme, the overdue view, assignment.

use crate::harness::{Harness, NOW};
use baken_core::signal::{Assignment, PageRequest, SignalFilter};
use baken_core::status::StatusChange;
use baken_store::StoreError;
use time::macros::date;

baken_store::on_both_engines!(crate::harness::Harness =>
    deadlines_follow_the_theme_and_the_calendar,
    overdue_and_assignment
);

async fn deadlines_follow_the_theme_and_the_calendar(h: &Harness) {
    // Friday 2 May 2025; Monday 5 May is Bevrijdingsdag.
    let drugs = h
        .signal_with(&h.a_analist, "Drugs", &["drugs"], "intern", |i| {
            i.received_at = Some("2025-05-02T09:00:00Z".into())
        })
        .await;
    assert_eq!(
        drugs.deadline,
        Some(date!(2025 - 05 - 12)),
        "5 working days, holiday skipped"
    );
    let rural = h
        .signal_with(&h.a_analist, "Buiten", &["buitengebied"], "intern", |i| {
            i.received_at = Some("2025-05-02T09:00:00Z".into())
        })
        .await;
    assert_eq!(
        rural.deadline,
        Some(date!(2025 - 05 - 19)),
        "the default of 10 working days"
    );
    let both = h
        .signal_with(
            &h.a_analist,
            "Beide",
            &["buitengebied", "drugs"],
            "intern",
            |i| i.received_at = Some("2025-05-02T09:00:00Z".into()),
        )
        .await;
    assert_eq!(both.deadline, drugs.deadline, "the strictest theme counts");
}

async fn overdue_and_assignment(h: &Harness) {
    let old = h
        .signal_with(&h.a_analist, "Oud", &["drugs"], "intern", |i| {
            i.received_at = Some("2025-05-01T09:00:00Z".into())
        })
        .await;
    let handled = h
        .signal_with(&h.a_analist, "Afgehandeld", &["drugs"], "intern", |i| {
            i.received_at = Some("2025-05-01T09:00:00Z".into())
        })
        .await;
    h.signal_with(&h.a_analist, "Vers", &["drugs"], "intern", |i| {
        i.received_at = Some("2025-06-02T09:00:00Z".into())
    })
    .await;
    let store = h.store();
    for (to, why) in [
        ("in-triage", "oppakken"),
        ("geen-actie", "niets aan de hand"),
    ] {
        store
            .change_signal_status(
                &h.a_analist,
                handled.id,
                StatusChange::parse(to, why).unwrap(),
                NOW,
            )
            .await
            .unwrap();
    }
    let list = |filter: SignalFilter| async move {
        store
            .list_signals(&h.a_analist, &filter, PageRequest::default(), NOW)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|s| s.title)
            .collect::<Vec<_>>()
    };
    let overdue = SignalFilter {
        overdue: true,
        ..Default::default()
    };
    assert_eq!(
        list(overdue.clone()).await,
        vec!["Oud"],
        "past its deadline and not yet assessed"
    );

    let me = h.a_analist.user();
    let d = store
        .assign_signal(
            &h.a_analist,
            old.id,
            Assignment::parse(&me.to_string(), "Team Ondermijning", "graag vandaag").unwrap(),
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(d.signal.assigned_user, Some(me));
    assert_eq!(d.signal.assigned_team.as_deref(), Some("Team Ondermijning"));
    assert_eq!(d.signal.assigned_user_name.as_deref(), Some("analist"));
    let last = d.history.last().unwrap();
    // The assignment is recorded as data (the assignee's name at the time, the team); the
    // pages word it ("Toegewezen aan analist (Team Ondermijning): graag vandaag").
    assert_eq!(last.reason, "graag vandaag");
    assert_eq!(
        last.assignment,
        Some(baken_core::signal::AssignedTo {
            name: Some("analist".into()),
            team: Some("Team Ondermijning".into())
        })
    );
    assert_eq!((last.from, last.to), (Some(old.status), old.status));
    let mine = SignalFilter {
        mine: true,
        ..Default::default()
    };
    assert_eq!(list(mine).await, vec!["Oud"]);

    // Only people of the owning organisation; only those who may triage.
    let outsider = h.b_analist.user().to_string();
    assert!(matches!(
        store
            .assign_signal(
                &h.a_analist,
                old.id,
                Assignment::parse(&outsider, "", "x").unwrap(),
                NOW
            )
            .await,
        Err(StoreError::Rejected(_))
    ));
    assert!(matches!(
        store
            .assign_signal(
                &h.b_partner,
                old.id,
                Assignment::parse("", "Politie", "x").unwrap(),
                NOW
            )
            .await,
        Err(StoreError::Forbidden(_))
    ));
    let people: Vec<String> = store
        .assignable_users(&h.a_analist)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.email)
        .collect();
    assert!(people.is_empty() || !people.contains(&"lezer@a.test".to_string()));
    assert!(Assignment::parse("geen-id", "", "")
        .unwrap_err()
        .for_field("reason")
        .is_some());
}
