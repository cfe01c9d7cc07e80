//! Backup and restore of the embedded store: one file holding a consistent copy of the
//! database (SQLite's `VACUUM INTO`, taken while Baken runs: it reads one snapshot and blocks
//! no writer) and the audit chain's anchor (the key and the checkpoints up to the copy's head,
//! plus a checkpoint of that head), so that a restored installation verifies its chain
//! exactly as the original did. The file therefore deserves the protection of the data
//! directory itself. PostgreSQL installations use `pg_dump`/`pg_restore` and copy the data
//! directory's anchor files beside it (README).

use std::io::Read;
use std::path::{Path, PathBuf};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use crate::anchor::{checkpoint_line, load_or_create_key, CHECKPOINT_FILE, KEY_FILE};

/// The table in a backup file that carries the anchor files (removed on restore).
const ANCHOR_TABLE: &str = "baken_backup_anchor";
const DATABASE_FILE: &str = "baken.db";
/// The most a backup's checkpoint file may hold (one line per checkpoint: years of them).
const MAX_CHECKPOINT_BYTES: usize = 16 << 20;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}: there is no Baken database here")]
    NoDatabase(PathBuf),
    #[error("{0}: already exists; choose a new file or an empty directory")]
    Exists(PathBuf),
    #[error("{0}: not a Baken backup")]
    NotABackup(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("audit anchor: {0}")]
    Anchor(#[from] crate::anchor::AnchorError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// The last audit event in the copy.
    pub head_seq: i64,
    pub bytes: u64,
}

async fn connect(path: &Path) -> Result<SqliteConnection, BackupError> {
    Ok(SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Delete)
        .connect()
        .await?)
}

/// The head of the chain in a database: (seq, hash), (0, "") when empty.
async fn head(conn: &mut SqliteConnection) -> Result<(i64, String), BackupError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.unwrap_or((0, String::new())))
}

/// The checkpoints of `text` that the copy at `head` can satisfy: those up to its head.
fn checkpoints_upto(text: &str, head: i64) -> String {
    let mut kept = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut parts = line.split_whitespace();
        let keep = match (
            parts.next(),
            parts.next().and_then(|n| n.parse::<i64>().ok()),
        ) {
            (Some("checkpoint"), Some(seq)) => seq <= head,
            _ => true,
        };
        if keep {
            kept.push_str(line.trim());
            kept.push('\n');
        }
    }
    kept
}

fn read_limited(path: &Path, limit: usize) -> Result<String, BackupError> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(io(path)(e)),
    };
    let mut text = String::new();
    file.take(limit as u64 + 1)
        .read_to_string(&mut text)
        .map_err(io(path))?;
    if text.len() > limit {
        return Err(BackupError::NotABackup(path.to_path_buf()));
    }
    Ok(text)
}

/// Writes a backup of the installation in `data_dir` to `out` (a new file).
pub async fn backup(data_dir: &Path, out: &Path) -> Result<BackupSummary, BackupError> {
    let db = data_dir.join(DATABASE_FILE);
    if !db.is_file() {
        return Err(BackupError::NoDatabase(data_dir.to_path_buf()));
    }
    if out.exists() {
        return Err(BackupError::Exists(out.to_path_buf()));
    }
    let partial = out.with_file_name(format!(
        "{}.deel",
        out.file_name().and_then(|n| n.to_str()).unwrap_or("backup")
    ));
    let _ = std::fs::remove_file(&partial);
    let mut source = SqliteConnectOptions::new()
        .filename(&db)
        .busy_timeout(std::time::Duration::from_secs(30))
        .connect()
        .await?;
    sqlx::query("VACUUM INTO $1")
        .bind(partial.to_string_lossy().as_ref())
        .execute(&mut source)
        .await?;
    source.close().await?;
    let mut copy = connect(&partial).await?;
    let (seq, hash) = head(&mut copy).await?;
    let key = load_or_create_key(data_dir, seq)?;
    let mut checkpoints = checkpoints_upto(
        &read_limited(&data_dir.join(CHECKPOINT_FILE), MAX_CHECKPOINT_BYTES)?,
        seq,
    );
    if seq > 0 {
        checkpoints.push_str(&checkpoint_line(&key, seq, &hash));
        checkpoints.push('\n');
    }
    let key_text = read_limited(&data_dir.join(KEY_FILE), 1024)?;
    sqlx::query(&format!(
        "CREATE TABLE {ANCHOR_TABLE} (name TEXT PRIMARY KEY, content TEXT NOT NULL)"
    ))
    .execute(&mut copy)
    .await?;
    for (name, content) in [(KEY_FILE, key_text.trim()), (CHECKPOINT_FILE, &checkpoints)] {
        sqlx::query(&format!(
            "INSERT INTO {ANCHOR_TABLE} (name, content) VALUES ($1, $2)"
        ))
        .bind(name)
        .bind(content)
        .execute(&mut copy)
        .await?;
    }
    copy.close().await?;
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(io(&partial))?;
    std::fs::rename(&partial, out).map_err(io(out))?;
    let bytes = std::fs::metadata(out).map_err(io(out))?.len();
    Ok(BackupSummary {
        head_seq: seq,
        bytes,
    })
}

