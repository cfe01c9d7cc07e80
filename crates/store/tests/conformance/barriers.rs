//! Barrier models, activities and the register's figures: models are the organisation's
//! own (installed and edited by the beheerder, assessed by the analist, coverage counted
//! from the latest assessment), tags only on what the tagger may see, activities per
//! organisation, Bibob figures exact only inside the compartment, recidive per premises.

use crate::harness::{Harness, NOW};
use baken_core::access::{Denied, Suppression};
use baken_core::activity::{NewActivity, RawActivity};
use baken_core::barrier::{BarrierStatus, BarrierTemplate, NewAssessment, TagTarget};
use baken_core::intervention::details::RawDetails;
use baken_core::intervention::{
    InterventionKind, NewIntervention, NewStep, RawIntervention, RawStep,
};
use baken_core::page::PageRequest;
use baken_core::Caller;
use baken_store::{Rejection, StoreError};
use time::macros::date;

baken_store::on_both_engines!(crate::harness::Harness =>
    a_barrier_model_is_the_organisations_own,
    activities_stay_with_their_organisation,
    bibob_figures_leave_the_compartment_only_suppressed,
    recidive_counts_earlier_offences_on_the_same_premises
);

fn assessment(status: BarrierStatus) -> NewAssessment {
    NewAssessment {
        status,
        owner: "Team Zorgfraude".into(),
        evidence: "werkinstructie".into(),
        assessed_on: date!(2025 - 05 - 01),
    }
}

async fn intervention(h: &Harness, by: &Caller, kind: &str, raw: RawIntervention) -> uuid::Uuid {
    let new = NewIntervention::parse(
        &RawIntervention {
            kind: kind.into(),
            title: format!("Test {kind}"),
            ..raw
        },
        date!(2025 - 06 - 02),
    )
    .unwrap();
    h.store().create_intervention(by, new, NOW).await.unwrap()
}

async fn step(h: &Harness, by: &Caller, id: uuid::Uuid, name: &str, on: &str) {
    let step = NewStep::parse(
        &RawStep {
            step: name.into(),
            on: on.into(),
            ..RawStep::default()
        },
        date!(2025 - 06 - 02),
    )
    .unwrap();
    h.store().record_step(by, id, step, NOW).await.unwrap();
}

