//! The arithmetic of the audit hash chain. Each event's hash covers its sequence number, its
//! fields and the previous event's hash, so editing, deleting or reordering any stored event
//! breaks every later link.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an audit event that the hash covers, in their stored text form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainedFields<'a> {
    pub seq: i64,
    pub occurred_at: &'a str,
    pub actor_user: &'a str,
    pub actor_org: &'a str,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub result: &'a str,
    pub origin: &'a str,
    pub purpose: &'a str,
    pub detail: &'a str,
}

/// SHA-256 over the previous hash and each field, length-prefixed so that no two different
/// events encode to the same bytes.
pub fn chain_hash(prev_hash: &str, f: &ChainedFields<'_>) -> String {
    let mut h = Sha256::new();
    let seq = f.seq.to_string();
    for part in [
        prev_hash,
        seq.as_str(),
        f.occurred_at,
        f.actor_user,
        f.actor_org,
        f.action,
        f.object_type,
        f.object_id,
        f.result,
        f.origin,
        f.purpose,
        f.detail,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(action: &str) -> ChainedFields<'_> {
        ChainedFields {
            seq: 1,
            occurred_at: "2025-01-01T00:00:00.000000Z",
            actor_user: "u",
            actor_org: "o",
            action,
            object_type: "signal",
            object_id: "x",
            result: "success",
            origin: "cli",
            purpose: "p",
            detail: "",
        }
    }

    #[test]
    fn any_change_changes_the_hash() {
        let a = chain_hash(GENESIS_HASH, &fields("signal.read"));
        assert_eq!(a, chain_hash(GENESIS_HASH, &fields("signal.read")));
        assert_ne!(a, chain_hash(GENESIS_HASH, &fields("signal.create")));
        assert_ne!(a, chain_hash(&a, &fields("signal.read")));
        // Moving a boundary between fields is a different event.
        let mut shifted = fields("signal.read");
        shifted.object_type = "signalx";
        shifted.object_id = "";
        assert_ne!(a, chain_hash(GENESIS_HASH, &shifted));
    }
}
