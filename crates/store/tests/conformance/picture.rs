//! The picture: counts per area, month and organisation inside need-to-know with suppression
//! for lezers, bases per area, signal points for the map, visits in an area.

use crate::harness::{Harness, NOW};
use baken_core::access::Suppression;
use baken_core::field::{NewVisit, VisitInput, VisitKind};
use baken_core::model::AreaKind;
use baken_core::picture::{AreaBase, BaseKind, CountGroup, CountQuery};
use baken_core::signal::SignalFilter;
use baken_core::Caller;
use baken_store::{Actor, SignalCounts, StoreError};

baken_store::on_both_engines!(crate::harness::Harness =>
    counts_follow_need_to_know_and_suppress_small_numbers_for_lezers,
    bases_keep_the_newest_year_and_are_audited,
    map_points_are_visible_signals_with_coordinates_and_audited,
    visits_are_found_by_area,
    months_and_date_filters_count_dutch_calendar_days,
    a_lezer_cannot_difference_aggregates_into_small_counts
);

async fn counts(
    h: &Harness,
    caller: &Caller,
    group: CountGroup,
    filter: SignalFilter,
) -> SignalCounts {
    h.store()
        .signal_counts(
            caller,
            &CountQuery { filter, group },
            Suppression::default(),
            NOW,
        )
        .await
        .unwrap()
}

fn values(c: &SignalCounts) -> Vec<(String, Option<u64>, String)> {
    c.groups
        .iter()
        .map(|(k, v)| (k.clone(), v.value, v.shown.clone()))
        .collect()
}

async fn in_wijk(h: &Harness, by: &Caller, wijk: &str, theme: &str, n: usize) {
    for i in 0..n {
        h.signal_with(
            by,
            &format!("{theme} {wijk} {i}"),
            &[theme],
            "intern",
            |s| {
                s.area_code = Some(wijk.into());
                s.sharing = Some("convenant".into());
            },
        )
        .await;
    }
}