async fn a_barrier_model_is_the_organisations_own(h: &Harness) {
    let store = h.store();
    let r = store
        .install_barrier_model(&h.a_analist, BarrierTemplate::PgbFraud, NOW)
        .await;
    assert!(
        matches!(r, Err(StoreError::Forbidden(Denied::EditBarrierModels))),
        "{r:?}"
    );
    let id = store
        .install_barrier_model(&h.a_beheerder, BarrierTemplate::PgbFraud, NOW)
        .await
        .unwrap();
    let again = store
        .install_barrier_model(&h.a_beheerder, BarrierTemplate::PgbFraud, NOW)
        .await;
    assert!(
        matches!(&again, Err(StoreError::Rejected(v)) if v == &[Rejection::BarrierModelInstalled]),
        "{again:?}"
    );
    let model = store.barrier_model(&h.a_analist, id, NOW).await.unwrap();
    assert_eq!(model.phases.len(), 7);
    let barriers: Vec<_> = model.phases.iter().flat_map(|p| &p.barriers).collect();
    assert_eq!(barriers.len(), 29);
    for (n, b) in barriers.iter().enumerate() {
        let status = if n < 23 {
            BarrierStatus::Applied
        } else {
            BarrierStatus::NotApplied
        };
        store
            .assess_barrier(&h.a_analist, b.id, assessment(status), NOW)
            .await
            .unwrap();
    }
    // A later assessment replaces the earlier one in the coverage.
    store
        .assess_barrier(
            &h.a_analist,
            barriers[0].id,
            assessment(BarrierStatus::Partly),
            NOW,
        )
        .await
        .unwrap();
    let summary = store.barrier_models(&h.a_analist, NOW).await.unwrap();
    assert_eq!(summary[0].coverage.applied, 22);
    assert_eq!(summary[0].coverage.partly, 1);
    assert_eq!(summary[0].coverage.total, 29);
    // Only the beheerder edits texts; the analist assesses.
    let edit = baken_core::barrier::BarrierEdit {
        text: "Controle op de KvK-inschrijving bij de aanvraag".into(),
        owner: "Team Zorgfraude".into(),
        instrument: "toetsing aanvraag".into(),
    };
    let r = store
        .edit_barrier(&h.a_analist, barriers[1].id, edit.clone(), NOW)
        .await;
    assert!(matches!(r, Err(StoreError::Forbidden(_))), "{r:?}");
    store
        .edit_barrier(&h.a_beheerder, barriers[1].id, edit, NOW)
        .await
        .unwrap();
    let r = store
        .assess_barrier(
            &h.a_beheerder,
            barriers[1].id,
            assessment(BarrierStatus::Applied),
            NOW,
        )
        .await;
    assert!(
        matches!(r, Err(StoreError::Forbidden(Denied::AssessBarriers))),
        "{r:?}"
    );
    // Another organisation does not find the model or its barriers.
    let r = store.barrier_model(&h.b_analist, id, NOW).await;
    assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
    let r = store
        .assess_barrier(
            &h.b_analist,
            barriers[2].id,
            assessment(BarrierStatus::Applied),
            NOW,
        )
        .await;
    assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
    assert!(store
        .barrier_models(&h.b_analist, NOW)
        .await
        .unwrap()
        .is_empty());
    let r = store.barrier_models(&h.a_lezer, NOW).await;
    assert!(matches!(r, Err(StoreError::Forbidden(_))), "{r:?}");
    // Tags: on what the analist may see; a Bibob screening is not found.
    let closure = intervention(h, &h.a_analist, "sluiting-13b", RawIntervention::default()).await;
    store
        .tag_barrier(
            &h.a_analist,
            barriers[3].id,
            TagTarget::Intervention(closure),
            NOW,
        )
        .await
        .unwrap();
    let screening = intervention(h, &h.a_bibob, "bibob", RawIntervention::default()).await;
    let r = store
        .tag_barrier(
            &h.a_analist,
            barriers[3].id,
            TagTarget::Intervention(screening),
            NOW,
        )
        .await;
    assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
    let signal = h
        .signal(&h.a_analist, "Zorgbureau", &["zorgfraude"], "intern")
        .await;
    store
        .tag_barrier(
            &h.a_analist,
            barriers[3].id,
            TagTarget::Signal(signal.id),
            NOW,
        )
        .await
        .unwrap();
    let model = store.barrier_model(&h.a_analist, id, NOW).await.unwrap();
    let tagged = model
        .phases
        .iter()
        .flat_map(|p| &p.barriers)
        .nth(3)
        .unwrap()
        .tagged;
    assert_eq!(tagged, 2);
    let detail = store
        .intervention(&h.a_analist, closure, NOW)
        .await
        .unwrap();
    assert_eq!(detail.barriers.len(), 1);
}

async fn activities_stay_with_their_organisation(h: &Harness) {
    let store = h.store();
    let raw = |theme: &str| RawActivity {
        kind: "schoolles".into(),
        title: "HackShield-les".into(),
        held_on: "2025-03-12".into(),
        theme: theme.into(),
        reached: "3".into(),
        ..RawActivity::default()
    };
    let parse = |raw| NewActivity::parse(&raw, date!(2025 - 06 - 02)).unwrap();
    let r = store
        .record_activity(&h.a_analist, parse(raw("onbekend")), NOW)
        .await;
    assert!(matches!(r, Err(StoreError::Rejected(_))), "{r:?}");
    store
        .record_activity(&h.a_analist, parse(raw("drugs")), NOW)
        .await
        .unwrap();
    let r = store
        .record_activity(&h.a_lezer, parse(raw("drugs")), NOW)
        .await;
    assert!(
        matches!(r, Err(StoreError::Forbidden(Denied::RecordActivity))),
        "{r:?}"
    );
    let seen = store
        .activities(&h.a_lezer, PageRequest::first(10), NOW)
        .await
        .unwrap()
        .items;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].school_year, "2024/2025");
    assert!(store
        .activities(&h.b_analist, PageRequest::first(10), NOW)
        .await
        .unwrap()
        .items
        .is_empty());
    let r = store
        .activities(&h.a_beheerder, PageRequest::first(10), NOW)
        .await;
    assert!(
        matches!(r, Err(StoreError::Forbidden(Denied::SeeActivities))),
        "{r:?}"
    );
}

