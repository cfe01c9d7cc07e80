//! Security-relevant records under guard (issue 12): accounts' organisation and roles, API
//! tokens and sharing agreements are written with a digest of their state in the audit event
//! that creates them (for accounts also in those that set or reset a password or change its
//! roles), and the database refuses changes to them (and to a signal's owner, classification
//! and sharing) by triggers (migrations 0016, 0017 and 0032: an account's roles change only
//! together with `roles_version`, as Baken's change of roles does). Verification checks both: every guard in force on its table,
//! and every such record the one the keyed chain recorded last.

use super::*;
use crate::{GuardedRecord, StateBreak};
use baken_core::audit::{recorded_state, state_digest};

/// The triggers of migrations 0016 and 0017 (and the status history's), as (trigger, table),
/// on both engines.
const GUARDS: &[(&str, &str)] = &[
    ("app_user_guard_u", "app_user"),
    ("app_user_guard_d", "app_user"),
    ("api_token_guard_u", "api_token"),
    ("api_token_guard_d", "api_token"),
    ("sharing_agreement_guard_u", "sharing_agreement"),
    ("sharing_agreement_guard_d", "sharing_agreement"),
    ("sharing_agreement_end_guard_u", "sharing_agreement_end"),
    ("sharing_agreement_end_guard_d", "sharing_agreement_end"),
    ("agreement_party_guard_u", "agreement_party"),
    ("agreement_party_guard_d", "agreement_party"),
    ("agreement_theme_guard_u", "agreement_theme"),
    ("agreement_theme_guard_d", "agreement_theme"),
    ("signal_guard_u", "signal"),
    ("signal_guard_d", "signal"),
    ("external_identity_guard_u", "external_identity"),
    ("external_identity_guard_d", "external_identity"),
];

/// The guards only one engine has, and the query for the triggers in force with their
/// tables: on SQLite the status history's pair and the inserts that would replace a row
/// (`INSERT OR REPLACE`); on PostgreSQL the status history's trigger and the refusals of
/// TRUNCATE. A PostgreSQL trigger counts only when it fires in ordinary sessions (enabled
/// `O` or `A`, not disabled nor replica-only).
fn engine_guards() -> (&'static [(&'static str, &'static str)], &'static str) {
    match ENGINE {
        crate::Engine::Sqlite => (
            &[
                (
                    "signal_status_history_append_only_u",
                    "signal_status_history",
                ),
                (
                    "signal_status_history_append_only_d",
                    "signal_status_history",
                ),
                ("app_user_guard_i", "app_user"),
                ("api_token_guard_i", "api_token"),
                ("sharing_agreement_guard_i", "sharing_agreement"),
                ("sharing_agreement_end_guard_i", "sharing_agreement_end"),
                ("signal_guard_i", "signal"),
                ("external_identity_guard_i", "external_identity"),
                ("signal_change_append_only_u", "signal_change"),
                ("signal_change_append_only_d", "signal_change"),
            ],
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'",
        ),
        crate::Engine::Postgres => (
            &[
                ("signal_status_history_append_only", "signal_status_history"),
                ("app_user_guard_t", "app_user"),
                ("api_token_guard_t", "api_token"),
                ("sharing_agreement_guard_t", "sharing_agreement"),
                ("sharing_agreement_end_guard_t", "sharing_agreement_end"),
                ("agreement_party_guard_t", "agreement_party"),
                ("agreement_theme_guard_t", "agreement_theme"),
                ("signal_guard_t", "signal"),
                ("external_identity_guard_t", "external_identity"),
                ("signal_status_history_guard_t", "signal_status_history"),
                ("signal_change_append_only", "signal_change"),
                ("signal_change_guard_t", "signal_change"),
            ],
            "SELECT t.tgname::text, c.relname::text FROM pg_trigger t \
             JOIN pg_class c ON c.oid = t.tgrelid \
             WHERE NOT t.tgisinternal AND t.tgenabled IN ('O', 'A')",
        ),
    }
}

