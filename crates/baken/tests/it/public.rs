//! The public report form: no login, nothing about the reporter unless they consent.

use crate::harness::TestApp;
use time::macros::datetime;

baken_store::on_both_engines!(crate::harness::TestApp =>
    anyone_can_report_and_gets_only_a_reference,
    contact_details_need_consent_and_are_wiped,
    bots_and_floods_are_turned_away,
);

async fn post_report(
    app: &TestApp,
    browser: &reqwest::Client,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let page = browser.get(app.url("/melden")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csrf = TestApp::csrf_of(&page.text().await.unwrap());
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    browser
        .post(app.url("/melden"))
        .header("user-agent", "BakenTestBrowser/1.0")
        .form(&form)
        .send()
        .await
        .unwrap()
}

fn reference_in(html: &str) -> String {
    let start = html.find("class=\"reference\">").unwrap() + "class=\"reference\">".len();
    html[start..start + 11].to_string()
}

async fn anyone_can_report_and_gets_only_a_reference(app: &TestApp) {
    let browser = app.browser();
    let r = post_report(
        app,
        &browser,
        &[
            (
                "description",
                "Elke nacht busjes bij de loods aan de Zilverweg.",
            ),
            ("location", "Zilverweg 12"),
            ("theme", "drugs"),
        ],
    )
    .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let reference = reference_in(&html);
    assert!(
        reference.starts_with("M-") && reference.len() == 11,
        "{reference}"
    );
    assert!(
        !html.contains("Zilverweg"),
        "the reporter gets the reference and nothing else"
    );

    let analist = app.login("analist@a.test").await;
    let list = analist
        .get(app.url("/signalen?q=Zilverweg"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Melding: Elke nacht busjes"), "{list}");
    let token = app.token("analist@a.test").await;
    let found: serde_json::Value = app.get_json(&token, "/api/v1/signals?q=Zilverweg").await;
    let item = &found["items"][0];
    assert_eq!(item["sourceKind"], "anoniem-formulier");
    assert_eq!(item["sharing"], "eigen-organisatie");
    let id = item["id"].as_str().unwrap();
    let detail = analist
        .get(app.url(&format!("/signalen/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(detail.contains(&reference) && detail.contains("geen contactgegevens achtergelaten"));

    // Nothing about the reporter's connection is kept: not in the audit trail, not in the file.
    let events = app.store.audit_events(0, 100_000).await.unwrap();
    let create = events
        .iter()
        .rev()
        .find(|e| e.action == "signal.create" && e.detail.contains("meldformulier"))
        .unwrap();
    assert_eq!(create.origin, "meldformulier");
    for e in &events {
        assert!(!e.detail.contains("BakenTestBrowser") && !e.origin.contains("BakenTestBrowser"));
    }
    if app.database_url.is_none() {
        let mut bytes = std::fs::read(app.dir().join("baken.db")).unwrap();
        bytes.extend(std::fs::read(app.dir().join("baken.db-wal")).unwrap_or_default());
        assert!(!bytes.windows(16).any(|w| w == b"BakenTestBrowser"));
    }
    // Not shared, even though the police share the drugs theme with the municipality.
    let partner = app.login("partner@b.test").await;
    assert_eq!(
        partner
            .get(app.url(&format!("/signalen/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // A report whose theme the resident did not know gets one, and a place, at triage.
    let r = post_report(
        app,
        &browser,
        &[
            (
                "description",
                "Vreemde lucht uit de kelder naast de bakkerij.",
            ),
            ("location", "Kelderstraat 3"),
            ("theme", "onbekend"),
        ],
    )
    .await;
    assert_eq!(r.status(), 200);
    let found = app.get_json(&token, "/api/v1/signals?q=bakkerij").await;
    let report = found["items"][0].clone();
    assert_eq!(report["themes"], serde_json::json!([]), "{report}");
    let id = report["id"].as_str().unwrap();
    let mut signal = serde_json::json!({
        "title": report["title"], "description": report["description"],
        "sourceReliability": report["sourceReliability"],
        "informationCredibility": report["informationCredibility"],
        "classification": report["classification"], "sharing": report["sharing"],
        "address": report["address"],
    });
    signal["themes"] = serde_json::json!(["drugs"]);
    signal["areaCode"] = "WK001400".into();
    let triaged = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/signals/{id}/corrections")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"signal": signal, "reason": "triage: thema en plaats"}))
        .send()
        .await
        .unwrap();
    assert_eq!(triaged.status(), 201);
    let triaged: serde_json::Value = triaged.json().await.unwrap();
    assert_eq!(triaged["themes"], serde_json::json!(["drugs"]));
    assert_eq!(triaged["areaCode"], "WK001400");
    assert_eq!(
        triaged["sourceKind"], "anoniem-formulier",
        "kept as received"
    );
    let fields: Vec<&str> = triaged["corrections"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["themes", "areaCode"]);
}

async fn contact_details_need_consent_and_are_wiped(app: &TestApp) {
    let browser = app.browser();
    let r = post_report(
        app,
        &browser,
        &[("description", "Verdacht"), ("contactPhone", "06-12345678")],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("geef toestemming om uw contactgegevens te bewaren"));
    let r = post_report(
        app,
        &browser,
        &[
            ("description", "Verdacht pand Koperweg"),
            ("contactPhone", "06-12345678"),
            ("contactName", "Els"),
            ("contactConsent", "ja"),
        ],
    )
    .await;
    assert_eq!(r.status(), 200);
    let analist = app.login("analist@a.test").await;
    let token = app.token("analist@a.test").await;
    let found: serde_json::Value = app.get_json(&token, "/api/v1/signals?q=Koperweg").await;
    let id = found["items"][0]["id"].as_str().unwrap().to_string();
    let detail = analist
        .get(app.url(&format!("/signalen/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(detail.contains("+31612345678") && detail.contains("Els"));

    // The wipe runs with the clock: nothing before the day, everything after.
    // The app under test runs on a fixed clock: 2025-06-02 12:00 UTC.
    let today = datetime!(2025-06-02 12:00 UTC);
    assert_eq!(app.store.purge_reporter_contacts(today).await.unwrap(), 0);
    assert_eq!(
        app.store
            .purge_reporter_contacts(today + time::Duration::days(31))
            .await
            .unwrap(),
        1
    );
    let detail = analist
        .get(app.url(&format!("/signalen/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!detail.contains("+31612345678") && detail.contains("al gewist"));
    let last = app.store.audit_events(0, 100_000).await.unwrap();
    assert!(last
        .iter()
        .any(|e| e.action == "reporter-contact.wipe" && e.detail == "count=1"));
}

async fn bots_and_floods_are_turned_away(app: &TestApp) {
    let browser = app.browser();
    let r = post_report(
        app,
        &browser,
        &[
            ("description", "Koop goedkope horloges"),
            ("website", "http://spam.example"),
        ],
    )
    .await;
    assert_eq!(r.status(), 200, "a bot is told all went well");
    // With a reference of the same form as a real one ("M-XXXX-XXXX" from the same letters).
    let reference = reference_in(&r.text().await.unwrap());
    let parts: Vec<&str> = reference.split('-').collect();
    assert_eq!(parts.len(), 3, "{reference}");
    assert_eq!(
        (parts[0], parts[1].len(), parts[2].len()),
        ("M", 4, 4),
        "{reference}"
    );
    assert!(
        parts[1..]
            .iter()
            .flat_map(|p| p.chars())
            .all(|c| "23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains(c)),
        "{reference}"
    );
    let token = app.token("analist@a.test").await;
    let found: serde_json::Value = app.get_json(&token, "/api/v1/signals?q=horloges").await;
    assert_eq!(found["total"], 0, "but nothing is stored");
    let no_cookie = reqwest::Client::new()
        .post(app.url("/melden"))
        .form(&[("csrf", "x"), ("description", "zonder formulier")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_cookie.status(), 403);
    let mut last = 0;
    for _ in 0..5 {
        last = post_report(app, &browser, &[("description", "Nog een melding")])
            .await
            .status()
            .as_u16();
    }
    assert_eq!(
        last, 429,
        "five reports in ten minutes from one address, then a pause"
    );
}
