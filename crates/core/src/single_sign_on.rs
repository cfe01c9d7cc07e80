//! Single sign-on by OpenID Connect (issue 18, pt 1): which identity provider an installation
//! trusts, and the rule by which the provider's claims become an organisation and roles in
//! Baken. The protocol itself (discovery, authorization code with PKCE, the ID token's
//! signature and nonce) is the web edge's, through the `openidconnect` crate; the accounts
//! are the store's. Local accounts keep working beside it.
//!
//! ```toml
//! [oidc]
//! issuer = "https://login.groningen.nl/realms/gemeente"
//! client_id = "baken"
//! client_secret_file = "/etc/baken/oidc-client-secret"
//! redirect_url = "https://baken.groningen.nl/inloggen/sso/terug"
//! label = "Gemeente Groningen"
//! roles_claim = "groups"
//! organisation = "Gemeente Groningen"
//! [[oidc.roles]]
//! value = "baken-analisten"
//! role = "analist"
//! ```

use crate::access::{Role, RoleSet};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The path of a callback below Baken's address, where the provider sends the browser back.
pub const CALLBACK_PATH: &str = "/inloggen/sso/terug";

/// The identity provider and its claim mapping (`[oidc]` in the configuration file).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSettings {
    /// The provider's issuer URL; its discovery document is
    /// `{issuer}/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    /// A file holding the client secret (read at start). Absent: a public client, which
    /// proves itself by PKCE alone.
    pub client_secret_file: Option<PathBuf>,
    /// Baken's own callback as the provider knows it, ending in `/inloggen/sso/terug`.
    pub redirect_url: String,
    /// The provider's name on the login page ("Inloggen via …").
    pub label: String,
    /// Scopes asked for besides `openid` (default: `email`, `profile`).
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// The claim that holds the user's groups or roles at the provider (default `groups`);
    /// a dotted path reaches into an object (`realm_access.roles`).
    #[serde(default = "default_roles_claim")]
    roles_claim: String,
    /// Which value of the roles claim gives which Baken role.
    roles: Vec<RoleRule>,
    /// The one organisation every account of this provider belongs to (by its name in
    /// Baken); or else `organisation_claim` with `organisations`.
    organisation: Option<String>,
    /// The claim naming the user's organisation at the provider.
    organisation_claim: Option<String>,
    /// Which value of the organisation claim is which organisation in Baken.
    #[serde(default)]
    organisations: Vec<OrganisationRule>,
    /// Authentication methods (`amr` values, RFC 8176: `mfa`, `otp`, `hwk`, …) that count as
    /// a second factor at the provider: when the ID token names one, an account whose roles
    /// need a second factor is signed in whole; otherwise it confirms with Baken's own
    /// authenticator code (or sets one up). Default `["mfa"]`; empty: the provider's never
    /// counts.
    #[serde(default = "default_second_factor_amr")]
    second_factor_amr: Vec<String>,
}

/// A value of the roles claim and the Baken role it gives.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleRule {
    pub value: String,
    pub role: Role,
}

/// A value of the organisation claim and the Baken organisation (by name) it means.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationRule {
    pub value: String,
    pub organisation: String,
}

fn default_scopes() -> Vec<String> {
    vec!["email".into(), "profile".into()]
}

fn default_second_factor_amr() -> Vec<String> {
    vec!["mfa".into()]
}

fn default_roles_claim() -> String {
    "groups".into()
}

/// A single sign-on setting Baken cannot work with, with the key that holds it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcSettingsError {
    #[error("oidc.{0}: geef een adres dat met https:// begint (http:// alleen op dit apparaat)")]
    NotAnAddress(&'static str),
    #[error("oidc.redirect_url: het adres moet eindigen op {CALLBACK_PATH}")]
    NotTheCallback,
    #[error("oidc.{0}: mag niet leeg zijn")]
    Empty(&'static str),
    #[error("oidc.roles: geef minstens één regel met value en role")]
    NoRoleRules,
    #[error(
        "oidc: geef óf organisation (één organisatie voor iedereen), óf organisation_claim met \
         [[oidc.organisations]]"
    )]
    OrganisationRule,
}

/// What the claims of one sign-in come to in Baken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    /// The organisation's name in Baken.
    pub organisation: String,
    pub roles: RoleSet,
}

