//! The demo's commitments: per theme what the Groningen plan promised and plans
//! ("Wat hadden we beloofd / Wat gaan we doen"), some realised, some running, some planned
//! for next year, linked to the demo's interventions, activities and barrier models that
//! show the progress. The texts paraphrase the plan; owners are invented teams.

use baken_core::commitment::{
    CommitmentKind, CommitmentLinkKind, CommitmentStatus, CommitmentStatusChange, NewCommitment,
    NewCommitmentLink,
};
use baken_core::intervention::{InterventionFilter, InterventionKind};
use baken_core::Caller;
use baken_store::{Store, StoreError};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// A commitment of the demo: theme, kind, text, owner, due day, status, evidence.
type Entry = (
    &'static str,
    CommitmentKind,
    &'static str,
    &'static str,
    Option<Date>,
    CommitmentStatus,
    Evidence,
);

/// What the progress of a commitment is shown by.
enum Evidence {
    None,
    Interventions(InterventionKind),
    BarrierModel,
    SchoolClasses,
}

pub(crate) async fn commitments(
    store: &dyn Store,
    analist: &Caller,
    now: OffsetDateTime,
) -> Result<usize, StoreError> {
    use CommitmentKind::{Plan, Promise};
    use CommitmentStatus::{Done, InProgress, Open};
    let today = baken_core::calendar::local_date(now);
    let end_of_year = Date::from_calendar_date(today.year(), time::Month::December, 31)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let next_year = end_of_year + Duration::days(365);
    let plans: [Entry; 10] = [
        (
            "buitengebied",
            Promise,
            "Alle agrarische bedrijven in het buitengebied bezoeken (erfbezoeken).",
            "Team Buitengebied",
            None,
            Done,
            Evidence::None,
        ),
        (
            "buitengebied",
            Plan,
            "Leegstaande objecten in het buitengebied in kaart brengen.",
            "Team Buitengebied",
            Some(end_of_year),
            InProgress,
            Evidence::None,
        ),
        (
            "buitengebied",
            Plan,
            "Agrariërs terugkoppelen wat er met hun meldingen is gebeurd.",
            "Team Buitengebied",
            Some(next_year),
            Open,
            Evidence::None,
        ),
        (
            "drugs",
            Promise,
            "Panden sluiten bij drugshandel (art. 13b Opiumwet), met zorg besproken waar dat kan.",
            "Team Handhaving",
            None,
            InProgress,
            Evidence::Interventions(InterventionKind::Closure),
        ),
        (
            "drugs",
            Promise,
            "Straathandel aanpakken met een last onder dwangsom.",
            "Team Handhaving",
            None,
            InProgress,
            Evidence::Interventions(InterventionKind::PenaltyOrder),
        ),
        (
            "mensenhandel",
            Promise,
            "Integrale controles ook laten kijken naar signalen van mensenhandel.",
            "Team Ondermijning",
            None,
            Done,
            Evidence::Interventions(InterventionKind::Control),
        ),
        (
            "zorgfraude",
            Promise,
            "Het barrièremodel pgb-fraude toepassen en de hiaten dichten.",
            "Team Zorgfraude",
            None,
            InProgress,
            Evidence::BarrierModel,
        ),
        (
            "bedrijventerreinen",
            Plan,
            "Zes schouwen op bedrijventerreinen per jaar.",
            "Team Bedrijventerreinen",
            Some(end_of_year),
            InProgress,
            Evidence::None,
        ),
        (
            "cybercrime",
            Promise,
            "HackShield-lessen op basisscholen geven.",
            "Team Veiligheid",
            None,
            Done,
            Evidence::SchoolClasses,
        ),
        (
            "vastgoed",
            Plan,
            "De campagne Meld Misdaad Anoniem voor vastgoed voortzetten.",
            "Team Ondermijning",
            Some(next_year),
            Open,
            Evidence::None,
        ),
    ];
    let models = store.barrier_models(analist, now).await?;
    let activities = store
        .activities(analist, baken_core::page::PageRequest::LONG_LIST, now)
        .await?
        .items;
    let count = plans.len();
    for (theme, kind, text, owner, due_on, status, evidence) in plans {
        let id = store
            .create_commitment(
                analist,
                NewCommitment {
                    theme: theme.into(),
                    kind,
                    text: text.into(),
                    owner: owner.into(),
                    due_on,
                },
                now,
            )
            .await?;
        if status != Open {
            store
                .change_commitment_status(
                    analist,
                    id,
                    CommitmentStatusChange {
                        to: status,
                        reason: "stand uit de herijking van het uitvoeringsplan".into(),
                    },
                    now,
                )
                .await?;
        }
        let links: Vec<(CommitmentLinkKind, Uuid)> = match evidence {
            Evidence::None => Vec::new(),
            Evidence::Interventions(kind) => store
                .interventions(
                    analist,
                    InterventionFilter {
                        kind: Some(kind),
                        ..InterventionFilter::default()
                    },
                    baken_core::page::PageRequest::LONG_LIST,
                    now,
                )
                .await?
                .items
                .iter()
                .take(3)
                .map(|i| (CommitmentLinkKind::Intervention, i.id))
                .collect(),
            Evidence::BarrierModel => models
                .iter()
                .filter(|m| m.template == baken_core::barrier::BarrierTemplate::PgbFraud)
                .map(|m| (CommitmentLinkKind::BarrierModel, m.id))
                .collect(),
            Evidence::SchoolClasses => activities
                .iter()
                .filter(|a| a.kind == baken_core::activity::ActivityKind::SchoolClass)
                .take(2)
                .map(|a| (CommitmentLinkKind::Activity, a.id))
                .collect(),
        };
        for (kind, target) in links {
            store
                .link_commitment(analist, id, NewCommitmentLink { kind, id: target }, now)
                .await?;
        }
    }
    Ok(count)
}
