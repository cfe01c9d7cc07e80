//! The second factor and sessions (issue 18, pt 2): under the default policy every role but
//! the lezer sets up an authenticator and needs its code after the password; codes and
//! recovery codes work once; the beheerder's reset is audited; sessions end after inactivity
//! and at their absolute end, and a user sees and ends their other sessions.

use crate::harness::{TestApp, PASSWORD};
use baken::config::FileConfig;
use baken_core::sign_in::SignInPolicy;
use baken_store::credentials::totp;
use baken_store::testing;

baken_store::on_both_engines!(crate::harness::TestApp =>
    sessions_end_when_unused_or_old_and_users_end_their_others,
);

mod default_policy {
    use super::*;

    baken_store::on_both_engines!(DefaultPolicy =>
        the_default_policy_asks_every_role_but_the_lezer_for_a_code,
    );

    async fn the_default_policy_asks_every_role_but_the_lezer_for_a_code(app: &DefaultPolicy) {
        super::the_default_policy_asks_every_role_but_the_lezer_for_a_code(&app.0).await;
    }
}

/// The application with the sign-in policy an installation gets without configuring one.
struct DefaultPolicy(TestApp);

impl testing::Fixture for DefaultPolicy {
    async fn start(database: testing::TestDatabase) -> Self {
        let file = FileConfig {
            sign_in: Some(SignInPolicy::default()),
            ..FileConfig::default()
        };
        DefaultPolicy(TestApp::start_with(database, file).await)
    }
}

