//! Signal life cycle, filters and pagination, administrative validation.

use crate::harness::{Harness, NOW};
use baken_core::identifiers::AreaCode;
use baken_core::model::Classification;
use baken_core::page::{Side, Total};
use baken_core::signal::{PageRequest, SignalFilter};
use baken_core::status::{SignalStatus, StatusChange};
use baken_store::{Actor, NewAgreement, NewUser, StoreError};
use time::macros::date;

baken_store::on_both_engines!(crate::harness::Harness =>
    status_changes_follow_the_table_and_append_history,
    filters_and_pagination,
    a_long_list_is_counted_up_to_its_bound,
    invalid_administration_is_refused_without_writing,
    catalogue_is_seeded_once,
    a_catalogue_change_reaches_every_process_that_reads_it,
    subjects_and_relations_are_kept_with_the_signal,
    connections_the_database_server_closed_are_replaced,
);

/// PostgreSQL: the server ends every session of the store's pool (a restart, an administrator);
/// the next reads and changes take a live connection instead of failing, and so does a lookup
/// once the pool's test of a connection idle for a moment applies. (SQLite's connections are
/// files: nothing to end.)
async fn connections_the_database_server_closed_are_replaced(h: &Harness) {
    let crate::harness::Engine::Postgres(pg) = &h.engine else {
        return;
    };
    let store = h.store();
    h.signal(&h.a_analist, "Melding Haven", &["drugs"], "intern")
        .await;
    // Several connections in the pool, all idle.
    let all = SignalFilter::default();
    let read = || store.list_signals(&h.a_analist, &all, PageRequest::first(5), NOW);
    let (a, b, c, d) = tokio::join!(read(), read(), read(), read());
    for read in [a, b, c, d] {
        read.unwrap();
    }
    assert!(
        end_sessions(pg).await > 0,
        "the pool held other connections"
    );
    // At once: reads and a change, each on a connection just ended or a new one.
    for _ in 0..3 {
        assert_eq!(read().await.unwrap().items.len(), 1);
    }
    h.signal(&h.a_analist, "Melding Kade", &["drugs"], "intern")
        .await;
    // A lookup outside a transaction, after a moment idle: the pool tests the connection.
    end_sessions(pg).await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert!(store
        .login_credentials("niemand@example.org")
        .await
        .unwrap()
        .is_none());
    assert_eq!(read().await.unwrap().items.len(), 2);
}

/// Ends every other session on the store's database, as an administrator could; how many.
async fn end_sessions(pg: &baken_store::PgStore) -> usize {
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() \
         AND backend_type = 'client backend' AND usename = current_user",
    )
    .fetch_all(pg.raw_pool())
    .await
    .unwrap();
    ended.len()
}

