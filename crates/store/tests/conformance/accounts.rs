//! The beheerder's administration of accounts and tokens: roles change through Baken with the
//! chain recording them, deactivation and revocation take effect at once, a reset password
//! must be replaced, and nobody else administers.

use crate::audit::{sqlx_err, verify};
use crate::harness::{Harness, NOW};
use baken_core::access::Denied;
use baken_core::{Role, RoleSet};
use baken_store::{
    Activation, Actor, AuditVerification, EndSessions, NewSession, Rejection, SessionStage,
    StoreError,
};
use time::Duration;

baken_store::on_both_engines!(crate::harness::Harness =>
    the_beheerder_changes_roles_and_the_chain_still_verifies,
    only_the_beheerder_administers,
    a_deactivated_account_loses_its_sessions_and_tokens,
    a_revoked_token_fails_at_once_and_its_use_is_remembered,
    a_reset_password_must_be_replaced,
    an_agreement_ends_once_by_the_beheerder_and_its_end_is_guarded,
    sessions_live_while_used_and_their_owner_ends_them,
    a_second_factor_accepts_each_code_and_recovery_code_once,
);

const IDLE: Duration = Duration::minutes(30);

async fn session(
    s: &dyn baken_store::Store,
    id: &str,
    user: uuid::Uuid,
    now: time::OffsetDateTime,
) {
    s.create_session(NewSession {
        id_hash: id,
        user,
        csrf: "csrf",
        client: "192.0.2.1",
        stage: SessionStage::Complete,
        now,
        expires: now + Duration::hours(8),
    })
    .await
    .unwrap();
}

fn beheerder(h: &Harness) -> Actor {
    Actor::Caller(h.a_beheerder.clone())
}

async fn the_beheerder_changes_roles_and_the_chain_still_verifies(h: &Harness) {
    let lezer = h.a_lezer.user();
    let analist = RoleSet::new([Role::Analist]);
    h.store()
        .set_roles(&beheerder(h), lezer, analist.clone(), NOW)
        .await
        .unwrap();
    assert_eq!(h.store().user(lezer).await.unwrap().unwrap().roles, analist);
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    let accounts = h.store().accounts(&beheerder(h)).await.unwrap();
    let row = accounts.iter().find(|a| a.user.id == lezer).unwrap();
    assert_eq!(row.user.roles, analist);
    assert_eq!(row.last_login, None);
    // No roles at all is refused, naming the field.
    let err = h
        .store()
        .set_roles(&beheerder(h), lezer, RoleSet::new([]), NOW)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected(ref r) if r == &[Rejection::NoRole]));
    // By hand the guard still refuses; past it (advancing the version too) verify finds it.
    assert!(
        sqlx_err(
            h,
            &format!("UPDATE app_user SET roles = 'beheerder' WHERE id = '{lezer}'")
        )
        .await
    );
    h.raw(&format!(
        "UPDATE app_user SET roles = 'beheerder', roles_version = roles_version + 1 \
         WHERE id = '{lezer}'"
    ))
    .await;
    assert!(!matches!(verify(h).await, AuditVerification::Intact { .. }));
}

async fn only_the_beheerder_administers(h: &Harness) {
    for caller in [&h.a_analist, &h.a_lezer, &h.b_partner] {
        let actor = Actor::Caller(caller.clone());
        let denied = |r: Result<(), StoreError>| {
            assert!(
                matches!(r, Err(StoreError::Forbidden(Denied::Administer))),
                "{r:?}"
            )
        };
        denied(
            h.store()
                .set_roles(&actor, caller.user(), RoleSet::new([Role::Beheerder]), NOW)
                .await,
        );
        denied(
            h.store()
                .set_activation(&actor, h.a_toezicht.user(), Activation::Inactive, NOW)
                .await,
        );
        denied(
            h.store()
                .reset_password(&actor, h.a_toezicht.user(), "x", NOW)
                .await,
        );
        denied(h.store().accounts(&actor).await.map(|_| ()));
    }
    // The beheerder does not lock themself out.
    let own = h
        .store()
        .set_activation(
            &beheerder(h),
            h.a_beheerder.user(),
            Activation::Inactive,
            NOW,
        )
        .await
        .unwrap_err();
    assert!(matches!(own, StoreError::Rejected(ref r) if r == &[Rejection::OwnAccount]));
}

