//! The main journeys in headless Chromium (issue 17, pt 9), with axe-core run on every page
//! visited: log in, register a signal with subjects, correct it, open its subject's dossier,
//! import a file with the columns chosen in the browser, open the map and an area page, and
//! as beheerder add a user and revoke a token. Needs Debian's `chromium` and
//! `chromium-driver` and axe-core (`BAKEN_TEST_AXE_JS`, the path of `axe.min.js`); `.ci/run`
//! installs them, and under `CI=true` the test fails without them. Elsewhere it says what
//! is missing and passes.

use crate::harness::{TestApp, PASSWORD};
use baken_core::model::AreaKind;
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The analist's and the beheerder's navigation (base.html), each page checked by axe.
const ANALIST_PAGES: &[&str] = &[
    "/overzicht",
    "/signalen",
    "/signalen?overdue=true",
    "/casussen",
    "/casussen/nieuw",
    "/overleggen",
    "/interventies",
    "/barrieremodellen",
    "/activiteiten",
    "/toezeggingen",
    "/rapportage",
    "/veld",
    "/veld/nieuw",
    "/gebieden",
    "/afwijkingen",
    "/afwijkingen?level=wijk&theme=drugs",
    // One's own account (sessions) and setting up a second factor (the QR code).
    "/mijn-account",
    "/tweede-factor",
    "/verwijsindex",
];
const BEHEERDER_PAGES: &[&str] = &[
    "/beheer/doelbinding",
    "/beheer/toegangsreview",
    "/beheer/catalogus",
    "/beheer/organisaties",
    "/beheer/convenanten",
    "/beheer/audit",
    "/beheer/checklists",
    "/beheer/koppelen",
];

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A headless Chromium session with axe-core at hand; the driver stops with it.
struct Browser {
    client: Client,
    driver: Child,
    axe: String,
    base: String,
    /// Every page axe looked at, for the report.
    checked: Vec<String>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// What is missing to run the browser journeys, if anything.
fn missing() -> Option<String> {
    let axe = std::env::var("BAKEN_TEST_AXE_JS").unwrap_or_default();
    [
        (CHROMIUM, "Debian's chromium"),
        (CHROMEDRIVER, "Debian's chromium-driver"),
        (axe.as_str(), "axe-core (BAKEN_TEST_AXE_JS=…/axe.min.js)"),
    ]
    .iter()
    .find(|(path, _)| path.is_empty() || !std::path::Path::new(path).exists())
    .map(|(_, what)| what.to_string())
}

impl Browser {
    async fn start(app: &TestApp) -> Option<Browser> {
        if let Some(what) = missing() {
            assert!(
                std::env::var("CI").is_err(),
                "the browser journeys need {what} under CI"
            );
            eprintln!("browser journeys skipped: {what} is not installed");
            return None;
        }
        let axe = std::fs::read_to_string(std::env::var("BAKEN_TEST_AXE_JS").unwrap()).unwrap();
        let port = crate::harness::reserved_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                    format!("--user-data-dir={}", app.dir().join("chromium").display()),
                ],
            }),
        );
        let mut client = None;
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(c) => {
                    client = Some(c);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        Some(Browser {
            client: client.expect("chromedriver answers"),
            driver,
            axe,
            base: app.url("/"),
            checked: Vec::new(),
        })
    }

    /// Runs axe-core on the page shown and fails on any violation, naming rule and elements.
    async fn axe(&mut self) {
        let url = self.client.current_url().await.unwrap().to_string();
        let violations = self.violations().await;
        assert!(violations.is_empty(), "axe on {url}: {violations:#?}");
        self.checked.push(url.replace(&self.base, "/"));
    }

    /// What axe-core finds wrong on the page shown: rule, impact and the first elements.
    async fn violations(&self) -> Vec<String> {
        self.client.execute(&self.axe, Vec::new()).await.unwrap();
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(r => done(
                   r.violations.map(v => v.id + ' (' + v.impact + '): ' +
                     v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', '))));",
                Vec::new(),
            )
            .await
            .unwrap();
        serde_json::from_value(found).unwrap()
    }

    async fn visit(&mut self, path: &str) -> String {
        self.client
            .goto(&format!("{}{}", self.base, path.trim_start_matches('/')))
            .await
            .unwrap();
        self.axe().await;
        self.client.source().await.unwrap()
    }

    async fn fill(&self, css: &str, text: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    async fn choose(&self, css: &str, value: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .select_by_value(value)
            .await
            .unwrap();
    }

    /// Clicks the last element `css` finds (a form's visible submit button comes after the
    /// hidden one that Enter presses).
    async fn click(&self, css: &str) {
        let found = self.client.find_all(Locator::Css(css)).await.unwrap();
        found
            .last()
            .unwrap_or_else(|| panic!("nothing at {css}"))
            .click()
            .await
            .unwrap();
    }

    /// Presses a form's submit button and checks the page it leads to.
    async fn submit(&mut self, css: &str) -> String {
        self.click(css).await;
        self.client
            .wait()
            .for_element(Locator::Css("footer, main"))
            .await
            .unwrap();
        self.axe().await;
        self.client.source().await.unwrap()
    }

    async fn log_in(&mut self, email: &str) {
        self.visit("/inloggen").await;
        self.fill("#email", email).await;
        self.fill("#password", PASSWORD).await;
        let page = self.submit("form[action='/inloggen'] button").await;
        assert!(page.contains("Uitloggen"), "logged in as {email}");
    }
}

