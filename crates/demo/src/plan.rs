//! The scenario "Groningen 2023–2025" (`baken demo --scenario groningen-plan`): the register
//! as it would stand had the municipality used Baken for the years its plan review reports
//! on, so that the report, computed from these records, shows the plan's figures
//! (plan-figures.toml): Bibob screenings by year, kind and outcome with the LBB requests,
//! the 2025 screenings until 7 March, 13b closures with care discussed and the police reports
//! behind them, lasten onder dwangsom for street dealing, and the integrated controls of 2024
//! by branch and partner (eight of them also on trafficking). Farm visits, business-park
//! inspections, the PGB barrier model and the HackShield classes come from the base demo.
//!
//! Where the plan contradicts itself the scenario follows its totals: the 2024 Bibob kinds
//! add up to 114 against a total of 109, so there are 53 omgevingsvergunningen, not 58.
//! The 2025 "alcohol- en exploitatievergunning" applications count as alcoholvergunningen.
//! Names, addresses and days are invented.

use crate::interventions::{bibob, closure, control, sanction};
use baken_core::intervention::details::RawDetails;
use baken_core::intervention::{InterventionKind, NewIntervention, NewStep};
use baken_core::procedure::Length;
use baken_core::Caller;
use baken_geo::AreaIndex;
use baken_store::{Store, StoreError};
use time::macros::date;
use time::{Date, Duration, OffsetDateTime};

/// (machine name, count).
pub type Counts = &'static [(&'static str, usize)];

/// Bibob screenings per year as the plan reports them: (year, [(decision kind, count)],
/// [(outcome, count)] besides "verleend", LBB advice requests).
pub const BIBOB_YEARS: [(i32, Counts, Counts, usize); 2] = [
    (
        2023,
        &[
            ("omgevingsvergunning", 65),
            ("alcoholvergunning", 34),
            ("seksbedrijf", 2),
            ("vastgoedtransactie", 2),
        ],
        &[("geweigerd", 3), ("verleend-onder-voorschriften", 1)],
        8,
    ),
    (
        2024,
        &[
            ("omgevingsvergunning", 53),
            ("alcoholvergunning", 47),
            ("seksbedrijf", 4),
            ("coffeeshop", 2),
            ("vastgoedtransactie", 2),
            ("overheidsopdracht", 1),
        ],
        &[
            ("geweigerd", 2),
            ("ingetrokken", 2),
            ("verleend-onder-voorschriften", 1),
        ],
        7,
    ),
];

/// The 2025 screenings until 7 March: 40 started, of which 18 decided by then.
pub const BIBOB_2025_UNTIL: Date = date!(2025 - 03 - 07);
pub const BIBOB_2025_DECIDED: [(&str, usize); 3] = [
    ("omgevingsvergunning", 8),
    ("alcoholvergunning", 6),
    ("exploitatievergunning-horeca", 4),
];
pub const BIBOB_2025_RUNNING: usize = 22;

/// 13b closures per year and how many of them discussed care; police reports per year (the
/// reports that did not lead to a closure led to a warning).
pub const CLOSURES: [(i32, usize, usize, usize); 2] = [(2023, 13, 8, 24), (2024, 16, 10, 29)];

/// Lasten onder dwangsom for street dealing started per year.
pub const PENALTY_ORDERS: [(i32, usize); 2] = [(2024, 3), (2025, 4)];

/// The integrated controls of 2024: (branch, count, of which also on trafficking).
pub const CONTROLS_2024: [(&str, usize, usize); 7] = [
    ("horeca", 4, 2),
    ("detailhandel", 2, 1),
    ("garageboxen", 2, 1),
    ("autobranche", 2, 1),
    ("maaltijdbezorgers", 2, 2),
    ("kermis", 1, 0),
    ("huisvesting", 1, 1),
];

