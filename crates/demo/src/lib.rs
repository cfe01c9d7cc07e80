//! The demo data set: real CBS wijk and buurt boundaries and names of the municipality of
//! Groningen (a fact), invented signals, people and companies, generated deterministically
//! (relative to the day it is made in the standard scenario, over 2023–2025 in the plan's)
//! and stored through the same parsing and store code a user's input takes.

mod activities;
mod barriers;
mod case_table;
mod commitments;
pub use activities::HACKSHIELD_CLASSES;
pub use barriers::PGB_APPLIED;
mod interventions;
mod meetings;
pub mod plan;

use baken_app::labels::Label;
use baken_core::catalogue::Catalogue;
use baken_core::field::{NewVisit, VisitInput, VisitKind};
use baken_core::model::{Area, AreaKind, Classification, OrgKind};
use baken_core::signal::{IntakePolicy, NewSignal, SignalInput};
use baken_core::status::{SignalStatus, StatusChange};
use baken_core::{Caller, Purpose, Role, RoleSet};
use baken_geo::AreaShape;
use baken_store::{Actor, NewAgreement, NewUser, Store, StoreError};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::macros::date;
use time::{Duration, OffsetDateTime, Time};

/// The organisation that runs the demo installation.
pub const MUNICIPALITY: &str = "Gemeente Groningen";

/// Meta key that marks a database as a demo database (`baken demo` only ever replaces those).
pub const DEMO_MARKER: &str = "demo";
/// The one password of every demo account. Demo only.
pub const DEMO_PASSWORD: &str = "demo-baken-2025";
/// The one authenticator key (TOTP, base32) of every demo account: the demo signs in as an
/// installation does, with a code after the password. Demo only.
pub const DEMO_TOTP_SECRET: &str = "BAKENDEMOGRONINGENBAKENDEMO23456";
/// Number of signals the demo generates directly.
pub const DEMO_SIGNALS: usize = 360;
/// Farms in the rural area (Ten Boer and south of Haren), every one visited in 2024
/// (plan: "144 erfbezoeken").
pub const DEMO_FARMS: usize = 144;
/// Farm visits whose finding became a signal (plan: "ruim twintig meldingen").
pub const DEMO_FARM_FINDINGS: usize = 22;

/// CBS wijken (2014) of the present municipality of Groningen: former Groningen (0014),
/// Haren (0017) and Ten Boer (0009).
pub const GRONINGEN_WIJKEN: [(&str, &str); 14] = [
    ("WK001400", "Wijk 00 Binnenstad"),
    ("WK001401", "Wijk 01 Schilders- en Zeeheldenwijk"),
    ("WK001402", "Wijk 02 Oranjewijk"),
    ("WK001403", "Wijk 03 Korrewegwijk"),
    ("WK001404", "Wijk 04 Oosterparkwijk"),
    ("WK001405", "Wijk 05 Oosterpoortwijk"),
    ("WK001406", "Wijk 06 Herewegwijk en Helpman"),
    ("WK001407", "Wijk 07 Stadsparkwijk"),
    ("WK001408", "Wijk 08 Hoogkerk"),
    ("WK001409", "Wijk 09 Noorddijk"),
    ("WK001700", "Wijk 00 Centrum (Haren)"),
    ("WK001701", "Wijk 01 Land (Haren)"),
    ("WK000900", "Wijk 00 West (Ten Boer)"),
    ("WK000901", "Wijk 01 Oost (Ten Boer)"),
];

/// Inhabitants per wijk of [`GRONINGEN_WIJKEN`] in the demo: invented round figures, not CBS's.
const DEMO_INHABITANTS: [u64; 14] = [
    20_000, 16_000, 11_000, 17_000, 13_000, 8_000, 14_000, 12_000, 11_000, 42_000, 14_000, 7_000,
    4_000, 3_500,
];
pub const DEMO_BASE_SOURCE: &str = "demo: verzonnen aantallen, geen CBS-cijfers";

pub struct DemoSummary {
    pub organisations: usize,
    pub signals: usize,
    /// Cases of the case table.
    pub cases: usize,
    /// Past meetings of the case table.
    pub meetings: usize,
    /// Interventions in the register (a year of every kind).
    pub interventions: usize,
    /// (e-mail, role) of every demo account.
    pub accounts: Vec<(String, String)>,
}

struct DemoUser {
    email: &'static str,
    name: &'static str,
    org: usize,
    role: Role,
}

