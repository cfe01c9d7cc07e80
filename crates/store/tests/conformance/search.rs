//! Full-text search with typo tolerance for names and addresses, inside need-to-know.

use crate::harness::{Harness, NOW};
use baken_core::signal::{PageRequest, SignalFilter};
use baken_core::subject::SubjectInput;
use baken_core::Caller;

baken_store::on_both_engines!(crate::harness::Harness =>
    search_finds_text_names_and_addresses_with_typos,
    search_never_reveals_what_the_caller_may_not_see,
    search_and_suggestions_fold_letters_as_linking_does,
    dutch_search_finds_compounds_and_inflections_within_need_to_know,
    a_search_with_many_matches_answers_as_one_with_few,
    a_search_within_a_theme_or_an_area_finds_what_both_find,
    a_purged_signals_place_in_the_search_index_shows_nothing_of_its_successor
);

async fn search(h: &Harness, who: &Caller, text: &str) -> Vec<String> {
    let filter = SignalFilter {
        text: Some(text.into()),
        ..Default::default()
    };
    titles(h, who, &filter).await
}

/// The sorted titles of every signal `who` finds with `filter`, checked against the total.
async fn titles(h: &Harness, who: &Caller, filter: &SignalFilter) -> Vec<String> {
    let page = h
        .store()
        .list_signals(who, filter, PageRequest::first(100), NOW)
        .await
        .unwrap();
    assert_eq!(page.total.count() as usize, page.items.len());
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
            i.subjects = vec![
                SubjectInput {
                    kind: Some("organisatie".into()),
                    name: Some("Jansen Opslag B.V.".into()),
                    kvk_number: Some("12345678".into()),
                    ..Default::default()
                },
                SubjectInput {
                    kind: Some("voertuig".into()),
                    plate: Some("87-XKP-4".into()),
                    ..Default::default()
                },
            ];
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
    h.assert_search_in_step("after intake").await;
    h.assert_code_copies_in_step("after intake").await;
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
    // Identifiers have no near-miss spellings: one character off is another company or car.
    assert!(
        search(h, a, "12345679").await.is_empty(),
        "a KvK number one digit off"
    );
    assert_eq!(
        search(h, a, "87XKP4").await,
        vec!["Loods verhuurd"],
        "a licence plate"
    );
    assert!(
        search(h, a, "87XKP5").await.is_empty(),
        "a licence plate one character off"
    );
    assert_eq!(
        search(h, a, "Pieterzen Martinikerkhof 3").await,
        vec!["Hennepgeur bij loods"],
        "a typo in a name beside a house number"
    );
    assert!(
        search(h, a, "Pieterzen Martinikerkhof 4").await.is_empty(),
        "the house number as typed"
    );
    assert_eq!(search(h, a, "jansen opslag").await, vec!["Loods verhuurd"]);
    assert_eq!(
        search(h, a, "cafe").await,
        vec!["Café met veel contant geld"],
        "diacritics folded"
    );
    assert!(search(h, a, "Rotterdam").await.is_empty());
    assert!(search(h, a, "%").await.is_empty(), "no words, no results");

    // Two people with one surname and an address between them: the second name is still a
    // name as a run of words, with a typo in it.
    h.signal_with(a, "Twee bewoners", &["drugs"], "intern", |i| {
        i.subjects = vec![
            SubjectInput {
                kind: Some("persoon".into()),
                name: Some("Jan de Vries".into()),
                ..Default::default()
            },
            SubjectInput {
                kind: Some("adres".into()),
                street: Some("Kerkstraat".into()),
                house_number: Some("1".into()),
                place: Some("Groningen".into()),
                ..Default::default()
            },
            SubjectInput {
                kind: Some("persoon".into()),
                name: Some("Anna de Vries".into()),
                ..Default::default()
            },
        ];
    })
    .await;
    assert_eq!(
        search(h, a, "Anna de Vriez").await,
        vec!["Twee bewoners"],
        "a typo in the second of two names that share words"
    );
    assert_eq!(
        search(h, a, "Jan de Vriez").await,
        vec!["Twee bewoners"],
        "a typo in the first"
    );
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

/// Thirty-eight Dutch searches with their expected hits: a word finds the compounds it starts
/// ("drugs" → "drugslab", "drugshandel"; "hennep" → "hennepkwekerij", "henneplucht") and the
/// inflections of its stem ("woningen" → "woning", "bedrijventerreinen" → "bedrijventerrein"),
/// on both engines; a partner finds only what it may see.
async fn dutch_search_finds_compounds_and_inflections_within_need_to_know(h: &Harness) {
    // (title, description, theme, shared with the police partner under the agreement)
    let corpus = [
        (
            "Drugslab in schuur",
            "Resten van een drugslab gevonden achter de boerderij.",
            "drugs",
            true,
        ),
        (
            "Drugshandel bij station",
            "Jongeren handelen drugs bij de fietsenstalling.",
            "drugs",
            false,
        ),
        (
            "Hennepkwekerij op zolder",
            "Warmte-afwijking, vermoedelijk een hennepkwekerij.",
            "drugs",
            true,
        ),
        (
            "Henneplucht in portiek",
            "Bewoners melden een sterke henneplucht.",
            "drugs",
            false,
        ),
        (
            "Leegstaande woningen",
            "Drie woningen staan al maanden leeg.",
            "vastgoed",
            false,
        ),
        (
            "Woning verhuurd aan arbeidsmigranten",
            "Overbewoning in een woning aan de Kerkstraat.",
            "vastgoed",
            false,
        ),
        (
            "Bedrijventerreinen Zernike",
            "Schouw op de bedrijventerreinen.",
            "bedrijventerreinen",
            false,
        ),
        (
            "Loods op bedrijventerrein",
            "Onduidelijk gebruik van een loods op het bedrijventerrein Euvelgunne.",
            "bedrijventerreinen",
            false,
        ),
        (
            "Witwassen via autohandel",
            "Contante betalingen bij een autobedrijf.",
            "vastgoed",
            false,
        ),
        (
            "Nagelstudio met veel contant geld",
            "Nieuwe nagelstudio in de binnenstad.",
            "vastgoed",
            false,
        ),
        (
            "Zorgfraude thuiszorg",
            "Zorgbureau declareert uren die niet geleverd zijn.",
            "zorgfraude",
            false,
        ),
        (
            "Verdachte transacties",
            "Geldstromen via een stichting.",
            "vastgoed",
            false,
        ),
    ];
    for (title, description, theme, shared) in corpus {
        h.signal_with(&h.a_analist, title, &[theme], "intern", |i| {
            i.description = Some(description.into());
            i.sharing = Some(
                if shared {
                    "convenant"
                } else {
                    "eigen-organisatie"
                }
                .into(),
            );
        })
        .await;
    }
    let title = |n: usize| corpus[n - 1].0;
    let cases: &[(&str, &[usize])] = &[
        ("drugs", &[1, 2]),
        ("drugslab", &[1]),
        ("drugshandel", &[2]),
        ("hennep", &[3, 4]),
        ("hennepkwekerij", &[3]),
        ("henneplucht", &[4]),
        ("woning", &[5, 6]),
        ("woningen", &[5, 6]),
        ("bedrijventerrein", &[7, 8]),
        ("bedrijventerreinen", &[7, 8]),
        ("loods", &[8]),
        ("nagelstudio", &[10]),
        ("zorgfraude", &[11]),
        ("thuiszorg", &[11]),
        ("contant", &[9, 10]),
        ("geld", &[10, 12]),
        ("stichting", &[12]),
        ("autohandel", &[9]),
        ("auto", &[9]),
        ("station", &[2]),
        ("zolder", &[3]),
        ("portiek", &[4]),
        ("schuur", &[1]),
        ("boerderij", &[1]),
        ("leeg", &[5]),
        ("arbeidsmigranten", &[6]),
        ("schouw", &[7]),
        ("Euvelgunne", &[8]),
        ("transacties", &[12]),
        ("transactie", &[12]),
        ("drugs station", &[2]),
        ("hennep zolder", &[3]),
        ("woning Kerkstraat", &[6]),
        ("warmte", &[3]),
        ("afwijking", &[3]),
        ("overbewoning", &[6]),
        ("declareert", &[11]),
        ("binnenstad", &[10]),
    ];
    assert!(cases.len() >= 30);
    let shared: Vec<&str> = corpus.iter().filter(|c| c.3).map(|c| c.0).collect();
    for (query, expected) in cases {
        let mut want: Vec<String> = expected.iter().map(|n| title(*n).to_string()).collect();
        want.sort();
        assert_eq!(search(h, &h.a_analist, query).await, want, "{query}");
        // The police partner finds the same among what is shared with it, and nothing else;
        // the zorg partner, with no agreement, finds nothing.
        let theirs: Vec<String> = want
            .iter()
            .filter(|t| shared.contains(&t.as_str()))
            .cloned()
            .collect();
        assert_eq!(
            search(h, &h.b_partner, query).await,
            theirs,
            "{query} (partner)"
        );
        assert!(search(h, &h.c_partner, query).await.is_empty(), "{query}");
    }
}

/// Every page of a search, forward, and the totals the pages gave.
async fn all_pages(
    store: &dyn baken_store::Store,
    who: &Caller,
    text: &str,
) -> (Vec<uuid::Uuid>, Vec<baken_core::signal::Total>) {
    let filter = SignalFilter {
        text: Some(text.into()),
        ..Default::default()
    };
    all_filtered_pages(store, who, filter).await
}

/// Every page of a filtered list, forward, and the totals the pages gave.
async fn all_filtered_pages(
    store: &dyn baken_store::Store,
    who: &Caller,
    filter: SignalFilter,
) -> (Vec<uuid::Uuid>, Vec<baken_core::signal::Total>) {
    use baken_core::signal::Side;
    let (mut ids, mut totals) = (Vec::new(), Vec::new());
    let mut request = PageRequest::first(2);
    loop {
        let page = store
            .list_signals(who, &filter, request, NOW)
            .await
            .unwrap();
        ids.extend(page.items.iter().map(|s| s.id));
        totals.push(page.total);
        match page.next {
            Some(next) => {
                request = PageRequest {
                    size: 2,
                    from: Some((Side::After, next)),
                }
            }
            None => return (ids, totals),
        }
    }
}

/// PostgreSQL reads a search's matches first up to a bound (5,000) and beyond it walks the
/// caller's signals newest first, testing each, and counts the part that is cheap to count
/// first: a store whose bound is 2 has to answer every search, page and total as one whose
/// bound the test's few matches never reach. (SQLite searches one way.)
async fn a_search_with_many_matches_answers_as_one_with_few(h: &Harness) {
    let Some(url) = h.url() else {
        return;
    };
    seed(h).await;
    for (title, name) in [
        ("Loods aan de haven", "Pieter Bakker"),
        ("Opslag in loods", "Anna Bakker"),
        ("Loods met hennep", "Jan Bakker"),
        ("Nog een loods", "Piet Bakkers"),
    ] {
        h.signal_with(&h.a_analist, title, &["drugs"], "intern", |i| {
            i.subjects = vec![SubjectInput {
                kind: Some("persoon".into()),
                name: Some(name.into()),
                ..Default::default()
            }];
        })
        .await;
    }
    h.signal_with(
        &h.a_analist,
        "Loods buiten beeld",
        &["buitengebied"],
        "intern",
        |i| {
            i.subjects = vec![SubjectInput {
                kind: Some("persoon".into()),
                name: Some("Kees Bakker".into()),
                ..Default::default()
            }];
        },
    )
    .await;
    let many = baken_store::PgStore::connect(url)
        .await
        .unwrap()
        .with_matches_first_up_to(2);
    for who in [&h.a_analist, &h.b_partner] {
        // Words as written, a misspelled name, and both with an identifier.
        for text in [
            "loods",
            "Bakkr",
            "loods Bakkr",
            "Pieterzen",
            "Martinikerkhof 3",
        ] {
            let few = all_pages(h.store(), who, text).await;
            let walked = all_pages(&many, who, text).await;
            assert_eq!(walked, few, "{text}");
            // Within a theme: with few matches the search holds the theme's code, with many
            // the theme's rows narrow it (migration 0063).
            for theme in ["drugs", "buitengebied"] {
                let within = || SignalFilter {
                    text: Some(text.into()),
                    theme: Some(theme.into()),
                    ..Default::default()
                };
                let few = all_filtered_pages(h.store(), who, within()).await;
                let walked = all_filtered_pages(&many, who, within()).await;
                assert_eq!(walked, few, "{text} within {theme}");
            }
        }
    }
    // Within a theme, the walk meets only the theme's matches.
    let within_drugs = SignalFilter {
        text: Some("Bakkr".into()),
        theme: Some("drugs".into()),
        ..Default::default()
    };
    let (ids, _) = all_filtered_pages(&many, &h.a_analist, within_drugs).await;
    assert_eq!(ids.len(), 4, "every Bakker of the drugs theme");
    // The searches did walk: more matches than the bound, and pages of two.
    let (ids, totals) = all_pages(&many, &h.a_analist, "Bakkr").await;
    assert_eq!(ids.len(), 5, "every Bakker, Bakkers included");
    assert!(totals
        .iter()
        .all(|t| *t == baken_core::signal::Total::Exact(5)));
}

/// A search within a theme or an area finds what the search and the filter both find, for the
/// owner's analyst and a partner; the words typed are not matched against a signal's codes
/// (SQLite's search index holds them, migration 0063).
async fn a_search_within_a_theme_or_an_area_finds_what_both_find(h: &Harness) {
    use baken_core::identifiers::AreaCode;
    seed(h).await;
    for (title, theme, code) in [
        ("Loods aan de haven", "drugs", "BU00140000"),
        ("Loods in de wijk", "drugs", "BU00140001"),
        ("Loods buiten", "buitengebied", "BU00140000"),
        ("Woning met hennep", "drugs", "BU00140001"),
    ] {
        h.signal_with(&h.a_analist, title, &[theme], "intern", |i| {
            i.area_code = Some(code.into());
        })
        .await;
    }
    h.assert_search_in_step("after intake").await;
    let themes = [None, Some("drugs"), Some("buitengebied"), Some("vastgoed")];
    let codes = [
        None,
        Some("BU00140000"),
        Some("BU00140001"),
        Some("WK001400"),
    ];
    for who in [&h.a_analist, &h.b_partner, &h.c_partner] {
        // Words as written, a Dutch stop word ("de": PostgreSQL's Dutch query of it is empty),
        // a name spelled wrong (found through the names near it), an identifier.
        for text in [
            "loods", "hennep", "contant", "de", "pietrsen", "jansen", "12345678",
        ] {
            let found = search(h, who, text).await;
            for theme in themes {
                for code in codes {
                    let filter = SignalFilter {
                        theme: theme.map(Into::into),
                        area: code.map(|c| AreaCode::parse(c).unwrap()),
                        ..Default::default()
                    };
                    let within = titles(h, who, &filter).await;
                    let both: Vec<String> = found
                        .iter()
                        .filter(|t| within.contains(t))
                        .cloned()
                        .collect();
                    let searched = SignalFilter {
                        text: Some(text.into()),
                        ..filter
                    };
                    assert_eq!(
                        titles(h, who, &searched).await,
                        both,
                        "{text} {theme:?} {code:?}"
                    );
                }
            }
        }
    }
    // Codes are not words: the theme's and the area's codes are found by their filters alone.
    for word in ["buitengebied", "bu00140000", "drugs"] {
        assert!(search(h, &h.a_analist, word).await.is_empty(), "{word}");
    }
    let loods = titles(
        h,
        &h.a_analist,
        &SignalFilter {
            text: Some("loods".into()),
            area: Some(AreaCode::parse("BU00140000").unwrap()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(loods, vec!["Loods aan de haven", "Loods buiten"]);

    // A theme code with a hyphen is a phrase of words in the index, which a longer code can
    // hold as well: its signals are found, the longer code's are not.
    for code in ["zorg-fraude", "extra-zorg-fraude-plus"] {
        let change = baken_core::catalogue::CatalogueChange::Theme {
            code: code.into(),
            name: code.into(),
            deadline_working_days: Some(5),
        };
        h.store()
            .change_catalogue(&h.a_beheerder, change, NOW)
            .await
            .unwrap();
        h.signal(&h.a_analist, &format!("Loods {code}"), &[code], "intern")
            .await;
    }
    let within = |theme: &str| SignalFilter {
        text: Some("loods".into()),
        theme: Some(theme.into()),
        ..Default::default()
    };
    assert_eq!(
        titles(h, &h.a_analist, &within("zorg-fraude")).await,
        vec!["Loods zorg-fraude"]
    );
    assert_eq!(
        titles(h, &h.a_analist, &within("extra-zorg-fraude-plus")).await,
        vec!["Loods extra-zorg-fraude-plus"]
    );
    h.assert_search_in_step("after signals of hyphenated themes")
        .await;
}

/// A purged signal's search document leaves its place in the index to the next signal
/// received in the same second (on SQLite a document's row id is its second of receipt and
/// its place in it, migration 0051, and audience rows keep it, migration 0062): a partner who
/// saw the purged signal does not find the one that took its place, which it may not see.
async fn a_purged_signals_place_in_the_search_index_shows_nothing_of_its_successor(h: &Harness) {
    use baken_core::retention::{PurgeMode, RetentionRules};
    let later = time::macros::datetime!(2060-01-01 12:00 UTC);
    // Shared with the police partner under the drugs agreement.
    h.signal(&h.a_analist, "Loods alfaveld", &["drugs"], "intern")
        .await;
    assert_eq!(
        search(h, &h.b_partner, "alfaveld").await,
        vec!["Loods alfaveld"]
    );
    let purged = h
        .store()
        .purge(PurgeMode::Delete, &RetentionRules::default(), later)
        .await
        .unwrap();
    assert_eq!(purged.purged, 1, "{purged:?}");
    // Received in the same second as the purged one (every signal here is received at NOW),
    // and not shared.
    h.signal(&h.a_analist, "Kantoor alfaveld", &["vastgoed"], "intern")
        .await;
    h.assert_search_in_step("after a purge and a new signal")
        .await;
    assert_eq!(
        search(h, &h.a_analist, "alfaveld").await,
        vec!["Kantoor alfaveld"]
    );
    for who in [&h.b_partner, &h.c_partner] {
        assert!(search(h, who, "alfaveld").await.is_empty());
        let within = SignalFilter {
            text: Some("alfaveld".into()),
            theme: Some("vastgoed".into()),
            ..Default::default()
        };
        assert!(titles(h, who, &within).await.is_empty());
    }
}
