//! The audit chain's anchor outside the database, in the data directory: the key
//! (`audit.key`, readable by its owner only) with which every event's hash is an HMAC, and the
//! checkpoints (`audit.checkpoints`): the chain's head as Baken saw it while it ran, each line
//! signed with the key. Whoever can write the database but not this directory can neither
//! re-hash the chain after deleting or changing an event, nor cut off its tail, nor swap its
//! head, without `baken audit verify` saying so.
//!
//! `audit.checkpoints` holds, one per line:
//! - `legacy-until N MAC` — events up to N were written before the key existed (plain hashes);
//! - `checkpoint SEQ HASH MAC` — event SEQ had HASH when the checkpoint was taken.

use std::io::Write;
use std::path::{Path, PathBuf};

use baken_core::audit::AuditKey;

use crate::AuditAnchor;

pub const KEY_FILE: &str = "audit.key";
pub const CHECKPOINT_FILE: &str = "audit.checkpoints";

#[derive(Debug, thiserror::Error)]
pub enum AnchorError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not an audit key (64 hexadecimal characters)")]
    BadKey { path: PathBuf },
    #[error("{path} line {line}: not signed with this installation's audit key")]
    BadLine { path: PathBuf, line: usize },
    /// The database's events are signed with a key, and this data directory has none: a
    /// new key would sign events nobody can verify with the installation's.
    #[error(
        "{dir} holds no audit key, and this database's events are signed with one: give the \
         installation's data directory (--data-dir or BAKEN_DATA_DIR)"
    )]
    KeyMissing { dir: PathBuf },
    /// The data directory's key is not the one the database's events are signed with.
    #[error(
        "{path} is not the audit key this database's events are signed with: give the \
         installation's data directory (--data-dir or BAKEN_DATA_DIR)"
    )]
    ForeignKey { path: PathBuf },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> AnchorError + '_ {
    move |source| AnchorError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn legacy_line(key: &AuditKey, until: i64) -> String {
    let mac = key.mac(format!("legacy-until|{until}").as_bytes());
    format!("legacy-until {until} {mac}")
}

/// A checkpoint of event `seq` with `hash`, signed with `key`, as written to the file and
/// printed for a witness.
pub fn checkpoint_line(key: &AuditKey, seq: i64, hash: &str) -> String {
    let mac = key.mac(format!("checkpoint|{seq}|{hash}").as_bytes());
    format!("checkpoint {seq} {hash} {mac}")
}

fn append(path: &Path, line: &str) -> Result<(), AnchorError> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io(path))?;
    writeln!(file, "{line}").map_err(io(path))?;
    file.sync_all().map_err(io(path))
}

/// The installation's audit key from `dir`; made when there is none (32 random bytes,
/// readable by the owner only), recording that the events up to `head_seq` were written
/// without it.
pub fn load_or_create_key(dir: &Path, head_seq: i64) -> Result<AuditKey, AnchorError> {
    let path = dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let bytes =
                hex::decode(text.trim()).map_err(|_| AnchorError::BadKey { path: path.clone() })?;
            let bytes: [u8; 32] = bytes
                .try_into()
                .map_err(|_| AnchorError::BadKey { path: path.clone() })?;
            Ok(AuditKey::from_bytes(bytes))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
            let mut bytes = [0u8; 32];
            rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
            let key = AuditKey::from_bytes(bytes);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(&path).map_err(io(&path))?;
            writeln!(file, "{}", hex::encode(bytes)).map_err(io(&path))?;
            file.sync_all().map_err(io(&path))?;
            append(&dir.join(CHECKPOINT_FILE), &legacy_line(&key, head_seq))?;
            Ok(key)
        }
        Err(e) => Err(io(&path)(e)),
    }
}

/// Appends a signed checkpoint of the head (`seq`, `hash`) and returns its line.
pub fn append_checkpoint(
    dir: &Path,
    key: &AuditKey,
    seq: i64,
    hash: &str,
) -> Result<String, AnchorError> {
    let line = checkpoint_line(key, seq, hash);
    append(&dir.join(CHECKPOINT_FILE), &line)?;
    Ok(line)
}

/// The anchor in `dir`, every line checked against `key`.
pub fn read_anchor(dir: &Path, key: &AuditKey) -> Result<AuditAnchor, AnchorError> {
    let path = dir.join(CHECKPOINT_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AuditAnchor::default()),
        Err(e) => return Err(io(&path)(e)),
    };
    let mut anchor = AuditAnchor::default();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let bad = || AnchorError::BadLine {
            path: path.clone(),
            line: i + 1,
        };
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["legacy-until", n, _] => {
                let n: i64 = n.parse().map_err(|_| bad())?;
                if legacy_line(key, n) != line.trim() {
                    return Err(bad());
                }
                anchor.legacy_until = n;
            }
            ["checkpoint", seq, hash, _] => {
                let seq: i64 = seq.parse().map_err(|_| bad())?;
                if checkpoint_line(key, seq, hash) != line.trim() {
                    return Err(bad());
                }
                anchor.checkpoints.push((seq, (*hash).to_string()));
            }
            _ => return Err(bad()),
        }
    }
    Ok(anchor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_and_checkpoints_read_back_only_when_signed() {
        let dir = std::env::temp_dir().join(format!("baken-anchor-{}", uuid::Uuid::now_v7()));
        let key = load_or_create_key(&dir, 41).unwrap();
        assert_eq!(load_or_create_key(&dir, 99).unwrap(), key, "made once");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "readable by its owner only");
        }
        let line = append_checkpoint(&dir, &key, 57, "abc123").unwrap();
        assert!(line.starts_with("checkpoint 57 abc123 "), "{line}");
        assert_eq!(
            read_anchor(&dir, &key).unwrap(),
            AuditAnchor {
                legacy_until: 41,
                checkpoints: vec![(57, "abc123".into())]
            }
        );
        // Another key did not sign it; an edited line is no checkpoint.
        let other = AuditKey::from_bytes([1; 32]);
        assert!(matches!(
            read_anchor(&dir, &other),
            Err(AnchorError::BadLine { line: 1, .. })
        ));
        let path = dir.join(CHECKPOINT_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("checkpoint 57", "checkpoint 58")).unwrap();
        assert!(matches!(
            read_anchor(&dir, &key),
            Err(AnchorError::BadLine { line: 2, .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