const ORGS: [(&str, OrgKind); 4] = [
    ("Gemeente Groningen", OrgKind::Gemeente),
    ("Politie Noord-Nederland", OrgKind::Politie),
    ("Waterschap Hunze en Aa's", OrgKind::Waterschap),
    ("LTO Noord", OrgKind::Belangenorganisatie),
];

const USERS: [DemoUser; 12] = [
    DemoUser {
        email: "analist@groningen.demo",
        name: "Anna Analist",
        org: 0,
        role: Role::Analist,
    },
    DemoUser {
        email: "bibob@groningen.demo",
        name: "Bram Bibob",
        org: 0,
        role: Role::BibobCoordinator,
    },
    DemoUser {
        email: "casustafel@groningen.demo",
        name: "Carla Casustafel",
        org: 0,
        role: Role::CasustafelLid,
    },
    DemoUser {
        email: "toezicht@groningen.demo",
        name: "Tom Toezicht",
        org: 0,
        role: Role::Toezichthouder,
    },
    DemoUser {
        email: "lezer@groningen.demo",
        name: "Lotte Lezer",
        org: 0,
        role: Role::Lezer,
    },
    DemoUser {
        email: "beheer@groningen.demo",
        name: "Bea Beheer",
        org: 0,
        role: Role::Beheerder,
    },
    DemoUser {
        email: "partner@politie.demo",
        name: "Piet Partner",
        org: 1,
        role: Role::Partner,
    },
    DemoUser {
        email: "analist@politie.demo",
        name: "Priya Politie-analist",
        org: 1,
        role: Role::Analist,
    },
    DemoUser {
        email: "partner@waterschap.demo",
        name: "Wim Waterschap",
        org: 2,
        role: Role::Partner,
    },
    DemoUser {
        email: "partner@lto.demo",
        name: "Lieke LTO",
        org: 3,
        role: Role::Partner,
    },
    DemoUser {
        email: "voorzitter@groningen.demo",
        name: "Vera Voorzitter",
        org: 0,
        role: Role::Voorzitter,
    },
    DemoUser {
        email: "auditor@groningen.demo",
        name: "Anouk Auditor",
        org: 0,
        role: Role::Auditor,
    },
];

/// (theme, weight, titles, source kinds for the municipality)
const THEMES: [(&str, u32, &[&str]); 7] = [
    (
        "buitengebied",
        18,
        &[
            "Aanbod om lege loods te huren tegen contante betaling",
            "Vaten met chemisch afval aangetroffen langs landweg",
            "Leegstaande stal plotseling in gebruik, ramen afgeplakt",
            "Onbekende huurder vraagt naar schuur met stroomaansluiting",
        ],
    ),
    (
        "drugs",
        22,
        &[
            "Sterke henneplucht rond woning",
            "Veel kortdurend bezoek aan woning, vermoeden van drugshandel",
            "Stroomverbruik wijkt sterk af van vergelijkbare woningen",
            "Dealen op straat bij winkelcentrum",
        ],
    ),
    (
        "mensenhandel",
        12,
        &[
            "Arbeidsmigranten wonen in bedrijfspand",
            "Werknemers lijken eigen paspoort niet te beheren",
            "Signaal van gedwongen sekswerk in huurwoning",
        ],
    ),
    (
        "vastgoed",
        14,
        &[
            "Pand binnen een half jaar twee keer verkocht met grote waardesprong",
            "Recent opgerichte BV koopt meerdere woningen contant",
            "Huur wordt contant betaald en direct gestort",
        ],
    ),
    (
        "zorgfraude",
        8,
        &[
            "Zorgaanbieder huisvest cliënten in eigen panden",
            "Pgb-houder lijkt zorg niet te ontvangen",
        ],
    ),
    (
        "bedrijventerreinen",
        16,
        &[
            "Bedrijfsunit met opvallend veel camera's en geblindeerde ramen",
            "Veel wisselende huurders in bedrijfsverzamelgebouw",
            "Afwijkend stroomverbruik in opslagunit",
        ],
    ),
    (
        "cybercrime",
        10,
        &[
            "Jongeren benaderd om bankpas uit te lenen",
            "Helpdeskfraude bij oudere inwoners gemeld",
        ],
    ),
];

const STREETS: [&str; 10] = [
    "Industrieweg",
    "Kanaalweg",
    "Molenlaan",
    "Stationsstraat",
    "Dorpsstraat",
    "Havenkade",
    "Zuiderweg",
    "Esweg",
    "Kerkpad",
    "Bedrijvenpark Oost",
];

const OUTCOMES: [SignalStatus; 4] = [
    SignalStatus::GeenActie,
    SignalStatus::Monitoren,
    SignalStatus::NaarCasus,
    SignalStatus::NaarPartner,
];