/// On SQLite only: what the browser sees does not depend on the engine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn main_journeys_in_chromium_with_axe_on_every_page() {
    use baken_store::testing::{TestDatabase, TestEngine};
    let db = TestDatabase::fresh(TestEngine::Sqlite).await.unwrap();
    let app = &TestApp::start_with(db, Default::default()).await;
    let Some(mut b) = Browser::start(app).await else {
        return;
    };
    crate::picture::import_cbs(app, "groningen-wijken-2014.geojson", AreaKind::Wijk).await;
    app.token("lezer@a.test").await;
    // axe finds what is wrong: an image without a text alternative.
    b.client
        .goto("data:text/html,<html lang=nl><title>t</title><main><img src=x.png></main></html>")
        .await
        .unwrap();
    let found = b.violations().await;
    assert!(
        found.iter().any(|v| v.starts_with("image-alt")),
        "{found:?}"
    );

    // Register a signal with two subjects and a relation.
    b.log_in("analist@a.test").await;
    b.visit("/signalen/nieuw").await;
    b.fill("#title", "Hennepgeur bij loods").await;
    b.fill("#description", "Sterke geur, ramen afgeplakt.")
        .await;
    b.click("#theme-drugs").await;
    b.fill("#areaCode", "WK001400").await;
    b.choose("select[name='subjects[0].kind']", "persoon").await;
    b.fill("input[name='subjects[0].name']", "Piet Pietersen")
        .await;
    b.fill("input[name='subjects[0].birthDate']", "03-02-1970")
        .await;
    b.choose("select[name='subjects[1].kind']", "voertuig")
        .await;
    b.fill("input[name='subjects[1].plate']", "12abc3").await;
    b.choose("select[name='relations[0].from']", "1").await;
    b.choose("select[name='relations[0].kind']", "gebruikt-voertuig")
        .await;
    b.choose("select[name='relations[0].to']", "2").await;
    let page = b
        .submit("form[action='/signalen/nieuw'] button[value='opslaan']")
        .await;
    assert!(page.contains("Het signaal is opgeslagen."), "{page}");
    assert!(page.contains("12-ABC-3"));

    // Correct it.
    b.click("a[href$='/corrigeren']").await;
    b.client
        .wait()
        .for_element(Locator::Css("#reason"))
        .await
        .unwrap();
    b.axe().await;
    b.fill("#title", "Hennepgeur bij loods aan de Industrieweg")
        .await;
    b.fill("#reason", "Adres aangevuld").await;
    let page = b.submit("form button[value='opslaan']").await;
    assert!(page.contains("De correctie is opgeslagen."), "{page}");
    assert!(page.contains("Adres aangevuld"));

    // The person's dossier asks the purpose first.
    b.click("tbody tr:first-child a[href^='/betrokkenen/']")
        .await;
    b.client
        .wait()
        .for_element(Locator::Css("#reden"))
        .await
        .unwrap();
    b.axe().await;
    b.fill("#reden", "Voorbereiding casustafel 2025-17").await;
    let page = b.submit("form[action^='/dossiers/'] button").await;
    assert!(page.contains("Piet Pietersen"), "{page}");

    // Import a file, choosing its columns in the browser.
    let csv = app.dir().join("bvh.csv");
    std::fs::write(
        &csv,
        "Meldingnummer;Onderwerp;Toelichting;Thema\nBVH-1;Drugslab;Vaten achter schuur;drugs\n",
    )
    .unwrap();
    b.visit("/import").await;
    b.fill("#source", "politie-bvh").await;
    b.client
        .find(Locator::Css("#file"))
        .await
        .unwrap()
        .send_keys(&csv.display().to_string())
        .await
        .unwrap();
    let page = b
        .submit("form[action='/import'][enctype] > button[type='submit']")
        .await;
    assert!(page.contains("Kolommen kiezen"), "{page}");
    b.choose("#kolom-title", "Onderwerp").await;
    b.choose("#kolom-description", "Toelichting").await;
    b.choose("#kolom-themes", "Thema").await;
    b.choose("#p-key", "Meldingnummer").await;
    b.click("#p-mode-all").await;
    let page = b.submit("section form > button[type='submit']").await;
    assert!(page.contains("1 signaal opgeslagen"), "{page}");

    // The map and an area page, and every other page of the analist's navigation.
    b.visit("/kaart").await;
    let area = b.visit("/gebieden/WK001400").await;
    assert!(area.contains("Informatiebeeld"));
    for page in ANALIST_PAGES {
        b.visit(page).await;
    }

    // The beheerder adds a user and revokes a token.
    b.click("form[action='/uitloggen'] button").await;
    b.log_in("beheer@a.test").await;
    for page in BEHEERDER_PAGES {
        b.visit(page).await;
    }
    b.visit("/beheer/gebruikers").await;
    b.fill("#name", "Nieuwe Analist").await;
    b.fill("#email", "nieuw@a.test").await;
    let org = app
        .store
        .user_by_email("analist@a.test")
        .await
        .unwrap()
        .unwrap()
        .org;
    b.choose("#org", &org.to_string()).await;
    b.click("#role-analist").await;
    let page = b.submit("form[action='/beheer/gebruikers'] button").await;
    assert!(page.contains("nieuw@a.test"), "{page}");
    let lezer = app
        .store
        .user_by_email("lezer@a.test")
        .await
        .unwrap()
        .unwrap();
    b.visit(&format!("/beheer/gebruikers/{}", lezer.id)).await;
    let page = b.submit("form[action$='/token-intrekken'] button").await;
    assert!(
        !page.contains("aria-label=\"Token"),
        "the token is revoked: {page}"
    );
    // The privacy officer compiles Piet Pietersen's inzage (issue 18, pt 7).
    app.store
        .create_user(
            &baken_store::Actor::cli(),
            baken_store::NewUser {
                org,
                email: "privacy@a.test".into(),
                display_name: "Privacy A".into(),
                roles: baken_core::RoleSet::new([baken_core::Role::Auditor]),
                password_hash: Some(crate::harness::password_hash().to_string()),
            },
            time::macros::datetime!(2025-06-02 10:00 UTC),
        )
        .await
        .unwrap();
    b.click("form[action='/uitloggen'] button").await;
    b.log_in("privacy@a.test").await;
    let page = b.visit("/inzage?naam=pietersen").await;
    assert!(page.contains("Overzicht samenstellen"), "{page}");
    let page = b.submit("a[href^='/inzage/']").await;
    assert!(page.contains("Piet Pietersen"), "{page}");
    b.visit("/beheer/doelbinding").await;
    assert!(b.checked.len() >= 14, "{:?}", b.checked);
    b.client.clone().close().await.unwrap();
}