async fn status_changes_follow_the_table_and_append_history(h: &Harness) {
    let s = h
        .signal(&h.a_analist, "Melding", &["drugs"], "intern")
        .await;
    assert_eq!(s.status, SignalStatus::Nieuw);
    let store = h.store();
    let refused = store
        .change_signal_status(
            &h.a_analist,
            s.id,
            StatusChange::parse("naar-casus", "meteen").unwrap(),
            NOW,
        )
        .await;
    assert!(matches!(refused, Err(StoreError::Transition(_))));
    let d = store
        .change_signal_status(
            &h.a_analist,
            s.id,
            StatusChange::parse("in-triage", "oppakken").unwrap(),
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(d.signal.status, SignalStatus::InTriage);
    let d = store
        .change_signal_status(
            &h.a_analist,
            s.id,
            StatusChange::parse("naar-casus", "ernstig").unwrap(),
            NOW,
        )
        .await
        .unwrap();
    let reasons: Vec<_> = d
        .history
        .iter()
        .map(|e| (e.from, e.to, e.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (None, SignalStatus::Nieuw, "Geregistreerd"),
            (
                Some(SignalStatus::Nieuw),
                SignalStatus::InTriage,
                "oppakken"
            ),
            (
                Some(SignalStatus::InTriage),
                SignalStatus::NaarCasus,
                "ernstig"
            ),
        ]
    );
    // A partner who can see a shared signal may not triage it; a toezichthouder may not either.
    let shared = h
        .signal(&h.a_analist, "Gedeeld", &["drugs"], "intern")
        .await;
    let change = StatusChange::parse("in-triage", "x").unwrap();
    assert!(matches!(
        store
            .change_signal_status(&h.b_partner, shared.id, change.clone(), NOW)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    let field = h.signal(&h.a_toezicht, "Veld", &["drugs"], "intern").await;
    assert!(matches!(
        store
            .change_signal_status(&h.a_toezicht, field.id, change, NOW)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(
        store
            .signal(&h.a_analist, shared.id, NOW)
            .await
            .unwrap()
            .signal
            .status,
        SignalStatus::Nieuw
    );
    // History is append-only in the database itself.
    let sql = "UPDATE signal_status_history SET reason = 'anders'";
    let attempt = match &h.engine {
        crate::harness::Engine::Sqlite(s) => sqlx::raw_sql(sql).execute(s.raw_pool()).await.err(),
        crate::harness::Engine::Postgres(s) => sqlx::raw_sql(sql).execute(s.raw_pool()).await.err(),
    };
    assert!(attempt.is_some(), "history rows could be edited");
}

async fn filters_and_pagination(h: &Harness) {
    for i in 0..23 {
        h.signal_with(
            &h.a_analist,
            &format!("Signaal {i:02}"),
            &["drugs"],
            "intern",
            |input| {
                input.received_at = Some(format!("2025-01-{:02}T08:00:00Z", i + 1));
                input.area_code = Some(if i % 2 == 0 {
                    "BU00140000".into()
                } else {
                    "WK001401".into()
                });
            },
        )
        .await;
    }
    h.signal(&h.a_analist, "Cyber bij de bank", &["cybercrime"], "intern")
        .await;
    // Six received at the same moment: the id decides their order.
    for i in 0..6 {
        h.signal_with(
            &h.a_analist,
            &format!("Tegelijk {i}"),
            &["drugs"],
            "intern",
            |input| {
                input.received_at = Some("2025-01-15T12:00:00Z".into());
            },
        )
        .await;
    }
    let list = |filter: SignalFilter, page: PageRequest| async move {
        h.store()
            .list_signals(&h.a_analist, &filter, page, NOW)
            .await
            .unwrap()
    };
    // Forward, page after page: every signal once, newest first (ties by id).
    let mut pages = vec![list(SignalFilter::default(), PageRequest::first(7)).await];
    while let Some(next) = pages.last().and_then(|p| p.next) {
        let from = Some((Side::After, next));
        pages.push(list(SignalFilter::default(), PageRequest { size: 7, from }).await);
    }
    let sizes: Vec<usize> = pages.iter().map(|p| p.items.len()).collect();
    assert_eq!(sizes, vec![7, 7, 7, 7, 2]);
    assert!(pages.iter().all(|p| p.total == Total::Exact(30)));
    assert_eq!(pages[0].items[0].title, "Cyber bij de bank");
    assert_eq!(pages[0].previous, None);
    let all: Vec<&baken_core::signal::Signal> = pages.iter().flat_map(|p| &p.items).collect();
    let mut expected = all.clone();
    expected.sort_by_key(|s| std::cmp::Reverse((s.received_at, s.id)));
    expected.dedup_by_key(|s| s.id);
    assert_eq!(
        all.iter().map(|s| s.id).collect::<Vec<_>>(),
        expected.iter().map(|s| s.id).collect::<Vec<_>>()
    );
    // Backward from the last page: the same pages again.
    let mut back = pages.last().and_then(|p| p.previous);
    for page in pages.iter().rev().skip(1) {
        let from = back.map(|c| (Side::Before, c));
        let p = list(SignalFilter::default(), PageRequest { size: 7, from }).await;
        assert_eq!(
            p.items.iter().map(|s| s.id).collect::<Vec<_>>(),
            page.items.iter().map(|s| s.id).collect::<Vec<_>>()
        );
        back = p.previous;
    }
    assert_eq!(back, None, "the first page has nothing before it");
    let theme = SignalFilter {
        theme: Some("cybercrime".into()),
        ..Default::default()
    };
    assert_eq!(
        list(theme, PageRequest::default()).await.total,
        Total::Exact(1)
    );
    // A theme that is not a code (the store writes codes into a list's statement on
    // PostgreSQL) is looked for as it is: nothing has it, and nothing else happens.
    for odd in ["drugs' OR '1' = '1", "drugs\\'", "", "drügs"] {
        let page = list(
            SignalFilter {
                theme: Some(odd.into()),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await;
        assert_eq!(
            (page.total, page.items.len()),
            (Total::Exact(0), 0),
            "{odd}"
        );
    }
    // A wijk filter includes its buurten.
    let wijk = SignalFilter {
        area: Some(AreaCode::parse("WK001400").unwrap()),
        ..Default::default()
    };
    assert_eq!(
        list(wijk, PageRequest::default()).await.total,
        Total::Exact(12)
    );
    let buurt = SignalFilter {
        area: Some(AreaCode::parse("BU00140000").unwrap()),
        ..Default::default()
    };
    assert_eq!(
        list(buurt, PageRequest::default()).await.total,
        Total::Exact(12)
    );
    let period = SignalFilter {
        received_from: Some(date!(2025 - 01 - 05)),
        received_until: Some(date!(2025 - 01 - 10)),
        ..Default::default()
    };
    assert_eq!(
        list(period, PageRequest::default()).await.total,
        Total::Exact(6)
    );
    let status = SignalFilter {
        status: Some(SignalStatus::Gesloten),
        ..Default::default()
    };
    assert_eq!(
        list(status, PageRequest::default()).await.total,
        Total::Exact(0)
    );
    // Search is literal: wildcards typed by the user match nothing special.
    let wild = SignalFilter {
        text: Some("%".into()),
        ..Default::default()
    };
    assert_eq!(
        list(wild, PageRequest::default()).await.total,
        Total::Exact(0)
    );
    let text = SignalFilter {
        text: Some("signaal 07".into()),
        ..Default::default()
    };
    assert_eq!(
        list(text, PageRequest::default()).await.total,
        Total::Exact(1)
    );
}

async fn a_long_list_is_counted_up_to_its_bound(h: &Harness) {
    let new = h.parsed_with(&h.a_analist, "Een van velen", |_| {}).await;
    let mut import = h.store().begin_import(&h.a_analist).await.unwrap();
    import.add(vec![new; 1_001], NOW).await.unwrap();
    import.commit("test.csv", false, NOW).await.unwrap();
    h.signal(&h.a_analist, "Cyber bij de bank", &["cybercrime"], "intern")
        .await;
    let list = |filter: SignalFilter| async move {
        h.store()
            .list_signals(&h.a_analist, &filter, PageRequest::first(3), NOW)
            .await
            .unwrap()
    };
    // What the kept counts answer is exact at any size.
    let all = list(SignalFilter::default()).await;
    assert_eq!(all.total, Total::Exact(1_002));
    assert_eq!(all.items.len(), 3);
    assert!(all.next.is_some());
    // A search is counted, up to the bound.
    let searched = list(SignalFilter {
        text: Some("velen".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(searched.total, Total::AtLeast(1_000));
    assert!(searched.next.is_some());
    let few = list(SignalFilter {
        text: Some("bank".into()),
        ..Default::default()
    })
    .await;
    assert_eq!((few.total, few.next), (Total::Exact(1), None));
}

async fn invalid_administration_is_refused_without_writing(h: &Harness) {
    let before = h.audit_count().await;
    let store = h.store();
    let sys = Actor::cli();
    let org = store
        .organisation_by_name("Gemeente A")
        .await
        .unwrap()
        .unwrap();
    let bad_user = store
        .create_user(
            &sys,
            NewUser {
                org: org.id,
                email: "geen-adres".into(),
                display_name: "x".into(),
                roles: Default::default(),
                password_hash: None,
            },
            NOW,
        )
        .await;
    let fields = |r: &[baken_store::Rejection]| -> Vec<&'static str> {
        r.iter().map(baken_store::Rejection::field).collect()
    };
    match bad_user {
        Err(StoreError::Rejected(r)) => {
            assert!(fields(&r).contains(&"email") && fields(&r).contains(&"roles"));
        }
        other => panic!("{other:?}"),
    }
    let duplicate = store
        .create_user(
            &sys,
            NewUser {
                org: org.id,
                email: "ANALIST@a.test".into(),
                display_name: "x".into(),
                roles: baken_core::RoleSet::new([baken_core::Role::Lezer]),
                password_hash: None,
            },
            NOW,
        )
        .await;
    assert!(
        matches!(duplicate, Err(StoreError::Conflict(_))),
        "{duplicate:?}"
    );
    let bibob_agreement = store
        .create_agreement(
            &sys,
            NewAgreement {
                name: "x".into(),
                parties: vec![org.id],
                legal_basis: String::new(),
                purposes: String::new(),
                themes: vec![],
                max_classification: Classification::Bibob,
                valid_from: date!(2025 - 01 - 01),
                valid_until: Some(date!(2024 - 01 - 01)),
                referral_contact: None,
            },
            NOW,
        )
        .await;
    match bibob_agreement {
        Err(StoreError::Rejected(r)) => {
            for f in [
                "legalBasis",
                "parties",
                "themes",
                "maxClassification",
                "validUntil",
            ] {
                assert!(fields(&r).contains(&f), "{f}");
            }
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        store
            .create_organisation(
                &sys,
                "Gemeente A",
                baken_core::model::OrgKind::Gemeente,
                NOW
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        h.audit_count().await,
        before,
        "refused changes leave no trace but the refusal"
    );
    assert_eq!(store.agreements().await.unwrap().len(), 2);
}

async fn catalogue_is_seeded_once(h: &Harness) {
    let c = h.store().catalogue().await.unwrap();
    assert_eq!(c.themes.len(), 7);
    assert!(c.indicator("hennepteelt").is_some());
    let again = h
        .store()
        .ensure_catalogue(
            &Actor::cli(),
            &baken_core::catalogue::Catalogue::default(),
            NOW,
        )
        .await
        .unwrap();
    assert!(!again);
    assert_eq!(h.store().catalogue().await.unwrap(), c);
}

async fn a_catalogue_change_reaches_every_process_that_reads_it(h: &Harness) {
    use baken_core::catalogue::CatalogueChange;
    let other = h.another_process().await;
    let stores: [&dyn baken_store::Store; 2] = [h.store(), &*other];
    for store in stores {
        assert!(store.catalogue().await.unwrap().theme("wapens").is_none());
    }
    let change = |name: &str| CatalogueChange::Theme {
        code: "wapens".into(),
        name: name.into(),
        deadline_working_days: Some(5),
    };
    h.store()
        .change_catalogue(&h.a_beheerder, change("Wapens"), NOW)
        .await
        .unwrap();
    // The process that made the change reads it at once; the other, which found its catalogue
    // current just now, within `VERSION_RECHECK` (it may still show the one it had).
    let named =
        |read: &baken_core::catalogue::Catalogue| read.theme("wapens").map(|t| t.name.clone());
    assert_eq!(
        named(&h.store().catalogue().await.unwrap()).as_deref(),
        Some("Wapens")
    );
    tokio::time::sleep(baken_store::VERSION_RECHECK).await;
    for store in stores {
        assert_eq!(
            named(&store.catalogue().await.unwrap()).as_deref(),
            Some("Wapens")
        );
    }
    // Renamed and given an indicator in the other process: read again here too, once the
    // version is compared again.
    other
        .change_catalogue(&h.a_beheerder, change("Wapens en munitie"), NOW)
        .await
        .unwrap();
    other
        .change_catalogue(
            &h.a_beheerder,
            CatalogueChange::Indicator {
                theme: "wapens".into(),
                code: "vuurwapen".into(),
                name: "Vuurwapen gezien".into(),
            },
            NOW,
        )
        .await
        .unwrap();
    tokio::time::sleep(baken_store::VERSION_RECHECK).await;
    for store in stores {
        let read = store.catalogue().await.unwrap();
        let theme = read.theme("wapens").unwrap();
        assert_eq!(theme.name, "Wapens en munitie");
        assert_eq!(theme.indicators.len(), 1);
        assert!(read.indicator("vuurwapen").is_some());
    }
}

async fn subjects_and_relations_are_kept_with_the_signal(h: &Harness) {
    use baken_core::subject::{RelationInput, SubjectDetails, SubjectInput, SubjectRole};
    let s = h
        .signal_with(
            &h.a_analist,
            "Loods verhuurd",
            &["buitengebied"],
            "intern",
            |i| {
                i.subjects = vec![
                    SubjectInput {
                        kind: Some("persoon".into()),
                        role: Some("huurder".into()),
                        name: Some("Jan  de Vries".into()),
                        ..Default::default()
                    },
                    SubjectInput {
                        kind: Some("adres".into()),
                        role: Some("locatie".into()),
                        postcode: Some("9712 jg".into()),
                        house_number: Some("3".into()),
                        ..Default::default()
                    },
                    SubjectInput::default(),
                    SubjectInput {
                        kind: Some("voertuig".into()),
                        role: Some("chauffeur".into()),
                        plate: Some("12abc3".into()),
                        ..Default::default()
                    },
                ];
                i.relations = vec![
                    RelationInput {
                        from: Some(0),
                        to: Some(1),
                        kind: Some("huurder-van".into()),
                        valid_from: Some("2025-01-01".into()),
                        ..Default::default()
                    },
                    RelationInput {
                        from: Some(0),
                        to: Some(3),
                        kind: Some("gebruikt-voertuig".into()),
                        ..Default::default()
                    },
                ];
            },
        )
        .await;
    let d = h.store().signal(&h.a_analist, s.id, NOW).await.unwrap();
    let got: Vec<(&str, SubjectRole, &str)> = d
        .subjects
        .iter()
        .map(|m| {
            (
                m.subject.normalised.as_str(),
                m.role,
                m.subject.original.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("JAN DE VRIES", SubjectRole::Huurder, "Jan  de Vries"),
            ("9712JG 3", SubjectRole::Locatie, "3 9712 jg"),
            ("12ABC3", SubjectRole::Chauffeur, "12abc3"),
        ]
    );
    assert!(
        matches!(&d.subjects[2].subject.details, SubjectDetails::Vehicle { plate } if plate.to_string() == "12-ABC-3")
    );
    assert_eq!(d.relations.len(), 2);
    assert_eq!(
        (d.relations[0].from, d.relations[0].to),
        (d.subjects[0].subject.id, d.subjects[1].subject.id)
    );
    assert_eq!(d.relations[0].valid_from, Some(date!(2025 - 01 - 01)));
    assert_eq!(
        d.relations[1].to, d.subjects[2].subject.id,
        "positions skip the blank block"
    );
    assert_eq!(d.relations[0].source_signal, s.id);
    // Subjects are as visible as their signal: the water board sees neither.
    assert!(matches!(
        h.store().signal(&h.c_partner, s.id, NOW).await,
        Err(StoreError::NotFound)
    ));
}
