//! Need-to-know: what each caller may read, list, search, count or infer.

use crate::harness::{Harness, NOW};
use baken_core::access::Suppression;
use baken_core::signal::{PageRequest, SignalFilter};
use baken_core::Caller;
use baken_store::StoreError;

baken_store::on_both_engines!(crate::harness::Harness =>
    partner_cannot_read_list_search_count_or_infer_unshared_signals,
    agreements_share_only_covered_themes_and_classifications,
    bibob_is_visible_only_to_bibob_coordinators_of_the_owner,
    toezichthouder_sees_only_own_registrations,
    lezer_sees_suppressed_aggregates_only,
    beheerder_sees_no_content,
);

async fn visible_ids(h: &Harness, who: &Caller, filter: SignalFilter) -> (u64, Vec<uuid::Uuid>) {
    let page = h
        .store()
        .list_signals(who, &filter, PageRequest::first(100), NOW)
        .await
        .unwrap();
    (
        page.total.count(),
        page.items.iter().map(|s| s.id).collect(),
    )
}

async fn can_read(h: &Harness, who: &Caller, id: uuid::Uuid) -> bool {
    match h.store().signal(who, id, NOW).await {
        Ok(_) => true,
        Err(StoreError::NotFound) => false,
        Err(e) => panic!("unexpected {e}"),
    }
}

async fn partner_cannot_read_list_search_count_or_infer_unshared_signals(h: &Harness) {
    let secret = h
        .signal(
            &h.a_analist,
            "Geheime vastgoedzaak Zilverstraat",
            &["vastgoed"],
            "intern",
        )
        .await;
    let b = &h.b_partner;
    assert!(!can_read(h, b, secret.id).await, "read");
    let (total, ids) = visible_ids(h, b, SignalFilter::default()).await;
    assert_eq!((total, ids.len()), (0, 0), "list");
    let search = SignalFilter {
        text: Some("Zilverstraat".into()),
        ..Default::default()
    };
    assert_eq!(visible_ids(h, b, search).await.0, 0, "search");
    let by_theme = SignalFilter {
        theme: Some("vastgoed".into()),
        ..Default::default()
    };
    assert_eq!(visible_ids(h, b, by_theme).await.0, 0, "count by theme");
    let overview = h
        .store()
        .overview(b, Suppression::default(), NOW)
        .await
        .unwrap();
    assert_eq!(overview.total.value, Some(0), "overview total");
    assert!(
        overview.by_theme.iter().all(|(_, c)| c.value == Some(0)),
        "overview per theme"
    );
    // A status change on it is indistinguishable from a change on a signal that does not exist.
    let change = baken_core::status::StatusChange::parse("in-triage", "x").unwrap();
    assert!(matches!(
        h.store()
            .change_signal_status(&h.b_analist, secret.id, change.clone(), NOW)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        h.store()
            .change_signal_status(&h.b_analist, uuid::Uuid::now_v7(), change, NOW)
            .await,
        Err(StoreError::NotFound)
    ));
    // The owner still sees it.
    assert!(can_read(h, &h.a_analist, secret.id).await);
}

async fn agreements_share_only_covered_themes_and_classifications(h: &Harness) {
    let shared = h
        .signal(&h.a_analist, "Hennep", &["drugs"], "vertrouwelijk")
        .await;
    let mixed = h
        .signal(
            &h.a_analist,
            "Hennep en vastgoed",
            &["drugs", "vastgoed"],
            "intern",
        )
        .await;
    let own_only = h
        .signal_with(&h.a_analist, "Niet delen", &["drugs"], "intern", |i| {
            i.sharing = Some("eigen-organisatie".into())
        })
        .await;
    let b_own = h
        .signal(
            &h.b_partner,
            "Politie: mensenhandel",
            &["mensenhandel"],
            "intern",
        )
        .await;

    // B sees the covered one, not the one with an uncovered theme or marked own-organisation.
    assert!(can_read(h, &h.b_partner, shared.id).await);
    assert!(!can_read(h, &h.b_partner, mixed.id).await);
    assert!(!can_read(h, &h.b_partner, own_only.id).await);
    let (total, ids) = visible_ids(h, &h.b_partner, SignalFilter::default()).await;
    assert_eq!(total, 2);
    assert!(ids.contains(&shared.id) && ids.contains(&b_own.id));
    // Sharing works both ways: A sees B's signal on a covered theme.
    assert!(can_read(h, &h.a_analist, b_own.id).await);
    // C's agreement with A expired: nothing flows.
    assert!(!can_read(h, &h.c_partner, shared.id).await);
    assert_eq!(
        visible_ids(h, &h.c_partner, SignalFilter::default())
            .await
            .0,
        0
    );
    // The owner's record shows which organisation owns it.
    let seen = h
        .store()
        .signal(&h.b_partner, shared.id, NOW)
        .await
        .unwrap();
    assert_eq!(seen.signal.owner_org_name, "Gemeente A");
    assert!(
        seen.allowed_next.is_empty(),
        "partners do not triage another organisation's signal"
    );
}