/// Restores a backup made by [`backup`] into `data_dir`, which must hold no installation.
/// Returns the restored chain's head.
pub async fn restore(from: &Path, data_dir: &Path) -> Result<i64, BackupError> {
    let db = data_dir.join(DATABASE_FILE);
    for existing in [&db, &data_dir.join(KEY_FILE)] {
        if existing.exists() {
            return Err(BackupError::Exists(existing.clone()));
        }
    }
    let mut header = [0u8; 16];
    std::fs::File::open(from)
        .and_then(|mut f| f.read_exact(&mut header))
        .map_err(|_| BackupError::NotABackup(from.to_path_buf()))?;
    if &header != b"SQLite format 3\0" {
        return Err(BackupError::NotABackup(from.to_path_buf()));
    }
    std::fs::create_dir_all(data_dir).map_err(io(data_dir))?;
    let partial = data_dir.join(format!("{DATABASE_FILE}.terugzetten"));
    std::fs::copy(from, &partial).map_err(io(&partial))?;
    let restored = async {
        let mut conn = connect(&partial).await?;
        let rows: Vec<(String, String)> =
            sqlx::query_as(&format!("SELECT name, content FROM {ANCHOR_TABLE}"))
                .fetch_all(&mut conn)
                .await
                .map_err(|_| BackupError::NotABackup(from.to_path_buf()))?;
        let find = |name: &str| {
            rows.iter()
                .find(|(n, _)| n == name)
                .map(|(_, c)| c.clone())
                .ok_or_else(|| BackupError::NotABackup(from.to_path_buf()))
        };
        let key = find(KEY_FILE)?;
        let checkpoints = find(CHECKPOINT_FILE)?;
        if key.len() != 64
            || !key.chars().all(|c| c.is_ascii_hexdigit())
            || checkpoints.len() > MAX_CHECKPOINT_BYTES
        {
            return Err(BackupError::NotABackup(from.to_path_buf()));
        }
        sqlx::query(&format!("DROP TABLE {ANCHOR_TABLE}"))
            .execute(&mut conn)
            .await?;
        let (seq, _) = head(&mut conn).await?;
        conn.close().await?;
        Ok::<_, BackupError>((key, checkpoints, seq))
    }
    .await;
    let (key, checkpoints, seq) = match restored {
        Ok(x) => x,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    write_private(&data_dir.join(KEY_FILE), &format!("{key}\n"))?;
    std::fs::write(data_dir.join(CHECKPOINT_FILE), checkpoints)
        .map_err(io(&data_dir.join(CHECKPOINT_FILE)))?;
    std::fs::rename(&partial, &db).map_err(io(&db))?;
    Ok(seq)
}

fn write_private(path: &Path, text: &str) -> Result<(), BackupError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io(path))?;
    file.write_all(text.as_bytes()).map_err(io(path))?;
    file.sync_all().map_err(io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_checkpoints_the_copy_reaches_are_kept() {
        let text = "legacy-until 3 m\ncheckpoint 5 h5 m\n\ncheckpoint 9 h9 m\n";
        assert_eq!(
            checkpoints_upto(text, 7),
            "legacy-until 3 m\ncheckpoint 5 h5 m\n"
        );
    }
}
