//! Areas: import with geometry, placing signals in their buurt, wijk and business park.

use crate::harness::{Harness, NOW};
use baken_core::identifiers::AreaCode;
use baken_core::model::AreaKind;
use baken_core::picture::{AreaBase, BaseKind};
use baken_core::signal::{PageRequest, SignalFilter};
use baken_geo::{read_areas, ImportOptions};
use baken_store::Actor;

baken_store::on_both_engines!(crate::harness::Harness =>
    signals_are_placed_in_their_areas,
    area_imports_replace_and_version,
    a_renamed_area_is_shown_by_its_new_name,
    an_area_import_elsewhere_places_at_once_and_is_drawn_within_the_recheck,
    an_area_is_named_with_its_parent_and_children_by_their_newest_versions,
);

fn shared(file: &str) -> String {
    let path = format!("{}/../../data/cbs/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn import(h: &Harness, text: &str, kind: AreaKind) -> usize {
    import_of(h, text, kind, 2014).await
}

async fn import_of(h: &Harness, text: &str, kind: AreaKind, year: i32) -> usize {
    import_into(h.store(), text, (kind, year)).await
}

async fn import_into(
    store: &dyn baken_store::Store,
    text: &str,
    (kind, year): (AreaKind, i32),
) -> usize {
    let options = ImportOptions {
        kind,
        year,
        id_property: None,
        name_property: None,
    };
    let outcome = read_areas(text, &options).unwrap();
    store
        .upsert_areas(&Actor::cli(), &outcome.areas, NOW)
        .await
        .unwrap();
    outcome.areas.len()
}

async fn count_in(h: &Harness, code: &str) -> u64 {
    let filter = SignalFilter {
        area: Some(AreaCode::parse(code).unwrap()),
        ..Default::default()
    };
    h.store()
        .list_signals(&h.a_analist, &filter, PageRequest::default(), NOW)
        .await
        .unwrap()
        .total
        .count()
}

const PARK: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"naam":"Binnenstad Park"},
  "geometry":{"type":"Polygon","coordinates":[[[6.56,53.21],[6.58,53.21],[6.58,53.23],[6.56,53.23],[6.56,53.21]]]}}]}"#;

/// A signal registered at a point inside [`PARK`].
async fn on_the_park(h: &Harness) {
    h.signal_with(
        &h.a_analist,
        "Op het park",
        &["bedrijventerreinen"],
        "intern",
        |i| {
            i.latitude = Some("53.22".into());
            i.longitude = Some("6.57".into());
        },
    )
    .await;
}

async fn signals_are_placed_in_their_areas(h: &Harness) {
    assert_eq!(
        import(h, &shared("groningen-wijken-2014.geojson"), AreaKind::Wijk).await,
        14
    );
    assert_eq!(
        import(
            h,
            &shared("groningen-buurten-2014.geojson"),
            AreaKind::Buurt
        )
        .await,
        93
    );
    // Martinikerkhof 3, Groningen (reference.md §7.1).
    let located = h
        .signal_with(&h.a_analist, "Martinikerkhof", &["drugs"], "intern", |i| {
            i.latitude = Some("53.21927".into());
            i.longitude = Some("6.568567".into());
        })
        .await;
    assert_eq!(located.area_code, None, "no area was typed");
    // It shows where it was placed, most specific first, with the names of the areas.
    let placed: Vec<(AreaKind, &str)> = located
        .areas
        .iter()
        .map(|a| (a.kind, a.code.as_str()))
        .collect();
    assert_eq!(placed.len(), 3, "{placed:?}");
    assert_eq!(placed[0].0, AreaKind::Buurt, "{placed:?}");
    assert_eq!(
        &placed[1..],
        &[(AreaKind::Wijk, "WK001400"), (AreaKind::Gemeente, "GM0014")]
    );
    assert!(located.areas[1].name.is_some(), "the wijk's name is known");
    assert_eq!(count_in(h, "WK001400").await, 1);
    assert_eq!(count_in(h, "GM0014").await, 1);
    let buurten = h.store().areas(AreaKind::Buurt).await.unwrap();
    let in_buurt: Vec<&str> = {
        let mut v = Vec::new();
        for b in buurten.iter().filter(|b| b.code.starts_with("BU001400")) {
            if count_in(h, &b.code).await == 1 {
                v.push(b.code.as_str());
            }
        }
        v
    };
    assert_eq!(
        in_buurt.len(),
        1,
        "placed in exactly one buurt: {in_buurt:?}"
    );
    assert_eq!(count_in(h, "WK001401").await, 0);
    // A well-formed code of no stored area lists nothing.
    assert_eq!(count_in(h, "BU99999999").await, 0);

    // A business park imported later is used for the next signal.
    import(h, PARK, AreaKind::Bedrijventerrein).await;
    on_the_park(h).await;
    assert_eq!(count_in(h, "BT-binnenstad-park").await, 1);
    // A typed area code counts with its parents, without coordinates.
    h.signal_with(&h.a_analist, "Getypt", &["drugs"], "intern", |i| {
        i.area_code = Some("BU00140101".into())
    })
    .await;
    assert_eq!(count_in(h, "WK001401").await, 1);
    // Outside every area: stored, placed nowhere.
    h.signal_with(&h.a_analist, "Maastricht", &["drugs"], "intern", |i| {
        i.latitude = Some("50.85".into());
        i.longitude = Some("5.69".into());
    })
    .await;
    assert_eq!(count_in(h, "GM0014").await, 3);
}

