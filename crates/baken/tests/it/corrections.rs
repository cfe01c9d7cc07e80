//! Correcting a signal in the browser and through the API (issue 17, pt 1): the form starts
//! from the signal as it is, what changed shows on the signal with who, when and why, and
//! the classification is lowered only by the owner's Bibob coördinator.

use crate::harness::{signal_json, TestApp};

baken_store::on_both_engines!(crate::harness::TestApp =>
    an_analist_corrects_a_signal_and_its_page_shows_what_changed,
    the_api_corrects_a_signal_for_those_who_may,
);

/// The correction form as a browser submits it, with `title` and the first subject's name.
fn correction_form(csrf: &str, title: &str, name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_string()),
        ("title", title.into()),
        ("description", "Beschrijving: Loods".into()),
        ("sourceReliability", "B".into()),
        ("informationCredibility", "2".into()),
        ("themes", "drugs".into()),
        ("areaCode", "BU00140000".into()),
        ("latitude", "53.21927".into()),
        ("longitude", "6.568567".into()),
        ("classification", "vertrouwelijk".into()),
        ("sharing", "convenant".into()),
        ("subjectBlocks", "3".into()),
        ("subjects[0].kind", "persoon".into()),
        ("subjects[0].role", "chauffeur".into()),
        ("subjects[0].name", name.into()),
        ("subjects[1].kind", "voertuig".into()),
        ("subjects[1].role", "betrokkene".into()),
        ("subjects[1].plate", "12-ABC-3".into()),
        ("relations[0].from", "1".into()),
        ("relations[0].kind", "gebruikt-voertuig".into()),
        ("relations[0].to", "2".into()),
    ]
}

async fn registered(app: &TestApp, token: &str) -> String {
    let mut body = signal_json("Loods", "drugs");
    body["classification"] = "vertrouwelijk".into();
    body["subjects"] = serde_json::json!([
        {"kind": "persoon", "role": "chauffeur", "name": "Piet Pietersen"},
        {"kind": "voertuig", "plate": "12abc3"}
    ]);
    body["relations"] = serde_json::json!([{"from": 0, "to": 1, "kind": "gebruikt-voertuig"}]);
    app.api_signal(token, body).await
}

async fn an_analist_corrects_a_signal_and_its_page_shows_what_changed(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let id = registered(app, &token).await;
    let browser = app.login("analist@a.test").await;
    let csrf = app.session_csrf(&browser).await;
    let get = |path: String| {
        let browser = browser.clone();
        async move {
            let r = browser.get(app.url(&path)).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, detail) = get(format!("/signalen/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        detail.contains(&format!("/signalen/{id}/corrigeren")),
        "a link to correct it"
    );

    // The form starts from the signal as it is; what a correction keeps is not offered.
    let (status, form) = get(format!("/signalen/{id}/corrigeren")).await;
    assert_eq!(status, 200);
    for expected in [
        "<h1>Signaal corrigeren</h1>",
        r#"value="Loods""#,
        r#"value="Piet Pietersen""#,
        r#"value="12-ABC-3""#,
        "Reden van de correctie",
        "Correctie opslaan",
    ] {
        assert!(form.contains(expected), "form lacks {expected}");
    }
    assert!(!form.contains(r#"name="receivedAt""#) && !form.contains(r#"name="retentionUntil""#));

    // A title left empty is refused, naming the field; nothing changes.
    let mut empty = correction_form(&csrf, "", "Piet Pietersen");
    empty.push(("reason", "leeg".into()));
    let r = browser
        .post(app.url(&format!("/signalen/{id}/corrigeren")))
        .form(&empty)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("Titel"));
    // Lowering the classification is the Bibob coördinator's.
    let mut lower = correction_form(&csrf, "Loods", "Piet Pietersen");
    lower.retain(|(k, _)| *k != "classification");
    lower.push(("classification", "intern".into()));
    let r = browser
        .post(app.url(&format!("/signalen/{id}/corrigeren")))
        .form(&lower)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("alleen een Bibob-coördinator van de eigenaar mag de classificatie verlagen"));

    let mut form = correction_form(&csrf, "Loods aan de Industrieweg", "Piet Peters");
    form.push(("reason", "Naam verkeerd overgenomen".into()));
    let r = browser
        .post(app.url(&format!("/signalen/{id}/corrigeren")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("/signalen/{id}?gecorrigeerd=1"));
    let (_, page) = get(location).await;
    for expected in [
        "De correctie is opgeslagen.",
        "<h1>Loods aan de Industrieweg</h1>",
        "<h2>Correcties</h2>",
        "Naam verkeerd overgenomen",
        "<th scope=\"row\">Titel</th><td>Loods</td><td>Loods aan de Industrieweg</td>",
        "<th scope=\"row\">Betrokkenen</th>",
        "Persoon (chauffeur): Piet Pietersen",
        "Persoon (chauffeur): Piet Peters;",
        "Betrokkene 1 gebruikt voertuig betrokkene 2",
    ] {
        assert!(page.contains(expected), "page lacks {expected}");
    }
    // Only the subject that changed is new: the vehicle kept its mention (and dossier).
    let json = app.get_json(&token, &format!("/api/v1/signals/{id}")).await;
    assert_eq!(json["corrections"].as_array().unwrap().len(), 1);
    let fields: Vec<&str> = json["corrections"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["title", "subjects"]);
}

async fn the_api_corrects_a_signal_for_those_who_may(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let id = registered(app, &token).await;
    let path = format!("/api/v1/signals/{id}/corrections");
    let mut signal = signal_json("Loods met kweek", "drugs");
    signal["classification"] = "vertrouwelijk".into();
    let client = app.browser();
    let post = |token: String, body: serde_json::Value| {
        let (client, path) = (client.clone(), path.clone());
        async move {
            let r = client
                .post(app.url(&path))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    // A field error names its field, as for a new signal.
    let mut bad = signal.clone();
    bad["themes"] = serde_json::json!(["onbekend"]);
    let (status, problem) = post(token.clone(), serde_json::json!({"signal": bad})).await;
    assert_eq!(status, 400);
    assert_eq!(problem["invalidParams"][0]["name"], "themes");
    // The partner sees it under the drugs agreement but may not correct it.
    let partner = app.token("partner@b.test").await;
    let (status, _) = post(partner, serde_json::json!({"signal": signal})).await;
    assert_eq!(status, 403);

    let (status, json) = post(
        token.clone(),
        serde_json::json!({"signal": signal, "reason": "titel aangevuld"}),
    )
    .await;
    assert_eq!(status, 201, "{json}");
    assert_eq!(json["title"], "Loods met kweek");
    assert_eq!(json["corrections"][0]["reason"], "titel aangevuld");
    let changes = json["corrections"][0]["changes"].as_array().unwrap();
    assert!(changes
        .iter()
        .any(|c| c["field"] == "title" && c["old"] == "Loods" && c["new"] == "Loods met kweek"));
    // The subjects and relation were not in the request: the correction took them out.
    assert!(changes.iter().any(|c| c["field"] == "subjects"));
    assert_eq!(json["subjects"].as_array().unwrap().len(), 0);
}
