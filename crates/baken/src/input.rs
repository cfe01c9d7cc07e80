//! Files the command line reads whole: their size is checked before anything is read, so a
//! file that is too large gets an error naming the limit instead of taking the memory.

use anyhow::{Context, Result};
use std::path::Path;

/// Configuration and mapping files (TOML): a few kilobytes in practice.
pub const SETTINGS_BYTES: u64 = 1024 * 1024;

/// Area boundaries (GeoJSON) and area values: a detailed file of all Dutch buurten is a few
/// hundred megabytes at most; every polygon is limited again by `baken_geo::MAX_VERTICES`.
pub const AREA_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The text of the file at `path`, refused when it is larger than `limit` bytes; `what` names
/// the file in messages ("--mapping: …").
pub fn read_text(path: &Path, limit: u64, what: &str) -> Result<String> {
    use std::io::Read;
    let unreadable = || format!("{what}{} is niet te lezen", path.display());
    let file = std::fs::File::open(path).with_context(unreadable)?;
    // The size the file says it has, then never more than the limit read, also from a pipe
    // or a device that says nothing about its size.
    let said = file.metadata().with_context(unreadable)?.len();
    let too_large = |size: u64| {
        anyhow::anyhow!(
            "{what}{} is {} MiB; de grens is {} MiB",
            path.display(),
            size.div_ceil(1024 * 1024),
            limit / (1024 * 1024)
        )
    };
    if said > limit {
        return Err(too_large(said));
    }
    let mut text = String::new();
    file.take(limit + 1)
        .read_to_string(&mut text)
        .with_context(unreadable)?;
    if text.len() as u64 > limit {
        return Err(too_large(text.len() as u64));
    }
    Ok(text)
}
