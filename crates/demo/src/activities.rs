//! The demo's activities: HackShield classes per school year as the plan counts them (17 in
//! 2022–2023, 37 in 2023–2024, 47 in 2024–2025), and a year of
//! awareness sessions, trainings and a campaign. Titles and schools are invented.

use baken_core::activity::{ActivityKind, NewActivity};
use baken_core::Caller;
use baken_store::{Store, StoreError};
use time::{Date, Duration, Month, OffsetDateTime};

/// HackShield classes per school year (start year, classes).
pub const HACKSHIELD_CLASSES: [(i32, u32); 3] = [(2022, 17), (2023, 37), (2024, 47)];

const SCHOOLS: [&str; 6] = [
    "basisschool De Wijert",
    "basisschool Het Karrepad",
    "basisschool De Petteflet",
    "OBS Selwerd",
    "CBS De Fontein",
    "basisschool De Starter",
];

pub(crate) async fn activities(
    store: &dyn Store,
    analist: &Caller,
    now: OffsetDateTime,
) -> Result<usize, StoreError> {
    let today = baken_core::calendar::local_date(now);
    let mut n = 0;
    for (start, classes) in HACKSHIELD_CLASSES {
        let first = Date::from_calendar_date(start, Month::September, 1)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        for c in 0..classes {
            // Spread over September–June (about 280 days), never after today.
            let held_on = first + Duration::days(i64::from(c * 280 / classes));
            if held_on > today {
                continue;
            }
            // A groep 7/8 class: 22 to 28 pupils.
            let trained = 22 + c % 7;
            store
                .record_activity(
                    analist,
                    NewActivity {
                        kind: ActivityKind::SchoolClass,
                        title: "HackShield-les".into(),
                        held_on,
                        audience: format!("groep 7/8, {}", SCHOOLS[c as usize % SCHOOLS.len()]),
                        theme: "cybercrime".into(),
                        reached: trained,
                        sessions: 1,
                        notes: String::new(),
                    },
                    now,
                )
                .await?;
            n += 1;
        }
    }
    let others: [(ActivityKind, &str, &str, &str, i64, u32); 5] = [
        (
            ActivityKind::Awareness,
            "Voorlichting ondermijning voor makelaars",
            "makelaars en notarissen",
            "vastgoed",
            300,
            35,
        ),
        (
            ActivityKind::Training,
            "Training signalen herkennen voor wijkteams",
            "medewerkers WIJ Groningen",
            "mensenhandel",
            200,
            48,
        ),
        (
            ActivityKind::Campaign,
            "Campagne 'Jouw schuur, hun hennep?'",
            "agrariërs buitengebied",
            "buitengebied",
            150,
            900,
        ),
        (
            ActivityKind::Awareness,
            "Voorlichting pgb-fraude voor zorgconsulenten",
            "zorgconsulenten",
            "zorgfraude",
            90,
            22,
        ),
        (
            ActivityKind::Training,
            "Training bestuurlijke rapportage 13b",
            "handhavers",
            "drugs",
            30,
            15,
        ),
    ];
    for (kind, title, audience, theme, days_ago, reached) in others {
        store
            .record_activity(
                analist,
                NewActivity {
                    kind,
                    title: title.into(),
                    held_on: today - Duration::days(days_ago),
                    audience: audience.into(),
                    theme: theme.into(),
                    reached,
                    sessions: 1,
                    notes: String::new(),
                },
                now,
            )
            .await?;
        n += 1;
    }
    Ok(n)
}