fn caller(user: &baken_core::model::User) -> Caller {
    Caller::for_user(user, Purpose::new("demodata genereren"), "demo")
}

fn catalogue_caller(user: &baken_core::model::User) -> Caller {
    caller(user)
}

/// When the rural programme ran: its first day and how many days it took.
struct Programme {
    start: time::Date,
    days: i64,
}

impl Programme {
    /// The plan's programme of 2024 (Feb–Nov), or this year's up to yesterday in the
    /// standard demo, so that this year's coverage shows on any day.
    fn of(scenario: Scenario, now: OffsetDateTime) -> Self {
        match scenario {
            Scenario::GroningenPlan => Self {
                start: date!(2024 - 02 - 01),
                days: 300,
            },
            Scenario::Standard => {
                let today = baken_core::calendar::local_date(now);
                let first = today.replace_ordinal(1).unwrap_or(today);
                let start = first.max(today - Duration::days(300));
                Self {
                    start,
                    days: (today - start).whole_days().max(1),
                }
            }
        }
    }
}

/// The rural programme: every farm visited once; some visits found something that became a
/// signal.
async fn farm_visits(
    store: &dyn Store,
    inspector: &Caller,
    analist: &baken_core::model::User,
    programme: Programme,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut rng = StdRng::seed_from_u64(144);
    let places = [
        ("WK000900", "Ten Boer"),
        ("WK000901", "Ten Boer"),
        ("WK001701", "Haren"),
    ];
    let roads = [
        "Dorpsweg",
        "Stadsweg",
        "Boltweg",
        "Wolddijk",
        "Meerweg",
        "Hoofdweg",
        "Oosterweg",
        "Molenweg",
    ];
    let objects: Vec<baken_store::NewFieldObject> = (0..DEMO_FARMS)
        .map(|i| {
            let (area, place) = places[i % places.len()];
            baken_store::NewFieldObject {
                name: format!("Agrarisch bedrijf {:03}", i + 1),
                address: Some(format!(
                    "{} {}, {place}",
                    roads[i % roads.len()],
                    1 + i / roads.len()
                )),
                area_code: Some(area.into()),
            }
        })
        .collect();
    store
        .add_field_objects(&caller(analist), "agrarisch-bedrijf", objects, now)
        .await?;
    let farms = store.field_objects(inspector, "agrarisch-bedrijf").await?;
    let checklist = store.checklist(VisitKind::Erfbezoek).await?;
    let findings = [
        "Ondernemer kreeg een brief met een aanbod om de lege loods te huren tegen contante betaling",
        "Onbekend busje 's nachts bij de leegstaande stal gezien",
        "Vaten met een chemische lucht achter de schuur gevonden",
        "Ondernemer is benaderd door een 'vertegenwoordiger' die ruimte zocht voor opslag",
    ];
    let with_finding: std::collections::BTreeSet<usize> = {
        let mut set = std::collections::BTreeSet::new();
        while set.len() < DEMO_FARM_FINDINGS {
            set.insert(rng.gen_range(0..farms.len()));
        }
        set
    };
    for (i, farm) in farms.iter().enumerate() {
        let visited = programme.start + Duration::days(rng.gen_range(0..programme.days));
        let at = visited
            .with_time(Time::from_hms(10, 0, 0).unwrap_or(Time::MIDNIGHT))
            .assume_utc();
        let finding = with_finding
            .contains(&i)
            .then(|| (*pick(&mut rng, &findings)).to_string());
        let input = VisitInput {
            kind: Some("erfbezoek".into()),
            object: Some(farm.id.to_string()),
            area_code: farm.area_code.clone(),
            visited_on: Some(baken_core::signal::format_date(visited)),
            answers: checklist
                .iter()
                .enumerate()
                .map(|(q, _)| {
                    if q == 0 && finding.is_some() {
                        "ja"
                    } else {
                        *pick(&mut rng, &["nee", "nee", "nvt"])
                    }
                    .into()
                })
                .collect(),
            findings: finding.into_iter().collect(),
            ..Default::default()
        };
        let visit = NewVisit::parse(&input, &checklist, visited).map_err(StoreError::Invalid)?;
        let has_finding = !visit.findings.is_empty();
        let id = store.create_visit(inspector, visit, at).await?;
        if has_finding {
            store
                .finding_to_signal(
                    inspector,
                    (id, 0),
                    |kind| kind.label(),
                    &IntakePolicy::default(),
                    at,
                )
                .await?;
        }
    }
    Ok(())
}

