//! Baken's application layer: the use cases that combine the store, the statistics and the
//! rules — assigning and changing the status of a signal, opening a dossier, setting link
//! thresholds and relinking, the deviation table and the comparison on an area page, importing
//! field objects. The web edge and the command line both call [`Operations`]; they only
//! translate HTTP or arguments, and say outcomes in Dutch with [`wording`].
//!
//! Invariants:
//! - Every use case takes the [`Caller`](baken_core::Caller) (or an
//!   [`Actor`](baken_store::Actor)) and reads the time from the injected clock, never from the
//!   system.
//! - Access and audit stay in the store; this layer adds no access rule of its own.

pub mod access_review;
pub mod audit_export;
pub mod import_report;
pub mod inzage;
pub mod labels;
pub mod objects;
pub mod pdf;
pub mod picture;
pub mod report;
mod signals;
pub mod wording;

use baken_core::access::Suppression;
use baken_core::Clock;
use baken_store::SharedStore;
use std::sync::Arc;

pub use picture::{AreaComparison, AreaTable, ThemeComparison, ALPHA, METHOD};

/// The use cases, with what they need: the store, the clock and the settings that shape
/// their answers.
#[derive(Clone)]
pub struct Operations {
    store: SharedStore,
    clock: Arc<dyn Clock>,
    suppression: Suppression,
}

impl Operations {
    pub fn new(store: SharedStore, clock: Arc<dyn Clock>, suppression: Suppression) -> Self {
        Self {
            store,
            clock,
            suppression,
        }
    }

    pub fn store(&self) -> &SharedStore {
        &self.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// From how many signals a count is shown to those who see only aggregates.
    pub fn suppression(&self) -> Suppression {
        self.suppression
    }
}
