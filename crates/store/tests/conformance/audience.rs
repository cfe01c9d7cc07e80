//! The audience table (who may see a signal, resolved ahead of time) gives exactly the
//! signals the visibility rule as written over agreements gave: for every role, every
//! agreement shape (themes, classification, parties, validity in the past, now, the future,
//! overlapping and adjoining), on every day, after signals and agreements are added in any
//! order, and after the table is rebuilt from scratch.

use crate::harness::{Engine, Harness, NOW};
use baken_core::identifiers::AreaCode;
use baken_core::model::Classification;
use baken_core::page::Side;
use baken_core::signal::{PageRequest, Signal, SignalFilter};
use baken_core::status::SignalStatus;
use baken_core::Caller;
use baken_store::{Actor, NewAgreement, Store};
use time::macros::{date, datetime};
use time::OffsetDateTime;
use uuid::Uuid;

baken_store::on_both_engines!(crate::harness::Harness =>
    the_audience_gives_what_the_agreements_give_for_every_role_and_day,
    an_agreement_cut_short_gives_no_more_than_it_may_and_the_maintenance_finishes_it,
);

/// Past the two minutes after [`NOW`] in which a recorded walk is left to whoever walks it.
const LATER: OffsetDateTime = datetime!(2025-06-02 10:05 UTC);

/// The last of [`DAYS`].
const LAST_DAY: OffsetDateTime = datetime!(2027-01-01 10:00 UTC);

/// Days around the agreements' edges (10:00 UTC is the same day in the Netherlands).
const DAYS: [OffsetDateTime; 7] = [
    datetime!(2024-06-01 10:00 UTC),
    datetime!(2024-12-31 22:30 UTC), // 1 January 2025 in the Netherlands
    NOW,
    datetime!(2025-07-01 10:00 UTC),
    datetime!(2025-08-15 10:00 UTC),
    datetime!(2025-10-01 10:00 UTC),
    datetime!(2027-01-01 10:00 UTC),
];

async fn reference(h: &Harness, who: &Caller, counting: bool, at: OffsetDateTime) -> Vec<Uuid> {
    match &h.engine {
        Engine::Sqlite(s) => s.visible_by_agreements(who, counting, at).await.unwrap(),
        Engine::Postgres(s) => s.visible_by_agreements(who, counting, at).await.unwrap(),
    }
}

async fn audience(h: &Harness, who: &Caller, counting: bool, at: OffsetDateTime) -> Vec<Uuid> {
    match &h.engine {
        Engine::Sqlite(s) => s.visible_by_audience(who, counting, at).await.unwrap(),
        Engine::Postgres(s) => s.visible_by_audience(who, counting, at).await.unwrap(),
    }
}

/// Every signal the caller's list shows, page after page.
async fn listed(store: &dyn Store, who: &Caller, at: OffsetDateTime) -> Vec<Uuid> {
    listed_with(store, who, &SignalFilter::default(), at)
        .await
        .iter()
        .map(|s| s.id)
        .collect()
}

/// Every signal the caller's list with `filter` shows, page after page.
async fn listed_with(
    store: &dyn Store,
    who: &Caller,
    filter: &SignalFilter,
    at: OffsetDateTime,
) -> Vec<Signal> {
    let mut out = Vec::new();
    let mut page = PageRequest::first(7);
    loop {
        let p = store.list_signals(who, filter, page, at).await.unwrap();
        out.extend(p.items);
        match p.next {
            Some(next) => page.from = Some((Side::After, next)),
            None => break,
        }
    }
    out
}

/// The callers of every role and organisation the assertions look through.
const CALLERS: [fn(&Harness) -> &Caller; 9] = [
    |h| &h.a_analist,
    |h| &h.a_bibob,
    |h| &h.a_toezicht,
    |h| &h.a_toezicht2,
    |h| &h.a_lezer,
    |h| &h.a_beheerder,
    |h| &h.b_partner,
    |h| &h.b_analist,
    |h| &h.c_partner,
];

