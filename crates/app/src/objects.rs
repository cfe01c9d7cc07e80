//! Field objects (farms, business premises) from a file: the rows read and checked as a whole
//! before anything is stored, then stored in one audited change.

use baken_core::identifiers::AreaCode;
use baken_core::Caller;
use baken_intake::{open_table, TableError};
use baken_store::{NewFieldObject, Result};
use std::io::Read;

use crate::Operations;

/// Why a file of objects is not read; nothing of it is stored.
#[derive(Debug, thiserror::Error)]
pub enum ObjectFileError {
    #[error(transparent)]
    Table(#[from] TableError),
    /// The header has no column `naam`.
    #[error("no column naam")]
    NoNameColumn,
    /// A row (numbered as a spreadsheet shows it, the header being row 1) is wrong.
    #[error("row {row}: {problem:?}")]
    Row { row: usize, problem: RowProblem },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    Unreadable(String),
    NameMissing,
    /// The `gebied` cell is no CBS area code; the parser's explanation.
    AreaCode(String),
}

/// Reads a CSV or XLSX file with the columns `naam` (required), `adres` and `gebied` (a CBS
/// area code), case-insensitive; every row must be right or nothing is read.
pub fn read_field_objects(
    reader: Box<dyn Read + Send>,
) -> std::result::Result<Vec<NewFieldObject>, ObjectFileError> {
    let table = open_table(reader)?;
    let column = |name: &str| {
        table
            .header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let name_at = column("naam").ok_or(ObjectFileError::NoNameColumn)?;
    let (address_at, area_at) = (column("adres"), column("gebied"));
    let mut objects = Vec::new();
    for (i, row) in table.rows.enumerate() {
        let at_row = |problem| ObjectFileError::Row {
            row: i + 2,
            problem,
        };
        let row = row.map_err(|e| at_row(RowProblem::Unreadable(e.to_string())))?;
        let cell = |at: Option<usize>| {
            at.and_then(|a| row.get(a))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let name = cell(Some(name_at)).ok_or_else(|| at_row(RowProblem::NameMissing))?;
        let area_code = match cell(area_at) {
            Some(a) => Some(
                AreaCode::parse(&a)
                    .map_err(|e| at_row(RowProblem::AreaCode(e.to_string())))?
                    .to_string(),
            ),
            None => None,
        };
        objects.push(NewFieldObject {
            name,
            address: cell(address_at),
            area_code,
        });
    }
    Ok(objects)
}

impl Operations {
    /// Stores objects of one kind (`VisitKind::object_kind`) for the caller's organisation.
    pub async fn import_field_objects(
        &self,
        caller: &Caller,
        kind: &str,
        objects: Vec<NewFieldObject>,
    ) -> Result<u64> {
        self.store
            .add_field_objects(caller, kind, objects, self.clock.now())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &'static str) -> std::result::Result<Vec<NewFieldObject>, ObjectFileError> {
        read_field_objects(Box::new(std::io::Cursor::new(text.as_bytes())))
    }

    #[test]
    fn a_file_of_objects_is_read_whole_or_not_at_all() {
        let objects =
            read("Naam;Adres;Gebied\nHoeve Zuid;Dorpsweg 1;BU00141004\nStal;;\n").unwrap();
        assert_eq!(objects.len(), 2);
        assert_eq!(objects[0].area_code.as_deref(), Some("BU00141004"));
        assert_eq!(objects[1].address, None);
        assert!(matches!(
            read("adres\nDorpsweg 1\n"),
            Err(ObjectFileError::NoNameColumn)
        ));
        assert!(matches!(
            read("naam;gebied\nHoeve;BU00141004\n;BU00141004\n"),
            Err(ObjectFileError::Row {
                row: 3,
                problem: RowProblem::NameMissing
            })
        ));
        assert!(matches!(
            read("naam;gebied\nHoeve;Groningen\n"),
            Err(ObjectFileError::Row {
                row: 2,
                problem: RowProblem::AreaCode(_)
            })
        ));
    }
}
