//! `baken purge` and `baken hold`: retention that deletes, and the legal holds that stop it
//! (issue 18, pt 6). `baken serve` runs the same purge every night.

use anyhow::{Context, Result};
use baken_core::retention::{HoldGround, PurgeMode, PurgeReport};
use baken_core::Clock;
use baken_store::{Actor, StoreError};
use std::process::ExitCode;
use std::sync::Arc;
use uuid::Uuid;

use crate::cli::{HoldCommand, HoldGroundArg};
use crate::config::FileConfig;
use crate::run::{open, store_settings};

/// The purge's outcome in Dutch.
pub(crate) fn said(report: &PurgeReport, mode: PurgeMode) -> String {
    let counted = |n: u64| baken_app::wording::counted(n, "signaal", "signalen");
    let cases = |n: u64| baken_app::wording::counted(n, "casus", "casussen");
    let files = |n: u64| baken_app::wording::counted(n, "Bibob-dossier", "Bibob-dossiers");
    let lines = |n: u64| baken_app::wording::counted(n, "regel", "regels");
    let events = |n: u64| baken_app::wording::counted(n, "auditregel", "auditregels");
    let mut text = format!(
        "{} voorbij de bewaartermijn; {} bewaard omdat er iets op volgde (casus, interventie, \
         barrière of veldbevinding), {} bewaard door een juridisch slot.",
        counted(report.due),
        counted(report.followed_up),
        counted(report.held),
    );
    match mode {
        PurgeMode::DryRun => text.push_str(&format!(
            " Zonder --dry-run worden {} verwijderd.",
            counted(report.deletable())
        )),
        PurgeMode::Delete => text.push_str(&format!(
            " Verwijderd: {} (met betrokkenen, koppelingen, zoekindex en tellingen; er blijft \
             alleen een grafsteen met nummer en datum).",
            counted(report.purged)
        )),
    }
    text.push_str(&format!(
        "\nAfgesloten casussen voorbij hun bewaartermijn: {}, waarvan {} op slot. \
         Bibob-dossiers voorbij hun bewaartermijn na het besluit: {}, waarvan {} op slot of in \
         bezwaar of beroep.",
        cases(report.cases.due),
        cases(report.cases.held),
        files(report.bibob_files.due),
        files(report.bibob_files.held),
    ));
    match mode {
        PurgeMode::DryRun => text.push_str(&format!(
            " Zonder --dry-run worden {} en {} verwijderd, {} van het verwerkingenlogboek \
             verwijderd en van {} de inhoud gewist (wat, wanneer en de hashes blijven).",
            cases(report.cases.due - report.cases.held),
            files(report.bibob_files.due - report.bibob_files.held),
            lines(report.processing_lines),
            events(report.audit_events),
        )),
        PurgeMode::Delete => text.push_str(&format!(
            " Verwijderd: {} en {} (met alles wat erbij hoort; er blijft een grafsteen), {} \
             van het verwerkingenlogboek; van {} is de inhoud gewist (wat, wanneer en de \
             hashes blijven, de keten klopt nog).",
            cases(report.cases.purged),
            files(report.bibob_files.purged),
            lines(report.processing_lines),
            events(report.audit_events),
        )),
    }
    text
}

pub(crate) async fn purge(
    dry_run: bool,
    file: FileConfig,
    store: crate::cli::StoreArgs,
    clock: Arc<dyn Clock>,
) -> Result<ExitCode> {
    let settings = store_settings(file, store, None);
    let store = open(&settings, clock.as_ref()).await?;
    let mode = if dry_run {
        PurgeMode::DryRun
    } else {
        PurgeMode::Delete
    };
    let report = store.purge(mode, &settings.retention, clock.now()).await?;
    store.close().await;
    say!("{}", said(&report, mode));
    Ok(ExitCode::SUCCESS)
}

pub(crate) async fn hold(
    command: HoldCommand,
    file: FileConfig,
    clock: Arc<dyn Clock>,
) -> Result<ExitCode> {
    let (record, store_args) = match &command {
        HoldCommand::Place { record, store, .. } | HoldCommand::Lift { record, store } => {
            (record.clone(), store.clone())
        }
    };
    let id = Uuid::parse_str(record.trim()).with_context(|| {
        format!("nummer: '{record}' is geen nummer van een signaal, casus of interventie")
    })?;
    let settings = store_settings(file, store_args, None);
    let store = open(&settings, clock.as_ref()).await?;
    let result = match command {
        HoldCommand::Place { ground, .. } => {
            let ground = match ground {
                HoldGroundArg::Bezwaar => HoldGround::Objection,
                HoldGroundArg::Beroep => HoldGround::Appeal,
                HoldGroundArg::Verzoek => HoldGround::DataSubjectRequest,
            };
            store
                .place_hold(&Actor::cli(), id, ground, clock.now())
                .await
                .map(|()| format!("{id} staat op slot: het wordt niet verwijderd tot het slot eraf gaat."))
        }
        HoldCommand::Lift { .. } => store
            .lift_holds(&Actor::cli(), id, clock.now())
            .await
            .map(|n| match n {
                0 => format!("{id} stond niet op slot."),
                _ => format!("Het slot op {id} is eraf; na de bewaartermijn wordt het verwijderd als niets anders het bewaart."),
            }),
    };
    store.close().await;
    match result {
        Ok(text) => {
            say!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::NotFound) => {
            anyhow::bail!("nummer: er is (meer) geen signaal, casus of interventie {id}")
        }
        Err(e) => Err(e.into()),
    }
}
