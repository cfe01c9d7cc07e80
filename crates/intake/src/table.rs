//! Tabular files: CSV (delimiter `;` or `,`, detected; UTF-8 with or without BOM) and XLSX
//! (first sheet). Rows come as text cells; Excel dates become `JJJJ-MM-DD`.

use std::io::{BufRead, BufReader, Cursor, Read};

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("het bestand is leeg")]
    Empty,
    #[error("het bestand is geen geldig XLSX-bestand: {0}")]
    NotXlsx(String),
    #[error("het bestand is geen leesbaar CSV-bestand: {0}")]
    NotCsv(String),
    #[error("het bestand is niet te lezen: {0}")]
    Io(#[from] std::io::Error),
    /// The file is larger than Baken reads; names the limit.
    #[error("het bestand is te groot: {0}")]
    TooLarge(String),
}

/// Limits on an XLSX file, checked before anything of that size is allocated.
pub mod limits {
    /// The unpacked size of all parts of the workbook together (its XML), as the archive
    /// declares it: a few kilobytes of ZIP can unpack to gigabytes.
    pub const XLSX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
    /// Columns of the sheet that may hold a value (a mapping uses a few dozen).
    pub const COLUMNS: u32 = 256;
    /// Rows of the sheet (Excel's own maximum).
    pub const ROWS: u32 = 1_048_576;
    /// Characters in one cell (Excel's own maximum).
    pub const CELL_CHARS: usize = 32_767;
}

/// A file's header and a stream of rows; a row that cannot be read is an error for that row.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Box<dyn Iterator<Item = Result<Vec<String>, String>> + Send>,
}

fn excel_date(serial: f64) -> String {
    let days = serial.floor() as i64;
    let base = time::macros::date!(1899 - 12 - 30);
    match base.checked_add(time::Duration::days(days)) {
        Some(d) => baken_core::signal::format_date(d),
        None => serial.to_string(),
    }
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Opens CSV or XLSX, recognised by content (an XLSX file is a ZIP archive).
pub fn open_table(reader: Box<dyn Read + Send>) -> Result<Table, TableError> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let head = reader.fill_buf()?;
    if head.is_empty() {
        return Err(TableError::Empty);
    }
    if head.starts_with(b"PK\x03\x04") {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes)?;
        return open_xlsx(bytes);
    }
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        reader.consume(3);
    }
    let head = reader.fill_buf()?;
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or(head);
    let count = |c: u8| first_line.iter().filter(|b| **b == c).count();
    let delimiter = if count(b';') > count(b',') {
        b';'
    } else {
        b','
    };
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(reader);
    let header: Vec<String> = csv
        .headers()
        .map_err(|e| TableError::NotCsv(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(TableError::Empty);
    }
    let rows = csv.into_records().map(|r| match r {
        Ok(record) => Ok(record.iter().map(str::to_string).collect()),
        Err(e) => Err(format!("rij is niet te lezen: {e}")),
    });
    Ok(Table {
        header,
        rows: Box::new(rows),
    })
}

/// Refuses a workbook whose parts unpack to more than [`limits::XLSX_UNPACKED_BYTES`], from
/// the sizes its central directory declares, before any part is unpacked.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), TableError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| TableError::NotXlsx(e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| TableError::NotXlsx(e.to_string()))?;
        total = total.saturating_add(entry.size());
    }
    if total > limits::XLSX_UNPACKED_BYTES {
        return Err(TableError::TooLarge(format!(
            "de werkmap pakt uit tot {} MiB; de grens is {} MiB",
            total / (1024 * 1024),
            limits::XLSX_UNPACKED_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

/// Reads the first sheet cell by cell (never as one rectangle: a single value in the last
/// cell of a sheet would make that rectangle 17 billion cells), within [`limits`].
fn open_xlsx(bytes: Vec<u8>) -> Result<Table, TableError> {
    use calamine::Reader;
    check_unpacked_size(&bytes)?;
    let mut workbook =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| TableError::NotXlsx(e.to_string()))?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| TableError::NotXlsx("de werkmap heeft geen werkblad".into()))?;
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(|e| TableError::NotXlsx(e.to_string()))?;
    let mut grid: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| TableError::NotXlsx(e.to_string()))?
    {
        let (row, column) = cell.get_position();
        let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        if column >= limits::COLUMNS {
            return Err(TableError::TooLarge(format!(
                "cel {} ligt buiten de eerste {} kolommen",
                cell_name(row, column),
                limits::COLUMNS
            )));
        }
        if row >= limits::ROWS {
            return Err(TableError::TooLarge(format!(
                "cel {} ligt buiten de eerste {} rijen",
                cell_name(row, column),
                limits::ROWS
            )));
        }
        if text.chars().count() > limits::CELL_CHARS {
            return Err(TableError::TooLarge(format!(
                "cel {} heeft meer dan {} tekens",
                cell_name(row, column),
                limits::CELL_CHARS
            )));
        }
        let (row, column) = (row as usize, column as usize);
        if grid.len() <= row {
            grid.resize_with(row + 1, Vec::new);
        }
        let cells_of_row = &mut grid[row];
        if cells_of_row.len() <= column {
            cells_of_row.resize(column + 1, String::new());
        }
        cells_of_row[column] = text;
    }
    // As a spreadsheet's used range: from the first row and the first column with a value.
    let first_row = grid
        .iter()
        .position(|r| !r.is_empty())
        .unwrap_or(grid.len());
    let first_column = grid
        .iter()
        .filter_map(|r| r.iter().position(|c| !c.is_empty()))
        .min()
        .unwrap_or(0);
    let mut rows = grid.into_iter().skip(first_row).map(|mut r| {
        r.drain(..first_column.min(r.len()));
        r
    });
    let header: Vec<String> = rows
        .next()
        .ok_or(TableError::Empty)?
        .into_iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(TableError::Empty);
    }
    let width = header.len();
    let rest: Vec<Result<Vec<String>, String>> = rows
        .map(|mut r| {
            if r.len() < width {
                r.resize(width, String::new());
            }
            Ok(r)
        })
        .collect();
    Ok(Table {
        header,
        rows: Box::new(rest.into_iter()),
    })
}

/// A cell's name as a spreadsheet shows it ("XFD1048576").
fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}