async fn area_imports_replace_and_version(h: &Harness) {
    import(h, &shared("groningen-wijken-2014.geojson"), AreaKind::Wijk).await;
    import(h, &shared("groningen-wijken-2014.geojson"), AreaKind::Wijk).await;
    let wijken = h.store().areas(AreaKind::Wijk).await.unwrap();
    assert_eq!(
        wijken.len(),
        14,
        "a second import replaces, it does not duplicate"
    );
    let area = h.store().area("WK001400").await.unwrap().unwrap();
    assert_eq!(area.name, "Wijk 00 Binnenstad");
    assert_eq!(area.parent.as_deref(), Some("GM0014"));
    assert!(h.store().area("WK999999").await.unwrap().is_none());
    let events = h.store().audit_events(0, 10_000).await.unwrap();
    let last = events.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.detail.as_str()),
        ("area.import", "count=14 kinds=wijk")
    );
}

/// A signal shows each of its areas by the name of the area's newest year: an import that
/// renames an area (or names one only typed before) renames it on the signals already stored.
async fn a_renamed_area_is_shown_by_its_new_name(h: &Harness) {
    let typed = h
        .signal_with(
            &h.a_analist,
            "Getypt vóór de import",
            &["drugs"],
            "intern",
            |i| i.area_code = Some("WK001400".into()),
        )
        .await;
    assert_eq!(typed.area_name, None, "no area is known yet");
    let wijken = shared("groningen-wijken-2014.geojson");
    import(h, &wijken, AreaKind::Wijk).await;
    let placed = h
        .signal_with(&h.a_analist, "Martinikerkhof", &["drugs"], "intern", |i| {
            i.latitude = Some("53.21927".into());
            i.longitude = Some("6.568567".into());
        })
        .await;
    let wijk_name = |s: &baken_core::signal::Signal| {
        s.areas
            .iter()
            .find(|a| a.kind == AreaKind::Wijk)
            .and_then(|a| a.name.clone())
    };
    assert_eq!(wijk_name(&placed).as_deref(), Some("Wijk 00 Binnenstad"));
    h.assert_code_copies_in_step("after an area import").await;
    let shown = |id| async move {
        h.store()
            .signal(&h.a_analist, id, NOW)
            .await
            .unwrap()
            .signal
    };
    assert_eq!(
        shown(typed.id).await.area_name.as_deref(),
        Some("Wijk 00 Binnenstad"),
        "the typed area has a name once it is imported"
    );

    // The next year's boundaries rename the wijk.
    import_of(
        h,
        &wijken.replace("Wijk 00 Binnenstad", "Binnenstad-Centrum"),
        AreaKind::Wijk,
        2015,
    )
    .await;
    h.assert_code_copies_in_step("after a renaming import")
        .await;
    assert_eq!(
        shown(typed.id).await.area_name.as_deref(),
        Some("Binnenstad-Centrum")
    );
    assert_eq!(
        wijk_name(&shown(placed.id).await).as_deref(),
        Some("Binnenstad-Centrum")
    );
    let listed = h
        .store()
        .list_signals(
            &h.a_analist,
            &SignalFilter::default(),
            PageRequest::default(),
            NOW,
        )
        .await
        .unwrap();
    let in_list = listed.items.iter().find(|s| s.id == placed.id).unwrap();
    assert_eq!(wijk_name(in_list).as_deref(), Some("Binnenstad-Centrum"));
}