async fn counts_follow_need_to_know_and_suppress_small_numbers_for_lezers(h: &Harness) {
    in_wijk(h, &h.a_analist, "WK001400", "drugs", 6).await;
    in_wijk(h, &h.a_analist, "WK001401", "zorgfraude", 2).await;
    in_wijk(h, &h.b_analist, "WK001401", "drugs", 3).await;
    let wijk = CountGroup::Area(AreaKind::Wijk);

    // A sees its own and what B shares under the drugs agreement.
    let a = counts(h, &h.a_analist, wijk, SignalFilter::default()).await;
    assert!(!a.aggregated);
    assert_eq!(
        values(&a),
        vec![
            ("WK001400".into(), Some(6), "6".into()),
            ("WK001401".into(), Some(5), "5".into())
        ]
    );
    assert_eq!(a.total.value, Some(11));
    // B does not see A's zorgfraude (not covered by the agreement).
    let b = counts(h, &h.b_partner, wijk, SignalFilter::default()).await;
    assert_eq!(b.of("WK001401").value, Some(3));
    assert_eq!(b.of("WK001400").value, Some(6));
    assert_eq!(
        b.of("WK009999").value,
        Some(0),
        "an area without signals counts zero"
    );
    // A theme filter applies to the groups.
    let drugs = SignalFilter {
        theme: Some("drugs".into()),
        ..Default::default()
    };
    assert_eq!(
        counts(h, &h.a_analist, wijk, drugs.clone())
            .await
            .of("WK001401")
            .value,
        Some(3)
    );

    // So does an indicator.
    h.signal_with(&h.a_analist, "Hennepgeur", &["drugs"], "intern", |s| {
        s.area_code = Some("WK001401".into());
        s.indicators = vec!["hennepteelt".into()];
    })
    .await;
    let hennep = SignalFilter {
        indicator: Some("hennepteelt".into()),
        ..Default::default()
    };
    let by_indicator = counts(h, &h.a_analist, wijk, hennep).await;
    assert_eq!(
        values(&by_indicator),
        vec![("WK001401".into(), Some(1), "1".into())]
    );
    assert_eq!(by_indicator.total.value, Some(1));

    // A lezer counts only the own organisation, small counts suppressed and the others
    // rounded to a multiple of the threshold (6 → 5, 9 → 10), so that no two aggregates can
    // be subtracted into an exact small number.
    let lezer = counts(h, &h.a_lezer, wijk, SignalFilter::default()).await;
    assert!(lezer.aggregated);
    assert_eq!(
        values(&lezer),
        vec![
            ("WK001400".into(), Some(5), "5".into()),
            ("WK001401".into(), None, "<5".into())
        ]
    );
    assert_eq!(lezer.total.value, Some(10));
    // The threshold is a parameter.
    let strict = h
        .store()
        .signal_counts(
            &h.a_lezer,
            &CountQuery {
                filter: SignalFilter::default(),
                group: wijk,
            },
            Suppression { threshold: 10 },
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(strict.of("WK001400").shown, "<10");
    assert_eq!(strict.total.shown, "<10");

    // Per month and per organisation.
    let months = counts(h, &h.a_analist, CountGroup::Month, SignalFilter::default()).await;
    assert_eq!(
        values(&months),
        vec![("2025-05".into(), Some(12), "12".into())]
    );
    let area = SignalFilter {
        area: Some(baken_core::identifiers::AreaCode::parse("WK001401").unwrap()),
        ..Default::default()
    };
    let orgs = counts(h, &h.a_analist, CountGroup::Organisation, area).await;
    assert_eq!(
        values(&orgs),
        vec![
            ("Gemeente A".into(), Some(3), "3".into()),
            ("Politie B".into(), Some(3), "3".into())
        ]
    );

    // Several questions read together answer as each alone, in one audited read; for a lezer
    // suppressed alike.
    for caller in [&h.a_analist, &h.a_lezer] {
        let questions: Vec<CountQuery> = [None, Some("drugs"), Some("mensenhandel")]
            .into_iter()
            .map(|theme| CountQuery {
                filter: SignalFilter {
                    theme: theme.map(str::to_string),
                    ..SignalFilter::default()
                },
                group: wijk,
            })
            .collect();
        let before = h.audit_count().await;
        let together = h
            .store()
            .signal_counts_each(caller, &questions, Suppression::default(), NOW)
            .await
            .unwrap();
        assert_eq!(h.audit_count().await, before + 1, "one read recorded");
        assert_eq!(together.len(), questions.len());
        for (question, read) in questions.iter().zip(&together) {
            let alone = counts(h, caller, wijk, question.filter.clone()).await;
            assert_eq!(values(read), values(&alone));
            assert_eq!(read.total.shown, alone.total.shown);
        }
    }

    // Roles that see neither signals nor aggregates are refused.
    assert!(matches!(
        h.store()
            .signal_counts(
                &h.a_beheerder,
                &CountQuery {
                    filter: SignalFilter::default(),
                    group: wijk
                },
                Suppression::default(),
                NOW
            )
            .await,
        Err(StoreError::Forbidden(_))
    ));
}

async fn bases_keep_the_newest_year_and_are_audited(h: &Harness) {
    let base = |code: &str, year: i32, value: u64| AreaBase {
        area_code: code.into(),
        kind: BaseKind::Inwoners,
        year,
        value,
        source: format!("CBS {year}"),
    };
    h.store()
        .upsert_area_bases(
            &Actor::cli(),
            &[
                base("WK001400", 2023, 19_000),
                base("WK001401", 2023, 15_000),
            ],
            NOW,
        )
        .await
        .unwrap();
    let inwoners = || async {
        h.store()
            .area_bases(BaseKind::Inwoners)
            .await
            .unwrap()
            .iter()
            .map(|b| (b.area_code.clone(), b.year, b.value))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        inwoners().await,
        [
            ("WK001400".to_string(), 2023, 19_000),
            ("WK001401".to_string(), 2023, 15_000)
        ]
    );
    h.store()
        .upsert_area_bases(&Actor::cli(), &[base("WK001400", 2024, 20_000)], NOW)
        .await
        .unwrap();
    // The next read shows the import at once (the bases are kept between reads).
    assert_eq!(inwoners().await[0], ("WK001400".to_string(), 2024, 20_000));
    // A repeated import replaces, it does not add.
    h.store()
        .upsert_area_bases(&Actor::cli(), &[base("WK001400", 2024, 20_500)], NOW)
        .await
        .unwrap();
    let bases = h.store().area_bases(BaseKind::Inwoners).await.unwrap();
    assert_eq!(
        bases
            .iter()
            .map(|b| (b.area_code.as_str(), b.year, b.value, b.source.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("WK001400", 2024, 20_500, "CBS 2024"),
            ("WK001401", 2023, 15_000, "CBS 2023")
        ]
    );
    assert!(h
        .store()
        .area_bases(BaseKind::Bedrijven)
        .await
        .unwrap()
        .is_empty());
    let events = h.store().audit_events(0, 10_000).await.unwrap();
    let last = events.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.detail.as_str()),
        ("area-base.import", "count=1 kinds=inwoners")
    );
}

