//! The OpenID Connect side of single sign-on (issue 18, pt 1), through the `openidconnect`
//! crate: discovery (kept an hour), the authorization code flow with PKCE (S256), state and
//! nonce, the code exchanged for tokens, the ID token's signature, issuer, audience, expiry
//! and nonce verified against Baken's clock, and the userinfo endpoint's claims added to the
//! token's. What the claims mean in Baken is `baken_core::single_sign_on`; the pages are
//! `ui::single_sign_on`.

use baken_core::single_sign_on::{OidcSettings, ProviderClaims};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, Client, ClientId, ClientSecret,
    CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields,
    IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    StandardErrorResponse, StandardTokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;
use tokio::sync::Mutex;

/// How long a discovered provider (its endpoints and signing keys) is used before it is
/// fetched again, so that rotated keys are picked up.
const DISCOVERY_LIFETIME: time::Duration = time::Duration::hours(1);

/// How deep an object claim is followed (`realm_access.roles` is two).
const CLAIM_DEPTH: usize = 4;

/// Every claim besides the standard ones, as the provider sent it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    values: HashMap<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type TokenResponse = StandardTokenResponse<
    IdTokenFields<
        OtherClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

type ProviderClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why a sign-in through the provider failed on the protocol's side (said to the user as
/// "no valid answer"; the kind is logged, never a token or a claim).
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("the provider's discovery document could not be read: {0}")]
    Discovery(String),
    #[error("the provider's settings are not usable: {0}")]
    Settings(String),
    #[error("the code could not be exchanged for tokens: {0}")]
    Exchange(String),
    #[error("the ID token is not valid: {0}")]
    IdToken(String),
    #[error("the userinfo endpoint gave no valid answer: {0}")]
    UserInfo(String),
}

/// A sign-in begun: where to send the browser, and what to keep in its cookie until it comes
/// back.
pub struct Started {
    pub url: String,
    /// `state`, nonce and PKCE verifier, for the flow's cookie.
    pub cookie: String,
}

/// Who the provider says signed in.
#[derive(Debug, Clone)]
pub struct Verified {
    pub issuer: String,
    pub subject: String,
    pub email: String,
    pub email_verified: bool,
    pub name: String,
    /// Authentication methods (`amr`) the ID token names.
    pub amr: Vec<String>,
    pub claims: ProviderClaims,
}

/// The identity provider an installation trusts, with its discovered endpoints.
pub struct SingleSignOn {
    settings: OidcSettings,
    client_secret: Option<String>,
    http: reqwest::Client,
    provider: Mutex<Option<(CoreProviderMetadata, OffsetDateTime)>>,
}

impl std::fmt::Debug for SingleSignOn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SingleSignOn")
            .field("issuer", &self.settings.issuer)
            .field("client_id", &self.settings.client_id)
            .finish_non_exhaustive()
    }
}

impl SingleSignOn {
    /// The provider of `settings` (checked), signing in as `client_secret`'s client (none:
    /// a public client). Nothing is fetched yet: the provider is discovered at the first
    /// sign-in, so Baken starts while the provider is away.
    pub fn new(settings: OidcSettings, client_secret: Option<String>) -> Result<Self, SsoError> {
        settings
            .check()
            .map_err(|e| SsoError::Settings(e.to_string()))?;
        IssuerUrl::new(settings.issuer.clone()).map_err(|e| SsoError::Settings(e.to_string()))?;
        RedirectUrl::new(settings.redirect_url.clone())
            .map_err(|e| SsoError::Settings(e.to_string()))?;
        let http = reqwest::Client::builder()
            // Following redirects would let a provider's answer send Baken elsewhere (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| SsoError::Settings(e.to_string()))?;
        Ok(Self {
            settings,
            client_secret,
            http,
            provider: Mutex::new(None),
        })
    }

    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// The provider's name on the login page.
    pub fn label(&self) -> &str {
        &self.settings.label
    }