async fn bibob_is_visible_only_to_bibob_coordinators_of_the_owner(h: &Harness) {
    let bibob = h
        .signal(
            &h.a_bibob,
            "Bibob-onderzoek horecapand",
            &["drugs"],
            "bibob",
        )
        .await;
    assert!(can_read(h, &h.a_bibob, bibob.id).await);
    for who in [
        &h.a_analist,
        &h.b_partner,
        &h.b_analist,
        &h.a_toezicht,
        &h.a_lezer,
    ] {
        assert!(!can_read(h, who, bibob.id).await);
        assert_eq!(visible_ids(h, who, SignalFilter::default()).await.0, 0);
    }
    let lezer = h
        .store()
        .overview(&h.a_lezer, Suppression::default(), NOW)
        .await
        .unwrap();
    assert_eq!(
        lezer.total.value,
        Some(0),
        "bibob never in aggregates outside the compartment"
    );
    // Only a Bibob coordinator may create Bibob content at all.
    let catalogue = h.store().catalogue().await.unwrap();
    let input = baken_core::signal::SignalInput {
        title: Some("x".into()),
        description: Some("x".into()),
        source_kind: Some("partner".into()),
        source_reliability: Some("A".into()),
        information_credibility: Some("1".into()),
        themes: vec!["drugs".into()],
        classification: Some("intern".into()),
        ..Default::default()
    };
    let mut new = baken_core::signal::NewSignal::parse(
        &input,
        &catalogue,
        &h.a_analist,
        &Default::default(),
        NOW,
    )
    .unwrap();
    new.classification = baken_core::model::Classification::Bibob;
    assert!(matches!(
        h.store().create_signal(&h.a_analist, new, NOW).await,
        Err(StoreError::Forbidden(_))
    ));
}

async fn toezichthouder_sees_only_own_registrations(h: &Harness) {
    let mine = h
        .signal(
            &h.a_toezicht,
            "Schouw bedrijventerrein",
            &["bedrijventerreinen"],
            "intern",
        )
        .await;
    let colleague = h
        .signal(&h.a_toezicht2, "Erfbezoek", &["buitengebied"], "intern")
        .await;
    let analyst = h
        .signal(&h.a_analist, "Analyse", &["drugs"], "intern")
        .await;
    assert!(can_read(h, &h.a_toezicht, mine.id).await);
    assert!(!can_read(h, &h.a_toezicht, colleague.id).await);
    assert!(!can_read(h, &h.a_toezicht, analyst.id).await);
    assert_eq!(
        visible_ids(h, &h.a_toezicht, SignalFilter::default())
            .await
            .1,
        vec![mine.id]
    );
    // The analyst of the organisation sees all three.
    assert_eq!(
        visible_ids(h, &h.a_analist, SignalFilter::default())
            .await
            .0,
        3
    );
}

async fn lezer_sees_suppressed_aggregates_only(h: &Harness) {
    for i in 0..6 {
        h.signal(&h.a_analist, &format!("Drugs {i}"), &["drugs"], "intern")
            .await;
    }
    for i in 0..2 {
        h.signal(
            &h.a_analist,
            &format!("Cyber {i}"),
            &["cybercrime"],
            "intern",
        )
        .await;
    }
    h.signal(&h.b_partner, "Politie drugs", &["drugs"], "intern")
        .await;
    let o = h
        .store()
        .overview(&h.a_lezer, Suppression::default(), NOW)
        .await
        .unwrap();
    assert!(o.aggregated);
    let theme = |code: &str| {
        o.by_theme
            .iter()
            .find(|(t, _)| t == code)
            .unwrap()
            .1
            .clone()
    };
    // Only the own organisation's six (not the police's seventh), rounded to a multiple of
    // the threshold.
    assert_eq!(theme("drugs").shown, "5", "only own organisation's signals");
    assert_eq!(theme("cybercrime").shown, "<5");
    assert_eq!(theme("cybercrime").value, None);
    assert_eq!(theme("vastgoed").shown, "0");
    assert_eq!(
        visible_ids(h, &h.a_lezer, SignalFilter::default()).await.0,
        0,
        "no individual signals"
    );
    // The analyst sees exact counts.
    let a = h
        .store()
        .overview(&h.a_analist, Suppression::default(), NOW)
        .await
        .unwrap();
    assert!(!a.aggregated);
    assert_eq!(
        a.by_theme
            .iter()
            .find(|(t, _)| t == "cybercrime")
            .unwrap()
            .1
            .shown,
        "2"
    );
}

async fn beheerder_sees_no_content(h: &Harness) {
    let s = h.signal(&h.a_analist, "Inhoud", &["drugs"], "intern").await;
    assert!(!can_read(h, &h.a_beheerder, s.id).await);
    assert_eq!(
        visible_ids(h, &h.a_beheerder, SignalFilter::default())
            .await
            .0,
        0
    );
    assert_eq!(
        h.store()
            .overview(&h.a_beheerder, Suppression::default(), NOW)
            .await
            .unwrap()
            .total
            .value,
        Some(0)
    );
}