async fn assert_same(h: &Harness, store: &dyn Store, step: &str) {
    for at in DAYS {
        for who in CALLERS.map(|c| c(h)) {
            for counting in [false, true] {
                let expected = reference(h, who, counting, at).await;
                assert_eq!(
                    audience(h, who, counting, at).await,
                    expected,
                    "{step}: {:?} of {}, counting {counting}, at {at}",
                    who.roles(),
                    who.org()
                );
            }
            assert_tally(h, who, at, step).await;
            let expected = reference(h, who, false, at).await;
            assert_eq!(
                listed(store, who, at).await,
                expected,
                "{step}: list of {:?} of {}, at {at}",
                who.roles(),
                who.org()
            );
            // The overdue list (read from the audience rows' triage deadlines, migration
            // 0053) gives the signals of the list whose status and deadline say overdue.
            let today = baken_core::calendar::local_date(at);
            let overdue = SignalFilter {
                overdue: true,
                ..Default::default()
            };
            let expected: Vec<Uuid> = listed_with(store, who, &SignalFilter::default(), at)
                .await
                .iter()
                .filter(|s| s.status.is_overdue(s.deadline, today))
                .map(|s| s.id)
                .collect();
            assert_eq!(
                listed_with(store, who, &overdue, at)
                    .await
                    .iter()
                    .map(|s| s.id)
                    .collect::<Vec<_>>(),
                expected,
                "{step}: overdue list of {:?} of {}, at {at}",
                who.roles(),
                who.org()
            );
            // A list of one status, and the open list (read from the audience rows' statuses),
            // give the signals of the list with that status, or an open one.
            let all = listed_with(store, who, &SignalFilter::default(), at).await;
            let of_status = |keep: &dyn Fn(SignalStatus) -> bool| -> Vec<Uuid> {
                all.iter()
                    .filter(|s| keep(s.status))
                    .map(|s| s.id)
                    .collect()
            };
            for status in SignalStatus::ALL.iter().copied() {
                let filter = SignalFilter {
                    status: Some(status),
                    ..Default::default()
                };
                let listed = listed_with(store, who, &filter, at).await;
                assert_eq!(
                    listed.iter().map(|s| s.id).collect::<Vec<_>>(),
                    of_status(&|s| s == status),
                    "{step}: list of status {status:?} of {:?} of {}, at {at}",
                    who.roles(),
                    who.org()
                );
            }
            let open = SignalFilter {
                open: true,
                ..Default::default()
            };
            assert_eq!(
                listed_with(store, who, &open, at)
                    .await
                    .iter()
                    .map(|s| s.id)
                    .collect::<Vec<_>>(),
                of_status(&SignalStatus::is_open),
                "{step}: open list of {:?} of {}, at {at}",
                who.roles(),
                who.org()
            );
            // A search meets the same audience (on SQLite by the rows' copies of their
            // signals' search documents, migration 0062).
            let searched = SignalFilter {
                text: Some("convenant".into()),
                ..Default::default()
            };
            assert_eq!(
                listed_with(store, who, &searched, at)
                    .await
                    .iter()
                    .map(|s| s.id)
                    .collect::<Vec<_>>(),
                all.iter()
                    .filter(|s| s.title.split(' ').any(|w| w == "convenant"))
                    .map(|s| s.id)
                    .collect::<Vec<_>>(),
                "{step}: search of {:?} of {}, at {at}",
                who.roles(),
                who.org()
            );
        }
    }
    h.assert_search_in_step(step).await;
}

/// The tally gives what counting the signals gives, for every grouping and a few filters.
async fn assert_tally(h: &Harness, who: &Caller, at: OffsetDateTime, step: &str) {
    let filters = [
        SignalFilter::default(),
        SignalFilter {
            theme: Some("drugs".into()),
            ..Default::default()
        },
        SignalFilter {
            area: Some(AreaCode::parse("WK001401").unwrap()),
            open: true,
            ..Default::default()
        },
        SignalFilter {
            received_from: Some(date!(2025 - 04 - 01)),
            received_until: Some(date!(2025 - 04 - 30)),
            status: Some(SignalStatus::InTriage),
            ..Default::default()
        },
        // Open and closed at once: nothing, known without reading.
        SignalFilter {
            status: Some(SignalStatus::Gesloten),
            open: true,
            ..Default::default()
        },
    ];
    for filter in &filters {
        for counting in [false, true] {
            let checks = match &h.engine {
                Engine::Sqlite(s) => s.tally_against_rows(who, counting, filter, at).await,
                Engine::Postgres(s) => s.tally_against_rows(who, counting, filter, at).await,
            }
            .unwrap();
            for (group, tallied, counted) in checks {
                if let Some(tallied) = tallied {
                    assert_eq!(
                        tallied, counted,
                        "{step}: tally by {group} for {:?}, counting {counting}, {filter:?}, at {at}",
                        who.roles()
                    );
                }
            }
        }
    }
}

