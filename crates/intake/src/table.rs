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
    /// The size of an XLSX file as it is read (it is unpacked in memory; CSV is streamed).
    pub const XLSX_FILE_BYTES: u64 = 256 * 1024 * 1024;
    /// The unpacked size of all parts of the workbook together (its XML), as the archive
    /// declares it: a few kilobytes of ZIP can unpack to gigabytes.
    pub const XLSX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
    /// Columns of the sheet that may hold a value (a mapping uses a few dozen).
    pub const COLUMNS: u32 = 256;
    /// Rows of the sheet (Excel's own maximum).
    pub const ROWS: u32 = 1_048_576;
    /// Characters in one cell (Excel's own maximum).
    pub const CELL_CHARS: usize = 32_767;
    /// Bytes of cell text in the whole sheet, as read (a shared string counts each time a cell
    /// uses it).
    pub const TEXT_BYTES: usize = 256 * 1024 * 1024;
    /// Cells with a value in the whole sheet (half a million rows of twenty columns; larger
    /// files come as CSV, which is read row by row).
    pub const CELLS: usize = 10_000_000;
    /// Bytes of one CSV record (a line, or several inside quotes), counted as they are read,
    /// before the record is built.
    pub const RECORD_BYTES: usize = 8 * 1024 * 1024;
}

/// Why a row of a table did not come.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowFault {
    /// This row cannot be read; the rows after it can.
    #[error("rij is niet te lezen: {0}")]
    Unreadable(String),
    /// The file breaks a limit here: the table ends, and an import stores nothing of it.
    #[error("het bestand is te groot: {0}")]
    TooLarge(String),
}

/// A reader that fails once a CSV record passes [`limits::RECORD_BYTES`]. It follows fields as
/// the CSV reader does: a quote opens a quoted field only at its start, a doubled quote inside
/// one is a quote, and a line break (`\n` or `\r`) outside quotes ends the record.
struct RecordLimited<R> {
    inner: R,
    delimiter: u8,
    field: FieldState,
    since_record: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldState {
    Start,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the field's end, or the first of a doubled quote.
    QuoteInQuoted,
}

impl<R> RecordLimited<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        Self {
            inner,
            delimiter,
            field: FieldState::Start,
            since_record: 0,
        }
    }

    /// Takes one byte: the field state moves on, and the record's length grows or, at a
    /// record's end, starts again.
    fn step(&mut self, b: u8) {
        use FieldState::*;
        self.since_record += 1;
        self.field = match (self.field, b) {
            (Quoted, b'"') => QuoteInQuoted,
            (Quoted, _) => Quoted,
            (QuoteInQuoted, b'"') | (Start, b'"') => Quoted,
            (_, b'\n' | b'\r') => {
                self.since_record = 0;
                Start
            }
            (_, d) if d == self.delimiter => Start,
            _ => Unquoted,
        };
    }
}

impl<R: Read> Read for RecordLimited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for b in &buf[..n] {
            self.step(*b);
            if self.since_record > limits::RECORD_BYTES {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    RecordTooLong,
                ));
            }
        }
        Ok(n)
    }
}

/// The error [`RecordLimited`] stops with.
#[derive(Debug)]
struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "een regel is langer dan {} MiB",
            limits::RECORD_BYTES / (1024 * 1024)
        )
    }
}

impl std::error::Error for RecordTooLong {}

/// A file's header and a stream of rows; a row that cannot be read is an error for that row.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Box<dyn Iterator<Item = Result<Vec<String>, RowFault>> + Send>,
}

fn excel_date(serial: f64) -> String {
    let days = serial.floor() as i64;
    let base = time::macros::date!(1899 - 12 - 30);
    match base.checked_add(time::Duration::days(days)) {
        Some(d) => baken_core::signal::format_date(d),
        None => serial.to_string(),
    }
}

/// A day written as Excel's serial number (days since 30-12-1899, as a number cell or a CSV
/// saved by Excel has it) as `JJJJ-MM-DD`; other text as it is. Only five digits (1927–2173)
/// count as a serial, so that a year is never read as a day.
pub(crate) fn serial_day(text: String) -> String {
    let t = text.trim();
    if t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = t.parse::<u32>() {
            return excel_date(f64::from(n));
        }
    }
    text
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
        reader
            .take(limits::XLSX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() as u64 > limits::XLSX_FILE_BYTES {
            return Err(TableError::TooLarge(format!(
                "een XLSX-bestand mag {} MiB zijn; sla grotere bestanden op als CSV",
                limits::XLSX_FILE_BYTES / (1024 * 1024)
            )));
        }
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
        .from_reader(RecordLimited::new(reader, delimiter));
    let header: Vec<String> = csv
        .headers()
        .map_err(|e| match too_long(&e) {
            Some(limit) => TableError::TooLarge(limit),
            None => TableError::NotCsv(e.to_string()),
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(TableError::Empty);
    }
    if header.len() > limits::COLUMNS as usize {
        return Err(TableError::TooLarge(format!(
            "de kopregel heeft {} kolommen; de grens is {}",
            header.len(),
            limits::COLUMNS
        )));
    }
    let mut ended = false;
    let rows = csv.into_records().map_while(move |r| {
        if ended {
            return None;
        }
        let fault = match r {
            Ok(record) => match csv_row_limit(&record) {
                None => return Some(Ok(record.iter().map(str::to_string).collect())),
                Some(limit) => RowFault::TooLarge(limit),
            },
            Err(e) => match too_long(&e) {
                Some(limit) => RowFault::TooLarge(limit),
                None => RowFault::Unreadable(e.to_string()),
            },
        };
        ended = matches!(fault, RowFault::TooLarge(_));
        Some(Err(fault))
    });
    Ok(Table {
        header,
        rows: Box::new(rows),
    })
}

/// The limit a CSV read error stands for, when it is [`RecordLimited`]'s.
fn too_long(e: &csv::Error) -> Option<String> {
    match e.kind() {
        csv::ErrorKind::Io(io) => io
            .get_ref()
            .filter(|inner| inner.is::<RecordTooLong>())
            .map(|inner| inner.to_string()),
        _ => None,
    }
}

/// The limit a CSV record breaks, as for a sheet: its columns and the length of its cells.
fn csv_row_limit(record: &csv::StringRecord) -> Option<String> {
    let row = u32::try_from(record.position().map_or(0, |p| p.line())).unwrap_or(u32::MAX);
    if record.len() > limits::COLUMNS as usize {
        return Some(format!(
            "regel {row} heeft {} kolommen; de grens is {}",
            record.len(),
            limits::COLUMNS
        ));
    }
    let long = record
        .iter()
        .position(|cell| cell.chars().count() > limits::CELL_CHARS)?;
    let column = u32::try_from(long).unwrap_or(u32::MAX);
    Some(format!(
        "cel {} heeft meer dan {} tekens",
        cell_name(row.saturating_sub(1), column),
        limits::CELL_CHARS
    ))
}

/// Refuses a workbook whose parts unpack to more than [`limits::XLSX_UNPACKED_BYTES`], from
/// the sizes its central directory declares, before any part is unpacked; and an archive
/// that is no Excel workbook (an ODS or XLSB file), with what to do instead.
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
    if archive.index_for_name("xl/workbook.xml").is_none() {
        return Err(TableError::NotXlsx(
            "alleen Excel-werkmappen (XLSX) en CSV worden gelezen; sla een ODS- of XLSB-bestand op als XLSX of CSV".into(),
        ));
    }
    Ok(())
}

