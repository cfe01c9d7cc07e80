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

async fn repeated_failed_logins_are_throttled(app: &TestApp) {
    let browser = app.browser();
    let attempt = |password: &'static str| {
        let browser = browser.clone();
        async move {
            let page = browser
                .get(app.url("/inloggen"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            browser
                .post(app.url("/inloggen"))
                .form(&[
                    ("csrf", TestApp::csrf_of(&page).as_str()),
                    ("email", "analist@a.test"),
                    ("password", password),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    for _ in 0..10 {
        assert_eq!(attempt("geraden").await.status(), 401);
    }
    let blocked = attempt(PASSWORD).await;
    assert_eq!(blocked.status(), 429, "even the right password waits");
    assert!(blocked
        .text()
        .await
        .unwrap()
        .contains("Te veel mislukte pogingen"));
    let last = app
        .store
        .audit_events(0, 10_000)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(last.result, "throttled");
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