/// Every caller sees and counts, on every day up to `until`, no signal the agreements do not
/// give it, and the tally counts the rows as they stand (the state while an agreement's walk
/// is unfinished).
async fn assert_within(h: &Harness, until: OffsetDateTime, step: &str) {
    for at in DAYS.into_iter().filter(|at| *at <= until) {
        for who in CALLERS.map(|c| c(h)) {
            for counting in [false, true] {
                let may = reference(h, who, counting, at).await;
                let sees = audience(h, who, counting, at).await;
                let beyond: Vec<&Uuid> = sees.iter().filter(|id| !may.contains(id)).collect();
                assert!(
                    beyond.is_empty(),
                    "{step}: {:?} of {} sees {} signals no agreement gives it, counting \
                     {counting}, at {at}",
                    who.roles(),
                    who.org(),
                    beyond.len()
                );
            }
            assert_tally(h, who, at, step).await;
        }
    }
}

fn new_agreement(
    parties: &[Uuid],
    themes: &[&str],
    max: Classification,
    valid: (time::Date, Option<time::Date>),
) -> NewAgreement {
    NewAgreement {
        name: format!("convenant {themes:?} {valid:?}"),
        parties: parties.to_vec(),
        legal_basis: "convenant".into(),
        purposes: "bestuurlijke aanpak".into(),
        themes: themes.iter().map(|t| t.to_string()).collect(),
        max_classification: max,
        valid_from: valid.0,
        valid_until: valid.1,
        referral_contact: None,
    }
}

async fn agreement(
    h: &Harness,
    parties: &[Uuid],
    themes: &[&str],
    max: Classification,
    valid: (time::Date, Option<time::Date>),
) {
    h.store()
        .create_agreement(
            &Actor::System {
                process: "test".into(),
            },
            new_agreement(parties, themes, max, valid),
            NOW,
        )
        .await
        .unwrap();
}

/// Signals of every shape the rule distinguishes, registered by `who`.
async fn signals(h: &Harness, who: &Caller, round: &str) {
    let themes: [&[&str]; 5] = [
        &["drugs"],
        &["drugs", "mensenhandel"],
        &["drugs", "vastgoed"],
        &["buitengebied"],
        &["mensenhandel"],
    ];
    let mut classifications = vec!["openbaar", "intern", "vertrouwelijk"];
    if who.may_classify(Classification::Bibob) {
        classifications.push("bibob");
    }
    for (t, theme) in themes.iter().enumerate() {
        for class in &classifications {
            for sharing in ["convenant", "eigen-organisatie"] {
                h.signal_with(
                    who,
                    &format!("{round} {t} {class} {sharing}"),
                    theme,
                    class,
                    |i| {
                        i.sharing = Some(sharing.into());
                    },
                )
                .await;
            }
        }
    }
}