async fn map_points_are_visible_signals_with_coordinates_and_audited(h: &Harness) {
    let placed = |lat: &'static str, lon: &'static str| {
        move |s: &mut baken_core::signal::SignalInput| {
            s.latitude = Some(lat.into());
            s.longitude = Some(lon.into());
            s.sharing = Some("convenant".into());
        }
    };
    let a = h
        .signal_with(
            &h.a_analist,
            "Hennepgeur",
            &["drugs"],
            "intern",
            placed("53.21927", "6.568567"),
        )
        .await;
    h.signal_with(
        &h.a_analist,
        "Zorgbureau",
        &["zorgfraude"],
        "intern",
        placed("53.2", "6.55"),
    )
    .await;
    h.signal(&h.a_analist, "Zonder plek", &["drugs"], "intern")
        .await;

    let points = h
        .store()
        .signal_points(&h.a_analist, &SignalFilter::default(), 100, NOW)
        .await
        .unwrap();
    assert_eq!(points.len(), 2, "only signals with coordinates");
    let hennep = points.iter().find(|p| p.id == a.id).unwrap();
    assert!((hennep.latitude - 53.21927).abs() < 1e-9);
    assert!((hennep.longitude - 6.568567).abs() < 1e-9);
    let events = h.store().audit_events(0, 10_000).await.unwrap();
    assert_eq!(events.last().unwrap().action, "signal.map");

    // The police partner sees the shared drugs signal, not the zorgfraude one.
    let b = h
        .store()
        .signal_points(&h.b_partner, &SignalFilter::default(), 100, NOW)
        .await
        .unwrap();
    assert_eq!(b.iter().map(|p| p.id).collect::<Vec<_>>(), vec![a.id]);
    // Lezers see no points at all.
    assert!(h
        .store()
        .signal_points(&h.a_lezer, &SignalFilter::default(), 100, NOW)
        .await
        .unwrap()
        .is_empty());
    // The limit holds.
    assert_eq!(
        h.store()
            .signal_points(&h.a_analist, &SignalFilter::default(), 1, NOW)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn visits_are_found_by_area(h: &Harness) {
    let store = h.store();
    let checklist = store.checklist(VisitKind::Schouw).await.unwrap();
    let input = |area: &str| VisitInput {
        kind: Some("schouw".into()),
        location: Some("Bedrijventerrein Zuidoost, kavel 12".into()),
        area_code: Some(area.into()),
        visited_on: Some("2025-03-10".into()),
        answers: checklist.iter().map(|_| "nee".to_string()).collect(),
        ..Default::default()
    };
    let today = NOW.date();
    for area in ["BT-zuidoost", "BT-zuidoost", "BT-westpoort"] {
        store
            .create_visit(
                &h.a_toezicht,
                NewVisit::parse(&input(area), &checklist, today).unwrap(),
                NOW,
            )
            .await
            .unwrap();
    }
    let at_park = store
        .visits_in_area(&h.a_analist, "BT-zuidoost", NOW)
        .await
        .unwrap();
    assert_eq!(at_park.len(), 2);
    assert!(at_park.iter().all(|v| v.kind == VisitKind::Schouw));
    // Another organisation does not see them.
    assert!(store
        .visits_in_area(&h.b_analist, "BT-zuidoost", NOW)
        .await
        .unwrap()
        .is_empty());
}

/// A signal received at 00:30 on 1 March in Groningen (23:30 UTC on 28 February) belongs to
/// March and to 1 March; one at 23:30 on 31 May (21:30 UTC, summer time) to May.
async fn months_and_date_filters_count_dutch_calendar_days(h: &Harness) {
    for (title, at) in [
        ("Na middernacht", "2025-02-28T23:30:00Z"),
        ("Voor middernacht", "2025-05-31T21:30:00Z"),
    ] {
        h.signal_with(&h.a_analist, title, &["drugs"], "intern", |i| {
            i.received_at = Some(at.into());
        })
        .await;
    }
    let months = counts(h, &h.a_analist, CountGroup::Month, SignalFilter::default()).await;
    assert_eq!(
        values(&months),
        vec![
            ("2025-03".into(), Some(1), "1".into()),
            ("2025-05".into(), Some(1), "1".into())
        ]
    );
    let day = |from: time::Date, until: time::Date| SignalFilter {
        received_from: Some(from),
        received_until: Some(until),
        ..Default::default()
    };
    use time::macros::date;
    let march_first = counts(
        h,
        &h.a_analist,
        CountGroup::Month,
        day(date!(2025 - 03 - 01), date!(2025 - 03 - 01)),
    )
    .await;
    assert_eq!(march_first.total.value, Some(1));
    let february = counts(
        h,
        &h.a_analist,
        CountGroup::Month,
        day(date!(2025 - 02 - 01), date!(2025 - 02 - 28)),
    )
    .await;
    assert_eq!(february.total.value, Some(0));
    let may_31 = counts(
        h,
        &h.a_analist,
        CountGroup::Month,
        day(date!(2025 - 05 - 31), date!(2025 - 05 - 31)),
    )
    .await;
    assert_eq!(may_31.total.value, Some(1));
}

/// The attack a lezer made: ask for two periods a day apart and subtract. Twelve signals in
/// May before the 21st, three on the 21st: every pair of periods ending on consecutive days
/// gives the same counts (whole months), and no shown count or difference of two is 1–4.
async fn a_lezer_cannot_difference_aggregates_into_small_counts(h: &Harness) {
    use time::macros::date;
    for i in 0..15 {
        let day = if i < 12 { 2 + i } else { 21 };
        h.signal_with(
            &h.a_analist,
            &format!("Signaal {i}"),
            &["drugs"],
            "intern",
            |s| {
                s.received_at = Some(format!("2025-05-{day:02}T10:00:00Z"));
                s.area_code = Some("WK001400".into());
            },
        )
        .await;
    }
    let period = |until: time::Date| SignalFilter {
        received_from: Some(date!(2025 - 05 - 01)),
        received_until: Some(until),
        ..Default::default()
    };
    let mut shown: Vec<u64> = Vec::new();
    let mut previous: Option<Vec<(String, Option<u64>, String)>> = None;
    for day in 14..=28u8 {
        let until = time::Date::from_calendar_date(2025, time::Month::May, day).unwrap();
        for group in [CountGroup::Area(AreaKind::Wijk), CountGroup::Month] {
            let c = counts(h, &h.a_lezer, group, period(until)).await;
            assert!(c.aggregated);
            shown.extend(c.total.value);
            shown.extend(c.groups.iter().filter_map(|(_, n)| n.value));
            if group == CountGroup::Month {
                let now = values(&c);
                if let Some(before) = &previous {
                    assert_eq!(before, &now, "a day later, the same whole month");
                }
                previous = Some(now);
            }
        }
    }
    for a in &shown {
        assert!(
            *a == 0 || *a % 5 == 0,
            "{a} is not a multiple of the threshold"
        );
        for b in &shown {
            assert!(
                !(1..5).contains(&a.abs_diff(*b)),
                "{a} − {b} reveals a small count"
            );
        }
    }
    // The analist still counts exactly, day by day.
    let exact = counts(
        h,
        &h.a_analist,
        CountGroup::Month,
        period(date!(2025 - 05 - 20)),
    )
    .await;
    assert_eq!(exact.total.value, Some(12));
}