/// Business park inspections (schouwen) of 2024, the first on Zuidoost (plan: 4 in 2024).
pub const DEMO_PARK_INSPECTIONS_2024: usize = 4;

async fn park_inspections(
    store: &dyn Store,
    system: &Actor,
    inspector: &Caller,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let parks = [
        ("BT-zuidoost", "Bedrijventerrein Zuidoost"),
        ("BT-westpoort", "Bedrijventerrein Westpoort"),
        ("BT-eemspoort", "Bedrijventerrein Eemspoort"),
    ];
    let areas: Vec<AreaShape> = parks
        .iter()
        .map(|(code, name)| AreaShape {
            area: Area {
                code: (*code).into(),
                name: (*name).into(),
                kind: baken_core::model::AreaKind::Bedrijventerrein,
                year: 2024,
                parent: None,
            },
            geometry: None,
        })
        .collect();
    store.upsert_areas(system, &areas, now).await?;
    let checklist = store.checklist(VisitKind::Schouw).await?;
    let visits = [
        (
            "BT-zuidoost",
            date!(2024 - 03 - 14),
            "Zuidoost, Euvelgunnerweg",
        ),
        (
            "BT-zuidoost",
            date!(2024 - 05 - 23),
            "Zuidoost, Duinkerkenstraat",
        ),
        (
            "BT-westpoort",
            date!(2024 - 09 - 12),
            "Westpoort, kavels aan de A7",
        ),
        (
            "BT-eemspoort",
            date!(2024 - 11 - 07),
            "Eemspoort, bedrijfsverzamelgebouw",
        ),
    ];
    for (area, day, place) in visits.iter().take(DEMO_PARK_INSPECTIONS_2024) {
        let input = VisitInput {
            kind: Some("schouw".into()),
            location: Some((*place).into()),
            area_code: Some((*area).into()),
            visited_on: Some(baken_core::signal::format_date(*day)),
            answers: checklist.iter().map(|_| "nee".to_string()).collect(),
            notes: Some("Integrale schouw met politie en Omgevingsdienst (demodata).".into()),
            ..Default::default()
        };
        let visit = NewVisit::parse(&input, &checklist, *day).map_err(StoreError::Invalid)?;
        let at = day
            .with_time(Time::from_hms(9, 30, 0).unwrap_or(Time::MIDNIGHT))
            .assume_utc();
        store.create_visit(inspector, visit, at).await?;
    }
    Ok(())
}

/// Invented people, companies, addresses and vehicles that recur across signals, written the
/// way different partners write them, so that linking has something to bring together.
const DEMO_PEOPLE: [(&str, &str, &str); 12] = [
    ("Jan", "de Vries", "1979-04-12"),
    ("Sanne", "Bakker", "1988-11-02"),
    ("Mehmet", "Yilmaz", "1983-06-23"),
    ("Kees", "van der Berg", "1969-01-30"),
    ("Priya", "Ramdin", "1991-09-14"),
    ("Dirk", "Mulder", "1975-12-05"),
    ("Fatima", "El Idrissi", "1986-03-17"),
    ("Henk", "ter Horst", "1962-08-08"),
    ("Lotte", "Visser", "1994-02-27"),
    ("Ricardo", "Martina", "1980-07-19"),
    ("Anna", "Smit", "1990-10-10"),
    ("Bart", "Jansen", "1977-05-21"),
];

const DEMO_COMPANIES: [(&str, &str); 6] = [
    ("Jansen Transport B.V.", "62345678"),
    ("Noordster Vastgoed B.V.", "71234561"),
    ("Kapsalon Chic", "80123457"),
    ("Autobedrijf De Hoek V.O.F.", "55512349"),
    ("Zorggroep Helpende Hand B.V.", "69876541"),
    ("Shisha Lounge Oase", "77788890"),
];

const DEMO_ADDRESSES: [(&str, &str, &str); 5] = [
    ("Oosterhamrikkade", "112", "9714BJ"),
    ("Bedumerweg", "45a", "9716AE"),
    ("Peizerweg", "210", "9727AN"),
    ("Eemsgolaan", "3", "9727DW"),
    ("Damsterdiep", "17-2", "9711SG"),
];

const DEMO_PLATES: [&str; 4] = ["12-ABC-3", "HX-512-K", "7-TVZ-88", "VB-34-NR"];

