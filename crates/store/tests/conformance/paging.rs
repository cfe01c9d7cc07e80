//! Keyset pages of the case and intervention lists (issue 17, pt 5): followed forward and
//! back they give every item once, in list order — also among items of the same day — and
//! say how many there are.

use crate::cases::new_case;
use crate::harness::{Harness, NOW};
use crate::interventions::new;
use baken_core::intervention::details::RawDetails;
use baken_core::intervention::InterventionFilter;
use baken_core::page::{Page, PageRequest, Side, Total};
use baken_core::signal::{Assignment, Signal, SignalFilter};
use baken_core::status::{SignalStatus, StatusChange};
use baken_core::Caller;
use baken_store::CaseList;
use std::future::Future;
use uuid::Uuid;

baken_store::on_both_engines!(crate::harness::Harness =>
    case_and_intervention_lists_page_by_cursor_at_any_depth,
    meeting_and_activity_lists_page_by_cursor_at_any_depth,
    an_area_s_signals_page_newest_first_along_its_own_index,
    a_search_pages_in_list_order_whatever_the_order_of_intake,
    a_list_s_total_is_what_its_pages_show_for_every_role_and_filter,
);

/// A search's pages (on SQLite read from the part of the search index that holds them,
/// `sqlite.rs` `narrow_search`) give the caller's matches in list order — newest first,
/// among signals of the same second and the same moment too —, forward and back, whatever
/// order they were registered or corrected in; what the caller may not see never takes a
/// place.
async fn a_search_pages_in_list_order_whatever_the_order_of_intake(h: &Harness) {
    let store = h.store();
    let a = &h.a_analist;
    for (n, (title, received, by, classification)) in [
        ("Woning met hennepgeur", "2025-05-03T09:00:00Z", a, "intern"),
        ("Woning leeg", "2025-05-01T09:00:00Z", a, "intern"),
        ("Schuur verhuurd", "2025-05-03T09:00:00Z", a, "intern"),
        ("Woningen bij de haven", "2025-05-03T09:00:00Z", a, "intern"),
        (
            "Woning, Bibob-onderzoek",
            "2025-05-03T09:00:00Z",
            &h.a_bibob,
            "bibob",
        ),
        (
            "Woning in de ochtend",
            "2025-05-03T09:00:00.250Z",
            a,
            "intern",
        ),
        ("Woning even later", "2025-05-03T09:00:00.750Z", a, "intern"),
        ("Woning van vroeger", "2024-01-15T12:00:00Z", a, "intern"),
        ("Woning gisteren", "2025-05-02T23:59:59.999Z", a, "intern"),
        ("Woning vandaag", "2025-05-10T08:00:00Z", a, "intern"),
        (
            "Woning op dezelfde dag",
            "2025-05-03T09:00:00Z",
            a,
            "intern",
        ),
        ("Woning nog eens", "2025-05-03T09:00:00Z", a, "intern"),
        ("Bedrijfspand", "2025-05-04T09:00:00Z", a, "intern"),
        ("Woning het oudst", "2023-03-01T00:00:00Z", a, "intern"),
    ]
    .into_iter()
    .enumerate()
    {
        let s = h
            .signal_with(by, title, &["drugs"], classification, |i| {
                i.received_at = Some(received.into());
            })
            .await;
        if n == 3 {
            // A corrected signal is indexed anew: it keeps its place.
            crate::corrections::correct(h, a, s.id, "titel verbeterd", |i| {
                i.title = Some("Woningen bij de haven, verbeterd".into());
            })
            .await
            .unwrap();
        }
    }
    // The reference: the whole list in its order, the titles with the word picked out here.
    let matching: Vec<Uuid> = whole_list(h, a)
        .await
        .iter()
        .filter(|s| s.title.to_lowercase().starts_with("woning"))
        .map(|s| s.id)
        .collect();
    assert_eq!(matching.len(), 11, "the Bibob signal is not seen");
    let filter = SignalFilter {
        text: Some("woning".into()),
        ..SignalFilter::default()
    };
    let found = store
        .list_signals(a, &filter, PageRequest::LONG_LIST, NOW)
        .await
        .unwrap();
    assert_eq!(
        found.items.iter().map(|s| s.id).collect::<Vec<_>>(),
        matching,
        "one page of everything"
    );
    follow_signals(h, a, &filter, &matching).await;
    h.assert_search_in_step("after intake and a correction")
        .await;
    h.assert_code_copies_in_step("after intake and a correction")
        .await;
}

