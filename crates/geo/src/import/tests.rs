use super::*;
use crate::{AreaIndex, AreaRef};

fn options(kind: AreaKind) -> ImportOptions {
    ImportOptions {
        kind,
        year: 2014,
        id_property: None,
        name_property: None,
    }
}

fn shared(file: &str) -> String {
    let path = format!("{}/../../data/cbs/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn groningen_buurten_and_wijken_import_completely() {
    let buurten = read_areas(
        &shared("groningen-buurten-2014.geojson"),
        &options(AreaKind::Buurt),
    )
    .unwrap();
    assert_eq!(buurten.areas.len(), 93, "skipped: {:?}", buurten.skipped);
    let collapsed: Vec<&str> = buurten
        .areas
        .iter()
        .filter(|a| a.geometry.is_none())
        .map(|a| a.area.name.as_str())
        .collect();
    assert!(
        collapsed.contains(&"Woonwagenkamp") && collapsed.len() < 10,
        "{collapsed:?}"
    );
    assert!(buurten
        .repaired
        .iter()
        .any(|m| m.contains("Woonwagenkamp") && m.contains("zonder vlak")));
    let wijken = read_areas(
        &shared("groningen-wijken-2014.geojson"),
        &options(AreaKind::Wijk),
    )
    .unwrap();
    assert_eq!(wijken.areas.len(), 14, "skipped: {:?}", wijken.skipped);
    let binnenstad = wijken
        .areas
        .iter()
        .find(|a| a.area.code == "WK001400")
        .unwrap();
    assert_eq!(binnenstad.area.name, "Wijk 00 Binnenstad");
    assert_eq!(binnenstad.area.parent.as_deref(), Some("GM0014"));
    for a in buurten.areas.iter().chain(&wijken.areas) {
        assert!(
            a.geometry.as_ref().is_none_or(|g| g.is_valid()),
            "{} invalid after import",
            a.area.code
        );
    }

    // Martinikerkhof 3 lies in Binnenstad-Noord (reference.md §7.1).
    let index = AreaIndex::new(
        buurten
            .areas
            .iter()
            .chain(&wijken.areas)
            .filter_map(|a| {
                Some((
                    AreaRef {
                        code: a.area.code.clone(),
                        kind: a.area.kind,
                    },
                    a.geometry.clone()?,
                ))
            })
            .collect(),
    );
    let hits: Vec<&str> = index
        .locate(6.568567, 53.21927)
        .iter()
        .map(|a| a.code.as_str())
        .collect();
    assert!(hits.contains(&"WK001400"), "{hits:?}");
    assert!(hits.iter().any(|c| c.starts_with("BU001400")), "{hits:?}");
    assert!(
        index.locate(4.9, 52.37).is_empty(),
        "Amsterdam is not in Groningen"
    );
}

#[test]
fn every_dutch_buurt_is_read_or_reported() {
    let all = read_areas(
        &shared("nederland-buurten-2014.geojson"),
        &options(AreaKind::Buurt),
    )
    .unwrap();
    assert_eq!(all.areas.len(), 11_691, "{:?}", all.skipped);
    let with_shape = all.areas.iter().filter(|a| a.geometry.is_some()).count();
    assert!(with_shape > 10_000, "{with_shape} with a shape");
    for message in all.skipped.iter().chain(&all.repaired) {
        assert!(message.starts_with("object "), "{message}");
    }
    assert!(all
        .areas
        .iter()
        .all(|a| a.geometry.as_ref().is_none_or(|g| g.is_valid())));
}

#[test]
fn faulty_features_are_repaired_or_skipped_with_their_name() {
    let text = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"naam":"Zuidoost"},"geometry":{"type":"Polygon","coordinates":[[[6.6,53.2],[6.7,53.2],[6.7,53.3],[6.6,53.3],[6.6,53.2]]]}},
      {"type":"Feature","properties":{"naam":"Vlinder"},"geometry":{"type":"Polygon","coordinates":[[[3,51],[4,52],[4,51],[3,52],[3,51]]]}},
      {"type":"Feature","properties":{"naam":"Met splinter"},"geometry":{"type":"MultiPolygon","coordinates":[[[[3.5,51.5],[3.5,52],[4,52],[4,51.5],[3.5,51.5]]],[[[5.5,53.5],[6,54],[5.5,53.5],[5.5,53.5]]]]}},
      {"type":"Feature","properties":{"naam":"Lijn"},"geometry":{"type":"LineString","coordinates":[[3,51],[3.5,51.5]]}},
      {"type":"Feature","properties":{"naam":"Leeg"},"geometry":null},
      {"type":"Feature","properties":{"naam":"Plat"},"geometry":{"type":"Polygon","coordinates":[[[3,51],[3.5,51.5],[4,52],[3,51]]]}},
      {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[3,51],[3.5,51],[3.5,51.5],[3,51]]]}},
      {"type":"Feature","properties":{"naam":"Zuidoost"},"geometry":{"type":"Polygon","coordinates":[[[3,51],[3.5,51],[3.5,51.5],[3,51]]]}}
    ]}"#;
    let out = read_areas(text, &options(AreaKind::Bedrijventerrein)).unwrap();
    let codes: Vec<&str> = out.areas.iter().map(|a| a.area.code.as_str()).collect();
    assert_eq!(
        codes,
        vec!["BT-zuidoost", "BT-vlinder", "BT-met-splinter", "BT-plat"]
    );
    assert!(
        out.repaired
            .iter()
            .any(|m| m.contains("Vlinder") && m.contains("hersteld")),
        "{:?}",
        out.repaired
    );
    assert!(
        out.repaired
            .iter()
            .any(|m| m.contains("Met splinter") && m.contains("verwijderd")),
        "{:?}",
        out.repaired
    );
    let vlinder = out.areas[1].geometry.as_ref().unwrap();
    assert!(vlinder.is_valid());
    assert!(
        // Two wings of a quarter square degree each (the bow tie lies in the Netherlands,
        // half a degree wide).
        (vlinder.unsigned_area() - 0.5).abs() < 1e-9,
        "both wings of the bow tie kept"
    );
    assert!(
        out.areas[3].geometry.is_none(),
        "a flat polygon has no shape"
    );
    let skipped = out.skipped.join("\n");
    for expected in [
        "(Lijn): geometrie is een lijn",
        "(Leeg): heeft geen geometrie",
        "object 7: heeft geen naam",
        "(Zuidoost): code BT-zuidoost komt al eerder",
    ] {
        assert!(
            skipped.contains(expected),
            "missing {expected:?} in\n{skipped}"
        );
    }
}

