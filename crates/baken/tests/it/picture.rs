//! The picture over HTTP: the map, the deviation page and API, the area page (informatiebeeld)
//! and a business park's picture, each limited to what the caller may count.

use crate::harness::{signal_json, TestApp};
use baken_core::model::AreaKind;
use baken_core::picture::{AreaBase, BaseKind};
use baken_store::Actor;

baken_store::on_both_engines!(crate::harness::TestApp =>
    map_and_deviations_show_what_the_caller_may_count,
    clusters_and_hot_spots_show_their_method_and_seed_within_what_the_caller_may_count,
    area_page_is_an_informatiebeeld_and_a_park_combines_partners_and_visits
);

const NOW: time::OffsetDateTime = time::macros::datetime!(2025-06-02 10:00 UTC);

pub(crate) async fn import_cbs(app: &TestApp, file: &str, kind: AreaKind) {
    let path = format!("{}/../../data/cbs/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let options = baken_geo::ImportOptions {
        kind,
        year: 2014,
        id_property: None,
        name_property: None,
    };
    let outcome = baken_geo::read_areas(&text, &options).unwrap();
    app.store
        .upsert_areas(&Actor::cli(), &outcome.areas, NOW)
        .await
        .unwrap();
}

/// Fourteen wijken of 10,000 inhabitants; fifteen drugs signals in the Binnenstad (placed by
/// coordinates) and one in each other wijk (placed by code).
async fn hot_spot(app: &TestApp) -> String {
    import_cbs(app, "groningen-wijken-2014.geojson", AreaKind::Wijk).await;
    let wijken = app.store.areas(AreaKind::Wijk).await.unwrap();
    let bases: Vec<AreaBase> = wijken
        .iter()
        .map(|w| AreaBase {
            area_code: w.code.clone(),
            kind: BaseKind::Inwoners,
            year: 2024,
            value: 10_000,
            source: "testcijfers".into(),
        })
        .collect();
    app.store
        .upsert_area_bases(&Actor::cli(), &bases, NOW)
        .await
        .unwrap();
    let token = app.token("analist@a.test").await;
    for i in 0..15 {
        let mut s = signal_json(&format!("Hennep {i}"), "drugs");
        s["areaCode"] = serde_json::Value::Null;
        app.api_signal(&token, s).await;
    }
    for w in wijken.iter().filter(|w| w.code != "WK001400") {
        let mut s = signal_json(&format!("Drugs in {}", w.name), "drugs");
        s["areaCode"] = w.code.clone().into();
        s["latitude"] = serde_json::Value::Null;
        s["longitude"] = serde_json::Value::Null;
        app.api_signal(&token, s).await;
    }
    token
}

