//! `baken report`: the council report as a file, made on behalf of a user (the figures are
//! what that user may see), with progress on standard error.

use anyhow::{bail, Context, Result};
use baken_app::labels::Label;
use baken_app::report::{Drill, ReportView};
use baken_core::report::{RawReportRequest, ReportProgress, ReportStage};
use baken_core::{Caller, Clock, Purpose};
use std::process::ExitCode;
use std::sync::Arc;

use crate::cli::ReportArgs;
use crate::config::FileConfig;
use crate::run::{open, store_settings};

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Html,
    Pdf,
    Xlsx,
}

/// Progress on standard error (the file may be standard output's neighbour in a script).
fn step(what: &str) {
    eprintln!("… {what}");
}

struct Stderr;

impl ReportProgress for Stderr {
    fn stage(&self, stage: ReportStage) {
        let (n, of) = stage.position();
        step(&format!("{} ({n} van {of})", stage.label()));
    }
}

pub(crate) async fn run(
    args: ReportArgs,
    file: FileConfig,
    clock: Arc<dyn Clock>,
) -> Result<ExitCode> {
    let format = match args.format.trim() {
        "html" => Format::Html,
        "pdf" => Format::Pdf,
        "xlsx" => Format::Xlsx,
        other => bail!("--format: '{other}' is geen bekend formaat; kies html, pdf of xlsx"),
    };
    let settings = store_settings(file, args.store, None);
    let suppression = baken_core::access::Suppression {
        threshold: settings.suppression_threshold,
    };
    step("database openen");
    let store = open(&settings, clock.as_ref()).await?;
    let Some(user) = store.user_by_email(&args.as_user).await? else {
        bail!("--as: er is geen gebruiker met dit e-mailadres");
    };
    if !user.active {
        bail!("--as: dit account is niet actief");
    }
    let caller = Caller::for_user(&user, Purpose::new("rapportage"), "cli");
    let now = clock.now();
    let raw = RawReportRequest {
        year: args.year.unwrap_or_default(),
        from: args.from.unwrap_or_default(),
        until: args.until.unwrap_or_default(),
        theme: args.theme.unwrap_or_default(),
        readers: args.readers,
    };
    let request = raw
        .parse(
            baken_core::calendar::local_date(now),
            suppression,
            caller.sees_only_aggregates(),
        )
        .map_err(|e| {
            anyhow::anyhow!(
                "{}",
                e.0.iter()
                    .map(|f| format!("--{}: {}", f.field, baken_app::wording::problem(&f.problem)))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })?;
    let report = store.report(&caller, &request, &Stderr, now).await?;
    let organisation = store
        .organisations()
        .await?
        .into_iter()
        .find(|o| o.id == caller.org())
        .map(|o| o.name)
        .unwrap_or_default();
    let wijken = store.area_shapes(baken_core::model::AreaKind::Wijk).await?;
    let view = ReportView::new(&report, &organisation, Drill::Listed, &wijken);
    step("bestand opmaken");
    let bytes = match format {
        Format::Html => baken_app::report::html(&view).into_bytes(),
        Format::Pdf => baken_app::report::pdf(&view),
        Format::Xlsx => baken_app::report::xlsx(&view)?,
    };
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("--out: {} schrijven", args.out.display()))?;
    step(&format!(
        "klaar: {} ({} kB, {} cijfers)",
        args.out.display(),
        bytes.len().div_ceil(1024),
        report.figures().count()
    ));
    Ok(ExitCode::SUCCESS)
}
