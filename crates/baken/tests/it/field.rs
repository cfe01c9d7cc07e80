//! Field work in the browser: checklist, visit, finding to signal, coverage; checklists by
//! the beheerder.

use crate::harness::TestApp;
use baken_store::NewFieldObject;

baken_store::on_both_engines!(crate::harness::TestApp =>a_farm_visit_from_form_to_signal);

async fn a_farm_visit_from_form_to_signal(app: &TestApp) {
    let analist = app
        .store
        .user_by_email("analist@a.test")
        .await
        .unwrap()
        .unwrap();
    let farms = vec![
        NewFieldObject {
            name: "Hoeve Noord".into(),
            address: Some("Dorpsweg 1".into()),
            area_code: None,
        },
        NewFieldObject {
            name: "Hoeve Zuid".into(),
            address: None,
            area_code: None,
        },
    ];
    let caller = baken_core::Caller::for_user_handling_signals(&analist, "test");
    app.store
        .add_field_objects(
            &caller,
            "agrarisch-bedrijf",
            farms,
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();

    let inspector = app.login("toezicht@a.test").await;
    let list = inspector
        .get(app.url("/veld?soort=erfbezoek&jaar=2025"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("<strong>0 van 2</strong> agrarische bedrijven bezocht in 2025"),
        "{list}"
    );
    let form = inspector
        .get(app.url("/veld/nieuw?soort=erfbezoek"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("Is de ondernemer benaderd om een schuur of loods te verhuren?"));
    let object = {
        let marker = "<option value=\"";
        let start = form.match_indices(marker).nth(1).unwrap().0 + marker.len();
        form[start..start + 36].to_string()
    };
    let csrf = app.session_csrf(&inspector).await;
    let bad = inspector
        .post(app.url("/veld/nieuw"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "erfbezoek"),
            ("answers[0]", "misschien"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad
        .text()
        .await
        .unwrap()
        .contains("kies een object of beschrijf de locatie"));
    let r = inspector
        .post(app.url("/veld/nieuw"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "erfbezoek"),
            ("object", object.as_str()),
            ("visitedOn", "2025-05-15"),
            ("answers[0]", "ja"),
            ("answers[1]", "nee"),
            (
                "findings",
                "Brief ontvangen met huuraanbod voor de lege loods",
            ),
            ("findings", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let visit = r.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let page = inspector
        .get(app.url(&visit))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Hoeve Noord")
            && page.contains("Brief ontvangen met huuraanbod")
            && page.contains("Maak hier een signaal van")
    );
    let r = inspector
        .post(app.url(&format!("{visit}/bevindingen/0/signaal")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = inspector
        .get(app.url(&visit))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Signaal bekijken") && !page.contains("Maak hier een signaal van"));
    let again = inspector
        .post(app.url(&format!("{visit}/bevindingen/0/signaal")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
    // The same visit in the API: ISO day, answers, and the finding with its signal.
    let token = app.token("toezicht@a.test").await;
    let id = visit.rsplit('/').next().unwrap();
    let listed = app
        .get_json(&token, "/api/v1/visits?kind=erfbezoek&pageSize=1")
        .await;
    assert_eq!(listed["items"][0]["id"], id, "{listed}");
    assert_eq!(
        (listed["pageSize"].as_u64(), listed["total"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(listed["nextCursor"].is_null(), "one visit, one page");
    let json = app.get_json(&token, &format!("/api/v1/visits/{id}")).await;
    assert_eq!(json["kind"], "erfbezoek", "{json}");
    assert_eq!(json["visitedOn"], "2025-05-15", "{json}");
    assert_eq!(
        json["findings"][0]["text"], "Brief ontvangen met huuraanbod voor de lege loods",
        "{json}"
    );
    assert!(json["findings"][0]["signal"].is_string(), "{json}");
    assert!(!json["answers"].as_array().unwrap().is_empty(), "{json}");
    let list = inspector
        .get(app.url("/veld?soort=erfbezoek&jaar=2025"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("<strong>1 van 2</strong>") && list.contains("1 (1 als signaal)"));
    let signals = app
        .login("analist@a.test")
        .await
        .get(app.url("/signalen?q=huuraanbod"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        signals.contains("Erfbezoek: Brief ontvangen met huuraanbod"),
        "{signals}"
    );
    // The police see neither the visit nor its page.
    let partner = app.login("partner@b.test").await;
    assert_eq!(
        partner.get(app.url(&visit)).send().await.unwrap().status(),
        404
    );

    // The beheerder changes the checklist; the next form asks the new questions.
    let beheer = app.login("beheer@a.test").await;
    let csrf = app.session_csrf(&beheer).await;
    let r = beheer
        .post(app.url("/beheer/checklists"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "erfbezoek"),
            (
                "questions",
                "Zijn er nieuwe huurders?\nIs er mest gedumpt?\n",
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let form = inspector
        .get(app.url("/veld/nieuw?soort=erfbezoek"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("Is er mest gedumpt?") && !form.contains("Is de ondernemer benaderd"));
    let r = inspector
        .post(app.url("/beheer/checklists"))
        .form(&[("csrf", "x"), ("kind", "erfbezoek"), ("questions", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}