/// The subjects of demo signal `n`: about half name someone or something from the pools above,
/// spelled in one of the ways partners write it.
fn demo_subjects(rng: &mut StdRng, n: usize) -> Vec<baken_core::subject::SubjectInput> {
    use baken_core::subject::SubjectInput;
    let mut out = Vec::new();
    if n % 2 == 1 {
        return out;
    }
    let (given, surname, born) = *pick(rng, &DEMO_PEOPLE);
    let initial = given.chars().next().unwrap_or('X');
    let name = match rng.gen_range(0..4) {
        0 => format!("{given} {surname}"),
        1 => format!("{initial}. {surname}"),
        2 => {
            // Register order: "Berg, Kees van der".
            let (prefix, core) = match surname.rsplit_once(' ') {
                Some((p, c)) if p.chars().all(|ch| ch.is_lowercase() || ch == ' ') => (p, c),
                _ => ("", surname),
            };
            format!("{core}, {given} {prefix}").trim().to_string()
        }
        _ => format!("{} {surname}", given.to_uppercase()),
    };
    out.push(SubjectInput {
        kind: Some("persoon".into()),
        role: Some((*pick(rng, &["betrokkene", "bewoner", "eigenaar", "huurder"])).into()),
        name: Some(name),
        birth_date: rng.gen_bool(0.7).then(|| born.to_string()),
        ..Default::default()
    });
    match n % 8 {
        0 => {
            let (company, kvk) = *pick(rng, &DEMO_COMPANIES);
            out.push(SubjectInput {
                kind: Some("organisatie".into()),
                role: Some("betrokkene".into()),
                name: Some(if rng.gen_bool(0.5) {
                    company.to_string()
                } else {
                    company.replace(" B.V.", " BV").replace(" V.O.F.", "")
                }),
                kvk_number: rng.gen_bool(0.6).then(|| kvk.to_string()),
                ..Default::default()
            });
        }
        2 => {
            let (street, number, postcode) = *pick(rng, &DEMO_ADDRESSES);
            out.push(SubjectInput {
                kind: Some("adres".into()),
                role: Some("locatie".into()),
                street: Some(street.into()),
                house_number: Some(number.chars().take_while(char::is_ascii_digit).collect()),
                house_letter: number
                    .chars()
                    .find(char::is_ascii_alphabetic)
                    .map(|c| c.to_string()),
                house_number_addition: number.split_once('-').map(|(_, a)| a.to_string()),
                postcode: Some(if rng.gen_bool(0.5) {
                    postcode.to_string()
                } else {
                    format!("{} {}", &postcode[..4], postcode[4..].to_lowercase())
                }),
                place: Some("Groningen".into()),
                ..Default::default()
            });
        }
        4 => {
            let plate = *pick(rng, &DEMO_PLATES);
            out.push(SubjectInput {
                kind: Some("voertuig".into()),
                role: Some("betrokkene".into()),
                plate: Some(if rng.gen_bool(0.5) {
                    plate.to_string()
                } else {
                    plate.replace('-', "").to_lowercase()
                }),
                ..Default::default()
            });
        }
        _ => {}
    }
    out
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn weighted_theme(rng: &mut StdRng) -> usize {
    let total: u32 = THEMES.iter().map(|t| t.1).sum();
    let mut n = rng.gen_range(0..total);
    for (i, t) in THEMES.iter().enumerate() {
        if n < t.1 {
            return i;
        }
        n -= t.1;
    }
    0
}

/// Who registered a signal of this theme, and through which channel.
fn source_for(rng: &mut StdRng, theme: &str) -> (usize, &'static str) {
    let r: u32 = rng.gen_range(0..100);
    match theme {
        "drugs" | "mensenhandel" if r < 40 => (6, "partner"),
        "buitengebied" if r < 20 => (8, "partner"),
        "buitengebied" if r < 40 => (9, "bondgenotennetwerk"),
        "buitengebied" | "bedrijventerreinen" if r < 70 => (3, "veldbezoek"),
        "vastgoed" | "cybercrime" if r < 15 => (6, "partner"),
        _ if r < 80 => (
            0,
            *pick(
                rng,
                &[
                    "interne-afdeling",
                    "bondgenotennetwerk",
                    "meld-misdaad-anoniem",
                    "anoniem-formulier",
                ],
            ),
        ),
        _ => (3, "controle"),
    }
}

/// Generates the demo data set into an empty store. `password_hash` is the argon2 hash of
/// [`DEMO_PASSWORD`]; `now` stamps the set-up itself.
/// Which demo data to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// A year of everything, dated back from today.
    Standard,
    /// "Groningen 2023–2025": the register behind the plan review's figures ([`plan`]).
    GroningenPlan,
}

