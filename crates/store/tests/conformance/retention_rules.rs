//! Retention rules per record kind (issue 18, pt 6), on both engines: a case five years after
//! it was closed and a Bibob screening five years after its decision are deleted with
//! everything of theirs — nothing of them is found in any table afterwards —, unless a legal
//! hold, or an objection after the decision, keeps them; the processing log's lines go after
//! seven years; the audit trail's content is emptied after seven years while the chain still
//! verifies; and nothing is due before its time.

use crate::audit::verify;
use crate::harness::{Harness, NOW};
use crate::meetings::{decision, disclose, table};
use baken_core::case::CaseStatusChange;
use baken_core::intervention::details::RawDetails;
use baken_core::intervention::{NewStep, RawStep};
use baken_core::retention::{HoldGround, PurgeMode, RetentionRules};
use baken_store::{Actor, AuditVerification, StoreError};
use time::macros::{date, datetime};

baken_store::on_both_engines!(crate::harness::Harness =>
    closed_cases_and_decided_bibob_files_go_after_their_years,
    the_logs_keep_their_lines_and_content_for_their_years,
);

async fn count(h: &Harness, sql: &str) -> i64 {
    match &h.engine {
        crate::harness::Engine::Sqlite(s) => sqlx::query_scalar(sql)
            .fetch_one(s.raw_pool())
            .await
            .unwrap(),
        crate::harness::Engine::Postgres(s) => sqlx::query_scalar(sql)
            .fetch_one(s.raw_pool())
            .await
            .unwrap(),
    }
}

fn step(name: &str, on: &str) -> NewStep {
    NewStep::parse(
        &RawStep {
            step: name.into(),
            on: on.into(),
            ..RawStep::default()
        },
        date!(2025 - 12 - 31),
    )
    .unwrap()
}

/// A Bibob screening of A decided on 2025-06-20; `contested` adds an objection after it.
async fn decided_screening(h: &Harness, title: &str, contested: bool) -> uuid::Uuid {
    let s = h.store();
    let details = RawDetails {
        decision_kind: "exploitatievergunning-horeca".into(),
        trigger: "beleidslijn".into(),
        own_result: "geen-indicaties".into(),
        outcome: "verleend".into(),
        ..RawDetails::default()
    };
    let id = s
        .create_intervention(
            &h.a_bibob,
            crate::interventions::new("bibob", title, None, details),
            NOW,
        )
        .await
        .unwrap();
    let mut steps = vec![
        ("aanvraag-ontvangen", "2025-04-14"),
        ("eigen-onderzoek-afgerond", "2025-05-20"),
        ("besluit", "2025-06-20"),
    ];
    if contested {
        steps.push(("bezwaar-ontvangen", "2025-07-10"));
    }
    for (name, on) in steps {
        s.record_step(&h.a_bibob, id, step(name, on), NOW)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }
    id
}

