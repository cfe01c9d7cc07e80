//! Baken's web edge: the Dutch HTML interface and the JSON API `/api/v1`.
//!
//! Handlers only translate HTTP: they authenticate, parse input through the domain core, call
//! the store with the caller, and render. They never run SQL and never filter what the store
//! returned — the store already answered only what the caller may see.

use axum::Router;
use baken_core::Clock;
use baken_store::SharedStore;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

mod access_review;
mod accounts;
mod activities;
mod agreements;
pub mod api;
mod audit_log;
pub mod auth;
mod barriers;
pub mod bootstrap;
mod cases;
pub mod client;
mod commitments;
mod dossier;
mod field;
mod hotspots;
mod import_mapping;
mod intervention_fields;
mod intervention_figures;
mod intervention_forms;
mod interventions;
mod inzage;
mod kept_uploads;
pub mod login_guard;
mod meeting_forms;
mod meetings;
mod minutes;
mod picture;
mod public;
mod purpose_review;
mod referrals;
mod report;
mod report_jobs;
pub mod routes;
mod security;
pub mod sso;
mod throttle;
mod timeline;
mod ui;
mod upload;

pub use throttle::Throttle;

/// Settings of the web edge.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` even without `X-Forwarded-Proto: https` (Baken behind TLS).
    pub force_secure_cookies: bool,
    /// Days that consented contact details from the public form are kept.
    pub public_contact_days: u32,
    /// Retention and triage deadlines applied to every new signal.
    pub intake: baken_core::signal::IntakePolicy,
    /// Counts below this threshold are suppressed in aggregates for roles that see no signals.
    pub suppression: baken_core::access::Suppression,
    /// The escalation matrix for art. 13b Opiumwet, which proposes a closure's next step.
    pub escalation: baken_core::intervention::escalation::EscalationPolicy,
    /// Reverse proxies whose `X-Forwarded-For` names the client (none by default).
    pub trusted_proxies: client::TrustedProxies,
    /// Who needs a second factor, and how long a session lives.
    pub sign_in: baken_core::sign_in::SignInPolicy,
    /// The identity provider people may sign in with besides their local accounts.
    pub single_sign_on: Option<Arc<sso::SingleSignOn>>,
    /// How long closed cases, Bibob files, the processing log and the audit trail's content
    /// are kept (the hourly purge applies them).
    pub retention: baken_core::retention::RetentionRules,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            force_secure_cookies: false,
            public_contact_days: 30,
            intake: baken_core::signal::IntakePolicy::default(),
            suppression: baken_core::access::Suppression::default(),
            escalation: Default::default(),
            trusted_proxies: Default::default(),
            sign_in: Default::default(),
            single_sign_on: None,
            retention: Default::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: SharedStore,
    /// The use cases (store, clock and settings together).
    pub ops: baken_app::Operations,
    pub clock: Arc<dyn Clock>,
    pub config: WebConfig,
    pub login_guard: Arc<login_guard::LoginGuard>,
    pub report_throttle: Arc<Throttle>,
    /// Dry runs' files, kept for the user's next try.
    pub kept_uploads: Arc<kept_uploads::KeptUploads>,
    /// Council reports being made for the report page.
    pub reports: Arc<report_jobs::ReportJobs<report::Outcome>>,
}

impl AppState {
    pub fn new(store: SharedStore, clock: Arc<dyn Clock>, config: WebConfig) -> Self {
        Self {
            ops: baken_app::Operations::new(store.clone(), clock.clone(), config.suppression),
            store,
            clock,
            config,
            login_guard: Arc::new(login_guard::LoginGuard::default()),
            report_throttle: Arc::new(Throttle::new(5, time::Duration::minutes(10))),
            reports: Arc::new(report_jobs::ReportJobs::new(report::WAIT)),
            // Within the server's memory budget (issue 13): a few dry runs' files at a time.
            kept_uploads: Arc::new(kept_uploads::KeptUploads::new(128 * 1024 * 1024)),
        }
    }
}