impl Scenario {
    pub const ALL: [Scenario; 2] = [Scenario::Standard, Scenario::GroningenPlan];

    pub fn slug(self) -> &'static str {
        match self {
            Scenario::Standard => "standaard",
            Scenario::GroningenPlan => "groningen-plan",
        }
    }

    pub fn parse(s: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|c| c.slug() == s.trim())
    }
}

/// The CBS boundaries of 2014 of the present municipality of Groningen, wijken and buurten
/// ("CBS Wijk- en Buurtkaart 2014, CBS/Kadaster, CC BY 4.0, simplified"; data/cbs/README.md),
/// so that the demo's maps show at once.
const WIJKEN_2014: &str = include_str!("../../../data/cbs/groningen-wijken-2014.geojson");
const BUURTEN_2014: &str = include_str!("../../../data/cbs/groningen-buurten-2014.geojson");

/// The former municipality of a 2014 CBS code of the present municipality of Groningen.
fn former_municipality(code: &str) -> Option<&'static str> {
    match code.get(2..6)? {
        "0009" => Some("Ten Boer"),
        "0017" => Some("Haren"),
        _ => None,
    }
}

fn boundaries() -> Result<Vec<AreaShape>, StoreError> {
    let mut areas = Vec::new();
    for (text, kind) in [
        (WIJKEN_2014, AreaKind::Wijk),
        (BUURTEN_2014, AreaKind::Buurt),
    ] {
        let read = baken_geo::read_areas(
            text,
            &baken_geo::ImportOptions {
                kind,
                year: 2014,
                id_property: None,
                name_property: None,
            },
        )
        .map_err(|e| StoreError::Corrupt(format!("demo boundaries: {e}")))?;
        areas.extend(read.areas);
    }
    // The 2014 codes predate the merger of 2019: the areas of Haren and Ten Boer say so.
    for shape in &mut areas {
        if let Some(former) = former_municipality(&shape.area.code) {
            shape.area.name = format!("{} ({former})", shape.area.name);
        }
    }
    Ok(areas)
}

/// A point (latitude, longitude) inside the wijk `code`, drawn uniformly from its bounding box
/// until one falls inside (at most a hundred tries).
fn point_in(
    rng: &mut StdRng,
    shapes: &[(String, baken_geo::MultiPolygon<f64>)],
    code: &str,
) -> Option<(f64, f64)> {
    use geo::{BoundingRect, Contains};
    let (_, shape) = shapes.iter().find(|(c, _)| c == code)?;
    let b = shape.bounding_rect()?;
    (0..100).find_map(|_| {
        let lon = rng.gen_range(b.min().x..b.max().x);
        let lat = rng.gen_range(b.min().y..b.max().y);
        shape
            .contains(&geo::Point::new(lon, lat))
            .then_some((lat, lon))
    })
}

/// The demo's buurten as a spatial index (to place premises in the same buurt).
pub(crate) fn buurt_index() -> Result<baken_geo::AreaIndex, StoreError> {
    Ok(baken_geo::AreaIndex::new(
        boundaries()?
            .into_iter()
            .filter(|a| a.area.kind == AreaKind::Buurt)
            .filter_map(|a| {
                Some((
                    baken_geo::AreaRef {
                        code: a.area.code,
                        kind: a.area.kind,
                    },
                    a.geometry?,
                ))
            })
            .collect(),
    ))
}

