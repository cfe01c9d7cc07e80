//! What a store keeps in memory between requests, each with the version in `meta` it was
//! read at, so several processes on one database stay in step.

use crate::AreaShapes;
use baken_core::catalogue::Catalogue;
use baken_core::model::AreaKind;
use baken_geo::AreaIndex;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The spatial index and the shapes of the stored areas, rebuilt when an area import changes
/// them (the `areas_version` in `meta` tells, so several application servers stay in step).
#[derive(Default)]
pub(crate) struct AreaCache {
    /// The spatial index and the `areas_version` it was built from.
    pub(crate) index: tokio::sync::RwLock<Option<(String, Arc<AreaIndex>)>>,
    /// The parsed shapes per kind and the `areas_version` they were read at.
    pub(crate) shapes: tokio::sync::RwLock<HashMap<AreaKind, (String, AreaShapes)>>,
}

/// The catalogue of themes and indicators as last read, with the `catalogue_version` in `meta`
/// it was read at: every list and form asks for it, and it changes only through
/// `CatalogueStore`, which writes a new version in the same transaction. The version is
/// compared at most once every [`CATALOGUE_RECHECK`]: a change made by another process is
/// seen within that time, one made by this process at once ([`CatalogueCache::forget`]).
#[derive(Default)]
pub(crate) struct CatalogueCache {
    read: tokio::sync::RwLock<Option<(String, Arc<Catalogue>)>>,
    /// When the stored version was last found to be the cached one.
    checked: std::sync::Mutex<Option<Instant>>,
}

/// How long a catalogue found current is used without asking the database again: each page
/// and list asked (a round trip of its own, and one more as the connection went back).
pub const CATALOGUE_RECHECK: Duration = Duration::from_secs(1);

impl CatalogueCache {
    /// The cached catalogue, when its version was found current less than
    /// [`CATALOGUE_RECHECK`] ago.
    pub(crate) async fn recent(&self) -> Option<Arc<Catalogue>> {
        let fresh = self
            .checked
            .lock()
            .ok()
            .and_then(|checked| *checked)
            .is_some_and(|at| at.elapsed() < CATALOGUE_RECHECK);
        if !fresh {
            return None;
        }
        self.read.read().await.as_ref().map(|(_, c)| Arc::clone(c))
    }

    /// The cached catalogue if it was read at `version` (which is then current).
    pub(crate) async fn at(&self, version: &str) -> Option<Arc<Catalogue>> {
        let found = match self.read.read().await.as_ref() {
            Some((read_at, catalogue)) if read_at == version => Arc::clone(catalogue),
            _ => return None,
        };
        self.mark_checked();
        Some(found)
    }

    /// Keeps `catalogue`, read at `version`, which is current.
    pub(crate) async fn keep(&self, version: String, catalogue: Arc<Catalogue>) {
        *self.read.write().await = Some((version, catalogue));
        self.mark_checked();
    }

    /// After this process changed the catalogue: the next request reads the version again.
    pub(crate) fn forget(&self) {
        if let Ok(mut checked) = self.checked.lock() {
            *checked = None;
        }
    }

    fn mark_checked(&self) {
        if let Ok(mut checked) = self.checked.lock() {
            *checked = Some(Instant::now());
        }
    }
}
