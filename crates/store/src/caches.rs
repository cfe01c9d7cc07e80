//! What a store keeps in memory between requests, each with the version in `meta` it was
//! read at, so several processes on one database stay in step.

use crate::AreaShapes;
use baken_core::catalogue::Catalogue;
use baken_core::model::AreaKind;
use baken_geo::AreaIndex;
use std::collections::HashMap;
use std::sync::Arc;

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
/// `CatalogueStore`, which writes a new version in the same transaction.
#[derive(Default)]
pub(crate) struct CatalogueCache(pub(crate) tokio::sync::RwLock<Option<(String, Arc<Catalogue>)>>);