/// Why the claims of a sign-in give no account in Baken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimRefusal {
    /// The organisation claim is missing or names no organisation the mapping knows.
    NoOrganisation,
    /// No value of the roles claim gives a Baken role.
    NoRole,
    /// The provider gave no e-mail address (every account has one).
    NoEmail,
}

impl ClaimRefusal {
    /// The stored form (in the audit trail).
    pub fn slug(self) -> &'static str {
        match self {
            ClaimRefusal::NoOrganisation => "no-organisation",
            ClaimRefusal::NoRole => "no-role",
            ClaimRefusal::NoEmail => "no-email",
        }
    }
}

/// The claims the provider gave about the user (the ID token's and the userinfo's), by path:
/// a dotted path for a value inside an object; strings, numbers and booleans as text, each
/// element of an array as a value of its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderClaims {
    values: BTreeMap<String, Vec<String>>,
}

impl ProviderClaims {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a value under `path` (a claim may hold several).
    pub fn add(&mut self, path: &str, value: &str) {
        let values = self.values.entry(path.to_string()).or_default();
        if !values.iter().any(|v| v == value) {
            values.push(value.to_string());
        }
    }

    /// The values under `path`.
    pub fn get(&self, path: &str) -> &[String] {
        self.values.get(path).map(Vec::as_slice).unwrap_or(&[])
    }
}

fn is_address(value: &str) -> bool {
    let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"];
    value.starts_with("https://")
        || local.iter().any(|l| {
            value.strip_prefix(l).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with(':') || rest.starts_with('/')
            })
        })
}

impl OidcSettings {
    /// The settings hold together: addresses (TLS, except to this machine), the callback,
    /// at least one role rule, and one way to find the organisation.
    pub fn check(&self) -> Result<(), OidcSettingsError> {
        if !is_address(&self.issuer) {
            return Err(OidcSettingsError::NotAnAddress("issuer"));
        }
        if !is_address(&self.redirect_url) {
            return Err(OidcSettingsError::NotAnAddress("redirect_url"));
        }
        if !self.redirect_url.ends_with(CALLBACK_PATH) {
            return Err(OidcSettingsError::NotTheCallback);
        }
        for (key, value) in [
            ("client_id", &self.client_id),
            ("label", &self.label),
            ("roles_claim", &self.roles_claim),
        ] {
            if value.trim().is_empty() {
                return Err(OidcSettingsError::Empty(key));
            }
        }
        if self.roles.is_empty() {
            return Err(OidcSettingsError::NoRoleRules);
        }
        let by_claim = self.organisation_claim.is_some() && !self.organisations.is_empty();
        let fixed = self.organisation.is_some();
        if by_claim == fixed || (fixed && !self.organisations.is_empty()) {
            return Err(OidcSettingsError::OrganisationRule);
        }
        Ok(())
    }

    /// The organisation and roles the claims give, the e-mail address being there. A user
    /// whose claims give no role has no account in Baken (nothing is made for them).
    pub fn map(&self, claims: &ProviderClaims) -> Result<Mapped, ClaimRefusal> {
        if claims.get("email").iter().all(|e| e.trim().is_empty()) {
            return Err(ClaimRefusal::NoEmail);
        }
        let organisation = match (&self.organisation, &self.organisation_claim) {
            (Some(fixed), _) => fixed.clone(),
            (None, Some(claim)) => claims
                .get(claim)
                .iter()
                .find_map(|value| {
                    self.organisations
                        .iter()
                        .find(|rule| rule.value == *value)
                        .map(|rule| rule.organisation.clone())
                })
                .ok_or(ClaimRefusal::NoOrganisation)?,
            (None, None) => return Err(ClaimRefusal::NoOrganisation),
        };
        let held = claims.get(&self.roles_claim);
        let roles = RoleSet::new(
            self.roles
                .iter()
                .filter(|rule| held.contains(&rule.value))
                .map(|rule| rule.role),
        );
        if roles.is_empty() {
            return Err(ClaimRefusal::NoRole);
        }
        Ok(Mapped {
            organisation,
            roles,
        })
    }