pub async fn generate(
    store: &dyn Store,
    password_hash: &str,
    scenario: Scenario,
    now: OffsetDateTime,
) -> Result<DemoSummary, StoreError> {
    let system = Actor::System {
        process: "demo".into(),
    };
    let catalogue = Catalogue::groningen_defaults();
    store.ensure_catalogue(&system, &catalogue, now).await?;
    store.set_meta(&system, DEMO_MARKER, "true", now).await?;
    store.upsert_areas(&system, &boundaries()?, now).await?;
    // Invented inhabitants per wijk, labelled as such wherever a rate is shown.
    let bases: Vec<baken_core::picture::AreaBase> = GRONINGEN_WIJKEN
        .iter()
        .zip(DEMO_INHABITANTS)
        .map(|((code, _), value)| baken_core::picture::AreaBase {
            area_code: (*code).to_string(),
            kind: baken_core::picture::BaseKind::Inwoners,
            year: 2024,
            value,
            source: DEMO_BASE_SOURCE.to_string(),
        })
        .collect();
    store.upsert_area_bases(&system, &bases, now).await?;

    let mut orgs = Vec::new();
    for (name, kind) in ORGS {
        orgs.push(store.create_organisation(&system, name, kind, now).await?);
    }
    let mut users = Vec::new();
    for u in &USERS {
        let user = store
            .create_user(
                &system,
                NewUser {
                    org: orgs[u.org].id,
                    email: u.email.into(),
                    display_name: u.name.into(),
                    roles: RoleSet::new([u.role]),
                    password_hash: Some(password_hash.to_string()),
                },
                now,
            )
            .await?;
        // Every demo account has the published demo key as its second factor (no recovery
        // codes: the key is the way back).
        let owner = Actor::Caller(caller(&user));
        store
            .enrol_second_factor(&owner, DEMO_TOTP_SECRET, 0, &[], now)
            .await?;
        users.push(user);
    }
    store
        .create_agreement(
            &system,
            NewAgreement {
                name: "Convenant ondermijning Gemeente Groningen – Politie Noord-Nederland".into(),
                parties: vec![orgs[0].id, orgs[1].id],
                legal_basis: "RIEC-LIEC-convenant met Privacyprotocol RIECs-LIEC (2020)".into(),
                purposes: "bestuurlijke aanpak van drugs en mensenhandel".into(),
                themes: vec!["drugs".into(), "mensenhandel".into()],
                max_classification: Classification::Vertrouwelijk,
                valid_from: date!(2023 - 01 - 01),
                valid_until: None,
                referral_contact: None,
            },
            now,
        )
        .await?;

    let mut rng = StdRng::seed_from_u64(2023_2025);
    // Three years of signals: up to yesterday in the standard demo (so that "this year",
    // overdue counts and the maps make sense on any day), over 2023–2025 in the plan's
    // scenario (whose figures are those years').
    let span_days = 3 * 365;
    let end = match scenario {
        Scenario::Standard => baken_core::calendar::local_date(now),
        Scenario::GroningenPlan => date!(2025 - 12 - 31),
    };
    let start = (end - Duration::days(span_days))
        .with_time(Time::from_hms(9, 0, 0).unwrap_or(Time::MIDNIGHT))
        .assume_utc();
    let mut days: Vec<i64> = (0..DEMO_SIGNALS)
        .map(|_| rng.gen_range(0..span_days))
        .collect();
    days.sort_unstable();
    let analist = caller(&users[0]);
    let police_analist = caller(&users[7]);
    // A separate stream, so the signals themselves stay as they were.
    let mut people_rng = StdRng::seed_from_u64(4_2);
    // Places inside each signal's wijk (its own stream too), so that buurt pictures and hot
    // spots have data.
    let mut place_rng = StdRng::seed_from_u64(532);
    let wijk_shapes: Vec<(String, baken_geo::MultiPolygon<f64>)> = boundaries()?
        .into_iter()
        .filter(|a| a.area.kind == AreaKind::Wijk)
        .filter_map(|a| Some((a.area.code, a.geometry?)))
        .collect();
    let mut to_case = Vec::new();
    for (n, day) in days.into_iter().enumerate() {
        let received = start + Duration::days(day) + Duration::minutes(rng.gen_range(0..480));
        let theme_index = weighted_theme(&mut rng);
        let (theme, _, titles) = THEMES[theme_index];
        let (mut author, source) = source_for(&mut rng, theme);
        let mut classification = if rng.gen_bool(0.3) {
            "vertrouwelijk"
        } else {
            "intern"
        };
        if theme == "vastgoed" && author == 0 && rng.gen_bool(0.15) {
            author = 1;
            classification = "bibob";
        }
        let (wijk, _) = *pick(&mut rng, &GRONINGEN_WIJKEN);
        let indicators: Vec<String> = catalogue
            .theme(theme)
            .map(|t| {
                t.indicators
                    .iter()
                    .filter(|_| rng.gen_bool(0.35))
                    .map(|i| i.code.clone())
                    .collect()
            })
            .unwrap_or_default();
        let title = (*pick(&mut rng, titles)).to_string();
        let street = *pick(&mut rng, &STREETS);
        let place = point_in(&mut place_rng, &wijk_shapes, wijk);
        let input = SignalInput {
            title: Some(title.clone()),
            description: Some(format!(
                "{title}. Waargenomen bij een pand aan de {street} (demodata, verzonnen; volgnummer {n}). \
                 Melder vraagt om vertrouwelijke behandeling."
            )),
            received_at: Some(received.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()),
            observed_on: None,
            source_kind: Some(source.into()),
            source_reliability: Some((*pick(&mut rng, &["A", "B", "B", "C", "C", "F"])).into()),
            information_credibility: Some((*pick(&mut rng, &["1", "2", "2", "3", "3", "6"])).into()),
            themes: vec![theme.into()],
            indicators,
            area_code: Some(wijk.into()),
            latitude: place.map(|(lat, _)| format!("{lat:.6}")),
            longitude: place.map(|(_, lon)| format!("{lon:.6}")),
            address: Some(format!("{street} {}", rng.gen_range(1..120))),
            classification: Some(classification.into()),
            sharing: Some(if rng.gen_bool(0.9) { "convenant" } else { "eigen-organisatie" }.into()),
            retention_until: None,
            subjects: demo_subjects(&mut people_rng, n),
            relations: Vec::new(),
        };
        let by = caller(&users[author]);
        let new = NewSignal::parse(&input, &catalogue, &by, &IntakePolicy::default(), received)
            .map_err(StoreError::Invalid)?;
        let signal = store.create_signal(&by, new, received).await?;

        // Triage by the owning organisation's analyst (Bibob stays with the Bibob officer).
        let triager = match (author, classification) {
            (1, "bibob") => caller(&users[1]),
            (0 | 3, _) => analist.clone(),
            (6, _) => police_analist.clone(),
            _ => continue,
        };
        let mut at = received;
        let mut steps: Vec<(SignalStatus, &str)> = {
            let mut steps = Vec::new();
            if rng.gen_bool(0.8) {
                steps.push((SignalStatus::InTriage, "Opgepakt voor beoordeling"));
                if rng.gen_bool(0.75) {
                    steps.push((
                        *pick(&mut rng, &OUTCOMES),
                        "Beoordeeld in het wekelijkse triageoverleg",
                    ));
                    if rng.gen_bool(0.5) {
                        steps.push((SignalStatus::Gesloten, "Afgehandeld"));
                    }
                }
            }
            steps
        };
        // A signal older than a month has been assessed, as in a team that keeps up: only
        // recent ones wait for triage (their own days, so the random stream stays as it was).
        let drawn = steps.len();
        if received < now - Duration::days(30) && drawn < 2 {
            if drawn == 0 {
                steps.push((SignalStatus::InTriage, "Opgepakt voor beoordeling"));
            }
            steps.push((SignalStatus::Monitoren, "Beoordeeld: blijven volgen"));
        }
        for (n, (to, reason)) in steps.into_iter().enumerate() {
            at += if n < drawn {
                Duration::days(rng.gen_range(1..21))
            } else {
                Duration::days(3)
            };
            if at > now {
                break;
            }
            let change = StatusChange {
                to,
                reason: reason.into(),
            };
            store
                .change_signal_status(&triager, signal.id, change, at)
                .await?;
            // The municipality's own triage (not the police's, not the Bibob officer's).
            if to == SignalStatus::NaarCasus && matches!(author, 0 | 3) {
                to_case.push(case_table::ToCase {
                    signal: signal.id,
                    theme,
                    at,
                });
            }
        }
    }
    let cases = case_table::case_table(
        store,
        &analist,
        (users[2].id, users[10].id, orgs[1].id),
        &catalogue,
        to_case,
        now,
    )
    .await?;
    let meetings = meetings::meetings(
        store,
        (&caller(&users[10]), &analist),
        meetings::Table {
            municipality: orgs[0].id,
            police: orgs[1].id,
            water_board: orgs[2].id,
            member: users[2].id,
        },
        &cases,
        now,
    )
    .await?;

    let interventions = match scenario {
        Scenario::Standard => {
            interventions::interventions(store, (&analist, &caller(&users[1])), &cases, now).await?
        }
        Scenario::GroningenPlan => plan::plan(store, (&analist, &caller(&users[1])), now).await?,
    };

    barriers::barrier_models(store, (&caller(&users[5]), &analist), now).await?;
    activities::activities(store, &analist, now).await?;

    farm_visits(
        store,
        &catalogue_caller(&users[3]),
        &users[0],
        Programme::of(scenario, now),
        now,
    )
    .await?;
    park_inspections(store, &system, &catalogue_caller(&users[3]), now).await?;
    commitments::commitments(store, &analist, now).await?;

    Ok(DemoSummary {
        organisations: orgs.len(),
        cases: cases.len(),
        meetings,
        interventions,
        signals: DEMO_SIGNALS,
        accounts: USERS
            .iter()
            .map(|u| {
                (
                    u.email.to_string(),
                    format!("{} ({})", u.role.label(), ORGS[u.org].0),
                )
            })
            .collect(),
    })
}
