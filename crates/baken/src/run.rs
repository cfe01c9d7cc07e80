//! Carries out a parsed command: builds settings, opens the store, calls the libraries.

use anyhow::{bail, Context, Result};
use baken_app::labels::Label;
use baken_core::model::{Classification, OrgKind};
use baken_core::{Clock, SystemClock};
use baken_store::{Actor, AuditVerification, NewAgreement, SharedStore};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use crate::cli::{
    AgreementCommand, AnalyseArgs, AnalyseCommand, AreasCommand, AuditCommand, Cli, Command,
    ImportCommand, LinkCommand, OrgCommand, StoreArgs,
};
use crate::config::{self, FileConfig, Overrides, Settings};

const DEFAULT_DATA_DIR: &str = "baken-data";
const DEMO_DATA_DIR: &str = "baken-demo";

pub fn run(cli: Cli) -> Result<ExitCode> {
    config::check_environment(std::env::vars())?;
    let file = match &cli.config {
        Some(path) => config::load_file(path)?,
        None => FileConfig::default(),
    };
    if std::env::var_os("BAKEN_LOG").is_some()
        || matches!(cli.command, Command::Serve { .. } | Command::Demo { .. })
    {
        let filter = tracing_subscriber::EnvFilter::try_from_env("BAKEN_LOG")
            .unwrap_or_else(|_| "info".into());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .try_init();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime
        .block_on(execute(cli.command, file))
        .map_err(in_words)
}

/// A parse problem, in Dutch.
fn said(p: baken_core::validation::Problem) -> anyhow::Error {
    anyhow::anyhow!(baken_app::wording::problem(&p))
}

/// A store error said in Dutch for whoever runs Baken (its Display is for logs); other errors
/// as they are.
fn in_words(e: anyhow::Error) -> anyhow::Error {
    let Some(store) = e.downcast_ref::<baken_store::StoreError>() else {
        return e;
    };
    let words = baken_app::wording::operator_error(store);
    // The context around it ("database openen: …") stays.
    let outer: Vec<String> = e
        .chain()
        .take_while(|c| c.downcast_ref::<baken_store::StoreError>().is_none())
        .map(ToString::to_string)
        .collect();
    if outer.is_empty() {
        anyhow::anyhow!(words)
    } else {
        anyhow::anyhow!("{}: {words}", outer.join(": "))
    }
}

pub(crate) fn store_settings(file: FileConfig, store: StoreArgs, bind: Option<String>) -> Settings {
    config::settings(
        file,
        Overrides {
            bind,
            data_dir: store.data_dir,
            database_url: store.database_url,
        },
        DEFAULT_DATA_DIR,
    )
}

/// The use cases on an open store, with the settings that shape them.
fn operations(
    settings: &Settings,
    store: SharedStore,
    clock: Arc<dyn Clock>,
) -> baken_app::Operations {
    let suppression = baken_core::access::Suppression {
        threshold: settings.suppression_threshold,
    };
    baken_app::Operations::new(store, clock, suppression)
}

/// The store of `store`'s options (over the configuration file), opened.
pub(crate) async fn opened(
    file: FileConfig,
    store: StoreArgs,
    clock: &dyn Clock,
) -> Result<SharedStore> {
    open(&store_settings(file, store, None), clock).await
}

pub(crate) async fn open(settings: &Settings, clock: &dyn Clock) -> Result<SharedStore> {
    crate::app::open_store(settings, clock).await
}

async fn execute(command: Command, file: FileConfig) -> Result<ExitCode> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match command {
        Command::Serve { bind, store } => {
            let settings = store_settings(file, store, bind);
            let app = crate::App::build(&settings, clock.clone()).await?;
            if let Some(admin) = baken_web::bootstrap::initialise(
                app.store().as_ref(),
                &settings.organisation,
                clock.now(),
            )
            .await?
            {
                say!("Eerste beheerder aangemaakt. Dit wachtwoord wordt maar één keer getoond:");
                say!("  e-mailadres: {}", admin.email);
                say!("  wachtwoord:  {}", admin.password);
            }
            serve(app, &settings.data_dir).await
        }
        Command::Demo {
            bind,
            data_dir,
            no_serve,
            scenario,
        } => {
            let Some(scenario) = baken_demo::Scenario::parse(&scenario) else {
                bail!("--scenario: '{scenario}' is geen bekend scenario; kies standaard of groningen-plan");
            };
            let mut settings = config::settings(
                file,
                Overrides {
                    bind,
                    data_dir: Some(data_dir.unwrap_or_else(|| PathBuf::from(DEMO_DATA_DIR))),
                    database_url: None,
                },
                DEMO_DATA_DIR,
            );
            if settings.database_url.take().is_some() {
                say!("Let op: de demo gebruikt altijd de ingebouwde database; database_url wordt genegeerd.");
            }
            let store = fresh_demo_store(&settings.data_dir).await?;
            let hash = baken_store::credentials::hash_password(baken_demo::DEMO_PASSWORD)?;
            let demo = baken_demo::generate(store.as_ref(), &hash, scenario, clock.now()).await?;
            baken_web::bootstrap::ensure_public_form_account(
                store.as_ref(),
                baken_demo::MUNICIPALITY,
                clock.now(),
            )
            .await?;
            say!(
                "Demodata gegenereerd: {} organisaties, {} signalen, {} casussen, {} casusoverleggen.",
                demo.organisations,
                demo.signals,
                demo.cases,
                demo.meetings
            );
            say!(
                "Demo-accounts (alleen voor de demo), wachtwoord voor allemaal: {}",
                baken_demo::DEMO_PASSWORD
            );
            for (email, role) in &demo.accounts {
                say!("  {email:<32} {role}");
            }
            say!(
                "Na het wachtwoord vraagt Baken een code: voeg de sleutel {} toe aan een \
                 authenticator-app (voor alle demo-accounts dezelfde).",
                baken_store::credentials::totp::grouped(baken_demo::DEMO_TOTP_SECRET)
            );
            if no_serve {
                return Ok(ExitCode::SUCCESS);
            }
            serve(
                crate::App::with_store(&settings, store, clock).await?,
                &settings.data_dir,
            )
            .await
        }
        Command::Migrate { store } => {
            let settings = store_settings(file, store, None);
            open(&settings, clock.as_ref()).await?;
            say!("Database is bijgewerkt.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Org {
            command: OrgCommand::List { store },
        } => crate::account_cli::org_list(file, store, clock).await,
        Command::Agreement {
            command: AgreementCommand::List { store },
        } => crate::account_cli::agreement_list(file, store, clock).await,
        Command::Agreement {
            command:
                AgreementCommand::End {
                    name,
                    last_day,
                    store,
                },
        } => crate::account_cli::agreement_end(&name, &last_day, file, store, clock).await,
        Command::Org {
            command: OrgCommand::Add { name, kind, store },
        } => {
            let settings = store_settings(file, store, None);
            let kind = OrgKind::parse(&kind).map_err(said).context("--kind")?;
            let store = open(&settings, clock.as_ref()).await?;
            let org = store
                .create_organisation(&Actor::cli(), &name, kind, clock.now())
                .await?;
            say!("Organisatie '{}' toegevoegd ({}).", org.name, org.id);
            Ok(ExitCode::SUCCESS)
        }
        Command::Link {
            command: Some(LinkCommand::File(args)),
            ..
        } => crate::link_file::run(&args),
        Command::Link {
            command: Some(LinkCommand::Run { store }),
            ..
        }
        | Command::Link {
            command: None,
            store,
        } => {
            let settings = store_settings(file, store, None);
            let store = open(&settings, clock.as_ref()).await?;
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} soorten {msg} ({elapsed})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let progress = |stage: baken_store::RelinkStage, done: u64, total: u64| {
                bar.set_length(total);
                bar.set_position(done);
                bar.set_message(match stage {
                    baken_store::RelinkStage::Linking(kind) => kind.label(),
                    baken_store::RelinkStage::Done => "klaar",
                });
            };
            let ops = operations(&settings, store, clock.clone());
            let summary = ops.relink(&Actor::cli(), &progress).await?;
            bar.finish_and_clear();
            for k in &summary.kinds {
                say!(
                    "{:<22} {:>9} betrokkenen  {:>10} kandidaatparen  {:>9} koppelingen  {:>9} entiteiten",
                    k.kind.label(),
                    k.subjects,
                    k.candidates,
                    k.links,
                    k.entities
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Analyse { command } => {
            let (args, local) = match command {
                AnalyseCommand::Local(a) => (a, true),
                AnalyseCommand::Global(a) => (a, false),
            };
            analyse(&args, local)
        }
        Command::Import {
            command:
                ImportCommand::Objects {
                    file: path,
                    kind,
                    as_user,
                    store,
                },
        } => {
            let settings = store_settings(file, store, None);
            let known: Vec<&str> = baken_core::field::VisitKind::ALL
                .iter()
                .map(|k| k.object_kind())
                .collect();
            if !known.contains(&kind.as_str()) {
                bail!(
                    "--kind: onbekende soort object '{kind}' (bekend: {})",
                    known.join(", ")
                );
            }
            let reader = std::fs::File::open(&path)
                .with_context(|| format!("{} is niet te lezen", path.display()))?;
            let objects =
                baken_app::objects::read_field_objects(Box::new(reader)).map_err(|e| {
                    anyhow::anyhow!(
                        "{}: {}",
                        path.display(),
                        baken_app::wording::object_file(&e)
                    )
                })?;
            let store = open(&settings, clock.as_ref()).await?;
            let Some(user) = store.user_by_email(&as_user).await? else {
                bail!("--as: er is geen gebruiker met dit e-mailadres");
            };
            let caller = baken_core::Caller::for_user_handling_signals(&user, "cli");
            let ops = operations(&settings, store, clock.clone());
            let count = ops.import_field_objects(&caller, &kind, objects).await?;
            say!("{count} objecten ({kind}) ingelezen.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            command:
                ImportCommand::Signals {
                    file: path,
                    mapping,
                    as_user,
                    dry_run,
                    skip_invalid,
                    no_link,
                    report,
                    store,
                },
        } => {
            let settings = store_settings(file, store, None);
            let mapping_text =
                crate::input::read_text(&mapping, crate::input::SETTINGS_BYTES, "--mapping: ")?;
            let mapping: baken_intake::Mapping = toml::from_str(&mapping_text)
                .map_err(|e| anyhow::anyhow!("--mapping: {}", e.message()))?;
            let reader = std::fs::File::open(&path)
                .with_context(|| format!("{} is niet te lezen", path.display()))?;
            let table = baken_intake::open_table(Box::new(reader))
                .with_context(|| path.display().to_string())?;
            let store = open(&settings, clock.as_ref()).await?;
            let Some(user) = store.user_by_email(&as_user).await? else {
                bail!("--as: er is geen gebruiker met dit e-mailadres");
            };
            let caller =
                baken_core::Caller::for_user(&user, baken_core::Purpose::new("bulkimport"), "cli");
            let mode = if dry_run {
                baken_intake::ImportMode::DryRun
            } else if skip_invalid {
                baken_intake::ImportMode::SkipInvalid
            } else {
                baken_intake::ImportMode::AllOrNothing
            };
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {pos} rijen gelezen ({per_sec}, {elapsed})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            let source = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let mut progress = |rows: u64| bar.set_position(rows);
            let outcome = baken_intake::import_signals(
                store.as_ref(),
                &caller,
                table,
                &mapping,
                &baken_intake::ImportOptions {
                    mode,
                    source: &source,
                    policy: &settings.intake,
                    link: !no_link,
                },
                clock.as_ref(),
                &mut progress,
            )
            .await?;
            bar.finish_and_clear();
            // The import is one transaction; its pages go back into the database file now,
            // not in the next process to open it.
            store.close().await;
            print_import_report(&outcome, mode, report.as_deref())
        }
        Command::Areas {
            command:
                AreasCommand::Import {
                    file: path,
                    kind,
                    year,
                    id_property,
                    name_property,
                    store,
                },
        } => {
            let settings = store_settings(file, store, None);
            let kind = baken_core::model::AreaKind::parse(&kind)
                .map_err(said)
                .context("--kind")?;
            if !(1900..=2100).contains(&year) {
                bail!("--year: {year} is geen peiljaar");
            }
            let text = crate::input::read_text(&path, crate::input::AREA_FILE_BYTES, "")?;
            let options = baken_geo::ImportOptions {
                kind,
                year,
                id_property,
                name_property,
            };
            let outcome = baken_geo::read_areas(&text, &options)
                .with_context(|| path.display().to_string())?;
            drop(text);
            let store = open(&settings, clock.as_ref()).await?;
            store
                .upsert_areas(&Actor::cli(), &outcome.areas, clock.now())
                .await?;
            let without_shape = outcome
                .areas
                .iter()
                .filter(|a| a.geometry.is_none())
                .count();
            say!(
                "{} gebieden ({}) uit {} geïmporteerd voor {year}; {} zonder vlak, {} hersteld, {} overgeslagen.",
                outcome.areas.len(),
                kind.label().to_lowercase(),
                path.display(),
                without_shape,
                outcome.repaired.len(),
                outcome.skipped.len()
            );
            for message in &outcome.repaired {
                say!("  hersteld: {message}");
            }
            for message in &outcome.skipped {
                say!("  overgeslagen: {message}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Areas {
            command:
                AreasCommand::Bases {
                    file: path,
                    kind,
                    year,
                    source,
                    code_column,
                    value_column,
                    store,
                },
        } => {
            let settings = store_settings(file, store, None);
            let kind = baken_core::picture::BaseKind::parse(&kind)
                .map_err(said)
                .context("--kind")?;
            if !(1900..=2100).contains(&year) {
                bail!("--year: {year} is geen peiljaar");
            }
            let bases = read_bases(&path, kind, year, &source, &code_column, &value_column)?;
            let store = open(&settings, clock.as_ref()).await?;
            store
                .upsert_area_bases(&Actor::cli(), &bases, clock.now())
                .await?;
            say!(
                "{} aantallen {} ({year}) uit {} ingelezen.",
                bases.len(),
                kind.label(),
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Agreement {
            command:
                AgreementCommand::Add {
                    name,
                    orgs,
                    themes,
                    max_classification,
                    legal_basis,
                    purposes,
                    valid_from,
                    valid_until,
                    store,
                },
        } => {
            let settings = store_settings(file, store, None);
            let max_classification = Classification::parse(&max_classification)
                .map_err(said)
                .context("--max-classification")?;
            let valid_from = baken_core::signal::parse_date(&valid_from)
                .map_err(said)
                .context("--valid-from")?;
            let valid_until = valid_until
                .map(|d| baken_core::signal::parse_date(&d).map_err(said))
                .transpose()
                .context("--valid-until")?;
            let store = open(&settings, clock.as_ref()).await?;
            let catalogue = store.catalogue().await?;
            if let Some(unknown) = themes.iter().find(|t| catalogue.theme(t).is_none()) {
                let known: Vec<&str> = catalogue.themes.iter().map(|t| t.code.as_str()).collect();
                bail!(
                    "--theme: onbekend thema '{unknown}' (bekend: {})",
                    known.join(", ")
                );
            }
            let mut parties = Vec::new();
            for org in &orgs {
                match store.organisation_by_name(org).await? {
                    Some(o) => parties.push(o.id),
                    None => bail!("--org: organisatie '{org}' bestaat niet"),
                }
            }
            let (agreement, resharing) = store
                .start_agreement(
                    &Actor::cli(),
                    NewAgreement {
                        name,
                        parties,
                        legal_basis,
                        purposes,
                        themes,
                        max_classification,
                        valid_from,
                        valid_until,
                        referral_contact: None,
                    },
                    clock.now(),
                )
                .await?;
            say!(
                "Convenant '{}' vastgelegd: {} organisaties delen {} tot en met classificatie {}.",
                agreement.name,
                agreement.parties.len(),
                agreement.themes.join(", "),
                agreement.max_classification.slug()
            );
            // The agreement is stored: a walk that stops must not read as "not made" (run
            // again, it would make a second one).
            if let Err(e) = resharing.finish().await {
                bail!(
                    "het convenant is vastgelegd, maar het herberekenen van wat partners zien \
                     is gestopt ({e}); voer dit commando niet opnieuw uit: het onderhoud van \
                     `baken serve` maakt het af"
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::User { command } => crate::account_cli::user(command, file, clock).await,
        Command::Token { command } => crate::account_cli::token(command, file, clock).await,
        Command::Case { command } => crate::case_cli::run(command, file, clock).await,
        Command::Report(args) => crate::report_cli::run(args, file, clock).await,
        Command::Audit {
            command: AuditCommand::Checkpoint { store },
        } => {
            let settings = store_settings(file, store, None);
            if settings.database_url.is_none() && !settings.data_dir.join("baken.db").is_file() {
                bail!(
                    "--data-dir: in {} staat geen Baken-database (baken.db)",
                    settings.data_dir.display()
                );
            }
            let store = open(&settings, clock.as_ref()).await?;
            say!("{}", checkpoint(&store, &settings.data_dir).await?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Verify { store },
        } => {
            let settings = store_settings(file, store, None);
            // Verifying checks what exists; it never creates a database where there is none.
            if settings.database_url.is_none() && !settings.data_dir.join("baken.db").is_file() {
                bail!(
                    "--data-dir: in {} staat geen Baken-database (baken.db); er is niets te controleren",
                    settings.data_dir.display()
                );
            }
            verify_chain(&settings, clock.as_ref()).await
        }
        Command::Audit {
            command:
                AuditCommand::Export {
                    as_user,
                    user,
                    action,
                    object,
                    object_id,
                    from,
                    until,
                    out,
                    store,
                },
        } => {
            let filter = baken_app::audit_export::FilterText {
                user_email: user.as_deref().unwrap_or(""),
                action: action.as_deref().unwrap_or(""),
                object: object.as_deref().unwrap_or(""),
                object_id: object_id.as_deref().unwrap_or(""),
                from: from.as_deref().unwrap_or(""),
                until: until.as_deref().unwrap_or(""),
            };
            crate::backup_cli::audit_export(&as_user, &filter, &out, file, store, clock).await
        }
        Command::Backup { out, store } => crate::backup_cli::backup(&out, file, store).await,
        Command::Purge { dry_run, store } => {
            crate::retention_cli::purge(dry_run, file, store, clock).await
        }
        Command::Hold { command } => crate::retention_cli::hold(command, file, clock).await,
        Command::Restore { from, store } => {
            crate::backup_cli::restore(&from, file, store, clock).await
        }
    }
}

/// `baken audit verify`: the chain, its anchor and the guarded records, said in Dutch.
pub(crate) async fn verify_chain(settings: &Settings, clock: &dyn Clock) -> Result<ExitCode> {
    let store = open(settings, clock).await?;
    let (head, _) = store.audit_head().await?;
    let key = baken_store::anchor::load_or_create_key(&settings.data_dir, head)?;
    let anchor = baken_store::anchor::read_anchor(&settings.data_dir, &key)?;
    let verdict = store.verify_audit_chain(&anchor).await?;
    store.close().await;
    match verdict {
        AuditVerification::Intact { events } => {
            say!("Auditketen intact: {events} gebeurtenissen.");
            Ok(ExitCode::SUCCESS)
        }
        AuditVerification::StateAltered(what) => {
            say!(
                "Auditketen intact, maar: {}",
                baken_app::wording::state_break(&what)
            );
            Ok(ExitCode::FAILURE)
        }
        AuditVerification::Broken { seq, reason } => {
            say!(
                "Auditketen verbroken bij gebeurtenis {seq}: {}",
                baken_app::wording::chain_break(seq, &reason)
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

fn print_import_report(
    outcome: &baken_intake::ImportReport,
    mode: baken_intake::ImportMode,
    report: Option<&std::path::Path>,
) -> Result<ExitCode> {
    use baken_intake::ImportMode;
    for problem in &outcome.file_errors {
        say!("fout in koppeling of bestand: {problem}");
    }
    if !outcome.file_errors.is_empty() {
        say!("Niets ingelezen.");
        return Ok(ExitCode::FAILURE);
    }
    const SHOWN: usize = 200;
    for e in outcome.errors.iter().take(SHOWN) {
        say!(
            "rij {}, kolom {}: {}",
            e.row,
            e.column,
            baken_app::wording::problem(&e.problem)
        );
    }
    if outcome.errors.len() > SHOWN {
        say!(
            "… en nog {} fouten{}.",
            outcome.errors.len() - SHOWN,
            if report.is_some() {
                " (zie het rapport)"
            } else {
                ""
            }
        );
    }
    if let Some(path) = report {
        let mut w = String::from("rij;kolom;probleem\n");
        for e in &outcome.errors {
            // The column names come from the file: none may run as a formula.
            let safe = |text: &str| baken_core::text::spreadsheet_safe(text).replace(';', ",");
            w.push_str(&format!(
                "{};{};{}\n",
                e.row,
                safe(&e.column),
                safe(&baken_app::wording::problem(&e.problem))
            ));
        }
        for d in &outcome.duplicates {
            w.push_str(&format!(
                "{};;{}\n",
                d.row,
                baken_core::text::spreadsheet_safe(&baken_app::import_report::duplicate(d))
                    .replace(';', ",")
            ));
        }
        std::fs::write(path, w)
            .with_context(|| format!("--report: {} is niet te schrijven", path.display()))?;
    }
    for d in outcome.duplicates.iter().take(SHOWN) {
        say!("{}", baken_app::import_report::duplicate(d));
    }
    if outcome.duplicates.len() > SHOWN {
        say!(
            "… en nog {} rijen die al eerder zijn ingelezen.",
            outcome.duplicates.len() - SHOWN
        );
    }
    say!("{}", baken_app::import_report::summary(outcome, mode));
    if mode == ImportMode::AllOrNothing && !outcome.errors.is_empty() {
        say!("Gebruik --skip-invalid om alleen de goede rijen op te slaan.");
    }
    Ok(if outcome.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs a statistic on any polygons and values, so results can be checked against other tools.
fn analyse(args: &AnalyseArgs, local: bool) -> Result<ExitCode> {
    use baken_analysis::{Contiguity, Weights};
    let rule = match args.weights.as_str() {
        "queen" => Contiguity::Queen,
        "rook" => Contiguity::Rook,
        other => bail!("--weights: '{other}' is geen buurdefinitie (queen of rook)"),
    };
    let text = crate::input::read_text(&args.areas, crate::input::AREA_FILE_BYTES, "--areas: ")?;
    let areas = baken_geo::read_rings(&text, &args.id_property)
        .with_context(|| args.areas.display().to_string())?;
    let values_text =
        crate::input::read_text(&args.values, crate::input::AREA_FILE_BYTES, "--values: ")?;
    let values = baken_analysis::table::parse_values(&values_text)
        .map_err(|e| anyhow::anyhow!("--values: {e}"))?;
    let mut ids = Vec::with_capacity(areas.len());
    let mut rings = Vec::with_capacity(areas.len());
    let mut y = Vec::with_capacity(areas.len());
    for (id, r) in areas {
        let Some(v) = values.get(&id) else {
            bail!("--values: geen waarde voor vlak '{id}'");
        };
        y.push(*v);
        ids.push(id);
        rings.push(r);
    }
    if y.len() < 4 {
        bail!("--areas: minstens vier vlakken nodig voor deze statistiek");
    }
    if y.iter().all(|v| *v == y[0]) {
        bail!("--values: alle waarden zijn gelijk; zonder spreiding is er geen autocorrelatie te meten");
    }
    if local && y.iter().sum::<f64>() <= 0.0 {
        bail!("--values: Gi* vraagt waarden met een positieve som");
    }
    let w = Weights::contiguity(&rings, rule);
    let islands = w.islands();
    if !islands.is_empty() {
        let names: Vec<&str> = islands.iter().map(|i| ids[*i].as_str()).collect();
        eprintln!(
            "{} vlakken zonder buren (eilanden): {}",
            islands.len(),
            names.join(", ")
        );
    }
    let csv = if local {
        let results = baken_analysis::local::local_statistics(&y, &w, args.permutations, args.seed);
        baken_analysis::table::local_csv(&ids, &results)
    } else {
        baken_analysis::table::global_csv(&baken_analysis::moran::global_moran(
            &y,
            &w,
            args.permutations,
            args.seed,
        ))
    };
    std::fs::write(&args.out, csv)
        .with_context(|| format!("--out: {} is niet te schrijven", args.out.display()))?;
    say!(
        "{} vlakken geanalyseerd; uitkomst in {}.",
        ids.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn read_password() -> Result<String> {
    eprintln!("Wachtwoord (via standaardinvoer):");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("wachtwoord lezen")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if !baken_store::credentials::long_enough(&password) {
        bail!(
            "wachtwoord: gebruik minstens {} tekens",
            baken_store::credentials::MIN_PASSWORD_CHARS
        );
    }
    Ok(password)
}

/// Opens a new demo database, replacing an earlier demo database but never anything else.
async fn fresh_demo_store(data_dir: &std::path::Path) -> Result<SharedStore> {
    let db = data_dir.join("baken.db");
    if db.exists() {
        let (marker, users) =
            baken_store::SqliteStore::inspect_file(&db, baken_demo::DEMO_MARKER).await?;
        let is_demo = marker.as_deref() == Some("true");
        let empty = users == 0;
        if !is_demo && !empty {
            bail!(
                "{} bevat een database die geen demodatabase is; de demo raakt die niet aan. Kies een andere map met --data-dir.",
                data_dir.display()
            );
        }
        for suffix in ["", "-wal", "-shm"] {
            let path = PathBuf::from(format!("{}{suffix}", db.display()));
            if path.exists() {
                std::fs::remove_file(&path)
                    .with_context(|| format!("{} verwijderen", path.display()))?;
            }
        }
        // A new demo database starts a new audit chain, with a new key and no checkpoints.
        for file in [
            baken_store::anchor::KEY_FILE,
            baken_store::anchor::CHECKPOINT_FILE,
        ] {
            let path = data_dir.join(file);
            if path.exists() {
                std::fs::remove_file(&path)
                    .with_context(|| format!("{} verwijderen", path.display()))?;
            }
        }
    }
    Ok(baken_store::open(None, data_dir).await?)
}

/// Appends a signed checkpoint of the audit chain's head to the data directory and returns
/// its line.
async fn checkpoint(store: &SharedStore, data_dir: &std::path::Path) -> Result<String> {
    let (seq, hash) = store.audit_head().await?;
    let key = baken_store::anchor::load_or_create_key(data_dir, seq)?;
    Ok(baken_store::anchor::append_checkpoint(
        data_dir, &key, seq, &hash,
    )?)
}

/// How often a running Baken checkpoints the audit chain.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

async fn serve(app: crate::App, data_dir: &std::path::Path) -> Result<ExitCode> {
    say!(
        "Baken draait op http://{}/ (stoppen met Ctrl+C)",
        app.address()
    );
    let store = app.store().clone();
    checkpoint(&store, data_dir).await?;
    let periodic = {
        let (store, dir) = (store.clone(), data_dir.to_path_buf());
        async move {
            let mut every = tokio::time::interval(CHECKPOINT_EVERY);
            every.tick().await;
            loop {
                every.tick().await;
                if let Err(e) = checkpoint(&store, &dir).await {
                    tracing::error!(error = %e, "audit checkpoint failed");
                }
            }
        }
    };
    tokio::select! {
        served = app.run() => served?,
        _ = tokio::signal::ctrl_c() => say!("Baken stopt."),
        _ = periodic => {}
    }
    checkpoint(&store, data_dir).await?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Reads a base file completely; any bad row refuses the whole file, naming every bad row.
fn read_bases(
    path: &std::path::Path,
    kind: baken_core::picture::BaseKind,
    year: i32,
    source: &str,
    code_column: &str,
    value_column: &str,
) -> Result<Vec<baken_core::picture::AreaBase>> {
    if source.trim().is_empty() {
        bail!("--source: noem de bron van de aantallen");
    }
    let reader = std::fs::File::open(path)
        .with_context(|| format!("{} is niet te lezen", path.display()))?;
    let table =
        baken_intake::open_table(Box::new(reader)).with_context(|| path.display().to_string())?;
    let find = |name: &str, flag: &str| {
        table
            .header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .with_context(|| {
                format!(
                    "{flag}: kolom '{name}' staat niet in {} (kolommen: {})",
                    path.display(),
                    table.header.join(", ")
                )
            })
    };
    let code_at = find(code_column, "--code-column")?;
    let value_at = find(value_column, "--value-column")?;
    let mut bases = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, row) in table.rows.enumerate() {
        let number = i + 2;
        let row = row.map_err(anyhow::Error::msg)?;
        let cell = |k: usize| row.get(k).map_or("", String::as_str);
        match baken_core::picture::AreaBase::parse(
            number,
            cell(code_at),
            cell(value_at),
            kind,
            year,
            source,
        ) {
            Ok(base) if !seen.insert(base.area_code.clone()) => {
                errors.push(format!(
                    "rij {number}: code {} staat er twee keer in",
                    base.area_code
                ));
            }
            Ok(base) => bases.push(base),
            Err(e) => errors.extend(
                e.0.into_iter()
                    .map(|f| format!("{}: {}", f.field, baken_app::wording::problem(&f.problem))),
            ),
        }
    }
    if !errors.is_empty() {
        bail!(
            "{} is niet ingelezen; er is niets opgeslagen:\n  {}",
            path.display(),
            errors.join("\n  ")
        );
    }
    if bases.is_empty() {
        bail!("{} bevat geen rijen", path.display());
    }
    Ok(bases)
}