/// A list of one area walks the area's own index (`signal_area_newest`): the same signals in
/// the same order as the whole list has them, forward and back, also among signals received
/// at the same moment; a corrected signal keeps its place.
async fn an_area_s_signals_page_newest_first_along_its_own_index(h: &Harness) {
    let a = &h.a_analist;
    let mut made = Vec::new();
    for (n, (area, received)) in [
        ("WK001400", "2025-05-01T09:00:00Z"),
        ("WK001401", "2025-05-02T09:00:00Z"),
        ("WK001400", "2025-05-03T09:00:00Z"),
        ("WK001400", "2025-05-03T09:00:00Z"),
        ("WK001400", "2025-04-20T09:00:00Z"),
        ("WK001401", "2025-05-04T09:00:00Z"),
        ("WK001400", "2025-05-03T09:00:00Z"),
        ("WK001400", "2025-05-10T09:00:00Z"),
    ]
    .into_iter()
    .enumerate()
    {
        let s = h
            .signal_with(a, &format!("Melding {n}"), &["drugs"], "intern", |i| {
                i.area_code = Some(area.into());
                i.received_at = Some(received.into());
            })
            .await;
        made.push((s.id, area));
    }
    // A correction rewrites the signal's areas: it keeps its place in the area's list.
    crate::corrections::correct(h, a, made[3].0, "titel verbeterd", |i| {
        i.title = Some("Melding 3, verbeterd".into());
    })
    .await
    .unwrap();
    let in_area: Vec<Uuid> = whole_list(h, a)
        .await
        .iter()
        .map(|s| s.id)
        .filter(|id| made.iter().any(|(m, area)| m == id && *area == "WK001400"))
        .collect();
    assert_eq!(in_area.len(), 6);
    let filter = SignalFilter {
        area: Some(baken_core::identifiers::AreaCode::parse("WK001400").unwrap()),
        ..SignalFilter::default()
    };
    follow_signals(h, a, &filter, &in_area).await;
}

/// The total a list gives with its pages — counted, bounded or from the tally, reading the
/// signals' own rows or only their audience rows (`engine::Reads`) — is the number of
/// signals its pages show, for every role and every filter, alone and combined.
async fn a_list_s_total_is_what_its_pages_show_for_every_role_and_filter(h: &Harness) {
    let store = h.store();
    let at = |day: &str| Some(format!("{day}T09:00:00Z"));
    let mut old = Vec::new();
    for (n, (by, themes, class)) in [
        (&h.a_analist, &["drugs"][..], "intern"),
        (&h.a_analist, &["drugs", "vastgoed"], "intern"),
        (&h.a_analist, &["buitengebied"], "intern"),
        (&h.a_analist, &["drugs"], "intern"),
        (&h.a_toezicht, &["drugs"], "intern"),
        (&h.a_toezicht, &["mensenhandel"], "intern"),
        (&h.a_bibob, &["drugs"], "bibob"),
        (&h.b_analist, &["drugs"], "intern"),
    ]
    .into_iter()
    .enumerate()
    {
        for (title, day) in [
            ("Loods met hennepgeur", "2025-05-01"),
            ("Woning met verkeer", "2025-06-02"),
        ] {
            let signal = h
                .signal_with(by, &format!("{title} {n}"), themes, class, |i| {
                    i.received_at = at(day);
                    if n % 2 == 0 && themes.contains(&"drugs") {
                        i.indicators = vec!["hennepteelt".into()];
                    }
                })
                .await;
            // The analist's own older signals are triaged, assessed and assigned below.
            if day == "2025-05-01" && std::ptr::eq(by, &h.a_analist) {
                old.push(signal);
            }
        }
    }
    // In triage (still awaiting it), assessed (no longer), untouched; two assigned.
    for (signal, steps) in old.iter().zip([
        &["in-triage"][..],
        &["in-triage", "geen-actie"],
        &[],
        &["in-triage", "monitoren"],
    ]) {
        for step in steps {
            store
                .change_signal_status(
                    &h.a_analist,
                    signal.id,
                    StatusChange::parse(step, "beoordeeld").unwrap(),
                    NOW,
                )
                .await
                .unwrap();
        }
    }
    for signal in old.iter().take(2) {
        store
            .assign_signal(
                &h.a_analist,
                signal.id,
                Assignment::parse(&h.a_analist.user().to_string(), "Team", "graag").unwrap(),
                NOW,
            )
            .await
            .unwrap();
    }
    let filters = [
        SignalFilter::default(),
        SignalFilter {
            theme: Some("drugs".into()),
            ..Default::default()
        },
        SignalFilter {
            indicator: Some("hennepteelt".into()),
            ..Default::default()
        },
        SignalFilter {
            text: Some("loods".into()),
            ..Default::default()
        },
        SignalFilter {
            text: Some("woning".into()),
            theme: Some("drugs".into()),
            ..Default::default()
        },
        SignalFilter {
            overdue: true,
            ..Default::default()
        },
        SignalFilter {
            open: true,
            overdue: true,
            theme: Some("drugs".into()),
            ..Default::default()
        },
        SignalFilter {
            mine: true,
            ..Default::default()
        },
        SignalFilter {
            status: Some(SignalStatus::InTriage),
            ..Default::default()
        },
        SignalFilter {
            received_from: Some(time::macros::date!(2025 - 06 - 01)),
            indicator: Some("hennepteelt".into()),
            ..Default::default()
        },
    ];
    for who in [
        &h.a_analist,
        &h.a_bibob,
        &h.a_toezicht,
        &h.a_lezer,
        &h.b_partner,
        &h.b_analist,
        &h.c_partner,
    ] {
        for filter in &filters {
            let all: Vec<Uuid> = store
                .list_signals(who, filter, PageRequest::LONG_LIST, NOW)
                .await
                .unwrap()
                .items
                .iter()
                .map(|s| s.id)
                .collect();
            follow_signals(h, who, filter, &all).await;
        }
    }
}

