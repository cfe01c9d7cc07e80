//! The verwijsindex in the browser (issue 18, pt 5): the beheerder gives an agreement a contact
//! point; a partner asks about a person and learns who holds information and whom to contact.

use crate::harness::{signal_json, TestApp};
use baken_core::model::Classification;
use baken_store::{Actor, NewAgreement};
use time::macros::date;

baken_store::on_both_engines!(crate::harness::TestApp =>
    a_partner_asks_the_verwijsindex_and_learns_whom_to_contact,
);

async fn a_partner_asks_the_verwijsindex_and_learns_whom_to_contact(app: &TestApp) {
    let a = app
        .store
        .user_by_email("analist@a.test")
        .await
        .unwrap()
        .unwrap();
    let b = app
        .store
        .user_by_email("partner@b.test")
        .await
        .unwrap()
        .unwrap();
    app.store
        .create_agreement(
            &Actor::cli(),
            NewAgreement {
                name: "Verwijsindex".into(),
                parties: vec![a.org, b.org],
                legal_basis: "RIEC-convenant".into(),
                purposes: "verwijzing".into(),
                themes: vec!["drugs".into()],
                max_classification: Classification::Vertrouwelijk,
                valid_from: date!(2025 - 01 - 01),
                valid_until: None,
                referral_contact: Some("Team Ondermijning, 050 765 4321".into()),
            },
            time::macros::datetime!(2025-06-02 10:00 UTC),
        )
        .await
        .unwrap();
    let token = app.token("analist@a.test").await;
    let mut body = signal_json("Drukte bij woning", "drugs");
    body["subjects"] = serde_json::json!([{
        "kind": "persoon", "role": "bewoner", "name": "Wim Verwezen", "birthDate": "1966-06-06"
    }]);
    app.api_signal(&token, body).await;

    let partner = app.login("partner@b.test").await;
    let form = partner
        .get(app.url("/verwijsindex"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = TestApp::csrf_of(&form);
    let ask = |fields: Vec<(&'static str, &'static str)>| {
        let partner = partner.clone();
        let csrf = csrf.clone();
        let url = app.url("/verwijsindex");
        async move {
            let mut pairs: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
            pairs.extend(fields);
            let r = partner.post(url).form(&pairs).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, page) = ask(vec![
        ("soort", "persoon"),
        ("naam", "Wim Verwezen"),
        ("geboortedatum", "06-06-1966"),
    ])
    .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<strong>Gemeente A</strong> heeft informatie. Contact: Team Ondermijning, 050 765 4321"),
        "{page}"
    );
    assert!(!page.contains("Drukte bij woning"), "never what it is");
    let (_, none) = ask(vec![
        ("soort", "persoon"),
        ("naam", "Wim Verwezen"),
        ("geboortedatum", "07-06-1966"),
    ])
    .await;
    assert!(none.contains("Geen van de partijen"), "{none}");
    let (status, wrong) = ask(vec![("soort", "persoon"), ("geboortedatum", "gisteren")]).await;
    assert_eq!(status, 400);
    assert!(
        wrong.contains("Naam: ") && wrong.contains("Geboortedatum: "),
        "{wrong}"
    );
    // The beheerder sees which agreements have a verwijsindex, and its contact point.
    let beheer = app.login("beheer@a.test").await;
    let agreements = beheer
        .get(app.url("/beheer/convenanten"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        agreements.contains("ja, contactpunt: Team Ondermijning, 050 765 4321"),
        "{agreements}"
    );
    assert!(agreements.contains("<dt>Verwijsindex</dt><dd>nee</dd>"));
    let lezer = app.login("lezer@a.test").await;
    let refused = lezer.get(app.url("/verwijsindex")).send().await.unwrap();
    assert_eq!(refused.status(), 403);
}