/// The state digest of an account: its organisation, roles and password hash (so that a hash
/// written into the database by hand, to log in as someone, is found too), and its link to
/// the identity provider where it has one (so that a link written by hand is found as well;
/// accounts without one keep the digest they had before single sign-on).
pub(super) async fn user_state<'c, E>(db: E, user: &str) -> Result<Option<String>>
where
    E: sqlx::Executor<'c, Database = Db>,
{
    /// Organisation, roles, password hash, and the provider's issuer and subject.
    type Row = (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT u.org_id, u.roles, u.password_hash, x.issuer, x.subject FROM app_user u \
             LEFT JOIN external_identity x ON x.user_id = u.id WHERE u.id = $1",
    )
    .bind(user)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(org, roles, password, issuer, subject)| {
        let password = password.as_deref().unwrap_or("");
        match (issuer, subject) {
            (Some(issuer), Some(subject)) => {
                state_digest(&[user, &org, &roles, password, &issuer, &subject])
            }
            _ => state_digest(&[user, &org, &roles, password]),
        }
    }))
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
    type Row = (
        String,
        String,
        String,
        String,
        i64,
        String,
        Option<String>,
        String,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT name, legal_basis, purposes, max_classification, max_classification_rank, \
         valid_from, valid_until, created_at, referral_contact FROM sharing_agreement \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((name, basis, purposes, max, rank, from, until, created, referral)) = row else {
        return Ok(None);
    };
    let rank = rank.to_string();
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
    let mut fields = vec![
        id, &name, &basis, &purposes, &max, &rank, &from, &until, &created, &parties, &themes,
    ];
    // Only agreements with a verwijsindex (migration 0043) carry its contact point, so the
    // digests recorded before it stay as they were.
    let referral = referral.map(|c| format!("referral={c}"));
    if let Some(r) = &referral {
        fields.push(r);
    }
    Ok(Some(state_digest(&fields)))
}

/// The state digest of an agreement's end.
pub(super) fn agreement_end_state(agreement: &str, ends_on: &str, recorded_at: &str) -> String {
    state_digest(&[agreement, ends_on, recorded_at])
}

/// The details of the events the chain recorded for `actions`, per object id, in order.
async fn recorded(
    tx: &mut Transaction<'static, Db>,
    actions: &[AuditAction],
) -> Result<HashMap<String, Vec<String>>> {
    let mut qb =
        QueryBuilder::<Db>::new("SELECT object_id, detail FROM audit_event WHERE result = ");
    qb.push_bind(AuditOutcome::Success.as_str());
    qb.push(" AND action IN (");
    let mut list = qb.separated(", ");
    for action in actions {
        list.push_bind(action.as_str());
    }
    qb.push(") ORDER BY seq");
    let rows: Vec<(String, String)> = qb.build_query_as().fetch_all(&mut **tx).await?;
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (id, detail) in rows {
        out.entry(id).or_default().push(detail);
    }
    Ok(out)
}

