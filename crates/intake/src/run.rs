//! Running an import: rows are parsed in batches and stored inside one transaction; errors
//! are collected per row and column.

use baken_core::signal::{IntakePolicy, NewSignal};
use baken_core::validation::Problem;
use baken_core::{Caller, Clock};
use baken_store::{Store, StoreError};

use crate::{Mapping, RowFault, Table};

/// How an import runs: its mode, the source named in the audit event, and the intake rules.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions<'a> {
    pub mode: ImportMode,
    pub source: &'a str,
    pub policy: &'a IntakePolicy,
    /// Link the imported subjects: inside the import when the stored models can serve them,
    /// otherwise with a batch relink after the commit; without, they wait for `baken link run`.
    pub link: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Check every row, store nothing.
    DryRun,
    /// Store all rows, or none when any row is invalid.
    AllOrNothing,
    /// Store the valid rows and report the invalid ones.
    SkipInvalid,
}

/// A problem with one row: the spreadsheet row number (the header is row 1), the column and
/// what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: u64,
    pub column: String,
    pub problem: Problem,
}

/// A row imported before (by an earlier import of the organisation, or higher up in the same
/// file): skipped, never stored twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub row: u64,
    pub key: crate::RowKey,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub rows: u64,
    /// Rows that parsed (repeats included).
    pub valid: u64,
    pub stored: u64,
    /// Rows skipped because they were imported before.
    pub duplicates: Vec<Duplicate>,
    /// Problems with the file or mapping as a whole (no row was read).
    pub file_errors: Vec<String>,
    pub errors: Vec<RowError>,
}

const BATCH: usize = 500;

/// Parsed rows waiting to be stored, with their row numbers and keys.
#[derive(Default)]
struct Batch {
    rows: Vec<(u64, NewSignal, crate::KeyedRow)>,
}

impl Batch {
    /// The rows not imported before — neither by an earlier import of the organisation nor
    /// higher up in this file (`seen`) — with their keys; the others go to the report.
    async fn fresh(
        self,
        store: &dyn Store,
        caller: &Caller,
        seen: &mut std::collections::HashSet<u128>,
        report: &mut ImportReport,
    ) -> Result<(Vec<NewSignal>, Vec<String>), StoreError> {
        let hashes: Vec<String> = self.rows.iter().map(|(_, _, k)| k.hash.clone()).collect();
        let known = store.known_import_keys(caller, &hashes).await?;
        let mut signals = Vec::with_capacity(self.rows.len());
        let mut keys = Vec::with_capacity(self.rows.len());
        for (row, signal, key) in self.rows {
            // Within the file the first 128 bits of a key tell rows apart (a million rows
            // take 16 MB, not the 100 MB of whole keys).
            let short = u128::from_str_radix(key.hash.get(..32).unwrap_or("0"), 16).unwrap_or(0);
            if known.contains(&key.hash) || !seen.insert(short) {
                report.duplicates.push(Duplicate { row, key: key.key });
            } else {
                signals.push(signal);
                keys.push(key.hash);
            }
        }
        Ok((signals, keys))
    }
}

/// Imports `table` for `caller` in `mode`, recording `source` (the file name) in the audit
/// event. `progress` is called with the number of rows read so far.
pub async fn import_signals(
    store: &dyn Store,
    caller: &Caller,
    table: Table,
    mapping: &Mapping,
    options: &ImportOptions<'_>,
    clock: &dyn Clock,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport::default();
    let bound = match mapping.bind(&table.header) {
        Ok(b) => b,
        Err(errors) => {
            report.file_errors = errors;
            return Ok(report);
        }
    };
    let catalogue = store.catalogue().await?;
    let (mode, source, policy) = (options.mode, options.source, options.policy);
    let mut import = match mode {
        ImportMode::DryRun => None,
        _ => Some(store.begin_import(caller).await?),
    };
    let mut batch = Batch::default();
    let mut seen = std::collections::HashSet::new();
    let mut added = 0;
    let now = clock.now();
    for (i, row) in table.rows.enumerate() {
        let row_number = i as u64 + 2;
        report.rows += 1;
        let parsed = match row {
            Err(RowFault::TooLarge(limit)) => {
                // Nothing of a file that breaks a limit is stored.
                report
                    .file_errors
                    .push(RowFault::TooLarge(limit).to_string());
                progress(report.rows);
                if let Some(import) = import {
                    import.rollback().await?;
                }
                return Ok(report);
            }
            Err(problem) => {
                report.errors.push(RowError {
                    row: row_number,
                    column: String::new(),
                    problem: Problem::Worded(problem.to_string()),
                });
                continue;
            }
            Ok(cells) => {
                let input = bound.input(&cells);
                let key = bound.row_key(&cells, &input);
                NewSignal::parse(&input, &catalogue, caller, policy, now).and_then(|signal| {
                    key.map(|key| (signal, key)).ok_or_else(|| {
                        let mut e = baken_core::ValidationErrors::new();
                        e.push("key", baken_core::validation::Missing::ImportKey);
                        e
                    })
                })
            }
        };
        match parsed {
            Ok((signal, key)) => {
                report.valid += 1;
                // After the first error an all-or-nothing import only checks the rest.
                let storing = match mode {
                    ImportMode::DryRun => false,
                    ImportMode::AllOrNothing => report.errors.is_empty(),
                    ImportMode::SkipInvalid => true,
                };
                if storing || mode == ImportMode::DryRun {
                    batch.rows.push((row_number, signal, key));
                }
            }
            Err(errors) => {
                for e in errors.0 {
                    let column = match (e.field.as_str(), bound.key_column()) {
                        ("key", Some(key)) => key.to_string(),
                        _ => bound.column_of(&e.field),
                    };
                    report.errors.push(RowError {
                        row: row_number,
                        column,
                        problem: e.problem,
                    });
                }
                if mode == ImportMode::AllOrNothing {
                    batch.rows.clear();
                }
            }
        }
        if batch.rows.len() >= BATCH {
            let (signals, keys) = std::mem::take(&mut batch)
                .fresh(store, caller, &mut seen, &mut report)
                .await?;
            if let Some(import) = import.as_mut() {
                added += signals.len();
                import.add_keyed(signals, keys, clock.now()).await?;
            }
        }
        if report.rows % 1000 == 0 {
            progress(report.rows);
        }
    }
    progress(report.rows);
    let (signals, keys) = batch.fresh(store, caller, &mut seen, &mut report).await?;
    let Some(mut import) = import else {
        return Ok(report);
    };
    if mode == ImportMode::AllOrNothing && !report.errors.is_empty() {
        import.rollback().await?;
        return Ok(report);
    }
    added += signals.len();
    if added == 0 {
        // Nothing new (every row imported before): nothing changed, nothing to record.
        import.rollback().await?;
        return Ok(report);
    }
    import.add_keyed(signals, keys, clock.now()).await?;
    let committed = import.commit(source, options.link, clock.now()).await?;
    report.stored = committed.rows;
    // Subjects the stored models could not serve are linked in one batch with all the data,
    // which also estimates the models.
    if report.stored > 0 && options.link && !committed.linked {
        let quiet = |_: baken_store::RelinkStage, _: u64, _: u64| {};
        store
            .relink(
                &baken_store::Actor::System {
                    process: "import".into(),
                },
                &quiet,
                clock.now(),
            )
            .await?;
    }
    Ok(report)
}