async fn page(browser: &reqwest::Client, url: String) -> (u16, String) {
    let r = browser.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn map_and_deviations_show_what_the_caller_may_count(app: &TestApp) {
    let token = hot_spot(app).await;

    // The analyst's map: areas are links, the hot spot is coloured "sterk boven".
    let analist = app.login("analist@a.test").await;
    let (status, map) = page(
        &analist,
        app.url("/kaart?level=wijk&measure=afwijking&theme=drugs"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(map.contains("<svg"), "{map}");
    // Each wijk a link on the map and one in its table.
    assert_eq!(map.matches("<a href=\"/gebieden/WK").count(), 2 * 14);
    assert!(
        map.contains("Wijk 00 Binnenstad: sterk boven gemiddeld (15)"),
        "{map}"
    );
    assert!(map.contains("fill=\"#b2182b\""));
    assert!(!map.contains("<circle"), "points only when asked for");
    let (_, with_points) = page(&analist, app.url("/kaart?level=wijk&points=true")).await;
    assert_eq!(
        with_points.matches("<circle").count(),
        15,
        "the signals with coordinates"
    );
    assert!(with_points.contains("15 signalen met coördinaten"));
    // Counts per wijk with a legend.
    let (_, counts) = page(&analist, app.url("/kaart?level=wijk")).await;
    assert!(counts.contains("Wijk 00 Binnenstad: 15 signalen"));
    // The same as a table, each area a link a screen reader reaches.
    assert!(
        counts.contains("<summary>De kaart als tabel</summary>")
            && counts.contains(r#"<td><a href="/gebieden/WK001400">Wijk 00 Binnenstad</a></td><td>15 signalen</td>"#),
        "{counts}"
    );
    assert!(counts.contains("Aantal signalen") && counts.contains("aantal signalen</text>"));

    // The deviation page names the one deviating wijk and explains the method.
    let (status, deviations) = page(&analist, app.url("/afwijkingen?level=wijk&theme=drugs")).await;
    assert_eq!(status, 200);
    assert!(
        deviations.contains("<strong>1</strong> gebied wijkt af"),
        "{deviations}"
    );
    let first_row = deviations.split("<tbody>").nth(1).unwrap();
    assert!(first_row
        .trim_start()
        .starts_with("<tr class=\"class-strongly-above\"><td><a href=\"/gebieden/WK001400\">"));
    assert!(deviations.contains("Trechterdiagram"));
    assert!(deviations.contains("Benjamini–Hochberg"));
    assert!(deviations.contains("Basis: inwoners (testcijfers, peiljaar 2024)."));

    // The API gives the same answer.
    let json = app
        .get_json(&token, "/api/v1/deviations?level=wijk&theme=drugs")
        .await;
    assert_eq!(json["areas"][0]["code"], "WK001400");
    assert_eq!(json["areas"][0]["class"], "strongly-above");
    assert_eq!(json["areas"][0]["deviates"], true);
    assert_eq!(json["areas"][0]["count"], 15);
    assert_eq!(json["areas"][1]["class"], "average");
    assert!((json["referenceRatePer1000"].as_f64().unwrap() - 0.2).abs() < 1e-12);
    assert_eq!(json["areas"].as_array().unwrap().len(), 14);
    let bad = reqwest::Client::new()
        .get(app.url("/api/v1/deviations?level=planeet&base=koeien"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(
        bad.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let problem: serde_json::Value = bad.json().await.unwrap();
    let names: Vec<&str> = problem["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["level", "base"]);

    // Layers: farm-visit coverage and vacant buildings, per wijk, from recorded objects.
    let caller = |email: &'static str| async move {
        let user = app.store.user_by_email(email).await.unwrap().unwrap();
        baken_core::Caller::for_user_handling_signals(&user, "test")
    };
    let analist_caller = caller("analist@a.test").await;
    let farms = (1..=3)
        .map(|i| baken_store::NewFieldObject {
            name: format!("Boerderij {i}"),
            address: None,
            area_code: Some("BU00140000".into()),
        })
        .collect();
    app.store
        .add_field_objects(&analist_caller, "agrarisch-bedrijf", farms, NOW)
        .await
        .unwrap();
    let vacant = vec![baken_store::NewFieldObject {
        name: "Lege loods".into(),
        address: None,
        area_code: Some("WK001401".into()),
    }];
    app.store
        .add_field_objects(&analist_caller, "leegstaand-object", vacant, NOW)
        .await
        .unwrap();
    let farm = app
        .store
        .field_objects(&analist_caller, "agrarisch-bedrijf")
        .await
        .unwrap()[0]
        .id;
    let checklist = app
        .store
        .checklist(baken_core::field::VisitKind::Erfbezoek)
        .await
        .unwrap();
    let visit = baken_core::field::VisitInput {
        kind: Some("erfbezoek".into()),
        object: Some(farm.to_string()),
        visited_on: Some("2025-04-01".into()),
        ..Default::default()
    };
    app.store
        .create_visit(
            &caller("toezicht@a.test").await,
            baken_core::field::NewVisit::parse(&visit, &checklist, NOW.date()).unwrap(),
            NOW,
        )
        .await
        .unwrap();
    let (status, layers) = page(
        &analist,
        app.url("/kaart?level=wijk&coverage=true&vacant=true&year=2025"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(layers.contains(">1/3</text>"), "{layers}");
    assert!(layers.contains("Wijk 00 Binnenstad: 1 van 3 agrarische bedrijven bezocht in 2025"));
    assert!(layers.contains("Wijk 01 Schilders- en Zeeheldenwijk: 1 leegstaande objecten"));
    let (_, last_year) = page(
        &analist,
        app.url("/kaart?level=wijk&coverage=true&year=2024"),
    )
    .await;
    assert!(last_year.contains(">0/3</text>"));
    let (status, bad_year) = page(&analist, app.url("/kaart?coverage=true&year=vorig")).await;
    assert_eq!(status, 400);
    assert!(
        bad_year.contains("&#39;vorig&#39; is geen jaartal"),
        "{bad_year}"
    );

    // A lezer sees counts of the own organisation, small ones suppressed and hatched, no points.
    let lezer = app.login("lezer@a.test").await;
    let (status, map) = page(
        &lezer,
        app.url("/kaart?level=wijk&points=true&coverage=true&vacant=true&year=2025"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(map.contains("Wijk 00 Binnenstad: 15 signalen"));
    assert!(
        map.contains("Wijk 01 Schilders- en Zeeheldenwijk: &lt;5 signalen"),
        "{map}"
    );
    assert!(map.contains("url(#kaart-gearceerd)"));
    assert!(!map.contains("<circle"));
    assert!(map.contains("worden niet getoond"));
    let (_, deviations) = page(&lezer, app.url("/afwijkingen?level=wijk")).await;
    assert!(deviations.contains("het aantal is te klein om te tonen"));

    // A beheerder sees no content, and bad input is named in Dutch.
    let beheerder = app.login("beheer@a.test").await;
    assert_eq!(page(&beheerder, app.url("/kaart")).await.0, 403);
    let (status, bad) = page(&analist, app.url("/kaart?level=gemeente&measure=hoogte")).await;
    assert_eq!(status, 400);
    assert!(bad.contains("kies wijk, buurt, bedrijventerrein of buitengebied"));
    assert!(bad.contains("onbekende maat &#39;hoogte&#39;"), "{bad}");
}

async fn clusters_and_hot_spots_show_their_method_and_seed_within_what_the_caller_may_count(
    app: &TestApp,
) {
    let token = hot_spot(app).await;
    let analist = app.login("analist@a.test").await;
    let (status, map) = page(
        &analist,
        app.url("/kaart?level=wijk&theme=drugs&measure=clusters"),
    )
    .await;
    assert_eq!(status, 200, "{map}");
    // Each wijk a link on the map and one in its table.
    assert_eq!(map.matches("<a href=\"/gebieden/WK").count(), 2 * 14);
    assert!(
        map.contains("Clusters (lokale Moran&#39;s I) per wijk"),
        "{map}"
    );
    assert!(
        map.contains("hoog-hoog: cluster van hoge cijfers"),
        "the legend"
    );
    assert!(map.contains("Hoe Baken clusters en hotspots berekent"));
    assert!(map.contains("999 keer willekeurig"));
    assert!(map.contains("zaadgetal 20241212"), "{map}");
    // Thirteen: the fixture's Schilders- en Zeeheldenwijk has an invalid source geometry that
    // the import repairs, after which it shares no vertex with its neighbours (an island).
    assert!(map.contains("13 gebieden getoetst"), "{map}");
    assert!(map.contains("Wijk 01 Schilders- en Zeeheldenwijk: niet getoetst"));
    // The wijk with fifteen signals among wijken with one is never called low.
    let binnenstad = map
        .split("Wijk 00 Binnenstad: ")
        .nth(1)
        .expect("the Binnenstad's caption");
    assert!(!binnenstad.starts_with("laag"), "{binnenstad}");
    let (_, spots) = page(
        &analist,
        app.url("/kaart?level=wijk&theme=drugs&measure=hotspots"),
    )
    .await;
    assert!(spots.contains("Hotspots (Gi*) per wijk"), "{spots}");
    assert!(!spots.contains("Wijk 00 Binnenstad: coldspot"));

    // The deviation page lists the areas in a cluster or hot spot, with the method.
    let (status, deviations) = page(&analist, app.url("/afwijkingen?level=wijk&theme=drugs")).await;
    assert_eq!(status, 200);
    assert!(deviations.contains("<h2 id=\"clusters\">Clusters en hotspots</h2>"));
    assert!(deviations.contains("zaadgetal 20241212"));
    assert!(
        deviations.contains("/kaart?level=wijk&#38;theme=drugs&#38;measure=clusters"),
        "{deviations}"
    );

    // The API: the same figures every time, with the seed that reproduces them.
    let url = "/api/v1/deviations?level=wijk&theme=drugs";
    let json = app.get_json(&token, url).await;
    assert_eq!(json["seed"], 20_241_212);
    assert_eq!(json["permutations"], 999);
    let clusters = |j: &serde_json::Value| -> Vec<(String, String, String)> {
        j["areas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["code"].as_str().unwrap().to_string(),
                    a["cluster"].as_str().unwrap().to_string(),
                    a["hotspot"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let first = clusters(&json);
    assert_eq!(first.len(), 14);
    assert!(first.iter().all(|(_, c, h)| [
        "hoog-hoog",
        "laag-laag",
        "hoog-laag",
        "laag-hoog",
        "niet-significant",
        "niet-getoetst"
    ]
    .contains(&c.as_str())
        && ["hotspot", "coldspot", "niet-significant", "niet-getoetst"].contains(&h.as_str())));
    assert_eq!(clusters(&app.get_json(&token, url).await), first);

    // A lezer counts only what may be shown: the wijken with one signal are suppressed and
    // take no part, so nothing is tested (and nothing is revealed about them).
    let lezer = app.login("lezer@a.test").await;
    let (status, map) = page(
        &lezer,
        app.url("/kaart?level=wijk&theme=drugs&measure=clusters"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(map.contains("0 gebieden getoetst"), "{map}");
    assert!(
        map.contains("Wijk 01 Schilders- en Zeeheldenwijk: niet getoetst"),
        "{map}"
    );
}

const PARK: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"naam":"Binnenstad Park"},
  "geometry":{"type":"Polygon","coordinates":[[[6.56,53.21],[6.58,53.21],[6.58,53.23],[6.56,53.23],[6.56,53.21]]]}}]}"#;

async fn area_page_is_an_informatiebeeld_and_a_park_combines_partners_and_visits(app: &TestApp) {
    let park = baken_geo::read_areas(
        PARK,
        &baken_geo::ImportOptions {
            kind: AreaKind::Bedrijventerrein,
            year: 2025,
            id_property: None,
            name_property: None,
        },
    )
    .unwrap();
    app.store
        .upsert_areas(&Actor::cli(), &park.areas, NOW)
        .await
        .unwrap();
    hot_spot(app).await;
    // The police shares a drugs signal on the park; a toezichthouder records a schouw there.
    let police = app.token("analist@b.test").await;
    let mut s = signal_json("Busjes 's nachts bij loods", "drugs");
    s["areaCode"] = serde_json::Value::Null;
    s["sharing"] = "convenant".into();
    app.api_signal(&police, s).await;
    let toezicht = app.login("toezicht@a.test").await;
    let form = page(&toezicht, app.url("/veld/nieuw?kind=schouw")).await.1;
    let csrf = TestApp::csrf_of(&form);
    let fields: Vec<(String, String)> = vec![
        ("csrf".into(), csrf),
        ("kind".into(), "schouw".into()),
        ("location".into(), "Loods achter kavel 4".into()),
        ("areaCode".into(), "BT-binnenstad-park".into()),
        ("visitedOn".into(), "2025-05-20".into()),
    ];
    let saved = toezicht
        .post(app.url("/veld/nieuw"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());

    let analist = app.login("analist@a.test").await;
    let (status, area) = page(&analist, app.url("/gebieden/WK001400?theme=drugs")).await;
    assert_eq!(status, 200);
    assert!(area.contains("Informatiebeeld"));
    assert!(
        area.contains("<tr class=\"class-strongly-above selected\">"),
        "{area}"
    );
    assert!(area.contains("Signalen per maand, thema Drugs"));
    assert!(area.contains("2025-05"), "the month axis");
    assert!(area.contains("Aangrenzende gebieden"));
    let neighbours = area
        .split("Aangrenzende gebieden")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    assert!(
        neighbours.matches("href=\"/gebieden/WK00").count() >= 3,
        "{neighbours}"
    );
    assert!(!neighbours.contains("/gebieden/WK001400\""));
    assert!(area.contains("lopende signalen (thema Drugs)"));

    // The same picture in the API.
    let token = app.token("analist@a.test").await;
    let json = app
        .get_json(&token, "/api/v1/areas/WK001400?theme=drugs")
        .await;
    assert_eq!(json["area"]["code"], "WK001400");
    assert_eq!(json["theme"], "drugs");
    assert_eq!(json["base"], "inwoners");
    assert_eq!(json["aggregated"], false);
    let themes = json["themes"].as_array().unwrap();
    assert!(themes[0]["theme"].is_null(), "all themes first");
    let drugs = themes.iter().find(|t| t["theme"] == "drugs").unwrap();
    assert_eq!(drugs["class"], "strongly-above");
    // The fifteen of the municipality and the police's shared one on the park.
    assert_eq!(drugs["count"], 16);
    assert!(json["neighbours"].as_array().unwrap().len() >= 3);
    let months = json["months"].as_array().unwrap();
    assert_eq!(months.len(), 24);
    let may = months.iter().find(|m| m["key"] == "2025-05").unwrap();
    assert_eq!(may["value"], 16);
    for (path, status) in [
        ("/api/v1/areas/WK009999", 404),
        ("/api/v1/areas/geen-code!", 404),
        ("/api/v1/areas/WK001400?theme=onbekend", 400),
    ] {
        let r = app
            .browser()
            .get(app.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{path}");
    }

    let (status, park) = page(&analist, app.url("/gebieden/BT-binnenstad-park")).await;
    assert_eq!(status, 200);
    assert!(
        park.contains("Voor dit gebied is geen basis (inwoners) bekend"),
        "a park without a base is counted, not compared"
    );
    let who = park
        .split("Wie meldt hier")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    assert!(who.contains("<td>Gemeente A</td><td>15</td>"), "{who}");
    assert!(who.contains("<td>Politie B</td><td>1</td>"), "{who}");
    let visits = park
        .split("Bezoeken, schouwen en controles")
        .nth(1)
        .unwrap();
    assert!(visits.contains("Loods achter kavel 4"), "{visits}");
    // The police partner sees its own signal on the park, and the shared drugs signals.
    let partner = app.login("partner@b.test").await;
    let (_, park) = page(&partner, app.url("/gebieden/BT-binnenstad-park")).await;
    let who = park
        .split("Wie meldt hier")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    assert!(who.contains("<td>Politie B</td><td>1</td>"));
    assert!(
        !park.contains("Loods achter kavel 4"),
        "visits stay in their organisation"
    );
}