/// Reads the first sheet cell by cell (never as one rectangle: a single value in the last
/// cell of a sheet would make that rectangle 17 billion cells), keeping only cells with a
/// value, within [`limits`]; rows are filled out to the header's width only as they are read.
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
    // Row number → the row's cells with a value, as (column, text).
    let mut sheet: std::collections::BTreeMap<u32, Vec<(u32, String)>> = Default::default();
    let (mut count, mut bytes_read) = (0usize, 0usize);
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
            return Err(too_large(
                row,
                column,
                format!("ligt buiten de eerste {} kolommen", limits::COLUMNS),
            ));
        }
        if row >= limits::ROWS {
            return Err(too_large(
                row,
                column,
                format!("ligt buiten de eerste {} rijen", limits::ROWS),
            ));
        }
        if text.chars().count() > limits::CELL_CHARS {
            return Err(too_large(
                row,
                column,
                format!("heeft meer dan {} tekens", limits::CELL_CHARS),
            ));
        }
        count += 1;
        bytes_read += text.len();
        if count > limits::CELLS || bytes_read > limits::TEXT_BYTES {
            return Err(TableError::TooLarge(format!(
                "het werkblad heeft meer dan {} gevulde cellen of {} MiB tekst",
                limits::CELLS,
                limits::TEXT_BYTES / (1024 * 1024)
            )));
        }
        sheet.entry(row).or_default().push((column, text));
    }
    // As a spreadsheet's used range: from the first row and the first column with a value.
    let first_column = sheet
        .values()
        .flat_map(|cells| cells.iter().map(|(c, _)| *c))
        .min()
        .unwrap_or(0);
    let mut rows = sheet.into_iter();
    let (header_row, header_cells) = rows.next().ok_or(TableError::Empty)?;
    let header: Vec<String> = dense(header_cells, first_column, 0)
        .into_iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(TableError::Empty);
    }
    let width = header.len();
    // Rows without a value in between still count, so row numbers in messages are the sheet's.
    let mut next = header_row + 1;
    let mut pending = rows.peekable();
    let rows = std::iter::from_fn(move || {
        let row = *pending.peek().map(|(r, _)| r)?;
        let out = if row == next {
            let (_, cells) = pending.next()?;
            dense(cells, first_column, width)
        } else {
            vec![String::new(); width]
        };
        next += 1;
        Some(Ok(out))
    });
    Ok(Table {
        header,
        rows: Box::new(rows),
    })
}

/// A row's cells as a list from `first_column`, at least `width` long.
fn dense(cells: Vec<(u32, String)>, first_column: u32, width: usize) -> Vec<String> {
    let len = cells
        .iter()
        .map(|(c, _)| (c - first_column) as usize + 1)
        .max()
        .unwrap_or(0)
        .max(width);
    let mut row = vec![String::new(); len];
    for (column, text) in cells {
        row[(column - first_column) as usize] = text;
    }
    row
}

fn too_large(row: u32, column: u32, what: String) -> TableError {
    TableError::TooLarge(format!("cel {} {what}", cell_name(row, column)))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<usize> {
        // The byte count at each record end, as the limit sees it.
        let mut r = RecordLimited::new(std::io::empty(), b';');
        let mut ends = Vec::new();
        for (i, b) in text.bytes().enumerate() {
            r.step(b);
            if r.since_record == 0 {
                ends.push(i);
            }
        }
        ends
    }

    #[test]
    fn records_end_where_the_csv_reader_ends_them() {
        // A quote inside an unquoted field is a character, not the start of quotes.
        assert_eq!(records("5\" scherm;x\nb\n"), vec![11, 13]);
        // A line break inside quotes, and a doubled quote, stay in the record.
        assert_eq!(records("\"a\nb\"\"c\";d\ne\n"), vec![10, 12]);
        // A lone carriage return ends a record too.
        assert_eq!(records("a\rb\r"), vec![1, 3]);
    }
}
