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

/// The second factor: TOTP after RFC 6238 (SHA-1, six digits, 30-second steps, one step of
/// clock skew either way — what every authenticator app reads from an `otpauth://` link), and
/// recovery codes.
pub mod totp {
    use super::*;
    use totp_rs::{Algorithm, TOTP};

    /// The issuer an authenticator app shows beside the account.
    const ISSUER: &str = "Baken";

    /// A new TOTP secret: 160 random bits (RFC 4226's recommendation), as base32.
    pub fn new_secret() -> String {
        let mut bytes = [0u8; 20];
        OsRng.fill_bytes(&mut bytes);
        base32_of(&bytes)
    }

    fn base32_of(bytes: &[u8]) -> String {
        totp_rs::Secret::Raw(bytes.to_vec())
            .to_encoded()
            .to_string()
    }

    fn totp(secret: &str, account: &str) -> Option<TOTP> {
        let bytes = totp_rs::Secret::Encoded(secret.to_string())
            .to_bytes()
            .ok()?;
        TOTP::new(
            Algorithm::SHA1,
            6,
            1,
            30,
            bytes,
            Some(ISSUER.to_string()),
            account.replace(':', " "),
        )
        .ok()
    }

    /// The `otpauth://` link an authenticator app reads (as a QR code or typed).
    pub fn url(secret: &str, account: &str) -> Option<String> {
        totp(secret, account).map(|t| t.get_url())
    }

    /// The secret in groups of four, as people type it into an app.
    pub fn grouped(secret: &str) -> String {
        secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The time step `code` belongs to at `unix_seconds` (the current step or one either
    /// side), if it is a valid code. The caller accepts each step once.
    pub fn step_of(secret: &str, code: &str, unix_seconds: u64) -> Option<u64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let totp = totp(secret, "")?;
        let now = unix_seconds / 30;
        [now.saturating_sub(1), now, now + 1]
            .into_iter()
            .find(|step| super::constant_time_eq(&totp.generate(step * 30), &code))
    }

    /// The code an authenticator shows at `unix_seconds` (for tests and the command line).
    pub fn code_at(secret: &str, unix_seconds: u64) -> Option<String> {
        totp(secret, "").map(|t| t.generate(unix_seconds))
    }

    /// How many recovery codes a user gets.
    pub const RECOVERY_CODES: usize = 10;

    /// New recovery codes: ten of 10 characters from an alphabet without look-alikes, shown
    /// as `xxxxx-xxxxx`.
    pub fn new_recovery_codes() -> Vec<String> {
        const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
        (0..RECOVERY_CODES)
            .map(|_| {
                let mut bytes = [0u8; 10];
                OsRng.fill_bytes(&mut bytes);
                let chars: String = bytes
                    .iter()
                    .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
                    .collect();
                format!("{}-{}", &chars[..5], &chars[5..])
            })
            .collect()
    }

    /// A recovery code is stored as this hash of its letters and digits (case and dashes do
    /// not matter when typed).
    pub fn recovery_hash(code: &str) -> String {
        let folded: String = code
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        super::secret_hash(&folded)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_code_is_valid_for_its_step_and_one_either_side() {
            let secret = new_secret();
            assert_eq!(secret.len(), 32);
            let t = 1_780_000_000;
            let code = code_at(&secret, t).unwrap();
            assert_eq!(step_of(&secret, &code, t), Some(t / 30));
            assert_eq!(step_of(&secret, &code, t + 30), Some(t / 30));
            assert_eq!(step_of(&secret, &code, t - 30), Some(t / 30));
            assert_eq!(step_of(&secret, &code, t + 90), None);
            // Typed with a space in the middle.
            let spaced = format!("{} {}", &code[..3], &code[3..]);
            assert_eq!(step_of(&secret, &spaced, t), Some(t / 30));
            assert_eq!(step_of(&secret, "12345", t), None);
            assert_eq!(step_of(&secret, "abcdef", t), None);
            assert_eq!(step_of(&new_secret(), &code, t), None);
        }

        #[test]
        fn rfc_6238_test_vector() {
            // RFC 6238 appendix B, SHA-1, the secret "12345678901234567890" at 59 s: 94287082
            // (eight digits); its last six are what a six-digit authenticator shows.
            let secret = base32_of(b"12345678901234567890");
            assert_eq!(code_at(&secret, 59).as_deref(), Some("287082"));
            assert_eq!(code_at(&secret, 1_111_111_109).as_deref(), Some("081804"));
        }

        #[test]
        fn the_link_names_baken_and_the_account() {
            let secret = new_secret();
            let url = url(&secret, "an@gemeente.nl").unwrap();
            assert!(
                url.starts_with("otpauth://totp/Baken:an%40gemeente.nl?"),
                "{url}"
            );
            assert!(url.contains(&format!("secret={secret}")), "{url}");
            assert!(url.contains("issuer=Baken"), "{url}");
        }

        #[test]
        fn recovery_codes_are_distinct_and_hashed_without_case_or_dashes() {
            let codes = new_recovery_codes();
            assert_eq!(codes.len(), RECOVERY_CODES);
            let unique: std::collections::BTreeSet<_> = codes.iter().collect();
            assert_eq!(unique.len(), RECOVERY_CODES);
            assert!(codes
                .iter()
                .all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'));
            let code = &codes[0];
            assert_eq!(
                recovery_hash(code),
                recovery_hash(&code.to_uppercase().replace('-', " "))
            );
            assert_ne!(recovery_hash(code), recovery_hash(&codes[1]));
        }
    }
}
