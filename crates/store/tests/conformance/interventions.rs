//! The register of interventions: the Bibob compartment closed to every other role (lists,
//! reads, changes, deadlines), procedures that refuse what they do not allow and keep
//! nothing of a refused step, terms and deadlines on the Dutch calendar, interventions seen
//! through their case, art. 28 disclosures, parties from dossiers only when visible.

use crate::harness::{Harness, NOW};
use crate::meetings::user;
use baken_core::access::{Denied, Role};
use baken_core::case::{NewCase, NewMember, RawCase};
use baken_core::intervention::details::RawDetails;
use baken_core::intervention::flow::UrgencyName;
use baken_core::intervention::{
    InterventionFilter, NewArt28, NewIntervention, NewParty, NewStep, RawArt28, RawChange,
    RawIntervention, RawParty, RawStep,
};
use baken_core::validation::Problem;
use baken_core::Caller;
use baken_store::{Rejection, StoreError};
use time::macros::{date, datetime};
use uuid::Uuid;

baken_store::on_both_engines!(crate::harness::Harness =>
    the_bibob_compartment_is_closed_to_every_other_role,
    a_procedure_refuses_what_it_does_not_allow_and_computes_its_terms,
    an_intervention_is_seen_through_its_case,
    art_28_disclosures_and_parties_are_recorded_with_care,
    what_followed_a_control_is_linked_as_far_as_the_reader_sees
);

pub(crate) fn new(
    kind: &str,
    title: &str,
    case: Option<Uuid>,
    details: RawDetails,
) -> NewIntervention {
    NewIntervention::parse(
        &RawIntervention {
            kind: kind.into(),
            title: title.into(),
            case: case.map(|c| c.to_string()).unwrap_or_default(),
            opened_on: "2025-05-01".into(),
            details,
            ..RawIntervention::default()
        },
        date!(2025 - 06 - 02),
    )
    .unwrap()
}

fn step(name: &str, on: &str, length: Option<(&str, &str)>) -> NewStep {
    let (length, unit) = length.unwrap_or(("", ""));
    NewStep::parse(
        &RawStep {
            step: name.into(),
            on: on.into(),
            length: length.into(),
            unit: unit.into(),
            ..RawStep::default()
        },
        date!(2025 - 12 - 31),
    )
    .unwrap()
}

async fn bibob_screening(h: &Harness) -> Uuid {
    let store = h.store();
    let id = store
        .create_intervention(
            &h.a_bibob,
            new(
                "bibob",
                "Exploitatievergunning Grote Markt 1",
                None,
                RawDetails {
                    decision_kind: "exploitatievergunning-horeca".into(),
                    trigger: "beleidslijn".into(),
                    ..RawDetails::default()
                },
            ),
            NOW,
        )
        .await
        .unwrap();
    store
        .record_step(
            &h.a_bibob,
            id,
            step("aanvraag-ontvangen", "2025-04-14", None),
            NOW,
        )
        .await
        .unwrap();
    id
}

