//! Barrier models, activities and the register's figures in the browser (issue 15, pts 2, 4,
//! 7, 8): the beheerder installs the PGB model, the analist assesses a barrier and sees the
//! coverage and the gaps; an activity with a refused count named in Dutch; a closure's
//! proposal from the escalation matrix; Bibob figures outside the compartment suppressed.

use crate::harness::TestApp;

baken_store::on_both_engines!(crate::harness::TestApp =>
    barriers_activities_and_figures_in_the_browser
);

async fn page(browser: &reqwest::Client, url: String) -> (u16, String) {
    let r = browser.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn post(
    browser: &reqwest::Client,
    url: String,
    form: &[(&str, &str)],
) -> (u16, Option<String>, String) {
    let r = browser.post(url).form(form).send().await.unwrap();
    let location = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_string);
    (r.status().as_u16(), location, r.text().await.unwrap())
}

async fn barriers_activities_and_figures_in_the_browser(app: &TestApp) {
    let beheer = app.login("beheer@a.test").await;
    let csrf = app.session_csrf(&beheer).await;
    let (status, location, _) = post(
        &beheer,
        app.url("/barrieremodellen"),
        &[("csrf", &csrf), ("template", "pgb-fraude")],
    )
    .await;
    assert_eq!(status, 303);
    let model_url = location.unwrap();
    let analist = app.login("analist@a.test").await;
    let csrf = app.session_csrf(&analist).await;
    let (_, model) = page(&analist, app.url(&model_url)).await;
    assert!(model.contains("0 van 29 toegepast"), "{model}");
    assert!(model.contains("Oprichten van een zorgbedrijf"), "{model}");
    let barrier = model
        .split("/barrieres/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    // "Applied" needs its evidence.
    let (status, _, text) = post(
        &analist,
        app.url(&format!("/barrieres/{barrier}/beoordeling")),
        &[
            ("csrf", &csrf),
            ("status", "toegepast"),
            ("terug", &model_url),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        text.contains("noem waaruit blijkt dat de barrière is toegepast"),
        "{text}"
    );
    let (status, _, _) = post(
        &analist,
        app.url(&format!("/barrieres/{barrier}/beoordeling")),
        &[
            ("csrf", &csrf),
            ("status", "toegepast"),
            ("evidence", "Werkinstructie KvK-toets"),
            ("terug", &model_url),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, model) = page(&analist, app.url(&model_url)).await;
    assert!(
        model.contains("1 van 29 toegepast (28 niet beoordeeld)"),
        "{model}"
    );
    assert!(model.contains("Hiaten"));

    // An activity: a count that is no number is named.
    let (status, _, text) = post(
        &analist,
        app.url("/activiteiten"),
        &[
            ("csrf", &csrf),
            ("kind", "schoolles"),
            ("title", "HackShield-les"),
            ("heldOn", "2025-03-12"),
            ("theme", "cybercrime"),
            ("reached", "veel"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(text.contains("veel"), "{text}");
    let (status, _, _) = post(
        &analist,
        app.url("/activiteiten"),
        &[
            ("csrf", &csrf),
            ("kind", "schoolles"),
            ("title", "HackShield-les"),
            ("heldOn", "2025-03-12"),
            ("theme", "cybercrime"),
            ("reached", "3"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, list) = page(&analist, app.url("/activiteiten")).await;
    assert!(
        list.contains("2024/2025") && list.contains("Schoolles (HackShield)"),
        "{list}"
    );

    // A closure of a woning with softdrugs and no earlier offence: a warning first.
    let (status, location, _) = post(
        &analist,
        app.url("/interventies/nieuw"),
        &[
            ("csrf", &csrf),
            ("kind", "sluiting-13b"),
            ("title", "Woning Korrewegwijk"),
            ("object", "0014200000123456"),
            ("premisesKind", "woning"),
            ("closureGround", "handelshoeveelheid"),
            ("drugs", "cannabis 60 gram"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, closure) = page(&analist, app.url(&location.unwrap())).await;
    assert!(
        closure.contains("Voorstel voor overtreding 1 (woning, softdrugs): een waarschuwing"),
        "{closure}"
    );
    assert!(closure.contains("Koppelen aan barrière"), "{closure}");

    // A Bibob screening: its officer sees the exact count, the analist a suppressed one.
    let bibob = app.token("bibob@a.test").await;
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/interventions"))
        .bearer_auth(&bibob)
        .json(&serde_json::json!({"kind": "bibob", "title": "Vergunning",
            "decisionKind": "alcoholvergunning", "openedOn": "2025-05-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let (_, figures) = page(&analist, app.url("/interventies/cijfers?jaar=2025")).await;
    assert!(figures.contains("&lt;5"), "{figures}");
    let exact = app
        .get_json(&bibob, "/api/v1/interventions/figures?year=2025")
        .await;
    assert_eq!(exact["bibobExact"], true);
    assert_eq!(exact["bibobByDecisionKind"][0]["count"]["shown"], "1");
    let (status, _) = page(&analist, app.url("/interventies/cijfers?jaar=1999")).await;
    assert_eq!(status, 400);
}
