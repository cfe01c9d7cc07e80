//! The key that makes a row the same row when a file is imported again: the mapping's
//! natural key (a column such as the source's own report number, scoped by the mapping's
//! source name) or, without one, a fingerprint of the row's whole content as mapped. Only the
//! hash is stored (per owning organisation); the report names the key's value or says the
//! content is the same.

use baken_core::signal::SignalInput;
use sha2::{Digest, Sha256};

/// What made a row a repeat, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKey {
    /// The natural key column's value.
    Natural { column: String, value: String },
    /// The whole row, as mapped.
    Content,
}

/// A row's key: what it is and its stored hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedRow {
    pub key: RowKey,
    pub hash: String,
}

fn hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// The key of a row whose natural key column holds `value`, for a mapping of `source`.
pub fn natural(source: &str, column: &str, value: &str) -> KeyedRow {
    KeyedRow {
        hash: hash(&["natural", source.trim(), value.trim()]),
        key: RowKey::Natural {
            column: column.to_string(),
            value: value.trim().to_string(),
        },
    }
}

/// The key of a row without a natural key: its mapped content.
pub fn content(input: &SignalInput) -> KeyedRow {
    // SignalInput serialises its fields in a fixed order: the same row gives the same text.
    let text = serde_json::to_string(input).unwrap_or_default();
    KeyedRow {
        hash: hash(&["content", &text]),
        key: RowKey::Content,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_row_has_the_same_key_and_another_row_another() {
        let a = SignalInput {
            title: Some("Hennepgeur".into()),
            ..Default::default()
        };
        let mut b = a.clone();
        assert_eq!(content(&a), content(&b));
        b.description = Some("achterdeur".into());
        assert_ne!(content(&a).hash, content(&b).hash);
        assert_eq!(
            natural("politie", "Nummer", " BVH-1 ").hash,
            natural("politie", "Nummer", "BVH-1").hash
        );
        assert_ne!(
            natural("politie", "Nummer", "BVH-1").hash,
            natural("rieC", "Nummer", "BVH-1").hash,
            "each source has its own numbers"
        );
        assert_ne!(natural("", "x", "1").hash, content(&a).hash);
    }
}