#[test]
fn wrong_files_are_refused_clearly() {
    assert!(matches!(
        read_areas("geen json", &options(AreaKind::Buurt)),
        Err(GeoError::NotGeoJson(_))
    ));
    assert!(matches!(
        read_areas(
            r#"{"type":"Point","coordinates":[1,2]}"#,
            &options(AreaKind::Buurt)
        ),
        Err(GeoError::NotFeatureCollection)
    ));
    let wijk_as_buurt = read_areas(
        &shared("groningen-wijken-2014.geojson"),
        &options(AreaKind::Buurt),
    )
    .unwrap();
    assert!(wijk_as_buurt.areas.is_empty());
    assert!(
        wijk_as_buurt.skipped[0].contains("is geen buurtcode"),
        "{:?}",
        wijk_as_buurt.skipped
    );
}

#[test]
fn stored_geometry_round_trips() {
    let out = read_areas(
        &shared("groningen-wijken-2014.geojson"),
        &options(AreaKind::Wijk),
    )
    .unwrap();
    let g = out.areas[0].geometry.as_ref().unwrap();
    let back = crate::geometry_from_text(&crate::geometry_to_text(g)).unwrap();
    assert_eq!(&back, g);
    assert!(crate::bbox_micro(g).is_some());
}

fn feature(code: &str, ring: &str) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"statcode":"{code}","statnaam":"Test"}},"geometry":{{"type":"Polygon","coordinates":[[{ring}]]}}}}"#
    )
}

#[test]
fn coordinates_outside_the_netherlands_and_huge_polygons_are_refused_before_the_work() {
    let square = |x: f64, y: f64, d: f64| {
        format!(
            "[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]",
            x + d,
            x + d,
            y + d,
            y + d
        )
    };
    // A ring of one point more than the limit.
    let n = MAX_VERTICES + 1;
    let mut huge = String::with_capacity(n * 24);
    for i in 0..n {
        let a = i as f64 / n as f64 * std::f64::consts::TAU;
        if i > 0 {
            huge.push(',');
        }
        huge.push_str(&format!(
            "[{:.6},{:.6}]",
            6.5 + 0.01 * a.cos(),
            53.2 + 0.01 * a.sin()
        ));
    }
    let file = format!(
        r#"{{"type":"FeatureCollection","features":[{},{},{},{}]}}"#,
        feature("WK001400", &square(6.56, 53.21, 0.01)),
        feature("WK001401", &square(200.0, 53.21, 0.01)),
        feature("WK001402", &square(233_000.0, 582_000.0, 500.0)),
        feature("WK001403", &huge),
    );
    let outcome = read_areas(&file, &options(AreaKind::Wijk)).unwrap();
    let codes: Vec<&str> = outcome.areas.iter().map(|a| a.area.code.as_str()).collect();
    assert_eq!(codes, vec!["WK001400"], "{:?}", outcome.skipped);
    let skipped = outcome.skipped.join("\n");
    assert!(
        skipped.contains("WK001401") && skipped.contains("ligt niet in Nederland"),
        "{skipped}"
    );
    assert!(
        skipped.contains("WK001402") && skipped.contains("lijkt RD (EPSG:28992"),
        "{skipped}"
    );
    assert!(
        skipped.contains("WK001403") && skipped.contains(&format!("de grens is {MAX_VERTICES}")),
        "{skipped}"
    );
}

/// Found by fuzzing (`fuzz/corpus/geojson`): a position with one number made the GeoJSON
/// conversion index past its end and panic.
#[test]
fn a_point_with_one_coordinate_is_refused_not_a_crash() {
    let file = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        feature(
            "BU00140000",
            "[8.5621],[6.57,53.21],[6.57,53.22],[6.56,53.21]"
        ),
    );
    let outcome = read_areas(&file, &options(AreaKind::Buurt)).unwrap();
    assert!(outcome.areas.is_empty());
    let skipped = outcome.skipped.join("\n");
    assert!(
        skipped.contains("BU00140000") && skipped.contains("geen twee coördinaten"),
        "{skipped}"
    );
}
