//! How people sign in: which roles need a second factor, and how long a session lives
//! (issue 18, pt 2; BIO2 9.4.2: a second factor for access to personal data).

use crate::access::{Role, RoleSet};
use serde::Deserialize;

/// The sign-in rules of an installation (`[sign_in]` in the configuration file).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInPolicy {
    /// Roles that must confirm a login with an authenticator code. Default: every role that
    /// sees personal data, which is all but the lezer (who sees counts only).
    #[serde(default = "default_second_factor_roles")]
    second_factor_roles: Vec<Role>,
    /// Minutes without a request after which a session ends (default 30).
    #[serde(default = "default_idle_minutes")]
    idle_minutes: u32,
    /// Hours after login at which a session ends however active it was (default 8).
    #[serde(default = "default_session_hours")]
    session_hours: u32,
}

fn default_second_factor_roles() -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Lezer)
        .collect()
}

fn default_idle_minutes() -> u32 {
    30
}

fn default_session_hours() -> u32 {
    8
}

impl Default for SignInPolicy {
    fn default() -> Self {
        Self {
            second_factor_roles: default_second_factor_roles(),
            idle_minutes: default_idle_minutes(),
            session_hours: default_session_hours(),
        }
    }
}

/// A sign-in setting outside what Baken accepts, with the key that holds it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInPolicyError {
    #[error("sign_in.idle_minutes: kies 5 tot en met 480 minuten (gegeven: {0})")]
    IdleMinutes(u32),
    #[error("sign_in.session_hours: kies 1 tot en met 24 uur (gegeven: {0})")]
    SessionHours(u32),
}

impl SignInPolicy {
    /// A policy with the given roles requiring a second factor and the default lifetimes.
    pub fn with_second_factor_for(roles: impl IntoIterator<Item = Role>) -> Self {
        Self {
            second_factor_roles: roles.into_iter().collect(),
            ..Self::default()
        }
    }

    /// The lifetimes are within what keeps a session both usable and short.
    pub fn check(&self) -> Result<(), SignInPolicyError> {
        if !(5..=480).contains(&self.idle_minutes) {
            return Err(SignInPolicyError::IdleMinutes(self.idle_minutes));
        }
        if !(1..=24).contains(&self.session_hours) {
            return Err(SignInPolicyError::SessionHours(self.session_hours));
        }
        Ok(())
    }

    /// Whether an account with these roles must confirm its login with a second factor:
    /// when any of its roles is one that requires it.
    pub fn requires_second_factor(&self, roles: &RoleSet) -> bool {
        roles.iter().any(|r| self.second_factor_roles.contains(&r))
    }

    /// How long a session may go unused.
    pub fn idle(&self) -> time::Duration {
        time::Duration::minutes(i64::from(self.idle_minutes))
    }

    /// How long a session lives at most.
    pub fn lifetime(&self) -> time::Duration {
        time::Duration::hours(i64::from(self.session_hours))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_default_everyone_but_the_lezer_needs_a_second_factor() {
        let policy = SignInPolicy::default();
        for role in Role::ALL {
            assert_eq!(
                policy.requires_second_factor(&RoleSet::new([role])),
                role != Role::Lezer,
                "{role:?}"
            );
        }
        // A lezer who is also an analist sees personal data.
        assert!(policy.requires_second_factor(&RoleSet::new([Role::Lezer, Role::Analist])));
        assert!(!policy.requires_second_factor(&RoleSet::new([])));
        assert_eq!(policy.idle(), time::Duration::minutes(30));
        assert_eq!(policy.lifetime(), time::Duration::hours(8));
    }

    #[test]
    fn lifetimes_outside_the_bounds_are_refused_with_their_key() {
        let policy: SignInPolicy = toml_like(2, 8);
        assert_eq!(policy.check(), Err(SignInPolicyError::IdleMinutes(2)));
        assert!(SignInPolicyError::IdleMinutes(2)
            .to_string()
            .contains("sign_in.idle_minutes"));
        assert_eq!(
            toml_like(30, 0).check(),
            Err(SignInPolicyError::SessionHours(0))
        );
        assert_eq!(toml_like(30, 12).check(), Ok(()));
    }

    fn toml_like(idle_minutes: u32, session_hours: u32) -> SignInPolicy {
        SignInPolicy {
            idle_minutes,
            session_hours,
            ..SignInPolicy::default()
        }
    }
}