/// Areas imported by another process (the command line beside the server): the next signal is
/// placed in them at once; maps and pictures, which this process had drawn already, draw them
/// within `VERSION_RECHECK`.
async fn an_area_import_elsewhere_places_at_once_and_is_drawn_within_the_recheck(h: &Harness) {
    import(h, &shared("groningen-wijken-2014.geojson"), AreaKind::Wijk).await;
    assert_eq!(
        h.store().area_shapes(AreaKind::Wijk).await.unwrap().len(),
        14
    );
    let parks = || async {
        h.store()
            .area_shapes(AreaKind::Bedrijventerrein)
            .await
            .unwrap()
            .len()
    };
    assert_eq!(parks().await, 0);
    let other = h.another_process().await;
    let inwoners = || async {
        h.store()
            .area_bases(BaseKind::Inwoners)
            .await
            .unwrap()
            .iter()
            .map(|b| (b.area_code.clone(), b.value))
            .collect::<Vec<_>>()
    };
    assert_eq!(inwoners().await, vec![]);
    assert!(h
        .store()
        .area("BT-binnenstad-park")
        .await
        .unwrap()
        .is_none());
    // Bases alone, imported elsewhere, are shown within the recheck.
    let base = AreaBase {
        area_code: "WK001400".into(),
        kind: BaseKind::Inwoners,
        year: 2014,
        value: 19_000,
        source: "CBS 2014".into(),
    };
    other
        .upsert_area_bases(&Actor::cli(), &[base], NOW)
        .await
        .unwrap();
    tokio::time::sleep(baken_store::VERSION_RECHECK).await;
    assert_eq!(inwoners().await, vec![("WK001400".to_string(), 19_000)]);
    import_into(&*other, PARK, (AreaKind::Bedrijventerrein, 2014)).await;
    on_the_park(h).await;
    assert_eq!(count_in(h, "BT-binnenstad-park").await, 1);
    tokio::time::sleep(baken_store::VERSION_RECHECK).await;
    assert_eq!(parks().await, 1);
    assert_eq!(
        h.store()
            .area("BT-binnenstad-park")
            .await
            .unwrap()
            .map(|a| a.name),
        Some("Binnenstad Park".to_string())
    );
}

/// What an area page names besides the area: its parent and its children, each by its newest
/// version — after an import of new boundaries at once in this process.
async fn an_area_is_named_with_its_parent_and_children_by_their_newest_versions(h: &Harness) {
    let wijken = shared("groningen-wijken-2014.geojson");
    import(h, &wijken, AreaKind::Wijk).await;
    import(
        h,
        &shared("groningen-buurten-2014.geojson"),
        AreaKind::Buurt,
    )
    .await;
    let codes = |areas: Vec<baken_core::model::Area>| {
        areas
            .into_iter()
            .map(|a| (a.code, a.name, a.year))
            .collect::<Vec<_>>()
    };
    let buurten = codes(h.store().child_areas("WK001400").await.unwrap());
    assert_eq!(
        buurten
            .iter()
            .map(|(c, _, _)| c.as_str())
            .collect::<Vec<_>>(),
        [
            "BU00140000",
            "BU00140001",
            "BU00140002",
            "BU00140003",
            "BU00140004"
        ],
        "the buurten of the wijk, by code"
    );
    let buurt = h.store().area("BU00140003").await.unwrap().unwrap();
    assert_eq!(buurt.parent.as_deref(), Some("WK001400"));
    assert!(h
        .store()
        .child_areas("BU00140003")
        .await
        .unwrap()
        .is_empty());
    assert!(h.store().child_areas("WK999999").await.unwrap().is_empty());

    // The next year's boundaries rename a wijk: the area, and the gemeente's children, are
    // its newest version, once.
    import_of(
        h,
        &wijken.replace("Wijk 00 Binnenstad", "Binnenstad-Centrum"),
        AreaKind::Wijk,
        2015,
    )
    .await;
    let wijk = h.store().area("WK001400").await.unwrap().unwrap();
    assert_eq!(
        (wijk.name.as_str(), wijk.year),
        ("Binnenstad-Centrum", 2015)
    );
    let of_groningen = codes(h.store().child_areas("GM0014").await.unwrap());
    assert_eq!(of_groningen.len(), 10, "{of_groningen:?}");
    assert_eq!(
        of_groningen[0],
        (
            "WK001400".to_string(),
            "Binnenstad-Centrum".to_string(),
            2015
        )
    );
    assert!(of_groningen.iter().all(|(_, _, year)| *year == 2015));
}
