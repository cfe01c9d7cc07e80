//! The register of interventions in the browser and the API (issue 15): a 13b closure
//! registered from its case, a step the procedure does not allow and one whose facts are
//! missing refused in Dutch, the zienswijze term on the Dutch calendar on the page, the case
//! and the overview, and a Bibob screening nobody outside the compartment finds.

use crate::harness::{signal_json, TestApp};

baken_store::on_both_engines!(crate::harness::TestApp =>
    a_closure_from_case_to_deadline
);

async fn page(browser: &reqwest::Client, url: String) -> (u16, String) {
    let r = browser.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn a_closure_from_case_to_deadline(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let signal = app
        .api_signal(&token, signal_json("Hennep in woning", "drugs"))
        .await;
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"title": "Woning Vinkhuizen", "themes": ["drugs"], "signals": [signal]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let case = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let analist = app.login("analist@a.test").await;
    let csrf = app.session_csrf(&analist).await;
    let (_, case_page) = page(&analist, app.url(&format!("/casussen/{case}"))).await;
    assert!(
        case_page.contains(&format!("/interventies/nieuw?casus={case}")),
        "{case_page}"
    );
    let (status, form) = page(
        &analist,
        app.url(&format!(
            "/interventies/nieuw?casus={case}&soort=sluiting-13b"
        )),
    )
    .await;
    assert_eq!(status, 200);
    assert!(form.contains("Woning Vinkhuizen") && form.contains("Aangetroffen drugs"));
    let created = analist
        .post(app.url("/interventies/nieuw"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "sluiting-13b"),
            ("case", case.as_str()),
            ("title", "Sluiting Siersteenlaan"),
            ("object", "0014200000123456"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    let url = created.headers()["location"].to_str().unwrap().to_string();
    let id = url.trim_start_matches("/interventies/").to_string();

    let step = |name: &'static str, on: &'static str| {
        let analist = analist.clone();
        let csrf = csrf.clone();
        let url = app.url(&format!("{url}/stap"));
        async move {
            let r = analist
                .post(url)
                .form(&[("csrf", csrf.as_str()), ("step", name), ("on", on)])
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, text) = step("besluit-sluiting", "2025-05-26").await;
    assert_eq!(status, 400);
    assert!(
        text.contains("&#39;besluit tot sluiting&#39; kan niet in de fase &#39;rapportage&#39;")
            || text.contains("'besluit tot sluiting' kan niet in de fase 'rapportage'"),
        "{text}"
    );
    let (status, text) = step("voornemen-verstuurd", "2025-05-26").await;
    assert_eq!(status, 400);
    assert!(text.contains("ontbreekt nog"), "{text}");
    assert!(text.contains("aangetroffen drugs en hoeveelheid"), "{text}");
    assert!(text.contains("grond (handelshoeveelheid"), "{text}");
    let changed = analist
        .post(app.url(&format!("{url}/gegevens")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "Sluiting Siersteenlaan"),
            ("premisesKind", "woning"),
            ("closureGround", "handelshoeveelheid"),
            ("drugs", "hennepplanten 300 planten\ncannabis 2 kilo"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 303);
    let (status, _) = step("voornemen-verstuurd", "2025-05-26").await;
    assert_eq!(status, 303);
    // 26 May + 2 weeks = 9 June 2025, Whit Monday: the term ends on Tuesday 10 June.
    let (_, shown) = page(&analist, app.url(&url)).await;
    assert!(shown.contains("zienswijzetermijn"), "{shown}");
    assert!(shown.contains("uiterlijk 10-06-2025"), "{shown}");
    assert!(shown.contains("hennepplanten 300 planten"), "{shown}");
    let (_, overview) = page(&analist, app.url("/overzicht")).await;
    assert!(
        overview.contains("Termijnen van mijn interventies"),
        "{overview}"
    );
    assert!(overview.contains("Sluiting Siersteenlaan"), "{overview}");
    let (_, case_page) = page(&analist, app.url(&format!("/casussen/{case}"))).await;
    assert!(case_page.contains("Sluiting Siersteenlaan"), "{case_page}");
    let deadlines = app.get_json(&token, "/api/v1/deadlines").await;
    assert_eq!(deadlines["items"][0]["intervention"], id.as_str());
    assert_eq!(deadlines["items"][0]["term"]["dueOn"], "2025-06-10");

    // A Bibob screening: its officer finds it, the analist does not — not in the list, not
    // by its id.
    let bibob = app.token("bibob@a.test").await;
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/interventions"))
        .bearer_auth(&bibob)
        .json(
            &serde_json::json!({"kind": "bibob", "title": "Exploitatievergunning Poelestraat",
            "decisionKind": "exploitatievergunning-horeca", "trigger": "beleidslijn"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let screening = response.json::<serde_json::Value>().await.unwrap();
    assert_eq!(
        screening["details"]["decisionKind"],
        "exploitatievergunning-horeca"
    );
    let screening = screening["id"].as_str().unwrap().to_string();
    let listed = app.get_json(&token, "/api/v1/interventions").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let (status, _) = page(&analist, app.url(&format!("/interventies/{screening}"))).await;
    assert_eq!(status, 404);
    // A kind that does not exist is said so, not answered with the whole list.
    let (status, html) = page(&analist, app.url("/interventies?soort=onzin")).await;
    assert_eq!(status, 400);
    assert!(
        html.contains("Er is geen soort interventie &#39;onzin&#39;"),
        "{html}"
    );
    let (status, html) = page(&analist, app.url("/interventies?soort=sluiting-13b")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Sluiting Siersteenlaan"), "{html}");
    let (status, _) = page(&analist, app.url(&format!("/interventies/{screening}"))).await;
    assert_eq!(status, 404);
    let bad = reqwest::Client::new()
        .post(app.url("/api/v1/interventions"))
        .bearer_auth(&bibob)
        .json(&serde_json::json!({"kind": "bibob", "title": "Op casus", "case": case}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let problem = bad.json::<serde_json::Value>().await.unwrap();
    assert_eq!(problem["invalidParams"][0]["name"], "case", "{problem}");

    // The list pages by cursor: two referrals more, one a page.
    for title in ["Zorg Oosterpoort", "Zorg Korrewegwijk"] {
        let made = reqwest::Client::new()
            .post(app.url("/api/v1/interventions"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"kind": "zorgverwijzing", "title": title}))
            .send()
            .await
            .unwrap();
        assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    }
    let mut titles = Vec::new();
    let mut url = "/api/v1/interventions?pageSize=1".to_string();
    loop {
        let page = app.get_json(&token, &url).await;
        assert_eq!(page["total"], 3);
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        titles.push(page["items"][0]["title"].as_str().unwrap().to_string());
        match page["nextCursor"].as_str() {
            Some(next) => url = format!("/api/v1/interventions?pageSize=1&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(titles.len(), 3, "{titles:?}");
    let all = app.get_json(&token, "/api/v1/interventions").await;
    let listed: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, listed, "the pages are the list, in order");
    for (query, field) in [("cursor=onzin", "cursor"), ("pageSize=1000", "pageSize")] {
        let r = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/interventions?{query}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        let problem = r.json::<serde_json::Value>().await.unwrap();
        assert_eq!(problem["invalidParams"][0]["name"], field, "{problem}");
    }
}
