//! The JSON API `/api/v1`, through HTTP.

use crate::harness::{signal_json, TestApp};
use serde_json::{json, Value};

baken_store::on_both_engines!(crate::harness::TestApp =>
    api_registers_lists_reads_and_changes_signals,
    api_errors_are_problem_details,
    api_needs_a_valid_token,
    openapi_document_is_public_and_complete,
    api_signals_carry_subjects_and_relations,
    suggestions_come_only_from_visible_signals,
    the_catalogue_areas_visits_and_counts_are_in_the_api,
);

/// What the pages show of the catalogue, the areas, field visits and counts is in the API
/// too (issue 17, pt 5): camelCase, ISO dates, suppressed for lezers, errors naming the
/// parameter.
async fn the_catalogue_areas_visits_and_counts_are_in_the_api(app: &TestApp) {
    crate::picture::import_cbs(
        app,
        "groningen-wijken-2014.geojson",
        baken_core::model::AreaKind::Wijk,
    )
    .await;
    let analist = app.token("analist@a.test").await;
    let lezer = app.token("lezer@a.test").await;
    let catalogue = app.get_json(&analist, "/api/v1/catalogue").await;
    let drugs = catalogue["themes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "drugs")
        .unwrap();
    assert!(!drugs["indicators"].as_array().unwrap().is_empty());
    let areas = app.get_json(&analist, "/api/v1/areas?kind=wijk").await;
    assert_eq!(areas["items"].as_array().unwrap().len(), 14, "{areas}");
    assert_eq!(areas["items"][0]["kind"], "wijk");
    for _ in 0..3 {
        app.api_signal(&analist, signal_json("Geteld", "drugs"))
            .await;
    }
    let counts = app
        .get_json(&analist, "/api/v1/counts?per=month&theme=drugs")
        .await;
    assert_eq!(counts["aggregated"], false, "{counts}");
    assert_eq!(counts["total"]["value"], 3, "{counts}");
    assert_eq!(counts["groups"][0]["key"], "2025-05", "{counts}");
    let suppressed = app
        .get_json(&lezer, "/api/v1/counts?per=month&theme=drugs")
        .await;
    assert_eq!(suppressed["aggregated"], true, "{suppressed}");
    assert_eq!(suppressed["total"]["value"], Value::Null, "{suppressed}");
    assert_eq!(suppressed["total"]["shown"], "<5", "{suppressed}");
    for (path, parameter) in [
        ("/api/v1/counts?per=week", "per"),
        ("/api/v1/areas?kind=dorp", "kind"),
        ("/api/v1/visits?kind=bezoekje", "kind"),
        ("/api/v1/visits?pageSize=0", "pageSize"),
        ("/api/v1/cases?cursor=p12", "cursor"),
    ] {
        let r = reqwest::Client::new()
            .get(app.url(path))
            .bearer_auth(&analist)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{path}");
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem["invalidParams"][0]["name"], parameter, "{problem}");
    }
    let visits = app
        .get_json(&analist, "/api/v1/visits?kind=erfbezoek")
        .await;
    assert!(visits["items"].is_array(), "{visits}");

    // A person's dossier: the purpose first, logged with the read; invisible is not found.
    let mut body = signal_json("Persoon in dossier", "vastgoed");
    body["subjects"] = json!([
        {"kind": "persoon", "role": "bewoner", "name": "Karel Hendriks", "birthDate": "1971-03-04"}
    ]);
    let id = app.api_signal(&analist, body).await;
    let signal = app
        .get_json(&analist, &format!("/api/v1/signals/{id}"))
        .await;
    let subject = signal["subjects"][0]["id"].as_str().unwrap().to_string();
    let asked = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/dossiers/{subject}")))
        .bearer_auth(&analist)
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 400);
    let problem: Value = asked.json().await.unwrap();
    assert_eq!(problem["invalidParams"][0]["name"], "reason", "{problem}");
    let dossier = app
        .get_json(
            &analist,
            &format!("/api/v1/dossiers/{subject}?reason=Voorbereiding%20casustafel%20week%2012"),
        )
        .await;
    assert_eq!(dossier["kind"], "persoon", "{dossier}");
    assert_eq!(dossier["subjects"][0]["details"]["birthDate"], "1971-03-04");
    assert!(dossier["signals"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == id.as_str()));
    let logged = app
        .store
        .audit_events(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .any(|e| e.purpose.contains("Voorbereiding casustafel week 12"));
    assert!(logged, "the purpose is logged with the read");
    let other = app.token("analist@b.test").await;
    let hidden = reqwest::Client::new()
        .get(app.url(&format!(
            "/api/v1/dossiers/{subject}?reason=Voorbereiding%20casustafel"
        )))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), 404);
}