async fn bibob_figures_leave_the_compartment_only_suppressed(h: &Harness) {
    let store = h.store();
    for n in 0..7 {
        let kind = if n < 6 {
            "exploitatievergunning-horeca"
        } else {
            "vastgoedtransactie"
        };
        let id = intervention(
            h,
            &h.a_bibob,
            "bibob",
            RawIntervention {
                details: RawDetails {
                    decision_kind: kind.into(),
                    trigger: "beleidslijn".into(),
                    ..RawDetails::default()
                },
                ..RawIntervention::default()
            },
        )
        .await;
        step(h, &h.a_bibob, id, "aanvraag-ontvangen", "2025-05-01").await;
    }
    intervention(
        h,
        &h.a_analist,
        "integrale-controle",
        RawIntervention::default(),
    )
    .await;
    let inside = store
        .intervention_figures(&h.a_bibob, 2025, Suppression::default(), NOW)
        .await
        .unwrap();
    assert!(inside.bibob_exact);
    let bibob = |f: &baken_core::intervention::figures::InterventionFigures| {
        f.kinds
            .iter()
            .find(|k| k.kind == InterventionKind::Bibob)
            .unwrap()
            .count
            .clone()
    };
    assert_eq!(bibob(&inside).shown, "7");
    assert_eq!(inside.bibob_by_decision_kind[1].count.shown, "1");
    let outside = store
        .intervention_figures(&h.a_analist, 2025, Suppression::default(), NOW)
        .await
        .unwrap();
    assert!(!outside.bibob_exact);
    assert_eq!(bibob(&outside).shown, "5");
    assert_eq!(outside.bibob_by_decision_kind[1].count.shown, "<5");
    let control = outside
        .kinds
        .iter()
        .find(|k| k.kind == InterventionKind::Control)
        .unwrap();
    assert_eq!(control.count.shown, "1");
    // Another organisation's screenings are not counted at all.
    let other = store
        .intervention_figures(&h.b_analist, 2025, Suppression::default(), NOW)
        .await
        .unwrap();
    assert_eq!(bibob(&other).shown, "0");
}

async fn recidive_counts_earlier_offences_on_the_same_premises(h: &Harness) {
    let store = h.store();
    let premises = RawIntervention {
        object: "0014200000123456".into(),
        opened_on: "2024-01-10".into(),
        details: RawDetails {
            premises_kind: "woning".into(),
            closure_ground: "handelshoeveelheid".into(),
            drugs: vec!["cannabis 40 gram".into()],
            ..RawDetails::default()
        },
        ..RawIntervention::default()
    };
    let first = intervention(h, &h.a_analist, "sluiting-13b", premises.clone()).await;
    step(h, &h.a_analist, first, "rapportage-ontvangen", "2024-01-10").await;
    step(h, &h.a_analist, first, "waarschuwing", "2024-01-20").await;
    let second = intervention(
        h,
        &h.a_analist,
        "sluiting-13b",
        RawIntervention {
            opened_on: "2025-05-01".into(),
            ..premises
        },
    )
    .await;
    let r = store.recidive(&h.a_analist, second, 36, NOW).await.unwrap();
    assert_eq!((r.on_premises, r.of_people), (1, 0));
    // Outside a look-back of one year the warning no longer counts.
    let r = store.recidive(&h.a_analist, second, 12, NOW).await.unwrap();
    assert_eq!(r.on_premises, 0);
    let r = store.recidive(&h.b_analist, second, 36, NOW).await;
    assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
}
