//! Bulk intake end to end on the embedded store: CSV and XLSX, mapping checks, per-row
//! errors, all-or-nothing, skip-invalid and dry runs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use baken_core::signal::{PageRequest, SignalFilter};
use baken_core::{Caller, FixedClock, Purpose};
use baken_intake::{import_signals, open_table, ImportMode, Mapping};
use baken_store::{SharedStore, Store};
use std::sync::Arc;
use time::macros::datetime;

const MAPPING: &str = r#"
[columns]
title = "Titel"
description = "Omschrijving"
received_at = "Datum"
themes = "Thema"
area_code = "Wijk"

[defaults]
source_kind = "partner"
source_reliability = "C"
information_credibility = "3"

[[subjects]]
kind = "adres"
role = "locatie"
[subjects.columns]
postcode = "Postcode"
house_number = "Huisnummer"
"#;

const GOOD_ROWS: &str = "Titel;Omschrijving;Datum;Thema;Wijk;Postcode;Huisnummer\n\
Loods;Lege loods verhuurd;2025-01-03;buitengebied;WK001409;9712 JG;3\n\
Hennep;Geur van hennep;2025-01-04;drugs, bedrijventerreinen;WK001400;;\n";

async fn world() -> (SharedStore, Caller, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = baken_store::open(None, dir.path()).await.unwrap();
    let users =
        baken_store::testing::small_world(store.as_ref(), None, datetime!(2025-06-01 10:00 UTC))
            .await;
    let u = &users["analist@a.test"];
    let caller = Caller::for_user(u, Purpose::new("bulkimport"), "test");
    (store, caller, dir)
}

async fn run(
    store: &SharedStore,
    caller: &Caller,
    file: Vec<u8>,
    mode: ImportMode,
) -> baken_intake::ImportReport {
    run_mapped(store, caller, MAPPING, file, mode).await
}

async fn run_mapped(
    store: &SharedStore,
    caller: &Caller,
    mapping: &str,
    file: Vec<u8>,
    mode: ImportMode,
) -> baken_intake::ImportReport {
    let mapping: Mapping = toml::from_str(mapping).unwrap();
    let table = open_table(Box::new(std::io::Cursor::new(file))).unwrap();
    let clock = FixedClock::new(datetime!(2025-06-02 10:00 UTC));
    let mut seen = 0;
    let mut progress = |n: u64| seen = n;
    let report = import_signals(
        store.as_ref(),
        caller,
        table,
        &mapping,
        &baken_intake::ImportOptions {
            mode,
            source: "test.csv",
            policy: &Default::default(),
            link: true,
        },
        &clock,
        &mut progress,
    )
    .await
    .unwrap();
    assert_eq!(seen, report.rows, "progress reaches the last row");
    report
}

async fn stored(store: &SharedStore, caller: &Caller) -> Vec<baken_core::signal::Signal> {
    store
        .list_signals(
            caller,
            &SignalFilter::default(),
            PageRequest::default(),
            datetime!(2025-06-02 10:00 UTC),
        )
        .await
        .unwrap()
        .items
}

