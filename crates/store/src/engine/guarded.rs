//! Security-relevant records under guard (issue 12): accounts' organisation and roles, API
//! tokens and sharing agreements are written with a digest of their state in the audit event
//! that creates them, and the database refuses changes to them (and to a signal's owner,
//! classification and sharing) by triggers (migration 0016). Verification checks both: every
//! guard in place, and every such record the one the keyed chain recorded.

use super::*;
use crate::{GuardedRecord, StateBreak};
use baken_core::audit::{recorded_state, state_digest};

/// The triggers of migration 0016 (and the status history's), by name, on both engines.
const GUARDS: &[&str] = &[
    "app_user_guard_u",
    "app_user_guard_d",
    "api_token_guard_u",
    "api_token_guard_d",
    "sharing_agreement_guard_u",
    "sharing_agreement_guard_d",
    "agreement_party_guard_u",
    "agreement_party_guard_d",
    "agreement_theme_guard_u",
    "agreement_theme_guard_d",
    "signal_guard_u",
    "signal_guard_d",
];

/// The status history's guards (migrations 0001 and 0014), named per engine, and the query
/// for the names of the triggers in force.
fn engine_guards() -> (&'static [&'static str], &'static str) {
    match ENGINE {
        crate::Engine::Sqlite => (
            &[
                "signal_status_history_append_only_u",
                "signal_status_history_append_only_d",
            ],
            "SELECT name FROM sqlite_master WHERE type = 'trigger'",
        ),
        crate::Engine::Postgres => (
            &["signal_status_history_append_only"],
            "SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'",
        ),
    }
}

/// The state digest of an account: its organisation and roles.
pub(super) async fn user_state<'c, E>(db: E, user: &str) -> Result<Option<String>>
where
    E: sqlx::Executor<'c, Database = Db>,
{
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT org_id, roles FROM app_user WHERE id = $1")
            .bind(user)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(org, roles)| state_digest(&[user, &org, &roles])))
}

/// The state digest of an API token: its hash, its account and when it was made.
pub(super) fn token_state(token_hash: &str, user: &str, created_at: &str) -> String {
    state_digest(&[token_hash, user, created_at])
}

/// The state digest of a sharing agreement with its parties and themes.
pub(super) async fn agreement_state(
    tx: &mut Transaction<'static, Db>,
    id: &str,
) -> Result<Option<String>> {
    let row: Option<(String, String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT name, legal_basis, purposes, max_classification, valid_from, valid_until \
         FROM sharing_agreement WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((name, basis, purposes, max, from, until)) = row else {
        return Ok(None);
    };
    let parties: Vec<String> = sqlx::query_scalar(
        "SELECT org_id FROM agreement_party WHERE agreement_id = $1 ORDER BY org_id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let themes: Vec<String> = sqlx::query_scalar(
        "SELECT theme FROM agreement_theme WHERE agreement_id = $1 ORDER BY theme",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let (parties, themes) = (parties.join(","), themes.join(","));
    let until = until.unwrap_or_default();
    Ok(Some(state_digest(&[
        id, &name, &basis, &purposes, &max, &from, &until, &parties, &themes,
    ])))
}

/// The details of the events the chain recorded for `action`, per object id, in order.
async fn recorded(
    tx: &mut Transaction<'static, Db>,
    action: AuditAction,
) -> Result<HashMap<String, Vec<String>>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT object_id, detail FROM audit_event WHERE action = $1 AND result = $2 ORDER BY seq",
    )
    .bind(action.as_str())
    .bind(AuditOutcome::Success.as_str())
    .fetch_all(&mut **tx)
    .await?;
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (id, detail) in rows {
        out.entry(id).or_default().push(detail);
    }
    Ok(out)
}

/// Whether a record's current state is one the chain recorded: an event's digest matches, or
/// the record comes from before digests were written (an event without one) and `legacy`
/// accepts what that event says.
fn as_recorded(
    details: Option<&Vec<String>>,
    current: &str,
    legacy: impl Fn(&str) -> bool,
) -> bool {
    details.is_some_and(|d| {
        d.iter().any(|detail| match recorded_state(detail) {
            Some(state) => state == current,
            None => legacy(detail),
        })
    })
}

impl EngineStore {
    /// The first thing about the guarded records that the chain does not account for.
    pub(super) async fn verify_guarded_state(&self) -> Result<Option<StateBreak>> {
        let mut tx = self.pool.begin().await?;
        let (status_guards, query) = engine_guards();
        let triggers: Vec<String> = sqlx::query_scalar(query).fetch_all(&mut *tx).await?;
        if let Some(missing) = GUARDS
            .iter()
            .chain(status_guards)
            .find(|g| !triggers.iter().any(|t| t == *g))
        {
            return Ok(Some(StateBreak::GuardRemoved { guard: missing }));
        }
        let users_recorded = recorded(&mut tx, AuditAction::UserCreate).await?;
        let users: Vec<String> = sqlx::query_scalar("SELECT id FROM app_user ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
        for user in users {
            let state = user_state(&mut *tx, &user).await?.unwrap_or_default();
            let roles: String = sqlx::query_scalar("SELECT roles FROM app_user WHERE id = $1")
                .bind(&user)
                .fetch_one(&mut *tx)
                .await?;
            // Accounts made before digests: the roles the event named.
            let same_roles = |detail: &str| {
                detail
                    .split(' ')
                    .any(|kv| kv.strip_prefix("roles=") == Some(roles.as_str()))
            };
            if !as_recorded(users_recorded.get(&user), &state, same_roles) {
                return Ok(Some(StateBreak::NotAsRecorded {
                    record: GuardedRecord::Account,
                    id: user,
                }));
            }
        }
        let tokens_recorded = recorded(&mut tx, AuditAction::TokenCreate).await?;
        let tokens: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT token_hash, user_id, created_at FROM api_token ORDER BY user_id, created_at",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut legacy_used: HashMap<&str, usize> = HashMap::new();
        for (hash, user, created) in &tokens {
            let state = token_state(hash, user, created);
            let events = tokens_recorded.get(user.as_str());
            let digested = as_recorded(events, &state, |_| false);
            // A token from before digests were written is accounted for by one event each.
            let legacy = events.map_or(0, |d| {
                d.iter().filter(|d| recorded_state(d).is_none()).count()
            });
            let used = legacy_used.entry(user.as_str()).or_default();
            if !digested {
                if *used >= legacy {
                    return Ok(Some(StateBreak::NotAsRecorded {
                        record: GuardedRecord::ApiToken,
                        id: user.clone(),
                    }));
                }
                *used += 1;
            }
        }
        let agreements_recorded = recorded(&mut tx, AuditAction::AgreementCreate).await?;
        let agreements: Vec<String> =
            sqlx::query_scalar("SELECT id FROM sharing_agreement ORDER BY id")
                .fetch_all(&mut *tx)
                .await?;
        for agreement in agreements {
            let state = agreement_state(&mut tx, &agreement)
                .await?
                .unwrap_or_default();
            // Agreements made before digests: that the chain recorded them at all.
            if !as_recorded(agreements_recorded.get(&agreement), &state, |_| true) {
                return Ok(Some(StateBreak::NotAsRecorded {
                    record: GuardedRecord::Agreement,
                    id: agreement,
                }));
            }
        }
        tx.rollback().await?;
        Ok(None)
    }
}
