//! A meeting of the case table in the browser and the API (issue 14): planning from the
//! proposed agenda, a disclosure under a convenant that the partner at the table may not read,
//! a decision refused until its motivation is complete, an overdue action on the partner's
//! overview, and the minutes per recipient.

use crate::harness::{password_hash, signal_json, TestApp};

baken_store::on_both_engines!(crate::harness::TestApp =>
    a_meeting_from_agenda_to_minutes
);

async fn page(browser: &reqwest::Client, url: String) -> (u16, String) {
    let r = browser.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn a_meeting_from_agenda_to_minutes(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let mut body = signal_json("Stroomverbruik loods", "drugs");
    body["subjects"] = serde_json::json!([{
        "kind": "persoon", "role": "huurder", "name": "Kees Loodsma", "birthDate": "1980-02-03"
    }]);
    let signal = app.api_signal(&token, body).await;
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"title": "Loods Zuidbroek", "themes": ["drugs"], "signals": [signal]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let case = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let org = |name: &'static str| async move {
        app.store
            .organisation_by_name(name)
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string()
    };
    let (org_a, org_b) = (org("Gemeente A").await, org("Politie B").await);

    // The planning form proposes the new case; the meeting is planned with Politie B.
    let analist = app.login("analist@a.test").await;
    let csrf = app.session_csrf(&analist).await;
    let (status, form) = page(&analist, app.url("/overleggen/nieuw?datum=2025-06-10")).await;
    assert_eq!(status, 200);
    assert!(form.contains("Loods Zuidbroek"), "{form}");
    assert!(form.contains("nieuwe casus"), "{form}");
    let refused = analist
        .post(app.url("/overleggen/nieuw"))
        .form(&[("csrf", csrf.as_str()), ("people", "niemand@nergens.test")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let text = refused.text().await.unwrap();
    assert!(text.contains("vul de datum van het overleg in"), "{text}");
    assert!(
        text.contains("geen actieve gebruiker met e-mailadres niemand@nergens.test"),
        "{text}"
    );
    let planned = analist
        .post(app.url("/overleggen/nieuw"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "Casustafel juni"),
            ("heldOn", "2025-06-10"),
            ("cases", case.as_str()),
            ("organisations", org_b.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(planned.status(), 303);
    let meeting_url = planned.headers()["location"].to_str().unwrap().to_string();
    let meeting = meeting_url.rsplit('/').next().unwrap().to_string();
    // Days in the API are JJJJ-MM-DD.
    let listed = app.get_json(&token, "/api/v1/meetings").await;
    assert_eq!(listed["items"][0]["heldOn"], "2025-06-10", "{listed}");
    // The list pages like every list: its total, and a cursor that no list made is refused,
    // named, in the API and on the page.
    assert_eq!(listed["total"], 1, "{listed}");
    assert!(listed["nextCursor"].is_null(), "{listed}");
    let bad_page = reqwest::Client::new()
        .get(app.url("/api/v1/meetings?cursor=nergens&pageSize=500"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(bad_page.status(), 400);
    let problem: serde_json::Value = bad_page.json().await.unwrap();
    let fields: Vec<&str> = problem["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(fields, ["cursor", "pageSize"], "{problem}");
    let (status, text) = page(&analist, app.url("/overleggen")).await;
    assert_eq!(status, 200);
    assert!(text.contains("1 overleg"), "{text}");
    let wrong = analist
        .get(app.url("/overleggen?cursor=nergens"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    let text = wrong.text().await.unwrap();
    assert!(text.contains("Onbekende pagina"), "{text}");
    assert!(
        text.contains(r#"<a href="/overleggen">Naar de eerste pagina</a>"#),
        "the message leads to the list's first page: {text}"
    );

    // Gemeente A brings in what only it may read, under the A-B convenant.
    let agreement = app
        .store
        .agreements()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == "A-B drugs en mensenhandel")
        .unwrap()
        .id
        .to_string();
    let item = format!("/overleggen/{meeting}/casussen/{case}");
    let recorded = analist
        .post(app.url(&format!("{item}/inbreng")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("organisation", org_a.as_str()),
            ("basis", "convenant"),
            ("agreement", agreement.as_str()),
            ("recipients", org_a.as_str()),
            ("summary", "Eigenaar heeft drie panden op naam"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(recorded.status(), 303);
    // A decision without its motivation is refused, part by part, in Dutch.
    let refused = analist
        .post(app.url(&format!("{item}/besluit")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("approaches", "zorg"),
            ("decision", "Hulpverlening aanbieden"),
            ("careConsidered", "nee"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let text = refused.text().await.unwrap();
    // What was typed stays in the form, which is open at the case.
    assert!(
        text.contains(">Hulpverlening aanbieden</textarea>"),
        "{text}"
    );
    assert!(text.contains("<details open>"), "{text}");
    for message in [
        "leg uit waarom de aanpak geschikt is",
        "leg uit waarom de aanpak noodzakelijk is",
        "leg uit waarom de aanpak evenwichtig is",
        "zorg is als aanpak gekozen, dus is zorg overwogen",
        "noem wat niet is gekozen en waarom",
    ] {
        assert!(text.contains(message), "{message}: {text}");
    }
    let decided = analist
        .post(app.url(&format!("{item}/besluit")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("approaches", "zorg"),
            ("approaches", "bestuurlijk"),
            ("decision", "Hulpverlening aanbieden, waarschuwing 13b"),
            ("suitable", "Stopt de teelt"),
            ("necessary", "Een gesprek hielp niet"),
            ("balanced", "Geen sluiting: gezin met kinderen"),
            ("careConsidered", "ja"),
            ("careReason", "Schulden zijn de aanleiding"),
            ("notChosen", "Sluiting van de woning"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), 303);
    let decision = app
        .get_json(&token, &format!("/api/v1/meetings/{meeting}"))
        .await["items"][0]["decisions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // An empty summary of the discussion is refused (it would wipe what was recorded).
    let empty = analist
        .post(app.url(&format!("{item}/bespreking")))
        .form(&[("csrf", csrf.as_str()), ("discussion", " ")])
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 400);
    assert!(empty
        .text()
        .await
        .unwrap()
        .contains("vat de bespreking samen"));
    // An action for Politie B, due the day before "today" (2025-06-02).
    let added = analist
        .post(app.url(&format!(
            "/overleggen/{meeting}/besluiten/{decision}/acties"
        )))
        .form(&[
            ("csrf", csrf.as_str()),
            ("description", "Buurtonderzoek"),
            ("ownerOrganisation", org_b.as_str()),
            ("dueOn", "2025-06-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 303);

    // The tenant's dossier shows the decision on its time line.
    let json = app
        .get_json(&token, &format!("/api/v1/signals/{signal}"))
        .await;
    let mention = json["subjects"][0]["id"].as_str().unwrap().to_string();
    let dossier = analist
        .post(app.url(&format!("/dossiers/{mention}")))
        .form(&[("csrf", csrf.as_str()), ("reden", "casus Loods Zuidbroek")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dossier.contains("Besluit casustafel"), "{dossier}");
    // The case names the tenant (through the signal), and the dossier offers the open cases.
    assert!(dossier.contains("Aan een casus toevoegen"), "{dossier}");
    let (_, case_page) = page(&analist, app.url(&format!("/casussen/{case}"))).await;
    assert!(case_page.contains("Kees Loodsma"), "{case_page}");
    let added = analist
        .post(app.url(&format!("/dossiers/{mention}/casus")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("casus", case.as_str()),
            ("mention", mention.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 303);
    assert!(
        dossier.contains("Hulpverlening aanbieden, waarschuwing 13b"),
        "{dossier}"
    );

    // The partner sees the meeting and the decision, not what A brought in.
    let partner = app.login("partner@b.test").await;
    let (status, seen) = page(&partner, app.url(&meeting_url)).await;
    assert_eq!(status, 200);
    assert!(
        seen.contains("Hulpverlening aanbieden, waarschuwing 13b"),
        "{seen}"
    );
    assert!(seen.contains("Schulden zijn de aanleiding"), "{seen}");
    assert!(!seen.contains("drie panden"), "{seen}");
    assert!(
        seen.contains("De inhoud is niet met uw organisatie gedeeld"),
        "{seen}"
    );
    assert!(
        !seen.contains("Besluit vastleggen"),
        "a participant does not run the meeting"
    );
    let (_, overview) = page(&partner, app.url("/overzicht")).await;
    assert!(overview.contains("Buurtonderzoek"), "{overview}");
    assert!(overview.contains("te laat"), "{overview}");
    let (_, minutes) = page(&partner, app.url(&format!("{meeting_url}/verslag"))).await;
    assert!(minutes.contains("Versie voor Politie B"), "{minutes}");
    assert!(!minutes.contains("drie panden"), "{minutes}");
    let (status, _) = page(
        &partner,
        app.url(&format!("{meeting_url}/verslag?voor=eigen")),
    )
    .await;
    assert_eq!(status, 403);
    let partner_token = app.token("partner@b.test").await;
    let json = app
        .get_json(&partner_token, &format!("/api/v1/meetings/{meeting}"))
        .await;
    assert!(
        json["items"][0]["disclosures"][0]["summary"].is_null(),
        "{json}"
    );
    assert_eq!(
        json["items"][0]["actions"][0]["description"],
        "Buurtonderzoek"
    );

    // The own file has everything; the minutes print as a page of their own.
    let (_, own) = page(
        &analist,
        app.url(&format!("{meeting_url}/verslag?voor=eigen")),
    )
    .await;
    assert!(own.contains("drie panden"), "{own}");
    assert!(own.contains("eigen dossier van Gemeente A"), "{own}");
    let (_, for_b) = page(
        &analist,
        app.url(&format!("{meeting_url}/verslag?voor={org_b}")),
    )
    .await;
    assert!(!for_b.contains("drie panden"), "{for_b}");
    // The same versions as PDF, made in-process.
    let pdf = |browser: reqwest::Client, url: String| async move {
        let r = browser.get(url).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        r.bytes().await.unwrap().to_vec()
    };
    let own_pdf = pdf(
        analist.clone(),
        app.url(&format!("{meeting_url}/verslag.pdf?voor=eigen")),
    )
    .await;
    assert!(own_pdf.starts_with(b"%PDF-"));
    let own_text = String::from_utf8_lossy(&own_pdf);
    assert!(
        own_text.contains("drie panden"),
        "the own file has everything"
    );
    assert!(own_text.contains("Schulden zijn de aanleiding"));
    let partner_pdf = pdf(
        partner.clone(),
        app.url(&format!("{meeting_url}/verslag.pdf")),
    )
    .await;
    let partner_text = String::from_utf8_lossy(&partner_pdf);
    assert!(!partner_text.contains("drie panden"));
    assert!(partner_text.contains("De inhoud is niet met deze organisatie gedeeld."));
    let (status, _) = page(
        &partner,
        app.url(&format!("{meeting_url}/verslag.pdf?voor=eigen")),
    )
    .await;
    assert_eq!(status, 403);

    // The partner marks the action done: it leaves their overview.
    let partner_csrf = app.session_csrf(&partner).await;
    let action = json["items"][0]["actions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let done = partner
        .post(app.url(&format!("/acties/{action}/status")))
        .form(&[
            ("csrf", partner_csrf.as_str()),
            ("status", "afgerond"),
            ("terug", "/overzicht"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    let (_, overview) = page(&partner, app.url("/overzicht")).await;
    assert!(!overview.contains("Buurtonderzoek"), "{overview}");

    // A second case about the same loods is merged into this one in the browser, then the
    // signal split off again through the API; both steps show on the case.
    let second = reqwest::Client::new()
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&token)
        .json(
            &serde_json::json!({"title": "Loods Zuidbroek (tweede melding)", "themes": ["drugs"]}),
        )
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let refused = analist
        .post(app.url(&format!("/casussen/{case}/samenvoegen")))
        .form(&[("csrf", csrf.as_str()), ("other", second.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let text = refused.text().await.unwrap();
    assert!(
        text.contains("geef een reden voor het samenvoegen of splitsen"),
        "{text}"
    );
    let merged = analist
        .post(app.url(&format!("/casussen/{case}/samenvoegen")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("other", second.as_str()),
            ("reason", "dezelfde loods"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(merged.status(), 303);
    let split = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/cases/{case}/splits")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"title": "Huurder Loodsma", "themes": ["drugs"], "signals": [signal], "reason": "eigen spoor"}))
        .send()
        .await
        .unwrap();
    assert_eq!(split.status(), 201);
    let (_, case_page) = page(&analist, app.url(&format!("/casussen/{case}"))).await;
    assert!(case_page.contains("Samengevoegd uit"), "{case_page}");
    assert!(case_page.contains("Afgesplitst naar"), "{case_page}");
    assert!(case_page.contains("Huurder Loodsma"), "{case_page}");

    // A voorzitter of the municipality: the case table in the menu, no maps or deviations
    // (counts of signals are not for this role).
    let org_a_id = app
        .store
        .organisation_by_name("Gemeente A")
        .await
        .unwrap()
        .unwrap()
        .id;
    app.store
        .create_user(
            &baken_store::Actor::cli(),
            baken_store::NewUser {
                org: org_a_id,
                email: "voorzitter@a.test".into(),
                display_name: "Voorzitter A".into(),
                roles: baken_core::RoleSet::new([baken_core::Role::Voorzitter]),
                password_hash: Some(password_hash().to_string()),
            },
            time::macros::datetime!(2025-06-02 12:00 UTC),
        )
        .await
        .unwrap();
    let chair = app.login("voorzitter@a.test").await;
    let (status, overview) = page(&chair, app.url("/overzicht")).await;
    assert_eq!(status, 200);
    assert!(overview.contains("href=\"/overleggen\""), "{overview}");
    assert!(!overview.contains("href=\"/kaart\""), "{overview}");
    let (status, _) = page(&chair, app.url("/overleggen/nieuw")).await;
    assert_eq!(status, 200, "a voorzitter plans meetings");
}
