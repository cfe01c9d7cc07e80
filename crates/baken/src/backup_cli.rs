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

/// The most events `baken audit export` writes (narrow the filter for more).
const AUDIT_EXPORT_MAX: u32 = 100_000;

/// `baken audit export`: the audit trail as CSV, read as `as_user` (beheerder or auditor).
pub(crate) async fn audit_export(
    as_user: &str,
    filter: &baken_app::audit_export::FilterText<'_>,
    out: &Path,
    file: FileConfig,
    store: StoreArgs,
    clock: Arc<dyn Clock>,
) -> Result<ExitCode> {
    use baken_app::audit_export::FilterField;
    let settings = store_settings(file, store, None);
    let store = crate::run::open(&settings, clock.as_ref()).await?;
    let Some(user) = store.user_by_email(as_user).await? else {
        bail!("--as: er is geen gebruiker met dit e-mailadres");
    };
    let caller = baken_core::Caller::for_user(
        &user,
        baken_core::Purpose::new("auditspoor exporteren"),
        "cli",
    );
    let query = baken_app::audit_export::query(store.as_ref(), filter)
        .await
        .map_err(|errors| {
            let said: Vec<String> = errors
                .into_iter()
                .map(|(field, message)| {
                    let flag = match field {
                        FilterField::User => "--user",
                        FilterField::Action => "--action",
                        FilterField::Object => "--object",
                        FilterField::From => "--from",
                        FilterField::Until => "--until",
                    };
                    format!("{flag}: {message}")
                })
                .collect();
            anyhow::anyhow!(said.join("\n"))
        })?;
    let events = store
        .search_audit(&caller, &query, AUDIT_EXPORT_MAX, clock.now())
        .await?;
    let names = baken_app::audit_export::actor_names(store.as_ref(), &events).await?;
    let csv = baken_app::audit_export::csv(&events, &names)?;
    std::fs::write(out, csv)
        .map_err(|e| anyhow::anyhow!("--out: {} is niet te schrijven: {e}", out.display()))?;
    say!(
        "{} naar {}.",
        baken_app::wording::counted(
            events.len() as u64,
            "gebeurtenis geschreven",
            "gebeurtenissen geschreven"
        ),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