#[allow(clippy::too_many_lines)]
async fn the_bibob_compartment_is_closed_to_every_other_role(h: &Harness) {
    let store = h.store();
    let id = bibob_screening(h).await;
    // Only a bibob-coördinator registers one, and never on a case.
    let r = store
        .create_intervention(
            &h.a_analist,
            new("bibob", "Vergunning", None, RawDetails::default()),
            NOW,
        )
        .await;
    assert!(
        matches!(r, Err(StoreError::Forbidden(Denied::RegisterIntervention))),
        "{r:?}"
    );
    let own = store
        .interventions(
            &h.a_bibob,
            InterventionFilter::default(),
            baken_core::page::PageRequest::LONG_LIST,
            NOW,
        )
        .await
        .unwrap()
        .items;
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].state, "eigen-onderzoek");
    // The decision term: 14 April + 8 weeks = 9 June 2025 (Whit Monday) → 10 June; due
    // within five working days on 2 June.
    let term = own[0].next_term.unwrap();
    assert_eq!(term.term, "beslistermijn");
    assert_eq!(term.due_on, Some(date!(2025 - 06 - 10)));
    assert_eq!(term.urgency, UrgencyName::DueSoon);
    let deadlines = store.deadlines(&h.a_bibob, NOW).await.unwrap();
    assert_eq!(deadlines.len(), 1);

    let others: Vec<Caller> = vec![
        h.a_analist.clone(),
        h.a_toezicht.clone(),
        h.a_lezer.clone(),
        h.a_beheerder.clone(),
        h.b_partner.clone(),
        h.b_analist.clone(),
        h.c_partner.clone(),
        user(h, &h.a_analist, "voorzitter@a.test", Role::Voorzitter).await,
        user(h, &h.a_analist, "tafel@a.test", Role::CasustafelLid).await,
        user(h, &h.b_analist, "bibob@b.test", Role::BibobCoordinator).await,
    ];
    for other in &others {
        let list = store
            .interventions(
                other,
                InterventionFilter::default(),
                baken_core::page::PageRequest::LONG_LIST,
                NOW,
            )
            .await
            .unwrap()
            .items;
        assert!(list.is_empty(), "{:?} sees {list:?}", other.roles());
        let r = store.intervention(other, id, NOW).await;
        assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
        let unknown = store.intervention(other, Uuid::now_v7(), NOW).await;
        assert!(matches!(unknown, Err(StoreError::NotFound)));
        let r = store
            .record_step(
                other,
                id,
                step("vragenformulier-verstuurd", "2025-05-01", None),
                NOW,
            )
            .await;
        assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
        let r = store
            .disclose_bibob(
                other,
                id,
                NewArt28::parse(
                    &RawArt28 {
                        exception: "riec".into(),
                        recipient: "RIEC Noord-Nederland".into(),
                        reason: "ondersteuning".into(),
                        ..RawArt28::default()
                    },
                    date!(2025 - 06 - 02),
                )
                .unwrap(),
                NOW,
            )
            .await;
        assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
        assert!(store.deadlines(other, NOW).await.unwrap().is_empty());
    }
    // The steps refused above left nothing behind.
    let detail = store.intervention(&h.a_bibob, id, NOW).await.unwrap();
    assert_eq!(detail.steps.len(), 1);
    assert!(detail.disclosures.is_empty());
}

