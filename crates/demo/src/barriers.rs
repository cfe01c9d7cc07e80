//! The demo's barrier models: the beheerder installs both templates; the analyst assessed
//! the PGB fraud model's barriers — 23 of 29 applied, as the plan reports — and the first
//! steps of the labour-migrant model, and tagged interventions with the barrier they touch.
//! The barriers keep the templates' placeholder texts (the VNG/CCV texts are not public).

use baken_core::barrier::{BarrierStatus, BarrierTemplate, NewAssessment, TagTarget};
use baken_core::intervention::{InterventionFilter, InterventionKind};
use baken_core::Caller;
use baken_store::{Store, StoreError};
use time::{Duration, OffsetDateTime};

/// Barriers of the PGB model the plan counts as applied.
pub const PGB_APPLIED: usize = 23;

pub(crate) async fn barrier_models(
    store: &dyn Store,
    (beheerder, analist): (&Caller, &Caller),
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let today = baken_core::calendar::local_date(now);
    let pgb = store
        .install_barrier_model(beheerder, BarrierTemplate::PgbFraud, now)
        .await?;
    let labour = store
        .install_barrier_model(beheerder, BarrierTemplate::LabourMigrants, now)
        .await?;
    let model = store.barrier_model(analist, pgb, now).await?;
    for (n, barrier) in model.phases.iter().flat_map(|p| &p.barriers).enumerate() {
        let status = match n {
            n if n < PGB_APPLIED => BarrierStatus::Applied,
            n if n < PGB_APPLIED + 4 => BarrierStatus::Partly,
            _ => BarrierStatus::NotApplied,
        };
        let assessment = NewAssessment {
            status,
            owner: "Team Zorgfraude".into(),
            evidence: match status {
                BarrierStatus::NotApplied => String::new(),
                _ => "Werkinstructie pgb-toekenning en steekproefcontrole (demo)".into(),
            },
            assessed_on: today - Duration::days(40),
        };
        store
            .assess_barrier(analist, barrier.id, assessment, now)
            .await?;
    }
    let model = store.barrier_model(analist, labour, now).await?;
    let steps: Vec<_> = model.phases.iter().flat_map(|p| &p.barriers).collect();
    for (n, barrier) in steps.iter().take(3).enumerate() {
        let assessment = NewAssessment {
            status: if n == 1 {
                BarrierStatus::Partly
            } else {
                BarrierStatus::Applied
            },
            owner: "Team Ondermijning".into(),
            evidence: "Afspraken met uitzendbureaus en huisvesters (demo)".into(),
            assessed_on: today - Duration::days(20),
        };
        store
            .assess_barrier(analist, barrier.id, assessment, now)
            .await?;
    }
    // The referral about an employment agency touches the labour-migrant model's work step.
    let referrals = store
        .interventions(
            analist,
            InterventionFilter {
                kind: Some(InterventionKind::PartnerReferral),
                ..InterventionFilter::default()
            },
            baken_core::page::PageRequest::LONG_LIST,
            now,
        )
        .await?;
    if let (Some(referral), Some(work)) = (
        referrals
            .items
            .iter()
            .find(|r| r.title.contains("uitzendbureau")),
        model.phases.get(3).and_then(|p| p.barriers.first()),
    ) {
        store
            .tag_barrier(analist, work.id, TagTarget::Intervention(referral.id), now)
            .await?;
    }
    Ok(())
}