    /// Whether the provider's sign-in, with these authentication methods (`amr`), counts as
    /// the second factor.
    pub fn second_factor_shown(&self, amr: &[String]) -> bool {
        amr.iter().any(|m| self.second_factor_amr.contains(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(extra: &str) -> OidcSettings {
        let text = format!(
            "issuer = \"https://login.example.nl\"\nclient_id = \"baken\"\n\
             redirect_url = \"https://baken.example.nl/inloggen/sso/terug\"\n\
             label = \"Gemeente\"\n{extra}\n\
             [[roles]]\nvalue = \"baken-analist\"\nrole = \"analist\"\n\
             [[roles]]\nvalue = \"baken-beheer\"\nrole = \"beheerder\"\n"
        );
        toml::from_str(&text).unwrap()
    }

    fn claims(pairs: &[(&str, &str)]) -> ProviderClaims {
        let mut c = ProviderClaims::new();
        for (k, v) in pairs {
            c.add(k, v);
        }
        c
    }

    #[test]
    fn groups_become_roles_of_the_one_organisation() {
        let s = settings("organisation = \"Gemeente A\"");
        s.check().unwrap();
        let mapped = s
            .map(&claims(&[
                ("email", "anna@a.nl"),
                ("groups", "baken-analist"),
                ("groups", "iets-anders"),
                ("groups", "baken-beheer"),
            ]))
            .unwrap();
        assert_eq!(mapped.organisation, "Gemeente A");
        assert_eq!(mapped.roles, RoleSet::new([Role::Analist, Role::Beheerder]));
    }

    #[test]
    fn no_mapped_group_no_account() {
        let s = settings("organisation = \"Gemeente A\"");
        assert_eq!(
            s.map(&claims(&[("email", "p@a.nl"), ("groups", "iets-anders")])),
            Err(ClaimRefusal::NoRole)
        );
        assert_eq!(
            s.map(&claims(&[("groups", "baken-analist")])),
            Err(ClaimRefusal::NoEmail)
        );
    }

    #[test]
    fn the_organisation_claim_is_mapped_or_refused() {
        let s = settings(
            "organisation_claim = \"org\"\nroles_claim = \"realm_access.roles\"\n\
             [[organisations]]\nvalue = \"gem-a\"\norganisation = \"Gemeente A\"",
        );
        s.check().unwrap();
        let ok = s.map(&claims(&[
            ("email", "a@a.nl"),
            ("org", "gem-a"),
            ("realm_access.roles", "baken-analist"),
        ]));
        assert_eq!(ok.unwrap().organisation, "Gemeente A");
        let unknown = s.map(&claims(&[
            ("email", "a@a.nl"),
            ("org", "gem-b"),
            ("realm_access.roles", "baken-analist"),
        ]));
        assert_eq!(unknown, Err(ClaimRefusal::NoOrganisation));
    }

    #[test]
    fn settings_name_what_is_wrong() {
        assert_eq!(
            settings("").check(),
            Err(OidcSettingsError::OrganisationRule)
        );
        let mut s = settings("organisation = \"A\"");
        s.issuer = "http://login.example.nl".into();
        assert_eq!(s.check(), Err(OidcSettingsError::NotAnAddress("issuer")));
        s.issuer = "http://127.0.0.1:4000".into();
        s.redirect_url = "https://baken.example.nl/terug".into();
        assert_eq!(s.check(), Err(OidcSettingsError::NotTheCallback));
        let err = toml::from_str::<OidcSettings>("issuer = \"x\"\nclient_idd = \"b\"").unwrap_err();
        assert!(err.to_string().contains("client_idd"), "{err}");
    }

    #[test]
    fn the_provider_s_second_factor_counts_only_when_it_names_one() {
        let plain = settings("organisation = \"A\"");
        assert!(!plain.second_factor_shown(&[]));
        assert!(!plain.second_factor_shown(&["pwd".into()]));
        assert!(plain.second_factor_shown(&["pwd".into(), "mfa".into()]));
        let listed = settings("organisation = \"A\"\nsecond_factor_amr = [\"otp\", \"hwk\"]");
        assert!(listed.second_factor_shown(&["otp".into()]));
        assert!(!listed.second_factor_shown(&["mfa".into()]));
        let never = settings("organisation = \"A\"\nsecond_factor_amr = []");
        assert!(!never.second_factor_shown(&["mfa".into()]));
    }
}
