//! Bulk intake: signals from a CSV or XLSX file through a column mapping. Every row is parsed
//! by the same domain parser as the form and the API; errors are reported per row and column;
//! the import is all-or-nothing unless the user asks to skip invalid rows; a dry run stores
//! nothing.

mod mapping;
mod rowkey;
mod run;
mod table;

pub use mapping::{
    BoundMapping, FieldColumns, Mapping, SubjectColumns, SubjectMapping, SIGNAL_FIELDS,
    SUBJECT_FIELDS,
};
pub use rowkey::{KeyedRow, RowKey};
pub use run::{import_signals, Duplicate, ImportMode, ImportOptions, ImportReport, RowError};
pub use table::{limits, open_table, RowFault, Table, TableError};