#[tokio::test]
async fn a_clean_csv_is_stored_with_subjects_and_one_audit_event() {
    let (store, caller, _dir) = world().await;
    let before = store.audit_events(0, 10_000).await.unwrap().len();
    let report = run(
        &store,
        &caller,
        GOOD_ROWS.as_bytes().to_vec(),
        ImportMode::AllOrNothing,
    )
    .await;
    assert_eq!((report.rows, report.valid, report.stored), (2, 2, 2));
    assert!(report.errors.is_empty());
    let signals = stored(&store, &caller).await;
    assert_eq!(signals.len(), 2);
    let hennep = signals.iter().find(|s| s.title == "Hennep").unwrap();
    assert_eq!(
        hennep.themes,
        vec!["bedrijventerreinen".to_string(), "drugs".to_string()]
    );
    let loods = signals.iter().find(|s| s.title == "Loods").unwrap();
    let detail = store
        .signal(&caller, loods.id, datetime!(2025-06-02 10:00 UTC))
        .await
        .unwrap();
    assert_eq!(detail.subjects[0].subject.normalised, "9712JG 3");
    let events = store.audit_events(0, 10_000).await.unwrap();
    // One import event, the batch relink of the kind of subject it brought (addresses), and
    // the list and detail reads just made.
    let new: Vec<_> = events[before..]
        .iter()
        .map(|e| (e.action.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        new,
        vec![
            ("signal.import", "rows=2 source=test.csv"),
            (
                "link.relink",
                "kind=adres subjects=1 candidates=0 links=0 entities=1"
            ),
            ("signal.list", "shown=2 total=2 from=first"),
            ("signal.read", ""),
        ]
    );
}

/// Importing the same rows again stores nothing twice: without a natural key a row is the same
/// row when its content is; each repeat is reported with its row number (issue 17, pt 2).
#[tokio::test]
async fn a_file_imported_again_is_not_stored_twice() {
    use baken_intake::{Duplicate, RowKey};
    let (store, caller, _dir) = world().await;
    let first = run(
        &store,
        &caller,
        GOOD_ROWS.as_bytes().to_vec(),
        ImportMode::AllOrNothing,
    )
    .await;
    assert_eq!(first.stored, 2);
    let dry = run(
        &store,
        &caller,
        GOOD_ROWS.as_bytes().to_vec(),
        ImportMode::DryRun,
    )
    .await;
    assert_eq!(dry.duplicates.len(), 2, "a dry run tells too");
    let again = run(
        &store,
        &caller,
        GOOD_ROWS.as_bytes().to_vec(),
        ImportMode::AllOrNothing,
    )
    .await;
    assert_eq!((again.rows, again.valid, again.stored), (2, 2, 0));
    assert_eq!(
        again.duplicates,
        vec![
            Duplicate {
                row: 2,
                key: RowKey::Content
            },
            Duplicate {
                row: 3,
                key: RowKey::Content
            },
        ]
    );
    // The export of a week later: the old rows again, one new one, and one row twice.
    let later = format!(
        "{GOOD_ROWS}Drugslab;Chemische lucht;2025-01-09;drugs;WK001400;;
         Drugslab;Chemische lucht;2025-01-09;drugs;WK001400;;
"
    );
    let week = run(&store, &caller, later.into_bytes(), ImportMode::SkipInvalid).await;
    assert_eq!(week.stored, 1);
    assert_eq!(
        week.duplicates.iter().map(|d| d.row).collect::<Vec<_>>(),
        vec![2, 3, 5]
    );
    assert_eq!(stored(&store, &caller).await.len(), 3);
    // Another organisation's import of the same file is its own.
    let users = store.accounts(&baken_store::Actor::cli()).await.unwrap();
    let other = users
        .iter()
        .find(|a| a.user.email == "analist@b.test")
        .unwrap();
    let other = Caller::for_user(&other.user, Purpose::new("bulkimport"), "test");
    let theirs = run(
        &store,
        &other,
        GOOD_ROWS.as_bytes().to_vec(),
        ImportMode::AllOrNothing,
    )
    .await;
    assert_eq!(theirs.stored, 2);
}

/// With a natural key the source's own number decides: a corrected row with a known number is
/// a repeat, a row without a number is an error naming the key column.
#[tokio::test]
async fn a_natural_key_decides_what_was_imported_before() {
    use baken_intake::RowKey;
    let mapping = format!("key = \"Nummer\"\nsource = \"politie-bvh\"\n{MAPPING}");
    let (store, caller, _dir) = world().await;
    let rows = "Nummer;Titel;Omschrijving;Datum;Thema;Wijk;Postcode;Huisnummer
        BVH-1;Loods;Lege loods verhuurd;2025-01-03;buitengebied;WK001409;9712 JG;3
";
    let first = run_mapped(
        &store,
        &caller,
        &mapping,
        rows.as_bytes().to_vec(),
        ImportMode::AllOrNothing,
    )
    .await;
    assert_eq!(first.stored, 1);
    let corrected = "Nummer;Titel;Omschrijving;Datum;Thema;Wijk;Postcode;Huisnummer
        BVH-1;Loods;Lege loods, nu verhuurd;2025-01-03;buitengebied;WK001409;9712 JG;3
        ;Hennep;Geur van hennep;2025-01-04;drugs;WK001400;;
";
    let again = run_mapped(
        &store,
        &caller,
        &mapping,
        corrected.as_bytes().to_vec(),
        ImportMode::SkipInvalid,
    )
    .await;
    assert_eq!(again.stored, 0);
    assert_eq!(
        again.duplicates[0].key,
        RowKey::Natural {
            column: "Nummer".into(),
            value: "BVH-1".into()
        }
    );
    assert_eq!(again.errors.len(), 1);
    assert_eq!(
        (again.errors[0].row, again.errors[0].column.as_str()),
        (3, "Nummer")
    );
    assert_eq!(stored(&store, &caller).await.len(), 1);
    // A key column the file lacks is named before anything is read.
    let missing = run_mapped(
        &store,
        &caller,
        &mapping,
        GOOD_ROWS.as_bytes().to_vec(),
        ImportMode::DryRun,
    )
    .await;
    assert!(
        missing
            .file_errors
            .iter()
            .any(|e| e.contains("'Nummer' (de sleutel)")),
        "{:?}",
        missing.file_errors
    );
}

#[tokio::test]
async fn one_bad_row_stores_nothing_and_names_row_and_column() {
    let (store, caller, _dir) = world().await;
    let file = format!("{GOOD_ROWS}Fout;Iets;gisteren;voetbal;WK001400;0712 JG;3\n");
    let report = run(&store, &caller, file.into_bytes(), ImportMode::AllOrNothing).await;
    assert_eq!((report.rows, report.valid, report.stored), (3, 2, 0));
    let errors: Vec<(u64, &str)> = report
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str()))
        .collect();
    assert_eq!(errors, vec![(4, "Datum"), (4, "Thema"), (4, "Postcode")]);
    assert_eq!(
        report.errors[2].problem,
        baken_core::validation::Problem::Identifier(
            baken_core::identifiers::IdentifierError::PostcodeFormat
        )
    );
    assert!(stored(&store, &caller).await.is_empty(), "all or nothing");

    let report = run(
        &store,
        &caller,
        format!("{GOOD_ROWS}Fout;Iets;gisteren;drugs;;;\n").into_bytes(),
        ImportMode::SkipInvalid,
    )
    .await;
    assert_eq!((report.stored, report.errors.len()), (2, 1));
    assert_eq!(stored(&store, &caller).await.len(), 2);
}