async fn the_audience_gives_what_the_agreements_give_for_every_role_and_day(h: &Harness) {
    let (a, b, c) = (h.a_analist.org(), h.b_analist.org(), h.c_partner.org());
    // The small world's agreements: A–B drugs and mensenhandel (open), A–C expired in 2024.
    signals(h, &h.a_analist, "eerste").await;
    signals(h, &h.a_bibob, "bibob").await;
    signals(h, &h.a_toezicht, "toezicht").await;
    signals(h, &h.b_analist, "politie").await;
    assert_same(h, h.store(), "the small world").await;

    // Agreements that start later, end, adjoin, overlap and reach a third party.
    agreement(
        h,
        &[a, c],
        &["drugs", "buitengebied"],
        Classification::Intern,
        (date!(2025 - 07 - 01), Some(date!(2025 - 08 - 31))),
    )
    .await;
    agreement(
        h,
        &[a, c],
        &["drugs", "buitengebied"],
        Classification::Openbaar,
        (date!(2025 - 09 - 01), None),
    )
    .await;
    agreement(
        h,
        &[a, b, c],
        &["drugs", "vastgoed", "mensenhandel"],
        Classification::Vertrouwelijk,
        (date!(2025 - 08 - 01), Some(date!(2026 - 12 - 31))),
    )
    .await;
    agreement(
        h,
        &[b, c],
        &["drugs"],
        Classification::Vertrouwelijk,
        (date!(2024 - 01 - 01), Some(date!(2024 - 12 - 31))),
    )
    .await;
    assert_same(h, h.store(), "after new agreements").await;

    // Signals registered after the agreements.
    signals(h, &h.a_analist, "later").await;
    signals(h, &h.b_analist, "politie later").await;
    assert_same(h, h.store(), "after later signals").await;

    // Status changes move counts between statuses.
    let mine = h
        .store()
        .list_signals(
            &h.a_analist,
            &SignalFilter::default(),
            PageRequest::first(30),
            NOW,
        )
        .await
        .unwrap();
    let own = mine
        .items
        .iter()
        .filter(|s| s.owner_org == h.a_analist.org());
    for (i, s) in own.enumerate().filter(|(i, _)| i % 3 == 0) {
        let to = if i % 2 == 0 {
            "in-triage"
        } else {
            "geen-actie"
        };
        // Assessed (geen-actie) by way of in-triage: its triage deadline no longer runs.
        let steps: &[&str] = if to == "geen-actie" && s.status == SignalStatus::Nieuw {
            &["in-triage", to]
        } else {
            &[to]
        };
        for step in steps {
            let change = baken_core::status::StatusChange::parse(step, "beoordeeld").unwrap();
            h.store()
                .change_signal_status(&h.a_analist, s.id, change, NOW)
                .await
                .unwrap();
        }
    }
    assert_same(h, h.store(), "after status changes").await;

    // Agreements ended on a date by the beheerder: the open A–B one in the middle of the
    // days looked at, and one ended before it would have ended itself.
    let beheerder = Actor::Caller(h.a_beheerder.clone());
    for agreement in h.store().agreements().await.unwrap() {
        let last_day = if agreement.name == "A-B drugs en mensenhandel" {
            date!(2025 - 08 - 15)
        } else if agreement.valid_until == Some(date!(2026 - 12 - 31)) {
            date!(2025 - 09 - 30)
        } else {
            continue;
        };
        h.store()
            .end_agreement(&beheerder, agreement.id, last_day, NOW)
            .await
            .unwrap();
    }
    assert_same(h, h.store(), "after agreements ended").await;

    // Corrections by the owner's Bibob coördinator: themes, sharing, classification up and
    // down move a signal in and out of partners' sight and between counts.
    let catalogue = h.store().catalogue().await.unwrap();
    let owned = h
        .store()
        .list_signals(
            &h.a_bibob,
            &SignalFilter::default(),
            PageRequest::first(40),
            NOW,
        )
        .await
        .unwrap();
    let own = owned
        .items
        .iter()
        .filter(|s| s.owner_org == h.a_bibob.org());
    for (i, s) in own.enumerate() {
        let d = h.store().signal(&h.a_bibob, s.id, NOW).await.unwrap();
        let mut input =
            baken_core::signal::SignalInput::from_signal(&d.signal, &d.subjects, &d.relations);
        match i % 4 {
            0 => {
                input.themes = vec!["vastgoed".into()];
                input.indicators = Vec::new();
            }
            1 => input.sharing = Some("eigen-organisatie".into()),
            2 => input.classification = Some("vertrouwelijk".into()),
            _ => {
                input.classification = Some("openbaar".into());
                input.sharing = Some("convenant".into());
            }
        }
        let correction = baken_core::signal::SignalCorrection::parse(
            &input,
            "",
            &d.signal,
            &catalogue,
            &h.a_bibob,
            &Default::default(),
            NOW,
        )
        .unwrap();
        h.store()
            .correct_signal(&h.a_bibob, s.id, correction, NOW)
            .await
            .unwrap();
    }
    assert_same(h, h.store(), "after corrections").await;

    // Made again from scratch, as when a database from before the table is opened.
    h.raw("DELETE FROM signal_audience; DELETE FROM meta WHERE key = 'audience';")
        .await;
    let reopened: Box<dyn Store> = match &h.engine {
        Engine::Sqlite(_) => Box::new(baken_store::testing::fresh_sqlite(h.dir()).await),
        Engine::Postgres(_) => Box::new(
            baken_store::PgStore::connect(h.url().unwrap_or_default())
                .await
                .unwrap(),
        ),
    };
    assert_same(h, reopened.as_ref(), "after a rebuild").await;
}

