//! The application as it runs: one [`App::build`] used by `baken serve`, `baken demo` and the
//! end-to-end tests, so the wiring from settings to the web edge is the same everywhere (and
//! tested over HTTP).

use anyhow::{Context, Result};
use baken_core::Clock;
use baken_store::{Actor, SharedStore};
use baken_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::sync::Arc;

use crate::config::Settings;

/// A bound, not yet serving application.
pub struct App {
    listener: tokio::net::TcpListener,
    address: SocketAddr,
    store: SharedStore,
    state: AppState,
}

impl App {
    /// Opens the store named by `settings` (creating and migrating it, seeding the theme
    /// catalogue on first use), binds `settings.bind` and wires the settings into the web edge.
    pub async fn build(settings: &Settings, clock: Arc<dyn Clock>) -> Result<App> {
        let store = open_store(settings, clock.as_ref()).await?;
        Self::with_store(settings, store, clock).await
    }

    /// As [`App::build`], on a store that is already open (the demo generates its own).
    pub async fn with_store(
        settings: &Settings,
        store: SharedStore,
        clock: Arc<dyn Clock>,
    ) -> Result<App> {
        let listener = tokio::net::TcpListener::bind(&settings.bind)
            .await
            .with_context(|| format!("--bind: kan niet luisteren op {}", settings.bind))?;
        let address = listener.local_addr()?;
        let state = AppState::new(store.clone(), clock, web_config(settings)?);
        Ok(App {
            listener,
            address,
            store,
            state,
        })
    }

    /// Where the application listens (the real port when `settings.bind` asked for port 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn store(&self) -> &SharedStore {
        &self.store
    }

    /// Serves until the listener fails or the future is dropped.
    pub async fn run(self) -> Result<()> {
        baken_web::serve(self.listener, self.state).await?;
        Ok(())
    }
}

/// The web edge's part of the settings (reading the identity provider's client secret).
fn web_config(settings: &Settings) -> Result<WebConfig> {
    let single_sign_on = match &settings.oidc {
        Some(oidc) => {
            let secret = match &oidc.client_secret_file {
                Some(path) => Some(
                    crate::input::read_text(path, 4096, "oidc.client_secret_file ")?
                        .trim()
                        .to_string(),
                ),
                None => None,
            };
            let sso = baken_web::sso::SingleSignOn::new(oidc.clone(), secret).context("[oidc]")?;
            Some(Arc::new(sso))
        }
        None => None,
    };
    Ok(WebConfig {
        force_secure_cookies: settings.secure_cookies,
        public_contact_days: settings.public_contact_days,
        suppression: baken_core::access::Suppression {
            threshold: settings.suppression_threshold,
        },
        intake: settings.intake.clone(),
        escalation: settings.escalation.clone(),
        trusted_proxies: settings.trusted_proxies.clone(),
        sign_in: settings.sign_in.clone(),
        single_sign_on,
        retention: settings.retention.clone(),
    })
}

/// Opens the store, brings its schema up to date and seeds the theme catalogue on first use,
/// so that every command finds a usable installation.
pub(crate) async fn open_store(settings: &Settings, clock: &dyn Clock) -> Result<SharedStore> {
    let store = baken_store::open(settings.database_url.as_deref(), &settings.data_dir)
        .await
        .context("database openen")?;
    let actor = Actor::System {
        process: "bootstrap".into(),
    };
    store
        .ensure_catalogue(
            &actor,
            &baken_core::catalogue::Catalogue::groningen_defaults(),
            clock.now(),
        )
        .await?;
    Ok(store)
}