#[tokio::test]
async fn dutch_dates_and_excel_serial_days_are_read_and_a_wrong_one_is_named_in_dutch() {
    let (store, caller, _dir) = world().await;
    let file = "Titel;Omschrijving;Datum;Thema;Wijk;Postcode;Huisnummer\n\
        A;Een;15-10-2024;drugs;WK001400;;\n\
        B;Twee;5-3-2025;drugs;WK001400;;\n\
        C;Drie;15/10/2024;drugs;WK001400;;\n\
        D;Vier;45580;drugs;WK001400;;\n\
        E;Vijf;2-2-2025 14:30;drugs;WK001400;;\n";
    let report = run(
        &store,
        &caller,
        file.as_bytes().to_vec(),
        ImportMode::AllOrNothing,
    )
    .await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let mut days: Vec<(String, String)> = stored(&store, &caller)
        .await
        .iter()
        .map(|s| {
            let local = baken_core::calendar::local(s.received_at);
            (
                s.title.clone(),
                format!("{} {}", local.date(), local.time()),
            )
        })
        .collect();
    days.sort();
    assert_eq!(
        days,
        [
            ("A", "2024-10-15 0:00:00.0"),
            ("B", "2025-03-05 0:00:00.0"),
            ("C", "2024-10-15 0:00:00.0"),
            ("D", "2024-10-15 0:00:00.0"),
            ("E", "2025-02-02 14:30:00.0"),
        ]
        .map(|(t, d)| (t.to_string(), d.to_string()))
    );
    // A date that is none: its row and column, and what to write instead.
    let report = run(
        &store,
        &caller,
        "Titel;Omschrijving;Datum;Thema;Wijk;Postcode;Huisnummer\nF;Zes;31-02-2025;drugs;;;\n"
            .as_bytes()
            .to_vec(),
        ImportMode::AllOrNothing,
    )
    .await;
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].column, "Datum");
    assert_eq!(
        report.errors[0].problem,
        baken_core::validation::Problem::NotA {
            format: baken_core::validation::Format::DateTime,
            given: "31-02-2025".into()
        }
    );
}

#[tokio::test]
async fn a_dry_run_checks_everything_and_stores_nothing() {
    let (store, caller, _dir) = world().await;
    let before = store.audit_events(0, 10_000).await.unwrap().len();
    let report = run(
        &store,
        &caller,
        GOOD_ROWS.as_bytes().to_vec(),
        ImportMode::DryRun,
    )
    .await;
    assert_eq!((report.rows, report.valid, report.stored), (2, 2, 0));
    assert!(stored(&store, &caller).await.is_empty());
    assert_eq!(
        store.audit_events(0, 10_000).await.unwrap().len(),
        before + 1,
        "only the list read above"
    );
}

