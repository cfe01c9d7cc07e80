//! Dossiers over HTTP: from a signal's subject to its dossier, the purpose asked for a person
//! and audited, explanations, judgements with undo, and the beheerder's thresholds.

use crate::harness::{signal_json, TestApp};

baken_store::on_both_engines!(crate::harness::TestApp =>
    dossiers_explain_ask_why_and_take_judgements,
    an_analist_merges_a_dossier_baken_did_not_suggest,
    a_dossier_says_its_relations_in_sentences_with_their_dates,
    an_address_dossier_shows_visits_areas_and_a_time_line_within_need_to_know,
    a_partner_sees_the_same_as_if_no_one_else_had_registered_it
);

fn person(title: &str, name: &str, born: Option<&str>) -> serde_json::Value {
    let mut s = signal_json(title, "drugs");
    s["sharing"] = "convenant".into();
    s["subjects"] = serde_json::json!([{
        "kind": "persoon", "role": "bewoner", "name": name, "birthDate": born
    }]);
    s
}

async fn page(browser: &reqwest::Client, url: String) -> (u16, String) {
    let r = browser.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn post(browser: &reqwest::Client, url: String, form: &[(&str, &str)]) -> (u16, String) {
    let r = browser.post(url).form(form).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn dossiers_explain_ask_why_and_take_judgements(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let first = app
        .api_signal(
            &token,
            person("Hennepgeur", "Jan de Vries", Some("1980-01-02")),
        )
        .await;
    app.api_signal(
        &token,
        person("Stroomdiefstal", "Vries, J. de", Some("1980-01-02")),
    )
    .await;
    app.api_signal(&token, person("Overlast", "Jan de Vries", None))
        .await;

    let analist = app.login("analist@a.test").await;
    let (_, signal) = page(&analist, app.url(&format!("/signalen/{first}"))).await;
    let marker = "href=\"/betrokkenen/";
    let start = signal
        .find(marker)
        .expect("a link to the subject's dossier")
        + marker.len();
    let subject = &signal[start..start + 36];
    let r = analist
        .get(app.url(&format!("/betrokkenen/{subject}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let dossier_url = r.headers()["location"].to_str().unwrap().to_string();

    // A person's dossier asks why first.
    let (status, ask) = page(&analist, app.url(&dossier_url)).await;
    assert_eq!(status, 200);
    assert!(ask.contains("Waarom opent u dit dossier?"));
    assert!(!ask.contains("Hennepgeur"));
    let csrf = app.session_csrf(&analist).await;
    let (status, short) = post(
        &analist,
        app.url(&dossier_url),
        &[("csrf", &csrf), ("reden", "x")],
    )
    .await;
    assert_eq!(status, 400);
    assert!(short.contains("noem waarom u dit persoonsdossier opent"));
    let reason = "Voorbereiding casustafel 12 juni";
    let (status, dossier) = post(
        &analist,
        app.url(&dossier_url),
        &[("csrf", &csrf), ("reden", reason)],
    )
    .await;
    assert_eq!(status, 200, "{dossier}");
    assert!(dossier.contains("Vermeldingen (3)"), "{dossier}");
    assert!(dossier.contains("Hennepgeur") && dossier.contains("Stroomdiefstal"));
    assert!(dossier.contains("gekoppeld door Baken"));
    assert!(dossier.contains("<td>geboortedatum</td>") && dossier.contains("<td>achternaam</td>"));
    let events = app.store.audit_events(0, 100_000).await.unwrap();
    let read = events
        .iter()
        .rev()
        .find(|e| e.action == "dossier.read")
        .unwrap();
    assert_eq!(read.purpose, reason);

    // Split the third mention off, then undo.
    let subjects: Vec<String> = dossier
        .match_indices("name=\"rechts\" value=\"")
        .map(|(i, m)| dossier[i + m.len()..i + m.len() + 36].to_string())
        .collect();
    let lefts: Vec<String> = dossier
        .match_indices("name=\"links\" value=\"")
        .map(|(i, m)| dossier[i + m.len()..i + m.len() + 36].to_string())
        .collect();
    assert!(!subjects.is_empty());
    let (status, split) = post(
        &analist,
        app.url(&format!("{dossier_url}/oordeel")),
        &[
            ("csrf", &csrf),
            ("reden", reason),
            ("links", &lefts[0]),
            ("rechts", &subjects[0]),
            ("oordeel", "niet-dezelfde"),
            ("waarom", "BRP: twee verschillende personen"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{split}");
    assert!(split.contains("Vastgelegd: niet dezelfde"));
    assert!(split.contains("BRP: twee verschillende personen"));
    let judgement = {
        let m = "name=\"oordeel\" value=\"";
        let i = split.rfind(m).unwrap() + m.len();
        split[i..i + 36].to_string()
    };
    let (status, undone) = post(
        &analist,
        app.url(&format!("{dossier_url}/herstel")),
        &[("csrf", &csrf), ("reden", reason), ("oordeel", &judgement)],
    )
    .await;
    assert_eq!(status, 200, "{undone}");
    assert!(undone.contains("Het oordeel is teruggedraaid"));
    assert!(undone.contains("teruggedraaid op"));
    assert!(undone.contains("Vermeldingen (3)"));

    // A partner may read (shared drugs signals) but not judge.
    let partner = app.login("partner@b.test").await;
    let pcsrf = app.session_csrf(&partner).await;
    let (status, seen) = post(
        &partner,
        app.url(&dossier_url),
        &[("csrf", &pcsrf), ("reden", "Onderzoek politie")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(!seen.contains("Splitsen"));
    let (status, _) = post(
        &partner,
        app.url(&format!("{dossier_url}/oordeel")),
        &[
            ("csrf", &pcsrf),
            ("links", &lefts[0]),
            ("rechts", &subjects[0]),
            ("oordeel", "niet-dezelfde"),
            ("waarom", "zomaar"),
        ],
    )
    .await;
    assert_eq!(status, 403);
    // A lezer finds nothing: the subject's page only names the dossier asked for (it
    // looks nothing up), and that dossier is not found.
    let lezer = app.login("lezer@a.test").await;
    assert_eq!(
        page(&lezer, app.url(&format!("/betrokkenen/{subject}")))
            .await
            .0,
        303
    );
    assert_eq!(
        page(&lezer, app.url(&format!("/dossiers/{subject}")))
            .await
            .0,
        404
    );

    // The beheerder sets thresholds; bad input is named.
    let beheer = app.login("beheer@a.test").await;
    let (status, t) = page(&beheer, app.url("/beheer/koppelen")).await;
    assert_eq!(status, 200);
    assert!(t.contains("Persoon") && t.contains("0,9"));
    let bcsrf = app.session_csrf(&beheer).await;
    let (status, bad) = post(
        &beheer,
        app.url("/beheer/koppelen"),
        &[("csrf", &bcsrf), ("soort", "persoon"), ("drempel", "veel")],
    )
    .await;
    assert_eq!(status, 400);
    assert!(bad.contains("&#39;veel&#39; is geen getal"), "{bad}");
    let (status, ok) = post(
        &beheer,
        app.url("/beheer/koppelen"),
        &[("csrf", &bcsrf), ("soort", "persoon"), ("drempel", "0,97")],
    )
    .await;
    assert_eq!(status, 200, "{ok}");
    assert!(ok.contains("Drempel opgeslagen") && ok.contains("0,97"));
    assert_eq!(page(&analist, app.url("/beheer/koppelen")).await.0, 403);
}

/// The dossier of the first subject of signal `id`, through the subject's page.
async fn dossier_of_signal(app: &TestApp, browser: &reqwest::Client, id: &str) -> String {
    let (_, signal) = page(browser, app.url(&format!("/signalen/{id}"))).await;
    let marker = "href=\"/betrokkenen/";
    let start = signal.find(marker).expect("a subject link") + marker.len();
    let r = browser
        .get(app.url(&format!("/betrokkenen/{}", &signal[start..start + 36])))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn an_analist_merges_a_dossier_baken_did_not_suggest(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let first = app
        .api_signal(
            &token,
            person("Drugsafval", "Mohammed Ali Hassan", Some("1985-04-12")),
        )
        .await;
    let second = app
        .api_signal(&token, person("Witwassen", "M. A. H. Hasan", None))
        .await;
    let analist = app.login("analist@a.test").await;
    let one = dossier_of_signal(app, &analist, &first).await;
    let two = dossier_of_signal(app, &analist, &second).await;
    assert_ne!(one, two);
    let csrf = app.session_csrf(&analist).await;
    let reason = "Casustafel 3 juli";
    let (status, opened) = post(
        &analist,
        app.url(&one),
        &[("csrf", &csrf), ("reden", reason)],
    )
    .await;
    assert_eq!(status, 200);
    assert!(opened.contains("Samenvoegen met een ander dossier"));
    assert!(opened.contains("Vermeldingen (1)"));

    let (status, bad) = post(
        &analist,
        app.url(&format!("{one}/samenvoegen")),
        &[
            ("csrf", &csrf),
            ("reden", reason),
            ("ander", "onzin"),
            ("waarom", "zelfde man"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(bad.contains("Ander dossier: plak de link"), "{bad}");
    let (status, same) = post(
        &analist,
        app.url(&format!("{one}/samenvoegen")),
        &[
            ("csrf", &csrf),
            ("reden", reason),
            ("ander", &one),
            ("waarom", "zelfde man"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(same.contains("Ander dossier: dit is hetzelfde dossier"));

    // The full link of the other dossier, as copied from the address bar.
    let (status, merged) = post(
        &analist,
        app.url(&format!("{one}/samenvoegen")),
        &[
            ("csrf", &csrf),
            ("reden", reason),
            ("ander", &app.url(&two)),
            ("waarom", "Paspoort bij controle"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{merged}");
    assert!(merged.contains("De dossiers zijn samengevoegd"));
    assert!(merged.contains("Vermeldingen (2)"));
    assert!(merged.contains("Drugsafval") && merged.contains("Witwassen"));
    assert!(merged.contains("Paspoort bij controle"));
    let events = app.store.audit_events(0, 100_000).await.unwrap();
    assert!(events.iter().any(|e| e.action == "link.confirm"));

    // A partner cannot merge.
    let partner = app.login("partner@b.test").await;
    let pcsrf = app.session_csrf(&partner).await;
    let (status, _) = post(
        &partner,
        app.url(&format!("{one}/samenvoegen")),
        &[("csrf", &pcsrf), ("ander", &two), ("waarom", "zomaar")],
    )
    .await;
    assert_eq!(status, 403);
}

async fn a_dossier_says_its_relations_in_sentences_with_their_dates(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    let mut s = signal_json("Adrescontrole", "drugs");
    s["subjects"] = serde_json::json!([
        {"kind": "persoon", "role": "bewoner", "name": "Jan de Vries", "birthDate": "1980-01-02"},
        {"kind": "adres", "role": "locatie", "street": "Oosterparkstraat", "houseNumber": "12",
         "place": "Groningen"}
    ]);
    s["relations"] = serde_json::json!([
        {"from": 0, "to": 1, "kind": "woont-op", "validFrom": "2024-03-01"}
    ]);
    let id = app.api_signal(&token, s).await;
    let analist = app.login("analist@a.test").await;
    // The second subject link is the address's.
    let dossier = dossier_of_second_subject(app, &analist, &id).await;
    assert!(
        dossier.contains("</a> woont op Oosterparkstraat 12, Groningen sinds 01-03-2024"),
        "{dossier}"
    );
    assert!(!dossier.contains("woont op van") && !dossier.contains("heeft als"));
}

/// The subjects a signal's page links to, in order.
fn subject_links(signal: &str) -> Vec<String> {
    let marker = "href=\"/betrokkenen/";
    signal
        .match_indices(marker)
        .map(|(i, _)| signal[i + marker.len()..i + marker.len() + 36].to_string())
        .collect()
}

/// The dossier the second subject link of signal `id`'s page leads to.
async fn dossier_of_second_subject(app: &TestApp, browser: &reqwest::Client, id: &str) -> String {
    let (_, signal) = page(browser, app.url(&format!("/signalen/{id}"))).await;
    let subjects = subject_links(&signal);
    assert_eq!(subjects.len(), 2, "{signal}");
    let r = browser
        .get(app.url(&format!("/betrokkenen/{}", subjects[1])))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let url = r.headers()["location"].to_str().unwrap().to_string();
    let (status, dossier) = page(browser, app.url(&url)).await;
    assert_eq!(status, 200);
    dossier
}

async fn an_address_dossier_shows_visits_areas_and_a_time_line_within_need_to_know(app: &TestApp) {
    use baken_core::model::AreaKind;
    crate::picture::import_cbs(app, "groningen-wijken-2014.geojson", AreaKind::Wijk).await;
    crate::picture::import_cbs(app, "groningen-buurten-2014.geojson", AreaKind::Buurt).await;
    let now = time::macros::datetime!(2025-06-02 10:00 UTC);
    let token = app.token("analist@a.test").await;
    let mut s = signal_json("Adrescontrole Oosterpark", "drugs");
    s["areaCode"] = serde_json::Value::Null;
    s["subjects"] = serde_json::json!([
        {"kind": "persoon", "role": "bewoner", "name": "Jan de Vries", "birthDate": "1980-01-02"},
        {"kind": "adres", "role": "locatie", "street": "Oosterparkstraat", "houseNumber": "12",
         "postcode": "9713 AA", "place": "Groningen"}
    ]);
    s["relations"] = serde_json::json!([
        {"from": 0, "to": 1, "kind": "woont-op", "validFrom": "2024-03-01"}
    ]);
    let id = app.api_signal(&token, s).await;

    // Objects at number 12 and number 14, visits to both, and one at 12 by its location.
    let caller = |email: &'static str| async move {
        let user = app.store.user_by_email(email).await.unwrap().unwrap();
        baken_core::Caller::for_user_handling_signals(&user, "test")
    };
    let analist = caller("analist@a.test").await;
    let objects = vec![
        baken_store::NewFieldObject {
            name: "Loods achter nummer 12".into(),
            address: Some("Oosterparkstraat 12, 9713 AA Groningen".into()),
            area_code: None,
        },
        baken_store::NewFieldObject {
            name: "Schuur bij de buren".into(),
            address: Some("Oosterparkstraat 14, 9713 AA Groningen".into()),
            area_code: None,
        },
    ];
    app.store
        .add_field_objects(&analist, "leegstaand-object", objects, now)
        .await
        .unwrap();
    let stored = app
        .store
        .field_objects(&analist, "leegstaand-object")
        .await
        .unwrap();
    let object = |name: &str| stored.iter().find(|o| o.name == name).unwrap().id;
    let checklist = app
        .store
        .checklist(baken_core::field::VisitKind::Controle)
        .await
        .unwrap();
    let inspector = caller("toezicht@a.test").await;
    let visits = [
        (Some(object("Loods achter nummer 12")), None, "2025-04-01"),
        (Some(object("Schuur bij de buren")), None, "2025-04-02"),
        (
            None,
            Some("Oosterparkstraat 12 (achterom), 9713AA"),
            "2025-03-15",
        ),
    ];
    for (object, location, on) in visits {
        let input = baken_core::field::VisitInput {
            kind: Some("controle".into()),
            object: object.map(|o| o.to_string()),
            location: location.map(str::to_string),
            visited_on: Some(on.into()),
            ..Default::default()
        };
        app.store
            .create_visit(
                &inspector,
                baken_core::field::NewVisit::parse(&input, &checklist, now.date()).unwrap(),
                now,
            )
            .await
            .unwrap();
    }

    let browser = app.login("analist@a.test").await;
    let dossier = dossier_of_second_subject(app, &browser, &id).await;
    // The areas it lies in, from where its signals were placed.
    assert!(
        dossier.contains("Ligt in: <a href=\"/gebieden/"),
        "{dossier}"
    );
    assert!(
        dossier.contains("(wijk)") && dossier.contains("(buurt)"),
        "{dossier}"
    );
    // The time line: the signal, the two visits at number 12 (not the one at 14), and the
    // relation's start, newest first.
    let timeline = dossier
        .split("<h2>Tijdlijn</h2>")
        .nth(1)
        .expect("a time line")
        .split("</table>")
        .next()
        .unwrap();
    let order: Vec<usize> = ["20-05-2025", "01-04-2025", "15-03-2025", "01-03-2024"]
        .iter()
        .map(|d| {
            timeline
                .find(d)
                .unwrap_or_else(|| panic!("{d} in {timeline}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{timeline}");
    assert!(
        timeline.contains("Loods achter nummer 12, door "),
        "{timeline}"
    );
    assert!(timeline.contains("Oosterparkstraat 12 (achterom), 9713AA, door "));
    assert!(!timeline.contains("Schuur bij de buren"), "another address");
    assert!(timeline.contains("Begin"), "{timeline}");

    // The police see the address through the shared signal, but not the municipality's
    // visits.
    let police = app.login("analist@b.test").await;
    let theirs = dossier_of_second_subject(app, &police, &id).await;
    assert!(theirs.contains("Tijdlijn"));
    assert!(!theirs.contains("Loods achter nummer 12"), "{theirs}");
    assert!(!theirs.contains("achterom"));
}

/// A signal naming a plate, a person and a phone number.
fn three_subjects(title: &str, theme: &str, set: usize) -> serde_json::Value {
    let (plate, name, born, phone) = SETS[set];
    let mut s = signal_json(title, theme);
    s["subjects"] = serde_json::json!([
        {"kind": "voertuig", "role": "gebruiker", "plate": plate},
        {"kind": "persoon", "role": "betrokkene", "name": name, "birthDate": born},
        {"kind": "telefoon", "role": "betrokkene", "value": phone}
    ]);
    s
}

/// Two sets of a plate, a person and a phone number; the second also as shown.
const SETS: [(&str, &str, &str, &str); 2] = [
    ("12-XYZ-3", "Karel Appel", "1971-05-06", "06 12345678"),
    ("34-ABC-5", "Kees Verwer", "1966-02-03", "06 87654321"),
];

/// Everything a browser shows about each subject of signal `id`: the signal's page, the
/// redirect from each subject's page and the dossier it leads to (a person's opened with a
/// reason). Asserts that each dossier is known by the partner's own mention.
async fn views_of_subjects(app: &TestApp, browser: &reqwest::Client, id: &str) -> Vec<String> {
    let (_, signal) = page(browser, app.url(&format!("/signalen/{id}"))).await;
    let subjects = subject_links(&signal);
    assert_eq!(subjects.len(), 3, "{signal}");
    let csrf = app.session_csrf(browser).await;
    let mut views = vec![signal];
    for subject in subjects {
        let r = browser
            .get(app.url(&format!("/betrokkenen/{subject}")))
            .send()
            .await
            .unwrap();
        let location = r.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(location, format!("/dossiers/{subject}"));
        let (_, first) = page(browser, app.url(&location)).await;
        let (_, opened) = post(
            browser,
            app.url(&location),
            &[("csrf", &csrf), ("reden", "Onderzoek naar voertuig")],
        )
        .await;
        assert!(
            opened.contains(&format!("Dossiernummer {subject}")),
            "the dossier is known by the partner's own mention: {opened}"
        );
        views.extend([location, first, opened]);
    }
    views
}

/// The views with every id replaced by its order of first appearance and set `set`'s values
/// by placeholders, so that two signals' views can be compared.
fn anonymised(views: &[String], set: usize) -> Vec<String> {
    let (plate, name, born, phone) = SETS[set];
    let born_shown = {
        let (y, rest) = born.split_at(4);
        format!("{}-{}-{y}", &rest[4..6], &rest[1..3])
    };
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let e164 = format!("+31{}", &digits[1..]);
    let mut ids: Vec<String> = Vec::new();
    views
        .iter()
        .map(|v| {
            let mut out = String::new();
            let mut rest = v.as_str();
            while let Some(at) = rest.find(|c: char| c.is_ascii_hexdigit()) {
                let candidate = rest
                    .get(at..at + 36)
                    .filter(|c| uuid::Uuid::parse_str(c).is_ok());
                match candidate {
                    Some(id) => {
                        let n = match ids.iter().position(|x| x == id) {
                            Some(n) => n,
                            None => {
                                ids.push(id.to_string());
                                ids.len() - 1
                            }
                        };
                        out.push_str(&rest[..at]);
                        out.push_str(&format!("<id{n}>"));
                        rest = &rest[at + 36..];
                    }
                    None => {
                        let next = at + rest[at..].chars().next().map_or(1, char::len_utf8);
                        out.push_str(&rest[..next]);
                        rest = &rest[next..];
                    }
                }
            }
            out.push_str(rest);
            out.replace(plate, "<plate>")
                .replace(&plate.replace('-', ""), "<plate>")
                .replace(name, "<name>")
                .replace(&name.to_uppercase(), "<NAME>")
                .replace(born, "<born>")
                .replace(&born_shown, "<born>")
                .replace(phone, "<phone>")
                .replace(&e164, "<phone>")
        })
        .collect()
}

/// Nothing the partner receives — redirect, dossier number, mentions, links, suggestions —
/// depends on whether the municipality's Bibob team and its analists registered the same
/// plate, person and phone number, in signals the partner may not see: not when they did so
/// before the partner (compared with a set nobody else holds), and not when they do so after.
async fn a_partner_sees_the_same_as_if_no_one_else_had_registered_it(app: &TestApp) {
    // The others register set 1 first.
    let mut bibob = three_subjects("Bibob-onderzoek exploitant", "drugs", 1);
    bibob["classification"] = "bibob".into();
    app.api_signal(&app.token("bibob@a.test").await, bibob)
        .await;
    let analist = app.token("analist@a.test").await;
    for i in 0..2 {
        app.api_signal(
            &analist,
            three_subjects(&format!("Vastgoedsignaal {i}"), "vastgoed", 1),
        )
        .await;
    }
    // The partner registers set 0 (nobody else has it) and set 1, in signals alike.
    let partner_token = app.token("partner@b.test").await;
    let alone_id = app
        .api_signal(&partner_token, three_subjects("Auto bij loods", "drugs", 0))
        .await;
    let known_id = app
        .api_signal(&partner_token, three_subjects("Auto bij loods", "drugs", 1))
        .await;
    let partner = app.login("partner@b.test").await;
    let alone = views_of_subjects(app, &partner, &alone_id).await;
    let known = views_of_subjects(app, &partner, &known_id).await;
    let (alone_a, known_a) = (anonymised(&alone, 0), anonymised(&known, 1));
    for (a, k) in alone_a.iter().zip(&known_a) {
        assert_eq!(a, k, "the partner's view depends on what others registered");
    }

    // And when the others register set 0 after the partner, nothing changes either.
    let mut later = three_subjects("Bibob-onderzoek later", "drugs", 0);
    later["classification"] = "bibob".into();
    app.api_signal(&app.token("bibob@a.test").await, later)
        .await;
    app.api_signal(&analist, three_subjects("Vastgoed later", "vastgoed", 0))
        .await;
    assert_eq!(views_of_subjects(app, &partner, &alone_id).await, alone);
}
