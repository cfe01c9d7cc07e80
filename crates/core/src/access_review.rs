//! The yearly review of access rights (BIO2 9.2.5; issue 18, pt 3): per account its roles,
//! its last use and what needs the beheerder's attention. The rules are here; the store
//! gathers the facts and the web edge words them.

use crate::access::RoleSet;
use crate::sign_in::SignInPolicy;
use time::Date;

/// An active account unused (no login, no token use) for longer than this is flagged.
pub const UNUSED_AFTER_DAYS: i64 = 90;
/// An account never used is flagged once it is this old (a new colleague gets time to start).
pub const NEVER_USED_GRACE_DAYS: i64 = 30;
/// The period the review looks back on (role changes in it).
pub const PERIOD_DAYS: i64 = 365;

/// What the review knows of one account, as Dutch calendar days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFacts {
    pub roles: RoleSet,
    pub active: bool,
    pub created_on: Date,
    pub last_login_on: Option<Date>,
    pub last_token_use_on: Option<Date>,
    pub second_factor: bool,
    pub sign_in: SignInRoute,
}

/// How someone signs in with an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRoute {
    /// With a password (and Baken's own second factor where the roles need one).
    Password,
    /// Through the identity provider (single sign-on), whose own second factor counts.
    IdentityProvider,
    /// Nobody: an account without password or provider (the public form's registrar) is used
    /// by Baken itself.
    Nobody,
}

/// What the beheerder should look at, most pressing first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Finding {
    /// Active, but not used in [`UNUSED_AFTER_DAYS`] days: still needed?
    Unused,
    /// Active and older than [`NEVER_USED_GRACE_DAYS`] days, but never used.
    NeverUsed,
    /// Its roles require a second factor it has not set up.
    NoSecondFactor,
    /// Switched off: keeps its history, opens nothing.
    Deactivated,
}

impl Finding {
    pub fn slug(self) -> &'static str {
        match self {
            Finding::Unused => "unused",
            Finding::NeverUsed => "never-used",
            Finding::NoSecondFactor => "no-second-factor",
            Finding::Deactivated => "deactivated",
        }
    }
}

impl AccountFacts {
    /// The last day the account was used, by login or token.
    pub fn last_use_on(&self) -> Option<Date> {
        self.last_login_on.max(self.last_token_use_on)
    }

    /// What the review finds on `today` under `policy`.
    pub fn findings(&self, today: Date, policy: &SignInPolicy) -> Vec<Finding> {
        if !self.active {
            return vec![Finding::Deactivated];
        }
        if self.sign_in == SignInRoute::Nobody {
            return Vec::new();
        }
        let mut found = Vec::new();
        match self.last_use_on() {
            Some(day) if (today - day).whole_days() > UNUSED_AFTER_DAYS => {
                found.push(Finding::Unused)
            }
            None if (today - self.created_on).whole_days() > NEVER_USED_GRACE_DAYS => {
                found.push(Finding::NeverUsed)
            }
            _ => {}
        }
        if !self.second_factor
            && self.sign_in == SignInRoute::Password
            && policy.requires_second_factor(&self.roles)
        {
            found.push(Finding::NoSecondFactor);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;
    use time::macros::date;

    fn analist() -> AccountFacts {
        AccountFacts {
            roles: RoleSet::new([Role::Analist]),
            active: true,
            created_on: date!(2025 - 01 - 06),
            last_login_on: Some(date!(2026 - 11 - 20)),
            last_token_use_on: None,
            second_factor: true,
            sign_in: SignInRoute::Password,
        }
    }

    const TODAY: Date = date!(2026 - 12 - 06);

    #[test]
    fn an_account_in_use_with_its_second_factor_needs_nothing() {
        assert!(analist()
            .findings(TODAY, &SignInPolicy::default())
            .is_empty());
    }

    #[test]
    fn ninety_days_without_login_or_token_is_unused() {
        let mut a = analist();
        a.last_login_on = Some(date!(2026 - 09 - 07)); // 90 days: not yet
        assert!(a.findings(TODAY, &SignInPolicy::default()).is_empty());
        a.last_login_on = Some(date!(2026 - 09 - 06)); // 91 days
        assert_eq!(
            a.findings(TODAY, &SignInPolicy::default()),
            vec![Finding::Unused]
        );
        // A token used last week counts as use.
        a.last_token_use_on = Some(date!(2026 - 11 - 30));
        assert!(a.findings(TODAY, &SignInPolicy::default()).is_empty());
    }

    #[test]
    fn never_used_after_a_month_and_missing_factor_by_policy() {
        let mut a = analist();
        a.last_login_on = None;
        a.second_factor = false;
        a.created_on = date!(2026 - 11 - 20);
        assert_eq!(
            a.findings(TODAY, &SignInPolicy::default()),
            vec![Finding::NoSecondFactor]
        );
        a.created_on = date!(2026 - 10 - 01);
        assert_eq!(
            a.findings(TODAY, &SignInPolicy::default()),
            vec![Finding::NeverUsed, Finding::NoSecondFactor]
        );
        // A lezer needs no second factor by default; a policy may say otherwise.
        a.roles = RoleSet::new([Role::Lezer]);
        assert_eq!(
            a.findings(TODAY, &SignInPolicy::default()),
            vec![Finding::NeverUsed]
        );
        let strict = SignInPolicy::with_second_factor_for(Role::ALL);
        assert!(a
            .findings(TODAY, &strict)
            .contains(&Finding::NoSecondFactor));
    }

    #[test]
    fn an_account_nobody_signs_in_with_is_not_flagged() {
        let mut a = analist();
        a.sign_in = SignInRoute::Nobody;
        a.last_login_on = None;
        a.second_factor = false;
        assert!(a.findings(TODAY, &SignInPolicy::default()).is_empty());
    }

    #[test]
    fn the_identity_provider_s_accounts_have_its_second_factor_but_can_go_unused() {
        let mut a = analist();
        a.sign_in = SignInRoute::IdentityProvider;
        a.second_factor = false;
        assert!(a.findings(TODAY, &SignInPolicy::default()).is_empty());
        a.last_login_on = Some(date!(2026 - 06 - 01));
        assert_eq!(
            a.findings(TODAY, &SignInPolicy::default()),
            vec![Finding::Unused]
        );
    }

    #[test]
    fn a_deactivated_account_is_only_that() {
        let mut a = analist();
        a.active = false;
        a.second_factor = false;
        a.last_login_on = None;
        assert_eq!(
            a.findings(TODAY, &SignInPolicy::default()),
            vec![Finding::Deactivated]
        );
    }
}
