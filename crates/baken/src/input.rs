//! Files the command line reads whole: their size is checked before anything is read, so a
//! file that is too large gets an error naming the limit instead of taking the memory.

use anyhow::{bail, Context, Result};
use std::path::Path;

/// Configuration and mapping files (TOML): a few kilobytes in practice.
pub const SETTINGS_BYTES: u64 = 1024 * 1024;

/// Area boundaries (GeoJSON) and area values: a detailed file of all Dutch buurten is a few
/// hundred megabytes at most; every polygon is limited again by `baken_geo::MAX_VERTICES`.
pub const AREA_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The text of the file at `path`, refused when it is larger than `limit` bytes; `what` names
/// the file in messages ("--mapping: …").
pub fn read_text(path: &Path, limit: u64, what: &str) -> Result<String> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("{what}{} is niet te lezen", path.display()))?
        .len();
    if size > limit {
        bail!(
            "{what}{} is {} MiB; de grens is {} MiB",
            path.display(),
            size.div_ceil(1024 * 1024),
            limit / (1024 * 1024)
        );
    }
    std::fs::read_to_string(path)
        .with_context(|| format!("{what}{} is niet te lezen", path.display()))
}