/// Whether an account's current state is the last one the chain recorded for it; for an
/// account whose events carry no digest (made before digests), whether `legacy` accepts
/// what its events say.
fn last_recorded(
    details: Option<&Vec<String>>,
    current: &str,
    legacy: impl Fn(&str) -> bool,
) -> bool {
    let Some(details) = details else { return false };
    match details.iter().rev().find_map(|d| recorded_state(d)) {
        Some(last) => last == current,
        None => details.iter().any(|d| legacy(d)),
    }
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
        let mut tx = begin_on(&self.pool, None).await?;
        let (engine_only, query) = engine_guards();
        let triggers: Vec<(String, String)> = sqlx::query_as(query).fetch_all(&mut *tx).await?;
        if let Some((missing, _)) = GUARDS
            .iter()
            .chain(engine_only)
            .find(|(name, table)| !triggers.iter().any(|(t, on)| t == name && on == table))
        {
            return Ok(Some(StateBreak::GuardRemoved { guard: missing }));
        }
        let users_recorded = recorded(
            &mut tx,
            &[
                AuditAction::UserCreate,
                AuditAction::UserSetPassword,
                AuditAction::UserSetRoles,
                AuditAction::UserResetPassword,
                AuditAction::UserLinkIdentity,
            ],
        )
        .await?;
        let users: Vec<(String, String)> =
            sqlx::query_as("SELECT id, roles FROM app_user ORDER BY id")
                .fetch_all(&mut *tx)
                .await?;
        for (user, roles) in users {
            let state = user_state(&mut *tx, &user).await?.unwrap_or_default();
            // Accounts made before digests: the roles the event named.
            let same_roles = |detail: &str| {
                detail
                    .split(' ')
                    .any(|kv| kv.strip_prefix("roles=") == Some(roles.as_str()))
            };
            if !last_recorded(users_recorded.get(&user), &state, same_roles) {
                return Ok(Some(StateBreak::NotAsRecorded {
                    record: GuardedRecord::Account,
                    id: user,
                }));
            }
        }
        // Every account and agreement the chain says was made is still there.
        for (action, table, record) in [
            (AuditAction::UserCreate, "app_user", GuardedRecord::Account),
            (
                AuditAction::AgreementCreate,
                "sharing_agreement",
                GuardedRecord::Agreement,
            ),
        ] {
            let made = recorded(&mut tx, &[action]).await?;
            let present: std::collections::HashSet<String> =
                sqlx::query_scalar(&format!("SELECT id FROM {table}"))
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect();
            if let Some(gone) = made.keys().filter(|id| !present.contains(*id)).min() {
                return Ok(Some(StateBreak::NotAsRecorded {
                    record,
                    id: gone.clone(),
                }));
            }
        }
        let tokens_recorded = recorded(&mut tx, &[AuditAction::TokenCreate]).await?;
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
        let agreements_recorded = recorded(&mut tx, &[AuditAction::AgreementCreate]).await?;
        let agreements: Vec<String> =
            sqlx::query_scalar("SELECT id FROM sharing_agreement ORDER BY id")
                .fetch_all(&mut *tx)
                .await?;
        for agreement in agreements {
            let state = agreement_state(&mut tx, &agreement)
                .await?
                .unwrap_or_default();
            // Agreements made before digests: the themes and the highest classification their
            // event named (their parties were not recorded).
            let (themes, max): (Vec<String>, String) = (
                sqlx::query_scalar(
                    "SELECT theme FROM agreement_theme WHERE agreement_id = $1 ORDER BY theme",
                )
                .bind(&agreement)
                .fetch_all(&mut *tx)
                .await?,
                sqlx::query_scalar(
                    "SELECT max_classification FROM sharing_agreement WHERE id = $1",
                )
                .bind(&agreement)
                .fetch_one(&mut *tx)
                .await?,
            );
            let same_terms = |detail: &str| {
                let value = |key: &str| {
                    detail
                        .split(' ')
                        .find_map(|kv| kv.strip_prefix(key))
                        .unwrap_or_default()
                };
                let mut named: Vec<&str> = value("themes=").split(',').collect();
                named.sort_unstable();
                named == themes && value("max=") == max
            };
            if !as_recorded(agreements_recorded.get(&agreement), &state, same_terms) {
                return Ok(Some(StateBreak::NotAsRecorded {
                    record: GuardedRecord::Agreement,
                    id: agreement,
                }));
            }
        }
        // Signals whose classification or sharing was corrected: as the last correction
        // recorded it (the others are as registered; the guard allows no other change).
        let corrected: Vec<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT id, owner_org, classification, sharing, guard_version FROM signal \
             WHERE guard_version > 0 ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await?;
        if !corrected.is_empty() {
            let corrections = recorded(&mut tx, &[AuditAction::SignalCorrect]).await?;
            for (id, owner, classification, sharing, version) in corrected {
                let state = super::corrections::signal_state(
                    &id,
                    &owner,
                    &classification,
                    &sharing,
                    version,
                );
                if !last_recorded(corrections.get(&id), &state, |_| false) {
                    return Ok(Some(StateBreak::NotAsRecorded {
                        record: GuardedRecord::Signal,
                        id,
                    }));
                }
            }
        }
        let ends_recorded = recorded(&mut tx, &[AuditAction::AgreementEnd]).await?;
        let ends: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT agreement_id, ends_on, recorded_at FROM sharing_agreement_end \
             ORDER BY agreement_id",
        )
        .fetch_all(&mut *tx)
        .await?;
        for (agreement, ends_on, at) in ends {
            let state = agreement_end_state(&agreement, &ends_on, &at);
            if !as_recorded(ends_recorded.get(&agreement), &state, |_| false) {
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