async fn api_registers_lists_reads_and_changes_signals(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let client = reqwest::Client::new();
    let r = client
        .post(app.url("/api/v1/signals"))
        .bearer_auth(&token)
        .json(&signal_json("Via API", "drugs"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["api-version"], "1.0.0");
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let created: Value = r.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/v1/signals/{}", created["id"].as_str().unwrap())
    );
    assert_eq!(
        created["receivedAt"], "2025-05-20T08:00:00Z",
        "any offset in, UTC out"
    );
    assert_eq!(created["status"], "nieuw");
    assert_eq!(created["ownerOrganisation"]["name"], "Gemeente A");
    assert_eq!(created["classification"], "intern");
    assert_eq!(created["retentionUntil"], "2030-05-20");
    assert_eq!(created["latitude"], 53.21927);
    assert_eq!(created["longitude"], 6.568567);

    for i in 0..4 {
        app.api_signal(&token, signal_json(&format!("Cyber {i}"), "cybercrime"))
            .await;
    }
    let query =
        "/api/v1/signals?theme=cybercrime&pageSize=3&areaCode=WK001400&receivedFrom=2025-05-01";
    let first: Value = app.get_json(&token, query).await;
    assert_eq!(
        (
            first["total"].as_u64(),
            first["totalIsLowerBound"].as_bool()
        ),
        (Some(4), Some(false))
    );
    assert_eq!(first["items"].as_array().unwrap().len(), 3);
    assert_eq!(first["previousCursor"], Value::Null);
    let next = first["nextCursor"].as_str().unwrap();
    let second: Value = app
        .get_json(&token, &format!("{query}&cursor={next}"))
        .await;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["nextCursor"], Value::Null);
    let back = second["previousCursor"].as_str().unwrap();
    let again: Value = app
        .get_json(&token, &format!("{query}&cursor={back}"))
        .await;
    assert_eq!(again["items"], first["items"]);
    // Page numbers are refused by name, not ignored.
    let numbered = client
        .get(app.url(&format!("{query}&page=2")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(numbered.status(), 400);
    let problem: Value = numbered.json().await.unwrap();
    assert!(problem.to_string().contains("\"page\""), "{problem}");

    let changed = client
        .post(app.url(&format!("{location}/status-changes")))
        .bearer_auth(&token)
        .json(&json!({"status": "in-triage", "reason": "Oppakken"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 201);
    let detail: Value = client
        .get(app.url(&location))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["status"], "in-triage");
    assert_eq!(detail["history"].as_array().unwrap().len(), 2);
    assert_eq!(detail["history"][1]["reason"], "Oppakken");
    assert!(detail["allowedNextStatuses"]
        .as_array()
        .unwrap()
        .contains(&json!("naar-casus")));
    let refused = client
        .post(app.url(&format!("{location}/status-changes")))
        .bearer_auth(&token)
        .json(&json!({"status": "nieuw", "reason": "terug"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["invalidParams"][0]["name"], "status");
}

async fn api_errors_are_problem_details(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let client = reqwest::Client::new();
    let r = client
        .post(app.url("/api/v1/signals"))
        .bearer_auth(&token)
        .json(&json!({"title": "", "sourceKind": "roddel", "themes": ["voetbal"], "areaCode": "XX12", "classification": "geheim"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["status"], 400);
    let names: Vec<&str> = p["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    for field in [
        "title",
        "description",
        "sourceKind",
        "sourceReliability",
        "informationCredibility",
        "themes",
        "areaCode",
        "classification",
    ] {
        assert!(names.contains(&field), "{field} not listed in {names:?}");
    }
    let malformed = client
        .post(app.url("/api/v1/signals"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"title\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    let p: Value = malformed.json().await.unwrap();
    assert_eq!(p["invalidParams"][0]["name"], "body");
    let bad_query = client
        .get(app.url("/api/v1/signals?status=open&receivedFrom=gisteren&pageSize=500"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(bad_query.status(), 400);
    let p: Value = bad_query.json().await.unwrap();
    assert_eq!(p["invalidParams"].as_array().unwrap().len(), 3);
    // A body must be an object: an array of a signal's fields in order is not guessed at.
    let array = client
        .post(app.url("/api/v1/signals"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(r#"["Titel", "Omschrijving"]"#)
        .send()
        .await
        .unwrap();
    assert_eq!(array.status(), 400);
    let p: Value = array.json().await.unwrap();
    assert_eq!(
        p["invalidParams"][0]["reason"],
        "de inhoud moet een JSON-object zijn ({ … })"
    );
    // A parameter given twice is a problem too, not a plain-text answer (found by schemathesis).
    let twice = client
        .get(app.url("/api/v1/signals?theme=drugs&theme=drugs"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(twice.status(), 400);
    assert_eq!(twice.headers()["content-type"], "application/problem+json");
    let p: Value = twice.json().await.unwrap();
    assert_eq!(p["detail"], "parameter 'theme' is meer dan eens gegeven");
    // An IBAN with characters of more than one byte is refused, not a crash (schemathesis).
    let mut iban = signal_json("IBAN", "drugs");
    iban["subjects"] =
        json!([{"kind": "iban", "role": "betrokkene", "value": "0\u{80}000000000000000"}]);
    let r = client
        .post(app.url("/api/v1/signals"))
        .bearer_auth(&token)
        .json(&iban)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let nothing: Value = app.get_json(&token, "/api/v1/signals").await;
    assert_eq!(nothing["total"], 0, "refused requests stored nothing");
    let unknown = client
        .get(app.url("/api/v1/signals/niet-een-id"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        unknown.headers()["content-type"],
        "application/problem+json"
    );
    let no_route = client
        .get(app.url("/api/v1/onbekend"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(no_route.status(), 404);
    // Roles that may not register get 403.
    let lezer = app.token("lezer@a.test").await;
    let r = client
        .post(app.url("/api/v1/signals"))
        .bearer_auth(&lezer)
        .json(&signal_json("x", "drugs"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

async fn api_needs_a_valid_token(app: &TestApp) {
    let client = reqwest::Client::new();
    let none = client.get(app.url("/api/v1/signals")).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert_eq!(none.headers()["www-authenticate"], "Bearer");
    assert_eq!(none.headers()["content-type"], "application/problem+json");
    let wrong = client
        .get(app.url("/api/v1/signals"))
        .bearer_auth("bkn_niet-geldig")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    // Tokens are stored only as hashes.
    let token = app.token("partner@b.test").await;
    let ok = client
        .get(app.url("/api/v1/signals"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    if app.database_url.is_none() {
        let db = app.dir().join("baken.db");
        let bytes = std::fs::read(&db).unwrap();
        let wal = std::fs::read(app.dir().join("baken.db-wal")).unwrap_or_default();
        let needle = token.as_bytes();
        let contains = |hay: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        assert!(
            !contains(&bytes) && !contains(&wal),
            "token stored in clear"
        );
    }
}

async fn openapi_document_is_public_and_complete(app: &TestApp) {
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert_eq!(r.headers()["api-version"], "1.0.0");
    let doc: Value = r.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/signals",
        "/api/v1/signals/{id}",
        "/api/v1/signals/{id}/status-changes",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["paths"]["/api/v1/signals"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "receivedFrom"));
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    // Every error is documented as problem+json, and every route that needs a token says
    // what happens without one; every operation has its own id (clients are generated
    // from them).
    let mut operation_ids = std::collections::HashSet::new();
    for (path, methods) in doc["paths"].as_object().unwrap() {
        for (method, op) in methods.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default().to_string();
            assert!(
                operation_ids.insert(id.clone()),
                "operationId {id} twice ({method} {path})"
            );
            let responses = op["responses"].as_object().unwrap();
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    let content = response["content"].as_object().unwrap();
                    assert_eq!(
                        content.keys().collect::<Vec<_>>(),
                        vec!["application/problem+json"],
                        "{method} {path} {status}"
                    );
                }
            }
            if op.get("security").is_some() {
                assert!(
                    responses.contains_key("401"),
                    "{method} {path} documents no 401"
                );
            }
        }
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["info"]["contact"].is_object());
    // A new signal's required fields are declared.
    let required: Vec<&str> = doc["components"]["schemas"]["SignalInput"]["required"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", doc["components"]["schemas"]["SignalInput"]))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for field in [
        "title",
        "description",
        "sourceKind",
        "sourceReliability",
        "informationCredibility",
        "themes",
    ] {
        assert!(
            required.contains(&field),
            "{field} not required: {required:?}"
        );
    }
    // Coded fields declare what they allow.
    let schemas = &doc["components"]["schemas"];
    let allowed = |component: &str, property: &str| -> Vec<String> {
        schemas[component]["properties"][property]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{component}.{property} declares no enum"))
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    assert!(allowed("SignalInput", "sourceKind").contains(&"partner".to_string()));
    assert_eq!(
        allowed("SignalInput", "sourceReliability"),
        ["A", "B", "C", "D", "E", "F"]
    );
    // Required: only the values; optional: also empty (not given).
    assert_eq!(
        allowed("SignalInput", "classification"),
        ["openbaar", "intern", "vertrouwelijk", "bibob", ""]
    );
    // Theme codes are the installation's catalogue.
    let themes = &schemas["SignalInput"]["properties"]["themes"];
    assert_eq!(themes["minItems"], 1);
    assert!(themes["items"]["enum"]
        .as_array()
        .unwrap()
        .contains(&Value::from("drugs")));
    assert!(allowed("SignalResponse", "status").contains(&"nieuw".to_string()));
    assert!(allowed("StatusChangeRequest", "status").contains(&"in-triage".to_string()));
    assert!(allowed("SubjectInput", "kind").contains(&"persoon".to_string()));
    assert!(allowed("RelationInput", "kind").contains(&"woont-op".to_string()));
}

async fn api_signals_carry_subjects_and_relations(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let client = reqwest::Client::new();
    let mut body = signal_json("Witwassen via BV", "vastgoed");
    body["subjects"] = json!([
        {"kind": "organisatie", "role": "eigenaar", "name": "Vastgoed Noord B.V.", "kvkNumber": "1234 5678"},
        {"kind": "iban", "role": "betrokkene", "value": "nl91 abna 0417 1643 00"},
        {"kind": "telefoon", "role": "betrokkene", "value": "06-12345678"},
        {"kind": "e-mail", "role": "betrokkene", "value": "Info@Vastgoednoord.NL"},
        {"kind": "adres", "role": "locatie", "bagId": "0014010011064644"},
        {"kind": "persoon", "role": "bestuurder", "name": "Jan de Vries", "birthDate": "02-04-1985"}
    ]);
    body["relations"] = json!([{"from": 0, "to": 4, "kind": "eigenaar-van"}]);
    let id = app.api_signal(&token, body).await;
    let d: Value = app.get_json(&token, &format!("/api/v1/signals/{id}")).await;
    let normalised: Vec<&str> = d["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["normalised"].as_str().unwrap())
        .collect();
    assert_eq!(
        normalised,
        vec![
            "KVK 12345678",
            "NL91ABNA0417164300",
            "+31612345678",
            "info@vastgoednoord.nl",
            "BAG 0014010011064644",
            "JAN DE VRIES 1985-04-02"
        ]
    );
    // Birth dates are ISO 8601 strings, not serde's [year, day of the year].
    assert_eq!(d["subjects"][5]["details"]["birthDate"], "1985-04-02");
    assert_eq!(
        d["subjects"][0]["original"],
        "Vastgoed Noord B.V. 1234 5678"
    );
    assert_eq!(
        d["subjects"][0]["display"],
        "Vastgoed Noord B.V., KvK 12345678"
    );
    assert_eq!(d["subjects"][0]["details"]["type"], "organisation");
    assert_eq!(d["relations"][0]["kind"], "eigenaar-van");
    assert_eq!(d["relations"][0]["from"], d["subjects"][0]["id"]);
    assert_eq!(d["relations"][0]["to"], d["subjects"][4]["id"]);

    let mut bad = signal_json("Fout", "vastgoed");
    bad["subjects"] = json!([
        {"kind": "persoon", "name": "A"},
        {"kind": "iban", "value": "NL91ABNA0417164301"},
        {"kind": "adres", "bagId": "0014100011064644"}
    ]);
    bad["relations"] = json!([{"from": 0, "to": 7, "kind": "eigenaar-van"}]);
    let r = client
        .post(app.url("/api/v1/signals"))
        .bearer_auth(&token)
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let p: Value = r.json().await.unwrap();
    let names: Vec<&str> = p["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["subjects[1].value", "subjects[2].bagId", "relations[0].to"]
    );
    let list: Value = app.get_json(&token, "/api/v1/signals?q=Fout").await;
    assert_eq!(list["total"], 0, "nothing half-written");
}

async fn suggestions_come_only_from_visible_signals(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let mut drugs = signal_json("Drugs", "drugs");
    drugs["subjects"] = json!([{"kind": "persoon", "name": "Pieter Pietersen"}]);
    app.api_signal(&token, drugs).await;
    let mut secret = signal_json("Vastgoed", "vastgoed");
    secret["subjects"] = json!([{"kind": "persoon", "name": "Piet Geheim"}, {"kind": "organisatie", "name": "Pietje Holding B.V."}]);
    app.api_signal(&token, secret).await;
    let client = reqwest::Client::new();
    let suggest = |token: String, q: &'static str| {
        let client = client.clone();
        let url = app.url(&format!("/api/v1/subject-suggestions?q={q}"));
        async move { client.get(url).bearer_auth(token).send().await.unwrap() }
    };
    let all: Value = suggest(token.clone(), "piet").await.json().await.unwrap();
    let shown: Vec<&str> = all["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["display"].as_str().unwrap())
        .collect();
    assert_eq!(
        shown,
        vec!["Piet Geheim", "Pieter Pietersen", "Pietje Holding B.V."]
    );
    let partner = app.token("partner@b.test").await;
    let some: Value = suggest(partner.clone(), "piet").await.json().await.unwrap();
    assert_eq!(
        some["suggestions"],
        json!([{"kind": "persoon", "display": "Pieter Pietersen"}])
    );
    let none: Value = suggest(partner.clone(), "geheim")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none["suggestions"], json!([]));
    assert_eq!(suggest(partner, "p").await.status(), 400);
}