async fn a_procedure_refuses_what_it_does_not_allow_and_computes_its_terms(h: &Harness) {
    let store = h.store();
    let id = store
        .create_intervention(
            &h.a_analist,
            new(
                "last-onder-dwangsom",
                "Drugshandel Oosterpoort",
                None,
                RawDetails::default(),
            ),
            NOW,
        )
        .await
        .unwrap();
    // Not a move from "in voorbereiding".
    let r = store
        .record_step(
            &h.a_analist,
            id,
            step("dwangsom-verbeurd", "2025-05-02", None),
            NOW,
        )
        .await;
    let Err(StoreError::Invalid(errors)) = r else {
        panic!("{r:?}")
    };
    assert!(matches!(
        errors.for_field("step"),
        Some(Problem::StepNotAllowed {
            state: "in-voorbereiding",
            ..
        })
    ));
    // Imposing needs basis, violation and amount, and the begunstigingstermijn.
    let r = store
        .record_step(
            &h.a_analist,
            id,
            step("last-opgelegd", "2025-05-12", Some(("2", "weken"))),
            NOW,
        )
        .await;
    let Err(StoreError::Invalid(errors)) = r else {
        panic!("{r:?}")
    };
    assert!(matches!(
        errors.for_field("step"),
        Some(Problem::StepNeedsFacts { .. })
    ));
    store
        .change_intervention(
            &h.a_analist,
            id,
            &RawChange {
                title: "Drugshandel Oosterpoort".into(),
                details: RawDetails {
                    legal_basis: "apv".into(),
                    article: "APV art. 2:74a".into(),
                    violation: "heimelijke drugshandel op straat".into(),
                    amount: "500".into(),
                    per: "per-overtreding".into(),
                    maximum: "2.500".into(),
                    ..RawDetails::default()
                },
                ..RawChange::default()
            },
            NOW,
        )
        .await
        .unwrap();
    let r = store
        .record_step(
            &h.a_analist,
            id,
            step("last-opgelegd", "2025-05-12", None),
            NOW,
        )
        .await;
    let Err(StoreError::Invalid(errors)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(errors.for_field("length"), Some(&Problem::StepNeedsLength));
    store
        .record_step(
            &h.a_analist,
            id,
            step("last-opgelegd", "2025-05-12", Some(("2", "weken"))),
            NOW,
        )
        .await
        .unwrap();
    // A step dated before the last one is refused.
    let r = store
        .record_step(
            &h.a_analist,
            id,
            step("last-nageleefd", "2025-05-01", None),
            NOW,
        )
        .await;
    let Err(StoreError::Invalid(errors)) = r else {
        panic!("{r:?}")
    };
    assert!(errors.for_field("on").is_some());
    let detail = store.intervention(&h.a_analist, id, NOW).await.unwrap();
    assert_eq!(detail.summary.state, "opgelegd");
    assert_eq!(detail.steps.len(), 1, "refused steps leave nothing");
    // 12 May + 2 weeks = 26 May: overdue on 2 June.
    let grace = detail
        .terms
        .iter()
        .find(|t| t.term == "begunstigingstermijn")
        .unwrap();
    assert_eq!(grace.due_on, Some(date!(2025 - 05 - 26)));
    assert_eq!(grace.urgency, UrgencyName::Overdue);
    let deadlines = store.deadlines(&h.a_analist, NOW).await.unwrap();
    assert_eq!(deadlines.len(), 1);
    assert_eq!(deadlines[0].intervention, id);
    // Another analyst of the organisation may continue it; another organisation may not
    // even see it.
    let later = datetime!(2025-06-03 10:00 UTC);
    let colleague = user(h, &h.a_analist, "analist2@a.test", Role::Analist).await;
    store
        .record_step(
            &colleague,
            id,
            step("last-nageleefd", "2025-06-03", None),
            later,
        )
        .await
        .unwrap();
    assert!(store
        .deadlines(&h.a_analist, later)
        .await
        .unwrap()
        .is_empty());
    let r = store.intervention(&h.b_analist, id, NOW).await;
    assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
}

async fn an_intervention_is_seen_through_its_case(h: &Harness) {
    let store = h.store();
    let signal = h.signal(&h.a_analist, "Hennep", &["drugs"], "intern").await;
    let case = store
        .create_case(
            &h.a_analist,
            NewCase::parse(&RawCase {
                title: "Woning Vinkhuizen".into(),
                themes: vec!["drugs".into()],
                ..RawCase::default()
            })
            .unwrap(),
            &[signal.id],
            NOW,
        )
        .await
        .unwrap();
    // A case the caller cannot see is refused as unknown.
    let r = store
        .create_intervention(
            &h.b_analist,
            new("zorgverwijzing", "Zorg", Some(case), RawDetails::default()),
            NOW,
        )
        .await;
    assert!(
        matches!(&r, Err(StoreError::Rejected(v)) if v == &[Rejection::InterventionCaseUnknown]),
        "{r:?}"
    );
    store
        .add_case_member(
            &h.a_analist,
            case,
            NewMember::Organisation(h.b_partner.org()),
            NOW,
        )
        .await
        .unwrap();
    let closure = store
        .create_intervention(
            &h.a_analist,
            new(
                "sluiting-13b",
                "Sluiting Vinkhuizen",
                Some(case),
                RawDetails::default(),
            ),
            NOW,
        )
        .await
        .unwrap();
    let on_case = InterventionFilter {
        case: Some(case),
        ..InterventionFilter::default()
    };
    let seen = store
        .interventions(
            &h.b_partner,
            on_case,
            baken_core::page::PageRequest::LONG_LIST,
            NOW,
        )
        .await
        .unwrap()
        .items;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].id, closure);
    let detail = store
        .intervention(&h.b_partner, closure, NOW)
        .await
        .unwrap();
    assert!(!detail.may_change && detail.next_steps.is_empty());
    let r = store
        .record_step(
            &h.b_partner,
            closure,
            step("afgezien", "2025-06-01", None),
            NOW,
        )
        .await;
    assert!(
        matches!(r, Err(StoreError::Forbidden(Denied::ChangeIntervention))),
        "{r:?}"
    );
    assert!(store
        .interventions(
            &h.c_partner,
            on_case,
            baken_core::page::PageRequest::LONG_LIST,
            NOW
        )
        .await
        .unwrap()
        .items
        .is_empty());
    // A care referral on the case: its reason stays with the municipality.
    let care = store
        .create_intervention(
            &h.a_analist,
            new(
                "zorgverwijzing",
                "Zorg voor bewoner",
                Some(case),
                RawDetails {
                    recipient: "wij-groningen".into(),
                    reason: "schulden en verslaving".into(),
                    ..RawDetails::default()
                },
            ),
            NOW,
        )
        .await
        .unwrap();
    let own = store.intervention(&h.a_analist, care, NOW).await.unwrap();
    assert!(!own.care_withheld);
    let partner = store.intervention(&h.b_partner, care, NOW).await.unwrap();
    assert!(partner.care_withheld);
    let baken_core::intervention::details::Details::Referral(r) = partner.details else {
        panic!("{:?}", partner.details)
    };
    assert!(r.reason.is_empty());
}