#[tokio::test]
async fn a_mapping_that_names_a_missing_column_reads_nothing() {
    let (store, caller, _dir) = world().await;
    let file = "Titel,Omschrijving,Datum,Thema,Wijk\nA,B,2025-01-01,drugs,WK001400\n";
    let report = run(
        &store,
        &caller,
        file.as_bytes().to_vec(),
        ImportMode::AllOrNothing,
    )
    .await;
    assert_eq!(report.rows, 0);
    assert_eq!(
        report.file_errors,
        vec![
            "kolom 'Postcode' (voor betrokkene 1 postcode) staat niet in het bestand".to_string(),
            "kolom 'Huisnummer' (voor betrokkene 1 houseNumber) staat niet in het bestand"
                .to_string(),
        ]
    );
    let unknown_key: Result<Mapping, _> = toml::from_str("[columns]\ntitel = \"Titel\"\n");
    assert!(unknown_key.unwrap_err().to_string().contains("titel"));
}

#[tokio::test]
async fn xlsx_files_are_read_and_false_ones_refused() {
    let (store, caller, _dir) = world().await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        [
            "Titel",
            "Omschrijving",
            "Datum",
            "Thema",
            "Wijk",
            "Postcode",
            "Huisnummer",
        ],
        [
            "Uit Excel",
            "Rij uit een werkblad",
            "",
            "vastgoed",
            "WK001402",
            "9712 JG",
            "",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string(r as u32, c as u16, *value).unwrap();
            }
        }
    }
    sheet.write_number(1, 6, 3.0).unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("dd-mm-yyyy");
    // 45660 is 2025-01-03 in Excel's day count.
    sheet
        .write_number_with_format(1, 2, 45660.0, &format)
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let report = run(&store, &caller, bytes, ImportMode::AllOrNothing).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.stored, 1);
    let s = &stored(&store, &caller).await[0];
    // A plain date is the start of that day in the Netherlands (00:00 CET).
    assert_eq!(s.received_at, datetime!(2025-01-02 23:00 UTC));
    assert_eq!(
        baken_core::calendar::local_date(s.received_at),
        time::macros::date!(2025 - 01 - 03)
    );

    let fake = b"PK\x03\x04 dit is geen werkmap".to_vec();
    let err = open_table(Box::new(std::io::Cursor::new(fake)))
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .starts_with("het bestand is geen geldig XLSX-bestand"),
        "{err}"
    );
    let empty = open_table(Box::new(std::io::Cursor::new(Vec::new())))
        .err()
        .unwrap();
    assert_eq!(empty.to_string(), "het bestand is leeg");
}

#[allow(dead_code)]
fn assert_store_is_object_safe(_: &dyn Store) {}

#[allow(dead_code)]
fn assert_arc(_: Arc<dyn Store>) {}

fn open_error(bytes: Vec<u8>) -> String {
    match open_table(Box::new(std::io::Cursor::new(bytes))) {
        Ok(_) => panic!("an oversized workbook was read"),
        Err(e) => e.to_string(),
    }
}

/// A title and one value in the last cell of the sheet (XFD1048576): read cell by cell and
/// refused by its column, instead of a 17-billion-cell rectangle that aborts the process.
#[test]
fn a_value_in_the_last_cell_is_refused_without_allocating_the_sheet() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Titel").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert!(bytes.len() < 20_000);
    let e = open_error(bytes);
    assert!(e.contains("te groot"), "{e}");
    assert!(e.contains("XFD1048576"), "{e}");
    assert!(e.contains("256 kolommen"), "{e}");
}

#[test]
fn a_cell_longer_than_excel_allows_is_refused() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Titel").unwrap();
    sheet.write_string(0, 1, "Omschrijving").unwrap();
    sheet.write_string(1, 0, "Loods").unwrap();
    sheet.write_string(1, 1, "a".repeat(32_767)).unwrap();
    let fits = open_table(Box::new(std::io::Cursor::new(
        book.save_to_buffer().unwrap(),
    )))
    .unwrap();
    assert_eq!(fits.header, ["Titel", "Omschrijving"]);
    // Excel and rust_xlsxwriter refuse such a cell; another program (or an attacker) need not.
    book.worksheet_from_index(0)
        .unwrap()
        .write_string(2, 1, "PLAATSHOUDER")
        .unwrap();
    let bytes = replace_in_parts(
        book.save_to_buffer().unwrap(),
        "PLAATSHOUDER",
        &"b".repeat(32_768),
    );
    let e = open_error(bytes);
    assert!(e.contains("cel B3 heeft meer dan 32767 tekens"), "{e}");
}

/// A few hundred kilobytes that would unpack to more than 256 MiB are refused from the
/// sizes the archive declares, before anything is unpacked.
#[test]
fn a_workbook_that_unpacks_beyond_the_limit_is_refused() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&chunk).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 2_000_000, "{}", bytes.len());
    let e = open_error(bytes);
    assert!(e.contains("300 MiB"), "{e}");
    assert!(e.contains("256 MiB"), "{e}");
}

