//! The inzage in the browser (issue 18, pt 7): the privacy officer finds the person, compiles
//! the overview and downloads it as PDF and JSON; nobody else may.

use crate::harness::{signal_json, TestApp};
use baken_core::{Role, RoleSet};
use baken_store::{Actor, NewUser};

baken_store::on_both_engines!(crate::harness::TestApp =>
    the_privacy_officer_compiles_an_inzage_as_page_pdf_and_json,
);

async fn text(r: reqwest::Response) -> String {
    r.text().await.unwrap()
}

async fn the_privacy_officer_compiles_an_inzage_as_page_pdf_and_json(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let mut body = signal_json("Hennep bij Vosbergen", "drugs");
    body["subjects"] = serde_json::json!([{
        "kind": "persoon", "role": "bewoner", "name": "Anna Vosbergen", "birthDate": "1984-02-29"
    }]);
    app.api_signal(&token, body).await;
    let org = app
        .store
        .user_by_email("analist@a.test")
        .await
        .unwrap()
        .unwrap()
        .org;
    app.store
        .create_user(
            &Actor::cli(),
            NewUser {
                org,
                email: "privacy@a.test".into(),
                display_name: "Privacy A".into(),
                roles: RoleSet::new([Role::Auditor]),
                password_hash: Some(crate::harness::password_hash().to_string()),
            },
            time::macros::datetime!(2025-06-02 10:00 UTC),
        )
        .await
        .unwrap();

    let analist = app.login("analist@a.test").await;
    let refused = analist.get(app.url("/inzage")).send().await.unwrap();
    assert_eq!(refused.status(), 403);

    let officer = app.login("privacy@a.test").await;
    let search = text(
        officer
            .get(app.url("/inzage?naam=vosbergen"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(search.contains("29-02-1984"), "{search}");
    let at = search.find("href=\"/inzage/").expect("a person to compile") + "href=\"".len();
    let link = &search[at..at + search[at..].find('"').unwrap()];
    let page = text(officer.get(app.url(link)).send().await.unwrap()).await;
    assert!(page.contains("Hennep bij Vosbergen"), "{page}");
    assert!(
        page.contains("Signalen (1)") && page.contains("artikel 28"),
        "{page}"
    );

    let pdf = officer
        .get(app.url(&format!("{link}/pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let json: serde_json::Value = officer
        .get(app.url(&format!("{link}/json")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json["signals"][0]["title"], "Hennep bij Vosbergen");
    assert_eq!(json["mentions"][0]["written"], "Anna Vosbergen 1984-02-29");
    // Registering was a processing of her; so were the three compilations.
    let activities: Vec<&str> = json["processing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["activity"].as_str().unwrap())
        .collect();
    assert_eq!(activities[0], "signaal geregistreerd", "{activities:?}");
    assert_eq!(
        activities
            .iter()
            .filter(|a| **a == "inzage samengesteld")
            .count(),
        2,
        "the page and the PDF before this one: {activities:?}"
    );
    assert!(json["bibob"].as_str().unwrap().contains("artikel 28"));
}