/// Every signal the caller sees, in list order, in one page.
async fn whole_list(h: &Harness, who: &Caller) -> Vec<Signal> {
    h.store()
        .list_signals(who, &SignalFilter::default(), PageRequest::LONG_LIST, NOW)
        .await
        .unwrap()
        .items
}

/// [`follow`] on the caller's signal list with `filter`.
async fn follow_signals(h: &Harness, who: &Caller, filter: &SignalFilter, all: &[Uuid]) {
    let store = h.store();
    follow(
        |request| {
            let filter = filter.clone();
            async move {
                store
                    .list_signals(who, &filter, request, NOW)
                    .await
                    .unwrap()
            }
        },
        |s: &Signal| s.id,
        all,
    )
    .await;
}

/// Follows `list` forward from its first page and back from its last, three at a time;
/// every id of `all` (in list order) once each way.
async fn follow<T, F, Fut>(list: F, id: fn(&T) -> Uuid, all: &[Uuid])
where
    F: Fn(PageRequest) -> Fut,
    Fut: Future<Output = Page<T>>,
{
    let mut seen = Vec::new();
    let mut request = PageRequest::first(3);
    let last = loop {
        let page = list(request).await;
        assert_eq!(page.total, Total::Exact(all.len() as u64));
        seen.extend(page.items.iter().map(id));
        match page.next {
            Some(next) => {
                request = PageRequest {
                    size: 3,
                    from: Some((Side::After, next)),
                }
            }
            None => break page,
        }
    };
    assert_eq!(seen, all, "forward");
    let mut back: Vec<Uuid> = last.items.iter().map(id).collect();
    let mut previous = last.previous;
    while let Some(cursor) = previous {
        let page = list(PageRequest {
            size: 3,
            from: Some((Side::Before, cursor)),
        })
        .await;
        let mut items: Vec<Uuid> = page.items.iter().map(id).collect();
        items.extend(back);
        back = items;
        previous = page.previous;
    }
    assert_eq!(back, all, "back");
}

