use baken::config::{FileConfig, Overrides};
use baken_core::FixedClock;
use baken_store::{testing, Actor, SharedStore};
use std::sync::{Arc, OnceLock};
use time::macros::datetime;

pub const PASSWORD: &str = "correct-horse-battery";

/// The running application on a fresh database holding `testing::small_world`; every user's
/// password is [`PASSWORD`].
pub struct TestApp {
    pub base: String,
    /// The application's clock: tests move it to expire sessions and change codes.
    pub clock: Arc<FixedClock>,
    pub store: SharedStore,
    pub database_url: Option<String>,
    database: testing::TestDatabase,
}

pub fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| baken_store::credentials::hash_password(PASSWORD).unwrap())
}

impl testing::Fixture for TestApp {
    async fn start(database: testing::TestDatabase) -> TestApp {
        TestApp::start_with(database, FileConfig::default()).await
    }
}

impl TestApp {
    /// Starts Baken as `baken serve` does ([`baken::App::build`]) with `file` as its
    /// configuration file, on port 0, after filling the database with `testing::small_world`.
    /// `file.bind` may name the address (a test that must know its port beforehand).
    /// Unless `file` says otherwise (`it::second_factor` runs the default), users sign in with
    /// their password alone, so that the other tests need no authenticator.
    pub async fn start_with(database: testing::TestDatabase, mut file: FileConfig) -> TestApp {
        file.sign_in
            .get_or_insert_with(|| baken_core::sign_in::SignInPolicy::with_second_factor_for([]));
        let bind = file.bind.clone().unwrap_or_else(|| "127.0.0.1:0".into());
        let settings = baken::config::settings(
            file,
            Overrides {
                bind: Some(bind),
                data_dir: Some(database.dir().to_path_buf()),
                database_url: database.url().map(str::to_string),
            },
            "baken-test",
        );
        let clock = Arc::new(FixedClock::new(datetime!(2025-06-02 12:00 UTC)));
        let app = baken::App::build(&settings, clock.clone()).await.unwrap();
        let store = app.store().clone();
        testing::small_world(
            store.as_ref(),
            Some(password_hash()),
            datetime!(2025-06-02 10:00 UTC),
        )
        .await;
        baken_web::bootstrap::ensure_public_form_account(
            store.as_ref(),
            "Gemeente A",
            datetime!(2025-06-02 10:00 UTC),
        )
        .await
        .unwrap();
        let base = format!("http://{}", app.address());
        tokio::spawn(app.run());
        TestApp {
            base,
            clock,
            store,
            database_url: settings.database_url.clone(),
            database,
        }
    }

    /// The data directory (the SQLite file is there).
    pub fn dir(&self) -> &std::path::Path {
        self.database.dir()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser without a session: keeps cookies, does not follow redirects.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// The CSRF token in a page's form.
    pub fn csrf_of(html: &str) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = html.find(marker).expect("no csrf field") + marker.len();
        html[start..start + 64].to_string()
    }

    /// A browser logged in as `email`.
    pub async fn login(&self, email: &str) -> reqwest::Client {
        let browser = self.browser();
        let page = browser
            .get(self.url("/inloggen"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let response = browser
            .post(self.url("/inloggen"))
            .form(&[
                ("csrf", Self::csrf_of(&page).as_str()),
                ("email", email),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "login of {email} failed");
        browser
    }

    /// The CSRF token of a logged-in browser's session.
    pub async fn session_csrf(&self, browser: &reqwest::Client) -> String {
        let page = browser
            .get(self.url("/overzicht"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        Self::csrf_of(&page)
    }

    /// A personal API token for `email`.
    pub async fn token(&self, email: &str) -> String {
        let user = self.store.user_by_email(email).await.unwrap().unwrap();
        let (token, hash) = baken_store::credentials::new_api_token();
        self.store
            .create_api_token(
                &Actor::cli(),
                user.id,
                &hash,
                "test",
                datetime!(2025-06-01 10:00 UTC),
            )
            .await
            .unwrap();
        token
    }

    /// GETs an API path with a token and returns the JSON body.
    pub async fn get_json(&self, token: &str, path: &str) -> serde_json::Value {
        reqwest::Client::new()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Registers a signal through the API and returns its id.
    pub async fn api_signal(&self, token: &str, body: serde_json::Value) -> String {
        let response = reqwest::Client::new()
            .post(self.url("/api/v1/signals"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        let json: serde_json::Value = response.json().await.unwrap();
        json["id"].as_str().unwrap().to_string()
    }
}

pub fn signal_json(title: &str, theme: &str) -> serde_json::Value {
    serde_json::json!({
        "title": title,
        "description": format!("Beschrijving: {title}"),
        "sourceKind": "partner",
        "sourceReliability": "B",
        "informationCredibility": "2",
        "themes": [theme],
        "areaCode": "BU00140000",
        "latitude": 53.21927,
        "longitude": 6.568567,
        "receivedAt": "2025-05-20T10:00:00+02:00"
    })
}

/// A loopback port that is free now, for a process that must be told its port before it
/// binds (Baken behind the test identity provider, chromedriver). Port 0 would hand out a port
/// from the ephemeral range, where any outgoing connection of a test running beside may take
/// it before the process binds; these ports lie below that range
/// (`/proc/sys/net/ipv4/ip_local_port_range`) and each call in this binary gets its own.
pub fn reserved_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let _ = NEXT.compare_exchange(
        0,
        20_000 + (std::process::id() % 1_000) as u16 * 10,
        Ordering::SeqCst,
        Ordering::SeqCst,
    );
    loop {
        let port = NEXT.fetch_add(1, Ordering::SeqCst);
        assert!(port < 32_000, "no free port below the ephemeral range");
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}