async fn text(r: reqwest::Response) -> String {
    r.text().await.unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

/// Posts the login form; the answer (a redirect) as it came.
async fn password(app: &TestApp, browser: &reqwest::Client, email: &str) -> reqwest::Response {
    let page = text(browser.get(app.url("/inloggen")).send().await.unwrap()).await;
    browser
        .post(app.url("/inloggen"))
        .form(&[
            ("csrf", TestApp::csrf_of(&page).as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap()
}

/// Posts a code on the page after the password.
async fn code(app: &TestApp, browser: &reqwest::Client, code: &str) -> reqwest::Response {
    let page = text(browser.get(app.url("/inloggen/code")).send().await.unwrap()).await;
    browser
        .post(app.url("/inloggen/code"))
        .form(&[("csrf", TestApp::csrf_of(&page).as_str()), ("code", code)])
        .send()
        .await
        .unwrap()
}

fn now_seconds(app: &TestApp) -> u64 {
    use baken_core::Clock;
    app.clock.now().unix_timestamp() as u64
}

/// The text of the first `<code class="secret">` after `marker`.
fn secret_after(html: &str, marker: &str) -> String {
    let from = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {html}"));
    let rest = &html[from..];
    let start = rest.find("<code class=\"secret\">").unwrap() + "<code class=\"secret\">".len();
    let end = rest[start..].find("</code>").unwrap();
    rest[start..start + end].to_string()
}

/// Sets up the authenticator of a browser whose session waits for it; the secret and the
/// recovery codes.
async fn enrol(app: &TestApp, browser: &reqwest::Client) -> (String, Vec<String>) {
    let page = text(browser.get(app.url("/tweede-factor")).send().await.unwrap()).await;
    assert!(page.contains("<svg"), "a QR code: {page}");
    let secret = secret_after(&page, "Sleutel:").replace(' ', "");
    // A reload offers the same secret (the app already scanned keeps working).
    let again = text(browser.get(app.url("/tweede-factor")).send().await.unwrap()).await;
    assert_eq!(secret_after(&again, "Sleutel:").replace(' ', ""), secret);
    let csrf = TestApp::csrf_of(&page);
    let right = totp::code_at(&secret, now_seconds(app)).unwrap();
    let wrong = format!("{}{}", &right[..5], (right.as_bytes()[5] - b'0' + 1) % 10);
    let refused = browser
        .post(app.url("/tweede-factor"))
        .form(&[("csrf", csrf.as_str()), ("code", wrong.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    assert!(text(refused).await.contains("Code: dit is niet de code"));
    let done = browser
        .post(app.url("/tweede-factor"))
        .form(&[("csrf", csrf.as_str()), ("code", right.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    let page = text(done).await;
    assert!(page.contains("Uw herstelcodes"), "{page}");
    let codes: Vec<String> = page
        .split("<li><code class=\"secret\">")
        .skip(1)
        .map(|s| s[..s.find("</code>").unwrap()].to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

async fn the_default_policy_asks_every_role_but_the_lezer_for_a_code(app: &TestApp) {
    // The password alone leads to setting up the second factor, and nowhere else.
    let first = app.browser();
    let answer = password(app, &first, "analist@a.test").await;
    assert_eq!(location(&answer), "/tweede-factor");
    let elsewhere = first.get(app.url("/signalen")).send().await.unwrap();
    assert_eq!(location(&elsewhere), "/tweede-factor");
    let (secret, recovery) = enrol(app, &first).await;
    assert_eq!(
        first
            .get(app.url("/signalen"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "after setting it up the session is whole"
    );

    // The next login waits for the code; the password opens nothing else.
    let second = app.browser();
    assert_eq!(
        location(&password(app, &second, "analist@a.test").await),
        "/inloggen/code"
    );
    let waiting = second.get(app.url("/signalen")).send().await.unwrap();
    assert_eq!(location(&waiting), "/inloggen/code");
    let api_like = second.get(app.url("/overzicht")).send().await.unwrap();
    assert_eq!(location(&api_like), "/inloggen/code");
    // The code that set it up was used in this time step: not again.
    let now_code = totp::code_at(&secret, now_seconds(app)).unwrap();
    let replay = code(app, &second, &now_code).await;
    assert_eq!(replay.status(), 401);
    assert!(text(replay)
        .await
        .contains("De code klopt niet of is al gebruikt"));
    // Thirty seconds later the app shows a new code, which opens the session.
    app.clock.advance(time::Duration::seconds(30));
    let fresh = totp::code_at(&secret, now_seconds(app)).unwrap();
    let accepted = code(app, &second, &fresh).await;
    assert_eq!(accepted.status(), 303);
    assert_eq!(location(&accepted), "/overzicht");
    assert_eq!(
        second
            .get(app.url("/signalen"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // A recovery code works once, typed in capitals or without its dash.
    let third = app.browser();
    password(app, &third, "analist@a.test").await;
    let typed = recovery[0].to_uppercase().replace('-', "");
    let with_recovery = code(app, &third, &typed).await;
    assert_eq!(location(&with_recovery), "/mijn-account");
    let account = text(third.get(app.url("/mijn-account")).send().await.unwrap()).await;
    assert!(account.contains("nog 9 herstelcodes"), "{account}");
    let fourth = app.browser();
    password(app, &fourth, "analist@a.test").await;
    assert_eq!(code(app, &fourth, &recovery[0]).await.status(), 401);

    // New recovery codes, confirmed with the app's current code, replace the old ones.
    app.clock.advance(time::Duration::seconds(30));
    let now_code = totp::code_at(&secret, now_seconds(app)).unwrap();
    let renew = |c: String| {
        let third = third.clone();
        let csrf = TestApp::csrf_of(&account);
        let url = app.url("/mijn-account/herstelcodes");
        async move {
            third
                .post(url)
                .form(&[("csrf", csrf.as_str()), ("code", c.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    let renewed = renew(now_code.clone()).await;
    assert_eq!(renewed.status(), 200);
    let renewed = text(renewed).await;
    assert!(renewed.contains("U hebt nieuwe herstelcodes"), "{renewed}");
    let fresh_codes: Vec<String> = renewed
        .split("<li><code class=\"secret\">")
        .skip(1)
        .map(|s| s[..s.find("</code>").unwrap()].to_string())
        .collect();
    assert_eq!(fresh_codes.len(), 10);
    let replayed = renew(now_code).await;
    assert_eq!(replayed.status(), 400, "a code works once");
    let fifth = app.browser();
    password(app, &fifth, "analist@a.test").await;
    assert_eq!(
        code(app, &fifth, &recovery[1]).await.status(),
        401,
        "old codes end"
    );
    assert_eq!(
        location(&code(app, &fifth, &fresh_codes[0]).await),
        "/mijn-account"
    );

    // The lezer sees no personal data: the password suffices.
    let lezer = app.browser();
    assert_eq!(
        location(&password(app, &lezer, "lezer@a.test").await),
        "/overzicht"
    );

    // The beheerder (who sets up a second factor too) resets the analist's: their sessions
    // end and the next login sets up a new one.
    let beheerder = app.browser();
    assert_eq!(
        location(&password(app, &beheerder, "beheer@a.test").await),
        "/tweede-factor"
    );
    enrol(app, &beheerder).await;
    let analist = app
        .store
        .user_by_email("analist@a.test")
        .await
        .unwrap()
        .unwrap();
    let page = text(
        beheerder
            .get(app.url(&format!("/beheer/gebruikers/{}", analist.id)))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        page.contains("Tweede factor</dt><dd>ingesteld sinds"),
        "{page}"
    );
    let reset = beheerder
        .post(app.url(&format!("/beheer/gebruikers/{}/tweede-factor", analist.id)))
        .form(&[("csrf", TestApp::csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 200);
    assert!(text(reset).await.contains("De tweede factor is verwijderd"));
    let ended = second.get(app.url("/signalen")).send().await.unwrap();
    assert_eq!(location(&ended), "/inloggen");
    let again = app.browser();
    assert_eq!(
        location(&password(app, &again, "analist@a.test").await),
        "/tweede-factor"
    );

    // Wrong codes count towards the login limits like wrong passwords.
    let guesser = app.browser();
    password(app, &guesser, "beheer@a.test").await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(code(app, &guesser, "000000").await.status().as_u16());
    }
    assert!(
        statuses.contains(&429),
        "guessing is throttled: {statuses:?}"
    );

    let events = app.store.audit_events(0, 100_000).await.unwrap();
    for (action, result) in [
        ("user.enrol-second-factor", "success"),
        ("session.second-factor", "success"),
        ("session.second-factor", "denied"),
        ("session.second-factor", "throttled"),
        ("session.recovery-code", "success"),
        ("user.renew-recovery-codes", "success"),
        ("user.reset-second-factor", "success"),
    ] {
        assert!(
            events
                .iter()
                .any(|e| e.action == action && e.result == result),
            "{action} {result} audited"
        );
    }
    // No secret or code in the audit trail.
    for e in &events {
        assert!(!e.detail.contains(&secret), "{e:?}");
        assert!(
            recovery.iter().all(|c| !e.detail.contains(c.as_str())),
            "{e:?}"
        );
    }
}

async fn sessions_end_when_unused_or_old_and_users_end_their_others(app: &TestApp) {
    let laptop = app.login("analist@a.test").await;
    let phone = app.login("analist@a.test").await;
    let page = text(laptop.get(app.url("/mijn-account")).send().await.unwrap()).await;
    assert_eq!(page.matches("Andere sessie").count(), 1, "{page}");
    assert_eq!(page.matches("Deze sessie").count(), 1, "{page}");
    assert!(page.contains("na 30 minuten zonder gebruik"), "{page}");

    // Ending the others leaves this one.
    let ended = laptop
        .post(app.url("/mijn-account/sessies"))
        .form(&[
            ("csrf", TestApp::csrf_of(&page).as_str()),
            ("sessie", "andere"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 200);
    assert!(text(ended).await.contains("1 sessie beëindigd."));
    assert_eq!(
        location(&phone.get(app.url("/overzicht")).send().await.unwrap()),
        "/inloggen"
    );
    assert_eq!(
        laptop
            .get(app.url("/overzicht"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let events = app.store.audit_events(0, 100_000).await.unwrap();
    assert!(events.iter().any(|e| e.action == "session.end"));

    // One session ended by its handle: a session of someone else's cannot be named.
    let tablet = app.login("analist@a.test").await;
    let other = app.login("bibob@a.test").await;
    let others_page = text(other.get(app.url("/mijn-account")).send().await.unwrap()).await;
    let others_handle = handle_in(&others_page, None);
    let page = text(laptop.get(app.url("/mijn-account")).send().await.unwrap()).await;
    let csrf = TestApp::csrf_of(&page);
    let nothing = laptop
        .post(app.url("/mijn-account/sessies"))
        .form(&[("csrf", csrf.as_str()), ("sessie", others_handle.as_str())])
        .send()
        .await
        .unwrap();
    assert!(text(nothing)
        .await
        .contains("Er was geen andere sessie meer actief."));
    assert_eq!(
        other
            .get(app.url("/overzicht"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let tablets = handle_in(&page, Some("Andere sessie"));
    laptop
        .post(app.url("/mijn-account/sessies"))
        .form(&[("csrf", csrf.as_str()), ("sessie", tablets.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&tablet.get(app.url("/overzicht")).send().await.unwrap()),
        "/inloggen"
    );

    // Inactivity: used every 29 minutes the session lives; 31 minutes unused, it ends.
    for _ in 0..3 {
        app.clock.advance(time::Duration::minutes(29));
        assert_eq!(
            laptop
                .get(app.url("/overzicht"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    app.clock.advance(time::Duration::minutes(31));
    assert_eq!(
        location(&laptop.get(app.url("/overzicht")).send().await.unwrap()),
        "/inloggen"
    );

    // However active, a session ends eight hours after the login.
    let busy = app.login("analist@a.test").await;
    for _ in 0..16 {
        app.clock.advance(time::Duration::minutes(29));
        assert_eq!(
            busy.get(app.url("/overzicht"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    app.clock.advance(time::Duration::minutes(25));
    assert_eq!(
        location(&busy.get(app.url("/overzicht")).send().await.unwrap()),
        "/inloggen"
    );
}

/// The handle in a session list's form: of the row marked `row` (or the first form's).
fn handle_in(page: &str, row: Option<&str>) -> String {
    let from = row.map_or(0, |r| {
        page.find(r).unwrap_or_else(|| panic!("{r} in {page}"))
    });
    let marker = "name=\"sessie\" value=\"";
    match page[from..].find(marker) {
        Some(i) => {
            let start = from + i + marker.len();
            page[start..start + 36].to_string()
        }
        // A user with one session has no form: the handle of their own session is not shown.
        None => uuid::Uuid::nil().to_string(),
    }
}
