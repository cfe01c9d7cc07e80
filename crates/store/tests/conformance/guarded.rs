//! Security-relevant records (accounts' roles, API tokens, sharing agreements, a signal's
//! classification and sharing, the status history) cannot be changed by hand, and a change
//! made past the guards is found by `verify_audit_chain`.

use crate::audit::{sqlx_err, verify};
use crate::harness::{Harness, NOW};
use baken_store::{Actor, AuditVerification, GuardedRecord, StateBreak};

baken_store::on_both_engines!(crate::harness::Harness =>
    guarded_records_refuse_changes_by_hand,
    a_role_granted_past_the_guard_is_found,
    a_token_added_by_hand_is_found,
    an_agreement_widened_by_hand_is_found,
    a_removed_guard_is_found,
    a_password_hash_written_by_hand_is_found,
    replacing_or_truncating_is_refused,
    an_agreement_rank_changed_past_the_guard_is_found,
    an_account_deleted_past_the_guard_is_found,
);

/// The record verification names as not what the chain recorded (and fails without one).
async fn found(h: &Harness) -> (GuardedRecord, String) {
    match verify(h).await {
        AuditVerification::StateAltered(StateBreak::NotAsRecorded { record, id }) => (record, id),
        other => panic!("not found: {other:?}"),
    }
}

async fn token(h: &Harness, hash: &str) {
    h.store()
        .create_api_token(&Actor::cli(), h.a_lezer.user(), hash, "rapportage", NOW)
        .await
        .unwrap();
}

async fn guarded_records_refuse_changes_by_hand(h: &Harness) {
    let s = h.signal(&h.a_analist, "Hennep", &["drugs"], "intern").await;
    token(h, "t1").await;
    let lezer = h.a_lezer.user();
    for sql in [
        format!("UPDATE app_user SET roles = 'beheerder' WHERE id = '{lezer}'"),
        format!("DELETE FROM app_user WHERE id = '{lezer}'"),
        "UPDATE api_token SET user_id = (SELECT id FROM app_user WHERE roles LIKE '%beheerder%' LIMIT 1) WHERE token_hash = 't1'".to_string(),
        "DELETE FROM api_token WHERE token_hash = 't1'".to_string(),
        "UPDATE sharing_agreement SET max_classification = 'bibob'".to_string(),
        "UPDATE sharing_agreement SET valid_until = NULL".to_string(),
        "DELETE FROM agreement_theme".to_string(),
        "DELETE FROM agreement_party".to_string(),
        format!("UPDATE signal SET classification = 'openbaar', classification_rank = 0 WHERE id = '{}'", s.id),
        format!("UPDATE signal SET sharing = 'partners' WHERE id = '{}'", s.id),
        format!("DELETE FROM signal WHERE id = '{}'", s.id),
        "DELETE FROM signal_status_history".to_string(),
    ] {
        assert!(sqlx_err(h, &sql).await, "refused: {sql}");
    }
    // What the product does to them still works: a token is revoked once.
    assert!(!sqlx_err(h, "UPDATE api_token SET revoked_at = '2026-01-01T00:00:00.000000Z' WHERE token_hash = 't1'").await);
    assert!(
        sqlx_err(
            h,
            "UPDATE api_token SET revoked_at = NULL WHERE token_hash = 't1'"
        )
        .await
    );
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
}

/// Drops a guard, runs `sql` and puts the guard back, as someone with DBA rights could.
async fn past_the_guard(h: &Harness, guard: &str, table: &str, sql: &str) {
    match &h.engine {
        crate::harness::Engine::Sqlite(s) => {
            // SQLite cannot disable a trigger: drop it and make an identical one afterwards.
            let create: String = sqlx::query_scalar(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = $1",
            )
            .bind(guard)
            .fetch_one(s.raw_pool())
            .await
            .unwrap();
            h.raw(&format!("DROP TRIGGER {guard}; {sql}; {create};"))
                .await;
        }
        crate::harness::Engine::Postgres(_) => {
            h.raw(&format!(
                "ALTER TABLE {table} DISABLE TRIGGER {guard}; {sql}; ALTER TABLE {table} ENABLE TRIGGER {guard};"
            ))
            .await;
        }
    }
}

async fn a_role_granted_past_the_guard_is_found(h: &Harness) {
    let lezer = h.a_lezer.user();
    past_the_guard(
        h,
        "app_user_guard_u",
        "app_user",
        &format!("UPDATE app_user SET roles = 'analist,beheerder' WHERE id = '{lezer}'"),
    )
    .await;
    assert_eq!(found(h).await, (GuardedRecord::Account, lezer.to_string()));
}

