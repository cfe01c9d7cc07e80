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

fn open_xlsx(bytes: Vec<u8>) -> Result<Table, TableError> {
    use calamine::Reader;
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| TableError::NotXlsx(e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| TableError::NotXlsx("de werkmap heeft geen werkblad".into()))?
        .map_err(|e| TableError::NotXlsx(e.to_string()))?;
    let mut rows = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect::<Vec<String>>());
    let header: Vec<String> = rows
        .next()
        .ok_or(TableError::Empty)?
        .into_iter()
        .map(|h| h.trim().to_string())
        .collect();
    let rest: Vec<Result<Vec<String>, String>> = rows.map(Ok).collect();
    Ok(Table {
        header,
        rows: Box::new(rest.into_iter()),
    })
}