async fn case_and_intervention_lists_page_by_cursor_at_any_depth(h: &Harness) {
    let store = h.store();
    let a = &h.a_analist;
    // Seven of each, the interventions all opened on the same day.
    for n in 0..7 {
        store
            .create_intervention(
                a,
                new(
                    "zorgverwijzing",
                    &format!("Zorg {n}"),
                    None,
                    RawDetails::default(),
                ),
                NOW,
            )
            .await
            .unwrap();
        store
            .create_case(
                a,
                new_case(&format!("Casus {n}"), &["drugs"], ""),
                &[],
                NOW + time::Duration::minutes(n),
            )
            .await
            .unwrap();
    }
    let interventions = |page| async move {
        store
            .interventions(a, InterventionFilter::default(), page, NOW)
            .await
            .unwrap()
    };
    let all: Vec<Uuid> = interventions(PageRequest::LONG_LIST)
        .await
        .items
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(all.len(), 7);
    follow(interventions, |i| i.id, &all).await;

    let cases = |page| async move {
        store
            .cases(a, CaseList::Open, page, NOW + time::Duration::hours(1))
            .await
            .unwrap()
    };
    let all: Vec<Uuid> = cases(PageRequest::LONG_LIST)
        .await
        .items
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(all.len(), 7);
    follow(cases, |c| c.id, &all).await;
}

/// Meetings and activities, ordered by their calendar day (several on one day, some before
/// 1970), page like the case list: every one once each way, the total exact; a meeting the caller does not sit at
/// takes no place in their pages.
async fn meeting_and_activity_lists_page_by_cursor_at_any_depth(h: &Harness) {
    use baken_core::activity::{NewActivity, RawActivity};
    use baken_core::meeting::{NewMeeting, RawMeeting};
    let store = h.store();
    let a = &h.a_analist;
    let days = [
        "2025-03-03",
        "2025-03-10",
        "2025-03-10",
        "2025-02-24",
        "2025-03-10",
        "2025-03-17",
        "2025-02-24",
        // Typed dates before 1970 page like any other (a cursor holds a time before 1970).
        "1969-12-31",
        "1969-07-20",
        "1969-12-31",
    ];
    for (n, day) in days.iter().enumerate() {
        let meeting = RawMeeting {
            title: format!("Casustafel {n}"),
            held_on: (*day).into(),
            ..RawMeeting::default()
        };
        store
            .create_meeting(a, NewMeeting::parse(&meeting).unwrap(), NOW)
            .await
            .unwrap();
        let activity = RawActivity {
            kind: "schoolles".into(),
            title: format!("HackShield-les {n}"),
            held_on: (*day).into(),
            theme: "drugs".into(),
            reached: "3".into(),
            ..RawActivity::default()
        };
        store
            .record_activity(
                a,
                NewActivity::parse(&activity, time::macros::date!(2025 - 06 - 02)).unwrap(),
                NOW,
            )
            .await
            .unwrap();
    }
    // Another organisation's meeting, which the analist does not sit at.
    store
        .create_meeting(
            &h.b_analist,
            NewMeeting::parse(&RawMeeting {
                title: "Overleg elders".into(),
                held_on: "2025-03-10".into(),
                ..RawMeeting::default()
            })
            .unwrap(),
            NOW,
        )
        .await
        .unwrap();

    let meetings = |page| async move { store.meetings(a, page, NOW).await.unwrap() };
    let whole = meetings(PageRequest::LONG_LIST).await.items;
    assert_eq!(whole.len(), days.len());
    assert!(whole.windows(2).all(|w| w[0].held_on >= w[1].held_on));
    let all: Vec<Uuid> = whole.iter().map(|m| m.id).collect();
    follow(meetings, |m| m.id, &all).await;

    let activities = |page| async move { store.activities(a, page, NOW).await.unwrap() };
    let whole = activities(PageRequest::LONG_LIST).await.items;
    assert_eq!(whole.len(), days.len());
    assert!(whole.windows(2).all(|w| w[0].held_on >= w[1].held_on));
    let all: Vec<Uuid> = whole.iter().map(|x| x.id).collect();
    follow(activities, |x| x.id, &all).await;

    // Each page read is recorded with what it showed of how many, and where it began.
    store.meetings(a, PageRequest::first(4), NOW).await.unwrap();
    store
        .activities(a, PageRequest::first(3), NOW)
        .await
        .unwrap();
    let events = store.audit_events(0, 100_000).await.unwrap();
    let details: Vec<(&str, &str)> = events
        .iter()
        .rev()
        .take(2)
        .map(|e| (e.action.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        details,
        [
            ("activity.list", "shown=3 total=10 from=first"),
            ("meeting.list", "shown=4 total=10 from=first"),
        ]
    );
}
