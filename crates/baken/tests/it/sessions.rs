//! Logging in and out in the browser: the session cookie, wrong passwords, throttling, and
//! pages that need a session.

use crate::harness::{TestApp, PASSWORD};

baken_store::on_both_engines!(crate::harness::TestApp =>
    login_sets_a_strict_session_cookie_and_logout_ends_it,
    wrong_password_is_refused,
    repeated_failed_logins_are_throttled,
    pages_need_a_session,
);

async fn login_sets_a_strict_session_cookie_and_logout_ends_it(app: &TestApp) {
    let browser = app.browser();
    let page = browser
        .get(app.url("/inloggen"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response = browser
        .post(app.url("/inloggen"))
        .form(&[
            ("csrf", TestApp::csrf_of(&page).as_str()),
            ("email", "ANALIST@a.test"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/overzicht");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("baken_sessie="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http must not get Secure cookies: {cookie}"
    );
    let overview = browser.get(app.url("/overzicht")).send().await.unwrap();
    assert_eq!(overview.status(), 200);
    assert!(overview
        .text()
        .await
        .unwrap()
        .contains("analist (Gemeente A)"));

    let csrf = app.session_csrf(&browser).await;
    let out = browser
        .post(app.url("/uitloggen"))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    let after = browser.get(app.url("/overzicht")).send().await.unwrap();
    assert_eq!(after.status(), 303, "session must be gone after logout");
    assert_eq!(after.headers()["location"], "/inloggen");

    // Over TLS (as a proxy reports it), cookies are Secure.
    let tls = app.browser();
    let page = tls
        .get(app.url("/inloggen"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    let cookie = page.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(page.headers().contains_key("strict-transport-security"));
}

async fn wrong_password_is_refused(app: &TestApp) {
    let before = app.store.audit_events(0, 10_000).await.unwrap().len();
    let browser = app.browser();
    let page = browser
        .get(app.url("/inloggen"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response = browser
        .post(app.url("/inloggen"))
        .form(&[
            ("csrf", TestApp::csrf_of(&page).as_str()),
            ("email", "analist@a.test"),
            ("password", "fout"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("De combinatie van e-mailadres en wachtwoord is onbekend."));
    assert_eq!(
        browser
            .get(app.url("/overzicht"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    let events = app.store.audit_events(0, 10_000).await.unwrap();
    assert_eq!(events.len(), before + 1);
    let last = events.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.result.as_str()),
        ("session.login", "denied")
    );
    assert!(
        !last.detail.contains("analist"),
        "no typed e-mail address in the audit detail"
    );
    // The account the attempt was aimed at is named by its id.
    let analist = app
        .store
        .user_by_email("analist@a.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        last.object_id.as_deref(),
        Some(analist.id.to_string().as_str())
    );
}

/// One login attempt in a fresh browser, optionally through a proxy that names the client.
pub async fn attempt(
    app: &TestApp,
    email: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let browser = app.browser();
    let page = browser
        .get(app.url("/inloggen"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut request = browser.post(app.url("/inloggen")).form(&[
        ("csrf", TestApp::csrf_of(&page).as_str()),
        ("email", email),
        ("password", password),
    ]);
    if let Some(client) = forwarded_for {
        request = request.header("x-forwarded-for", client);
    }
    request.send().await.unwrap()
}

async fn repeated_failed_logins_are_throttled(app: &TestApp) {
    for _ in 0..5 {
        assert_eq!(
            attempt(app, "analist@a.test", "geraden", None)
                .await
                .status(),
            401
        );
    }
    let blocked = attempt(app, "analist@a.test", PASSWORD, None).await;
    assert_eq!(blocked.status(), 429, "even the right password waits");
    let text = blocked.text().await.unwrap();
    assert!(
        text.contains(
            "Te veel mislukte pogingen voor dit account vanaf dit adres. Probeer het over 15 \
             minuten opnieuw."
        ),
        "{text}"
    );
    let last = app
        .store
        .audit_events(0, 10_000)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(last.result, "throttled");
    // A colleague at the same address is not locked out by it.
    assert_eq!(
        attempt(app, "bibob@a.test", PASSWORD, None).await.status(),
        303
    );
    // A header from a peer that is no trusted proxy does not change the address.
    let blocked = attempt(app, "analist@a.test", PASSWORD, Some("203.0.113.50")).await;
    assert_eq!(blocked.status(), 429);
}

/// Behind a configured reverse proxy, `X-Forwarded-For` names the client: slow guessing from
/// many addresses locks the account (which says so and for how long) without touching the
/// addresses' other accounts; the public form's limit counts per client too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_the_client_address_counts() {
    use baken_store::testing::{TestDatabase, TestEngine};
    let file = baken::config::parse_file("trusted_proxies = [\"127.0.0.1\"]").unwrap();
    let db = TestDatabase::fresh(TestEngine::Sqlite).await.unwrap();
    let app = TestApp::start_with(db, file).await;
    for n in 0..20 {
        let client = format!("203.0.113.{n}");
        let r = attempt(&app, "toezicht@a.test", "geraden", Some(&client)).await;
        assert_eq!(r.status(), 401, "guess {n}");
    }
    let locked = attempt(&app, "toezicht@a.test", PASSWORD, Some("198.51.100.1")).await;
    assert_eq!(locked.status(), 429);
    let text = locked.text().await.unwrap();
    assert!(
        text.contains("Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen.")
            && text.contains("over 60 minuten opnieuw"),
        "{text}"
    );
    // The guessing addresses' own users still log in.
    assert_eq!(
        attempt(&app, "toezicht2@a.test", PASSWORD, Some("203.0.113.3"))
            .await
            .status(),
        303
    );
    // An unknown address is locked the same way: a lock does not tell what is an account.
    for n in 0..20 {
        let client = format!("203.0.113.{}", 100 + n);
        attempt(&app, "niemand@a.test", "geraden", Some(&client)).await;
    }
    let unknown = attempt(&app, "niemand@a.test", "x", Some("198.51.100.2")).await;
    assert_eq!(unknown.status(), 429);
    assert!(unknown
        .text()
        .await
        .unwrap()
        .contains("Dit account is tijdelijk geblokkeerd"));
    // The public form's limit: five reports per client address in ten minutes.
    let report = |client: &'static str| {
        let app = &app;
        async move {
            let browser = app.browser();
            let page = browser.get(app.url("/melden")).send().await.unwrap();
            let csrf = TestApp::csrf_of(&page.text().await.unwrap());
            browser
                .post(app.url("/melden"))
                .header("x-forwarded-for", client)
                .form(&[("csrf", csrf.as_str()), ("description", "Hennepgeur")])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for _ in 0..5 {
        assert_ne!(report("192.0.2.10").await, 429);
    }
    assert_eq!(report("192.0.2.10").await, 429);
    assert_ne!(report("192.0.2.11").await, 429);
}

async fn pages_need_a_session(app: &TestApp) {
    let browser = app.browser();
    for path in [
        "/overzicht",
        "/signalen",
        "/signalen/nieuw",
        "/signalen/0190b1c2-0000-7000-8000-000000000000",
    ] {
        let r = browser.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{path}");
        assert_eq!(r.headers()["location"], "/inloggen", "{path}");
    }
}