async fn a_deactivated_account_loses_its_sessions_and_tokens(h: &Harness) {
    let user = h.a_analist.user();
    let s = h.store();
    session(s, "sessie", user, NOW).await;
    s.create_api_token(&Actor::cli(), user, "token", "rapportage", NOW)
        .await
        .unwrap();
    s.set_activation(&beheerder(h), user, Activation::Inactive, NOW)
        .await
        .unwrap();
    assert!(s.session("sessie", NOW, IDLE).await.unwrap().is_none());
    assert!(s.user_by_token("token", NOW).await.unwrap().is_none());
    assert!(!s.user(user).await.unwrap().unwrap().active);
    s.set_activation(&beheerder(h), user, Activation::Active, NOW)
        .await
        .unwrap();
    assert!(s.user_by_token("token", NOW).await.unwrap().is_some());
    assert!(
        s.session("sessie", NOW, IDLE).await.unwrap().is_none(),
        "sessions stay ended"
    );
    let actions: Vec<String> = s
        .audit_events(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.iter().any(|a| a == "user.deactivate"));
    assert!(actions.iter().any(|a| a == "user.reactivate"));
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
}

async fn a_revoked_token_fails_at_once_and_its_use_is_remembered(h: &Harness) {
    let s = h.store();
    let lezer = h.a_lezer.user();
    s.create_api_token(&Actor::cli(), lezer, "t-lezer", "rapportage", NOW)
        .await
        .unwrap();
    assert!(s.user_by_token("t-lezer", NOW).await.unwrap().is_some());
    let later = NOW + Duration::minutes(2);
    assert!(s.user_by_token("t-lezer", later).await.unwrap().is_some());
    let own = s
        .api_tokens(&Actor::Caller(h.a_lezer.clone()), None)
        .await
        .unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].label, "rapportage");
    assert_eq!(own[0].last_used_at, Some(NOW), "remembered to five minutes");
    // Another user sees none of it and cannot revoke it: to them it does not exist.
    let other = Actor::Caller(h.a_analist.clone());
    assert!(s.api_tokens(&other, Some(lezer)).await.unwrap().is_empty());
    assert!(matches!(
        s.revoke_token(&other, "t-lezer", NOW).await,
        Err(StoreError::NotFound)
    ));
    // The beheerder sees every token and revokes it; it fails at once.
    let all = s.api_tokens(&beheerder(h), None).await.unwrap();
    assert!(all.iter().any(|t| t.hash == "t-lezer" && t.user == lezer));
    s.revoke_token(&beheerder(h), "t-lezer", later)
        .await
        .unwrap();
    assert!(s.user_by_token("t-lezer", later).await.unwrap().is_none());
    let listed = s.api_tokens(&beheerder(h), Some(lezer)).await.unwrap();
    assert_eq!(listed[0].revoked_at, Some(later));
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
}

async fn an_agreement_ends_once_by_the_beheerder_and_its_end_is_guarded(h: &Harness) {
    use baken_store::Conflict;
    let s = h.store();
    let ab = s
        .agreements()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == "A-B drugs en mensenhandel")
        .unwrap();
    let day = |d: &str| {
        time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
    };
    let analist = Actor::Caller(h.a_analist.clone());
    assert!(matches!(
        s.end_agreement(&analist, ab.id, day("2025-06-30"), NOW)
            .await,
        Err(StoreError::Forbidden(Denied::Administer))
    ));
    assert!(matches!(
        s.end_agreement(&beheerder(h), ab.id, day("2022-12-31"), NOW).await,
        Err(StoreError::Rejected(ref r)) if r == &[Rejection::EndsBeforeStart]
    ));
    assert!(matches!(
        s.end_agreement(&beheerder(h), uuid::Uuid::nil(), day("2025-06-30"), NOW)
            .await,
        Err(StoreError::NotFound)
    ));
    s.end_agreement(&beheerder(h), ab.id, day("2025-06-30"), NOW)
        .await
        .unwrap();
    let ended = s
        .agreements()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.id == ab.id)
        .unwrap();
    assert_eq!(ended.valid_until, Some(day("2025-06-30")));
    assert!(matches!(
        s.end_agreement(&beheerder(h), ab.id, day("2025-07-31"), NOW)
            .await,
        Err(StoreError::Conflict(Conflict::AgreementEnded))
    ));
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    // The end cannot be taken back by hand; one written by hand is found.
    assert!(sqlx_err(h, "DELETE FROM sharing_agreement_end").await);
    assert!(sqlx_err(h, "UPDATE sharing_agreement_end SET ends_on = '2099-12-31'").await);
    let other = s
        .agreements()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.id != ab.id)
        .unwrap();
    h.raw(&format!(
        "INSERT INTO sharing_agreement_end (agreement_id, ends_on, recorded_at) \
         VALUES ('{}', '2025-01-01', '2025-06-02T10:00:00.000000Z')",
        other.id
    ))
    .await;
    assert!(!matches!(verify(h).await, AuditVerification::Intact { .. }));
}

