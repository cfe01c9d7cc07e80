//! `baken link file`: deduplicate one spreadsheet or link two with the linking engine, so an
//! analyst can clean a partner's file or check the linker on their own data.

use anyhow::{bail, Context, Result};
use baken_app::labels::Label;
use baken_link::{FieldKind, Mode};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::ExitCode;

use crate::cli::LinkFileArgs;

/// `[columns]`: field kind = column name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkMapping {
    columns: BTreeMap<String, String>,
}

fn mapping(path: Option<&Path>) -> Result<Option<Vec<(FieldKind, String)>>> {
    let Some(path) = path else {
        return Ok(None);
    };
    let text = crate::input::read_text(path, crate::input::SETTINGS_BYTES, "--mapping: ")?;
    let parsed: LinkMapping =
        toml::from_str(&text).with_context(|| format!("--mapping: {}", path.display()))?;
    let mut out = Vec::new();
    for (kind, column) in parsed.columns {
        let Some(k) = FieldKind::parse(&kind) else {
            let allowed: Vec<&str> = FieldKind::ALL.iter().map(|k| k.slug()).collect();
            bail!(
                "--mapping: onbekend soort veld '{kind}' in [columns] (toegestaan: {})",
                allowed.join(", ")
            );
        };
        out.push((k, column));
    }
    Ok(Some(out))
}

/// The records read so far: their ids and sources, and their normalised values.
#[derive(Default)]
struct Input {
    ids: Vec<String>,
    sources: Vec<u8>,
    prepared: Vec<baken_link::Prepared>,
}

/// Reads one file, normalising each row as it comes (the raw rows are not kept).
fn read(
    path: &Path,
    source: u8,
    id_column: &str,
    mapping: Option<&[(FieldKind, String)]>,
    input: &mut Input,
) -> Result<()> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("{} is niet te lezen", path.display()))?;
    let table =
        baken_intake::open_table(Box::new(file)).with_context(|| path.display().to_string())?;
    let position = |name: &str| {
        table
            .header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
    };
    let id_at = position(id_column).with_context(|| {
        format!(
            "--id-column: kolom '{id_column}' staat niet in {} (kolommen: {})",
            path.display(),
            table.header.join(", ")
        )
    })?;
    let columns: Vec<(FieldKind, usize)> = match mapping {
        Some(m) => m
            .iter()
            .map(|(kind, column)| {
                position(column).map(|at| (*kind, at)).with_context(|| {
                    format!(
                        "--mapping: kolom '{column}' ({}) staat niet in {} (kolommen: {})",
                        kind.slug(),
                        path.display(),
                        table.header.join(", ")
                    )
                })
            })
            .collect::<Result<_>>()?,
        None => FieldKind::ALL
            .iter()
            .filter_map(|k| position(k.slug()).map(|at| (*k, at)))
            .collect(),
    };
    if columns.is_empty() {
        bail!(
            "{}: geen kolom om op te koppelen; geef een --mapping of noem kolommen naar hun soort (given_name, surname, …)",
            path.display()
        );
    }
    let mut seen = HashSet::new();
    for (i, row) in table.rows.enumerate() {
        let row = row.map_err(anyhow::Error::msg)?;
        let cell = |k: usize| row.get(k).map_or("", String::as_str);
        let id = cell(id_at).trim().to_string();
        if id.is_empty() {
            bail!(
                "{} rij {}: de sleutel ({id_column}) is leeg",
                path.display(),
                i + 2
            );
        }
        if !seen.insert(id.clone()) {
            bail!(
                "{} rij {}: sleutel '{id}' komt twee keer voor",
                path.display(),
                i + 2
            );
        }
        let fields: Vec<(FieldKind, String)> = columns
            .iter()
            .map(|(kind, at)| (*kind, cell(*at).to_string()))
            .collect();
        input.prepared.push(baken_link::Prepared::new(&fields));
        input.ids.push(id);
        input.sources.push(source);
    }
    Ok(())
}

pub fn run(args: &LinkFileArgs) -> Result<ExitCode> {
    if !(0.0..=1.0).contains(&args.threshold) {
        bail!("--threshold: {} ligt niet tussen 0 en 1", args.threshold);
    }
    let started = std::time::Instant::now();
    let mapping = mapping(args.mapping.as_deref())?;
    let mut input = Input::default();
    read(
        &args.first,
        0,
        &args.id_column,
        mapping.as_deref(),
        &mut input,
    )?;
    let mode = match &args.second {
        Some(second) => {
            read(second, 1, &args.id_column, mapping.as_deref(), &mut input)?;
            Mode::Link
        }
        None => Mode::Dedupe,
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let Input {
        ids,
        sources,
        prepared,
    } = input;
    let records = ids.len();
    let conflicts = match args.conflicts {
        crate::cli::ConflictPolicy::Refuse => baken_link::Conflicts::Refuse,
        crate::cli::ConflictPolicy::Allow => baken_link::Conflicts::Allow,
    };
    let outcome =
        baken_link::run_prepared(prepared, &sources, mode, args.threshold, threads, conflicts);
    let mut out = csv::Writer::from_path(&args.out)
        .with_context(|| format!("--out: {} kan niet worden geschreven", args.out.display()))?;
    out.write_record(["left_id", "right_id", "match_probability", "match_weight"])?;
    for pair in &outcome.pairs {
        let (mut l, mut r) = (pair.left as usize, pair.right as usize);
        if sources[l] > sources[r] {
            std::mem::swap(&mut l, &mut r);
        }
        // Ids come from the input files: written so that a spreadsheet never runs them.
        out.write_record([
            baken_core::text::spreadsheet_safe(&ids[l]).as_ref(),
            baken_core::text::spreadsheet_safe(&ids[r]).as_ref(),
            &format!("{:.6}", pair.probability),
            &format!("{:.3}", pair.weight),
        ])?;
    }
    out.flush()?;
    if args.show_model {
        let m = &outcome.model;
        eprintln!(
            "λ (kans dat twee willekeurige records dezelfde zijn) = {:.3e}, {} iteraties",
            m.lambda, m.iterations
        );
        for (c, slot) in m.slots.iter().enumerate() {
            for (l, level) in baken_app::labels::agreement_levels(*slot)
                .iter()
                .enumerate()
            {
                eprintln!(
                    "{:<16} {:<48} m={:.4} u={:.4} gewicht={:+.2}",
                    slot.kind().label(),
                    level,
                    m.m[c][l],
                    m.u[c][l],
                    (m.m[c][l] / m.u[c][l]).log2()
                );
            }
        }
    }
    if !outcome.refused.is_empty() {
        eprintln!(
            "{} paren niet gekoppeld: ze zouden records met tegenstrijdige gegevens (geboortedatum, BSN, KvK, RSIN, BAG-id of rechtsvorm) samenvoegen, direct of via andere records.",
            outcome.refused.len()
        );
    }
    eprintln!(
        "{} records, {} kandidaatparen, {} paren gekoppeld (koppelkans ≥ {}); geschatte kans dat twee willekeurige records dezelfde zijn {:.3e}; {:.2} s.",
        records,
        outcome.candidates,
        outcome.pairs.len(),
        args.threshold,
        outcome.model.lambda,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
