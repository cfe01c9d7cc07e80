//! The Dutch web interface, through HTTP.

use crate::harness::{signal_json, TestApp, PASSWORD};
use baken_core::model::AreaKind;
use baken_core::signal::{PageRequest, SignalFilter};

baken_store::on_both_engines!(crate::harness::TestApp =>
    every_form_needs_its_csrf_token,
    registering_a_signal_validates_every_field,
    status_change_needs_a_reason_and_an_allowed_transition,
    partner_gets_404_and_no_trace_of_unshared_signals,
    lezer_sees_only_suppressed_counts,
    security_headers_on_every_page,
    area_pages_show_only_visible_signals,
    the_form_takes_subjects_and_relations,
    triage_shows_deadlines_overdue_and_assignment,
    the_beheerder_edits_the_catalogue,
    files_are_uploaded_checked_and_imported,
    a_mapping_is_chosen_from_the_files_own_columns_and_saved_per_source,
    partners_register_through_the_same_form,
);

/// The column mapping made in the browser (issue 17, pt 2): after a file is chosen, the page
/// shows its first rows and per field a choice of its own columns (guessed from the header);
/// the chosen mapping imports the kept file and is saved for its source, offered next time.
async fn a_mapping_is_chosen_from_the_files_own_columns_and_saved_per_source(app: &TestApp) {
    let browser = app.login("analist@a.test").await;
    let page = browser
        .get(app.url("/import"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = {
        let form = &page[page.find(r#"action="/import" enctype"#).unwrap()..];
        let start = form.find(r#"name="csrf" value=""#).unwrap() + r#"name="csrf" value=""#.len();
        form[start..start + 64].to_string()
    };
    let csv = "Meldingnummer;Onderwerp;Toelichting;Thema;Verdachte
BVH-1;Hennepgeur;Sterke lucht bij loods;drugs;Jan de Vries
BVH-2;Drugslab;Vaten achter schuur;drugs;Piet Bakker
";
    let first = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("bron", "politie-bvh")
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("bvh.csv"),
        )
        .text("mapping", "[columns]\ntitle = \"Onderwerp\"\n")
        .text("mode", "proef");
    let html = browser
        .post(app.url("/import"))
        .multipart(first)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Kolommen kiezen"), "{html}");
    assert!(
        html.contains("<td>Sterke lucht bij loods</td>"),
        "the first rows are shown: {html}"
    );
    assert!(
        html.contains(r#"<option value="Onderwerp" selected>Onderwerp</option>"#),
        "the mapping's column is chosen: {html}"
    );
    let chosen = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("kolommen", "ja")
        .text("mapping", "")
        .text("bron", "politie-bvh")
        .text("kolom-title", "Onderwerp")
        .text("kolom-description", "Toelichting")
        .text("kolom-themes", "Thema")
        .text("vast-source_kind", "partner")
        .text("vast-source_reliability", "B")
        .text("vast-information_credibility", "2")
        .text("sleutel", "Meldingnummer")
        .text("betrokkene-0-soort", "persoon")
        .text("betrokkene-0-rol", "eigenaar")
        .text("betrokkene-0-kolom-name", "Verdachte")
        .text("mode", "alles");
    let html = browser
        .post(app.url("/import"))
        .multipart(chosen)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("2 rijen gelezen, 2 signalen opgeslagen"),
        "{html}"
    );
    // Offered again for the source, with its key.
    let saved = browser
        .get(app.url("/import?bron=politie-bvh"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(saved.contains("title = &#34;Onderwerp&#34;"), "{saved}");
    assert!(saved.contains("key = &#34;Meldingnummer&#34;"), "{saved}");
    assert!(
        saved.contains("[[subjects]]"),
        "the subject chosen is kept: {saved}"
    );
    // Each signal names the person of its row.
    let token = app.token("analist@a.test").await;
    let found = app.get_json(&token, "/api/v1/signals?q=Drugslab").await;
    let id = found["items"][0]["id"].as_str().unwrap().to_string();
    let signal = app.get_json(&token, &format!("/api/v1/signals/{id}")).await;
    assert_eq!(signal["subjects"][0]["display"], "Piet Bakker", "{signal}");
    assert_eq!(signal["subjects"][0]["role"], "eigenaar");
    let other = app.login("analist@b.test").await;
    let theirs = other
        .get(app.url("/import?bron=politie-bvh"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !theirs.contains("key = &#34;Meldingnummer&#34;"),
        "another organisation's mapping is its own"
    );
}

fn valid_form(csrf: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_string()),
        ("title", "Hennepgeur bij loods".into()),
        ("description", "Sterke geur, ramen afgeplakt.".into()),
        ("sourceKind", "veldbezoek".into()),
        ("sourceReliability", "B".into()),
        ("informationCredibility", "2".into()),
        ("themes", "drugs".into()),
        ("themes", "bedrijventerreinen".into()),
        ("indicators", "hennepteelt".into()),
        ("areaCode", "WK001409".into()),
        ("latitude", "53,2312".into()),
        ("longitude", "6.6421".into()),
        ("classification", "intern".into()),
        ("sharing", "convenant".into()),
    ]
}

async fn signal_count(app: &TestApp, email: &str) -> u64 {
    let user = app.store.user_by_email(email).await.unwrap().unwrap();
    let caller = baken_core::Caller::for_user_handling_signals(&user, "test");
    app.store
        .list_signals(
            &caller,
            &SignalFilter::default(),
            PageRequest::default(),
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap()
        .total
        .count()
}

async fn every_form_needs_its_csrf_token(app: &TestApp) {
    let browser = app.login("analist@a.test").await;
    let mut form = valid_form("");
    let r = browser
        .post(app.url("/signalen/nieuw"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    form[0].1 = "0".repeat(64);
    let r = browser
        .post(app.url("/signalen/nieuw"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        signal_count(app, "analist@a.test").await,
        0,
        "nothing stored without a valid token"
    );
    let r = browser
        .post(app.url("/uitloggen"))
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A login form posted without its cookie is refused too.
    let fresh = app.browser();
    let r = fresh
        .post(app.url("/inloggen"))
        .form(&[
            ("csrf", "abc"),
            ("email", "analist@a.test"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

async fn registering_a_signal_validates_every_field(app: &TestApp) {
    let browser = app.login("analist@a.test").await;
    let csrf = app.session_csrf(&browser).await;
    let bad = vec![
        ("csrf", csrf.clone()),
        ("title", "Bewaard".to_string()),
        ("description", String::new()),
        ("sourceKind", "roddel".into()),
        ("sourceReliability", "B".into()),
        ("informationCredibility", "9".into()),
        ("areaCode", "WK0014".into()),
        ("receivedAt", "2099-01-01".into()),
        ("classification", "bibob".into()),
        ("latitude", "52.1".into()),
    ];
    let r = browser
        .post(app.url("/signalen/nieuw"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("class=\"error-summary\""),
        "error summary on top"
    );
    assert!(html.contains("zijn 8 fouten"), "{html}");
    for expected in [
        "Wat is er waargenomen?: beschrijf wat er is waargenomen",
        "Soort bron: onbekende bronsoort &#39;roddel&#39;",
        "Geloofwaardigheid van de informatie: onbekende geloofwaardigheid",
        "Gebiedscode (CBS-wijk of -buurt): moet beginnen met WK gevolgd door 6 cijfers",
        "Datum ontvangen: mag niet in de toekomst liggen",
        "kies minstens één thema",
        "alleen een Bibob-coördinator mag de classificatie Bibob gebruiken",
        "Lengtegraad: vul ook de lengtegraad in",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    assert!(
        html.contains("href=\"#description\""),
        "summary links to the field"
    );
    assert!(
        html.contains("value=\"Bewaard\""),
        "entered values are kept"
    );
    assert_eq!(signal_count(app, "analist@a.test").await, 0);

    let r = browser
        .post(app.url("/signalen/nieuw"))
        .form(&valid_form(&csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/signalen/"));
    let detail = browser
        .get(app.url(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "Hennepgeur bij loods",
        "Het signaal is opgeslagen.",
        "Bedrijventerreinen, Drugs",
        "WK001409",
        "Aanwijzingen voor hennepteelt",
        "Gemeente A",
        "Geregistreerd",
    ] {
        assert!(detail.contains(expected), "detail lacks {expected:?}");
    }
    let list = browser
        .get(app.url("/signalen?theme=drugs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Hennepgeur bij loods") && list.contains("1 signaal gevonden"));
    let bad_filter = browser
        .get(app.url("/signalen?status=open&pageSize=0"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_filter.status(), 400);
    assert!(bad_filter
        .text()
        .await
        .unwrap()
        .contains("onbekende status &#39;open&#39;"));
}

async fn status_change_needs_a_reason_and_an_allowed_transition(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let id = app.api_signal(&token, signal_json("Triage", "drugs")).await;
    let browser = app.login("analist@a.test").await;
    let csrf = app.session_csrf(&browser).await;
    let post = |status: &'static str, reason: &'static str| {
        browser
            .post(app.url(&format!("/signalen/{id}/status")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("status", status),
                ("reason", reason),
            ])
            .send()
    };
    let r = post("in-triage", " ").await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("geef een reden voor de statuswijziging"));
    let r = post("naar-casus", "te vroeg").await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("geen toegestane statuswijziging"));
    let r = post("in-triage", "Oppakken in overleg").await.unwrap();
    assert_eq!(r.status(), 303);
    let page = browser
        .get(app.url(&format!("/signalen/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("De status is gewijzigd.") || page.contains("In triage"));
    assert!(
        page.contains("Oppakken in overleg"),
        "history shows the reason"
    );
    // Partners cannot triage even a shared signal; the page offers no form.
    let partner = app.login("partner@b.test").await;
    let page = partner
        .get(app.url(&format!("/signalen/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Triage") && !page.contains("Status wijzigen"));
    let csrf = app.session_csrf(&partner).await;
    let r = partner
        .post(app.url(&format!("/signalen/{id}/status")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", "monitoren"),
            ("reason", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

async fn partner_gets_404_and_no_trace_of_unshared_signals(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let secret = app
        .api_signal(&token, signal_json("Vastgoed Zilverstraat", "vastgoed"))
        .await;
    let shared = app
        .api_signal(&token, signal_json("Drugs Koperstraat", "drugs"))
        .await;
    let partner = app.login("partner@b.test").await;
    let r = partner
        .get(app.url(&format!("/signalen/{secret}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let body = r.text().await.unwrap();
    assert!(!body.contains("Vastgoed Zilverstraat"));
    assert_eq!(
        partner
            .get(app.url(&format!("/signalen/{shared}")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    for path in [
        "/signalen",
        "/signalen?q=Zilverstraat",
        "/signalen?theme=vastgoed",
        "/overzicht",
    ] {
        let html = partner
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !html.contains("Vastgoed Zilverstraat"),
            "{path} reveals the title"
        );
    }
    let search = partner
        .get(app.url("/signalen?q=Zilverstraat"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(search.contains("0 signalen gevonden"));
    let overview = partner
        .get(app.url("/overzicht"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        overview.contains("Signalen die u mag zien: <strong>1</strong>"),
        "{overview}"
    );
    // The API answers the same 404 for the unshared signal as for one that never existed.
    let partner_token = app.token("partner@b.test").await;
    let client = reqwest::Client::new();
    let hidden = client
        .get(app.url(&format!("/api/v1/signals/{secret}")))
        .bearer_auth(&partner_token)
        .send()
        .await
        .unwrap();
    let missing = client
        .get(app.url("/api/v1/signals/0190b1c2-0000-7000-8000-000000000000"))
        .bearer_auth(&partner_token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (hidden.status().as_u16(), missing.status().as_u16()),
        (404, 404)
    );
    assert_eq!(hidden.text().await.unwrap(), missing.text().await.unwrap());
    let list: serde_json::Value = app
        .get_json(&partner_token, "/api/v1/signals?q=Zilverstraat")
        .await;
    assert_eq!(list["total"], 0);
    // Water board C has no agreement: sees neither.
    let c = app.login("partner@c.test").await;
    assert_eq!(
        c.get(app.url(&format!("/signalen/{shared}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

/// Registers `n` cybercrime signals as the analist, then opens the overview as the lezer.
async fn lezer_overview_after_cyber_signals(app: &TestApp, n: usize) -> (reqwest::Client, String) {
    let token = app.token("analist@a.test").await;
    for i in 0..n {
        app.api_signal(&token, signal_json(&format!("Cyber {i}"), "cybercrime"))
            .await;
    }
    let lezer = app.login("lezer@a.test").await;
    let html = lezer
        .get(app.url("/overzicht"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (lezer, html)
}

async fn lezer_sees_only_suppressed_counts(app: &TestApp) {
    let (lezer, html) = lezer_overview_after_cyber_signals(app, 3).await;
    assert!(html.contains("Aantallen onder de 5 worden getoond als &lt;5."));
    assert!(html.contains("<td class=\"num\">&#60;5</td>"), "{html}");
    assert!(
        !html.contains("href=\"/signalen"),
        "no links to individual signals"
    );
    let r = lezer
        .get(app.url("/signalen"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(r.contains("0 signalen gevonden"));
    // … and is told why, and where the counts are.
    assert!(r.contains("Uw rol ziet geen afzonderlijke signalen"), "{r}");
}

async fn security_headers_on_every_page(app: &TestApp) {
    let browser = app.browser();
    for path in [
        "/inloggen",
        "/overzicht",
        "/api/v1/openapi.json",
        "/api/v1/signals",
    ] {
        let r = browser.get(app.url(path)).send().await.unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["referrer-policy"], "no-referrer");
    }
    let html = browser
        .get(app.url("/inloggen"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("<script"),
        "the interface works without JavaScript"
    );
    assert!(!html.contains("style=\""), "no inline styles under the CSP");
}

async fn area_pages_show_only_visible_signals(app: &TestApp) {
    for (file, kind) in [
        ("groningen-wijken-2014.geojson", AreaKind::Wijk),
        ("groningen-buurten-2014.geojson", AreaKind::Buurt),
    ] {
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
            .upsert_areas(
                &baken_store::Actor::cli(),
                &outcome.areas,
                time::OffsetDateTime::now_utc(),
            )
            .await
            .unwrap();
    }
    let token = app.token("analist@a.test").await;
    let mut shared = signal_json("Drugs bij de Martinikerk", "drugs");
    shared["areaCode"] = serde_json::Value::Null;
    let mut secret = signal_json("Vastgoed bij de Martinikerk", "vastgoed");
    secret["areaCode"] = serde_json::Value::Null;
    let shared_id = app.api_signal(&token, shared).await;
    app.api_signal(&token, secret).await;

    // Placed by its coordinates alone, the signal shows its buurt and wijk on its page, in the
    // list and in the API, and a filter on the wijk finds it.
    let api: serde_json::Value = app
        .get_json(&token, &format!("/api/v1/signals/{shared_id}"))
        .await;
    let areas: Vec<(&str, &str)> = api["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["kind"].as_str().unwrap(), a["code"].as_str().unwrap()))
        .collect();
    assert_eq!(areas.first().map(|a| a.0), Some("buurt"), "{areas:?}");
    assert!(areas.contains(&("wijk", "WK001400")), "{areas:?}");
    assert!(areas.contains(&("gemeente", "GM0014")), "{areas:?}");
    let buurt = areas[0].1.to_string();
    let analist = app.login("analist@a.test").await;
    let detail = analist
        .get(app.url(&format!("/signalen/{shared_id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        detail.contains(&format!("href=\"/gebieden/{buurt}\""))
            && detail.contains("Wijk 00 Binnenstad (WK001400)"),
        "{detail}"
    );
    let listed = analist
        .get(app.url("/signalen?areaCode=WK001400"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        listed.contains("Drugs bij de Martinikerk")
            && listed.contains("Wijk 00 Binnenstad (WK001400)"),
        "{listed}"
    );

    let partner = app.login("partner@b.test").await;
    let list = partner
        .get(app.url("/gebieden"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Wijk 00 Binnenstad") && list.contains("href=\"/gebieden/WK001400\""));
    let page = partner
        .get(app.url("/gebieden/WK001400"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Drugs bij de Martinikerk"));
    assert!(!page.contains("Vastgoed bij de Martinikerk"));
    assert!(page.contains("1 lopende signalen"));
    assert!(
        page.contains("href=\"/gebieden/BU00140000\""),
        "buurten of the wijk are listed"
    );
    let analist = app.login("analist@a.test").await;
    let page = analist
        .get(app.url("/gebieden/WK001400"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("2 lopende signalen"),
        "located by coordinates alone"
    );
    assert_eq!(
        analist
            .get(app.url("/gebieden/WK999999"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        analist
            .get(app.url("/gebieden/onzin"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

async fn the_form_takes_subjects_and_relations(app: &TestApp) {
    let browser = app.login("analist@a.test").await;
    let csrf = app.session_csrf(&browser).await;
    let blank = browser
        .get(app.url("/signalen/nieuw"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        blank.contains("Betrokkene 2") && !blank.contains("Betrokkene 3"),
        "two blocks to start"
    );
    // Enter in a field presses the form's first submit button: it saves.
    let first_button = blank
        .split(r#"action="/signalen/nieuw""#)
        .nth(1)
        .unwrap_or_default()
        .split("<button")
        .nth(1)
        .and_then(|b| b.split('>').next())
        .unwrap_or_default()
        .to_string();
    assert!(
        first_button.contains(r#"type="submit""#) && first_button.contains(r#"value="opslaan""#),
        "{first_button}"
    );
    let mut form = valid_form(&csrf);
    form.push(("subjectBlocks", "2".into()));
    form.push(("subjects[0].kind", "persoon".into()));
    form.push(("subjects[0].role", "chauffeur".into()));
    form.push(("subjects[0].name", "Piet  Pietersen".into()));
    form.push(("subjects[1].kind", "voertuig".into()));
    form.push(("subjects[1].plate", "12abc3".into()));
    form.push(("relations[0].from", "1".into()));
    form.push(("relations[0].kind", "gebruikt-voertuig".into()));
    form.push(("relations[0].to", "2".into()));

    let mut more = form.clone();
    more.push(("action", "meer-betrokkenen".into()));
    let page = browser
        .post(app.url("/signalen/nieuw"))
        .form(&more)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Betrokkene 4") && html.contains("value=\"Piet  Pietersen\""),
        "more blocks, values kept"
    );
    assert_eq!(
        signal_count(app, "analist@a.test").await,
        0,
        "adding blocks saves nothing"
    );

    let mut wrong = form.clone();
    wrong.retain(|(k, _)| *k != "subjects[1].plate");
    wrong.push(("subjects[1].plate", "ABC123".into()));
    let r = browser
        .post(app.url("/signalen/nieuw"))
        .form(&wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Betrokkene 2, Kenteken: is geen Nederlands kenteken"),
        "{html}"
    );

    let r = browser
        .post(app.url("/signalen/nieuw"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let detail = browser
        .get(app.url(r.headers()["location"].to_str().unwrap()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "Piet Pietersen",
        "Piet  Pietersen",
        "Chauffeur",
        "12-ABC-3",
        "Betrokkene 1 gebruikt voertuig betrokkene 2",
    ] {
        assert!(detail.contains(expected), "detail lacks {expected:?}");
    }
}

async fn triage_shows_deadlines_overdue_and_assignment(app: &TestApp) {
    // The app's clock says 2025-06-02; a drugs signal received 2025-05-20 was due 2025-05-27.
    let token = app.token("analist@a.test").await;
    let id = app
        .api_signal(&token, signal_json("Te laat opgepakt", "drugs"))
        .await;
    let browser = app.login("analist@a.test").await;
    let overdue = browser
        .get(app.url("/signalen?overdue=true"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        overdue.contains("Te laat opgepakt")
            && overdue.contains("27-05-2025")
            && overdue.contains("te laat"),
        "{overdue}"
    );
    let page = browser
        .get(app.url(&format!("/signalen/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Beoordelen vóór") && page.contains("niemand"));
    let analist = app
        .store
        .user_by_email("analist@a.test")
        .await
        .unwrap()
        .unwrap();
    assert!(
        page.contains(&format!("value=\"{}\"", analist.id)),
        "the analyst can be chosen"
    );
    assert!(
        !page.contains("Openbaar meldformulier"),
        "technical accounts are not offered"
    );
    let csrf = app.session_csrf(&browser).await;
    let r = browser
        .post(app.url(&format!("/signalen/{id}/toewijzing")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("assignee", &analist.id.to_string()),
            ("team", "Team Drugs"),
            ("reason", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("geef een reden voor de toewijzing"));
    let r = browser
        .post(app.url(&format!("/signalen/{id}/toewijzing")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("assignee", &analist.id.to_string()),
            ("team", "Team Drugs"),
            ("reason", "Spoed"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let mine = browser
        .get(app.url("/signalen?assignedToMe=true"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mine.contains("Te laat opgepakt") && mine.contains("1 signaal gevonden"));
    let detail: serde_json::Value = app.get_json(&token, &format!("/api/v1/signals/{id}")).await;
    assert_eq!(detail["deadline"], "2025-05-27");
    assert_eq!(detail["assignee"]["name"], "analist");
    assert_eq!(detail["assignedTeam"], "Team Drugs");
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/signals/{id}/assignments")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"team": "Team Vastgoed", "reason": "Overgedragen"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let after: serde_json::Value = r.json().await.unwrap();
    assert_eq!(after["assignee"], serde_json::Value::Null);
    assert_eq!(
        after["history"].as_array().unwrap().last().unwrap()["reason"],
        "Toegewezen aan Team Vastgoed: Overgedragen"
    );
}

async fn the_beheerder_edits_the_catalogue(app: &TestApp) {
    let analist = app.login("analist@a.test").await;
    assert_eq!(
        analist
            .get(app.url("/beheer/catalogus"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let beheer = app.login("beheer@a.test").await;
    let page = beheer
        .get(app.url("/beheer/catalogus"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Mensenhandel en arbeidsuitbuiting") && page.contains("hennepteelt"));
    let csrf = app.session_csrf(&beheer).await;
    let post = |path: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let mut form = vec![("csrf", csrf.clone())];
        form.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
        beheer.post(app.url(path)).form(&form).send()
    };
    let r = post(
        "/beheer/catalogus/thema",
        vec![
            ("code", "drugs"),
            ("name", "Drugs en drugsafval"),
            ("deadlineWorkingDays", "3"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 303);
    let r = post(
        "/beheer/catalogus/indicator",
        vec![
            ("theme", "drugs"),
            ("code", "cash-koerier"),
            ("name", "Geldkoerier gezien"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 303);
    let r = post(
        "/beheer/catalogus/thema",
        vec![
            ("code", "Wapen Handel"),
            ("name", ""),
            ("deadlineWorkingDays", "nul"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("kleine letters, cijfers en streepjes")
            && html.contains("vul een naam in")
            && html.contains("werkdagen van 1 tot 250")
    );
    let r = post(
        "/beheer/catalogus/indicator",
        vec![
            ("theme", "cybercrime"),
            ("code", "hennepteelt"),
            ("name", "Dubbel"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("hoort al bij thema &#39;drugs&#39;"));

    // New signals use the new deadline and may carry the new indicator.
    let token = app.token("analist@a.test").await;
    let mut body = signal_json("Koerier", "drugs");
    body["indicators"] = serde_json::json!(["cash-koerier"]);
    let id = app.api_signal(&token, body).await;
    let detail: serde_json::Value = app.get_json(&token, &format!("/api/v1/signals/{id}")).await;
    assert_eq!(
        detail["deadline"], "2025-05-23",
        "3 working days after Tuesday 20 May"
    );
    assert_eq!(detail["indicators"], serde_json::json!(["cash-koerier"]));
    let events = app.store.audit_events(0, 100_000).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.action == "catalogue.change")
            .count(),
        2
    );
}

async fn files_are_uploaded_checked_and_imported(app: &TestApp) {
    let browser = app.login("analist@a.test").await;
    let page = browser
        .get(app.url("/import"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The token travels in the form, never in the URL.
    assert!(!page.contains("csrf="), "no token in a URL");
    let csrf = {
        let form = &page[page.find(r#"action="/import""#).unwrap()..];
        let start = form.find(r#"name="csrf" value=""#).unwrap() + r#"name="csrf" value=""#.len();
        form[start..start + 64].to_string()
    };
    let mapping = "[columns]\ntitle = \"Titel\"\ndescription = \"Omschrijving\"\nthemes = \"Thema\"\n[defaults]\nsource_kind = \"partner\"\nsource_reliability = \"B\"\ninformation_credibility = \"2\"\nreceived_at = \"2025-05-01\"\n";
    let send = |csv: &'static str, mode: &'static str, token: String| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", token)
            .part(
                "file",
                reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("meldingen.csv"),
            )
            .text("mapping", mapping)
            .text("mode", mode);
        browser.post(app.url("/import")).multipart(form).send()
    };
    let good =
        "Titel;Omschrijving;Thema\nUpload een;Eerste rij;drugs\nUpload twee;Tweede rij;vastgoed\n";
    let bad = "Titel;Omschrijving;Thema\nUpload drie;Derde rij;drugs\nUpload vier;;drugs\n";
    let r = send(good, "proef", csrf.clone()).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Proefrun: 2 rijen gelezen, 2 goed, 0 met fouten"));
    // The dry run's file is kept: the page names it and an empty file field reuses it.
    let page = browser
        .get(app.url("/import"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Bewaard van de proefrun: meldingen.csv."),
        "{page}"
    );
    let again = send("", "proef", csrf.clone()).await.unwrap();
    assert!(again
        .text()
        .await
        .unwrap()
        .contains("Proefrun: 2 rijen gelezen, 2 goed, 0 met fouten"));
    let r = send(bad, "alles", csrf.clone()).await.unwrap();
    assert_eq!(r.status(), 400);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<td>3</td><td>Omschrijving</td><td>beschrijf wat er is waargenomen</td>"),
        "{html}"
    );
    assert!(html.contains("Er is niets opgeslagen (alles of niets)"));
    let r = send(good, "alles", csrf.clone()).await.unwrap();
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("2 rijen gelezen, 2 signalen opgeslagen"));
    // What was stored is let go: nothing is kept for an empty file field any more.
    let none = send("", "proef", csrf.clone()).await.unwrap();
    assert!(none.text().await.unwrap().contains("Kies een bestand."));
    let list = browser
        .get(app.url("/signalen?q=upload"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("2 signalen gevonden"),
        "only the clean file was stored"
    );
    // The same file again: every row is named as imported before, and nothing doubles.
    let r = send(good, "alles", csrf.clone()).await.unwrap();
    let html = r.text().await.unwrap();
    assert!(
        html.contains("2 rijen waren al eerder ingelezen en overgeslagen.")
            && html.contains("rij 2: een rij met precies deze inhoud is al eerder ingelezen"),
        "{html}"
    );
    let list = browser
        .get(app.url("/signalen?q=upload"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("2 signalen gevonden"), "not stored twice");
    let r = send(good, "alles", "verkeerd".into()).await.unwrap();
    assert_eq!(r.status(), 403);
    let r = send("PK\u{3}\u{4} geen werkmap", "proef", csrf.clone())
        .await
        .unwrap();
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("meldingen.csv: het bestand is geen geldig XLSX-bestand"));
    let events = app.store.audit_events(0, 100_000).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.action == "signal.import")
            .count(),
        1
    );
}

async fn partners_register_through_the_same_form(app: &TestApp) {
    let partner = app.login("partner@b.test").await;
    let csrf = app.session_csrf(&partner).await;
    let r = partner
        .post(app.url("/signalen/nieuw"))
        .form(&valid_form(&csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let detail = partner
        .get(app.url(r.headers()["location"].to_str().unwrap()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        detail.contains("<dt>Eigenaar</dt><dd>Politie B</dd>"),
        "owned by the partner's organisation"
    );
    // The municipality sees it only because the drugs theme is shared (the form picks drugs and
    // bedrijventerreinen; bedrijventerreinen is not shared, so the municipality does not).
    let analist = app.login("analist@a.test").await;
    let list = analist
        .get(app.url("/signalen?q=Hennepgeur"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("0 signalen gevonden"), "{list}");
}

/// The configuration file reaches the pages through the same `App::build` as `baken serve`:
/// a suppression threshold of 10 hides a count of 7 from a lezer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configured_suppression_threshold_reaches_the_overview() {
    use baken_store::testing::{TestDatabase, TestEngine};
    let file = baken::config::parse_file("suppression_threshold = 10").unwrap();
    let db = TestDatabase::fresh(TestEngine::Sqlite).await.unwrap();
    let app = TestApp::start_with(db, file).await;
    let (_, html) = lezer_overview_after_cyber_signals(&app, 7).await;
    assert!(
        html.contains("Aantallen onder de 10 worden getoond als &lt;10."),
        "{html}"
    );
    assert!(html.contains("<td class=\"num\">&#60;10</td>"), "{html}");
    assert!(!html.contains("<td class=\"num\">7</td>"), "{html}");
}
