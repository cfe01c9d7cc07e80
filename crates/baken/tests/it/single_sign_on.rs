//! Single sign-on (issue 18, pt 1) against a real OpenID Connect provider: panva's
//! `oidc-provider` from npm, started on loopback by `oidc_provider.mjs` (`.ci/run` installs
//! it; `BAKEN_TEST_OIDC_PROVIDER` names its package directory). Baken signs in by the
//! authorization code flow with PKCE; the provider's claims give the organisation and roles;
//! the first sign-in makes the account, a verified address links an existing one of the same
//! organisation, later sign-ins bring the roles in line; refusals name why; everything is
//! audited and the chain verifies. Local accounts keep working beside it.

use crate::harness::{TestApp, PASSWORD};
use baken::config::FileConfig;
use baken_core::single_sign_on::OidcSettings;
use baken_store::testing::{self, TestDatabase};
use std::io::BufRead;
use std::process::{Child, Command, Stdio};

baken_store::on_both_engines!(Provider =>
    people_sign_in_through_the_identity_provider,
);

/// Baken configured for the provider, and the provider (stopped with the fixture).
pub(crate) struct Provider {
    /// Baken, configured for the provider; `None` where `oidc-provider` is not installed.
    pub(crate) app: Option<TestApp>,
    node: Option<Child>,
    accounts: tempfile::NamedTempFile,
}

impl Drop for Provider {
    fn drop(&mut self) {
        if let Some(node) = self.node.as_mut() {
            let _ = node.kill();
            let _ = node.wait();
        }
    }
}

const ACCOUNTS: &str = r#"{
  "anna": {"email": "anna@a.test", "email_verified": true, "name": "Anna de Groot",
           "groups": ["baken-analist", "personeel"], "organisation": "gem-a"},
  "toezicht": {"email": "toezicht@a.test", "email_verified": true, "name": "T. Zicht",
               "groups": ["baken-toezicht"], "organisation": "gem-a"},
  "piet": {"email": "piet@a.test", "email_verified": true, "name": "Piet",
           "groups": ["personeel"], "organisation": "gem-a"},
  "bob": {"email": "partner@b.test", "email_verified": true, "name": "Bob",
          "groups": ["baken-analist"], "organisation": "gem-a"},
  "eve": {"email": "lezer@a.test", "email_verified": false, "name": "Eve",
          "groups": ["baken-analist"], "organisation": "gem-a"},
  "ext": {"email": "ext@x.test", "email_verified": true, "name": "Ext",
          "groups": ["baken-analist"], "organisation": "elders"}
}"#;

fn package() -> Option<String> {
    let dir = std::env::var("BAKEN_TEST_OIDC_PROVIDER").unwrap_or_default();
    let present = !dir.is_empty() && std::path::Path::new(&dir).join("lib/index.js").exists();
    if !present {
        assert!(
            std::env::var("CI").is_err(),
            "the single sign-on tests need oidc-provider (BAKEN_TEST_OIDC_PROVIDER) under CI"
        );
        eprintln!("single sign-on tests skipped: oidc-provider is not installed");
    }
    present.then_some(dir)
}