/// Single sign-on as a person does it, in Chromium: the login page's button, the provider's
/// own login and consent forms (oidc-provider's development pages), and back at Baken a whole
/// session — the session cookie is `SameSite=Strict`, so this also proves that the page Baken
/// answers with carries it on to the overview after a redirect chain that began elsewhere.
/// axe on Baken's pages (not on the provider's).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_sign_on_in_chromium_with_axe() {
    use baken_store::testing::{Fixture, TestDatabase, TestEngine};
    let db = TestDatabase::fresh(TestEngine::Sqlite).await.unwrap();
    let fixture = crate::single_sign_on::Provider::start(db).await;
    let Some(app) = fixture.app.as_ref() else {
        return;
    };
    let Some(mut b) = Browser::start(app).await else {
        return;
    };
    let page = b.visit("/inloggen").await;
    assert!(page.contains("Inloggen via Testprovider"), "{page}");
    b.click("a[href='/inloggen/sso']").await;
    let login = b
        .client
        .wait()
        .for_element(Locator::Css("input[name='login']"))
        .await
        .unwrap();
    login.send_keys("anna").await.unwrap();
    b.fill("input[name='password']", "geheim").await;
    b.click("button[type='submit']").await;
    // The provider asks to share the claims with Baken.
    b.client
        .wait()
        .for_element(Locator::Css("input[name='prompt'][value='consent']"))
        .await
        .unwrap();
    b.click("button[type='submit']").await;
    // Back at Baken: the overview, signed in as Anna.
    b.client
        .wait()
        .for_element(Locator::Css(
            "nav a[href='/overzicht'][aria-current='page']",
        ))
        .await
        .unwrap();
    b.axe().await;
    let page = b.client.source().await.unwrap();
    assert!(page.contains("Anna de Groot"), "{page}");
    assert!(page.contains("Uitloggen"));
}