/// A process that stops right after recording an agreement, or its end, leaves the walk that
/// recomputes the partners' rows unfinished (`reshare.rs`): meanwhile nobody sees or counts
/// anything the agreements do not give, and the server's maintenance finishes it once nobody
/// has moved it on for two minutes.
async fn an_agreement_cut_short_gives_no_more_than_it_may_and_the_maintenance_finishes_it(
    h: &Harness,
) {
    let (a, b, c) = (h.a_analist.org(), h.b_analist.org(), h.c_partner.org());
    signals(h, &h.a_analist, "eerste").await;
    signals(h, &h.b_analist, "politie").await;
    assert_same(h, h.store(), "the small world").await;
    let beheerder = Actor::Caller(h.a_beheerder.clone());

    // A new agreement between A and C, cut short: C is given nothing yet.
    let new = new_agreement(
        &[a, c],
        &["drugs", "vastgoed"],
        Classification::Intern,
        (date!(2025 - 01 - 01), None),
    );
    match &h.engine {
        Engine::Sqlite(s) => s.create_agreement_cut_short(&beheerder, new, NOW).await,
        Engine::Postgres(s) => s.create_agreement_cut_short(&beheerder, new, NOW).await,
    }
    .unwrap();
    assert!(
        audience(h, &h.c_partner, false, NOW).await.len()
            < reference(h, &h.c_partner, false, NOW).await.len(),
        "the walk has not run yet"
    );
    assert_within(h, LAST_DAY, "a new agreement cut short").await;
    assert!(
        h.store().resharing_pending().await.unwrap(),
        "the beheer page says that who sees what is being recomputed"
    );
    // Recorded a moment ago, as if under way in another process: left to it.
    h.store().finish_resharing(NOW).await.unwrap();
    assert!(h.store().resharing_pending().await.unwrap());
    assert!(
        audience(h, &h.c_partner, false, NOW).await.len()
            < reference(h, &h.c_partner, false, NOW).await.len(),
        "a walk under way elsewhere is left to it"
    );
    h.store().finish_resharing(LATER).await.unwrap();
    assert!(!h.store().resharing_pending().await.unwrap());
    assert_same(
        h,
        h.store(),
        "the new agreement finished by the maintenance",
    )
    .await;

    // A second agreement between A and B on drugs alone, then the end of the small world's
    // A-B agreement on a day that has passed, cut short: B loses at once every day after the
    // last one of A's signals (and A of B's), even those the second agreement still gives,
    // until the walk gives them back.
    agreement(
        h,
        &[a, b],
        &["drugs"],
        Classification::Intern,
        (date!(2025 - 01 - 01), None),
    )
    .await;
    assert_same(h, h.store(), "a second agreement between A and B").await;
    let named = |name: &'static str| async move {
        h.store()
            .agreements()
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.name == name)
            .unwrap()
            .id
    };
    let beheerder = &beheerder;
    let end_cut_short = |id: Uuid, last_day: time::Date| async move {
        match &h.engine {
            Engine::Sqlite(s) => {
                s.end_agreement_cut_short(beheerder, id, last_day, NOW)
                    .await
            }
            Engine::Postgres(s) => {
                s.end_agreement_cut_short(beheerder, id, last_day, NOW)
                    .await
            }
        }
        .unwrap()
    };
    end_cut_short(
        named("A-B drugs en mensenhandel").await,
        date!(2025 - 03 - 31),
    )
    .await;
    assert!(
        audience(h, &h.b_analist, false, NOW).await.len()
            < reference(h, &h.b_analist, false, NOW).await.len(),
        "what the second agreement gives waits for the walk"
    );
    assert_within(h, LAST_DAY, "an end that has come, cut short").await;
    h.store().finish_resharing(LATER).await.unwrap();
    assert_same(h, h.store(), "the end finished by the maintenance").await;

    // An end further ahead takes nothing away before the walk: up to today nobody sees
    // more than the agreements give, and the walk finishes on the next opening.
    let second = format!(
        "convenant {:?} {:?}",
        ["drugs"],
        (date!(2025 - 01 - 01), None::<time::Date>)
    );
    let second = h
        .store()
        .agreements()
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.name == second)
        .unwrap()
        .id;
    end_cut_short(second, date!(2025 - 08 - 15)).await;
    assert_within(h, NOW, "an end ahead, cut short").await;
    assert!(h.store().resharing_pending().await.unwrap());
    h.store().finish_resharing(LATER).await.unwrap();
    assert!(!h.store().resharing_pending().await.unwrap());
    assert_same(h, h.store(), "the end ahead finished by the maintenance").await;
}