/// Every route Baken serves, with its table.
fn routes() -> routes::Routes {
    routes::Routes::new()
        .merge(ui::routes())
        .merge(accounts::routes())
        .merge(agreements::routes())
        .merge(audit_log::routes())
        .merge(access_review::routes())
        .merge(purpose_review::routes())
        .merge(inzage::routes())
        .merge(referrals::routes())
        .merge(public::routes())
        .merge(upload::routes())
        .merge(field::routes())
        .merge(picture::routes())
        .merge(dossier::routes())
        .merge(cases::routes())
        .merge(meetings::routes())
        .merge(interventions::routes())
        .merge(barriers::routes())
        .merge(activities::routes())
        .merge(commitments::routes())
        .merge(report::routes())
        .nest("/api/v1", api::routes())
}

/// The method and path of every route the application serves.
pub fn route_table() -> Vec<routes::Route> {
    routes().table().to_vec()
}

pub fn router(state: AppState) -> Router {
    routes()
        .into_router()
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// Serves until the process is stopped. `listener` may be bound to port 0 (tests). Also runs
/// at the start and every hour the end of agreements' recomputations a stopped process left
/// unfinished, the
/// wipe of reporters' contact details whose day has come, and the purge of
/// signals past their retention (`baken purge`) every hour — it deletes only what is due, so
/// most runs find nothing —, and once at the start a relink when the stored blocking keys
/// are of an earlier version of Baken (new subjects would otherwise not meet them).
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let relinking = state.clone();
    tokio::spawn(async move { relink_stale_keys(&relinking).await });
    // A walk the previous process left less than two minutes before this one started is
    // taken to be under way at the first tick; once nobody has moved it on, it is finished
    // here rather than an hour later (a restart stops the walks running on their own tasks).
    let resuming = state.clone();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(180)).await;
        if let Err(e) = resuming.store.finish_resharing(resuming.clock.now()).await {
            tracing::error!(error = %e, "finishing an agreement's recomputation failed");
        }
    });
    let maintenance = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = maintenance
                .store
                .finish_resharing(maintenance.clock.now())
                .await
            {
                tracing::error!(error = %e, "finishing an agreement's recomputation failed");
            }
            if let Err(e) = maintenance
                .store
                .purge_reporter_contacts(maintenance.clock.now())
                .await
            {
                tracing::error!(error = %e, "wiping reporter contact details failed");
            }
            match maintenance
                .store
                .purge(
                    baken_core::retention::PurgeMode::Delete,
                    &maintenance.config.retention,
                    maintenance.clock.now(),
                )
                .await
            {
                Ok(report) => {
                    if report.purged + report.cases.purged + report.bibob_files.purged > 0
                        || report.processing_lines + report.audit_events > 0
                    {
                        tracing::info!(
                            signals = report.purged,
                            cases = report.cases.purged,
                            bibob_files = report.bibob_files.purged,
                            processing_lines = report.processing_lines,
                            audit_events_emptied = report.audit_events,
                            "records past their retention deleted"
                        )
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "purging records past their retention failed")
                }
            }
        }
    });
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}

/// Relinks every subject when the stored blocking keys are of an earlier version.
async fn relink_stale_keys(state: &AppState) {
    match state.store.link_keys_current().await {
        Ok(true) => {}
        Ok(false) => {
            tracing::info!("blocking keys of an earlier version: relinking every subject");
            let actor = baken_store::Actor::System {
                process: "relink-keys".into(),
            };
            let quiet = |_: baken_store::RelinkStage, _: u64, _: u64| {};
            match state.store.relink(&actor, &quiet, state.clock.now()).await {
                Ok(_) => tracing::info!("blocking keys written anew"),
                Err(e) => tracing::error!(error = %e, "relinking with new blocking keys failed"),
            }
        }
        Err(e) => tracing::error!(error = %e, "reading the blocking keys' version failed"),
    }
}
