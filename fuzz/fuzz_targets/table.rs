//! The import's table reader (CSV or XLSX, recognised by content) on arbitrary bytes, read to
//! the last row: errors, never a panic or an allocation past the limits.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    if let Ok(table) = baken_intake::open_table(reader) {
        for row in table.rows {
            let _ = row;
        }
    }
});
