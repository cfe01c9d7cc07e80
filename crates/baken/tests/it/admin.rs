//! Beheer → Gebruikers in the browser (issue 17, pt 3 and 4): the beheerder adds an account
//! (temporary password shown once, replaced at the first login), changes its roles, revokes
//! a token (it fails at once), unlocks an account locked by guessing, and deactivates it
//! (its session ends) — all audited, the chain intact.

use crate::harness::{TestApp, PASSWORD};
use crate::sessions::attempt;
use baken_store::testing::{TestDatabase, TestEngine};

async fn text(r: reqwest::Response) -> String {
    r.text().await.unwrap()
}

/// The code element's content after `marker` (a temporary password on the page).
fn secret_after(html: &str, marker: &str) -> String {
    let from = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {html}"));
    let rest = &html[from..];
    let start = rest.find("<code class=\"secret\">").unwrap() + "<code class=\"secret\">".len();
    let end = rest[start..].find("</code>").unwrap();
    rest[start..start + end].to_string()
}

async fn post(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = app.session_csrf(browser).await;
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    browser
        .post(app.url(path))
        .form(&form)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_beheerder_administers_accounts_in_the_browser() {
    let file = baken::config::parse_file("trusted_proxies = [\"127.0.0.1\"]").unwrap();
    let db = TestDatabase::fresh(TestEngine::Sqlite).await.unwrap();
    let app = TestApp::start_with(db, file).await;
    let admin = app.login("beheer@a.test").await;
    let list = text(
        admin
            .get(app.url("/beheer/gebruikers"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        list.contains("aria-current=\"page\">Gebruikers</a>"),
        "{list}"
    );
    assert!(list.contains("analist@a.test"));
    let org_a = app
        .store
        .organisation_by_name("Gemeente A")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();

    // Adding: errors name their field; then the temporary password, once.
    let refused = post(
        &app,
        &admin,
        "/beheer/gebruikers",
        &[("email", "geen-adres"), ("org", &org_a)],
    )
    .await;
    assert_eq!(refused.status(), 400);
    let refused = text(refused).await;
    assert!(refused.contains("Naam: vul een naam in"), "{refused}");
    let made = post(
        &app,
        &admin,
        "/beheer/gebruikers",
        &[
            ("name", "Nieuwe Collega"),
            ("email", "nieuw@a.test"),
            ("org", &org_a),
            ("roles", "lezer"),
        ],
    )
    .await;
    assert_eq!(made.status(), 200);
    let made = text(made).await;
    let temporary = secret_after(&made, "Account nieuw@a.test is aangemaakt");
    assert_eq!(temporary.chars().count(), 20);

    // The new colleague must choose a password before anything else.
    let colleague = app.browser();
    let r = attempt(&app, "nieuw@a.test", &temporary, None).await;
    assert_eq!(r.headers()["location"], "/wachtwoord");
    let page = text(colleague.get(app.url("/inloggen")).send().await.unwrap()).await;
    let login = colleague
        .post(app.url("/inloggen"))
        .form(&[
            ("csrf", TestApp::csrf_of(&page).as_str()),
            ("email", "nieuw@a.test"),
            ("password", temporary.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.headers()["location"], "/wachtwoord");
    let elsewhere = colleague.get(app.url("/overzicht")).send().await.unwrap();
    assert_eq!(elsewhere.headers()["location"], "/wachtwoord");
    let form = text(colleague.get(app.url("/wachtwoord")).send().await.unwrap()).await;
    assert!(form.contains("Kies eerst een eigen wachtwoord"), "{form}");
    let csrf = TestApp::csrf_of(&form);
    let mismatch = colleague
        .post(app.url("/wachtwoord"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", temporary.as_str()),
            ("new", "een-lange-zin-van-mij"),
            ("repeat", "een-andere-zin"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(mismatch.status(), 400);
    assert!(text(mismatch)
        .await
        .contains("Nieuw wachtwoord nogmaals: de twee wachtwoorden verschillen"));
    let changed = colleague
        .post(app.url("/wachtwoord"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", temporary.as_str()),
            ("new", "een-lange-zin-van-mij"),
            ("repeat", "een-lange-zin-van-mij"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_eq!(
        colleague
            .get(app.url("/overzicht"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Roles: the account page changes them; the colleague's next request has them.
    let id = app
        .store
        .user_by_email("nieuw@a.test")
        .await
        .unwrap()
        .unwrap()
        .id;
    let page = format!("/beheer/gebruikers/{id}");
    let none = post(&app, &admin, &format!("{page}/rollen"), &[]).await;
    assert_eq!(none.status(), 400);
    assert!(text(none).await.contains("Rollen: kies minstens één rol"));
    let r = post(
        &app,
        &admin,
        &format!("{page}/rollen"),
        &[("roles", "analist")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        colleague
            .get(app.url("/signalen/nieuw"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Tokens: listed with their last use, revoked at once.
    let token = app.token("nieuw@a.test").await;
    let api = |token: String| {
        let app = &app;
        async move {
            reqwest::Client::new()
                .get(app.url("/api/v1/signals"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(api(token.clone()).await, 200);
    let account = text(admin.get(app.url(&page)).send().await.unwrap()).await;
    assert!(account.contains("<td>test</td>"), "{account}");
    assert!(
        !account.contains(">nooit</td><td><form"),
        "its use is shown: {account}"
    );
    let hash = baken_store::credentials::secret_hash(&token);
    let r = post(
        &app,
        &admin,
        &format!("{page}/token-intrekken"),
        &[("token", &hash)],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(api(token).await, 401);

    // Guessing from many addresses locks the account; the beheerder sees and unlocks it.
    for n in 0..20 {
        attempt(
            &app,
            "nieuw@a.test",
            "geraden",
            Some(&format!("203.0.113.{n}")),
        )
        .await;
    }
    let locked = attempt(
        &app,
        "nieuw@a.test",
        "een-lange-zin-van-mij",
        Some("198.51.100.9"),
    )
    .await;
    assert_eq!(locked.status(), 429);
    let account = text(admin.get(app.url(&page)).send().await.unwrap()).await;
    assert!(account.contains("geblokkeerd tot"), "{account}");
    let unlocked = text(post(&app, &admin, &format!("{page}/ontgrendelen"), &[]).await).await;
    assert!(
        unlocked.contains("Het account is ontgrendeld."),
        "{unlocked}"
    );
    let again = attempt(
        &app,
        "nieuw@a.test",
        "een-lange-zin-van-mij",
        Some("198.51.100.9"),
    )
    .await;
    assert_eq!(again.status(), 303);

    // Deactivating ends the session at once; the login then fails like any wrong one.
    let r = post(&app, &admin, &format!("{page}/uitschakelen"), &[]).await;
    assert_eq!(r.status(), 303);
    let gone = colleague.get(app.url("/overzicht")).send().await.unwrap();
    assert_eq!(gone.headers()["location"], "/inloggen");
    let refused = attempt(
        &app,
        "nieuw@a.test",
        "een-lange-zin-van-mij",
        Some("198.51.100.10"),
    )
    .await;
    assert_eq!(refused.status(), 401);
    // The beheerder's own account offers no switch-off.
    let me = app
        .store
        .user_by_email("beheer@a.test")
        .await
        .unwrap()
        .unwrap()
        .id;
    let own = text(
        admin
            .get(app.url(&format!("/beheer/gebruikers/{me}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(!own.contains("Account uitschakelen"));

    // Reset: a temporary password, shown once.
    let reset = text(post(&app, &admin, &format!("{page}/wachtwoord"), &[]).await).await;
    assert_eq!(
        secret_after(&reset, "Tijdelijk wachtwoord").chars().count(),
        20
    );

    let actions: Vec<String> = app
        .store
        .audit_events(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in [
        "user.create",
        "user.reset-password",
        "user.set-password",
        "user.set-roles",
        "token.revoke",
        "user.unlock",
        "user.deactivate",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} audited");
    }
    assert!(matches!(
        app.store
            .verify_audit_chain(&Default::default())
            .await
            .unwrap(),
        baken_store::AuditVerification::Intact { .. }
    ));
    let _ = PASSWORD;
}

/// Beheer → Organisaties and → Convenanten: add an organisation, make an agreement (errors
/// name their field), read what it opens, end it on a date.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_beheerder_keeps_organisations_and_agreements_in_the_browser() {
    let db = TestDatabase::fresh(TestEngine::Sqlite).await.unwrap();
    let app = TestApp::start_with(db, Default::default()).await;
    let admin = app.login("beheer@a.test").await;
    let added = text(
        post(
            &app,
            &admin,
            "/beheer/organisaties",
            &[("name", "Inspectie SZW"), ("kind", "inspectie")],
        )
        .await,
    )
    .await;
    assert!(
        added.contains("Organisatie Inspectie SZW is toegevoegd."),
        "{added}"
    );
    assert!(
        added.contains("<td>Inspectie SZW</td><td>Inspectie</td>"),
        "{added}"
    );
    let twice = post(
        &app,
        &admin,
        "/beheer/organisaties",
        &[("name", "Inspectie SZW"), ("kind", "inspectie")],
    )
    .await;
    assert_eq!(twice.status(), 400);
    assert!(text(twice)
        .await
        .contains("de organisatie &#39;Inspectie SZW&#39; bestaat al"));

    let a = app
        .store
        .organisation_by_name("Gemeente A")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let szw = app
        .store
        .organisation_by_name("Inspectie SZW")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let one_party = post(
        &app,
        &admin,
        "/beheer/convenanten",
        &[
            ("name", "Convenant arbeidsuitbuiting"),
            ("parties", &a),
            ("themes", "mensenhandel"),
            ("maxClassification", "intern"),
            ("legalBasis", "Wgs"),
            ("purposes", "aanpak"),
            ("validFrom", "01-01-2026"),
        ],
    )
    .await;
    assert_eq!(one_party.status(), 400);
    assert!(text(one_party)
        .await
        .contains("Organisaties: een convenant heeft minstens twee organisaties"));
    let made = text(
        post(
            &app,
            &admin,
            "/beheer/convenanten",
            &[
                ("name", "Convenant arbeidsuitbuiting"),
                ("parties", &a),
                ("parties", &szw),
                ("themes", "mensenhandel"),
                ("maxClassification", "intern"),
                ("legalBasis", "Wgs"),
                ("purposes", "aanpak"),
                ("validFrom", "01-01-2025"),
            ],
        )
        .await,
    )
    .await;
    assert!(
        made.contains("Convenant &#39;Convenant arbeidsuitbuiting&#39; is vastgelegd."),
        "{made}"
    );
    assert!(made.contains("Gemeente A en Inspectie SZW"), "{made}");
    assert!(
        made.contains(
            "signalen in het thema ‘Mensenhandel en arbeidsuitbuiting’ tot en met classificatie intern"
        ),
        "{made}"
    );
    let id = app
        .store
        .agreements()
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.name == "Convenant arbeidsuitbuiting")
        .unwrap()
        .id;
    let early = post(
        &app,
        &admin,
        &format!("/beheer/convenanten/{id}/beeindigen"),
        &[("lastDay", "31-12-2020")],
    )
    .await;
    assert_eq!(early.status(), 400);
    let ended = post(
        &app,
        &admin,
        &format!("/beheer/convenanten/{id}/beeindigen"),
        &[("lastDay", "30-06-2025")],
    )
    .await;
    assert_eq!(ended.status(), 303);
    let list = text(
        admin
            .get(app.url("/beheer/convenanten"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(list.contains("01-01-2025 tot en met 30-06-2025"), "{list}");
    // The small world's walks finish within the form's patience: nothing is said about them.
    assert!(!made.contains("wordt nu bijgewerkt"), "{made}");
    assert!(
        !list.contains("Wie welke signalen ziet wordt bijgewerkt"),
        "{list}"
    );
    let actions: Vec<String> = app
        .store
        .audit_events(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in ["organisation.create", "agreement.create", "agreement.end"] {
        assert!(actions.iter().any(|x| x == action), "{action}");
    }
}

/// Beheer → Auditspoor for the auditor (and the beheerder): filters by user, action and
/// period, pages, CSV export; the reading is itself audited; nothing else is the auditor's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_auditor_reads_the_audit_trail_and_nothing_else() {
    use baken_core::{Role, RoleSet};
    let db = TestDatabase::fresh(TestEngine::Sqlite).await.unwrap();
    let app = TestApp::start_with(db, Default::default()).await;
    let org = app
        .store
        .organisation_by_name("Gemeente A")
        .await
        .unwrap()
        .unwrap();
    app.store
        .create_user(
            &baken_store::Actor::cli(),
            baken_store::NewUser {
                org: org.id,
                email: "auditor@a.test".into(),
                display_name: "Anouk Auditor".into(),
                roles: RoleSet::new([Role::Auditor]),
                password_hash: Some(crate::harness::password_hash().to_string()),
            },
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
    // Something to find: the analist logs in twice, once wrongly.
    attempt(&app, "analist@a.test", "fout", None).await;
    app.login("analist@a.test").await;
    let auditor = app.login("auditor@a.test").await;
    let page = text(auditor.get(app.url("/beheer/audit")).send().await.unwrap()).await;
    assert!(
        page.contains("aria-current=\"page\">Auditspoor</a>"),
        "{page}"
    );
    assert!(!page.contains(">Gebruikers</a>"));
    let logins = text(
        auditor
            .get(app.url("/beheer/audit?gebruiker=analist%40a.test&actie=session.login"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(logins.contains("<td>session.login</td>"), "{logins}");
    assert!(
        !logins.contains("<td>user.create</td>"),
        "filtered by action"
    );
    let bad = auditor
        .get(app.url("/beheer/audit?van=31-02-2025"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(text(bad).await.contains("Van: "));
    let csv = auditor
        .get(app.url("/beheer/audit.csv?actie=session.login"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = text(csv).await;
    assert!(
        csv.starts_with("volgnummer;moment;wie;actie;object;uitkomst;oorsprong;doel;detail"),
        "{csv}"
    );
    assert!(
        csv.lines().skip(1).all(|l| l.contains(";session.login;")),
        "{csv}"
    );
    assert!(csv.lines().count() > 1, "{csv}");
    // Content is not the auditor's.
    let signals = text(auditor.get(app.url("/signalen")).send().await.unwrap()).await;
    assert!(signals.contains("0 signalen"), "{signals}");
    for path in ["/beheer/gebruikers", "/toezeggingen", "/activiteiten"] {
        let r = auditor.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 403, "{path}");
    }
    let reads = app
        .store
        .audit_events(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "audit.read")
        .count();
    assert!(reads >= 3, "every reading is recorded ({reads})");
}