async fn a_token_added_by_hand_is_found(h: &Harness) {
    token(h, "t1").await;
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    let beheerder = h.a_beheerder.user();
    // A token for the beheerder, inserted directly: the table allows inserts.
    h.raw(&format!(
        "INSERT INTO api_token (token_hash, user_id, label, created_at) \
         VALUES ('forged', '{beheerder}', 'x', '2026-01-01T00:00:00.000000Z')"
    ))
    .await;
    assert_eq!(
        found(h).await,
        (GuardedRecord::ApiToken, beheerder.to_string())
    );
}

async fn an_agreement_widened_by_hand_is_found(h: &Harness) {
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    let c_org = h.c_partner.org();
    // A third party added to an agreement: the table allows inserts.
    h.raw(&format!(
        "INSERT INTO agreement_party (agreement_id, org_id) \
         SELECT id, '{c_org}' FROM sharing_agreement WHERE name = 'A-B drugs en mensenhandel'"
    ))
    .await;
    assert_eq!(found(h).await.0, GuardedRecord::Agreement);
}

async fn a_removed_guard_is_found(h: &Harness) {
    match &h.engine {
        crate::harness::Engine::Sqlite(_) => h.raw("DROP TRIGGER signal_guard_u").await,
        // A trigger set to fire only for replication does not fire in ordinary sessions.
        crate::harness::Engine::Postgres(_) => {
            h.raw("ALTER TABLE signal ENABLE REPLICA TRIGGER signal_guard_u")
                .await
        }
    }
    assert_eq!(
        verify(h).await,
        AuditVerification::StateAltered(StateBreak::GuardRemoved {
            guard: "signal_guard_u"
        })
    );
}

/// Someone writes a password hash they know into an account to log in as its holder; a
/// password set through Baken is recorded and verifies.
async fn a_password_hash_written_by_hand_is_found(h: &Harness) {
    let beheerder = h.a_beheerder.user();
    h.store()
        .set_password(
            &Actor::cli(),
            beheerder,
            "$argon2id$v=19$m=19456,t=2,p=1$new",
            NOW,
        )
        .await
        .unwrap();
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    h.raw(&format!(
        "UPDATE app_user SET password_hash = '$argon2id$v=19$m=19456,t=2,p=1$mine' WHERE id = '{beheerder}'"
    ))
    .await;
    assert_eq!(
        found(h).await,
        (GuardedRecord::Account, beheerder.to_string())
    );
}

/// SQLite's INSERT OR REPLACE deletes without delete triggers, PostgreSQL's TRUNCATE fires no
/// row triggers: both are refused on the guarded tables.
async fn replacing_or_truncating_is_refused(h: &Harness) {
    let s = h.signal(&h.a_analist, "Hennep", &["drugs"], "intern").await;
    let statements: Vec<String> = match &h.engine {
        crate::harness::Engine::Sqlite(_) => vec![
            format!(
                "INSERT OR REPLACE INTO signal SELECT * FROM signal WHERE id = '{}'",
                s.id
            ),
            "INSERT OR REPLACE INTO app_user SELECT * FROM app_user".to_string(),
            "INSERT OR REPLACE INTO sharing_agreement SELECT * FROM sharing_agreement".to_string(),
        ],
        crate::harness::Engine::Postgres(_) => vec![
            "TRUNCATE api_token".to_string(),
            "TRUNCATE agreement_party".to_string(),
            "TRUNCATE signal CASCADE".to_string(),
        ],
    };
    for sql in statements {
        assert!(sqlx_err(h, &sql).await, "refused: {sql}");
    }
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    // A replacement over another unique column removes a recorded account: found.
    if let crate::harness::Engine::Sqlite(_) = &h.engine {
        let lezer = h.a_lezer.user();
        h.raw(
            "INSERT OR REPLACE INTO app_user (id, org_id, email, display_name, roles, active, created_at) \
             SELECT 'x', org_id, email, 'x', roles, 1, created_at FROM app_user WHERE email = 'lezer@a.test'",
        )
        .await;
        // The row put in is unrecorded, and the one it removed is missing: either is named.
        let (record, id) = found(h).await;
        assert_eq!(record, GuardedRecord::Account);
        assert!(id == "x" || id == lezer.to_string(), "{id}");
    }
}

async fn an_agreement_rank_changed_past_the_guard_is_found(h: &Harness) {
    past_the_guard(
        h,
        "sharing_agreement_guard_u",
        "sharing_agreement",
        "UPDATE sharing_agreement SET max_classification_rank = 0, max_classification = 'openbaar'",
    )
    .await;
    assert_eq!(found(h).await.0, GuardedRecord::Agreement);
}

async fn an_account_deleted_past_the_guard_is_found(h: &Harness) {
    let lezer = h.a_lezer.user();
    past_the_guard(
        h,
        "app_user_guard_d",
        "app_user",
        &format!("DELETE FROM app_user WHERE id = '{lezer}'"),
    )
    .await;
    assert_eq!(found(h).await, (GuardedRecord::Account, lezer.to_string()));
}
