//! Triage of signals, dossiers and linking: the use cases a person starts from a signal or a
//! dossier, and the full relink.

use baken_core::access::DossierReason;
use baken_core::signal::Assignment;
use baken_core::status::StatusChange;
use baken_core::Caller;
use baken_link::KindThreshold;
use baken_store::{Actor, Dossier, RelinkProgress, RelinkSummary, Result, SignalDetail};
use uuid::Uuid;

use crate::Operations;

impl Operations {
    /// Assigns a signal to a colleague of its owning organisation and/or a team.
    pub async fn assign_signal(
        &self,
        caller: &Caller,
        signal: Uuid,
        assignment: Assignment,
    ) -> Result<SignalDetail> {
        self.store
            .assign_signal(caller, signal, assignment, self.clock.now())
            .await
    }

    /// Corrects a signal after intake; each changed field is kept in its history.
    pub async fn correct_signal(
        &self,
        caller: &Caller,
        signal: Uuid,
        correction: baken_core::signal::SignalCorrection,
    ) -> Result<SignalDetail> {
        self.store
            .correct_signal(caller, signal, correction, self.clock.now())
            .await
    }

    /// Moves a signal to another status, with the reason kept in its history.
    pub async fn change_signal_status(
        &self,
        caller: &Caller,
        signal: Uuid,
        change: StatusChange,
    ) -> Result<SignalDetail> {
        self.store
            .change_signal_status(caller, signal, change, self.clock.now())
            .await
    }

    /// Opens a dossier by one of its mentions the caller may see (its number, as the
    /// caller knows it); a person's needs a stated reason, recorded as the purpose of the
    /// read.
    pub async fn open_dossier(
        &self,
        caller: &Caller,
        mention: Uuid,
        reason: Option<&DossierReason>,
    ) -> Result<Dossier> {
        self.store
            .dossier_of(caller, mention, reason, self.clock.now())
            .await
    }

    /// Sets the threshold from which mentions of one kind link.
    pub async fn set_link_threshold(&self, caller: &Caller, setting: KindThreshold) -> Result<()> {
        self.store
            .set_link_threshold(caller, setting, self.clock.now())
            .await
    }

    /// Relinks every stored subject with the current thresholds.
    pub async fn relink(
        &self,
        actor: &Actor,
        progress: &dyn RelinkProgress,
    ) -> Result<RelinkSummary> {
        self.store.relink(actor, progress, self.clock.now()).await
    }
}
