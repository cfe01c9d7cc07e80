//! The demo's case table: the signals the municipality's analyst sent to a case in triage,
//! bundled per theme into cases of a few signals each, with the case-table member named on
//! every case and the police at the table for the themes the convenant shares; older cases
//! have moved on (discussed, and the oldest closed), and every case has a follow-up date.

use baken_core::case::{CaseStatus, CaseStatusChange, NewCase, NewMember};
use baken_core::catalogue::Catalogue;
use baken_core::model::Classification;
use baken_core::Caller;
use baken_store::{Store, StoreError};
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A signal the analyst sent to the case table, with its theme and when.
pub(crate) struct ToCase {
    pub(crate) signal: Uuid,
    pub(crate) theme: &'static str,
    pub(crate) at: OffsetDateTime,
}

/// A case the demo opened.
pub(crate) struct DemoCase {
    pub(crate) id: Uuid,
    pub(crate) theme: &'static str,
    pub(crate) opened: OffsetDateTime,
}

/// At most this many cases per theme, of at most this many signals each.
const CASES_PER_THEME: usize = 3;
const SIGNALS_PER_CASE: usize = 3;

pub(crate) async fn case_table(
    store: &dyn Store,
    analist: &Caller,
    (table_member, chair, police): (Uuid, Uuid, Uuid),
    catalogue: &Catalogue,
    to_case: Vec<ToCase>,
    now: OffsetDateTime,
) -> Result<Vec<DemoCase>, StoreError> {
    let mut per_theme: BTreeMap<&'static str, Vec<ToCase>> = BTreeMap::new();
    for t in to_case {
        per_theme.entry(t.theme).or_default().push(t);
    }
    let mut made = Vec::new();
    for (theme, sent) in per_theme {
        for (k, chunk) in sent
            .chunks(SIGNALS_PER_CASE)
            .take(CASES_PER_THEME)
            .enumerate()
        {
            let Some(opened) = chunk.last().map(|t| t.at) else {
                continue;
            };
            let case = NewCase {
                title: format!("{} – casus {}", catalogue.theme_name(theme), k + 1),
                description: "Gebundeld uit signalen die in de triage naar de casustafel zijn \
                              verwezen (demodata, verzonnen)."
                    .into(),
                themes: vec![theme.to_string()],
                classification: Classification::Intern,
                follow_up_on: Some(baken_core::calendar::local_date(
                    opened + Duration::weeks(6),
                )),
            };
            let signals: Vec<Uuid> = chunk.iter().map(|t| t.signal).collect();
            let id = store.create_case(analist, case, &signals, opened).await?;
            for person in [table_member, chair] {
                store
                    .add_case_member(analist, id, NewMember::User(person), opened)
                    .await?;
            }
            if matches!(theme, "drugs" | "mensenhandel") {
                store
                    .add_case_member(analist, id, NewMember::Organisation(police), opened)
                    .await?;
            }
            let steps = [
                (
                    Duration::days(14),
                    CaseStatus::Active,
                    "Besproken aan de casustafel; aanpak afgesproken",
                ),
                (
                    Duration::days(120),
                    CaseStatus::Closed,
                    "Aanpak uitgevoerd; casus afgesloten",
                ),
            ];
            for (after, to, reason) in steps {
                let at = opened + after;
                if at > now {
                    break;
                }
                let change = CaseStatusChange {
                    to,
                    reason: reason.into(),
                };
                store.change_case_status(analist, id, change, at).await?;
            }
            made.push(DemoCase { id, theme, opened });
        }
    }
    Ok(made)
}