async fn a_reset_password_must_be_replaced(h: &Harness) {
    let s = h.store();
    let user = h.a_toezicht.user();
    session(s, "sessie", user, NOW).await;
    s.reset_password(&beheerder(h), user, "tijdelijk", NOW)
        .await
        .unwrap();
    assert!(s.session("sessie", NOW, IDLE).await.unwrap().is_none());
    assert!(
        s.user(user)
            .await
            .unwrap()
            .unwrap()
            .password_change_required
    );
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    s.set_password(&Actor::Caller(h.a_toezicht.clone()), user, "nieuw", NOW)
        .await
        .unwrap();
    assert!(
        !s.user(user)
            .await
            .unwrap()
            .unwrap()
            .password_change_required
    );
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
}

async fn sessions_live_while_used_and_their_owner_ends_them(h: &Harness) {
    let s = h.store();
    let user = h.a_analist.user();
    let me = Actor::Caller(h.a_analist.clone());
    session(s, "laptop", user, NOW).await;
    session(s, "telefoon", user, NOW + Duration::minutes(1)).await;
    session(s, "iemand", h.a_bibob.user(), NOW).await;
    let mine = s
        .sessions_of(&me, NOW + Duration::minutes(2), IDLE)
        .await
        .unwrap();
    assert_eq!(mine.len(), 2, "only the caller's own sessions");
    assert_eq!(mine[0].client, "192.0.2.1");
    let laptop = s.session("laptop", NOW, IDLE).await.unwrap().unwrap();
    assert_eq!(laptop.stage, SessionStage::Complete);

    // Used within the idle time, a session lives on; unused longer, it is gone.
    let t = NOW + Duration::minutes(25);
    assert!(s.session("laptop", t, IDLE).await.unwrap().is_some());
    let t = t + Duration::minutes(25);
    assert!(
        s.session("laptop", t, IDLE).await.unwrap().is_some(),
        "kept alive"
    );
    assert!(
        s.session("telefoon", t, IDLE).await.unwrap().is_none(),
        "idle"
    );
    // However used, not past its absolute end.
    let mut t = t;
    while t < NOW + Duration::hours(8) - Duration::minutes(20) {
        t += Duration::minutes(20);
        assert!(s.session("laptop", t, IDLE).await.unwrap().is_some());
    }
    assert!(s
        .session("laptop", NOW + Duration::hours(8), IDLE)
        .await
        .unwrap()
        .is_none());

    // Ending: the others, or one by its handle; never someone else's.
    let later = NOW + Duration::hours(9);
    session(s, "a", user, later).await;
    session(s, "b", user, later).await;
    session(s, "c", user, later).await;
    session(s, "ander", h.a_bibob.user(), later).await;
    let a = s.session("a", later, IDLE).await.unwrap().unwrap().handle;
    let b = s.session("b", later, IDLE).await.unwrap().unwrap().handle;
    let others = s
        .session("ander", later, IDLE)
        .await
        .unwrap()
        .unwrap()
        .handle;
    assert_eq!(
        s.end_sessions(&me, EndSessions::One(others), later)
            .await
            .unwrap(),
        0
    );
    assert!(s.session("ander", later, IDLE).await.unwrap().is_some());
    assert_eq!(
        s.end_sessions(&me, EndSessions::One(b), later)
            .await
            .unwrap(),
        1
    );
    assert!(s.session("b", later, IDLE).await.unwrap().is_none());
    assert_eq!(
        s.end_sessions(&me, EndSessions::AllBut(a), later)
            .await
            .unwrap(),
        1
    );
    assert!(s.session("a", later, IDLE).await.unwrap().is_some());
    assert!(s.session("c", later, IDLE).await.unwrap().is_none());
    let ended = s
        .audit_events(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "session.end")
        .count();
    assert_eq!(ended, 3, "every ending is audited");

    // A session waiting for its second factor becomes whole only under a new id.
    s.create_session(NewSession {
        id_hash: "wachtend",
        user,
        csrf: "csrf",
        client: "192.0.2.1",
        stage: SessionStage::SecondFactor,
        now: later,
        expires: later + Duration::minutes(5),
    })
    .await
    .unwrap();
    let waiting = s.session("wachtend", later, IDLE).await.unwrap().unwrap();
    assert_eq!(waiting.stage, SessionStage::SecondFactor);
    assert!(s
        .complete_session("wachtend", "heel", later, later + Duration::hours(8))
        .await
        .unwrap());
    assert!(s.session("wachtend", later, IDLE).await.unwrap().is_none());
    let whole = s.session("heel", later, IDLE).await.unwrap().unwrap();
    assert_eq!(whole.stage, SessionStage::Complete);
    assert!(
        !s.complete_session("heel", "nog-eens", later, later + Duration::hours(8))
            .await
            .unwrap(),
        "a whole session is not completed again"
    );
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
}