    async fn client(
        &self,
        now: OffsetDateTime,
        refresh: Refresh,
    ) -> Result<ProviderClient, SsoError> {
        let mut cached = self.provider.lock().await;
        let fresh = cached
            .as_ref()
            .filter(|(_, fetched)| now - *fetched < DISCOVERY_LIFETIME && *fetched <= now)
            .filter(|_| refresh == Refresh::IfOld)
            .map(|(metadata, _)| metadata.clone());
        let metadata = match fresh {
            Some(metadata) => metadata,
            None => {
                let issuer = IssuerUrl::new(self.settings.issuer.clone())
                    .map_err(|e| SsoError::Settings(e.to_string()))?;
                let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
                    .await
                    .map_err(|e| SsoError::Discovery(error_chain(&e)))?;
                *cached = Some((metadata.clone(), now));
                metadata
            }
        };
        let redirect = RedirectUrl::new(self.settings.redirect_url.clone())
            .map_err(|e| SsoError::Settings(e.to_string()))?;
        Ok(ProviderClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            self.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect))
    }

    /// Begins a sign-in: the provider's authorization address with a fresh state, nonce and
    /// PKCE challenge.
    pub async fn start(&self, now: OffsetDateTime) -> Result<Started, SsoError> {
        let client = self.client(now, Refresh::IfOld).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in &self.settings.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        Ok(Started {
            url: url.to_string(),
            cookie: format!(
                "{}.{}.{}",
                state.secret(),
                nonce.secret(),
                verifier.secret()
            ),
        })
    }

    /// Finishes a sign-in: `state` must be the one in the flow's `cookie`; the code is
    /// exchanged with the PKCE verifier, and the ID token verified with the nonce. `None`
    /// when the state does not match (another window's sign-in, or none begun).
    pub async fn finish(
        &self,
        cookie: &str,
        state: &str,
        code: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Verified>, SsoError> {
        let Some((nonce, verifier)) = flow_secrets(cookie, state) else {
            return Ok(None);
        };
        let client = self.client(now, Refresh::IfOld).await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| SsoError::Exchange(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_string()))
            .request_async(&self.http)
            .await
            .map_err(|e| SsoError::Exchange(error_chain(&e)))?;
        let id_token = tokens
            .extra_fields()
            .id_token()
            .ok_or_else(|| SsoError::IdToken("no ID token in the answer".into()))?;
        let at = now.unix_timestamp();
        let nonce = Nonce::new(nonce.to_string());
        let verifier = client
            .id_token_verifier()
            .set_time_fn(move || chrono::DateTime::from_timestamp(at, 0).unwrap_or_default());
        // A token signed with a key the kept discovery does not know: the provider may have
        // rotated its keys, so they are fetched once more before the token is refused.
        let fresh_client;
        let (client, claims) = match id_token.claims(&verifier, &nonce) {
            Ok(claims) => (&client, claims),
            Err(_) => {
                fresh_client = self.client(now, Refresh::Now).await?;
                let verifier = fresh_client.id_token_verifier().set_time_fn(move || {
                    chrono::DateTime::from_timestamp(at, 0).unwrap_or_default()
                });
                let claims = id_token
                    .claims(&verifier, &nonce)
                    .map_err(|e| SsoError::IdToken(error_chain(&e)))?;
                (&fresh_client, claims)
            }
        };
        let mut verified = Verified {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()).unwrap_or_default(),
            email_verified: claims.email_verified().unwrap_or(false),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string())
                .unwrap_or_default(),
            amr: claims
                .auth_method_refs()
                .map(|amr| amr.iter().map(|m| m.to_string()).collect())
                .unwrap_or_default(),
            claims: ProviderClaims::new(),
        };
        add_claims(&mut verified.claims, claims.additional_claims());
        // Many providers give groups and organisation only at the userinfo endpoint.
        if let Ok(request) = client.user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        ) {
            let info: UserInfoClaims<OtherClaims, CoreGenderClaim> = request
                .request_async(&self.http)
                .await
                .map_err(|e| SsoError::UserInfo(error_chain(&e)))?;
            add_claims(&mut verified.claims, info.additional_claims());
            if verified.email.is_empty() {
                verified.email = info.email().map(|e| e.to_string()).unwrap_or_default();
                verified.email_verified = info.email_verified().unwrap_or(false);
            }
            if verified.name.is_empty() {
                verified.name = info
                    .name()
                    .and_then(|n| n.get(None))
                    .map(|n| n.to_string())
                    .unwrap_or_default();
            }
        }
        if !verified.email.is_empty() {
            let email = verified.email.clone();
            verified.claims.add("email", &email);
        }
        Ok(Some(verified))
    }
}

/// Whether the kept discovery may be used, or must be fetched anew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refresh {
    IfOld,
    Now,
}

/// The nonce and PKCE verifier of the sign-in whose flow cookie is `cookie`, when `state` is
/// the one it began with (compared in constant time); `None` otherwise.
fn flow_secrets<'a>(cookie: &'a str, state: &str) -> Option<(&'a str, &'a str)> {
    let mut parts = cookie.splitn(3, '.');
    let (Some(expected), Some(nonce), Some(verifier)) = (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    (!expected.is_empty() && crate::auth::constant_time_eq(expected, state))
        .then_some((nonce, verifier))
}

/// Whether `state` belongs to the sign-in this browser began (its flow cookie).
pub fn state_matches(cookie: &str, state: &str) -> bool {
    flow_secrets(cookie, state).is_some()
}

/// The claims by dotted path: objects followed (to `CLAIM_DEPTH`), each element of an array
/// a value of its own, strings, numbers and booleans as text.
fn add_claims(into: &mut ProviderClaims, other: &OtherClaims) {
    fn walk(into: &mut ProviderClaims, path: &str, value: &serde_json::Value, depth: usize) {
        match value {
            serde_json::Value::String(s) => into.add(path, s),
            serde_json::Value::Number(n) => into.add(path, &n.to_string()),
            serde_json::Value::Bool(b) => into.add(path, if *b { "true" } else { "false" }),
            serde_json::Value::Array(items) => {
                for item in items.iter().filter(|i| !i.is_array() && !i.is_object()) {
                    walk(into, path, item, depth);
                }
            }
            serde_json::Value::Object(fields) if depth < CLAIM_DEPTH => {
                for (key, inner) in fields {
                    walk(into, &format!("{path}.{key}"), inner, depth + 1);
                }
            }
            _ => {}
        }
    }
    for (key, value) in &other.values {
        walk(into, key, value, 1);
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_read_by_dotted_path() {
        let other: OtherClaims = serde_json::from_value(serde_json::json!({
            "groups": ["baken-analist", "x"],
            "realm_access": {"roles": ["a", "b"], "deep": {"deeper": {"deepest": {"gone": "y"}}}},
            "org": "gem-a",
            "level": 3,
        }))
        .unwrap();
        let mut claims = ProviderClaims::new();
        add_claims(&mut claims, &other);
        assert_eq!(claims.get("groups"), ["baken-analist", "x"]);
        assert_eq!(claims.get("realm_access.roles"), ["a", "b"]);
        assert_eq!(claims.get("org"), ["gem-a"]);
        assert_eq!(claims.get("level"), ["3"]);
        assert!(claims
            .get("realm_access.deep.deeper.deepest.gone")
            .is_empty());
    }
}