#[test]
fn an_open_document_spreadsheet_is_refused_with_what_to_do() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("mimetype", options).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", options).unwrap();
    zip.write_all(b"<office:document-content/>").unwrap();
    let e = open_error(zip.finish().unwrap().into_inner());
    assert!(
        e.contains("sla een ODS- of XLSB-bestand op als XLSX of CSV"),
        "{e}"
    );
}

/// Empty rows inside the sheet keep their place, so row numbers in messages are the sheet's.
#[test]
fn empty_rows_inside_a_sheet_keep_their_place() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(2, 1, "Titel").unwrap();
    sheet.write_string(2, 2, "Thema").unwrap();
    sheet.write_string(3, 1, "Eerste").unwrap();
    sheet.write_string(5, 2, "drugs").unwrap();
    let table = open_table(Box::new(std::io::Cursor::new(
        book.save_to_buffer().unwrap(),
    )))
    .unwrap();
    assert_eq!(table.header, ["Titel", "Thema"]);
    let rows: Vec<Vec<String>> = table.rows.map(Result::unwrap).collect();
    assert_eq!(
        rows,
        [
            vec!["Eerste".to_string(), String::new()],
            vec![String::new(), String::new()],
            vec![String::new(), "drugs".to_string()],
        ]
    );
}

/// Copies a workbook, replacing `from` by `to` in the text of every part.
fn replace_in_parts(bytes: Vec<u8>, from: &str, to: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut text = Vec::new();
        part.read_to_end(&mut text).unwrap();
        let text = String::from_utf8(text).unwrap().replace(from, to);
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A CSV record longer than the limit (here one unterminated quoted cell of 9 MiB after two
/// good rows) ends the file with the limit named, and nothing of it is stored, also when
/// invalid rows would be skipped; the record is never built.
#[tokio::test]
async fn a_csv_record_beyond_the_limit_stores_nothing() {
    let (store, caller, _dir) = world().await;
    let mut file = GOOD_ROWS.as_bytes().to_vec();
    file.extend_from_slice(b"\"");
    file.extend(std::iter::repeat_n(b'x', 9 * 1024 * 1024));
    file.extend_from_slice(b"\n");
    let report = run(&store, &caller, file, ImportMode::SkipInvalid).await;
    assert_eq!(
        report.file_errors,
        vec!["het bestand is te groot: een regel is langer dan 8 MiB".to_string()]
    );
    assert_eq!(report.stored, 0);
    assert!(stored(&store, &caller).await.is_empty());
}

/// A CSV row with more columns, or a longer cell, than a sheet may have is refused as in XLSX.
#[tokio::test]
async fn csv_columns_and_cells_have_the_sheet_limits() {
    let (store, caller, _dir) = world().await;
    let mut wide = GOOD_ROWS.to_string();
    wide.push_str(&"x;".repeat(300));
    wide.push('\n');
    let report = run(&store, &caller, wide.into_bytes(), ImportMode::SkipInvalid).await;
    assert_eq!(
        report.file_errors,
        vec!["het bestand is te groot: regel 4 heeft 301 kolommen; de grens is 256".to_string()]
    );
    let mut long = GOOD_ROWS.to_string();
    long.push_str(&format!(
        "Titel;{};2025-01-04;drugs;WK001400;;\n",
        "y".repeat(32_768)
    ));
    let report = run(&store, &caller, long.into_bytes(), ImportMode::SkipInvalid).await;
    assert_eq!(
        report.file_errors,
        vec!["het bestand is te groot: cel B4 heeft meer dan 32767 tekens".to_string()]
    );
    assert!(stored(&store, &caller).await.is_empty());
    let header = format!("{}\n", "k;".repeat(300));
    assert!(open_error(header.into_bytes()).contains("de kopregel heeft 301 kolommen"));
}

/// An XLSX file is unpacked in memory: one larger than the limit is refused once the limit
/// is read, with what to do instead.
#[test]
fn an_xlsx_file_beyond_the_limit_is_refused() {
    use std::io::Read;
    let limit = baken_intake::limits::XLSX_FILE_BYTES;
    let file = std::io::Cursor::new(b"PK\x03\x04".to_vec()).chain(std::io::repeat(0).take(limit));
    let e = match open_table(Box::new(file)) {
        Ok(_) => panic!("read"),
        Err(e) => e.to_string(),
    };
    assert!(
        e.contains("mag 256 MiB zijn; sla grotere bestanden op als CSV"),
        "{e}"
    );
}