const PARTNERS: [&str; 8] = [
    "douane",
    "politie",
    "nla",
    "nvwa",
    "omgevingsdienst",
    "rdw",
    "uwv",
    "reakt",
];

const STREETS: [&str; 12] = [
    "Herestraat",
    "Oude Ebbingestraat",
    "Nieuwe Ebbingestraat",
    "Oosterstraat",
    "Zuiderdiep",
    "Vismarkt",
    "Korreweg",
    "Paterswoldseweg",
    "Helperzoom",
    "Friesestraatweg",
    "Hoendiep",
    "Damsterdiep",
];

fn address(n: usize) -> String {
    format!(
        "{} {}, Groningen",
        STREETS[n % STREETS.len()],
        1 + n * 7 % 180
    )
}

struct Entry {
    kind: InterventionKind,
    title: String,
    address: String,
    details: RawDetails,
    steps: Vec<(&'static str, Date, Option<Length>)>,
    location: Option<(f64, f64)>,
}

/// Wijken the scenario's closed premises lie in, with a point in each (WGS84) from which eight
/// premises 90 m apart northwards lie inside the wijk's CBS boundary (data/cbs).
const CLOSURE_WIJKEN: [(&str, f64, f64); 4] = [
    ("WK001403", 53.2332, 6.5586),
    ("WK001404", 53.2203, 6.5730),
    ("WK001401", 53.2149, 6.5202),
    ("WK001409", 53.2356, 6.5730),
];

/// Closed premises `n` and the comparable premises without a measure in the same buurt (the
/// nearest of a few points 100–400 m east or west: closed premises of a wijk lie on one
/// meridian, 90 m apart, so none of these is near another's), with the wijk code.
fn premises(n: usize, buurten: &AreaIndex) -> ((f64, f64), (f64, f64), &'static str) {
    let (wijk, lat, lon) = CLOSURE_WIJKEN[n % CLOSURE_WIJKEN.len()];
    let k = (n / CLOSURE_WIJKEN.len()) as f64;
    let closed = (lat + 0.0008 * k, lon);
    let buurt = |(lat, lon): (f64, f64)| buurten.locate(lon, lat).first().map(|a| a.code.clone());
    let home = buurt(closed);
    let compared = [
        0.006, -0.006, 0.004, -0.004, 0.003, -0.003, 0.002, -0.002, 0.0015, -0.0015,
    ]
    .into_iter()
    .map(|d| (closed.0, closed.1 + d))
    .find(|p| buurt(*p) == home)
    .unwrap_or((closed.0, closed.1 + 0.0015));
    (closed, compared, wijk)
}

async fn register(
    store: &dyn Store,
    by: &Caller,
    entry: Entry,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let opened_on = entry.steps.first().map_or(now.date(), |(_, d, _)| *d);
    let details = entry
        .details
        .parse(entry.kind)
        .map_err(StoreError::Invalid)?;
    let id = store
        .create_intervention(
            by,
            NewIntervention {
                kind: entry.kind,
                title: entry.title,
                case: None,
                object: None,
                address: entry.address,
                location: entry.location.and_then(|(lat, lon)| {
                    baken_core::signal::Coordinates::parse(&lat.to_string(), &lon.to_string()).ok()
                }),
                opened_on,
                details,
            },
            now,
        )
        .await?;
    for (step, on, length) in entry.steps {
        let new = NewStep {
            step: step.into(),
            on,
            length,
            note: String::new(),
        };
        store.record_step(by, id, new, now).await?;
    }
    Ok(())
}

fn day(year: i32, ordinal: i64) -> Date {
    Date::from_ordinal_date(year, 1).unwrap_or(date!(2023 - 01 - 01)) + Duration::days(ordinal)
}

/// One screening: with the LBB asked (and an intention before a refusal or revocation), or
/// decided after the own investigation.
fn screening(
    kind: &str,
    outcome: &str,
    advice: bool,
    opened: Date,
    decided_after: i64,
    n: usize,
) -> Entry {
    let mut steps: Vec<(&'static str, Date, Option<Length>)> =
        vec![("aanvraag-ontvangen", opened, None)];
    let negative = matches!(outcome, "geweigerd" | "ingetrokken");
    if advice {
        steps.push((
            "eigen-onderzoek-afgerond",
            opened + Duration::days(10),
            None,
        ));
        steps.push(("betrokkene-geinformeerd", opened + Duration::days(11), None));
        steps.push(("advies-aangevraagd", opened + Duration::days(12), None));
        steps.push(("advies-ontvangen", opened + Duration::days(60), None));
        if negative {
            steps.push(("voornemen-verstuurd", opened + Duration::days(65), None));
            steps.push(("zienswijze-ontvangen", opened + Duration::days(75), None));
        }
        steps.push(("besluit", opened + Duration::days(85), None));
    } else {
        steps.push((
            "eigen-onderzoek-afgerond",
            opened + Duration::days(decided_after - 3),
            None,
        ));
        steps.push(("besluit", opened + Duration::days(decided_after), None));
    }
    let (trigger, own) = if advice {
        ("riec", "indicaties")
    } else {
        ("beleidslijn", "geen-indicaties")
    };
    Entry {
        kind: InterventionKind::Bibob,
        title: format!("Bibob-toets {kind} {n:03}"),
        address: address(n),
        location: None,
        details: RawDetails {
            application_ref: format!("Z-{}-{n:05}", opened.year()),
            lbb_ground_a: if !advice {
                String::new()
            } else if negative {
                "ernstig".into()
            } else if outcome == "verleend-onder-voorschriften" {
                "mindere-mate".into()
            } else {
                "geen-gevaar".into()
            },
            ..bibob(kind, trigger, own, outcome)
        },
        steps,
    }
}

fn bibob_entries() -> Vec<Entry> {
    let mut out = Vec::new();
    for (year, kinds, outcomes, advice) in BIBOB_YEARS {
        let mut list: Vec<&str> = kinds
            .iter()
            .flat_map(|(k, n)| std::iter::repeat_n(*k, *n))
            .collect();
        // The special outcomes go to screenings spread over the kinds; they and a few more
        // went to the LBB, early in the year so that all end within it.
        let mut special: Vec<&str> = outcomes
            .iter()
            .flat_map(|(o, n)| std::iter::repeat_n(*o, *n))
            .collect();
        let total = list.len();
        let mut entries: Vec<(String, String, bool)> = Vec::new();
        let mut lbb = 0;
        for (i, kind) in list.drain(..).enumerate() {
            let take_special = i % (total / advice).max(1) == 0 && lbb < advice;
            let outcome = if take_special {
                special.pop().unwrap_or("verleend")
            } else {
                "verleend"
            };
            lbb += usize::from(take_special);
            entries.push((kind.to_string(), outcome.to_string(), take_special));
        }
        let (advised, plain): (Vec<_>, Vec<_>) = entries.into_iter().partition(|e| e.2);
        for (i, (kind, outcome, _)) in advised.iter().enumerate() {
            let opened = day(year, 4 + 20 * i as i64);
            out.push(screening(kind, outcome, true, opened, 0, out.len()));
        }
        let spread = 320 / plain.len().max(1) as i64;
        for (i, (kind, outcome, _)) in plain.iter().enumerate() {
            let opened = day(year, 3 + spread.max(1) * i as i64);
            out.push(screening(
                kind,
                outcome,
                false,
                opened,
                28 + (i % 10) as i64,
                out.len(),
            ));
        }
    }
    // 2025 until 7 March: 40 started in January–early March; 18 decided before 7 March, the
    // others after it.
    let decided: Vec<&str> = BIBOB_2025_DECIDED
        .iter()
        .flat_map(|(k, n)| std::iter::repeat_n(*k, *n))
        .collect();
    for (i, kind) in decided.iter().enumerate() {
        let opened = day(2025, i as i64); // 1–18 January
        out.push(screening(kind, "verleend", false, opened, 30, out.len()));
    }
    let running = [
        "omgevingsvergunning",
        "alcoholvergunning",
        "exploitatievergunning-horeca",
    ];
    for i in 0..BIBOB_2025_RUNNING {
        let opened = day(2025, 20 + 2 * i as i64); // 21 January – 4 March
        let kind = running[i % running.len()];
        out.push(screening(kind, "verleend", false, opened, 70, out.len()));
    }
    out
}

/// A drugs signal of the scenario: the report before a closure, a repeat after it, and the
/// same at comparable premises without a measure.
struct PlanSignal {
    day: Date,
    at: (f64, f64),
    wijk: &'static str,
    title: &'static str,
}

/// The 13b procedures with, for the closed premises, the drugs signals around them: one
/// before each closure, a repeat after about one in five; at comparable premises in the same
/// wijk (400 m away) a signal before and a repeat after about two in five.
fn closure_entries(buurten: &AreaIndex) -> (Vec<Entry>, Vec<PlanSignal>) {
    let weeks = |n| Some(Length::Weeks(n));
    let months = |n| Some(Length::Months(n));
    let mut out = Vec::new();
    let mut signals = Vec::new();
    let mut j = 0usize;
    for (year, closed, with_care, reports) in CLOSURES {
        for i in 0..reports {
            // Reports spread over January–September.
            let received = day(year, 5 + (260 * i / reports) as i64);
            let n = out.len();
            let care = if i < closed && i < with_care {
                "ja"
            } else {
                "nee"
            };
            let mut steps = vec![("rapportage-ontvangen", received, None)];
            let mut location = None;
            let title = if i < closed {
                let closed_on = received + Duration::days(50);
                steps.push(("voornemen-verstuurd", received + Duration::days(10), None));
                steps.push(("zienswijze-ontvangen", received + Duration::days(20), None));
                steps.push(("besluit-sluiting", received + Duration::days(30), weeks(2)));
                steps.push(("gesloten", closed_on, months(3)));
                steps.push(("opgeheven", received + Duration::days(141), None));
                let (at, compared, wijk) = premises(j, buurten);
                location = Some(at);
                let signal = |day, at, title| PlanSignal {
                    day,
                    at,
                    wijk,
                    title,
                };
                signals.push(signal(
                    received - Duration::days(20),
                    at,
                    "Sterke henneplucht rond woning",
                ));
                if j.is_multiple_of(5) {
                    signals.push(signal(
                        closed_on + Duration::days(150),
                        at,
                        "Opnieuw henneplucht bij eerder gesloten woning",
                    ));
                }
                signals.push(signal(
                    closed_on - Duration::days(60),
                    compared,
                    "Veel kortdurend bezoek aan woning, vermoeden van drugshandel",
                ));
                if j % 5 < 2 {
                    signals.push(signal(
                        closed_on + Duration::days(120),
                        compared,
                        "Opnieuw veel kortdurend bezoek aan woning",
                    ));
                }
                j += 1;
                format!("Sluiting woning {}", address(n))
            } else {
                steps.push(("waarschuwing", received + Duration::days(7), None));
                format!("Waarschuwing woning {}", address(n))
            };
            out.push(Entry {
                kind: InterventionKind::Closure,
                title,
                address: address(n),
                details: closure(&["hennepplanten 300 planten"], care),
                location,
                steps,
            });
        }
    }
    (out, signals)
}

async fn plan_signals(
    store: &dyn Store,
    analist: &Caller,
    signals: Vec<PlanSignal>,
) -> Result<(), StoreError> {
    let catalogue = baken_core::catalogue::Catalogue::groningen_defaults();
    for s in signals {
        let received = s
            .day
            .with_time(time::Time::from_hms(10, 0, 0).unwrap_or(time::Time::MIDNIGHT))
            .assume_utc();
        let input = baken_core::signal::SignalInput {
            title: Some(s.title.into()),
            description: Some(format!(
                "{} (scenario Groningen 2023–2025, verzonnen).",
                s.title
            )),
            received_at: Some(
                received
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
            ),
            source_kind: Some("partner".into()),
            source_reliability: Some("B".into()),
            information_credibility: Some("2".into()),
            themes: vec!["drugs".into()],
            area_code: Some(s.wijk.into()),
            latitude: Some(format!("{:.6}", s.at.0)),
            longitude: Some(format!("{:.6}", s.at.1)),
            classification: Some("vertrouwelijk".into()),
            sharing: Some("eigen-organisatie".into()),
            ..Default::default()
        };
        let new = baken_core::signal::NewSignal::parse(
            &input,
            &catalogue,
            analist,
            &baken_core::signal::IntakePolicy::default(),
            received,
        )
        .map_err(StoreError::Invalid)?;
        store.create_signal(analist, new, received).await?;
    }
    Ok(())
}

fn penalty_entries() -> Vec<Entry> {
    let mut out = Vec::new();
    for (year, n) in PENALTY_ORDERS {
        for (i, street) in STREETS.iter().enumerate().take(n) {
            let sent = day(year, 10 + 15 * i as i64);
            out.push(Entry {
                kind: InterventionKind::PenaltyOrder,
                title: format!("Last onder dwangsom straathandel {street}"),
                address: address(i),
                details: sanction("APV art. 2:74a", "drugshandel op straat", "500", &[]),
                location: None,
                steps: vec![
                    ("voornemen-verstuurd", sent, None),
                    (
                        "last-opgelegd",
                        sent + Duration::days(21),
                        Some(Length::Weeks(1)),
                    ),
                    ("last-nageleefd", sent + Duration::days(35), None),
                ],
            });
        }
    }
    out
}

fn control_entries() -> Vec<Entry> {
    let mut out = Vec::new();
    let mut n = 0usize;
    for (branch, count, trafficking) in CONTROLS_2024 {
        for i in 0..count {
            let held = day(2024, 20 + 24 * n as i64);
            let partners: Vec<&str> = std::iter::once("gemeente")
                .chain((0..3).map(|k| PARTNERS[(n + 3 * k) % PARTNERS.len()]))
                .collect();
            let finding = format!("{}: twee overtredingen vastgelegd", partners[1]);
            let mut details = control(branch, &partners, &[finding.as_str()]);
            if i < trafficking {
                details.focus = vec!["mensenhandel".into()];
            }
            out.push(Entry {
                kind: InterventionKind::Control,
                title: format!("Integrale controle {branch} {}", n + 1),
                address: address(n),
                details,
                location: None,
                steps: vec![
                    ("gepland-op", held, None),
                    ("uitgevoerd-op", held, None),
                    ("bevindingen-vastgelegd", held + Duration::days(7), None),
                ],
            });
            n += 1;
        }
    }
    out
}

/// Where the plan's figures were published.
pub const PLAN_SOURCE: &str =
    "Herijking Uitvoeringsplan ondermijning 2023-2026 (gemeente Groningen, 2025)";

/// The plan's figures as it published them — including the 2024 Bibob table whose kinds add
/// up to 114 against a total of 109 — for the report to compare with.
async fn published(
    store: &dyn Store,
    (analist, bibob): (&Caller, &Caller),
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    use baken_core::report::published::PublishedFigure;
    use baken_core::report::{Dimension, FigureKey, Period};
    let record =
        |key: FigureKey, breakdown: Option<(Dimension, &str)>, period: Period, value: u64| {
            PublishedFigure {
                key,
                breakdown: breakdown.map(|(d, v)| (d, v.to_string())),
                period,
                value,
                source: PLAN_SOURCE.into(),
            }
        };
    let year = |y| {
        Period::year(y).map_err(|p| {
            StoreError::Invalid(baken_core::ValidationErrors(vec![baken_core::FieldError {
                field: "year".into(),
                problem: p,
            }]))
        })
    };
    let span = |from: Date, until: Date| {
        Period::new(from, until).map_err(|p| {
            StoreError::Invalid(baken_core::ValidationErrors(vec![baken_core::FieldError {
                field: "until".into(),
                problem: p,
            }]))
        })
    };
    let mut figures = Vec::new();
    for (y, kinds, outcomes, _) in BIBOB_YEARS {
        let total: usize = if y == 2024 {
            109
        } else {
            kinds.iter().map(|(_, n)| n).sum()
        };
        figures.push((
            bibob,
            record(FigureKey::BibobScreenings, None, year(y)?, total as u64),
        ));
        for (kind, n) in kinds {
            // As published: 58 omgevingsvergunningen in 2024 (the records have 53).
            let n = if y == 2024 && *kind == "omgevingsvergunning" {
                58
            } else {
                *n
            };
            figures.push((
                bibob,
                record(
                    FigureKey::BibobScreenings,
                    Some((Dimension::DecisionKind, kind)),
                    year(y)?,
                    n as u64,
                ),
            ));
        }
        for (outcome, n) in outcomes {
            figures.push((
                bibob,
                record(
                    FigureKey::BibobScreenings,
                    Some((Dimension::Outcome, outcome)),
                    year(y)?,
                    *n as u64,
                ),
            ));
        }
    }
    let two_years = span(date!(2023 - 01 - 01), date!(2024 - 12 - 31))?;
    figures.push((
        bibob,
        record(FigureKey::BibobScreenings, None, two_years, 212),
    ));
    figures.push((
        bibob,
        record(FigureKey::BibobAdviceRequests, None, two_years, 15),
    ));
    figures.push((analist, record(FigureKey::Closures, None, two_years, 29)));
    figures.push((
        analist,
        record(FigureKey::PoliceReports, None, two_years, 53),
    ));
    let early_2025 = span(date!(2025 - 01 - 01), BIBOB_2025_UNTIL)?;
    figures.push((
        bibob,
        record(FigureKey::BibobScreenings, None, early_2025, 40),
    ));
    figures.push((bibob, record(FigureKey::BibobDecided, None, early_2025, 18)));
    figures.push((bibob, record(FigureKey::BibobRunning, None, early_2025, 22)));
    for (key, value) in [
        (FigureKey::ControlsHeld, 14),
        (FigureKey::ParkInspections, 4),
        (FigureKey::FarmVisits, 144),
        (FigureKey::PenaltyOrders, 3),
    ] {
        figures.push((analist, record(key, None, year(2024)?, value)));
    }
    figures.push((
        analist,
        record(FigureKey::PenaltyOrders, None, year(2025)?, 4),
    ));
    for (by, figure) in figures {
        store.record_published_figure(by, figure, now).await?;
    }
    Ok(())
}

/// Registers the scenario's interventions; returns how many.
pub(crate) async fn plan(
    store: &dyn Store,
    (analist, bibob): (&Caller, &Caller),
    now: OffsetDateTime,
) -> Result<usize, StoreError> {
    let mut n = 0;
    for entry in bibob_entries() {
        register(store, bibob, entry, now).await?;
        n += 1;
    }
    let (closures, signals) = closure_entries(&crate::buurt_index()?);
    plan_signals(store, analist, signals).await?;
    for entry in closures
        .into_iter()
        .chain(penalty_entries())
        .chain(control_entries())
    {
        register(store, analist, entry, now).await?;
        n += 1;
    }
    published(store, (analist, bibob), now).await?;
    Ok(n)
}

/// A register of `n` interventions over 2023–2025 in the plan's mix (about half Bibob
/// screenings, the rest closures and warnings, penalty orders and controls), for
/// benchmarks of the report at scale. Deterministic.
pub async fn register_synthetic(
    store: &dyn Store,
    (analist, bibob): (&Caller, &Caller),
    n: usize,
    now: OffsetDateTime,
) -> Result<usize, StoreError> {
    let kinds = [
        "omgevingsvergunning",
        "alcoholvergunning",
        "exploitatievergunning-horeca",
        "seksbedrijf",
    ];
    let branches = [
        "horeca",
        "detailhandel",
        "garageboxen",
        "autobranche",
        "maaltijdbezorgers",
    ];
    for i in 0..n {
        let year = 2023 + (i % 3) as i32;
        let start = day(year, (i * 7 % 300) as i64);
        let (by, entry) = match i % 10 {
            0..=4 => {
                let outcome = if i % 97 == 0 { "geweigerd" } else { "verleend" };
                (
                    bibob,
                    screening(kinds[i % kinds.len()], outcome, i % 13 == 0, start, 30, i),
                )
            }
            5 | 6 => {
                let closed = i % 2 == 0;
                let mut steps = vec![("rapportage-ontvangen", start, None)];
                if closed {
                    steps.push(("voornemen-verstuurd", start + Duration::days(10), None));
                    steps.push((
                        "besluit-sluiting",
                        start + Duration::days(30),
                        Some(Length::Weeks(2)),
                    ));
                    steps.push((
                        "gesloten",
                        start + Duration::days(50),
                        Some(Length::Months(3)),
                    ));
                } else {
                    steps.push(("waarschuwing", start + Duration::days(7), None));
                }
                (
                    analist,
                    Entry {
                        kind: InterventionKind::Closure,
                        title: format!("13b {}", address(i)),
                        address: address(i),
                        location: Some((
                            53.19 + (i % 200) as f64 * 0.0004,
                            6.50 + (i / 200 % 200) as f64 * 0.0006,
                        )),
                        details: closure(
                            &["hennepplanten 300 planten"],
                            if i % 3 == 0 { "nee" } else { "ja" },
                        ),
                        steps,
                    },
                )
            }
            7 => (
                analist,
                Entry {
                    kind: InterventionKind::PenaltyOrder,
                    title: format!("Last onder dwangsom {}", address(i)),
                    address: address(i),
                    details: sanction("APV art. 2:74a", "drugshandel op straat", "500", &[]),
                    location: None,
                    steps: vec![
                        ("voornemen-verstuurd", start, None),
                        (
                            "last-opgelegd",
                            start + Duration::days(21),
                            Some(Length::Weeks(1)),
                        ),
                        ("last-nageleefd", start + Duration::days(35), None),
                    ],
                },
            ),
            _ => {
                let partners = [
                    "gemeente",
                    PARTNERS[i % PARTNERS.len()],
                    PARTNERS[(i + 3) % PARTNERS.len()],
                ];
                let finding = format!("{}: bevinding", partners[1]);
                (
                    analist,
                    Entry {
                        kind: InterventionKind::Control,
                        title: format!("Integrale controle {}", address(i)),
                        address: address(i),
                        location: None,
                        details: control(
                            branches[i % branches.len()],
                            &partners,
                            &[finding.as_str()],
                        ),
                        steps: vec![
                            ("gepland-op", start, None),
                            ("uitgevoerd-op", start, None),
                            ("bevindingen-vastgelegd", start + Duration::days(7), None),
                        ],
                    },
                )
            }
        };
        register(store, by, entry, now).await?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scenario_has_the_plans_totals() {
        let bibob = bibob_entries();
        assert_eq!(bibob.len(), 103 + 109 + 40);
        let (closures, signals) = closure_entries(&crate::buurt_index().unwrap());
        assert_eq!(closures.len(), 53);
        assert_eq!(closures.iter().filter(|c| c.location.is_some()).count(), 29);
        assert_eq!(signals.len(), 29 * 2 + 6 + 12);
        assert_eq!(control_entries().len(), 14);
    }
}