async fn closed_cases_and_decided_bibob_files_go_after_their_years(h: &Harness) {
    let s = h.store();
    let rules = RetentionRules::default();
    // A case with a meeting, a decision with an action, and a disclosure; closed on NOW.
    let t = table(h).await;
    let item = (t.meeting, t.case);
    let decided = s
        .record_decision(&t.chair, item, decision("Sluiting Zuidbroekerweg"), NOW)
        .await
        .unwrap();
    s.record_disclosure(
        &t.chair,
        item,
        disclose(t.org_b, "wgs", None, &[t.org_a]),
        NOW,
    )
    .await
    .unwrap();
    let action = baken_core::decision::NewAction::parse(&baken_core::decision::RawAction {
        description: "Controle Zuidbroekerweg".into(),
        owner_organisation: t.org_a.to_string(),
        owner_user: String::new(),
        due_on: "2025-06-20".into(),
        intervention: String::new(),
    })
    .unwrap();
    s.add_action(&t.chair, decided, action, NOW).await.unwrap();
    let case_signal = s
        .case(&h.a_analist, t.case, None, NOW)
        .await
        .unwrap()
        .signals[0]
        .id;
    let close = |reason: &str| CaseStatusChange::parse("afgesloten", reason).unwrap();
    s.change_case_status(&h.a_analist, t.case, close("Afgerond"), NOW)
        .await
        .unwrap();
    // A second closed case under a legal hold; a third still open.
    let held_case = s
        .create_case(
            &h.a_analist,
            crate::cases::new_case("Bezwaar Vennestraat", &["drugs"], ""),
            &[],
            NOW,
        )
        .await
        .unwrap();
    s.change_case_status(&h.a_analist, held_case, close("Afgerond"), NOW)
        .await
        .unwrap();
    s.place_hold(&Actor::cli(), held_case, HoldGround::Appeal, NOW)
        .await
        .unwrap();
    let open_case = s
        .create_case(
            &h.a_analist,
            crate::cases::new_case("Loopt nog", &["drugs"], ""),
            &[],
            NOW,
        )
        .await
        .unwrap();
    // Two Bibob screenings decided on 2025-06-20, one objected to on 2025-07-10: its period
    // counts from the objection.
    let file = decided_screening(h, "Vergunning Grote Markt Paviljoen", false).await;
    let contested = decided_screening(h, "Vergunning Herestraat", true).await;

    // Nothing is due before its years are over.
    let early = datetime!(2030-06-01 12:00 UTC);
    let dry = s.purge(PurgeMode::DryRun, &rules, early).await.unwrap();
    assert_eq!((dry.cases.due, dry.bibob_files.due), (0, 0));
    // Five years after the closing and the decision: both due, the held and contested kept.
    let later = datetime!(2030-06-21 12:00 UTC);
    let dry = s.purge(PurgeMode::DryRun, &rules, later).await.unwrap();
    assert_eq!((dry.cases.due, dry.cases.held, dry.cases.purged), (2, 1, 0));
    assert_eq!((dry.bibob_files.due, dry.bibob_files.held), (1, 0));
    assert!(
        s.case(&h.a_analist, t.case, None, later).await.is_ok(),
        "a dry run deletes nothing"
    );
    let done = s.purge(PurgeMode::Delete, &rules, later).await.unwrap();
    assert_eq!((done.cases.purged, done.bibob_files.purged), (1, 1));

    // Gone by every route, and from every table; a tombstone stays.
    assert!(matches!(
        s.case(&h.a_analist, t.case, None, later).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.intervention(&h.a_bibob, file, later).await,
        Err(StoreError::NotFound)
    ));
    let text = crate::retention::everything(h).await;
    for word in [
        "loods zuidbroek",
        "zuidbroekerweg",
        "informatie onder wgs",
        "grote markt paviljoen",
    ] {
        assert!(
            !text.contains(word),
            "{word} still in:\n{}",
            text.lines()
                .filter(|l| l.contains(word))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    assert!(s.purged_at(t.case).await.unwrap().is_some());
    assert!(s.purged_at(file).await.unwrap().is_some());
    // The meeting stays (other cases may have been on it). The case's signal, past its own
    // day and followed up by nothing any more, went in the same run.
    assert!(s.meeting(&t.chair, t.meeting, later).await.is_ok());
    assert!(s.purged_at(case_signal).await.unwrap().is_some());
    // Kept: the held case, the open one, the contested file.
    for case in [held_case, open_case] {
        assert!(s.case(&h.a_analist, case, None, later).await.is_ok());
    }
    assert!(s.intervention(&h.a_bibob, contested, later).await.is_ok());
    // Lifting the hold lets the next purge delete the case.
    assert_eq!(
        s.lift_holds(&Actor::cli(), held_case, later).await.unwrap(),
        1
    );
    let next = s.purge(PurgeMode::Delete, &rules, later).await.unwrap();
    assert_eq!(next.cases.purged, 1);
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    // The objected file goes five years after the objection, unless a hold keeps it.
    let after_objection = datetime!(2030-07-11 12:00 UTC);
    s.place_hold(&Actor::cli(), contested, HoldGround::Objection, later)
        .await
        .unwrap();
    let dry = s
        .purge(PurgeMode::DryRun, &rules, after_objection)
        .await
        .unwrap();
    assert_eq!((dry.bibob_files.due, dry.bibob_files.held), (1, 1));
    s.lift_holds(&Actor::cli(), contested, later).await.unwrap();
    let done = s
        .purge(PurgeMode::Delete, &rules, after_objection)
        .await
        .unwrap();
    assert_eq!(done.bibob_files.purged, 1);
    // No hold of a purged record stays behind.
    assert_eq!(count(h, "SELECT COUNT(*) FROM legal_hold").await, 0);
    // Holds name what they keep: an unknown number is refused.
    assert!(matches!(
        s.place_hold(
            &Actor::cli(),
            uuid::Uuid::nil(),
            HoldGround::Objection,
            later
        )
        .await,
        Err(StoreError::NotFound)
    ));
}

async fn the_logs_keep_their_lines_and_content_for_their_years(h: &Harness) {
    let s = h.store();
    let rules = RetentionRules::default();
    // A signal naming a person: a line in the processing log, events in the audit trail.
    h.signal_with(
        &h.a_analist,
        "Melding Vossenpad",
        &["drugs"],
        "intern",
        |i| {
            i.retention_until = Some("2090-01-01".into());
            i.subjects = vec![baken_core::subject::SubjectInput {
                kind: Some("persoon".into()),
                role: Some("betrokkene".into()),
                name: Some("Karel Vossenpad".into()),
                birth_date: Some("01-01-1970".into()),
                ..Default::default()
            }];
        },
    )
    .await;
    let lines = count(h, "SELECT COUNT(*) FROM processing_log").await;
    assert!(lines > 0);
    assert!(crate::audit::sqlx_err(h, "DELETE FROM processing_log").await);
    let events = count(h, "SELECT COUNT(*) FROM audit_event").await;
    // Within seven years: everything stays.
    let within = datetime!(2032-05-01 12:00 UTC);
    let dry = s.purge(PurgeMode::DryRun, &rules, within).await.unwrap();
    assert_eq!((dry.processing_lines, dry.audit_events), (0, 0));
    // After seven years: the lines go, the events' content is emptied.
    let after = datetime!(2032-06-03 12:00 UTC);
    let dry = s.purge(PurgeMode::DryRun, &rules, after).await.unwrap();
    assert_eq!(dry.processing_lines, u64::try_from(lines).unwrap());
    assert_eq!(dry.audit_events, u64::try_from(events).unwrap());
    let done = s.purge(PurgeMode::Delete, &rules, after).await.unwrap();
    assert_eq!(done.processing_lines, u64::try_from(lines).unwrap());
    assert_eq!(count(h, "SELECT COUNT(*) FROM processing_log").await, 0);
    // Every event is still there, with what happened and its hash; no user, address or
    // purpose; the detail only what verification needs.
    assert!(count(h, "SELECT COUNT(*) FROM audit_event").await > events);
    assert_eq!(
        count(
            h,
            "SELECT COUNT(*) FROM audit_event WHERE emptied = 1 AND actor_user IS NULL \
             AND origin = '' AND purpose = ''"
        )
        .await,
        events
    );
    let user_events = s.audit_events(0, 100_000).await.unwrap();
    assert!(user_events
        .iter()
        .filter(|e| e.action == "user.create")
        .all(|e| e.detail.starts_with("roles=") && e.detail.contains("state=")));
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    // A later run empties what has come due since the last one, and nothing else: the
    // events the first run wrote, seven years on.
    let whole = count(h, "SELECT COUNT(*) FROM audit_event WHERE emptied = 0").await;
    assert!(whole > 0);
    let much_later = datetime!(2039-07-02 12:00 UTC);
    let dry = s
        .purge(PurgeMode::DryRun, &rules, much_later)
        .await
        .unwrap();
    assert_eq!(dry.audit_events, u64::try_from(whole).unwrap());
    let done = s
        .purge(PurgeMode::Delete, &rules, much_later)
        .await
        .unwrap();
    assert_eq!(done.audit_events, u64::try_from(whole).unwrap());
    assert_eq!(
        count(
            h,
            "SELECT COUNT(*) FROM audit_event WHERE emptied = 0 AND occurred_at < '2039'"
        )
        .await,
        0
    );
    assert!(count(h, "SELECT COUNT(*) FROM audit_event WHERE emptied = 0").await > 0);
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    // Whole events again at the end of the chain (for the checks below).
    h.signal_with(&h.a_analist, "Melding Kade", &["drugs"], "intern", |i| {
        i.retention_until = Some("2090-01-01".into());
    })
    .await;
    // Emptying is the purge's alone: by hand, an event stays as it is.
    assert!(crate::audit::sqlx_err(h, "UPDATE audit_event SET detail = '' WHERE seq = 1").await);
    // An emptied event whose kept state is rewritten by hand past the guard breaks the chain
    // (its seal is keyed); so does an event emptied by hand after whole ones.
    h.drop_audit_guard().await;
    let first = s.audit_events(0, 1).await.unwrap()[0].detail.clone();
    h.raw("UPDATE audit_event SET detail = 'roles=beheerder' WHERE seq = 1")
        .await;
    assert!(matches!(verify(h).await, AuditVerification::Broken { .. }));
    h.raw(&format!(
        "UPDATE audit_event SET detail = '{first}' WHERE seq = 1"
    ))
    .await;
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    let last = count(h, "SELECT MAX(seq) FROM audit_event").await;
    h.raw(&format!(
        "UPDATE audit_event SET emptied = 1, detail = '', actor_user = NULL, origin = '', \
         purpose = '' WHERE seq = {last}"
    ))
    .await;
    assert!(matches!(verify(h).await, AuditVerification::Broken { .. }));
}
