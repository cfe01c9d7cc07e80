//! `baken case`: the case table's work for scripts — cases exported with their decisions and
//! actions, and the open actions of a user, as that user may see them.

use anyhow::{bail, Result};
use baken_core::case::{CaseDetail, CaseMember, CaseStatusEntry, CaseSummary};
use baken_core::decision::{Action, Decision};
use baken_core::{Caller, Clock, Purpose};
use baken_store::{CaseList, SharedStore};
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use uuid::Uuid;

use crate::cli::CaseCommand;
use crate::config::FileConfig;
use crate::run::{open, store_settings};

/// A case as exported.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CaseExport {
    #[serde(flatten)]
    case: CaseSummary,
    description: String,
    members: Vec<CaseMember>,
    history: Vec<CaseStatusEntry>,
    /// The signals in the case that the exporting user may see: id and title.
    signals: Vec<SignalRef>,
    decisions: Vec<Decision>,
    actions: Vec<Action>,
}

#[derive(Serialize)]
struct SignalRef {
    id: Uuid,
    title: String,
}

impl From<CaseDetail> for CaseExport {
    fn from(d: CaseDetail) -> Self {
        Self {
            case: d.case,
            description: d.description,
            members: d.members,
            history: d.history,
            signals: d
                .signals
                .into_iter()
                .map(|s| SignalRef {
                    id: s.id,
                    title: s.title,
                })
                .collect(),
            decisions: d.decisions,
            actions: d.actions,
        }
    }
}

async fn caller(store: &SharedStore, email: &str) -> Result<Caller> {
    let Some(user) = store.user_by_email(email).await? else {
        bail!("--as: er is geen gebruiker met dit e-mailadres");
    };
    if !user.active {
        bail!("--as: dit account is niet actief");
    }
    let caller = Caller::for_user(&user, Purpose::new("export casustafel"), "cli");
    if !caller.may_see_cases() {
        bail!("--as: deze gebruiker heeft geen toegang tot casussen");
    }
    Ok(caller)
}

pub(crate) async fn run(
    command: CaseCommand,
    file: FileConfig,
    clock: Arc<dyn Clock>,
) -> Result<ExitCode> {
    match command {
        CaseCommand::Export {
            as_user,
            id,
            include_closed,
            reason,
            out,
            store,
        } => {
            let reason = baken_core::access::DossierReason::parse(reason.as_deref().unwrap_or(""))
                .map_err(|e| {
                    anyhow::anyhow!("--reden: {}", baken_app::wording::reason_too_short(e))
                })?;
            let settings = store_settings(file, store, None);
            let id = match id.as_deref().map(str::trim) {
                None => None,
                Some(text) => match Uuid::parse_str(text) {
                    Ok(id) => Some(id),
                    Err(_) => bail!("--id: '{text}' is geen casusnummer"),
                },
            };
            let store = open(&settings, clock.as_ref()).await?;
            let caller = caller(&store, &as_user).await?;
            let now = clock.now();
            let ids: Vec<Uuid> = match id {
                Some(id) => vec![id],
                None => {
                    let list = if include_closed {
                        CaseList::All
                    } else {
                        CaseList::Open
                    };
                    store
                        .cases(&caller, list, baken_core::page::PageRequest::LONG_LIST, now)
                        .await?
                        .items
                        .into_iter()
                        .map(|c| c.id)
                        .collect()
                }
            };
            let mut cases = Vec::new();
            for id in ids {
                let detail = match store.case(&caller, id, reason.as_ref(), now).await {
                    Ok(d) => d,
                    Err(baken_store::StoreError::ReasonRequired) => bail!(
                        "--reden: casus {id}: {}",
                        baken_app::wording::CASE_REASON_REQUIRED
                    ),
                    Err(e) => return Err(e.into()),
                };
                cases.push(CaseExport::from(detail));
            }
            let json = serde_json::to_string_pretty(&cases)?;
            match out {
                Some(path) => {
                    std::fs::write(&path, json + "\n").map_err(|e| {
                        anyhow::anyhow!("--out: {} is niet te schrijven: {e}", path.display())
                    })?;
                    say!(
                        "{} casussen geëxporteerd naar {}.",
                        cases.len(),
                        path.display()
                    );
                }
                None => say!("{json}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        CaseCommand::Actions { as_user, store } => {
            let settings = store_settings(file, store, None);
            let store = open(&settings, clock.as_ref()).await?;
            let caller = caller(&store, &as_user).await?;
            let now = clock.now();
            let today = baken_core::calendar::local_date(now);
            let actions = store.my_actions(&caller, now).await?;
            let mut out = csv::Writer::from_writer(Vec::new());
            out.write_record([
                "uiterlijk",
                "te_laat",
                "actie",
                "casus",
                "casus_id",
                "uitvoerder",
            ])?;
            for a in &actions {
                out.write_record([
                    a.due_on.to_string(),
                    if a.is_overdue(today) { "ja" } else { "nee" }.to_string(),
                    a.description.clone(),
                    a.case_title.clone(),
                    a.case_id.to_string(),
                    a.owner_name.clone(),
                ])?;
            }
            let bytes = out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut stdout = std::io::stdout();
            if let Err(e) = stdout.write_all(&bytes) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(e.into());
                }
            }
            Ok(if actions.iter().any(|a| a.is_overdue(today)) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
