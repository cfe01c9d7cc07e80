//! The report page, its files and the figures API (issue 16, pts 3 and 5): what each reader
//! may see, bad input named by its field.

use baken_core::{Caller, Purpose};
use baken_store::SharedStore;
use time::macros::datetime;

/// The report page at `path` once it is made: while it is being made the page shows its
/// progress and refreshes itself, as a browser follows it.
async fn report_page(
    app: &crate::harness::TestApp,
    browser: &reqwest::Client,
    path: &str,
) -> String {
    let mut html = String::new();
    for _ in 0..600 {
        let page = browser.get(app.url(path)).send().await.unwrap();
        assert_eq!(page.status(), 200);
        html = page.text().await.unwrap();
        if !html.contains("De rapportage wordt gemaakt") {
            break;
        }
        assert!(html.contains("<meta http-equiv=\"refresh\""), "{html}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    html
}

async fn caller(store: &SharedStore, email: &str) -> Caller {
    let u = store.user_by_email(email).await.unwrap().unwrap();
    Caller::for_user(&u, Purpose::new("rapportage"), "test")
}

baken_store::on_both_engines!(crate::harness::TestApp => the_report_page_file_and_figures_api_show_what_each_reader_may_see);

async fn the_report_page_file_and_figures_api_show_what_each_reader_may_see(
    app: &crate::harness::TestApp,
) {
    use baken_core::intervention::details::RawDetails;
    use baken_core::intervention::{InterventionKind, NewIntervention, NewStep};
    let now = datetime!(2025-06-02 10:00 UTC);
    let analist = caller(&app.store, "analist@a.test").await;
    let details = RawDetails {
        branch: "horeca".into(),
        team: "eigen".into(),
        partners: vec!["politie".into(), "nla".into()],
        findings: vec!["nla: drie werknemers zonder vergunning".into()],
        focus: vec!["mensenhandel".into()],
        ..RawDetails::default()
    };
    let id = app
        .store
        .create_intervention(
            &analist,
            NewIntervention {
                kind: InterventionKind::Control,
                title: "Integrale controle horeca Herestraat".into(),
                case: None,
                object: None,
                address: "Herestraat 1, Groningen".into(),
                location: None,
                opened_on: time::macros::date!(2025 - 02 - 20),
                details: details.parse(InterventionKind::Control).unwrap(),
            },
            now,
        )
        .await
        .unwrap();
    for (step, on) in [
        ("gepland-op", time::macros::date!(2025 - 03 - 01)),
        ("uitgevoerd-op", time::macros::date!(2025 - 03 - 01)),
    ] {
        let new = NewStep {
            step: step.into(),
            on,
            length: None,
            note: String::new(),
        };
        app.store.record_step(&analist, id, new, now).await.unwrap();
    }

    // The figures API: every figure with its definition and period; the records for the team.
    let token = app.token("analist@a.test").await;
    let body = app.get_json(&token, "/api/v1/figures?year=2025").await;
    let find = |body: &serde_json::Value, key: &str| {
        body["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .cloned()
            .unwrap_or_else(|| panic!("{key} missing in {body}"))
    };
    let held = find(&body, "integrale-controles");
    assert_eq!(held["count"]["value"], 1);
    assert_eq!(held["from"], "2025-01-01");
    assert_eq!(held["until"], "2025-12-31");
    assert_eq!(held["suppressed"], false);
    assert!(held["definition"].as_str().unwrap().contains("uitgevoerd"));
    assert_eq!(held["records"][0]["id"], id.to_string());
    assert_eq!(find(&body, "controles-mensenhandel")["count"]["value"], 1);
    // A lezer: protected, no records — also when asking for a team report.
    let lezer = app.token("lezer@a.test").await;
    let body = app
        .get_json(
            &lezer,
            "/api/v1/figures?from=2025-01-01&until=2025-05-31&readers=team",
        )
        .await;
    assert_eq!(body["readers"], "extern");
    let held = find(&body, "integrale-controles");
    assert_eq!(held["count"]["shown"], "<5");
    // Not whole months: withheld.
    let body = app
        .get_json(&lezer, "/api/v1/figures?from=2025-03-01&until=2025-03-01")
        .await;
    assert_eq!(find(&body, "integrale-controles")["count"]["shown"], "–");
    // Nor a period that has not ended yet (today is 2 June 2025): asked again each day, a
    // rounded count would tell the day it changed.
    let body = app.get_json(&lezer, "/api/v1/figures?year=2025").await;
    assert_eq!(find(&body, "integrale-controles")["count"]["shown"], "–");
    assert_eq!(held["suppressed"], true);
    assert!(held["records"].is_null());
    // Another organisation counts none of it.
    let partner = app.token("partner@b.test").await;
    let body = app
        .get_json(&partner, "/api/v1/figures?from=2025-01-01&until=2025-05-31")
        .await;
    // (its own organisation's count: protected, for a partner is no analist of it)
    let theirs = find(&body, "integrale-controles");
    assert_eq!(theirs["count"]["shown"], "<5");
    assert!(theirs["records"].is_null());
    // Bad input: problem+json naming the field.
    for (query, field) in [
        ("year=twintig", "year"),
        ("from=2025-01-01", "until"),
        ("from=01-06-2025&until=01-01-2025", "until"),
        ("theme=onzin", "theme"),
        ("readers=iedereen", "readers"),
        ("year=2025&from=2025-01-01&until=2025-02-01", "year"),
    ] {
        let r = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/figures?{query}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{query}");
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{query}"
        );
        let p: serde_json::Value = r.json().await.unwrap();
        assert_eq!(p["invalidParams"][0]["name"], field, "{query}: {p}");
    }

    // A figure published before for the same period: the report states the difference.
    let post = |token: &str, body: serde_json::Value| {
        reqwest::Client::new()
            .post(app.url("/api/v1/published-figures"))
            .bearer_auth(token.to_string())
            .json(&body)
            .send()
    };
    let published = serde_json::json!({
        "key": "integrale-controles", "from": "2025-01-01", "until": "31-12-2025",
        "value": "3", "source": "Jaarverslag 2025"
    });
    assert_eq!(post(&lezer, published.clone()).await.unwrap().status(), 403);
    let bad = post(&token, serde_json::json!({"key": "onzin", "from": "2025-01-01", "until": "2025-12-31", "value": "-1", "source": ""}))
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let p: serde_json::Value = bad.json().await.unwrap();
    let names: Vec<&str> = p["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["key", "value", "source"], "{p}");
    assert_eq!(post(&token, published).await.unwrap().status(), 201);
    let body = app.get_json(&token, "/api/v1/figures?year=2025").await;
    assert_eq!(body["differences"][0]["key"], "integrale-controles");
    assert_eq!(body["differences"][0]["published"], 3);
    assert_eq!(body["differences"][0]["computed"], 1);

    // The page: figures with their definitions and the records as links; errors in Dutch.
    let browser = app.login("analist@a.test").await;
    // A report that takes longer than the page waits shows its progress and refreshes
    // itself, as a browser follows it.
    let html = report_page(app, &browser, "/rapportage?jaar=2025").await;
    assert!(html.contains("Integrale controles uitgevoerd"));
    assert!(html.contains(&format!("href=\"/interventies/{id}\"")));
    assert!(html.contains("Wat hebben we gedaan"));
    assert!(
        html.contains("Verschillen met eerder gepubliceerde cijfers")
            && html.contains("gepubliceerd 3")
    );
    let bad = browser
        .get(app.url("/rapportage?jaar=twintig"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("Jaar:"));
    // A lezer's report has no effects (protected counts would give away what they hide),
    // and says so instead of leaving the chapter out.
    let lezer = app.login("lezer@a.test").await;
    let html = report_page(app, &lezer, "/rapportage?jaar=2024").await;
    assert!(html.contains("<h2>Effecten</h2>"), "{html}");
    assert!(
        html.contains("Niet alle effecten staan in dit rapport"),
        "{html}"
    );
    // The files.
    for (format, starts, kind) in [
        ("pdf", &b"%PDF"[..], "application/pdf"),
        (
            "xlsx",
            &b"PK"[..],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("html", &b"<!doctype html>"[..], "text/html; charset=utf-8"),
    ] {
        let r = browser
            .get(app.url(&format!("/rapportage/bestand?formaat={format}&jaar=2025")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{format}");
        assert_eq!(r.headers()["content-type"], kind);
        assert!(r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("rapportage-2025."));
        assert!(r.bytes().await.unwrap().starts_with(starts), "{format}");
    }
}
