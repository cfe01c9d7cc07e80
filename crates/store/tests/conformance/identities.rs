//! Accounts of the identity provider (issue 18, pt 1), on both engines: the first sign-in
//! makes and links the account, later ones follow the claims' roles, a verified address of the
//! same organisation links a local account and nothing else takes one over; a deactivated
//! account stays out. The link is guarded: it cannot be changed by hand, and one written past
//! the guard is found by `verify_audit_chain`.

use crate::audit::{sqlx_err, verify};
use crate::harness::{Harness, NOW};
use baken_core::{Role, RoleSet};
use baken_store::{
    Activation, Actor, AuditVerification, EmailVerified, ExternalIdentity, ExternalRefusal,
    ExternalSignIn, GuardedRecord, StateBreak,
};

baken_store::on_both_engines!(crate::harness::Harness =>
    the_provider_s_people_get_accounts_that_follow_its_claims,
    an_identity_link_written_by_hand_is_found,
);

const ISSUER: &str = "https://login.example.nl";

fn identity<'a>(
    subject: &'a str,
    email: &'a str,
    org: uuid::Uuid,
    roles: &[Role],
) -> ExternalIdentity<'a> {
    ExternalIdentity {
        issuer: ISSUER,
        subject,
        email,
        email_verified: EmailVerified::Yes,
        display_name: "Anna de Groot",
        organisation: org,
        roles: RoleSet::new(roles.iter().copied()),
    }
}

fn account(answer: ExternalSignIn) -> baken_core::model::User {
    match answer {
        ExternalSignIn::Account(user) => user,
        other => panic!("no account: {other:?}"),
    }
}

async fn the_provider_s_people_get_accounts_that_follow_its_claims(h: &Harness) {
    let s = h.store();
    let a = h.a_analist.org();
    let b = h.b_analist.org();
    let made = account(
        s.external_sign_in(identity("anna", "Anna@A.test", a, &[Role::Analist]), NOW)
            .await
            .unwrap(),
    );
    assert_eq!(made.email, "anna@a.test");
    assert_eq!(made.roles, RoleSet::new([Role::Analist]));
    // No password: the login form finds no credentials.
    assert!(s.login_credentials("anna@a.test").await.unwrap().is_none());
    let again = account(
        s.external_sign_in(identity("anna", "anna@a.test", a, &[Role::Analist]), NOW)
            .await
            .unwrap(),
    );
    assert_eq!(again.id, made.id);
    let promoted = account(
        s.external_sign_in(
            identity("anna", "anna@a.test", a, &[Role::Analist, Role::Beheerder]),
            NOW,
        )
        .await
        .unwrap(),
    );
    assert_eq!(
        promoted.roles,
        RoleSet::new([Role::Analist, Role::Beheerder])
    );
    assert_eq!(
        s.user(made.id).await.unwrap().unwrap().roles,
        promoted.roles
    );
    // The claims name another organisation: refused, the account unchanged.
    assert_eq!(
        s.external_sign_in(identity("anna", "anna@a.test", b, &[Role::Analist]), NOW)
            .await
            .unwrap(),
        ExternalSignIn::Refused(ExternalRefusal::OtherOrganisation(made.id))
    );
    // A local account: linked by its verified address within its organisation only.
    let lezer = h.a_lezer.user();
    let mut unverified = identity("eve", "lezer@a.test", a, &[Role::Lezer]);
    unverified.email_verified = EmailVerified::No;
    assert_eq!(
        s.external_sign_in(unverified, NOW).await.unwrap(),
        ExternalSignIn::Refused(ExternalRefusal::EmailTaken)
    );
    assert_eq!(
        s.external_sign_in(identity("bob", "lezer@a.test", b, &[Role::Lezer]), NOW)
            .await
            .unwrap(),
        ExternalSignIn::Refused(ExternalRefusal::EmailTaken)
    );
    let linked = account(
        s.external_sign_in(identity("lea", "lezer@a.test", a, &[Role::Lezer]), NOW)
            .await
            .unwrap(),
    );
    assert_eq!(linked.id, lezer);
    // Another identity at the provider with the same address does not take it over.
    assert_eq!(
        s.external_sign_in(identity("lea2", "lezer@a.test", a, &[Role::Lezer]), NOW)
            .await
            .unwrap(),
        ExternalSignIn::Refused(ExternalRefusal::LinkedToAnother(lezer))
    );
    // Deactivated by the beheerder: out.
    s.set_activation(&Actor::cli(), made.id, Activation::Inactive, NOW)
        .await
        .unwrap();
    assert_eq!(
        s.external_sign_in(identity("anna", "anna@a.test", a, &[Role::Analist]), NOW)
            .await
            .unwrap(),
        ExternalSignIn::Refused(ExternalRefusal::Deactivated(made.id))
    );
    let events = s.audit_events(0, 10_000).await.unwrap();
    for (action, id) in [
        ("user.create", made.id),
        ("user.set-roles", made.id),
        ("user.link-identity", lezer),
    ] {
        assert!(
            events.iter().any(|e| e.action == action
                && e.object_id.as_deref() == Some(id.to_string().as_str())
                && e.detail.contains("via=single-sign-on")),
            "{action} audited"
        );
    }
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    // The link is never changed nor deleted by hand.
    for sql in [
        format!(
            "UPDATE external_identity SET user_id = '{}'",
            h.a_beheerder.user()
        ),
        "UPDATE external_identity SET subject = 'mallory'".to_string(),
        "DELETE FROM external_identity".to_string(),
    ] {
        assert!(sqlx_err(h, &sql).await, "refused: {sql}");
    }
}

/// Someone links their own identity at the provider to the beheerder's account, to sign in
/// as the beheerder: found.
async fn an_identity_link_written_by_hand_is_found(h: &Harness) {
    let beheerder = h.a_beheerder.user();
    h.raw(&format!(
        "INSERT INTO external_identity (issuer, subject, user_id, created_at) \
         VALUES ('{ISSUER}', 'mallory', '{beheerder}', '2025-06-02T10:00:00.000000Z')"
    ))
    .await;
    match verify(h).await {
        AuditVerification::StateAltered(StateBreak::NotAsRecorded { record, id }) => {
            assert_eq!(
                (record, id),
                (GuardedRecord::Account, beheerder.to_string())
            );
        }
        other => panic!("not found: {other:?}"),
    }
}
