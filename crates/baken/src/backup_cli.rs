//! `baken backup` and `baken restore` for the embedded store (see `baken_store::backup`).
//! A PostgreSQL installation is backed up with `pg_dump` (README); these commands say so.

use anyhow::{bail, Result};
use baken_core::Clock;
use baken_store::backup::BackupError;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use crate::cli::StoreArgs;
use crate::config::FileConfig;
use crate::run::{store_settings, verify_chain};

const POSTGRES: &str = "--database-url: een PostgreSQL-database maakt u veilig met pg_dump en \
                        pg_restore, met audit.key en audit.checkpoints uit de gegevensmap \
                        ernaast (zie README, 'Backup en herstel')";

/// A backup error in Dutch, naming the file or option.
fn said(e: BackupError) -> anyhow::Error {
    match e {
        BackupError::NoDatabase(dir) => anyhow::anyhow!(
            "--data-dir: in {} staat geen Baken-database (baken.db)",
            dir.display()
        ),
        BackupError::Exists(path) => anyhow::anyhow!(
            "{} bestaat al; kies een nieuw bestand of een lege gegevensmap",
            path.display()
        ),
        BackupError::NotABackup(path) => {
            anyhow::anyhow!("--from: {} is geen reservekopie van Baken", path.display())
        }
        BackupError::Io { path, source } => {
            anyhow::anyhow!("{}: {source}", path.display())
        }
        other => anyhow::anyhow!("{other}"),
    }
}

pub(crate) async fn backup(out: &Path, file: FileConfig, store: StoreArgs) -> Result<ExitCode> {
    let settings = store_settings(file, store, None);
    if settings.database_url.is_some() {
        bail!(POSTGRES);
    }
    let summary = baken_store::backup::backup(&settings.data_dir, out)
        .await
        .map_err(said)?;
    say!(
        "Reservekopie gemaakt: {} ({} MB, auditspoor tot en met gebeurtenis {}).",
        out.display(),
        summary.bytes.div_ceil(1 << 20),
        summary.head_seq
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) async fn restore(
    from: &Path,
    file: FileConfig,
    store: StoreArgs,
    clock: Arc<dyn Clock>,
) -> Result<ExitCode> {
    let settings = store_settings(file, store, None);
    if settings.database_url.is_some() {
        bail!(POSTGRES);
    }
    let head = baken_store::backup::restore(from, &settings.data_dir)
        .await
        .map_err(said)?;
    say!(
        "Teruggezet in {} (auditspoor tot en met gebeurtenis {head}).",
        settings.data_dir.display()
    );
    verify_chain(&settings, clock.as_ref()).await
}
