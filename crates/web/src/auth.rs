//! The web edge of credentials: session and CSRF cookies. The credentials themselves
//! (argon2id password hashes, API tokens and session ids stored as SHA-256 hashes) are
//! `baken_store::credentials`, shared with the command line.

use axum::http::HeaderMap;

pub use baken_store::credentials::*;

pub const SESSION_COOKIE: &str = "baken_sessie";
pub const LOGIN_CSRF_COOKIE: &str = "baken_login_csrf";

/// True when the request reached Baken over TLS (directly or through a proxy that says so).
pub fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn set_cookie(name: &str, value: &str, secure: bool, max_age_secs: i64) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("correct horsE", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_stored_hashed() {
        let (token, hash) = new_api_token();
        assert!(token.starts_with("bkn_"));
        assert_ne!(token, hash);
        assert_eq!(secret_hash(&token), hash);
    }
}
