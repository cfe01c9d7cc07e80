//! Accounts that sign in through the municipality's identity provider (issue 18, pt 1). The
//! web edge speaks OpenID Connect and maps the claims (`baken_core::single_sign_on`); the store
//! finds, makes or updates the account the provider's (issuer, subject) is linked to.
//! Implemented by the engines in `engine/identities.rs`.

use crate::Result;
use async_trait::async_trait;
use baken_core::model::User;
use baken_core::RoleSet;
use time::OffsetDateTime;
use uuid::Uuid;

/// Who the provider says signed in, and what the claims give in Baken.
#[derive(Debug, Clone)]
pub struct ExternalIdentity<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    pub email: &'a str,
    /// The provider vouches for the address (`email_verified`): only then is an existing
    /// local account with that address linked to this identity.
    pub email_verified: EmailVerified,
    pub display_name: &'a str,
    pub organisation: Uuid,
    pub roles: RoleSet,
}

/// Whether the provider vouches for the e-mail address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailVerified {
    Yes,
    No,
}

/// What a sign-in through the provider comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalSignIn {
    /// The account to open a session for (made at the first sign-in, its roles as the claims
    /// give them now).
    Account(User),
    Refused(ExternalRefusal),
}

/// Why a sign-in through the provider opens no session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalRefusal {
    /// The beheerder deactivated the account.
    Deactivated(Uuid),
    /// The claims name another organisation than the account's (an account's organisation
    /// never changes).
    OtherOrganisation(Uuid),
    /// A local account has the address, and the provider does not vouch for it or it belongs
    /// to another organisation: no one takes over an account by its address alone.
    EmailTaken,
    /// The account with the address is linked to another identity at the provider already.
    LinkedToAnother(Uuid),
}

impl ExternalRefusal {
    /// The stored form (in the audit trail).
    pub fn slug(self) -> &'static str {
        match self {
            ExternalRefusal::Deactivated(_) => "deactivated",
            ExternalRefusal::OtherOrganisation(_) => "other-organisation",
            ExternalRefusal::EmailTaken => "email-taken",
            ExternalRefusal::LinkedToAnother(_) => "linked-to-another",
        }
    }

    /// The account the refusal is about, where one is known (and may be named in the audit).
    pub fn account(self) -> Option<Uuid> {
        match self {
            ExternalRefusal::Deactivated(id)
            | ExternalRefusal::OtherOrganisation(id)
            | ExternalRefusal::LinkedToAnother(id) => Some(id),
            ExternalRefusal::EmailTaken => None,
        }
    }
}

#[async_trait]
pub trait IdentityStore: Send + Sync {
    /// The account linked to the identity: made (with the claims' roles) and linked at the
    /// first sign-in, or an existing local account with the same verified address of the same
    /// organisation linked; afterwards its roles follow the claims. Each change is audited
    /// with the account's new guarded state; a sign-in that changes nothing writes nothing
    /// here (the session's own event records it).
    async fn external_sign_in(
        &self,
        identity: ExternalIdentity<'_>,
        now: OffsetDateTime,
    ) -> Result<ExternalSignIn>;
}
