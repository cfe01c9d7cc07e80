//! What a store keeps in memory between requests, each with the version in `meta` it was
//! read at, so several processes on one database stay in step.

use crate::AreaShapes;
use baken_core::catalogue::Catalogue;
use baken_core::model::{Area, AreaKind};
use baken_core::picture::{AreaBase, BaseKind};
use baken_geo::AreaIndex;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a version in `meta` found current is trusted without asking the database again:
/// every page asked for the catalogue's, every map and picture for the areas' (a round trip of
/// its own, and one more as the connection went back to the pool). A change made by another
/// process is seen within this time, one made by this process at once
/// ([`VersionCheck::forget`]).
pub const VERSION_RECHECK: Duration = Duration::from_secs(1);

/// A version in `meta` as last found, trusted for [`VERSION_RECHECK`].
#[derive(Default)]
pub(crate) struct VersionCheck(std::sync::Mutex<Found>);

#[derive(Default)]
struct Found {
    /// Counts this process's own changes ([`VersionCheck::forget`]).
    generation: u64,
    /// When the version was read, and the version.
    version: Option<(Instant, String)>,
}

/// A read of the version about to begin: when, and after which of this process's changes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reading {
    at: Instant,
    generation: u64,
}

impl VersionCheck {
    /// The version, when it was read less than [`VERSION_RECHECK`] ago.
    pub(crate) fn recent(&self) -> Option<String> {
        let found = self.0.lock().ok()?;
        match found.version.as_ref() {
            Some((at, version)) if at.elapsed() < VERSION_RECHECK => Some(version.clone()),
            _ => None,
        }
    }

    /// Call before reading the version from `meta`.
    pub(crate) fn reading(&self) -> Reading {
        let generation = self.0.lock().map_or(0, |found| found.generation);
        Reading {
            at: Instant::now(),
            generation,
        }
    }

    /// The version as read by `reading`: kept unless this process changed it since the read
    /// began (the read may have seen the old one) or a later read is kept already.
    pub(crate) fn found(&self, reading: Reading, version: &str) {
        if let Ok(mut found) = self.0.lock() {
            let later_kept = found
                .version
                .as_ref()
                .is_some_and(|(at, _)| *at > reading.at);
            if found.generation == reading.generation && !later_kept {
                found.version = Some((reading.at, version.to_string()));
            }
        }
    }

    /// After this process wrote a new version: the next request reads it, and no read begun
    /// before is kept.
    pub(crate) fn forget(&self) {
        if let Ok(mut found) = self.0.lock() {
            found.generation += 1;
            found.version = None;
        }
    }
}

/// What was read from the database, by key (`()` for one thing), each with the version in
/// `meta` it was read at: a reader asks for it at the version it found current.
pub(crate) struct Kept<K, T>(tokio::sync::RwLock<HashMap<K, (String, T)>>);

impl<K, T> Default for Kept<K, T> {
    fn default() -> Self {
        Self(tokio::sync::RwLock::new(HashMap::new()))
    }
}

impl<K: Eq + std::hash::Hash, T: Clone> Kept<K, T> {
    /// What is kept for `key`, if it was read at `version`.
    async fn at(&self, key: &K, version: &str) -> Option<T> {
        match self.0.read().await.get(key) {
            Some((read_at, value)) if read_at == version => Some(value.clone()),
            _ => None,
        }
    }

    /// What is kept for `key` at `version`, or else what `read` reads, kept.
    pub(crate) async fn or_read<F>(&self, key: K, version: String, read: F) -> crate::Result<T>
    where
        F: std::future::Future<Output = crate::Result<T>>,
    {
        if let Some(value) = self.at(&key, &version).await {
            return Ok(value);
        }
        let value = read.await?;
        self.0.write().await.insert(key, (version, value.clone()));
        Ok(value)
    }
}

/// What is kept of the stored areas — the spatial index, the shapes, the directory and the
/// bases —, read again when an import of areas or bases changes them (the `areas_version` in
/// `meta` tells, so several application servers stay in step).
#[derive(Default)]
pub(crate) struct AreaCache {
    /// The spatial index, at the `areas_version` it was built from.
    pub(crate) index: Kept<(), Arc<AreaIndex>>,
    /// The parsed shapes per kind.
    pub(crate) shapes: Kept<AreaKind, AreaShapes>,
    /// Every area by code.
    pub(crate) directory: Kept<(), Arc<AreaDirectory>>,
    /// The newest bases per kind (an import of bases writes a new `areas_version` too).
    pub(crate) bases: Kept<BaseKind, Vec<AreaBase>>,
    /// The `areas_version` as last found (what maps and pictures show; placing a signal reads
    /// the current one).
    pub(crate) version: VersionCheck,
}

/// The newest version of every area, and the children of each: what an area page names
/// besides the area itself (its parent, its buurten), read once per area import instead of
/// three queries per page.
pub(crate) struct AreaDirectory {
    newest: HashMap<String, Area>,
    /// The newest versions whose parent is the key, by code.
    children: HashMap<String, Vec<Area>>,
}

impl AreaDirectory {
    /// From every stored version of every area, in any order.
    pub(crate) fn of(versions: impl IntoIterator<Item = Area>) -> Self {
        let mut newest: HashMap<String, Area> = HashMap::new();
        for area in versions {
            match newest.get(&area.code) {
                Some(kept) if kept.year >= area.year => {}
                _ => {
                    newest.insert(area.code.clone(), area);
                }
            }
        }
        let mut children: HashMap<String, Vec<Area>> = HashMap::new();
        for area in newest.values() {
            if let Some(parent) = &area.parent {
                children
                    .entry(parent.clone())
                    .or_default()
                    .push(area.clone());
            }
        }
        for list in children.values_mut() {
            list.sort_by(|a, b| a.code.cmp(&b.code));
        }
        Self { newest, children }
    }

    /// The newest version of the area with this code.
    pub(crate) fn area(&self, code: &str) -> Option<Area> {
        self.newest.get(code).cloned()
    }

    /// The areas whose newest version has `code` as parent, by code.
    pub(crate) fn children(&self, code: &str) -> Vec<Area> {
        self.children.get(code).cloned().unwrap_or_default()
    }
}

/// The catalogue of themes and indicators as last read, with the `catalogue_version` in `meta`
/// it was read at: every list and form asks for it, and it changes only through
/// `CatalogueStore`, which writes a new version in the same transaction.
#[derive(Default)]
pub(crate) struct CatalogueCache {
    pub(crate) read: Kept<(), Arc<Catalogue>>,
    /// The `catalogue_version` as last found.
    pub(crate) version: VersionCheck,
}