async fn a_second_factor_accepts_each_code_and_recovery_code_once(h: &Harness) {
    use baken_store::credentials::totp;
    let s = h.store();
    let user = h.a_analist.user();
    let me = Actor::Caller(h.a_analist.clone());
    assert!(s.second_factor(user).await.unwrap().is_none());
    // Setting up: the waiting session becomes whole, the offered secret is forgotten.
    s.create_session(NewSession {
        id_hash: "instellen",
        user,
        csrf: "csrf",
        client: "192.0.2.1",
        stage: SessionStage::Enrol,
        now: NOW,
        expires: NOW + Duration::hours(8),
    })
    .await
    .unwrap();
    let secret = totp::new_secret();
    s.set_enrol_secret("instellen", Some(&secret))
        .await
        .unwrap();
    let offered = s.session("instellen", NOW, IDLE).await.unwrap().unwrap();
    assert_eq!(offered.enrol_secret.as_deref(), Some(secret.as_str()));
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_hash(c)).collect();
    s.enrol_second_factor(&me, &secret, 100, &hashes, NOW)
        .await
        .unwrap();
    let enrolled = s.session("instellen", NOW, IDLE).await.unwrap().unwrap();
    assert_eq!(enrolled.stage, SessionStage::Complete);
    assert_eq!(enrolled.enrol_secret, None);
    let factor = s.second_factor(user).await.unwrap().unwrap();
    assert_eq!(factor.secret, secret);
    assert_eq!(factor.last_step, 100);
    assert_eq!(factor.recovery_codes_left, 10);

    // A time step is accepted once, and never one before it.
    assert!(!s.accept_totp_step(user, 100).await.unwrap());
    assert!(s.accept_totp_step(user, 101).await.unwrap());
    assert!(!s.accept_totp_step(user, 101).await.unwrap());
    assert!(!s.accept_totp_step(user, 99).await.unwrap());
    // A recovery code once; another user's code is not this user's.
    assert!(s.use_recovery_code(user, &hashes[0], NOW).await.unwrap());
    assert!(!s.use_recovery_code(user, &hashes[0], NOW).await.unwrap());
    assert!(!s
        .use_recovery_code(h.a_bibob.user(), &hashes[1], NOW)
        .await
        .unwrap());
    assert_eq!(
        s.second_factor(user)
            .await
            .unwrap()
            .unwrap()
            .recovery_codes_left,
        9
    );

    // Only the beheerder resets; the reset ends the sessions and is audited.
    let refused = s.reset_second_factor(&me, user, NOW).await.unwrap_err();
    assert!(matches!(refused, StoreError::Forbidden(Denied::Administer)));
    s.reset_second_factor(&beheerder(h), user, NOW)
        .await
        .unwrap();
    assert!(s.second_factor(user).await.unwrap().is_none());
    assert!(s.session("instellen", NOW, IDLE).await.unwrap().is_none());
    assert!(!s.use_recovery_code(user, &hashes[1], NOW).await.unwrap());
    let actions: Vec<String> = s
        .audit_events(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.iter().any(|a| a == "user.enrol-second-factor"));
    assert!(actions.iter().any(|a| a == "user.reset-second-factor"));
    let unknown = s
        .reset_second_factor(&beheerder(h), uuid::Uuid::nil(), NOW)
        .await
        .unwrap_err();
    assert!(matches!(unknown, StoreError::NotFound));
}
