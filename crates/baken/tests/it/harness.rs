use baken_core::catalogue::Catalogue;
use baken_core::model::{Classification, OrgKind};
use baken_core::{FixedClock, Role, RoleSet};
use baken_store::{testing, Actor, NewAgreement, NewUser, SharedStore};
use baken_web::{AppState, WebConfig};
use std::sync::{Arc, OnceLock};
use time::macros::{date, datetime};

pub const PASSWORD: &str = "correct-horse-battery";

#[derive(Clone, Copy)]
pub enum EngineChoice {
    Sqlite,
    Postgres,
}

/// The running application with a small world: municipality A (analist, bibob-coördinator,
/// toezichthouder, lezer), police B (partner) sharing drugs with A, water board C (partner)
/// without an agreement.
pub struct TestApp {
    pub base: String,
    pub store: SharedStore,
    pub database_url: Option<String>,
    pub _dir: tempfile::TempDir,
}

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| baken_web::auth::hash_password(PASSWORD).unwrap())
}

impl TestApp {
    pub async fn spawn(engine: EngineChoice) -> Option<TestApp> {
        let dir = tempfile::tempdir().unwrap();
        let database_url = match engine {
            EngineChoice::Sqlite => None,
            EngineChoice::Postgres => {
                Some(testing::fresh_postgres_url(&testing::postgres_admin_url()?).await)
            }
        };
        let store = baken_store::open(database_url.as_deref(), dir.path())
            .await
            .unwrap();
        let now = datetime!(2025-06-02 10:00 UTC);
        let sys = Actor::System {
            process: "test".into(),
        };
        store
            .ensure_catalogue(&sys, &Catalogue::groningen_defaults(), now)
            .await
            .unwrap();
        let a = store
            .create_organisation(&sys, "Gemeente A", OrgKind::Gemeente, now)
            .await
            .unwrap();
        let b = store
            .create_organisation(&sys, "Politie B", OrgKind::Politie, now)
            .await
            .unwrap();
        let c = store
            .create_organisation(&sys, "Waterschap C", OrgKind::Waterschap, now)
            .await
            .unwrap();
        for (org, email, role) in [
            (a.id, "analist@a.test", Role::Analist),
            (a.id, "bibob@a.test", Role::BibobCoordinator),
            (a.id, "toezicht@a.test", Role::Toezichthouder),
            (a.id, "lezer@a.test", Role::Lezer),
            (b.id, "partner@b.test", Role::Partner),
            (c.id, "partner@c.test", Role::Partner),
        ] {
            store
                .create_user(
                    &sys,
                    NewUser {
                        org,
                        email: email.into(),
                        display_name: email.split('@').next().unwrap().into(),
                        roles: RoleSet::new([role]),
                        password_hash: Some(password_hash().into()),
                    },
                    now,
                )
                .await
                .unwrap();
        }
        store
            .create_agreement(
                &sys,
                NewAgreement {
                    name: "A-B drugs".into(),
                    parties: vec![a.id, b.id],
                    legal_basis: "RIEC-convenant".into(),
                    purposes: "bestuurlijke aanpak drugs".into(),
                    themes: vec!["drugs".into()],
                    max_classification: Classification::Vertrouwelijk,
                    valid_from: date!(2023 - 01 - 01),
                    valid_until: None,
                },
                now,
            )
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let clock = Arc::new(FixedClock::new(datetime!(2025-06-02 12:00 UTC)));
        let state = AppState::new(store.clone(), clock, WebConfig::default());
        tokio::spawn(baken_web::serve(listener, state));
        Some(TestApp {
            base,
            store,
            database_url,
            _dir: dir,
        })
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
        let (token, hash) = baken_web::auth::new_api_token();
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
