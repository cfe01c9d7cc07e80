//! The storage interface of privacy as a product (issue 18): the verwijsindex (hit/no-hit),
//! the inzage and retention that deletes. Implemented by the engines in
//! `engine/referrals.rs`, `engine/access_request.rs` and `engine/retention.rs`.

use crate::{Actor, PersonFound, PersonRecord, Referral, Result};
use async_trait::async_trait;
use baken_core::Caller;
use time::OffsetDateTime;
use uuid::Uuid;

/// The verwijsindex: hit/no-hit under agreements (issue 18, pt 5).
#[async_trait]
pub trait ReferralStore: Send + Sync {
    /// The other parties of the caller's agreements with a verwijsindex, valid today, that
    /// hold the same subject in a signal outside Bibob within the agreement's themes, each
    /// with the agreement's contact point; never what they hold. Audited on both sides.
    async fn referrals(
        &self,
        caller: &Caller,
        subject: &baken_core::subject::NewSubject,
        now: OffsetDateTime,
    ) -> Result<Vec<Referral>>;
}

/// Inzage: everything the organisation holds about one person (issue 18, pt 7).
#[async_trait]
pub trait AccessRequestStore: Send + Sync {
    /// The organisation's person mentions whose name holds `name` (folded), with how many of
    /// its non-Bibob signals name each (the privacy officer; audited without the name).
    async fn find_persons(
        &self,
        caller: &Caller,
        name: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<PersonFound>>;
    /// Everything the caller's organisation holds about the person of `mention` (one of its
    /// own, outside Bibob): audited, and itself a line in the processing log.
    async fn access_request(
        &self,
        caller: &Caller,
        mention: Uuid,
        now: OffsetDateTime,
    ) -> Result<PersonRecord>;
}

/// Retention that deletes (issue 18, pt 6; `baken_core::retention`).
#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// Deletes (or in a dry run only counts) what is past its retention: signals past their
    /// "bewaren tot" day that nothing followed up, cases closed and Bibob files decided longer
    /// ago than `rules` keep them — each with everything of it, leaving a tombstone, unless a
    /// legal hold keeps it —, the processing log's lines past their period, and the content of
    /// audit events past theirs (the events and hashes stay). A batch at a time, each audited.
    async fn purge(
        &self,
        mode: baken_core::retention::PurgeMode,
        rules: &baken_core::retention::RetentionRules,
        now: OffsetDateTime,
    ) -> Result<baken_core::retention::PurgeReport>;
    /// Places a legal hold on a signal, case or intervention (the command line or a
    /// beheerder; audited). `NotFound` for an id that is none of them.
    async fn place_hold(
        &self,
        actor: &Actor,
        record: Uuid,
        ground: baken_core::retention::HoldGround,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// Lifts every hold on a record (audited); how many.
    async fn lift_holds(&self, actor: &Actor, record: Uuid, now: OffsetDateTime) -> Result<u64>;
    /// When a record was purged, if it was (its tombstone).
    async fn purged_at(&self, record: Uuid) -> Result<Option<OffsetDateTime>>;
}