async fn art_28_disclosures_and_parties_are_recorded_with_care(h: &Harness) {
    let store = h.store();
    let id = bibob_screening(h).await;
    let disclosure = NewArt28::parse(
        &RawArt28 {
            exception: "driehoek".into(),
            recipient: "Driehoek Groningen".into(),
            reason: "motivering van de weigering".into(),
            disclosed_on: "2025-05-20".into(),
        },
        date!(2025 - 06 - 02),
    )
    .unwrap();
    store
        .disclose_bibob(&h.a_bibob, id, disclosure.clone(), NOW)
        .await
        .unwrap();
    let detail = store.intervention(&h.a_bibob, id, NOW).await.unwrap();
    assert_eq!(detail.disclosures.len(), 1);
    assert_eq!(detail.disclosures[0].recipient, "Driehoek Groningen");
    let control = store
        .create_intervention(
            &h.a_analist,
            new(
                "integrale-controle",
                "Controle Zernike",
                None,
                RawDetails::default(),
            ),
            NOW,
        )
        .await
        .unwrap();
    let r = store
        .disclose_bibob(&h.a_analist, control, disclosure, NOW)
        .await;
    assert!(
        matches!(&r, Err(StoreError::Rejected(v)) if v == &[Rejection::NotBibob]),
        "{r:?}"
    );
    // A party by name, and none from a dossier the caller cannot see.
    let party = NewParty::parse(&RawParty {
        name: "Horeca BV".into(),
        role: "aanvrager".into(),
        ..RawParty::default()
    })
    .unwrap();
    store.add_party(&h.a_bibob, id, party, NOW).await.unwrap();
    let hidden = NewParty::parse(&RawParty {
        role: "achterman".into(),
        dossier: Uuid::now_v7().to_string(),
        ..RawParty::default()
    })
    .unwrap();
    let r = store.add_party(&h.a_bibob, id, hidden, NOW).await;
    assert!(
        matches!(&r, Err(StoreError::Rejected(v)) if v == &[Rejection::PartyDossierUnknown]),
        "{r:?}"
    );
    let detail = store.intervention(&h.a_bibob, id, NOW).await.unwrap();
    assert_eq!(detail.parties.len(), 1);
    // Every change, read and refusal above is in the audit trail.
    let events = store.audit_events(0, 10_000).await.unwrap();
    for action in [
        "intervention.create",
        "intervention.step",
        "intervention.read",
        "intervention.party-add",
        "bibob.art28-disclosure",
    ] {
        assert!(events.iter().any(|e| e.action == action), "{action}");
    }
    assert!(events
        .iter()
        .any(|e| e.action == "bibob.art28-disclosure" && e.result == "refused"));
}