impl testing::Fixture for Provider {
    async fn start(database: TestDatabase) -> Self {
        let accounts = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(accounts.path(), ACCOUNTS).unwrap();
        let Some(package) = package() else {
            return Provider {
                app: None,
                node: None,
                accounts,
            };
        };
        let port = crate::harness::reserved_port();
        let redirect = format!("http://127.0.0.1:{port}/inloggen/sso/terug");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/oidc_provider.mjs");
        let mut node = Command::new("node")
            .args([script, &package, &redirect])
            .arg(accounts.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node");
        // The first line names the issuer; whatever the provider prints later is drained, so
        // that it never writes into a closed pipe.
        let mut out = std::io::BufReader::new(node.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let issuer = serde_json::from_str::<serde_json::Value>(&line).unwrap()["issuer"]
            .as_str()
            .unwrap()
            .to_string();
        let secret = database.dir().join("oidc-secret");
        std::fs::write(&secret, "geheim-voor-de-tests\n").unwrap();
        let oidc: OidcSettings = toml::from_str(&format!(
            r#"
            issuer = "{issuer}"
            client_id = "baken"
            client_secret_file = "{secret}"
            redirect_url = "{redirect}"
            label = "Testprovider"
            scopes = ["email", "profile", "baken"]
            roles_claim = "groups"
            organisation_claim = "organisation"
            [[organisations]]
            value = "gem-a"
            organisation = "Gemeente A"
            [[organisations]]
            value = "elders"
            organisation = "Gemeente Elders"
            [[roles]]
            value = "baken-analist"
            role = "analist"
            [[roles]]
            value = "baken-toezicht"
            role = "toezichthouder"
            [[roles]]
            value = "baken-beheer"
            role = "beheerder"
            "#,
            secret = secret.display()
        ))
        .unwrap();
        // Toezichthouders confirm with a second factor: the test provider names no method
        // (`amr`) that counts as one, so Baken asks its own.
        let file = FileConfig {
            bind: Some(format!("127.0.0.1:{port}")),
            oidc: Some(oidc),
            sign_in: Some(baken_core::sign_in::SignInPolicy::with_second_factor_for([
                baken_core::Role::Toezichthouder,
            ])),
            ..FileConfig::default()
        };
        let app = TestApp::start_with(database, file).await;
        Provider {
            app: Some(app),
            node: Some(node),
            accounts,
        }
    }
}

/// A browser that follows redirects (Baken → provider → Baken) and keeps cookies.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::limited(10))
        .build()
        .unwrap()
}

/// The value of `attribute="…"` after `after` in `html`.
fn attribute(html: &str, after: &str, attribute: &str) -> Option<String> {
    let from = html.find(after)?;
    let marker = format!("{attribute}=\"");
    let start = from + html[from..].find(&marker)? + marker.len();
    let end = start + html[start..].find('"')?;
    Some(
        html[start..end]
            .replace("&#x2F;", "/")
            .replace("&amp;", "&"),
    )
}

/// Signs in at the provider as `login` from Baken's login page: the provider's login form,
/// then its consent form, then back to Baken. The last answer (Baken's) as it came.
async fn sign_in(app: &TestApp, browser: &reqwest::Client, login: &str) -> (u16, String) {
    let page = browser
        .get(app.url("/inloggen"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Inloggen via Testprovider"), "{page}");
    let mut response = browser.get(app.url("/inloggen/sso")).send().await.unwrap();
    for _ in 0..4 {
        if response.url().as_str().starts_with(&app.base) {
            break;
        }
        let at = response.url().clone();
        let html = response.text().await.unwrap();
        let action = attribute(&html, "<form", "action").expect("a form at the provider");
        let prompt = attribute(&html, "name=\"prompt\"", "value").expect("its prompt");
        let target = at.join(&action).unwrap();
        response = browser
            .post(target)
            .form(&[
                ("prompt", prompt.as_str()),
                ("login", login),
                ("password", "x"),
            ])
            .send()
            .await
            .unwrap();
    }
    assert!(
        response.url().as_str().starts_with(&app.base),
        "back at Baken: {}",
        response.url()
    );
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn people_sign_in_through_the_identity_provider(fixture: &Provider) {
    let Some(app) = fixture.app.as_ref() else {
        return;
    };
    let a = app
        .store
        .organisation_by_name("Gemeente A")
        .await
        .unwrap()
        .unwrap();

    // The first sign-in makes the account, with the roles the groups give.
    let anna = browser();
    let (status, page) = sign_in(app, &anna, "anna").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("U bent aangemeld via Testprovider"), "{page}");
    assert!(page.contains("url=/overzicht"), "{page}");
    let overview = anna.get(app.url("/overzicht")).send().await.unwrap();
    assert_eq!(overview.url().path(), "/overzicht");
    assert!(overview.text().await.unwrap().contains("Anna de Groot"));
    let made = app
        .store
        .user_by_email("anna@a.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(made.org, a.id);
    assert_eq!(made.roles.to_slugs(), "analist");
    // The session is a whole one: signals are open to her.
    let list = anna.get(app.url("/signalen")).send().await.unwrap();
    assert_eq!(list.url().path(), "/signalen");
    // She has no password in Baken: the login form does not let her in.
    let local = app.browser();
    let form = local.get(app.url("/inloggen")).send().await.unwrap();
    let csrf = TestApp::csrf_of(&form.text().await.unwrap());
    let refused = local
        .post(app.url("/inloggen"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "anna@a.test"),
            ("password", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    // Nor has she a password to change here: the page says where she changes it.
    let password = anna.get(app.url("/wachtwoord")).send().await.unwrap();
    assert_eq!(password.status(), 200);
    let page = password.text().await.unwrap();
    assert!(page.contains("Geen wachtwoord in Baken"), "{page}");
    assert!(!page.contains("Huidig wachtwoord"), "{page}");
    let csrf = TestApp::csrf_of(&page);
    let refused = anna
        .post(app.url("/wachtwoord"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", ""),
            ("new", "een nieuw lang wachtwoord"),
            ("repeat", "een nieuw lang wachtwoord"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 409);
    assert!(app
        .store
        .login_credentials("anna@a.test")
        .await
        .unwrap()
        .is_none());

    // Signing in again opens a session for the same account, and changes nothing.
    let again = browser();
    let (status, _) = sign_in(app, &again, "anna").await;
    assert_eq!(status, 200);
    let same = app
        .store
        .user_by_email("anna@a.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(same.id, made.id);

    // The provider gives her the beheer group: her roles follow at the next sign-in.
    let changed = ACCOUNTS.replace(
        r#""groups": ["baken-analist", "personeel"]"#,
        r#""groups": ["baken-analist", "baken-beheer"]"#,
    );
    std::fs::write(fixture.accounts.path(), changed).unwrap();
    let (status, _) = sign_in(app, &browser(), "anna").await;
    assert_eq!(status, 200);
    let promoted = app
        .store
        .user_by_email("anna@a.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(promoted.roles.to_slugs(), "analist,beheerder");

    // A local account with the same, verified address of the same organisation is linked:
    // the same account, its roles as the provider says; the password still works.
    // Its role needs a second factor the provider did not name: Baken's own comes first.
    let toezicht = browser();
    let (status, page) = sign_in(app, &toezicht, "toezicht").await;
    assert_eq!(status, 200);
    assert!(page.contains("url=/tweede-factor"), "{page}");
    let overview = toezicht.get(app.url("/overzicht")).send().await.unwrap();
    assert_eq!(overview.url().path(), "/tweede-factor");
    let linked = app
        .store
        .user_by_email("toezicht@a.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(linked.roles.to_slugs(), "toezichthouder");
    let _ = app.login("toezicht@a.test").await;

    // Refusals, each saying why, none making an account.
    for (login, status, says) in [
        ("piet", 403, "geeft geen toegang tot Baken"),
        ("ext", 403, "is in Baken niet bekend"),
        // An address of another organisation's account, or one the provider does not vouch
        // for, does not take that account over.
        (
            "bob",
            409,
            "Baken kan u via Testprovider niet aan een account koppelen",
        ),
        (
            "eve",
            409,
            "Baken kan u via Testprovider niet aan een account koppelen",
        ),
    ] {
        let (got, page) = sign_in(app, &browser(), login).await;
        assert_eq!(got, status, "{login}: {page}");
        assert!(page.contains(says), "{login}: {page}");
        assert!(page.contains("Inloggen is niet gelukt"), "{page}");
    }
    assert!(app
        .store
        .user_by_email("piet@a.test")
        .await
        .unwrap()
        .is_none());
    assert!(app
        .store
        .user_by_email("ext@x.test")
        .await
        .unwrap()
        .is_none());
    let partner = app
        .store
        .user_by_email("partner@b.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(partner.roles.to_slugs(), "partner");

    // A deactivated account stays out, however the provider vouches for it.
    let admin = app.login("beheer@a.test").await;
    let page = admin
        .get(app.url(&format!("/beheer/gebruikers/{}", made.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = TestApp::csrf_of(&page);
    let deactivated = admin
        .post(app.url(&format!("/beheer/gebruikers/{}/uitschakelen", made.id)))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert!(deactivated.status().is_redirection() || deactivated.status().is_success());
    let (status, page) = sign_in(app, &browser(), "anna").await;
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("gedeactiveerd"), "{page}");

    // A callback that no sign-in of this browser began is refused (and, being no sign-in,
    // not recorded).
    let stray = browser()
        .get(app.url("/inloggen/sso/terug?code=abc&state=def"))
        .send()
        .await
        .unwrap();
    assert_eq!(stray.status(), 400);
    assert!(stray.text().await.unwrap().contains("was verlopen"));

    // Audited: the account made, linked and its roles changed, with their state; each sign-in
    // and each refusal; and the chain verifies with the links in the accounts' state.
    let events = app.store.audit_events(0, 10_000).await.unwrap();
    let count = |action: &str, outcome: &str| {
        events
            .iter()
            .filter(|e| e.action == action && e.result == outcome)
            .count()
    };
    assert_eq!(count("session.single-sign-on", "success"), 4);
    assert_eq!(count("session.single-sign-on", "denied"), 5);
    assert!(events
        .iter()
        .any(|e| e.action == "session.single-sign-on" && e.detail == "refused=no-role"));
    assert!(events
        .iter()
        .any(|e| e.action == "session.single-sign-on" && e.detail == "stage=enrol"));
    assert!(events.iter().any(|e| e.action == "user.create"
        && e.object_id.as_deref() == Some(&made.id.to_string())
        && e.detail.contains("via=single-sign-on")));
    assert!(events.iter().any(|e| e.action == "user.set-roles"
        && e.object_id.as_deref() == Some(&made.id.to_string())
        && e.detail.contains("roles=analist,beheerder")));
    assert!(events.iter().any(|e| e.action == "user.link-identity"
        && e.object_id.as_deref() == Some(&linked.id.to_string())));
    assert!(matches!(
        app.store
            .verify_audit_chain(&Default::default())
            .await
            .unwrap(),
        baken_store::AuditVerification::Intact { .. }
    ));
    let _ = PASSWORD;
}
