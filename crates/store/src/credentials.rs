//! Credentials: argon2id password hashes, personal API tokens and session ids (stored only as
//! SHA-256 hashes), random secrets. Used by the web edge and the command line alike.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
#[error("wachtwoord kon niet worden versleuteld")]
pub struct HashError;

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| HashError)
}

/// Verifies a login attempt: against the stored hash of the account, or — when there is no
/// such account — against a dummy hash made with the same parameters, so that an unknown
/// e-mail address takes as long as a wrong password and the answer's timing does not tell
/// whether an account exists.
pub fn verify_login(password: &str, stored: Option<&str>) -> bool {
    match stored {
        Some(hash) => verify_password(password, hash),
        None => {
            let _ = verify_password(password, dummy_hash());
            false
        }
    }
}

/// An argon2id hash of a random secret, made once per process with the parameters of
/// [`hash_password`].
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_secret()).unwrap_or_default())
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random secret: 32 bytes as hex.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The shortest password Baken accepts (BIO2 9.4.3: length over complexity).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Whether a chosen password is long enough.
pub fn long_enough(password: &str) -> bool {
    password.chars().count() >= MIN_PASSWORD_CHARS
}

/// A readable one-time password (for the first administrator).
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

/// Tokens and session ids are stored only as this hash.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new personal API token: the part shown once, and the hash to store.
pub fn new_api_token() -> (String, String) {
    let token = format!("bkn_{}", random_secret());
    let hash = secret_hash(&token);
    (token, hash)
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_account_is_verified_against_a_real_hash() {
        let real = hash_password("geheim").unwrap();
        let dummy = PasswordHash::new(dummy_hash()).unwrap();
        let real = PasswordHash::new(&real).unwrap();
        // Same algorithm, version and cost: the same work for a known and an unknown account.
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);
        assert!(!verify_login("geheim", None));
        assert!(verify_login(
            "geheim",
            Some(&hash_password("geheim").unwrap())
        ));
        assert!(!verify_login(
            "fout",
            Some(&hash_password("geheim").unwrap())
        ));
    }
}