async fn what_followed_a_control_is_linked_as_far_as_the_reader_sees(h: &Harness) {
    use baken_core::intervention::{LinkKind, LinkTarget};
    let store = h.store();
    let control = store
        .create_intervention(
            &h.a_analist,
            new(
                "integrale-controle",
                "Controle Westpoort",
                None,
                RawDetails::default(),
            ),
            NOW,
        )
        .await
        .unwrap();
    let closure = store
        .create_intervention(
            &h.a_analist,
            new(
                "sluiting-13b",
                "Sluiting loods",
                None,
                RawDetails::default(),
            ),
            NOW,
        )
        .await
        .unwrap();
    let signal = h
        .signal(&h.a_analist, "Illegale bewoning", &["drugs"], "intern")
        .await;
    let bibob_signal = h
        .signal(&h.a_bibob, "Bibob-signaal", &["drugs"], "bibob")
        .await;
    for target in [
        LinkTarget::Signal(signal.id),
        LinkTarget::Intervention(closure),
    ] {
        store
            .link_intervention(&h.a_analist, control, target, NOW)
            .await
            .unwrap();
    }
    // Twice is once; itself, a signal the analist may not see and another organisation's
    // intervention are not found.
    store
        .link_intervention(
            &h.a_analist,
            control,
            LinkTarget::Intervention(closure),
            NOW,
        )
        .await
        .unwrap();
    let other = store
        .create_intervention(
            &h.b_analist,
            new("zorgverwijzing", "Zorg B", None, RawDetails::default()),
            NOW,
        )
        .await
        .unwrap();
    for target in [
        LinkTarget::Intervention(control),
        LinkTarget::Signal(bibob_signal.id),
        LinkTarget::Intervention(other),
        LinkTarget::Visit(Uuid::now_v7()),
    ] {
        let r = store
            .link_intervention(&h.a_analist, control, target, NOW)
            .await;
        assert!(
            matches!(&r, Err(StoreError::Rejected(v)) if v == &[Rejection::LinkTargetUnknown]),
            "{target:?}: {r:?}"
        );
    }
    let detail = store
        .intervention(&h.a_analist, control, NOW)
        .await
        .unwrap();
    let kinds: Vec<LinkKind> = detail.links.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, vec![LinkKind::Signal, LinkKind::FollowUp]);
    let followed = store
        .intervention(&h.a_analist, closure, NOW)
        .await
        .unwrap();
    assert_eq!(followed.links[0].kind, LinkKind::FollowedFrom);
    assert_eq!(followed.links[0].id, control);
    // The signal's page finds the control it followed from.
    let from = store
        .interventions(
            &h.a_analist,
            InterventionFilter {
                linked_to: Some(LinkTarget::Signal(signal.id)),
                ..InterventionFilter::default()
            },
            baken_core::page::PageRequest::LONG_LIST,
            NOW,
        )
        .await
        .unwrap()
        .items;
    assert_eq!(from.len(), 1);
    assert_eq!(from[0].id, control);
    // Only who may change the control links to it.
    let r = store
        .link_intervention(&h.b_analist, control, LinkTarget::Intervention(other), NOW)
        .await;
    assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
}
