//! Field work: checklists as data, visits, findings that become signals, coverage.

use crate::harness::{Harness, NOW};
use baken_core::field::{NewVisit, VisitInput, VisitKind};
use baken_core::{Caller, Purpose};
use baken_store::{NewFieldObject, StoreError};

baken_store::on_both_engines!(crate::harness::Harness =>visits_follow_checklists_and_findings_become_signals);

fn beheerder_of(h: &Harness) -> Caller {
    h.a_beheerder.clone().with_purpose(Purpose::new("beheer"))
}

async fn visits_follow_checklists_and_findings_become_signals(h: &Harness) {
    let store = h.store();
    let default = store.checklist(VisitKind::Erfbezoek).await.unwrap();
    assert_eq!(default, VisitKind::Erfbezoek.default_checklist());
    assert!(matches!(
        store
            .set_checklist(&h.a_analist, VisitKind::Erfbezoek, vec!["x".into()], NOW)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    store
        .set_checklist(
            &beheerder_of(h),
            VisitKind::Erfbezoek,
            vec![
                "Leegstaande schuur?".into(),
                " Huuraanbod ontvangen? ".into(),
                "".into(),
            ],
            NOW,
        )
        .await
        .unwrap();
    let checklist = store.checklist(VisitKind::Erfbezoek).await.unwrap();
    assert_eq!(
        checklist,
        vec!["Leegstaande schuur?", "Huuraanbod ontvangen?"]
    );

    let farms: Vec<NewFieldObject> = (1..=4)
        .map(|i| NewFieldObject {
            name: format!("Boerderij {i}"),
            address: Some(format!("Dorpsweg {i}")),
            area_code: Some("WK000901".into()),
        })
        .collect();
    assert_eq!(
        store
            .add_field_objects(&h.a_analist, "agrarisch-bedrijf", farms, NOW)
            .await
            .unwrap(),
        4
    );
    let objects = store
        .field_objects(&h.a_analist, "agrarisch-bedrijf")
        .await
        .unwrap();
    assert_eq!(objects.len(), 4);
    assert!(
        store
            .field_objects(&h.b_partner, "agrarisch-bedrijf")
            .await
            .unwrap()
            .is_empty(),
        "another organisation's farms"
    );

    let visit_input = |object: usize, findings: Vec<&str>| VisitInput {
        kind: Some("erfbezoek".into()),
        object: Some(objects[object].id.to_string()),
        area_code: Some("WK000901".into()),
        visited_on: Some("2025-03-10".into()),
        answers: vec!["ja".into(), "nee".into()],
        findings: findings.into_iter().map(str::to_string).collect(),
        ..Default::default()
    };
    let today = NOW.date();
    let first = store
        .create_visit(
            &h.a_toezicht,
            NewVisit::parse(
                &visit_input(0, vec!["Brief met huuraanbod voor de loods ontvangen"]),
                &checklist,
                today,
            )
            .unwrap(),
            NOW,
        )
        .await
        .unwrap();
    store
        .create_visit(
            &h.a_toezicht,
            NewVisit::parse(&visit_input(0, vec![]), &checklist, today).unwrap(),
            NOW,
        )
        .await
        .unwrap();
    store
        .create_visit(
            &h.a_analist,
            NewVisit::parse(&visit_input(1, vec![]), &checklist, today).unwrap(),
            NOW,
        )
        .await
        .unwrap();

    let coverage = store
        .coverage(&h.a_analist, VisitKind::Erfbezoek, 2025)
        .await
        .unwrap();
    assert_eq!(
        (coverage.visited, coverage.total),
        (2, 4),
        "distinct farms visited in the year"
    );
    assert_eq!(
        store
            .coverage(&h.a_analist, VisitKind::Erfbezoek, 2024)
            .await
            .unwrap()
            .visited,
        0
    );

    // The inspector sees their own visits; the analyst all of the organisation's; the police none.
    assert_eq!(
        store
            .visits(
                &h.a_toezicht,
                VisitKind::Erfbezoek,
                baken_core::page::PageRequest::LONG_LIST,
                NOW
            )
            .await
            .unwrap()
            .items
            .len(),
        2
    );
    assert_eq!(
        store
            .visits(
                &h.a_analist,
                VisitKind::Erfbezoek,
                baken_core::page::PageRequest::LONG_LIST,
                NOW
            )
            .await
            .unwrap()
            .items
            .len(),
        3
    );
    assert!(store
        .visits(
            &h.b_partner,
            VisitKind::Erfbezoek,
            baken_core::page::PageRequest::LONG_LIST,
            NOW
        )
        .await
        .unwrap()
        .items
        .is_empty());
    assert!(matches!(
        store.visit(&h.b_partner, first, NOW).await,
        Err(StoreError::NotFound)
    ));

    let detail = store.visit(&h.a_toezicht, first, NOW).await.unwrap();
    assert_eq!(detail.summary.object_name.as_deref(), Some("Boerderij 1"));
    assert_eq!(detail.answers[0].0, "Leegstaande schuur?");
    assert_eq!(detail.findings.len(), 1);
    let signal = store
        .finding_to_signal(
            &h.a_toezicht,
            (first, 0),
            |_| "Erfbezoek",
            &Default::default(),
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(
        signal.title,
        "Erfbezoek: Brief met huuraanbod voor de loods ontvangen"
    );
    assert_eq!(signal.themes, vec!["buitengebied".to_string()]);
    assert_eq!(
        signal.source_kind,
        baken_core::model::SourceKind::Veldbezoek
    );
    assert!(
        matches!(
            store
                .finding_to_signal(
                    &h.a_toezicht,
                    (first, 0),
                    |_| "Erfbezoek",
                    &Default::default(),
                    NOW,
                )
                .await,
            Err(StoreError::Conflict(_))
        ),
        "once"
    );
    assert_eq!(
        store
            .visit(&h.a_analist, first, NOW)
            .await
            .unwrap()
            .findings[0]
            .signal,
        Some(signal.id)
    );
    let summary = &store
        .visits(
            &h.a_analist,
            VisitKind::Erfbezoek,
            baken_core::page::PageRequest::LONG_LIST,
            NOW,
        )
        .await
        .unwrap()
        .items[0];
    assert!(summary.findings_as_signals <= summary.findings);
}
