//! Opening a store: the engine the URL names (or the embedded file in the data directory),
//! with the installation's audit key from the data directory, checked against the key the
//! database's events are signed with.

use crate::{
    anchor, AuditStore, HeadSignature, OpenRefused, PgStore, Rejection, Result, SharedStore,
    SqliteStore, StoreError,
};
use std::path::Path;
use std::sync::Arc;

/// Opens the store named by `database_url`, or the SQLite file `baken.db` in `data_dir`
/// (created on first run), and brings its schema up to date.
pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<SharedStore> {
    match database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let store = PgStore::connect(url).await?;
            let key = audit_key(data_dir, &store).await?;
            Ok(Arc::new(store.with_audit_key(key)))
        }
        Some(url) if url.starts_with("sqlite:") => {
            let store = SqliteStore::connect_url(url).await?;
            let key = audit_key(data_dir, &store).await?;
            Ok(Arc::new(store.with_audit_key(key)))
        }
        Some(other) => Err(StoreError::rejected(Rejection::UnknownDatabase(
            other.split(':').next().unwrap_or("").to_string(),
        ))),
        None => {
            std::fs::create_dir_all(data_dir).map_err(|source| OpenRefused::DataDirectory {
                dir: data_dir.to_path_buf(),
                source,
            })?;
            let store = SqliteStore::open_file(&data_dir.join("baken.db")).await?;
            let key = audit_key(data_dir, &store).await?;
            Ok(Arc::new(store.with_audit_key(key)))
        }
    }
}

/// The installation's audit key from the data directory (made on first use: the events
/// written before it keep their plain hashes, see [`anchor`]). The database keeps the key's
/// id: a process pointed at it with another data directory (a command run elsewhere, a
/// forgotten `--data-dir`) is refused before it makes a key or signs an event with one that
/// nobody could verify.
///
/// A database from before its key was recorded is asked whose hash its last event carries: one
/// signed with a key is refused by a data directory without that key, as a recorded one is.
async fn audit_key(data_dir: &Path, store: &dyn AuditStore) -> Result<baken_core::audit::AuditKey> {
    let anchored = |e: anchor::AnchorError| StoreError::Opening(OpenRefused::Anchor(e));
    let key_file = data_dir.join(anchor::KEY_FILE);
    let (head, _) = store.audit_head().await?;
    let refusal = match (store.audit_key_id().await?, key_file.exists()) {
        (Some(_), true) => None,
        (Some(_), false) => Some(anchor::AnchorError::KeyMissing {
            dir: data_dir.to_path_buf(),
        }),
        (None, false) => match store.head_signature(None).await? {
            HeadSignature::NoEvents | HeadSignature::Plain => None,
            HeadSignature::Key | HeadSignature::OtherKey => Some(anchor::AnchorError::KeyMissing {
                dir: data_dir.to_path_buf(),
            }),
        },
        (None, true) => {
            let key = anchor::load_or_create_key(data_dir, head).map_err(anchored)?;
            match store.head_signature(Some(&key)).await? {
                HeadSignature::NoEvents | HeadSignature::Plain | HeadSignature::Key => None,
                HeadSignature::OtherKey => Some(anchor::AnchorError::ForeignKey {
                    path: key_file.clone(),
                }),
            }
        }
    };
    if let Some(refused) = refusal {
        return Err(anchored(refused));
    }
    let key = anchor::load_or_create_key(data_dir, head).map_err(anchored)?;
    if store.bind_audit_key(&key.id()).await? != key.id() {
        return Err(anchored(anchor::AnchorError::ForeignKey { path: key_file }));
    }
    Ok(key)
}
