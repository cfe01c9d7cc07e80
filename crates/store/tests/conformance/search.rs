//! Full-text search with typo tolerance for names and addresses, inside need-to-know.

use crate::harness::{Harness, NOW};
use baken_core::signal::{PageRequest, SignalFilter};
use baken_core::subject::SubjectInput;
use baken_core::Caller;

baken_store::on_both_engines!(crate::harness::Harness =>
    search_finds_text_names_and_addresses_with_typos,
    search_never_reveals_what_the_caller_may_not_see,
    search_and_suggestions_fold_letters_as_linking_does
);

async fn search(h: &Harness, who: &Caller, text: &str) -> Vec<String> {
    let filter = SignalFilter {
        text: Some(text.into()),
        ..Default::default()
    };
    let page = h
        .store()
        .list_signals(
            who,
            &filter,
            PageRequest {
                page: 1,
                page_size: 100,
            },
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(page.total as usize, page.items.len());
    let mut titles: Vec<String> = page.items.into_iter().map(|s| s.title).collect();
    titles.sort();
    titles
}

async fn seed(h: &Harness) {
    h.signal_with(
        &h.a_analist,
        "Hennepgeur bij loods",
        &["drugs"],
        "intern",
        |i| {
            i.description = Some("Sterke geur van hennep, ramen afgeplakt.".into());
            i.subjects = vec![
                SubjectInput {
                    kind: Some("persoon".into()),
                    name: Some("Pieter Pietersen".into()),
                    ..Default::default()
                },
                SubjectInput {
                    kind: Some("adres".into()),
                    street: Some("Martinikerkhof".into()),
                    house_number: Some("3".into()),
                    place: Some("Groningen".into()),
                    ..Default::default()
                },
            ];
        },
    )
    .await;
    h.signal_with(
        &h.a_analist,
        "Loods verhuurd",
        &["buitengebied"],
        "intern",
        |i| {
            i.description = Some("Contante betaling voor een lege schuur.".into());
            i.subjects = vec![SubjectInput {
                kind: Some("organisatie".into()),
                name: Some("Jansen Opslag B.V.".into()),
                kvk_number: Some("12345678".into()),
                ..Default::default()
            }];
        },
    )
    .await;
    h.signal(
        &h.a_analist,
        "Café met veel contant geld",
        &["drugs"],
        "intern",
    )
    .await;
}

async fn search_finds_text_names_and_addresses_with_typos(h: &Harness) {
    seed(h).await;
    let a = &h.a_analist;
    assert_eq!(
        search(h, a, "loods").await,
        vec!["Hennepgeur bij loods", "Loods verhuurd"]
    );
    assert_eq!(
        search(h, a, "hennep afgeplakt").await,
        vec!["Hennepgeur bij loods"],
        "every word must match"
    );
    assert_eq!(
        search(h, a, "Pietersen").await,
        vec!["Hennepgeur bij loods"],
        "subject names are searched"
    );
    assert_eq!(
        search(h, a, "Pieterzen").await,
        vec!["Hennepgeur bij loods"],
        "a typo in a name"
    );
    assert_eq!(
        search(h, a, "Martinikerhof").await,
        vec!["Hennepgeur bij loods"],
        "a typo in an address"
    );
    assert_eq!(
        search(h, a, "12345678").await,
        vec!["Loods verhuurd"],
        "KvK number"
    );
    assert_eq!(search(h, a, "jansen opslag").await, vec!["Loods verhuurd"]);
    assert_eq!(
        search(h, a, "cafe").await,
        vec!["Café met veel contant geld"],
        "diacritics folded"
    );
    assert!(search(h, a, "Rotterdam").await.is_empty());
    assert!(search(h, a, "%").await.is_empty(), "no words, no results");
}

async fn search_never_reveals_what_the_caller_may_not_see(h: &Harness) {
    seed(h).await;
    // B shares drugs with A: it finds the drugs signal, never the buitengebied one.
    assert_eq!(
        search(h, &h.b_partner, "loods").await,
        vec!["Hennepgeur bij loods"]
    );
    assert!(search(h, &h.b_partner, "Jansen").await.is_empty());
    assert!(
        search(h, &h.b_partner, "Jansem").await.is_empty(),
        "not through a typo either"
    );
    assert!(search(h, &h.b_partner, "12345678").await.is_empty());
    for who in [&h.c_partner, &h.a_lezer, &h.a_beheerder, &h.a_toezicht] {
        assert!(search(h, who, "loods").await.is_empty());
        assert!(search(h, who, "Pietersen").await.is_empty());
    }
}

/// Ĳ, ø, ß and ł are found as users type them (ij, o, ss, l), in text and in names, and
/// subject suggestions fold the same way.
async fn search_and_suggestions_fold_letters_as_linking_does(h: &Harness) {
    h.signal_with(
        &h.a_analist,
        "Opslag aan de Ĳsselkade",
        &["drugs"],
        "intern",
        |i| {
            i.description = Some("Vrachtwagen uit de Großstraße, chauffeur sprak Deens.".into());
            i.subjects = vec![SubjectInput {
                kind: Some("persoon".into()),
                name: Some("Søren Wałęsa".into()),
                ..Default::default()
            }];
        },
    )
    .await;
    let found = vec!["Opslag aan de Ĳsselkade".to_string()];
    for query in [
        "ijsselkade",
        "IJsselkade",
        "grossstrasse",
        "soren",
        "walesa",
        "Søren",
    ] {
        assert_eq!(search(h, &h.a_analist, query).await, found, "{query}");
    }
    for typed in ["soren wal", "SØREN", "wałę"] {
        let suggested = h
            .store()
            .suggest_subjects(&h.a_analist, typed, 10, NOW)
            .await
            .unwrap();
        assert_eq!(suggested.len(), 1, "{typed}: {suggested:?}");
    }
}
